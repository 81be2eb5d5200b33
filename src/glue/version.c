/*
 * version.c - baton_version.
 */
#include <baton/baton.h>

#include "util/compiler.h"

BT_EXPORT const char *
baton_version(void)
{
    return BATON_VERSION;
}
