/*
 * spnego.h - the SPNEGO pseudo-mechanism (RFC 4178): negotiates one of the
 * concrete mechanisms and then hands everything to it.
 *
 * SPNEGO owns no keys.  Its context holds the negotiation state and the
 * chosen mechanism's context; its names and credentials wrap the concrete
 * mechanisms' ones.  Per-message calls forward to the chosen mechanism.
 */
#ifndef BATON_MECH_SPNEGO_SPNEGO_H_
#define BATON_MECH_SPNEGO_SPNEGO_H_

#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>

#include "mech/mech.h"
#include "mech/spnego/negtoken.h"
#include "util/compiler.h"

extern const struct bt_mech bt_spnego_mech;

/* Concrete mechanisms SPNEGO can negotiate (every built-in but itself). */
#define SPN_MAX_INNER 4

/* A name: either an imported text (negotiated later into whichever
 * mechanism is chosen) or another mechanism's MN. */
struct spn_name {
    gss_buffer_desc text;           /* owned; empty for an MN */
    gss_OID_desc type;              /* owned copy; length 0: none */
    const struct bt_mech *mech;     /* non-NULL: mname is this mech's MN */
    void *mname;
};

/* A credential: the concrete mechanisms' credentials, and the list set by
 * gss_set_neg_mechs (static OIDs; until it is set: every inner
 * mechanism). */
struct spn_cred {
    pthread_mutex_t lock;           /* guards neg_set, neg, n_neg */
    gss_cred_usage_t usage;
    bool borrowed;                  /* mcred[] belong to someone else */
    size_t n;
    const struct bt_mech *mech[SPN_MAX_INNER];
    void *mcred[SPN_MAX_INNER];
    bool neg_set;
    size_t n_neg;
    const gss_OID_desc *neg[BT_NEG_MAX_MECHS];
};

/* Where a negotiation stands. */
enum spn_phase {
    SPN_INIT_START = 0,     /* initiator, nothing sent */
    SPN_NEGOTIATING = 1,    /* a token is out; waiting for the peer's */
    SPN_DONE = 2            /* complete: per-message calls allowed */
};

/* A context.  mech_list is the DER MechTypeList the initiator sent (the
 * bytes both mechListMICs cover). */
struct spn_ctx {
    bool initiator;
    uint8_t phase;                  /* enum spn_phase */
    bool chosen;                    /* the mechanism is agreed */
    bool inner_open;                /* the mechanism's context is complete */
    bool mic_reqd;                  /* RFC 4178 5: MICs must be exchanged */
    bool mic_sent, mic_rcvd;
    bool peer_complete;             /* initiator: acceptor said completed */
    const struct bt_mech *mech;     /* proposed, then chosen mechanism */
    const gss_OID_desc *wire_oid;   /* its OID as named on the wire */
    void *mctx;                     /* the mechanism's context, or NULL */
    OM_uint32 flags;                /* the mechanism's last ret_flags */
    /* Acceptor: a delegated credential the mechanism produced before the
     * MIC exchange ended, handed out with completion (not transferred). */
    void *deleg;
    uint8_t *mech_list;
    size_t mech_list_len;
};

/* ---- names and credentials (spnego_cred.c) ---- */
OM_uint32 bt_spn_import_name(OM_uint32 *minor, const gss_buffer_desc *text,
                             const gss_OID_desc *type, void **out);
OM_uint32 bt_spn_import_mech_name(OM_uint32 *minor,
                                  const struct bt_mech *other,
                                  const void *other_mname, void **out);
OM_uint32 bt_spn_duplicate_name(OM_uint32 *minor, const void *mname,
                                void **out);
void bt_spn_release_name(void *mname);
OM_uint32 bt_spn_display_name(OM_uint32 *minor, const void *mname,
                              gss_buffer_t out, gss_OID *type_out);
OM_uint32 bt_spn_compare_name(OM_uint32 *minor, const void *a, const void *b,
                              int *equal_out);
OM_uint32 bt_spn_localname(OM_uint32 *minor, const void *mname,
                           gss_buffer_t out);

/* An MN of mech for the name (a copy the caller releases with
 * mech->release_name). */
BT_MUST_CHECK OM_uint32 bt_spn_name_for(OM_uint32 *minor,
                                        const struct spn_name *name,
                                        const struct bt_mech *mech,
                                        void **out);

OM_uint32 bt_spn_acquire_cred(OM_uint32 *minor, const void *mname,
                              OM_uint32 time_req, gss_cred_usage_t usage,
                              const struct bt_cred_args *args, void **out,
                              OM_uint32 *time_rec);
OM_uint32 bt_spn_inquire_cred(OM_uint32 *minor, const void *mcred,
                              void **mname_out, OM_uint32 *init_life,
                              OM_uint32 *accept_life, gss_cred_usage_t *usage);
void bt_spn_release_cred(void *mcred);
OM_uint32 bt_spn_borrow_creds(OM_uint32 *minor, size_t n,
                              const struct bt_mech *const *mechs,
                              void *const *mcreds, void **out);
OM_uint32 bt_spn_set_neg_mechs(OM_uint32 *minor, void *mcred,
                               const gss_OID_set_desc *mechs);
OM_uint32 bt_spn_get_neg_mechs(OM_uint32 *minor, void *mcred,
                               gss_OID_set *out);

/* The concrete mechanisms SPNEGO negotiates, in preference order. */
size_t bt_spn_inner_mechs(const struct bt_mech **out, size_t max);

/* The mechanisms this side offers (initiator) or accepts (acceptor) with
 * cred (NULL: the default), as static OIDs in order; returns the count. */
size_t bt_spn_allowed(struct spn_cred *cred,
                      const gss_OID_desc **out, size_t max);

/* True if an offered OID matches an allowed one: equal, or Microsoft's
 * Kerberos OID offered where standard Kerberos is allowed (Windows offers
 * it first; MIT and Windows acceptors take it as Kerberos).  Aliases are
 * otherwise distinct choices, as in MIT. */
bool bt_spn_oid_matches(const gss_OID_desc *offered,
                        const gss_OID_desc *allowed);

/* cred's credential for mech, or NULL (use the mechanism's default). */
void *bt_spn_cred_for(const struct spn_cred *cred, const struct bt_mech *mech);

/* ---- establishment (spnego_init.c, spnego_accept.c, spnego_ctx.c) ---- */
OM_uint32 bt_spn_init_sec_context(OM_uint32 *minor, void *mcred, void **mctx,
                                  const void *target, OM_uint32 req_flags,
                                  OM_uint32 time_req,
                                  gss_channel_bindings_t bindings,
                                  const gss_buffer_desc *input,
                                  gss_buffer_t output, OM_uint32 *ret_flags,
                                  OM_uint32 *time_rec);
OM_uint32 bt_spn_accept_sec_context(OM_uint32 *minor, void *mcred,
                                    void **mctx, const gss_buffer_desc *input,
                                    gss_channel_bindings_t bindings,
                                    void **src_out, gss_buffer_t output,
                                    OM_uint32 *ret_flags, OM_uint32 *time_rec,
                                    void **deleg_out);

/* A new, empty context for one side. */
BT_MUST_CHECK OM_uint32 bt_spn_ctx_new(OM_uint32 *minor, bool initiator,
                                       struct spn_ctx **out);
void bt_spn_delete_sec_context(void *mctx);

/*
 * RFC 4178 section 5 for one received token, after the mechanism's step:
 * verifies mic_in (may be NULL) over the mechanism list and makes this
 * side's MIC into *mic_out (empty if none is due).  Returns COMPLETE when
 * both MICs are done or none is needed and *peer_done, CONTINUE_NEEDED
 * while a MIC is still owed, or an error.
 */
BT_MUST_CHECK OM_uint32 bt_spn_handle_mic(OM_uint32 *minor,
                                          struct spn_ctx *sc,
                                          const struct bt_neg_view *mic_in,
                                          bool sending_mech_token,
                                          gss_buffer_t mic_out);

/* The GSS flags SPNEGO reports for sc (the mechanism's, with
 * GSS_C_PROT_READY_FLAG only once the negotiation is complete and
 * GSS_C_TRANS_FLAG when the state can be exported). */
OM_uint32 bt_spn_flags(const struct spn_ctx *sc);

/* ---- transfer (spnego_serialize.c) ---- */
OM_uint32 bt_spn_export_sec_context(OM_uint32 *minor, void *mctx,
                                    gss_buffer_t out);
OM_uint32 bt_spn_import_sec_context(OM_uint32 *minor, const void *data,
                                    size_t len, void **mctx_out);

#endif /* BATON_MECH_SPNEGO_SPNEGO_H_ */
