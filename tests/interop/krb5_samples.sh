#!/bin/bash
# krb5_samples.sh COMPAT_DIR REALM_SH [JOBS]
#
# interop_krb5_samples: MIT's own sample programs (Debian krb5-gss-samples)
# as Kerberos peers, each in its own process, one throwaway realm:
#
#   server in {mit, baton} x client in {mit, baton}   (mit x mit = control)
#   x session-key enctype in the realm's four AES types
#   x client options {default, -seq, -noreplay, -nomutual, -d,
#                     -nx (integrity-only wrap), -ccount 3 -mcount 3}
#   plus gss-server -export (export + re-import three times, per client and
#   enctype): MIT must serve; Baton, whose gss_export_sec_context is not
#   implemented, must refuse cleanly (GSS error naming "unavailable", the
#   client sees the connection close) and never crash.
#   plus SPNEGO: gss-client -spnego (it acquires a SPNEGO credential and
#   initiates with 1.3.6.1.5.5.2; gss-server accepts whatever comes), as
#   opts spnego, spnego-nomutual (-spnego -nomutual) and spnego-export
#   (-spnego, gss-server -export), with aes256-cts-hmac-sha1-96 and
#   aes256-cts-hmac-sha384-192 only (SPNEGO does not depend on the enctype;
#   CI budget).  The server runs -verbose and must have received a token
#   framed with the SPNEGO OID; the client's gss_inquire_context must name
#   krb5 as the mechanism, as MIT's does.  mit x mit is the control; the
#   Baton pairs pass since SPNEGO landed (822a0e6).
#
# "baton" = the same MIT-built binary run with LD_LIBRARY_PATH=COMPAT_DIR.
# The enctype is forced with an overlay KRB5_CONFIG on the client and
# checked with klist -e on the client's own ccache afterwards.
#
# gss-server binds INADDR_ANY, so the script re-executes itself inside a
# private network namespace (unshare -n, lo up) and only then starts the
# realm (realm.sh run), whose KDC lives in that namespace as well: no
# port can collide with anything outside.  Every program runs under
# timeout(1); everything dies with the namespace and the realm's temp dir.
#
# Output: one "ok - server=X client=Y enctype=E opts=O" / "not ok - ..."
# line per case (details as "#" lines), then "N passed, M failed".
set -uo pipefail

compat=${1:?usage: krb5_samples.sh COMPAT_DIR REALM_SH [JOBS]}
realm_sh=${2:?usage: krb5_samples.sh COMPAT_DIR REALM_SH [JOBS]}
jobs=${3:-8}
self=$(readlink -f "${BASH_SOURCE[0]}")
here=$(dirname "$self")

# ---------------------------------------------------------------- namespace
if [ "${BATON_SAMPLES_NETNS:-}" != 1 ]; then
    if ! unshare -n true 2>/dev/null; then
        echo "# SKIP: cannot create a network namespace (unshare -n needs root or user namespaces)"
        exit 77
    fi
    exec unshare -n env BATON_SAMPLES_NETNS=1 bash "$self" "$@"
fi
if [ "${BATON_SAMPLES_INREALM:-}" != 1 ]; then
    PATH=$PATH:/usr/sbin:/sbin
    ip link set lo up || { echo "not ok - ip link set lo up failed in the namespace"; exit 1; }
    exec bash "$realm_sh" run -- env BATON_SAMPLES_INREALM=1 bash "$self" "$@"
fi

# ---------------------------------------------------------------- in the realm
# shellcheck source=interop_lib.sh
. "$here/interop_lib.sh"

# Known Baton bugs; see interop_lib.sh.  Patterns match the case names.
KNOWN_FAILURES=(
)

client=$(command -v gss-client) || { echo "not ok - gss-client not found (apt install krb5-gss-samples)"; exit 1; }
server=$(command -v gss-server) || { echo "not ok - gss-server not found (apt install krb5-gss-samples)"; exit 1; }
lib=$(readlink -f "$compat/libgssapi_krb5.so.2")
[ -f "$lib" ] || { echo "not ok - no $compat/libgssapi_krb5.so.2"; exit 1; }
work=$BATON_REALM_DIR/samples
mkdir -p "$work/compat"
# A private copy: a rebuild of the build tree during the run must not swap
# the library under the cases.
cp "$lib" "$work/compat/libgssapi_krb5.so.2" || { echo "not ok - cannot copy $lib"; exit 1; }
compat=$work/compat
lib=$compat/libgssapi_krb5.so.2
cc_file=${KRB5CCNAME#FILE:}
cp "$cc_file" "$work/tgt.ccache" || { echo "not ok - cannot copy the realm's ccache"; exit 1; }
tgt_et=$(io_skey_enctype "$work/tgt.ccache" "krbtgt/$BATON_REALM@$BATON_REALM")
[ -n "$tgt_et" ] || { echo "not ok - cannot read the TGT's enctype"; klist -e -c "$work/tgt.ccache" | sed 's/^/#   /'; exit 1; }
enctypes="aes256-cts-hmac-sha1-96 aes128-cts-hmac-sha1-96 aes256-cts-hmac-sha384-192 aes128-cts-hmac-sha256-128"
spnego_enctypes="aes256-cts-hmac-sha1-96 aes256-cts-hmac-sha384-192"
for et in $enctypes; do io_overlay "$work" "$et" "$tgt_et"; done

# A sanitizer build links the compat library with ASan: MIT's
# uninstrumented programs must preload its runtime to load it.
preload=$(io_asan_preload "$lib")
base_env=(env -u LD_PRELOAD -u LD_LIBRARY_PATH -u LD_DEBUG)
# The realm's own transfer runtime dir (key, ledger): gss-server -export
# on Baton must not touch the user's real one.
mkdir -m 700 "$work/baton-runtime"
baton_env=(LD_LIBRARY_PATH="$compat" BATON_RUNTIME_DIR="$work/baton-runtime"
           ${preload:+LD_PRELOAD=$preload ASAN_OPTIONS=detect_leaks=0:abort_on_error=1})

T=15                   # seconds any one program may run
PORT_BASE=11000        # private namespace: nothing else listens here
service=$BATON_SERVICE # host@localhost
user=$BATON_USER       # user@BATON.TEST
sprinc=$BATON_SERVICE_PRINC

count() { grep -cF -- "$1" "$2" 2>/dev/null || true; }

# opts name -> gss-client arguments
client_args() {
    case $1 in
    default) echo "" ;;
    seq) echo "-seq" ;;
    noreplay) echo "-noreplay" ;;
    nomutual) echo "-nomutual" ;;
    deleg) echo "-d" ;;
    nx) echo "-nx" ;;
    ccount3-mcount3) echo "-ccount 3 -mcount 3" ;;
    export) echo "" ;;
    spnego | spnego-export) echo "-spnego" ;;
    spnego-nomutual) echo "-spnego -nomutual" ;;
    esac
}

# opts_base OPTS: the client options without SPNEGO (spnego -> default).
opts_base() {
    case $1 in
    spnego) echo default ;;
    spnego-*) echo "${1#spnego-}" ;;
    *) echo "$1" ;;
    esac
}

# run_case IDX SERVER CLIENT ENCTYPE OPTS: one exchange; writes
# $work/cIDX/{name,result,details}.
run_case() {
    local idx=$1 srv=$2 cli=$3 et=$4 opts=$5
    local d=$work/c$idx port=$((PORT_BASE + idx)) msg="baton-interop-$idx"
    local ccount=1 mcount=1 once=-once spid crc src i
    local -a expflag=()
    local -a senv cenv cargs
    mkdir -p "$d/rcache"
    echo "server=$srv client=$cli enctype=$et opts=$opts" >"$d/name"
    : >"$d/details"
    cp "$work/tgt.ccache" "$d/ccache"
    if [ "$opts" = ccount3-mcount3 ]; then ccount=3; mcount=3; once=""; fi
    [ "$(opts_base "$opts")" = export ] && expflag=(-export)
    # -verbose: the server prints the first token, SPNEGO's OID and all.
    [ "$opts" != "$(opts_base "$opts")" ] && expflag+=(-verbose)
    read -ra cargs <<<"$(client_args "$opts")"

    senv=("${base_env[@]}" KRB5RCACHEDIR="$d/rcache" KRB5CCNAME="FILE:$d/no-ccache"
          KRB5_KTNAME="FILE:$BATON_SERVICE_KEYTAB")
    [ "$srv" = baton ] && senv+=("${baton_env[@]}")
    cenv=("${base_env[@]}" KRB5_CONFIG="$work/overlay-$et.conf:$KRB5_CONFIG"
          KRB5CCNAME="FILE:$d/ccache" KRB5_KTNAME="FILE:$d/no-keytab"
          KRB5_CLIENT_KTNAME="FILE:$d/no-client-keytab")
    [ "$cli" = baton ] && cenv+=("${baton_env[@]}")

    # stdbuf: the server's stdout must survive the SIGTERM that ends a
    # server without -once.
    timeout -k 2 "$T" "${senv[@]}" stdbuf -oL -eL "$server" -port "$port" \
        $once "${expflag[@]}" "$service" >"$d/srv.out" 2>"$d/srv.err" </dev/null &
    spid=$!
    for ((i = 0; i < 1000; i++)); do
        grep -q 'starting' "$d/srv.err" 2>/dev/null && break
        kill -0 "$spid" 2>/dev/null || break
        sleep 0.005
    done
    # SIGPIPE ignored: a client writing to a server that dropped the
    # connection reports EPIPE instead of dying of the signal.
    (trap '' PIPE
     exec timeout -k 2 "$T" "${cenv[@]}" "$client" -port "$port" "${cargs[@]}" \
        localhost "$service" "$msg" >"$d/cli.out" 2>&1 </dev/null)
    crc=$?
    if [ -z "$once" ]; then
        # Serving in a loop: wait for the last connection's NOOP, then stop.
        for ((i = 0; i < 500; i++)); do
            [ "$(count 'NOOP token' "$d/srv.out")" -ge "$ccount" ] && break
            kill -0 "$spid" 2>/dev/null || break
            sleep 0.01
        done
        if kill -0 "$spid" 2>/dev/null; then
            kill -TERM "$spid"
            wait "$spid"
            src=$?
            [ "$src" = 143 ] && src=terminated
        else
            wait "$spid"
            src=$?
        fi
    else
        wait "$spid"
        src=$?
    fi
    klist -e -c "$d/ccache" >"$d/klist" 2>&1
    check_case "$d" "$srv" "$cli" "$et" "$opts" "$ccount" "$mcount" "$crc" "$src" "$msg"
}

# died STATUS: killed by a signal or timed out (timeout(1): 124, 128+N).
died() { [ "$1" = 124 ] || { [ "$1" -gt 128 ] 2>/dev/null && [ "$1" -le 192 ]; }; }

# spnego_checks D CCOUNT: the first token was SPNEGO's, the mechanism krb5.
spnego_checks() {
    local d=$1 ccount=$2 got
    # "Received token (size=N):" then hex, 16 bytes a line: 60 LEN [LEN..]
    # 06 06 2b 06 01 05 05 02 within the first two lines.
    grep -A2 -m1 '^Received token' "$d/srv.out" | tr -d '\n' | grep -q '06 06 2b 06 01 05 05 02' ||
        problem "gss-server's first token is not framed with the SPNEGO OID 1.3.6.1.5.5.2"
    got=$(count 'Mechanism { 1 2 840 113554 1 2 2 } supports' "$d/cli.out")
    [ "$got" = "$ccount" ] || problem "client's gss_inquire_context mechanism is not krb5 { 1 2 840 113554 1 2 2 } ($got of $ccount), as MIT's is through SPNEGO"
}

check_case() {
    local d=$1 srv=$2 cli=$3 et=$4 opts=$5 ccount=$6 mcount=$7 crc=$8 src=$9 msg=${10}
    local bad=0 got want f n skey refused base
    local det=$d/details
    problem() { echo "$*" >>"$det"; bad=1; }
    base=$(opts_base "$opts")

    # Never a crash or a hang, on either side.
    if [ "$src" != terminated ] && died "$src"; then
        problem "gss-server died: exit status $src (signal or timeout)"
    fi
    died "$crc" && problem "gss-client died: exit status $crc (signal or timeout)"

    refused=0
    if [ "$base" = export ] && [ "$srv" = baton ] &&
        grep -q 'GSS-API error exporting context' "$d/srv.out" "$d/srv.err"; then
        refused=1
    fi
    if [ "$refused" = 1 ]; then
        # Without gss_export_sec_context the server must report a GSS error
        # naming "unavailable" and drop the connection.  (Once export
        # works, the case is held to the full checks below instead.)
        echo "export refused cleanly (GSS_S_UNAVAILABLE)" >"$d/note"
        grep -Eiq 'exporting context: .*unavailable' "$d/srv.out" "$d/srv.err" ||
            problem "gss-server did not report 'GSS-API error exporting context: ...unavailable...'"
        [ "$src" = 0 ] || problem "gss-server -once exit status $src, want 0 after a failed sign_server"
        [ "$(count "Accepted connection: \"$user\"" "$d/srv.out")" = 1 ] ||
            problem "gss-server did not accept the connection before exporting"
        [ "$crc" != 0 ] || problem "gss-client succeeded although the server dropped the context"
        grep -Eq 'reading token|sending token|Connection reset|Broken pipe|0 bytes read' "$d/cli.out" ||
            problem "gss-client did not report the closed connection"
        [ "$(count 'Signature verified.' "$d/cli.out")" = 0 ] ||
            problem "gss-client verified a signature from a server without a context"
    else
        [ "$src" = 0 ] || [ "$src" = terminated ] || problem "gss-server exit status $src"
        [ "$crc" = 0 ] || problem "gss-client exit status $crc"
        got=$(count "Accepted connection: \"$user\"" "$d/srv.out")
        [ "$got" = "$ccount" ] || problem "server reported \"Accepted connection: \\\"$user\\\"\" $got times, want $ccount"
        got=$(count "Received message: \"$msg\"" "$d/srv.out")
        want=$((ccount * mcount))
        [ "$got" = "$want" ] || problem "server received the message $got times, want $want"
        got=$(count 'NOOP token' "$d/srv.out")
        [ "$got" = "$ccount" ] || problem "server saw $got closing NOOP tokens, want $ccount"
        got=$(count 'Signature verified.' "$d/cli.out")
        [ "$got" = "$want" ] || problem "client verified $got signatures, want $want"
        got=$(grep -c "^\"$user\" to \"$sprinc\", lifetime [0-9]*, flags [0-9a-f]*, locally initiated, open" "$d/cli.out")
        [ "$got" = "$ccount" ] || problem "client's inquire_context line (\"$user\" to \"$sprinc\" ... locally initiated, open) seen $got times, want $ccount"
        # Flags as each side prints them, per connection.
        [ "$opts" != "$base" ] && spnego_checks "$d" "$ccount"
        for f in DELEG MUTUAL REPLAY SEQUENCE; do
            case $f:$base in
            DELEG:deleg | SEQUENCE:seq) want=$ccount ;;
            DELEG:* | SEQUENCE:*) want=0 ;;
            MUTUAL:nomutual | REPLAY:noreplay) want=0 ;;
            *) want=$ccount ;;
            esac
            n=$(count "context flag: GSS_C_${f}_FLAG" "$d/srv.out")
            [ "$n" = "$want" ] || problem "server printed GSS_C_${f}_FLAG $n times, want $want"
            n=$(count "context flag: GSS_C_${f}_FLAG" "$d/cli.out")
            [ "$n" = "$want" ] || problem "client printed GSS_C_${f}_FLAG $n times, want $want"
        done
    fi
    if [ "$base" = export ] && [ "$refused" = 0 ]; then
        echo "served after 3 x gss_export_sec_context + gss_import_sec_context" >"$d/note"
    fi
    if grep -q 'GSS-API error' "$d/cli.out" && [ "$refused" = 0 ]; then
        problem "client: $(grep 'GSS-API error' "$d/cli.out" | head -3 | tr '\n' ' ')"
    fi
    if grep -q 'GSS-API error' "$d/srv.out" "$d/srv.err" && [ "$refused" = 0 ]; then
        problem "server: $(grep -h 'GSS-API error' "$d/srv.out" "$d/srv.err" | head -3 | tr '\n' ' ')"
    fi
    if grep -Eq 'AddressSanitizer|runtime error:|LeakSanitizer' "$d/srv.err" "$d/cli.out" 2>/dev/null; then
        problem "sanitizer report: $(grep -hE 'AddressSanitizer|runtime error:' "$d/srv.err" "$d/cli.out" | head -2)"
    fi
    # The session key really had the enctype this case is about.
    skey=$(io_skey_enctype "$d/ccache" "$sprinc")
    [ "$skey" = "$et" ] || problem "klist -e: service ticket session key enctype '${skey:-none}', want $et"

    if [ "$bad" = 1 ]; then
        {
            echo "--- gss-server stdout (tail):"; grep -v '^[0-9a-f]*$' "$d/srv.out" | grep -v '^$' | tail -n 8
            echo "--- gss-server stderr:"; tail -n 5 "$d/srv.err"
            echo "--- gss-client (tail):"; tail -n 8 "$d/cli.out"
        } >>"$det"
        echo 0 >"$d/result"
    else
        echo 1 >"$d/result"
    fi
}

# ---------------------------------------------------------------- the matrix
cases=()
for srv in mit baton; do
    for cli in mit baton; do
        for et in $enctypes; do
            for opts in default seq noreplay nomutual deleg nx ccount3-mcount3 export; do
                cases+=("$srv $cli $et $opts")
            done
        done
        for et in $spnego_enctypes; do
            for opts in spnego spnego-nomutual spnego-export; do
                cases+=("$srv $cli $et $opts")
            done
        done
    done
done

start=$SECONDS
echo "# ${#cases[@]} cases, $jobs at a time, realm $BATON_REALM_DIR (KDC port $BATON_KDC_PORT, private netns)"
io_run_cases

for ((idx = 0; idx < ${#cases[@]}; idx++)); do
    d=$work/c$idx
    if [ -f "$d/result" ]; then
        io_result "$(cat "$d/name")" "$(cat "$d/result")" "$d/details" "$(cat "$d/note" 2>/dev/null)"
    else
        # shellcheck disable=SC2086
        set -- ${cases[$idx]}
        echo "the case runner itself failed" >"$d/details.none"
        io_result "server=$1 client=$2 enctype=$3 opts=$4" 0 "$d/details.none"
    fi
done
echo "# matrix took $((SECONDS - start)) s"
io_summary
