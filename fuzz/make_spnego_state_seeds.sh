#!/bin/sh
# make_spnego_state_seeds.sh BUILD_DIR - regenerates the seed corpora of
# the SPNEGO state-machine targets (gss_spnego_accept_fuzz,
# gss_spnego_init_fuzz) from make_spnego_state_seeds.c (Baton, built by
# CMake in BUILD_DIR): the targets' descriptor inputs, and the tokens of
# negotiations between Baton's SPNEGO initiator and acceptor on tickets
# minted with the fixed keys of krb5_fixture.h (no KDC).  Run by hand
# (make_seeds.sh runs it too); the seeds are checked in.  Other targets'
# corpora are left alone.
set -eu

[ $# -eq 1 ] || { echo "usage: $0 BUILD_DIR" >&2; exit 2; }
build=$1
here=$(cd "$(dirname "$0")" && pwd)
corpus=$here/corpus

cmake --build "$build" --target make_spnego_state_seeds
if [ -x "$build/fuzz/make_spnego_state_seeds" ]; then
    gen=$build/fuzz/make_spnego_state_seeds
else
    gen=$build/make_spnego_state_seeds
fi

targets="gss_spnego_accept_fuzz gss_spnego_init_fuzz"
for t in $targets; do
    rm -rf "${corpus:?}/$t"
done
mkdir -p "$corpus"
"$gen" "$corpus"
for t in $targets; do
    echo "$t: $(find "$corpus/$t" -type f | wc -l) seeds," \
        "$(find "$corpus/$t" -type f -exec cat {} + | wc -c) bytes"
done
