/*
 * token.c - gss_encapsulate_token and gss_decapsulate_token: the RFC 2743
 * section 3.1 framing around a mechanism's initial token.
 */
#include "glue/glue.h"

#include <errno.h>

#include "util/der.h"
#include "util/reader.h"
#include "util/writer.h"

BT_EXPORT OM_uint32
gss_encapsulate_token(gss_const_buffer_t input_token, gss_const_OID token_oid,
                      gss_buffer_t output_token)
{
    struct bt_writer w;
    void *data;
    size_t len;

    bt_buf_clear(output_token);
    if (output_token == GSS_C_NO_BUFFER)
        return GSS_S_CALL_INACCESSIBLE_WRITE;
    if (input_token == GSS_C_NO_BUFFER || !bt_buf_valid(input_token) ||
        token_oid == GSS_C_NO_OID ||
        (token_oid->length > 0 && token_oid->elements == NULL))
        return GSS_S_CALL_INACCESSIBLE_READ;
    bt_wr_init(&w, false);
    bt_der_wr_token(&w, token_oid->elements, token_oid->length,
                    input_token->value, input_token->length);
    if (bt_wr_take(&w, &data, &len) != 0)
        return GSS_S_FAILURE;
    output_token->value = data;
    output_token->length = len;
    return GSS_S_COMPLETE;
}

BT_EXPORT OM_uint32
gss_decapsulate_token(gss_const_buffer_t input_token, gss_const_OID token_oid,
                      gss_buffer_t output_token)
{
    struct bt_reader r, oid_r, body;
    gss_OID_desc oid;
    const void *inner;
    size_t n;
    OM_uint32 minor;

    bt_buf_clear(output_token);
    if (output_token == GSS_C_NO_BUFFER)
        return GSS_S_CALL_INACCESSIBLE_WRITE;
    if (input_token == GSS_C_NO_BUFFER || !bt_buf_valid(input_token) ||
        token_oid == GSS_C_NO_OID)
        return GSS_S_CALL_INACCESSIBLE_READ;
    bt_rd_init(&r, input_token->value, input_token->length);
    bt_der_rd_token(&r, &oid_r, &body);
    if (!bt_rd_ok(&r))
        return GSS_S_DEFECTIVE_TOKEN;
    oid.elements = (void *)bt_rd_rest(&oid_r, &n);
    oid.length = (OM_uint32)n;
    if (!bt_oid_eq(&oid, token_oid))
        return GSS_S_DEFECTIVE_TOKEN;
    inner = bt_rd_rest(&body, &n);
    return bt_buf_set(&minor, inner, n, output_token);
}
