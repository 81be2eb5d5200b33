#!/bin/bash
# pkgconfig_program.sh BUILD_DIR PROGRAM_C [CC [EXTRA_CFLAGS]]
#
# abi_pkgconfig_program: install the build tree into a temporary prefix,
# then build PROGRAM_C the way an application would - with nothing but
# `pkg-config --cflags --libs baton` - once against libbaton.so and once,
# with --static, against libbaton.a, and run both.  Also checks that the
# compatdir variable names the installed MIT-soname library.  EXTRA_CFLAGS
# (e.g. -fsanitize=... for a sanitizer build) go to both compilations.
set -uo pipefail
build=${1:?usage: pkgconfig_program.sh BUILD_DIR PROGRAM_C [CC]}
prog=${2:?}
cc=${3:-cc}
extra=${4:-}
fail=0
ok() { echo "ok - $*"; }
notok() { echo "not ok - $*"; fail=1; }
bail() { echo "not ok - $*"; exit 1; }

tmp=$(mktemp -d "${TMPDIR:-/tmp}/abi_pkgconfig.XXXXXX") || exit 2
trap 'rm -rf "$tmp"' EXIT
prefix=$tmp/prefix

# 1. Install.  First into a staging DESTDIR, to see that every file lands
#    under --prefix: a destination hard-wired at configure time would
#    otherwise write into the real file system (we may be root).
if ! DESTDIR=$tmp/stage cmake --install "$build" --prefix "$prefix" \
        > "$tmp/stage.log" 2>&1; then
    cat "$tmp/stage.log"
    bail "cmake --install $build --prefix ... (staged) failed"
fi
stray=$(cd "$tmp/stage" && find . ! -type d | sed 's|^\.||' |
        grep -v "^$prefix/" || true)
if [ -n "$stray" ]; then
    notok "cmake --install --prefix PREFIX puts files outside PREFIX" \
          "(destination fixed at configure time?):"
    printf '    %s\n' $stray
    bail "not installing for real; fix the install destinations"
fi
ok "every installed file lands under --prefix"
if ! cmake --install "$build" --prefix "$prefix" > "$tmp/install.log" 2>&1; then
    cat "$tmp/install.log"
    bail "cmake --install $build --prefix $prefix failed"
fi
for h in gssapi/gssapi.h gssapi/gssapi_ext.h gssapi/gssapi_krb5.h \
         gssapi/gssapi_generic.h baton/baton.h; do
    [ -f "$prefix/include/$h" ] && ok "installed <$h>" \
        || notok "<$h> is not installed under $prefix/include"
done

# 2. pkg-config, pointed at the temporary prefix only.
pcfile=$(find "$prefix" -name baton.pc -path '*/pkgconfig/*' | head -n1)
[ -n "$pcfile" ] || bail "no pkgconfig/baton.pc under $prefix"
pcdir=$(dirname "$pcfile")
export PKG_CONFIG_PATH=$pcdir
export PKG_CONFIG_LIBDIR=$pcdir     # never a system-wide baton.pc
unset PKG_CONFIG_SYSROOT_DIR
pkg-config --exists baton || bail "pkg-config cannot read $pcfile"
cflags=$(pkg-config --cflags baton)
libs=$(pkg-config --libs baton)
slibs=$(pkg-config --libs --static baton)
echo "# baton.pc: $pcfile"
echo "# cflags: $cflags"
echo "# libs: $libs"
echo "# static libs: $slibs"
# Paths are compared canonicalized: a relocatable baton.pc may well say
# prefix=${pcfiledir}/../.. .
canon() { readlink -m -- "$1"; }
prefix=$(canon "$prefix")
libdir=$(canon "$(pkg-config --variable=libdir baton)")
includedir=$(canon "$(pkg-config --variable=includedir baton)")
case $libdir in "$prefix"/*) ok "libdir is in the prefix ($libdir)" ;;
    *) notok "libdir=$libdir is not under the install prefix $prefix" ;; esac
case $includedir in "$prefix"/*) ok "includedir is in the prefix" ;;
    *) notok "includedir=$includedir is not under the install prefix $prefix" ;; esac
[ -e "$libdir/libbaton.so" ] && [ -e "$libdir/libbaton.a" ] \
    && ok "libdir holds libbaton.so and libbaton.a" \
    || notok "libdir $libdir lacks libbaton.so or libbaton.a"

compatdir=$(pkg-config --variable=compatdir baton)
[ -n "$compatdir" ] && compatdir=$(canon "$compatdir")
if [ -z "$compatdir" ]; then
    notok "baton.pc has no compatdir variable"
elif [ ! -f "$compatdir/libgssapi_krb5.so.2" ]; then
    notok "compatdir=$compatdir does not contain libgssapi_krb5.so.2"
else
    case $compatdir in "$prefix"/*) ok "compatdir $compatdir holds libgssapi_krb5.so.2" ;;
        *) notok "compatdir=$compatdir is not under the install prefix" ;; esac
    soname=$(objdump -p "$compatdir/libgssapi_krb5.so.2" | awk '$1 == "SONAME" {print $2}')
    [ "$soname" = libgssapi_krb5.so.2 ] && ok "the installed compat library's SONAME is $soname" \
        || notok "installed compat library SONAME is '$soname'"
fi

# The run environment: a realm name and no credentials anywhere.
cat > "$tmp/krb5.conf" <<EOF
[libdefaults]
    default_realm = ABI.TEST
    dns_lookup_kdc = false
    dns_lookup_realm = false
    rdns = false
    dns_canonicalize_hostname = false
EOF
runenv=(env KRB5_CONFIG="$tmp/krb5.conf" KRB5CCNAME="FILE:$tmp/no-ccache"
        KRB5_KTNAME="FILE:$tmp/no-keytab" KRB5_CLIENT_KTNAME="FILE:$tmp/no-keytab"
        KRB5RCACHEDIR="$tmp" KRB5_TRACE=/dev/null)

# 3. The headers the program sees must be Baton's installed ones (MIT's
#    are in /usr/include/gssapi too and would be found silently).
# shellcheck disable=SC2086
if $cc $cflags -M "$prog" > "$tmp/deps" 2> "$tmp/deps.err"; then
    hdr=$(tr ' \\' '\n\n' < "$tmp/deps" | grep '/gssapi/gssapi\.h$' | head -n1)
    [ -n "$hdr" ] && hdr=$(canon "$hdr")
    case $hdr in "$prefix"/include/*) ok "<gssapi/gssapi.h> resolves to $hdr" ;;
        *) notok "<gssapi/gssapi.h> resolves to '$hdr', not Baton's in $prefix" ;; esac
else
    cat "$tmp/deps.err"
    notok "preprocessing with pkg-config --cflags failed"
fi

# 4. Shared: compile with pkg-config only, run against the installed libdir.
# shellcheck disable=SC2086
if $cc -Wall -Wextra -Werror $extra -o "$tmp/prog" "$prog" $cflags $libs \
        > "$tmp/cc.log" 2>&1; then
    ok "compiled with \`pkg-config --cflags --libs baton\` -Wall -Wextra -Werror"
    needed=$(objdump -p "$tmp/prog" | awk '$1 == "NEEDED" {print $2}' | tr '\n' ' ')
    case " $needed " in *" libbaton.so.0 "*) ok "the program needs libbaton.so.0" ;;
        *) notok "the program does not need libbaton.so.0 (NEEDED: $needed)" ;; esac
    case " $needed " in *libgssapi*) notok "the program needs a libgssapi ($needed)" ;; esac
    resolved=$(LD_LIBRARY_PATH=$libdir ldd "$tmp/prog" | awk '$1 == "libbaton.so.0" {print $3}')
    [ -n "$resolved" ] && resolved=$(canon "$resolved")
    [ -n "$resolved" ] && [ "$resolved" = "$(canon "$libdir/libbaton.so.0")" ] \
        && ok "libbaton.so.0 resolves to the installed $resolved" \
        || notok "libbaton.so.0 resolves to '$resolved', want $libdir/libbaton.so.0"
    if LD_LIBRARY_PATH=$libdir "${runenv[@]}" "$tmp/prog" > "$tmp/run.log" 2>&1; then
        ok "the shared-linked program passes: $(tail -n1 "$tmp/run.log")"
    else
        rc=$?
        grep -v '^ok ' "$tmp/run.log"
        notok "the shared-linked program failed (exit $rc)"
    fi
else
    cat "$tmp/cc.log"
    notok "compiling against the installed headers and libbaton.so failed"
fi

# 5. Static: the same flags plus --static, with libbaton.a chosen over the
#    .so (the remaining dependencies stay shared: distributions ship no
#    static libkrb5).
slibs_a=()
for f in $slibs; do
    if [ "$f" = -lbaton ]; then
        slibs_a+=("-Wl,-Bstatic" -lbaton "-Wl,-Bdynamic")
    else
        slibs_a+=("$f")
    fi
done
# shellcheck disable=SC2086
if $cc -Wall -Wextra -Werror $extra -o "$tmp/prog-static" "$prog" $cflags \
        "${slibs_a[@]}" > "$tmp/cc-static.log" 2>&1; then
    ok "compiled with \`pkg-config --cflags --libs --static baton\` against libbaton.a"
    needed=$(objdump -p "$tmp/prog-static" | awk '$1 == "NEEDED" {print $2}' | tr '\n' ' ')
    case " $needed " in *libbaton*|*libgssapi*)
        notok "the static program still needs a shared GSS-API library ($needed)" ;;
        *) ok "the static program needs no libbaton/libgssapi ($needed)" ;; esac
    [ "$(objdump -t "$tmp/prog-static" | grep -c ' gss_import_name$')" -gt 0 ] \
        && ok "gss_import_name is linked into the static program" \
        || notok "gss_import_name is not in the static program"
    if "${runenv[@]}" "$tmp/prog-static" > "$tmp/run-static.log" 2>&1; then
        ok "the static program passes: $(tail -n1 "$tmp/run-static.log")"
    else
        rc=$?
        grep -v '^ok ' "$tmp/run-static.log"
        notok "the static program failed (exit $rc)"
    fi
else
    cat "$tmp/cc-static.log"
    notok "static link with pkg-config --static failed (Libs.private incomplete?)"
fi

exit $fail
