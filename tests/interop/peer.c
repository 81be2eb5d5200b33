/*
 * peer.c - one side of a GSS-API krb5 conversation, for interop tests.
 *
 * Built three times from this one file:
 *   interop_peer_mit      against MIT's headers and libgssapi_krb5
 *                         (pkg-config mit-krb5-gssapi, never Baton's headers)
 *   interop_peer_baton    against Baton's headers and baton_static
 *   interop_peer_heimdal  against Heimdal's headers and libgssapi.so.3
 *                         (pkg-config heimdal-gssapi: heimdal-multidev)
 * so every scenario can be run with any implementation on either side.
 * Only RFC 2744 calls are used; every build sees the same code.
 *
 *   peer ROLE SCENARIO        ROLE: init | acc | svc2
 *
 * The peer talks on fd 3 (set up by interop_run); the acceptor of the
 * delegation scenario also talks to the second service on fd 4.  Frames
 * are a 4-byte big-endian length and the bytes.  Every check that fails
 * prints "# [impl role] FAIL: ..." on stderr; exit status 0 means every
 * check of this side passed, 1 that one failed, 2 a set-up or I/O error.
 *
 * Environment: PEER_TARGET (host@localhost), PEER_TARGET2 (HTTP@localhost),
 * PEER_USER (user@BATON.TEST), PEER_TARGET_PRINC (host/localhost@BATON.TEST),
 * PEER_TARGET2_PRINC (HTTP/localhost@BATON.TEST); keytabs and ccaches come
 * from KRB5_KTNAME / KRB5CCNAME as the test script sets them per process.
 *
 * PEER_QUIRKS (comma-separated, empty by default): documented deviations of
 * another implementation (Heimdal) that this side tolerates.  The test
 * script alone decides which apply to which process; a tolerated deviation
 * is printed as "# [impl role] QUIRK name: ..." instead of a FAIL.  Names:
 *   heimdal-unwrap-seq-no-message  this side is Heimdal: its gss_unwrap
 *       checks the sequence number before it decrypts and returns
 *       GSS_S_GAP_TOKEN / GSS_S_UNSEQ_TOKEN without the message
 *   heimdal-nomutual-initiator-gap  this side is a Heimdal initiator without
 *       GSS_C_MUTUAL_FLAG: it starts its receive window at 0, not at the
 *       acceptor's first sequence number (its initial one), so the first
 *       token it receives is GSS_S_GAP_TOKEN (and, with the quirk above,
 *       without the message)
 *   heimdal-acceptor-no-krb-error  the acceptor is Heimdal: it answers a
 *       ticket it cannot decrypt with no KRB-ERROR token (Heimdal sends one
 *       only for clock skew and not-yet-valid tickets)
 */
#define _POSIX_C_SOURCE 200809L
#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <gssapi/gssapi.h>

#ifndef PEER_IMPL
#error "define PEER_IMPL (\"mit\", \"baton\" or \"heimdal\")"
#endif
/* Heimdal's gssapi.h, and no other, defines GSSAPI_LIB_FUNCTION: the
 * Heimdal build must not pick up MIT's or Baton's header by accident. */
#if defined(PEER_HEIMDAL_HEADERS) && !defined(GSSAPI_LIB_FUNCTION)
#error "the Heimdal peer must be compiled with Heimdal's gssapi.h (pkg-config --cflags heimdal-gssapi)"
#endif

#define MAX_FRAME (1u << 20)

static const char *role = "?";
static int failures;
static unsigned received;   /* per-message tokens received so far */

static gss_OID_desc krb5_oid_desc = {
    9, (void *)"\x2a\x86\x48\x86\xf7\x12\x01\x02\x02"};
static gss_OID krb5_oid = &krb5_oid_desc;

/* ------------------------------------------------------------ reporting */

static void
note(const char *fmt, ...)
{
    va_list ap;

    fprintf(stderr, "# [%s %s] ", PEER_IMPL, role);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
}

static void
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
static void
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
static const char *
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
static const char *
minor_text(OM_uint32 minor)
{
    static char buf[1024];

    buf[0] = '\0';
    append_status(buf, sizeof(buf), minor, GSS_C_MECH_CODE);
    return buf;
}

static int
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
static int
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
static void
quirk_note(const char *name, const char *fmt, ...)
{
    va_list ap;

    fprintf(stderr, "# [%s %s] QUIRK %s: ", PEER_IMPL, role, name);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
}

static const char *
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

static void
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

static void
send_frame(int fd, const void *p, size_t n)
{
    unsigned char h[4] = {(unsigned char)(n >> 24), (unsigned char)(n >> 16),
                          (unsigned char)(n >> 8), (unsigned char)n};

    write_all(fd, h, 4);
    if (n > 0)
        write_all(fd, p, n);
}

/* 1 = a frame (malloc'ed, caller frees value), 0 = the peer closed. */
static int
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

static void
recv_frame(int fd, gss_buffer_desc *out)
{
    if (!recv_frame_opt(fd, out))
        die("peer closed fd %d (it failed earlier: see its messages)", fd);
}

static void
free_frame(gss_buffer_desc *b)
{
    free(b->value);
    b->value = NULL;
    b->length = 0;
}

/* ------------------------------------------------------------ helpers */

static const char *
env_or(const char *name, const char *dflt)
{
    const char *v = getenv(name);

    return v != NULL && *v != '\0' ? v : dflt;
}

static gss_name_t
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
static const char *
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

static int
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

static unsigned char *
make_msg(size_t n, unsigned seed)
{
    unsigned char *p = malloc(n ? n : 1);

    if (p == NULL)
        die("out of memory");
    fill(p, n, seed);
    return p;
}

/* ------------------------------------------------------------ scenarios */

/* Which per-message tokens a scenario exchanges (exchange_all). */
#define M_CONF 1   /* gss_wrap with confidentiality */
#define M_INTEG 2  /* gss_wrap integrity only */
#define M_MIC 4    /* gss_get_mic */

struct scenario {
    const char *name;
    OM_uint32 req_flags;    /* initiator's request */
    int cb_init, cb_acc;    /* channel bindings: 0 none, 1 A, 2 B, 3 addr */
    int expect_fail;        /* establishment must fail (cb-diff, krberror) */
    int msgs;               /* M_* for exchange_all, 0: other exchanges */
};

#define BASE_FLAGS (GSS_C_CONF_FLAG | GSS_C_INTEG_FLAG)
#define ALL_FLAGS (GSS_C_MUTUAL_FLAG | GSS_C_REPLAY_FLAG | \
                   GSS_C_SEQUENCE_FLAG | BASE_FLAGS)
static const struct scenario scenarios[] = {
    {"wrap-conf", ALL_FLAGS, 0, 0, 0, M_CONF},
    {"wrap-integ", ALL_FLAGS, 0, 0, 0, M_INTEG},
    {"mic", ALL_FLAGS, 0, 0, 0, M_MIC},
    {"nomutual", ALL_FLAGS & ~(OM_uint32)GSS_C_MUTUAL_FLAG, 0, 0, 0,
     M_CONF | M_MIC},
    {"replay", GSS_C_MUTUAL_FLAG | GSS_C_REPLAY_FLAG | BASE_FLAGS, 0, 0, 0,
     0},
    {"sequence", ALL_FLAGS, 0, 0, 0, 0},
    {"cb-same", GSS_C_MUTUAL_FLAG | BASE_FLAGS, 1, 1, 0, 0},
    {"cb-addr", GSS_C_MUTUAL_FLAG | BASE_FLAGS, 3, 3, 0, 0},
    {"cb-diff", GSS_C_MUTUAL_FLAG | BASE_FLAGS, 1, 2, 1, 0},
    {"deleg", GSS_C_MUTUAL_FLAG | GSS_C_DELEG_FLAG | GSS_C_REPLAY_FLAG |
     BASE_FLAGS, 0, 0, 0, 0},
    {"krberror", GSS_C_MUTUAL_FLAG | BASE_FLAGS, 0, 0, 1, 0},
};

static struct gss_channel_bindings_struct cb_storage;

static gss_channel_bindings_t
bindings(int which)
{
    static const unsigned char lo[4] = {127, 0, 0, 1};
    static const unsigned char lo2[4] = {127, 0, 0, 2};
    static char appA[] = "tls-server-end-point:baton-interop-A";
    static char appB[] = "tls-server-end-point:baton-interop-B";

    if (which == 0)
        return GSS_C_NO_CHANNEL_BINDINGS;
    memset(&cb_storage, 0, sizeof(cb_storage));
    if (which == 3) {
        cb_storage.initiator_addrtype = GSS_C_AF_INET;
        cb_storage.initiator_address.length = 4;
        cb_storage.initiator_address.value = (void *)lo;
        cb_storage.acceptor_addrtype = GSS_C_AF_INET;
        cb_storage.acceptor_address.length = 4;
        cb_storage.acceptor_address.value = (void *)lo2;
        cb_storage.application_data.length = strlen(appA);
        cb_storage.application_data.value = appA;
        return &cb_storage;
    }
    cb_storage.initiator_addrtype = GSS_C_AF_NULLADDR;
    cb_storage.acceptor_addrtype = GSS_C_AF_NULLADDR;
    cb_storage.application_data.length = strlen(which == 1 ? appA : appB);
    cb_storage.application_data.value = which == 1 ? appA : appB;
    return &cb_storage;
}

/* ------------------------------------------------------------ establish */

struct est {
    OM_uint32 major, minor;
    OM_uint32 flags;
    OM_uint32 time_rec;
    gss_ctx_id_t ctx;
    gss_name_t peer;           /* acceptor: the initiator's name */
    gss_cred_id_t deleg;       /* acceptor: delegated credential */
    gss_buffer_desc last_out;  /* acceptor: its last output token (copy) */
    int peer_closed;           /* initiator: acceptor sent nothing more */
    int steps;
};

static void
init_context(int fd, gss_cred_id_t cred, const char *target, OM_uint32 req,
             gss_channel_bindings_t cb, struct est *e)
{
    gss_name_t tname = import_name(target, GSS_C_NT_HOSTBASED_SERVICE);
    gss_buffer_desc in = {0, NULL}, out;
    gss_OID actual = GSS_C_NO_OID;
    OM_uint32 min;
    int have_in = 0;

    memset(e, 0, sizeof(*e));
    e->ctx = GSS_C_NO_CONTEXT;
    for (;;) {
        out.length = 0;
        out.value = NULL;
        e->major = gss_init_sec_context(&e->minor, cred, &e->ctx, tname,
                                        krb5_oid, req, 0, cb,
                                        have_in ? &in : GSS_C_NO_BUFFER,
                                        &actual, &out, &e->flags,
                                        &e->time_rec);
        e->steps++;
        if (have_in)
            free_frame(&in);
        if (out.length > 0)
            send_frame(fd, out.value, out.length);
        gss_release_buffer(&min, &out);
        if (GSS_ERROR(e->major) || e->major == GSS_S_COMPLETE)
            break;
        if (e->major != GSS_S_CONTINUE_NEEDED) {
            fail("gss_init_sec_context: unexpected %s",
                 status_str(e->major, e->minor));
            break;
        }
        if (!recv_frame_opt(fd, &in) || in.length == 0) {
            free_frame(&in);
            e->peer_closed = 1;
            break;
        }
        have_in = 1;
    }
    if (e->major == GSS_S_COMPLETE && !oid_eq(actual, krb5_oid))
        fail("gss_init_sec_context: actual_mech_type is not krb5");
    gss_release_name(&min, &tname);
}

static void
accept_context(int fd, gss_cred_id_t cred, gss_channel_bindings_t cb,
               struct est *e)
{
    gss_buffer_desc in, out;
    gss_OID mech = GSS_C_NO_OID;
    OM_uint32 min;

    memset(e, 0, sizeof(*e));
    e->ctx = GSS_C_NO_CONTEXT;
    e->peer = GSS_C_NO_NAME;
    e->deleg = GSS_C_NO_CREDENTIAL;
    for (;;) {
        recv_frame(fd, &in);
        out.length = 0;
        out.value = NULL;
        if (e->peer != GSS_C_NO_NAME)
            gss_release_name(&min, &e->peer);
        e->major = gss_accept_sec_context(&e->minor, &e->ctx, cred, &in, cb,
                                          &e->peer, &mech, &out, &e->flags,
                                          &e->time_rec, &e->deleg);
        e->steps++;
        free_frame(&in);
        free(e->last_out.value);
        e->last_out.length = out.length;
        e->last_out.value = malloc(out.length ? out.length : 1);
        if (e->last_out.value == NULL)
            die("out of memory");
        if (out.length)
            memcpy(e->last_out.value, out.value, out.length);
        /* On failure always answer, even with an empty frame, so that a
         * waiting initiator learns the outcome instead of blocking. */
        if (out.length > 0 || GSS_ERROR(e->major))
            send_frame(fd, out.value, out.length);
        gss_release_buffer(&min, &out);
        if (e->major != GSS_S_CONTINUE_NEEDED)
            break;
    }
    if (e->major == GSS_S_COMPLETE && !oid_eq(mech, krb5_oid))
        fail("gss_accept_sec_context: mech_type is not krb5");
}

/* Flag and name checks common to every successful establishment. */
static void
check_established(const struct est *e, int initiator, OM_uint32 req,
                  const char *want_src, const char *want_targ)
{
    OM_uint32 maj, min, lifetime = 0, cflags = 0;
    gss_name_t src = GSS_C_NO_NAME, targ = GSS_C_NO_NAME;
    gss_OID mech = GSS_C_NO_OID;
    int local = -1, open = -1;
    static const OM_uint32 mirrored[] = {GSS_C_MUTUAL_FLAG, GSS_C_REPLAY_FLAG,
                                         GSS_C_SEQUENCE_FLAG,
                                         GSS_C_DELEG_FLAG};
    size_t i;

    note("established in %d step(s), flags %s, time_rec %lu", e->steps,
         flags_str(e->flags), (unsigned long)e->time_rec);
    for (i = 0; i < sizeof(mirrored) / sizeof(mirrored[0]); i++) {
        OM_uint32 b = mirrored[i];
        /* What the initiator asked for is what both sides report (the
         * realm's TGT is forwardable, so delegation is granted). */
        if ((req & b) && !(e->flags & b))
            fail("requested flag %s missing from ret_flags %s",
                 flags_str(b), flags_str(e->flags));
        if (!(req & b) && (e->flags & b))
            fail("flag %s not requested but in ret_flags %s", flags_str(b),
                 flags_str(e->flags));
    }
    if (!(e->flags & GSS_C_CONF_FLAG) || !(e->flags & GSS_C_INTEG_FLAG))
        fail("conf/integ missing from ret_flags %s", flags_str(e->flags));
    if (e->time_rec == 0)
        fail("time_rec is 0");

    maj = gss_inquire_context(&min, e->ctx, &src, &targ, &lifetime, &mech,
                              &cflags, &local, &open);
    if (maj != GSS_S_COMPLETE) {
        fail("gss_inquire_context: %s", status_str(maj, min));
        return;
    }
    if (strcmp(name_str(src), want_src) != 0)
        fail("inquire_context src_name \"%s\", want \"%s\"", name_str(src),
             want_src);
    if (strcmp(name_str(targ), want_targ) != 0)
        fail("inquire_context targ_name \"%s\", want \"%s\"", name_str(targ),
             want_targ);
    if (!oid_eq(mech, krb5_oid))
        fail("inquire_context mech_type is not krb5");
    if (local != initiator)
        fail("inquire_context locally_initiated %d, want %d", local,
             initiator);
    if (!open)
        fail("inquire_context: context not open");
    if (lifetime == 0)
        fail("inquire_context lifetime 0");
    /* PROT_READY and TRANS aside (MIT's initiator leaves PROT_READY out
     * of a one-step establishment's ret_flags but reports it here). */
    if ((cflags & ~(OM_uint32)(GSS_C_TRANS_FLAG | GSS_C_PROT_READY_FLAG)) !=
        (e->flags & ~(OM_uint32)(GSS_C_TRANS_FLAG | GSS_C_PROT_READY_FLAG)))
        fail("inquire_context flags %s differ from the establishment's %s",
             flags_str(cflags), flags_str(e->flags));
    gss_release_name(&min, &src);
    gss_release_name(&min, &targ);
}

/* ------------------------------------------------------------ messages */

/* A malloc'ed copy of a GSS buffer (empty stays empty). */
static void
copy_out(gss_buffer_desc *dst, const gss_buffer_desc *src)
{
    dst->length = src->length;
    dst->value = malloc(src->length ? src->length : 1);
    if (dst->value == NULL)
        die("out of memory");
    if (src->length)
        memcpy(dst->value, src->value, src->length);
}

/* gss_wrap of message (n, seed) into *tok (a malloc'ed copy); on failure
 * the failure is counted and *tok is empty. */
static void
make_wrap(gss_ctx_id_t ctx, size_t n, unsigned seed, int conf,
          gss_buffer_desc *tok)
{
    gss_buffer_desc in, out;
    OM_uint32 maj, min;
    int state = -1;

    tok->length = 0;
    tok->value = NULL;
    in.length = n;
    in.value = make_msg(n, seed);
    maj = gss_wrap(&min, ctx, conf, GSS_C_QOP_DEFAULT, &in, &state, &out);
    free(in.value);
    if (maj != GSS_S_COMPLETE) {
        fail("gss_wrap(%zu bytes, conf=%d): %s", n, conf,
             status_str(maj, min));
        return;
    }
    if (state != conf)
        fail("gss_wrap(conf=%d) conf_state %d", conf, state);
    copy_out(tok, &out);
    gss_release_buffer(&min, &out);
}

static void
make_mic(gss_ctx_id_t ctx, size_t n, unsigned seed, gss_buffer_desc *tok)
{
    gss_buffer_desc msg, mic;
    OM_uint32 maj, min;

    tok->length = 0;
    tok->value = NULL;
    msg.length = n;
    msg.value = make_msg(n, seed);
    maj = gss_get_mic(&min, ctx, GSS_C_QOP_DEFAULT, &msg, &mic);
    free(msg.value);
    if (maj != GSS_S_COMPLETE) {
        fail("gss_get_mic(%zu bytes): %s", n, status_str(maj, min));
        return;
    }
    copy_out(tok, &mic);
    gss_release_buffer(&min, &mic);
}

/* An empty frame tells the receiver the token could not be made. */
static void
send_wrap(int fd, gss_ctx_id_t ctx, size_t n, unsigned seed, int conf)
{
    gss_buffer_desc t;

    make_wrap(ctx, n, seed, conf, &t);
    send_frame(fd, t.value, t.length);
    free(t.value);
}

static void
send_mic(int fd, gss_ctx_id_t ctx, size_t n, unsigned seed)
{
    gss_buffer_desc t;

    make_mic(ctx, n, seed, &t);
    send_frame(fd, t.value, t.length);
    free(t.value);
}

/* Unwraps the next frame; checks the status, the message and conf_state. */
static void
recv_wrap(int fd, gss_ctx_id_t ctx, size_t n, unsigned seed, int conf,
          OM_uint32 want, const char *what)
{
    gss_buffer_desc tok, out = {0, NULL};
    OM_uint32 maj, min;
    int state = -1;
    gss_qop_t qop = 0xffffffff;
    unsigned char *expect;

    recv_frame(fd, &tok);
    if (tok.length == 0) {
        fail("%s: the sender sent no token (its gss_wrap failed)", what);
        free_frame(&tok);
        return;
    }
    maj = gss_unwrap(&min, ctx, &tok, &out, &state, &qop);
    free_frame(&tok);
    if (received++ == 0 && maj == GSS_S_GAP_TOKEN && want == GSS_S_COMPLETE &&
        quirk("heimdal-nomutual-initiator-gap")) {
        quirk_note("heimdal-nomutual-initiator-gap",
                   "%s: gss_unwrap of the first token: %s (%zu bytes out)",
                   what, status_str(maj, min), out.length);
        want = GSS_S_GAP_TOKEN;
    }
    if (maj != want) {
        fail("%s: gss_unwrap returned %s, want major %#x", what,
             status_str(maj, min), (unsigned)want);
    } else if ((want == GSS_S_GAP_TOKEN || want == GSS_S_UNSEQ_TOKEN) &&
               out.length == 0 && quirk("heimdal-unwrap-seq-no-message")) {
        quirk_note("heimdal-unwrap-seq-no-message",
                   "%s: gss_unwrap returned %#x with no message",
                   what, (unsigned)maj);
    } else if (!GSS_ERROR(maj) && want != GSS_S_DUPLICATE_TOKEN) {
        expect = make_msg(n, seed);
        if (out.length != n || (n > 0 && memcmp(out.value, expect, n) != 0))
            fail("%s: unwrapped %zu bytes, want %zu bytes of the message",
                 what, out.length, n);
        free(expect);
        if (state != conf)
            fail("%s: conf_state %d, want %d", what, state, conf);
        if (qop != GSS_C_QOP_DEFAULT)
            fail("%s: qop_state %u", what, (unsigned)qop);
    }
    gss_release_buffer(&min, &out);
}

static void
recv_mic(int fd, gss_ctx_id_t ctx, size_t n, unsigned seed, OM_uint32 want,
         const char *what)
{
    gss_buffer_desc msg, mic;
    OM_uint32 maj, min;
    gss_qop_t qop = 0xffffffff;

    recv_frame(fd, &mic);
    if (mic.length == 0) {
        fail("%s: the sender sent no token (its gss_get_mic failed)", what);
        free_frame(&mic);
        return;
    }
    msg.length = n;
    msg.value = make_msg(n, seed);
    maj = gss_verify_mic(&min, ctx, &msg, &mic, &qop);
    free(msg.value);
    free_frame(&mic);
    if (received++ == 0 && maj == GSS_S_GAP_TOKEN && want == GSS_S_COMPLETE &&
        quirk("heimdal-nomutual-initiator-gap")) {
        quirk_note("heimdal-nomutual-initiator-gap",
                   "%s: gss_verify_mic of the first token: %s", what,
                   status_str(maj, min));
        want = GSS_S_GAP_TOKEN;
    }
    if (maj != want)
        fail("%s: gss_verify_mic returned %s, want major %#x", what,
             status_str(maj, min), (unsigned)want);
    else if (!GSS_ERROR(maj) && qop != GSS_C_QOP_DEFAULT)
        fail("%s: qop_state %u", what, (unsigned)qop);
}

static const size_t sizes[] = {0, 1, 15, 16, 17, 1000, 65536};
#define NSIZES (sizeof(sizes) / sizeof(sizes[0]))

/* Wrap (conf and/or integ-only) and/or MIC of every size, one direction. */
static void
exchange_all(int fd, gss_ctx_id_t ctx, int sending, unsigned dir, int msgs)
{
    size_t i;
    int conf;
    char what[96];

    for (i = 0; i < NSIZES; i++) {
        for (conf = 1; conf >= 0; conf--) {
            unsigned seed = dir * 1000 + (unsigned)i * 2 + (unsigned)conf;
            if (!(msgs & (conf ? M_CONF : M_INTEG)))
                continue;
            snprintf(what, sizeof(what), "dir %u wrap %zu bytes conf=%d",
                     dir, sizes[i], conf);
            if (sending)
                send_wrap(fd, ctx, sizes[i], seed, conf);
            else
                recv_wrap(fd, ctx, sizes[i], seed, conf, GSS_S_COMPLETE,
                          what);
        }
        if (!(msgs & M_MIC))
            continue;
        snprintf(what, sizeof(what), "dir %u MIC %zu bytes", dir, sizes[i]);
        if (sending)
            send_mic(fd, ctx, sizes[i], dir * 1000 + 500 + (unsigned)i);
        else
            recv_mic(fd, ctx, sizes[i], dir * 1000 + 500 + (unsigned)i,
                     GSS_S_COMPLETE, what);
    }
}

/* One small wrap each way: the context works. */
static void
exchange_small(int fd, gss_ctx_id_t ctx, int initiator)
{
    unsigned d;

    for (d = 0; d < 2; d++) {
        int sending = (d == 0) == initiator;
        if (sending)
            send_wrap(fd, ctx, 100, 77 + d, 1);
        else
            recv_wrap(fd, ctx, 100, 77 + d, 1, GSS_S_COMPLETE,
                      d == 0 ? "small wrap init->acc" : "small wrap acc->init");
    }
}

/*
 * Replayed and reordered tokens.  The sender makes every token in order
 * and sends some twice or out of order; the receiver must report, per
 * RFC 2743 section 1.2.3: a token seen before -> GSS_S_DUPLICATE_TOKEN;
 * with sequencing, a token later than the next expected one ->
 * GSS_S_GAP_TOKEN, one earlier than a token already received ->
 * GSS_S_UNSEQ_TOKEN; without sequencing, out-of-order is not reported.
 */
static void
replay_dir(int fd, gss_ctx_id_t ctx, int sending, unsigned dir, int seq)
{
    char what[96];
    int mic;

    for (mic = 0; mic <= 1; mic++) {
        const char *kind = mic ? "MIC" : "wrap";
        unsigned base = dir * 1000 + (unsigned)mic * 100;
        gss_buffer_desc t1 = {0, NULL}, ta = {0, NULL}, tb = {0, NULL},
                        tc = {0, NULL};

        if (sending) {
            /* Make all tokens first, in order: t1, ta, tb, tc. */
            if (mic) {
                make_mic(ctx, 40, base + 1, &t1);
                make_mic(ctx, 41, base + 2, &ta);
                make_mic(ctx, 42, base + 3, &tb);
                make_mic(ctx, 43, base + 4, &tc);
            } else {
                make_wrap(ctx, 40, base + 1, 1, &t1);
                make_wrap(ctx, 41, base + 2, 1, &ta);
                make_wrap(ctx, 42, base + 3, 1, &tb);
                make_wrap(ctx, 43, base + 4, 1, &tc);
            }
            send_frame(fd, t1.value, t1.length);
            send_frame(fd, t1.value, t1.length);    /* replay */
            send_frame(fd, ta.value, ta.length);
            send_frame(fd, tc.value, tc.length);    /* tb skipped: gap */
            send_frame(fd, tb.value, tb.length);    /* late: unseq */
            send_frame(fd, tc.value, tc.length);    /* replay again */
            free(t1.value);
            free(ta.value);
            free(tb.value);
            free(tc.value);
            continue;
        }
#define RECV(n, seed, conf, want, label)                                      \
        do {                                                                  \
            snprintf(what, sizeof(what), "dir %u %s %s", dir, kind, label);   \
            if (mic)                                                          \
                recv_mic(fd, ctx, n, seed, want, what);                       \
            else                                                              \
                recv_wrap(fd, ctx, n, seed, conf, want, what);                \
        } while (0)
        RECV(40, base + 1, 1, GSS_S_COMPLETE, "first token");
        RECV(40, base + 1, 1, GSS_S_DUPLICATE_TOKEN, "replayed token");
        RECV(41, base + 2, 1, GSS_S_COMPLETE, "next in order");
        RECV(43, base + 4, 1, seq ? GSS_S_GAP_TOKEN : GSS_S_COMPLETE,
             "token after a missing one");
        RECV(42, base + 3, 1, seq ? GSS_S_UNSEQ_TOKEN : GSS_S_COMPLETE,
             "missing token arriving late");
        RECV(43, base + 4, 1, GSS_S_DUPLICATE_TOKEN, "reordered token replayed");
#undef RECV
    }
}

/* ------------------------------------------------------------ roles */

/* The token ID of an RFC 4121 initial-context token wrapper, or -1. */
static int
token_id(const gss_buffer_desc *t)
{
    const unsigned char *p = t->value;
    size_t len = t->length, i = 0, hdr;

    if (len < 2 || p[0] != 0x60)
        return -1;
    i = 1;
    if (p[i] & 0x80) {
        hdr = p[i] & 0x7f;
        i += 1 + hdr;
    } else {
        i++;
    }
    if (i + 2 + 9 + 2 > len || p[i] != 0x06 || p[i + 1] != 9 ||
        memcmp(p + i + 2, krb5_oid_desc.elements, 9) != 0)
        return -1;
    i += 11;
    return (p[i] << 8) | p[i + 1];
}

static int
run_initiator(const struct scenario *s)
{
    const char *target = env_or("PEER_TARGET", "host@localhost");
    const char *user = env_or("PEER_USER", "user@BATON.TEST");
    const char *tprinc = env_or("PEER_TARGET_PRINC",
                                "host/localhost@BATON.TEST");
    struct est e;
    OM_uint32 min;

    init_context(3, GSS_C_NO_CREDENTIAL, target, s->req_flags,
                 bindings(s->cb_init), &e);

    if (strcmp(s->name, "krberror") == 0) {
        /* The acceptor's KRB-ERROR went into our second call. */
        if (e.peer_closed && quirk("heimdal-acceptor-no-krb-error"))
            quirk_note("heimdal-acceptor-no-krb-error",
                       "the acceptor failed and returned no error token");
        else if (e.peer_closed)
            fail("the acceptor returned no error token");
        else if (!GSS_ERROR(e.major))
            fail("gss_init_sec_context with the KRB-ERROR token: %s, want "
                 "an error", status_str(e.major, e.minor));
        else {
            const char *t = minor_text(e.minor);
            note("init with the KRB-ERROR token: %s",
                 status_str(e.major, e.minor));
            if (e.steps != 2)
                fail("the failure came at step %d, not with the error token",
                     e.steps);
            if (!contains_ci(t, "integrity") && !contains_ci(t, "decrypt"))
                fail("minor status text \"%s\" does not name the Kerberos "
                     "error (integrity/decrypt failure)", t);
        }
        gss_delete_sec_context(&min, &e.ctx, GSS_C_NO_BUFFER);
        return 0;
    }
    if (s->expect_fail) {
        if (e.major == GSS_S_COMPLETE)
            fail("establishment completed on the initiator side, but the "
                 "acceptor must refuse it");
        else
            note("initiator ended with %s%s", status_str(e.major, e.minor),
                 e.peer_closed ? " (acceptor sent no token)" : "");
        gss_delete_sec_context(&min, &e.ctx, GSS_C_NO_BUFFER);
        return 0;
    }
    if (e.major != GSS_S_COMPLETE) {
        fail("gss_init_sec_context: %s%s", status_str(e.major, e.minor),
             e.peer_closed ? " (the acceptor failed and sent nothing)" : "");
        return 0;
    }
    check_established(&e, 1, s->req_flags, user, tprinc);

    if (s->msgs != 0) {
        exchange_all(3, e.ctx, 1, 0, s->msgs);
        exchange_all(3, e.ctx, 0, 1, s->msgs);
    } else if (strcmp(s->name, "replay") == 0 ||
               strcmp(s->name, "sequence") == 0) {
        int seq = strcmp(s->name, "sequence") == 0;
        replay_dir(3, e.ctx, 1, 0, seq);
        replay_dir(3, e.ctx, 0, 1, seq);
    } else {
        exchange_small(3, e.ctx, 1);
    }
    if (strcmp(s->name, "deleg") == 0) {
        /* The acceptor reports how its hop to the second service went. */
        gss_buffer_desc r;
        recv_frame(3, &r);
        note("acceptor's second hop: %.*s", (int)r.length, (char *)r.value);
        free_frame(&r);
    }
    gss_delete_sec_context(&min, &e.ctx, GSS_C_NO_BUFFER);
    return 0;
}

/* The delegation scenario's middle hop: init to the second service with
 * the delegated credential, over fd 4. */
static void
second_hop(gss_cred_id_t deleg)
{
    const char *target2 = env_or("PEER_TARGET2", "HTTP@localhost");
    const char *user = env_or("PEER_USER", "user@BATON.TEST");
    const char *t2princ = env_or("PEER_TARGET2_PRINC",
                                 "HTTP/localhost@BATON.TEST");
    OM_uint32 maj, min, lifetime = 0;
    gss_cred_usage_t usage = -1;
    gss_name_t cname = GSS_C_NO_NAME;
    struct est e;
    OM_uint32 req = GSS_C_MUTUAL_FLAG | GSS_C_CONF_FLAG | GSS_C_INTEG_FLAG;

    maj = gss_inquire_cred(&min, deleg, &cname, &lifetime, &usage, NULL);
    if (maj != GSS_S_COMPLETE) {
        fail("gss_inquire_cred(delegated cred): %s", status_str(maj, min));
    } else {
        if (strcmp(name_str(cname), user) != 0)
            fail("delegated cred's name \"%s\", want \"%s\"",
                 name_str(cname), user);
        if (usage != GSS_C_INITIATE && usage != GSS_C_BOTH)
            fail("delegated cred usage %d cannot initiate", (int)usage);
        if (lifetime == 0)
            fail("delegated cred lifetime 0");
        gss_release_name(&min, &cname);
    }
    init_context(4, deleg, target2, req, GSS_C_NO_CHANNEL_BINDINGS, &e);
    if (e.major != GSS_S_COMPLETE) {
        fail("init to %s with the delegated credential: %s%s", target2,
             status_str(e.major, e.minor),
             e.peer_closed ? " (the second service failed)" : "");
        return;
    }
    note("second hop to %s established", target2);
    check_established(&e, 1, req, user, t2princ);
    exchange_small(4, e.ctx, 1);
    gss_delete_sec_context(&min, &e.ctx, GSS_C_NO_BUFFER);
}

static int
run_acceptor(const struct scenario *s)
{
    const char *target = env_or("PEER_TARGET", "host@localhost");
    const char *user = env_or("PEER_USER", "user@BATON.TEST");
    const char *tprinc = env_or("PEER_TARGET_PRINC",
                                "host/localhost@BATON.TEST");
    gss_name_t me = import_name(target, GSS_C_NT_HOSTBASED_SERVICE);
    gss_cred_id_t cred = GSS_C_NO_CREDENTIAL;
    OM_uint32 maj, min;
    struct est e;
    gss_OID_set_desc mechs = {1, &krb5_oid_desc};

    maj = gss_acquire_cred(&min, me, GSS_C_INDEFINITE, &mechs, GSS_C_ACCEPT,
                           &cred, NULL, NULL);
    if (maj != GSS_S_COMPLETE)
        die("gss_acquire_cred(%s, ACCEPT): %s", target, status_str(maj, min));
    gss_release_name(&min, &me);

    accept_context(3, cred, bindings(s->cb_acc), &e);

    if (strcmp(s->name, "krberror") == 0) {
        int id = token_id(&e.last_out);
        if (!GSS_ERROR(e.major)) {
            fail("accept with a wrong service key: %s, want an error",
                 status_str(e.major, e.minor));
        } else {
            note("accept with a wrong service key: %s",
                 status_str(e.major, e.minor));
            if (e.last_out.length == 0 &&
                quirk("heimdal-acceptor-no-krb-error"))
                quirk_note("heimdal-acceptor-no-krb-error",
                           "no error token returned with the failure");
            else if (e.last_out.length == 0)
                fail("no error token returned with the failure");
            else if (id != 0x0300)
                fail("the output token (%zu bytes) is not a KRB-ERROR "
                     "(token id %#x, want 0x0300)", e.last_out.length, id);
        }
        goto out;
    }
    if (strcmp(s->name, "cb-diff") == 0) {
        if (GSS_ROUTINE_ERROR(e.major) != GSS_S_BAD_BINDINGS)
            fail("different channel bindings: %s, want GSS_S_BAD_BINDINGS",
                 status_str(e.major, e.minor));
        else
            note("different channel bindings: %s",
                 status_str(e.major, e.minor));
        goto out;
    }
    if (e.major != GSS_S_COMPLETE) {
        fail("gss_accept_sec_context: %s", status_str(e.major, e.minor));
        goto out;
    }
    if (strcmp(name_str(e.peer), user) != 0)
        fail("src_name \"%s\", want \"%s\"", name_str(e.peer), user);
    check_established(&e, 0, s->req_flags, user, tprinc);

    if (s->msgs != 0) {
        exchange_all(3, e.ctx, 0, 0, s->msgs);
        exchange_all(3, e.ctx, 1, 1, s->msgs);
    } else if (strcmp(s->name, "replay") == 0 ||
               strcmp(s->name, "sequence") == 0) {
        int seq = strcmp(s->name, "sequence") == 0;
        replay_dir(3, e.ctx, 0, 0, seq);
        replay_dir(3, e.ctx, 1, 1, seq);
    } else {
        exchange_small(3, e.ctx, 0);
    }
    if (strcmp(s->name, "deleg") == 0) {
        int before = failures;
        char msg[64];
        if (e.deleg == GSS_C_NO_CREDENTIAL)
            fail("GSS_C_DELEG_FLAG requested but no delegated credential");
        else
            second_hop(e.deleg);
        snprintf(msg, sizeof(msg), "%s",
                 failures == before ? "ok" : "FAILED");
        send_frame(3, msg, strlen(msg));
    } else if (e.deleg != GSS_C_NO_CREDENTIAL) {
        fail("a delegated credential without GSS_C_DELEG_FLAG");
    }
out:
    if (e.deleg != GSS_C_NO_CREDENTIAL)
        gss_release_cred(&min, &e.deleg);
    if (e.peer != GSS_C_NO_NAME)
        gss_release_name(&min, &e.peer);
    free(e.last_out.value);
    if (e.ctx != GSS_C_NO_CONTEXT)
        gss_delete_sec_context(&min, &e.ctx, GSS_C_NO_BUFFER);
    gss_release_cred(&min, &cred);
    return 0;
}

/* The delegation scenario's second service: default acceptor credential
 * (KRB5_KTNAME holds only its key); the client must be the user. */
static int
run_svc2(void)
{
    const char *user = env_or("PEER_USER", "user@BATON.TEST");
    const char *t2princ = env_or("PEER_TARGET2_PRINC",
                                 "HTTP/localhost@BATON.TEST");
    OM_uint32 min;
    struct est e;
    OM_uint32 req = GSS_C_MUTUAL_FLAG | GSS_C_CONF_FLAG | GSS_C_INTEG_FLAG;

    accept_context(3, GSS_C_NO_CREDENTIAL, GSS_C_NO_CHANNEL_BINDINGS, &e);
    if (e.major != GSS_S_COMPLETE) {
        fail("gss_accept_sec_context (second service): %s",
             status_str(e.major, e.minor));
    } else {
        if (strcmp(name_str(e.peer), user) != 0)
            fail("second service sees src_name \"%s\", want \"%s\"",
                 name_str(e.peer), user);
        else
            note("second service accepted \"%s\"", name_str(e.peer));
        check_established(&e, 0, req, user, t2princ);
        exchange_small(3, e.ctx, 0);
    }
    if (e.peer != GSS_C_NO_NAME)
        gss_release_name(&min, &e.peer);
    if (e.deleg != GSS_C_NO_CREDENTIAL)
        gss_release_cred(&min, &e.deleg);
    free(e.last_out.value);
    if (e.ctx != GSS_C_NO_CONTEXT)
        gss_delete_sec_context(&min, &e.ctx, GSS_C_NO_BUFFER);
    return 0;
}

int
main(int argc, char **argv)
{
    const struct scenario *s = NULL;
    size_t i;

    if (argc == 2 && strcmp(argv[1], "list") == 0) {
        for (i = 0; i < sizeof(scenarios) / sizeof(scenarios[0]); i++)
            printf("%s\n", scenarios[i].name);
        return 0;
    }
    if (argc != 3) {
        fprintf(stderr, "usage: %s init|acc|svc2 SCENARIO | list\n", argv[0]);
        return 2;
    }
    role = argv[1];
    for (i = 0; i < sizeof(scenarios) / sizeof(scenarios[0]); i++)
        if (strcmp(argv[2], scenarios[i].name) == 0)
            s = &scenarios[i];
    if (s == NULL)
        die("unknown scenario %s", argv[2]);
    if (strcmp(role, "init") == 0)
        run_initiator(s);
    else if (strcmp(role, "acc") == 0)
        run_acceptor(s);
    else if (strcmp(role, "svc2") == 0)
        run_svc2();
    else
        die("unknown role %s", role);
    return failures ? 1 : 0;
}
