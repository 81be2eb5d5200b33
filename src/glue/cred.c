/*
 * cred.c - credential acquisition and release: gss_acquire_cred and its
 * password and credential-store variants, gss_release_cred.
 */
#include "glue/glue.h"

#include <errno.h>
#include <stdlib.h>

struct acquire_req {
    gss_name_t name;
    OM_uint32 time_req;
    gss_OID_set mechs;
    gss_cred_usage_t usage;
    struct bt_cred_args args;
};

static bool
usage_valid(gss_cred_usage_t usage)
{
    return usage == GSS_C_BOTH || usage == GSS_C_INITIATE ||
           usage == GSS_C_ACCEPT;
}

OM_uint32
bt_cred_acquire_el(OM_uint32 *minor, const struct bt_mech *mech,
                   struct bt_name *name, OM_uint32 time_req,
                   gss_cred_usage_t usage, const struct bt_cred_args *args,
                   struct bt_cred_el **el_out, OM_uint32 *time_rec)
{
    void *mname = NULL, *mcred = NULL;
    OM_uint32 major;

    if (mech->acquire_cred == NULL)
        return bt_fail(minor, GSS_S_UNAVAILABLE, BT_E_NOT_IMPLEMENTED);
    if (name != NULL) {
        major = bt_name_to_mech(minor, name, mech, &mname);
        if (major != GSS_S_COMPLETE)
            return major;
    }
    major = mech->acquire_cred(minor, mname, time_req, usage, args, &mcred,
                               time_rec);
    if (mname != NULL)
        mech->release_name(mname);
    if (major != GSS_S_COMPLETE)
        return major;
    return bt_cred_el_new(minor, mech, mcred, el_out);
}

/* The mechanisms asked for: all built-in ones for GSS_C_NO_OID_SET. */
static size_t
wanted_mechs(gss_OID_set set, const struct bt_mech **out)
{
    const struct bt_mech *const *list;
    size_t n, k = 0;

    if (set == GSS_C_NO_OID_SET) {
        list = bt_mech_list(&n);
        for (size_t i = 0; i < n; i++)
            out[k++] = list[i];
        return k;
    }
    for (size_t i = 0; i < set->count && k < BT_MAX_MECHS; i++) {
        const struct bt_mech *m = bt_mech_find(&set->elements[i]);
        bool dup = false;

        for (size_t j = 0; j < k; j++)
            dup = dup || out[j] == m;
        if (m != NULL && !dup)
            out[k++] = m;
    }
    return k;
}

static OM_uint32
actual_set(OM_uint32 *minor, const struct bt_cred *cred, gss_OID_set *out)
{
    const gss_OID_desc *oids[BT_MAX_MECHS];

    for (size_t i = 0; i < cred->n; i++)
        oids[i] = cred->el[i]->mech->oid;
    return bt_oid_set_from(minor, oids, cred->n, out);
}

/* Fills cred with an element per wanted mechanism that could be acquired;
 * fails with the last mechanism's error if none could. */
static OM_uint32
fill(OM_uint32 *minor, const struct acquire_req *req, struct bt_name *name,
     struct bt_cred *cred, OM_uint32 *time_rec)
{
    const struct bt_mech *mechs[BT_MAX_MECHS];
    size_t n = wanted_mechs(req->mechs, mechs);
    OM_uint32 major = bt_fail(minor, GSS_S_BAD_MECH, BT_E_UNSUPPORTED_MECH);
    OM_uint32 t, best = GSS_C_INDEFINITE;

    for (size_t i = 0; i < n; i++) {
        major = bt_cred_acquire_el(minor, mechs[i], name, req->time_req,
                                   req->usage, &req->args, &cred->el[cred->n],
                                   &t);
        if (major != GSS_S_COMPLETE)
            continue;
        cred->n++;
        best = t < best ? t : best;
    }
    if (cred->n == 0)
        return major;
    *time_rec = best;
    if (minor != NULL)
        *minor = 0;
    return GSS_S_COMPLETE;
}

static OM_uint32
acquire(OM_uint32 *minor, const struct acquire_req *req,
        gss_cred_id_t *out, gss_OID_set *actual, OM_uint32 *time_rec)
{
    struct bt_name *name = NULL;
    struct bt_cred *cred = NULL;
    gss_OID_set set = GSS_C_NO_OID_SET;
    OM_uint32 major, t = 0, tmp;

    if (minor != NULL)
        *minor = 0;
    if (out == NULL)
        return bt_fail(minor, GSS_S_CALL_INACCESSIBLE_WRITE, 0);
    *out = GSS_C_NO_CREDENTIAL;
    if (actual != NULL)
        *actual = GSS_C_NO_OID_SET;
    if (!usage_valid(req->usage))
        return bt_fail(minor, GSS_S_FAILURE, BT_E_BAD_CRED_USAGE);
    if (req->name != GSS_C_NO_NAME && (name = bt_name_get(req->name)) == NULL)
        return bt_fail(minor, GSS_S_BAD_NAME, BT_E_BAD_HANDLE);
    major = bt_cred_alloc(minor, &cred);
    if (major == GSS_S_COMPLETE)
        major = fill(minor, req, name, cred, &t);
    if (major == GSS_S_COMPLETE && actual != NULL)
        major = actual_set(minor, cred, &set);
    if (major == GSS_S_COMPLETE) {
        major = bt_cred_publish(minor, cred, out);
        cred = NULL;
    }
    if (major == GSS_S_COMPLETE) {
        if (actual != NULL)
            *actual = set;
        if (time_rec != NULL)
            *time_rec = t;
    } else {
        (void)gss_release_oid_set(&tmp, &set);
    }
    bt_cred_put(cred);
    bt_name_put(name);
    return major;
}

BT_EXPORT OM_uint32
gss_acquire_cred(OM_uint32 *minor_status, gss_name_t desired_name,
                 OM_uint32 time_req, gss_OID_set desired_mechs,
                 gss_cred_usage_t cred_usage,
                 gss_cred_id_t *output_cred_handle, gss_OID_set *actual_mechs,
                 OM_uint32 *time_rec)
{
    struct acquire_req req = { desired_name, time_req, desired_mechs,
                               cred_usage, { NULL, GSS_C_NO_CRED_STORE } };

    return acquire(minor_status, &req, output_cred_handle, actual_mechs,
                   time_rec);
}

BT_EXPORT OM_uint32
gss_acquire_cred_with_password(OM_uint32 *minor_status,
                               const gss_name_t desired_name,
                               const gss_buffer_t password, OM_uint32 time_req,
                               const gss_OID_set desired_mechs,
                               gss_cred_usage_t cred_usage,
                               gss_cred_id_t *output_cred_handle,
                               gss_OID_set *actual_mechs, OM_uint32 *time_rec)
{
    struct acquire_req req = { desired_name, time_req, desired_mechs,
                               cred_usage, { password, GSS_C_NO_CRED_STORE } };

    if (output_cred_handle != NULL)
        *output_cred_handle = GSS_C_NO_CREDENTIAL;
    if (actual_mechs != NULL)
        *actual_mechs = GSS_C_NO_OID_SET;
    if (password == GSS_C_NO_BUFFER || !bt_buf_valid(password))
        return bt_fail(minor_status, GSS_S_CALL_INACCESSIBLE_READ, 0);
    /* A password names a principal: there is no default to use it for. */
    if (desired_name == GSS_C_NO_NAME)
        return bt_fail(minor_status, GSS_S_BAD_NAME, BT_E_NAME_EMPTY);
    return acquire(minor_status, &req, output_cred_handle, actual_mechs,
                   time_rec);
}

BT_EXPORT OM_uint32
gss_acquire_cred_from(OM_uint32 *minor_status, gss_name_t desired_name,
                      OM_uint32 time_req, gss_OID_set desired_mechs,
                      gss_cred_usage_t cred_usage,
                      gss_const_key_value_set_t cred_store,
                      gss_cred_id_t *output_cred_handle,
                      gss_OID_set *actual_mechs, OM_uint32 *time_rec)
{
    struct acquire_req req = { desired_name, time_req, desired_mechs,
                               cred_usage, { NULL, cred_store } };

    return acquire(minor_status, &req, output_cred_handle, actual_mechs,
                   time_rec);
}

BT_EXPORT OM_uint32
gss_release_cred(OM_uint32 *minor_status, gss_cred_id_t *cred_handle)
{
    struct bt_obj *obj;

    if (minor_status != NULL)
        *minor_status = 0;
    if (cred_handle == NULL)
        return bt_fail(minor_status, GSS_S_CALL_INACCESSIBLE_WRITE, 0);
    if (*cred_handle == GSS_C_NO_CREDENTIAL)
        return GSS_S_COMPLETE;
    obj = bt_handle_retire((uintptr_t)*cred_handle, BT_KIND_CRED);
    if (obj == NULL)
        return bt_fail(minor_status, GSS_S_NO_CRED, BT_E_BAD_HANDLE);
    bt_obj_put(obj);
    *cred_handle = GSS_C_NO_CREDENTIAL;
    return GSS_S_COMPLETE;
}
