/*
 * writer.c - growable output buffer with a sticky error and a secret mode.
 */
#include "util/writer.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "util/mem.h"

void
bt_wr_init(struct bt_writer *w, bool secret)
{
    w->data = NULL;
    w->len = 0;
    w->cap = 0;
    w->secret = secret;
    w->fixed = false;
    w->failed = false;
}

void
bt_wr_init_fixed(struct bt_writer *w, void *buf, size_t size)
{
    w->data = buf;
    w->len = 0;
    w->cap = size;
    w->secret = false;
    w->fixed = true;
    w->failed = false;
}

bool
bt_wr_ok(const struct bt_writer *w)
{
    return !w->failed;
}

/* Grows to hold n more bytes.  In secret mode realloc is never used: the old
 * block is copied and wiped so no key bytes are left in freed memory. */
static bool
grow(struct bt_writer *w, size_t n)
{
    size_t want, cap;
    uint8_t *p;

    if (w->failed)
        return false;
    if (n > SIZE_MAX / 2 - w->len)
        goto fail;
    want = w->len + n;
    if (want <= w->cap)
        return true;
    if (w->fixed)
        goto fail;
    /* 512 fits every context token and envelope in one allocation. */
    cap = w->cap < 512 ? 512 : w->cap;
    while (cap < want)
        cap *= 2;
    p = malloc(cap);
    if (p == NULL)
        goto fail;
    if (w->len > 0)
        memcpy(p, w->data, w->len);
    if (w->secret)
        bt_free_secret(w->data, w->cap);
    else
        free(w->data);
    w->data = p;
    w->cap = cap;
    return true;

fail:
    bt_wr_free(w);
    w->failed = true;
    return false;
}

uint8_t *
bt_wr_reserve(struct bt_writer *w, size_t n)
{
    uint8_t *p;

    if (!grow(w, n))
        return NULL;
    if (w->data == NULL)        /* n == 0 on an empty writer: no NULL + 0 */
        return (uint8_t *)w;
    p = w->data + w->len;
    w->len += n;
    return p;
}

void
bt_wr_bytes(struct bt_writer *w, const void *src, size_t n)
{
    uint8_t *p = bt_wr_reserve(w, n);

    if (p != NULL && n > 0)
        memcpy(p, src, n);
}

void
bt_wr_u8(struct bt_writer *w, uint8_t v)
{
    bt_wr_bytes(w, &v, 1);
}

void
bt_wr_u16be(struct bt_writer *w, uint16_t v)
{
    uint8_t b[2] = { (uint8_t)(v >> 8), (uint8_t)v };

    bt_wr_bytes(w, b, sizeof(b));
}

void
bt_wr_u16le(struct bt_writer *w, uint16_t v)
{
    uint8_t b[2] = { (uint8_t)v, (uint8_t)(v >> 8) };

    bt_wr_bytes(w, b, sizeof(b));
}

void
bt_wr_u32be(struct bt_writer *w, uint32_t v)
{
    uint8_t b[4] = { (uint8_t)(v >> 24), (uint8_t)(v >> 16),
                     (uint8_t)(v >> 8), (uint8_t)v };

    bt_wr_bytes(w, b, sizeof(b));
}

void
bt_wr_u32le(struct bt_writer *w, uint32_t v)
{
    uint8_t b[4] = { (uint8_t)v, (uint8_t)(v >> 8), (uint8_t)(v >> 16),
                     (uint8_t)(v >> 24) };

    bt_wr_bytes(w, b, sizeof(b));
}

void
bt_wr_u64be(struct bt_writer *w, uint64_t v)
{
    bt_wr_u32be(w, (uint32_t)(v >> 32));
    bt_wr_u32be(w, (uint32_t)v);
}

int
bt_wr_take(struct bt_writer *w, void **data_out, size_t *len_out)
{
    if (w->fixed || w->failed || (w->data == NULL && !grow(w, 1))) {
        bt_wr_free(w);
        return ENOMEM;
    }
    *data_out = w->data;
    *len_out = w->len;
    w->data = NULL;
    w->len = w->cap = 0;
    return 0;
}

void
bt_wr_free(struct bt_writer *w)
{
    if (w->fixed)
        w->data = NULL;     /* the caller's buffer */
    else if (w->secret)
        bt_free_secret(w->data, w->cap);
    else
        free(w->data);
    w->data = NULL;
    w->len = w->cap = 0;
}
