/*
 * spnego_mech.c - the SPNEGO mechanism table and the calls it passes
 * straight to the negotiated mechanism once negotiation is complete.
 */
#include "mech/spnego/spnego.h"

#include "glue/glue.h"
#include "glue/oids.h"

/* The chosen mechanism's context, for per-message calls: only once SPNEGO
 * is complete (before that the mechanism list is unproven). */
#define SPN_READY(minor, sc)                                                   \
    do {                                                                       \
        if ((sc)->phase != SPN_DONE)                                           \
            return bt_fail((minor), GSS_S_NO_CONTEXT,                          \
                           BT_E_CTX_NOT_ESTABLISHED);                          \
    } while (0)

static void *
negotiated(void *mctx, const struct bt_mech **mech_out)
{
    struct spn_ctx *sc = mctx;

    if (!sc->chosen || sc->mctx == NULL) {
        *mech_out = NULL;
        return NULL;
    }
    *mech_out = sc->mech;
    return sc->mctx;
}

static OM_uint32
inquire_context(OM_uint32 *minor, void *mctx, void **src_out,
                void **targ_out, OM_uint32 *lifetime, OM_uint32 *flags,
                int *locally_initiated, int *open)
{
    struct spn_ctx *sc = mctx;
    OM_uint32 major, life = 0, f;
    int local, is_open;

    if (sc->chosen && sc->mctx != NULL) {
        major = sc->mech->inquire_context(minor, sc->mctx, src_out, targ_out,
                                          &life, &f, &local, &is_open);
        if (major != GSS_S_COMPLETE)
            return major;
    }
    if (lifetime != NULL)
        *lifetime = sc->phase == SPN_DONE ? life : 0;
    if (flags != NULL)
        *flags = bt_spn_flags(sc);
    if (locally_initiated != NULL)
        *locally_initiated = sc->initiator;
    if (open != NULL)
        *open = sc->phase == SPN_DONE;
    *minor = 0;
    return GSS_S_COMPLETE;
}

static OM_uint32
context_time(OM_uint32 *minor, void *mctx, OM_uint32 *time_rec)
{
    struct spn_ctx *sc = mctx;

    SPN_READY(minor, sc);
    return sc->mech->context_time(minor, sc->mctx, time_rec);
}

static OM_uint32
process_context_token(OM_uint32 *minor, void *mctx, const gss_buffer_desc *t)
{
    struct spn_ctx *sc = mctx;

    SPN_READY(minor, sc);
    return sc->mech->process_context_token(minor, sc->mctx, t);
}

static OM_uint32
get_mic(OM_uint32 *minor, void *mctx, gss_qop_t qop,
        const gss_buffer_desc *msg, gss_buffer_t token)
{
    struct spn_ctx *sc = mctx;

    SPN_READY(minor, sc);
    return sc->mech->get_mic(minor, sc->mctx, qop, msg, token);
}

static OM_uint32
verify_mic(OM_uint32 *minor, void *mctx, const gss_buffer_desc *msg,
           const gss_buffer_desc *token, gss_qop_t *qop_state)
{
    struct spn_ctx *sc = mctx;

    SPN_READY(minor, sc);
    return sc->mech->verify_mic(minor, sc->mctx, msg, token, qop_state);
}

static OM_uint32
wrap(OM_uint32 *minor, void *mctx, int conf_req, gss_qop_t qop,
     const gss_buffer_desc *in, int *conf_state, gss_buffer_t out)
{
    struct spn_ctx *sc = mctx;

    SPN_READY(minor, sc);
    return sc->mech->wrap(minor, sc->mctx, conf_req, qop, in, conf_state, out);
}

static OM_uint32
unwrap(OM_uint32 *minor, void *mctx, const gss_buffer_desc *in,
       gss_buffer_t out, int *conf_state, gss_qop_t *qop_state)
{
    struct spn_ctx *sc = mctx;

    SPN_READY(minor, sc);
    return sc->mech->unwrap(minor, sc->mctx, in, out, conf_state, qop_state);
}

static OM_uint32
wrap_size_limit(OM_uint32 *minor, void *mctx, int conf_req, gss_qop_t qop,
                OM_uint32 req_output_size, OM_uint32 *max_input)
{
    struct spn_ctx *sc = mctx;

    SPN_READY(minor, sc);
    return sc->mech->wrap_size_limit(minor, sc->mctx, conf_req, qop,
                                     req_output_size, max_input);
}

static OM_uint32
wrap_iov(OM_uint32 *minor, void *mctx, int conf_req, gss_qop_t qop,
         bool length_only, int *conf_state, gss_iov_buffer_desc *iov, int n)
{
    struct spn_ctx *sc = mctx;

    SPN_READY(minor, sc);
    return sc->mech->wrap_iov(minor, sc->mctx, conf_req, qop, length_only,
                              conf_state, iov, n);
}

static OM_uint32
unwrap_iov(OM_uint32 *minor, void *mctx, int *conf_state,
           gss_qop_t *qop_state, gss_iov_buffer_desc *iov, int n)
{
    struct spn_ctx *sc = mctx;

    SPN_READY(minor, sc);
    return sc->mech->unwrap_iov(minor, sc->mctx, conf_state, qop_state, iov,
                                n);
}

static OM_uint32
get_mic_iov(OM_uint32 *minor, void *mctx, gss_qop_t qop, bool length_only,
            gss_iov_buffer_desc *iov, int n)
{
    struct spn_ctx *sc = mctx;

    SPN_READY(minor, sc);
    return sc->mech->get_mic_iov(minor, sc->mctx, qop, length_only, iov, n);
}

static OM_uint32
verify_mic_iov(OM_uint32 *minor, void *mctx, gss_qop_t *qop_state,
               gss_iov_buffer_desc *iov, int n)
{
    struct spn_ctx *sc = mctx;

    SPN_READY(minor, sc);
    return sc->mech->verify_mic_iov(minor, sc->mctx, qop_state, iov, n);
}

static OM_uint32
pseudo_random(OM_uint32 *minor, void *mctx, int prf_key,
              const gss_buffer_desc *in, ssize_t len, gss_buffer_t out)
{
    struct spn_ctx *sc = mctx;

    SPN_READY(minor, sc);
    return sc->mech->pseudo_random(minor, sc->mctx, prf_key, in, len, out);
}

static OM_uint32
inquire_by_oid(OM_uint32 *minor, void *mctx, const gss_OID_desc *what,
               gss_buffer_set_t *out)
{
    struct spn_ctx *sc = mctx;

    /* Not the initiator's first guess: only the chosen mechanism. */
    if (!sc->chosen || sc->mctx == NULL ||
        sc->mech->inquire_sec_context_by_oid == NULL)
        return bt_fail(minor, GSS_S_UNAVAILABLE, BT_E_SPNEGO_NOT_NEGOTIATED);
    return sc->mech->inquire_sec_context_by_oid(minor, sc->mctx, what, out);
}

/* SPNEGO reports its mechanisms' minor codes as they are, so it can say
 * what they mean (gss_display_status with the SPNEGO OID). */
static bool
display_minor(OM_uint32 code, gss_buffer_t out)
{
    const struct bt_mech *inner[SPN_MAX_INNER];
    size_t n = bt_spn_inner_mechs(inner, SPN_MAX_INNER);

    for (size_t i = 0; i < n; i++) {
        if (inner[i]->display_minor != NULL &&
            inner[i]->display_minor(code, out))
            return true;
    }
    return false;
}

/* The name types MIT's SPNEGO lists (gss_inquire_names_for_mech). */
static const gss_OID_desc *const name_types[] = {
    BT_OID(O_NT_USER), BT_OID(O_NT_MACHINE_UID), BT_OID(O_NT_STRING_UID),
    BT_OID(O_NT_HOSTBASED),
};

/* RFC 5587 attributes, as MIT reports them for SPNEGO. */
static const gss_OID_desc *const attrs[] = {
    BT_MA(4) /* MECH_NEGO */, BT_MA(9) /* ITOK_FRAMED */,
};

const struct bt_mech bt_spnego_mech = {
    .abi_version = BT_MECH_ABI_VERSION,
    .table_size = sizeof(struct bt_mech),
    .name = "spnego",
    .sasl_name = "SPNEGO",
    .description = "Simple and Protected GSS-API Negotiation Mechanism",
    .oid = BT_OID(O_SPNEGO),
    .name_types = name_types,
    .n_name_types = BT_ARRAY_LEN(name_types),
    .attrs = attrs,
    .n_attrs = BT_ARRAY_LEN(attrs),
    .import_name = bt_spn_import_name,
    .display_name = bt_spn_display_name,
    .compare_name = bt_spn_compare_name,
    .duplicate_name = bt_spn_duplicate_name,
    .release_name = bt_spn_release_name,
    .localname = bt_spn_localname,
    .acquire_cred = bt_spn_acquire_cred,
    .inquire_cred = bt_spn_inquire_cred,
    .release_cred = bt_spn_release_cred,
    .init_sec_context = bt_spn_init_sec_context,
    .accept_sec_context = bt_spn_accept_sec_context,
    .delete_sec_context = bt_spn_delete_sec_context,
    .process_context_token = process_context_token,
    .context_time = context_time,
    .inquire_context = inquire_context,
    .get_mic = get_mic,
    .verify_mic = verify_mic,
    .wrap = wrap,
    .unwrap = unwrap,
    .wrap_size_limit = wrap_size_limit,
    .wrap_iov = wrap_iov,
    .unwrap_iov = unwrap_iov,
    .get_mic_iov = get_mic_iov,
    .verify_mic_iov = verify_mic_iov,
    .pseudo_random = pseudo_random,
    .inquire_sec_context_by_oid = inquire_by_oid,
    .export_sec_context = bt_spn_export_sec_context,
    .import_sec_context = bt_spn_import_sec_context,
    .display_minor = display_minor,
    .negotiated = negotiated,
    .import_mech_name = bt_spn_import_mech_name,
    .set_neg_mechs = bt_spn_set_neg_mechs,
    .get_neg_mechs = bt_spn_get_neg_mechs,
    .borrow_creds = bt_spn_borrow_creds,
};
