/*
 * context_init.c - gss_init_sec_context: dispatch to the mechanism chosen
 * on the first call, with the context held under its lock afterwards.
 */
#include "glue/glue.h"

struct init_out {
    gss_OID *actual_mech;
    gss_buffer_t token;
    OM_uint32 *ret_flags, *time_rec;
};

struct init_in {
    struct bt_cred *cred;
    struct bt_name *target;
    OM_uint32 req_flags, time_req;
    gss_channel_bindings_t bindings;
    gss_buffer_t input;
};

/* One step of the mechanism for ctx, which the caller holds locked. */
static OM_uint32
step(OM_uint32 *minor, struct bt_ctx *ctx, const struct init_in *in,
     const struct init_out *out)
{
    const struct bt_mech *mech = ctx->mech;
    gss_buffer_desc empty = GSS_C_EMPTY_BUFFER;
    void *target = NULL, *mcred = NULL, *tmp = NULL;
    OM_uint32 major, flags = 0, t = 0;

    if (mech->init_sec_context == NULL)
        return bt_fail(minor, GSS_S_UNAVAILABLE, BT_E_NOT_IMPLEMENTED);
    major = bt_cred_for_call(minor, in->cred, mech, &mcred, &tmp);
    if (major == GSS_S_COMPLETE)
        major = bt_name_to_mech(minor, in->target, mech, &target);
    if (major != GSS_S_COMPLETE) {
        if (tmp != NULL)
            mech->release_cred(tmp);
        return major;
    }
    major = mech->init_sec_context(minor, mcred, &ctx->mctx, target,
                                   in->req_flags,
                                   in->time_req, in->bindings,
                                   in->input != GSS_C_NO_BUFFER ? in->input
                                                                : &empty,
                                   out->token, &flags, &t);
    mech->release_name(target);
    if (tmp != NULL)
        mech->release_cred(tmp);
    if (GSS_ERROR(major))
        return major;
    if (out->actual_mech != NULL) {
        void *inner;
        const struct bt_mech *owner = bt_ctx_concrete(mech, ctx->mctx, &inner);

        /* A negotiation reports no mechanism until one is chosen, as
         * MIT's SPNEGO does (GSS_C_NO_OID), then the chosen one. */
        *out->actual_mech = owner != NULL ? (gss_OID)owner->oid
                                          : GSS_C_NO_OID;
    }
    if (out->ret_flags != NULL)
        *out->ret_flags = flags;
    if (out->time_rec != NULL)
        *out->time_rec = t;
    return major;
}

/* First call: a new context for the requested (or default) mechanism,
 * published only if the mechanism accepted the step. */
static OM_uint32
first_step(OM_uint32 *minor, gss_OID mech_type, const struct init_in *in,
           const struct init_out *out, gss_ctx_id_t *handle)
{
    const struct bt_mech *mech;
    struct bt_ctx *ctx = NULL;
    OM_uint32 major, pub;

    mech = mech_type == GSS_C_NO_OID ? bt_mech_default()
                                     : bt_mech_find(mech_type);
    if (mech == NULL)
        return bt_fail(minor, GSS_S_BAD_MECH, BT_E_UNSUPPORTED_MECH);
    major = bt_ctx_alloc(minor, &ctx);
    if (major != GSS_S_COMPLETE)
        return major;
    ctx->mech = mech;
    major = step(minor, ctx, in, out);
    if (GSS_ERROR(major)) {
        bt_ctx_put(ctx);
        return major;
    }
    pub = bt_ctx_publish(minor, ctx, handle);
    return pub == GSS_S_COMPLETE ? major : pub;
}

static OM_uint32
next_step(OM_uint32 *minor, gss_OID mech_type, const struct init_in *in,
          const struct init_out *out, gss_ctx_id_t handle)
{
    struct bt_ctx *ctx = bt_ctx_get(handle);
    OM_uint32 major;

    if (ctx == NULL)
        return bt_fail(minor, GSS_S_NO_CONTEXT, BT_E_BAD_HANDLE);
    if (mech_type != GSS_C_NO_OID && bt_mech_find(mech_type) != ctx->mech) {
        bt_ctx_put(ctx);
        return bt_fail(minor, GSS_S_BAD_MECH, BT_E_UNSUPPORTED_MECH);
    }
    pthread_mutex_lock(&ctx->lock);
    major = step(minor, ctx, in, out);
    pthread_mutex_unlock(&ctx->lock);
    bt_ctx_put(ctx);
    return major;
}

static void
clear_outputs(const struct init_out *out)
{
    if (out->actual_mech != NULL)
        *out->actual_mech = GSS_C_NO_OID;
    bt_buf_clear(out->token);
    if (out->ret_flags != NULL)
        *out->ret_flags = 0;
    if (out->time_rec != NULL)
        *out->time_rec = 0;
}

BT_EXPORT OM_uint32
gss_init_sec_context(OM_uint32 *minor_status,
                     gss_cred_id_t initiator_cred_handle,
                     gss_ctx_id_t *context_handle, gss_name_t target_name,
                     gss_OID mech_type, OM_uint32 req_flags,
                     OM_uint32 time_req, gss_channel_bindings_t input_chan_bindings,
                     gss_buffer_t input_token, gss_OID *actual_mech_type,
                     gss_buffer_t output_token, OM_uint32 *ret_flags,
                     OM_uint32 *time_rec)
{
    struct init_out out = { actual_mech_type, output_token, ret_flags,
                            time_rec };
    struct init_in in = { NULL, NULL, req_flags, time_req,
                          input_chan_bindings, input_token };
    OM_uint32 major;

    if (minor_status != NULL)
        *minor_status = 0;
    clear_outputs(&out);
    if (context_handle == NULL || output_token == GSS_C_NO_BUFFER)
        return bt_fail(minor_status, GSS_S_CALL_INACCESSIBLE_WRITE, 0);
    if (input_token != GSS_C_NO_BUFFER && !bt_buf_valid(input_token))
        return bt_fail(minor_status, GSS_S_CALL_INACCESSIBLE_READ,
                       BT_E_BAD_BUFFER);
    if ((in.target = bt_name_get(target_name)) == NULL)
        return bt_fail(minor_status, GSS_S_BAD_NAME, BT_E_BAD_HANDLE);
    if (initiator_cred_handle != GSS_C_NO_CREDENTIAL &&
        (in.cred = bt_cred_get(initiator_cred_handle)) == NULL) {
        major = bt_fail(minor_status, GSS_S_NO_CRED, BT_E_BAD_HANDLE);
        goto cleanup;
    }
    if (*context_handle == GSS_C_NO_CONTEXT)
        major = first_step(minor_status, mech_type, &in, &out, context_handle);
    else
        major = next_step(minor_status, mech_type, &in, &out, *context_handle);

cleanup:
    bt_cred_put(in.cred);
    bt_name_put(in.target);
    return major;
}
