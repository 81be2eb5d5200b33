/*
 * init.c - the initiator (RFC 4121 4.1): AP-REQ with the 0x8003 checksum,
 * then, with mutual authentication, the AP-REP.
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

/* Flags an initiator may ask for and the checksum carries. */
#define REQ_FLAGS (GSS_C_DELEG_FLAG | GSS_C_MUTUAL_FLAG | GSS_C_REPLAY_FLAG | \
                   GSS_C_SEQUENCE_FLAG)

struct init_req {
    struct bt_krb5_cred *cred;
    krb5_principal target;
    OM_uint32 flags;
    gss_channel_bindings_t cb;
};

/* A forwarded TGT for the acceptor, encrypted in the session key. */
static krb5_error_code
delegate(krb5_context k, struct bt_krb5_cred *c, krb5_creds *tkt,
         krb5_data *out)
{
    krb5_auth_context ac = NULL;
    krb5_error_code ret = krb5_auth_con_init(k, &ac);

    /* No timestamp or sequence: the KRB-CRED rides inside the
     * authenticator, which already has both. */
    if (ret == 0)
        ret = krb5_auth_con_setflags(k, ac, 0);
    if (ret == 0)
        ret = krb5_auth_con_setuseruserkey(k, ac, &tkt->keyblock);
    if (ret == 0)
        ret = krb5_fwd_tgt_creds(k, ac, NULL, tkt->client, tkt->server,
                                 c->ccache, 1, out);
    if (ac != NULL)
        krb5_auth_con_free(k, ac);
    return ret;
}

/* The checksum field: bindings hash, flags, maybe a KRB-CRED.  Drops
 * GSS_C_DELEG_FLAG from *flags when the TGT cannot be forwarded, as MIT
 * does: delegation is a request, not a requirement. */
static krb5_error_code
checksum_field(krb5_context k, struct init_req *rq, krb5_creds *tkt,
               struct bt_writer *w)
{
    uint8_t bnd[BT_CB_HASH_LEN];
    krb5_data deleg = { 0, 0, NULL };
    bool want = (rq->flags & GSS_C_DELEG_FLAG) ||
                ((rq->flags & GSS_C_DELEG_POLICY_FLAG) &&
                 (tkt->ticket_flags & TKT_FLG_OK_AS_DELEGATE));

    rq->flags &= ~(OM_uint32)(GSS_C_DELEG_FLAG | GSS_C_DELEG_POLICY_FLAG);
    if (want && delegate(k, rq->cred, tkt, &deleg) == 0)
        rq->flags |= GSS_C_DELEG_FLAG;
    if (!bt_cb_hash(rq->cb, bnd)) {
        krb5_free_data_contents(k, &deleg);
        return ENOMEM;
    }
    bt_authcksum_write(w, bnd, rq->flags | GSS_C_CONF_FLAG | GSS_C_INTEG_FLAG,
                       deleg.data, deleg.length);
    krb5_free_data_contents(k, &deleg);
    return bt_wr_ok(w) ? 0 : ENOMEM;
}

/* Copies what the context keeps out of the auth context and ticket. */
static krb5_error_code
fill_ctx(krb5_context k, krb5_auth_context ac, krb5_creds *tkt,
         const krb5_data *ap_req, struct bt_krb5_ctx *ctx)
{
    int64_t ctime = 0, cusec = 0;
    krb5_int32 seq = 0;
    krb5_error_code ret;

    ret = krb5_auth_con_getsendsubkey_k(k, ac, &ctx->key);
    if (ret == 0 && ctx->key == NULL)
        ret = KRB5_KDB_NOMASTERKEY;     /* USE_SUBKEY made none: cannot be */
    if (ret == 0)
        ret = krb5_k_create_key(k, &tkt->keyblock, &ctx->session_key);
    if (ret == 0)
        ret = krb5_auth_con_getlocalseqnumber(k, ac, &seq);
    if (ret == 0)
        ret = bt_krb5_read_own_ap_req(k, ctx->session_key, ap_req->data,
                                      ap_req->length, &ctime, &cusec);
    if (ret == 0)
        ret = krb5_copy_principal(k, tkt->client, &ctx->initiator_name);
    if (ret == 0)
        ret = krb5_copy_principal(k, tkt->server, &ctx->acceptor_name);
    if (ret != 0)
        return ret;
    ctx->auth_ctime = (krb5_timestamp)ctime;
    ctx->auth_cusec = (int32_t)cusec;
    ctx->send_seq = (uint32_t)seq;
    ctx->endtime = tkt->times.endtime;
    ctx->ticket_flags = tkt->ticket_flags;
    return 0;
}

/* Makes the AP-REQ token and the context waiting on it. */
static krb5_error_code
make_ap_req(krb5_context k, struct init_req *rq, krb5_creds *tkt,
            struct bt_krb5_ctx *ctx, krb5_data *ap_req)
{
    krb5_auth_context ac = NULL;
    struct bt_writer w;
    krb5_data cksum;
    krb5_flags opts = AP_OPTS_USE_SUBKEY;
    krb5_error_code ret;

    bt_wr_init(&w, true);
    ret = checksum_field(k, rq, tkt, &w);
    if (ret == 0)
        ret = krb5_auth_con_init(k, &ac);
    if (ret == 0)
        ret = krb5_auth_con_setflags(k, ac, KRB5_AUTH_CONTEXT_DO_SEQUENCE);
    /* libkrb5 puts a checksum of this type in verbatim (RFC 4121 4.1.1). */
    if (ret == 0)
        ret = krb5_auth_con_set_req_cksumtype(k, ac, BT_KRB5_CKSUM_GSS);
    if (rq->flags & GSS_C_MUTUAL_FLAG)
        opts |= AP_OPTS_MUTUAL_REQUIRED;
    cksum.magic = KV5M_DATA;
    cksum.data = (char *)w.data;
    cksum.length = (unsigned int)w.len;
    if (ret == 0)
        ret = krb5_mk_req_extended(k, &ac, opts, &cksum, tkt, ap_req);
    if (ret == 0)
        ret = fill_ctx(k, ac, tkt, ap_req, ctx);
    if (ac != NULL)
        krb5_auth_con_free(k, ac);
    bt_wr_free(&w);
    return ret;
}

static OM_uint32
first_step(OM_uint32 *minor, struct init_req *rq, struct bt_krb5_ctx **out,
           gss_buffer_t output)
{
    krb5_context k = rq->cred->kctx;
    struct bt_krb5_ctx *ctx = calloc(1, sizeof(*ctx));
    krb5_creds in, *tkt = NULL;
    krb5_data ap_req = { 0, 0, NULL };
    krb5_error_code ret;
    OM_uint32 major;

    if (ctx == NULL)
        return bt_fail(minor, GSS_S_FAILURE, ENOMEM);
    memset(&in, 0, sizeof(in));
    in.client = rq->cred->name;
    in.server = rq->target;
    ret = krb5_get_credentials(k, 0, rq->cred->ccache, &in, &tkt);
    if (ret == 0 && !bt_krb5_enctype_ok(tkt->keyblock.enctype)) {
        major = bt_fail(minor, GSS_S_FAILURE, BT_E_LEGACY_ENCTYPE);
        goto cleanup;
    }
    if (ret == 0)
        ret = make_ap_req(k, rq, tkt, ctx, &ap_req);
    if (ret != 0) {
        major = bt_krb5_gss_error(minor, ret);
        goto cleanup;
    }
    major = bt_krb5_frame(minor, BT_KRB5_TOK_AP_REQ, ap_req.data,
                          ap_req.length, output);
    if (major != GSS_S_COMPLETE)
        goto cleanup;
    ctx->initiator = true;
    /* Every Kerberos context can be exported, also half-way through. */
    ctx->flags = rq->flags | GSS_C_CONF_FLAG | GSS_C_INTEG_FLAG |
                 GSS_C_TRANS_FLAG;
    *out = ctx;
    ctx = NULL;

cleanup:
    krb5_free_data_contents(k, &ap_req);
    krb5_free_creds(k, tkt);
    bt_krb5_ctx_free(ctx);
    return major;
}

/* A KRB-ERROR from the acceptor: its code becomes the minor status. */
static OM_uint32
peer_error(OM_uint32 *minor, krb5_context k, struct bt_reader *body)
{
    krb5_error *err = NULL;
    krb5_data d;
    size_t n;
    long code;
    OM_uint32 major;

    d.magic = KV5M_DATA;
    d.data = (char *)bt_rd_rest(body, &n);
    d.length = (unsigned int)n;
    if (krb5_rd_error(k, &d, &err) != 0)
        return bt_fail(minor, GSS_S_DEFECTIVE_TOKEN, BT_E_TOKEN_FRAMING);
    code = ERROR_TABLE_BASE_krb5 + (long)err->error;
    krb5_free_error(k, err);
    /* Our token was not at fault but the peer's verdict stands: an expired
     * ticket stays GSS_S_CREDENTIALS_EXPIRED, the rest GSS_S_FAILURE. */
    major = bt_krb5_gss_error(minor, (krb5_error_code)code);
    return major == GSS_S_DEFECTIVE_TOKEN ? GSS_S_FAILURE : major;
}

/* Checks the AP-REP against our authenticator and adopts its keys. */
static OM_uint32
take_reply(OM_uint32 *minor, krb5_context k, struct bt_krb5_ctx *ctx,
           struct bt_reader *body)
{
    struct bt_krb5_aprep rep;
    krb5_key subkey = NULL;
    krb5_error_code ret;
    const uint8_t *p;
    size_t n;

    p = bt_rd_rest(body, &n);
    ret = bt_krb5_read_ap_rep(k, ctx->session_key, p, n, &rep);
    if (ret != 0)
        return bt_fail(minor, GSS_S_DEFECTIVE_TOKEN, (OM_uint32)ret);
    if (rep.ctime != (int64_t)(uint32_t)ctx->auth_ctime ||
        rep.cusec != ctx->auth_cusec || !rep.have_seq) {
        bt_krb5_aprep_free(&rep);
        return bt_fail(minor, GSS_S_DEFECTIVE_TOKEN, BT_E_BAD_REPLY);
    }
    if (rep.have_subkey &&
        !bt_krb5_key_length_ok(rep.subkey.enctype, rep.subkey.length))
        ret = KRB5_BAD_KEYSIZE;
    else if (rep.have_subkey)
        ret = krb5_k_create_key(k, &rep.subkey, &subkey);
    if (ret == 0 && subkey != NULL) {
        /* RFC 4121 2: an acceptor subkey, when asserted, protects all
         * per-message tokens in both directions. */
        krb5_k_free_key(k, ctx->init_subkey);
        ctx->init_subkey = ctx->key;
        ctx->key = subkey;
        ctx->acceptor_subkey = true;
    }
    if (ret == 0)
        bt_seqstate_init(&ctx->recv, rep.seq, ctx->flags & GSS_C_REPLAY_FLAG,
                         ctx->flags & GSS_C_SEQUENCE_FLAG);
    bt_krb5_aprep_free(&rep);
    /* A reply that cannot be used leaves the context waiting for a good
     * one (and its keys as they were). */
    return ret == 0 ? GSS_S_COMPLETE
                    : bt_fail(minor, GSS_S_DEFECTIVE_TOKEN, (OM_uint32)ret);
}

static OM_uint32
second_step(OM_uint32 *minor, struct bt_krb5_ctx *ctx,
            const gss_buffer_desc *input)
{
    struct bt_reader body;
    krb5_error_code err = 0;
    krb5_context k = bt_krb5_thread_kctx(&err);
    uint16_t tok_id = 0;
    OM_uint32 major;

    if (k == NULL)
        return bt_krb5_gss_error(minor, err);
    major = bt_krb5_unframe(minor, input, &tok_id, &body);
    if (major != GSS_S_COMPLETE)
        return major;
    if (tok_id == BT_KRB5_TOK_KRB_ERROR)
        return peer_error(minor, k, &body);
    if (tok_id != BT_KRB5_TOK_AP_REP)
        return bt_fail(minor, GSS_S_DEFECTIVE_TOKEN, BT_E_TOKEN_ID);
    major = take_reply(minor, k, ctx, &body);
    if (major != GSS_S_COMPLETE)
        return major;
    if (ctx->init_subkey == NULL) {
        ctx->init_subkey = ctx->key;
        krb5_k_reference_key(k, ctx->key);
    }
    krb5_k_free_key(k, ctx->session_key);
    ctx->session_key = NULL;
    ctx->state = BT_K5_OPEN;
    return GSS_S_COMPLETE;
}

/* Without mutual authentication the context is complete at once and both
 * directions count from the initiator's number (RFC 4121 4.1). */
static void
open_without_reply(struct bt_krb5_ctx *ctx)
{
    bt_seqstate_init(&ctx->recv, ctx->send_seq, ctx->flags & GSS_C_REPLAY_FLAG,
                     ctx->flags & GSS_C_SEQUENCE_FLAG);
    krb5_k_free_key(NULL, ctx->session_key);
    ctx->session_key = NULL;
    ctx->init_subkey = ctx->key;
    krb5_k_reference_key(NULL, ctx->key);
    ctx->state = BT_K5_OPEN;
}

static OM_uint32
start(OM_uint32 *minor, struct bt_krb5_cred *cred, const void *target,
      OM_uint32 req_flags, gss_channel_bindings_t cb, void **mctx,
      gss_buffer_t output)
{
    struct bt_krb5_cred *def = NULL;
    struct init_req rq;
    struct bt_krb5_ctx *ctx = NULL;
    OM_uint32 major;

    if (cred == NULL) {
        major = bt_krb5_acquire_cred(minor, NULL, 0, GSS_C_INITIATE, NULL,
                                     (void **)&def, NULL);
        if (major != GSS_S_COMPLETE)
            return major;
        cred = def;
    }
    if (cred->usage == GSS_C_ACCEPT) {
        bt_krb5_release_cred(def);
        return bt_fail(minor, GSS_S_NO_CRED, BT_E_BAD_CRED_USAGE);
    }
    rq.cred = cred;
    rq.target = ((const struct bt_krb5_name *)target)->princ;
    rq.flags = req_flags & (REQ_FLAGS | GSS_C_DELEG_POLICY_FLAG);
    rq.cb = cb;
    pthread_mutex_lock(&cred->lock);
    major = first_step(minor, &rq, &ctx, output);
    pthread_mutex_unlock(&cred->lock);
    bt_krb5_release_cred(def);
    if (major != GSS_S_COMPLETE)
        return major;
    *mctx = ctx;
    if (!(ctx->flags & GSS_C_MUTUAL_FLAG)) {
        open_without_reply(ctx);
        return GSS_S_COMPLETE;
    }
    ctx->state = BT_K5_WAIT_REPLY;
    return GSS_S_CONTINUE_NEEDED;
}

OM_uint32
bt_krb5_init_sec_context(OM_uint32 *minor, void *mcred, void **mctx,
                         const void *target, OM_uint32 req_flags,
                         OM_uint32 time_req, gss_channel_bindings_t bindings,
                         const gss_buffer_desc *input, gss_buffer_t output,
                         OM_uint32 *ret_flags, OM_uint32 *time_rec)
{
    struct bt_krb5_ctx *ctx;
    OM_uint32 major;
    krb5_error_code err = 0;
    krb5_context k;

    (void)time_req;
    *minor = 0;
    if (*mctx == NULL)
        major = start(minor, mcred, target, req_flags, bindings, mctx, output);
    else if (((struct bt_krb5_ctx *)*mctx)->state == BT_K5_WAIT_REPLY)
        major = second_step(minor, *mctx, input);
    else
        major = bt_fail(minor, GSS_S_FAILURE, BT_E_CTX_ALREADY_OPEN);
    if (GSS_ERROR(major))
        return major;
    ctx = *mctx;
    k = bt_krb5_thread_kctx(&err);
    *ret_flags = ctx->flags |
                 (ctx->state == BT_K5_OPEN ? GSS_C_PROT_READY_FLAG : 0);
    *time_rec = k != NULL ? bt_krb5_time_left(k, ctx->endtime) : 0;
    return major;
}
