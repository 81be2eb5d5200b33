/*
 * common.c - pieces every part of the Kerberos mechanism uses: the
 * per-thread crypto context, error mapping, enctype policy, lifetimes.
 */
#include "mech/krb5/ctx.h"

#include <errno.h>
#include <stdlib.h>

#include "glue/glue.h"
#include "util/mem.h"

static pthread_key_t thread_key;
static pthread_once_t thread_once = PTHREAD_ONCE_INIT;
static int thread_key_err;

static void
free_thread_kctx(void *p)
{
    krb5_free_context(p);
}

static void
make_key(void)
{
    thread_key_err = pthread_key_create(&thread_key, free_thread_kctx);
}

krb5_context
bt_krb5_thread_kctx(krb5_error_code *err)
{
    krb5_context k;

    pthread_once(&thread_once, make_key);
    if (thread_key_err != 0) {
        *err = thread_key_err;
        return NULL;
    }
    k = pthread_getspecific(thread_key);
    if (k != NULL)
        return k;
    *err = krb5_init_context(&k);
    if (*err != 0)
        return NULL;
    if ((*err = pthread_setspecific(thread_key, k)) != 0) {
        krb5_free_context(k);
        return NULL;
    }
    return k;
}

OM_uint32
bt_krb5_gss_error(OM_uint32 *minor, krb5_error_code code)
{
    OM_uint32 major;

    switch (code) {
    case ENOMEM:
        major = GSS_S_FAILURE;
        break;
    case KRB5_FCC_NOFILE:
    case KRB5_CC_NOTFOUND:
    case KRB5_CC_NOSUPP:
    case KRB5_KT_NOTFOUND:
    case KRB5_KT_NOWRITE:
    case KRB5_KT_END:
    case KRB5_CC_END:
    case KRB5_KT_KVNONOTFOUND:
    case ENOENT:
        major = GSS_S_NO_CRED;
        break;
    case KRB5KRB_AP_ERR_TKT_EXPIRED:
    case KRB5KDC_ERR_NAME_EXP:
        major = GSS_S_CREDENTIALS_EXPIRED;
        break;
    case KRB5KRB_AP_ERR_BAD_INTEGRITY:
    case KRB5KRB_AP_ERR_MODIFIED:
    case KRB5KRB_AP_ERR_BADVERSION:
    case KRB5KRB_AP_ERR_MSG_TYPE:
    case KRB5KRB_AP_ERR_INAPP_CKSUM:
    case KRB5KRB_AP_ERR_REPEAT:
    case KRB5KRB_AP_ERR_SKEW:
    case KRB5KRB_AP_ERR_BADMATCH:
    case KRB5KRB_AP_ERR_NOKEY:
    case KRB5KRB_AP_ERR_BADKEYVER:
    case KRB5KRB_AP_ERR_NOT_US:
    case KRB5_BAD_ENCTYPE:
    case ASN1_BAD_ID:
    case ASN1_OVERRUN:
    case ASN1_BAD_FORMAT:
    case ASN1_MISSING_FIELD:
        major = GSS_S_DEFECTIVE_TOKEN;
        break;
    case KRB5_PARSE_MALFORMED:
    case KRB5_PARSE_ILLCHAR:
        major = GSS_S_BAD_NAME;
        break;
    default:
        major = GSS_S_FAILURE;
    }
    return bt_fail(minor, major, (OM_uint32)code);
}

bool
bt_krb5_enctype_ok(krb5_enctype e)
{
    /* RFC 4121 tokens need a simplified-profile enctype; DES3 and RC4
     * would need RFC 1964 tokens, which Baton does not offer. */
    switch (e) {
    case ENCTYPE_AES128_CTS_HMAC_SHA1_96:
    case ENCTYPE_AES256_CTS_HMAC_SHA1_96:
    case ENCTYPE_AES128_CTS_HMAC_SHA256_128:
    case ENCTYPE_AES256_CTS_HMAC_SHA384_192:
    case ENCTYPE_CAMELLIA128_CTS_CMAC:
    case ENCTYPE_CAMELLIA256_CTS_CMAC:
        return true;
    default:
        return false;
    }
}

bool
bt_krb5_key_length_ok(krb5_enctype e, size_t len)
{
    size_t keybytes = 0, keylength = 0;

    return bt_krb5_enctype_ok(e) &&
           krb5_c_keylengths(NULL, e, &keybytes, &keylength) == 0 &&
           len == keylength;
}

OM_uint32
bt_krb5_time_left(krb5_context kctx, krb5_timestamp endtime)
{
    krb5_timestamp now = 0;
    int64_t left;

    if (krb5_timeofday(kctx, &now) != 0)
        return 0;
    /* krb5_timestamp is 32-bit and wraps in 2106; compare as unsigned. */
    left = (int64_t)(uint32_t)endtime - (int64_t)(uint32_t)now;
    return left > 0 ? (OM_uint32)left : 0;
}

krb5_const_principal
bt_krb5_ctx_name(krb5_context k, struct bt_krb5_ctx *ctx, bool initiator,
                 krb5_error_code *err)
{
    krb5_principal *p = initiator ? &ctx->initiator_name
                                  : &ctx->acceptor_name;
    const char *s = initiator ? ctx->initiator_str : ctx->acceptor_str;

    *err = 0;
    if (*p == NULL && s != NULL)
        *err = krb5_parse_name_flags(k, s, KRB5_PRINCIPAL_PARSE_REQUIRE_REALM,
                                     p);
    if (*p == NULL && *err == 0)
        *err = KRB5_PARSE_MALFORMED;
    return *p;
}

void
bt_krb5_ctx_free(struct bt_krb5_ctx *ctx)
{
    if (ctx == NULL)
        return;
    krb5_k_free_key(NULL, ctx->session_key);
    krb5_k_free_key(NULL, ctx->key);
    krb5_k_free_key(NULL, ctx->init_subkey);
    bt_k5fast_free(ctx->fast);
    krb5_free_principal(NULL, ctx->initiator_name);
    krb5_free_principal(NULL, ctx->acceptor_name);
    free(ctx->initiator_str);
    free(ctx->acceptor_str);
    BT_WIPE_OBJ(ctx);
    free(ctx);
}

void
bt_krb5_delete_sec_context(void *mctx)
{
    bt_krb5_ctx_free(mctx);
}
