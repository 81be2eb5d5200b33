/*
 * name.c - Kerberos mechanism names: principals parsed and printed by
 * libkrb5.
 */
#include "mech/krb5/krb5_mech.h"

#include <errno.h>
#include <pwd.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "glue/glue.h"
#include "glue/oids.h"
#include "util/mem.h"
#include "util/reader.h"

struct import_args {
    const char *text;           /* NUL-terminated */
    const gss_OID_desc *type;
    uid_t uid;                  /* machine uid names */
    krb5_principal princ;       /* result */
};

/* RFC 2743 4.1: "service@host", or just "service" for the local host. */
static krb5_error_code
import_hostbased(krb5_context k, struct import_args *a)
{
    const char *at = strchr(a->text, '@');
    char *service;
    krb5_error_code ret;

    if (at == NULL)
        return krb5_sname_to_principal(k, NULL, a->text, KRB5_NT_SRV_HST,
                                       &a->princ);
    service = strndup(a->text, (size_t)(at - a->text));
    if (service == NULL)
        return ENOMEM;
    ret = krb5_sname_to_principal(k, at[1] != '\0' ? at + 1 : NULL, service,
                                  KRB5_NT_SRV_HST, &a->princ);
    free(service);
    return ret;
}

/* RFC 2744 4.2/4.3: a uid names the local user of that uid. */
static krb5_error_code
import_uid(krb5_context k, struct import_args *a)
{
    struct passwd pw, *res = NULL;
    char buf[1024];

    if (getpwuid_r(a->uid, &pw, buf, sizeof(buf), &res) != 0 || res == NULL)
        return KRB5_PARSE_MALFORMED;
    return krb5_parse_name(k, pw.pw_name, &a->princ);
}

static bool
parse_decimal_uid(const char *s, uid_t *uid)
{
    unsigned long v;
    char *end;

    if (*s < '0' || *s > '9')
        return false;
    errno = 0;
    v = strtoul(s, &end, 10);
    if (*end != '\0' || errno != 0 || v != (unsigned long)(uid_t)v)
        return false;
    *uid = (uid_t)v;
    return true;
}

static krb5_error_code
import_one(krb5_context k, void *arg)
{
    struct import_args *a = arg;

    if (bt_oid_eq(a->type, BT_OID(O_NT_HOSTBASED)) ||
        bt_oid_eq(a->type, BT_OID(O_NT_HOSTBASED_X)))
        return import_hostbased(k, a);
    if (bt_oid_eq(a->type, BT_OID(O_NT_MACHINE_UID)))
        return import_uid(k, a);
    if (bt_oid_eq(a->type, BT_OID(O_NT_STRING_UID)))
        return parse_decimal_uid(a->text, &a->uid) ? import_uid(k, a)
                                                   : KRB5_PARSE_MALFORMED;
    if (bt_oid_eq(a->type, BT_OID(O_KRB5_NT_ENTERPRISE)))
        return krb5_parse_name_flags(k, a->text,
                                     KRB5_PRINCIPAL_PARSE_ENTERPRISE,
                                     &a->princ);
    /* GSS_C_NO_OID, user names and krb5 principal names: principal syntax. */
    return krb5_parse_name(k, a->text, &a->princ);
}

static OM_uint32
wrap_princ(OM_uint32 *minor, krb5_principal princ, void **mname_out)
{
    struct bt_krb5_name *n = malloc(sizeof(*n));

    if (n == NULL) {
        krb5_free_principal(NULL, princ);
        return bt_fail(minor, GSS_S_FAILURE, ENOMEM);
    }
    n->princ = princ;
    *mname_out = n;
    return GSS_S_COMPLETE;
}

static OM_uint32
krb5_status(OM_uint32 *minor, krb5_error_code ret)
{
    if (ret == ENOMEM)
        return bt_fail(minor, GSS_S_FAILURE, ENOMEM);
    if (ret == KRB5_PARSE_MALFORMED || ret == KRB5_PARSE_ILLCHAR ||
        ret == KRB5_CONFIG_NODEFREALM || ret == KRB5_ERR_HOST_REALM_UNKNOWN)
        return bt_fail(minor, GSS_S_BAD_NAME, (OM_uint32)ret);
    return bt_fail(minor, GSS_S_FAILURE, (OM_uint32)ret);
}

OM_uint32
bt_krb5_import_name(OM_uint32 *minor, const gss_buffer_desc *text,
                    const gss_OID_desc *type, void **mname_out)
{
    struct import_args a = { NULL, type, 0, NULL };
    struct bt_reader r;
    char *copy = NULL;
    krb5_error_code ret;

    if (bt_oid_eq(type, BT_OID(O_NT_MACHINE_UID))) {
        bt_rd_init(&r, text->value, text->length);
        bt_rd_copy(&r, &a.uid, sizeof(a.uid));
        if (!bt_rd_done(&r))
            return bt_fail(minor, GSS_S_BAD_NAME, KRB5_PARSE_MALFORMED);
    } else {
        /* The glue has refused embedded NULs; libkrb5 wants a C string. */
        copy = strndup(text->value, text->length);
        if (copy == NULL)
            return bt_fail(minor, GSS_S_FAILURE, ENOMEM);
        a.text = copy;
    }
    ret = bt_krb5_with_context(import_one, &a);
    free(copy);
    if (ret != 0)
        return krb5_status(minor, ret);
    return wrap_princ(minor, a.princ, mname_out);
}

static krb5_error_code
parse_exported(krb5_context k, void *arg)
{
    struct import_args *a = arg;

    /* An exported name always carries its realm; never add the default. */
    return krb5_parse_name_flags(k, a->text, KRB5_PRINCIPAL_PARSE_REQUIRE_REALM,
                                 &a->princ);
}

OM_uint32
bt_krb5_import_exported(OM_uint32 *minor, const void *data, size_t len,
                        void **mname_out)
{
    struct import_args a = { NULL, NULL, 0, NULL };
    krb5_error_code ret;
    char *copy;

    if (len == 0 || memchr(data, '\0', len) != NULL)
        return bt_fail(minor, GSS_S_BAD_NAME, KRB5_PARSE_MALFORMED);
    copy = strndup(data, len);
    if (copy == NULL)
        return bt_fail(minor, GSS_S_FAILURE, ENOMEM);
    a.text = copy;
    ret = bt_krb5_with_context(parse_exported, &a);
    free(copy);
    if (ret != 0)
        return krb5_status(minor, ret);
    return wrap_princ(minor, a.princ, mname_out);
}

struct unparse_args {
    krb5_const_principal princ;
    char *text;
};

static krb5_error_code
unparse(krb5_context k, void *arg)
{
    struct unparse_args *u = arg;

    return krb5_unparse_name(k, u->princ, &u->text);
}

/* Prints a principal into a fresh gss buffer. */
static OM_uint32
unparse_to_buffer(OM_uint32 *minor, const struct bt_krb5_name *n,
                  gss_buffer_t out)
{
    struct unparse_args u = { n->princ, NULL };
    krb5_error_code ret = bt_krb5_with_context(unparse, &u);
    OM_uint32 major;

    if (ret != 0)
        return krb5_status(minor, ret);
    major = bt_buf_set(minor, u.text, strlen(u.text), out);
    krb5_free_unparsed_name(NULL, u.text);
    return major;
}

OM_uint32
bt_krb5_export_name(OM_uint32 *minor, const void *mname, gss_buffer_t out)
{
    return unparse_to_buffer(minor, mname, out);
}

OM_uint32
bt_krb5_display_name(OM_uint32 *minor, const void *mname, gss_buffer_t out,
                     gss_OID *type_out)
{
    OM_uint32 major = unparse_to_buffer(minor, mname, out);

    if (major == GSS_S_COMPLETE && type_out != NULL)
        *type_out = BT_OID(O_KRB5_NT_PRINC);
    return major;
}

OM_uint32
bt_krb5_compare_name(OM_uint32 *minor, const void *a, const void *b,
                     int *equal_out)
{
    const struct bt_krb5_name *x = a, *y = b;

    /* krb5_principal_compare needs no context state beyond a handle. */
    *equal_out = krb5_principal_compare(NULL, x->princ, y->princ) ? 1 : 0;
    *minor = 0;
    return GSS_S_COMPLETE;
}

struct copy_args {
    krb5_const_principal src;
    krb5_principal dst;
};

static krb5_error_code
copy_princ(krb5_context k, void *arg)
{
    struct copy_args *c = arg;

    return krb5_copy_principal(k, c->src, &c->dst);
}

OM_uint32
bt_krb5_duplicate_name(OM_uint32 *minor, const void *mname, void **copy_out)
{
    const struct bt_krb5_name *n = mname;
    struct copy_args c = { n->princ, NULL };
    krb5_error_code ret = bt_krb5_with_context(copy_princ, &c);

    if (ret != 0)
        return krb5_status(minor, ret);
    return wrap_princ(minor, c.dst, copy_out);
}

void
bt_krb5_release_name(void *mname)
{
    struct bt_krb5_name *n = mname;

    if (n == NULL)
        return;
    krb5_free_principal(NULL, n->princ);
    free(n);
}

struct local_args {
    krb5_const_principal princ;
    char buf[256];
};

static krb5_error_code
to_local(krb5_context k, void *arg)
{
    struct local_args *l = arg;

    return krb5_aname_to_localname(k, l->princ, (int)sizeof(l->buf), l->buf);
}

OM_uint32
bt_krb5_localname(OM_uint32 *minor, const void *mname, gss_buffer_t out)
{
    const struct bt_krb5_name *n = mname;
    struct local_args l = { n->princ, { 0 } };
    krb5_error_code ret = bt_krb5_with_context(to_local, &l);

    if (ret == KRB5_LNAME_NOTRANS || ret == KRB5_NO_LOCALNAME)
        return bt_fail(minor, GSS_S_UNAVAILABLE, (OM_uint32)ret);
    if (ret != 0)
        return krb5_status(minor, ret);
    return bt_buf_set(minor, l.buf, strlen(l.buf), out);
}
