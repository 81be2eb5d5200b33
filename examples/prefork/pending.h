/*
 * pending.h - the prefork master's connections between accept and
 * handoff.  Each has a small state machine: what the client sends is read
 * as it arrives, without waiting (recv with MSG_DONTWAIT, never past the
 * current frame or HTTP message: the worker reads the rest); a GSS step
 * runs once a whole frame or request is in, and its small reply is
 * written at once (blocking, with a send timeout).  A connection whose
 * handshake is done waits in the ready queue for an idle worker; one that
 * is not done within PENDING_DEADLINE_MS is closed and counted as a
 * failed handshake.  The master polls them all with its workers and its
 * listening socket (server.c).
 */
#ifndef BATON_EXAMPLES_PREFORK_PENDING_H_
#define BATON_EXAMPLES_PREFORK_PENDING_H_

#include <poll.h>
#include <stdbool.h>

#include <gssapi/gssapi.h>

/* Connections the master holds at most (handshaking or ready). */
#define PENDING_MAX 64
/* From accept to a finished handshake. */
#define PENDING_DEADLINE_MS 5000

/* Framed handshakes use cred; http: the -H mode (negotiate.c). */
void pending_init(gss_cred_id_t cred, bool http);

/* True when no more connection fits. */
bool pending_full(void);

/* Takes an accepted connection (closed and counted as a failed
 * handshake if it cannot be set up). */
void pending_add(int fd);

/* The pollfds of the connections that wait for input, at most max;
 * pending_events takes them back after the poll, before any
 * pending_add. */
nfds_t pending_poll(struct pollfd *fds, nfds_t max);
void pending_events(const struct pollfd *fds, nfds_t n);

/* Milliseconds to the nearest deadline, -1 if there is none. */
int pending_timeout_ms(void);

/* Closes the connections whose deadline has passed. */
void pending_expire(void);

/* The oldest connection whose handshake is done, or -1; its socket and
 * context (which a handoff empties); pending_try counts a failed
 * handoff of it and returns how many failed so far. */
int pending_ready(void);
int pending_fd(int slot);
gss_ctx_id_t *pending_ctx(int slot);
int pending_try(int slot);

/* Closes the connection, deletes what is left of its context. */
void pending_done(int slot);

/* Finished and failed handshakes so far. */
void pending_counts(unsigned long *ok, unsigned long *failed);

/* In a new worker: closes the master's connections (and frees nothing:
 * the worker never uses them). */
void pending_forget(void);

/* At exit: closes everything and frees the buffers. */
void pending_cleanup(void);

#endif /* BATON_EXAMPLES_PREFORK_PENDING_H_ */
