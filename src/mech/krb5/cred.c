/*
 * cred.c - Kerberos credentials: an initiator's ccache (or a client keytab
 * or password to fill one), an acceptor's keytab.  Each credential keeps
 * its own krb5_context and opened handles for its whole life.
 */
#include "mech/krb5/ctx.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "glue/glue.h"
#include "util/mem.h"

/* Looks up key in a credential store (MIT's gss_acquire_cred_from keys). */
static const char *
store_value(gss_const_key_value_set_t store, const char *key)
{
    for (OM_uint32 i = 0; store != NULL && i < store->count; i++) {
        if (store->elements[i].key != NULL &&
            strcmp(store->elements[i].key, key) == 0)
            return store->elements[i].value;
    }
    return NULL;
}

/* The end time of the TGT for the ccache principal's realm, or 0. */
static krb5_timestamp
tgt_endtime(krb5_context k, krb5_ccache cc, krb5_const_principal client)
{
    krb5_creds mcreds, creds;
    krb5_principal tgs = NULL;
    krb5_timestamp end = 0;

    if (krb5_build_principal_ext(k, &tgs, client->realm.length,
                                 client->realm.data, 6, "krbtgt",
                                 client->realm.length, client->realm.data,
                                 0) != 0)
        return 0;
    memset(&mcreds, 0, sizeof(mcreds));
    mcreds.client = (krb5_principal)client;
    mcreds.server = tgs;
    if (krb5_cc_retrieve_cred(k, cc, 0, &mcreds, &creds) == 0) {
        end = creds.times.endtime;
        krb5_free_cred_contents(k, &creds);
    }
    krb5_free_principal(k, tgs);
    return end;
}

/* Gets initial credentials into a fresh MEMORY ccache, from a password or
 * from the client keytab kt. */
static krb5_error_code
get_initial(struct bt_krb5_cred *c, krb5_principal princ,
            const gss_buffer_desc *password, krb5_keytab kt, OM_uint32 life)
{
    krb5_get_init_creds_opt *opt = NULL;
    krb5_creds creds;
    char *pw = NULL;
    krb5_error_code ret;

    memset(&creds, 0, sizeof(creds));
    ret = krb5_get_init_creds_opt_alloc(c->kctx, &opt);
    if (ret == 0 && life != 0 && life != GSS_C_INDEFINITE)
        krb5_get_init_creds_opt_set_tkt_life(opt, (krb5_deltat)life);
    if (ret == 0)
        ret = krb5_cc_new_unique(c->kctx, "MEMORY", NULL, &c->ccache);
    if (ret == 0) {
        c->own_ccache = true;
        ret = krb5_cc_initialize(c->kctx, c->ccache, princ);
    }
    if (ret == 0)
        ret = krb5_get_init_creds_opt_set_out_ccache(c->kctx, opt, c->ccache);
    if (ret == 0 && password != NULL) {
        pw = strndup(password->value, password->length);
        ret = pw == NULL ? ENOMEM
              : krb5_get_init_creds_password(c->kctx, &creds, princ, pw, NULL,
                                             NULL, 0, NULL, opt);
    } else if (ret == 0) {
        ret = krb5_get_init_creds_keytab(c->kctx, &creds, princ, kt, 0, NULL,
                                         opt);
    }
    if (pw != NULL) {
        bt_wipe(pw, strlen(pw));
        free(pw);
    }
    krb5_free_cred_contents(c->kctx, &creds);
    krb5_get_init_creds_opt_free(c->kctx, opt);
    return ret;
}

/* The first principal in a keytab: whom a client keytab can log in. */
static krb5_error_code
keytab_principal(krb5_context k, krb5_keytab kt, krb5_principal *out)
{
    krb5_kt_cursor cur;
    krb5_keytab_entry e;
    krb5_error_code ret = krb5_kt_start_seq_get(k, kt, &cur);

    if (ret != 0)
        return ret;
    ret = krb5_kt_next_entry(k, kt, &e, &cur);
    if (ret == 0) {
        ret = krb5_copy_principal(k, e.principal, out);
        krb5_free_keytab_entry_contents(k, &e);
    }
    krb5_kt_end_seq_get(k, kt, &cur);
    return ret == KRB5_KT_END ? KRB5_KT_NOTFOUND : ret;
}

/* Finds the ccache to use: the store's, the thread's gss_krb5_ccache_name,
 * one in the collection for princ, or the default. */
static krb5_error_code
open_ccache(struct bt_krb5_cred *c, krb5_principal princ, const char *name)
{
    krb5_error_code ret;

    if (name == NULL)
        name = bt_krb5_thread_ccache();
    if (name != NULL)
        return krb5_cc_resolve(c->kctx, name, &c->ccache);
    if (princ != NULL) {
        ret = krb5_cc_cache_match(c->kctx, princ, &c->ccache);
        if (ret != KRB5_CC_NOTFOUND)
            return ret;
    }
    return krb5_cc_default(c->kctx, &c->ccache);
}

static krb5_error_code
from_client_keytab(struct bt_krb5_cred *c, krb5_principal princ,
                   const char *kt_name, OM_uint32 life)
{
    krb5_keytab kt = NULL;
    krb5_principal who = NULL;
    krb5_error_code ret;

    ret = kt_name != NULL ? krb5_kt_resolve(c->kctx, kt_name, &kt)
                          : krb5_kt_client_default(c->kctx, &kt);
    if (ret == 0 && krb5_kt_have_content(c->kctx, kt) != 0)
        ret = KRB5_KT_NOTFOUND;
    if (ret == 0 && princ == NULL)
        ret = keytab_principal(c->kctx, kt, &who);
    if (ret == 0)
        ret = get_initial(c, princ != NULL ? princ : who, NULL, kt, life);
    krb5_free_principal(c->kctx, who);
    if (kt != NULL)
        krb5_kt_close(c->kctx, kt);
    return ret;
}

static krb5_error_code
acquire_initiate(struct bt_krb5_cred *c, krb5_principal princ,
                 const struct bt_cred_args *args, OM_uint32 life)
{
    gss_const_key_value_set_t store = args != NULL ? args->store : NULL;
    krb5_principal have = NULL;
    krb5_error_code ret, kt_ret;

    if (args != NULL && args->password != NULL)
        ret = get_initial(c, princ, args->password, NULL, life);
    else
        ret = open_ccache(c, princ, store_value(store, "ccache"));
    if (ret == 0)
        ret = krb5_cc_get_principal(c->kctx, c->ccache, &have);
    if (ret == 0 && princ != NULL &&
        !krb5_principal_compare(c->kctx, have, princ))
        ret = KRB5_CC_NOTFOUND;
    if (ret == 0 && (c->endtime = tgt_endtime(c->kctx, c->ccache, have)) == 0)
        ret = KRB5_CC_NOTFOUND;
    if (ret == 0 && bt_krb5_time_left(c->kctx, c->endtime) == 0)
        ret = KRB5KRB_AP_ERR_TKT_EXPIRED;
    if ((ret == KRB5_FCC_NOFILE || ret == KRB5_CC_NOTFOUND) &&
        (args == NULL || args->password == NULL)) {
        /* No usable ccache: a client keytab may still log us in. */
        if (c->ccache != NULL && !c->own_ccache)
            krb5_cc_close(c->kctx, c->ccache);
        c->ccache = NULL;
        kt_ret = from_client_keytab(c, princ,
                                    store_value(store, "client_keytab"), life);
        /* A usable keytab that failed says more than a missing ccache. */
        if (kt_ret != 0 && kt_ret != KRB5_KT_NOTFOUND && kt_ret != ENOENT)
            ret = kt_ret;
        if (kt_ret == 0) {
            krb5_free_principal(c->kctx, have);
            have = NULL;
            ret = krb5_cc_get_principal(c->kctx, c->ccache, &have);
            if (ret == 0)
                c->endtime = tgt_endtime(c->kctx, c->ccache, have);
        }
    }
    if (ret == 0 && c->name == NULL) {
        c->name = have;
        have = NULL;
    }
    krb5_free_principal(c->kctx, have);
    return ret;
}

static krb5_error_code
acquire_accept(struct bt_krb5_cred *c, krb5_principal princ,
               const struct bt_cred_args *args)
{
    const char *name = store_value(args != NULL ? args->store : NULL,
                                   "keytab");
    char *registered = name == NULL ? bt_krb5_acceptor_keytab() : NULL;
    krb5_keytab_entry e;
    krb5_error_code ret;

    if (name == NULL)
        name = registered;
    ret = name != NULL ? krb5_kt_resolve(c->kctx, name, &c->keytab)
                       : krb5_kt_default(c->kctx, &c->keytab);
    free(registered);
    if (ret == 0 && krb5_kt_have_content(c->kctx, c->keytab) != 0)
        ret = KRB5_KT_NOTFOUND;
    /* A named acceptor must have a key; GSS_C_NO_NAME takes any. */
    if (ret == 0 && princ != NULL) {
        ret = krb5_kt_get_entry(c->kctx, c->keytab, princ, 0, 0, &e);
        if (ret == 0)
            krb5_free_keytab_entry_contents(c->kctx, &e);
    }
    if (ret == 0 && princ != NULL)
        ret = krb5_copy_principal(c->kctx, princ, &c->acceptor);
    if (ret == 0 && princ != NULL && c->name == NULL)
        ret = krb5_copy_principal(c->kctx, princ, &c->name);
    return ret;
}

/* Acquisition talks to files and the KDC, not to a peer's token: a wrong
 * password or a KDC error is GSS_S_FAILURE (as in MIT), missing material
 * GSS_S_NO_CRED, an expired ticket GSS_S_CREDENTIALS_EXPIRED. */
static OM_uint32
acquire_error(OM_uint32 *minor, krb5_error_code ret)
{
    OM_uint32 major = bt_krb5_gss_error(minor, ret);

    if (major == GSS_S_NO_CRED || major == GSS_S_CREDENTIALS_EXPIRED ||
        major == GSS_S_BAD_NAME)
        return major;
    return bt_fail(minor, GSS_S_FAILURE, (OM_uint32)ret);
}

OM_uint32
bt_krb5_acquire_cred(OM_uint32 *minor, const void *mname, OM_uint32 time_req,
                     gss_cred_usage_t usage, const struct bt_cred_args *args,
                     void **mcred_out, OM_uint32 *time_rec)
{
    const struct bt_krb5_name *n = mname;
    krb5_principal princ = n != NULL ? n->princ : NULL;
    struct bt_krb5_cred *c = calloc(1, sizeof(*c));
    krb5_error_code ret;

    if (c == NULL)
        return bt_fail(minor, GSS_S_FAILURE, ENOMEM);
    pthread_mutex_init(&c->lock, NULL);
    c->usage = usage;
    ret = krb5_init_context(&c->kctx);
    if (ret == 0 && usage != GSS_C_ACCEPT)
        ret = acquire_initiate(c, princ, args, time_req);
    if (ret == 0 && usage != GSS_C_INITIATE)
        ret = acquire_accept(c, princ, args);
    if (ret != 0) {
        bt_krb5_release_cred(c);
        return acquire_error(minor, ret);
    }
    if (time_rec != NULL)
        *time_rec = usage == GSS_C_ACCEPT ? GSS_C_INDEFINITE
                    : bt_krb5_time_left(c->kctx, c->endtime);
    *mcred_out = c;
    *minor = 0;
    return GSS_S_COMPLETE;
}

OM_uint32
bt_krb5_inquire_cred(OM_uint32 *minor, const void *mcred, void **mname_out,
                     OM_uint32 *init_life, OM_uint32 *accept_life,
                     gss_cred_usage_t *usage)
{
    struct bt_krb5_cred *c = (struct bt_krb5_cred *)mcred;
    struct bt_krb5_name *n = NULL;
    krb5_error_code ret = 0;

    pthread_mutex_lock(&c->lock);
    if (mname_out != NULL && c->name != NULL) {
        n = malloc(sizeof(*n));
        ret = n == NULL ? ENOMEM : krb5_copy_principal(c->kctx, c->name,
                                                        &n->princ);
    }
    if (ret == 0 && init_life != NULL)
        *init_life = c->usage == GSS_C_ACCEPT ? 0
                     : bt_krb5_time_left(c->kctx, c->endtime);
    pthread_mutex_unlock(&c->lock);
    if (ret != 0) {
        free(n);
        return bt_krb5_gss_error(minor, ret);
    }
    if (accept_life != NULL)
        *accept_life = c->usage == GSS_C_INITIATE ? 0 : GSS_C_INDEFINITE;
    if (usage != NULL)
        *usage = c->usage;
    if (mname_out != NULL)
        *mname_out = n;
    *minor = 0;
    return GSS_S_COMPLETE;
}

void
bt_krb5_release_cred(void *mcred)
{
    struct bt_krb5_cred *c = mcred;

    if (c == NULL)
        return;
    if (c->kctx != NULL) {
        if (c->ccache != NULL && c->own_ccache)
            krb5_cc_destroy(c->kctx, c->ccache);
        else if (c->ccache != NULL)
            krb5_cc_close(c->kctx, c->ccache);
        if (c->keytab != NULL)
            krb5_kt_close(c->kctx, c->keytab);
        if (c->rc_holder != NULL)
            krb5_auth_con_free(c->kctx, c->rc_holder);
        krb5_free_principal(c->kctx, c->name);
        krb5_free_principal(c->kctx, c->acceptor);
        krb5_free_context(c->kctx);
    }
    pthread_mutex_destroy(&c->lock);
    free(c);
}
