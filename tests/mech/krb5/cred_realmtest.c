/* Kerberos credentials against a real KDC: default ccache, password,
 * client keytab, acceptor keytabs, registered acceptor identity, missing
 * and expired credentials (run under tests/realm/realm.sh). */
#include "check.h"

#include <stdlib.h>
#include <unistd.h>

#include <gssapi/gssapi_krb5.h>

static gss_name_t
name_of(const char *s, gss_OID type)
{
    gss_buffer_desc b = { strlen(s), (void *)s };
    gss_name_t n = GSS_C_NO_NAME;
    OM_uint32 minor;

    CHECK_MAJOR(gss_import_name(&minor, &b, type, &n), GSS_S_COMPLETE);
    return n;
}

/* The text gss_display_status gives for a minor code. */
static void
minor_text(OM_uint32 minor, char *out, size_t n)
{
    gss_buffer_desc b;
    OM_uint32 m, ctx = 0;

    gss_display_status(&m, minor, GSS_C_MECH_CODE, gss_mech_krb5, &ctx, &b);
    snprintf(out, n, "%.*s", (int)b.length, (char *)b.value);
    gss_release_buffer(&m, &b);
}

static int
names_equal(gss_name_t a, const char *principal)
{
    gss_name_t b = name_of(principal, GSS_KRB5_NT_PRINCIPAL_NAME);
    OM_uint32 minor;
    int eq = 0;

    gss_compare_name(&minor, a, b, &eq);
    gss_release_name(&minor, &b);
    return eq;
}

static void
default_initiator_and_acceptor(void)
{
    gss_cred_id_t ic = GSS_C_NO_CREDENTIAL, ac = GSS_C_NO_CREDENTIAL;
    gss_name_t n = GSS_C_NO_NAME;
    gss_cred_usage_t usage;
    OM_uint32 minor, life = 0, il = 0, al = 0, t = 0;
    gss_OID_set mechs = GSS_C_NO_OID_SET;

    CHECK_MAJOR(gss_acquire_cred(&minor, GSS_C_NO_NAME, GSS_C_INDEFINITE,
                                 GSS_C_NO_OID_SET, GSS_C_INITIATE, &ic, &mechs,
                                 &t), GSS_S_COMPLETE);
    /* Kerberos and SPNEGO (over Kerberos), as MIT acquires by default. */
    CHECK(t > 3000 && mechs != NULL && mechs->count == 2);
    gss_release_oid_set(&minor, &mechs);
    CHECK_MAJOR(gss_inquire_cred(&minor, ic, &n, &life, &usage, NULL),
                GSS_S_COMPLETE);
    CHECK(names_equal(n, getenv("BATON_USER")));
    CHECK(life > 3000 && usage == GSS_C_INITIATE);
    gss_release_name(&minor, &n);
    CHECK_MAJOR(gss_acquire_cred(&minor, GSS_C_NO_NAME, 0, GSS_C_NO_OID_SET,
                                 GSS_C_ACCEPT, &ac, NULL, &t), GSS_S_COMPLETE);
    CHECK(t == GSS_C_INDEFINITE);
    CHECK_MAJOR(gss_inquire_cred_by_mech(&minor, ac, gss_mech_krb5, &n, &il,
                                         &al, &usage), GSS_S_COMPLETE);
    CHECK(n == GSS_C_NO_NAME && il == 0 && al == GSS_C_INDEFINITE &&
          usage == GSS_C_ACCEPT);
    /* One element per mechanism: adding krb5 again is a duplicate. */
    CHECK_MAJOR(gss_add_cred(&minor, ac, GSS_C_NO_NAME, gss_mech_krb5,
                             GSS_C_ACCEPT, 0, 0, NULL, NULL, NULL, NULL),
                GSS_S_DUPLICATE_ELEMENT);
    gss_release_cred(&minor, &ic);
    gss_release_cred(&minor, &ac);
}

static void
named_acceptor_must_be_in_keytab(void)
{
    gss_name_t good = name_of(getenv("BATON_SERVICE"),
                              GSS_C_NT_HOSTBASED_SERVICE);
    gss_name_t bad = name_of("nosuch@localhost", GSS_C_NT_HOSTBASED_SERVICE);
    gss_cred_id_t c = GSS_C_NO_CREDENTIAL;
    OM_uint32 minor;

    CHECK_MAJOR(gss_acquire_cred(&minor, good, 0, GSS_C_NO_OID_SET,
                                 GSS_C_ACCEPT, &c, NULL, NULL), GSS_S_COMPLETE);
    gss_release_cred(&minor, &c);
    CHECK_MAJOR(gss_acquire_cred(&minor, bad, 0, GSS_C_NO_OID_SET,
                                 GSS_C_ACCEPT, &c, NULL, NULL), GSS_S_NO_CRED);
    gss_release_name(&minor, &good);
    gss_release_name(&minor, &bad);
}

static void
password_credentials(void)
{
    gss_name_t user = name_of(getenv("BATON_USER"), GSS_KRB5_NT_PRINCIPAL_NAME);
    const char *pw = getenv("BATON_USER_PASSWORD");
    gss_buffer_desc good = { strlen(pw), (void *)pw }, bad = { 5, "wrong" };
    gss_cred_id_t c = GSS_C_NO_CREDENTIAL;
    OM_uint32 minor, t = 0;

    CHECK_MAJOR(gss_acquire_cred_with_password(&minor, user, &good, 0,
                                               GSS_C_NO_OID_SET,
                                               GSS_C_INITIATE, &c, NULL, &t),
                GSS_S_COMPLETE);
    CHECK(t > 3000);
    gss_release_cred(&minor, &c);
    CHECK(GSS_ERROR(gss_acquire_cred_with_password(&minor, user, &bad, 0,
                                                   GSS_C_NO_OID_SET,
                                                   GSS_C_INITIATE, &c, NULL,
                                                   NULL)) != 0);
    CHECK(c == GSS_C_NO_CREDENTIAL);
    gss_release_name(&minor, &user);
}

static void
missing_ccache_then_client_keytab(void)
{
    const char *saved = getenv("KRB5CCNAME");
    char *copy = strdup(saved != NULL ? saved : "");
    gss_cred_id_t c = GSS_C_NO_CREDENTIAL;
    OM_uint32 minor;
    char text[200];

    /* No ccache and no client keytab: a sentence that says so. */
    setenv("KRB5CCNAME", "FILE:/nonexistent/cc", 1);
    setenv("KRB5_CLIENT_KTNAME", "FILE:/nonexistent/kt", 1);
    CHECK_MAJOR(gss_acquire_cred(&minor, GSS_C_NO_NAME, 0, GSS_C_NO_OID_SET,
                                 GSS_C_INITIATE, &c, NULL, NULL),
                GSS_S_NO_CRED);
    minor_text(minor, text, sizeof(text));
    CHECK(strstr(text, "No credentials cache found") != NULL);
    /* With a client keytab the credential is obtained from the KDC. */
    setenv("KRB5_CLIENT_KTNAME", getenv("BATON_USER_KEYTAB"), 1);
    CHECK_MAJOR(gss_acquire_cred(&minor, GSS_C_NO_NAME, 0, GSS_C_NO_OID_SET,
                                 GSS_C_INITIATE, &c, NULL, NULL),
                GSS_S_COMPLETE);
    gss_release_cred(&minor, &c);
    setenv("KRB5CCNAME", copy, 1);
    free(copy);
}

static void
thread_ccache_name(void)
{
    const char *prev = NULL;
    gss_cred_id_t c = GSS_C_NO_CREDENTIAL;
    OM_uint32 minor;

    /* Without a client keytab to fall back on. */
    setenv("KRB5_CLIENT_KTNAME", "FILE:/nonexistent/kt", 1);
    CHECK_MAJOR(gss_krb5_ccache_name(&minor, "FILE:/nonexistent/cc2", &prev),
                GSS_S_COMPLETE);
    CHECK(prev == NULL);
    CHECK_MAJOR(gss_acquire_cred(&minor, GSS_C_NO_NAME, 0, GSS_C_NO_OID_SET,
                                 GSS_C_INITIATE, &c, NULL, NULL),
                GSS_S_NO_CRED);
    CHECK_MAJOR(gss_krb5_ccache_name(&minor, NULL, &prev), GSS_S_COMPLETE);
    CHECK(prev != NULL && strcmp(prev, "FILE:/nonexistent/cc2") == 0);
    setenv("KRB5_CLIENT_KTNAME", getenv("BATON_USER_KEYTAB"), 1);
    CHECK_MAJOR(gss_acquire_cred(&minor, GSS_C_NO_NAME, 0, GSS_C_NO_OID_SET,
                                 GSS_C_INITIATE, &c, NULL, NULL),
                GSS_S_COMPLETE);
    gss_release_cred(&minor, &c);
}

static void
registered_acceptor_identity(void)
{
    gss_name_t http = name_of(getenv("BATON_SERVICE2"),
                              GSS_C_NT_HOSTBASED_SERVICE);
    gss_cred_id_t c = GSS_C_NO_CREDENTIAL;
    OM_uint32 minor;

    /* The default keytab has only host/localhost... */
    CHECK_MAJOR(gss_acquire_cred(&minor, http, 0, GSS_C_NO_OID_SET,
                                 GSS_C_ACCEPT, &c, NULL, NULL), GSS_S_NO_CRED);
    /* ...the registered one has HTTP/localhost. */
    CHECK_MAJOR(krb5_gss_register_acceptor_identity(
                    getenv("BATON_SERVICE2_KEYTAB")), GSS_S_COMPLETE);
    CHECK_MAJOR(gss_acquire_cred(&minor, http, 0, GSS_C_NO_OID_SET,
                                 GSS_C_ACCEPT, &c, NULL, NULL),
                GSS_S_COMPLETE);
    gss_release_cred(&minor, &c);
    CHECK_MAJOR(krb5_gss_register_acceptor_identity(NULL), GSS_S_COMPLETE);
    gss_release_name(&minor, &http);
}

static void
expired_ticket(void)
{
    char cmd[1024], cc[512], text[200];
    const char *saved = getenv("KRB5CCNAME");
    char *copy = strdup(saved != NULL ? saved : "");
    gss_cred_id_t c = GSS_C_NO_CREDENTIAL;
    OM_uint32 minor;

    snprintf(cc, sizeof(cc), "FILE:%s/expiring.cc", getenv("BATON_REALM_DIR"));
    snprintf(cmd, sizeof(cmd), "KRB5CCNAME=%s kinit -l 2s -k -t %s %s", cc,
             getenv("BATON_USER_KEYTAB"), getenv("BATON_USER"));
    CHECK(system(cmd) == 0);
    sleep(3);
    setenv("KRB5CCNAME", cc, 1);
    CHECK_MAJOR(gss_acquire_cred(&minor, GSS_C_NO_NAME, 0, GSS_C_NO_OID_SET,
                                 GSS_C_INITIATE, &c, NULL, NULL),
                GSS_S_CREDENTIALS_EXPIRED);
    minor_text(minor, text, sizeof(text));
    CHECK(strstr(text, "xpired") != NULL);
    setenv("KRB5CCNAME", copy, 1);
    free(copy);
}

BT_TEST_MAIN(default_initiator_and_acceptor, named_acceptor_must_be_in_keytab,
             password_credentials, missing_ccache_then_client_keytab,
             thread_ccache_name, registered_acceptor_identity, expired_ticket)
