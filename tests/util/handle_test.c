/* Tests for src/util/handle.c: generation checks, kinds, reuse, threads. */
#include "check.h"

#include <pthread.h>
#include <stdatomic.h>

#include "util/handle.h"

struct thing {
    struct bt_obj obj;
    int value;
};

static atomic_int destroyed;

static void
thing_destroy(struct bt_obj *obj)
{
    atomic_fetch_add(&destroyed, 1);
    free(obj);
}

static struct thing *
thing_new(enum bt_kind kind, int value)
{
    struct thing *t = malloc(sizeof(*t));

    bt_obj_init(&t->obj, kind, thing_destroy);
    t->value = value;
    return t;
}

/* Issues a handle; the registry then holds the only reference. */
static uintptr_t
issue(enum bt_kind kind, int value)
{
    struct thing *t = thing_new(kind, value);
    uintptr_t h = 0;

    CHECK(bt_handle_issue(&t->obj, &h) == 0);
    bt_obj_put(&t->obj);
    return h;
}

static void
lookup_checks_kind_and_liveness(void)
{
    uintptr_t h = issue(BT_KIND_NAME, 7);
    struct bt_obj *o;

    CHECK(h != 0);
    o = bt_handle_get(h, BT_KIND_NAME);
    CHECK(o != NULL && ((struct thing *)o)->value == 7);
    bt_obj_put(o);
    CHECK(bt_handle_get(h, BT_KIND_CTX) == NULL);
    CHECK(bt_handle_get(h, BT_KIND_CRED) == NULL);
    o = bt_handle_retire(h, BT_KIND_NAME);
    CHECK(o != NULL);
    bt_obj_put(o);
    CHECK(bt_handle_get(h, BT_KIND_NAME) == NULL);
    CHECK(bt_handle_retire(h, BT_KIND_NAME) == NULL);
}

static void
stale_handle_fails_after_slot_reuse(void)
{
    uintptr_t old = issue(BT_KIND_CTX, 1), fresh;
    struct bt_obj *o = bt_handle_retire(old, BT_KIND_CTX);

    bt_obj_put(o);
    fresh = issue(BT_KIND_CTX, 2);         /* likely the same slot */
    CHECK(fresh != old);
    CHECK(bt_handle_get(old, BT_KIND_CTX) == NULL);
    o = bt_handle_get(fresh, BT_KIND_CTX);
    CHECK(o != NULL && ((struct thing *)o)->value == 2);
    bt_obj_put(o);
    bt_obj_put(bt_handle_retire(fresh, BT_KIND_CTX));
}

static void
garbage_values_are_refused(void)
{
    static int on_stack;
    const uintptr_t garbage[] = {
        0, 1, 2, 3, (uintptr_t)-1, (uintptr_t)&on_stack,
        (uintptr_t)&garbage_values_are_refused, (uintptr_t)malloc,
        0x5555555555555555u, 0x0000000100000007u,
    };

    for (size_t i = 0; i < sizeof(garbage) / sizeof(garbage[0]); i++) {
        CHECK(bt_handle_get(garbage[i], BT_KIND_NAME) == NULL);
        CHECK(bt_handle_get(garbage[i], BT_KIND_CRED) == NULL);
        CHECK(bt_handle_get(garbage[i], BT_KIND_CTX) == NULL);
    }
}

static void
pinned_object_outlives_retire(void)
{
    uintptr_t h = issue(BT_KIND_CRED, 3);
    int before = atomic_load(&destroyed);
    struct bt_obj *pin = bt_handle_get(h, BT_KIND_CRED);

    bt_obj_put(bt_handle_retire(h, BT_KIND_CRED));
    CHECK(atomic_load(&destroyed) == before);      /* still pinned */
    CHECK(((struct thing *)pin)->value == 3);
    bt_obj_put(pin);
    CHECK(atomic_load(&destroyed) == before + 1);
}

static void
many_handles_grow_the_table(void)
{
    enum { N = 5000 };
    uintptr_t *h = malloc(N * sizeof(*h));
    size_t base = bt_handle_count();

    for (int i = 0; i < N; i++)
        h[i] = issue(BT_KIND_NAME, i);
    CHECK(bt_handle_count() == base + N);
    for (int i = 0; i < N; i += 977) {
        struct bt_obj *o = bt_handle_get(h[i], BT_KIND_NAME);

        CHECK(o != NULL && ((struct thing *)o)->value == i);
        bt_obj_put(o);
    }
    for (int i = 0; i < N; i++)
        bt_obj_put(bt_handle_retire(h[i], BT_KIND_NAME));
    CHECK(bt_handle_count() == base);
    free(h);
}

/* Several threads issue, use and retire their own handles while also
 * probing each other's retired ones; under ASan this proves no lookup
 * touches freed memory. */
#define THREADS 4
#define ROUNDS 20000
static _Atomic uintptr_t shared_stale[THREADS];
static atomic_int thread_errors;

static void *
churn(void *arg)
{
    int id = (int)(intptr_t)arg;

    for (int i = 0; i < ROUNDS; i++) {
        struct thing *t = thing_new(BT_KIND_CTX, i);
        uintptr_t h = 0, other;
        struct bt_obj *o;

        if (bt_handle_issue(&t->obj, &h) != 0)
            atomic_fetch_add(&thread_errors, 1);
        bt_obj_put(&t->obj);
        o = bt_handle_get(h, BT_KIND_CTX);
        if (o == NULL || ((struct thing *)o)->value != i)
            atomic_fetch_add(&thread_errors, 1);
        bt_obj_put(o);
        bt_obj_put(bt_handle_retire(h, BT_KIND_CTX));
        atomic_store(&shared_stale[id], h);
        other = atomic_load(&shared_stale[(id + 1) % THREADS]);
        if (other != 0 && bt_handle_get(other, BT_KIND_CTX) != NULL)
            atomic_fetch_add(&thread_errors, 1);
    }
    return NULL;
}

static void
concurrent_use_and_retire(void)
{
    pthread_t th[THREADS];

    for (int i = 0; i < THREADS; i++)
        CHECK(pthread_create(&th[i], NULL, churn, (void *)(intptr_t)i) == 0);
    for (int i = 0; i < THREADS; i++)
        pthread_join(th[i], NULL);
    CHECK(atomic_load(&thread_errors) == 0);
}

BT_TEST_MAIN(lookup_checks_kind_and_liveness,
             stale_handle_fails_after_slot_reuse, garbage_values_are_refused,
             pinned_object_outlives_retire, many_handles_grow_the_table,
             concurrent_use_and_retire)
