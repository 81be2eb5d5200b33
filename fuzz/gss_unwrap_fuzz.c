/*
 * gss_unwrap_fuzz.c - attacks gss_unwrap on an open Kerberos context: the
 * RFC 4121 4.2.6.2 Wrap token header, RRC rotation, decryption and the
 * encrypted header copy, integrity-only tokens (src/mech/krb5/msg.c) and
 * the receive window (seqstate.c).
 *
 * The context is built directly (krb5_ctx_fixture.h) with a fixed key;
 * octets 0 and 1 choose its role, AcceptorSubkey flag, replay/sequence
 * flags, enctype and starting window (krb5_msg_fixture.h).  Then
 *   octet 0 bit 0 clear: the rest is the Wrap token as received;
 *   octet 0 bit 0 set: the target builds the token itself with the real
 *     key (krb5_k_encrypt / krb5_k_make_checksum, RFC 4121 4.2.4), from
 *       flags (1) | filler (1) | EC (2) | RRC (2) | SND_SEQ (8) | tweak (1)
 *       | plaintext
 *     so the parsing after the crypto is explored.  A sealed token
 *     carries EC filler octets (EC taken modulo 1024) and the header copy
 *     (its RRC zero); the
 *     body is rotated right by RRC.  An integrity-only token carries the
 *     checksum, whatever EC says.  tweak bit 7 flips one octet of the
 *     encrypted header copy (octet tweak & 15; an RRC octet may differ) or
 *     of the checksum.
 *
 * Invariants: an error never changes the receive window and returns no
 * data; a success returns exactly the data that was wrapped (built mode)
 * and the supplementary status and window an independent model of RFC
 * 2743 1.2.3 predicts for the token's number.  A token the target built
 * that RFC 4121 calls valid (peer's direction bit, the context's
 * AcceptorSubkey bit, filler FF, EC equal to the checksum length when not
 * sealed, header copy intact) must be accepted, and any other refused.
 */
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include <gssapi/gssapi.h>

#include "krb5_msg_fixture.h"

static krb5_context fk;

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    fx_setup_env_tmp();
    FUZZ_CHECK(krb5_init_context(&fk) == 0);
    return 0;
}

/* Rotates p[0..n) right by r (RFC 4121 4.2.5). */
static void
rotate_right(uint8_t *p, size_t n, size_t r)
{
    uint8_t *tmp;

    if (n == 0 || (r %= n) == 0)
        return;
    tmp = malloc(n);
    FUZZ_CHECK(tmp != NULL);
    for (size_t i = 0; i < n; i++)
        tmp[(i + r) % n] = p[i];
    memcpy(p, tmp, n);
    free(tmp);
}

/* Builds the token in[0..n) describes into *tok (malloc'd); *data and
 * *dlen: the plaintext; *valid: whether RFC 4121 makes it acceptable for
 * context c. */
static bool
build(const struct bt_krb5_ctx *c, const uint8_t *in, size_t n,
      gss_buffer_desc *tok, bool *valid)
{
    uint8_t hdr[16], flags, tweak;
    uint16_t ec, rrc;
    const uint8_t *data;
    size_t dlen, body_len;
    bool sealed, peer_is_acceptor = c->initiator;
    krb5_keyusage u;
    uint8_t *t = NULL;

    if (n < 15)
        return false;
    flags = in[0];
    ec = (uint16_t)(in[2] << 8 | in[3]);
    rrc = (uint16_t)(in[4] << 8 | in[5]);
    tweak = in[14];
    data = in + 15;
    dlen = n - 15;
    sealed = flags & 2;
    u = fx_usage(peer_is_acceptor, true);
    hdr[0] = 0x05;
    hdr[1] = 0x04;
    hdr[2] = flags;
    hdr[3] = in[1];
    memcpy(hdr + 4, in + 2, 4);
    memcpy(hdr + 8, in + 6, 8);
    *valid = in[1] == 0xff && ((flags & 1) != 0) == peer_is_acceptor &&
             ((flags & 4) != 0) == c->acceptor_subkey;

    if (sealed) {
        /* data | EC filler | header copy (RRC 00 00).  EC is kept below
         * 1024 here: filler is only ever skipped, and 64 KB of it made
         * every run slow. */
        ec &= 0x3ff;
        hdr[4] = (uint8_t)(ec >> 8);
        hdr[5] = (uint8_t)ec;
        size_t plen = dlen + ec + 16, clen = 0;
        uint8_t *plain = malloc(plen);
        krb5_data pd = { KV5M_DATA, (unsigned int)plen, (char *)plain };
        krb5_enc_data enc;

        FUZZ_CHECK(plain != NULL);
        if (dlen > 0)
            memcpy(plain, data, dlen);
        memset(plain + dlen, 0xa5, ec);
        memcpy(plain + dlen + ec, hdr, 16);
        plain[dlen + ec + 6] = plain[dlen + ec + 7] = 0;
        if (tweak & 0x80) {
            plain[dlen + ec + (tweak & 15)] ^= 0x01;
            if ((tweak & 15) != 6 && (tweak & 15) != 7)
                *valid = false;
        }
        FUZZ_CHECK(krb5_c_encrypt_length(fk, krb5_k_key_enctype(fk, c->key),
                                         plen, &clen) == 0);
        t = malloc(16 + clen);
        FUZZ_CHECK(t != NULL);
        memset(&enc, 0, sizeof(enc));
        enc.ciphertext.data = (char *)t + 16;
        enc.ciphertext.length = (unsigned int)clen;
        FUZZ_CHECK(krb5_k_encrypt(fk, c->key, u, NULL, &pd, &enc) == 0);
        body_len = enc.ciphertext.length;
        free(plain);
    } else {
        /* data | checksum over data | header with EC and RRC zero */
        uint8_t *in2 = malloc(dlen + 16);
        krb5_data cd = { KV5M_DATA, (unsigned int)(dlen + 16), (char *)in2 };
        krb5_checksum ck;

        FUZZ_CHECK(in2 != NULL);
        if (dlen > 0)
            memcpy(in2, data, dlen);
        memcpy(in2 + dlen, hdr, 16);
        memset(in2 + dlen + 4, 0, 4);
        FUZZ_CHECK(krb5_k_make_checksum(fk, 0, c->key, u, &cd, &ck) == 0);
        free(in2);
        body_len = dlen + ck.length;
        t = malloc(16 + body_len);
        FUZZ_CHECK(t != NULL);
        if (dlen > 0)
            memcpy(t + 16, data, dlen);
        memcpy(t + 16 + dlen, ck.contents, ck.length);
        if (tweak & 0x80) {
            t[16 + dlen + (tweak & 15) % ck.length] ^= 0x01;
            *valid = false;
        }
        if (ec != ck.length)
            *valid = false;
        krb5_free_checksum_contents(fk, &ck);
    }
    memcpy(t, hdr, 16);
    rotate_right(t + 16, body_len, rrc);
    tok->value = t;
    tok->length = 16 + body_len;
    return true;
}

/* gss_unwrap_iov on copies of the token, each on a fresh context with the
 * same keys: STREAM | DATA must open every token gss_unwrap opened, to the
 * same data; the split layouts (HEADER | DATA, HEADER | DATA | TRAILER at
 * the usual AES sizes) only have to stay inside their buffers. */
static void
unwrap_iov_too(const struct fx_ctx_spec *spec, const gss_buffer_desc *tok,
               OM_uint32 plain_major, const gss_buffer_desc *plain_out)
{
    size_t n = tok->length, hl = n < 60 ? n : 60, tl = n < 60 ? 0 : 28;
    size_t hs = n < 32 ? n : 32;
    gss_iov_buffer_desc iov[3];
    OM_uint32 major, minor;
    uint8_t *copy;

    for (int layout = 0; layout < 3; layout++) {
        gss_ctx_id_t h = fx_ctx_publish(fx_ctx_new(fk, spec));

        copy = malloc(n > 0 ? n : 1);
        FUZZ_CHECK(copy != NULL);
        if (n > 0)
            memcpy(copy, tok->value, n);
        memset(iov, 0, sizeof(iov));
        iov[0].type = layout == 0 ? GSS_IOV_BUFFER_TYPE_STREAM
                                  : GSS_IOV_BUFFER_TYPE_HEADER;
        iov[0].buffer.value = copy;
        iov[0].buffer.length = layout == 0 ? n : layout == 1 ? hl : hs;
        iov[1].type = GSS_IOV_BUFFER_TYPE_DATA;
        if (layout > 0) {
            size_t d = layout == 1 ? hl : hs;

            iov[1].buffer.value = copy + d;
            iov[1].buffer.length = n - d - (layout == 2 ? tl : 0);
            iov[2].type = GSS_IOV_BUFFER_TYPE_TRAILER;
            iov[2].buffer.value = copy + n - tl;
            iov[2].buffer.length = tl;
            if (layout == 2 && n < hs + tl) {
                /* Too short for all three: HEADER only. */
                iov[1].buffer.length = n - d;
                iov[2].type = GSS_IOV_BUFFER_TYPE_EMPTY;
            }
        }
        major = gss_unwrap_iov(&minor, h, NULL, NULL, iov, 3);
        if (layout == 0 && !GSS_ERROR(plain_major)) {
            FUZZ_CHECK(!GSS_ERROR(major));
            FUZZ_CHECK(iov[1].buffer.length == plain_out->length &&
                       (plain_out->length == 0 ||
                        memcmp(iov[1].buffer.value, plain_out->value,
                               plain_out->length) == 0));
        }
        free(copy);
        FUZZ_CHECK(gss_delete_sec_context(&minor, &h, NULL) ==
                   GSS_S_COMPLETE);
    }
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct fx_ctx_spec spec;
    struct bt_krb5_ctx *c;
    struct bt_seqstate before;
    gss_buffer_desc tok = GSS_C_EMPTY_BUFFER, out = GSS_C_EMPTY_BUFFER;
    gss_ctx_id_t h;
    OM_uint32 major, minor;
    gss_qop_t qop = 99;
    int conf = -1;
    bool built, valid = false;
    uint64_t seq;

    if (size < 2)
        return 0;
    built = data[0] & 1;
    fx_msg_spec(data[0], data[1], &spec);
    c = fx_ctx_new(fk, &spec);
    h = fx_ctx_publish(c);
    if (built) {
        if (!build(c, data + 2, size - 2, &tok, &valid)) {
            (void)gss_delete_sec_context(&minor, &h, NULL);
            return 0;
        }
    } else {
        tok.value = (void *)(data + 2);
        tok.length = size - 2;
    }

    before = c->recv;
    major = gss_unwrap(&minor, h, &tok, &out, &conf, &qop);
    seq = tok.length >= 16 ? fx_be64((const uint8_t *)tok.value + 8) : 0;
    fx_check_window(major, &before, &c->recv, seq);
    if (GSS_ERROR(major)) {
        FUZZ_CHECK(out.length == 0 && out.value == NULL);
        FUZZ_CHECK(!built || !valid);
    } else {
        FUZZ_CHECK(tok.length >= 16);
        FUZZ_CHECK(qop == GSS_C_QOP_DEFAULT);
        FUZZ_CHECK(conf == ((((const uint8_t *)tok.value)[2] & 2) ? 1 : 0));
        FUZZ_CHECK(out.length < tok.length);
        if (built) {
            FUZZ_CHECK(valid);
            FUZZ_CHECK(out.length == size - 2 - 15 &&
                       (out.length == 0 ||
                        memcmp(out.value, data + 17, out.length) == 0));
        }
    }
    unwrap_iov_too(&spec, &tok, major, &out);
    (void)gss_release_buffer(&minor, &out);
    FUZZ_CHECK(gss_delete_sec_context(&minor, &h, NULL) == GSS_S_COMPLETE);
    if (built)
        free(tok.value);
    return 0;
}
