/*
 * prf.c - gss_pseudo_random for Kerberos (RFC 7802, which obsoletes
 * RFC 4402 because deployed code counted from 0):
 *   PRF+(K, L, S) = truncate(L, T1 || T2 || ...),
 *   Ti = pseudo-random(K, n || S), n a 4-octet big-endian counter from 0
 *   for T1 (as MIT and Heimdal compute it; tests/interop's prf scenario),
 * K the acceptor subkey if asserted, else the initiator subkey, for
 * GSS_C_PRF_KEY_FULL; the initiator subkey (else the session key) for
 * GSS_C_PRF_KEY_PARTIAL.
 */
#include "mech/krb5/ctx.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "glue/glue.h"
#include "util/mem.h"
#include "util/writer.h"

/* More than any protocol asks for; bounds the work of one call. */
#define MAX_OUTPUT (1 << 20)

static krb5_error_code
prf_plus(krb5_context k, krb5_key key, const gss_buffer_desc *in,
         uint8_t *out, size_t len)
{
    size_t block = 0, done = 0;
    struct bt_writer w;
    krb5_data input, output;
    krb5_error_code ret;

    ret = krb5_c_prf_length(k, krb5_k_key_enctype(k, key), &block);
    if (ret != 0)
        return ret;
    output.magic = KV5M_DATA;
    output.length = (unsigned int)block;
    output.data = malloc(block);
    if (output.data == NULL)
        return ENOMEM;
    for (uint32_t i = 0; ret == 0 && done < len; i++) {
        bt_wr_init(&w, true);
        bt_wr_u32be(&w, i);
        bt_wr_bytes(&w, in->value, in->length);
        input.magic = KV5M_DATA;
        input.data = (char *)w.data;
        input.length = (unsigned int)w.len;
        ret = bt_wr_ok(&w) ? krb5_k_prf(k, key, &input, &output) : ENOMEM;
        if (ret == 0) {
            size_t n = len - done < block ? len - done : block;

            memcpy(out + done, output.data, n);
            done += n;
        }
        bt_wr_free(&w);
    }
    bt_free_secret(output.data, block);
    return ret;
}

OM_uint32
bt_krb5_pseudo_random(OM_uint32 *minor, void *mctx, int prf_key,
                      const gss_buffer_desc *in, ssize_t len,
                      gss_buffer_t out)
{
    struct bt_krb5_ctx *ctx = mctx;
    krb5_error_code ret = 0;
    krb5_context k = bt_krb5_thread_kctx(&ret);
    krb5_key key;
    uint8_t *buf;

    if (k == NULL)
        return bt_krb5_gss_error(minor, ret);
    if (ctx->state != BT_K5_OPEN || ctx->key == NULL)
        return bt_fail(minor, GSS_S_NO_CONTEXT, BT_E_CTX_NOT_ESTABLISHED);
    if (len > MAX_OUTPUT)
        return bt_fail(minor, GSS_S_FAILURE, BT_E_BAD_PRF_ARGS);
    key = prf_key == GSS_C_PRF_KEY_FULL || ctx->init_subkey == NULL
          ? ctx->key : ctx->init_subkey;
    buf = malloc((size_t)len);
    if (buf == NULL)
        return bt_fail(minor, GSS_S_FAILURE, ENOMEM);
    ret = prf_plus(k, key, in, buf, (size_t)len);
    if (ret != 0) {
        bt_free_secret(buf, (size_t)len);
        return bt_krb5_gss_error(minor, ret);
    }
    out->value = buf;
    out->length = (size_t)len;
    *minor = 0;
    return GSS_S_COMPLETE;
}
