/*
 * mem.c - wiping that survives optimisation.
 */
#define _DEFAULT_SOURCE
#include "util/mem.h"

#include <stdlib.h>
#include <string.h>

void
bt_wipe(void *p, size_t len)
{
    if (p != NULL && len > 0)
        explicit_bzero(p, len);
}

void
bt_free_secret(void *p, size_t len)
{
    if (p == NULL)
        return;
    bt_wipe(p, len);
    free(p);
}
