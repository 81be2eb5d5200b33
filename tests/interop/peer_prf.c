/*
 * peer_prf.c - the prf scenario of the interop peer (peer.c): RFC 4401
 * gss_pseudo_random, which RFC 4402 defines for Kerberos as
 *
 *   PRF+(K, L, S) = truncate(L, T1 || T2 || ...),
 *   Ti = pseudo-random(K, i || S), i a 4-octet big-endian counter from 1,
 *
 * K being, for GSS_C_PRF_KEY_FULL, the acceptor subkey if the acceptor
 * asserted one (else the initiator subkey, else the session key) and, for
 * GSS_C_PRF_KEY_PARTIAL, the initiator subkey (else the session key).
 *
 * After mutual establishment both sides compute every key (FULL, PARTIAL)
 * x input (empty, 1 byte, 100 bytes: make_msg's) x output length (1, 16,
 * 64, and 300: more than one Ti for every enctype, so the counter goes
 * past 1).  The initiator sends its outputs, one frame each in that order
 * (an empty frame: its call failed); the acceptor compares them with its
 * own and names the key, the lengths and the first differing byte of any
 * mismatch; when the 300-byte outputs differ it also says whether one is
 * the other shifted (the same key, PRF+ counters starting apart).  Each
 * side also checks its own outputs: the requested length, and the shorter
 * outputs of one key and input prefixes of the longest (PRF+ truncates one
 * stream).
 *
 * The counter: RFC 4402's text numbers the blocks T1, T2, ..., but MIT
 * and Heimdal, which agree with each other, compute the first block with
 * a counter of 0 (0x00000000 || S).  Agreement with them is what this
 * scenario checks.
 */
#define _POSIX_C_SOURCE 200809L
#include "peer.h"

#include <stdlib.h>
#include <string.h>

#define N_KEYS 2
#define N_IN 3
#define N_OUT 4

static const int prf_keys[N_KEYS] = {GSS_C_PRF_KEY_FULL,
                                     GSS_C_PRF_KEY_PARTIAL};
static const size_t prf_in_sizes[N_IN] = {0, 1, 100};
static const size_t prf_out_sizes[N_OUT] = {1, 16, 64, 300};

/* Every output of one side, [key][input][output length]; an empty buffer
 * where the call failed. */
typedef gss_buffer_desc prf_set[N_KEYS][N_IN][N_OUT];

static const char *
key_name(int key)
{
    return key == GSS_C_PRF_KEY_FULL ? "GSS_C_PRF_KEY_FULL"
                                     : "GSS_C_PRF_KEY_PARTIAL";
}

/* The index of the first byte where a and b (n bytes each) differ, or n. */
static size_t
first_diff(const void *a, const void *b, size_t n)
{
    const unsigned char *p = a, *q = b;
    size_t i = 0;

    while (i < n && p[i] == q[i])
        i++;
    return i;
}

/* gss_pseudo_random(key, the in_len-byte input, out_len) into *out (a
 * malloc'ed copy), or an empty *out and a failed check.  The empty input
 * is GSS_C_EMPTY_BUFFER's {0, NULL}. */
static void
prf_one(gss_ctx_id_t ctx, int key, size_t in_len, size_t out_len,
        gss_buffer_desc *out)
{
    gss_buffer_desc in = {in_len, NULL}, res = {0, NULL};
    OM_uint32 maj, min;

    if (in_len > 0)
        in.value = make_msg(in_len, 4401 + (unsigned)in_len);
    out->length = 0;
    out->value = NULL;
    maj = gss_pseudo_random(&min, ctx, key, &in, (ssize_t)out_len, &res);
    if (maj != GSS_S_COMPLETE)
        fail("prf %s, input %zu bytes, %zu bytes out: gss_pseudo_random: "
             "%s", key_name(key), in_len, out_len, status_str(maj, min));
    else if (res.length != out_len || (out_len > 0 && res.value == NULL))
        fail("prf %s, input %zu bytes, %zu bytes out: gss_pseudo_random "
             "returned %zu bytes", key_name(key), in_len, out_len,
             res.length);
    else
        copy_out(out, &res);
    gss_release_buffer(&min, &res);
    free(in.value);
}

/* The shorter outputs of one key and input must start the longest. */
static void
check_prefixes(int key, size_t in_len, const gss_buffer_desc o[N_OUT])
{
    const gss_buffer_desc *all = &o[N_OUT - 1];

    for (int j = 0; j < N_OUT - 1; j++) {
        size_t d;

        if (o[j].length == 0 || all->length < o[j].length)
            continue;   /* a failed call, already counted */
        d = first_diff(o[j].value, all->value, o[j].length);
        if (d < o[j].length)
            fail("prf %s, input %zu bytes: the %zu-byte output is not a "
                 "prefix of the %zu-byte one (byte %zu: %#04x vs %#04x)",
                 key_name(key), in_len, o[j].length, all->length, d,
                 ((unsigned char *)o[j].value)[d],
                 ((unsigned char *)all->value)[d]);
    }
}

static void
compute_all(gss_ctx_id_t ctx, prf_set out)
{
    for (int k = 0; k < N_KEYS; k++) {
        for (int i = 0; i < N_IN; i++) {
            for (int j = 0; j < N_OUT; j++)
                prf_one(ctx, prf_keys[k], prf_in_sizes[i], prf_out_sizes[j],
                        &out[k][i][j]);
            check_prefixes(prf_keys[k], prf_in_sizes[i], out[k][i]);
        }
    }
}

/* The initiator's output (theirs) against the acceptor's (mine); 1 if
 * they are equal. */
static int
compare_one(int key, size_t in_len, size_t out_len,
            const gss_buffer_desc *theirs, const gss_buffer_desc *mine)
{
    size_t d;

    if (theirs->length == 0) {
        fail("prf %s, input %zu bytes, %zu bytes out: no initiator output "
             "(its gss_pseudo_random failed)", key_name(key), in_len,
             out_len);
        return 0;
    }
    if (mine->length == 0)
        return 0;       /* this side's failure, already counted */
    if (theirs->length != mine->length) {
        fail("prf %s, input %zu bytes, %zu bytes out: the initiator sent "
             "%zu bytes, the acceptor has %zu", key_name(key), in_len,
             out_len, theirs->length, mine->length);
        return 0;
    }
    d = first_diff(theirs->value, mine->value, mine->length);
    if (d == mine->length)
        return 1;
    fail("prf %s, input %zu bytes, %zu bytes out: outputs differ from "
         "byte %zu on (initiator %#04x, acceptor %#04x)", key_name(key),
         in_len, out_len, d, ((unsigned char *)theirs->value)[d],
         ((unsigned char *)mine->value)[d]);
    return 0;
}

/* For a mismatch of the longest outputs: is one the other shifted by a
 * few bytes?  Then both sides used the same key and PRF, and their PRF+
 * counters start that many output bytes apart (one PRF block: 16 bytes
 * for the RFC 3962 enctypes, 32 or 48 for RFC 8009's). */
static void
diagnose_shift(int key, size_t in_len, const gss_buffer_desc *theirs,
               const gss_buffer_desc *mine)
{
    size_t n = mine->length;
    const unsigned char *t = theirs->value, *m = mine->value;

    if (theirs->length != n || n == 0 || first_diff(t, m, n) == n)
        return;
    for (size_t s = 1; s + 16 <= n; s++) {
        const char *ahead = NULL, *behind = NULL;

        if (memcmp(t, m + s, n - s) == 0) {
            ahead = "initiator";
            behind = "acceptor";
        } else if (memcmp(m, t + s, n - s) == 0) {
            ahead = "acceptor";
            behind = "initiator";
        }
        if (ahead == NULL)
            continue;
        fail("prf %s, input %zu bytes: the %s's %zu bytes are the %s's "
             "from byte %zu on: the same key, with the %s's PRF+ counter "
             "%zu output bytes ahead", key_name(key), in_len, ahead, n,
             behind, s, ahead, s);
        return;
    }
}

/* The initiator's frames for one key and input, against this side's. */
static int
recv_group(int fd, int key, size_t in_len, const gss_buffer_desc mine[N_OUT])
{
    gss_buffer_desc theirs[N_OUT];
    int equal = 0;

    for (int j = 0; j < N_OUT; j++) {
        recv_frame(fd, &theirs[j]);
        equal += compare_one(key, in_len, prf_out_sizes[j], &theirs[j],
                             &mine[j]);
    }
    diagnose_shift(key, in_len, &theirs[N_OUT - 1], &mine[N_OUT - 1]);
    for (int j = 0; j < N_OUT; j++)
        free_frame(&theirs[j]);
    return equal;
}

/* Information only: with an acceptor subkey FULL and PARTIAL are keyed
 * differently; equal outputs mean one key served both. */
static void
note_keys(prf_set o)
{
    const gss_buffer_desc *f = &o[0][N_IN - 1][N_OUT - 1];
    const gss_buffer_desc *p = &o[1][N_IN - 1][N_OUT - 1];

    if (f->length == 0 || f->length != p->length)
        return;
    note("prf: FULL and PARTIAL outputs %s",
         first_diff(f->value, p->value, f->length) == f->length
             ? "are equal (one key for both: no acceptor subkey?)"
             : "differ (an acceptor subkey)");
}

static void
free_all(prf_set o)
{
    for (int k = 0; k < N_KEYS; k++)
        for (int i = 0; i < N_IN; i++)
            for (int j = 0; j < N_OUT; j++)
                free(o[k][i][j].value);
}

void
prf_exchange(int fd, gss_ctx_id_t ctx, int sending)
{
    prf_set mine;
    int equal = 0;

    compute_all(ctx, mine);
    note_keys(mine);
    for (int k = 0; k < N_KEYS; k++) {
        for (int i = 0; i < N_IN; i++) {
            if (!sending) {
                equal += recv_group(fd, prf_keys[k], prf_in_sizes[i],
                                    mine[k][i]);
                continue;
            }
            for (int j = 0; j < N_OUT; j++)
                send_frame(fd, mine[k][i][j].value, mine[k][i][j].length);
        }
    }
    if (!sending)
        note("prf: %d of %d outputs equal to the initiator's", equal,
             N_KEYS * N_IN * N_OUT);
    free_all(mine);
}
