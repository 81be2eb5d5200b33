/*
 * http_worker.c - a worker's side of the -H mode: takes a connection the
 * master handed over with its context, complete or in the middle of a
 * SPNEGO negotiation, and serves "GET" under the context's identity:
 * "you are PRINCIPAL (worker PID, negotiated by PID)", where the second
 * PID is the process that took the negotiation's last step.
 */
#include "negotiate.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "wire.h"

struct session {
    gss_ctx_id_t *ctx;
    bool open;          /* established: requests are served */
    long negotiator;    /* the process that completed it */
};

/* The body of a 200, in chunks, and the last chunk. */
static bool
send_body(int conn, const struct session *s)
{
    gss_buffer_desc name = GSS_C_EMPTY_BUFFER;
    gss_name_t src = GSS_C_NO_NAME;
    OM_uint32 major, minor;
    char text[600];
    bool ok = false;

    major = gss_inquire_context(&minor, *s->ctx, &src, NULL, NULL, NULL,
                                NULL, NULL, NULL);
    if (major == GSS_S_COMPLETE)
        major = gss_display_name(&minor, src, &name, NULL);
    if (major != GSS_S_COMPLETE) {
        wire_status("naming the client", major, minor, text, sizeof(text));
        fprintf(stderr, "worker %ld: %s\n", (long)getpid(), text);
        goto cleanup;
    }
    snprintf(text, sizeof(text), "you are %.*s (worker %ld, negotiated by "
             "%ld)\n", (int)name.length, (char *)name.value, (long)getpid(),
             s->negotiator);
    ok = http_write_chunk(conn, text, strlen(text)) &&
         http_write_chunk(conn, NULL, 0);
cleanup:
    (void)gss_release_buffer(&minor, &name);
    (void)gss_release_name(&minor, &src);
    return ok;
}

/* One step of a negotiation on this connection, and its answer. */
static bool
negotiate(int conn, struct session *s, const struct http_request *req)
{
    char *reply = NULL;
    bool ok = false;

    switch (nego_accept(conn, s->ctx, req, &reply)) {
    case NEGO_FAILED:
        return false;
    case NEGO_CONTINUE:
        ok = nego_challenge(conn, reply, req->close);
        break;
    case NEGO_COMPLETE:
        s->open = true;
        s->negotiator = (long)getpid();
        ok = nego_ok_head(conn, reply, req->close) && send_body(conn, s);
        break;
    }
    free(reply);
    return ok;
}

/* One request; false when the connection is done. */
static bool
answer(int conn, struct session *s, const struct http_request *req)
{
    OM_uint32 minor;

    if (req->negotiate) {
        /* A token after the context is complete starts afresh. */
        if (s->open) {
            (void)gss_delete_sec_context(&minor, s->ctx, GSS_C_NO_BUFFER);
            s->open = false;
        }
        return negotiate(conn, s, req);
    }
    /* Connection-bound: no token, the connection's identity. */
    if (s->open)
        return nego_ok_head(conn, NULL, req->close) && send_body(conn, s);
    /* A negotiation the client abandoned. */
    if (*s->ctx != GSS_C_NO_CONTEXT)
        (void)gss_delete_sec_context(&minor, s->ctx, GSS_C_NO_BUFFER);
    return nego_challenge(conn, NULL, req->close);
}

void
http_serve(int conn, gss_ctx_id_t *ctx)
{
    static struct http_request req;
    struct session s = { ctx, false, (long)getppid() };
    OM_uint32 major, minor;
    char err[300];
    int open = 0;

    nego_who = "worker";
    nego_linger = true;         /* the master, which forked us, does not */
    major = gss_inquire_context(&minor, *ctx, NULL, NULL, NULL, NULL, NULL,
                                NULL, &open);
    if (major != GSS_S_COMPLETE) {
        wire_status("inquiring the handed-over context", major, minor, err,
                    sizeof(err));
        fprintf(stderr, "worker %ld: closing connection: %s\n",
                (long)getpid(), err);
        return;
    }
    s.open = open != 0;
    /* Complete in the master, which sent the 200's head: the body. */
    if (s.open && !send_body(conn, &s))
        return;
    while (nego_read_request(conn, &req) && answer(conn, &s, &req) &&
           !req.close)
        ;
}
