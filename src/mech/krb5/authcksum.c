/*
 * authcksum.c - build and parse the 0x8003 authenticator checksum.
 *
 * RFC 4121 4.1.1: Lgth (4, LE, = 16) | Bnd (16) | Flags (4, LE)
 *                 [ | DlgOpt (2, LE, = 1) | Dlgth (2, LE) | Deleg ]
 */
#include "mech/krb5/authcksum.h"

#include <string.h>

#include <openssl/evp.h>

#include "util/reader.h"

/* MD5 input per RFC 4121 4.1.1.2: each address type and each length as
 * four little-endian octets, each value as is. */
static void
write_bindings(struct bt_writer *w, gss_const_channel_bindings_t cb)
{
    bt_wr_u32le(w, cb->initiator_addrtype);
    bt_wr_u32le(w, (uint32_t)cb->initiator_address.length);
    bt_wr_bytes(w, cb->initiator_address.value, cb->initiator_address.length);
    bt_wr_u32le(w, cb->acceptor_addrtype);
    bt_wr_u32le(w, (uint32_t)cb->acceptor_address.length);
    bt_wr_bytes(w, cb->acceptor_address.value, cb->acceptor_address.length);
    bt_wr_u32le(w, (uint32_t)cb->application_data.length);
    bt_wr_bytes(w, cb->application_data.value, cb->application_data.length);
}

bool
bt_cb_hash(gss_const_channel_bindings_t cb, uint8_t out[BT_CB_HASH_LEN])
{
    struct bt_writer w;
    unsigned int n = 0;
    bool ok;

    memset(out, 0, BT_CB_HASH_LEN);
    if (cb == GSS_C_NO_CHANNEL_BINDINGS)
        return true;
    bt_wr_init(&w, false);
    write_bindings(&w, cb);
    ok = bt_wr_ok(&w) &&
         EVP_Digest(w.data != NULL ? w.data : (uint8_t *)"", w.len, out, &n,
                    EVP_md5(), NULL) == 1 && n == BT_CB_HASH_LEN;
    bt_wr_free(&w);
    return ok;
}

void
bt_authcksum_write(struct bt_writer *w, const uint8_t bnd[BT_CB_HASH_LEN],
                   OM_uint32 flags, const void *deleg, size_t deleg_len)
{
    bt_wr_u32le(w, BT_CB_HASH_LEN);
    bt_wr_bytes(w, bnd, BT_CB_HASH_LEN);
    bt_wr_u32le(w, flags);
    if (deleg_len == 0)
        return;
    if (deleg_len > 0xffff) {
        (void)bt_wr_reserve(w, SIZE_MAX);   /* cannot be framed */
        return;
    }
    bt_wr_u16le(w, 1);
    bt_wr_u16le(w, (uint16_t)deleg_len);
    bt_wr_bytes(w, deleg, deleg_len);
}

bool
bt_authcksum_read(const void *data, size_t len, struct bt_authcksum *out)
{
    struct bt_reader r;
    size_t n;

    memset(out, 0, sizeof(*out));
    bt_rd_init(&r, data, len);
    /* "Lgth: Number of octets in Bnd field; represented in little-endian
     * order; currently contains hex value 10 00 00 00 (16)." */
    if (bt_rd_u32le(&r) != BT_CB_HASH_LEN)
        return false;
    bt_rd_copy(&r, out->bnd, BT_CB_HASH_LEN);
    out->flags = bt_rd_u32le(&r);
    if (!bt_rd_ok(&r))
        return false;
    /* The delegation fields are present only with GSS_C_DELEG_FLAG; any
     * octets after them are extensions we ignore (RFC 4121 4.1.1). */
    if ((out->flags & GSS_C_DELEG_FLAG) && bt_rd_remaining(&r) >= 4) {
        if (bt_rd_u16le(&r) != 1)
            return false;
        n = bt_rd_u16le(&r);
        out->deleg = bt_rd_bytes(&r, n);
        out->deleg_len = n;
        if (out->deleg == NULL)
            return false;
    }
    return bt_rd_ok(&r);
}
