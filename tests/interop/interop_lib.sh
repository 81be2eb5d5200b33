# shellcheck shell=bash
# interop_lib.sh - reporting shared by the krb5 interop scripts (sourced).
#
# Each case prints one line, "ok - NAME" or "not ok - NAME", and the
# script ends with "N passed, M failed".  Known Baton bugs are listed by the
# script in KNOWN_FAILURES ("GLOB|reason" entries matched against NAME):
# a listed case that fails prints "not ok - NAME # TODO known Baton bug:
# reason" and does not fail the test; a listed case that passes is an
# error ("the bug is fixed: remove it from the list"), so the list can
# only shrink.  The exit status is 0 only without unexpected results.
#
# An entry written "?GLOB|reason" is not strict: for a bug in code that is
# still changing (e.g. uncommitted work), a pass is fine too.
#
# ctest: these tests rely on the exit status, not on a "not ok" pattern,
# since known failures are printed as "not ok ... # TODO".

KNOWN_FAILURES=()
IO_PASS=0
IO_FAIL=0
IO_XFAIL=0
IO_XPASS=0
IO_UNEXPECTED=()
declare -A IO_KNOWN_HITS=()

# io_known NAME: the KNOWN_FAILURES entry ("GLOB|reason") NAME matches.
io_known() {
    local e pat
    for e in "${KNOWN_FAILURES[@]}"; do
        pat=${e%%|*}
        pat=${pat#\?}
        # shellcheck disable=SC2053
        if [[ $1 == $pat ]]; then
            printf '%s\n' "$e"
            return 0
        fi
    done
    return 1
}

# io_result NAME PASSED(0|1) [DETAILS-FILE [NOTE]]: report one case; NOTE
# is appended to an ok line as a "# NOTE" comment.
io_result() {
    local name=$1 passed=$2 details=${3:-} note=${4:-} entry="" reason=""
    entry=$(io_known "$name") || entry=""
    reason=${entry#*|}
    if [ "$passed" = 1 ]; then
        IO_PASS=$((IO_PASS + 1))
        if [ -n "$reason" ] && [ "${entry:0:1}" = "?" ]; then
            echo "ok - $name${note:+ # $note} # (listed as a possible failure: $reason)"
        elif [ -n "$reason" ]; then
            IO_XPASS=$((IO_XPASS + 1))
            IO_UNEXPECTED+=("$name (passes but is listed as known: $reason)")
            echo "ok - $name # listed as a known failure but PASSES: remove it from KNOWN_FAILURES ($reason)"
        else
            echo "ok - $name${note:+ # $note}"
        fi
        return 0
    fi
    IO_FAIL=$((IO_FAIL + 1))
    if [ -n "$reason" ]; then
        IO_XFAIL=$((IO_XFAIL + 1))
        IO_KNOWN_HITS[$entry]=$((${IO_KNOWN_HITS[$entry]:-0} + 1))
        echo "not ok - $name # TODO known Baton bug: $reason"
    else
        IO_UNEXPECTED+=("$name")
        echo "not ok - $name"
    fi
    if [ -n "$details" ] && [ -s "$details" ]; then
        # Known failures are summarised once below, not per case.
        if [ -z "$reason" ] || [ "${IO_KNOWN_HITS[$entry]}" = 1 ]; then
            sed 's/^/#   /' "$details" | head -n 40
        fi
    fi
}

# io_summary: the known-failure list, the counts; returns the exit status.
io_summary() {
    local e n pat
    if [ "${#KNOWN_FAILURES[@]}" -gt 0 ]; then
        echo "# known Baton bugs (KNOWN_FAILURES, expected to fail until fixed):"
        for e in "${KNOWN_FAILURES[@]}"; do
            n=${IO_KNOWN_HITS[$e]:-0}
            pat=${e%%|*}
            if [ "${pat:0:1}" = "?" ]; then
                echo "#   [$n case(s) failed] ${pat#\?}: ${e#*|} (not strict: may pass)"
            else
                echo "#   [$n case(s) failed as expected] $pat: ${e#*|}"
            fi
        done
    fi
    if [ "${#IO_UNEXPECTED[@]}" -gt 0 ]; then
        echo "# unexpected results:"
        for e in "${IO_UNEXPECTED[@]}"; do
            echo "#   $e"
        done
    fi
    echo "$IO_PASS passed, $IO_FAIL failed ($IO_XFAIL known failures, ${#IO_UNEXPECTED[@]} unexpected)"
    [ "${#IO_UNEXPECTED[@]}" -eq 0 ]
}

# io_asan_preload LIB: the ASan runtime LIB links against, if any; an
# uninstrumented program (MIT's samples) must preload it to load LIB.
io_asan_preload() {
    ldd "$1" 2>/dev/null | awk '$1 ~ /^libasan\.so/ {print $3}'
}

# io_overlay DIR ENCTYPE: writes DIR/overlay-ENCTYPE.conf, a profile to put
# before the realm's krb5.conf so that service tickets get ENCTYPE session
# keys (the TGT's enctype must follow, see shared/reference/realm.md).
io_overlay() {
    local dir=$1 et=$2 tgt=$3 list
    list=$et
    [ "$tgt" != "$et" ] && list="$et $tgt"
    cat >"$dir/overlay-$et.conf" <<EOF
[libdefaults]
	default_tgs_enctypes = $list
EOF
}

# io_skey_enctype CCACHE PRINC: the session-key enctype klist -e shows for
# PRINC's ticket in CCACHE.
io_skey_enctype() {
    klist -e -c "$1" 2>/dev/null | awk -v p="$2" '
        $0 ~ p { want = 1; next }
        want && /Etype \(skey, tkt\):/ {
            sub(/.*Etype \(skey, tkt\): */, ""); sub(/,.*/, ""); print; exit }'
}

# io_run_cases: runs run_case IDX WORDS... for every entry of the caller's
# array cases (space-separated words), $jobs at a time, in the
# background, and waits for all; an entry for which case_skip (if the
# script defines one) prints a reason is not run.
# shellcheck disable=SC2154  # cases and jobs are the caller's
io_run_cases() {
    local idx running=0
    for ((idx = 0; idx < ${#cases[@]}; idx++)); do
        # shellcheck disable=SC2086
        set -- ${cases[$idx]}
        if declare -F case_skip >/dev/null && [ -n "$(case_skip "$@")" ]; then
            continue
        fi
        run_case "$idx" "$@" &
        running=$((running + 1))
        if [ "$running" -ge "$jobs" ]; then
            wait -n
            running=$((running - 1))
        fi
    done
    wait
}
