/* Tests for src/glue/name_ext.c: gss_inquire_name, gss_display_name_ext,
 * local names through auth_to_local, attributes not yet carried. */
#include "check.h"

#include <gssapi/gssapi_krb5.h>

static gss_name_t
import(const char *s, gss_OID type)
{
    gss_buffer_desc b = { strlen(s), (void *)s };
    gss_name_t n = GSS_C_NO_NAME;
    OM_uint32 minor;

    CHECK_MAJOR(gss_import_name(&minor, &b, type, &n), GSS_S_COMPLETE);
    return n;
}

static void
inquire_name_reports_mn_state(void)
{
    gss_name_t n = import("alice", GSS_C_NT_USER_NAME), mn = GSS_C_NO_NAME;
    gss_buffer_set_t attrs = GSS_C_NO_BUFFER_SET;
    gss_OID mech = (gss_OID)1;
    OM_uint32 minor;
    int is_mn = -1;

    CHECK_MAJOR(gss_inquire_name(&minor, n, &is_mn, &mech, &attrs),
                GSS_S_COMPLETE);
    CHECK(is_mn == 0 && mech == GSS_C_NO_OID);
    CHECK(attrs != GSS_C_NO_BUFFER_SET && attrs->count == 0);
    gss_release_buffer_set(&minor, &attrs);
    gss_canonicalize_name(&minor, n, gss_mech_krb5, &mn);
    CHECK_MAJOR(gss_inquire_name(&minor, mn, &is_mn, &mech, NULL),
                GSS_S_COMPLETE);
    CHECK(is_mn == 1 && gss_oid_equal(mech, gss_mech_krb5));
    CHECK_MAJOR(gss_inquire_name(&minor, (gss_name_t)77, &is_mn, NULL, NULL),
                GSS_S_BAD_NAME);
    gss_release_name(&minor, &n);
    gss_release_name(&minor, &mn);
}

static void
display_name_ext_only_own_type(void)
{
    gss_name_t n = import("host@localhost", GSS_C_NT_HOSTBASED_SERVICE);
    gss_buffer_desc out;
    OM_uint32 minor;

    CHECK_MAJOR(gss_display_name_ext(&minor, n, GSS_C_NT_HOSTBASED_SERVICE,
                                     &out), GSS_S_COMPLETE);
    CHECK_BUF_STR(out, "host@localhost");
    gss_release_buffer(&minor, &out);
    CHECK_MAJOR(gss_display_name_ext(&minor, n, GSS_C_NT_USER_NAME, &out),
                GSS_S_UNAVAILABLE);
    CHECK(out.value == NULL);
    gss_release_name(&minor, &n);
}

static void
local_names_follow_auth_to_local(void)
{
    /* The default rule maps principals of the default realm with one
     * component to that component. */
    gss_name_t n = import("root@UNIT.TEST", GSS_KRB5_NT_PRINCIPAL_NAME);
    gss_name_t other = import("root@ELSEWHERE.TEST",
                              GSS_KRB5_NT_PRINCIPAL_NAME);
    gss_name_t user = import("root", GSS_C_NT_USER_NAME);
    gss_buffer_desc local;
    OM_uint32 minor;
    uid_t uid = 99;

    CHECK_MAJOR(gss_localname(&minor, n, GSS_C_NO_OID, &local),
                GSS_S_COMPLETE);
    CHECK_BUF_STR(local, "root");
    gss_release_buffer(&minor, &local);
    CHECK(gss_userok(n, "root") == 1);
    CHECK(gss_userok(n, "nobody") == 0);
    CHECK(gss_userok(other, "root") == 0);
    CHECK_MAJOR(gss_localname(&minor, other, gss_mech_krb5, &local),
                GSS_S_UNAVAILABLE);
    CHECK_MAJOR(gss_pname_to_uid(&minor, n, GSS_C_NO_OID, &uid),
                GSS_S_COMPLETE);
    CHECK(uid == 0);
    CHECK_MAJOR(gss_authorize_localname(&minor, n, user), GSS_S_COMPLETE);
    CHECK_MAJOR(gss_authorize_localname(&minor, other, user),
                GSS_S_UNAUTHORIZED);
    CHECK_MAJOR(gss_localname(&minor, n, GSS_C_NO_OID, NULL),
                GSS_S_CALL_INACCESSIBLE_WRITE);
    gss_release_name(&minor, &n);
    gss_release_name(&minor, &other);
    gss_release_name(&minor, &user);
}

static void
attributes_are_not_carried_yet(void)
{
    gss_name_t n = import("alice", GSS_C_NT_USER_NAME);
    gss_buffer_desc attr = { 3, (void *)"urn" }, v, dv;
    OM_uint32 minor;
    int a, c, more = -1;

    CHECK_MAJOR(gss_get_name_attribute(&minor, n, &attr, &a, &c, &v, &dv,
                                       &more), GSS_S_UNAVAILABLE);
    CHECK_MAJOR(gss_get_name_attribute(&minor, (gss_name_t)5, &attr, &a, &c,
                                       &v, &dv, &more), GSS_S_BAD_NAME);
    CHECK_MAJOR(gss_set_name_attribute(&minor, n, 1, &attr, &attr),
                GSS_S_UNAVAILABLE);
    CHECK_MAJOR(gss_delete_name_attribute(&minor, n, NULL),
                GSS_S_CALL_INACCESSIBLE_READ);
    gss_release_name(&minor, &n);
}

BT_TEST_MAIN(inquire_name_reports_mn_state, display_name_ext_only_own_type,
             local_names_follow_auth_to_local, attributes_are_not_carried_yet)
