/* Tests for src/glue/oid_str.c: both text forms in, MIT's form out. */
#include "check.h"

#include <gssapi/gssapi_krb5.h>

static gss_OID
parse(const char *s, size_t len, OM_uint32 *major_out)
{
    gss_buffer_desc b = { len, (void *)s };
    gss_OID oid = GSS_C_NO_OID;
    OM_uint32 minor;

    *major_out = gss_str_to_oid(&minor, &b, &oid);
    return oid;
}

static void
both_forms_parse_to_the_krb5_oid(void)
{
    const char *forms[] = {
        "{ 1 2 840 113554 1 2 2 }", "1.2.840.113554.1.2.2",
        "{1 2 840 113554 1 2 2}", "  { 1  2 840\t113554 1 2 2 }  ",
        " 1.2.840.113554.1.2.2 ",
    };
    OM_uint32 major, minor;

    for (size_t i = 0; i < sizeof(forms) / sizeof(forms[0]); i++) {
        gss_OID oid = parse(forms[i], strlen(forms[i]), &major);

        CHECK_MAJOR(major, GSS_S_COMPLETE);
        CHECK(gss_oid_equal(oid, gss_mech_krb5));
        gss_release_oid(&minor, &oid);
        CHECK(oid == GSS_C_NO_OID);
    }
}

static void
trailing_nul_counted_in_length_is_accepted(void)
{
    OM_uint32 major, minor;
    gss_OID oid = parse("1.3.6.1.5.6.2", sizeof("1.3.6.1.5.6.2"), &major);

    CHECK_MAJOR(major, GSS_S_COMPLETE);
    CHECK(gss_oid_equal(oid, GSS_C_NT_HOSTBASED_SERVICE_X));
    gss_release_oid(&minor, &oid);
}

static void
malformed_strings_are_refused(void)
{
    const char *bad[] = {
        "", "{ }", "{ 1 }", "1", "3.1", "1.40", "0.40", "1..2", "1.2.",
        ".1.2", "{ 1 2", "1 2 3", "{ 1,2 }", "1.2.x", "01.2", "1.02",
        "{ 1 2 } x", "1.2.18446744073709551616", "-1.2", "1.2\0" "3",
        "{{ 1 2 }",
    };
    OM_uint32 major;

    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        size_t len = strlen(bad[i]);
        gss_OID oid;

        if (i == sizeof(bad) / sizeof(bad[0]) - 2)
            len = 6;                    /* the embedded NUL case */
        oid = parse(bad[i], len, &major);
        CHECK_MAJOR(major, GSS_S_FAILURE);
        CHECK(oid == GSS_C_NO_OID);
    }
}

static void
to_str_matches_mit_form(void)
{
    gss_buffer_desc s;
    OM_uint32 minor;

    /* MIT 1.20 counts the terminating NUL in the length; so does Baton. */
    CHECK_MAJOR(gss_oid_to_str(&minor, gss_mech_krb5, &s), GSS_S_COMPLETE);
    CHECK(s.length == sizeof("{ 1 2 840 113554 1 2 2 }"));
    CHECK(memcmp(s.value, "{ 1 2 840 113554 1 2 2 }", s.length) == 0);
    gss_release_buffer(&minor, &s);
    CHECK_MAJOR(gss_oid_to_str(&minor, GSS_C_NT_EXPORT_NAME, &s),
                GSS_S_COMPLETE);
    CHECK(s.length == sizeof("{ 1 3 6 1 5 6 4 }") &&
          strcmp(s.value, "{ 1 3 6 1 5 6 4 }") == 0);
    gss_release_buffer(&minor, &s);
}

static void
large_arcs_round_trip(void)
{
    const char *in = "2.999.18446744073709551615.0.127.128.16384";
    gss_buffer_desc s;
    OM_uint32 major, minor;
    gss_OID oid = parse(in, strlen(in), &major);

    CHECK_MAJOR(major, GSS_S_COMPLETE);
    CHECK_MAJOR(gss_oid_to_str(&minor, oid, &s), GSS_S_COMPLETE);
    CHECK(strcmp(s.value, "{ 2 999 18446744073709551615 0 127 128 16384 }")
          == 0);
    gss_release_buffer(&minor, &s);
    gss_release_oid(&minor, &oid);
}

static void
to_str_refuses_malformed_der(void)
{
    gss_OID_desc bad1 = { 2, (void *)"\x2a\x86" };        /* continuation */
    gss_OID_desc bad2 = { 3, (void *)"\x2a\x80\x01" };    /* leading 0x80 */
    gss_OID_desc bad3 = { 12, (void *)"\x2a\xff\xff\xff\xff\xff\xff\xff\xff"
                              "\xff\xff\x7f" };           /* > 64 bits */
    gss_buffer_desc s;
    OM_uint32 minor;

    CHECK_MAJOR(gss_oid_to_str(&minor, &bad1, &s), GSS_S_FAILURE);
    CHECK(s.length == 0 && s.value == NULL);
    CHECK_MAJOR(gss_oid_to_str(&minor, &bad2, &s), GSS_S_FAILURE);
    CHECK_MAJOR(gss_oid_to_str(&minor, &bad3, &s), GSS_S_FAILURE);
    CHECK_MAJOR(gss_oid_to_str(&minor, NULL, &s),
                GSS_S_CALL_INACCESSIBLE_READ);
    /* Found by gss_oid_to_str_fuzz: "{ }" for the empty OID did not parse
     * back.  MIT refuses it as unreadable input; so does Baton now. */
    {
        gss_OID_desc empty = { 0, NULL };

        CHECK_MAJOR(gss_oid_to_str(&minor, &empty, &s),
                    GSS_S_CALL_INACCESSIBLE_READ);
    }
    CHECK_MAJOR(gss_oid_to_str(&minor, gss_mech_krb5, NULL),
                GSS_S_CALL_INACCESSIBLE_WRITE);
}

static void
release_oid_leaves_static_oids_alone(void)
{
    gss_OID oid = gss_mech_krb5;
    OM_uint32 minor;

    CHECK_MAJOR(gss_release_oid(&minor, &oid), GSS_S_COMPLETE);
    CHECK(oid == GSS_C_NO_OID);
    CHECK(gss_mech_krb5->length == 9);      /* still intact */
    CHECK_MAJOR(gss_release_oid(&minor, NULL), GSS_S_COMPLETE);
}

BT_TEST_MAIN(both_forms_parse_to_the_krb5_oid,
             trailing_nul_counted_in_length_is_accepted,
             malformed_strings_are_refused, to_str_matches_mit_form,
             large_arcs_round_trip, to_str_refuses_malformed_der,
             release_oid_leaves_static_oids_alone)
