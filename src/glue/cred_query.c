/*
 * cred_query.c - questions about credentials (gss_inquire_cred,
 * gss_inquire_cred_by_mech, gss_inquire_cred_by_oid) and the calls that
 * store, export, impersonate or configure them.
 */
#include "glue/glue.h"

#include <stdlib.h>

/* The credential to ask: cred_handle's, or the default initiator credential
 * for GSS_C_NO_CREDENTIAL (RFC 2744 5.21).  Returns it pinned. */
static OM_uint32
resolve(OM_uint32 *minor, gss_cred_id_t h, struct bt_cred **out)
{
    gss_cred_id_t def = GSS_C_NO_CREDENTIAL;
    OM_uint32 major, tmp;

    if (h != GSS_C_NO_CREDENTIAL) {
        *out = bt_cred_get(h);
        return *out != NULL ? GSS_S_COMPLETE
                            : bt_fail(minor, GSS_S_NO_CRED, BT_E_BAD_HANDLE);
    }
    major = gss_acquire_cred(minor, GSS_C_NO_NAME, GSS_C_INDEFINITE,
                             GSS_C_NO_OID_SET, GSS_C_INITIATE, &def, NULL,
                             NULL);
    if (major != GSS_S_COMPLETE)
        return GSS_ERROR(major) == GSS_S_UNAVAILABLE ? major
               : bt_fail(minor, GSS_S_NO_CRED, minor != NULL ? *minor : 0);
    *out = bt_cred_get(def);
    (void)gss_release_cred(&tmp, &def);
    return GSS_S_COMPLETE;
}

/* Asks one element; name_out gets an MN handle if requested. */
static OM_uint32
inquire_el(OM_uint32 *minor, struct bt_cred_el *el, gss_name_t *name_out,
           OM_uint32 *init_life, OM_uint32 *accept_life,
           gss_cred_usage_t *usage)
{
    void *mname = NULL;
    OM_uint32 major;

    if (el->mech->inquire_cred == NULL)
        return bt_fail(minor, GSS_S_UNAVAILABLE, BT_E_NOT_IMPLEMENTED);
    major = el->mech->inquire_cred(minor, el->mcred,
                                   name_out != NULL ? &mname : NULL,
                                   init_life, accept_life, usage);
    if (major != GSS_S_COMPLETE || name_out == NULL)
        return major;
    if (mname == NULL) {
        *name_out = GSS_C_NO_NAME;
        return GSS_S_COMPLETE;
    }
    return bt_name_from_mech(minor, el->mech, mname, name_out);
}

BT_EXPORT OM_uint32
gss_inquire_cred(OM_uint32 *minor_status, gss_cred_id_t cred_handle,
                 gss_name_t *name, OM_uint32 *lifetime,
                 gss_cred_usage_t *cred_usage, gss_OID_set *mechanisms)
{
    struct bt_cred *cred = NULL;
    gss_name_t n = GSS_C_NO_NAME;
    gss_OID_set set = GSS_C_NO_OID_SET;
    OM_uint32 major, il = 0, al = 0, tmp;
    gss_cred_usage_t usage = GSS_C_BOTH;
    const gss_OID_desc *oids[BT_MAX_MECHS];
    size_t count;

    if (minor_status != NULL)
        *minor_status = 0;
    if (name != NULL)
        *name = GSS_C_NO_NAME;
    if (lifetime != NULL)
        *lifetime = 0;
    if (cred_usage != NULL)
        *cred_usage = GSS_C_BOTH;
    if (mechanisms != NULL)
        *mechanisms = GSS_C_NO_OID_SET;
    major = resolve(minor_status, cred_handle, &cred);
    if (major != GSS_S_COMPLETE)
        return major;
    /* The first element speaks for the name, lifetime and usage. */
    major = inquire_el(minor_status, cred->el[0], name != NULL ? &n : NULL,
                       &il, &al, &usage);
    pthread_mutex_lock(&cred->lock);
    count = cred->n;
    for (size_t i = 0; i < count; i++)
        oids[i] = cred->el[i]->mech->oid;
    pthread_mutex_unlock(&cred->lock);
    if (major == GSS_S_COMPLETE && mechanisms != NULL)
        major = bt_oid_set_from(minor_status, oids, count, &set);
    if (major == GSS_S_COMPLETE) {
        if (name != NULL)
            *name = n;
        if (lifetime != NULL)
            *lifetime = usage == GSS_C_ACCEPT ? al
                        : usage == GSS_C_INITIATE ? il : (il < al ? il : al);
        if (cred_usage != NULL)
            *cred_usage = usage;
        if (mechanisms != NULL)
            *mechanisms = set;
    } else {
        (void)gss_release_name(&tmp, &n);
    }
    bt_cred_put(cred);
    return major;
}

BT_EXPORT OM_uint32
gss_inquire_cred_by_mech(OM_uint32 *minor_status, gss_cred_id_t cred_handle,
                         gss_OID mech_type, gss_name_t *name,
                         OM_uint32 *initiator_lifetime,
                         OM_uint32 *acceptor_lifetime,
                         gss_cred_usage_t *cred_usage)
{
    const struct bt_mech *mech;
    struct bt_cred *cred = NULL;
    struct bt_cred_el *el;
    OM_uint32 major;

    if (minor_status != NULL)
        *minor_status = 0;
    if (name != NULL)
        *name = GSS_C_NO_NAME;
    mech = bt_mech_find(mech_type);
    if (mech == NULL)
        return bt_fail(minor_status, GSS_S_BAD_MECH, BT_E_UNSUPPORTED_MECH);
    major = resolve(minor_status, cred_handle, &cred);
    if (major != GSS_S_COMPLETE)
        return major;
    el = bt_cred_find(cred, mech);
    if (el == NULL)
        major = bt_fail(minor_status, GSS_S_NO_CRED, BT_E_MECH_NOT_IN_CRED);
    else
        major = inquire_el(minor_status, el, name, initiator_lifetime,
                           acceptor_lifetime, cred_usage);
    bt_cred_put(cred);
    return major;
}

/* Calls that need a mechanism feature none has yet: they still validate
 * the credential handle, so a stale one reads GSS_S_NO_CRED. */
static OM_uint32
cred_unavailable(OM_uint32 *minor, gss_cred_id_t h)
{
    struct bt_cred *cred;

    if (minor != NULL)
        *minor = 0;
    if (h != GSS_C_NO_CREDENTIAL) {
        cred = bt_cred_get(h);
        if (cred == NULL)
            return bt_fail(minor, GSS_S_NO_CRED, BT_E_BAD_HANDLE);
        bt_cred_put(cred);
    }
    return bt_fail(minor, GSS_S_UNAVAILABLE, BT_E_NOT_IMPLEMENTED);
}

BT_EXPORT OM_uint32
gss_inquire_cred_by_oid(OM_uint32 *minor_status,
                        const gss_cred_id_t cred_handle,
                        const gss_OID desired_object,
                        gss_buffer_set_t *data_set)
{
    if (data_set == NULL)
        return bt_fail(minor_status, GSS_S_CALL_INACCESSIBLE_WRITE, 0);
    *data_set = GSS_C_NO_BUFFER_SET;
    if (desired_object == GSS_C_NO_OID)
        return bt_fail(minor_status, GSS_S_CALL_INACCESSIBLE_READ, 0);
    if (cred_handle == GSS_C_NO_CREDENTIAL)
        return bt_fail(minor_status, GSS_S_NO_CRED, BT_E_BAD_HANDLE);
    return cred_unavailable(minor_status, cred_handle);
}

BT_EXPORT OM_uint32
gss_set_cred_option(OM_uint32 *minor_status, gss_cred_id_t *cred,
                    const gss_OID desired_object, const gss_buffer_t value)
{
    (void)value;
    if (cred == NULL)
        return bt_fail(minor_status, GSS_S_CALL_INACCESSIBLE_WRITE, 0);
    if (desired_object == GSS_C_NO_OID)
        return bt_fail(minor_status, GSS_S_CALL_INACCESSIBLE_READ, 0);
    return cred_unavailable(minor_status, *cred);
}

BT_EXPORT OM_uint32
gssspi_set_cred_option(OM_uint32 *minor_status, gss_cred_id_t *cred,
                       const gss_OID desired_object, const gss_buffer_t value)
{
    return gss_set_cred_option(minor_status, cred, desired_object, value);
}

BT_EXPORT OM_uint32
gss_store_cred(OM_uint32 *minor_status, const gss_cred_id_t input_cred,
               gss_cred_usage_t cred_usage, const gss_OID desired_mech,
               OM_uint32 overwrite_cred, OM_uint32 default_cred,
               gss_OID_set *elements_stored,
               gss_cred_usage_t *cred_usage_stored)
{
    return gss_store_cred_into(minor_status, input_cred, cred_usage,
                               desired_mech, overwrite_cred, default_cred,
                               GSS_C_NO_CRED_STORE, elements_stored,
                               cred_usage_stored);
}

BT_EXPORT OM_uint32
gss_store_cred_into(OM_uint32 *minor_status, gss_cred_id_t input_cred_handle,
                    gss_cred_usage_t input_usage, gss_OID desired_mech,
                    OM_uint32 overwrite_cred, OM_uint32 default_cred,
                    gss_const_key_value_set_t cred_store,
                    gss_OID_set *elements_stored,
                    gss_cred_usage_t *cred_usage_stored)
{
    (void)input_usage;
    (void)overwrite_cred;
    (void)default_cred;
    (void)cred_store;
    (void)cred_usage_stored;
    if (elements_stored != NULL)
        *elements_stored = GSS_C_NO_OID_SET;
    if (desired_mech != GSS_C_NO_OID && bt_mech_find(desired_mech) == NULL)
        return bt_fail(minor_status, GSS_S_BAD_MECH, BT_E_UNSUPPORTED_MECH);
    if (input_cred_handle == GSS_C_NO_CREDENTIAL)
        return bt_fail(minor_status, GSS_S_NO_CRED, BT_E_BAD_HANDLE);
    return cred_unavailable(minor_status, input_cred_handle);
}

BT_EXPORT OM_uint32
gss_export_cred(OM_uint32 *minor_status, gss_cred_id_t cred_handle,
                gss_buffer_t token)
{
    bt_buf_clear(token);
    if (token == GSS_C_NO_BUFFER)
        return bt_fail(minor_status, GSS_S_CALL_INACCESSIBLE_WRITE, 0);
    if (cred_handle == GSS_C_NO_CREDENTIAL)
        return bt_fail(minor_status, GSS_S_NO_CRED, BT_E_BAD_HANDLE);
    return cred_unavailable(minor_status, cred_handle);
}

BT_EXPORT OM_uint32
gss_import_cred(OM_uint32 *minor_status, gss_buffer_t token,
                gss_cred_id_t *cred_handle)
{
    if (cred_handle == NULL)
        return bt_fail(minor_status, GSS_S_CALL_INACCESSIBLE_WRITE, 0);
    *cred_handle = GSS_C_NO_CREDENTIAL;
    if (token == GSS_C_NO_BUFFER || !bt_buf_valid(token))
        return bt_fail(minor_status, GSS_S_CALL_INACCESSIBLE_READ, 0);
    if (token->length == 0)
        return bt_fail(minor_status, GSS_S_DEFECTIVE_TOKEN, BT_E_TOKEN_EMPTY);
    return bt_fail(minor_status, GSS_S_UNAVAILABLE, BT_E_NOT_IMPLEMENTED);
}

BT_EXPORT OM_uint32
gss_acquire_cred_impersonate_name(OM_uint32 *minor_status,
                                  const gss_cred_id_t impersonator_cred_handle,
                                  const gss_name_t desired_name,
                                  OM_uint32 time_req,
                                  const gss_OID_set desired_mechs,
                                  gss_cred_usage_t cred_usage,
                                  gss_cred_id_t *output_cred_handle,
                                  gss_OID_set *actual_mechs,
                                  OM_uint32 *time_rec)
{
    struct bt_name *name;

    (void)time_req;
    (void)desired_mechs;
    (void)cred_usage;
    (void)time_rec;
    if (output_cred_handle == NULL)
        return bt_fail(minor_status, GSS_S_CALL_INACCESSIBLE_WRITE, 0);
    *output_cred_handle = GSS_C_NO_CREDENTIAL;
    if (actual_mechs != NULL)
        *actual_mechs = GSS_C_NO_OID_SET;
    name = bt_name_get(desired_name);
    if (name == NULL)
        return bt_fail(minor_status, GSS_S_BAD_NAME, BT_E_BAD_HANDLE);
    bt_name_put(name);
    return cred_unavailable(minor_status, impersonator_cred_handle);
}

BT_EXPORT OM_uint32
gss_add_cred_impersonate_name(OM_uint32 *minor_status,
                              gss_cred_id_t input_cred_handle,
                              const gss_cred_id_t impersonator_cred_handle,
                              const gss_name_t desired_name,
                              const gss_OID desired_mech,
                              gss_cred_usage_t cred_usage,
                              OM_uint32 initiator_time_req,
                              OM_uint32 acceptor_time_req,
                              gss_cred_id_t *output_cred_handle,
                              gss_OID_set *actual_mechs,
                              OM_uint32 *initiator_time_rec,
                              OM_uint32 *acceptor_time_rec)
{
    OM_uint32 major;

    (void)initiator_time_req;
    (void)acceptor_time_req;
    (void)initiator_time_rec;
    (void)acceptor_time_rec;
    if (output_cred_handle != NULL)
        *output_cred_handle = GSS_C_NO_CREDENTIAL;
    if (bt_mech_find(desired_mech) == NULL)
        return bt_fail(minor_status, GSS_S_BAD_MECH, BT_E_UNSUPPORTED_MECH);
    major = cred_unavailable(minor_status, input_cred_handle);
    if (GSS_ERROR(major) == GSS_S_NO_CRED)
        return major;
    return gss_acquire_cred_impersonate_name(minor_status,
                                             impersonator_cred_handle,
                                             desired_name, GSS_C_INDEFINITE,
                                             GSS_C_NO_OID_SET, cred_usage,
                                             output_cred_handle != NULL
                                                 ? output_cred_handle
                                                 : &(gss_cred_id_t){ 0 },
                                             actual_mechs, NULL);
}
