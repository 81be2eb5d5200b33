/*
 * negtoken_check.h - what the negotiation-token tests share: hex input and
 * one call that runs any of the three readers and checks, on a refusal,
 * that the output was not written.  Include after check.h.
 */
#ifndef BATON_TESTS_MECH_SPNEGO_NEGTOKEN_CHECK_H_
#define BATON_TESTS_MECH_SPNEGO_NEGTOKEN_CHECK_H_

#include <ctype.h>
#include <stdint.h>

#include "glue/minor.h"
#include "mech/spnego/negtoken.h"

#define MALFORMED BT_E_SPNEGO_MALFORMED
#define FRAMING   BT_E_TOKEN_FRAMING

struct hex {
    uint8_t b[1024];
    size_t n;
};

/* Hex digits with optional spaces (which only make structure visible). */
static void
unhex(const char *s, struct hex *out)
{
    out->n = 0;
    for (; *s != '\0'; s++) {
        unsigned v;

        if (*s == ' ')
            continue;
        if (!isxdigit((unsigned char)s[0]) || !isxdigit((unsigned char)s[1]) ||
            out->n == sizeof(out->b) || sscanf(s, "%2x", &v) != 1) {
            fprintf(stderr, "unhex: bad test vector near \"%s\"\n", s);
            abort();
        }
        out->b[out->n++] = (uint8_t)v;
        s++;
    }
}

enum reader_kind { RD_TOKEN, RD_BARE, RD_RESP };

/* True if all n octets at p are v (padding included, so no struct copy). */
static bool
all_octets(const void *p, size_t n, uint8_t v)
{
    const uint8_t *b = p;

    for (size_t i = 0; i < n; i++) {
        if (b[i] != v)
            return false;
    }
    return true;
}

/* Runs reader k on the n octets at p.  On success the parse lands in
 * *init or *resp (either may be NULL); on a refusal, CHECKs that the
 * reader did not write its output (negtoken.h: "outputs are written only
 * on 0"). */
static OM_uint32
read_as(enum reader_kind k, const void *p, size_t n, struct bt_neg_init *init,
        struct bt_neg_resp *resp)
{
    struct bt_neg_init ni;
    struct bt_neg_resp nr;
    OM_uint32 rc;

    memset(&ni, 0x5a, sizeof(ni));
    memset(&nr, 0x5a, sizeof(nr));
    if (k == RD_TOKEN)
        rc = bt_neg_rd_init_token(p, n, &ni);
    else if (k == RD_BARE)
        rc = bt_neg_rd_init_bare(p, n, &ni);
    else
        rc = bt_neg_rd_resp(p, n, &nr);
    if (rc != 0) {
        CHECK(all_octets(&ni, sizeof(ni), 0x5a));
        CHECK(all_octets(&nr, sizeof(nr), 0x5a));
        return rc;
    }
    if (init != NULL)
        *init = ni;
    if (resp != NULL)
        *resp = nr;
    return rc;
}

#endif /* BATON_TESTS_MECH_SPNEGO_NEGTOKEN_CHECK_H_ */
