/*
 * reader.h - the one bounds-checked reader for untrusted bytes.
 *
 * A reader is a pointer, the bytes remaining and a sticky error.  Every read
 * past the end returns zero (or NULL), consumes nothing and leaves the error
 * set, so a parser reads straight through a structure like a schema and
 * checks bt_rd_ok() once at the end.  No other code in Baton does pointer
 * arithmetic on bytes from outside.
 */
#ifndef BATON_UTIL_READER_H_
#define BATON_UTIL_READER_H_

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "util/compiler.h"

struct bt_reader {
    const uint8_t *ptr;
    size_t len;
    bool failed;
};

/* Starts a reader over len bytes at data (data may be NULL iff len == 0). */
void bt_rd_init(struct bt_reader *r, const void *data, size_t len);

/* Marks the input malformed; later reads return zero. */
void bt_rd_fail(struct bt_reader *r);

/* True while no read has failed. */
bool bt_rd_ok(const struct bt_reader *r);

/* True when no read has failed and every byte was consumed. */
bool bt_rd_done(const struct bt_reader *r);

size_t bt_rd_remaining(const struct bt_reader *r);

/* Fixed-width integers; big-endian unless the name says le. */
uint8_t bt_rd_u8(struct bt_reader *r);
uint16_t bt_rd_u16be(struct bt_reader *r);
uint16_t bt_rd_u16le(struct bt_reader *r);
uint32_t bt_rd_u32be(struct bt_reader *r);
uint32_t bt_rd_u32le(struct bt_reader *r);
uint64_t bt_rd_u64be(struct bt_reader *r);

/* Returns a pointer to the next n bytes and consumes them, or NULL (reader
 * failed) if fewer remain.  For n == 0 returns a non-NULL pointer unless the
 * reader has already failed.  The bytes stay owned by the caller's input. */
const uint8_t *bt_rd_bytes(struct bt_reader *r, size_t n);

/* Copies the next n bytes into out (which has room for n); on overrun fills
 * out with zeros and fails the reader. */
void bt_rd_copy(struct bt_reader *r, void *out, size_t n);

/* Carves the next n bytes off as a reader of their own.  On overrun the
 * sub-reader starts failed and so does r. */
void bt_rd_sub(struct bt_reader *r, size_t n, struct bt_reader *sub);

/* Consumes everything left, returning it (len in *n). */
const uint8_t *bt_rd_rest(struct bt_reader *r, size_t *n);

/* The next byte without consuming it, or -1 at the end or after failure. */
int bt_rd_peek(const struct bt_reader *r);

/* Reads one byte and fails the reader unless it equals want. */
void bt_rd_expect_u8(struct bt_reader *r, uint8_t want);

#endif /* BATON_UTIL_READER_H_ */
