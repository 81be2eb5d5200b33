/*
 * ctx.h - the Kerberos mechanism's credentials and security contexts
 * (RFC 4121), shared by its establishment, per-message and query code.
 */
#ifndef BATON_MECH_KRB5_CTX_H_
#define BATON_MECH_KRB5_CTX_H_

#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>

#include <krb5.h>

#include "mech/krb5/krb5_mech.h"
#include "crypto/k5fast.h"
#include "mech/krb5/seqstate.h"

/* RFC 4121 section 2: key usage numbers. */
#define KG_USAGE_ACCEPTOR_SEAL  22
#define KG_USAGE_ACCEPTOR_SIGN  23
#define KG_USAGE_INITIATOR_SEAL 24
#define KG_USAGE_INITIATOR_SIGN 25

/* RFC 4121 4.1.1: the authenticator checksum type and its flags. */
#define BT_KRB5_CKSUM_GSS 0x8003

/*
 * A credential: one krb5_context and the opened ccache / keytab, kept for
 * the credential's life instead of being re-read on every call.  The lock
 * serializes use of kctx (a krb5_context is single-threaded).
 */
struct bt_krb5_cred {
    pthread_mutex_t lock;
    krb5_context kctx;
    gss_cred_usage_t usage;
    krb5_principal name;        /* the credential's name (inquire_cred) */
    krb5_principal acceptor;    /* whom we accept as; NULL: any key */
    krb5_ccache ccache;         /* initiator */
    bool own_ccache;            /* a MEMORY ccache we created: destroy it */
    krb5_keytab keytab;         /* acceptor */
    /* The acceptor's replay cache, opened on first accept and kept open.
     * libkrb5 exports no way to close an rcache except freeing an auth
     * context that holds it, so a holder auth context owns it. */
    krb5_auth_context rc_holder;
    krb5_timestamp endtime;     /* initiator TGT end; 0 if unknown */
};

enum bt_krb5_state {
    BT_K5_WAIT_REPLY = 1,       /* initiator sent AP-REQ, wants AP-REP */
    BT_K5_OPEN = 2,             /* established */
};

/* A security context.  Keys are krb5_key objects (reference counted, with
 * their derived keys cached); everything else is small scalars. */
struct bt_krb5_ctx {
    uint8_t state;
    bool initiator;
    bool acceptor_subkey;       /* RFC 4121 AcceptorSubkey flag */
    OM_uint32 flags;            /* GSS flags in force */
    krb5_timestamp endtime;
    krb5_flags ticket_flags;
    krb5_principal initiator_name;  /* NULL after import until needed */
    krb5_principal acceptor_name;
    char *initiator_str;            /* names as imported: moved again */
    char *acceptor_str;             /* without a parse and unparse */
    krb5_key session_key;       /* ticket session key (AP-REP decryption) */
    krb5_key key;               /* the RFC 4121 context key */
    krb5_key init_subkey;       /* initiator subkey (else session key):
                                   RFC 4402 partial PRF, lucid ctx_key */
    krb5_timestamp auth_ctime;  /* our authenticator, matched by AP-REP */
    int32_t auth_cusec;
    uint64_t send_seq;
    struct bt_seqstate recv;
    struct bt_k5fast *fast;     /* OpenSSL per-message crypto, made on first
                                   use; NULL: not yet, or libkrb5's */
    bool fast_unsupported;      /* the enctype is not one k5fast serves */
};

/* A krb5_context for this thread's crypto (per-message tokens): made on
 * first use, freed at thread exit.  NULL with *err set on failure. */
krb5_context bt_krb5_thread_kctx(krb5_error_code *err);

/* The context's initiator (or acceptor) principal, parsed from the string
 * an import left if needed; NULL with *err set on failure. */
krb5_const_principal bt_krb5_ctx_name(krb5_context k, struct bt_krb5_ctx *ctx,
                                      bool initiator, krb5_error_code *err);

/* Frees a context and wipes its keys (krb5_free_key wipes key bytes). */
void bt_krb5_ctx_free(struct bt_krb5_ctx *ctx);

/* Maps a krb5 error to a GSS major status and writes the minor code. */
OM_uint32 bt_krb5_gss_error(OM_uint32 *minor, krb5_error_code code);

/* True for enctypes RFC 4121 serves; RFC 1964 legacy ones are refused. */
bool bt_krb5_enctype_ok(krb5_enctype enctype);

/* True if len is the key length of enctype e (and e is one we serve):
 * keys from the wire or a token are checked with this before use. */
bool bt_krb5_key_length_ok(krb5_enctype e, size_t len);

/* Seconds left until endtime (0 once passed). */
OM_uint32 bt_krb5_time_left(krb5_context kctx, krb5_timestamp endtime);

/* Entry points (cred.c, init.c, accept.c, msg.c, query.c). */
OM_uint32 bt_krb5_acquire_cred(OM_uint32 *minor, const void *mname,
                               OM_uint32 time_req, gss_cred_usage_t usage,
                               const struct bt_cred_args *args,
                               void **mcred_out, OM_uint32 *time_rec);
OM_uint32 bt_krb5_inquire_cred(OM_uint32 *minor, const void *mcred,
                               void **mname_out, OM_uint32 *init_life,
                               OM_uint32 *accept_life, gss_cred_usage_t *usage);
void bt_krb5_release_cred(void *mcred);

OM_uint32 bt_krb5_init_sec_context(OM_uint32 *minor, void *mcred, void **mctx,
                                   const void *target, OM_uint32 req_flags,
                                   OM_uint32 time_req,
                                   gss_channel_bindings_t bindings,
                                   const gss_buffer_desc *input,
                                   gss_buffer_t output, OM_uint32 *ret_flags,
                                   OM_uint32 *time_rec);
OM_uint32 bt_krb5_accept_sec_context(OM_uint32 *minor, void *mcred, void **mctx,
                                     const gss_buffer_desc *input,
                                     gss_channel_bindings_t bindings,
                                     void **src_out, gss_buffer_t output,
                                     OM_uint32 *ret_flags, OM_uint32 *time_rec,
                                     void **deleg_out);
void bt_krb5_delete_sec_context(void *mctx);

OM_uint32 bt_krb5_get_mic(OM_uint32 *minor, void *mctx, gss_qop_t qop,
                          const gss_buffer_desc *msg, gss_buffer_t token);
OM_uint32 bt_krb5_verify_mic(OM_uint32 *minor, void *mctx,
                             const gss_buffer_desc *msg,
                             const gss_buffer_desc *token, gss_qop_t *qop);
OM_uint32 bt_krb5_wrap(OM_uint32 *minor, void *mctx, int conf_req,
                       gss_qop_t qop, const gss_buffer_desc *in,
                       int *conf_state, gss_buffer_t out);
OM_uint32 bt_krb5_unwrap(OM_uint32 *minor, void *mctx,
                         const gss_buffer_desc *in, gss_buffer_t out,
                         int *conf_state, gss_qop_t *qop);
OM_uint32 bt_krb5_wrap_size_limit(OM_uint32 *minor, void *mctx, int conf_req,
                                  gss_qop_t qop, OM_uint32 req_output,
                                  OM_uint32 *max_input);
OM_uint32 bt_krb5_wrap_iov(OM_uint32 *minor, void *mctx, int conf_req,
                           gss_qop_t qop, bool length_only, int *conf_state,
                           gss_iov_buffer_desc *iov, int n);
OM_uint32 bt_krb5_unwrap_iov(OM_uint32 *minor, void *mctx, int *conf_state,
                             gss_qop_t *qop, gss_iov_buffer_desc *iov, int n);
OM_uint32 bt_krb5_get_mic_iov(OM_uint32 *minor, void *mctx, gss_qop_t qop,
                              bool length_only, gss_iov_buffer_desc *iov,
                              int n);
OM_uint32 bt_krb5_verify_mic_iov(OM_uint32 *minor, void *mctx, gss_qop_t *qop,
                                 gss_iov_buffer_desc *iov, int n);

/* credcheck.c: refuses (KRB5_BADMSGTYPE) a KRB-CRED that MIT's
 * krb5_rd_cred up to 1.20 would crash on; 0 if it is safe to hand over.
 * *clear: its enc-part is unencrypted (etype 0). */
krb5_error_code bt_krb5_check_krb_cred(krb5_context k, krb5_auth_context ac,
                                       const krb5_data *msg, bool *clear);

OM_uint32 bt_krb5_context_time(OM_uint32 *minor, void *mctx, OM_uint32 *t);
OM_uint32 bt_krb5_inquire_context(OM_uint32 *minor, void *mctx, void **src,
                                  void **targ, OM_uint32 *lifetime,
                                  OM_uint32 *flags, int *local, int *open);
OM_uint32 bt_krb5_export_sec_context(OM_uint32 *minor, void *mctx,
                                     gss_buffer_t out);
OM_uint32 bt_krb5_import_sec_context(OM_uint32 *minor, const void *data,
                                     size_t len, void **mctx_out);
OM_uint32 bt_krb5_pseudo_random(OM_uint32 *minor, void *mctx, int prf_key,
                                const gss_buffer_desc *in, ssize_t len,
                                gss_buffer_t out);
OM_uint32 bt_krb5_inquire_sec_context_by_oid(OM_uint32 *minor, void *mctx,
                                             const gss_OID_desc *what,
                                             gss_buffer_set_t *out);
OM_uint32 bt_krb5_process_context_token(OM_uint32 *minor, void *mctx,
                                        const gss_buffer_desc *token);

#endif /* BATON_MECH_KRB5_CTX_H_ */
