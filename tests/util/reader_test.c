/* Tests for src/util/reader.c: bounds, endianness, sticky failure. */
#include "check.h"

#include "util/reader.h"

static void
reads_integers_big_and_little_endian(void)
{
    static const uint8_t in[] = { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12,
                                  13, 14, 15, 16, 17, 18, 19 };
    struct bt_reader r;

    bt_rd_init(&r, in, sizeof(in));
    CHECK(bt_rd_u8(&r) == 1);
    CHECK(bt_rd_u16be(&r) == 0x0203);
    CHECK(bt_rd_u32be(&r) == 0x04050607u);
    CHECK(bt_rd_u32le(&r) == 0x0b0a0908u);
    CHECK(bt_rd_u64be(&r) == 0x0c0d0e0f10111213ull);
    CHECK(bt_rd_done(&r));
}

static void
overrun_is_sticky_and_returns_zero(void)
{
    static const uint8_t in[] = { 0xff, 0xff, 0xff };
    struct bt_reader r;

    bt_rd_init(&r, in, sizeof(in));
    CHECK(bt_rd_u32be(&r) == 0);        /* 3 bytes only */
    CHECK(!bt_rd_ok(&r));
    CHECK(bt_rd_u8(&r) == 0);           /* later reads stay failed... */
    CHECK(bt_rd_remaining(&r) == 0);
    CHECK(bt_rd_bytes(&r, 0) == NULL);  /* ...even empty ones */
    CHECK(!bt_rd_done(&r));
}

static void
failed_read_consumes_nothing_before_failure(void)
{
    static const uint8_t in[] = { 0xaa, 0xbb };
    struct bt_reader r;

    bt_rd_init(&r, in, sizeof(in));
    CHECK(bt_rd_bytes(&r, 3) == NULL);
    CHECK(!bt_rd_ok(&r));
}

static void
sub_reader_is_bounded(void)
{
    static const uint8_t in[] = { 1, 2, 3, 4 };
    struct bt_reader r, sub;

    bt_rd_init(&r, in, sizeof(in));
    bt_rd_sub(&r, 2, &sub);
    CHECK(bt_rd_u16be(&sub) == 0x0102);
    CHECK(bt_rd_u8(&sub) == 0 && !bt_rd_ok(&sub));
    CHECK(bt_rd_ok(&r));                /* the parent is unaffected */
    CHECK(bt_rd_u16be(&r) == 0x0304);
    bt_rd_sub(&r, 1, &sub);
    CHECK(!bt_rd_ok(&sub) && !bt_rd_ok(&r));
}

static void
copy_zero_fills_on_overrun(void)
{
    static const uint8_t in[] = { 7, 7 };
    uint8_t out[4] = { 9, 9, 9, 9 };
    struct bt_reader r;

    bt_rd_init(&r, in, sizeof(in));
    bt_rd_copy(&r, out, sizeof(out));
    CHECK(out[0] == 0 && out[3] == 0);
    CHECK(!bt_rd_ok(&r));
}

static void
null_input_with_length_fails(void)
{
    struct bt_reader r;

    bt_rd_init(&r, NULL, 5);
    CHECK(!bt_rd_ok(&r));
    bt_rd_init(&r, NULL, 0);
    CHECK(bt_rd_done(&r));
    CHECK(bt_rd_bytes(&r, 0) != NULL);
}

static void
peek_and_expect(void)
{
    static const uint8_t in[] = { 0x60, 0x05 };
    struct bt_reader r;
    size_t n;

    bt_rd_init(&r, in, sizeof(in));
    CHECK(bt_rd_peek(&r) == 0x60);
    bt_rd_expect_u8(&r, 0x60);
    CHECK(bt_rd_ok(&r));
    bt_rd_expect_u8(&r, 0x06);
    CHECK(!bt_rd_ok(&r));
    CHECK(bt_rd_peek(&r) == -1);
    bt_rd_init(&r, in, sizeof(in));
    CHECK(bt_rd_rest(&r, &n) == in && n == 2 && bt_rd_done(&r));
}

BT_TEST_MAIN(reads_integers_big_and_little_endian,
             overrun_is_sticky_and_returns_zero,
             failed_read_consumes_nothing_before_failure,
             sub_reader_is_bounded, copy_zero_fills_on_overrun,
             null_input_with_length_fails, peek_and_expect)
