/*
 * der_rd_len_fuzz.c - attacks bt_der_rd_len (src/util/der.c).
 *
 * DER allows exactly one encoding of a length, so a length the reader
 * accepts must be written back by bt_der_wr_len as the very octets it came
 * from, and every length the writer produces must read back unchanged.
 */
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "util/der.h"

/* Input as an encoded length: accepted means canonical. */
static void
check_read(const uint8_t *data, size_t size)
{
    struct bt_reader r;
    struct bt_writer w;
    void *out;
    size_t len, used, out_len;

    bt_rd_init(&r, data, size);
    len = bt_der_rd_len(&r);
    if (!bt_rd_ok(&r)) {
        FUZZ_CHECK(len == 0 && bt_rd_remaining(&r) == 0);
        return;
    }
    used = size - bt_rd_remaining(&r);
    FUZZ_CHECK(len <= BT_DER_MAX_LEN);
    FUZZ_CHECK(used == bt_der_len_size(len));
    bt_wr_init(&w, false);
    bt_der_wr_len(&w, len);
    FUZZ_CHECK(bt_wr_take(&w, &out, &out_len) == 0);
    FUZZ_CHECK(out_len == used && memcmp(out, data, used) == 0);
    free(out);
}

/* Input as a number: written, it must read back as itself. */
static void
check_write(const uint8_t *data, size_t size)
{
    struct bt_reader r;
    struct bt_writer w;
    void *out;
    size_t len = 0, out_len;

    for (size_t i = 0; i < size && i < sizeof(len); i++)
        len = (len << 8) | data[i];
    bt_wr_init(&w, false);
    bt_der_wr_len(&w, len);
    if (bt_wr_take(&w, &out, &out_len) != 0) {
        /* Only lengths beyond 4 octets may be refused. */
        FUZZ_CHECK(len > BT_DER_MAX_LEN);
        return;
    }
    FUZZ_CHECK(len <= BT_DER_MAX_LEN);
    FUZZ_CHECK(out_len == bt_der_len_size(len));
    bt_rd_init(&r, out, out_len);
    FUZZ_CHECK(bt_der_rd_len(&r) == len && bt_rd_done(&r));
    free(out);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    check_read(data, size);
    check_write(data, size);
    return 0;
}
