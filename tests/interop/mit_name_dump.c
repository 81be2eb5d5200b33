/*
 * mit_name_dump.c - what a program built against MIT krb5 sees of names:
 * import, display, canonicalize, export, re-import, compare and local-name
 * mapping, for a fixed set of names.
 *
 * Built with `pkg-config mit-krb5-gssapi`; interop_mit_names runs it on
 * MIT's library and, with LD_LIBRARY_PATH=<build>/compat, on Baton's, and
 * requires identical output.  Only what RFC 2743/2744 and the krb5
 * mechanism define is printed: major status codes, texts, name types,
 * exported tokens and comparison results - never minor codes, whose values
 * are each implementation's own (but a non-zero minor status on success is
 * shown, since MIT always returns zero there).
 *
 * Needs KRB5_CONFIG with default_realm ABI.TEST and no domain_realm rules.
 *
 * Left out on purpose, because Baton differs from MIT by design (see
 * src/glue/name.c and name_ops.c): names with an embedded NUL (MIT accepts
 * "ali\0ce" and truncates it; Baton refuses it), principal syntax errors
 * (MIT fails only at canonicalization, Baton at import), comparing two
 * non-mechanism names of different name types (MIT says "different", Baton
 * compares them as krb5 principals), and the display of a not yet
 * canonicalized name imported with a trailing NUL (MIT shows the NUL).
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <gssapi/gssapi.h>
#include <gssapi/gssapi_ext.h>
#include <gssapi/gssapi_generic.h>
#include <gssapi/gssapi_krb5.h>

#if !defined(_GSSAPI_H_) || defined(GSSAPI_GSSAPI_H_)
#error "mit_name_dump.c must be compiled against MIT krb5's <gssapi/gssapi.h>"
#endif

struct nametype {
    const char *label;
    gss_OID *oid;       /* address of the MIT data symbol; NULL: GSS_C_NO_OID */
};

static void
print_bytes(const void *p, size_t n)
{
    const unsigned char *s = p;

    putchar('"');
    for (size_t i = 0; i < n; i++) {
        if (s[i] == '"' || s[i] == '\\')
            printf("\\%c", s[i]);
        else if (s[i] >= 0x20 && s[i] < 0x7f)
            putchar(s[i]);
        else
            printf("\\x%02x", s[i]);
    }
    putchar('"');
}

static void
print_hex(const gss_buffer_desc *b)
{
    for (size_t i = 0; i < b->length; i++)
        printf("%02x", ((const unsigned char *)b->value)[i]);
}

static void
print_oid(gss_OID oid)
{
    if (oid == GSS_C_NO_OID) {
        fputs("none", stdout);
        return;
    }
    for (OM_uint32 i = 0; i < oid->length; i++)
        printf("%02x", ((const unsigned char *)oid->elements)[i]);
}

static void
status(const char *what, OM_uint32 major, OM_uint32 minor)
{
    printf("  %s major=0x%08x", what, (unsigned)major);
    if (major == GSS_S_COMPLETE && minor != 0)
        printf(" (non-zero minor 0x%08x on success)", (unsigned)minor);
    putchar('\n');
}

static void
display(const char *what, gss_name_t name)
{
    gss_buffer_desc out = GSS_C_EMPTY_BUFFER;
    gss_OID type = GSS_C_NO_OID;
    OM_uint32 major, minor = 0;

    major = gss_display_name(&minor, name, &out, &type);
    status(what, major, minor);
    if (major != GSS_S_COMPLETE)
        return;
    printf("    text=");
    print_bytes(out.value, out.length);
    printf(" type=");
    print_oid(type);
    putchar('\n');
    (void)gss_release_buffer(&minor, &out);
}

#define NO_RAW_DISPLAY 1    /* skip gss_display_name before canonicalization */

/* Everything about one name; reference is the canonical alice@ABI.TEST. */
static void
dump(const char *label, const void *text, size_t len, const struct nametype *t,
     int flags, gss_name_t reference)
{
    gss_buffer_desc in, exp = GSS_C_EMPTY_BUFFER, local = GSS_C_EMPTY_BUFFER;
    gss_name_t name = GSS_C_NO_NAME, mn = GSS_C_NO_NAME, back = GSS_C_NO_NAME;
    OM_uint32 major, minor = 0;
    int equal = -1;

    printf("%s as %s\n", label, t->label);
    in.value = (void *)text;
    in.length = len;
    major = gss_import_name(&minor, &in, t->oid != NULL ? *t->oid : GSS_C_NO_OID,
                            &name);
    status("import", major, minor);
    if (major != GSS_S_COMPLETE)
        return;
    if (!(flags & NO_RAW_DISPLAY))
        display("display", name);
    major = gss_canonicalize_name(&minor, name, gss_mech_krb5, &mn);
    status("canonicalize", major, minor);
    if (major == GSS_S_COMPLETE) {
        display("display-mn", mn);
        major = gss_compare_name(&minor, mn, reference, &equal);
        status("compare-with-alice", major, minor);
        if (major == GSS_S_COMPLETE)
            printf("    equal=%d\n", equal);
        major = gss_export_name(&minor, mn, &exp);
        status("export", major, minor);
        if (major == GSS_S_COMPLETE) {
            printf("    token=");
            print_hex(&exp);
            putchar('\n');
            major = gss_import_name(&minor, &exp, GSS_C_NT_EXPORT_NAME, &back);
            status("reimport", major, minor);
            if (major == GSS_S_COMPLETE) {
                display("display-reimport", back);
                major = gss_compare_name(&minor, back, mn, &equal);
                status("compare-reimport", major, minor);
                if (major == GSS_S_COMPLETE)
                    printf("    equal=%d\n", equal);
            }
            (void)gss_release_buffer(&minor, &exp);
        }
        major = gss_localname(&minor, mn, gss_mech_krb5, &local);
        status("localname", major, minor);
        if (major == GSS_S_COMPLETE) {
            printf("    local=");
            print_bytes(local.value, local.length);
            putchar('\n');
            (void)gss_release_buffer(&minor, &local);
        }
    }
    major = gss_export_name(&minor, name, &exp);
    printf("  export-uncanonical major=0x%08x\n", (unsigned)major);
    (void)gss_release_buffer(&minor, &exp);
    (void)gss_release_name(&minor, &back);
    (void)gss_release_name(&minor, &mn);
    (void)gss_release_name(&minor, &name);
}

int
main(void)
{
    static const struct nametype user = { "GSS_C_NT_USER_NAME", &GSS_C_NT_USER_NAME };
    static const struct nametype nt_user = { "gss_nt_user_name", &gss_nt_user_name };
    static const struct nametype princ = { "GSS_KRB5_NT_PRINCIPAL_NAME",
                                           (gss_OID *)&GSS_KRB5_NT_PRINCIPAL_NAME };
    static const struct nametype krb5_name = { "gss_nt_krb5_name",
                                               (gss_OID *)&gss_nt_krb5_name };
    static const struct nametype host = { "GSS_C_NT_HOSTBASED_SERVICE",
                                          &GSS_C_NT_HOSTBASED_SERVICE };
    static const struct nametype service = { "gss_nt_service_name",
                                             &gss_nt_service_name };
    static const struct nametype host_x = { "GSS_C_NT_HOSTBASED_SERVICE_X",
                                            &GSS_C_NT_HOSTBASED_SERVICE_X };
    static const struct nametype suid = { "GSS_C_NT_STRING_UID_NAME",
                                          &GSS_C_NT_STRING_UID_NAME };
    static const struct nametype muid = { "GSS_C_NT_MACHINE_UID_NAME",
                                          &GSS_C_NT_MACHINE_UID_NAME };
    static const struct nametype enterprise = { "GSS_KRB5_NT_ENTERPRISE_NAME",
                                                (gss_OID *)&GSS_KRB5_NT_ENTERPRISE_NAME };
    static const struct nametype none = { "GSS_C_NO_OID", NULL };
    static const struct nametype exported = { "GSS_C_NT_EXPORT_NAME",
                                              &GSS_C_NT_EXPORT_NAME };
    static const unsigned char exp_alice[] =
        "\x04\x01\x00\x0b\x06\x09\x2a\x86\x48\x86\xf7\x12\x01\x02\x02"
        "\x00\x00\x00\x0e" "alice@ABI.TEST";
    static const unsigned char exp_bad_oid[] =
        "\x04\x01\x00\x0b\x06\x09\x2a\x86\x48\x86\xf7\x12\x01\x02\x09"
        "\x00\x00\x00\x0e" "alice@ABI.TEST";
    gss_buffer_desc b;
    gss_name_t alice = GSS_C_NO_NAME, alice_mn = GSS_C_NO_NAME;
    OM_uint32 minor;
    Dl_info info;
    uid_t root = 0;

    if (dladdr((const void *)gss_import_name, &info) != 0 && info.dli_fname) {
        char *real = realpath(info.dli_fname, NULL);

        fprintf(stderr, "# functions: %s\n", real != NULL ? real : info.dli_fname);
        free(real);
    }
    b.value = (void *)"alice";
    b.length = 5;
    if (gss_import_name(&minor, &b, GSS_C_NT_USER_NAME, &alice) != 0 ||
        gss_canonicalize_name(&minor, alice, gss_mech_krb5, &alice_mn) != 0) {
        fprintf(stderr, "cannot import the reference name\n");
        return 1;
    }

#define S(s) s, sizeof(s) - 1
    dump("alice", S("alice"), &user, 0, alice_mn);
    dump("alice", S("alice"), &nt_user, 0, alice_mn);
    dump("alice", S("alice"), &none, 0, alice_mn);
    dump("alice\\0", "alice", 6, &user, NO_RAW_DISPLAY, alice_mn);
    dump("alice@ABI.TEST", S("alice@ABI.TEST"), &princ, 0, alice_mn);
    dump("alice@ABI.TEST", S("alice@ABI.TEST"), &krb5_name, 0, alice_mn);
    dump("alice@OTHER.REALM", S("alice@OTHER.REALM"), &princ, 0, alice_mn);
    dump("bob", S("bob"), &user, 0, alice_mn);
    dump("svc/admin@ABI.TEST", S("svc/admin@ABI.TEST"), &princ, 0, alice_mn);
    dump("a\\/b\\@c@ABI.TEST", S("a\\/b\\@c@ABI.TEST"), &princ, 0, alice_mn);
    dump("host@server.example", S("host@server.example"), &host, 0, alice_mn);
    /* What MIT's gss-server passes: strlen + 1 bytes. */
    dump("host@server.example\\0", "host@server.example", 20, &service,
         NO_RAW_DISPLAY, alice_mn);
    dump("HTTP@Server.Example", S("HTTP@Server.Example"), &host_x, 0, alice_mn);
    dump("0", S("0"), &suid, 0, alice_mn);
    dump("uid 0", &root, sizeof(root), &muid, 0, alice_mn);
    dump("alice@example.com", S("alice@example.com"), &enterprise, 0, alice_mn);
    dump("exported alice", S(exp_alice), &exported, 0, alice_mn);
    /* Malformed input: the status codes must agree too. */
    dump("empty", S(""), &user, 0, alice_mn);
    dump("exported, unknown mech", S(exp_bad_oid), &exported, 0, alice_mn);
    dump("exported, truncated", exp_alice, 10, &exported, 0, alice_mn);
#undef S

    (void)gss_release_name(&minor, &alice_mn);
    (void)gss_release_name(&minor, &alice);
    return 0;
}
