/*
 * message_bench.c - per-message throughput and allocations, written against
 * the public GSS-API only so that the same source builds against Baton and
 * against MIT's libgssapi_krb5 (bench/message.sh runs both in one realm).
 *
 * Prints, for the session-key enctype the realm gave:
 *   wrap+unwrap (conf) pairs/s and MB/s at 64 B, 16 KiB and 1 MiB,
 *   get_mic+verify_mic pairs/s at 64 B,
 *   heap allocations (malloc, calloc, realloc calls anywhere in the
 *   process) per pair in steady state.
 */
#define _GNU_SOURCE
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <gssapi/gssapi.h>

/* Counting allocator: the executable's malloc wins over libc's for every
 * library in the process. */
extern void *__libc_malloc(size_t);
extern void *__libc_calloc(size_t, size_t);
extern void *__libc_realloc(void *, size_t);
static atomic_long allocs;

void *
malloc(size_t n)
{
    atomic_fetch_add(&allocs, 1);
    return __libc_malloc(n);
}

void *
calloc(size_t a, size_t b)
{
    atomic_fetch_add(&allocs, 1);
    return __libc_calloc(a, b);
}

void *
realloc(void *p, size_t n)
{
    atomic_fetch_add(&allocs, 1);
    return __libc_realloc(p, n);
}

static void
die(const char *what, OM_uint32 major, OM_uint32 minor)
{
    fprintf(stderr, "%s failed: major 0x%x minor %u\n", what, major, minor);
    exit(1);
}

static double
now(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static void
establish(gss_ctx_id_t *ic, gss_ctx_id_t *ac)
{
    const char *svc = getenv("BATON_SERVICE");
    gss_buffer_desc b = { svc != NULL ? strlen(svc) : 0, (void *)svc };
    gss_buffer_desc itok = GSS_C_EMPTY_BUFFER, atok = GSS_C_EMPTY_BUFFER;
    gss_name_t target = GSS_C_NO_NAME;
    OM_uint32 major, minor;

    major = gss_import_name(&minor, &b, GSS_C_NT_HOSTBASED_SERVICE, &target);
    if (major != GSS_S_COMPLETE)
        die("import_name", major, minor);
    major = gss_init_sec_context(&minor, GSS_C_NO_CREDENTIAL, ic, target,
                                 GSS_C_NO_OID, GSS_C_MUTUAL_FLAG |
                                 GSS_C_CONF_FLAG | GSS_C_INTEG_FLAG, 0, NULL,
                                 GSS_C_NO_BUFFER, NULL, &itok, NULL, NULL);
    if (major != GSS_S_CONTINUE_NEEDED)
        die("init", major, minor);
    major = gss_accept_sec_context(&minor, ac, GSS_C_NO_CREDENTIAL, &itok,
                                   NULL, NULL, NULL, &atok, NULL, NULL, NULL);
    if (major != GSS_S_COMPLETE)
        die("accept", major, minor);
    gss_release_buffer(&minor, &itok);
    major = gss_init_sec_context(&minor, GSS_C_NO_CREDENTIAL, ic, target,
                                 GSS_C_NO_OID, GSS_C_MUTUAL_FLAG |
                                 GSS_C_CONF_FLAG | GSS_C_INTEG_FLAG, 0, NULL,
                                 &atok, NULL, &itok, NULL, NULL);
    if (major != GSS_S_COMPLETE)
        die("init 2", major, minor);
    gss_release_buffer(&minor, &atok);
    gss_release_buffer(&minor, &itok);
    gss_release_name(&minor, &target);
}

/* One pair: a wrap (or get_mic) by a, checked by b. */
static void
pair(gss_ctx_id_t a, gss_ctx_id_t b, gss_buffer_desc *msg, int mic)
{
    gss_buffer_desc tok, out;
    OM_uint32 major, minor;

    if (mic) {
        major = gss_get_mic(&minor, a, GSS_C_QOP_DEFAULT, msg, &tok);
        if (major == GSS_S_COMPLETE)
            major = gss_verify_mic(&minor, b, msg, &tok, NULL);
        if (major != GSS_S_COMPLETE)
            die("mic", major, minor);
        gss_release_buffer(&minor, &tok);
        return;
    }
    major = gss_wrap(&minor, a, 1, GSS_C_QOP_DEFAULT, msg, NULL, &tok);
    if (major == GSS_S_COMPLETE)
        major = gss_unwrap(&minor, b, &tok, &out, NULL, NULL);
    if (major != GSS_S_COMPLETE || out.length != msg->length)
        die("wrap/unwrap", major, minor);
    gss_release_buffer(&minor, &tok);
    gss_release_buffer(&minor, &out);
}

static void
measure(gss_ctx_id_t a, gss_ctx_id_t b, size_t size, int mic)
{
    gss_buffer_desc msg = { size, calloc(1, size) };
    long n = 0, before;
    double t0, t;

    for (int i = 0; i < 32; i++)            /* warm: first-use state */
        pair(a, b, &msg, mic);
    before = atomic_load(&allocs);
    pair(a, b, &msg, mic);
    before = atomic_load(&allocs) - before;
    t0 = now();
    do {
        for (int i = 0; i < 8; i++, n++)
            pair(a, b, &msg, mic);
    } while ((t = now() - t0) < 0.5);
    printf("  %-16s %8zu B  %10.0f pairs/s  %8.1f MB/s  %ld allocations "
           "per pair\n", mic ? "get_mic+verify" : "wrap+unwrap", size,
           n / t, n * (double)size / t / 1e6, before);
    free(msg.value);
}

int
main(void)
{
    gss_ctx_id_t ic = GSS_C_NO_CONTEXT, ac = GSS_C_NO_CONTEXT;
    OM_uint32 minor;

    establish(&ic, &ac);
    measure(ic, ac, 64, 0);
    measure(ic, ac, 16384, 0);
    measure(ic, ac, 1 << 20, 0);
    measure(ic, ac, 64, 1);
    gss_delete_sec_context(&minor, &ic, NULL);
    gss_delete_sec_context(&minor, &ac, NULL);
    return 0;
}
