/*
 * Per-message tokens from a hostile peer that holds the context key (the
 * acceptor subkey, read from the genuine AP-REP with the session key):
 * well signed or well encrypted, so that what lies behind the crypto is
 * reached.  What RFC 4121 4.2 allows (reserved flags, EC filler octets,
 * rotation) must be accepted exactly; an inconsistent encrypted header
 * copy or EC, or the wrong key usage, must not, and must leave the
 * receiver's window as it was: a valid forged token of the same number is
 * accepted after each.
 */
#include "mech/krb5/hostile_keyed.h"

#define DEF GSS_S_DEFECTIVE_TOKEN
#define BAD GSS_S_BAD_SIG
#define HDR 16

enum kind { MIC, CONF, INTEG };

/* How a forged token departs from a valid one. */
struct forge {
    enum kind kind;
    uint8_t flags_xor;          /* on both headers */
    bool set_ec;                /* EC (both headers) is ec, not filler */
    unsigned ec;
    size_t filler;              /* EC filler octets really present */
    unsigned rrc;               /* rotation, set in the outer header */
    bool bad_copy;              /* octet copy_pos of the copy changed */
    unsigned copy_pos;
    bool cksum_nonzero_ec;      /* integ: checksum over the sent header */
    bool wrong_usage;           /* sign/seal key usage swapped */
    size_t cut;                 /* conf: nonzero: plaintext cut to cut-1 */
};

static void
put_hdr(uint8_t h[HDR], enum kind k, uint8_t flags, unsigned ec,
        unsigned rrc, uint64_t seq)
{
    memset(h, 0xff, HDR);
    h[0] = k == MIC ? 0x04 : 0x05;
    h[1] = 0x04;
    h[2] = flags;
    if (k != MIC) {
        h[4] = (uint8_t)(ec >> 8), h[5] = (uint8_t)ec;
        h[6] = (uint8_t)(rrc >> 8), h[7] = (uint8_t)rrc;
    }
    for (int i = 0; i < 8; i++)
        h[8 + i] = (uint8_t)(seq >> (56 - 8 * i));
}

static struct bytes
checksum(const krb5_keyblock *key, krb5_keyusage u, struct bytes data)
{
    krb5_data d = { KV5M_DATA, (unsigned)data.n, (char *)data.p };
    krb5_checksum ck;
    struct bytes out = b_raw("", 0);

    memset(&ck, 0, sizeof(ck));
    if (krb5_c_make_checksum(kc, 0, key, u, &d, &ck) == 0) {
        free(out.p);
        out = b_raw(ck.contents, ck.length);
        krb5_free_checksum_contents(kc, &ck);
    }
    free(data.p);
    return out;
}

/* A token from tx's side (acceptor or not) with number seq. */
static gss_buffer_desc
forge(const struct setup *s, bool acceptor, uint64_t seq,
      const gss_buffer_desc *msg, const struct forge *f)
{
    bool seal = f->kind == CONF;
    /* RFC 4121 2: Wrap tokens, sealed or not, use the SEAL usages. */
    bool wrap = f->kind != MIC;
    krb5_keyusage u = (krb5_keyusage)(acceptor ? (wrap ? 22 : 23)
                                               : (wrap ? 24 : 25));
    uint8_t flags = (uint8_t)((acceptor ? 0x01 : 0) | 0x04 |
                              (seal ? 0x02 : 0)) ^ f->flags_xor;
    uint8_t h[HDR], z[HDR];
    struct bytes m = b_raw(msg->value, msg->length), tok, body;
    size_t n, r;

    if (f->wrong_usage)
        u = (krb5_keyusage)(u ^ 1);
    if (f->kind == MIC) {
        put_hdr(h, MIC, flags, 0, 0, seq);
        tok = b_raw(h, HDR);
        tok = b_cat(tok, checksum(&s->subkey, u, b_cat(m, b_raw(h, HDR))));
        return (gss_buffer_desc){ tok.n, tok.p };
    }
    if (f->kind == INTEG) {
        put_hdr(z, INTEG, flags, 0, 0, seq);
        body = checksum(&s->subkey, u, b_cat(b_raw(m.p, m.n),
                                             b_raw(z, HDR)));
        put_hdr(h, INTEG, flags, f->set_ec ? f->ec : (unsigned)body.n, 0,
                seq);
        if (f->cksum_nonzero_ec) {
            free(body.p);
            body = checksum(&s->subkey, u, b_cat(b_raw(m.p, m.n),
                                                 b_raw(h, HDR)));
        }
        body = b_cat(m, body);
    } else {
        uint8_t *filler = calloc(1, f->filler + 1);

        put_hdr(h, CONF, flags, f->set_ec ? f->ec : (unsigned)f->filler, 0,
                seq);
        memcpy(z, h, HDR);
        if (f->bad_copy)
            z[f->copy_pos] ^= 0x01;
        body = b_cat(b_cat(m, b_raw(filler, f->filler)), b_raw(z, HDR));
        if (f->cut > 0)
            body.n = f->cut - 1;
        body = encrypt(&s->subkey, u, body);
        free(filler);
    }
    n = body.n;
    r = n > 0 ? f->rrc % n : 0;
    h[6] = (uint8_t)(f->rrc >> 8);
    h[7] = (uint8_t)f->rrc;
    tok = b_raw(h, HDR);
    tok = b_cat(tok, b_cat(b_raw(body.p + n - r, r), b_raw(body.p, n - r)));
    free(body.p);
    return (gss_buffer_desc){ tok.n, tok.p };
}

/* The number the receiver expects next from tx: a genuine token is made
 * and dropped, and a forged one takes its place. */
static uint64_t
take_number(gss_ctx_id_t tx)
{
    gss_buffer_desc msg = { 1, (void *)"x" }, tok = GSS_C_EMPTY_BUFFER;
    OM_uint32 minor, m;
    uint64_t seq = 0;

    CHECK_MAJOR(gss_get_mic(&minor, tx, GSS_C_QOP_DEFAULT, &msg, &tok),
                GSS_S_COMPLETE);
    for (size_t i = 8; i < HDR && i < tok.length; i++)
        seq = seq << 8 | hostile_bytes(&tok)[i];
    gss_release_buffer(&m, &tok);
    return seq;
}

static OM_uint32
present(gss_ctx_id_t rx, enum kind k, const gss_buffer_desc *msg,
        const gss_buffer_desc *tok, OM_uint32 *minor)
{
    gss_buffer_desc in = hostile_copy(tok->value, tok->length);
    gss_buffer_desc m = *msg, out = GSS_C_EMPTY_BUFFER;
    OM_uint32 major, tmp;
    int conf = -1;

    if (k == MIC) {
        major = gss_verify_mic(minor, rx, &m, &in, NULL);
    } else {
        major = gss_unwrap(minor, rx, &in, &out, &conf, NULL);
        if (!GSS_ERROR(major))
            CHECK(conf == (k == CONF) && out.length == m.length &&
                  (m.length == 0 ||
                   memcmp(out.value, m.value, m.length) == 0));
    }
    free(in.value);
    gss_release_buffer(&tmp, &out);
    return major;
}

/* A forged token from one side to the other gets want; if refused, a
 * valid forged token of the same number is then accepted exactly. */
static void
try_forged(const struct setup *s, bool from_acceptor, const struct forge *f,
           OM_uint32 want, const char *what)
{
    static const char *const kinds[] = { "MIC", "Wrap(conf)", "Wrap(integ)" };
    gss_ctx_id_t tx = from_acceptor ? s->p.acc : s->p.init;
    gss_ctx_id_t rx = from_acceptor ? s->p.init : s->p.acc;
    gss_buffer_desc msg = hostile_message(21, 3), tok;
    struct forge valid = { .kind = f->kind };
    uint64_t seq = take_number(tx);
    OM_uint32 minor = 0, major, m;
    const char *dir = from_acceptor ? "acceptor->initiator"
                                    : "initiator->acceptor";

    tok = forge(s, from_acceptor, seq, &msg, f);
    major = present(rx, f->kind, &msg, &tok, &minor);
    EXPECT(major, want, minor, "%s forged %s: %s", dir, kinds[f->kind], what);
    gss_release_buffer(&m, &tok);
    if (want != GSS_S_COMPLETE) {
        tok = forge(s, from_acceptor, seq, &msg, &valid);
        major = present(rx, f->kind, &msg, &tok, &minor);
        EXPECT(major, GSS_S_COMPLETE, minor, "%s valid %s of the same number"
               " after: %s", dir, kinds[f->kind], what);
        gss_release_buffer(&m, &tok);
    }
    free(msg.value);
}

#define FORGE(...) (&(struct forge){ __VA_ARGS__ })

/* What RFC 4121 4.2 lets a sender do: all accepted, exactly. */
static void
forged_tokens_allowed(void)
{
    static const size_t fillers[] = { 1, 15, 16, 255 };
    struct setup s;
    char what[64];

    if (!set_up_open(&s))
        goto out;
    for (int a = 0; a <= 1; a++) {
        for (int k = MIC; k <= INTEG; k++) {
            try_forged(&s, a, FORGE(.kind = (enum kind)k), GSS_S_COMPLETE,
                       "as Baton makes it");
            /* 4.2.2: "The receiver MUST ignore unknown flags." */
            for (int bit = 3; bit < 8; bit++) {
                snprintf(what, sizeof(what), "reserved flag bit %d", bit);
                try_forged(&s, a, FORGE(.kind = (enum kind)k,
                                        .flags_xor = (uint8_t)(1 << bit)),
                           GSS_S_COMPLETE, what);
            }
            if (k != MIC)
                try_forged(&s, a, FORGE(.kind = (enum kind)k, .rrc = 28),
                           GSS_S_COMPLETE, "rotated, RRC 28");
        }
        /* 4.2.2: Sealed "SHALL NOT be set in MIC tokens": a sender's
         * rule; with a good checksum MIT and Heimdal ignore it, as does
         * Baton. */
        try_forged(&s, a, FORGE(.kind = MIC, .flags_xor = 0x02),
                   GSS_S_COMPLETE, "Sealed set, good checksum");
        /* 4.2.4: EC filler octets between the data and the header copy. */
        for (size_t i = 0; i < sizeof(fillers) / sizeof(fillers[0]); i++) {
            snprintf(what, sizeof(what), "EC %zu with filler", fillers[i]);
            try_forged(&s, a, FORGE(.kind = CONF, .filler = fillers[i]),
                       GSS_S_COMPLETE, what);
        }
        try_forged(&s, a, FORGE(.kind = CONF, .filler = 16, .rrc = 28),
                   GSS_S_COMPLETE, "EC 16 with filler, RRC 28");
    }
    hostile_usable(&s.p, "forged valid tokens");
out:
    tear_down(&s);
}

/* Good crypto, wrong structure or wrong key usage: refused, and the
 * number is still free. */
static void
forged_tokens_refused(void)
{
    struct setup s;
    char what[64];

    if (!set_up_open(&s))
        goto out;
    for (int a = 0; a <= 1; a++) {
        for (int k = MIC; k <= INTEG; k++)
            try_forged(&s, a, FORGE(.kind = (enum kind)k, .wrong_usage = true),
                       BAD, "the other key usage");
        try_forged(&s, a, FORGE(.kind = INTEG, .cksum_nonzero_ec = true),
                   BAD, "checksum over the header with EC and RRC set");
        /* The encrypted copy must repeat the header; Baton lets only RRC
         * differ (octets 6 and 7). */
        for (int pos = 0; pos < HDR; pos++) {
            if (pos == 6 || pos == 7)
                continue;
            snprintf(what, sizeof(what), "header copy octet %d differs", pos);
            try_forged(&s, a, FORGE(.kind = CONF, .bad_copy = true,
                                    .copy_pos = (unsigned)pos), DEF,
                       what);
        }
        try_forged(&s, a, FORGE(.kind = CONF, .set_ec = true, .ec = 22), DEF,
                   "EC 22 > the 21 octets of data");
        try_forged(&s, a, FORGE(.kind = CONF, .set_ec = true, .ec = 0xffff),
                   DEF, "EC 0xffff");
        try_forged(&s, a, FORGE(.kind = CONF, .set_ec = true, .ec = 0xffff,
                                .filler = 40),
                   DEF, "EC 0xffff, 40 octets of filler");
        for (size_t len = 0; len < HDR; len++) {
            snprintf(what, sizeof(what), "%zu octets of plaintext", len);
            try_forged(&s, a, FORGE(.kind = CONF, .cut = len + 1), DEF, what);
        }
    }
    hostile_usable(&s.p, "forged bad tokens");
out:
    tear_down(&s);
}

BT_TEST_MAIN(forged_tokens_allowed, forged_tokens_refused)
