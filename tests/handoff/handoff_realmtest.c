/* baton_handoff_send / baton_handoff_recv between forked processes over a
 * socketpair, in a realm: success, a receiver that dies or refuses, a
 * receiver the policy excludes, malformed messages. */
#include "check.h"

#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <stdio.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include <baton/baton.h>
#include <gssapi/gssapi_krb5.h>

struct pair {
    gss_ctx_id_t init, acc;
};

static void
establish(struct pair *p)
{
    const char *s = getenv("BATON_SERVICE");
    gss_buffer_desc b = { strlen(s), (void *)s }, a = GSS_C_EMPTY_BUFFER,
                    r = GSS_C_EMPTY_BUFFER;
    gss_name_t t = GSS_C_NO_NAME;
    OM_uint32 minor;

    memset(p, 0, sizeof(*p));
    gss_import_name(&minor, &b, GSS_C_NT_HOSTBASED_SERVICE, &t);
    gss_init_sec_context(&minor, GSS_C_NO_CREDENTIAL, &p->init, t,
                         gss_mech_krb5, GSS_C_MUTUAL_FLAG, 0, NULL, NULL,
                         NULL, &a, NULL, NULL);
    CHECK_MAJOR(gss_accept_sec_context(&minor, &p->acc, GSS_C_NO_CREDENTIAL,
                                       &a, NULL, NULL, NULL, &r, NULL, NULL,
                                       NULL), GSS_S_COMPLETE);
    gss_release_buffer(&minor, &a);
    CHECK_MAJOR(gss_init_sec_context(&minor, GSS_C_NO_CREDENTIAL, &p->init, t,
                                     gss_mech_krb5, GSS_C_MUTUAL_FLAG, 0,
                                     NULL, &r, NULL, &a, NULL, NULL),
                GSS_S_COMPLETE);
    gss_release_buffer(&minor, &r);
    gss_release_name(&minor, &t);
}

static void
release(struct pair *p)
{
    OM_uint32 minor;

    gss_delete_sec_context(&minor, &p->init, NULL);
    gss_delete_sec_context(&minor, &p->acc, NULL);
}

/* A receiver process: imports, unwraps one message from the pipe end it
 * got as the connection, answers "ok" on it, exits 0 on success. */
static int
receiver(int sock)
{
    gss_ctx_id_t ctx;
    gss_buffer_desc in, out;
    OM_uint32 minor;
    char buf[4096];
    ssize_t n;
    int conn;

    if (baton_handoff_recv(&minor, sock, &ctx, &conn) != GSS_S_COMPLETE)
        return 1;
    n = read(conn, buf, sizeof(buf));
    in.value = buf;
    in.length = n > 0 ? (size_t)n : 0;
    if (gss_unwrap(&minor, ctx, &in, &out, NULL, NULL) != GSS_S_COMPLETE)
        return 2;
    gss_release_buffer(&minor, &out);
    return write(conn, "ok", 2) == 2 ? 0 : 3;
}

static pid_t
fork_with(int (*fn)(int), int sock, int close_fd)
{
    pid_t pid = fork();

    if (pid == 0) {
        close(close_fd);
        _exit(fn(sock));
    }
    return pid;
}

static int
wait_exit(pid_t pid)
{
    int status = -1;

    waitpid(pid, &status, 0);
    return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

static void
context_and_connection_arrive(void)
{
    struct pair p;
    int sv[2], conn[2];
    gss_buffer_desc m = { 5, (void *)"hello" }, w;
    OM_uint32 minor;
    char reply[2];
    pid_t pid;

    establish(&p);
    CHECK(socketpair(AF_UNIX, SOCK_STREAM, 0, sv) == 0);
    CHECK(socketpair(AF_UNIX, SOCK_STREAM, 0, conn) == 0);
    pid = fork_with(receiver, sv[1], sv[0]);
    close(sv[1]);
    CHECK_MAJOR(baton_handoff_send(&minor, sv[0], &p.acc, conn[1]),
                GSS_S_COMPLETE);
    CHECK(p.acc == GSS_C_NO_CONTEXT);
    close(conn[1]);
    gss_wrap(&minor, p.init, 1, 0, &m, NULL, &w);
    CHECK(write(conn[0], w.value, w.length) == (ssize_t)w.length);
    gss_release_buffer(&minor, &w);
    CHECK(read(conn[0], reply, 2) == 2 && memcmp(reply, "ok", 2) == 0);
    CHECK(wait_exit(pid) == 0);
    close(sv[0]);
    close(conn[0]);
    release(&p);
}

static int
die_at_once(int sock)
{
    (void)sock;
    return 0;
}

/* The receiver is gone before reading: the sender keeps a usable context
 * and no SIGPIPE kills it. */
static void
dead_receiver_keeps_context(void)
{
    struct pair p;
    int sv[2], conn[2];
    gss_buffer_desc m = { 2, (void *)"hi" }, w, out;
    OM_uint32 minor;
    pid_t pid;

    establish(&p);
    CHECK(socketpair(AF_UNIX, SOCK_STREAM, 0, sv) == 0);
    CHECK(socketpair(AF_UNIX, SOCK_STREAM, 0, conn) == 0);
    pid = fork_with(die_at_once, sv[1], sv[0]);
    close(sv[1]);
    CHECK(wait_exit(pid) == 0);
    CHECK_MAJOR(baton_handoff_send(&minor, sv[0], &p.acc, conn[1]),
                GSS_S_FAILURE);
    CHECK(p.acc != GSS_C_NO_CONTEXT);
    gss_wrap(&minor, p.init, 1, 0, &m, NULL, &w);
    CHECK_MAJOR(gss_unwrap(&minor, p.acc, &w, &out, NULL, NULL),
                GSS_S_COMPLETE);
    gss_release_buffer(&minor, &w);
    gss_release_buffer(&minor, &out);
    close(sv[0]);
    close(conn[0]);
    close(conn[1]);
    release(&p);
}

/* Policy uid: a receiver running as another user gets nothing.  It must
 * own its socket (SO_PEERCRED reports who made it), so it listens on an
 * abstract Unix address and the sender connects. */
static void
receiver_of_another_uid_is_refused(void)
{
    struct sockaddr_un sa;
    struct pair p;
    int ready[2], fd, conn[2];
    OM_uint32 minor;
    gss_ctx_id_t before;
    char c;
    pid_t pid;

    establish(&p);
    memset(&sa, 0, sizeof(sa));
    sa.sun_family = AF_UNIX;
    snprintf(sa.sun_path + 1, sizeof(sa.sun_path) - 1, "baton-handoff-%ld",
             (long)getpid());
    CHECK(pipe(ready) == 0);
    pid = fork();
    if (pid == 0) {
        int l, a;
        gss_ctx_id_t ctx;

        if (setgid(65534) != 0 || setuid(65534) != 0)
            _exit(9);
        l = socket(AF_UNIX, SOCK_STREAM, 0);
        if (bind(l, (struct sockaddr *)&sa, sizeof(sa)) != 0 ||
            listen(l, 1) != 0 || write(ready[1], "r", 1) != 1)
            _exit(8);
        a = accept(l, NULL, NULL);
        _exit(baton_handoff_recv(&minor, a, &ctx, &fd) == GSS_S_COMPLETE);
    }
    CHECK(read(ready[0], &c, 1) == 1);
    fd = socket(AF_UNIX, SOCK_STREAM, 0);
    CHECK(connect(fd, (struct sockaddr *)&sa, sizeof(sa)) == 0);
    CHECK(socketpair(AF_UNIX, SOCK_STREAM, 0, conn) == 0);
    before = p.acc;
    CHECK_MAJOR(baton_handoff_send(&minor, fd, &p.acc, conn[1]),
                GSS_S_UNAUTHORIZED);
    CHECK(p.acc == before);
    close(fd);
    CHECK(wait_exit(pid) == 0);         /* the receiver got nothing */
    close(ready[0]);
    close(ready[1]);
    close(conn[0]);
    close(conn[1]);
    release(&p);
}

/* A garbage message is refused and the descriptor it carried is closed. */
static void
malformed_message_is_refused(void)
{
    int sv[2];
    gss_ctx_id_t ctx = (gss_ctx_id_t)1;
    OM_uint32 minor;
    int conn = 7;

    CHECK(socketpair(AF_UNIX, SOCK_STREAM, 0, sv) == 0);
    CHECK(write(sv[0], "BTHO\0\0\0\5hello", 13) == 13);
    CHECK_MAJOR(baton_handoff_recv(&minor, sv[1], &ctx, &conn),
                GSS_S_DEFECTIVE_TOKEN);     /* no descriptor attached */
    CHECK(ctx == GSS_C_NO_CONTEXT && conn == -1);
    CHECK(write(sv[0], "XXXX\0\0\0\5hello", 13) == 13);
    CHECK(GSS_ERROR(baton_handoff_recv(&minor, sv[1], &ctx, &conn)) != 0);
    close(sv[0]);
    CHECK(GSS_ERROR(baton_handoff_recv(&minor, sv[1], &ctx, &conn)) != 0);
    close(sv[1]);
}

BT_TEST_MAIN(context_and_connection_arrive, dead_receiver_keeps_context,
             receiver_of_another_uid_is_refused, malformed_message_is_refused)
