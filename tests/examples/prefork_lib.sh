# prefork_lib.sh - sourced by the prefork example's tests: "ok"/"not ok"
# counting, a server started in the background with its port read from its
# "listening" line, and the master's statistics line.
# shellcheck shell=bash

pass=0 fail=0
ok() { echo "ok - $*"; pass=$((pass + 1)); }
notok() { echo "not ok - $*"; fail=$((fail + 1)); }
check() { if eval "$1"; then ok "$2"; else notok "$2 ($1)"; fi; }
now_ms() { echo $(($(date +%s%N) / 1000000)); }

# server_start OUT ERR CMD...: runs CMD in the background (server=PID),
# waits up to 5 s for its "listening" line in OUT and sets port; false if
# none came.
server_start() {
    local o=$1 e=$2
    shift 2
    "$@" >"$o" 2>"$e" &
    server=$!
    port=
    for _ in $(seq 100); do
        grep -q '^listening' "$o" && break
        sleep 0.05
    done
    port=$(sed -n 's/^listening on [0-9.]*:\([0-9]*\) .*/\1/p' "$o")
    [ -n "$port" ]
}

# server_stats OUT: the master's statistics line, fresh (SIGUSR1 prints it
# into OUT).
server_stats() {
    local n f=$1
    n=$(grep -c '^master:' "$f")
    kill -USR1 "$server"
    for _ in $(seq 100); do
        [ "$(grep -c '^master:' "$f")" -gt "$n" ] && break
        sleep 0.02
    done
    grep '^master:' "$f" | tail -1
}

# field NAME LINE: the number after NAME in a statistics line.
field() { sed -n "s/.* $1 \([0-9]*\).*/\1/p" <<<"$2"; }
