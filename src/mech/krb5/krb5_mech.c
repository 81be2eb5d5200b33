/*
 * krb5_mech.c - the Kerberos mechanism's table, its shared krb5_context and
 * its status messages.
 */
#include "mech/krb5/krb5_mech.h"
#include "mech/krb5/ctx.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "glue/glue.h"
#include "glue/oids.h"

static pthread_mutex_t kctx_lock = PTHREAD_MUTEX_INITIALIZER;
static krb5_context kctx;

krb5_error_code
bt_krb5_with_context(krb5_error_code (*fn)(krb5_context, void *), void *arg)
{
    krb5_error_code ret = 0;

    pthread_mutex_lock(&kctx_lock);
    if (kctx == NULL)
        ret = krb5_init_context(&kctx);
    if (ret == 0)
        ret = fn(kctx, arg);
    pthread_mutex_unlock(&kctx_lock);
    return ret;
}

__attribute__((destructor)) static void
free_context(void)
{
    pthread_mutex_lock(&kctx_lock);
    if (kctx != NULL)
        krb5_free_context(kctx);
    kctx = NULL;
    pthread_mutex_unlock(&kctx_lock);
}

struct message_args {
    krb5_error_code code;
    gss_buffer_t out;
    bool ok;
};

static krb5_error_code
message(krb5_context k, void *arg)
{
    struct message_args *m = arg;
    const char *msg = krb5_get_error_message(k, m->code);
    OM_uint32 tmp;

    /* com_err knows every registered table; for other codes it answers
     * "Unknown code ...", which is not a krb5 error. */
    if (msg != NULL && strncmp(msg, "Unknown code", 12) != 0)
        m->ok = bt_buf_set(&tmp, msg, strlen(msg), m->out) == GSS_S_COMPLETE;
    krb5_free_error_message(k, msg);
    return 0;
}

bool
bt_krb5_display_minor(OM_uint32 code, gss_buffer_t out)
{
    struct message_args m = { (krb5_error_code)code, out, false };

    if (code < 4096)
        return false;
    /* Using the context also registers libkrb5's error tables. */
    if (bt_krb5_with_context(message, &m) != 0)
        return false;
    return m.ok;
}

static const gss_OID_desc *const aliases[] = {
    BT_OID(O_KRB5_OLD), BT_OID(O_KRB5_WRONG),
};

static const gss_OID_desc *const name_types[] = {
    BT_OID(O_KRB5_NT_PRINC), BT_OID(O_NT_USER), BT_OID(O_NT_MACHINE_UID),
    BT_OID(O_NT_STRING_UID), BT_OID(O_NT_HOSTBASED),
    BT_OID(O_NT_HOSTBASED_X), BT_OID(O_NT_EXPORT),
    BT_OID(O_KRB5_NT_ENTERPRISE),
};

/* RFC 5587 attributes of RFC 4121 Kerberos. */
static const gss_OID_desc *const attrs[] = {
    BT_MA(1) /* MECH_CONCRETE */, BT_MA(9) /* ITOK_FRAMED */,
    BT_MA(10) /* AUTH_INIT */, BT_MA(11) /* AUTH_TARG */,
    BT_MA(16) /* DELEG_CRED */, BT_MA(17) /* INTEG_PROT */,
    BT_MA(18) /* CONF_PROT */, BT_MA(19) /* MIC */, BT_MA(20) /* WRAP */,
    BT_MA(21) /* PROT_READY */, BT_MA(22) /* REPLAY_DET */,
    BT_MA(23) /* OOS_DET */, BT_MA(24) /* CBINDINGS */,
    BT_MA(27) /* CTX_TRANS */,
};

const struct bt_mech bt_krb5_mech = {
    .abi_version = BT_MECH_ABI_VERSION,
    .table_size = sizeof(struct bt_mech),
    .name = "krb5",
    .sasl_name = "GS2-KRB5",
    .description = "Kerberos 5 GSS-API mechanism (RFC 4121)",
    .oid = BT_OID(O_KRB5),
    .aliases = aliases,
    .n_aliases = BT_ARRAY_LEN(aliases),
    .name_types = name_types,
    .n_name_types = BT_ARRAY_LEN(name_types),
    .attrs = attrs,
    .n_attrs = BT_ARRAY_LEN(attrs),
    .import_name = bt_krb5_import_name,
    .import_exported = bt_krb5_import_exported,
    .export_name = bt_krb5_export_name,
    .display_name = bt_krb5_display_name,
    .compare_name = bt_krb5_compare_name,
    .duplicate_name = bt_krb5_duplicate_name,
    .release_name = bt_krb5_release_name,
    .localname = bt_krb5_localname,
    .acquire_cred = bt_krb5_acquire_cred,
    .inquire_cred = bt_krb5_inquire_cred,
    .release_cred = bt_krb5_release_cred,
    .init_sec_context = bt_krb5_init_sec_context,
    .accept_sec_context = bt_krb5_accept_sec_context,
    .delete_sec_context = bt_krb5_delete_sec_context,
    .process_context_token = bt_krb5_process_context_token,
    .context_time = bt_krb5_context_time,
    .inquire_context = bt_krb5_inquire_context,
    .get_mic = bt_krb5_get_mic,
    .verify_mic = bt_krb5_verify_mic,
    .wrap = bt_krb5_wrap,
    .unwrap = bt_krb5_unwrap,
    .wrap_size_limit = bt_krb5_wrap_size_limit,
    .wrap_iov = bt_krb5_wrap_iov,
    .unwrap_iov = bt_krb5_unwrap_iov,
    .get_mic_iov = bt_krb5_get_mic_iov,
    .verify_mic_iov = bt_krb5_verify_mic_iov,
    .pseudo_random = bt_krb5_pseudo_random,
    .inquire_sec_context_by_oid = bt_krb5_inquire_sec_context_by_oid,
    .export_sec_context = bt_krb5_export_sec_context,
    .import_sec_context = bt_krb5_import_sec_context,
    .display_minor = bt_krb5_display_minor,
};
