#!/usr/bin/env bash
# The prefork server's HTTP Negotiate mode (baton-prefork-server -H), run
# inside a realm.  The master takes the first SPNEGO acceptor step of each
# connection and hands the context, complete or mid-negotiation, to a
# worker.  Cases:
#   1. MIT curl --negotiate: 200, user@REALM, served by a worker (a child of
#      the master, not the master), negotiation completed by the master;
#   2. the same curl on Baton's compat library (LD_DEBUG shows which
#      libgssapi_krb5.so.2 it initialised; Baton's exports baton_version);
#   3. baton-negotiate-client --second-choice: three rounds (401, 401, 200),
#      the negotiation finished by the worker that serves, not the master;
#   4. no ticket: 401 with a bare "WWW-Authenticate: Negotiate";
#   5. garbage (not base64, not a GSS token, malformed request, oversized
#      header block): 400/401/431 and the server keeps serving;
#   6. keep-alive: a second request without Authorization is served under
#      the connection's identity by the same worker; curl's second URL on a
#      reused connection (a new token) is negotiated by the worker;
#   7. a worker holding a context mid-negotiation is killed with SIGKILL:
#      that client gets a clean error, the master respawns the worker and
#      keeps serving, and leaks no descriptor.
#   negotiate_test.sh BIN_DIR COMPAT_DIR
set -uo pipefail
usage="usage: negotiate_test.sh BIN_DIR COMPAT_DIR"
bin=${1:?$usage}
compat=${2:?$usage}
out=$BATON_REALM_DIR/negotiate-test
mkdir -p "$out"
export BATON_RUNTIME_DIR=$out/runtime
# shellcheck source=prefork_lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/prefork_lib.sh"
finish() { echo "$pass passed, $fail failed"; [ "$fail" -eq 0 ]; exit; }

curl=$(command -v curl) || { notok "curl is installed (apt-get install curl)"; finish; }
lib=$compat/libgssapi_krb5.so.2
grep -q baton_version "$lib" 2>/dev/null || { notok "$lib is Baton's library"; finish; }
# A sanitizer build's compat library needs its runtime preloaded in curl.
asan=$(ldd "$lib" 2>/dev/null | awk '$1 ~ /^libasan\.so/ {print $3}')

# curl asks for HTTP@localhost: the server's keytab is the HTTP one.
trap 'kill -KILL $server 2>/dev/null' EXIT
server_start "$out/server.out" "$out/server.err" \
    env KRB5_KTNAME="FILE:$BATON_SERVICE2_KEYTAB" \
    "$bin/baton-prefork-server" -H -w 3
master=$(sed -n 's/.* http master \([0-9]*\)$/\1/p' "$out/server.out")
[ -n "$port" ] && [ "$master" = "$server" ] || { notok "server started in HTTP mode"; finish; }
url=http://localhost:$port/

stats() { server_stats "$out/server.out"; }
# body_of FILE: "USER WORKER NEGOTIATOR" from the last "you are" line.
body_of() {
    sed -n 's/.*you are \([^ ]*\) (worker \([0-9]*\), negotiated by \([0-9]*\)).*/\1 \2 \3/p' "$1" | tail -1
}
parent_of() { awk '{print $4}' "/proc/$1/stat" 2>/dev/null; }

# run_curl NAME LIB CCACHE ARGS...: curl on LIB (mit or baton) with the
# ccache; writes NAME.{status,body,headers,err} and NAME.ld.* (LD_DEBUG).
run_curl() {
    local name=$1 side=$2 cc=$3
    local -a env=(env -u LD_PRELOAD -u LD_LIBRARY_PATH -u http_proxy
        -u HTTP_PROXY -u all_proxy -u ALL_PROXY KRB5CCNAME="FILE:$cc"
        KRB5_CLIENT_KTNAME="FILE:$out/no-client-keytab"
        LD_DEBUG=libs LD_DEBUG_OUTPUT="$out/$name.ld")
    shift 3
    [ "$side" = baton ] && env+=(LD_LIBRARY_PATH="$compat"
        ${asan:+LD_PRELOAD=$asan ASAN_OPTIONS=detect_leaks=0})
    rm -f "$out/$name".*
    "${env[@]}" "$curl" -q -sS -v --noproxy '*' --max-time 10 \
        --resolve "localhost:$port:127.0.0.1" -D "$out/$name.headers" \
        -o "$out/$name.body" -w '%{http_code}' "$@" \
        >"$out/$name.status" 2>"$out/$name.err"
}
# gss_lib NAME: the libgssapi_krb5.so.2 that curl run NAME initialised.
gss_lib() {
    cat "$out/$1".ld.* 2>/dev/null |
        sed -n 's/.*calling init: \(.*\/libgssapi_krb5\.so\.2[0-9.]*\)$/\1/p' | sort -u
}
status_of() { cat "$out/$1.status" 2>/dev/null; }

cp "${KRB5CCNAME#FILE:}" "$out/tgt.ccache"

# 1. MIT curl.
run_curl mit mit "$out/tgt.ccache" --negotiate -u : "$url"
read -r user worker by <<<"$(body_of "$out/mit.body")"
echo "# mit curl: $(cat "$out/mit.body" 2>/dev/null)"
l=$(gss_lib mit)
check '[ -n "$l" ] && ! grep -q baton_version "$l"' "mit curl ran on MIT's library ($l)"
check '[ "$(status_of mit)" = 200 ] && [ "$user" = "$BATON_USER" ]' \
      "mit curl: 200 for $BATON_USER"
check '[ -n "$worker" ] && [ "$worker" != "$master" ] && [ "$(parent_of "$worker")" = "$master" ]' \
      "mit curl: served by worker $worker, a child of master $master"
check '[ "$by" = "$master" ]' "mit curl: one round, completed by the master ($by)"
check 'grep -qi "^WWW-Authenticate: Negotiate [A-Za-z0-9+/]" "$out/mit.headers"' \
      "mit curl: the 200 carries the final token"

# 2. The same curl on Baton.
run_curl baton baton "$out/tgt.ccache" --negotiate -u : "$url"
read -r user worker by <<<"$(body_of "$out/baton.body")"
echo "# baton curl: $(cat "$out/baton.body" 2>/dev/null)"
l=$(gss_lib baton)
check '[ "$l" = "$(readlink -f "$lib")" ] || [ "$(readlink -f "$l")" = "$(readlink -f "$lib")" ]' \
      "baton curl initialised $lib (${l:-nothing})"
check 'grep -q baton_version "$l"' "the library curl ran on exports baton_version"
check '[ "$(status_of baton)" = 200 ] && [ "$user" = "$BATON_USER" ]' \
      "baton curl: 200 for $BATON_USER"
check '[ -n "$worker" ] && [ "$worker" != "$master" ] && [ "$(parent_of "$worker")" = "$master" ]' \
      "baton curl: served by worker $worker, not the master"

# 3. Three rounds: the worker finishes what the master began.
"$bin/baton-negotiate-client" -p "$port" --second-choice \
    >"$out/second.out" 2>"$out/second.err"
rc=$?
sed 's/^/# /' "$out/second.out"
read -r user worker by <<<"$(body_of "$out/second.out")"
check '[ $rc -eq 0 ] && grep -q "^authenticated in 3 rounds" "$out/second.out"' \
      "second choice: client exit 0, 3 rounds"
check 'grep -q "^round 1: .*HTTP 401, reply token" "$out/second.out" &&
       grep -q "^round 2: .*HTTP 401, reply token" "$out/second.out" &&
       grep -q "^round 3: client COMPLETE.*HTTP 200" "$out/second.out"' \
      "second choice: 401 (request-mic), 401 (AP-REP + MIC), 200"
check '[ "$user" = "$BATON_USER" ] && [ -n "$by" ] && [ "$by" = "$worker" ] && [ "$by" != "$master" ]' \
      "second choice: negotiation finished by worker $by, not master $master"

# 4. No ticket: curl sends no token; the server asks for one.
run_curl noticket-mit mit "$out/no-such-ccache" --negotiate -u : "$url"
check '[ "$(status_of noticket-mit)" = 401 ] &&
       grep -qix "WWW-Authenticate: Negotiate.\?" "$out/noticket-mit.headers"' \
      "no ticket, mit curl: 401 with WWW-Authenticate: Negotiate"
: >"$out/empty.ccache"
run_curl noticket-baton baton "$out/empty.ccache" --negotiate -u : "$url"
check '[ "$(status_of noticket-baton)" = 401 ]' "no ticket (empty ccache), baton curl: 401"
KRB5CCNAME=FILE:$out/empty.ccache KRB5_CLIENT_KTNAME=FILE:$out/none \
    "$bin/baton-negotiate-client" -p "$port" >"$out/noticket.out" 2>&1
check '[ $? -ne 0 ] && ! grep -q "HTTP 200" "$out/noticket.out"' \
      "no ticket, baton-negotiate-client: refused without a 200"

# 5. Garbage.
run_curl b64 mit "$out/tgt.ccache" -H 'Authorization: Negotiate !!not*base64' "$url"
check '[ "$(status_of b64)" = 400 ]' "not base64: 400"
run_curl tok mit "$out/tgt.ccache" -H 'Authorization: Negotiate YWJjZGVmZ2g=' "$url"
check '[ "$(status_of tok)" = 401 ] && grep -q "^authentication failed: .*token" "$out/tok.body"' \
      "not a GSS token: 401, body: $(head -1 "$out/tok.body")"
# raw TEXT: the status line of the server's answer to TEXT (printf %b).
raw() {
    local line fd
    exec {fd}<>"/dev/tcp/127.0.0.1/$port" || return 1
    printf '%b' "$1" >&"$fd"
    IFS= read -r -t 5 line <&"$fd"
    exec {fd}>&-
    echo "${line%$'\r'}"
}
check '[ "$(raw "GARBAGE\r\n\r\n")" = "HTTP/1.1 400 Bad Request" ]' "malformed request line: 400"
check '[ "$(raw "GET / HTTP/1.1\nHost: x\n\n")" = "HTTP/1.1 400 Bad Request" ]' "bare LF: 400"
big=$(head -c 17000 /dev/zero | tr '\0' a)
check '[ "$(raw "GET / HTTP/1.1\r\nHost: x\r\nX-Big: $big\r\n\r\n")" = "HTTP/1.1 431 Request Header Fields Too Large" ]' \
      "header block over 16 KiB: 431"
run_curl after mit "$out/tgt.ccache" --negotiate -u : "$url"
check 'kill -0 "$master" && [ "$(status_of after)" = 200 ]' "after the garbage: master alive, next request 200"

# 6. Keep-alive.
"$bin/baton-negotiate-client" -p "$port" -r 2 >"$out/keep.out" 2>"$out/keep.err"
rc=$?
sed 's/^/# /' "$out/keep.out"
w1=$(sed -n 's/^request 1: HTTP 200: .*(worker \([0-9]*\),.*/\1/p' "$out/keep.out")
w2=$(sed -n 's/^request 2 (no Authorization): HTTP 200: .*(worker \([0-9]*\),.*/\1/p' "$out/keep.out")
check '[ $rc -eq 0 ] && [ -n "$w1" ] && [ "$w1" = "$w2" ]' \
      "keep-alive: second request without Authorization served by the same worker ($w1, $w2)"
# (curl pairs a second -o with the second URL.)
run_curl two baton "$out/tgt.ccache" --negotiate -u : "$url" -o "$out/two.body2" "$url"
check 'grep -q "Re-using existing connection" "$out/two.err" && [ "$(status_of two)" = 200200 ] &&
       grep -q "you are $BATON_USER" "$out/two.body2"' "keep-alive: curl, two URLs, one connection, 200 twice"
read -r user worker by <<<"$(body_of "$out/two.body2")"
check '[ -n "$by" ] && [ "$by" = "$worker" ]' \
      "keep-alive: curl's new token on the connection is negotiated by the worker ($by)"

# 7. SIGKILL to the worker holding a context mid-negotiation.
before=$(stats)
"$bin/baton-negotiate-client" -p "$port" --second-choice -W 1500 \
    >"$out/victim.out" 2>"$out/victim.err" &
victim=$!
for _ in $(seq 100); do grep -q '^round 1:' "$out/victim.out" && break; sleep 0.02; done
holder=
for _ in $(seq 100); do
    holder=$(ss -Htnp state established "( sport = :$port )" |
             sed -n 's/.*pid=\([0-9]*\).*/\1/p' | sort -u)
    [ -n "$holder" ] && [ "$holder" != "$master" ] && break
    sleep 0.02
done
check '[ -n "$holder" ] && [ "$(parent_of "$holder")" = "$master" ]' \
      "fault: worker $holder holds the connection after round 1 (a partial context)"
kill -KILL "$holder" 2>/dev/null
wait "$victim"; vrc=$?
check '[ $vrc -ne 0 ] && grep -q "no reply (connection closed)" "$out/victim.err"' \
      "fault: the client got a clean error: $(head -1 "$out/victim.err")"
for i in $(seq 6); do
    "$bin/baton-negotiate-client" -p "$port" --second-choice >"$out/after.$i" 2>&1 || break
done
check '[ $i -eq 6 ] && grep -q "^request 1: HTTP 200" "$out/after.6"' \
      "fault: 6 more three-round negotiations succeed"
end=$(stats)
echo "# $end"
check 'grep -q "worker $holder died (signal 9)" "$out/server.err"' "fault: the master logged the death"
check '[ "$(field respawns "$end")" -ge 1 ] && [ "$(field open-fds "$end")" = "$(field open-fds "$before")" ]' \
      "fault: respawned; master descriptors $(field open-fds "$before") before, $(field open-fds "$end") after"

kill -TERM "$server"; wait "$server"; trap - EXIT
finish
