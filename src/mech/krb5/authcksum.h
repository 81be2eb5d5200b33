/*
 * authcksum.h - the RFC 4121 4.1.1 authenticator checksum (type 0x8003):
 * channel binding hash, context flags and an optional delegated KRB-CRED.
 */
#ifndef BATON_MECH_KRB5_AUTHCKSUM_H_
#define BATON_MECH_KRB5_AUTHCKSUM_H_

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <gssapi/gssapi.h>

#include "util/compiler.h"
#include "util/writer.h"

#define BT_CB_HASH_LEN 16

struct bt_authcksum {
    uint8_t bnd[BT_CB_HASH_LEN];    /* MD5 of the bindings, or zeros */
    OM_uint32 flags;
    const uint8_t *deleg;           /* KRB-CRED, points into the input */
    size_t deleg_len;
};

/* The RFC 4121 4.1.1.2 hash of cb into out (zeros for no bindings).
 * Returns false if the digest could not be computed. */
BT_MUST_CHECK bool bt_cb_hash(gss_const_channel_bindings_t cb,
                              uint8_t out[BT_CB_HASH_LEN]);

/* Writes the checksum field for flags, the bindings hash and an optional
 * KRB-CRED (deleg_len 0: none). */
void bt_authcksum_write(struct bt_writer *w, const uint8_t bnd[BT_CB_HASH_LEN],
                        OM_uint32 flags, const void *deleg, size_t deleg_len);

/* Parses a checksum field; false if it is malformed. */
BT_MUST_CHECK bool bt_authcksum_read(const void *data, size_t len,
                                     struct bt_authcksum *out);

#endif /* BATON_MECH_KRB5_AUTHCKSUM_H_ */
