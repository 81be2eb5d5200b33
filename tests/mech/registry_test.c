/* Tests for src/mech/registry.c: lookup by OID and alias, the default,
 * name types. */
#include "check.h"

#include <gssapi/gssapi_krb5.h>

#include "mech/mech.h"

static void
finds_krb5_by_every_oid(void)
{
    const struct bt_mech *m = bt_mech_find(gss_mech_krb5);
    gss_OID_desc prefix = { 8, gss_mech_krb5->elements };

    CHECK(m != NULL && strcmp(m->name, "krb5") == 0);
    CHECK(bt_mech_find(gss_mech_krb5_old) == m);
    CHECK(bt_mech_find(gss_mech_krb5_wrong) == m);
    CHECK(bt_mech_find(gss_mech_iakerb) == NULL);     /* not built in */
    CHECK(bt_mech_find(&prefix) == NULL);
    CHECK(bt_mech_find(NULL) == NULL);
    CHECK(bt_mech_default() == m);
}

static void
tables_have_the_current_layout(void)
{
    size_t n;
    const struct bt_mech *const *list = bt_mech_list(&n);

    CHECK(n >= 1);
    for (size_t i = 0; i < n; i++) {
        CHECK(list[i]->abi_version == BT_MECH_ABI_VERSION);
        CHECK(list[i]->table_size == sizeof(struct bt_mech));
        /* Names are the one thing every mechanism must do. */
        CHECK(list[i]->import_name != NULL && list[i]->release_name != NULL &&
              list[i]->duplicate_name != NULL);
    }
}

static void
name_types(void)
{
    const struct bt_mech *m = bt_mech_default();

    CHECK(bt_mech_has_name_type(m, GSS_C_NT_HOSTBASED_SERVICE));
    CHECK(bt_mech_has_name_type(m, GSS_KRB5_NT_PRINCIPAL_NAME));
    CHECK(!bt_mech_has_name_type(m, GSS_C_NT_ANONYMOUS));
    CHECK(!bt_mech_has_name_type(m, NULL));
}

BT_TEST_MAIN(finds_krb5_by_every_oid, tables_have_the_current_layout,
             name_types)
