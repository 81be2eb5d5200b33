/*
 * glue.h - the mechanism-independent layer's shared pieces: the objects
 * behind the opaque handles and the argument-checking helpers every public
 * call uses.
 */
#ifndef BATON_GLUE_GLUE_H_
#define BATON_GLUE_GLUE_H_

#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>

#include <gssapi/gssapi.h>
#include <gssapi/gssapi_ext.h>

#include "glue/minor.h"
#include "mech/mech.h"
#include "util/compiler.h"
#include "util/handle.h"

#define BT_MAX_MECHS 4

/* A name.  Imported names keep their external form and type; a mechanism
 * name (MN) also holds the mechanism's own representation. */
struct bt_name {
    struct bt_obj obj;
    gss_OID_desc type;          /* owned copy; length 0: GSS_C_NO_OID */
    gss_buffer_desc text;       /* external form as imported, or empty */
    bool anonymous;
    const struct bt_mech *mech; /* non-NULL: an MN of this mechanism */
    void *mname;
};

/* One mechanism's part of a credential.  Shared (reference counted)
 * between credentials, because gss_add_cred may copy a credential. */
struct bt_cred_el {
    atomic_uint refs;
    const struct bt_mech *mech;
    void *mcred;
};

/* A credential: one element per mechanism.  Immutable once published,
 * except that gss_add_cred may append under the lock. */
struct bt_cred {
    struct bt_obj obj;
    pthread_mutex_t lock;
    size_t n;
    struct bt_cred_el *el[BT_MAX_MECHS];
};

/* A security context: the mechanism and its private state.  The lock makes
 * concurrent calls on one context safe (RFC 2743 does not require it). */
struct bt_ctx {
    struct bt_obj obj;
    pthread_mutex_t lock;
    const struct bt_mech *mech;
    void *mctx;
    /* Set under lock when the context was exported or deleted: a caller
     * that was waiting for the lock must not use it (single
     * instantiation: no second token, no reused sequence numbers). */
    bool gone;
};

/* ---- handle <-> object ---- */

/* Look up a live handle, pinning the object (release with bt_obj_put).
 * Return NULL for GSS_C_NO_* and for stale or garbage handles. */
struct bt_name *bt_name_get(gss_name_t h);
struct bt_cred *bt_cred_get(gss_cred_id_t h);
struct bt_ctx *bt_ctx_get(gss_ctx_id_t h);

/* Release the caller's pin on an object (NULL is fine). */
void bt_name_put(struct bt_name *name);
void bt_cred_put(struct bt_cred *cred);
void bt_ctx_put(struct bt_ctx *ctx);

/* Wraps a mechanism credential (ownership passes in) as an element with
 * one reference; on failure mcred is released. */
BT_MUST_CHECK OM_uint32 bt_cred_el_new(OM_uint32 *minor,
                                       const struct bt_mech *mech, void *mcred,
                                       struct bt_cred_el **out);
void bt_cred_el_ref(struct bt_cred_el *el);
void bt_cred_el_put(struct bt_cred_el *el);

/* The element of cred for mech (not referenced), or NULL. */
struct bt_cred_el *bt_cred_find(struct bt_cred *cred,
                                const struct bt_mech *mech);

/* The credential mech uses for one call with cred: NULL for no cred (the
 * mechanism's default); cred's element for mech; or, for a negotiating
 * mechanism, a temporary one over cred's other elements, returned also in
 * *tmp_out for the caller to free with mech->release_cred after the call
 * (while cred stays pinned).  GSS_S_NO_CRED if cred has nothing for mech. */
BT_MUST_CHECK OM_uint32 bt_cred_for_call(OM_uint32 *minor,
                                         struct bt_cred *cred,
                                         const struct bt_mech *mech,
                                         void **mcred_out, void **tmp_out);

/* Acquires mech's element for name (NULL: the default identity). */
BT_MUST_CHECK OM_uint32 bt_cred_acquire_el(OM_uint32 *minor,
                                           const struct bt_mech *mech,
                                           struct bt_name *name,
                                           OM_uint32 time_req,
                                           gss_cred_usage_t usage,
                                           const struct bt_cred_args *args,
                                           struct bt_cred_el **el_out,
                                           OM_uint32 *time_rec);

/* New objects with one reference held by the caller. */
BT_MUST_CHECK OM_uint32 bt_name_alloc(OM_uint32 *minor, struct bt_name **out);
BT_MUST_CHECK OM_uint32 bt_cred_alloc(OM_uint32 *minor, struct bt_cred **out);
BT_MUST_CHECK OM_uint32 bt_ctx_alloc(OM_uint32 *minor, struct bt_ctx **out);

/* Issue a handle for obj; on success the handle owns a reference and the
 * caller's reference is consumed.  On failure obj is released. */
BT_MUST_CHECK OM_uint32 bt_name_publish(OM_uint32 *minor, struct bt_name *name,
                                        gss_name_t *out);
BT_MUST_CHECK OM_uint32 bt_cred_publish(OM_uint32 *minor, struct bt_cred *cred,
                                        gss_cred_id_t *out);
BT_MUST_CHECK OM_uint32 bt_ctx_publish(OM_uint32 *minor, struct bt_ctx *ctx,
                                       gss_ctx_id_t *out);

/* Wraps a mechanism name (ownership of mname passes in) as a new MN handle.
 * On failure mname is released. */
BT_MUST_CHECK OM_uint32 bt_name_from_mech(OM_uint32 *minor,
                                          const struct bt_mech *mech,
                                          void *mname, gss_name_t *out);

/* GSS_S_COMPLETE if some concrete mechanism imports text as type
 * (GSS_C_NO_OID: its default type), else the last mechanism's refusal:
 * names are judged when imported, not when first used. */
BT_MUST_CHECK OM_uint32 bt_name_validate(OM_uint32 *minor,
                                         const gss_buffer_desc *text,
                                         const gss_OID_desc *type);

/* Produces a mechanism name of mech for name (a copy the caller releases
 * with mech->release_name). */
BT_MUST_CHECK OM_uint32 bt_name_to_mech(OM_uint32 *minor,
                                        const struct bt_name *name,
                                        const struct bt_mech *mech,
                                        void **mname_out);

/* Pins and locks the context behind h for one call; NULL (with *major set
 * to GSS_S_NO_CONTEXT) if h is stale or not yet a context.  Undo with
 * bt_ctx_leave. */
struct bt_ctx *bt_ctx_enter(OM_uint32 *minor, gss_ctx_id_t h,
                            OM_uint32 *major);
void bt_ctx_leave(struct bt_ctx *ctx);

/* The mechanism that made ctx's names, credentials and per-message tokens,
 * and its context (*mctx_out): ctx's own for a concrete mechanism, the
 * chosen one for a negotiating one such as SPNEGO (NULL, with *mctx_out
 * NULL, until it is chosen).  The caller holds ctx locked. */
const struct bt_mech *bt_ctx_concrete(const struct bt_mech *mech, void *mctx,
                                      void **mctx_out);

/* ---- buffers and OIDs ---- */

/* Sets *buf to the empty buffer if buf is not NULL. */
void bt_buf_clear(gss_buffer_t buf);

/* Wipes and frees an IOV buffer a call allocated (GSS_IOV_BUFFER_FLAG_
 * ALLOCATED) and clears the flag; does nothing to any other buffer. */
void bt_iov_drop(gss_iov_buffer_desc *b);

/* True if buf is NULL-free in the sense RFC 2744 needs: length 0 or value
 * non-NULL. */
bool bt_buf_valid(const gss_buffer_desc *buf);

/* Copies len bytes into a fresh malloc'd buffer (out written on success). */
BT_MUST_CHECK OM_uint32 bt_buf_set(OM_uint32 *minor, const void *data,
                                   size_t len, gss_buffer_t out);

/* Deep copies an OID into dst (elements malloc'd). */
BT_MUST_CHECK OM_uint32 bt_oid_copy(OM_uint32 *minor, const gss_OID_desc *src,
                                    gss_OID_desc *dst);

/* True if a and b are both non-NULL and have the same encoding. */
bool bt_oid_eq(const gss_OID_desc *a, const gss_OID_desc *b);

/* The library's static OID equal to oid, or NULL: lets Baton return
 * pointers to static storage as RFC 2744 asks. */
gss_OID bt_oid_static(const gss_OID_desc *oid);

/* True if oid points into the library's static OID table (never freed). */
bool bt_oid_is_static(const gss_OID_desc *oid);

/* Builds an OID set holding mech OIDs or name types (static pointers). */
BT_MUST_CHECK OM_uint32 bt_oid_set_from(OM_uint32 *minor,
                                        const gss_OID_desc *const *oids,
                                        size_t n, gss_OID_set *out);

/* ---- status helpers ---- */

/* Writes code to *minor (if minor is not NULL) and returns major. */
OM_uint32 bt_fail(OM_uint32 *minor, OM_uint32 major, OM_uint32 code);

#endif /* BATON_GLUE_GLUE_H_ */
