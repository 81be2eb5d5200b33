/*
 * ctxtoken.c - framing of Kerberos context tokens.
 */
#include "mech/krb5/ctxtoken.h"

#include <errno.h>

#include "glue/glue.h"
#include "mech/mech.h"
#include "mech/krb5/krb5_mech.h"
#include "util/der.h"
#include "util/writer.h"

OM_uint32
bt_krb5_frame(OM_uint32 *minor, uint16_t tok_id, const void *body, size_t len,
              gss_buffer_t out)
{
    const gss_OID_desc *oid = bt_krb5_mech.oid;
    struct bt_writer inner, w;
    void *data;
    size_t n;

    bt_wr_init(&inner, false);
    bt_wr_u16be(&inner, tok_id);
    bt_wr_bytes(&inner, body, len);
    bt_wr_init(&w, false);
    if (bt_wr_ok(&inner))
        bt_der_wr_token(&w, oid->elements, oid->length, inner.data,
                        inner.len);
    bt_wr_free(&inner);
    if (!bt_wr_ok(&inner) || bt_wr_take(&w, &data, &n) != 0)
        return bt_fail(minor, GSS_S_FAILURE, ENOMEM);
    out->value = data;
    out->length = n;
    return GSS_S_COMPLETE;
}

OM_uint32
bt_krb5_unframe(OM_uint32 *minor, const gss_buffer_desc *in, uint16_t *tok_id,
                struct bt_reader *body)
{
    struct bt_reader r, oid_r;
    gss_OID_desc oid;
    size_t n;

    bt_rd_init(&r, in->value, in->length);
    bt_der_rd_token(&r, &oid_r, body);
    oid.elements = (void *)bt_rd_rest(&oid_r, &n);
    oid.length = (OM_uint32)n;
    if (!bt_rd_ok(&r))
        return bt_fail(minor, GSS_S_DEFECTIVE_TOKEN, BT_E_TOKEN_FRAMING);
    if (bt_mech_find(&oid) != &bt_krb5_mech)
        return bt_fail(minor, GSS_S_DEFECTIVE_TOKEN, BT_E_TOKEN_OID_MISMATCH);
    *tok_id = bt_rd_u16be(body);
    if (!bt_rd_ok(body))
        return bt_fail(minor, GSS_S_DEFECTIVE_TOKEN, BT_E_TOKEN_FRAMING);
    return GSS_S_COMPLETE;
}
