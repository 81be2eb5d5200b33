/*
 * hostile_keyed.h - for the hostile_keyed_*_realmtest.c files, which play
 * a peer that holds the keys: the ticket's session key (read from the
 * initiator's ccache) and the acceptor subkey (from the genuine AP-REP),
 * with libkrb5 alone; a small DER writer and reader to take Kerberos
 * messages apart and build them again.
 */
#ifndef BATON_TESTS_MECH_KRB5_HOSTILE_KEYED_H_
#define BATON_TESTS_MECH_KRB5_HOSTILE_KEYED_H_

#include "mech/krb5/hostile.h"

#include <krb5.h>

static krb5_context kc;

/* ---- bytes and DER ---------------------------------------------------- */

struct bytes {
    uint8_t *p;
    size_t n;
};

static inline struct bytes
b_raw(const void *p, size_t n)
{
    struct bytes b = { malloc(n + 1), n };

    if (b.p == NULL)
        abort();
    if (n > 0)
        memcpy(b.p, p, n);
    return b;
}

/* a || b; consumes both. */
static inline struct bytes
b_cat(struct bytes a, struct bytes b)
{
    struct bytes c = { realloc(a.p, a.n + b.n + 1), a.n + b.n };

    if (c.p == NULL)
        abort();
    if (b.n > 0)
        memcpy(c.p + a.n, b.p, b.n);
    free(b.p);
    return c;
}

/* tag, DER length, v; consumes v. */
static inline struct bytes
b_tlv(uint8_t tag, struct bytes v)
{
    uint8_t h[4] = { tag };
    size_t k = 1;

    if (v.n >= 0x100) {
        h[k++] = 0x82;
        h[k++] = (uint8_t)(v.n >> 8);
    } else if (v.n >= 0x80) {
        h[k++] = 0x81;
    }
    h[k++] = (uint8_t)v.n;
    return b_cat(b_raw(h, k), v);
}

static inline struct bytes
b_int(int64_t v)
{
    uint8_t buf[8];
    size_t s = 0;

    for (int i = 0; i < 8; i++)
        buf[i] = (uint8_t)((uint64_t)v >> (56 - 8 * i));
    while (s < 7 && ((buf[s] == 0 && !(buf[s + 1] & 0x80)) ||
                     (buf[s] == 0xff && (buf[s + 1] & 0x80))))
        s++;
    return b_tlv(0x02, b_raw(buf + s, 8 - s));
}

/* A reader over DER that fails softly (ok false, empty results). */
struct rd {
    const uint8_t *p, *end;
    bool ok;
};

static inline struct rd
rd_sub(struct rd *r, uint8_t tag)
{
    struct rd s = { r->p, r->p, false };
    size_t n, k;

    if (!r->ok || r->end - r->p < 2 || r->p[0] != tag)
        return r->ok = false, s;
    n = r->p[1];
    s.p += 2;
    if (n & 0x80) {
        for (k = n & 0x7f, n = 0; k > 0 && s.p < r->end; k--)
            n = n << 8 | *s.p++;
    }
    if ((size_t)(r->end - s.p) < n)
        return r->ok = false, s;
    s.end = s.p + n;
    s.ok = true;
    r->p = s.end;
    return s;
}

static inline int64_t
rd_int(struct rd *r, uint8_t ctx_tag)
{
    struct rd w = rd_sub(r, ctx_tag), i = rd_sub(&w, 0x02);
    uint64_t v = i.p < i.end && (i.p[0] & 0x80) ? UINT64_MAX : 0;

    r->ok = r->ok && i.ok;
    for (; i.p < i.end; i.p++)
        v = v << 8 | *i.p;
    return (int64_t)v;
}

/* ---- the AP-REP ------------------------------------------------------- */

/* EncAPRepPart (RFC 4120 5.5.2) as fields, to encode again with changes. */
struct rep {
    uint8_t app;                /* 0x7b, [APPLICATION 27] */
    char ctime[24];
    int64_t cusec;
    bool has_subkey, has_seq;
    int64_t keytype, seq;
    uint8_t key[64];
    size_t keylen;
};

static inline struct bytes
enc_part(const struct rep *r)
{
    struct bytes s, k;

    s = b_tlv(0xa0, b_tlv(0x18, b_raw(r->ctime, strlen(r->ctime))));
    s = b_cat(s, b_tlv(0xa1, b_int(r->cusec)));
    if (r->has_subkey) {
        k = b_cat(b_tlv(0xa0, b_int(r->keytype)),
                  b_tlv(0xa1, b_tlv(0x04, b_raw(r->key, r->keylen))));
        s = b_cat(s, b_tlv(0xa2, b_tlv(0x30, k)));
    }
    if (r->has_seq)
        s = b_cat(s, b_tlv(0xa3, b_int(r->seq)));
    return b_tlv(r->app, b_tlv(0x30, s));
}

static inline bool
parse_enc_part(const uint8_t *p, size_t n, struct rep *r)
{
    struct rd all = { p, p + n, true }, app, seq, t, sk, kv;

    memset(r, 0, sizeof(*r));
    r->app = 0x7b;
    app = rd_sub(&all, 0x7b);
    seq = rd_sub(&app, 0x30);
    t = rd_sub(&seq, 0xa0);
    t = rd_sub(&t, 0x18);
    if (!t.ok || t.end - t.p >= (long)sizeof(r->ctime))
        return false;
    memcpy(r->ctime, t.p, (size_t)(t.end - t.p));
    r->cusec = rd_int(&seq, 0xa1);
    if (seq.ok && seq.p < seq.end && seq.p[0] == 0xa2) {
        sk = rd_sub(&seq, 0xa2);
        sk = rd_sub(&sk, 0x30);
        r->keytype = rd_int(&sk, 0xa0);
        kv = rd_sub(&sk, 0xa1);
        kv = rd_sub(&kv, 0x04);
        r->has_subkey = kv.ok && kv.end - kv.p <= (long)sizeof(r->key);
        r->keylen = r->has_subkey ? (size_t)(kv.end - kv.p) : 0;
        memcpy(r->key, kv.p, r->keylen);
    }
    if (seq.ok && seq.p < seq.end && seq.p[0] == 0xa3) {
        r->seq = rd_int(&seq, 0xa3);
        r->has_seq = true;
    }
    return seq.ok && r->has_subkey && r->has_seq;
}

/* Frames a Kerberos message as an RFC 4121 context token. */
static inline gss_buffer_desc
frame(uint16_t tok_id, struct bytes body)
{
    static const uint8_t oid[] = { 0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7,
                                   0x12, 0x01, 0x02, 0x02 };
    uint8_t id[2] = { (uint8_t)(tok_id >> 8), (uint8_t)tok_id };
    struct bytes b;

    b = b_tlv(0x60, b_cat(b_raw(oid, sizeof(oid)),
                          b_cat(b_raw(id, 2), body)));
    return (gss_buffer_desc){ b.n, b.p };
}

static inline struct bytes
encrypt(const krb5_keyblock *key, krb5_keyusage u, struct bytes plain)
{
    krb5_data in = { KV5M_DATA, (unsigned)plain.n, (char *)plain.p };
    krb5_enc_data enc;
    size_t clen = 0;
    struct bytes out;

    memset(&enc, 0, sizeof(enc));
    CHECK(krb5_c_encrypt_length(kc, key->enctype, plain.n, &clen) == 0);
    out = (struct bytes){ malloc(clen + 1), clen };
    enc.ciphertext.data = (char *)out.p;
    enc.ciphertext.length = (unsigned)clen;
    CHECK(out.p != NULL && krb5_c_encrypt(kc, key, u, NULL, &in, &enc) == 0);
    out.n = enc.ciphertext.length;
    free(plain.p);
    return out;
}

/* An AP-REP token carrying plain (consumed), encrypted with key. */
static inline gss_buffer_desc
ap_rep(const krb5_keyblock *key, krb5_keyusage u, struct bytes plain)
{
    struct bytes ed, rep;

    ed = b_cat(b_tlv(0xa0, b_int(key->enctype)),
               b_tlv(0xa2, b_tlv(0x04, encrypt(key, u, plain))));
    rep = b_cat(b_cat(b_tlv(0xa0, b_int(5)), b_tlv(0xa1, b_int(15))),
                b_tlv(0xa2, b_tlv(0x30, ed)));
    return frame(0x0200, b_tlv(0x6f, b_tlv(0x30, rep)));
}

/* The genuine AP-REP token decrypted and parsed. */
static inline bool
read_ap_rep(const gss_buffer_desc *tok, const krb5_keyblock *key,
            struct rep *out)
{
    struct rd r = { tok->value, hostile_bytes(tok) + tok->length, true };
    struct rd body, seq, ed, c;
    krb5_enc_data enc;
    krb5_data plain = { KV5M_DATA, 0, NULL };
    bool ok;

    body = rd_sub(&r, 0x60);
    (void)rd_sub(&body, 0x06);
    body.p += 2;                                /* TOK_ID */
    body = rd_sub(&body, 0x6f);
    seq = rd_sub(&body, 0x30);
    (void)rd_int(&seq, 0xa0);
    (void)rd_int(&seq, 0xa1);
    ed = rd_sub(&seq, 0xa2);
    ed = rd_sub(&ed, 0x30);
    (void)rd_int(&ed, 0xa0);
    c = rd_sub(&ed, 0xa2);
    c = rd_sub(&c, 0x04);
    if (!c.ok)
        return false;
    memset(&enc, 0, sizeof(enc));
    enc.enctype = key->enctype;
    enc.ciphertext.data = (char *)c.p;
    enc.ciphertext.length = (unsigned)(c.end - c.p);
    plain.length = enc.ciphertext.length;
    plain.data = malloc(plain.length);
    ok = plain.data != NULL &&
         krb5_c_decrypt(kc, key, KRB5_KEYUSAGE_AP_REP_ENCPART, NULL, &enc,
                        &plain) == 0 &&
         parse_enc_part((uint8_t *)plain.data, plain.length, out);
    free(plain.data);
    return ok;
}

/* The service ticket's session key, from the initiator's ccache. */
static inline krb5_keyblock *
session_key(void)
{
    krb5_ccache cc = NULL;
    krb5_creds mc, cr;
    krb5_keyblock *key = NULL;

    memset(&mc, 0, sizeof(mc));
    memset(&cr, 0, sizeof(cr));
    if (krb5_cc_default(kc, &cc) == 0 &&
        krb5_cc_get_principal(kc, cc, &mc.client) == 0 &&
        krb5_parse_name(kc, getenv("BATON_SERVICE_PRINC"), &mc.server) == 0 &&
        krb5_cc_retrieve_cred(kc, cc, 0, &mc, &cr) == 0) {
        CHECK(krb5_copy_keyblock(kc, &cr.keyblock, &key) == 0);
        krb5_free_cred_contents(kc, &cr);
    }
    krb5_free_principal(kc, mc.client);
    krb5_free_principal(kc, mc.server);
    if (cc != NULL)
        krb5_cc_close(kc, cc);
    CHECK(key != NULL);
    return key;
}

/* A pair whose initiator waits for the AP-REP held here; the AP-REQ the
 * acceptor took, the keys, the AP-REP's fields. */
struct setup {
    struct hostile_pair p;
    gss_buffer_desc itok, atok;
    krb5_keyblock *session;
    struct rep rep;
    krb5_keyblock subkey;
};

static inline bool
set_up(struct setup *s)
{
    OM_uint32 minor = 0;

    memset(s, 0, sizeof(*s));
    if (kc == NULL && krb5_init_context(&kc) != 0)
        return false;
    if (hostile_init_first(&s->p.init, HOSTILE_FLAGS, &s->itok) !=
        GSS_S_CONTINUE_NEEDED)
        return false;
    CHECK_MAJOR(hostile_accept(&s->p.acc, GSS_C_NO_CREDENTIAL, &s->itok,
                               &s->atok, &minor), GSS_S_COMPLETE);
    s->session = session_key();
    if (s->session == NULL || !read_ap_rep(&s->atok, s->session, &s->rep)) {
        CHECK(!"the genuine AP-REP decrypts and parses");
        return false;
    }
    s->subkey.magic = KV5M_KEYBLOCK;
    s->subkey.enctype = (krb5_enctype)s->rep.keytype;
    s->subkey.length = (unsigned)s->rep.keylen;
    s->subkey.contents = s->rep.key;
    return true;
}

static inline void
tear_down(struct setup *s)
{
    OM_uint32 m;

    hostile_release(&s->p);
    gss_release_buffer(&m, &s->itok);
    gss_release_buffer(&m, &s->atok);
    krb5_free_keyblock(kc, s->session);
    krb5_free_context(kc);
    kc = NULL;
}

static inline bool
set_up_open(struct setup *s)
{
    OM_uint32 minor = 0;
    gss_buffer_desc out = GSS_C_EMPTY_BUFFER;

    if (!set_up(s))
        return false;
    CHECK_MAJOR(hostile_init_next(&s->p.init, &s->atok, &out, &minor),
                GSS_S_COMPLETE);
    gss_release_buffer(&minor, &out);
    return true;
}

#endif /* BATON_TESTS_MECH_KRB5_HOSTILE_KEYED_H_ */
