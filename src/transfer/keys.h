/*
 * keys.h - the transfer sealing key for the settings in force, and the
 * per-account runtime directory it (and the ledger) live in.
 */
#ifndef BATON_TRANSFER_KEYS_H_
#define BATON_TRANSFER_KEYS_H_

#include <stdint.h>

#include "transfer/settings.h"
#include "util/compiler.h"

/* Makes sure dir exists, is owned by the effective uid and has no group
 * or other permissions (creating it 0700 if missing).  Returns 0 or an
 * errno value (EPERM for a directory that is not safe). */
BT_MUST_CHECK int bt_runtime_dir(const char *dir);

/* Fills key[BT_TRANSFER_KEY_LEN] from the settings' key source.  Returns 0,
 * ENOKEY when the source has no key (APP unset), EPERM for an unsafe key
 * file, or another errno value. */
BT_MUST_CHECK int bt_transfer_key(const struct bt_transfer_settings *s,
                                  uint8_t key[BT_TRANSFER_KEY_LEN]);

/* The public 8-octet identifier of a key (a hash), put in tokens so that a
 * token sealed under another key is recognised as such. */
void bt_transfer_key_id(const uint8_t key[BT_TRANSFER_KEY_LEN],
                        uint8_t id[8]);

#endif /* BATON_TRANSFER_KEYS_H_ */
