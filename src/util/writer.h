/*
 * writer.h - the growable output buffer every encoder writes through.
 *
 * Like the reader, the writer's error is sticky: an allocation failure makes
 * every later write a no-op and bt_wr_ok() false, so an encoder writes its
 * whole structure and checks once.  A writer in secret mode wipes every
 * buffer it lets go of (on growth and on free), for serialized keys.
 */
#ifndef BATON_UTIL_WRITER_H_
#define BATON_UTIL_WRITER_H_

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "util/compiler.h"

struct bt_writer {
    uint8_t *data;
    size_t len;
    size_t cap;
    bool secret;
    bool fixed;         /* writes into the caller's buffer, never grows */
    bool failed;
};

/* Starts an empty writer; secret selects wipe-on-release. */
void bt_wr_init(struct bt_writer *w, bool secret);

/* Starts a writer over the caller's size-byte buffer: no allocation, and a
 * write past its end fails the writer (for fixed-size encodings on the
 * per-message path).  bt_wr_take is refused; bt_wr_free only detaches. */
void bt_wr_init_fixed(struct bt_writer *w, void *buf, size_t size);

bool bt_wr_ok(const struct bt_writer *w);

void bt_wr_u8(struct bt_writer *w, uint8_t v);
void bt_wr_u16be(struct bt_writer *w, uint16_t v);
void bt_wr_u16le(struct bt_writer *w, uint16_t v);
void bt_wr_u32be(struct bt_writer *w, uint32_t v);
void bt_wr_u32le(struct bt_writer *w, uint32_t v);
void bt_wr_u64be(struct bt_writer *w, uint64_t v);
void bt_wr_bytes(struct bt_writer *w, const void *p, size_t n);

/* Appends n bytes and returns where they start, for the caller to fill; NULL
 * once the writer has failed.  The pointer is valid until the next write
 * (for n == 0 it is non-NULL but points at nothing to write). */
uint8_t *bt_wr_reserve(struct bt_writer *w, size_t n);

/* Hands the bytes to the caller as a malloc'd block (*data_out, *len_out) and
 * resets the writer.  An empty, healthy writer yields a 1-byte allocation so
 * that a successful result is never NULL.  Fails (and frees) if any write
 * failed. */
BT_MUST_CHECK int bt_wr_take(struct bt_writer *w, void **data_out,
                             size_t *len_out);

/* Frees the buffer (wiping it in secret mode) and resets the writer. */
void bt_wr_free(struct bt_writer *w);

#endif /* BATON_UTIL_WRITER_H_ */
