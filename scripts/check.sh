#!/usr/bin/env bash
# The whole test suite, from a fresh Debian 12 machine or a clean clone:
#   1. install what the build and tests need (scripts/bootstrap.sh)
#   2. warnings-as-errors build, every ctest test
#   3. the same suite built with AddressSanitizer + UBSan
#   4. the unit tests and the C realm tests under valgrind memcheck
#      (leaks and errors fatal)
#   5. every libFuzzer target for a bounded time (BATON_FUZZ_SECONDS each)
# Build trees go under BATON_BUILD_ROOT (default: build/).
set -euo pipefail

top=$(cd "$(dirname "$0")/.." && pwd)
root=${BATON_BUILD_ROOT:-$top/build}
fuzz_seconds=${BATON_FUZZ_SECONDS:-20}
jobs=$(nproc)
start=$(date +%s)

step() { printf '\n=== %s (%ds)\n' "$1" $(($(date +%s) - start)); }

configure_and_build() {
  local dir=$1; shift
  cmake -S "$top" -B "$dir" -DBATON_WERROR=ON "$@" >/dev/null
  cmake --build "$dir" -j"$jobs" >/dev/null
}

step "bootstrap"
bash "$top/scripts/bootstrap.sh"

step "build (warnings are errors) and test"
configure_and_build "$root/release"
(cd "$root/release" && ctest -j"$jobs" --output-on-failure)

step "AddressSanitizer + UBSan build and test"
configure_and_build "$root/asan" -DBATON_SANITIZE=ON -DCMAKE_BUILD_TYPE=Debug
(cd "$root/asan" && ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 \
   UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
   ctest -j"$jobs" --output-on-failure -LE nosanitize)

step "valgrind memcheck on the unit tests and the C realm tests"
configure_and_build "$root/valgrind" -DBATON_VALGRIND=ON
(cd "$root/valgrind" && ctest -j"$jobs" --output-on-failure -L "unit|krb5")

step "fuzz targets, ${fuzz_seconds}s each"
configure_and_build "$root/fuzz" -DCMAKE_C_COMPILER=clang -DBATON_FUZZ=ON \
  -DBATON_TESTS=OFF
FUZZ_JOBS=2 bash "$top/fuzz/run.sh" "$root/fuzz" "$fuzz_seconds"

step "all checks passed"
