#!/bin/bash
# mit_names.sh DUMP COMPAT_DIR
#
# interop_mit_names: run mit_name_dump - built against MIT's headers and
# library - on MIT's library and then with LD_LIBRARY_PATH=COMPAT_DIR (Baton
# standing in), in separate processes with the same krb5.conf; each run must
# be served by the intended library and the outputs must be identical.
set -uo pipefail
dump=${1:?usage: mit_names.sh DUMP COMPAT_DIR}
compat=${2:?}
fail=0
ok() { echo "ok - $*"; }
notok() { echo "not ok - $*"; fail=1; }
tmp=$(mktemp -d "${TMPDIR:-/tmp}/interop_names.XXXXXX") || exit 2
trap 'rm -rf "$tmp"' EXIT

mitlib=$(readlink -f /usr/lib/x86_64-linux-gnu/libgssapi_krb5.so.2)
batonlib=$(readlink -f "$compat/libgssapi_krb5.so.2")
[ -f "$batonlib" ] || { echo "not ok - no $compat/libgssapi_krb5.so.2"; exit 1; }
# It must really be Baton (BATON_0 node), not some other libgssapi.
[ "$(objdump -T "$batonlib" | grep -c "BATON_0 *baton_version$")" -gt 0 ] ||
    { echo "not ok - $batonlib is not Baton's library (no baton_version)"; exit 1; }
cat > "$tmp/krb5.conf" <<EOF2
[libdefaults]
    default_realm = ABI.TEST
    dns_lookup_kdc = false
    dns_lookup_realm = false
    rdns = false
    dns_canonicalize_hostname = false
EOF2
base=(env -u LD_PRELOAD -u LD_LIBRARY_PATH KRB5_CONFIG="$tmp/krb5.conf"
      KRB5CCNAME="FILE:$tmp/no-ccache" KRB5_KTNAME="FILE:$tmp/no-keytab")

"${base[@]}" "$dump" > "$tmp/mit.out" 2> "$tmp/mit.err"
rc_mit=$?
"${base[@]}" LD_LIBRARY_PATH="$compat" "$dump" > "$tmp/baton.out" 2> "$tmp/baton.err"
rc_baton=$?
[ $rc_mit -eq 0 ] && ok "the dump runs on MIT's library" \
    || { notok "the dump failed on MIT's library (exit $rc_mit)"; cat "$tmp/mit.err"; }
[ $rc_baton -eq 0 ] && ok "the dump runs on Baton's compat library" \
    || { notok "the dump failed on Baton's compat library (exit $rc_baton)"; cat "$tmp/baton.err"; }
got=$(sed -n 's/^# functions: //p' "$tmp/mit.err")
[ "$got" = "$mitlib" ] && ok "MIT run served by $got" || notok "MIT run served by '$got', want $mitlib"
got=$(sed -n 's/^# functions: //p' "$tmp/baton.err")
[ "$got" = "$batonlib" ] && ok "Baton run served by $got" || notok "Baton run served by '$got', want $batonlib"
n=$(grep -c ' as ' "$tmp/mit.out")
[ "$n" -ge 15 ] && ok "$n names dumped" || notok "only $n names dumped"

if diff -u --label "MIT $mitlib" --label "Baton $batonlib" \
        "$tmp/mit.out" "$tmp/baton.out"; then
    ok "identical name handling on MIT and Baton ($(wc -l < "$tmp/mit.out") lines)"
else
    notok "MIT and Baton handle names differently (- MIT, + Baton)"
fi
exit $fail
