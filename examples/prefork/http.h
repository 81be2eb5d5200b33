/*
 * http.h - the small HTTP/1.1 subset of the prefork example's Negotiate
 * mode (RFC 9110, 9112; RFC 4559 for Negotiate): bounded header blocks,
 * GET requests, responses with Content-Length or chunked bodies, and
 * base64 through OpenSSL.
 *
 * A connection changes hands between messages (master -> worker), so
 * nothing here buffers past the end of a message: whoever holds the
 * descriptor next finds the stream exactly at the next message.
 */
#ifndef BATON_EXAMPLES_PREFORK_HTTP_H_
#define BATON_EXAMPLES_PREFORK_HTTP_H_

#include <stdbool.h>
#include <stddef.h>

#include <gssapi/gssapi.h>

/* A header block (start line, fields, blank line) longer than this is
 * refused; buffers hold it plus the terminating NUL. */
#define HTTP_HEAD_MAX 16384
#define HTTP_BODY_MAX 65536

enum http_read {
    HTTP_READ_OK,
    HTTP_READ_EOF,      /* the peer closed before the first byte */
    HTTP_READ_ERROR,    /* reset, timeout, or closed mid-message */
    HTTP_READ_TOO_LONG, /* no terminator within the buffer */
    HTTP_READ_BAD,      /* a NUL byte, or a CR or LF not in a CRLF pair */
    HTTP_READ_AGAIN     /* http_read_step: no terminator yet */
};

/* Reads up to and including the first occurrence of term ("\r\n\r\n" for
 * a header block, "\r\n" for a line), never a byte more, into buf
 * (size bytes, NUL-terminated on success).  A bad byte is found as soon
 * as it arrives, not when the terminator does (which may be never). */
enum http_read http_read_until(int fd, char *buf, size_t size,
                               const char *term);

/* One step of http_read_until for a caller that polls: what has arrived
 * (flags MSG_DONTWAIT: none is HTTP_READ_AGAIN; 0: waits for a byte),
 * up to the terminator, is appended at buf[*len] and *len grows.
 * HTTP_READ_AGAIN until the terminator is in; start with *len == 0. */
enum http_read http_read_step(int fd, char *buf, size_t size, size_t *len,
                              const char *term, int flags);

/* Reads exactly n bytes (n may be 0). */
bool http_read_exact(int fd, void *buf, size_t n);

/* Sends all n bytes; false if the peer is gone (never SIGPIPE). */
bool http_write(int fd, const void *p, size_t n);

/* One header field of a block: offsets into it, value without OWS. */
struct http_field {
    size_t name, name_len, value, value_len;
};

/* The line that starts at *pos: its length without the CRLF; *pos moves
 * past the CRLF.  False when the line does not end in CRLF (bare CR or
 * LF, or the block ends). */
bool http_next_line(const char *block, size_t *pos, size_t *len);

/* The field at *pos: 1 and *f, 0 at the blank line that ends the block,
 * -1 for a malformed line (obsolete folding, no colon, a bad name or a
 * control character in the value). */
int http_next_field(const char *block, size_t *pos, struct http_field *f);

/* Field name comparison, case-insensitive. */
bool http_field_is(const char *block, const struct http_field *f,
                   const char *name);

/* True when the comma-separated value lists tok (case-insensitive). */
bool http_value_has(const char *block, const struct http_field *f,
                    const char *tok);

/* Copies the value, NUL-terminated; false if it does not fit. */
bool http_value_copy(const char *block, const struct http_field *f,
                     char *out, size_t size);

/* A request, as far as the example cares.  token holds the base64 text
 * of "Authorization: Negotiate <token>". */
struct http_request {
    char method[16];
    char target[1024];
    bool close;          /* Connection: close */
    bool negotiate;      /* Authorization with the Negotiate scheme */
    bool other_auth;     /* Authorization with another scheme */
    size_t content_length;
    char token[HTTP_HEAD_MAX];
};

/* Parses a NUL-terminated header block: 0, or the status to answer
 * before closing (400 malformed, 405 not GET, 413 body too large,
 * 501 Transfer-Encoding, 505 not HTTP/1.1). */
int http_parse_request(const char *block, struct http_request *req);

/* A response.  negotiate: NULL for no WWW-Authenticate field, "" for a
 * bare "Negotiate" challenge, else the base64 token to send with it. */
struct http_response {
    int status;
    const char *negotiate;
    bool close;          /* Connection: close */
    bool chunked;        /* the body follows in http_write_chunk calls */
    const char *body;    /* text with Content-Length when !chunked */
};

bool http_send_response(int fd, const struct http_response *r);

/* One chunk of a chunked body; n == 0 sends the last chunk. */
bool http_write_chunk(int fd, const char *data, size_t n);

/* Base64 (RFC 4648 section 4, with padding) as HTTP Negotiate carries
 * it.  decode: false unless text is nonempty, canonical base64; out is
 * malloc'd (gss_release_buffer or free).  encode: a malloc'd
 * NUL-terminated string, NULL when out of memory. */
bool http_b64_decode(const char *text, gss_buffer_t out);
char *http_b64_encode(const void *p, size_t n);

#endif /* BATON_EXAMPLES_PREFORK_HTTP_H_ */
