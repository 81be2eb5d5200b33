/*
 * gss_import_name_fuzz.c - attacks gss_import_name (src/glue/name.c) and
 * the Kerberos name code behind it (src/mech/krb5/name.c).
 *
 * Input: one octet choosing the name type (index into name_types, modulo),
 * then the name buffer.  A name that imports must then survive every
 * operation on names:
 *   - gss_display_name succeeds; a name imported as text displays as that
 *     text (less one terminating NUL), with its own type;
 *   - gss_duplicate_name gives a name that displays and compares alike;
 *   - gss_canonicalize_name(krb5) succeeds unless the name is anonymous;
 *   - gss_export_name of the MN re-imports as GSS_C_NT_EXPORT_NAME, compares
 *     equal to it and to the original, and exports to the same octets;
 *   - every handle released is dead afterwards (GSS_S_BAD_NAME).
 * A name that fails to import leaves GSS_C_NO_NAME.  LeakSanitizer catches
 * anything not released.
 *
 * The krb5 code needs a configuration with a default realm and no DNS: a
 * private krb5.conf is written to a temporary file at start-up.
 */
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <gssapi/gssapi.h>
#include <gssapi/gssapi_ext.h>
#include <gssapi/gssapi_krb5.h>

#include "fuzz.h"

static const char krb5_conf[] =
    "[libdefaults]\n"
    "\tdefault_realm = FUZZ.TEST\n"
    "\tdns_lookup_kdc = false\n"
    "\tdns_lookup_realm = false\n"
    "\tdns_canonicalize_hostname = false\n"
    "\trdns = false\n"
    "\tqualify_shortname = \"\"\n";

static char conf_path[64];

static void
remove_conf(void)
{
    (void)unlink(conf_path);
}

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
    const char *tmp = getenv("TMPDIR");
    int fd;

    (void)argc;
    (void)argv;
    if (tmp == NULL || strlen(tmp) > sizeof(conf_path) - 32)
        tmp = "/tmp";
    snprintf(conf_path, sizeof(conf_path), "%s/baton-fuzz-krb5.XXXXXX", tmp);
    fd = mkstemp(conf_path);
    FUZZ_CHECK(fd >= 0);
    FUZZ_CHECK(write(fd, krb5_conf, sizeof(krb5_conf) - 1) ==
               (ssize_t)(sizeof(krb5_conf) - 1));
    FUZZ_CHECK(close(fd) == 0);
    FUZZ_CHECK(setenv("KRB5_CONFIG", conf_path, 1) == 0);
    atexit(remove_conf);
    return 0;
}

/* Selected by the first input octet, modulo the count.  The last two are
 * types no mechanism imports as text: they must always be refused. */
static gss_OID
name_type(uint8_t sel)
{
    const gss_OID types[] = {
        GSS_C_NT_EXPORT_NAME, GSS_C_NT_HOSTBASED_SERVICE,
        GSS_C_NT_USER_NAME, GSS_KRB5_NT_PRINCIPAL_NAME, GSS_C_NO_OID,
        GSS_C_NT_ANONYMOUS, GSS_C_NT_STRING_UID_NAME,
        GSS_C_NT_MACHINE_UID_NAME, GSS_KRB5_NT_ENTERPRISE_NAME,
        GSS_C_NT_HOSTBASED_SERVICE_X, GSS_C_NT_COMPOSITE_EXPORT,
        GSS_KRB5_NT_X509_CERT,
    };

    return types[sel % (sizeof(types) / sizeof(types[0]))];
}

static bool
oid_eq(gss_const_OID a, gss_const_OID b)
{
    if (a == GSS_C_NO_OID || b == GSS_C_NO_OID)
        return a == b;
    return a->length == b->length &&
           memcmp(a->elements, b->elements, a->length) == 0;
}

static bool
buf_eq(const gss_buffer_desc *a, const gss_buffer_desc *b)
{
    return a->length == b->length &&
           (a->length == 0 || memcmp(a->value, b->value, a->length) == 0);
}

static void
display_ok(gss_name_t name, gss_buffer_t out, gss_OID *type)
{
    OM_uint32 minor;

    FUZZ_CHECK(gss_display_name(&minor, name, out, type) == GSS_S_COMPLETE);
    FUZZ_CHECK(out->value != NULL);
    FUZZ_CHECK(((const char *)out->value)[out->length] == '\0');
}

static int
compare_ok(gss_name_t a, gss_name_t b)
{
    OM_uint32 minor;
    int equal = -1;

    FUZZ_CHECK(gss_compare_name(&minor, a, b, &equal) == GSS_S_COMPLETE);
    FUZZ_CHECK(equal == 0 || equal == 1);
    return equal;
}

/* Releases *name and checks that the stale handle is refused. */
static void
release_ok(gss_name_t *name)
{
    gss_buffer_desc out = GSS_C_EMPTY_BUFFER;
    gss_name_t stale = *name;
    OM_uint32 minor;

    FUZZ_CHECK(gss_release_name(&minor, name) == GSS_S_COMPLETE);
    FUZZ_CHECK(*name == GSS_C_NO_NAME);
    FUZZ_CHECK(gss_display_name(&minor, stale, &out, NULL) == GSS_S_BAD_NAME);
    FUZZ_CHECK(gss_release_name(&minor, &stale) == GSS_S_BAD_NAME);
}

/* Export of an MN: re-imports, compares equal, exports the same. */
static void
check_export(gss_name_t orig, gss_name_t mn)
{
    gss_buffer_desc exp1 = GSS_C_EMPTY_BUFFER, exp2 = GSS_C_EMPTY_BUFFER;
    gss_buffer_desc d1 = GSS_C_EMPTY_BUFFER, d2 = GSS_C_EMPTY_BUFFER;
    gss_name_t back = GSS_C_NO_NAME;
    OM_uint32 major, minor;

    major = gss_export_name(&minor, mn, &exp1);
    FUZZ_CHECK(major == GSS_S_COMPLETE);
    major = gss_import_name(&minor, &exp1, GSS_C_NT_EXPORT_NAME, &back);
    FUZZ_CHECK(major == GSS_S_COMPLETE);
    FUZZ_CHECK(compare_ok(mn, back) == 1);
    FUZZ_CHECK(compare_ok(back, mn) == 1);
    FUZZ_CHECK(compare_ok(orig, back) == 1);
    major = gss_export_name(&minor, back, &exp2);
    FUZZ_CHECK(major == GSS_S_COMPLETE);
    FUZZ_CHECK(buf_eq(&exp1, &exp2));
    display_ok(mn, &d1, NULL);
    display_ok(back, &d2, NULL);
    FUZZ_CHECK(buf_eq(&d1, &d2));

    release_ok(&back);
    (void)gss_release_buffer(&minor, &exp1);
    (void)gss_release_buffer(&minor, &exp2);
    (void)gss_release_buffer(&minor, &d1);
    (void)gss_release_buffer(&minor, &d2);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    gss_buffer_desc in, disp = GSS_C_EMPTY_BUFFER, disp2 = GSS_C_EMPTY_BUFFER;
    gss_buffer_desc exp = GSS_C_EMPTY_BUFFER;
    gss_name_t name = GSS_C_NO_NAME, dup = GSS_C_NO_NAME, mn = GSS_C_NO_NAME;
    gss_OID type, disp_type = GSS_C_NO_OID, disp_type2 = GSS_C_NO_OID;
    OM_uint32 major, minor;
    bool exported, anonymous;
    size_t text_len;

    if (size < 1)
        return 0;
    type = name_type(data[0]);
    in.length = size - 1;
    in.value = (void *)(data + 1);
    exported = oid_eq(type, GSS_C_NT_EXPORT_NAME);
    anonymous = oid_eq(type, GSS_C_NT_ANONYMOUS);

    major = gss_import_name(&minor, &in, type, &name);
    if (major != GSS_S_COMPLETE) {
        FUZZ_CHECK(GSS_ERROR(major));
        FUZZ_CHECK(name == GSS_C_NO_NAME);
        return 0;
    }
    FUZZ_CHECK(name != GSS_C_NO_NAME);
    FUZZ_CHECK(!oid_eq(type, GSS_C_NT_COMPOSITE_EXPORT) &&
               !oid_eq(type, GSS_KRB5_NT_X509_CERT));

    display_ok(name, &disp, &disp_type);
    if (exported) {
        FUZZ_CHECK(oid_eq(disp_type, GSS_KRB5_NT_PRINCIPAL_NAME));
    } else {
        /* Text may carry one terminating NUL inside the length (as MIT
         * allows); a machine uid is a binary uid_t, kept whole. */
        text_len = in.length;
        if (!oid_eq(type, GSS_C_NT_MACHINE_UID_NAME) && text_len > 0 &&
            data[size - 1] == '\0')
            text_len--;
        FUZZ_CHECK(disp.length == text_len &&
                   memcmp(disp.value, in.value, text_len) == 0);
        FUZZ_CHECK(oid_eq(disp_type, type));
    }

    FUZZ_CHECK(gss_duplicate_name(&minor, name, &dup) == GSS_S_COMPLETE);
    display_ok(dup, &disp2, &disp_type2);
    FUZZ_CHECK(buf_eq(&disp, &disp2) && oid_eq(disp_type, disp_type2));
    /* RFC 2744 5.3: anonymous names never compare equal. */
    FUZZ_CHECK(compare_ok(name, dup) == !anonymous);

    major = gss_export_name(&minor, name, &exp);
    if (exported) {
        FUZZ_CHECK(major == GSS_S_COMPLETE);
        (void)gss_release_buffer(&minor, &exp);
    } else {
        FUZZ_CHECK(major == GSS_S_NAME_NOT_MN);
        FUZZ_CHECK(exp.length == 0 && exp.value == NULL);
    }

    major = gss_canonicalize_name(&minor, name, gss_mech_krb5, &mn);
    if (anonymous) {
        FUZZ_CHECK(GSS_ERROR(major) && mn == GSS_C_NO_NAME);
    } else {
        FUZZ_CHECK(major == GSS_S_COMPLETE);
        check_export(name, mn);
        release_ok(&mn);
    }

    release_ok(&dup);
    release_ok(&name);
    (void)gss_release_buffer(&minor, &disp);
    (void)gss_release_buffer(&minor, &disp2);
    return 0;
}
