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

BT_TEST_MAIN(length_round_trip, rejects_non_der_lengths, token_round_trip,
             token_rejects_bad_framing, exported_name_round_trip_and_layout)
