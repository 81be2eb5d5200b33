/* Tests for src/glue/oid_set.c and buffer.c: OID sets, gss_oid_equal,
 * buffers and buffer sets. */
#include "check.h"

#include <gssapi/gssapi_krb5.h>

static void
oid_set_create_add_test_release(void)
{
    gss_OID_set set = GSS_C_NO_OID_SET;
    gss_OID_desc local = { 3, (void *)"\x2a\x03\x04" };
    OM_uint32 minor;
    int present = -1;

    CHECK_MAJOR(gss_create_empty_oid_set(&minor, &set), GSS_S_COMPLETE);
    CHECK(set != NULL && set->count == 0);
    CHECK_MAJOR(gss_add_oid_set_member(&minor, gss_mech_krb5, &set),
                GSS_S_COMPLETE);
    CHECK_MAJOR(gss_add_oid_set_member(&minor, &local, &set), GSS_S_COMPLETE);
    CHECK_MAJOR(gss_add_oid_set_member(&minor, gss_mech_krb5, &set),
                GSS_S_COMPLETE);
    CHECK(set->count == 2);                 /* no duplicates */
    CHECK(set->elements[1].elements != local.elements);     /* deep copy */
    CHECK_MAJOR(gss_test_oid_set_member(&minor, &local, set, &present),
                GSS_S_COMPLETE);
    CHECK(present == 1);
    CHECK_MAJOR(gss_test_oid_set_member(&minor, gss_mech_iakerb, set,
                                        &present), GSS_S_COMPLETE);
    CHECK(present == 0);
    CHECK_MAJOR(gss_release_oid_set(&minor, &set), GSS_S_COMPLETE);
    CHECK(set == GSS_C_NO_OID_SET);
    CHECK_MAJOR(gss_release_oid_set(&minor, &set), GSS_S_COMPLETE);
    CHECK_MAJOR(gss_release_oid_set(&minor, NULL), GSS_S_COMPLETE);
}

static void
oid_set_argument_errors(void)
{
    gss_OID_set set = GSS_C_NO_OID_SET;
    gss_OID_desc broken = { 3, NULL };
    OM_uint32 minor;
    int present;

    CHECK_MAJOR(gss_create_empty_oid_set(&minor, NULL),
                GSS_S_CALL_INACCESSIBLE_WRITE);
    CHECK_MAJOR(gss_add_oid_set_member(&minor, gss_mech_krb5, &set),
                GSS_S_CALL_INACCESSIBLE_WRITE);
    CHECK_MAJOR(gss_add_oid_set_member(&minor, gss_mech_krb5, NULL),
                GSS_S_CALL_INACCESSIBLE_WRITE);
    gss_create_empty_oid_set(&minor, &set);
    CHECK_MAJOR(gss_add_oid_set_member(&minor, NULL, &set),
                GSS_S_CALL_INACCESSIBLE_READ);
    CHECK_MAJOR(gss_add_oid_set_member(&minor, &broken, &set),
                GSS_S_CALL_INACCESSIBLE_READ);
    CHECK_MAJOR(gss_test_oid_set_member(&minor, gss_mech_krb5, set, NULL),
                GSS_S_CALL_INACCESSIBLE_WRITE);
    CHECK_MAJOR(gss_test_oid_set_member(&minor, NULL, set, &present),
                GSS_S_CALL_INACCESSIBLE_READ);
    CHECK_MAJOR(gss_test_oid_set_member(&minor, gss_mech_krb5, NULL, &present),
                GSS_S_CALL_INACCESSIBLE_READ);
    gss_release_oid_set(&minor, &set);
}

static void
oid_equal(void)
{
    gss_OID_desc copy = { 9, (void *)"\x2a\x86\x48\x86\xf7\x12\x01\x02\x02" };

    CHECK(gss_oid_equal(gss_mech_krb5, &copy));
    CHECK(!gss_oid_equal(gss_mech_krb5, gss_mech_krb5_old));
    CHECK(!gss_oid_equal(gss_mech_krb5, NULL));
    CHECK(!gss_oid_equal(NULL, NULL));
    CHECK(gss_oid_equal(gss_nt_krb5_name, GSS_KRB5_NT_PRINCIPAL_NAME));
}

static void
mit_mech_sets(void)
{
    CHECK(gss_mech_set_krb5->count == 1);
    CHECK(gss_oid_equal(&gss_mech_set_krb5->elements[0], gss_mech_krb5));
    CHECK(gss_mech_set_krb5_old->count == 1);
    CHECK(gss_oid_equal(&gss_mech_set_krb5_old->elements[0],
                        gss_mech_krb5_old));
    CHECK(gss_mech_set_krb5_both->count == 3);
    CHECK(gss_oid_equal(&gss_mech_set_krb5_both->elements[2],
                        gss_mech_krb5_wrong));
    CHECK(GSS_C_ATTR_LOCAL_LOGIN_USER->length == 16);
}

static void
release_buffer_wipes_and_clears(void)
{
    gss_buffer_desc b = { 5, malloc(5) };
    OM_uint32 minor = 7;

    memcpy(b.value, "hello", 5);
    CHECK_MAJOR(gss_release_buffer(&minor, &b), GSS_S_COMPLETE);
    CHECK(b.value == NULL && b.length == 0 && minor == 0);
    CHECK_MAJOR(gss_release_buffer(&minor, &b), GSS_S_COMPLETE);
    CHECK_MAJOR(gss_release_buffer(&minor, GSS_C_NO_BUFFER), GSS_S_COMPLETE);
    CHECK_MAJOR(gss_release_buffer(NULL, &b), GSS_S_COMPLETE);
}

static void
buffer_sets(void)
{
    gss_buffer_set_t set = GSS_C_NO_BUFFER_SET;
    gss_buffer_desc one = { 3, (void *)"one" }, two = { 3, (void *)"two" };
    gss_buffer_desc bad = { 3, NULL };
    OM_uint32 minor;

    /* MIT creates the set on first add. */
    CHECK_MAJOR(gss_add_buffer_set_member(&minor, &one, &set), GSS_S_COMPLETE);
    CHECK_MAJOR(gss_add_buffer_set_member(&minor, &two, &set), GSS_S_COMPLETE);
    CHECK(set->count == 2);
    CHECK_BUF_STR(set->elements[1], "two");
    CHECK(set->elements[0].value != one.value);
    CHECK_MAJOR(gss_add_buffer_set_member(&minor, &bad, &set),
                GSS_S_CALL_INACCESSIBLE_READ);
    CHECK_MAJOR(gss_add_buffer_set_member(&minor, NULL, &set),
                GSS_S_CALL_INACCESSIBLE_READ);
    CHECK_MAJOR(gss_add_buffer_set_member(&minor, &one, NULL),
                GSS_S_CALL_INACCESSIBLE_WRITE);
    CHECK_MAJOR(gss_release_buffer_set(&minor, &set), GSS_S_COMPLETE);
    CHECK(set == GSS_C_NO_BUFFER_SET);
    CHECK_MAJOR(gss_create_empty_buffer_set(&minor, &set), GSS_S_COMPLETE);
    CHECK(set != NULL && set->count == 0);
    gss_release_buffer_set(&minor, &set);
    CHECK_MAJOR(gss_create_empty_buffer_set(&minor, NULL),
                GSS_S_CALL_INACCESSIBLE_WRITE);
    CHECK_MAJOR(gss_release_buffer_set(&minor, NULL), GSS_S_COMPLETE);
}

BT_TEST_MAIN(oid_set_create_add_test_release, oid_set_argument_errors,
             oid_equal, mit_mech_sets, release_buffer_wipes_and_clears,
             buffer_sets)
