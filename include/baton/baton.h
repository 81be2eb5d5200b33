/*
 * baton.h - Baton's own API, beyond RFC 2744.
 *
 * Baton is a GSS-API library whose security contexts move safely from one
 * process to another.  The transfer policy and process handoff calls arrive
 * here as they are built; everything standard is in <gssapi/gssapi.h>.
 */
#ifndef BATON_BATON_H_
#define BATON_BATON_H_

#include <gssapi/gssapi.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Returns the library's version as a static string, e.g. "0.1.0". */
const char *baton_version(void);

#ifdef __cplusplus
}
#endif

#endif /* BATON_BATON_H_ */
