#!/usr/bin/env bash
# The prefork master dispatches only to idle workers (run inside a realm).
# With 3 workers, 2 are held busy by slow clients that authenticate and
# then send nothing for 4 s; 3 short connections in a row must then all be
# served by the third, idle, worker, well before the slow clients go on
# (within 2 s).  A master that picks workers in turn and waits for the
# chosen one stalls on a busy worker for the rest of its hold.
# Both modes:
#   1. framed: the holders are baton-prefork-client -W (a pause after
#      "whoami");
#   2. HTTP (-H): the holders are keep-alive connections, idle between
#      their first and second request (baton-negotiate-client -r 2 -W).
#   prefork_idle_test.sh BIN_DIR
set -uo pipefail
bin=${1:?usage: prefork_idle_test.sh BIN_DIR}
out=$BATON_REALM_DIR/prefork-idle-test
mkdir -p "$out"
export BATON_RUNTIME_DIR=$out/runtime
hold_ms=4000 limit_ms=2000
# shellcheck source=prefork_lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/prefork_lib.sh"
server=
trap '[ -n "$server" ] && kill -KILL $server 2>/dev/null' EXIT

# start_server MODE ARGS...: the server, 3 workers; sets server and port.
start_server() {
    local mode=$1
    shift
    server_start "$out/$mode-server.out" "$out/$mode-server.err" "$@" -w 3
}

# wait_for FILE PATTERN: up to 10 s for PATTERN in FILE.
wait_for() {
    for _ in $(seq 200); do
        grep -q "$2" "$1" 2>/dev/null && return 0
        sleep 0.05
    done
    return 1
}

# run MODE HOLD PROBE READY: two holders (HOLD FILE), each in turn until
# FILE.out shows READY (served and now idle), then three probes (PROBE
# FILE) in a row, timed.
run() {
    local mode=$1 hold=$2 probe=$3 h1 h2 t0 t1 rc=0 hrc held probed
    $hold "$out/$mode-hold1" &
    h1=$!
    wait_for "$out/$mode-hold1.out" "$4" || notok "$mode: holder 1 served"
    $hold "$out/$mode-hold2" &
    h2=$!
    wait_for "$out/$mode-hold2.out" "$4" || notok "$mode: holder 2 served"
    t0=$(now_ms)
    for i in 1 2 3; do
        $probe "$out/$mode-probe$i" || rc=1
    done
    t1=$(now_ms)
    echo "# $mode: 3 connections in $((t1 - t0)) ms while 2 of 3 workers are held for $hold_ms ms"
    check '[ $rc -eq 0 ]' "$mode: the 3 connections succeeded"
    check '[ $((t1 - t0)) -lt $limit_ms ]' \
          "$mode: served in $((t1 - t0)) ms (< $limit_ms ms, holders busy $hold_ms ms)"
    held=$(workers_of "$out/$mode"-hold?.out)
    probed=$(workers_of "$out/$mode"-probe?.out)
    check '[ -n "$probed" ] && [ -z "$(comm -12 <(echo "$held") <(echo "$probed"))" ]' \
          "$mode: probes served by worker(s) $(echo $probed), not the holders' ($(echo $held))"
    wait "$h1" && wait "$h2"
    hrc=$?
    check '[ $hrc -eq 0 ]' "$mode: the holders finished without error"
}
# workers_of FILES...: the worker PIDs the replies name, sorted.
workers_of() { cat "$@" | sed -n 's/.*(worker \([0-9]*\).*/\1/p' | sort -u; }

# 1. Framed.
framed_hold() {
    "$bin/baton-prefork-client" -p "$port" -n 1 -m 1 -W "$hold_ms" -v \
        >"$1.out" 2>"$1.err"
}
framed_probe() {
    "$bin/baton-prefork-client" -p "$port" -n 1 -m 1 -v >"$1.out" 2>"$1.err"
}
if start_server framed "$bin/baton-prefork-server"; then
    "$bin/baton-prefork-client" -p "$port" -n 3 >/dev/null 2>&1   # warm up
    run framed framed_hold framed_probe "^reply: you are"
    kill -TERM "$server"; wait "$server"
else
    notok "framed: server started"
fi
server=

# 2. HTTP keep-alive.
http_hold() {
    "$bin/baton-negotiate-client" -p "$port" -r 2 -W "$hold_ms" \
        >"$1.out" 2>"$1.err"
}
http_probe() {
    "$bin/baton-negotiate-client" -p "$port" >"$1.out" 2>"$1.err"
}
if KRB5_KTNAME=FILE:$BATON_SERVICE2_KEYTAB \
       start_server http "$bin/baton-prefork-server" -H; then
    "$bin/baton-negotiate-client" -p "$port" >/dev/null 2>&1      # warm up
    run http http_hold http_probe "^request 1: HTTP 200"
    kill -TERM "$server"; wait "$server"
else
    notok "http: server started"
fi
server=
trap - EXIT
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
