/*
 * peer_spnego.c - the interop peer (peer.c) through SPNEGO: credentials
 * with restricted negotiable mechanisms, the mechanisms each call must
 * report, the checks of the negotiation tokens, and spnego-export-partial's
 * hand-over of a half-established context to a fresh process.
 *
 * What is expected is what MIT krb5 1.20 does (see check_mech and
 * spnego_checks); Heimdal's differences are tolerated only where the test
 * script lists them in PEER_QUIRKS (peer.c).
 */
#define _POSIX_C_SOURCE 200809L
#include "peer.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

gss_ctx_id_t resumed_ctx = GSS_C_NO_CONTEXT;
int resumed_steps;

static int
is(const char *name)
{
    return strcmp(scen->name, name) == 0;
}

/* ------------------------------------------------------------ mechanisms */

/*
 * The mechanism each call reports.  MIT, through SPNEGO as directly:
 * krb5 from gss_init_sec_context once complete, from
 * gss_accept_sec_context and from gss_inquire_context on both sides, even
 * when the acceptor's supportedMech is ms-krb5.  From an initiator step
 * that needs another, MIT's SPNEGO sets GSS_C_NO_OID (not writing the
 * parameter would do as well); Heimdal's reports krb5 already.
 */
void
check_mech(const char *what, gss_const_OID o)
{
    if (!oid_eq(o, &krb5_oid_desc))
        fail("%s is %s, want %s (MIT's)", what, oid_name(o),
             oid_name(&krb5_oid_desc));
}

void
check_early_mech(int step, gss_const_OID o)
{
    if (mech != MECH_SPNEGO || o == GSS_C_NO_OID || o == &unwritten_oid)
        return;
    /* Held to MIT's in wrap-conf alone: the same in every scenario, it
     * must not hide what the others check. */
    if (!is("wrap-conf")) {
        note("gss_init_sec_context step %d (CONTINUE_NEEDED) reports "
             "actual_mech_type %s (checked in wrap-conf)", step, oid_name(o));
        return;
    }
    if (quirk("heimdal-spnego-early-mech"))
        quirk_note("heimdal-spnego-early-mech", "gss_init_sec_context step "
                   "%d (CONTINUE_NEEDED) reports actual_mech_type %s; MIT's "
                   "sets GSS_C_NO_OID", step, oid_name(o));
    else
        fail("gss_init_sec_context step %d (CONTINUE_NEEDED) reports "
             "actual_mech_type %s; MIT's sets GSS_C_NO_OID until the "
             "context is complete", step, oid_name(o));
}

/* ------------------------------------------------------------ credentials */

int
have_set_neg_mechs(void)
{
#ifdef PEER_HEIMDAL_HEADERS
    return 0;
#else
    return 1;
#endif
}

static const char *
neg_str(enum peer_neg neg)
{
    switch (neg) {
    case NEG_KRB5: return "{krb5}";
    case NEG_MS_FIRST: return "{ms-krb5, krb5}";
    case NEG_MS_ONLY: return "{ms-krb5}";
    default: return "default";
    }
}

static void
set_neg(gss_cred_id_t cred, enum peer_neg neg)
{
    gss_OID_desc list[2];
    gss_OID_set_desc set = {0, list};

    if (neg == NEG_KRB5)
        list[set.count++] = krb5_oid_desc;
    if (neg == NEG_MS_FIRST || neg == NEG_MS_ONLY)
        list[set.count++] = mskrb5_oid_desc;
    if (neg == NEG_MS_FIRST)
        list[set.count++] = krb5_oid_desc;
#ifdef PEER_HEIMDAL_HEADERS
    (void)cred;
    if (quirk("heimdal-no-set-neg-mechs"))
        quirk_note("heimdal-no-set-neg-mechs", "cannot restrict the "
                   "negotiable mechanisms to %s: no gss_set_neg_mechs; "
                   "the default list stays", neg_str(neg));
    else
        fail("cannot restrict the negotiable mechanisms to %s: this "
             "implementation has no gss_set_neg_mechs", neg_str(neg));
#else
    {
        OM_uint32 maj, min;

        maj = gss_set_neg_mechs(&min, cred, &set);
        if (maj != GSS_S_COMPLETE)
            fail("gss_set_neg_mechs(%s): %s", neg_str(neg),
                 status_str(maj, min));
        else
            note("gss_set_neg_mechs(%s) done", neg_str(neg));
    }
#endif
}

gss_cred_id_t
side_cred(gss_name_t name, gss_cred_usage_t usage, enum peer_neg neg)
{
    gss_OID_set_desc mechs = {1, mech == MECH_SPNEGO ? &spnego_oid_desc
                                                     : &krb5_oid_desc};
    gss_cred_id_t cred = GSS_C_NO_CREDENTIAL;
    OM_uint32 maj, min;

    maj = gss_acquire_cred(&min, name, GSS_C_INDEFINITE, &mechs, usage,
                           &cred, NULL, NULL);
    if (maj != GSS_S_COMPLETE)
        die("gss_acquire_cred(%s, %s, %s): %s",
            name == GSS_C_NO_NAME ? "default name" : name_str(name),
            usage == GSS_C_ACCEPT ? "ACCEPT" : "INITIATE",
            oid_name(mechs.elements), status_str(maj, min));
    if (neg != NEG_DEFAULT)
        set_neg(cred, neg);
    return cred;
}

/* ------------------------------------------------------------ checks */

static int
view_is(const gss_buffer_desc *v, gss_const_OID o)
{
    return v->value != NULL && v->length == o->length &&
           memcmp(v->value, o->elements, o->length) == 0;
}

/* Notes a negotiation token's mechanisms in the log. */
static int
parse_or_fail(const char *what, const gss_buffer_desc *b, struct negtok *t)
{
    if (b->value == NULL || !neg_parse(b, t)) {
        fail("%s is not a SPNEGO negotiation token: %s", what,
             b->value == NULL ? "none" : tok_describe(b));
        return 0;
    }
    return 1;
}

/* spnego-mslegacy: did the library put the MS OID first as asked? */
static void
check_ms_first(const struct negtok *t)
{
    if (t->n_mechs > 0 && view_is(&t->mechs[0], &mskrb5_oid_desc)) {
        note("the NegTokenInit offers ms-krb5 first, as asked");
        return;
    }
    note("SKIP: gss_set_neg_mechs({ms-krb5, krb5}) succeeded but the "
         "NegTokenInit offers %s first: this implementation does not offer "
         "the MS OID (MIT leaves it out); spnego-mslegacy-wire covers the "
         "acceptor", t->n_mechs ? oid_name(&krb5_oid_desc) : "nothing");
}

/* The initiator's own first token: a NegTokenInit with krb5 first (or
 * only, after gss_set_neg_mechs) and an optimistic AP-REQ, no MIC. */
static void
check_init_offer(const struct est *e)
{
    struct negtok t;

    if (!parse_or_fail("the initiator's first token", &e->first_out, &t))
        return;
    if (t.kind != NEG_TOK_INIT)
        fail("the initiator's first token is not a NegTokenInit");
    if (scen->neg_init == NEG_MS_FIRST) {
        check_ms_first(&t);
        return;
    }
    if (t.n_mechs == 0 || !view_is(&t.mechs[0], &krb5_oid_desc))
        fail("the NegTokenInit does not offer krb5 first: %s",
             tok_describe(&e->first_out));
    if (scen->neg_init == NEG_KRB5 && t.n_mechs != 1)
        fail("after gss_set_neg_mechs({krb5}) the NegTokenInit offers %zu "
             "mechanisms", t.n_mechs);
    if (token_id(&t.token, NULL) != 0x0100)
        fail("the NegTokenInit carries no optimistic AP-REQ (as MIT's does)");
    if (t.mic.value != NULL)
        fail("the NegTokenInit carries a mechListMIC (MIT's does not)");
}

/* The acceptor's answer to an established context: one NegTokenResp,
 * accept-completed, supportedMech as MIT's, the AP-REP iff mutual, no
 * mechListMIC. */
static void
check_acc_answer(const struct est *e)
{
    gss_const_OID want = &krb5_oid_desc;
    struct negtok t;

    /* MIT answers with the OID offered first, Microsoft's included. */
    if (neg_parse(&e->first_in, &t) && t.n_mechs > 0 &&
        view_is(&t.mechs[0], &mskrb5_oid_desc))
        want = &mskrb5_oid_desc;
    if (!parse_or_fail("the acceptor's answer", &e->first_out, &t))
        return;
    note("answered %s", tok_describe(&e->first_out));
    if (t.kind != NEG_TOK_RESP || t.state != 0)
        fail("the answer is not a NegTokenResp with negState "
             "accept-completed (MIT's is)");
    if (!view_is(&t.supported, want))
        fail("supportedMech is not %s (MIT's)", oid_name(want));
    if ((scen->req_flags & GSS_C_MUTUAL_FLAG) &&
        token_id(&t.token, NULL) != 0x0200)
        fail("mutual authentication, but the answer has no AP-REP");
    if (!(scen->req_flags & GSS_C_MUTUAL_FLAG) && t.token.value != NULL)
        fail("no mutual authentication, but the answer has a responseToken "
             "(MIT's has none)");
    if (t.mic.value != NULL)
        fail("the answer carries a mechListMIC (MIT's does not)");
    if (e->steps != 1 || e->n_out != 1)
        fail("the acceptor took %d step(s) and made %d token(s); MIT's "
             "takes 1 and makes 1", e->steps, e->n_out);
}

/* spnego-nocommon, acceptor: MIT fails with GSS_S_FAILURE and sends no
 * token, leaving its peer waiting; Baton deliberately answers
 * GSS_S_BAD_MECH with a reject token (RFC 4178 4.2.2) so the initiator
 * learns the outcome.  A token, if any, must be a reject. */
static void
check_nocommon_acc(const struct est *e)
{
    int baton = strcmp(PEER_IMPL, "baton") == 0;
    OM_uint32 want = baton ? GSS_S_BAD_MECH : GSS_S_FAILURE;
    struct negtok t;

    note("no common mechanism: %s; %zu-byte answer",
         status_str(e->major, e->minor), e->last_out.length);
    if (e->major != want)
        fail("no common mechanism: major %#x, want %#x", (unsigned)e->major,
             (unsigned)want);
    if (baton && e->last_out.length == 0)
        fail("no common mechanism: Baton must send a reject token");
    if (e->last_out.length > 0 &&
        (!parse_or_fail("the refusal", &e->last_out, &t) ||
         t.kind != NEG_TOK_RESP || t.state != 2))
        fail("the refusal is not a NegTokenResp reject: %s",
             tok_describe(&e->last_out));
}

static void
check_nocommon_init(const struct est *e)
{
    if (e->peer_closed) {
        note("the acceptor sent no token (MIT's sends none either)");
        return;
    }
    note("the acceptor answered %s", tok_describe(&e->first_in));
    /* A reject: MIT, Heimdal and Baton initiators all say BAD_MECH. */
    if (e->major != GSS_S_BAD_MECH)
        fail("the initiator took the reject as %s, want GSS_S_BAD_MECH",
             status_str(e->major, e->minor));
}

void
spnego_checks(const struct est *e, int initiator)
{
    int ok = e->major == GSS_S_COMPLETE;

    if (mech != MECH_SPNEGO)
        return;
    if (e->first_out.value == NULL && initiator) {
        note("resumed after an export: the first token was checked before");
        return;
    }
    if (initiator) {
        check_init_offer(e);
        if (is("spnego-nocommon"))
            check_nocommon_init(e);
        else if (ok && (e->steps != 2 || e->n_out != 1))
            fail("the initiator took %d step(s) and made %d token(s); "
                 "MIT's takes 2 and makes 1", e->steps, e->n_out);
        if (ok && e->first_in.value != NULL)
            note("the acceptor answered %s", tok_describe(&e->first_in));
    } else if (is("spnego-nocommon")) {
        check_nocommon_acc(e);
    } else if (ok) {
        check_acc_answer(e);
    }
}

/* ------------------------------------------------------------ Windows */

int
spnego_outgoing(const struct est *e, const gss_buffer_desc *out,
                gss_buffer_desc *wire)
{
    *wire = *out;
    if (!is("spnego-mslegacy-wire") || e->steps != 1 || out->length == 0)
        return 0;
    if (!neg_prepend_mech(out, &mskrb5_oid_desc, wire)) {
        fail("cannot put ms-krb5 into the NegTokenInit: %s",
             tok_describe(out));
        *wire = *out;
        return 0;
    }
    note("as Windows does, sent instead: %s", tok_describe(wire));
    tok_dump("init->acc (rewritten)", wire);
    return 1;
}

int
spnego_incoming(const struct est *e, const gss_buffer_desc *in,
                gss_buffer_desc *lib)
{
    struct negtok t;

    *lib = *in;
    if (!is("spnego-mslegacy-wire") || e->steps != 1 || !neg_parse(in, &t))
        return 0;
    if (t.mic.value != NULL)
        note("the answer carries a mechListMIC, over the mechanism list "
             "with ms-krb5 the library never sent");
    if (!view_is(&t.supported, &mskrb5_oid_desc))
        return 0;
    if (!neg_replace_supported(in, &krb5_oid_desc, lib)) {
        fail("cannot rewrite the answer's supportedMech: %s",
             tok_describe(in));
        *lib = *in;
        return 0;
    }
    note("the library gets supportedMech krb5 instead of ms-krb5, which "
         "it did not offer: %s", tok_describe(lib));
    return 1;
}

/* ------------------------------------------------------------ export */

/* Exports e->ctx into a pipe on fd 5 and execs this program again with
 * --resume 5:STEPS:FAILURES; the new process imports it (resume_from). */
void
maybe_export_partial(struct est *e)
{
    const char *want = getenv("PEER_EXPORT_PARTIAL");
    gss_buffer_desc tok = {0, NULL};
    OM_uint32 maj, min;
    char resume[32];
    char *nargv[8];
    int p[2];

    if (strcmp(scen->name, "spnego-export-partial") != 0 || want == NULL ||
        *want == '\0')
        return;
    maj = gss_export_sec_context(&min, &e->ctx, &tok);
    if (maj != GSS_S_COMPLETE) {
        fail("gss_export_sec_context after step %d (partial context): %s",
             e->steps, status_str(maj, min));
        return;
    }
    note("exported the partial context after step %d: %zu bytes; a fresh "
         "process imports it", e->steps, tok.length);
    if (tok.length > 60000 || pipe(p) != 0)
        die("cannot hand over %zu bytes through a pipe", tok.length);
    write_all(p[1], tok.value, tok.length);
    close(p[1]);
    gss_release_buffer(&min, &tok);
    if (p[0] != 5 && (dup2(p[0], 5) < 0 || close(p[0]) != 0))
        die("dup2: %s", strerror(errno));
    /* The checks failed so far go along: exec keeps nothing else. */
    snprintf(resume, sizeof(resume), "5:%d:%d", e->steps, failures);
    nargv[0] = peer_argv[0];
    nargv[1] = "--mech";
    nargv[2] = "spnego";
    nargv[3] = "--resume";
    nargv[4] = resume;
    nargv[5] = (char *)role;
    nargv[6] = (char *)scen->name;
    nargv[7] = NULL;
    fflush(stderr);
    execv("/proc/self/exe", nargv);
    die("exec /proc/self/exe: %s", strerror(errno));
}

/* In the fresh process: the exported context from fd, imported. */
void
resume_from(int fd, int steps, int failed)
{
    gss_buffer_desc tok = {0, NULL};
    unsigned char buf[4096];
    OM_uint32 maj, min;
    ssize_t r;

    for (;;) {
        r = read(fd, buf, sizeof(buf));
        if (r < 0 && errno == EINTR)
            continue;
        if (r < 0)
            die("read from the hand-over pipe: %s", strerror(errno));
        if (r == 0)
            break;
        tok.value = realloc(tok.value, tok.length + (size_t)r);
        if (tok.value == NULL)
            die("out of memory");
        memcpy((unsigned char *)tok.value + tok.length, buf, (size_t)r);
        tok.length += (size_t)r;
    }
    close(fd);
    maj = gss_import_sec_context(&min, &tok, &resumed_ctx);
    free(tok.value);
    if (maj != GSS_S_COMPLETE)
        die("gss_import_sec_context of the partial context in the fresh "
            "process: %s", status_str(maj, min));
    resumed_steps = steps;
    failures += failed;
    note("imported the partial context (after step %d) in a fresh process",
         steps);
}
