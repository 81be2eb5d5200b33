/* Tests for src/glue/cred*.c: acquisition dispatch, add/inquire/release,
 * stale credential handles. */
#include "check.h"

#include <gssapi/gssapi_krb5.h>

#include "glue/fake_mech.h"

/* No ccache, no keytab and no KDC: acquisition fails cleanly. */
static void
acquire_without_credentials(void)
{
    gss_cred_id_t cred = (gss_cred_id_t)1;
    gss_OID_set actual = (gss_OID_set)1;
    gss_buffer_desc pw = { 2, (void *)"pw" }, n = { 5, (void *)"alice" };
    gss_name_t name = GSS_C_NO_NAME;
    OM_uint32 minor, t;

    CHECK_MAJOR(gss_acquire_cred(&minor, GSS_C_NO_NAME, 0, GSS_C_NO_OID_SET,
                                 GSS_C_INITIATE, &cred, &actual, &t),
                GSS_S_NO_CRED);
    CHECK(cred == GSS_C_NO_CREDENTIAL && actual == GSS_C_NO_OID_SET);
    CHECK_MAJOR(gss_acquire_cred(&minor, GSS_C_NO_NAME, 0, GSS_C_NO_OID_SET,
                                 GSS_C_ACCEPT, &cred, &actual, &t),
                GSS_S_NO_CRED);
    gss_import_name(&minor, &n, GSS_C_NT_USER_NAME, &name);
    /* UNIT.TEST has no KDC: the password cannot be checked. */
    CHECK_MAJOR(gss_acquire_cred_with_password(&minor, name, &pw, 0,
                                               GSS_C_NO_OID_SET,
                                               GSS_C_INITIATE, &cred, NULL,
                                               NULL), GSS_S_FAILURE);
    CHECK(cred == GSS_C_NO_CREDENTIAL);
    CHECK_MAJOR(gss_acquire_cred_with_password(&minor, name, NULL, 0,
                                               GSS_C_NO_OID_SET,
                                               GSS_C_INITIATE, &cred, NULL,
                                               NULL),
                GSS_S_CALL_INACCESSIBLE_READ);
    gss_release_name(&minor, &name);
}

static void
acquire_argument_errors(void)
{
    gss_cred_id_t cred;
    gss_OID_set_desc only_fake = { 1, &fake_oid };
    OM_uint32 minor;

    CHECK_MAJOR(gss_acquire_cred(&minor, GSS_C_NO_NAME, 0, GSS_C_NO_OID_SET,
                                 GSS_C_INITIATE, NULL, NULL, NULL),
                GSS_S_CALL_INACCESSIBLE_WRITE);
    CHECK_MAJOR(gss_acquire_cred(&minor, GSS_C_NO_NAME, 0, GSS_C_NO_OID_SET,
                                 7, &cred, NULL, NULL), GSS_S_FAILURE);
    CHECK_MAJOR(gss_acquire_cred(&minor, (gss_name_t)12, 0, GSS_C_NO_OID_SET,
                                 GSS_C_BOTH, &cred, NULL, NULL),
                GSS_S_BAD_NAME);
    CHECK_MAJOR(gss_acquire_cred(&minor, GSS_C_NO_NAME, 0, &only_fake,
                                 GSS_C_BOTH, &cred, NULL, NULL),
                GSS_S_BAD_MECH);
}

static void
inquire_and_release_a_credential(void)
{
    gss_cred_id_t cred = fake_cred(), stale;
    gss_OID_set mechs = GSS_C_NO_OID_SET;
    gss_cred_usage_t usage = -1;
    gss_name_t name = (gss_name_t)1;
    int released = atomic_load(&fake_creds_released);
    OM_uint32 minor, life = 0, il = 0, al = 9;

    CHECK_MAJOR(gss_inquire_cred(&minor, cred, &name, &life, &usage, &mechs),
                GSS_S_COMPLETE);
    CHECK(name == GSS_C_NO_NAME && life == 100 && usage == GSS_C_INITIATE);
    CHECK(mechs != NULL && mechs->count == 1 &&
          gss_oid_equal(&mechs->elements[0], &fake_oid));
    gss_release_oid_set(&minor, &mechs);
    CHECK_MAJOR(gss_inquire_cred_by_mech(&minor, cred, gss_mech_krb5, NULL,
                                         &il, &al, NULL), GSS_S_NO_CRED);
    stale = cred;
    CHECK_MAJOR(gss_release_cred(&minor, &cred), GSS_S_COMPLETE);
    CHECK(cred == GSS_C_NO_CREDENTIAL);
    CHECK(atomic_load(&fake_creds_released) == released + 1);
    CHECK_MAJOR(gss_release_cred(&minor, &stale), GSS_S_NO_CRED);
    CHECK_MAJOR(gss_inquire_cred(&minor, stale, NULL, NULL, NULL, NULL),
                GSS_S_NO_CRED);
    CHECK_MAJOR(gss_inquire_cred_by_mech(&minor, stale, gss_mech_krb5, NULL,
                                         NULL, NULL, NULL), GSS_S_NO_CRED);
    CHECK_MAJOR(gss_release_cred(&minor, &cred), GSS_S_COMPLETE);
    CHECK_MAJOR(gss_release_cred(&minor, NULL), GSS_S_CALL_INACCESSIBLE_WRITE);
}

static void
add_cred_rules(void)
{
    gss_cred_id_t cred = fake_cred(), out = GSS_C_NO_CREDENTIAL;
    gss_OID_desc bogus = { 2, (void *)"\x2a\x05" };
    OM_uint32 minor;

    CHECK_MAJOR(gss_add_cred(&minor, GSS_C_NO_CREDENTIAL, GSS_C_NO_NAME,
                             gss_mech_krb5, GSS_C_INITIATE, 0, 0, NULL, NULL,
                             NULL, NULL), GSS_S_CALL_INACCESSIBLE_WRITE);
    CHECK_MAJOR(gss_add_cred(&minor, cred, GSS_C_NO_NAME, &bogus,
                             GSS_C_INITIATE, 0, 0, &out, NULL, NULL, NULL),
                GSS_S_BAD_MECH);
    CHECK_MAJOR(gss_add_cred(&minor, (gss_cred_id_t)44, GSS_C_NO_NAME,
                             gss_mech_krb5, GSS_C_INITIATE, 0, 0, &out, NULL,
                             NULL, NULL), GSS_S_NO_CRED);
    CHECK_MAJOR(gss_add_cred(&minor, cred, GSS_C_NO_NAME, gss_mech_krb5, 9, 0,
                             0, &out, NULL, NULL, NULL), GSS_S_FAILURE);
    CHECK_MAJOR(gss_add_cred(&minor, cred, GSS_C_NO_NAME, gss_mech_krb5,
                             GSS_C_INITIATE, 0, 0, &out, NULL, NULL, NULL),
                GSS_S_NO_CRED);
    CHECK(out == GSS_C_NO_CREDENTIAL);
    gss_release_cred(&minor, &cred);
}

static void
extension_calls_validate_handles(void)
{
    gss_cred_id_t cred = fake_cred(), stale = (gss_cred_id_t)0x1234560002u;
    gss_buffer_set_t set;
    gss_buffer_desc tok;
    OM_uint32 minor;

    CHECK_MAJOR(gss_inquire_cred_by_oid(&minor, stale,
                                        GSS_C_INQ_SSPI_SESSION_KEY, &set),
                GSS_S_NO_CRED);
    CHECK_MAJOR(gss_inquire_cred_by_oid(&minor, cred,
                                        GSS_C_INQ_SSPI_SESSION_KEY, &set),
                GSS_S_UNAVAILABLE);
    CHECK_MAJOR(gss_export_cred(&minor, stale, &tok), GSS_S_NO_CRED);
    CHECK_MAJOR(gss_export_cred(&minor, cred, &tok), GSS_S_UNAVAILABLE);
    CHECK_MAJOR(gss_set_neg_mechs(&minor, stale, gss_mech_set_krb5),
                GSS_S_NO_CRED);
    CHECK_MAJOR(gss_store_cred(&minor, stale, GSS_C_INITIATE, GSS_C_NO_OID, 0,
                               0, NULL, NULL), GSS_S_NO_CRED);
    CHECK_MAJOR(gss_krb5_copy_ccache(&minor, stale, (krb5_ccache)&minor),
                GSS_S_NO_CRED);
    gss_release_cred(&minor, &cred);
}

BT_TEST_MAIN(acquire_without_credentials,
             acquire_argument_errors, inquire_and_release_a_credential,
             add_cred_rules, extension_calls_validate_handles)
