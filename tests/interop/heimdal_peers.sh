#!/bin/bash
# heimdal_peers.sh PEER_HEIMDAL PEER_MIT PEER_BATON INTEROP_RUN HEIMDAL_ENCTYPES
#
# interop_heimdal_peers, run inside a throwaway MIT realm (realm.sh run --
# ...): peer.c built against Heimdal's libgssapi.so.3 (PEER_HEIMDAL,
# heimdal-multidev) meets the builds against Baton (PEER_BATON) and MIT
# (PEER_MIT), each side in its own process, joined by a socketpair
# (INTEROP_RUN), as krb5_peers.sh does for MIT and Baton.
#
#   pairs (initiator -> acceptor):
#     heimdal -> baton, baton -> heimdal     the point of the suite
#     heimdal -> mit,   mit -> heimdal       control: what MIT makes of Heimdal
#     heimdal -> heimdal                     control: Heimdal's own behaviour
#   x session-key enctype: aes256/aes128-cts-hmac-sha1-96 and
#     aes256-cts-hmac-sha384-192/aes128-cts-hmac-sha256-128, forced with an
#     overlay KRB5_CONFIG that names them for MIT (default_tgs_enctypes) and
#     for Heimdal (default_tgs_etypes), checked with klist -e on the
#     initiator's ccache
#   x scenario: every scenario of peer.c (peer list), see krb5_peers.sh:
#     wrap-conf, wrap-integ, mic (mutual establishment, then sizes 0..64 KiB
#     both ways), nomutual, replay, sequence, cb-same, cb-addr, cb-diff,
#     deleg (the acceptor goes on to HTTP@localhost with the delegated
#     credential, accepted by the initiator's implementation), krberror,
#     and the IOV/AEAD scenarios of peer_iov.c: iov-split, iov-integ,
#     iov-header-only, iov-stream, aead, mic-iov (Heimdal 7.8 lacks the MIC
#     IOV calls and STREAM buffers: its side uses the plain equivalents,
#     see the quirks below, and the other side still uses the IOV call),
#     and prf (peer_prf.c: gss_pseudo_random with both prf_keys, the
#     acceptor compares the initiator's outputs with its own).
#   and again through SPNEGO (peer --mech spnego, "mech=spnego" in the case
#   names; see krb5_peers.sh for the scenarios), the same pairs, with
#   aes256-cts-hmac-sha1-96 and aes256-cts-hmac-sha384-192 only (one of
#   each Kerberos enctype family; SPNEGO does not depend on the enctype,
#   and the CI budget is ~2 minutes a suite on 2 cores).  Heimdal 7.8 has
#   no gss_set_neg_mechs (peer features): spnego-mslegacy with a Heimdal
#   initiator and spnego-nocommon with a Heimdal acceptor are skipped,
#   spnego-mechlist runs with Heimdal's default list (krb5 alone anyway);
#   spnego-export-partial runs only where Baton exports (MIT refuses to
#   export a partial SPNEGO context, Heimdal 7.8 crashes in
#   gss_export_sec_context on one).  heimdal -> mit and mit -> heimdal
#   through SPNEGO are the controls: they must pass.  Where Baton's SPNEGO
#   differs from MIT's, the cases are in KNOWN_FAILURES.
#
# What Heimdal reads here (checked with strace when this suite was written,
# and in every case by the enctype check, which needs both the overlay and
# the realm's KDC address): only the KRB5_CONFIG list (no /etc/krb5.conf),
# MIT's FILE ccache (it appends the service ticket MIT's klist then shows)
# and MIT's FILE keytab.  Debian 12's Heimdal 7.8 has the RFC 8009 enctypes;
# HEIMDAL_ENCTYPES (heimdal_enctypes.c) asks Heimdal's libkrb5 which of the
# four it can use, and the cases of any other enctype are reported as
# skipped with its reason, not failed.
#
# Heimdal deviations that are not Baton's business are tolerated by the
# peers through PEER_QUIRKS (documented in peer.c) and shown on the ok
# line; they happen between Heimdal and MIT, and Heimdal and itself, too.
# Genuine Baton bugs are listed in KNOWN_FAILURES (interop_lib.sh).
#
# Output: "ok - init=X acc=Y [mech=spnego ]enctype=E scenario=S" / "not ok
# - ..." per case, "ok - ... # SKIP reason" for an enctype Heimdal lacks or
# a SPNEGO case that cannot run, then tables of passes per pair, enctype
# and scenario and "N passed, M failed".
set -uo pipefail

usage="usage: heimdal_peers.sh PEER_HEIMDAL PEER_MIT PEER_BATON INTEROP_RUN HEIMDAL_ENCTYPES"
peer_heimdal=${1:?$usage}
peer_mit=${2:?$usage}
peer_baton=${3:?$usage}
runner=${4:?$usage}
heimdal_enctypes=${5:?$usage}
jobs=${BATON_INTEROP_JOBS:-2}
here=$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")
# shellcheck source=interop_lib.sh
. "$here/interop_lib.sh"

# Known Baton bugs; see interop_lib.sh.  Patterns match the case names.
# shellcheck disable=SC2034  # read by io_result (interop_lib.sh)
# (spnego-nocommon: Baton's acceptor answers GSS_S_BAD_MECH with a reject
# token where MIT's returns GSS_S_FAILURE and no token; a deliberate
# difference the peer checks per implementation, not a known failure.)
KNOWN_FAILURES=()

# Heimdal deviations tolerated by the peers (PEER_QUIRKS), for the summary.
declare -A QUIRK_WHY=(
    [heimdal-unwrap-seq-no-message]="Heimdal's gss_unwrap checks the sequence number before decrypting: GSS_S_GAP_TOKEN/GSS_S_UNSEQ_TOKEN come without the message"
    [heimdal-nomutual-initiator-gap]="a Heimdal initiator without GSS_C_MUTUAL_FLAG starts its receive window at 0, not at the acceptor's first sequence number: the first token it receives is GSS_S_GAP_TOKEN (even from a Heimdal acceptor)"
    [heimdal-acceptor-no-krb-error]="a Heimdal acceptor returns no KRB-ERROR token for a ticket it cannot decrypt (only for clock skew and not-yet-valid tickets)"
    [heimdal-no-mic-iov]="Heimdal 7.8 has no gss_get_mic_iov/gss_verify_mic_iov (no GSS_IOV_BUFFER_TYPE_MIC_TOKEN in its gssapi.h): its side of mic-iov uses gss_get_mic/gss_verify_mic over DATA||SIGN_ONLY"
    [heimdal-no-iov-stream]="Heimdal's krb5 gss_unwrap_iov needs a HEADER buffer and takes no STREAM (GSS_S_FAILURE, EINVAL), and its gss_unwrap_aead passes a STREAM: its side falls back to gss_unwrap, or to gss_unwrap_iov on the token split at gss_wrap_iov_length's sizes"
    [heimdal-iov-failure-not-bad-sig]="Heimdal's gss_unwrap_iov reports a failed decryption or checksum (altered SIGN_ONLY data) as GSS_S_FAILURE with KRB5KRB_AP_ERR_BAD_INTEGRITY, not GSS_S_BAD_SIG"
    [heimdal-spnego-early-mech]="a Heimdal SPNEGO initiator reports actual_mech_type krb5 from a step that returns GSS_S_CONTINUE_NEEDED; MIT reports GSS_C_NO_OID until the context is complete (the value Baton is held to)"
    [heimdal-spnego-reject-ignores-token]="a Heimdal SPNEGO initiator given a reject carrying a KRB-ERROR (MIT's acceptor sends one) fails with GSS_S_BAD_MECH, minor 0, without reading the error; MIT's fails with GSS_S_FAILURE and the Kerberos error (the behaviour Baton is held to)"
    [heimdal-no-set-neg-mechs]="Heimdal 7.8 has no gss_set_neg_mechs: its side of spnego-mechlist (and the initiator of spnego-nocommon) keeps its default mechanism list, which is krb5 alone"
)

[ -n "${BATON_REALM_DIR:-}" ] || { echo "not ok - not inside a realm (run me with realm.sh run --)"; exit 1; }
for p in "$peer_heimdal" "$peer_mit" "$peer_baton" "$runner" "$heimdal_enctypes"; do
    [ -x "$p" ] || { echo "not ok - $p is not an executable"; exit 1; }
done

# Each build must really use the library it claims: Heimdal's libgssapi.so.3
# (and no libgssapi_krb5 at all) for the Heimdal peer, MIT's libgssapi_krb5
# for the MIT peer, no GSS library for Baton's.
heim_lib=$(env -u LD_LIBRARY_PATH ldd "$peer_heimdal" | awk '$1 ~ /^libgssapi\.so\.3$/ {print $3}')
if [ -z "$heim_lib" ] || env -u LD_LIBRARY_PATH ldd "$peer_heimdal" | grep -q 'libgssapi_krb5' ||
    ! objdump -T "$heim_lib" 2>/dev/null | grep -q 'HEIMDAL_GSS_[0-9.]* *gss_init_sec_context$'; then
    echo "not ok - $peer_heimdal does not load Heimdal's libgssapi.so.3 alone (got '${heim_lib:-nothing}')"
    env -u LD_LIBRARY_PATH ldd "$peer_heimdal" | grep -E 'gssapi|krb5' | sed 's/^/#   /'
    exit 1
fi
mit_lib=$(env -u LD_LIBRARY_PATH ldd "$peer_mit" | awk '$1 ~ /^libgssapi_krb5\.so/ {print $3}')
if [ -z "$mit_lib" ] || objdump -T "$mit_lib" 2>/dev/null | grep -q 'baton_version'; then
    echo "not ok - $peer_mit does not load MIT's libgssapi_krb5 (got '${mit_lib:-nothing}')"
    exit 1
fi
if ldd "$peer_baton" | grep -q 'libgssapi'; then
    echo "not ok - $peer_baton loads a libgssapi: $(ldd "$peer_baton" | grep libgssapi)"
    exit 1
fi
echo "# Heimdal peer on $(readlink -f "$heim_lib"); MIT peer on $(readlink -f "$mit_lib"); Baton peer statically linked"

work=$BATON_REALM_DIR/heimdal-peers
mkdir -p "$work/bin"
mkdir -m 700 "$work/baton-runtime"
# Private copies: a rebuild of the build tree during the run must not swap
# a binary under the cases.
if ! cp "$peer_heimdal" "$work/bin/peer_heimdal" || ! cp "$peer_mit" "$work/bin/peer_mit" ||
    ! cp "$peer_baton" "$work/bin/peer_baton" || ! cp "$runner" "$work/bin/interop_run"; then
    echo "not ok - cannot copy the peer programs"
    exit 1
fi
runner=$work/bin/interop_run
cc_file=${KRB5CCNAME#FILE:}
cp "$cc_file" "$work/tgt.ccache" || { echo "not ok - cannot copy the realm's ccache"; exit 1; }
tgt_et=$(io_skey_enctype "$work/tgt.ccache" "krbtgt/$BATON_REALM@$BATON_REALM")
[ -n "$tgt_et" ] || { echo "not ok - cannot read the TGT's enctype"; exit 1; }
enctypes="aes256-cts-hmac-sha1-96 aes128-cts-hmac-sha1-96 aes256-cts-hmac-sha384-192 aes128-cts-hmac-sha256-128"
# The overlay, in both dialects: MIT reads default_tgs_enctypes, Heimdal
# default_tgs_etypes; each ignores the other's.  Both take the first
# binding of a name across the KRB5_CONFIG list, so the overlay wins.
for et in $enctypes; do
    list=$et
    [ "$tgt_et" != "$et" ] && list="$et $tgt_et"
    printf '[libdefaults]\n\tdefault_tgs_enctypes = %s\n\tdefault_tgs_etypes = %s\n' \
        "$list" "$list" >"$work/overlay-$et.conf"
done

# A keytab with the right principal, kvno and enctypes but keys from a
# wrong password: the ticket cannot be decrypted.
kvno=$(klist -k "$BATON_SERVICE_KEYTAB" | awk -v p="$BATON_SERVICE_PRINC" '$2 == p {print $1; exit}')
{
    for et in $enctypes; do
        printf 'addent -password -p %s -k %s -e %s\n%s\n' "$BATON_SERVICE_PRINC" "${kvno:-1}" "$et" "not-the-service-password"
    done
    printf 'wkt %s\nquit\n' "$work/wrong.keytab"
} | ktutil >"$work/ktutil.log" 2>&1
n=$(klist -k "$work/wrong.keytab" 2>/dev/null | grep -c "$BATON_SERVICE_PRINC")
[ "$n" = 4 ] || { echo "not ok - could not make the wrong-key keytab with ktutil"; sed 's/^/#   /' "$work/ktutil.log"; exit 1; }

scenarios=$("$work/bin/peer_heimdal" list) || { echo "not ok - $peer_heimdal list failed"; exit 1; }
spnego_scenarios=$("$work/bin/peer_heimdal" --mech spnego list) || { echo "not ok - $peer_heimdal --mech spnego list failed"; exit 1; }
for i in mit baton; do
    [ "$scenarios" = "$("$work/bin/peer_$i" list)" ] || { echo "not ok - the peers were built from different sources"; exit 1; }
    [ "$spnego_scenarios" = "$("$work/bin/peer_$i" --mech spnego list)" ] || { echo "not ok - the peers were built from different sources"; exit 1; }
done
spnego_enctypes="aes256-cts-hmac-sha1-96 aes256-cts-hmac-sha384-192"
# Which builds can restrict a SPNEGO credential's mechanisms.
declare -A NEG_MECHS=()
for i in heimdal mit baton; do
    NEG_MECHS[$i]=$("$work/bin/peer_$i" features | awk '$1 == "set_neg_mechs" {print $2}')
done

T=20
names=(PEER_USER="$BATON_USER" PEER_TARGET="$BATON_SERVICE"
       PEER_TARGET2="$BATON_SERVICE2" PEER_TARGET_PRINC="$BATON_SERVICE_PRINC"
       PEER_TARGET2_PRINC="$BATON_SERVICE2_PRINC")
# Neither MIT's nor Heimdal's library is ours to hold to LeakSanitizer;
# Baton gets the realm's own transfer runtime dir, never the user's.
impl_env() {
    if [ "$1" = baton ]; then echo "BATON_RUNTIME_DIR=$work/baton-runtime"
    else echo "ASAN_OPTIONS=${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0"; fi
}
# spnego-export-partial: only Baton exports a half-established context.
impl_export() { if [ "$1" = baton ]; then echo PEER_EXPORT_PARTIAL=1; else echo PEER_EXPORT_PARTIAL=; fi; }

# case_name INIT ACC ENCTYPE SCENARIO MECH
case_name() {
    if [ "$5" = krb5 ]; then echo "init=$1 acc=$2 enctype=$3 scenario=$4"
    else echo "init=$1 acc=$2 mech=$5 enctype=$3 scenario=$4"; fi
}

# case_skip INIT ACC ENCTYPE SCENARIO MECH: why the case cannot run, if so.
case_skip() {
    if [ -n "${SKIP[$3]:-}" ]; then
        echo "${SKIP[$3]}"
    elif [ "$4" = spnego-export-partial ] && [ "$1" != baton ] && [ "$2" != baton ]; then
        echo "only Baton exports a partial SPNEGO context (MIT: GSS_S_UNAVAILABLE; Heimdal 7.8 crashes in gss_export_sec_context)"
    elif [ "$4" = spnego-mslegacy ] && [ "${NEG_MECHS[$1]}" != yes ]; then
        echo "the $1 initiator has no gss_set_neg_mechs: it cannot offer the MS OID first (spnego-mslegacy-wire covers the acceptor)"
    elif [ "$4" = spnego-nocommon ] && [ "${NEG_MECHS[$2]}" != yes ]; then
        echo "the $2 acceptor has no gss_set_neg_mechs: it cannot be restricted to a mechanism the initiator lacks"
    fi
}

# quirks IMPL ROLE PEER_IMPL SCENARIO MECH: the PEER_QUIRKS of one process.
quirks() {
    local impl=$1 role=$2 other=$3 sc=$4 m=$5 q=()
    if [ "$impl" = heimdal ]; then
        q+=(heimdal-unwrap-seq-no-message)
        case $sc in
        mic-iov) q+=(heimdal-no-mic-iov) ;;
        iov-stream) q+=(heimdal-no-iov-stream) ;;
        aead) q+=(heimdal-no-iov-stream heimdal-iov-failure-not-bad-sig) ;;
        iov-split | iov-integ) q+=(heimdal-iov-failure-not-bad-sig) ;;
        esac
        [ "$role" = init ] && [ "$sc" = nomutual ] && q+=(heimdal-nomutual-initiator-gap)
        [ "$role" = acc ] && q+=(heimdal-acceptor-no-krb-error)
        if [ "$m" = spnego ]; then
            [ "$role" = init ] && q+=(heimdal-spnego-early-mech)
            [ "$role" = init ] && [ "$sc" = krberror ] && q+=(heimdal-spnego-reject-ignores-token)
            case $sc in spnego-mechlist | spnego-nocommon) q+=(heimdal-no-set-neg-mechs) ;; esac
        fi
    fi
    # The initiator's view of a Heimdal acceptor's silence.
    [ "$role" = init ] && [ "$other" = heimdal ] && q+=(heimdal-acceptor-no-krb-error)
    local IFS=,
    echo "PEER_QUIRKS=${q[*]}"
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
    # Only the initiator has a ccache, only acceptors have keytabs: the
    # delegated credential is the acceptor's only way on.
    cmd=("$runner" -t "$T"
         -- env -u LD_LIBRARY_PATH -u LD_PRELOAD "$(impl_env "$ini")" "$(impl_export "$ini")" "${names[@]}"
            "$(quirks "$ini" init "$acc" "$sc" "$m")"
            KRB5_CONFIG="$conf" KRB5CCNAME="FILE:$d/ccache" KRB5_KTNAME="FILE:$d/no-keytab"
            KRB5_CLIENT_KTNAME="FILE:$d/no-client-keytab"
            "$work/bin/peer_$ini" --mech "$m" init "$sc"
         -- env -u LD_LIBRARY_PATH -u LD_PRELOAD "$(impl_env "$acc")" "$(impl_export "$acc")" "${names[@]}"
            "$(quirks "$acc" acc "$ini" "$sc" "$m")"
            KRB5_CONFIG="$conf" KRB5CCNAME="FILE:$d/acc-no-ccache" KRB5_KTNAME="FILE:$kt"
            KRB5_CLIENT_KTNAME="FILE:$d/no-client-keytab" KRB5RCACHEDIR="$d"
            "$work/bin/peer_$acc" --mech "$m" acc "$sc")
    if [ "$sc" = deleg ]; then
        cmd+=(-- env -u LD_LIBRARY_PATH -u LD_PRELOAD "$(impl_env "$ini")" "${names[@]}"
              "$(quirks "$ini" svc2 "$acc" "$sc" "$m")"
              KRB5_CONFIG="$conf" KRB5CCNAME="FILE:$d/svc2-no-ccache" KRB5_KTNAME="FILE:$BATON_SERVICE2_KEYTAB"
              KRB5_CLIENT_KTNAME="FILE:$d/no-client-keytab" KRB5RCACHEDIR="$d"
              "$work/bin/peer_$ini" --mech "$m" svc2 "$sc")
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
    sed -n 's/^# \[\([a-z]*\) \([a-z0-9]*\)\] QUIRK \([a-z0-9-]*\):.*/\3 (\1 \2)/p' "$d/peers.err" |
        sort -u | paste -sd ';' - >"$d/quirks"
    # A side that cannot do what the case asks says "SKIP: reason".
    sed -n 's/^# \[[a-z]* [a-z0-9]*\] SKIP: //p' "$d/peers.err" | head -n 1 >"$d/skip"
    if [ "$rc" = 0 ]; then echo 1 >"$d/result"; else echo 0 >"$d/result"; fi
}

pairs="heimdal:baton baton:heimdal heimdal:mit mit:heimdal heimdal:heimdal"

# Which enctypes Heimdal's own libkrb5 can use (name known, valid, keys).
declare -A SKIP=()
# shellcheck disable=SC2086  # one argument per enctype
probe=$(env -u LD_LIBRARY_PATH -u LD_PRELOAD "$(impl_env heimdal)" "$heimdal_enctypes" $enctypes) ||
    { echo "not ok - $heimdal_enctypes failed"; exit 1; }
for et in $enctypes; do
    line=$(grep -m1 "^$et " <<<"$probe")
    case $line in
    "$et ok") echo "# Heimdal supports $et" ;;
    *) SKIP[$et]="Heimdal ($(readlink -f "$heim_lib")) does not support $et: ${line#"$et unsupported: "}"
       echo "# ${SKIP[$et]}" ;;
    esac
done

cases=()
for pair in $pairs; do
    for et in $enctypes; do
        for sc in $scenarios; do
            cases+=("${pair%%:*} ${pair##*:} $et $sc krb5")
        done
    done
    for et in $spnego_enctypes; do
        for sc in $spnego_scenarios; do
            cases+=("${pair%%:*} ${pair##*:} $et $sc spnego")
        done
    done
done

start=$SECONDS
echo "# ${#cases[@]} cases, $jobs at a time, realm $BATON_REALM_DIR"
io_run_cases

declare -A PASS=() QUIRKS_SEEN=()
nskip=0
for ((idx = 0; idx < ${#cases[@]}; idx++)); do
    d=$work/c$idx
    # shellcheck disable=SC2086
    set -- ${cases[$idx]}
    name=$(case_name "$@")
    key="$1->$2 $3 $4 $5"
    why=$(case_skip "$@")
    [ -z "$why" ] && [ -s "$d/skip" ] && [ "$(cat "$d/result" 2>/dev/null)" = 1 ] && why=$(cat "$d/skip")
    if [ -n "$why" ]; then
        echo "ok - $name # SKIP $why"
        nskip=$((nskip + 1))
        PASS[$key]=skip
        continue
    fi
    if [ -f "$d/result" ]; then
        seen=$(cat "$d/quirks")
        io_result "$name" "$(cat "$d/result")" "$d/details" "${seen:+tolerated Heimdal quirk: $seen}"
        [ "$(cat "$d/result")" = 1 ] && PASS[$key]=1
        # Each quirk once per case, whichever sides reported it.
        while read -r n; do
            [ -n "$n" ] && QUIRKS_SEEN[$n]=$((${QUIRKS_SEEN[$n]:-0} + 1))
        done < <(sed 's/ ([^)]*)//g' "$d/quirks" | tr ';' '\n' | sort -u)
    else
        echo "the case runner itself failed" >"$d/details.none"
        io_result "$name" 0 "$d/details.none"
    fi
done
echo "# $((SECONDS - start)) s"

# The matrix: passes per pair and enctype, scenario by scenario.
# matrix MECH "ENCTYPES" "SCENARIOS"
matrix() {
    local m=$1 ets=$2 scs=$3 p pair et sc r c np nt
    echo "# passes, mech $m (P = pass, F = fail, S = skipped):"
    printf '#   %-17s %-27s' pair enctype
    for sc in $scs; do printf ' %s' "$sc"; done
    printf ' total\n'
    for pair in $pairs; do
        p=${pair/:/->}
        for et in $ets; do
            printf '#   %-17s %-27s' "$p" "$et"
            np=0 nt=0
            for sc in $scs; do
                r=${PASS["$p $et $sc $m"]:-0}
                case $r in 1) c=P; np=$((np + 1)) ;; skip) c=S ;; *) c=F ;; esac
                nt=$((nt + 1))
                printf " %${#sc}s" "$c"
            done
            printf ' %d/%d\n' "$np" "$nt"
        done
    done
}
matrix krb5 "$enctypes" "$scenarios"
matrix spnego "$spnego_enctypes" "$spnego_scenarios"
if [ "${#QUIRKS_SEEN[@]}" -gt 0 ]; then
    echo "# Heimdal deviations tolerated (not Baton bugs; seen with MIT and Heimdal peers too):"
    for n in "${!QUIRKS_SEEN[@]}"; do
        echo "#   $n [${QUIRKS_SEEN[$n]} case(s)]: ${QUIRK_WHY[$n]:-?}"
    done
fi
[ "$nskip" -gt 0 ] && echo "# $nskip case(s) skipped (SKIP lines above say why)"
io_summary
