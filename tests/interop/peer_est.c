/*
 * peer_est.c - establishing the interop peer's contexts (peer.c): channel
 * bindings, the initiator's and the acceptor's loops, and the checks every
 * established context must pass.  Every step is noted on stderr with its
 * status, ret_flags, reported mechanism and output token (decoded by
 * peer_neg.c), and so is every token received: a case's peers.err is the
 * record of what each implementation did.
 */
#define _POSIX_C_SOURCE 200809L
#include "peer.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static struct gss_channel_bindings_struct cb_storage;

gss_channel_bindings_t
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

static void
est_start(struct est *e, gss_ctx_id_t resume)
{
    memset(e, 0, sizeof(*e));
    e->ctx = resume;
    e->peer = GSS_C_NO_NAME;
    e->deleg = GSS_C_NO_CREDENTIAL;
    e->mech.elements = e->mech_bytes;
    if (resume != GSS_C_NO_CONTEXT)
        e->steps = resumed_steps;
}

/* Notes one step (call: "init" or "accept") and keeps its output token
 * and reported mechanism. */
static void
record_step(struct est *e, const char *call, gss_const_OID m,
            const gss_buffer_desc *out)
{
    if (m != GSS_C_NO_OID && m != &unwritten_oid &&
        m->length <= sizeof(e->mech_bytes)) {
        memcpy(e->mech_bytes, m->elements, m->length);
        e->mech.length = m->length;
    }
    note("%s step %d: %s; ret_flags %s; %s %s; output %zu bytes: %s", call,
         e->steps, status_str(e->major, e->minor), flags_str(e->flags),
         call[0] == 'i' ? "actual_mech_type" : "mech_type", oid_name(m),
         out->length, tok_describe(out));
    tok_dump(call[0] == 'i' ? "init->acc" : "acc->init", out);
    free(e->last_out.value);
    copy_out(&e->last_out, out);
    if (out->length > 0 && e->n_out++ == 0)
        copy_out(&e->first_out, out);
}

static void
record_input(struct est *e, const gss_buffer_desc *in)
{
    note("received %zu bytes: %s", in->length, tok_describe(in));
    if (e->first_in.value == NULL)
        copy_out(&e->first_in, in);
}

struct init_args {
    int fd;
    gss_cred_id_t cred;
    gss_name_t tname;
    OM_uint32 req;
    gss_channel_bindings_t cb;
};

/* One gss_init_sec_context call; 1 if the loop needs the acceptor's next
 * token. */
static int
init_step(const struct init_args *a, struct est *e, gss_buffer_desc *in)
{
    gss_buffer_desc out = {0, NULL}, wire;
    gss_OID actual = &unwritten_oid;
    OM_uint32 min;
    int own;

    e->flags = 0;
    e->major = gss_init_sec_context(&e->minor, a->cred, &e->ctx, a->tname,
                                    mech == MECH_SPNEGO ? &spnego_oid_desc
                                                        : &krb5_oid_desc,
                                    a->req, 0, a->cb, in, &actual, &out,
                                    &e->flags, &e->time_rec);
    e->steps++;
    record_step(e, "init", actual, &out);
    own = spnego_outgoing(e, &out, &wire);
    /* An error token (MIT's SPNEGO initiator makes a reject) is noted, not
     * sent: the acceptor has given up already and may be gone. */
    if (wire.length > 0 && !GSS_ERROR(e->major))
        send_frame(a->fd, wire.value, wire.length);
    if (own)
        free(wire.value);
    gss_release_buffer(&min, &out);
    if (GSS_ERROR(e->major) || e->major == GSS_S_COMPLETE)
        return 0;
    if (e->major != GSS_S_CONTINUE_NEEDED) {
        fail("gss_init_sec_context: unexpected %s",
             status_str(e->major, e->minor));
        return 0;
    }
    check_early_mech(e->steps, actual);
    return 1;
}

void
init_context(int fd, gss_cred_id_t cred, const char *target, OM_uint32 req,
             gss_channel_bindings_t cb, gss_ctx_id_t resume, struct est *e)
{
    struct init_args a = {fd, cred, GSS_C_NO_NAME, req, cb};
    gss_buffer_desc in, lib_in;
    OM_uint32 min;
    int more = 1, own;

    a.tname = import_name(target, GSS_C_NT_HOSTBASED_SERVICE);
    est_start(e, resume);
    if (resume == GSS_C_NO_CONTEXT) {
        more = init_step(&a, e, GSS_C_NO_BUFFER);
        if (more)
            maybe_export_partial(e);
    }
    while (more) {
        if (!recv_frame_opt(fd, &in) || in.length == 0) {
            free_frame(&in);
            note("the acceptor sent no further token");
            e->peer_closed = 1;
            break;
        }
        record_input(e, &in);
        tok_dump("init<-acc", &in);
        own = spnego_incoming(e, &in, &lib_in);
        more = init_step(&a, e, &lib_in);
        if (own)
            free(lib_in.value);
        free_frame(&in);
    }
    if (e->major == GSS_S_COMPLETE)
        check_mech("gss_init_sec_context actual_mech_type", &e->mech);
    gss_release_name(&min, &a.tname);
}

/* One gss_accept_sec_context call on token in; 1 if the loop needs the
 * initiator's next token. */
static int
accept_step(int fd, gss_cred_id_t cred, gss_channel_bindings_t cb,
            gss_buffer_desc *in, struct est *e)
{
    gss_buffer_desc out = {0, NULL};
    gss_OID m = &unwritten_oid;
    OM_uint32 min;

    if (e->peer != GSS_C_NO_NAME)
        gss_release_name(&min, &e->peer);
    e->flags = 0;
    e->major = gss_accept_sec_context(&e->minor, &e->ctx, cred, in, cb,
                                      &e->peer, &m, &out, &e->flags,
                                      &e->time_rec, &e->deleg);
    e->steps++;
    record_step(e, "accept", m, &out);
    /* On failure always answer, even with an empty frame, so that a
     * waiting initiator learns the outcome instead of blocking. */
    if (out.length > 0 || GSS_ERROR(e->major))
        send_frame(fd, out.value, out.length);
    gss_release_buffer(&min, &out);
    return e->major == GSS_S_CONTINUE_NEEDED;
}

void
accept_context(int fd, gss_cred_id_t cred, gss_channel_bindings_t cb,
               gss_ctx_id_t resume, struct est *e)
{
    gss_buffer_desc in;
    int more = 1, first = resume == GSS_C_NO_CONTEXT;

    est_start(e, resume);
    while (more) {
        recv_frame(fd, &in);
        record_input(e, &in);
        tok_dump("acc<-init", &in);
        more = accept_step(fd, cred, cb, &in, e);
        free_frame(&in);
        if (more && first)
            maybe_export_partial(e);
        first = 0;
    }
    if (e->major == GSS_S_COMPLETE)
        check_mech("gss_accept_sec_context mech_type", &e->mech);
}

/* ret_flags: what the initiator asked for is what both sides report (the
 * realm's TGT is forwardable, so delegation is granted). */
static void
check_flags(const struct est *e, OM_uint32 req)
{
    static const OM_uint32 mirrored[] = {GSS_C_MUTUAL_FLAG, GSS_C_REPLAY_FLAG,
                                         GSS_C_SEQUENCE_FLAG,
                                         GSS_C_DELEG_FLAG};
    size_t i;

    for (i = 0; i < sizeof(mirrored) / sizeof(mirrored[0]); i++) {
        OM_uint32 b = mirrored[i];
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
}

void
check_established(const struct est *e, int initiator, OM_uint32 req,
                  const char *want_src, const char *want_targ)
{
    OM_uint32 maj, min, lifetime = 0, cflags = 0;
    const OM_uint32 loose = GSS_C_TRANS_FLAG | GSS_C_PROT_READY_FLAG;
    gss_name_t src = GSS_C_NO_NAME, targ = GSS_C_NO_NAME;
    gss_OID m = GSS_C_NO_OID;
    int local = -1, open = -1;

    note("established in %d step(s), %d token(s) out, flags %s, time_rec %lu",
         e->steps, e->n_out, flags_str(e->flags), (unsigned long)e->time_rec);
    check_flags(e, req);
    maj = gss_inquire_context(&min, e->ctx, &src, &targ, &lifetime, &m,
                              &cflags, &local, &open);
    if (maj != GSS_S_COMPLETE) {
        fail("gss_inquire_context: %s", status_str(maj, min));
        return;
    }
    note("inquire_context: mech_type %s, flags %s", oid_name(m),
         flags_str(cflags));
    if (strcmp(name_str(src), want_src) != 0)
        fail("inquire_context src_name \"%s\", want \"%s\"", name_str(src),
             want_src);
    if (strcmp(name_str(targ), want_targ) != 0)
        fail("inquire_context targ_name \"%s\", want \"%s\"", name_str(targ),
             want_targ);
    check_mech("gss_inquire_context mech_type", m);
    if (local != initiator)
        fail("inquire_context locally_initiated %d, want %d", local,
             initiator);
    if (!open)
        fail("inquire_context: context not open");
    if (lifetime == 0)
        fail("inquire_context lifetime 0");
    /* PROT_READY and TRANS aside (MIT's initiator leaves PROT_READY out
     * of a one-step establishment's ret_flags but reports it here). */
    if ((cflags & ~loose) != (e->flags & ~loose))
        fail("inquire_context flags %s differ from the establishment's %s",
             flags_str(cflags), flags_str(e->flags));
    gss_release_name(&min, &src);
    gss_release_name(&min, &targ);
}

void
est_release(struct est *e)
{
    OM_uint32 min;

    if (e->deleg != GSS_C_NO_CREDENTIAL)
        gss_release_cred(&min, &e->deleg);
    if (e->peer != GSS_C_NO_NAME)
        gss_release_name(&min, &e->peer);
    free(e->first_in.value);
    free(e->first_out.value);
    free(e->last_out.value);
    e->first_in.value = e->first_out.value = e->last_out.value = NULL;
    if (e->ctx != GSS_C_NO_CONTEXT)
        gss_delete_sec_context(&min, &e->ctx, GSS_C_NO_BUFFER);
}
