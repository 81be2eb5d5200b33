/*
 * Tests for src/mech/spnego/negtoken.c: the catalogue of malformed
 * negotiation tokens.  Each entry is hand-built DER that breaks one rule
 * (DER only, one token, fields in order, no unknown or repeated field, an
 * OID is never empty, ...) next to a twin that differs only in that rule
 * and is accepted, so an entry fails if the rule is not enforced and also
 * if the reader refuses for some other reason.  Hex is spaced at element
 * boundaries: each header octet alone, each primitive value as one group.
 */
#include "check.h"

#include "mech/spnego/negtoken_check.h"

/* Accepted twins. */
enum good {
    G_FRAMED,       /* SPNEGO-framed { [krb5], mechToken } */
    G_BARE,         /* the same, unframed */
    G_BARE_MIC,     /* ... and mechListMIC [3] */
    G_BARE_FLAGS,   /* mechTypes, reqFlags [1], mechToken */
    G_INIT2,        /* NegTokenInit2: mechToken, negHints [3], MIC [4] */
    G_TWO_MECHS,    /* [krb5, MS krb5], mechToken */
    G_HINT_ADDR,    /* NegTokenInit2 with hintName and hintAddress */
    G_RESP,         /* every NegTokenResp field */
    G_RESP_STATE,   /* negState alone */
    G_RESP_MECH,    /* negState, supportedMech */
    G_RESP_TOK,     /* responseToken alone */
    G_RESP_TOK_MIC, /* responseToken, mechListMIC */
    G_RESP_MIC,     /* mechListMIC alone */
    G_COUNT
};

static const enum reader_kind good_reader[G_COUNT] = {
    [G_FRAMED] = RD_TOKEN, [G_BARE] = RD_BARE, [G_BARE_MIC] = RD_BARE,
    [G_BARE_FLAGS] = RD_BARE, [G_INIT2] = RD_BARE, [G_TWO_MECHS] = RD_BARE,
    [G_HINT_ADDR] = RD_BARE, [G_RESP] = RD_RESP, [G_RESP_STATE] = RD_RESP,
    [G_RESP_MECH] = RD_RESP, [G_RESP_TOK] = RD_RESP,
    [G_RESP_TOK_MIC] = RD_RESP, [G_RESP_MIC] = RD_RESP,
};

static const char *const good_hex[G_COUNT] = {
    [G_FRAMED] = "60 21 06 06 2b0601050502 a0 17 30 15 a0 0d 30 0b 06 09 "
        "2a864886f712010202 a2 04 04 02 abcd",
    [G_BARE] = "a0 17 30 15 a0 0d 30 0b 06 09 2a864886f712010202 a2 04 04 "
        "02 abcd",
    [G_BARE_MIC] = "a0 1c 30 1a a0 0d 30 0b 06 09 2a864886f712010202 a2 04 "
        "04 02 abcd a3 03 04 01 ef",
    [G_BARE_FLAGS] = "a0 1d 30 1b a0 0d 30 0b 06 09 2a864886f712010202 a1 "
        "04 03 02 0042 a2 04 04 02 abcd",
    [G_INIT2] = "a0 2a 30 28 a0 0d 30 0b 06 09 2a864886f712010202 a2 04 04 "
        "02 abcd a3 0c 30 0a a0 08 1b 06 69676e6f7265 a4 03 04 01 ef",
    [G_TWO_MECHS] = "a0 22 30 20 a0 18 30 16 06 09 2a864886f712010202 06 "
        "09 2a864882f712010202 a2 04 04 02 abcd",
    [G_HINT_ADDR] = "a0 24 30 22 a0 0d 30 0b 06 09 2a864886f712010202 a3 "
        "11 30 0f a0 08 1b 06 69676e6f7265 a1 03 04 01 00",
    [G_RESP] = "a1 1f 30 1d a0 03 0a 01 00 a1 0b 06 09 2a864886f712010202 "
        "a2 04 04 02 abcd a3 03 04 01 ef",
    [G_RESP_STATE] = "a1 07 30 05 a0 03 0a 01 00",
    [G_RESP_MECH] = "a1 14 30 12 a0 03 0a 01 00 a1 0b 06 09 "
        "2a864886f712010202",
    [G_RESP_TOK] = "a1 08 30 06 a2 04 04 02 abcd",
    [G_RESP_TOK_MIC] = "a1 0d 30 0b a2 04 04 02 abcd a3 03 04 01 ef",
    [G_RESP_MIC] = "a1 07 30 05 a3 03 04 01 ef",
};

static const struct {
    const char *why;
    enum reader_kind reader;
    enum good twin;
    OM_uint32 want;
    const char *hex;
} bad[] = {
    { "trailing octet after a framed token", RD_TOKEN, G_FRAMED, FRAMING,
      "60 21 06 06 2b0601050502 a0 17 30 15 a0 0d 30 0b 06 09 "
      "2a864886f712010202 a2 04 04 02 abcd 00" },
    { "trailing octet after a bare NegTokenInit", RD_BARE, G_BARE, MALFORMED,
      "a0 17 30 15 a0 0d 30 0b 06 09 2a864886f712010202 a2 04 04 02 abcd "
      "00" },
    { "trailing octet after a NegTokenResp", RD_RESP, G_RESP, MALFORMED,
      "a1 1f 30 1d a0 03 0a 01 00 a1 0b 06 09 2a864886f712010202 a2 04 04 "
      "02 abcd a3 03 04 01 ef 00" },
    { "octet after the SEQUENCE inside [0]", RD_BARE, G_BARE, MALFORMED,
      "a0 18 30 15 a0 0d 30 0b 06 09 2a864886f712010202 a2 04 04 02 abcd "
      "00" },
    { "octet after the SEQUENCE inside [1]", RD_RESP, G_RESP_STATE, MALFORMED,
      "a1 08 30 05 a0 03 0a 01 00 00" },
    { "two SEQUENCEs in [1]", RD_RESP, G_RESP_STATE, MALFORMED,
      "a1 0e 30 05 a0 03 0a 01 00 30 05 a0 03 0a 01 00" },
    { "non-minimal length (81 for under 128)", RD_BARE, G_BARE, MALFORMED,
      "a0 18 30 81 15 a0 0d 30 0b 06 09 2a864886f712010202 a2 04 04 02 "
      "abcd" },
    { "non-minimal length of an OCTET STRING", RD_RESP, G_RESP_TOK, MALFORMED,
      "a1 09 30 07 a2 05 04 81 02 abcd" },
    { "indefinite length (BER, not DER)", RD_BARE, G_BARE, MALFORMED,
      "a0 19 30 80 a0 0d 30 0b 06 09 2a864886f712010202 a2 04 04 02 abcd "
      "00 00" },
    { "mechTypes missing", RD_BARE, G_BARE, MALFORMED,
      "a0 08 30 06 a2 04 04 02 abcd" },
    { "empty MechTypeList", RD_BARE, G_BARE, MALFORMED,
      "a0 0c 30 0a a0 02 30 00 a2 04 04 02 abcd" },
    { "zero-length OID in MechTypeList", RD_BARE, G_TWO_MECHS, MALFORMED,
      "a0 19 30 17 a0 0f 30 0d 06 09 2a864886f712010202 06 00 a2 04 04 02 "
      "abcd" },
    { "OID arc with a leading 0x80 octet", RD_BARE, G_TWO_MECHS, MALFORMED,
      "a0 23 30 21 a0 19 30 17 06 09 2a864886f712010202 06 0a "
      "2a80864882f712010202 a2 04 04 02 abcd" },
    { "OID ending inside an arc", RD_BARE, G_TWO_MECHS, MALFORMED,
      "a0 22 30 20 a0 18 30 16 06 09 2a864886f712010202 06 09 "
      "2a864882f712010282 a2 04 04 02 abcd" },
    { "OCTET STRING in MechTypeList", RD_BARE, G_BARE, MALFORMED,
      "a0 17 30 15 a0 0d 30 0b 04 09 2a864886f712010202 a2 04 04 02 abcd" },
    { "MechTypeList a SET", RD_BARE, G_BARE, MALFORMED,
      "a0 17 30 15 a0 0d 31 0b 06 09 2a864886f712010202 a2 04 04 02 abcd" },
    { "two MechTypeLists in mechTypes [0]", RD_BARE, G_BARE, MALFORMED,
      "a0 24 30 22 a0 1a 30 0b 06 09 2a864886f712010202 30 0b 06 09 "
      "2a864886f712010202 a2 04 04 02 abcd" },
    { "two OCTET STRINGs in mechToken [2]", RD_BARE, G_BARE, MALFORMED,
      "a0 1a 30 18 a0 0d 30 0b 06 09 2a864886f712010202 a2 07 04 02 abcd "
      "04 01 cd" },
    { "mechToken repeated", RD_BARE, G_BARE, MALFORMED,
      "a0 1d 30 1b a0 0d 30 0b 06 09 2a864886f712010202 a2 04 04 02 abcd "
      "a2 04 04 02 abcd" },
    { "mechToken before mechTypes", RD_BARE, G_BARE, MALFORMED,
      "a0 17 30 15 a2 04 04 02 abcd a0 0d 30 0b 06 09 2a864886f712010202" },
    { "reqFlags after mechToken", RD_BARE, G_BARE_FLAGS, MALFORMED,
      "a0 1d 30 1b a0 0d 30 0b 06 09 2a864886f712010202 a2 04 04 02 abcd "
      "a1 04 03 02 0042" },
    { "mechListMIC before mechToken", RD_BARE, G_BARE_MIC, MALFORMED,
      "a0 1c 30 1a a0 0d 30 0b 06 09 2a864886f712010202 a3 03 04 01 ef a2 "
      "04 04 02 abcd" },
    { "unknown field [5]", RD_BARE, G_BARE_MIC, MALFORMED,
      "a0 21 30 1f a0 0d 30 0b 06 09 2a864886f712010202 a2 04 04 02 abcd "
      "a3 03 04 01 ef a5 03 04 01 00" },
    { "universal NULL among the fields", RD_BARE, G_BARE_MIC, MALFORMED,
      "a0 1e 30 1c a0 0d 30 0b 06 09 2a864886f712010202 a2 04 04 02 abcd "
      "05 00 a3 03 04 01 ef" },
    { "[4] after a [3] OCTET STRING", RD_BARE, G_BARE_MIC, MALFORMED,
      "a0 21 30 1f a0 0d 30 0b 06 09 2a864886f712010202 a2 04 04 02 abcd "
      "a3 03 04 01 ef a4 03 04 01 ef" },
    { "negHints twice", RD_BARE, G_INIT2, MALFORMED,
      "a0 38 30 36 a0 0d 30 0b 06 09 2a864886f712010202 a2 04 04 02 abcd "
      "a3 0c 30 0a a0 08 1b 06 69676e6f7265 a3 0c 30 0a a0 08 1b 06 "
      "69676e6f7265 a4 03 04 01 ef" },
    { "[4] twice", RD_BARE, G_INIT2, MALFORMED,
      "a0 2f 30 2d a0 0d 30 0b 06 09 2a864886f712010202 a2 04 04 02 abcd "
      "a3 0c 30 0a a0 08 1b 06 69676e6f7265 a4 03 04 01 ef a4 03 04 01 ef" },
    { "negHints after [4]", RD_BARE, G_INIT2, MALFORMED,
      "a0 2a 30 28 a0 0d 30 0b 06 09 2a864886f712010202 a2 04 04 02 abcd "
      "a4 03 04 01 ef a3 0c 30 0a a0 08 1b 06 69676e6f7265" },
    { "negHints with an unknown field [2]", RD_BARE, G_INIT2, MALFORMED,
      "a0 2f 30 2d a0 0d 30 0b 06 09 2a864886f712010202 a2 04 04 02 abcd "
      "a3 11 30 0f a0 08 1b 06 69676e6f7265 a2 03 04 01 00 a4 03 04 01 ef" },
    { "hintName a UTF8String", RD_BARE, G_INIT2, MALFORMED,
      "a0 2a 30 28 a0 0d 30 0b 06 09 2a864886f712010202 a2 04 04 02 abcd "
      "a3 0c 30 0a a0 08 0c 06 69676e6f7265 a4 03 04 01 ef" },
    { "hintAddress before hintName", RD_BARE, G_HINT_ADDR, MALFORMED,
      "a0 24 30 22 a0 0d 30 0b 06 09 2a864886f712010202 a3 11 30 0f a1 03 "
      "04 01 00 a0 08 1b 06 69676e6f7265" },
    { "[3] holding an INTEGER", RD_BARE, G_BARE_MIC, MALFORMED,
      "a0 1c 30 1a a0 0d 30 0b 06 09 2a864886f712010202 a2 04 04 02 abcd "
      "a3 03 02 01 01" },
    { "mechToken a constructed OCTET STRING", RD_BARE, G_BARE, MALFORMED,
      "a0 19 30 17 a0 0d 30 0b 06 09 2a864886f712010202 a2 06 24 04 04 02 "
      "abcd" },
    { "mechToken a UTF8String", RD_BARE, G_BARE, MALFORMED,
      "a0 17 30 15 a0 0d 30 0b 06 09 2a864886f712010202 a2 04 0c 02 abcd" },
    { "reqFlags with 8 unused bits", RD_BARE, G_BARE_FLAGS, MALFORMED,
      "a0 1d 30 1b a0 0d 30 0b 06 09 2a864886f712010202 a1 04 03 02 0800 "
      "a2 04 04 02 abcd" },
    { "reqFlags with a padding bit set", RD_BARE, G_BARE_FLAGS, MALFORMED,
      "a0 1d 30 1b a0 0d 30 0b 06 09 2a864886f712010202 a1 04 03 02 0143 "
      "a2 04 04 02 abcd" },
    { "reqFlags an INTEGER", RD_BARE, G_BARE_FLAGS, MALFORMED,
      "a0 1d 30 1b a0 0d 30 0b 06 09 2a864886f712010202 a1 04 02 02 0042 "
      "a2 04 04 02 abcd" },
    { "NegTokenResp given to the init reader", RD_BARE, G_BARE, MALFORMED,
      "a1 1f 30 1d a0 03 0a 01 00 a1 0b 06 09 2a864886f712010202 a2 04 04 "
      "02 abcd a3 03 04 01 ef" },
    { "NegTokenInit given to the resp reader", RD_RESP, G_RESP, MALFORMED,
      "a0 17 30 15 a0 0d 30 0b 06 09 2a864886f712010202 a2 04 04 02 abcd" },
    { "framed with the krb5 OID", RD_TOKEN, G_FRAMED, FRAMING,
      "60 24 06 09 2a864886f712010202 a0 17 30 15 a0 0d 30 0b 06 09 "
      "2a864886f712010202 a2 04 04 02 abcd" },
    { "not framed", RD_TOKEN, G_FRAMED, FRAMING,
      "a0 17 30 15 a0 0d 30 0b 06 09 2a864886f712010202 a2 04 04 02 abcd" },
    { "framed with an empty OID", RD_TOKEN, G_FRAMED, FRAMING,
      "60 1b 06 00 a0 17 30 15 a0 0d 30 0b 06 09 2a864886f712010202 a2 04 "
      "04 02 abcd" },
    { "framing length past the end", RD_TOKEN, G_FRAMED, FRAMING,
      "60 22 06 06 2b0601050502 a0 17 30 15 a0 0d 30 0b 06 09 "
      "2a864886f712010202 a2 04 04 02 abcd" },
    { "framing length short of the end", RD_TOKEN, G_FRAMED, FRAMING,
      "60 20 06 06 2b0601050502 a0 17 30 15 a0 0d 30 0b 06 09 "
      "2a864886f712010202 a2 04 04 02 abcd" },
    { "framed NegTokenResp", RD_TOKEN, G_FRAMED, MALFORMED,
      "60 29 06 06 2b0601050502 a1 1f 30 1d a0 03 0a 01 00 a1 0b 06 09 "
      "2a864886f712010202 a2 04 04 02 abcd a3 03 04 01 ef" },
    { "framed, nothing inside", RD_TOKEN, G_FRAMED, MALFORMED,
      "60 08 06 06 2b0601050502" },
    { "framed NegTokenResp to the resp reader", RD_RESP, G_RESP, MALFORMED,
      "60 29 06 06 2b0601050502 a1 1f 30 1d a0 03 0a 01 00 a1 0b 06 09 "
      "2a864886f712010202 a2 04 04 02 abcd a3 03 04 01 ef" },
    { "negState 4", RD_RESP, G_RESP_STATE, MALFORMED,
      "a1 07 30 05 a0 03 0a 01 04" },
    { "negState -1", RD_RESP, G_RESP_STATE, MALFORMED,
      "a1 07 30 05 a0 03 0a 01 ff" },
    { "negState not minimal", RD_RESP, G_RESP_STATE, MALFORMED,
      "a1 08 30 06 a0 04 0a 02 0000" },
    { "negState without octets", RD_RESP, G_RESP_STATE, MALFORMED,
      "a1 06 30 04 a0 02 0a 00" },
    { "negState an INTEGER", RD_RESP, G_RESP_STATE, MALFORMED,
      "a1 07 30 05 a0 03 02 01 00" },
    { "negState repeated", RD_RESP, G_RESP_STATE, MALFORMED,
      "a1 0c 30 0a a0 03 0a 01 00 a0 03 0a 01 00" },
    { "supportedMech an empty OID", RD_RESP, G_RESP_MECH, MALFORMED,
      "a1 0b 30 09 a0 03 0a 01 00 a1 02 06 00" },
    { "supportedMech an OCTET STRING", RD_RESP, G_RESP_MECH, MALFORMED,
      "a1 14 30 12 a0 03 0a 01 00 a1 0b 04 09 2a864886f712010202" },
    { "supportedMech before negState", RD_RESP, G_RESP_MECH, MALFORMED,
      "a1 14 30 12 a1 0b 06 09 2a864886f712010202 a0 03 0a 01 00" },
    { "mechListMIC before responseToken", RD_RESP, G_RESP_TOK_MIC, MALFORMED,
      "a1 0d 30 0b a3 03 04 01 ef a2 04 04 02 abcd" },
    { "responseToken repeated", RD_RESP, G_RESP_TOK, MALFORMED,
      "a1 0e 30 0c a2 04 04 02 abcd a2 04 04 02 abcd" },
    { "unknown field [4]", RD_RESP, G_RESP_STATE, MALFORMED,
      "a1 0c 30 0a a0 03 0a 01 00 a4 03 04 01 ef" },
    { "mechListMIC a constructed OCTET STRING", RD_RESP, G_RESP_MIC, MALFORMED,
      "a1 09 30 07 a3 05 24 03 04 01 ef" },
};

static void
every_twin_is_accepted(void)
{
    for (size_t i = 0; i < G_COUNT; i++) {
        struct hex h;
        OM_uint32 rc;

        unhex(good_hex[i], &h);
        rc = read_as(good_reader[i], h.b, h.n, NULL, NULL);
        if (rc != 0)
            fprintf(stderr, "  twin %zu refused: 0x%08x\n", i, (unsigned)rc);
        CHECK(rc == 0);
    }
}

static void
every_malformed_token_is_refused_with_its_code(void)
{
    for (size_t i = 0; i < BT_ARRAY_LEN(bad); i++) {
        struct hex h, twin;
        OM_uint32 rc;

        unhex(bad[i].hex, &h);
        unhex(good_hex[bad[i].twin], &twin);
        /* The twin is read by the same reader as the entry. */
        CHECK(good_reader[bad[i].twin] == bad[i].reader);
        CHECK(h.n != twin.n || memcmp(h.b, twin.b, h.n) != 0);
        rc = read_as(bad[i].reader, h.b, h.n, NULL, NULL);
        if (rc != bad[i].want)
            fprintf(stderr, "  %s: got 0x%08x, want 0x%08x\n", bad[i].why,
                    (unsigned)rc, (unsigned)bad[i].want);
        CHECK(rc == bad[i].want);
    }
}

/* Every proper prefix of an accepted token is refused: DER lengths are
 * explicit, so a cut anywhere leaves something short. */
static void
every_prefix_of_a_twin_is_refused(void)
{
    for (size_t i = 0; i < G_COUNT; i++) {
        struct hex h;
        size_t accepted = 0;

        unhex(good_hex[i], &h);
        for (size_t n = 0; n < h.n; n++) {
            if (read_as(good_reader[i], h.b, n, NULL, NULL) == 0)
                accepted++;
        }
        CHECK(accepted == 0);
    }
}

/* The empty input: not framed, and not a bare token either. */
static void
empty_input_is_refused(void)
{
    static const uint8_t none[1];

    CHECK(read_as(RD_TOKEN, none, 0, NULL, NULL) == FRAMING);
    CHECK(read_as(RD_BARE, none, 0, NULL, NULL) == MALFORMED);
    CHECK(read_as(RD_RESP, none, 0, NULL, NULL) == MALFORMED);
    CHECK(read_as(RD_TOKEN, NULL, 0, NULL, NULL) == FRAMING);
    CHECK(read_as(RD_RESP, NULL, 0, NULL, NULL) == MALFORMED);
}

BT_TEST_MAIN(every_twin_is_accepted,
             every_malformed_token_is_refused_with_its_code,
             every_prefix_of_a_twin_is_refused, empty_input_is_refused)
