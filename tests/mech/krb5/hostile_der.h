/*
 * hostile_der.h - just enough DER for the hostile_keyed tests to take
 * Kerberos messages apart and build them again: a writer of byte strings
 * (each call consumes its arguments) and a reader that fails softly.
 * Independent of Baton's own DER code, which is under test.
 */
#ifndef BATON_TESTS_MECH_KRB5_HOSTILE_DER_H_
#define BATON_TESTS_MECH_KRB5_HOSTILE_DER_H_

#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

struct bytes {
    uint8_t *p;
    size_t n;
};

static inline struct bytes
b_raw(const void *p, size_t n)
{
    struct bytes b = { malloc(n + 1), n };

    if (b.p == NULL)
        abort();
    if (n > 0)
        memcpy(b.p, p, n);
    return b;
}

/* a || b; consumes both. */
static inline struct bytes
b_cat(struct bytes a, struct bytes b)
{
    struct bytes c = { realloc(a.p, a.n + b.n + 1), a.n + b.n };

    if (c.p == NULL)
        abort();
    if (b.n > 0)
        memcpy(c.p + a.n, b.p, b.n);
    free(b.p);
    return c;
}

/* tag, DER length, v; consumes v. */
static inline struct bytes
b_tlv(uint8_t tag, struct bytes v)
{
    uint8_t h[4] = { tag };
    size_t k = 1;

    if (v.n >= 0x100) {
        h[k++] = 0x82;
        h[k++] = (uint8_t)(v.n >> 8);
    } else if (v.n >= 0x80) {
        h[k++] = 0x81;
    }
    h[k++] = (uint8_t)v.n;
    return b_cat(b_raw(h, k), v);
}

static inline struct bytes
b_int(int64_t v)
{
    uint8_t buf[8];
    size_t s = 0;

    for (int i = 0; i < 8; i++)
        buf[i] = (uint8_t)((uint64_t)v >> (56 - 8 * i));
    while (s < 7 && ((buf[s] == 0 && !(buf[s + 1] & 0x80)) ||
                     (buf[s] == 0xff && (buf[s + 1] & 0x80))))
        s++;
    return b_tlv(0x02, b_raw(buf + s, 8 - s));
}

/* [n] EXPLICIT INTEGER v. */
static inline struct bytes
b_ctx_int(unsigned n, int64_t v)
{
    return b_tlv((uint8_t)(0xa0 | n), b_int(v));
}

/* [n] EXPLICIT OCTET STRING holding v; consumes v. */
static inline struct bytes
b_ctx_octets(unsigned n, struct bytes v)
{
    return b_tlv((uint8_t)(0xa0 | n), b_tlv(0x04, v));
}

/* A reader over DER that fails softly (ok false, empty results). */
struct rd {
    const uint8_t *p, *end;
    bool ok;
};

static inline struct rd
rd_sub(struct rd *r, uint8_t tag)
{
    struct rd s = { r->p, r->p, false };
    size_t n, k;

    if (!r->ok || r->end - r->p < 2 || r->p[0] != tag)
        return r->ok = false, s;
    n = r->p[1];
    s.p += 2;
    if (n & 0x80) {
        for (k = n & 0x7f, n = 0; k > 0 && s.p < r->end; k--)
            n = n << 8 | *s.p++;
    }
    if ((size_t)(r->end - s.p) < n)
        return r->ok = false, s;
    s.end = s.p + n;
    s.ok = true;
    r->p = s.end;
    return s;
}

static inline int64_t
rd_int(struct rd *r, uint8_t ctx_tag)
{
    struct rd w = rd_sub(r, ctx_tag), i = rd_sub(&w, 0x02);
    uint64_t v = i.p < i.end && (i.p[0] & 0x80) ? UINT64_MAX : 0;

    r->ok = r->ok && i.ok;
    for (; i.p < i.end; i.p++)
        v = v << 8 | *i.p;
    return (int64_t)v;
}

/* The next element of r, whatever its tag, as raw bytes. */
static inline bool
rd_elem(struct rd *r, uint8_t *tag, struct bytes *raw)
{
    const uint8_t *start = r->p;

    if (!r->ok || r->p >= r->end)
        return false;
    *tag = r->p[0];
    (void)rd_sub(r, *tag);
    if (r->ok)
        *raw = b_raw(start, (size_t)(r->p - start));
    return r->ok;
}

#endif /* BATON_TESTS_MECH_KRB5_HOSTILE_DER_H_ */
