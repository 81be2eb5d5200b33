#!/usr/bin/env bash
# The prefork example under faults and load (run inside a realm):
#   1. load: thousands of connections from concurrent clients, bounded in
#      count and time: zero failures, every connection handed off;
#   2. fault: the worker serving a client is killed with SIGKILL mid-session:
#      that client gets a clean error, the master respawns the worker, other
#      clients are unaffected, and the master leaks no descriptor.
#   prefork_test.sh BIN_DIR
set -uo pipefail
bin=${1:?usage: prefork_test.sh BIN_DIR}
out=$BATON_REALM_DIR/prefork-test
mkdir -p "$out"
export BATON_RUNTIME_DIR=$out/runtime
# shellcheck source=prefork_lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/prefork_lib.sh"

trap 'kill -KILL $server 2>/dev/null' EXIT
server_start "$out/server.out" "$out/server.err" \
    "$bin/baton-prefork-server" -w 3 || { notok "server started"; exit 1; }
stats() { server_stats "$out/server.out"; }

# Warm up once, then take the master's descriptor count as the baseline.
"$bin/baton-prefork-client" -p "$port" -n 3 >/dev/null 2>&1
before=$(stats)
fds_before=$(field open-fds "$before")

# 1. Load: 3000 connections, 8 threads, at most 60 s.
"$bin/baton-prefork-client" -p "$port" -n 3000 -c 8 -m 2 -t 60 \
    >"$out/load.out" 2>"$out/load.err"
rc=$?
load=$(cat "$out/load.out")
echo "# $load"
check '[ $rc -eq 0 ]' "load: client exit status 0"
check '[ "$(field ok "$load")" = 3000 ] && [ "$(field failed "$load")" = 0 ]' \
      "load: 3000 connections, 0 failed"
after=$(stats)
echo "# $after"
check '[ $(( $(field handoffs "$after") - $(field handoffs "$before") )) -eq 3000 ]' \
      "load: 3000 handoffs to workers"

# 2. Fault: a slow session; kill its worker after the first reply.
"$bin/baton-prefork-client" -p "$port" -n 1 -m 5 -W 400 -v \
    >"$out/victim.out" 2>"$out/victim.err" &
victim=$!
for _ in $(seq 100); do grep -q 'worker' "$out/victim.out" 2>/dev/null && break; sleep 0.05; done
wpid=$(sed -n 's/.*(worker \([0-9]*\)).*/\1/p' "$out/victim.out" | head -1)
check '[ -n "$wpid" ] && kill -0 "$wpid"' "fault: found the worker serving the session ($wpid)"
# Other clients run while the worker dies.
"$bin/baton-prefork-client" -p "$port" -n 300 -c 4 -m 2 -t 60 \
    >"$out/others.out" 2>"$out/others.err" &
others=$!
kill -KILL "$wpid"
wait "$victim"; vrc=$?
check '[ $vrc -ne 0 ] && grep -q "connection closed" "$out/victim.err"' \
      "fault: the victim client got a clean error: $(head -1 "$out/victim.err")"
check '! grep -qi "segmentation\|abort" "$out/victim.err"' "fault: no crash in the client"
wait "$others"; orc=$?
check '[ $orc -eq 0 ] && grep -q "ok 300 failed 0" "$out/others.out"' \
      "fault: 300 other connections unaffected"
"$bin/baton-prefork-client" -p "$port" -n 30 -c 3 >/dev/null 2>&1
check '[ $? -eq 0 ]' "fault: the server still serves after the respawn"
end=$(stats)
echo "# $end"
check '[ "$(field respawns "$end")" -ge 1 ]' "fault: the master respawned the worker"
check '[ "$(field open-fds "$end")" = "$fds_before" ]' \
      "master descriptors: $fds_before before, $(field open-fds "$end") after"
grep -q 'died (signal 9)' "$out/server.err" && ok "master logged the death" || notok "master logged the death"

kill -TERM "$server"; wait "$server"; trap - EXIT
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
