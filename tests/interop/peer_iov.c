/*
 * peer_iov.c - the IOV and AEAD scenarios of the interop peer (peer.c):
 * the RFC 4121 Wrap and MIC tokens as the extended calls lay them out
 * across buffers, made on one side and taken apart on the other.
 *
 *   iov-split        gss_wrap_iov conf, HEADER|SIGN_ONLY|DATA|PADDING|TRAILER
 *                    (ALLOCATE): the parts and the SIGN_ONLY bytes travel
 *                    as frames, the receiver rebuilds the layout for
 *                    gss_unwrap_iov
 *   iov-integ        the same, integrity only
 *   iov-header-only  HEADER|DATA, no TRAILER: the token rotated right (RRC,
 *                    RFC 4121 4.2.5), as DCE RPC sends it; the receiver
 *                    takes it with gss_unwrap_iov HEADER|DATA and, for every
 *                    other message, as HEADER||DATA with plain gss_unwrap
 *   iov-stream       plain gss_wrap -> gss_unwrap_iov STREAM|DATA
 *   aead             gss_wrap_aead -> gss_unwrap_aead, same associated data
 *   mic-iov          gss_get_mic_iov DATA|SIGN_ONLY|MIC_TOKEN ->
 *                    gss_verify_mic_iov, and for every other message
 *                    gss_verify_mic over DATA||SIGN_ONLY
 *
 * Every size of msg_sizes, both directions.  The scenarios with associated
 * data end with a message whose SIGN_ONLY bytes the receiver alters (it
 * must fail with GSS_S_BAD_SIG) and one plain wrap token after it (the
 * context still works; GSS_S_GAP_TOKEN is fine, as the refused token's
 * sequence number was never accepted).
 *
 * Heimdal (7.8) lacks some of this; the deviations are tolerated only
 * where the test script lists them in PEER_QUIRKS (see peer.c).
 */
#define _POSIX_C_SOURCE 200809L
#include "peer_iov.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ------------------------------------------------------------ helpers */

void
set_iov(gss_iov_buffer_desc *b, OM_uint32 type, void *p, size_t n)
{
    b->type = type;
    b->buffer.value = p;
    b->buffer.length = n;
}

int
check_msg(const char *what, const char *part, const void *p, size_t len,
          size_t n, unsigned seed)
{
    unsigned char *want = make_msg(n, seed);
    int ok = len == n && (n == 0 || memcmp(p, want, n) == 0);

    if (!ok)
        fail("%s: %s has %zu bytes, not the %zu bytes sent", what, part, len,
             n);
    free(want);
    return ok;
}

void
check_states(const char *what, int state, int conf, gss_qop_t qop)
{
    if (conf >= 0 && state != conf)
        fail("%s: conf_state %d, want %d", what, state, conf);
    if (qop != GSS_C_QOP_DEFAULT)
        fail("%s: qop_state %u, want GSS_C_QOP_DEFAULT", what, (unsigned)qop);
}

/* The sender's view of DATA after wrapping in place: ciphertext with
 * confidentiality (checked from 16 bytes on: shorter ones may match by
 * chance), the message itself without. */
void
check_wrapped_data(const struct msg *m, const void *p, size_t len)
{
    unsigned char *plain = make_msg(m->n, m->seed);

    if (len != m->n)
        fail("wrap %zu bytes: DATA now has %zu bytes", m->n, len);
    else if (m->conf && m->n >= 16 && memcmp(p, plain, m->n) == 0)
        fail("wrap %zu bytes conf=1: DATA is still the plaintext", m->n);
    else if (!m->conf && m->n > 0 && memcmp(p, plain, m->n) != 0)
        fail("wrap %zu bytes conf=0: DATA was changed", m->n);
    free(plain);
}

/* RFC 2743 (GSS_Unwrap, GSS_VerifyMIC): a token with an incorrect
 * integrity check is GSS_S_BAD_SIG.  Heimdal's GSS_S_FAILURE is tolerated
 * as that: the same layout went through the same call untouched just
 * before, so the altered byte is what it refused. */
void
check_bad_sig(const char *what, OM_uint32 maj, OM_uint32 min)
{
    if (maj == GSS_S_BAD_SIG)
        note("%s: altered associated data refused: %s", what,
             status_str(maj, min));
    else if (maj == GSS_S_FAILURE && quirk("heimdal-iov-failure-not-bad-sig"))
        quirk_note("heimdal-iov-failure-not-bad-sig",
                   "%s: altered associated data refused with %s", what,
                   status_str(maj, min));
    else
        fail("%s: altered associated data: %s, want GSS_S_BAD_SIG", what,
             status_str(maj, min));
}

gss_buffer_desc
concat2(const gss_buffer_desc *a, const gss_buffer_desc *b)
{
    gss_buffer_desc c;

    c.length = a->length + b->length;
    c.value = malloc(c.length ? c.length : 1);
    if (c.value == NULL)
        die("out of memory");
    if (a->length)
        memcpy(c.value, a->value, a->length);
    if (b->length)
        memcpy((unsigned char *)c.value + a->length, b->value, b->length);
    return c;
}

void
recv_frames(int fd, gss_buffer_desc *f, int k)
{
    for (int i = 0; i < k; i++)
        recv_frame(fd, &f[i]);
}

void
free_frames(gss_buffer_desc *f, int k)
{
    for (int i = 0; i < k; i++)
        free_frame(&f[i]);
}

int
sender_failed(const gss_buffer_desc *f, const char *what)
{
    if (f->length != 0)
        return 0;
    fail("%s: the sender sent no token (its call failed)", what);
    return 1;
}

void
flip_byte(gss_buffer_desc *b)
{
    if (b->length > 0)
        ((unsigned char *)b->value)[b->length / 2] ^= 0x01;
}

/* ------------------------------------------------------------ iov-split */

enum { SH, SA, SD, SP, ST };    /* the split layout's buffers */

static void
split_layout(gss_iov_buffer_desc iov[5], gss_buffer_desc *assoc,
             gss_buffer_desc *data, OM_uint32 alloc)
{
    set_iov(&iov[SH], GSS_IOV_BUFFER_TYPE_HEADER | alloc, NULL, 0);
    set_iov(&iov[SA], GSS_IOV_BUFFER_TYPE_SIGN_ONLY, assoc->value,
            assoc->length);
    set_iov(&iov[SD], GSS_IOV_BUFFER_TYPE_DATA, data->value, data->length);
    set_iov(&iov[SP], GSS_IOV_BUFFER_TYPE_PADDING | alloc, NULL, 0);
    set_iov(&iov[ST], GSS_IOV_BUFFER_TYPE_TRAILER | alloc, NULL, 0);
}

/* What gss_wrap_iov left in the buffers, against gss_wrap_iov_length's
 * sizes (len, when that call worked). */
static void
split_check_sent(const struct msg *m, const gss_iov_buffer_desc *iov,
                 const gss_iov_buffer_desc *len, int state)
{
    static const int parts[] = {SH, SP, ST};

    if (state != m->conf)
        fail("gss_wrap_iov(conf=%d) conf_state %d", m->conf, state);
    for (size_t i = 0; len != NULL && i < 3; i++) {
        const gss_iov_buffer_desc *b = &iov[parts[i]];
        if (b->buffer.length != len[parts[i]].buffer.length)
            fail("gss_wrap_iov: buffer type %u has %zu bytes, "
                 "gss_wrap_iov_length said %zu",
                 (unsigned)GSS_IOV_BUFFER_TYPE(b->type), b->buffer.length,
                 len[parts[i]].buffer.length);
        if (b->buffer.length > 0 &&
            !(b->type & GSS_IOV_BUFFER_FLAG_ALLOCATED))
            fail("gss_wrap_iov: buffer type %u not flagged ALLOCATED",
                 (unsigned)GSS_IOV_BUFFER_TYPE(b->type));
    }
    check_wrapped_data(m, iov[SD].buffer.value, iov[SD].buffer.length);
    check_msg("gss_wrap_iov", "SIGN_ONLY", iov[SA].buffer.value,
              iov[SA].buffer.length, m->alen, m->aseed);
}

/* Frames: HEADER, DATA, PADDING, TRAILER, SIGN_ONLY (all empty when the
 * wrap failed). */
static void
split_send(int fd, gss_ctx_id_t ctx, const struct msg *m)
{
    gss_buffer_desc data = {m->n, make_msg(m->n, m->seed)};
    gss_buffer_desc assoc = {m->alen, make_msg(m->alen, m->aseed)};
    gss_iov_buffer_desc iov[5], len[5];
    static const int order[] = {SH, SD, SP, ST, SA};
    OM_uint32 maj, min;
    int state = -1, have_len, ok;

    split_layout(len, &assoc, &data, 0);
    maj = gss_wrap_iov_length(&min, ctx, m->conf, GSS_C_QOP_DEFAULT, &state,
                              len, 5);
    have_len = maj == GSS_S_COMPLETE;
    if (!have_len)
        fail("gss_wrap_iov_length: %s", status_str(maj, min));
    split_layout(iov, &assoc, &data, ALLOC);
    maj = gss_wrap_iov(&min, ctx, m->conf, GSS_C_QOP_DEFAULT, &state, iov, 5);
    ok = maj == GSS_S_COMPLETE;
    if (!ok)
        fail("gss_wrap_iov(%zu bytes, conf=%d): %s", m->n, m->conf,
             status_str(maj, min));
    else
        split_check_sent(m, iov, have_len ? len : NULL, state);
    for (int i = 0; i < 5; i++)
        send_frame(fd, iov[order[i]].buffer.value,
                   ok ? iov[order[i]].buffer.length : 0);
    gss_release_iov_buffer(&min, iov, 5);
    free(data.value);
    free(assoc.value);
}

static void
split_recv(int fd, gss_ctx_id_t ctx, const struct msg *m, const char *what)
{
    gss_buffer_desc f[5];       /* HEADER, DATA, PADDING, TRAILER, assoc */
    gss_iov_buffer_desc iov[5];
    OM_uint32 maj, min;
    gss_qop_t qop = 0xffffffff;
    int state = -1;

    recv_frames(fd, f, 5);
    if (!sender_failed(&f[0], what)) {
        if (m->tamper)
            flip_byte(&f[4]);
        split_layout(iov, &f[4], &f[1], 0);
        iov[SH].buffer = f[0];
        iov[SP].buffer = f[2];
        iov[ST].buffer = f[3];
        maj = gss_unwrap_iov(&min, ctx, &state, &qop, iov, 5);
        if (m->tamper) {
            check_bad_sig(what, maj, min);
        } else if (maj != GSS_S_COMPLETE) {
            fail("%s: gss_unwrap_iov: %s", what, status_str(maj, min));
        } else {
            check_msg(what, "DATA", iov[SD].buffer.value,
                      iov[SD].buffer.length, m->n, m->seed);
            check_states(what, state, m->conf, qop);
        }
        gss_release_iov_buffer(&min, iov, 5);
    }
    free_frames(f, 5);
}

/* ------------------------------------------------------------ header-only */

/* Frames: HEADER, DATA. */
static void
hdr_send(int fd, gss_ctx_id_t ctx, const struct msg *m)
{
    gss_buffer_desc data = {m->n, make_msg(m->n, m->seed)};
    gss_iov_buffer_desc iov[2], len[2];
    OM_uint32 maj, min;
    int state = -1, ok;

    set_iov(&len[0], GSS_IOV_BUFFER_TYPE_HEADER, NULL, 0);
    set_iov(&len[1], GSS_IOV_BUFFER_TYPE_DATA, data.value, data.length);
    maj = gss_wrap_iov_length(&min, ctx, m->conf, GSS_C_QOP_DEFAULT, &state,
                              len, 2);
    if (maj != GSS_S_COMPLETE)
        fail("gss_wrap_iov_length(HEADER|DATA): %s", status_str(maj, min));
    iov[0] = len[0];
    iov[0].type |= ALLOC;
    iov[1] = len[1];
    maj = gss_wrap_iov(&min, ctx, m->conf, GSS_C_QOP_DEFAULT, &state, iov, 2);
    ok = maj == GSS_S_COMPLETE;
    if (!ok) {
        fail("gss_wrap_iov(HEADER|DATA, %zu bytes, conf=%d): %s", m->n,
             m->conf, status_str(maj, min));
    } else {
        const unsigned char *h = iov[0].buffer.value;
        if (iov[0].buffer.length != len[0].buffer.length)
            fail("gss_wrap_iov: HEADER of %zu bytes, the length call said "
                 "%zu", iov[0].buffer.length, len[0].buffer.length);
        if (iov[0].buffer.length < 16 || (h[6] == 0 && h[7] == 0))
            fail("gss_wrap_iov without a TRAILER: RRC is 0");
        if (state != m->conf)
            fail("gss_wrap_iov(conf=%d) conf_state %d", m->conf, state);
        check_wrapped_data(m, iov[1].buffer.value, iov[1].buffer.length);
    }
    send_frame(fd, iov[0].buffer.value, ok ? iov[0].buffer.length : 0);
    send_frame(fd, iov[1].buffer.value, ok ? iov[1].buffer.length : 0);
    gss_release_iov_buffer(&min, iov, 2);
    free(data.value);
}

/* Takes the rotated token as HEADER|DATA (alt 0) or whole (alt 1). */
static void
hdr_recv(int fd, gss_ctx_id_t ctx, const struct msg *m, const char *what)
{
    gss_buffer_desc f[2], whole, out = {0, NULL};
    gss_iov_buffer_desc iov[2];
    OM_uint32 maj, min;
    gss_qop_t qop = 0xffffffff;
    int state = -1;

    recv_frames(fd, f, 2);
    if (!sender_failed(&f[0], what)) {
        set_iov(&iov[0], GSS_IOV_BUFFER_TYPE_HEADER, f[0].value, f[0].length);
        set_iov(&iov[1], GSS_IOV_BUFFER_TYPE_DATA, f[1].value, f[1].length);
        if (m->alt) {
            whole = concat2(&f[0], &f[1]);
            maj = gss_unwrap(&min, ctx, &whole, &out, &state, &qop);
            free(whole.value);
        } else {
            maj = gss_unwrap_iov(&min, ctx, &state, &qop, iov, 2);
            out = iov[1].buffer;
        }
        if (maj != GSS_S_COMPLETE) {
            fail("%s: %s: %s", what, m->alt ? "gss_unwrap" : "gss_unwrap_iov",
                 status_str(maj, min));
        } else {
            check_msg(what, "the message", out.value, out.length, m->n,
                      m->seed);
            check_states(what, state, m->conf, qop);
        }
        if (m->alt)
            gss_release_buffer(&min, &out);
        else
            gss_release_iov_buffer(&min, iov, 2);
    }
    free_frames(f, 2);
}

/* ------------------------------------------------------------ iov-stream */

/* Frame: the gss_wrap token. */
static void
wrap_send(int fd, gss_ctx_id_t ctx, const struct msg *m)
{
    gss_buffer_desc in = {m->n, make_msg(m->n, m->seed)}, out = {0, NULL};
    OM_uint32 maj, min;
    int state = -1;

    maj = gss_wrap(&min, ctx, m->conf, GSS_C_QOP_DEFAULT, &in, &state, &out);
    if (maj != GSS_S_COMPLETE)
        fail("gss_wrap(%zu bytes, conf=%d): %s", m->n, m->conf,
             status_str(maj, min));
    else if (state != m->conf)
        fail("gss_wrap(conf=%d) conf_state %d", m->conf, state);
    send_frame(fd, out.value, maj == GSS_S_COMPLETE ? out.length : 0);
    gss_release_buffer(&min, &out);
    free(in.value);
}

/* Heimdal's gss_unwrap_iov wants a HEADER: gss_unwrap instead. */
static OM_uint32
stream_fallback(gss_ctx_id_t ctx, gss_buffer_desc *tok, OM_uint32 maj,
                OM_uint32 *min, gss_buffer_desc *out, int *state,
                gss_qop_t *qop, const char *what)
{
    quirk_note("heimdal-no-iov-stream", "%s: gss_unwrap_iov(STREAM|DATA): "
               "%s; gss_unwrap instead", what, status_str(maj, *min));
    return gss_unwrap(min, ctx, tok, out, state, qop);
}

static void
stream_recv(int fd, gss_ctx_id_t ctx, const struct msg *m, const char *what)
{
    gss_buffer_desc tok, out = {0, NULL};
    gss_iov_buffer_desc iov[2];
    OM_uint32 maj, min;
    gss_qop_t qop = 0xffffffff;
    int state = -1, fell_back = 0;

    recv_frame(fd, &tok);
    if (!sender_failed(&tok, what)) {
        set_iov(&iov[0], GSS_IOV_BUFFER_TYPE_STREAM, tok.value, tok.length);
        set_iov(&iov[1], GSS_IOV_BUFFER_TYPE_DATA, NULL, 0);
        maj = gss_unwrap_iov(&min, ctx, &state, &qop, iov, 2);
        out = iov[1].buffer;
        if (GSS_ERROR(maj) && quirk("heimdal-no-iov-stream")) {
            maj = stream_fallback(ctx, &tok, maj, &min, &out, &state, &qop,
                                  what);
            fell_back = 1;
        }
        if (maj != GSS_S_COMPLETE) {
            fail("%s: gss_unwrap_iov(STREAM|DATA): %s", what,
                 status_str(maj, min));
        } else {
            check_msg(what, "DATA", out.value, out.length, m->n, m->seed);
            check_states(what, state, m->conf, qop);
        }
        if (fell_back)
            gss_release_buffer(&min, &out);
        gss_release_iov_buffer(&min, iov, 2);
    }
    free_frame(&tok);
}

/* ------------------------------------------------------------ the driver */

static const struct iov_kind {
    const char *name;
    int confs;      /* 2: conf=1 messages, 1: conf=0, 3: both, 0: MIC */
    int alts;       /* receiver variants per size and conf (struct msg) */
    int tamper;     /* ends with an altered SIGN_ONLY and one token after */
    msg_send_fn *send;
    msg_recv_fn *recv;
} kinds[] = {
    [IOV_SPLIT] = {"iov-split", 2, 1, 1, split_send, split_recv},
    [IOV_INTEG] = {"iov-integ", 1, 1, 1, split_send, split_recv},
    [IOV_HEADER_ONLY] = {"iov-header-only", 3, 2, 0, hdr_send, hdr_recv},
    [IOV_STREAM] = {"iov-stream", 3, 1, 0, wrap_send, stream_recv},
    [IOV_AEAD] = {"aead", 3, 1, 1, aead_send, aead_recv},
    [IOV_MIC] = {"mic-iov", 0, 2, 1, mic_send, mic_recv},
};

static void
one_msg(int fd, gss_ctx_id_t ctx, int sending, unsigned dir,
        const struct iov_kind *k, const struct msg *m)
{
    char what[128], conf[24] = "";

    if (sending) {
        k->send(fd, ctx, m);
        return;
    }
    if (m->conf >= 0)
        snprintf(conf, sizeof(conf), ", conf=%d", m->conf);
    snprintf(what, sizeof(what), "dir %u %s %zu bytes, %zu assoc%s%s%s", dir,
             k->name, m->n, m->alen, conf, m->alt ? ", alt" : "",
             m->tamper ? ", altered assoc" : "");
    k->recv(fd, ctx, m, what);
}

/* The plain wrap token after a refused one: the refused token's sequence
 * number was never accepted, so GSS_S_GAP_TOKEN (with the message) is as
 * right as GSS_S_COMPLETE (Heimdal, which counts it before the check). */
static void
after_recv(int fd, gss_ctx_id_t ctx, const struct msg *m, const char *what)
{
    gss_buffer_desc tok, out = {0, NULL};
    OM_uint32 maj, min;
    gss_qop_t qop = 0xffffffff;
    int state = -1;

    recv_frame(fd, &tok);
    if (!sender_failed(&tok, what)) {
        maj = gss_unwrap(&min, ctx, &tok, &out, &state, &qop);
        if (maj != GSS_S_COMPLETE && maj != GSS_S_GAP_TOKEN)
            fail("%s: gss_unwrap: %s, want GSS_S_COMPLETE or "
                 "GSS_S_GAP_TOKEN", what, status_str(maj, min));
        else if (maj == GSS_S_GAP_TOKEN && out.length == 0 &&
                 quirk("heimdal-unwrap-seq-no-message"))
            quirk_note("heimdal-unwrap-seq-no-message",
                       "%s: GSS_S_GAP_TOKEN with no message", what);
        else if (check_msg(what, "the message", out.value, out.length, m->n,
                           m->seed)) {
            note("%s: %s", what, status_str(maj, min));
            check_states(what, state, 1, qop);
        }
        gss_release_buffer(&min, &out);
    }
    free_frame(&tok);
}

static void
tamper_and_after(int fd, gss_ctx_id_t ctx, int sending, unsigned dir,
                 const struct iov_kind *k)
{
    struct msg m = {100, 20, dir * 1000 + 900, dir * 1000 + 901,
                    k->confs == 0 ? -1 : (k->confs & 2) ? 1 : 0, 0, 1};
    char what[96];

    one_msg(fd, ctx, sending, dir, k, &m);
    m.seed = dir * 1000 + 950;
    m.conf = 1;
    m.tamper = 0;
    if (sending) {
        wrap_send(fd, ctx, &m);
        return;
    }
    snprintf(what, sizeof(what), "dir %u %s: the wrap token after the "
             "refused one", dir, k->name);
    after_recv(fd, ctx, &m, what);
}

/* conf is 1, 0, or -1 for a MIC (no confidentiality choice). */
static int
conf_wanted(const struct iov_kind *k, int conf)
{
    if (conf < 0)
        return k->confs == 0;
    return (k->confs & (conf ? 2 : 1)) != 0;
}

void
iov_exchange(int fd, gss_ctx_id_t ctx, int sending, unsigned dir,
             enum peer_iov kind)
{
    const struct iov_kind *k;

    if (kind <= IOV_NONE || kind > IOV_MIC)
        die("iov_exchange: no scenario kind %d", (int)kind);
    k = &kinds[kind];
    for (size_t i = 0; i < n_msg_sizes; i++) {
        for (int conf = 1; conf >= -1; conf--) {
            if (!conf_wanted(k, conf))
                continue;
            for (int alt = 0; alt < k->alts; alt++) {
                unsigned seed = dir * 1000 + 100 +
                                ((unsigned)i * 6 + (unsigned)(conf + 1) * 2 +
                                 (unsigned)alt) * 2;
                struct msg m = {msg_sizes[i], (i * 13) % 40, seed, seed + 1,
                                conf, alt, 0};
                one_msg(fd, ctx, sending, dir, k, &m);
            }
        }
    }
    if (k->tamper)
        tamper_and_after(fd, ctx, sending, dir, k);
}
