/*
 * transfer_import.c - gss_import_sec_context.  Order of checks: framing
 * and version; the seal (the tag covers the header, so any altered byte
 * fails here, and it is verified before a payload byte is parsed); then
 * lifetime and the importer binding; then the mechanism's state; last the
 * single-use ledger.  A token sealed under a key we lack is reported as
 * refused by policy when its binding excludes us anyway (another account's
 * token), and as defective otherwise.
 */
#include "glue/glue.h"

#include <errno.h>
#include <time.h>
#include <unistd.h>

#include "transfer/envelope.h"
#include "transfer/keys.h"
#include "transfer/ledger.h"
#include "util/mem.h"

/* Tolerated clock difference between exporter and importer. */
#define FUTURE_SKEW 300

static OM_uint32
envelope_status(OM_uint32 *minor, enum bt_env_error err)
{
    switch (err) {
    case BT_ENV_OK:
        return GSS_S_COMPLETE;
    case BT_ENV_BAD_VERSION:
        return bt_fail(minor, GSS_S_DEFECTIVE_TOKEN, BT_E_TRANSFER_VERSION);
    case BT_ENV_WRONG_KEY:
        return bt_fail(minor, GSS_S_DEFECTIVE_TOKEN, BT_E_TRANSFER_WRONG_KEY);
    case BT_ENV_TAG:
        return bt_fail(minor, GSS_S_DEFECTIVE_TOKEN, BT_E_TRANSFER_ALTERED);
    case BT_ENV_NOMEM:
        return bt_fail(minor, GSS_S_FAILURE, ENOMEM);
    default:
        return bt_fail(minor, GSS_S_DEFECTIVE_TOKEN, BT_E_TRANSFER_MALFORMED);
    }
}

/* The importer binding (RFC 2744 lists GSS_S_UNAUTHORIZED for an import
 * that local policy forbids). */
static OM_uint32
check_binding(OM_uint32 *minor, const struct bt_envelope *e)
{
    if (e->policy == BATON_POLICY_UID && e->binding != (uint64_t)geteuid())
        return bt_fail(minor, GSS_S_UNAUTHORIZED, BT_E_TRANSFER_UID);
    if (e->policy == BATON_POLICY_PGRP && e->binding != (uint64_t)getpgrp())
        return bt_fail(minor, GSS_S_UNAUTHORIZED, BT_E_TRANSFER_PGRP);
    return GSS_S_COMPLETE;
}

static OM_uint32
check_policy(OM_uint32 *minor, const struct bt_envelope *e, time_t now)
{
    if ((uint64_t)now > e->expires)
        return bt_fail(minor, GSS_S_CONTEXT_EXPIRED, BT_E_TRANSFER_EXPIRED);
    if (e->created > (uint64_t)now + FUTURE_SKEW || e->created > e->expires)
        return bt_fail(minor, GSS_S_DEFECTIVE_TOKEN, BT_E_TRANSFER_FUTURE);
    return check_binding(minor, e);
}

/* Opens the payload with this process's key. */
static OM_uint32
open_payload(OM_uint32 *minor, const struct bt_envelope *e,
             const struct bt_transfer_settings *s, uint8_t **plain,
             size_t *len)
{
    uint8_t key[BT_TRANSFER_KEY_LEN] = { 0 };
    enum bt_env_error err;
    int ret;

    /* Accepting a plaintext token would let anyone who can write to us
     * plant a context with keys of their choosing. */
    if (!e->sealed && s->key_source != BATON_KEY_NONE)
        return bt_fail(minor, GSS_S_UNAUTHORIZED, BT_E_TRANSFER_UNSEALED);
    if (e->sealed) {
        ret = s->key_source == BATON_KEY_NONE ? ENOKEY
                                              : bt_transfer_key(s, key);
        /* Without our key, a token meant for someone else is refused as
         * such: the likely reason is another account's token. */
        if (ret != 0 && check_binding(minor, e) != GSS_S_COMPLETE)
            return GSS_S_UNAUTHORIZED;
        if (ret != 0)
            return bt_fail(minor, GSS_S_UNAVAILABLE,
                           ret == EPERM ? BT_E_TRANSFER_KEY_UNSAFE
                                        : BT_E_TRANSFER_KEY_SOURCE);
    }
    err = bt_env_open(e, key, plain, len);
    bt_wipe(key, sizeof(key));
    if (err == BT_ENV_WRONG_KEY && check_binding(minor, e) != GSS_S_COMPLETE)
        return GSS_S_UNAUTHORIZED;
    return envelope_status(minor, err);
}

/* Records the token as used; the ledger lives beside the user key. */
static OM_uint32
claim(OM_uint32 *minor, const struct bt_envelope *e,
      const struct bt_transfer_settings *s, time_t now)
{
    int ret = bt_runtime_dir(s->runtime_dir);

    if (ret == 0)
        ret = bt_ledger_open(s->runtime_dir);
    if (ret == 0)
        ret = bt_ledger_claim(e->token_id, (int64_t)e->expires,
                              (int64_t)now);
    switch (ret) {
    case 0:
        return GSS_S_COMPLETE;
    case EEXIST:
        return bt_fail(minor, GSS_S_NO_CONTEXT, BT_E_TRANSFER_REUSED);
    case ENOSPC:
        return bt_fail(minor, GSS_S_UNAVAILABLE, BT_E_TRANSFER_LEDGER_FULL);
    case EPERM:
        return bt_fail(minor, GSS_S_UNAVAILABLE, BT_E_TRANSFER_KEY_UNSAFE);
    default:
        return bt_fail(minor, GSS_S_UNAVAILABLE, BT_E_TRANSFER_LEDGER);
    }
}

/* The header's role and state must be what the payload holds: the header
 * is authenticated, but it was written from the context, and in unsealed
 * mode nothing else vouches for it. */
static OM_uint32
matches_header(OM_uint32 *minor, const struct bt_envelope *e,
               const struct bt_ctx *ctx)
{
    OM_uint32 major, life = 0, flags = 0;
    int local = 0, open = 0;

    major = ctx->mech->inquire_context(minor, ctx->mctx, NULL, NULL, &life,
                                       &flags, &local, &open);
    if (major != GSS_S_COMPLETE)
        return major;
    if ((local ? BT_ENV_ROLE_INITIATOR : BT_ENV_ROLE_ACCEPTOR) != e->role ||
        (open ? BT_ENV_STATE_OPEN : BT_ENV_STATE_PARTIAL) != e->state)
        return bt_fail(minor, GSS_S_DEFECTIVE_TOKEN, BT_E_TRANSFER_MALFORMED);
    return GSS_S_COMPLETE;
}

/* From a verified payload to a published context handle. */
static OM_uint32
instantiate(OM_uint32 *minor, const struct bt_envelope *e,
            const struct bt_transfer_settings *s, const uint8_t *plain,
            size_t len, time_t now, gss_ctx_id_t *out)
{
    gss_OID_desc oid = { e->oid_len, (void *)e->oid };
    const struct bt_mech *mech = bt_mech_find(&oid);
    struct bt_ctx *ctx = NULL;
    OM_uint32 major;

    if (mech == NULL)
        return bt_fail(minor, GSS_S_UNAVAILABLE, BT_E_TRANSFER_MECH);
    if (mech->import_sec_context == NULL)
        return bt_fail(minor, GSS_S_UNAVAILABLE, BT_E_NOT_IMPLEMENTED);
    major = bt_ctx_alloc(minor, &ctx);
    if (major != GSS_S_COMPLETE)
        return major;
    ctx->mech = mech;
    major = mech->import_sec_context(minor, plain, len, &ctx->mctx);
    if (major == GSS_S_COMPLETE && mech->inquire_context != NULL)
        major = matches_header(minor, e, ctx);
    /* Only a context that really exists consumes the token. */
    if (major == GSS_S_COMPLETE)
        major = claim(minor, e, s, now);
    if (major != GSS_S_COMPLETE) {
        bt_ctx_put(ctx);
        return major;
    }
    return bt_ctx_publish(minor, ctx, out);
}

BT_EXPORT OM_uint32
gss_import_sec_context(OM_uint32 *minor_status,
                       gss_buffer_t interprocess_token,
                       gss_ctx_id_t *context_handle)
{
    struct bt_transfer_settings s;
    struct bt_envelope e;
    uint8_t *plain = NULL;
    size_t len = 0;
    time_t now = time(NULL);
    OM_uint32 major;

    if (minor_status != NULL)
        *minor_status = 0;
    if (context_handle == NULL)
        return bt_fail(minor_status, GSS_S_CALL_INACCESSIBLE_WRITE, 0);
    *context_handle = GSS_C_NO_CONTEXT;
    if (interprocess_token == GSS_C_NO_BUFFER ||
        !bt_buf_valid(interprocess_token))
        return bt_fail(minor_status, GSS_S_CALL_INACCESSIBLE_READ,
                       BT_E_BAD_BUFFER);
    if (interprocess_token->length == 0)
        return bt_fail(minor_status, GSS_S_DEFECTIVE_TOKEN, BT_E_TOKEN_EMPTY);
    major = envelope_status(minor_status,
                            bt_env_parse(interprocess_token->value,
                                         interprocess_token->length, &e));
    if (major == GSS_S_COMPLETE && bt_transfer_settings(&s) != 0)
        major = bt_fail(minor_status, GSS_S_FAILURE, BT_E_TRANSFER_SETTINGS);
    if (major == GSS_S_COMPLETE)
        major = open_payload(minor_status, &e, &s, &plain, &len);
    if (major == GSS_S_COMPLETE)
        major = check_policy(minor_status, &e, now);
    if (major == GSS_S_COMPLETE)
        major = instantiate(minor_status, &e, &s, plain, len, now,
                            context_handle);
    bt_free_secret(plain, len);
    return major;
}
