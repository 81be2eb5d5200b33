/*
 * context_ext.c - extension calls on contexts: the RFC 4401 PRF, queries
 * and options by OID.  Those no mechanism implements yet still validate
 * their context handle and output pointers, so misuse reads the same as it
 * will once the mechanism lands.
 */
#include "glue/glue.h"

#include <stdlib.h>

#include "util/mem.h"

/* GSS_S_NO_CONTEXT for a stale handle, else GSS_S_UNAVAILABLE. */
static OM_uint32
ctx_unavailable(OM_uint32 *minor, gss_ctx_id_t h)
{
    struct bt_ctx *ctx;
    OM_uint32 major;

    if (minor != NULL)
        *minor = 0;
    ctx = bt_ctx_enter(minor, h, &major);
    if (ctx == NULL)
        return major;
    bt_ctx_leave(ctx);
    return bt_fail(minor, GSS_S_UNAVAILABLE, BT_E_NOT_IMPLEMENTED);
}

BT_EXPORT OM_uint32
gss_pseudo_random(OM_uint32 *minor_status, gss_ctx_id_t context, int prf_key,
                  const gss_buffer_t prf_in, ssize_t desired_output_len,
                  gss_buffer_t prf_out)
{
    struct bt_ctx *ctx;
    gss_buffer_desc out = GSS_C_EMPTY_BUFFER;
    OM_uint32 major;

    if (minor_status != NULL)
        *minor_status = 0;
    bt_buf_clear(prf_out);
    if (prf_out == GSS_C_NO_BUFFER)
        return bt_fail(minor_status, GSS_S_CALL_INACCESSIBLE_WRITE, 0);
    if (prf_in == GSS_C_NO_BUFFER || !bt_buf_valid(prf_in))
        return bt_fail(minor_status, GSS_S_CALL_INACCESSIBLE_READ, 0);
    /* RFC 4401: only the two key selectors and a positive length. */
    if ((prf_key != GSS_C_PRF_KEY_FULL && prf_key != GSS_C_PRF_KEY_PARTIAL) ||
        desired_output_len <= 0)
        return bt_fail(minor_status, GSS_S_FAILURE, BT_E_BAD_PRF_ARGS);
    ctx = bt_ctx_enter(minor_status, context, &major);
    if (ctx == NULL)
        return major;
    if (ctx->mech->pseudo_random == NULL)
        major = bt_fail(minor_status, GSS_S_UNAVAILABLE, BT_E_NOT_IMPLEMENTED);
    else
        major = ctx->mech->pseudo_random(minor_status, ctx->mctx, prf_key,
                                         prf_in, desired_output_len, &out);
    bt_ctx_leave(ctx);
    if (major == GSS_S_COMPLETE)
        *prf_out = out;
    return major;
}

BT_EXPORT OM_uint32
gss_complete_auth_token(OM_uint32 *minor_status,
                        const gss_ctx_id_t context_handle,
                        gss_buffer_t input_message_buffer)
{
    (void)input_message_buffer;
    return ctx_unavailable(minor_status, context_handle);
}

BT_EXPORT OM_uint32
gss_inquire_sec_context_by_oid(OM_uint32 *minor_status,
                               const gss_ctx_id_t context_handle,
                               const gss_OID desired_object,
                               gss_buffer_set_t *data_set)
{
    if (minor_status != NULL)
        *minor_status = 0;
    if (data_set == NULL)
        return bt_fail(minor_status, GSS_S_CALL_INACCESSIBLE_WRITE, 0);
    *data_set = GSS_C_NO_BUFFER_SET;
    struct bt_ctx *ctx;
    gss_buffer_set_t set = GSS_C_NO_BUFFER_SET;
    OM_uint32 major;

    if (desired_object == GSS_C_NO_OID)
        return bt_fail(minor_status, GSS_S_CALL_INACCESSIBLE_READ, 0);
    ctx = bt_ctx_enter(minor_status, context_handle, &major);
    if (ctx == NULL)
        return major;
    if (ctx->mech->inquire_sec_context_by_oid == NULL)
        major = bt_fail(minor_status, GSS_S_UNAVAILABLE, BT_E_NOT_IMPLEMENTED);
    else
        major = ctx->mech->inquire_sec_context_by_oid(minor_status, ctx->mctx,
                                                      desired_object, &set);
    bt_ctx_leave(ctx);
    if (major == GSS_S_COMPLETE)
        *data_set = set;
    return major;
}

BT_EXPORT OM_uint32
gss_set_sec_context_option(OM_uint32 *minor_status,
                           gss_ctx_id_t *context_handle,
                           const gss_OID desired_object,
                           const gss_buffer_t value)
{
    (void)value;
    if (context_handle == NULL)
        return bt_fail(minor_status, GSS_S_CALL_INACCESSIBLE_WRITE, 0);
    if (desired_object == GSS_C_NO_OID)
        return bt_fail(minor_status, GSS_S_CALL_INACCESSIBLE_READ, 0);
    if (*context_handle == GSS_C_NO_CONTEXT)
        return bt_fail(minor_status, GSS_S_UNAVAILABLE, BT_E_NOT_IMPLEMENTED);
    return ctx_unavailable(minor_status, *context_handle);
}

BT_EXPORT OM_uint32
gssspi_mech_invoke(OM_uint32 *minor_status, const gss_OID desired_mech,
                   const gss_OID desired_object, gss_buffer_t value)
{
    (void)value;
    if (desired_object == GSS_C_NO_OID)
        return bt_fail(minor_status, GSS_S_CALL_INACCESSIBLE_READ, 0);
    if (bt_mech_find(desired_mech) == NULL)
        return bt_fail(minor_status, GSS_S_BAD_MECH, BT_E_UNSUPPORTED_MECH);
    return bt_fail(minor_status, GSS_S_UNAVAILABLE, BT_E_NOT_IMPLEMENTED);
}
