/*
 * keys.c - key sources: a per-account key file, a key inherited from the
 * process that made it, or the application's own.
 */
#define _GNU_SOURCE
#include "transfer/keys.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/rand.h>

#include "util/mem.h"

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
/* Keys already loaded or made in this process (and, after fork, in its
 * children: that is what "inherit" means). */
static uint8_t inherit_key[BT_TRANSFER_KEY_LEN];
static bool have_inherit_key;
static uint8_t user_key[BT_TRANSFER_KEY_LEN];
static char user_key_dir[256];

static int
check_owner_mode(const struct stat *st, mode_t type)
{
    if ((st->st_mode & S_IFMT) != type || st->st_uid != geteuid() ||
        (st->st_mode & 077) != 0)
        return EPERM;
    return 0;
}

static pthread_mutex_t dir_lock = PTHREAD_MUTEX_INITIALIZER;
static char checked_dir[256];

int
bt_runtime_dir(const char *dir)
{
    struct stat st;
    int ret;

    /* Checked once per process and directory: transfers in steady state
     * make no system calls. */
    pthread_mutex_lock(&dir_lock);
    ret = strcmp(checked_dir, dir) == 0 ? 0 : -1;
    pthread_mutex_unlock(&dir_lock);
    if (ret == 0)
        return 0;
    if (mkdir(dir, 0700) != 0 && errno != EEXIST)
        return errno;
    if (lstat(dir, &st) != 0)
        return errno;
    ret = check_owner_mode(&st, S_IFDIR);
    if (ret == 0) {
        pthread_mutex_lock(&dir_lock);
        snprintf(checked_dir, sizeof(checked_dir), "%s", dir);
        pthread_mutex_unlock(&dir_lock);
    }
    return ret;
}

/* Reads exactly one key from an open file that must be ours and 0600. */
static int
read_key_file(int fd, uint8_t key[BT_TRANSFER_KEY_LEN])
{
    struct stat st;
    ssize_t n;
    int ret;

    if (fstat(fd, &st) != 0)
        return errno;
    if ((ret = check_owner_mode(&st, S_IFREG)) != 0)
        return ret;
    if (st.st_size != BT_TRANSFER_KEY_LEN)
        return EPERM;
    n = read(fd, key, BT_TRANSFER_KEY_LEN);
    return n == BT_TRANSFER_KEY_LEN ? 0 : EIO;
}

/* Creates the key file atomically: a fresh key is written to a private
 * temporary file, then linked into place; if another process won the race
 * its key is used instead. */
static int
create_key_file(const char *dir, const char *path,
                uint8_t key[BT_TRANSFER_KEY_LEN])
{
    char tmp[300];
    int fd, ret = 0;

    snprintf(tmp, sizeof(tmp), "%s/.transfer.key.%ld", dir, (long)getpid());
    (void)unlink(tmp);
    fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0600);
    if (fd < 0)
        return errno;
    if (RAND_bytes(key, BT_TRANSFER_KEY_LEN) != 1)
        ret = EIO;
    else if (write(fd, key, BT_TRANSFER_KEY_LEN) != BT_TRANSFER_KEY_LEN ||
             fsync(fd) != 0)
        ret = EIO;
    close(fd);
    if (ret == 0 && link(tmp, path) != 0)
        ret = errno;
    (void)unlink(tmp);
    return ret;
}

static int
load_user_key(const char *dir, uint8_t key[BT_TRANSFER_KEY_LEN])
{
    char path[300];
    int fd, ret;

    if ((ret = bt_runtime_dir(dir)) != 0)
        return ret;
    snprintf(path, sizeof(path), "%s/transfer.key", dir);
    fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
    if (fd < 0 && errno == ENOENT) {
        ret = create_key_file(dir, path, key);
        if (ret != EEXIST)
            return ret;
        fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
    }
    if (fd < 0)
        return errno;
    ret = read_key_file(fd, key);
    close(fd);
    return ret;
}

/* An exec'd child gets its parent's key through BATON_TRANSFER_KEY_FD. */
static bool
read_key_fd(uint8_t key[BT_TRANSFER_KEY_LEN])
{
    const char *e = secure_getenv("BATON_TRANSFER_KEY_FD");
    char *end;
    long fd;
    size_t got = 0;

    if (e == NULL)
        return false;
    struct stat st;

    fd = strtol(e, &end, 10);
    if (*e == '\0' || *end != '\0' || fd < 0 || fd > 65535)
        return false;
    /* Only a pipe is taken for a key: never read (or close) a file that
     * happens to have the number. */
    if (fstat((int)fd, &st) != 0 || !S_ISFIFO(st.st_mode))
        return false;
    while (got < BT_TRANSFER_KEY_LEN) {
        ssize_t n = read((int)fd, key + got, BT_TRANSFER_KEY_LEN - got);

        if (n <= 0)
            break;
        got += (size_t)n;
    }
    close((int)fd);
    return got == BT_TRANSFER_KEY_LEN;
}

/* The inherited key: made here, inherited by fork, or passed by fd.  A
 * process told to read its key from a descriptor never makes its own: a
 * short read is an error, not a fresh key nobody else has. */
static bool
inherit(void)
{
    static bool fd_failed;

    if (have_inherit_key)
        return true;
    if (fd_failed)
        return false;           /* the descriptor is read once only */
    if (secure_getenv("BATON_TRANSFER_KEY_FD") != NULL) {
        have_inherit_key = read_key_fd(inherit_key);
        fd_failed = !have_inherit_key;
    } else {
        have_inherit_key = RAND_bytes(inherit_key, sizeof(inherit_key)) == 1;
    }
    return have_inherit_key;
}

BT_EXPORT int
baton_transfer_key_fd(int *fd_out)
{
    int p[2], ret = 0;

    if (fd_out == NULL)
        return EINVAL;
    if (pipe(p) != 0)
        return errno;
    pthread_mutex_lock(&lock);
    if (!inherit())
        ret = EIO;
    else if (write(p[1], inherit_key, BT_TRANSFER_KEY_LEN) !=
             BT_TRANSFER_KEY_LEN)
        ret = EIO;
    pthread_mutex_unlock(&lock);
    close(p[1]);
    if (ret != 0) {
        close(p[0]);
        return ret;
    }
    *fd_out = p[0];
    return 0;
}

int
bt_transfer_key(const struct bt_transfer_settings *s,
                uint8_t key[BT_TRANSFER_KEY_LEN])
{
    int ret = 0;

    switch (s->key_source) {
    case BATON_KEY_APP:
        return bt_transfer_app_key(key) ? 0 : ENOKEY;
    case BATON_KEY_INHERIT:
        pthread_mutex_lock(&lock);
        if (inherit())
            memcpy(key, inherit_key, BT_TRANSFER_KEY_LEN);
        else
            ret = EIO;
        pthread_mutex_unlock(&lock);
        return ret;
    case BATON_KEY_USER:
        /* Loaded once per process and directory; no syscalls after. */
        pthread_mutex_lock(&lock);
        if (strcmp(user_key_dir, s->runtime_dir) != 0) {
            ret = load_user_key(s->runtime_dir, user_key);
            if (ret == 0)
                snprintf(user_key_dir, sizeof(user_key_dir), "%s",
                         s->runtime_dir);
        }
        if (ret == 0)
            memcpy(key, user_key, BT_TRANSFER_KEY_LEN);
        pthread_mutex_unlock(&lock);
        return ret;
    default:
        return ENOKEY;
    }
}

/* The last key's id is remembered: a process seals with one key. */
static pthread_mutex_t id_lock = PTHREAD_MUTEX_INITIALIZER;
static uint8_t id_key[BT_TRANSFER_KEY_LEN];
static uint8_t id_value[8];
static bool have_id;

void
bt_transfer_key_id(const uint8_t key[BT_TRANSFER_KEY_LEN], uint8_t id[8])
{
    static const char label[] = "baton transfer key id";
    uint8_t digest[EVP_MAX_MD_SIZE];
    unsigned int n = 0;
    EVP_MD_CTX *md;

    pthread_mutex_lock(&id_lock);
    if (have_id && CRYPTO_memcmp(id_key, key, BT_TRANSFER_KEY_LEN) == 0) {
        memcpy(id, id_value, 8);
        pthread_mutex_unlock(&id_lock);
        return;
    }
    pthread_mutex_unlock(&id_lock);
    memset(id, 0, 8);
    md = EVP_MD_CTX_new();
    if (md != NULL && EVP_DigestInit_ex(md, EVP_sha256(), NULL) == 1 &&
        EVP_DigestUpdate(md, label, sizeof(label) - 1) == 1 &&
        EVP_DigestUpdate(md, key, BT_TRANSFER_KEY_LEN) == 1 &&
        EVP_DigestFinal_ex(md, digest, &n) == 1 && n >= 8) {
        memcpy(id, digest, 8);
        pthread_mutex_lock(&id_lock);
        memcpy(id_key, key, BT_TRANSFER_KEY_LEN);
        memcpy(id_value, id, 8);
        have_id = true;
        pthread_mutex_unlock(&id_lock);
    }
    EVP_MD_CTX_free(md);
}

__attribute__((destructor)) static void
wipe_keys(void)
{
    bt_wipe(inherit_key, sizeof(inherit_key));
    bt_wipe(user_key, sizeof(user_key));
    bt_wipe(id_key, sizeof(id_key));
}
