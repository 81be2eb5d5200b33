#!/usr/bin/env bash
# Export+import side by side: Baton and MIT, the same source, one realm.
# Prints token sizes, time per round trip, user-space instructions per
# round trip (callgrind, N=1000 minus N=0) and system calls per round trip
# (strace -c, same difference).
#   bench/transfer.sh BUILD_DIR
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
build=${1:?usage: bench/transfer.sh BUILD_DIR}
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
cc -O2 -o "$out/t_mit" "$top/bench/transfer_bench.c" \
   $(pkg-config --cflags --libs mit-krb5-gssapi)
cc -O2 -I"$top/include" -o "$out/t_baton" "$top/bench/transfer_bench.c" \
   "$build/src/libbaton.a" -lkrb5 -lk5crypto -lcom_err -lcrypto -pthread
cat > "$out/inner.sh" <<INNER
set -e
export BATON_RUNTIME_DIR="\$BATON_REALM_DIR/rt"
ir() { valgrind --tool=callgrind --callgrind-out-file="$out/cg" "\$@" >/dev/null 2>&1
       awk '/^summary:/ {print \$2}' "$out/cg"; }
sc() { strace -f -c -o "$out/st" "\$@" >/dev/null 2>&1
       awk '/total/ {print \$(NF-1)}' "$out/st"; }
for impl in mit baton; do
  echo "== \$impl"
  "$out/t_\$impl" 2000
  a=\$(ir "$out/t_\$impl" 1000); b=\$(ir "$out/t_\$impl" 0)
  echo "instructions per round trip: \$(( (a - b) / 1000 ))"
  if command -v strace >/dev/null; then
    a=\$(sc "$out/t_\$impl" 1000); b=\$(sc "$out/t_\$impl" 0)
    echo "syscalls per round trip: \$(( (a - b) / 1000 ))"
  fi
done
INNER
bash "$top/tests/realm/realm.sh" run -- bash "$out/inner.sh"
