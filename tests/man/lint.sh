#!/usr/bin/env bash
# lint.sh - check Baton's manual pages.
#
# Usage: lint.sh [SOURCE_DIR]
#
# 1. mandoc -Tlint -W warning must print nothing for any page (sections 1,
#    3 and 7).
# 2. Every function the library exports must be named by a ".Nm NAME" line
#    in some page: the standard and MIT names listed in the gssapi_krb5_2_MIT
#    node of src/baton.map (data objects excluded), and every baton_*
#    function declared in include/baton/baton.h.  The map's BATON_0 node is
#    the wildcard "baton_*", so the header is where Baton's own names are.
set -u

root=${1:-$(cd "$(dirname "$0")/../.." && pwd)}
root=$(cd "$root" && pwd)
map=$root/src/baton.map
header=$root/include/baton/baton.h
status=0

if ! command -v mandoc >/dev/null 2>&1; then
    echo "lint.sh: mandoc not found" >&2
    exit 1
fi
for f in "$map" "$header"; do
    if [ ! -r "$f" ]; then
        echo "lint.sh: cannot read $f" >&2
        exit 1
    fi
done

shopt -s nullglob
pages=("$root"/man/man1/*.1 "$root"/man/man3/*.3 "$root"/man/man7/*.7)
shopt -u nullglob
if [ ${#pages[@]} -eq 0 ]; then
    echo "lint.sh: no pages under $root/man" >&2
    exit 1
fi

# 1. mandoc's own checks.  It exits nonzero on warnings, so judge by output.
#    One-line ".so" pages (extra names of a page) are checked to point at a
#    page that exists; mandoc resolves .so against the man directory.
full=()
for f in "${pages[@]}"; do
    if [ "$(wc -l <"$f")" -le 1 ] && grep -q '^\.so ' "$f"; then
        target=$(sed -n 's/^\.so //p' "$f")
        if [ ! -f "$root/man/$target" ]; then
            echo "$f: .so target $target does not exist"
            status=1
        fi
    else
        full+=("$f")
    fi
done
out=$(cd "$root/man" && mandoc -Tlint -W warning "${full[@]}" 2>&1)
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
    grep -vx 'krb5_gss_dbg_client_expcreds')

# Baton's own functions: names followed by "(" in the header, comments and
# preprocessor lines left out.
own=$(awk '
    {
        s = $0; out = ""
        while (s != "") {
            if (in_comment) {
                i = index(s, "*/")
                if (i == 0) { s = "" } else { s = substr(s, i + 2); in_comment = 0 }
            } else {
                i = index(s, "/*")
                if (i == 0) { out = out s; s = "" }
                else { out = out substr(s, 1, i - 1) " "; s = substr(s, i + 2); in_comment = 1 }
            }
        }
        print out
    }' "$header" |
    grep -v '^[[:space:]]*#' |
    grep -oE '(^|[^A-Za-z0-9_])baton_[A-Za-z0-9_]*[[:space:]]*\(' |
    sed -E 's/^[^A-Za-z0-9_]//; s/[[:space:]]*\($//')
if [ -z "$own" ]; then
    echo "lint.sh: no baton_* function found in $header" >&2
    exit 1
fi
exported=$(printf '%s\n%s\n' "$exported" "$own" | sort -u)

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
