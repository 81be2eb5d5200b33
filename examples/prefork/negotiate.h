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

/* Reads one request (and discards its body).  False when the
 * connection must close: the peer left, or the request was refused
 * (a 400, 405, 413, 431, 501 or 505 response was sent). */
bool nego_read_request(int conn, struct http_request *req);

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

/* Master: reads requests until one carries a Negotiate token (a bare
 * 401 for each that does not), takes the first step and answers.  True
 * when *ctx (complete, or waiting for the client's next token) and conn
 * go to a worker; false when the connection is done. */
bool http_master_conn(int conn, gss_ctx_id_t *ctx);

/* Worker: finishes the negotiation if it is not complete, writes the
 * body of a 200 the master began, and serves the connection's later
 * requests under the context's identity (a new Negotiate token starts
 * a new negotiation).  May replace or delete *ctx. */
void http_serve(int conn, gss_ctx_id_t *ctx);

#endif /* BATON_EXAMPLES_PREFORK_NEGOTIATE_H_ */
