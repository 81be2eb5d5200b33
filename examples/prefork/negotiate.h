/*
 * negotiate.h - HTTP Negotiate (RFC 4559, SPNEGO) for the prefork
 * server's -H mode.  The master takes the first gss_accept_sec_context
 * step of a connection; the worker it hands the connection to (with the
 * context, complete or still negotiating) takes the rest and serves.
 */
#ifndef BATON_EXAMPLES_PREFORK_NEGOTIATE_H_
#define BATON_EXAMPLES_PREFORK_NEGOTIATE_H_

#include <stdbool.h>

#include <gssapi/gssapi.h>

#include "http.h"

/* Who logs: "master" or "worker". */
extern const char *nego_who;

/* Whether a refusal waits (up to 200 ms a read) for what the client
 * still sends, so that closing does not reset the connection before it
 * read the answer; the master, which must not wait, clears it and
 * drains refused connections itself (pending.c). */
extern bool nego_linger;

/* Reads one request (and discards its body).  False when the
 * connection must close: the peer left, or the request was refused
 * (a 400, 405, 413, 431, 501 or 505 response was sent). */
bool nego_read_request(int conn, struct http_request *req);

/* The first half of nego_read_request for a caller that reads the
 * header block itself (got: how that ended): 0 with *req parsed (its
 * body still to discard), -1 when the peer left or stalled, or the
 * status of the refusal that was sent. */
int nego_take_request(int conn, enum http_read got, const char *block,
                      struct http_request *req);

enum nego_step {
    NEGO_CONTINUE,  /* *reply holds the token for the 401 */
    NEGO_COMPLETE,  /* *reply holds the final token or is NULL */
    NEGO_FAILED     /* a 400 or 401 with the reason was sent; close */
};

/* One acceptor step (GSS_C_NO_CREDENTIAL: the keytab of KRB5_KTNAME)
 * on the request's Negotiate token.  *reply is a malloc'd base64 token
 * or NULL; on NEGO_FAILED the context is deleted. */
enum nego_step nego_accept(int conn, gss_ctx_id_t *ctx,
                           const struct http_request *req, char **reply);

/* 401 with "WWW-Authenticate: Negotiate [token]" (token NULL: bare). */
bool nego_challenge(int conn, const char *token, bool close);

/* The head of a 200 whose body follows in chunks, with the final
 * Negotiate token if there is one. */
bool nego_ok_head(int conn, const char *token, bool close);

enum nego_master {
    NEGO_AGAIN,     /* a bare 401 went out: the next request follows */
    NEGO_HANDOFF,   /* *ctx and conn go to a worker */
    NEGO_CLOSE      /* the connection is done (an answer may be out) */
};

/* Master: answers request n (from 0) of a connection, read whole with
 * its body discarded.  A bare 401 while it carries no Negotiate token
 * (up to 4 times); with one, the first step: the 401 with the reply
 * token or the 200's head, and *ctx (complete, or waiting for the
 * client's next token) goes to a worker with conn. */
enum nego_master nego_master_request(int conn, gss_ctx_id_t *ctx,
                                     const struct http_request *req, int n);

/* Worker: finishes the negotiation if it is not complete, writes the
 * body of a 200 the master began, and serves the connection's later
 * requests under the context's identity (a new Negotiate token starts
 * a new negotiation).  May replace or delete *ctx. */
void http_serve(int conn, gss_ctx_id_t *ctx);

#endif /* BATON_EXAMPLES_PREFORK_NEGOTIATE_H_ */
