/*
 * envelope.h - the interprocess token: a versioned header, then the
 * mechanism's serialized context, sealed with AES-256-GCM under the
 * transfer key with the header as associated data.
 *
 *   "BTNX" | u8 version (1) | u8 flags (bit 0: sealed) | u8 role |
 *   u8 state | u64 created | u64 expires | 16 token id | u8 policy |
 *   u64 binding (uid or process group) | 8 key id | u8 oid length | oid |
 *   u32 payload length | payload
 * payload = 12 nonce | ciphertext | 16 tag when sealed, else plaintext.
 * All integers big-endian; nothing host-dependent.
 */
#ifndef BATON_TRANSFER_ENVELOPE_H_
#define BATON_TRANSFER_ENVELOPE_H_

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "transfer/settings.h"
#include "util/compiler.h"
#include "util/reader.h"

#define BT_ENV_VERSION 1
#define BT_ENV_ROLE_INITIATOR 1
#define BT_ENV_ROLE_ACCEPTOR 2
#define BT_ENV_STATE_OPEN 1
#define BT_ENV_STATE_PARTIAL 2
#define BT_ENV_MAX_OID 64

struct bt_envelope {
    uint8_t version;
    bool sealed;
    uint8_t role, state;
    uint64_t created, expires;
    uint8_t token_id[16];
    uint8_t policy;
    uint64_t binding;
    uint8_t key_id[8];
    uint8_t oid_len;
    uint8_t oid[BT_ENV_MAX_OID];
    /* Building only: the GCM nonce, random, chosen by the caller together
     * with the token id (one call to the random generator). */
    uint8_t nonce[12];
    /* Parsing only: where header and payload lie in the token. */
    const uint8_t *header;
    size_t header_len;
    const uint8_t *payload;
    size_t payload_len;
};

/* Errors of parsing and opening, mapped to GSS statuses by the glue. */
enum bt_env_error {
    BT_ENV_OK = 0,
    BT_ENV_MALFORMED,       /* not a token, trailing bytes, bad field */
    BT_ENV_BAD_VERSION,     /* a format version we do not read */
    BT_ENV_WRONG_KEY,       /* sealed under a key we do not hold */
    BT_ENV_TAG,             /* authentication failed: altered */
    BT_ENV_NOMEM,
};

/* Parses the header of a token (payload left sealed).  The envelope's
 * pointers refer into token. */
BT_MUST_CHECK enum bt_env_error bt_env_parse(const void *token, size_t len,
                                             struct bt_envelope *env);

/* Builds a token from env's header fields and plain (the serialized
 * context), sealing it with key unless env->sealed is false.  The token is
 * malloc'd into *out / *out_len. */
BT_MUST_CHECK enum bt_env_error bt_env_build(
    const struct bt_envelope *env, const uint8_t key[BT_TRANSFER_KEY_LEN],
    const void *plain, size_t plain_len, void **out, size_t *out_len);

/* Authenticates and decrypts a parsed token's payload into a malloc'd
 * secret buffer (*plain, *plain_len; the caller wipes it).  The tag is
 * verified before a single payload byte is returned. */
BT_MUST_CHECK enum bt_env_error bt_env_open(
    const struct bt_envelope *env, const uint8_t key[BT_TRANSFER_KEY_LEN],
    uint8_t **plain, size_t *plain_len);

#endif /* BATON_TRANSFER_ENVELOPE_H_ */
