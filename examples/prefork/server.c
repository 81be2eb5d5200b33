/*
 * server.c - baton-prefork-server: the master listens on TCP (loopback by
 * default), runs the GSS handshake for each connection, and hands context
 * and socket to one of N pre-forked workers (baton_handoff_send); a worker
 * that dies is respawned.  SIGUSR1 prints the statistics line, SIGTERM
 * prints it and exits.
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
#include <netinet/tcp.h>
#include <dirent.h>
#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <unistd.h>

#include <baton/baton.h>
#include <gssapi/gssapi_krb5.h>

#include "negotiate.h"
#include "wire.h"

#define MAX_WORKERS 64

struct worker {
    pid_t pid;
    int sock;
    unsigned long handoffs;
};

static struct worker workers[MAX_WORKERS];
static int nworkers = 4, listen_fd = -1, next_worker;
static bool http_mode;
static volatile sig_atomic_t got_chld, got_term, got_usr1;
static struct {
    unsigned long connections, handshakes, failed_handshakes, handoffs,
        failed_handoffs, respawns;
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
    printf("master: connections %lu handshakes %lu failed-handshakes %lu "
           "handoffs %lu failed-handoffs %lu respawns %lu open-fds %d "
           "token-bytes %zu per-worker",
           st.connections, st.handshakes, st.failed_handshakes, st.handoffs,
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
        close(listen_fd);
        close(sv[0]);
        for (int j = 0; j < nworkers; j++) {
            if (j != i && workers[j].sock >= 0)
                close(workers[j].sock);
        }
        worker_main(sv[1], http_mode ? http_serve : wire_serve);
    }
    close(sv[1]);
    workers[i].pid = pid;
    workers[i].sock = sv[0];
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

/* The acceptor side of the handshake; false (with a log line) if it
 * fails.  A KRB-ERROR token, if any, is sent to the client first. */
static bool
handshake(int conn, gss_cred_id_t cred, gss_ctx_id_t *ctx)
{
    gss_buffer_desc in, out = GSS_C_EMPTY_BUFFER;
    OM_uint32 major = GSS_S_CONTINUE_NEEDED, minor;
    char err[256];

    *ctx = GSS_C_NO_CONTEXT;
    while (major == GSS_S_CONTINUE_NEEDED) {
        if (!wire_recv(conn, &in)) {
            fprintf(stderr, "master: closing connection: bad frame or "
                            "client gone during the handshake\n");
            break;
        }
        major = gss_accept_sec_context(&minor, ctx, cred, &in, NULL, NULL,
                                       NULL, &out, NULL, NULL, NULL);
        free(in.value);
        if (out.length > 0 && !wire_send(conn, out.value, out.length))
            major = GSS_S_FAILURE;
        gss_release_buffer(&minor, &out);
        if (GSS_ERROR(major)) {
            wire_status("master: closing connection: authentication failed",
                        major, minor, err, sizeof(err));
            fprintf(stderr, "%s\n", err);
        }
    }
    if (major != GSS_S_COMPLETE)
        gss_delete_sec_context(&minor, ctx, NULL);
    return major == GSS_S_COMPLETE;
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

/* Hands the connection to the next worker that takes it. */
static void
dispatch(int conn, gss_ctx_id_t *ctx)
{
    OM_uint32 major, minor;
    char err[256];

    measure_token(ctx);
    for (int tries = 0; tries < nworkers; tries++) {
        struct worker *w = &workers[next_worker];

        next_worker = (next_worker + 1) % nworkers;
        major = baton_handoff_send(&minor, w->sock, ctx, conn);
        if (major == GSS_S_COMPLETE) {
            w->handoffs++;
            st.handoffs++;
            return;
        }
        wire_status("master: handoff failed, trying the next worker", major,
                    minor, err, sizeof(err));
        fprintf(stderr, "%s\n", err);
    }
    st.failed_handoffs++;
    gss_delete_sec_context(&minor, ctx, NULL);
}

static void
serve_forever(gss_cred_id_t cred)
{
    struct timeval tv = { 5, 0 };
    gss_ctx_id_t ctx;
    int conn, one = 1;

    while (!got_term) {
        if (got_chld)
            reap();
        if (got_usr1) {
            got_usr1 = 0;
            print_stats();
        }
        conn = accept4(listen_fd, NULL, NULL, SOCK_CLOEXEC);
        if (conn < 0)
            continue;           /* EINTR from a signal, or a transient error */
        st.connections++;
        /* A client that stalls cannot hold the master for long. */
        setsockopt(conn, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
        setsockopt(conn, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
        if (http_mode ? http_master_conn(conn, &ctx)
                      : handshake(conn, cred, &ctx)) {
            st.handshakes++;
            dispatch(conn, &ctx);
        } else {
            st.failed_handshakes++;
        }
        close(conn);
    }
}

static int
listen_on(const char *addr, int port)
{
    struct sockaddr_in sa;
    socklen_t len = sizeof(sa);
    int one = 1, fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);

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
    struct sigaction sa;
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
    memset(&sa, 0, sizeof(sa));
    sa.sa_handler = on_signal;      /* no SA_RESTART: accept must wake up */
    sigaction(SIGCHLD, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGUSR1, &sa, NULL);
    listen_fd = listen_on(addr, port);
    for (int i = 0; i < nworkers; i++)
        workers[i].sock = -1;
    for (int i = 0; i < nworkers; i++)
        spawn(i);
    serve_forever(cred);
    print_stats();
    signal(SIGCHLD, SIG_DFL);
    for (int i = 0; i < nworkers; i++) {
        close(workers[i].sock);
        kill(workers[i].pid, SIGTERM);
        waitpid(workers[i].pid, NULL, 0);
    }
    gss_release_cred(&minor, &cred);
    return 0;
}
