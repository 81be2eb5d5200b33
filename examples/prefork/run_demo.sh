#!/usr/bin/env bash
# Runs inside a throwaway realm (tests/realm/realm.sh run -- ...): starts the
# prefork server, drives it with concurrent clients for a few seconds, and
# prints a summary.  Then, in about a second, its HTTP Negotiate mode (-H):
# one three-round SPNEGO negotiation begun by the master and finished by a
# worker, and curl --negotiate if curl is installed.  Exit status nonzero if
# any client connection failed.
#   run_demo.sh BIN_DIR [SECONDS] [THREADS] [WORKERS]
set -euo pipefail
bin=${1:?usage: run_demo.sh BIN_DIR [SECONDS] [THREADS] [WORKERS]}
secs=${2:-5}
threads=${3:-16}
workers=${4:-4}
out=$BATON_REALM_DIR/demo
mkdir -p "$out"
export BATON_RUNTIME_DIR=$out/runtime   # transfer key and ledger

"$bin/baton-prefork-server" -w "$workers" >"$out/server.out" 2>"$out/server.err" &
server=$!
trap 'kill -TERM $server 2>/dev/null || true' EXIT
for _ in $(seq 100); do
  grep -q '^listening' "$out/server.out" 2>/dev/null && break
  sleep 0.05
done
port=$(sed -n 's/^listening on [0-9.]*:\([0-9]*\) .*/\1/p' "$out/server.out")
[ -n "$port" ] || { echo "demo: the server did not start"; cat "$out/server.err"; exit 1; }
echo "demo: server on 127.0.0.1:$port, $workers workers; $threads client threads for ${secs}s"

status=0
"$bin/baton-prefork-client" -p "$port" -n 1000000 -c "$threads" -m 4 \
    -t "$secs" -P >"$out/client.out" 2>"$out/client.err" || status=$?
tr '\r' '\n' <"$out/client.err" | grep -v '^progress' | head -5 || true
kill -TERM "$server"
wait "$server" || true
trap - EXIT

client=$(cat "$out/client.out")
master=$(grep '^master:' "$out/server.out" | tail -1)
field() { sed -n "s/.* $1 \([0-9.]*\).*/\1/p" <<<"$2"; }
echo
echo "================ Baton prefork demo ================"
echo "connections:        $(field connections "$client") (ok $(field ok "$client"), failed $(field failed "$client"))"
echo "handshakes:         $(field handshakes "$master") (failed $(field failed-handshakes "$master"))"
echo "handoffs:           $(field handoffs "$master") (failed $(field failed-handoffs "$master")); per worker:$(sed -n 's/.*per-worker//p' <<<"$master")"
echo "messages:           $(field messages "$client") wrapped request/reply pairs"
echo "errors:             client $(field failed "$client"), master $(grep -c 'closing connection\|failed' "$out/server.err" || true)"
echo "throughput:         $(field rate "$client") connections/s, $(sed -n 's/.* \([0-9]*\) messages\/s.*/\1/p' <<<"$client") messages/s"
echo "context token:      $(field token-bytes "$master") bytes, sealed (AES-256-GCM), policy uid, key source user"
echo "worker respawns:    $(field respawns "$master")"
echo "===================================================="

# The HTTP mode: its own server, on the HTTP/localhost key.
http_demo() {
  local hs port line
  KRB5_KTNAME=FILE:$BATON_SERVICE2_KEYTAB "$bin/baton-prefork-server" -H -w 2 \
      >"$out/http-server.out" 2>"$out/http-server.err" &
  hs=$!
  trap 'kill -TERM $hs 2>/dev/null || true' EXIT
  for _ in $(seq 100); do
    grep -q '^listening' "$out/http-server.out" 2>/dev/null && break
    sleep 0.05
  done
  port=$(sed -n 's/^listening on [0-9.]*:\([0-9]*\) .*/\1/p' "$out/http-server.out")
  [ -n "$port" ] || { echo "demo: the HTTP server did not start"; return 1; }
  echo
  echo "============ HTTP Negotiate (server -H) ============"
  echo "master pid $hs; baton-negotiate-client --second-choice:"
  "$bin/baton-negotiate-client" -p "$port" --second-choice -r 2 \
      >"$out/http-client.out" 2>&1 || status=1
  sed 's/^/  /' "$out/http-client.out"
  if command -v curl >/dev/null; then
    line=$(curl -q -sS --negotiate -u : --noproxy '*' --max-time 10 \
           --resolve "localhost:$port:127.0.0.1" "http://localhost:$port/" 2>&1) ||
      status=1
    echo "curl --negotiate:"
    echo "  $line"
  fi
  echo "===================================================="
  kill -TERM "$hs"
  wait "$hs" || true
  trap - EXIT
}
http_demo || status=1
exit "$status"
