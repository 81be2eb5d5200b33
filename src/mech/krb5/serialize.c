/*
 * serialize.c - a Kerberos context as bytes, for gss_export_sec_context:
 * every field the context needs to go on in another process (keys, both
 * sequence numbers, the replay window, flags, names, lifetimes), in a
 * fixed big-endian layout with a version octet.  The glue seals the result;
 * this file never sees the envelope.
 *
 *   u8 version (1) | u8 state | u8 initiator | u8 acceptor_subkey |
 *   u32 flags | u32 endtime | u32 ticket_flags |
 *   str initiator_name | str acceptor_name |
 *   key context key | key session key (state WAIT_REPLY only) |
 *   key initiator subkey (state OPEN only) |
 *   u32 auth_ctime | u32 auth_cusec | u64 send_seq |
 *   u64 recv.next | u64 recv.seen | u8 recv.do_replay | u8 recv.do_sequence
 * where str = u16 length + bytes and key = i32 enctype + u16 length + bytes.
 */
#include "mech/krb5/ctx.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "glue/glue.h"
#include "util/mem.h"
#include "util/reader.h"
#include "util/writer.h"

#define FORMAT_VERSION 2

/* A name as text: the imported string if there is one, else unparsed. */
static krb5_error_code
write_name(krb5_context k, struct bt_writer *w, krb5_const_principal p,
           const char *str)
{
    char *s = NULL;
    krb5_error_code ret = 0;
    size_t n;

    if (str == NULL && (ret = krb5_unparse_name(k, p, &s)) != 0)
        return ret;
    n = strlen(str != NULL ? str : s);
    if (n == 0 || n > 0xffff)
        ret = KRB5_PARSE_MALFORMED;
    if (ret == 0) {
        bt_wr_u16be(w, (uint16_t)n);
        bt_wr_bytes(w, str != NULL ? str : s, n);
    }
    krb5_free_unparsed_name(k, s);
    return ret;
}

static krb5_error_code
write_key(krb5_context k, struct bt_writer *w, krb5_key key)
{
    krb5_keyblock *kb = NULL;
    krb5_error_code ret;

    if (key == NULL) {
        bt_wr_u32be(w, 0);
        bt_wr_u16be(w, 0);
        return 0;
    }
    ret = krb5_k_key_keyblock(k, key, &kb);
    if (ret != 0)
        return ret;
    bt_wr_u32be(w, (uint32_t)kb->enctype);
    bt_wr_u16be(w, (uint16_t)kb->length);
    bt_wr_bytes(w, kb->contents, kb->length);
    krb5_free_keyblock(k, kb);
    return 0;
}

OM_uint32
bt_krb5_export_sec_context(OM_uint32 *minor, void *mctx, gss_buffer_t out)
{
    const struct bt_krb5_ctx *c = mctx;
    krb5_error_code ret = 0;
    krb5_context k = bt_krb5_thread_kctx(&ret);
    struct bt_writer w;
    void *data;
    size_t n;

    if (k == NULL)
        return bt_krb5_gss_error(minor, ret);
    bt_wr_init(&w, true);
    bt_wr_u8(&w, FORMAT_VERSION);
    bt_wr_u8(&w, c->state);
    bt_wr_u8(&w, c->initiator);
    bt_wr_u8(&w, c->acceptor_subkey);
    bt_wr_u32be(&w, c->flags);
    bt_wr_u32be(&w, (uint32_t)c->endtime);
    bt_wr_u32be(&w, (uint32_t)c->ticket_flags);
    ret = write_name(k, &w, c->initiator_name, c->initiator_str);
    if (ret == 0)
        ret = write_name(k, &w, c->acceptor_name, c->acceptor_str);
    if (ret == 0)
        ret = write_key(k, &w, c->key);
    if (ret == 0)
        ret = write_key(k, &w, c->state == BT_K5_WAIT_REPLY ? c->session_key
                                                            : NULL);
    if (ret == 0)
        ret = write_key(k, &w, c->state == BT_K5_OPEN ? c->init_subkey : NULL);
    bt_wr_u32be(&w, (uint32_t)c->auth_ctime);
    bt_wr_u32be(&w, (uint32_t)c->auth_cusec);
    bt_wr_u64be(&w, c->send_seq);
    bt_wr_u64be(&w, c->recv.next);
    bt_wr_u64be(&w, c->recv.seen);
    bt_wr_u8(&w, c->recv.do_replay);
    bt_wr_u8(&w, c->recv.do_sequence);
    if (ret != 0) {
        bt_wr_free(&w);
        return bt_krb5_gss_error(minor, ret);
    }
    if (bt_wr_take(&w, &data, &n) != 0)
        return bt_fail(minor, GSS_S_FAILURE, ENOMEM);
    out->value = data;
    out->length = n;
    *minor = 0;
    return GSS_S_COMPLETE;
}

/* A name stays text until something asks for the principal (most
 * imported contexts are only used for messages, or moved on again). */
static krb5_error_code
read_name(struct bt_reader *r, char **out)
{
    size_t n = bt_rd_u16be(r);
    const uint8_t *p = bt_rd_bytes(r, n);

    if (p == NULL || n == 0 || memchr(p, '\0', n) != NULL ||
        memchr(p, '@', n) == NULL)
        return KRB5_PARSE_MALFORMED;
    *out = strndup((const char *)p, n);
    return *out != NULL ? 0 : ENOMEM;
}

/* A key, or NULL for the empty encoding; *out stays NULL on error. */
static krb5_error_code
read_key(krb5_context k, struct bt_reader *r, bool required, krb5_key *out)
{
    krb5_keyblock kb;
    size_t n;

    memset(&kb, 0, sizeof(kb));
    kb.enctype = (krb5_enctype)bt_rd_u32be(r);
    n = bt_rd_u16be(r);
    kb.contents = (krb5_octet *)bt_rd_bytes(r, n);
    kb.length = (unsigned int)n;
    if (!bt_rd_ok(r))
        return KRB5_BAD_MSIZE;
    if (n == 0 && kb.enctype == 0 && !required)
        return 0;
    if (!bt_krb5_key_length_ok(kb.enctype, n))
        return KRB5_BAD_KEYSIZE;
    return krb5_k_create_key(k, &kb, out);
}

static krb5_error_code
read_ctx(krb5_context k, struct bt_reader *r, struct bt_krb5_ctx *c)
{
    krb5_error_code ret;

    if (bt_rd_u8(r) != FORMAT_VERSION)
        return KRB5_BADMSGTYPE;
    c->state = bt_rd_u8(r);
    c->initiator = bt_rd_u8(r) != 0;
    c->acceptor_subkey = bt_rd_u8(r) != 0;
    c->flags = bt_rd_u32be(r);
    c->endtime = (krb5_timestamp)bt_rd_u32be(r);
    c->ticket_flags = (krb5_flags)bt_rd_u32be(r);
    if (c->state != BT_K5_OPEN &&
        !(c->state == BT_K5_WAIT_REPLY && c->initiator))
        return KRB5_BADMSGTYPE;
    ret = read_name(r, &c->initiator_str);
    if (ret == 0)
        ret = read_name(r, &c->acceptor_str);
    if (ret == 0)
        ret = read_key(k, r, true, &c->key);
    if (ret == 0)
        ret = read_key(k, r, c->state == BT_K5_WAIT_REPLY, &c->session_key);
    if (ret == 0)
        ret = read_key(k, r, c->state == BT_K5_OPEN, &c->init_subkey);
    /* The writer sends no initiator subkey for a partial context. */
    if (ret == 0 && c->state != BT_K5_OPEN && c->init_subkey != NULL)
        ret = KRB5_BADMSGTYPE;
    c->auth_ctime = (krb5_timestamp)bt_rd_u32be(r);
    c->auth_cusec = (int32_t)bt_rd_u32be(r);
    c->send_seq = bt_rd_u64be(r);
    c->recv.next = bt_rd_u64be(r);
    c->recv.seen = bt_rd_u64be(r);
    c->recv.do_replay = bt_rd_u8(r) != 0;
    c->recv.do_sequence = bt_rd_u8(r) != 0;
    if (ret == 0 && !bt_rd_done(r))
        ret = KRB5_BAD_MSIZE;
    return ret;
}

OM_uint32
bt_krb5_import_sec_context(OM_uint32 *minor, const void *data, size_t len,
                           void **mctx_out)
{
    struct bt_krb5_ctx *c = calloc(1, sizeof(*c));
    krb5_error_code ret = 0;
    krb5_context k = bt_krb5_thread_kctx(&ret);
    struct bt_reader r;

    if (c == NULL || k == NULL) {
        free(c);
        return k == NULL ? bt_krb5_gss_error(minor, ret)
                         : bt_fail(minor, GSS_S_FAILURE, ENOMEM);
    }
    bt_rd_init(&r, data, len);
    ret = read_ctx(k, &r, c);
    if (ret != 0) {
        bt_krb5_ctx_free(c);
        return bt_fail(minor, GSS_S_DEFECTIVE_TOKEN, (OM_uint32)ret);
    }
    *mctx_out = c;
    *minor = 0;
    return GSS_S_COMPLETE;
}
