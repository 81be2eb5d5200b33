/* Tests for src/glue/name.c and name_ops.c: import of every supported name
 * type, display, compare, duplicate, canonicalize, export, release. */
#include "check.h"

#include <gssapi/gssapi_generic.h>
#include <gssapi/gssapi_krb5.h>

static gss_name_t
import(const char *text, size_t len, gss_OID type, OM_uint32 want)
{
    gss_buffer_desc b = { len, (void *)text };
    gss_name_t name = GSS_C_NO_NAME;
    OM_uint32 minor;

    CHECK_MAJOR(gss_import_name(&minor, &b, type, &name), want);
    CHECK((want == GSS_S_COMPLETE) == (name != GSS_C_NO_NAME));
    if ((want == GSS_S_COMPLETE) != (name != GSS_C_NO_NAME))
        fprintf(stderr, "  importing \"%.*s\": minor %u\n", (int)len, text,
                (unsigned)minor);
    return name;
}

static gss_OID_desc spnego_oid = { 6, "\x2b\x06\x01\x05\x05\x02" };

#define IMPORT(s, type) import((s), strlen(s), (type), GSS_S_COMPLETE)

static void
check_display(gss_name_t name, const char *text, gss_OID type)
{
    gss_buffer_desc out;
    gss_OID out_type = GSS_C_NO_OID;
    OM_uint32 minor;

    CHECK_MAJOR(gss_display_name(&minor, name, &out, &out_type),
                GSS_S_COMPLETE);
    CHECK_BUF_STR(out, text);
    CHECK(out_type == type || gss_oid_equal(out_type, type));
    gss_release_buffer(&minor, &out);
}

/* Canonicalizes for krb5 and returns the display form's principal. */
static void
check_canonical(gss_name_t name, const char *principal)
{
    gss_name_t mn = GSS_C_NO_NAME;
    OM_uint32 minor;

    CHECK_MAJOR(gss_canonicalize_name(&minor, name, gss_mech_krb5, &mn),
                GSS_S_COMPLETE);
    check_display(mn, principal, GSS_KRB5_NT_PRINCIPAL_NAME);
    gss_release_name(&minor, &mn);
}

static void
hostbased_with_and_without_host(void)
{
    OM_uint32 minor;
    gss_name_t a = IMPORT("host@localhost", GSS_C_NT_HOSTBASED_SERVICE);
    gss_name_t b = IMPORT("HTTP@www.example.org", GSS_C_NT_HOSTBASED_SERVICE);
    gss_name_t c = IMPORT("nfs", GSS_C_NT_HOSTBASED_SERVICE);
    gss_name_t d = IMPORT("host@localhost", gss_nt_service_name_v2);

    check_display(a, "host@localhost", GSS_C_NT_HOSTBASED_SERVICE);
    check_canonical(a, "host/localhost@UNIT.TEST");
    check_canonical(b, "HTTP/www.example.org@EXAMPLE.ORG");
    check_canonical(d, "host/localhost@UNIT.TEST");
    {
        gss_name_t mn = GSS_C_NO_NAME;
        gss_buffer_desc out;

        CHECK_MAJOR(gss_canonicalize_name(&minor, c, gss_mech_krb5, &mn),
                    GSS_S_COMPLETE);
        CHECK_MAJOR(gss_display_name(&minor, mn, &out, NULL), GSS_S_COMPLETE);
        CHECK(out.length > 4 && memcmp(out.value, "nfs/", 4) == 0);
        gss_release_buffer(&minor, &out);
        gss_release_name(&minor, &mn);
    }
    gss_release_name(&minor, &a);
    gss_release_name(&minor, &b);
    gss_release_name(&minor, &c);
    gss_release_name(&minor, &d);
}

static void
user_principal_and_default_types(void)
{
    OM_uint32 minor;
    gss_name_t u = IMPORT("alice", GSS_C_NT_USER_NAME);
    gss_name_t p = IMPORT("alice@UNIT.TEST", GSS_KRB5_NT_PRINCIPAL_NAME);
    gss_name_t n = IMPORT("alice", GSS_C_NO_OID);
    gss_name_t l = IMPORT("alice", gss_nt_user_name);
    int eq = -1;

    check_display(u, "alice", GSS_C_NT_USER_NAME);
    check_display(n, "alice", GSS_C_NO_OID);
    check_canonical(u, "alice@UNIT.TEST");
    CHECK_MAJOR(gss_compare_name(&minor, u, p, &eq), GSS_S_COMPLETE);
    CHECK(eq == 1);
    CHECK_MAJOR(gss_compare_name(&minor, n, l, &eq), GSS_S_COMPLETE);
    CHECK(eq == 1);
    gss_release_name(&minor, &u);
    gss_release_name(&minor, &p);
    gss_release_name(&minor, &n);
    gss_release_name(&minor, &l);
}

static void
trailing_nul_accepted_embedded_nul_refused(void)
{
    OM_uint32 minor;
    gss_name_t a = import("host@localhost", sizeof("host@localhost"),
                          GSS_C_NT_HOSTBASED_SERVICE, GSS_S_COMPLETE);

    check_display(a, "host@localhost", GSS_C_NT_HOSTBASED_SERVICE);
    gss_release_name(&minor, &a);
    import("host\0evil@localhost", 19, GSS_C_NT_HOSTBASED_SERVICE,
           GSS_S_BAD_NAME);
    import("", 0, GSS_C_NT_USER_NAME, GSS_S_BAD_NAME);
    import("\0", 1, GSS_C_NT_USER_NAME, GSS_S_BAD_NAME);
}

static void
bad_names_and_types(void)
{
    gss_OID_desc unknown = { 3, (void *)"\x2a\x03\x07" };
    gss_buffer_desc b = { 5, (void *)"alice" };
    gss_name_t name = (gss_name_t)1;
    OM_uint32 minor;

    import("alice", 5, &unknown, GSS_S_BAD_NAMETYPE);
    import("a@B@C", 5, GSS_KRB5_NT_PRINCIPAL_NAME, GSS_S_BAD_NAME);
    import("12x", 3, GSS_C_NT_STRING_UID_NAME, GSS_S_BAD_NAME);
    import("ab", 2, GSS_C_NT_MACHINE_UID_NAME, GSS_S_BAD_NAME);
    import("x", 1, GSS_C_NT_COMPOSITE_EXPORT, GSS_S_BAD_NAMETYPE);
    CHECK_MAJOR(gss_import_name(&minor, &b, GSS_C_NT_USER_NAME, NULL),
                GSS_S_CALL_INACCESSIBLE_WRITE);
    CHECK_MAJOR(gss_import_name(&minor, NULL, GSS_C_NT_USER_NAME, &name),
                GSS_S_CALL_INACCESSIBLE_READ);
    CHECK(name == GSS_C_NO_NAME);
    b.value = NULL;
    CHECK_MAJOR(gss_import_name(&minor, &b, GSS_C_NT_USER_NAME, &name),
                GSS_S_CALL_INACCESSIBLE_READ);
}

static void
uid_names_name_the_local_user(void)
{
    OM_uint32 minor;
    uid_t root = 0;
    gss_name_t s = IMPORT("0", GSS_C_NT_STRING_UID_NAME);
    gss_name_t m = import((const char *)&root, sizeof(root),
                          GSS_C_NT_MACHINE_UID_NAME, GSS_S_COMPLETE);

    check_canonical(s, "root@UNIT.TEST");
    check_canonical(m, "root@UNIT.TEST");
    gss_release_name(&minor, &s);
    gss_release_name(&minor, &m);
}

static void
export_requires_mn_and_round_trips(void)
{
    static const unsigned char head[] = { 0x04, 0x01, 0x00, 0x0b, 0x06, 0x09,
        0x2a, 0x86, 0x48, 0x86, 0xf7, 0x12, 0x01, 0x02, 0x02 };
    gss_name_t h = IMPORT("host@localhost", GSS_C_NT_HOSTBASED_SERVICE);
    gss_name_t mn = GSS_C_NO_NAME, back = GSS_C_NO_NAME;
    gss_buffer_desc exp = GSS_C_EMPTY_BUFFER;
    OM_uint32 minor;
    int eq = 0;

    CHECK_MAJOR(gss_export_name(&minor, h, &exp), GSS_S_NAME_NOT_MN);
    CHECK(exp.length == 0 && exp.value == NULL);
    CHECK_MAJOR(gss_canonicalize_name(&minor, h, gss_mech_krb5, &mn),
                GSS_S_COMPLETE);
    CHECK_MAJOR(gss_export_name(&minor, mn, &exp), GSS_S_COMPLETE);
    CHECK(exp.length == sizeof(head) + 4 + strlen("host/localhost@UNIT.TEST"));
    CHECK(memcmp(exp.value, head, sizeof(head)) == 0);
    CHECK_MAJOR(gss_import_name(&minor, &exp, GSS_C_NT_EXPORT_NAME, &back),
                GSS_S_COMPLETE);
    check_display(back, "host/localhost@UNIT.TEST", GSS_KRB5_NT_PRINCIPAL_NAME);
    CHECK_MAJOR(gss_compare_name(&minor, back, h, &eq), GSS_S_COMPLETE);
    CHECK(eq == 1);
    gss_release_buffer(&minor, &exp);
    /* An imported export is an MN: it exports again without canonicalizing. */
    CHECK_MAJOR(gss_export_name(&minor, back, &exp), GSS_S_COMPLETE);
    gss_release_buffer(&minor, &exp);
    gss_release_name(&minor, &h);
    gss_release_name(&minor, &mn);
    gss_release_name(&minor, &back);
}

static void
malformed_exported_names(void)
{
    /* A valid token for a@UNIT.TEST, then damaged copies. */
    unsigned char tok[] = { 0x04, 0x01, 0x00, 0x0b, 0x06, 0x09, 0x2a, 0x86,
        0x48, 0x86, 0xf7, 0x12, 0x01, 0x02, 0x02, 0x00, 0x00, 0x00, 0x0b,
        'a', '@', 'U', 'N', 'I', 'T', '.', 'T', 'E', 'S', 'T' };
    unsigned char t[sizeof(tok)];
    OM_uint32 minor;
    gss_name_t n;

    n = import((char *)tok, sizeof(tok), GSS_C_NT_EXPORT_NAME, GSS_S_COMPLETE);
    gss_release_name(&minor, &n);
    import((char *)tok, sizeof(tok) - 1, GSS_C_NT_EXPORT_NAME,
           GSS_S_DEFECTIVE_TOKEN);
    import((char *)tok, 0, GSS_C_NT_EXPORT_NAME, GSS_S_DEFECTIVE_TOKEN);
    memcpy(t, tok, sizeof(t));
    t[0] = 0x05;
    import((char *)t, sizeof(t), GSS_C_NT_EXPORT_NAME, GSS_S_DEFECTIVE_TOKEN);
    memcpy(t, tok, sizeof(t));
    t[18] = 0xff;                           /* name length overruns */
    import((char *)t, sizeof(t), GSS_C_NT_EXPORT_NAME, GSS_S_DEFECTIVE_TOKEN);
    memcpy(t, tok, sizeof(t));
    t[15] = 0x80;                           /* 2 GiB name length */
    import((char *)t, sizeof(t), GSS_C_NT_EXPORT_NAME, GSS_S_DEFECTIVE_TOKEN);
    memcpy(t, tok, sizeof(t));
    t[14] = 0x03;                           /* another mechanism's OID */
    import((char *)t, sizeof(t), GSS_C_NT_EXPORT_NAME, GSS_S_BAD_MECH);
    memcpy(t, tok, sizeof(t));
    t[20] = '\0';                           /* NUL inside the principal */
    import((char *)t, sizeof(t), GSS_C_NT_EXPORT_NAME, GSS_S_BAD_NAME);
    memcpy(t, tok, sizeof(t));
    t[25] = '@';                            /* "a@UNIT@TEST" */
    import((char *)t, sizeof(t), GSS_C_NT_EXPORT_NAME, GSS_S_BAD_NAME);
}

static void
duplicate_is_independent(void)
{
    gss_name_t a = IMPORT("bob@UNIT.TEST", GSS_KRB5_NT_PRINCIPAL_NAME);
    gss_name_t mn = GSS_C_NO_NAME, d1 = GSS_C_NO_NAME, d2 = GSS_C_NO_NAME;
    OM_uint32 minor;
    int eq = 0;

    CHECK_MAJOR(gss_duplicate_name(&minor, a, &d1), GSS_S_COMPLETE);
    CHECK(d1 != a);
    gss_release_name(&minor, &a);
    check_display(d1, "bob@UNIT.TEST", GSS_KRB5_NT_PRINCIPAL_NAME);
    CHECK_MAJOR(gss_canonicalize_name(&minor, d1, gss_mech_krb5, &mn),
                GSS_S_COMPLETE);
    CHECK_MAJOR(gss_duplicate_name(&minor, mn, &d2), GSS_S_COMPLETE);
    gss_release_name(&minor, &mn);
    CHECK_MAJOR(gss_compare_name(&minor, d1, d2, &eq), GSS_S_COMPLETE);
    CHECK(eq == 1);
    gss_release_name(&minor, &d1);
    gss_release_name(&minor, &d2);
}

static void
anonymous_never_equal(void)
{
    gss_name_t x = IMPORT("anyone", GSS_C_NT_ANONYMOUS);
    gss_name_t y = GSS_C_NO_NAME, mn = GSS_C_NO_NAME;
    OM_uint32 minor;
    int eq = 1;

    CHECK_MAJOR(gss_duplicate_name(&minor, x, &y), GSS_S_COMPLETE);
    CHECK_MAJOR(gss_compare_name(&minor, x, y, &eq), GSS_S_COMPLETE);
    CHECK(eq == 0);
    CHECK_MAJOR(gss_canonicalize_name(&minor, x, gss_mech_krb5, &mn),
                GSS_S_BAD_NAME);
    gss_release_name(&minor, &x);
    gss_release_name(&minor, &y);
}

static void
different_names_differ(void)
{
    gss_name_t a = IMPORT("alice", GSS_C_NT_USER_NAME);
    gss_name_t b = IMPORT("host@localhost", GSS_C_NT_HOSTBASED_SERVICE);
    OM_uint32 minor;
    int eq = 1;

    CHECK_MAJOR(gss_compare_name(&minor, a, b, &eq), GSS_S_COMPLETE);
    CHECK(eq == 0);
    CHECK_MAJOR(gss_compare_name(&minor, a, b, NULL),
                GSS_S_CALL_INACCESSIBLE_WRITE);
    gss_release_name(&minor, &a);
    gss_release_name(&minor, &b);
}

static void
canonicalize_needs_a_real_mechanism(void)
{
    gss_OID_desc other = { 3, (void *)"\x2a\x03\x07" };
    gss_name_t a = IMPORT("alice", GSS_C_NT_USER_NAME);
    gss_name_t mn = GSS_C_NO_NAME;
    OM_uint32 minor;

    CHECK_MAJOR(gss_canonicalize_name(&minor, a, GSS_C_NO_OID, &mn),
                GSS_S_BAD_MECH);
    CHECK_MAJOR(gss_canonicalize_name(&minor, a, &other, &mn),
                GSS_S_BAD_MECH);
    /* The old and Microsoft krb5 OIDs name the same mechanism. */
    CHECK_MAJOR(gss_canonicalize_name(&minor, a, gss_mech_krb5_wrong, &mn),
                GSS_S_COMPLETE);
    gss_release_name(&minor, &mn);
    gss_release_name(&minor, &a);
}

static void
stale_and_garbage_handles(void)
{
    gss_name_t a = IMPORT("alice", GSS_C_NT_USER_NAME);
    gss_name_t copy = a, out = GSS_C_NO_NAME;
    gss_buffer_desc buf;
    OM_uint32 minor;
    int eq;

    CHECK_MAJOR(gss_release_name(&minor, &a), GSS_S_COMPLETE);
    CHECK(a == GSS_C_NO_NAME);
    CHECK_MAJOR(gss_release_name(&minor, &a), GSS_S_COMPLETE);
    CHECK_MAJOR(gss_release_name(&minor, &copy), GSS_S_BAD_NAME);
    CHECK_MAJOR(gss_display_name(&minor, copy, &buf, NULL), GSS_S_BAD_NAME);
    CHECK_MAJOR(gss_export_name(&minor, copy, &buf), GSS_S_BAD_NAME);
    CHECK_MAJOR(gss_duplicate_name(&minor, copy, &out), GSS_S_BAD_NAME);
    CHECK_MAJOR(gss_compare_name(&minor, copy, copy, &eq), GSS_S_BAD_NAME);
    CHECK_MAJOR(gss_canonicalize_name(&minor, copy, gss_mech_krb5, &out),
                GSS_S_BAD_NAME);
    CHECK_MAJOR(gss_display_name(&minor, (gss_name_t)&minor, &buf, NULL),
                GSS_S_BAD_NAME);
    CHECK_MAJOR(gss_display_name(&minor, GSS_C_NO_NAME, &buf, NULL),
                GSS_S_BAD_NAME);
    CHECK_MAJOR(gss_release_name(&minor, NULL), GSS_S_CALL_INACCESSIBLE_WRITE);
}

static void
mechs_for_name(void)
{
    gss_name_t a = IMPORT("alice", GSS_C_NT_USER_NAME);
    gss_name_t x = IMPORT("anyone", GSS_C_NT_ANONYMOUS);
    gss_OID_set set = GSS_C_NO_OID_SET;
    OM_uint32 minor;
    int present = 0;

    /* Kerberos, and SPNEGO which negotiates it (MIT lists both). */
    CHECK_MAJOR(gss_inquire_mechs_for_name(&minor, a, &set), GSS_S_COMPLETE);
    CHECK(set != NULL && set->count == 2);
    CHECK_MAJOR(gss_test_oid_set_member(&minor, gss_mech_krb5, set, &present),
                GSS_S_COMPLETE);
    CHECK(present == 1);
    present = 0;
    CHECK_MAJOR(gss_test_oid_set_member(&minor, &spnego_oid, set, &present),
                GSS_S_COMPLETE);
    CHECK(present == 1);
    gss_release_oid_set(&minor, &set);
    CHECK_MAJOR(gss_inquire_mechs_for_name(&minor, x, &set), GSS_S_COMPLETE);
    CHECK(set != NULL && set->count == 0);
    gss_release_oid_set(&minor, &set);
    gss_release_name(&minor, &a);
    gss_release_name(&minor, &x);
}

BT_TEST_MAIN(hostbased_with_and_without_host, user_principal_and_default_types,
             trailing_nul_accepted_embedded_nul_refused, bad_names_and_types,
             uid_names_name_the_local_user, export_requires_mn_and_round_trips,
             malformed_exported_names, duplicate_is_independent,
             anonymous_never_equal, different_names_differ,
             canonicalize_needs_a_real_mechanism, stale_and_garbage_handles,
             mechs_for_name)
