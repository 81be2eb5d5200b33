/*
 * name_ops.c - operations on names that need a mechanism: compare,
 * canonicalize, export, and which mechanisms a name suits.
 */
#include "glue/glue.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "util/der.h"
#include "util/writer.h"

/* The mechanism two names are compared in: an MN's own, else the default. */
static const struct bt_mech *
common_mech(const struct bt_name *a, const struct bt_name *b)
{
    if (a->mech != NULL)
        return a->mech;
    if (b->mech != NULL)
        return b->mech;
    return bt_mech_default();
}

static OM_uint32
compare(OM_uint32 *minor, const struct bt_name *a, const struct bt_name *b,
        int *equal)
{
    const struct bt_mech *mech = common_mech(a, b);
    void *ma = NULL, *mb = NULL;
    OM_uint32 major;

    /* RFC 2744 5.3: an anonymous name never denotes the same identity. */
    if (a->anonymous || b->anonymous) {
        *equal = 0;
        return GSS_S_COMPLETE;
    }
    major = bt_name_to_mech(minor, a, mech, &ma);
    if (major == GSS_S_COMPLETE)
        major = bt_name_to_mech(minor, b, mech, &mb);
    if (major == GSS_S_COMPLETE)
        major = mech->compare_name(minor, ma, mb, equal);
    if (ma != NULL)
        mech->release_name(ma);
    if (mb != NULL)
        mech->release_name(mb);
    return major;
}

BT_EXPORT OM_uint32
gss_compare_name(OM_uint32 *minor_status, gss_name_t name1, gss_name_t name2,
                 int *name_equal)
{
    struct bt_name *a = NULL, *b = NULL;
    OM_uint32 major;
    int equal = 0;

    if (minor_status != NULL)
        *minor_status = 0;
    if (name_equal == NULL)
        return bt_fail(minor_status, GSS_S_CALL_INACCESSIBLE_WRITE, 0);
    a = bt_name_get(name1);
    b = bt_name_get(name2);
    if (a == NULL || b == NULL) {
        major = bt_fail(minor_status, GSS_S_BAD_NAME, BT_E_BAD_HANDLE);
        goto cleanup;
    }
    major = compare(minor_status, a, b, &equal);
    if (major == GSS_S_COMPLETE)
        *name_equal = equal;

cleanup:
    bt_name_put(a);
    bt_name_put(b);
    return major;
}

BT_EXPORT OM_uint32
gss_canonicalize_name(OM_uint32 *minor_status, const gss_name_t input_name,
                      const gss_OID mech_type, gss_name_t *output_name)
{
    const struct bt_mech *mech;
    struct bt_name *name = NULL;
    void *mname = NULL;
    OM_uint32 major;

    if (minor_status != NULL)
        *minor_status = 0;
    if (output_name == NULL)
        return bt_fail(minor_status, GSS_S_CALL_INACCESSIBLE_WRITE, 0);
    *output_name = GSS_C_NO_NAME;
    name = bt_name_get(input_name);
    if (name == NULL)
        return bt_fail(minor_status, GSS_S_BAD_NAME, BT_E_BAD_HANDLE);
    /* RFC 2744 5.5: mech_type must name a single concrete mechanism. */
    mech = bt_mech_find(mech_type);
    if (mech == NULL) {
        major = bt_fail(minor_status, GSS_S_BAD_MECH, BT_E_UNSUPPORTED_MECH);
        goto cleanup;
    }
    major = bt_name_to_mech(minor_status, name, mech, &mname);
    if (major == GSS_S_COMPLETE)
        major = bt_name_from_mech(minor_status, mech, mname, output_name);

cleanup:
    bt_name_put(name);
    return major;
}

/* RFC 2743 3.2 framing around the mechanism's own export. */
static OM_uint32
export(OM_uint32 *minor, const struct bt_name *name, gss_buffer_t out)
{
    gss_buffer_desc inner = GSS_C_EMPTY_BUFFER;
    struct bt_writer w;
    OM_uint32 major, tmp;
    void *data;
    size_t len;

    if (name->mech->export_name == NULL)
        return bt_fail(minor, GSS_S_UNAVAILABLE, BT_E_NOT_IMPLEMENTED);
    major = name->mech->export_name(minor, name->mname, &inner);
    if (major != GSS_S_COMPLETE)
        return major;
    bt_wr_init(&w, false);
    bt_der_wr_exported_name(&w, name->mech->oid->elements,
                            name->mech->oid->length, inner.value,
                            inner.length);
    (void)gss_release_buffer(&tmp, &inner);
    if (bt_wr_take(&w, &data, &len) != 0)
        return bt_fail(minor, GSS_S_FAILURE, ENOMEM);
    out->value = data;
    out->length = len;
    return GSS_S_COMPLETE;
}

BT_EXPORT OM_uint32
gss_export_name(OM_uint32 *minor_status, const gss_name_t input_name,
                gss_buffer_t exported_name)
{
    struct bt_name *name;
    OM_uint32 major;

    if (minor_status != NULL)
        *minor_status = 0;
    bt_buf_clear(exported_name);
    if (exported_name == GSS_C_NO_BUFFER)
        return bt_fail(minor_status, GSS_S_CALL_INACCESSIBLE_WRITE, 0);
    name = bt_name_get(input_name);
    if (name == NULL)
        return bt_fail(minor_status, GSS_S_BAD_NAME, BT_E_BAD_HANDLE);
    if (name->mech == NULL)
        major = bt_fail(minor_status, GSS_S_NAME_NOT_MN, BT_E_NAME_NOT_MN);
    else
        major = export(minor_status, name, exported_name);
    bt_name_put(name);
    return major;
}

/* Mechanisms that can take the name: its own if it is an MN, else every
 * mechanism that lists its type. */
static OM_uint32
mechs_for(OM_uint32 *minor, const struct bt_name *name, gss_OID_set *out)
{
    const struct bt_mech *const *mechs;
    const gss_OID_desc *found[BT_MAX_MECHS];
    size_t n, k = 0;

    if (name->mech != NULL)
        return bt_oid_set_from(minor, &name->mech->oid, 1, out);
    mechs = bt_mech_list(&n);
    for (size_t i = 0; i < n && !name->anonymous; i++) {
        if (name->type.length == 0 ||
            bt_mech_has_name_type(mechs[i], &name->type))
            found[k++] = mechs[i]->oid;
    }
    return bt_oid_set_from(minor, found, k, out);
}

BT_EXPORT OM_uint32
gss_inquire_mechs_for_name(OM_uint32 *minor_status, const gss_name_t input_name,
                           gss_OID_set *mech_types)
{
    struct bt_name *name;
    OM_uint32 major;

    if (minor_status != NULL)
        *minor_status = 0;
    if (mech_types == NULL)
        return bt_fail(minor_status, GSS_S_CALL_INACCESSIBLE_WRITE, 0);
    *mech_types = GSS_C_NO_OID_SET;
    name = bt_name_get(input_name);
    if (name == NULL)
        return bt_fail(minor_status, GSS_S_BAD_NAME, BT_E_BAD_HANDLE);
    major = mechs_for(minor_status, name, mech_types);
    bt_name_put(name);
    return major;
}
