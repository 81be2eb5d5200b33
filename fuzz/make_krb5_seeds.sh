#!/bin/sh
# make_krb5_seeds.sh BUILD_DIR - regenerates the seed corpora of the
# Kerberos targets (gss_accept_sec_context_fuzz,
# init_sec_context_reply_fuzz, gss_unwrap_fuzz, gss_verify_mic_fuzz,
# gss_import_sec_context_fuzz) from make_krb5_seeds.c (Baton, built by
# CMake in BUILD_DIR) and make_krb5_seeds_mit.c (MIT krb5, built here
# against pkg-config krb5-gssapi).  No KDC: both mint their tickets with
# the fixed keys of krb5_fixture.h.  Run by hand (make_seeds.sh runs it
# too); the seeds are checked in.  Other targets' corpora are left alone.
set -eu

[ $# -eq 1 ] || { echo "usage: $0 BUILD_DIR" >&2; exit 2; }
build=$1
here=$(cd "$(dirname "$0")" && pwd)
corpus=$here/corpus
tmp=$(mktemp -d "${TMPDIR:-/tmp}/baton-krb5-seeds.XXXXXX")
trap 'rm -rf "$tmp"' EXIT

cmake --build "$build" --target make_krb5_seeds
if [ -x "$build/fuzz/make_krb5_seeds" ]; then
    gen=$build/fuzz/make_krb5_seeds
else
    gen=$build/make_krb5_seeds
fi
# shellcheck disable=SC2046  # pkg-config output is a list of flags
${CC:-cc} -o "$tmp/make_krb5_seeds_mit" "$here/make_krb5_seeds_mit.c" \
    $(pkg-config --cflags --libs krb5-gssapi krb5)

targets="gss_accept_sec_context_fuzz init_sec_context_reply_fuzz
    gss_unwrap_fuzz gss_verify_mic_fuzz gss_import_sec_context_fuzz"
for t in $targets; do
    rm -rf "${corpus:?}/$t"
done
mkdir -p "$corpus"
"$gen" "$corpus"
"$tmp/make_krb5_seeds_mit" "$corpus"
for t in $targets; do
    echo "$t: $(find "$corpus/$t" -type f | wc -l) seeds," \
        "$(find "$corpus/$t" -type f -exec cat {} + | wc -c) bytes"
done
