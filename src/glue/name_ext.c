/*
 * name_ext.c - naming extensions: gss_inquire_name, gss_display_name_ext,
 * local names (gss_localname, gss_userok, gss_pname_to_uid,
 * gss_authorize_localname) and RFC 6680 attributes.
 */
#include "glue/glue.h"

#include <errno.h>
#include <pwd.h>
#include <stdlib.h>
#include <string.h>

BT_EXPORT OM_uint32
gss_inquire_name(OM_uint32 *minor_status, gss_name_t name, int *name_is_MN,
                 gss_OID *MN_mech, gss_buffer_set_t *attrs)
{
    struct bt_name *n;
    OM_uint32 major = GSS_S_COMPLETE;

    if (minor_status != NULL)
        *minor_status = 0;
    if (MN_mech != NULL)
        *MN_mech = GSS_C_NO_OID;
    if (attrs != NULL)
        *attrs = GSS_C_NO_BUFFER_SET;
    n = bt_name_get(name);
    if (n == NULL)
        return bt_fail(minor_status, GSS_S_BAD_NAME, BT_E_BAD_HANDLE);
    /* No mechanism has attributes yet: an empty set, never NULL, because
     * callers such as MIT's gss-server walk it unconditionally. */
    if (attrs != NULL)
        major = gss_create_empty_buffer_set(minor_status, attrs);
    if (major == GSS_S_COMPLETE) {
        if (name_is_MN != NULL)
            *name_is_MN = n->mech != NULL;
        if (MN_mech != NULL && n->mech != NULL)
            *MN_mech = (gss_OID)n->mech->oid;
    }
    bt_name_put(n);
    return major;
}

BT_EXPORT OM_uint32
gss_display_name_ext(OM_uint32 *minor_status, gss_name_t name,
                     gss_OID display_as_name_type, gss_buffer_t display_name)
{
    struct bt_name *n;
    gss_OID type = GSS_C_NO_OID;
    OM_uint32 major, tmp;

    if (minor_status != NULL)
        *minor_status = 0;
    bt_buf_clear(display_name);
    if (display_name == GSS_C_NO_BUFFER)
        return bt_fail(minor_status, GSS_S_CALL_INACCESSIBLE_WRITE, 0);
    n = bt_name_get(name);
    if (n == NULL)
        return bt_fail(minor_status, GSS_S_BAD_NAME, BT_E_BAD_HANDLE);
    bt_name_put(n);
    major = gss_display_name(minor_status, name, display_name, &type);
    if (major != GSS_S_COMPLETE)
        return major;
    /* Only the name's own syntax can be shown; conversions are not
     * defined by any mechanism here. */
    if (!bt_oid_eq(type, display_as_name_type)) {
        (void)gss_release_buffer(&tmp, display_name);
        return bt_fail(minor_status, GSS_S_UNAVAILABLE, BT_E_NOT_IMPLEMENTED);
    }
    return GSS_S_COMPLETE;
}

BT_EXPORT OM_uint32
gss_localname(OM_uint32 *minor_status, const gss_name_t name,
              gss_const_OID mech_type, gss_buffer_t localname)
{
    const struct bt_mech *mech;
    struct bt_name *n;
    void *mname = NULL;
    OM_uint32 major;

    if (minor_status != NULL)
        *minor_status = 0;
    bt_buf_clear(localname);
    if (localname == GSS_C_NO_BUFFER)
        return bt_fail(minor_status, GSS_S_CALL_INACCESSIBLE_WRITE, 0);
    n = bt_name_get(name);
    if (n == NULL)
        return bt_fail(minor_status, GSS_S_BAD_NAME, BT_E_BAD_HANDLE);
    mech = mech_type != GSS_C_NO_OID ? bt_mech_find(mech_type)
           : n->mech != NULL ? n->mech : bt_mech_default();
    if (mech == NULL) {
        major = bt_fail(minor_status, GSS_S_BAD_MECH, BT_E_UNSUPPORTED_MECH);
    } else if (mech->localname == NULL) {
        major = bt_fail(minor_status, GSS_S_UNAVAILABLE, BT_E_NOT_IMPLEMENTED);
    } else {
        major = bt_name_to_mech(minor_status, n, mech, &mname);
        if (major == GSS_S_COMPLETE)
            major = mech->localname(minor_status, mname, localname);
        if (mname != NULL)
            mech->release_name(mname);
    }
    bt_name_put(n);
    return major;
}

BT_EXPORT int
gss_userok(const gss_name_t name, const char *username)
{
    gss_buffer_desc local = GSS_C_EMPTY_BUFFER;
    OM_uint32 minor;
    int ok;

    if (username == NULL ||
        gss_localname(&minor, name, GSS_C_NO_OID, &local) != GSS_S_COMPLETE)
        return 0;
    ok = local.length == strlen(username) &&
         memcmp(local.value, username, local.length) == 0;
    (void)gss_release_buffer(&minor, &local);
    return ok;
}

BT_EXPORT OM_uint32
gss_pname_to_uid(OM_uint32 *minor_status, const gss_name_t name,
                 const gss_OID mech_type, uid_t *uid_out)
{
    gss_buffer_desc local = GSS_C_EMPTY_BUFFER;
    struct passwd pw, *res = NULL;
    char buf[1024];
    OM_uint32 major, tmp;

    if (uid_out == NULL)
        return bt_fail(minor_status, GSS_S_CALL_INACCESSIBLE_WRITE, 0);
    major = gss_localname(minor_status, name, mech_type, &local);
    if (major != GSS_S_COMPLETE)
        return major;
    /* local.value is NUL-terminated by bt_buf_set. */
    if (getpwnam_r(local.value, &pw, buf, sizeof(buf), &res) != 0 ||
        res == NULL)
        major = bt_fail(minor_status, GSS_S_FAILURE, ENOENT);
    else
        *uid_out = pw.pw_uid;
    (void)gss_release_buffer(&tmp, &local);
    return major;
}

BT_EXPORT OM_uint32
gss_authorize_localname(OM_uint32 *minor_status, const gss_name_t name,
                        const gss_name_t user)
{
    gss_buffer_desc text = GSS_C_EMPTY_BUFFER, local = GSS_C_EMPTY_BUFFER;
    OM_uint32 major, tmp;
    bool same;

    major = gss_display_name(minor_status, user, &text, NULL);
    if (major == GSS_S_COMPLETE)
        major = gss_localname(minor_status, name, GSS_C_NO_OID, &local);
    same = major == GSS_S_COMPLETE && local.length == text.length &&
           memcmp(local.value, text.value, text.length) == 0;
    (void)gss_release_buffer(&tmp, &text);
    (void)gss_release_buffer(&tmp, &local);
    /* No mapping for the principal is a refusal, not an error. */
    if (major == GSS_S_COMPLETE || GSS_ERROR(major) == GSS_S_UNAVAILABLE)
        return bt_fail(minor_status, same ? GSS_S_COMPLETE
                                          : GSS_S_UNAUTHORIZED, 0);
    return major;
}

/* ---- RFC 6680 attributes: no mechanism carries any yet ---- */

static OM_uint32
no_attributes(OM_uint32 *minor, gss_name_t name)
{
    struct bt_name *n = bt_name_get(name);

    if (n == NULL)
        return bt_fail(minor, GSS_S_BAD_NAME, BT_E_BAD_HANDLE);
    bt_name_put(n);
    return bt_fail(minor, GSS_S_UNAVAILABLE, BT_E_NOT_IMPLEMENTED);
}

BT_EXPORT OM_uint32
gss_get_name_attribute(OM_uint32 *minor_status, gss_name_t name,
                       gss_buffer_t attr, int *authenticated, int *complete,
                       gss_buffer_t value, gss_buffer_t display_value,
                       int *more)
{
    (void)authenticated;
    (void)complete;
    (void)more;
    bt_buf_clear(value);
    bt_buf_clear(display_value);
    if (attr == GSS_C_NO_BUFFER)
        return bt_fail(minor_status, GSS_S_CALL_INACCESSIBLE_READ, 0);
    return no_attributes(minor_status, name);
}

BT_EXPORT OM_uint32
gss_set_name_attribute(OM_uint32 *minor_status, gss_name_t name, int complete,
                       gss_buffer_t attr, gss_buffer_t value)
{
    (void)complete;
    (void)value;
    if (attr == GSS_C_NO_BUFFER)
        return bt_fail(minor_status, GSS_S_CALL_INACCESSIBLE_READ, 0);
    return no_attributes(minor_status, name);
}

BT_EXPORT OM_uint32
gss_delete_name_attribute(OM_uint32 *minor_status, gss_name_t name,
                          gss_buffer_t attr)
{
    if (attr == GSS_C_NO_BUFFER)
        return bt_fail(minor_status, GSS_S_CALL_INACCESSIBLE_READ, 0);
    return no_attributes(minor_status, name);
}

BT_EXPORT OM_uint32
gss_export_name_composite(OM_uint32 *minor_status, gss_name_t name,
                          gss_buffer_t exp_composite_name)
{
    bt_buf_clear(exp_composite_name);
    if (exp_composite_name == GSS_C_NO_BUFFER)
        return bt_fail(minor_status, GSS_S_CALL_INACCESSIBLE_WRITE, 0);
    return no_attributes(minor_status, name);
}

BT_EXPORT OM_uint32
gss_map_name_to_any(OM_uint32 *minor_status, gss_name_t name,
                    int authenticated, gss_buffer_t type_id, gss_any_t *output)
{
    (void)authenticated;
    (void)type_id;
    if (output == NULL)
        return bt_fail(minor_status, GSS_S_CALL_INACCESSIBLE_WRITE, 0);
    *output = NULL;
    return no_attributes(minor_status, name);
}

BT_EXPORT OM_uint32
gss_release_any_name_mapping(OM_uint32 *minor_status, gss_name_t name,
                             gss_buffer_t type_id, gss_any_t *input)
{
    (void)type_id;
    (void)input;
    return no_attributes(minor_status, name);
}
