/*
 * Per-message tokens from a hostile peer (RFC 4121 4.2): genuine MIC,
 * confidential Wrap and integrity-only Wrap tokens, made by a real Baton
 * context, are truncated, mutated and rotated, and given to the real peer.
 * Each variant must get its exact status (GSS_S_DEFECTIVE_TOKEN for a
 * malformed structure, GSS_S_BAD_SIG for a checksum or ciphertext that
 * does not verify), and must leave the receiver untouched: the genuine
 * token, presented last, is still accepted with no supplementary bit, and
 * a full round in both directions still works.
 *
 * Every attack runs on a mutual context (acceptor subkey, AcceptorSubkey
 * set) and a non-mutual one (initiator subkey), in both directions.
 */
#include "mech/krb5/hostile.h"

#define HDR 16
#define DEF GSS_S_DEFECTIVE_TOKEN
#define BAD GSS_S_BAD_SIG
#define VALID 0u            /* "the variant is still a valid token" */

enum kind { MIC, CONF, INTEG };
static const char *const kind_name[] = { "MIC", "Wrap(conf)", "Wrap(integ)" };

/* A genuine token, who made it and who is to receive it. */
struct tok {
    enum kind kind;
    gss_ctx_id_t tx, rx;
    gss_buffer_desc msg, tok;
    char where[96];
};

static gss_buffer_desc
make_token(enum kind kind, gss_ctx_id_t tx, const gss_buffer_desc *msg)
{
    gss_buffer_desc in = *msg, tok = GSS_C_EMPTY_BUFFER;
    OM_uint32 major, minor;
    int conf;

    if (kind == MIC)
        major = gss_get_mic(&minor, tx, GSS_C_QOP_DEFAULT, &in, &tok);
    else
        major = gss_wrap(&minor, tx, kind == CONF, GSS_C_QOP_DEFAULT, &in,
                         &conf, &tok);
    CHECK_MAJOR(major, GSS_S_COMPLETE);
    return tok;
}

/* Another genuine token like t's (the sender's next number). */
static void
renew(struct tok *t)
{
    OM_uint32 m;

    gss_release_buffer(&m, &t->tok);
    t->tok = make_token(t->kind, t->tx, &t->msg);
}

/* Gives len bytes at p to rx as a token of kind as; an unwrapped message
 * must be t's. */
static OM_uint32
present_as(const struct tok *t, gss_ctx_id_t rx, enum kind as,
           const uint8_t *p, size_t len, OM_uint32 *minor)
{
    gss_buffer_desc in = hostile_copy(p, len), out = GSS_C_EMPTY_BUFFER;
    gss_buffer_desc msg = t->msg;
    OM_uint32 major, m;
    int conf = -1;

    if (as == MIC) {
        major = gss_verify_mic(minor, rx, &msg, &in, NULL);
    } else {
        major = gss_unwrap(minor, rx, &in, &out, &conf, NULL);
        if (!GSS_ERROR(major))
            CHECK(conf == (t->kind == CONF) && out.length == msg.length &&
                  (msg.length == 0 ||
                   memcmp(out.value, msg.value, msg.length) == 0));
    }
    free(in.value);
    gss_release_buffer(&m, &out);
    return major;
}

/* A variant of t, given to t's receiver, must get want. */
__attribute__((format(printf, 5, 6))) static void
try_variant(const struct tok *t, const uint8_t *p, size_t len, OM_uint32 want,
            const char *fmt, ...)
{
    char what[128];
    va_list ap;
    OM_uint32 minor = 0, major;

    va_start(ap, fmt);
    vsnprintf(what, sizeof(what), fmt, ap);
    va_end(ap);
    major = present_as(t, t->rx, t->kind, p, len, &minor);
    EXPECT(major, want, minor, "%s: %s", t->where, what);
}

/* A copy of t's token with byte pos set to v. */
static void
try_byte(const struct tok *t, size_t pos, uint8_t v, OM_uint32 want,
         const char *what)
{
    gss_buffer_desc c = hostile_copy(t->tok.value, t->tok.length);

    hostile_bytes(&c)[pos] = v;
    try_variant(t, c.value, c.length, want, "%s (byte %zu = 0x%02x)", what,
                pos, v);
    free(c.value);
}

static void
put16(uint8_t *p, unsigned v)
{
    p[0] = (uint8_t)(v >> 8);
    p[1] = (uint8_t)v;
}

static unsigned
get16(const uint8_t *p)
{
    return (unsigned)p[0] << 8 | p[1];
}

/* A copy of a Wrap token with its data rotated right by rrc and the RRC
 * field set (RFC 4121 4.2.5); rotate false sets the field only. */
static gss_buffer_desc
with_rrc(const gss_buffer_desc *tok, unsigned rrc, bool rotate)
{
    gss_buffer_desc c = hostile_copy(tok->value, tok->length);
    const uint8_t *body = hostile_bytes(tok) + HDR;
    size_t n = tok->length - HDR, r = rrc % n;

    if (rotate) {
        memcpy(hostile_bytes(&c) + HDR, body + n - r, r);
        memcpy(hostile_bytes(&c) + HDR + r, body, n - r);
    }
    put16(hostile_bytes(&c) + 6, rrc);
    return c;
}

/* ---- expected statuses ------------------------------------------------ */

/* The Flags octet xored with mask.  Direction and AcceptorSubkey are
 * checked before any crypto; MIC and integrity-only Wrap checksums cover
 * the header; a confidential token is compared with its encrypted copy;
 * Sealed cleared turns a confidential token into an integrity one whose EC
 * (0) is not a checksum length; Sealed set makes checksum text be
 * decrypted. */
static OM_uint32
want_flags(enum kind kind, uint8_t mask)
{
    if (mask & 0x05)
        return DEF;
    if (kind == MIC)
        return BAD;
    if (kind == CONF)
        return DEF;
    return BAD;
}

/* Header octet pos (< 16) set to v. */
static OM_uint32
want_header(const struct tok *t, size_t pos, uint8_t v)
{
    const uint8_t *h = t->tok.value;
    uint8_t c[HDR];
    size_t n = t->tok.length - HDR;

    memcpy(c, h, HDR);
    c[pos] = v;
    if (pos == 2)
        return want_flags(t->kind, (uint8_t)(h[2] ^ v));
    if (pos < 4 || (t->kind == MIC && pos < 8))
        return DEF;                     /* TOK_ID, filler */
    if (pos < 6)
        return DEF;                     /* EC: range or encrypted copy */
    if (pos < 8)                        /* RRC: a rotation */
        return get16(c + 6) % n == 0 ? VALID : BAD;
    return t->kind == CONF ? DEF : BAD; /* SND_SEQ */
}

/* t truncated to len octets. */
static OM_uint32
want_truncated(const struct tok *t, size_t len)
{
    unsigned ec = get16(hostile_bytes(&t->tok) + 4);

    if (len < HDR)
        return DEF;
    if (t->kind == CONF)
        return len == HDR ? DEF : BAD;
    if (t->kind == INTEG)
        return len - HDR == 0 || len - HDR < ec ? DEF : BAD;
    return BAD;
}

/* ---- attacks: each leaves t's genuine token unused unless it says ---- */

static bool
truncated(struct tok *t)
{
    for (size_t len = 0; len < t->tok.length; len++)
        try_variant(t, t->tok.value, len, want_truncated(t, len),
                    "truncated to %zu of %zu", len, t->tok.length);
    return true;
}

static bool
wrong_tok_id(struct tok *t)
{
    for (size_t pos = 0; pos < 2; pos++)
        for (unsigned v = 0; v < 256; v++)
            if (v != hostile_bytes(&t->tok)[pos])
                try_byte(t, pos, (uint8_t)v, DEF, "TOK_ID");
    return true;
}

/* Each Flags bit flipped: SentByAcceptor, Sealed, AcceptorSubkey and the
 * five reserved ones; then the peer's own token reflected back to it. */
static bool
flags(struct tok *t)
{
    static const char *const names[] = {
        "SentByAcceptor flipped", "Sealed flipped", "AcceptorSubkey flipped",
        "reserved bit 3 set", "reserved bit 4 set", "reserved bit 5 set",
        "reserved bit 6 set", "reserved bit 7 set",
    };
    uint8_t f = hostile_bytes(&t->tok)[2];
    OM_uint32 minor = 0, major;

    for (unsigned bit = 0; bit < 8; bit++)
        try_byte(t, 2, (uint8_t)(f ^ (1u << bit)),
                 want_flags(t->kind, (uint8_t)(1u << bit)), names[bit]);
    try_byte(t, 2, (uint8_t)~f, DEF, "all Flags bits flipped");
    major = present_as(t, t->tx, t->kind, t->tok.value, t->tok.length,
                       &minor);
    EXPECT(major, DEF, minor, "%s: reflected to its sender", t->where);
    return true;
}

static bool
filler(struct tok *t)
{
    static const uint8_t vals[] = { 0x00, 0x01, 0x7f, 0x80, 0xfe };
    size_t last = t->kind == MIC ? 7 : 3;

    for (size_t pos = 3; pos <= last; pos++)
        for (size_t i = 0; i < sizeof(vals); i++)
            try_byte(t, pos, vals[i], DEF, "filler changed");
    return true;
}

/* EC out of range: larger than the data (or not the checksum length of
 * an integrity-only token), and 0xffff. */
static bool
ec_out_of_range(struct tok *t)
{
    size_t n = t->tok.length - HDR;
    unsigned ec = get16(hostile_bytes(&t->tok) + 4);
    unsigned vals[] = { (unsigned)t->msg.length + 1, (unsigned)n,
                        (unsigned)n + 1, ec + 1, ec > 0 ? ec - 1 : 0x100,
                        0x8000, 0xffff };

    if (t->kind == MIC)
        return true;
    for (size_t i = 0; i < sizeof(vals) / sizeof(vals[0]); i++) {
        gss_buffer_desc c = hostile_copy(t->tok.value, t->tok.length);

        if (vals[i] == ec) {
            free(c.value);
            continue;
        }
        put16(hostile_bytes(&c) + 4, vals[i]);
        try_variant(t, c.value, c.length, DEF, "EC %u (genuine %u)", vals[i],
                    ec);
        free(c.value);
    }
    return true;
}

/* RFC 4121 4.2.5: a token rotated right by RRC with the field set is
 * valid for any RRC; the field changed alone is not (unless RRC is a
 * multiple of the data length).  Every valid variant uses a fresh token. */
static bool
rrc(struct tok *t)
{
    size_t n = t->tok.length - HDR;
    unsigned vals[8] = { 0, 28, (unsigned)n, (unsigned)n + 5, 0xffff, 1,
                         (unsigned)n - 1, 16 };

    if (t->kind == MIC)
        return true;
    for (size_t i = 0; i < 8 + (n <= 64 ? n + 1 : 0); i++) {
        unsigned v = i < 8 ? vals[i] : (unsigned)(i - 8);
        gss_buffer_desc bad = with_rrc(&t->tok, v, false);
        gss_buffer_desc good = with_rrc(&t->tok, v, true);

        if (v % n != 0)
            try_variant(t, bad.value, bad.length, BAD,
                        "RRC %u without rotation", v);
        try_variant(t, good.value, good.length, GSS_S_COMPLETE,
                    "rotated by RRC %u", v);
        free(bad.value);
        free(good.value);
        renew(t);
    }
    return true;
}

/* One bit or octet flipped: every position of a small token, a sample of
 * a large one; the header's expectations are computed, the rest is
 * checksum or ciphertext. */
static bool
flipped(struct tok *t)
{
    static const uint8_t masks[] = { 0x01, 0x80, 0xff };
    size_t len = t->tok.length;

    for (size_t pos = 0; pos < len; pos++) {
        if (len > 200 && pos >= HDR + 24 && pos < len - 24 && pos % 29 != 0)
            continue;
        for (size_t i = 0; i < sizeof(masks); i++) {
            uint8_t v = (uint8_t)(hostile_bytes(&t->tok)[pos] ^ masks[i]);
            OM_uint32 want = pos < HDR ? want_header(t, pos, v) : BAD;

            if (want != VALID)
                try_byte(t, pos, v, want, "flipped");
        }
    }
    return true;
}

/* A MIC token to unwrap, Wrap tokens to verify_mic, a MIC over another
 * message. */
static bool
wrong_call(struct tok *t)
{
    OM_uint32 minor = 0, major;
    struct tok other = *t;
    uint8_t x = 0x5a;

    major = present_as(t, t->rx, t->kind == MIC ? CONF : MIC, t->tok.value,
                       t->tok.length, &minor);
    EXPECT(major, DEF, minor, "%s: given to %s", t->where,
           t->kind == MIC ? "gss_unwrap" : "gss_verify_mic");
    if (t->kind == MIC) {
        other.msg.value = &x;
        other.msg.length = 1;
        major = present_as(&other, t->rx, MIC, t->tok.value, t->tok.length,
                           &minor);
        EXPECT(major, BAD, minor, "%s: over another message", t->where);
    }
    return true;
}

/* ---- the driver ------------------------------------------------------- */

typedef bool (*attack_fn)(struct tok *t);

/* Runs attack on every kind of token of each size, both configurations,
 * both directions; then the genuine token and a full round. */
static void
each_token(attack_fn attack, const size_t *sizes, size_t n_sizes)
{
    static const OM_uint32 cfg[] = { HOSTILE_FLAGS,
                                     HOSTILE_FLAGS & ~GSS_C_MUTUAL_FLAG };
    struct hostile_pair p;
    struct tok t;
    OM_uint32 m;

    for (size_t c = 0; c < 2; c++) {
        if (!hostile_establish(&p, cfg[c])) {
            hostile_release(&p);
            continue;
        }
        for (int dir = 0; dir < 2; dir++)
            for (int k = MIC; k <= INTEG; k++)
                for (size_t s = 0; s < n_sizes; s++) {
                    t.kind = (enum kind)k;
                    t.tx = dir == 0 ? p.init : p.acc;
                    t.rx = dir == 0 ? p.acc : p.init;
                    t.msg = hostile_message(sizes[s], (unsigned)s);
                    t.tok = make_token(t.kind, t.tx, &t.msg);
                    snprintf(t.where, sizeof(t.where), "%s %s %s, %zu-byte "
                             "message", c == 0 ? "mutual" : "non-mutual",
                             dir == 0 ? "initiator->acceptor"
                                      : "acceptor->initiator",
                             kind_name[k], sizes[s]);
                    if (t.tok.length > HDR && attack(&t))
                        try_variant(&t, t.tok.value, t.tok.length,
                                    GSS_S_COMPLETE, "the genuine token");
                    gss_release_buffer(&m, &t.tok);
                    free(t.msg.value);
                }
        hostile_usable(&p, bt_current_test);
        hostile_release(&p);
    }
}

static const size_t small_and_large[] = { 0, 20, 1000 };
static const size_t small[] = { 0, 20 };

static void
truncated_at_every_length(void)
{
    each_token(truncated, small_and_large, 3);
}

static void
wrong_token_id(void)
{
    each_token(wrong_tok_id, small + 1, 1);
}

static void
flag_bits(void)
{
    each_token(flags, small, 2);
}

static void
filler_changed(void)
{
    each_token(filler, small + 1, 1);
}

static void
ec_out_of_range_is_defective(void)
{
    each_token(ec_out_of_range, small_and_large, 3);
}

static void
rrc_rotation(void)
{
    each_token(rrc, small_and_large, 3);
}

static void
flipped_bytes(void)
{
    each_token(flipped, small_and_large, 3);
}

static void
token_given_to_the_wrong_call(void)
{
    each_token(wrong_call, small + 1, 1);
}

BT_TEST_MAIN(truncated_at_every_length, wrong_token_id, flag_bits,
             filler_changed, ec_out_of_range_is_defective, rrc_rotation,
             flipped_bytes, token_given_to_the_wrong_call)
