/*
 * minor.c - sentences for Baton's minor status codes.
 */
#include "glue/minor.h"

#include "util/compiler.h"

static const char *const messages[] = {
    [BT_E_NO_MECH - BT_MINOR_BASE] =
        "No mechanism in this library can serve the request",
    [BT_E_UNSUPPORTED_MECH - BT_MINOR_BASE] =
        "The requested mechanism is not supported by this library",
    [BT_E_NOT_IMPLEMENTED - BT_MINOR_BASE] =
        "The mechanism does not implement this operation yet",
    [BT_E_BAD_OID_STRING - BT_MINOR_BASE] =
        "The string is not an object identifier in \"{ 1 2 3 }\" or "
        "\"1.2.3\" form",
    [BT_E_BAD_OID_ENCODING - BT_MINOR_BASE] =
        "The object identifier's DER encoding is malformed",
    [BT_E_EXPORTED_NAME_MALFORMED - BT_MINOR_BASE] =
        "The exported name is malformed (RFC 2743 section 3.2 format expected)",
    [BT_E_NAME_EMPTY - BT_MINOR_BASE] = "The name is empty",
    [BT_E_NAME_NUL - BT_MINOR_BASE] =
        "The name contains a NUL byte before its end",
    [BT_E_NAME_TYPE_UNSUPPORTED - BT_MINOR_BASE] =
        "No mechanism supports the name type",
    [BT_E_NAME_NOT_MN - BT_MINOR_BASE] =
        "The name is not a mechanism name; canonicalize it first",
    [BT_E_NAME_ANONYMOUS - BT_MINOR_BASE] =
        "Anonymous names cannot be compared or exported",
    [BT_E_NAME_OTHER_MECH - BT_MINOR_BASE] =
        "The name is a mechanism name of a different mechanism",
    [BT_E_COMPOSITE_NAME - BT_MINOR_BASE] =
        "Composite exported names are not supported",
    [BT_E_TOKEN_FRAMING - BT_MINOR_BASE] =
        "The token does not carry a valid RFC 2743 mechanism header",
    [BT_E_TOKEN_OID_MISMATCH - BT_MINOR_BASE] =
        "The token is framed for a different mechanism",
    [BT_E_TOKEN_EMPTY - BT_MINOR_BASE] = "The token is empty",
    [BT_E_BAD_STATUS_TYPE - BT_MINOR_BASE] =
        "The status type is neither GSS_C_GSS_CODE nor GSS_C_MECH_CODE",
    [BT_E_BAD_CRED_USAGE - BT_MINOR_BASE] =
        "The credential usage is not GSS_C_INITIATE, GSS_C_ACCEPT or "
        "GSS_C_BOTH",
    [BT_E_MECH_NOT_IN_CRED - BT_MINOR_BASE] =
        "The credential holds no element for the requested mechanism",
    [BT_E_DUPLICATE_MECH - BT_MINOR_BASE] =
        "The credential already holds an element for this mechanism",
    [BT_E_CTX_NOT_ESTABLISHED - BT_MINOR_BASE] =
        "The security context is not fully established",
    [BT_E_BAD_HANDLE - BT_MINOR_BASE] =
        "The handle is stale, was never issued, or is of the wrong kind",
    [BT_E_NOT_A_MECH_ATTR - BT_MINOR_BASE] =
        "The object identifier is not a known mechanism attribute",
    [BT_E_UNKNOWN_SASL_NAME - BT_MINOR_BASE] =
        "No mechanism has that SASL name",
    [BT_E_BAD_BUFFER - BT_MINOR_BASE] =
        "A buffer has a nonzero length but no data pointer",
    [BT_E_MIT_INTERNAL - BT_MINOR_BASE] =
        "This MIT-internal entry point exists only so that programs load; "
        "it is not supported",
    [BT_E_LEGACY_ENCTYPE - BT_MINOR_BASE] =
        "The session key's encryption type would need RFC 1964 tokens "
        "(DES3 or RC4), which are not supported; use an AES enctype",
    [BT_E_CTX_ALREADY_OPEN - BT_MINOR_BASE] =
        "The security context is already established",
    [BT_E_TOKEN_ID - BT_MINOR_BASE] =
        "The token's TOK_ID is not the one expected at this step",
    [BT_E_BAD_REPLY - BT_MINOR_BASE] =
        "The AP-REP does not answer this context's authenticator",
    [BT_E_NO_CHECKSUM - BT_MINOR_BASE] =
        "The authenticator lacks the RFC 4121 GSS checksum (type 0x8003)",
    [BT_E_BAD_CHECKSUM_FIELD - BT_MINOR_BASE] =
        "The authenticator's GSS checksum field is malformed",
    [BT_E_WRONG_DIRECTION - BT_MINOR_BASE] =
        "The token claims to come from this side of the context "
        "(SentByAcceptor flag is wrong)",
    [BT_E_WRONG_SUBKEY_FLAG - BT_MINOR_BASE] =
        "The token's AcceptorSubkey flag does not match the context",
    [BT_E_TOKEN_HEADER - BT_MINOR_BASE] =
        "The per-message token header is malformed (TOK_ID, filler, EC or "
        "length)",
    [BT_E_ENCRYPTED_HEADER - BT_MINOR_BASE] =
        "The encrypted copy of the wrap token header does not match",
    [BT_E_BAD_PRF_ARGS - BT_MINOR_BASE] =
        "The PRF key selector is neither GSS_C_PRF_KEY_FULL nor "
        "GSS_C_PRF_KEY_PARTIAL, or the output length is not positive",
    [BT_E_TRANSFER_MALFORMED - BT_MINOR_BASE] =
        "The interprocess token is malformed or truncated",
    [BT_E_TRANSFER_VERSION - BT_MINOR_BASE] =
        "The interprocess token has a format version this library does not "
        "read",
    [BT_E_TRANSFER_WRONG_KEY - BT_MINOR_BASE] =
        "The interprocess token was sealed under a different transfer key",
    [BT_E_TRANSFER_ALTERED - BT_MINOR_BASE] =
        "The interprocess token failed authentication: it was altered or "
        "damaged",
    [BT_E_TRANSFER_EXPIRED - BT_MINOR_BASE] =
        "The interprocess token's transfer lifetime has passed",
    [BT_E_TRANSFER_FUTURE - BT_MINOR_BASE] =
        "The interprocess token claims to be created in the future",
    [BT_E_TRANSFER_UID - BT_MINOR_BASE] =
        "Policy uid: this process's effective uid is not the exporter's",
    [BT_E_TRANSFER_PGRP - BT_MINOR_BASE] =
        "Policy pgrp: this process is not in the exporter's process group",
    [BT_E_TRANSFER_UNSEALED - BT_MINOR_BASE] =
        "Unsealed interprocess tokens are refused unless the unsealed mode "
        "(key source none) is configured",
    [BT_E_TRANSFER_REUSED - BT_MINOR_BASE] =
        "The interprocess token was already imported once; a context can "
        "be instantiated only once",
    [BT_E_TRANSFER_LEDGER - BT_MINOR_BASE] =
        "The single-use ledger in the runtime directory is unavailable",
    [BT_E_TRANSFER_LEDGER_FULL - BT_MINOR_BASE] =
        "The single-use ledger has no free entry for this token",
    [BT_E_TRANSFER_KEY_SOURCE - BT_MINOR_BASE] =
        "The configured transfer key source has no key",
    [BT_E_TRANSFER_KEY_UNSAFE - BT_MINOR_BASE] =
        "The transfer key file or runtime directory is not private to this "
        "account (owner or mode wrong)",
    [BT_E_TRANSFER_SETTINGS - BT_MINOR_BASE] =
        "The Baton configuration file cannot be read or has an unknown "
        "setting",
    [BT_E_TRANSFER_MECH - BT_MINOR_BASE] =
        "The interprocess token names a mechanism this library does not "
        "have",
    [BT_E_TRANSFER_INJECTED - BT_MINOR_BASE] =
        "A failure was injected for testing",
    [BT_E_HANDOFF_PEER_POLICY - BT_MINOR_BASE] =
        "The process at the other end of the handoff socket is not allowed "
        "by the transfer policy (its uid or process group differs)",
    [BT_E_HANDOFF_PEER_GONE - BT_MINOR_BASE] =
        "The process at the other end of the handoff socket went away",
    [BT_E_HANDOFF_PROTOCOL - BT_MINOR_BASE] =
        "The handoff message is malformed or too large",
    [BT_E_HANDOFF_NO_FD - BT_MINOR_BASE] =
        "The handoff message did not carry the connection's descriptor",
    [BT_E_HANDOFF_REFUSED - BT_MINOR_BASE] =
        "The receiving process could not import the context",
    [BT_E_IOV_LAYOUT - BT_MINOR_BASE] =
        "The IOV array does not fit the call: a buffer the call needs is "
        "missing (HEADER or STREAM to unwrap, HEADER to wrap, MIC_TOKEN for "
        "a MIC, exactly one DATA beside a STREAM), or it holds two buffers "
        "of a kind that may appear once, or a type the call does not use",
    [BT_E_IOV_SMALL - BT_MINOR_BASE] =
        "An IOV buffer is smaller than the token part it must hold and "
        "does not carry GSS_IOV_BUFFER_FLAG_ALLOCATE",
    [BT_E_IOV_SIZES - BT_MINOR_BASE] =
        "The token's parts do not match the IOV buffers they arrived in: a "
        "HEADER, TRAILER or STREAM buffer of the wrong length, or a rotation "
        "count (RRC) that does not fit the layout",
    [BT_E_SPNEGO_MALFORMED - BT_MINOR_BASE] =
        "The SPNEGO token is malformed (RFC 4178 NegTokenInit or NegTokenResp "
        "expected)",
    [BT_E_SPNEGO_TOO_MANY_MECHS - BT_MINOR_BASE] =
        "The SPNEGO token offers more mechanisms than Baton reads (16)",
    [BT_E_SPNEGO_NO_COMMON_MECH - BT_MINOR_BASE] =
        "SPNEGO negotiation failed: the peer offers no mechanism this side "
        "accepts",
    [BT_E_SPNEGO_REJECTED - BT_MINOR_BASE] =
        "The SPNEGO peer rejected the negotiation (negState reject)",
    [BT_E_SPNEGO_UNEXPECTED - BT_MINOR_BASE] =
        "The SPNEGO token does not fit this step of the negotiation",
    [BT_E_SPNEGO_MIC_MISSING - BT_MINOR_BASE] =
        "The SPNEGO peer did not send the mechListMIC that RFC 4178 section 5 "
        "requires here; the mechanism list may have been tampered with",
    [BT_E_SPNEGO_MIC_UNEXPECTED - BT_MINOR_BASE] =
        "The SPNEGO peer sent a mechListMIC before its mechanism was complete",
    [BT_E_SPNEGO_MECH_CHANGED - BT_MINOR_BASE] =
        "The SPNEGO peer named a different mechanism than the one negotiated",
    [BT_E_SPNEGO_NOT_NEGOTIATED - BT_MINOR_BASE] =
        "The SPNEGO context has not chosen a mechanism yet",
};

const char *
bt_minor_message(OM_uint32 code)
{
    if (code <= BT_MINOR_BASE || code >= BT_E_LAST)
        return NULL;
    return messages[code - BT_MINOR_BASE];
}
