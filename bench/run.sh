#!/usr/bin/env bash
# Side-by-side establishment benchmark: Baton and MIT's libgssapi_krb5, the
# same source built twice, run interleaved in one throwaway realm.
#   bench/run.sh BUILD_DIR [N]
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
build=${1:?usage: bench/run.sh BUILD_DIR [N]}
n=${2:-2000}
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
cc -O2 -o "$out/bench_mit" "$top/bench/establish_bench.c" \
   $(pkg-config --cflags --libs mit-krb5-gssapi)
cc -O2 -I"$top/include" -o "$out/bench_baton" "$top/bench/establish_bench.c" \
   "$build/src/libbaton.a" -lkrb5 -lk5crypto -lcom_err -lcrypto -pthread
cat > "$out/inner.sh" <<INNER
set -e
for round in 1 2 3; do
  for impl in mit baton; do
    printf '%-6s round %d ' "\$impl" "\$round"; "$out/bench_\$impl" rate $n
  done
done
for impl in mit baton; do
  printf '%-6s ' "\$impl"; "$out/bench_\$impl" memory 1000
done
INNER
bash "$top/tests/realm/realm.sh" run -- bash "$out/inner.sh"
