#!/usr/bin/env bash
# The prefork master's handshakes run side by side (run inside a realm): a
# client that connects and then sends nothing, or half a message, must not
# hold up anyone else.  In each mode, with 3 workers:
#   1. open 8 silent connections and a few that stop halfway (framed: a
#      frame's length and 10 of its 200 bytes; HTTP: a header block
#      without its blank line);
#   2. while they stay open, 5 normal clients in a row must each be served
#      within 1.5 s;
#   3. the master closes the stalled ones once their handshake deadline
#      (5 s) has passed - not before 4 s, all within 8 s - and counts each
#      as a failed handshake.
# A master that runs one handshake at a time, blocking for up to 5 s on
# each, fails 2 (every probe waits behind the stalled connections) and 3.
#   prefork_slowloris_test.sh BIN_DIR
set -uo pipefail
bin=${1:?usage: prefork_slowloris_test.sh BIN_DIR}
out=$BATON_REALM_DIR/prefork-slowloris-test
mkdir -p "$out"
export BATON_RUNTIME_DIR=$out/runtime
silent=8 probes=5 limit_ms=1500 min_ms=4000 max_ms=8000
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

# stop_server: SIGTERM, and SIGKILL if the master does not exit in 3 s
# (a master stuck in a handshake has its signals blocked).
stop_server() {
    kill -TERM "$server"
    for _ in $(seq 60); do
        kill -0 "$server" 2>/dev/null || break
        sleep 0.05
    done
    kill -KILL "$server" 2>/dev/null
    wait "$server" 2>/dev/null
    server=
}

# stats MODE: the master's statistics line, fresh.
stats() { server_stats "$out/$1-server.out"; }

# wait_closed FD SECONDS: reads FD until the server closes it (EOF or
# reset: status 0) or SECONDS pass without a byte (status 1).
wait_closed() {
    local rc=0
    while [ $rc -eq 0 ]; do
        IFS= read -r -t "$2" -u "$1" _
        rc=$?
    done
    [ $rc -le 128 ]
}

# run MODE PROBE HALF: stalled connections (silent, and 3 of them sending
# the printf %b text HALF), then PROBE FILE (3 s at most), timed, 5 times.
run() {
    local mode=$1 probe=$2 half=$3 nhalf=3 fds=() fd t0 t1 rc slow=0
    local before after open=0 closed=0 early=0 late=0 first= last= t
    before=$(stats "$mode")
    t0=$(now_ms)
    for _ in $(seq $((silent + nhalf))); do
        exec {fd}<>"/dev/tcp/127.0.0.1/$port" && fds+=("$fd")
    done
    for fd in "${fds[@]:0:$nhalf}"; do printf '%b' "$half" >&"$fd"; done
    check '[ ${#fds[@]} -eq $((silent + nhalf)) ]' \
          "$mode: $silent silent and $nhalf half-sent connections open"
    sleep 0.2
    for i in $(seq "$probes"); do
        t=$(now_ms)
        $probe "$out/$mode-probe$i"
        rc=$? t1=$(now_ms)
        echo "# $mode: probe $i: exit $rc in $((t1 - t)) ms"
        [ $rc -eq 0 ] && [ $((t1 - t)) -lt $limit_ms ] || slow=$((slow + 1))
    done
    check '[ $slow -eq 0 ]' \
          "$mode: $probes clients in a row each served within $limit_ms ms ($slow not)"
    for fd in "${fds[@]}"; do
        read -r -t 0 -u "$fd" || open=$((open + 1))
    done
    check '[ $open -eq ${#fds[@]} ]' \
          "$mode: the stalled connections were still open meanwhile ($open of ${#fds[@]})"
    # Each stalled connection must see the server close it.
    for fd in "${fds[@]}"; do
        t=$(( (max_ms - ($(now_ms) - t0)) / 1000 + 1 ))
        [ $t -lt 1 ] && t=1
        wait_closed "$fd" "$t"
        rc=$? t1=$(($(now_ms) - t0))
        if [ $rc -ne 0 ] || [ $t1 -gt $max_ms ]; then
            late=$((late + 1))
        else
            closed=$((closed + 1))
            [ $t1 -lt $min_ms ] && early=$((early + 1))
            [ -z "$first" ] && first=$t1
            last=$t1
        fi
        exec {fd}>&-
    done
    echo "# $mode: stalled connections closed by the server from ${first:-?} to ${last:-?} ms after they opened"
    check '[ $closed -eq ${#fds[@]} ] && [ $early -eq 0 ]' \
          "$mode: all ${#fds[@]} closed by the server between $min_ms and $max_ms ms ($late not within $max_ms ms, $early early)"
    after=$(stats "$mode")
    echo "# $mode: $after"
    check '[ $(( $(field failed-handshakes "$after") - $(field failed-handshakes "$before") )) -eq ${#fds[@]} ]' \
          "$mode: ${#fds[@]} failed handshakes counted ($(field failed-handshakes "$before") before, $(field failed-handshakes "$after") after)"
    check '[ $(( $(field handshakes "$after") - $(field handshakes "$before") )) -eq $probes ]' \
          "$mode: $probes handshakes counted"
    check 'grep -q "closing connection: .*within" "$out/$mode-server.err"' \
          "$mode: the master logged the deadline"
}

# 1. Framed: half a frame is a length of 200 and 10 bytes.
framed_probe() {
    timeout 3 "$bin/baton-prefork-client" -p "$port" -n 1 -m 1 \
        >"$1.out" 2>"$1.err"
}
if start_server framed "$bin/baton-prefork-server"; then
    "$bin/baton-prefork-client" -p "$port" -n 3 >/dev/null 2>&1   # warm up
    run framed framed_probe '\x00\x00\x00\xc8abcdefghij'
    stop_server
else
    notok "framed: server started"
fi

# 2. HTTP: half a header block.
http_probe() {
    timeout 3 "$bin/baton-negotiate-client" -p "$port" >"$1.out" 2>"$1.err"
}
if KRB5_KTNAME=FILE:$BATON_SERVICE2_KEYTAB \
       start_server http "$bin/baton-prefork-server" -H; then
    "$bin/baton-negotiate-client" -p "$port" >/dev/null 2>&1      # warm up
    run http http_probe 'GET / HTTP/1.1\r\nHost: localhost\r\n'
    stop_server
else
    notok "http: server started"
fi
trap - EXIT
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
