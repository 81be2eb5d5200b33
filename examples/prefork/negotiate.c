/*
 * negotiate.c - the HTTP Negotiate steps the master and the workers
 * share, and the master's part: the first gss_accept_sec_context step of
 * each connection, answered before the handoff.
 */
#include "negotiate.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include "wire.h"

/* Requests without a Negotiate token the master answers on one
 * connection before it gives up on it. */
#define MASTER_MAX_CHALLENGES 4

const char *nego_who = "master";
bool nego_linger = true;

static void
log_close(const char *what)
{
    fprintf(stderr, "%s %ld: closing connection: %.*s\n", nego_who,
            (long)getpid(), (int)strcspn(what, "\n"), what);
}

/* Answers with status and closes our side for writing, then drains
 * what the client still sends for a moment: closing a socket with
 * unread data resets it, and the client might lose the answer.  Without
 * nego_linger the caller drains. */
static void
refuse(int conn, int status, const char *negotiate, const char *text)
{
    struct http_response r = { status, negotiate, true, false, text };
    struct timeval tv = { 0, 200000 };
    char sink[4096];
    size_t total = 0;
    ssize_t got;

    log_close(text);
    if (!http_send_response(conn, &r) || shutdown(conn, SHUT_WR) != 0 ||
        !nego_linger ||
        setsockopt(conn, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv)) != 0)
        return;
    while (total < HTTP_BODY_MAX &&
           (got = recv(conn, sink, sizeof(sink), 0)) > 0)
        total += (size_t)got;
}

static bool
discard_body(int conn, size_t n)
{
    char sink[4096];

    while (n > 0) {
        size_t part = n < sizeof(sink) ? n : sizeof(sink);

        if (!http_read_exact(conn, sink, part))
            return false;
        n -= part;
    }
    return true;
}

int
nego_take_request(int conn, enum http_read got, const char *block,
                  struct http_request *req)
{
    char text[64];
    int status;

    switch (got) {
    case HTTP_READ_OK:
        status = http_parse_request(block, req);
        break;
    case HTTP_READ_TOO_LONG:
        status = 431;
        break;
    case HTTP_READ_BAD:
        status = 400;
        break;
    default:
        return -1;              /* gone, reset, or idle too long */
    }
    if (status != 0) {
        snprintf(text, sizeof(text), "request refused with status %d\n",
                 status);
        refuse(conn, status, NULL, text);
    }
    return status;
}

bool
nego_read_request(int conn, struct http_request *req)
{
    static char block[HTTP_HEAD_MAX + 1];
    enum http_read got = http_read_until(conn, block, sizeof(block),
                                         "\r\n\r\n");

    return nego_take_request(conn, got, block, req) == 0 &&
           discard_body(conn, req->content_length);
}

bool
nego_challenge(int conn, const char *token, bool close)
{
    struct http_response r = { 401, token != NULL ? token : "", close,
                               false, "authentication required\n" };

    return http_send_response(conn, &r);
}

bool
nego_ok_head(int conn, const char *token, bool close)
{
    struct http_response r = { 200, token, close, true, NULL };

    return http_send_response(conn, &r);
}

enum nego_step
nego_accept(int conn, gss_ctx_id_t *ctx, const struct http_request *req,
            char **reply)
{
    gss_buffer_desc in = GSS_C_EMPTY_BUFFER, out = GSS_C_EMPTY_BUFFER;
    enum nego_step res = NEGO_FAILED;
    OM_uint32 major, minor;
    char text[600];

    *reply = NULL;
    if (!http_b64_decode(req->token, &in)) {
        refuse(conn, 400, NULL, "the Negotiate token is not base64\n");
        goto cleanup;
    }
    major = gss_accept_sec_context(&minor, ctx, GSS_C_NO_CREDENTIAL, &in,
                                   GSS_C_NO_CHANNEL_BINDINGS, NULL, NULL,
                                   &out, NULL, NULL, NULL);
    if (GSS_ERROR(major)) {
        wire_status("authentication failed", major, minor, text,
                    sizeof(text) - 1);
        strcat(text, "\n");
        refuse(conn, 401, "", text);
        goto cleanup;
    }
    if (out.length > 0 &&
        (*reply = http_b64_encode(out.value, out.length)) == NULL) {
        refuse(conn, 500, NULL, "out of memory\n");
        goto cleanup;
    }
    res = major == GSS_S_COMPLETE ? NEGO_COMPLETE : NEGO_CONTINUE;
cleanup:
    free(in.value);
    (void)gss_release_buffer(&minor, &out);
    if (res == NEGO_FAILED && *ctx != GSS_C_NO_CONTEXT)
        (void)gss_delete_sec_context(&minor, ctx, GSS_C_NO_BUFFER);
    return res;
}

/* The answer to the first Negotiate token; true to hand off. */
static bool
master_answer(int conn, gss_ctx_id_t *ctx, const struct http_request *req)
{
    char *reply = NULL;
    bool handoff = false;
    OM_uint32 minor;

    switch (nego_accept(conn, ctx, req, &reply)) {
    case NEGO_FAILED:
        return false;
    case NEGO_CONTINUE:
        /* The next token comes on this connection or never. */
        handoff = nego_challenge(conn, reply, req->close) && !req->close;
        break;
    case NEGO_COMPLETE:
        /* The worker writes the body; "Connection: close" from the
         * client: it finds the read side shut once the body is out. */
        handoff = nego_ok_head(conn, reply, req->close) &&
                  (!req->close || shutdown(conn, SHUT_RD) == 0);
        break;
    }
    free(reply);
    if (!handoff)
        (void)gss_delete_sec_context(&minor, ctx, GSS_C_NO_BUFFER);
    return handoff;
}

enum nego_master
nego_master_request(int conn, gss_ctx_id_t *ctx,
                    const struct http_request *req, int n)
{
    if (req->negotiate)
        return master_answer(conn, ctx, req) ? NEGO_HANDOFF : NEGO_CLOSE;
    if (!nego_challenge(conn, NULL, req->close) || req->close ||
        n + 1 >= MASTER_MAX_CHALLENGES)
        return NEGO_CLOSE;
    return NEGO_AGAIN;
}
