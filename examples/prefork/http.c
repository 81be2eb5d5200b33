/*
 * http.c - bounded HTTP/1.1 messages for the prefork example's Negotiate
 * mode.  Requests are untrusted: every header block is read into a
 * fixed buffer, NUL-terminated, and walked by index with the standard
 * string functions; anything the grammar does not allow is refused.
 */
#include "http.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <time.h>

#include <openssl/evp.h>

/* RFC 9110 5.6.2: the characters of a token (method, field name). */
static const char TCHAR[] = "!#$%&'*+-.^_`|~0123456789"
                            "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
                            "abcdefghijklmnopqrstuvwxyz";
static const char B64[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
                          "abcdefghijklmnopqrstuvwxyz0123456789+/";

/* The bytes [from, to) of buf, with buf[from - 1] before them: no NUL,
 * and CR and LF only as a pair (RFC 9112 2.2: a bare CR is refused; we
 * refuse a bare LF too). */
static bool
clean_text(const char *buf, size_t from, size_t to)
{
    for (size_t i = from; i < to; i++) {
        char prev = i > 0 ? buf[i - 1] : '\0';

        if (buf[i] == '\0' || (buf[i] == '\n' && prev != '\r') ||
            (prev == '\r' && buf[i] != '\n'))
            return false;
    }
    return true;
}

enum http_read
http_read_step(int fd, char *buf, size_t size, size_t *len, const char *term,
               int flags)
{
    size_t tlen = strlen(term), avail, take, from;
    ssize_t got;

    if (size < tlen + 1 || tlen == 0 || *len + 1 >= size)
        return HTTP_READ_TOO_LONG;
    /* Look without taking, then take only up to the terminator. */
    do {
        got = recv(fd, &buf[*len], size - 1 - *len, MSG_PEEK | flags);
    } while (got < 0 && errno == EINTR);
    if (got < 0 && (flags & MSG_DONTWAIT) != 0 &&
        (errno == EAGAIN || errno == EWOULDBLOCK))
        return HTTP_READ_AGAIN;
    if (got <= 0)
        return got == 0 && *len == 0 ? HTTP_READ_EOF : HTTP_READ_ERROR;
    avail = *len + (size_t)got;
    take = (size_t)got;
    from = *len >= tlen - 1 ? *len - (tlen - 1) : 0;
    for (size_t i = from; i + tlen <= avail; i++) {
        if (strncmp(&buf[i], term, tlen) == 0) {
            take = i + tlen - *len;
            break;
        }
    }
    if (!clean_text(buf, *len, *len + take))
        return HTTP_READ_BAD;
    if (!http_read_exact(fd, &buf[*len], take))
        return HTTP_READ_ERROR;
    *len += take;
    buf[*len] = '\0';
    if (*len >= tlen && strcmp(&buf[*len - tlen], term) == 0)
        return HTTP_READ_OK;
    return *len + 1 < size ? HTTP_READ_AGAIN : HTTP_READ_TOO_LONG;
}

enum http_read
http_read_until(int fd, char *buf, size_t size, const char *term)
{
    enum http_read r;
    size_t len = 0;

    do {
        r = http_read_step(fd, buf, size, &len, term, 0);
    } while (r == HTTP_READ_AGAIN);
    return r;
}

bool
http_read_exact(int fd, void *buf, size_t n)
{
    unsigned char *b = buf;
    size_t done = 0;

    while (done < n) {
        ssize_t got = recv(fd, &b[done], n - done, 0);

        if (got < 0 && errno == EINTR)
            continue;
        if (got <= 0)
            return false;
        done += (size_t)got;
    }
    return true;
}

bool
http_write(int fd, const void *p, size_t n)
{
    const unsigned char *b = p;
    size_t done = 0;

    while (done < n) {
        ssize_t put = send(fd, &b[done], n - done, MSG_NOSIGNAL);

        if (put < 0 && errno == EINTR)
            continue;
        if (put <= 0)
            return false;
        done += (size_t)put;
    }
    return true;
}

bool
http_next_line(const char *block, size_t *pos, size_t *len)
{
    size_t n = strcspn(&block[*pos], "\r\n");

    if (block[*pos + n] != '\r' || block[*pos + n + 1] != '\n')
        return false;
    *len = n;
    *pos += n + 2;
    return true;
}

static bool
is_ows(char c)
{
    return c == ' ' || c == '\t';
}

int
http_next_field(const char *block, size_t *pos, struct http_field *f)
{
    size_t start = *pos, len, nlen, v, end;

    if (!http_next_line(block, pos, &len))
        return -1;
    if (len == 0)
        return 0;
    /* No whitespace before the colon, no obsolete line folding: a line
     * that starts with a space has an empty name (RFC 9112 5.1, 5.2). */
    nlen = strspn(&block[start], TCHAR);
    if (nlen == 0 || nlen >= len || block[start + nlen] != ':')
        return -1;
    end = start + len;
    v = start + nlen + 1;
    while (v < end && is_ows(block[v]))
        v++;
    for (size_t i = v; i < end; i++) {
        unsigned char c = (unsigned char)block[i];

        if ((c < 0x20 && c != '\t') || c == 0x7f)
            return -1;
    }
    while (end > v && is_ows(block[end - 1]))
        end--;
    f->name = start;
    f->name_len = nlen;
    f->value = v;
    f->value_len = end - v;
    return 1;
}

bool
http_field_is(const char *block, const struct http_field *f,
              const char *name)
{
    return strlen(name) == f->name_len &&
           strncasecmp(&block[f->name], name, f->name_len) == 0;
}

bool
http_value_has(const char *block, const struct http_field *f,
               const char *tok)
{
    size_t i = f->value, end = f->value + f->value_len, tlen = strlen(tok);

    while (i < end) {
        size_t s, e;

        while (i < end && (is_ows(block[i]) || block[i] == ','))
            i++;
        s = i;
        while (i < end && block[i] != ',')
            i++;
        e = i;
        while (e > s && is_ows(block[e - 1]))
            e--;
        if (e - s == tlen && strncasecmp(&block[s], tok, tlen) == 0)
            return true;
    }
    return false;
}

bool
http_value_copy(const char *block, const struct http_field *f, char *out,
                size_t size)
{
    if (f->value_len >= size)
        return false;
    memcpy(out, &block[f->value], f->value_len);
    out[f->value_len] = '\0';
    return true;
}

/* "METHOD SP origin-form SP HTTP/1.1" (RFC 9112 3). */
static int
parse_request_line(const char *block, size_t len, struct http_request *req)
{
    size_t m = strspn(block, TCHAR), t, tlen;

    if (m == 0 || m >= sizeof(req->method) || m >= len || block[m] != ' ')
        return 400;
    memcpy(req->method, block, m);
    req->method[m] = '\0';
    t = m + 1;
    tlen = strcspn(&block[t], " \r\n");
    if (tlen == 0 || tlen >= sizeof(req->target) || t + tlen >= len ||
        block[t + tlen] != ' ' || block[t] != '/')
        return 400;
    for (size_t i = t; i < t + tlen; i++) {
        if (block[i] < 0x21 || block[i] > 0x7e)
            return 400;
    }
    memcpy(req->target, &block[t], tlen);
    req->target[tlen] = '\0';
    t += tlen + 1;
    if (len - t != 8 || strncmp(&block[t], "HTTP/", 5) != 0)
        return 400;
    if (strncmp(&block[t], "HTTP/1.1", 8) == 0)
        return 0;
    return 505;
}

/* "Authorization: Negotiate <token68>"; another scheme is noted. */
static int
take_authorization(const char *block, const struct http_field *f,
                   struct http_request *req)
{
    size_t s = strspn(&block[f->value], TCHAR), i;

    if (s == 0 || s > f->value_len)
        return 400;
    if (s != 9 || strncasecmp(&block[f->value], "Negotiate", 9) != 0) {
        req->other_auth = true;
        return 0;
    }
    i = f->value + s;
    while (i < f->value + f->value_len && block[i] == ' ')
        i++;
    if (i == f->value + s || i >= f->value + f->value_len)
        return 400;             /* no token, or no space before it */
    if (f->value + f->value_len - i >= sizeof(req->token))
        return 400;
    memcpy(req->token, &block[i], f->value + f->value_len - i);
    req->token[f->value + f->value_len - i] = '\0';
    req->negotiate = true;
    return 0;
}

static int
take_content_length(const char *block, const struct http_field *f,
                    struct http_request *req, bool *seen)
{
    char digits[16];
    unsigned long n;

    /* Digits only: no sign, no list (RFC 9110 8.6). */
    if (f->value_len == 0 ||
        strspn(&block[f->value], "0123456789") < f->value_len)
        return 400;
    if (!http_value_copy(block, f, digits, sizeof(digits)))
        return 413;
    n = strtoul(digits, NULL, 10);
    if (*seen && n != req->content_length)
        return 400;
    if (n > HTTP_BODY_MAX)
        return 413;
    *seen = true;
    req->content_length = n;
    return 0;
}

struct seen {
    bool auth, length;
    int hosts;
};

static int
take_field(const char *block, const struct http_field *f,
           struct http_request *req, struct seen *seen)
{
    if (http_field_is(block, f, "Authorization")) {
        if (seen->auth)
            return 400;
        seen->auth = true;
        return take_authorization(block, f, req);
    }
    if (http_field_is(block, f, "Connection") &&
        http_value_has(block, f, "close"))
        req->close = true;
    if (http_field_is(block, f, "Content-Length"))
        return take_content_length(block, f, req, &seen->length);
    if (http_field_is(block, f, "Transfer-Encoding"))
        return 501;
    if (http_field_is(block, f, "Host"))
        seen->hosts++;
    return 0;
}

int
http_parse_request(const char *block, struct http_request *req)
{
    struct seen seen = { false, false, 0 };
    struct http_field f;
    size_t pos = 0, len;
    int r, status;

    memset(req, 0, sizeof(*req));
    if (!http_next_line(block, &pos, &len))
        return 400;
    status = parse_request_line(block, len, req);
    if (status != 0)
        return status;
    while ((r = http_next_field(block, &pos, &f)) == 1) {
        status = take_field(block, &f, req, &seen);
        if (status != 0)
            return status;
    }
    /* RFC 9112 3.2: exactly one Host field in an HTTP/1.1 request. */
    if (r < 0 || block[pos] != '\0' || seen.hosts != 1)
        return 400;
    return strcmp(req->method, "GET") == 0 ? 0 : 405;
}

static const char *
reason(int status)
{
    switch (status) {
    case 200: return "OK";
    case 400: return "Bad Request";
    case 401: return "Unauthorized";
    case 403: return "Forbidden";
    case 405: return "Method Not Allowed";
    case 413: return "Content Too Large";
    case 431: return "Request Header Fields Too Large";
    case 501: return "Not Implemented";
    case 505: return "HTTP Version Not Supported";
    default: return "Internal Server Error";
    }
}

bool
http_send_response(int fd, const struct http_response *r)
{
    const char *body = r->chunked || r->body == NULL ? "" : r->body;
    char date[64], length[64], *auth = NULL, *msg = NULL;
    struct tm tm;
    time_t now = time(NULL);
    bool ok = false;
    int n;

    if (gmtime_r(&now, &tm) == NULL ||
        strftime(date, sizeof(date), "%a, %d %b %Y %H:%M:%S GMT", &tm) == 0)
        goto cleanup;
    if (r->chunked)
        snprintf(length, sizeof(length), "Transfer-Encoding: chunked");
    else
        snprintf(length, sizeof(length), "Content-Length: %zu", strlen(body));
    if (r->negotiate == NULL)
        n = asprintf(&auth, "%s", "");
    else
        n = asprintf(&auth, "WWW-Authenticate: Negotiate%s%s\r\n",
                     r->negotiate[0] != '\0' ? " " : "", r->negotiate);
    if (n < 0) {
        auth = NULL;
        goto cleanup;
    }
    n = asprintf(&msg, "HTTP/1.1 %d %s\r\nDate: %s\r\n%s"
                 "Content-Type: text/plain; charset=utf-8\r\n%s\r\n%s"
                 "\r\n%s", r->status, reason(r->status), date, auth, length,
                 r->close ? "Connection: close\r\n" : "", body);
    if (n < 0) {
        msg = NULL;
        goto cleanup;
    }
    ok = http_write(fd, msg, (size_t)n);
cleanup:
    free(auth);
    free(msg);
    return ok;
}

bool
http_write_chunk(int fd, const char *data, size_t n)
{
    char head[32], *msg;
    bool ok;
    int h;

    /* The last chunk and an empty trailer end the body. */
    if (n == 0)
        return http_write(fd, "0\r\n\r\n", 5);
    h = snprintf(head, sizeof(head), "%zx\r\n", n);
    if (h < 0 || (size_t)h >= sizeof(head) || n > HTTP_BODY_MAX ||
        (msg = malloc((size_t)h + n + 2)) == NULL)
        return false;
    /* One write: size line, data and CRLF leave in one segment. */
    memcpy(msg, head, (size_t)h);
    memcpy(&msg[h], data, n);
    memcpy(&msg[(size_t)h + n], "\r\n", 2);
    ok = http_write(fd, msg, (size_t)h + n + 2);
    free(msg);
    return ok;
}

/* RFC 4648 3.5: the bits left over before padding must be zero, so that
 * a token has one spelling (the canonical base64 http.h promises). */
static bool
pad_bits_zero(const char *text, size_t n, size_t pad)
{
    const char *at = strchr(B64, text[n - 1]);

    if (pad == 0)
        return true;
    return ((size_t)(at - B64) & (pad == 1 ? 0x3u : 0xfu)) == 0;
}

bool
http_b64_decode(const char *text, gss_buffer_t out)
{
    size_t n = strspn(text, B64), pad = strspn(&text[n], "="), total = n + pad;
    unsigned char *buf;
    int got;

    out->length = 0;
    out->value = NULL;
    /* EVP_DecodeBlock accepts '=' anywhere; the shape is checked here. */
    if (n == 0 || pad > 2 || text[total] != '\0' || total % 4 != 0 ||
        total > INT_MAX || !pad_bits_zero(text, n, pad))
        return false;
    buf = malloc(total / 4 * 3);
    if (buf == NULL)
        return false;
    got = EVP_DecodeBlock(buf, (const unsigned char *)text, (int)total);
    if (got < 0 || (size_t)got != total / 4 * 3) {
        free(buf);
        return false;
    }
    out->value = buf;
    out->length = (size_t)got - pad;
    return true;
}

char *
http_b64_encode(const void *p, size_t n)
{
    unsigned char *out;

    if (n > INT_MAX / 2 || (out = malloc((n + 2) / 3 * 4 + 1)) == NULL)
        return NULL;
    if (EVP_EncodeBlock(out, p, (int)n) < 0) {
        free(out);
        return NULL;
    }
    return (char *)out;
}
