/*
 * hostile.h - shared by the hostile_*_realmtest.c files: Baton-to-Baton
 * Kerberos contexts in one process (run under tests/realm/realm.sh), the
 * check that a context still works after an attack, and exact-size copies
 * of tokens to mutate (so that ASan and valgrind see any overread).
 *
 * Everything is static inline: each test file uses a different subset.
 */
#ifndef BATON_TESTS_MECH_KRB5_HOSTILE_H_
#define BATON_TESTS_MECH_KRB5_HOSTILE_H_

#include "check.h"
#include "realm_env.h"

#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>

#include <gssapi/gssapi_krb5.h>

/* Every request a Baton initiator understands except delegation, so that
 * replay and sequence errors show up as supplementary bits. */
#define HOSTILE_FLAGS (GSS_C_MUTUAL_FLAG | GSS_C_REPLAY_FLAG |               \
                       GSS_C_SEQUENCE_FLAG)

/* Failures described in full per test; the rest are only counted. */
#define HOSTILE_SHOW_MAX 25

static const char *hostile_test_shown;
static int hostile_shown;

/* Prints the GSS and mechanism texts of a status. */
static inline void
hostile_show_status(OM_uint32 major, OM_uint32 minor)
{
    OM_uint32 m, mctx = 0;
    gss_buffer_desc b;

    if (gss_display_status(&m, major, GSS_C_GSS_CODE, NULL, &mctx, &b) ==
        GSS_S_COMPLETE) {
        fprintf(stderr, " [%.*s", (int)b.length, (char *)b.value);
        gss_release_buffer(&m, &b);
    }
    mctx = 0;
    if (minor != 0 &&
        gss_display_status(&m, minor, GSS_C_MECH_CODE, NULL, &mctx, &b) ==
        GSS_S_COMPLETE) {
        fprintf(stderr, "; %.*s", (int)b.length, (char *)b.value);
        gss_release_buffer(&m, &b);
    }
    fprintf(stderr, "]\n");
}

/* One check: got must equal want; on failure the case is described. */
__attribute__((format(printf, 6, 7))) static inline void
hostile_expect(const char *file, int line, OM_uint32 got, OM_uint32 want,
               OM_uint32 minor, const char *fmt, ...)
{
    va_list ap;

    bt_check(got == want, "major status as expected", file, line);
    if (got == want)
        return;
    if (hostile_test_shown != bt_current_test) {
        hostile_test_shown = bt_current_test;
        hostile_shown = 0;
    }
    if (hostile_shown++ >= HOSTILE_SHOW_MAX)
        return;
    fprintf(stderr, "  case: ");
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fprintf(stderr, ": major 0x%08x, expected 0x%08x", (unsigned)got,
            (unsigned)want);
    hostile_show_status(got, minor);
}

#define EXPECT(got, want, minor, ...)                                        \
    hostile_expect(__FILE__, __LINE__, (got), (want), (minor), __VA_ARGS__)

/* A malloc'd copy of exactly len bytes of p (at least one byte allocated);
 * the buffer's length is len. */
static inline gss_buffer_desc
hostile_copy(const void *p, size_t len)
{
    gss_buffer_desc b = { len, malloc(len > 0 ? len : 1) };

    if (b.value == NULL)
        abort();
    if (len > 0)
        memcpy(b.value, p, len);
    return b;
}

static inline uint8_t *
hostile_bytes(const gss_buffer_desc *b)
{
    return (uint8_t *)b->value;
}

static inline gss_name_t
hostile_service(void)
{
    return realm_service("BATON_SERVICE");
}

/* The initiator's first call: its context and AP-REQ token. */
static inline OM_uint32
hostile_init_first(gss_ctx_id_t *ictx, OM_uint32 flags, gss_buffer_t itok)
{
    gss_name_t target = hostile_service();
    OM_uint32 major, minor, m;

    major = gss_init_sec_context(&minor, GSS_C_NO_CREDENTIAL, ictx, target,
                                 gss_mech_krb5, flags, 0, NULL, NULL, NULL,
                                 itok, NULL, NULL);
    if (GSS_ERROR(major)) {
        fprintf(stderr, "  init_sec_context:");
        hostile_show_status(major, minor);
    }
    gss_release_name(&m, &target);
    return major;
}

/* One acceptor call with cred on token; *actx, *atok as the API gives. */
static inline OM_uint32
hostile_accept(gss_ctx_id_t *actx, gss_cred_id_t cred,
               const gss_buffer_desc *token, gss_buffer_t atok,
               OM_uint32 *minor)
{
    gss_buffer_desc in = *token;
    gss_name_t src = GSS_C_NO_NAME;
    gss_cred_id_t deleg = GSS_C_NO_CREDENTIAL;
    OM_uint32 major, m;

    major = gss_accept_sec_context(minor, actx, cred, &in, NULL, &src, NULL,
                                   atok, NULL, NULL, &deleg);
    gss_release_name(&m, &src);
    gss_release_cred(&m, &deleg);
    return major;
}

/* The initiator's second call with token (NULL: GSS_C_NO_BUFFER). */
static inline OM_uint32
hostile_init_next(gss_ctx_id_t *ictx, const gss_buffer_desc *token,
                  gss_buffer_t out, OM_uint32 *minor)
{
    gss_name_t target = hostile_service();
    gss_buffer_desc in = token != NULL ? *token : (gss_buffer_desc){ 0, 0 };
    OM_uint32 major, m;

    major = gss_init_sec_context(minor, GSS_C_NO_CREDENTIAL, ictx, target,
                                 gss_mech_krb5, HOSTILE_FLAGS, 0, NULL,
                                 token != NULL ? &in : GSS_C_NO_BUFFER, NULL,
                                 out, NULL, NULL);
    gss_release_name(&m, &target);
    return major;
}

struct hostile_pair {
    gss_ctx_id_t init, acc;
};

/* Establishes a pair with flags (GSS_C_MUTUAL_FLAG: acceptor subkey);
 * false if it could not. */
static inline bool
hostile_establish(struct hostile_pair *p, OM_uint32 flags)
{
    gss_buffer_desc itok = GSS_C_EMPTY_BUFFER, atok = GSS_C_EMPTY_BUFFER;
    gss_buffer_desc out = GSS_C_EMPTY_BUFFER;
    OM_uint32 imaj, amaj, minor, m;

    p->init = p->acc = GSS_C_NO_CONTEXT;
    imaj = hostile_init_first(&p->init, flags, &itok);
    amaj = GSS_ERROR(imaj) ? imaj
           : hostile_accept(&p->acc, GSS_C_NO_CREDENTIAL, &itok, &atok,
                            &minor);
    if (imaj == GSS_S_CONTINUE_NEEDED && amaj == GSS_S_COMPLETE) {
        imaj = hostile_init_next(&p->init, &atok, &out, &minor);
        gss_release_buffer(&m, &out);
    }
    gss_release_buffer(&m, &itok);
    gss_release_buffer(&m, &atok);
    CHECK_MAJOR(imaj, GSS_S_COMPLETE);
    CHECK_MAJOR(amaj, GSS_S_COMPLETE);
    return imaj == GSS_S_COMPLETE && amaj == GSS_S_COMPLETE;
}

static inline void
hostile_release(struct hostile_pair *p)
{
    OM_uint32 m;

    gss_delete_sec_context(&m, &p->init, GSS_C_NO_BUFFER);
    gss_delete_sec_context(&m, &p->acc, GSS_C_NO_BUFFER);
}

/* A message of len bytes with a pattern that depends on seed. */
static inline gss_buffer_desc
hostile_message(size_t len, unsigned seed)
{
    gss_buffer_desc b = { len, malloc(len > 0 ? len : 1) };

    if (b.value == NULL)
        abort();
    for (size_t i = 0; i < len; i++)
        hostile_bytes(&b)[i] = (uint8_t)(i * 31 + seed * 7 + 1);
    return b;
}

/* One genuine round of each per-message token from tx to rx: exactly
 * GSS_S_COMPLETE (no supplementary bit) and the right contents. */
static inline void
hostile_round(gss_ctx_id_t tx, gss_ctx_id_t rx, const char *after,
              const char *dir)
{
    gss_buffer_desc msg = hostile_message(37, 5), tok, out;
    OM_uint32 major, minor, m;
    gss_qop_t qop = 1;
    int conf;

    major = gss_get_mic(&minor, tx, GSS_C_QOP_DEFAULT, &msg, &tok);
    EXPECT(major, GSS_S_COMPLETE, minor, "%s: get_mic %s", after, dir);
    major = gss_verify_mic(&minor, rx, &msg, &tok, &qop);
    EXPECT(major, GSS_S_COMPLETE, minor, "%s: verify_mic %s", after, dir);
    CHECK(qop == GSS_C_QOP_DEFAULT);
    gss_release_buffer(&m, &tok);
    for (int c = 0; c <= 1; c++) {
        major = gss_wrap(&minor, tx, c, GSS_C_QOP_DEFAULT, &msg, &conf, &tok);
        EXPECT(major, GSS_S_COMPLETE, minor, "%s: wrap conf=%d %s", after, c,
               dir);
        conf = -1;
        major = gss_unwrap(&minor, rx, &tok, &out, &conf, NULL);
        EXPECT(major, GSS_S_COMPLETE, minor, "%s: unwrap conf=%d %s", after,
               c, dir);
        CHECK(conf == c && out.length == msg.length &&
              memcmp(out.value, msg.value, msg.length) == 0);
        gss_release_buffer(&m, &tok);
        gss_release_buffer(&m, &out);
    }
    free(msg.value);
}

/* The pair still works both ways and neither window was disturbed. */
static inline void
hostile_usable(const struct hostile_pair *p, const char *after)
{
    hostile_round(p->init, p->acc, after, "initiator->acceptor");
    hostile_round(p->acc, p->init, after, "acceptor->initiator");
}

/* The initiator's side of a handshake: its AP-REQ; and if atok is not
 * NULL, the AP-REP of a first acceptor (whose context is *acc). */
static inline bool
hostile_start(gss_ctx_id_t *init, gss_buffer_t itok, gss_ctx_id_t *acc,
              gss_buffer_t atok)
{
    OM_uint32 minor;

    *init = GSS_C_NO_CONTEXT;
    if (hostile_init_first(init, HOSTILE_FLAGS, itok) !=
        GSS_S_CONTINUE_NEEDED)
        return false;
    if (atok == NULL)
        return true;
    *acc = GSS_C_NO_CONTEXT;
    CHECK_MAJOR(hostile_accept(acc, GSS_C_NO_CREDENTIAL, itok, atok, &minor),
                GSS_S_COMPLETE);
    return atok->length > 0;
}

/* A fresh acceptor given bytes: the status; no context is left behind. */
static inline OM_uint32
hostile_fresh_accept(const void *p, size_t len, OM_uint32 *minor)
{
    gss_buffer_desc in = hostile_copy(p, len), out = GSS_C_EMPTY_BUFFER;
    gss_ctx_id_t acc = GSS_C_NO_CONTEXT;
    OM_uint32 major, m;

    major = hostile_accept(&acc, GSS_C_NO_CREDENTIAL, &in, &out, minor);
    if (GSS_ERROR(major))
        CHECK(acc == GSS_C_NO_CONTEXT);
    gss_release_buffer(&m, &out);
    gss_delete_sec_context(&m, &acc, GSS_C_NO_BUFFER);
    free(in.value);
    return major;
}

/* The waiting initiator given bytes (NULL: GSS_C_NO_BUFFER): the status;
 * on failure no output token and the same handle. */
static inline OM_uint32
hostile_waiting_init(gss_ctx_id_t *init, const void *p, size_t len,
                     OM_uint32 *minor)
{
    gss_buffer_desc in = hostile_copy(p, len), out = GSS_C_EMPTY_BUFFER;
    gss_ctx_id_t before = *init;
    OM_uint32 major, m;

    major = hostile_init_next(init, p != NULL ? &in : NULL, &out, minor);
    if (GSS_ERROR(major))
        CHECK(*init == before && out.length == 0);
    gss_release_buffer(&m, &out);
    free(in.value);
    return major;
}

/* The initiator is still waiting; the genuine AP-REP completes it, and the
 * pair then works. */
static inline void
hostile_complete(struct hostile_pair *p, gss_buffer_t atok)
{
    OM_uint32 minor = 0, major, m, life, flags;
    int local = 0, open = 1;

    major = gss_inquire_context(&minor, p->init, NULL, NULL, &life, NULL,
                                &flags, &local, &open);
    EXPECT(major, GSS_S_COMPLETE, minor, "inquire the waiting initiator");
    CHECK(local == 1 && open == 0);
    major = hostile_waiting_init(&p->init, atok->value, atok->length, &minor);
    EXPECT(major, GSS_S_COMPLETE, minor, "the genuine AP-REP, last");
    if (major == GSS_S_COMPLETE)
        hostile_usable(p, bt_current_test);
    hostile_release(p);
    gss_release_buffer(&m, atok);
}

#endif /* BATON_TESTS_MECH_KRB5_HOSTILE_H_ */
