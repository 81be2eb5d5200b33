/* Tests for src/glue/mechs.c: mechanism discovery, RFC 5587 attributes,
 * RFC 5801 SASL names. */
#include "check.h"

#include <gssapi/gssapi_krb5.h>

static int
member(gss_OID oid, gss_OID_set set)
{
    OM_uint32 minor;
    int present = 0;

    gss_test_oid_set_member(&minor, oid, set, &present);
    return present;
}

static void
indicate_mechs_lists_krb5(void)
{
    gss_OID_set set = GSS_C_NO_OID_SET;
    OM_uint32 minor;

    CHECK_MAJOR(gss_indicate_mechs(&minor, &set), GSS_S_COMPLETE);
    CHECK(set != NULL && set->count >= 1 && member(gss_mech_krb5, set));
    gss_release_oid_set(&minor, &set);
    CHECK_MAJOR(gss_indicate_mechs(&minor, NULL),
                GSS_S_CALL_INACCESSIBLE_WRITE);
}

static void
names_for_krb5(void)
{
    gss_OID_set set = GSS_C_NO_OID_SET;
    gss_OID_desc bogus = { 2, (void *)"\x2a\x03" };
    OM_uint32 minor;

    CHECK_MAJOR(gss_inquire_names_for_mech(&minor, gss_mech_krb5, &set),
                GSS_S_COMPLETE);
    CHECK(member(GSS_C_NT_HOSTBASED_SERVICE, set));
    CHECK(member(GSS_C_NT_USER_NAME, set));
    CHECK(member(GSS_C_NT_EXPORT_NAME, set));
    CHECK(member(GSS_KRB5_NT_PRINCIPAL_NAME, set));
    CHECK(!member(GSS_C_NT_ANONYMOUS, set));
    gss_release_oid_set(&minor, &set);
    /* The legacy OIDs reach the same mechanism. */
    CHECK_MAJOR(gss_inquire_names_for_mech(&minor, gss_mech_krb5_old, &set),
                GSS_S_COMPLETE);
    gss_release_oid_set(&minor, &set);
    CHECK_MAJOR(gss_inquire_names_for_mech(&minor, &bogus, &set),
                GSS_S_BAD_MECH);
    CHECK(set == GSS_C_NO_OID_SET);
}

static void
attributes_of_krb5(void)
{
    gss_OID_set attrs = GSS_C_NO_OID_SET, known = GSS_C_NO_OID_SET;
    gss_OID_set want = GSS_C_NO_OID_SET, mechs = GSS_C_NO_OID_SET;
    gss_buffer_desc name, sd, ld;
    OM_uint32 minor;

    CHECK_MAJOR(gss_inquire_attrs_for_mech(&minor, gss_mech_krb5, &attrs,
                                           &known), GSS_S_COMPLETE);
    CHECK(member((gss_OID)GSS_C_MA_MECH_CONCRETE, attrs));
    CHECK(member((gss_OID)GSS_C_MA_CTX_TRANS, attrs));
    CHECK(!member((gss_OID)GSS_C_MA_MECH_NEGO, attrs));
    CHECK(known->count == 27);
    gss_release_oid_set(&minor, &attrs);
    gss_release_oid_set(&minor, &known);

    gss_create_empty_oid_set(&minor, &want);
    gss_add_oid_set_member(&minor, (gss_OID)GSS_C_MA_WRAP, &want);
    CHECK_MAJOR(gss_indicate_mechs_by_attrs(&minor, want, NULL, NULL, &mechs),
                GSS_S_COMPLETE);
    CHECK(member(gss_mech_krb5, mechs));
    gss_release_oid_set(&minor, &mechs);
    CHECK_MAJOR(gss_indicate_mechs_by_attrs(&minor, NULL, want, NULL, &mechs),
                GSS_S_COMPLETE);
    CHECK(!member(gss_mech_krb5, mechs));
    gss_release_oid_set(&minor, &mechs);
    /* A critical attribute nobody knows excludes every mechanism. */
    {
        gss_OID_desc odd = { 3, (void *)"\x2a\x03\x05" };

        gss_add_oid_set_member(&minor, &odd, &want);
        CHECK_MAJOR(gss_indicate_mechs_by_attrs(&minor, NULL, NULL, want,
                                                &mechs), GSS_S_COMPLETE);
        CHECK(mechs != NULL && mechs->count == 0);
        gss_release_oid_set(&minor, &mechs);
    }
    gss_release_oid_set(&minor, &want);

    CHECK_MAJOR(gss_display_mech_attr(&minor, GSS_C_MA_CTX_TRANS, &name, &sd,
                                      &ld), GSS_S_COMPLETE);
    CHECK_BUF_STR(name, "GSS_C_MA_CTX_TRANS");
    CHECK_BUF_STR(sd, "context-transfer");
    CHECK(ld.length > 10);
    gss_release_buffer(&minor, &name);
    gss_release_buffer(&minor, &sd);
    gss_release_buffer(&minor, &ld);
    CHECK_MAJOR(gss_display_mech_attr(&minor, gss_mech_krb5, &name, NULL,
                                      NULL), GSS_S_BAD_MECH_ATTR);
}

static void
sasl_names(void)
{
    gss_buffer_desc sasl, name, desc, in = { 8, (void *)"GS2-KRB5" };
    gss_OID mech = GSS_C_NO_OID;
    OM_uint32 minor;

    CHECK_MAJOR(gss_inquire_saslname_for_mech(&minor, gss_mech_krb5, &sasl,
                                              &name, &desc), GSS_S_COMPLETE);
    CHECK_BUF_STR(sasl, "GS2-KRB5");
    CHECK_BUF_STR(name, "krb5");
    gss_release_buffer(&minor, &sasl);
    gss_release_buffer(&minor, &name);
    gss_release_buffer(&minor, &desc);
    CHECK_MAJOR(gss_inquire_mech_for_saslname(&minor, &in, &mech),
                GSS_S_COMPLETE);
    CHECK(gss_oid_equal(mech, gss_mech_krb5));
    in.length = 3;
    CHECK_MAJOR(gss_inquire_mech_for_saslname(&minor, &in, &mech),
                GSS_S_BAD_MECH);
}

BT_TEST_MAIN(indicate_mechs_lists_krb5, names_for_krb5, attributes_of_krb5,
             sasl_names)
