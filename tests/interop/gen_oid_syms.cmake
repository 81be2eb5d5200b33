# cmake -DIN=exports.txt -DOUT=mit_oid_syms.h -P gen_oid_syms.cmake
#
# Writes one OID_SYM(name) line for every data object of the
# gssapi_krb5_2_MIT node in tests/abi/exports.txt, for mit_oid_dump.c.
if(NOT IN OR NOT OUT)
  message(FATAL_ERROR "usage: cmake -DIN=exports.txt -DOUT=header -P ${CMAKE_CURRENT_LIST_FILE}")
endif()
file(STRINGS "${IN}" lines)
set(body "/* Generated from ${IN} by gen_oid_syms.cmake; do not edit. */\n")
set(n 0)
foreach(line IN LISTS lines)
  if(line MATCHES "^gssapi_krb5_2_MIT[ \t]+([A-Za-z_][A-Za-z_0-9]*)[ \t]+D[ \t]")
    string(APPEND body "OID_SYM(${CMAKE_MATCH_1})\n")
    math(EXPR n "${n} + 1")
  endif()
endforeach()
if(n EQUAL 0)
  message(FATAL_ERROR "${IN} lists no gssapi_krb5_2_MIT data symbols")
endif()
string(APPEND body "#define OID_SYM_COUNT ${n}\n")
# Rewrite only on change, so that the dump program is not rebuilt needlessly.
if(EXISTS "${OUT}")
  file(READ "${OUT}" old)
  if(old STREQUAL body)
    return()
  endif()
endif()
file(WRITE "${OUT}" "${body}")
