/*
 * spnego_ctx.c - the SPNEGO context: its life, its flags and the
 * mechListMIC exchange of RFC 4178 section 5, shared by both roles.
 */
#include "mech/spnego/spnego.h"

#include <errno.h>
#include <stdlib.h>

#include "glue/glue.h"

OM_uint32
bt_spn_ctx_new(OM_uint32 *minor, bool initiator, struct spn_ctx **out)
{
    struct spn_ctx *sc = calloc(1, sizeof(*sc));

    if (sc == NULL)
        return bt_fail(minor, GSS_S_FAILURE, ENOMEM);
    sc->initiator = initiator;
    sc->phase = SPN_INIT_START;
    *out = sc;
    return GSS_S_COMPLETE;
}

void
bt_spn_delete_sec_context(void *mctx)
{
    struct spn_ctx *sc = mctx;

    if (sc == NULL)
        return;
    if (sc->mctx != NULL)
        sc->mech->delete_sec_context(sc->mctx);
    if (sc->deleg != NULL)
        sc->mech->release_cred(sc->deleg);
    free(sc->mech_list);
    free(sc);
}

/* Protection is ready only once SPNEGO itself is done: before that the
 * mechanism list is not yet proven (RFC 4178 5).  Every state can be
 * exported, so GSS_C_TRANS_FLAG is always true. */
OM_uint32
bt_spn_flags(const struct spn_ctx *sc)
{
    OM_uint32 f = sc->flags & ~(OM_uint32)GSS_C_PROT_READY_FLAG;

    if (sc->phase == SPN_DONE && (sc->flags & GSS_C_PROT_READY_FLAG))
        f |= GSS_C_PROT_READY_FLAG;
    return f | GSS_C_TRANS_FLAG;
}

/* Verifies the peer's MIC over the mechanism list. */
static OM_uint32
verify_peer_mic(OM_uint32 *minor, struct spn_ctx *sc,
                const struct bt_neg_view *mic_in)
{
    gss_buffer_desc list = { sc->mech_list_len, sc->mech_list };
    gss_buffer_desc mic = { mic_in->len, (void *)mic_in->p };
    OM_uint32 major;
    gss_qop_t qop;

    if (!sc->inner_open)
        return bt_fail(minor, GSS_S_DEFECTIVE_TOKEN,
                       BT_E_SPNEGO_MIC_UNEXPECTED);
    /* "a MIC token ... MUST NOT be sent twice" - one per side. */
    if (sc->mic_rcvd)
        return bt_fail(minor, GSS_S_DEFECTIVE_TOKEN, BT_E_SPNEGO_UNEXPECTED);
    major = sc->mech->verify_mic(minor, sc->mctx, &list, &mic, &qop);
    if (GSS_ERROR(major))
        return major;
    /* The MIC is the first token the peer's context made: one that
     * verifies but is out of sequence (a gap, a duplicate, an old token)
     * is refused too, not taken as a MIC still to come. */
    if (major != GSS_S_COMPLETE)
        return bt_fail(minor, GSS_S_DEFECTIVE_TOKEN, BT_E_SPNEGO_UNEXPECTED);
    sc->mic_rcvd = true;
    /* A MIC received must be answered with ours (as MIT and Windows do:
     * either side may volunteer one). */
    sc->mic_reqd = true;
    return GSS_S_COMPLETE;
}

OM_uint32
bt_spn_handle_mic(OM_uint32 *minor, struct spn_ctx *sc,
                  const struct bt_neg_view *mic_in, bool sending_mech_token,
                  gss_buffer_t mic_out)
{
    gss_buffer_desc list = { sc->mech_list_len, sc->mech_list };
    OM_uint32 major;

    bt_buf_clear(mic_out);
    if (mic_in->p != NULL) {
        major = verify_peer_mic(minor, sc, mic_in);
        if (major != GSS_S_COMPLETE)
            return major;
    } else if (sc->mic_reqd && !sc->mic_rcvd && !sending_mech_token &&
               sc->inner_open) {
        /* RFC 4178 5: the side that sends the final mechanism token
         * sends its MIC with it; the peer just did and sent none. */
        return bt_fail(minor, GSS_S_DEFECTIVE_TOKEN, BT_E_SPNEGO_MIC_MISSING);
    }
    /* "If the mechanism selected by the negotiation does not support
     * integrity protection, then no mechlistMIC token is used." */
    if (!sc->inner_open || !(sc->flags & GSS_C_INTEG_FLAG))
        return sc->mic_reqd ? GSS_S_CONTINUE_NEEDED : GSS_S_COMPLETE;
    if (sc->mic_reqd && !sc->mic_sent) {
        major = sc->mech->get_mic(minor, sc->mctx, GSS_C_QOP_DEFAULT, &list,
                                  mic_out);
        if (major != GSS_S_COMPLETE)
            return major;
        sc->mic_sent = true;
    }
    *minor = 0;
    if (sc->mic_sent && sc->mic_rcvd)
        return GSS_S_COMPLETE;
    return sc->mic_reqd ? GSS_S_CONTINUE_NEEDED : GSS_S_COMPLETE;
}
