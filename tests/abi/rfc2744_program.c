/*
 * rfc2744_program.c - an application written against RFC 2744 and the
 * extensions MIT krb5 made common, and nothing else: it includes only the
 * <gssapi/...> headers and is built with nothing but `pkg-config baton`.
 *
 * It calls every function those headers declare at least once (the
 * abi_program_coverage test holds it to that), references the OID data
 * symbols under their MIT names (legacy gss_nt_* aliases included), and
 * checks the results that mean something without a KDC: names, OIDs and
 * OID sets, tokens framing, status sentences, and the errors RFC 2744 gives
 * for absent or invalid handles and unobtainable credentials.
 *
 * Output is TAP-like: "ok - ..." or "not ok - ..." per check; the exit
 * status is 1 if any check failed.  Needs KRB5_CONFIG naming a krb5.conf
 * whose default_realm is ABI.TEST, and no usable ccache or keytab.
 */
#include <gssapi/gssapi.h>
#include <gssapi/gssapi_ext.h>
#include <gssapi/gssapi_generic.h>
#include <gssapi/gssapi_krb5.h>

#include <pwd.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define REALM "ABI.TEST"

static int failures, checks;

static void check(int ok, int line, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void
check(int ok, int line, const char *fmt, ...)
{
    va_list ap;

    checks++;
    if (!ok)
        failures++;
    printf("%s - [line %d] ", ok ? "ok" : "not ok", line);
    va_start(ap, fmt);
    vprintf(fmt, ap);
    va_end(ap);
    putchar('\n');
}

#define CHECK(cond, ...) check((cond) ? 1 : 0, __LINE__, __VA_ARGS__)

/* The first sentence gss_display_status gives for a major status, for
 * messages (a static buffer; fine for one use per printf). */
static const char *
major_text(OM_uint32 major)
{
    static char text[8][256];
    static int next;
    char *out = text[next++ % 8];
    OM_uint32 minor, ctx = 0;
    gss_buffer_desc msg = GSS_C_EMPTY_BUFFER;

    if (gss_display_status(&minor, major, GSS_C_GSS_CODE, GSS_C_NO_OID, &ctx,
                           &msg) != GSS_S_COMPLETE) {
        snprintf(out, 256, "0x%08x", (unsigned)major);
        return out;
    }
    snprintf(out, 256, "0x%08x \"%.*s\"", (unsigned)major, (int)msg.length,
             (const char *)msg.value);
    (void)gss_release_buffer(&minor, &msg);
    return out;
}

/* The major status must be exactly want. */
#define EXPECT(got, want, what) \
    CHECK((got) == (want), "%s: %s (want %s)", what, major_text(got), \
          major_text(want))

/* The routine error must be want (calling-error bits, which MIT adds to some
 * NULL-handle errors, and supplementary bits are not compared). */
#define EXPECT_ROUTINE(got, want, what) \
    CHECK(GSS_ROUTINE_ERROR(got) == (want), "%s: %s (want routine error %s)", \
          what, major_text(got), major_text(want))

/* One of two routine errors (e.g. GSS_S_UNAVAILABLE or GSS_S_NO_CRED). */
#define EXPECT_ROUTINE2(got, w1, w2, what) \
    CHECK(GSS_ROUTINE_ERROR(got) == (w1) || GSS_ROUTINE_ERROR(got) == (w2), \
          "%s: %s (want %s or %s)", what, major_text(got), major_text(w1), \
          major_text(w2))

static gss_buffer_desc
text_buf(const char *s)
{
    gss_buffer_desc b;

    b.length = strlen(s);
    b.value = (void *)s;
    return b;
}

static int
buf_is(const gss_buffer_desc *b, const char *s)
{
    return b->length == strlen(s) && b->value != NULL &&
           memcmp(b->value, s, b->length) == 0;
}

/* OID string text without the terminating NUL that MIT counts in length. */
static int
oid_str_is(const gss_buffer_desc *b, const char *s)
{
    size_t n = b->length;

    if (n > 0 && b->value != NULL && ((const char *)b->value)[n - 1] == '\0')
        n--;
    return n == strlen(s) && memcmp(b->value, s, n) == 0;
}

static int
set_has(gss_OID_set set, gss_const_OID oid)
{
    OM_uint32 minor;
    int present = 0;

    if (set == GSS_C_NO_OID_SET)
        return 0;
    if (gss_test_oid_set_member(&minor, (gss_OID)oid, set, &present) !=
        GSS_S_COMPLETE)
        return 0;
    return present;
}

static gss_name_t
import(const char *text, gss_OID type)
{
    gss_buffer_desc b = text_buf(text);
    gss_name_t name = GSS_C_NO_NAME;
    OM_uint32 major, minor = 0xdeadbeef;

    major = gss_import_name(&minor, &b, type, &name);
    CHECK(major == GSS_S_COMPLETE && name != GSS_C_NO_NAME,
          "gss_import_name(\"%s\"): %s", text, major_text(major));
    CHECK(major != GSS_S_COMPLETE || minor == 0,
          "gss_import_name(\"%s\") succeeds with minor_status 0 (got 0x%08x)",
          text, (unsigned)minor);
    return name;
}

/* The display form and name type of a name. */
static void
expect_display(gss_name_t name, const char *want_text, gss_const_OID want_type,
               const char *what)
{
    gss_buffer_desc out = GSS_C_EMPTY_BUFFER;
    gss_OID type = GSS_C_NO_OID;
    OM_uint32 major, minor;

    major = gss_display_name(&minor, name, &out, &type);
    CHECK(major == GSS_S_COMPLETE && buf_is(&out, want_text),
          "%s: gss_display_name gives \"%.*s\" (want \"%s\"), %s", what,
          (int)out.length, out.value != NULL ? (char *)out.value : "",
          want_text, major_text(major));
    if (want_type != NULL)
        CHECK(gss_oid_equal(type, want_type),
              "%s: gss_display_name's name type is the expected one", what);
    (void)gss_release_buffer(&minor, &out);
    CHECK(out.length == 0 && out.value == NULL,
          "gss_release_buffer empties the buffer");
}

static int
names_equal(gss_name_t a, gss_name_t b, OM_uint32 *major_out)
{
    OM_uint32 minor;
    int equal = -1;

    *major_out = gss_compare_name(&minor, a, b, &equal);
    return equal;
}

/* ---- OIDs: the MIT symbols, text forms, sets ---- */

struct named_oid {
    const char *name;
    gss_const_OID oid;
    const char *text;   /* expected gss_oid_to_str, or NULL */
};

static void
test_oid_symbols(void)
{
    const struct named_oid oids[] = {
        { "GSS_C_NT_USER_NAME", GSS_C_NT_USER_NAME,
          "{ 1 2 840 113554 1 2 1 1 }" },
        { "GSS_C_NT_MACHINE_UID_NAME", GSS_C_NT_MACHINE_UID_NAME,
          "{ 1 2 840 113554 1 2 1 2 }" },
        { "GSS_C_NT_STRING_UID_NAME", GSS_C_NT_STRING_UID_NAME,
          "{ 1 2 840 113554 1 2 1 3 }" },
        { "GSS_C_NT_HOSTBASED_SERVICE_X", GSS_C_NT_HOSTBASED_SERVICE_X,
          "{ 1 3 6 1 5 6 2 }" },
        { "GSS_C_NT_HOSTBASED_SERVICE", GSS_C_NT_HOSTBASED_SERVICE,
          "{ 1 2 840 113554 1 2 1 4 }" },
        { "GSS_C_NT_ANONYMOUS", GSS_C_NT_ANONYMOUS, "{ 1 3 6 1 5 6 3 }" },
        { "GSS_C_NT_EXPORT_NAME", GSS_C_NT_EXPORT_NAME, "{ 1 3 6 1 5 6 4 }" },
        { "GSS_C_NT_COMPOSITE_EXPORT", GSS_C_NT_COMPOSITE_EXPORT,
          "{ 1 3 6 1 5 6 6 }" },
        { "gss_nt_user_name", gss_nt_user_name, "{ 1 2 840 113554 1 2 1 1 }" },
        { "gss_nt_machine_uid_name", gss_nt_machine_uid_name,
          "{ 1 2 840 113554 1 2 1 2 }" },
        { "gss_nt_string_uid_name", gss_nt_string_uid_name,
          "{ 1 2 840 113554 1 2 1 3 }" },
        { "gss_nt_service_name_v2", gss_nt_service_name_v2,
          "{ 1 3 6 1 5 6 2 }" },
        { "gss_nt_service_name", gss_nt_service_name,
          "{ 1 2 840 113554 1 2 1 4 }" },
        { "gss_nt_exported_name", gss_nt_exported_name, "{ 1 3 6 1 5 6 4 }" },
        { "gss_mech_krb5", gss_mech_krb5, "{ 1 2 840 113554 1 2 2 }" },
        { "gss_mech_krb5_old", gss_mech_krb5_old, "{ 1 3 5 1 5 2 }" },
        { "gss_mech_krb5_wrong", gss_mech_krb5_wrong,
          "{ 1 2 840 48018 1 2 2 }" },
        { "gss_mech_iakerb", gss_mech_iakerb, "{ 1 3 6 1 5 2 5 }" },
        { "GSS_KRB5_NT_PRINCIPAL_NAME", GSS_KRB5_NT_PRINCIPAL_NAME,
          "{ 1 2 840 113554 1 2 2 1 }" },
        { "gss_nt_krb5_name", gss_nt_krb5_name, "{ 1 2 840 113554 1 2 2 1 }" },
        { "gss_nt_krb5_principal", gss_nt_krb5_principal,
          "{ 1 2 840 113554 1 2 2 2 }" },
        { "GSS_KRB5_NT_ENTERPRISE_NAME", GSS_KRB5_NT_ENTERPRISE_NAME,
          "{ 1 2 840 113554 1 2 2 6 }" },
        { "GSS_KRB5_NT_X509_CERT", GSS_KRB5_NT_X509_CERT,
          "{ 1 2 840 113554 1 2 2 7 }" },
        { "GSS_KRB5_CRED_NO_CI_FLAGS_X", GSS_KRB5_CRED_NO_CI_FLAGS_X,
          "{ 1 2 752 43 13 29 }" },
        { "GSS_KRB5_GET_CRED_IMPERSONATOR", GSS_KRB5_GET_CRED_IMPERSONATOR,
          "{ 1 2 840 113554 1 2 2 5 14 }" },
        { "GSS_C_INQ_SSPI_SESSION_KEY", GSS_C_INQ_SSPI_SESSION_KEY,
          "{ 1 2 840 113554 1 2 2 5 5 }" },
        { "GSS_C_INQ_NEGOEX_KEY", GSS_C_INQ_NEGOEX_KEY,
          "{ 1 2 840 113554 1 2 2 5 16 }" },
        { "GSS_C_INQ_NEGOEX_VERIFY_KEY", GSS_C_INQ_NEGOEX_VERIFY_KEY,
          "{ 1 2 840 113554 1 2 2 5 17 }" },
        { "GSS_C_SEC_CONTEXT_SASL_SSF", GSS_C_SEC_CONTEXT_SASL_SSF,
          "{ 1 2 840 113554 1 2 2 5 15 }" },
        { "GSS_C_MA_NEGOEX_AND_SPNEGO", GSS_C_MA_NEGOEX_AND_SPNEGO,
          "{ 1 2 840 113554 1 2 2 5 18 }" },
        { "GSS_C_MA_MECH_CONCRETE", GSS_C_MA_MECH_CONCRETE,
          "{ 1 3 6 1 5 5 13 1 }" },
        { "GSS_C_MA_CTX_TRANS", GSS_C_MA_CTX_TRANS, "{ 1 3 6 1 5 5 13 27 }" },
    };
    OM_uint32 major, minor;

    for (size_t i = 0; i < sizeof(oids) / sizeof(oids[0]); i++) {
        gss_buffer_desc str = GSS_C_EMPTY_BUFFER;
        gss_OID back = GSS_C_NO_OID;

        CHECK(oids[i].oid != NULL && oids[i].oid->length > 0 &&
              oids[i].oid->elements != NULL, "%s is a non-empty OID",
              oids[i].name);
        if (oids[i].oid == NULL)
            continue;
        major = gss_oid_to_str(&minor, (gss_OID)oids[i].oid, &str);
        CHECK(major == GSS_S_COMPLETE && oid_str_is(&str, oids[i].text),
              "gss_oid_to_str(%s) = \"%.*s\" (want \"%s\")", oids[i].name,
              (int)str.length, str.value != NULL ? (char *)str.value : "",
              oids[i].text);
        /* ... and back: the text parses to the same OID. */
        major = gss_str_to_oid(&minor, &str, &back);
        CHECK(major == GSS_S_COMPLETE && gss_oid_equal(back, oids[i].oid),
              "gss_str_to_oid(gss_oid_to_str(%s)) round-trips: %s",
              oids[i].name, major_text(major));
        (void)gss_release_oid(&minor, &back);
        CHECK(back == GSS_C_NO_OID, "gss_release_oid clears the pointer");
        (void)gss_release_buffer(&minor, &str);
    }

    /* The legacy names are the same OIDs as the RFC 2744 ones. */
    CHECK(gss_oid_equal(gss_nt_user_name, GSS_C_NT_USER_NAME) &&
          gss_oid_equal(gss_nt_machine_uid_name, GSS_C_NT_MACHINE_UID_NAME) &&
          gss_oid_equal(gss_nt_string_uid_name, GSS_C_NT_STRING_UID_NAME) &&
          gss_oid_equal(gss_nt_service_name, GSS_C_NT_HOSTBASED_SERVICE) &&
          gss_oid_equal(gss_nt_service_name_v2, GSS_C_NT_HOSTBASED_SERVICE_X) &&
          gss_oid_equal(gss_nt_exported_name, GSS_C_NT_EXPORT_NAME) &&
          gss_oid_equal(gss_nt_krb5_name, GSS_KRB5_NT_PRINCIPAL_NAME),
          "gss_nt_* aliases equal their GSS_C_NT_* / GSS_KRB5_NT_* twins");
    CHECK(!gss_oid_equal(gss_mech_krb5, gss_mech_krb5_old) &&
          !gss_oid_equal(GSS_C_NT_USER_NAME, GSS_C_NT_HOSTBASED_SERVICE),
          "gss_oid_equal tells different OIDs apart");
    CHECK(!gss_oid_equal(GSS_C_NO_OID, gss_mech_krb5) &&
          !gss_oid_equal(gss_mech_krb5, GSS_C_NO_OID),
          "gss_oid_equal is false against GSS_C_NO_OID");

    /* The krb5 mechanism sets. */
    CHECK(gss_mech_set_krb5 != NULL && gss_mech_set_krb5->count == 1 &&
          gss_oid_equal(&gss_mech_set_krb5->elements[0], gss_mech_krb5),
          "gss_mech_set_krb5 = { gss_mech_krb5 }");
    CHECK(gss_mech_set_krb5_old != NULL && gss_mech_set_krb5_old->count == 1 &&
          gss_oid_equal(&gss_mech_set_krb5_old->elements[0], gss_mech_krb5_old),
          "gss_mech_set_krb5_old = { gss_mech_krb5_old }");
    CHECK(gss_mech_set_krb5_both != NULL &&
          set_has(gss_mech_set_krb5_both, gss_mech_krb5) &&
          set_has(gss_mech_set_krb5_both, gss_mech_krb5_old),
          "gss_mech_set_krb5_both holds gss_mech_krb5 and gss_mech_krb5_old");

    CHECK(GSS_C_ATTR_LOCAL_LOGIN_USER != NULL &&
          buf_is(GSS_C_ATTR_LOCAL_LOGIN_USER, "local-login-user"),
          "GSS_C_ATTR_LOCAL_LOGIN_USER is \"local-login-user\"");
}

static void
test_str_to_oid(void)
{
    gss_buffer_desc b;
    gss_OID oid = GSS_C_NO_OID;
    OM_uint32 major, minor;
    const char *bad[] = { "", "{ }", "{ 1 2 840", "garbage", "{ 1 x 3 }" };

    b = text_buf("{ 1 2 840 113554 1 2 2 }");
    major = gss_str_to_oid(&minor, &b, &oid);
    CHECK(major == GSS_S_COMPLETE && gss_oid_equal(oid, gss_mech_krb5),
          "gss_str_to_oid(\"{ 1 2 840 113554 1 2 2 }\") = gss_mech_krb5");
    (void)gss_release_oid(&minor, &oid);

    /* A large arc and a first arc of 2 (X.690 first-octet packing). */
    b = text_buf("{ 2 999 4294967295 }");
    major = gss_str_to_oid(&minor, &b, &oid);
    CHECK(major == GSS_S_COMPLETE && oid != NULL && oid->length == 7 &&
          memcmp(oid->elements, "\x88\x37\x8f\xff\xff\xff\x7f", 7) == 0,
          "gss_str_to_oid encodes { 2 999 4294967295 } as 88 37 8f ff ff ff 7f");
    if (major == GSS_S_COMPLETE) {
        gss_buffer_desc str = GSS_C_EMPTY_BUFFER;

        major = gss_oid_to_str(&minor, oid, &str);
        CHECK(major == GSS_S_COMPLETE &&
              oid_str_is(&str, "{ 2 999 4294967295 }"),
              "gss_oid_to_str decodes it back");
        (void)gss_release_buffer(&minor, &str);
    }
    (void)gss_release_oid(&minor, &oid);

    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        b = text_buf(bad[i]);
        oid = GSS_C_NO_OID;
        major = gss_str_to_oid(&minor, &b, &oid);
        CHECK(GSS_ERROR(major) != 0 && oid == GSS_C_NO_OID,
              "gss_str_to_oid(\"%s\") fails: %s", bad[i], major_text(major));
        (void)gss_release_oid(&minor, &oid);
    }
}

static void
test_oid_sets(void)
{
    gss_OID_set set = GSS_C_NO_OID_SET, mechs = GSS_C_NO_OID_SET;
    OM_uint32 major, minor;
    int present = -1;

    major = gss_create_empty_oid_set(&minor, &set);
    CHECK(major == GSS_S_COMPLETE && set != GSS_C_NO_OID_SET &&
          set->count == 0, "gss_create_empty_oid_set");
    if (set == GSS_C_NO_OID_SET)
        return;
    major = gss_add_oid_set_member(&minor, GSS_C_NT_USER_NAME, &set);
    EXPECT(major, GSS_S_COMPLETE, "gss_add_oid_set_member(GSS_C_NT_USER_NAME)");
    major = gss_add_oid_set_member(&minor, gss_nt_user_name, &set);
    CHECK(major == GSS_S_COMPLETE && set->count == 1,
          "adding the same OID again (gss_nt_user_name) keeps count 1 (%zu)",
          set->count);
    major = gss_add_oid_set_member(&minor, gss_mech_krb5, &set);
    CHECK(major == GSS_S_COMPLETE && set->count == 2,
          "gss_add_oid_set_member(gss_mech_krb5) makes count 2");
    CHECK(set->elements[0].elements != GSS_C_NT_USER_NAME->elements,
          "gss_add_oid_set_member copies the OID");
    major = gss_test_oid_set_member(&minor, gss_mech_krb5, set, &present);
    CHECK(major == GSS_S_COMPLETE && present == 1,
          "gss_test_oid_set_member finds gss_mech_krb5");
    major = gss_test_oid_set_member(&minor, gss_mech_krb5_old, set, &present);
    CHECK(major == GSS_S_COMPLETE && present == 0,
          "gss_test_oid_set_member does not find gss_mech_krb5_old");
    major = gss_release_oid_set(&minor, &set);
    CHECK(major == GSS_S_COMPLETE && set == GSS_C_NO_OID_SET,
          "gss_release_oid_set clears the pointer");

    major = gss_indicate_mechs(&minor, &mechs);
    CHECK(major == GSS_S_COMPLETE && set_has(mechs, gss_mech_krb5),
          "gss_indicate_mechs lists gss_mech_krb5: %s", major_text(major));
    (void)gss_release_oid_set(&minor, &mechs);

    major = gss_inquire_names_for_mech(&minor, gss_mech_krb5, &set);
    CHECK(major == GSS_S_COMPLETE && set_has(set, GSS_C_NT_USER_NAME) &&
          set_has(set, GSS_C_NT_HOSTBASED_SERVICE) &&
          set_has(set, GSS_C_NT_EXPORT_NAME) &&
          set_has(set, GSS_KRB5_NT_PRINCIPAL_NAME) &&
          set_has(set, GSS_C_NT_MACHINE_UID_NAME) &&
          set_has(set, GSS_C_NT_STRING_UID_NAME),
          "gss_inquire_names_for_mech(gss_mech_krb5) has the RFC 2744 and "
          "krb5 name types");
    (void)gss_release_oid_set(&minor, &set);
}

/* RFC 5587 attributes and RFC 5801 SASL names. */
static void
test_mech_attrs(void)
{
    static const struct {
        const char *name;
        gss_const_OID *oid;
    } attrs[] = {
#define MA(n) { #n, &n }
        MA(GSS_C_MA_MECH_CONCRETE), MA(GSS_C_MA_MECH_PSEUDO),
        MA(GSS_C_MA_MECH_COMPOSITE), MA(GSS_C_MA_MECH_NEGO),
        MA(GSS_C_MA_MECH_GLUE), MA(GSS_C_MA_NOT_MECH),
        MA(GSS_C_MA_DEPRECATED), MA(GSS_C_MA_NOT_DFLT_MECH),
        MA(GSS_C_MA_ITOK_FRAMED), MA(GSS_C_MA_AUTH_INIT),
        MA(GSS_C_MA_AUTH_TARG), MA(GSS_C_MA_AUTH_INIT_INIT),
        MA(GSS_C_MA_AUTH_TARG_INIT), MA(GSS_C_MA_AUTH_INIT_ANON),
        MA(GSS_C_MA_AUTH_TARG_ANON), MA(GSS_C_MA_DELEG_CRED),
        MA(GSS_C_MA_INTEG_PROT), MA(GSS_C_MA_CONF_PROT), MA(GSS_C_MA_MIC),
        MA(GSS_C_MA_WRAP), MA(GSS_C_MA_PROT_READY), MA(GSS_C_MA_REPLAY_DET),
        MA(GSS_C_MA_OOS_DET), MA(GSS_C_MA_CBINDINGS), MA(GSS_C_MA_PFS),
        MA(GSS_C_MA_COMPRESS), MA(GSS_C_MA_CTX_TRANS),
#undef MA
    };
    gss_OID_set mech_attrs = GSS_C_NO_OID_SET, known = GSS_C_NO_OID_SET;
    gss_OID_set want = GSS_C_NO_OID_SET, mechs = GSS_C_NO_OID_SET;
    gss_buffer_desc name, sdesc, ldesc, sasl, mname, mdesc;
    gss_OID mech = GSS_C_NO_OID;
    OM_uint32 major, minor;

    major = gss_inquire_attrs_for_mech(&minor, gss_mech_krb5, &mech_attrs,
                                       &known);
    EXPECT(major, GSS_S_COMPLETE, "gss_inquire_attrs_for_mech(gss_mech_krb5)");
    CHECK(set_has(mech_attrs, GSS_C_MA_MECH_CONCRETE) &&
          set_has(mech_attrs, GSS_C_MA_ITOK_FRAMED) &&
          set_has(mech_attrs, GSS_C_MA_AUTH_INIT) &&
          set_has(mech_attrs, GSS_C_MA_AUTH_TARG) &&
          set_has(mech_attrs, GSS_C_MA_INTEG_PROT) &&
          set_has(mech_attrs, GSS_C_MA_CONF_PROT) &&
          set_has(mech_attrs, GSS_C_MA_MIC) && set_has(mech_attrs, GSS_C_MA_WRAP),
          "krb5 is a concrete, framed mechanism with mutual auth, MIC and wrap");
    CHECK(!set_has(mech_attrs, GSS_C_MA_MECH_NEGO) &&
          !set_has(mech_attrs, GSS_C_MA_NOT_MECH) &&
          !set_has(mech_attrs, GSS_C_MA_DEPRECATED),
          "krb5 is not a negotiation mech, not a non-mech, not deprecated");
    for (size_t i = 0; i < sizeof(attrs) / sizeof(attrs[0]); i++) {
        gss_const_OID oid = *attrs[i].oid;

        CHECK(set_has(known, oid), "%s is among the known attributes",
              attrs[i].name);
        name = sdesc = ldesc = (gss_buffer_desc)GSS_C_EMPTY_BUFFER;
        major = gss_display_mech_attr(&minor, oid, &name, &sdesc, &ldesc);
        CHECK(major == GSS_S_COMPLETE && buf_is(&name, attrs[i].name) &&
              sdesc.length > 0 && ldesc.length > 0,
              "gss_display_mech_attr(%s) names it \"%.*s\"", attrs[i].name,
              (int)name.length, name.value != NULL ? (char *)name.value : "");
        (void)gss_release_buffer(&minor, &name);
        (void)gss_release_buffer(&minor, &sdesc);
        (void)gss_release_buffer(&minor, &ldesc);
        for (size_t j = 0; j < i; j++) {
            if (gss_oid_equal(oid, *attrs[j].oid))
                CHECK(0, "%s and %s are the same OID", attrs[i].name,
                      attrs[j].name);
        }
    }
    (void)gss_release_oid_set(&minor, &mech_attrs);
    (void)gss_release_oid_set(&minor, &known);

    name = (gss_buffer_desc)GSS_C_EMPTY_BUFFER;
    major = gss_display_mech_attr(&minor, gss_mech_krb5, &name, NULL, NULL);
    EXPECT_ROUTINE(major, GSS_S_BAD_MECH_ATTR,
                   "gss_display_mech_attr(gss_mech_krb5), not an attribute");

    (void)gss_create_empty_oid_set(&minor, &want);
    (void)gss_add_oid_set_member(&minor, (gss_OID)GSS_C_MA_MECH_CONCRETE,
                                 &want);
    major = gss_indicate_mechs_by_attrs(&minor, want, GSS_C_NO_OID_SET,
                                        GSS_C_NO_OID_SET, &mechs);
    CHECK(major == GSS_S_COMPLETE && set_has(mechs, gss_mech_krb5),
          "gss_indicate_mechs_by_attrs(desired CONCRETE) has krb5");
    (void)gss_release_oid_set(&minor, &mechs);
    major = gss_indicate_mechs_by_attrs(&minor, GSS_C_NO_OID_SET, want,
                                        GSS_C_NO_OID_SET, &mechs);
    CHECK(major == GSS_S_COMPLETE && !set_has(mechs, gss_mech_krb5),
          "gss_indicate_mechs_by_attrs(except CONCRETE) lacks krb5");
    (void)gss_release_oid_set(&minor, &mechs);
    (void)gss_release_oid_set(&minor, &want);

    sasl = mname = mdesc = (gss_buffer_desc)GSS_C_EMPTY_BUFFER;
    major = gss_inquire_saslname_for_mech(&minor, gss_mech_krb5, &sasl, &mname,
                                          &mdesc);
    CHECK(major == GSS_S_COMPLETE && buf_is(&sasl, "GS2-KRB5") &&
          mname.length > 0,
          "gss_inquire_saslname_for_mech(gss_mech_krb5) = GS2-KRB5: %s",
          major_text(major));
    (void)gss_release_buffer(&minor, &sasl);
    (void)gss_release_buffer(&minor, &mname);
    (void)gss_release_buffer(&minor, &mdesc);
    sasl = text_buf("GS2-KRB5");
    major = gss_inquire_mech_for_saslname(&minor, &sasl, &mech);
    CHECK(major == GSS_S_COMPLETE && gss_oid_equal(mech, gss_mech_krb5),
          "gss_inquire_mech_for_saslname(GS2-KRB5) = gss_mech_krb5");
    sasl = text_buf("NO-SUCH-MECH");
    mech = GSS_C_NO_OID;
    major = gss_inquire_mech_for_saslname(&minor, &sasl, &mech);
    EXPECT_ROUTINE(major, GSS_S_BAD_MECH,
                   "gss_inquire_mech_for_saslname(NO-SUCH-MECH)");
}

/* ---- names ---- */

static void
test_names(void)
{
    static const unsigned char exported_alice[] =
        "\x04\x01\x00\x0b\x06\x09\x2a\x86\x48\x86\xf7\x12\x01\x02\x02"
        "\x00\x00\x00\x0e" "alice@" REALM;
    gss_name_t alice, alice_p, bob, mn = GSS_C_NO_NAME, back = GSS_C_NO_NAME;
    gss_name_t dup = GSS_C_NO_NAME, host, anon, stale, uid_name, nooid;
    gss_name_t host_mn = GSS_C_NO_NAME, uid_mn = GSS_C_NO_NAME, out;
    gss_buffer_desc b, exp = GSS_C_EMPTY_BUFFER;
    gss_OID_set mechs = GSS_C_NO_OID_SET;
    gss_OID mech = GSS_C_NO_OID;
    struct passwd *pw;
    OM_uint32 major, minor;
    char uidtext[32], user[256] = "";
    uid_t uid;
    int equal, is_mn;

    alice = import("alice", GSS_C_NT_USER_NAME);
    expect_display(alice, "alice", GSS_C_NT_USER_NAME, "alice (user name)");
    alice_p = import("alice@" REALM, GSS_KRB5_NT_PRINCIPAL_NAME);
    bob = import("bob", gss_nt_user_name);
    nooid = import("alice", GSS_C_NO_OID);

    equal = names_equal(alice, alice_p, &major);
    CHECK(major == GSS_S_COMPLETE && equal == 1,
          "gss_compare_name(alice, alice@" REALM ") = equal (default realm)");
    equal = names_equal(alice, bob, &major);
    CHECK(major == GSS_S_COMPLETE && equal == 0,
          "gss_compare_name(alice, bob) = not equal");
    equal = names_equal(alice, nooid, &major);
    CHECK(major == GSS_S_COMPLETE && equal == 1,
          "gss_compare_name(alice as user name, alice with GSS_C_NO_OID)");

    /* Canonicalize to an MN and export it: RFC 2743 3.2 bytes exactly. */
    major = gss_canonicalize_name(&minor, alice, gss_mech_krb5, &mn);
    EXPECT(major, GSS_S_COMPLETE, "gss_canonicalize_name(alice, krb5)");
    expect_display(mn, "alice@" REALM, GSS_KRB5_NT_PRINCIPAL_NAME,
                   "canonical alice");
    major = gss_export_name(&minor, mn, &exp);
    CHECK(major == GSS_S_COMPLETE &&
          exp.length == sizeof(exported_alice) - 1 &&
          memcmp(exp.value, exported_alice, exp.length) == 0,
          "gss_export_name(alice MN) is 04 01 00 0b 06 09 <krb5> 00 00 00 0e "
          "\"alice@" REALM "\" (%zu bytes)", exp.length);
    major = gss_import_name(&minor, &exp, GSS_C_NT_EXPORT_NAME, &back);
    EXPECT(major, GSS_S_COMPLETE, "gss_import_name(exported, GSS_C_NT_EXPORT_NAME)");
    equal = names_equal(back, mn, &major);
    CHECK(major == GSS_S_COMPLETE && equal == 1,
          "the re-imported exported name equals the MN");
    equal = names_equal(back, alice, &major);
    CHECK(major == GSS_S_COMPLETE && equal == 1,
          "the re-imported exported name equals the original name");
    expect_display(back, "alice@" REALM, NULL, "re-imported exported name");
    (void)gss_release_name(&minor, &back);
    major = gss_import_name(&minor, &exp, gss_nt_exported_name, &back);
    EXPECT(major, GSS_S_COMPLETE, "gss_import_name(exported, gss_nt_exported_name)");
    (void)gss_release_name(&minor, &back);
    (void)gss_release_buffer(&minor, &exp);

    /* A truncated exported name is a defective token, not a crash. */
    b.value = (void *)exported_alice;
    b.length = 10;
    back = GSS_C_NO_NAME;
    major = gss_import_name(&minor, &b, GSS_C_NT_EXPORT_NAME, &back);
    CHECK(GSS_ERROR(major) != 0 && back == GSS_C_NO_NAME,
          "gss_import_name(truncated exported name) fails: %s",
          major_text(major));

    major = gss_export_name(&minor, alice, &exp);
    EXPECT_ROUTINE(major, GSS_S_NAME_NOT_MN, "gss_export_name(non-MN)");

    major = gss_inquire_name(&minor, mn, &is_mn, &mech, NULL);
    CHECK(major == GSS_S_COMPLETE && is_mn == 1 &&
          gss_oid_equal(mech, gss_mech_krb5),
          "gss_inquire_name(MN): an MN of krb5");
    major = gss_inquire_name(&minor, alice, &is_mn, NULL, NULL);
    CHECK(major == GSS_S_COMPLETE && is_mn == 0,
          "gss_inquire_name(alice): not an MN");

    major = gss_duplicate_name(&minor, mn, &dup);
    EXPECT(major, GSS_S_COMPLETE, "gss_duplicate_name");
    equal = names_equal(dup, mn, &major);
    CHECK(major == GSS_S_COMPLETE && equal == 1 && dup != mn,
          "the duplicate is a different handle for an equal name");

    major = gss_inquire_mechs_for_name(&minor, alice, &mechs);
    CHECK(major == GSS_S_COMPLETE && set_has(mechs, gss_mech_krb5),
          "gss_inquire_mechs_for_name(alice) includes krb5");
    (void)gss_release_oid_set(&minor, &mechs);

    /* Host-based service names; gss-server passes the trailing NUL. */
    b.value = (void *)"host@server.example";
    b.length = sizeof("host@server.example");
    host = GSS_C_NO_NAME;
    major = gss_import_name(&minor, &b, gss_nt_service_name, &host);
    EXPECT(major, GSS_S_COMPLETE,
           "gss_import_name(\"host@server.example\\0\", gss_nt_service_name)");
    expect_display(host, "host@server.example", GSS_C_NT_HOSTBASED_SERVICE,
                   "host-based name");
    major = gss_canonicalize_name(&minor, host, gss_mech_krb5, &host_mn);
    EXPECT(major, GSS_S_COMPLETE, "gss_canonicalize_name(host-based)");
    /* No domain_realm mapping: the referral (empty) realm, as MIT. */
    expect_display(host_mn, "host/server.example@", NULL, "canonical host name");
    out = import("host@server.example", GSS_C_NT_HOSTBASED_SERVICE_X);
    (void)gss_release_name(&minor, &out);
    out = import("host@server.example", gss_nt_service_name_v2);
    (void)gss_release_name(&minor, &out);
    out = import("alice@" REALM, gss_nt_krb5_name);
    equal = names_equal(out, mn, &major);
    CHECK(major == GSS_S_COMPLETE && equal == 1,
          "gss_nt_krb5_name \"alice@" REALM "\" equals the alice MN");
    (void)gss_release_name(&minor, &out);

    /* Names by uid (RFC 2744 4.2/4.3). */
    uid = getuid();
    pw = getpwuid(uid);
    if (pw != NULL)
        snprintf(user, sizeof(user), "%s", pw->pw_name);
    snprintf(uidtext, sizeof(uidtext), "%lu", (unsigned long)uid);
    uid_name = import(uidtext, GSS_C_NT_STRING_UID_NAME);
    major = gss_canonicalize_name(&minor, uid_name, gss_mech_krb5, &uid_mn);
    if (pw != NULL) {
        char want[300];

        snprintf(want, sizeof(want), "%s@%s", user, REALM);
        EXPECT(major, GSS_S_COMPLETE, "gss_canonicalize_name(string uid)");
        expect_display(uid_mn, want, NULL, "string uid name");
    }
    (void)gss_release_name(&minor, &uid_name);
    out = import(uidtext, gss_nt_string_uid_name);
    (void)gss_release_name(&minor, &out);
    b.value = &uid;
    b.length = sizeof(uid);
    out = GSS_C_NO_NAME;
    major = gss_import_name(&minor, &b, GSS_C_NT_MACHINE_UID_NAME, &out);
    EXPECT(major, GSS_S_COMPLETE, "gss_import_name(machine uid)");
    if (pw != NULL) {
        gss_name_t c = GSS_C_NO_NAME;

        equal = names_equal(out, uid_mn, &major);
        CHECK(major == GSS_S_COMPLETE && equal == 1,
              "machine uid name equals the string uid name");
        major = gss_canonicalize_name(&minor, out, gss_mech_krb5, &c);
        EXPECT(major, GSS_S_COMPLETE, "gss_canonicalize_name(machine uid)");
        (void)gss_release_name(&minor, &c);
    }
    (void)gss_release_name(&minor, &out);
    major = gss_import_name(&minor, &b, gss_nt_machine_uid_name, &out);
    EXPECT(major, GSS_S_COMPLETE, "gss_import_name(gss_nt_machine_uid_name)");
    (void)gss_release_name(&minor, &out);

    /* Anonymous names are never equal to anything (RFC 2744 5.3). */
    anon = import("anonymous", GSS_C_NT_ANONYMOUS);
    equal = names_equal(anon, alice, &major);
    CHECK(major == GSS_S_COMPLETE && equal == 0,
          "gss_compare_name(anonymous, alice) = not equal");

    /* Bad input. */
    b.value = (void *)"ali\0ce";
    b.length = 6;
    out = GSS_C_NO_NAME;
    major = gss_import_name(&minor, &b, GSS_C_NT_USER_NAME, &out);
    EXPECT_ROUTINE(major, GSS_S_BAD_NAME, "gss_import_name with an embedded NUL");
    CHECK(out == GSS_C_NO_NAME, "... and no name comes back");
    if (GSS_ERROR(major)) {
        gss_buffer_desc msg = GSS_C_EMPTY_BUFFER;
        OM_uint32 mctx = 0, m2;

        /* The minor code has a sentence of its own. */
        major = gss_display_status(&m2, minor, GSS_C_MECH_CODE, GSS_C_NO_OID,
                                   &mctx, &msg);
        CHECK(major == GSS_S_COMPLETE && msg.length > 0 &&
              strncmp(msg.value, "Unknown", 7) != 0,
              "gss_display_status(minor 0x%08x, GSS_C_MECH_CODE) = \"%.*s\"",
              (unsigned)minor, (int)msg.length,
              msg.value != NULL ? (char *)msg.value : "");
        (void)gss_release_buffer(&m2, &msg);
    }
    b.length = 0;
    major = gss_import_name(&minor, &b, GSS_C_NT_USER_NAME, &out);
    EXPECT_ROUTINE(major, GSS_S_BAD_NAME, "gss_import_name of an empty name");
    {
        gss_OID_desc unknown = { 3, (void *)"\x2a\x03\x04" }; /* 1.2.3.4 */

        b = text_buf("alice");
        major = gss_import_name(&minor, &b, &unknown, &out);
        EXPECT_ROUTINE(major, GSS_S_BAD_NAMETYPE,
                       "gss_import_name with name type 1.2.3.4");
    }
    b = text_buf("a@b@c@@");
    major = gss_import_name(&minor, &b, GSS_KRB5_NT_PRINCIPAL_NAME, &out);
    EXPECT_ROUTINE(major, GSS_S_BAD_NAME,
                   "gss_import_name(\"a@b@c@@\", krb5 principal)");
    major = gss_import_name(&minor, NULL, GSS_C_NT_USER_NAME, &out);
    CHECK(GSS_ERROR(major) != 0, "gss_import_name(NULL buffer) fails: %s",
          major_text(major));

    /* Released handles are invalid, even if copied (RFC 2744 5.27). */
    stale = dup;
    major = gss_release_name(&minor, &dup);
    CHECK(major == GSS_S_COMPLETE && dup == GSS_C_NO_NAME,
          "gss_release_name sets the handle to GSS_C_NO_NAME");
    out = import("carol", GSS_C_NT_USER_NAME);  /* may reuse the slot */
    exp = (gss_buffer_desc)GSS_C_EMPTY_BUFFER;
    major = gss_display_name(&minor, stale, &exp, NULL);
    EXPECT_ROUTINE(major, GSS_S_BAD_NAME, "gss_display_name(released name)");
    major = gss_release_name(&minor, &stale);
    EXPECT_ROUTINE(major, GSS_S_BAD_NAME, "gss_release_name(released name)");
    expect_display(out, "carol", NULL, "a name imported after a release");
    (void)gss_release_name(&minor, &out);
    major = gss_compare_name(&minor, GSS_C_NO_NAME, alice, &equal);
    EXPECT_ROUTINE(major, GSS_S_BAD_NAME, "gss_compare_name(GSS_C_NO_NAME, ...)");
    major = gss_display_name(&minor, GSS_C_NO_NAME, &exp, NULL);
    EXPECT_ROUTINE(major, GSS_S_BAD_NAME, "gss_display_name(GSS_C_NO_NAME)");
    out = GSS_C_NO_NAME;
    major = gss_release_name(&minor, &out);
    EXPECT(major, GSS_S_COMPLETE, "gss_release_name(GSS_C_NO_NAME)");
    major = gss_canonicalize_name(&minor, alice, (gss_OID)GSS_C_MA_MIC, &out);
    EXPECT_ROUTINE(major, GSS_S_BAD_MECH,
                   "gss_canonicalize_name to a non-mechanism OID");

    /* Local names (krb5 auth_to_local DEFAULT: strip the default realm). */
    exp = (gss_buffer_desc)GSS_C_EMPTY_BUFFER;
    major = gss_localname(&minor, mn, gss_mech_krb5, &exp);
    CHECK(major == GSS_S_COMPLETE && buf_is(&exp, "alice"),
          "gss_localname(alice@" REALM ") = \"alice\": %s", major_text(major));
    (void)gss_release_buffer(&minor, &exp);
    CHECK(gss_userok(mn, "alice") == 1, "gss_userok(alice@" REALM ", alice)");
    CHECK(gss_userok(mn, "bob") == 0, "!gss_userok(alice@" REALM ", bob)");
    major = gss_authorize_localname(&minor, mn, alice);
    EXPECT(major, GSS_S_COMPLETE, "gss_authorize_localname(alice MN, alice)");
    major = gss_authorize_localname(&minor, mn, bob);
    CHECK(GSS_ERROR(major) != 0, "gss_authorize_localname(alice MN, bob) "
          "refuses: %s", major_text(major));
    if (pw != NULL) {
        uid_t got = (uid_t)-1;

        major = gss_pname_to_uid(&minor, uid_mn, gss_mech_krb5, &got);
        CHECK(major == GSS_S_COMPLETE && got == uid,
              "gss_pname_to_uid(%s@" REALM ") = %lu: %s", user,
              (unsigned long)uid, major_text(major));
    }

    /* Extended display, attributes (none on a plain krb5 name). */
    exp = (gss_buffer_desc)GSS_C_EMPTY_BUFFER;
    major = gss_display_name_ext(&minor, mn, GSS_KRB5_NT_PRINCIPAL_NAME, &exp);
    CHECK(major == GSS_S_COMPLETE ? buf_is(&exp, "alice@" REALM)
                                  : GSS_ROUTINE_ERROR(major) == GSS_S_UNAVAILABLE,
          "gss_display_name_ext(MN, krb5 principal): %s \"%.*s\"",
          major_text(major), (int)exp.length,
          exp.value != NULL ? (char *)exp.value : "");
    (void)gss_release_buffer(&minor, &exp);
    {
        gss_buffer_desc value = GSS_C_EMPTY_BUFFER, dvalue = GSS_C_EMPTY_BUFFER;
        gss_buffer_desc attr = text_buf("urn:abi:test");
        gss_buffer_set_t attrs = GSS_C_NO_BUFFER_SET;
        gss_any_t any = NULL;
        int authenticated = 0, complete = 0, more = -1;

        major = gss_inquire_name(&minor, mn, NULL, NULL, &attrs);
        CHECK(major == GSS_S_COMPLETE && (attrs == GSS_C_NO_BUFFER_SET ||
                                          attrs->count == 0),
              "gss_inquire_name lists no attributes on a plain krb5 name");
        (void)gss_release_buffer_set(&minor, &attrs);
        major = gss_get_name_attribute(&minor, mn, GSS_C_ATTR_LOCAL_LOGIN_USER,
                                       &authenticated, &complete, &value,
                                       &dvalue, &more);
        CHECK(GSS_ERROR(major) != 0 && value.length == 0,
              "gss_get_name_attribute(local-login-user) finds none: %s",
              major_text(major));
        major = gss_set_name_attribute(&minor, mn, 1, &attr, &attr);
        CHECK(GSS_ERROR(major) != 0,
              "gss_set_name_attribute on a krb5 name fails: %s",
              major_text(major));
        major = gss_delete_name_attribute(&minor, mn, &attr);
        CHECK(GSS_ERROR(major) != 0, "gss_delete_name_attribute fails: %s",
              major_text(major));
        exp = (gss_buffer_desc)GSS_C_EMPTY_BUFFER;
        major = gss_export_name_composite(&minor, mn, &exp);
        CHECK(major == GSS_S_COMPLETE || GSS_ERROR(major) != 0,
              "gss_export_name_composite answers: %s", major_text(major));
        (void)gss_release_buffer(&minor, &exp);
        major = gss_map_name_to_any(&minor, mn, 1, &attr, &any);
        CHECK(GSS_ERROR(major) != 0, "gss_map_name_to_any fails: %s",
              major_text(major));
        major = gss_release_any_name_mapping(&minor, mn, &attr, &any);
        CHECK(GSS_ERROR(major) != 0, "gss_release_any_name_mapping fails: %s",
              major_text(major));
        major = gss_get_name_attribute(&minor, GSS_C_NO_NAME, &attr,
                                       &authenticated, &complete, &value,
                                       &dvalue, &more);
        EXPECT_ROUTINE(major, GSS_S_BAD_NAME,
                       "gss_get_name_attribute(GSS_C_NO_NAME)");
    }

    (void)gss_release_name(&minor, &anon);
    (void)gss_release_name(&minor, &uid_mn);
    (void)gss_release_name(&minor, &host_mn);
    (void)gss_release_name(&minor, &host);
    (void)gss_release_name(&minor, &mn);
    (void)gss_release_name(&minor, &nooid);
    (void)gss_release_name(&minor, &bob);
    (void)gss_release_name(&minor, &alice_p);
    (void)gss_release_name(&minor, &alice);
    CHECK(alice == GSS_C_NO_NAME && mn == GSS_C_NO_NAME,
          "every name released");
}

/* ---- status sentences ---- */

static void
test_display_status(void)
{
    OM_uint32 codes[] = {
        GSS_S_BAD_MECH, GSS_S_BAD_NAME, GSS_S_BAD_NAMETYPE, GSS_S_BAD_BINDINGS,
        GSS_S_BAD_STATUS, GSS_S_BAD_SIG, GSS_S_NO_CRED, GSS_S_NO_CONTEXT,
        GSS_S_DEFECTIVE_TOKEN, GSS_S_DEFECTIVE_CREDENTIAL,
        GSS_S_CREDENTIALS_EXPIRED, GSS_S_CONTEXT_EXPIRED, GSS_S_FAILURE,
        GSS_S_BAD_QOP, GSS_S_UNAUTHORIZED, GSS_S_UNAVAILABLE,
        GSS_S_DUPLICATE_ELEMENT, GSS_S_NAME_NOT_MN, GSS_S_BAD_MECH_ATTR,
        GSS_S_CALL_INACCESSIBLE_READ, GSS_S_CALL_INACCESSIBLE_WRITE,
        GSS_S_CALL_BAD_STRUCTURE, GSS_S_CONTINUE_NEEDED, GSS_S_DUPLICATE_TOKEN,
        GSS_S_OLD_TOKEN, GSS_S_UNSEQ_TOKEN, GSS_S_GAP_TOKEN,
    };
    enum { N = sizeof(codes) / sizeof(codes[0]) };
    char texts[N][256];
    gss_buffer_desc msg = GSS_C_EMPTY_BUFFER;
    OM_uint32 major, minor, mctx;
    int parts, distinct = 1;

    for (size_t i = 0; i < N; i++) {
        mctx = 0;
        major = gss_display_status(&minor, codes[i], GSS_C_GSS_CODE,
                                   GSS_C_NO_OID, &mctx, &msg);
        CHECK(major == GSS_S_COMPLETE && msg.length > 0 && mctx == 0,
              "gss_display_status(0x%08x) = \"%.*s\"", (unsigned)codes[i],
              (int)msg.length, msg.value != NULL ? (char *)msg.value : "");
        snprintf(texts[i], sizeof(texts[i]), "%.*s", (int)msg.length,
                 msg.value != NULL ? (char *)msg.value : "");
        (void)gss_release_buffer(&minor, &msg);
        for (size_t j = 0; j < i; j++)
            distinct = distinct && strcmp(texts[i], texts[j]) != 0;
    }
    CHECK(distinct, "every status code has its own sentence");
    CHECK(strstr(texts[15], "unavailable") != NULL,
          "GSS_S_UNAVAILABLE's sentence says \"unavailable\"");

    /* A compound status: one sentence per part, message_context walks. */
    parts = 0;
    mctx = 0;
    do {
        major = gss_display_status(&minor, GSS_S_CALL_INACCESSIBLE_READ |
                                   GSS_S_NO_CRED | GSS_S_CONTINUE_NEEDED,
                                   GSS_C_GSS_CODE, GSS_C_NO_OID, &mctx, &msg);
        if (major != GSS_S_COMPLETE)
            break;
        parts++;
        (void)gss_release_buffer(&minor, &msg);
    } while (mctx != 0 && parts < 10);
    CHECK(major == GSS_S_COMPLETE && parts == 3,
          "a calling error + routine error + supplementary bit gives 3 "
          "sentences (got %d)", parts);

    mctx = 0;
    major = gss_display_status(&minor, GSS_S_COMPLETE, GSS_C_GSS_CODE,
                               GSS_C_NO_OID, &mctx, &msg);
    CHECK(major == GSS_S_COMPLETE && msg.length > 0 && mctx == 0,
          "gss_display_status(GSS_S_COMPLETE) has a sentence");
    (void)gss_release_buffer(&minor, &msg);
    mctx = 0;
    major = gss_display_status(&minor, 0, GSS_C_MECH_CODE, gss_mech_krb5,
                               &mctx, &msg);
    CHECK(major == GSS_S_COMPLETE && mctx == 0,
          "gss_display_status(minor 0, GSS_C_MECH_CODE, krb5)");
    (void)gss_release_buffer(&minor, &msg);
    mctx = 0;
    major = gss_display_status(&minor, GSS_S_FAILURE, 3, GSS_C_NO_OID, &mctx,
                               &msg);
    EXPECT_ROUTINE(major, GSS_S_BAD_STATUS,
                   "gss_display_status with status_type 3");
    mctx = 0;
    major = gss_display_status(&minor, 1, GSS_C_MECH_CODE,
                               (gss_OID)GSS_C_MA_MIC, &mctx, &msg);
    EXPECT_ROUTINE(major, GSS_S_BAD_MECH,
                   "gss_display_status(GSS_C_MECH_CODE) for a non-mechanism");
}

/* ---- credentials: none can be had without a KDC or keytab ---- */

static void
test_credentials(gss_cred_id_t bogus_cred)
{
    gss_cred_id_t cred = GSS_C_NO_CREDENTIAL, cred2 = GSS_C_NO_CREDENTIAL;
    gss_OID_set actual = GSS_C_NO_OID_SET, stored = GSS_C_NO_OID_SET;
    gss_OID_set bogus_mechs = GSS_C_NO_OID_SET;
    gss_buffer_desc pw = text_buf("secret"), tok = GSS_C_EMPTY_BUFFER;
    gss_buffer_set_t data = GSS_C_NO_BUFFER_SET;
    gss_key_value_element_desc kv[1] = { { "ccache", "FILE:/nonexistent/cc" } };
    gss_key_value_set_desc store = { 1, kv };
    gss_cred_usage_t usage;
    gss_name_t alice, name = GSS_C_NO_NAME;
    OM_uint32 major, minor, t1, t2;
    gss_OID_desc bogus_mech = { 3, (void *)"\x2a\x03\x05" };

    alice = import("alice@" REALM, GSS_KRB5_NT_PRINCIPAL_NAME);

    major = gss_acquire_cred(&minor, GSS_C_NO_NAME, GSS_C_INDEFINITE,
                             GSS_C_NO_OID_SET, GSS_C_INITIATE, &cred, &actual,
                             &t1);
    EXPECT_ROUTINE2(major, GSS_S_UNAVAILABLE, GSS_S_NO_CRED,
                    "gss_acquire_cred(default initiator) without a ccache");
    CHECK(cred == GSS_C_NO_CREDENTIAL && actual == GSS_C_NO_OID_SET,
          "... returns no credential and no mechanism set");
    major = gss_acquire_cred(&minor, alice, 0, gss_mech_set_krb5, GSS_C_ACCEPT,
                             &cred, NULL, NULL);
    EXPECT_ROUTINE2(major, GSS_S_UNAVAILABLE, GSS_S_NO_CRED,
                    "gss_acquire_cred(alice, krb5, accept) without a keytab");
    major = gss_acquire_cred(&minor, alice, 0, gss_mech_set_krb5_both,
                             GSS_C_BOTH, &cred, NULL, NULL);
    EXPECT_ROUTINE2(major, GSS_S_UNAVAILABLE, GSS_S_NO_CRED,
                    "gss_acquire_cred(alice, krb5 both, both)");
    (void)gss_create_empty_oid_set(&minor, &bogus_mechs);
    (void)gss_add_oid_set_member(&minor, &bogus_mech, &bogus_mechs);
    major = gss_acquire_cred(&minor, GSS_C_NO_NAME, 0, bogus_mechs,
                             GSS_C_INITIATE, &cred, NULL, NULL);
    EXPECT_ROUTINE(major, GSS_S_BAD_MECH, "gss_acquire_cred for mech 1.2.3.5");
    (void)gss_release_oid_set(&minor, &bogus_mechs);
    major = gss_acquire_cred(&minor, GSS_C_NO_NAME, 0, GSS_C_NO_OID_SET, 7,
                             &cred, NULL, NULL);
    CHECK(GSS_ERROR(major) != 0 && cred == GSS_C_NO_CREDENTIAL,
          "gss_acquire_cred with cred_usage 7 fails: %s", major_text(major));

    major = gss_acquire_cred_with_password(&minor, alice, &pw, 0,
                                           gss_mech_set_krb5, GSS_C_INITIATE,
                                           &cred, NULL, NULL);
    CHECK(GSS_ERROR(major) != 0 && cred == GSS_C_NO_CREDENTIAL,
          "gss_acquire_cred_with_password without a KDC fails: %s",
          major_text(major));
    major = gss_acquire_cred_from(&minor, GSS_C_NO_NAME, 0, gss_mech_set_krb5,
                                  GSS_C_INITIATE, &store, &cred, NULL, NULL);
    EXPECT_ROUTINE2(major, GSS_S_UNAVAILABLE, GSS_S_NO_CRED,
                    "gss_acquire_cred_from(ccache FILE:/nonexistent/cc)");
    major = gss_acquire_cred_impersonate_name(&minor, GSS_C_NO_CREDENTIAL,
                                              alice, 0, gss_mech_set_krb5,
                                              GSS_C_INITIATE, &cred, NULL,
                                              NULL);
    CHECK(GSS_ERROR(major) != 0 && cred == GSS_C_NO_CREDENTIAL,
          "gss_acquire_cred_impersonate_name without credentials fails: %s",
          major_text(major));

    major = gss_add_cred(&minor, GSS_C_NO_CREDENTIAL, GSS_C_NO_NAME,
                         gss_mech_krb5, GSS_C_INITIATE, 0, 0, &cred, &actual,
                         &t1, &t2);
    EXPECT_ROUTINE2(major, GSS_S_UNAVAILABLE, GSS_S_NO_CRED,
                    "gss_add_cred(GSS_C_NO_CREDENTIAL, krb5)");
    major = gss_add_cred(&minor, GSS_C_NO_CREDENTIAL, GSS_C_NO_NAME,
                         &bogus_mech, GSS_C_INITIATE, 0, 0, &cred, NULL, NULL,
                         NULL);
    EXPECT_ROUTINE(major, GSS_S_BAD_MECH, "gss_add_cred(mech 1.2.3.5)");
    major = gss_add_cred(&minor, bogus_cred, GSS_C_NO_NAME, gss_mech_krb5,
                         GSS_C_INITIATE, 0, 0, &cred, NULL, NULL, NULL);
    EXPECT_ROUTINE(major, GSS_S_NO_CRED, "gss_add_cred(invalid credential)");
    major = gss_add_cred_with_password(&minor, GSS_C_NO_CREDENTIAL, alice,
                                       gss_mech_krb5, &pw, GSS_C_INITIATE, 0,
                                       0, &cred, NULL, NULL, NULL);
    CHECK(GSS_ERROR(major) != 0 && cred == GSS_C_NO_CREDENTIAL,
          "gss_add_cred_with_password without a KDC fails: %s",
          major_text(major));
    major = gss_add_cred_from(&minor, GSS_C_NO_CREDENTIAL, GSS_C_NO_NAME,
                              gss_mech_krb5, GSS_C_INITIATE, 0, 0, &store,
                              &cred, NULL, NULL, NULL);
    EXPECT_ROUTINE2(major, GSS_S_UNAVAILABLE, GSS_S_NO_CRED,
                    "gss_add_cred_from(ccache FILE:/nonexistent/cc)");
    major = gss_add_cred_impersonate_name(&minor, GSS_C_NO_CREDENTIAL,
                                          bogus_cred, alice, gss_mech_krb5,
                                          GSS_C_INITIATE, 0, 0, &cred, NULL,
                                          NULL, NULL);
    EXPECT_ROUTINE(major, GSS_S_NO_CRED,
                   "gss_add_cred_impersonate_name(invalid impersonator)");

    major = gss_inquire_cred(&minor, GSS_C_NO_CREDENTIAL, &name, &t1, &usage,
                             &actual);
    EXPECT_ROUTINE2(major, GSS_S_UNAVAILABLE, GSS_S_NO_CRED,
                    "gss_inquire_cred(default credential)");
    CHECK(name == GSS_C_NO_NAME && actual == GSS_C_NO_OID_SET,
          "... and no name or mechanism set comes back");
    major = gss_inquire_cred(&minor, bogus_cred, NULL, NULL, NULL, NULL);
    EXPECT_ROUTINE(major, GSS_S_NO_CRED, "gss_inquire_cred(invalid credential)");
    major = gss_inquire_cred_by_mech(&minor, GSS_C_NO_CREDENTIAL,
                                     gss_mech_krb5, &name, &t1, &t2, &usage);
    EXPECT_ROUTINE2(major, GSS_S_UNAVAILABLE, GSS_S_NO_CRED,
                    "gss_inquire_cred_by_mech(default credential, krb5)");
    major = gss_inquire_cred_by_mech(&minor, bogus_cred, gss_mech_krb5, NULL,
                                     NULL, NULL, NULL);
    EXPECT_ROUTINE(major, GSS_S_NO_CRED,
                   "gss_inquire_cred_by_mech(invalid credential)");
    major = gss_inquire_cred_by_oid(&minor, bogus_cred,
                                    GSS_KRB5_GET_CRED_IMPERSONATOR, &data);
    EXPECT_ROUTINE(major, GSS_S_NO_CRED, "gss_inquire_cred_by_oid(invalid "
                   "credential, GSS_KRB5_GET_CRED_IMPERSONATOR)");
    CHECK(data == GSS_C_NO_BUFFER_SET, "... and no data set comes back");

    cred2 = bogus_cred;
    major = gss_set_cred_option(&minor, &cred2, GSS_KRB5_CRED_NO_CI_FLAGS_X,
                                GSS_C_NO_BUFFER);
    EXPECT_ROUTINE(major, GSS_S_NO_CRED,
                   "gss_set_cred_option(invalid, GSS_KRB5_CRED_NO_CI_FLAGS_X)");
    cred2 = bogus_cred;
    major = gssspi_set_cred_option(&minor, &cred2, GSS_KRB5_CRED_NO_CI_FLAGS_X,
                                   GSS_C_NO_BUFFER);
    EXPECT_ROUTINE(major, GSS_S_NO_CRED, "gssspi_set_cred_option(invalid)");
    major = gss_set_neg_mechs(&minor, bogus_cred, gss_mech_set_krb5);
    EXPECT_ROUTINE(major, GSS_S_NO_CRED, "gss_set_neg_mechs(invalid)");
    {
        gss_OID_set neg = GSS_C_NO_OID_SET;

        major = gss_get_neg_mechs(&minor, bogus_cred, &neg);
        EXPECT_ROUTINE(major, GSS_S_NO_CRED, "gss_get_neg_mechs(invalid)");
        CHECK(neg == GSS_C_NO_OID_SET, "... and no set was returned");
    }

    major = gss_store_cred(&minor, GSS_C_NO_CREDENTIAL, GSS_C_INITIATE,
                           gss_mech_krb5, 0, 0, &stored, &usage);
    EXPECT_ROUTINE(major, GSS_S_NO_CRED, "gss_store_cred(GSS_C_NO_CREDENTIAL)");
    CHECK(stored == GSS_C_NO_OID_SET, "... and nothing was stored");
    major = gss_store_cred_into(&minor, bogus_cred, GSS_C_INITIATE,
                                gss_mech_krb5, 0, 0, &store, &stored, &usage);
    EXPECT_ROUTINE(major, GSS_S_NO_CRED, "gss_store_cred_into(invalid)");

    major = gss_export_cred(&minor, bogus_cred, &tok);
    EXPECT_ROUTINE(major, GSS_S_NO_CRED, "gss_export_cred(invalid)");
    CHECK(tok.length == 0, "... and no token comes back");
    tok = text_buf("not a credential token");
    cred = GSS_C_NO_CREDENTIAL;
    major = gss_import_cred(&minor, &tok, &cred);
    CHECK(GSS_ERROR(major) != 0 && cred == GSS_C_NO_CREDENTIAL,
          "gss_import_cred(garbage) fails: %s", major_text(major));

    /* Release: GSS_C_NO_CREDENTIAL is fine, garbage is not. */
    cred = GSS_C_NO_CREDENTIAL;
    major = gss_release_cred(&minor, &cred);
    EXPECT(major, GSS_S_COMPLETE, "gss_release_cred(GSS_C_NO_CREDENTIAL)");
    cred = bogus_cred;
    major = gss_release_cred(&minor, &cred);
    EXPECT_ROUTINE(major, GSS_S_NO_CRED, "gss_release_cred(invalid)");

    /* The krb5 mechanism's own credential calls. */
    {
        krb5_enctype etypes[1] = { ENCTYPE_AES256_CTS_HMAC_SHA1_96 };
        const char *old = NULL;

        major = gss_krb5_ccache_name(&minor, "MEMORY:abi_test", &old);
        EXPECT(major, GSS_S_COMPLETE, "gss_krb5_ccache_name(MEMORY:abi_test)");
        major = gss_krb5_ccache_name(&minor, NULL, &old);
        CHECK(major == GSS_S_COMPLETE && old != NULL &&
              strcmp(old, "MEMORY:abi_test") == 0,
              "gss_krb5_ccache_name returns the previous name");
        major = krb5_gss_register_acceptor_identity("/nonexistent/keytab");
        EXPECT(major, GSS_S_COMPLETE, "krb5_gss_register_acceptor_identity");
        major = gss_krb5_set_allowable_enctypes(&minor, bogus_cred, 1, etypes);
        EXPECT_ROUTINE(major, GSS_S_NO_CRED,
                       "gss_krb5_set_allowable_enctypes(invalid)");
        /* Never dereferenced: the credential is checked first. */
        major = gss_krb5_copy_ccache(&minor, bogus_cred,
                                     (krb5_ccache)(uintptr_t)&etypes);
        EXPECT_ROUTINE(major, GSS_S_NO_CRED, "gss_krb5_copy_ccache(invalid)");
        major = gss_krb5_set_cred_rcache(&minor, bogus_cred, NULL);
        EXPECT_ROUTINE(major, GSS_S_NO_CRED, "gss_krb5_set_cred_rcache(invalid)");
        cred = GSS_C_NO_CREDENTIAL;
        major = gss_krb5_import_cred(&minor, NULL, NULL, NULL, &cred);
        CHECK(GSS_ERROR(major) != 0 && cred == GSS_C_NO_CREDENTIAL,
              "gss_krb5_import_cred(no ccache, no keytab) fails: %s",
              major_text(major));
    }

    (void)gss_release_name(&minor, &alice);
}

/* ---- contexts: none can be established, so the handle checks ---- */

static void
test_contexts(gss_ctx_id_t bogus_ctx)
{
    gss_ctx_id_t ctx = GSS_C_NO_CONTEXT;
    gss_buffer_desc in = text_buf("message"), out = GSS_C_EMPTY_BUFFER;
    gss_buffer_desc tok = text_buf("token"), framed = GSS_C_EMPTY_BUFFER;
    gss_buffer_set_t data = GSS_C_NO_BUFFER_SET;
    gss_iov_buffer_desc iov[2];
    struct gss_channel_bindings_struct cb;
    gss_name_t target, src = GSS_C_NO_NAME;
    gss_cred_id_t deleg = GSS_C_NO_CREDENTIAL;
    gss_OID mech = GSS_C_NO_OID;
    OM_uint32 major, minor, flags = 0, t = 0, maxin = 0;
    gss_qop_t qop;
    int conf, qop_int, local, open;
    const gss_ctx_id_t handles[2] = { GSS_C_NO_CONTEXT, bogus_ctx };
    const char *hname[2] = { "GSS_C_NO_CONTEXT", "invalid context" };

    target = import("host@server.example", GSS_C_NT_HOSTBASED_SERVICE);

    /* Initiating needs a TGT that nobody has here. */
    memset(&cb, 0, sizeof(cb));
    cb.application_data = text_buf("tls-server-end-point:abi");
    major = gss_init_sec_context(&minor, GSS_C_NO_CREDENTIAL, &ctx, target,
                                 gss_mech_krb5, GSS_C_MUTUAL_FLAG |
                                 GSS_C_REPLAY_FLAG, 0, &cb, GSS_C_NO_BUFFER,
                                 &mech, &out, &flags, &t);
    CHECK(GSS_ERROR(major) != 0 && ctx == GSS_C_NO_CONTEXT && out.length == 0,
          "gss_init_sec_context without credentials fails, no context, no "
          "token: %s", major_text(major));
    major = gss_init_sec_context(&minor, GSS_C_NO_CREDENTIAL, &ctx,
                                 GSS_C_NO_NAME, gss_mech_krb5, 0, 0,
                                 GSS_C_NO_CHANNEL_BINDINGS, GSS_C_NO_BUFFER,
                                 NULL, &out, NULL, NULL);
    EXPECT_ROUTINE(major, GSS_S_BAD_NAME, "gss_init_sec_context(no target)");
    {
        gss_OID_desc bogus_mech = { 3, (void *)"\x2a\x03\x05" };

        major = gss_init_sec_context(&minor, GSS_C_NO_CREDENTIAL, &ctx,
                                     target, &bogus_mech, 0, 0,
                                     GSS_C_NO_CHANNEL_BINDINGS,
                                     GSS_C_NO_BUFFER, NULL, &out, NULL, NULL);
        EXPECT_ROUTINE(major, GSS_S_BAD_MECH, "gss_init_sec_context(mech 1.2.3.5)");
    }

    /* Accepting: framing is checked before anything else. */
    major = gss_accept_sec_context(&minor, &ctx, GSS_C_NO_CREDENTIAL, &tok,
                                   GSS_C_NO_CHANNEL_BINDINGS, &src, &mech,
                                   &out, &flags, &t, &deleg);
    EXPECT_ROUTINE(major, GSS_S_DEFECTIVE_TOKEN,
                   "gss_accept_sec_context(unframed token)");
    CHECK(ctx == GSS_C_NO_CONTEXT && src == GSS_C_NO_NAME &&
          deleg == GSS_C_NO_CREDENTIAL && out.length == 0,
          "... no context, name, delegated credential or token");
    major = gss_encapsulate_token(&tok, gss_mech_krb5, &framed);
    CHECK(major == GSS_S_COMPLETE && framed.length == 2 + 11 + 5 &&
          memcmp(framed.value, "\x60\x10\x06\x09\x2a\x86\x48\x86\xf7\x12\x01"
                               "\x02\x02token", framed.length) == 0,
          "gss_encapsulate_token(\"token\", krb5) = 60 10 06 09 <krb5> token");
    major = gss_accept_sec_context(&minor, &ctx, GSS_C_NO_CREDENTIAL, &framed,
                                   GSS_C_NO_CHANNEL_BINDINGS, &src, &mech,
                                   &out, &flags, &t, &deleg);
    CHECK(GSS_ERROR(major) != 0 && ctx == GSS_C_NO_CONTEXT && out.length == 0,
          "gss_accept_sec_context(framed junk for krb5) fails: %s",
          major_text(major));
    {
        gss_buffer_desc inner = GSS_C_EMPTY_BUFFER;

        major = gss_decapsulate_token(&framed, gss_mech_krb5, &inner);
        CHECK(major == GSS_S_COMPLETE && buf_is(&inner, "token"),
              "gss_decapsulate_token gives \"token\" back");
        (void)gss_release_buffer(&minor, &inner);
        major = gss_decapsulate_token(&framed, gss_mech_krb5_old, &inner);
        EXPECT_ROUTINE(major, GSS_S_DEFECTIVE_TOKEN,
                       "gss_decapsulate_token for another mechanism");
        major = gss_decapsulate_token(&tok, gss_mech_krb5, &inner);
        EXPECT_ROUTINE(major, GSS_S_DEFECTIVE_TOKEN,
                       "gss_decapsulate_token(unframed)");
    }
    (void)gss_release_buffer(&minor, &framed);
    major = gss_encapsulate_token(&tok, GSS_C_MA_MIC, &framed);
    EXPECT(major, GSS_S_COMPLETE, "gss_encapsulate_token(for GSS_C_MA_MIC)");
    major = gss_accept_sec_context(&minor, &ctx, GSS_C_NO_CREDENTIAL, &framed,
                                   GSS_C_NO_CHANNEL_BINDINGS, NULL, NULL,
                                   &out, NULL, NULL, NULL);
    EXPECT_ROUTINE(major, GSS_S_BAD_MECH,
                   "gss_accept_sec_context(token framed for a non-mechanism)");
    (void)gss_release_buffer(&minor, &framed);

    /* Every per-context call on an absent or invalid handle. */
    for (int h = 0; h < 2; h++) {
        gss_ctx_id_t c = handles[h];
        char what[128];
        void *lucid = NULL;
        krb5_flags tkt;
        krb5_timestamp authtime;

#define W(call) (snprintf(what, sizeof(what), "%s(%s)", call, hname[h]), what)
        major = gss_process_context_token(&minor, c, &tok);
        EXPECT_ROUTINE(major, GSS_S_NO_CONTEXT, W("gss_process_context_token"));
        major = gss_context_time(&minor, c, &t);
        EXPECT_ROUTINE(major, GSS_S_NO_CONTEXT, W("gss_context_time"));
        major = gss_inquire_context(&minor, c, &src, NULL, &t, &mech, &flags,
                                    &local, &open);
        EXPECT_ROUTINE(major, GSS_S_NO_CONTEXT, W("gss_inquire_context"));
        CHECK(src == GSS_C_NO_NAME, "... no source name comes back");
        major = gss_wrap_size_limit(&minor, c, 1, GSS_C_QOP_DEFAULT, 1024,
                                    &maxin);
        EXPECT_ROUTINE(major, GSS_S_NO_CONTEXT, W("gss_wrap_size_limit"));
        major = gss_get_mic(&minor, c, GSS_C_QOP_DEFAULT, &in, &out);
        EXPECT_ROUTINE(major, GSS_S_NO_CONTEXT, W("gss_get_mic"));
        CHECK(out.length == 0, "... and no token comes back");
        major = gss_verify_mic(&minor, c, &in, &tok, &qop);
        EXPECT_ROUTINE(major, GSS_S_NO_CONTEXT, W("gss_verify_mic"));
        major = gss_wrap(&minor, c, 1, GSS_C_QOP_DEFAULT, &in, &conf, &out);
        EXPECT_ROUTINE(major, GSS_S_NO_CONTEXT, W("gss_wrap"));
        major = gss_unwrap(&minor, c, &tok, &out, &conf, &qop);
        EXPECT_ROUTINE(major, GSS_S_NO_CONTEXT, W("gss_unwrap"));
        /* Version 1 names. */
        major = gss_sign(&minor, c, GSS_C_QOP_DEFAULT, &in, &out);
        EXPECT_ROUTINE(major, GSS_S_NO_CONTEXT, W("gss_sign"));
        major = gss_verify(&minor, c, &in, &tok, &qop_int);
        EXPECT_ROUTINE(major, GSS_S_NO_CONTEXT, W("gss_verify"));
        major = gss_seal(&minor, c, 1, GSS_C_QOP_DEFAULT, &in, &conf, &out);
        EXPECT_ROUTINE(major, GSS_S_NO_CONTEXT, W("gss_seal"));
        major = gss_unseal(&minor, c, &tok, &out, &conf, &qop_int);
        EXPECT_ROUTINE(major, GSS_S_NO_CONTEXT, W("gss_unseal"));
        /* Extensions. */
        major = gss_pseudo_random(&minor, c, GSS_C_PRF_KEY_FULL, &in, 16, &out);
        EXPECT_ROUTINE(major, GSS_S_NO_CONTEXT, W("gss_pseudo_random"));
        major = gss_wrap_aead(&minor, c, 1, GSS_C_QOP_DEFAULT, &in, &in, &conf,
                              &out);
        EXPECT_ROUTINE(major, GSS_S_NO_CONTEXT, W("gss_wrap_aead"));
        major = gss_unwrap_aead(&minor, c, &tok, &in, &out, &conf, &qop);
        EXPECT_ROUTINE(major, GSS_S_NO_CONTEXT, W("gss_unwrap_aead"));
        memset(iov, 0, sizeof(iov));
        iov[0].type = GSS_IOV_BUFFER_TYPE_HEADER;
        iov[1].type = GSS_IOV_BUFFER_TYPE_DATA;
        iov[1].buffer = in;
        major = gss_wrap_iov(&minor, c, 1, GSS_C_QOP_DEFAULT, &conf, iov, 2);
        EXPECT_ROUTINE(major, GSS_S_NO_CONTEXT, W("gss_wrap_iov"));
        major = gss_unwrap_iov(&minor, c, &conf, &qop, iov, 2);
        EXPECT_ROUTINE(major, GSS_S_NO_CONTEXT, W("gss_unwrap_iov"));
        major = gss_wrap_iov_length(&minor, c, 1, GSS_C_QOP_DEFAULT, &conf,
                                    iov, 2);
        EXPECT_ROUTINE(major, GSS_S_NO_CONTEXT, W("gss_wrap_iov_length"));
        iov[0].type = GSS_IOV_BUFFER_TYPE_MIC_TOKEN;
        major = gss_get_mic_iov(&minor, c, GSS_C_QOP_DEFAULT, iov, 2);
        EXPECT_ROUTINE(major, GSS_S_NO_CONTEXT, W("gss_get_mic_iov"));
        major = gss_get_mic_iov_length(&minor, c, GSS_C_QOP_DEFAULT, iov, 2);
        EXPECT_ROUTINE(major, GSS_S_NO_CONTEXT, W("gss_get_mic_iov_length"));
        major = gss_verify_mic_iov(&minor, c, &qop, iov, 2);
        EXPECT_ROUTINE(major, GSS_S_NO_CONTEXT, W("gss_verify_mic_iov"));
        major = gss_complete_auth_token(&minor, c, &in);
        EXPECT_ROUTINE(major, GSS_S_NO_CONTEXT, W("gss_complete_auth_token"));
        major = gss_inquire_sec_context_by_oid(&minor, c,
                                               GSS_C_INQ_SSPI_SESSION_KEY,
                                               &data);
        EXPECT_ROUTINE(major, GSS_S_NO_CONTEXT,
                       W("gss_inquire_sec_context_by_oid(SSPI_SESSION_KEY)"));
        CHECK(data == GSS_C_NO_BUFFER_SET, "... and no data set comes back");
        major = gss_inquire_sec_context_by_oid(&minor, c,
                                               GSS_C_SEC_CONTEXT_SASL_SSF,
                                               &data);
        EXPECT_ROUTINE(major, GSS_S_NO_CONTEXT,
                       W("gss_inquire_sec_context_by_oid(SASL_SSF)"));
        (void)gss_inquire_sec_context_by_oid(&minor, c, GSS_C_INQ_NEGOEX_KEY,
                                             &data);
        (void)gss_inquire_sec_context_by_oid(&minor, c,
                                             GSS_C_INQ_NEGOEX_VERIFY_KEY,
                                             &data);
        major = gss_krb5_get_tkt_flags(&minor, c, &tkt);
        EXPECT_ROUTINE(major, GSS_S_NO_CONTEXT, W("gss_krb5_get_tkt_flags"));
        major = gsskrb5_extract_authtime_from_sec_context(&minor, c, &authtime);
        EXPECT_ROUTINE(major, GSS_S_NO_CONTEXT,
                       W("gsskrb5_extract_authtime_from_sec_context"));
        major = gsskrb5_extract_authz_data_from_sec_context(&minor, c, 128,
                                                            &out);
        EXPECT_ROUTINE(major, GSS_S_NO_CONTEXT,
                       W("gsskrb5_extract_authz_data_from_sec_context"));
        ctx = c;
        major = gss_krb5_export_lucid_sec_context(&minor, &ctx, 1, &lucid);
        EXPECT_ROUTINE(major, GSS_S_NO_CONTEXT,
                       W("gss_krb5_export_lucid_sec_context"));
        CHECK(lucid == NULL, "... and no lucid context comes back");
        ctx = c;
        major = gss_export_sec_context(&minor, &ctx, &out);
        EXPECT_ROUTINE(major, GSS_S_NO_CONTEXT, W("gss_export_sec_context"));
        CHECK(out.length == 0, "... and no interprocess token comes back");
        ctx = c;
        major = gss_delete_sec_context(&minor, &ctx, &out);
        EXPECT_ROUTINE(major, GSS_S_NO_CONTEXT, W("gss_delete_sec_context"));
        ctx = c;
        major = gss_set_sec_context_option(&minor, &ctx,
                                           GSS_C_INQ_SSPI_SESSION_KEY,
                                           GSS_C_NO_BUFFER);
        CHECK(GSS_ERROR(major) != 0,
              "%s: %s", W("gss_set_sec_context_option"), major_text(major));
#undef W
    }
    ctx = bogus_ctx;
    major = gss_delete_sec_context(&minor, &ctx, GSS_C_NO_BUFFER);
    EXPECT_ROUTINE(major, GSS_S_NO_CONTEXT,
                   "gss_delete_sec_context(invalid, GSS_C_NO_BUFFER)");

    /* Importing garbage never yields a context. */
    ctx = GSS_C_NO_CONTEXT;
    tok = text_buf("this is not an interprocess token");
    major = gss_import_sec_context(&minor, &tok, &ctx);
    CHECK(GSS_ERROR(major) != 0 && ctx == GSS_C_NO_CONTEXT,
          "gss_import_sec_context(garbage) fails: %s", major_text(major));
    tok.length = 0;
    major = gss_import_sec_context(&minor, &tok, &ctx);
    CHECK(GSS_ERROR(major) != 0 && ctx == GSS_C_NO_CONTEXT,
          "gss_import_sec_context(empty) fails: %s", major_text(major));

    /* gss_release_iov_buffer frees only what is marked allocated. */
    {
        char stack[4] = "abc";

        iov[0].type = GSS_IOV_BUFFER_TYPE_HEADER | GSS_IOV_BUFFER_FLAG_ALLOCATED;
        iov[0].buffer.length = 8;
        iov[0].buffer.value = malloc(8);
        iov[1].type = GSS_IOV_BUFFER_TYPE_DATA;
        iov[1].buffer.length = 3;
        iov[1].buffer.value = stack;
        major = gss_release_iov_buffer(&minor, iov, 2);
        CHECK(major == GSS_S_COMPLETE && iov[0].buffer.value == NULL &&
              iov[0].buffer.length == 0 && iov[1].buffer.value == stack &&
              GSS_IOV_BUFFER_TYPE(iov[0].type) == GSS_IOV_BUFFER_TYPE_HEADER,
              "gss_release_iov_buffer frees the allocated buffer only");
    }

    /* The lucid free call refuses what was never exported. */
    major = gss_krb5_free_lucid_sec_context(&minor, NULL);
    CHECK(GSS_ERROR(major) != 0,
          "gss_krb5_free_lucid_sec_context(NULL) fails: %s", major_text(major));

    /* Mechanism invocation hooks know no such object. */
    {
        gss_buffer_desc value = GSS_C_EMPTY_BUFFER;

        major = gssspi_mech_invoke(&minor, gss_mech_krb5,
                                   GSS_KRB5_GET_CRED_IMPERSONATOR, &value);
        CHECK(GSS_ERROR(major) != 0, "gssspi_mech_invoke(krb5, ...) fails: %s",
              major_text(major));
    }

    (void)gss_release_name(&minor, &target);
}

static void
test_buffer_sets(void)
{
    gss_buffer_set_t set = GSS_C_NO_BUFFER_SET;
    gss_buffer_desc one = text_buf("one"), two = text_buf("two");
    OM_uint32 major, minor;

    major = gss_create_empty_buffer_set(&minor, &set);
    CHECK(major == GSS_S_COMPLETE && set != GSS_C_NO_BUFFER_SET &&
          set->count == 0, "gss_create_empty_buffer_set");
    major = gss_add_buffer_set_member(&minor, &one, &set);
    EXPECT(major, GSS_S_COMPLETE, "gss_add_buffer_set_member(one)");
    major = gss_add_buffer_set_member(&minor, &two, &set);
    CHECK(major == GSS_S_COMPLETE && set->count == 2 &&
          buf_is(&set->elements[0], "one") && buf_is(&set->elements[1], "two") &&
          set->elements[0].value != one.value,
          "the buffer set holds copies of \"one\" and \"two\"");
    major = gss_release_buffer_set(&minor, &set);
    CHECK(major == GSS_S_COMPLETE && set == GSS_C_NO_BUFFER_SET,
          "gss_release_buffer_set clears the pointer");
    major = gss_release_buffer(&minor, GSS_C_NO_BUFFER);
    EXPECT(major, GSS_S_COMPLETE, "gss_release_buffer(GSS_C_NO_BUFFER)");
}

int
main(void)
{
    OM_uint32 minor;
    gss_name_t n = GSS_C_NO_NAME;
    gss_buffer_desc b = text_buf("handle-donor");
    const char *conf = getenv("KRB5_CONFIG");

    setvbuf(stdout, NULL, _IOLBF, 0);
    CHECK(conf != NULL && *conf != '\0',
          "KRB5_CONFIG is set (default_realm " REALM ")");

    test_oid_symbols();
    test_str_to_oid();
    test_oid_sets();
    test_mech_attrs();
    test_names();
    test_display_status();
    test_buffer_sets();

    /*
     * Invalid handles: a live name handle passed as a credential or a
     * context (the wrong kind), and a value never issued.  RFC 2744 answers
     * GSS_S_NO_CRED / GSS_S_NO_CONTEXT ("did not refer to a valid ...").
     */
    (void)gss_import_name(&minor, &b, GSS_C_NT_USER_NAME, &n);
    test_credentials((gss_cred_id_t)n);
    test_credentials((gss_cred_id_t)(uintptr_t)0x7a7a7a7a7a7a7a7aULL);
    test_contexts((gss_ctx_id_t)n);
    test_contexts((gss_ctx_id_t)(uintptr_t)0x5b5b5b5b5b5b5b5bULL);
    expect_display(n, "handle-donor", GSS_C_NT_USER_NAME,
                   "the name whose handle was misused is intact");
    (void)gss_release_name(&minor, &n);

    printf("# %d checks, %d failed\n", checks, failures);
    return failures == 0 ? 0 : 1;
}
