/*
 * der_rd_token_fuzz.c - attacks bt_der_rd_token (src/util/der.c), the
 * RFC 2743 section 3.1 InitialContextToken framing:
 *   0x60 len { 0x06 oidlen oid, innerContextToken }
 *
 * A token the parser accepts must be consumed exactly, its OID and body
 * must lie inside the input, the OID must not be empty, and because DER
 * has one encoding per value, bt_der_wr_token must rebuild the input
 * octet for octet from the parts.
 */
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "util/der.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct bt_reader r, oid, body;
    struct bt_writer w;
    const uint8_t *oid_p, *body_p;
    size_t oid_len, body_len, out_len;
    void *out;

    bt_rd_init(&r, data, size);
    bt_der_rd_token(&r, &oid, &body);
    if (!bt_rd_ok(&r)) {
        FUZZ_CHECK(!bt_rd_ok(&oid) && !bt_rd_ok(&body));
        return 0;
    }
    FUZZ_CHECK(bt_rd_done(&r));
    FUZZ_CHECK(bt_rd_ok(&oid) && bt_rd_ok(&body));
    oid_p = bt_rd_rest(&oid, &oid_len);
    body_p = bt_rd_rest(&body, &body_len);
    FUZZ_CHECK(oid_p != NULL && body_p != NULL);
    FUZZ_CHECK(oid_len > 0);
    FUZZ_CHECK(FUZZ_INSIDE(oid_p, oid_len, data, size));
    FUZZ_CHECK(FUZZ_INSIDE(body_p, body_len, data, size));
    /* The body is the tail of the token. */
    FUZZ_CHECK(body_p + body_len == data + size);

    bt_wr_init(&w, false);
    bt_der_wr_token(&w, oid_p, oid_len, body_p, body_len);
    FUZZ_CHECK(bt_wr_take(&w, &out, &out_len) == 0);
    FUZZ_CHECK(out_len == size && memcmp(out, data, size) == 0);
    free(out);
    return 0;
}
