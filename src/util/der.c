/*
 * der.c - DER lengths, RFC 2743 token framing and exported names, and the
 * few universal types GSS-API tokens carry (INTEGER, ENUMERATED, OBJECT
 * IDENTIFIER, BIT STRING).
 */
#include "util/der.h"

size_t
bt_der_len_size(size_t len)
{
    size_t n = 1;

    if (len < 0x80)
        return 1;
    while (len > 0) {
        n++;
        len >>= 8;
    }
    return n;
}

void
bt_der_wr_len(struct bt_writer *w, size_t len)
{
    size_t n = bt_der_len_size(len) - 1;

    if (len > BT_DER_MAX_LEN) {
        /* Poison the writer: no caller can frame more than 4 GiB. */
        (void)bt_wr_reserve(w, SIZE_MAX);
        return;
    }
    if (n == 0) {
        bt_wr_u8(w, (uint8_t)len);
        return;
    }
    bt_wr_u8(w, (uint8_t)(0x80 | n));
    while (n > 0) {
        n--;
        bt_wr_u8(w, (uint8_t)(len >> (8 * n)));
    }
}

size_t
bt_der_rd_len(struct bt_reader *r)
{
    uint8_t first = bt_rd_u8(r);
    size_t len = 0, n;

    if (first < 0x80)
        return first;
    n = first & 0x7f;
    /* 0x80 is BER's indefinite form; more than 4 octets is beyond us. */
    if (n == 0 || n > 4) {
        bt_rd_fail(r);
        return 0;
    }
    for (size_t i = 0; i < n; i++)
        len = (len << 8) | bt_rd_u8(r);
    /* DER: the shortest form only. */
    if (len < 0x80 || bt_der_len_size(len) != n + 1) {
        bt_rd_fail(r);
        return 0;
    }
    return bt_rd_ok(r) ? len : 0;
}

void
bt_der_rd_tlv(struct bt_reader *r, uint8_t want, struct bt_reader *contents)
{
    size_t len;

    bt_rd_expect_u8(r, want);
    len = bt_der_rd_len(r);
    bt_rd_sub(r, len, contents);
}

void
bt_der_wr_token(struct bt_writer *w, const void *oid, size_t oid_len,
                const void *body, size_t body_len)
{
    size_t oid_tlv = 1 + bt_der_len_size(oid_len) + oid_len;

    if (body_len > BT_DER_MAX_LEN - oid_tlv) {
        /* Poison the writer directly: on a 32-bit size_t, SIZE_MAX is
         * BT_DER_MAX_LEN and would be written as a length. */
        (void)bt_wr_reserve(w, SIZE_MAX);
        return;
    }
    bt_wr_u8(w, BT_DER_TAG_APP0);
    bt_der_wr_len(w, oid_tlv + body_len);
    bt_wr_u8(w, BT_DER_TAG_OID);
    bt_der_wr_len(w, oid_len);
    bt_wr_bytes(w, oid, oid_len);
    bt_wr_bytes(w, body, body_len);
}

void
bt_der_rd_token(struct bt_reader *r, struct bt_reader *oid,
                struct bt_reader *body)
{
    struct bt_reader outer;

    bt_der_rd_tlv(r, BT_DER_TAG_APP0, &outer);
    /* RFC 2743 3.1: the token is exactly the [APPLICATION 0] value. */
    if (bt_rd_remaining(r) != 0)
        bt_rd_fail(r);
    bt_der_rd_tlv(&outer, BT_DER_TAG_OID, oid);
    if (bt_rd_remaining(oid) == 0)
        bt_rd_fail(oid);
    bt_rd_sub(&outer, bt_rd_remaining(&outer), body);
    if (!bt_rd_ok(r) || !bt_rd_ok(&outer) || !bt_rd_ok(oid)) {
        bt_rd_fail(oid);
        bt_rd_fail(body);
        bt_rd_fail(r);
    }
}

void
bt_der_wr_exported_name(struct bt_writer *w, const void *oid, size_t oid_len,
                        const void *name, size_t name_len)
{
    size_t oid_tlv = 1 + bt_der_len_size(oid_len) + oid_len;

    if (oid_tlv > 0xffff || name_len > 0xffffffffu) {
        (void)bt_wr_reserve(w, SIZE_MAX);
        return;
    }
    bt_wr_u8(w, 0x04);
    bt_wr_u8(w, 0x01);
    bt_wr_u16be(w, (uint16_t)oid_tlv);
    bt_wr_u8(w, BT_DER_TAG_OID);
    bt_der_wr_len(w, oid_len);
    bt_wr_bytes(w, oid, oid_len);
    bt_wr_u32be(w, (uint32_t)name_len);
    bt_wr_bytes(w, name, name_len);
}

void
bt_der_rd_exported_name(struct bt_reader *r, struct bt_reader *oid,
                        struct bt_reader *name)
{
    struct bt_reader oid_tlv;

    /* RFC 2743 3.2: TOK_ID 04 01, then the mechanism OID in DER framing
     * whose length is given first in two octets. */
    bt_rd_expect_u8(r, 0x04);
    bt_rd_expect_u8(r, 0x01);
    bt_rd_sub(r, bt_rd_u16be(r), &oid_tlv);
    bt_der_rd_tlv(&oid_tlv, BT_DER_TAG_OID, oid);
    if (bt_rd_remaining(&oid_tlv) != 0 || bt_rd_remaining(oid) == 0)
        bt_rd_fail(oid);
    bt_rd_sub(r, bt_rd_u32be(r), name);
    if (bt_rd_remaining(r) != 0)
        bt_rd_fail(r);
    if (!bt_rd_ok(r) || !bt_rd_ok(&oid_tlv) || !bt_rd_ok(oid)) {
        bt_rd_fail(oid);
        bt_rd_fail(name);
        bt_rd_fail(r);
    }
}

/* INTEGER and ENUMERATED share one encoding (X.690 8.4); only the tag
 * differs. */
static int64_t
rd_twos_complement(struct bt_reader *r, uint8_t tag)
{
    struct bt_reader v;
    const uint8_t *p;
    uint64_t acc;
    size_t n;

    bt_der_rd_tlv(r, tag, &v);
    n = bt_rd_remaining(&v);
    p = bt_rd_bytes(&v, n);
    /* X.690 8.3: at least one octet; no redundant leading 00 or FF. */
    if (p == NULL || n == 0 || n > 8 ||
        (n > 1 && p[0] == 0x00 && !(p[1] & 0x80)) ||
        (n > 1 && p[0] == 0xff && (p[1] & 0x80))) {
        bt_rd_fail(r);
        return 0;
    }
    acc = (p[0] & 0x80) ? UINT64_MAX : 0;
    for (size_t i = 0; i < n; i++)
        acc = (acc << 8) | p[i];
    return (int64_t)acc;
}

int64_t
bt_der_rd_int(struct bt_reader *r)
{
    return rd_twos_complement(r, BT_DER_TAG_INTEGER);
}

int64_t
bt_der_rd_enumerated(struct bt_reader *r)
{
    return rd_twos_complement(r, BT_DER_TAG_ENUM);
}

int64_t
bt_der_rd_ctx_int(struct bt_reader *r, unsigned n)
{
    struct bt_reader inner;
    int64_t v;

    bt_der_rd_tlv(r, BT_DER_CTX(n), &inner);
    v = bt_der_rd_int(&inner);
    if (!bt_rd_done(&inner))
        bt_rd_fail(r);
    return bt_rd_ok(r) ? v : 0;
}

void
bt_der_skip(struct bt_reader *r)
{
    uint8_t tag = bt_rd_u8(r);
    size_t len;

    /* High tag numbers (0x1f) never occur in the messages we read. */
    if ((tag & 0x1f) == 0x1f) {
        bt_rd_fail(r);
        return;
    }
    len = bt_der_rd_len(r);
    (void)bt_rd_bytes(r, len);
}

bool
bt_der_next_is(const struct bt_reader *r, uint8_t tag)
{
    return bt_rd_peek(r) == tag;
}

void
bt_der_rd_explicit(struct bt_reader *r, unsigned n, uint8_t tag,
                   struct bt_reader *contents)
{
    struct bt_reader outer;

    bt_der_rd_tlv(r, BT_DER_CTX(n), &outer);
    bt_der_rd_tlv(&outer, tag, contents);
    /* EXPLICIT wraps exactly one element: anything after it is not DER. */
    if (!bt_rd_done(&outer)) {
        bt_rd_fail(contents);
        bt_rd_fail(r);
    }
}

void
bt_der_rd_tlv_raw(struct bt_reader *r, uint8_t want,
                  struct bt_reader *contents, struct bt_reader *raw)
{
    struct bt_reader start = *r;

    bt_der_rd_tlv(r, want, contents);
    if (!bt_rd_ok(r)) {
        bt_rd_fail(contents);
        bt_rd_init(raw, NULL, 0);
        bt_rd_fail(raw);
        return;
    }
    /* What the TLV consumed, re-read from where it started. */
    bt_rd_sub(&start, bt_rd_remaining(&start) - bt_rd_remaining(r), raw);
}

/* Walks OID contents by value (the caller's reader is not moved). */
static bool
oid_contents_ok(struct bt_reader walk)
{
    bool at_start = true;

    if (bt_rd_remaining(&walk) == 0)
        return false;               /* X.690 8.19.2: one or more arcs */
    while (bt_rd_remaining(&walk) > 0) {
        uint8_t b = bt_rd_u8(&walk);

        /* X.690 8.19.2: "the leading octet of the subidentifier shall not
         * have the value 80 (hexadecimal)" - arcs take the fewest octets. */
        if (at_start && b == 0x80)
            return false;
        at_start = (b & 0x80) == 0;
    }
    /* The last octet must end a subidentifier (bit 8 clear). */
    return at_start;
}

bool
bt_der_oid_valid(const void *p, size_t len)
{
    struct bt_reader r;

    if (p == NULL)
        return false;
    bt_rd_init(&r, p, len);
    return oid_contents_ok(r);
}

void
bt_der_rd_oid(struct bt_reader *r, struct bt_reader *contents)
{
    bt_der_rd_tlv(r, BT_DER_TAG_OID, contents);
    if (!bt_rd_ok(contents) || !oid_contents_ok(*contents)) {
        bt_rd_fail(contents);
        bt_rd_fail(r);
    }
}

unsigned
bt_der_rd_bit_string(struct bt_reader *r, struct bt_reader *bits)
{
    struct bt_reader v, last;
    unsigned unused;
    size_t n;

    bt_der_rd_tlv(r, BT_DER_TAG_BITS, &v);
    unused = bt_rd_u8(&v);
    n = bt_rd_remaining(&v);
    last = v;
    if (n > 0)
        (void)bt_rd_bytes(&last, n - 1);
    /* X.690 8.6.2.2-3: at most 7 unused bits, none in an empty string;
     * 11.2.1: DER sets every unused bit to zero. */
    if (!bt_rd_ok(&v) || unused > 7 || (n == 0 && unused != 0) ||
        (n > 0 && (bt_rd_u8(&last) & ((1u << unused) - 1)) != 0)) {
        bt_rd_fail(r);
        bt_rd_init(bits, NULL, 0);
        bt_rd_fail(bits);
        return 0;
    }
    bt_rd_sub(&v, n, bits);
    return unused;
}

/* Days from 1970-01-01 to y-m-d in the proleptic Gregorian calendar. */
static int64_t
days_from_civil(int64_t y, unsigned m, unsigned d)
{
    int64_t era;
    unsigned yoe, doy, doe;

    y -= m <= 2;
    era = (y >= 0 ? y : y - 399) / 400;
    yoe = (unsigned)(y - era * 400);
    doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + (int64_t)doe - 719468;
}

static unsigned
digits(const uint8_t *p, size_t n, bool *ok)
{
    unsigned v = 0;

    for (size_t i = 0; i < n; i++) {
        if (p[i] < '0' || p[i] > '9')
            *ok = false;
        v = v * 10 + (unsigned)(p[i] - '0');
    }
    return v;
}

int64_t
bt_der_rd_krb5_time(struct bt_reader *r)
{
    struct bt_reader v;
    const uint8_t *p;
    unsigned y, mo, d, h, mi, s;
    bool ok = true;

    bt_der_rd_tlv(r, BT_DER_TAG_GENTIME, &v);
    p = bt_rd_bytes(&v, 15);
    if (p == NULL || !bt_rd_done(&v) || p[14] != 'Z') {
        bt_rd_fail(r);
        return 0;
    }
    y = digits(p, 4, &ok);
    mo = digits(p + 4, 2, &ok);
    d = digits(p + 6, 2, &ok);
    h = digits(p + 8, 2, &ok);
    mi = digits(p + 10, 2, &ok);
    s = digits(p + 12, 2, &ok);
    if (!ok || mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 ||
        s > 60) {
        bt_rd_fail(r);
        return 0;
    }
    return days_from_civil(y, mo, d) * 86400 + h * 3600 + mi * 60 + s;
}
