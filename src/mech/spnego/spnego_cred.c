/*
 * spnego_cred.c - SPNEGO credentials: one credential per concrete
 * mechanism, and the list gss_set_neg_mechs restricts negotiation to.
 */
#include "mech/spnego/spnego.h"

#include <errno.h>
#include <stdlib.h>

#include "glue/glue.h"
#include "glue/oids.h"

size_t
bt_spn_inner_mechs(const struct bt_mech **out, size_t max)
{
    const struct bt_mech *const *list;
    size_t n, k = 0;

    list = bt_mech_list(&n);
    for (size_t i = 0; i < n && k < max; i++) {
        if (list[i]->negotiated == NULL)
            out[k++] = list[i];
    }
    return k;
}

void
bt_spn_release_cred(void *mcred)
{
    struct spn_cred *c = mcred;

    if (c == NULL)
        return;
    for (size_t i = 0; i < c->n && !c->borrowed; i++)
        c->mech[i]->release_cred(c->mcred[i]);
    pthread_mutex_destroy(&c->lock);
    free(c);
}

/* Acquires every inner mechanism's credential that can be had; fails only
 * if none can (with the first mechanism's status). */
OM_uint32
bt_spn_acquire_cred(OM_uint32 *minor, const void *mname, OM_uint32 time_req,
                    gss_cred_usage_t usage, const struct bt_cred_args *args,
                    void **out, OM_uint32 *time_rec)
{
    const struct bt_mech *inner[SPN_MAX_INNER];
    size_t n = bt_spn_inner_mechs(inner, SPN_MAX_INNER);
    OM_uint32 first_major = GSS_S_NO_CRED, first_minor = 0, t = 0;
    struct spn_cred *c = calloc(1, sizeof(*c));

    if (c == NULL)
        return bt_fail(minor, GSS_S_FAILURE, ENOMEM);
    pthread_mutex_init(&c->lock, NULL);
    c->usage = usage;
    for (size_t i = 0; i < n; i++) {
        void *iname = NULL, *icred = NULL;
        OM_uint32 major = GSS_S_COMPLETE, min = 0, it = 0;

        if (mname != NULL)
            major = bt_spn_name_for(&min, mname, inner[i], &iname);
        if (major == GSS_S_COMPLETE)
            major = inner[i]->acquire_cred(&min, iname, time_req, usage, args,
                                           &icred, &it);
        if (iname != NULL)
            inner[i]->release_name(iname);
        if (major != GSS_S_COMPLETE) {
            if (i == 0) {
                first_major = major;
                first_minor = min;
            }
            continue;
        }
        if (c->n == 0 || it < t)
            t = it;
        c->mech[c->n] = inner[i];
        c->mcred[c->n++] = icred;
    }
    if (c->n == 0) {
        bt_spn_release_cred(c);
        return bt_fail(minor, first_major, first_minor);
    }
    if (time_rec != NULL)
        *time_rec = t;
    *out = c;
    *minor = 0;
    return GSS_S_COMPLETE;
}

/* A view of another credential's concrete elements (gss_init_sec_context
 * with SPNEGO and a Kerberos-only credential, as MIT allows). */
OM_uint32
bt_spn_borrow_creds(OM_uint32 *minor, size_t n,
                    const struct bt_mech *const *mechs, void *const *mcreds,
                    void **out)
{
    struct spn_cred *c;

    c = calloc(1, sizeof(*c));
    if (c == NULL)
        return bt_fail(minor, GSS_S_FAILURE, ENOMEM);
    pthread_mutex_init(&c->lock, NULL);
    c->usage = GSS_C_BOTH;
    c->borrowed = true;
    for (size_t i = 0; i < n && c->n < SPN_MAX_INNER; i++) {
        if (mechs[i]->negotiated != NULL)
            continue;
        c->mech[c->n] = mechs[i];
        c->mcred[c->n++] = mcreds[i];
    }
    if (c->n == 0) {
        bt_spn_release_cred(c);
        return bt_fail(minor, GSS_S_NO_CRED, BT_E_MECH_NOT_IN_CRED);
    }
    *out = c;
    *minor = 0;
    return GSS_S_COMPLETE;
}

/* Reports the first inner credential, its name as an SPNEGO name. */
OM_uint32
bt_spn_inquire_cred(OM_uint32 *minor, const void *mcred, void **mname_out,
                    OM_uint32 *init_life, OM_uint32 *accept_life,
                    gss_cred_usage_t *usage)
{
    const struct spn_cred *c = mcred;
    const struct bt_mech *m = c->mech[0];
    void *iname = NULL;
    OM_uint32 major;

    if (m->inquire_cred == NULL)
        return bt_fail(minor, GSS_S_UNAVAILABLE, BT_E_NOT_IMPLEMENTED);
    major = m->inquire_cred(minor, c->mcred[0],
                            mname_out != NULL ? &iname : NULL, init_life,
                            accept_life, usage);
    if (major != GSS_S_COMPLETE || iname == NULL)
        return major;
    major = bt_spn_import_mech_name(minor, m, iname, mname_out);
    m->release_name(iname);
    return major;
}

void *
bt_spn_cred_for(const struct spn_cred *cred, const struct bt_mech *mech)
{
    if (cred == NULL)
        return NULL;
    for (size_t i = 0; i < cred->n; i++) {
        if (cred->mech[i] == mech)
            return cred->mcred[i];
    }
    return NULL;
}

bool
bt_spn_oid_matches(const gss_OID_desc *offered, const gss_OID_desc *allowed)
{
    if (bt_oid_eq(offered, allowed))
        return true;
    return bt_oid_eq(offered, BT_OID(O_KRB5_WRONG)) &&
           bt_oid_eq(allowed, BT_OID(O_KRB5));
}

static bool
cred_has(const struct spn_cred *cred, const struct bt_mech *mech)
{
    return cred == NULL || bt_spn_cred_for(cred, mech) != NULL;
}

size_t
bt_spn_allowed(struct spn_cred *cred, const gss_OID_desc **out,
               size_t max)
{
    const struct bt_mech *inner[SPN_MAX_INNER];
    size_t n, k = 0;

    if (cred != NULL) {
        bool set;

        pthread_mutex_lock(&cred->lock);
        set = cred->neg_set;
        for (size_t i = 0; set && i < cred->n_neg && k < max; i++) {
            if (cred_has(cred, bt_mech_find(cred->neg[i])))
                out[k++] = cred->neg[i];
        }
        pthread_mutex_unlock(&cred->lock);
        if (set)
            return k;
    }
    n = bt_spn_inner_mechs(inner, SPN_MAX_INNER);
    for (size_t i = 0; i < n && k < max; i++) {
        if (cred_has(cred, inner[i]))
            out[k++] = inner[i]->oid;
    }
    return k;
}

/* Each OID must name a concrete mechanism of this library (or one of its
 * aliases, such as Microsoft's Kerberos OID); duplicates are dropped. */
OM_uint32
bt_spn_set_neg_mechs(OM_uint32 *minor, void *mcred,
                     const gss_OID_set_desc *mechs)
{
    struct spn_cred *c = mcred;
    const gss_OID_desc *list[BT_NEG_MAX_MECHS];
    size_t k = 0;

    for (size_t i = 0; i < mechs->count; i++) {
        const gss_OID_desc *oid = bt_oid_static(&mechs->elements[i]);
        const struct bt_mech *m = oid != NULL ? bt_mech_find(oid) : NULL;
        bool dup = false;

        if (m == NULL || m->negotiated != NULL)
            return bt_fail(minor, GSS_S_BAD_MECH, BT_E_UNSUPPORTED_MECH);
        for (size_t j = 0; j < k; j++)
            dup = dup || list[j] == oid;
        if (dup)
            continue;
        if (k == BT_NEG_MAX_MECHS)
            return bt_fail(minor, GSS_S_FAILURE, BT_E_SPNEGO_TOO_MANY_MECHS);
        list[k++] = oid;
    }
    pthread_mutex_lock(&c->lock);
    for (size_t i = 0; i < k; i++)
        c->neg[i] = list[i];
    c->n_neg = k;
    c->neg_set = true;
    pthread_mutex_unlock(&c->lock);
    *minor = 0;
    return GSS_S_COMPLETE;
}

OM_uint32
bt_spn_get_neg_mechs(OM_uint32 *minor, void *mcred, gss_OID_set *out)
{
    const gss_OID_desc *list[BT_NEG_MAX_MECHS];
    size_t k = bt_spn_allowed(mcred, list, BT_NEG_MAX_MECHS);

    return bt_oid_set_from(minor, list, k, out);
}
