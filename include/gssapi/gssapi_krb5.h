/*
 * gssapi_krb5.h - the Kerberos V5 mechanism's OIDs, name types and the
 * krb5-specific calls, with MIT krb5's names and signatures.
 */
#ifndef GSSAPI_GSSAPI_KRB5_H_
#define GSSAPI_GSSAPI_KRB5_H_

#include <gssapi/gssapi.h>
#include <gssapi/gssapi_ext.h>
#include <krb5.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

GSS_DLLIMP extern const gss_OID GSS_KRB5_NT_PRINCIPAL_NAME;  /* 1.2.840.113554.1.2.2.1 */
GSS_DLLIMP extern const gss_OID GSS_KRB5_NT_ENTERPRISE_NAME; /* 1.2.840.113554.1.2.2.6 */
GSS_DLLIMP extern const gss_OID GSS_KRB5_NT_X509_CERT;       /* 1.2.840.113554.1.2.2.7 */

GSS_DLLIMP extern const gss_OID gss_mech_krb5;        /* 1.2.840.113554.1.2.2 */
GSS_DLLIMP extern const gss_OID gss_mech_krb5_old;    /* 1.3.5.1.5.2 */
GSS_DLLIMP extern const gss_OID gss_mech_krb5_wrong;  /* 1.2.840.48018.1.2.2 */
GSS_DLLIMP extern const gss_OID gss_mech_iakerb;      /* 1.3.6.1.5.2.5 */
GSS_DLLIMP extern const gss_OID_set gss_mech_set_krb5;
GSS_DLLIMP extern const gss_OID_set gss_mech_set_krb5_old;
GSS_DLLIMP extern const gss_OID_set gss_mech_set_krb5_both;

/* Legacy names for the krb5 name types. */
GSS_DLLIMP extern const gss_OID gss_nt_krb5_name;      /* = GSS_KRB5_NT_PRINCIPAL_NAME */
GSS_DLLIMP extern const gss_OID gss_nt_krb5_principal; /* 1.2.840.113554.1.2.2.2 */

GSS_DLLIMP extern const gss_OID GSS_KRB5_CRED_NO_CI_FLAGS_X;
GSS_DLLIMP extern const gss_OID GSS_KRB5_GET_CRED_IMPERSONATOR;

#define GSS_KRB5_S_G_BAD_SERVICE_NAME    1
#define KRB5_GSS_FOR_CREDS_OPTION        1

/* Lucid contexts: the key material of an established context in a form a
 * kernel (NFS) consumes.  Version 1. */
typedef struct gss_krb5_lucid_key {
    OM_uint32 type;     /* krb5 enctype */
    OM_uint32 length;
    void *data;
} gss_krb5_lucid_key_t;

typedef struct gss_krb5_rfc1964_keydata {
    OM_uint32 sign_alg;
    OM_uint32 seal_alg;
    gss_krb5_lucid_key_t ctx_key;
} gss_krb5_rfc1964_keydata_t;

typedef struct gss_krb5_cfx_keydata {
    OM_uint32 have_acceptor_subkey;
    gss_krb5_lucid_key_t ctx_key;
    gss_krb5_lucid_key_t acceptor_subkey;
} gss_krb5_cfx_keydata_t;

typedef struct gss_krb5_lucid_context_v1 {
    OM_uint32 version;      /* 1; must stay first */
    OM_uint32 initiate;
    OM_uint32 endtime;
    uint64_t send_seq;
    uint64_t recv_seq;
    OM_uint32 protocol;     /* 0: RFC 1964, 1: RFC 4121 */
    gss_krb5_rfc1964_keydata_t rfc1964_kd;
    gss_krb5_cfx_keydata_t cfx_kd;
} gss_krb5_lucid_context_v1_t;

typedef struct gss_krb5_lucid_context_version {
    OM_uint32 version;
} gss_krb5_lucid_context_version_t;

OM_uint32 krb5_gss_register_acceptor_identity(const char *keytab_name);
OM_uint32 gss_krb5_get_tkt_flags(OM_uint32 *minor_status,
    gss_ctx_id_t context_handle, krb5_flags *ticket_flags);
OM_uint32 gss_krb5_copy_ccache(OM_uint32 *minor_status,
    gss_cred_id_t cred_handle, krb5_ccache out_ccache);
OM_uint32 gss_krb5_ccache_name(OM_uint32 *minor_status, const char *name,
    const char **out_name);
OM_uint32 gss_krb5_set_allowable_enctypes(OM_uint32 *minor_status,
    gss_cred_id_t cred, OM_uint32 num_ktypes, krb5_enctype *ktypes);
OM_uint32 gss_krb5_export_lucid_sec_context(OM_uint32 *minor_status,
    gss_ctx_id_t *context_handle, OM_uint32 version, void **kctx);
OM_uint32 gss_krb5_free_lucid_sec_context(OM_uint32 *minor_status,
    void *kctx);
OM_uint32 gsskrb5_extract_authz_data_from_sec_context(OM_uint32 *minor_status,
    const gss_ctx_id_t context_handle, int ad_type, gss_buffer_t ad_data);
OM_uint32 gss_krb5_set_cred_rcache(OM_uint32 *minor_status,
    gss_cred_id_t cred, krb5_rcache rcache);
OM_uint32 gsskrb5_extract_authtime_from_sec_context(OM_uint32 *minor_status,
    gss_ctx_id_t context_handle, krb5_timestamp *authtime);
OM_uint32 gss_krb5_import_cred(OM_uint32 *minor_status, krb5_ccache id,
    krb5_principal keytab_principal, krb5_keytab keytab,
    gss_cred_id_t *cred);

#ifdef __cplusplus
}
#endif

#endif /* GSSAPI_GSSAPI_KRB5_H_ */
