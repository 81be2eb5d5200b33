#!/bin/bash
# mit_parity.sh EXPORTS_TXT [MIT_LIB]
#
# abi_mit_parity: the gssapi_krb5_2_MIT part of EXPORTS_TXT must equal what
# MIT's installed libgssapi_krb5.so.2 exports (names, node, kind and data
# sizes), so the checked-in list provably is MIT's ABI on this machine.
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
exports=${1:?usage: mit_parity.sh EXPORTS_TXT [MIT_LIB]}
mit=${2:-/usr/lib/x86_64-linux-gnu/libgssapi_krb5.so.2}
node=gssapi_krb5_2_MIT
tmp=$(mktemp -d "${TMPDIR:-/tmp}/abi_parity.XXXXXX") || exit 2
trap 'rm -rf "$tmp"' EXIT

if [ ! -r "$mit" ]; then
    echo "not ok - MIT's library $mit is missing (install libgssapi-krb5-2)"
    exit 1
fi
# The real file, so that the message names the MIT release compared with.
echo "# MIT library: $(readlink -f "$mit")"

grep -v -e '^#' -e '^[[:space:]]*$' "$exports" | awk -v n="$node" '$1 == n' |
    LC_ALL=C sort -k1,1 -k2,2 > "$tmp/want"
# Everything MIT exports, whatever its node: a symbol MIT put in another
# node would show up as a difference.
bash "$here/extract_exports.sh" "$mit" > "$tmp/mit" || exit 2

if [ ! -s "$tmp/want" ]; then
    echo "not ok - exports.txt has no $node lines"
    exit 1
fi
if diff -u --label "exports.txt ($node)" --label "$mit" "$tmp/want" "$tmp/mit"; then
    echo "ok - exports.txt $node equals MIT's exports:" \
         "$(awk '$3 == "F"' "$tmp/mit" | wc -l) functions," \
         "$(awk '$3 == "D"' "$tmp/mit" | wc -l) data objects"
    exit 0
fi
echo "not ok - exports.txt $node differs from MIT's $mit (- list, + MIT)"
exit 1
