/*
 * status.c - gss_display_status: every major status bit, and minor codes
 * from Baton, errno and the mechanisms, as sentences.
 */
#include "glue/glue.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

/* RFC 2744 section 5.11 / appendix: the wording of each routine error. */
static const char *const routine_errors[] = {
    [1] = "An unsupported mechanism was requested",
    [2] = "An invalid name was supplied",
    [3] = "A supplied name was of an unsupported type",
    [4] = "Incorrect channel bindings were supplied",
    [5] = "An invalid status code was supplied",
    [6] = "A token had an invalid MIC",
    [7] = "No credentials were supplied, or the credentials were "
          "unavailable or inaccessible",
    [8] = "No context has been established",
    [9] = "A token was invalid",
    [10] = "A credential was invalid",
    [11] = "The referenced credentials have expired",
    [12] = "The context has expired",
    [13] = "Unspecified GSS failure.  Minor code may provide more information",
    [14] = "The quality-of-protection requested could not be provided",
    [15] = "The operation is forbidden by local security policy",
    [16] = "The operation or option is unavailable",
    [17] = "The requested credential element already exists",
    [18] = "The provided name was not a mechanism name",
    [19] = "An unknown mechanism attribute was supplied",
};

static const char *const calling_errors[] = {
    [1] = "A required input parameter could not be read",
    [2] = "A required output parameter could not be written",
    [3] = "A parameter was malformed",
};

static const char *const supplementary[] = {
    [0] = "The routine must be called again to complete its function",
    [1] = "The token was a duplicate of an earlier token",
    [2] = "The token's validity period has expired",
    [3] = "A later token has already been processed",
    [4] = "An expected per-message token was not received",
};

/* The n-th message of a major status: calling error first, then the
 * routine error, then each supplementary bit from low to high.  Writes the
 * text into buf and returns true, or returns false past the last one. */
static bool
nth_major_message(OM_uint32 status, unsigned n, char *buf, size_t size)
{
    OM_uint32 call = GSS_CALLING_ERROR_FIELD(status);
    OM_uint32 routine = GSS_ROUTINE_ERROR_FIELD(status);
    OM_uint32 supp = GSS_SUPPLEMENTARY_INFO_FIELD(status);

    if (status == GSS_S_COMPLETE) {
        if (n > 0)
            return false;
        snprintf(buf, size, "The routine completed successfully");
        return true;
    }
    if (call != 0 && n-- == 0) {
        if (call < BT_ARRAY_LEN(calling_errors) && calling_errors[call])
            snprintf(buf, size, "%s", calling_errors[call]);
        else
            snprintf(buf, size, "Unknown calling error %" PRIu32, call);
        return true;
    }
    if (routine != 0 && n-- == 0) {
        if (routine < BT_ARRAY_LEN(routine_errors) && routine_errors[routine])
            snprintf(buf, size, "%s", routine_errors[routine]);
        else
            snprintf(buf, size, "Unknown routine error %" PRIu32, routine);
        return true;
    }
    for (unsigned bit = 0; bit < 16; bit++) {
        if (!(supp & (1u << bit)) || n-- != 0)
            continue;
        if (bit < BT_ARRAY_LEN(supplementary))
            snprintf(buf, size, "%s", supplementary[bit]);
        else
            snprintf(buf, size, "Unknown supplementary status bit %u", bit);
        return true;
    }
    return false;
}

static OM_uint32
display_major(OM_uint32 *minor, OM_uint32 status, OM_uint32 *message_context,
              gss_buffer_t out)
{
    char text[128], next[128];
    OM_uint32 major;

    if (!nth_major_message(status, *message_context, text, sizeof(text)))
        return bt_fail(minor, GSS_S_BAD_STATUS, BT_E_BAD_STATUS_TYPE);
    major = bt_buf_set(minor, text, strlen(text), out);
    if (major != GSS_S_COMPLETE)
        return major;
    /* RFC 2744: message_context is zero after the last message. */
    if (nth_major_message(status, *message_context + 1, next, sizeof(next)))
        (*message_context)++;
    else
        *message_context = 0;
    return GSS_S_COMPLETE;
}

/* The sentence for a minor code: Baton's, errno's, or a mechanism's. */
static OM_uint32
display_minor(OM_uint32 *minor, OM_uint32 code, const struct bt_mech *mech,
              gss_buffer_t out)
{
    const struct bt_mech *const *mechs;
    const char *msg = bt_minor_message(code);
    char text[160];
    size_t n;

    if (msg != NULL)
        return bt_buf_set(minor, msg, strlen(msg), out);
    if (mech != NULL && mech->display_minor != NULL &&
        mech->display_minor(code, out))
        return GSS_S_COMPLETE;
    if (mech == NULL) {
        mechs = bt_mech_list(&n);
        for (size_t i = 0; i < n; i++) {
            if (mechs[i]->display_minor != NULL &&
                mechs[i]->display_minor(code, out))
                return GSS_S_COMPLETE;
        }
    }
    if (code == 0)
        snprintf(text, sizeof(text), "No additional information");
    else if (code < 4096 && strerror_r((int)code, text, sizeof(text)) == 0)
        ;   /* an errno value, e.g. ENOMEM */
    else
        snprintf(text, sizeof(text), "Unknown minor status code %" PRIu32
                 " (0x%08" PRIx32 ")", code, code);
    return bt_buf_set(minor, text, strlen(text), out);
}

BT_EXPORT OM_uint32
gss_display_status(OM_uint32 *minor_status, OM_uint32 status_value,
                   int status_type, gss_OID mech_type,
                   OM_uint32 *message_context, gss_buffer_t status_string)
{
    const struct bt_mech *mech = NULL;
    OM_uint32 major;

    if (minor_status != NULL)
        *minor_status = 0;
    bt_buf_clear(status_string);
    if (status_string == GSS_C_NO_BUFFER || message_context == NULL)
        return bt_fail(minor_status, GSS_S_CALL_INACCESSIBLE_WRITE, 0);
    if (status_type == GSS_C_GSS_CODE)
        return display_major(minor_status, status_value, message_context,
                             status_string);
    if (status_type != GSS_C_MECH_CODE)
        return bt_fail(minor_status, GSS_S_BAD_STATUS, BT_E_BAD_STATUS_TYPE);
    if (mech_type != GSS_C_NO_OID) {
        mech = bt_mech_find(mech_type);
        if (mech == NULL)
            return bt_fail(minor_status, GSS_S_BAD_MECH,
                           BT_E_UNSUPPORTED_MECH);
    }
    if (*message_context != 0)
        return bt_fail(minor_status, GSS_S_BAD_STATUS, BT_E_BAD_STATUS_TYPE);
    major = display_minor(minor_status, status_value, mech, status_string);
    if (major == GSS_S_COMPLETE)
        *message_context = 0;
    return major;
}
