/*
 * msg_fast.c - the per-message crypto choice: OpenSSL (crypto/k5fast.c)
 * for the four AES enctypes, libkrb5 for anything else.  The token bytes
 * are the same either way.
 *
 * The fast state is made on the first message of an open context, from
 * the context key, for the four RFC 4121 usages; it is never serialized
 * (an imported context makes its own).
 */
#include "mech/krb5/msgtok.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>

#include "glue/glue.h"
#include "util/reader.h"
#include "util/writer.h"

struct bt_k5fast *
bt_k5tok_fast(krb5_context k, struct bt_krb5_ctx *ctx)
{
    static const krb5_keyusage usages[4] = {
        KG_USAGE_ACCEPTOR_SEAL, KG_USAGE_ACCEPTOR_SIGN,
        KG_USAGE_INITIATOR_SEAL, KG_USAGE_INITIATOR_SIGN };
    krb5_keyblock *kb = NULL;
    krb5_error_code err = 0;

    if (ctx->fast != NULL || ctx->fast_unsupported)
        return ctx->fast;
    /* A failure here is transient (memory): libkrb5 serves this call. */
    if (krb5_k_key_keyblock(k, ctx->key, &kb) != 0)
        return NULL;
    ctx->fast = bt_k5fast_new(kb->enctype, kb->contents, kb->length, usages,
                              4, &err);
    krb5_free_keyblock(k, kb);
    if (ctx->fast == NULL && err == 0)
        ctx->fast_unsupported = true;
    return ctx->fast;
}

krb5_error_code
bt_k5tok_checksum(krb5_context k, struct bt_krb5_ctx *ctx, krb5_keyusage u,
                  const void *data, size_t len, const uint8_t hdr[HDR_LEN],
                  uint8_t out[BT_K5TOK_MAX_CK], size_t *out_len)
{
    struct bt_k5fast *f = bt_k5tok_fast(k, ctx);
    struct bt_writer w;
    krb5_checksum ck;
    krb5_data in;
    krb5_error_code ret;

    if (f != NULL) {
        *out_len = bt_k5fast_mac_len(f);
        return bt_k5fast_checksum(f, u, data, len, hdr, HDR_LEN, out);
    }
    bt_wr_init(&w, true);
    bt_wr_bytes(&w, data, len);
    bt_wr_bytes(&w, hdr, HDR_LEN);
    if (!bt_wr_ok(&w))
        return ENOMEM;
    in.magic = KV5M_DATA;
    in.data = (char *)w.data;
    in.length = (unsigned int)w.len;
    memset(&ck, 0, sizeof(ck));
    ret = krb5_k_make_checksum(k, 0, ctx->key, u, &in, &ck);
    bt_wr_free(&w);
    if (ret == 0 && ck.length > BT_K5TOK_MAX_CK)
        ret = KRB5_BAD_MSIZE;
    if (ret == 0) {
        memcpy(out, ck.contents, ck.length);
        *out_len = ck.length;
    }
    krb5_free_checksum_contents(k, &ck);
    return ret;
}

OM_uint32
bt_k5tok_wrap_conf_fast(OM_uint32 *minor, struct bt_krb5_ctx *ctx,
                        const uint8_t hdr[HDR_LEN], const gss_buffer_desc *in,
                        gss_buffer_t out)
{
    size_t m = bt_k5fast_mac_len(ctx->fast), body;
    uint8_t *buf;
    krb5_error_code ret;

    if (in->length > SIZE_MAX / 2)
        return bt_fail(minor, GSS_S_FAILURE, ENOMEM);
    body = BT_K5FAST_CONF_LEN + in->length + HDR_LEN;
    if ((buf = malloc(HDR_LEN + body + m)) == NULL)
        return bt_fail(minor, GSS_S_FAILURE, ENOMEM);
    /* header | confounder | data | header copy | MAC */
    memcpy(buf, hdr, HDR_LEN);
    if (in->length > 0)
        memcpy(buf + HDR_LEN + BT_K5FAST_CONF_LEN, in->value, in->length);
    memcpy(buf + HDR_LEN + BT_K5FAST_CONF_LEN + in->length, hdr, HDR_LEN);
    ret = bt_k5fast_encrypt(ctx->fast, bt_k5tok_usage(ctx, true, true),
                            buf + HDR_LEN, body, buf + HDR_LEN + body);
    if (ret != 0) {
        free(buf);
        return bt_krb5_gss_error(minor, ret);
    }
    out->value = buf;
    out->length = HDR_LEN + body + m;
    return GSS_S_COMPLETE;
}

OM_uint32
bt_k5tok_unwrap_conf_fast(OM_uint32 *minor, struct bt_krb5_ctx *ctx,
                          const struct hdr *h, const uint8_t raw[HDR_LEN],
                          uint8_t *buf, size_t n, size_t *len_out)
{
    size_t m = bt_k5fast_mac_len(ctx->fast), clen, data_len;
    struct bt_reader r;
    const uint8_t *copy;

    /* Too short for the enctype: what libkrb5 answers, so that a token
     * gets the same verdict whichever crypto serves the context. */
    if (n < BT_K5FAST_CONF_LEN + m)
        return bt_fail(minor, GSS_S_BAD_SIG, (OM_uint32)KRB5_BAD_MSIZE);
    clen = n - m;
    if (bt_k5fast_decrypt(ctx->fast, bt_k5tok_usage(ctx, false, true), buf,
                          clen, buf + clen) != 0)
        return bt_fail(minor, GSS_S_BAD_SIG,
                       (OM_uint32)KRB5KRB_AP_ERR_BAD_INTEGRITY);
    /* Authentic but too short for its EC and header copy. */
    if (n < BT_K5FAST_CONF_LEN + (size_t)h->ec + HDR_LEN + m)
        return bt_fail(minor, GSS_S_DEFECTIVE_TOKEN, BT_E_ENCRYPTED_HEADER);
    /* confounder | data | EC filler | header copy */
    data_len = clen - BT_K5FAST_CONF_LEN - h->ec - HDR_LEN;
    bt_rd_init(&r, buf, clen);
    (void)bt_rd_bytes(&r, BT_K5FAST_CONF_LEN + data_len + h->ec);
    copy = bt_rd_bytes(&r, HDR_LEN);
    /* The copy must repeat the header; RRC alone may differ. */
    if (copy == NULL || CRYPTO_memcmp(copy, raw, 6) != 0 ||
        CRYPTO_memcmp(copy + 8, raw + 8, 8) != 0)
        return bt_fail(minor, GSS_S_DEFECTIVE_TOKEN, BT_E_ENCRYPTED_HEADER);
    memmove(buf, buf + BT_K5FAST_CONF_LEN, data_len);
    *len_out = data_len;
    return GSS_S_COMPLETE;
}
