/*
 * establish_bench.c - establishments per second and memory per idle
 * acceptor context, written against the public GSS-API only so that the
 * same source builds against Baton and against MIT's libgssapi_krb5.
 *
 * Usage (inside a realm; see bench/run.sh):
 *   establish_bench rate N     N in-process establishments (mutual auth,
 *                              default credentials), prints "rate: X/s"
 *   establish_bench memory N   keeps N acceptor contexts alive, prints the
 *                              heap bytes per context ("memory: X B")
 */
#include <malloc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <gssapi/gssapi.h>
#include <gssapi/gssapi_krb5.h>

static gss_cred_id_t init_cred, acc_cred;
static gss_name_t target;

static void
die(const char *what, OM_uint32 major, OM_uint32 minor)
{
    fprintf(stderr, "%s failed: major 0x%x minor %u\n", what, major, minor);
    exit(1);
}

/* One establishment; the acceptor context is returned, the initiator's
 * deleted. */
static gss_ctx_id_t
establish(void)
{
    gss_ctx_id_t ic = GSS_C_NO_CONTEXT, ac = GSS_C_NO_CONTEXT;
    gss_buffer_desc itok = GSS_C_EMPTY_BUFFER, atok = GSS_C_EMPTY_BUFFER;
    OM_uint32 major, minor;

    major = gss_init_sec_context(&minor, init_cred, &ic, target, GSS_C_NO_OID,
                                 GSS_C_MUTUAL_FLAG, 0, NULL, &atok, NULL,
                                 &itok, NULL, NULL);
    if (major != GSS_S_CONTINUE_NEEDED)
        die("init", major, minor);
    major = gss_accept_sec_context(&minor, &ac, acc_cred, &itok, NULL, NULL,
                                   NULL, &atok, NULL, NULL, NULL);
    if (major != GSS_S_COMPLETE)
        die("accept", major, minor);
    gss_release_buffer(&minor, &itok);
    major = gss_init_sec_context(&minor, init_cred, &ic, target, GSS_C_NO_OID,
                                 GSS_C_MUTUAL_FLAG, 0, NULL, &atok, NULL,
                                 &itok, NULL, NULL);
    if (major != GSS_S_COMPLETE)
        die("init 2", major, minor);
    gss_release_buffer(&minor, &atok);
    gss_release_buffer(&minor, &itok);
    gss_delete_sec_context(&minor, &ic, NULL);
    return ac;
}

static double
now(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

int
main(int argc, char **argv)
{
    const char *svc = getenv("BATON_SERVICE");
    gss_buffer_desc b;
    OM_uint32 major, minor;
    int n = argc > 2 ? atoi(argv[2]) : 1000;

    if (argc < 2 || svc == NULL || n <= 0) {
        fprintf(stderr, "usage: establish_bench rate|memory N (in a realm)\n");
        return 2;
    }
    b.value = (void *)svc;
    b.length = strlen(svc);
    major = gss_import_name(&minor, &b, GSS_C_NT_HOSTBASED_SERVICE, &target);
    if (major == GSS_S_COMPLETE)
        major = gss_acquire_cred(&minor, GSS_C_NO_NAME, 0, GSS_C_NO_OID_SET,
                                 GSS_C_INITIATE, &init_cred, NULL, NULL);
    if (major == GSS_S_COMPLETE)
        major = gss_acquire_cred(&minor, GSS_C_NO_NAME, 0, GSS_C_NO_OID_SET,
                                 GSS_C_ACCEPT, &acc_cred, NULL, NULL);
    if (major != GSS_S_COMPLETE)
        die("setup", major, minor);
    gss_ctx_id_t warm = establish();    /* first-use costs out of the way */
    gss_delete_sec_context(&minor, &warm, NULL);

    if (strcmp(argv[1], "rate") == 0) {
        double t0 = now();

        for (int i = 0; i < n; i++) {
            gss_ctx_id_t ac = establish();

            gss_delete_sec_context(&minor, &ac, NULL);
        }
        printf("rate: %.0f establishments/s\n", n / (now() - t0));
    } else {
        gss_ctx_id_t *keep = calloc((size_t)n, sizeof(*keep));
        size_t before = mallinfo2().uordblks;

        for (int i = 0; i < n; i++)
            keep[i] = establish();
        printf("memory: %.0f B per idle acceptor context\n",
               (double)(mallinfo2().uordblks - before) / n);
        for (int i = 0; i < n; i++)
            gss_delete_sec_context(&minor, &keep[i], NULL);
        free(keep);
    }
    gss_release_cred(&minor, &init_cred);
    gss_release_cred(&minor, &acc_cred);
    gss_release_name(&minor, &target);
    return 0;
}
