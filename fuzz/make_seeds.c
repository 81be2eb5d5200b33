/*
 * make_seeds.c - writes the seed corpora, fuzz/corpus/TARGET/NAME.
 * Run by make_seeds.sh (with a private krb5.conf); not a fuzz target.
 *
 * Hand-written edge cases are the tables below; real tokens and exported
 * names come from Baton's own encoders.  Seeds made by MIT krb5 come from
 * make_seeds_mit.c.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <gssapi/gssapi.h>
#include <gssapi/gssapi_ext.h>
#include <gssapi/gssapi_krb5.h>

/* Name type selectors: the index into gss_import_name_fuzz.c's table. */
enum {
    SEL_EXPORT, SEL_HOSTBASED, SEL_USER, SEL_KRB5_PRINC, SEL_NO_OID,
    SEL_ANONYMOUS, SEL_STRING_UID, SEL_MACHINE_UID, SEL_ENTERPRISE,
    SEL_HOSTBASED_X, SEL_COMPOSITE, SEL_X509
};

static const char *root;

static void
die(const char *what)
{
    fprintf(stderr, "make_seeds: %s\n", what);
    exit(1);
}

static void
put(const char *target, const char *name, const void *p, size_t n)
{
    char path[512];
    FILE *f;

    snprintf(path, sizeof(path), "%s/%s", root, target);
    if (mkdir(path, 0755) != 0 && errno != EEXIST)
        die(path);
    snprintf(path, sizeof(path), "%s/%s/%s", root, target, name);
    f = fopen(path, "wb");
    if (f == NULL || (n > 0 && fwrite(p, 1, n, f) != n) || fclose(f) != 0)
        die(path);
}

/* A string literal, without its NUL unless written into it. */
#define PUT_LIT(target, name, lit) put(target, name, lit, sizeof(lit) - 1)

/* An import_name seed: selector octet, then the name. */
static void
put_name(const char *name, int sel, const void *p, size_t n)
{
    unsigned char buf[512];

    if (n + 1 > sizeof(buf))
        die("name too long");
    buf[0] = (unsigned char)sel;
    memcpy(buf + 1, p, n);
    put("gss_import_name_fuzz", name, buf, n + 1);
}

#define NAME_LIT(name, sel, lit) put_name(name, sel, lit, sizeof(lit) - 1)

static void
seed_der_len(void)
{
    static const struct { const char *name; const char *bytes; size_t n; }
    seeds[] = {
        { "short-0", "\x00", 1 },
        { "short-7f", "\x7f", 1 },
        { "long1-80", "\x81\x80", 2 },
        { "long1-ff", "\x81\xff", 2 },
        { "long2-100", "\x82\x01\x00", 3 },
        { "long3-10000", "\x83\x01\x00\x00", 4 },
        { "long4-max", "\x84\xff\xff\xff\xff", 5 },
        { "bad-indefinite", "\x80", 1 },
        { "bad-nonminimal-7f", "\x81\x7f", 2 },
        { "bad-nonminimal-lead0", "\x82\x00\xff", 3 },
        { "bad-5-octets", "\x85\x01\x00\x00\x00\x00", 6 },
        { "bad-truncated", "\x82\x01", 2 },
    };

    for (size_t i = 0; i < sizeof(seeds) / sizeof(seeds[0]); i++)
        put("der_rd_len_fuzz", seeds[i].name, seeds[i].bytes, seeds[i].n);
}

/* Frames body with Baton's gss_encapsulate_token. */
static void
put_token(const char *name, gss_const_OID oid, const void *body, size_t n)
{
    gss_buffer_desc in = { n, (void *)body }, out = GSS_C_EMPTY_BUFFER;
    OM_uint32 minor;

    if (gss_encapsulate_token(&in, oid, &out) != GSS_S_COMPLETE)
        die("gss_encapsulate_token");
    put("der_rd_token_fuzz", name, out.value, out.length);
    put("gss_decapsulate_token_fuzz", name, out.value, out.length);
    (void)gss_release_buffer(&minor, &out);
}

static void
seed_tokens(void)
{
    static const gss_OID_desc spnego = {
        6, (void *)"\x2b\x06\x01\x05\x05\x02"
    };
    /* RFC 4121 4.1: TOK_ID 01 00 (AP-REQ) then the message. */
    static const char ap_req[] = "\x01\x00\x6e\x14\x30\x12\xa0\x03\x02\x01"
                                 "\x05\xa1\x03\x02\x01\x0e\xa2\x07\x03\x05"
                                 "\x00\x20\x00\x00\x00";
    unsigned char big[300];

    put_token("krb5-ap-req", gss_mech_krb5, ap_req, sizeof(ap_req) - 1);
    put_token("krb5-empty-body", gss_mech_krb5, "", 0);
    put_token("spnego-init", &spnego, "\xa0\x03\x30\x01\x00", 5);
    memset(big, 0x5a, sizeof(big));
    put_token("krb5-long2-length", gss_mech_krb5, big, sizeof(big));
    put_token("krb5-long1-length", gss_mech_krb5, big, 150);

    /* Framing errors. */
    static const struct { const char *name; const char *bytes; size_t n; }
    bad[] = {
        { "bad-trailing-octet", "\x60\x04\x06\x01\x2a\x00\xff", 7 },
        { "bad-truncated", "\x60\x09\x06\x01\x2a\x00", 6 },
        { "bad-indefinite", "\x60\x80\x06\x01\x2a\x00\x00", 7 },
        { "bad-empty-oid", "\x60\x02\x06\x00", 4 },
        { "bad-not-app0", "\x30\x03\x06\x01\x2a", 5 },
        { "bad-oid-overrun", "\x60\x03\x06\x05\x2a", 5 },
    };
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        put("der_rd_token_fuzz", bad[i].name, bad[i].bytes, bad[i].n);
        put("gss_decapsulate_token_fuzz", bad[i].name, bad[i].bytes,
            bad[i].n);
    }
    /* The other reading of gss_decapsulate_token_fuzz: OID length, OID,
     * body. */
    PUT_LIT("gss_decapsulate_token_fuzz", "parts-krb5",
            "\x09\x2a\x86\x48\x86\xf7\x12\x01\x02\x02\x01\x00\xab\xcd");
    PUT_LIT("gss_decapsulate_token_fuzz", "parts-one-arc", "\x01\x2a");
}

/* Imports text as type, canonicalizes to krb5 and exports. */
static void
put_exported(const char *name, const char *text, gss_OID type)
{
    gss_buffer_desc in = { strlen(text), (void *)text };
    gss_buffer_desc out = GSS_C_EMPTY_BUFFER;
    gss_name_t n = GSS_C_NO_NAME, mn = GSS_C_NO_NAME;
    OM_uint32 minor;

    if (gss_import_name(&minor, &in, type, &n) != GSS_S_COMPLETE ||
        gss_canonicalize_name(&minor, n, gss_mech_krb5, &mn) !=
            GSS_S_COMPLETE ||
        gss_export_name(&minor, mn, &out) != GSS_S_COMPLETE)
        die(text);
    put("der_rd_exported_name_fuzz", name, out.value, out.length);
    put_name(name, SEL_EXPORT, out.value, out.length);
    (void)gss_release_buffer(&minor, &out);
    (void)gss_release_name(&minor, &mn);
    (void)gss_release_name(&minor, &n);
}

static void
seed_exported_names(void)
{
    static const struct { const char *name; const char *bytes; size_t n; }
    bad[] = {
        { "bad-tok-id",
          "\x04\x02\x00\x03\x06\x01\x2a\x00\x00\x00\x01\x61", 12 },
        { "bad-oid-length",
          "\x04\x01\x00\x04\x06\x01\x2a\x00\x00\x00\x01\x61", 12 },
        { "bad-name-overrun",
          "\x04\x01\x00\x03\x06\x01\x2a\x00\x00\x00\x05\x61", 12 },
        { "bad-trailing",
          "\x04\x01\x00\x03\x06\x01\x2a\x00\x00\x00\x01\x61\x62", 13 },
        { "empty-name",
          "\x04\x01\x00\x03\x06\x01\x2a\x00\x00\x00\x00", 11 },
    };

    put_exported("export-baton-host-localhost", "host/localhost@FUZZ.TEST",
                 GSS_KRB5_NT_PRINCIPAL_NAME);
    put_exported("export-baton-user", "user@FUZZ.TEST", GSS_C_NT_USER_NAME);
    put_exported("export-baton-hostbased-referral", "host@localhost",
                 GSS_C_NT_HOSTBASED_SERVICE);
    put_exported("export-baton-enterprise", "user@example.com",
                 GSS_KRB5_NT_ENTERPRISE_NAME);
    put_exported("export-baton-escapes", "a\\/b\\@c/d@FUZZ.TEST",
                 GSS_KRB5_NT_PRINCIPAL_NAME);
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
        put("der_rd_exported_name_fuzz", bad[i].name, bad[i].bytes,
            bad[i].n);
}

static void
seed_names(void)
{
    static const unsigned char uid0[4] = { 0, 0, 0, 0 };
    unsigned int uid1000 = 1000;

    NAME_LIT("hostbased-host-localhost", SEL_HOSTBASED, "host@localhost");
    NAME_LIT("hostbased-http-fqdn", SEL_HOSTBASED, "HTTP@www.example.com");
    NAME_LIT("hostbased-no-host", SEL_HOSTBASED, "nfs@");
    NAME_LIT("user-short", SEL_USER, "user");
    NAME_LIT("user-realm", SEL_USER, "user@FUZZ.TEST");
    NAME_LIT("user-other-realm", SEL_USER, "user@OTHER.EXAMPLE");
    NAME_LIT("user-empty-realm", SEL_USER, "user@");
    NAME_LIT("princ-host", SEL_KRB5_PRINC, "host/localhost@FUZZ.TEST");
    NAME_LIT("princ-trailing-nul", SEL_KRB5_PRINC, "user@FUZZ.TEST\0");
    NAME_LIT("princ-escapes", SEL_KRB5_PRINC, "a\\/b\\@c/d\\n\\0@FUZZ.TEST");
    NAME_LIT("princ-bad-two-realms", SEL_KRB5_PRINC, "a@B@C");
    NAME_LIT("no-oid", SEL_NO_OID, "user@FUZZ.TEST");
    NAME_LIT("anonymous", SEL_ANONYMOUS,
             "WELLKNOWN/ANONYMOUS@WELLKNOWN:ANONYMOUS");
    NAME_LIT("string-uid-root", SEL_STRING_UID, "0");
    NAME_LIT("string-uid-nobody", SEL_STRING_UID, "65534");
    put_name("machine-uid-root", SEL_MACHINE_UID, uid0, sizeof(uid0));
    put_name("machine-uid-1000", SEL_MACHINE_UID, &uid1000, sizeof(uid1000));
    NAME_LIT("enterprise-upn", SEL_ENTERPRISE, "user@example.com");
    NAME_LIT("enterprise-upn-realm", SEL_ENTERPRISE,
             "user@example.com@FUZZ.TEST");
    NAME_LIT("hostbased-x", SEL_HOSTBASED_X, "host@localhost");
    NAME_LIT("composite-refused", SEL_COMPOSITE, "\x04\x02\x00\x00");
    NAME_LIT("x509-refused", SEL_X509, "\x30\x00");
}

static void
seed_oid_strings(void)
{
    static const char *const strs[] = {
        "{ 1 2 840 113554 1 2 2 }", "1.2.840.113554.1.2.2",
        "{1 3 6 1 5 5 2}", " \t{ 1 3 6 1 5 6 4 }\n", "0.0", "1.39", "2.999",
        "2.18446744073709551535", "1.2.18446744073709551615",
        /* Refused: */
        "", "{ }", "1", "1.40", "3.1", "01.2", "1.02", "1..2", "1.2.",
        "{ 1 2 840", "-1.2", "2.18446744073709551536",
        "1.2.18446744073709551616",
    };
    char name[32];

    for (size_t i = 0; i < sizeof(strs) / sizeof(strs[0]); i++) {
        snprintf(name, sizeof(name), "str-%02zu", i);
        put("gss_str_to_oid_fuzz", name, strs[i], strlen(strs[i]));
    }
    /* MIT counts a terminating NUL in the length. */
    PUT_LIT("gss_str_to_oid_fuzz", "str-nul", "1.3.6.1.5.5.2\0");
}

static void
seed_oid_der(void)
{
    static const struct { const char *name; const char *bytes; size_t n; }
    seeds[] = {
        { "krb5", "\x2a\x86\x48\x86\xf7\x12\x01\x02\x02", 9 },
        { "spnego", "\x2b\x06\x01\x05\x05\x02", 6 },
        { "export-name-type", "\x2b\x06\x01\x05\x06\x04", 6 },
        { "one-octet", "\x2a", 1 },
        { "zero", "\x00", 1 },
        { "first-arc-2", "\x88\x37", 2 },
        { "arc-uint64-max",
          "\x2a\x81\xff\xff\xff\xff\xff\xff\xff\xff\x7f", 11 },
        /* Refused: */
        { "bad-leading-80", "\x2a\x80\x01", 3 },
        { "bad-truncated", "\x2a\x86", 2 },
        { "bad-arc-overflow",
          "\x2a\x82\x80\x80\x80\x80\x80\x80\x80\x80\x00", 11 },
    };

    for (size_t i = 0; i < sizeof(seeds) / sizeof(seeds[0]); i++)
        put("gss_oid_to_str_fuzz", seeds[i].name, seeds[i].bytes,
            seeds[i].n);
}

int
main(int argc, char **argv)
{
    if (argc != 2) {
        fprintf(stderr, "usage: make_seeds CORPUS_DIR\n");
        return 2;
    }
    root = argv[1];
    seed_der_len();
    seed_tokens();
    seed_exported_names();
    seed_names();
    seed_oid_strings();
    seed_oid_der();
    return 0;
}
