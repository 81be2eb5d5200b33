#!/usr/bin/env bash
# smoke.sh - proves a realm built by realm.sh works. Run as: realm.sh run -- smoke.sh
# Prints one "ok - ..." / "not ok - ..." line per check; exits 1 if any check failed.

set -u
PATH=$PATH:/usr/sbin:/sbin:/usr/local/sbin

ENCTYPES="aes256-cts-hmac-sha1-96 aes128-cts-hmac-sha1-96 aes256-cts-hmac-sha384-192 aes128-cts-hmac-sha256-128"
failed=0

ok() { printf 'ok - %s\n' "$*"; }
not_ok() {
	printf 'not ok - %s\n' "$*"
	failed=$((failed + 1))
}
# check DESC CMD...: one result line for CMD's exit status.
check() {
	local desc=$1
	shift
	if "$@"; then
		ok "$desc"
	else
		not_ok "$desc"
		return 1
	fi
}
# diag FILE: show a command's output under a failed check.
diag() { [ -s "$1" ] && sed 's/^/# /' "$1"; }

# ---- the environment realm.sh promises
missing=
for v in KRB5_CONFIG KRB5_KDC_PROFILE KRB5CCNAME KRB5_KTNAME KRB5_CLIENT_KTNAME KRB5RCACHEDIR \
	BATON_REALM BATON_REALM_DIR BATON_KDC_PORT BATON_KDC_PID BATON_USER BATON_USER_PASSWORD \
	BATON_USER_KEYTAB BATON_SERVICE BATON_SERVICE_PRINC BATON_SERVICE_KEYTAB \
	BATON_SERVICE2 BATON_SERVICE2_PRINC BATON_SERVICE2_KEYTAB; do
	[ -n "${!v:-}" ] || missing="$missing $v"
done
if [ -n "$missing" ]; then
	not_ok "environment set (missing:$missing)"
	echo "# run me as: realm.sh run -- $0"
	exit 1
fi
ok "environment set"
echo "# realm $BATON_REALM dir $BATON_REALM_DIR port $BATON_KDC_PORT kdc pid $BATON_KDC_PID"

work=$(mktemp -d "$BATON_REALM_DIR/smoke.XXXXXX") || exit 1
out=$work/out
ccfile=${KRB5CCNAME#FILE:}

# ---- isolation: nothing points outside the realm dir, the KDC holds its port alone
case "$KRB5_CONFIG$KRB5_KDC_PROFILE$ccfile${KRB5_KTNAME#FILE:}${KRB5_CLIENT_KTNAME#FILE:}$KRB5RCACHEDIR" in
*/etc/*) not_ok "all paths inside the realm dir" ;;
*) ok "all paths inside the realm dir" ;;
esac
kdc_sockets() {
	local s
	s=$(ss -Hlntup "sport = :$BATON_KDC_PORT") || return 1
	[ "$(grep -c "pid=$BATON_KDC_PID," <<<"$s")" -eq 2 ] && [ "$(grep -c . <<<"$s")" -eq 2 ]
}
check "KDC $BATON_KDC_PID alone holds 127.0.0.1:$BATON_KDC_PORT tcp+udp" kdc_sockets

# ---- the harness's kinit left a TGT for the user
tgt_present() {
	klist >"$out" 2>&1 &&
		grep -qxF "Default principal: $BATON_USER" "$out" &&
		grep -qE "[[:space:]]krbtgt/$BATON_REALM@$BATON_REALM\$" "$out"
}
check "klist shows a TGT for $BATON_USER" tgt_present || diag "$out"

# skey_of CCACHE PRINC: session key enctype of PRINC's ticket in CCACHE, from klist -e.
skey_of() {
	KRB5CCNAME=$1 klist -e 2>/dev/null | awk -v p="$2" '
		$NF == p { want = 1 }
		want && /Etype \(skey, tkt\):/ { sub(/.*Etype \(skey, tkt\): */, ""); sub(/,.*/, ""); print; exit }'
}
tgt_etype=$(skey_of "$KRB5CCNAME" "krbtgt/$BATON_REALM@$BATON_REALM")
if [ -n "$tgt_etype" ]; then ok "TGT session key enctype is $tgt_etype"; else not_ok "TGT session key enctype readable"; fi

# ---- service tickets
# A TGT-only copy of the ccache: a cached service ticket would be reused by kvno below.
cp "$ccfile" "$work/cc.tgt"
kvno_ok() { kvno "$1" >"$out" 2>&1; }
check "kvno $BATON_SERVICE_PRINC" kvno_ok "$BATON_SERVICE_PRINC" || diag "$out"
check "kvno $BATON_SERVICE2_PRINC" kvno_ok "$BATON_SERVICE2_PRINC" || diag "$out"

# Each AES enctype as the service ticket's session key: an overlay profile puts it first
# in default_tgs_enctypes, followed by the TGT's enctype (which the TGS request needs).
for e in $ENCTYPES; do
	cc=$work/cc.$e
	cp "$work/cc.tgt" "$cc"
	list=$e
	[ "$e" = "$tgt_etype" ] || list="$e $tgt_etype"
	printf '[libdefaults]\n\tdefault_tgs_enctypes = %s\n' "$list" >"$work/overlay.$e.conf"
	got=
	if KRB5_CONFIG="$work/overlay.$e.conf:$KRB5_CONFIG" KRB5CCNAME="FILE:$cc" \
		kvno "$BATON_SERVICE_PRINC" >"$out" 2>&1; then
		got=$(skey_of "FILE:$cc" "$BATON_SERVICE_PRINC")
	fi
	if [ "$got" = "$e" ]; then
		ok "service ticket with session key $e"
	else
		not_ok "service ticket with session key $e (got '${got:-nothing}')"
		diag "$out"
	fi
done

# ---- keytabs hold all four enctypes
keytab_has_all() { # KEYTAB PRINC
	local e
	klist -kte "$1" >"$out" 2>&1 || return 1
	for e in $ENCTYPES; do
		grep -qF " $2 ($e)" "$out" || return 1
	done
}
check "service keytab holds $BATON_SERVICE_PRINC in all 4 AES enctypes" \
	keytab_has_all "$BATON_SERVICE_KEYTAB" "$BATON_SERVICE_PRINC" || diag "$out"
check "service2 keytab holds $BATON_SERVICE2_PRINC in all 4 AES enctypes" \
	keytab_has_all "$BATON_SERVICE2_KEYTAB" "$BATON_SERVICE2_PRINC" || diag "$out"
check "user keytab holds $BATON_USER in all 4 AES enctypes" \
	keytab_has_all "$BATON_USER_KEYTAB" "$BATON_USER" || diag "$out"

# ---- initial tickets: password, client keytab, wrong password
printf '%s\n' "$BATON_USER_PASSWORD" >"$work/pw"
kinit_pw() {
	KRB5CCNAME="FILE:$work/cc.pw" kinit "$BATON_USER" <"$work/pw" >"$out" 2>&1 &&
		KRB5CCNAME="FILE:$work/cc.pw" klist -s
}
check "kinit with the password" kinit_pw || diag "$out"

# -i: the default client keytab, i.e. KRB5_CLIENT_KTNAME.
kinit_ckt() {
	KRB5CCNAME="FILE:$work/cc.kt" kinit -k -i "$BATON_USER" </dev/null >"$out" 2>&1 &&
		KRB5CCNAME="FILE:$work/cc.kt" klist -s
}
check "kinit from KRB5_CLIENT_KTNAME" kinit_ckt || diag "$out"

printf 'wrong-%s\n' "$BATON_USER_PASSWORD" >"$work/badpw"
if KRB5CCNAME="FILE:$work/cc.bad" kinit "$BATON_USER" <"$work/badpw" >"$out" 2>&1; then
	not_ok "kinit with a wrong password fails"
elif grep -q "Password incorrect" "$out" && ! KRB5CCNAME="FILE:$work/cc.bad" klist -s 2>/dev/null; then
	ok "kinit with a wrong password fails"
else
	not_ok "kinit with a wrong password fails with 'Password incorrect'"
	diag "$out"
fi

# ---- the replay cache directory is usable
check "KRB5RCACHEDIR is a writable directory" test -d "$KRB5RCACHEDIR" -a -w "$KRB5RCACHEDIR"

rm -rf "$work"
if [ "$failed" -ne 0 ]; then
	echo "# $failed check(s) failed"
	exit 1
fi
echo "# all checks passed"
