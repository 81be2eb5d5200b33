/*
 * ledger.c - a fixed-size open-addressing table in a shared file mapping,
 * guarded by a process-shared robust mutex that lives in the mapping.
 *
 * Each slot holds the first 64 bits of a token id (the id is 128 random
 * bits; 64 of them make a false match negligible within a transfer
 * lifetime) and its expiry.  A claim looks at every slot the id may occupy
 * and records it under the lock, so two processes can never both claim one
 * token.  The mutex is robust: if a process dies holding it the next one
 * takes it over, and a claim that was written stays written - a token
 * whose importer crashed is consumed, the safe side.  Uncontended, the lock
 * costs no system call.
 */
#include "transfer/ledger.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <sys/file.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

/* Capacity: SLOTS tokens alive at once (each stays recorded until it
 * expires), i.e. about 6,500 transfers a second at the default 10-second
 * lifetime; the file is 1 MiB. */
#define SLOTS 65536
#define PROBES 64
#define MAGIC 0x42544c47u       /* "BTLG" */
#define LAYOUT 2u

struct slot {
    uint64_t id;                /* 0: free */
    int64_t expires;
};

struct table {
    uint32_t magic;
    uint32_t layout;
    uint32_t slots;
    uint32_t size;              /* sizeof(struct table): ABI check */
    pthread_mutex_t lock;
    struct slot slot[SLOTS];
};

static pthread_mutex_t local = PTHREAD_MUTEX_INITIALIZER;
static struct table *table;
static char table_dir[256];

static int
init_table(struct table *t)
{
    pthread_mutexattr_t a;
    int ret = pthread_mutexattr_init(&a);

    if (ret == 0)
        ret = pthread_mutexattr_setpshared(&a, PTHREAD_PROCESS_SHARED);
    if (ret == 0)
        ret = pthread_mutexattr_setrobust(&a, PTHREAD_MUTEX_ROBUST);
    if (ret == 0)
        ret = pthread_mutex_init(&t->lock, &a);
    pthread_mutexattr_destroy(&a);
    if (ret == 0) {
        t->slots = SLOTS;
        t->size = (uint32_t)sizeof(*t);
        t->layout = LAYOUT;
        t->magic = MAGIC;
    }
    return ret;
}

/* Maps the file, initialising it under flock if it is new. */
static int
map_file(int fd, struct table **out)
{
    struct stat st;
    struct table *t;
    void *p;
    int ret = 0;

    if (fstat(fd, &st) != 0)
        return errno;
    if (!S_ISREG(st.st_mode) || st.st_uid != geteuid() ||
        (st.st_mode & 077) != 0)
        return EPERM;
    if (flock(fd, LOCK_EX) != 0)
        return errno;
    if (fstat(fd, &st) != 0 ||
        (st.st_size < (off_t)sizeof(struct table) &&
         ftruncate(fd, (off_t)sizeof(struct table)) != 0))
        ret = errno;
    p = ret == 0 ? mmap(NULL, sizeof(struct table), PROT_READ | PROT_WRITE,
                        MAP_SHARED, fd, 0)
                 : MAP_FAILED;
    if (ret == 0 && p == MAP_FAILED)
        ret = errno;
    t = p;
    if (ret == 0 && t->magic == 0)
        ret = init_table(t);
    /* A process of another ABI (a 32-bit build: another mutex size)
     * cannot share the table: it is refused, not misread. */
    if (ret == 0 && (t->magic != MAGIC || t->layout != LAYOUT ||
                     t->slots != SLOTS || t->size != sizeof(*t)))
        ret = EPROTO;
    (void)flock(fd, LOCK_UN);
    if (ret != 0 && p != MAP_FAILED)
        munmap(p, sizeof(struct table));
    if (ret == 0)
        *out = t;
    return ret;
}

int
bt_ledger_open(const char *dir)
{
    char path[300];
    struct table *t = NULL;
    int fd, ret = 0;

    pthread_mutex_lock(&local);
    if (table != NULL && strcmp(table_dir, dir) == 0)
        goto cleanup;
    /* The layout is part of the name: a library with another layout uses
     * its own file instead of failing on this one. */
    snprintf(path, sizeof(path), "%s/ledger.%u", dir, LAYOUT);
    fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0600);
    if (fd < 0) {
        ret = errno;
        goto cleanup;
    }
    ret = map_file(fd, &t);
    close(fd);
    if (ret != 0)
        goto cleanup;
    /* A previous table (another runtime directory) stays mapped: another
     * thread may still be claiming in it. */
    table = t;
    snprintf(table_dir, sizeof(table_dir), "%s", dir);

cleanup:
    pthread_mutex_unlock(&local);
    return ret;
}

static uint64_t
id_word(const uint8_t id[16])
{
    uint64_t v = 0;

    for (int i = 0; i < 8; i++)
        v = (v << 8) | id[i];
    return v != 0 ? v : 1;      /* 0 marks a free slot */
}

static int
lock_table(struct table *t)
{
    int ret = pthread_mutex_lock(&t->lock);

    /* The previous holder died; the table itself is always consistent
     * (a slot is written id first, then expiry, both under the lock). */
    if (ret == EOWNERDEAD) {
        ret = pthread_mutex_consistent(&t->lock);
        if (ret != 0)
            pthread_mutex_unlock(&t->lock);
    }
    return ret;
}

int
bt_ledger_claim(const uint8_t id[16], int64_t expires, int64_t now)
{
    uint64_t want = id_word(id);
    struct slot *free_slot = NULL;
    struct table *t;
    size_t start;
    int ret;

    pthread_mutex_lock(&local);
    t = table;
    pthread_mutex_unlock(&local);
    if (t == NULL)
        return ENOENT;
    if ((ret = lock_table(t)) != 0)
        return ret;
    start = (size_t)(want % SLOTS);
    ret = ENOSPC;
    for (size_t i = 0; i < PROBES; i++) {
        struct slot *s = &t->slot[(start + i) % SLOTS];

        if (s->id == want) {
            ret = EEXIST;
            break;
        }
        if (free_slot == NULL && (s->id == 0 || s->expires < now))
            free_slot = s;
    }
    if (ret != EEXIST && free_slot != NULL) {
        free_slot->id = want;
        free_slot->expires = expires;
        ret = 0;
    }
    pthread_mutex_unlock(&t->lock);
    return ret;
}
