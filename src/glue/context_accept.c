/*
 * context_accept.c - gss_accept_sec_context: the mechanism is chosen by the
 * OID in the initiator's first token (RFC 2743 3.1 framing).
 */
#include "glue/glue.h"

#include "util/der.h"
#include "util/reader.h"

struct accept_out {
    gss_name_t *src_name;
    gss_OID *mech_type;
    gss_buffer_t token;
    OM_uint32 *ret_flags, *time_rec;
    gss_cred_id_t *deleg;
};

/* The mechanism named by the first token's header. */
static OM_uint32
mech_of_token(OM_uint32 *minor, const gss_buffer_desc *tok,
              const struct bt_mech **out)
{
    struct bt_reader r, oid_r, body;
    gss_OID_desc oid;
    size_t n;

    bt_rd_init(&r, tok->value, tok->length);
    bt_der_rd_token(&r, &oid_r, &body);
    if (!bt_rd_ok(&r))
        return bt_fail(minor, GSS_S_DEFECTIVE_TOKEN, BT_E_TOKEN_FRAMING);
    oid.elements = (void *)bt_rd_rest(&oid_r, &n);
    oid.length = (OM_uint32)n;
    *out = bt_mech_find(&oid);
    if (*out == NULL)
        return bt_fail(minor, GSS_S_BAD_MECH, BT_E_UNSUPPORTED_MECH);
    return GSS_S_COMPLETE;
}

/* Turns the mechanism's source name and delegated credential into
 * handles.  Consumes src and deleg. */
static OM_uint32
publish_results(OM_uint32 *minor, const struct bt_mech *mech, void *src,
                void *deleg, const struct accept_out *out)
{
    struct bt_cred *cred = NULL;
    struct bt_cred_el *el = NULL;
    OM_uint32 major = GSS_S_COMPLETE;

    if (src != NULL && out->src_name != NULL)
        major = bt_name_from_mech(minor, mech, src, out->src_name);
    else if (src != NULL)
        mech->release_name(src);
    if (deleg == NULL)
        return major;
    if (major != GSS_S_COMPLETE || out->deleg == NULL) {
        mech->release_cred(deleg);
        return major;
    }
    major = bt_cred_el_new(minor, mech, deleg, &el);
    if (major == GSS_S_COMPLETE)
        major = bt_cred_alloc(minor, &cred);
    if (major != GSS_S_COMPLETE) {
        bt_cred_el_put(el);
        return major;
    }
    cred->el[cred->n++] = el;
    return bt_cred_publish(minor, cred, out->deleg);
}

static OM_uint32
step(OM_uint32 *minor, struct bt_ctx *ctx, struct bt_cred *cred,
     const gss_buffer_desc *in, gss_channel_bindings_t cb,
     const struct accept_out *out)
{
    const struct bt_mech *mech = ctx->mech, *owner;
    void *src = NULL, *deleg = NULL, *inner, *mcred = NULL, *tmp = NULL;
    OM_uint32 major, flags = 0, t = 0, pub;

    if (mech->accept_sec_context == NULL)
        return bt_fail(minor, GSS_S_UNAVAILABLE, BT_E_NOT_IMPLEMENTED);
    major = bt_cred_for_call(minor, cred, mech, &mcred, &tmp);
    if (major != GSS_S_COMPLETE)
        return major;
    major = mech->accept_sec_context(minor, mcred, &ctx->mctx, in, cb, &src,
                                     out->token, &flags, &t, &deleg);
    if (tmp != NULL)
        mech->release_cred(tmp);
    if (GSS_ERROR(major))
        return major;
    /* A negotiating mechanism hands out the chosen mechanism's objects. */
    owner = bt_ctx_concrete(mech, ctx->mctx, &inner);
    if (owner == NULL)
        owner = mech;
    pub = publish_results(minor, owner, src, deleg, out);
    if (pub != GSS_S_COMPLETE)
        return pub;
    if (out->mech_type != NULL)
        *out->mech_type = (gss_OID)owner->oid;
    if (out->ret_flags != NULL)
        *out->ret_flags = flags;
    if (out->time_rec != NULL)
        *out->time_rec = t;
    return major;
}

static OM_uint32
first_step(OM_uint32 *minor, struct bt_cred *cred, const gss_buffer_desc *in,
           gss_channel_bindings_t cb, const struct accept_out *out,
           gss_ctx_id_t *handle)
{
    const struct bt_mech *mech = NULL;
    struct bt_ctx *ctx = NULL;
    OM_uint32 major, pub;

    major = mech_of_token(minor, in, &mech);
    if (major == GSS_S_COMPLETE)
        major = bt_ctx_alloc(minor, &ctx);
    if (major != GSS_S_COMPLETE)
        return major;
    ctx->mech = mech;
    major = step(minor, ctx, cred, in, cb, out);
    if (GSS_ERROR(major)) {
        bt_ctx_put(ctx);
        return major;
    }
    pub = bt_ctx_publish(minor, ctx, handle);
    return pub == GSS_S_COMPLETE ? major : pub;
}

static void
clear_outputs(const struct accept_out *out)
{
    if (out->src_name != NULL)
        *out->src_name = GSS_C_NO_NAME;
    if (out->mech_type != NULL)
        *out->mech_type = GSS_C_NO_OID;
    bt_buf_clear(out->token);
    if (out->ret_flags != NULL)
        *out->ret_flags = 0;
    if (out->time_rec != NULL)
        *out->time_rec = 0;
    if (out->deleg != NULL)
        *out->deleg = GSS_C_NO_CREDENTIAL;
}

BT_EXPORT OM_uint32
gss_accept_sec_context(OM_uint32 *minor_status, gss_ctx_id_t *context_handle,
                       gss_cred_id_t acceptor_cred_handle,
                       gss_buffer_t input_token_buffer,
                       gss_channel_bindings_t input_chan_bindings,
                       gss_name_t *src_name, gss_OID *mech_type,
                       gss_buffer_t output_token, OM_uint32 *ret_flags,
                       OM_uint32 *time_rec,
                       gss_cred_id_t *delegated_cred_handle)
{
    struct accept_out out = { src_name, mech_type, output_token, ret_flags,
                              time_rec, delegated_cred_handle };
    struct bt_cred *cred = NULL;
    struct bt_ctx *ctx = NULL;
    OM_uint32 major;

    if (minor_status != NULL)
        *minor_status = 0;
    clear_outputs(&out);
    if (context_handle == NULL || output_token == GSS_C_NO_BUFFER)
        return bt_fail(minor_status, GSS_S_CALL_INACCESSIBLE_WRITE, 0);
    if (input_token_buffer == GSS_C_NO_BUFFER ||
        !bt_buf_valid(input_token_buffer))
        return bt_fail(minor_status, GSS_S_CALL_INACCESSIBLE_READ,
                       BT_E_BAD_BUFFER);
    if (input_token_buffer->length == 0)
        return bt_fail(minor_status, GSS_S_DEFECTIVE_TOKEN, BT_E_TOKEN_EMPTY);
    if (acceptor_cred_handle != GSS_C_NO_CREDENTIAL &&
        (cred = bt_cred_get(acceptor_cred_handle)) == NULL)
        return bt_fail(minor_status, GSS_S_NO_CRED, BT_E_BAD_HANDLE);
    if (*context_handle == GSS_C_NO_CONTEXT) {
        major = first_step(minor_status, cred, input_token_buffer,
                           input_chan_bindings, &out, context_handle);
    } else if ((ctx = bt_ctx_get(*context_handle)) == NULL) {
        major = bt_fail(minor_status, GSS_S_NO_CONTEXT, BT_E_BAD_HANDLE);
    } else {
        pthread_mutex_lock(&ctx->lock);
        major = step(minor_status, ctx, cred, input_token_buffer,
                     input_chan_bindings, &out);
        pthread_mutex_unlock(&ctx->lock);
    }
    bt_ctx_put(ctx);
    bt_cred_put(cred);
    return major;
}
