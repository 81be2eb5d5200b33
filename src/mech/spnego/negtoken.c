/*
 * negtoken.c - RFC 4178 negotiation tokens, read and written.
 *
 * The readers are lists of reads over the one sticky reader: each optional
 * field is read only if the next tag is the one its place in the SEQUENCE
 * allows, so order, repetition and unknown fields all end as bytes left
 * over, which fail the parse.  RFC 4178 section 6 says "Implementations
 * receiving unknown fields MUST ignore these fields"; no field has been
 * added by standards action since 2005, and the one extension deployed
 * (MS-SPNG's NegTokenInit2) is read explicitly, so Baton refuses the rest
 * rather than skip bytes an attacker chose.
 */
#include "mech/spnego/negtoken.h"

#include <stdlib.h>
#include <string.h>

#include "glue/minor.h"
#include "util/der.h"
#include "util/reader.h"

/* 1.3.6.1.5.5.2, iso.org.dod.internet.security.mechanism.snego */
static const uint8_t spnego_oid[] = { 0x2b, 0x06, 0x01, 0x05, 0x05, 0x02 };

/* ---------------------------------------------------------------- reading */

/* The rest of v as a view.  A failed v gives p == NULL, but a failed read
 * also fails the whole parse, so such a view is never handed out. */
static struct bt_neg_view
rest_view(struct bt_reader *v)
{
    struct bt_neg_view out;

    out.p = bt_rd_rest(v, &out.len);
    return out;
}

/* A field's reader must be used up exactly: whatever is left over is a
 * second element inside one tag, which DER has no room for. */
static void
end_field(struct bt_reader *parent, const struct bt_reader *field)
{
    if (!bt_rd_done(field))
        bt_rd_fail(parent);
}

/* [n] OCTET STRING, as a view (present and empty: p != NULL, len 0). */
static struct bt_neg_view
rd_octets_field(struct bt_reader *seq, unsigned n)
{
    struct bt_reader v;

    bt_der_rd_explicit(seq, n, BT_DER_TAG_OCTETS, &v);
    return rest_view(&v);
}

/* mechTypes [0] MechTypeList.  Returns how many mechanisms the list holds,
 * storing the first BT_NEG_MAX_MECHS; the caller decides what more mean. */
static size_t
rd_mech_types(struct bt_reader *seq, struct bt_neg_init *ni)
{
    struct bt_reader field, list, raw, oid;
    size_t n = 0;

    bt_der_rd_tlv(seq, BT_DER_CTX(0), &field);
    /* RFC 4178 5 a): the MIC's input "is the DER encoding of the value of
     * type MechTypeList": keep the SEQUENCE exactly as it came. */
    bt_der_rd_tlv_raw(&field, BT_DER_TAG_SEQUENCE, &list, &raw);
    ni->mech_types_der = rest_view(&raw);
    while (bt_rd_remaining(&list) > 0) {
        bt_der_rd_oid(&list, &oid);
        if (n < BT_NEG_MAX_MECHS)
            ni->mechs[n] = rest_view(&oid);
        n++;
    }
    /* RFC 4178 4.2.1: "This field contains one or more security
     * mechanisms available for the initiator". */
    if (n == 0)
        bt_rd_fail(&list);
    end_field(&field, &list);
    end_field(seq, &field);
    return n;
}

/* reqFlags [1] ContextFlags: checked to be a BIT STRING, then dropped.
 * RFC 4178 4.2.1: "the acceptor MUST ignore this reqFlags field", and
 * "Implementations should not expect to receive exactly 32 bits". */
static void
rd_req_flags(struct bt_reader *seq)
{
    struct bt_reader field, bits;

    bt_der_rd_tlv(seq, BT_DER_CTX(1), &field);
    (void)bt_der_rd_bit_string(&field, &bits);
    end_field(seq, &field);
}

/* MS-SPNG 2.2.1 NegHints ::= SEQUENCE { hintName [0] GeneralString
 * OPTIONAL, hintAddress [1] OCTET STRING OPTIONAL }: checked, then
 * skipped (the hint names nothing a client may rely on). */
static void
rd_neg_hints(struct bt_reader *field)
{
    struct bt_reader hints, v;

    bt_der_rd_tlv(field, BT_DER_TAG_SEQUENCE, &hints);
    if (bt_der_next_is(&hints, BT_DER_CTX(0)))
        bt_der_rd_explicit(&hints, 0, BT_DER_TAG_GENSTR, &v);
    if (bt_der_next_is(&hints, BT_DER_CTX(1)))
        bt_der_rd_explicit(&hints, 1, BT_DER_TAG_OCTETS, &v);
    end_field(field, &hints);
}

/* What follows mechToken: RFC 4178's mechListMIC [3] OCTET STRING, or
 * NegTokenInit2's negHints [3] SEQUENCE and mechListMIC [4] (MS-SPNG
 * 2.2.1; both optional there).  The tag inside [3] tells them apart. */
static void
rd_init_tail(struct bt_reader *seq, struct bt_neg_init *ni)
{
    struct bt_reader field, v;

    if (bt_der_next_is(seq, BT_DER_CTX(3))) {
        bt_der_rd_tlv(seq, BT_DER_CTX(3), &field);
        if (bt_der_next_is(&field, BT_DER_TAG_OCTETS)) {
            bt_der_rd_tlv(&field, BT_DER_TAG_OCTETS, &v);
            ni->mech_list_mic = rest_view(&v);
            end_field(seq, &field);
            return;
        }
        rd_neg_hints(&field);
        end_field(seq, &field);
    }
    if (bt_der_next_is(seq, BT_DER_CTX(4)))
        ni->mech_list_mic = rd_octets_field(seq, 4);
}

/* [0] NegTokenInit (or NegTokenInit2), which must be all of r. */
static OM_uint32
rd_init_choice(struct bt_reader *r, struct bt_neg_init *out)
{
    struct bt_neg_init ni = { 0 };
    struct bt_reader seq;
    size_t n;

    bt_der_rd_explicit(r, 0, BT_DER_TAG_SEQUENCE, &seq);
    n = rd_mech_types(&seq, &ni);
    if (bt_der_next_is(&seq, BT_DER_CTX(1)))
        rd_req_flags(&seq);
    if (bt_der_next_is(&seq, BT_DER_CTX(2)))
        ni.mech_token = rd_octets_field(&seq, 2);
    rd_init_tail(&seq, &ni);
    if (!bt_rd_done(&seq) || !bt_rd_done(r))
        return BT_E_SPNEGO_MALFORMED;
    /* Only a token that is otherwise well formed gets the specific code. */
    if (n > BT_NEG_MAX_MECHS)
        return BT_E_SPNEGO_TOO_MANY_MECHS;
    ni.n_mechs = n;
    *out = ni;
    return 0;
}

OM_uint32
bt_neg_rd_init_token(const void *data, size_t len, struct bt_neg_init *out)
{
    struct bt_reader r, oid, body;
    const uint8_t *p;
    size_t n;

    /* RFC 4178 4.2: "The syntax of the initial negotiation tokens follows
     * the initialContextToken syntax defined in Section 3.1 of
     * [RFC2743]" with the SPNEGO OID. */
    bt_rd_init(&r, data, len);
    bt_der_rd_token(&r, &oid, &body);
    p = bt_rd_rest(&oid, &n);
    if (!bt_rd_ok(&r) || p == NULL || n != sizeof(spnego_oid) ||
        memcmp(p, spnego_oid, n) != 0)
        return BT_E_TOKEN_FRAMING;
    return rd_init_choice(&body, out);
}

OM_uint32
bt_neg_rd_init_bare(const void *data, size_t len, struct bt_neg_init *out)
{
    struct bt_reader r;

    bt_rd_init(&r, data, len);
    return rd_init_choice(&r, out);
}

/* negState [0] ENUMERATED; RFC 4178 4.2.2 defines values 0 to 3 only. */
static enum bt_neg_state
rd_neg_state(struct bt_reader *seq)
{
    struct bt_reader field;
    int64_t v;

    bt_der_rd_tlv(seq, BT_DER_CTX(0), &field);
    v = bt_der_rd_enumerated(&field);
    end_field(seq, &field);
    if (v < BT_NEG_ACCEPT_COMPLETED || v > BT_NEG_REQUEST_MIC) {
        bt_rd_fail(seq);
        return BT_NEG_STATE_ABSENT;
    }
    return (enum bt_neg_state)v;
}

/* supportedMech [1] MechType, as a view of the OID's contents. */
static struct bt_neg_view
rd_mech_field(struct bt_reader *seq)
{
    struct bt_reader field, oid;
    struct bt_neg_view out;

    bt_der_rd_tlv(seq, BT_DER_CTX(1), &field);
    bt_der_rd_oid(&field, &oid);
    out = rest_view(&oid);
    end_field(seq, &field);
    return out;
}

OM_uint32
bt_neg_rd_resp(const void *data, size_t len, struct bt_neg_resp *out)
{
    struct bt_neg_resp nr = { BT_NEG_STATE_ABSENT, { NULL, 0 }, { NULL, 0 },
                              { NULL, 0 } };
    struct bt_reader r, seq;

    /* RFC 4178 4.2: "Subsequent tokens MUST NOT be encapsulated in this
     * GSS-API generic token framing": a 0x60 here is not [1]. */
    bt_rd_init(&r, data, len);
    bt_der_rd_explicit(&r, 1, BT_DER_TAG_SEQUENCE, &seq);
    if (bt_der_next_is(&seq, BT_DER_CTX(0)))
        nr.state = rd_neg_state(&seq);
    if (bt_der_next_is(&seq, BT_DER_CTX(1)))
        nr.supported_mech = rd_mech_field(&seq);
    if (bt_der_next_is(&seq, BT_DER_CTX(2)))
        nr.response_token = rd_octets_field(&seq, 2);
    if (bt_der_next_is(&seq, BT_DER_CTX(3)))
        nr.mech_list_mic = rd_octets_field(&seq, 3);
    if (!bt_rd_done(&seq) || !bt_rd_done(&r))
        return BT_E_SPNEGO_MALFORMED;
    *out = nr;
    return 0;
}

/* ---------------------------------------------------------------- writing */

/* The writers can only fail through the writer: an impossible request
 * (an empty or invalid OID, more than a DER length can say) poisons it,
 * so that bt_wr_take fails instead of a token the readers would refuse. */
static void
poison(struct bt_writer *w)
{
    (void)bt_wr_reserve(w, SIZE_MAX);
}

/* a + b, stuck at SIZE_MAX, which bt_der_wr_len refuses to write. */
static size_t
add_sat(size_t a, size_t b)
{
    return a > SIZE_MAX - b ? SIZE_MAX : a + b;
}

/* Octets of a TLV whose value is len octets. */
static size_t
tlv_size(size_t len)
{
    return len > BT_DER_MAX_LEN ? SIZE_MAX
                                : add_sat(1 + bt_der_len_size(len), len);
}

/* Octets of [n] EXPLICIT around a TLV of len value octets. */
static size_t
field_size(size_t len)
{
    return tlv_size(tlv_size(len));
}

/* A caller's buffer must be NULL (absent) or point at its length. */
static bool
buf_ok(const gss_buffer_desc *b)
{
    return b == NULL || b->length == 0 || b->value != NULL;
}

static size_t
opt_field_size(const gss_buffer_desc *b)
{
    return b == NULL ? 0 : field_size(b->length);
}

/* [n] { tag len value }. */
static void
wr_field(struct bt_writer *w, unsigned n, uint8_t tag, const void *p,
         size_t len)
{
    bt_wr_u8(w, BT_DER_CTX(n));
    bt_der_wr_len(w, tlv_size(len));
    bt_wr_u8(w, tag);
    bt_der_wr_len(w, len);
    bt_wr_bytes(w, p, len);
}

static void
wr_opt_octets(struct bt_writer *w, unsigned n, const gss_buffer_desc *b)
{
    if (b != NULL)
        wr_field(w, n, BT_DER_TAG_OCTETS, b->value, b->length);
}

static bool
oid_ok(const gss_OID_desc *oid)
{
    return oid != NULL && bt_der_oid_valid(oid->elements, oid->length);
}

void
bt_neg_wr_mech_types(struct bt_writer *w, const gss_OID_desc *const *mechs,
                     size_t n)
{
    size_t len = 0;

    /* The list the readers would refuse (empty, or an OID that is not
     * one) is never written. */
    if (n == 0) {
        poison(w);
        return;
    }
    for (size_t i = 0; i < n; i++) {
        if (!oid_ok(mechs[i])) {
            poison(w);
            return;
        }
        len = add_sat(len, tlv_size(mechs[i]->length));
    }
    bt_wr_u8(w, BT_DER_TAG_SEQUENCE);
    bt_der_wr_len(w, len);
    for (size_t i = 0; i < n; i++) {
        bt_wr_u8(w, BT_DER_TAG_OID);
        bt_der_wr_len(w, mechs[i]->length);
        bt_wr_bytes(w, mechs[i]->elements, mechs[i]->length);
    }
}

void
bt_neg_wr_init_token(struct bt_writer *w, const void *mech_types,
                     size_t mech_types_len, const gss_buffer_desc *mech_token,
                     const gss_buffer_desc *mic)
{
    struct bt_writer body;
    size_t fields;
    void *p = NULL;
    size_t n = 0;

    if (mech_types == NULL || mech_types_len == 0 || !buf_ok(mech_token) ||
        !buf_ok(mic)) {
        poison(w);
        return;
    }
    fields = add_sat(tlv_size(mech_types_len),
                     add_sat(opt_field_size(mech_token), opt_field_size(mic)));
    /* The inner token first: bt_der_wr_token frames a finished body. */
    bt_wr_init(&body, false);
    bt_wr_u8(&body, BT_DER_CTX(0));
    bt_der_wr_len(&body, tlv_size(fields));
    bt_wr_u8(&body, BT_DER_TAG_SEQUENCE);
    bt_der_wr_len(&body, fields);
    bt_wr_u8(&body, BT_DER_CTX(0));
    bt_der_wr_len(&body, mech_types_len);
    bt_wr_bytes(&body, mech_types, mech_types_len);
    wr_opt_octets(&body, 2, mech_token);
    wr_opt_octets(&body, 3, mic);
    if (bt_wr_take(&body, &p, &n) != 0) {
        poison(w);
        return;
    }
    bt_der_wr_token(w, spnego_oid, sizeof(spnego_oid), p, n);
    free(p);
}

void
bt_neg_wr_resp(struct bt_writer *w, enum bt_neg_state state,
               const gss_OID_desc *supported_mech,
               const gss_buffer_desc *token, const gss_buffer_desc *mic)
{
    uint8_t st = (uint8_t)state;
    size_t fields;

    if (state < BT_NEG_STATE_ABSENT || state > BT_NEG_REQUEST_MIC ||
        (supported_mech != NULL && !oid_ok(supported_mech)) ||
        !buf_ok(token) || !buf_ok(mic)) {
        poison(w);
        return;
    }
    fields = add_sat(state != BT_NEG_STATE_ABSENT ? field_size(1) : 0,
                     supported_mech != NULL
                         ? field_size(supported_mech->length) : 0);
    fields = add_sat(fields, add_sat(opt_field_size(token),
                                     opt_field_size(mic)));
    bt_wr_u8(w, BT_DER_CTX(1));
    bt_der_wr_len(w, tlv_size(fields));
    bt_wr_u8(w, BT_DER_TAG_SEQUENCE);
    bt_der_wr_len(w, fields);
    if (state != BT_NEG_STATE_ABSENT)
        wr_field(w, 0, BT_DER_TAG_ENUM, &st, 1);
    if (supported_mech != NULL)
        wr_field(w, 1, BT_DER_TAG_OID, supported_mech->elements,
                 supported_mech->length);
    wr_opt_octets(w, 2, token);
    wr_opt_octets(w, 3, mic);
}
