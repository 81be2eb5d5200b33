/*
 * oids.c - the OID data symbols of the MIT ABI and Baton's static OID table.
 *
 * Every exported name is a pointer-sized object holding the address of a
 * static gss_OID_desc, as in MIT's library, because executables
 * copy-relocate these symbols and expect exactly that size.
 */
#include "glue/glue.h"
#include "glue/oids.h"

#include <string.h>

#include <gssapi/gssapi_generic.h>
#include <gssapi/gssapi_krb5.h>

#define KRB5_ARC  "\x2a\x86\x48\x86\xf7\x12\x01\x02\x02"  /* 1.2.840.113554.1.2.2 */
#define GSSN_ARC  "\x2a\x86\x48\x86\xf7\x12\x01\x02\x01"  /* 1.2.840.113554.1.2.1 */
#define MA_ARC    "\x2b\x06\x01\x05\x05\x0d"              /* 1.3.6.1.5.5.13 */
#define NT6_ARC   "\x2b\x06\x01\x05\x06"                  /* 1.3.6.1.5.6 */

#define OID(s) { sizeof(s) - 1, (void *)(s) }

gss_OID_desc bt_oids[O_MA_FIRST + BT_MA_COUNT] = {
    [O_NT_USER] = OID(GSSN_ARC "\x01"),
    [O_NT_MACHINE_UID] = OID(GSSN_ARC "\x02"),
    [O_NT_STRING_UID] = OID(GSSN_ARC "\x03"),
    [O_NT_HOSTBASED_X] = OID(NT6_ARC "\x02"),
    [O_NT_HOSTBASED] = OID(GSSN_ARC "\x04"),
    [O_NT_ANONYMOUS] = OID(NT6_ARC "\x03"),
    [O_NT_EXPORT] = OID(NT6_ARC "\x04"),
    [O_NT_COMPOSITE] = OID(NT6_ARC "\x06"),
    [O_KRB5] = OID(KRB5_ARC),
    [O_KRB5_OLD] = OID("\x2b\x05\x01\x05\x02"),
    [O_KRB5_WRONG] = OID("\x2a\x86\x48\x82\xf7\x12\x01\x02\x02"),
    [O_IAKERB] = OID("\x2b\x06\x01\x05\x02\x05"),
    [O_KRB5_NT_PRINC] = OID(KRB5_ARC "\x01"),
    [O_KRB5_NT_PRINC_BIN] = OID(KRB5_ARC "\x02"),
    [O_KRB5_NT_ENTERPRISE] = OID(KRB5_ARC "\x06"),
    [O_KRB5_NT_X509] = OID(KRB5_ARC "\x07"),
    [O_INQ_SSPI_KEY] = OID(KRB5_ARC "\x05\x05"),
    [O_INQ_NEGOEX_KEY] = OID(KRB5_ARC "\x05\x10"),
    [O_INQ_NEGOEX_VKEY] = OID(KRB5_ARC "\x05\x11"),
    [O_SASL_SSF] = OID(KRB5_ARC "\x05\x0f"),
    [O_GET_IMPERSONATOR] = OID(KRB5_ARC "\x05\x0e"),
    [O_NO_CI_FLAGS] = OID("\x2a\x85\x70\x2b\x0d\x1d"),
    [O_MA_NEGOEX_SPNEGO] = OID(KRB5_ARC "\x05\x12"),
    [O_SPNEGO] = OID("\x2b\x06\x01\x05\x05\x02"),     /* 1.3.6.1.5.5.2 */
    /* RFC 5587 mechanism attributes 1.3.6.1.5.5.13.1 .. .27 */
    OID(MA_ARC "\x01"), OID(MA_ARC "\x02"), OID(MA_ARC "\x03"),
    OID(MA_ARC "\x04"), OID(MA_ARC "\x05"), OID(MA_ARC "\x06"),
    OID(MA_ARC "\x07"), OID(MA_ARC "\x08"), OID(MA_ARC "\x09"),
    OID(MA_ARC "\x0a"), OID(MA_ARC "\x0b"), OID(MA_ARC "\x0c"),
    OID(MA_ARC "\x0d"), OID(MA_ARC "\x0e"), OID(MA_ARC "\x0f"),
    OID(MA_ARC "\x10"), OID(MA_ARC "\x11"), OID(MA_ARC "\x12"),
    OID(MA_ARC "\x13"), OID(MA_ARC "\x14"), OID(MA_ARC "\x15"),
    OID(MA_ARC "\x16"), OID(MA_ARC "\x17"), OID(MA_ARC "\x18"),
    OID(MA_ARC "\x19"), OID(MA_ARC "\x1a"), OID(MA_ARC "\x1b"),
};

#define MA(n) BT_MA(n)

/* RFC 2744 name types and their version 1 aliases. */
BT_EXPORT gss_OID GSS_C_NT_USER_NAME = &bt_oids[O_NT_USER];
BT_EXPORT gss_OID GSS_C_NT_MACHINE_UID_NAME = &bt_oids[O_NT_MACHINE_UID];
BT_EXPORT gss_OID GSS_C_NT_STRING_UID_NAME = &bt_oids[O_NT_STRING_UID];
BT_EXPORT gss_OID GSS_C_NT_HOSTBASED_SERVICE_X = &bt_oids[O_NT_HOSTBASED_X];
BT_EXPORT gss_OID GSS_C_NT_HOSTBASED_SERVICE = &bt_oids[O_NT_HOSTBASED];
BT_EXPORT gss_OID GSS_C_NT_ANONYMOUS = &bt_oids[O_NT_ANONYMOUS];
BT_EXPORT gss_OID GSS_C_NT_EXPORT_NAME = &bt_oids[O_NT_EXPORT];
BT_EXPORT gss_OID GSS_C_NT_COMPOSITE_EXPORT = &bt_oids[O_NT_COMPOSITE];
BT_EXPORT gss_OID gss_nt_user_name = &bt_oids[O_NT_USER];
BT_EXPORT gss_OID gss_nt_machine_uid_name = &bt_oids[O_NT_MACHINE_UID];
BT_EXPORT gss_OID gss_nt_string_uid_name = &bt_oids[O_NT_STRING_UID];
BT_EXPORT gss_OID gss_nt_service_name_v2 = &bt_oids[O_NT_HOSTBASED_X];
BT_EXPORT gss_OID gss_nt_service_name = &bt_oids[O_NT_HOSTBASED];
BT_EXPORT gss_OID gss_nt_exported_name = &bt_oids[O_NT_EXPORT];

/* Kerberos. */
BT_EXPORT const gss_OID gss_mech_krb5 = &bt_oids[O_KRB5];
BT_EXPORT const gss_OID gss_mech_krb5_old = &bt_oids[O_KRB5_OLD];
BT_EXPORT const gss_OID gss_mech_krb5_wrong = &bt_oids[O_KRB5_WRONG];
BT_EXPORT const gss_OID gss_mech_iakerb = &bt_oids[O_IAKERB];
BT_EXPORT const gss_OID GSS_KRB5_NT_PRINCIPAL_NAME = &bt_oids[O_KRB5_NT_PRINC];
BT_EXPORT const gss_OID gss_nt_krb5_name = &bt_oids[O_KRB5_NT_PRINC];
BT_EXPORT const gss_OID gss_nt_krb5_principal = &bt_oids[O_KRB5_NT_PRINC_BIN];
BT_EXPORT const gss_OID GSS_KRB5_NT_ENTERPRISE_NAME =
    &bt_oids[O_KRB5_NT_ENTERPRISE];
BT_EXPORT const gss_OID GSS_KRB5_NT_X509_CERT = &bt_oids[O_KRB5_NT_X509];
BT_EXPORT const gss_OID GSS_KRB5_CRED_NO_CI_FLAGS_X = &bt_oids[O_NO_CI_FLAGS];
BT_EXPORT const gss_OID GSS_KRB5_GET_CRED_IMPERSONATOR =
    &bt_oids[O_GET_IMPERSONATOR];
BT_EXPORT gss_OID GSS_C_INQ_SSPI_SESSION_KEY = &bt_oids[O_INQ_SSPI_KEY];
BT_EXPORT gss_OID GSS_C_INQ_NEGOEX_KEY = &bt_oids[O_INQ_NEGOEX_KEY];
BT_EXPORT gss_OID GSS_C_INQ_NEGOEX_VERIFY_KEY = &bt_oids[O_INQ_NEGOEX_VKEY];
BT_EXPORT gss_OID GSS_C_SEC_CONTEXT_SASL_SSF = &bt_oids[O_SASL_SSF];
BT_EXPORT gss_const_OID GSS_C_MA_NEGOEX_AND_SPNEGO =
    &bt_oids[O_MA_NEGOEX_SPNEGO];

static gss_OID_set_desc set_krb5 = { 1, &bt_oids[O_KRB5] };
static gss_OID_set_desc set_krb5_old = { 1, &bt_oids[O_KRB5_OLD] };
/* KRB5, KRB5_OLD and KRB5_WRONG are adjacent in bt_oids. */
static gss_OID_set_desc set_krb5_both = { 3, &bt_oids[O_KRB5] };
BT_EXPORT const gss_OID_set gss_mech_set_krb5 = &set_krb5;
BT_EXPORT const gss_OID_set gss_mech_set_krb5_old = &set_krb5_old;
BT_EXPORT const gss_OID_set gss_mech_set_krb5_both = &set_krb5_both;

static gss_buffer_desc attr_local_login_user = {
    sizeof("local-login-user") - 1, (void *)"local-login-user"
};
BT_EXPORT gss_buffer_t GSS_C_ATTR_LOCAL_LOGIN_USER = &attr_local_login_user;

/* RFC 5587 attributes. */
BT_EXPORT gss_const_OID GSS_C_MA_MECH_CONCRETE = MA(1);
BT_EXPORT gss_const_OID GSS_C_MA_MECH_PSEUDO = MA(2);
BT_EXPORT gss_const_OID GSS_C_MA_MECH_COMPOSITE = MA(3);
BT_EXPORT gss_const_OID GSS_C_MA_MECH_NEGO = MA(4);
BT_EXPORT gss_const_OID GSS_C_MA_MECH_GLUE = MA(5);
BT_EXPORT gss_const_OID GSS_C_MA_NOT_MECH = MA(6);
BT_EXPORT gss_const_OID GSS_C_MA_DEPRECATED = MA(7);
BT_EXPORT gss_const_OID GSS_C_MA_NOT_DFLT_MECH = MA(8);
BT_EXPORT gss_const_OID GSS_C_MA_ITOK_FRAMED = MA(9);
BT_EXPORT gss_const_OID GSS_C_MA_AUTH_INIT = MA(10);
BT_EXPORT gss_const_OID GSS_C_MA_AUTH_TARG = MA(11);
BT_EXPORT gss_const_OID GSS_C_MA_AUTH_INIT_INIT = MA(12);
BT_EXPORT gss_const_OID GSS_C_MA_AUTH_TARG_INIT = MA(13);
BT_EXPORT gss_const_OID GSS_C_MA_AUTH_INIT_ANON = MA(14);
BT_EXPORT gss_const_OID GSS_C_MA_AUTH_TARG_ANON = MA(15);
BT_EXPORT gss_const_OID GSS_C_MA_DELEG_CRED = MA(16);
BT_EXPORT gss_const_OID GSS_C_MA_INTEG_PROT = MA(17);
BT_EXPORT gss_const_OID GSS_C_MA_CONF_PROT = MA(18);
BT_EXPORT gss_const_OID GSS_C_MA_MIC = MA(19);
BT_EXPORT gss_const_OID GSS_C_MA_WRAP = MA(20);
BT_EXPORT gss_const_OID GSS_C_MA_PROT_READY = MA(21);
BT_EXPORT gss_const_OID GSS_C_MA_REPLAY_DET = MA(22);
BT_EXPORT gss_const_OID GSS_C_MA_OOS_DET = MA(23);
BT_EXPORT gss_const_OID GSS_C_MA_CBINDINGS = MA(24);
BT_EXPORT gss_const_OID GSS_C_MA_PFS = MA(25);
BT_EXPORT gss_const_OID GSS_C_MA_COMPRESS = MA(26);
BT_EXPORT gss_const_OID GSS_C_MA_CTX_TRANS = MA(27);

gss_OID
bt_oid_static(const gss_OID_desc *oid)
{
    if (oid == NULL)
        return GSS_C_NO_OID;
    for (size_t i = 0; i < BT_ARRAY_LEN(bt_oids); i++) {
        if (bt_oid_eq(&bt_oids[i], oid))
            return &bt_oids[i];
    }
    return GSS_C_NO_OID;
}

bool
bt_oid_is_static(const gss_OID_desc *oid)
{
    uintptr_t p = (uintptr_t)oid, lo = (uintptr_t)&bt_oids[0];

    return p >= lo && p < lo + sizeof(bt_oids);
}
