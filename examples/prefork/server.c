/*
 * server.c - baton-prefork-server: the master listens on TCP (loopback by
 * default), runs the GSS handshake for each connection, and hands context
 * and socket to one of N pre-forked workers (baton_handoff_send); a worker
 * that dies is respawned.  SIGUSR1 prints the statistics line, SIGTERM
 * prints it and exits.
 *
 * Handshakes run side by side: each accepted connection is a small state
 * machine (pending.c) that reads what has arrived without waiting and
 * takes a GSS step once a whole token frame or request is in, so a client
 * that sends nothing, or half a message, holds up no one; it is closed
 * when its 5 s deadline passes.  The master holds at most PENDING_MAX
 * connections (others wait in the listen queue).
 *
 * Only idle workers get connections: a worker writes one byte on its
 * socket just before it waits in baton_handoff_recv (worker.c), and the
 * master reads it before it hands that worker anything, so a worker still
 * serving a slow client or an idle keep-alive connection never holds up
 * the others.  Authenticated connections wait in a ready queue, oldest
 * first, for an idle worker.  One ppoll watches the listening socket, the
 * workers and the pending connections; signals stay blocked but in ppoll,
 * so none is missed between a check and the wait.
 *
 * With -H (--http) it speaks HTTP/1.1 with Negotiate (SPNEGO) instead of
 * the framed protocol: the master takes the first acceptor step of each
 * connection and hands the context, complete or mid-negotiation, to a
 * worker that finishes it and serves (negotiate.c, http_worker.c).
 *
 *   baton-prefork-server [-H] [-p PORT] [-w WORKERS] [-b ADDRESS]
 */
#include "prefork.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <dirent.h>
#include <errno.h>
#include <getopt.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <baton/baton.h>
#include <gssapi/gssapi_krb5.h>

#include "negotiate.h"
#include "pending.h"
#include "wire.h"

#define MAX_WORKERS 64

enum worker_state {
    W_BUSY,     /* starting, serving, or handed a connection: not ready */
    W_IDLE,     /* announced itself; waits in baton_handoff_recv */
    W_GONE      /* its socket reported the end; reap() replaces it */
};

struct worker {
    pid_t pid;
    int sock;
    enum worker_state state;
    unsigned long idle_since;   /* ready_count when it became idle */
    unsigned long handoffs;
};

static struct worker workers[MAX_WORKERS];
static int nworkers = 4, listen_fd = -1;
static unsigned long ready_count;
static sigset_t wait_mask;      /* the mask in ppoll: signals unblocked */
static bool http_mode;
static volatile sig_atomic_t got_chld, got_term, got_usr1;
static struct {
    unsigned long connections, handoffs, failed_handoffs, respawns;
    size_t token_size;
} st;

static void
on_signal(int sig)
{
    if (sig == SIGCHLD)
        got_chld = 1;
    else if (sig == SIGUSR1)
        got_usr1 = 1;
    else
        got_term = 1;
}

static int
open_fds(void)
{
    DIR *d = opendir("/proc/self/fd");
    int n = 0;

    if (d == NULL)
        return -1;
    while (readdir(d) != NULL)
        n++;
    closedir(d);
    return n - 3;               /* ".", ".." and the DIR's own descriptor */
}

static void
print_stats(void)
{
    unsigned long handshakes, failed_handshakes;

    pending_counts(&handshakes, &failed_handshakes);
    printf("master: connections %lu handshakes %lu failed-handshakes %lu "
           "handoffs %lu failed-handoffs %lu respawns %lu open-fds %d "
           "token-bytes %zu per-worker",
           st.connections, handshakes, failed_handshakes, st.handoffs,
           st.failed_handoffs, st.respawns, open_fds(), st.token_size);
    for (int i = 0; i < nworkers; i++)
        printf(" %lu", workers[i].handoffs);
    printf("\n");
    fflush(stdout);
}

static void
spawn(int i)
{
    int sv[2];
    pid_t pid;

    if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) != 0) {
        perror("socketpair");
        exit(1);
    }
    pid = fork();
    if (pid < 0) {
        perror("fork");
        exit(1);
    }
    if (pid == 0) {
        signal(SIGCHLD, SIG_DFL);
        signal(SIGTERM, SIG_DFL);
        signal(SIGUSR1, SIG_DFL);
        if (sigprocmask(SIG_SETMASK, &wait_mask, NULL) != 0) {
            perror("sigprocmask");
            _exit(1);
        }
        close(listen_fd);
        close(sv[0]);
        pending_forget();       /* the master's clients */
        for (int j = 0; j < nworkers; j++) {
            if (j != i && workers[j].sock >= 0)
                close(workers[j].sock);
        }
        worker_main(sv[1], http_mode ? http_serve : wire_serve);
    }
    close(sv[1]);
    workers[i].pid = pid;
    workers[i].sock = sv[0];
    workers[i].state = W_BUSY;  /* until it says it is ready */
}

/* Respawns every worker that died. */
static void
reap(void)
{
    pid_t pid;
    int status;

    got_chld = 0;
    while ((pid = waitpid(-1, &status, WNOHANG)) > 0) {
        for (int i = 0; i < nworkers; i++) {
            if (workers[i].pid != pid)
                continue;
            fprintf(stderr, "master: worker %ld died (%s %d); respawning\n",
                    (long)pid, WIFSIGNALED(status) ? "signal" : "exit",
                    WIFSIGNALED(status) ? WTERMSIG(status)
                                        : WEXITSTATUS(status));
            close(workers[i].sock);
            spawn(i);
            st.respawns++;
        }
    }
}

/* Measures the sealed token once (export, re-import): the demo reports
 * what crosses to the workers. */
static void
measure_token(gss_ctx_id_t *ctx)
{
    gss_buffer_desc tok = GSS_C_EMPTY_BUFFER;
    OM_uint32 minor;

    if (st.token_size != 0 ||
        gss_export_sec_context(&minor, ctx, &tok) != GSS_S_COMPLETE)
        return;
    st.token_size = tok.length;
    (void)gss_import_sec_context(&minor, &tok, ctx);
    gss_release_buffer(&minor, &tok);
}

/* The worker idle the longest, or NULL. */
static struct worker *
idle_worker(void)
{
    struct worker *best = NULL;

    for (int i = 0; i < nworkers; i++) {
        if (workers[i].state == W_IDLE &&
            (best == NULL || workers[i].idle_since < best->idle_since))
            best = &workers[i];
    }
    return best;
}

static void
mark_idle(struct worker *w)
{
    w->state = W_IDLE;
    w->idle_since = ++ready_count;
}

/* A worker whose place in the handoff protocol is unknown: killed, and
 * reap() starts another in its place. */
static void
retire(struct worker *w, const char *why)
{
    fprintf(stderr, "master: retiring worker %ld: %s\n", (long)w->pid, why);
    if (kill(w->pid, SIGKILL) != 0)
        perror("master: kill");
    w->state = W_GONE;
}

/* A worker's socket is readable: its ready byte, or its end. */
static void
worker_news(struct worker *w)
{
    ssize_t r;
    char c;

    do {
        r = recv(w->sock, &c, 1, MSG_DONTWAIT);
    } while (r < 0 && errno == EINTR);
    if (r < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
        return;
    if (r == 1 && c == PREFORK_READY && w->state == W_BUSY)
        mark_idle(w);
    else if (r == 1)
        retire(w, "unexpected byte from it");
    else if (r < 0)
        retire(w, strerror(errno));
    else
        w->state = W_GONE;      /* it exited: SIGCHLD follows */
}

/* Takes the clients waiting to be accepted, as many as fit. */
static void
accept_clients(void)
{
    for (int i = 0; i < PENDING_MAX && !pending_full(); i++) {
        int conn = accept4(listen_fd, NULL, NULL, SOCK_CLOEXEC);

        if (conn < 0)
            return;             /* none left, or a transient error */
        st.connections++;
        pending_add(conn);
    }
}

/* Waits for a signal, news from a worker, a client to accept (while
 * there is room) or input on a pending connection, at most until the
 * nearest deadline, and handles what came. */
static void
wait_events(void)
{
    struct pollfd fds[MAX_WORKERS + 1 + PENDING_MAX];
    struct timespec ts, *tp = NULL;
    int who[MAX_WORKERS], ms = pending_timeout_ms();
    bool accepting = !pending_full();
    nfds_t n = 0, nw, np;

    for (int i = 0; i < nworkers; i++) {
        if (workers[i].state == W_GONE)
            continue;
        fds[n] = (struct pollfd){ .fd = workers[i].sock, .events = POLLIN };
        who[n++] = i;
    }
    nw = n;
    if (accepting)
        fds[n++] = (struct pollfd){ .fd = listen_fd, .events = POLLIN };
    np = pending_poll(&fds[n], PENDING_MAX);
    if (ms >= 0) {
        ts = (struct timespec){ ms / 1000, (long)(ms % 1000) * 1000000L };
        tp = &ts;
    }
    if (ppoll(fds, n + np, tp, &wait_mask) < 0) {
        if (errno != EINTR)
            perror("master: ppoll");
        return;                 /* a signal to handle first */
    }
    for (nfds_t k = 0; k < nw; k++) {
        if (fds[k].revents != 0)
            worker_news(&workers[who[k]]);
    }
    pending_events(&fds[n], np);
    if (accepting && fds[nw].revents != 0)
        accept_clients();
}

static void
handle_signals(void)
{
    if (got_chld)
        reap();
    if (got_usr1) {
        got_usr1 = 0;
        print_stats();
    }
}

/* After a failed handoff.  Only GSS_S_FAILURE can come after the request
 * went out (handoff.c): the worker may have read it, refused it or died,
 * so it is replaced.  Any other status came before anything was sent and
 * the worker still waits, idle. */
static void
handoff_failed(struct worker *w, OM_uint32 major, OM_uint32 minor)
{
    char err[256];

    wire_status("master: handoff failed, trying another worker", major,
                minor, err, sizeof(err));
    fprintf(stderr, "%s\n", err);
    if (major == GSS_S_FAILURE)
        retire(w, "its handoff failed");
    else
        mark_idle(w);
}

/* Hands authenticated connections to idle workers, oldest first.  A
 * failed handoff may lose the context (its token expired, or the
 * receiver imported it and died): then there is nothing to hand. */
static void
dispatch(void)
{
    struct worker *w;
    gss_ctx_id_t *ctx;
    OM_uint32 major, minor;
    int s;

    while (!got_term && (s = pending_ready()) >= 0 &&
           (w = idle_worker()) != NULL) {
        ctx = pending_ctx(s);
        measure_token(ctx);
        w->state = W_BUSY;
        major = baton_handoff_send(&minor, w->sock, ctx, pending_fd(s));
        if (major == GSS_S_COMPLETE) {
            w->handoffs++;
            st.handoffs++;
            pending_done(s);
            continue;
        }
        handoff_failed(w, major, minor);
        if (*ctx == GSS_C_NO_CONTEXT || pending_try(s) >= nworkers) {
            st.failed_handoffs++;
            pending_done(s);
        }
    }
}

static void
serve_forever(void)
{
    while (!got_term) {
        handle_signals();
        pending_expire();
        dispatch();
        wait_events();
    }
}

static int
listen_on(const char *addr, int port)
{
    struct sockaddr_in sa;
    socklen_t len = sizeof(sa);
    int one = 1, fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC |
                                      SOCK_NONBLOCK, 0);

    memset(&sa, 0, sizeof(sa));
    sa.sin_family = AF_INET;
    sa.sin_port = htons((uint16_t)port);
    if (fd < 0 || inet_pton(AF_INET, addr, &sa.sin_addr) != 1 ||
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) != 0 ||
        bind(fd, (struct sockaddr *)&sa, sizeof(sa)) != 0 ||
        listen(fd, 512) != 0 ||
        getsockname(fd, (struct sockaddr *)&sa, &len) != 0) {
        perror("listen");
        exit(1);
    }
    printf("listening on %s:%d workers %d", addr, ntohs(sa.sin_port),
           nworkers);
    if (http_mode)
        printf(" http master %ld", (long)getpid());
    printf("\n");
    fflush(stdout);
    return fd;
}

/* Handlers for the signals the master reacts to, which stay blocked but
 * in ppoll (wait_mask); false (with a message) if that fails. */
static bool
catch_signals(void)
{
    static const int sigs[] = { SIGCHLD, SIGTERM, SIGINT, SIGUSR1 };
    struct sigaction sa;
    sigset_t block;

    memset(&sa, 0, sizeof(sa));
    sa.sa_handler = on_signal;
    if (sigemptyset(&block) != 0)
        goto fail;
    for (size_t i = 0; i < sizeof(sigs) / sizeof(sigs[0]); i++) {
        if (sigaction(sigs[i], &sa, NULL) != 0 ||
            sigaddset(&block, sigs[i]) != 0)
            goto fail;
    }
    if (sigprocmask(SIG_BLOCK, &block, &wait_mask) != 0)
        goto fail;
    for (size_t i = 0; i < sizeof(sigs) / sizeof(sigs[0]); i++) {
        if (sigdelset(&wait_mask, sigs[i]) != 0)
            goto fail;
    }
    return true;
fail:
    perror("master: signals");
    return false;
}

/* False on a usage error. */
static bool
parse_args(int argc, char **argv, const char **addr, int *port)
{
    static const struct option longopts[] = {
        { "http", no_argument, NULL, 'H' },
        { NULL, 0, NULL, 0 },
    };
    int opt;

    while ((opt = getopt_long(argc, argv, "Hp:w:b:", longopts, NULL)) != -1) {
        if (opt == 'p')
            *port = atoi(optarg);
        else if (opt == 'w')
            nworkers = atoi(optarg);
        else if (opt == 'b')
            *addr = optarg;
        else if (opt == 'H')
            http_mode = true;
        else
            return false;
    }
    return optind == argc && nworkers >= 1 && nworkers <= MAX_WORKERS;
}

int
main(int argc, char **argv)
{
    const char *addr = "127.0.0.1";
    gss_cred_id_t cred = GSS_C_NO_CREDENTIAL;
    OM_uint32 major, minor;
    int port = 0;
    char err[256];

    if (!parse_args(argc, argv, &addr, &port)) {
        fprintf(stderr, "usage: baton-prefork-server [-H|--http] [-p PORT] "
                        "[-w WORKERS] [-b ADDRESS]\n");
        return 2;
    }
    /* With -H this only proves at start that the keytab is usable: the
     * Negotiate steps use GSS_C_NO_CREDENTIAL (negotiate.c). */
    major = gss_acquire_cred(&minor, GSS_C_NO_NAME, 0, GSS_C_NO_OID_SET,
                             GSS_C_ACCEPT, &cred, NULL, NULL);
    if (major != GSS_S_COMPLETE) {
        wire_status("acquiring acceptor credentials", major, minor, err,
                    sizeof(err));
        fprintf(stderr, "%s\n", err);
        return 1;
    }
    if (!catch_signals()) {
        gss_release_cred(&minor, &cred);
        return 1;
    }
    pending_init(cred, http_mode);
    listen_fd = listen_on(addr, port);
    for (int i = 0; i < nworkers; i++)
        workers[i].sock = -1;
    for (int i = 0; i < nworkers; i++)
        spawn(i);
    serve_forever();
    print_stats();
    pending_cleanup();
    signal(SIGCHLD, SIG_DFL);
    for (int i = 0; i < nworkers; i++) {
        close(workers[i].sock);
        kill(workers[i].pid, SIGTERM);
        waitpid(workers[i].pid, NULL, 0);
    }
    gss_release_cred(&minor, &cred);
    return 0;
}
