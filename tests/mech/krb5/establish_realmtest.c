/* Kerberos establishment and per-message tokens in one process, initiator
 * and acceptor both on Baton, against the throwaway realm (run under
 * tests/realm/realm.sh). */
#include "check.h"

#include <stdlib.h>

#include <gssapi/gssapi_krb5.h>

static void
show(const char *what, OM_uint32 major, OM_uint32 minor)
{
    OM_uint32 m, ctx = 0;
    gss_buffer_desc b;

    if (!GSS_ERROR(major))
        return;
    gss_display_status(&m, major, GSS_C_GSS_CODE, NULL, &ctx, &b);
    fprintf(stderr, "  %s: %.*s", what, (int)b.length, (char *)b.value);
    gss_release_buffer(&m, &b);
    ctx = 0;
    gss_display_status(&m, minor, GSS_C_MECH_CODE, NULL, &ctx, &b);
    fprintf(stderr, " (%.*s)\n", (int)b.length, (char *)b.value);
    gss_release_buffer(&m, &b);
}

static gss_name_t
service_name(void)
{
    const char *s = getenv("BATON_SERVICE");
    gss_buffer_desc b = { strlen(s != NULL ? s : ""), (void *)s };
    gss_name_t n = GSS_C_NO_NAME;
    OM_uint32 minor;

    CHECK_MAJOR(gss_import_name(&minor, &b, GSS_C_NT_HOSTBASED_SERVICE, &n),
                GSS_S_COMPLETE);
    return n;
}

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
    gss_name_t target = service_name();
    gss_buffer_desc itok = GSS_C_EMPTY_BUFFER, atok = GSS_C_EMPTY_BUFFER;
    OM_uint32 imaj, amaj = GSS_S_CONTINUE_NEEDED, minor, m;
    int rounds = 0;

    memset(p, 0, sizeof(*p));
    do {
        imaj = gss_init_sec_context(&minor, GSS_C_NO_CREDENTIAL, &p->init,
                                    target, gss_mech_krb5, req, 0, icb, &atok,
                                    NULL, &itok, &p->init_flags, NULL);
        show("init", imaj, minor);
        gss_release_buffer(&m, &atok);
        if (GSS_ERROR(imaj) || itok.length == 0)
            break;
        amaj = gss_accept_sec_context(&minor, &p->acc, GSS_C_NO_CREDENTIAL,
                                      &itok, acb, &p->src, NULL, &atok,
                                      &p->acc_flags, NULL, &p->deleg);
        show("accept", amaj, minor);
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
        show("unwrap", major, minor);
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
    CHECK(!(p.acc_flags & GSS_C_TRANS_FLAG));   /* no export yet */
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

BT_TEST_MAIN(mutual_establishment_and_messages)
