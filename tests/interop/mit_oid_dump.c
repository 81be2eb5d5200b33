/*
 * mit_oid_dump.c - print every data object of MIT's gssapi_krb5_2_MIT ABI,
 * as a program built against MIT's headers and library sees it.
 *
 * Built with `pkg-config mit-krb5-gssapi` (MIT's headers, MIT's library);
 * the list of symbols is generated from tests/abi/exports.txt at build time
 * (mit_oid_syms.h), so it covers all data symbols of the node by
 * construction.  interop_mit_oids runs it once on MIT's library and once with
 * LD_LIBRARY_PATH=<build>/compat, where Baton's library stands in; the two
 * outputs must be identical.
 *
 * stdout, one line per symbol (plus one per member of the OID sets):
 *   NAME der=<hex> str=<gss_oid_to_str text>            OIDs
 *   NAME count=N / NAME[i] der=<hex> str=<text>          OID sets
 *   NAME len=N text="..."                                buffers
 *   NAME int=V                                           ints
 * With -x, each gss_oid_to_str result is printed byte for byte instead
 * (length=N bytes="...", NUL as \0): what an application that trusts the
 * buffer's length gets.
 * stderr: "# functions: PATH" and "# data: PATH", the libraries that
 * provide gss_oid_to_str and the OID values, so the test can tell that the
 * intended library served each run.
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <gssapi/gssapi.h>
#include <gssapi/gssapi_ext.h>
#include <gssapi/gssapi_generic.h>
#include <gssapi/gssapi_krb5.h>

/* MIT's header guard, not Baton's: this program must see MIT's headers. */
#if !defined(_GSSAPI_H_) || defined(GSSAPI_GSSAPI_H_)
#error "mit_oid_dump.c must be compiled against MIT krb5's <gssapi/gssapi.h>"
#endif

/* Exported by MIT's library but declared in none of its headers. */
extern int krb5_gss_dbg_client_expcreds;

static int exact;
static int failed;

static void
print_bytes(const void *p, size_t n)
{
    const unsigned char *s = p;

    for (size_t i = 0; i < n; i++) {
        if (s[i] == '\0')
            fputs("\\0", stdout);
        else if (s[i] == '"' || s[i] == '\\')
            printf("\\%c", s[i]);
        else if (s[i] >= 0x20 && s[i] < 0x7f)
            putchar(s[i]);
        else
            printf("\\x%02x", s[i]);
    }
}

static void
print_oid(const char *name, long index, gss_const_OID oid)
{
    gss_buffer_desc str = GSS_C_EMPTY_BUFFER;
    OM_uint32 major, minor;

    fputs(name, stdout);
    if (index >= 0)
        printf("[%ld]", index);
    if (oid == GSS_C_NO_OID) {
        puts(" NULL");
        return;
    }
    fputs(" der=", stdout);
    for (OM_uint32 i = 0; i < oid->length; i++)
        printf("%02x", ((const unsigned char *)oid->elements)[i]);
    major = gss_oid_to_str(&minor, (gss_OID)oid, &str);
    if (major != GSS_S_COMPLETE) {
        printf(" oid_to_str-failed major=0x%08x\n", (unsigned)major);
        failed = 1;
        return;
    }
    if (exact) {
        printf(" length=%zu bytes=\"", str.length);
        print_bytes(str.value, str.length);
        puts("\"");
    } else {
        /* The text, up to the end or the first NUL. */
        size_t n = str.value != NULL ? strnlen(str.value, str.length) : 0;

        printf(" str=%.*s\n", (int)n, (const char *)str.value);
    }
    (void)gss_release_buffer(&minor, &str);
}

static void
dump_oid(const char *name, gss_const_OID oid)
{
    print_oid(name, -1, oid);
}

static void
dump_mutable_oid(const char *name, gss_OID oid)
{
    print_oid(name, -1, oid);
}

static void
dump_set(const char *name, gss_OID_set set)
{
    if (set == GSS_C_NO_OID_SET) {
        printf("%s NULL\n", name);
        return;
    }
    printf("%s count=%zu\n", name, set->count);
    for (size_t i = 0; i < set->count; i++)
        print_oid(name, (long)i, &set->elements[i]);
}

static void
dump_buffer(const char *name, gss_buffer_t buf)
{
    if (buf == GSS_C_NO_BUFFER) {
        printf("%s NULL\n", name);
        return;
    }
    printf("%s len=%zu text=\"", name, buf->length);
    print_bytes(buf->value, buf->length);
    puts("\"");
}

static void
dump_int(const char *name, int v)
{
    printf("%s int=%d\n", name, v);
}

/* The dumper by the symbol's declared type; an unexpected type is a
 * compile error, so a new kind of data symbol cannot slip through. */
#define OID_SYM(sym)                                          \
    _Generic((sym),                                           \
             gss_OID: dump_mutable_oid,                       \
             gss_const_OID: dump_oid,                         \
             gss_OID_set: dump_set,                           \
             gss_buffer_t: dump_buffer,                       \
             int: dump_int)(#sym, sym);                       \
    count++;

static void
where(const char *what, const void *addr)
{
    Dl_info info;

    if (dladdr(addr, &info) != 0 && info.dli_fname != NULL) {
        char *real = realpath(info.dli_fname, NULL);

        fprintf(stderr, "# %s: %s\n", what, real != NULL ? real : info.dli_fname);
        free(real);
    } else {
        fprintf(stderr, "# %s: unknown\n", what);
    }
}

int
main(int argc, char **argv)
{
    int count = 0;

    if (argc > 1 && strcmp(argv[1], "-x") == 0)
        exact = 1;
    else if (argc > 1) {
        fprintf(stderr, "usage: %s [-x]\n", argv[0]);
        return 2;
    }
    where("functions", (const void *)gss_oid_to_str);
    /* The OID objects themselves, not the (copy-relocated) pointers. */
    where("data", gss_mech_krb5->elements);

#include "mit_oid_syms.h"

    if (count != OID_SYM_COUNT) {
        fprintf(stderr, "dumped %d symbols, expected %d\n", count,
                OID_SYM_COUNT);
        return 1;
    }
    return failed;
}
