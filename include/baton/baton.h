/*
 * baton.h - Baton's own API, beyond RFC 2744.
 *
 * Baton is a GSS-API library whose security contexts move safely from one
 * process to another.  The transfer policy and process handoff calls arrive
 * here as they are built; everything standard is in <gssapi/gssapi.h>.
 */
#ifndef BATON_BATON_H_
#define BATON_BATON_H_

#include <gssapi/gssapi.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Returns the library's version as a static string, e.g. "0.1.0". */
const char *baton_version(void);

/*
 * Context transfer (gss_export_sec_context / gss_import_sec_context).
 *
 * Settings come, strongest first, from these calls, then the environment
 * (BATON_TRANSFER_POLICY, BATON_TRANSFER_KEY, BATON_TRANSFER_LIFETIME,
 * BATON_RUNTIME_DIR; ignored in setuid and setgid programs), then the
 * configuration file (BATON_CONFIG, default /etc/baton/baton.conf), then the
 * defaults: policy uid, key source user, lifetime 10 seconds.  Each call
 * returns 0 or an errno value (EINVAL for a value out of range) and affects
 * the whole process.
 */

/* Who may import a token: the exporter's effective uid, its process group,
 * or any process that holds the key. */
enum baton_policy {
    BATON_POLICY_UID = 1,
    BATON_POLICY_PGRP = 2,
    BATON_POLICY_ANY = 3
};

/* Where the sealing key comes from.  USER: a per-account key file in the
 * runtime directory (created 0600 in a 0700 directory on first use);
 * INHERIT: a key made in memory by this process and inherited by its
 * children; APP: the key given to baton_transfer_set_key; NONE: tokens
 * are not sealed (keys travel in plaintext) - never the default. */
enum baton_key_source {
    BATON_KEY_USER = 1,
    BATON_KEY_INHERIT = 2,
    BATON_KEY_APP = 3,
    BATON_KEY_NONE = 4
};

int baton_transfer_set_policy(enum baton_policy policy);
int baton_transfer_set_key_source(enum baton_key_source source);

/* Sets the application key (32 bytes; copied) and selects BATON_KEY_APP. */
int baton_transfer_set_key(const void *key, size_t len);

/* Seconds an exported token stays importable (1 to 86400). */
int baton_transfer_set_lifetime(unsigned int seconds);

/* For BATON_KEY_INHERIT across exec: makes (if needed) this process's
 * inherited key and returns in *fd_out a pipe's read end, without
 * close-on-exec, holding it.  Give the child the descriptor and set
 * BATON_TRANSFER_KEY_FD to its number in the child's environment; the
 * child reads the key once, on its first transfer.  The caller closes
 * *fd_out after starting the child. */
int baton_transfer_key_fd(int *fd_out);

/*
 * Process handoff: a security context and the connection it protects,
 * passed together to another process over a Unix-domain stream socket.
 *
 * baton_handoff_send checks the receiving process (SO_PEERCRED) against the
 * transfer policy, exports the context, sends the token with conn_fd
 * (SCM_RIGHTS) and waits for the receiver to confirm the import.  Only then
 * is *context_handle set to GSS_C_NO_CONTEXT; if anything fails before the
 * receiver holds the context, the context is restored and stays usable
 * (its token was not consumed).  conn_fd stays open in the sender either
 * way; close it after a successful send.
 *
 * baton_handoff_recv receives one context and descriptor, checks the
 * sending process against the policy, imports, and confirms to the sender.
 * On success *context_handle and *conn_fd are the caller's.
 *
 * Both return GSS-style major statuses with a displayable minor status;
 * short reads and writes and EINTR are handled, a peer that dies gives
 * GSS_S_FAILURE, never SIGPIPE.
 */
OM_uint32 baton_handoff_send(OM_uint32 *minor_status, int sock,
                             gss_ctx_id_t *context_handle, int conn_fd);
OM_uint32 baton_handoff_recv(OM_uint32 *minor_status, int sock,
                             gss_ctx_id_t *context_handle, int *conn_fd);

#ifdef __cplusplus
}
#endif

#endif /* BATON_BATON_H_ */
