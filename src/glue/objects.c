/*
 * objects.c - allocation, lookup and release of the objects behind names,
 * credentials and contexts.
 */
#include "glue/glue.h"

#include <errno.h>
#include <stdlib.h>

#include "util/mem.h"

OM_uint32
bt_fail(OM_uint32 *minor, OM_uint32 major, OM_uint32 code)
{
    if (minor != NULL)
        *minor = code;
    return major;
}

/* ---- destructors: run when the last reference goes ---- */

static void
name_destroy(struct bt_obj *obj)
{
    struct bt_name *name = (struct bt_name *)obj;

    if (name->mech != NULL && name->mname != NULL)
        name->mech->release_name(name->mname);
    free(name->type.elements);
    bt_free_secret(name->text.value, name->text.length);
    free(name);
}

static void
cred_destroy(struct bt_obj *obj)
{
    struct bt_cred *cred = (struct bt_cred *)obj;

    for (size_t i = 0; i < cred->n; i++)
        bt_cred_el_put(cred->el[i]);
    pthread_mutex_destroy(&cred->lock);
    free(cred);
}

static void
ctx_destroy(struct bt_obj *obj)
{
    struct bt_ctx *ctx = (struct bt_ctx *)obj;

    if (ctx->mctx != NULL)
        ctx->mech->delete_sec_context(ctx->mctx);
    pthread_mutex_destroy(&ctx->lock);
    free(ctx);
}

/* ---- credential elements ---- */

OM_uint32
bt_cred_el_new(OM_uint32 *minor, const struct bt_mech *mech, void *mcred,
               struct bt_cred_el **out)
{
    struct bt_cred_el *el = malloc(sizeof(*el));

    if (el == NULL) {
        mech->release_cred(mcred);
        return bt_fail(minor, GSS_S_FAILURE, ENOMEM);
    }
    atomic_init(&el->refs, 1);
    el->mech = mech;
    el->mcred = mcred;
    *out = el;
    return GSS_S_COMPLETE;
}

void
bt_cred_el_ref(struct bt_cred_el *el)
{
    atomic_fetch_add_explicit(&el->refs, 1, memory_order_relaxed);
}

void
bt_cred_el_put(struct bt_cred_el *el)
{
    if (el == NULL)
        return;
    if (atomic_fetch_sub_explicit(&el->refs, 1, memory_order_acq_rel) == 1) {
        el->mech->release_cred(el->mcred);
        free(el);
    }
}

struct bt_cred_el *
bt_cred_find(struct bt_cred *cred, const struct bt_mech *mech)
{
    struct bt_cred_el *found = NULL;

    pthread_mutex_lock(&cred->lock);
    for (size_t i = 0; i < cred->n && found == NULL; i++) {
        if (cred->el[i]->mech == mech)
            found = cred->el[i];
    }
    pthread_mutex_unlock(&cred->lock);
    return found;
}

OM_uint32
bt_cred_for_call(OM_uint32 *minor, struct bt_cred *cred,
                 const struct bt_mech *mech, void **mcred_out, void **tmp_out)
{
    const struct bt_mech *mechs[BT_MAX_MECHS];
    void *mcreds[BT_MAX_MECHS];
    struct bt_cred_el *el;
    size_t n = 0;

    *mcred_out = *tmp_out = NULL;
    if (cred == NULL)
        return GSS_S_COMPLETE;
    if ((el = bt_cred_find(cred, mech)) != NULL) {
        *mcred_out = el->mcred;
        return GSS_S_COMPLETE;
    }
    if (mech->borrow_creds == NULL)
        return bt_fail(minor, GSS_S_NO_CRED, BT_E_MECH_NOT_IN_CRED);
    pthread_mutex_lock(&cred->lock);
    for (size_t i = 0; i < cred->n; i++) {
        mechs[n] = cred->el[i]->mech;
        mcreds[n++] = cred->el[i]->mcred;
    }
    pthread_mutex_unlock(&cred->lock);
    if (mech->borrow_creds(minor, n, mechs, mcreds, tmp_out) != GSS_S_COMPLETE)
        return bt_fail(minor, GSS_S_NO_CRED, BT_E_MECH_NOT_IN_CRED);
    *mcred_out = *tmp_out;
    return GSS_S_COMPLETE;
}

/* ---- allocation ---- */

OM_uint32
bt_name_alloc(OM_uint32 *minor, struct bt_name **out)
{
    struct bt_name *name = calloc(1, sizeof(*name));

    if (name == NULL)
        return bt_fail(minor, GSS_S_FAILURE, ENOMEM);
    bt_obj_init(&name->obj, BT_KIND_NAME, name_destroy);
    *out = name;
    return GSS_S_COMPLETE;
}

OM_uint32
bt_cred_alloc(OM_uint32 *minor, struct bt_cred **out)
{
    struct bt_cred *cred = calloc(1, sizeof(*cred));

    if (cred == NULL)
        return bt_fail(minor, GSS_S_FAILURE, ENOMEM);
    if (pthread_mutex_init(&cred->lock, NULL) != 0) {
        free(cred);
        return bt_fail(minor, GSS_S_FAILURE, ENOMEM);
    }
    bt_obj_init(&cred->obj, BT_KIND_CRED, cred_destroy);
    *out = cred;
    return GSS_S_COMPLETE;
}

OM_uint32
bt_ctx_alloc(OM_uint32 *minor, struct bt_ctx **out)
{
    struct bt_ctx *ctx = calloc(1, sizeof(*ctx));

    if (ctx == NULL)
        return bt_fail(minor, GSS_S_FAILURE, ENOMEM);
    if (pthread_mutex_init(&ctx->lock, NULL) != 0) {
        free(ctx);
        return bt_fail(minor, GSS_S_FAILURE, ENOMEM);
    }
    bt_obj_init(&ctx->obj, BT_KIND_CTX, ctx_destroy);
    *out = ctx;
    return GSS_S_COMPLETE;
}

/* ---- handles ---- */

static OM_uint32
publish(OM_uint32 *minor, struct bt_obj *obj, uintptr_t *out)
{
    uintptr_t h;
    int ret = bt_handle_issue(obj, &h);

    bt_obj_put(obj);                /* the handle holds the object now */
    if (ret != 0)
        return bt_fail(minor, GSS_S_FAILURE, (OM_uint32)ret);
    *out = h;
    return GSS_S_COMPLETE;
}

OM_uint32
bt_name_publish(OM_uint32 *minor, struct bt_name *name, gss_name_t *out)
{
    uintptr_t h;
    OM_uint32 major = publish(minor, &name->obj, &h);

    if (major == GSS_S_COMPLETE)
        *out = (gss_name_t)h;
    return major;
}

OM_uint32
bt_cred_publish(OM_uint32 *minor, struct bt_cred *cred, gss_cred_id_t *out)
{
    uintptr_t h;
    OM_uint32 major = publish(minor, &cred->obj, &h);

    if (major == GSS_S_COMPLETE)
        *out = (gss_cred_id_t)h;
    return major;
}

OM_uint32
bt_ctx_publish(OM_uint32 *minor, struct bt_ctx *ctx, gss_ctx_id_t *out)
{
    uintptr_t h;
    OM_uint32 major = publish(minor, &ctx->obj, &h);

    if (major == GSS_S_COMPLETE)
        *out = (gss_ctx_id_t)h;
    return major;
}

struct bt_name *
bt_name_get(gss_name_t h)
{
    return (struct bt_name *)bt_handle_get((uintptr_t)h, BT_KIND_NAME);
}

struct bt_cred *
bt_cred_get(gss_cred_id_t h)
{
    return (struct bt_cred *)bt_handle_get((uintptr_t)h, BT_KIND_CRED);
}

struct bt_ctx *
bt_ctx_get(gss_ctx_id_t h)
{
    return (struct bt_ctx *)bt_handle_get((uintptr_t)h, BT_KIND_CTX);
}

void
bt_name_put(struct bt_name *name)
{
    if (name != NULL)
        bt_obj_put(&name->obj);
}

void
bt_cred_put(struct bt_cred *cred)
{
    if (cred != NULL)
        bt_obj_put(&cred->obj);
}

void
bt_ctx_put(struct bt_ctx *ctx)
{
    if (ctx != NULL)
        bt_obj_put(&ctx->obj);
}
