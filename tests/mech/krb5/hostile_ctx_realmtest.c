/*
 * Context tokens from a hostile peer (RFC 4121 4.1, RFC 2743 3.1): the
 * initiator's AP-REQ truncated and mutated, given to fresh acceptors; the
 * acceptor's AP-REP truncated and mutated, given to an initiator waiting
 * for it, which must keep waiting so that the genuine AP-REP still
 * completes it.  Replays and deleted contexts: hostile_replay_realmtest.c.
 */
#include "mech/krb5/hostile.h"

#include <krb5.h>

#define DEF GSS_S_DEFECTIVE_TOKEN
#define SKIP 0u             /* "the variant is still a valid token" */

/* 1.2.840.48018.1.2.2, the Microsoft krb5 OID: Baton takes it for krb5. */
static const uint8_t ms_oid[9] = { 0x2a, 0x86, 0x48, 0x82, 0xf7, 0x12,
                                   0x01, 0x02, 0x02 };

/* Offsets in a context token: 60 <len> 06 09 <OID> <TOK_ID> <message>. */
struct frame {
    size_t oid_tag, oid_len, oid, tok_id, body, outer_len;
};

static bool
frame_of(const gss_buffer_desc *tok, struct frame *f)
{
    const uint8_t *p = tok->value;
    size_t n = tok->length, lenlen;

    if (n < 2 || p[0] != 0x60)
        return false;
    lenlen = p[1] < 0x80 ? 1 : 1 + (p[1] & 0x7fu);
    f->outer_len = 0;
    for (size_t i = 1; i < lenlen; i++)
        f->outer_len = f->outer_len << 8 | p[1 + i];
    if (lenlen == 1)
        f->outer_len = p[1];
    f->oid_tag = 1 + lenlen;
    f->oid_len = f->oid_tag + 1;
    f->oid = f->oid_len + 1;
    f->tok_id = f->oid + 9;
    f->body = f->tok_id + 2;
    return f->body < n && p[f->oid_tag] == 0x06 && p[f->oid_len] == 9;
}

static bool
is_ms_oid(const uint8_t *tok, const struct frame *f)
{
    return memcmp(tok + f->oid, ms_oid, sizeof(ms_oid)) == 0;
}

/* What an acceptor must say about the token with header octet pos = v:
 * a well-framed token naming another mechanism is GSS_S_BAD_MECH (RFC
 * 2743 2.2.2), anything else malformed GSS_S_DEFECTIVE_TOKEN. */
static OM_uint32
want_accept_header(const uint8_t *mutated, const struct frame *f, size_t pos,
                   uint8_t v)
{
    if (pos == f->oid_len)
        return v == 0 || v >= 0x80 || v > f->outer_len - 2
               ? DEF : GSS_S_BAD_MECH;
    if (pos >= f->oid && pos < f->tok_id)
        return is_ms_oid(mutated, f) ? SKIP : GSS_S_BAD_MECH;
    return DEF;
}

/* ---- the AP-REQ, to fresh acceptors ----------------------------------- */

static void
ap_req_truncated(void)
{
    static const struct { const char *p; size_t n; } mit[] = {
        /* MIT krb5 t_invalid.c #5: truncated encapsulations. */
        { "\x60", 1 }, { "\x60\x84", 2 }, { "\x60\x40\x06", 3 },
        { "\x60\x40\x06\x09", 4 },
    };
    gss_buffer_desc itok = GSS_C_EMPTY_BUFFER, atok = GSS_C_EMPTY_BUFFER;
    struct hostile_pair p;
    OM_uint32 minor = 0, major;

    for (size_t i = 0; i < sizeof(mit) / sizeof(mit[0]); i++) {
        major = hostile_fresh_accept(mit[i].p, mit[i].n, &minor);
        EXPECT(major, DEF, minor, "MIT t_invalid encapsulation #%zu", i);
    }
    if (!hostile_start(&p.init, &itok, NULL, NULL))
        return;
    for (size_t len = 0; len < itok.length; len++) {
        major = hostile_fresh_accept(itok.value, len, &minor);
        EXPECT(major, DEF, minor, "AP-REQ truncated to %zu of %zu", len,
               itok.length);
    }
    p.acc = GSS_C_NO_CONTEXT;
    major = hostile_accept(&p.acc, GSS_C_NO_CREDENTIAL, &itok, &atok, &minor);
    EXPECT(major, GSS_S_COMPLETE, minor, "the genuine AP-REQ, last");
    gss_release_buffer(&minor, &itok);
    hostile_complete(&p, &atok);
}

static void
ap_req_header_mutated(void)
{
    gss_buffer_desc itok = GSS_C_EMPTY_BUFFER, atok = GSS_C_EMPTY_BUFFER;
    struct hostile_pair p;
    struct frame f;
    OM_uint32 minor = 0, major;

    if (!hostile_start(&p.init, &itok, NULL, NULL))
        return;
    CHECK(frame_of(&itok, &f));
    for (size_t pos = 0; pos < f.body; pos++)
        for (unsigned v = 0; v < 256; v++) {
            gss_buffer_desc c = hostile_copy(itok.value, itok.length);
            OM_uint32 want;

            hostile_bytes(&c)[pos] = (uint8_t)v;
            want = want_accept_header(c.value, &f, pos, (uint8_t)v);
            if (v != hostile_bytes(&itok)[pos] && want != SKIP) {
                major = hostile_fresh_accept(c.value, c.length, &minor);
                EXPECT(major, want, minor, "AP-REQ header byte %zu = 0x%02x",
                       pos, v);
            }
            free(c.value);
        }
    p.acc = GSS_C_NO_CONTEXT;
    major = hostile_accept(&p.acc, GSS_C_NO_CREDENTIAL, &itok, &atok, &minor);
    EXPECT(major, GSS_S_COMPLETE, minor, "the genuine AP-REQ, last");
    gss_release_buffer(&minor, &itok);
    hostile_complete(&p, &atok);
}

/* RFC 2743 3.1 framing with the Microsoft OID: accepted as krb5, as MIT
 * does (the one header mutation that is still a valid token). */
static void
ap_req_with_microsoft_oid(void)
{
    gss_buffer_desc itok = GSS_C_EMPTY_BUFFER, atok = GSS_C_EMPTY_BUFFER;
    struct hostile_pair p;
    struct frame f;
    OM_uint32 minor = 0, major;

    if (!hostile_start(&p.init, &itok, NULL, NULL))
        return;
    CHECK(frame_of(&itok, &f));
    memcpy(hostile_bytes(&itok) + f.oid, ms_oid, sizeof(ms_oid));
    p.acc = GSS_C_NO_CONTEXT;
    major = hostile_accept(&p.acc, GSS_C_NO_CREDENTIAL, &itok, &atok, &minor);
    EXPECT(major, GSS_S_COMPLETE, minor, "AP-REQ framed with the MS OID");
    gss_release_buffer(&minor, &itok);
    hostile_complete(&p, &atok);
}

/* A fresh acceptor given bytes; if it takes them, the target name it
 * reports must still be the service's, whatever the (unprotected) sname
 * in the ticket says. */
static OM_uint32
accept_checking_name(const void *p, size_t len, OM_uint32 *minor)
{
    gss_buffer_desc in = hostile_copy(p, len), out = GSS_C_EMPTY_BUFFER, n;
    gss_ctx_id_t acc = GSS_C_NO_CONTEXT;
    gss_name_t targ = GSS_C_NO_NAME;
    const char *want = getenv("BATON_SERVICE_PRINC");
    OM_uint32 major, m;

    major = hostile_accept(&acc, GSS_C_NO_CREDENTIAL, &in, &out, minor);
    if (major == GSS_S_COMPLETE &&
        gss_inquire_context(&m, acc, NULL, &targ, NULL, NULL, NULL, NULL,
                            NULL) == GSS_S_COMPLETE &&
        gss_display_name(&m, targ, &n, NULL) == GSS_S_COMPLETE) {
        CHECK(want != NULL && n.length == strlen(want) &&
              memcmp(n.value, want, n.length) == 0);
        gss_release_buffer(&m, &n);
    }
    gss_release_name(&m, &targ);
    gss_release_buffer(&m, &out);
    gss_delete_sec_context(&m, &acc, GSS_C_NO_BUFFER);
    free(in.value);
    return major;
}

/* Every octet of the Kerberos message flipped.  libkrb5 rejects what its
 * checks cover; what they do not cover (msg-type, ap-options bits, key
 * version hints, the ticket's sname and realm) may be accepted.  Either
 * way a status, no crash, no leak.  An accepted variant puts the
 * authenticator in the replay cache, so the positions after it are tried
 * on a new AP-REQ. */
static void
ap_req_body_flipped(void)
{
    static const uint8_t masks[] = { 0x01, 0xff };
    gss_buffer_desc itok = GSS_C_EMPTY_BUFFER;
    gss_ctx_id_t init = GSS_C_NO_CONTEXT;
    struct frame f;
    OM_uint32 minor = 0, major, m;
    int accepted = 0, tried = 0;
    char where[1024] = "", *w = where;

    if (!hostile_start(&init, &itok, NULL, NULL))
        return;
    CHECK(frame_of(&itok, &f));
    for (size_t pos = f.body; pos < itok.length; pos++)
        for (size_t i = 0; i < sizeof(masks); i++) {
            gss_buffer_desc c = hostile_copy(itok.value, itok.length);

            hostile_bytes(&c)[pos] ^= masks[i];
            major = accept_checking_name(c.value, c.length, &minor);
            tried++;
            CHECK(GSS_ERROR(major) || major == GSS_S_COMPLETE);
            free(c.value);
            if (major != GSS_S_COMPLETE)
                continue;
            if (w < where + sizeof(where) - 16)
                w += sprintf(w, " %zu^%02x", pos, masks[i]);
            accepted++;
            gss_release_buffer(&m, &itok);
            gss_delete_sec_context(&m, &init, GSS_C_NO_BUFFER);
            if (!hostile_start(&init, &itok, NULL, NULL))
                return;
        }
    fprintf(stderr, "  note: %d of %d flipped AP-REQs (%zu octets) accepted, "
            "octet^mask:%s\n", accepted, tried, itok.length, where);
    gss_release_buffer(&m, &itok);
    gss_delete_sec_context(&m, &init, GSS_C_NO_BUFFER);
}

/* ---- the AP-REP, to the initiator waiting for it ---------------------- */

static void
ap_rep_truncated(void)
{
    gss_buffer_desc itok = GSS_C_EMPTY_BUFFER, atok = GSS_C_EMPTY_BUFFER;
    struct hostile_pair p;
    OM_uint32 minor = 0, major, m;

    if (!hostile_start(&p.init, &itok, &p.acc, &atok))
        return;
    gss_release_buffer(&m, &itok);
    major = hostile_waiting_init(&p.init, NULL, 0, &minor);
    EXPECT(major, DEF, minor, "no AP-REP (GSS_C_NO_BUFFER)");
    for (size_t len = 0; len < atok.length; len++) {
        major = hostile_waiting_init(&p.init, atok.value, len, &minor);
        EXPECT(major, DEF, minor, "AP-REP truncated to %zu of %zu", len,
               atok.length);
    }
    hostile_complete(&p, &atok);
}

static void
ap_rep_header_mutated(void)
{
    gss_buffer_desc itok = GSS_C_EMPTY_BUFFER, atok = GSS_C_EMPTY_BUFFER;
    struct hostile_pair p;
    struct frame f;
    OM_uint32 minor = 0, major, m;

    if (!hostile_start(&p.init, &itok, &p.acc, &atok))
        return;
    gss_release_buffer(&m, &itok);
    CHECK(frame_of(&atok, &f));
    for (size_t pos = 0; pos < f.body; pos++)
        for (unsigned v = 0; v < 256; v++) {
            gss_buffer_desc c = hostile_copy(atok.value, atok.length);

            hostile_bytes(&c)[pos] = (uint8_t)v;
            if (v != hostile_bytes(&atok)[pos] &&
                !is_ms_oid(c.value, &f)) {
                major = hostile_waiting_init(&p.init, c.value, c.length,
                                             &minor);
                EXPECT(major, DEF, minor, "AP-REP header byte %zu = 0x%02x",
                       pos, v);
            }
            free(c.value);
        }
    hostile_complete(&p, &atok);
}

static void
ap_rep_body_flipped(void)
{
    static const uint8_t masks[] = { 0x01, 0x80, 0xff };
    gss_buffer_desc itok = GSS_C_EMPTY_BUFFER, atok = GSS_C_EMPTY_BUFFER;
    struct hostile_pair p;
    struct frame f;
    OM_uint32 minor = 0, major, m;

    if (!hostile_start(&p.init, &itok, &p.acc, &atok))
        return;
    gss_release_buffer(&m, &itok);
    CHECK(frame_of(&atok, &f));
    for (size_t pos = f.body; pos < atok.length; pos++)
        for (size_t i = 0; i < sizeof(masks); i++) {
            gss_buffer_desc c = hostile_copy(atok.value, atok.length);

            hostile_bytes(&c)[pos] ^= masks[i];
            major = hostile_waiting_init(&p.init, c.value, c.length, &minor);
            EXPECT(major, DEF, minor, "AP-REP octet %zu of %zu ^ 0x%02x", pos,
                   atok.length, masks[i]);
            free(c.value);
        }
    hostile_complete(&p, &atok);
}

/* Tokens of the wrong kind: the AP-REQ to the waiting initiator, the
 * AP-REP to a fresh acceptor, and (the pair open) the AP-REP again. */
static void
context_tokens_to_the_wrong_side(void)
{
    gss_buffer_desc itok = GSS_C_EMPTY_BUFFER, atok = GSS_C_EMPTY_BUFFER;
    gss_buffer_desc copy;
    struct hostile_pair p;
    OM_uint32 minor = 0, major, m;

    if (!hostile_start(&p.init, &itok, &p.acc, &atok))
        return;
    major = hostile_waiting_init(&p.init, itok.value, itok.length, &minor);
    EXPECT(major, DEF, minor, "AP-REQ to the waiting initiator");
    major = hostile_fresh_accept(atok.value, atok.length, &minor);
    EXPECT(major, DEF, minor, "AP-REP to a fresh acceptor");
    gss_release_buffer(&m, &itok);
    copy = hostile_copy(atok.value, atok.length);
    hostile_complete(&p, &atok);
    /* complete_and_use released the pair: a new one for the replayed
     * AP-REP to an open initiator. */
    if (hostile_establish(&p, HOSTILE_FLAGS)) {
        major = hostile_waiting_init(&p.init, copy.value, copy.length, &minor);
        CHECK(GSS_ERROR(major));
        hostile_usable(&p, "an AP-REP to an open initiator");
    }
    hostile_release(&p);
    free(copy.value);
}

BT_TEST_MAIN(ap_req_truncated, ap_req_header_mutated,
             ap_req_with_microsoft_oid, ap_req_body_flipped, ap_rep_truncated,
             ap_rep_header_mutated, ap_rep_body_flipped,
             context_tokens_to_the_wrong_side)
