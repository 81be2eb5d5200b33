/*
 * der_rd_exported_name_fuzz.c - attacks bt_der_rd_exported_name
 * (src/util/der.c), the RFC 2743 section 3.2 exported name:
 *   04 01 | 2-octet length of the DER OID | 0x06 len oid |
 *   4-octet length of the name | name
 *
 * An accepted name must be consumed exactly, with a non-empty OID and both
 * parts inside the input; bt_der_wr_exported_name must rebuild the input
 * octet for octet from the parts (every length in the format has one
 * encoding).
 */
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "util/der.h"

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct bt_reader r, oid, name;
    struct bt_writer w;
    const uint8_t *oid_p, *name_p;
    size_t oid_len, name_len, out_len;
    void *out;

    bt_rd_init(&r, data, size);
    bt_der_rd_exported_name(&r, &oid, &name);
    if (!bt_rd_ok(&r)) {
        FUZZ_CHECK(!bt_rd_ok(&oid) && !bt_rd_ok(&name));
        return 0;
    }
    FUZZ_CHECK(bt_rd_done(&r));
    FUZZ_CHECK(bt_rd_ok(&oid) && bt_rd_ok(&name));
    oid_p = bt_rd_rest(&oid, &oid_len);
    name_p = bt_rd_rest(&name, &name_len);
    FUZZ_CHECK(oid_p != NULL && name_p != NULL);
    FUZZ_CHECK(oid_len > 0);
    FUZZ_CHECK(FUZZ_INSIDE(oid_p, oid_len, data, size));
    FUZZ_CHECK(FUZZ_INSIDE(name_p, name_len, data, size));
    FUZZ_CHECK(name_p + name_len == data + size);

    bt_wr_init(&w, false);
    bt_der_wr_exported_name(&w, oid_p, oid_len, name_p, name_len);
    FUZZ_CHECK(bt_wr_take(&w, &out, &out_len) == 0);
    FUZZ_CHECK(out_len == size && memcmp(out, data, size) == 0);
    free(out);
    return 0;
}
