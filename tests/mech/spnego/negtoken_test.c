/*
 * Tests for src/mech/spnego/negtoken.c: what the writers produce, that the
 * readers give it back for every combination of fields, the forms only
 * peers send (NegTokenInit2, reqFlags), the BT_NEG_MAX_MECHS boundary and
 * tokens captured from MIT and Heimdal.  The malformed tokens are in
 * negtoken_malformed_test.c.
 */
#include "check.h"

#include "mech/spnego/negtoken_captured.h"
#include "mech/spnego/negtoken_check.h"
#include "util/der.h"

static const uint8_t krb5_oid[] = { 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x12,
                                    0x01, 0x02, 0x02 };
static const uint8_t mskrb5_oid[] = { 0x2a, 0x86, 0x48, 0x82, 0xf7, 0x12,
                                      0x01, 0x02, 0x02 };
static gss_OID_desc krb5 = { sizeof(krb5_oid), (void *)krb5_oid };
static gss_OID_desc mskrb5 = { sizeof(mskrb5_oid), (void *)mskrb5_oid };

static bool
view_is(struct bt_neg_view v, const void *p, size_t n)
{
    return v.p != NULL && v.len == n && (n == 0 || memcmp(v.p, p, n) == 0);
}

/* A view matches a buffer the writer was given (NULL: absent). */
static bool
view_matches(struct bt_neg_view v, const gss_buffer_desc *b)
{
    return b == NULL ? v.p == NULL : view_is(v, b->value, b->length);
}

/* Writer output as a malloc'd block, or NULL if the writer failed. */
static uint8_t *
take(struct bt_writer *w, size_t *len)
{
    void *p;

    return bt_wr_take(w, &p, len) == 0 ? p : NULL;
}

static uint8_t *
mech_types(const gss_OID_desc *const *mechs, size_t n, size_t *len)
{
    struct bt_writer w;

    bt_wr_init(&w, false);
    bt_neg_wr_mech_types(&w, mechs, n);
    return take(&w, len);
}

/* BT_NEG_MAX_MECHS + 1 distinct OIDs, 1.2.840.113554.1.2.2.i, and a
 * large token body. */
static uint8_t many_oid[BT_NEG_MAX_MECHS + 1][10];
static gss_OID_desc many[BT_NEG_MAX_MECHS + 1];
static const gss_OID_desc *many_ptrs[BT_NEG_MAX_MECHS + 1];
static uint8_t big[70000];

static void
make_fixtures(void)
{
    for (size_t i = 0; i < sizeof(big); i++)
        big[i] = (uint8_t)(i * 7 + (i >> 8));
    for (size_t i = 0; i < BT_ARRAY_LEN(many); i++) {
        memcpy(many_oid[i], krb5_oid, sizeof(krb5_oid));
        many_oid[i][9] = (uint8_t)i;
        many[i].length = 10;
        many[i].elements = many_oid[i];
        many_ptrs[i] = &many[i];
    }
}

/* Exact octets for the simplest tokens, so that a change of layout shows
 * here and not only as an interop failure. */
static void
writers_lay_out_der_as_rfc_4178_says(void)
{
    static const uint8_t want_list[] = {
        0x30, 0x0b, 0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x12, 0x01,
        0x02, 0x02 };
    static const uint8_t want_init[] = {
        0x60, 0x21, 0x06, 0x06, 0x2b, 0x06, 0x01, 0x05, 0x05, 0x02,
        0xa0, 0x17, 0x30, 0x15, 0xa0, 0x0d, 0x30, 0x0b, 0x06, 0x09,
        0x2a, 0x86, 0x48, 0x86, 0xf7, 0x12, 0x01, 0x02, 0x02,
        0xa2, 0x04, 0x04, 0x02, 0xab, 0xcd };
    static const uint8_t want_resp[] = {
        0xa1, 0x19, 0x30, 0x17, 0xa0, 0x03, 0x0a, 0x01, 0x03,
        0xa1, 0x0b, 0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x12, 0x01,
        0x02, 0x02, 0xa3, 0x03, 0x04, 0x01, 0xef };
    const gss_OID_desc *one[] = { &krb5 };
    gss_buffer_desc tok = { 2, (void *)"\xab\xcd" }, mic = { 1, "\xef" };
    struct bt_writer w;
    uint8_t *list, *out;
    size_t list_len, len;

    list = mech_types(one, 1, &list_len);
    CHECK(list != NULL && list_len == sizeof(want_list) &&
          memcmp(list, want_list, list_len) == 0);
    bt_wr_init(&w, false);
    bt_neg_wr_init_token(&w, list, list_len, &tok, NULL);
    out = take(&w, &len);
    CHECK(out != NULL && len == sizeof(want_init) &&
          memcmp(out, want_init, len) == 0);
    free(out);
    bt_wr_init(&w, false);
    bt_neg_wr_resp(&w, BT_NEG_REQUEST_MIC, &krb5, NULL, &mic);
    out = take(&w, &len);
    CHECK(out != NULL && len == sizeof(want_resp) &&
          memcmp(out, want_resp, len) == 0);
    free(out);
    free(list);
}

/* The buffers a field can be: absent, present and empty, short, and long
 * enough for a two-octet and a three-octet DER length (filled by
 * make_fixtures). */
static const gss_buffer_desc field_values[] = {
    { 0, NULL }, { 3, "abc" }, { 300, big }, { sizeof(big), big },
};
#define N_FIELD_VALUES (BT_ARRAY_LEN(field_values) + 1)

/* Field value i: NULL (absent) for i == 0, else field_values[i - 1]. */
static const gss_buffer_desc *
field(size_t i)
{
    return i == 0 ? NULL : &field_values[i - 1];
}

/* One NegTokenInit round trip through both init readers. */
static void
init_round_trip(size_t n_mechs, const gss_buffer_desc *tok,
                const gss_buffer_desc *mic)
{
    struct bt_neg_init ni = { 0 }, bare = { 0 };
    struct bt_writer w;
    struct bt_reader r, oid, body;
    uint8_t *list, *out;
    size_t list_len, len, body_len;
    const uint8_t *body_p;

    list = mech_types(many_ptrs, n_mechs, &list_len);
    bt_wr_init(&w, false);
    bt_neg_wr_init_token(&w, list, list_len, tok, mic);
    out = take(&w, &len);
    CHECK(out != NULL);
    CHECK(read_as(RD_TOKEN, out, len, &ni, NULL) == 0);
    CHECK(ni.n_mechs == n_mechs);
    for (size_t i = 0; i < n_mechs && i < ni.n_mechs; i++)
        CHECK(view_is(ni.mechs[i], many_oid[i], 10));
    CHECK(view_is(ni.mech_types_der, list, list_len));
    CHECK(view_matches(ni.mech_token, tok));
    CHECK(view_matches(ni.mech_list_mic, mic));
    /* The same body, unframed, reads the same. */
    bt_rd_init(&r, out, len);
    bt_der_rd_token(&r, &oid, &body);
    body_p = bt_rd_rest(&body, &body_len);
    CHECK(read_as(RD_BARE, body_p, body_len, &bare, NULL) == 0);
    CHECK(bare.n_mechs == ni.n_mechs && bare.mech_token.p == ni.mech_token.p &&
          bare.mech_list_mic.p == ni.mech_list_mic.p &&
          bare.mech_types_der.p == ni.mech_types_der.p);
    free(out);
    free(list);
}

static void
init_round_trips_every_field_combination(void)
{
    static const size_t counts[] = { 1, 2, BT_NEG_MAX_MECHS };

    make_fixtures();
    for (size_t c = 0; c < BT_ARRAY_LEN(counts); c++) {
        for (size_t t = 0; t < N_FIELD_VALUES; t++) {
            for (size_t m = 0; m < N_FIELD_VALUES; m++)
                init_round_trip(counts[c], field(t), field(m));
        }
    }
}

static void
resp_round_trip(enum bt_neg_state state, const gss_OID_desc *mech,
                const gss_buffer_desc *tok, const gss_buffer_desc *mic)
{
    struct bt_neg_resp nr = { BT_NEG_STATE_ABSENT, { 0 }, { 0 }, { 0 } };
    struct bt_writer w;
    uint8_t *out;
    size_t len;

    bt_wr_init(&w, false);
    bt_neg_wr_resp(&w, state, mech, tok, mic);
    out = take(&w, &len);
    CHECK(out != NULL);
    CHECK(read_as(RD_RESP, out, len, NULL, &nr) == 0);
    CHECK(nr.state == state);
    if (mech == NULL)
        CHECK(nr.supported_mech.p == NULL);
    else
        CHECK(view_is(nr.supported_mech, mech->elements, mech->length));
    CHECK(view_matches(nr.response_token, tok));
    CHECK(view_matches(nr.mech_list_mic, mic));
    /* A NegTokenResp is never an initiator's first token. */
    CHECK(read_as(RD_BARE, out, len, NULL, NULL) == MALFORMED);
    CHECK(read_as(RD_TOKEN, out, len, NULL, NULL) == FRAMING);
    free(out);
}

static void
resp_round_trips_every_field_combination(void)
{
    static const enum bt_neg_state states[] = {
        BT_NEG_STATE_ABSENT, BT_NEG_ACCEPT_COMPLETED,
        BT_NEG_ACCEPT_INCOMPLETE, BT_NEG_REJECT, BT_NEG_REQUEST_MIC };
    const gss_OID_desc *mechs[] = { NULL, &mskrb5, &many[3] };

    make_fixtures();
    for (size_t s = 0; s < BT_ARRAY_LEN(states); s++) {
        for (size_t o = 0; o < BT_ARRAY_LEN(mechs); o++) {
            for (size_t t = 0; t < N_FIELD_VALUES; t++) {
                for (size_t m = 0; m < N_FIELD_VALUES; m++)
                    resp_round_trip(states[s], mechs[o], field(t), field(m));
            }
        }
    }
}

/* negtoken.h: "a present empty OCTET STRING has p != NULL and len 0". */
static void
empty_octet_string_is_not_absent(void)
{
    static const uint8_t empty_tok[] = { 0xa1, 0x04, 0x30, 0x02, 0xa2, 0x00 };
    static const uint8_t empty_mic[] = { 0xa1, 0x06, 0x30, 0x04,
                                         0xa3, 0x02, 0x04, 0x00 };
    static const uint8_t none[] = { 0xa1, 0x02, 0x30, 0x00 };
    struct bt_neg_resp nr = { BT_NEG_STATE_ABSENT, { 0 }, { 0 }, { 0 } };

    /* [2] with nothing inside is not an empty OCTET STRING. */
    CHECK(read_as(RD_RESP, empty_tok, sizeof(empty_tok), NULL, &nr) ==
          MALFORMED);
    CHECK(read_as(RD_RESP, empty_mic, sizeof(empty_mic), NULL, &nr) == 0);
    CHECK(nr.mech_list_mic.p != NULL && nr.mech_list_mic.len == 0);
    CHECK(nr.response_token.p == NULL && nr.supported_mech.p == NULL);
    CHECK(nr.state == BT_NEG_STATE_ABSENT);
    CHECK(read_as(RD_RESP, none, sizeof(none), NULL, &nr) == 0);
    CHECK(nr.mech_list_mic.p == NULL && nr.mech_list_mic.len == 0);
}

/* MS-SPNG 2.2.1: negHints [3] is skipped, mechListMIC comes from [4]. */
static void
negtokeninit2_is_read_with_hints_skipped(void)
{
    struct hex h;
    struct bt_neg_init ni = { 0 };

    /* Framed, every field, hints with both hintName and hintAddress
     * (MS-SPNG: the latter is never sent, but it is valid). */
    unhex("60 42 06 06 2b0601050502 a0 38 30 36 a0 0d 30 0b 06 09 "
          "2a864886f712010202 a2 04 04 02 abcd a3 17 30 15 a0 0d 1b 0b "
          "6e6f745f646566696e6564 a1 04 04 02 0a00 a4 06 04 04 deadbeef",
          &h);
    CHECK(read_as(RD_TOKEN, h.b, h.n, &ni, NULL) == 0);
    CHECK(ni.n_mechs == 1 && view_is(ni.mechs[0], krb5_oid, 9));
    CHECK(view_is(ni.mech_token, "\xab\xcd", 2));
    CHECK(view_is(ni.mech_list_mic, "\xde\xad\xbe\xef", 4));

    /* What a Windows server sends first: bare, [MS krb5, krb5], hints. */
    unhex("a0 2c 30 2a a0 18 30 16 06 09 2a864882f712010202 06 09 "
          "2a864886f712010202 a3 0e 30 0c a0 0a 1b 08 686f737440424154", &h);
    CHECK(read_as(RD_BARE, h.b, h.n, &ni, NULL) == 0);
    CHECK(ni.n_mechs == 2 && view_is(ni.mechs[0], mskrb5_oid, 9) &&
          view_is(ni.mechs[1], krb5_oid, 9));
    CHECK(ni.mech_token.p == NULL && ni.mech_list_mic.p == NULL);
    CHECK(view_is(ni.mech_types_der, h.b + 6, 0x16 + 2));

    /* [4] without hints, and (empty) hints without [4]. */
    unhex("a0 1d 30 1b a0 0d 30 0b 06 09 2a864886f712010202 a4 0a 04 08 "
          "0102030405060708", &h);
    CHECK(read_as(RD_BARE, h.b, h.n, &ni, NULL) == 0);
    CHECK(view_is(ni.mech_list_mic, "\x01\x02\x03\x04\x05\x06\x07\x08", 8));
    unhex("a0 15 30 13 a0 0d 30 0b 06 09 2a864886f712010202 a3 02 30 00",
          &h);
    CHECK(read_as(RD_BARE, h.b, h.n, &ni, NULL) == 0);
    CHECK(ni.mech_list_mic.p == NULL && ni.mech_token.p == NULL);
}

/* RFC 4178 4.2.1: "the acceptor MUST ignore this reqFlags field", and
 * "Implementations should not expect to receive exactly 32 bits". */
static void
req_flags_are_accepted_and_ignored(void)
{
    static const char *const with_flags[] = {
        /* RFC 2478 senders: 8 bits, none unused */
        "a0 1d 30 1b a0 0d 30 0b 06 09 2a864886f712010202 a1 04 03 02 0042 "
        "a2 04 04 02 abcd",
        /* DER's form of the same: the trailing zero bit removed */
        "a0 1d 30 1b a0 0d 30 0b 06 09 2a864886f712010202 a1 04 03 02 0142 "
        "a2 04 04 02 abcd",
        /* no flags at all */
        "a0 1c 30 1a a0 0d 30 0b 06 09 2a864886f712010202 a1 03 03 01 00 "
        "a2 04 04 02 abcd",
        /* all 32 bits */
        "a0 20 30 1e a0 0d 30 0b 06 09 2a864886f712010202 a1 07 03 05 "
        "00f0000000 a2 04 04 02 abcd",
    };
    struct bt_neg_init ni = { 0 };
    struct hex h;

    for (size_t i = 0; i < BT_ARRAY_LEN(with_flags); i++) {
        unhex(with_flags[i], &h);
        CHECK(read_as(RD_BARE, h.b, h.n, &ni, NULL) == 0);
        CHECK(ni.n_mechs == 1 && view_is(ni.mechs[0], krb5_oid, 9));
        CHECK(view_is(ni.mech_token, "\xab\xcd", 2));
        CHECK(ni.mech_list_mic.p == NULL);
        CHECK(view_is(ni.mech_types_der, h.b + 6, 13));
    }
}

/* BT_NEG_MAX_MECHS are read; one more is BT_E_SPNEGO_TOO_MANY_MECHS, but
 * only for a token that is otherwise well formed. */
static void
max_mechs_boundary(void)
{
    struct bt_neg_init ni = { 0 };
    struct bt_writer w;
    uint8_t *list, *out;
    size_t list_len, len;

    make_fixtures();
    for (size_t n = BT_NEG_MAX_MECHS; n <= BT_NEG_MAX_MECHS + 1; n++) {
        list = mech_types(many_ptrs, n, &list_len);
        CHECK(list != NULL);
        bt_wr_init(&w, false);
        bt_neg_wr_init_token(&w, list, list_len, NULL, NULL);
        out = take(&w, &len);
        CHECK(out != NULL);
        if (n == BT_NEG_MAX_MECHS) {
            CHECK(read_as(RD_TOKEN, out, len, &ni, NULL) == 0);
            CHECK(ni.n_mechs == BT_NEG_MAX_MECHS);
            CHECK(view_is(ni.mechs[BT_NEG_MAX_MECHS - 1],
                          many_oid[BT_NEG_MAX_MECHS - 1], 10));
        } else {
            CHECK(read_as(RD_TOKEN, out, len, &ni, NULL) ==
                  BT_E_SPNEGO_TOO_MANY_MECHS);
            /* One octet more than the framing says: malformed first. */
            CHECK(read_as(RD_TOKEN, out, len - 1, &ni, NULL) == FRAMING);
            /* The last OID cut short inside a well-framed token. */
            out[len - 1] |= 0x80;
            CHECK(read_as(RD_TOKEN, out, len, &ni, NULL) == MALFORMED);
        }
        free(out);
        free(list);
    }
}

/* The writers refuse what the readers would, through the writer's error. */
static void
writers_refuse_what_readers_refuse(void)
{
    static const uint8_t open_arc[] = { 0x2a, 0x86 };
    gss_OID_desc empty = { 0, (void *)krb5_oid }, no_elements = { 9, NULL };
    gss_OID_desc bad_arc = { 2, (void *)open_arc };
    const gss_OID_desc *lists[][2] = {
        { &krb5, &empty }, { &no_elements, &krb5 }, { &bad_arc, &krb5 } };
    gss_buffer_desc dangling = { 4, NULL };
    struct bt_writer w;
    size_t len;

    CHECK(mech_types(many_ptrs, 0, &len) == NULL);
    for (size_t i = 0; i < BT_ARRAY_LEN(lists); i++)
        CHECK(mech_types(lists[i], 2, &len) == NULL);
    bt_wr_init(&w, false);
    bt_neg_wr_init_token(&w, NULL, 0, NULL, NULL);
    CHECK(take(&w, &len) == NULL);
    bt_wr_init(&w, false);
    bt_neg_wr_init_token(&w, "\x30\x00", 2, &dangling, NULL);
    CHECK(take(&w, &len) == NULL);
    bt_wr_init(&w, false);
    bt_neg_wr_resp(&w, (enum bt_neg_state)4, NULL, NULL, NULL);
    CHECK(take(&w, &len) == NULL);
    bt_wr_init(&w, false);
    bt_neg_wr_resp(&w, BT_NEG_REJECT, &empty, NULL, NULL);
    CHECK(take(&w, &len) == NULL);
    bt_wr_init(&w, false);
    bt_neg_wr_resp(&w, BT_NEG_REJECT, NULL, NULL, &dangling);
    CHECK(take(&w, &len) == NULL);
}

/* A token of RFC 4121 4.1 (krb5 framing, then the two-octet TOK_ID). */
static bool
is_krb5_token(struct bt_neg_view v, uint8_t tok_id)
{
    struct bt_reader r, oid, body;
    const uint8_t *p;
    size_t n;

    if (v.p == NULL)
        return false;
    bt_rd_init(&r, v.p, v.len);
    bt_der_rd_token(&r, &oid, &body);
    p = bt_rd_rest(&oid, &n);
    return bt_rd_ok(&r) && n == sizeof(krb5_oid) &&
           memcmp(p, krb5_oid, n) == 0 && bt_rd_u8(&body) == tok_id &&
           bt_rd_u8(&body) == 0x00 && bt_rd_ok(&body);
}

/* An initiator's first token from a peer: [krb5] and an AP-REQ, and the
 * writer, given what was read, makes the same octets. */
static void
check_captured_init(const uint8_t *tok, size_t len, size_t ap_req_len)
{
    static const uint8_t list[] = { 0x30, 0x0b, 0x06, 0x09, 0x2a, 0x86, 0x48,
                                    0x86, 0xf7, 0x12, 0x01, 0x02, 0x02 };
    struct bt_neg_init ni = { 0 };
    gss_buffer_desc mt;
    struct bt_writer w;
    uint8_t *out;
    size_t out_len;

    CHECK(read_as(RD_TOKEN, tok, len, &ni, NULL) == 0);
    CHECK(ni.n_mechs == 1 && view_is(ni.mechs[0], krb5_oid, 9));
    CHECK(view_is(ni.mech_types_der, list, sizeof(list)));
    CHECK(ni.mech_types_der.p == tok + 22);
    CHECK(ni.mech_token.len == ap_req_len && is_krb5_token(ni.mech_token, 1));
    CHECK(ni.mech_list_mic.p == NULL);
    mt.length = ni.mech_token.len;
    mt.value = (void *)ni.mech_token.p;
    bt_wr_init(&w, false);
    bt_neg_wr_init_token(&w, ni.mech_types_der.p, ni.mech_types_der.len, &mt,
                         NULL);
    out = take(&w, &out_len);
    CHECK(out != NULL && out_len == len && memcmp(out, tok, len) == 0);
    free(out);
    /* A first token is never read as a later one. */
    CHECK(read_as(RD_RESP, tok, len, NULL, NULL) == MALFORMED);
}

/* An acceptor's NegTokenResp from a peer, re-encoded to the same octets. */
static void
check_captured_resp(const uint8_t *tok, size_t len, enum bt_neg_state state,
                    bool mech, int tok_id, size_t mic_len)
{
    struct bt_neg_resp nr = { BT_NEG_STATE_ABSENT, { 0 }, { 0 }, { 0 } };
    gss_buffer_desc t, m;
    struct bt_writer w;
    uint8_t *out;
    size_t out_len;

    CHECK(read_as(RD_RESP, tok, len, NULL, &nr) == 0);
    CHECK(nr.state == state);
    CHECK(mech ? view_is(nr.supported_mech, krb5_oid, 9)
               : nr.supported_mech.p == NULL);
    CHECK(tok_id < 0 ? nr.response_token.p == NULL
                     : is_krb5_token(nr.response_token, (uint8_t)tok_id));
    CHECK(mic_len == 0 ? nr.mech_list_mic.p == NULL
                       : nr.mech_list_mic.len == mic_len);
    t.length = nr.response_token.len;
    t.value = (void *)nr.response_token.p;
    m.length = nr.mech_list_mic.len;
    m.value = (void *)nr.mech_list_mic.p;
    bt_wr_init(&w, false);
    bt_neg_wr_resp(&w, nr.state, mech ? &krb5 : NULL,
                   nr.response_token.p != NULL ? &t : NULL,
                   nr.mech_list_mic.p != NULL ? &m : NULL);
    out = take(&w, &out_len);
    CHECK(out != NULL && out_len == len && memcmp(out, tok, len) == 0);
    free(out);
    CHECK(read_as(RD_TOKEN, tok, len, NULL, NULL) == FRAMING);
}

static void
tokens_from_mit_and_heimdal(void)
{
    check_captured_init(mit_init, sizeof(mit_init), 713);
    check_captured_init(heimdal_init, sizeof(heimdal_init), 762);
    /* accept-completed, krb5, AP-REP (RFC 4121 TOK_ID 02 00) */
    check_captured_resp(mit_resp, sizeof(mit_resp), BT_NEG_ACCEPT_COMPLETED,
                        true, 2, 0);
    check_captured_resp(heimdal_resp, sizeof(heimdal_resp),
                        BT_NEG_ACCEPT_COMPLETED, true, 2, 0);
    /* accept-incomplete, AP-REP and a 28-octet krb5 MIC (RFC 4121 4.2.6.1:
     * 16-octet header, 12-octet HMAC-SHA1-96) */
    check_captured_resp(mit_mic_resp, sizeof(mit_mic_resp),
                        BT_NEG_ACCEPT_INCOMPLETE, false, 2, 28);
    CHECK(mit_mic_resp[sizeof(mit_mic_resp) - 28] == 0x04 &&
          mit_mic_resp[sizeof(mit_mic_resp) - 27] == 0x04);
    /* reject, with MIT's KRB-ERROR (TOK_ID 03 00) and without Heimdal's */
    check_captured_resp(mit_reject, sizeof(mit_reject), BT_NEG_REJECT, false,
                        3, 0);
    check_captured_resp(heimdal_reject, sizeof(heimdal_reject),
                        BT_NEG_REJECT, false, -1, 0);
}

BT_TEST_MAIN(writers_lay_out_der_as_rfc_4178_says,
             init_round_trips_every_field_combination,
             resp_round_trips_every_field_combination,
             empty_octet_string_is_not_absent,
             negtokeninit2_is_read_with_hints_skipped,
             req_flags_are_accepted_and_ignored, max_mechs_boundary,
             writers_refuse_what_readers_refuse, tokens_from_mit_and_heimdal)
