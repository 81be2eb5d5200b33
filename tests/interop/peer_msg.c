/*
 * peer_msg.c - the interop peer's RFC 2743 per-message scenarios (peer.c):
 * gss_wrap (with and without confidentiality) and gss_get_mic tokens of
 * every size of msg_sizes, made on one side and checked on the other, and
 * the replayed and reordered tokens of the replay and sequence scenarios.
 */
#define _POSIX_C_SOURCE 200809L
#include "peer.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static unsigned received;   /* per-message tokens received so far */

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
void
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
void
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
void
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
