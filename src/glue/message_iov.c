/*
 * message_iov.c - MIT's IOV and AEAD per-message calls: gss_wrap_iov,
 * gss_unwrap_iov, gss_wrap_iov_length, gss_get_mic_iov,
 * gss_get_mic_iov_length, gss_verify_mic_iov, gss_release_iov_buffer,
 * gss_wrap_aead and gss_unwrap_aead.  The AEAD calls are the IOV calls on
 * one contiguous token: HEADER | DATA | PADDING | TRAILER, which for empty
 * associated data is exactly gss_wrap's token.
 */
#include "glue/glue.h"

#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "util/mem.h"

enum iov_op { OP_WRAP, OP_WRAP_LENGTH, OP_UNWRAP, OP_MIC, OP_MIC_LENGTH,
              OP_VERIFY };

struct iov_args {
    int conf_req;
    gss_qop_t qop;
    int conf;                      /* out */
    gss_qop_t qop_state;           /* out */
};

static OM_uint32
dispatch(OM_uint32 *minor, const struct bt_ctx *ctx, enum iov_op op,
         struct iov_args *a, gss_iov_buffer_desc *iov, int n)
{
    const struct bt_mech *m = ctx->mech;
    bool unavailable =
        ((op == OP_WRAP || op == OP_WRAP_LENGTH) && m->wrap_iov == NULL) ||
        (op == OP_UNWRAP && m->unwrap_iov == NULL) ||
        ((op == OP_MIC || op == OP_MIC_LENGTH) && m->get_mic_iov == NULL) ||
        (op == OP_VERIFY && m->verify_mic_iov == NULL);

    if (unavailable)
        return bt_fail(minor, GSS_S_UNAVAILABLE, BT_E_NOT_IMPLEMENTED);
    switch (op) {
    case OP_WRAP:
    case OP_WRAP_LENGTH:
        return m->wrap_iov(minor, ctx->mctx, a->conf_req, a->qop,
                           op == OP_WRAP_LENGTH, &a->conf, iov, n);
    case OP_UNWRAP:
        return m->unwrap_iov(minor, ctx->mctx, &a->conf, &a->qop_state, iov,
                             n);
    case OP_MIC:
    case OP_MIC_LENGTH:
        return m->get_mic_iov(minor, ctx->mctx, a->qop, op == OP_MIC_LENGTH,
                              iov, n);
    case OP_VERIFY:
    default:
        return m->verify_mic_iov(minor, ctx->mctx, &a->qop_state, iov, n);
    }
}

/* Validates the array and the handle, then runs op on the mechanism. */
static OM_uint32
iov_call(OM_uint32 *minor, gss_ctx_id_t h, enum iov_op op,
         struct iov_args *a, gss_iov_buffer_desc *iov, int n)
{
    struct bt_ctx *ctx;
    OM_uint32 major;

    if (minor != NULL)
        *minor = 0;
    if (n < 0 || (iov == GSS_C_NO_IOV_BUFFER && n > 0))
        return bt_fail(minor, GSS_S_CALL_INACCESSIBLE_READ, BT_E_BAD_BUFFER);
    ctx = bt_ctx_enter(minor, h, &major);
    if (ctx == NULL)
        return major;
    major = dispatch(minor, ctx, op, a, iov, n);
    bt_ctx_leave(ctx);
    return major;
}

BT_EXPORT OM_uint32
gss_wrap_iov(OM_uint32 *minor_status, gss_ctx_id_t context_handle,
             int conf_req_flag, gss_qop_t qop_req, int *conf_state,
             gss_iov_buffer_desc *iov, int iov_count)
{
    struct iov_args a = { conf_req_flag, qop_req, 0, 0 };
    OM_uint32 major = iov_call(minor_status, context_handle, OP_WRAP, &a, iov,
                               iov_count);

    if (major == GSS_S_COMPLETE && conf_state != NULL)
        *conf_state = a.conf;
    return major;
}

BT_EXPORT OM_uint32
gss_wrap_iov_length(OM_uint32 *minor_status, gss_ctx_id_t context_handle,
                    int conf_req_flag, gss_qop_t qop_req, int *conf_state,
                    gss_iov_buffer_desc *iov, int iov_count)
{
    struct iov_args a = { conf_req_flag, qop_req, 0, 0 };
    OM_uint32 major = iov_call(minor_status, context_handle, OP_WRAP_LENGTH,
                               &a, iov, iov_count);

    if (major == GSS_S_COMPLETE && conf_state != NULL)
        *conf_state = a.conf;
    return major;
}

BT_EXPORT OM_uint32
gss_unwrap_iov(OM_uint32 *minor_status, gss_ctx_id_t context_handle,
               int *conf_state, gss_qop_t *qop_state, gss_iov_buffer_desc *iov,
               int iov_count)
{
    struct iov_args a = { 0, GSS_C_QOP_DEFAULT, 0, 0 };
    OM_uint32 major = iov_call(minor_status, context_handle, OP_UNWRAP, &a,
                               iov, iov_count);

    if (!GSS_ERROR(major) && conf_state != NULL)
        *conf_state = a.conf;
    if (!GSS_ERROR(major) && qop_state != NULL)
        *qop_state = a.qop_state;
    return major;
}

BT_EXPORT OM_uint32
gss_get_mic_iov(OM_uint32 *minor_status, gss_ctx_id_t context_handle,
                gss_qop_t qop_req, gss_iov_buffer_desc *iov, int iov_count)
{
    struct iov_args a = { 0, qop_req, 0, 0 };

    return iov_call(minor_status, context_handle, OP_MIC, &a, iov, iov_count);
}

BT_EXPORT OM_uint32
gss_get_mic_iov_length(OM_uint32 *minor_status, gss_ctx_id_t context_handle,
                       gss_qop_t qop_req, gss_iov_buffer_desc *iov,
                       int iov_count)
{
    struct iov_args a = { 0, qop_req, 0, 0 };

    return iov_call(minor_status, context_handle, OP_MIC_LENGTH, &a, iov,
                    iov_count);
}

BT_EXPORT OM_uint32
gss_verify_mic_iov(OM_uint32 *minor_status, gss_ctx_id_t context_handle,
                   gss_qop_t *qop_state, gss_iov_buffer_desc *iov,
                   int iov_count)
{
    struct iov_args a = { 0, GSS_C_QOP_DEFAULT, 0, 0 };
    OM_uint32 major = iov_call(minor_status, context_handle, OP_VERIFY, &a,
                               iov, iov_count);

    if (!GSS_ERROR(major) && qop_state != NULL)
        *qop_state = a.qop_state;
    return major;
}

BT_EXPORT OM_uint32
gss_release_iov_buffer(OM_uint32 *minor_status, gss_iov_buffer_desc *iov,
                       int iov_count)
{
    if (minor_status != NULL)
        *minor_status = 0;
    if (iov == GSS_C_NO_IOV_BUFFER)
        return GSS_S_COMPLETE;
    for (int i = 0; i < iov_count; i++)
        bt_iov_drop(&iov[i]);
    return GSS_S_COMPLETE;
}

/* HEADER | SIGN_ONLY assoc | DATA payload | PADDING | TRAILER, lengths 0. */
static void
aead_layout(gss_iov_buffer_desc iov[5], const gss_buffer_desc *assoc,
            const gss_buffer_desc *payload)
{
    static const OM_uint32 types[5] = {
        GSS_IOV_BUFFER_TYPE_HEADER, GSS_IOV_BUFFER_TYPE_SIGN_ONLY,
        GSS_IOV_BUFFER_TYPE_DATA, GSS_IOV_BUFFER_TYPE_PADDING,
        GSS_IOV_BUFFER_TYPE_TRAILER };

    memset(iov, 0, 5 * sizeof(*iov));
    for (int i = 0; i < 5; i++)
        iov[i].type = types[i];
    if (assoc != GSS_C_NO_BUFFER)
        iov[1].buffer = *assoc;
    else
        iov[1].type = GSS_IOV_BUFFER_TYPE_EMPTY;
    iov[2].buffer = *payload;
}

/* Lays the sized parts out in one buffer and wraps the payload in place. */
static OM_uint32
aead_seal(OM_uint32 *minor, gss_ctx_id_t h, struct iov_args *a,
          gss_iov_buffer_desc iov[5], const gss_buffer_desc *payload,
          gss_buffer_t out)
{
    size_t total = 0, at = 0;
    const int order[4] = { 0, 2, 3, 4 };
    uint8_t *buf;
    OM_uint32 major;

    for (int i = 0; i < 4; i++) {
        if (iov[order[i]].buffer.length > SIZE_MAX - total)
            return bt_fail(minor, GSS_S_FAILURE, BT_E_BAD_BUFFER);
        total += iov[order[i]].buffer.length;
    }
    if ((buf = malloc(total > 0 ? total : 1)) == NULL)
        return bt_fail(minor, GSS_S_FAILURE, ENOMEM);
    for (int i = 0; i < 4; i++) {
        iov[order[i]].buffer.value = buf + at;
        at += iov[order[i]].buffer.length;
    }
    if (payload->length > 0)
        memcpy(iov[2].buffer.value, payload->value, payload->length);
    major = iov_call(minor, h, OP_WRAP, a, iov, 5);
    if (major != GSS_S_COMPLETE) {
        bt_free_secret(buf, total);
        return major;
    }
    out->value = buf;
    out->length = total;
    return GSS_S_COMPLETE;
}

BT_EXPORT OM_uint32
gss_wrap_aead(OM_uint32 *minor_status, gss_ctx_id_t context_handle,
              int conf_req_flag, gss_qop_t qop_req,
              gss_buffer_t input_assoc_buffer,
              gss_buffer_t input_payload_buffer, int *conf_state,
              gss_buffer_t output_message_buffer)
{
    gss_iov_buffer_desc iov[5];
    struct iov_args a = { conf_req_flag, qop_req, 0, 0 };
    OM_uint32 major;

    if (minor_status != NULL)
        *minor_status = 0;
    bt_buf_clear(output_message_buffer);
    if (output_message_buffer == GSS_C_NO_BUFFER)
        return bt_fail(minor_status, GSS_S_CALL_INACCESSIBLE_WRITE, 0);
    if (input_payload_buffer == GSS_C_NO_BUFFER ||
        !bt_buf_valid(input_payload_buffer) ||
        (input_assoc_buffer != GSS_C_NO_BUFFER &&
         !bt_buf_valid(input_assoc_buffer)))
        return bt_fail(minor_status, GSS_S_CALL_INACCESSIBLE_READ,
                       BT_E_BAD_BUFFER);
    aead_layout(iov, input_assoc_buffer, input_payload_buffer);
    major = iov_call(minor_status, context_handle, OP_WRAP_LENGTH, &a, iov, 5);
    if (major == GSS_S_COMPLETE)
        major = aead_seal(minor_status, context_handle, &a, iov,
                          input_payload_buffer, output_message_buffer);
    if (major == GSS_S_COMPLETE && conf_state != NULL)
        *conf_state = a.conf;
    return major;
}

BT_EXPORT OM_uint32
gss_unwrap_aead(OM_uint32 *minor_status, gss_ctx_id_t context_handle,
                gss_buffer_t input_message_buffer,
                gss_buffer_t input_assoc_buffer,
                gss_buffer_t output_payload_buffer, int *conf_state,
                gss_qop_t *qop_state)
{
    gss_iov_buffer_desc iov[3];
    struct iov_args a = { 0, GSS_C_QOP_DEFAULT, 0, 0 };
    void *copy;
    size_t len;
    OM_uint32 major;

    if (minor_status != NULL)
        *minor_status = 0;
    bt_buf_clear(output_payload_buffer);
    if (output_payload_buffer == GSS_C_NO_BUFFER)
        return bt_fail(minor_status, GSS_S_CALL_INACCESSIBLE_WRITE, 0);
    if (input_message_buffer == GSS_C_NO_BUFFER ||
        !bt_buf_valid(input_message_buffer) ||
        (input_assoc_buffer != GSS_C_NO_BUFFER &&
         !bt_buf_valid(input_assoc_buffer)))
        return bt_fail(minor_status, GSS_S_CALL_INACCESSIBLE_READ,
                       BT_E_BAD_BUFFER);
    len = input_message_buffer->length;
    if ((copy = malloc(len > 0 ? len : 1)) == NULL)
        return bt_fail(minor_status, GSS_S_FAILURE, ENOMEM);
    if (len > 0)
        memcpy(copy, input_message_buffer->value, len);
    /* The STREAM is decrypted in place: a copy, never the caller's token. */
    memset(iov, 0, sizeof(iov));
    iov[0].type = GSS_IOV_BUFFER_TYPE_STREAM;
    iov[0].buffer.value = copy;
    iov[0].buffer.length = len;
    iov[1].type = input_assoc_buffer != GSS_C_NO_BUFFER
                  ? GSS_IOV_BUFFER_TYPE_SIGN_ONLY : GSS_IOV_BUFFER_TYPE_EMPTY;
    if (input_assoc_buffer != GSS_C_NO_BUFFER)
        iov[1].buffer = *input_assoc_buffer;
    iov[2].type = GSS_IOV_BUFFER_TYPE_DATA;
    major = iov_call(minor_status, context_handle, OP_UNWRAP, &a, iov, 3);
    if (!GSS_ERROR(major)) {
        OM_uint32 m2 = bt_buf_set(minor_status, iov[2].buffer.value,
                                  iov[2].buffer.length, output_payload_buffer);

        major = m2 != GSS_S_COMPLETE ? m2 : major;
    }
    bt_free_secret(copy, len);
    if (!GSS_ERROR(major) && conf_state != NULL)
        *conf_state = a.conf;
    if (!GSS_ERROR(major) && qop_state != NULL)
        *qop_state = a.qop_state;
    return major;
}
