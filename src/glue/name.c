/*
 * name.c - gss_import_name, gss_release_name, gss_duplicate_name,
 * gss_display_name: names as the application hands them in.
 */
#include "glue/glue.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "glue/oids.h"
#include "util/der.h"
#include "util/reader.h"

OM_uint32
bt_name_from_mech(OM_uint32 *minor, const struct bt_mech *mech, void *mname,
                  gss_name_t *out)
{
    struct bt_name *name = NULL;
    OM_uint32 major = bt_name_alloc(minor, &name);

    if (major != GSS_S_COMPLETE) {
        mech->release_name(mname);
        return major;
    }
    name->mech = mech;
    name->mname = mname;
    return bt_name_publish(minor, name, out);
}

OM_uint32
bt_name_to_mech(OM_uint32 *minor, const struct bt_name *name,
                const struct bt_mech *mech, void **mname_out)
{
    const gss_OID_desc *type = name->type.length > 0 ? &name->type : NULL;

    if (name->mech == mech)
        return mech->duplicate_name(minor, name->mname, mname_out);
    /* SPNEGO takes any concrete mechanism's MN (a Kerberos MN as target). */
    if (name->mech != NULL && mech->import_mech_name != NULL)
        return mech->import_mech_name(minor, name->mech, name->mname,
                                      mname_out);
    if (name->mech != NULL)
        return bt_fail(minor, GSS_S_BAD_NAMETYPE, BT_E_NAME_OTHER_MECH);
    if (name->anonymous)
        return bt_fail(minor, GSS_S_BAD_NAME, BT_E_NAME_ANONYMOUS);
    /* SPNEGO takes any type one of its mechanisms takes (as MIT's does):
     * its import judges the name through them. */
    if (type != NULL && mech->negotiated == NULL &&
        !bt_mech_has_name_type(mech, type))
        return bt_fail(minor, GSS_S_BAD_NAMETYPE, BT_E_NAME_TYPE_UNSUPPORTED);
    return mech->import_name(minor, &name->text, type, mname_out);
}

/* RFC 2743 3.2 exported names become mechanism names directly. */
static OM_uint32
import_exported(OM_uint32 *minor, const gss_buffer_desc *in, gss_name_t *out)
{
    struct bt_reader r, oid_r, name_r;
    const struct bt_mech *mech;
    gss_OID_desc oid;
    const uint8_t *data;
    void *mname = NULL;
    size_t n;
    OM_uint32 major;

    bt_rd_init(&r, in->value, in->length);
    bt_der_rd_exported_name(&r, &oid_r, &name_r);
    if (!bt_rd_ok(&r))
        return bt_fail(minor, GSS_S_DEFECTIVE_TOKEN,
                       BT_E_EXPORTED_NAME_MALFORMED);
    oid.elements = (void *)bt_rd_rest(&oid_r, &n);
    oid.length = (OM_uint32)n;
    mech = bt_mech_find(&oid);
    if (mech == NULL)
        return bt_fail(minor, GSS_S_BAD_MECH, BT_E_UNSUPPORTED_MECH);
    if (mech->import_exported == NULL)
        return bt_fail(minor, GSS_S_UNAVAILABLE, BT_E_NOT_IMPLEMENTED);
    data = bt_rd_rest(&name_r, &n);
    major = mech->import_exported(minor, data, n, &mname);
    if (major != GSS_S_COMPLETE)
        return major;
    return bt_name_from_mech(minor, mech, mname, out);
}

/* RFC 2744 leaves the text's form to the name type; MIT accepts one
 * terminating NUL inside the length (its gss-server sends one), so do we.
 * Any other NUL would let two different names display alike. */
static OM_uint32
check_text(OM_uint32 *minor, const gss_buffer_desc *in, gss_buffer_desc *text)
{
    size_t n = in->length;

    if (n > 0 && ((const char *)in->value)[n - 1] == '\0')
        n--;
    if (n == 0)
        return bt_fail(minor, GSS_S_BAD_NAME, BT_E_NAME_EMPTY);
    if (memchr(in->value, '\0', n) != NULL)
        return bt_fail(minor, GSS_S_BAD_NAME, BT_E_NAME_NUL);
    text->length = n;
    text->value = in->value;
    return GSS_S_COMPLETE;
}

/* Some mechanism must take the type; its parser judges the text now, so
 * that a bad name fails at import as applications expect. */
OM_uint32
bt_name_validate(OM_uint32 *minor, const gss_buffer_desc *text,
                 const gss_OID_desc *type)
{
    const struct bt_mech *const *mechs;
    void *mname = NULL;
    OM_uint32 major = bt_fail(minor, GSS_S_BAD_NAMETYPE,
                              BT_E_NAME_TYPE_UNSUPPORTED);
    size_t n;

    mechs = bt_mech_list(&n);
    for (size_t i = 0; i < n; i++) {
        if (type != GSS_C_NO_OID && !bt_mech_has_name_type(mechs[i], type))
            continue;
        /* A negotiating mechanism judges names through the concrete ones. */
        if (mechs[i]->import_name == NULL || mechs[i]->negotiated != NULL)
            continue;
        major = mechs[i]->import_name(minor, text, type, &mname);
        if (major == GSS_S_COMPLETE) {
            mechs[i]->release_name(mname);
            return bt_fail(minor, GSS_S_COMPLETE, 0);
        }
    }
    return major;
}

BT_EXPORT OM_uint32
gss_import_name(OM_uint32 *minor_status, gss_buffer_t input_name_buffer,
                gss_OID input_name_type, gss_name_t *output_name)
{
    struct bt_name *name = NULL;
    gss_buffer_desc text;
    OM_uint32 major = GSS_S_COMPLETE;

    if (minor_status != NULL)
        *minor_status = 0;
    if (output_name == NULL)
        return bt_fail(minor_status, GSS_S_CALL_INACCESSIBLE_WRITE, 0);
    *output_name = GSS_C_NO_NAME;
    if (input_name_buffer == GSS_C_NO_BUFFER ||
        !bt_buf_valid(input_name_buffer))
        return bt_fail(minor_status, GSS_S_CALL_INACCESSIBLE_READ,
                       BT_E_BAD_BUFFER);
    if (bt_oid_eq(input_name_type, GSS_C_NT_EXPORT_NAME))
        return import_exported(minor_status, input_name_buffer, output_name);
    if (bt_oid_eq(input_name_type, GSS_C_NT_COMPOSITE_EXPORT))
        return bt_fail(minor_status, GSS_S_BAD_NAMETYPE, BT_E_COMPOSITE_NAME);
    /* Machine uid names are binary (a uid_t); every other type is text. */
    if (bt_oid_eq(input_name_type, GSS_C_NT_MACHINE_UID_NAME))
        text = *input_name_buffer;
    else
        major = check_text(minor_status, input_name_buffer, &text);
    if (major != GSS_S_COMPLETE)
        return major;
    if (!bt_oid_eq(input_name_type, GSS_C_NT_ANONYMOUS)) {
        major = bt_name_validate(minor_status, &text, input_name_type);
        if (major != GSS_S_COMPLETE)
            return major;
    }
    major = bt_name_alloc(minor_status, &name);
    if (major != GSS_S_COMPLETE)
        return major;
    name->anonymous = bt_oid_eq(input_name_type, GSS_C_NT_ANONYMOUS);
    if (input_name_type != GSS_C_NO_OID)
        major = bt_oid_copy(minor_status, input_name_type, &name->type);
    if (major == GSS_S_COMPLETE)
        major = bt_buf_set(minor_status, text.value, text.length, &name->text);
    if (major != GSS_S_COMPLETE) {
        bt_name_put(name);
        return major;
    }
    return bt_name_publish(minor_status, name, output_name);
}

BT_EXPORT OM_uint32
gss_release_name(OM_uint32 *minor_status, gss_name_t *input_name)
{
    struct bt_obj *obj;

    if (minor_status != NULL)
        *minor_status = 0;
    if (input_name == NULL)
        return bt_fail(minor_status, GSS_S_CALL_INACCESSIBLE_WRITE, 0);
    if (*input_name == GSS_C_NO_NAME)
        return GSS_S_COMPLETE;
    obj = bt_handle_retire((uintptr_t)*input_name, BT_KIND_NAME);
    if (obj == NULL)
        return bt_fail(minor_status, GSS_S_BAD_NAME, BT_E_BAD_HANDLE);
    bt_obj_put(obj);
    *input_name = GSS_C_NO_NAME;
    return GSS_S_COMPLETE;
}

BT_EXPORT OM_uint32
gss_duplicate_name(OM_uint32 *minor_status, const gss_name_t src_name,
                   gss_name_t *dest_name)
{
    struct bt_name *src = NULL, *dst = NULL;
    OM_uint32 major;

    if (minor_status != NULL)
        *minor_status = 0;
    if (dest_name == NULL)
        return bt_fail(minor_status, GSS_S_CALL_INACCESSIBLE_WRITE, 0);
    *dest_name = GSS_C_NO_NAME;
    src = bt_name_get(src_name);
    if (src == NULL)
        return bt_fail(minor_status, GSS_S_BAD_NAME, BT_E_BAD_HANDLE);
    major = bt_name_alloc(minor_status, &dst);
    if (major != GSS_S_COMPLETE)
        goto cleanup;
    dst->anonymous = src->anonymous;
    if (src->type.length > 0)
        major = bt_oid_copy(minor_status, &src->type, &dst->type);
    if (major == GSS_S_COMPLETE && src->text.value != NULL)
        major = bt_buf_set(minor_status, src->text.value, src->text.length,
                           &dst->text);
    if (major == GSS_S_COMPLETE && src->mech != NULL) {
        major = src->mech->duplicate_name(minor_status, src->mname,
                                          &dst->mname);
        if (major == GSS_S_COMPLETE)
            dst->mech = src->mech;
    }
    if (major == GSS_S_COMPLETE) {
        major = bt_name_publish(minor_status, dst, dest_name);
        dst = NULL;
    }

cleanup:
    bt_name_put(dst);
    bt_name_put(src);
    return major;
}

BT_EXPORT OM_uint32
gss_display_name(OM_uint32 *minor_status, gss_name_t input_name,
                 gss_buffer_t output_name_buffer, gss_OID *output_name_type)
{
    struct bt_name *name;
    gss_OID type = GSS_C_NO_OID;
    OM_uint32 major;

    if (minor_status != NULL)
        *minor_status = 0;
    if (output_name_type != NULL)
        *output_name_type = GSS_C_NO_OID;
    bt_buf_clear(output_name_buffer);
    if (output_name_buffer == GSS_C_NO_BUFFER)
        return bt_fail(minor_status, GSS_S_CALL_INACCESSIBLE_WRITE, 0);
    name = bt_name_get(input_name);
    if (name == NULL)
        return bt_fail(minor_status, GSS_S_BAD_NAME, BT_E_BAD_HANDLE);
    if (name->text.value != NULL) {
        major = bt_buf_set(minor_status, name->text.value, name->text.length,
                           output_name_buffer);
        /* RFC 2744: the type points to static storage.  Unknown types
         * point into the name, valid while the name lives. */
        if (name->type.length > 0) {
            type = bt_oid_static(&name->type);
            if (type == GSS_C_NO_OID)
                type = &name->type;
        }
    } else {
        major = name->mech->display_name(minor_status, name->mname,
                                         output_name_buffer, &type);
    }
    if (major == GSS_S_COMPLETE && output_name_type != NULL)
        *output_name_type = type;
    bt_name_put(name);
    return major;
}
