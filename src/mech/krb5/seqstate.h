/*
 * seqstate.h - replay and sequence detection for received per-message
 * tokens (RFC 2743 section 1.2.3, 64-bit sequence numbers of RFC 4121).
 */
#ifndef BATON_MECH_KRB5_SEQSTATE_H_
#define BATON_MECH_KRB5_SEQSTATE_H_

#include <stdbool.h>
#include <stdint.h>

#include <gssapi/gssapi.h>

/* The window remembers the last 64 numbers below next. */
struct bt_seqstate {
    uint64_t next;          /* the number expected next */
    uint64_t seen;          /* bit i: next - 1 - i was received */
    bool do_replay;
    bool do_sequence;
};

/* Starts a window expecting first; the flags select which detections
 * report (GSS_C_REPLAY_FLAG, GSS_C_SEQUENCE_FLAG). */
void bt_seqstate_init(struct bt_seqstate *s, uint64_t first, bool do_replay,
                      bool do_sequence);

/* Classifies a received number and records it.  Returns GSS_S_COMPLETE or
 * one supplementary status (GSS_S_DUPLICATE_TOKEN, GSS_S_OLD_TOKEN,
 * GSS_S_UNSEQ_TOKEN, GSS_S_GAP_TOKEN).  A duplicate or old token is not
 * recorded. */
OM_uint32 bt_seqstate_check(struct bt_seqstate *s, uint64_t seq);

#endif /* BATON_MECH_KRB5_SEQSTATE_H_ */
