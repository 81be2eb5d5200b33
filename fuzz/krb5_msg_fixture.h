/*
 * krb5_msg_fixture.h - what gss_unwrap_fuzz and gss_verify_mic_fuzz
 * share: the open context the first two input octets describe, an
 * independent model of the receive window, and the checks that tie a
 * call's result to the model.
 */
#ifndef BATON_FUZZ_KRB5_MSG_FIXTURE_H_
#define BATON_FUZZ_KRB5_MSG_FIXTURE_H_

#include "fuzz.h"
#include "krb5_ctx_fixture.h"

/* Receive windows to start from: fresh, with a history, and just below
 * the 64-bit and the 32-bit wrap. */
static const struct {
    uint64_t next, seen;
} fx_windows[] = {
    { 0, 0 },
    { 1000, UINT64_C(0xa5a5a5a5a5a5a5a5) },
    { UINT64_MAX - 3, 0x1 },
    { UINT64_C(0xffffffff), 0x3 },
};

/*
 * Octet 0: bit 0 the mode (the targets' own), bit 1 we are the initiator,
 * bit 2 AcceptorSubkey, bit 3 GSS_C_REPLAY_FLAG, bit 4 GSS_C_SEQUENCE_FLAG,
 * bits 5-7 the enctype (RFC 4121 ones).  Octet 1: the window (fx_windows).
 */
static inline void
fx_msg_spec(uint8_t b0, uint8_t b1, struct fx_ctx_spec *s)
{
    size_t w = b1 % (sizeof(fx_windows) / sizeof(fx_windows[0]));

    memset(s, 0, sizeof(*s));
    s->initiator = b0 & 2;
    s->acceptor_subkey = b0 & 4;
    s->state = BT_K5_OPEN;
    s->flags = GSS_C_CONF_FLAG | GSS_C_INTEG_FLAG | GSS_C_TRANS_FLAG |
               GSS_C_MUTUAL_FLAG | ((b0 & 8) ? GSS_C_REPLAY_FLAG : 0) |
               ((b0 & 16) ? GSS_C_SEQUENCE_FLAG : 0);
    s->enctype = ((size_t)b0 >> 5) % FX_N_GOOD;
    s->send_seq = s->initiator ? FX_INIT_SEQ : FX_ACC_SEQ;
    s->recv_next = fx_windows[w].next;
    s->recv_seen = fx_windows[w].seen;
}

/*
 * The receive window as RFC 2743 1.2.3 describes it, kept as the set of
 * the last 64 numbers below the next expected one (received[i]: number
 * next - 1 - i arrived).  Returns the supplementary status for seq and
 * updates the model.
 */
struct fx_window {
    uint64_t next;
    bool received[64];
    bool replay, sequence;
};

static inline void
fx_window_from(struct fx_window *m, const struct bt_seqstate *s)
{
    m->next = s->next;
    for (int i = 0; i < 64; i++)
        m->received[i] = (s->seen >> i) & 1;
    m->replay = s->do_replay;
    m->sequence = s->do_sequence;
}

static inline bool
fx_window_eq(const struct fx_window *m, const struct bt_seqstate *s)
{
    uint64_t seen = 0;

    for (int i = 0; i < 64; i++)
        seen |= (uint64_t)m->received[i] << i;
    return m->next == s->next && seen == s->seen &&
           m->replay == s->do_replay && m->sequence == s->do_sequence;
}

static inline OM_uint32
fx_window_take(struct fx_window *m, uint64_t seq)
{
    uint64_t ahead = seq - m->next, age;
    bool shifted[64];

    if (!m->replay && !m->sequence)
        return GSS_S_COMPLETE;
    if (ahead < (UINT64_C(1) << 63)) {
        /* The expected number or a later one: the window moves up. */
        for (uint64_t i = 0; i < 64; i++)
            shifted[i] = i > ahead && m->received[i - ahead - 1];
        shifted[0] = true;
        memcpy(m->received, shifted, sizeof(shifted));
        m->next = seq + 1;
        return (ahead > 0 && m->sequence) ? GSS_S_GAP_TOKEN : GSS_S_COMPLETE;
    }
    age = m->next - 1 - seq;
    if (age >= 64)
        return GSS_S_OLD_TOKEN;
    if (m->received[age])
        return m->replay ? GSS_S_DUPLICATE_TOKEN : GSS_S_COMPLETE;
    m->received[age] = true;
    return m->sequence ? GSS_S_UNSEQ_TOKEN : GSS_S_COMPLETE;
}

/* Big-endian 64-bit number at p. */
static inline uint64_t
fx_be64(const uint8_t *p)
{
    uint64_t v = 0;

    for (int i = 0; i < 8; i++)
        v = v << 8 | p[i];
    return v;
}

static inline void
fx_put_be64(uint8_t *p, uint64_t v)
{
    for (int i = 7; i >= 0; i--, v >>= 8)
        p[i] = (uint8_t)v;
}

/*
 * Checks a per-message call's result: an error leaves the window as it
 * was; a success reports exactly the supplementary status the model
 * predicts for the token's number and moves the window as the model does.
 */
static inline void
fx_check_window(OM_uint32 major, const struct bt_seqstate *before,
                const struct bt_seqstate *after, uint64_t seq)
{
    struct fx_window m;
    OM_uint32 want;

    if (GSS_ERROR(major)) {
        FUZZ_CHECK(fx_seqstate_eq(before, after));
        return;
    }
    fx_window_from(&m, before);
    want = fx_window_take(&m, seq);
    FUZZ_CHECK(major == want);
    FUZZ_CHECK(fx_window_eq(&m, after));
}

#endif /* BATON_FUZZ_KRB5_MSG_FIXTURE_H_ */
