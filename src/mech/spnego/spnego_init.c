/*
 * spnego_init.c - the SPNEGO initiator (RFC 4178 section 3.2).
 *
 * First call: NegTokenInit with the mechanisms on offer and the optimistic
 * token of the first.  Later calls read the acceptor's NegTokenResp: the
 * mechanism it chose (another than our first means a fresh start of that
 * mechanism and a required MIC exchange), its mechanism token and MIC.
 */
#include "mech/spnego/spnego.h"

#include <errno.h>
#include <stdlib.h>

#include "glue/glue.h"

struct init_args {
    struct spn_cred *cred;
    const struct spn_name *target;
    OM_uint32 req_flags, time_req;
    gss_channel_bindings_t cb;
    OM_uint32 time_rec;
};

/* One step of the chosen mechanism's initiator. */
static OM_uint32
inner_step(OM_uint32 *minor, struct spn_ctx *sc, struct init_args *a,
           const gss_buffer_desc *in, gss_buffer_t out)
{
    void *target = NULL;
    OM_uint32 major, flags = 0;

    major = bt_spn_name_for(minor, a->target, sc->mech, &target);
    if (major != GSS_S_COMPLETE)
        return major;
    /* The MIC exchange needs integrity from the mechanism. */
    major = sc->mech->init_sec_context(minor,
                                       bt_spn_cred_for(a->cred, sc->mech),
                                       &sc->mctx, target,
                                       a->req_flags | GSS_C_INTEG_FLAG,
                                       a->time_req, a->cb, in, out, &flags,
                                       &a->time_rec);
    sc->mech->release_name(target);
    if (GSS_ERROR(major))
        return major;
    sc->flags = flags;
    sc->inner_open = major == GSS_S_COMPLETE;
    return major;
}

static OM_uint32
first_call(OM_uint32 *minor, struct spn_ctx *sc, struct init_args *a,
           gss_buffer_t output)
{
    const gss_OID_desc *offer[BT_NEG_MAX_MECHS];
    size_t n = bt_spn_allowed(a->cred, offer, BT_NEG_MAX_MECHS);
    gss_buffer_desc empty = GSS_C_EMPTY_BUFFER, tok = GSS_C_EMPTY_BUFFER;
    struct bt_writer w;
    OM_uint32 major;
    void *data;
    size_t len;

    if (n == 0)
        return bt_fail(minor, GSS_S_BAD_MECH, BT_E_SPNEGO_NO_COMMON_MECH);
    bt_wr_init(&w, false);
    bt_neg_wr_mech_types(&w, offer, n);
    if (bt_wr_take(&w, &data, &len) != 0)
        return bt_fail(minor, GSS_S_FAILURE, ENOMEM);
    sc->mech_list = data;
    sc->mech_list_len = len;
    sc->mech = bt_mech_find(offer[0]);
    sc->wire_oid = offer[0];
    major = inner_step(minor, sc, a, &empty, &tok);
    if (GSS_ERROR(major))
        return major;
    bt_wr_init(&w, false);
    bt_neg_wr_init_token(&w, sc->mech_list, sc->mech_list_len,
                         tok.length > 0 ? &tok : NULL, NULL);
    gss_release_buffer(minor, &tok);
    if (bt_wr_take(&w, &data, &len) != 0)
        return bt_fail(minor, GSS_S_FAILURE, ENOMEM);
    output->value = data;
    output->length = len;
    sc->phase = SPN_NEGOTIATING;
    *minor = 0;
    return GSS_S_CONTINUE_NEEDED;
}

/* The OID we offered that the acceptor's choice names, or NULL. */
static const gss_OID_desc *
offered(struct spn_cred *cred, const gss_OID_desc *chosen)
{
    const gss_OID_desc *offer[BT_NEG_MAX_MECHS];
    size_t n = bt_spn_allowed(cred, offer, BT_NEG_MAX_MECHS);

    for (size_t i = 0; i < n; i++) {
        if (bt_spn_oid_matches(chosen, offer[i]) ||
            bt_spn_oid_matches(offer[i], chosen))
            return offer[i];
    }
    return NULL;
}

/* The acceptor's choice, from its first reply.  Sets *restart when it is
 * not the mechanism whose optimistic token we sent. */
static OM_uint32
take_choice(OM_uint32 *minor, struct spn_ctx *sc, struct spn_cred *cred,
            const struct bt_neg_resp *r, bool *restart)
{
    gss_OID_desc oid;
    const gss_OID_desc *mine;
    const struct bt_mech *m;

    *restart = false;
    /* "supportedMech ... SHALL only be present in the first reply." */
    if (r->supported_mech.p == NULL)
        return bt_fail(minor, GSS_S_DEFECTIVE_TOKEN, BT_E_SPNEGO_UNEXPECTED);
    oid.elements = (void *)r->supported_mech.p;
    oid.length = (OM_uint32)r->supported_mech.len;
    mine = offered(cred, &oid);
    m = mine != NULL ? bt_mech_find(mine) : NULL;
    /* Only a mechanism we offered may be chosen. */
    if (m == NULL || m->negotiated != NULL)
        return bt_fail(minor, GSS_S_BAD_MECH, BT_E_SPNEGO_NO_COMMON_MECH);
    /* Another choice than the one our optimistic token was for (Kerberos
     * under Microsoft's OID is the same choice). */
    if (!bt_spn_oid_matches(&oid, sc->wire_oid) &&
        !bt_spn_oid_matches(sc->wire_oid, &oid)) {
        /* RFC 4178 5: not our first choice, so MICs are mandatory. */
        if (sc->mctx != NULL)
            sc->mech->delete_sec_context(sc->mctx);
        sc->mctx = NULL;
        sc->mech = m;
        sc->inner_open = false;
        sc->mic_reqd = true;
        *restart = true;
    }
    sc->wire_oid = bt_oid_static(&oid);
    sc->chosen = true;
    return GSS_S_COMPLETE;
}

/* The mechanism's part of a reply: a fresh start after reselection, the
 * acceptor's token, or nothing (it must then be complete already). */
static OM_uint32
reply_token(OM_uint32 *minor, struct spn_ctx *sc, struct init_args *a,
            const struct bt_neg_resp *r, bool restart, gss_buffer_t out)
{
    gss_buffer_desc in = GSS_C_EMPTY_BUFFER;

    if (restart) {
        if (r->response_token.p != NULL)
            return bt_fail(minor, GSS_S_DEFECTIVE_TOKEN,
                           BT_E_SPNEGO_UNEXPECTED);
        return inner_step(minor, sc, a, &in, out);
    }
    if (r->response_token.p != NULL) {
        if (sc->inner_open)
            return bt_fail(minor, GSS_S_DEFECTIVE_TOKEN,
                           BT_E_SPNEGO_UNEXPECTED);
        in.value = (void *)r->response_token.p;
        in.length = r->response_token.len;
        return inner_step(minor, sc, a, &in, out);
    }
    /* Nothing for the mechanism: fine only if it has finished. */
    if (!sc->inner_open && r->state != BT_NEG_REQUEST_MIC &&
        r->state != BT_NEG_ACCEPT_INCOMPLETE)
        return bt_fail(minor, GSS_S_DEFECTIVE_TOKEN, BT_E_SPNEGO_UNEXPECTED);
    *minor = 0;
    return sc->inner_open ? GSS_S_COMPLETE : GSS_S_CONTINUE_NEEDED;
}

/* A reject: the mechanism's error token (a KRB-ERROR) says more than
 * "rejected", so let the mechanism read it first; a bare reject means no
 * mechanism was agreed (GSS_S_BAD_MECH, as MIT and Heimdal answer). */
static OM_uint32
rejected(OM_uint32 *minor, struct spn_ctx *sc, struct init_args *a,
         const struct bt_neg_resp *r)
{
    gss_buffer_desc in, out = GSS_C_EMPTY_BUFFER;
    OM_uint32 major, tmp;

    if (r->response_token.p != NULL && sc->mctx != NULL && !sc->inner_open) {
        in.value = (void *)r->response_token.p;
        in.length = r->response_token.len;
        major = inner_step(minor, sc, a, &in, &out);
        gss_release_buffer(&tmp, &out);
        if (GSS_ERROR(major))
            return major;
    }
    return bt_fail(minor, GSS_S_BAD_MECH, BT_E_SPNEGO_REJECTED);
}

/* Writes our NegTokenResp if there is anything to send. */
static OM_uint32
send_resp(OM_uint32 *minor, bool done, gss_buffer_t tok, gss_buffer_t mic,
          gss_buffer_t output)
{
    struct bt_writer w;
    void *data;
    size_t len;

    if (tok->length == 0 && mic->length == 0)
        return GSS_S_COMPLETE;
    bt_wr_init(&w, false);
    bt_neg_wr_resp(&w, done ? BT_NEG_ACCEPT_COMPLETED : BT_NEG_ACCEPT_INCOMPLETE,
                   NULL, tok->length > 0 ? tok : NULL,
                   mic->length > 0 ? mic : NULL);
    if (bt_wr_take(&w, &data, &len) != 0)
        return bt_fail(minor, GSS_S_FAILURE, ENOMEM);
    output->value = data;
    output->length = len;
    return GSS_S_COMPLETE;
}

static OM_uint32
next_call(OM_uint32 *minor, struct spn_ctx *sc, struct init_args *a,
          const gss_buffer_desc *input, gss_buffer_t output)
{
    gss_buffer_desc tok = GSS_C_EMPTY_BUFFER, mic = GSS_C_EMPTY_BUFFER;
    struct bt_neg_resp r;
    bool restart = false, done;
    OM_uint32 major, code, tmp;

    if (sc->phase != SPN_NEGOTIATING)
        return bt_fail(minor, GSS_S_FAILURE, BT_E_CTX_ALREADY_OPEN);
    if ((code = bt_neg_rd_resp(input->value, input->length, &r)) != 0)
        return bt_fail(minor, GSS_S_DEFECTIVE_TOKEN, code);
    if (r.state == BT_NEG_REJECT)
        return rejected(minor, sc, a, &r);
    if (!sc->chosen)
        major = take_choice(minor, sc, a->cred, &r, &restart);
    else if (r.supported_mech.p != NULL)
        major = bt_fail(minor, GSS_S_DEFECTIVE_TOKEN, BT_E_SPNEGO_MECH_CHANGED);
    else
        major = GSS_S_COMPLETE;
    if (major != GSS_S_COMPLETE)
        return major;
    if (r.state == BT_NEG_REQUEST_MIC)
        sc->mic_reqd = true;
    if (r.state == BT_NEG_ACCEPT_COMPLETED)
        sc->peer_complete = true;
    major = reply_token(minor, sc, a, &r, restart, &tok);
    if (!GSS_ERROR(major))
        major = bt_spn_handle_mic(minor, sc, &r.mech_list_mic, tok.length > 0,
                                  &mic);
    if (GSS_ERROR(major)) {
        gss_release_buffer(&tmp, &tok);
        return major;
    }
    /* Done when the mechanism is, and either both MICs are exchanged or
     * none is needed and the acceptor said so. */
    done = sc->inner_open && major == GSS_S_COMPLETE &&
           ((sc->mic_sent && sc->mic_rcvd) ||
            (!sc->mic_reqd && sc->peer_complete));
    major = send_resp(minor, done, &tok, &mic, output);
    gss_release_buffer(&tmp, &tok);
    gss_release_buffer(&tmp, &mic);
    if (major != GSS_S_COMPLETE)
        return major;
    if (sc->peer_complete && !done)
        return bt_fail(minor, GSS_S_DEFECTIVE_TOKEN, BT_E_SPNEGO_MIC_MISSING);
    if (done)
        sc->phase = SPN_DONE;
    *minor = 0;
    return done ? GSS_S_COMPLETE : GSS_S_CONTINUE_NEEDED;
}

OM_uint32
bt_spn_init_sec_context(OM_uint32 *minor, void *mcred, void **mctx,
                        const void *target, OM_uint32 req_flags,
                        OM_uint32 time_req, gss_channel_bindings_t bindings,
                        const gss_buffer_desc *input, gss_buffer_t output,
                        OM_uint32 *ret_flags, OM_uint32 *time_rec)
{
    struct init_args a = { mcred, target, req_flags, time_req, bindings, 0 };
    struct spn_ctx *sc = *mctx;
    OM_uint32 major;

    if (sc == NULL) {
        major = bt_spn_ctx_new(minor, true, &sc);
        if (major != GSS_S_COMPLETE)
            return major;
        major = first_call(minor, sc, &a, output);
        if (GSS_ERROR(major)) {
            bt_spn_delete_sec_context(sc);
            return major;
        }
        *mctx = sc;
    } else if (!sc->initiator) {
        return bt_fail(minor, GSS_S_NO_CONTEXT, BT_E_WRONG_DIRECTION);
    } else {
        major = next_call(minor, sc, &a, input, output);
        if (GSS_ERROR(major))
            return major;
    }
    if (a.time_rec == 0 && sc->inner_open)
        (void)sc->mech->context_time(&(OM_uint32){ 0 }, sc->mctx, &a.time_rec);
    *ret_flags = bt_spn_flags(sc);
    *time_rec = a.time_rec;
    return major;
}
