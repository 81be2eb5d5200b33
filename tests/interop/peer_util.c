/*
 * peer_util.c - reporting, framing and small helpers shared by the interop
 * peer's files (peer.c, peer_iov.c); see peer.h.
 */
#define _POSIX_C_SOURCE 200809L
#include "peer.h"

#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define MAX_FRAME (1u << 20)

const char *role = "?";
int failures;

const size_t msg_sizes[] = {0, 1, 15, 16, 17, 1000, 65536};
const size_t n_msg_sizes = sizeof(msg_sizes) / sizeof(msg_sizes[0]);

/* ------------------------------------------------------------ reporting */

void
note(const char *fmt, ...)
{
    va_list ap;

    fprintf(stderr, "# [%s %s] ", PEER_IMPL, role);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
}

void
fail(const char *fmt, ...)
{
    va_list ap;

    failures++;
    fprintf(stderr, "# [%s %s] FAIL: ", PEER_IMPL, role);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
}

/* Set-up or I/O failure: nothing after it can be trusted. */
void
die(const char *fmt, ...)
{
    va_list ap;

    fprintf(stderr, "# [%s %s] FATAL: ", PEER_IMPL, role);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
    exit(2);
}

/* One status code's gss_display_status messages, joined by "; ". */
static void
append_status(char *out, size_t outsz, OM_uint32 code, int type)
{
    OM_uint32 maj, min, mctx = 0;
    gss_buffer_desc msg;
    int first = 1;

    do {
        msg.length = 0;
        msg.value = NULL;
        maj = gss_display_status(&min, code, type, GSS_C_NO_OID, &mctx, &msg);
        if (GSS_ERROR(maj)) {
            size_t n = strlen(out);
            snprintf(out + n, outsz - n, "%s<display_status failed %#x>",
                     first ? "" : "; ", (unsigned)maj);
            break;
        }
        {
            size_t n = strlen(out);
            snprintf(out + n, outsz - n, "%s%.*s", first ? "" : "; ",
                     (int)msg.length, (char *)msg.value);
        }
        gss_release_buffer(&min, &msg);
        first = 0;
    } while (mctx != 0);
}

/* "major 0x... (text) minor N (text)" in a static buffer. */
const char *
status_str(OM_uint32 major, OM_uint32 minor)
{
    static char buf[2048];

    snprintf(buf, sizeof(buf), "major %#x (", (unsigned)major);
    append_status(buf, sizeof(buf), major, GSS_C_GSS_CODE);
    {
        size_t n = strlen(buf);
        snprintf(buf + n, sizeof(buf) - n, ") minor %lu (",
                 (unsigned long)minor);
    }
    if (minor != 0)
        append_status(buf, sizeof(buf), minor, GSS_C_MECH_CODE);
    strncat(buf, ")", sizeof(buf) - strlen(buf) - 1);
    return buf;
}

/* The minor status's text alone, for matching. */
const char *
minor_text(OM_uint32 minor)
{
    static char buf[1024];

    buf[0] = '\0';
    append_status(buf, sizeof(buf), minor, GSS_C_MECH_CODE);
    return buf;
}

int
contains_ci(const char *hay, const char *needle)
{
    size_t n = strlen(needle), i, j;

    for (i = 0; hay[i] != '\0'; i++) {
        for (j = 0; j < n && hay[i + j] != '\0' &&
             tolower((unsigned char)hay[i + j]) ==
             tolower((unsigned char)needle[j]); j++)
            ;
        if (j == n)
            return 1;
    }
    return 0;
}

/* Is quirk NAME listed in PEER_QUIRKS? */
int
quirk(const char *name)
{
    const char *q = getenv("PEER_QUIRKS"), *p;
    size_t n = strlen(name);

    for (p = q; p != NULL && *p != '\0';) {
        size_t len = strcspn(p, ", ");
        if (len == n && strncmp(p, name, n) == 0)
            return 1;
        p += len;
        p += strspn(p, ", ");
    }
    return 0;
}

/* A tolerated deviation: reported, not counted as a failure. */
void
quirk_note(const char *name, const char *fmt, ...)
{
    va_list ap;

    fprintf(stderr, "# [%s %s] QUIRK %s: ", PEER_IMPL, role, name);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
}

const char *
flags_str(OM_uint32 f)
{
    static char bufs[4][256];
    static unsigned which;
    char *buf = bufs[which++ % 4];
    static const struct { OM_uint32 bit; const char *name; } names[] = {
        {GSS_C_DELEG_FLAG, "deleg"}, {GSS_C_MUTUAL_FLAG, "mutual"},
        {GSS_C_REPLAY_FLAG, "replay"}, {GSS_C_SEQUENCE_FLAG, "sequence"},
        {GSS_C_CONF_FLAG, "conf"}, {GSS_C_INTEG_FLAG, "integ"},
        {GSS_C_ANON_FLAG, "anon"}, {GSS_C_PROT_READY_FLAG, "prot_ready"},
        {GSS_C_TRANS_FLAG, "trans"}};
    size_t i;

    buf[0] = '\0';
    for (i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
        if (f & names[i].bit) {
            strncat(buf, buf[0] ? "," : "", 255 - strlen(buf));
            strncat(buf, names[i].name, 255 - strlen(buf));
        }
    }
    {
        size_t n = strlen(buf);
        snprintf(buf + n, 256 - n, " (%#x)", (unsigned)f);
    }
    return buf;
}

/* ------------------------------------------------------------ framing */

void
write_all(int fd, const void *p, size_t n)
{
    const unsigned char *c = p;

    while (n > 0) {
        ssize_t w = write(fd, c, n);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0)
            die("write on fd %d: %s", fd, strerror(errno));
        c += w;
        n -= (size_t)w;
    }
}

/* 1 = all read, 0 = EOF before the first byte; dies on a short read. */
static int
read_all(int fd, void *p, size_t n)
{
    unsigned char *c = p;
    size_t got = 0;

    while (got < n) {
        ssize_t r = read(fd, c + got, n - got);
        if (r < 0 && errno == EINTR)
            continue;
        if (r < 0)
            die("read on fd %d: %s", fd, strerror(errno));
        if (r == 0) {
            if (got == 0)
                return 0;
            die("peer closed fd %d in the middle of a frame", fd);
        }
        got += (size_t)r;
    }
    return 1;
}

void
send_frame(int fd, const void *p, size_t n)
{
    unsigned char h[4] = {(unsigned char)(n >> 24), (unsigned char)(n >> 16),
                          (unsigned char)(n >> 8), (unsigned char)n};

    write_all(fd, h, 4);
    if (n > 0)
        write_all(fd, p, n);
}

/* 1 = a frame (malloc'ed, caller frees value), 0 = the peer closed. */
int
recv_frame_opt(int fd, gss_buffer_desc *out)
{
    unsigned char h[4];
    size_t n;

    out->length = 0;
    out->value = NULL;
    if (!read_all(fd, h, 4))
        return 0;
    n = ((size_t)h[0] << 24) | ((size_t)h[1] << 16) | ((size_t)h[2] << 8) |
        h[3];
    if (n > MAX_FRAME)
        die("frame of %zu bytes on fd %d", n, fd);
    out->value = malloc(n ? n : 1);
    if (out->value == NULL)
        die("out of memory");
    if (n > 0 && !read_all(fd, out->value, n))
        die("peer closed fd %d in the middle of a frame", fd);
    out->length = n;
    return 1;
}

void
recv_frame(int fd, gss_buffer_desc *out)
{
    if (!recv_frame_opt(fd, out))
        die("peer closed fd %d (it failed earlier: see its messages)", fd);
}

void
free_frame(gss_buffer_desc *b)
{
    free(b->value);
    b->value = NULL;
    b->length = 0;
}

/* ------------------------------------------------------------ helpers */

const char *
env_or(const char *name, const char *dflt)
{
    const char *v = getenv(name);

    return v != NULL && *v != '\0' ? v : dflt;
}

gss_name_t
import_name(const char *s, gss_OID type)
{
    gss_buffer_desc b;
    gss_name_t n = GSS_C_NO_NAME;
    OM_uint32 maj, min;

    b.value = (void *)s;
    b.length = strlen(s);
    maj = gss_import_name(&min, &b, type, &n);
    if (maj != GSS_S_COMPLETE)
        die("gss_import_name(%s): %s", s, status_str(maj, min));
    return n;
}

/* gss_display_name into a static buffer ("<error>" on failure). */
const char *
name_str(gss_name_t n)
{
    static char buf[2][512];
    static int which;
    gss_buffer_desc b;
    OM_uint32 maj, min;
    char *out = buf[which++ & 1];

    maj = gss_display_name(&min, n, &b, NULL);
    if (maj != GSS_S_COMPLETE) {
        snprintf(out, 512, "<display_name: %s>", status_str(maj, min));
        return out;
    }
    snprintf(out, 512, "%.*s", (int)b.length, (char *)b.value);
    gss_release_buffer(&min, &b);
    return out;
}

int
oid_eq(gss_const_OID a, gss_const_OID b)
{
    return a != GSS_C_NO_OID && b != GSS_C_NO_OID && a->length == b->length &&
           memcmp(a->elements, b->elements, a->length) == 0;
}

/* Deterministic, size- and direction-dependent message bytes. */
static void
fill(unsigned char *p, size_t n, unsigned seed)
{
    uint32_t x = 2166136261u ^ seed;
    size_t i;

    for (i = 0; i < n; i++) {
        x = x * 16777619u + 0x9e3779b9u;
        p[i] = (unsigned char)(x >> 24);
    }
}

unsigned char *
make_msg(size_t n, unsigned seed)
{
    unsigned char *p = malloc(n ? n : 1);

    if (p == NULL)
        die("out of memory");
    fill(p, n, seed);
    return p;
}

/* ------------------------------------------------------------ buffers */

/* A malloc'ed copy of a GSS buffer (empty stays empty). */
void
copy_out(gss_buffer_desc *dst, const gss_buffer_desc *src)
{
    dst->length = src->length;
    dst->value = malloc(src->length ? src->length : 1);
    if (dst->value == NULL)
        die("out of memory");
    if (src->length)
        memcpy(dst->value, src->value, src->length);
}
