/*
 * transfer.c - gss_export_sec_context and gss_import_sec_context: the
 * spec's semantics around the sealed envelope.
 *
 * Export serializes and seals completely first; only then is the context
 * destroyed and the handle retired ("If creation of the interprocess token
 * is successful, the implementation shall deallocate all process-wide
 * resources associated with the security context, and set the
 * context_handle to GSS_C_NO_CONTEXT").  Any failure returns no token and
 * leaves the context as it was.
 */
#include "glue/glue.h"

#include <errno.h>
#include <string.h>
#include <time.h>
#include <unistd.h>


#include "transfer/envelope.h"
#include "transfer/keys.h"
#include "transfer/ledger.h"
#include "transfer/transfer.h"
#include "util/mem.h"
#include "util/random.h"

enum bt_transfer_step bt_transfer_fail_at;

static bool
injected(enum bt_transfer_step step)
{
    return bt_transfer_fail_at == step;
}

/* The settings, the key (unless unsealed) and the ledger, or why not. */
static OM_uint32
prepare(OM_uint32 *minor, struct bt_transfer_settings *s,
        uint8_t key[BT_TRANSFER_KEY_LEN])
{
    int ret;

    if (injected(BT_STEP_SETTINGS) || bt_transfer_settings(s) != 0)
        return bt_fail(minor, GSS_S_FAILURE, BT_E_TRANSFER_SETTINGS);
    if (s->key_source != BATON_KEY_NONE) {
        ret = injected(BT_STEP_KEY) ? ENOKEY : bt_transfer_key(s, key);
        if (ret == EPERM)
            return bt_fail(minor, GSS_S_UNAVAILABLE, BT_E_TRANSFER_KEY_UNSAFE);
        if (ret != 0)
            return bt_fail(minor, GSS_S_UNAVAILABLE, BT_E_TRANSFER_KEY_SOURCE);
    }
    ret = bt_runtime_dir(s->runtime_dir);
    if (ret == 0 && !injected(BT_STEP_LEDGER))
        ret = bt_ledger_open(s->runtime_dir);
    else if (ret == 0)
        ret = EIO;
    if (ret == EPERM)
        return bt_fail(minor, GSS_S_UNAVAILABLE, BT_E_TRANSFER_KEY_UNSAFE);
    if (ret != 0)
        return bt_fail(minor, GSS_S_UNAVAILABLE, BT_E_TRANSFER_LEDGER);
    return GSS_S_COMPLETE;
}

/* Header fields for a token of ctx under settings s. */
static OM_uint32
describe(OM_uint32 *minor, struct bt_ctx *ctx,
         const struct bt_transfer_settings *s,
         const uint8_t key[BT_TRANSFER_KEY_LEN], struct bt_envelope *e)
{
    OM_uint32 major, life = 0, flags = 0;
    int local = 0, open = 0;
    time_t now = time(NULL);
    uint8_t rnd[sizeof(e->token_id) + sizeof(e->nonce)];

    major = ctx->mech->inquire_context(minor, ctx->mctx, NULL, NULL, &life,
                                       &flags, &local, &open);
    if (major != GSS_S_COMPLETE)
        return major;
    /* An expired context is not worth moving (nobody else says so). */
    if (open && life == 0)
        return bt_fail(minor, GSS_S_CONTEXT_EXPIRED, 0);
    memset(e, 0, sizeof(*e));
    e->sealed = s->key_source != BATON_KEY_NONE;
    e->role = local ? BT_ENV_ROLE_INITIATOR : BT_ENV_ROLE_ACCEPTOR;
    e->state = open ? BT_ENV_STATE_OPEN : BT_ENV_STATE_PARTIAL;
    e->created = (uint64_t)now;
    e->expires = (uint64_t)now + s->lifetime;
    e->policy = (uint8_t)s->policy;
    e->binding = s->policy == BATON_POLICY_UID ? (uint64_t)geteuid()
                 : s->policy == BATON_POLICY_PGRP ? (uint64_t)getpgrp() : 0;
    if (e->sealed)
        bt_transfer_key_id(key, e->key_id);
    e->oid_len = (uint8_t)ctx->mech->oid->length;
    memcpy(e->oid, ctx->mech->oid->elements, e->oid_len);
    /* Token id and nonce in one draw: the generator's cost is per call. */
    if (bt_random(rnd, sizeof(rnd)) != 0)
        return bt_fail(minor, GSS_S_FAILURE, EIO);
    memcpy(e->token_id, rnd, sizeof(e->token_id));
    memcpy(e->nonce, rnd + sizeof(e->token_id), sizeof(e->nonce));
    return GSS_S_COMPLETE;
}

/* Serializes and seals ctx into a token; the context is not touched. */
static OM_uint32
make_token(OM_uint32 *minor, struct bt_ctx *ctx, gss_buffer_t out)
{
    struct bt_transfer_settings s;
    uint8_t key[BT_TRANSFER_KEY_LEN] = { 0 };
    gss_buffer_desc plain = GSS_C_EMPTY_BUFFER;
    struct bt_envelope e;
    OM_uint32 major, tmp;
    void *data = NULL;
    size_t len = 0;

    if (ctx->mech->export_sec_context == NULL ||
        ctx->mech->inquire_context == NULL)
        return bt_fail(minor, GSS_S_UNAVAILABLE, BT_E_NOT_IMPLEMENTED);
    major = prepare(minor, &s, key);
    if (major == GSS_S_COMPLETE)
        major = describe(minor, ctx, &s, key, &e);
    if (major == GSS_S_COMPLETE && injected(BT_STEP_SERIALIZE))
        major = bt_fail(minor, GSS_S_FAILURE, BT_E_TRANSFER_INJECTED);
    if (major == GSS_S_COMPLETE)
        major = ctx->mech->export_sec_context(minor, ctx->mctx, &plain);
    if (major == GSS_S_COMPLETE &&
        (injected(BT_STEP_SEAL) ||
         bt_env_build(&e, key, plain.value, plain.length, &data, &len) !=
             BT_ENV_OK))
        major = bt_fail(minor, GSS_S_FAILURE, ENOMEM);
    (void)gss_release_buffer(&tmp, &plain);     /* wipes the keys */
    bt_wipe(key, sizeof(key));
    if (major != GSS_S_COMPLETE)
        return major;
    out->value = data;
    out->length = len;
    return GSS_S_COMPLETE;
}

BT_EXPORT OM_uint32
gss_export_sec_context(OM_uint32 *minor_status, gss_ctx_id_t *context_handle,
                       gss_buffer_t interprocess_token)
{
    struct bt_obj *retired;
    struct bt_ctx *ctx;
    OM_uint32 major;

    if (minor_status != NULL)
        *minor_status = 0;
    bt_buf_clear(interprocess_token);
    if (context_handle == NULL || interprocess_token == GSS_C_NO_BUFFER)
        return bt_fail(minor_status, GSS_S_CALL_INACCESSIBLE_WRITE, 0);
    ctx = bt_ctx_enter(minor_status, *context_handle, &major);
    if (ctx == NULL)
        return major;
    major = make_token(minor_status, ctx, interprocess_token);
    if (major != GSS_S_COMPLETE) {
        bt_ctx_leave(ctx);
        return major;
    }
    /* The token exists: now, and only now, the context goes.  Retiring the
     * handle first makes every later use of it, from any thread,
     * GSS_S_NO_CONTEXT. */
    retired = bt_handle_retire((uintptr_t)*context_handle, BT_KIND_CTX);
    ctx->gone = true;           /* still under the lock */
    bt_ctx_leave(ctx);
    bt_obj_put(retired);
    *context_handle = GSS_C_NO_CONTEXT;
    return GSS_S_COMPLETE;
}
