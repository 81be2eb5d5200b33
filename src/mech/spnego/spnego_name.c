/*
 * spnego_name.c - SPNEGO names.  SPNEGO has no names of its own: a name
 * imported for it keeps its text until a mechanism is chosen, and a
 * concrete mechanism's MN is carried as is.  Every operation on an MN
 * goes to its mechanism.
 */
#include "mech/spnego/spnego.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "glue/glue.h"

static void
name_free(struct spn_name *n)
{
    if (n == NULL)
        return;
    if (n->mech != NULL && n->mname != NULL)
        n->mech->release_name(n->mname);
    free(n->text.value);
    free(n->type.elements);
    free(n);
}

static OM_uint32
name_new(OM_uint32 *minor, struct spn_name **out)
{
    struct spn_name *n = calloc(1, sizeof(*n));

    if (n == NULL)
        return bt_fail(minor, GSS_S_FAILURE, ENOMEM);
    *out = n;
    return GSS_S_COMPLETE;
}

OM_uint32
bt_spn_import_name(OM_uint32 *minor, const gss_buffer_desc *text,
                   const gss_OID_desc *type, void **out)
{
    struct spn_name *n = NULL;
    OM_uint32 major;

    /* A name no mechanism could use fails now, not at negotiation. */
    major = bt_name_validate(minor, text, type);
    if (major == GSS_S_COMPLETE)
        major = name_new(minor, &n);
    if (major == GSS_S_COMPLETE)
        major = bt_buf_set(minor, text->value, text->length, &n->text);
    if (major == GSS_S_COMPLETE && type != GSS_C_NO_OID)
        major = bt_oid_copy(minor, type, &n->type);
    if (major != GSS_S_COMPLETE) {
        name_free(n);
        return major;
    }
    *out = n;
    *minor = 0;
    return GSS_S_COMPLETE;
}

OM_uint32
bt_spn_import_mech_name(OM_uint32 *minor, const struct bt_mech *other,
                        const void *other_mname, void **out)
{
    struct spn_name *n = NULL;
    OM_uint32 major;

    /* A name is never an MN of SPNEGO itself inside SPNEGO. */
    if (other->negotiated != NULL)
        return bt_fail(minor, GSS_S_BAD_NAMETYPE, BT_E_NAME_OTHER_MECH);
    major = name_new(minor, &n);
    if (major != GSS_S_COMPLETE)
        return major;
    major = other->duplicate_name(minor, other_mname, &n->mname);
    if (major != GSS_S_COMPLETE) {
        free(n);
        return major;
    }
    n->mech = other;
    *out = n;
    *minor = 0;
    return GSS_S_COMPLETE;
}

OM_uint32
bt_spn_duplicate_name(OM_uint32 *minor, const void *mname, void **out)
{
    const struct spn_name *n = mname;

    if (n->mech != NULL)
        return bt_spn_import_mech_name(minor, n->mech, n->mname, out);
    return bt_spn_import_name(minor, &n->text,
                              n->type.length > 0 ? &n->type : GSS_C_NO_OID,
                              out);
}

void
bt_spn_release_name(void *mname)
{
    name_free(mname);
}

OM_uint32
bt_spn_name_for(OM_uint32 *minor, const struct spn_name *name,
                const struct bt_mech *mech, void **out)
{
    const gss_OID_desc *type = name->type.length > 0 ? &name->type : NULL;

    if (name->mech == mech)
        return mech->duplicate_name(minor, name->mname, out);
    if (name->mech != NULL)
        return bt_fail(minor, GSS_S_BAD_NAMETYPE, BT_E_NAME_OTHER_MECH);
    if (type != NULL && !bt_mech_has_name_type(mech, type))
        return bt_fail(minor, GSS_S_BAD_NAMETYPE, BT_E_NAME_TYPE_UNSUPPORTED);
    return mech->import_name(minor, &name->text, type, out);
}

OM_uint32
bt_spn_display_name(OM_uint32 *minor, const void *mname, gss_buffer_t out,
                    gss_OID *type_out)
{
    const struct spn_name *n = mname;
    OM_uint32 major;

    if (n->mech != NULL)
        return n->mech->display_name(minor, n->mname, out, type_out);
    major = bt_buf_set(minor, n->text.value, n->text.length, out);
    if (major == GSS_S_COMPLETE && type_out != NULL)
        *type_out = n->type.length > 0 ? bt_oid_static(&n->type)
                                       : GSS_C_NO_OID;
    return major;
}

OM_uint32
bt_spn_compare_name(OM_uint32 *minor, const void *a, const void *b,
                    int *equal_out)
{
    const struct spn_name *x = a, *y = b;

    if (x->mech != NULL && x->mech == y->mech)
        return x->mech->compare_name(minor, x->mname, y->mname, equal_out);
    if (x->mech != NULL || y->mech != NULL) {
        *equal_out = 0;
    } else {
        *equal_out = x->text.length == y->text.length &&
                     bt_oid_eq(&x->type, &y->type) &&
                     (x->text.length == 0 ||
                      memcmp(x->text.value, y->text.value, x->text.length) == 0);
    }
    *minor = 0;
    return GSS_S_COMPLETE;
}

OM_uint32
bt_spn_localname(OM_uint32 *minor, const void *mname, gss_buffer_t out)
{
    const struct spn_name *n = mname;

    if (n->mech != NULL && n->mech->localname != NULL)
        return n->mech->localname(minor, n->mname, out);
    return bt_fail(minor, GSS_S_UNAVAILABLE, BT_E_SPNEGO_NOT_NEGOTIATED);
}
