#!/bin/sh
# make_seeds.sh BUILD_DIR - regenerates fuzz/corpus/ from make_seeds.c
# (Baton's encoders and hand-written edge cases, built by CMake in
# BUILD_DIR) and make_seeds_mit.c (MIT krb5, built here against
# pkg-config krb5-gssapi).  Run by hand after changing either; the seeds
# are checked in.  Both use the same throwaway krb5.conf as
# gss_import_name_fuzz (default realm FUZZ.TEST, no DNS).
set -eu

[ $# -eq 1 ] || { echo "usage: $0 BUILD_DIR" >&2; exit 2; }
build=$1
here=$(cd "$(dirname "$0")" && pwd)
corpus=$here/corpus
tmp=$(mktemp -d "${TMPDIR:-/tmp}/baton-seeds.XXXXXX")
trap 'rm -rf "$tmp"' EXIT

cat >"$tmp/krb5.conf" <<'CONF'
[libdefaults]
	default_realm = FUZZ.TEST
	dns_lookup_kdc = false
	dns_lookup_realm = false
	dns_canonicalize_hostname = false
	rdns = false
	qualify_shortname = ""
CONF
export KRB5_CONFIG="$tmp/krb5.conf"

cmake --build "$build" --target make_seeds
if [ -x "$build/fuzz/make_seeds" ]; then
    gen=$build/fuzz/make_seeds
else
    gen=$build/make_seeds
fi
# shellcheck disable=SC2046  # pkg-config output is a list of flags
${CC:-cc} -o "$tmp/make_seeds_mit" "$here/make_seeds_mit.c" \
    $(pkg-config --cflags --libs krb5-gssapi)

rm -rf "$corpus"
mkdir -p "$corpus"
"$gen" "$corpus"
"$tmp/make_seeds_mit" "$corpus"
# The Kerberos targets' seeds (tickets minted with fixed keys, no KDC).
"$here/make_krb5_seeds.sh" "$build"
# SPNEGO tokens from MIT and Heimdal, made in a throwaway realm.
"$here/make_spnego_seeds.sh"
# The SPNEGO state-machine targets' inputs (no KDC, like the above).
"$here/make_spnego_state_seeds.sh" "$build"
for d in "$corpus"/*; do
    echo "$(basename "$d"): $(find "$d" -type f | wc -l) seeds"
done
bytes=$(find "$corpus" -type f -exec cat {} + | wc -c)
echo "total: $bytes bytes in $(find "$corpus" -type f | wc -l) files"
