/*
 * The catalogue: malformed tokens that once broke something in Baton, one
 * named test each, numbered in the order found (DESIGN.md section 4, after
 * MIT's tests/gssapi/t_invalid.c).  Entries are minimal and never
 * renumbered.  The hostile_*_realmtest.c files attack every parser
 * systematically; a case lands here when it failed on some commit, with
 * what it broke and what fixed it.
 *
 * 001  An AP-REP whose acceptor subkey is shorter than its enctype's key
 *      (5 octets for aes256-cts-hmac-sha1-96), well encrypted in the
 *      session key.  The initiator took it and reported GSS_S_COMPLETE; no
 *      call could use the context afterwards (gss_get_mic: GSS_S_FAILURE,
 *      "Key size is incompatible with encryption type"), and the genuine
 *      AP-REP could no longer complete it.  Broken at 8f5b6fd; fixed by
 *      394bf8d (take_reply checks the key length; the context waits on).
 * 002  An AP-REQ without mutual authentication whose authenticator subkey
 *      is RC4 (16 octets).  The acceptor took it and protected RFC 4121
 *      tokens with an RC4 key, an enctype Baton refuses everywhere else.
 *      Broken at 8f5b6fd; fixed by 394bf8d (fill_ctx checks the key).
 * 003  The same AP-REQ with a 5-octet aes256-cts subkey: the acceptor
 *      reported GSS_S_COMPLETE for a context no call could use.  Broken at
 *      8f5b6fd; fixed by 394bf8d.
 */
#include "mech/krb5/hostile_keyed.h"

#define DEF GSS_S_DEFECTIVE_TOKEN

static void
catalogue_001_ap_rep_subkey_shorter_than_its_enctype(void)
{
    struct setup s;
    struct rep r;
    OM_uint32 minor = 0, major;

    if (set_up(&s)) {
        r = s.rep;
        r.keylen = 5;
        major = give_ap_rep(&s, ap_rep(s.session,
                                       KRB5_KEYUSAGE_AP_REP_ENCPART,
                                       enc_part(&r)), &minor);
        EXPECT(major, DEF, minor, "5-octet acceptor subkey");
        /* Taken, the context is open with a key no call can use. */
        if (major != GSS_S_COMPLETE) {
            try_rep(&s, &s.rep, GSS_S_COMPLETE, "then the genuine fields");
            hostile_usable(&s.p, "catalogue 001");
        }
    }
    tear_down(&s);
}

/* A non-mutual AP-REQ whose authenticator carries subkey (consumed). */
static void
non_mutual_subkey(struct bytes subkey, const char *what)
{
    struct setup s;
    struct req q, v;
    struct accepted a;
    uint32_t flags = GSS_C_REPLAY_FLAG | GSS_C_SEQUENCE_FLAG |
                     GSS_C_CONF_FLAG | GSS_C_INTEG_FLAG;

    memset(&q, 0, sizeof(q));
    if (set_up(&s) && read_ap_req(&s.itok, s.session, &q)) {
        v = q;
        v.el[3] = cksum_el(0x8003, cksum_with(&q, flags, NULL, 0));
        a = try_req(&s, &v, 6, subkey, DEF, what);
        done(&a);
        free(v.el[3].p);
    } else {
        free(subkey.p);
        CHECK(!"the genuine AP-REQ decrypts and parses");
    }
    req_free(&q);
    tear_down(&s);
}

static void
catalogue_002_ap_req_rc4_subkey_without_mutual(void)
{
    non_mutual_subkey(subkey_el(ENCTYPE_ARCFOUR_HMAC, 16),
                      "non-mutual, RC4 subkey");
}

static void
catalogue_003_ap_req_short_subkey_without_mutual(void)
{
    non_mutual_subkey(subkey_el(ENCTYPE_AES256_CTS_HMAC_SHA1_96, 5),
                      "non-mutual, 5-octet aes256 subkey");
}

BT_TEST_MAIN(catalogue_001_ap_rep_subkey_shorter_than_its_enctype,
             catalogue_002_ap_req_rc4_subkey_without_mutual,
             catalogue_003_ap_req_short_subkey_without_mutual)
