/*
 * inquire_oid.c - gss_inquire_sec_context_by_oid for Kerberos:
 * GSS_C_INQ_SSPI_SESSION_KEY, the context key and its enctype as MIT
 * reports them (the key, then the OID 1.2.840.113554.1.2.2.4.<enctype>).
 */
#include "mech/krb5/ctx.h"

#include <errno.h>
#include <string.h>

#include "glue/glue.h"
#include "glue/oids.h"
#include "util/mem.h"
#include "util/writer.h"

/* 1.2.840.113554.1.2.2.4: MIT's arc for "session key enctype". */
#define ENCTYPE_ARC "\x2a\x86\x48\x86\xf7\x12\x01\x02\x02\x04"

static OM_uint32
add(OM_uint32 *minor, const void *p, size_t n, gss_buffer_set_t *set)
{
    gss_buffer_desc b = { n, (void *)p };

    return gss_add_buffer_set_member(minor, &b, set);
}

/* The enctype as one more base-128 arc after ENCTYPE_ARC. */
static OM_uint32
add_enctype_oid(OM_uint32 *minor, krb5_enctype e, gss_buffer_set_t *set)
{
    struct bt_writer w;
    uint8_t arc[5];
    size_t n = 0;
    uint32_t v = (uint32_t)e;
    OM_uint32 major;

    do {
        arc[n++] = (uint8_t)(v & 0x7f);
        v >>= 7;
    } while (v > 0);
    bt_wr_init(&w, false);
    bt_wr_bytes(&w, ENCTYPE_ARC, sizeof(ENCTYPE_ARC) - 1);
    while (n > 1)
        bt_wr_u8(&w, arc[--n] | 0x80);
    bt_wr_u8(&w, arc[0]);
    major = bt_wr_ok(&w) ? add(minor, w.data, w.len, set)
                         : bt_fail(minor, GSS_S_FAILURE, ENOMEM);
    bt_wr_free(&w);
    return major;
}

OM_uint32
bt_krb5_inquire_sec_context_by_oid(OM_uint32 *minor, void *mctx,
                                   const gss_OID_desc *what,
                                   gss_buffer_set_t *out)
{
    struct bt_krb5_ctx *ctx = mctx;
    gss_buffer_set_t set = GSS_C_NO_BUFFER_SET;
    krb5_keyblock *kb = NULL;
    krb5_error_code ret;
    OM_uint32 major, tmp;

    if (!bt_oid_eq(what, BT_OID(O_INQ_SSPI_KEY)))
        return bt_fail(minor, GSS_S_UNAVAILABLE, BT_E_NOT_IMPLEMENTED);
    if (ctx->state != BT_K5_OPEN || ctx->key == NULL)
        return bt_fail(minor, GSS_S_NO_CONTEXT, BT_E_CTX_NOT_ESTABLISHED);
    ret = krb5_k_key_keyblock(NULL, ctx->key, &kb);
    if (ret != 0)
        return bt_krb5_gss_error(minor, ret);
    major = add(minor, kb->contents, kb->length, &set);
    if (major == GSS_S_COMPLETE)
        major = add_enctype_oid(minor, kb->enctype, &set);
    krb5_free_keyblock(NULL, kb);
    if (major != GSS_S_COMPLETE) {
        (void)gss_release_buffer_set(&tmp, &set);
        return major;
    }
    *out = set;
    *minor = 0;
    return GSS_S_COMPLETE;
}
