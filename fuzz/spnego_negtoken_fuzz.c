/*
 * spnego_negtoken_fuzz.c - attacks the SPNEGO negotiation-token readers
 * (src/mech/spnego/negtoken.c): every input goes to bt_neg_rd_init_token,
 * bt_neg_rd_init_bare and bt_neg_rd_resp.
 *
 * For each reader:
 *   - the result is 0 or one of its minor codes, and a refusal leaves the
 *     output untouched;
 *   - an accepted token's views lie inside the input, a present mechanism
 *     OID is never empty, and there are 1 to BT_NEG_MAX_MECHS of them;
 *   - mech_types_der is the MechTypeList as received, so (DER having one
 *     encoding per value) bt_neg_wr_mech_types rebuilds it octet for octet
 *     from the mechanisms read;
 *   - the writers re-encode the views into a token that reads back to the
 *     same views; that token is the input octet for octet unless the input
 *     carried what the writers never send (found here by a walk of its
 *     own): reqFlags or NegTokenInit2's negHints make it shorter, a
 *     mechListMIC at NegTokenInit2's [4] comes back at [3].
 * And between them: the framed reader's answer is FRAMING for anything not
 * framed with the SPNEGO OID, else the bare reader's answer on the body,
 * with the same views.
 */
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "glue/minor.h"
#include "mech/spnego/negtoken.h"
#include "util/der.h"

static const uint8_t spnego_oid[] = { 0x2b, 0x06, 0x01, 0x05, 0x05, 0x02 };

static bool
same_view(struct bt_neg_view a, struct bt_neg_view b)
{
    return (a.p == NULL) == (b.p == NULL) && a.len == b.len &&
           (a.len == 0 || memcmp(a.p, b.p, a.len) == 0);
}

/* Absent, or inside the input. */
static bool
view_inside(struct bt_neg_view v, const uint8_t *data, size_t size)
{
    return v.p == NULL || FUZZ_INSIDE(v.p, v.len, data, size);
}

static bool
same_init(const struct bt_neg_init *a, const struct bt_neg_init *b)
{
    if (a->n_mechs != b->n_mechs ||
        !same_view(a->mech_types_der, b->mech_types_der) ||
        !same_view(a->mech_token, b->mech_token) ||
        !same_view(a->mech_list_mic, b->mech_list_mic))
        return false;
    for (size_t i = 0; i < a->n_mechs; i++) {
        if (!same_view(a->mechs[i], b->mechs[i]))
            return false;
    }
    return true;
}

/* The same views, pointer for pointer (two reads of one input). */
static bool
identical_init(const struct bt_neg_init *a, const struct bt_neg_init *b)
{
    if (a->n_mechs != b->n_mechs || !same_init(a, b) ||
        a->mech_types_der.p != b->mech_types_der.p ||
        a->mech_token.p != b->mech_token.p ||
        a->mech_list_mic.p != b->mech_list_mic.p)
        return false;
    for (size_t i = 0; i < a->n_mechs; i++) {
        if (a->mechs[i].p != b->mechs[i].p)
            return false;
    }
    return true;
}

static bool
same_resp(const struct bt_neg_resp *a, const struct bt_neg_resp *b)
{
    return a->state == b->state &&
           same_view(a->supported_mech, b->supported_mech) &&
           same_view(a->response_token, b->response_token) &&
           same_view(a->mech_list_mic, b->mech_list_mic);
}

/* A view as the writers take it: NULL when absent. */
static const gss_buffer_desc *
as_buffer(struct bt_neg_view v, gss_buffer_desc *b)
{
    if (v.p == NULL)
        return NULL;
    b->length = v.len;
    b->value = (void *)v.p;
    return b;
}

/* The body of an RFC 2743 token framed with the SPNEGO OID, or false. */
static bool
spnego_body(const uint8_t *data, size_t size, struct bt_reader *body)
{
    struct bt_reader r, oid;
    const uint8_t *p;
    size_t n;

    bt_rd_init(&r, data, size);
    bt_der_rd_token(&r, &oid, body);
    p = bt_rd_rest(&oid, &n);
    return bt_rd_ok(&r) && n == sizeof(spnego_oid) &&
           memcmp(p, spnego_oid, n) == 0;
}

/* What a bare NegTokenInit that was accepted holds beyond what the
 * writer sends, walked here with the plain DER helpers, independently of
 * negtoken.c: reqFlags [1] or negHints (a SEQUENCE in [3]), which the
 * writer drops, and a mechListMIC at [4], which it moves to [3]. */
enum { EXTRA_DROPPED = 1, EXTRA_MIC4 = 2 };

static int
extras(const uint8_t *body, size_t len)
{
    struct bt_reader r, choice, seq, field;
    int found = 0;

    bt_rd_init(&r, body, len);
    bt_der_rd_tlv(&r, BT_DER_CTX(0), &choice);
    bt_der_rd_tlv(&choice, BT_DER_TAG_SEQUENCE, &seq);
    while (bt_rd_remaining(&seq) > 0) {
        int tag = bt_rd_peek(&seq);

        bt_der_rd_tlv(&seq, (uint8_t)tag, &field);
        if (tag == BT_DER_CTX(1) ||
            (tag == BT_DER_CTX(3) &&
             bt_der_next_is(&field, BT_DER_TAG_SEQUENCE)))
            found |= EXTRA_DROPPED;
        if (tag == BT_DER_CTX(4))
            found |= EXTRA_MIC4;
    }
    FUZZ_CHECK(bt_rd_done(&seq));
    return found;
}

/* a and b (n octets each) differ in one octet only, a4 in a, a3 in b. */
static bool
only_mic_tag_moved(const uint8_t *a, const uint8_t *b, size_t n)
{
    size_t diffs = 0;

    for (size_t i = 0; i < n; i++) {
        if (a[i] == b[i])
            continue;
        if (a[i] != BT_DER_CTX(4) || b[i] != BT_DER_CTX(3))
            return false;
        diffs++;
    }
    return diffs == 1;
}

/* What every accepted NegTokenInit satisfies on its own. */
static void
check_init_views(const struct bt_neg_init *ni, const uint8_t *data,
                 size_t size)
{
    const gss_OID_desc *ptrs[BT_NEG_MAX_MECHS];
    gss_OID_desc oids[BT_NEG_MAX_MECHS];
    struct bt_writer w;
    void *out;
    size_t out_len;

    FUZZ_CHECK(ni->n_mechs >= 1 && ni->n_mechs <= BT_NEG_MAX_MECHS);
    FUZZ_CHECK(ni->mech_types_der.p != NULL);
    FUZZ_CHECK(view_inside(ni->mech_types_der, data, size));
    FUZZ_CHECK(view_inside(ni->mech_token, data, size));
    FUZZ_CHECK(view_inside(ni->mech_list_mic, data, size));
    for (size_t i = 0; i < ni->n_mechs; i++) {
        FUZZ_CHECK(ni->mechs[i].p != NULL && ni->mechs[i].len > 0);
        FUZZ_CHECK(view_inside(ni->mechs[i], data, size));
        oids[i].length = (OM_uint32)ni->mechs[i].len;
        oids[i].elements = (void *)ni->mechs[i].p;
        ptrs[i] = &oids[i];
    }
    bt_wr_init(&w, false);
    bt_neg_wr_mech_types(&w, ptrs, ni->n_mechs);
    FUZZ_CHECK(bt_wr_take(&w, &out, &out_len) == 0);
    FUZZ_CHECK(out_len == ni->mech_types_der.len &&
               memcmp(out, ni->mech_types_der.p, out_len) == 0);
    free(out);
}

/* Re-encodes an accepted bare NegTokenInit (body, len) and reads it back. */
static void
check_init_round_trip(const struct bt_neg_init *ni, const uint8_t *body,
                      size_t len)
{
    struct bt_neg_init again;
    struct bt_reader again_body;
    gss_buffer_desc tb, mb;
    struct bt_writer w;
    const uint8_t *p;
    void *out;
    size_t out_len, n;

    bt_wr_init(&w, false);
    bt_neg_wr_init_token(&w, ni->mech_types_der.p, ni->mech_types_der.len,
                         as_buffer(ni->mech_token, &tb),
                         as_buffer(ni->mech_list_mic, &mb));
    FUZZ_CHECK(bt_wr_take(&w, &out, &out_len) == 0);
    FUZZ_CHECK(bt_neg_rd_init_token(out, out_len, &again) == 0);
    FUZZ_CHECK(same_init(ni, &again));
    FUZZ_CHECK(spnego_body(out, out_len, &again_body));
    p = bt_rd_rest(&again_body, &n);
    switch (extras(body, len)) {
    case 0:
        FUZZ_CHECK(n == len && memcmp(p, body, len) == 0);
        break;
    case EXTRA_MIC4:
        FUZZ_CHECK(n == len && only_mic_tag_moved(body, p, len));
        break;
    default:
        FUZZ_CHECK(n < len);
        break;
    }
    free(out);
}

static void
check_init(const uint8_t *data, size_t size)
{
    struct bt_neg_init framed, bare, untouched;
    struct bt_reader body;
    const uint8_t *bp = NULL;
    size_t blen = 0;
    OM_uint32 rf, rb;

    memset(&untouched, 0xa5, sizeof(untouched));
    framed = bare = untouched;
    rf = bt_neg_rd_init_token(data, size, &framed);
    FUZZ_CHECK(rf == 0 || rf == BT_E_TOKEN_FRAMING ||
               rf == BT_E_SPNEGO_MALFORMED ||
               rf == BT_E_SPNEGO_TOO_MANY_MECHS);
    if (rf != 0)
        FUZZ_CHECK(memcmp(&framed, &untouched, sizeof(framed)) == 0);
    if (spnego_body(data, size, &body)) {
        bp = bt_rd_rest(&body, &blen);
        rb = bt_neg_rd_init_bare(bp, blen, &bare);
        FUZZ_CHECK(rf == rb);
        if (rf == 0)
            FUZZ_CHECK(identical_init(&framed, &bare));
    } else {
        FUZZ_CHECK(rf == BT_E_TOKEN_FRAMING);
    }
    if (rf == 0) {
        check_init_views(&framed, data, size);
        check_init_round_trip(&framed, bp, blen);
    }

    /* The input itself as a bare token. */
    bare = untouched;
    rb = bt_neg_rd_init_bare(data, size, &bare);
    FUZZ_CHECK(rb == 0 || rb == BT_E_SPNEGO_MALFORMED ||
               rb == BT_E_SPNEGO_TOO_MANY_MECHS);
    if (rb != 0) {
        FUZZ_CHECK(memcmp(&bare, &untouched, sizeof(bare)) == 0);
        return;
    }
    check_init_views(&bare, data, size);
    check_init_round_trip(&bare, data, size);
}

static void
check_resp(const uint8_t *data, size_t size)
{
    struct bt_neg_resp nr, again, untouched;
    gss_buffer_desc tb, mb;
    gss_OID_desc mech;
    struct bt_writer w;
    void *out;
    size_t out_len;
    OM_uint32 rc;

    memset(&untouched, 0xa5, sizeof(untouched));
    nr = untouched;
    rc = bt_neg_rd_resp(data, size, &nr);
    FUZZ_CHECK(rc == 0 || rc == BT_E_SPNEGO_MALFORMED);
    if (rc != 0) {
        FUZZ_CHECK(memcmp(&nr, &untouched, sizeof(nr)) == 0);
        return;
    }
    FUZZ_CHECK(nr.state >= BT_NEG_STATE_ABSENT &&
               nr.state <= BT_NEG_REQUEST_MIC);
    FUZZ_CHECK(view_inside(nr.supported_mech, data, size));
    FUZZ_CHECK(view_inside(nr.response_token, data, size));
    FUZZ_CHECK(view_inside(nr.mech_list_mic, data, size));
    FUZZ_CHECK(nr.supported_mech.p == NULL || nr.supported_mech.len > 0);
    mech.length = (OM_uint32)nr.supported_mech.len;
    mech.elements = (void *)nr.supported_mech.p;

    /* NegTokenResp has no field the writer drops: the input comes back. */
    bt_wr_init(&w, false);
    bt_neg_wr_resp(&w, nr.state, nr.supported_mech.p != NULL ? &mech : NULL,
                   as_buffer(nr.response_token, &tb),
                   as_buffer(nr.mech_list_mic, &mb));
    FUZZ_CHECK(bt_wr_take(&w, &out, &out_len) == 0);
    FUZZ_CHECK(out_len == size && memcmp(out, data, size) == 0);
    FUZZ_CHECK(bt_neg_rd_resp(out, out_len, &again) == 0);
    FUZZ_CHECK(same_resp(&nr, &again));
    free(out);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    check_init(data, size);
    check_resp(data, size);
    return 0;
}
