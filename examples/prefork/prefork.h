/*
 * prefork.h - the parts of the prefork example server.
 */
#ifndef BATON_EXAMPLES_PREFORK_PREFORK_H_
#define BATON_EXAMPLES_PREFORK_PREFORK_H_

#include <gssapi/gssapi.h>

/* Serves one connection handed over with its context; may replace or
 * delete *ctx.  The caller closes conn and deletes *ctx afterwards. */
typedef void conn_server(int conn, gss_ctx_id_t *ctx);

/* The small wrapped protocol of worker.c ("whoami", "echo TEXT"). */
void wire_serve(int conn, gss_ctx_id_t *ctx);

/* What a worker writes on its socket to the master just before each
 * baton_handoff_recv: "idle, hand me a connection".  The master reads it
 * before it sends that worker a handoff, so it never meets the handoff
 * protocol's reply; nothing else goes from a worker to the master but
 * that reply (handoff.c). */
#define PREFORK_READY 'R'

/* Serves connections handed over on sock until the master goes away:
 * announces itself ready (PREFORK_READY), receives, serves, again. */
void worker_main(int sock, conn_server *serve) __attribute__((noreturn));

#endif /* BATON_EXAMPLES_PREFORK_PREFORK_H_ */
