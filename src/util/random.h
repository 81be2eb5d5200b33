/*
 * random.h - random bytes for nonces and identifiers, drawn from OpenSSL's
 * generator in blocks: one RAND_bytes call costs far more than copying
 * from a buffered block, and transfers need 28 bytes each.
 */
#ifndef BATON_UTIL_RANDOM_H_
#define BATON_UTIL_RANDOM_H_

#include <stddef.h>

#include "util/compiler.h"

/* Fills out with n cryptographically strong random bytes.  Returns 0 or
 * EIO.  A forked child never sees bytes its parent had buffered. */
BT_MUST_CHECK int bt_random(void *out, size_t n);

#endif /* BATON_UTIL_RANDOM_H_ */
