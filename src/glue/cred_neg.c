/*
 * cred_neg.c - gss_set_neg_mechs (MIT) and gss_get_neg_mechs (Heimdal):
 * the mechanisms a negotiating mechanism (SPNEGO) may choose with a
 * credential.
 */
#include "glue/glue.h"

/* The credential's element of a mechanism that negotiates, or NULL. */
static struct bt_cred_el *
nego_el(struct bt_cred *cred)
{
    for (size_t i = 0; i < cred->n; i++) {
        if (cred->el[i]->mech->set_neg_mechs != NULL)
            return cred->el[i];
    }
    return NULL;
}

static struct bt_cred_el *
enter(OM_uint32 *minor, gss_cred_id_t h, struct bt_cred **cred,
      OM_uint32 *major)
{
    struct bt_cred_el *el;

    *major = GSS_S_COMPLETE;
    *cred = bt_cred_get(h);
    if (*cred == NULL) {
        *major = bt_fail(minor, GSS_S_NO_CRED, BT_E_BAD_HANDLE);
        return NULL;
    }
    pthread_mutex_lock(&(*cred)->lock);
    el = nego_el(*cred);
    pthread_mutex_unlock(&(*cred)->lock);
    /* A credential without a SPNEGO element has nothing to restrict. */
    if (el == NULL)
        *major = bt_fail(minor, GSS_S_UNAVAILABLE, BT_E_MECH_NOT_IN_CRED);
    return el;
}

BT_EXPORT OM_uint32
gss_set_neg_mechs(OM_uint32 *minor_status, gss_cred_id_t cred_handle,
                  const gss_OID_set mech_set)
{
    struct bt_cred *cred = NULL;
    struct bt_cred_el *el;
    OM_uint32 major;

    if (minor_status != NULL)
        *minor_status = 0;
    if (mech_set == GSS_C_NO_OID_SET ||
        (mech_set->count > 0 && mech_set->elements == NULL))
        return bt_fail(minor_status, GSS_S_CALL_INACCESSIBLE_READ, 0);
    if (cred_handle == GSS_C_NO_CREDENTIAL)
        return bt_fail(minor_status, GSS_S_NO_CRED, BT_E_BAD_HANDLE);
    el = enter(minor_status, cred_handle, &cred, &major);
    if (el != NULL) {
        OM_uint32 tmp = 0;

        major = el->mech->set_neg_mechs(&tmp, el->mcred, mech_set);
        if (minor_status != NULL)
            *minor_status = tmp;
    }
    bt_cred_put(cred);
    return major;
}

BT_EXPORT OM_uint32
gss_get_neg_mechs(OM_uint32 *minor_status, gss_const_cred_id_t cred_handle,
                  gss_OID_set *mech_set)
{
    struct bt_cred *cred = NULL;
    struct bt_cred_el *el;
    OM_uint32 major, tmp = 0;

    if (minor_status != NULL)
        *minor_status = 0;
    if (mech_set == NULL)
        return bt_fail(minor_status, GSS_S_CALL_INACCESSIBLE_WRITE, 0);
    *mech_set = GSS_C_NO_OID_SET;
    if (cred_handle == GSS_C_NO_CREDENTIAL)
        return bt_fail(minor_status, GSS_S_NO_CRED, BT_E_BAD_HANDLE);
    el = enter(minor_status, (gss_cred_id_t)cred_handle, &cred, &major);
    if (el != NULL && el->mech->get_neg_mechs == NULL)
        major = bt_fail(minor_status, GSS_S_UNAVAILABLE, BT_E_NOT_IMPLEMENTED);
    else if (el != NULL) {
        major = el->mech->get_neg_mechs(&tmp, el->mcred, mech_set);
        if (minor_status != NULL)
            *minor_status = tmp;
    }
    bt_cred_put(cred);
    return major;
}
