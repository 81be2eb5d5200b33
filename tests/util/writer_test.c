/* Tests for src/util/writer.c: growth, encodings, failure, take. */
#include "check.h"

#include <stdint.h>

#include "util/writer.h"

static void
writes_integers_in_order(void)
{
    static const uint8_t want[] = { 1, 0, 2, 0, 0, 0, 3, 4, 0, 0, 0,
                                    0, 0, 0, 0, 0, 0, 0, 5 };
    struct bt_writer w;
    void *data;
    size_t len;

    bt_wr_init(&w, false);
    bt_wr_u8(&w, 1);
    bt_wr_u16be(&w, 2);
    bt_wr_u32be(&w, 3);
    bt_wr_u32le(&w, 4);
    bt_wr_u64be(&w, 5);
    CHECK(bt_wr_take(&w, &data, &len) == 0);
    CHECK(len == sizeof(want) && memcmp(data, want, len) == 0);
    free(data);
}

static void
grows_past_initial_capacity(void)
{
    struct bt_writer w;
    uint8_t chunk[100];
    uint8_t *data;
    size_t len;

    memset(chunk, 0x5a, sizeof(chunk));
    bt_wr_init(&w, true);
    for (int i = 0; i < 100; i++)
        bt_wr_bytes(&w, chunk, sizeof(chunk));
    CHECK(bt_wr_ok(&w));
    CHECK(bt_wr_take(&w, (void **)&data, &len) == 0);
    CHECK(len == 10000 && data[0] == 0x5a && data[9999] == 0x5a);
    free(data);
}

static void
impossible_reserve_fails_sticky(void)
{
    struct bt_writer w;
    void *data = NULL;
    size_t len = 0;

    bt_wr_init(&w, false);
    bt_wr_u8(&w, 1);
    CHECK(bt_wr_reserve(&w, SIZE_MAX) == NULL);
    CHECK(!bt_wr_ok(&w));
    bt_wr_u8(&w, 2);                    /* no effect, no crash */
    CHECK(bt_wr_take(&w, &data, &len) != 0);
    CHECK(data == NULL);
}

static void
empty_take_gives_non_null(void)
{
    struct bt_writer w;
    void *data = NULL;
    size_t len = 1;

    bt_wr_init(&w, false);
    CHECK(bt_wr_take(&w, &data, &len) == 0);
    CHECK(data != NULL && len == 0);
    free(data);
}

static void
free_resets(void)
{
    struct bt_writer w;

    bt_wr_init(&w, true);
    bt_wr_bytes(&w, "secret", 6);
    bt_wr_free(&w);
    CHECK(w.data == NULL && w.len == 0 && w.cap == 0);
}

/* A fixed writer fills the caller's buffer exactly, fails (sticky) one
 * byte past it without touching anything beyond, and cannot be taken. */
static void
fixed_buffer_never_grows(void)
{
    uint8_t buf[6] = { 0 }, guard[2] = { 0xaa, 0xaa };
    struct bt_writer w;
    void *data = NULL;
    size_t len = 0;

    bt_wr_init_fixed(&w, buf, 4);
    bt_wr_u32be(&w, 0x01020304);
    CHECK(bt_wr_ok(&w) && w.len == 4 && w.data == buf);
    CHECK(memcmp(buf, "\x01\x02\x03\x04\x00\x00", 6) == 0);
    bt_wr_u8(&w, 5);
    CHECK(!bt_wr_ok(&w));
    CHECK(buf[4] == 0 && guard[0] == 0xaa);
    bt_wr_u8(&w, 6);
    CHECK(!bt_wr_ok(&w));
    bt_wr_init_fixed(&w, buf, sizeof(buf));
    bt_wr_u8(&w, 9);
    CHECK(bt_wr_take(&w, &data, &len) != 0 && data == NULL);
    bt_wr_init_fixed(&w, buf, sizeof(buf));
    bt_wr_free(&w);
    CHECK(w.data == NULL && w.len == 0);
}

BT_TEST_MAIN(writes_integers_in_order, grows_past_initial_capacity,
             impossible_reserve_fails_sticky, empty_take_gives_non_null,
             free_resets, fixed_buffer_never_grows)
