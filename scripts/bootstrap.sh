#!/usr/bin/env bash
# Installs every Debian package Baton's build, tests, fuzzing and interop
# peers need.  Idempotent and non-interactive: packages already installed
# are left alone and apt is not touched at all when nothing is missing.
set -euo pipefail

packages=(
  # build
  build-essential cmake pkg-config libkrb5-dev libssl-dev
  # tests: a throwaway MIT realm, MIT's own programs as peers, tools
  krb5-kdc krb5-admin-server krb5-user krb5-gss-samples krb5-multidev
  mandoc valgrind iproute2 procps
  # interop: Heimdal's GSS library beside MIT's (never heimdal-dev,
  # heimdal-clients or heimdal-kdc: they remove MIT packages)
  heimdal-multidev
  # interop: HTTP Negotiate peers, curl and apache2 + mod_auth_gssapi (both
  # link MIT's libgssapi_krb5.so.2; the test runs a private httpd, the
  # system service is never used)
  curl apache2 libapache2-mod-auth-gssapi
  # fuzzing: clang with its libFuzzer and sanitizer runtimes
  clang libclang-rt-14-dev
)

missing=()
for p in "${packages[@]}"; do
  status=$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null || true)
  [ "$status" = "install ok installed" ] || missing+=("$p")
done

if [ ${#missing[@]} -eq 0 ]; then
  echo "bootstrap: all ${#packages[@]} packages present"
  exit 0
fi

sudo=()
if [ "$(id -u)" -ne 0 ]; then
  command -v sudo >/dev/null || { echo "bootstrap: need root or sudo" >&2; exit 1; }
  sudo=(sudo)
fi
echo "bootstrap: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
"${sudo[@]}" apt-get update -qq
"${sudo[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
echo "bootstrap: done"
