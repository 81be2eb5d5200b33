/*
 * compiler.h - attributes shared by every Baton source file.
 */
#ifndef BATON_UTIL_COMPILER_H_
#define BATON_UTIL_COMPILER_H_

/* Internal fallible functions return a status the caller must look at. */
#define BT_MUST_CHECK __attribute__((warn_unused_result))

/* Exported from the shared library (the version script decides the node). */
#define BT_EXPORT __attribute__((visibility("default")))

#define BT_ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))

#endif /* BATON_UTIL_COMPILER_H_ */
