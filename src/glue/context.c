/*
 * context.c - the life and questions of an established context:
 * gss_delete_sec_context, gss_process_context_token, gss_context_time,
 * gss_inquire_context.
 */
#include "glue/glue.h"

BT_EXPORT OM_uint32
gss_delete_sec_context(OM_uint32 *minor_status, gss_ctx_id_t *context_handle,
                       gss_buffer_t output_token)
{
    struct bt_obj *obj;

    if (minor_status != NULL)
        *minor_status = 0;
    /* RFC 2744 5.9: no token is produced; output_token is kept for
     * compatibility and always comes back empty. */
    bt_buf_clear(output_token);
    if (context_handle == NULL)
        return bt_fail(minor_status, GSS_S_CALL_INACCESSIBLE_WRITE, 0);
    if (*context_handle == GSS_C_NO_CONTEXT)
        return bt_fail(minor_status, GSS_S_NO_CONTEXT, BT_E_BAD_HANDLE);
    obj = bt_handle_retire((uintptr_t)*context_handle, BT_KIND_CTX);
    if (obj == NULL)
        return bt_fail(minor_status, GSS_S_NO_CONTEXT, BT_E_BAD_HANDLE);
    /* Callers already waiting for the context see it gone; one holding it
     * finishes first.  The state is freed (keys wiped by the mechanism)
     * when the last pin goes. */
    pthread_mutex_lock(&((struct bt_ctx *)obj)->lock);
    ((struct bt_ctx *)obj)->gone = true;
    pthread_mutex_unlock(&((struct bt_ctx *)obj)->lock);
    bt_obj_put(obj);
    *context_handle = GSS_C_NO_CONTEXT;
    return GSS_S_COMPLETE;
}

struct bt_ctx *
bt_ctx_enter(OM_uint32 *minor, gss_ctx_id_t h, OM_uint32 *major)
{
    struct bt_ctx *ctx = bt_ctx_get(h);

    if (ctx == NULL) {
        *major = bt_fail(minor, GSS_S_NO_CONTEXT, BT_E_BAD_HANDLE);
        return NULL;
    }
    pthread_mutex_lock(&ctx->lock);
    /* A context whose first step failed is never published, so mctx is
     * set here; still, guard against a mechanism that left it NULL. */
    if (ctx->mctx == NULL || ctx->gone) {
        pthread_mutex_unlock(&ctx->lock);
        bt_ctx_put(ctx);
        *major = bt_fail(minor, GSS_S_NO_CONTEXT, BT_E_CTX_NOT_ESTABLISHED);
        return NULL;
    }
    *major = GSS_S_COMPLETE;
    return ctx;
}

void
bt_ctx_leave(struct bt_ctx *ctx)
{
    pthread_mutex_unlock(&ctx->lock);
    bt_ctx_put(ctx);
}

const struct bt_mech *
bt_ctx_concrete(const struct bt_mech *mech, void *mctx, void **mctx_out)
{
    const struct bt_mech *chosen = NULL;

    if (mech->negotiated == NULL) {
        *mctx_out = mctx;
        return mech;
    }
    *mctx_out = mctx != NULL ? mech->negotiated(mctx, &chosen) : NULL;
    return chosen;
}

BT_EXPORT OM_uint32
gss_process_context_token(OM_uint32 *minor_status, gss_ctx_id_t context_handle,
                          gss_buffer_t token_buffer)
{
    struct bt_ctx *ctx;
    OM_uint32 major;

    if (minor_status != NULL)
        *minor_status = 0;
    if (token_buffer == GSS_C_NO_BUFFER || !bt_buf_valid(token_buffer))
        return bt_fail(minor_status, GSS_S_CALL_INACCESSIBLE_READ,
                       BT_E_BAD_BUFFER);
    ctx = bt_ctx_enter(minor_status, context_handle, &major);
    if (ctx == NULL)
        return major;
    if (ctx->mech->process_context_token == NULL)
        major = bt_fail(minor_status, GSS_S_UNAVAILABLE, BT_E_NOT_IMPLEMENTED);
    else
        major = ctx->mech->process_context_token(minor_status, ctx->mctx,
                                                 token_buffer);
    bt_ctx_leave(ctx);
    return major;
}

BT_EXPORT OM_uint32
gss_context_time(OM_uint32 *minor_status, gss_ctx_id_t context_handle,
                 OM_uint32 *time_rec)
{
    struct bt_ctx *ctx;
    OM_uint32 major, t = 0;

    if (minor_status != NULL)
        *minor_status = 0;
    if (time_rec == NULL)
        return bt_fail(minor_status, GSS_S_CALL_INACCESSIBLE_WRITE, 0);
    *time_rec = 0;
    ctx = bt_ctx_enter(minor_status, context_handle, &major);
    if (ctx == NULL)
        return major;
    if (ctx->mech->context_time == NULL)
        major = bt_fail(minor_status, GSS_S_UNAVAILABLE, BT_E_NOT_IMPLEMENTED);
    else
        major = ctx->mech->context_time(minor_status, ctx->mctx, &t);
    if (!GSS_ERROR(major))
        *time_rec = t;
    bt_ctx_leave(ctx);
    return major;
}

/* Converts the mechanism's names into handles; consumes both names. */
static OM_uint32
publish_names(OM_uint32 *minor, const struct bt_mech *mech, void *src,
              void *targ, gss_name_t *src_out, gss_name_t *targ_out)
{
    OM_uint32 major = GSS_S_COMPLETE, tmp;

    if (src != NULL)
        major = bt_name_from_mech(minor, mech, src, src_out);
    if (targ != NULL && major == GSS_S_COMPLETE)
        major = bt_name_from_mech(minor, mech, targ, targ_out);
    else if (targ != NULL)
        mech->release_name(targ);
    if (major != GSS_S_COMPLETE && src_out != NULL)
        (void)gss_release_name(&tmp, src_out);
    return major;
}

BT_EXPORT OM_uint32
gss_inquire_context(OM_uint32 *minor_status, gss_ctx_id_t context_handle,
                    gss_name_t *src_name, gss_name_t *targ_name,
                    OM_uint32 *lifetime_rec, gss_OID *mech_type,
                    OM_uint32 *ctx_flags, int *locally_initiated, int *open)
{
    void *src = NULL, *targ = NULL, *inner;
    const struct bt_mech *owner;
    OM_uint32 major, life = 0, flags = 0;
    int local = 0, is_open = 0;
    struct bt_ctx *ctx;

    if (minor_status != NULL)
        *minor_status = 0;
    if (src_name != NULL)
        *src_name = GSS_C_NO_NAME;
    if (targ_name != NULL)
        *targ_name = GSS_C_NO_NAME;
    if (mech_type != NULL)
        *mech_type = GSS_C_NO_OID;
    ctx = bt_ctx_enter(minor_status, context_handle, &major);
    if (ctx == NULL)
        return major;
    if (ctx->mech->inquire_context == NULL) {
        major = bt_fail(minor_status, GSS_S_UNAVAILABLE, BT_E_NOT_IMPLEMENTED);
        goto cleanup;
    }
    major = ctx->mech->inquire_context(minor_status, ctx->mctx,
                                       src_name != NULL ? &src : NULL,
                                       targ_name != NULL ? &targ : NULL,
                                       &life, &flags, &local, &is_open);
    /* SPNEGO's names are the negotiated mechanism's, and so is the
     * mechanism reported once it is known (as MIT reports). */
    owner = bt_ctx_concrete(ctx->mech, ctx->mctx, &inner);
    if (owner == NULL)
        owner = ctx->mech;
    if (major == GSS_S_COMPLETE)
        major = publish_names(minor_status, owner, src, targ, src_name,
                              targ_name);
    if (major != GSS_S_COMPLETE)
        goto cleanup;
    if (lifetime_rec != NULL)
        *lifetime_rec = life;
    if (mech_type != NULL)
        *mech_type = (gss_OID)owner->oid;
    if (ctx_flags != NULL)
        *ctx_flags = flags;
    if (locally_initiated != NULL)
        *locally_initiated = local;
    if (open != NULL)
        *open = is_open;

cleanup:
    bt_ctx_leave(ctx);
    return major;
}
