#!/bin/bash
# check_exports.sh EXPORTS_TXT LIBBATON_SO COMPAT_SO
#
# abi_exports: both built shared libraries must export exactly the symbols,
# version nodes, kinds and data sizes listed in EXPORTS_TXT; the compat
# library must carry MIT's soname, must not depend on MIT's library, and must
# leave no GSS-API name undefined (every call resolves inside Baton).
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
exports=${1:?usage: check_exports.sh EXPORTS_TXT LIBBATON_SO COMPAT_SO}
libbaton=${2:?}
compat=${3:?}
fail=0
tmp=$(mktemp -d "${TMPDIR:-/tmp}/abi_exports.XXXXXX") || exit 2
trap 'rm -rf "$tmp"' EXIT

ok() { echo "ok - $*"; }
notok() { echo "not ok - $*"; fail=1; }

grep -v -e '^#' -e '^[[:space:]]*$' "$exports" | LC_ALL=C sort -k1,1 -k2,2 \
    > "$tmp/want"
if [ ! -s "$tmp/want" ]; then
    echo "not ok - $exports is empty"
    exit 1
fi
# The list itself must be well formed: no duplicate names, known kinds.
dups=$(awk '{print $2}' "$tmp/want" | sort | uniq -d)
[ -z "$dups" ] && ok "exports.txt has no duplicate names" \
    || notok "exports.txt lists names twice: $dups"
badlines=$(awk '!(NF == 4 && (($3 == "F" && $4 == "-") || ($3 == "D" && $4 ~ /^[0-9]+$/)))' "$tmp/want")
[ -z "$badlines" ] && ok "exports.txt lines are NODE NAME F|D SIZE" \
    || notok "malformed exports.txt lines:"$'\n'"$badlines"

for lib in "$libbaton" "$compat"; do
    if ! bash "$here/extract_exports.sh" "$lib" > "$tmp/got"; then
        notok "could not read the exports of $lib"
        continue
    fi
    if diff -u --label exports.txt --label "$lib" "$tmp/want" "$tmp/got" \
            > "$tmp/diff"; then
        ok "$(basename "$lib") exports exactly exports.txt ($(wc -l < "$tmp/got") symbols)"
    else
        notok "$(basename "$lib") exports differ from exports.txt (- intended, + built):"
        cat "$tmp/diff"
    fi
done

soname=$(LC_ALL=C objdump -p "$compat" | awk '$1 == "SONAME" {print $2}')
[ "$soname" = "libgssapi_krb5.so.2" ] \
    && ok "compat SONAME is libgssapi_krb5.so.2" \
    || notok "compat SONAME is '${soname}', want libgssapi_krb5.so.2"

needed=$(LC_ALL=C objdump -p "$compat" | awk '$1 == "NEEDED" {print $2}')
if [[ " $(echo $needed) " == *" libgssapi"* ]]; then
    notok "compat library depends on a GSS-API library: $(echo $needed)"
else
    ok "compat library needs no libgssapi* ($(echo $needed))"
fi

# Undefined references to any exported name (gss_*, GSS_*, krb5_gss_*,
# gssint_*, gsskrb5_*, gssspi_*, baton_*) would bind to some other library.
for lib in "$compat" "$libbaton"; do
    und=$(LC_ALL=C objdump -T "$lib" | awk '$0 ~ /\*UND\*/ {print $NF}' |
          grep -E '^(gss|GSS_|krb5_gss_|baton_)' || true)
    [ -z "$und" ] && ok "$(basename "$lib") has no undefined GSS-API symbols" \
        || notok "$(basename "$lib") leaves GSS-API symbols undefined: $(echo $und)"
done

exit $fail
