/*
 * oids.h - indexes into the library's static OID table, for code that needs
 * a built-in OID in a constant initializer (mechanism tables).
 */
#ifndef BATON_GLUE_OIDS_H_
#define BATON_GLUE_OIDS_H_

#include <gssapi/gssapi.h>

enum bt_oid_index {
    O_NT_USER, O_NT_MACHINE_UID, O_NT_STRING_UID, O_NT_HOSTBASED_X,
    O_NT_HOSTBASED, O_NT_ANONYMOUS, O_NT_EXPORT, O_NT_COMPOSITE,
    O_KRB5, O_KRB5_OLD, O_KRB5_WRONG, O_IAKERB,
    O_KRB5_NT_PRINC, O_KRB5_NT_PRINC_BIN, O_KRB5_NT_ENTERPRISE,
    O_KRB5_NT_X509, O_INQ_SSPI_KEY, O_INQ_NEGOEX_KEY, O_INQ_NEGOEX_VKEY,
    O_SASL_SSF, O_GET_IMPERSONATOR, O_NO_CI_FLAGS, O_MA_NEGOEX_SPNEGO,
    O_SPNEGO,
    O_MA_FIRST      /* RFC 5587 attribute n is at O_MA_FIRST + n - 1 */
};

#define BT_MA_COUNT 27

/* The static OID table (O_MA_FIRST + BT_MA_COUNT entries). */
extern gss_OID_desc bt_oids[];

#define BT_OID(i) (&bt_oids[(i)])
#define BT_MA(n) (&bt_oids[O_MA_FIRST + (n) - 1])

#endif /* BATON_GLUE_OIDS_H_ */
