/*
 * transfer_bench.c - gss_export_sec_context + gss_import_sec_context round
 * trips on an established acceptor context, against the public API only,
 * so the same source builds against Baton and MIT.
 *
 *   transfer_bench N     exports and re-imports the acceptor N times, then
 *                        checks the context still works; prints token
 *                        sizes and the time per round trip.
 * Instruction counts come from running it under callgrind with N and 0
 * (bench/transfer.sh does that).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <gssapi/gssapi.h>
#include <gssapi/gssapi_krb5.h>

static void
check(const char *what, OM_uint32 major, OM_uint32 want)
{
    if (major != want) {
        fprintf(stderr, "%s: major 0x%x\n", what, major);
        exit(1);
    }
}

int
main(int argc, char **argv)
{
    const char *svc = getenv("BATON_SERVICE");
    gss_buffer_desc b, itok = GSS_C_EMPTY_BUFFER, atok = GSS_C_EMPTY_BUFFER;
    gss_buffer_desc tok, msg = { 5, (void *)"hello" }, w, out;
    gss_ctx_id_t ic = GSS_C_NO_CONTEXT, ac = GSS_C_NO_CONTEXT, pc;
    gss_name_t target;
    OM_uint32 minor;
    struct timespec t0, t1;
    int n = argc > 1 ? atoi(argv[1]) : 1000;

    if (svc == NULL)
        return 2;
    b.value = (void *)svc;
    b.length = strlen(svc);
    check("import_name", gss_import_name(&minor, &b,
          GSS_C_NT_HOSTBASED_SERVICE, &target), GSS_S_COMPLETE);
    check("init", gss_init_sec_context(&minor, GSS_C_NO_CREDENTIAL, &ic,
          target, gss_mech_krb5, GSS_C_MUTUAL_FLAG, 0, NULL, NULL, NULL,
          &itok, NULL, NULL), GSS_S_CONTINUE_NEEDED);
    /* Size of a partial initiator's token. */
    pc = ic;
    check("export partial", gss_export_sec_context(&minor, &pc, &tok),
          GSS_S_COMPLETE);
    printf("partial initiator token: %zu bytes\n", tok.length);
    check("import partial", gss_import_sec_context(&minor, &tok, &ic),
          GSS_S_COMPLETE);
    gss_release_buffer(&minor, &tok);
    check("accept", gss_accept_sec_context(&minor, &ac, GSS_C_NO_CREDENTIAL,
          &itok, NULL, NULL, NULL, &atok, NULL, NULL, NULL), GSS_S_COMPLETE);
    gss_release_buffer(&minor, &itok);
    check("init 2", gss_init_sec_context(&minor, GSS_C_NO_CREDENTIAL, &ic,
          target, gss_mech_krb5, GSS_C_MUTUAL_FLAG, 0, NULL, &atok, NULL,
          &itok, NULL, NULL), GSS_S_COMPLETE);
    gss_release_buffer(&minor, &atok);
    check("export initiator", gss_export_sec_context(&minor, &ic, &tok),
          GSS_S_COMPLETE);
    printf("initiator token: %zu bytes\n", tok.length);
    check("import initiator", gss_import_sec_context(&minor, &tok, &ic),
          GSS_S_COMPLETE);
    gss_release_buffer(&minor, &tok);

    clock_gettime(CLOCK_MONOTONIC, &t0);
    for (int i = 0; i < n; i++) {
        check("export", gss_export_sec_context(&minor, &ac, &tok),
              GSS_S_COMPLETE);
        if (i == 0)
            printf("acceptor token: %zu bytes\n", tok.length);
        check("import", gss_import_sec_context(&minor, &tok, &ac),
              GSS_S_COMPLETE);
        gss_release_buffer(&minor, &tok);
    }
    clock_gettime(CLOCK_MONOTONIC, &t1);
    if (n > 0)
        printf("round trip: %.2f us\n",
               ((t1.tv_sec - t0.tv_sec) * 1e6 +
                (t1.tv_nsec - t0.tv_nsec) / 1e3) / n);
    check("wrap", gss_wrap(&minor, ic, 1, 0, &msg, NULL, &w), GSS_S_COMPLETE);
    check("unwrap", gss_unwrap(&minor, ac, &w, &out, NULL, NULL),
          GSS_S_COMPLETE);
    gss_release_buffer(&minor, &w);
    gss_release_buffer(&minor, &out);
    gss_delete_sec_context(&minor, &ic, NULL);
    gss_delete_sec_context(&minor, &ac, NULL);
    gss_release_name(&minor, &target);
    return 0;
}
