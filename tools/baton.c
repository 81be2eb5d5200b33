/*
 * baton.c - the baton command-line tool.
 *
 *   baton token inspect FILE|-
 *       Prints the envelope of an interprocess token (from
 *       gss_export_sec_context): format version, mechanism, role, state,
 *       times, token id, importer binding, sealed or not.  It never prints
 *       the payload: the payload holds the context's keys.
 *   baton version
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <baton/baton.h>
#include <gssapi/gssapi.h>

#include "transfer/envelope.h"

#define MAX_TOKEN (2u << 20)

static int
usage(void)
{
    fprintf(stderr, "usage: baton token inspect FILE|-\n"
                    "       baton version\n");
    return 2;
}

/* Reads a whole file (or standard input) of at most MAX_TOKEN bytes. */
static unsigned char *
slurp(const char *path, size_t *len)
{
    FILE *f = strcmp(path, "-") == 0 ? stdin : fopen(path, "rb");
    unsigned char *buf;
    size_t n = 0, r;

    if (f == NULL) {
        fprintf(stderr, "baton: cannot open %s: %s\n", path, strerror(errno));
        return NULL;
    }
    buf = malloc(MAX_TOKEN + 1);
    while (buf != NULL && (r = fread(buf + n, 1, MAX_TOKEN + 1 - n, f)) > 0)
        n += r;
    if (f != stdin)
        fclose(f);
    if (buf != NULL && n > MAX_TOKEN) {
        fprintf(stderr, "baton: %s is larger than any token (%u bytes)\n",
                path, MAX_TOKEN);
        free(buf);
        return NULL;
    }
    *len = n;
    return buf;
}

static void
print_time(const char *label, uint64_t t)
{
    char text[64] = "out of range";
    time_t tt = (time_t)t;
    struct tm tm;

    if ((uint64_t)tt == t && gmtime_r(&tt, &tm) != NULL)
        strftime(text, sizeof(text), "%Y-%m-%d %H:%M:%S UTC", &tm);
    printf("%-10s %" PRIu64 " (%s)\n", label, t, text);
}

static void
print_oid(const struct bt_envelope *e)
{
    gss_OID_desc oid = { e->oid_len, (void *)e->oid };
    gss_buffer_desc s = GSS_C_EMPTY_BUFFER;
    OM_uint32 minor;

    if (gss_oid_to_str(&minor, &oid, &s) == GSS_S_COMPLETE)
        printf("%-10s %.*s\n", "mechanism", (int)s.length, (char *)s.value);
    else
        printf("%-10s (malformed OID)\n", "mechanism");
    gss_release_buffer(&minor, &s);
}

static void
print_envelope(const struct bt_envelope *e)
{
    static const char *const policies[] = { "?", "uid", "pgrp", "any" };
    time_t now = time(NULL);

    printf("%-10s %u\n", "version", e->version);
    print_oid(e);
    printf("%-10s %s\n", "role",
           e->role == BT_ENV_ROLE_INITIATOR ? "initiator" : "acceptor");
    printf("%-10s %s\n", "state", e->state == BT_ENV_STATE_OPEN
                                      ? "established" : "partial");
    print_time("created", e->created);
    print_time("expires", e->expires);
    printf("%-10s %s\n", "", (uint64_t)now > e->expires ? "(expired)"
                                                        : "(not expired)");
    printf("%-10s ", "token id");
    for (size_t i = 0; i < sizeof(e->token_id); i++)
        printf("%02x", e->token_id[i]);
    printf("\n%-10s %s", "binding", policies[e->policy]);
    if (e->policy != BATON_POLICY_ANY)
        printf(" %" PRIu64, e->binding);
    printf("\n%-10s %s\n", "sealed", e->sealed ? "yes (AES-256-GCM)"
                                               : "NO - keys in plaintext");
    if (e->sealed) {
        printf("%-10s ", "key id");
        for (size_t i = 0; i < sizeof(e->key_id); i++)
            printf("%02x", e->key_id[i]);
        printf("\n");
    }
    printf("%-10s %zu bytes (not shown)\n", "payload", e->payload_len);
}

static int
inspect(const char *path)
{
    struct bt_envelope e;
    unsigned char *buf;
    size_t len = 0;
    int status = 0;

    buf = slurp(path, &len);
    if (buf == NULL)
        return 1;
    switch (bt_env_parse(buf, len, &e)) {
    case BT_ENV_OK:
        print_envelope(&e);
        break;
    case BT_ENV_BAD_VERSION:
        fprintf(stderr, "baton: %s is a Baton token of format version %u, "
                "which this tool does not read\n", path, e.version);
        status = 1;
        break;
    default:
        fprintf(stderr, "baton: %s is not a Baton interprocess token (or it "
                "is truncated or damaged)\n", path);
        status = 1;
    }
    free(buf);
    return status;
}

int
main(int argc, char **argv)
{
    if (argc == 2 && strcmp(argv[1], "version") == 0) {
        printf("baton %s\n", baton_version());
        return 0;
    }
    if (argc == 4 && strcmp(argv[1], "token") == 0 &&
        strcmp(argv[2], "inspect") == 0)
        return inspect(argv[3]);
    return usage();
}
