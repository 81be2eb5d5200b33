/*
 * Context tokens out of place: an AP-REQ replayed to a second acceptor
 * (the replay cache), the KRB-ERROR that answers it, per-message and
 * context-level tokens to contexts that are not open, and every token to
 * a deleted context (GSS_S_NO_CONTEXT, even after new contexts are made).
 */
#include "mech/krb5/hostile.h"

#include <krb5.h>

#define DEF GSS_S_DEFECTIVE_TOKEN

/* ---- replay ----------------------------------------------------------- */

/* The AP-REQ accepted by a first acceptor, then given to a second one
 * with the same credential (or the default): KRB5KRB_AP_ERR_REPEAT. */
static void
replay_with(gss_cred_id_t first, gss_cred_id_t second, const char *what)
{
    gss_buffer_desc itok = GSS_C_EMPTY_BUFFER, atok = GSS_C_EMPTY_BUFFER;
    gss_buffer_desc out = GSS_C_EMPTY_BUFFER;
    gss_ctx_id_t init = GSS_C_NO_CONTEXT, acc = GSS_C_NO_CONTEXT;
    gss_ctx_id_t acc2 = GSS_C_NO_CONTEXT;
    OM_uint32 minor = 0, major, m;

    if (!hostile_start(&init, &itok, NULL, NULL))
        return;
    major = hostile_accept(&acc, first, &itok, &atok, &minor);
    EXPECT(major, GSS_S_COMPLETE, minor, "%s: first acceptor", what);
    major = hostile_accept(&acc2, second, &itok, &out, &minor);
    CHECK(GSS_ERROR(major) && acc2 == GSS_C_NO_CONTEXT);
    CHECK(minor == (OM_uint32)KRB5KRB_AP_ERR_REPEAT);
    fprintf(stderr, "  note: replayed AP-REQ (%s): major 0x%08x", what,
            (unsigned)major);
    hostile_show_status(major, minor);
    gss_release_buffer(&m, &out);
    gss_release_buffer(&m, &itok);
    /* The first acceptor's context is unharmed. */
    major = hostile_waiting_init(&init, atok.value, atok.length, &minor);
    EXPECT(major, GSS_S_COMPLETE, minor, "%s: the initiator completes", what);
    if (major == GSS_S_COMPLETE)
        hostile_usable(&(struct hostile_pair){ init, acc }, what);
    gss_release_buffer(&m, &atok);
    gss_delete_sec_context(&m, &init, GSS_C_NO_BUFFER);
    gss_delete_sec_context(&m, &acc, GSS_C_NO_BUFFER);
    gss_delete_sec_context(&m, &acc2, GSS_C_NO_BUFFER);
}

/* An acceptor credential for any name in the keytab, or (named) for the
 * service alone. */
static gss_cred_id_t
acceptor_cred(bool named)
{
    gss_cred_id_t c = GSS_C_NO_CREDENTIAL;
    gss_name_t n = named ? hostile_service() : GSS_C_NO_NAME;
    OM_uint32 minor, m;

    CHECK_MAJOR(gss_acquire_cred(&minor, n, 0, GSS_C_NO_OID_SET,
                                 GSS_C_ACCEPT, &c, NULL, NULL),
                GSS_S_COMPLETE);
    gss_release_name(&m, &n);
    return c;
}

static void
ap_req_replayed_to_a_second_acceptor(void)
{
    gss_cred_id_t a = acceptor_cred(false), b = acceptor_cred(false);
    gss_cred_id_t c = acceptor_cred(true);
    OM_uint32 m;

    replay_with(GSS_C_NO_CREDENTIAL, GSS_C_NO_CREDENTIAL, "default creds");
    replay_with(a, a, "one acceptor credential");
    replay_with(a, b, "two acceptor credentials");
    replay_with(b, c, "then a named one");
    gss_release_cred(&m, &a);
    gss_release_cred(&m, &b);
    gss_release_cred(&m, &c);
}

/* The second acceptor's KRB-ERROR, truncated at every length, to the
 * initiator waiting for its AP-REP: GSS_S_DEFECTIVE_TOKEN; whole: the
 * peer's verdict (GSS_S_FAILURE, minor KRB5KRB_AP_ERR_REPEAT).  The
 * initiator waits on, and the genuine AP-REP completes it.  (The second
 * acceptor has a named credential: without a name and a verified ticket
 * Baton has no server name to put in a KRB-ERROR and sends none.) */
static void
krb_error_to_the_waiting_initiator(void)
{
    gss_buffer_desc itok = GSS_C_EMPTY_BUFFER, atok = GSS_C_EMPTY_BUFFER;
    gss_buffer_desc err = GSS_C_EMPTY_BUFFER;
    gss_ctx_id_t acc2 = GSS_C_NO_CONTEXT;
    gss_cred_id_t named = acceptor_cred(true);
    struct hostile_pair p;
    OM_uint32 minor = 0, major, m;

    if (!hostile_start(&p.init, &itok, &p.acc, &atok))
        return;
    major = hostile_accept(&acc2, named, &itok, &err, &minor);
    gss_release_cred(&m, &named);
    CHECK(GSS_ERROR(major) && err.length > 0);
    gss_release_buffer(&m, &itok);
    for (size_t len = 0; len < err.length; len++) {
        major = hostile_waiting_init(&p.init, err.value, len, &minor);
        EXPECT(major, DEF, minor, "KRB-ERROR truncated to %zu of %zu", len,
               err.length);
    }
    major = hostile_waiting_init(&p.init, err.value, err.length, &minor);
    EXPECT(major, GSS_S_FAILURE, minor, "the whole KRB-ERROR");
    CHECK(minor == (OM_uint32)KRB5KRB_AP_ERR_REPEAT);
    gss_release_buffer(&m, &err);
    hostile_complete(&p, &atok);
}

/* Per-message tokens to the initiator still waiting for its AP-REP:
 * GSS_S_NO_CONTEXT, untouched; once open it takes them in order. */
static void
messages_before_the_ap_rep(void)
{
    gss_buffer_desc itok = GSS_C_EMPTY_BUFFER, atok = GSS_C_EMPTY_BUFFER;
    gss_buffer_desc msg = hostile_message(20, 2), mic, wrap, out;
    gss_buffer_desc rep = GSS_C_EMPTY_BUFFER;
    struct hostile_pair p;
    OM_uint32 minor, m;
    int conf;

    if (!hostile_start(&p.init, &itok, &p.acc, &atok))
        goto out;
    CHECK_MAJOR(gss_get_mic(&minor, p.acc, 0, &msg, &mic), GSS_S_COMPLETE);
    CHECK_MAJOR(gss_wrap(&minor, p.acc, 1, 0, &msg, &conf, &wrap),
                GSS_S_COMPLETE);
    CHECK_MAJOR(gss_verify_mic(&minor, p.init, &msg, &mic, NULL),
                GSS_S_NO_CONTEXT);
    CHECK_MAJOR(gss_unwrap(&minor, p.init, &wrap, &out, NULL, NULL),
                GSS_S_NO_CONTEXT);
    CHECK_MAJOR(gss_get_mic(&minor, p.init, 0, &msg, &out), GSS_S_NO_CONTEXT);
    CHECK_MAJOR(gss_process_context_token(&minor, p.init, &wrap), DEF);
    rep = hostile_copy(atok.value, atok.length);
    CHECK_MAJOR(hostile_waiting_init(&p.init, rep.value, rep.length, &minor),
                GSS_S_COMPLETE);
    CHECK_MAJOR(gss_verify_mic(&minor, p.init, &msg, &mic, NULL),
                GSS_S_COMPLETE);
    CHECK_MAJOR(gss_unwrap(&minor, p.init, &wrap, &out, NULL, NULL),
                GSS_S_COMPLETE);
    gss_release_buffer(&m, &out);
    /* RFC 4121 has no context-level tokens: any is defective, harmless. */
    CHECK_MAJOR(gss_process_context_token(&minor, p.init, &wrap), DEF);
    CHECK_MAJOR(gss_process_context_token(&minor, p.acc, &atok), DEF);
    hostile_usable(&p, "tokens before the AP-REP");
    gss_release_buffer(&m, &mic);
    gss_release_buffer(&m, &wrap);
    free(rep.value);
out:
    gss_release_buffer(&m, &itok);
    gss_release_buffer(&m, &atok);
    hostile_release(&p);
    free(msg.value);
}

/* ---- deleted contexts ------------------------------------------------- */

/* Every token to a deleted context: GSS_S_NO_CONTEXT, and the handle
 * stays dead after new contexts are made. */
static void
tokens_after_delete(void)
{
    gss_buffer_desc itok = GSS_C_EMPTY_BUFFER, atok = GSS_C_EMPTY_BUFFER;
    gss_buffer_desc msg = hostile_message(20, 1), mic, wrap, out;
    struct hostile_pair p, q;
    gss_ctx_id_t dead, waiting;
    OM_uint32 minor, m, t;
    int conf;

    if (!hostile_start(&p.init, &itok, &p.acc, &atok))
        return;
    waiting = p.init;
    CHECK_MAJOR(gss_delete_sec_context(&minor, &p.init, GSS_C_NO_BUFFER),
                GSS_S_COMPLETE);
    CHECK_MAJOR(hostile_waiting_init(&waiting, atok.value, atok.length,
                                     &minor), GSS_S_NO_CONTEXT);
    gss_release_buffer(&m, &itok);
    gss_release_buffer(&m, &atok);
    hostile_release(&p);

    if (!hostile_establish(&p, HOSTILE_FLAGS))
        goto out;
    CHECK_MAJOR(gss_get_mic(&minor, p.init, 0, &msg, &mic), GSS_S_COMPLETE);
    CHECK_MAJOR(gss_wrap(&minor, p.init, 1, 0, &msg, &conf, &wrap),
                GSS_S_COMPLETE);
    dead = p.acc;
    CHECK_MAJOR(gss_delete_sec_context(&minor, &p.acc, GSS_C_NO_BUFFER),
                GSS_S_COMPLETE);
    CHECK(p.acc == GSS_C_NO_CONTEXT);
    for (int round = 0; round < 2; round++) {
        CHECK_MAJOR(gss_verify_mic(&minor, dead, &msg, &mic, NULL),
                    GSS_S_NO_CONTEXT);
        CHECK_MAJOR(gss_unwrap(&minor, dead, &wrap, &out, NULL, NULL),
                    GSS_S_NO_CONTEXT);
        CHECK_MAJOR(gss_get_mic(&minor, dead, 0, &msg, &out),
                    GSS_S_NO_CONTEXT);
        CHECK_MAJOR(gss_wrap(&minor, dead, 1, 0, &msg, &conf, &out),
                    GSS_S_NO_CONTEXT);
        CHECK_MAJOR(gss_process_context_token(&minor, dead, &wrap),
                    GSS_S_NO_CONTEXT);
        CHECK_MAJOR(gss_context_time(&minor, dead, &t), GSS_S_NO_CONTEXT);
        CHECK_MAJOR(gss_accept_sec_context(&minor, &(gss_ctx_id_t){ dead },
                                           GSS_C_NO_CREDENTIAL,
                                           &wrap, NULL, NULL, NULL, &out,
                                           NULL, NULL, NULL),
                    GSS_S_NO_CONTEXT);
        CHECK(out.length == 0);
        CHECK_MAJOR(gss_delete_sec_context(&minor, &(gss_ctx_id_t){ dead },
                                           GSS_C_NO_BUFFER),
                    GSS_S_NO_CONTEXT);
        /* New contexts must not bring the old handle back to life. */
        if (round == 0 && hostile_establish(&q, HOSTILE_FLAGS))
            hostile_usable(&q, "a new pair after a delete");
        if (round == 0)
            hostile_release(&q);
    }
    /* The surviving initiator is unaffected. */
    CHECK_MAJOR(gss_wrap(&minor, p.init, 1, 0, &msg, &conf, &out),
                GSS_S_COMPLETE);
    gss_release_buffer(&m, &out);
    gss_release_buffer(&m, &mic);
    gss_release_buffer(&m, &wrap);
out:
    hostile_release(&p);
    free(msg.value);
}

BT_TEST_MAIN(ap_req_replayed_to_a_second_acceptor,
             krb_error_to_the_waiting_initiator, messages_before_the_ap_rep,
             tokens_after_delete)
