/*
 * envelope.c - building, parsing, sealing and opening interprocess tokens.
 */
#include "transfer/envelope.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>
#include <openssl/evp.h>

#include "transfer/keys.h"
#include "util/mem.h"
#include "util/writer.h"

#define MAGIC "BTNX"
#define NONCE_LEN 12
#define TAG_LEN 16
#define MAX_PAYLOAD (1u << 20)

static void
write_header(struct bt_writer *w, const struct bt_envelope *e,
             size_t payload_len)
{
    bt_wr_bytes(w, MAGIC, 4);
    bt_wr_u8(w, BT_ENV_VERSION);
    bt_wr_u8(w, e->sealed ? 1 : 0);
    bt_wr_u8(w, e->role);
    bt_wr_u8(w, e->state);
    bt_wr_u64be(w, e->created);
    bt_wr_u64be(w, e->expires);
    bt_wr_bytes(w, e->token_id, sizeof(e->token_id));
    bt_wr_u8(w, e->policy);
    bt_wr_u64be(w, e->binding);
    bt_wr_bytes(w, e->key_id, sizeof(e->key_id));
    bt_wr_u8(w, e->oid_len);
    bt_wr_bytes(w, e->oid, e->oid_len);
    bt_wr_u32be(w, (uint32_t)payload_len);
}

enum bt_env_error
bt_env_parse(const void *token, size_t len, struct bt_envelope *e)
{
    struct bt_reader r;
    const uint8_t *magic;
    uint8_t flags;

    memset(e, 0, sizeof(*e));
    bt_rd_init(&r, token, len);
    magic = bt_rd_bytes(&r, 4);
    if (magic == NULL || memcmp(magic, MAGIC, 4) != 0)
        return BT_ENV_MALFORMED;
    /* The version comes first so that a future format is named as such. */
    e->version = bt_rd_u8(&r);
    if (bt_rd_ok(&r) && e->version != BT_ENV_VERSION)
        return BT_ENV_BAD_VERSION;
    flags = bt_rd_u8(&r);
    e->sealed = (flags & 1) != 0;
    e->role = bt_rd_u8(&r);
    e->state = bt_rd_u8(&r);
    e->created = bt_rd_u64be(&r);
    e->expires = bt_rd_u64be(&r);
    bt_rd_copy(&r, e->token_id, sizeof(e->token_id));
    e->policy = bt_rd_u8(&r);
    e->binding = bt_rd_u64be(&r);
    bt_rd_copy(&r, e->key_id, sizeof(e->key_id));
    e->oid_len = bt_rd_u8(&r);
    if (e->oid_len == 0 || e->oid_len > BT_ENV_MAX_OID) {
        bt_rd_fail(&r);
        e->oid_len = 0;         /* never copy past e->oid */
    }
    bt_rd_copy(&r, e->oid, e->oid_len);
    e->payload_len = bt_rd_u32be(&r);
    e->header_len = len - bt_rd_remaining(&r);
    e->header = token;
    e->payload = bt_rd_bytes(&r, e->payload_len);
    /* An unsealed token names no key; a sealed one always does. */
    static const uint8_t no_key[8];
    bool keyless = memcmp(e->key_id, no_key, sizeof(no_key)) == 0;

    if (!bt_rd_done(&r) || (flags & ~1u) != 0 || keyless == e->sealed ||
        (e->role != BT_ENV_ROLE_INITIATOR && e->role != BT_ENV_ROLE_ACCEPTOR) ||
        (e->state != BT_ENV_STATE_OPEN && e->state != BT_ENV_STATE_PARTIAL) ||
        e->policy < 1 || e->policy > 3 || e->payload_len > MAX_PAYLOAD ||
        (e->sealed && e->payload_len < NONCE_LEN + TAG_LEN))
        return BT_ENV_MALFORMED;
    return BT_ENV_OK;
}

/* The cipher, fetched from the provider once rather than on every call. */
static pthread_once_t gcm_once = PTHREAD_ONCE_INIT;
static EVP_CIPHER *gcm;

static void
fetch_gcm(void)
{
    gcm = EVP_CIPHER_fetch(NULL, "AES-256-GCM", NULL);
}

static const EVP_CIPHER *
aes_gcm(void)
{
    pthread_once(&gcm_once, fetch_gcm);
    return gcm;
}

__attribute__((destructor)) static void
free_gcm(void)
{
    EVP_CIPHER_free(gcm);
    gcm = NULL;
}

/*
 * One cipher context per thread and direction, keyed once: a new token
 * only sets its nonce.  Freed (and so wiped by OpenSSL) at thread exit.
 */
struct gcm_ctx {
    EVP_CIPHER_CTX *c;
    uint8_t key[BT_TRANSFER_KEY_LEN];
};

static pthread_key_t ctx_key;
static pthread_once_t ctx_once = PTHREAD_ONCE_INIT;

static void
free_ctxs(void *p)
{
    struct gcm_ctx *g = p;

    for (int i = 0; i < 2; i++) {
        EVP_CIPHER_CTX_free(g[i].c);
        bt_wipe(g[i].key, sizeof(g[i].key));
    }
    free(g);
}

static void
make_ctx_key(void)
{
    (void)pthread_key_create(&ctx_key, free_ctxs);
}

/* This thread's context for encrypting (enc) or decrypting, ready for key
 * with the nonce iv. */
static EVP_CIPHER_CTX *
gcm_ready(bool enc, const uint8_t key[BT_TRANSFER_KEY_LEN],
          const uint8_t *iv)
{
    struct gcm_ctx *g;
    bool fresh;

    pthread_once(&ctx_once, make_ctx_key);
    g = pthread_getspecific(ctx_key);
    if (g == NULL) {
        g = calloc(2, sizeof(*g));
        if (g == NULL || pthread_setspecific(ctx_key, g) != 0) {
            free(g);
            return NULL;
        }
    }
    g += enc ? 0 : 1;
    if (g->c == NULL && (g->c = EVP_CIPHER_CTX_new()) == NULL)
        return NULL;
    fresh = CRYPTO_memcmp(g->key, key, BT_TRANSFER_KEY_LEN) != 0 ||
            EVP_CIPHER_CTX_get0_cipher(g->c) == NULL;
    if (aes_gcm() == NULL ||
        EVP_CipherInit_ex(g->c, fresh ? aes_gcm() : NULL, NULL,
                          fresh ? key : NULL, iv, enc ? 1 : 0) != 1) {
        memset(g->key, 0, sizeof(g->key));
        return NULL;
    }
    memcpy(g->key, key, BT_TRANSFER_KEY_LEN);
    return g->c;
}

__attribute__((destructor)) static void
free_main_thread_ctxs(void)
{
    void *p;

    if (pthread_once(&ctx_once, make_ctx_key) == 0 &&
        (p = pthread_getspecific(ctx_key)) != NULL) {
        (void)pthread_setspecific(ctx_key, NULL);
        free_ctxs(p);
    }
}

/* AES-256-GCM over plain into out (nonce | ciphertext | tag), with aad. */
static bool
seal(const uint8_t key[BT_TRANSFER_KEY_LEN], const uint8_t nonce[NONCE_LEN],
     const uint8_t *aad, size_t aad_len, const void *plain, size_t len,
     uint8_t *out)
{
    EVP_CIPHER_CTX *c;
    int n = 0, m = 0;
    bool ok;

    memcpy(out, nonce, NONCE_LEN);
    c = gcm_ready(true, key, out);
    ok = c != NULL &&
         EVP_EncryptUpdate(c, NULL, &n, aad, (int)aad_len) == 1 &&
         EVP_EncryptUpdate(c, out + NONCE_LEN, &n, plain, (int)len) == 1 &&
         EVP_EncryptFinal_ex(c, out + NONCE_LEN + n, &m) == 1 &&
         EVP_CIPHER_CTX_ctrl(c, EVP_CTRL_GCM_GET_TAG, TAG_LEN,
                             out + NONCE_LEN + len) == 1;
    return ok && (size_t)(n + m) == len;
}

enum bt_env_error
bt_env_build(const struct bt_envelope *e,
             const uint8_t key[BT_TRANSFER_KEY_LEN], const void *plain,
             size_t plain_len, void **out, size_t *out_len)
{
    size_t payload_len = plain_len + (e->sealed ? NONCE_LEN + TAG_LEN : 0);
    struct bt_writer w;
    size_t header_len;
    uint8_t *p;

    if (plain_len > MAX_PAYLOAD - NONCE_LEN - TAG_LEN)
        return BT_ENV_MALFORMED;
    bt_wr_init(&w, true);
    write_header(&w, e, payload_len);
    header_len = w.len;
    p = bt_wr_reserve(&w, payload_len);
    if (p == NULL) {
        bt_wr_free(&w);
        return BT_ENV_NOMEM;
    }
    if (!e->sealed) {
        memcpy(p, plain, plain_len);
    } else if (!seal(key, e->nonce, w.data, header_len, plain, plain_len,
                     p)) {
        bt_wr_free(&w);
        return BT_ENV_NOMEM;
    }
    return bt_wr_take(&w, out, out_len) == 0 ? BT_ENV_OK : BT_ENV_NOMEM;
}

static bool
unseal(const uint8_t key[BT_TRANSFER_KEY_LEN], const struct bt_envelope *e,
       uint8_t *out, size_t len)
{
    struct bt_reader r;
    const uint8_t *nonce, *ct, *tag;
    EVP_CIPHER_CTX *c = NULL;
    int n = 0, m = 0;
    bool ok;

    bt_rd_init(&r, e->payload, e->payload_len);
    nonce = bt_rd_bytes(&r, NONCE_LEN);
    ct = bt_rd_bytes(&r, len);
    tag = bt_rd_bytes(&r, TAG_LEN);
    if (nonce != NULL && ct != NULL && tag != NULL && bt_rd_done(&r))
        c = gcm_ready(false, key, nonce);
    ok = c != NULL &&
         EVP_DecryptUpdate(c, NULL, &n, e->header, (int)e->header_len) == 1 &&
         EVP_DecryptUpdate(c, out, &n, ct, (int)len) == 1 &&
         EVP_CIPHER_CTX_ctrl(c, EVP_CTRL_GCM_SET_TAG, TAG_LEN,
                             (void *)tag) == 1 &&
         EVP_DecryptFinal_ex(c, out + n, &m) == 1;
    return ok;
}

enum bt_env_error
bt_env_open(const struct bt_envelope *e,
            const uint8_t key[BT_TRANSFER_KEY_LEN], uint8_t **plain,
            size_t *plain_len)
{
    uint8_t id[8];
    size_t len;
    uint8_t *buf;

    len = e->sealed ? e->payload_len - NONCE_LEN - TAG_LEN : e->payload_len;
    if (e->sealed) {
        bt_transfer_key_id(key, id);
        if (CRYPTO_memcmp(id, e->key_id, sizeof(id)) != 0)
            return BT_ENV_WRONG_KEY;
    }
    buf = malloc(len > 0 ? len : 1);
    if (buf == NULL)
        return BT_ENV_NOMEM;
    if (!e->sealed) {
        memcpy(buf, e->payload, len);
    } else if (!unseal(key, e, buf, len)) {
        /* GCM decrypts before it checks the tag: wipe what came out. */
        bt_free_secret(buf, len);
        return BT_ENV_TAG;
    }
    *plain = buf;
    *plain_len = len;
    return BT_ENV_OK;
}
