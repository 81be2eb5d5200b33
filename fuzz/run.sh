#!/bin/sh
# run.sh BUILD_DIR SECONDS [TARGET...] - runs each libFuzzer target for
# SECONDS on a scratch copy of its seed corpus (fuzz/corpus/TARGET; the
# checked-in seeds are never written), and fails if any target finds a
# crash, a leak, a timeout or an out-of-memory.
#
# BUILD_DIR is the CMake build directory (configured with -DBATON_FUZZ=ON)
# or its fuzz/ subdirectory.  With no TARGET, every target runs.
# FUZZ_JOBS=N runs N targets at a time (default 1); give each a core.
# On a finding the scratch directory is kept and its path printed.
set -eu

usage() {
    echo "usage: $0 BUILD_DIR SECONDS [TARGET...]" >&2
    exit 2
}
[ $# -ge 2 ] || usage
build=$1
secs=$2
shift 2
case $secs in '' | *[!0-9]*) usage ;; esac

here=$(cd "$(dirname "$0")" && pwd)
if [ -d "$build/fuzz" ]; then
    bin=$build/fuzz
else
    bin=$build
fi
targets=${*:-"der_rd_len_fuzz der_rd_token_fuzz der_rd_exported_name_fuzz
    gss_decapsulate_token_fuzz gss_import_name_fuzz gss_str_to_oid_fuzz
    gss_oid_to_str_fuzz gss_accept_sec_context_fuzz
    init_sec_context_reply_fuzz gss_unwrap_fuzz gss_verify_mic_fuzz
    gss_import_sec_context_fuzz spnego_negtoken_fuzz gss_spnego_accept_fuzz
    gss_spnego_init_fuzz prefork_http_fuzz"}
jobs=${FUZZ_JOBS:-1}

# Longest input worth trying, per target: a little past the largest
# structure its invariants reason about.
max_len() {
    case $1 in
    der_rd_len_fuzz) echo 16 ;;
    gss_oid_to_str_fuzz) echo 128 ;;
    gss_str_to_oid_fuzz | gss_import_name_fuzz) echo 256 ;;
    # An AP-REQ with a delegated TGT is about 1.1 KB.
    gss_accept_sec_context_fuzz) echo 2048 ;;
    # A NegTokenInit around such an AP-REQ is a few octets more; the
    # SPNEGO acceptor's raw inputs are a negotiation's tokens (three).
    spnego_negtoken_fuzz | gss_spnego_accept_fuzz) echo 2048 ;;
    # Built replies are descriptors; raw ones a few hundred octets each.
    gss_spnego_init_fuzz) echo 1024 ;;
    gss_import_sec_context_fuzz) echo 1024 ;;
    *) echo 512 ;;
    esac
}

scratch=$(mktemp -d "${TMPDIR:-/tmp}/baton-fuzz.XXXXXX")

# run_one TARGET: fuzz it; the last line of $scratch/TARGET/result says how
# it went.
run_one() {
    t=$1
    d=$scratch/$t
    mkdir -p "$d/corpus" "$d/artifacts"
    if [ -d "$here/corpus/$t" ]; then
        cp -R "$here/corpus/$t/." "$d/corpus/"
    fi
    set -- -max_total_time="$secs" -max_len="$(max_len "$t")" \
        -timeout=10 -print_final_stats=1 -artifact_prefix="$d/artifacts/"
    if [ -f "$here/$t.dict" ]; then
        set -- "$@" -dict="$here/$t.dict"
    fi
    rc=0
    ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1} \
        UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1} \
        "$bin/$t" "$@" "$d/corpus" >"$d/log" 2>&1 || rc=$?
    execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$d/log" |
        tail -n 1)
    found=$(find "$d/artifacts" -type f -exec basename {} \; | head -n 1)
    if [ "$rc" -eq 0 ] && [ -z "$found" ]; then
        echo "fuzz $t: ${execs:-0} execs, no findings" >"$d/result"
    else
        echo "fuzz $t: ${execs:-?} execs, FOUND (exit $rc)" \
            "${found:+$d/artifacts/$found} log $d/log" >"$d/result"
    fi
}

for t in $targets; do
    if [ ! -x "$bin/$t" ]; then
        echo "run.sh: no $bin/$t (build with -DBATON_FUZZ=ON)" >&2
        exit 2
    fi
done

# Up to $jobs targets at a time.
running=0
for t in $targets; do
    run_one "$t" &
    running=$((running + 1))
    if [ "$running" -ge "$jobs" ]; then
        wait
        running=0
    fi
done
wait

status=0
for t in $targets; do
    cat "$scratch/$t/result"
    if ! grep -q 'no findings$' "$scratch/$t/result"; then
        status=1
        grep -E 'invariant violated|ERROR:|SUMMARY:' "$scratch/$t/log" |
            head -n 5 | sed 's/^/    /'
    fi
done
if [ "$status" -eq 0 ]; then
    rm -rf "$scratch"
else
    echo "run.sh: findings kept in $scratch" >&2
fi
exit "$status"
