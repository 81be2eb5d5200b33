/*
 * mem.h - wiping and freeing memory that held secrets.
 */
#ifndef BATON_UTIL_MEM_H_
#define BATON_UTIL_MEM_H_

#include <stddef.h>

/* Overwrites len bytes at p with zeros in a way the compiler cannot elide.
 * p may be NULL when len is 0. */
void bt_wipe(void *p, size_t len);

/* Wipes len bytes at p, then frees p.  p may be NULL. */
void bt_free_secret(void *p, size_t len);

/* Wipes the object a pointer points at, size taken from its type. */
#define BT_WIPE_OBJ(ptr) bt_wipe((ptr), sizeof(*(ptr)))

#endif /* BATON_UTIL_MEM_H_ */
