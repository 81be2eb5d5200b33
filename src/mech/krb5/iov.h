/*
 * iov.h - layout rules shared by the Kerberos IOV calls (iov_wrap.c,
 * iov_unwrap.c); see iov.c for the token's layout across the buffers.
 */
#ifndef BATON_MECH_KRB5_IOV_H_
#define BATON_MECH_KRB5_IOV_H_

#include "mech/krb5/msgtok.h"

#define IOV_TYPE(b) GSS_IOV_BUFFER_TYPE((b)->type)

struct bt_k5iov_layout {
    gss_iov_buffer_desc *header, *trailer, *padding, *stream, *mic, *data;
    int n_data, n_signed;          /* DATA buffers; DATA and SIGN_ONLY */
};

/* Sizes of a token's parts: confounder, MAC, and the trailer part (filler,
 * header copy and MAC when sealed; the checksum otherwise). */
struct bt_k5iov_parts {
    size_t conf, mac, tail;
};

/* Sorts the caller's buffers into *l. */
OM_uint32 bt_k5iov_scan(OM_uint32 *minor, gss_iov_buffer_desc *iov, int n,
                        struct bt_k5iov_layout *l);

/* The part sizes for this context's key; ec is the token's EC field. */
OM_uint32 bt_k5iov_part_sizes(OM_uint32 *minor, krb5_context k,
                              const struct bt_krb5_ctx *ctx, bool sealed,
                              uint16_t ec, struct bt_k5iov_parts *p);

/* Gives b exactly need octets: allocated when b asks for it
 * (GSS_IOV_BUFFER_FLAG_ALLOCATE), else the caller's buffer must be long
 * enough and is shortened to need.  bt_k5iov_unprovide undoes an
 * allocation. */
OM_uint32 bt_k5iov_provide(OM_uint32 *minor, gss_iov_buffer_desc *b,
                           size_t need);
void bt_k5iov_unprovide(gss_iov_buffer_desc *b);

/* b could be provided need octets (earlier allocations are freed with
 * bt_iov_drop, glue/glue.h). */
bool bt_k5iov_fits(const gss_iov_buffer_desc *b, size_t need);

void bt_k5iov_kset(krb5_crypto_iov *v, krb5_cryptotype type, void *p,
                   size_t len);

/* Appends the DATA and SIGN_ONLY buffers to v in the caller's order;
 * returns how many. */
size_t bt_k5iov_add_payload(krb5_crypto_iov *v, const gss_iov_buffer_desc *iov,
                            int n);

/* Zeroes the DATA buffers (after a failed unwrap). */
void bt_k5iov_wipe_data(gss_iov_buffer_desc *iov, int n);

#endif /* BATON_MECH_KRB5_IOV_H_ */
