/*
 * hostile_keyed.h - for the tests that play a peer holding the keys
 * (hostile_keyed_*_realmtest.c, catalogue_realmtest.c): the ticket's
 * session key (read from the initiator's ccache) and the acceptor subkey
 * (from the genuine AP-REP), with libkrb5 alone; the genuine AP-REP and
 * AP-REQ taken apart (hostile_der.h) and built again with changes, well
 * encrypted, and given to the Baton peer.
 */
#ifndef BATON_TESTS_MECH_KRB5_HOSTILE_KEYED_H_
#define BATON_TESTS_MECH_KRB5_HOSTILE_KEYED_H_

#include "mech/krb5/hostile.h"
#include "mech/krb5/hostile_der.h"

#include <krb5.h>

static krb5_context kc;

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
    s = b_cat(s, b_ctx_int(1, r->cusec));
    if (r->has_subkey) {
        k = b_cat(b_ctx_int(0, r->keytype),
                  b_ctx_octets(1, b_raw(r->key, r->keylen)));
        s = b_cat(s, b_tlv(0xa2, b_tlv(0x30, k)));
    }
    if (r->has_seq)
        s = b_cat(s, b_ctx_int(3, r->seq));
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

    ed = b_cat(b_ctx_int(0, key->enctype),
               b_ctx_octets(2, encrypt(key, u, plain)));
    rep = b_cat(b_cat(b_ctx_int(0, 5), b_ctx_int(1, 15)),
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

/* The initiator given a forged AP-REP (consumed). */
static inline OM_uint32
give_ap_rep(struct setup *s, gss_buffer_desc tok, OM_uint32 *minor)
{
    gss_buffer_desc out = GSS_C_EMPTY_BUFFER;
    OM_uint32 major, m;

    major = hostile_init_next(&s->p.init, &tok, &out, minor);
    gss_release_buffer(&m, &out);
    free(tok.value);
    return major;
}

static inline void
try_rep(struct setup *s, const struct rep *r, OM_uint32 want,
        const char *what)
{
    OM_uint32 minor = 0, major;

    major = give_ap_rep(s, ap_rep(s->session, KRB5_KEYUSAGE_AP_REP_ENCPART,
                                  enc_part(r)), &minor);
    EXPECT(major, want, minor, "forged AP-REP: %s", what);
}

/* ---- the AP-REQ ------------------------------------------------------- */

/* The genuine AP-REQ taken apart: the elements of its SEQUENCE before
 * the authenticator ([0]..[3], kept as they are) and the decrypted
 * authenticator's elements [0]..[8] (n == 0: absent). */
struct req {
    struct bytes head;
    struct bytes el[9];
    struct bytes cksum;         /* the 0x8003 checksum's contents */
};

static inline void
req_free(struct req *q)
{
    free(q->head.p);
    free(q->cksum.p);
    for (size_t i = 0; i < 9; i++)
        free(q->el[i].p);
    memset(q, 0, sizeof(*q));
}

static inline bool
read_ap_req(const gss_buffer_desc *tok, const krb5_keyblock *key,
            struct req *q)
{
    struct rd r = { tok->value, hostile_bytes(tok) + tok->length, true };
    struct rd body, seq, ed, c, p, a;
    struct bytes raw;
    krb5_enc_data enc;
    krb5_data plain = { KV5M_DATA, 0, NULL };
    uint8_t tag;

    memset(q, 0, sizeof(*q));
    q->head = b_raw("", 0);
    body = rd_sub(&r, 0x60);
    (void)rd_sub(&body, 0x06);
    body.p += 2;                                /* TOK_ID */
    body = rd_sub(&body, 0x6e);
    seq = rd_sub(&body, 0x30);
    while (seq.ok && seq.p < seq.end && seq.p[0] != 0xa4 &&
           rd_elem(&seq, &tag, &raw))
        q->head = b_cat(q->head, raw);
    ed = rd_sub(&seq, 0xa4);
    ed = rd_sub(&ed, 0x30);
    (void)rd_int(&ed, 0xa0);
    if (ed.ok && ed.p < ed.end && ed.p[0] == 0xa1)
        (void)rd_int(&ed, 0xa1);
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
    if (plain.data == NULL ||
        krb5_c_decrypt(kc, key, KRB5_KEYUSAGE_AP_REQ_AUTH, NULL, &enc,
                       &plain) != 0) {
        free(plain.data);
        return false;
    }
    p = (struct rd){ (uint8_t *)plain.data,
                     (uint8_t *)plain.data + plain.length, true };
    a = rd_sub(&p, 0x62);
    a = rd_sub(&a, 0x30);
    while (rd_elem(&a, &tag, &raw)) {
        if ((tag & 0xe0) == 0xa0 && (tag & 0x1f) < 9)
            q->el[tag & 0x1f] = raw;
        else
            free(raw.p);
    }
    free(plain.data);
    /* [3] Checksum ::= SEQUENCE { [0] cksumtype, [1] OCTET STRING } */
    r = (struct rd){ q->el[3].p, q->el[3].p + q->el[3].n, q->el[3].n > 0 };
    c = rd_sub(&r, 0xa3);
    c = rd_sub(&c, 0x30);
    (void)rd_int(&c, 0xa0);
    c = rd_sub(&c, 0xa1);
    c = rd_sub(&c, 0x04);
    if (c.ok)
        q->cksum = b_raw(c.p, (size_t)(c.end - c.p));
    return a.ok && c.ok;
}

/* The AP-REQ again, element slot replaced by el (consumed; n == 0:
 * removed), the authenticator encrypted anew (so no replay). */
static inline gss_buffer_desc
ap_req(const struct req *q, const krb5_keyblock *key, int slot,
       struct bytes el)
{
    struct bytes auth = b_raw("", 0), ed;

    for (int i = 0; i < 9; i++) {
        if (i == slot)
            auth = b_cat(auth, b_raw(el.p, el.n));
        else if (q->el[i].n > 0)
            auth = b_cat(auth, b_raw(q->el[i].p, q->el[i].n));
    }
    free(el.p);
    auth = b_tlv(0x62, b_tlv(0x30, auth));
    ed = b_cat(b_ctx_int(0, key->enctype),
               b_ctx_octets(2, encrypt(key, KRB5_KEYUSAGE_AP_REQ_AUTH,
                                       auth)));
    ed = b_tlv(0xa4, b_tlv(0x30, ed));
    return frame(0x0100, b_tlv(0x6e, b_tlv(0x30, b_cat(b_raw(q->head.p,
                                                                q->head.n),
                                                          ed))));
}

/* [3] with a checksum of type and contents. */
static inline struct bytes
cksum_el(int64_t type, struct bytes contents)
{
    return b_tlv(0xa3, b_tlv(0x30, b_cat(b_ctx_int(0, type),
                                         b_ctx_octets(1, contents))));
}

/* The genuine 0x8003 contents with Flags set to flags and more appended. */
static inline struct bytes
cksum_with(const struct req *q, uint32_t flags, const void *more, size_t n)
{
    struct bytes c = b_raw(q->cksum.p, q->cksum.n);

    for (int i = 0; i < 4 && c.n >= 24; i++)
        c.p[20 + i] = (uint8_t)(flags >> (8 * i));
    return b_cat(c, b_raw(more, n));
}

/* [6] subkey: EncryptionKey ::= SEQUENCE { [0] keytype, [1] keyvalue }. */
static inline struct bytes
subkey_el(int64_t type, size_t len)
{
    uint8_t key[64];

    memset(key, 0x5c, sizeof(key));
    return b_tlv(0xa6, b_tlv(0x30, b_cat(b_ctx_int(0, type),
                                         b_ctx_octets(1, b_raw(key, len)))));
}

struct accepted {
    OM_uint32 major, minor, flags;
    bool deleg;
    gss_buffer_desc rep;            /* the AP-REP, if any */
};

/* A fresh acceptor given tok (consumed). */
static inline struct accepted
accept_forged(gss_buffer_desc tok)
{
    struct accepted a = { 0, 0, 0, false, GSS_C_EMPTY_BUFFER };
    gss_ctx_id_t acc = GSS_C_NO_CONTEXT;
    gss_cred_id_t deleg = GSS_C_NO_CREDENTIAL;
    OM_uint32 m;

    a.major = gss_accept_sec_context(&a.minor, &acc, GSS_C_NO_CREDENTIAL,
                                     &tok, NULL, NULL, NULL, &a.rep, &a.flags,
                                     NULL, &deleg);
    a.deleg = deleg != GSS_C_NO_CREDENTIAL;
    if (GSS_ERROR(a.major))
        CHECK(acc == GSS_C_NO_CONTEXT && !a.deleg);
    gss_release_cred(&m, &deleg);
    gss_delete_sec_context(&m, &acc, GSS_C_NO_BUFFER);
    free(tok.value);
    return a;
}

static inline struct accepted
try_req(const struct setup *s, const struct req *q, int slot,
        struct bytes el, OM_uint32 want, const char *what)
{
    struct accepted a = accept_forged(ap_req(q, s->session, slot, el));

    EXPECT(a.major, want, a.minor, "forged AP-REQ: %s", what);
    return a;
}

static inline void
done(struct accepted *a)
{
    OM_uint32 m;

    gss_release_buffer(&m, &a->rep);
}

#endif /* BATON_TESTS_MECH_KRB5_HOSTILE_KEYED_H_ */
