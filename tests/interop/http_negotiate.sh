#!/bin/bash
# http_negotiate.sh COMPAT_DIR [REALM_SH]
#
# interop_http_negotiate: HTTP Negotiate (RFC 4559, SPNEGO as browsers use
# it) between two programs nobody here wrote, each linked against MIT's
# libgssapi_krb5.so.2 and run either on it ("mit") or on Baton's compat
# library ("baton", LD_LIBRARY_PATH=COMPAT_DIR):
#
#   client: Debian's curl --negotiate -u : (libcurl -> libgssapi_krb5.so.2)
#   server: Debian's apache2 + mod_auth_gssapi (AuthType GSSAPI,
#           GssapiAllowedMech krb5, which the module turns into SPNEGO
#           offering krb5), a private instance: own ServerRoot and config
#           in the realm's temp dir, Listen 127.0.0.1:<free port>, -X (one
#           process, foreground); /etc/apache2 and the system service are
#           never touched.
#
#   server in {mit, baton} x client in {mit, baton}   (mit x mit = control)
#   x  ticket     the user's TGT in the ccache -> 200, the known body, and
#                 httpd logged REMOTE_USER user@BATON.TEST
#      no-ticket  KRB5CCNAME names a file that does not exist, no client
#                 keytab (see run_curl for why not an empty file)
#                 -> 401 with "WWW-Authenticate: Negotiate", no user logged
#      runtime    each program really ran on the library its side claims:
#                 curl's LD_DEBUG=libs log (both of its runs) names the
#                 libgssapi_krb5.so.2 it initialised, /proc/PID/maps of
#                 httpd the one it mapped; Baton's exports baton_version,
#                 MIT's does not.  httpd survived every request.
#
# The runtime line is never a known failure, so a case cannot quietly run
# MIT on both sides.
#
# Without REALM_SH the script must already run in a realm (realm.sh run --
# ...); with it, the script re-executes itself in a fresh one.  Exit 77
# (skip) only when apache2 or mod_auth_gssapi is not installed.
#
# As root, httpd runs as nobody (httpd refuses to serve as root): its files
# are handed to nobody and the realm dir becomes traversable (0711).
#
# Output: "ok - client=X server=Y CASE" / "not ok - ..." per case (details
# as "#" lines), then "N passed, M failed" (interop_lib.sh).
set -uo pipefail

usage="usage: http_negotiate.sh COMPAT_DIR [REALM_SH]"
compat_in=${1:?$usage}
realm_sh=${2:-}
self=$(readlink -f "${BASH_SOURCE[0]}")
here=$(dirname "$self")
PATH=$PATH:/usr/sbin:/sbin

apache=$(command -v apache2 || true)
moddir=/usr/lib/apache2/modules
modules="mpm_prefork authn_core authz_core authz_user auth_gssapi"
missing=
[ -n "$apache" ] || missing="$missing apache2"
for m in $modules; do
    [ -f "$moddir/mod_$m.so" ] || missing="$missing $moddir/mod_$m.so"
done
if [ -n "$missing" ]; then
    echo "# SKIP: not installed:$missing (apt-get install --no-install-recommends apache2 libapache2-mod-auth-gssapi)"
    exit 77
fi

if [ -z "${BATON_REALM_DIR:-}" ]; then
    [ -n "$realm_sh" ] || { echo "not ok - not in a realm and no REALM_SH given ($usage)"; exit 2; }
    exec bash "$realm_sh" run -- bash "$self" "$compat_in"
fi

# ---------------------------------------------------------------- in the realm
# shellcheck source=interop_lib.sh
. "$here/interop_lib.sh"

# Known Baton bugs; see interop_lib.sh.  Patterns match the case names.
# (Before SPNEGO, commit 822a0e6, the three Baton "ticket" cases failed:
# curl's gss_init_sec_context for SPNEGO got GSS_S_BAD_MECH, and
# mod_auth_gssapi's gss_set_neg_mechs got GSS_S_UNAVAILABLE.)
# shellcheck disable=SC2034  # read by io_result
KNOWN_FAILURES=(
)

curl=$(command -v curl) || { echo "not ok - curl not found (apt-get install curl)"; exit 1; }
curl_v=$("$curl" -V 2>&1)
grep -Eq '^Features:.* (GSS-API|SPNEGO)( |$)' <<<"$curl_v" ||
    { echo "not ok - $curl has no GSS-API support:"; while IFS= read -r l; do echo "#   $l"; done <<<"$curl_v"; exit 1; }
lib_in=$(readlink -f "$compat_in/libgssapi_krb5.so.2")
[ -f "$lib_in" ] || { echo "not ok - no $compat_in/libgssapi_krb5.so.2"; exit 1; }
command -v nm >/dev/null || { echo "not ok - nm not found (apt-get install binutils)"; exit 1; }

# exports_baton LIB: LIB is Baton's library (it defines baton_version).
exports_baton() {
    nm -D --defined-only "$1" 2>/dev/null |
        awk '$NF ~ /^baton_version(@|$)/ {found = 1} END {exit !found}'
}
exports_baton "$lib_in" || { echo "not ok - $lib_in is not Baton's library (no baton_version)"; exit 1; }

T=10                  # seconds curl may take, and httpd to start or stop
user=$BATON_USER      # user@BATON.TEST
work=$BATON_REALM_DIR/http
hd=$work/httpd        # httpd's ServerRoot: everything httpd reads or writes
if ! mkdir -p "$work" "$hd"/{compat,htdocs/private,logs,run,rcache,baton-runtime} ||
    ! mkdir -m 700 "$work/baton-runtime-client"; then
    echo "not ok - cannot create $work"
    exit 1
fi

# A private copy: a rebuild of the build tree during the run must not swap
# the library under the cases (and httpd's user must be able to read it).
cp "$lib_in" "$hd/compat/libgssapi_krb5.so.2" || { echo "not ok - cannot copy $lib_in"; exit 1; }
compat=$hd/compat
lib=$compat/libgssapi_krb5.so.2
# A sanitizer build links the compat library with ASan: MIT-built programs
# must preload its runtime to load it.
preload=$(io_asan_preload "$lib")

# The HTTP/localhost key only (the realm's default keytab holds host/localhost).
cp "$BATON_SERVICE2_KEYTAB" "$hd/http.keytab" || { echo "not ok - cannot copy the HTTP keytab"; exit 1; }
cp "${KRB5_CONFIG%%:*}" "$hd/krb5.conf" || { echo "not ok - cannot copy krb5.conf"; exit 1; }
body="baton-http-negotiate $(od -An -tx1 -N8 /dev/urandom | tr -d ' \n')"
printf '%s\n' "$body" >"$hd/htdocs/private/secret.txt"
url_path=/private/secret.txt

# httpd serves as root only when rebuilt with -DBIG_SECURITY_HOLE; as root
# it runs as nobody instead, which must reach its files.
run_as=()
if [ "$(id -u)" = 0 ]; then
    run_as=(--reuid=nobody --regid="$(id -gn nobody 2>/dev/null || echo nogroup)" --clear-groups)
    if ! chmod 711 "$BATON_REALM_DIR" "$work" || ! chown -R nobody "$hd"; then
        echo "not ok - cannot hand $hd to nobody"
        exit 1
    fi
fi

# The port lock realm.sh takes to pick a KDC port: no KDC can start on our
# port while httpd starts (see realm.sh).
LOCK_FILE=${BATON_REALM_LOCK:-/tmp/baton-realm.$(id -u).lock}
PORT_MIN=20000 PORT_SPAN=12000

# ---------------------------------------------------------------- httpd
HTTPD_PID=
PORT=

write_conf() {
    local port=$1 m
    {
        echo "# generated by http_negotiate.sh"
        echo "ServerRoot \"$hd\""
        echo "ServerName localhost"
        echo "Listen 127.0.0.1:$port"
        echo "PidFile \"$hd/run/httpd.pid\""
        echo "DefaultRuntimeDir \"$hd/run\""
        echo "Mutex file:$hd/run default"
        for m in $modules; do
            echo "LoadModule ${m}_module $moddir/mod_$m.so"
        done
        cat <<EOF
Timeout $T
ErrorLog "$hd/logs/error.log"
LogLevel warn auth_gssapi:debug
# One line per request: the case (request header), status, REMOTE_USER.
LogFormat "case=%{X-Baton-Case}i status=%>s user=%u" baton
CustomLog "$hd/logs/access.log" baton
DocumentRoot "$hd/htdocs"
<Directory />
    Require all denied
    AllowOverride None
</Directory>
<Directory "$hd/htdocs">
    Require all granted
</Directory>
<Location /private>
    AuthType GSSAPI
    AuthName "Baton interop"
    GssapiCredStore keytab:$hd/http.keytab
    GssapiAllowedMech krb5
    Require valid-user
</Location>
EOF
    } >"$hd/httpd.conf"
}

port_in_use() {
    local out
    out=$(ss -Hantu "sport = :$1" 2>/dev/null) || return 0
    [ -n "$out" ]
}

# listening_pid PORT: the pid holding the TCP listener on 127.0.0.1:PORT.
listening_pid() {
    ss -Hltnp "sport = :$1" 2>/dev/null | sed -n 's/.*pid=\([0-9]*\).*/\1/p' | sort -u
}

# httpd_start SIDE: a private httpd on a free port, on MIT's library or
# Baton's; sets HTTPD_PID and PORT.  False (with the reason on stdout as
# "#" lines) when it could not be started.
httpd_start() {
    local side=$1 try i lockfd port pid started=0
    local -a env=(env -u LD_PRELOAD -u LD_LIBRARY_PATH -u LD_DEBUG -u LD_BIND_NOW
        KRB5_CONFIG="$hd/krb5.conf" KRB5RCACHEDIR="$hd/rcache"
        KRB5CCNAME="FILE:$hd/no-ccache" KRB5_KTNAME="FILE:$hd/no-keytab"
        KRB5_CLIENT_KTNAME="FILE:$hd/no-client-keytab"
        BATON_RUNTIME_DIR="$hd/baton-runtime")
    [ "$side" = baton ] && env+=(LD_LIBRARY_PATH="$compat"
        ${preload:+LD_PRELOAD=$preload ASAN_OPTIONS=detect_leaks=0:abort_on_error=1})
    exec {lockfd}>>"$LOCK_FILE" || { echo "# cannot open $LOCK_FILE"; return 1; }
    flock -w 30 "$lockfd" || { echo "# timed out waiting for $LOCK_FILE"; exec {lockfd}>&-; return 1; }
    for ((try = 1; try <= 10; try++)); do
        port=$((PORT_MIN + (RANDOM * 32768 + RANDOM) % PORT_SPAN))
        port_in_use "$port" && continue
        write_conf "$port"
        : >"$hd/logs/error.log"
        : >"$hd/logs/stdout.log"
        [ ${#run_as[@]} -gt 0 ] && chown nobody "$hd/httpd.conf" "$hd/logs/error.log"
        # -X: one process, in the foreground.  setpriv: as nobody when we
        # are root; --pdeathsig: httpd dies with this script even if it is
        # SIGKILLed (a ctest timeout) and cannot run its trap.
        "${env[@]}" setpriv "${run_as[@]}" --pdeathsig KILL \
            "$apache" -X -d "$hd" -f "$hd/httpd.conf" \
            </dev/null >"$hd/logs/stdout.log" 2>&1 {lockfd}>&- &
        pid=$!
        for ((i = 0; i < T * 100; i++)); do
            kill -0 "$pid" 2>/dev/null || break
            [ "$(listening_pid "$port")" = "$pid" ] && { started=1; break; }
            sleep 0.01
        done
        [ "$started" = 1 ] && break
        if kill -0 "$pid" 2>/dev/null; then
            kill -KILL "$pid" 2>/dev/null
        fi
        wait "$pid" 2>/dev/null
        if grep -q 'Address already in use' "$hd/logs/error.log" "$hd/logs/stdout.log"; then
            continue
        fi
        break
    done
    flock -u "$lockfd"
    exec {lockfd}>&-
    if [ "$started" != 1 ]; then
        echo "# httpd ($side) did not start:"
        tail -n 20 "$hd/logs/stdout.log" "$hd/logs/error.log" 2>/dev/null | sed 's/^/#   /'
        return 1
    fi
    HTTPD_PID=$pid
    PORT=$port
}

# httpd_stop: stop our httpd, if any, and wait until it is gone.
httpd_stop() {
    local i
    [ -n "$HTTPD_PID" ] || return 0
    if kill -0 "$HTTPD_PID" 2>/dev/null; then
        kill -TERM "$HTTPD_PID" 2>/dev/null
        for ((i = 0; i < T * 100; i++)); do
            kill -0 "${HTTPD_PID:-0}" 2>/dev/null || break
            sleep 0.01
        done
        kill -0 "$HTTPD_PID" 2>/dev/null && kill -KILL "$HTTPD_PID" 2>/dev/null
    fi
    wait "$HTTPD_PID" 2>/dev/null
    HTTPD_PID=
}

CURL_PID=
on_exit() {
    local rc=$?
    trap - EXIT
    trap '' INT TERM HUP
    [ -n "$CURL_PID" ] && kill -KILL "$CURL_PID" 2>/dev/null
    httpd_stop
    exit "$rc"
}
trap on_exit EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
trap 'exit 129' HUP

# httpd_lib PID: the libgssapi_krb5.so.2 files PID has mapped, one a line.
httpd_lib() {
    awk '$6 ~ /\/libgssapi_krb5\.so\.2(\.[0-9.]*)?$/ {print $6}' "/proc/$1/maps" 2>/dev/null | sort -u
}

# check_lib WHO SIDE PATH...: PATH (the libraries WHO loaded) is exactly
# one file, Baton's copy for SIDE=baton, MIT's for SIDE=mit.
check_lib() {
    local who=$1 side=$2 real
    shift 2
    if [ $# -ne 1 ]; then
        echo "$who loaded $# libgssapi_krb5.so.2 files, want 1: $*"
        return 1
    fi
    real=$(readlink -f "$1")
    case $side in
    baton)
        [ "$real" = "$(readlink -f "$lib")" ] || { echo "$who loaded $1, not Baton's $lib"; return 1; }
        exports_baton "$real" || { echo "$who loaded $1, which has no baton_version"; return 1; }
        ;;
    mit)
        [ "$real" != "$(readlink -f "$lib")" ] || { echo "$who loaded Baton's $1, want MIT's"; return 1; }
        exports_baton "$real" && { echo "$who loaded $1, which is Baton's (baton_version)"; return 1; }
        ;;
    esac
    return 0
}

# ---------------------------------------------------------------- cases
cp "${KRB5CCNAME#FILE:}" "$work/tgt.ccache" || { echo "not ok - cannot copy the realm's ccache"; exit 1; }

# run_curl DIR CLIENT TICKET(1|0) CASE: one curl --negotiate request; writes
# DIR/{status,body,headers,curl.err,curl.rc,ld.*}.
run_curl() {
    local d=$1 cli=$2 ticket=$3 name=$4
    local -a cenv
    mkdir -p "$d"
    # No ticket: a ccache that does not exist (as after kdestroy) and no
    # client keytab.  Not a zero-length file: MIT 1.20's
    # krb5_cccol_have_content frees an uninitialised principal when
    # krb5_cc_get_principal fails on one, and curl on MIT then crashes in
    # about half of the runs (later krb5 releases rewrote that function).
    rm -f "$d/ccache"
    [ "$ticket" = 1 ] && cp "$work/tgt.ccache" "$d/ccache"
    cenv=(env -u LD_PRELOAD -u LD_LIBRARY_PATH -u LD_DEBUG -u LD_BIND_NOW
        -u http_proxy -u https_proxy -u HTTP_PROXY -u HTTPS_PROXY -u ALL_PROXY -u all_proxy
        KRB5CCNAME="FILE:$d/ccache" KRB5_KTNAME="FILE:$d/no-keytab"
        KRB5_CLIENT_KTNAME="FILE:$d/no-client-keytab" KRB5RCACHEDIR="$d"
        BATON_RUNTIME_DIR="$work/baton-runtime-client"
        LD_DEBUG=libs LD_DEBUG_OUTPUT="$d/ld")
    [ "$cli" = baton ] && cenv+=(LD_LIBRARY_PATH="$compat"
        ${preload:+LD_PRELOAD=$preload ASAN_OPTIONS=detect_leaks=0:abort_on_error=1})
    # -q: no ~/.curlrc; --resolve: "localhost" (so curl asks for
    # HTTP@localhost) but only 127.0.0.1, where httpd listens.
    # In the background, so that a signal to this script is handled at once
    # (bash defers traps while a foreground child runs).
    "${cenv[@]}" "$curl" -q -sS -v --negotiate -u : --noproxy '*' \
        --resolve "localhost:$PORT:127.0.0.1" --max-time "$T" \
        -H "X-Baton-Case: $name" -D "$d/headers" -o "$d/body" -w '%{http_code}' \
        "http://localhost:$PORT$url_path" >"$d/status" 2>"$d/curl.err" </dev/null &
    CURL_PID=$!
    wait "$CURL_PID"
    echo $? >"$d/curl.rc"
    CURL_PID=
}

# curl_libs DIR: the libgssapi_krb5.so.2 files curl initialised (LD_DEBUG).
curl_libs() {
    cat "$1"/ld.* 2>/dev/null |
        sed -n 's/.*calling init: \(.*\/libgssapi_krb5\.so\.2[0-9.]*\)$/\1/p' | sort -u
}

# token_hex BASE64: the first 16 bytes of the decoded token, as hex pairs.
token_hex() {
    printf '%s' "$1" | base64 -d 2>/dev/null | head -c 16 | od -An -tx1 | tr -s ' \n' ' '
}

# is_spnego_init HEX: an RFC 2743 InitialContextToken ([APPLICATION 0],
# DER length) whose thisMech is SPNEGO, 1.3.6.1.5.5.2.
is_spnego_init() {
    local -a b
    read -ra b <<<"$1"
    [ "${b[0]:-}" = 60 ] || return 1
    local i=2
    case ${b[1]:-} in
    8[1-4]) i=$((2 + 0x${b[1]} - 0x80)) ;;
    [0-7]?) ;;
    *) return 1 ;;
    esac
    [ "${b[*]:i:8}" = "06 06 2b 06 01 05 05 02" ]
}

# check_case DIR CLIENT SERVER TICKET ERRLOG-OFFSET: the HTTP outcome.
check_case() {
    local d=$1 cli=$2 srv=$3 ticket=$4 off=$5 name=$6
    local bad=0 status rc logged tok det=$d/details
    problem() { echo "$*" >>"$det"; bad=1; }
    : >"$det"
    status=$(cat "$d/status" 2>/dev/null)
    rc=$(cat "$d/curl.rc" 2>/dev/null)
    logged=$(grep -F "case=$name " "$hd/logs/access.log" 2>/dev/null)
    tail -c +"$((off + 1))" "$hd/logs/error.log" >"$d/httpd-error.log" 2>/dev/null
    [ "$rc" = 0 ] || problem "curl exit status $rc"
    if [ "$ticket" = 1 ]; then
        [ "$status" = 200 ] || problem "HTTP status ${status:-none}, want 200"
        [ "$(cat "$d/body" 2>/dev/null)" = "$body" ] || problem "body is not the protected file's"
        grep -qx "case=$name status=200 user=$user" <<<"$logged" ||
            problem "httpd did not log a 200 for REMOTE_USER $user"
        # SPNEGO on the wire, as browsers speak it: curl's token is a
        # SPNEGO initial token, and the 200 carries httpd's reply token, a
        # negTokenResp ([1]).
        tok=$(sed -n 's/^> Authorization: Negotiate \([A-Za-z0-9+\/=]*\).*/\1/p' "$d/curl.err" | tail -n 1)
        if [ -z "$tok" ]; then
            problem "curl sent no \"Authorization: Negotiate\" token"
        elif ! is_spnego_init "$(token_hex "$tok")"; then
            problem "curl's Authorization token is not a SPNEGO initial token (${tok:0:24}...)"
        fi
        if [ "$status" = 200 ]; then
            tok=$(tr -d '\r' <"$d/headers" 2>/dev/null | awk '/^HTTP\//{t = ""} tolower($1) == "www-authenticate:" && $2 == "Negotiate" {t = $3} END {print t}')
            case $(token_hex "$tok") in
            " a1 "*) ;;
            *) problem "the 200 carries no SPNEGO reply token (WWW-Authenticate: Negotiate ${tok:0:24}...)" ;;
            esac
        fi
    else
        [ "$status" = 401 ] || problem "HTTP status ${status:-none}, want 401"
        grep -qF "$body" "$d/body" 2>/dev/null && problem "the 401 response carries the protected body"
        tr -d '\r' <"$d/headers" 2>/dev/null | grep -qix 'WWW-Authenticate: Negotiate' ||
            problem "no plain \"WWW-Authenticate: Negotiate\" challenge in the 401"
        grep -q 'status=200' <<<"$logged" && problem "httpd logged a 200 for this request"
        grep -v 'user=-$' <<<"$logged" | grep -q . && problem "httpd logged a user: $logged"
    fi
    [ -n "$logged" ] || problem "httpd logged no request for this case"
    if [ "$bad" = 1 ]; then
        {
            echo "--- httpd access log for this case:"; printf '%s\n' "$logged"
            echo "--- httpd error log (GSS lines):"
            grep -iE 'gss|error|spnego' "$d/httpd-error.log" | sed 's/^\[[^]]*\] //' | tail -n 6
            echo "--- curl (GSS and HTTP lines):"
            grep -E 'gss|GSS|SPNEGO|Negotiate|^< HTTP|^> GET|Authorization|rror' "$d/curl.err" |
                sed 's/\(Negotiate [A-Za-z0-9+\/=]\{16\}\)[A-Za-z0-9+\/=]*/\1.../' | tail -n 10
        } >>"$det"
        return 1
    fi
    return 0
}

start=$SECONDS
echo "# realm $BATON_REALM_DIR (KDC port $BATON_KDC_PORT); curl ${curl_v%% (*}"
echo "# Baton library: $lib_in"
for srv in mit baton; do
    if ! httpd_start "$srv"; then
        for cli in mit baton; do
            for c in ticket no-ticket runtime; do
                io_result "client=$cli server=$srv $c" 0
            done
        done
        continue
    fi
    echo "# httpd ($srv) pid $HTTPD_PID on 127.0.0.1:$PORT: $(httpd_lib "$HTTPD_PID" | tr '\n' ' ')"
    for cli in mit baton; do
        rt=$work/$cli-$srv-runtime
        mkdir -p "$rt"
        : >"$rt/details"
        for c in ticket no-ticket; do
            d=$work/$cli-$srv-$c
            name="client=$cli server=$srv $c"
            off=$(stat -c %s "$hd/logs/error.log" 2>/dev/null || echo 0)
            ticket=0
            [ "$c" = ticket ] && ticket=1
            run_curl "$d" "$cli" "$ticket" "$cli-$srv-$c"
            if check_case "$d" "$cli" "$srv" "$ticket" "$off" "$cli-$srv-$c"; then
                io_result "$name" 1
            else
                io_result "$name" 0 "$d/details"
            fi
            # runtime: the libraries of this run, and httpd alive after it.
            # shellcheck disable=SC2046
            check_lib "curl ($c)" "$cli" $(curl_libs "$d") >>"$rt/details"
            rc=$(cat "$d/curl.rc")
            [ "$rc" -gt 128 ] 2>/dev/null && echo "curl ($c) died: exit status $rc" >>"$rt/details"
            kill -0 "${HTTPD_PID:-0}" 2>/dev/null ||
                echo "httpd ($srv) died during the $c request: $(tail -n 3 "$hd/logs/error.log" "$hd/logs/stdout.log" | tr '\n' ' ')" >>"$rt/details"
            grep -hE 'AddressSanitizer|runtime error:|LeakSanitizer' "$d/curl.err" "$hd/logs/stdout.log" 2>/dev/null |
                head -n 2 >>"$rt/details"
        done
        # shellcheck disable=SC2046
        check_lib "httpd ($srv)" "$srv" $(httpd_lib "$HTTPD_PID") >>"$rt/details"
        if [ -s "$rt/details" ]; then
            io_result "client=$cli server=$srv runtime" 0 "$rt/details"
        else
            io_result "client=$cli server=$srv runtime" 1
        fi
        # A dead httpd serves no further case.
        if ! kill -0 "${HTTPD_PID:-0}" 2>/dev/null; then
            httpd_stop
            httpd_start "$srv" || true
        fi
    done
    httpd_stop
done
echo "# took $((SECONDS - start)) s"
io_summary
