/*
 * aprep.c - AP-REP parsing and EncAPRepPart decryption through the reader.
 *
 *   AP-REP ::= [APPLICATION 15] SEQUENCE {
 *       pvno [0] INTEGER (5), msg-type [1] INTEGER (15),
 *       enc-part [2] EncryptedData }
 *   EncryptedData ::= SEQUENCE {
 *       etype [0] Int32, kvno [1] UInt32 OPTIONAL, cipher [2] OCTET STRING }
 *   EncAPRepPart ::= [APPLICATION 27] SEQUENCE {
 *       ctime [0] KerberosTime, cusec [1] Microseconds,
 *       subkey [2] EncryptionKey OPTIONAL, seq-number [3] UInt32 OPTIONAL }
 *   EncryptionKey ::= SEQUENCE { keytype [0] Int32, keyvalue [1] OCTET STRING }
 *   AP-REQ ::= [APPLICATION 14] SEQUENCE {
 *       pvno [0], msg-type [1] (14), ap-options [2], ticket [3],
 *       authenticator [4] EncryptedData }
 *   Authenticator ::= [APPLICATION 2] SEQUENCE {
 *       authenticator-vno [0], crealm [1], cname [2], cksum [3] OPTIONAL,
 *       cusec [4], ctime [5], ... }
 */
#include "mech/krb5/aprep.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "util/der.h"
#include "util/mem.h"

/* [n] EXPLICIT OCTET STRING: a reader over its contents. */
static void
rd_ctx_octets(struct bt_reader *r, unsigned n, struct bt_reader *out)
{
    struct bt_reader wrap;

    bt_der_rd_tlv(r, BT_DER_CTX(n), &wrap);
    bt_der_rd_tlv(&wrap, BT_DER_TAG_OCTETS, out);
    if (!bt_rd_done(&wrap))
        bt_rd_fail(r);
}

/* Reads EncryptedData from r into enc and cipher. */
static void
parse_enc_data(struct bt_reader *r, krb5_enc_data *enc,
               struct bt_reader *cipher)
{
    struct bt_reader ed;

    bt_der_rd_tlv(r, BT_DER_TAG_SEQUENCE, &ed);
    enc->enctype = (krb5_enctype)bt_der_rd_ctx_int(&ed, 0);
    if (bt_der_next_is(&ed, BT_DER_CTX(1)))
        enc->kvno = (krb5_kvno)bt_der_rd_ctx_int(&ed, 1);
    rd_ctx_octets(&ed, 2, cipher);
    if (!bt_rd_done(&ed) || !bt_rd_ok(cipher))
        bt_rd_fail(r);
}

/* Decrypts enc into a fresh buffer *plain (caller wipes and frees). */
static krb5_error_code
decrypt(krb5_context k, krb5_key key, krb5_keyusage usage,
        krb5_enc_data *enc, struct bt_reader *cipher, krb5_data *plain)
{
    size_t n;
    krb5_error_code ret;

    enc->ciphertext.data = (char *)bt_rd_rest(cipher, &n);
    enc->ciphertext.length = (unsigned int)n;
    plain->magic = KV5M_DATA;
    plain->length = (unsigned int)n;
    plain->data = malloc(n > 0 ? n : 1);
    if (plain->data == NULL)
        return ENOMEM;
    ret = krb5_k_decrypt(k, key, usage, NULL, enc, plain);
    if (ret != 0) {
        bt_free_secret(plain->data, n);
        plain->data = NULL;
    }
    return ret;
}

/* Reads the outer message; leaves enc describing the ciphertext. */
static void
parse_outer(struct bt_reader *r, krb5_enc_data *enc, struct bt_reader *cipher)
{
    struct bt_reader app, seq, ew;

    bt_der_rd_tlv(r, BT_DER_APP(15), &app);
    bt_der_rd_tlv(&app, BT_DER_TAG_SEQUENCE, &seq);
    if (bt_der_rd_ctx_int(&seq, 0) != 5 || bt_der_rd_ctx_int(&seq, 1) != 15)
        bt_rd_fail(r);
    bt_der_rd_tlv(&seq, BT_DER_CTX(2), &ew);
    parse_enc_data(&ew, enc, cipher);
    if (!bt_rd_done(&ew) || !bt_rd_done(&seq) || !bt_rd_done(&app) ||
        !bt_rd_done(r) || !bt_rd_ok(cipher))
        bt_rd_fail(r);
}

static krb5_error_code
parse_subkey(struct bt_reader *r, struct bt_krb5_aprep *out)
{
    struct bt_reader w, seq, val;
    const uint8_t *p;
    size_t n;

    bt_der_rd_tlv(r, BT_DER_CTX(2), &w);
    bt_der_rd_tlv(&w, BT_DER_TAG_SEQUENCE, &seq);
    out->subkey.enctype = (krb5_enctype)bt_der_rd_ctx_int(&seq, 0);
    rd_ctx_octets(&seq, 1, &val);
    p = bt_rd_rest(&val, &n);
    if (p == NULL || n == 0 || !bt_rd_done(&seq) || !bt_rd_done(&w) ||
        !bt_rd_ok(r))
        return ASN1_BAD_FORMAT;
    out->subkey.contents = malloc(n);
    if (out->subkey.contents == NULL)
        return ENOMEM;
    memcpy(out->subkey.contents, p, n);
    out->subkey.length = (unsigned int)n;
    out->have_subkey = true;
    return 0;
}

static krb5_error_code
parse_enc_part(const krb5_data *plain, struct bt_krb5_aprep *out)
{
    struct bt_reader r, app, seq, t;
    krb5_error_code ret = 0;
    int64_t seqno;

    bt_rd_init(&r, plain->data, plain->length);
    bt_der_rd_tlv(&r, BT_DER_APP(27), &app);
    bt_der_rd_tlv(&app, BT_DER_TAG_SEQUENCE, &seq);
    bt_der_rd_tlv(&seq, BT_DER_CTX(0), &t);
    out->ctime = bt_der_rd_krb5_time(&t);
    if (!bt_rd_done(&t))
        bt_rd_fail(&seq);
    out->cusec = bt_der_rd_ctx_int(&seq, 1);
    if (bt_der_next_is(&seq, BT_DER_CTX(2)))
        ret = parse_subkey(&seq, out);
    if (ret == 0 && bt_der_next_is(&seq, BT_DER_CTX(3))) {
        seqno = bt_der_rd_ctx_int(&seq, 3);
        /* UInt32, though some encoders send it as a negative Int32. */
        if (seqno < INT32_MIN || seqno > UINT32_MAX)
            bt_rd_fail(&seq);
        out->seq = (uint32_t)seqno;
        out->have_seq = true;
    }
    if (ret == 0 && (!bt_rd_done(&seq) || !bt_rd_done(&app) ||
                     !bt_rd_done(&r) || out->cusec < 0 ||
                     out->cusec > 999999))
        ret = ASN1_BAD_FORMAT;
    return ret;
}

krb5_error_code
bt_krb5_read_ap_rep(krb5_context k, krb5_key session, const void *der,
                    size_t len, struct bt_krb5_aprep *out)
{
    struct bt_krb5_aprep rep;
    struct bt_reader r, cipher;
    krb5_enc_data enc;
    krb5_data plain = { 0, 0, NULL };
    krb5_error_code ret;
    size_t n;

    memset(&rep, 0, sizeof(rep));
    memset(&enc, 0, sizeof(enc));
    bt_rd_init(&r, der, len);
    parse_outer(&r, &enc, &cipher);
    if (!bt_rd_ok(&r))
        return KRB5_BADMSGTYPE;
    n = bt_rd_remaining(&cipher);
    ret = decrypt(k, session, KRB5_KEYUSAGE_AP_REP_ENCPART, &enc, &cipher,
                  &plain);
    if (ret == 0)
        ret = parse_enc_part(&plain, &rep);
    bt_free_secret(plain.data, n);
    if (ret != 0) {
        bt_krb5_aprep_free(&rep);
        return ret;
    }
    *out = rep;
    return 0;
}

/* The authenticator's ctime and cusec. */
static krb5_error_code
parse_authenticator(const krb5_data *plain, int64_t *ctime, int64_t *cusec)
{
    struct bt_reader r, app, seq, t;

    bt_rd_init(&r, plain->data, plain->length);
    bt_der_rd_tlv(&r, BT_DER_APP(2), &app);
    bt_der_rd_tlv(&app, BT_DER_TAG_SEQUENCE, &seq);
    bt_der_skip(&seq);                          /* [0] vno */
    bt_der_skip(&seq);                          /* [1] crealm */
    bt_der_skip(&seq);                          /* [2] cname */
    if (bt_der_next_is(&seq, BT_DER_CTX(3)))
        bt_der_skip(&seq);                      /* [3] cksum */
    *cusec = bt_der_rd_ctx_int(&seq, 4);
    bt_der_rd_tlv(&seq, BT_DER_CTX(5), &t);
    *ctime = bt_der_rd_krb5_time(&t);
    return bt_rd_ok(&seq) && bt_rd_done(&t) ? 0 : ASN1_BAD_FORMAT;
}

krb5_error_code
bt_krb5_read_own_ap_req(krb5_context k, krb5_key session, const void *der,
                        size_t len, int64_t *ctime, int64_t *cusec)
{
    struct bt_reader r, app, seq, w, cipher;
    krb5_enc_data enc;
    krb5_data plain = { 0, 0, NULL };
    krb5_error_code ret;
    size_t n;

    memset(&enc, 0, sizeof(enc));
    bt_rd_init(&r, der, len);
    bt_der_rd_tlv(&r, BT_DER_APP(14), &app);
    bt_der_rd_tlv(&app, BT_DER_TAG_SEQUENCE, &seq);
    if (bt_der_rd_ctx_int(&seq, 0) != 5 || bt_der_rd_ctx_int(&seq, 1) != 14)
        bt_rd_fail(&r);
    bt_der_skip(&seq);                          /* [2] ap-options */
    bt_der_skip(&seq);                          /* [3] ticket */
    bt_der_rd_tlv(&seq, BT_DER_CTX(4), &w);
    parse_enc_data(&w, &enc, &cipher);
    if (!bt_rd_ok(&r) || !bt_rd_ok(&seq) || !bt_rd_done(&w))
        return KRB5_BADMSGTYPE;
    n = bt_rd_remaining(&cipher);
    ret = decrypt(k, session, KRB5_KEYUSAGE_AP_REQ_AUTH, &enc, &cipher,
                  &plain);
    if (ret == 0)
        ret = parse_authenticator(&plain, ctime, cusec);
    bt_free_secret(plain.data, n);
    return ret;
}

void
bt_krb5_aprep_free(struct bt_krb5_aprep *rep)
{
    bt_free_secret(rep->subkey.contents, rep->subkey.length);
    memset(rep, 0, sizeof(*rep));
}

#define MAX_COMPONENTS 8
#define GENERAL_STRING 0x1b

/* Reads [n] GeneralString into a NUL-terminated copy in out[size]. */
static void
rd_ctx_string(struct bt_reader *r, unsigned n, char *out, size_t size)
{
    struct bt_reader w, v;
    const uint8_t *p;
    size_t len;

    bt_der_rd_tlv(r, BT_DER_CTX(n), &w);
    bt_der_rd_tlv(&w, GENERAL_STRING, &v);
    p = bt_rd_rest(&v, &len);
    if (p == NULL || len == 0 || len >= size || memchr(p, 0, len) != NULL) {
        bt_rd_fail(r);
        return;
    }
    memcpy(out, p, len);
    out[len] = '\0';
}

krb5_error_code
bt_krb5_ap_req_server(krb5_context k, const void *der, size_t len,
                      krb5_principal *out)
{
    struct bt_reader r, app, seq, tw, tapp, tseq, pw, pseq, nw, names, s;
    char realm[256], comp[MAX_COMPONENTS][256];
    const uint8_t *p;
    size_t n = 0, l;

    bt_rd_init(&r, der, len);
    bt_der_rd_tlv(&r, BT_DER_APP(14), &app);
    bt_der_rd_tlv(&app, BT_DER_TAG_SEQUENCE, &seq);
    bt_der_skip(&seq);                          /* [0] pvno */
    bt_der_skip(&seq);                          /* [1] msg-type */
    bt_der_skip(&seq);                          /* [2] ap-options */
    bt_der_rd_tlv(&seq, BT_DER_CTX(3), &tw);
    bt_der_rd_tlv(&tw, BT_DER_APP(1), &tapp);
    bt_der_rd_tlv(&tapp, BT_DER_TAG_SEQUENCE, &tseq);
    bt_der_skip(&tseq);                         /* [0] tkt-vno */
    rd_ctx_string(&tseq, 1, realm, sizeof(realm));
    bt_der_rd_tlv(&tseq, BT_DER_CTX(2), &pw);
    bt_der_rd_tlv(&pw, BT_DER_TAG_SEQUENCE, &pseq);
    bt_der_skip(&pseq);                         /* [0] name-type */
    bt_der_rd_tlv(&pseq, BT_DER_CTX(1), &nw);
    bt_der_rd_tlv(&nw, BT_DER_TAG_SEQUENCE, &names);
    while (bt_rd_ok(&names) && bt_rd_remaining(&names) > 0 &&
           n < MAX_COMPONENTS) {
        bt_der_rd_tlv(&names, GENERAL_STRING, &s);
        p = bt_rd_rest(&s, &l);
        if (p == NULL || l == 0 || l >= sizeof(comp[n]) ||
            memchr(p, 0, l) != NULL)
            return KRB5_BADMSGTYPE;
        memcpy(comp[n], p, l);
        comp[n++][l] = '\0';
    }
    if (!bt_rd_ok(&tseq) || !bt_rd_done(&names) || n == 0)
        return KRB5_BADMSGTYPE;
    return krb5_build_principal(k, out, (unsigned int)strlen(realm), realm,
                                comp[0], n > 1 ? comp[1] : NULL,
                                n > 2 ? comp[2] : NULL, (char *)NULL);
}
