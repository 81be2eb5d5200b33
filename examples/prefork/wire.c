/*
 * wire.c - length-prefixed frames over a stream socket.
 */
#include "wire.h"

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

static bool
io_all(int fd, void *p, size_t n, bool out)
{
    char *c = p;

    while (n > 0) {
        ssize_t r = out ? send(fd, c, n, MSG_NOSIGNAL) : recv(fd, c, n, 0);

        if (r < 0 && errno == EINTR)
            continue;
        if (r <= 0)
            return false;
        c += r;
        n -= (size_t)r;
    }
    return true;
}

/* Length and payload leave in one segment: two small writes would wait
 * on Nagle's algorithm and the peer's delayed acknowledgement. */
bool
wire_send(int fd, const void *p, size_t n)
{
    unsigned char *buf;
    bool ok;

    if (n > WIRE_MAX || (buf = malloc(n + 4)) == NULL)
        return false;
    buf[0] = (unsigned char)(n >> 24);
    buf[1] = (unsigned char)(n >> 16);
    buf[2] = (unsigned char)(n >> 8);
    buf[3] = (unsigned char)n;
    if (n > 0)
        memcpy(buf + 4, p, n);
    ok = io_all(fd, buf, n + 4, true);
    free(buf);
    return ok;
}

bool
wire_recv(int fd, gss_buffer_t out)
{
    unsigned char h[4];
    uint32_t n;

    out->length = 0;
    out->value = NULL;
    if (!io_all(fd, h, 4, false))
        return false;
    n = ((uint32_t)h[0] << 24) | ((uint32_t)h[1] << 16) |
        ((uint32_t)h[2] << 8) | h[3];
    if (n > WIRE_MAX)
        return false;
    out->value = malloc(n > 0 ? n : 1);
    if (out->value == NULL)
        return false;
    out->length = n;
    if (!io_all(fd, out->value, n, false)) {
        free(out->value);
        out->value = NULL;
        out->length = 0;
        return false;
    }
    return true;
}

void
wire_status(const char *what, OM_uint32 major, OM_uint32 minor, char *out,
            size_t size)
{
    gss_buffer_desc a = GSS_C_EMPTY_BUFFER, b = GSS_C_EMPTY_BUFFER;
    OM_uint32 m, ctx = 0;

    gss_display_status(&m, major, GSS_C_GSS_CODE, GSS_C_NO_OID, &ctx, &a);
    ctx = 0;
    gss_display_status(&m, minor, GSS_C_MECH_CODE, GSS_C_NO_OID, &ctx, &b);
    snprintf(out, size, "%s: %.*s (%.*s)", what, (int)a.length,
             (char *)a.value, (int)b.length, (char *)b.value);
    gss_release_buffer(&m, &a);
    gss_release_buffer(&m, &b);
}
