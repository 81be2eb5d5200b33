/*
 * cred_add.c - gss_add_cred and its password and credential-store
 * variants.
 */
#include "glue/glue.h"

#include <stdlib.h>

struct add_req {
    gss_cred_id_t input;
    gss_name_t name;
    gss_OID mech;
    gss_cred_usage_t usage;
    OM_uint32 init_time, accept_time;
    struct bt_cred_args args;
};

struct add_out {
    gss_cred_id_t *cred;
    gss_OID_set *actual;
    OM_uint32 *init_time, *accept_time;
};

/* A new credential holding src's elements (shared) plus el. */
static OM_uint32
copy_plus(OM_uint32 *minor, struct bt_cred *src, struct bt_cred_el *el,
          struct bt_cred **out)
{
    struct bt_cred *cred = NULL;
    OM_uint32 major = bt_cred_alloc(minor, &cred);

    if (major != GSS_S_COMPLETE)
        return major;
    if (src != NULL) {
        pthread_mutex_lock(&src->lock);
        for (size_t i = 0; i < src->n; i++) {
            bt_cred_el_ref(src->el[i]);
            cred->el[cred->n++] = src->el[i];
        }
        pthread_mutex_unlock(&src->lock);
    }
    cred->el[cred->n++] = el;
    *out = cred;
    return GSS_S_COMPLETE;
}

/* Appends el to cred in place (RFC 2744: output_cred_handle NULL). */
static OM_uint32
append(OM_uint32 *minor, struct bt_cred *cred, struct bt_cred_el *el)
{
    OM_uint32 major = GSS_S_COMPLETE;

    pthread_mutex_lock(&cred->lock);
    if (cred->n >= BT_MAX_MECHS)
        major = bt_fail(minor, GSS_S_DUPLICATE_ELEMENT, BT_E_DUPLICATE_MECH);
    else
        cred->el[cred->n++] = el;
    pthread_mutex_unlock(&cred->lock);
    if (major != GSS_S_COMPLETE)
        bt_cred_el_put(el);
    return major;
}

static OM_uint32
results(OM_uint32 *minor, struct bt_cred *cred, const struct add_out *o,
        OM_uint32 t, gss_cred_usage_t usage)
{
    const gss_OID_desc *oids[BT_MAX_MECHS];
    size_t n;

    if (o->init_time != NULL)
        *o->init_time = usage == GSS_C_ACCEPT ? 0 : t;
    if (o->accept_time != NULL)
        *o->accept_time = usage == GSS_C_INITIATE ? 0 : t;
    if (o->actual == NULL)
        return GSS_S_COMPLETE;
    pthread_mutex_lock(&cred->lock);
    n = cred->n;
    for (size_t i = 0; i < n; i++)
        oids[i] = cred->el[i]->mech->oid;
    pthread_mutex_unlock(&cred->lock);
    return bt_oid_set_from(minor, oids, n, o->actual);
}

static OM_uint32
add(OM_uint32 *minor, const struct add_req *req, const struct add_out *o)
{
    struct bt_cred *in = NULL, *cred = NULL;
    struct bt_name *name = NULL;
    struct bt_cred_el *el = NULL;
    const struct bt_mech *mech;
    OM_uint32 major, t = 0;

    if (minor != NULL)
        *minor = 0;
    if (o->cred != NULL)
        *o->cred = GSS_C_NO_CREDENTIAL;
    if (o->actual != NULL)
        *o->actual = GSS_C_NO_OID_SET;
    if (req->usage != GSS_C_BOTH && req->usage != GSS_C_INITIATE &&
        req->usage != GSS_C_ACCEPT)
        return bt_fail(minor, GSS_S_FAILURE, BT_E_BAD_CRED_USAGE);
    /* RFC 2744 5.3: with no input credential an output handle is needed. */
    if (req->input == GSS_C_NO_CREDENTIAL && o->cred == NULL)
        return bt_fail(minor, GSS_S_CALL_INACCESSIBLE_WRITE, 0);
    if (req->input != GSS_C_NO_CREDENTIAL &&
        (in = bt_cred_get(req->input)) == NULL)
        return bt_fail(minor, GSS_S_NO_CRED, BT_E_BAD_HANDLE);
    mech = bt_mech_find(req->mech);
    if (mech == NULL) {
        major = bt_fail(minor, GSS_S_BAD_MECH, BT_E_UNSUPPORTED_MECH);
        goto cleanup;
    }
    if (in != NULL && bt_cred_find(in, mech) != NULL) {
        major = bt_fail(minor, GSS_S_DUPLICATE_ELEMENT, BT_E_DUPLICATE_MECH);
        goto cleanup;
    }
    if (req->name != GSS_C_NO_NAME && (name = bt_name_get(req->name)) == NULL) {
        major = bt_fail(minor, GSS_S_BAD_NAME, BT_E_BAD_HANDLE);
        goto cleanup;
    }
    major = bt_cred_acquire_el(minor, mech, name,
                               req->usage == GSS_C_ACCEPT ? req->accept_time
                                                          : req->init_time,
                               req->usage, &req->args, &el, &t);
    if (major != GSS_S_COMPLETE)
        goto cleanup;
    if (o->cred == NULL) {
        major = append(minor, in, el);
        if (major == GSS_S_COMPLETE)
            major = results(minor, in, o, t, req->usage);
        goto cleanup;
    }
    major = copy_plus(minor, in, el, &cred);
    if (major != GSS_S_COMPLETE) {
        bt_cred_el_put(el);
        goto cleanup;
    }
    major = results(minor, cred, o, t, req->usage);
    if (major == GSS_S_COMPLETE) {
        major = bt_cred_publish(minor, cred, o->cred);
        cred = NULL;
    }

cleanup:
    bt_cred_put(cred);
    bt_cred_put(in);
    bt_name_put(name);
    return major;
}

BT_EXPORT OM_uint32
gss_add_cred(OM_uint32 *minor_status, gss_cred_id_t input_cred_handle,
             gss_name_t desired_name, gss_OID desired_mech,
             gss_cred_usage_t cred_usage, OM_uint32 initiator_time_req,
             OM_uint32 acceptor_time_req, gss_cred_id_t *output_cred_handle,
             gss_OID_set *actual_mechs, OM_uint32 *initiator_time_rec,
             OM_uint32 *acceptor_time_rec)
{
    struct add_req req = { input_cred_handle, desired_name, desired_mech,
                           cred_usage, initiator_time_req, acceptor_time_req,
                           { NULL, GSS_C_NO_CRED_STORE } };
    struct add_out out = { output_cred_handle, actual_mechs,
                           initiator_time_rec, acceptor_time_rec };

    return add(minor_status, &req, &out);
}

BT_EXPORT OM_uint32
gss_add_cred_with_password(OM_uint32 *minor_status,
                           const gss_cred_id_t input_cred_handle,
                           const gss_name_t desired_name,
                           const gss_OID desired_mech,
                           const gss_buffer_t password,
                           gss_cred_usage_t cred_usage,
                           OM_uint32 initiator_time_req,
                           OM_uint32 acceptor_time_req,
                           gss_cred_id_t *output_cred_handle,
                           gss_OID_set *actual_mechs,
                           OM_uint32 *initiator_time_rec,
                           OM_uint32 *acceptor_time_rec)
{
    struct add_req req = { input_cred_handle, desired_name, desired_mech,
                           cred_usage, initiator_time_req, acceptor_time_req,
                           { password, GSS_C_NO_CRED_STORE } };
    struct add_out out = { output_cred_handle, actual_mechs,
                           initiator_time_rec, acceptor_time_rec };

    if (output_cred_handle != NULL)
        *output_cred_handle = GSS_C_NO_CREDENTIAL;
    if (actual_mechs != NULL)
        *actual_mechs = GSS_C_NO_OID_SET;
    if (password == GSS_C_NO_BUFFER || !bt_buf_valid(password))
        return bt_fail(minor_status, GSS_S_CALL_INACCESSIBLE_READ, 0);
    /* As for gss_acquire_cred_with_password: a password needs a name. */
    if (desired_name == GSS_C_NO_NAME)
        return bt_fail(minor_status, GSS_S_BAD_NAME, BT_E_NAME_EMPTY);
    return add(minor_status, &req, &out);
}

BT_EXPORT OM_uint32
gss_add_cred_from(OM_uint32 *minor_status, gss_cred_id_t input_cred_handle,
                  gss_name_t desired_name, gss_OID desired_mech,
                  gss_cred_usage_t cred_usage, OM_uint32 initiator_time_req,
                  OM_uint32 acceptor_time_req,
                  gss_const_key_value_set_t cred_store,
                  gss_cred_id_t *output_cred_handle, gss_OID_set *actual_mechs,
                  OM_uint32 *initiator_time_rec, OM_uint32 *acceptor_time_rec)
{
    struct add_req req = { input_cred_handle, desired_name, desired_mech,
                           cred_usage, initiator_time_req, acceptor_time_req,
                           { NULL, cred_store } };
    struct add_out out = { output_cred_handle, actual_mechs,
                           initiator_time_rec, acceptor_time_rec };

    return add(minor_status, &req, &out);
}
