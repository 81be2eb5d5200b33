/*
 * make_krb5_seeds_mit.c - AP-REQ seeds for gss_accept_sec_context_fuzz
 * made by MIT krb5's gss_init_sec_context, so that the corpus holds what
 * the reference initiator sends (its authenticator: subkey, sequence
 * number, checksum extensions) and not only Baton's.  Built against MIT
 * (pkg-config krb5-gssapi) by make_krb5_seeds.sh; never linked with
 * Baton.  The tickets are minted with the fixture's service key, as the
 * target's keytab holds it (krb5_fixture.h).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <gssapi/gssapi.h>
#include <gssapi/gssapi_krb5.h>

#include "krb5_fixture.h"

static const char *root;
static krb5_context k;
static gss_name_t target;
static char conf_path[256];

static void
die(const char *what)
{
    fprintf(stderr, "make_krb5_seeds_mit: %s\n", what);
    exit(1);
}

static void
put(const char *name, unsigned char mode, const void *p, size_t n)
{
    char path[512];
    FILE *f;

    snprintf(path, sizeof(path), "%s/gss_accept_sec_context_fuzz", root);
    if (mkdir(path, 0755) != 0 && errno != EEXIST)
        die(path);
    snprintf(path, sizeof(path), "%s/gss_accept_sec_context_fuzz/%s", root,
             name);
    f = fopen(path, "wb");
    if (f == NULL || fputc(mode, f) == EOF || fwrite(p, 1, n, f) != n ||
        fclose(f) != 0)
        die(path);
}

/* A MEMORY ccache with the minted TGT and service ticket (session key
 * fx_enctypes[i]), made MIT's default for this thread. */
static void
use_ccache(size_t i)
{
    char name[64];
    krb5_ccache cc;
    krb5_principal client;
    krb5_creds tgt, svc;
    OM_uint32 minor;

    snprintf(name, sizeof(name), "MEMORY:baton-mit-seeds-%zu", i);
    if (krb5_cc_resolve(k, name, &cc) != 0 ||
        krb5_parse_name(k, FX_CLIENT, &client) != 0 ||
        krb5_cc_initialize(k, cc, client) != 0)
        die("ccache");
    fx_tgt_creds(k, &tgt);
    fx_service_creds(k, i, &svc);
    if (krb5_cc_store_cred(k, cc, &tgt) != 0 ||
        krb5_cc_store_cred(k, cc, &svc) != 0)
        die("krb5_cc_store_cred");
    krb5_free_cred_contents(k, &tgt);
    krb5_free_cred_contents(k, &svc);
    krb5_free_principal(k, client);
    krb5_cc_close(k, cc);
    if (gss_krb5_ccache_name(&minor, name, NULL) != GSS_S_COMPLETE)
        die("gss_krb5_ccache_name");
}

static void
seed(const char *name, size_t session, OM_uint32 flags, int cb)
{
    gss_ctx_id_t ctx = GSS_C_NO_CONTEXT;
    gss_buffer_desc out = GSS_C_EMPTY_BUFFER;
    OM_uint32 major, minor;

    use_ccache(session);
    major = gss_init_sec_context(&minor, GSS_C_NO_CREDENTIAL, &ctx, target,
                                 (gss_OID)gss_mech_krb5, flags, 0,
                                 cb ? fx_bindings() : GSS_C_NO_CHANNEL_BINDINGS,
                                 GSS_C_NO_BUFFER, NULL, &out, NULL, NULL);
    if (GSS_ERROR(major))
        die(name);
    put(name, cb ? 2 : 0, out.value, out.length);
    (void)gss_release_buffer(&minor, &out);
    (void)gss_delete_sec_context(&minor, &ctx, GSS_C_NO_BUFFER);
}

int
main(int argc, char **argv)
{
    gss_buffer_desc n = { sizeof(FX_SERVICE_HBS) - 1,
                          (void *)FX_SERVICE_HBS };
    OM_uint32 minor;

    if (argc != 2) {
        fprintf(stderr, "usage: make_krb5_seeds_mit CORPUS_DIR\n");
        return 2;
    }
    root = argv[1];
    fx_setup_env(conf_path, sizeof(conf_path));
    if (krb5_init_context(&k) != 0 ||
        gss_import_name(&minor, &n, GSS_C_NT_HOSTBASED_SERVICE, &target) !=
            GSS_S_COMPLETE)
        die("set-up");
    seed("mit-plain", 0, 0, 0);
    seed("mit-mutual", 0, GSS_C_MUTUAL_FLAG | GSS_C_REPLAY_FLAG |
                           GSS_C_SEQUENCE_FLAG, 0);
    seed("mit-mutual-cb", 0, GSS_C_MUTUAL_FLAG, 1);
    seed("mit-aes256sha2", 3, GSS_C_MUTUAL_FLAG | GSS_C_SEQUENCE_FLAG, 0);
    (void)gss_release_name(&minor, &target);
    krb5_free_context(k);
    (void)unlink(conf_path);
    return 0;
}
