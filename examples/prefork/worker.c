/*
 * worker.c - a pre-forked worker: tells the master it is idle, receives a
 * context and a connection (baton_handoff_recv) and serves the small
 * protocol:
 * wrapped "whoami" -> wrapped "you are PRINCIPAL (worker PID)",
 * wrapped "echo TEXT" -> wrapped "TEXT".
 */
#include "prefork.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <baton/baton.h>

#include "wire.h"

/* The reply to one request, malloc'd into out. */
static void
answer(gss_ctx_id_t ctx, const gss_buffer_desc *req, gss_buffer_t out)
{
    gss_name_t src = GSS_C_NO_NAME;
    gss_buffer_desc name = GSS_C_EMPTY_BUFFER;
    OM_uint32 minor;
    char text[512];

    if (req->length >= 5 && memcmp(req->value, "echo ", 5) == 0) {
        out->length = req->length - 5;
        out->value = malloc(out->length + 1);
        if (out->value != NULL)
            memcpy(out->value, (char *)req->value + 5, out->length);
        return;
    }
    if (req->length == 6 && memcmp(req->value, "whoami", 6) == 0 &&
        gss_inquire_context(&minor, ctx, &src, NULL, NULL, NULL, NULL, NULL,
                            NULL) == GSS_S_COMPLETE &&
        gss_display_name(&minor, src, &name, NULL) == GSS_S_COMPLETE)
        snprintf(text, sizeof(text), "you are %.*s (worker %ld)",
                 (int)name.length, (char *)name.value, (long)getpid());
    else
        snprintf(text, sizeof(text), "error: unknown request");
    gss_release_buffer(&minor, &name);
    gss_release_name(&minor, &src);
    out->length = strlen(text);
    out->value = strdup(text);
}

/* Serves one connection until the client closes it or misbehaves. */
void
wire_serve(int conn, gss_ctx_id_t *ctxp)
{
    gss_ctx_id_t ctx = *ctxp;
    gss_buffer_desc in, req, rep, out;
    OM_uint32 major, minor;
    char err[256];

    while (wire_recv(conn, &in)) {
        major = gss_unwrap(&minor, ctx, &in, &req, NULL, NULL);
        free(in.value);
        if (major != GSS_S_COMPLETE) {
            wire_status("unwrap", major, minor, err, sizeof(err));
            fprintf(stderr, "worker %ld: closing connection: %s\n",
                    (long)getpid(), err);
            break;
        }
        answer(ctx, &req, &rep);
        gss_release_buffer(&minor, &req);
        major = gss_wrap(&minor, ctx, 1, 0, &rep, NULL, &out);
        free(rep.value);
        if (major != GSS_S_COMPLETE || !wire_send(conn, out.value, out.length)) {
            gss_release_buffer(&minor, &out);
            break;
        }
        gss_release_buffer(&minor, &out);
    }
}

/* Tells the master this worker is idle; false if the master is gone. */
static bool
announce_ready(int sock)
{
    const char c = PREFORK_READY;
    ssize_t w;

    do {
        w = send(sock, &c, 1, MSG_NOSIGNAL);
    } while (w < 0 && errno == EINTR);
    return w == 1;
}

void
worker_main(int sock, conn_server *serve)
{
    gss_ctx_id_t ctx;
    OM_uint32 major, minor;
    char err[256];
    int conn;

    for (;;) {
        if (!announce_ready(sock))
            _exit(0);
        major = baton_handoff_recv(&minor, sock, &ctx, &conn);
        if (major != GSS_S_COMPLETE) {
            char c;
            ssize_t r = recv(sock, &c, 1, MSG_PEEK | MSG_DONTWAIT);

            /* The master closed its end: nothing more to do. */
            if (r == 0 || (r < 0 && errno != EAGAIN && errno != EWOULDBLOCK))
                _exit(0);
            wire_status("handoff", major, minor, err, sizeof(err));
            fprintf(stderr, "worker %ld: %s\n", (long)getpid(), err);
            continue;
        }
        serve(conn, &ctx);
        close(conn);
        gss_delete_sec_context(&minor, &ctx, NULL);
    }
}
