/*
 * peer.c - one side of a GSS-API krb5 conversation, directly or through
 * SPNEGO, for interop tests.
 *
 * Built three times from these files (peer.c, the program, its scenarios
 * and roles; peer_est.c, establishment; peer_msg.c, the RFC 2743 message
 * scenarios; peer_iov.c and peer_aead.c, the IOV and AEAD scenarios;
 * peer_prf.c, the RFC 4401 PRF scenario; peer_spnego.c and peer_neg.c,
 * SPNEGO credentials, checks and tokens; peer_util.c, reporting and
 * framing):
 *   interop_peer_mit      against MIT's headers and libgssapi_krb5
 *                         (pkg-config mit-krb5-gssapi, never Baton's headers)
 *   interop_peer_baton    against Baton's headers and baton_static
 *   interop_peer_heimdal  against Heimdal's headers and libgssapi.so.3
 *                         (pkg-config heimdal-gssapi: heimdal-multidev)
 * so every scenario can be run with any implementation on either side.
 * Only RFC 2744 calls, the IOV/AEAD extensions (MIT's and Baton's
 * gssapi_ext.h, Heimdal's gssapi.h) and RFC 4401's gss_pseudo_random (all
 * three gssapi.h) are used; every build sees the same code.
 *
 *   peer [--mech krb5|spnego] ROLE SCENARIO     ROLE: init | acc | svc2
 *   peer [--mech krb5|spnego] list              the scenarios for the mech
 *   peer features                               "set_neg_mechs yes|no"
 *
 * --mech spnego (default krb5): the initiator asks gss_init_sec_context
 * for SPNEGO (1.3.6.1.5.5.2) and the acceptor acquires its credential for
 * SPNEGO; the Kerberos mechanism is negotiated inside.  Every scenario
 * but the spnego-* ones runs either way; the spnego-* ones only through
 * SPNEGO:
 *   spnego-nocred    the acceptor passes GSS_C_NO_CREDENTIAL
 *   spnego-mechlist  both sides restrict their credential's negotiable
 *                    mechanisms to krb5 (gss_set_neg_mechs)
 *   spnego-mslegacy  the initiator offers Microsoft's krb5 OID
 *                    (1.2.840.48018.1.2.2) first, then krb5, through
 *                    gss_set_neg_mechs; the acceptor must accept and
 *                    answer with that OID.  "SKIP: ..." when the library
 *                    leaves the OID out of its offer (MIT's does)
 *   spnego-mslegacy-wire  the initiator's first token is rewritten on its
 *                    way out to offer ms-krb5 before krb5, as Windows's
 *                    does (peer_neg.c), and the answer's supportedMech
 *                    ms-krb5 is given back to the library as krb5
 *   spnego-nocommon  initiator {krb5}, acceptor {ms-krb5} (which matches
 *                    only an offer of that OID, in MIT as in Baton): no
 *                    common mechanism, both sides must fail
 *   spnego-export-partial  a side run with PEER_EXPORT_PARTIAL=1 exports
 *                    its context after a first step that needs another
 *                    (gss_export_sec_context), execs this program again
 *                    (--resume FD:STEPS:FAILURES, the token on a pipe, the
 *                    failed checks so far counted on) and the new
 *                    process imports it and goes on
 * What each call must report through SPNEGO is what MIT reports: see
 * peer_spnego.c.
 *
 * The peer talks on fd 3 (set up by interop_run); the acceptor of the
 * delegation scenario also talks to the second service on fd 4.  Frames
 * are a 4-byte big-endian length and the bytes.  Every check that fails
 * prints "# [impl role] FAIL: ..." on stderr; exit status 0 means every
 * check of this side passed, 1 that one failed, 2 a set-up or I/O error.
 *
 * Environment: PEER_TARGET (host@localhost), PEER_TARGET2 (HTTP@localhost),
 * PEER_USER (user@BATON.TEST), PEER_TARGET_PRINC (host/localhost@BATON.TEST),
 * PEER_TARGET2_PRINC (HTTP/localhost@BATON.TEST); keytabs and ccaches come
 * from KRB5_KTNAME / KRB5CCNAME as the test script sets them per process.
 *
 * PEER_QUIRKS (comma-separated, empty by default): documented deviations of
 * another implementation (Heimdal) that this side tolerates.  The test
 * script alone decides which apply to which process; a tolerated deviation
 * is printed as "# [impl role] QUIRK name: ..." instead of a FAIL.  Names:
 *   heimdal-unwrap-seq-no-message  this side is Heimdal: its gss_unwrap
 *       checks the sequence number before it decrypts and returns
 *       GSS_S_GAP_TOKEN / GSS_S_UNSEQ_TOKEN without the message
 *   heimdal-nomutual-initiator-gap  this side is a Heimdal initiator without
 *       GSS_C_MUTUAL_FLAG: it starts its receive window at 0, not at the
 *       acceptor's first sequence number (its initial one), so the first
 *       token it receives is GSS_S_GAP_TOKEN (and, with the quirk above,
 *       without the message)
 *   heimdal-acceptor-no-krb-error  the acceptor is Heimdal: it answers a
 *       ticket it cannot decrypt with no KRB-ERROR token (Heimdal sends one
 *       only for clock skew and not-yet-valid tickets)
 *   heimdal-no-mic-iov  this side is Heimdal 7.8, whose gssapi.h has no
 *       gss_get_mic_iov / gss_verify_mic_iov: it uses gss_get_mic /
 *       gss_verify_mic over DATA||SIGN_ONLY (the same checksum)
 *   heimdal-no-iov-stream  this side is Heimdal: its krb5 gss_unwrap_iov
 *       wants a HEADER and refuses a STREAM buffer (GSS_S_FAILURE, EINVAL),
 *       and its gss_unwrap_aead passes one; it falls back to gss_unwrap,
 *       or to gss_unwrap_iov on the AEAD token split at
 *       gss_wrap_iov_length's sizes
 *   heimdal-iov-failure-not-bad-sig  this side is Heimdal: its
 *       gss_unwrap_iov answers altered SIGN_ONLY data with GSS_S_FAILURE
 *       (minor KRB5KRB_AP_ERR_BAD_INTEGRITY), not GSS_S_BAD_SIG
 * and through SPNEGO:
 *   heimdal-spnego-early-mech  this side is a Heimdal initiator: a step
 *       that returns GSS_S_CONTINUE_NEEDED reports actual_mech_type krb5
 *       (MIT's reports GSS_C_NO_OID until the context is complete)
 *   heimdal-spnego-reject-ignores-token  this side is a Heimdal initiator:
 *       given a reject whose responseToken is a KRB-ERROR (MIT's acceptor
 *       sends one), it fails with GSS_S_BAD_MECH and minor 0 without
 *       reading the error (MIT's: GSS_S_FAILURE, the Kerberos error)
 *   heimdal-no-set-neg-mechs  this side is Heimdal 7.8, which has no
 *       gss_set_neg_mechs: it keeps its default mechanism list (krb5)
 */
#define _POSIX_C_SOURCE 200809L
#include "peer.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum peer_mech mech = MECH_KRB5;
const struct scenario *scen;
char **peer_argv;
/* --resume FD:STEPS:FAILURES (peer_spnego.c) */
static int resume_fd = -1, resume_after, resume_failed;

/* ------------------------------------------------------------ scenarios */

#define BASE_FLAGS (GSS_C_CONF_FLAG | GSS_C_INTEG_FLAG)
#define ALL_FLAGS (GSS_C_MUTUAL_FLAG | GSS_C_REPLAY_FLAG | \
                   GSS_C_SEQUENCE_FLAG | BASE_FLAGS)
#define MUTUAL (GSS_C_MUTUAL_FLAG | BASE_FLAGS)
static const struct scenario scenarios[] = {
    {.name = "wrap-conf", .req_flags = ALL_FLAGS, .msgs = M_CONF},
    {.name = "wrap-integ", .req_flags = ALL_FLAGS, .msgs = M_INTEG},
    {.name = "mic", .req_flags = ALL_FLAGS, .msgs = M_MIC},
    {.name = "nomutual", .req_flags = ALL_FLAGS & ~(OM_uint32)GSS_C_MUTUAL_FLAG,
     .msgs = M_CONF | M_MIC},
    {.name = "replay", .req_flags = MUTUAL | GSS_C_REPLAY_FLAG},
    {.name = "sequence", .req_flags = ALL_FLAGS},
    {.name = "cb-same", .req_flags = MUTUAL, .cb_init = 1, .cb_acc = 1},
    {.name = "cb-addr", .req_flags = MUTUAL, .cb_init = 3, .cb_acc = 3},
    {.name = "cb-diff", .req_flags = MUTUAL, .cb_init = 1, .cb_acc = 2,
     .expect_fail = 1},
    {.name = "deleg", .req_flags = MUTUAL | GSS_C_DELEG_FLAG |
     GSS_C_REPLAY_FLAG},
    {.name = "krberror", .req_flags = MUTUAL, .expect_fail = 1},
    {.name = "iov-split", .req_flags = ALL_FLAGS, .iov = IOV_SPLIT},
    {.name = "iov-integ", .req_flags = ALL_FLAGS, .iov = IOV_INTEG},
    {.name = "iov-header-only", .req_flags = ALL_FLAGS,
     .iov = IOV_HEADER_ONLY},
    {.name = "iov-stream", .req_flags = ALL_FLAGS, .iov = IOV_STREAM},
    {.name = "aead", .req_flags = ALL_FLAGS, .iov = IOV_AEAD},
    {.name = "mic-iov", .req_flags = ALL_FLAGS, .iov = IOV_MIC},
    {.name = "prf", .req_flags = ALL_FLAGS},     /* peer_prf.c */
    {.name = "spnego-nocred", .req_flags = ALL_FLAGS, .spnego_only = 1,
     .acc_no_cred = 1},
    {.name = "spnego-mechlist", .req_flags = ALL_FLAGS, .spnego_only = 1,
     .neg_init = NEG_KRB5, .neg_acc = NEG_KRB5},
    {.name = "spnego-mslegacy", .req_flags = ALL_FLAGS, .spnego_only = 1,
     .neg_init = NEG_MS_FIRST},
    {.name = "spnego-mslegacy-wire", .req_flags = ALL_FLAGS,
     .spnego_only = 1},
    {.name = "spnego-nocommon", .req_flags = ALL_FLAGS, .spnego_only = 1,
     .neg_init = NEG_KRB5, .neg_acc = NEG_MS_ONLY, .expect_fail = 1},
    {.name = "spnego-export-partial", .req_flags = ALL_FLAGS,
     .spnego_only = 1},
};
#define N_SCENARIOS (sizeof(scenarios) / sizeof(scenarios[0]))

static int
is(const char *name)
{
    return strcmp(scen->name, name) == 0;
}

/* The scenario's exchanges on an established context, both directions
 * (dir 0: initiator to acceptor). */
static void
run_messages(int fd, gss_ctx_id_t ctx, int initiator)
{
    unsigned dir;

    if (is("prf")) {
        prf_exchange(fd, ctx, initiator);
        return;
    }
    if (scen->msgs == 0 && scen->iov == IOV_NONE && !is("replay") &&
        !is("sequence")) {
        exchange_small(fd, ctx, initiator);
        return;
    }
    for (dir = 0; dir < 2; dir++) {
        int sending = (dir == 0) == initiator;
        if (scen->msgs != 0)
            exchange_all(fd, ctx, sending, dir, scen->msgs);
        else if (scen->iov != IOV_NONE)
            iov_exchange(fd, ctx, sending, dir, scen->iov);
        else
            replay_dir(fd, ctx, sending, dir, is("sequence"));
    }
}

/* ------------------------------------------------------------ initiator */

/* krberror: the acceptor's KRB-ERROR went into our second call. */
static void
check_krberror_init(const struct est *e)
{
    gss_buffer_desc inner = {0, NULL};
    const char *t;

    /* Through SPNEGO, the KRB-ERROR is the reject's responseToken. */
    if (!e->peer_closed)
        inner_token(&e->first_in, &inner);
    if (inner.length > 0 && inner.value != e->first_in.value &&
        GSS_ERROR(e->major) && e->minor == 0 &&
        quirk("heimdal-spnego-reject-ignores-token")) {
        quirk_note("heimdal-spnego-reject-ignores-token", "the reject's "
                   "KRB-ERROR is not read: %s",
                   status_str(e->major, e->minor));
        return;
    }
    if (inner.length == 0 && quirk("heimdal-acceptor-no-krb-error")) {
        quirk_note("heimdal-acceptor-no-krb-error",
                   "the acceptor failed and returned no error token%s",
                   e->peer_closed ? "" : " (a SPNEGO reject without one)");
        return;
    }
    if (inner.length == 0) {
        fail("the acceptor returned no error token%s",
             e->peer_closed ? "" : ": its answer has none");
        return;
    }
    if (!GSS_ERROR(e->major)) {
        fail("gss_init_sec_context with the KRB-ERROR token: %s, want an "
             "error", status_str(e->major, e->minor));
        return;
    }
    t = minor_text(e->minor);
    note("init with the KRB-ERROR token: %s", status_str(e->major, e->minor));
    if (e->steps != 2)
        fail("the failure came at step %d, not with the error token",
             e->steps);
    if (!contains_ci(t, "integrity") && !contains_ci(t, "decrypt"))
        fail("minor status text \"%s\" does not name the Kerberos error "
             "(integrity/decrypt failure)", t);
}

static void
check_refused_init(const struct est *e)
{
    if (is("krberror"))
        check_krberror_init(e);
    else if (e->major == GSS_S_COMPLETE)
        fail("establishment completed on the initiator side, but the "
             "acceptor must refuse it");
    else
        note("initiator ended with %s%s", status_str(e->major, e->minor),
             e->peer_closed ? " (acceptor sent no token)" : "");
    spnego_checks(e, 1);
}

static void
run_initiator(void)
{
    const char *target = env_or("PEER_TARGET", "host@localhost");
    gss_cred_id_t cred = GSS_C_NO_CREDENTIAL;
    struct est e;
    OM_uint32 min;

    if (scen->neg_init != NEG_DEFAULT)
        cred = side_cred(GSS_C_NO_NAME, GSS_C_INITIATE, scen->neg_init);
    init_context(3, cred, target, scen->req_flags, bindings(scen->cb_init),
                 resumed_ctx, &e);
    if (scen->expect_fail) {
        check_refused_init(&e);
    } else if (e.major != GSS_S_COMPLETE) {
        fail("gss_init_sec_context: %s%s", status_str(e.major, e.minor),
             e.peer_closed ? " (the acceptor failed and sent nothing)" : "");
    } else {
        check_established(&e, 1, scen->req_flags,
                          env_or("PEER_USER", "user@BATON.TEST"),
                          env_or("PEER_TARGET_PRINC",
                                 "host/localhost@BATON.TEST"));
        spnego_checks(&e, 1);
        run_messages(3, e.ctx, 1);
        if (is("deleg")) {
            /* The acceptor reports how its hop to the second service went. */
            gss_buffer_desc r;
            recv_frame(3, &r);
            note("acceptor's second hop: %.*s", (int)r.length,
                 (char *)r.value);
            free_frame(&r);
        }
    }
    est_release(&e);
    if (cred != GSS_C_NO_CREDENTIAL)
        gss_release_cred(&min, &cred);
}

/* ------------------------------------------------------------ acceptor */

/* The delegation scenario's middle hop: init to the second service with
 * the delegated credential, over fd 4. */
static void
second_hop(gss_cred_id_t deleg)
{
    const char *target2 = env_or("PEER_TARGET2", "HTTP@localhost");
    const char *user = env_or("PEER_USER", "user@BATON.TEST");
    OM_uint32 maj, min, lifetime = 0;
    gss_cred_usage_t usage = -1;
    gss_name_t cname = GSS_C_NO_NAME;
    struct est e;
    OM_uint32 req = GSS_C_MUTUAL_FLAG | GSS_C_CONF_FLAG | GSS_C_INTEG_FLAG;
    enum peer_mech saved;

    maj = gss_inquire_cred(&min, deleg, &cname, &lifetime, &usage, NULL);
    if (maj != GSS_S_COMPLETE) {
        fail("gss_inquire_cred(delegated cred): %s", status_str(maj, min));
    } else {
        if (strcmp(name_str(cname), user) != 0)
            fail("delegated cred's name \"%s\", want \"%s\"",
                 name_str(cname), user);
        if (usage != GSS_C_INITIATE && usage != GSS_C_BOTH)
            fail("delegated cred usage %d cannot initiate", (int)usage);
        if (lifetime == 0)
            fail("delegated cred lifetime 0");
        gss_release_name(&min, &cname);
    }
    /* Straight to Kerberos: neither MIT nor Heimdal will negotiate SPNEGO
     * with a credential delegated through SPNEGO (GSS_S_NO_CRED, MIT's
     * minor "SPNEGO cannot find mechanisms to negotiate"). */
    saved = mech;
    mech = MECH_KRB5;
    init_context(4, deleg, target2, req, GSS_C_NO_CHANNEL_BINDINGS,
                 GSS_C_NO_CONTEXT, &e);
    mech = saved;
    if (e.major != GSS_S_COMPLETE) {
        fail("init to %s with the delegated credential: %s%s", target2,
             status_str(e.major, e.minor),
             e.peer_closed ? " (the second service failed)" : "");
    } else {
        note("second hop to %s established", target2);
        check_established(&e, 1, req, user,
                          env_or("PEER_TARGET2_PRINC",
                                 "HTTP/localhost@BATON.TEST"));
        exchange_small(4, e.ctx, 1);
    }
    est_release(&e);
}

/* krberror: the acceptor fails and answers with a KRB-ERROR (inside a
 * SPNEGO token through SPNEGO). */
static void
check_krberror_acc(const struct est *e)
{
    gss_buffer_desc inner;
    int id;

    if (!GSS_ERROR(e->major)) {
        fail("accept with a wrong service key: %s, want an error",
             status_str(e->major, e->minor));
        return;
    }
    note("accept with a wrong service key: %s",
         status_str(e->major, e->minor));
    inner_token(&e->last_out, &inner);
    id = token_id(&inner, NULL);
    if (inner.length == 0 && quirk("heimdal-acceptor-no-krb-error"))
        quirk_note("heimdal-acceptor-no-krb-error",
                   "no error token returned with the failure");
    else if (inner.length == 0)
        fail("no error token returned with the failure");
    else if (id != 0x0300)
        fail("the output token (%zu bytes) is not a KRB-ERROR (token id "
             "%#x, want 0x0300)", inner.length, id);
}

static void
check_refused_acc(const struct est *e)
{
    if (is("krberror")) {
        check_krberror_acc(e);
    } else if (is("cb-diff")) {
        if (GSS_ROUTINE_ERROR(e->major) != GSS_S_BAD_BINDINGS)
            fail("different channel bindings: %s, want GSS_S_BAD_BINDINGS",
                 status_str(e->major, e->minor));
        else
            note("different channel bindings: %s",
                 status_str(e->major, e->minor));
    } else if (e->major == GSS_S_COMPLETE && !is("spnego-nocommon")) {
        fail("the acceptor completed a context it must refuse");
    }
    spnego_checks(e, 0);
}

/* After establishment: the scenario's messages, then the delegation
 * scenario's second hop, whose outcome goes back to the initiator. */
static void
acceptor_session(struct est *e)
{
    const char *user = env_or("PEER_USER", "user@BATON.TEST");

    if (strcmp(name_str(e->peer), user) != 0)
        fail("src_name \"%s\", want \"%s\"", name_str(e->peer), user);
    check_established(e, 0, scen->req_flags, user,
                      env_or("PEER_TARGET_PRINC",
                             "host/localhost@BATON.TEST"));
    spnego_checks(e, 0);
    run_messages(3, e->ctx, 0);
    if (is("deleg")) {
        int before = failures;
        const char *msg;
        if (e->deleg == GSS_C_NO_CREDENTIAL)
            fail("GSS_C_DELEG_FLAG requested but no delegated credential");
        else
            second_hop(e->deleg);
        msg = failures == before ? "ok" : "FAILED";
        send_frame(3, msg, strlen(msg));
    } else if (e->deleg != GSS_C_NO_CREDENTIAL) {
        fail("a delegated credential without GSS_C_DELEG_FLAG");
    }
}

static void
run_acceptor(void)
{
    const char *target = env_or("PEER_TARGET", "host@localhost");
    gss_cred_id_t cred = GSS_C_NO_CREDENTIAL;
    OM_uint32 min;
    struct est e;

    if (!scen->acc_no_cred) {
        gss_name_t me = import_name(target, GSS_C_NT_HOSTBASED_SERVICE);
        cred = side_cred(me, GSS_C_ACCEPT, scen->neg_acc);
        gss_release_name(&min, &me);
    }
    accept_context(3, cred, bindings(scen->cb_acc), resumed_ctx, &e);
    if (scen->expect_fail)
        check_refused_acc(&e);
    else if (e.major != GSS_S_COMPLETE)
        fail("gss_accept_sec_context: %s", status_str(e.major, e.minor));
    else
        acceptor_session(&e);
    est_release(&e);
    if (cred != GSS_C_NO_CREDENTIAL)
        gss_release_cred(&min, &cred);
}

/* The delegation scenario's second service: default acceptor credential
 * (KRB5_KTNAME holds only its key); the client must be the user. */
static void
run_svc2(void)
{
    const char *user = env_or("PEER_USER", "user@BATON.TEST");
    struct est e;
    OM_uint32 req = GSS_C_MUTUAL_FLAG | GSS_C_CONF_FLAG | GSS_C_INTEG_FLAG;

    accept_context(3, GSS_C_NO_CREDENTIAL, GSS_C_NO_CHANNEL_BINDINGS,
                   GSS_C_NO_CONTEXT, &e);
    if (e.major != GSS_S_COMPLETE) {
        fail("gss_accept_sec_context (second service): %s",
             status_str(e.major, e.minor));
    } else {
        if (strcmp(name_str(e.peer), user) != 0)
            fail("second service sees src_name \"%s\", want \"%s\"",
                 name_str(e.peer), user);
        else
            note("second service accepted \"%s\"", name_str(e.peer));
        check_established(&e, 0, req, user,
                          env_or("PEER_TARGET2_PRINC",
                                 "HTTP/localhost@BATON.TEST"));
        exchange_small(3, e.ctx, 0);
    }
    est_release(&e);
}

/* ------------------------------------------------------------ main */

static void
usage(void)
{
    fprintf(stderr, "usage: peer [--mech krb5|spnego] init|acc|svc2 "
            "SCENARIO\n       peer [--mech krb5|spnego] list\n"
            "       peer features\n");
    exit(2);
}

static void
list(void)
{
    size_t i;

    for (i = 0; i < N_SCENARIOS; i++)
        if (mech == MECH_SPNEGO || !scenarios[i].spnego_only)
            printf("%s\n", scenarios[i].name);
}

/* Options before the role; returns the index of the first other word. */
static int
options(int argc, char **argv)
{
    int i = 1;

    while (i + 1 < argc && strncmp(argv[i], "--", 2) == 0) {
        if (strcmp(argv[i], "--mech") == 0 &&
            strcmp(argv[i + 1], "krb5") == 0)
            mech = MECH_KRB5;
        else if (strcmp(argv[i], "--mech") == 0 &&
                 strcmp(argv[i + 1], "spnego") == 0)
            mech = MECH_SPNEGO;
        else if (strcmp(argv[i], "--resume") != 0 ||
                 sscanf(argv[i + 1], "%d:%d:%d", &resume_fd, &resume_after,
                        &resume_failed) != 3)
            usage();
        i += 2;
    }
    return i;
}

int
main(int argc, char **argv)
{
    int i = options(argc, argv);
    size_t k;

    peer_argv = argv;
    if (argc - i == 1 && strcmp(argv[i], "list") == 0) {
        list();
        return 0;
    }
    if (argc - i == 1 && strcmp(argv[i], "features") == 0) {
        printf("set_neg_mechs %s\n", have_set_neg_mechs() ? "yes" : "no");
        return 0;
    }
    if (argc - i != 2)
        usage();
    role = argv[i];
    for (k = 0; k < N_SCENARIOS; k++)
        if (strcmp(argv[i + 1], scenarios[k].name) == 0)
            scen = &scenarios[k];
    if (scen == NULL)
        die("unknown scenario %s", argv[i + 1]);
    if (scen->spnego_only && mech != MECH_SPNEGO)
        die("scenario %s needs --mech spnego", scen->name);
    if (resume_fd >= 0)
        resume_from(resume_fd, resume_after, resume_failed);
    if (strcmp(role, "init") == 0)
        run_initiator();
    else if (strcmp(role, "acc") == 0)
        run_acceptor();
    else if (strcmp(role, "svc2") == 0)
        run_svc2();
    else
        die("unknown role %s", role);
    return failures ? 1 : 0;
}
