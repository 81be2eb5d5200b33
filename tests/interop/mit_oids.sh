#!/bin/bash
# mit_oids.sh DUMP COMPAT_DIR EXPORTS_TXT [-x]
#
# interop_mit_oids (and, with -x, interop_mit_oid_to_str_bytes): run
# mit_oid_dump - built against MIT's headers and library - twice, in
# separate processes: on MIT's library, then with LD_LIBRARY_PATH=COMPAT_DIR
# so that Baton's libgssapi_krb5.so.2 stands in.  Each run must be served by
# the intended library, cover every data symbol of exports.txt's
# gssapi_krb5_2_MIT node, and the two outputs must be identical.
set -uo pipefail
dump=${1:?usage: mit_oids.sh DUMP COMPAT_DIR EXPORTS_TXT [-x]}
compat=${2:?}
exports=${3:?}
mode=${4:-}
fail=0
ok() { echo "ok - $*"; }
notok() { echo "not ok - $*"; fail=1; }
tmp=$(mktemp -d "${TMPDIR:-/tmp}/interop_oids.XXXXXX") || exit 2
trap 'rm -rf "$tmp"' EXIT

mitlib=$(readlink -f /usr/lib/x86_64-linux-gnu/libgssapi_krb5.so.2)
batonlib=$(readlink -f "$compat/libgssapi_krb5.so.2")
[ -f "$batonlib" ] || { echo "not ok - no $compat/libgssapi_krb5.so.2"; exit 1; }
# It must really be Baton (BATON_0 node), not some other libgssapi.
[ "$(objdump -T "$batonlib" | grep -c "BATON_0 *baton_version$")" -gt 0 ] ||
    { echo "not ok - $batonlib is not Baton's library (no baton_version)"; exit 1; }

# LD_LIBRARY_PATH cleared for the MIT run: only the system library.
env -u LD_LIBRARY_PATH -u LD_PRELOAD "$dump" $mode > "$tmp/mit.out" 2> "$tmp/mit.err"
rc_mit=$?
env -u LD_PRELOAD LD_LIBRARY_PATH="$compat" "$dump" $mode > "$tmp/baton.out" 2> "$tmp/baton.err"
rc_baton=$?

[ $rc_mit -eq 0 ] && ok "the dump runs on MIT's library" \
    || { notok "the dump failed on MIT's library (exit $rc_mit)"; cat "$tmp/mit.err"; }
[ $rc_baton -eq 0 ] && ok "the dump runs on Baton's compat library" \
    || { notok "the dump failed on Baton's compat library (exit $rc_baton)"; cat "$tmp/baton.err"; }

for run in mit baton; do
    if [ $run = mit ]; then want=$mitlib; else want=$batonlib; fi
    for what in functions data; do
        got=$(sed -n "s/^# $what: //p" "$tmp/$run.err")
        [ "$got" = "$want" ] && ok "$run run: $what come from $got" \
            || notok "$run run: $what come from '$got', want $want"
    done
done

# Every data symbol of the MIT node, and nothing printed as NULL.
missing=""
nsyms=0
for s in $(awk '!/^#/ && $1 == "gssapi_krb5_2_MIT" && $3 == "D" {print $2}' "$exports"); do
    nsyms=$((nsyms + 1))
    grep -q "^$s " "$tmp/mit.out" || missing="$missing $s"
done
[ $nsyms -gt 0 ] && [ -z "$missing" ] && ok "all $nsyms data symbols are dumped" \
    || notok "data symbols not dumped ($nsyms in exports.txt):$missing"
grep -q ' NULL$' "$tmp/mit.out" "$tmp/baton.out" &&
    notok "a data symbol is NULL: $(grep -h ' NULL$' "$tmp/mit.out" "$tmp/baton.out" | head -3)"

if diff -u --label "MIT $mitlib" --label "Baton $batonlib" \
        "$tmp/mit.out" "$tmp/baton.out"; then
    ok "identical output on MIT and Baton ($(wc -l < "$tmp/mit.out") lines${mode:+, $mode})"
else
    notok "MIT and Baton differ (- MIT, + Baton)"
fi
exit $fail
