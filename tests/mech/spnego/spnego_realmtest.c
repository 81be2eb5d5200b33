/* SPNEGO (RFC 4178) between two Baton contexts in one process, against the
 * throwaway realm (run under tests/realm/realm.sh): negotiation paths,
 * mechListMIC, refusal, and export/import at every step. */
#include "check.h"
#include "realm_env.h"

#include <stdbool.h>
#include <stdlib.h>

#include <gssapi/gssapi_krb5.h>
#include <krb5.h>

static gss_OID_desc spnego = { 6, "\x2b\x06\x01\x05\x05\x02" };
static gss_OID_desc krb5 = { 9, "\x2a\x86\x48\x86\xf7\x12\x01\x02\x02" };
static gss_OID_desc krb5_ms = { 9, "\x2a\x86\x48\x82\xf7\x12\x01\x02\x02" };
static gss_OID_desc krb5_old = { 5, "\x2b\x05\x01\x05\x02" };

/* A SPNEGO credential restricted to the given mechanisms (n == 0: none
 * set, the default). */
static gss_cred_id_t
neg_cred(gss_cred_usage_t usage, gss_OID_desc *const *mechs, size_t n)
{
    gss_OID_set_desc want = { 1, &spnego }, neg = { 0, NULL };
    gss_OID_desc list[4];
    gss_cred_id_t c = GSS_C_NO_CREDENTIAL;
    OM_uint32 minor;

    CHECK_MAJOR(gss_acquire_cred(&minor, GSS_C_NO_NAME, GSS_C_INDEFINITE,
                                 &want, usage, &c, NULL, NULL),
                GSS_S_COMPLETE);
    for (size_t i = 0; i < n; i++)
        list[i] = *mechs[i];
    neg.count = n;
    neg.elements = list;
    if (n > 0)
        CHECK_MAJOR(gss_set_neg_mechs(&minor, c, &neg), GSS_S_COMPLETE);
    return c;
}

struct run {
    gss_cred_id_t icred, acred;
    OM_uint32 req;
    bool export_each;           /* export and re-import after each step */
    bool tamper_list;           /* alter the offered list in transit */
    /* results */
    gss_ctx_id_t init, acc;
    OM_uint32 imaj, amaj, iflags, aflags;
    gss_OID imech, amech;
    gss_name_t src;
    int tokens;                 /* context tokens sent, both directions */
};

/* Moves a context through gss_export_sec_context / import. */
static void
move(gss_ctx_id_t *ctx)
{
    gss_buffer_desc tok = GSS_C_EMPTY_BUFFER;
    OM_uint32 minor, m, flags = 0;

    if (*ctx == GSS_C_NO_CONTEXT)
        return;
    CHECK_MAJOR(gss_inquire_context(&minor, *ctx, NULL, NULL, NULL, NULL,
                                    &flags, NULL, NULL), GSS_S_COMPLETE);
    CHECK(flags & GSS_C_TRANS_FLAG);
    CHECK_MAJOR(gss_export_sec_context(&minor, ctx, &tok), GSS_S_COMPLETE);
    CHECK(*ctx == GSS_C_NO_CONTEXT);
    CHECK_MAJOR(gss_import_sec_context(&minor, &tok, ctx), GSS_S_COMPLETE);
    gss_release_buffer(&m, &tok);
}

/* Flips the last octet of the first OID in a NegTokenInit's MechTypeList
 * (the first "30 len 06" in the token): still well formed, but not the
 * list the initiator will MIC. */
static void
tamper(gss_buffer_desc *tok)
{
    unsigned char *p = tok->value;

    for (size_t i = 0; i + 4 < tok->length; i++) {
        if (p[i] == 0x30 && p[i + 2] == 0x06 && i + 3 + p[i + 3] < tok->length) {
            p[i + 3 + p[i + 3]] ^= 0x01;
            return;
        }
    }
}

static void
step_init(struct run *r, gss_name_t target, gss_buffer_desc *in,
          gss_buffer_desc *out)
{
    OM_uint32 minor;

    if (r->export_each)
        move(&r->init);
    r->imaj = gss_init_sec_context(&minor, r->icred, &r->init, target,
                                   &spnego, r->req, 0, NULL, in, &r->imech,
                                   out, &r->iflags, NULL);
    realm_show("init", r->imaj, minor);
    if (out->length > 0)
        r->tokens++;
}

static void
step_accept(struct run *r, gss_buffer_desc *in, gss_buffer_desc *out)
{
    OM_uint32 minor;

    if (r->export_each)
        move(&r->acc);
    r->amaj = gss_accept_sec_context(&minor, &r->acc, r->acred, in, NULL,
                                     &r->src, &r->amech, out, &r->aflags,
                                     NULL, NULL);
    realm_show("accept", r->amaj, minor);
    if (out->length > 0)
        r->tokens++;
}

/* The whole exchange, each side called while it has a token to read or
 * says it needs one. */
static void
negotiate(struct run *r)
{
    gss_name_t target = realm_service("BATON_SERVICE");
    gss_buffer_desc itok = GSS_C_EMPTY_BUFFER, atok = GSS_C_EMPTY_BUFFER;
    OM_uint32 m;
    bool first = true;

    r->imaj = r->amaj = GSS_S_CONTINUE_NEEDED;
    for (int round = 0; round < 6; round++) {
        if (first || atok.length > 0) {
            step_init(r, target, &atok, &itok);
            gss_release_buffer(&m, &atok);
            if (GSS_ERROR(r->imaj))
                break;
        }
        if (first && r->tamper_list)
            tamper(&itok);
        first = false;
        if (itok.length == 0)
            break;
        step_accept(r, &itok, &atok);
        gss_release_buffer(&m, &itok);
        if (GSS_ERROR(r->amaj) || (atok.length == 0 &&
                                   r->imaj == GSS_S_COMPLETE))
            break;
    }
    gss_release_buffer(&m, &atok);
    gss_release_buffer(&m, &itok);
    gss_release_name(&m, &target);
}

static void
finish_run(struct run *r)
{
    OM_uint32 m;

    gss_delete_sec_context(&m, &r->init, NULL);
    gss_delete_sec_context(&m, &r->acc, NULL);
    gss_release_name(&m, &r->src);
    gss_release_cred(&m, &r->icred);
    gss_release_cred(&m, &r->acred);
}

/* Both directions: a wrap, and a MIC, through the SPNEGO handles. */
static void
check_messages(struct run *r)
{
    gss_buffer_desc msg = { 5, "hello" }, tok, out;
    OM_uint32 minor, m;
    int conf = 0;

    CHECK_MAJOR(gss_wrap(&minor, r->init, 1, GSS_C_QOP_DEFAULT, &msg, &conf,
                         &tok), GSS_S_COMPLETE);
    CHECK_MAJOR(gss_unwrap(&minor, r->acc, &tok, &out, &conf, NULL),
                GSS_S_COMPLETE);
    CHECK(conf == 1 && out.length == 5 && memcmp(out.value, "hello", 5) == 0);
    gss_release_buffer(&m, &tok);
    gss_release_buffer(&m, &out);
    CHECK_MAJOR(gss_get_mic(&minor, r->acc, GSS_C_QOP_DEFAULT, &msg, &tok),
                GSS_S_COMPLETE);
    CHECK_MAJOR(gss_verify_mic(&minor, r->init, &msg, &tok, NULL),
                GSS_S_COMPLETE);
    gss_release_buffer(&m, &tok);
}

/* What a completed negotiation must look like from both ends. */
static void
check_done(struct run *r, int want_tokens)
{
    gss_buffer_desc name = GSS_C_EMPTY_BUFFER;
    gss_OID mech = GSS_C_NO_OID;
    OM_uint32 minor, m;
    int open = 0;
    const char *user = getenv("BATON_USER");

    CHECK_MAJOR(r->imaj, GSS_S_COMPLETE);
    CHECK_MAJOR(r->amaj, GSS_S_COMPLETE);
    if (r->imaj != GSS_S_COMPLETE || r->amaj != GSS_S_COMPLETE)
        return;
    if (r->tokens != want_tokens)
        fprintf(stderr, "  %d context tokens, expected %d\n", r->tokens,
                want_tokens);
    CHECK(r->tokens == want_tokens);
    /* MIT reports the negotiated mechanism, not SPNEGO, on completion. */
    CHECK(gss_oid_equal(r->imech, &krb5));
    CHECK(gss_oid_equal(r->amech, &krb5));
    CHECK(r->iflags & GSS_C_TRANS_FLAG);
    CHECK(r->aflags & GSS_C_INTEG_FLAG);
    CHECK_MAJOR(gss_display_name(&minor, r->src, &name, NULL), GSS_S_COMPLETE);
    CHECK(user != NULL && name.length == strlen(user) &&
          memcmp(name.value, user, name.length) == 0);
    gss_release_buffer(&m, &name);
    CHECK_MAJOR(gss_inquire_context(&minor, r->acc, NULL, NULL, NULL, &mech,
                                    NULL, NULL, &open), GSS_S_COMPLETE);
    CHECK(open == 1 && gss_oid_equal(mech, &krb5));
    check_messages(r);
}

#define MUTUAL (GSS_C_MUTUAL_FLAG | GSS_C_INTEG_FLAG | GSS_C_CONF_FLAG | \
                GSS_C_SEQUENCE_FLAG | GSS_C_REPLAY_FLAG)

/* Kerberos first on both lists: NegTokenInit with the AP-REQ, then
 * accept-completed with the AP-REP; no MICs (RFC 4178 5: optional). */
static void
test_default_mutual(void)
{
    struct run r = { .req = MUTUAL };

    negotiate(&r);
    check_done(&r, 2);
    finish_run(&r);
}

static void
test_default_no_mutual(void)
{
    struct run r = { .req = GSS_C_INTEG_FLAG | GSS_C_CONF_FLAG };

    negotiate(&r);
    check_done(&r, 2);
    finish_run(&r);
}

/* Windows' order: Microsoft's Kerberos OID first.  Same mechanism, same
 * exchange; the acceptor answers with the OID offered. */
static void
test_ms_oid_first(void)
{
    gss_OID_desc *mechs[] = { &krb5_ms, &krb5 };
    struct run r = { .req = MUTUAL };

    r.icred = neg_cred(GSS_C_INITIATE, mechs, 2);
    negotiate(&r);
    check_done(&r, 2);
    finish_run(&r);
}

/* The acceptor takes the initiator's second choice: the optimistic token
 * is dropped, the initiator starts again, and both MICs are exchanged
 * (five tokens: init, request-mic, AP-REQ, AP-REP + MIC, MIC). */
static void
test_reselect_with_mics(void)
{
    gss_OID_desc *mechs[] = { &krb5_old, &krb5 };
    struct run r = { .req = MUTUAL };

    r.icred = neg_cred(GSS_C_INITIATE, mechs, 2);
    negotiate(&r);
    check_done(&r, 5);
    finish_run(&r);
}

/* The same with every step taken by an imported context, both roles. */
static void
test_transfer_every_step(void)
{
    gss_OID_desc *mechs[] = { &krb5_old, &krb5 };
    struct run a = { .req = MUTUAL, .export_each = true };
    struct run b = { .req = MUTUAL, .export_each = true };

    negotiate(&a);
    check_done(&a, 2);
    finish_run(&a);
    b.icred = neg_cred(GSS_C_INITIATE, mechs, 2);
    negotiate(&b);
    check_done(&b, 5);
    finish_run(&b);
}

/* A list altered in transit (a downgrade) is caught by the MICs. */
static void
test_tampered_list(void)
{
    gss_OID_desc *mechs[] = { &krb5_old, &krb5 };
    struct run r = { .req = MUTUAL, .tamper_list = true };

    r.icred = neg_cred(GSS_C_INITIATE, mechs, 2);
    negotiate(&r);
    CHECK(r.imaj == GSS_S_BAD_SIG || r.amaj == GSS_S_BAD_SIG);
    finish_run(&r);
}

/* No common mechanism: the acceptor refuses with GSS_S_BAD_MECH and a
 * reject token; the initiator reading it fails too. */
static void
test_no_common_mech(void)
{
    gss_OID_desc *imechs[] = { &krb5_old }, *amechs[] = { &krb5 };
    gss_buffer_desc itok = GSS_C_EMPTY_BUFFER, atok = GSS_C_EMPTY_BUFFER;
    gss_name_t target = realm_service("BATON_SERVICE");
    struct run r = { .req = MUTUAL };
    OM_uint32 minor, m;

    r.icred = neg_cred(GSS_C_INITIATE, imechs, 1);
    r.acred = neg_cred(GSS_C_ACCEPT, amechs, 1);
    step_init(&r, target, &atok, &itok);
    CHECK_MAJOR(r.imaj, GSS_S_CONTINUE_NEEDED);
    r.amaj = gss_accept_sec_context(&minor, &r.acc, r.acred, &itok, NULL,
                                    NULL, NULL, &atok, NULL, NULL, NULL);
    CHECK_MAJOR(r.amaj, GSS_S_BAD_MECH);
    CHECK(r.acc == GSS_C_NO_CONTEXT);
    CHECK(atok.length > 0);
    gss_release_buffer(&m, &itok);
    step_init(&r, target, &atok, &itok);
    CHECK_MAJOR(r.imaj, GSS_S_BAD_MECH);
    gss_release_buffer(&m, &atok);
    gss_release_buffer(&m, &itok);
    gss_release_name(&m, &target);
    finish_run(&r);
}

/* Per-message calls wait for the end of the negotiation. */
static void
test_no_messages_before_done(void)
{
    gss_OID_desc *mechs[] = { &krb5_old, &krb5 };
    gss_buffer_desc itok = GSS_C_EMPTY_BUFFER, atok = GSS_C_EMPTY_BUFFER;
    gss_buffer_desc msg = { 2, "hi" }, out = GSS_C_EMPTY_BUFFER;
    gss_name_t target = realm_service("BATON_SERVICE");
    struct run r = { .req = MUTUAL };
    OM_uint32 minor, m, flags = 0;
    int open = 1;

    r.icred = neg_cred(GSS_C_INITIATE, mechs, 2);
    step_init(&r, target, &atok, &itok);
    CHECK_MAJOR(gss_wrap(&minor, r.init, 1, 0, &msg, NULL, &out),
                GSS_S_NO_CONTEXT);
    CHECK_MAJOR(gss_inquire_context(&minor, r.init, NULL, NULL, NULL, NULL,
                                    &flags, NULL, &open), GSS_S_COMPLETE);
    CHECK(open == 0 && (flags & GSS_C_TRANS_FLAG) &&
          !(flags & GSS_C_PROT_READY_FLAG));
    gss_release_buffer(&m, &itok);
    gss_release_name(&m, &target);
    finish_run(&r);
}

static void
test_get_neg_mechs(void)
{
    gss_OID_desc *mechs[] = { &krb5_ms, &krb5, &krb5_ms };
    gss_OID_set set = GSS_C_NO_OID_SET;
    gss_OID_set_desc bad = { 1, &spnego };
    gss_cred_id_t c = neg_cred(GSS_C_INITIATE, mechs, 3);
    OM_uint32 minor, m;

    CHECK_MAJOR(gss_get_neg_mechs(&minor, c, &set), GSS_S_COMPLETE);
    CHECK(set != NULL && set->count == 2 &&
          gss_oid_equal(&set->elements[0], &krb5_ms) &&
          gss_oid_equal(&set->elements[1], &krb5));
    gss_release_oid_set(&m, &set);
    /* SPNEGO cannot negotiate itself. */
    CHECK_MAJOR(gss_set_neg_mechs(&minor, c, &bad), GSS_S_BAD_MECH);
    gss_release_cred(&m, &c);
}

/* MIT hands any credential to SPNEGO: a Kerberos-only credential works
 * on both sides. */
static void
test_kerberos_only_creds(void)
{
    gss_OID_set_desc k = { 1, &krb5 };
    struct run r = { .req = MUTUAL };
    OM_uint32 minor;

    CHECK_MAJOR(gss_acquire_cred(&minor, GSS_C_NO_NAME, GSS_C_INDEFINITE, &k,
                                 GSS_C_INITIATE, &r.icred, NULL, NULL),
                GSS_S_COMPLETE);
    CHECK_MAJOR(gss_acquire_cred(&minor, GSS_C_NO_NAME, GSS_C_INDEFINITE, &k,
                                 GSS_C_ACCEPT, &r.acred, NULL, NULL),
                GSS_S_COMPLETE);
    negotiate(&r);
    check_done(&r, 2);
    /* ... but there is no SPNEGO element to restrict. */
    CHECK_MAJOR(gss_set_neg_mechs(&minor, r.icred, &k), GSS_S_UNAVAILABLE);
    finish_run(&r);
}

/* A Negotiate proxy: the credential delegated through SPNEGO starts a
 * SPNEGO negotiation with the next service. */
static void
test_delegated_cred_starts_spnego(void)
{
    const char *s2 = getenv("BATON_SERVICE2");
    gss_buffer_desc b = { strlen(s2 != NULL ? s2 : ""), (void *)s2 };
    gss_buffer_desc itok = GSS_C_EMPTY_BUFFER, atok = GSS_C_EMPTY_BUFFER;
    struct run r = { .req = MUTUAL | GSS_C_DELEG_FLAG };
    gss_ctx_id_t i2 = GSS_C_NO_CONTEXT, a2 = GSS_C_NO_CONTEXT;
    gss_cred_id_t deleg = GSS_C_NO_CREDENTIAL, acred2 = GSS_C_NO_CREDENTIAL;
    gss_name_t t2 = GSS_C_NO_NAME;
    OM_uint32 minor, m, maj;

    negotiate(&r);
    CHECK_MAJOR(r.amaj, GSS_S_COMPLETE);
    /* Once more, this time keeping the delegated credential. */
    gss_delete_sec_context(&m, &r.acc, NULL);
    gss_delete_sec_context(&m, &r.init, NULL);
    gss_release_name(&m, &r.src);
    r.tokens = 0;
    {
        gss_name_t target = realm_service("BATON_SERVICE");

        step_init(&r, target, &atok, &itok);
        gss_release_name(&m, &target);
    }
    CHECK_MAJOR(gss_accept_sec_context(&minor, &r.acc, GSS_C_NO_CREDENTIAL,
                                       &itok, NULL, NULL, NULL, &atok, NULL,
                                       NULL, &deleg), GSS_S_COMPLETE);
    gss_release_buffer(&m, &itok);
    gss_release_buffer(&m, &atok);
    CHECK(deleg != GSS_C_NO_CREDENTIAL);
    CHECK_MAJOR(gss_import_name(&minor, &b, GSS_C_NT_HOSTBASED_SERVICE, &t2),
                GSS_S_COMPLETE);
    maj = gss_init_sec_context(&minor, deleg, &i2, t2, &spnego, MUTUAL, 0,
                               NULL, GSS_C_NO_BUFFER, NULL, &itok, NULL,
                               NULL);
    realm_show("proxy init", maj, minor);
    CHECK_MAJOR(maj, GSS_S_CONTINUE_NEEDED);
    {
        gss_key_value_element_desc kv = { "keytab",
                                          getenv("BATON_SERVICE2_KEYTAB") };
        gss_key_value_set_desc store = { 1, &kv };

        CHECK_MAJOR(gss_acquire_cred_from(&minor, GSS_C_NO_NAME,
                                          GSS_C_INDEFINITE, GSS_C_NO_OID_SET,
                                          GSS_C_ACCEPT, &store, &acred2, NULL,
                                          NULL), GSS_S_COMPLETE);
    }
    maj = gss_accept_sec_context(&minor, &a2, acred2, &itok, NULL, NULL, NULL,
                                 &atok, NULL, NULL, NULL);
    realm_show("proxy accept", maj, minor);
    CHECK_MAJOR(maj, GSS_S_COMPLETE);
    gss_release_buffer(&m, &itok);
    CHECK_MAJOR(gss_init_sec_context(&minor, deleg, &i2, t2, &spnego, MUTUAL,
                                     0, NULL, &atok, NULL, &itok, NULL, NULL),
                GSS_S_COMPLETE);
    gss_release_buffer(&m, &itok);
    gss_release_buffer(&m, &atok);
    gss_delete_sec_context(&m, &i2, NULL);
    gss_delete_sec_context(&m, &a2, NULL);
    gss_release_name(&m, &t2);
    gss_release_cred(&m, &deleg);
    gss_release_cred(&m, &acred2);
    finish_run(&r);
}

/* Names and statuses through the SPNEGO OID, as MIT answers them. */
static void
test_names_and_status(void)
{
    const char *p = getenv("BATON_SERVICE_PRINC");
    gss_buffer_desc b = { strlen(p != NULL ? p : ""), (void *)p }, out;
    gss_name_t n = GSS_C_NO_NAME, c = GSS_C_NO_NAME;
    struct run r = { .req = MUTUAL };
    OM_uint32 minor = 99, m, ctx = 0;

    /* A Kerberos principal name is a valid SPNEGO target. */
    CHECK_MAJOR(gss_import_name(&minor, &b, GSS_KRB5_NT_PRINCIPAL_NAME, &n),
                GSS_S_COMPLETE);
    CHECK_MAJOR(gss_canonicalize_name(&minor, n, &spnego, &c),
                GSS_S_COMPLETE);
    CHECK(minor == 0);
    gss_release_name(&m, &c);
    gss_release_name(&m, &n);
    /* A Kerberos minor code reads as Kerberos with the SPNEGO OID too. */
    CHECK_MAJOR(gss_display_status(&minor, (OM_uint32)KRB5KRB_AP_ERR_MODIFIED,
                                   GSS_C_MECH_CODE, &spnego, &ctx, &out),
                GSS_S_COMPLETE);
    CHECK(out.length > 0 && strstr(out.value, "Unknown") == NULL);
    gss_release_buffer(&m, &out);
    negotiate(&r);
    check_done(&r, 2);
    finish_run(&r);
}

BT_TEST_MAIN(test_default_mutual, test_default_no_mutual, test_ms_oid_first,
             test_reselect_with_mics, test_transfer_every_step,
             test_tampered_list, test_no_common_mech,
             test_no_messages_before_done, test_get_neg_mechs,
             test_kerberos_only_creds, test_delegated_cred_starts_spnego,
             test_names_and_status)
