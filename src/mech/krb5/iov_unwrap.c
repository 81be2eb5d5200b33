/*
 * iov_unwrap.c - the receiving IOV calls for Kerberos: gss_unwrap_iov for
 * the HEADER [+ TRAILER] and STREAM layouts, and gss_verify_mic_iov.  The
 * token's parts are located through the bounds-checked reader; decryption
 * happens in place, in the caller's buffers.
 */
#include "mech/krb5/iov.h"

#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>

#include "glue/glue.h"
#include "util/mem.h"
#include "util/reader.h"

/* A received Wrap token's parts, inside the caller's buffers. */
struct found {
    struct hdr h;
    uint8_t raw[HDR_LEN];          /* the token header as received */
    uint8_t *conf, *tail;          /* confounder; trailer part */
    struct bt_k5iov_parts p;
};

/* The IOV calls own the caller's buffers for the call (they decrypt in
 * place), so a part the reader located may be written. */
static uint8_t *
writable(const uint8_t *p)
{
    return (uint8_t *)(uintptr_t)p;
}

static OM_uint32
sizes_error(OM_uint32 *minor)
{
    return bt_fail(minor, GSS_S_DEFECTIVE_TOKEN, BT_E_IOV_SIZES);
}

/* Reads the token header at the start of r into f and sizes the parts. */
static OM_uint32
read_head(OM_uint32 *minor, krb5_context k, const struct bt_krb5_ctx *ctx,
          struct bt_reader *r, struct found *f)
{
    const uint8_t *raw;
    OM_uint32 major;

    if (!bt_k5tok_read_hdr(r, TOK_WRAP, &f->h, &raw))
        return bt_fail(minor, GSS_S_DEFECTIVE_TOKEN, BT_E_TOKEN_HEADER);
    memcpy(f->raw, raw, HDR_LEN);
    major = bt_k5tok_check_flags(minor, ctx, f->h.flags);
    if (major != GSS_S_COMPLETE)
        return major;
    return bt_k5iov_part_sizes(minor, k, ctx, (f->h.flags & FLAG_SEALED) != 0,
                               f->h.ec, &f->p);
}

/* HEADER = token header | confounder, TRAILER = trailer part, RRC 0; or,
 * without TRAILER, HEADER = token header | trailer part | confounder with
 * RRC the trailer part's length. */
static OM_uint32
locate_split(OM_uint32 *minor, krb5_context k, const struct bt_krb5_ctx *ctx,
             const struct bt_k5iov_layout *l, struct found *f)
{
    struct bt_reader r, t;
    const uint8_t *conf, *tail;
    OM_uint32 major;

    bt_rd_init(&r, l->header->buffer.value, l->header->buffer.length);
    if ((major = read_head(minor, k, ctx, &r, f)) != GSS_S_COMPLETE)
        return major;
    if (l->trailer != NULL) {
        bt_rd_init(&t, l->trailer->buffer.value, l->trailer->buffer.length);
        tail = bt_rd_bytes(&t, f->p.tail);
        conf = bt_rd_bytes(&r, f->p.conf);
        if (f->h.rrc != 0 || bt_rd_remaining(&t) != 0)
            return sizes_error(minor);
    } else {
        tail = bt_rd_bytes(&r, f->p.tail);
        conf = bt_rd_bytes(&r, f->p.conf);
        if (f->h.rrc != f->p.tail)
            return sizes_error(minor);
    }
    if (tail == NULL || conf == NULL || bt_rd_remaining(&r) != 0)
        return sizes_error(minor);
    f->conf = writable(conf);
    f->tail = writable(tail);
    return GSS_S_COMPLETE;
}

/* Left rotation by rot in place (undoes the sender's RRC), by three
 * reversals. */
static void
reverse(uint8_t *p, size_t n)
{
    for (size_t i = 0; i < n / 2; i++) {
        uint8_t c = p[i];

        p[i] = p[n - 1 - i];
        p[n - 1 - i] = c;
    }
}

static void
rotate_left(uint8_t *p, size_t n, size_t rot)
{
    reverse(p, rot);
    reverse(p + rot, n - rot);
    reverse(p, n);
}

/* STREAM = a whole token; afterwards *data, *dlen is its data, in place. */
static OM_uint32
locate_stream(OM_uint32 *minor, krb5_context k, const struct bt_krb5_ctx *ctx,
              const struct bt_k5iov_layout *l, struct found *f,
              uint8_t **data, size_t *dlen)
{
    struct bt_reader r;
    const uint8_t *body;
    uint8_t *b;
    size_t n;
    OM_uint32 major;

    bt_rd_init(&r, l->stream->buffer.value, l->stream->buffer.length);
    if ((major = read_head(minor, k, ctx, &r, f)) != GSS_S_COMPLETE)
        return major;
    body = bt_rd_rest(&r, &n);
    if (body == NULL || n < f->p.conf + f->p.tail)
        return sizes_error(minor);
    b = writable(body);
    rotate_left(b, n, f->h.rrc % n);
    f->conf = b;
    *data = b + f->p.conf;
    *dlen = n - f->p.conf - f->p.tail;
    f->tail = *data + *dlen;
    return GSS_S_COMPLETE;
}

/* Decrypts in place and checks the MAC and the encrypted header copy. */
static OM_uint32
open_sealed(OM_uint32 *minor, krb5_context k, const struct bt_krb5_ctx *ctx,
            gss_iov_buffer_desc *iov, int n, const struct bt_k5iov_layout *l,
            const struct found *f)
{
    krb5_crypto_iov *v = calloc((size_t)l->n_signed + 3, sizeof(*v));
    const uint8_t *copy = f->tail + f->h.ec;
    krb5_error_code ret;
    size_t m = 0;

    if (v == NULL)
        return bt_fail(minor, GSS_S_FAILURE, ENOMEM);
    bt_k5iov_kset(&v[m++], KRB5_CRYPTO_TYPE_HEADER, f->conf, f->p.conf);
    m += bt_k5iov_add_payload(v + m, iov, n);
    bt_k5iov_kset(&v[m++], KRB5_CRYPTO_TYPE_DATA, f->tail,
                  (size_t)f->h.ec + HDR_LEN);
    bt_k5iov_kset(&v[m++], KRB5_CRYPTO_TYPE_TRAILER,
                  f->tail + f->h.ec + HDR_LEN, f->p.mac);
    ret = krb5_k_decrypt_iov(k, ctx->key, bt_k5tok_usage(ctx, false, true),
                             NULL, v, m);
    free(v);
    if (ret != 0) {
        bt_k5iov_wipe_data(iov, n);
        return bt_fail(minor, GSS_S_BAD_SIG, (OM_uint32)ret);
    }
    /* The copy must repeat the header; RRC alone may differ. */
    if (CRYPTO_memcmp(copy, f->raw, 6) != 0 ||
        CRYPTO_memcmp(copy + 8, f->raw + 8, 8) != 0) {
        bt_k5iov_wipe_data(iov, n);
        return bt_fail(minor, GSS_S_DEFECTIVE_TOKEN, BT_E_ENCRYPTED_HEADER);
    }
    return GSS_S_COMPLETE;
}

/* Verifies a checksum over the payload and a 16-octet header. */
static OM_uint32
check_sum(OM_uint32 *minor, krb5_context k, const struct bt_krb5_ctx *ctx,
          gss_iov_buffer_desc *iov, int n, const struct bt_k5iov_layout *l,
          bool seal, uint8_t hdr[HDR_LEN], uint8_t *ck, size_t ck_len)
{
    krb5_crypto_iov *v = calloc((size_t)l->n_signed + 2, sizeof(*v));
    krb5_boolean valid = FALSE;
    krb5_error_code ret;
    size_t m;

    if (v == NULL)
        return bt_fail(minor, GSS_S_FAILURE, ENOMEM);
    m = bt_k5iov_add_payload(v, iov, n);
    bt_k5iov_kset(&v[m++], KRB5_CRYPTO_TYPE_DATA, hdr, HDR_LEN);
    bt_k5iov_kset(&v[m++], KRB5_CRYPTO_TYPE_CHECKSUM, ck, ck_len);
    ret = krb5_k_verify_checksum_iov(k, 0, ctx->key,
                                     bt_k5tok_usage(ctx, false, seal), v, m,
                                     &valid);
    free(v);
    if (ret != 0)
        return bt_fail(minor, GSS_S_BAD_SIG, (OM_uint32)ret);
    return valid ? GSS_S_COMPLETE
                 : bt_fail(minor, GSS_S_BAD_SIG,
                           (OM_uint32)KRB5KRB_AP_ERR_MODIFIED);
}

static OM_uint32
finish(OM_uint32 *minor, krb5_context k, struct bt_krb5_ctx *ctx,
       gss_iov_buffer_desc *iov, int n, const struct bt_k5iov_layout *l,
       struct found *f, int *conf_state, gss_qop_t *qop)
{
    bool sealed = (f->h.flags & FLAG_SEALED) != 0;
    struct hdr zh = f->h;
    uint8_t zhdr[HDR_LEN];
    OM_uint32 major;

    if (sealed) {
        major = open_sealed(minor, k, ctx, iov, n, l, f);
    } else if (f->h.ec != f->p.mac) {
        major = bt_fail(minor, GSS_S_DEFECTIVE_TOKEN, BT_E_TOKEN_HEADER);
    } else {
        zh.ec = zh.rrc = 0;
        bt_k5tok_write_hdr(zhdr, &zh);
        major = check_sum(minor, k, ctx, iov, n, l, true, zhdr, f->tail,
                          f->p.mac);
    }
    if (major != GSS_S_COMPLETE)
        return major;
    *conf_state = sealed ? 1 : 0;
    *qop = GSS_C_QOP_DEFAULT;
    *minor = 0;
    return bt_seqstate_check(&ctx->recv, f->h.seq);
}

/* STREAM: exactly one DATA buffer, pointed at the data on success. */
static OM_uint32
unwrap_stream(OM_uint32 *minor, krb5_context k, struct bt_krb5_ctx *ctx,
              gss_iov_buffer_desc *iov, int n,
              const struct bt_k5iov_layout *l, int *conf_state,
              gss_qop_t *qop)
{
    gss_iov_buffer_desc saved;
    struct found f;
    uint8_t *data = NULL;
    size_t dlen = 0;
    OM_uint32 major;

    if (l->n_data != 1 || l->header != NULL || l->trailer != NULL)
        return bt_fail(minor, GSS_S_FAILURE, BT_E_IOV_LAYOUT);
    major = locate_stream(minor, k, ctx, l, &f, &data, &dlen);
    if (major != GSS_S_COMPLETE)
        return major;
    saved = *l->data;
    l->data->type &= ~(OM_uint32)GSS_IOV_BUFFER_FLAG_ALLOCATED;
    l->data->buffer.value = data;
    l->data->buffer.length = dlen;
    major = finish(minor, k, ctx, iov, n, l, &f, conf_state, qop);
    if (GSS_ERROR(major))
        *l->data = saved;
    else if (saved.type & GSS_IOV_BUFFER_FLAG_ALLOCATED)
        bt_free_secret(saved.buffer.value, saved.buffer.length);
    return major;
}

OM_uint32
bt_krb5_unwrap_iov(OM_uint32 *minor, void *mctx, int *conf_state,
                   gss_qop_t *qop, gss_iov_buffer_desc *iov, int n)
{
    struct bt_krb5_ctx *ctx = mctx;
    struct bt_k5iov_layout l;
    struct found f;
    OM_uint32 major;
    krb5_context k = bt_k5tok_ready(minor, ctx, &major);

    if (k == NULL)
        return major;
    if ((major = bt_k5iov_scan(minor, iov, n, &l)) != GSS_S_COMPLETE)
        return major;
    if (l.mic != NULL)
        return bt_fail(minor, GSS_S_FAILURE, BT_E_IOV_LAYOUT);
    if (l.stream != NULL)
        return unwrap_stream(minor, k, ctx, iov, n, &l, conf_state, qop);
    if (l.header == NULL)
        return bt_fail(minor, GSS_S_FAILURE, BT_E_IOV_LAYOUT);
    major = locate_split(minor, k, ctx, &l, &f);
    if (major != GSS_S_COMPLETE)
        return major;
    return finish(minor, k, ctx, iov, n, &l, &f, conf_state, qop);
}

OM_uint32
bt_krb5_verify_mic_iov(OM_uint32 *minor, void *mctx, gss_qop_t *qop,
                       gss_iov_buffer_desc *iov, int n)
{
    struct bt_krb5_ctx *ctx = mctx;
    struct bt_k5iov_layout l;
    struct hdr h;
    const uint8_t *raw, *got;
    uint8_t hdr[HDR_LEN], ck[64];
    size_t ck_len;
    OM_uint32 major;
    krb5_context k;

    if ((major = bt_k5iov_scan(minor, iov, n, &l)) != GSS_S_COMPLETE)
        return major;
    if (l.mic == NULL)
        return bt_fail(minor, GSS_S_FAILURE, BT_E_IOV_LAYOUT);
    k = bt_k5tok_read_token(minor, ctx, &l.mic->buffer, TOK_MIC, &h, &raw,
                            &got, &ck_len, &major);
    if (k == NULL)
        return major;
    if (ck_len != bt_k5tok_checksum_len(k, ctx) || ck_len > sizeof(ck))
        return bt_fail(minor, GSS_S_BAD_SIG,
                       (OM_uint32)KRB5KRB_AP_ERR_MODIFIED);
    memcpy(hdr, raw, HDR_LEN);
    memcpy(ck, got, ck_len);
    major = check_sum(minor, k, ctx, iov, n, &l, false, hdr, ck, ck_len);
    if (major != GSS_S_COMPLETE)
        return major;
    *qop = GSS_C_QOP_DEFAULT;
    *minor = 0;
    return bt_seqstate_check(&ctx->recv, h.seq);
}
