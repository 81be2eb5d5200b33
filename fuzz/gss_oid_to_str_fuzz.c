/*
 * gss_oid_to_str_fuzz.c - attacks gss_oid_to_str (src/glue/oid_str.c) with
 * arbitrary bytes as the DER contents of an OID.
 *
 * An independent decoder here says what the answer must be: well-formed
 * contents (X.690 8.19: base-128 subidentifiers, none starting with 0x80,
 * the last octet's high bit clear, at least one subidentifier; Baton's
 * limit of 64 bits per arc) print as exactly "{ a b c ... }" (its length
 * counting the terminating NUL, as MIT's does), and that string parses
 * back with gss_str_to_oid to the same octets; anything else is an error
 * with an empty buffer (GSS_S_FAILURE for bad encodings).
 */
#include <inttypes.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include <gssapi/gssapi.h>

#include "fuzz.h"

/* Appends the decimal text of v and a space. */
static void
put_arc(char *out, size_t *n, uint64_t v)
{
    *n += (size_t)sprintf(out + *n, "%" PRIu64 " ", v);
}

/* The text gss_oid_to_str must produce, or NULL if it must fail. */
static char *
expected_text(const uint8_t *p, size_t len)
{
    /* At most 21 characters per octet ("{ " + digits + " " + "}"). */
    char *out = malloc(4 + 21 * len), *ret = NULL;
    size_t n = 0, i = 0;
    bool first = true;

    FUZZ_CHECK(out != NULL);
    n += (size_t)sprintf(out, "{ ");
    while (i < len) {
        size_t start = i, groups;
        uint64_t v = 0;

        if (p[i] == 0x80)
            goto done;                  /* non-minimal subidentifier */
        while (i < len && (p[i] & 0x80))
            i++;
        if (i == len)
            goto done;                  /* truncated subidentifier */
        i++;
        groups = i - start;
        /* 64 bits: nine full groups and a leading group of 0 or 1. */
        if (groups > 10 || (groups == 10 && (p[start] & 0x7f) > 1))
            goto done;
        for (size_t k = start; k < i; k++)
            v = (v << 7) | (p[k] & 0x7f);
        if (first) {
            put_arc(out, &n, v < 40 ? 0 : v < 80 ? 1 : 2);
            put_arc(out, &n, v < 80 ? v % 40 : v - 80);
            first = false;
        } else {
            put_arc(out, &n, v);
        }
    }
    n += (size_t)sprintf(out + n, "}");
    ret = out;
    out = NULL;

done:
    free(out);
    return ret;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    gss_OID_desc oid = { (OM_uint32)size, (void *)data };
    gss_buffer_desc str = GSS_C_EMPTY_BUFFER;
    gss_OID back = GSS_C_NO_OID;
    OM_uint32 major, minor;
    char *want;

    if (size > 4096)
        return 0;
    major = gss_oid_to_str(&minor, &oid, &str);
    if (size == 0) {
        /* X.690 8.19: an OID has one subidentifier at least.  MIT refuses
         * the empty one as GSS_S_CALL_INACCESSIBLE_READ. */
        FUZZ_CHECK(GSS_ERROR(major));
        FUZZ_CHECK(str.length == 0 && str.value == NULL);
        return 0;
    }
    want = expected_text(data, size);
    if (want == NULL) {
        FUZZ_CHECK(major == GSS_S_FAILURE);
        FUZZ_CHECK(str.length == 0 && str.value == NULL);
        return 0;
    }
    FUZZ_CHECK(major == GSS_S_COMPLETE);
    /* As MIT does, the length counts the terminating NUL. */
    FUZZ_CHECK(str.length == strlen(want) + 1 &&
               memcmp(str.value, want, str.length) == 0);

    major = gss_str_to_oid(&minor, &str, &back);
    FUZZ_CHECK(major == GSS_S_COMPLETE);
    FUZZ_CHECK(back->length == size &&
               memcmp(back->elements, data, size) == 0);

    free(want);
    (void)gss_release_oid(&minor, &back);
    (void)gss_release_buffer(&minor, &str);
    return 0;
}
