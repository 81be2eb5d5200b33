/*
 * Context tokens from a hostile peer that holds the keys: well encrypted,
 * malformed inside, so that the parsers behind the crypto are reached.
 *
 * - AP-REP: an EncAPRepPart that Baton's own parser (aprep.c) must refuse
 *   with GSS_S_DEFECTIVE_TOKEN, leaving the initiator waiting, so that the
 *   genuine reply, re-encoded here, still completes it.
 * - AP-REQ: an authenticator (re-encrypted in the session key) whose
 *   0x8003 checksum (authcksum.c) or subkey a fresh acceptor must refuse.
 */
#include "mech/krb5/hostile_keyed.h"

#define DEF GSS_S_DEFECTIVE_TOKEN

/* Every EncAPRepPart Baton must refuse, to one waiting initiator; then the
 * genuine fields, re-encoded, complete it. */
static void
forged_ap_rep_refused(void)
{
    struct setup s;
    struct rep r;
    struct bytes full, cut;
    OM_uint32 minor = 0, major;

    if (!set_up(&s))
        goto out;
    full = enc_part(&s.rep);
    for (size_t len = 0; len < full.n; len++) {
        cut = b_raw(full.p, len);
        major = give_ap_rep(&s, ap_rep(s.session, KRB5_KEYUSAGE_AP_REP_ENCPART,
                                       cut), &minor);
        EXPECT(major, DEF, minor, "EncAPRepPart truncated to %zu", len);
    }
    major = give_ap_rep(&s, ap_rep(s.session, KRB5_KEYUSAGE_AP_REP_ENCPART,
                                   b_cat(full, b_raw("\0\0", 2))), &minor);
    EXPECT(major, DEF, minor, "EncAPRepPart with trailing octets");
    major = give_ap_rep(&s, ap_rep(s.session, KRB5_KEYUSAGE_AP_REQ_AUTH,
                                   enc_part(&s.rep)), &minor);
    EXPECT(major, DEF, minor, "EncAPRepPart encrypted for key usage 11");
#define TRY(field, value, what)                                              \
    do {                                                                     \
        r = s.rep;                                                           \
        r.field = value;                                                     \
        try_rep(&s, &r, DEF, what);                                          \
    } while (0)
    TRY(app, 0x7a, "[APPLICATION 26] instead of 27");
    TRY(ctime[13], (char)(s.rep.ctime[13] == '0' ? '1' : '0'),
        "ctime not the authenticator's");
    TRY(ctime[14], 'X', "ctime not a GeneralizedTime");
    TRY(cusec, s.rep.cusec == 999999 ? 0 : s.rep.cusec + 1,
        "cusec not the authenticator's");
    TRY(cusec, 1000000, "cusec 1000000");
    TRY(cusec, -1, "cusec -1");
    TRY(has_seq, false, "no seq-number");
    TRY(seq, INT64_C(0x100000000), "seq-number 2^32");
    TRY(seq, INT64_C(-0x80000001), "seq-number below Int32");
    TRY(keytype, ENCTYPE_DES3_CBC_SHA1, "subkey of enctype des3");
    TRY(keytype, ENCTYPE_ARCFOUR_HMAC, "subkey of enctype rc4");
    TRY(keytype, 9999, "subkey of an unknown enctype");
    TRY(keytype, -1, "subkey of enctype -1");
    TRY(keylen, 0, "empty subkey");
#undef TRY
    /* The genuine fields through this file's encoder: accepted. */
    try_rep(&s, &s.rep, GSS_S_COMPLETE, "the genuine fields");
    hostile_usable(&s.p, "forged AP-REPs");
out:
    tear_down(&s);
}

/* A subkey whose length is not its enctype's: a malformed AP-REP, to be
 * refused like the rest.  Each on its own initiator: one that takes it
 * is left open with a key no call can use. */
static void
forged_ap_rep_subkey_length(void)
{
    static const size_t lens[] = { 1, 5, 16, 24, 31, 33, 64 };

    for (size_t i = 0; i < sizeof(lens) / sizeof(lens[0]); i++) {
        struct setup s;
        struct rep r;
        char what[64];
        gss_buffer_desc msg = { 1, (void *)"x" }, tok;
        OM_uint32 minor = 0, major, m;

        if (!set_up(&s) || lens[i] == s.rep.keylen)
            goto next;
        r = s.rep;
        r.keylen = lens[i];
        memset(r.key, 0x3c, sizeof(r.key));
        snprintf(what, sizeof(what), "%zu-byte subkey of enctype %d", lens[i],
                 (int)r.keytype);
        major = give_ap_rep(&s, ap_rep(s.session,
                                       KRB5_KEYUSAGE_AP_REP_ENCPART,
                                       enc_part(&r)), &minor);
        EXPECT(major, DEF, minor, "forged AP-REP: %s", what);
        if (major == GSS_S_COMPLETE) {
            major = gss_get_mic(&minor, s.p.init, 0, &msg, &tok);
            fprintf(stderr, "    then get_mic: major 0x%08x", major);
            hostile_show_status(major, minor);
            gss_release_buffer(&m, &tok);
            goto next;
        }
        try_rep(&s, &s.rep, GSS_S_COMPLETE, "the genuine fields after it");
        hostile_usable(&s.p, what);
next:
        tear_down(&s);
    }
}

#define KNOWN_FLAGS (GSS_C_DELEG_FLAG | GSS_C_MUTUAL_FLAG |                  \
                     GSS_C_REPLAY_FLAG | GSS_C_SEQUENCE_FLAG |               \
                     GSS_C_CONF_FLAG | GSS_C_INTEG_FLAG |                    \
                     GSS_C_PROT_READY_FLAG | GSS_C_TRANS_FLAG)

/* The 0x8003 checksum (RFC 4121 4.1.1) malformed, and what it allows. */
static void
forged_ap_req_checksum(void)
{
    static const uint32_t lgth[] = { 0, 15, 17, 0x10000000, 0xffffffff };
    struct setup s;
    struct req q;
    struct accepted a;
    uint32_t fl = HOSTILE_FLAGS | GSS_C_CONF_FLAG | GSS_C_INTEG_FLAG;
    char what[64];

    if (!set_up(&s) || !read_ap_req(&s.itok, s.session, &q)) {
        CHECK(!"the genuine AP-REQ decrypts and parses");
        goto out;
    }
    CHECK(q.cksum.n == 24);
    a = try_req(&s, &q, -1, b_raw("", 0), GSS_S_COMPLETE,
                "the genuine fields");
    done(&a);
    a = try_req(&s, &q, 3, b_raw("", 0), DEF, "no checksum");
    done(&a);
    a = try_req(&s, &q, 3, cksum_el(16, b_raw(q.cksum.p, q.cksum.n)), DEF,
                "checksum type 16, 0x8003 contents");
    done(&a);
    for (size_t len = 0; len < q.cksum.n; len++) {
        snprintf(what, sizeof(what), "0x8003 contents cut to %zu", len);
        a = try_req(&s, &q, 3, cksum_el(0x8003, b_raw(q.cksum.p, len)), DEF,
                    what);
        done(&a);
    }
    for (size_t i = 0; i < sizeof(lgth) / sizeof(lgth[0]); i++) {
        struct bytes c = b_raw(q.cksum.p, q.cksum.n);

        for (int k = 0; k < 4; k++)
            c.p[k] = (uint8_t)(lgth[i] >> (8 * k));
        snprintf(what, sizeof(what), "Lgth %u", lgth[i]);
        a = try_req(&s, &q, 3, cksum_el(0x8003, c), DEF, what);
        done(&a);
    }
    /* Extensions after the fields are ignored; unknown flags are not
     * reported (no GSS_C_ANON_FLAG or GSS_C_TRANS_FLAG from a peer). */
    a = try_req(&s, &q, 3, cksum_el(0x8003, cksum_with(&q, fl, "EXTS0123",
                                                       8)),
                GSS_S_COMPLETE, "extension octets after Flags");
    done(&a);
    a = try_req(&s, &q, 3, cksum_el(0x8003, cksum_with(&q, ~1u, NULL, 0)),
                GSS_S_COMPLETE, "every flag but DELEG set");
    CHECK((a.flags & ~(OM_uint32)KNOWN_FLAGS) == 0);
    CHECK(!(a.flags & (GSS_C_ANON_FLAG | GSS_C_DELEG_FLAG)));
    done(&a);
    /* Delegation: DlgOpt must be 1 and Dlgth must fit; a KRB-CRED that
     * cannot be read costs the delegation only. */
    a = try_req(&s, &q, 3, cksum_el(0x8003, cksum_with(&q, fl | 1,
                                                       "\2\0\0\0", 4)),
                DEF, "DlgOpt 2");
    done(&a);
    a = try_req(&s, &q, 3, cksum_el(0x8003, cksum_with(&q, fl | 1,
                                                       "\1\0\xff\xff", 4)),
                DEF, "Dlgth 65535 with nothing after");
    done(&a);
    a = try_req(&s, &q, 3, cksum_el(0x8003, cksum_with(&q, fl | 1,
                                                       "\1\0\x0a\0garbage!!!",
                                                       14)),
                GSS_S_COMPLETE, "a 10-byte KRB-CRED of garbage");
    CHECK(!(a.flags & GSS_C_DELEG_FLAG) && !a.deleg);
    done(&a);
    a = try_req(&s, &q, 3, cksum_el(0x8003, cksum_with(&q, fl | 1, "\1\0\0\0",
                                                       4)),
                GSS_S_COMPLETE, "an empty KRB-CRED");
    CHECK(!(a.flags & GSS_C_DELEG_FLAG) && !a.deleg);
    done(&a);
    a = try_req(&s, &q, 3, cksum_el(0x8003, cksum_with(&q, fl | 1, "\1\0", 2)),
                GSS_S_COMPLETE, "DELEG with 2 octets after Flags");
    CHECK(!(a.flags & GSS_C_DELEG_FLAG) && !a.deleg);
    done(&a);
out:
    req_free(&q);
    tear_down(&s);
}

/* An AP-REP's subkey enctype is one RFC 4121 tokens can use. */
static bool
rfc4121_enctype(int64_t e)
{
    return e == 17 || e == 18 || e == 19 || e == 20 || e == 25 || e == 26;
}

/* The initiator's subkey (authenticator [6]) is the context key without
 * mutual authentication (with it, the acceptor subkey replaces it).  One
 * RFC 4121 cannot use (a legacy enctype), or whose length is not its
 * enctype's, makes the AP-REQ defective, as the same subkey in an AP-REP
 * does for the initiator; an enctype libkrb5 does not permit is refused
 * by krb5_rd_req (KRB5_NOPERM_ETYPE, GSS_S_FAILURE). */
static void
forged_ap_req_subkey(void)
{
    static const struct {
        int64_t type;
        size_t len;
        OM_uint32 want;
    } bad[] = {
        { ENCTYPE_ARCFOUR_HMAC, 16, DEF }, { ENCTYPE_DES3_CBC_SHA1, 24, DEF },
        { 9999, 32, GSS_S_FAILURE },
        { ENCTYPE_AES256_CTS_HMAC_SHA1_96, 5, DEF },
        { ENCTYPE_AES256_CTS_HMAC_SHA1_96, 16, DEF },
        { ENCTYPE_AES128_CTS_HMAC_SHA1_96, 32, DEF },
    };
    struct setup s;
    struct req q;
    struct accepted a;
    uint32_t fl = HOSTILE_FLAGS | GSS_C_CONF_FLAG | GSS_C_INTEG_FLAG;
    char what[96];

    if (!set_up(&s) || !read_ap_req(&s.itok, s.session, &q)) {
        CHECK(!"the genuine AP-REQ decrypts and parses");
        goto out;
    }
    for (int mutual = 1; mutual >= 0; mutual--) {
        struct req v = q;
        uint32_t f = mutual ? fl : fl & ~(uint32_t)GSS_C_MUTUAL_FLAG;

        /* The same request with these flags, sharing q's bytes. */
        v.el[3] = cksum_el(0x8003, cksum_with(&q, f, NULL, 0));
        for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
            snprintf(what, sizeof(what), "%s, %zu-byte subkey of enctype %d",
                     mutual ? "mutual" : "not mutual", bad[i].len,
                     (int)bad[i].type);
            a = try_req(&s, &v, 6, subkey_el(bad[i].type, bad[i].len),
                        bad[i].want, what);
            done(&a);
        }
        snprintf(what, sizeof(what), "%s, no subkey (the session key)",
                 mutual ? "mutual" : "not mutual");
        a = try_req(&s, &v, 6, b_raw("", 0), GSS_S_COMPLETE, what);
        done(&a);
        free(v.el[3].p);
    }
    /* RFC 4537 etype negotiation asking for RC4: the acceptor subkey must
     * still be one RFC 4121 can use (or the request refused). */
    {
        /* AD-IF-RELEVANT (1) { AD-ETYPE-NEGOTIATION (129) { rc4 } } */
        struct bytes etypes = b_tlv(0x30, b_int(ENCTYPE_ARCFOUR_HMAC));
        struct bytes neg = b_tlv(0x30, b_cat(b_ctx_int(0, 129),
                                             b_ctx_octets(1, etypes)));
        struct bytes ifrel = b_tlv(0x30, b_cat(b_ctx_int(0, 1),
                                               b_ctx_octets(1, b_tlv(0x30,
                                                                     neg))));
        struct rep r;

        a = accept_forged(ap_req(&q, s.session, 8,
                                 b_tlv(0xa8, b_tlv(0x30, ifrel))));
        fprintf(stderr, "  note: AD-ETYPE-NEGOTIATION for rc4: major 0x%08x",
                a.major);
        hostile_show_status(a.major, a.minor);
        if (a.major == GSS_S_COMPLETE) {
            CHECK(read_ap_rep(&a.rep, s.session, &r));
            fprintf(stderr, "  note: acceptor subkey enctype %d\n",
                    (int)r.keytype);
            CHECK(rfc4121_enctype(r.keytype));
        } else {
            CHECK(GSS_ERROR(a.major));
        }
        done(&a);
    }
out:
    req_free(&q);
    tear_down(&s);
}

BT_TEST_MAIN(forged_ap_rep_refused, forged_ap_rep_subkey_length,
             forged_ap_req_checksum, forged_ap_req_subkey)
