/*
 * realm_env.h - what the C realm tests share about the throwaway realm
 * (tests/realm/realm.sh exports BATON_SERVICE and friends): the service's
 * name, and a readable line for a failed GSS call.
 */
#ifndef BATON_TESTS_REALM_ENV_H_
#define BATON_TESTS_REALM_ENV_H_

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <gssapi/gssapi.h>

#include "check.h"

/* The host-based service name in environment variable var (for example
 * BATON_SERVICE, "host@localhost"), imported; a failed import is a failed
 * check and gives GSS_C_NO_NAME. */
static inline gss_name_t
realm_service(const char *var)
{
    const char *s = getenv(var);
    gss_buffer_desc b = { strlen(s != NULL ? s : ""), (void *)s };
    gss_name_t n = GSS_C_NO_NAME;
    OM_uint32 minor;

    CHECK_MAJOR(gss_import_name(&minor, &b, GSS_C_NT_HOSTBASED_SERVICE, &n),
                GSS_S_COMPLETE);
    return n;
}

/* Prints "what: major text (minor text)" to stderr if major is an error. */
static inline void
realm_show(const char *what, OM_uint32 major, OM_uint32 minor)
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

#endif /* BATON_TESTS_REALM_ENV_H_ */
