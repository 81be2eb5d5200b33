#!/bin/bash
# check_coverage.sh INCLUDE_DIR PROGRAM_C EXPORTS_TXT
#
# abi_program_coverage: rfc2744_program.c must call every function that
# <gssapi/gssapi.h>, <gssapi/gssapi_ext.h> and <gssapi/gssapi_krb5.h>
# declare, and name every OID data symbol of the gssapi_krb5_2_MIT node
# (exports.txt) that the headers declare.  Every exported function must be
# declared in a header, except MIT's four internal entry points.
set -uo pipefail
inc=${1:?usage: check_coverage.sh INCLUDE_DIR PROGRAM_C EXPORTS_TXT}
prog=${2:?}
exports=${3:?}
fail=0
headers=("$inc/gssapi/gssapi.h" "$inc/gssapi/gssapi_ext.h"
         "$inc/gssapi/gssapi_krb5.h" "$inc/gssapi/gssapi_generic.h")
# Exported by MIT for its own libraries; declared in no public header.
internal="gss_krb5int_make_seal_token_v3 gss_krb5int_unseal_token_v3
gssint_g_seqstate_init krb5_gss_use_kdc_context krb5_gss_dbg_client_expcreds"

tmp=$(mktemp -d "${TMPDIR:-/tmp}/abi_coverage.XXXXXX") || exit 2
trap 'rm -rf "$tmp"' EXIT
# Comments out of the program, so that a name in a comment does not count.
perl -0pe 's:/\*.*?\*/::gs; s://[^\n]*::g' "$prog" > "$tmp/code" ||
    { echo "not ok - cannot read $prog"; exit 1; }

printf '%s\n' $internal > "$tmp/internal"
declared=$(grep -hoE '^(OM_uint32|int)[[:space:]]+[A-Za-z_][A-Za-z_0-9]*\(' \
           "${headers[@]}" | sed -E 's/^[A-Za-z_0-9]+[[:space:]]+//; s/\($//' |
           sort -u)
n=$(printf '%s\n' "$declared" | grep -c .)
if [ "$n" -lt 100 ]; then
    echo "not ok - only $n function declarations found in the headers"
    exit 1
fi
missing=""
for f in $declared; do
    grep -qE "(^|[^A-Za-z_0-9])${f}[[:space:]]*\\(" "$tmp/code" ||
        missing="$missing $f"
done
if [ -z "$missing" ]; then
    echo "ok - rfc2744_program.c calls all $n functions the headers declare"
else
    echo "not ok - rfc2744_program.c never calls:$missing"
    fail=1
fi

# gssapi.h alone, as the brief of the test names it.
core=$(grep -hoE '^(OM_uint32|int)[[:space:]]+gss_[a-z_0-9]+\(' "$inc/gssapi/gssapi.h" |
       sed -E 's/^[A-Za-z_0-9]+[[:space:]]+//; s/\($//' | sort -u)
echo "# <gssapi/gssapi.h> declares $(echo $core | wc -w) functions, V1 names" \
     "included: $(echo $core | tr ' ' '\n' | grep -xE 'gss_(sign|verify|seal|unseal)' | tr '\n' ' ')"

printf '%s\n' "$declared" > "$tmp/declared"
exported_f=$(awk '!/^#/ && $1 == "gssapi_krb5_2_MIT" && $3 == "F" {print $2}' "$exports")
undeclared=""
for f in $exported_f; do
    grep -qx "$f" "$tmp/declared" && continue
    grep -qx "$f" "$tmp/internal" && continue
    undeclared="$undeclared $f"
done
if [ -z "$undeclared" ]; then
    echo "ok - every exported MIT function but the internal ones is declared in a header"
else
    echo "not ok - exported but declared in no header:$undeclared"
    fail=1
fi

exported_d=$(awk '!/^#/ && $1 == "gssapi_krb5_2_MIT" && $3 == "D" {print $2}' "$exports")
missing=""
nd=0
for d in $exported_d; do
    grep -qx "$d" "$tmp/internal" && continue
    nd=$((nd + 1))
    grep -qE "extern[^;]*[^A-Za-z_0-9]$d;" "${headers[@]}" ||
        { echo "not ok - data symbol $d is declared in no header"; fail=1; }
    grep -qE "(^|[^A-Za-z_0-9])$d([^A-Za-z_0-9]|$)" "$tmp/code" ||
        missing="$missing $d"
done
if [ -z "$missing" ]; then
    echo "ok - rfc2744_program.c references all $nd exported data symbols"
else
    echo "not ok - rfc2744_program.c never references:$missing"
    fail=1
fi
exit $fail
