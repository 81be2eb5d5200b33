/*
 * peer.c - one side of a GSS-API krb5 conversation, for interop tests.
 *
 * Built three times from these files (peer.c, the program and the RFC 2743
 * scenarios; peer_iov.c and peer_aead.c, the IOV and AEAD scenarios;
 * peer_prf.c, the RFC 4401 PRF scenario; peer_util.c, reporting and
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
 *   peer ROLE SCENARIO        ROLE: init | acc | svc2
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
 */
#define _POSIX_C_SOURCE 200809L
#include "peer.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static unsigned received;   /* per-message tokens received so far */

static gss_OID_desc krb5_oid_desc = {
    9, (void *)"\x2a\x86\x48\x86\xf7\x12\x01\x02\x02"};
static gss_OID krb5_oid = &krb5_oid_desc;

/* ------------------------------------------------------------ scenarios */

/* Which per-message tokens a scenario exchanges (exchange_all). */
#define M_CONF 1   /* gss_wrap with confidentiality */
#define M_INTEG 2  /* gss_wrap integrity only */
#define M_MIC 4    /* gss_get_mic */

struct scenario {
    const char *name;
    OM_uint32 req_flags;    /* initiator's request */
    int cb_init, cb_acc;    /* channel bindings: 0 none, 1 A, 2 B, 3 addr */
    int expect_fail;        /* establishment must fail (cb-diff, krberror) */
    int msgs;               /* M_* for exchange_all, 0: other exchanges */
    enum peer_iov iov;      /* IOV_* for iov_exchange (peer_iov.c) */
};

#define BASE_FLAGS (GSS_C_CONF_FLAG | GSS_C_INTEG_FLAG)
#define ALL_FLAGS (GSS_C_MUTUAL_FLAG | GSS_C_REPLAY_FLAG | \
                   GSS_C_SEQUENCE_FLAG | BASE_FLAGS)
static const struct scenario scenarios[] = {
    {"wrap-conf", ALL_FLAGS, 0, 0, 0, M_CONF, IOV_NONE},
    {"wrap-integ", ALL_FLAGS, 0, 0, 0, M_INTEG, IOV_NONE},
    {"mic", ALL_FLAGS, 0, 0, 0, M_MIC, IOV_NONE},
    {"nomutual", ALL_FLAGS & ~(OM_uint32)GSS_C_MUTUAL_FLAG, 0, 0, 0,
     M_CONF | M_MIC, IOV_NONE},
    {"replay", GSS_C_MUTUAL_FLAG | GSS_C_REPLAY_FLAG | BASE_FLAGS, 0, 0, 0,
     0, IOV_NONE},
    {"sequence", ALL_FLAGS, 0, 0, 0, 0, IOV_NONE},
    {"cb-same", GSS_C_MUTUAL_FLAG | BASE_FLAGS, 1, 1, 0, 0, IOV_NONE},
    {"cb-addr", GSS_C_MUTUAL_FLAG | BASE_FLAGS, 3, 3, 0, 0, IOV_NONE},
    {"cb-diff", GSS_C_MUTUAL_FLAG | BASE_FLAGS, 1, 2, 1, 0, IOV_NONE},
    {"deleg", GSS_C_MUTUAL_FLAG | GSS_C_DELEG_FLAG | GSS_C_REPLAY_FLAG |
     BASE_FLAGS, 0, 0, 0, 0, IOV_NONE},
    {"krberror", GSS_C_MUTUAL_FLAG | BASE_FLAGS, 0, 0, 1, 0, IOV_NONE},
    {"iov-split", ALL_FLAGS, 0, 0, 0, 0, IOV_SPLIT},
    {"iov-integ", ALL_FLAGS, 0, 0, 0, 0, IOV_INTEG},
    {"iov-header-only", ALL_FLAGS, 0, 0, 0, 0, IOV_HEADER_ONLY},
    {"iov-stream", ALL_FLAGS, 0, 0, 0, 0, IOV_STREAM},
    {"aead", ALL_FLAGS, 0, 0, 0, 0, IOV_AEAD},
    {"mic-iov", ALL_FLAGS, 0, 0, 0, 0, IOV_MIC},
    {"prf", ALL_FLAGS, 0, 0, 0, 0, IOV_NONE},     /* peer_prf.c */
};

static struct gss_channel_bindings_struct cb_storage;

static gss_channel_bindings_t
bindings(int which)
{
    static const unsigned char lo[4] = {127, 0, 0, 1};
    static const unsigned char lo2[4] = {127, 0, 0, 2};
    static char appA[] = "tls-server-end-point:baton-interop-A";
    static char appB[] = "tls-server-end-point:baton-interop-B";

    if (which == 0)
        return GSS_C_NO_CHANNEL_BINDINGS;
    memset(&cb_storage, 0, sizeof(cb_storage));
    if (which == 3) {
        cb_storage.initiator_addrtype = GSS_C_AF_INET;
        cb_storage.initiator_address.length = 4;
        cb_storage.initiator_address.value = (void *)lo;
        cb_storage.acceptor_addrtype = GSS_C_AF_INET;
        cb_storage.acceptor_address.length = 4;
        cb_storage.acceptor_address.value = (void *)lo2;
        cb_storage.application_data.length = strlen(appA);
        cb_storage.application_data.value = appA;
        return &cb_storage;
    }
    cb_storage.initiator_addrtype = GSS_C_AF_NULLADDR;
    cb_storage.acceptor_addrtype = GSS_C_AF_NULLADDR;
    cb_storage.application_data.length = strlen(which == 1 ? appA : appB);
    cb_storage.application_data.value = which == 1 ? appA : appB;
    return &cb_storage;
}

/* ------------------------------------------------------------ establish */

struct est {
    OM_uint32 major, minor;
    OM_uint32 flags;
    OM_uint32 time_rec;
    gss_ctx_id_t ctx;
    gss_name_t peer;           /* acceptor: the initiator's name */
    gss_cred_id_t deleg;       /* acceptor: delegated credential */
    gss_buffer_desc last_out;  /* acceptor: its last output token (copy) */
    int peer_closed;           /* initiator: acceptor sent nothing more */
    int steps;
};

static void
init_context(int fd, gss_cred_id_t cred, const char *target, OM_uint32 req,
             gss_channel_bindings_t cb, struct est *e)
{
    gss_name_t tname = import_name(target, GSS_C_NT_HOSTBASED_SERVICE);
    gss_buffer_desc in = {0, NULL}, out;
    gss_OID actual = GSS_C_NO_OID;
    OM_uint32 min;
    int have_in = 0;

    memset(e, 0, sizeof(*e));
    e->ctx = GSS_C_NO_CONTEXT;
    for (;;) {
        out.length = 0;
        out.value = NULL;
        e->major = gss_init_sec_context(&e->minor, cred, &e->ctx, tname,
                                        krb5_oid, req, 0, cb,
                                        have_in ? &in : GSS_C_NO_BUFFER,
                                        &actual, &out, &e->flags,
                                        &e->time_rec);
        e->steps++;
        if (have_in)
            free_frame(&in);
        if (out.length > 0)
            send_frame(fd, out.value, out.length);
        gss_release_buffer(&min, &out);
        if (GSS_ERROR(e->major) || e->major == GSS_S_COMPLETE)
            break;
        if (e->major != GSS_S_CONTINUE_NEEDED) {
            fail("gss_init_sec_context: unexpected %s",
                 status_str(e->major, e->minor));
            break;
        }
        if (!recv_frame_opt(fd, &in) || in.length == 0) {
            free_frame(&in);
            e->peer_closed = 1;
            break;
        }
        have_in = 1;
    }
    if (e->major == GSS_S_COMPLETE && !oid_eq(actual, krb5_oid))
        fail("gss_init_sec_context: actual_mech_type is not krb5");
    gss_release_name(&min, &tname);
}

static void
accept_context(int fd, gss_cred_id_t cred, gss_channel_bindings_t cb,
               struct est *e)
{
    gss_buffer_desc in, out;
    gss_OID mech = GSS_C_NO_OID;
    OM_uint32 min;

    memset(e, 0, sizeof(*e));
    e->ctx = GSS_C_NO_CONTEXT;
    e->peer = GSS_C_NO_NAME;
    e->deleg = GSS_C_NO_CREDENTIAL;
    for (;;) {
        recv_frame(fd, &in);
        out.length = 0;
        out.value = NULL;
        if (e->peer != GSS_C_NO_NAME)
            gss_release_name(&min, &e->peer);
        e->major = gss_accept_sec_context(&e->minor, &e->ctx, cred, &in, cb,
                                          &e->peer, &mech, &out, &e->flags,
                                          &e->time_rec, &e->deleg);
        e->steps++;
        free_frame(&in);
        free(e->last_out.value);
        e->last_out.length = out.length;
        e->last_out.value = malloc(out.length ? out.length : 1);
        if (e->last_out.value == NULL)
            die("out of memory");
        if (out.length)
            memcpy(e->last_out.value, out.value, out.length);
        /* On failure always answer, even with an empty frame, so that a
         * waiting initiator learns the outcome instead of blocking. */
        if (out.length > 0 || GSS_ERROR(e->major))
            send_frame(fd, out.value, out.length);
        gss_release_buffer(&min, &out);
        if (e->major != GSS_S_CONTINUE_NEEDED)
            break;
    }
    if (e->major == GSS_S_COMPLETE && !oid_eq(mech, krb5_oid))
        fail("gss_accept_sec_context: mech_type is not krb5");
}

/* Flag and name checks common to every successful establishment. */
static void
check_established(const struct est *e, int initiator, OM_uint32 req,
                  const char *want_src, const char *want_targ)
{
    OM_uint32 maj, min, lifetime = 0, cflags = 0;
    gss_name_t src = GSS_C_NO_NAME, targ = GSS_C_NO_NAME;
    gss_OID mech = GSS_C_NO_OID;
    int local = -1, open = -1;
    static const OM_uint32 mirrored[] = {GSS_C_MUTUAL_FLAG, GSS_C_REPLAY_FLAG,
                                         GSS_C_SEQUENCE_FLAG,
                                         GSS_C_DELEG_FLAG};
    size_t i;

    note("established in %d step(s), flags %s, time_rec %lu", e->steps,
         flags_str(e->flags), (unsigned long)e->time_rec);
    for (i = 0; i < sizeof(mirrored) / sizeof(mirrored[0]); i++) {
        OM_uint32 b = mirrored[i];
        /* What the initiator asked for is what both sides report (the
         * realm's TGT is forwardable, so delegation is granted). */
        if ((req & b) && !(e->flags & b))
            fail("requested flag %s missing from ret_flags %s",
                 flags_str(b), flags_str(e->flags));
        if (!(req & b) && (e->flags & b))
            fail("flag %s not requested but in ret_flags %s", flags_str(b),
                 flags_str(e->flags));
    }
    if (!(e->flags & GSS_C_CONF_FLAG) || !(e->flags & GSS_C_INTEG_FLAG))
        fail("conf/integ missing from ret_flags %s", flags_str(e->flags));
    if (e->time_rec == 0)
        fail("time_rec is 0");

    maj = gss_inquire_context(&min, e->ctx, &src, &targ, &lifetime, &mech,
                              &cflags, &local, &open);
    if (maj != GSS_S_COMPLETE) {
        fail("gss_inquire_context: %s", status_str(maj, min));
        return;
    }
    if (strcmp(name_str(src), want_src) != 0)
        fail("inquire_context src_name \"%s\", want \"%s\"", name_str(src),
             want_src);
    if (strcmp(name_str(targ), want_targ) != 0)
        fail("inquire_context targ_name \"%s\", want \"%s\"", name_str(targ),
             want_targ);
    if (!oid_eq(mech, krb5_oid))
        fail("inquire_context mech_type is not krb5");
    if (local != initiator)
        fail("inquire_context locally_initiated %d, want %d", local,
             initiator);
    if (!open)
        fail("inquire_context: context not open");
    if (lifetime == 0)
        fail("inquire_context lifetime 0");
    /* PROT_READY and TRANS aside (MIT's initiator leaves PROT_READY out
     * of a one-step establishment's ret_flags but reports it here). */
    if ((cflags & ~(OM_uint32)(GSS_C_TRANS_FLAG | GSS_C_PROT_READY_FLAG)) !=
        (e->flags & ~(OM_uint32)(GSS_C_TRANS_FLAG | GSS_C_PROT_READY_FLAG)))
        fail("inquire_context flags %s differ from the establishment's %s",
             flags_str(cflags), flags_str(e->flags));
    gss_release_name(&min, &src);
    gss_release_name(&min, &targ);
}

/* ------------------------------------------------------------ messages */
/* gss_wrap of message (n, seed) into *tok (a malloc'ed copy); on failure
 * the failure is counted and *tok is empty. */
static void
make_wrap(gss_ctx_id_t ctx, size_t n, unsigned seed, int conf,
          gss_buffer_desc *tok)
{
    gss_buffer_desc in, out;
    OM_uint32 maj, min;
    int state = -1;

    tok->length = 0;
    tok->value = NULL;
    in.length = n;
    in.value = make_msg(n, seed);
    maj = gss_wrap(&min, ctx, conf, GSS_C_QOP_DEFAULT, &in, &state, &out);
    free(in.value);
    if (maj != GSS_S_COMPLETE) {
        fail("gss_wrap(%zu bytes, conf=%d): %s", n, conf,
             status_str(maj, min));
        return;
    }
    if (state != conf)
        fail("gss_wrap(conf=%d) conf_state %d", conf, state);
    copy_out(tok, &out);
    gss_release_buffer(&min, &out);
}

static void
make_mic(gss_ctx_id_t ctx, size_t n, unsigned seed, gss_buffer_desc *tok)
{
    gss_buffer_desc msg, mic;
    OM_uint32 maj, min;

    tok->length = 0;
    tok->value = NULL;
    msg.length = n;
    msg.value = make_msg(n, seed);
    maj = gss_get_mic(&min, ctx, GSS_C_QOP_DEFAULT, &msg, &mic);
    free(msg.value);
    if (maj != GSS_S_COMPLETE) {
        fail("gss_get_mic(%zu bytes): %s", n, status_str(maj, min));
        return;
    }
    copy_out(tok, &mic);
    gss_release_buffer(&min, &mic);
}

/* An empty frame tells the receiver the token could not be made. */
static void
send_wrap(int fd, gss_ctx_id_t ctx, size_t n, unsigned seed, int conf)
{
    gss_buffer_desc t;

    make_wrap(ctx, n, seed, conf, &t);
    send_frame(fd, t.value, t.length);
    free(t.value);
}

static void
send_mic(int fd, gss_ctx_id_t ctx, size_t n, unsigned seed)
{
    gss_buffer_desc t;

    make_mic(ctx, n, seed, &t);
    send_frame(fd, t.value, t.length);
    free(t.value);
}

/* Unwraps the next frame; checks the status, the message and conf_state. */
static void
recv_wrap(int fd, gss_ctx_id_t ctx, size_t n, unsigned seed, int conf,
          OM_uint32 want, const char *what)
{
    gss_buffer_desc tok, out = {0, NULL};
    OM_uint32 maj, min;
    int state = -1;
    gss_qop_t qop = 0xffffffff;
    unsigned char *expect;

    recv_frame(fd, &tok);
    if (tok.length == 0) {
        fail("%s: the sender sent no token (its gss_wrap failed)", what);
        free_frame(&tok);
        return;
    }
    maj = gss_unwrap(&min, ctx, &tok, &out, &state, &qop);
    free_frame(&tok);
    if (received++ == 0 && maj == GSS_S_GAP_TOKEN && want == GSS_S_COMPLETE &&
        quirk("heimdal-nomutual-initiator-gap")) {
        quirk_note("heimdal-nomutual-initiator-gap",
                   "%s: gss_unwrap of the first token: %s (%zu bytes out)",
                   what, status_str(maj, min), out.length);
        want = GSS_S_GAP_TOKEN;
    }
    if (maj != want) {
        fail("%s: gss_unwrap returned %s, want major %#x", what,
             status_str(maj, min), (unsigned)want);
    } else if ((want == GSS_S_GAP_TOKEN || want == GSS_S_UNSEQ_TOKEN) &&
               out.length == 0 && quirk("heimdal-unwrap-seq-no-message")) {
        quirk_note("heimdal-unwrap-seq-no-message",
                   "%s: gss_unwrap returned %#x with no message",
                   what, (unsigned)maj);
    } else if (!GSS_ERROR(maj) && want != GSS_S_DUPLICATE_TOKEN) {
        expect = make_msg(n, seed);
        if (out.length != n || (n > 0 && memcmp(out.value, expect, n) != 0))
            fail("%s: unwrapped %zu bytes, want %zu bytes of the message",
                 what, out.length, n);
        free(expect);
        if (state != conf)
            fail("%s: conf_state %d, want %d", what, state, conf);
        if (qop != GSS_C_QOP_DEFAULT)
            fail("%s: qop_state %u", what, (unsigned)qop);
    }
    gss_release_buffer(&min, &out);
}

static void
recv_mic(int fd, gss_ctx_id_t ctx, size_t n, unsigned seed, OM_uint32 want,
         const char *what)
{
    gss_buffer_desc msg, mic;
    OM_uint32 maj, min;
    gss_qop_t qop = 0xffffffff;

    recv_frame(fd, &mic);
    if (mic.length == 0) {
        fail("%s: the sender sent no token (its gss_get_mic failed)", what);
        free_frame(&mic);
        return;
    }
    msg.length = n;
    msg.value = make_msg(n, seed);
    maj = gss_verify_mic(&min, ctx, &msg, &mic, &qop);
    free(msg.value);
    free_frame(&mic);
    if (received++ == 0 && maj == GSS_S_GAP_TOKEN && want == GSS_S_COMPLETE &&
        quirk("heimdal-nomutual-initiator-gap")) {
        quirk_note("heimdal-nomutual-initiator-gap",
                   "%s: gss_verify_mic of the first token: %s", what,
                   status_str(maj, min));
        want = GSS_S_GAP_TOKEN;
    }
    if (maj != want)
        fail("%s: gss_verify_mic returned %s, want major %#x", what,
             status_str(maj, min), (unsigned)want);
    else if (!GSS_ERROR(maj) && qop != GSS_C_QOP_DEFAULT)
        fail("%s: qop_state %u", what, (unsigned)qop);
}

/* Wrap (conf and/or integ-only) and/or MIC of every size, one direction. */
static void
exchange_all(int fd, gss_ctx_id_t ctx, int sending, unsigned dir, int msgs)
{
    size_t i;
    int conf;
    char what[96];

    for (i = 0; i < n_msg_sizes; i++) {
        for (conf = 1; conf >= 0; conf--) {
            unsigned seed = dir * 1000 + (unsigned)i * 2 + (unsigned)conf;
            if (!(msgs & (conf ? M_CONF : M_INTEG)))
                continue;
            snprintf(what, sizeof(what), "dir %u wrap %zu bytes conf=%d",
                     dir, msg_sizes[i], conf);
            if (sending)
                send_wrap(fd, ctx, msg_sizes[i], seed, conf);
            else
                recv_wrap(fd, ctx, msg_sizes[i], seed, conf, GSS_S_COMPLETE,
                          what);
        }
        if (!(msgs & M_MIC))
            continue;
        snprintf(what, sizeof(what), "dir %u MIC %zu bytes", dir,
                 msg_sizes[i]);
        if (sending)
            send_mic(fd, ctx, msg_sizes[i], dir * 1000 + 500 + (unsigned)i);
        else
            recv_mic(fd, ctx, msg_sizes[i], dir * 1000 + 500 + (unsigned)i,
                     GSS_S_COMPLETE, what);
    }
}

/* One small wrap each way: the context works. */
static void
exchange_small(int fd, gss_ctx_id_t ctx, int initiator)
{
    unsigned d;

    for (d = 0; d < 2; d++) {
        int sending = (d == 0) == initiator;
        if (sending)
            send_wrap(fd, ctx, 100, 77 + d, 1);
        else
            recv_wrap(fd, ctx, 100, 77 + d, 1, GSS_S_COMPLETE,
                      d == 0 ? "small wrap init->acc" : "small wrap acc->init");
    }
}

/*
 * Replayed and reordered tokens.  The sender makes every token in order
 * and sends some twice or out of order; the receiver must report, per
 * RFC 2743 section 1.2.3: a token seen before -> GSS_S_DUPLICATE_TOKEN;
 * with sequencing, a token later than the next expected one ->
 * GSS_S_GAP_TOKEN, one earlier than a token already received ->
 * GSS_S_UNSEQ_TOKEN; without sequencing, out-of-order is not reported.
 */
static void
replay_dir(int fd, gss_ctx_id_t ctx, int sending, unsigned dir, int seq)
{
    char what[96];
    int mic;

    for (mic = 0; mic <= 1; mic++) {
        const char *kind = mic ? "MIC" : "wrap";
        unsigned base = dir * 1000 + (unsigned)mic * 100;
        gss_buffer_desc t1 = {0, NULL}, ta = {0, NULL}, tb = {0, NULL},
                        tc = {0, NULL};

        if (sending) {
            /* Make all tokens first, in order: t1, ta, tb, tc. */
            if (mic) {
                make_mic(ctx, 40, base + 1, &t1);
                make_mic(ctx, 41, base + 2, &ta);
                make_mic(ctx, 42, base + 3, &tb);
                make_mic(ctx, 43, base + 4, &tc);
            } else {
                make_wrap(ctx, 40, base + 1, 1, &t1);
                make_wrap(ctx, 41, base + 2, 1, &ta);
                make_wrap(ctx, 42, base + 3, 1, &tb);
                make_wrap(ctx, 43, base + 4, 1, &tc);
            }
            send_frame(fd, t1.value, t1.length);
            send_frame(fd, t1.value, t1.length);    /* replay */
            send_frame(fd, ta.value, ta.length);
            send_frame(fd, tc.value, tc.length);    /* tb skipped: gap */
            send_frame(fd, tb.value, tb.length);    /* late: unseq */
            send_frame(fd, tc.value, tc.length);    /* replay again */
            free(t1.value);
            free(ta.value);
            free(tb.value);
            free(tc.value);
            continue;
        }
#define RECV(n, seed, conf, want, label)                                      \
        do {                                                                  \
            snprintf(what, sizeof(what), "dir %u %s %s", dir, kind, label);   \
            if (mic)                                                          \
                recv_mic(fd, ctx, n, seed, want, what);                       \
            else                                                              \
                recv_wrap(fd, ctx, n, seed, conf, want, what);                \
        } while (0)
        RECV(40, base + 1, 1, GSS_S_COMPLETE, "first token");
        RECV(40, base + 1, 1, GSS_S_DUPLICATE_TOKEN, "replayed token");
        RECV(41, base + 2, 1, GSS_S_COMPLETE, "next in order");
        RECV(43, base + 4, 1, seq ? GSS_S_GAP_TOKEN : GSS_S_COMPLETE,
             "token after a missing one");
        RECV(42, base + 3, 1, seq ? GSS_S_UNSEQ_TOKEN : GSS_S_COMPLETE,
             "missing token arriving late");
        RECV(43, base + 4, 1, GSS_S_DUPLICATE_TOKEN, "reordered token replayed");
#undef RECV
    }
}

/* ------------------------------------------------------------ roles */

/* The token ID of an RFC 4121 initial-context token wrapper, or -1. */
static int
token_id(const gss_buffer_desc *t)
{
    const unsigned char *p = t->value;
    size_t len = t->length, i = 0, hdr;

    if (len < 2 || p[0] != 0x60)
        return -1;
    i = 1;
    if (p[i] & 0x80) {
        hdr = p[i] & 0x7f;
        i += 1 + hdr;
    } else {
        i++;
    }
    if (i + 2 + 9 + 2 > len || p[i] != 0x06 || p[i + 1] != 9 ||
        memcmp(p + i + 2, krb5_oid_desc.elements, 9) != 0)
        return -1;
    i += 11;
    return (p[i] << 8) | p[i + 1];
}

static int
run_initiator(const struct scenario *s)
{
    const char *target = env_or("PEER_TARGET", "host@localhost");
    const char *user = env_or("PEER_USER", "user@BATON.TEST");
    const char *tprinc = env_or("PEER_TARGET_PRINC",
                                "host/localhost@BATON.TEST");
    struct est e;
    OM_uint32 min;

    init_context(3, GSS_C_NO_CREDENTIAL, target, s->req_flags,
                 bindings(s->cb_init), &e);

    if (strcmp(s->name, "krberror") == 0) {
        /* The acceptor's KRB-ERROR went into our second call. */
        if (e.peer_closed && quirk("heimdal-acceptor-no-krb-error"))
            quirk_note("heimdal-acceptor-no-krb-error",
                       "the acceptor failed and returned no error token");
        else if (e.peer_closed)
            fail("the acceptor returned no error token");
        else if (!GSS_ERROR(e.major))
            fail("gss_init_sec_context with the KRB-ERROR token: %s, want "
                 "an error", status_str(e.major, e.minor));
        else {
            const char *t = minor_text(e.minor);
            note("init with the KRB-ERROR token: %s",
                 status_str(e.major, e.minor));
            if (e.steps != 2)
                fail("the failure came at step %d, not with the error token",
                     e.steps);
            if (!contains_ci(t, "integrity") && !contains_ci(t, "decrypt"))
                fail("minor status text \"%s\" does not name the Kerberos "
                     "error (integrity/decrypt failure)", t);
        }
        gss_delete_sec_context(&min, &e.ctx, GSS_C_NO_BUFFER);
        return 0;
    }
    if (s->expect_fail) {
        if (e.major == GSS_S_COMPLETE)
            fail("establishment completed on the initiator side, but the "
                 "acceptor must refuse it");
        else
            note("initiator ended with %s%s", status_str(e.major, e.minor),
                 e.peer_closed ? " (acceptor sent no token)" : "");
        gss_delete_sec_context(&min, &e.ctx, GSS_C_NO_BUFFER);
        return 0;
    }
    if (e.major != GSS_S_COMPLETE) {
        fail("gss_init_sec_context: %s%s", status_str(e.major, e.minor),
             e.peer_closed ? " (the acceptor failed and sent nothing)" : "");
        return 0;
    }
    check_established(&e, 1, s->req_flags, user, tprinc);

    if (s->msgs != 0) {
        exchange_all(3, e.ctx, 1, 0, s->msgs);
        exchange_all(3, e.ctx, 0, 1, s->msgs);
    } else if (s->iov != IOV_NONE) {
        iov_exchange(3, e.ctx, 1, 0, s->iov);
        iov_exchange(3, e.ctx, 0, 1, s->iov);
    } else if (strcmp(s->name, "replay") == 0 ||
               strcmp(s->name, "sequence") == 0) {
        int seq = strcmp(s->name, "sequence") == 0;
        replay_dir(3, e.ctx, 1, 0, seq);
        replay_dir(3, e.ctx, 0, 1, seq);
    } else if (strcmp(s->name, "prf") == 0) {
        prf_exchange(3, e.ctx, 1);
    } else {
        exchange_small(3, e.ctx, 1);
    }
    if (strcmp(s->name, "deleg") == 0) {
        /* The acceptor reports how its hop to the second service went. */
        gss_buffer_desc r;
        recv_frame(3, &r);
        note("acceptor's second hop: %.*s", (int)r.length, (char *)r.value);
        free_frame(&r);
    }
    gss_delete_sec_context(&min, &e.ctx, GSS_C_NO_BUFFER);
    return 0;
}

/* The delegation scenario's middle hop: init to the second service with
 * the delegated credential, over fd 4. */
static void
second_hop(gss_cred_id_t deleg)
{
    const char *target2 = env_or("PEER_TARGET2", "HTTP@localhost");
    const char *user = env_or("PEER_USER", "user@BATON.TEST");
    const char *t2princ = env_or("PEER_TARGET2_PRINC",
                                 "HTTP/localhost@BATON.TEST");
    OM_uint32 maj, min, lifetime = 0;
    gss_cred_usage_t usage = -1;
    gss_name_t cname = GSS_C_NO_NAME;
    struct est e;
    OM_uint32 req = GSS_C_MUTUAL_FLAG | GSS_C_CONF_FLAG | GSS_C_INTEG_FLAG;

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
    init_context(4, deleg, target2, req, GSS_C_NO_CHANNEL_BINDINGS, &e);
    if (e.major != GSS_S_COMPLETE) {
        fail("init to %s with the delegated credential: %s%s", target2,
             status_str(e.major, e.minor),
             e.peer_closed ? " (the second service failed)" : "");
        return;
    }
    note("second hop to %s established", target2);
    check_established(&e, 1, req, user, t2princ);
    exchange_small(4, e.ctx, 1);
    gss_delete_sec_context(&min, &e.ctx, GSS_C_NO_BUFFER);
}

static int
run_acceptor(const struct scenario *s)
{
    const char *target = env_or("PEER_TARGET", "host@localhost");
    const char *user = env_or("PEER_USER", "user@BATON.TEST");
    const char *tprinc = env_or("PEER_TARGET_PRINC",
                                "host/localhost@BATON.TEST");
    gss_name_t me = import_name(target, GSS_C_NT_HOSTBASED_SERVICE);
    gss_cred_id_t cred = GSS_C_NO_CREDENTIAL;
    OM_uint32 maj, min;
    struct est e;
    gss_OID_set_desc mechs = {1, &krb5_oid_desc};

    maj = gss_acquire_cred(&min, me, GSS_C_INDEFINITE, &mechs, GSS_C_ACCEPT,
                           &cred, NULL, NULL);
    if (maj != GSS_S_COMPLETE)
        die("gss_acquire_cred(%s, ACCEPT): %s", target, status_str(maj, min));
    gss_release_name(&min, &me);

    accept_context(3, cred, bindings(s->cb_acc), &e);

    if (strcmp(s->name, "krberror") == 0) {
        int id = token_id(&e.last_out);
        if (!GSS_ERROR(e.major)) {
            fail("accept with a wrong service key: %s, want an error",
                 status_str(e.major, e.minor));
        } else {
            note("accept with a wrong service key: %s",
                 status_str(e.major, e.minor));
            if (e.last_out.length == 0 &&
                quirk("heimdal-acceptor-no-krb-error"))
                quirk_note("heimdal-acceptor-no-krb-error",
                           "no error token returned with the failure");
            else if (e.last_out.length == 0)
                fail("no error token returned with the failure");
            else if (id != 0x0300)
                fail("the output token (%zu bytes) is not a KRB-ERROR "
                     "(token id %#x, want 0x0300)", e.last_out.length, id);
        }
        goto out;
    }
    if (strcmp(s->name, "cb-diff") == 0) {
        if (GSS_ROUTINE_ERROR(e.major) != GSS_S_BAD_BINDINGS)
            fail("different channel bindings: %s, want GSS_S_BAD_BINDINGS",
                 status_str(e.major, e.minor));
        else
            note("different channel bindings: %s",
                 status_str(e.major, e.minor));
        goto out;
    }
    if (e.major != GSS_S_COMPLETE) {
        fail("gss_accept_sec_context: %s", status_str(e.major, e.minor));
        goto out;
    }
    if (strcmp(name_str(e.peer), user) != 0)
        fail("src_name \"%s\", want \"%s\"", name_str(e.peer), user);
    check_established(&e, 0, s->req_flags, user, tprinc);

    if (s->msgs != 0) {
        exchange_all(3, e.ctx, 0, 0, s->msgs);
        exchange_all(3, e.ctx, 1, 1, s->msgs);
    } else if (s->iov != IOV_NONE) {
        iov_exchange(3, e.ctx, 0, 0, s->iov);
        iov_exchange(3, e.ctx, 1, 1, s->iov);
    } else if (strcmp(s->name, "replay") == 0 ||
               strcmp(s->name, "sequence") == 0) {
        int seq = strcmp(s->name, "sequence") == 0;
        replay_dir(3, e.ctx, 0, 0, seq);
        replay_dir(3, e.ctx, 1, 1, seq);
    } else if (strcmp(s->name, "prf") == 0) {
        prf_exchange(3, e.ctx, 0);
    } else {
        exchange_small(3, e.ctx, 0);
    }
    if (strcmp(s->name, "deleg") == 0) {
        int before = failures;
        char msg[64];
        if (e.deleg == GSS_C_NO_CREDENTIAL)
            fail("GSS_C_DELEG_FLAG requested but no delegated credential");
        else
            second_hop(e.deleg);
        snprintf(msg, sizeof(msg), "%s",
                 failures == before ? "ok" : "FAILED");
        send_frame(3, msg, strlen(msg));
    } else if (e.deleg != GSS_C_NO_CREDENTIAL) {
        fail("a delegated credential without GSS_C_DELEG_FLAG");
    }
out:
    if (e.deleg != GSS_C_NO_CREDENTIAL)
        gss_release_cred(&min, &e.deleg);
    if (e.peer != GSS_C_NO_NAME)
        gss_release_name(&min, &e.peer);
    free(e.last_out.value);
    if (e.ctx != GSS_C_NO_CONTEXT)
        gss_delete_sec_context(&min, &e.ctx, GSS_C_NO_BUFFER);
    gss_release_cred(&min, &cred);
    return 0;
}

/* The delegation scenario's second service: default acceptor credential
 * (KRB5_KTNAME holds only its key); the client must be the user. */
static int
run_svc2(void)
{
    const char *user = env_or("PEER_USER", "user@BATON.TEST");
    const char *t2princ = env_or("PEER_TARGET2_PRINC",
                                 "HTTP/localhost@BATON.TEST");
    OM_uint32 min;
    struct est e;
    OM_uint32 req = GSS_C_MUTUAL_FLAG | GSS_C_CONF_FLAG | GSS_C_INTEG_FLAG;

    accept_context(3, GSS_C_NO_CREDENTIAL, GSS_C_NO_CHANNEL_BINDINGS, &e);
    if (e.major != GSS_S_COMPLETE) {
        fail("gss_accept_sec_context (second service): %s",
             status_str(e.major, e.minor));
    } else {
        if (strcmp(name_str(e.peer), user) != 0)
            fail("second service sees src_name \"%s\", want \"%s\"",
                 name_str(e.peer), user);
        else
            note("second service accepted \"%s\"", name_str(e.peer));
        check_established(&e, 0, req, user, t2princ);
        exchange_small(3, e.ctx, 0);
    }
    if (e.peer != GSS_C_NO_NAME)
        gss_release_name(&min, &e.peer);
    if (e.deleg != GSS_C_NO_CREDENTIAL)
        gss_release_cred(&min, &e.deleg);
    free(e.last_out.value);
    if (e.ctx != GSS_C_NO_CONTEXT)
        gss_delete_sec_context(&min, &e.ctx, GSS_C_NO_BUFFER);
    return 0;
}

int
main(int argc, char **argv)
{
    const struct scenario *s = NULL;
    size_t i;

    if (argc == 2 && strcmp(argv[1], "list") == 0) {
        for (i = 0; i < sizeof(scenarios) / sizeof(scenarios[0]); i++)
            printf("%s\n", scenarios[i].name);
        return 0;
    }
    if (argc != 3) {
        fprintf(stderr, "usage: %s init|acc|svc2 SCENARIO | list\n", argv[0]);
        return 2;
    }
    role = argv[1];
    for (i = 0; i < sizeof(scenarios) / sizeof(scenarios[0]); i++)
        if (strcmp(argv[2], scenarios[i].name) == 0)
            s = &scenarios[i];
    if (s == NULL)
        die("unknown scenario %s", argv[2]);
    if (strcmp(role, "init") == 0)
        run_initiator(s);
    else if (strcmp(role, "acc") == 0)
        run_acceptor(s);
    else if (strcmp(role, "svc2") == 0)
        run_svc2();
    else
        die("unknown role %s", role);
    return failures ? 1 : 0;
}
