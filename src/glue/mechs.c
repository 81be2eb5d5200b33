/*
 * mechs.c - what mechanisms there are and what they do: gss_indicate_mechs,
 * gss_inquire_names_for_mech, RFC 5587 attributes and RFC 5801 SASL names.
 */
#include "glue/glue.h"

#include <string.h>

#include "glue/oids.h"

BT_EXPORT OM_uint32
gss_indicate_mechs(OM_uint32 *minor_status, gss_OID_set *mech_set)
{
    const struct bt_mech *const *mechs;
    const gss_OID_desc *oids[BT_MAX_MECHS];
    size_t n;

    if (minor_status != NULL)
        *minor_status = 0;
    if (mech_set == NULL)
        return bt_fail(minor_status, GSS_S_CALL_INACCESSIBLE_WRITE, 0);
    *mech_set = GSS_C_NO_OID_SET;
    mechs = bt_mech_list(&n);
    for (size_t i = 0; i < n; i++)
        oids[i] = mechs[i]->oid;
    return bt_oid_set_from(minor_status, oids, n, mech_set);
}

/* GSS_C_NO_OID means the default mechanism, as in MIT's glue. */
static const struct bt_mech *
find_or_default(gss_const_OID oid)
{
    return oid == GSS_C_NO_OID ? bt_mech_default() : bt_mech_find(oid);
}

BT_EXPORT OM_uint32
gss_inquire_names_for_mech(OM_uint32 *minor_status, gss_OID mechanism,
                           gss_OID_set *name_types)
{
    const struct bt_mech *mech;

    if (minor_status != NULL)
        *minor_status = 0;
    if (name_types == NULL)
        return bt_fail(minor_status, GSS_S_CALL_INACCESSIBLE_WRITE, 0);
    *name_types = GSS_C_NO_OID_SET;
    mech = find_or_default(mechanism);
    if (mech == NULL)
        return bt_fail(minor_status, GSS_S_BAD_MECH, BT_E_UNSUPPORTED_MECH);
    return bt_oid_set_from(minor_status, mech->name_types, mech->n_name_types,
                           name_types);
}

/* ---- RFC 5587 ---- */

static const struct {
    const char *name, *short_desc, *long_desc;
} attr_text[BT_MA_COUNT] = {
    { "GSS_C_MA_MECH_CONCRETE", "concrete-mech",
      "Mechanism is neither a pseudo-mechanism nor a composite mechanism." },
    { "GSS_C_MA_MECH_PSEUDO", "pseudo-mech", "Mechanism is a pseudo-mechanism." },
    { "GSS_C_MA_MECH_COMPOSITE", "composite-mech",
      "Mechanism is a composite of other mechanisms." },
    { "GSS_C_MA_MECH_NEGO", "mech-negotiation-mech",
      "Mechanism negotiates other mechanisms." },
    { "GSS_C_MA_MECH_GLUE", "mech-glue", "OID is not a mechanism but the GSS-API itself." },
    { "GSS_C_MA_NOT_MECH", "not-mech", "Known OID but not a mechanism OID." },
    { "GSS_C_MA_DEPRECATED", "mech-deprecated",
      "Mechanism is deprecated and should not be used." },
    { "GSS_C_MA_NOT_DFLT_MECH", "mech-not-default",
      "Mechanism must not be used as a default mechanism." },
    { "GSS_C_MA_ITOK_FRAMED", "initial-is-framed",
      "Mechanism's initial contexts are properly framed." },
    { "GSS_C_MA_AUTH_INIT", "auth-init-princ",
      "Mechanism supports authentication of initiator to acceptor." },
    { "GSS_C_MA_AUTH_TARG", "auth-targ-princ",
      "Mechanism supports authentication of acceptor to initiator." },
    { "GSS_C_MA_AUTH_INIT_INIT", "auth-init-princ-initial",
      "Mechanism supports authentication of initiator using initial "
      "credentials." },
    { "GSS_C_MA_AUTH_TARG_INIT", "auth-target-princ-initial",
      "Mechanism supports authentication of acceptor using initial "
      "credentials." },
    { "GSS_C_MA_AUTH_INIT_ANON", "auth-init-princ-anon",
      "Mechanism supports GSS_C_NT_ANONYMOUS as an initiator name." },
    { "GSS_C_MA_AUTH_TARG_ANON", "auth-targ-princ-anon",
      "Mechanism supports GSS_C_NT_ANONYMOUS as an acceptor name." },
    { "GSS_C_MA_DELEG_CRED", "deleg-cred", "Mechanism supports credential delegation." },
    { "GSS_C_MA_INTEG_PROT", "integ-prot", "Mechanism supports per-message integrity protection." },
    { "GSS_C_MA_CONF_PROT", "conf-prot",
      "Mechanism supports per-message confidentiality protection." },
    { "GSS_C_MA_MIC", "mic", "Mechanism supports Message Integrity Code (MIC) tokens." },
    { "GSS_C_MA_WRAP", "wrap",
      "Mechanism supports wrap tokens." },
    { "GSS_C_MA_PROT_READY", "prot-ready",
      "Mechanism supports per-message protection prior to full context "
      "establishment." },
    { "GSS_C_MA_REPLAY_DET", "replay-detection", "Mechanism supports replay detection." },
    { "GSS_C_MA_OOS_DET", "oos-detection",
      "Mechanism supports out-of-sequence detection." },
    { "GSS_C_MA_CBINDINGS", "channel-bindings", "Mechanism supports channel bindings." },
    { "GSS_C_MA_PFS", "pfs", "Mechanism supports Perfect Forward Security." },
    { "GSS_C_MA_COMPRESS", "compress", "Mechanism supports compression of data inputs to "
      "gss_wrap()." },
    { "GSS_C_MA_CTX_TRANS", "context-transfer",
      "Mechanism supports security context export/import." },
};

static OM_uint32
all_attrs(OM_uint32 *minor, gss_OID_set *out)
{
    const gss_OID_desc *oids[BT_MA_COUNT];

    for (size_t i = 0; i < BT_MA_COUNT; i++)
        oids[i] = BT_MA(i + 1);
    return bt_oid_set_from(minor, oids, BT_MA_COUNT, out);
}

BT_EXPORT OM_uint32
gss_inquire_attrs_for_mech(OM_uint32 *minor_status, gss_const_OID mech,
                           gss_OID_set *mech_attrs,
                           gss_OID_set *known_mech_attrs)
{
    const struct bt_mech *m;
    OM_uint32 major = GSS_S_COMPLETE, tmp;

    if (minor_status != NULL)
        *minor_status = 0;
    if (mech_attrs != NULL)
        *mech_attrs = GSS_C_NO_OID_SET;
    if (known_mech_attrs != NULL)
        *known_mech_attrs = GSS_C_NO_OID_SET;
    m = find_or_default(mech);
    if (m == NULL)
        return bt_fail(minor_status, GSS_S_BAD_MECH, BT_E_UNSUPPORTED_MECH);
    if (mech_attrs != NULL)
        major = bt_oid_set_from(minor_status, m->attrs, m->n_attrs, mech_attrs);
    if (major == GSS_S_COMPLETE && known_mech_attrs != NULL)
        major = all_attrs(minor_status, known_mech_attrs);
    if (major != GSS_S_COMPLETE && mech_attrs != NULL)
        (void)gss_release_oid_set(&tmp, mech_attrs);
    return major;
}

static bool
has_attr(const struct bt_mech *m, const gss_OID_desc *attr)
{
    for (size_t i = 0; i < m->n_attrs; i++) {
        if (bt_oid_eq(m->attrs[i], attr))
            return true;
    }
    return false;
}

static bool
known_attr(const gss_OID_desc *attr)
{
    for (size_t i = 1; i <= BT_MA_COUNT; i++) {
        if (bt_oid_eq(BT_MA(i), attr))
            return true;
    }
    return false;
}

/* RFC 5587 3.4.2: desired all present, except none present, and every
 * critical attribute known to the mechanism (every mechanism here knows
 * exactly the 27 attributes of RFC 5587). */
static bool
mech_matches(const struct bt_mech *m, gss_const_OID_set desired,
             gss_const_OID_set except, gss_const_OID_set critical)
{
    for (size_t i = 0; critical != NULL && i < critical->count; i++) {
        if (!known_attr(&critical->elements[i]))
            return false;
    }
    for (size_t i = 0; desired != NULL && i < desired->count; i++) {
        if (!has_attr(m, &desired->elements[i]))
            return false;
    }
    for (size_t i = 0; except != NULL && i < except->count; i++) {
        if (has_attr(m, &except->elements[i]))
            return false;
    }
    return true;
}

BT_EXPORT OM_uint32
gss_indicate_mechs_by_attrs(OM_uint32 *minor_status,
                            gss_const_OID_set desired_mech_attrs,
                            gss_const_OID_set except_mech_attrs,
                            gss_const_OID_set critical_mech_attrs,
                            gss_OID_set *mechs)
{
    const struct bt_mech *const *list;
    const gss_OID_desc *found[BT_MAX_MECHS];
    size_t n, k = 0;

    if (minor_status != NULL)
        *minor_status = 0;
    if (mechs == NULL)
        return bt_fail(minor_status, GSS_S_CALL_INACCESSIBLE_WRITE, 0);
    *mechs = GSS_C_NO_OID_SET;
    list = bt_mech_list(&n);
    for (size_t i = 0; i < n; i++) {
        if (mech_matches(list[i], desired_mech_attrs, except_mech_attrs,
                         critical_mech_attrs))
            found[k++] = list[i]->oid;
    }
    return bt_oid_set_from(minor_status, found, k, mechs);
}

static OM_uint32
set_text(OM_uint32 *minor, gss_buffer_t out, const char *text)
{
    if (out == GSS_C_NO_BUFFER)
        return GSS_S_COMPLETE;
    return bt_buf_set(minor, text, strlen(text), out);
}

BT_EXPORT OM_uint32
gss_display_mech_attr(OM_uint32 *minor_status, gss_const_OID mech_attr,
                      gss_buffer_t name, gss_buffer_t short_desc,
                      gss_buffer_t long_desc)
{
    OM_uint32 major, tmp;
    size_t i;

    if (minor_status != NULL)
        *minor_status = 0;
    bt_buf_clear(name);
    bt_buf_clear(short_desc);
    bt_buf_clear(long_desc);
    if (mech_attr == GSS_C_NO_OID)
        return bt_fail(minor_status, GSS_S_CALL_INACCESSIBLE_READ, 0);
    for (i = 0; i < BT_MA_COUNT && !bt_oid_eq(BT_MA(i + 1), mech_attr); i++)
        ;
    if (i == BT_MA_COUNT)
        return bt_fail(minor_status, GSS_S_BAD_MECH_ATTR, BT_E_NOT_A_MECH_ATTR);
    major = set_text(minor_status, name, attr_text[i].name);
    if (major == GSS_S_COMPLETE)
        major = set_text(minor_status, short_desc, attr_text[i].short_desc);
    if (major == GSS_S_COMPLETE)
        major = set_text(minor_status, long_desc, attr_text[i].long_desc);
    if (major != GSS_S_COMPLETE) {
        (void)gss_release_buffer(&tmp, name);
        (void)gss_release_buffer(&tmp, short_desc);
        (void)gss_release_buffer(&tmp, long_desc);
    }
    return major;
}

/* ---- RFC 5801 ---- */

BT_EXPORT OM_uint32
gss_inquire_saslname_for_mech(OM_uint32 *minor_status,
                              const gss_OID desired_mech,
                              gss_buffer_t sasl_mech_name,
                              gss_buffer_t mech_name,
                              gss_buffer_t mech_description)
{
    const struct bt_mech *m;
    OM_uint32 major, tmp;

    if (minor_status != NULL)
        *minor_status = 0;
    bt_buf_clear(sasl_mech_name);
    bt_buf_clear(mech_name);
    bt_buf_clear(mech_description);
    m = bt_mech_find(desired_mech);
    if (m == NULL)
        return bt_fail(minor_status, GSS_S_BAD_MECH, BT_E_UNSUPPORTED_MECH);
    major = set_text(minor_status, sasl_mech_name, m->sasl_name);
    if (major == GSS_S_COMPLETE)
        major = set_text(minor_status, mech_name, m->name);
    if (major == GSS_S_COMPLETE)
        major = set_text(minor_status, mech_description, m->description);
    if (major != GSS_S_COMPLETE) {
        (void)gss_release_buffer(&tmp, sasl_mech_name);
        (void)gss_release_buffer(&tmp, mech_name);
        (void)gss_release_buffer(&tmp, mech_description);
    }
    return major;
}

BT_EXPORT OM_uint32
gss_inquire_mech_for_saslname(OM_uint32 *minor_status,
                              const gss_buffer_t sasl_mech_name,
                              gss_OID *mech_type)
{
    const struct bt_mech *const *list;
    size_t n;

    if (minor_status != NULL)
        *minor_status = 0;
    if (mech_type == NULL)
        return bt_fail(minor_status, GSS_S_CALL_INACCESSIBLE_WRITE, 0);
    *mech_type = GSS_C_NO_OID;
    if (sasl_mech_name == GSS_C_NO_BUFFER || !bt_buf_valid(sasl_mech_name))
        return bt_fail(minor_status, GSS_S_CALL_INACCESSIBLE_READ, 0);
    list = bt_mech_list(&n);
    for (size_t i = 0; i < n; i++) {
        const char *s = list[i]->sasl_name;

        if (s != NULL && strlen(s) == sasl_mech_name->length &&
            memcmp(s, sasl_mech_name->value, sasl_mech_name->length) == 0) {
            *mech_type = (gss_OID)list[i]->oid;
            return GSS_S_COMPLETE;
        }
    }
    return bt_fail(minor_status, GSS_S_BAD_MECH, BT_E_UNKNOWN_SASL_NAME);
}
