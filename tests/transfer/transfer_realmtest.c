/* Context transfer across processes: the importer is this binary exec'd
 * again ("peer"), tokens travel over pipes.  Runs in a throwaway realm
 * (tests/realm/realm.sh) with a private runtime directory. */
#define _GNU_SOURCE
#include "check.h"
#include "realm_env.h"

#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <baton/baton.h>
#include <gssapi/gssapi_krb5.h>

#include "transfer/peer.h"
#include "transfer/transfer.h"

static char self[4096];

struct pair {
    gss_ctx_id_t init, acc;
};

static gss_name_t
service(void)
{
    return realm_service("BATON_SERVICE");
}

static OM_uint32 req_flags = GSS_C_MUTUAL_FLAG | GSS_C_REPLAY_FLAG |
                             GSS_C_SEQUENCE_FLAG;

/* First initiator step only: returns the AP-REQ in *tok. */
static void
init_step(struct pair *p, gss_buffer_t in, gss_buffer_t tok, OM_uint32 want)
{
    gss_name_t t = service();
    OM_uint32 minor;

    CHECK_MAJOR(gss_init_sec_context(&minor, GSS_C_NO_CREDENTIAL, &p->init, t,
                                     gss_mech_krb5, req_flags, 0, NULL, in,
                                     NULL, tok, NULL, NULL), want);
    gss_release_name(&minor, &t);
}

static void
establish(struct pair *p)
{
    gss_buffer_desc a = GSS_C_EMPTY_BUFFER, b = GSS_C_EMPTY_BUFFER;
    OM_uint32 minor;

    memset(p, 0, sizeof(*p));
    init_step(p, GSS_C_NO_BUFFER, &a, GSS_S_CONTINUE_NEEDED);
    CHECK_MAJOR(gss_accept_sec_context(&minor, &p->acc, GSS_C_NO_CREDENTIAL,
                                       &a, NULL, NULL, NULL, &b, NULL, NULL,
                                       NULL), GSS_S_COMPLETE);
    gss_release_buffer(&minor, &a);
    init_step(p, &b, &a, GSS_S_COMPLETE);
    gss_release_buffer(&minor, &a);
    gss_release_buffer(&minor, &b);
}

static void
release(struct pair *p)
{
    OM_uint32 minor;

    gss_delete_sec_context(&minor, &p->init, NULL);
    gss_delete_sec_context(&minor, &p->acc, NULL);
}

static gss_buffer_desc
wrap(gss_ctx_id_t c, const char *s)
{
    gss_buffer_desc in = { strlen(s), (void *)s }, out = GSS_C_EMPTY_BUFFER;
    OM_uint32 minor;

    CHECK_MAJOR(gss_wrap(&minor, c, 1, 0, &in, NULL, &out), GSS_S_COMPLETE);
    return out;
}

static gss_buffer_desc
export(gss_ctx_id_t *c)
{
    gss_buffer_desc tok = GSS_C_EMPTY_BUFFER;
    OM_uint32 minor;

    CHECK_MAJOR(gss_export_sec_context(&minor, c, &tok), GSS_S_COMPLETE);
    CHECK(*c == GSS_C_NO_CONTEXT && tok.length > 0);
    return tok;
}

static OM_uint32
peer_import(const gss_buffer_desc *tok, void (*setup)(void))
{
    struct peer pr;
    struct reply r;
    OM_uint32 major = 0xffffffff;

    if (!peer_start(&pr, self, setup))
        return major;
    if (peer_call(&pr, PEER_IMPORT, tok->value, tok->length, "", 0, &r))
        major = r.major;
    free(r.buf.value);
    CHECK(peer_stop(&pr) == 0);
    return major;
}

/* The importer carries on with the initiator in both directions, and a
 * message replayed from before the export is a duplicate. */
static void
acceptor_continuity(void)
{
    struct pair p;
    gss_buffer_desc early, tok, t, out, mic, m = { 4, (void *)"ping" };
    gss_ctx_id_t stale;
    struct peer pr;
    struct reply r;
    OM_uint32 minor;

    establish(&p);
    early = wrap(p.init, "early");
    CHECK_MAJOR(gss_unwrap(&minor, p.acc, &early, &out, NULL, NULL),
                GSS_S_COMPLETE);
    gss_release_buffer(&minor, &out);
    stale = p.acc;
    tok = export(&p.acc);
    CHECK_MAJOR(gss_wrap(&minor, stale, 1, 0, &m, NULL, &out),
                GSS_S_NO_CONTEXT);
    CHECK(peer_start(&pr, self, NULL));
    CHECK(peer_call(&pr, PEER_IMPORT, tok.value, tok.length, "", 0, &r) &&
          r.major == GSS_S_COMPLETE);
    free(r.buf.value);
    t = wrap(p.init, "to the worker");
    CHECK(peer_call(&pr, PEER_UNWRAP, t.value, t.length, "", 0, &r) &&
          r.major == GSS_S_COMPLETE && r.buf.length == 13 &&
          memcmp(r.buf.value, "to the worker", 13) == 0);
    free(r.buf.value);
    gss_release_buffer(&minor, &t);
    CHECK(peer_call(&pr, PEER_WRAP, "from the worker", 15, "", 0, &r) &&
          r.major == GSS_S_COMPLETE);
    CHECK_MAJOR(gss_unwrap(&minor, p.init, &r.buf, &out, NULL, NULL),
                GSS_S_COMPLETE);
    CHECK(out.length == 15 && memcmp(out.value, "from the worker", 15) == 0);
    gss_release_buffer(&minor, &out);
    free(r.buf.value);
    CHECK_MAJOR(gss_get_mic(&minor, p.init, 0, &m, &mic), GSS_S_COMPLETE);
    CHECK(peer_call(&pr, PEER_VERIFY, m.value, m.length, mic.value,
                    mic.length, &r) && r.major == GSS_S_COMPLETE);
    free(r.buf.value);
    gss_release_buffer(&minor, &mic);
    CHECK(peer_call(&pr, PEER_MIC, m.value, m.length, "", 0, &r) &&
          r.major == GSS_S_COMPLETE);
    CHECK_MAJOR(gss_verify_mic(&minor, p.init, &m, &r.buf, NULL),
                GSS_S_COMPLETE);
    free(r.buf.value);
    /* Captured before the export, replayed after the import. */
    CHECK(peer_call(&pr, PEER_UNWRAP, early.value, early.length, "", 0, &r) &&
          r.major == GSS_S_DUPLICATE_TOKEN);
    free(r.buf.value);
    CHECK(peer_stop(&pr) == 0);
    gss_release_buffer(&minor, &early);
    gss_release_buffer(&minor, &tok);
    release(&p);
}

/* No session key or subkey byte string appears in a sealed token, and a
 * token imports once only. */
static void
sealed_and_single_use(void)
{
    struct pair p;
    gss_buffer_set_t keys = GSS_C_NO_BUFFER_SET;
    gss_buffer_desc tok;
    OM_uint32 minor;

    establish(&p);
    CHECK_MAJOR(gss_inquire_sec_context_by_oid(&minor, p.acc,
                                               GSS_C_INQ_SSPI_SESSION_KEY,
                                               &keys), GSS_S_COMPLETE);
    tok = export(&p.acc);
    CHECK(keys != NULL && keys->count == 2 &&
          memmem(tok.value, tok.length, keys->elements[0].value,
                 keys->elements[0].length) == NULL);
    /* Any 8 consecutive key bytes would be a leak, too. */
    for (size_t i = 0; keys != NULL && i + 8 <= keys->elements[0].length; i++)
        CHECK(memmem(tok.value, tok.length,
                     (char *)keys->elements[0].value + i, 8) == NULL);
    printf("# sealed acceptor token: %zu bytes\n", tok.length);
    CHECK_MAJOR(peer_import(&tok, NULL), GSS_S_COMPLETE);
    CHECK_MAJOR(peer_import(&tok, NULL), GSS_S_NO_CONTEXT);
    gss_release_buffer_set(&minor, &keys);
    gss_release_buffer(&minor, &tok);
    release(&p);
}

/* Every single-byte change and every truncation is refused as defective,
 * and none of them consumes the token. */
static void
tampering_is_refused(void)
{
    struct pair p;
    gss_buffer_desc tok, bad;
    gss_ctx_id_t c;
    OM_uint32 minor;
    unsigned char *copy;
    int wrong = 0;

    establish(&p);
    tok = export(&p.acc);
    copy = malloc(tok.length);
    for (size_t i = 0; i < tok.length; i++) {
        memcpy(copy, tok.value, tok.length);
        copy[i] ^= 0x01;
        bad.value = copy;
        bad.length = tok.length;
        c = GSS_C_NO_CONTEXT;
        OM_uint32 major = gss_import_sec_context(&minor, &bad, &c);

        if (major != GSS_S_DEFECTIVE_TOKEN || c != GSS_C_NO_CONTEXT) {
            fprintf(stderr, "  flip at %zu: major 0x%x\n", i, major);
            wrong++;
        }
    }
    for (size_t n = 0; n < tok.length; n++) {
        bad.value = tok.value;
        bad.length = n;
        c = GSS_C_NO_CONTEXT;
        if (gss_import_sec_context(&minor, &bad, &c) != GSS_S_DEFECTIVE_TOKEN)
            wrong++;
    }
    CHECK(wrong == 0);
    printf("# %zu flips and %zu truncations refused\n", tok.length,
           tok.length);
    /* An unknown format version says so. */
    memcpy(copy, tok.value, tok.length);
    copy[4] = 2;
    bad.value = copy;
    bad.length = tok.length;
    CHECK_MAJOR(gss_import_sec_context(&minor, &bad, &c),
                GSS_S_DEFECTIVE_TOKEN);
    CHECK_MAJOR(peer_import(&tok, NULL), GSS_S_COMPLETE);
    free(copy);
    gss_release_buffer(&minor, &tok);
    release(&p);
}

/* An initiator exported while waiting for the AP-REP is completed by the
 * importer. */
static void
partial_initiator(void)
{
    struct pair p;
    gss_buffer_desc a = GSS_C_EMPTY_BUFFER, rep = GSS_C_EMPTY_BUFFER, tok;
    gss_buffer_desc out;
    struct peer pr;
    struct reply r;
    OM_uint32 minor;

    memset(&p, 0, sizeof(p));
    init_step(&p, GSS_C_NO_BUFFER, &a, GSS_S_CONTINUE_NEEDED);
    tok = export(&p.init);
    CHECK_MAJOR(gss_accept_sec_context(&minor, &p.acc, GSS_C_NO_CREDENTIAL,
                                       &a, NULL, NULL, NULL, &rep, NULL, NULL,
                                       NULL), GSS_S_COMPLETE);
    CHECK(peer_start(&pr, self, NULL));
    CHECK(peer_call(&pr, PEER_IMPORT, tok.value, tok.length, "", 0, &r) &&
          r.major == GSS_S_COMPLETE);
    free(r.buf.value);
    CHECK(peer_call(&pr, PEER_INIT, rep.value, rep.length, "", 0, &r) &&
          r.major == GSS_S_COMPLETE);
    free(r.buf.value);
    CHECK(peer_call(&pr, PEER_WRAP, "done", 4, "", 0, &r) &&
          r.major == GSS_S_COMPLETE);
    CHECK_MAJOR(gss_unwrap(&minor, p.acc, &r.buf, &out, NULL, NULL),
                GSS_S_COMPLETE);
    gss_release_buffer(&minor, &out);
    free(r.buf.value);
    CHECK(peer_stop(&pr) == 0);
    gss_release_buffer(&minor, &a);
    gss_release_buffer(&minor, &rep);
    gss_release_buffer(&minor, &tok);
    release(&p);
}

static void
become_nobody(void)
{
    if (setgid(65534) != 0 || setuid(65534) != 0)
        _exit(126);
}

static void
new_process_group(void)
{
    if (setpgid(0, 0) != 0)
        _exit(126);
}

static void
importer_policies(void)
{
    struct pair p;
    gss_buffer_desc tok;
    OM_uint32 minor;

    establish(&p);
    tok = export(&p.acc);
    CHECK_MAJOR(peer_import(&tok, become_nobody), GSS_S_UNAUTHORIZED);
    gss_release_buffer(&minor, &tok);
    release(&p);

    CHECK(baton_transfer_set_policy(BATON_POLICY_PGRP) == 0);
    establish(&p);
    tok = export(&p.acc);
    CHECK_MAJOR(peer_import(&tok, new_process_group), GSS_S_UNAUTHORIZED);
    CHECK_MAJOR(peer_import(&tok, NULL), GSS_S_COMPLETE);
    gss_release_buffer(&minor, &tok);
    release(&p);
    CHECK(baton_transfer_set_policy(BATON_POLICY_UID) == 0);
}

static void
lifetime_and_other_key(void)
{
    static const unsigned char other[32] = { 7, 7, 7 };
    struct pair p;
    gss_buffer_desc tok;
    struct peer pr;
    struct reply r;
    OM_uint32 minor;

    CHECK(baton_transfer_set_lifetime(1) == 0);
    establish(&p);
    tok = export(&p.acc);
    sleep(2);
    CHECK_MAJOR(peer_import(&tok, NULL), GSS_S_CONTEXT_EXPIRED);
    gss_release_buffer(&minor, &tok);
    release(&p);
    CHECK(baton_transfer_set_lifetime(60) == 0);

    establish(&p);
    tok = export(&p.acc);
    CHECK(peer_start(&pr, self, NULL));
    CHECK(peer_call(&pr, PEER_SET_KEY, other, sizeof(other), "", 0, &r) &&
          r.major == GSS_S_COMPLETE);
    free(r.buf.value);
    CHECK(peer_call(&pr, PEER_IMPORT, tok.value, tok.length, "", 0, &r) &&
          r.major == GSS_S_DEFECTIVE_TOKEN);
    free(r.buf.value);
    CHECK(peer_stop(&pr) == 0);
    gss_release_buffer(&minor, &tok);
    release(&p);
}

/* A failure at any step of export returns no token and leaves the context
 * working. */
static void
export_is_atomic(void)
{
    const enum bt_transfer_step steps[] = { BT_STEP_SETTINGS, BT_STEP_KEY,
        BT_STEP_LEDGER, BT_STEP_SERIALIZE, BT_STEP_SEAL };
    struct pair p;
    gss_buffer_desc tok, t, out;
    OM_uint32 minor;

    establish(&p);
    for (size_t i = 0; i < sizeof(steps) / sizeof(steps[0]); i++) {
        gss_ctx_id_t before = p.acc;

        bt_transfer_fail_at = steps[i];
        CHECK(GSS_ERROR(gss_export_sec_context(&minor, &p.acc, &tok)) != 0);
        CHECK(tok.length == 0 && tok.value == NULL && p.acc == before);
        bt_transfer_fail_at = BT_STEP_NONE;
        t = wrap(p.init, "still here");
        CHECK_MAJOR(gss_unwrap(&minor, p.acc, &t, &out, NULL, NULL),
                    GSS_S_COMPLETE);
        gss_release_buffer(&minor, &out);
        gss_release_buffer(&minor, &t);
    }
    release(&p);
}

/* The unsealed mode must be chosen explicitly, by both sides. */
static void
unsealed_mode(void)
{
    struct pair p;
    gss_buffer_desc tok;
    OM_uint32 minor;

    CHECK(baton_transfer_set_key_source(BATON_KEY_NONE) == 0);
    establish(&p);
    tok = export(&p.acc);
    CHECK(baton_transfer_set_key_source(BATON_KEY_USER) == 0);
    CHECK_MAJOR(peer_import(&tok, NULL), GSS_S_UNAUTHORIZED);
    setenv("BATON_TRANSFER_KEY", "none", 1);
    /* Nothing authenticates an unsealed header: its role (octet 6) and
     * state (octet 7) are checked against the context they carry, and a
     * refused import does not consume the token. */
    for (size_t at = 6; at <= 7; at++) {
        unsigned char *b = tok.value;

        b[at] ^= 3;             /* 1 <-> 2 */
        CHECK_MAJOR(peer_import(&tok, NULL), GSS_S_DEFECTIVE_TOKEN);
        b[at] ^= 3;
    }
    CHECK_MAJOR(peer_import(&tok, NULL), GSS_S_COMPLETE);
    unsetenv("BATON_TRANSFER_KEY");
    gss_release_buffer(&minor, &tok);
    release(&p);
}

/* Key source inherit: a forked child has the key already; an exec'd child
 * gets it through BATON_TRANSFER_KEY_FD; a stranger does not. */
static void
inherited_key(void)
{
    struct pair p;
    gss_buffer_desc tok, tok2;
    char num[16];
    OM_uint32 minor;
    pid_t pid;
    int fd = -1, status = -1;

    CHECK(baton_transfer_set_key_source(BATON_KEY_INHERIT) == 0);
    establish(&p);
    tok = export(&p.acc);
    pid = fork();
    if (pid == 0) {
        gss_ctx_id_t c = GSS_C_NO_CONTEXT;

        _exit(gss_import_sec_context(&minor, &tok, &c) == GSS_S_COMPLETE
              ? 0 : 1);
    }
    CHECK(pid > 0 && waitpid(pid, &status, 0) == pid && status == 0);
    release(&p);

    establish(&p);
    tok2 = export(&p.acc);
    setenv("BATON_TRANSFER_KEY", "inherit", 1);
    CHECK_MAJOR(peer_import(&tok2, NULL), GSS_S_DEFECTIVE_TOKEN);
    CHECK(baton_transfer_key_fd(&fd) == 0);
    snprintf(num, sizeof(num), "%d", fd);
    setenv("BATON_TRANSFER_KEY_FD", num, 1);
    CHECK_MAJOR(peer_import(&tok2, NULL), GSS_S_COMPLETE);
    close(fd);
    unsetenv("BATON_TRANSFER_KEY_FD");
    unsetenv("BATON_TRANSFER_KEY");
    CHECK(baton_transfer_set_key_source(BATON_KEY_USER) == 0);
    gss_release_buffer(&minor, &tok);
    gss_release_buffer(&minor, &tok2);
    release(&p);
}

/* baton token inspect shows the envelope and never the payload. */
static void
inspect_tool(void)
{
    struct pair p;
    gss_buffer_desc tok;
    gss_buffer_set_t keys = GSS_C_NO_BUFFER_SET;
    char path[512], cmd[1200], out[4096];
    OM_uint32 minor;
    FILE *f;
    size_t n;

    establish(&p);
    gss_inquire_sec_context_by_oid(&minor, p.acc, GSS_C_INQ_SSPI_SESSION_KEY,
                                   &keys);
    tok = export(&p.acc);
    snprintf(path, sizeof(path), "%s/token.bin", getenv("BATON_REALM_DIR"));
    f = fopen(path, "wb");
    CHECK(f != NULL && fwrite(tok.value, 1, tok.length, f) == tok.length);
    fclose(f);
    snprintf(cmd, sizeof(cmd), "%s token inspect %s 2>&1",
             getenv("BATON_TOOL"), path);
    f = popen(cmd, "r");
    n = f != NULL ? fread(out, 1, sizeof(out) - 1, f) : 0;
    out[n] = '\0';
    CHECK(f != NULL && pclose(f) == 0);
    CHECK(strstr(out, "role       acceptor") != NULL);
    CHECK(strstr(out, "state      established") != NULL);
    CHECK(strstr(out, "{ 1 2 840 113554 1 2 2 }") != NULL);
    CHECK(strstr(out, "sealed     yes") != NULL);
    CHECK(strstr(out, "binding    uid 0") != NULL);
    CHECK(strstr(out, "(not shown)") != NULL);
    /* A damaged token gets a sentence, not a dump. */
    snprintf(cmd, sizeof(cmd), "head -c 20 %s | %s token inspect - 2>&1",
             path, getenv("BATON_TOOL"));
    f = popen(cmd, "r");
    n = f != NULL ? fread(out, 1, sizeof(out) - 1, f) : 0;
    out[n] = '\0';
    CHECK(f != NULL && pclose(f) != 0);
    CHECK(strstr(out, "truncated or damaged") != NULL);
    gss_release_buffer_set(&minor, &keys);
    gss_release_buffer(&minor, &tok);
    release(&p);
}

static int
run_tests(void);

int
main(int argc, char **argv)
{
    char dir[512];

    if (argc > 1 && strcmp(argv[1], "peer") == 0)
        return peer_main();
    if (realpath("/proc/self/exe", self) == NULL)
        return 2;
    /* A private runtime directory for key and ledger. */
    snprintf(dir, sizeof(dir), "%s/baton-rt", getenv("BATON_REALM_DIR"));
    setenv("BATON_RUNTIME_DIR", dir, 1);
    return run_tests();
}

static int
run_tests(void)
{
    static const char *const names[] = {
        "acceptor_continuity", "sealed_and_single_use",
        "tampering_is_refused", "partial_initiator", "importer_policies",
        "lifetime_and_other_key", "export_is_atomic", "unsealed_mode",
        "inherited_key", "inspect_tool",
    };
    static const bt_test_fn fns[] = {
        acceptor_continuity, sealed_and_single_use, tampering_is_refused,
        partial_initiator, importer_policies, lifetime_and_other_key,
        export_is_atomic, unsealed_mode, inherited_key, inspect_tool,
    };

    _Static_assert(sizeof(names) / sizeof(names[0]) ==
                   sizeof(fns) / sizeof(fns[0]), "one name per test");
    return bt_run_tests(names, fns, sizeof(fns) / sizeof(fns[0]));
}
