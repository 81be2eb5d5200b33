/*
 * gss_str_to_oid_fuzz.c - attacks gss_str_to_oid (src/glue/oid_str.c) with
 * arbitrary bytes as the text of an OID.
 *
 * Whatever it accepts must print (gss_oid_to_str) as a string (its length
 * counting the NUL, as MIT's does) that parses back to the identical
 * encoding, in the braced form it prints and in the dotted form it also
 * reads; printing that again gives the same string.  What it refuses is
 * GSS_S_FAILURE with no OID left behind.
 */
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include <gssapi/gssapi.h>

#include "fuzz.h"

static bool
same_oid(const gss_OID_desc *a, const gss_OID_desc *b)
{
    return a->length == b->length &&
           memcmp(a->elements, b->elements, a->length) == 0;
}

/* "{ 1 2 840 }" -> "1.2.840" (the input is known to be well formed). */
static char *
dotted(const char *s)
{
    size_t n = strlen(s);
    char *out = malloc(n + 1), *o = out;

    FUZZ_CHECK(out != NULL);
    for (size_t i = 0; i < n; i++) {
        if (s[i] >= '0' && s[i] <= '9')
            *o++ = s[i];
        else if (s[i] == ' ' && o > out && o[-1] != '.' && s[i + 1] != '}')
            *o++ = '.';
    }
    *o = '\0';
    return out;
}

static gss_OID
parse_ok(const char *text, size_t len)
{
    gss_buffer_desc in = { len, (void *)text };
    gss_OID oid = GSS_C_NO_OID;
    OM_uint32 minor;

    FUZZ_CHECK(gss_str_to_oid(&minor, &in, &oid) == GSS_S_COMPLETE);
    FUZZ_CHECK(oid != GSS_C_NO_OID);
    return oid;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    gss_buffer_desc in = { size, (void *)data };
    gss_buffer_desc str = GSS_C_EMPTY_BUFFER, str2 = GSS_C_EMPTY_BUFFER;
    gss_OID oid = GSS_C_NO_OID, again, dot_oid;
    OM_uint32 major, minor;
    char *dot;

    major = gss_str_to_oid(&minor, &in, &oid);
    if (major != GSS_S_COMPLETE) {
        FUZZ_CHECK(major == GSS_S_FAILURE);
        FUZZ_CHECK(oid == GSS_C_NO_OID);
        return 0;
    }
    /* Two arcs at least, so one subidentifier at least. */
    FUZZ_CHECK(oid != GSS_C_NO_OID && oid->length > 0);
    FUZZ_CHECK(oid->elements != NULL);

    major = gss_oid_to_str(&minor, oid, &str);
    FUZZ_CHECK(major == GSS_S_COMPLETE);
    /* As MIT does, the length counts the terminating NUL. */
    FUZZ_CHECK(str.value != NULL && str.length > 0);
    FUZZ_CHECK(strlen(str.value) == str.length - 1);

    again = parse_ok(str.value, str.length);
    FUZZ_CHECK(same_oid(oid, again));
    major = gss_oid_to_str(&minor, again, &str2);
    FUZZ_CHECK(major == GSS_S_COMPLETE);
    FUZZ_CHECK(str2.length == str.length &&
               memcmp(str2.value, str.value, str.length) == 0);

    dot = dotted(str.value);
    dot_oid = parse_ok(dot, strlen(dot));
    FUZZ_CHECK(same_oid(oid, dot_oid));

    free(dot);
    (void)gss_release_oid(&minor, &dot_oid);
    (void)gss_release_oid(&minor, &again);
    (void)gss_release_oid(&minor, &oid);
    (void)gss_release_buffer(&minor, &str);
    (void)gss_release_buffer(&minor, &str2);
    return 0;
}
