/*
 * gss_spnego_accept_fuzz.c - attacks the SPNEGO acceptor's state machine
 * (src/mech/spnego/spnego_accept.c, the mechListMIC exchange in
 * spnego_ctx.c, export and import in spnego_serialize.c) through
 * gss_accept_sec_context, over up to SX_MAX_STEPS tokens fed to one
 * context.  The Kerberos world is spnego_fixture.h's: no KDC, a MEMORY
 * keytab for host/localhost@FUZZ.TEST, minted tickets in MEMORY ccaches.
 *
 * Input: a mode octet -
 *   bit 0: built (below) or raw: the rest is a sequence of tokens, each
 *          a two-octet big-endian length and that many octets;
 *   bit 1: export and re-import the context before every step after the
 *          first and before the checks of a success; the input then runs
 *          twice, with and without, and each step must end the same way;
 *   bit 2: the acceptor passes the fixture's channel bindings;
 *   bit 3: the peer (built mode) passes them;
 *   bits 5-7: the acceptor's credential, sx_acc_creds (none, Kerberos
 *          only, SPNEGO, SPNEGO restricted by gss_set_neg_mechs).
 * Built mode, then an octet for the peer - a Kerberos initiator context
 * (Baton's, on the ccache of enctype bits 4-6) that makes genuine AP-REQs
 * and MICs: bit 0 GSS_C_MUTUAL_FLAG, bit 1 replay, bit 2 sequence, bit 3
 * conf - and the steps, each made from descriptor octets:
 *   first, a NegTokenInit: octet a, bits 0-2 the number of mechanisms,
 *     each then one selector octet (sx_put_oid: Kerberos, Microsoft's and
 *     the old Kerberos OID, SPNEGO, a near miss, IAKERB, NTLM, or one
 *     from the input); bit 6 reqFlags (two octets: unused bits, flags);
 *     bit 3 a mechToken of kind bits 4-5 (0 the peer's AP-REQ, 1 the
 *     same with an octet changed (position, xor octets), 2 input octets
 *     (a length octet), 3 empty); bit 7 a mechListMIC of kind 1 + (next
 *     octet % 3) (1 the peer's MIC over the list, 2 its MIC over the list
 *     with the last octet changed, 3 an octet n: n & 0x80 the peer's MIC
 *     after (n & 3) + 1 MIC tokens nobody sees, so out of sequence, else
 *     n input octets);
 *   then NegTokenResps: octet b, bits 0-2 negState (4: absent, 5-7 out of
 *     range), bit 3 supportedMech (a selector octet), bits 4-5 the
 *     responseToken (0 none, 1 a fresh AP-REQ from a new peer context,
 *     2 the current one again, 3 an octet x: x & 0x80 the current one
 *     changed as above, else input octets), bits 6-7 the mechListMIC
 *     (0 none, then kinds 1-3 as above).
 * After each step the acceptor's reply goes to the peer: its AP-REP
 * completes the peer and its MIC must verify there, whenever the context
 * behind the acceptor came from the peer's current AP-REQ.
 *
 * Invariants: no crash, no leak; a first token SPNEGO cannot read fails;
 * the mechanism chosen is the first offered that the credential allows
 * (equal OIDs, or Microsoft's Kerberos OID where Kerberos is allowed),
 * named in the first reply by the OID offered; no such mechanism:
 * GSS_S_BAD_MECH, a reject token and no context; another than the first:
 * request-mic and nothing else; a failure returns an error major with a
 * reject or no token, leaves no context on the first step and a
 * deletable one later; before completion per-message calls give
 * GSS_S_NO_CONTEXT; a MIC that was not made by the peer over the list
 * sent, or made out of sequence where the sequence is checked, never
 * lets a step go on, nor does a second MIC, and a MIC taken completes the
 * context (the acceptor's own MIC is then sent or was); a success names
 * Kerberos by its standard OID, has a source name, TRANS_FLAG and
 * PROT_READY_FLAG, took a mechListMIC from the initiator if the choice
 * was not the first offered, and its tokens verify at the peer; a further
 * step fails; export and import never change how a step ends.
 */
#include "spnego_fixture.h"

enum mic_class { CLASS_NONE, CLASS_GOOD, CLASS_BAD, CLASS_UNKNOWN };
enum tok_kind { TOK_NONE, TOK_FRESH, TOK_CURRENT, TOK_CORRUPT, TOK_INPUT,
                TOK_EMPTY };
#define GEN_NONE (-1)
#define GEN_UNKNOWN (-2)

struct outcome {
    int steps;
    bool aborted;
    OM_uint32 major[SX_MAX_STEPS + 1];
    int shape[SX_MAX_STEPS + 1];
};

struct run {
    bool built, export_each, corrupted;
    const struct sx_cred_kind *kind;
    gss_cred_id_t cred;
    gss_channel_bindings_t acb, icb;
    OM_uint32 peer_flags;
    struct sx_buf list;             /* the MechTypeList sent (built) */
    int choice;                     /* the model's choice; -1: none */
    gss_ctx_id_t peer;              /* the Kerberos initiator */
    gss_buffer_desc apreq;          /* its AP-REQ */
    bool peer_open;
    OM_uint32 peer_ret;             /* its flags */
    unsigned peer_mics;             /* MIC tokens it made */
    int peer_gen, acc_gen;          /* AP-REQ made last / accepted */
    gss_ctx_id_t ctx;
    bool mic_taken, good_mic, unknown_mic;
    struct outcome out;
};

/* One step's token and what the target knows of it. */
struct step {
    struct sx_buf tok;
    enum mic_src mic;
    int mic_gen;                    /* the peer context that made it */
    int apreq_gen;                  /* the AP-REQ carried, GEN_UNKNOWN */
    bool has_token, has_mic;        /* as read back */
};

static gss_cred_id_t acc_creds[8];

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    sx_world_init();
    for (size_t i = 0; i < 8; i++)
        acc_creds[i] = sx_cred(&sx_acc_creds[i], GSS_C_ACCEPT);
    return 0;
}

/* ---- the peer --------------------------------------------------------- */

static void
peer_restart(struct run *r)
{
    gss_OID_desc krb5 = sx_oid(SX_KRB5);
    OM_uint32 major, minor;

    (void)gss_delete_sec_context(&minor, &r->peer, NULL);
    (void)gss_release_buffer(&minor, &r->apreq);
    major = gss_init_sec_context(&minor, GSS_C_NO_CREDENTIAL, &r->peer,
                                 sx_w.target, &krb5, r->peer_flags, 0,
                                 r->icb, GSS_C_NO_BUFFER, NULL, &r->apreq,
                                 &r->peer_ret, NULL);
    FUZZ_CHECK(major == GSS_S_COMPLETE || major == GSS_S_CONTINUE_NEEDED);
    FUZZ_CHECK(r->apreq.length > 0);
    r->peer_open = major == GSS_S_COMPLETE;
    r->peer_mics = 0;
    r->peer_gen++;
}

/* The acceptor's reply, as the peer reads it. */
static void
peer_take(struct run *r, const struct bt_neg_resp *resp)
{
    gss_OID_desc krb5 = sx_oid(SX_KRB5);
    gss_buffer_desc in, out = GSS_C_EMPTY_BUFFER, list = sx_gbuf(&r->list);
    OM_uint32 minor;

    if (!r->built || r->acc_gen < 0 || r->acc_gen != r->peer_gen)
        return;
    if (resp->response_token.p != NULL && !r->peer_open) {
        in.value = (void *)resp->response_token.p;
        in.length = resp->response_token.len;
        FUZZ_CHECK(gss_init_sec_context(&minor, GSS_C_NO_CREDENTIAL,
                                        &r->peer, sx_w.target, &krb5,
                                        r->peer_flags, 0, r->icb, &in, NULL,
                                        &out, NULL, NULL) == GSS_S_COMPLETE);
        FUZZ_CHECK(out.length == 0);
        r->peer_open = true;
    }
    if (resp->mech_list_mic.p != NULL && r->peer_open) {
        in.value = (void *)resp->mech_list_mic.p;
        in.length = resp->mech_list_mic.len;
        FUZZ_CHECK(gss_verify_mic(&minor, r->peer, &list, &in, NULL) ==
                   GSS_S_COMPLETE);
    }
}

/* ---- building the tokens ---------------------------------------------- */

/* A mechanism token of kind k into v; *gen: the AP-REQ it is. */
static void
mech_token(struct run *r, struct sx_in *in, enum tok_kind k,
           struct sx_buf *v, int *gen)
{
    size_t n;
    const uint8_t *p;

    *gen = GEN_UNKNOWN;
    sx_put(v, "", 0);
    if (k == TOK_FRESH || (k != TOK_INPUT && k != TOK_EMPTY &&
                           r->peer == GSS_C_NO_CONTEXT))
        peer_restart(r);
    if (k == TOK_FRESH || k == TOK_CURRENT) {
        sx_put(v, r->apreq.value, r->apreq.length);
        *gen = r->peer_gen;
    } else if (k == TOK_CORRUPT) {
        size_t pos = (size_t)sx_u8(in) * 7 % r->apreq.length;

        sx_put(v, r->apreq.value, r->apreq.length);
        v->p[pos] ^= sx_u8(in) | 1;
        r->corrupted = true;
    } else if (k == TOK_INPUT) {
        n = sx_u8(in);
        p = sx_take(in, &n);
        sx_put(v, p, n);
    }
}

/* A mechListMIC of kind 1-3 into v (sx_mic). */
static void
mech_mic(struct run *r, struct sx_in *in, unsigned kind, struct sx_buf *v,
         struct step *st)
{
    st->mic_gen = r->peer_gen;
    st->mic = sx_mic(in, kind, r->peer_open ? r->peer : GSS_C_NO_CONTEXT,
                     &r->list, &r->peer_mics, v);
}

static void
build_first(struct run *r, struct sx_in *in, struct step *st)
{
    static const enum tok_kind kinds[4] = { TOK_CURRENT, TOK_CORRUPT,
                                            TOK_INPUT, TOK_EMPTY };
    struct sx_buf f = { 0 }, t = { 0 }, v = { 0 };
    uint8_t a = sx_u8(in), bits[2];

    for (unsigned i = 0; i < (a & 7u); i++)
        sx_put_oid(&t, sx_u8(in), in);
    sx_wrap(&r->list, 0x30, &t);
    sx_tlv(&f, 0xa0, r->list.p, r->list.len);
    if (a & 0x40) {
        bits[0] = sx_u8(in) & 7;
        bits[1] = sx_u8(in);
        sx_tlv(&t, 0x03, bits, 2);
        sx_wrap(&f, 0xa1, &t);
    }
    if (a & 8) {
        mech_token(r, in, kinds[(a >> 4) & 3], &v, &st->apreq_gen);
        sx_put_octets(&f, 2, v.p, v.len);
        v.len = 0;
    }
    if (a & 0x80) {
        mech_mic(r, in, 1 + sx_u8(in) % 3, &v, st);
        if (st->mic != MIC_NONE)
            sx_put_octets(&f, 3, v.p, v.len);
    }
    sx_frame_init(&st->tok, &f);
    sx_free(&f);
    sx_free(&t);
    sx_free(&v);
}

static void
build_next(struct run *r, struct sx_in *in, struct step *st)
{
    struct sx_buf oid = { 0 }, v = { 0 }, m = { 0 };
    uint8_t b = sx_u8(in), x;
    int state = (b & 7) == 4 ? -1 : (b & 7);
    enum tok_kind k = TOK_NONE;

    if (b & 8)
        sx_put_oid(&oid, sx_u8(in), in);
    switch ((b >> 4) & 3) {
    case 1: k = TOK_FRESH; break;
    case 2: k = TOK_CURRENT; break;
    case 3:
        x = sx_u8(in);
        k = (x & 0x80) ? TOK_CORRUPT : TOK_INPUT;
        break;
    default: break;
    }
    if (k != TOK_NONE)
        mech_token(r, in, k, &v, &st->apreq_gen);
    if (b >> 6)
        mech_mic(r, in, b >> 6, &m, st);
    sx_resp(&st->tok, state, (b & 8) ? &oid : NULL,
            k != TOK_NONE ? v.p : NULL, v.len,
            st->mic != MIC_NONE ? m.p : NULL, m.len);
    sx_free(&oid);
    sx_free(&v);
    sx_free(&m);
}

/* The next token, built or as given; false at the end of the input. */
static bool
next_token(struct run *r, struct sx_in *in, int step, struct step *st)
{
    size_t n;
    const uint8_t *p;

    memset(st, 0, sizeof(*st));
    st->apreq_gen = GEN_NONE;
    if (in->n == 0)
        return false;
    if (!r->built) {
        n = (size_t)sx_u8(in) << 8;
        n |= sx_u8(in);
        p = sx_take(in, &n);
        sx_put(&st->tok, p, n);
        st->apreq_gen = GEN_UNKNOWN;
    } else if (step == 1) {
        build_first(r, in, st);
    } else {
        build_next(r, in, st);
    }
    return true;
}

/* ---- the model and the checks ----------------------------------------- */

/* Reads the step's token back: is it SPNEGO's, what does it carry.
 * False: the first token is not framed for SPNEGO at all. */
static bool
read_back(struct run *r, int step, struct step *st, bool *readable)
{
    struct bt_neg_init ni;
    struct bt_neg_resp nr;

    if (step > 1) {
        *readable = bt_neg_rd_resp(st->tok.p, st->tok.len, &nr) == 0;
        st->has_token = *readable && nr.response_token.p != NULL;
        st->has_mic = *readable && nr.mech_list_mic.p != NULL;
        return true;
    }
    if (sx_framed_other(st->tok.p, st->tok.len))
        return false;
    *readable = bt_neg_rd_init_token(st->tok.p, st->tok.len, &ni) == 0;
    r->choice = *readable ? sx_model_choice(&ni, r->kind) : -1;
    st->has_token = *readable && ni.mech_token.p != NULL;
    st->has_mic = *readable && ni.mech_list_mic.p != NULL;
    if (*readable && r->choice >= 0)
        FUZZ_CHECK(ni.n_mechs > 0);
    return true;
}

/* What the acceptor must make of the step's MIC, if its context came
 * from AP-REQ gen: a late one (ahead of the number expected) fails where
 * the sequence is checked (replay detection alone lets it through). */
static enum mic_class
classify(const struct run *r, const struct step *st, int gen)
{
    bool seq = r->peer_ret & GSS_C_SEQUENCE_FLAG;

    if (!st->has_mic)
        return CLASS_NONE;
    if (st->mic == MIC_TAMPER || st->mic == MIC_INPUT ||
        (st->mic == MIC_LATE && seq))
        return CLASS_BAD;
    if (st->mic == MIC_NONE || gen == GEN_UNKNOWN)
        return CLASS_UNKNOWN;
    return gen == st->mic_gen ? CLASS_GOOD : CLASS_BAD;
}

/* The reply of a step that went on; returns its shape for the record. */
static int
check_reply(int step, OM_uint32 major,
            const gss_buffer_desc *out, const struct step *st,
            struct bt_neg_resp *resp)
{
    memset(resp, 0, sizeof(*resp));
    resp->state = BT_NEG_STATE_ABSENT;
    if (out->length == 0) {
        /* Only the answer to the initiator's final MIC is silent. */
        FUZZ_CHECK(major == GSS_S_COMPLETE && step > 1 && st->has_mic);
        return 0;
    }
    FUZZ_CHECK(bt_neg_rd_resp(out->value, out->length, resp) == 0);
    FUZZ_CHECK((resp->supported_mech.p != NULL) == (step == 1));
    if (major == GSS_S_COMPLETE)
        FUZZ_CHECK(resp->state == BT_NEG_ACCEPT_COMPLETED);
    else
        FUZZ_CHECK(resp->state == BT_NEG_ACCEPT_INCOMPLETE ||
                   resp->state == BT_NEG_REQUEST_MIC);
    return 1 + (int)resp->state + 8 * (resp->response_token.p != NULL) +
           16 * (resp->mech_list_mic.p != NULL);
}

/* The first reply against the model: the OID offered at the choice. */
static void
check_choice(const struct run *r, OM_uint32 major, const struct step *st,
             const struct bt_neg_resp *resp)
{
    struct bt_neg_init ni;

    FUZZ_CHECK(r->choice >= 0);
    FUZZ_CHECK(bt_neg_rd_init_token(st->tok.p, st->tok.len, &ni) == 0);
    FUZZ_CHECK(resp->supported_mech.len == ni.mechs[r->choice].len &&
               memcmp(resp->supported_mech.p, ni.mechs[r->choice].p,
                      resp->supported_mech.len) == 0);
    if (r->choice > 0) {
        /* Not the initiator's first choice: ask for its MIC, no more. */
        FUZZ_CHECK(major == GSS_S_CONTINUE_NEEDED);
        FUZZ_CHECK(resp->state == BT_NEG_REQUEST_MIC &&
                   resp->response_token.p == NULL &&
                   resp->mech_list_mic.p == NULL);
    } else if (!st->has_token) {
        FUZZ_CHECK(major == GSS_S_CONTINUE_NEEDED);
    }
}

/* A failed step: a reject or nothing; the first leaves no context. */
static int
check_failure(struct run *r, int step, OM_uint32 major,
              const gss_buffer_desc *out, bool readable)
{
    struct bt_neg_resp resp;

    if (step == 1) {
        FUZZ_CHECK(r->ctx == GSS_C_NO_CONTEXT);
        if (readable && r->choice < 0)
            FUZZ_CHECK(major == GSS_S_BAD_MECH && out->length > 0);
    } else {
        /* The context stays, unusable until deleted. */
        FUZZ_CHECK(r->ctx != GSS_C_NO_CONTEXT);
        sx_check_not_ready(r->ctx);
    }
    if (out->length == 0)
        return 0;
    FUZZ_CHECK(bt_neg_rd_resp(out->value, out->length, &resp) == 0);
    FUZZ_CHECK(resp.state == BT_NEG_REJECT);
    return 1 + BT_NEG_REJECT;
}

static void
check_success(struct run *r, gss_name_t src, gss_OID mech, OM_uint32 flags)
{
    const OM_uint32 want = GSS_C_TRANS_FLAG | GSS_C_PROT_READY_FLAG |
                           GSS_C_INTEG_FLAG;
    gss_OID_desc krb5 = sx_oid(SX_KRB5);
    gss_buffer_desc disp = GSS_C_EMPTY_BUFFER;
    gss_OID mech2 = GSS_C_NO_OID;
    OM_uint32 minor;
    int open = -1, local = -1;

    FUZZ_CHECK(src != GSS_C_NO_NAME && r->ctx != GSS_C_NO_CONTEXT);
    FUZZ_CHECK(mech != GSS_C_NO_OID && gss_oid_equal(mech, &krb5));
    FUZZ_CHECK((flags & want) == want);
    FUZZ_CHECK(r->choice >= 0);
    /* RFC 4178 5: not the first choice, so the initiator's MIC. */
    if (r->choice > 0)
        FUZZ_CHECK(r->good_mic || r->unknown_mic);
    FUZZ_CHECK(gss_display_name(&minor, src, &disp, NULL) == GSS_S_COMPLETE);
    FUZZ_CHECK(disp.length == sizeof(FX_CLIENT) - 1 &&
               memcmp(disp.value, FX_CLIENT, disp.length) == 0);
    (void)gss_release_buffer(&minor, &disp);
    FUZZ_CHECK(gss_inquire_context(&minor, r->ctx, NULL, NULL, NULL, &mech2,
                                   NULL, &local, &open) == GSS_S_COMPLETE);
    FUZZ_CHECK(open == 1 && local == 0 && gss_oid_equal(mech2, &krb5));
    if (r->built && r->acc_gen >= 0 && r->acc_gen == r->peer_gen &&
        r->peer_open)
        sx_exercise(r->ctx, r->peer);
}

/* ---- the steps -------------------------------------------------------- */

/* Records what a step that went on says about MICs and AP-REQs. */
static void
account(struct run *r, int step, OM_uint32 major, const struct step *st)
{
    bool taken = step > 1 || r->choice == 0;
    int gen = st->has_token && taken ? st->apreq_gen : r->acc_gen;
    enum mic_class c = taken ? classify(r, st, gen) : CLASS_NONE;

    /* A MIC the peer did not make over the list never passes... */
    FUZZ_CHECK(c != CLASS_BAD);
    /* ... and one per side, ever; the acceptor answers the one it takes
     * with its own, if it has not sent it yet, and is complete. */
    FUZZ_CHECK(c == CLASS_NONE || !r->mic_taken);
    FUZZ_CHECK(c == CLASS_NONE || major == GSS_S_COMPLETE);
    r->mic_taken = r->mic_taken || c != CLASS_NONE;
    r->good_mic = r->good_mic || c == CLASS_GOOD;
    r->unknown_mic = r->unknown_mic || c == CLASS_UNKNOWN;
    if (st->has_token && taken)
        r->acc_gen = st->apreq_gen;
}

/* One call; returns its major (the run stops on anything but CONTINUE). */
static OM_uint32
take_step(struct run *r, int step, struct step *st)
{
    gss_buffer_desc out = GSS_C_EMPTY_BUFFER;
    gss_buffer_desc tok = sx_gbuf(&st->tok);
    gss_name_t src = GSS_C_NO_NAME;
    gss_cred_id_t deleg = GSS_C_NO_CREDENTIAL;
    gss_OID mech = GSS_C_NO_OID;
    struct bt_neg_resp resp;
    OM_uint32 major, minor = 0, flags = 0;
    bool readable = false;

    if (!read_back(r, step, st, &readable))
        return GSS_S_FAILURE;
    major = gss_accept_sec_context(&minor, &r->ctx, r->cred, &tok, r->acb,
                                   &src, &mech, &out, &flags, NULL, &deleg);
    sx_trace("accept", step, major, minor, out.length);
    r->out.major[r->out.steps] = major;
    if (GSS_ERROR(major)) {
        FUZZ_CHECK(src == GSS_C_NO_NAME && deleg == GSS_C_NO_CREDENTIAL);
        r->out.shape[r->out.steps++] = check_failure(r, step, major, &out,
                                                     readable);
    } else {
        FUZZ_CHECK(readable);
        r->out.shape[r->out.steps++] = check_reply(step, major, &out, st,
                                                   &resp);
        if (step == 1)
            check_choice(r, major, st, &resp);
        account(r, step, major, st);
        peer_take(r, &resp);
        if (major == GSS_S_CONTINUE_NEEDED) {
            FUZZ_CHECK(src == GSS_C_NO_NAME);
            sx_check_not_ready(r->ctx);
        } else if (!r->export_each || sx_move(&r->ctx)) {
            check_success(r, src, mech, flags);
        } else {
            r->out.aborted = true;
        }
    }
    (void)gss_release_buffer(&minor, &out);
    (void)gss_release_name(&minor, &src);
    (void)gss_release_cred(&minor, &deleg);
    return major;
}

static void
run(const uint8_t *data, size_t size, bool export_each, struct outcome *o)
{
    struct sx_in in = { data + 1, size - 1 };
    struct run r;
    struct step st;
    OM_uint32 major = GSS_S_CONTINUE_NEEDED, minor;
    uint8_t peer = 0;

    memset(&r, 0, sizeof(r));
    r.built = data[0] & 1;
    r.export_each = export_each;
    r.kind = &sx_acc_creds[data[0] >> 5];
    r.cred = acc_creds[data[0] >> 5];
    r.acb = (data[0] & 4) ? fx_bindings() : GSS_C_NO_CHANNEL_BINDINGS;
    r.icb = (data[0] & 8) ? fx_bindings() : GSS_C_NO_CHANNEL_BINDINGS;
    r.acc_gen = GEN_NONE;
    if (r.built) {
        peer = sx_u8(&in);
        sx_use_ccache((peer >> 4) & 7);
    }
    r.peer_flags = ((peer & 1) ? GSS_C_MUTUAL_FLAG : 0) |
                   ((peer & 2) ? GSS_C_REPLAY_FLAG : 0) |
                   ((peer & 4) ? GSS_C_SEQUENCE_FLAG : 0) |
                   ((peer & 8) ? GSS_C_CONF_FLAG : 0) | GSS_C_INTEG_FLAG;
    for (int step = 1; step <= SX_MAX_STEPS && !r.out.aborted &&
                       next_token(&r, &in, step, &st); step++) {
        if (major != GSS_S_CONTINUE_NEEDED) {
            /* Complete: a further step fails and the context stays. */
            gss_buffer_desc tok = sx_gbuf(&st.tok), out = GSS_C_EMPTY_BUFFER;

            FUZZ_CHECK(GSS_ERROR(gss_accept_sec_context(
                &minor, &r.ctx, r.cred, &tok, r.acb, NULL, NULL, &out, NULL,
                NULL, NULL)));
            (void)gss_release_buffer(&minor, &out);
            sx_free(&st.tok);
            break;
        }
        if (export_each && step > 1 && !sx_move(&r.ctx))
            r.out.aborted = true;
        else
            major = take_step(&r, step, &st);
        sx_free(&st.tok);
        if (GSS_ERROR(major))
            break;
    }
    if (r.ctx != GSS_C_NO_CONTEXT)
        FUZZ_CHECK(gss_delete_sec_context(&minor, &r.ctx, NULL) ==
                   GSS_S_COMPLETE);
    (void)gss_delete_sec_context(&minor, &r.peer, NULL);
    (void)gss_release_buffer(&minor, &r.apreq);
    sx_free(&r.list);
    *o = r.out;
    o->aborted = o->aborted || r.corrupted;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct outcome plain, moved;

    if (size < 1)
        return 0;
    run(data, size, false, &plain);
    if (!(data[0] & 2))
        return 0;
    run(data, size, true, &moved);
    if (plain.aborted || moved.aborted)
        return 0;
    /* Export and import between steps change nothing. */
    FUZZ_CHECK(plain.steps == moved.steps);
    for (int i = 0; i < plain.steps; i++)
        FUZZ_CHECK(plain.major[i] == moved.major[i] &&
                   plain.shape[i] == moved.shape[i]);
    return 0;
}
