/*
 * iov_wrap.c - the sending IOV calls for Kerberos: gss_wrap_iov,
 * gss_wrap_iov_length, gss_get_mic_iov and gss_get_mic_iov_length.  The
 * layout across the buffers is described in iov.c.
 */
#include "mech/krb5/iov.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "glue/glue.h"

/* Where a Wrap token's parts go in the caller's buffers. */
struct place {
    uint8_t *hdr, *conf, *tail;
    uint16_t rrc;
};

static void
unprovide_all(const struct bt_k5iov_layout *l)
{
    bt_k5iov_unprovide(l->header);
    bt_k5iov_unprovide(l->trailer);
}

/* Sizes (length_only) or provides the HEADER, TRAILER and PADDING. */
static OM_uint32
place_parts(OM_uint32 *minor, const struct bt_k5iov_layout *l,
            const struct bt_k5iov_parts *p, bool length_only,
            struct place *pl)
{
    size_t hlen = HDR_LEN + p->conf + (l->trailer != NULL ? 0 : p->tail);
    OM_uint32 major;

    if (length_only) {
        bt_iov_drop(l->header);
        bt_iov_drop(l->trailer);
        bt_iov_drop(l->padding);
        l->header->buffer.length = hlen;
        if (l->trailer != NULL)
            l->trailer->buffer.length = p->tail;
        if (l->padding != NULL)
            l->padding->buffer.length = 0;
        return GSS_S_COMPLETE;
    }
    /* Nothing changes unless every part fits. */
    if (!bt_k5iov_fits(l->header, hlen) ||
        (l->trailer != NULL && !bt_k5iov_fits(l->trailer, p->tail)))
        return bt_fail(minor, GSS_S_FAILURE, BT_E_IOV_SMALL);
    major = bt_k5iov_provide(minor, l->header, hlen);
    if (major == GSS_S_COMPLETE && l->trailer != NULL)
        major = bt_k5iov_provide(minor, l->trailer, p->tail);
    if (major == GSS_S_COMPLETE && l->padding != NULL)
        major = bt_k5iov_provide(minor, l->padding, 0);
    if (major != GSS_S_COMPLETE) {
        unprovide_all(l);
        return major;
    }
    pl->hdr = l->header->buffer.value;
    if (l->trailer != NULL) {
        pl->conf = pl->hdr + HDR_LEN;
        pl->tail = l->trailer->buffer.value;
        pl->rrc = 0;
    } else {
        pl->tail = pl->hdr + HDR_LEN;
        pl->conf = pl->tail + p->tail;
        pl->rrc = (uint16_t)p->tail;
    }
    return GSS_S_COMPLETE;
}

/* RFC 4121 4.2.4 confidential Wrap: E(confounder | data | header copy),
 * the copy's RRC zero; SIGN_ONLY buffers enter only the MAC. */
static krb5_error_code
seal(krb5_context k, struct bt_krb5_ctx *ctx, gss_iov_buffer_desc *iov,
     int n, const struct bt_k5iov_layout *l, const struct bt_k5iov_parts *p,
     const struct place *pl)
{
    struct hdr h = { TOK_WRAP, bt_k5tok_own_flags(ctx) | FLAG_SEALED, 0,
                     pl->rrc, ctx->send_seq };
    krb5_crypto_iov *v = calloc((size_t)l->n_signed + 3, sizeof(*v));
    krb5_error_code ret;
    size_t m = 0;

    if (v == NULL)
        return ENOMEM;
    bt_k5tok_write_hdr(pl->hdr, &h);
    h.rrc = 0;
    bt_k5tok_write_hdr(pl->tail, &h);
    bt_k5iov_kset(&v[m++], KRB5_CRYPTO_TYPE_HEADER, pl->conf, p->conf);
    m += bt_k5iov_add_payload(v + m, iov, n);
    bt_k5iov_kset(&v[m++], KRB5_CRYPTO_TYPE_DATA, pl->tail, HDR_LEN);
    bt_k5iov_kset(&v[m++], KRB5_CRYPTO_TYPE_TRAILER, pl->tail + HDR_LEN,
                  p->mac);
    ret = krb5_k_encrypt_iov(k, ctx->key, bt_k5tok_usage(ctx, true, true),
                             NULL, v, m);
    free(v);
    return ret;
}

/* RFC 4121 4.2.4 integrity-only Wrap: the checksum over the data and the
 * header with EC and RRC zero; the sent header has EC = checksum length. */
static krb5_error_code
sign(krb5_context k, struct bt_krb5_ctx *ctx, gss_iov_buffer_desc *iov,
     int n, const struct bt_k5iov_layout *l, const struct bt_k5iov_parts *p,
     const struct place *pl)
{
    struct hdr h = { TOK_WRAP, bt_k5tok_own_flags(ctx), 0, 0, ctx->send_seq };
    krb5_crypto_iov *v = calloc((size_t)l->n_signed + 2, sizeof(*v));
    uint8_t zhdr[HDR_LEN];
    krb5_error_code ret;
    size_t m;

    if (v == NULL)
        return ENOMEM;
    bt_k5tok_write_hdr(zhdr, &h);
    h.ec = (uint16_t)p->mac;
    h.rrc = pl->rrc;
    bt_k5tok_write_hdr(pl->hdr, &h);
    m = bt_k5iov_add_payload(v, iov, n);
    bt_k5iov_kset(&v[m++], KRB5_CRYPTO_TYPE_DATA, zhdr, HDR_LEN);
    bt_k5iov_kset(&v[m++], KRB5_CRYPTO_TYPE_CHECKSUM, pl->tail, p->mac);
    ret = krb5_k_make_checksum_iov(k, 0, ctx->key,
                                   bt_k5tok_usage(ctx, true, true), v, m);
    free(v);
    return ret;
}

OM_uint32
bt_krb5_wrap_iov(OM_uint32 *minor, void *mctx, int conf_req, gss_qop_t qop,
                 bool length_only, int *conf_state, gss_iov_buffer_desc *iov,
                 int n)
{
    struct bt_krb5_ctx *ctx = mctx;
    struct bt_k5iov_layout l;
    struct bt_k5iov_parts p;
    struct place pl = { NULL, NULL, NULL, 0 };
    krb5_error_code ret;
    OM_uint32 major;
    krb5_context k = bt_k5tok_ready_qop(minor, ctx, qop, &major);

    if (k == NULL)
        return major;
    if ((major = bt_k5iov_scan(minor, iov, n, &l)) != GSS_S_COMPLETE)
        return major;
    if (l.header == NULL || l.stream != NULL || l.mic != NULL)
        return bt_fail(minor, GSS_S_FAILURE, BT_E_IOV_LAYOUT);
    major = bt_k5iov_part_sizes(minor, k, ctx, conf_req != 0, 0, &p);
    if (major == GSS_S_COMPLETE)
        major = place_parts(minor, &l, &p, length_only, &pl);
    if (major != GSS_S_COMPLETE)
        return major;
    if (!length_only) {
        ret = conf_req ? seal(k, ctx, iov, n, &l, &p, &pl)
                       : sign(k, ctx, iov, n, &l, &p, &pl);
        if (ret != 0) {
            unprovide_all(&l);
            return bt_krb5_gss_error(minor, ret);
        }
        ctx->send_seq++;
    }
    *conf_state = conf_req ? 1 : 0;
    *minor = 0;
    return GSS_S_COMPLETE;
}

/* The MIC token over the DATA and SIGN_ONLY buffers, into MIC_TOKEN. */
static krb5_error_code
mic_iov(krb5_context k, struct bt_krb5_ctx *ctx, gss_iov_buffer_desc *iov,
        int n, const struct bt_k5iov_layout *l, size_t ck)
{
    struct hdr h = { TOK_MIC, bt_k5tok_own_flags(ctx), 0, 0, ctx->send_seq };
    krb5_crypto_iov *v = calloc((size_t)l->n_signed + 2, sizeof(*v));
    uint8_t *tok = l->mic->buffer.value;
    krb5_error_code ret;
    size_t m;

    if (v == NULL)
        return ENOMEM;
    bt_k5tok_write_hdr(tok, &h);
    m = bt_k5iov_add_payload(v, iov, n);
    bt_k5iov_kset(&v[m++], KRB5_CRYPTO_TYPE_DATA, tok, HDR_LEN);
    bt_k5iov_kset(&v[m++], KRB5_CRYPTO_TYPE_CHECKSUM, tok + HDR_LEN, ck);
    ret = krb5_k_make_checksum_iov(k, 0, ctx->key,
                                   bt_k5tok_usage(ctx, true, false), v, m);
    free(v);
    return ret;
}

OM_uint32
bt_krb5_get_mic_iov(OM_uint32 *minor, void *mctx, gss_qop_t qop,
                    bool length_only, gss_iov_buffer_desc *iov, int n)
{
    struct bt_krb5_ctx *ctx = mctx;
    struct bt_k5iov_layout l;
    krb5_error_code ret;
    OM_uint32 major;
    size_t ck;
    krb5_context k = bt_k5tok_ready_qop(minor, ctx, qop, &major);

    if (k == NULL)
        return major;
    if ((major = bt_k5iov_scan(minor, iov, n, &l)) != GSS_S_COMPLETE)
        return major;
    if (l.mic == NULL)
        return bt_fail(minor, GSS_S_FAILURE, BT_E_IOV_LAYOUT);
    if ((ck = bt_k5tok_checksum_len(k, ctx)) == 0)
        return bt_fail(minor, GSS_S_FAILURE, KRB5_BAD_ENCTYPE);
    if (length_only) {
        bt_iov_drop(l.mic);
        l.mic->buffer.length = HDR_LEN + ck;
        *minor = 0;
        return GSS_S_COMPLETE;
    }
    major = bt_k5iov_provide(minor, l.mic, HDR_LEN + ck);
    if (major != GSS_S_COMPLETE)
        return major;
    if ((ret = mic_iov(k, ctx, iov, n, &l, ck)) != 0) {
        bt_k5iov_unprovide(l.mic);
        return bt_krb5_gss_error(minor, ret);
    }
    ctx->send_seq++;
    *minor = 0;
    return GSS_S_COMPLETE;
}
