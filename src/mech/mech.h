/*
 * mech.h - the mechanism interface: what the glue asks of a mechanism.
 *
 * A mechanism is a constant table of entry points, versioned so that the
 * glue refuses a table built against another layout.  Mechanism objects
 * (names, credentials, contexts) are opaque to the glue: it stores the
 * pointers a mechanism returns and hands them back.  Any entry point may be
 * NULL; the glue then answers GSS_S_UNAVAILABLE.  A mechanism never calls the
 * public API.
 *
 * Conventions for every entry point: *minor is written on every return;
 * outputs (the *_out parameters) are written only on success; the glue has
 * already validated handles and pointer arguments.
 */
#ifndef BATON_MECH_MECH_H_
#define BATON_MECH_MECH_H_

#include <stdbool.h>
#include <stddef.h>

#include <gssapi/gssapi.h>
#include <gssapi/gssapi_ext.h>

#define BT_MECH_ABI_VERSION 2

/* Arguments of credential acquisition beyond RFC 2743's. */
struct bt_cred_args {
    const gss_buffer_desc *password;        /* NULL: none */
    gss_const_key_value_set_t store;        /* GSS_C_NO_CRED_STORE: none */
};

struct bt_mech {
    unsigned abi_version;                   /* BT_MECH_ABI_VERSION */
    size_t table_size;                      /* sizeof(struct bt_mech) */
    const char *name;                       /* short name, e.g. "krb5" */
    const char *sasl_name;                  /* RFC 5801, e.g. "GS2-KRB5" */
    const char *description;
    const gss_OID_desc *oid;                /* the mechanism's OID */
    const gss_OID_desc *const *aliases;     /* other OIDs it answers to */
    size_t n_aliases;
    const gss_OID_desc *const *name_types;  /* name types it imports */
    size_t n_name_types;
    const gss_OID_desc *const *attrs;       /* RFC 5587 attributes */
    size_t n_attrs;

    /* ---- names: a mechanism name (MN) is an opaque void * ---- */
    OM_uint32 (*import_name)(OM_uint32 *minor, const gss_buffer_desc *text,
                             const gss_OID_desc *type, void **mname_out);
    /* Imports the mechanism-specific part of an RFC 2743 exported name. */
    OM_uint32 (*import_exported)(OM_uint32 *minor, const void *data,
                                 size_t len, void **mname_out);
    /* Produces the mechanism-specific part of an exported name. */
    OM_uint32 (*export_name)(OM_uint32 *minor, const void *mname,
                             gss_buffer_t out);
    OM_uint32 (*display_name)(OM_uint32 *minor, const void *mname,
                              gss_buffer_t out, gss_OID *type_out);
    OM_uint32 (*compare_name)(OM_uint32 *minor, const void *a, const void *b,
                              int *equal_out);
    OM_uint32 (*duplicate_name)(OM_uint32 *minor, const void *mname,
                                void **copy_out);
    void (*release_name)(void *mname);
    OM_uint32 (*localname)(OM_uint32 *minor, const void *mname,
                           gss_buffer_t out);

    /* ---- credentials ---- */
    OM_uint32 (*acquire_cred)(OM_uint32 *minor, const void *mname,
                              OM_uint32 time_req, gss_cred_usage_t usage,
                              const struct bt_cred_args *args,
                              void **mcred_out, OM_uint32 *time_rec);
    OM_uint32 (*inquire_cred)(OM_uint32 *minor, const void *mcred,
                              void **mname_out, OM_uint32 *init_life,
                              OM_uint32 *accept_life, gss_cred_usage_t *usage);
    void (*release_cred)(void *mcred);

    /* ---- security contexts: *mctx starts NULL and is owned by the mech
     * until delete_sec_context ---- */
    OM_uint32 (*init_sec_context)(OM_uint32 *minor, void *mcred, void **mctx,
                                  const void *target_mname, OM_uint32 req_flags,
                                  OM_uint32 time_req,
                                  gss_channel_bindings_t bindings,
                                  const gss_buffer_desc *input,
                                  gss_buffer_t output, OM_uint32 *ret_flags,
                                  OM_uint32 *time_rec);
    OM_uint32 (*accept_sec_context)(OM_uint32 *minor, void *mcred, void **mctx,
                                    const gss_buffer_desc *input,
                                    gss_channel_bindings_t bindings,
                                    void **src_mname_out, gss_buffer_t output,
                                    OM_uint32 *ret_flags, OM_uint32 *time_rec,
                                    void **deleg_mcred_out);
    void (*delete_sec_context)(void *mctx);
    OM_uint32 (*process_context_token)(OM_uint32 *minor, void *mctx,
                                       const gss_buffer_desc *token);
    OM_uint32 (*context_time)(OM_uint32 *minor, void *mctx, OM_uint32 *time_rec);
    OM_uint32 (*inquire_context)(OM_uint32 *minor, void *mctx,
                                 void **src_mname_out, void **targ_mname_out,
                                 OM_uint32 *lifetime, OM_uint32 *flags,
                                 int *locally_initiated, int *open);

    /* ---- per-message ---- */
    OM_uint32 (*get_mic)(OM_uint32 *minor, void *mctx, gss_qop_t qop,
                         const gss_buffer_desc *msg, gss_buffer_t token);
    OM_uint32 (*verify_mic)(OM_uint32 *minor, void *mctx,
                            const gss_buffer_desc *msg,
                            const gss_buffer_desc *token, gss_qop_t *qop_state);
    OM_uint32 (*wrap)(OM_uint32 *minor, void *mctx, int conf_req, gss_qop_t qop,
                      const gss_buffer_desc *in, int *conf_state,
                      gss_buffer_t out);
    OM_uint32 (*unwrap)(OM_uint32 *minor, void *mctx,
                        const gss_buffer_desc *in, gss_buffer_t out,
                        int *conf_state, gss_qop_t *qop_state);
    OM_uint32 (*wrap_size_limit)(OM_uint32 *minor, void *mctx, int conf_req,
                                 gss_qop_t qop, OM_uint32 req_output_size,
                                 OM_uint32 *max_input);

    /* ---- MIT's IOV calls: the Wrap or MIC token laid out across the
     * caller's buffers (gss_wrap_iov(3)); length_only sets the lengths of
     * the HEADER, TRAILER, PADDING or MIC_TOKEN buffers and nothing else ---- */
    OM_uint32 (*wrap_iov)(OM_uint32 *minor, void *mctx, int conf_req,
                          gss_qop_t qop, bool length_only, int *conf_state,
                          gss_iov_buffer_desc *iov, int n);
    OM_uint32 (*unwrap_iov)(OM_uint32 *minor, void *mctx, int *conf_state,
                            gss_qop_t *qop_state, gss_iov_buffer_desc *iov,
                            int n);
    OM_uint32 (*get_mic_iov)(OM_uint32 *minor, void *mctx, gss_qop_t qop,
                             bool length_only, gss_iov_buffer_desc *iov,
                             int n);
    OM_uint32 (*verify_mic_iov)(OM_uint32 *minor, void *mctx,
                                gss_qop_t *qop_state, gss_iov_buffer_desc *iov,
                                int n);

    /* ---- RFC 4401 PRF: len bytes (already checked positive) ---- */
    OM_uint32 (*pseudo_random)(OM_uint32 *minor, void *mctx, int prf_key,
                               const gss_buffer_desc *in, ssize_t len,
                               gss_buffer_t out);

    /* ---- extensions: data about a context by OID (e.g. the SSPI session
     * key); GSS_S_UNAVAILABLE for an OID the mechanism does not know ---- */
    OM_uint32 (*inquire_sec_context_by_oid)(OM_uint32 *minor, void *mctx,
                                            const gss_OID_desc *what,
                                            gss_buffer_set_t *out);

    /* ---- transfer: serialize the complete state (keys included) into a
     * secret buffer; the glue seals it and only then deletes the context ---- */
    OM_uint32 (*export_sec_context)(OM_uint32 *minor, void *mctx,
                                    gss_buffer_t out);
    OM_uint32 (*import_sec_context)(OM_uint32 *minor, const void *data,
                                    size_t len, void **mctx_out);

    /* ---- status: writes a sentence for a minor code this mechanism
     * produced; returns false if the code is not the mechanism's ---- */
    bool (*display_minor)(OM_uint32 code, gss_buffer_t out);

    /* ---- negotiation (pseudo-mechanisms: SPNEGO).  A concrete mechanism
     * leaves these NULL. ---- */
    /* The mechanism chosen for mctx and its context (both NULL until one
     * is chosen).  Names, delegated credentials and per-message tokens of
     * the context are that mechanism's: the glue publishes them as its. */
    void *(*negotiated)(void *mctx, const struct bt_mech **mech_out);
    /* A name of this mechanism made from another mechanism's MN (SPNEGO
     * takes a Kerberos MN as its target). */
    OM_uint32 (*import_mech_name)(OM_uint32 *minor,
                                  const struct bt_mech *other,
                                  const void *other_mname, void **mname_out);
    /* gss_set_neg_mechs / gss_get_neg_mechs on this mechanism's part of a
     * credential; mechs is validated by the mechanism. */
    OM_uint32 (*set_neg_mechs)(OM_uint32 *minor, void *mcred,
                               const gss_OID_set_desc *mechs);
    OM_uint32 (*get_neg_mechs)(OM_uint32 *minor, void *mcred,
                               gss_OID_set *mechs_out);
    /* A credential of this mechanism over another credential's elements,
     * for a call given a credential without one of this mechanism (MIT
     * hands any credential to SPNEGO: a Kerberos-only or delegated
     * credential starts SPNEGO too).  The mcreds are borrowed: the caller
     * keeps them alive while the result is in use and frees the result
     * with release_cred, which leaves them alone. */
    OM_uint32 (*borrow_creds)(OM_uint32 *minor, size_t n,
                              const struct bt_mech *const *mechs,
                              void *const *mcreds, void **mcred_out);
};

/* The built-in mechanisms, in preference order (the first is the default).
 * *count_out receives the number of entries. */
const struct bt_mech *const *bt_mech_list(size_t *count_out);

/* The mechanism whose OID or alias equals oid, or NULL. */
const struct bt_mech *bt_mech_find(const gss_OID_desc *oid);

/* The default mechanism (used for GSS_C_NO_OID), never NULL. */
const struct bt_mech *bt_mech_default(void);

/* True if mech lists type among its name types. */
bool bt_mech_has_name_type(const struct bt_mech *mech,
                           const gss_OID_desc *type);

#endif /* BATON_MECH_MECH_H_ */
