/*
 * heimdal_enctypes.c - which Kerberos enctypes Heimdal's libkrb5 can use,
 * for interop_heimdal_peers (built against Heimdal only: pkg-config
 * heimdal-krb5, never MIT's or Baton's headers).
 *
 *   heimdal_enctypes NAME...
 *
 * One line per NAME: "NAME ok" when Heimdal knows the name, holds the
 * enctype valid and can make a key of it; "NAME unsupported: REASON"
 * otherwise.  Exit status 0, or 2 when no krb5 context can be made.
 * The test skips (not fails) the cases of an enctype reported unsupported.
 */
#include <stdio.h>

#include <krb5.h>

#if !defined(__KRB5_H__) || defined(KRB5_GENERAL__)
#error "heimdal_enctypes must be compiled with Heimdal's krb5.h (pkg-config --cflags heimdal-krb5)"
#endif

static void
report(krb5_context k, const char *name, const char *what,
       krb5_error_code ret)
{
    const char *msg = krb5_get_error_message(k, ret);

    printf("%s unsupported: %s: %s\n", name, what, msg ? msg : "?");
    krb5_free_error_message(k, msg);
}

int
main(int argc, char **argv)
{
    krb5_context k;
    krb5_error_code ret;
    int i;

    ret = krb5_init_context(&k);
    if (ret != 0) {
        fprintf(stderr, "heimdal_enctypes: krb5_init_context: error %d\n",
                (int)ret);
        return 2;
    }
    for (i = 1; i < argc; i++) {
        krb5_enctype e;
        krb5_keyblock kb;

        ret = krb5_string_to_enctype(k, argv[i], &e);
        if (ret != 0) {
            report(k, argv[i], "unknown name", ret);
            continue;
        }
        ret = krb5_enctype_valid(k, e);
        if (ret != 0) {
            report(k, argv[i], "not valid", ret);
            continue;
        }
        ret = krb5_generate_random_keyblock(k, e, &kb);
        if (ret != 0) {
            report(k, argv[i], "no key", ret);
            continue;
        }
        krb5_free_keyblock_contents(k, &kb);
        printf("%s ok\n", argv[i]);
    }
    krb5_free_context(k);
    return 0;
}
