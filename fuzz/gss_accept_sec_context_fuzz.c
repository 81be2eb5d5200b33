/*
 * gss_accept_sec_context_fuzz.c - attacks the acceptor's input token
 * parsing: the RFC 4121 4.1 framing (src/mech/krb5/ctxtoken.c), the
 * AP-REQ handling around krb5_rd_req (accept.c: the KRB-ERROR reply and
 * bt_krb5_ap_req_server on refused requests, delegation) and the 0x8003
 * authenticator checksum (authcksum.c), which only a request that
 * krb5_rd_req accepted reaches.
 *
 * No KDC: krb5_fixture.h writes a private krb5.conf, puts a fixed aes256
 * key for host/localhost@FUZZ.TEST in a MEMORY keytab (KRB5_KTNAME), turns
 * the replay cache off (KRB5RCACHETYPE=none, so a seed is accepted on
 * every run) and mints tickets for that key.
 *
 * Input: one mode octet, then
 *   bit 0 clear: the rest is the initial context token, as received
 *     (seeds: real AP-REQs from Baton's and MIT's gss_init_sec_context
 *     and from the fixture, see make_krb5_seeds.c);
 *   bit 0 set: the target builds a genuine AP-REQ with krb5_mk_req_extended
 *     on a minted ticket, so that everything after krb5_rd_req is
 *     explored.  Then octets:
 *       opts: bit 0 AP_OPTS_MUTUAL_REQUIRED, bit 1 AP_OPTS_USE_SUBKEY,
 *             bit 2 an explicit subkey (below), bits 3-5 the ticket's
 *             session enctype (fx_enctypes, legacy ones included),
 *             bit 6 no checksum at all, bit 7 an MD5 checksum of the
 *             field instead of the 0x8003 type;
 *       subkey enctype selector, subkey length, 4 octets "more" (below),
 *       the subkey octets, and the rest is the 0x8003 checksum field
 *       (Lgth | Bnd | Flags [| DlgOpt | Dlgth | Deleg]).
 *     more, last octet: bit 0 asks for a sequence number in the
 *       authenticator (libkrb5 picks it: it has no call to choose one;
 *       without, the number is 0); bit 1 makes the rest a delegation
 *       instead (deleg_field: the field's start, then the plaintext
 *       EncKrbCredPart the target encrypts in the session key, since the
 *       initiator holds that key and may forward anything); bit 2 puts
 *       the TGT in that KRB-CRED twice; bit 3 leaves its EncKrbCredPart
 *       unencrypted (enctype 0, as Heimdal sends delegations), and bit 4
 *       with it labels the clear text with the session key's enctype.
 *   bit 1 of the mode octet passes the fixture's channel bindings.
 *
 * Invariants: a failure leaves no context, name or credential behind (an
 * output token, if any, is a KRB-ERROR); a success is complete at once,
 * with an AP-REP exactly when GSS_C_MUTUAL_FLAG is reported and a
 * delegated credential exactly when GSS_C_DELEG_FLAG is; the context's
 * tokens verify at a peer built from its key, its own Wrap token is
 * refused (wrong direction) without touching its receive window, and
 * every handle is released (LeakSanitizer).
 */
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include <gssapi/gssapi.h>
#include <gssapi/gssapi_krb5.h>

#include "fuzz.h"
#include "krb5_ctx_fixture.h"

static krb5_context fk;
static krb5_keytab keytab;
static krb5_creds tickets[FX_N_ENCTYPES];
static krb5_ticket *tgt_ticket;     /* what a delegation forwards */

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
    krb5_creds tgt;

    (void)argc;
    (void)argv;
    fx_setup_env_tmp();
    FUZZ_CHECK(krb5_init_context(&fk) == 0);
    fx_make_keytab(fk, &keytab);
    for (size_t i = 0; i < FX_N_ENCTYPES; i++)
        fx_service_creds(fk, i, &tickets[i]);
    fx_tgt_creds(fk, &tgt);
    FUZZ_CHECK(krb5_decode_ticket(&tgt.ticket, &tgt_ticket) == 0);
    krb5_free_cred_contents(fk, &tgt);
    return 0;
}

/* Subkey enctypes: the table's, then ones no context may use. */
static const krb5_enctype subkey_types[] = {
    ENCTYPE_AES256_CTS_HMAC_SHA1_96, ENCTYPE_AES128_CTS_HMAC_SHA1_96,
    ENCTYPE_AES128_CTS_HMAC_SHA256_128, ENCTYPE_AES256_CTS_HMAC_SHA384_192,
    ENCTYPE_CAMELLIA128_CTS_CMAC, ENCTYPE_CAMELLIA256_CTS_CMAC,
    ENCTYPE_DES3_CBC_SHA1, ENCTYPE_ARCFOUR_HMAC, ENCTYPE_DES_CBC_CRC,
    ENCTYPE_NULL, -1, 0x7fffffff, 24 /* rc4-exp */,
};

/*
 * Past finding (crashers/gss_accept_sec_context_fuzz-mit-rd-cred-*):
 * krb5_rd_cred before MIT krb5 1.21 dereferences NULL for a KRB-CRED with
 * more tickets than KrbCredInfo entries, or an entry without a client or
 * server; src/mech/krb5/credcheck.c now refuses those before libkrb5 sees
 * them, and this target feeds them through unfiltered.
 *
 * Two later bypasses, also fixed (credcheck.c reads KrbCredInfo fields
 * strictly in order as libkrb5 does, and accept.c reads without keys only
 * an enc-part labelled unencrypted):
 *   crashers/gss_accept_sec_context_fuzz-krb-cred-unknown-field,
 *   crashers/gss_accept_sec_context_fuzz-krb-cred-mislabeled-clear.
 * No input is filtered: a new bypass crashes the target.
 */

/*
 * The checksum field with a delegation whose EncKrbCredPart is the
 * fuzzer's: in[0] is the length of the field's start (Lgth | Bnd | Flags,
 * as given), then that start, then the plaintext, which is encrypted here
 * in the ticket's session key (key usage 14; or left in the clear) into a
 * KRB-CRED carrying the minted TGT (twice if two).  *out is malloc'd.
 */
static bool
deleg_field(const uint8_t *in, size_t n, const krb5_keyblock *session,
            bool two, bool clear, bool mislabel, krb5_data *out)
{
    krb5_ticket *tk[3] = { tgt_ticket, two ? tgt_ticket : NULL, NULL };
    krb5_data plain, *der = NULL;
    krb5_cred cred;
    size_t head, clen = 0;
    uint8_t *p;

    if (n < 1)
        return false;
    head = in[0] < n - 1 ? in[0] : n - 1;
    plain.magic = KV5M_DATA;
    plain.data = (char *)in + 1 + head;
    plain.length = (unsigned int)(n - 1 - head);
    memset(&cred, 0, sizeof(cred));
    cred.magic = KV5M_CRED;
    cred.tickets = tk;
    cred.enc_part.magic = KV5M_ENC_DATA;
    cred.enc_part.enctype = clear && !mislabel ? ENCTYPE_NULL
                                               : session->enctype;
    if (clear)
        clen = plain.length;
    else if (krb5_c_encrypt_length(fk, session->enctype, plain.length,
                                   &clen) != 0)
        return false;
    cred.enc_part.ciphertext.length = (unsigned int)clen;
    cred.enc_part.ciphertext.data = malloc(clen > 0 ? clen : 1);
    FUZZ_CHECK(cred.enc_part.ciphertext.data != NULL);
    if (clear && clen > 0)
        memcpy(cred.enc_part.ciphertext.data, plain.data, clen);
    if ((!clear &&
         krb5_c_encrypt(fk, session, KRB5_KEYUSAGE_KRB_CRED_ENCPART, NULL,
                        &plain, &cred.enc_part) != 0) ||
        encode_krb5_cred(&cred, &der) != 0 || der->length > 0xffff) {
        free(cred.enc_part.ciphertext.data);
        krb5_free_data(fk, der);
        return false;
    }
    free(cred.enc_part.ciphertext.data);
    p = malloc(head + 4 + der->length);
    FUZZ_CHECK(p != NULL);
    memcpy(p, in + 1, head);
    p[head] = 1;                        /* DlgOpt, little-endian */
    p[head + 1] = 0;
    p[head + 2] = (uint8_t)der->length;
    p[head + 3] = (uint8_t)(der->length >> 8);
    memcpy(p + head + 4, der->data, der->length);
    out->magic = KV5M_DATA;
    out->data = (char *)p;
    out->length = (unsigned int)(head + 4 + der->length);
    krb5_free_data(fk, der);
    return true;
}

/* Builds the AP-REQ token described by in[0..n) (after the mode octet). */
static bool
build_ap_req(const uint8_t *in, size_t n, gss_buffer_desc *tok)
{
    krb5_auth_context ac = NULL;
    krb5_keyblock sub;
    krb5_data cksum, der = { KV5M_DATA, 0, NULL };
    krb5_flags ap_opts = 0;
    krb5_creds *creds;
    uint8_t opts, ksel;
    size_t klen;
    uint32_t seq;
    bool ok;

    if (n < 7)
        return false;
    opts = in[0];
    ksel = in[1];
    klen = in[2];
    seq = (uint32_t)in[3] << 24 | (uint32_t)in[4] << 16 |
          (uint32_t)in[5] << 8 | in[6];
    in += 7;
    n -= 7;
    if (klen > n)
        klen = n;
    if (opts & 1)
        ap_opts |= AP_OPTS_MUTUAL_REQUIRED;
    if (opts & 2)
        ap_opts |= AP_OPTS_USE_SUBKEY;
    memset(&sub, 0, sizeof(sub));
    sub.magic = KV5M_KEYBLOCK;
    sub.enctype = subkey_types[ksel % (sizeof(subkey_types) /
                                       sizeof(subkey_types[0]))];
    sub.length = (unsigned int)klen;
    sub.contents = (krb5_octet *)in;
    creds = &tickets[(opts >> 3) % FX_N_ENCTYPES];
    cksum.magic = KV5M_DATA;
    cksum.data = (char *)in + klen;
    cksum.length = (unsigned int)(n - klen);
    if ((seq & 2) && !deleg_field(in + klen, n - klen, &creds->keyblock,
                                  seq & 4, seq & 8, seq & 16, &cksum))
        return false;

    ok = krb5_auth_con_init(fk, &ac) == 0 &&
         krb5_auth_con_setflags(fk, ac, (seq & 1)
                                            ? KRB5_AUTH_CONTEXT_DO_SEQUENCE
                                            : 0) == 0 &&
         krb5_auth_con_set_req_cksumtype(
             fk, ac, (opts & 0x80) ? CKSUMTYPE_RSA_MD5 : 0x8003) == 0 &&
         (!(opts & 4) || klen == 0 ||
          krb5_auth_con_setsendsubkey(fk, ac, &sub) == 0) &&
         krb5_mk_req_extended(fk, &ac, ap_opts,
                              (opts & 0x40) ? NULL : &cksum,
                              creds, &der) == 0;
    if (ac != NULL)
        krb5_auth_con_free(fk, ac);
    if (seq & 2)
        free(cksum.data);
    if (ok)
        fx_frame(0x0100, der.data, der.length, tok);
    krb5_free_data_contents(fk, &der);
    return ok;
}

static bool
oid_is_krb5(gss_const_OID oid)
{
    return oid != GSS_C_NO_OID && oid->length == gss_mech_krb5->length &&
           memcmp(oid->elements, gss_mech_krb5->elements, oid->length) == 0;
}

/* The TOK_ID of a well-framed krb5 context token, or -1. */
static int
tok_id(const gss_buffer_desc *t)
{
    const uint8_t *p = t->value;
    size_t i = 2;

    if (t->length < 2 || p[0] != 0x60)
        return -1;
    if (p[1] & 0x80)
        i += p[1] & 0x7f;
    if (t->length < i + 13 || p[i] != 0x06 || p[i + 1] != 0x09 ||
        memcmp(p + i + 2, gss_mech_krb5->elements, 9) != 0)
        return -1;
    return p[i + 11] << 8 | p[i + 12];
}

static bool
buf_eq(const gss_buffer_desc *a, const void *p, size_t n)
{
    return a->length == n && (n == 0 || memcmp(a->value, p, n) == 0);
}

/* The accepted context's tokens, checked by a peer holding its key. */
static void
exercise(gss_ctx_id_t ctx, OM_uint32 flags)
{
    static const char msg[] = "accepted";
    gss_buffer_desc m = { sizeof(msg) - 1, (void *)msg };
    gss_buffer_desc wc = GSS_C_EMPTY_BUFFER, wi = GSS_C_EMPTY_BUFFER;
    gss_buffer_desc mic = GSS_C_EMPTY_BUFFER, out = GSS_C_EMPTY_BUFFER;
    struct bt_krb5_ctx *c = fx_ctx_of(ctx);
    struct bt_seqstate before;
    gss_ctx_id_t peer;
    OM_uint32 minor, major;
    int conf = -1;

    FUZZ_CHECK(c != NULL && !c->initiator && c->state == BT_K5_OPEN);
    FUZZ_CHECK(c->acceptor_subkey == ((flags & GSS_C_MUTUAL_FLAG) != 0));
    peer = fx_ctx_publish(fx_ctx_peer(fk, c));

    FUZZ_CHECK(gss_wrap(&minor, ctx, 1, GSS_C_QOP_DEFAULT, &m, &conf, &wc) ==
               GSS_S_COMPLETE && conf == 1);
    FUZZ_CHECK(gss_wrap(&minor, ctx, 0, GSS_C_QOP_DEFAULT, &m, &conf, &wi) ==
               GSS_S_COMPLETE && conf == 0);
    FUZZ_CHECK(gss_get_mic(&minor, ctx, GSS_C_QOP_DEFAULT, &m, &mic) ==
               GSS_S_COMPLETE);

    /* Our own token comes back: refused, and the window stays. */
    before = c->recv;
    major = gss_unwrap(&minor, ctx, &wc, &out, &conf, NULL);
    FUZZ_CHECK(major == GSS_S_DEFECTIVE_TOKEN && out.length == 0);
    FUZZ_CHECK(fx_seqstate_eq(&before, &c->recv));

    FUZZ_CHECK(gss_unwrap(&minor, peer, &wc, &out, &conf, NULL) ==
               GSS_S_COMPLETE && conf == 1 && buf_eq(&out, msg, m.length));
    (void)gss_release_buffer(&minor, &out);
    FUZZ_CHECK(gss_unwrap(&minor, peer, &wi, &out, &conf, NULL) ==
               GSS_S_COMPLETE && conf == 0 && buf_eq(&out, msg, m.length));
    (void)gss_release_buffer(&minor, &out);
    FUZZ_CHECK(gss_verify_mic(&minor, peer, &m, &mic, NULL) ==
               GSS_S_COMPLETE);
    (void)gss_release_buffer(&minor, &wc);
    (void)gss_release_buffer(&minor, &wi);
    (void)gss_release_buffer(&minor, &mic);

    /* And the other way. */
    FUZZ_CHECK(gss_wrap(&minor, peer, 1, GSS_C_QOP_DEFAULT, &m, &conf, &wc) ==
               GSS_S_COMPLETE);
    FUZZ_CHECK(gss_unwrap(&minor, ctx, &wc, &out, &conf, NULL) ==
               GSS_S_COMPLETE && buf_eq(&out, msg, m.length));
    (void)gss_release_buffer(&minor, &out);
    (void)gss_release_buffer(&minor, &wc);
    FUZZ_CHECK(gss_delete_sec_context(&minor, &peer, NULL) == GSS_S_COMPLETE);
}

static void
check_success(gss_ctx_id_t *ctx, gss_name_t *src, gss_OID mech,
              gss_buffer_desc *out, OM_uint32 flags, OM_uint32 time_rec,
              gss_cred_id_t *deleg)
{
    const OM_uint32 always = GSS_C_CONF_FLAG | GSS_C_INTEG_FLAG |
                             GSS_C_PROT_READY_FLAG | GSS_C_TRANS_FLAG;
    gss_buffer_desc disp = GSS_C_EMPTY_BUFFER;
    gss_name_t n = GSS_C_NO_NAME;
    gss_cred_usage_t usage = 0;
    OM_uint32 minor, flags2 = 0, life = 0;
    int local = -1, open = -1;
    gss_ctx_id_t stale;

    FUZZ_CHECK(*ctx != GSS_C_NO_CONTEXT && *src != GSS_C_NO_NAME);
    FUZZ_CHECK(oid_is_krb5(mech));
    FUZZ_CHECK((flags & always) == always);
    FUZZ_CHECK(time_rec > 0);
    /* RFC 4121 4.1: an AP-REP exactly for mutual authentication. */
    FUZZ_CHECK(((flags & GSS_C_MUTUAL_FLAG) != 0) == (out->length > 0));
    FUZZ_CHECK(out->length == 0 || tok_id(out) == 0x0200);
    FUZZ_CHECK(((flags & GSS_C_DELEG_FLAG) != 0) ==
               (*deleg != GSS_C_NO_CREDENTIAL));

    FUZZ_CHECK(gss_display_name(&minor, *src, &disp, NULL) == GSS_S_COMPLETE);
    (void)gss_release_buffer(&minor, &disp);
    if (*deleg != GSS_C_NO_CREDENTIAL) {
        FUZZ_CHECK(gss_inquire_cred(&minor, *deleg, &n, NULL, &usage, NULL) ==
                   GSS_S_COMPLETE);
        FUZZ_CHECK(usage == GSS_C_INITIATE && n != GSS_C_NO_NAME);
        (void)gss_release_name(&minor, &n);
        FUZZ_CHECK(gss_release_cred(&minor, deleg) == GSS_S_COMPLETE);
    }

    FUZZ_CHECK(gss_inquire_context(&minor, *ctx, &n, NULL, &life, NULL,
                                   &flags2, &local, &open) == GSS_S_COMPLETE);
    FUZZ_CHECK(local == 0 && open == 1 && flags2 == flags && life > 0);
    (void)gss_release_name(&minor, &n);
    exercise(*ctx, flags);

    stale = *ctx;
    FUZZ_CHECK(gss_delete_sec_context(&minor, ctx, NULL) == GSS_S_COMPLETE);
    FUZZ_CHECK(gss_delete_sec_context(&minor, &stale, NULL) ==
               GSS_S_NO_CONTEXT);
    (void)gss_release_name(&minor, src);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    gss_buffer_desc tok = GSS_C_EMPTY_BUFFER, out = GSS_C_EMPTY_BUFFER;
    gss_ctx_id_t ctx = GSS_C_NO_CONTEXT;
    gss_name_t src = GSS_C_NO_NAME;
    gss_cred_id_t deleg = GSS_C_NO_CREDENTIAL;
    gss_OID mech = GSS_C_NO_OID;
    OM_uint32 major, minor, flags = 0, time_rec = 0;
    bool built;

    if (size < 1)
        return 0;
    built = data[0] & 1;
    if (built) {
        if (!build_ap_req(data + 1, size - 1, &tok))
            return 0;
    } else {
        tok.value = (void *)(data + 1);
        tok.length = size - 1;
    }

    major = gss_accept_sec_context(&minor, &ctx, GSS_C_NO_CREDENTIAL, &tok,
                                   (data[0] & 2) ? fx_bindings()
                                                 : GSS_C_NO_CHANNEL_BINDINGS,
                                   &src, &mech, &out, &flags, &time_rec,
                                   &deleg);
    if (GSS_ERROR(major)) {
        FUZZ_CHECK(ctx == GSS_C_NO_CONTEXT && src == GSS_C_NO_NAME &&
                   deleg == GSS_C_NO_CREDENTIAL);
        FUZZ_CHECK(out.length == 0 || tok_id(&out) == 0x0300);
    } else {
        FUZZ_CHECK(major == GSS_S_COMPLETE);
        check_success(&ctx, &src, mech, &out, flags, time_rec, &deleg);
    }
    (void)gss_release_buffer(&minor, &out);
    if (built)
        free(tok.value);
    return 0;
}
