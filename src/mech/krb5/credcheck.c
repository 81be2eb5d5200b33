/*
 * credcheck.c - a delegated KRB-CRED (RFC 4120 5.8) is checked before
 * libkrb5 reads it.  MIT's krb5_rd_cred up to 1.20 (Debian 12) dereferences
 * NULL for a message with more tickets than KrbCredInfo entries, or with an
 * entry that names no client or no server; any client holding a ticket for
 * the service could crash the acceptor with one.  Found by
 * fuzz/gss_accept_sec_context_fuzz.
 *
 *   KRB-CRED      ::= [APPLICATION 22] SEQUENCE { pvno [0], msg-type [1],
 *                     tickets [2] SEQUENCE OF Ticket, enc-part [3] }
 *   EncKrbCredPart ::= [APPLICATION 29] SEQUENCE {
 *                     ticket-info [0] SEQUENCE OF KrbCredInfo, ... }
 *   KrbCredInfo   ::= SEQUENCE { key [0], prealm [1], pname [2], ...,
 *                     srealm [8], sname [9], ... }
 */
#include "mech/krb5/ctx.h"

#include <stdlib.h>
#include <string.h>

#include "util/der.h"
#include "util/mem.h"
#include "util/reader.h"

#define KRB_CRED_ENCPART_USAGE 14  /* RFC 4120 7.5.1 */

static size_t
count_elements(struct bt_reader *seq)
{
    size_t n = 0;

    while (bt_rd_ok(seq) && bt_rd_remaining(seq) > 0) {
        bt_der_skip(seq);
        n++;
    }
    return n;
}

/* True if every KrbCredInfo names a client and a server and there are at
 * least n_tickets of them. */
static bool
infos_ok(const uint8_t *plain, size_t len, size_t n_tickets)
{
    struct bt_reader r, part, f, infos, info;
    size_t n = 0;

    bt_rd_init(&r, plain, len);
    bt_der_rd_tlv(&r, BT_DER_APP(29), &part);
    bt_der_rd_tlv(&part, BT_DER_TAG_SEQUENCE, &f);
    bt_der_rd_tlv(&f, BT_DER_CTX(0), &part);
    bt_der_rd_tlv(&part, BT_DER_TAG_SEQUENCE, &infos);
    while (bt_rd_ok(&infos) && bt_rd_remaining(&infos) > 0) {
        bool client = false, server = false;
        int last = -1;

        /* Fields strictly in order, [0]..[10], nothing else: libkrb5's
         * decoder stops at anything out of order and leaves the rest out. */
        bt_der_rd_tlv(&infos, BT_DER_TAG_SEQUENCE, &info);
        while (bt_rd_ok(&info) && bt_rd_remaining(&info) > 0) {
            int tag = bt_rd_peek(&info);

            if (tag < BT_DER_CTX(0) || tag > BT_DER_CTX(10) || tag <= last)
                return false;
            last = tag;
            client = client || tag == BT_DER_CTX(2);
            server = server || tag == BT_DER_CTX(9);
            bt_der_skip(&info);
        }
        if (!bt_rd_ok(&info) || !client || !server)
            return false;
        n++;
    }
    return bt_rd_ok(&infos) && n >= n_tickets;
}

/* Decrypts cipher with key (usage 14) into a fresh buffer; NULL if the key
 * does not open it. */
static uint8_t *
open_part(krb5_context k, krb5_key key, krb5_enctype etype,
          const uint8_t *cipher, size_t len, size_t *out_len)
{
    krb5_enc_data enc;
    krb5_data plain;

    if (key == NULL || len > UINT32_MAX)
        return NULL;
    memset(&enc, 0, sizeof(enc));
    enc.enctype = etype;
    enc.ciphertext.data = (char *)cipher;
    enc.ciphertext.length = (unsigned int)len;
    plain.magic = KV5M_DATA;
    plain.length = (unsigned int)len;
    if ((plain.data = malloc(len > 0 ? len : 1)) == NULL)
        return NULL;
    if (krb5_k_decrypt(k, key, KRB_CRED_ENCPART_USAGE, NULL, &enc,
                       &plain) != 0) {
        bt_free_secret(plain.data, len);
        return NULL;
    }
    *out_len = plain.length;
    return (uint8_t *)plain.data;
}

krb5_error_code
bt_krb5_check_krb_cred(krb5_context k, krb5_auth_context ac,
                       const krb5_data *msg, bool *clear)
{
    struct bt_reader r, body, f, tickets, ed, cipher;
    krb5_key keys[2] = { NULL, NULL };
    uint8_t *plain = NULL;
    size_t n_tickets, plen = 0, clen;
    const uint8_t *c;
    int64_t etype;
    bool ok = false;

    bt_rd_init(&r, msg->data, msg->length);
    bt_der_rd_tlv(&r, BT_DER_APP(22), &f);
    bt_der_rd_tlv(&f, BT_DER_TAG_SEQUENCE, &body);
    (void)bt_der_rd_ctx_int(&body, 0);
    (void)bt_der_rd_ctx_int(&body, 1);
    bt_der_rd_tlv(&body, BT_DER_CTX(2), &f);
    bt_der_rd_tlv(&f, BT_DER_TAG_SEQUENCE, &tickets);
    n_tickets = count_elements(&tickets);
    bt_der_rd_tlv(&body, BT_DER_CTX(3), &f);
    bt_der_rd_tlv(&f, BT_DER_TAG_SEQUENCE, &ed);
    etype = bt_der_rd_ctx_int(&ed, 0);
    if (bt_der_next_is(&ed, BT_DER_CTX(1)))
        bt_der_skip(&ed);
    bt_der_rd_tlv(&ed, BT_DER_CTX(2), &f);
    bt_der_rd_tlv(&f, BT_DER_TAG_OCTETS, &cipher);
    c = bt_rd_rest(&cipher, &clen);
    if (!bt_rd_ok(&tickets) || !bt_rd_ok(&cipher) || c == NULL)
        return KRB5_BADMSGTYPE;
    *clear = etype == 0;
    if (etype == 0)
        return infos_ok(c, clen, n_tickets) ? 0 : KRB5_BADMSGTYPE;
    /* The keys krb5_rd_cred would try: the receiving subkey, the session
     * key.  If neither opens it, krb5_rd_cred cannot read it either. */
    (void)krb5_auth_con_getrecvsubkey_k(k, ac, &keys[0]);
    (void)krb5_auth_con_getkey_k(k, ac, &keys[1]);
    for (int i = 0; i < 2 && plain == NULL; i++)
        plain = open_part(k, keys[i], (krb5_enctype)etype, c, clen, &plen);
    ok = plain == NULL || infos_ok(plain, plen, n_tickets);
    bt_free_secret(plain, plen);
    krb5_k_free_key(k, keys[0]);
    krb5_k_free_key(k, keys[1]);
    return ok ? 0 : KRB5_BADMSGTYPE;
}
