/*
 * transfer.c - gss_export_sec_context and gss_import_sec_context.
 *
 * The glue's half of the spec: argument and handle checks, and the rule
 * that a failed export leaves the context usable.  The sealed envelope
 * (src/transfer/) and the mechanisms' serializers arrive with the transfer
 * and Kerberos issues; until then export reports GSS_S_UNAVAILABLE.
 */
#include "glue/glue.h"

BT_EXPORT OM_uint32
gss_export_sec_context(OM_uint32 *minor_status, gss_ctx_id_t *context_handle,
                       gss_buffer_t interprocess_token)
{
    struct bt_ctx *ctx;
    OM_uint32 major;

    if (minor_status != NULL)
        *minor_status = 0;
    bt_buf_clear(interprocess_token);
    if (context_handle == NULL || interprocess_token == GSS_C_NO_BUFFER)
        return bt_fail(minor_status, GSS_S_CALL_INACCESSIBLE_WRITE, 0);
    ctx = bt_ctx_enter(minor_status, *context_handle, &major);
    if (ctx == NULL)
        return major;
    /* "In the event of an error that makes it impossible to complete the
     * export ... the implementation must not return an interprocess token,
     * and should strive to leave the security context ... untouched." */
    major = bt_fail(minor_status, GSS_S_UNAVAILABLE, BT_E_NOT_IMPLEMENTED);
    bt_ctx_leave(ctx);
    return major;
}

BT_EXPORT OM_uint32
gss_import_sec_context(OM_uint32 *minor_status,
                       gss_buffer_t interprocess_token,
                       gss_ctx_id_t *context_handle)
{
    if (minor_status != NULL)
        *minor_status = 0;
    if (context_handle == NULL)
        return bt_fail(minor_status, GSS_S_CALL_INACCESSIBLE_WRITE, 0);
    *context_handle = GSS_C_NO_CONTEXT;
    if (interprocess_token == GSS_C_NO_BUFFER ||
        !bt_buf_valid(interprocess_token))
        return bt_fail(minor_status, GSS_S_CALL_INACCESSIBLE_READ,
                       BT_E_BAD_BUFFER);
    if (interprocess_token->length == 0)
        return bt_fail(minor_status, GSS_S_DEFECTIVE_TOKEN, BT_E_TOKEN_EMPTY);
    return bt_fail(minor_status, GSS_S_UNAVAILABLE, BT_E_NOT_IMPLEMENTED);
}
