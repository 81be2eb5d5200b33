/* Kerberos establishment and per-message tokens in one process, initiator
 * and acceptor both on Baton, against the throwaway realm (run under
 * tests/realm/realm.sh). */
#include "check.h"
#include "realm_env.h"

#include <stdlib.h>

#include <gssapi/gssapi_krb5.h>

struct pair {
    gss_ctx_id_t init, acc;
    OM_uint32 init_flags, acc_flags;
    gss_name_t src;
    gss_cred_id_t deleg;
};

/* Runs the handshake; returns the final majors of both sides. */
static OM_uint32
establish(struct pair *p, OM_uint32 req, gss_channel_bindings_t icb,
          gss_channel_bindings_t acb)
{
    gss_name_t target = realm_service("BATON_SERVICE");
    gss_buffer_desc itok = GSS_C_EMPTY_BUFFER, atok = GSS_C_EMPTY_BUFFER;
    OM_uint32 imaj, amaj = GSS_S_CONTINUE_NEEDED, minor, m;
    int rounds = 0;

    memset(p, 0, sizeof(*p));
    do {
        imaj = gss_init_sec_context(&minor, GSS_C_NO_CREDENTIAL, &p->init,
                                    target, gss_mech_krb5, req, 0, icb, &atok,
                                    NULL, &itok, &p->init_flags, NULL);
        realm_show("init", imaj, minor);
        gss_release_buffer(&m, &atok);
        if (GSS_ERROR(imaj) || itok.length == 0)
            break;
        amaj = gss_accept_sec_context(&minor, &p->acc, GSS_C_NO_CREDENTIAL,
                                      &itok, acb, &p->src, NULL, &atok,
                                      &p->acc_flags, NULL, &p->deleg);
        realm_show("accept", amaj, minor);
        gss_release_buffer(&m, &itok);
        if (GSS_ERROR(amaj))
            break;
    } while ((imaj == GSS_S_CONTINUE_NEEDED || atok.length > 0) &&
             ++rounds < 4);
    gss_release_buffer(&m, &atok);
    gss_release_buffer(&m, &itok);
    gss_release_name(&m, &target);
    return GSS_ERROR(imaj) ? imaj : amaj;
}

static void
release(struct pair *p)
{
    OM_uint32 m;

    gss_delete_sec_context(&m, &p->init, NULL);
    gss_delete_sec_context(&m, &p->acc, NULL);
    gss_release_name(&m, &p->src);
    gss_release_cred(&m, &p->deleg);
}

/* a wraps, b unwraps; checks content and conf state. */
static void
wrap_one_way(gss_ctx_id_t a, gss_ctx_id_t b, int conf, size_t len)
{
    gss_buffer_desc in = { len, malloc(len + 1) }, tok, out;
    OM_uint32 minor, major;
    int state = -1;

    for (size_t i = 0; i < len; i++)
        ((unsigned char *)in.value)[i] = (unsigned char)(i * 7 + 3);
    CHECK_MAJOR(gss_wrap(&minor, a, conf, 0, &in, &state, &tok),
                GSS_S_COMPLETE);
    CHECK(state == conf);
    major = gss_unwrap(&minor, b, &tok, &out, &state, NULL);
    CHECK_MAJOR(major, GSS_S_COMPLETE);
    if (major != GSS_S_COMPLETE) {
        fprintf(stderr, "  conf %d len %zu\n", conf, len);
        realm_show("unwrap", major, minor);
    }
    CHECK(state == conf && out.length == len &&
          (len == 0 || memcmp(out.value, in.value, len) == 0));
    gss_release_buffer(&minor, &tok);
    gss_release_buffer(&minor, &out);
    free(in.value);
}

static void
mutual_establishment_and_messages(void)
{
    struct pair p;
    gss_buffer_desc name;
    OM_uint32 minor;
    size_t sizes[] = { 0, 1, 15, 16, 17, 1000, 70000 };

    CHECK_MAJOR(establish(&p, GSS_C_MUTUAL_FLAG | GSS_C_REPLAY_FLAG |
                          GSS_C_SEQUENCE_FLAG, NULL, NULL), GSS_S_COMPLETE);
    if (p.init == GSS_C_NO_CONTEXT || p.acc == GSS_C_NO_CONTEXT) {
        release(&p);
        return;
    }
    CHECK(p.init_flags & GSS_C_MUTUAL_FLAG);
    CHECK(p.acc_flags & GSS_C_REPLAY_FLAG);
    CHECK(p.acc_flags & GSS_C_TRANS_FLAG);      /* exportable */
    CHECK(p.init_flags & GSS_C_TRANS_FLAG);
    CHECK_MAJOR(gss_display_name(&minor, p.src, &name, NULL), GSS_S_COMPLETE);
    CHECK(name.length == strlen(getenv("BATON_USER")) &&
          memcmp(name.value, getenv("BATON_USER"), name.length) == 0);
    gss_release_buffer(&minor, &name);
    for (size_t i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
        wrap_one_way(p.init, p.acc, 1, sizes[i]);
        wrap_one_way(p.acc, p.init, 1, sizes[i]);
        wrap_one_way(p.init, p.acc, 0, sizes[i]);
        wrap_one_way(p.acc, p.init, 0, sizes[i]);
    }
    release(&p);
}

/* Both sides report the same SSPI session key and enctype. */
static void
same_session_key_both_sides(void)
{
    struct pair p;
    gss_buffer_set_t a = GSS_C_NO_BUFFER_SET, b = GSS_C_NO_BUFFER_SET;
    OM_uint32 minor;

    CHECK_MAJOR(establish(&p, GSS_C_MUTUAL_FLAG, NULL, NULL), GSS_S_COMPLETE);
    CHECK_MAJOR(gss_inquire_sec_context_by_oid(&minor, p.init,
                                               GSS_C_INQ_SSPI_SESSION_KEY, &a),
                GSS_S_COMPLETE);
    CHECK_MAJOR(gss_inquire_sec_context_by_oid(&minor, p.acc,
                                               GSS_C_INQ_SSPI_SESSION_KEY, &b),
                GSS_S_COMPLETE);
    CHECK(a != NULL && b != NULL && a->count == 2 && b->count == 2);
    if (a != NULL && b != NULL && a->count == 2 && b->count == 2) {
        CHECK(a->elements[0].length >= 16 &&
              a->elements[0].length == b->elements[0].length &&
              memcmp(a->elements[0].value, b->elements[0].value,
                     a->elements[0].length) == 0);
        CHECK(a->elements[1].length == 11);     /* ...2.2.4.<enctype> */
    }
    gss_release_buffer_set(&minor, &a);
    gss_release_buffer_set(&minor, &b);
    release(&p);
}

static void
inquire_context_both_sides(void)
{
    struct pair p;
    gss_name_t src = GSS_C_NO_NAME, targ = GSS_C_NO_NAME;
    gss_buffer_desc s, t;
    OM_uint32 minor, life = 0, flags = 0;
    int local = -1, open = -1;
    gss_OID mech = GSS_C_NO_OID;

    CHECK_MAJOR(establish(&p, GSS_C_MUTUAL_FLAG, NULL, NULL), GSS_S_COMPLETE);
    CHECK_MAJOR(gss_inquire_context(&minor, p.acc, &src, &targ, &life, &mech,
                                    &flags, &local, &open), GSS_S_COMPLETE);
    CHECK(local == 0 && open == 1 && life > 3000);
    CHECK(gss_oid_equal(mech, gss_mech_krb5));
    CHECK(flags & GSS_C_MUTUAL_FLAG);
    gss_display_name(&minor, src, &s, NULL);
    gss_display_name(&minor, targ, &t, NULL);
    CHECK(s.length == strlen(getenv("BATON_USER")) &&
          memcmp(s.value, getenv("BATON_USER"), s.length) == 0);
    CHECK(t.length == strlen(getenv("BATON_SERVICE_PRINC")) &&
          memcmp(t.value, getenv("BATON_SERVICE_PRINC"), t.length) == 0);
    gss_release_buffer(&minor, &s);
    gss_release_buffer(&minor, &t);
    gss_release_name(&minor, &src);
    gss_release_name(&minor, &targ);
    CHECK_MAJOR(gss_inquire_context(&minor, p.init, NULL, NULL, NULL, NULL,
                                    NULL, &local, &open), GSS_S_COMPLETE);
    CHECK(local == 1 && open == 1);
    CHECK_MAJOR(gss_context_time(&minor, p.init, &life), GSS_S_COMPLETE);
    CHECK(life > 3000);
    release(&p);
}

/* gss_wrap_size_limit is exact: the largest input fits, one more not. */
static void
wrap_size_limit_is_exact(void)
{
    struct pair p;
    OM_uint32 minor, max = 0;
    const OM_uint32 limits[] = { 100, 1000, 4096, 65536 };

    CHECK_MAJOR(establish(&p, GSS_C_MUTUAL_FLAG, NULL, NULL), GSS_S_COMPLETE);
    for (int conf = 0; conf <= 1; conf++) {
        for (size_t i = 0; i < sizeof(limits) / sizeof(limits[0]); i++) {
            gss_buffer_desc in, out;

            CHECK_MAJOR(gss_wrap_size_limit(&minor, p.init, conf, 0,
                                            limits[i], &max), GSS_S_COMPLETE);
            in.length = max;
            in.value = calloc(1, max + 2);
            gss_wrap(&minor, p.init, conf, 0, &in, NULL, &out);
            CHECK(out.length == limits[i]);
            gss_release_buffer(&minor, &out);
            in.length = max + 1;
            gss_wrap(&minor, p.init, conf, 0, &in, NULL, &out);
            CHECK(out.length > limits[i]);
            gss_release_buffer(&minor, &out);
            free(in.value);
        }
    }
    release(&p);
}

/* A wrap token presented twice, and tokens out of order. */
static void
replay_and_sequence_detection(void)
{
    struct pair p;
    gss_buffer_desc m = { 3, (void *)"abc" }, t1, t2, t3, out;
    OM_uint32 minor;

    CHECK_MAJOR(establish(&p, GSS_C_MUTUAL_FLAG | GSS_C_REPLAY_FLAG |
                          GSS_C_SEQUENCE_FLAG, NULL, NULL), GSS_S_COMPLETE);
    gss_wrap(&minor, p.init, 1, 0, &m, NULL, &t1);
    gss_wrap(&minor, p.init, 1, 0, &m, NULL, &t2);
    gss_wrap(&minor, p.init, 1, 0, &m, NULL, &t3);
    CHECK_MAJOR(gss_unwrap(&minor, p.acc, &t1, &out, NULL, NULL),
                GSS_S_COMPLETE);
    gss_release_buffer(&minor, &out);
    CHECK_MAJOR(gss_unwrap(&minor, p.acc, &t1, &out, NULL, NULL),
                GSS_S_DUPLICATE_TOKEN);
    gss_release_buffer(&minor, &out);
    CHECK_MAJOR(gss_unwrap(&minor, p.acc, &t3, &out, NULL, NULL),
                GSS_S_GAP_TOKEN);
    gss_release_buffer(&minor, &out);
    CHECK_MAJOR(gss_unwrap(&minor, p.acc, &t2, &out, NULL, NULL),
                GSS_S_UNSEQ_TOKEN);
    gss_release_buffer(&minor, &out);
    CHECK_MAJOR(gss_unwrap(&minor, p.acc, &t2, &out, NULL, NULL),
                GSS_S_DUPLICATE_TOKEN);
    gss_release_buffer(&minor, &out);
    gss_release_buffer(&minor, &t1);
    gss_release_buffer(&minor, &t2);
    gss_release_buffer(&minor, &t3);
    release(&p);
}

static void
channel_bindings_match_and_mismatch(void)
{
    struct gss_channel_bindings_struct a, b;
    struct pair p;

    memset(&a, 0, sizeof(a));
    a.application_data.value = (void *)"tls-server-end-point:abc";
    a.application_data.length = 24;
    b = a;
    b.application_data.value = (void *)"tls-server-end-point:xyz";
    CHECK_MAJOR(establish(&p, GSS_C_MUTUAL_FLAG, &a, &a), GSS_S_COMPLETE);
    release(&p);
    CHECK_MAJOR(establish(&p, GSS_C_MUTUAL_FLAG, &a, &b), GSS_S_BAD_BINDINGS);
    release(&p);
    /* An initiator without bindings is accepted, as MIT does. */
    CHECK_MAJOR(establish(&p, GSS_C_MUTUAL_FLAG, NULL, &b), GSS_S_COMPLETE);
    release(&p);
}

/* The acceptor gets a usable delegated credential and initiates onward
 * to the second service with it. */
static void
delegation_and_onward_use(void)
{
    struct pair p, q;
    gss_name_t name = GSS_C_NO_NAME, svc2 = GSS_C_NO_NAME;
    const char *s2 = getenv("BATON_SERVICE2");
    gss_buffer_desc b = { strlen(s2), (void *)s2 }, tok = GSS_C_EMPTY_BUFFER;
    gss_ctx_id_t onward = GSS_C_NO_CONTEXT;
    OM_uint32 minor, life = 0;

    CHECK_MAJOR(establish(&p, GSS_C_MUTUAL_FLAG | GSS_C_DELEG_FLAG, NULL,
                          NULL), GSS_S_COMPLETE);
    CHECK(p.init_flags & GSS_C_DELEG_FLAG);
    CHECK(p.acc_flags & GSS_C_DELEG_FLAG);
    CHECK(p.deleg != GSS_C_NO_CREDENTIAL);
    CHECK_MAJOR(gss_inquire_cred(&minor, p.deleg, &name, &life, NULL, NULL),
                GSS_S_COMPLETE);
    CHECK(life > 0);
    gss_import_name(&minor, &b, GSS_C_NT_HOSTBASED_SERVICE, &svc2);
    CHECK_MAJOR(gss_init_sec_context(&minor, p.deleg, &onward, svc2,
                                     gss_mech_krb5, 0, 0, NULL, NULL, NULL,
                                     &tok, NULL, NULL), GSS_S_COMPLETE);
    CHECK(tok.length > 100);
    gss_release_buffer(&minor, &tok);
    gss_delete_sec_context(&minor, &onward, NULL);
    gss_release_name(&minor, &svc2);
    gss_release_name(&minor, &name);
    release(&p);
    /* Without the flag there is no delegated credential. */
    CHECK_MAJOR(establish(&q, GSS_C_MUTUAL_FLAG, NULL, NULL), GSS_S_COMPLETE);
    CHECK(q.deleg == GSS_C_NO_CREDENTIAL);
    CHECK(!(q.acc_flags & GSS_C_DELEG_FLAG));
    release(&q);
}

static void
without_mutual_authentication(void)
{
    struct pair p;

    CHECK_MAJOR(establish(&p, GSS_C_REPLAY_FLAG, NULL, NULL), GSS_S_COMPLETE);
    CHECK(!(p.init_flags & GSS_C_MUTUAL_FLAG));
    wrap_one_way(p.init, p.acc, 1, 100);
    wrap_one_way(p.acc, p.init, 1, 100);
    wrap_one_way(p.acc, p.init, 0, 5);
    release(&p);
}

static int
prf_equal(gss_ctx_id_t a, gss_ctx_id_t b, int which, ssize_t len,
          gss_buffer_desc *keep)
{
    gss_buffer_desc in = { 7, (void *)"context" }, x, y;
    OM_uint32 minor;
    int eq;

    CHECK_MAJOR(gss_pseudo_random(&minor, a, which, &in, len, &x),
                GSS_S_COMPLETE);
    CHECK_MAJOR(gss_pseudo_random(&minor, b, which, &in, len, &y),
                GSS_S_COMPLETE);
    eq = x.length == (size_t)len && y.length == (size_t)len &&
         memcmp(x.value, y.value, (size_t)len) == 0;
    if (keep != NULL)
        *keep = x;
    else
        gss_release_buffer(&minor, &x);
    gss_release_buffer(&minor, &y);
    return eq;
}

/* RFC 4402: both sides derive the same bytes, full and partial differ
 * (an acceptor subkey is in force), and a transfer changes nothing. */
static void
pseudo_random_both_sides(void)
{
    struct pair p;
    gss_buffer_desc full, part, tok;
    OM_uint32 minor;
    const ssize_t lens[] = { 1, 16, 17, 64, 1000 };

    CHECK_MAJOR(establish(&p, GSS_C_MUTUAL_FLAG, NULL, NULL), GSS_S_COMPLETE);
    for (size_t i = 0; i < sizeof(lens) / sizeof(lens[0]); i++) {
        CHECK(prf_equal(p.init, p.acc, GSS_C_PRF_KEY_FULL, lens[i], NULL));
        CHECK(prf_equal(p.init, p.acc, GSS_C_PRF_KEY_PARTIAL, lens[i], NULL));
    }
    CHECK(prf_equal(p.init, p.acc, GSS_C_PRF_KEY_FULL, 32, &full));
    CHECK(prf_equal(p.init, p.acc, GSS_C_PRF_KEY_PARTIAL, 32, &part));
    CHECK(memcmp(full.value, part.value, 32) != 0);
    CHECK_MAJOR(gss_export_sec_context(&minor, &p.acc, &tok), GSS_S_COMPLETE);
    CHECK_MAJOR(gss_import_sec_context(&minor, &tok, &p.acc), GSS_S_COMPLETE);
    CHECK(prf_equal(p.init, p.acc, GSS_C_PRF_KEY_PARTIAL, 32, NULL));
    gss_release_buffer(&minor, &tok);
    gss_release_buffer(&minor, &full);
    gss_release_buffer(&minor, &part);
    release(&p);
}

/* Lucid contexts carry the same keys and matching sequence numbers on
 * both sides; exporting one deletes the context, as in MIT. */
static void
lucid_contexts(void)
{
    struct pair p;
    gss_krb5_lucid_context_v1_t *a = NULL, *b = NULL;
    gss_buffer_desc m = { 1, (void *)"x" }, t;
    krb5_flags tf = 0;
    OM_uint32 minor;
    gss_ctx_id_t stale;

    CHECK_MAJOR(establish(&p, GSS_C_MUTUAL_FLAG, NULL, NULL), GSS_S_COMPLETE);
    CHECK_MAJOR(gss_krb5_get_tkt_flags(&minor, p.acc, &tf), GSS_S_COMPLETE);
    CHECK(tf != 0);
    gss_wrap(&minor, p.init, 1, 0, &m, NULL, &t);
    gss_release_buffer(&minor, &t);
    stale = p.init;
    CHECK_MAJOR(gss_krb5_export_lucid_sec_context(&minor, &p.init, 1,
                                                  (void **)&a),
                GSS_S_COMPLETE);
    CHECK(p.init == GSS_C_NO_CONTEXT);
    CHECK_MAJOR(gss_wrap(&minor, stale, 1, 0, &m, NULL, &t), GSS_S_NO_CONTEXT);
    CHECK_MAJOR(gss_krb5_export_lucid_sec_context(&minor, &p.acc, 1,
                                                  (void **)&b),
                GSS_S_COMPLETE);
    CHECK(a != NULL && b != NULL);
    if (a != NULL && b != NULL) {
        CHECK(a->version == 1 && a->protocol == 1 && a->initiate == 1 &&
              b->initiate == 0);
        CHECK(a->cfx_kd.have_acceptor_subkey && b->cfx_kd.have_acceptor_subkey);
        CHECK(a->cfx_kd.ctx_key.length == b->cfx_kd.ctx_key.length &&
              memcmp(a->cfx_kd.ctx_key.data, b->cfx_kd.ctx_key.data,
                     a->cfx_kd.ctx_key.length) == 0);
        CHECK(a->cfx_kd.acceptor_subkey.length > 0 &&
              memcmp(a->cfx_kd.acceptor_subkey.data,
                     b->cfx_kd.acceptor_subkey.data,
                     a->cfx_kd.acceptor_subkey.length) == 0);
        CHECK(a->send_seq == b->recv_seq + 1);  /* one wrap not yet seen */
        CHECK(b->send_seq == a->recv_seq);
    }
    CHECK_MAJOR(gss_krb5_free_lucid_sec_context(&minor, a), GSS_S_COMPLETE);
    CHECK_MAJOR(gss_krb5_free_lucid_sec_context(&minor, b), GSS_S_COMPLETE);
    release(&p);
}

BT_TEST_MAIN(mutual_establishment_and_messages, same_session_key_both_sides,
             inquire_context_both_sides, wrap_size_limit_is_exact,
             replay_and_sequence_detection,
             channel_bindings_match_and_mismatch, delegation_and_onward_use,
             without_mutual_authentication, pseudo_random_both_sides,
             lucid_contexts)
