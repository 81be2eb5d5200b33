/*
 * gss_import_sec_context_fuzz.c - attacks gss_import_sec_context: the
 * interprocess token envelope (src/transfer/envelope.c), the glue's
 * checks and ledger claim (src/glue/transfer_import.c) and the Kerberos
 * context deserializer behind them (src/mech/krb5/serialize.c).
 *
 * Set-up: a private runtime directory (BATON_RUNTIME_DIR, with an empty
 * BATON_CONFIG), the application key FX_APP_KEY (krb5_ctx_fixture.h)
 * set with baton_transfer_set_key, a transfer lifetime of one second (the
 * ledger of used token ids then forgets them quickly).
 *
 * Input: one mode octet, then
 *   mode & 3 == 0: the rest is a token, imported with the app key;
 *   mode & 3 == 3: the same with key source NONE (unsealed tokens only);
 *   mode & 3 == 1: the rest is the payload (a serialized krb5 context) of
 *     an UNSEALED token the target frames with a valid header, imported
 *     with key source NONE - so serialize.c's parser is reached at once;
 *   mode & 3 == 2: the rest is the payload of a SEALED token the target
 *     seals with the app key (bt_env_build), imported with it - the same
 *     parser through the sealed path.
 *   For the framed modes, bit 2 is the header's role, bit 3 its state,
 *   bits 4-5 its policy (uid, pgrp, any, any).  Every framed token has a
 *   fresh random token id and is created now, so the single-use ledger
 *   and the lifetime never refuse a payload for being seen before.
 *
 * Invariants, for every context that imports: it answers inquiries; it
 * can be exported again unless it is open and expired (then the export
 * says so and leaves it); its own export imports again, once only, and
 * exporting that gives the same payload (serialization is a fixed point
 * after one round); an open context wraps and signs, and a peer holding
 * its key unwraps and verifies the result; a partial (initiator) context
 * completes with a genuine AP-REP for its session key and authenticator
 * (both for the re-serialized context and, in the framed modes, for the
 * payload as given, imported again in a new token); every handle is
 * deleted and no memory leaks.  A failed import leaves GSS_C_NO_CONTEXT.
 */
#include <dirent.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <baton/baton.h>
#include <gssapi/gssapi.h>
#include <gssapi/gssapi_krb5.h>

#include "fuzz.h"
#include "krb5_ctx_fixture.h"
#include "transfer/envelope.h"
#include "transfer/keys.h"
#include "util/mem.h"
#include "util/random.h"

static char conf_path[256], rt_dir[256], rt_conf[300];
static krb5_context fk;
static gss_name_t target;
static const uint8_t *app_key = (const uint8_t *)FX_APP_KEY;

/* Removes the runtime directory made at start-up, with whatever the
 * library put in it (the ledger). */
static void
cleanup(void)
{
    char path[600];
    struct dirent *d;
    DIR *dir;

    (void)unlink(conf_path);
    if ((dir = opendir(rt_dir)) != NULL) {
        while ((d = readdir(dir)) != NULL) {
            if (strcmp(d->d_name, ".") == 0 || strcmp(d->d_name, "..") == 0)
                continue;
            snprintf(path, sizeof(path), "%s/%s", rt_dir, d->d_name);
            (void)unlink(path);
        }
        closedir(dir);
    }
    (void)rmdir(rt_dir);
}

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
    gss_buffer_desc n = { sizeof(FX_SERVICE_HBS) - 1,
                          (void *)FX_SERVICE_HBS };
    const char *tmp = getenv("TMPDIR");
    OM_uint32 minor;
    FILE *f;

    (void)argc;
    (void)argv;
    fx_setup_env(conf_path, sizeof(conf_path));
    if (tmp == NULL || strlen(tmp) > 128)
        tmp = "/tmp";
    snprintf(rt_dir, sizeof(rt_dir), "%s/baton-fuzz-rt.XXXXXX", tmp);
    FUZZ_CHECK(mkdtemp(rt_dir) != NULL);
    snprintf(rt_conf, sizeof(rt_conf), "%s/baton.conf", rt_dir);
    atexit(cleanup);
    FUZZ_CHECK((f = fopen(rt_conf, "w")) != NULL && fclose(f) == 0);
    FUZZ_CHECK(setenv("BATON_RUNTIME_DIR", rt_dir, 1) == 0);
    FUZZ_CHECK(setenv("BATON_CONFIG", rt_conf, 1) == 0);
    FUZZ_CHECK(unsetenv("BATON_TRANSFER_POLICY") == 0 &&
               unsetenv("BATON_TRANSFER_KEY") == 0 &&
               unsetenv("BATON_TRANSFER_LIFETIME") == 0 &&
               unsetenv("BATON_TRANSFER_KEY_FD") == 0);
    FUZZ_CHECK(baton_transfer_set_key(app_key, BT_TRANSFER_KEY_LEN) == 0);
    FUZZ_CHECK(baton_transfer_set_policy(BATON_POLICY_UID) == 0);
    FUZZ_CHECK(baton_transfer_set_lifetime(1) == 0);
    FUZZ_CHECK(krb5_init_context(&fk) == 0);
    FUZZ_CHECK(gss_import_name(&minor, &n, GSS_C_NT_HOSTBASED_SERVICE,
                               &target) == GSS_S_COMPLETE);
    return 0;
}

/* A token around payload, with a valid header and a fresh id. */
static void
frame(bool sealed, uint8_t sel, const uint8_t *payload, size_t n,
      gss_buffer_desc *out)
{
    static const uint8_t policies[] = { BATON_POLICY_UID, BATON_POLICY_PGRP,
                                        BATON_POLICY_ANY, BATON_POLICY_ANY };
    struct bt_envelope e;
    uint8_t rnd[sizeof(e.token_id) + sizeof(e.nonce)];
    time_t now = time(NULL);
    void *tok = NULL;
    size_t len = 0;

    memset(&e, 0, sizeof(e));
    e.sealed = sealed;
    e.role = (sel & 4) ? BT_ENV_ROLE_ACCEPTOR : BT_ENV_ROLE_INITIATOR;
    e.state = (sel & 8) ? BT_ENV_STATE_PARTIAL : BT_ENV_STATE_OPEN;
    e.created = (uint64_t)now;
    e.expires = (uint64_t)now + 1;
    e.policy = policies[(sel >> 4) & 3];
    e.binding = e.policy == BATON_POLICY_UID ? (uint64_t)geteuid()
                : e.policy == BATON_POLICY_PGRP ? (uint64_t)getpgrp() : 0;
    if (sealed)
        bt_transfer_key_id(app_key, e.key_id);
    e.oid_len = (uint8_t)gss_mech_krb5->length;
    memcpy(e.oid, gss_mech_krb5->elements, e.oid_len);
    FUZZ_CHECK(bt_random(rnd, sizeof(rnd)) == 0);
    memcpy(e.token_id, rnd, sizeof(e.token_id));
    memcpy(e.nonce, rnd + sizeof(e.token_id), sizeof(e.nonce));
    FUZZ_CHECK(bt_env_build(&e, app_key, payload, n, &tok, &len) ==
               BT_ENV_OK);
    out->value = tok;
    out->length = len;
}

/* The serialized context inside one of our own exports. */
static void
payload_of(const gss_buffer_desc *t, uint8_t **p, size_t *n)
{
    struct bt_envelope e;

    FUZZ_CHECK(bt_env_parse(t->value, t->length, &e) == BT_ENV_OK);
    FUZZ_CHECK(bt_env_open(&e, app_key, p, n) == BT_ENV_OK);
}

static void
ask(gss_ctx_id_t h, OM_uint32 *life, int *local, int *open)
{
    gss_name_t src = GSS_C_NO_NAME, targ = GSS_C_NO_NAME;
    gss_buffer_desc d = GSS_C_EMPTY_BUFFER;
    gss_OID mech = GSS_C_NO_OID;
    OM_uint32 major, minor, flags = 0, t = 0;

    FUZZ_CHECK(gss_inquire_context(&minor, h, NULL, NULL, life, &mech,
                                   &flags, local, open) == GSS_S_COMPLETE);
    FUZZ_CHECK(mech != GSS_C_NO_OID &&
               mech->length == gss_mech_krb5->length);
    major = gss_context_time(&minor, h, &t);
    FUZZ_CHECK(major == (*life > 0 ? GSS_S_COMPLETE : GSS_S_CONTEXT_EXPIRED));
    /* The names stay text until asked for: any text with an '@' imports,
     * so asking may fail to parse it - but then cleanly. */
    major = gss_inquire_context(&minor, h, &src, &targ, NULL, NULL, NULL,
                                NULL, NULL);
    if (major == GSS_S_COMPLETE) {
        FUZZ_CHECK(src != GSS_C_NO_NAME && targ != GSS_C_NO_NAME);
        FUZZ_CHECK(gss_display_name(&minor, src, &d, NULL) == GSS_S_COMPLETE);
        (void)gss_release_buffer(&minor, &d);
        FUZZ_CHECK(gss_display_name(&minor, targ, &d, NULL) ==
                   GSS_S_COMPLETE);
        (void)gss_release_buffer(&minor, &d);
    } else {
        FUZZ_CHECK(GSS_ERROR(major));
        FUZZ_CHECK(src == GSS_C_NO_NAME && targ == GSS_C_NO_NAME);
    }
    (void)gss_release_name(&minor, &src);
    (void)gss_release_name(&minor, &targ);
}

/* An open context: its Wrap token unwraps at a peer holding its key. */
static void
use_open(gss_ctx_id_t h)
{
    gss_buffer_desc m = { 8, (void *)"imported" }, t = GSS_C_EMPTY_BUFFER;
    gss_buffer_desc out = GSS_C_EMPTY_BUFFER;
    struct bt_krb5_ctx *c = fx_ctx_of(h);
    gss_ctx_id_t peer;
    OM_uint32 minor;
    int conf = 0;

    FUZZ_CHECK(c != NULL);
    peer = fx_ctx_publish(fx_ctx_peer(fk, c));
    FUZZ_CHECK(gss_wrap(&minor, h, 1, GSS_C_QOP_DEFAULT, &m, &conf, &t) ==
               GSS_S_COMPLETE);
    FUZZ_CHECK(gss_unwrap(&minor, peer, &t, &out, &conf, NULL) ==
               GSS_S_COMPLETE);
    FUZZ_CHECK(out.length == m.length &&
               memcmp(out.value, m.value, m.length) == 0);
    (void)gss_release_buffer(&minor, &t);
    (void)gss_release_buffer(&minor, &out);
    FUZZ_CHECK(gss_get_mic(&minor, h, GSS_C_QOP_DEFAULT, &m, &t) ==
               GSS_S_COMPLETE);
    FUZZ_CHECK(gss_verify_mic(&minor, peer, &m, &t, NULL) == GSS_S_COMPLETE);
    (void)gss_release_buffer(&minor, &t);
    FUZZ_CHECK(gss_delete_sec_context(&minor, &peer, NULL) == GSS_S_COMPLETE);
}

/* A partial initiator context: the acceptor's genuine AP-REP (for its
 * session key and authenticator, with an acceptor subkey of the context
 * key's enctype) completes it, when one can exist. */
static void
use_partial(gss_ctx_id_t h)
{
    struct bt_krb5_ctx *c = fx_ctx_of(h);
    krb5_ap_rep_enc_part p;
    krb5_keyblock sub;
    uint8_t subkey[64];
    size_t bytes = 0, len = 0;
    krb5_data *der = NULL;
    gss_buffer_desc tok = GSS_C_EMPTY_BUFFER, out = GSS_C_EMPTY_BUFFER;
    OM_uint32 major, minor, flags = 0;

    FUZZ_CHECK(c != NULL && c->initiator && c->session_key != NULL);
    /* RFC 4120 Microseconds: 0..999999; another value cannot be echoed. */
    if (c->auth_cusec < 0 || c->auth_cusec > 999999)
        return;
    memset(&p, 0, sizeof(p));
    p.magic = KV5M_AP_REP_ENC_PART;
    p.ctime = c->auth_ctime;
    p.cusec = c->auth_cusec;
    p.seq_number = 77;
    memset(&sub, 0, sizeof(sub));
    sub.magic = KV5M_KEYBLOCK;
    sub.enctype = krb5_k_key_enctype(fk, c->key);
    FUZZ_CHECK(krb5_c_keylengths(fk, sub.enctype, &bytes, &len) == 0 &&
               len <= sizeof(subkey));
    memset(subkey, 0x5c, len);
    sub.length = (unsigned int)len;
    sub.contents = subkey;
    p.subkey = &sub;
    FUZZ_CHECK(encode_krb5_ap_rep_enc_part(&p, &der) == 0);
    FUZZ_CHECK(fx_ap_rep(fk, c->session_key, der->data, der->length, &tok));
    krb5_free_data(fk, der);
    major = gss_init_sec_context(&minor, GSS_C_NO_CREDENTIAL, &h, target,
                                 (gss_OID)gss_mech_krb5, 0, 0,
                                 GSS_C_NO_CHANNEL_BINDINGS, &tok, NULL, &out,
                                 &flags, NULL);
    FUZZ_CHECK(major == GSS_S_COMPLETE);
    FUZZ_CHECK(c->state == BT_K5_OPEN && c->recv.next == 77 &&
               c->acceptor_subkey);
    free(tok.value);
}

/*
 * Imports one of our own exports, which must work - unless the ledger of
 * used token ids is full: it holds 65536 ids until they expire (here a
 * second after export), and a claim probes 64 slots, so at the tens of
 * thousands of imports a second a fuzzer makes, a claim can find no room.
 * That is the ledger's documented capacity, not a finding; the check is
 * skipped.  Returns false then.
 */
static bool
reimport(gss_buffer_desc *t, gss_ctx_id_t *h)
{
    OM_uint32 major, minor = 0;

    major = gss_import_sec_context(&minor, t, h);
    if (major == GSS_S_UNAVAILABLE && minor == BT_E_TRANSFER_LEDGER_FULL) {
        FUZZ_CHECK(*h == GSS_C_NO_CONTEXT);
        return false;
    }
    if (major != GSS_S_COMPLETE)
        fprintf(stderr, "re-import: major %#x minor %u\n", major, minor);
    FUZZ_CHECK(major == GSS_S_COMPLETE);
    return true;
}

/* Takes the next step with an imported context, then deletes it. */
static void
use(gss_ctx_id_t h)
{
    OM_uint32 minor, life = 0;
    int local = -1, open = -1;

    FUZZ_CHECK(gss_inquire_context(&minor, h, NULL, NULL, &life, NULL, NULL,
                                   &local, &open) == GSS_S_COMPLETE);
    if (open && life > 0)
        use_open(h);
    else if (!open)
        use_partial(h);
    FUZZ_CHECK(gss_delete_sec_context(&minor, &h, NULL) == GSS_S_COMPLETE);
}

static void
check_imported(gss_ctx_id_t h)
{
    gss_buffer_desc t1 = GSS_C_EMPTY_BUFFER, t2 = GSS_C_EMPTY_BUFFER;
    uint8_t *p1 = NULL, *p2 = NULL;
    size_t n1 = 0, n2 = 0;
    OM_uint32 major, minor, life = 0;
    int local = -1, open = -1;
    gss_ctx_id_t h2 = GSS_C_NO_CONTEXT, stale = h;

    FUZZ_CHECK(h != GSS_C_NO_CONTEXT && fx_ctx_of(h) != NULL);
    ask(h, &life, &local, &open);
    /* An acceptor is never partial (serialize.c refuses one). */
    FUZZ_CHECK(open || local);

    major = gss_export_sec_context(&minor, &h, &t1);
    if (open && life == 0) {
        FUZZ_CHECK(major == GSS_S_CONTEXT_EXPIRED && h == stale &&
                   t1.length == 0);
        FUZZ_CHECK(gss_delete_sec_context(&minor, &h, NULL) ==
                   GSS_S_COMPLETE);
        return;
    }
    FUZZ_CHECK(major == GSS_S_COMPLETE && h == GSS_C_NO_CONTEXT);
    FUZZ_CHECK(fx_ctx_of(stale) == NULL);

    /* Our own export imports again (once) and exports to the same
     * payload. */
    if (!reimport(&t1, &h2)) {
        (void)gss_release_buffer(&minor, &t1);
        return;
    }
    FUZZ_CHECK(gss_import_sec_context(&minor, &t1, &h) == GSS_S_NO_CONTEXT &&
               h == GSS_C_NO_CONTEXT);
    FUZZ_CHECK(gss_export_sec_context(&minor, &h2, &t2) == GSS_S_COMPLETE);
    payload_of(&t1, &p1, &n1);
    payload_of(&t2, &p2, &n2);
    FUZZ_CHECK(n1 == n2 && memcmp(p1, p2, n1) == 0);
    bt_free_secret(p1, n1);
    bt_free_secret(p2, n2);
    (void)gss_release_buffer(&minor, &t1);

    if (reimport(&t2, &h2))
        use(h2);
    (void)gss_release_buffer(&minor, &t2);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    gss_buffer_desc tok = GSS_C_EMPTY_BUFFER;
    gss_ctx_id_t h = GSS_C_NO_CONTEXT;
    OM_uint32 major, minor;
    unsigned mode;

    if (size < 1)
        return 0;
    mode = data[0] & 3;
    FUZZ_CHECK(baton_transfer_set_key_source(
                   mode == 1 || mode == 3 ? BATON_KEY_NONE
                                          : BATON_KEY_APP) == 0);
    if (mode == 1 || mode == 2) {
        frame(mode == 2, data[0], data + 1, size - 1, &tok);
    } else {
        tok.value = (void *)(data + 1);
        tok.length = size - 1;
    }
    major = gss_import_sec_context(&minor, &tok, &h);
    if (mode == 1 || mode == 2)
        free(tok.value);
    if (GSS_ERROR(major)) {
        FUZZ_CHECK(h == GSS_C_NO_CONTEXT);
        return 0;
    }
    check_imported(h);
    /* The round trip used a context serialized again; the payload as
     * given (in a new token) is used as it is, too. */
    if (mode == 1 || mode == 2) {
        frame(mode == 2, data[0], data + 1, size - 1, &tok);
        h = GSS_C_NO_CONTEXT;
        if (reimport(&tok, &h))
            use(h);
        free(tok.value);
    }
    return 0;
}
