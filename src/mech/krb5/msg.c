/*
 * msg.c - RFC 4121 4.2 per-message tokens: MIC (TOK_ID 04 04) and Wrap
 * (TOK_ID 05 04), with libkrb5's crypto for now (issue 6 brings the fast
 * path).
 *
 *   MIC:  04 04 | Flags | FF FF FF FF FF | SND_SEQ (8) | SGN_CKSUM
 *   Wrap: 05 04 | Flags | FF | EC (2) | RRC (2) | SND_SEQ (8) | Data
 */
#include "mech/krb5/ctx.h"
#include "mech/krb5/msgtok.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>

#include "glue/glue.h"
#include "util/mem.h"
#include "util/reader.h"
#include "util/writer.h"

void
bt_k5tok_write_hdr(uint8_t out[HDR_LEN], const struct hdr *h)
{
    uint8_t buf[HDR_LEN];
    struct bt_writer w;

    /* On the stack: no allocation per message. */
    bt_wr_init_fixed(&w, buf, sizeof(buf));
    bt_wr_u16be(&w, h->tok_id);
    bt_wr_u8(&w, h->flags);
    if (h->tok_id == TOK_MIC) {
        bt_wr_bytes(&w, "\xff\xff\xff\xff\xff", 5);
    } else {
        bt_wr_u8(&w, 0xff);
        bt_wr_u16be(&w, h->ec);
        bt_wr_u16be(&w, h->rrc);
    }
    bt_wr_u64be(&w, h->seq);
    memset(out, 0, HDR_LEN);
    if (bt_wr_ok(&w) && w.len == HDR_LEN)
        memcpy(out, buf, HDR_LEN);
    bt_wr_free(&w);
}

/* Parses a header; the reader is left at the token's data and *raw points
 * at the header's 16 octets. */
bool
bt_k5tok_read_hdr(struct bt_reader *tok, uint16_t tok_id, struct hdr *h,
         const uint8_t **raw)
{
    struct bt_reader hr, *r = &hr;

    *raw = bt_rd_bytes(tok, HDR_LEN);
    bt_rd_init(r, *raw, *raw != NULL ? HDR_LEN : 0);
    h->tok_id = bt_rd_u16be(r);
    h->flags = bt_rd_u8(r);
    if (tok_id == TOK_MIC) {
        for (int i = 0; i < 5; i++)
            bt_rd_expect_u8(r, 0xff);
        h->ec = h->rrc = 0;
    } else {
        bt_rd_expect_u8(r, 0xff);
        h->ec = bt_rd_u16be(r);
        h->rrc = bt_rd_u16be(r);
    }
    h->seq = bt_rd_u64be(r);
    return *raw != NULL && bt_rd_done(r) && h->tok_id == tok_id;
}

uint8_t
bt_k5tok_own_flags(const struct bt_krb5_ctx *ctx)
{
    return (uint8_t)((ctx->initiator ? 0 : FLAG_SENT_BY_ACCEPTOR) |
                     (ctx->acceptor_subkey ? FLAG_ACCEPTOR_SUBKEY : 0));
}

/* RFC 4121 4.2.2: a token from the peer carries the peer's direction bit
 * and the context's AcceptorSubkey bit. */
OM_uint32
bt_k5tok_check_flags(OM_uint32 *minor, const struct bt_krb5_ctx *ctx,
                     uint8_t flags)
{
    bool from_acceptor = (flags & FLAG_SENT_BY_ACCEPTOR) != 0;
    bool subkey = (flags & FLAG_ACCEPTOR_SUBKEY) != 0;

    if (from_acceptor != ctx->initiator)
        return bt_fail(minor, GSS_S_DEFECTIVE_TOKEN, BT_E_WRONG_DIRECTION);
    if (subkey != ctx->acceptor_subkey)
        return bt_fail(minor, GSS_S_DEFECTIVE_TOKEN, BT_E_WRONG_SUBKEY_FLAG);
    return GSS_S_COMPLETE;
}

krb5_keyusage
bt_k5tok_usage(const struct bt_krb5_ctx *ctx, bool sending, bool seal)
{
    bool acceptor_sends = sending ? !ctx->initiator : ctx->initiator;

    if (seal)
        return acceptor_sends ? KG_USAGE_ACCEPTOR_SEAL
                              : KG_USAGE_INITIATOR_SEAL;
    return acceptor_sends ? KG_USAGE_ACCEPTOR_SIGN : KG_USAGE_INITIATOR_SIGN;
}

/* The crypto context for a call on an open, unexpired context. */
krb5_context
bt_k5tok_ready(OM_uint32 *minor, const struct bt_krb5_ctx *ctx,
               OM_uint32 *major)
{
    krb5_error_code err = 0;
    krb5_context k;

    if (ctx->state != BT_K5_OPEN) {
        *major = bt_fail(minor, GSS_S_NO_CONTEXT, BT_E_CTX_NOT_ESTABLISHED);
        return NULL;
    }
    k = bt_krb5_thread_kctx(&err);
    if (k == NULL) {
        *major = bt_krb5_gss_error(minor, err);
        return NULL;
    }
    if (bt_krb5_time_left(k, ctx->endtime) == 0) {
        *major = bt_fail(minor, GSS_S_CONTEXT_EXPIRED, 0);
        return NULL;
    }
    *major = GSS_S_COMPLETE;
    return k;
}

/* Compares a received checksum with the one computed, in constant time.
 * u is the key usage: SIGN for MIC tokens, SEAL for Wrap tokens. */
static OM_uint32
verify(OM_uint32 *minor, krb5_context k, struct bt_krb5_ctx *ctx,
       krb5_keyusage u, const void *data, size_t len,
       const uint8_t hdr[HDR_LEN], const uint8_t *got, size_t got_len)
{
    uint8_t want[BT_K5TOK_MAX_CK];
    size_t want_len = 0;
    krb5_error_code ret;

    ret = bt_k5tok_checksum(k, ctx, u, data, len, hdr, want, &want_len);
    if (ret != 0)
        return bt_krb5_gss_error(minor, ret);
    if (want_len != got_len || got_len == 0 ||
        CRYPTO_memcmp(want, got, got_len) != 0)
        return bt_fail(minor, GSS_S_BAD_SIG,
                       (OM_uint32)KRB5KRB_AP_ERR_MODIFIED);
    return GSS_S_COMPLETE;
}

/* bt_k5tok_ready, and GSS_S_BAD_QOP for any QOP but the default. */
krb5_context
bt_k5tok_ready_qop(OM_uint32 *minor, const struct bt_krb5_ctx *ctx,
                   gss_qop_t qop, OM_uint32 *major)
{
    krb5_context k = bt_k5tok_ready(minor, ctx, major);

    if (k != NULL && qop != GSS_C_QOP_DEFAULT) {
        *major = bt_fail(minor, GSS_S_BAD_QOP, 0);
        return NULL;
    }
    return k;
}

/* The common start of verify_mic and unwrap: an open context, a header of
 * tok_id, the peer's flags.  Returns the crypto context, or NULL with
 * *major set; *raw is the header, *body and *n the data after it. */
krb5_context
bt_k5tok_read_token(OM_uint32 *minor, const struct bt_krb5_ctx *ctx,
                    const gss_buffer_desc *token, uint16_t tok_id,
                    struct hdr *h, const uint8_t **raw, const uint8_t **body,
                    size_t *n, OM_uint32 *major)
{
    struct bt_reader r;
    krb5_context k = bt_k5tok_ready(minor, ctx, major);

    if (k == NULL)
        return NULL;
    bt_rd_init(&r, token->value, token->length);
    if (!bt_k5tok_read_hdr(&r, tok_id, h, raw)) {
        *major = bt_fail(minor, GSS_S_DEFECTIVE_TOKEN, BT_E_TOKEN_HEADER);
        return NULL;
    }
    *body = bt_rd_rest(&r, n);
    *major = bt_k5tok_check_flags(minor, ctx, h->flags);
    return *major == GSS_S_COMPLETE ? k : NULL;
}

OM_uint32
bt_krb5_get_mic(OM_uint32 *minor, void *mctx, gss_qop_t qop,
                const gss_buffer_desc *msg, gss_buffer_t token)
{
    struct bt_krb5_ctx *ctx = mctx;
    struct hdr h = { TOK_MIC, bt_k5tok_own_flags(ctx), 0, 0, ctx->send_seq };
    uint8_t tok[HDR_LEN + BT_K5TOK_MAX_CK];
    krb5_error_code ret;
    OM_uint32 major;
    krb5_context k = bt_k5tok_ready_qop(minor, ctx, qop, &major);
    size_t n = 0;

    if (k == NULL)
        return major;
    bt_k5tok_write_hdr(tok, &h);
    ret = bt_k5tok_checksum(k, ctx, bt_k5tok_usage(ctx, true, false),
                            msg->value, msg->length, tok, tok + HDR_LEN, &n);
    if (ret != 0)
        return bt_krb5_gss_error(minor, ret);
    major = bt_buf_set(minor, tok, HDR_LEN + n, token);
    if (major != GSS_S_COMPLETE)
        return major;
    ctx->send_seq++;
    return GSS_S_COMPLETE;
}

OM_uint32
bt_krb5_verify_mic(OM_uint32 *minor, void *mctx, const gss_buffer_desc *msg,
                   const gss_buffer_desc *token, gss_qop_t *qop)
{
    struct bt_krb5_ctx *ctx = mctx;
    struct hdr h;
    const uint8_t *ck, *raw;
    size_t n;
    OM_uint32 major;
    krb5_context k = bt_k5tok_read_token(minor, ctx, token, TOK_MIC, &h, &raw,
                                         &ck, &n, &major);

    if (k == NULL)
        return major;
    major = verify(minor, k, ctx, bt_k5tok_usage(ctx, false, false), msg->value,
                   msg->length, raw, ck, n);
    if (major != GSS_S_COMPLETE)
        return major;
    *qop = GSS_C_QOP_DEFAULT;
    *minor = 0;
    return bt_seqstate_check(&ctx->recv, h.seq);
}

/* RFC 4121 4.2.4: confidential Wrap is header || E(data | header). */
static OM_uint32
wrap_conf(OM_uint32 *minor, krb5_context k, struct bt_krb5_ctx *ctx,
          const gss_buffer_desc *in, gss_buffer_t out)
{
    struct hdr h = { TOK_WRAP, bt_k5tok_own_flags(ctx) | FLAG_SEALED, 0, 0,
                     ctx->send_seq };
    uint8_t hdr[HDR_LEN], *buf;
    struct bt_writer w;
    krb5_data plain;
    krb5_enc_data enc;
    size_t clen = 0;
    krb5_error_code ret;

    bt_k5tok_write_hdr(hdr, &h);
    if (bt_k5tok_fast(k, ctx) != NULL)
        return bt_k5tok_wrap_conf_fast(minor, ctx, hdr, in, out);
    bt_wr_init(&w, true);
    bt_wr_bytes(&w, in->value, in->length);
    bt_wr_bytes(&w, hdr, HDR_LEN);
    if (!bt_wr_ok(&w) || w.len > UINT32_MAX - 64) {
        bt_wr_free(&w);
        return bt_fail(minor, GSS_S_FAILURE, ENOMEM);
    }
    ret = krb5_c_encrypt_length(k, krb5_k_key_enctype(k, ctx->key), w.len,
                                &clen);
    buf = ret == 0 ? malloc(HDR_LEN + clen) : NULL;
    if (ret == 0 && buf == NULL)
        ret = ENOMEM;
    if (ret == 0) {
        memcpy(buf, hdr, HDR_LEN);
        plain.magic = KV5M_DATA;
        plain.data = (char *)w.data;
        plain.length = (unsigned int)w.len;
        memset(&enc, 0, sizeof(enc));
        enc.ciphertext.data = (char *)buf + HDR_LEN;
        enc.ciphertext.length = (unsigned int)clen;
        ret = krb5_k_encrypt(k, ctx->key, bt_k5tok_usage(ctx, true, true), NULL,
                             &plain, &enc);
    }
    bt_wr_free(&w);
    if (ret != 0) {
        free(buf);
        return bt_krb5_gss_error(minor, ret);
    }
    out->value = buf;
    out->length = HDR_LEN + enc.ciphertext.length;
    return GSS_S_COMPLETE;
}

size_t
bt_k5tok_checksum_len(krb5_context k, const struct bt_krb5_ctx *ctx)
{
    unsigned int n = 0;

    if (krb5_c_crypto_length(k, krb5_k_key_enctype(k, ctx->key),
                             KRB5_CRYPTO_TYPE_CHECKSUM, &n) != 0)
        return 0;
    return n;
}

/* RFC 4121 4.2.4: integrity-only Wrap is header || data || checksum, the
 * checksum over data || header with EC and RRC zeroed.  RFC 4121 2: Wrap
 * tokens use the SEAL key usages whether or not they are encrypted. */
static OM_uint32
wrap_integ(OM_uint32 *minor, krb5_context k, struct bt_krb5_ctx *ctx,
           const gss_buffer_desc *in, gss_buffer_t out)
{
    struct hdr h = { TOK_WRAP, bt_k5tok_own_flags(ctx), 0, 0, ctx->send_seq };
    uint8_t zhdr[HDR_LEN], ck[BT_K5TOK_MAX_CK];
    krb5_error_code ret;
    uint8_t *buf;
    size_t n = 0;

    bt_k5tok_write_hdr(zhdr, &h);
    ret = bt_k5tok_checksum(k, ctx, bt_k5tok_usage(ctx, true, true),
                            in->value, in->length, zhdr, ck, &n);
    if (ret != 0)
        return bt_krb5_gss_error(minor, ret);
    if (in->length > SIZE_MAX - HDR_LEN - n ||
        (buf = malloc(HDR_LEN + in->length + n)) == NULL)
        return bt_fail(minor, GSS_S_FAILURE, ENOMEM);
    h.ec = (uint16_t)n;
    /* header | data | checksum */
    bt_k5tok_write_hdr(buf, &h);
    if (in->length > 0)
        memcpy(buf + HDR_LEN, in->value, in->length);
    memcpy(buf + HDR_LEN + in->length, ck, n);
    out->value = buf;
    out->length = HDR_LEN + in->length + n;
    return GSS_S_COMPLETE;
}

OM_uint32
bt_krb5_wrap(OM_uint32 *minor, void *mctx, int conf_req, gss_qop_t qop,
             const gss_buffer_desc *in, int *conf_state, gss_buffer_t out)
{
    struct bt_krb5_ctx *ctx = mctx;
    OM_uint32 major;
    krb5_context k = bt_k5tok_ready_qop(minor, ctx, qop, &major);

    if (k == NULL)
        return major;
    major = conf_req ? wrap_conf(minor, k, ctx, in, out)
                     : wrap_integ(minor, k, ctx, in, out);
    if (major != GSS_S_COMPLETE)
        return major;
    ctx->send_seq++;
    *conf_state = conf_req ? 1 : 0;
    *minor = 0;
    return GSS_S_COMPLETE;
}

/* Undoes the sender's right rotation by RRC (RFC 4121 4.2.5) in a copy. */
static uint8_t *
unrotate(const uint8_t *body, size_t n, uint16_t rrc)
{
    uint8_t *buf = malloc(n);
    size_t rot = rrc % n, m;
    struct bt_reader r;
    const uint8_t *head, *tail;

    if (buf == NULL)
        return NULL;
    bt_rd_init(&r, body, n);
    head = bt_rd_bytes(&r, rot);
    tail = bt_rd_rest(&r, &m);
    memcpy(buf, tail, m);
    memcpy(buf + m, head, rot);
    return buf;
}

/* Decrypts a sealed body; *len_out is the plaintext data length. */
static OM_uint32
unwrap_conf(OM_uint32 *minor, krb5_context k, struct bt_krb5_ctx *ctx,
            const struct hdr *h, const uint8_t raw[HDR_LEN], uint8_t *buf,
            size_t n, size_t *len_out)
{
    krb5_enc_data enc;
    krb5_data plain;
    const uint8_t *copy;
    struct bt_reader r;
    krb5_error_code ret;
    size_t data_len;

    if (bt_k5tok_fast(k, ctx) != NULL)
        return bt_k5tok_unwrap_conf_fast(minor, ctx, h, raw, buf, n, len_out);
    memset(&enc, 0, sizeof(enc));
    enc.enctype = krb5_k_key_enctype(k, ctx->key);
    enc.ciphertext.data = (char *)buf;
    enc.ciphertext.length = (unsigned int)n;
    plain.magic = KV5M_DATA;
    plain.data = malloc(n);
    plain.length = (unsigned int)n;
    if (plain.data == NULL)
        return bt_fail(minor, GSS_S_FAILURE, ENOMEM);
    ret = krb5_k_decrypt(k, ctx->key, bt_k5tok_usage(ctx, false, true), NULL,
                         &enc, &plain);
    if (ret != 0) {
        bt_free_secret(plain.data, n);
        return bt_fail(minor, GSS_S_BAD_SIG, (OM_uint32)ret);
    }
    /* data | EC filler octets | header copy */
    bt_rd_init(&r, plain.data, plain.length);
    data_len = plain.length >= HDR_LEN + (size_t)h->ec
               ? plain.length - HDR_LEN - h->ec : 0;
    (void)bt_rd_bytes(&r, data_len + h->ec);
    copy = bt_rd_bytes(&r, HDR_LEN);
    /* The copy must repeat the header; RRC alone may differ. */
    if (copy == NULL || plain.length < HDR_LEN + (size_t)h->ec ||
        CRYPTO_memcmp(copy, raw, 6) != 0 ||
        CRYPTO_memcmp(copy + 8, raw + 8, 8) != 0) {
        bt_free_secret(plain.data, n);
        return bt_fail(minor, GSS_S_DEFECTIVE_TOKEN, BT_E_ENCRYPTED_HEADER);
    }
    memcpy(buf, plain.data, data_len);
    bt_free_secret(plain.data, n);
    *len_out = data_len;
    return GSS_S_COMPLETE;
}

static OM_uint32
unwrap_integ(OM_uint32 *minor, krb5_context k, struct bt_krb5_ctx *ctx,
             const struct hdr *h, const uint8_t *buf, size_t n,
             size_t *len_out)
{
    struct hdr zh = *h;
    uint8_t zhdr[HDR_LEN];
    struct bt_reader r;
    const uint8_t *data, *ck;

    bt_rd_init(&r, buf, n);
    data = bt_rd_bytes(&r, n >= h->ec ? n - h->ec : n + 1);
    ck = bt_rd_bytes(&r, h->ec);
    if (h->ec != bt_k5tok_checksum_len(k, ctx) || data == NULL || ck == NULL)
        return bt_fail(minor, GSS_S_DEFECTIVE_TOKEN, BT_E_TOKEN_HEADER);
    zh.ec = zh.rrc = 0;
    bt_k5tok_write_hdr(zhdr, &zh);
    *len_out = n - h->ec;
    return verify(minor, k, ctx, bt_k5tok_usage(ctx, false, true), data,
                  n - h->ec, zhdr, ck, h->ec);
}

OM_uint32
bt_krb5_unwrap(OM_uint32 *minor, void *mctx, const gss_buffer_desc *in,
               gss_buffer_t out, int *conf_state, gss_qop_t *qop)
{
    struct bt_krb5_ctx *ctx = mctx;
    struct hdr h;
    const uint8_t *raw, *body;
    uint8_t *buf = NULL;
    size_t n, len = 0;
    OM_uint32 major;
    krb5_context k = bt_k5tok_read_token(minor, ctx, in, TOK_WRAP, &h, &raw,
                                         &body, &n, &major);

    if (k == NULL)
        return major;
    if (n == 0)
        major = bt_fail(minor, GSS_S_DEFECTIVE_TOKEN, BT_E_TOKEN_HEADER);
    if (major == GSS_S_COMPLETE && (buf = unrotate(body, n, h.rrc)) == NULL)
        major = bt_fail(minor, GSS_S_FAILURE, ENOMEM);
    if (major == GSS_S_COMPLETE)
        major = (h.flags & FLAG_SEALED)
                ? unwrap_conf(minor, k, ctx, &h, raw, buf, n, &len)
                : unwrap_integ(minor, k, ctx, &h, buf, n, &len);
    if (major == GSS_S_COMPLETE) {
        /* The data starts the buffer: it becomes the output as it is. */
        out->value = buf;
        out->length = len;
        buf = NULL;
    }
    bt_free_secret(buf, n);
    if (major != GSS_S_COMPLETE)
        return major;
    *conf_state = (h.flags & FLAG_SEALED) ? 1 : 0;
    *qop = GSS_C_QOP_DEFAULT;
    *minor = 0;
    return bt_seqstate_check(&ctx->recv, h.seq);
}

OM_uint32
bt_krb5_wrap_size_limit(OM_uint32 *minor, void *mctx, int conf_req,
                        gss_qop_t qop, OM_uint32 req_output,
                        OM_uint32 *max_input)
{
    struct bt_krb5_ctx *ctx = mctx;
    unsigned int head = 0, trail = 0, pad = 0;
    krb5_enctype e;
    uint64_t over;
    OM_uint32 major;
    krb5_context k = bt_k5tok_ready_qop(minor, ctx, qop, &major);

    if (k == NULL)
        return major;
    e = krb5_k_key_enctype(k, ctx->key);
    if (!conf_req) {
        over = bt_k5tok_checksum_len(k, ctx);
        if (over == 0)
            return bt_fail(minor, GSS_S_FAILURE, KRB5_BAD_ENCTYPE);
        over += HDR_LEN;
    } else if (krb5_c_crypto_length(k, e, KRB5_CRYPTO_TYPE_HEADER, &head) ||
               krb5_c_crypto_length(k, e, KRB5_CRYPTO_TYPE_TRAILER, &trail) ||
               krb5_c_crypto_length(k, e, KRB5_CRYPTO_TYPE_PADDING, &pad)) {
        return bt_fail(minor, GSS_S_FAILURE, KRB5_BAD_ENCTYPE);
    } else {
        /* token header + confounder + encrypted header copy + MAC */
        over = (uint64_t)HDR_LEN + head + HDR_LEN + trail;
    }
    *max_input = req_output > over ? (OM_uint32)(req_output - over) : 0;
    /* Block ciphers without CTS would pad: round down to whole blocks. */
    if (conf_req && pad > 1)
        *max_input -= *max_input % pad;
    *minor = 0;
    return GSS_S_COMPLETE;
}
