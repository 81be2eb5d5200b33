/*
 * gss_spnego_init_fuzz.c - attacks the SPNEGO initiator's state machine
 * (src/mech/spnego/spnego_init.c, the mechListMIC exchange in
 * spnego_ctx.c, export and import in spnego_serialize.c) through
 * gss_init_sec_context with the SPNEGO OID: Baton makes the first token
 * (a NegTokenInit with its Kerberos AP-REQ, on a ticket minted into a
 * MEMORY ccache, spnego_fixture.h), then the acceptor's replies are the
 * fuzzer's.  The acceptor's side is played by a peer: Baton's Kerberos
 * acceptor, given each AP-REQ the initiator sends, which makes the
 * genuine AP-REPs and MICs the replies may carry.
 *
 * Input: a mode octet -
 *   bit 0: built (below) or raw: the replies are a sequence of tokens,
 *          each a two-octet big-endian length and that many octets;
 *   bit 1: export and re-import the context before every step after the
 *          first and before the checks of a success;
 *   bit 2: GSS_C_MUTUAL_FLAG; bit 3: replay and sequence detection;
 *   bits 4-6: the initiator's credential, sx_init_creds (none, Kerberos
 *          only, SPNEGO restricted by gss_set_neg_mechs);
 *   bit 7: channel bindings, at both ends;
 * then an octet whose bits 0-2 choose the ticket's enctype, then (built)
 * one reply per step, from descriptor octets: octet b, bits 0-2 negState
 * (4: absent, 5-7 out of range); bit 3 supportedMech, a selector octet s
 * (s & 0x80: the initiator's offer number (s & 0x7f) modulo their count,
 * else sx_put_oid's OIDs); bits 4-5 the responseToken (0 none, 1 the
 * peer's reply to the last AP-REQ - its AP-REP, nothing without mutual
 * authentication -, 2 a KRB-ERROR, 3 an octet x: x & 0x80 the peer's
 * reply with an octet changed (position, xor octets), else input octets
 * after a length octet); bits 6-7 the mechListMIC (0 none, 1 the peer's
 * MIC over the initiator's MechTypeList, 2 its MIC over the list with the
 * last octet changed, 3 an octet n: n & 0x80 the peer's MIC after
 * (n & 3) + 1 MIC tokens nobody sees, so out of sequence, else n input
 * octets).
 *
 * Invariants: no crash, no leak; the first token offers exactly the
 * credential's mechanisms, the first with a Kerberos AP-REQ the peer
 * accepts, and actual_mech_type is GSS_C_NO_OID; a first reply that names
 * a mechanism not offered (Kerberos and Microsoft's Kerberos OID stand for
 * each other), or a bare reject, fails with GSS_S_BAD_MECH; an error
 * leaves a context that deletes; before completion per-message calls
 * give GSS_S_NO_CONTEXT; the initiator's tokens are NegTokenResps whose
 * AP-REQ (after a change of mechanism) the peer accepts and whose MIC the
 * peer verifies; a MIC not made by the peer over the list, or made out
 * of sequence where the sequence is checked, never lets a step go on,
 * and a MIC taken completes the context; a success is open on Kerberos,
 * took the acceptor's MIC if the choice was not the first offered, and
 * its tokens verify at the peer; a further step fails.
 */
#include "spnego_fixture.h"


struct run {
    bool built, export_each, unsure;
    const struct sx_cred_kind *kind;
    gss_cred_id_t cred;
    gss_channel_bindings_t cb;
    OM_uint32 req;
    struct sx_buf list;             /* the MechTypeList the initiator sent */
    struct bt_neg_init offer;       /* its views (into first) */
    struct sx_buf first;
    gss_ctx_id_t ctx;
    gss_ctx_id_t peer;              /* the Kerberos acceptor */
    gss_buffer_desc peer_tok;       /* its AP-REP, or empty */
    unsigned peer_mics;             /* MIC tokens it made */
    bool chose_other, good_mic, unknown_mic;
};

static gss_buffer_desc krb_error;   /* a framed KRB-ERROR */

/* A KRB-ERROR from the service: KRB_AP_ERR_MODIFIED. */
static void
make_krb_error(void)
{
    krb5_error e;
    krb5_data der = { KV5M_DATA, 0, NULL };

    memset(&e, 0, sizeof(e));
    e.magic = KV5M_ERROR;
    e.stime = FX_AUTHTIME;
    e.error = KRB5KRB_AP_ERR_MODIFIED - ERROR_TABLE_BASE_krb5;
    FUZZ_CHECK(krb5_parse_name(sx_w.k, FX_SERVICE, &e.server) == 0);
    FUZZ_CHECK(krb5_mk_error(sx_w.k, &e, &der) == 0);
    fx_frame(0x0300, der.data, der.length, &krb_error);
    krb5_free_data_contents(sx_w.k, &der);
    krb5_free_principal(sx_w.k, e.server);
}

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    sx_world_init();
    make_krb_error();
    return 0;
}

/* ---- the peer --------------------------------------------------------- */

/* A new peer context from the initiator's AP-REQ, which it must take. */
static void
peer_accept(struct run *r, const void *p, size_t n)
{
    gss_buffer_desc in = { n, (void *)p };
    OM_uint32 major, minor = 0;

    (void)gss_delete_sec_context(&minor, &r->peer, NULL);
    (void)gss_release_buffer(&minor, &r->peer_tok);
    r->peer_mics = 0;
    major = gss_accept_sec_context(&minor, &r->peer, GSS_C_NO_CREDENTIAL,
                                   &in, r->cb, NULL, NULL, &r->peer_tok,
                                   NULL, NULL, NULL);
    if (major != GSS_S_COMPLETE)
        fprintf(stderr, "peer: major %#x minor %#x\n", major, minor);
    FUZZ_CHECK(major == GSS_S_COMPLETE);
    FUZZ_CHECK((r->peer_tok.length > 0) == ((r->req & GSS_C_MUTUAL_FLAG) !=
                                            0));
}

/* ---- the replies ------------------------------------------------------ */

static void
reply_oid(struct run *r, struct sx_in *in, struct sx_buf *oid)
{
    uint8_t s = sx_u8(in);
    struct bt_neg_view v;

    if (!(s & 0x80) || r->offer.n_mechs == 0) {
        sx_put_oid(oid, s, in);
        return;
    }
    v = r->offer.mechs[(s & 0x7f) % r->offer.n_mechs];
    sx_tlv(oid, 0x06, v.p, v.len);
}

/* The responseToken of kind k (1-3) into v; false: none. */
static bool
reply_token(struct run *r, struct sx_in *in, unsigned k, struct sx_buf *v)
{
    uint8_t x;
    size_t n;
    const uint8_t *p;

    if (k == 1) {
        sx_put(v, r->peer_tok.value, r->peer_tok.length);
        return r->peer_tok.length > 0;
    }
    if (k == 2) {
        sx_put(v, krb_error.value, krb_error.length);
        return true;
    }
    x = sx_u8(in);
    if ((x & 0x80) && r->peer_tok.length > 0) {
        size_t pos = (size_t)sx_u8(in) * 7 % r->peer_tok.length;

        sx_put(v, r->peer_tok.value, r->peer_tok.length);
        v->p[pos] ^= sx_u8(in) | 1;
        return true;
    }
    n = sx_u8(in);
    p = sx_take(in, &n);
    sx_put(v, p, n);
    return true;
}

/* The next reply into tok; false at the end of the input.  *genuine:
 * its responseToken, if any, is the peer's own. */
static bool
next_reply(struct run *r, struct sx_in *in, struct sx_buf *tok,
           enum mic_src *mic, bool *genuine)
{
    struct sx_buf oid = { 0 }, v = { 0 }, m = { 0 };
    uint8_t b;
    bool has_tok = false;
    size_t n;

    *mic = MIC_NONE;
    *genuine = false;
    if (in->n == 0)
        return false;
    if (!r->built) {
        n = (size_t)sx_u8(in) << 8;
        n |= sx_u8(in);
        sx_put(tok, sx_take(in, &n), n);
        *mic = MIC_INPUT;           /* if there is one: read back */
        return true;
    }
    b = sx_u8(in);
    if (b & 8)
        reply_oid(r, in, &oid);
    if ((b >> 4) & 3)
        has_tok = reply_token(r, in, (b >> 4) & 3, &v);
    *genuine = ((b >> 4) & 3) == 1;
    if (b >> 6)
        *mic = sx_mic(in, b >> 6, r->peer, &r->list, &r->peer_mics, &m);
    sx_resp(tok, (b & 7) == 4 ? -1 : (b & 7), (b & 8) ? &oid : NULL,
            has_tok ? v.p : NULL, v.len, *mic != MIC_NONE ? m.p : NULL,
            m.len);
    sx_free(&oid);
    sx_free(&v);
    sx_free(&m);
    return true;
}

/* ---- checks ----------------------------------------------------------- */

/* 1 if v names the first mechanism offered, 2 another offered one, 0
 * none (Kerberos and Microsoft's Kerberos OID stand for each other). */
static int
offered(const struct run *r, struct bt_neg_view v)
{
    int id = sx_oid_id_of(v.p, v.len);

    for (size_t i = 0; i < r->offer.n_mechs; i++) {
        int o = sx_oid_id_of(r->offer.mechs[i].p, r->offer.mechs[i].len);

        if ((id >= 0 && id == o) ||
            (id == SX_KRB5_MS && o == SX_KRB5) ||
            (id == SX_KRB5 && o == SX_KRB5_MS))
            return i == 0 ? 1 : 2;
    }
    return 0;
}

/* The first step: Baton's NegTokenInit offers the credential's list. */
static void
first_step(struct run *r)
{
    gss_OID_desc spnego = sx_oid(SX_SPNEGO);
    gss_buffer_desc out = GSS_C_EMPTY_BUFFER;
    gss_OID mech = &spnego;
    OM_uint32 major, minor;
    int allow[4];
    size_t na = sx_allowed(r->kind, allow);

    major = gss_init_sec_context(&minor, r->cred, &r->ctx, sx_w.target,
                                 &spnego, r->req, 0, r->cb, GSS_C_NO_BUFFER,
                                 &mech, &out, NULL, NULL);
    sx_trace("init", 1, major, minor, out.length);
    FUZZ_CHECK(major == GSS_S_CONTINUE_NEEDED && mech == GSS_C_NO_OID);
    sx_put(&r->first, out.value, out.length);
    (void)gss_release_buffer(&minor, &out);
    FUZZ_CHECK(bt_neg_rd_init_token(r->first.p, r->first.len, &r->offer) ==
               0);
    FUZZ_CHECK(r->offer.n_mechs == na && r->offer.mech_token.p != NULL &&
               r->offer.mech_list_mic.p == NULL);
    for (size_t i = 0; i < na; i++)
        FUZZ_CHECK(sx_is(r->offer.mechs[i].p, r->offer.mechs[i].len,
                         (enum sx_oid_id)allow[i]));
    sx_put(&r->list, r->offer.mech_types_der.p, r->offer.mech_types_der.len);
    peer_accept(r, r->offer.mech_token.p, r->offer.mech_token.len);
    sx_check_not_ready(r->ctx);
}

/* What the reply must do, whatever the initiator's state: the first
 * reply must name an offered mechanism, a bare reject fails. */
static void
check_reply_rules(const struct run *r, int step, const struct sx_buf *tok,
                  OM_uint32 major)
{
    struct bt_neg_resp nr;

    if (bt_neg_rd_resp(tok->p, tok->len, &nr) != 0) {
        FUZZ_CHECK(GSS_ERROR(major));
        return;
    }
    if (nr.state == BT_NEG_REJECT && nr.response_token.p == NULL)
        FUZZ_CHECK(major == GSS_S_BAD_MECH);
    if (step != 2 || nr.state == BT_NEG_REJECT)
        return;
    if (nr.supported_mech.p == NULL)
        FUZZ_CHECK(GSS_ERROR(major));
    else if (!offered(r, nr.supported_mech))
        FUZZ_CHECK(major == GSS_S_BAD_MECH);
}

/* Baton's answer to a reply that went on; true if it changed mechanism
 * (a fresh AP-REQ went out, which the peer then takes). */
static bool
check_answer(struct run *r, OM_uint32 major, const gss_buffer_desc *out)
{
    struct bt_neg_resp nr;
    gss_buffer_desc mic, list = sx_gbuf(&r->list);
    OM_uint32 minor;
    bool restart;

    if (out->length == 0)
        return false;
    FUZZ_CHECK(bt_neg_rd_resp(out->value, out->length, &nr) == 0);
    FUZZ_CHECK(nr.supported_mech.p == NULL);
    FUZZ_CHECK(nr.state == (major == GSS_S_COMPLETE
                                ? BT_NEG_ACCEPT_COMPLETED
                                : BT_NEG_ACCEPT_INCOMPLETE));
    restart = nr.response_token.p != NULL;
    if (restart)
        peer_accept(r, nr.response_token.p, nr.response_token.len);
    if (nr.mech_list_mic.p != NULL && !r->unsure) {
        mic.value = (void *)nr.mech_list_mic.p;
        mic.length = nr.mech_list_mic.len;
        FUZZ_CHECK(gss_verify_mic(&minor, r->peer, &list, &mic, NULL) ==
                   GSS_S_COMPLETE);
    }
    return restart;
}

static void
check_success(struct run *r, gss_OID mech, OM_uint32 flags)
{
    const OM_uint32 want = GSS_C_TRANS_FLAG | GSS_C_PROT_READY_FLAG |
                           GSS_C_INTEG_FLAG;
    gss_OID_desc krb5 = sx_oid(SX_KRB5);
    gss_OID mech2 = GSS_C_NO_OID;
    OM_uint32 minor;
    int open = -1, local = -1;

    FUZZ_CHECK(mech != GSS_C_NO_OID && gss_oid_equal(mech, &krb5));
    FUZZ_CHECK((flags & want) == want);
    /* RFC 4178 5: another choice than our first needs the peer's MIC. */
    if (r->chose_other)
        FUZZ_CHECK(r->good_mic || r->unknown_mic);
    if (r->export_each && !sx_move(&r->ctx))
        return;
    FUZZ_CHECK(gss_inquire_context(&minor, r->ctx, NULL, NULL, NULL, &mech2,
                                   NULL, &local, &open) == GSS_S_COMPLETE);
    FUZZ_CHECK(open == 1 && local == 1 && gss_oid_equal(mech2, &krb5));
    if (!r->unsure)
        sx_exercise(r->ctx, r->peer);
}

/* ---- the steps -------------------------------------------------------- */

/* Accounts for a reply that went on (after Baton's answer is read). */
static void
account(struct run *r, int step, OM_uint32 major, const struct sx_buf *tok,
        enum mic_src mic, bool restart)
{
    struct bt_neg_resp nr;

    FUZZ_CHECK(bt_neg_rd_resp(tok->p, tok->len, &nr) == 0);
    if (step == 2) {
        FUZZ_CHECK(nr.supported_mech.p != NULL);
        r->chose_other = offered(r, nr.supported_mech) != 1;
        /* A change of mechanism starts it afresh, and only then. */
        FUZZ_CHECK(restart == r->chose_other);
    } else {
        FUZZ_CHECK(!restart && nr.supported_mech.p == NULL);
    }
    if (nr.mech_list_mic.p == NULL)
        return;
    /* A MIC not made by the peer over the list, made out of sequence
     * where the sequence is checked, or made before the mechanism started
     * afresh, never passes. */
    FUZZ_CHECK(!r->built ||
               ((mic == MIC_PEER ||
                 (mic == MIC_LATE && !(r->req & GSS_C_SEQUENCE_FLAG))) &&
                !restart));
    /* A MIC taken is answered with ours, if not sent yet: complete. */
    FUZZ_CHECK(major == GSS_S_COMPLETE);
    if (!r->built || r->unsure)
        r->unknown_mic = true;
    else
        r->good_mic = true;
}

static OM_uint32
take_step(struct run *r, int step, const struct sx_buf *tok,
          enum mic_src mic, bool genuine)
{
    gss_OID_desc spnego = sx_oid(SX_SPNEGO);
    gss_buffer_desc in = sx_gbuf(tok), out = GSS_C_EMPTY_BUFFER;
    gss_OID mech = GSS_C_NO_OID;
    struct bt_neg_resp nr;
    OM_uint32 major, minor = 0, flags = 0;
    bool restart;

    major = gss_init_sec_context(&minor, r->cred, &r->ctx, sx_w.target,
                                 &spnego, r->req, 0, r->cb, &in, &mech, &out,
                                 &flags, NULL);
    sx_trace("init", step, major, minor, out.length);
    check_reply_rules(r, step, tok, major);
    if (GSS_ERROR(major)) {
        /* The context stays, unusable until deleted. */
        FUZZ_CHECK(r->ctx != GSS_C_NO_CONTEXT);
        sx_check_not_ready(r->ctx);
        (void)gss_release_buffer(&minor, &out);
        return major;
    }
    /* Anything but the peer's own token taken: keys no longer known. */
    if (!genuine && bt_neg_rd_resp(tok->p, tok->len, &nr) == 0 &&
        nr.response_token.p != NULL)
        r->unsure = true;
    restart = check_answer(r, major, &out);
    (void)gss_release_buffer(&minor, &out);
    account(r, step, major, tok, mic, restart);
    if (major == GSS_S_CONTINUE_NEEDED)
        sx_check_not_ready(r->ctx);
    else
        check_success(r, mech, flags);
    return major;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct sx_in in = { data + 2, size - 2 };
    gss_buffer_desc t, out = GSS_C_EMPTY_BUFFER;
    struct sx_buf tok = { 0 };
    enum mic_src mic;
    bool genuine;
    struct run r;
    OM_uint32 major = GSS_S_CONTINUE_NEEDED, minor;

    if (size < 2)
        return 0;
    memset(&r, 0, sizeof(r));
    r.built = data[0] & 1;
    r.export_each = data[0] & 2;
    r.req = ((data[0] & 4) ? GSS_C_MUTUAL_FLAG : 0) |
            ((data[0] & 8) ? GSS_C_REPLAY_FLAG | GSS_C_SEQUENCE_FLAG : 0) |
            GSS_C_CONF_FLAG | GSS_C_INTEG_FLAG;
    r.kind = &sx_init_creds[(data[0] >> 4) & 7];
    r.cb = (data[0] & 0x80) ? fx_bindings() : GSS_C_NO_CHANNEL_BINDINGS;
    sx_use_ccache(data[1] & 7);
    r.cred = sx_cred(r.kind, GSS_C_INITIATE);
    first_step(&r);
    for (int step = 2; step <= SX_MAX_STEPS &&
                       next_reply(&r, &in, &tok, &mic, &genuine); step++) {
        t = sx_gbuf(&tok);
        if (major == GSS_S_COMPLETE) {
            /* Complete: a further step fails. */
            FUZZ_CHECK(GSS_ERROR(gss_init_sec_context(
                &minor, r.cred, &r.ctx, sx_w.target, NULL, r.req, 0, r.cb,
                &t, NULL, &out, NULL, NULL)));
            FUZZ_CHECK(out.length == 0);
            break;
        }
        if (r.export_each && !sx_move(&r.ctx))
            break;
        major = take_step(&r, step, &tok, mic, genuine);
        tok.len = 0;
        if (GSS_ERROR(major) || r.ctx == GSS_C_NO_CONTEXT)
            break;
    }
    if (r.ctx != GSS_C_NO_CONTEXT)
        FUZZ_CHECK(gss_delete_sec_context(&minor, &r.ctx, NULL) ==
                   GSS_S_COMPLETE);
    (void)gss_delete_sec_context(&minor, &r.peer, NULL);
    (void)gss_release_buffer(&minor, &r.peer_tok);
    (void)gss_release_cred(&minor, &r.cred);
    sx_free(&tok);
    sx_free(&r.list);
    sx_free(&r.first);
    return 0;
}
