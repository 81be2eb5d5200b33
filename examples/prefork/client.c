/*
 * client.c - baton-prefork-client: connects, authenticates with mutual
 * authentication, asks "whoami" and sends echo messages, verifies every
 * reply.  With -n/-c/-t it runs many connections from several threads
 * (bounded in count and time), with a progress line (-P), and prints a
 * summary.  Exits nonzero if any connection failed.
 *
 *   baton-prefork-client [-h HOST] -p PORT [-s SERVICE] [-n CONNECTIONS]
 *                        [-c THREADS] [-m MESSAGES] [-t SECONDS] [-P]
 *                        [-v] [-W MILLISECONDS]
 * -v prints every reply; -W pauses between messages (for fault tests).
 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <gssapi/gssapi_krb5.h>

#include "wire.h"

static const char *host = "127.0.0.1", *service = "host@localhost";
static int port, connections = 1, threads = 1, messages = 3, seconds = 30;
static bool progress, verbose;
static int pause_ms;
static atomic_int started, ok, failed;
static atomic_long msgs, bytes;
static double t_start;

static double
now(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

static int
dial(void)
{
    struct sockaddr_in sa;
    int fd = socket(AF_INET, SOCK_STREAM, 0), one = 1;
    struct timeval tv = { 10, 0 };

    memset(&sa, 0, sizeof(sa));
    sa.sin_family = AF_INET;
    sa.sin_port = htons((uint16_t)port);
    if (fd < 0 || inet_pton(AF_INET, host, &sa.sin_addr) != 1 ||
        connect(fd, (struct sockaddr *)&sa, sizeof(sa)) != 0) {
        if (fd >= 0)
            close(fd);
        return -1;
    }
    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
    return fd;
}

/* Initiator handshake with mutual authentication. */
static bool
handshake(int fd, gss_ctx_id_t *ctx, char *err, size_t errsz)
{
    gss_buffer_desc nb = { strlen(service), (void *)service };
    gss_buffer_desc in = GSS_C_EMPTY_BUFFER, out = GSS_C_EMPTY_BUFFER;
    gss_name_t target = GSS_C_NO_NAME;
    OM_uint32 major, minor, flags = 0;

    major = gss_import_name(&minor, &nb, GSS_C_NT_HOSTBASED_SERVICE, &target);
    while (major == GSS_S_COMPLETE || major == GSS_S_CONTINUE_NEEDED) {
        major = gss_init_sec_context(&minor, GSS_C_NO_CREDENTIAL, ctx, target,
                                     gss_mech_krb5, GSS_C_MUTUAL_FLAG |
                                     GSS_C_REPLAY_FLAG | GSS_C_SEQUENCE_FLAG,
                                     0, NULL, &in, NULL, &out, &flags, NULL);
        free(in.value);
        in.value = NULL;
        in.length = 0;
        if (out.length > 0 && !wire_send(fd, out.value, out.length))
            major = GSS_S_FAILURE, minor = 0;
        gss_release_buffer(&minor, &out);
        if (major != GSS_S_CONTINUE_NEEDED)
            break;
        if (!wire_recv(fd, &in)) {
            snprintf(err, errsz, "server closed the connection during the "
                                 "handshake");
            gss_release_name(&minor, &target);
            return false;
        }
    }
    gss_release_name(&minor, &target);
    if (major != GSS_S_COMPLETE) {
        wire_status("handshake", major, minor, err, errsz);
        return false;
    }
    if (!(flags & GSS_C_MUTUAL_FLAG)) {
        snprintf(err, errsz, "the server was not authenticated");
        return false;
    }
    return true;
}

/* Sends one request and checks the reply starts with want. */
static bool
request(int fd, gss_ctx_id_t ctx, const char *req, const char *want,
        char *err, size_t errsz)
{
    gss_buffer_desc in = { strlen(req), (void *)req }, tok, rep;
    OM_uint32 major, minor;
    bool good;

    major = gss_wrap(&minor, ctx, 1, 0, &in, NULL, &tok);
    if (major != GSS_S_COMPLETE || !wire_send(fd, tok.value, tok.length)) {
        gss_release_buffer(&minor, &tok);
        snprintf(err, errsz, "sending \"%.20s\" failed", req);
        return false;
    }
    atomic_fetch_add(&bytes, (long)tok.length);
    gss_release_buffer(&minor, &tok);
    if (!wire_recv(fd, &tok)) {
        snprintf(err, errsz, "no reply to \"%.20s\" (connection closed)", req);
        return false;
    }
    major = gss_unwrap(&minor, ctx, &tok, &rep, NULL, NULL);
    free(tok.value);
    if (major != GSS_S_COMPLETE) {
        wire_status("unwrap of the reply", major, minor, err, errsz);
        return false;
    }
    good = rep.length >= strlen(want) &&
           memcmp(rep.value, want, strlen(want)) == 0;
    if (good && verbose) {
        printf("reply: %.*s\n", (int)rep.length, (char *)rep.value);
        fflush(stdout);
    }
    if (!good)
        snprintf(err, errsz, "wrong reply to \"%.20s\": \"%.*s\"", req,
                 (int)(rep.length > 60 ? 60 : rep.length), (char *)rep.value);
    gss_release_buffer(&minor, &rep);
    atomic_fetch_add(&msgs, 1);
    return good;
}

/* One connection: handshake, whoami, echoes. */
static bool
session(int id, char *err, size_t errsz)
{
    gss_ctx_id_t ctx = GSS_C_NO_CONTEXT;
    char req[160], want[128];
    OM_uint32 minor;
    bool good;
    int fd = dial();

    if (fd < 0) {
        snprintf(err, errsz, "cannot connect to %s:%d", host, port);
        return false;
    }
    good = handshake(fd, &ctx, err, errsz) &&
           request(fd, ctx, "whoami", "you are ", err, errsz);
    for (int i = 0; good && i < messages; i++) {
        if (pause_ms > 0)
            usleep((useconds_t)pause_ms * 1000);
        snprintf(want, sizeof(want), "message %d of connection %d", i, id);
        snprintf(req, sizeof(req), "echo %s", want);
        good = request(fd, ctx, req, want, err, errsz);
    }
    close(fd);
    gss_delete_sec_context(&minor, &ctx, NULL);
    return good;
}

static void *
run(void *arg)
{
    char err[300];
    int id;

    (void)arg;
    while ((id = atomic_fetch_add(&started, 1)) < connections &&
           now() - t_start < seconds) {
        if (session(id, err, sizeof(err))) {
            atomic_fetch_add(&ok, 1);
        } else {
            atomic_fetch_add(&failed, 1);
            fprintf(stderr, "client: connection %d failed: %s\n", id, err);
        }
    }
    return NULL;
}

static void
report(double elapsed)
{
    printf("client: connections %d ok %d failed %d messages %ld "
           "wrapped-bytes %ld elapsed %.2f s rate %.0f connections/s "
           "%.0f messages/s\n",
           ok + failed, ok, failed, (long)msgs, (long)bytes, elapsed,
           (ok + failed) / elapsed, msgs / elapsed);
}

int
main(int argc, char **argv)
{
    pthread_t th[256];
    int opt, last = -1;

    while ((opt = getopt(argc, argv, "h:p:s:n:c:m:t:PvW:")) != -1) {
        switch (opt) {
        case 'h': host = optarg; break;
        case 'p': port = atoi(optarg); break;
        case 's': service = optarg; break;
        case 'n': connections = atoi(optarg); break;
        case 'c': threads = atoi(optarg); break;
        case 'm': messages = atoi(optarg); break;
        case 't': seconds = atoi(optarg); break;
        case 'P': progress = true; break;
        case 'v': verbose = true; break;
        case 'W': pause_ms = atoi(optarg); break;
        default: return 2;
        }
    }
    if (port <= 0 || threads < 1 || threads > 256 || connections < 1)
        return 2;
    t_start = now();
    for (int i = 0; i < threads; i++)
        pthread_create(&th[i], NULL, run, NULL);
    while (progress && ok + failed < connections &&
           now() - t_start < seconds) {
        int done = ok + failed;

        if (done != last)
            fprintf(stderr, "\rprogress: %d/%d connections, %d failed",
                    done, connections, (int)failed);
        last = done;
        usleep(200000);
    }
    for (int i = 0; i < threads; i++)
        pthread_join(th[i], NULL);
    if (progress)
        fprintf(stderr, "\rprogress: %d/%d connections, %d failed\n",
                ok + failed, connections, (int)failed);
    report(now() - t_start);
    return failed == 0 && ok > 0 ? 0 : 1;
}
