/*
 * gss_verify_mic_fuzz.c - attacks gss_verify_mic on an open Kerberos
 * context: the RFC 4121 4.2.6.1 MIC token header, the checksum comparison
 * (src/mech/krb5/msg.c) and the receive window (seqstate.c).
 *
 * The context is built directly (krb5_ctx_fixture.h) with a fixed key;
 * octets 0 and 1 choose it as in gss_unwrap_fuzz (krb5_msg_fixture.h).
 * Then
 *   octet 0 bit 0 clear: octet 2 is the message length (modulo 64), the
 *     message follows and the rest is the MIC token as received;
 *   octet 0 bit 0 set: the target builds the token with the real key
 *     (krb5_k_make_checksum over message | header, RFC 4121 4.2.4) from
 *       flags (1) | filler (5) | SND_SEQ (8) | tweak (1) | message
 *     tweak bit 7 flips a checksum octet, bit 6 appends an octet.
 *
 * Invariants: an error never changes the receive window; a success
 * reports the supplementary status and window an independent model of
 * RFC 2743 1.2.3 predicts; a built token is accepted exactly when RFC 4121
 * makes it valid (peer's direction bit, the context's AcceptorSubkey bit,
 * five FF filler octets, checksum intact).
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

static bool
build(const struct bt_krb5_ctx *c, const uint8_t *in, size_t n,
      gss_buffer_desc *msg, gss_buffer_desc *tok, bool *valid)
{
    bool peer_is_acceptor = c->initiator;
    uint8_t flags, tweak, *buf, *t;
    krb5_checksum ck;
    krb5_data d;
    size_t mlen;

    if (n < 15)
        return false;
    flags = in[0];
    tweak = in[14];
    msg->value = (void *)(in + 15);
    msg->length = mlen = n - 15;
    buf = malloc(mlen + 16);
    FUZZ_CHECK(buf != NULL);
    if (mlen > 0)
        memcpy(buf, in + 15, mlen);
    buf[mlen] = 0x04;
    buf[mlen + 1] = 0x04;
    buf[mlen + 2] = flags;
    memcpy(buf + mlen + 3, in + 1, 5);
    memcpy(buf + mlen + 8, in + 6, 8);
    d.magic = KV5M_DATA;
    d.data = (char *)buf;
    d.length = (unsigned int)(mlen + 16);
    FUZZ_CHECK(krb5_k_make_checksum(fk, 0, c->key,
                                    fx_usage(peer_is_acceptor, false), &d,
                                    &ck) == 0);
    t = malloc(16 + ck.length + 1);
    FUZZ_CHECK(t != NULL);
    memcpy(t, buf + mlen, 16);
    memcpy(t + 16, ck.contents, ck.length);
    tok->value = t;
    tok->length = 16 + ck.length;
    *valid = memcmp(in + 1, "\xff\xff\xff\xff\xff", 5) == 0 &&
             ((flags & 1) != 0) == peer_is_acceptor &&
             ((flags & 4) != 0) == c->acceptor_subkey;
    if (tweak & 0x80) {
        t[16 + (tweak & 15) % ck.length] ^= 0x01;
        *valid = false;
    }
    if (tweak & 0x40) {
        t[tok->length++] = 0;
        *valid = false;
    }
    krb5_free_checksum_contents(fk, &ck);
    free(buf);
    return true;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct fx_ctx_spec spec;
    struct bt_krb5_ctx *c;
    struct bt_seqstate before;
    gss_buffer_desc msg, tok;
    gss_ctx_id_t h;
    OM_uint32 major, minor;
    gss_qop_t qop = 99;
    bool built, valid = false;
    uint64_t seq;
    size_t mlen;

    if (size < 2)
        return 0;
    built = data[0] & 1;
    fx_msg_spec(data[0], data[1], &spec);
    if (built) {
        c = fx_ctx_new(fk, &spec);
        if (!build(c, data + 2, size - 2, &msg, &tok, &valid)) {
            bt_krb5_ctx_free(c);
            return 0;
        }
    } else {
        if (size < 3)
            return 0;
        mlen = data[2] % 64;
        if (mlen > size - 3)
            mlen = size - 3;
        msg.value = (void *)(data + 3);
        msg.length = mlen;
        tok.value = (void *)(data + 3 + mlen);
        tok.length = size - 3 - mlen;
        c = fx_ctx_new(fk, &spec);
    }
    h = fx_ctx_publish(c);

    before = c->recv;
    major = gss_verify_mic(&minor, h, &msg, &tok, &qop);
    seq = tok.length >= 16 ? fx_be64((const uint8_t *)tok.value + 8) : 0;
    fx_check_window(major, &before, &c->recv, seq);
    if (GSS_ERROR(major)) {
        FUZZ_CHECK(!built || !valid);
    } else {
        FUZZ_CHECK(tok.length > 16 && qop == GSS_C_QOP_DEFAULT);
        FUZZ_CHECK(!built || valid);
    }
    FUZZ_CHECK(gss_delete_sec_context(&minor, &h, NULL) == GSS_S_COMPLETE);
    if (built)
        free(tok.value);
    return 0;
}
