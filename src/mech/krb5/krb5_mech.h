/*
 * krb5_mech.h - the Kerberos V5 mechanism (RFC 4121) on MIT libkrb5.
 */
#ifndef BATON_MECH_KRB5_KRB5_MECH_H_
#define BATON_MECH_KRB5_KRB5_MECH_H_

#include <krb5.h>

#include "mech/mech.h"
#include "util/compiler.h"

extern const struct bt_mech bt_krb5_mech;

/* A Kerberos mechanism name. */
struct bt_krb5_name {
    krb5_principal princ;
};

/*
 * Runs with the process-wide krb5_context used for name operations, under
 * its lock (a krb5_context is not safe for concurrent use).  Returns the
 * krb5 error of creating the context, or fn's result.
 */
BT_MUST_CHECK krb5_error_code bt_krb5_with_context(
    krb5_error_code (*fn)(krb5_context kctx, void *arg), void *arg);

/* Name entry points (name.c). */
OM_uint32 bt_krb5_import_name(OM_uint32 *minor, const gss_buffer_desc *text,
                              const gss_OID_desc *type, void **mname_out);
OM_uint32 bt_krb5_import_exported(OM_uint32 *minor, const void *data,
                                  size_t len, void **mname_out);
OM_uint32 bt_krb5_export_name(OM_uint32 *minor, const void *mname,
                              gss_buffer_t out);
OM_uint32 bt_krb5_display_name(OM_uint32 *minor, const void *mname,
                               gss_buffer_t out, gss_OID *type_out);
OM_uint32 bt_krb5_compare_name(OM_uint32 *minor, const void *a,
                               const void *b, int *equal_out);
OM_uint32 bt_krb5_duplicate_name(OM_uint32 *minor, const void *mname,
                                 void **copy_out);
void bt_krb5_release_name(void *mname);
OM_uint32 bt_krb5_localname(OM_uint32 *minor, const void *mname,
                            gss_buffer_t out);

/* A copy (caller frees) of the keytab name given to
 * krb5_gss_register_acceptor_identity, or NULL. */
char *bt_krb5_acceptor_keytab(void);

/* The ccache name gss_krb5_ccache_name set for this thread, or NULL. */
const char *bt_krb5_thread_ccache(void);

/* Writes a sentence for a krb5 error code; false if code is not one. */
bool bt_krb5_display_minor(OM_uint32 code, gss_buffer_t out);

#endif /* BATON_MECH_KRB5_KRB5_MECH_H_ */
