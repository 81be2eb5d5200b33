/*
 * fake_mech.h - a mechanism for glue tests: it fakes context and credential
 * state so that the dispatch, handle validation and threading of the glue
 * can be tested without a KDC.  Its tokens are trivial; its memory use is
 * real, so ASan sees any use after free.
 */
#ifndef BATON_TESTS_GLUE_FAKE_MECH_H_
#define BATON_TESTS_GLUE_FAKE_MECH_H_

#include <stdatomic.h>

#include "glue/glue.h"

struct fake_ctx {
    unsigned char bytes[256];   /* touched by every call */
    OM_uint32 seq;
};

static atomic_int fake_deleted;

static void
fake_delete(void *mctx)
{
    atomic_fetch_add(&fake_deleted, 1);
    free(mctx);
}

static OM_uint32
fake_wrap(OM_uint32 *minor, void *mctx, int conf_req, gss_qop_t qop,
          const gss_buffer_desc *in, int *conf_state, gss_buffer_t out)
{
    struct fake_ctx *c = mctx;
    unsigned char *p = malloc(in->length + 1);

    (void)qop;
    for (size_t i = 0; i < sizeof(c->bytes); i++)
        c->bytes[i]++;
    c->seq++;
    p[0] = 'W';
    if (in->length > 0)
        memcpy(p + 1, in->value, in->length);
    out->value = p;
    out->length = in->length + 1;
    *conf_state = conf_req;
    *minor = 0;
    return GSS_S_COMPLETE;
}

static OM_uint32
fake_unwrap(OM_uint32 *minor, void *mctx, const gss_buffer_desc *in,
            gss_buffer_t out, int *conf_state, gss_qop_t *qop_state)
{
    (void)mctx;
    *minor = 0;
    if (in->length < 1 || ((const unsigned char *)in->value)[0] != 'W')
        return GSS_S_DEFECTIVE_TOKEN;
    *conf_state = 1;
    *qop_state = 0;
    return bt_buf_set(minor, (const char *)in->value + 1, in->length - 1, out);
}

static OM_uint32
fake_get_mic(OM_uint32 *minor, void *mctx, gss_qop_t qop,
             const gss_buffer_desc *msg, gss_buffer_t tok)
{
    struct fake_ctx *c = mctx;
    unsigned char sum = 0;

    (void)qop;
    for (size_t i = 0; i < msg->length; i++)
        sum ^= ((const unsigned char *)msg->value)[i];
    c->seq++;
    return bt_buf_set(minor, &sum, 1, tok);
}

static OM_uint32
fake_verify_mic(OM_uint32 *minor, void *mctx, const gss_buffer_desc *msg,
                const gss_buffer_desc *tok, gss_qop_t *qop_state)
{
    unsigned char sum = 0;

    (void)mctx;
    *minor = 0;
    for (size_t i = 0; i < msg->length; i++)
        sum ^= ((const unsigned char *)msg->value)[i];
    if (tok->length != 1 || ((const unsigned char *)tok->value)[0] != sum)
        return GSS_S_BAD_SIG;
    *qop_state = 0;
    return GSS_S_COMPLETE;
}

static OM_uint32
fake_context_time(OM_uint32 *minor, void *mctx, OM_uint32 *t)
{
    (void)mctx;
    *minor = 0;
    *t = 600;
    return GSS_S_COMPLETE;
}

static OM_uint32
fake_wrap_size_limit(OM_uint32 *minor, void *mctx, int conf, gss_qop_t qop,
                     OM_uint32 req, OM_uint32 *max)
{
    (void)mctx;
    (void)conf;
    (void)qop;
    *minor = 0;
    *max = req > 0 ? req - 1 : 0;
    return GSS_S_COMPLETE;
}

static OM_uint32
fake_inquire_context(OM_uint32 *minor, void *mctx, void **src, void **targ,
                     OM_uint32 *life, OM_uint32 *flags, int *local, int *open)
{
    (void)mctx;
    *minor = 0;
    if (src != NULL)
        *src = NULL;
    if (targ != NULL)
        *targ = NULL;
    *life = 600;
    *flags = GSS_C_MUTUAL_FLAG | GSS_C_INTEG_FLAG;
    *local = 1;
    *open = 1;
    return GSS_S_COMPLETE;
}

static atomic_int fake_creds_released;

static void
fake_release_cred(void *mcred)
{
    atomic_fetch_add(&fake_creds_released, 1);
    free(mcred);
}

static OM_uint32
fake_inquire_cred(OM_uint32 *minor, const void *mcred, void **mname_out,
                  OM_uint32 *init_life, OM_uint32 *accept_life,
                  gss_cred_usage_t *usage)
{
    (void)mcred;
    *minor = 0;
    if (mname_out != NULL)
        *mname_out = NULL;
    if (init_life != NULL)
        *init_life = 100;
    if (accept_life != NULL)
        *accept_life = 0;
    if (usage != NULL)
        *usage = GSS_C_INITIATE;
    return GSS_S_COMPLETE;
}

static gss_OID_desc fake_oid = { 3, (void *)"\x2a\x03\x09" };

static const struct bt_mech fake_mech = {
    .abi_version = BT_MECH_ABI_VERSION,
    .table_size = sizeof(struct bt_mech),
    .name = "fake",
    .oid = &fake_oid,
    .delete_sec_context = fake_delete,
    .wrap = fake_wrap,
    .unwrap = fake_unwrap,
    .get_mic = fake_get_mic,
    .verify_mic = fake_verify_mic,
    .context_time = fake_context_time,
    .wrap_size_limit = fake_wrap_size_limit,
    .inquire_context = fake_inquire_context,
    .release_cred = fake_release_cred,
    .inquire_cred = fake_inquire_cred,
};

/* A published context of the fake mechanism. */
__attribute__((unused)) static gss_ctx_id_t
fake_context(void)
{
    struct bt_ctx *ctx = NULL;
    gss_ctx_id_t h = GSS_C_NO_CONTEXT;
    OM_uint32 minor;

    if (bt_ctx_alloc(&minor, &ctx) != GSS_S_COMPLETE)
        abort();
    ctx->mech = &fake_mech;
    ctx->mctx = calloc(1, sizeof(struct fake_ctx));
    if (bt_ctx_publish(&minor, ctx, &h) != GSS_S_COMPLETE)
        abort();
    return h;
}

/* A published credential with one fake element. */
__attribute__((unused)) static gss_cred_id_t
fake_cred(void)
{
    struct bt_cred *cred = NULL;
    struct bt_cred_el *el = NULL;
    gss_cred_id_t h = GSS_C_NO_CREDENTIAL;
    OM_uint32 minor;

    if (bt_cred_alloc(&minor, &cred) != GSS_S_COMPLETE ||
        bt_cred_el_new(&minor, &fake_mech, malloc(16), &el) != GSS_S_COMPLETE)
        abort();
    cred->el[cred->n++] = el;
    if (bt_cred_publish(&minor, cred, &h) != GSS_S_COMPLETE)
        abort();
    return h;
}

#endif /* BATON_TESTS_GLUE_FAKE_MECH_H_ */
