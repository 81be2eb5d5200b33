/*
 * spnego_accept.c - the SPNEGO acceptor (RFC 4178 section 3.2).
 *
 * The first token is the initiator's NegTokenInit: we choose the first
 * mechanism on its list that our credential allows, use its optimistic
 * token if it was for that mechanism, and answer with a NegTokenResp.
 * Later tokens carry the mechanism's tokens and the mechListMIC.
 */
#include "mech/spnego/spnego.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "glue/glue.h"

struct acc_out {
    struct spn_cred *cred;
    gss_channel_bindings_t cb;
    gss_buffer_t output;
    OM_uint32 time_rec;
    bool first;                 /* this reply is the first one */
};

/* One step of the chosen mechanism's acceptor. */
static OM_uint32
inner_step(OM_uint32 *minor, struct spn_ctx *sc, struct acc_out *o,
           const gss_buffer_desc *in, gss_buffer_t tok)
{
    void *src = NULL, *deleg = NULL;
    OM_uint32 major, flags = 0;

    major = sc->mech->accept_sec_context(minor,
                                         bt_spn_cred_for(o->cred, sc->mech),
                                         &sc->mctx, in, o->cb, &src, tok,
                                         &flags, &o->time_rec, &deleg);
    /* The source name is read back when SPNEGO completes. */
    if (src != NULL)
        sc->mech->release_name(src);
    if (GSS_ERROR(major))
        return major;
    if (deleg != NULL) {
        if (sc->deleg != NULL)
            sc->mech->release_cred(sc->deleg);
        sc->deleg = deleg;
    }
    sc->flags = flags;
    sc->inner_open = major == GSS_S_COMPLETE;
    return major;
}

/* Writes a NegTokenResp as the output. */
static OM_uint32
reply(OM_uint32 *minor, struct spn_ctx *sc, const struct acc_out *o,
      enum bt_neg_state state, const gss_buffer_desc *tok,
      const gss_buffer_desc *mic)
{
    struct bt_writer w;
    void *data;
    size_t len;

    bt_wr_init(&w, false);
    bt_neg_wr_resp(&w, state, o->first ? sc->wire_oid : NULL,
                   tok != NULL && tok->length > 0 ? tok : NULL,
                   mic != NULL && mic->length > 0 ? mic : NULL);
    if (bt_wr_take(&w, &data, &len) != 0)
        return bt_fail(minor, GSS_S_FAILURE, ENOMEM);
    o->output->value = data;
    o->output->length = len;
    return GSS_S_COMPLETE;
}

/* A failure of the mechanism: tell the initiator (with the mechanism's
 * error token, if it made one) and report the mechanism's status. */
static OM_uint32
fail_reply(OM_uint32 *minor, struct spn_ctx *sc, const struct acc_out *o,
           OM_uint32 major, gss_buffer_t tok)
{
    OM_uint32 code = *minor, tmp;

    if (reply(&tmp, sc, o, BT_NEG_REJECT, tok, NULL) != GSS_S_COMPLETE)
        bt_buf_clear(o->output);
    gss_release_buffer(&tmp, tok);
    *minor = code;
    return major;
}

/* The first mechanism on the initiator's list that cred allows. */
static size_t
choose(struct spn_cred *cred, const struct bt_neg_init *in,
       const struct bt_mech **mech_out, const gss_OID_desc **wire_out)
{
    const gss_OID_desc *allow[BT_NEG_MAX_MECHS];
    size_t n = bt_spn_allowed(cred, allow, BT_NEG_MAX_MECHS);

    for (size_t i = 0; i < in->n_mechs; i++) {
        gss_OID_desc oid = { (OM_uint32)in->mechs[i].len,
                             (void *)in->mechs[i].p };
        const struct bt_mech *m = bt_mech_find(&oid);

        if (m == NULL || m->negotiated != NULL)
            continue;
        for (size_t j = 0; j < n; j++) {
            if (bt_spn_oid_matches(&oid, allow[j])) {
                *mech_out = m;
                /* Answer with the OID as the initiator wrote it: Windows
                 * expects its own Kerberos OID back (MS-SPNG 3.3.5.1). */
                *wire_out = bt_oid_static(&oid);
                return i;
            }
        }
    }
    return SIZE_MAX;
}

/* After the mechanism's step (tok: its output): the MIC exchange, then
 * the reply.  Consumes tok. */
static OM_uint32
finish(OM_uint32 *minor, struct spn_ctx *sc, struct acc_out *o,
       const struct bt_neg_view *mic_in, gss_buffer_t tok)
{
    gss_buffer_desc mic = GSS_C_EMPTY_BUFFER;
    enum bt_neg_state state;
    bool done, silent;
    OM_uint32 major, tmp;

    major = bt_spn_handle_mic(minor, sc, mic_in, tok->length > 0, &mic);
    if (GSS_ERROR(major))
        return fail_reply(minor, sc, o, major, tok);
    done = sc->inner_open && major == GSS_S_COMPLETE;
    if (done)
        state = BT_NEG_ACCEPT_COMPLETED;
    else if (o->first && sc->mic_reqd)
        state = BT_NEG_REQUEST_MIC;
    else
        state = BT_NEG_ACCEPT_INCOMPLETE;
    /* The initiator's MIC answered ours: it completed when it sent it and
     * reads nothing more. */
    silent = done && !o->first && mic_in->p != NULL && mic.length == 0 &&
             tok->length == 0;
    major = silent ? GSS_S_COMPLETE : reply(minor, sc, o, state, tok, &mic);
    gss_release_buffer(&tmp, tok);
    gss_release_buffer(&tmp, &mic);
    if (major != GSS_S_COMPLETE)
        return major;
    if (done)
        sc->phase = SPN_DONE;
    *minor = 0;
    return done ? GSS_S_COMPLETE : GSS_S_CONTINUE_NEEDED;
}

static OM_uint32
accept_first(OM_uint32 *minor, struct spn_ctx *sc, struct acc_out *o,
             const gss_buffer_desc *input)
{
    gss_buffer_desc tok = GSS_C_EMPTY_BUFFER;
    struct bt_neg_view none = { NULL, 0 };
    struct bt_neg_init in;
    OM_uint32 code, major;
    size_t i;

    if ((code = bt_neg_rd_init_token(input->value, input->length, &in)) != 0)
        return bt_fail(minor, GSS_S_DEFECTIVE_TOKEN, code);
    sc->mech_list = malloc(in.mech_types_der.len);
    if (sc->mech_list == NULL)
        return bt_fail(minor, GSS_S_FAILURE, ENOMEM);
    memcpy(sc->mech_list, in.mech_types_der.p, in.mech_types_der.len);
    sc->mech_list_len = in.mech_types_der.len;
    i = choose(o->cred, &in, &sc->mech, &sc->wire_oid);
    if (i == SIZE_MAX) {
        *minor = BT_E_SPNEGO_NO_COMMON_MECH;
        return fail_reply(minor, sc, o, GSS_S_BAD_MECH, &tok);
    }
    sc->chosen = true;
    sc->phase = SPN_NEGOTIATING;
    if (i != 0) {
        /* RFC 4178 5: not the initiator's first choice, so MICs are
         * mandatory; its optimistic token was for another mechanism. */
        sc->mic_reqd = true;
        return finish(minor, sc, o, &none, &tok);
    }
    if (in.mech_token.p != NULL) {
        gss_buffer_desc mt = { in.mech_token.len, (void *)in.mech_token.p };

        major = inner_step(minor, sc, o, &mt, &tok);
        if (GSS_ERROR(major))
            return fail_reply(minor, sc, o, major, &tok);
    }
    return finish(minor, sc, o, &in.mech_list_mic, &tok);
}

static OM_uint32
accept_next(OM_uint32 *minor, struct spn_ctx *sc, struct acc_out *o,
            const gss_buffer_desc *input)
{
    gss_buffer_desc tok = GSS_C_EMPTY_BUFFER;
    struct bt_neg_resp r;
    OM_uint32 code, major;

    if (sc->phase != SPN_NEGOTIATING)
        return bt_fail(minor, GSS_S_FAILURE, BT_E_CTX_ALREADY_OPEN);
    if ((code = bt_neg_rd_resp(input->value, input->length, &r)) != 0)
        return bt_fail(minor, GSS_S_DEFECTIVE_TOKEN, code);
    if (r.state == BT_NEG_REJECT)
        return bt_fail(minor, GSS_S_FAILURE, BT_E_SPNEGO_REJECTED);
    if (r.supported_mech.p != NULL)
        return bt_fail(minor, GSS_S_DEFECTIVE_TOKEN, BT_E_SPNEGO_MECH_CHANGED);
    if (r.response_token.p != NULL) {
        gss_buffer_desc mt = { r.response_token.len,
                               (void *)r.response_token.p };

        if (sc->inner_open)
            return bt_fail(minor, GSS_S_DEFECTIVE_TOKEN,
                           BT_E_SPNEGO_UNEXPECTED);
        major = inner_step(minor, sc, o, &mt, &tok);
        if (GSS_ERROR(major))
            return fail_reply(minor, sc, o, major, &tok);
    } else if (!sc->inner_open) {
        return bt_fail(minor, GSS_S_DEFECTIVE_TOKEN, BT_E_SPNEGO_UNEXPECTED);
    }
    return finish(minor, sc, o, &r.mech_list_mic, &tok);
}

/* On completion: the initiator's name (read back from the mechanism) and
 * the delegated credential kept since the mechanism finished. */
static OM_uint32
completion(OM_uint32 *minor, struct spn_ctx *sc, void **src_out,
           void **deleg_out)
{
    void *src = NULL;
    OM_uint32 major, life, flags;
    int local, open;

    major = sc->mech->inquire_context(minor, sc->mctx, &src, NULL, &life,
                                      &flags, &local, &open);
    if (major != GSS_S_COMPLETE)
        return major;
    *src_out = src;
    *deleg_out = sc->deleg;
    sc->deleg = NULL;
    return GSS_S_COMPLETE;
}

OM_uint32
bt_spn_accept_sec_context(OM_uint32 *minor, void *mcred, void **mctx,
                          const gss_buffer_desc *input,
                          gss_channel_bindings_t bindings, void **src_out,
                          gss_buffer_t output, OM_uint32 *ret_flags,
                          OM_uint32 *time_rec, void **deleg_out)
{
    struct acc_out o = { mcred, bindings, output, 0, *mctx == NULL };
    struct spn_ctx *sc = *mctx;
    OM_uint32 major;

    if (sc == NULL) {
        major = bt_spn_ctx_new(minor, false, &sc);
        if (major != GSS_S_COMPLETE)
            return major;
        major = accept_first(minor, sc, &o, input);
        if (GSS_ERROR(major)) {
            bt_spn_delete_sec_context(sc);
            return major;
        }
        *mctx = sc;
    } else if (sc->initiator) {
        return bt_fail(minor, GSS_S_NO_CONTEXT, BT_E_WRONG_DIRECTION);
    } else {
        major = accept_next(minor, sc, &o, input);
        if (GSS_ERROR(major))
            return major;
    }
    if (major == GSS_S_COMPLETE) {
        OM_uint32 done = completion(minor, sc, src_out, deleg_out);

        if (done != GSS_S_COMPLETE)
            return done;
        if (o.time_rec == 0 && sc->mech->context_time != NULL)
            (void)sc->mech->context_time(&(OM_uint32){ 0 }, sc->mctx,
                                         &o.time_rec);
    }
    *ret_flags = bt_spn_flags(sc);
    *time_rec = o.time_rec;
    return major;
}
