/*
 * k5fast.h - the RFC 3961 simplified profile for the AES enctypes on
 * OpenSSL EVP: aes128/aes256-cts-hmac-sha1-96 (RFC 3962) and
 * aes128-cts-hmac-sha256-128 / aes256-cts-hmac-sha384-192 (RFC 8009).
 *
 * A bt_k5fast holds, for a fixed list of key usages, the derived keys (Ke,
 * Ki, Kc) and prepared cipher and MAC contexts, so that a message costs no
 * key derivation and no allocation.  It is used by one thread at a time
 * (the context's lock); bt_k5fast_free wipes every key.  Output is
 * interchangeable with libkrb5's krb5_k_encrypt / krb5_k_make_checksum for
 * the same key and usage.
 */
#ifndef BATON_CRYPTO_K5FAST_H_
#define BATON_CRYPTO_K5FAST_H_

#include <stddef.h>
#include <stdint.h>

#include <krb5.h>

#define BT_K5FAST_CONF_LEN 16      /* confounder = AES block */
#define BT_K5FAST_MAX_MAC  24

struct bt_k5fast;

/* Prepares keys for usages[0..n-1] from the base key (enctype e, its raw
 * bytes).  NULL if e is not one of the four AES enctypes (the caller keeps
 * libkrb5's crypto) or on allocation failure (*err set: 0 when merely
 * unsupported, else an errno or krb5 code). */
struct bt_k5fast *bt_k5fast_new(krb5_enctype e, const uint8_t *key,
                                size_t key_len, const krb5_keyusage *usages,
                                size_t n, krb5_error_code *err);
void bt_k5fast_free(struct bt_k5fast *f);

/* Length of the encryption MAC and of checksums: 12, 16 or 24. */
size_t bt_k5fast_mac_len(const struct bt_k5fast *f);

/* RFC 3961 encryption in place: buf[0..16) receives a fresh confounder,
 * buf[16..len) holds the plaintext; afterwards buf[0..len) is the
 * ciphertext and mac[0..mac_len) the integrity tag, so that buf || mac is
 * krb5_k_encrypt's output.  len >= 16.  0 or a krb5/errno code. */
krb5_error_code bt_k5fast_encrypt(struct bt_k5fast *f, krb5_keyusage u,
                                  uint8_t *buf, size_t len, uint8_t *mac);

/* The reverse, in place: verifies mac (constant time) and decrypts buf;
 * buf[16..len) is then the plaintext.  KRB5KRB_AP_ERR_BAD_INTEGRITY if the
 * tag does not match (buf is then zeroed). */
krb5_error_code bt_k5fast_decrypt(struct bt_k5fast *f, krb5_keyusage u,
                                  uint8_t *buf, size_t len,
                                  const uint8_t *mac);

/* The enctype's mandatory checksum (hmac-sha1-96-aes*, hmac-sha256-128-aes128,
 * hmac-sha384-192-aes256) over a || b, into mac[0..mac_len). */
krb5_error_code bt_k5fast_checksum(struct bt_k5fast *f, krb5_keyusage u,
                                   const void *a, size_t a_len,
                                   const void *b, size_t b_len, uint8_t *mac);

#endif /* BATON_CRYPTO_K5FAST_H_ */
