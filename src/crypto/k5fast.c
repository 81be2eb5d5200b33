/*
 * k5fast.c - RFC 3961 simplified profile for the AES enctypes, composed of
 * OpenSSL 3 parts: AES-*-CBC-CTS (CS3, Kerberos' ciphertext stealing),
 * HMAC, KRB5KDF (RFC 3961 DK, for RFC 3962) and KBKDF (SP 800-108 counter
 * mode, RFC 8009's KDF-HMAC-SHA2).
 *
 *   RFC 3962  C = CTS(Ke, 0, conf | P)   H = HMAC-SHA1(Ki, conf | P)[0..12)
 *   RFC 8009  C = CTS(Ke, 0, conf | P)   H = HMAC-SHA2(Ki, 0^16 | C)[0..n)
 *   checksum  HMAC(Kc, data) truncated to the same length
 *
 * Ke, Ki, Kc are derived on a usage's first use with the constants
 * usage | 0xAA, 0x55, 0x99 and then live only inside the prepared OpenSSL
 * contexts.  The algorithms are fetched once per process.
 */
#include "crypto/k5fast.h"

#include <errno.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/kdf.h>
#include <openssl/params.h>
#include <openssl/rand.h>

#include "util/random.h"

struct profile {
    krb5_enctype enctype;
    size_t key_len, ki_len, mac_len;
    const char *cbc, *digest;
    bool rfc8009;
};

static const struct profile profiles[] = {
    { ENCTYPE_AES128_CTS_HMAC_SHA1_96, 16, 16, 12, "AES-128-CBC", "SHA1",
      false },
    { ENCTYPE_AES256_CTS_HMAC_SHA1_96, 32, 32, 12, "AES-256-CBC", "SHA1",
      false },
    { ENCTYPE_AES128_CTS_HMAC_SHA256_128, 16, 16, 16, "AES-128-CBC",
      "SHA256", true },
    { ENCTYPE_AES256_CTS_HMAC_SHA384_192, 32, 24, 24, "AES-256-CBC",
      "SHA384", true },
};

struct slot {
    krb5_keyusage usage;
    bool ready;
    EVP_CIPHER_CTX *enc, *dec;
    EVP_MAC_CTX *ki, *kc;
};

struct bt_k5fast {
    const struct profile *p;
    uint8_t key[32];               /* the base key, until every slot is made */
    size_t n;
    struct slot slots[];
};

#define N_PROFILES (sizeof(profiles) / sizeof(profiles[0]))

/* Made once per process: the CTS ciphers, and per profile a KDF context
 * with its cipher or digest already set (OpenSSL 3.0 cannot duplicate KDF
 * contexts, so each is shared under a lock; derivation happens only on a
 * usage's first use) and an HMAC context with its digest, duplicated for
 * each key. */
static struct {
    EVP_CIPHER *cts128, *cts256;
    EVP_KDF_CTX *kdf[N_PROFILES];
    EVP_MAC_CTX *mac[N_PROFILES];
    bool ok;
} alg;
static pthread_once_t alg_once = PTHREAD_ONCE_INIT;
static pthread_mutex_t kdf_lock = PTHREAD_MUTEX_INITIALIZER;

static EVP_KDF_CTX *
kdf_template(const struct profile *p)
{
    EVP_KDF *kdf = EVP_KDF_fetch(NULL, p->rfc8009 ? "KBKDF" : "KRB5KDF",
                                 NULL);
    EVP_KDF_CTX *ctx = kdf != NULL ? EVP_KDF_CTX_new(kdf) : NULL;
    OSSL_PARAM params[3], *q = params;

    if (p->rfc8009) {
        *q++ = OSSL_PARAM_construct_utf8_string(OSSL_KDF_PARAM_MAC,
                                                (char *)"HMAC", 0);
        *q++ = OSSL_PARAM_construct_utf8_string(OSSL_KDF_PARAM_DIGEST,
                                                (char *)p->digest, 0);
    } else {
        *q++ = OSSL_PARAM_construct_utf8_string(OSSL_KDF_PARAM_CIPHER,
                                                (char *)p->cbc, 0);
    }
    *q = OSSL_PARAM_construct_end();
    EVP_KDF_free(kdf);
    if (ctx != NULL && EVP_KDF_CTX_set_params(ctx, params) != 1) {
        EVP_KDF_CTX_free(ctx);
        ctx = NULL;
    }
    return ctx;
}

static EVP_MAC_CTX *
mac_template(const struct profile *p)
{
    EVP_MAC *mac = EVP_MAC_fetch(NULL, "HMAC", NULL);
    EVP_MAC_CTX *ctx = mac != NULL ? EVP_MAC_CTX_new(mac) : NULL;
    OSSL_PARAM params[2];

    params[0] = OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_DIGEST,
                                                 (char *)p->digest, 0);
    params[1] = OSSL_PARAM_construct_end();
    EVP_MAC_free(mac);
    if (ctx != NULL && EVP_MAC_CTX_set_params(ctx, params) != 1) {
        EVP_MAC_CTX_free(ctx);
        ctx = NULL;
    }
    return ctx;
}

static void
fetch_algorithms(void)
{
    alg.cts128 = EVP_CIPHER_fetch(NULL, "AES-128-CBC-CTS", NULL);
    alg.cts256 = EVP_CIPHER_fetch(NULL, "AES-256-CBC-CTS", NULL);
    alg.ok = alg.cts128 != NULL && alg.cts256 != NULL;
    for (size_t i = 0; i < N_PROFILES; i++) {
        alg.kdf[i] = kdf_template(&profiles[i]);
        alg.mac[i] = mac_template(&profiles[i]);
        alg.ok = alg.ok && alg.kdf[i] != NULL && alg.mac[i] != NULL;
    }
}

static bool
have_algorithms(void)
{
    pthread_once(&alg_once, fetch_algorithms);
    return alg.ok;
}

static const uint8_t zero_iv[16];
static const uint8_t zero_key[32];

static const struct profile *
find_profile(krb5_enctype e, size_t key_len)
{
    for (size_t i = 0; i < sizeof(profiles) / sizeof(profiles[0]); i++)
        if (profiles[i].enctype == e && profiles[i].key_len == key_len)
            return &profiles[i];
    return NULL;
}

/* Derives out_len bytes for usage | tag from the base key. */
static bool
derive(const struct profile *p, const uint8_t *key, uint8_t usage_be[5],
       uint8_t *out, size_t out_len)
{
    EVP_KDF_CTX *kctx = alg.kdf[p - profiles];
    OSSL_PARAM params[3];
    bool ok;

    params[0] = OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_KEY,
                                                  (void *)key, p->key_len);
    params[1] = OSSL_PARAM_construct_octet_string(
        p->rfc8009 ? OSSL_KDF_PARAM_SALT : OSSL_KDF_PARAM_CONSTANT, usage_be,
        5);
    params[2] = OSSL_PARAM_construct_end();
    pthread_mutex_lock(&kdf_lock);
    ok = EVP_KDF_derive(kctx, out, out_len, params) == 1;
    /* The shared context keeps no base key: OpenSSL clears the old one
     * when a new one is set. */
    params[0] = OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_KEY,
                                                  (void *)zero_key,
                                                  p->key_len);
    params[1] = OSSL_PARAM_construct_end();
    (void)EVP_KDF_CTX_set_params(kctx, params);
    pthread_mutex_unlock(&kdf_lock);
    return ok;
}

static EVP_MAC_CTX *
mac_ctx(const struct profile *p, const uint8_t *key, size_t len)
{
    EVP_MAC_CTX *ctx = EVP_MAC_CTX_dup(alg.mac[p - profiles]);

    if (ctx != NULL && EVP_MAC_init(ctx, key, len, NULL) != 1) {
        EVP_MAC_CTX_free(ctx);
        ctx = NULL;
    }
    return ctx;
}

static EVP_CIPHER_CTX *
cipher_ctx(const struct profile *p, const uint8_t *key, int enc)
{
    EVP_CIPHER *c = p->key_len == 16 ? alg.cts128 : alg.cts256;
    EVP_CIPHER_CTX *ctx = EVP_CIPHER_CTX_new();
    OSSL_PARAM params[2];

    params[0] = OSSL_PARAM_construct_utf8_string(OSSL_CIPHER_PARAM_CTS_MODE,
                                                 (char *)"CS3", 0);
    params[1] = OSSL_PARAM_construct_end();
    if (ctx != NULL &&
        EVP_CipherInit_ex2(ctx, c, key, zero_iv, enc, params) != 1) {
        EVP_CIPHER_CTX_free(ctx);
        ctx = NULL;
    }
    return ctx;
}

/* Ke, Ki, Kc for one usage, into the slot's contexts. */
static bool
prepare(const struct profile *p, const uint8_t *key, struct slot *s)
{
    uint8_t c[5], ke[32], ki[32], kc[32];
    bool ok;

    c[0] = (uint8_t)(s->usage >> 24);
    c[1] = (uint8_t)(s->usage >> 16);
    c[2] = (uint8_t)(s->usage >> 8);
    c[3] = (uint8_t)s->usage;
    c[4] = 0xAA;
    ok = derive(p, key, c, ke, p->key_len);
    c[4] = 0x55;
    ok = ok && derive(p, key, c, ki, p->ki_len);
    c[4] = 0x99;
    ok = ok && derive(p, key, c, kc, p->ki_len);
    if (ok) {
        s->enc = cipher_ctx(p, ke, 1);
        s->dec = cipher_ctx(p, ke, 0);
        s->ki = mac_ctx(p, ki, p->ki_len);
        s->kc = mac_ctx(p, kc, p->ki_len);
        ok = s->enc != NULL && s->dec != NULL && s->ki != NULL &&
             s->kc != NULL;
    }
    if (!ok) {
        EVP_CIPHER_CTX_free(s->enc);
        EVP_CIPHER_CTX_free(s->dec);
        EVP_MAC_CTX_free(s->ki);
        EVP_MAC_CTX_free(s->kc);
        s->enc = s->dec = NULL;
        s->ki = s->kc = NULL;
    }
    OPENSSL_cleanse(ke, sizeof(ke));
    OPENSSL_cleanse(ki, sizeof(ki));
    OPENSSL_cleanse(kc, sizeof(kc));
    return ok;
}

struct bt_k5fast *
bt_k5fast_new(krb5_enctype e, const uint8_t *key, size_t key_len,
              const krb5_keyusage *usages, size_t n, krb5_error_code *err)
{
    const struct profile *p = find_profile(e, key_len);
    struct bt_k5fast *f;

    *err = 0;
    if (p == NULL || !have_algorithms())
        return NULL;
    f = calloc(1, sizeof(*f) + n * sizeof(f->slots[0]));
    if (f == NULL) {
        *err = ENOMEM;
        return NULL;
    }
    f->p = p;
    f->n = n;
    memcpy(f->key, key, key_len);
    for (size_t i = 0; i < n; i++)
        f->slots[i].usage = usages[i];
    return f;
}

void
bt_k5fast_free(struct bt_k5fast *f)
{
    if (f == NULL)
        return;
    /* OpenSSL wipes key schedules and HMAC pads when freeing them. */
    for (size_t i = 0; i < f->n; i++) {
        EVP_CIPHER_CTX_free(f->slots[i].enc);
        EVP_CIPHER_CTX_free(f->slots[i].dec);
        EVP_MAC_CTX_free(f->slots[i].ki);
        EVP_MAC_CTX_free(f->slots[i].kc);
    }
    OPENSSL_cleanse(f->key, sizeof(f->key));
    free(f);
}

size_t
bt_k5fast_mac_len(const struct bt_k5fast *f)
{
    return f->p->mac_len;
}

/* The usage's slot, prepared on first use; NULL if u is not one of the
 * usages given to bt_k5fast_new or preparing failed. */
static struct slot *
find_slot(struct bt_k5fast *f, krb5_keyusage u)
{
    for (size_t i = 0; i < f->n; i++) {
        struct slot *s = &f->slots[i];

        if (s->usage != u)
            continue;
        if (!s->ready)
            s->ready = prepare(f->p, f->key, s);
        return s->ready ? s : NULL;
    }
    return NULL;
}

/* HMAC over up to two pieces, truncated to mac_len. */
static bool
hmac(EVP_MAC_CTX *ctx, size_t mac_len, const void *a, size_t a_len,
     const void *b, size_t b_len, uint8_t *mac)
{
    uint8_t full[EVP_MAX_MD_SIZE];
    size_t len = 0;
    bool ok;

    ok = EVP_MAC_init(ctx, NULL, 0, NULL) == 1 &&
         (a_len == 0 || EVP_MAC_update(ctx, a, a_len) == 1) &&
         (b_len == 0 || EVP_MAC_update(ctx, b, b_len) == 1) &&
         EVP_MAC_final(ctx, full, &len, sizeof(full)) == 1 && len >= mac_len;
    if (ok)
        memcpy(mac, full, mac_len);
    OPENSSL_cleanse(full, sizeof(full));
    return ok;
}

/* CTS with IV 0 over buf[0..len), in place. */
static bool
cts(EVP_CIPHER_CTX *ctx, uint8_t *buf, size_t len)
{
    int out = 0, fin = 0;

    if (len > INT32_MAX)
        return false;
    return EVP_CipherInit_ex2(ctx, NULL, NULL, zero_iv, -1, NULL) == 1 &&
           EVP_CipherUpdate(ctx, buf, &out, buf, (int)len) == 1 &&
           EVP_CipherFinal_ex(ctx, buf + out, &fin) == 1 &&
           (size_t)out + (size_t)fin == len;
}

krb5_error_code
bt_k5fast_encrypt(struct bt_k5fast *f, krb5_keyusage u, uint8_t *buf,
                  size_t len, uint8_t *mac)
{
    struct slot *s = find_slot(f, u);
    size_t m = f->p->mac_len;

    if (s == NULL || len < BT_K5FAST_CONF_LEN)
        return KRB5_BAD_MSIZE;
    if (bt_random(buf, BT_K5FAST_CONF_LEN) != 0)
        return KRB5_CRYPTO_INTERNAL;
    if (!f->p->rfc8009 && !hmac(s->ki, m, buf, len, NULL, 0, mac))
        return KRB5_CRYPTO_INTERNAL;
    if (!cts(s->enc, buf, len))
        return KRB5_CRYPTO_INTERNAL;
    if (f->p->rfc8009 &&
        !hmac(s->ki, m, zero_iv, sizeof(zero_iv), buf, len, mac))
        return KRB5_CRYPTO_INTERNAL;
    return 0;
}

krb5_error_code
bt_k5fast_decrypt(struct bt_k5fast *f, krb5_keyusage u, uint8_t *buf,
                  size_t len, const uint8_t *mac)
{
    struct slot *s = find_slot(f, u);
    size_t m = f->p->mac_len;
    uint8_t want[BT_K5FAST_MAX_MAC];
    bool ok;

    if (s == NULL)
        return KRB5_BAD_MSIZE;
    if (len < BT_K5FAST_CONF_LEN)
        return KRB5_BAD_MSIZE;
    if (f->p->rfc8009) {
        ok = hmac(s->ki, m, zero_iv, sizeof(zero_iv), buf, len, want) &&
             CRYPTO_memcmp(want, mac, m) == 0 && cts(s->dec, buf, len);
    } else {
        ok = cts(s->dec, buf, len) && hmac(s->ki, m, buf, len, NULL, 0, want)
             && CRYPTO_memcmp(want, mac, m) == 0;
    }
    if (!ok) {
        OPENSSL_cleanse(buf, len);
        return KRB5KRB_AP_ERR_BAD_INTEGRITY;
    }
    return 0;
}

krb5_error_code
bt_k5fast_checksum(struct bt_k5fast *f, krb5_keyusage u, const void *a,
                   size_t a_len, const void *b, size_t b_len, uint8_t *mac)
{
    struct slot *s = find_slot(f, u);

    if (s == NULL)
        return KRB5_BAD_MSIZE;
    return hmac(s->kc, f->p->mac_len, a, a_len, b, b_len, mac)
           ? 0 : KRB5_CRYPTO_INTERNAL;
}
