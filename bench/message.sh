#!/usr/bin/env bash
# Side-by-side per-message benchmark: Baton and MIT's libgssapi_krb5, the
# same source built twice, run in one throwaway realm for the two AES-256
# enctypes (forced per run through an overlay krb5.conf).
#   bench/message.sh BUILD_DIR
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
build=${1:?usage: bench/message.sh BUILD_DIR}
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
cc -O2 -o "$out/bench_mit" "$top/bench/message_bench.c" \
   $(pkg-config --cflags --libs mit-krb5-gssapi)
cc -O2 -I"$top/include" -o "$out/bench_baton" "$top/bench/message_bench.c" \
   "$build/src/libbaton.a" -lkrb5 -lk5crypto -lcom_err -lcrypto -pthread
cat > "$out/inner.sh" <<INNER
set -e
for et in aes256-cts-hmac-sha1-96 aes256-cts-hmac-sha384-192; do
  printf '[libdefaults]\n\tdefault_tgs_enctypes = %s aes256-cts-hmac-sha1-96\n' "\$et" \
    > "$out/overlay.conf"
  for impl in mit baton; do
    cp "\${KRB5CCNAME#FILE:}" "$out/cc"
    echo "\$impl \$et"
    KRB5_CONFIG="\$KRB5_CONFIG:$out/overlay.conf" KRB5CCNAME="FILE:$out/cc" \
      "$out/bench_\$impl"
    klist -e -c "$out/cc" | grep -A1 "\$BATON_SERVICE_PRINC" | \
      sed -n 's/.*Etype (skey, tkt): \([^,]*\),.*/  session key: \1/p'
  done
done
INNER
bash "$top/tests/realm/realm.sh" run -- bash "$out/inner.sh"
