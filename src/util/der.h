/*
 * der.h - the little DER that GSS-API framing needs: definite lengths,
 * tag-length-value, the RFC 2743 section 3.1 token header and the RFC 2743
 * section 3.2 exported name.  All parsing goes through struct bt_reader.
 */
#ifndef BATON_UTIL_DER_H_
#define BATON_UTIL_DER_H_

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "util/reader.h"
#include "util/writer.h"

#define BT_DER_TAG_OID     0x06
#define BT_DER_TAG_APP0    0x60   /* [APPLICATION 0] constructed */

/* Largest length Baton accepts in a DER header (a 4-octet length). */
#define BT_DER_MAX_LEN     0xffffffffu

/* Octets a DER length of len takes. */
size_t bt_der_len_size(size_t len);

/* Writes len in DER definite form (lengths over BT_DER_MAX_LEN fail w). */
void bt_der_wr_len(struct bt_writer *w, size_t len);

/* Reads a DER definite length.  Indefinite, non-minimal and over-long
 * encodings fail the reader (DER allows exactly one encoding). */
size_t bt_der_rd_len(struct bt_reader *r);

/* Reads tag (which must equal want), length and value; contents becomes a
 * reader over the value. */
void bt_der_rd_tlv(struct bt_reader *r, uint8_t want, struct bt_reader *contents);

#define BT_DER_TAG_INTEGER  0x02
#define BT_DER_TAG_OCTETS   0x04
#define BT_DER_TAG_SEQUENCE 0x30
#define BT_DER_TAG_GENTIME  0x18
/* [n] EXPLICIT context tag, constructed. */
#define BT_DER_CTX(n)       ((uint8_t)(0xa0 | (n)))
/* [APPLICATION n] constructed, n < 31. */
#define BT_DER_APP(n)       ((uint8_t)(0x60 | (n)))

/* Reads a DER INTEGER that fits in 64 bits (minimal two's complement). */
int64_t bt_der_rd_int(struct bt_reader *r);

/* Reads [n] EXPLICIT INTEGER. */
int64_t bt_der_rd_ctx_int(struct bt_reader *r, unsigned n);

#define BT_DER_TAG_BITS     0x03
#define BT_DER_TAG_ENUM     0x0a
#define BT_DER_TAG_GENSTR   0x1b   /* GeneralString */

/* Reads a DER ENUMERATED that fits in 64 bits (encoded as an INTEGER). */
int64_t bt_der_rd_enumerated(struct bt_reader *r);

/* Reads [n] EXPLICIT, which must hold exactly one element of tag; contents
 * becomes a reader over that element's value.  On any failure both r and
 * contents are failed. */
void bt_der_rd_explicit(struct bt_reader *r, unsigned n, uint8_t tag,
                        struct bt_reader *contents);

/* bt_der_rd_tlv that also hands back the element's whole encoding (tag and
 * length included) as the reader raw, for callers that must keep the
 * bytes exactly as received (a MIC covers them). */
void bt_der_rd_tlv_raw(struct bt_reader *r, uint8_t want,
                       struct bt_reader *contents, struct bt_reader *raw);

/* True if the len octets at p are valid OBJECT IDENTIFIER contents (X.690
 * 8.19): at least one subidentifier, each in the fewest octets, the last
 * one complete.  p is trusted memory (an OID to be written). */
bool bt_der_oid_valid(const void *p, size_t len);

/* Reads an OBJECT IDENTIFIER whose contents pass bt_der_oid_valid;
 * contents becomes a reader over them. */
void bt_der_rd_oid(struct bt_reader *r, struct bt_reader *contents);

/* Reads a primitive DER BIT STRING (X.690 8.6, 11.2.1): the unused-bit
 * count is 0..7, 0 for an empty string, and the unused bits are zero.
 * Returns the count; bits becomes a reader over the octets after it.
 * Trailing zero bits are not checked (a named-bit list may carry them). */
unsigned bt_der_rd_bit_string(struct bt_reader *r, struct bt_reader *bits);

/* Skips one element of any (low-number) tag. */
void bt_der_skip(struct bt_reader *r);

/* True if the next element carries tag (without consuming it). */
bool bt_der_next_is(const struct bt_reader *r, uint8_t tag);

/* Reads a Kerberos GeneralizedTime ("YYYYMMDDHHMMSSZ", RFC 4120 5.2.3) as
 * seconds since the epoch. */
int64_t bt_der_rd_krb5_time(struct bt_reader *r);

/*
 * RFC 2743 section 3.1 InitialContextToken:
 *   0x60 len { 0x06 oidlen oid, innerContextToken }
 * bt_der_wr_token writes the whole token around body.  bt_der_rd_token parses
 * one from r, which must hold exactly the token; oid and body are readers
 * over the mechanism OID's contents and the inner token.
 */
void bt_der_wr_token(struct bt_writer *w, const void *oid, size_t oid_len,
                     const void *body, size_t body_len);
void bt_der_rd_token(struct bt_reader *r, struct bt_reader *oid,
                     struct bt_reader *body);

/*
 * RFC 2743 section 3.2 exported name:
 *   04 01 | 2-octet length of the DER OID | 0x06 len oid |
 *   4-octet length of the name | name
 * The parser requires r to hold exactly one exported name.
 */
void bt_der_wr_exported_name(struct bt_writer *w, const void *oid,
                             size_t oid_len, const void *name, size_t name_len);
void bt_der_rd_exported_name(struct bt_reader *r, struct bt_reader *oid,
                             struct bt_reader *name);

#endif /* BATON_UTIL_DER_H_ */
