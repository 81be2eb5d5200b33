/*
 * oid_str.c - gss_oid_to_str and gss_str_to_oid.
 *
 * Text form out: "{ 1 2 840 113554 1 2 2 }", as MIT writes it.  Text forms
 * in: that, and the dotted "1.2.840.113554.1.2.2" that RFC 4120-era tools
 * and people use (MIT 1.20 refuses it).  Arcs are unsigned 64-bit.
 */
#include "glue/glue.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>

#include "util/reader.h"
#include "util/writer.h"

/* Reads one base-128 arc from DER contents; fails r on a non-minimal or
 * truncated arc or one that overflows 64 bits. */
static uint64_t
read_arc(struct bt_reader *r)
{
    uint64_t v = 0;
    uint8_t b;

    if (bt_rd_peek(r) == 0x80) {    /* X.690 8.19.2: no leading 0x80 */
        bt_rd_fail(r);
        return 0;
    }
    do {
        b = bt_rd_u8(r);
        if (v > (UINT64_MAX >> 7)) {
            bt_rd_fail(r);
            return 0;
        }
        v = (v << 7) | (b & 0x7f);
    } while ((b & 0x80) && bt_rd_ok(r));
    return v;
}

static void
write_arc(struct bt_writer *w, uint64_t v)
{
    uint8_t tmp[10];
    size_t n = 0;

    do {
        tmp[n++] = (uint8_t)(v & 0x7f);
        v >>= 7;
    } while (v > 0);
    while (n > 1)
        bt_wr_u8(w, tmp[--n] | 0x80);
    bt_wr_u8(w, tmp[0]);
}

static void
write_decimal(struct bt_writer *w, uint64_t v)
{
    char num[24];
    int n = snprintf(num, sizeof(num), "%" PRIu64 " ", v);

    bt_wr_bytes(w, num, (size_t)n);
}

BT_EXPORT OM_uint32
gss_oid_to_str(OM_uint32 *minor_status, gss_OID oid, gss_buffer_t oid_str)
{
    struct bt_writer w;
    struct bt_reader r;
    uint64_t first;
    void *data;
    size_t len;

    if (minor_status != NULL)
        *minor_status = 0;
    bt_buf_clear(oid_str);
    if (oid_str == GSS_C_NO_BUFFER)
        return bt_fail(minor_status, GSS_S_CALL_INACCESSIBLE_WRITE, 0);
    /* X.690 8.19: an OID has at least one subidentifier; MIT refuses the
     * empty one the same way. */
    if (oid == GSS_C_NO_OID || oid->length == 0 || oid->elements == NULL)
        return bt_fail(minor_status, GSS_S_CALL_INACCESSIBLE_READ, 0);
    bt_rd_init(&r, oid->elements, oid->length);
    bt_wr_init(&w, false);
    bt_wr_bytes(&w, "{ ", 2);
    if (bt_rd_remaining(&r) > 0) {
        /* X.690 8.19.4: the first subidentifier packs two arcs. */
        first = read_arc(&r);
        write_decimal(&w, first < 40 ? 0 : first < 80 ? 1 : 2);
        write_decimal(&w, first < 80 ? first % 40 : first - 80);
    }
    while (bt_rd_remaining(&r) > 0)
        write_decimal(&w, read_arc(&r));
    bt_wr_bytes(&w, "}", 2);        /* with the terminating NUL */
    if (!bt_rd_ok(&r)) {
        bt_wr_free(&w);
        return bt_fail(minor_status, GSS_S_FAILURE, BT_E_BAD_OID_ENCODING);
    }
    if (bt_wr_take(&w, &data, &len) != 0)
        return bt_fail(minor_status, GSS_S_FAILURE, ENOMEM);
    oid_str->value = data;
    oid_str->length = len;          /* MIT counts the NUL; so do we */
    return GSS_S_COMPLETE;
}

static bool
is_space(int c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

static void
skip_space(struct bt_reader *r)
{
    while (is_space(bt_rd_peek(r)))
        (void)bt_rd_u8(r);
}

/* Reads a decimal arc without sign or superfluous leading zeros. */
static uint64_t
read_decimal(struct bt_reader *r)
{
    uint64_t v = 0;
    int c = bt_rd_peek(r);

    if (c < '0' || c > '9')
        goto bad;
    if (c == '0') {
        (void)bt_rd_u8(r);
        c = bt_rd_peek(r);
        if (c >= '0' && c <= '9')
            goto bad;
        return 0;
    }
    while ((c = bt_rd_peek(r)) >= '0' && c <= '9') {
        (void)bt_rd_u8(r);
        if (v > (UINT64_MAX - (uint64_t)(c - '0')) / 10)
            goto bad;
        v = v * 10 + (uint64_t)(c - '0');
    }
    return v;

bad:
    bt_rd_fail(r);
    return 0;
}

struct arcs {
    struct bt_writer *w;
    uint64_t first;
    size_t n;
};

/* Appends one arc; the first two are packed into one subidentifier. */
static void
add_arc(struct bt_reader *r, struct arcs *a, uint64_t arc)
{
    /* X.660: the first arc is 0, 1 or 2; under 0 and 1 at most 39. */
    if ((a->n == 0 && arc > 2) || (a->n == 1 && a->first < 2 && arc > 39) ||
        (a->n == 1 && arc > UINT64_MAX - 80)) {
        bt_rd_fail(r);
        return;
    }
    if (a->n == 0)
        a->first = arc;
    else if (a->n == 1)
        write_arc(a->w, a->first * 40 + arc);
    else
        write_arc(a->w, arc);
    a->n++;
}

/* "{ 1 2 840 }": arcs separated by white space. */
static void
parse_braces(struct bt_reader *r, struct arcs *a)
{
    int c;

    bt_rd_expect_u8(r, '{');
    while (bt_rd_ok(r)) {
        skip_space(r);
        if (bt_rd_peek(r) == '}') {
            (void)bt_rd_u8(r);
            return;
        }
        add_arc(r, a, read_decimal(r));
        c = bt_rd_peek(r);
        if (c != '}' && !is_space(c))
            bt_rd_fail(r);
    }
}

/* "1.2.840": arcs separated by single dots. */
static void
parse_dotted(struct bt_reader *r, struct arcs *a)
{
    do {
        add_arc(r, a, read_decimal(r));
    } while (bt_rd_peek(r) == '.' && bt_rd_u8(r) == '.');
}

static void
parse_arcs(struct bt_reader *r, struct bt_writer *w)
{
    struct arcs a = { w, 0, 0 };

    skip_space(r);
    if (bt_rd_peek(r) == '{')
        parse_braces(r, &a);
    else
        parse_dotted(r, &a);
    skip_space(r);
    if (a.n < 2)
        bt_rd_fail(r);
}

BT_EXPORT OM_uint32
gss_str_to_oid(OM_uint32 *minor_status, gss_buffer_t oid_str, gss_OID *oid)
{
    struct bt_reader r;
    struct bt_writer w;
    gss_OID out = NULL;
    void *data = NULL;
    size_t len, n;

    if (minor_status != NULL)
        *minor_status = 0;
    if (oid == NULL)
        return bt_fail(minor_status, GSS_S_CALL_INACCESSIBLE_WRITE, 0);
    *oid = GSS_C_NO_OID;
    if (oid_str == GSS_C_NO_BUFFER || !bt_buf_valid(oid_str))
        return bt_fail(minor_status, GSS_S_CALL_INACCESSIBLE_READ, 0);
    n = oid_str->length;
    bt_rd_init(&r, oid_str->value, n);
    /* Accept one terminating NUL counted in the length, as MIT does. */
    if (n > 0 && ((const char *)oid_str->value)[n - 1] == '\0')
        bt_rd_init(&r, oid_str->value, n - 1);
    bt_wr_init(&w, false);
    parse_arcs(&r, &w);
    if (!bt_rd_done(&r)) {
        bt_wr_free(&w);
        return bt_fail(minor_status, GSS_S_FAILURE, BT_E_BAD_OID_STRING);
    }
    if (bt_wr_take(&w, &data, &len) != 0 ||
        (out = malloc(sizeof(*out))) == NULL) {
        free(data);
        return bt_fail(minor_status, GSS_S_FAILURE, ENOMEM);
    }
    out->length = (OM_uint32)len;
    out->elements = data;
    *oid = out;
    return GSS_S_COMPLETE;
}
