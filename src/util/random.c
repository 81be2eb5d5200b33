/*
 * random.c - a small pool over RAND_bytes.
 *
 * Bytes handed out are wiped from the pool.  The pool is emptied in the
 * child after fork (pthread_atfork), so parent and child can never hand
 * out the same bytes - a repeated AES-GCM nonce under one key would be
 * fatal to the seal.
 */
#include "util/random.h"

#include <errno.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include <openssl/rand.h>

#include "util/mem.h"

#define POOL 1024

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_once_t once = PTHREAD_ONCE_INIT;
static uint8_t pool[POOL];
static size_t left;             /* unused bytes at the end of pool */

static void
child_after_fork(void)
{
    bt_wipe(pool, sizeof(pool));
    left = 0;
}

static void
setup(void)
{
    (void)pthread_atfork(NULL, NULL, child_after_fork);
}

int
bt_random(void *out, size_t n)
{
    int ret = 0;

    if (n > POOL / 4)
        return RAND_bytes(out, (int)n) == 1 ? 0 : EIO;
    pthread_once(&once, setup);
    pthread_mutex_lock(&lock);
    if (left < n) {
        if (RAND_bytes(pool, POOL) == 1)
            left = POOL;
        else
            ret = EIO;
    }
    if (ret == 0) {
        memcpy(out, pool + POOL - left, n);
        bt_wipe(pool + POOL - left, n);
        left -= n;
    }
    pthread_mutex_unlock(&lock);
    return ret;
}

__attribute__((destructor)) static void
wipe_pool(void)
{
    bt_wipe(pool, sizeof(pool));
}
