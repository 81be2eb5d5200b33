/*
 * settings.c - transfer settings: baton_transfer_* calls, then the
 * environment (read with secure_getenv, so a setuid or setgid program
 * cannot be weakened through it), then the configuration file, then the
 * defaults.
 */
#define _GNU_SOURCE
#include "transfer/settings.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "util/mem.h"
#include "util/reader.h"

#define DEFAULT_CONFIG "/etc/baton/baton.conf"
#define MAX_CONFIG 16384

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static struct {
    enum baton_policy policy;       /* 0: not set */
    enum baton_key_source source;
    unsigned int lifetime;
    bool have_key;
    uint8_t key[BT_TRANSFER_KEY_LEN];
} api;

static pthread_once_t file_once = PTHREAD_ONCE_INIT;

/* The environment, read once per process (getenv scans the whole
 * environment; transfers would pay for it on every call). */
static pthread_once_t env_once = PTHREAD_ONCE_INIT;
static struct {
    enum baton_policy policy;
    enum baton_key_source source;
    unsigned int lifetime;
    char runtime_dir[256];
} env;
static struct {
    int error;
    enum baton_policy policy;
    enum baton_key_source source;
    unsigned int lifetime;
    char runtime_dir[256];
} file;

static enum baton_policy
parse_policy(const char *s)
{
    return strcmp(s, "uid") == 0 ? BATON_POLICY_UID
           : strcmp(s, "pgrp") == 0 ? BATON_POLICY_PGRP
           : strcmp(s, "any") == 0 ? BATON_POLICY_ANY : 0;
}

static enum baton_key_source
parse_source(const char *s)
{
    return strcmp(s, "user") == 0 ? BATON_KEY_USER
           : strcmp(s, "inherit") == 0 ? BATON_KEY_INHERIT
           : strcmp(s, "app") == 0 ? BATON_KEY_APP
           : strcmp(s, "none") == 0 ? BATON_KEY_NONE : 0;
}

static unsigned int
parse_lifetime(const char *s)
{
    char *end;
    unsigned long v;

    errno = 0;
    v = strtoul(s, &end, 10);
    if (*s < '0' || *s > '9' || *end != '\0' || errno != 0 || v < 1 ||
        v > 86400)
        return 0;
    return (unsigned int)v;
}

/* Copies the next line of r (without the newline) into out. */
static bool
next_line(struct bt_reader *r, char *out, size_t size)
{
    size_t n = 0;
    int c;

    if (bt_rd_remaining(r) == 0)
        return false;
    while ((c = bt_rd_peek(r)) != -1 && c != '\n') {
        (void)bt_rd_u8(r);
        if (n + 1 < size)
            out[n++] = (char)c;
    }
    (void)bt_rd_u8(r);
    out[n] = '\0';
    return true;
}

static char *
trim(char *s)
{
    char *e;

    while (*s == ' ' || *s == '\t')
        s++;
    e = s + strlen(s);
    while (e > s && (e[-1] == ' ' || e[-1] == '\t' || e[-1] == '\r'))
        *--e = '\0';
    return s;
}

/* "key = value" lines; '#' starts a comment.  Unknown keys are errors, so
 * a typo cannot silently leave a weaker default in force. */
static int
parse_config(struct bt_reader *r)
{
    char line[512], *eq, *k, *v;

    while (next_line(r, line, sizeof(line))) {
        if ((eq = strchr(line, '#')) != NULL)
            *eq = '\0';
        k = trim(line);
        if (*k == '\0')
            continue;
        if ((eq = strchr(k, '=')) == NULL)
            return EINVAL;
        *eq = '\0';
        k = trim(k);
        v = trim(eq + 1);
        if (strcmp(k, "policy") == 0 && parse_policy(v) != 0)
            file.policy = parse_policy(v);
        else if (strcmp(k, "key") == 0 && parse_source(v) != 0)
            file.source = parse_source(v);
        else if (strcmp(k, "lifetime") == 0 && parse_lifetime(v) != 0)
            file.lifetime = parse_lifetime(v);
        else if (strcmp(k, "runtime_dir") == 0 && v[0] == '/' &&
                 strlen(v) < sizeof(file.runtime_dir))
            snprintf(file.runtime_dir, sizeof(file.runtime_dir), "%s", v);
        else
            return EINVAL;
    }
    return 0;
}

static void
read_config_file(void)
{
    const char *path = secure_getenv("BATON_CONFIG");
    static char buf[MAX_CONFIG];
    struct bt_reader r;
    ssize_t n;
    int fd;

    fd = open(path != NULL ? path : DEFAULT_CONFIG, O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        /* No file is fine; a named file that is missing is not. */
        file.error = (path != NULL || errno != ENOENT) ? errno : 0;
        return;
    }
    n = read(fd, buf, sizeof(buf));
    close(fd);
    if (n < 0 || (size_t)n == sizeof(buf)) {
        file.error = n < 0 ? errno : EFBIG;
        return;
    }
    bt_rd_init(&r, buf, (size_t)n);
    file.error = parse_config(&r);
}

static void
read_environment(void)
{
    const char *e;

    if ((e = secure_getenv("BATON_TRANSFER_POLICY")) != NULL)
        env.policy = parse_policy(e);
    if ((e = secure_getenv("BATON_TRANSFER_KEY")) != NULL)
        env.source = parse_source(e);
    if ((e = secure_getenv("BATON_TRANSFER_LIFETIME")) != NULL)
        env.lifetime = parse_lifetime(e);
    if ((e = secure_getenv("BATON_RUNTIME_DIR")) != NULL && e[0] == '/')
        snprintf(env.runtime_dir, sizeof(env.runtime_dir), "%s", e);
    else if (file.runtime_dir[0] != '\0')
        snprintf(env.runtime_dir, sizeof(env.runtime_dir), "%s",
                 file.runtime_dir);
    else if ((e = secure_getenv("XDG_RUNTIME_DIR")) != NULL && e[0] == '/')
        snprintf(env.runtime_dir, sizeof(env.runtime_dir), "%s/baton", e);
    else
        snprintf(env.runtime_dir, sizeof(env.runtime_dir), "/tmp/baton-%u",
                 (unsigned)geteuid());
}

int
bt_transfer_settings(struct bt_transfer_settings *out)
{
    pthread_once(&file_once, read_config_file);
    if (file.error != 0)
        return file.error;
    pthread_once(&env_once, read_environment);
    out->policy = env.policy != 0 ? env.policy
                  : file.policy != 0 ? file.policy : BATON_POLICY_UID;
    out->key_source = env.source != 0 ? env.source
                      : file.source != 0 ? file.source : BATON_KEY_USER;
    out->lifetime = env.lifetime != 0 ? env.lifetime
                    : file.lifetime != 0 ? file.lifetime : 10;
    memcpy(out->runtime_dir, env.runtime_dir, sizeof(out->runtime_dir));
    pthread_mutex_lock(&lock);
    if (api.policy != 0)
        out->policy = api.policy;
    if (api.source != 0)
        out->key_source = api.source;
    if (api.lifetime != 0)
        out->lifetime = api.lifetime;
    pthread_mutex_unlock(&lock);
    return 0;
}

bool
bt_transfer_app_key(uint8_t key[BT_TRANSFER_KEY_LEN])
{
    bool have;

    pthread_mutex_lock(&lock);
    have = api.have_key;
    if (have)
        memcpy(key, api.key, BT_TRANSFER_KEY_LEN);
    pthread_mutex_unlock(&lock);
    return have;
}

BT_EXPORT int
baton_transfer_set_policy(enum baton_policy policy)
{
    if (policy != BATON_POLICY_UID && policy != BATON_POLICY_PGRP &&
        policy != BATON_POLICY_ANY)
        return EINVAL;
    pthread_mutex_lock(&lock);
    api.policy = policy;
    pthread_mutex_unlock(&lock);
    return 0;
}

BT_EXPORT int
baton_transfer_set_key_source(enum baton_key_source source)
{
    if (source < BATON_KEY_USER || source > BATON_KEY_NONE)
        return EINVAL;
    pthread_mutex_lock(&lock);
    if (source == BATON_KEY_APP && !api.have_key) {
        pthread_mutex_unlock(&lock);
        return EINVAL;          /* baton_transfer_set_key first */
    }
    api.source = source;
    pthread_mutex_unlock(&lock);
    return 0;
}

BT_EXPORT int
baton_transfer_set_key(const void *key, size_t len)
{
    if (key == NULL || len != BT_TRANSFER_KEY_LEN)
        return EINVAL;
    pthread_mutex_lock(&lock);
    memcpy(api.key, key, BT_TRANSFER_KEY_LEN);
    api.have_key = true;
    api.source = BATON_KEY_APP;
    pthread_mutex_unlock(&lock);
    return 0;
}

BT_EXPORT int
baton_transfer_set_lifetime(unsigned int seconds)
{
    if (seconds < 1 || seconds > 86400)
        return EINVAL;
    pthread_mutex_lock(&lock);
    api.lifetime = seconds;
    pthread_mutex_unlock(&lock);
    return 0;
}

__attribute__((destructor)) static void
wipe_app_key(void)
{
    bt_wipe(api.key, sizeof(api.key));
}
