/*
 * gssapi_generic.h - the GSS-API version 1 names of the standard name types,
 * which programs written for MIT krb5 (its gss-client and gss-server among
 * them) still use.  Each is the same OID as its modern GSS_C_NT_* twin.
 */
#ifndef GSSAPI_GSSAPI_GENERIC_H_
#define GSSAPI_GSSAPI_GENERIC_H_

#include <gssapi/gssapi.h>

#ifdef __cplusplus
extern "C" {
#endif

GSS_DLLIMP extern gss_OID gss_nt_user_name;        /* GSS_C_NT_USER_NAME */
GSS_DLLIMP extern gss_OID gss_nt_machine_uid_name; /* GSS_C_NT_MACHINE_UID_NAME */
GSS_DLLIMP extern gss_OID gss_nt_string_uid_name;  /* GSS_C_NT_STRING_UID_NAME */
GSS_DLLIMP extern gss_OID gss_nt_service_name_v2;  /* GSS_C_NT_HOSTBASED_SERVICE_X */
GSS_DLLIMP extern gss_OID gss_nt_service_name;     /* GSS_C_NT_HOSTBASED_SERVICE */
GSS_DLLIMP extern gss_OID gss_nt_exported_name;    /* GSS_C_NT_EXPORT_NAME */

#ifdef __cplusplus
}
#endif

#endif /* GSSAPI_GSSAPI_GENERIC_H_ */
