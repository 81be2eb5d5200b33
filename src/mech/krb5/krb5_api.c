/*
 * krb5_api.c - the Kerberos mechanism's own public calls (gssapi_krb5.h).
 *
 * Settings made here are read by the credential code of the mechanism.
 * Calls that need established contexts or credentials validate their
 * handles and answer GSS_S_UNAVAILABLE until those parts land.
 */
#include "mech/krb5/krb5_mech.h"

#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include <gssapi/gssapi_krb5.h>

#include "glue/glue.h"

static pthread_mutex_t settings_lock = PTHREAD_MUTEX_INITIALIZER;
static char *acceptor_keytab;

/* The ccache name set by gss_krb5_ccache_name for this thread, and the one
 * returned to the caller as "previous" (kept alive until the next call). */
static _Thread_local char *thread_ccache;
static _Thread_local char *thread_ccache_prev;

BT_EXPORT OM_uint32
krb5_gss_register_acceptor_identity(const char *keytab_name)
{
    char *copy = NULL;

    if (keytab_name != NULL && (copy = strdup(keytab_name)) == NULL)
        return GSS_S_FAILURE;
    pthread_mutex_lock(&settings_lock);
    free(acceptor_keytab);
    acceptor_keytab = copy;
    pthread_mutex_unlock(&settings_lock);
    return GSS_S_COMPLETE;
}

char *
bt_krb5_acceptor_keytab(void)
{
    char *copy = NULL;

    pthread_mutex_lock(&settings_lock);
    if (acceptor_keytab != NULL)
        copy = strdup(acceptor_keytab);
    pthread_mutex_unlock(&settings_lock);
    return copy;
}

const char *
bt_krb5_thread_ccache(void)
{
    return thread_ccache;
}

BT_EXPORT OM_uint32
gss_krb5_ccache_name(OM_uint32 *minor_status, const char *name,
                     const char **out_name)
{
    char *copy = NULL;

    if (minor_status != NULL)
        *minor_status = 0;
    if (name != NULL && (copy = strdup(name)) == NULL)
        return bt_fail(minor_status, GSS_S_FAILURE, ENOMEM);
    free(thread_ccache_prev);
    thread_ccache_prev = thread_ccache;
    thread_ccache = copy;
    if (out_name != NULL)
        *out_name = thread_ccache_prev;
    return GSS_S_COMPLETE;
}

__attribute__((destructor)) static void
free_settings(void)
{
    pthread_mutex_lock(&settings_lock);
    free(acceptor_keytab);
    acceptor_keytab = NULL;
    pthread_mutex_unlock(&settings_lock);
    free(thread_ccache);
    free(thread_ccache_prev);
    thread_ccache = thread_ccache_prev = NULL;
}

/* Validates a context handle, then reports the feature as not there yet. */
static OM_uint32
ctx_later(OM_uint32 *minor, gss_ctx_id_t h)
{
    struct bt_ctx *ctx;
    OM_uint32 major;

    ctx = bt_ctx_enter(minor, h, &major);
    if (ctx == NULL)
        return major;
    bt_ctx_leave(ctx);
    return bt_fail(minor, GSS_S_UNAVAILABLE, BT_E_NOT_IMPLEMENTED);
}

static OM_uint32
cred_later(OM_uint32 *minor, gss_cred_id_t h)
{
    struct bt_cred *cred = bt_cred_get(h);

    if (cred == NULL)
        return bt_fail(minor, GSS_S_NO_CRED, BT_E_BAD_HANDLE);
    bt_cred_put(cred);
    return bt_fail(minor, GSS_S_UNAVAILABLE, BT_E_NOT_IMPLEMENTED);
}

BT_EXPORT OM_uint32
gss_krb5_get_tkt_flags(OM_uint32 *minor_status, gss_ctx_id_t context_handle,
                       krb5_flags *ticket_flags)
{
    if (ticket_flags == NULL)
        return bt_fail(minor_status, GSS_S_CALL_INACCESSIBLE_WRITE, 0);
    return ctx_later(minor_status, context_handle);
}

BT_EXPORT OM_uint32
gss_krb5_copy_ccache(OM_uint32 *minor_status, gss_cred_id_t cred_handle,
                     krb5_ccache out_ccache)
{
    if (out_ccache == NULL)
        return bt_fail(minor_status, GSS_S_CALL_INACCESSIBLE_READ, 0);
    return cred_later(minor_status, cred_handle);
}

BT_EXPORT OM_uint32
gss_krb5_set_allowable_enctypes(OM_uint32 *minor_status, gss_cred_id_t cred,
                                OM_uint32 num_ktypes, krb5_enctype *ktypes)
{
    if (num_ktypes > 0 && ktypes == NULL)
        return bt_fail(minor_status, GSS_S_CALL_INACCESSIBLE_READ, 0);
    return cred_later(minor_status, cred);
}

BT_EXPORT OM_uint32
gss_krb5_export_lucid_sec_context(OM_uint32 *minor_status,
                                  gss_ctx_id_t *context_handle,
                                  OM_uint32 version, void **kctx)
{
    if (kctx == NULL || context_handle == NULL)
        return bt_fail(minor_status, GSS_S_CALL_INACCESSIBLE_WRITE, 0);
    *kctx = NULL;
    if (version != 1)
        return bt_fail(minor_status, GSS_S_FAILURE, BT_E_NOT_IMPLEMENTED);
    return ctx_later(minor_status, *context_handle);
}

BT_EXPORT OM_uint32
gss_krb5_free_lucid_sec_context(OM_uint32 *minor_status, void *kctx)
{
    if (minor_status != NULL)
        *minor_status = 0;
    /* Nothing can have been exported yet, so nothing is ours to free. */
    if (kctx == NULL)
        return bt_fail(minor_status, GSS_S_CALL_INACCESSIBLE_READ, 0);
    return bt_fail(minor_status, GSS_S_UNAVAILABLE, BT_E_NOT_IMPLEMENTED);
}

BT_EXPORT OM_uint32
gsskrb5_extract_authz_data_from_sec_context(OM_uint32 *minor_status,
                                            const gss_ctx_id_t context_handle,
                                            int ad_type, gss_buffer_t ad_data)
{
    (void)ad_type;
    bt_buf_clear(ad_data);
    if (ad_data == GSS_C_NO_BUFFER)
        return bt_fail(minor_status, GSS_S_CALL_INACCESSIBLE_WRITE, 0);
    return ctx_later(minor_status, context_handle);
}

BT_EXPORT OM_uint32
gss_krb5_set_cred_rcache(OM_uint32 *minor_status, gss_cred_id_t cred,
                         krb5_rcache rcache)
{
    (void)rcache;
    return cred_later(minor_status, cred);
}

BT_EXPORT OM_uint32
gsskrb5_extract_authtime_from_sec_context(OM_uint32 *minor_status,
                                          gss_ctx_id_t context_handle,
                                          krb5_timestamp *authtime)
{
    if (authtime == NULL)
        return bt_fail(minor_status, GSS_S_CALL_INACCESSIBLE_WRITE, 0);
    return ctx_later(minor_status, context_handle);
}

BT_EXPORT OM_uint32
gss_krb5_import_cred(OM_uint32 *minor_status, krb5_ccache id,
                     krb5_principal keytab_principal, krb5_keytab keytab,
                     gss_cred_id_t *cred)
{
    (void)keytab_principal;
    if (cred == NULL)
        return bt_fail(minor_status, GSS_S_CALL_INACCESSIBLE_WRITE, 0);
    *cred = GSS_C_NO_CREDENTIAL;
    if (id == NULL && keytab == NULL)
        return bt_fail(minor_status, GSS_S_CALL_INACCESSIBLE_READ, 0);
    return bt_fail(minor_status, GSS_S_UNAVAILABLE, BT_E_NOT_IMPLEMENTED);
}
