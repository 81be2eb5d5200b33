/*
 * http_client.c - baton-negotiate-client: HTTP Negotiate (RFC 4559) over
 * as many rounds as SPNEGO needs, against baton-prefork-server -H.  Each
 * round is one GET with "Authorization: Negotiate <token>" on the same
 * keep-alive connection; it prints every round's GSS and HTTP status,
 * then the body.  With -r N it sends N-1 more GETs without Authorization
 * (the connection is authenticated).  -W pauses before every request
 * but the first (for fault tests: a worker killed mid-negotiation).
 *
 * -2 (--second-choice) offers [Kerberos under its old OID 1.3.5.1.5.2,
 * Kerberos 1.2.840.113554.1.2.2] (gss_set_neg_mechs): an acceptor that
 * takes only the second needs three rounds and a mechListMIC exchange.
 *
 *   baton-negotiate-client [-h ADDRESS] -p PORT [-s SERVICE] [-u PATH]
 *                          [-2] [-r REQUESTS] [-W MILLISECONDS]
 * Exit status 0 when every request got a 200.
 */
#include <arpa/inet.h>
#include <getopt.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <unistd.h>

#include <gssapi/gssapi.h>

#include "http.h"
#include "wire.h"

#define MAX_ROUNDS 8

static gss_OID_desc spnego = { 6, "\x2b\x06\x01\x05\x05\x02" };
static gss_OID_desc krb5 = { 9, "\x2a\x86\x48\x86\xf7\x12\x01\x02\x02" };
static gss_OID_desc krb5_old = { 5, "\x2b\x05\x01\x05\x02" };

static const char *host = "127.0.0.1", *service = "HTTP@localhost";
static const char *path = "/";
static int port, requests = 1, pause_ms;
static bool second_choice;

/* A response: status, Negotiate token (base64), body. */
struct reply {
    int status;
    bool close, negotiate;
    char token[HTTP_HEAD_MAX];
    char body[HTTP_BODY_MAX + 1];
    size_t body_len;
};

static int
dial(void)
{
    struct sockaddr_in sa;
    struct timeval tv = { 10, 0 };
    int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0), one = 1;

    memset(&sa, 0, sizeof(sa));
    sa.sin_family = AF_INET;
    sa.sin_port = htons((uint16_t)port);
    if (fd < 0 || inet_pton(AF_INET, host, &sa.sin_addr) != 1 ||
        connect(fd, (struct sockaddr *)&sa, sizeof(sa)) != 0 ||
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv)) != 0 ||
        setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one)) != 0) {
        perror("connect");
        if (fd >= 0)
            close(fd);
        return -1;
    }
    return fd;
}

static bool
send_get(int fd, const char *token)
{
    char *msg = NULL;
    bool ok;
    int n = asprintf(&msg, "GET %s HTTP/1.1\r\nHost: localhost:%d\r\n"
                     "User-Agent: baton-negotiate-client\r\n%s%s%s\r\n",
                     path, port, token != NULL ?
                     "Authorization: Negotiate " : "",
                     token != NULL ? token : "", token != NULL ? "\r\n" : "");

    if (n < 0)
        return false;
    ok = http_write(fd, msg, (size_t)n);
    free(msg);
    return ok;
}

/* A chunked body (RFC 9112 7.1) into rep->body; extensions ignored, the
 * trailer skipped. */
static bool
read_chunked(int fd, struct reply *rep)
{
    char line[256], *end;
    unsigned long n;

    for (;;) {
        if (http_read_until(fd, line, sizeof(line), "\r\n") != HTTP_READ_OK)
            return false;
        n = strtoul(line, &end, 16);
        if (end == line || (*end != ';' && *end != '\r') ||
            n > HTTP_BODY_MAX - rep->body_len)
            return false;
        if (n == 0)
            break;
        if (!http_read_exact(fd, &rep->body[rep->body_len], n) ||
            !http_read_exact(fd, line, 2) || memcmp(line, "\r\n", 2) != 0)
            return false;
        rep->body_len += n;
    }
    do {
        if (http_read_until(fd, line, sizeof(line), "\r\n") != HTTP_READ_OK)
            return false;
    } while (strcmp(line, "\r\n") != 0);
    return true;
}

/* The fields this client cares about; false if malformed. */
static bool
take_fields(const char *block, size_t pos, struct reply *rep, bool *chunked,
            long *length)
{
    struct http_field f;
    int r;

    while ((r = http_next_field(block, &pos, &f)) == 1) {
        if (http_field_is(block, &f, "Connection") &&
            http_value_has(block, &f, "close"))
            rep->close = true;
        else if (http_field_is(block, &f, "Transfer-Encoding"))
            *chunked = http_value_has(block, &f, "chunked");
        else if (http_field_is(block, &f, "Content-Length"))
            *length = strtol(&block[f.value], NULL, 10);
        else if (http_field_is(block, &f, "WWW-Authenticate") &&
                 f.value_len >= 9 &&
                 strncasecmp(&block[f.value], "Negotiate", 9) == 0) {
            rep->negotiate = true;
            if (f.value_len > 10 && block[f.value + 9] == ' ' &&
                f.value_len - 10 < sizeof(rep->token)) {
                memcpy(rep->token, &block[f.value + 10], f.value_len - 10);
                rep->token[f.value_len - 10] = '\0';
            }
        }
    }
    return r == 0;
}

static bool
read_reply(int fd, struct reply *rep)
{
    static char block[HTTP_HEAD_MAX + 1];
    bool chunked = false;
    long length = -1;
    size_t pos = 0, len;

    memset(rep, 0, sizeof(*rep));
    if (http_read_until(fd, block, sizeof(block), "\r\n\r\n") != HTTP_READ_OK ||
        !http_next_line(block, &pos, &len) || len < 12 ||
        strncmp(block, "HTTP/1.1 ", 9) != 0 ||
        strspn(&block[9], "0123456789") != 3 || block[12] != ' ')
        return false;
    rep->status = atoi(&block[9]);
    if (!take_fields(block, pos, rep, &chunked, &length))
        return false;
    if (chunked)
        return read_chunked(fd, rep);
    if (length < 0 || length > HTTP_BODY_MAX)
        return false;
    rep->body_len = (size_t)length;
    return http_read_exact(fd, rep->body, rep->body_len);
}

/* The initiator's SPNEGO credential: the default one, or with -2 the
 * mechanisms to offer in that order. */
static bool
initiator_cred(gss_cred_id_t *cred)
{
    gss_OID_set_desc want = { 1, &spnego }, offer;
    gss_OID_desc order[2];
    OM_uint32 major, minor;
    char err[300];

    *cred = GSS_C_NO_CREDENTIAL;
    if (!second_choice)
        return true;
    order[0] = krb5_old;
    order[1] = krb5;
    offer.count = 2;
    offer.elements = order;
    major = gss_acquire_cred(&minor, GSS_C_NO_NAME, GSS_C_INDEFINITE, &want,
                             GSS_C_INITIATE, cred, NULL, NULL);
    if (major == GSS_S_COMPLETE)
        major = gss_set_neg_mechs(&minor, *cred, &offer);
    if (major != GSS_S_COMPLETE) {
        wire_status("SPNEGO initiator credential", major, minor, err,
                    sizeof(err));
        fprintf(stderr, "client: %s\n", err);
        return false;
    }
    return true;
}

struct nego {
    gss_cred_id_t cred;
    gss_name_t target;
    gss_ctx_id_t ctx;
    OM_uint32 major, flags;
    gss_buffer_desc in;     /* the server's last token */
    int rounds;
};

/* A token http_b64_decode allocated. */
static void
drop(gss_buffer_t b)
{
    free(b->value);
    b->value = NULL;
    b->length = 0;
}

/* One client step; when it yields a token, one request and its reply. */
static bool
round_trip(int fd, struct nego *n, struct reply *rep, bool *sent)
{
    gss_buffer_desc out = GSS_C_EMPTY_BUFFER;
    OM_uint32 minor;
    char err[300], *b64 = NULL;
    bool ok = false;

    n->major = gss_init_sec_context(&minor, n->cred, &n->ctx, n->target,
                                    &spnego, GSS_C_MUTUAL_FLAG |
                                    GSS_C_INTEG_FLAG | GSS_C_CONF_FLAG |
                                    GSS_C_SEQUENCE_FLAG | GSS_C_REPLAY_FLAG,
                                    0, GSS_C_NO_CHANNEL_BINDINGS, &n->in,
                                    NULL, &out, &n->flags, NULL);
    drop(&n->in);
    *sent = out.length > 0;
    if (GSS_ERROR(n->major)) {
        wire_status("gss_init_sec_context", n->major, minor, err, sizeof(err));
        fprintf(stderr, "client: %s\n", err);
        goto cleanup;
    }
    if (!*sent) {
        ok = true;
        goto cleanup;
    }
    if (n->rounds > 0 && pause_ms > 0)
        usleep((useconds_t)pause_ms * 1000);
    if ((b64 = http_b64_encode(out.value, out.length)) == NULL ||
        !send_get(fd, b64) || !read_reply(fd, rep)) {
        fprintf(stderr, "client: round %d: no reply (connection closed)\n",
                n->rounds + 1);
        goto cleanup;
    }
    n->rounds++;
    printf("round %d: client %s, sent a %zu-byte token; server: HTTP %d, "
           "%s%s\n", n->rounds, n->major == GSS_S_COMPLETE ? "COMPLETE"
           : "CONTINUE_NEEDED", out.length, rep->status, rep->token[0] != '\0'
           ? "reply token" : "no reply token", rep->close ? ", closing" : "");
    fflush(stdout);
    ok = rep->token[0] == '\0' || http_b64_decode(rep->token, &n->in);
cleanup:
    free(b64);
    (void)gss_release_buffer(&minor, &out);
    return ok;
}

/* Rounds until both sides are done; *rep is the final 200. */
static bool
authenticate(int fd, struct nego *n, struct reply *rep)
{
    bool sent;

    rep->status = 0;
    while (n->rounds < MAX_ROUNDS) {
        if (!round_trip(fd, n, rep, &sent))
            return false;
        if (sent && rep->status != 200 &&
            (rep->status != 401 || n->in.length == 0 ||
             n->major != GSS_S_CONTINUE_NEEDED))
            return false;       /* refused, or a 401 without a way on */
        if (rep->status == 200 && n->major == GSS_S_COMPLETE &&
            n->in.length == 0)
            break;              /* both done */
        if (!sent && n->in.length == 0)
            return false;       /* nothing to say and nothing to read */
    }
    if (!(n->flags & GSS_C_MUTUAL_FLAG)) {
        fprintf(stderr, "client: the server was not authenticated\n");
        return false;
    }
    printf("authenticated in %d round%s, mutual\n", n->rounds,
           n->rounds == 1 ? "" : "s");
    return rep->status == 200;
}

static bool
parse_args(int argc, char **argv)
{
    static const struct option longopts[] = {
        { "second-choice", no_argument, NULL, '2' },
        { NULL, 0, NULL, 0 },
    };
    int opt;

    while ((opt = getopt_long(argc, argv, "h:p:s:u:2r:W:", longopts,
                              NULL)) != -1) {
        switch (opt) {
        case 'h': host = optarg; break;
        case 'p': port = atoi(optarg); break;
        case 's': service = optarg; break;
        case 'u': path = optarg; break;
        case '2': second_choice = true; break;
        case 'r': requests = atoi(optarg); break;
        case 'W': pause_ms = atoi(optarg); break;
        default: return false;
        }
    }
    return optind == argc && port > 0 && requests >= 1 && path[0] == '/' &&
           strcspn(path, " \r\n") == strlen(path);
}

/* Requests 2..N: no Authorization, the connection's identity. */
static bool
more_requests(int fd, struct reply *rep)
{
    for (int i = 2; i <= requests; i++) {
        if (pause_ms > 0)
            usleep((useconds_t)pause_ms * 1000);
        if (!send_get(fd, NULL) || !read_reply(fd, rep)) {
            fprintf(stderr, "client: request %d: no reply (connection "
                            "closed)\n", i);
            return false;
        }
        printf("request %d (no Authorization): HTTP %d: %.*s", i, rep->status,
               (int)rep->body_len, rep->body);
        fflush(stdout);
        if (rep->status != 200)
            return false;
    }
    return true;
}

int
main(int argc, char **argv)
{
    static struct reply rep;
    struct nego n = { GSS_C_NO_CREDENTIAL, GSS_C_NO_NAME, GSS_C_NO_CONTEXT,
                      0, 0, GSS_C_EMPTY_BUFFER, 0 };
    gss_buffer_desc name;
    OM_uint32 minor;
    bool ok = false;
    int fd = -1;

    if (!parse_args(argc, argv)) {
        fprintf(stderr, "usage: baton-negotiate-client [-h ADDRESS] -p PORT "
                "[-s SERVICE] [-u PATH] [-2|--second-choice] [-r REQUESTS] "
                "[-W MILLISECONDS]\n");
        return 2;
    }
    name.value = (void *)service;
    name.length = strlen(service);
    if (gss_import_name(&minor, &name, GSS_C_NT_HOSTBASED_SERVICE,
                        &n.target) != GSS_S_COMPLETE ||
        !initiator_cred(&n.cred) || (fd = dial()) < 0)
        goto cleanup;
    if (!authenticate(fd, &n, &rep)) {
        printf("authentication failed: HTTP %d: %.*s\n", rep.status,
               (int)rep.body_len, rep.body);
        goto cleanup;
    }
    printf("request 1: HTTP %d: %.*s", rep.status, (int)rep.body_len,
           rep.body);
    fflush(stdout);
    ok = more_requests(fd, &rep);
cleanup:
    if (fd >= 0)
        close(fd);
    drop(&n.in);
    (void)gss_delete_sec_context(&minor, &n.ctx, GSS_C_NO_BUFFER);
    (void)gss_release_name(&minor, &n.target);
    (void)gss_release_cred(&minor, &n.cred);
    return ok ? 0 : 1;
}
