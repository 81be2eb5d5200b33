#!/usr/bin/env bash
# The main job on a fresh Debian 12 machine: installs what it needs, builds,
# makes a throwaway Kerberos realm, runs the prefork server (a master that
# authenticates each connection and hands context and socket to pre-forked
# workers) under concurrent clients for a few seconds, prints a summary, shows
# its HTTP Negotiate mode once (under a second) and tears everything down.
# Exit status nonzero if any client failed.
#   scripts/demo.sh [SECONDS]
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
build=${BATON_BUILD_ROOT:-$top/build}/demo
bash "$top/scripts/bootstrap.sh"
cmake -S "$top" -B "$build" -DCMAKE_BUILD_TYPE=Release -DBATON_TESTS=OFF \
      >/dev/null
cmake --build "$build" -j"$(nproc)" --target baton-prefork-server \
      baton-prefork-client baton-negotiate-client >/dev/null
exec bash "$top/tests/realm/realm.sh" run -- \
     bash "$top/examples/prefork/run_demo.sh" "$build/examples/prefork" \
     "${1:-5}"
