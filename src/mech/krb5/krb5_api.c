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
#include "mech/krb5/ctx.h"
#include "util/mem.h"

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

/* The Kerberos state behind a context handle, entered (locked); NULL with
 * *major set for a stale handle or another mechanism's context. */
static struct bt_krb5_ctx *
krb5_ctx_enter(OM_uint32 *minor, gss_ctx_id_t h, struct bt_ctx **ctx,
               OM_uint32 *major)
{
    void *k;

    *ctx = bt_ctx_enter(minor, h, major);
    if (*ctx == NULL)
        return NULL;
    /* Through SPNEGO to the Kerberos context it negotiated, as MIT. */
    if (bt_ctx_concrete((*ctx)->mech, (*ctx)->mctx, &k) != &bt_krb5_mech) {
        bt_ctx_leave(*ctx);
        *major = bt_fail(minor, GSS_S_BAD_MECH, BT_E_UNSUPPORTED_MECH);
        return NULL;
    }
    return k;
}

BT_EXPORT OM_uint32
gss_krb5_get_tkt_flags(OM_uint32 *minor_status, gss_ctx_id_t context_handle,
                       krb5_flags *ticket_flags)
{
    struct bt_krb5_ctx *k;
    struct bt_ctx *ctx;
    OM_uint32 major;

    if (minor_status != NULL)
        *minor_status = 0;
    if (ticket_flags == NULL)
        return bt_fail(minor_status, GSS_S_CALL_INACCESSIBLE_WRITE, 0);
    k = krb5_ctx_enter(minor_status, context_handle, &ctx, &major);
    if (k == NULL)
        return major;
    *ticket_flags = k->ticket_flags;
    bt_ctx_leave(ctx);
    return GSS_S_COMPLETE;
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

static krb5_error_code
lucid_key(krb5_key key, gss_krb5_lucid_key_t *out)
{
    krb5_keyblock *kb = NULL;
    krb5_error_code ret = krb5_k_key_keyblock(NULL, key, &kb);

    if (ret != 0)
        return ret;
    out->data = malloc(kb->length);
    if (out->data == NULL) {
        krb5_free_keyblock(NULL, kb);
        return ENOMEM;
    }
    memcpy(out->data, kb->contents, kb->length);
    out->type = (OM_uint32)kb->enctype;
    out->length = kb->length;
    krb5_free_keyblock(NULL, kb);
    return 0;
}

static void
free_lucid(gss_krb5_lucid_context_v1_t *l)
{
    if (l == NULL)
        return;
    bt_free_secret(l->cfx_kd.ctx_key.data, l->cfx_kd.ctx_key.length);
    bt_free_secret(l->cfx_kd.acceptor_subkey.data,
                   l->cfx_kd.acceptor_subkey.length);
    bt_wipe(l, sizeof(*l));
    free(l);
}

/* Version 1 lucid context, RFC 4121 (protocol 1) keys, as NFS's gssd and
 * gss-proxy read them. */
static krb5_error_code
make_lucid(const struct bt_krb5_ctx *k, gss_krb5_lucid_context_v1_t **out)
{
    gss_krb5_lucid_context_v1_t *l = calloc(1, sizeof(*l));
    krb5_error_code ret;

    if (l == NULL)
        return ENOMEM;
    l->version = 1;
    l->initiate = k->initiator;
    l->endtime = (OM_uint32)k->endtime;
    l->send_seq = k->send_seq;
    l->recv_seq = k->recv.next;
    l->protocol = 1;
    l->cfx_kd.have_acceptor_subkey = k->acceptor_subkey;
    ret = lucid_key(k->init_subkey != NULL ? k->init_subkey : k->key,
                    &l->cfx_kd.ctx_key);
    if (ret == 0 && k->acceptor_subkey)
        ret = lucid_key(k->key, &l->cfx_kd.acceptor_subkey);
    if (ret != 0) {
        free_lucid(l);
        return ret;
    }
    *out = l;
    return 0;
}

BT_EXPORT OM_uint32
gss_krb5_export_lucid_sec_context(OM_uint32 *minor_status,
                                  gss_ctx_id_t *context_handle,
                                  OM_uint32 version, void **kctx)
{
    gss_krb5_lucid_context_v1_t *l = NULL;
    struct bt_krb5_ctx *k;
    struct bt_ctx *ctx;
    krb5_error_code ret;
    OM_uint32 major, tmp;

    if (minor_status != NULL)
        *minor_status = 0;
    if (kctx == NULL || context_handle == NULL)
        return bt_fail(minor_status, GSS_S_CALL_INACCESSIBLE_WRITE, 0);
    *kctx = NULL;
    if (version != 1)
        return bt_fail(minor_status, GSS_S_FAILURE, BT_E_NOT_IMPLEMENTED);
    k = krb5_ctx_enter(minor_status, *context_handle, &ctx, &major);
    if (k == NULL)
        return major;
    ret = k->state == BT_K5_OPEN ? make_lucid(k, &l) : KRB5_BAD_MSIZE;
    bt_ctx_leave(ctx);
    if (ret != 0)
        return bt_krb5_gss_error(minor_status, ret);
    /* As in MIT: the keys now belong to the caller (often the kernel);
     * the context is deleted so they are not used twice. */
    (void)gss_delete_sec_context(&tmp, context_handle, GSS_C_NO_BUFFER);
    *kctx = l;
    return GSS_S_COMPLETE;
}

BT_EXPORT OM_uint32
gss_krb5_free_lucid_sec_context(OM_uint32 *minor_status, void *kctx)
{
    if (minor_status != NULL)
        *minor_status = 0;
    if (kctx == NULL)
        return bt_fail(minor_status, GSS_S_CALL_INACCESSIBLE_READ, 0);
    if (((gss_krb5_lucid_context_version_t *)kctx)->version != 1)
        return bt_fail(minor_status, GSS_S_FAILURE, BT_E_NOT_IMPLEMENTED);
    free_lucid(kctx);
    return GSS_S_COMPLETE;
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
