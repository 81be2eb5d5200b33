/*
 * fuzz.h - what every Baton fuzz target shares: the libFuzzer entry points
 * and an invariant check that libFuzzer reports as a crash.
 */
#ifndef BATON_FUZZ_FUZZ_H_
#define BATON_FUZZ_FUZZ_H_

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

/* libFuzzer calls these; declared here for -Wmissing-prototypes. */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerInitialize(int *argc, char ***argv);

/* A broken invariant is a finding: name it, then abort so that libFuzzer
 * saves the input and prints the stack. */
#define FUZZ_CHECK(cond)                                                    \
    do {                                                                    \
        if (!(cond)) {                                                      \
            fprintf(stderr, "%s:%d: invariant violated: %s\n", __FILE__,    \
                    __LINE__, #cond);                                       \
            abort();                                                        \
        }                                                                   \
    } while (0)

/* For a finding already reported (see crashers/ and README.md): true if
 * cond holds and the target should step around the input, so that
 * fuzzing goes on past a bug that is not fixed yet.  FUZZ_UNFILTERED=1 in
 * the environment turns every such filter off, to reproduce the crash. */
static inline bool
fuzz_known_bug(bool cond)
{
    static int unfiltered = -1;

    if (unfiltered < 0)
        unfiltered = getenv("FUZZ_UNFILTERED") != NULL;
    return cond && !unfiltered;
}

/* True if the n bytes at p lie inside [base, base + size). */
#define FUZZ_INSIDE(p, n, base, size)                                       \
    ((const uint8_t *)(p) >= (const uint8_t *)(base) &&                     \
     (size_t)((const uint8_t *)(p) - (const uint8_t *)(base)) <= (size) &&  \
     (n) <= (size) - (size_t)((const uint8_t *)(p) - (const uint8_t *)(base)))

#endif /* BATON_FUZZ_FUZZ_H_ */
