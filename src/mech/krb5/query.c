/*
 * query.c - questions about a Kerberos context: lifetime, names, flags.
 */
#include "mech/krb5/ctx.h"

#include <errno.h>
#include <stdlib.h>

#include "glue/glue.h"

OM_uint32
bt_krb5_context_time(OM_uint32 *minor, void *mctx, OM_uint32 *t)
{
    struct bt_krb5_ctx *ctx = mctx;
    krb5_error_code err = 0;
    krb5_context k = bt_krb5_thread_kctx(&err);

    if (k == NULL)
        return bt_krb5_gss_error(minor, err);
    *t = bt_krb5_time_left(k, ctx->endtime);
    *minor = 0;
    return *t == 0 ? GSS_S_CONTEXT_EXPIRED : GSS_S_COMPLETE;
}

static OM_uint32
copy_name(OM_uint32 *minor, krb5_context k, krb5_const_principal p,
          void **out)
{
    struct bt_krb5_name *n;

    if (out == NULL || p == NULL)
        return GSS_S_COMPLETE;
    n = malloc(sizeof(*n));
    if (n == NULL || krb5_copy_principal(k, p, &n->princ) != 0) {
        free(n);
        return bt_fail(minor, GSS_S_FAILURE, ENOMEM);
    }
    *out = n;
    return GSS_S_COMPLETE;
}

OM_uint32
bt_krb5_inquire_context(OM_uint32 *minor, void *mctx, void **src, void **targ,
                        OM_uint32 *lifetime, OM_uint32 *flags, int *local,
                        int *open)
{
    struct bt_krb5_ctx *ctx = mctx;
    krb5_error_code err = 0;
    krb5_context k = bt_krb5_thread_kctx(&err);
    OM_uint32 major;

    if (k == NULL)
        return bt_krb5_gss_error(minor, err);
    *minor = 0;
    krb5_const_principal ip = NULL, ap = NULL;
    krb5_error_code err2 = 0;

    if (src != NULL && (ip = bt_krb5_ctx_name(k, ctx, true, &err2)) == NULL)
        return bt_krb5_gss_error(minor, err2);
    if (targ != NULL && (ap = bt_krb5_ctx_name(k, ctx, false, &err2)) == NULL)
        return bt_krb5_gss_error(minor, err2);
    major = copy_name(minor, k, ip, src);
    if (major == GSS_S_COMPLETE)
        major = copy_name(minor, k, ap, targ);
    if (major != GSS_S_COMPLETE) {
        if (src != NULL && *src != NULL)
            bt_krb5_release_name(*src);
        return major;
    }
    *lifetime = bt_krb5_time_left(k, ctx->endtime);
    *flags = ctx->flags |
             (ctx->state == BT_K5_OPEN ? GSS_C_PROT_READY_FLAG : 0);
    *local = ctx->initiator;
    *open = ctx->state == BT_K5_OPEN;
    return GSS_S_COMPLETE;
}

/* RFC 4121 defines no context-level tokens after establishment (RFC
 * 1964's deletion token is gone), so any token here is defective. */
OM_uint32
bt_krb5_process_context_token(OM_uint32 *minor, void *mctx,
                              const gss_buffer_desc *token)
{
    (void)mctx;
    (void)token;
    return bt_fail(minor, GSS_S_DEFECTIVE_TOKEN, BT_E_TOKEN_ID);
}
