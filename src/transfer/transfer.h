/*
 * transfer.h - what the glue's export and import need from the transfer
 * layer, and the failure-injection point its tests use.
 */
#ifndef BATON_TRANSFER_TRANSFER_H_
#define BATON_TRANSFER_TRANSFER_H_

/* Steps of export at which tests may inject a failure (0: none).  Not
 * exported from the shared library. */
enum bt_transfer_step {
    BT_STEP_NONE = 0,
    BT_STEP_SETTINGS,
    BT_STEP_KEY,
    BT_STEP_LEDGER,
    BT_STEP_SERIALIZE,
    BT_STEP_SEAL,
};

extern enum bt_transfer_step bt_transfer_fail_at;

#endif /* BATON_TRANSFER_TRANSFER_H_ */
