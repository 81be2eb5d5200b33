/*
 * ledger.h - the single-use ledger: the ids of tokens already imported,
 * shared by every process of the account (a file mapped into memory), so a
 * token can be imported once only, anywhere.
 */
#ifndef BATON_TRANSFER_LEDGER_H_
#define BATON_TRANSFER_LEDGER_H_

#include <stdint.h>

#include "util/compiler.h"

/* Opens (creating if needed) the ledger in dir; kept mapped for the life of
 * the process and shared with forked children.  Returns 0 or an errno
 * value (EPERM if the file is not private to this account). */
BT_MUST_CHECK int bt_ledger_open(const char *dir);

/* Records token id (16 octets) valid until expires (seconds since the
 * epoch).  Returns 0 if it was not there, EEXIST if it was (the token was
 * imported before), ENOSPC if every slot it may use is live, or the error
 * of opening.  Entries past their expiry are reclaimed. */
BT_MUST_CHECK int bt_ledger_claim(const uint8_t id[16], int64_t expires,
                                  int64_t now);

#endif /* BATON_TRANSFER_LEDGER_H_ */
