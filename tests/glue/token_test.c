/* Tests for src/glue/token.c: RFC 2743 3.1 encapsulation both ways. */
#include "check.h"

#include <gssapi/gssapi_krb5.h>

static void
encapsulate_then_decapsulate(void)
{
    gss_buffer_desc in = { 3, (void *)"\x01\x00\xff" }, framed, inner;
    static const unsigned char want[] = { 0x60, 0x0e, 0x06, 0x09, 0x2a, 0x86,
        0x48, 0x86, 0xf7, 0x12, 0x01, 0x02, 0x02, 0x01, 0x00, 0xff };
    OM_uint32 minor;

    CHECK_MAJOR(gss_encapsulate_token(&in, gss_mech_krb5, &framed),
                GSS_S_COMPLETE);
    CHECK(framed.length == sizeof(want) &&
          memcmp(framed.value, want, sizeof(want)) == 0);
    CHECK_MAJOR(gss_decapsulate_token(&framed, gss_mech_krb5, &inner),
                GSS_S_COMPLETE);
    CHECK(inner.length == 3 && memcmp(inner.value, in.value, 3) == 0);
    gss_release_buffer(&minor, &inner);
    CHECK_MAJOR(gss_decapsulate_token(&framed, gss_mech_krb5_old, &inner),
                GSS_S_DEFECTIVE_TOKEN);
    CHECK(inner.length == 0 && inner.value == NULL);
    gss_release_buffer(&minor, &framed);
}

static void
large_inner_token_uses_long_form(void)
{
    size_t n = 70000;
    gss_buffer_desc in = { n, calloc(1, n) }, framed, inner;
    OM_uint32 minor;

    CHECK_MAJOR(gss_encapsulate_token(&in, gss_mech_krb5, &framed),
                GSS_S_COMPLETE);
    CHECK(((unsigned char *)framed.value)[1] == 0x83);
    CHECK_MAJOR(gss_decapsulate_token(&framed, gss_mech_krb5, &inner),
                GSS_S_COMPLETE);
    CHECK(inner.length == n);
    gss_release_buffer(&minor, &inner);
    gss_release_buffer(&minor, &framed);
    free(in.value);
}

static void
decapsulate_refuses_malformed(void)
{
    unsigned char t[] = { 0x60, 0x0c, 0x06, 0x09, 0x2a, 0x86, 0x48, 0x86,
                          0xf7, 0x12, 0x01, 0x02, 0x02, 0x01 };
    gss_buffer_desc b = { sizeof(t), t }, out;

    CHECK_MAJOR(gss_decapsulate_token(&b, gss_mech_krb5, &out),
                GSS_S_COMPLETE);
    gss_release_buffer(NULL, &out);
    b.length = sizeof(t) - 1;
    CHECK_MAJOR(gss_decapsulate_token(&b, gss_mech_krb5, &out),
                GSS_S_DEFECTIVE_TOKEN);
    b.length = 0;
    CHECK_MAJOR(gss_decapsulate_token(&b, gss_mech_krb5, &out),
                GSS_S_DEFECTIVE_TOKEN);
    b.length = sizeof(t);
    t[1] = 0x80;                                /* indefinite length */
    CHECK_MAJOR(gss_decapsulate_token(&b, gss_mech_krb5, &out),
                GSS_S_DEFECTIVE_TOKEN);
    CHECK_MAJOR(gss_decapsulate_token(NULL, gss_mech_krb5, &out),
                GSS_S_CALL_INACCESSIBLE_READ);
    CHECK_MAJOR(gss_decapsulate_token(&b, NULL, &out),
                GSS_S_CALL_INACCESSIBLE_READ);
    CHECK_MAJOR(gss_decapsulate_token(&b, gss_mech_krb5, NULL),
                GSS_S_CALL_INACCESSIBLE_WRITE);
    CHECK_MAJOR(gss_encapsulate_token(&b, gss_mech_krb5, NULL),
                GSS_S_CALL_INACCESSIBLE_WRITE);
}

BT_TEST_MAIN(encapsulate_then_decapsulate, large_inner_token_uses_long_form,
             decapsulate_refuses_malformed)
