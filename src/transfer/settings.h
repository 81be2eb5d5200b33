/*
 * settings.h - the transfer settings in force: policy, key source,
 * lifetime and runtime directory, merged from API calls, environment,
 * configuration file and defaults.
 */
#ifndef BATON_TRANSFER_SETTINGS_H_
#define BATON_TRANSFER_SETTINGS_H_

#include <stdbool.h>
#include <stdint.h>

#include <baton/baton.h>

#include "util/compiler.h"

#define BT_TRANSFER_KEY_LEN 32

struct bt_transfer_settings {
    enum baton_policy policy;
    enum baton_key_source key_source;
    unsigned int lifetime;
    char runtime_dir[256];
};

/* Fills *out with the settings in force.  Returns 0, or an errno value if
 * the configuration file is present but unreadable or malformed. */
BT_MUST_CHECK int bt_transfer_settings(struct bt_transfer_settings *out);

/* Copies the application key into key[BT_TRANSFER_KEY_LEN]; false if none
 * was set. */
bool bt_transfer_app_key(uint8_t key[BT_TRANSFER_KEY_LEN]);

#endif /* BATON_TRANSFER_SETTINGS_H_ */
