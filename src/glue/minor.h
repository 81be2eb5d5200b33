/*
 * minor.h - Baton's own minor status codes.
 *
 * The glue and the transfer layer report these; mechanisms report their own
 * (the Kerberos mechanism reports libkrb5's com_err codes).  Codes below
 * 4096 are errno values.  gss_display_status turns each into a sentence.
 */
#ifndef BATON_GLUE_MINOR_H_
#define BATON_GLUE_MINOR_H_

#include <stdbool.h>

#include <gssapi/gssapi.h>

#define BT_MINOR_BASE ((OM_uint32)0x42540000u)   /* "BT" */

enum bt_minor {
    BT_E_NO_MECH = BT_MINOR_BASE + 1,
    BT_E_UNSUPPORTED_MECH,
    BT_E_NOT_IMPLEMENTED,
    BT_E_BAD_OID_STRING,
    BT_E_BAD_OID_ENCODING,
    BT_E_EXPORTED_NAME_MALFORMED,
    BT_E_NAME_EMPTY,
    BT_E_NAME_NUL,
    BT_E_NAME_TYPE_UNSUPPORTED,
    BT_E_NAME_NOT_MN,
    BT_E_NAME_ANONYMOUS,
    BT_E_NAME_OTHER_MECH,
    BT_E_COMPOSITE_NAME,
    BT_E_TOKEN_FRAMING,
    BT_E_TOKEN_OID_MISMATCH,
    BT_E_TOKEN_EMPTY,
    BT_E_BAD_STATUS_TYPE,
    BT_E_BAD_CRED_USAGE,
    BT_E_MECH_NOT_IN_CRED,
    BT_E_DUPLICATE_MECH,
    BT_E_CTX_NOT_ESTABLISHED,
    BT_E_BAD_HANDLE,
    BT_E_NOT_A_MECH_ATTR,
    BT_E_UNKNOWN_SASL_NAME,
    BT_E_BAD_BUFFER,
    BT_E_MIT_INTERNAL,
    BT_E_LEGACY_ENCTYPE,
    BT_E_CTX_ALREADY_OPEN,
    BT_E_TOKEN_ID,
    BT_E_BAD_REPLY,
    BT_E_NO_CHECKSUM,
    BT_E_BAD_CHECKSUM_FIELD,
    BT_E_WRONG_DIRECTION,
    BT_E_WRONG_SUBKEY_FLAG,
    BT_E_TOKEN_HEADER,
    BT_E_ENCRYPTED_HEADER,
    BT_E_BAD_PRF_ARGS,
    BT_E_TRANSFER_MALFORMED,
    BT_E_TRANSFER_VERSION,
    BT_E_TRANSFER_WRONG_KEY,
    BT_E_TRANSFER_ALTERED,
    BT_E_TRANSFER_EXPIRED,
    BT_E_TRANSFER_FUTURE,
    BT_E_TRANSFER_UID,
    BT_E_TRANSFER_PGRP,
    BT_E_TRANSFER_UNSEALED,
    BT_E_TRANSFER_REUSED,
    BT_E_TRANSFER_LEDGER,
    BT_E_TRANSFER_LEDGER_FULL,
    BT_E_TRANSFER_KEY_SOURCE,
    BT_E_TRANSFER_KEY_UNSAFE,
    BT_E_TRANSFER_SETTINGS,
    BT_E_TRANSFER_MECH,
    BT_E_TRANSFER_INJECTED,
    BT_E_HANDOFF_PEER_POLICY,
    BT_E_HANDOFF_PEER_GONE,
    BT_E_HANDOFF_PROTOCOL,
    BT_E_HANDOFF_NO_FD,
    BT_E_HANDOFF_REFUSED,
    BT_E_IOV_LAYOUT,
    BT_E_IOV_SMALL,
    BT_E_IOV_SIZES,
    BT_E_LAST
};

/* The sentence for a Baton minor code, or NULL if code is not one. */
const char *bt_minor_message(OM_uint32 code);

#endif /* BATON_GLUE_MINOR_H_ */
