/*
 * ctxtoken.h - RFC 4121 4.1 context tokens: the RFC 2743 3.1 header with
 * the krb5 OID, a two-octet TOK_ID, then an AP-REQ, AP-REP or KRB-ERROR.
 */
#ifndef BATON_MECH_KRB5_CTXTOKEN_H_
#define BATON_MECH_KRB5_CTXTOKEN_H_

#include <stddef.h>
#include <stdint.h>

#include <gssapi/gssapi.h>

#include "util/compiler.h"
#include "util/reader.h"

#define BT_KRB5_TOK_AP_REQ    0x0100
#define BT_KRB5_TOK_AP_REP    0x0200
#define BT_KRB5_TOK_KRB_ERROR 0x0300

/* Frames body as a context token into out (malloc'd gss buffer). */
BT_MUST_CHECK OM_uint32 bt_krb5_frame(OM_uint32 *minor, uint16_t tok_id,
                                      const void *body, size_t len,
                                      gss_buffer_t out);

/* Parses a context token of any krb5 OID: *tok_id and body (a reader over
 * the Kerberos message).  GSS_S_DEFECTIVE_TOKEN if malformed. */
BT_MUST_CHECK OM_uint32 bt_krb5_unframe(OM_uint32 *minor,
                                        const gss_buffer_desc *in,
                                        uint16_t *tok_id,
                                        struct bt_reader *body);

#endif /* BATON_MECH_KRB5_CTXTOKEN_H_ */
