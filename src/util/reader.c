/*
 * reader.c - bounds-checked, sticky-error reading of untrusted bytes.
 */
#include "util/reader.h"

#include <string.h>

static const uint8_t empty_input[1];

void
bt_rd_init(struct bt_reader *r, const void *data, size_t len)
{
    r->ptr = data != NULL ? data : empty_input;
    r->len = data != NULL ? len : 0;
    r->failed = (data == NULL && len != 0);
}

void
bt_rd_fail(struct bt_reader *r)
{
    r->failed = true;
    r->len = 0;
}

bool
bt_rd_ok(const struct bt_reader *r)
{
    return !r->failed;
}

bool
bt_rd_done(const struct bt_reader *r)
{
    return !r->failed && r->len == 0;
}

size_t
bt_rd_remaining(const struct bt_reader *r)
{
    return r->failed ? 0 : r->len;
}

const uint8_t *
bt_rd_bytes(struct bt_reader *r, size_t n)
{
    const uint8_t *p;

    if (r->failed || n > r->len) {
        bt_rd_fail(r);
        return NULL;
    }
    p = r->ptr;
    r->ptr += n;
    r->len -= n;
    return p;
}

uint8_t
bt_rd_u8(struct bt_reader *r)
{
    const uint8_t *p = bt_rd_bytes(r, 1);

    return p != NULL ? p[0] : 0;
}

uint16_t
bt_rd_u16be(struct bt_reader *r)
{
    const uint8_t *p = bt_rd_bytes(r, 2);

    return p != NULL ? (uint16_t)((p[0] << 8) | p[1]) : 0;
}

uint16_t
bt_rd_u16le(struct bt_reader *r)
{
    const uint8_t *p = bt_rd_bytes(r, 2);

    return p != NULL ? (uint16_t)((p[1] << 8) | p[0]) : 0;
}

uint32_t
bt_rd_u32be(struct bt_reader *r)
{
    const uint8_t *p = bt_rd_bytes(r, 4);

    if (p == NULL)
        return 0;
    return ((uint32_t)p[0] << 24) | ((uint32_t)p[1] << 16) |
           ((uint32_t)p[2] << 8) | (uint32_t)p[3];
}

uint32_t
bt_rd_u32le(struct bt_reader *r)
{
    const uint8_t *p = bt_rd_bytes(r, 4);

    if (p == NULL)
        return 0;
    return ((uint32_t)p[3] << 24) | ((uint32_t)p[2] << 16) |
           ((uint32_t)p[1] << 8) | (uint32_t)p[0];
}

uint64_t
bt_rd_u64be(struct bt_reader *r)
{
    uint64_t hi = bt_rd_u32be(r);
    uint64_t lo = bt_rd_u32be(r);

    return r->failed ? 0 : (hi << 32) | lo;
}

void
bt_rd_copy(struct bt_reader *r, void *out, size_t n)
{
    const uint8_t *p = bt_rd_bytes(r, n);

    if (n == 0)
        return;
    if (p != NULL)
        memcpy(out, p, n);
    else
        memset(out, 0, n);
}

void
bt_rd_sub(struct bt_reader *r, size_t n, struct bt_reader *sub)
{
    const uint8_t *p = bt_rd_bytes(r, n);

    if (p == NULL) {
        bt_rd_init(sub, NULL, 0);
        bt_rd_fail(sub);
        return;
    }
    bt_rd_init(sub, p, n);
}

const uint8_t *
bt_rd_rest(struct bt_reader *r, size_t *n)
{
    *n = bt_rd_remaining(r);
    return bt_rd_bytes(r, *n);
}

void
bt_rd_expect_u8(struct bt_reader *r, uint8_t want)
{
    if (bt_rd_u8(r) != want)
        bt_rd_fail(r);
}

int
bt_rd_peek(const struct bt_reader *r)
{
    return (r->failed || r->len == 0) ? -1 : r->ptr[0];
}
