/*
 * make_krb5_seeds.c - seeds for the Kerberos fuzz targets, written to
 * fuzz/corpus/TARGET/NAME.  Run by make_krb5_seeds.sh (not built by
 * default, not a fuzz target); MIT's initiator tokens come from
 * make_krb5_seeds_mit.c.
 *
 * Everything is real: AP-REQs from Baton's gss_init_sec_context on tickets
 * minted with the fixture's service key (krb5_fixture.h; no KDC), and from
 * libkrb5 directly where Baton's initiator cannot go without a KDC
 * (delegation, legacy session keys); AP-REPs, Wrap and MIC tokens made with
 * the fixed keys of the contexts the targets build; interprocess tokens
 * exported by Baton from contexts established here, both roles, open and
 * partial.  Each seed starts with the target's mode octet(s).
 */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <baton/baton.h>
#include <gssapi/gssapi.h>
#include <gssapi/gssapi_krb5.h>

#include "krb5_ctx_fixture.h"
#include "krb5_msg_fixture.h"
#include "mech/krb5/authcksum.h"
#include "transfer/envelope.h"

#define ACCEPT "gss_accept_sec_context_fuzz"
#define REPLY "init_sec_context_reply_fuzz"
#define UNWRAP "gss_unwrap_fuzz"
#define MIC "gss_verify_mic_fuzz"
#define IMPORT "gss_import_sec_context_fuzz"

static const char *root;
static krb5_context k;
static krb5_keytab keytab;
static gss_name_t target;
static char conf_path[256], rt_dir[256];

static void
die(const char *what)
{
    fprintf(stderr, "make_krb5_seeds: %s\n", what);
    exit(1);
}

#define NEED(cond)                                                          \
    do {                                                                    \
        if (!(cond))                                                        \
            die(#cond);                                                     \
    } while (0)

/* Writes pre[0..npre) | p[0..n) to root/target/name. */
static void
put(const char *tgt, const char *name, const void *pre, size_t npre,
    const void *p, size_t n)
{
    char path[512];
    FILE *f;

    snprintf(path, sizeof(path), "%s/%s", root, tgt);
    if (mkdir(path, 0755) != 0 && errno != EEXIST)
        die(path);
    snprintf(path, sizeof(path), "%s/%s/%s", root, tgt, name);
    f = fopen(path, "wb");
    if (f == NULL || (npre > 0 && fwrite(pre, 1, npre, f) != npre) ||
        (n > 0 && fwrite(p, 1, n, f) != n) || fclose(f) != 0)
        die(path);
}

static void
put1(const char *tgt, const char *name, uint8_t mode, const void *p,
     size_t n)
{
    put(tgt, name, &mode, 1, p, n);
}

/* ---- initiator credentials: minted TGT and service ticket ------------ */

/* A MEMORY ccache holding the TGT and a service ticket whose session key
 * is fx_enctypes[i]; Baton's initiator uses it (gss_krb5_ccache_name). */
static void
use_ccache(size_t i)
{
    char name[64];
    krb5_ccache cc;
    krb5_principal client;
    krb5_creds tgt, svc;
    OM_uint32 minor;

    snprintf(name, sizeof(name), "MEMORY:baton-seeds-%zu", i);
    NEED(krb5_cc_resolve(k, name, &cc) == 0);
    NEED(krb5_parse_name(k, FX_CLIENT, &client) == 0);
    NEED(krb5_cc_initialize(k, cc, client) == 0);
    fx_tgt_creds(k, &tgt);
    fx_service_creds(k, i, &svc);
    NEED(krb5_cc_store_cred(k, cc, &tgt) == 0);
    NEED(krb5_cc_store_cred(k, cc, &svc) == 0);
    krb5_free_cred_contents(k, &tgt);
    krb5_free_cred_contents(k, &svc);
    krb5_free_principal(k, client);
    krb5_cc_close(k, cc);
    NEED(gss_krb5_ccache_name(&minor, name, NULL) == GSS_S_COMPLETE);
}

/* Baton's first initiator token; the context is returned in *ctx. */
static gss_buffer_desc
init_token(gss_ctx_id_t *ctx, OM_uint32 flags, gss_channel_bindings_t cb)
{
    gss_buffer_desc out = GSS_C_EMPTY_BUFFER;
    OM_uint32 major, minor;

    *ctx = GSS_C_NO_CONTEXT;
    major = gss_init_sec_context(&minor, GSS_C_NO_CREDENTIAL, ctx, target,
                                 (gss_OID)gss_mech_krb5, flags, 0, cb,
                                 GSS_C_NO_BUFFER, NULL, &out, NULL, NULL);
    if (GSS_ERROR(major))
        die("gss_init_sec_context");
    return out;
}

/* ---- gss_accept_sec_context_fuzz ------------------------------------- */

static void
accept_from_baton(const char *name, size_t session, OM_uint32 flags,
                  bool cb)
{
    gss_ctx_id_t ctx;
    gss_buffer_desc tok;
    OM_uint32 minor;

    use_ccache(session);
    tok = init_token(&ctx, flags, cb ? fx_bindings() : NULL);
    put1(ACCEPT, name, cb ? 2 : 0, tok.value, tok.length);
    (void)gss_release_buffer(&minor, &tok);
    (void)gss_delete_sec_context(&minor, &ctx, NULL);
}

/* A KRB-CRED carrying the TGT: encrypted in key, or unencrypted (NULL). */
static krb5_data *
krb_cred(const krb5_keyblock *key)
{
    krb5_auth_context ac = NULL;
    krb5_creds tgt;
    krb5_data *der = NULL;

    fx_tgt_creds(k, &tgt);
    NEED(krb5_auth_con_init(k, &ac) == 0);
    NEED(krb5_auth_con_setflags(k, ac, 0) == 0);
    if (key != NULL)
        NEED(krb5_auth_con_setuseruserkey(k, ac, (krb5_keyblock *)key) == 0);
    NEED(krb5_mk_1cred(k, ac, &tgt, &der, NULL) == 0);
    krb5_auth_con_free(k, ac);
    krb5_free_cred_contents(k, &tgt);
    return der;
}

/* The 0x8003 checksum field (RFC 4121 4.1.1). */
static void
cksum_field(struct bt_writer *w, OM_uint32 flags, bool cb,
            const krb5_data *deleg)
{
    uint8_t bnd[BT_CB_HASH_LEN];

    NEED(bt_cb_hash(cb ? fx_bindings() : NULL, bnd));
    bt_authcksum_write(w, bnd, flags, deleg != NULL ? deleg->data : NULL,
                       deleg != NULL ? deleg->length : 0);
    NEED(bt_wr_ok(w));
}

/* An AP-REQ made with libkrb5 alone, as Baton's initiator would with a
 * KDC: ticket session key i, the checksum field in w. */
static gss_buffer_desc
libkrb5_ap_req(size_t i, krb5_flags opts, const struct bt_writer *w)
{
    krb5_auth_context ac = NULL;
    krb5_creds svc;
    krb5_data cksum = { KV5M_DATA, (unsigned int)w->len, (char *)w->data };
    krb5_data der = { KV5M_DATA, 0, NULL };
    gss_buffer_desc tok;

    fx_service_creds(k, i, &svc);
    NEED(krb5_auth_con_init(k, &ac) == 0);
    NEED(krb5_auth_con_setflags(k, ac, KRB5_AUTH_CONTEXT_DO_SEQUENCE) == 0);
    NEED(krb5_auth_con_set_req_cksumtype(k, ac, 0x8003) == 0);
    NEED(krb5_mk_req_extended(k, &ac, opts | AP_OPTS_USE_SUBKEY, &cksum,
                              &svc, &der) == 0);
    fx_frame(0x0100, der.data, der.length, &tok);
    krb5_free_data_contents(k, &der);
    krb5_auth_con_free(k, ac);
    krb5_free_cred_contents(k, &svc);
    return tok;
}

/* The input of the target's built mode: mode octet, opts, subkey
 * selector, subkey length, "more" (last octet), subkey, checksum field. */
static void
accept_built2(const char *name, bool cb, uint8_t opts, uint8_t ksel,
              const uint8_t *sub, uint8_t klen, uint8_t more,
              const struct bt_writer *ck)
{
    uint8_t pre[8 + 64];

    pre[0] = cb ? 3 : 1;
    pre[1] = opts;
    pre[2] = ksel;
    pre[3] = klen;
    pre[4] = 0;
    pre[5] = 0;
    pre[6] = 0;
    pre[7] = more;
    if (klen > 0)
        memcpy(pre + 8, sub, klen);
    put(ACCEPT, name, pre, 8u + klen, ck->data, ck->len);
}

/* With an authenticator sequence number. */
static void
accept_built(const char *name, bool cb, uint8_t opts, uint8_t ksel,
             const uint8_t *sub, uint8_t klen, const struct bt_writer *ck)
{
    accept_built2(name, cb, opts, ksel, sub, klen, 0x01, ck);
}

/* The EncKrbCredPart forwarding the minted TGT in n (1 or 2) KrbCredInfo
 * entries (nonce and times absent: the KRB-CRED rides in the
 * authenticator), without the client's name unless client. */
static krb5_data *
enc_cred_part(size_t n, bool client)
{
    krb5_creds tgt;
    krb5_cred_info info, *infos[3] = { &info, n > 1 ? &info : NULL, NULL };
    krb5_cred_enc_part ep;
    krb5_data *der = NULL;

    fx_tgt_creds(k, &tgt);
    memset(&info, 0, sizeof(info));
    info.magic = KV5M_CRED_INFO;
    info.session = &tgt.keyblock;
    info.client = client ? tgt.client : NULL;
    info.server = tgt.server;
    info.flags = tgt.ticket_flags;
    info.times = tgt.times;
    memset(&ep, 0, sizeof(ep));
    ep.magic = KV5M_CRED_ENC_PART;
    ep.ticket_info = infos;
    NEED(encode_krb5_enc_cred_part(&ep, &der) == 0);
    krb5_free_cred_contents(k, &tgt);
    return der;
}

/* Built mode, delegation plaintext: the field's start (24 octets: Lgth,
 * Bnd, Flags), then the EncKrbCredPart the target encrypts. */
static void
accept_deleg_plain(const char *name, OM_uint32 flags, uint8_t more,
                   size_t n_infos, bool client)
{
    struct bt_writer w;
    krb5_data *part = enc_cred_part(n_infos, client);

    bt_wr_init(&w, false);
    bt_wr_u8(&w, 24);
    cksum_field(&w, flags, false, NULL);
    bt_wr_bytes(&w, part->data, part->length);
    NEED(bt_wr_ok(&w));
    accept_built2(name, false, 0x01, 0, NULL, 0, more, &w);
    bt_wr_free(&w);
    krb5_free_data(k, part);
}

static void
seeds_accept(void)
{
    const OM_uint32 mutual = GSS_C_MUTUAL_FLAG | GSS_C_REPLAY_FLAG |
                             GSS_C_SEQUENCE_FLAG;
    const OM_uint32 base = GSS_C_CONF_FLAG | GSS_C_INTEG_FLAG;
    krb5_keyblock sess;
    uint8_t sb[32], sub[32];
    struct bt_writer w;
    gss_buffer_desc tok;
    krb5_data *deleg;
    OM_uint32 minor;

    /* Baton's initiator. */
    accept_from_baton("baton-plain", 0, 0, false);
    accept_from_baton("baton-mutual", 0, mutual, false);
    accept_from_baton("baton-mutual-cb", 0, mutual, true);
    accept_from_baton("baton-mutual-aes128sha2", 2, mutual, false);
    accept_from_baton("baton-camellia256", 5, GSS_C_REPLAY_FLAG, false);

    /* Delegation (Baton needs a KDC to forward a TGT): libkrb5 alone. */
    fx_key(0, FX_KEY_SESSION, &sess, sb);
    deleg = krb_cred(&sess);
    bt_wr_init(&w, false);
    cksum_field(&w, base | mutual | GSS_C_DELEG_FLAG, false, deleg);
    tok = libkrb5_ap_req(0, AP_OPTS_MUTUAL_REQUIRED, &w);
    put1(ACCEPT, "krb5-deleg", 0, tok.value, tok.length);
    (void)gss_release_buffer(&minor, &tok);
    accept_built("built-deleg", false, 0x03, 0, NULL, 0, &w);
    bt_wr_free(&w);
    krb5_free_data(k, deleg);

    deleg = krb_cred(NULL);
    bt_wr_init(&w, false);
    cksum_field(&w, base | GSS_C_DELEG_FLAG, true, deleg);
    tok = libkrb5_ap_req(0, 0, &w);
    put1(ACCEPT, "krb5-deleg-unencrypted-cb", 2, tok.value, tok.length);
    (void)gss_release_buffer(&minor, &tok);
    accept_built("built-deleg-unencrypted-cb", true, 0x00, 0, NULL, 0, &w);
    bt_wr_free(&w);
    krb5_free_data(k, deleg);

    accept_deleg_plain("built-deleg-plaintext", base | GSS_C_MUTUAL_FLAG |
                       GSS_C_DELEG_FLAG, 0x03, 1, true);
    accept_deleg_plain("built-deleg-plaintext-two-tickets",
                       base | GSS_C_DELEG_FLAG, 0x06, 2, true);
    accept_deleg_plain("built-deleg-plaintext-unencrypted",
                       base | GSS_C_DELEG_FLAG, 0x0a, 1, true);
    /* Findings, mitigated in 5f1628f (credcheck.c): libkrb5 crashed on
     * more tickets than KrbCredInfo entries, or an entry without client -
     * encrypted or (Heimdal's way) in the clear. */
    accept_deleg_plain("regression-krb-cred-ticket-count",
                       base | GSS_C_DELEG_FLAG, 0x06, 1, true);
    accept_deleg_plain("regression-krb-cred-no-client",
                       base | GSS_C_DELEG_FLAG, 0x02, 1, false);
    accept_deleg_plain("regression-krb-cred-clear-ticket-count",
                       base | GSS_C_DELEG_FLAG, 0x0e, 1, true);

    /* The built mode: checksum fields and subkeys. */
    bt_wr_init(&w, false);
    cksum_field(&w, base, false, NULL);
    tok = libkrb5_ap_req(6, 0, &w);
    put1(ACCEPT, "krb5-legacy-des3", 0, tok.value, tok.length);
    (void)gss_release_buffer(&minor, &tok);
    accept_built("built-plain", false, 0x00, 0, NULL, 0, &w);
    accept_built("built-md5-checksum", false, 0x80, 0, NULL, 0, &w);
    accept_built("built-no-checksum", false, 0x40, 0, NULL, 0, &w);
    accept_built("built-legacy-rc4-ticket", false, 7 << 3, 0, NULL, 0, &w);
    for (int i = 0; i < 32; i++)
        sub[i] = (uint8_t)(0xc0 + i);
    accept_built("built-subkey-aes256", false, 0x04, 0, sub, 32, &w);
    accept_built("built-subkey-short", false, 0x04, 0, sub, 5, &w);
    accept_built("built-subkey-des", false, 0x04, 8, sub, 8, &w);
    bt_wr_free(&w);

    bt_wr_init(&w, false);
    cksum_field(&w, base | mutual, true, NULL);
    accept_built("built-mutual-cb", true, 0x03 | 2 << 3, 0, NULL, 0, &w);
    /* RFC 4121 4.1.1: octets after the fields are extensions. */
    bt_wr_bytes(&w, "\x00\x00\x00\x00\x05\x00\x00\x00" "ext", 11);
    accept_built("built-extension", false, 0x01, 0, NULL, 0, &w);
    bt_wr_free(&w);
}

/* ---- init_sec_context_reply_fuzz ------------------------------------- */

static krb5_key
session_key(size_t i)
{
    krb5_keyblock kb;
    krb5_key key;
    uint8_t b[32];

    fx_key(i, FX_KEY_SESSION, &kb, b);
    NEED(krb5_k_create_key(k, &kb, &key) == 0);
    return key;
}

/* EncAPRepPart with the authenticator's time, subkey (fx_enctypes[sub],
 * length len; none if sub < 0) and sequence number (none if 0). */
static krb5_data *
rep_part(krb5_timestamp ctime, int sub, unsigned int len, krb5_ui_4 seq)
{
    krb5_ap_rep_enc_part p;
    krb5_keyblock kb;
    krb5_data *der = NULL;
    uint8_t b[32];

    memset(&p, 0, sizeof(p));
    p.magic = KV5M_AP_REP_ENC_PART;
    p.ctime = ctime;
    p.cusec = FX_AUTH_CUSEC;
    if (sub >= 0) {
        fx_key((size_t)sub, FX_KEY_ACCEPTOR, &kb, b);
        kb.length = len;
        p.subkey = &kb;
    }
    p.seq_number = seq;
    NEED(encode_krb5_ap_rep_enc_part(&p, &der) == 0);
    return der;
}

static void
reply_seed(const char *name, size_t et, krb5_data *plain)
{
    krb5_key key = session_key(et);
    gss_buffer_desc tok;
    char n2[128];
    OM_uint32 minor;

    snprintf(n2, sizeof(n2), "plain-%s", name);
    put1(REPLY, n2, (uint8_t)(1 | et << 1), plain->data, plain->length);
    NEED(fx_ap_rep(k, key, plain->data, plain->length, &tok));
    put1(REPLY, name, (uint8_t)(et << 1), tok.value, tok.length);
    (void)gss_release_buffer(&minor, &tok);
    krb5_k_free_key(k, key);
    krb5_free_data(k, plain);
}

static void
seeds_reply(void)
{
    krb5_error e;
    krb5_data der = { KV5M_DATA, 0, NULL };
    gss_buffer_desc tok;
    char name[64];
    OM_uint32 minor;

    for (size_t i = 0; i < FX_N_GOOD; i++) {
        snprintf(name, sizeof(name), "ap-rep-%s", fx_enctypes[i].name);
        reply_seed(name, i, rep_part(FX_AUTH_CTIME, (int)i,
                                     fx_enctypes[i].len, FX_ACC_SEQ));
    }
    reply_seed("ap-rep-no-subkey", 0, rep_part(FX_AUTH_CTIME, -1, 0, 7));
    reply_seed("ap-rep-no-seq", 0, rep_part(FX_AUTH_CTIME, 0, 32, 0));
    reply_seed("ap-rep-high-seq", 0,
               rep_part(FX_AUTH_CTIME, 0, 32, 0xfffffffeu));
    reply_seed("ap-rep-wrong-ctime", 0,
               rep_part(FX_AUTH_CTIME + 1, 0, 32, 1));
    reply_seed("ap-rep-short-subkey", 0, rep_part(FX_AUTH_CTIME, 0, 16, 1));
    reply_seed("ap-rep-legacy-subkey", 0, rep_part(FX_AUTH_CTIME, 6, 24, 1));

    /* The acceptor refused: a KRB-ERROR. */
    memset(&e, 0, sizeof(e));
    e.error = KRB5KRB_AP_ERR_SKEW - ERROR_TABLE_BASE_krb5;
    e.stime = FX_AUTH_CTIME;
    NEED(krb5_parse_name(k, FX_SERVICE, &e.server) == 0);
    NEED(krb5_mk_error(k, &e, &der) == 0);
    fx_frame(0x0300, der.data, der.length, &tok);
    put1(REPLY, "krb-error-skew", 0, tok.value, tok.length);
    (void)gss_release_buffer(&minor, &tok);
    krb5_free_data_contents(k, &der);
    krb5_free_principal(k, e.server);
}

/* ---- gss_unwrap_fuzz and gss_verify_mic_fuzz ------------------------- */

static void
rotate_right(uint8_t *p, size_t n, size_t r)
{
    uint8_t *tmp = malloc(n);

    NEED(tmp != NULL);
    for (size_t i = 0; i < n; i++)
        tmp[(i + r) % n] = p[i];
    memcpy(p, tmp, n);
    free(tmp);
}

/* Raw tokens from the peer of the context octets b0, b1 describe. */
static void
msg_raw(const char *tag, uint8_t b0, uint8_t b1)
{
    static const char text[] = "seed message";
    gss_buffer_desc m = { sizeof(text) - 1, (void *)text };
    gss_buffer_desc t = GSS_C_EMPTY_BUFFER;
    struct fx_ctx_spec spec;
    struct bt_krb5_ctx *c;
    gss_ctx_id_t peer;
    uint8_t pre[3] = { b0, b1, (uint8_t)m.length }, *p;
    char name[128];
    OM_uint32 minor;
    int conf;

    fx_msg_spec(b0, b1, &spec);
    c = fx_ctx_new(k, &spec);
    peer = fx_ctx_publish(fx_ctx_peer(k, c));
    NEED(gss_wrap(&minor, peer, 1, GSS_C_QOP_DEFAULT, &m, &conf, &t) ==
         GSS_S_COMPLETE);
    snprintf(name, sizeof(name), "sealed-%s", tag);
    put(UNWRAP, name, pre, 2, t.value, t.length);
    /* The same with RRC 28 (as some peers send; not under the seal). */
    p = t.value;
    p[6] = 0;
    p[7] = 28;
    rotate_right(p + 16, t.length - 16, 28);
    snprintf(name, sizeof(name), "sealed-rrc28-%s", tag);
    put(UNWRAP, name, pre, 2, t.value, t.length);
    (void)gss_release_buffer(&minor, &t);
    NEED(gss_wrap(&minor, peer, 0, GSS_C_QOP_DEFAULT, &m, &conf, &t) ==
         GSS_S_COMPLETE);
    snprintf(name, sizeof(name), "integ-%s", tag);
    put(UNWRAP, name, pre, 2, t.value, t.length);
    (void)gss_release_buffer(&minor, &t);
    NEED(gss_get_mic(&minor, peer, GSS_C_QOP_DEFAULT, &m, &t) ==
         GSS_S_COMPLETE);
    snprintf(name, sizeof(name), "mic-%s", tag);
    {
        /* pre | message | token */
        uint8_t buf[256];

        NEED(3 + m.length + t.length <= sizeof(buf));
        memcpy(buf, pre, 3);
        memcpy(buf + 3, m.value, m.length);
        memcpy(buf + 3 + m.length, t.value, t.length);
        put(MIC, name, buf, 3 + m.length + t.length, NULL, 0);
    }
    (void)gss_release_buffer(&minor, &t);
    (void)gss_delete_sec_context(&minor, &peer, NULL);
    bt_krb5_ctx_free(c);
}

/* Built-mode inputs: header fields the target signs or seals itself. */
static void
msg_built(const char *tag, uint8_t b0, uint8_t b1)
{
    struct fx_ctx_spec spec;
    uint8_t in[64], dir, ec_integ;
    unsigned int cl = 0;
    char name[128];
    size_t w = b1 % (sizeof(fx_windows) / sizeof(fx_windows[0]));

    fx_msg_spec(b0, b1, &spec);
    NEED(krb5_c_crypto_length(k, fx_enctypes[spec.enctype].e,
                              KRB5_CRYPTO_TYPE_CHECKSUM, &cl) == 0);
    ec_integ = (uint8_t)cl;
    dir = (uint8_t)((spec.initiator ? 1 : 0) | (spec.acceptor_subkey ? 4 : 0));

    /* Wrap: flags | filler | EC | RRC | SND_SEQ | tweak | data */
    in[0] = b0 | 1;
    in[1] = b1;
    in[2] = dir | 2;
    in[3] = 0xff;
    in[4] = 0;
    in[5] = 0;
    in[6] = 0;
    in[7] = 0;
    fx_put_be64(in + 8, fx_windows[w].next);
    in[16] = 0;
    memcpy(in + 17, "built", 5);
    snprintf(name, sizeof(name), "built-sealed-%s", tag);
    put(UNWRAP, name, in, 22, NULL, 0);
    in[5] = 16;
    in[7] = 28;
    snprintf(name, sizeof(name), "built-sealed-ec16-rrc28-%s", tag);
    put(UNWRAP, name, in, 22, NULL, 0);
    in[16] = 0x86;
    snprintf(name, sizeof(name), "built-sealed-copy-rrc-%s", tag);
    put(UNWRAP, name, in, 22, NULL, 0);
    in[2] = dir;
    in[5] = ec_integ;
    in[7] = 0;
    in[16] = 0;
    snprintf(name, sizeof(name), "built-integ-%s", tag);
    put(UNWRAP, name, in, 22, NULL, 0);
    in[7] = 3;
    snprintf(name, sizeof(name), "built-integ-rrc3-%s", tag);
    put(UNWRAP, name, in, 22, NULL, 0);

    /* MIC: flags | filler (5) | SND_SEQ | tweak | message */
    in[2] = dir;
    memset(in + 3, 0xff, 5);
    fx_put_be64(in + 8, fx_windows[w].next);
    in[16] = 0;
    memcpy(in + 17, "built", 5);
    snprintf(name, sizeof(name), "built-%s", tag);
    put(MIC, name, in, 22, NULL, 0);
}

static void
seeds_msg(void)
{
    /* Findings, fixed: MIC and integrity-only Wrap of an empty message
     * with a libkrb5 (Camellia) key made the writer compute NULL + 0
     * (904d653). */
    put(MIC, "regression-empty-message",
        "\x81\x00\x00\xff\xff\xff\xff\xff\0\0\0\0\0\0\0\0\0", 17,
        NULL, 0);
    put(UNWRAP, "regression-empty-integ",
        "\x81\x00\x00\xff\x00\x10\0\0\0\0\0\0\0\0\0\0\0", 17,
        NULL, 0);

    /* b0: bit 1 initiator, 2 AcceptorSubkey, 3 replay, 4 sequence,
     * 5-7 enctype; b1: window. */
    msg_raw("acceptor-aes256", 0x18, 0);
    msg_raw("initiator-subkey-aes256", 0x1e, 1);
    msg_raw("initiator-aes128sha2-w2", 0x02 | 2 << 5 | 0x08, 2);
    msg_raw("acceptor-subkey-aes256sha2-w3", 0x04 | 3 << 5 | 0x10, 3);
    msg_raw("initiator-camellia128", 0x02 | 4 << 5 | 0x18, 1);
    msg_raw("acceptor-aes128", 0x00 | 1 << 5, 0);
    msg_built("acceptor-aes256", 0x18, 0);
    msg_built("initiator-subkey-aes256", 0x1e, 1);
    msg_built("initiator-aes256sha2-w2", 0x02 | 3 << 5 | 0x18, 2);
    msg_built("acceptor-camellia256-w3", 0x00 | 5 << 5 | 0x18, 3);
}

/* ---- gss_import_sec_context_fuzz ------------------------------------- */

/* The payload of a partial context with an initiator subkey inserted
 * after its session key (serialize.c's layout): refused since bcc1ffb,
 * leaked before (crashers/gss_import_sec_context_fuzz-partial-init-subkey-
 * leak).  *n is the new length; the caller frees. */
static uint8_t *
with_init_subkey(const uint8_t *p, size_t len, size_t *n)
{
    static const uint8_t key[6 + 32] = { 0, 0, 0, 18, 0, 32, 1, 2, 3 };
    struct bt_reader r;
    size_t at;
    uint8_t *out;

    bt_rd_init(&r, p, len);
    (void)bt_rd_bytes(&r, 16);                  /* octets and numbers */
    for (int i = 0; i < 2; i++)                 /* names */
        (void)bt_rd_bytes(&r, bt_rd_u16be(&r));
    for (int i = 0; i < 2; i++) {               /* context, session key */
        (void)bt_rd_u32be(&r);
        (void)bt_rd_bytes(&r, bt_rd_u16be(&r));
    }
    at = len - bt_rd_remaining(&r);
    /* The empty initiator subkey (enctype 0, length 0) is replaced. */
    NEED(bt_rd_ok(&r) && bt_rd_remaining(&r) >= 6 &&
         memcmp(p + at, "\0\0\0\0\0\0", 6) == 0);
    out = malloc(len + sizeof(key));
    NEED(out != NULL);
    memcpy(out, p, at);
    memcpy(out + at, key, sizeof(key));
    memcpy(out + at + sizeof(key), p + at + 6, len - at - 6);
    *n = len + sizeof(key) - 6;
    return out;
}

static bool have_init_subkey_seed;

/* Exports h (consumed) as seeds: the unsealed token raw, its payload for
 * the framed modes, and the token sealed with the app key. */
static void
import_seeds(const char *tag, gss_ctx_id_t *h)
{
    gss_buffer_desc t = GSS_C_EMPTY_BUFFER, t2 = GSS_C_EMPTY_BUFFER;
    struct bt_envelope e;
    gss_ctx_id_t h2 = GSS_C_NO_CONTEXT;
    char name[128];
    uint8_t sel;
    OM_uint32 minor;

    NEED(baton_transfer_set_key_source(BATON_KEY_NONE) == 0);
    NEED(gss_export_sec_context(&minor, h, &t) == GSS_S_COMPLETE);
    NEED(bt_env_parse(t.value, t.length, &e) == BT_ENV_OK);
    sel = (uint8_t)((e.role == BT_ENV_ROLE_ACCEPTOR ? 4 : 0) |
                    (e.state == BT_ENV_STATE_PARTIAL ? 8 : 0));
    snprintf(name, sizeof(name), "payload-unsealed-%s", tag);
    put1(IMPORT, name, 1 | sel, e.payload, e.payload_len);
    snprintf(name, sizeof(name), "payload-sealed-%s", tag);
    put1(IMPORT, name, 2 | sel, e.payload, e.payload_len);
    snprintf(name, sizeof(name), "token-unsealed-%s", tag);
    put1(IMPORT, name, 3, t.value, t.length);
    if (e.state == BT_ENV_STATE_PARTIAL && !have_init_subkey_seed) {
        size_t n = 0;
        uint8_t *q = with_init_subkey(e.payload, e.payload_len, &n);

        put1(IMPORT, "regression-partial-init-subkey", 1 | sel, q, n);
        free(q);
        have_init_subkey_seed = true;
    }
    NEED(gss_import_sec_context(&minor, &t, &h2) == GSS_S_COMPLETE);
    NEED(baton_transfer_set_key_source(BATON_KEY_APP) == 0);
    NEED(gss_export_sec_context(&minor, &h2, &t2) == GSS_S_COMPLETE);
    snprintf(name, sizeof(name), "token-sealed-%s", tag);
    put1(IMPORT, name, 0, t2.value, t2.length);
    (void)gss_release_buffer(&minor, &t);
    (void)gss_release_buffer(&minor, &t2);
}

/* Accepts tok with the default (keytab) credential. */
static gss_ctx_id_t
accept_token(gss_buffer_desc *tok, gss_buffer_desc *reply)
{
    gss_ctx_id_t ctx = GSS_C_NO_CONTEXT;
    OM_uint32 minor;

    *reply = (gss_buffer_desc)GSS_C_EMPTY_BUFFER;
    if (gss_accept_sec_context(&minor, &ctx, GSS_C_NO_CREDENTIAL, tok,
                               GSS_C_NO_CHANNEL_BINDINGS, NULL, NULL, reply,
                               NULL, NULL, NULL) != GSS_S_COMPLETE)
        die("gss_accept_sec_context");
    return ctx;
}

static void
seeds_import(void)
{
    gss_ctx_id_t ini, acc;
    gss_buffer_desc tok, rep, none = GSS_C_EMPTY_BUFFER;
    OM_uint32 minor;
    char tag[64];

    /* Findings, fixed: an envelope OID length over 64 (cbb964e). */
    {
        uint8_t t[59];

        memset(t, 0, sizeof(t));
        memcpy(t, "\x03" "BTNX\x01\x00\x01\x01", 9);
        t[41] = 1;                          /* policy uid */
        t[58] = 0xff;                       /* OID length */
        put(IMPORT, "regression-envelope-oid-length", t, sizeof(t), NULL,
            0);
    }

    use_ccache(0);
    /* A full mutual handshake: both ends open. */
    tok = init_token(&ini, GSS_C_MUTUAL_FLAG | GSS_C_REPLAY_FLAG |
                           GSS_C_SEQUENCE_FLAG, NULL);
    acc = accept_token(&tok, &rep);
    NEED(gss_init_sec_context(&minor, GSS_C_NO_CREDENTIAL, &ini, target,
                              (gss_OID)gss_mech_krb5, 0, 0, NULL, &rep, NULL,
                              &none, NULL, NULL) == GSS_S_COMPLETE);
    import_seeds("initiator-open-mutual", &ini);
    import_seeds("acceptor-open-mutual", &acc);
    (void)gss_release_buffer(&minor, &tok);
    (void)gss_release_buffer(&minor, &rep);

    /* An initiator waiting for the AP-REP. */
    tok = init_token(&ini, GSS_C_MUTUAL_FLAG, NULL);
    import_seeds("initiator-partial", &ini);
    (void)gss_release_buffer(&minor, &tok);

    /* Without mutual authentication: no acceptor subkey. */
    use_ccache(2);
    tok = init_token(&ini, GSS_C_SEQUENCE_FLAG, NULL);
    acc = accept_token(&tok, &rep);
    import_seeds("initiator-open-aes128sha2", &ini);
    import_seeds("acceptor-open-aes128sha2", &acc);
    (void)gss_release_buffer(&minor, &tok);
    (void)gss_release_buffer(&minor, &rep);

    /* The other enctypes, each end, and partial. */
    for (size_t i = 3; i < FX_N_GOOD; i++) {
        use_ccache(i);
        tok = init_token(&ini, GSS_C_MUTUAL_FLAG | GSS_C_REPLAY_FLAG, NULL);
        acc = accept_token(&tok, &rep);
        (void)gss_release_buffer(&minor, &tok);
        snprintf(tag, sizeof(tag), "initiator-partial-%s",
                 fx_enctypes[i].name);
        import_seeds(tag, &ini);
        snprintf(tag, sizeof(tag), "acceptor-open-%s", fx_enctypes[i].name);
        import_seeds(tag, &acc);
        (void)gss_release_buffer(&minor, &rep);
    }
}

static void
remove_tmp(void)
{
    char p[600];
    struct dirent *d;
    DIR *dir;

    (void)unlink(conf_path);
    if ((dir = opendir(rt_dir)) != NULL) {
        while ((d = readdir(dir)) != NULL) {
            if (strcmp(d->d_name, ".") != 0 && strcmp(d->d_name, "..") != 0) {
                snprintf(p, sizeof(p), "%s/%s", rt_dir, d->d_name);
                (void)unlink(p);
            }
        }
        closedir(dir);
    }
    (void)rmdir(rt_dir);
}

int
main(int argc, char **argv)
{
    gss_buffer_desc n = { sizeof(FX_SERVICE_HBS) - 1,
                          (void *)FX_SERVICE_HBS };
    char p[300];
    OM_uint32 minor;
    FILE *f;

    if (argc != 2) {
        fprintf(stderr, "usage: make_krb5_seeds CORPUS_DIR\n");
        return 2;
    }
    root = argv[1];
    fx_setup_env(conf_path, sizeof(conf_path));
    snprintf(rt_dir, sizeof(rt_dir), "/tmp/baton-seeds-rt.XXXXXX");
    NEED(mkdtemp(rt_dir) != NULL);
    atexit(remove_tmp);
    snprintf(p, sizeof(p), "%s/baton.conf", rt_dir);
    NEED((f = fopen(p, "w")) != NULL && fclose(f) == 0);
    NEED(setenv("BATON_RUNTIME_DIR", rt_dir, 1) == 0);
    NEED(setenv("BATON_CONFIG", p, 1) == 0);
    NEED(baton_transfer_set_key(FX_APP_KEY, BT_TRANSFER_KEY_LEN) == 0);
    NEED(baton_transfer_set_lifetime(86400) == 0);
    NEED(krb5_init_context(&k) == 0);
    fx_make_keytab(k, &keytab);
    NEED(gss_import_name(&minor, &n, GSS_C_NT_HOSTBASED_SERVICE, &target) ==
         GSS_S_COMPLETE);

    seeds_accept();
    seeds_reply();
    seeds_msg();
    seeds_import();

    (void)gss_release_name(&minor, &target);
    krb5_kt_close(k, keytab);
    krb5_free_context(k);
    return 0;
}
