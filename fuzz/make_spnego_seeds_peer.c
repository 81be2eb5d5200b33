/*
 * make_spnego_seeds_peer.c - real SPNEGO negotiation tokens for
 * spnego_negtoken_fuzz, made by a GSS-API library that is not Baton.
 *
 * Built twice by make_spnego_seeds.sh, against MIT's libgssapi_krb5
 * (pkg-config krb5-gssapi) and against Heimdal's libgssapi (pkg-config
 * heimdal-gssapi, heimdal-multidev), and run inside a throwaway realm
 * (tests/realm/realm.sh run): it takes the realm's ccache (KRB5CCNAME) and
 * service keytab (KRB5_KTNAME) as they come.  Initiator and acceptor are
 * the same library in one process; every token one side hands the other
 * is written to CORPUS_DIR/PREFIX-SCENARIO-N-ROLE, raw, as a peer would
 * see it on the wire.
 *
 *   make_spnego_seeds_peer CORPUS_DIR PREFIX
 *
 * Only RFC 2744 calls, so the same code builds on both libraries.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <gssapi/gssapi.h>

/* 1.3.6.1.5.5.2: neither library's header names it the same way. */
static gss_OID_desc spnego_mech = { 6, (void *)"\x2b\x06\x01\x05\x05\x02" };

static const char *dir, *prefix;

static void
die(const char *what, OM_uint32 major, OM_uint32 minor)
{
    fprintf(stderr, "make_spnego_seeds_peer (%s): %s: major 0x%08x minor %u\n",
            prefix, what, (unsigned)major, (unsigned)minor);
    exit(1);
}

static void
put(const char *scenario, int step, const char *role, const gss_buffer_desc *b)
{
    char path[512];
    FILE *f;

    snprintf(path, sizeof(path), "%s/%s-%s-%d-%s", dir, prefix, scenario, step,
             role);
    f = fopen(path, "wb");
    if (f == NULL || fwrite(b->value, 1, b->length, f) != b->length ||
        fclose(f) != 0)
        die(path, 0, 0);
}

static gss_name_t
import_target(const char *service)
{
    gss_buffer_desc n = { strlen(service), (void *)service };
    gss_name_t name = GSS_C_NO_NAME;
    OM_uint32 major, minor;

    major = gss_import_name(&minor, &n, GSS_C_NT_HOSTBASED_SERVICE, &name);
    if (major != GSS_S_COMPLETE)
        die("gss_import_name", major, minor);
    return name;
}

/* One negotiation, every token written.  expect_ok false: the acceptor is
 * meant to fail (its last token, a reject, is what we want). */
static void
negotiate(const char *scenario, const char *service, OM_uint32 flags,
          int expect_ok)
{
    gss_ctx_id_t ictx = GSS_C_NO_CONTEXT, actx = GSS_C_NO_CONTEXT;
    gss_buffer_desc itok = GSS_C_EMPTY_BUFFER, atok = GSS_C_EMPTY_BUFFER;
    gss_name_t target = import_target(service);
    OM_uint32 imaj = GSS_S_CONTINUE_NEEDED, amaj = GSS_S_CONTINUE_NEEDED;
    OM_uint32 minor, ign;
    int step = 0;

    for (;;) {
        imaj = gss_init_sec_context(&minor, GSS_C_NO_CREDENTIAL, &ictx,
                                    target, &spnego_mech, flags, 0,
                                    GSS_C_NO_CHANNEL_BINDINGS, &atok, NULL,
                                    &itok, NULL, NULL);
        (void)gss_release_buffer(&ign, &atok);
        if (GSS_ERROR(imaj))
            die(scenario, imaj, minor);
        if (itok.length == 0)
            break;
        put(scenario, step++, "init", &itok);
        amaj = gss_accept_sec_context(&minor, &actx, GSS_C_NO_CREDENTIAL,
                                      &itok, GSS_C_NO_CHANNEL_BINDINGS, NULL,
                                      NULL, &atok, NULL, NULL, NULL);
        (void)gss_release_buffer(&ign, &itok);
        if (atok.length > 0)
            put(scenario, step++, "acc", &atok);
        if (GSS_ERROR(amaj) || atok.length == 0 || imaj == GSS_S_COMPLETE)
            break;
    }
    (void)gss_release_buffer(&ign, &atok);
    if (expect_ok != !GSS_ERROR(amaj))
        die(expect_ok ? "acceptor failed" : "acceptor did not fail", amaj, 0);
    if (expect_ok && (imaj != GSS_S_COMPLETE || amaj != GSS_S_COMPLETE))
        die("not complete", imaj, amaj);
    (void)gss_delete_sec_context(&ign, &ictx, GSS_C_NO_BUFFER);
    (void)gss_delete_sec_context(&ign, &actx, GSS_C_NO_BUFFER);
    (void)gss_release_name(&ign, &target);
}

/* ------------------------------------------------------------------------
 * The MIC exchange.  Neither library's initiator can be made to offer a
 * first mechanism its acceptor will not take (MIT drops non-default mechs
 * from SPNEGO creds, Heimdal 7.8 has no gss_set_neg_mechs), which is what
 * makes RFC 4178 section 5 exchange mechListMICs.  So the initiator is
 * played here, on the library's own krb5 mechanism: it offers 1.2.3.4
 * first and krb5 second.  The acceptor's tokens are the library's SPNEGO;
 * the initiator's carry the library's krb5 tokens and krb5 MIC.
 */

static gss_OID_desc krb5_mech = { 9, (void *)"\x2a\x86\x48\x86\xf7\x12"
                                             "\x01\x02\x02" };

struct der {
    unsigned char b[8192];
    size_t n;
};

/* Appends tag, DER length and the n bytes at v. */
static void
der_put(struct der *d, unsigned char tag, const void *v, size_t n)
{
    unsigned char hdr[4] = { tag, 0x82, (unsigned char)(n >> 8),
                             (unsigned char)n };
    size_t h = 4;

    if (n < 0x80) {
        hdr[1] = (unsigned char)n;
        h = 2;
    } else if (n < 0x100) {
        hdr[1] = 0x81;
        hdr[2] = (unsigned char)n;
        h = 3;
    }
    if (n > 0xffff || d->n + h + n > sizeof(d->b))
        die("der_put: too long", 0, 0);
    memcpy(d->b + d->n, hdr, h);
    if (n > 0)
        memcpy(d->b + d->n + h, v, n);
    d->n += h + n;
}

/* d := tag { d } */
static void
der_wrap(struct der *d, unsigned char tag)
{
    struct der in = *d;

    d->n = 0;
    der_put(d, tag, in.b, in.n);
}

/* Appends [n] { OCTET STRING v }. */
static void
der_octets_field(struct der *d, unsigned n, const void *v, size_t len)
{
    struct der f = { .n = 0 };

    der_put(&f, 0x04, v, len);
    der_put(d, (unsigned char)(0xa0 | n), f.b, f.n);
}

/* Reads a tag and length at *p (end e); returns the value's length and
 * moves *p to it, or dies. */
static size_t
der_get(const unsigned char **p, const unsigned char *e, unsigned char tag)
{
    size_t n, k;

    if (e - *p < 2 || (*p)[0] != tag)
        die("der_get: unexpected tag", tag, 0);
    n = (*p)[1];
    *p += 2;
    if (n & 0x80) {
        k = n & 0x7f;
        if (k < 1 || k > 2 || (size_t)(e - *p) < k)
            die("der_get: length", tag, 0);
        n = k == 1 ? (*p)[0] : ((size_t)(*p)[0] << 8) | (*p)[1];
        *p += k;
    }
    if ((size_t)(e - *p) < n)
        die("der_get: overrun", tag, 0);
    return n;
}

/* The OCTET STRING in field [n] of a NegTokenResp, or an empty buffer. */
static gss_buffer_desc
resp_field(const gss_buffer_desc *tok, unsigned n)
{
    const unsigned char *p = tok->value, *e = p + tok->length;
    gss_buffer_desc out = GSS_C_EMPTY_BUFFER;

    (void)der_get(&p, e, 0xa1);
    (void)der_get(&p, e, 0x30);
    while (p < e) {
        unsigned char tag = p[0];
        size_t len = der_get(&p, e, tag);
        const unsigned char *v = p;

        if (tag == (0xa0 | n)) {
            out.length = der_get(&v, p + len, 0x04);
            out.value = (void *)v;
        }
        p += len;
    }
    return out;
}

/* Writes the initiator's token in, hands it to the acceptor, writes its
 * answer; dies on an error. */
static OM_uint32
accept_one(gss_ctx_id_t *actx, struct der *in, int step,
           gss_buffer_desc *out)
{
    gss_buffer_desc tok = { in->n, in->b };
    OM_uint32 major, minor;

    put("mic", step, "init", &tok);
    major = gss_accept_sec_context(&minor, actx, GSS_C_NO_CREDENTIAL, &tok,
                                   GSS_C_NO_CHANNEL_BINDINGS, NULL, NULL,
                                   out, NULL, NULL, NULL);
    if (GSS_ERROR(major))
        die("mic: gss_accept_sec_context", major, minor);
    if (out->length > 0)
        put("mic", step + 1, "acc", out);
    return major;
}

/* The first token: framed NegTokenInit { mechTypes list, mechToken }.
 * The optimistic token is 1.2.3.4's, which neither acceptor has; Heimdal
 * 7.8 looks past an unsupported first mechanism only when one is sent
 * (without, it answers GSS_S_BAD_MECH). */
static void
first_token(struct der *t, const struct der *list)
{
    static const char bogus_token[] = "\x60\x07\x06\x03\x2a\x03\x04\x00\x00";
    struct der body = { .n = 0 };

    der_put(&body, 0xa0, list->b, list->n);
    der_octets_field(&body, 2, bogus_token, sizeof(bogus_token) - 1);
    der_wrap(&body, 0x30);
    der_wrap(&body, 0xa0);
    t->n = 0;
    der_put(t, 0x06, spnego_mech.elements, spnego_mech.length);
    memcpy(t->b + t->n, body.b, body.n);
    t->n += body.n;
    der_wrap(t, 0x60);
}

/* The last token: NegTokenResp { accept-completed, mechListMIC } over the
 * list (RFC 4178 5 b I). */
static void
mic_token(struct der *t, gss_ctx_id_t ictx, const struct der *list)
{
    gss_buffer_desc in = { list->n, (void *)list->b }, mic;
    OM_uint32 minor, ign;

    if (gss_get_mic(&minor, ictx, 0, &in, &mic) != GSS_S_COMPLETE)
        die("mic: gss_get_mic", 0, minor);
    t->n = 0;
    der_put(t, 0x0a, "\x00", 1);
    der_wrap(t, 0xa0);
    der_octets_field(t, 3, mic.value, mic.length);
    der_wrap(t, 0x30);
    der_wrap(t, 0xa1);
    (void)gss_release_buffer(&ign, &mic);
}

/* krb5 on the initiator's side: the AP-REQ (in == NULL), then the AP-REP
 * (which must complete it). */
static void
krb5_step(gss_ctx_id_t *ictx, gss_name_t target, gss_buffer_desc *in,
          gss_buffer_desc *out)
{
    OM_uint32 major, minor;

    major = gss_init_sec_context(&minor, GSS_C_NO_CREDENTIAL, ictx, target,
                                 &krb5_mech,
                                 GSS_C_MUTUAL_FLAG | GSS_C_INTEG_FLAG, 0,
                                 GSS_C_NO_CHANNEL_BINDINGS, in, NULL, out,
                                 NULL, NULL);
    if (major != (in == NULL ? GSS_S_CONTINUE_NEEDED : GSS_S_COMPLETE))
        die("mic: krb5 initiator", major, minor);
}

static void
mic_exchange(const char *service)
{
    static const unsigned char bogus[] = { 0x2a, 0x03, 0x04 };
    gss_ctx_id_t ictx = GSS_C_NO_CONTEXT, actx = GSS_C_NO_CONTEXT;
    gss_buffer_desc out = GSS_C_EMPTY_BUFFER, k = GSS_C_EMPTY_BUFFER;
    gss_buffer_desc in_list, rep, mic;
    gss_name_t target = import_target(service);
    struct der list = { .n = 0 }, t;
    OM_uint32 amaj, minor, ign;

    der_put(&list, 0x06, bogus, sizeof(bogus));
    der_put(&list, 0x06, krb5_mech.elements, krb5_mech.length);
    der_wrap(&list, 0x30);
    in_list.length = list.n;
    in_list.value = list.b;
    first_token(&t, &list);
    if (accept_one(&actx, &t, 0, &out) != GSS_S_CONTINUE_NEEDED)
        die("mic: acceptor finished early", 0, 0);
    (void)gss_release_buffer(&ign, &out);

    /* NegTokenResp { responseToken: the AP-REQ }. */
    krb5_step(&ictx, target, NULL, &k);
    t.n = 0;
    der_octets_field(&t, 2, k.value, k.length);
    der_wrap(&t, 0x30);
    der_wrap(&t, 0xa1);
    (void)gss_release_buffer(&ign, &k);
    amaj = accept_one(&actx, &t, 2, &out);
    rep = resp_field(&out, 2);
    krb5_step(&ictx, target, &rep, &k);
    mic = resp_field(&out, 3);
    if (mic.length > 0 &&
        gss_verify_mic(&minor, ictx, &in_list, &mic, NULL) != GSS_S_COMPLETE)
        die("mic: the acceptor's mechListMIC does not verify", 0, minor);
    if (amaj == GSS_S_COMPLETE && mic.length == 0) {
        /* RFC 4178 5: "MIC tokens MUST be exchanged" here (krb5 was not
         * the first choice); Heimdal 7.8 completes without. */
        fprintf(stderr, "make_spnego_seeds_peer (%s): the acceptor "
                "completed without a mechListMIC\n", prefix);
    } else {
        mic_token(&t, ictx, &list);
        (void)gss_release_buffer(&ign, &out);
        if (accept_one(&actx, &t, 4, &out) != GSS_S_COMPLETE)
            die("mic: acceptor not complete", 0, 0);
    }
    (void)gss_release_buffer(&ign, &out);
    (void)gss_delete_sec_context(&ign, &ictx, GSS_C_NO_BUFFER);
    (void)gss_delete_sec_context(&ign, &actx, GSS_C_NO_BUFFER);
    (void)gss_release_name(&ign, &target);
}

int
main(int argc, char **argv)
{
    if (argc != 3) {
        fprintf(stderr, "usage: make_spnego_seeds_peer CORPUS_DIR PREFIX\n");
        return 2;
    }
    dir = argv[1];
    prefix = argv[2];
    negotiate("mutual", "host@localhost",
              GSS_C_MUTUAL_FLAG | GSS_C_INTEG_FLAG | GSS_C_CONF_FLAG |
                  GSS_C_SEQUENCE_FLAG | GSS_C_REPLAY_FLAG, 1);
    negotiate("nomutual", "host@localhost", GSS_C_INTEG_FLAG, 1);
    negotiate("deleg", "host@localhost",
              GSS_C_DELEG_FLAG | GSS_C_MUTUAL_FLAG | GSS_C_INTEG_FLAG, 1);
    /* The realm's HTTP key is not in the acceptor's keytab: it cannot
     * read the ticket and says so. */
    negotiate("nokey", "HTTP@localhost", GSS_C_MUTUAL_FLAG, 0);
    mic_exchange("host@localhost");
    return 0;
}
