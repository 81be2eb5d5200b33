#!/usr/bin/env bash
# teardown.sh - realm.sh cleans up on every exit path: CMD fails, CMD is killed, realm.sh is
# signalled or SIGKILLed, set-up fails; and start/env/stop (with BATON_REALM_KEEP) work.
# Each scenario gets its own TMPDIR, so "nothing left" means: that dir is empty and no
# live krb5kdc has it in its command line.

set -u
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd -P)
realm=$here/realm.sh
top=$(mktemp -d "${TMPDIR:-/tmp}/baton-realm-teardown.XXXXXX") || exit 1
trap 'rm -rf "$top"' EXIT
failed=0
n=0

ok() { printf 'ok - %s\n' "$*"; }
not_ok() {
	printf 'not ok - %s\n' "$*"
	failed=$((failed + 1))
}

# scenario: a fresh private TMPDIR for the next realm.sh
scenario() {
	n=$((n + 1))
	t=$top/s$n
	mkdir "$t"
}

# alive PID: exists and is not a zombie (an orphan can stay a zombie for a while).
alive() {
	local line state
	{ read -r line <"/proc/$1/stat"; } 2>/dev/null || return 1
	state=${line##*) }
	state=${state%% *}
	[ "$state" != Z ] && [ "$state" != X ]
}

# kdcs_of DIR: pids of live (non-zombie) krb5kdc processes whose command line mentions DIR.
kdcs_of() {
	local p line state cmd
	for p in /proc/[0-9]*; do
		{ read -r line <"$p/stat"; } 2>/dev/null || continue
		case $line in *"(krb5kdc)"*) ;; *) continue ;; esac
		state=${line##*) }
		state=${state%% *}
		[ "$state" = Z ] && continue
		cmd=$(tr '\0' ' ' <"$p/cmdline" 2>/dev/null)
		case $cmd in *"$1"*) echo "${p#/proc/}" ;; esac
	done
}

# clean DESC DIR: DIR holds no realm and no KDC of it runs.
clean() {
	local left kdcs
	left=$(ls -A "$2")
	kdcs=$(kdcs_of "$2")
	if [ -z "$left" ] && [ -z "$kdcs" ]; then
		ok "$1: nothing left"
	else
		not_ok "$1: left behind: files '${left}' krb5kdc '${kdcs}'"
	fi
}

# expect_rc DESC WANT GOT
expect_rc() {
	if [ "$3" -eq "$2" ]; then ok "$1: exit status $3"; else not_ok "$1: exit status $3, want $2"; fi
}

# wait_file FILE: up to 10 s.
wait_file() {
	local i
	for ((i = 0; i < 1000; i++)); do
		[ -s "$1" ] && return 0
		sleep 0.01
	done
	return 1
}

# ---- CMD fails
scenario
TMPDIR=$t bash "$realm" run -- false
rc=$?
if [ "$rc" -ne 0 ]; then ok "run -- false: exit status $rc is non-zero"; else not_ok "run -- false: exit status 0"; fi
clean "run -- false" "$t"

# ---- CMD's exit status is passed through
scenario
TMPDIR=$t bash "$realm" run -- sh -c 'exit 3'
expect_rc "run -- exit 3" 3 $?
clean "run -- exit 3" "$t"

# ---- CMD is killed
scenario
# shellcheck disable=SC2016
TMPDIR=$t bash "$realm" run -- sh -c 'kill -KILL $$'
expect_rc "CMD killed by SIGKILL" 137 $?
clean "CMD killed by SIGKILL" "$t"

# ---- realm.sh gets SIGTERM / SIGHUP while CMD runs: CMD is stopped too
for sig in TERM HUP; do
	scenario
	# shellcheck disable=SC2016
	TMPDIR=$t bash "$realm" run -- sh -c 'echo $$ >"$TMPDIR/cmd.pid"; exec sleep 30' &
	rpid=$!
	if wait_file "$t/cmd.pid"; then
		read -r cpid <"$t/cmd.pid"
		rm -f "$t/cmd.pid"
		kill -s "$sig" "$rpid"
		wait "$rpid"
		rc=$?
		want=$((128 + $(kill -l "$sig")))
		expect_rc "realm.sh got SIG$sig" "$want" "$rc"
		if alive "$cpid"; then
			not_ok "realm.sh got SIG$sig: CMD $cpid still running"
			kill -KILL "$cpid" 2>/dev/null
		else
			ok "realm.sh got SIG$sig: CMD stopped"
		fi
		clean "realm.sh got SIG$sig" "$t"
	else
		not_ok "realm.sh got SIG$sig: CMD never started"
		kill -KILL "$rpid" 2>/dev/null
	fi
done

# ---- realm.sh is SIGKILLed (what ctest does on a timeout): the watchdog cleans up
scenario
# shellcheck disable=SC2016
TMPDIR=$t bash "$realm" run -- sh -c 'echo $$ >"$TMPDIR/cmd.pid"; exec sleep 30' &
rpid=$!
if wait_file "$t/cmd.pid"; then
	read -r cpid <"$t/cmd.pid"
	rm -f "$t/cmd.pid"
	kill -KILL "$rpid" "$cpid"
	wait "$rpid" 2>/dev/null
	for ((i = 0; i < 500; i++)); do
		[ -z "$(ls -A "$t")" ] && break
		sleep 0.01
	done
	clean "realm.sh killed by SIGKILL" "$t"
else
	not_ok "realm.sh killed by SIGKILL: CMD never started"
	kill -KILL "$rpid" 2>/dev/null
fi

# ---- set-up fails after the database exists (unusable lock file)
scenario
TMPDIR=$t BATON_REALM_LOCK=$t/no/such/dir/lock bash "$realm" run -- true 2>"$top/err"
expect_rc "set-up failure" 2 $?
if grep -q "cannot open" "$top/err"; then
	ok "set-up failure is reported"
else
	not_ok "set-up failure is reported"
fi
clean "set-up failure" "$t"

# ---- BATON_REALM_KEEP=1, then start/env/stop on the kept dir
scenario
# shellcheck disable=SC2016
TMPDIR=$t BATON_REALM_KEEP=1 bash "$realm" run -- sh -c 'exit 0' 2>"$top/err"
kept=$(sed -n 's/^realm.sh: kept realm dir: //p' "$top/err")
if [ -n "$kept" ] && [ -f "$kept/krb5.conf" ] && [ -z "$(kdcs_of "$t")" ]; then
	ok "BATON_REALM_KEEP=1 keeps $kept and stops the KDC"
else
	not_ok "BATON_REALM_KEEP=1 keeps the dir and stops the KDC (got '$kept')"
fi
if [ -n "$kept" ] && started=$(bash "$realm" start "$kept") && [ "$started" = "$kept" ]; then
	ok "start restarts a kept realm"
	if (
		eval "$(bash "$realm" env "$kept")" &&
			klist -s && kvno "$BATON_SERVICE_PRINC" >/dev/null &&
			[ -n "$(kdcs_of "$BATON_REALM_DIR")" ]
	); then
		ok "env of a started realm gives working tickets"
	else
		not_ok "env of a started realm gives working tickets"
	fi
	bash "$realm" stop "$kept"
	expect_rc "stop" 0 $?
else
	not_ok "start restarts a kept realm"
fi
clean "start/env/stop" "$t"

# ---- start with a fresh dir, refuse a second start, stop
scenario
d=$t/realm
if bash "$realm" start "$d" >/dev/null; then
	ok "start DIR (new directory)"
	if bash "$realm" start "$d" >/dev/null 2>&1; then not_ok "second start refused"; else ok "second start refused"; fi
	bash "$realm" stop "$d"
	expect_rc "stop DIR" 0 $?
else
	not_ok "start DIR (new directory)"
fi
clean "start DIR/stop DIR" "$t"

if [ "$failed" -ne 0 ]; then
	echo "# $failed check(s) failed"
	exit 1
fi
echo "# all checks passed"
