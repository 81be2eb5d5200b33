/*
 * krb5_ctx_fixture.h - Kerberos security contexts built directly from
 * fixed keys (no handshake), wrapped in glue contexts the way
 * tests/glue/fake_mech.h publishes its own: for the targets that attack a
 * step past the crypto (AP-REP, Wrap and MIC tokens) and for the seed
 * generator.  Uses Baton's internals (src/ is on the include path).
 */
#ifndef BATON_FUZZ_KRB5_CTX_FIXTURE_H_
#define BATON_FUZZ_KRB5_CTX_FIXTURE_H_

#include "krb5_fixture.h"

#include "glue/glue.h"
#include "mech/krb5/ctx.h"

/* The application transfer key of gss_import_sec_context_fuzz, which
 * make_krb5_seeds.c seals its raw-mode seeds with (32 octets). */
#define FX_APP_KEY "baton-fuzz-app-key-0123456789abc"

struct fx_ctx_spec {
    bool initiator;
    bool acceptor_subkey;       /* the context key is an acceptor subkey */
    uint8_t state;              /* BT_K5_OPEN or BT_K5_WAIT_REPLY */
    OM_uint32 flags;
    size_t enctype;             /* index into fx_enctypes, < FX_N_GOOD */
    uint64_t send_seq;
    uint64_t recv_next, recv_seen;
};

/* A context for spec.  Its key is the fixed key of the spec's enctype
 * (the acceptor-subkey key if acceptor_subkey); a context waiting for an
 * AP-REP also holds the fixed session key and the authenticator
 * FX_AUTH_CTIME / FX_AUTH_CUSEC. */
static inline struct bt_krb5_ctx *
fx_ctx_new(krb5_context k, const struct fx_ctx_spec *s)
{
    struct bt_krb5_ctx *c = calloc(1, sizeof(*c));
    krb5_keyblock kb;
    uint8_t buf[32];

    FX_CHECK(c != NULL);
    c->state = s->state;
    c->initiator = s->initiator;
    c->acceptor_subkey = s->acceptor_subkey;
    c->flags = s->flags;
    c->endtime = (krb5_timestamp)FX_ENDTIME;
    c->ticket_flags = TKT_FLG_FORWARDABLE;
    c->initiator_str = strdup(FX_CLIENT);
    c->acceptor_str = strdup(FX_SERVICE);
    FX_CHECK(c->initiator_str != NULL && c->acceptor_str != NULL);
    fx_key(s->enctype, s->acceptor_subkey ? FX_KEY_ACCEPTOR : FX_KEY_SUBKEY,
           &kb, buf);
    FX_CHECK(krb5_k_create_key(k, &kb, &c->key) == 0);
    if (s->state == BT_K5_WAIT_REPLY) {
        fx_key(s->enctype, FX_KEY_SESSION, &kb, buf);
        FX_CHECK(krb5_k_create_key(k, &kb, &c->session_key) == 0);
        c->auth_ctime = FX_AUTH_CTIME;
        c->auth_cusec = FX_AUTH_CUSEC;
    }
    c->send_seq = s->send_seq;
    bt_seqstate_init(&c->recv, s->recv_next, s->flags & GSS_C_REPLAY_FLAG,
                     s->flags & GSS_C_SEQUENCE_FLAG);
    c->recv.seen = s->recv_seen;
    return c;
}

/* Publishes c (ownership passes) as a krb5 context handle. */
static inline gss_ctx_id_t
fx_ctx_publish(struct bt_krb5_ctx *c)
{
    struct bt_ctx *ctx = NULL;
    gss_ctx_id_t h = GSS_C_NO_CONTEXT;
    OM_uint32 minor;

    FX_CHECK(bt_ctx_alloc(&minor, &ctx) == GSS_S_COMPLETE);
    ctx->mech = &bt_krb5_mech;
    ctx->mctx = c;
    FX_CHECK(bt_ctx_publish(&minor, ctx, &h) == GSS_S_COMPLETE);
    return h;
}

/* The mechanism context behind a live handle (NULL if there is none).
 * Valid until the handle is deleted or exported. */
static inline struct bt_krb5_ctx *
fx_ctx_of(gss_ctx_id_t h)
{
    struct bt_ctx *ctx = bt_ctx_get(h);
    struct bt_krb5_ctx *c;

    if (ctx == NULL)
        return NULL;
    c = ctx->mech == &bt_krb5_mech ? ctx->mctx : NULL;
    bt_ctx_put(ctx);
    return c;
}

/* An open context on the other end of c: the same key and AcceptorSubkey
 * flag, the other role, each side's send number the other's expected
 * receive number. */
static inline struct bt_krb5_ctx *
fx_ctx_peer(krb5_context k, const struct bt_krb5_ctx *c)
{
    struct bt_krb5_ctx *p = calloc(1, sizeof(*p));
    krb5_keyblock *kb = NULL;

    FX_CHECK(p != NULL);
    p->state = BT_K5_OPEN;
    p->initiator = !c->initiator;
    p->acceptor_subkey = c->acceptor_subkey;
    p->flags = c->flags;
    p->endtime = (krb5_timestamp)FX_ENDTIME;
    p->initiator_str = strdup(FX_CLIENT);
    p->acceptor_str = strdup(FX_SERVICE);
    FX_CHECK(p->initiator_str != NULL && p->acceptor_str != NULL);
    FX_CHECK(krb5_k_key_keyblock(k, c->key, &kb) == 0);
    FX_CHECK(krb5_k_create_key(k, kb, &p->key) == 0);
    krb5_free_keyblock(k, kb);
    p->send_seq = c->recv.next;
    bt_seqstate_init(&p->recv, c->send_seq, c->flags & GSS_C_REPLAY_FLAG,
                     c->flags & GSS_C_SEQUENCE_FLAG);
    return p;
}

/* Field by field: padding is not state. */
static inline bool
fx_seqstate_eq(const struct bt_seqstate *a, const struct bt_seqstate *b)
{
    return a->next == b->next && a->seen == b->seen &&
           a->do_replay == b->do_replay && a->do_sequence == b->do_sequence;
}

/* RFC 4121 2 key usage for tokens sent by the acceptor (or initiator). */
static inline krb5_keyusage
fx_usage(bool sent_by_acceptor, bool seal)
{
    if (seal)
        return sent_by_acceptor ? 22 : 24;
    return sent_by_acceptor ? 23 : 25;
}

#endif /* BATON_FUZZ_KRB5_CTX_FIXTURE_H_ */
