/* Tests for src/glue/context*.c, message.c and transfer.c: dispatch to a
 * mechanism, stale handles (also across threads and after reuse), and the
 * statuses of calls no mechanism serves. */
#include "check.h"

#include <pthread.h>

#include <gssapi/gssapi_krb5.h>

#include "glue/fake_mech.h"

static void
per_message_calls_dispatch(void)
{
    gss_ctx_id_t ctx = fake_context();
    gss_buffer_desc msg = { 5, (void *)"hello" }, wrapped, plain, mic;
    OM_uint32 minor, max = 0, t = 0, flags = 0;
    gss_qop_t qop = 9;
    int conf = -1, local = 0, open = 0;
    gss_OID mech = GSS_C_NO_OID;

    CHECK_MAJOR(gss_wrap(&minor, ctx, 1, 0, &msg, &conf, &wrapped),
                GSS_S_COMPLETE);
    CHECK(conf == 1 && wrapped.length == 6);
    CHECK_MAJOR(gss_unwrap(&minor, ctx, &wrapped, &plain, &conf, &qop),
                GSS_S_COMPLETE);
    CHECK_BUF_STR(plain, "hello");
    CHECK(qop == 0);
    gss_release_buffer(&minor, &plain);
    /* The V1 names reach the same code. */
    CHECK_MAJOR(gss_unseal(&minor, ctx, &wrapped, &plain, &conf, NULL),
                GSS_S_COMPLETE);
    gss_release_buffer(&minor, &plain);
    gss_release_buffer(&minor, &wrapped);
    CHECK_MAJOR(gss_seal(&minor, ctx, 0, 0, &msg, &conf, &wrapped),
                GSS_S_COMPLETE);
    CHECK(conf == 0);
    gss_release_buffer(&minor, &wrapped);
    CHECK_MAJOR(gss_get_mic(&minor, ctx, 0, &msg, &mic), GSS_S_COMPLETE);
    CHECK_MAJOR(gss_verify_mic(&minor, ctx, &msg, &mic, &qop), GSS_S_COMPLETE);
    CHECK_MAJOR(gss_verify(&minor, ctx, &msg, &mic, NULL), GSS_S_COMPLETE);
    gss_release_buffer(&minor, &mic);
    CHECK_MAJOR(gss_sign(&minor, ctx, 0, &msg, &mic), GSS_S_COMPLETE);
    msg.value = (void *)"jello";
    CHECK_MAJOR(gss_verify_mic(&minor, ctx, &msg, &mic, &qop), GSS_S_BAD_SIG);
    gss_release_buffer(&minor, &mic);
    CHECK_MAJOR(gss_wrap_size_limit(&minor, ctx, 1, 0, 100, &max),
                GSS_S_COMPLETE);
    CHECK(max == 99);
    CHECK_MAJOR(gss_context_time(&minor, ctx, &t), GSS_S_COMPLETE);
    CHECK(t == 600);
    CHECK_MAJOR(gss_inquire_context(&minor, ctx, NULL, NULL, &t, &mech,
                                    &flags, &local, &open), GSS_S_COMPLETE);
    CHECK(mech == &fake_oid && local == 1 && open == 1);
    CHECK(flags == (GSS_C_MUTUAL_FLAG | GSS_C_INTEG_FLAG));
    CHECK_MAJOR(gss_delete_sec_context(&minor, &ctx, GSS_C_NO_BUFFER),
                GSS_S_COMPLETE);
    CHECK(ctx == GSS_C_NO_CONTEXT);
}

static void
null_outputs_and_inputs(void)
{
    gss_ctx_id_t ctx = fake_context();
    gss_buffer_desc msg = { 1, (void *)"x" }, out, bad = { 4, NULL };
    OM_uint32 minor;

    CHECK_MAJOR(gss_wrap(&minor, ctx, 1, 0, &msg, NULL, NULL),
                GSS_S_CALL_INACCESSIBLE_WRITE);
    CHECK_MAJOR(gss_wrap(&minor, ctx, 1, 0, NULL, NULL, &out),
                GSS_S_CALL_INACCESSIBLE_READ);
    CHECK_MAJOR(gss_wrap(&minor, ctx, 1, 0, &bad, NULL, &out),
                GSS_S_CALL_INACCESSIBLE_READ);
    CHECK_MAJOR(gss_unwrap(&minor, ctx, &msg, NULL, NULL, NULL),
                GSS_S_CALL_INACCESSIBLE_WRITE);
    CHECK_MAJOR(gss_get_mic(&minor, ctx, 0, &msg, NULL),
                GSS_S_CALL_INACCESSIBLE_WRITE);
    CHECK_MAJOR(gss_verify_mic(&minor, ctx, &msg, NULL, NULL),
                GSS_S_CALL_INACCESSIBLE_READ);
    CHECK_MAJOR(gss_context_time(&minor, ctx, NULL),
                GSS_S_CALL_INACCESSIBLE_WRITE);
    CHECK_MAJOR(gss_wrap_size_limit(&minor, ctx, 1, 0, 10, NULL),
                GSS_S_CALL_INACCESSIBLE_WRITE);
    CHECK_MAJOR(gss_process_context_token(&minor, ctx, NULL),
                GSS_S_CALL_INACCESSIBLE_READ);
    CHECK_MAJOR(gss_process_context_token(&minor, ctx, &msg),
                GSS_S_UNAVAILABLE);
    CHECK_MAJOR(gss_delete_sec_context(&minor, NULL, NULL),
                GSS_S_CALL_INACCESSIBLE_WRITE);
    CHECK_MAJOR(gss_export_sec_context(&minor, NULL, &out),
                GSS_S_CALL_INACCESSIBLE_WRITE);
    gss_delete_sec_context(&minor, &ctx, NULL);
}

/* Every context call on h must answer GSS_S_NO_CONTEXT. */
static void
all_calls_say_no_context(gss_ctx_id_t h)
{
    gss_buffer_desc msg = { 1, (void *)"x" }, out;
    gss_iov_buffer_desc iov[1] = { { GSS_IOV_BUFFER_TYPE_DATA, { 1, "x" } } };
    gss_buffer_set_t set;
    gss_ctx_id_t copy = h;
    OM_uint32 minor, t;
    int conf;

    CHECK_MAJOR(gss_wrap(&minor, h, 1, 0, &msg, &conf, &out), GSS_S_NO_CONTEXT);
    CHECK(out.value == NULL && out.length == 0);
    CHECK_MAJOR(gss_unwrap(&minor, h, &msg, &out, NULL, NULL),
                GSS_S_NO_CONTEXT);
    CHECK_MAJOR(gss_get_mic(&minor, h, 0, &msg, &out), GSS_S_NO_CONTEXT);
    CHECK_MAJOR(gss_verify_mic(&minor, h, &msg, &msg, NULL), GSS_S_NO_CONTEXT);
    CHECK_MAJOR(gss_context_time(&minor, h, &t), GSS_S_NO_CONTEXT);
    CHECK_MAJOR(gss_inquire_context(&minor, h, NULL, NULL, NULL, NULL, NULL,
                                    NULL, NULL), GSS_S_NO_CONTEXT);
    CHECK_MAJOR(gss_wrap_size_limit(&minor, h, 1, 0, 10, &t), GSS_S_NO_CONTEXT);
    CHECK_MAJOR(gss_process_context_token(&minor, h, &msg), GSS_S_NO_CONTEXT);
    CHECK_MAJOR(gss_export_sec_context(&minor, &copy, &out), GSS_S_NO_CONTEXT);
    CHECK_MAJOR(gss_wrap_iov(&minor, h, 1, 0, NULL, iov, 1), GSS_S_NO_CONTEXT);
    CHECK_MAJOR(gss_pseudo_random(&minor, h, GSS_C_PRF_KEY_FULL, &msg, 16,
                                  &out), GSS_S_NO_CONTEXT);
    CHECK_MAJOR(gss_inquire_sec_context_by_oid(&minor, h,
                                               GSS_C_INQ_SSPI_SESSION_KEY,
                                               &set), GSS_S_NO_CONTEXT);
    CHECK_MAJOR(gss_delete_sec_context(&minor, &copy, NULL), GSS_S_NO_CONTEXT);
    CHECK(copy == h);                       /* a failed delete keeps it */
}

static void
deleted_reused_and_garbage_handles(void)
{
    gss_ctx_id_t ctx = fake_context(), stale = ctx, fresh;
    int deleted = atomic_load(&fake_deleted);
    OM_uint32 minor;

    CHECK_MAJOR(gss_delete_sec_context(&minor, &ctx, NULL), GSS_S_COMPLETE);
    CHECK(atomic_load(&fake_deleted) == deleted + 1);   /* state freed */
    all_calls_say_no_context(stale);
    fresh = fake_context();                 /* reuses the slot */
    all_calls_say_no_context(stale);
    all_calls_say_no_context((gss_ctx_id_t)&minor);
    all_calls_say_no_context((gss_ctx_id_t)(uintptr_t)0xdeadbeefcafe0003u);
    all_calls_say_no_context(GSS_C_NO_CONTEXT);
    gss_delete_sec_context(&minor, &fresh, NULL);
}

static void
export_failure_leaves_context_usable(void)
{
    gss_ctx_id_t ctx = fake_context(), before = ctx;
    gss_buffer_desc tok = { 3, (void *)"abc" }, msg = { 1, (void *)"x" }, mic;
    OM_uint32 minor;

    CHECK_MAJOR(gss_export_sec_context(&minor, &ctx, &tok), GSS_S_UNAVAILABLE);
    CHECK(ctx == before);
    CHECK(tok.length == 0 && tok.value == NULL);
    CHECK_MAJOR(gss_get_mic(&minor, ctx, 0, &msg, &mic), GSS_S_COMPLETE);
    gss_release_buffer(&minor, &mic);
    gss_delete_sec_context(&minor, &ctx, NULL);
}

static void
import_statuses(void)
{
    gss_buffer_desc empty = { 0, NULL }, junk = { 4, (void *)"junk" };
    gss_ctx_id_t ctx = (gss_ctx_id_t)1;
    OM_uint32 minor;

    CHECK_MAJOR(gss_import_sec_context(&minor, &empty, &ctx),
                GSS_S_DEFECTIVE_TOKEN);
    CHECK(ctx == GSS_C_NO_CONTEXT);
    CHECK_MAJOR(gss_import_sec_context(&minor, &junk, &ctx),
                GSS_S_DEFECTIVE_TOKEN);
    CHECK_MAJOR(gss_import_sec_context(&minor, NULL, &ctx),
                GSS_S_CALL_INACCESSIBLE_READ);
    CHECK_MAJOR(gss_import_sec_context(&minor, &junk, NULL),
                GSS_S_CALL_INACCESSIBLE_WRITE);
}

/* One thread deletes a context while others keep using it: each use
 * either completes or says GSS_S_NO_CONTEXT; ASan watches the memory. */
static gss_ctx_id_t raced;
static atomic_int race_bad;

static void *
use_until_gone(void *arg)
{
    gss_buffer_desc msg = { 3, (void *)"abc" }, out;
    OM_uint32 minor, major;
    int conf;

    (void)arg;
    for (int i = 0; i < 100000; i++) {
        major = gss_wrap(&minor, raced, 1, 0, &msg, &conf, &out);
        if (major == GSS_S_NO_CONTEXT)
            return NULL;
        if (major != GSS_S_COMPLETE)
            atomic_fetch_add(&race_bad, 1);
        gss_release_buffer(&minor, &out);
    }
    return NULL;
}

static void
delete_from_another_thread(void)
{
    for (int round = 0; round < 20; round++) {
        pthread_t th[3];
        gss_ctx_id_t mine;
        OM_uint32 minor;

        raced = fake_context();
        mine = raced;
        for (int i = 0; i < 3; i++)
            pthread_create(&th[i], NULL, use_until_gone, NULL);
        CHECK_MAJOR(gss_delete_sec_context(&minor, &mine, NULL),
                    GSS_S_COMPLETE);
        for (int i = 0; i < 3; i++)
            pthread_join(th[i], NULL);
    }
    CHECK(atomic_load(&race_bad) == 0);
}

/* Without a ccache or keytab the Kerberos mechanism says so; malformed
 * initial tokens are refused before any credential is looked at. */
static void
krb5_context_calls_without_credentials(void)
{
    gss_buffer_desc n = { 14, (void *)"host@localhost" }, out, in;
    /* A framed krb5 initial token whose TOK_ID is an AP-REP's. */
    unsigned char tok[] = { 0x60, 0x0d, 0x06, 0x09, 0x2a, 0x86, 0x48, 0x86,
                            0xf7, 0x12, 0x01, 0x02, 0x02, 0x02, 0x00 };
    /* The same with an AP-REQ TOK_ID: the acceptor needs its keytab. */
    unsigned char req[] = { 0x60, 0x0d, 0x06, 0x09, 0x2a, 0x86, 0x48, 0x86,
                            0xf7, 0x12, 0x01, 0x02, 0x02, 0x01, 0x00 };
    unsigned char other[] = { 0x60, 0x07, 0x06, 0x03, 0x2a, 0x03, 0x07, 0x01,
                              0x00 };
    gss_ctx_id_t ctx = GSS_C_NO_CONTEXT;
    gss_name_t target = GSS_C_NO_NAME;
    OM_uint32 minor;

    gss_import_name(&minor, &n, GSS_C_NT_HOSTBASED_SERVICE, &target);
    CHECK_MAJOR(gss_init_sec_context(&minor, GSS_C_NO_CREDENTIAL, &ctx, target,
                                     GSS_C_NO_OID, 0, 0, NULL, NULL, NULL,
                                     &out, NULL, NULL), GSS_S_NO_CRED);
    CHECK(ctx == GSS_C_NO_CONTEXT);
    CHECK_MAJOR(gss_init_sec_context(&minor, GSS_C_NO_CREDENTIAL, &ctx,
                                     GSS_C_NO_NAME, GSS_C_NO_OID, 0, 0, NULL,
                                     NULL, NULL, &out, NULL, NULL),
                GSS_S_BAD_NAME);
    CHECK_MAJOR(gss_init_sec_context(&minor, GSS_C_NO_CREDENTIAL, &ctx, target,
                                     &fake_oid, 0, 0, NULL, NULL, NULL, &out,
                                     NULL, NULL), GSS_S_BAD_MECH);
    CHECK_MAJOR(gss_init_sec_context(&minor, (gss_cred_id_t)8, &ctx, target,
                                     GSS_C_NO_OID, 0, 0, NULL, NULL, NULL,
                                     &out, NULL, NULL), GSS_S_NO_CRED);
    ctx = (gss_ctx_id_t)&minor;
    CHECK_MAJOR(gss_init_sec_context(&minor, GSS_C_NO_CREDENTIAL, &ctx, target,
                                     GSS_C_NO_OID, 0, 0, NULL, NULL, NULL,
                                     &out, NULL, NULL), GSS_S_NO_CONTEXT);
    ctx = GSS_C_NO_CONTEXT;
    in.value = tok;
    in.length = sizeof(tok);
    CHECK_MAJOR(gss_accept_sec_context(&minor, &ctx, GSS_C_NO_CREDENTIAL, &in,
                                       NULL, NULL, NULL, &out, NULL, NULL,
                                       NULL), GSS_S_DEFECTIVE_TOKEN);
    in.value = req;
    in.length = sizeof(req);
    CHECK_MAJOR(gss_accept_sec_context(&minor, &ctx, GSS_C_NO_CREDENTIAL, &in,
                                       NULL, NULL, NULL, &out, NULL, NULL,
                                       NULL), GSS_S_NO_CRED);
    in.value = other;
    in.length = sizeof(other);
    CHECK_MAJOR(gss_accept_sec_context(&minor, &ctx, GSS_C_NO_CREDENTIAL, &in,
                                       NULL, NULL, NULL, &out, NULL, NULL,
                                       NULL), GSS_S_BAD_MECH);
    in.length = sizeof(other) - 1;
    CHECK_MAJOR(gss_accept_sec_context(&minor, &ctx, GSS_C_NO_CREDENTIAL, &in,
                                       NULL, NULL, NULL, &out, NULL, NULL,
                                       NULL), GSS_S_DEFECTIVE_TOKEN);
    in.length = 0;
    CHECK_MAJOR(gss_accept_sec_context(&minor, &ctx, GSS_C_NO_CREDENTIAL, &in,
                                       NULL, NULL, NULL, &out, NULL, NULL,
                                       NULL), GSS_S_DEFECTIVE_TOKEN);
    CHECK(ctx == GSS_C_NO_CONTEXT);
    gss_release_name(&minor, &target);
}

BT_TEST_MAIN(per_message_calls_dispatch, null_outputs_and_inputs,
             deleted_reused_and_garbage_handles,
             export_failure_leaves_context_usable, import_statuses,
             delete_from_another_thread, krb5_context_calls_without_credentials)
