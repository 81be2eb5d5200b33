/*
 * peer_aead.c - the aead and mic-iov scenarios of the interop peer (see
 * peer_iov.c for the list and the driver).
 *
 *   aead     gss_wrap_aead (no associated data is GSS_C_NO_BUFFER on the
 *            sending side, an empty buffer on the receiving one: the same)
 *            -> gss_unwrap_aead with the associated data sent alongside
 *   mic-iov  gss_get_mic_iov over DATA|SIGN_ONLY|MIC_TOKEN (sized by
 *            gss_get_mic_iov_length) -> gss_verify_mic_iov, or (alt) the
 *            same token -> gss_verify_mic over DATA||SIGN_ONLY, which RFC
 *            4121 makes the same checksum
 */
#define _POSIX_C_SOURCE 200809L
#include "peer_iov.h"

#include <stdlib.h>
#include <string.h>

/* ------------------------------------------------------------ aead */

/* Frames: the token, the associated data. */
void
aead_send(int fd, gss_ctx_id_t ctx, const struct msg *m)
{
    gss_buffer_desc in = {m->n, make_msg(m->n, m->seed)};
    gss_buffer_desc assoc = {m->alen, make_msg(m->alen, m->aseed)};
    gss_buffer_desc out = {0, NULL};
    OM_uint32 maj, min;
    int state = -1;

    maj = gss_wrap_aead(&min, ctx, m->conf, GSS_C_QOP_DEFAULT,
                        m->alen > 0 ? &assoc : GSS_C_NO_BUFFER, &in, &state,
                        &out);
    if (maj != GSS_S_COMPLETE)
        fail("gss_wrap_aead(%zu bytes, %zu assoc, conf=%d): %s", m->n,
             m->alen, m->conf, status_str(maj, min));
    else if (state != m->conf)
        fail("gss_wrap_aead(conf=%d) conf_state %d", m->conf, state);
    send_frame(fd, out.value, maj == GSS_S_COMPLETE ? out.length : 0);
    send_frame(fd, assoc.value, assoc.length);
    gss_release_buffer(&min, &out);
    free(in.value);
    free(assoc.value);
}

/*
 * Heimdal's gss_unwrap_aead hands its krb5 mechanism a STREAM buffer, and
 * that mechanism's gss_unwrap_iov takes only a HEADER (quirk
 * heimdal-no-iov-stream).  An AEAD token is HEADER|DATA|PADDING|TRAILER
 * with RRC 0, so the receiver splits it at gss_wrap_iov_length's sizes and
 * calls gss_unwrap_iov with the SIGN_ONLY buffer where the sender had it.
 */
static OM_uint32
aead_fallback(gss_ctx_id_t ctx, gss_buffer_desc f[2], const struct msg *m,
              OM_uint32 *min, gss_buffer_desc *out, int *state,
              gss_qop_t *qop)
{
    unsigned char *p = f[0].value;
    gss_iov_buffer_desc iov[5];
    size_t fixed;
    OM_uint32 maj;

    set_iov(&iov[0], GSS_IOV_BUFFER_TYPE_HEADER, NULL, 0);
    set_iov(&iov[1], GSS_IOV_BUFFER_TYPE_SIGN_ONLY, f[1].value, f[1].length);
    set_iov(&iov[2], GSS_IOV_BUFFER_TYPE_DATA, NULL, m->n);
    set_iov(&iov[3], GSS_IOV_BUFFER_TYPE_PADDING, NULL, 0);
    set_iov(&iov[4], GSS_IOV_BUFFER_TYPE_TRAILER, NULL, 0);
    maj = gss_wrap_iov_length(min, ctx, m->conf, GSS_C_QOP_DEFAULT, NULL,
                              iov, 5);
    if (GSS_ERROR(maj))
        return maj;
    fixed = iov[0].buffer.length + iov[3].buffer.length +
            iov[4].buffer.length;
    if (fixed > f[0].length)
        return GSS_S_DEFECTIVE_TOKEN;
    iov[0].buffer.value = p;
    iov[2].buffer.value = p + iov[0].buffer.length;
    iov[2].buffer.length = f[0].length - fixed;
    iov[3].buffer.value = p + iov[0].buffer.length + iov[2].buffer.length;
    iov[4].buffer.value = p + f[0].length - iov[4].buffer.length;
    maj = gss_unwrap_iov(min, ctx, state, qop, iov, 5);
    if (maj == GSS_S_COMPLETE)
        copy_out(out, &iov[2].buffer);
    return maj;
}

void
aead_recv(int fd, gss_ctx_id_t ctx, const struct msg *m, const char *what)
{
    gss_buffer_desc f[2], out = {0, NULL};    /* token, associated data */
    OM_uint32 maj, min;
    gss_qop_t qop = 0xffffffff;
    int state = -1;

    recv_frames(fd, f, 2);
    if (!sender_failed(&f[0], what)) {
        if (m->tamper)
            flip_byte(&f[1]);
        maj = gss_unwrap_aead(&min, ctx, &f[0], &f[1], &out, &state, &qop);
        if (GSS_ERROR(maj) && quirk("heimdal-no-iov-stream")) {
            quirk_note("heimdal-no-iov-stream", "%s: gss_unwrap_aead: %s; "
                       "gss_unwrap_iov on the token split at "
                       "gss_wrap_iov_length's sizes instead", what,
                       status_str(maj, min));
            maj = aead_fallback(ctx, f, m, &min, &out, &state, &qop);
        }
        if (m->tamper) {
            check_bad_sig(what, maj, min);
        } else if (maj != GSS_S_COMPLETE) {
            fail("%s: gss_unwrap_aead: %s", what, status_str(maj, min));
        } else {
            check_msg(what, "the payload", out.value, out.length, m->n,
                      m->seed);
            check_states(what, state, m->conf, qop);
        }
        gss_release_buffer(&min, &out);
    }
    free_frames(f, 2);
}

/* ------------------------------------------------------------ mic-iov */

#if HAVE_MIC_IOV
/* The MIC of f[0] (DATA) and f[1] (SIGN_ONLY) into f[2] (malloc'ed). */
static OM_uint32
mic_make(gss_ctx_id_t ctx, gss_buffer_desc f[3], OM_uint32 *min)
{
    gss_iov_buffer_desc iov[3];
    OM_uint32 maj, junk;
    size_t want = 0;

    set_iov(&iov[0], GSS_IOV_BUFFER_TYPE_DATA, f[0].value, f[0].length);
    set_iov(&iov[1], GSS_IOV_BUFFER_TYPE_SIGN_ONLY, f[1].value, f[1].length);
    set_iov(&iov[2], GSS_IOV_BUFFER_TYPE_MIC_TOKEN, NULL, 0);
    maj = gss_get_mic_iov_length(min, ctx, GSS_C_QOP_DEFAULT, iov, 3);
    if (maj != GSS_S_COMPLETE)
        fail("gss_get_mic_iov_length: %s", status_str(maj, *min));
    else
        want = iov[2].buffer.length;
    set_iov(&iov[2], GSS_IOV_BUFFER_TYPE_MIC_TOKEN | ALLOC, NULL, 0);
    maj = gss_get_mic_iov(min, ctx, GSS_C_QOP_DEFAULT, iov, 3);
    if (maj == GSS_S_COMPLETE) {
        if (want != 0 && iov[2].buffer.length != want)
            fail("gss_get_mic_iov: a MIC of %zu bytes, the length call "
                 "said %zu", iov[2].buffer.length, want);
        copy_out(&f[2], &iov[2].buffer);
    }
    gss_release_iov_buffer(&junk, iov, 3);
    return maj;
}
#else
static void
no_mic_iov(const char *what, const char *call)
{
    if (quirk("heimdal-no-mic-iov"))
        quirk_note("heimdal-no-mic-iov", "%s: no %s in this library: over "
                   "DATA||SIGN_ONLY instead", what, call);
    else
        fail("%s: no %s in this build", what, call);
}

static OM_uint32
mic_make(gss_ctx_id_t ctx, gss_buffer_desc f[3], OM_uint32 *min)
{
    gss_buffer_desc whole = concat2(&f[0], &f[1]), mic = {0, NULL};
    OM_uint32 maj, junk;

    no_mic_iov("mic-iov sender", "gss_get_mic_iov");
    maj = gss_get_mic(min, ctx, GSS_C_QOP_DEFAULT, &whole, &mic);
    if (maj == GSS_S_COMPLETE)
        copy_out(&f[2], &mic);
    gss_release_buffer(&junk, &mic);
    free(whole.value);
    return maj;
}
#endif

/* Frames: DATA, SIGN_ONLY, the MIC (empty if the sender failed). */
void
mic_send(int fd, gss_ctx_id_t ctx, const struct msg *m)
{
    gss_buffer_desc f[3] = {{m->n, make_msg(m->n, m->seed)},
                            {m->alen, make_msg(m->alen, m->aseed)},
                            {0, NULL}};
    OM_uint32 maj, min;

    maj = mic_make(ctx, f, &min);
    if (maj != GSS_S_COMPLETE)
        fail("gss_get_mic_iov(%zu bytes, %zu assoc): %s", m->n, m->alen,
             status_str(maj, min));
    for (int i = 0; i < 3; i++)
        send_frame(fd, f[i].value, f[i].length);
    free_frames(f, 3);
}

static OM_uint32
mic_verify(gss_ctx_id_t ctx, gss_buffer_desc f[3], int alt, gss_qop_t *qop,
           OM_uint32 *min, const char *what)
{
    gss_buffer_desc whole;
    OM_uint32 maj;

#if HAVE_MIC_IOV
    if (!alt) {
        gss_iov_buffer_desc iov[3];
        set_iov(&iov[0], GSS_IOV_BUFFER_TYPE_DATA, f[0].value, f[0].length);
        set_iov(&iov[1], GSS_IOV_BUFFER_TYPE_SIGN_ONLY, f[1].value,
                f[1].length);
        set_iov(&iov[2], GSS_IOV_BUFFER_TYPE_MIC_TOKEN, f[2].value,
                f[2].length);
        return gss_verify_mic_iov(min, ctx, qop, iov, 3);
    }
    (void)what;
#else
    if (!alt)
        no_mic_iov(what, "gss_verify_mic_iov");
#endif
    whole = concat2(&f[0], &f[1]);
    maj = gss_verify_mic(min, ctx, &whole, &f[2], qop);
    free(whole.value);
    return maj;
}

void
mic_recv(int fd, gss_ctx_id_t ctx, const struct msg *m, const char *what)
{
    gss_buffer_desc f[3];       /* DATA, SIGN_ONLY, MIC */
    OM_uint32 maj, min;
    gss_qop_t qop = 0xffffffff;

    recv_frames(fd, f, 3);
    if (!sender_failed(&f[2], what)) {
        if (m->tamper)
            flip_byte(&f[1]);
        maj = mic_verify(ctx, f, m->alt, &qop, &min, what);
        if (m->tamper)
            check_bad_sig(what, maj, min);
        else if (maj != GSS_S_COMPLETE)
            fail("%s: %s: %s", what, m->alt ? "gss_verify_mic of "
                 "DATA||SIGN_ONLY" : "gss_verify_mic_iov",
                 status_str(maj, min));
        else
            check_states(what, -1, -1, qop);
        check_msg(what, "DATA", f[0].value, f[0].length, m->n, m->seed);
    }
    free_frames(f, 3);
}
