/*
 * wire.h - the prefork example's framing: every message is a 4-byte
 * big-endian length and that many bytes, at most WIRE_MAX.  Context tokens
 * during the handshake, wrap tokens after it.
 */
#ifndef BATON_EXAMPLES_PREFORK_WIRE_H_
#define BATON_EXAMPLES_PREFORK_WIRE_H_

#include <stdbool.h>
#include <stddef.h>

#include <gssapi/gssapi.h>

#define WIRE_MAX 65536

/* Sends one frame; false on any error (peer gone, too large). */
bool wire_send(int fd, const void *p, size_t n);

/* Receives one frame into a malloc'd buffer (release with
 * gss_release_buffer or free).  False on EOF, error, or a length over
 * WIRE_MAX (the caller closes the connection). */
bool wire_recv(int fd, gss_buffer_t out);

/* A GSS status as one line of text (major, then minor), for logs. */
void wire_status(const char *what, OM_uint32 major, OM_uint32 minor,
                 char *out, size_t size);

#endif /* BATON_EXAMPLES_PREFORK_WIRE_H_ */
