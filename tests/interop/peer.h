/*
 * peer.h - what the interop peer's files share: reporting, framing, test
 * messages (peer_util.c), establishment (peer_est.c), the SPNEGO parts
 * (peer_spnego.c: credentials, expectations, export of a partial context;
 * peer_neg.c: reading negotiation tokens), the RFC 2743 message scenarios
 * (peer_msg.c), the IOV/AEAD scenarios (peer_iov.c) and the PRF scenario
 * (peer_prf.c).  The program, its options and scenarios are described in
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

/* Writes all n bytes (retrying EINTR); dies on failure. */
void write_all(int fd, const void *p, size_t n);
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

/* ------------------------------------------------------------ mechanisms */

/* The mechanism gss_init_sec_context and the acceptor's credential are
 * given (--mech): Kerberos directly, or Kerberos through SPNEGO. */
enum peer_mech { MECH_KRB5, MECH_SPNEGO };
extern enum peer_mech mech;

extern gss_OID_desc krb5_oid_desc;     /* 1.2.840.113554.1.2.2 */
extern gss_OID_desc mskrb5_oid_desc;   /* 1.2.840.48018.1.2.2, Microsoft's */
extern gss_OID_desc spnego_oid_desc;   /* 1.3.6.1.5.5.2 */

/* What a mech_type output parameter is set to before the call: still
 * this after it, the call did not write it ("(not written)"). */
extern gss_OID_desc unwritten_oid;
/* "krb5 (1.2.840.113554.1.2.2)" (one of four static buffers). */
const char *oid_name(gss_const_OID o);

/* ------------------------------------------------------------ scenarios */

/* Which per-message tokens a scenario exchanges (exchange_all). */
#define M_CONF 1   /* gss_wrap with confidentiality */
#define M_INTEG 2  /* gss_wrap integrity only */
#define M_MIC 4    /* gss_get_mic */

/* A SPNEGO credential's negotiable mechanisms (gss_set_neg_mechs). */
enum peer_neg {
    NEG_DEFAULT = 0,   /* no credential: the implementation's default */
    NEG_KRB5,          /* {krb5} */
    NEG_MS_FIRST,      /* {ms-krb5, krb5} */
    NEG_MS_ONLY        /* {ms-krb5} alone: no match for an offer of krb5 */
};

struct scenario {
    const char *name;
    OM_uint32 req_flags;    /* initiator's request */
    int cb_init, cb_acc;    /* channel bindings: 0 none, 1 A, 2 B, 3 addr */
    int expect_fail;        /* establishment must fail */
    int msgs;               /* M_* for exchange_all, 0: other exchanges */
    enum peer_iov iov;      /* IOV_* for iov_exchange (peer_iov.c) */
    int spnego_only;        /* only with --mech spnego */
    enum peer_neg neg_init, neg_acc;
    int acc_no_cred;        /* the acceptor passes GSS_C_NO_CREDENTIAL */
};

/* The scenario this process runs. */
extern const struct scenario *scen;

/* ------------------------------------------------------------ establishment */

struct est {
    OM_uint32 major, minor;
    OM_uint32 flags;
    OM_uint32 time_rec;
    gss_ctx_id_t ctx;
    gss_name_t peer;           /* acceptor: the initiator's name */
    gss_cred_id_t deleg;       /* acceptor: delegated credential */
    /* actual_mech_type (initiator) or mech_type (acceptor) of the last
     * step that returned one, copied. */
    gss_OID_desc mech;
    unsigned char mech_bytes[32];
    gss_buffer_desc first_in;  /* the first context token received (copy) */
    gss_buffer_desc first_out; /* the first non-empty output token (copy) */
    gss_buffer_desc last_out;  /* the last output token (copy) */
    int peer_closed;           /* initiator: acceptor sent nothing more */
    int steps;
    int n_out;                 /* non-empty tokens produced */
};

gss_channel_bindings_t bindings(int which);
/* Establishes on fd as initiator (resume: a context imported after its
 * first step, see peer_spnego.c) or acceptor; every step is noted. */
void init_context(int fd, gss_cred_id_t cred, const char *target,
                  OM_uint32 req, gss_channel_bindings_t cb,
                  gss_ctx_id_t resume, struct est *e);
void accept_context(int fd, gss_cred_id_t cred, gss_channel_bindings_t cb,
                    gss_ctx_id_t resume, struct est *e);
/* Flag, name and mechanism checks common to every establishment. */
void check_established(const struct est *e, int initiator, OM_uint32 req,
                       const char *want_src, const char *want_targ);
void est_release(struct est *e);

/* ------------------------------------------------------------ SPNEGO */

/* Checks the mechanism "what" reported against what MIT reports:
 * check_mech for a completed call, check_early_mech for an initiator
 * step that returned GSS_S_CONTINUE_NEEDED (peer_spnego.c). */
void check_mech(const char *what, gss_const_OID o);
void check_early_mech(int step, gss_const_OID o);
/* The credential for a side of the scenario: GSS_C_NO_CREDENTIAL or one
 * for the peer's mechanism, with neg's negotiable mechanisms. */
gss_cred_id_t side_cred(gss_name_t name, gss_cred_usage_t usage,
                        enum peer_neg neg);
/* Can this build call gss_set_neg_mechs? */
int have_set_neg_mechs(void);
/* spnego-mslegacy-wire: the initiator's tokens as they go on the wire
 * (*wire: out itself, or a malloc'ed rewrite: 1 returned) and as the
 * library gets the acceptor's (the same for *lib). */
int spnego_outgoing(const struct est *e, const gss_buffer_desc *out,
                    gss_buffer_desc *wire);
int spnego_incoming(const struct est *e, const gss_buffer_desc *in,
                    gss_buffer_desc *lib);
/* The SPNEGO checks of an established or refused context. */
void spnego_checks(const struct est *e, int initiator);
/* spnego-export-partial: export ctx after its first step and go on in a
 * fresh process (exec of this program) that imports it; returns only if
 * export is not wanted here or failed. */
void maybe_export_partial(struct est *e);
/* The context handed over by maybe_export_partial, in the new process. */
extern gss_ctx_id_t resumed_ctx;
extern int resumed_steps;
void resume_from(int fd, int steps, int failed);
/* This program's argv, for the re-exec. */
extern char **peer_argv;

/* Reading SPNEGO tokens (peer_neg.c). */
#define NEG_MAX_MECHS 8
enum { NEG_TOK_NONE = 0, NEG_TOK_INIT, NEG_TOK_RESP };
struct negtok {
    int kind;
    size_t n_mechs;                      /* may exceed NEG_MAX_MECHS */
    gss_buffer_desc mechs[NEG_MAX_MECHS];  /* OID contents */
    int has_req_flags, has_hints;
    int state;                           /* negState, -1 if absent */
    gss_buffer_desc supported;           /* supportedMech's contents */
    gss_buffer_desc token;               /* mechToken / responseToken */
    gss_buffer_desc mic;                 /* mechListMIC */
};
/* 1 if b is a NegTokenInit (framed) or NegTokenResp; views into b.  An
 * absent field has value NULL. */
int neg_parse(const gss_buffer_desc *b, struct negtok *t);
/* The token ID after an RFC 2743 framing and OID (in *oid if not NULL),
 * or -1. */
int token_id(const gss_buffer_desc *t, gss_buffer_desc *oid);
/* The mechanism token inside a SPNEGO token, or t itself. */
void inner_token(const gss_buffer_desc *t, gss_buffer_desc *inner);
/* A framed NegTokenInit with first put before its mechTypes, and a
 * NegTokenResp with supportedMech replaced by to (malloc'ed *out). */
int neg_prepend_mech(const gss_buffer_desc *tok, gss_const_OID first,
                     gss_buffer_desc *out);
int neg_replace_supported(const gss_buffer_desc *tok, gss_const_OID to,
                          gss_buffer_desc *out);
/* One line describing a context token (static buffer). */
const char *tok_describe(const gss_buffer_desc *t);
/* Its hex with PEER_DUMP_TOKENS set. */
void tok_dump(const char *label, const gss_buffer_desc *t);

/* ------------------------------------------------------------ messages */

/* peer_msg.c: the M_* exchanges of every size in direction dir (0:
 * initiator to acceptor); one small wrap each way; replayed and reordered
 * tokens (seq: with GSS_C_SEQUENCE_FLAG). */
void exchange_all(int fd, gss_ctx_id_t ctx, int sending, unsigned dir,
                  int msgs);
void exchange_small(int fd, gss_ctx_id_t ctx, int initiator);
void replay_dir(int fd, gss_ctx_id_t ctx, int sending, unsigned dir, int seq);

#endif /* BATON_INTEROP_PEER_H_ */
