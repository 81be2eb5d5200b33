/*
 * spnego_tokens.h - the input reader and the negotiation tokens of the
 * SPNEGO state-machine targets (spnego_fixture.h): a small DER writer,
 * independent of src/mech/spnego/negtoken.c, the OIDs the tokens offer,
 * and NegTokenInit and NegTokenResp around them.
 */
#ifndef BATON_FUZZ_SPNEGO_TOKENS_H_
#define BATON_FUZZ_SPNEGO_TOKENS_H_

#include "krb5_fixture.h"
#include "mech/spnego/negtoken.h"
#include "util/der.h"
#include "util/reader.h"

/* ---- input ------------------------------------------------------------ */

struct sx_in {
    const uint8_t *p;
    size_t n;
};

/* The next octet, 0 once the input is used up. */
static inline uint8_t
sx_u8(struct sx_in *in)
{
    if (in->n == 0)
        return 0;
    in->n--;
    return *in->p++;
}

/* Up to *len octets (fewer if the input ends). */
static inline const uint8_t *
sx_take(struct sx_in *in, size_t *len)
{
    const uint8_t *p = in->p;

    if (*len > in->n)
        *len = in->n;
    in->p += *len;
    in->n -= *len;
    return p;
}

/* ---- DER -------------------------------------------------------------- */

struct sx_buf {
    uint8_t *p;
    size_t len, cap;
};

/* Appends n octets (allocating even for none: a buffer that was put to
 * is present, if empty). */
static inline void
sx_put(struct sx_buf *b, const void *p, size_t n)
{
    if (b->p == NULL || b->len + n > b->cap) {
        size_t cap = (b->len + n) * 2 + 64;

        b->p = realloc(b->p, cap);
        FX_CHECK(b->p != NULL);
        b->cap = cap;
    }
    if (n > 0)
        memcpy(b->p + b->len, p, n);
    b->len += n;
}

/* Appends tag, DER length and the n octets at p. */
static inline void
sx_tlv(struct sx_buf *b, uint8_t tag, const void *p, size_t n)
{
    uint8_t hdr[16];
    size_t hl;

    hdr[0] = tag;
    hl = 1 + fx_der_len(hdr + 1, n);
    sx_put(b, hdr, hl);
    sx_put(b, p, n);
}

/* Appends tag around the whole of inner, then empties inner. */
static inline void
sx_wrap(struct sx_buf *b, uint8_t tag, struct sx_buf *inner)
{
    sx_tlv(b, tag, inner->p, inner->len);
    inner->len = 0;
}

static inline void
sx_free(struct sx_buf *b)
{
    free(b->p);
    memset(b, 0, sizeof(*b));
}

/* A buffer as a GSS buffer (a view). */
static inline gss_buffer_desc
sx_gbuf(const struct sx_buf *b)
{
    gss_buffer_desc g = { b->len, b->p };

    return g;
}

/* ---- OIDs ------------------------------------------------------------- */

enum sx_oid_id {
    SX_KRB5, SX_KRB5_MS, SX_KRB5_OLD, SX_SPNEGO, SX_KRB5_NEAR, SX_IAKERB,
    SX_NTLM, SX_N_OIDS
};

/* OID contents (no tag): Kerberos under its three names, SPNEGO itself,
 * a near miss of Kerberos, and two mechanisms Baton does not have. */
static const struct {
    const char *p;
    size_t n;
} sx_oids[SX_N_OIDS] = {
    { "\x2a\x86\x48\x86\xf7\x12\x01\x02\x02", 9 },
    { "\x2a\x86\x48\x82\xf7\x12\x01\x02\x02", 9 },
    { "\x2b\x05\x01\x05\x02", 5 },
    { "\x2b\x06\x01\x05\x05\x02", 6 },
    { "\x2a\x86\x48\x86\xf7\x12\x01\x02\x03", 9 },
    { "\x2b\x06\x01\x05\x02\x05", 6 },
    { "\x2b\x06\x01\x04\x01\x82\x37\x02\x02\x0a", 10 },
};

static inline gss_OID_desc
sx_oid(enum sx_oid_id id)
{
    gss_OID_desc o = { (OM_uint32)sx_oids[id].n, (void *)sx_oids[id].p };

    return o;
}

static inline bool
sx_is(const uint8_t *p, size_t n, enum sx_oid_id id)
{
    return n == sx_oids[id].n && memcmp(p, sx_oids[id].p, n) == 0;
}

/* The table's OID for id, or -1 for an OID it does not list. */
static inline int
sx_oid_id_of(const uint8_t *p, size_t n)
{
    for (int i = 0; i < SX_N_OIDS; i++) {
        if (sx_is(p, n, (enum sx_oid_id)i))
            return i;
    }
    return -1;
}

/* Appends an OBJECT IDENTIFIER chosen by sel: the table's (sel & 7 < 7),
 * or contents from the input (a length octet, up to 32 octets). */
static inline void
sx_put_oid(struct sx_buf *b, uint8_t sel, struct sx_in *in)
{
    const uint8_t *p;
    size_t n;

    if ((sel & 7) < SX_N_OIDS) {
        sx_tlv(b, 0x06, sx_oids[sel & 7].p, sx_oids[sel & 7].n);
        return;
    }
    n = sx_u8(in) % 33;
    p = sx_take(in, &n);
    sx_tlv(b, 0x06, p, n);
}

/* ---- negotiation tokens (RFC 4178 4.2) -------------------------------- */

/* True if the RFC 2743 framing of a first token can be read and names
 * another mechanism than SPNEGO (the glue then never calls SPNEGO). */
static inline bool
sx_framed_other(const void *p, size_t n)
{
    struct bt_reader r, oid, body;
    const uint8_t *o;
    size_t len;

    bt_rd_init(&r, p, n);
    bt_der_rd_token(&r, &oid, &body);
    if (!bt_rd_ok(&r))
        return false;
    o = bt_rd_rest(&oid, &len);
    return !sx_is(o, len, SX_SPNEGO);
}

/* Appends [n] { OCTET STRING p } when p is not NULL. */
static inline void
sx_put_octets(struct sx_buf *b, uint8_t n, const void *p, size_t len)
{
    struct sx_buf t = { 0 };

    if (p == NULL)
        return;
    sx_tlv(&t, 0x04, len > 0 ? p : "", len);
    sx_wrap(b, (uint8_t)(0xa0 | n), &t);
    sx_free(&t);
}

/* Wraps the NegTokenInit fields in f (the SEQUENCE's contents) into the
 * RFC 2743 framed initial token. */
static inline void
sx_frame_init(struct sx_buf *out, struct sx_buf *f)
{
    struct sx_buf s = { 0 }, t = { 0 };

    sx_wrap(&s, 0x30, f);
    sx_wrap(&t, 0xa0, &s);
    sx_tlv(&s, 0x06, sx_oids[SX_SPNEGO].p, sx_oids[SX_SPNEGO].n);
    sx_put(&s, t.p, t.len);
    sx_wrap(out, 0x60, &s);
    sx_free(&s);
    sx_free(&t);
}

/* A NegTokenResp: state < 0 omits negState (a value over 3 is written as
 * it is); oid (complete TLV), token and mic may be NULL. */
static inline void
sx_resp(struct sx_buf *out, int state, const struct sx_buf *oid,
        const void *tok, size_t tok_len, const void *mic, size_t mic_len)
{
    struct sx_buf f = { 0 }, t = { 0 };
    uint8_t e = (uint8_t)state;

    if (state >= 0) {
        sx_tlv(&t, 0x0a, &e, 1);
        sx_wrap(&f, 0xa0, &t);
    }
    if (oid != NULL)
        sx_tlv(&f, 0xa1, oid->p, oid->len);
    sx_put_octets(&f, 2, tok, tok_len);
    sx_put_octets(&f, 3, mic, mic_len);
    sx_wrap(&t, 0x30, &f);
    sx_wrap(out, 0xa1, &t);
    sx_free(&f);
    sx_free(&t);
}

#endif /* BATON_FUZZ_SPNEGO_TOKENS_H_ */
