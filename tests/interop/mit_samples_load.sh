#!/bin/bash
# mit_samples_load.sh COMPAT_DIR
#
# interop_mit_samples_load: MIT's own sample programs (Debian
# krb5-gss-samples), linked against MIT's libgssapi_krb5.so.2, run on
# Baton's compat library:
#  1. with LD_BIND_NOW=1 LD_LIBRARY_PATH=COMPAT_DIR both load, bind every
#     symbol and print their usage, with no loader error or warning;
#  2. LD_DEBUG=bindings shows every GSS-API symbol they import (functions
#     and copy-relocated data) bound to the compat library, and MIT's
#     library is not loaded at all;
#  3. gss-server -keytab /nonexistent host@localhost makes real Baton calls
#     without a KDC: gss_import_name with the trailing NUL must succeed,
#     gss_acquire_cred must fail cleanly, and the failure must be reported
#     with Baton's gss_display_status sentences - never a crash.
set -uo pipefail
compat=${1:?usage: mit_samples_load.sh COMPAT_DIR}
fail=0
ok() { echo "ok - $*"; }
notok() { echo "not ok - $*"; fail=1; }
tmp=$(mktemp -d "${TMPDIR:-/tmp}/interop_samples.XXXXXX") || exit 2
trap 'rm -rf "$tmp"' EXIT

lib=$(readlink -f "$compat/libgssapi_krb5.so.2")
[ -f "$lib" ] || { echo "not ok - no $compat/libgssapi_krb5.so.2"; exit 1; }
# It must really be Baton (BATON_0 node), not some other libgssapi.
[ "$(objdump -T "$lib" | grep -c "BATON_0 *baton_version$")" -gt 0 ] ||
    { echo "not ok - $lib is not Baton's library (no baton_version)"; exit 1; }
client=$(command -v gss-client) || { echo "not ok - gss-client not found (apt install krb5-gss-samples)"; exit 1; }
server=$(command -v gss-server) || { echo "not ok - gss-server not found (apt install krb5-gss-samples)"; exit 1; }
client=$(readlink -f "$client")
server=$(readlink -f "$server")

cat > "$tmp/krb5.conf" <<EOF
[libdefaults]
    default_realm = ABI.TEST
    dns_lookup_kdc = false
    dns_lookup_realm = false
    rdns = false
    dns_canonicalize_hostname = false
EOF
# A sanitizer build (BATON_SANITIZE) links the compat library with ASan,
# whose runtime must come first in an uninstrumented program: preload it.
preload=$(ldd "$lib" 2>/dev/null | awk '$1 ~ /^libasan\.so/ {print $3}')
# Nothing from the real system's Kerberos setup, no other preloads.
base=(env -u LD_PRELOAD -u LD_DEBUG -u LD_DEBUG_OUTPUT
      ${preload:+LD_PRELOAD=$preload ASAN_OPTIONS=detect_leaks=0}
      KRB5_CONFIG="$tmp/krb5.conf" KRB5CCNAME="FILE:$tmp/no-ccache"
      KRB5_KTNAME="FILE:$tmp/no-keytab" KRB5RCACHEDIR="$tmp"
      LD_LIBRARY_PATH="$compat" LD_BIND_NOW=1)

# timeout(1) exits 124 when the program hung; 128+N when it died of signal N.
died() { [ "$1" -eq 124 ] || { [ "$1" -gt 128 ] && [ "$1" -le 192 ]; }; }
tmo=(timeout -k 5 30)

loader_errors='symbol lookup error|version .* not found|undefined symbol|error while loading shared libraries|has different size|no version information'

for prog in "$client" "$server"; do
    name=$(basename "$prog")
    # 1. Load with every symbol bound up front; no arguments = usage.
    "${tmo[@]}" "${base[@]}" "$prog" > "$tmp/$name.out" 2>&1 < /dev/null
    rc=$?
    if died $rc; then
        notok "$name: exit $rc (signal or timeout) while printing usage"
    else
        ok "$name exits normally ($rc) without arguments"
    fi
    grep -q 'Usage' "$tmp/$name.out" && ok "$name prints its usage on Baton" \
        || notok "$name printed no usage: $(head -c 300 "$tmp/$name.out")"
    if grep -Eq "$loader_errors" "$tmp/$name.out"; then
        notok "$name: loader complaint: $(grep -E "$loader_errors" "$tmp/$name.out" | head -3)"
    else
        ok "$name: no symbol lookup error, version or size complaint"
    fi

    # 2. Where each imported GSS-API symbol binds.
    "${tmo[@]}" "${base[@]}" LD_DEBUG=bindings,libs \
        LD_DEBUG_OUTPUT="$tmp/$name.ld" "$prog" > /dev/null 2>&1 < /dev/null
    cat "$tmp/$name.ld".* > "$tmp/$name.debug" 2>/dev/null
    if [ ! -s "$tmp/$name.debug" ]; then
        notok "$name: LD_DEBUG produced nothing"
        continue
    fi
    # Imports of the MIT node: undefined functions and copy-relocated data.
    objdump -T "$prog" | awk '/\(?gssapi_krb5_2_MIT\)?/ {print $NF}' |
        sort -u > "$tmp/$name.imports"
    nimp=$(wc -l < "$tmp/$name.imports")
    [ "$nimp" -gt 0 ] || { notok "$name imports nothing from gssapi_krb5_2_MIT?"; continue; }
    # "binding file gss-client [0] to /path/lib.so [0]: normal symbol `x' [node]"
    sed -nE "s/^ *[0-9]+:[[:space:]]+binding file ($(printf '%s' "$prog" | sed 's/[.[\*^$/]/\\&/g')|$name) \[0\] to ([^ ]+) \[[0-9]+\]: normal symbol \`([^']+)'.*/\3 \2/p" \
        "$tmp/$name.debug" | sort -u > "$tmp/$name.bound"
    wrong=""
    unbound=""
    while read -r sym; do
        to=$(awk -v s="$sym" '$1 == s {print $2}' "$tmp/$name.bound" | head -n1)
        if [ -z "$to" ]; then
            unbound="$unbound $sym"
        elif [ "$(readlink -f "$to")" != "$lib" ]; then
            wrong="$wrong $sym->$to"
        fi
    done < "$tmp/$name.imports"
    [ -z "$unbound" ] || notok "$name: no binding recorded for:$unbound"
    [ -z "$wrong" ] && [ -z "$unbound" ] \
        && ok "$name: all $nimp gssapi_krb5_2_MIT imports bind to $lib" \
        || { [ -z "$wrong" ] || notok "$name: bound elsewhere than the compat library:$wrong"; }
    for d in $(objdump -T "$prog" | awk '$2 == "g" && $3 == "DO" && /gssapi_krb5_2_MIT/ {print $NF}'); do
        grep -q "^$d " "$tmp/$name.bound" && ok "$name: copy-relocated $d comes from the compat library" \
            || notok "$name: copy-relocated $d not bound"
    done
    # MIT's library must not be in the process at all.
    loaded=$(grep -oE 'calling init: [^ ]*libgssapi[^ ]*' "$tmp/$name.debug" | awk '{print $3}' | sort -u)
    others=""
    for l in $loaded; do
        [ "$(readlink -f "$l")" = "$lib" ] || others="$others $l"
    done
    [ -n "$loaded" ] && [ -z "$others" ] \
        && ok "$name: the only libgssapi initialised is the compat library" \
        || notok "$name: libgssapi libraries initialised: ${loaded:-none}"
done

# 3. gss-server making real calls: import the service name (MIT's sample
#    passes strlen+1 bytes, i.e. with the NUL), then acquire acceptor
#    credentials from a keytab that does not exist.  It must report the
#    failure through gss_display_status and exit, not crash or serve.
port=$((20000 + RANDOM % 40000))
"${tmo[@]}" "${base[@]}" LD_DEBUG=bindings LD_DEBUG_OUTPUT="$tmp/srv.ld" \
    "$server" -port "$port" -keytab /nonexistent host@localhost \
    > "$tmp/srv.out" 2>&1 < /dev/null
rc=$?
echo "# gss-server -port $port -keytab /nonexistent host@localhost: exit $rc"
sed 's/^/#   /' "$tmp/srv.out"
if [ $rc -eq 0 ] || died $rc; then
    notok "gss-server exit status $rc: want a failure exit, not success, a signal or a hang"
else
    ok "gss-server exits with status $rc, not by a signal"
fi
if grep -q 'importing name' "$tmp/srv.out"; then
    notok "gss_import_name(\"host@localhost\\0\", gss_nt_service_name) failed"
else
    ok "gss_import_name accepted \"host@localhost\" with its trailing NUL"
fi
if grep -Eiq 'GSS-API error acquiring credentials: .*(unavailable|key ?table|keytab|credentials)' "$tmp/srv.out"; then
    ok "gss_acquire_cred's failure is reported in gss_display_status sentences"
else
    notok "no 'GSS-API error acquiring credentials: ...' sentence in gss-server's output"
fi
if grep -Eq "$loader_errors" "$tmp/srv.out"; then
    notok "loader complaint from gss-server: $(grep -E "$loader_errors" "$tmp/srv.out" | head -2)"
fi
cat "$tmp/srv.ld".* > "$tmp/srv.debug" 2>/dev/null
for sym in gss_import_name gss_acquire_cred gss_display_status krb5_gss_register_acceptor_identity; do
    to=$(sed -nE "s/.*binding file [^ ]+ \[0\] to ([^ ]+) \[[0-9]+\]: normal symbol \`$sym'.*/\1/p" \
         "$tmp/srv.debug" | head -n1)
    [ -n "$to" ] && [ "$(readlink -f "$to")" = "$lib" ] \
        && ok "gss-server's $sym is Baton's" \
        || notok "gss-server's $sym bound to '${to:-nothing}', not $lib"
done
exit $fail
