#!/usr/bin/env bash
# parallel.sh - two realms at once must not interfere: runs two `realm.sh run -- smoke.sh`
# concurrently, holds both until both KDCs are up, and fails unless both pass on
# different ports and directories.

set -u
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd -P)
tmp=$(mktemp -d "${TMPDIR:-/tmp}/baton-realm-parallel.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT
failed=0
rc=()

# Each instance checks in, then waits (up to 20 s) for the other before running smoke.sh,
# so both KDCs are certainly alive while both tests run.
# shellcheck disable=SC2016  # expanded by the inner bash, not here
barrier='
	echo "$BATON_KDC_PORT $BATON_REALM_DIR" >"$1/up.$2"
	for _ in $(seq 2000); do
		[ -f "$1/up.a" ] && [ -f "$1/up.b" ] && exec bash "$3"
		sleep 0.01
	done
	echo "not ok - the other realm never came up"
	exit 1'

start() {
	bash "$here/realm.sh" run -- bash -c "$barrier" barrier "$tmp" "$1" "$here/smoke.sh" \
		>"$tmp/log.$1" 2>&1
}
start a &
pid_a=$!
start b &
pid_b=$!
wait "$pid_a"
rc[0]=$?
wait "$pid_b"
rc[1]=$?

for n in a b; do
	sed "s/^/[$n] /" "$tmp/log.$n"
done
i=0
for n in a b; do
	if [ "${rc[i]}" -eq 0 ]; then
		echo "ok - realm $n: smoke test passed"
	else
		echo "not ok - realm $n: smoke test exited ${rc[i]}"
		failed=1
	fi
	i=$((i + 1))
done
read -r port_a dir_a <"$tmp/up.a" 2>/dev/null || port_a=
read -r port_b dir_b <"$tmp/up.b" 2>/dev/null || port_b=
if [ -n "$port_a" ] && [ -n "$port_b" ] && [ "$port_a" != "$port_b" ] && [ "$dir_a" != "$dir_b" ]; then
	echo "ok - different ports ($port_a, $port_b) and directories"
else
	echo "not ok - different ports and directories (got '$port_a' '$port_b')"
	failed=1
fi
for d in ${dir_a:-} ${dir_b:-}; do
	if [ -e "$d" ]; then
		echo "not ok - $d removed"
		failed=1
	fi
done
exit "$failed"
