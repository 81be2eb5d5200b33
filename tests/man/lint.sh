#!/usr/bin/env bash
# lint.sh - check Baton's manual pages.
#
# Usage: lint.sh [SOURCE_DIR]
#
# 1. mandoc -Tlint -W warning must print nothing for any page.
# 2. Every function the library exports (the gssapi_krb5_2_MIT and BATON_0
#    nodes of src/baton.map, data objects excluded, plus baton_version) must
#    be named by a ".Nm NAME" line in some page.
set -u

root=${1:-$(cd "$(dirname "$0")/../.." && pwd)}
map=$root/src/baton.map
status=0

if ! command -v mandoc >/dev/null 2>&1; then
    echo "lint.sh: mandoc not found" >&2
    exit 1
fi
if [ ! -r "$map" ]; then
    echo "lint.sh: cannot read $map" >&2
    exit 1
fi

shopt -s nullglob
pages=("$root"/man/man3/*.3 "$root"/man/man7/*.7)
shopt -u nullglob
if [ ${#pages[@]} -eq 0 ]; then
    echo "lint.sh: no pages under $root/man" >&2
    exit 1
fi

# 1. mandoc's own checks.  It exits nonzero on warnings, so judge by output.
out=$(mandoc -Tlint -W warning "${pages[@]}" 2>&1)
if [ -n "$out" ]; then
    printf '%s\n' "$out"
    status=1
fi

# 2. Exported functions against documented names.
exported=$(awk '
    /^[A-Za-z_][A-Za-z0-9_]*[ \t]*\{/ { node = $1; sub(/\{.*/, "", node); next }
    /^\}/                             { node = ""; next }
    node == "gssapi_krb5_2_MIT" || node == "BATON_0" {
        if (match($0, /^[ \t]*[A-Za-z_][A-Za-z0-9_]*;/)) {
            name = substr($0, RSTART, RLENGTH - 1)
            gsub(/[ \t]/, "", name)
            print name
        }
    }' "$map" |
    grep -E '^(gss_|gssspi_|gssint_|krb5_gss_|gsskrb5_)' |
    grep -Ev '^(gss_mech_|gss_nt_)' |
    grep -vx 'krb5_gss_dbg_client_expcreds'
    echo baton_version)
exported=$(printf '%s\n' "$exported" | sort -u)

documented=$(awk '$1 == ".Nm" && NF >= 2 { print $2 }' "${pages[@]}" | sort -u)

missing=$(comm -23 <(printf '%s\n' "$exported") <(printf '%s\n' "$documented"))
if [ -n "$missing" ]; then
    printf '%s\n' "$missing" | sed 's/^/missing: /'
    echo "FAIL: $(printf '%s\n' "$missing" | wc -l) exported functions have no page"
    status=1
fi

if [ $status -eq 0 ]; then
    nfun=$(printf '%s\n' "$exported" | grep -c .)
    echo "ok: ${#pages[@]} pages, $nfun functions documented"
fi
exit $status
