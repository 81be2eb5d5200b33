/*
 * spnego_fixture.h - what the SPNEGO state-machine targets
 * (gss_spnego_accept_fuzz, gss_spnego_init_fuzz) and their seed generator
 * (make_spnego_state_seeds.c) share: the Kerberos world of krb5_fixture.h
 * with an initiator ccache per enctype and the transfer set-up for
 * export/import, the credentials the inputs choose between, and what the
 * Kerberos peer contexts that play the other side do.  The tokens the
 * targets build are spnego_tokens.h's.
 */
#ifndef BATON_FUZZ_SPNEGO_FIXTURE_H_
#define BATON_FUZZ_SPNEGO_FIXTURE_H_

#include <dirent.h>

#include <baton/baton.h>
#include <gssapi/gssapi.h>
#include <gssapi/gssapi_ext.h>
#include <gssapi/gssapi_krb5.h>

#include "fuzz.h"
#include "krb5_ctx_fixture.h"
#include "glue/minor.h"
#include "spnego_tokens.h"

/* Steps a target takes at most (a negotiation needs up to three). */
#define SX_MAX_STEPS 6

/* A MIC the peer made over the list as its first token (PEER) or after
 * others (LATE: out of sequence), over a changed list, or input octets. */
enum mic_src { MIC_NONE, MIC_PEER, MIC_LATE, MIC_TAMPER, MIC_INPUT };

/* ---- the Kerberos world and the transfer set-up ----------------------- */

struct sx_world {
    krb5_context k;
    krb5_keytab kt;
    krb5_ccache cc[FX_N_GOOD];      /* open for the process's life */
    gss_name_t target;
    char conf[256], rt_dir[256];
};

static struct sx_world sx_w;

static inline void
sx_cleanup(void)
{
    char path[600];
    struct dirent *d;
    DIR *dir;

    (void)unlink(sx_w.conf);
    if ((dir = opendir(sx_w.rt_dir)) != NULL) {
        while ((d = readdir(dir)) != NULL) {
            if (strcmp(d->d_name, ".") == 0 || strcmp(d->d_name, "..") == 0)
                continue;
            snprintf(path, sizeof(path), "%s/%s", sx_w.rt_dir, d->d_name);
            (void)unlink(path);
        }
        closedir(dir);
    }
    (void)rmdir(sx_w.rt_dir);
}

/* A MEMORY ccache per RFC 4121 enctype: the TGT and a service ticket for
 * host/localhost whose session key is fx_enctypes[i]. */
static inline void
sx_make_ccache(size_t i)
{
    char name[64];
    krb5_ccache cc;
    krb5_principal client;
    krb5_creds tgt, svc;

    snprintf(name, sizeof(name), "MEMORY:baton-spnego-fuzz-%zu", i);
    FX_CHECK(krb5_cc_resolve(sx_w.k, name, &sx_w.cc[i]) == 0);
    cc = sx_w.cc[i];
    FX_CHECK(krb5_parse_name(sx_w.k, FX_CLIENT, &client) == 0);
    FX_CHECK(krb5_cc_initialize(sx_w.k, cc, client) == 0);
    fx_tgt_creds(sx_w.k, &tgt);
    fx_service_creds(sx_w.k, i, &svc);
    FX_CHECK(krb5_cc_store_cred(sx_w.k, cc, &tgt) == 0);
    FX_CHECK(krb5_cc_store_cred(sx_w.k, cc, &svc) == 0);
    krb5_free_cred_contents(sx_w.k, &tgt);
    krb5_free_cred_contents(sx_w.k, &svc);
    krb5_free_principal(sx_w.k, client);
}

/* The initiator's default ccache from now on: the one of enctype i. */
static inline void
sx_use_ccache(size_t i)
{
    char name[64];
    OM_uint32 minor;

    snprintf(name, sizeof(name), "MEMORY:baton-spnego-fuzz-%zu",
             i % FX_N_GOOD);
    FX_CHECK(gss_krb5_ccache_name(&minor, name, NULL) == GSS_S_COMPLETE);
}

/* Everything: krb5.conf, keytab, ccaches, the target name, a private
 * runtime directory and application key for gss_export_sec_context (a
 * one-second transfer lifetime, so the ledger of used ids forgets fast). */
static inline void
sx_world_init(void)
{
    gss_buffer_desc n = { sizeof(FX_SERVICE_HBS) - 1,
                          (void *)FX_SERVICE_HBS };
    const char *tmp = getenv("TMPDIR");
    char rt_conf[300];
    OM_uint32 minor;
    FILE *f;

    fx_setup_env(sx_w.conf, sizeof(sx_w.conf));
    if (tmp == NULL || strlen(tmp) > 128)
        tmp = "/tmp";
    snprintf(sx_w.rt_dir, sizeof(sx_w.rt_dir), "%s/baton-spfz-rt.XXXXXX",
             tmp);
    FX_CHECK(mkdtemp(sx_w.rt_dir) != NULL);
    atexit(sx_cleanup);
    snprintf(rt_conf, sizeof(rt_conf), "%s/baton.conf", sx_w.rt_dir);
    FX_CHECK((f = fopen(rt_conf, "w")) != NULL && fclose(f) == 0);
    FX_CHECK(setenv("BATON_RUNTIME_DIR", sx_w.rt_dir, 1) == 0);
    FX_CHECK(setenv("BATON_CONFIG", rt_conf, 1) == 0);
    FX_CHECK(unsetenv("BATON_TRANSFER_POLICY") == 0 &&
             unsetenv("BATON_TRANSFER_KEY") == 0 &&
             unsetenv("BATON_TRANSFER_LIFETIME") == 0 &&
             unsetenv("BATON_TRANSFER_KEY_FD") == 0);
    FX_CHECK(baton_transfer_set_key(FX_APP_KEY, 32) == 0);
    FX_CHECK(baton_transfer_set_policy(BATON_POLICY_UID) == 0);
    FX_CHECK(baton_transfer_set_lifetime(1) == 0);
    FX_CHECK(krb5_init_context(&sx_w.k) == 0);
    fx_make_keytab(sx_w.k, &sx_w.kt);
    for (size_t i = 0; i < FX_N_GOOD; i++)
        sx_make_ccache(i);
    sx_use_ccache(0);
    FX_CHECK(gss_import_name(&minor, &n, GSS_C_NT_HOSTBASED_SERVICE,
                             &sx_w.target) == GSS_S_COMPLETE);
}

/* ---- credentials ------------------------------------------------------ */

/* What an input may pass as the SPNEGO credential: none, a Kerberos-only
 * credential (SPNEGO borrows it), or a SPNEGO credential restricted with
 * gss_set_neg_mechs to one of these lists (count 0: not restricted;
 * -1 terminates a list).  The acceptor's and the initiator's tables. */
struct sx_cred_kind {
    bool none, krb5_only, restricted;
    int list[4];
};

static const struct sx_cred_kind sx_acc_creds[8] = {
    { true, false, false, { -1 } },
    { false, true, false, { -1 } },
    { false, false, false, { -1 } },
    { false, false, true, { SX_KRB5_OLD, SX_KRB5, -1 } },
    { false, false, true, { SX_KRB5_MS, -1 } },
    { false, false, true, { SX_KRB5_OLD, -1 } },
    { false, false, true, { SX_KRB5_MS, SX_KRB5_OLD, SX_KRB5, -1 } },
    { false, false, true, { -1 } },
};

static const struct sx_cred_kind sx_init_creds[8] = {
    { true, false, false, { -1 } },
    { false, true, false, { -1 } },
    { false, false, true, { SX_KRB5_OLD, SX_KRB5, -1 } },
    { false, false, true, { SX_KRB5_MS, SX_KRB5, -1 } },
    { false, false, true, { SX_KRB5, SX_KRB5_OLD, -1 } },
    { false, false, true, { SX_KRB5_OLD, -1 } },
    { false, false, true, { SX_KRB5_MS, -1 } },
    { false, false, true, { SX_IAKERB, SX_KRB5_OLD, SX_KRB5_MS, -1 } },
};

/* The mechanisms a credential of kind c allows (its neg list, else
 * Kerberos), as table ids; returns the count.  A neg list entry for a
 * mechanism Baton lacks makes gss_set_neg_mechs fail: sx_cred then
 * leaves the credential unrestricted. */
static inline size_t
sx_allowed(const struct sx_cred_kind *c, int out[4])
{
    size_t n = 0;

    if (!c->restricted) {
        out[0] = SX_KRB5;
        return 1;
    }
    for (size_t i = 0; i < 4 && c->list[i] >= 0; i++) {
        if (c->list[i] == SX_IAKERB) {
            out[0] = SX_KRB5;
            return 1;
        }
        out[n++] = c->list[i];
    }
    return n;
}

/* The acceptor's choice as RFC 4178 and the man page describe it: the
 * first offered mechanism that a credential of kind c allows (the same
 * OID, or Microsoft's Kerberos OID where Kerberos is allowed), or -1. */
static inline int
sx_model_choice(const struct bt_neg_init *ni, const struct sx_cred_kind *c)
{
    int allow[4];
    size_t na = sx_allowed(c, allow);

    for (size_t i = 0; i < ni->n_mechs; i++) {
        int id = sx_oid_id_of(ni->mechs[i].p, ni->mechs[i].len);

        if (id != SX_KRB5 && id != SX_KRB5_MS && id != SX_KRB5_OLD)
            continue;
        for (size_t j = 0; j < na; j++) {
            if (id == allow[j] || (id == SX_KRB5_MS && allow[j] == SX_KRB5))
                return (int)i;
        }
    }
    return -1;
}

/* A credential of kind c for usage (the caller releases it). */
static inline gss_cred_id_t
sx_cred(const struct sx_cred_kind *c, gss_cred_usage_t usage)
{
    gss_OID_desc spnego = sx_oid(SX_SPNEGO), krb5 = sx_oid(SX_KRB5);
    gss_OID_set_desc want = { 1, c->krb5_only ? &krb5 : &spnego };
    gss_OID_desc list[4];
    gss_OID_set_desc neg = { 0, list };
    gss_cred_id_t h = GSS_C_NO_CREDENTIAL;
    OM_uint32 minor, major;

    if (c->none)
        return GSS_C_NO_CREDENTIAL;
    FX_CHECK(gss_acquire_cred(&minor, GSS_C_NO_NAME, GSS_C_INDEFINITE, &want,
                              usage, &h, NULL, NULL) == GSS_S_COMPLETE);
    if (!c->restricted)
        return h;
    for (size_t i = 0; i < 4 && c->list[i] >= 0; i++)
        list[neg.count++] = sx_oid((enum sx_oid_id)c->list[i]);
    major = gss_set_neg_mechs(&minor, h, &neg);
    /* IAKERB is not Baton's: the whole list is refused. */
    FX_CHECK(major == (c->list[0] == SX_IAKERB ? GSS_S_BAD_MECH
                                               : GSS_S_COMPLETE));
    return h;
}

/* ---- contexts --------------------------------------------------------- */

/* Moves a context through gss_export_sec_context and
 * gss_import_sec_context.  False (and no context) only when the ledger of
 * used token ids is full, its documented capacity at a fuzzer's rate. */
static inline bool
sx_move(gss_ctx_id_t *h)
{
    gss_buffer_desc t = GSS_C_EMPTY_BUFFER;
    OM_uint32 major, minor = 0;

    FUZZ_CHECK(gss_export_sec_context(&minor, h, &t) == GSS_S_COMPLETE);
    FUZZ_CHECK(*h == GSS_C_NO_CONTEXT);
    major = gss_import_sec_context(&minor, &t, h);
    (void)gss_release_buffer(&minor, &t);
    if (major == GSS_S_UNAVAILABLE && minor == BT_E_TRANSFER_LEDGER_FULL) {
        FUZZ_CHECK(*h == GSS_C_NO_CONTEXT);
        return false;
    }
    FUZZ_CHECK(major == GSS_S_COMPLETE);
    return true;
}

/* Per-message calls on a context still negotiating: GSS_S_NO_CONTEXT. */
static inline void
sx_check_not_ready(gss_ctx_id_t h)
{
    gss_buffer_desc m = { 2, (void *)"hi" }, t = GSS_C_EMPTY_BUFFER;
    OM_uint32 minor, flags = 0, lim = 0;
    int open = -1;

    FUZZ_CHECK(gss_wrap(&minor, h, 1, GSS_C_QOP_DEFAULT, &m, NULL, &t) ==
               GSS_S_NO_CONTEXT && t.length == 0);
    FUZZ_CHECK(gss_get_mic(&minor, h, GSS_C_QOP_DEFAULT, &m, &t) ==
               GSS_S_NO_CONTEXT && t.length == 0);
    FUZZ_CHECK(gss_verify_mic(&minor, h, &m, &m, NULL) == GSS_S_NO_CONTEXT);
    FUZZ_CHECK(gss_wrap_size_limit(&minor, h, 1, GSS_C_QOP_DEFAULT, 100,
                                   &lim) == GSS_S_NO_CONTEXT);
    FUZZ_CHECK(gss_inquire_context(&minor, h, NULL, NULL, NULL, NULL, &flags,
                                   NULL, &open) == GSS_S_COMPLETE);
    FUZZ_CHECK(open == 0 && (flags & GSS_C_TRANS_FLAG) &&
               !(flags & GSS_C_PROT_READY_FLAG));
}

static inline bool
sx_buf_eq(const gss_buffer_desc *a, const gss_buffer_desc *b)
{
    return a->length == b->length &&
           (a->length == 0 || memcmp(a->value, b->value, a->length) == 0);
}

/* Wrap and MIC tokens from a to b, and back: both ends hold one key. */
static inline void
sx_exercise(gss_ctx_id_t a, gss_ctx_id_t b)
{
    gss_buffer_desc m = { 9, (void *)"spnego-ok" }, t = GSS_C_EMPTY_BUFFER;
    gss_buffer_desc out = GSS_C_EMPTY_BUFFER;
    gss_ctx_id_t from[2] = { a, b }, to[2] = { b, a };
    OM_uint32 minor;
    int conf = 0;

    for (int i = 0; i < 2; i++) {
        FUZZ_CHECK(gss_wrap(&minor, from[i], 1, GSS_C_QOP_DEFAULT, &m, &conf,
                            &t) == GSS_S_COMPLETE && conf == 1);
        FUZZ_CHECK(gss_unwrap(&minor, to[i], &t, &out, &conf, NULL) ==
                   GSS_S_COMPLETE && conf == 1 && sx_buf_eq(&out, &m));
        (void)gss_release_buffer(&minor, &t);
        (void)gss_release_buffer(&minor, &out);
        FUZZ_CHECK(gss_get_mic(&minor, from[i], GSS_C_QOP_DEFAULT, &m, &t) ==
                   GSS_S_COMPLETE);
        FUZZ_CHECK(gss_verify_mic(&minor, to[i], &m, &t, NULL) ==
                   GSS_S_COMPLETE);
        (void)gss_release_buffer(&minor, &t);
    }
}

/* The peer context h makes n MIC tokens nobody sees (its sequence
 * number moves on, as if it had used the context before its MIC). */
static inline void
sx_peer_burn(gss_ctx_id_t h, unsigned n)
{
    gss_buffer_desc m = { 4, (void *)"burn" }, t = GSS_C_EMPTY_BUFFER;
    OM_uint32 minor;

    for (unsigned i = 0; i < n && h != GSS_C_NO_CONTEXT; i++) {
        if (gss_get_mic(&minor, h, GSS_C_QOP_DEFAULT, &m, &t) ==
            GSS_S_COMPLETE)
            (void)gss_release_buffer(&minor, &t);
    }
}

/* A MIC over list by the peer context h: the list as sent, or (tamper)
 * with its last octet changed.  Empty if h cannot make one yet. */
static inline gss_buffer_desc
sx_peer_mic(gss_ctx_id_t h, const struct sx_buf *list, bool tamper)
{
    gss_buffer_desc in = sx_gbuf(list), mic = GSS_C_EMPTY_BUFFER;
    uint8_t *copy = malloc(list->len + 1);
    OM_uint32 minor;

    FX_CHECK(copy != NULL);
    if (list->len > 0)
        memcpy(copy, list->p, list->len);
    if (tamper && list->len > 0)
        copy[list->len - 1] ^= 0x01;
    in.value = copy;
    if (h == GSS_C_NO_CONTEXT ||
        gss_get_mic(&minor, h, GSS_C_QOP_DEFAULT, &in, &mic) !=
            GSS_S_COMPLETE)
        mic.length = 0;
    free(copy);
    return mic;
}

/* A mechListMIC of kind 1-3 into v, by the peer context h (none yet:
 * GSS_C_NO_CONTEXT): 1 its MIC over list, 2 over list with the last
 * octet changed, 3 an octet n: n & 0x80 its MIC after (n & 3) + 1 MIC
 * tokens nobody sees, else n input octets.  *count: the MIC tokens h
 * made so far.  MIC_NONE: h could make none. */
static inline enum mic_src
sx_mic(struct sx_in *in, unsigned kind, gss_ctx_id_t h,
       const struct sx_buf *list, unsigned *count, struct sx_buf *v)
{
    gss_buffer_desc m;
    OM_uint32 minor;
    size_t n = 0;
    const uint8_t *p;
    bool late;

    if (kind == 3 && !((n = sx_u8(in)) & 0x80)) {
        p = sx_take(in, &n);
        sx_put(v, p, n);
        return MIC_INPUT;
    }
    if (kind == 3 && h != GSS_C_NO_CONTEXT) {
        sx_peer_burn(h, (n & 3) + 1);
        *count += (n & 3) + 1;
    }
    late = *count > 0;
    m = sx_peer_mic(h, list, kind == 2);
    if (m.length == 0)
        return MIC_NONE;
    sx_put(v, m.value, m.length);
    (void)gss_release_buffer(&minor, &m);
    (*count)++;
    return kind == 2 ? MIC_TAMPER : late ? MIC_LATE : MIC_PEER;
}

/* SPFZ_TRACE=1: each step's outcome on stderr (to check seeds). */
static inline void
sx_trace(const char *who, int step, OM_uint32 major, OM_uint32 minor,
         size_t out_len)
{
    static int on = -1;

    if (on < 0)
        on = getenv("SPFZ_TRACE") != NULL;
    if (on)
        fprintf(stderr, "%s step %d: major %#x minor %#x, %zu octets out\n",
                who, step, major, minor, out_len);
}

#endif /* BATON_FUZZ_SPNEGO_FIXTURE_H_ */
