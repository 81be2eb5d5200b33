#!/usr/bin/env bash
# realm.sh - a throwaway MIT Kerberos realm for Baton's tests.
#
#   realm.sh run [--] CMD ARGS...  fresh realm in a new temp dir, run CMD in it, tear down
#   realm.sh start [DIR]           create (or restart) a realm in DIR, leave the KDC running;
#                                  prints DIR (a new temp dir when DIR is omitted)
#   realm.sh env DIR               print `export VAR=...` lines for the realm in DIR
#   realm.sh stop DIR              stop DIR's KDC and remove DIR (BATON_REALM_KEEP=1 keeps it)
#
# Everything (config, database, keytabs, ccache, replay cache, logs) lives in the realm's
# directory; /etc/krb5.conf is never read or written. Facts this relies on are in
# shared/reference/realm.md. Exit status of `run` is CMD's; 2 means the harness failed.

set -u
ORIG_UMASK=$(umask)
umask 077
PATH=$PATH:/usr/sbin:/sbin:/usr/local/sbin
export PATH

readonly REALM=BATON.TEST
readonly USER_NAME=user
readonly SERVICE=host
readonly SERVICE2=HTTP
readonly HOST=localhost
readonly ENCTYPES="aes256-cts-hmac-sha1-96 aes128-cts-hmac-sha1-96 aes256-cts-hmac-sha384-192 aes128-cts-hmac-sha256-128"
readonly MARKER=.baton-realm
# Ports are drawn below the kernel's ephemeral range so outgoing sockets rarely sit on them.
readonly PORT_MIN=20000 PORT_SPAN=12000 PORT_TRIES=10
# All realms of one user serialize port choice + KDC start on this lock, so two concurrent
# realms can never pick the same port (krb5kdc sets SO_REUSEPORT, so a clash is silent).
LOCK_FILE=${BATON_REALM_LOCK:-/tmp/baton-realm.$(id -u).lock}

PROG=realm.sh
SELF=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd -P)/$(basename "${BASH_SOURCE[0]}")

say() { printf '%s: %s\n' "$PROG" "$*" >&2; }

# fail MSG: report and exit 2; in `run` mode the EXIT trap tears the realm down.
fail() {
	say "$*"
	exit 2
}

usage() {
	cat >&2 <<'EOF'
usage: realm.sh run [--] CMD [ARGS...]
       realm.sh start [DIR]
       realm.sh env DIR
       realm.sh stop DIR
EOF
	exit 2
}

need_tools() {
	local t missing=
	for t in krb5kdc kdb5_util kadmin.local kinit klist ss mktemp flock; do
		command -v "$t" >/dev/null 2>&1 || missing="$missing $t"
	done
	[ -z "$missing" ] ||
		fail "missing:$missing (install krb5-kdc krb5-admin-server krb5-user iproute2 util-linux)"
}

# show_log FILE: copy a log to stderr so a failed set-up explains itself.
show_log() {
	[ -s "$1" ] || return 0
	say "---- $1"
	sed 's/^/  | /' "$1" >&2
}

# ---------------------------------------------------------------- processes

# proc_alive PID: true while PID exists and is not a zombie. A stopped krb5kdc is
# reparented to init and can stay a zombie for a while; its sockets are already closed.
proc_alive() {
	local line state
	[ -n "$1" ] || return 1
	{ read -r line </proc/"$1"/stat; } 2>/dev/null || return 1
	state=${line##*) }
	state=${state%% *}
	[ "$state" != Z ] && [ "$state" != X ]
}

# is_our_kdc PID DIR: PID is a live krb5kdc started for DIR (guards against pid reuse).
is_our_kdc() {
	local arg args=() base=
	proc_alive "$1" || return 1
	{ mapfile -d '' args </proc/"$1"/cmdline; } 2>/dev/null || return 1
	[ "${#args[@]}" -gt 0 ] || return 1
	base=${args[0]##*/}
	[ "$base" = krb5kdc ] || return 1
	for arg in "${args[@]}"; do
		[ "$arg" = "$2/kdc.pid" ] && return 0
	done
	return 1
}

# start_time PID: the kernel's start time of PID (field 22 of /proc/PID/stat), to tell a
# process from a later one that reuses its pid.
start_time() {
	local line f
	{ read -r line </proc/"$1"/stat; } 2>/dev/null || return 1
	read -ra f <<<"${line##*) }"
	printf '%s\n' "${f[19]}"
}

# wait_gone PID SECONDS: poll until PID is gone or a zombie; false on timeout.
wait_gone() {
	local i=0 n=$(($2 * 500))
	while proc_alive "$1"; do
		[ "$i" -ge "$n" ] && return 1
		sleep 0.002
		i=$((i + 1))
	done
	return 0
}

# kdc_stop DIR: stop DIR's KDC, if any, and wait until it has really exited.
kdc_stop() {
	local dir=$1 pid=
	[ -f "$dir/kdc.pid" ] || return 0
	read -r pid <"$dir/kdc.pid" 2>/dev/null
	case $pid in '' | *[!0-9]*) pid= ;; esac
	if [ -n "$pid" ] && is_our_kdc "$pid" "$dir"; then
		kill -TERM "$pid" 2>/dev/null
		if ! wait_gone "$pid" 5; then
			say "krb5kdc $pid ignored SIGTERM; killing it"
			kill -KILL "$pid" 2>/dev/null
			wait_gone "$pid" 2 || say "krb5kdc $pid would not die"
		fi
	fi
	rm -f "$dir/kdc.pid"
}

# ---------------------------------------------------------------- ports

# port_in_use PORT: any TCP or UDP socket, in any state, bound to PORT on any address.
port_in_use() {
	local out
	out=$(ss -Hantu "sport = :$1" 2>/dev/null) || return 0
	[ -n "$out" ]
}

# sockets_ok PORT PID: the listening sockets on PORT are exactly a TCP and a UDP socket
# held by PID and nobody else. A second krb5kdc on the same port would start silently.
sockets_ok() {
	local port=$1 pid=$2 out line proto users p tcp=0 udp=0
	out=$(ss -Hlntup "sport = :$port" 2>/dev/null) || return 1
	[ -n "$out" ] || return 1
	while IFS= read -r line; do
		proto=${line%% *}
		case $line in *users:*) users=${line#*users:} ;; *) return 1 ;; esac
		# Every pid=N in the users list must be ours.
		while case $users in *pid=*) true ;; *) false ;; esac do
			users=${users#*pid=}
			p=${users%%,*}
			[ "$p" = "$pid" ] || return 1
		done
		case $proto in tcp) tcp=$((tcp + 1)) ;; udp) udp=$((udp + 1)) ;; *) return 1 ;; esac
	done <<<"$out"
	[ "$tcp" -eq 1 ] && [ "$udp" -eq 1 ]
}

random_port() {
	echo $((PORT_MIN + (RANDOM * 32768 + RANDOM) % PORT_SPAN))
}

# ---------------------------------------------------------------- realm files

# write_conf DIR PORT: krb5.conf (clients) and kdc.conf (KDC) for a KDC on 127.0.0.1:PORT.
write_conf() {
	local dir=$1 port=$2 e supported=
	for e in $ENCTYPES; do supported="$supported $e:normal"; done
	cat >"$dir/krb5.conf.new" <<EOF
[libdefaults]
	default_realm = $REALM
	dns_lookup_kdc = false
	dns_lookup_realm = false
	rdns = false
	dns_canonicalize_hostname = false
	qualify_shortname = ""
	forwardable = true
	default_ccache_name = FILE:$dir/ccache
	default_keytab_name = FILE:$dir/service.keytab
	default_client_keytab_name = FILE:$dir/user.keytab

[realms]
	$REALM = {
		kdc = 127.0.0.1:$port
	}

[domain_realm]
	$HOST = $REALM
	.$HOST = $REALM
EOF
	cat >"$dir/kdc.conf.new" <<EOF
[kdcdefaults]
	kdc_listen = 127.0.0.1:$port
	kdc_tcp_listen = 127.0.0.1:$port

[realms]
	$REALM = {
		database_name = $dir/principal
		key_stash_file = $dir/stash
		acl_file = $dir/kadm5.acl
		kdc_listen = 127.0.0.1:$port
		kdc_tcp_listen = 127.0.0.1:$port
		master_key_type = aes256-cts-hmac-sha1-96
		supported_enctypes =$supported
		max_life = 10h
		max_renewable_life = 7d
	}

[logging]
	kdc = FILE:$dir/kdc.log
	admin_server = FILE:$dir/kadmin.log
	default = FILE:$dir/krb5.log

[plugins]
	kdcpreauth = {
		disable = spake
	}
EOF
	mv -f "$dir/krb5.conf.new" "$dir/krb5.conf" && mv -f "$dir/kdc.conf.new" "$dir/kdc.conf"
}

# write_env DIR PORT PID: the environment a test runs in, as sourceable export lines.
write_env() {
	local dir=$1 port=$2 pid=$3 pw
	read -r pw <"$dir/user.password"
	{
		printf 'export %s=%q\n' \
			KRB5_CONFIG "$dir/krb5.conf" \
			KRB5_KDC_PROFILE "$dir/kdc.conf" \
			KRB5CCNAME "FILE:$dir/ccache" \
			KRB5_KTNAME "FILE:$dir/service.keytab" \
			KRB5_CLIENT_KTNAME "FILE:$dir/user.keytab" \
			KRB5RCACHEDIR "$dir/rcache" \
			BATON_REALM "$REALM" \
			BATON_REALM_DIR "$dir" \
			BATON_KDC_PORT "$port" \
			BATON_KDC_PID "$pid" \
			BATON_USER "$USER_NAME@$REALM" \
			BATON_USER_PASSWORD "$pw" \
			BATON_USER_KEYTAB "$dir/user.keytab" \
			BATON_SERVICE "$SERVICE@$HOST" \
			BATON_SERVICE_PRINC "$SERVICE/$HOST@$REALM" \
			BATON_SERVICE_KEYTAB "$dir/service.keytab" \
			BATON_SERVICE2 "$SERVICE2@$HOST" \
			BATON_SERVICE2_PRINC "$SERVICE2/$HOST@$REALM" \
			BATON_SERVICE2_KEYTAB "$dir/service2.keytab"
	} >"$dir/env.new" && mv -f "$dir/env.new" "$dir/env"
}

# use_env DIR: point this shell (and so every child) at DIR's realm.
use_env() {
	# shellcheck disable=SC1091
	. "$1/env" || fail "cannot read $1/env"
}

USER_JOB=

# realm_create DIR: database, principals and keytabs. DIR must exist and be empty.
# The user principal is made in the background (user_wait collects it): its password
# costs ~130 ms of aes-sha2 string-to-key, time in which the KDC can be started.
realm_create() {
	local dir=$1 log=$1/setup.log mpw pw e keysalts=""
	: >"$dir/$MARKER"
	mkdir -p "$dir/rcache"
	mpw=$(od -An -tx1 -N16 /dev/urandom | tr -d ' \n')
	pw=$(od -An -tx1 -N12 /dev/urandom | tr -d ' \n')
	if [ -z "$mpw" ] || [ -z "$pw" ]; then fail "cannot read /dev/urandom"; fi
	printf '%s\n' "$pw" >"$dir/user.password"
	: >"$dir/kadm5.acl"
	for e in $ENCTYPES; do keysalts="$keysalts,$e:normal"; done
	keysalts=${keysalts#,}
	write_conf "$dir" 0 || fail "cannot write config in $dir"

	export KRB5_CONFIG="$dir/krb5.conf" KRB5_KDC_PROFILE="$dir/kdc.conf"
	# -W: no /dev/random for the master key; this realm lives for seconds.
	if ! kdb5_util create -s -W -r "$REALM" -P "$mpw" >>"$log" 2>&1 </dev/null; then
		show_log "$log"
		fail "kdb5_util create failed"
	fi
	# -norandkey keeps kvno 1 (ktadd would otherwise give new random keys).
	kadmin.local -r "$REALM" >>"$dir/user-setup.log" 2>&1 <<EOF &
addprinc -e $keysalts -pw $pw $USER_NAME
ktadd -k $dir/user.keytab -norandkey $USER_NAME
EOF
	USER_JOB=$!
	kadmin.local -r "$REALM" >>"$log" 2>&1 <<EOF
addprinc -e $keysalts -randkey $SERVICE/$HOST
addprinc -e $keysalts -randkey $SERVICE2/$HOST
ktadd -k $dir/service.keytab -norandkey $SERVICE/$HOST
ktadd -k $dir/service2.keytab -norandkey $SERVICE2/$HOST
EOF
	# kadmin.local's exit status ignores failed commands: check the results instead.
	keytab_written "$dir" service
	keytab_written "$dir" service2
}

keytab_written() {
	if [ ! -s "$1/$2.keytab" ]; then
		show_log "$1/setup.log"
		show_log "$1/user-setup.log"
		fail "kadmin.local did not write $2.keytab"
	fi
}

# user_wait DIR: collect the background user creation.
user_wait() {
	if [ -n "$USER_JOB" ]; then
		wait "$USER_JOB"
		USER_JOB=
	fi
	keytab_written "$1" user
}

# user_kill: on an early exit, stop a user creation still running before DIR goes.
user_kill() {
	if [ -n "$USER_JOB" ]; then
		kill -TERM "$USER_JOB" 2>/dev/null
		wait "$USER_JOB" 2>/dev/null
		USER_JOB=
	fi
}

# user_kinit DIR: the user's TGT into the realm's ccache (the environment is DIR's).
user_kinit() {
	if ! kinit -k -t "$1/user.keytab" "$USER_NAME@$REALM" >>"$1/setup.log" 2>&1 </dev/null; then
		show_log "$1/setup.log"
		show_log "$1/kdc.log"
		fail "kinit from the client keytab failed"
	fi
}

# kdc_start DIR: pick a free port, start krb5kdc on it, prove the port is ours alone,
# write DIR/env and point this shell at it.
kdc_start() {
	local dir=$1 try port pid="" i lockfd started=0
	exec {lockfd}>>"$LOCK_FILE" || fail "cannot open $LOCK_FILE"
	flock -w 30 "$lockfd" || fail "timed out waiting for $LOCK_FILE"
	for ((try = 1; try <= PORT_TRIES; try++)); do
		port=$(random_port)
		port_in_use "$port" && continue
		write_conf "$dir" "$port" || fail "cannot write config in $dir"
		rm -f "$dir/kdc.pid"
		# krb5kdc binds, then daemonizes (so its parent returns), then writes the pid
		# file. The lock fd must not leak into the daemon or the lock would stay held.
		if ! KRB5_CONFIG="$dir/krb5.conf" KRB5_KDC_PROFILE="$dir/kdc.conf" \
			krb5kdc -r "$REALM" -P "$dir/kdc.pid" </dev/null >>"$dir/kdc.stderr" 2>&1 {lockfd}>&-; then
			say "krb5kdc failed to start on port $port (try $try)"
			continue
		fi
		pid=
		for ((i = 0; i < 500; i++)); do
			if [ -s "$dir/kdc.pid" ]; then
				read -r pid <"$dir/kdc.pid"
				case $pid in '' | *[!0-9]*) pid= ;; *) break ;; esac
			fi
			sleep 0.002
		done
		if [ -z "$pid" ]; then
			say "krb5kdc wrote no pid file (try $try)"
			continue
		fi
		# The daemon's parent may hold the sockets for an instant after the fork.
		for ((i = 0; i < 20; i++)); do
			sockets_ok "$port" "$pid" && break
			sleep 0.01
		done
		if [ "$i" -lt 20 ]; then
			started=1
			break
		fi
		say "port $port is shared with another process (try $try):"
		ss -Hlntup "sport = :$port" >&2
		kdc_stop "$dir"
	done
	flock -u "$lockfd"
	exec {lockfd}>&-
	if [ "$started" -ne 1 ]; then
		show_log "$dir/kdc.stderr"
		show_log "$dir/kdc.log"
		fail "could not start krb5kdc after $PORT_TRIES tries"
	fi
	write_env "$dir" "$port" "$pid" || fail "cannot write $dir/env"
	use_env "$dir"
}

# realm_remove DIR: stop the KDC and delete DIR, or keep it if BATON_REALM_KEEP=1.
realm_remove() {
	local dir=$1
	user_kill
	kdc_stop "$dir"
	if [ "${BATON_REALM_KEEP:-0}" = 1 ]; then
		say "kept realm dir: $dir"
	elif [ -f "$dir/$MARKER" ]; then
		# A straggler still writing into DIR can make one rm fail.
		rm -rf -- "$dir" 2>/dev/null || { sleep 0.2; rm -rf -- "$dir"; }
	fi
}

# ---------------------------------------------------------------- run

RUN_DIR=
CHILD=

# A SIGKILLed realm.sh cannot run its traps, and ctest kills a test that times out with
# SIGKILL. So `run` starts a watchdog, detached from our session and process tree, that
# tears the realm down once this script is gone without having done so itself.
cmd_watchdog() {
	local dir=$1 ppid=$2 pstart=$3 now
	PROG="realm.sh watchdog"
	printf '%s\n' "$$" >"$dir/watchdog.pid" || exit 0
	while now=$(start_time "$ppid") && [ "$now" = "$pstart" ] && proc_alive "$ppid"; do
		sleep 0.25
	done
	[ -f "$dir/$MARKER" ] || exit 0
	say "realm.sh $ppid died without cleaning up; removing $dir"
	realm_remove "$dir"
}

watchdog_start() {
	local me
	me=$(start_time $$) || return 0
	(setsid bash "$SELF" _watchdog "$1" $$ "$me" </dev/null >/dev/null 2>&1 &)
}

# watchdog_pid DIR: pid of DIR's watchdog, if it runs.
watchdog_pid() {
	local dir=$1 pid="" args=() arg
	[ -f "$dir/watchdog.pid" ] || return 0
	read -r pid <"$dir/watchdog.pid"
	case $pid in '' | *[!0-9]*) return 0 ;; esac
	proc_alive "$pid" || return 0
	{ mapfile -d '' args </proc/"$pid"/cmdline; } 2>/dev/null || return 0
	for arg in "${args[@]}"; do
		[ "$arg" = "$dir" ] && printf '%s\n' "$pid" && return 0
	done
}

on_exit() {
	local rc=$? wd
	# Clean-up takes a few ms; a second signal must not cut it short.
	trap - EXIT
	trap '' INT TERM HUP
	if [ -n "$RUN_DIR" ]; then
		# The watchdog stays until the realm is gone, in case we are SIGKILLed meanwhile.
		wd=$(watchdog_pid "$RUN_DIR")
		realm_remove "$RUN_DIR"
		[ -n "$wd" ] && kill -TERM "$wd" 2>/dev/null
		RUN_DIR=
	fi
	exit "$rc"
}

# on_signal NAME NUM: pass the signal on to CMD, give it a moment, then tear down.
on_signal() {
	local i
	trap '' INT TERM HUP
	if [ -n "$CHILD" ] && proc_alive "$CHILD"; then
		kill -s "$1" "$CHILD" 2>/dev/null
		for ((i = 0; i < 300; i++)); do
			proc_alive "$CHILD" || break
			sleep 0.01
		done
		proc_alive "$CHILD" && kill -KILL "$CHILD" 2>/dev/null
	fi
	exit $((128 + $2))
}

cmd_run() {
	[ "${1:-}" = -- ] && shift
	[ $# -ge 1 ] || usage
	need_tools
	trap on_exit EXIT
	trap 'on_signal INT 2' INT
	trap 'on_signal TERM 15' TERM
	trap 'on_signal HUP 1' HUP
	RUN_DIR=$(mktemp -d "${TMPDIR:-/tmp}/baton-realm.XXXXXXXX") || fail "mktemp failed"
	RUN_DIR=$(cd "$RUN_DIR" && pwd -P) || fail "cannot enter $RUN_DIR"
	: >"$RUN_DIR/$MARKER"
	watchdog_start "$RUN_DIR"
	realm_create "$RUN_DIR"
	kdc_start "$RUN_DIR"
	user_wait "$RUN_DIR"
	user_kinit "$RUN_DIR"
	# CMD runs in the background so that a signal to this script is handled at once
	# (bash defers traps while a foreground child runs); give it our stdin explicitly,
	# since background commands otherwise get /dev/null. CMD gets the caller's umask.
	umask "$ORIG_UMASK"
	if { exec 3<&0; } 2>/dev/null; then
		"$@" <&3 3<&- &
		CHILD=$!
		exec 3<&-
	else
		"$@" <&- &
		CHILD=$!
	fi
	wait "$CHILD"
	exit $?
}

# ---------------------------------------------------------------- start / stop / env

# realm_dir DIR: absolute path of an existing realm dir, or fail.
realm_dir() {
	[ -n "${1:-}" ] || usage
	[ -f "$1/$MARKER" ] || fail "$1 is not a realm directory"
	(cd "$1" && pwd -P)
}

START_DIR=

# On a failed start, stop whatever was started but leave the files for inspection.
start_failed() {
	local rc=$?
	trap - EXIT
	if [ "$rc" -ne 0 ] && [ -n "$START_DIR" ]; then
		user_kill
		kdc_stop "$START_DIR"
		say "start failed; files left in $START_DIR"
	fi
	exit "$rc"
}

cmd_start() {
	local dir=${1:-} pid=""
	need_tools
	if [ -z "$dir" ]; then
		dir=$(mktemp -d "${TMPDIR:-/tmp}/baton-realm.XXXXXXXX") || fail "mktemp failed"
	fi
	mkdir -p -- "$dir" || fail "cannot create $dir"
	dir=$(cd "$dir" && pwd -P) || fail "cannot enter $dir"
	if [ -f "$dir/$MARKER" ]; then
		# A kept realm: restart its KDC, on a new port, unless it is still running.
		[ -f "$dir/kdc.pid" ] && read -r pid <"$dir/kdc.pid"
		if [ -n "$pid" ] && is_our_kdc "$pid" "$dir"; then
			fail "the KDC of $dir is already running (pid $pid)"
		fi
		rm -f "$dir/kdc.pid"
		START_DIR=$dir
		trap start_failed EXIT
		export KRB5_CONFIG="$dir/krb5.conf" KRB5_KDC_PROFILE="$dir/kdc.conf"
	elif [ -n "$(ls -A "$dir")" ]; then
		fail "$dir is not empty and not a realm directory"
	else
		START_DIR=$dir
		trap start_failed EXIT
		realm_create "$dir"
	fi
	kdc_start "$dir"
	user_wait "$dir"
	user_kinit "$dir"
	trap - EXIT
	printf '%s\n' "$dir"
}

cmd_stop() {
	local dir
	dir=$(realm_dir "${1:-}") || exit 2
	realm_remove "$dir"
}

cmd_env() {
	local dir
	dir=$(realm_dir "${1:-}") || exit 2
	[ -f "$dir/env" ] || fail "$dir has never been started"
	cat "$dir/env"
}

case ${1:-} in
run) shift; cmd_run "$@" ;;
start) shift; cmd_start "$@" ;;
stop) shift; cmd_stop "$@" ;;
env) shift; cmd_env "$@" ;;
_watchdog) shift; cmd_watchdog "$@" ;;
*) usage ;;
esac
