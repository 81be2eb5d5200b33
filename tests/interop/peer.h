/*
 * peer.h - what the interop peer's files share: reporting, framing, test
 * messages (peer_util.c), the IOV/AEAD scenarios (peer_iov.c) and the PRF
 * scenario (peer_prf.c).  The program and its options are described in
 * peer.c.
 */
#ifndef BATON_INTEROP_PEER_H_
#define BATON_INTEROP_PEER_H_

#include <stddef.h>

#include <gssapi/gssapi.h>

#ifndef PEER_IMPL
#error "define PEER_IMPL (\"mit\", \"baton\" or \"heimdal\")"
#endif
/* Heimdal's gssapi.h, and no other, defines GSSAPI_LIB_FUNCTION: the
 * Heimdal build must not pick up MIT's or Baton's header by accident. */
#if defined(PEER_HEIMDAL_HEADERS) && !defined(GSSAPI_LIB_FUNCTION)
#error "the Heimdal peer must be compiled with Heimdal's gssapi.h (pkg-config --cflags heimdal-gssapi)"
#endif

#if defined(__GNUC__)
#define PEER_PRINTF(f, a) __attribute__((format(printf, f, a)))
#define PEER_NORETURN __attribute__((noreturn))
#else
#define PEER_PRINTF(f, a)
#define PEER_NORETURN
#endif

/* This process's role ("init", "acc", "svc2"), for the messages. */
extern const char *role;
/* Failed checks so far; the exit status is 1 when non-zero. */
extern int failures;

/* The message sizes every per-message scenario goes through. */
extern const size_t msg_sizes[];
extern const size_t n_msg_sizes;

/* "# [impl role] ..." on stderr: information only. */
void note(const char *fmt, ...) PEER_PRINTF(1, 2);
/* A failed check: "# [impl role] FAIL: ..." on stderr, counted. */
void fail(const char *fmt, ...) PEER_PRINTF(1, 2);
/* A set-up or I/O failure: "... FATAL: ..." and exit status 2. */
void die(const char *fmt, ...) PEER_PRINTF(1, 2) PEER_NORETURN;
/* "major 0x... (text) minor N (text)", in a static buffer. */
const char *status_str(OM_uint32 major, OM_uint32 minor);
/* The minor status's gss_display_status text alone, in a static buffer. */
const char *minor_text(OM_uint32 minor);
/* Does hay contain needle, ignoring ASCII case? */
int contains_ci(const char *hay, const char *needle);
/* Is the deviation NAME listed in PEER_QUIRKS (see peer.c)? */
int quirk(const char *name);
/* A tolerated deviation: "# [impl role] QUIRK name: ...", not counted. */
void quirk_note(const char *name, const char *fmt, ...) PEER_PRINTF(2, 3);
/* The names of the GSS_C_*_FLAG bits in f (one of four static buffers). */
const char *flags_str(OM_uint32 f);

/* One frame: a 4-byte big-endian length, then the bytes.  Dies on I/O
 * errors. */
void send_frame(int fd, const void *p, size_t n);
/* 1 and a malloc'ed frame in *out (free_frame it), or 0 if the peer closed
 * the connection before the frame's first byte. */
int recv_frame_opt(int fd, gss_buffer_desc *out);
/* The same, dying if the peer closed. */
void recv_frame(int fd, gss_buffer_desc *out);
void free_frame(gss_buffer_desc *b);

/* getenv(name), or dflt when unset or empty. */
const char *env_or(const char *name, const char *dflt);
/* gss_import_name or die; the caller releases the name. */
gss_name_t import_name(const char *s, gss_OID type);
/* gss_display_name in a static buffer (two in turn). */
const char *name_str(gss_name_t n);
int oid_eq(gss_const_OID a, gss_const_OID b);
/* n deterministic bytes for seed (malloc'ed, never NULL; the caller frees):
 * both sides compute the same message for the same (n, seed). */
unsigned char *make_msg(size_t n, unsigned seed);
/* *dst = a malloc'ed copy of *src (an empty buffer stays empty). */
void copy_out(gss_buffer_desc *dst, const gss_buffer_desc *src);

/* The IOV and AEAD scenarios (peer_iov.c): each exchanges its own layout
 * in one direction, sender or receiver, on an established context. */
enum peer_iov {
    IOV_NONE = 0,
    IOV_SPLIT,        /* wrap_iov conf HEADER|SIGN_ONLY|DATA|PADDING|TRAILER */
    IOV_INTEG,        /* the same layout, integrity only */
    IOV_HEADER_ONLY,  /* HEADER|DATA: the rotated token (RRC != 0) */
    IOV_STREAM,       /* gss_wrap -> unwrap_iov STREAM|DATA */
    IOV_AEAD,         /* gss_wrap_aead -> gss_unwrap_aead */
    IOV_MIC           /* get_mic_iov DATA|SIGN_ONLY|MIC_TOKEN -> verify */
};

/* Runs scenario kind in direction dir (0: initiator to acceptor) on fd;
 * sending says which end this process is.  Failed checks are counted. */
void iov_exchange(int fd, gss_ctx_id_t ctx, int sending, unsigned dir,
                  enum peer_iov kind);

/* The prf scenario (peer_prf.c): gss_pseudo_random with both keys over a
 * few inputs and output lengths on an established context; the initiator
 * (sending) sends its outputs, the acceptor compares them with its own.
 * Failed checks are counted. */
void prf_exchange(int fd, gss_ctx_id_t ctx, int sending);

#endif /* BATON_INTEROP_PEER_H_ */
