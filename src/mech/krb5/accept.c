/*
 * accept.c - the acceptor (RFC 4121 4.1): AP-REQ through libkrb5's
 * krb5_rd_req with the credential's keytab and replay cache, the 0x8003
 * checksum, delegation, and an AP-REP with an acceptor subkey.
 */
#include "mech/krb5/ctx.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "glue/glue.h"
#include "mech/krb5/aprep.h"
#include "mech/krb5/authcksum.h"
#include "mech/krb5/ctxtoken.h"
#include "util/mem.h"

struct accept_state {
    struct bt_krb5_cred *cred;
    krb5_context k;
    krb5_auth_context ac;
    krb5_ticket *ticket;
    krb5_authenticator *auth;
    struct bt_krb5_ctx *ctx;
    struct bt_krb5_cred *deleg;
};

/* Opens the credential's replay cache once (held by rc_holder). */
static krb5_error_code
ensure_rcache(struct bt_krb5_cred *c, krb5_rcache *out)
{
    krb5_data piece = { KV5M_DATA, 4, (char *)"host" };
    krb5_rcache rc = NULL;
    krb5_error_code ret = 0;

    if (c->rc_holder == NULL) {
        ret = krb5_auth_con_init(c->kctx, &c->rc_holder);
        if (ret == 0)
            ret = krb5_get_server_rcache(c->kctx, &piece, &rc);
        if (ret == 0)
            ret = krb5_auth_con_setrcache(c->kctx, c->rc_holder, rc);
        if (ret != 0 && c->rc_holder != NULL) {
            krb5_auth_con_free(c->kctx, c->rc_holder);
            c->rc_holder = NULL;
        }
    }
    if (ret == 0)
        ret = krb5_auth_con_getrcache(c->kctx, c->rc_holder, out);
    return ret;
}

/* A KRB-ERROR token telling the initiator why (RFC 4121 4.1).  Its server
 * is the one the request named, read from the ticket's clear part. */
static void
error_token(struct accept_state *st, krb5_error_code code,
            const krb5_data *ap_req, gss_buffer_t out)
{
    krb5_principal named = NULL;
    krb5_error e;
    krb5_data der = { 0, 0, NULL };
    OM_uint32 tmp;
    long n = (long)code - ERROR_TABLE_BASE_krb5;

    memset(&e, 0, sizeof(e));
    e.error = (n >= 0 && n <= 127) ? (krb5_ui_4)n
              : (krb5_ui_4)(KRB5KRB_ERR_GENERIC - ERROR_TABLE_BASE_krb5);
    if (st->ticket != NULL)
        e.server = st->ticket->server;
    else if (bt_krb5_ap_req_server(st->k, ap_req->data, ap_req->length,
                                   &named) == 0)
        e.server = named;
    else
        e.server = st->cred->acceptor;
    if (e.server == NULL ||
        krb5_us_timeofday(st->k, &e.stime, &e.susec) != 0 ||
        krb5_mk_error(st->k, &e, &der) != 0) {
        krb5_free_principal(st->k, named);
        return;
    }
    krb5_free_principal(st->k, named);
    /* Best effort: without memory for it the peer just gets no reason. */
    if (bt_krb5_frame(&tmp, BT_KRB5_TOK_KRB_ERROR, der.data, der.length,
                      out) != GSS_S_COMPLETE)
        bt_buf_clear(out);
    krb5_free_data_contents(st->k, &der);
}

/* Heimdal sends KRB-CRED with enctype 0 (unencrypted): the authenticator
 * around it, sealed in the session key, is what protects it.  libkrb5 reads
 * such a message only through an auth context without keys. */
static krb5_error_code
read_cred_unkeyed(krb5_context k, krb5_data *d, krb5_creds ***creds)
{
    krb5_auth_context ac = NULL;
    krb5_error_code ret = krb5_auth_con_init(k, &ac);

    if (ret == 0)
        ret = krb5_auth_con_setflags(k, ac, 0);
    if (ret == 0)
        ret = krb5_rd_cred(k, ac, d, creds, NULL);
    if (ac != NULL)
        krb5_auth_con_free(k, ac);
    return ret;
}

/* krb5_rd_cred with the auth context's timestamp and sequence checks off:
 * the KRB-CRED travels inside the authenticator, which had them (RFC 4121
 * 4.1.1 gives it no timestamp of its own). */
static krb5_error_code
read_cred(struct accept_state *st, krb5_data *d, krb5_creds ***creds)
{
    krb5_int32 flags = 0;
    bool clear = false;
    krb5_error_code ret = bt_krb5_check_krb_cred(st->k, st->ac, d, &clear);

    /* Only an unencrypted enc-part is read without keys: a labelled one
     * that no key opens is refused, never read as plaintext. */
    if (ret == 0 && clear)
        return read_cred_unkeyed(st->k, d, creds);
    if (ret == 0)
        ret = krb5_auth_con_getflags(st->k, st->ac, &flags);
    if (ret == 0)
        ret = krb5_auth_con_setflags(st->k, st->ac, 0);
    if (ret == 0) {
        ret = krb5_rd_cred(st->k, st->ac, d, creds, NULL);
        (void)krb5_auth_con_setflags(st->k, st->ac, flags);
    }
    return ret;
}

/* Stores the forwarded TGT in a MEMORY ccache of a new credential. */
static krb5_error_code
take_delegation(struct accept_state *st, const struct bt_authcksum *ck)
{
    krb5_data d = { KV5M_DATA, (unsigned int)ck->deleg_len,
                    (char *)ck->deleg };
    krb5_creds **creds = NULL;
    struct bt_krb5_cred *c = calloc(1, sizeof(*c));
    krb5_error_code ret = c == NULL ? ENOMEM : 0;

    if (ret == 0) {
        pthread_mutex_init(&c->lock, NULL);
        c->usage = GSS_C_INITIATE;
        ret = krb5_init_context(&c->kctx);
    }
    if (ret == 0)
        ret = read_cred(st, &d, &creds);
    if (ret == 0 && (creds == NULL || creds[0] == NULL))
        ret = KRB5_NO_TKT_SUPPLIED;
    if (ret == 0)
        ret = krb5_cc_new_unique(c->kctx, "MEMORY", NULL, &c->ccache);
    if (ret == 0) {
        c->own_ccache = true;
        ret = krb5_cc_initialize(c->kctx, c->ccache, creds[0]->client);
    }
    for (size_t i = 0; ret == 0 && creds[i] != NULL; i++)
        ret = krb5_cc_store_cred(c->kctx, c->ccache, creds[i]);
    if (ret == 0)
        ret = krb5_copy_principal(c->kctx, creds[0]->client, &c->name);
    if (ret == 0)
        c->endtime = creds[0]->times.endtime;
    krb5_free_tgt_creds(st->k, creds);
    if (ret != 0) {
        bt_krb5_release_cred(c);
        return ret;
    }
    st->deleg = c;
    return 0;
}

/* Checks the 0x8003 checksum: bindings, flags, delegation. */
static OM_uint32
check_checksum(OM_uint32 *minor, struct accept_state *st,
               gss_channel_bindings_t cb)
{
    static const uint8_t zeros[BT_CB_HASH_LEN];
    const krb5_checksum *ck = st->auth->checksum;
    uint8_t want[BT_CB_HASH_LEN];
    struct bt_authcksum f;

    if (ck == NULL || ck->checksum_type != BT_KRB5_CKSUM_GSS)
        return bt_fail(minor, GSS_S_DEFECTIVE_TOKEN, BT_E_NO_CHECKSUM);
    if (!bt_authcksum_read(ck->contents, ck->length, &f))
        return bt_fail(minor, GSS_S_DEFECTIVE_TOKEN, BT_E_BAD_CHECKSUM_FIELD);
    if (!bt_cb_hash(cb, want))
        return bt_fail(minor, GSS_S_FAILURE, ENOMEM);
    /* An initiator that sent no bindings (zeros) is accepted, as by MIT
     * and Heimdal; bindings that were sent must match. */
    if (cb != GSS_C_NO_CHANNEL_BINDINGS &&
        memcmp(f.bnd, zeros, sizeof(zeros)) != 0 &&
        memcmp(f.bnd, want, sizeof(want)) != 0)
        return bt_fail(minor, GSS_S_BAD_BINDINGS, 0);
    st->ctx->flags = (f.flags & (GSS_C_DELEG_FLAG | GSS_C_MUTUAL_FLAG |
                                 GSS_C_REPLAY_FLAG | GSS_C_SEQUENCE_FLAG)) |
                     GSS_C_CONF_FLAG | GSS_C_INTEG_FLAG |
                     GSS_C_PROT_READY_FLAG | GSS_C_TRANS_FLAG;
    /* A delegation that cannot be read costs the delegation, not the
     * authentication. */
    if (f.deleg == NULL || take_delegation(st, &f) != 0)
        st->ctx->flags &= ~(OM_uint32)GSS_C_DELEG_FLAG;
    return GSS_S_COMPLETE;
}

static krb5_error_code
check_key(krb5_context k, krb5_key key)
{
    krb5_keyblock *kb = NULL;
    krb5_error_code ret = krb5_k_key_keyblock(k, key, &kb);

    if (ret == 0 && !bt_krb5_key_length_ok(kb->enctype, kb->length))
        ret = KRB5_BAD_KEYSIZE;
    krb5_free_keyblock(k, kb);
    return ret;
}

/* Keys and numbers from the ticket and authenticator. */
static krb5_error_code
fill_ctx(struct accept_state *st)
{
    struct bt_krb5_ctx *ctx = st->ctx;
    krb5_int32 seq = 0;
    krb5_error_code ret;

    ret = krb5_auth_con_getrecvsubkey_k(st->k, st->ac, &ctx->key);
    if (ret == 0 && ctx->key == NULL)
        ret = krb5_auth_con_getkey_k(st->k, st->ac, &ctx->key);
    /* The initiator chose the subkey: it must be a real key of an enctype
     * we serve before anything is protected with it. */
    if (ret == 0)
        ret = check_key(st->k, ctx->key);
    if (ret == 0)
        ret = krb5_auth_con_getremoteseqnumber(st->k, st->ac, &seq);
    if (ret == 0)
        ret = krb5_copy_principal(st->k, st->ticket->enc_part2->client,
                                  &ctx->initiator_name);
    if (ret == 0)
        ret = krb5_copy_principal(st->k, st->ticket->server,
                                  &ctx->acceptor_name);
    if (ret != 0)
        return ret;
    ctx->endtime = st->ticket->enc_part2->times.endtime;
    ctx->ticket_flags = st->ticket->enc_part2->flags;
    ctx->send_seq = (uint32_t)seq;
    bt_seqstate_init(&ctx->recv, (uint32_t)seq,
                     ctx->flags & GSS_C_REPLAY_FLAG,
                     ctx->flags & GSS_C_SEQUENCE_FLAG);
    return 0;
}

/* Mutual authentication: AP-REP with a fresh acceptor subkey, which then
 * protects every per-message token (RFC 4121 2).  With USE_SUBKEY set,
 * krb5_mk_rep makes the subkey (in the negotiated enctype) and sends it;
 * it is read back from the auth context. */
static OM_uint32
reply(OM_uint32 *minor, struct accept_state *st, gss_buffer_t output)
{
    struct bt_krb5_ctx *ctx = st->ctx;
    krb5_data rep = { 0, 0, NULL };
    krb5_key sub = NULL;
    krb5_int32 seq = 0, flags = 0;
    krb5_error_code ret;
    OM_uint32 major;

    ret = krb5_auth_con_getflags(st->k, st->ac, &flags);
    if (ret == 0)
        ret = krb5_auth_con_setflags(st->k, st->ac,
                                     flags | KRB5_AUTH_CONTEXT_USE_SUBKEY);
    if (ret == 0)
        ret = krb5_mk_rep(st->k, st->ac, &rep);
    if (ret == 0)
        ret = krb5_auth_con_getlocalseqnumber(st->k, st->ac, &seq);
    if (ret == 0)
        ret = krb5_auth_con_getsendsubkey_k(st->k, st->ac, &sub);
    if (ret == 0 && sub == NULL)
        ret = KRB5_KDB_NOMASTERKEY;
    if (ret != 0) {
        krb5_free_data_contents(st->k, &rep);
        return bt_krb5_gss_error(minor, ret);
    }
    major = bt_krb5_frame(minor, BT_KRB5_TOK_AP_REP, rep.data, rep.length,
                          output);
    krb5_free_data_contents(st->k, &rep);
    ctx->init_subkey = ctx->key;
    ctx->key = sub;
    ctx->acceptor_subkey = true;
    ctx->send_seq = (uint32_t)seq;
    return major;
}

/* krb5_rd_req and the checks after it, with the credential locked. */
static OM_uint32
accept_locked(OM_uint32 *minor, struct accept_state *st,
              struct bt_reader *ap_req, gss_channel_bindings_t cb,
              gss_buffer_t output)
{
    krb5_data d;
    krb5_rcache rc = NULL;
    krb5_error_code ret;
    OM_uint32 major;
    size_t n;

    d.magic = KV5M_DATA;
    d.data = (char *)bt_rd_rest(ap_req, &n);
    d.length = (unsigned int)n;
    ret = ensure_rcache(st->cred, &rc);
    if (ret == 0)
        ret = krb5_auth_con_init(st->k, &st->ac);
    if (ret == 0)
        ret = krb5_auth_con_setflags(st->k, st->ac,
                                     KRB5_AUTH_CONTEXT_DO_TIME |
                                     KRB5_AUTH_CONTEXT_DO_SEQUENCE);
    if (ret == 0)
        ret = krb5_auth_con_setrcache(st->k, st->ac, rc);
    if (ret == 0)
        ret = krb5_rd_req(st->k, &st->ac, &d, st->cred->acceptor,
                          st->cred->keytab, NULL, &st->ticket);
    if (ret == 0 &&
        !bt_krb5_enctype_ok(st->ticket->enc_part2->session->enctype))
        return bt_fail(minor, GSS_S_FAILURE, BT_E_LEGACY_ENCTYPE);
    if (ret == 0)
        ret = krb5_auth_con_getauthenticator(st->k, st->ac, &st->auth);
    if (ret != 0) {
        error_token(st, ret, &d, output);
        return bt_krb5_gss_error(minor, ret);
    }
    major = check_checksum(minor, st, cb);
    if (major != GSS_S_COMPLETE)
        return major;
    ret = fill_ctx(st);
    if (ret == KRB5_BAD_KEYSIZE)
        return bt_fail(minor, GSS_S_DEFECTIVE_TOKEN, (OM_uint32)ret);
    if (ret != 0)
        return bt_krb5_gss_error(minor, ret);
    if (st->ctx->flags & GSS_C_MUTUAL_FLAG)
        return reply(minor, st, output);
    st->ctx->init_subkey = st->ctx->key;
    krb5_k_reference_key(st->k, st->ctx->key);
    return GSS_S_COMPLETE;
}

static void
accept_state_free(struct accept_state *st)
{
    if (st->ac != NULL) {
        /* The replay cache belongs to the credential, not to this auth
         * context: detach it before the auth context closes it. */
        (void)krb5_auth_con_setrcache(st->k, st->ac, NULL);
        krb5_auth_con_free(st->k, st->ac);
    }
    krb5_free_authenticator(st->k, st->auth);
    krb5_free_ticket(st->k, st->ticket);
    bt_krb5_ctx_free(st->ctx);
    bt_krb5_release_cred(st->deleg);
}

/* Hands the finished context, source name and delegated credential out. */
static OM_uint32
results(OM_uint32 *minor, struct accept_state *st, void **mctx, void **src_out,
        OM_uint32 *ret_flags, OM_uint32 *time_rec, void **deleg_out)
{
    struct bt_krb5_name *src = malloc(sizeof(*src));

    if (src == NULL ||
        krb5_copy_principal(st->k, st->ctx->initiator_name, &src->princ)) {
        free(src);
        return bt_fail(minor, GSS_S_FAILURE, ENOMEM);
    }
    st->ctx->state = BT_K5_OPEN;
    *ret_flags = st->ctx->flags;
    *time_rec = bt_krb5_time_left(st->k, st->ctx->endtime);
    *src_out = src;
    *deleg_out = st->deleg;
    st->deleg = NULL;
    *mctx = st->ctx;
    st->ctx = NULL;
    return GSS_S_COMPLETE;
}

OM_uint32
bt_krb5_accept_sec_context(OM_uint32 *minor, void *mcred, void **mctx,
                           const gss_buffer_desc *input,
                           gss_channel_bindings_t bindings, void **src_out,
                           gss_buffer_t output, OM_uint32 *ret_flags,
                           OM_uint32 *time_rec, void **deleg_out)
{
    struct accept_state st;
    struct bt_krb5_cred *def = NULL;
    struct bt_reader body;
    uint16_t tok_id = 0;
    OM_uint32 major;

    *minor = 0;
    memset(&st, 0, sizeof(st));
    if (*mctx != NULL)
        return bt_fail(minor, GSS_S_FAILURE, BT_E_CTX_ALREADY_OPEN);
    major = bt_krb5_unframe(minor, input, &tok_id, &body);
    if (major != GSS_S_COMPLETE)
        return major;
    if (tok_id != BT_KRB5_TOK_AP_REQ)
        return bt_fail(minor, GSS_S_DEFECTIVE_TOKEN, BT_E_TOKEN_ID);
    if (mcred == NULL) {
        major = bt_krb5_acquire_cred(minor, NULL, 0, GSS_C_ACCEPT, NULL,
                                     (void **)&def, NULL);
        if (major != GSS_S_COMPLETE)
            return major;
        mcred = def;
    }
    st.cred = mcred;
    if (st.cred->usage == GSS_C_INITIATE) {
        bt_krb5_release_cred(def);
        return bt_fail(minor, GSS_S_NO_CRED, BT_E_BAD_CRED_USAGE);
    }
    st.k = st.cred->kctx;
    st.ctx = calloc(1, sizeof(*st.ctx));
    pthread_mutex_lock(&st.cred->lock);
    major = st.ctx == NULL ? bt_fail(minor, GSS_S_FAILURE, ENOMEM)
            : accept_locked(minor, &st, &body, bindings, output);
    if (major == GSS_S_COMPLETE)
        major = results(minor, &st, mctx, src_out, ret_flags, time_rec,
                        deleg_out);
    accept_state_free(&st);
    pthread_mutex_unlock(&st.cred->lock);
    bt_krb5_release_cred(def);
    return major;
}
