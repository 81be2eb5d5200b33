/*
 * handle.h - validated opaque handles.
 *
 * Every gss_name_t, gss_cred_id_t and gss_ctx_id_t Baton hands out is an
 * encoded (slot, generation, kind) triple, never a pointer.  Looking one up
 * checks all three under a lock, so a deleted, exported, never-issued or
 * wrongly typed handle is refused without touching memory, even when the
 * slot has since been reused.  Objects are reference counted: a lookup pins
 * the object, so another thread deleting the handle meanwhile only makes
 * later lookups fail; the object is destroyed when the last pin goes.
 */
#ifndef BATON_UTIL_HANDLE_H_
#define BATON_UTIL_HANDLE_H_

#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>

#include "util/compiler.h"

enum bt_kind {
    BT_KIND_NAME = 1,
    BT_KIND_CRED = 2,
    BT_KIND_CTX = 3,
};

/* Embedded first in every handle-backed object. */
struct bt_obj {
    atomic_uint refs;
    enum bt_kind kind;
    /* Frees the enclosing object; called once, when refs drops to 0. */
    void (*destroy)(struct bt_obj *obj);
};

/* Prepares obj with one reference (the caller's). */
void bt_obj_init(struct bt_obj *obj, enum bt_kind kind,
                 void (*destroy)(struct bt_obj *obj));

/* Adds a reference. */
void bt_obj_ref(struct bt_obj *obj);

/* Drops a reference; destroys obj when it was the last.  obj may be NULL. */
void bt_obj_put(struct bt_obj *obj);

/*
 * Issues a handle for obj.  On success the registry holds its own reference
 * (taken here; the caller keeps theirs) and *handle_out is nonzero.
 * Returns 0 or ENOMEM.
 */
BT_MUST_CHECK int bt_handle_issue(struct bt_obj *obj, uintptr_t *handle_out);

/* Returns obj with an added reference if handle is live and of kind, else
 * NULL.  Release with bt_obj_put. */
struct bt_obj *bt_handle_get(uintptr_t handle, enum bt_kind kind);

/* Retires a live handle of kind: later lookups of it fail.  Returns the
 * registry's reference to the caller (who must bt_obj_put it), or NULL if the
 * handle was not live. */
struct bt_obj *bt_handle_retire(uintptr_t handle, enum bt_kind kind);

/* Number of live handles, for tests and leak checks. */
size_t bt_handle_count(void);

#endif /* BATON_UTIL_HANDLE_H_ */
