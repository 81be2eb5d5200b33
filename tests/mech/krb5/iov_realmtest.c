/* The IOV and AEAD per-message calls on a real Kerberos context pair: the
 * token across HEADER/DATA/PADDING/TRAILER is byte for byte gss_wrap's
 * token, the HEADER-only layout is the rotated token (RRC), STREAM takes
 * any gss_wrap token, SIGN_ONLY data is protected, and bad layouts or
 * altered data fail precisely without disturbing the context. */
#include "mech/krb5/hostile.h"

enum { H, D, P, T };                      /* indices of the 4-buffer layout */

static gss_buffer_desc
concat(const gss_iov_buffer_desc *iov, int n)
{
    size_t len = 0, at = 0;
    gss_buffer_desc b;

    for (int i = 0; i < n; i++)
        len += iov[i].buffer.length;
    b = hostile_message(len, 0);
    for (int i = 0; i < n; i++) {
        if (iov[i].buffer.length > 0)
            memcpy(hostile_bytes(&b) + at, iov[i].buffer.value,
                   iov[i].buffer.length);
        at += iov[i].buffer.length;
    }
    return b;
}

static void
layout4(gss_iov_buffer_desc iov[4], gss_buffer_desc *data, OM_uint32 alloc)
{
    memset(iov, 0, 4 * sizeof(*iov));
    iov[H].type = GSS_IOV_BUFFER_TYPE_HEADER | alloc;
    iov[D].type = GSS_IOV_BUFFER_TYPE_DATA;
    iov[D].buffer = *data;
    iov[P].type = GSS_IOV_BUFFER_TYPE_PADDING | alloc;
    iov[T].type = GSS_IOV_BUFFER_TYPE_TRAILER | alloc;
}

static bool
minor_says(OM_uint32 minor, const char *word)
{
    gss_buffer_desc s;
    OM_uint32 m, more = 0;
    bool found;

    gss_display_status(&m, minor, GSS_C_MECH_CODE, GSS_C_NO_OID, &more, &s);
    found = false;
    for (size_t i = 0; i + strlen(word) <= s.length && !found; i++)
        found = memcmp((char *)s.value + i, word, strlen(word)) == 0;
    gss_release_buffer(&m, &s);
    return found;
}

/* After a deliberately lost token: the next one reports the gap, and no
 * error; the ones after are clean again (hostile_usable checks). */
static void
resync(gss_ctx_id_t tx, gss_ctx_id_t rx)
{
    gss_buffer_desc msg = { 2, (void *)"ok" }, tok, out;
    OM_uint32 major, minor, m;

    CHECK_MAJOR(gss_wrap(&minor, tx, 1, 0, &msg, NULL, &tok), GSS_S_COMPLETE);
    major = gss_unwrap(&minor, rx, &tok, &out, NULL, NULL);
    CHECK(major == GSS_S_GAP_TOKEN);
    CHECK(out.length == 2 && memcmp(out.value, "ok", 2) == 0);
    gss_release_buffer(&m, &tok);
    gss_release_buffer(&m, &out);
}

/* wrap_iov with HEADER+DATA+PADDING+TRAILER, allocated, is gss_wrap's
 * token: gss_unwrap reads the concatenation; lengths match the _length
 * call and gss_wrap's output. */
static void
split_layout_is_the_wrap_token(void)
{
    struct hostile_pair p;
    gss_iov_buffer_desc iov[4], len[4];
    gss_buffer_desc msg, data, tok, out, plain;
    OM_uint32 major, minor, m;
    int conf;

    if (!hostile_establish(&p, HOSTILE_FLAGS))
        return;
    for (int c = 0; c <= 1; c++) {
        msg = hostile_message(1000, (unsigned)c);
        data = hostile_message(1000, (unsigned)c);
        layout4(len, &data, 0);
        CHECK_MAJOR(gss_wrap_iov_length(&minor, p.init, c, 0, &conf, len, 4),
                    GSS_S_COMPLETE);
        CHECK(conf == c && len[P].buffer.length == 0);
        layout4(iov, &data, GSS_IOV_BUFFER_FLAG_ALLOCATE);
        CHECK_MAJOR(gss_wrap_iov(&minor, p.init, c, 0, &conf, iov, 4),
                    GSS_S_COMPLETE);
        CHECK(iov[H].buffer.length == len[H].buffer.length &&
              iov[T].buffer.length == len[T].buffer.length);
        CHECK((iov[H].type & GSS_IOV_BUFFER_FLAG_ALLOCATED) != 0);
        CHECK(c == 0 || memcmp(data.value, msg.value, msg.length) != 0);
        tok = concat(iov, 4);
        major = gss_unwrap(&minor, p.acc, &tok, &out, &conf, NULL);
        EXPECT(major, GSS_S_COMPLETE, minor, "unwrap of conf=%d", c);
        CHECK(conf == c && out.length == msg.length &&
              memcmp(out.value, msg.value, msg.length) == 0);
        gss_release_buffer(&m, &out);
        CHECK_MAJOR(gss_wrap(&minor, p.init, c, 0, &msg, &conf, &plain),
                    GSS_S_COMPLETE);
        CHECK(plain.length == tok.length);
        CHECK_MAJOR(gss_unwrap(&minor, p.acc, &plain, &out, &conf, NULL),
                    GSS_S_COMPLETE);
        gss_release_buffer(&m, &out);
        gss_release_buffer(&m, &plain);
        CHECK_MAJOR(gss_release_iov_buffer(&minor, iov, 4), GSS_S_COMPLETE);
        CHECK(iov[H].buffer.value == NULL && iov[T].buffer.value == NULL);
        free(tok.value);
        free(msg.value);
        free(data.value);
    }
    hostile_usable(&p, "split layout");
    hostile_release(&p);
}

/* gss_wrap's token through unwrap_iov with STREAM: DATA points into the
 * stream; a second time it is a replay. */
static void
stream_takes_wrap_tokens(void)
{
    struct hostile_pair p;
    gss_iov_buffer_desc iov[2];
    gss_buffer_desc msg = hostile_message(333, 9), tok, copy;
    OM_uint32 minor, m;
    gss_qop_t qop = 7;
    int conf;

    if (!hostile_establish(&p, HOSTILE_FLAGS))
        return;
    for (int c = 0; c <= 1; c++) {
        CHECK_MAJOR(gss_wrap(&minor, p.acc, c, 0, &msg, &conf, &tok),
                    GSS_S_COMPLETE);
        copy = hostile_message(tok.length, 0);
        memcpy(copy.value, tok.value, tok.length);
        memset(iov, 0, sizeof(iov));
        iov[0].type = GSS_IOV_BUFFER_TYPE_STREAM;
        iov[0].buffer = tok;
        iov[1].type = GSS_IOV_BUFFER_TYPE_DATA;
        conf = -1;
        CHECK_MAJOR(gss_unwrap_iov(&minor, p.init, &conf, &qop, iov, 2),
                    GSS_S_COMPLETE);
        CHECK(conf == c && qop == GSS_C_QOP_DEFAULT);
        CHECK(iov[1].buffer.length == msg.length &&
              memcmp(iov[1].buffer.value, msg.value, msg.length) == 0);
        CHECK((uint8_t *)iov[1].buffer.value > (uint8_t *)tok.value &&
              (uint8_t *)iov[1].buffer.value < (uint8_t *)tok.value +
              tok.length);
        iov[0].buffer = copy;
        iov[1].buffer.value = NULL;
        iov[1].buffer.length = 0;
        CHECK_MAJOR(gss_unwrap_iov(&minor, p.init, &conf, &qop, iov, 2),
                    GSS_S_DUPLICATE_TOKEN);
        gss_release_buffer(&m, &tok);
        free(copy.value);
    }
    free(msg.value);
    hostile_usable(&p, "stream");
    hostile_release(&p);
}

/* Without a TRAILER the token is rotated (RRC): gss_unwrap reads the
 * concatenation, unwrap_iov the same HEADER+DATA split. */
static void
header_only_layout_is_rotated(void)
{
    struct hostile_pair p;
    gss_iov_buffer_desc iov[2];
    gss_buffer_desc msg, data, tok, out;
    OM_uint32 minor, m;
    int conf;

    if (!hostile_establish(&p, HOSTILE_FLAGS))
        return;
    for (int c = 0; c <= 1; c++) {
        msg = hostile_message(100, 3);
        for (int round = 0; round < 2; round++) {
            data = hostile_message(100, 3);
            memset(iov, 0, sizeof(iov));
            iov[0].type = GSS_IOV_BUFFER_TYPE_HEADER |
                          GSS_IOV_BUFFER_FLAG_ALLOCATE;
            iov[1].type = GSS_IOV_BUFFER_TYPE_DATA;
            iov[1].buffer = data;
            CHECK_MAJOR(gss_wrap_iov(&minor, p.init, c, 0, &conf, iov, 2),
                        GSS_S_COMPLETE);
            /* RRC (octets 6-7) is the trailer part moved to the front. */
            CHECK(((uint8_t *)iov[0].buffer.value)[7] != 0);
            if (round == 0) {
                tok = concat(iov, 2);
                CHECK_MAJOR(gss_unwrap(&minor, p.acc, &tok, &out, &conf,
                                       NULL), GSS_S_COMPLETE);
                CHECK(conf == c && out.length == msg.length &&
                      memcmp(out.value, msg.value, msg.length) == 0);
                gss_release_buffer(&m, &out);
                free(tok.value);
            } else {
                CHECK_MAJOR(gss_unwrap_iov(&minor, p.acc, &conf, NULL, iov,
                                           2), GSS_S_COMPLETE);
                CHECK(conf == c &&
                      memcmp(data.value, msg.value, msg.length) == 0);
            }
            gss_release_iov_buffer(&m, iov, 2);
            free(data.value);
        }
        free(msg.value);
    }
    hostile_usable(&p, "header-only layout");
    hostile_release(&p);
}

/* SIGN_ONLY data is protected but not sent: changed, the unwrap fails with
 * GSS_S_BAD_SIG and the DATA buffer holds zeroes, not plaintext. */
static void
sign_only_is_protected(void)
{
    struct hostile_pair p;
    gss_iov_buffer_desc iov[5];
    gss_buffer_desc msg = hostile_message(64, 4), data, assoc;
    OM_uint32 minor, m;
    int conf;

    if (!hostile_establish(&p, HOSTILE_FLAGS))
        return;
    for (int c = 0; c <= 1; c++) {
        for (int tamper = 0; tamper <= 1; tamper++) {
            data = hostile_message(64, 4);
            assoc = hostile_message(20, 8);
            layout4(iov, &data, GSS_IOV_BUFFER_FLAG_ALLOCATE);
            iov[4].type = GSS_IOV_BUFFER_TYPE_SIGN_ONLY;
            iov[4].buffer = assoc;
            CHECK_MAJOR(gss_wrap_iov(&minor, p.acc, c, 0, &conf, iov, 5),
                        GSS_S_COMPLETE);
            hostile_bytes(&assoc)[5] ^= (uint8_t)tamper;
            /* The token after a refused one reports the gap. */
            CHECK_MAJOR(gss_unwrap_iov(&minor, p.init, &conf, NULL, iov, 5),
                        tamper ? GSS_S_BAD_SIG
                               : c == 1 ? GSS_S_GAP_TOKEN : GSS_S_COMPLETE);
            if (tamper && c == 1) {
                static const uint8_t zero[64];

                CHECK(memcmp(data.value, zero, 64) == 0);
            } else {
                CHECK(memcmp(data.value, msg.value, 64) == 0);
            }
            gss_release_iov_buffer(&m, iov, 5);
            free(data.value);
            free(assoc.value);
        }
    }
    free(msg.value);
    resync(p.acc, p.init);
    hostile_usable(&p, "sign-only");
    hostile_release(&p);
}

/* get_mic_iov over DATA and SIGN_ONLY is the MIC of their concatenation. */
static void
mic_iov_is_the_mic_of_the_concatenation(void)
{
    struct hostile_pair p;
    gss_iov_buffer_desc iov[3];
    gss_buffer_desc a = hostile_message(10, 1), b = hostile_message(30, 2);
    gss_buffer_desc whole, mic;
    OM_uint32 minor, m;
    size_t want;

    if (!hostile_establish(&p, HOSTILE_FLAGS))
        return;
    memset(iov, 0, sizeof(iov));
    iov[0].type = GSS_IOV_BUFFER_TYPE_DATA;
    iov[0].buffer = a;
    iov[1].type = GSS_IOV_BUFFER_TYPE_SIGN_ONLY;
    iov[1].buffer = b;
    iov[2].type = GSS_IOV_BUFFER_TYPE_MIC_TOKEN;
    CHECK_MAJOR(gss_get_mic_iov_length(&minor, p.init, 0, iov, 3),
                GSS_S_COMPLETE);
    want = iov[2].buffer.length;
    iov[2].type |= GSS_IOV_BUFFER_FLAG_ALLOCATE;
    CHECK_MAJOR(gss_get_mic_iov(&minor, p.init, 0, iov, 3), GSS_S_COMPLETE);
    CHECK(iov[2].buffer.length == want && want > 16);
    whole = concat(iov, 2);
    mic = iov[2].buffer;
    CHECK_MAJOR(gss_verify_mic(&minor, p.acc, &whole, &mic, NULL),
                GSS_S_COMPLETE);
    gss_release_iov_buffer(&m, iov, 3);
    CHECK(iov[2].buffer.value == NULL);
    CHECK_MAJOR(gss_get_mic(&minor, p.init, 0, &whole, &mic), GSS_S_COMPLETE);
    iov[2].type = GSS_IOV_BUFFER_TYPE_MIC_TOKEN;
    iov[2].buffer = mic;
    CHECK_MAJOR(gss_verify_mic_iov(&minor, p.acc, NULL, iov, 3),
                GSS_S_COMPLETE);
    hostile_bytes(&b)[0] ^= 1;
    iov[1].buffer = b;
    CHECK_MAJOR(gss_verify_mic_iov(&minor, p.acc, NULL, iov, 3),
                GSS_S_BAD_SIG);
    gss_release_buffer(&m, &mic);
    free(whole.value);
    free(a.value);
    free(b.value);
    hostile_usable(&p, "mic iov");
    hostile_release(&p);
}

/* AEAD: empty associated data gives gss_wrap's token; with associated
 * data only the same associated data opens it. */
static void
aead_binds_associated_data(void)
{
    struct hostile_pair p;
    gss_buffer_desc msg = hostile_message(50, 6), assoc = hostile_message(9, 2);
    gss_buffer_desc tok, out;
    OM_uint32 minor, m;
    int conf;

    if (!hostile_establish(&p, HOSTILE_FLAGS))
        return;
    CHECK_MAJOR(gss_wrap_aead(&minor, p.init, 1, 0, GSS_C_NO_BUFFER, &msg,
                              &conf, &tok), GSS_S_COMPLETE);
    CHECK_MAJOR(gss_unwrap(&minor, p.acc, &tok, &out, &conf, NULL),
                GSS_S_COMPLETE);
    CHECK(conf == 1 && out.length == msg.length &&
          memcmp(out.value, msg.value, msg.length) == 0);
    gss_release_buffer(&m, &out);
    gss_release_buffer(&m, &tok);
    for (int tamper = 0; tamper <= 1; tamper++) {
        CHECK_MAJOR(gss_wrap_aead(&minor, p.init, 1, 0, &assoc, &msg, &conf,
                                  &tok), GSS_S_COMPLETE);
        hostile_bytes(&assoc)[0] ^= (uint8_t)tamper;
        CHECK_MAJOR(gss_unwrap_aead(&minor, p.acc, &tok, &assoc, &out, &conf,
                                    NULL),
                    tamper ? GSS_S_BAD_SIG : GSS_S_COMPLETE);
        CHECK(tamper ? out.length == 0
                     : out.length == msg.length &&
                       memcmp(out.value, msg.value, msg.length) == 0);
        gss_release_buffer(&m, &out);
        gss_release_buffer(&m, &tok);
    }
    free(msg.value);
    free(assoc.value);
    resync(p.init, p.acc);
    hostile_usable(&p, "aead");
    hostile_release(&p);
}

/* Misuse: precise codes, sentences that name the problem, no harm. */
static void
bad_layouts_fail_precisely(void)
{
    struct hostile_pair p;
    gss_iov_buffer_desc iov[4];
    gss_buffer_desc data = hostile_message(40, 1), stale;
    uint8_t small[8];
    OM_uint32 minor;
    int conf;

    if (!hostile_establish(&p, HOSTILE_FLAGS))
        return;
    layout4(iov, &data, 0);
    iov[H].type = GSS_IOV_BUFFER_TYPE_DATA;
    CHECK_MAJOR(gss_wrap_iov(&minor, p.init, 1, 0, &conf, iov, 4),
                GSS_S_FAILURE);
    CHECK(minor_says(minor, "HEADER"));
    layout4(iov, &data, 0);
    iov[P].type = GSS_IOV_BUFFER_TYPE_HEADER;
    CHECK_MAJOR(gss_wrap_iov(&minor, p.init, 1, 0, &conf, iov, 4),
                GSS_S_FAILURE);
    CHECK(minor_says(minor, "two buffers"));
    layout4(iov, &data, 0);
    iov[H].buffer.value = small;
    iov[H].buffer.length = sizeof(small);
    CHECK_MAJOR(gss_wrap_iov(&minor, p.init, 1, 0, &conf, iov, 4),
                GSS_S_FAILURE);
    CHECK(minor_says(minor, "ALLOCATE"));
    layout4(iov, &data, GSS_IOV_BUFFER_FLAG_ALLOCATE);
    CHECK_MAJOR(gss_wrap_iov(&minor, p.init, 1, 5, &conf, iov, 4),
                GSS_S_BAD_QOP);
    iov[0].type = 99;
    CHECK_MAJOR(gss_wrap_iov(&minor, p.init, 1, 0, &conf, iov, 4),
                GSS_S_FAILURE);
    CHECK_MAJOR(gss_wrap_iov(&minor, p.init, 1, 0, &conf, NULL, 2),
                GSS_S_CALL_INACCESSIBLE_READ);
    /* A caller's HEADER stays as it was when the TRAILER is too small. */
    {
        uint8_t big[100];

        layout4(iov, &data, 0);
        iov[H].buffer.value = big;
        iov[H].buffer.length = sizeof(big);
        iov[T].buffer.value = small;
        iov[T].buffer.length = sizeof(small);
        CHECK_MAJOR(gss_wrap_iov(&minor, p.init, 1, 0, &conf, iov, 4),
                    GSS_S_FAILURE);
        CHECK(iov[H].buffer.length == sizeof(big));
    }
    /* A _length call on allocated buffers frees them first: releasing
     * afterwards neither overflows nor leaks. */
    layout4(iov, &data, GSS_IOV_BUFFER_FLAG_ALLOCATE);
    CHECK_MAJOR(gss_wrap_iov(&minor, p.init, 1, 0, &conf, iov, 4),
                GSS_S_COMPLETE);
    CHECK_MAJOR(gss_wrap_iov_length(&minor, p.init, 1, 0, &conf, iov, 4),
                GSS_S_COMPLETE);
    CHECK(iov[H].buffer.value == NULL && iov[H].buffer.length > 0 &&
          !(iov[H].type & GSS_IOV_BUFFER_FLAG_ALLOCATED));
    CHECK_MAJOR(gss_release_iov_buffer(&minor, iov, 4), GSS_S_COMPLETE);
    /* A truncated STREAM. */
    memset(iov, 0, sizeof(iov));
    iov[0].type = GSS_IOV_BUFFER_TYPE_STREAM;
    iov[0].buffer.value = small;
    iov[0].buffer.length = sizeof(small);
    iov[1].type = GSS_IOV_BUFFER_TYPE_DATA;
    CHECK_MAJOR(gss_unwrap_iov(&minor, p.acc, &conf, NULL, iov, 2),
                GSS_S_DEFECTIVE_TOKEN);
    CHECK(iov[1].buffer.value == NULL);
    stale = hostile_message(1, 0);
    gss_delete_sec_context(&minor, &p.init, GSS_C_NO_BUFFER);
    layout4(iov, &stale, GSS_IOV_BUFFER_FLAG_ALLOCATE);
    CHECK_MAJOR(gss_wrap_iov(&minor, p.init, 1, 0, &conf, iov, 4),
                GSS_S_NO_CONTEXT);
    CHECK(iov[H].buffer.value == NULL);
    free(stale.value);
    free(data.value);
    hostile_release(&p);
}

BT_TEST_MAIN(split_layout_is_the_wrap_token, stream_takes_wrap_tokens,
             header_only_layout_is_rotated, sign_only_is_protected,
             mic_iov_is_the_mic_of_the_concatenation,
             aead_binds_associated_data, bad_layouts_fail_precisely)
