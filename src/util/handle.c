/*
 * handle.c - the handle registry: a slot table with generation counts.
 *
 * Handle value layout (64-bit uintptr_t):
 *   bits 63..32  generation of the slot when the handle was issued
 *   bits 31..2   slot index + 1 (so a handle is never 0)
 *   bits  1..0   kind
 * A slot's generation advances every time it is retired, so an old handle
 * value for a reused slot no longer matches.
 */
#include "util/handle.h"

#include <errno.h>
#include <pthread.h>
#include <stdlib.h>

_Static_assert(sizeof(uintptr_t) >= 8, "handles need 64-bit pointers");

#define MAX_SLOTS ((size_t)1 << 29)

struct slot {
    struct bt_obj *obj;     /* NULL when free */
    uint32_t gen;
    uint32_t next_free;     /* index + 1 of the next free slot, 0 = none */
};

static pthread_mutex_t reg_lock = PTHREAD_MUTEX_INITIALIZER;
static struct slot *slots;
static size_t n_slots;
static size_t n_live;
static uint32_t free_head;  /* index + 1 */

void
bt_obj_init(struct bt_obj *obj, enum bt_kind kind,
            void (*destroy)(struct bt_obj *obj))
{
    atomic_init(&obj->refs, 1);
    obj->kind = kind;
    obj->destroy = destroy;
}

void
bt_obj_ref(struct bt_obj *obj)
{
    atomic_fetch_add_explicit(&obj->refs, 1, memory_order_relaxed);
}

void
bt_obj_put(struct bt_obj *obj)
{
    if (obj == NULL)
        return;
    if (atomic_fetch_sub_explicit(&obj->refs, 1, memory_order_acq_rel) == 1)
        obj->destroy(obj);
}

static uintptr_t
encode(size_t idx, uint32_t gen, enum bt_kind kind)
{
    return ((uintptr_t)gen << 32) | ((uintptr_t)(idx + 1) << 2) |
           (uintptr_t)kind;
}

/* Returns the slot a handle names, or NULL; caller holds reg_lock. */
static struct slot *
decode(uintptr_t h, enum bt_kind kind)
{
    size_t idx = (size_t)((h >> 2) & 0x3fffffffu);
    struct slot *s;

    if ((h & 3u) != (uintptr_t)kind || idx == 0 || idx > n_slots)
        return NULL;
    s = &slots[idx - 1];
    if (s->obj == NULL || s->gen != (uint32_t)(h >> 32) ||
        s->obj->kind != kind)
        return NULL;
    return s;
}

static int
grow_table(void)
{
    size_t n = n_slots == 0 ? 64 : n_slots * 2;
    struct slot *p;

    if (n > MAX_SLOTS)
        return ENOMEM;
    p = realloc(slots, n * sizeof(*p));
    if (p == NULL)
        return ENOMEM;
    for (size_t i = n_slots; i < n; i++) {
        p[i].obj = NULL;
        p[i].gen = 1;
        p[i].next_free = (i + 1 < n) ? (uint32_t)(i + 2) : free_head;
    }
    free_head = (uint32_t)(n_slots + 1);
    slots = p;
    n_slots = n;
    return 0;
}

int
bt_handle_issue(struct bt_obj *obj, uintptr_t *handle_out)
{
    struct slot *s;
    int ret = 0;

    pthread_mutex_lock(&reg_lock);
    if (free_head == 0 && (ret = grow_table()) != 0)
        goto cleanup;
    s = &slots[free_head - 1];
    free_head = s->next_free;
    s->obj = obj;
    s->next_free = 0;
    bt_obj_ref(obj);
    n_live++;
    *handle_out = encode((size_t)(s - slots), s->gen, obj->kind);

cleanup:
    pthread_mutex_unlock(&reg_lock);
    return ret;
}

struct bt_obj *
bt_handle_get(uintptr_t handle, enum bt_kind kind)
{
    struct bt_obj *obj = NULL;
    struct slot *s;

    pthread_mutex_lock(&reg_lock);
    s = decode(handle, kind);
    if (s != NULL) {
        obj = s->obj;
        bt_obj_ref(obj);
    }
    pthread_mutex_unlock(&reg_lock);
    return obj;
}

struct bt_obj *
bt_handle_retire(uintptr_t handle, enum bt_kind kind)
{
    struct bt_obj *obj = NULL;
    struct slot *s;

    pthread_mutex_lock(&reg_lock);
    s = decode(handle, kind);
    if (s != NULL) {
        obj = s->obj;
        s->obj = NULL;
        /* Generation 0 is skipped so a zeroed value never matches. */
        if (++s->gen == 0)
            s->gen = 1;
        s->next_free = free_head;
        free_head = (uint32_t)(s - slots + 1);
        n_live--;
    }
    pthread_mutex_unlock(&reg_lock);
    return obj;
}

size_t
bt_handle_count(void)
{
    size_t n;

    pthread_mutex_lock(&reg_lock);
    n = n_live;
    pthread_mutex_unlock(&reg_lock);
    return n;
}

/* Returns the table to the allocator at unload when nothing is live, so
 * leak checkers see a clean exit. */
__attribute__((destructor)) static void
release_table(void)
{
    pthread_mutex_lock(&reg_lock);
    if (n_live == 0) {
        free(slots);
        slots = NULL;
        n_slots = 0;
        free_head = 0;
    }
    pthread_mutex_unlock(&reg_lock);
}
