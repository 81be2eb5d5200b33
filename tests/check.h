/*
 * check.h - the unit tests' tiny harness.
 *
 * A test file defines static void functions and lists them in
 * BT_TEST_MAIN(...).  CHECK records a failure with its location and goes
 * on, so one run reports every broken expectation.  The summary line
 * "N passed, M failed" counts checks; the exit status is 1 on any failure.
 */
#ifndef BATON_TESTS_CHECK_H_
#define BATON_TESTS_CHECK_H_

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <gssapi/gssapi.h>

static int bt_checks_passed, bt_checks_failed;
static const char *bt_current_test;

static inline void
bt_check(int ok, const char *expr, const char *file, int line)
{
    if (ok) {
        bt_checks_passed++;
        return;
    }
    bt_checks_failed++;
    fprintf(stderr, "FAIL %s (%s:%d): %s\n", bt_current_test, file, line,
            expr);
}

#define CHECK(cond) bt_check(!!(cond), #cond, __FILE__, __LINE__)

/* Compares a major status with the one expected and shows both. */
#define CHECK_MAJOR(expr, want)                                              \
    do {                                                                     \
        OM_uint32 got_ = (expr);                                             \
        if (got_ != (OM_uint32)(want))                                       \
            fprintf(stderr, "  major 0x%08x, expected 0x%08x\n",             \
                    (unsigned)got_, (unsigned)(want));                       \
        bt_check(got_ == (OM_uint32)(want), #expr " == " #want, __FILE__,    \
                 __LINE__);                                                  \
    } while (0)

/* Compares a buffer with a C string. */
#define CHECK_BUF_STR(buf, str)                                              \
    CHECK((buf).length == strlen(str) &&                                     \
          memcmp((buf).value, (str), strlen(str)) == 0)

typedef void (*bt_test_fn)(void);

static inline int
bt_run_tests(const char *const *names, const bt_test_fn *fns, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        int before = bt_checks_failed;

        bt_current_test = names[i];
        fns[i]();
        printf("%s %s\n", bt_checks_failed == before ? "ok" : "not ok",
               names[i]);
    }
    printf("%d passed, %d failed\n", bt_checks_passed, bt_checks_failed);
    return bt_checks_failed == 0 && bt_checks_passed > 0 ? 0 : 1;
}

#define BT_TEST_MAIN(...)                                                    \
    int main(void)                                                           \
    {                                                                        \
        static const bt_test_fn fns[] = { __VA_ARGS__ };                     \
        static const char names[] = #__VA_ARGS__;                            \
        const char *list[sizeof(fns) / sizeof(fns[0])];                      \
        static char copy[sizeof(names)];                                     \
        char *p = copy;                                                      \
        memcpy(copy, names, sizeof(names));                                  \
        for (size_t i = 0; i < sizeof(fns) / sizeof(fns[0]); i++) {          \
            while (*p == ' ' || *p == ',')                                   \
                p++;                                                         \
            list[i] = p;                                                     \
            while (*p != ',' && *p != '\0')                                  \
                p++;                                                         \
            if (*p == ',')                                                   \
                *p++ = '\0';                                                 \
        }                                                                    \
        return bt_run_tests(list, fns, sizeof(fns) / sizeof(fns[0]));        \
    }

#endif /* BATON_TESTS_CHECK_H_ */
