/*
 * krb5_fixture.h - a Kerberos world without a KDC, shared by the Kerberos
 * fuzz targets and their seed generators (make_krb5_seeds*.c): the same
 * private krb5.conf, fixed keys, and service tickets minted here with the
 * fixed service key instead of being fetched from a KDC.
 *
 * Why minted tickets: an AP-REQ is only worth fuzzing if the acceptor can
 * decrypt its ticket, so ticket and keytab must share a key that never
 * changes.  A KDC's tickets also expire (realm.sh's realms have
 * max_life = 10h) and name a realm of its own; a ticket made here names
 * host/localhost@FUZZ.TEST, ends in 2093 and was issued in 2023.  libkrb5
 * also checks an authenticator's time against the clock (5 minutes by
 * default): the configuration below widens that to FX_CLOCKSKEW (ten
 * years), so seeds minted today keep passing krb5_rd_req until then.
 *
 * libkrb5 has no public call to encrypt a ticket; krb5_encrypt_tkt_part and
 * the ASN.1 encoders are exported by MIT's libkrb5 (the KDC uses them) but
 * declared only in its private k5-int.h, so they are declared here.
 *
 * Only libkrb5 and the RFC 2744 types are used: the MIT seed generator
 * includes this file too, against MIT's <gssapi/gssapi.h>.
 */
#ifndef BATON_FUZZ_KRB5_FIXTURE_H_
#define BATON_FUZZ_KRB5_FIXTURE_H_

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <krb5.h>

#include <gssapi/gssapi.h>

/* MIT libkrb5 exports, private prototypes (k5-int.h). */
krb5_error_code krb5_encrypt_tkt_part(krb5_context, const krb5_keyblock *,
                                      krb5_ticket *);
krb5_error_code encode_krb5_ticket(const krb5_ticket *, krb5_data **);
krb5_error_code encode_krb5_ap_rep(const krb5_ap_rep *, krb5_data **);
krb5_error_code encode_krb5_ap_rep_enc_part(const krb5_ap_rep_enc_part *,
                                            krb5_data **);
krb5_error_code encode_krb5_cred(const krb5_cred *, krb5_data **);
krb5_error_code encode_krb5_enc_cred_part(const krb5_cred_enc_part *,
                                          krb5_data **);
krb5_error_code decode_krb5_enc_cred_part(const krb5_data *,
                                          krb5_cred_enc_part **);
void krb5_free_cred_enc_part(krb5_context, krb5_cred_enc_part *);

#define FX_REALM "FUZZ.TEST"
#define FX_CLIENT "user@FUZZ.TEST"
#define FX_SERVICE "host/localhost@FUZZ.TEST"
#define FX_SERVICE_HBS "host@localhost"
#define FX_TGS "krbtgt/FUZZ.TEST@FUZZ.TEST"
#define FX_KEYTAB "MEMORY:baton-fuzz-service"
#define FX_KVNO 1
/* Ticket times: issued 2023-11-14, valid until 2093 (a krb5_timestamp is
 * read as unsigned since MIT 1.16).  endtime + FX_CLOCKSKEW stays below
 * 2^32, or libkrb5's unsigned arithmetic would wrap and call it expired. */
#define FX_AUTHTIME 1700000000
#define FX_ENDTIME 3900000000u
#define FX_CLOCKSKEW 315360000
/* The authenticator an initiator context under test claims to have sent
 * (the AP-REP must echo it). */
#define FX_AUTH_CTIME 1700000000
#define FX_AUTH_CTIME_STR "20231114221320Z"
#define FX_AUTH_CUSEC 123456
/* Sequence numbers of the contexts built directly. */
#define FX_INIT_SEQ 0x12345678u
#define FX_ACC_SEQ 0x0badcafeu

/* No [realms] section: anything that would contact a KDC fails at once. */
static const char fx_krb5_conf[] =
    "[libdefaults]\n"
    "\tdefault_realm = FUZZ.TEST\n"
    "\tdns_lookup_kdc = false\n"
    "\tdns_lookup_realm = false\n"
    "\tdns_canonicalize_hostname = false\n"
    "\trdns = false\n"
    "\tqualify_shortname = \"\"\n"
    "\tforwardable = true\n"
    "\tclockskew = 315360000\n";

/* Enctypes RFC 4121 contexts use (Baton serves exactly these), then two
 * legacy ones a ticket may still carry (Baton refuses them). */
struct fx_enctype {
    krb5_enctype e;
    unsigned int len;
    const char *name;
};

static const struct fx_enctype fx_enctypes[] = {
    { ENCTYPE_AES256_CTS_HMAC_SHA1_96, 32, "aes256" },
    { ENCTYPE_AES128_CTS_HMAC_SHA1_96, 16, "aes128" },
    { ENCTYPE_AES128_CTS_HMAC_SHA256_128, 16, "aes128sha2" },
    { ENCTYPE_AES256_CTS_HMAC_SHA384_192, 32, "aes256sha2" },
    { ENCTYPE_CAMELLIA128_CTS_CMAC, 16, "camellia128" },
    { ENCTYPE_CAMELLIA256_CTS_CMAC, 32, "camellia256" },
    { ENCTYPE_DES3_CBC_SHA1, 24, "des3" },
    { ENCTYPE_ARCFOUR_HMAC, 16, "rc4" },
};
#define FX_N_GOOD 6
#define FX_N_ENCTYPES (sizeof(fx_enctypes) / sizeof(fx_enctypes[0]))

/* Key roles, so that no two fixed keys are equal. */
enum fx_key_role {
    FX_KEY_SERVICE = 1,     /* the service's long-term key (aes256) */
    FX_KEY_SESSION = 2,     /* ticket session keys */
    FX_KEY_SUBKEY = 3,      /* initiator subkeys / context keys */
    FX_KEY_ACCEPTOR = 4,    /* acceptor subkeys */
    FX_KEY_TGT = 5          /* the krbtgt key of the minted TGT */
};

#define FX_CHECK(cond)                                                      \
    do {                                                                    \
        if (!(cond)) {                                                      \
            fprintf(stderr, "%s:%d: fixture: %s\n", __FILE__, __LINE__,     \
                    #cond);                                                 \
            abort();                                                        \
        }                                                                   \
    } while (0)

/* Fixed key bytes for enctype table entry i in role r.  DES3 keys get odd
 * parity on every octet. */
static inline void
fx_key(size_t i, enum fx_key_role r, krb5_keyblock *kb, uint8_t buf[32])
{
    const struct fx_enctype *t = &fx_enctypes[i % FX_N_ENCTYPES];

    for (unsigned int j = 0; j < t->len; j++) {
        uint8_t b = (uint8_t)(0x31 * (unsigned)r + 0x17 * (unsigned)i +
                              0x0b * j + 0x5a);

        if (t->e == ENCTYPE_DES3_CBC_SHA1)
            b = (uint8_t)((b & 0xfe) |
                          !(__builtin_popcount(b & 0xfe) & 1));
        buf[j] = b;
    }
    memset(kb, 0, sizeof(*kb));
    kb->magic = KV5M_KEYBLOCK;
    kb->enctype = t->e;
    kb->length = t->len;
    kb->contents = buf;
}

/* The service key: aes256, in the keytab and in every ticket. */
static inline void
fx_service_key(krb5_keyblock *kb, uint8_t buf[32])
{
    fx_key(0, FX_KEY_SERVICE, kb, buf);
}

/* Writes fx_krb5_conf to a temporary file and points KRB5_CONFIG at it;
 * no replay cache (runs stay deterministic and a seed can be accepted
 * again); the service keytab is FX_KEYTAB.  path receives the file name
 * (for unlink at exit). */
static inline void
fx_setup_env(char *path, size_t size)
{
    const char *tmp = getenv("TMPDIR");
    int fd;

    if (tmp == NULL || strlen(tmp) + 32 > size)
        tmp = "/tmp";
    snprintf(path, size, "%s/baton-fuzz-k5fx.XXXXXX", tmp);
    fd = mkstemp(path);
    FX_CHECK(fd >= 0);
    FX_CHECK(write(fd, fx_krb5_conf, sizeof(fx_krb5_conf) - 1) ==
             (ssize_t)(sizeof(fx_krb5_conf) - 1));
    FX_CHECK(close(fd) == 0);
    FX_CHECK(setenv("KRB5_CONFIG", path, 1) == 0);
    FX_CHECK(setenv("KRB5RCACHETYPE", "none", 1) == 0);
    FX_CHECK(setenv("KRB5_KTNAME", FX_KEYTAB, 1) == 0);
    FX_CHECK(unsetenv("KRB5RCACHENAME") == 0);
    FX_CHECK(unsetenv("KRB5_TRACE") == 0);
}

/* fx_setup_env into the fixture's own file, removed at exit: for targets
 * whose start-up needs no other cleanup. */
__attribute__((unused)) static char fx_conf_file[256];

__attribute__((unused)) static void
fx_remove_conf(void)
{
    (void)unlink(fx_conf_file);
}

static inline void
fx_setup_env_tmp(void)
{
    fx_setup_env(fx_conf_file, sizeof(fx_conf_file));
    FX_CHECK(atexit(fx_remove_conf) == 0);
}

/* Puts the service key into the MEMORY keytab FX_KEYTAB.  The keytab lives
 * as long as a handle to it is open: *kt_out stays open for the process. */
static inline void
fx_make_keytab(krb5_context k, krb5_keytab *kt_out)
{
    krb5_keytab_entry e;
    uint8_t buf[32];

    memset(&e, 0, sizeof(e));
    FX_CHECK(krb5_kt_resolve(k, FX_KEYTAB, kt_out) == 0);
    FX_CHECK(krb5_parse_name(k, FX_SERVICE, &e.principal) == 0);
    e.vno = FX_KVNO;
    e.timestamp = FX_AUTHTIME;
    fx_service_key(&e.key, buf);
    FX_CHECK(krb5_kt_add_entry(k, *kt_out, &e) == 0);
    krb5_free_principal(k, e.principal);
}

/* Mints credentials for client to server: a ticket encrypted in
 * server_key carrying session, with ticket flags tflags.  out is filled
 * (free with krb5_free_cred_contents). */
static inline void
fx_mint(krb5_context k, const krb5_keyblock *server_key, const char *client,
        const char *server, const krb5_keyblock *session, krb5_flags tflags,
        krb5_creds *out)
{
    krb5_enc_tkt_part part;
    krb5_ticket tkt;
    krb5_data *der = NULL;

    memset(&part, 0, sizeof(part));
    memset(&tkt, 0, sizeof(tkt));
    memset(out, 0, sizeof(*out));
    FX_CHECK(krb5_parse_name(k, client, &out->client) == 0);
    FX_CHECK(krb5_parse_name(k, server, &out->server) == 0);
    part.magic = KV5M_ENC_TKT_PART;
    part.flags = tflags;
    part.session = (krb5_keyblock *)session;
    part.client = out->client;
    part.transited.tr_type = KRB5_DOMAIN_X500_COMPRESS;
    part.times.authtime = FX_AUTHTIME;
    part.times.starttime = FX_AUTHTIME;
    part.times.endtime = (krb5_timestamp)FX_ENDTIME;
    tkt.magic = KV5M_TICKET;
    tkt.server = out->server;
    tkt.enc_part2 = &part;
    FX_CHECK(krb5_encrypt_tkt_part(k, server_key, &tkt) == 0);
    tkt.enc_part.kvno = FX_KVNO;
    FX_CHECK(encode_krb5_ticket(&tkt, &der) == 0);
    krb5_free_data_contents(k, &tkt.enc_part.ciphertext);
    out->magic = KV5M_CREDS;
    FX_CHECK(krb5_copy_keyblock_contents(k, session, &out->keyblock) == 0);
    out->times = part.times;
    out->ticket_flags = tflags;
    out->ticket = *der;
    free(der);
}

/* A service ticket for the client to host/localhost, session key from
 * table entry i. */
static inline void
fx_service_creds(krb5_context k, size_t i, krb5_creds *out)
{
    krb5_keyblock sk, sess;
    uint8_t skb[32], sb[32];

    fx_service_key(&sk, skb);
    fx_key(i, FX_KEY_SESSION, &sess, sb);
    fx_mint(k, &sk, FX_CLIENT, FX_SERVICE, &sess, TKT_FLG_FORWARDABLE, out);
}

/* A TGT for the client (its krbtgt key is fixed but known to nobody who
 * matters: it is forwarded, never used). */
static inline void
fx_tgt_creds(krb5_context k, krb5_creds *out)
{
    krb5_keyblock tk, sess;
    uint8_t tkb[32], sb[32];

    fx_key(0, FX_KEY_TGT, &tk, tkb);
    fx_key(0, FX_KEY_SESSION, &sess, sb);
    sb[0] ^= 0xff;                      /* not the service session key */
    fx_mint(k, &tk, FX_CLIENT, FX_TGS, &sess,
            TKT_FLG_FORWARDABLE | TKT_FLG_INITIAL, out);
}

/* A DER length. */
static inline size_t
fx_der_len(uint8_t *p, size_t n)
{
    size_t m = 0;

    if (n < 0x80) {
        p[0] = (uint8_t)n;
        return 1;
    }
    for (size_t v = n; v > 0; v >>= 8)
        m++;
    p[0] = (uint8_t)(0x80 | m);
    for (size_t i = 0; i < m; i++)
        p[1 + i] = (uint8_t)(n >> (8 * (m - 1 - i)));
    return 1 + m;
}

/* An RFC 2743 3.1 / RFC 4121 4.1 context token: the krb5 OID, TOK_ID and
 * body, malloc'd into out. */
static inline void
fx_frame(uint16_t tok_id, const void *body, size_t n, gss_buffer_desc *out)
{
    static const uint8_t oid[] = { 0x06, 0x09, 0x2a, 0x86, 0x48, 0x86,
                                   0xf7, 0x12, 0x01, 0x02, 0x02 };
    size_t inner = sizeof(oid) + 2 + n, hl;
    uint8_t hdr[16], *p;

    hdr[0] = 0x60;
    hl = 1 + fx_der_len(hdr + 1, inner);
    p = malloc(hl + inner);
    FX_CHECK(p != NULL);
    memcpy(p, hdr, hl);
    memcpy(p + hl, oid, sizeof(oid));
    p[hl + sizeof(oid)] = (uint8_t)(tok_id >> 8);
    p[hl + sizeof(oid) + 1] = (uint8_t)tok_id;
    if (n > 0)
        memcpy(p + hl + sizeof(oid) + 2, body, n);
    out->value = p;
    out->length = hl + inner;
}

/* An AP-REP around plain (an EncAPRepPart, or anything), encrypted with
 * key under usage 12 and framed as a context token into out. */
static inline bool
fx_ap_rep(krb5_context k, krb5_key key, const void *plain, size_t n,
          gss_buffer_desc *out)
{
    krb5_data in = { KV5M_DATA, (unsigned int)n, (char *)plain };
    krb5_ap_rep rep;
    krb5_data *der = NULL;
    size_t clen = 0;
    krb5_enctype e = krb5_k_key_enctype(k, key);
    bool ok;

    memset(&rep, 0, sizeof(rep));
    rep.magic = KV5M_AP_REP;
    if (krb5_c_encrypt_length(k, e, n, &clen) != 0)
        return false;
    rep.enc_part.magic = KV5M_ENC_DATA;
    rep.enc_part.enctype = e;
    rep.enc_part.ciphertext.length = (unsigned int)clen;
    rep.enc_part.ciphertext.data = malloc(clen > 0 ? clen : 1);
    FX_CHECK(rep.enc_part.ciphertext.data != NULL);
    ok = krb5_k_encrypt(k, key, KRB5_KEYUSAGE_AP_REP_ENCPART, NULL, &in,
                        &rep.enc_part) == 0 &&
         encode_krb5_ap_rep(&rep, &der) == 0;
    free(rep.enc_part.ciphertext.data);
    if (ok) {
        fx_frame(0x0200, der->data, der->length, out);
        krb5_free_data(k, der);
    }
    return ok;
}

/* The channel bindings the "with bindings" seeds and runs use. */
static inline gss_channel_bindings_t
fx_bindings(void)
{
    static char app[] = "baton-fuzz-channel-binding";
    static struct gss_channel_bindings_struct cb;

    cb.initiator_addrtype = GSS_C_AF_INET;
    cb.initiator_address.length = 4;
    cb.initiator_address.value = (void *)"\x7f\x00\x00\x01";
    cb.acceptor_addrtype = GSS_C_AF_INET;
    cb.acceptor_address.length = 4;
    cb.acceptor_address.value = (void *)"\x7f\x00\x00\x02";
    cb.application_data.length = sizeof(app) - 1;
    cb.application_data.value = app;
    return &cb;
}

#endif /* BATON_FUZZ_KRB5_FIXTURE_H_ */
