/*
 * registry.c - the built-in mechanisms and lookup by OID.
 */
#include "mech/mech.h"

#include "glue/glue.h"
#include "mech/krb5/krb5_mech.h"
#include "mech/spnego/spnego.h"

static const struct bt_mech *const builtin[] = {
    &bt_krb5_mech,
    &bt_spnego_mech,
};

_Static_assert(BT_ARRAY_LEN(builtin) <= BT_MAX_MECHS, "raise BT_MAX_MECHS");

const struct bt_mech *const *
bt_mech_list(size_t *count_out)
{
    *count_out = BT_ARRAY_LEN(builtin);
    return builtin;
}

const struct bt_mech *
bt_mech_default(void)
{
    return builtin[0];
}

const struct bt_mech *
bt_mech_find(const gss_OID_desc *oid)
{
    for (size_t i = 0; i < BT_ARRAY_LEN(builtin); i++) {
        const struct bt_mech *m = builtin[i];

        /* A table built for another layout is never used. */
        if (m->abi_version != BT_MECH_ABI_VERSION ||
            m->table_size != sizeof(struct bt_mech))
            continue;
        if (bt_oid_eq(m->oid, oid))
            return m;
        for (size_t j = 0; j < m->n_aliases; j++) {
            if (bt_oid_eq(m->aliases[j], oid))
                return m;
        }
    }
    return NULL;
}

bool
bt_mech_has_name_type(const struct bt_mech *mech, const gss_OID_desc *type)
{
    for (size_t i = 0; i < mech->n_name_types; i++) {
        if (bt_oid_eq(mech->name_types[i], type))
            return true;
    }
    return false;
}
