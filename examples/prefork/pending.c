/*
 * pending.c - the prefork master's connections between accept and
 * handoff, each a small state machine driven by the master's poll loop
 * (pending.h).  Reads never wait and never take more than the current
 * frame or HTTP message, so the worker finds the stream where the
 * handshake left it.
 */
#include "pending.h"

#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

#include "negotiate.h"
#include "wire.h"

/* How long a refused HTTP connection is drained before it is closed
 * (negotiate.c's refuse() waits as long for a worker). */
#define LINGER_MS 200

enum pstate {
    P_FREE,
    P_FRAME,    /* framed: reading a context token's frame */
    P_HEAD,     /* HTTP: reading a request's header block */
    P_BODY,     /* HTTP: discarding the request's body */
    P_LINGER,   /* HTTP: answered, shut for writing; drained, then closed */
    P_READY     /* handshake done: waits for an idle worker */
};

struct pconn {
    enum pstate state;
    int fd;
    gss_ctx_id_t ctx;
    long long deadline;         /* CLOCK_MONOTONIC, in ms */
    unsigned long seq;          /* order in the ready queue */
    int requests, tries;
    unsigned char head[4];      /* a frame's length */
    size_t got;                 /* of head, then of frame; or drained */
    gss_buffer_desc frame;
    size_t body_left;           /* request body still to discard */
    char *block;                /* HTTP_HEAD_MAX + 1; stays with the slot */
    size_t blen;
    struct http_request *req;   /* stays with the slot */
};

static struct pconn conns[PENDING_MAX];
static int polled[PENDING_MAX];         /* the slot of each pollfd */
static int used;
static gss_cred_id_t acceptor_cred = GSS_C_NO_CREDENTIAL;
static bool http;
static unsigned long ready_seq, handshakes, failed;

static long long
now_ms(void)
{
    struct timespec ts;

    if (clock_gettime(CLOCK_MONOTONIC, &ts) != 0) {
        perror("master: clock_gettime");
        abort();
    }
    return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

void
pending_init(gss_cred_id_t cred, bool http_mode)
{
    acceptor_cred = cred;
    http = http_mode;
    nego_linger = false;        /* refused connections linger here */
    for (int i = 0; i < PENDING_MAX; i++) {
        conns[i].state = P_FREE;
        conns[i].fd = -1;
    }
}

bool
pending_full(void)
{
    return used >= PENDING_MAX;
}

/* Closes the connection and empties the slot (its buffers stay). */
static void
release(struct pconn *c)
{
    OM_uint32 minor;

    if (close(c->fd) != 0)
        perror("master: close");
    if (c->ctx != GSS_C_NO_CONTEXT)
        (void)gss_delete_sec_context(&minor, &c->ctx, GSS_C_NO_BUFFER);
    free(c->frame.value);
    c->frame.value = NULL;
    c->frame.length = 0;
    c->fd = -1;
    c->state = P_FREE;
    used--;
}

/* A handshake that failed: why goes to the log (NULL: nothing to say). */
static void
fail(struct pconn *c, const char *why)
{
    if (why != NULL)
        fprintf(stderr, "master: closing connection: %s\n", why);
    failed++;
    release(c);
}

/* The receive timeout stays with the socket: a worker, too, gives up on
 * a client silent for 5 s.  The send timeout bounds the master's small
 * replies; it is lifted before the handoff. */
static bool
set_options(int fd)
{
    struct timeval rcv = { 5, 0 }, snd = { 1, 0 };
    int one = 1;

    return setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &rcv, sizeof(rcv)) == 0 &&
           setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &snd, sizeof(snd)) == 0 &&
           setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one)) == 0;
}

static bool
http_buffers(struct pconn *c)
{
    if (c->block == NULL)
        c->block = malloc(HTTP_HEAD_MAX + 1);
    if (c->req == NULL)
        c->req = malloc(sizeof(*c->req));
    return c->block != NULL && c->req != NULL;
}

void
pending_add(int fd)
{
    struct pconn *c = NULL;

    for (int i = 0; i < PENDING_MAX && c == NULL; i++) {
        if (conns[i].state == P_FREE)
            c = &conns[i];
    }
    if (c == NULL || !set_options(fd) || (http && !http_buffers(c))) {
        perror("master: taking a connection");
        if (close(fd) != 0)
            perror("master: close");
        failed++;
        return;
    }
    c->state = http ? P_HEAD : P_FRAME;
    c->fd = fd;
    c->ctx = GSS_C_NO_CONTEXT;
    c->deadline = now_ms() + PENDING_DEADLINE_MS;
    c->requests = c->tries = 0;
    c->got = c->blen = c->body_left = 0;
    used++;
}

/* What has arrived, at most n bytes: their count, 0 when nothing has,
 * -1 at the end of the stream or on an error. */
static ssize_t
take(int fd, void *buf, size_t n)
{
    ssize_t r;

    do {
        r = recv(fd, buf, n, MSG_DONTWAIT);
    } while (r < 0 && errno == EINTR);
    if (r < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
        return 0;
    return r > 0 ? r : -1;
}

/* The handshake is done: into the ready queue. */
static void
make_ready(struct pconn *c)
{
    struct timeval none = { 0, 0 };

    if (setsockopt(c->fd, SOL_SOCKET, SO_SNDTIMEO, &none, sizeof(none)) != 0) {
        perror("master: setsockopt");
        fail(c, "cannot lift the send timeout");
        return;
    }
    c->state = P_READY;
    c->seq = ++ready_seq;
    handshakes++;
}

/* The frame's length is in: its buffer; false if it is over WIRE_MAX. */
static bool
frame_start(struct pconn *c)
{
    uint32_t n = ((uint32_t)c->head[0] << 24) | ((uint32_t)c->head[1] << 16) |
                 ((uint32_t)c->head[2] << 8) | c->head[3];

    if (n > WIRE_MAX || (c->frame.value = malloc(n > 0 ? n : 1)) == NULL)
        return false;
    c->frame.length = n;
    c->got = 0;
    return true;
}

/* Reads what has arrived of the current frame: 1 when it is whole, 0
 * when more is to come, -1 at the end of the stream, on an error or a
 * length over WIRE_MAX. */
static int
read_frame(struct pconn *c)
{
    for (;;) {
        unsigned char *body = c->frame.value;
        bool in_head = body == NULL;
        size_t want = (in_head ? sizeof(c->head) : c->frame.length) - c->got;
        ssize_t r;

        if (want == 0 && !in_head)
            return 1;
        if (want == 0 && !frame_start(c))
            return -1;
        if (want == 0)
            continue;
        r = take(c->fd, in_head ? &c->head[c->got] : &body[c->got], want);
        if (r <= 0)
            return (int)r;
        c->got += (size_t)r;
    }
}

/* A whole frame is in: one acceptor step, its reply written. */
static void
accept_step(struct pconn *c)
{
    gss_buffer_desc out = GSS_C_EMPTY_BUFFER;
    OM_uint32 major, minor, junk;
    char err[256];

    major = gss_accept_sec_context(&minor, &c->ctx, acceptor_cred, &c->frame,
                                   GSS_C_NO_CHANNEL_BINDINGS, NULL, NULL,
                                   &out, NULL, NULL, NULL);
    free(c->frame.value);
    c->frame.value = NULL;
    c->frame.length = 0;
    c->got = 0;
    if (out.length > 0 && !wire_send(c->fd, out.value, out.length)) {
        major = GSS_S_FAILURE;
        minor = 0;
    }
    (void)gss_release_buffer(&junk, &out);
    if (major == GSS_S_COMPLETE) {
        make_ready(c);
    } else if (major != GSS_S_CONTINUE_NEEDED) {
        wire_status("authentication failed", major, minor, err, sizeof(err));
        fail(c, err);
    }                           /* else the next frame */
}

static void
step_frame(struct pconn *c)
{
    int r = read_frame(c);

    if (r < 0)
        fail(c, "bad frame or client gone during the handshake");
    else if (r > 0)
        accept_step(c);
}

/* HTTP: answered and done; counted as failed, drained for a moment so
 * that closing does not reset the connection before the client read the
 * answer. */
static void
linger(struct pconn *c)
{
    OM_uint32 minor;

    failed++;
    if (c->ctx != GSS_C_NO_CONTEXT)
        (void)gss_delete_sec_context(&minor, &c->ctx, GSS_C_NO_BUFFER);
    if (shutdown(c->fd, SHUT_WR) != 0) {
        release(c);
        return;
    }
    c->state = P_LINGER;
    c->got = 0;
    c->deadline = now_ms() + LINGER_MS;
}

static void
step_linger(struct pconn *c)
{
    char sink[4096];
    ssize_t r;

    while ((r = take(c->fd, sink, sizeof(sink))) > 0) {
        c->got += (size_t)r;
        if (c->got >= HTTP_BODY_MAX)
            break;
    }
    if (r != 0)
        release(c);             /* the end, an error, or enough */
}

/* HTTP: a whole request is in; its answer. */
static void
answer(struct pconn *c)
{
    switch (nego_master_request(c->fd, &c->ctx, c->req, c->requests++)) {
    case NEGO_AGAIN:
        c->state = P_HEAD;
        c->blen = 0;
        break;
    case NEGO_HANDOFF:
        make_ready(c);
        break;
    case NEGO_CLOSE:
        linger(c);
        break;
    }
}

static void
step_body(struct pconn *c)
{
    char sink[4096];

    while (c->body_left > 0) {
        ssize_t r = take(c->fd, sink, c->body_left < sizeof(sink)
                                          ? c->body_left : sizeof(sink));

        if (r < 0) {
            fail(c, NULL);
            return;
        }
        if (r == 0)
            return;
        c->body_left -= (size_t)r;
    }
    answer(c);
}

static void
step_head(struct pconn *c)
{
    enum http_read r = http_read_step(c->fd, c->block, HTTP_HEAD_MAX + 1,
                                      &c->blen, "\r\n\r\n", MSG_DONTWAIT);
    int status;

    if (r == HTTP_READ_AGAIN)
        return;
    status = nego_take_request(c->fd, r, c->block, c->req);
    if (status < 0) {
        fail(c, NULL);          /* gone: nothing to answer */
    } else if (status > 0) {
        linger(c);              /* refused: the answer is out */
    } else {
        c->state = P_BODY;
        c->body_left = c->req->content_length;
        step_body(c);
    }
}

static bool
waits_for_input(const struct pconn *c)
{
    return c->state != P_FREE && c->state != P_READY;
}

nfds_t
pending_poll(struct pollfd *fds, nfds_t max)
{
    nfds_t n = 0;

    for (int i = 0; i < PENDING_MAX && n < max; i++) {
        if (!waits_for_input(&conns[i]))
            continue;
        fds[n] = (struct pollfd){ .fd = conns[i].fd, .events = POLLIN };
        polled[n++] = i;
    }
    return n;
}

void
pending_events(const struct pollfd *fds, nfds_t n)
{
    for (nfds_t k = 0; k < n && k < PENDING_MAX; k++) {
        struct pconn *c = &conns[polled[k]];

        if (fds[k].revents == 0 || c->fd != fds[k].fd)
            continue;
        if (c->state == P_FRAME)
            step_frame(c);
        else if (c->state == P_HEAD)
            step_head(c);
        else if (c->state == P_BODY)
            step_body(c);
        else if (c->state == P_LINGER)
            step_linger(c);
    }
}

int
pending_timeout_ms(void)
{
    long long now = now_ms(), best = -1;

    for (int i = 0; i < PENDING_MAX; i++) {
        long long left = conns[i].deadline - now;

        if (!waits_for_input(&conns[i]))
            continue;
        if (left < 0)
            left = 0;
        if (best < 0 || left < best)
            best = left;
    }
    return best > PENDING_DEADLINE_MS ? PENDING_DEADLINE_MS : (int)best;
}

void
pending_expire(void)
{
    long long now = now_ms();
    char why[64];

    snprintf(why, sizeof(why), "no handshake within %d ms",
             PENDING_DEADLINE_MS);
    for (int i = 0; i < PENDING_MAX; i++) {
        struct pconn *c = &conns[i];

        if (!waits_for_input(c) || c->deadline > now)
            continue;
        if (c->state == P_LINGER)
            release(c);         /* counted already */
        else
            fail(c, why);
    }
}

int
pending_ready(void)
{
    int best = -1;

    for (int i = 0; i < PENDING_MAX; i++) {
        if (conns[i].state == P_READY &&
            (best < 0 || conns[i].seq < conns[best].seq))
            best = i;
    }
    return best;
}

int
pending_fd(int slot)
{
    return conns[slot].fd;
}

gss_ctx_id_t *
pending_ctx(int slot)
{
    return &conns[slot].ctx;
}

int
pending_try(int slot)
{
    return ++conns[slot].tries;
}

void
pending_done(int slot)
{
    release(&conns[slot]);
}

void
pending_counts(unsigned long *ok, unsigned long *bad)
{
    *ok = handshakes;
    *bad = failed;
}

void
pending_forget(void)
{
    for (int i = 0; i < PENDING_MAX; i++) {
        if (conns[i].state != P_FREE && close(conns[i].fd) != 0)
            perror("worker: close");
    }
}

void
pending_cleanup(void)
{
    for (int i = 0; i < PENDING_MAX; i++) {
        if (conns[i].state != P_FREE)
            release(&conns[i]);
        free(conns[i].block);
        free(conns[i].req);
        conns[i].block = NULL;
        conns[i].req = NULL;
    }
}
