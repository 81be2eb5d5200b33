/*
 * peer_iov.h - what the IOV scenario files share: peer_iov.c (the driver,
 * iov-split, iov-integ, iov-header-only, iov-stream, and these helpers)
 * and peer_aead.c (aead, mic-iov).
 */
#ifndef BATON_INTEROP_PEER_IOV_H_
#define BATON_INTEROP_PEER_IOV_H_

#include "peer.h"

#ifndef PEER_HEIMDAL_HEADERS
#include <gssapi/gssapi_ext.h>   /* MIT's and Baton's IOV declarations */
#endif

/* Heimdal 7.8's gssapi.h has neither MIC_TOKEN buffers nor the MIC IOV
 * calls (gss_get_mic_iov, _length, gss_verify_mic_iov). */
#ifdef GSS_IOV_BUFFER_TYPE_MIC_TOKEN
#define HAVE_MIC_IOV 1
#else
#define HAVE_MIC_IOV 0
#endif

#define ALLOC GSS_IOV_BUFFER_FLAG_ALLOCATE

/* One message of a scenario: payload and associated data (make_msg's, for
 * these sizes and seeds), confidentiality, the receiver's variant, and
 * whether the receiver alters the associated data. */
struct msg {
    size_t n, alen;
    unsigned seed, aseed;
    int conf;
    int alt;        /* header-only: plain gss_unwrap; mic-iov: verify_mic */
    int tamper;
};

/* One side of one message: the sender makes the token and sends its
 * frames (empty ones if its call failed); the receiver checks them. */
typedef void msg_send_fn(int fd, gss_ctx_id_t ctx, const struct msg *m);
typedef void msg_recv_fn(int fd, gss_ctx_id_t ctx, const struct msg *m,
                         const char *what);

msg_send_fn aead_send, mic_send;
msg_recv_fn aead_recv, mic_recv;

void set_iov(gss_iov_buffer_desc *b, OM_uint32 type, void *p, size_t n);
/* Are the len bytes at p message (n, seed)?  A failed check if not. */
int check_msg(const char *what, const char *part, const void *p, size_t len,
              size_t n, unsigned seed);
/* conf_state (unless conf < 0) and qop_state of a successful call. */
void check_states(const char *what, int state, int conf, gss_qop_t qop);
/* DATA after an in-place wrap: ciphertext with conf, the message without. */
void check_wrapped_data(const struct msg *m, const void *p, size_t len);
/* maj is GSS_S_BAD_SIG (or a tolerated Heimdal GSS_S_FAILURE). */
void check_bad_sig(const char *what, OM_uint32 maj, OM_uint32 min);
/* a||b, malloc'ed (the caller frees .value). */
gss_buffer_desc concat2(const gss_buffer_desc *a, const gss_buffer_desc *b);
void recv_frames(int fd, gss_buffer_desc *f, int k);
void free_frames(gss_buffer_desc *f, int k);
/* 1 (and a failed check) if frame f is empty: the sender's call failed. */
int sender_failed(const gss_buffer_desc *f, const char *what);
/* Alters one byte of b (none if b is empty). */
void flip_byte(gss_buffer_desc *b);

#endif /* BATON_INTEROP_PEER_IOV_H_ */
