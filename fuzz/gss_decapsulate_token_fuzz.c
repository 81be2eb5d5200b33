/*
 * gss_decapsulate_token_fuzz.c - attacks gss_decapsulate_token and
 * gss_encapsulate_token (src/glue/token.c) through the public API.
 *
 * Both directions of the round trip:
 *   - the input as a token: decapsulating it with the OID it carries
 *     succeeds exactly when bt_der_rd_token accepts it, and encapsulating
 *     the result with that OID gives back the input octet for octet; with
 *     any other OID (krb5 here, unless it is the one) it is refused;
 *   - the input as parts (first octet: OID length, then the OID, then the
 *     body): encapsulated and decapsulated, the body comes back.
 */
#include <stdlib.h>
#include <string.h>

#include <gssapi/gssapi.h>
#include <gssapi/gssapi_ext.h>
#include <gssapi/gssapi_krb5.h>

#include "fuzz.h"
#include "util/der.h"

static bool
oid_is(const gss_OID_desc *oid, const void *p, size_t n)
{
    return oid->length == n && memcmp(oid->elements, p, n) == 0;
}

static void
check_token(const uint8_t *data, size_t size)
{
    gss_buffer_desc in = { size, (void *)data };
    gss_buffer_desc body = GSS_C_EMPTY_BUFFER, again = GSS_C_EMPTY_BUFFER;
    struct bt_reader r, oid_r, body_r;
    gss_OID_desc oid;
    OM_uint32 major, minor;
    size_t n;

    bt_rd_init(&r, data, size);
    bt_der_rd_token(&r, &oid_r, &body_r);
    if (!bt_rd_ok(&r)) {
        major = gss_decapsulate_token(&in, gss_mech_krb5, &body);
        FUZZ_CHECK(major == GSS_S_DEFECTIVE_TOKEN);
        FUZZ_CHECK(body.length == 0 && body.value == NULL);
        return;
    }
    oid.elements = (void *)bt_rd_rest(&oid_r, &n);
    oid.length = (OM_uint32)n;

    /* With the krb5 OID: accepted only if the token carries krb5. */
    major = gss_decapsulate_token(&in, gss_mech_krb5, &body);
    if (oid_is(gss_mech_krb5, oid.elements, oid.length)) {
        FUZZ_CHECK(major == GSS_S_COMPLETE);
    } else {
        FUZZ_CHECK(major == GSS_S_DEFECTIVE_TOKEN);
        FUZZ_CHECK(body.length == 0 && body.value == NULL);
    }
    (void)gss_release_buffer(&minor, &body);

    major = gss_decapsulate_token(&in, &oid, &body);
    FUZZ_CHECK(major == GSS_S_COMPLETE);
    FUZZ_CHECK(body.length == bt_rd_remaining(&body_r));
    major = gss_encapsulate_token(&body, &oid, &again);
    FUZZ_CHECK(major == GSS_S_COMPLETE);
    FUZZ_CHECK(again.length == size && memcmp(again.value, data, size) == 0);
    (void)gss_release_buffer(&minor, &body);
    (void)gss_release_buffer(&minor, &again);
}

static void
check_parts(const uint8_t *data, size_t size)
{
    gss_buffer_desc body, token = GSS_C_EMPTY_BUFFER;
    gss_buffer_desc out = GSS_C_EMPTY_BUFFER;
    gss_OID_desc oid;
    OM_uint32 major, minor;

    /* An empty OID is no OID (X.690 8.19); the parser refuses it. */
    if (size < 2 || data[0] == 0 || data[0] > size - 1)
        return;
    oid.length = data[0];
    oid.elements = (void *)(data + 1);
    body.length = size - 1 - data[0];
    body.value = (void *)(data + 1 + data[0]);
    major = gss_encapsulate_token(&body, &oid, &token);
    FUZZ_CHECK(major == GSS_S_COMPLETE);
    major = gss_decapsulate_token(&token, &oid, &out);
    FUZZ_CHECK(major == GSS_S_COMPLETE);
    FUZZ_CHECK(out.length == body.length);
    FUZZ_CHECK(body.length == 0 ||
               memcmp(out.value, body.value, body.length) == 0);
    (void)gss_release_buffer(&minor, &token);
    (void)gss_release_buffer(&minor, &out);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    check_token(data, size);
    check_parts(data, size);
    return 0;
}
