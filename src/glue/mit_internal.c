/*
 * mit_internal.c - entry points MIT's libgssapi_krb5.so.2 exports for its
 * own libraries' use.  They are in no API; Baton defines them only so that
 * every binary linked against MIT loads.  Each fails.
 */
#include <errno.h>
#include <stdint.h>

#include "glue/glue.h"

/* MIT: a debugging knob, an int in .bss. */
BT_EXPORT int krb5_gss_dbg_client_expcreds = 0;

OM_uint32 gss_krb5int_make_seal_token_v3(void);
OM_uint32 gss_krb5int_unseal_token_v3(void);
long gssint_g_seqstate_init(void *state_out, uint64_t seqnum, int do_replay,
                            int do_sequence, int wide);
OM_uint32 krb5_gss_use_kdc_context(void);

BT_EXPORT OM_uint32
gss_krb5int_make_seal_token_v3(void)
{
    return GSS_S_UNAVAILABLE;
}

BT_EXPORT OM_uint32
gss_krb5int_unseal_token_v3(void)
{
    return GSS_S_UNAVAILABLE;
}

BT_EXPORT long
gssint_g_seqstate_init(void *state_out, uint64_t seqnum, int do_replay,
                       int do_sequence, int wide)
{
    (void)state_out;
    (void)seqnum;
    (void)do_replay;
    (void)do_sequence;
    (void)wide;
    return ENOSYS;
}

BT_EXPORT OM_uint32
krb5_gss_use_kdc_context(void)
{
    return GSS_S_UNAVAILABLE;
}
