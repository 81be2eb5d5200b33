#!/bin/bash
# krb5_peers.sh PEER_MIT PEER_BATON INTEROP_RUN
#
# interop_krb5_peers, run inside a throwaway realm (realm.sh run -- ...):
# our peer program built twice from peer.c - against MIT's libgssapi_krb5
# (PEER_MIT) and against Baton (PEER_BATON) - plays initiator and acceptor,
# each side in its own process, joined by a socketpair (INTEROP_RUN).
#
#   initiator x acceptor in {mit, baton}^2   (mit/mit: the control)
#   x session-key enctype (the realm's four AES types, forced with an
#     overlay KRB5_CONFIG, checked with klist -e on the initiator's ccache)
#   x scenario:
#     wrap-conf   mutual establishment, gss_wrap with confidentiality, sizes
#                 0..64 KiB, both directions (each side receives)
#     wrap-integ  the same, integrity-only gss_wrap
#     mic         the same, gss_get_mic / gss_verify_mic
#     nomutual    one-token establishment, then conf wrap and MIC
#     replay      REPLAY without SEQUENCE: resent token -> DUPLICATE_TOKEN,
#                 out-of-order tokens accepted (wrap and MIC, both ways)
#     sequence    REPLAY+SEQUENCE: resent -> DUPLICATE_TOKEN, skipped ->
#                 GAP_TOKEN, late -> UNSEQ_TOKEN (RFC 2743 1.2.3)
#     cb-same     same channel bindings (application data) -> established
#     cb-addr     same bindings with GSS_C_AF_INET addresses -> established
#     cb-diff     different bindings -> acceptor GSS_S_BAD_BINDINGS
#     deleg       GSS_C_DELEG_FLAG; the acceptor inits to HTTP@localhost
#                 with the delegated credential, accepted by the initiator's
#                 implementation (so a cross pair crosses twice)
#     krberror    acceptor keytab with a wrong host/localhost key -> the
#                 acceptor fails with a KRB-ERROR token; the initiator's
#                 second call fails with a minor status naming the error
#     iov-split   gss_wrap_iov conf HEADER|SIGN_ONLY|DATA|PADDING|TRAILER,
#                 parts sent apart, gss_unwrap_iov on the rebuilt layout;
#                 altered SIGN_ONLY bytes -> GSS_S_BAD_SIG (peer_iov.c)
#     iov-integ   the same, integrity only
#     iov-header-only  HEADER|DATA (rotated token, RRC != 0) -> gss_unwrap_iov
#                 HEADER|DATA, or plain gss_unwrap of HEADER||DATA
#     iov-stream  gss_wrap -> gss_unwrap_iov STREAM|DATA
#     aead        gss_wrap_aead -> gss_unwrap_aead; altered associated data
#                 -> GSS_S_BAD_SIG
#     mic-iov     gss_get_mic_iov DATA|SIGN_ONLY|MIC_TOKEN -> gss_verify_mic_iov,
#                 or gss_verify_mic over DATA||SIGN_ONLY
#     prf         gss_pseudo_random (RFC 4401/4402), GSS_C_PRF_KEY_FULL and
#                 _PARTIAL x input 0/1/100 bytes x output 1/16/64/300 bytes
#                 (300: several PRF blocks); the initiator sends its outputs,
#                 the acceptor compares them with its own (peer_prf.c)
#
# and again through SPNEGO (peer --mech spnego: the initiator asks for
# 1.3.6.1.5.5.2, the acceptor's credential is for SPNEGO, krb5 is
# negotiated inside), case names with "mech=spnego":
#   x initiator x acceptor as above
#   x enctype: aes256-cts-hmac-sha1-96 and aes256-cts-hmac-sha384-192 only
#     (one of each Kerberos enctype family, for the mechListMIC's checksum
#     should there be one; SPNEGO itself does not depend on the enctype,
#     and the CI budget is ~2 minutes a suite on 2 cores)
#   x every scenario above (deleg's second hop goes straight to krb5:
#     neither MIT nor Heimdal negotiates SPNEGO with a credential delegated
#     through SPNEGO), each side also checking the negotiation tokens and
#     the mechanisms reported against MIT's behaviour (peer_spnego.c), and
#     spnego-nocred (acceptor with GSS_C_NO_CREDENTIAL), spnego-mechlist
#     (gss_set_neg_mechs {krb5} on both credentials), spnego-mslegacy
#     (gss_set_neg_mechs {ms-krb5, krb5}: reported as SKIP when the library
#     leaves the MS OID out, as MIT's does), spnego-mslegacy-wire (the
#     initiator's NegTokenInit rewritten to offer ms-krb5 first, as Windows
#     does: the acceptor must accept and answer supportedMech ms-krb5),
#     spnego-nocommon (initiator {krb5}, acceptor {ms-krb5}, which matches
#     only an offer of ms-krb5: both fail, the acceptor with GSS_S_FAILURE
#     as MIT's; IAKERB would do for MIT, but Baton's gss_set_neg_mechs
#     refuses a mechanism it lacks), spnego-export-partial
#     (a Baton side exports its context after a first step that needs
#     another and a fresh process imports it; MIT refuses such an export
#     (GSS_S_UNAVAILABLE) and Heimdal 7.8 crashes, so cases without Baton
#     are skipped)
# mit -> mit is the control and must pass; where Baton's SPNEGO differs
# from MIT's, the cases are in KNOWN_FAILURES.
#
# Output: "ok - init=X acc=Y [mech=spnego ]enctype=E scenario=S" / "not ok
# - ..." per case (each side's failed checks as "#" lines), "ok - ... # SKIP
# reason" for a case that cannot run, then "N passed, M failed".
set -uo pipefail

peer_mit=${1:?usage: krb5_peers.sh PEER_MIT PEER_BATON INTEROP_RUN}
peer_baton=${2:?usage: krb5_peers.sh PEER_MIT PEER_BATON INTEROP_RUN}
runner=${3:?usage: krb5_peers.sh PEER_MIT PEER_BATON INTEROP_RUN}
jobs=${BATON_INTEROP_JOBS:-2}
here=$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")
# shellcheck source=interop_lib.sh
. "$here/interop_lib.sh"

# Known Baton bugs; see interop_lib.sh.  Patterns match the case names.
# (spnego-nocommon: Baton's acceptor answers GSS_S_BAD_MECH with a reject
# token where MIT's returns GSS_S_FAILURE and no token; a deliberate
# difference the peer checks per implementation, not a known failure.)
KNOWN_FAILURES=()

[ -n "${BATON_REALM_DIR:-}" ] || { echo "not ok - not inside a realm (run me with realm.sh run --)"; exit 1; }
for p in "$peer_mit" "$peer_baton" "$runner"; do
    [ -x "$p" ] || { echo "not ok - $p is not an executable"; exit 1; }
done

# Each build must really use the library it claims: MIT's libgssapi_krb5
# for the MIT peer (no LD_LIBRARY_PATH may divert it), none for Baton's.
mit_lib=$(env -u LD_LIBRARY_PATH ldd "$peer_mit" | awk '$1 ~ /^libgssapi_krb5\.so/ {print $3}')
if [ -z "$mit_lib" ] || objdump -T "$mit_lib" 2>/dev/null | grep -q 'baton_version'; then
    echo "not ok - $peer_mit does not load MIT's libgssapi_krb5 (got '${mit_lib:-nothing}')"
    exit 1
fi
if ldd "$peer_baton" | grep -q 'libgssapi'; then
    echo "not ok - $peer_baton loads a libgssapi: $(ldd "$peer_baton" | grep libgssapi)"
    exit 1
fi
echo "# MIT peer on $(readlink -f "$mit_lib"); Baton peer statically linked"

work=$BATON_REALM_DIR/peers
mkdir -p "$work/bin"
mkdir -m 700 "$work/baton-runtime"
# Run private copies: a rebuild of the build tree during the run must not
# swap a binary under the cases.
if ! cp "$peer_mit" "$work/bin/peer_mit" || ! cp "$peer_baton" "$work/bin/peer_baton" ||
    ! cp "$runner" "$work/bin/interop_run"; then
    echo "not ok - cannot copy the peer programs"
    exit 1
fi
peer_mit=$work/bin/peer_mit peer_baton=$work/bin/peer_baton runner=$work/bin/interop_run
cc_file=${KRB5CCNAME#FILE:}
cp "$cc_file" "$work/tgt.ccache" || { echo "not ok - cannot copy the realm's ccache"; exit 1; }
tgt_et=$(io_skey_enctype "$work/tgt.ccache" "krbtgt/$BATON_REALM@$BATON_REALM")
[ -n "$tgt_et" ] || { echo "not ok - cannot read the TGT's enctype"; exit 1; }
enctypes="aes256-cts-hmac-sha1-96 aes128-cts-hmac-sha1-96 aes256-cts-hmac-sha384-192 aes128-cts-hmac-sha256-128"
for et in $enctypes; do io_overlay "$work" "$et" "$tgt_et"; done

# A keytab with the right principal, kvno and enctypes but keys from a
# wrong password: the ticket cannot be decrypted (KRB5KRB_AP_ERR_BAD_INTEGRITY).
kvno=$(klist -k "$BATON_SERVICE_KEYTAB" | awk -v p="$BATON_SERVICE_PRINC" '$2 == p {print $1; exit}')
{
    for et in $enctypes; do
        printf 'addent -password -p %s -k %s -e %s\n%s\n' "$BATON_SERVICE_PRINC" "${kvno:-1}" "$et" "not-the-service-password"
    done
    printf 'wkt %s\nquit\n' "$work/wrong.keytab"
} | ktutil >"$work/ktutil.log" 2>&1
n=$(klist -k "$work/wrong.keytab" 2>/dev/null | grep -c "$BATON_SERVICE_PRINC")
[ "$n" = 4 ] || { echo "not ok - could not make the wrong-key keytab with ktutil"; sed 's/^/#   /' "$work/ktutil.log"; exit 1; }

scenarios=$("$peer_mit" list) || { echo "not ok - $peer_mit list failed"; exit 1; }
[ "$scenarios" = "$("$peer_baton" list)" ] || { echo "not ok - the two peers were built from different sources"; exit 1; }
spnego_scenarios=$("$peer_mit" --mech spnego list) || { echo "not ok - $peer_mit --mech spnego list failed"; exit 1; }
[ "$spnego_scenarios" = "$("$peer_baton" --mech spnego list)" ] || { echo "not ok - the two peers were built from different sources"; exit 1; }
spnego_enctypes="aes256-cts-hmac-sha1-96 aes256-cts-hmac-sha384-192"

T=20
# The realm's names, as every peer must see them.
names=(PEER_USER="$BATON_USER" PEER_TARGET="$BATON_SERVICE"
       PEER_TARGET_PRINC="$BATON_SERVICE_PRINC" PEER_TARGET2="$BATON_SERVICE2"
       PEER_TARGET2_PRINC="$BATON_SERVICE2_PRINC")
impl_bin() { if [ "$1" = mit ]; then echo "$peer_mit"; else echo "$peer_baton"; fi; }
# MIT's library is not ours to hold to LeakSanitizer (an ASan build
# instruments the MIT peer's own code too).
# Baton gets the realm's own transfer runtime dir, never the user's.
impl_env() { if [ "$1" = mit ]; then echo "ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0"; else echo "BATON_RUNTIME_DIR=$work/baton-runtime"; fi; }
# spnego-export-partial: only Baton exports a half-established context.
impl_export() { if [ "$1" = baton ]; then echo PEER_EXPORT_PARTIAL=1; else echo PEER_EXPORT_PARTIAL=; fi; }

# case_name INIT ACC ENCTYPE SCENARIO MECH
case_name() {
    if [ "$5" = krb5 ]; then echo "init=$1 acc=$2 enctype=$3 scenario=$4"
    else echo "init=$1 acc=$2 mech=$5 enctype=$3 scenario=$4"; fi
}

# case_skip INIT ACC ENCTYPE SCENARIO MECH: why the case cannot run, if so.
case_skip() {
    if [ "$4" = spnego-export-partial ] && [ "$1" != baton ] && [ "$2" != baton ]; then
        echo "only Baton exports a partial SPNEGO context (MIT: GSS_S_UNAVAILABLE)"
    fi
}

# run_case IDX INIT ACC ENCTYPE SCENARIO MECH
run_case() {
    local idx=$1 ini=$2 acc=$3 et=$4 sc=$5 m=$6
    local d=$work/c$idx rc skey kt=$BATON_SERVICE_KEYTAB
    local -a cmd
    mkdir -p "$d"
    case_name "$ini" "$acc" "$et" "$sc" "$m" >"$d/name"
    : >"$d/details"
    cp "$work/tgt.ccache" "$d/ccache"
    [ "$sc" = krberror ] && kt=$work/wrong.keytab
    local conf="$work/overlay-$et.conf:$KRB5_CONFIG"
    # No process but the initiator has a ccache, and only acceptors have
    # keytabs: the delegated credential is the acceptor's only way on.
    cmd=("$runner" -t "$T"
         -- env -u LD_LIBRARY_PATH -u LD_PRELOAD "$(impl_env "$ini")" "$(impl_export "$ini")" "${names[@]}"
            KRB5_CONFIG="$conf" KRB5CCNAME="FILE:$d/ccache" KRB5_KTNAME="FILE:$d/no-keytab"
            KRB5_CLIENT_KTNAME="FILE:$d/no-client-keytab"
            "$(impl_bin "$ini")" --mech "$m" init "$sc"
         -- env -u LD_LIBRARY_PATH -u LD_PRELOAD "$(impl_env "$acc")" "$(impl_export "$acc")" "${names[@]}"
            KRB5_CONFIG="$conf" KRB5CCNAME="FILE:$d/acc-no-ccache" KRB5_KTNAME="FILE:$kt"
            KRB5_CLIENT_KTNAME="FILE:$d/no-client-keytab" KRB5RCACHEDIR="$d"
            "$(impl_bin "$acc")" --mech "$m" acc "$sc")
    if [ "$sc" = deleg ]; then
        cmd+=(-- env -u LD_LIBRARY_PATH -u LD_PRELOAD "$(impl_env "$ini")" "$(impl_export "$ini")" "${names[@]}"
              KRB5_CONFIG="$conf" KRB5CCNAME="FILE:$d/svc2-no-ccache" KRB5_KTNAME="FILE:$BATON_SERVICE2_KEYTAB"
              KRB5_CLIENT_KTNAME="FILE:$d/no-client-keytab" KRB5RCACHEDIR="$d"
              "$(impl_bin "$ini")" --mech "$m" svc2 "$sc")
    fi
    "${cmd[@]}" >"$d/run.out" 2>"$d/peers.err"
    rc=$?
    {
        grep -E 'FAIL|FATAL|AddressSanitizer|runtime error|LeakSanitizer|SUMMARY' "$d/peers.err"
        [ "$rc" = 0 ] || grep -v ' exit 0$' "$d/run.out"
    } >>"$d/details"
    skey=$(io_skey_enctype "$d/ccache" "$BATON_SERVICE_PRINC")
    if [ "$skey" != "$et" ]; then
        echo "klist -e: service ticket session key enctype '${skey:-none}', want $et" >>"$d/details"
        rc=1
    fi
    # A side that cannot do what the case asks says "SKIP: reason".
    sed -n 's/^# \[[a-z]* [a-z0-9]*\] SKIP: //p' "$d/peers.err" | head -n 1 >"$d/skip"
    if [ "$rc" = 0 ]; then echo 1 >"$d/result"; else echo 0 >"$d/result"; fi
}

cases=()
for ini in mit baton; do
    for acc in mit baton; do
        for et in $enctypes; do
            for sc in $scenarios; do
                cases+=("$ini $acc $et $sc krb5")
            done
        done
        for et in $spnego_enctypes; do
            for sc in $spnego_scenarios; do
                cases+=("$ini $acc $et $sc spnego")
            done
        done
    done
done

start=$SECONDS
echo "# ${#cases[@]} cases, $jobs at a time, realm $BATON_REALM_DIR"
io_run_cases

nskip=0
for ((idx = 0; idx < ${#cases[@]}; idx++)); do
    d=$work/c$idx
    # shellcheck disable=SC2086
    set -- ${cases[$idx]}
    why=$(case_skip "$@")
    [ -z "$why" ] && [ -s "$d/skip" ] && [ "$(cat "$d/result" 2>/dev/null)" = 1 ] && why=$(cat "$d/skip")
    if [ -n "$why" ]; then
        echo "ok - $(case_name "$@") # SKIP $why"
        nskip=$((nskip + 1))
    elif [ -f "$d/result" ]; then
        io_result "$(cat "$d/name")" "$(cat "$d/result")" "$d/details"
    else
        echo "the case runner itself failed" >"$d/details.none"
        io_result "$(case_name "$@")" 0 "$d/details.none"
    fi
done
[ "$nskip" -gt 0 ] && echo "# $nskip case(s) skipped (SKIP lines above say why)"
echo "# $((SECONDS - start)) s"
io_summary
