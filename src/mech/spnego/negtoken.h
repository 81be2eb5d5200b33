/*
 * negtoken.h - RFC 4178 section 4.2 negotiation tokens, read and written.
 *
 *   NegotiationToken ::= CHOICE {
 *       negTokenInit    [0] NegTokenInit,
 *       negTokenResp    [1] NegTokenResp }
 *   NegTokenInit ::= SEQUENCE {
 *       mechTypes       [0] MechTypeList,
 *       reqFlags        [1] ContextFlags  OPTIONAL,
 *       mechToken       [2] OCTET STRING  OPTIONAL,
 *       mechListMIC     [3] OCTET STRING  OPTIONAL, ... }
 *   NegTokenResp ::= SEQUENCE {
 *       negState        [0] ENUMERATED    OPTIONAL,
 *       supportedMech   [1] MechType      OPTIONAL,
 *       responseToken   [2] OCTET STRING  OPTIONAL,
 *       mechListMIC     [3] OCTET STRING  OPTIONAL, ... }
 *   MechTypeList ::= SEQUENCE OF MechType   (MechType ::= OBJECT IDENTIFIER)
 *
 * The initiator's first token is framed by RFC 2743 section 3.1 (0x60, the
 * SPNEGO OID, then the [0] choice); every later token in either direction
 * is a bare NegotiationToken.  Microsoft's NegTokenInit2 (MS-SPNG 2.2.1:
 * negHints [3] SEQUENCE before mechListMIC [4]) is read too, hints skipped.
 *
 * Parsers go through the one reader; what they return are views into the
 * caller's input (valid while it is).  They require DER and exactly one
 * token: trailing bytes, unknown tags, out-of-order or repeated fields fail
 * (RFC 4178 section 6 asks receivers to ignore unknown extensions; none is
 * defined, and a strict reader leaves no room for parser differentials).
 * mechTypes is required, even in NegTokenInit2; a [4] MIC is read with or
 * without hints; hints must hold a GeneralString name and OCTET STRING
 * address; reqFlags may be untrimmed (old senders write 03 02 00 xx) but
 * its padding bits must be zero.  Their result is 0 or a Baton minor code
 * (BT_E_SPNEGO_MALFORMED; BT_E_SPNEGO_TOO_MANY_MECHS only for a token that
 * is otherwise well formed; BT_E_TOKEN_FRAMING for a first token not
 * framed for SPNEGO or followed by trailing bytes); outputs are written
 * only on 0.
 *
 * Writers fail the writer (so bt_wr_take fails) rather than emit a token
 * they could not read back: an empty mechanism list, an empty or invalid
 * OID, a negState out of range, a buffer with NULL value and non-zero
 * length.
 */
#ifndef BATON_MECH_SPNEGO_NEGTOKEN_H_
#define BATON_MECH_SPNEGO_NEGTOKEN_H_

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <gssapi/gssapi.h>

#include "util/compiler.h"
#include "util/writer.h"

/* Mechanisms read from one MechTypeList; more fail the parse with
 * BT_E_SPNEGO_TOO_MANY_MECHS (Windows sends 4, MIT up to 5). */
#define BT_NEG_MAX_MECHS 16

/* negState values (RFC 4178 4.2.2); BT_NEG_STATE_ABSENT when omitted. */
enum bt_neg_state {
    BT_NEG_STATE_ABSENT = -1,
    BT_NEG_ACCEPT_COMPLETED = 0,
    BT_NEG_ACCEPT_INCOMPLETE = 1,
    BT_NEG_REJECT = 2,
    BT_NEG_REQUEST_MIC = 3
};

/* A view of bytes in the input; p == NULL means the field was absent (a
 * present empty OCTET STRING has p != NULL and len 0). */
struct bt_neg_view {
    const uint8_t *p;
    size_t len;
};

struct bt_neg_init {
    size_t n_mechs;
    /* Each mechanism's OID contents (no tag, no length), in order. */
    struct bt_neg_view mechs[BT_NEG_MAX_MECHS];
    /* The MechTypeList exactly as received, SEQUENCE tag and length
     * included: what both sides' mechListMIC covers (RFC 4178 5). */
    struct bt_neg_view mech_types_der;
    struct bt_neg_view mech_token;      /* [2], the optimistic token */
    struct bt_neg_view mech_list_mic;   /* [3] ([4] in NegTokenInit2) */
};

struct bt_neg_resp {
    enum bt_neg_state state;
    struct bt_neg_view supported_mech;  /* OID contents */
    struct bt_neg_view response_token;
    struct bt_neg_view mech_list_mic;
};

/* Reads the initiator's first token (RFC 2743 framing + [0] NegTokenInit).
 * A token whose framing names another OID gives BT_E_TOKEN_FRAMING. */
BT_MUST_CHECK OM_uint32 bt_neg_rd_init_token(const void *data, size_t len,
                                             struct bt_neg_init *out);

/* Reads a bare NegotiationToken that must be [1] NegTokenResp (every token
 * after the first, both directions).  An unknown negState value is
 * malformed. */
BT_MUST_CHECK OM_uint32 bt_neg_rd_resp(const void *data, size_t len,
                                       struct bt_neg_resp *out);

/* Reads a bare [0] NegTokenInit or NegTokenInit2 without RFC 2743 framing
 * (what an acceptor sends first in MS-SPNG's server-initiated variant, and
 * what some HTTP servers send); same output as bt_neg_rd_init_token. */
BT_MUST_CHECK OM_uint32 bt_neg_rd_init_bare(const void *data, size_t len,
                                            struct bt_neg_init *out);

/* Writes the DER MechTypeList (SEQUENCE OF OBJECT IDENTIFIER) for mechs:
 * the bytes the initiator sends and both MICs cover. */
void bt_neg_wr_mech_types(struct bt_writer *w, const gss_OID_desc *const *mechs,
                          size_t n);

/* Writes the initiator's first token, RFC 2743 framed: mech_types is a
 * complete MechTypeList from bt_neg_wr_mech_types; mech_token and mic may
 * be NULL (field omitted; a non-NULL empty buffer is written as an empty
 * OCTET STRING).  reqFlags is never written (RFC 4178 4.2.1: SHOULD be
 * omitted). */
void bt_neg_wr_init_token(struct bt_writer *w, const void *mech_types,
                          size_t mech_types_len, const gss_buffer_desc *mech_token,
                          const gss_buffer_desc *mic);

/* Writes a bare [1] NegTokenResp.  state BT_NEG_STATE_ABSENT omits negState;
 * supported_mech, token and mic may be NULL (omitted). */
void bt_neg_wr_resp(struct bt_writer *w, enum bt_neg_state state,
                    const gss_OID_desc *supported_mech,
                    const gss_buffer_desc *token, const gss_buffer_desc *mic);

#endif /* BATON_MECH_SPNEGO_NEGTOKEN_H_ */
