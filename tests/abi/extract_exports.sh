#!/bin/bash
# extract_exports.sh LIB: print LIB's exported (defined) dynamic symbols as
#   NODE NAME KIND SIZE
# one per line, sorted, in the format of tests/abi/exports.txt.
#   NODE  the symbol's version node; "(NODE)" if the version is hidden
#         (name@NODE rather than name@@NODE), "-" if unversioned
#   KIND  F for functions, D for data objects; anything else is printed
#         as ?<type char> so that it can never match exports.txt.  A weak
#         definition gets a "w" suffix for the same reason.
#   SIZE  the object's size in bytes (decimal), "-" for functions
# The version-definition symbols (*ABS*, size 0, named after their node)
# are not exports and are left out.
set -euo pipefail
lib=${1:?usage: extract_exports.sh LIB}
[ -r "$lib" ] || { echo "extract_exports.sh: cannot read $lib" >&2; exit 2; }

out=$(LC_ALL=C objdump -T "$lib") || { echo "objdump -T $lib failed" >&2; exit 2; }
printf '%s\n' "$out" | LC_ALL=C awk '
  function hex(s,   i, v) {
    v = 0
    for (i = 1; i <= length(s); i++)
      v = v * 16 + index("0123456789abcdef", substr(s, i, 1)) - 1
    return v
  }
  # 0000000000011250 g    DF .text\t000000000000001b  gssapi_krb5_2_MIT gss_acquire_cred
  /^[0-9a-f]+ / {
    flags = substr($0, 18, 7)
    rest = substr($0, 26)
    tab = index(rest, "\t")
    if (tab == 0) next
    section = substr(rest, 1, tab - 1)
    sub(/ +$/, "", section)
    if (section == "*UND*") next
    n = split(substr(rest, tab + 1), f, /[ \t]+/)
    if (n == 3) { ver = f[2]; name = f[3] }
    else if (n == 2) { ver = "-"; name = f[2] }
    else { print "extract_exports.sh: cannot parse: " $0 > "/dev/stderr"; bad = 1; next }
    if (substr(flags, 1, 1) != "g" && substr(flags, 1, 1) != "u" && substr(flags, 2, 1) != "w") next  # local
    size = hex(f[1])
    if (section == "*ABS*" && size == 0 && (ver == name || ver == "(" name ")")) next
    t = substr(flags, 7, 1)
    if (t == "F") { kind = "F"; sz = "-" }
    else if (t == "O") { kind = "D"; sz = size }
    else { kind = "?" (t == " " ? "_" : t); sz = size }
    if (substr(flags, 2, 1) == "w") kind = kind "w"
    print ver, name, kind, sz
  }
  END { exit bad }' | LC_ALL=C sort -k1,1 -k2,2
