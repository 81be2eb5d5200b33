/*
 * oid_set.c - OIDs and OID sets: copy, compare, create/add/test/release.
 */
#include "glue/glue.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

bool
bt_oid_eq(const gss_OID_desc *a, const gss_OID_desc *b)
{
    if (a == NULL || b == NULL)
        return false;
    if (a->length != b->length)
        return false;
    return a->length == 0 || memcmp(a->elements, b->elements, a->length) == 0;
}

BT_EXPORT int
gss_oid_equal(gss_const_OID first_oid, gss_const_OID second_oid)
{
    return bt_oid_eq(first_oid, second_oid);
}

OM_uint32
bt_oid_copy(OM_uint32 *minor, const gss_OID_desc *src, gss_OID_desc *dst)
{
    void *p = malloc(src->length > 0 ? src->length : 1);

    if (p == NULL)
        return bt_fail(minor, GSS_S_FAILURE, ENOMEM);
    if (src->length > 0)
        memcpy(p, src->elements, src->length);
    dst->length = src->length;
    dst->elements = p;
    return GSS_S_COMPLETE;
}

static void
set_free(gss_OID_set set)
{
    for (size_t i = 0; i < set->count; i++)
        free(set->elements[i].elements);
    free(set->elements);
    free(set);
}

BT_EXPORT OM_uint32
gss_create_empty_oid_set(OM_uint32 *minor_status, gss_OID_set *oid_set)
{
    gss_OID_set set;

    if (minor_status != NULL)
        *minor_status = 0;
    if (oid_set == NULL)
        return bt_fail(minor_status, GSS_S_CALL_INACCESSIBLE_WRITE, 0);
    *oid_set = GSS_C_NO_OID_SET;
    set = calloc(1, sizeof(*set));
    if (set == NULL)
        return bt_fail(minor_status, GSS_S_FAILURE, ENOMEM);
    *oid_set = set;
    return GSS_S_COMPLETE;
}

BT_EXPORT OM_uint32
gss_test_oid_set_member(OM_uint32 *minor_status, gss_OID member,
                        gss_OID_set set, int *present)
{
    if (minor_status != NULL)
        *minor_status = 0;
    if (member == GSS_C_NO_OID || set == GSS_C_NO_OID_SET)
        return bt_fail(minor_status, GSS_S_CALL_INACCESSIBLE_READ, 0);
    if (present == NULL)
        return bt_fail(minor_status, GSS_S_CALL_INACCESSIBLE_WRITE, 0);
    *present = 0;
    for (size_t i = 0; i < set->count; i++) {
        if (bt_oid_eq(&set->elements[i], member)) {
            *present = 1;
            break;
        }
    }
    return GSS_S_COMPLETE;
}

BT_EXPORT OM_uint32
gss_add_oid_set_member(OM_uint32 *minor_status, gss_OID member_oid,
                       gss_OID_set *oid_set)
{
    gss_OID_desc *elements;
    gss_OID_set set;
    OM_uint32 major;
    int present;

    if (minor_status != NULL)
        *minor_status = 0;
    if (member_oid == GSS_C_NO_OID ||
        (member_oid->length > 0 && member_oid->elements == NULL))
        return bt_fail(minor_status, GSS_S_CALL_INACCESSIBLE_READ, 0);
    if (oid_set == NULL || *oid_set == GSS_C_NO_OID_SET)
        return bt_fail(minor_status, GSS_S_CALL_INACCESSIBLE_WRITE, 0);
    set = *oid_set;
    major = gss_test_oid_set_member(minor_status, member_oid, set, &present);
    if (major != GSS_S_COMPLETE || present)
        return major;   /* RFC 2744: adding a present member is a no-op */
    if (set->count >= SIZE_MAX / sizeof(*elements) - 1)
        return bt_fail(minor_status, GSS_S_FAILURE, ENOMEM);
    elements = realloc(set->elements, (set->count + 1) * sizeof(*elements));
    if (elements == NULL)
        return bt_fail(minor_status, GSS_S_FAILURE, ENOMEM);
    set->elements = elements;
    major = bt_oid_copy(minor_status, member_oid, &elements[set->count]);
    if (major != GSS_S_COMPLETE)
        return major;
    set->count++;
    return GSS_S_COMPLETE;
}

BT_EXPORT OM_uint32
gss_release_oid_set(OM_uint32 *minor_status, gss_OID_set *set)
{
    if (minor_status != NULL)
        *minor_status = 0;
    if (set == NULL || *set == GSS_C_NO_OID_SET)
        return GSS_S_COMPLETE;
    set_free(*set);
    *set = GSS_C_NO_OID_SET;
    return GSS_S_COMPLETE;
}

OM_uint32
bt_oid_set_from(OM_uint32 *minor, const gss_OID_desc *const *oids, size_t n,
                gss_OID_set *out)
{
    gss_OID_set set = GSS_C_NO_OID_SET;
    OM_uint32 major, tmp;

    major = gss_create_empty_oid_set(minor, &set);
    for (size_t i = 0; i < n && major == GSS_S_COMPLETE; i++)
        major = gss_add_oid_set_member(minor, (gss_OID)oids[i], &set);
    if (major != GSS_S_COMPLETE) {
        (void)gss_release_oid_set(&tmp, &set);
        return major;
    }
    *out = set;
    return GSS_S_COMPLETE;
}

BT_EXPORT OM_uint32
gss_release_oid(OM_uint32 *minor_status, gss_OID *oid)
{
    if (minor_status != NULL)
        *minor_status = 0;
    if (oid == NULL || *oid == GSS_C_NO_OID)
        return GSS_S_COMPLETE;
    /* The library's own OIDs live in static storage: leave them be, but
     * still clear the caller's pointer as MIT does. */
    if (!bt_oid_is_static(*oid)) {
        free((*oid)->elements);
        free(*oid);
    }
    *oid = GSS_C_NO_OID;
    return GSS_S_COMPLETE;
}
