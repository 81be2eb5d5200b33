/*
 * peer_neg.c - what the interop peer (peer.c) knows about the tokens it
 * passes along: the mechanisms' names, a reading of RFC 4178 negotiation
 * tokens (NegTokenInit, Microsoft's NegTokenInit2, NegTokenResp) and of
 * RFC 1964/4121 initial context tokens, enough to describe every context
 * token in the log and to check what an implementation put in them.  The
 * implementations under test make the tokens; the only ones rebuilt here
 * are spnego-mslegacy-wire's (neg_prepend_mech, neg_replace_supported),
 * which make an initiator look like Windows on the wire.
 *
 * With PEER_DUMP_TOKENS set (non-empty), every context token is also
 * printed in hex ("# [impl role] hex ...").
 */
#define _POSIX_C_SOURCE 200809L
#include "peer.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

gss_OID_desc krb5_oid_desc = {9, (void *)"\x2a\x86\x48\x86\xf7\x12\x01\x02\x02"};
gss_OID_desc mskrb5_oid_desc = {9, (void *)"\x2a\x86\x48\x82\xf7\x12\x01\x02\x02"};
gss_OID_desc spnego_oid_desc = {6, (void *)"\x2b\x06\x01\x05\x05\x02"};
gss_OID_desc unwritten_oid = {0, NULL};
static gss_OID_desc iakerb_oid_desc = {6, (void *)"\x2b\x06\x01\x05\x02\x05"};
static gss_OID_desc krb5_old_oid_desc = {5, (void *)"\x2b\x05\x01\x05\x02"};

/* ------------------------------------------------------------ names */

/* "1.2.840..." of OID contents p (n bytes), appended to out. */
static void
dotted(char *out, size_t outsz, const unsigned char *p, size_t n)
{
    unsigned long v = 0;
    size_t i, len = strlen(out);

    if (n == 0)
        return;
    snprintf(out + len, outsz - len, "%u.%u", p[0] / 40 > 2 ? 2 : p[0] / 40,
             p[0] / 40 > 2 ? p[0] - 80 : p[0] % 40);
    for (i = 1; i < n; i++) {
        v = (v << 7) | (p[i] & 0x7f);
        if (p[i] & 0x80)
            continue;
        len = strlen(out);
        snprintf(out + len, outsz - len, ".%lu", v);
        v = 0;
    }
}

static const char *
oid_short(const unsigned char *p, size_t n)
{
    static const struct { gss_OID_desc *o; const char *name; } known[] = {
        {&krb5_oid_desc, "krb5"}, {&mskrb5_oid_desc, "ms-krb5"},
        {&spnego_oid_desc, "spnego"}, {&iakerb_oid_desc, "iakerb"},
        {&krb5_old_oid_desc, "krb5-old"}};
    size_t i;

    for (i = 0; i < sizeof(known) / sizeof(known[0]); i++)
        if (known[i].o->length == n && memcmp(known[i].o->elements, p, n) == 0)
            return known[i].name;
    return NULL;
}

/* "krb5 (1.2.840.113554.1.2.2)", one of four static buffers. */
static const char *
oid_bytes_name(const unsigned char *p, size_t n)
{
    static char bufs[4][96];
    static unsigned which;
    char *buf = bufs[which++ % 4];
    const char *s = oid_short(p, n);

    snprintf(buf, 96, "%s (", s != NULL ? s : "?");
    dotted(buf, 96, p, n);
    strncat(buf, ")", 95 - strlen(buf));
    return buf;
}

const char *
oid_name(gss_const_OID o)
{
    if (o == GSS_C_NO_OID)
        return "GSS_C_NO_OID";
    if (o == &unwritten_oid)
        return "(not written)";
    return oid_bytes_name(o->elements, o->length);
}

/* ------------------------------------------------------------ DER */

struct der {
    const unsigned char *p;
    size_t n;
};

/* One TLV with a one-byte tag and a definite length: its contents in
 * *val, d advanced past it.  0 (d unchanged) if d does not start with one. */
static int
der_get(struct der *d, unsigned tag, struct der *val)
{
    size_t len, i = 2, k;

    if (d->n < 2 || d->p[0] != tag)
        return 0;
    len = d->p[1];
    if (len & 0x80) {
        k = len & 0x7f;
        if (k == 0 || k > 3 || d->n < 2 + k)
            return 0;
        for (len = 0; k > 0; k--)
            len = (len << 8) | d->p[i++];
    }
    if (d->n - i < len)
        return 0;
    val->p = d->p + i;
    val->n = len;
    d->p += i + len;
    d->n -= i + len;
    return 1;
}

/* A context-tagged field [tag] wrapping one inner TLV of type inner. */
static int
der_field(struct der *d, unsigned tag, unsigned inner, struct der *val)
{
    struct der wrap;

    if (!der_get(d, tag, &wrap))
        return 0;
    return der_get(&wrap, inner, val) && wrap.n == 0;
}

static int
parse_mech_types(struct der list, struct negtok *t)
{
    struct der oid;

    while (list.n > 0) {
        if (!der_get(&list, 0x06, &oid))
            return 0;
        if (t->n_mechs < NEG_MAX_MECHS) {
            t->mechs[t->n_mechs].value = (void *)oid.p;
            t->mechs[t->n_mechs].length = oid.n;
        }
        t->n_mechs++;
    }
    return 1;
}

static void
set_view(gss_buffer_desc *b, const struct der *v)
{
    b->value = (void *)v->p;
    b->length = v->n;
}

static int
parse_init(struct der body, struct negtok *t)
{
    struct der seq, v;

    t->kind = NEG_TOK_INIT;
    if (!der_get(&body, 0x30, &seq) || body.n != 0)
        return 0;
    if (!der_field(&seq, 0xa0, 0x30, &v) || !parse_mech_types(v, t))
        return 0;
    if (der_field(&seq, 0xa1, 0x03, &v))
        t->has_req_flags = 1;
    if (der_field(&seq, 0xa2, 0x04, &v))
        set_view(&t->token, &v);
    if (der_field(&seq, 0xa3, 0x30, &v))
        t->has_hints = 1;                   /* NegTokenInit2's negHints */
    if (der_field(&seq, t->has_hints ? 0xa4 : 0xa3, 0x04, &v))
        set_view(&t->mic, &v);
    return seq.n == 0;
}

static int
parse_resp(struct der body, struct negtok *t)
{
    struct der seq, v;

    t->kind = NEG_TOK_RESP;
    if (!der_get(&body, 0x30, &seq))
        return 0;
    if (der_field(&seq, 0xa0, 0x0a, &v)) {
        if (v.n != 1)
            return 0;
        t->state = v.p[0];
    }
    if (der_field(&seq, 0xa1, 0x06, &v))
        set_view(&t->supported, &v);
    if (der_field(&seq, 0xa2, 0x04, &v))
        set_view(&t->token, &v);
    if (der_field(&seq, 0xa3, 0x04, &v))
        set_view(&t->mic, &v);
    return seq.n == 0;
}

int
neg_parse(const gss_buffer_desc *b, struct negtok *t)
{
    struct der d = {b->value, b->length}, app, oid, body;

    memset(t, 0, sizeof(*t));
    t->state = -1;
    if (der_get(&d, 0x60, &app)) {
        if (d.n != 0 || !der_get(&app, 0x06, &oid) ||
            oid.n != spnego_oid_desc.length ||
            memcmp(oid.p, spnego_oid_desc.elements, oid.n) != 0 ||
            !der_get(&app, 0xa0, &body) || app.n != 0)
            return 0;
        return parse_init(body, t);
    }
    if (der_get(&d, 0xa1, &body) && d.n == 0)
        return parse_resp(body, t);
    return 0;
}

int
token_id(const gss_buffer_desc *t, gss_buffer_desc *oid)
{
    struct der d = {t->value, t->length}, app, o;

    if (!der_get(&d, 0x60, &app) || !der_get(&app, 0x06, &o) || app.n < 2)
        return -1;
    if (oid != NULL)
        set_view(oid, &o);
    return (app.p[0] << 8) | app.p[1];
}

/* ------------------------------------------------------------ describing */

static const char *
krb5_token_name(int id)
{
    switch (id) {
    case 0x0100: return "AP-REQ";
    case 0x0200: return "AP-REP";
    case 0x0300: return "KRB-ERROR";
    default: return "?";
    }
}

/* "krb5 AP-REQ" for an initial context token, "?" otherwise. */
static void
describe_mech_token(char *out, size_t outsz, const gss_buffer_desc *t)
{
    gss_buffer_desc oid;
    int id = token_id(t, &oid);
    size_t len = strlen(out);

    if (id < 0)
        snprintf(out + len, outsz - len, "not a framed token");
    else
        snprintf(out + len, outsz - len, "%s token id %#06x %s",
                 oid_bytes_name(oid.value, oid.length), (unsigned)id,
                 krb5_token_name(id));
}

static const char *
state_name(int s)
{
    static const char *names[] = {"accept-completed", "accept-incomplete",
                                  "reject", "request-mic"};

    if (s < 0)
        return "absent";
    return s < 4 ? names[s] : "?";
}

static void
describe_neg(char *out, size_t outsz, const struct negtok *t)
{
    size_t i, len;

#define ADD(...) (len = strlen(out), snprintf(out + len, outsz - len, __VA_ARGS__))
    if (t->kind == NEG_TOK_INIT) {
        ADD("NegTokenInit%s mechTypes {", t->has_hints ? "2" : "");
        for (i = 0; i < t->n_mechs && i < NEG_MAX_MECHS; i++)
            ADD("%s%s", i ? ", " : "",
                oid_bytes_name(t->mechs[i].value, t->mechs[i].length));
        ADD("}%s", t->has_req_flags ? " reqFlags" : "");
    } else {
        ADD("NegTokenResp negState %s", state_name(t->state));
        if (t->supported.value != NULL)
            ADD(" supportedMech %s", oid_bytes_name(t->supported.value,
                                                    t->supported.length));
    }
    if (t->token.value != NULL) {
        ADD(" %s %zu bytes (", t->kind == NEG_TOK_INIT ? "mechToken" :
            "responseToken", t->token.length);
        describe_mech_token(out, outsz, &t->token);
        ADD(")");
    }
    if (t->mic.value != NULL)
        ADD(" mechListMIC %zu bytes", t->mic.length);
#undef ADD
}

const char *
tok_describe(const gss_buffer_desc *t)
{
    static char buf[1024];
    struct negtok nt;

    buf[0] = '\0';
    if (t->length == 0)
        snprintf(buf, sizeof(buf), "empty");
    else if (neg_parse(t, &nt))
        describe_neg(buf, sizeof(buf), &nt);
    else
        describe_mech_token(buf, sizeof(buf), t);
    return buf;
}

void
tok_dump(const char *label, const gss_buffer_desc *t)
{
    const unsigned char *p = t->value;
    char *hex;
    size_t i;

    if (getenv("PEER_DUMP_TOKENS") == NULL || *getenv("PEER_DUMP_TOKENS") == 0)
        return;
    hex = malloc(t->length * 2 + 1);
    if (hex == NULL)
        die("out of memory");
    for (i = 0; i < t->length; i++)
        snprintf(hex + 2 * i, 3, "%02x", p[i]);
    hex[2 * t->length] = '\0';
    note("hex %s %zu bytes: %s", label, t->length, hex);
    free(hex);
}

/* The mechanism token a SPNEGO token carries (mechToken or
 * responseToken), or the token itself if it is not a SPNEGO token; an
 * empty buffer if it is one without. */
void
inner_token(const gss_buffer_desc *t, gss_buffer_desc *inner)
{
    struct negtok nt;

    if (!neg_parse(t, &nt)) {
        *inner = *t;
        return;
    }
    *inner = nt.token;
    if (inner->value == NULL)
        inner->length = 0;
}

/* ------------------------------------------------------------ rebuilding */

/* *out = tag, length, then the parts' bytes (malloc'ed); 0 if too long. */
static int
tlv(gss_buffer_desc *out, unsigned tag, const struct der *parts, size_t np)
{
    size_t n = 0, i, h = 2;
    unsigned char *p;

    for (i = 0; i < np; i++)
        n += parts[i].n;
    if (n > 0xffffff)
        return 0;
    h += n < 0x80 ? 0 : n < 0x100 ? 1 : n < 0x10000 ? 2 : 3;
    p = malloc(h + n);
    if (p == NULL)
        die("out of memory");
    p[0] = (unsigned char)tag;
    if (h == 2) {
        p[1] = (unsigned char)n;
    } else {
        p[1] = (unsigned char)(0x80 | (h - 2));
        for (i = 0; i < h - 2; i++)
            p[2 + i] = (unsigned char)(n >> (8 * (h - 3 - i)));
    }
    for (i = 0, n = h; i < np; i++) {
        if (parts[i].n > 0)
            memcpy(p + n, parts[i].p, parts[i].n);
        n += parts[i].n;
    }
    out->value = p;
    out->length = n;
    return 1;
}

/* *b (freed) becomes tag { before, *b, after }. */
static int
wrap(gss_buffer_desc *b, unsigned tag, struct der before, struct der after)
{
    struct der parts[3];
    gss_buffer_desc old = *b;
    int ok;

    parts[0] = before;
    parts[1].p = old.value;
    parts[1].n = old.length;
    parts[2] = after;
    ok = tlv(b, tag, parts, 3);
    free(old.value);
    return ok;
}

/* *out = the OBJECT IDENTIFIER o, DER-encoded (malloc'ed). */
static int
oid_tlv(gss_buffer_desc *out, gss_const_OID o)
{
    struct der d = {o->elements, o->length};

    return tlv(out, 0x06, &d, 1);
}

int
neg_prepend_mech(const gss_buffer_desc *tok, gss_const_OID first,
                 gss_buffer_desc *out)
{
    struct der d = {tok->value, tok->length}, app, oid, body, seq, field, list;
    struct der none = {NULL, 0}, spnego;
    gss_buffer_desc so;
    int ok;

    if (!der_get(&d, 0x60, &app) || !der_get(&app, 0x06, &oid) ||
        !der_get(&app, 0xa0, &body) || !der_get(&body, 0x30, &seq) ||
        !der_get(&seq, 0xa0, &field) || !der_get(&field, 0x30, &list))
        return 0;
    /* seq now holds the fields after mechTypes, kept as they are. */
    if (!oid_tlv(out, first) || !wrap(out, 0x30, none, list) ||
        !wrap(out, 0xa0, none, none) || !wrap(out, 0x30, none, seq) ||
        !wrap(out, 0xa0, none, none))
        return 0;
    if (!oid_tlv(&so, &spnego_oid_desc))
        return 0;
    spnego.p = so.value;
    spnego.n = so.length;
    ok = wrap(out, 0x60, spnego, none);
    free(so.value);
    return ok;
}

int
neg_replace_supported(const gss_buffer_desc *tok, gss_const_OID to,
                      gss_buffer_desc *out)
{
    struct der d = {tok->value, tok->length}, body, seq, pre, field;
    struct der none = {NULL, 0};

    if (!der_get(&d, 0xa1, &body) || !der_get(&body, 0x30, &seq))
        return 0;
    pre.p = seq.p;     /* [0] negState, if there, is kept */
    (void)der_get(&seq, 0xa0, &field);
    pre.n = (size_t)(seq.p - pre.p);
    if (!der_get(&seq, 0xa1, &field))
        return 0;
    return oid_tlv(out, to) && wrap(out, 0xa1, none, none) &&
           wrap(out, 0x30, pre, seq) && wrap(out, 0xa1, none, none);
}
