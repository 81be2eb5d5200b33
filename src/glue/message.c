/*
 * message.c - per-message calls: gss_get_mic, gss_verify_mic, gss_wrap,
 * gss_unwrap, gss_wrap_size_limit and their GSS-API version 1 names.
 */
#include "glue/glue.h"

BT_EXPORT OM_uint32
gss_get_mic(OM_uint32 *minor_status, gss_ctx_id_t context_handle,
            gss_qop_t qop_req, gss_buffer_t message_buffer,
            gss_buffer_t message_token)
{
    struct bt_ctx *ctx;
    OM_uint32 major;

    if (minor_status != NULL)
        *minor_status = 0;
    bt_buf_clear(message_token);
    if (message_token == GSS_C_NO_BUFFER)
        return bt_fail(minor_status, GSS_S_CALL_INACCESSIBLE_WRITE, 0);
    if (message_buffer == GSS_C_NO_BUFFER || !bt_buf_valid(message_buffer))
        return bt_fail(minor_status, GSS_S_CALL_INACCESSIBLE_READ,
                       BT_E_BAD_BUFFER);
    ctx = bt_ctx_enter(minor_status, context_handle, &major);
    if (ctx == NULL)
        return major;
    if (ctx->mech->get_mic == NULL)
        major = bt_fail(minor_status, GSS_S_UNAVAILABLE, BT_E_NOT_IMPLEMENTED);
    else
        major = ctx->mech->get_mic(minor_status, ctx->mctx, qop_req,
                                   message_buffer, message_token);
    bt_ctx_leave(ctx);
    return major;
}

BT_EXPORT OM_uint32
gss_verify_mic(OM_uint32 *minor_status, gss_ctx_id_t context_handle,
               gss_buffer_t message_buffer, gss_buffer_t token_buffer,
               gss_qop_t *qop_state)
{
    struct bt_ctx *ctx;
    OM_uint32 major;
    gss_qop_t qop = GSS_C_QOP_DEFAULT;

    if (minor_status != NULL)
        *minor_status = 0;
    if (message_buffer == GSS_C_NO_BUFFER || !bt_buf_valid(message_buffer) ||
        token_buffer == GSS_C_NO_BUFFER || !bt_buf_valid(token_buffer))
        return bt_fail(minor_status, GSS_S_CALL_INACCESSIBLE_READ,
                       BT_E_BAD_BUFFER);
    ctx = bt_ctx_enter(minor_status, context_handle, &major);
    if (ctx == NULL)
        return major;
    if (ctx->mech->verify_mic == NULL)
        major = bt_fail(minor_status, GSS_S_UNAVAILABLE, BT_E_NOT_IMPLEMENTED);
    else
        major = ctx->mech->verify_mic(minor_status, ctx->mctx, message_buffer,
                                      token_buffer, &qop);
    if (!GSS_ERROR(major) && qop_state != NULL)
        *qop_state = qop;
    bt_ctx_leave(ctx);
    return major;
}

BT_EXPORT OM_uint32
gss_wrap(OM_uint32 *minor_status, gss_ctx_id_t context_handle,
         int conf_req_flag, gss_qop_t qop_req,
         gss_buffer_t input_message_buffer, int *conf_state,
         gss_buffer_t output_message_buffer)
{
    struct bt_ctx *ctx;
    OM_uint32 major;
    int conf = 0;

    if (minor_status != NULL)
        *minor_status = 0;
    bt_buf_clear(output_message_buffer);
    if (output_message_buffer == GSS_C_NO_BUFFER)
        return bt_fail(minor_status, GSS_S_CALL_INACCESSIBLE_WRITE, 0);
    if (input_message_buffer == GSS_C_NO_BUFFER ||
        !bt_buf_valid(input_message_buffer))
        return bt_fail(minor_status, GSS_S_CALL_INACCESSIBLE_READ,
                       BT_E_BAD_BUFFER);
    ctx = bt_ctx_enter(minor_status, context_handle, &major);
    if (ctx == NULL)
        return major;
    if (ctx->mech->wrap == NULL)
        major = bt_fail(minor_status, GSS_S_UNAVAILABLE, BT_E_NOT_IMPLEMENTED);
    else
        major = ctx->mech->wrap(minor_status, ctx->mctx, conf_req_flag,
                                qop_req, input_message_buffer, &conf,
                                output_message_buffer);
    if (major == GSS_S_COMPLETE && conf_state != NULL)
        *conf_state = conf;
    bt_ctx_leave(ctx);
    return major;
}

BT_EXPORT OM_uint32
gss_unwrap(OM_uint32 *minor_status, gss_ctx_id_t context_handle,
           gss_buffer_t input_message_buffer,
           gss_buffer_t output_message_buffer, int *conf_state,
           gss_qop_t *qop_state)
{
    struct bt_ctx *ctx;
    OM_uint32 major;
    gss_qop_t qop = GSS_C_QOP_DEFAULT;
    int conf = 0;

    if (minor_status != NULL)
        *minor_status = 0;
    bt_buf_clear(output_message_buffer);
    if (output_message_buffer == GSS_C_NO_BUFFER)
        return bt_fail(minor_status, GSS_S_CALL_INACCESSIBLE_WRITE, 0);
    if (input_message_buffer == GSS_C_NO_BUFFER ||
        !bt_buf_valid(input_message_buffer))
        return bt_fail(minor_status, GSS_S_CALL_INACCESSIBLE_READ,
                       BT_E_BAD_BUFFER);
    ctx = bt_ctx_enter(minor_status, context_handle, &major);
    if (ctx == NULL)
        return major;
    if (ctx->mech->unwrap == NULL)
        major = bt_fail(minor_status, GSS_S_UNAVAILABLE, BT_E_NOT_IMPLEMENTED);
    else
        major = ctx->mech->unwrap(minor_status, ctx->mctx,
                                  input_message_buffer, output_message_buffer,
                                  &conf, &qop);
    if (!GSS_ERROR(major)) {
        if (conf_state != NULL)
            *conf_state = conf;
        if (qop_state != NULL)
            *qop_state = qop;
    }
    bt_ctx_leave(ctx);
    return major;
}

BT_EXPORT OM_uint32
gss_wrap_size_limit(OM_uint32 *minor_status, gss_ctx_id_t context_handle,
                    int conf_req_flag, gss_qop_t qop_req,
                    OM_uint32 req_output_size, OM_uint32 *max_input_size)
{
    struct bt_ctx *ctx;
    OM_uint32 major, max = 0;

    if (minor_status != NULL)
        *minor_status = 0;
    if (max_input_size == NULL)
        return bt_fail(minor_status, GSS_S_CALL_INACCESSIBLE_WRITE, 0);
    *max_input_size = 0;
    ctx = bt_ctx_enter(minor_status, context_handle, &major);
    if (ctx == NULL)
        return major;
    if (ctx->mech->wrap_size_limit == NULL)
        major = bt_fail(minor_status, GSS_S_UNAVAILABLE, BT_E_NOT_IMPLEMENTED);
    else
        major = ctx->mech->wrap_size_limit(minor_status, ctx->mctx,
                                           conf_req_flag, qop_req,
                                           req_output_size, &max);
    if (major == GSS_S_COMPLETE)
        *max_input_size = max;
    bt_ctx_leave(ctx);
    return major;
}

/* ---- GSS-API version 1 names (RFC 2744 section 5) ---- */

BT_EXPORT OM_uint32
gss_sign(OM_uint32 *minor_status, gss_ctx_id_t context_handle, int qop_req,
         gss_buffer_t message_buffer, gss_buffer_t message_token)
{
    return gss_get_mic(minor_status, context_handle, (gss_qop_t)qop_req,
                       message_buffer, message_token);
}

BT_EXPORT OM_uint32
gss_verify(OM_uint32 *minor_status, gss_ctx_id_t context_handle,
           gss_buffer_t message_buffer, gss_buffer_t token_buffer,
           int *qop_state)
{
    gss_qop_t qop = GSS_C_QOP_DEFAULT;
    OM_uint32 major = gss_verify_mic(minor_status, context_handle,
                                     message_buffer, token_buffer, &qop);

    if (!GSS_ERROR(major) && qop_state != NULL)
        *qop_state = (int)qop;
    return major;
}

BT_EXPORT OM_uint32
gss_seal(OM_uint32 *minor_status, gss_ctx_id_t context_handle,
         int conf_req_flag, int qop_req, gss_buffer_t input_message_buffer,
         int *conf_state, gss_buffer_t output_message_buffer)
{
    return gss_wrap(minor_status, context_handle, conf_req_flag,
                    (gss_qop_t)qop_req, input_message_buffer, conf_state,
                    output_message_buffer);
}

BT_EXPORT OM_uint32
gss_unseal(OM_uint32 *minor_status, gss_ctx_id_t context_handle,
           gss_buffer_t input_message_buffer,
           gss_buffer_t output_message_buffer, int *conf_state,
           int *qop_state)
{
    gss_qop_t qop = GSS_C_QOP_DEFAULT;
    OM_uint32 major = gss_unwrap(minor_status, context_handle,
                                 input_message_buffer, output_message_buffer,
                                 conf_state, &qop);

    if (!GSS_ERROR(major) && qop_state != NULL)
        *qop_state = (int)qop;
    return major;
}
