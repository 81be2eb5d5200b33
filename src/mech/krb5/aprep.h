/*
 * aprep.h - reading an AP-REP (RFC 4120 5.5.2) without an auth context, so
 * that an initiator waiting for it needs only its session key and
 * authenticator time: state that can be serialized and moved.
 */
#ifndef BATON_MECH_KRB5_APREP_H_
#define BATON_MECH_KRB5_APREP_H_

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <krb5.h>

#include "util/compiler.h"

struct bt_krb5_aprep {
    int64_t ctime;              /* seconds since the epoch */
    int64_t cusec;
    bool have_subkey;
    krb5_keyblock subkey;       /* contents malloc'd; free with
                                   bt_krb5_aprep_free */
    bool have_seq;
    uint32_t seq;
};

/* Parses the DER AP-REP in der[0..len) and decrypts its EncAPRepPart with
 * session (key usage 12).  Returns 0, KRB5_BADMSGTYPE or ASN1_BAD_FORMAT
 * for malformed input, or the decryption error. */
BT_MUST_CHECK krb5_error_code bt_krb5_read_ap_rep(krb5_context k,
                                                  krb5_key session,
                                                  const void *der, size_t len,
                                                  struct bt_krb5_aprep *out);

/* Reads ctime and cusec back from the authenticator of an AP-REQ we made
 * (decrypting it with session, key usage 11): libkrb5 offers no working
 * way to ask an auth context for them after krb5_mk_req_extended. */
BT_MUST_CHECK krb5_error_code bt_krb5_read_own_ap_req(krb5_context k,
                                                      krb5_key session,
                                                      const void *der,
                                                      size_t len,
                                                      int64_t *ctime,
                                                      int64_t *cusec);

/* The service principal an AP-REQ's ticket names (its realm and sname, in
 * the clear), for a KRB-ERROR when krb5_rd_req refused the request. */
BT_MUST_CHECK krb5_error_code bt_krb5_ap_req_server(krb5_context k,
                                                    const void *der,
                                                    size_t len,
                                                    krb5_principal *out);

/* Releases (and wipes) what bt_krb5_read_ap_rep allocated. */
void bt_krb5_aprep_free(struct bt_krb5_aprep *rep);

#endif /* BATON_MECH_KRB5_APREP_H_ */
