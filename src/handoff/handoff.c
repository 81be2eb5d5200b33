/*
 * handoff.c - a context and its connection, handed to another process
 * over a Unix-domain stream socket.
 *
 *   request: "BTHO" | u32 token length | token       (conn fd attached,
 *                                                     SCM_RIGHTS)
 *   reply:   "BTOK" | u32 major | u32 minor          (the import result)
 *
 * The sender keeps the context recoverable until the reply says the
 * receiver imported it: a token nobody imported can be imported back.
 */
#define _GNU_SOURCE
#include <baton/baton.h>

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/types.h>
#include <unistd.h>

#include "glue/glue.h"
#include "transfer/settings.h"
#include "util/mem.h"
#include "util/reader.h"
#include "util/writer.h"

#define HDR_LEN 8
#define ACK_LEN 12
#define MAX_TOKEN 65536

static bool
write_all(int fd, const void *p, size_t n)
{
    const char *c = p;

    while (n > 0) {
        ssize_t w = send(fd, c, n, MSG_NOSIGNAL);

        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0)
            return false;
        c += w;
        n -= (size_t)w;
    }
    return true;
}

static bool
read_all(int fd, void *p, size_t n)
{
    char *c = p;

    while (n > 0) {
        ssize_t r = recv(fd, c, n, 0);

        if (r < 0 && errno == EINTR)
            continue;
        if (r <= 0)
            return false;
        c += r;
        n -= (size_t)r;
    }
    return true;
}

/* The process at the other end must be one the transfer policy admits. */
static bool
peer_allowed(int sock)
{
    struct bt_transfer_settings s;
    struct ucred uc;
    socklen_t len = sizeof(uc);

    if (bt_transfer_settings(&s) != 0 ||
        getsockopt(sock, SOL_SOCKET, SO_PEERCRED, &uc, &len) != 0)
        return false;
    switch (s.policy) {
    case BATON_POLICY_UID:
        return uc.uid == geteuid();
    case BATON_POLICY_PGRP:
        return getpgid(uc.pid) == getpgrp();
    default:
        return true;
    }
}

/* Sends the request header with the descriptor, then the token. */
static bool
send_request(int sock, const gss_buffer_desc *tok, int conn_fd)
{
    char cbuf[CMSG_SPACE(sizeof(int))];
    struct bt_writer w;
    struct msghdr m;
    struct iovec iov;
    struct cmsghdr *c;
    bool ok;

    bt_wr_init(&w, false);
    bt_wr_bytes(&w, "BTHO", 4);
    bt_wr_u32be(&w, (uint32_t)tok->length);
    if (!bt_wr_ok(&w))
        return false;
    memset(&m, 0, sizeof(m));
    memset(cbuf, 0, sizeof(cbuf));
    iov.iov_base = w.data;
    iov.iov_len = w.len;
    m.msg_iov = &iov;
    m.msg_iovlen = 1;
    m.msg_control = cbuf;
    m.msg_controllen = sizeof(cbuf);
    c = CMSG_FIRSTHDR(&m);
    c->cmsg_level = SOL_SOCKET;
    c->cmsg_type = SCM_RIGHTS;
    c->cmsg_len = CMSG_LEN(sizeof(int));
    memcpy(CMSG_DATA(c), &conn_fd, sizeof(int));
    do {
        ok = sendmsg(sock, &m, MSG_NOSIGNAL) == (ssize_t)w.len;
    } while (!ok && errno == EINTR);
    bt_wr_free(&w);
    return ok && write_all(sock, tok->value, tok->length);
}

static OM_uint32
read_ack(OM_uint32 *minor, int sock)
{
    uint8_t buf[ACK_LEN];
    struct bt_reader r;
    OM_uint32 major, code;

    if (!read_all(sock, buf, sizeof(buf)))
        return bt_fail(minor, GSS_S_FAILURE, BT_E_HANDOFF_PEER_GONE);
    bt_rd_init(&r, buf, sizeof(buf));
    bt_rd_expect_u8(&r, 'B');
    bt_rd_expect_u8(&r, 'T');
    bt_rd_expect_u8(&r, 'O');
    bt_rd_expect_u8(&r, 'K');
    major = bt_rd_u32be(&r);
    code = bt_rd_u32be(&r);
    if (!bt_rd_done(&r))
        return bt_fail(minor, GSS_S_FAILURE, BT_E_HANDOFF_PROTOCOL);
    if (major != GSS_S_COMPLETE)
        return bt_fail(minor, GSS_S_FAILURE, code != 0 ? code
                                                       : BT_E_HANDOFF_REFUSED);
    return GSS_S_COMPLETE;
}

BT_EXPORT OM_uint32
baton_handoff_send(OM_uint32 *minor_status, int sock,
                   gss_ctx_id_t *context_handle, int conn_fd)
{
    gss_buffer_desc tok = GSS_C_EMPTY_BUFFER;
    OM_uint32 major, tmp;

    if (minor_status != NULL)
        *minor_status = 0;
    if (context_handle == NULL)
        return bt_fail(minor_status, GSS_S_CALL_INACCESSIBLE_WRITE, 0);
    if (!peer_allowed(sock))
        return bt_fail(minor_status, GSS_S_UNAUTHORIZED,
                       BT_E_HANDOFF_PEER_POLICY);
    major = gss_export_sec_context(minor_status, context_handle, &tok);
    if (major != GSS_S_COMPLETE)
        return major;
    major = send_request(sock, &tok, conn_fd)
            ? read_ack(minor_status, sock)
            : bt_fail(minor_status, GSS_S_FAILURE, BT_E_HANDOFF_PEER_GONE);
    if (major != GSS_S_COMPLETE) {
        /* Nobody holds the context: take it back.  If the receiver did
         * import it and only its reply was lost, the import here fails on
         * the single-use ledger and the receiver keeps the only copy. */
        (void)gss_import_sec_context(&tmp, &tok, context_handle);
    }
    (void)gss_release_buffer(&tmp, &tok);
    return major;
}

/* Receives the header and the descriptor that rides with it.  Any extra
 * descriptors are closed; a header without one is refused. */
static OM_uint32
recv_header(OM_uint32 *minor, int sock, size_t *len, int *fd)
{
    char cbuf[CMSG_SPACE(4 * sizeof(int))];
    uint8_t hdr[HDR_LEN];
    struct msghdr m;
    struct iovec iov;
    struct cmsghdr *c;
    struct bt_reader r;
    ssize_t got;
    size_t have;

    *fd = -1;
    memset(&m, 0, sizeof(m));
    iov.iov_base = hdr;
    iov.iov_len = sizeof(hdr);
    m.msg_iov = &iov;
    m.msg_iovlen = 1;
    m.msg_control = cbuf;
    m.msg_controllen = sizeof(cbuf);
    do {
        got = recvmsg(sock, &m, MSG_CMSG_CLOEXEC);
    } while (got < 0 && errno == EINTR);
    if (got <= 0)
        return bt_fail(minor, GSS_S_FAILURE, BT_E_HANDOFF_PEER_GONE);
    for (c = CMSG_FIRSTHDR(&m); c != NULL; c = CMSG_NXTHDR(&m, c)) {
        size_t n = (c->cmsg_len - CMSG_LEN(0)) / sizeof(int);

        for (size_t i = 0; c->cmsg_level == SOL_SOCKET &&
                           c->cmsg_type == SCM_RIGHTS && i < n; i++) {
            int one;

            memcpy(&one, CMSG_DATA(c) + i * sizeof(int), sizeof(int));
            if (*fd < 0)
                *fd = one;
            else
                close(one);
        }
    }
    have = (size_t)got;
    if (have < sizeof(hdr) && !read_all(sock, hdr + have, sizeof(hdr) - have))
        return bt_fail(minor, GSS_S_FAILURE, BT_E_HANDOFF_PEER_GONE);
    bt_rd_init(&r, hdr, sizeof(hdr));
    bt_rd_expect_u8(&r, 'B');
    bt_rd_expect_u8(&r, 'T');
    bt_rd_expect_u8(&r, 'H');
    bt_rd_expect_u8(&r, 'O');
    *len = bt_rd_u32be(&r);
    if (!bt_rd_done(&r) || *len == 0 || *len > MAX_TOKEN)
        return bt_fail(minor, GSS_S_DEFECTIVE_TOKEN, BT_E_HANDOFF_PROTOCOL);
    if (*fd < 0)
        return bt_fail(minor, GSS_S_DEFECTIVE_TOKEN, BT_E_HANDOFF_NO_FD);
    return GSS_S_COMPLETE;
}

static void
send_ack(int sock, OM_uint32 major, OM_uint32 minor)
{
    struct bt_writer w;

    bt_wr_init(&w, false);
    bt_wr_bytes(&w, "BTOK", 4);
    bt_wr_u32be(&w, major);
    bt_wr_u32be(&w, minor);
    if (bt_wr_ok(&w))
        (void)write_all(sock, w.data, w.len);
    bt_wr_free(&w);
}

BT_EXPORT OM_uint32
baton_handoff_recv(OM_uint32 *minor_status, int sock,
                   gss_ctx_id_t *context_handle, int *conn_fd)
{
    gss_buffer_desc tok = GSS_C_EMPTY_BUFFER;
    gss_ctx_id_t ctx = GSS_C_NO_CONTEXT;
    OM_uint32 major, minor = 0;
    size_t len = 0;
    int fd = -1;

    if (minor_status != NULL)
        *minor_status = 0;
    if (context_handle == NULL || conn_fd == NULL)
        return bt_fail(minor_status, GSS_S_CALL_INACCESSIBLE_WRITE, 0);
    *context_handle = GSS_C_NO_CONTEXT;
    *conn_fd = -1;
    if (!peer_allowed(sock))
        return bt_fail(minor_status, GSS_S_UNAUTHORIZED,
                       BT_E_HANDOFF_PEER_POLICY);
    major = recv_header(&minor, sock, &len, &fd);
    if (major == GSS_S_COMPLETE && (tok.value = malloc(len)) == NULL)
        major = bt_fail(&minor, GSS_S_FAILURE, ENOMEM);
    tok.length = tok.value != NULL ? len : 0;
    if (major == GSS_S_COMPLETE && !read_all(sock, tok.value, len))
        major = bt_fail(&minor, GSS_S_FAILURE, BT_E_HANDOFF_PEER_GONE);
    if (major == GSS_S_COMPLETE)
        major = gss_import_sec_context(&minor, &tok, &ctx);
    /* The sender waits for this: success hands it the context's fate. */
    send_ack(sock, major, minor);
    bt_free_secret(tok.value, tok.length);
    if (major != GSS_S_COMPLETE) {
        if (fd >= 0)
            close(fd);
        return bt_fail(minor_status, major, minor);
    }
    *context_handle = ctx;
    *conn_fd = fd;
    return GSS_S_COMPLETE;
}
