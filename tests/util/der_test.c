/* Tests for src/util/der.c: lengths, RFC 2743 token framing and exported
 * names, including the malformed forms that must be refused. */
#include "check.h"

#include "util/der.h"

static const uint8_t krb5_oid[] = { 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x12,
                                    0x01, 0x02, 0x02 };

static void
length_round_trip(void)
{
    static const size_t lens[] = { 0, 1, 127, 128, 255, 256, 65535, 65536,
                                   0xffffff, 0x1000000, 0xffffffffu };
    for (size_t i = 0; i < sizeof(lens) / sizeof(lens[0]); i++) {
        struct bt_writer w;
        struct bt_reader r;
        void *data;
        size_t len;

        bt_wr_init(&w, false);
        bt_der_wr_len(&w, lens[i]);
        CHECK(bt_wr_take(&w, &data, &len) == 0);
        CHECK(len == bt_der_len_size(lens[i]));
        bt_rd_init(&r, data, len);
        CHECK(bt_der_rd_len(&r) == lens[i]);
        CHECK(bt_rd_done(&r));
        free(data);
    }
}

static void
rejects_non_der_lengths(void)
{
    static const uint8_t indefinite[] = { 0x80 };
    static const uint8_t long_short[] = { 0x81, 0x05 };    /* needs 1 octet */
    static const uint8_t padded[] = { 0x82, 0x00, 0x80 };  /* leading zero */
    static const uint8_t too_long[] = { 0x85, 1, 1, 1, 1, 1 };
    static const uint8_t truncated[] = { 0x82, 0x01 };
    const struct { const uint8_t *p; size_t n; } bad[] = {
        { indefinite, 1 }, { long_short, 2 }, { padded, 3 },
        { too_long, 6 }, { truncated, 2 },
    };

    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        struct bt_reader r;

        bt_rd_init(&r, bad[i].p, bad[i].n);
        (void)bt_der_rd_len(&r);
        CHECK(!bt_rd_ok(&r));
    }
}

static void
token_round_trip(void)
{
    struct bt_writer w;
    struct bt_reader r, oid, body;
    uint8_t inner[300];
    void *data;
    size_t len, n;
    const uint8_t *p;

    memset(inner, 0xab, sizeof(inner));
    bt_wr_init(&w, false);
    bt_der_wr_token(&w, krb5_oid, sizeof(krb5_oid), inner, sizeof(inner));
    CHECK(bt_wr_take(&w, &data, &len) == 0);
    CHECK(((uint8_t *)data)[0] == 0x60);
    CHECK(((uint8_t *)data)[1] == 0x82);            /* 311 needs two octets */
    bt_rd_init(&r, data, len);
    bt_der_rd_token(&r, &oid, &body);
    CHECK(bt_rd_ok(&r));
    p = bt_rd_rest(&oid, &n);
    CHECK(n == sizeof(krb5_oid) && memcmp(p, krb5_oid, n) == 0);
    p = bt_rd_rest(&body, &n);
    CHECK(n == sizeof(inner) && memcmp(p, inner, n) == 0);
    free(data);
}

static void
token_rejects_bad_framing(void)
{
    /* 0x60 len 0x06 len oid inner */
    static const uint8_t good[] = { 0x60, 0x0c, 0x06, 0x09, 0x2a, 0x86, 0x48,
                                    0x86, 0xf7, 0x12, 0x01, 0x02, 0x02, 0x01 };
    uint8_t t[sizeof(good) + 1];
    struct bt_reader r, oid, body;

    memcpy(t, good, sizeof(good));
    bt_rd_init(&r, t, sizeof(good));
    bt_der_rd_token(&r, &oid, &body);
    CHECK(bt_rd_ok(&r));

    t[0] = 0x61;                                    /* wrong tag */
    bt_rd_init(&r, t, sizeof(good));
    bt_der_rd_token(&r, &oid, &body);
    CHECK(!bt_rd_ok(&r) && !bt_rd_ok(&body));
    t[0] = 0x60;

    t[sizeof(good)] = 0;                            /* trailing byte */
    bt_rd_init(&r, t, sizeof(good) + 1);
    bt_der_rd_token(&r, &oid, &body);
    CHECK(!bt_rd_ok(&r));

    t[1] = 0x0d;                                    /* outer overruns */
    bt_rd_init(&r, t, sizeof(good));
    bt_der_rd_token(&r, &oid, &body);
    CHECK(!bt_rd_ok(&r));
    t[1] = 0x0c;

    t[3] = 0x0b;                                    /* OID overruns outer */
    bt_rd_init(&r, t, sizeof(good));
    bt_der_rd_token(&r, &oid, &body);
    CHECK(!bt_rd_ok(&r));
    t[3] = 0x09;

    t[2] = 0x04;                                    /* not an OID */
    bt_rd_init(&r, t, sizeof(good));
    bt_der_rd_token(&r, &oid, &body);
    CHECK(!bt_rd_ok(&r));

    bt_rd_init(&r, t, 0);                           /* empty */
    bt_der_rd_token(&r, &oid, &body);
    CHECK(!bt_rd_ok(&r));
}

static void
exported_name_round_trip_and_layout(void)
{
    static const uint8_t want_head[] = { 0x04, 0x01, 0x00, 0x0b, 0x06, 0x09 };
    struct bt_writer w;
    struct bt_reader r, oid, name;
    uint8_t *data;
    size_t len, n;
    const uint8_t *p;

    bt_wr_init(&w, false);
    bt_der_wr_exported_name(&w, krb5_oid, sizeof(krb5_oid), "a@B", 3);
    CHECK(bt_wr_take(&w, (void **)&data, &len) == 0);
    CHECK(len == 6 + 9 + 4 + 3);
    CHECK(memcmp(data, want_head, sizeof(want_head)) == 0);
    CHECK(data[15] == 0 && data[18] == 3);          /* 4-octet name length */
    bt_rd_init(&r, data, len);
    bt_der_rd_exported_name(&r, &oid, &name);
    CHECK(bt_rd_ok(&r));
    p = bt_rd_rest(&name, &n);
    CHECK(n == 3 && memcmp(p, "a@B", 3) == 0);

    data[1] = 0x02;                                 /* composite: not ours */
    bt_rd_init(&r, data, len);
    bt_der_rd_exported_name(&r, &oid, &name);
    CHECK(!bt_rd_ok(&r));
    data[1] = 0x01;

    data[18] = 4;                                   /* name overruns */
    bt_rd_init(&r, data, len);
    bt_der_rd_exported_name(&r, &oid, &name);
    CHECK(!bt_rd_ok(&r));
    data[18] = 3;

    data[3] = 0x0c;                                 /* OID length disagrees */
    bt_rd_init(&r, data, len);
    bt_der_rd_exported_name(&r, &oid, &name);
    CHECK(!bt_rd_ok(&r));
    data[3] = 0x0b;

    bt_rd_init(&r, data, len - 1);                  /* truncated */
    bt_der_rd_exported_name(&r, &oid, &name);
    CHECK(!bt_rd_ok(&r));
    free(data);
}

static bool
enum_reads(const uint8_t *p, size_t n, int64_t *v)
{
    struct bt_reader r;

    bt_rd_init(&r, p, n);
    *v = bt_der_rd_enumerated(&r);
    return bt_rd_done(&r);
}

static void
enumerated_is_an_integer_with_its_own_tag(void)
{
    static const uint8_t zero[] = { 0x0a, 0x01, 0x00 };
    static const uint8_t three[] = { 0x0a, 0x01, 0x03 };
    static const uint8_t minus1[] = { 0x0a, 0x01, 0xff };
    static const uint8_t big[] = { 0x0a, 0x02, 0x00, 0x80 };
    static const uint8_t padded[] = { 0x0a, 0x02, 0x00, 0x03 };
    static const uint8_t empty[] = { 0x0a, 0x00 };
    static const uint8_t integer[] = { 0x02, 0x01, 0x03 };
    int64_t v = 99;
    struct bt_reader r;

    CHECK(enum_reads(zero, sizeof(zero), &v) && v == 0);
    CHECK(enum_reads(three, sizeof(three), &v) && v == 3);
    CHECK(enum_reads(minus1, sizeof(minus1), &v) && v == -1);
    CHECK(enum_reads(big, sizeof(big), &v) && v == 128);
    CHECK(!enum_reads(padded, sizeof(padded), &v));     /* not minimal */
    CHECK(!enum_reads(empty, sizeof(empty), &v));       /* no octets */
    CHECK(!enum_reads(integer, sizeof(integer), &v));   /* INTEGER tag */
    /* ... and INTEGER still reads INTEGER, not ENUMERATED. */
    bt_rd_init(&r, integer, sizeof(integer));
    CHECK(bt_der_rd_int(&r) == 3 && bt_rd_done(&r));
    bt_rd_init(&r, three, sizeof(three));
    (void)bt_der_rd_int(&r);
    CHECK(!bt_rd_ok(&r));
}

static void
explicit_holds_exactly_one_element(void)
{
    static const uint8_t good[] = { 0xa2, 0x04, 0x04, 0x02, 0xab, 0xcd };
    static const uint8_t empty_octets[] = { 0xa2, 0x02, 0x04, 0x00 };
    static const uint8_t two[] = { 0xa2, 0x06, 0x04, 0x01, 0xab,
                                   0x04, 0x01, 0xcd };
    static const uint8_t wrong_inner[] = { 0xa2, 0x03, 0x06, 0x01, 0x2a };
    static const uint8_t wrong_n[] = { 0xa3, 0x03, 0x04, 0x01, 0xab };
    static const uint8_t inner_overrun[] = { 0xa2, 0x03, 0x04, 0x02, 0xab };
    struct bt_reader r, v;
    const uint8_t *p;
    size_t n;

    bt_rd_init(&r, good, sizeof(good));
    bt_der_rd_explicit(&r, 2, 0x04, &v);
    CHECK(bt_rd_done(&r));
    p = bt_rd_rest(&v, &n);
    CHECK(n == 2 && p != NULL && p[0] == 0xab && p[1] == 0xcd);

    bt_rd_init(&r, empty_octets, sizeof(empty_octets));
    bt_der_rd_explicit(&r, 2, 0x04, &v);
    CHECK(bt_rd_done(&r) && bt_rd_ok(&v) && bt_rd_remaining(&v) == 0);

    bt_rd_init(&r, two, sizeof(two));
    bt_der_rd_explicit(&r, 2, 0x04, &v);
    CHECK(!bt_rd_ok(&r) && !bt_rd_ok(&v));
    bt_rd_init(&r, wrong_inner, sizeof(wrong_inner));
    bt_der_rd_explicit(&r, 2, 0x04, &v);
    CHECK(!bt_rd_ok(&r) && !bt_rd_ok(&v));
    bt_rd_init(&r, wrong_n, sizeof(wrong_n));
    bt_der_rd_explicit(&r, 2, 0x04, &v);
    CHECK(!bt_rd_ok(&r) && !bt_rd_ok(&v));
    bt_rd_init(&r, inner_overrun, sizeof(inner_overrun));
    bt_der_rd_explicit(&r, 2, 0x04, &v);
    CHECK(!bt_rd_ok(&r) && !bt_rd_ok(&v));
}

static void
tlv_raw_is_the_whole_element(void)
{
    /* SEQUENCE { OID 1.2 } followed by one more byte. */
    static const uint8_t in[] = { 0x30, 0x03, 0x06, 0x01, 0x2a, 0x99 };
    struct bt_reader r, contents, raw;
    const uint8_t *p;
    size_t n;

    bt_rd_init(&r, in, sizeof(in));
    bt_der_rd_tlv_raw(&r, 0x30, &contents, &raw);
    CHECK(bt_rd_ok(&r) && bt_rd_remaining(&r) == 1);
    p = bt_rd_rest(&raw, &n);
    CHECK(p == in && n == 5);
    CHECK(bt_rd_remaining(&contents) == 3 && bt_rd_peek(&contents) == 0x06);

    bt_rd_init(&r, in, sizeof(in));                 /* wrong tag */
    bt_der_rd_tlv_raw(&r, 0x31, &contents, &raw);
    CHECK(!bt_rd_ok(&r) && !bt_rd_ok(&contents) && !bt_rd_ok(&raw));
    bt_rd_init(&r, in, 4);                          /* truncated */
    bt_der_rd_tlv_raw(&r, 0x30, &contents, &raw);
    CHECK(!bt_rd_ok(&r) && !bt_rd_ok(&contents) && !bt_rd_ok(&raw));
}

static bool
oid_reads(const uint8_t *p, size_t n)
{
    struct bt_reader r, contents;

    bt_rd_init(&r, p, n);
    bt_der_rd_oid(&r, &contents);
    return bt_rd_done(&r) && bt_rd_ok(&contents) &&
           bt_rd_remaining(&contents) + 2 == n;
}

static void
oid_contents_are_checked(void)
{
    static const uint8_t spnego[] = { 0x06, 0x06, 0x2b, 0x06, 0x01, 0x05,
                                      0x05, 0x02 };
    static const uint8_t empty[] = { 0x06, 0x00 };
    static const uint8_t padded_arc[] = { 0x06, 0x03, 0x2a, 0x80, 0x01 };
    static const uint8_t open_arc[] = { 0x06, 0x02, 0x2a, 0x86 };
    static const uint8_t not_oid[] = { 0x04, 0x01, 0x2a };
    static const uint8_t two_octet_arc[] = { 0x06, 0x03, 0x2a, 0x86, 0x48 };

    CHECK(oid_reads(spnego, sizeof(spnego)));
    CHECK(oid_reads(two_octet_arc, sizeof(two_octet_arc)));
    CHECK(!oid_reads(empty, sizeof(empty)));
    CHECK(!oid_reads(padded_arc, sizeof(padded_arc)));
    CHECK(!oid_reads(open_arc, sizeof(open_arc)));
    CHECK(!oid_reads(not_oid, sizeof(not_oid)));

    CHECK(bt_der_oid_valid(krb5_oid, sizeof(krb5_oid)));
    CHECK(bt_der_oid_valid(spnego + 2, 6));
    CHECK(!bt_der_oid_valid(krb5_oid, 0));
    CHECK(!bt_der_oid_valid(NULL, 0));
    CHECK(!bt_der_oid_valid(padded_arc + 2, 3));
    CHECK(!bt_der_oid_valid(open_arc + 2, 2));
}

/* Reads a BIT STRING; returns the unused count, or -1 if refused. */
static int
bits_read(const uint8_t *p, size_t n, size_t *octets)
{
    struct bt_reader r, bits;
    unsigned unused;

    bt_rd_init(&r, p, n);
    unused = bt_der_rd_bit_string(&r, &bits);
    if (!bt_rd_done(&r))
        return -1;
    *octets = bt_rd_remaining(&bits);
    return (int)unused;
}

static void
bit_string_rules(void)
{
    /* MIT's old reqFlags (mutual|integ, 8 bits, none unused). */
    static const uint8_t mit_flags[] = { 0x03, 0x02, 0x00, 0x42 };
    static const uint8_t trimmed[] = { 0x03, 0x02, 0x01, 0x42 };
    static const uint8_t empty[] = { 0x03, 0x01, 0x00 };
    static const uint8_t dirty_pad[] = { 0x03, 0x02, 0x01, 0x43 };
    static const uint8_t eight_unused[] = { 0x03, 0x02, 0x08, 0x00 };
    static const uint8_t empty_unused[] = { 0x03, 0x01, 0x01 };
    static const uint8_t no_count[] = { 0x03, 0x00 };
    static const uint8_t constructed[] = { 0x23, 0x02, 0x00, 0x42 };
    size_t octets = 99;

    CHECK(bits_read(mit_flags, sizeof(mit_flags), &octets) == 0 &&
          octets == 1);
    CHECK(bits_read(trimmed, sizeof(trimmed), &octets) == 1 && octets == 1);
    CHECK(bits_read(empty, sizeof(empty), &octets) == 0 && octets == 0);
    CHECK(bits_read(dirty_pad, sizeof(dirty_pad), &octets) == -1);
    CHECK(bits_read(eight_unused, sizeof(eight_unused), &octets) == -1);
    CHECK(bits_read(empty_unused, sizeof(empty_unused), &octets) == -1);
    CHECK(bits_read(no_count, sizeof(no_count), &octets) == -1);
    CHECK(bits_read(constructed, sizeof(constructed), &octets) == -1);
}

BT_TEST_MAIN(length_round_trip, rejects_non_der_lengths, token_round_trip,
             token_rejects_bad_framing, exported_name_round_trip_and_layout,
             enumerated_is_an_integer_with_its_own_tag,
             explicit_holds_exactly_one_element, tlv_raw_is_the_whole_element,
             oid_contents_are_checked, bit_string_rules)
