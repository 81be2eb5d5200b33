/*
 * init_sec_context_reply_fuzz.c - attacks the initiator's second step:
 * gss_init_sec_context on a context waiting for the acceptor's reply, so
 * the framing (ctxtoken.c), the KRB-ERROR path (init.c peer_error) and the
 * AP-REP (aprep.c: outer DER, decryption, EncAPRepPart; init.c
 * take_reply).
 *
 * A fuzzer cannot get past the AP-REP's decryption without the ticket's
 * session key, so the context is not made by a handshake: it is built
 * directly in BT_K5_WAIT_REPLY (krb5_ctx_fixture.h) with a fixed session
 * key and the authenticator time FX_AUTH_CTIME / FX_AUTH_CUSEC that the
 * reply must echo, and published as a glue context.
 *
 * Input: one mode octet -
 *   bit 0 clear: the rest is the reply token as received;
 *   bit 0 set:   the rest is the plaintext EncAPRepPart, which the target
 *                encrypts with the session key (key usage 12) and wraps
 *                into a valid AP-REP and RFC 2743 header, so the fuzzer
 *                explores the parser behind the decryption;
 *   bits 1-3:    the enctype of session key and context key (fx_enctypes,
 *                RFC 4121 ones only);
 *   bit 4:       no GSS_C_REPLAY_FLAG / GSS_C_SEQUENCE_FLAG.
 *
 * Invariants: no output token; on failure the context is still waiting,
 * with the same keys, flags and numbers, and a genuine reply completes it
 * afterwards; on success it is open, the session key is gone and the
 * context key has the right length for an enctype RFC 4121 serves.
 * Either way the open context's Wrap and MIC tokens verify at a peer
 * built from its key, and back.
 */
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include <gssapi/gssapi.h>
#include <gssapi/gssapi_krb5.h>

#include "fuzz.h"
#include "krb5_ctx_fixture.h"

static krb5_context fk;
static gss_name_t target;
/* A genuine reply for each enctype: subkey and sequence number. */
static gss_buffer_desc good[FX_N_GOOD];

/* The EncAPRepPart an acceptor would send for enctype i. */
static krb5_data *
enc_part(size_t i)
{
    krb5_ap_rep_enc_part p;
    krb5_keyblock sub;
    krb5_data *der = NULL;
    uint8_t buf[32];

    memset(&p, 0, sizeof(p));
    fx_key(i, FX_KEY_ACCEPTOR, &sub, buf);
    p.magic = KV5M_AP_REP_ENC_PART;
    p.ctime = FX_AUTH_CTIME;
    p.cusec = FX_AUTH_CUSEC;
    p.subkey = &sub;
    p.seq_number = FX_ACC_SEQ;
    FUZZ_CHECK(encode_krb5_ap_rep_enc_part(&p, &der) == 0);
    return der;
}

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
    gss_buffer_desc n = { sizeof(FX_SERVICE_HBS) - 1, (void *)FX_SERVICE_HBS };
    krb5_keyblock kb;
    krb5_key key;
    krb5_data *der;
    uint8_t buf[32];
    OM_uint32 minor;

    (void)argc;
    (void)argv;
    fx_setup_env_tmp();
    FUZZ_CHECK(krb5_init_context(&fk) == 0);
    FUZZ_CHECK(gss_import_name(&minor, &n, GSS_C_NT_HOSTBASED_SERVICE,
                               &target) == GSS_S_COMPLETE);
    for (size_t i = 0; i < FX_N_GOOD; i++) {
        fx_key(i, FX_KEY_SESSION, &kb, buf);
        FUZZ_CHECK(krb5_k_create_key(fk, &kb, &key) == 0);
        der = enc_part(i);
        FUZZ_CHECK(fx_ap_rep(fk, key, der->data, der->length, &good[i]));
        krb5_free_data(fk, der);
        krb5_k_free_key(fk, key);
    }
    return 0;
}

static OM_uint32
step(gss_ctx_id_t *h, OM_uint32 req, gss_buffer_desc *tok, OM_uint32 *flags)
{
    gss_buffer_desc out = GSS_C_EMPTY_BUFFER;
    gss_OID mech = GSS_C_NO_OID;
    OM_uint32 major, minor, t = 0;

    major = gss_init_sec_context(&minor, GSS_C_NO_CREDENTIAL, h, target,
                                 (gss_OID)gss_mech_krb5, req, 0,
                                 GSS_C_NO_CHANNEL_BINDINGS, tok, &mech, &out,
                                 flags, &t);
    FUZZ_CHECK(out.length == 0 && out.value == NULL);
    return major;
}

static bool
buf_eq(const gss_buffer_desc *a, const gss_buffer_desc *b)
{
    return a->length == b->length &&
           (a->length == 0 || memcmp(a->value, b->value, a->length) == 0);
}

/* Tokens both ways between the open context and a peer holding its key. */
static void
exercise(gss_ctx_id_t h, struct bt_krb5_ctx *c)
{
    gss_buffer_desc m = { 5, (void *)"reply" }, t = GSS_C_EMPTY_BUFFER;
    gss_buffer_desc out = GSS_C_EMPTY_BUFFER;
    gss_ctx_id_t peer = fx_ctx_publish(fx_ctx_peer(fk, c));
    OM_uint32 minor;
    int conf = 0;

    FUZZ_CHECK(gss_wrap(&minor, h, 1, GSS_C_QOP_DEFAULT, &m, &conf, &t) ==
               GSS_S_COMPLETE);
    FUZZ_CHECK(gss_unwrap(&minor, peer, &t, &out, &conf, NULL) ==
               GSS_S_COMPLETE && conf == 1 && buf_eq(&out, &m));
    (void)gss_release_buffer(&minor, &t);
    (void)gss_release_buffer(&minor, &out);
    FUZZ_CHECK(gss_wrap(&minor, peer, 0, GSS_C_QOP_DEFAULT, &m, &conf, &t) ==
               GSS_S_COMPLETE);
    FUZZ_CHECK(gss_unwrap(&minor, h, &t, &out, &conf, NULL) ==
               GSS_S_COMPLETE && conf == 0 && buf_eq(&out, &m));
    (void)gss_release_buffer(&minor, &t);
    (void)gss_release_buffer(&minor, &out);
    FUZZ_CHECK(gss_get_mic(&minor, peer, GSS_C_QOP_DEFAULT, &m, &t) ==
               GSS_S_COMPLETE);
    FUZZ_CHECK(gss_verify_mic(&minor, h, &m, &t, NULL) == GSS_S_COMPLETE);
    (void)gss_release_buffer(&minor, &t);
    FUZZ_CHECK(gss_delete_sec_context(&minor, &peer, NULL) == GSS_S_COMPLETE);
}

static void
check_open(const struct bt_krb5_ctx *c, OM_uint32 flags, size_t et)
{
    krb5_keyblock *kb = NULL;
    bool known = false;

    FUZZ_CHECK(c->state == BT_K5_OPEN && c->session_key == NULL);
    FUZZ_CHECK(flags == (c->flags | GSS_C_PROT_READY_FLAG));
    FUZZ_CHECK(krb5_k_key_keyblock(fk, c->key, &kb) == 0);
    for (size_t i = 0; i < FX_N_GOOD; i++) {
        if (kb->enctype == fx_enctypes[i].e) {
            FUZZ_CHECK(kb->length == fx_enctypes[i].len);
            known = true;
        }
    }
    FUZZ_CHECK(known);
    /* Without an acceptor subkey the initiator's subkey stays. */
    FUZZ_CHECK(c->acceptor_subkey || kb->enctype == fx_enctypes[et].e);
    krb5_free_keyblock(fk, kb);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct fx_ctx_spec spec;
    struct bt_krb5_ctx *c, before;
    gss_buffer_desc tok = GSS_C_EMPTY_BUFFER;
    gss_ctx_id_t h;
    OM_uint32 major, minor, req, flags = 0;
    size_t et;
    bool plain;

    if (size < 1)
        return 0;
    plain = data[0] & 1;
    et = ((size_t)data[0] >> 1 & 7) % FX_N_GOOD;
    req = GSS_C_MUTUAL_FLAG |
          ((data[0] & 0x10) ? 0 : GSS_C_REPLAY_FLAG | GSS_C_SEQUENCE_FLAG);
    memset(&spec, 0, sizeof(spec));
    spec.initiator = true;
    spec.state = BT_K5_WAIT_REPLY;
    spec.flags = req | GSS_C_CONF_FLAG | GSS_C_INTEG_FLAG | GSS_C_TRANS_FLAG;
    spec.enctype = et;
    spec.send_seq = FX_INIT_SEQ;
    c = fx_ctx_new(fk, &spec);
    h = fx_ctx_publish(c);

    if (plain) {
        if (!fx_ap_rep(fk, c->session_key, data + 1, size - 1, &tok)) {
            (void)gss_delete_sec_context(&minor, &h, NULL);
            return 0;
        }
    } else {
        tok.value = (void *)(data + 1);
        tok.length = size - 1;
    }

    before = *c;
    major = step(&h, req, &tok, &flags);
    FUZZ_CHECK(fx_ctx_of(h) == c);
    if (GSS_ERROR(major)) {
        /* Still waiting, nothing changed; a genuine reply still works. */
        FUZZ_CHECK(c->state == BT_K5_WAIT_REPLY);
        FUZZ_CHECK(c->key == before.key && c->session_key != NULL &&
                   c->session_key == before.session_key);
        FUZZ_CHECK(c->acceptor_subkey == before.acceptor_subkey &&
                   c->flags == before.flags &&
                   c->send_seq == before.send_seq &&
                   fx_seqstate_eq(&c->recv, &before.recv));
        FUZZ_CHECK(step(&h, req, &good[et], &flags) == GSS_S_COMPLETE);
        FUZZ_CHECK(c->acceptor_subkey && c->recv.next == FX_ACC_SEQ);
    } else {
        FUZZ_CHECK(major == GSS_S_COMPLETE);
    }
    check_open(c, flags, et);
    /* A further step on an open context is refused. */
    FUZZ_CHECK(GSS_ERROR(step(&h, req, &good[et], &flags)));
    exercise(h, c);
    FUZZ_CHECK(gss_delete_sec_context(&minor, &h, NULL) == GSS_S_COMPLETE);
    if (plain)
        free(tok.value);
    return 0;
}
