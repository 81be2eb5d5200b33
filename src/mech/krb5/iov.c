/*
 * iov.c - the layout rules shared by MIT's IOV calls for RFC 4121 tokens:
 * the Wrap token gss_wrap makes, laid out across the caller's buffers,
 * encrypted in place.
 *
 *   HEADER   token header | confounder
 *   DATA     encrypted in place;  SIGN_ONLY  protected, sent apart
 *   PADDING  always empty (the RFC 3962 and 8009 enctypes use CTS)
 *   TRAILER  E(header copy) | MAC   or, integrity only, the checksum
 *
 * Without a TRAILER the trailer part follows the token header inside the
 * HEADER and the token says so with RRC (RFC 4121 4.2.5): it is the
 * standard token rotated right, as DCE RPC sends it.  A STREAM buffer holds
 * a whole token as received; unwrap then points the DATA buffer into it.
 * The SIGN_ONLY and DATA buffers enter the checksum in the caller's order.
 */
#include "mech/krb5/iov.h"

#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>

#include "glue/glue.h"
#include "util/mem.h"


static gss_iov_buffer_desc **
single_slot(struct bt_k5iov_layout *l, OM_uint32 type)
{
    switch (type) {
    case GSS_IOV_BUFFER_TYPE_HEADER:    return &l->header;
    case GSS_IOV_BUFFER_TYPE_TRAILER:   return &l->trailer;
    case GSS_IOV_BUFFER_TYPE_PADDING:   return &l->padding;
    case GSS_IOV_BUFFER_TYPE_STREAM:    return &l->stream;
    case GSS_IOV_BUFFER_TYPE_MIC_TOKEN: return &l->mic;
    default:                            return NULL;
    }
}

/* Sorts the caller's buffers; a kind that may appear once appearing twice
 * or an unknown type is a layout error. */
OM_uint32
bt_k5iov_scan(OM_uint32 *minor, gss_iov_buffer_desc *iov, int n,
              struct bt_k5iov_layout *l)
{
    memset(l, 0, sizeof(*l));
    for (int i = 0; i < n; i++) {
        OM_uint32 type = IOV_TYPE(&iov[i]);
        gss_iov_buffer_desc **slot = single_slot(l, type);

        if (iov[i].buffer.length > 0 && iov[i].buffer.value == NULL &&
            !(iov[i].type & GSS_IOV_BUFFER_FLAG_ALLOCATE))
            return bt_fail(minor, GSS_S_CALL_INACCESSIBLE_READ,
                           BT_E_BAD_BUFFER);
        if (iov[i].buffer.length > UINT_MAX)
            return bt_fail(minor, GSS_S_FAILURE, EOVERFLOW);
        if (slot != NULL) {
            if (*slot != NULL)
                return bt_fail(minor, GSS_S_FAILURE, BT_E_IOV_LAYOUT);
            *slot = &iov[i];
            continue;
        }
        if (type == GSS_IOV_BUFFER_TYPE_EMPTY ||
            type == GSS_IOV_BUFFER_TYPE_MECH_PARAMS)
            continue;
        if (type != GSS_IOV_BUFFER_TYPE_DATA &&
            type != GSS_IOV_BUFFER_TYPE_SIGN_ONLY)
            return bt_fail(minor, GSS_S_FAILURE, BT_E_IOV_LAYOUT);
        if (type == GSS_IOV_BUFFER_TYPE_DATA) {
            l->data = &iov[i];
            l->n_data++;
        }
        l->n_signed++;
    }
    return GSS_S_COMPLETE;
}

OM_uint32
bt_k5iov_part_sizes(OM_uint32 *minor, krb5_context k,
                    const struct bt_krb5_ctx *ctx, bool sealed, uint16_t ec,
                    struct bt_k5iov_parts *p)
{
    krb5_enctype e = krb5_k_key_enctype(k, ctx->key);
    unsigned int head = 0, trail = 0;

    if (!sealed) {
        p->conf = 0;
        p->mac = p->tail = bt_k5tok_checksum_len(k, ctx);
        return p->mac != 0 ? GSS_S_COMPLETE
                           : bt_fail(minor, GSS_S_FAILURE, KRB5_BAD_ENCTYPE);
    }
    if (krb5_c_crypto_length(k, e, KRB5_CRYPTO_TYPE_HEADER, &head) != 0 ||
        krb5_c_crypto_length(k, e, KRB5_CRYPTO_TYPE_TRAILER, &trail) != 0)
        return bt_fail(minor, GSS_S_FAILURE, KRB5_BAD_ENCTYPE);
    p->conf = head;
    p->mac = trail;
    p->tail = (size_t)ec + HDR_LEN + trail;
    return GSS_S_COMPLETE;
}

/* True if b can take need octets: it asks to be allocated or is long
 * enough. */
bool
bt_k5iov_fits(const gss_iov_buffer_desc *b, size_t need)
{
    return (b->type & GSS_IOV_BUFFER_FLAG_ALLOCATE) ||
           (b->buffer.length >= need && (need == 0 || b->buffer.value));
}

/* Gives b exactly need octets: allocated if the caller asked, else the
 * caller's buffer must be long enough. */
OM_uint32
bt_k5iov_provide(OM_uint32 *minor, gss_iov_buffer_desc *b, size_t need)
{
    void *p;

    if (b->type & GSS_IOV_BUFFER_FLAG_ALLOCATE) {
        bt_iov_drop(b);
        if (need == 0) {
            b->buffer.value = NULL;
            b->buffer.length = 0;
            return GSS_S_COMPLETE;
        }
        if ((p = calloc(1, need)) == NULL)
            return bt_fail(minor, GSS_S_FAILURE, ENOMEM);
        b->buffer.value = p;
        b->buffer.length = need;
        b->type |= GSS_IOV_BUFFER_FLAG_ALLOCATED;
        return GSS_S_COMPLETE;
    }
    if (!bt_k5iov_fits(b, need))
        return bt_fail(minor, GSS_S_FAILURE, BT_E_IOV_SMALL);
    b->buffer.length = need;
    return GSS_S_COMPLETE;
}

/* Undoes provide() for buffers this call allocated. */
void
bt_k5iov_unprovide(gss_iov_buffer_desc *b)
{
    OM_uint32 ours = GSS_IOV_BUFFER_FLAG_ALLOCATE |
                     GSS_IOV_BUFFER_FLAG_ALLOCATED;

    if (b != NULL && (b->type & ours) == ours)
        bt_iov_drop(b);
}

void
bt_k5iov_kset(krb5_crypto_iov *v, krb5_cryptotype type, void *p,
              size_t len)
{
    v->flags = type;
    v->data.magic = KV5M_DATA;
    v->data.data = p;
    v->data.length = (unsigned int)len;
}

/* The DATA and SIGN_ONLY buffers, in the caller's order. */
size_t
bt_k5iov_add_payload(krb5_crypto_iov *v, const gss_iov_buffer_desc *iov, int n)
{
    size_t m = 0;

    for (int i = 0; i < n; i++) {
        OM_uint32 type = IOV_TYPE(&iov[i]);

        if (type == GSS_IOV_BUFFER_TYPE_DATA)
            bt_k5iov_kset(&v[m++], KRB5_CRYPTO_TYPE_DATA,
                          iov[i].buffer.value, iov[i].buffer.length);
        else if (type == GSS_IOV_BUFFER_TYPE_SIGN_ONLY)
            bt_k5iov_kset(&v[m++], KRB5_CRYPTO_TYPE_SIGN_ONLY,
                          iov[i].buffer.value, iov[i].buffer.length);
    }
    return m;
}

/* Zeroes the DATA buffers: a failed unwrap leaves no unauthenticated
 * plaintext behind. */
void
bt_k5iov_wipe_data(gss_iov_buffer_desc *iov, int n)
{
    for (int i = 0; i < n; i++)
        if (IOV_TYPE(&iov[i]) == GSS_IOV_BUFFER_TYPE_DATA &&
            iov[i].buffer.value != NULL)
            OPENSSL_cleanse(iov[i].buffer.value, iov[i].buffer.length);
}

