/*
 * seqstate.c - the received-sequence window.
 */
#include "mech/krb5/seqstate.h"

#define WINDOW 64

void
bt_seqstate_init(struct bt_seqstate *s, uint64_t first, bool do_replay,
                 bool do_sequence)
{
    s->next = first;
    s->seen = 0;
    s->do_replay = do_replay;
    s->do_sequence = do_sequence;
}

OM_uint32
bt_seqstate_check(struct bt_seqstate *s, uint64_t seq)
{
    uint64_t back, ahead;

    if (!s->do_replay && !s->do_sequence)
        return GSS_S_COMPLETE;
    if (seq == s->next) {
        s->seen = (s->seen << 1) | 1;
        s->next++;
        return GSS_S_COMPLETE;
    }
    ahead = seq - s->next;              /* modulo 2^64 */
    if (ahead < (UINT64_C(1) << 63)) {
        /* Later than expected: tokens in between are missing. */
        s->seen = ahead + 1 >= WINDOW ? 1 : (s->seen << (ahead + 1)) | 1;
        s->next = seq + 1;
        return s->do_sequence ? GSS_S_GAP_TOKEN : GSS_S_COMPLETE;
    }
    back = s->next - 1 - seq;           /* 0: the previous number */
    if (back >= WINDOW)
        return GSS_S_OLD_TOKEN;
    if (s->seen & (UINT64_C(1) << back))
        return s->do_replay ? GSS_S_DUPLICATE_TOKEN : GSS_S_COMPLETE;
    s->seen |= UINT64_C(1) << back;
    return s->do_sequence ? GSS_S_UNSEQ_TOKEN : GSS_S_COMPLETE;
}
