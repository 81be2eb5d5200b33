/*
 * peer.c - both ends of the transfer tests' peer process.
 */
#include "transfer/peer.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <baton/baton.h>
#include <gssapi/gssapi_krb5.h>

static bool
write_all(int fd, const void *p, size_t n)
{
    const char *c = p;

    while (n > 0) {
        ssize_t w = write(fd, c, n);

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
        ssize_t r = read(fd, c, n);

        if (r <= 0)
            return false;
        c += r;
        n -= (size_t)r;
    }
    return true;
}

static bool
send_buf(int fd, const void *p, size_t n)
{
    uint32_t len = (uint32_t)n;

    return write_all(fd, &len, 4) && write_all(fd, p, n);
}

static bool
recv_buf(int fd, gss_buffer_desc *b)
{
    uint32_t len;

    b->value = NULL;
    b->length = 0;
    if (!read_all(fd, &len, 4) || len > (1u << 24))
        return false;
    b->value = malloc(len + 1);
    b->length = len;
    return b->value != NULL && read_all(fd, b->value, len);
}

bool
peer_start(struct peer *p, const char *self, void (*setup)(void))
{
    int in[2], out[2];

    if (pipe(in) != 0 || pipe(out) != 0)
        return false;
    p->pid = fork();
    if (p->pid < 0)
        return false;
    if (p->pid == 0) {
        dup2(in[0], 0);
        dup2(out[1], 1);
        close(in[0]);
        close(in[1]);
        close(out[0]);
        close(out[1]);
        if (setup != NULL)
            setup();
        execl(self, self, "peer", (char *)NULL);
        _exit(127);
    }
    close(in[0]);
    close(out[1]);
    p->to = in[1];
    p->from = out[0];
    return true;
}

bool
peer_call(struct peer *p, enum peer_cmd cmd, const void *a, size_t alen,
          const void *b, size_t blen, struct reply *r)
{
    char c = (char)cmd;
    uint32_t st[2];

    memset(r, 0, sizeof(*r));
    if (!write_all(p->to, &c, 1) || !send_buf(p->to, a, alen) ||
        !send_buf(p->to, b, blen))
        return false;
    if (!read_all(p->from, st, sizeof(st)) || !recv_buf(p->from, &r->buf))
        return false;
    r->major = st[0];
    r->minor = st[1];
    return true;
}

int
peer_stop(struct peer *p)
{
    struct reply r;
    int status = 0;

    (void)peer_call(p, PEER_QUIT, "", 0, "", 0, &r);
    free(r.buf.value);
    close(p->to);
    close(p->from);
    if (waitpid(p->pid, &status, 0) != p->pid)
        return -1;
    return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

/* ---- the peer process ---- */

static gss_ctx_id_t ctx = GSS_C_NO_CONTEXT;

static OM_uint32
run(char cmd, gss_buffer_desc *a, gss_buffer_desc *b, OM_uint32 *minor,
    gss_buffer_desc *out)
{
    gss_name_t none = GSS_C_NO_NAME;

    switch (cmd) {
    case PEER_IMPORT:
        return gss_import_sec_context(minor, a, &ctx);
    case PEER_WRAP:
        return gss_wrap(minor, ctx, 1, 0, a, NULL, out);
    case PEER_UNWRAP:
        return gss_unwrap(minor, ctx, a, out, NULL, NULL);
    case PEER_MIC:
        return gss_get_mic(minor, ctx, 0, a, out);
    case PEER_VERIFY:
        return gss_verify_mic(minor, ctx, a, b, NULL);
    case PEER_INIT:
        /* The target name lives in the imported context: NO_NAME here is
         * refused by the glue, so pass the context's own. */
        (void)gss_inquire_context(minor, ctx, NULL, &none, NULL, NULL, NULL,
                                  NULL, NULL);
        {
            OM_uint32 m2, major = gss_init_sec_context(
                minor, GSS_C_NO_CREDENTIAL, &ctx, none, GSS_C_NO_OID,
                GSS_C_MUTUAL_FLAG, 0, NULL, a, NULL, out, NULL, NULL);

            gss_release_name(&m2, &none);
            return major;
        }
    case PEER_SET_KEY:
        *minor = (OM_uint32)baton_transfer_set_key(a->value, a->length);
        return *minor == 0 ? GSS_S_COMPLETE : GSS_S_FAILURE;
    default:
        *minor = 0;
        return GSS_S_COMPLETE;
    }
}

int
peer_main(void)
{
    for (;;) {
        gss_buffer_desc a, b, out = GSS_C_EMPTY_BUFFER;
        OM_uint32 st[2], minor = 0, m2;
        char cmd;

        if (!read_all(0, &cmd, 1) || !recv_buf(0, &a) || !recv_buf(0, &b))
            return 2;
        st[0] = run(cmd, &a, &b, &minor, &out);
        st[1] = minor;
        free(a.value);
        free(b.value);
        if (!write_all(1, st, sizeof(st)) ||
            !send_buf(1, out.value, out.length))
            return 2;
        gss_release_buffer(&m2, &out);
        if (cmd == PEER_QUIT)
            break;
    }
    if (ctx != GSS_C_NO_CONTEXT) {
        OM_uint32 m;

        gss_delete_sec_context(&m, &ctx, NULL);
    }
    return 0;
}
