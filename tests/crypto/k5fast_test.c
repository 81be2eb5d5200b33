/* Tests for src/crypto/k5fast.c: the RFC 8009 sample encryptions and
 * checksums, a differential test against libkrb5 for the four AES enctypes
 * (both directions, checksums over a split message, tampering), and the
 * refusals (unserved enctype, wrong key length, unprepared usage).
 *
 * The RFC 3961/3962 documents give no encryption or checksum vectors for
 * aes*-cts-hmac-sha1-96 that go through a Kerberos key usage (RFC 3962
 * Appendix B has string-to-key and raw AES-CTS vectors only), so those two
 * enctypes are checked against libkrb5 alone. */
#include "check.h"

#include <stdint.h>

#include <krb5.h>

#include "crypto/k5fast.h"

#define CONF BT_K5FAST_CONF_LEN
#define MAX_SIZE 70000
#define COUNT(a) (sizeof(a) / sizeof((a)[0]))

struct etype {
    krb5_enctype e;
    krb5_cksumtype ck;          /* the mandatory checksum */
    const char *name;
    size_t key_len, mac_len;
};

static const struct etype etypes[] = {
    { ENCTYPE_AES128_CTS_HMAC_SHA1_96, CKSUMTYPE_HMAC_SHA1_96_AES128,
      "aes128-cts-hmac-sha1-96", 16, 12 },
    { ENCTYPE_AES256_CTS_HMAC_SHA1_96, CKSUMTYPE_HMAC_SHA1_96_AES256,
      "aes256-cts-hmac-sha1-96", 32, 12 },
    { ENCTYPE_AES128_CTS_HMAC_SHA256_128, CKSUMTYPE_HMAC_SHA256_128_AES128,
      "aes128-cts-hmac-sha256-128", 16, 16 },
    { ENCTYPE_AES256_CTS_HMAC_SHA384_192, CKSUMTYPE_HMAC_SHA384_192_AES256,
      "aes256-cts-hmac-sha384-192", 32, 24 },
};
#define N_ETYPES COUNT(etypes)

/* RFC 4121's four usages, the AS-REP ticket usage and a large one. */
static const krb5_keyusage usages[] = { 22, 23, 24, 25, 2, 1024 };
#define N_USAGES COUNT(usages)

/* Hex digits without separators. */
static size_t
unhex(const char *s, uint8_t *out, size_t max)
{
    size_t n = 0;
    unsigned int v;

    for (; n < max && sscanf(s, "%2x", &v) == 1; s += 2)
        out[n++] = (uint8_t)v;
    return n;
}

static void
print_hex(const char *label, const uint8_t *p, size_t n)
{
    fprintf(stderr, "  %s ", label);
    for (size_t i = 0; i < n; i++)
        fprintf(stderr, "%02x", p[i]);
    fputc('\n', stderr);
}

static int
all_zero(const uint8_t *p, size_t n)
{
    uint8_t acc = 0;

    for (size_t i = 0; i < n; i++)
        acc |= p[i];
    return acc == 0;
}

/* splitmix64: a fixed seed, so the sizes and split points repeat. */
static uint64_t rng_state = 0x6b35666173742121ULL;

static uint64_t
rng(void)
{
    uint64_t z = (rng_state += 0x9e3779b97f4a7c15ULL);

    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

static size_t
rng_below(size_t n)
{
    return n == 0 ? 0 : (size_t)(rng() % n);
}

static krb5_data
kdata(const void *p, size_t n)
{
    return (krb5_data){ .data = (char *)p, .length = (unsigned int)n };
}

static void
fill(uint8_t *p, size_t n)
{
    for (size_t i = 0; i < n; i++)
        p[i] = (uint8_t)rng();
}

/* ---- 1. RFC 8009 Appendix A ---- */

static const char rfc8009_key128[] = "3705D96080C17728A0E800EAB6E0D23C";
static const char rfc8009_key256[] =
    "6D404D37FAF79F9DF0D33568D320669800EB4836472EA8A026D16B7182460C52";

struct enc_vector {
    krb5_enctype e;
    const char *key;
    size_t pt_len;              /* plaintext = 00 01 02 ... */
    const char *aes_out, *hmac_out;
};

static const struct enc_vector enc_vectors[] = {
    { ENCTYPE_AES128_CTS_HMAC_SHA256_128, rfc8009_key128, 0,
      "EF85FB890BB8472F4DAB20394DCA781D",
      "AD877EDA39D50C870C0D5A0A8E48C718" },
    { ENCTYPE_AES128_CTS_HMAC_SHA256_128, rfc8009_key128, 6,
      "84D7F30754ED987BAB0BF3506BEB09CFB55402CEF7E6",
      "877CE99E247E52D16ED4421DFDF8976C" },
    { ENCTYPE_AES128_CTS_HMAC_SHA256_128, rfc8009_key128, 16,
      "3517D640F50DDC8AD3628722B3569D2AE07493FA8263254080EA65C1008E8FC2",
      "95FB4852E7D83E1E7C48C37EEBE6B0D3" },
    { ENCTYPE_AES128_CTS_HMAC_SHA256_128, rfc8009_key128, 21,
      "720F73B18D9859CD6CCB4346115CD336C70F58EDC0C4437C5573544C31C813BC"
      "E1E6D072C1",
      "86B39A413C2F92CA9B8334A287FFCBFC" },
    { ENCTYPE_AES256_CTS_HMAC_SHA384_192, rfc8009_key256, 0,
      "41F53FA5BFE7026D91FAF9BE959195A0",
      "58707273A96A40F0A01960621AC612748B9BBFBE7EB4CE3C" },
    { ENCTYPE_AES256_CTS_HMAC_SHA384_192, rfc8009_key256, 6,
      "4ED7B37C2BCAC8F74F23C1CF07E62BC7B75FB3F637B9",
      "F559C7F664F69EAB7B6092237526EA0D1F61CB20D69D10F2" },
    { ENCTYPE_AES256_CTS_HMAC_SHA384_192, rfc8009_key256, 16,
      "BC47FFEC7998EB91E8115CF8D19DAC4BBBE2E163E87DD37F49BECA92027764F6",
      "8CF51F14D798C2273F35DF574D1F932E40C4FF255B36A266" },
    { ENCTYPE_AES256_CTS_HMAC_SHA384_192, rfc8009_key256, 21,
      "40013E2DF58E8751957D2878BCD2D6FE101CCFD556CB1EAE79DB3C3EE86429F2"
      "B2A602AC86",
      "FEF6ECB647D6295FAE077A1FEB517508D2C16B4192E01F62" },
};

struct cksum_vector {
    krb5_enctype e;
    const char *key, *cksum;    /* over 00 01 ... 14, usage 2 */
};

static const struct cksum_vector cksum_vectors[] = {
    { ENCTYPE_AES128_CTS_HMAC_SHA256_128, rfc8009_key128,
      "D78367186643D67B411CBA9139FC1DEE" },
    { ENCTYPE_AES256_CTS_HMAC_SHA384_192, rfc8009_key256,
      "45EE791567EEFCA37F4AC1E0222DE80D43C3BFA06699672A" },
};

static struct bt_k5fast *
vector_key(krb5_enctype e, const char *hexkey)
{
    static const krb5_keyusage two = 2;
    uint8_t key[32];
    size_t key_len = unhex(hexkey, key, sizeof(key));
    krb5_error_code err = -1;
    struct bt_k5fast *f = bt_k5fast_new(e, key, key_len, &two, 1, &err);

    CHECK(f != NULL && err == 0);
    return f;
}

/* The RFC's ciphertext, split into buf and the trailing MAC, decrypts to
 * 00 01 02 ...; with one tag bit changed it fails and buf is zeroed. */
static void
decrypt_vector(const struct enc_vector *v, struct bt_k5fast *f)
{
    uint8_t buf[64], mac[BT_K5FAST_MAX_MAC], want[21];
    size_t len = unhex(v->aes_out, buf, sizeof(buf));
    size_t mac_len = unhex(v->hmac_out, mac, sizeof(mac));
    krb5_error_code rc;

    for (size_t j = 0; j < v->pt_len; j++)
        want[j] = (uint8_t)j;
    CHECK(len == CONF + v->pt_len);
    CHECK(bt_k5fast_mac_len(f) == mac_len);
    rc = bt_k5fast_decrypt(f, 2, buf, len, mac);
    if (rc != 0 || memcmp(buf + CONF, want, v->pt_len) != 0)
        fprintf(stderr, "  RFC 8009 enctype %d plaintext %zu bytes: "
                "decrypt rc %d\n", (int)v->e, v->pt_len, (int)rc);
    CHECK(rc == 0);
    CHECK(memcmp(buf + CONF, want, v->pt_len) == 0);
    len = unhex(v->aes_out, buf, sizeof(buf));
    mac[mac_len - 1] ^= 0x01;
    CHECK(bt_k5fast_decrypt(f, 2, buf, len, mac) ==
          KRB5KRB_AP_ERR_BAD_INTEGRITY);
    CHECK(all_zero(buf, len));
}

static void
rfc8009_decrypts(void)
{
    for (size_t i = 0; i < COUNT(enc_vectors); i++) {
        struct bt_k5fast *f = vector_key(enc_vectors[i].e,
                                         enc_vectors[i].key);

        if (f != NULL)
            decrypt_vector(&enc_vectors[i], f);
        bt_k5fast_free(f);
    }
}

/* The checksum over 00 01 ... 14, given as a || b split several ways. */
static void
checksum_vector(const struct cksum_vector *v, struct bt_k5fast *f)
{
    static const size_t splits[] = { 0, 1, 7, 16, 20, 21 };
    uint8_t pt[21], want[BT_K5FAST_MAX_MAC], mac[BT_K5FAST_MAX_MAC];
    size_t want_len = unhex(v->cksum, want, sizeof(want));

    for (size_t j = 0; j < sizeof(pt); j++)
        pt[j] = (uint8_t)j;
    CHECK(bt_k5fast_mac_len(f) == want_len);
    for (size_t s = 0; s < COUNT(splits); s++) {
        size_t a_len = splits[s];

        memset(mac, 0xee, sizeof(mac));
        CHECK(bt_k5fast_checksum(f, 2, pt, a_len, pt + a_len,
                                 sizeof(pt) - a_len, mac) == 0);
        if (memcmp(mac, want, want_len) != 0) {
            fprintf(stderr, "  RFC 8009 checksum enctype %d split %zu\n",
                    (int)v->e, a_len);
            print_hex("got ", mac, want_len);
        }
        CHECK(memcmp(mac, want, want_len) == 0);
    }
}

static void
rfc8009_checksums(void)
{
    for (size_t i = 0; i < COUNT(cksum_vectors); i++) {
        struct bt_k5fast *f = vector_key(cksum_vectors[i].e,
                                         cksum_vectors[i].key);

        if (f != NULL)
            checksum_vector(&cksum_vectors[i], f);
        bt_k5fast_free(f);
    }
}

/* ---- 2. differential test against libkrb5 ---- */

struct diff {
    krb5_context kctx;
    const struct etype *et;
    krb5_keyblock kb;          /* contents NULL when no key */
    krb5_key key;
    struct bt_k5fast *f;
    unsigned long pairs, cksums, tampers;
};

/* Names the failing case: enctype, usage, plaintext size, direction. */
static void
mismatch(const struct diff *d, krb5_keyusage u, size_t size,
         const char *what, krb5_error_code rc)
{
    fprintf(stderr, "  MISMATCH %s usage %d size %zu %s rc %d\n",
            d->et->name, (int)u, size, what, (int)rc);
    print_hex("key", d->kb.contents, d->kb.length);
}

static void
check_lengths(struct diff *d)
{
    unsigned int trailer = 0;
    size_t cklen = 0;

    CHECK(bt_k5fast_mac_len(d->f) == d->et->mac_len);
    CHECK(krb5_c_crypto_length(d->kctx, d->et->e, KRB5_CRYPTO_TYPE_TRAILER,
                               &trailer) == 0);
    CHECK(trailer == d->et->mac_len);
    CHECK(krb5_c_checksum_length(d->kctx, d->et->ck, &cklen) == 0);
    CHECK(cklen == d->et->mac_len);
}

static int
new_key(struct diff *d)
{
    krb5_error_code err = -1;

    bt_k5fast_free(d->f);
    krb5_k_free_key(d->kctx, d->key);
    krb5_free_keyblock_contents(d->kctx, &d->kb);
    d->f = NULL, d->key = NULL, d->kb.contents = NULL;
    if (d->et == NULL)
        return 0;
    if (krb5_c_make_random_key(d->kctx, d->et->e, &d->kb) != 0 ||
        krb5_k_create_key(d->kctx, &d->kb, &d->key) != 0) {
        CHECK(!"krb5_c_make_random_key or krb5_k_create_key");
        return 0;
    }
    CHECK(d->kb.length == d->et->key_len);
    d->f = bt_k5fast_new(d->et->e, d->kb.contents, d->kb.length, usages,
                         N_USAGES, &err);
    CHECK(d->f != NULL && err == 0);
    if (d->f != NULL)
        check_lengths(d);
    return d->f != NULL;
}

/* Baton encrypts, libkrb5 decrypts. */
static void
baton_to_krb5(struct diff *d, krb5_keyusage u, const uint8_t *pt, size_t n)
{
    size_t mac_len = d->et->mac_len, ct_len = CONF + n + mac_len;
    uint8_t *buf = malloc(CONF + n), *ct = malloc(ct_len);
    uint8_t *out = malloc(ct_len);
    krb5_enc_data ed = { .enctype = d->et->e,
                         .ciphertext = kdata(ct, ct_len) };
    krb5_data dec = kdata(out, ct_len);
    krb5_error_code rc;

    memset(buf, 0xa5, CONF);            /* the confounder's place */
    memcpy(buf + CONF, pt, n);
    rc = bt_k5fast_encrypt(d->f, u, buf, CONF + n, ct + CONF + n);
    memcpy(ct, buf, CONF + n);
    if (rc == 0)
        rc = krb5_k_decrypt(d->kctx, d->key, u, NULL, &ed, &dec);
    if (rc != 0 || dec.length != n || memcmp(out, pt, n) != 0)
        mismatch(d, u, n, "baton->krb5", rc);
    CHECK(rc == 0);
    CHECK(dec.length == n && memcmp(out, pt, n) == 0);
    d->pairs++;
    free(buf), free(ct), free(out);
}

/* libkrb5 encrypts into ct (CONF + n + mac_len bytes, caller frees). */
static uint8_t *
krb5_ciphertext(struct diff *d, krb5_keyusage u, const uint8_t *pt, size_t n)
{
    size_t ct_len = CONF + n + d->et->mac_len, want_len = 0;
    uint8_t *ct = malloc(ct_len);
    krb5_data in = kdata(pt, n);
    krb5_enc_data ed = { .ciphertext = kdata(ct, ct_len) };

    CHECK(krb5_c_encrypt_length(d->kctx, d->et->e, n, &want_len) == 0);
    CHECK(want_len == ct_len);
    CHECK(krb5_k_encrypt(d->kctx, d->key, u, NULL, &in, &ed) == 0);
    CHECK(ed.ciphertext.length == ct_len);
    return ct;
}

/* bt_k5fast_decrypt on a copy of ct in exact-size buffers, mangled by
 * flip: a position in buf (< CONF + n) or in the mac (>= CONF + n), or
 * SIZE_MAX for none. */
static krb5_error_code
baton_decrypt(struct diff *d, krb5_keyusage u, const uint8_t *ct, size_t n,
              size_t flip, uint8_t **plain)
{
    size_t len = CONF + n, mac_len = d->et->mac_len;
    uint8_t *buf = malloc(len), *mac = malloc(mac_len);
    krb5_error_code rc;

    memcpy(buf, ct, len);
    memcpy(mac, ct + len, mac_len);
    if (flip < len)
        buf[flip] ^= (uint8_t)(1u << rng_below(8));
    else if (flip != SIZE_MAX)
        mac[flip - len] ^= (uint8_t)(1u << rng_below(8));
    rc = bt_k5fast_decrypt(d->f, u, buf, len, mac);
    free(mac);
    *plain = buf;
    return rc;
}

static void
krb5_to_baton(struct diff *d, krb5_keyusage u, const uint8_t *pt, size_t n,
              const uint8_t *ct)
{
    uint8_t *buf;
    krb5_error_code rc = baton_decrypt(d, u, ct, n, SIZE_MAX, &buf);

    if (rc != 0 || memcmp(buf + CONF, pt, n) != 0)
        mismatch(d, u, n, "krb5->baton", rc);
    CHECK(rc == 0);
    CHECK(memcmp(buf + CONF, pt, n) == 0);
    d->pairs++;
    free(buf);
}

static void
tamper_one(struct diff *d, krb5_keyusage u, const uint8_t *ct, size_t n,
           size_t flip, const char *what)
{
    uint8_t *buf;
    krb5_error_code rc = baton_decrypt(d, u, ct, n, flip, &buf);

    if (rc != KRB5KRB_AP_ERR_BAD_INTEGRITY || !all_zero(buf, CONF + n))
        mismatch(d, u, n, what, rc);
    CHECK(rc == KRB5KRB_AP_ERR_BAD_INTEGRITY);
    CHECK(all_zero(buf, CONF + n));     /* the header's promise */
    d->tampers++;
    free(buf);
}

/* A flipped bit in buf, one in the mac, and another prepared usage. */
static void
tamper(struct diff *d, size_t k, const uint8_t *ct, size_t n)
{
    size_t len = CONF + n;
    krb5_keyusage u = usages[k];
    krb5_keyusage other = usages[(k + 1 + rng_below(N_USAGES - 1)) %
                                 N_USAGES];

    tamper_one(d, u, ct, n, rng_below(len), "tamper in buf");
    tamper_one(d, u, ct, n, len + rng_below(d->et->mac_len), "tamper in mac");
    tamper_one(d, other, ct, n, SIZE_MAX, "wrong usage");
}

static void
checksum_one(struct diff *d, krb5_keyusage u, const uint8_t *pt, size_t n)
{
    size_t split = rng_below(n + 1);
    uint8_t mac[BT_K5FAST_MAX_MAC];
    krb5_data in = kdata(pt, n);
    krb5_checksum ck = { 0 };
    krb5_error_code rc;

    CHECK(krb5_k_make_checksum(d->kctx, 0, d->key, u, &in, &ck) == 0);
    memset(mac, 0xee, sizeof(mac));
    rc = bt_k5fast_checksum(d->f, u, pt, split, pt + split, n - split, mac);
    if (rc != 0 || ck.length != d->et->mac_len ||
        memcmp(mac, ck.contents, d->et->mac_len) != 0) {
        mismatch(d, u, n, "checksum", rc);
        fprintf(stderr, "  split at %zu\n", split);
    }
    CHECK(rc == 0);
    CHECK(ck.length == d->et->mac_len &&
          memcmp(mac, ck.contents, d->et->mac_len) == 0);
    d->cksums++;
    krb5_free_checksum_contents(d->kctx, &ck);
}

static void
one_case(struct diff *d, size_t k, size_t n)
{
    krb5_keyusage u = usages[k];
    uint8_t *pt = malloc(n + 1), *ct;      /* never malloc(0) */

    fill(pt, n);
    baton_to_krb5(d, u, pt, n);
    ct = krb5_ciphertext(d, u, pt, n);
    krb5_to_baton(d, u, pt, n, ct);
    tamper(d, k, ct, n);
    checksum_one(d, u, pt, n);
    free(ct);
    free(pt);
}

static size_t
case_sizes(size_t *sizes, size_t max)
{
    static const size_t fixed[] = { 65535, 65536, MAX_SIZE };
    size_t n = 0;

    for (size_t s = 0; s <= 40 && n < max; s++)
        sizes[n++] = s;
    for (size_t i = 0; i < 60 && n < max; i++)
        sizes[n++] = 41 + rng_below(MAX_SIZE - 41);
    for (size_t i = 0; i < COUNT(fixed) && n < max; i++)
        sizes[n++] = fixed[i];
    return n;
}

/* Small sizes go through every usage, large ones one usage each in turn;
 * a fresh random key every 16 cases. */
static void
diff_etype(struct diff *d)
{
    size_t sizes[128], n_sizes = case_sizes(sizes, 128), cases = 0;

    for (size_t i = 0; i < n_sizes; i++) {
        size_t first = sizes[i] <= 40 ? 0 : i % N_USAGES;
        size_t last = sizes[i] <= 40 ? N_USAGES : first + 1;

        for (size_t k = first; k < last; k++) {
            if (cases++ % 16 == 0 && !new_key(d))
                return;
            one_case(d, k, sizes[i]);
        }
    }
}

static void
differential_against_libkrb5(void)
{
    krb5_context kctx;
    unsigned long pairs = 0, cksums = 0, tampers = 0;

    if (krb5_init_context(&kctx) != 0) {
        CHECK(!"krb5_init_context");
        return;
    }
    for (size_t i = 0; i < N_ETYPES; i++) {
        struct diff d = { .kctx = kctx, .et = &etypes[i] };

        diff_etype(&d);
        d.et = NULL;
        new_key(&d);            /* frees the last key */
        printf("k5fast: %s: %lu encrypt/decrypt pairs, %lu checksums, "
               "%lu tamper checks\n", etypes[i].name, d.pairs, d.cksums,
               d.tampers);
        pairs += d.pairs, cksums += d.cksums, tampers += d.tampers;
    }
    printf("k5fast: %zu enctypes, %lu encrypt/decrypt pairs, %lu checksums, "
           "%lu tamper checks\n", N_ETYPES, pairs, cksums, tampers);
    krb5_free_context(kctx);
}

/* A bt_k5fast for etypes[i] on a key from the test's generator. */
static struct bt_k5fast *
some_key(size_t i, const krb5_keyusage *us, size_t n)
{
    uint8_t key[32];
    krb5_error_code err = -1;
    struct bt_k5fast *f;

    fill(key, sizeof(key));
    f = bt_k5fast_new(etypes[i].e, key, etypes[i].key_len, us, n, &err);
    CHECK(f != NULL && err == 0);
    return f;
}

/* Two encryptions of one plaintext differ (a fresh confounder each time)
 * and both decrypt. */
static void
confounder_is_fresh(void)
{
    for (size_t i = 0; i < N_ETYPES; i++) {
        uint8_t a[CONF + 5], b[CONF + 5];
        uint8_t mac_a[BT_K5FAST_MAX_MAC], mac_b[BT_K5FAST_MAX_MAC];
        struct bt_k5fast *f = some_key(i, usages, N_USAGES);

        if (f == NULL)
            continue;
        memset(a, 0, sizeof(a));
        memcpy(a + CONF, "hello", 5);
        memcpy(b, a, sizeof(b));
        CHECK(bt_k5fast_encrypt(f, 24, a, sizeof(a), mac_a) == 0);
        CHECK(bt_k5fast_encrypt(f, 24, b, sizeof(b), mac_b) == 0);
        CHECK(memcmp(a, b, sizeof(a)) != 0);
        CHECK(memcmp(mac_a, mac_b, etypes[i].mac_len) != 0);
        CHECK(bt_k5fast_decrypt(f, 24, a, sizeof(a), mac_a) == 0);
        CHECK(bt_k5fast_decrypt(f, 24, b, sizeof(b), mac_b) == 0);
        CHECK(memcmp(a + CONF, "hello", 5) == 0);
        CHECK(memcmp(b + CONF, "hello", 5) == 0);
        bt_k5fast_free(f);
    }
}

/* ---- 3. refusals ---- */

static void
expect_unserved(krb5_enctype e, size_t key_len)
{
    uint8_t key[64];
    krb5_error_code err = 12345;
    struct bt_k5fast *f;

    memset(key, 0x42, sizeof(key));
    f = bt_k5fast_new(e, key, key_len, usages, N_USAGES, &err);
    if (f != NULL || err != 0)
        fprintf(stderr, "  enctype %d key_len %zu: %s, err %d\n", (int)e,
                key_len, f != NULL ? "served" : "NULL", (int)err);
    CHECK(f == NULL);
    CHECK(err == 0);
    bt_k5fast_free(f);
}

static void
refuses_other_enctypes_and_key_lengths(void)
{
    expect_unserved(ENCTYPE_CAMELLIA128_CTS_CMAC, 16);
    expect_unserved(ENCTYPE_CAMELLIA256_CTS_CMAC, 32);
    expect_unserved(ENCTYPE_DES3_CBC_SHA1, 24);
    expect_unserved(ENCTYPE_ARCFOUR_HMAC, 16);
    expect_unserved(ENCTYPE_NULL, 16);
    for (size_t i = 0; i < N_ETYPES; i++) {
        size_t wrong = etypes[i].key_len == 16 ? 32 : 16;

        expect_unserved(etypes[i].e, wrong);
        expect_unserved(etypes[i].e, etypes[i].key_len - 1);
        expect_unserved(etypes[i].e, etypes[i].key_len + 1);
        expect_unserved(etypes[i].e, 0);
    }
    bt_k5fast_free(NULL);       /* harmless, like free(NULL) */
}

static void
unprepared_usage_fails(void)
{
    static const krb5_keyusage only = 22;

    for (size_t i = 0; i < N_ETYPES; i++) {
        uint8_t buf[CONF + 8], mac[BT_K5FAST_MAX_MAC];
        struct bt_k5fast *f = some_key(i, &only, 1);

        if (f == NULL)
            continue;
        memset(buf, 0, sizeof(buf));
        CHECK(bt_k5fast_encrypt(f, 23, buf, sizeof(buf), mac) != 0);
        CHECK(bt_k5fast_encrypt(f, 1024, buf, sizeof(buf), mac) != 0);
        CHECK(bt_k5fast_checksum(f, 25, "ab", 2, "c", 1, mac) != 0);
        CHECK(bt_k5fast_encrypt(f, 22, buf, sizeof(buf), mac) == 0);
        CHECK(bt_k5fast_decrypt(f, 24, buf, sizeof(buf), mac) != 0);
        /* Shorter than a confounder can never verify. */
        CHECK(bt_k5fast_decrypt(f, 22, buf, CONF - 1, mac) != 0);
        CHECK(bt_k5fast_decrypt(f, 22, buf, 0, mac) != 0);
        bt_k5fast_free(f);
    }
}

BT_TEST_MAIN(rfc8009_decrypts, rfc8009_checksums,
             differential_against_libkrb5, confounder_is_fresh,
             refuses_other_enctypes_and_key_lengths, unprepared_usage_fails)
