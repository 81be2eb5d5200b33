/*
 * prefork_http_fuzz.c - attacks the prefork example's HTTP request parser
 * (examples/prefork/http.c), which reads what any client sends to
 * baton-prefork-server -H, and its base64 decoder for Negotiate tokens.
 *
 * Input: one mode octet, then
 *   bit 0 clear: a header block, given to http_parse_request as the
 *     reader would hand it over (NUL-terminated; blocks holding a NUL byte
 *     are refused by the reader and skipped here);
 *   bit 0 set: base64 text for http_b64_decode.
 *
 * Invariants: every field http_next_field reports lies inside the block;
 * an accepted request is a GET for HTTP/1.1 whose method, target and
 * token are NUL-terminated within their arrays, and a Negotiate token
 * that decodes re-encodes to the same text; http_b64_decode accepts only
 * canonical base64 (its output re-encodes to the input exactly).
 */
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz.h"
#include "http.h"

/* Decodes text; if accepted, the encoding of the result must be text. */
static void
check_b64(const char *text)
{
    gss_buffer_desc out;
    char *back;

    if (!http_b64_decode(text, &out)) {
        FUZZ_CHECK(out.value == NULL && out.length == 0);
        return;
    }
    back = http_b64_encode(out.value, out.length);
    FUZZ_CHECK(back != NULL && strcmp(back, text) == 0);
    free(back);
    free(out.value);
}

/* Walks the fields after the start line: each inside the block. */
static void
check_fields(const char *block)
{
    size_t len = strlen(block), pos = 0, line;
    struct http_field f;
    int r;

    if (!http_next_line(block, &pos, &line))
        return;
    FUZZ_CHECK(pos <= len && line < pos);
    while ((r = http_next_field(block, &pos, &f)) == 1) {
        FUZZ_CHECK(pos <= len);
        FUZZ_CHECK(f.name + f.name_len <= len && f.name_len > 0);
        FUZZ_CHECK(f.value + f.value_len <= len);
    }
    FUZZ_CHECK(r == 0 || r == -1);
}

static void
check_request(const char *block)
{
    static struct http_request req;
    int status;

    memset(&req, 0xa5, sizeof(req));
    check_fields(block);
    status = http_parse_request(block, &req);
    FUZZ_CHECK(status == 0 || status == 400 || status == 405 ||
               status == 413 || status == 501 || status == 505);
    if (status != 0)
        return;
    FUZZ_CHECK(strcmp(req.method, "GET") == 0);
    FUZZ_CHECK(memchr(req.target, '\0', sizeof(req.target)) != NULL &&
               req.target[0] == '/');
    FUZZ_CHECK(req.content_length <= HTTP_BODY_MAX);
    if (req.negotiate) {
        FUZZ_CHECK(memchr(req.token, '\0', sizeof(req.token)) != NULL);
        check_b64(req.token);
    }
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *text;

    if (size < 1 || size - 1 > HTTP_HEAD_MAX ||
        memchr(data + 1, '\0', size - 1) != NULL)
        return 0;
    text = malloc(size);
    FUZZ_CHECK(text != NULL);
    memcpy(text, data + 1, size - 1);
    text[size - 1] = '\0';
    if (data[0] & 1)
        check_b64(text);
    else
        check_request(text);
    free(text);
    return 0;
}
