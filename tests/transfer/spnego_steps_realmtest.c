/* A SPNEGO negotiation in which every step, of both roles, is taken by a
 * different process: each step imports the context the previous step of
 * its role exported, takes one step, and exports it again (DESIGN.md 3,
 * partial contexts).  The driver execs this binary as "step ..." once per
 * step; tokens and contexts travel through files.  Runs in a throwaway
 * realm (tests/realm/realm.sh) with a private runtime directory. */
#define _GNU_SOURCE
#include "check.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <errno.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <gssapi/gssapi_krb5.h>

static gss_OID_desc spnego = { 6, "\x2b\x06\x01\x05\x05\x02" };
static gss_OID_desc krb5 = { 9, "\x2a\x86\x48\x86\xf7\x12\x01\x02\x02" };
static gss_OID_desc krb5_ms = { 9, "\x2a\x86\x48\x82\xf7\x12\x01\x02\x02" };
static gss_OID_desc krb5_old = { 5, "\x2b\x05\x01\x05\x02" };

#define REQ (GSS_C_MUTUAL_FLAG | GSS_C_INTEG_FLAG | GSS_C_CONF_FLAG | \
             GSS_C_SEQUENCE_FLAG | GSS_C_REPLAY_FLAG)

static char self[4096], dir[512];

static bool
read_file(const char *path, gss_buffer_desc *b)
{
    FILE *f = fopen(path, "rb");
    long n;

    b->value = NULL;
    b->length = 0;
    if (f == NULL)
        return false;
    fseek(f, 0, SEEK_END);
    n = ftell(f);
    rewind(f);
    b->value = malloc(n > 0 ? (size_t)n : 1);
    b->length = (size_t)n;
    if (b->value == NULL || fread(b->value, 1, b->length, f) != b->length) {
        fclose(f);
        return false;
    }
    fclose(f);
    return true;
}

static bool
write_file(const char *path, const gss_buffer_desc *b)
{
    FILE *f = fopen(path, "wb");
    bool ok;

    if (f == NULL)
        return false;
    ok = b->length == 0 || fwrite(b->value, 1, b->length, f) == b->length;
    return fclose(f) == 0 && ok;
}

/* The initiator's credential: "default" (none), "ms" (Microsoft's OID
 * first) or "reselect" (an OID the acceptor does not take, then
 * Kerberos: the acceptor's second-choice path with both MICs). */
static gss_cred_id_t
initiator_cred(const char *neg)
{
    gss_OID_set_desc want = { 1, &spnego }, set;
    gss_OID_desc ms[2], re[2];
    gss_cred_id_t c = GSS_C_NO_CREDENTIAL;
    OM_uint32 minor;

    if (strcmp(neg, "default") == 0)
        return GSS_C_NO_CREDENTIAL;
    ms[0] = krb5_ms;
    ms[1] = krb5;
    re[0] = krb5_old;
    re[1] = krb5;
    set.count = 2;
    set.elements = strcmp(neg, "ms") == 0 ? ms : re;
    if (gss_acquire_cred(&minor, GSS_C_NO_NAME, GSS_C_INDEFINITE, &want,
                         GSS_C_INITIATE, &c, NULL, NULL) != GSS_S_COMPLETE ||
        gss_set_neg_mechs(&minor, c, &set) != GSS_S_COMPLETE)
        exit(3);
    return c;
}

static OM_uint32
one_step(char role, const char *neg, gss_ctx_id_t *ctx, gss_buffer_desc *in,
         gss_buffer_desc *out, OM_uint32 *flags)
{
    const char *s = getenv("BATON_SERVICE");
    gss_buffer_desc sb = { strlen(s), (void *)s };
    gss_cred_id_t cred;
    gss_name_t target = GSS_C_NO_NAME;
    OM_uint32 major, minor, m;

    if (role == 'a')
        return gss_accept_sec_context(&minor, ctx, GSS_C_NO_CREDENTIAL, in,
                                      NULL, NULL, NULL, out, flags, NULL,
                                      NULL);
    cred = initiator_cred(neg);
    gss_import_name(&minor, &sb, GSS_C_NT_HOSTBASED_SERVICE, &target);
    major = gss_init_sec_context(&minor, cred, ctx, target, &spnego, REQ, 0,
                                 NULL, in, NULL, out, flags, NULL);
    gss_release_name(&m, &target);
    gss_release_cred(&m, &cred);
    return major;
}

/* step ROLE NEG CTX_IN TOK_IN CTX_OUT TOK_OUT ("-": none).  Prints
 * "MAJOR FLAGS PID" and exits 0 unless a call failed. */
static int
step_main(char **argv)
{
    gss_ctx_id_t ctx = GSS_C_NO_CONTEXT;
    gss_buffer_desc in = GSS_C_EMPTY_BUFFER, out = GSS_C_EMPTY_BUFFER, exp;
    OM_uint32 major, minor, m, flags = 0;
    char role = argv[2][0];

    if (strcmp(argv[4], "-") != 0) {
        if (!read_file(argv[4], &exp) ||
            gss_import_sec_context(&minor, &exp, &ctx) != GSS_S_COMPLETE)
            return 4;
        gss_release_buffer(&m, &exp);
    }
    if (strcmp(argv[5], "-") != 0 && !read_file(argv[5], &in))
        return 5;
    major = one_step(role, argv[3], &ctx, &in, &out, &flags);
    printf("%u %u %ld\n", (unsigned)major, (unsigned)flags, (long)getpid());
    gss_release_buffer(&m, &in);
    if (GSS_ERROR(major) || !write_file(argv[7], &out))
        return 6;
    gss_release_buffer(&m, &out);
    if (gss_export_sec_context(&minor, &ctx, &exp) != GSS_S_COMPLETE ||
        !write_file(argv[6], &exp))
        return 7;
    gss_release_buffer(&m, &exp);
    return 0;
}

struct result {
    OM_uint32 major, flags;
    long pid;
    size_t out_len;
};

/* Runs one step in a new process. */
static bool
run_step(char role, const char *neg, const char *ctx_in, const char *tok_in,
         const char *ctx_out, const char *tok_out, struct result *r)
{
    char cmd[8192];
    unsigned major = 0, flags = 0;
    gss_buffer_desc out;
    FILE *p;
    int n, status;

    snprintf(cmd, sizeof(cmd), "'%s' step %c %s '%s' '%s' '%s' '%s'", self,
             role, neg, ctx_in, tok_in, ctx_out, tok_out);
    if ((p = popen(cmd, "r")) == NULL)
        return false;
    n = fscanf(p, "%u %u %ld", &major, &flags, &r->pid);
    status = pclose(p);
    r->major = major;
    r->flags = flags;
    if (n != 3 || !WIFEXITED(status) || WEXITSTATUS(status) != 0) {
        fprintf(stderr, "  step %c (%s): exit status %d, major 0x%x\n", role,
                cmd, status, major);
        return false;
    }
    if (!read_file(tok_out, &out))
        return false;
    r->out_len = out.length;
    free(out.value);
    return true;
}

struct chain {
    char ictx[600], actx[600], tok[600];
    long pids[16];
    int steps, tokens;
    OM_uint32 imaj, amaj;
};

/* One step of role: checks it ran in a process of its own, succeeded and
 * reported GSS_C_TRANS_FLAG; updates the chain's files. */
static bool
chain_step(struct chain *c, char role, const char *neg)
{
    char ctx_out[600], tok_out[600];
    struct result r;
    char *ctx = role == 'i' ? c->ictx : c->actx;

    snprintf(ctx_out, sizeof(ctx_out), "%s/%c.ctx.%d", dir, role, c->steps);
    snprintf(tok_out, sizeof(tok_out), "%s/tok.%d", dir, c->steps);
    CHECK(run_step(role, neg, ctx, c->tok, ctx_out, tok_out, &r));
    if (GSS_ERROR(r.major) || c->steps >= 16)
        return false;
    for (int i = 0; i < c->steps; i++)
        CHECK(c->pids[i] != r.pid);
    c->pids[c->steps++] = r.pid;
    CHECK(r.flags & GSS_C_TRANS_FLAG);
    *(role == 'i' ? &c->imaj : &c->amaj) = r.major;
    snprintf(ctx, 600, "%s", ctx_out);
    snprintf(c->tok, sizeof(c->tok), "%s", r.out_len > 0 ? tok_out : "-");
    c->tokens += r.out_len > 0;
    return true;
}

/* The contexts the last steps exported, imported here: both open, on
 * Kerberos, and talking. */
static void
check_final(const struct chain *c)
{
    gss_buffer_desc e, msg = { 4, "ping" }, tok, out;
    gss_ctx_id_t i = GSS_C_NO_CONTEXT, a = GSS_C_NO_CONTEXT;
    gss_OID mech = GSS_C_NO_OID;
    OM_uint32 minor, m;
    int open = 0;

    CHECK(read_file(c->ictx, &e));
    CHECK_MAJOR(gss_import_sec_context(&minor, &e, &i), GSS_S_COMPLETE);
    gss_release_buffer(&m, &e);
    CHECK(read_file(c->actx, &e));
    CHECK_MAJOR(gss_import_sec_context(&minor, &e, &a), GSS_S_COMPLETE);
    gss_release_buffer(&m, &e);
    CHECK_MAJOR(gss_inquire_context(&minor, i, NULL, NULL, NULL, &mech, NULL,
                                    NULL, &open), GSS_S_COMPLETE);
    CHECK(open == 1 && gss_oid_equal(mech, &krb5));
    CHECK_MAJOR(gss_wrap(&minor, a, 1, 0, &msg, NULL, &tok), GSS_S_COMPLETE);
    CHECK_MAJOR(gss_unwrap(&minor, i, &tok, &out, NULL, NULL), GSS_S_COMPLETE);
    CHECK(out.length == 4 && memcmp(out.value, "ping", 4) == 0);
    gss_release_buffer(&m, &tok);
    gss_release_buffer(&m, &out);
    gss_delete_sec_context(&m, &i, NULL);
    gss_delete_sec_context(&m, &a, NULL);
}

static void
negotiate(const char *neg, int want_tokens)
{
    struct chain c = { .ictx = "-", .actx = "-", .tok = "-" };

    for (int round = 0; round < 6; round++) {
        if (round == 0 || strcmp(c.tok, "-") != 0) {
            if (!chain_step(&c, 'i', neg))
                break;
        }
        if (strcmp(c.tok, "-") == 0)
            break;
        if (!chain_step(&c, 'a', neg))
            break;
        if (strcmp(c.tok, "-") == 0 && c.imaj == GSS_S_COMPLETE)
            break;
    }
    CHECK_MAJOR(c.imaj, GSS_S_COMPLETE);
    CHECK_MAJOR(c.amaj, GSS_S_COMPLETE);
    if (c.tokens != want_tokens)
        fprintf(stderr, "  %s: %d tokens in %d steps, expected %d tokens\n",
                neg, c.tokens, c.steps, want_tokens);
    CHECK(c.tokens == want_tokens);
    if (c.imaj == GSS_S_COMPLETE && c.amaj == GSS_S_COMPLETE)
        check_final(&c);
}

/* Kerberos first: two tokens, two steps and two processes. */
static void
default_negotiation(void)
{
    negotiate("default", 2);
}

static void
microsoft_oid_first(void)
{
    negotiate("ms", 2);
}

/* Second choice: five tokens and six steps (the acceptor's last step
 * verifies the initiator's MIC and sends nothing), MIC exchange pending
 * across four of the exports. */
static void
second_choice_with_mics(void)
{
    negotiate("reselect", 5);
}

int
main(int argc, char **argv)
{
    static const char *const names[] = {
        "default_negotiation", "microsoft_oid_first", "second_choice_with_mics",
    };
    static const bt_test_fn fns[] = {
        default_negotiation, microsoft_oid_first, second_choice_with_mics,
    };
    char rt[600];

    if (argc == 8 && strcmp(argv[1], "step") == 0)
        return step_main(argv);
    if (realpath("/proc/self/exe", self) == NULL)
        return 2;
    snprintf(dir, sizeof(dir), "%s/spnego-steps", getenv("BATON_REALM_DIR"));
    if (mkdir(dir, 0700) != 0 && errno != EEXIST)
        return 2;
    /* A private runtime directory (transfer key and ledger) for all the
     * step processes. */
    snprintf(rt, sizeof(rt), "%s/rt", dir);
    setenv("BATON_RUNTIME_DIR", rt, 1);
    _Static_assert(sizeof(names) / sizeof(names[0]) ==
                   sizeof(fns) / sizeof(fns[0]), "one name per test");
    return bt_run_tests(names, fns, sizeof(fns) / sizeof(fns[0]));
}
