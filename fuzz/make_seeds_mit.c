/*
 * make_seeds_mit.c - seeds made by MIT krb5's libgssapi_krb5, so that the
 * corpora hold what the reference implementation emits and not only what
 * Baton does.  Built against MIT (pkg-config krb5-gssapi) by make_seeds.sh;
 * never linked with Baton.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <gssapi/gssapi.h>
#include <gssapi/gssapi_ext.h>
#include <gssapi/gssapi_krb5.h>

static const char *root;

static void
die(const char *what)
{
    fprintf(stderr, "make_seeds_mit: %s\n", what);
    exit(1);
}

static void
put(const char *target, const char *name, const void *p, size_t n,
    int prefix)
{
    char path[512];
    FILE *f;

    snprintf(path, sizeof(path), "%s/%s", root, target);
    if (mkdir(path, 0755) != 0 && errno != EEXIST)
        die(path);
    snprintf(path, sizeof(path), "%s/%s/%s", root, target, name);
    f = fopen(path, "wb");
    if (f == NULL || (prefix >= 0 && fputc(prefix, f) == EOF) ||
        (n > 0 && fwrite(p, 1, n, f) != n) || fclose(f) != 0)
        die(path);
}

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
    put("der_rd_exported_name_fuzz", name, out.value, out.length, -1);
    put("gss_import_name_fuzz", name, out.value, out.length, 0);
    (void)gss_release_buffer(&minor, &out);
    (void)gss_release_name(&minor, &mn);
    (void)gss_release_name(&minor, &n);
}

static void
put_token(const char *name, const void *body, size_t n)
{
    gss_buffer_desc in = { n, (void *)body }, out = GSS_C_EMPTY_BUFFER;
    OM_uint32 minor;

    if (gss_encapsulate_token(&in, gss_mech_krb5, &out) != GSS_S_COMPLETE)
        die("gss_encapsulate_token");
    put("der_rd_token_fuzz", name, out.value, out.length, -1);
    put("gss_decapsulate_token_fuzz", name, out.value, out.length, -1);
    (void)gss_release_buffer(&minor, &out);
}

static void
put_oid_str(const char *name, gss_OID oid)
{
    gss_buffer_desc out = GSS_C_EMPTY_BUFFER;
    OM_uint32 minor;

    if (gss_oid_to_str(&minor, oid, &out) != GSS_S_COMPLETE)
        die("gss_oid_to_str");
    /* MIT's length counts the terminating NUL: keep it, as callers hand
     * such buffers straight back to gss_str_to_oid. */
    put("gss_str_to_oid_fuzz", name, out.value, out.length, -1);
    (void)gss_release_buffer(&minor, &out);
}

int
main(int argc, char **argv)
{
    if (argc != 2) {
        fprintf(stderr, "usage: make_seeds_mit CORPUS_DIR\n");
        return 2;
    }
    root = argv[1];
    put_exported("export-mit-host-localhost", "host/localhost@FUZZ.TEST",
                 (gss_OID)GSS_KRB5_NT_PRINCIPAL_NAME);
    put_exported("export-mit-user", "user@FUZZ.TEST", GSS_C_NT_USER_NAME);
    put_token("mit-krb5-ap-req", "\x01\x00\x6e\x03\x30\x01\x00", 7);
    put_oid_str("mit-krb5", (gss_OID)gss_mech_krb5);
    put_oid_str("mit-export-name-type", GSS_C_NT_EXPORT_NAME);
    return 0;
}
