/*
 * msgtok.h - the RFC 4121 4.2 token header and the checks shared by the
 * buffer calls (msg.c) and the IOV calls (iov.c).
 */
#ifndef BATON_MECH_KRB5_MSGTOK_H_
#define BATON_MECH_KRB5_MSGTOK_H_

#include <stdbool.h>
#include <stdint.h>

#include "mech/krb5/ctx.h"
#include "util/reader.h"

#define TOK_MIC  0x0404
#define TOK_WRAP 0x0504
#define HDR_LEN  16

/* RFC 4121 4.2.2 Flags. */
#define FLAG_SENT_BY_ACCEPTOR 0x01
#define FLAG_SEALED           0x02
#define FLAG_ACCEPTOR_SUBKEY  0x04

struct hdr {
    uint16_t tok_id;
    uint8_t flags;
    uint16_t ec, rrc;
    uint64_t seq;
};

void bt_k5tok_write_hdr(uint8_t out[HDR_LEN], const struct hdr *h);

/* Parses a header of tok_id; the reader is left at the token's data and
 * *raw points at the header's 16 octets. */
bool bt_k5tok_read_hdr(struct bt_reader *tok, uint16_t tok_id, struct hdr *h,
                       const uint8_t **raw);

/* The Flags this side sends. */
uint8_t bt_k5tok_own_flags(const struct bt_krb5_ctx *ctx);

/* GSS_S_DEFECTIVE_TOKEN unless flags are the peer's direction and the
 * context's AcceptorSubkey bit. */
OM_uint32 bt_k5tok_check_flags(OM_uint32 *minor, const struct bt_krb5_ctx *ctx,
                               uint8_t flags);

/* RFC 4121 2: the key usage for SIGN (MIC) or SEAL (Wrap) tokens. */
krb5_keyusage bt_k5tok_usage(const struct bt_krb5_ctx *ctx, bool sending,
                             bool seal);

/* The crypto context for a call on an open, unexpired context, or NULL
 * with *major set. */
krb5_context bt_k5tok_ready(OM_uint32 *minor, const struct bt_krb5_ctx *ctx,
                            OM_uint32 *major);

/* The common start of verify_mic and unwrap: an open context, a header of
 * tok_id, the peer's flags.  Returns the crypto context, or NULL with
 * *major set; *raw is the header, *body and *n the data after it. */
krb5_context bt_k5tok_read_token(OM_uint32 *minor,
                                 const struct bt_krb5_ctx *ctx,
                                 const gss_buffer_desc *token, uint16_t tok_id,
                                 struct hdr *h, const uint8_t **raw,
                                 const uint8_t **body, size_t *n,
                                 OM_uint32 *major);

/* bt_k5tok_ready, and GSS_S_BAD_QOP for a QOP other than the default. */
krb5_context bt_k5tok_ready_qop(OM_uint32 *minor,
                                const struct bt_krb5_ctx *ctx, gss_qop_t qop,
                                OM_uint32 *major);

/* The length of the key's mandatory checksum, 0 on error. */
size_t bt_k5tok_checksum_len(krb5_context k, const struct bt_krb5_ctx *ctx);

/* ---- msg_fast.c: OpenSSL's crypto for the AES enctypes, else libkrb5 ---- */

#define BT_K5TOK_MAX_CK 64

/* The context's prepared OpenSSL crypto, made on first use; NULL when the
 * enctype is not one k5fast serves (or could not be prepared). */
struct bt_k5fast *bt_k5tok_fast(krb5_context k, struct bt_krb5_ctx *ctx);

/* The key's mandatory checksum over data || hdr, into out. */
krb5_error_code bt_k5tok_checksum(krb5_context k, struct bt_krb5_ctx *ctx,
                                  krb5_keyusage u, const void *data,
                                  size_t len, const uint8_t hdr[HDR_LEN],
                                  uint8_t out[BT_K5TOK_MAX_CK],
                                  size_t *out_len);

/* Confidential Wrap token with ctx->fast (non-NULL): hdr || E(...). */
OM_uint32 bt_k5tok_wrap_conf_fast(OM_uint32 *minor, struct bt_krb5_ctx *ctx,
                                  const uint8_t hdr[HDR_LEN],
                                  const gss_buffer_desc *in, gss_buffer_t out);

/* Decrypts the unrotated body buf[0..n) in place with ctx->fast and checks
 * the header copy; the data then starts at buf, *len_out long. */
OM_uint32 bt_k5tok_unwrap_conf_fast(OM_uint32 *minor, struct bt_krb5_ctx *ctx,
                                    const struct hdr *h,
                                    const uint8_t raw[HDR_LEN], uint8_t *buf,
                                    size_t n, size_t *len_out);

#endif /* BATON_MECH_KRB5_MSGTOK_H_ */
