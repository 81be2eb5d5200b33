/* Tests for src/glue/status.c: every major bit in RFC 2744 wording,
 * message_context iteration, minor codes from each source. */
#include "check.h"

#include <gssapi/gssapi_krb5.h>
#include <krb5.h>

#include "glue/minor.h"

/* Collects all messages of a status into one "a|b|c" string. */
static int
all_messages(OM_uint32 status, int type, gss_OID mech, char *out, size_t n)
{
    OM_uint32 minor, ctx = 0, major;
    int count = 0;

    out[0] = '\0';
    do {
        gss_buffer_desc b = GSS_C_EMPTY_BUFFER;

        major = gss_display_status(&minor, status, type, mech, &ctx, &b);
        if (major != GSS_S_COMPLETE)
            return -1;
        if (b.length == 0)
            return -2;                      /* never an empty sentence */
        if (count++ > 0)
            strncat(out, "|", n - strlen(out) - 1);
        strncat(out, b.value, n - strlen(out) - 1);
        gss_release_buffer(&minor, &b);
    } while (ctx != 0 && count < 20);
    return count;
}

static void
every_routine_error_has_its_sentence(void)
{
    char text[512];

    for (OM_uint32 e = 1; e <= 19; e++) {
        CHECK(all_messages(e << GSS_C_ROUTINE_ERROR_OFFSET, GSS_C_GSS_CODE,
                           GSS_C_NO_OID, text, sizeof(text)) == 1);
        CHECK(strncmp(text, "Unknown", 7) != 0);
    }
    all_messages(GSS_S_BAD_MECH, GSS_C_GSS_CODE, NULL, text, sizeof(text));
    CHECK(strcmp(text, "An unsupported mechanism was requested") == 0);
    all_messages(GSS_S_NO_CONTEXT, GSS_C_GSS_CODE, NULL, text, sizeof(text));
    CHECK(strcmp(text, "No context has been established") == 0);
    all_messages(GSS_S_COMPLETE, GSS_C_GSS_CODE, NULL, text, sizeof(text));
    CHECK(strcmp(text, "The routine completed successfully") == 0);
}

static void
calling_errors_and_supplementary_bits(void)
{
    char text[512];

    CHECK(all_messages(GSS_S_CALL_INACCESSIBLE_READ, GSS_C_GSS_CODE, NULL,
                       text, sizeof(text)) == 1);
    CHECK(strcmp(text, "A required input parameter could not be read") == 0);
    CHECK(all_messages(GSS_S_CALL_BAD_STRUCTURE, GSS_C_GSS_CODE, NULL, text,
                       sizeof(text)) == 1);
    CHECK(all_messages(GSS_S_CONTINUE_NEEDED, GSS_C_GSS_CODE, NULL, text,
                       sizeof(text)) == 1);
    CHECK(strstr(text, "called again") != NULL);
    for (int bit = 0; bit < 5; bit++)
        CHECK(all_messages(1u << bit, GSS_C_GSS_CODE, NULL, text,
                           sizeof(text)) == 1);
}

static void
several_bits_iterate_in_order(void)
{
    char text[1024];
    OM_uint32 status = GSS_S_CALL_INACCESSIBLE_WRITE | GSS_S_BAD_SIG |
                       GSS_S_DUPLICATE_TOKEN | GSS_S_GAP_TOKEN;

    CHECK(all_messages(status, GSS_C_GSS_CODE, NULL, text, sizeof(text)) == 4);
    CHECK(strcmp(text, "A required output parameter could not be written|"
                       "A token had an invalid MIC|"
                       "The token was a duplicate of an earlier token|"
                       "An expected per-message token was not received") == 0);
}

static void
unknown_codes_still_make_sentences(void)
{
    char text[512];

    CHECK(all_messages(77u << GSS_C_ROUTINE_ERROR_OFFSET, GSS_C_GSS_CODE,
                       NULL, text, sizeof(text)) == 1);
    CHECK(strcmp(text, "Unknown routine error 77") == 0);
    CHECK(all_messages(9u << GSS_C_CALLING_ERROR_OFFSET, GSS_C_GSS_CODE, NULL,
                       text, sizeof(text)) == 1);
    CHECK(all_messages(1u << 9, GSS_C_GSS_CODE, NULL, text, sizeof(text)) == 1);
    CHECK(strcmp(text, "Unknown supplementary status bit 9") == 0);
    CHECK(all_messages(0x7eadbeef, GSS_C_MECH_CODE, NULL, text,
                       sizeof(text)) == 1);
    CHECK(strstr(text, "0x7eadbeef") != NULL);
}

static void
minor_codes_from_baton_errno_and_krb5(void)
{
    char text[512];

    CHECK(all_messages(BT_E_NAME_NOT_MN, GSS_C_MECH_CODE, GSS_C_NO_OID, text,
                       sizeof(text)) == 1);
    CHECK(strstr(text, "not a mechanism name") != NULL);
    CHECK(all_messages(12 /* ENOMEM */, GSS_C_MECH_CODE, NULL, text,
                       sizeof(text)) == 1);
    CHECK(strstr(text, "memory") != NULL);
    CHECK(all_messages((OM_uint32)KRB5_CC_NOTFOUND, GSS_C_MECH_CODE,
                       gss_mech_krb5, text, sizeof(text)) == 1);
    CHECK(strstr(text, "not found") != NULL);
    CHECK(all_messages((OM_uint32)KRB5KRB_AP_ERR_TKT_EXPIRED, GSS_C_MECH_CODE,
                       GSS_C_NO_OID, text, sizeof(text)) == 1);
    CHECK(strstr(text, "expired") != NULL);
    for (OM_uint32 c = BT_MINOR_BASE + 1; c < BT_E_LAST; c++)
        CHECK(bt_minor_message(c) != NULL);
}

static void
bad_arguments(void)
{
    OM_uint32 minor, ctx = 0;
    gss_buffer_desc b;
    gss_OID_desc bogus = { 3, (void *)"\x2a\x03\x04" };

    CHECK_MAJOR(gss_display_status(&minor, 0, 3, NULL, &ctx, &b),
                GSS_S_BAD_STATUS);
    CHECK_MAJOR(gss_display_status(&minor, 0, GSS_C_MECH_CODE, &bogus, &ctx,
                                   &b), GSS_S_BAD_MECH);
    CHECK_MAJOR(gss_display_status(&minor, 0, GSS_C_GSS_CODE, NULL, NULL, &b),
                GSS_S_CALL_INACCESSIBLE_WRITE);
    CHECK_MAJOR(gss_display_status(&minor, 0, GSS_C_GSS_CODE, NULL, &ctx,
                                   NULL), GSS_S_CALL_INACCESSIBLE_WRITE);
    ctx = 5;                            /* past the last message */
    CHECK_MAJOR(gss_display_status(&minor, GSS_S_FAILURE, GSS_C_GSS_CODE,
                                   NULL, &ctx, &b), GSS_S_BAD_STATUS);
}

BT_TEST_MAIN(every_routine_error_has_its_sentence,
             calling_errors_and_supplementary_bits,
             several_bits_iterate_in_order, unknown_codes_still_make_sentences,
             minor_codes_from_baton_errno_and_krb5, bad_arguments)
