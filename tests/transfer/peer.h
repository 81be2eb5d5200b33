/*
 * peer.h - a GSS peer in a separate process for the transfer tests.  The
 * test forks and execs its own binary with "peer" as argv[1]; the peer
 * then runs commands sent over a pipe: import a token, wrap, unwrap, MIC,
 * continue an initiator.  Each reply is major, minor and one buffer.
 */
#ifndef BATON_TESTS_TRANSFER_PEER_H_
#define BATON_TESTS_TRANSFER_PEER_H_

#include <stdbool.h>
#include <sys/types.h>

#include <gssapi/gssapi.h>

enum peer_cmd {
    PEER_IMPORT = 'I',      /* token -> (status) */
    PEER_WRAP = 'W',        /* plaintext -> wrap token */
    PEER_UNWRAP = 'U',      /* token -> plaintext */
    PEER_MIC = 'M',         /* message -> MIC */
    PEER_VERIFY = 'V',      /* message, then MIC as a second buffer */
    PEER_INIT = 'C',        /* input token -> output token (initiator) */
    PEER_SET_KEY = 'K',     /* 32-byte application key */
    PEER_QUIT = 'Q',
};

struct peer {
    pid_t pid;
    int to, from;
};

struct reply {
    OM_uint32 major, minor;
    gss_buffer_desc buf;    /* malloc'd; free with free() */
};

/* Starts a peer; before exec, the child runs setup (may be NULL), which
 * may change its uid or process group. */
bool peer_start(struct peer *p, const char *self, void (*setup)(void));

/* Sends a command with one or two buffers and reads the reply. */
bool peer_call(struct peer *p, enum peer_cmd cmd, const void *a, size_t alen,
               const void *b, size_t blen, struct reply *r);

/* Stops the peer; returns its exit status (0 when it ended cleanly). */
int peer_stop(struct peer *p);

/* The peer's side: runs commands from fd 0, replies on fd 1. */
int peer_main(void);

#endif /* BATON_TESTS_TRANSFER_PEER_H_ */
