/*
 * make_spnego_state_seeds.c - seeds for the SPNEGO state-machine targets,
 * gss_spnego_accept_fuzz and gss_spnego_init_fuzz, written to
 * fuzz/corpus/TARGET/NAME.  Run by make_spnego_state_seeds.sh (not built
 * by default, not a fuzz target).
 *
 * built-*: descriptor inputs of the targets' built modes (their header
 * comments give the layout), one per negotiation path: Kerberos first
 * with and without mutual authentication, Microsoft's Kerberos OID first,
 * the old Kerberos OID, a second choice with both MICs, no common
 * mechanism, a reject, a tampered or foreign MIC, a MIC volunteered, a
 * step after completion; each with export between steps or channel
 * bindings where that is a path of its own.  regression-*: findings.
 * raw-*: the tokens of whole negotiations between Baton's SPNEGO
 * initiator and acceptor, run here on the fixture's minted tickets
 * (spnego_fixture.h; no KDC): the initiator's tokens for the acceptor
 * target, the acceptor's for the initiator target.  Only tokens are
 * written: no keytab, no ccache.
 */
#include <errno.h>
#include <sys/stat.h>

#include "spnego_fixture.h"

#define ACCEPT "gss_spnego_accept_fuzz"
#define INIT "gss_spnego_init_fuzz"

static const char *root;

static void
die(const char *what)
{
    fprintf(stderr, "make_spnego_state_seeds: %s\n", what);
    exit(1);
}

static void
put(const char *tgt, const char *name, const void *p, size_t n)
{
    char path[512];
    FILE *f;

    snprintf(path, sizeof(path), "%s/%s", root, tgt);
    if (mkdir(path, 0755) != 0 && errno != EEXIST)
        die(path);
    snprintf(path, sizeof(path), "%s/%s/%s", root, tgt, name);
    f = fopen(path, "wb");
    if (f == NULL || (n > 0 && fwrite(p, 1, n, f) != n) || fclose(f) != 0)
        die(path);
}

/* ---- built mode ------------------------------------------------------- */

struct seed {
    const char *name;
    const char *bytes;
    size_t len;
};

#define SEED(name, lit) { name, lit, sizeof(lit) - 1 }

/* Mode octet: 01 built, 02 export, 04/08 bindings (acceptor/peer), bits
 * 5-7 sx_acc_creds; peer octet: 01 mutual, 02 replay, 04 sequence, 08
 * conf, bits 4-6 enctype; then a NegTokenInit descriptor (a = 0x09: one
 * mechanism and the peer's AP-REQ, 0x0a two; selectors 00 krb5, 01 MS,
 * 02 old, 06 NTLM, 07 + length + octets) and NegTokenResp descriptors
 * (0x54: negState absent, a fresh AP-REQ, the peer's MIC; 0x14 the same
 * without MIC; 0x44 only the MIC; 0x94 a tampered MIC; 0xd4 a length and
 * MIC octets, or 0x80 + n: the peer's MIC after n + 1 others). */
static const struct seed acc_seeds[] = {
    SEED("built-krb5-first", "\x01\x00\x09\x00"),
    SEED("built-krb5-first-mutual", "\x01\x0f\x09\x00"),
    SEED("built-krb5-first-aes128sha2", "\x01\x27\x09\x00"),
    SEED("built-ms-oid-first", "\x01\x01\x0a\x01\x00"),
    SEED("built-ms-oid-only-cred", "\x81\x01\x0a\x00\x01\x14\x44"),
    SEED("built-old-oid-allowed", "\x61\x01\x0a\x02\x00"),
    SEED("built-second-choice", "\x01\x00\x0a\x02\x00\x54"),
    SEED("built-second-choice-mutual", "\x01\x07\x0a\x02\x00\x14\x44"),
    SEED("built-second-choice-mutual-export",
         "\x03\x07\x0a\x02\x00\x14\x44"),
    SEED("built-second-choice-export", "\x03\x00\x0a\x02\x00\x54"),
    SEED("built-second-choice-ntlm-first", "\x01\x01\x0a\x06\x00\x14\x44"),
    SEED("built-second-choice-bindings", "\x0f\x01\x0a\x02\x00\x14\x44"),
    SEED("built-second-choice-no-mic", "\x01\x00\x0a\x02\x00\x14"),
    SEED("built-second-choice-late-mic", "\x01\x01\x0a\x02\x00\x14\x04"),
    SEED("built-tampered-mic", "\x01\x00\x0a\x02\x00\x94"),
    SEED("built-tampered-mic-mutual", "\x01\x01\x0a\x02\x00\x14\x84"),
    SEED("built-foreign-mic", "\x01\x00\x0a\x02\x00\xd4\x04\x01\x02\x03\x04"),
    SEED("built-no-common-mech", "\xa1\x01\x09\x00"),
    SEED("built-no-common-mech-empty-cred", "\xe1\x01\x0a\x00\x01"),
    SEED("built-no-common-mech-oids",
         "\x01\x00\x0b\x05\x06\x07\x03\x2a\x03\x04"),
    SEED("built-reject", "\x01\x01\x0a\x02\x00\x12"),
    SEED("built-no-token-first", "\x01\x01\x01\x00\x14"),
    SEED("built-mic-volunteered", "\x01\x00\x89\x00\x00"),
    SEED("built-foreign-mic-in-init", "\x01\x00\x89\x00\x02\x03\xaa\xbb\xcc"),
    SEED("built-reqflags", "\x01\x00\x49\x00\x01\xb0"),
    SEED("built-corrupt-ap-req", "\x01\x00\x19\x00\x10\x40"),
    SEED("built-late-step", "\x01\x00\x09\x00\x04"),
    SEED("built-replayed-ap-req", "\x01\x00\x0a\x02\x00\x64"),
    SEED("built-mic-late-unsequenced", "\x01\x00\x0a\x02\x00\xd4\x80"),
    /* Finding (crashers/gss_spnego_accept_fuzz-mic-out-of-sequence): the
     * peer's MIC in the NegTokenInit is ignored (MS OID chosen second),
     * so its next one, with the replayed AP-REQ, is a sequence gap. */
    SEED("regression-mic-out-of-sequence", "\x81\x06\x8a\x00\x01\x00\x64"),
};

/* Mode octet: 01 built, 02 export, 04 mutual, 08 replay and sequence,
 * bits 4-6 sx_init_creds, 80 bindings; enctype octet; then reply
 * descriptors (b = 0x08 | negState: accept-completed with supportedMech,
 * selector 80 the first offer, 81 the second, 00 krb5, 02 old; 0x10 the
 * peer's AP-REP, 0x20 a KRB-ERROR; 0x40 the peer's MIC, 0x80 a tampered
 * one, 0xc0 a length and MIC octets, or 0x80 + n: the peer's MIC after
 * n + 1 others). */
static const struct seed init_seeds[] = {
    SEED("built-krb5-first", "\x01\x00\x08\x80"),
    SEED("built-krb5-first-mutual", "\x0d\x00\x18\x80"),
    SEED("built-krb5-first-camellia", "\x05\x04\x18\x80"),
    SEED("built-krb5-first-export", "\x07\x00\x18\x80"),
    SEED("built-krb5-first-bindings", "\x85\x00\x18\x80"),
    SEED("built-ms-oid-first", "\x35\x00\x18\x80"),
    SEED("built-ms-oid-answered-krb5", "\x35\x00\x18\x00"),
    SEED("built-second-choice", "\x21\x00\x0b\x81\x40"),
    SEED("built-second-choice-mutual", "\x25\x00\x0b\x81\x51"),
    SEED("built-second-choice-mutual-export", "\x27\x00\x0b\x81\x51"),
    SEED("built-second-choice-old", "\x45\x00\x0b\x81\x51"),
    SEED("built-second-choice-no-mic", "\x21\x00\x0b\x81\x00"),
    SEED("built-tampered-mic", "\x21\x00\x0b\x81\x80"),
    SEED("built-tampered-mic-mutual", "\x25\x00\x0b\x81\x91"),
    SEED("built-foreign-mic", "\x21\x00\x0b\x81\xc0\x04\x01\x02\x03\x04"),
    SEED("built-mic-before-restart", "\x21\x00\x4b\x81"),
    SEED("built-not-offered", "\x01\x00\x0b\x02"),
    SEED("built-not-offered-ntlm", "\x05\x00\x08\x06"),
    SEED("built-reject", "\x05\x00\x02"),
    SEED("built-reject-krb-error", "\x05\x00\x2a\x80"),
    SEED("built-krb-error", "\x05\x00\x29\x80"),
    SEED("built-request-mic", "\x05\x00\x5b\x80"),
    SEED("built-mic-volunteered", "\x01\x00\x48\x80"),
    SEED("built-incomplete-then-complete", "\x01\x00\x09\x80\x00"),
    SEED("built-no-supported-mech", "\x01\x00\x00"),
    SEED("built-corrupt-ap-rep", "\x05\x00\x38\x80\x80\x10\x40"),
    SEED("built-late-step", "\x01\x00\x08\x80\x08\x80"),
    SEED("built-mic-late-unsequenced", "\x01\x00\xc9\x80\x81"),
    /* Finding (crashers/gss_spnego_init_fuzz-mic-out-of-sequence): the
     * acceptor's MIC after one it kept, with sequence checking. */
    SEED("regression-mic-out-of-sequence", "\x09\x00\xc9\x80\x80"),
};

/* ---- raw mode: Baton against Baton ------------------------------------ */

struct capture {
    struct sx_buf itok, atok;       /* length-prefixed, in order */
    OM_uint32 imaj, amaj;
};

static void
record(struct sx_buf *b, const gss_buffer_desc *t)
{
    uint8_t len[2] = { (uint8_t)(t->length >> 8), (uint8_t)t->length };

    if (t->length > 0xffff)
        die("token too long");
    sx_put(b, len, 2);
    sx_put(b, t->value, t->length);
}

/* Changes the last octet of the first mechanism OID in a NegTokenInit. */
static void
tamper(gss_buffer_desc *t)
{
    uint8_t *p = t->value;

    for (size_t i = 0; i + 4 < t->length; i++) {
        if (p[i] == 0x30 && p[i + 2] == 0x06 && i + 3 + p[i + 3] < t->length) {
            p[i + 3 + p[i + 3]] ^= 0x01;
            return;
        }
    }
}

/* A whole negotiation, each side called while it has a token to read. */
static void
negotiate(int ikind, int akind, OM_uint32 req, bool tampered,
          struct capture *c)
{
    gss_OID_desc spnego = sx_oid(SX_SPNEGO);
    gss_cred_id_t ic = sx_cred(&sx_init_creds[ikind], GSS_C_INITIATE);
    gss_cred_id_t ac = sx_cred(&sx_acc_creds[akind], GSS_C_ACCEPT);
    gss_ctx_id_t ini = GSS_C_NO_CONTEXT, acc = GSS_C_NO_CONTEXT;
    gss_buffer_desc itok = GSS_C_EMPTY_BUFFER, atok = GSS_C_EMPTY_BUFFER;
    OM_uint32 minor;

    memset(c, 0, sizeof(*c));
    c->imaj = c->amaj = GSS_S_CONTINUE_NEEDED;
    for (int round = 0; round < 4; round++) {
        if (round == 0 || atok.length > 0) {
            c->imaj = gss_init_sec_context(&minor, ic, &ini, sx_w.target,
                                           &spnego, req, 0, NULL, &atok, NULL,
                                           &itok, NULL, NULL);
            (void)gss_release_buffer(&minor, &atok);
            if (GSS_ERROR(c->imaj))
                break;
        }
        if (itok.length == 0)
            break;
        if (round == 0 && tampered)
            tamper(&itok);
        record(&c->itok, &itok);
        c->amaj = gss_accept_sec_context(&minor, &acc, ac, &itok, NULL, NULL,
                                         NULL, &atok, NULL, NULL, NULL);
        (void)gss_release_buffer(&minor, &itok);
        if (atok.length > 0)
            record(&c->atok, &atok);
        if (GSS_ERROR(c->amaj) || (atok.length == 0 &&
                                   c->imaj == GSS_S_COMPLETE))
            break;
    }
    (void)gss_release_buffer(&minor, &atok);
    (void)gss_release_buffer(&minor, &itok);
    (void)gss_delete_sec_context(&minor, &ini, NULL);
    (void)gss_delete_sec_context(&minor, &acc, NULL);
    (void)gss_release_cred(&minor, &ic);
    (void)gss_release_cred(&minor, &ac);
}

/* Writes raw-NAME for both targets: the acceptor target reads the
 * initiator's tokens with acceptor credential akind, the initiator target
 * the acceptor's with initiator credential ikind. */
static void
raw(const char *name, int ikind, int akind, OM_uint32 req, bool tampered,
    bool want_complete)
{
    struct capture c;
    struct sx_buf b = { 0 };
    uint8_t mode[2];
    char full[64];

    negotiate(ikind, akind, req, tampered, &c);
    if (want_complete != (c.imaj == GSS_S_COMPLETE &&
                          c.amaj == GSS_S_COMPLETE)) {
        fprintf(stderr, "%s: initiator %#x, acceptor %#x\n", name, c.imaj,
                c.amaj);
        die("negotiation did not end as expected");
    }
    snprintf(full, sizeof(full), "raw-%s", name);
    mode[0] = (uint8_t)(akind << 5);
    sx_put(&b, mode, 1);
    sx_put(&b, c.itok.p, c.itok.len);
    put(ACCEPT, full, b.p, b.len);
    b.len = 0;
    mode[0] = (uint8_t)(ikind << 4 |
                        ((req & GSS_C_MUTUAL_FLAG) ? 4 : 0) |
                        ((req & GSS_C_REPLAY_FLAG) ? 8 : 0));
    mode[1] = 0;
    sx_put(&b, mode, 2);
    sx_put(&b, c.atok.p, c.atok.len);
    if (c.atok.len > 0)
        put(INIT, full, b.p, b.len);
    sx_free(&b);
    sx_free(&c.itok);
    sx_free(&c.atok);
}

static void
seeds_raw(void)
{
    const OM_uint32 mutual = GSS_C_MUTUAL_FLAG | GSS_C_REPLAY_FLAG |
                             GSS_C_SEQUENCE_FLAG | GSS_C_CONF_FLAG |
                             GSS_C_INTEG_FLAG;
    const OM_uint32 plain = GSS_C_CONF_FLAG | GSS_C_INTEG_FLAG;

    /* Initiator kinds: 0 default, 2 {old, krb5}, 3 {MS, krb5}, 5 {old};
     * acceptor kinds: 0 default, 3 {old, krb5}, 4 {MS}, 5 {old}. */
    raw("krb5-first", 0, 0, plain, false, true);
    raw("krb5-first-mutual", 0, 0, mutual, false, true);
    raw("ms-oid-first", 3, 0, mutual, false, true);
    raw("ms-oid-only-acceptor", 3, 4, plain, false, true);
    raw("old-oid-allowed", 2, 3, mutual, false, true);
    raw("second-choice", 2, 0, plain, false, true);
    raw("second-choice-mutual", 2, 0, mutual, false, true);
    raw("no-common-mech", 5, 0, mutual, false, false);
    raw("no-common-mech-acceptor", 0, 5, plain, false, false);
    raw("tampered-list", 2, 0, plain, true, false);
    raw("tampered-list-mutual", 2, 0, mutual, true, false);
}

int
main(int argc, char **argv)
{
    if (argc != 2) {
        fprintf(stderr, "usage: make_spnego_state_seeds CORPUS_DIR\n");
        return 2;
    }
    root = argv[1];
    sx_world_init();
    for (size_t i = 0; i < sizeof(acc_seeds) / sizeof(acc_seeds[0]); i++)
        put(ACCEPT, acc_seeds[i].name, acc_seeds[i].bytes, acc_seeds[i].len);
    for (size_t i = 0; i < sizeof(init_seeds) / sizeof(init_seeds[0]); i++)
        put(INIT, init_seeds[i].name, init_seeds[i].bytes,
            init_seeds[i].len);
    seeds_raw();
    return 0;
}
