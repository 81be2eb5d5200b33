/*
 * spnego_serialize.c - an SPNEGO context as bytes, at any step of the
 * negotiation, for the transfer layer (which seals them).
 *
 *   u8  version (1)
 *   u8  bits: initiator, chosen, inner_open, mic_reqd, mic_sent,
 *             mic_rcvd, peer_complete
 *   u8  phase
 *   u32 the mechanism's flags
 *   u8  length + the chosen (or proposed) mechanism's OID, as on the wire
 *   u32 length + the DER MechTypeList both MICs cover
 *   u32 length + the mechanism's own serialized context (0: none yet)
 *
 * A delegated credential still held back for completion is not carried
 * (it lives in the exporting process's memory, not in the context).
 */
#include "mech/spnego/spnego.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "glue/glue.h"
#include "util/mem.h"
#include "util/reader.h"
#include "util/writer.h"

#define SPN_SER_VERSION 1

enum {
    B_INITIATOR = 1, B_CHOSEN = 2, B_INNER_OPEN = 4, B_MIC_REQD = 8,
    B_MIC_SENT = 16, B_MIC_RCVD = 32, B_PEER_COMPLETE = 64
};

static uint8_t
bits_of(const struct spn_ctx *sc)
{
    return (uint8_t)((sc->initiator ? B_INITIATOR : 0) |
                     (sc->chosen ? B_CHOSEN : 0) |
                     (sc->inner_open ? B_INNER_OPEN : 0) |
                     (sc->mic_reqd ? B_MIC_REQD : 0) |
                     (sc->mic_sent ? B_MIC_SENT : 0) |
                     (sc->mic_rcvd ? B_MIC_RCVD : 0) |
                     (sc->peer_complete ? B_PEER_COMPLETE : 0));
}

OM_uint32
bt_spn_export_sec_context(OM_uint32 *minor, void *mctx, gss_buffer_t out)
{
    struct spn_ctx *sc = mctx;
    gss_buffer_desc inner = GSS_C_EMPTY_BUFFER;
    struct bt_writer w;
    OM_uint32 major;
    void *data;
    size_t len;

    if (sc->mctx != NULL) {
        if (sc->mech->export_sec_context == NULL)
            return bt_fail(minor, GSS_S_UNAVAILABLE, BT_E_NOT_IMPLEMENTED);
        major = sc->mech->export_sec_context(minor, sc->mctx, &inner);
        if (major != GSS_S_COMPLETE)
            return major;
    }
    bt_wr_init(&w, true);
    bt_wr_u8(&w, SPN_SER_VERSION);
    bt_wr_u8(&w, bits_of(sc));
    bt_wr_u8(&w, sc->phase);
    bt_wr_u32be(&w, sc->flags);
    bt_wr_u8(&w, (uint8_t)(sc->wire_oid != NULL ? sc->wire_oid->length : 0));
    if (sc->wire_oid != NULL)
        bt_wr_bytes(&w, sc->wire_oid->elements, sc->wire_oid->length);
    bt_wr_u32be(&w, (uint32_t)sc->mech_list_len);
    bt_wr_bytes(&w, sc->mech_list, sc->mech_list_len);
    bt_wr_u32be(&w, (uint32_t)inner.length);
    bt_wr_bytes(&w, inner.value, inner.length);
    bt_free_secret(inner.value, inner.length);
    if (bt_wr_take(&w, &data, &len) != 0)
        return bt_fail(minor, GSS_S_FAILURE, ENOMEM);
    out->value = data;
    out->length = len;
    *minor = 0;
    return GSS_S_COMPLETE;
}

static void
set_bits(struct spn_ctx *sc, uint8_t b)
{
    sc->initiator = (b & B_INITIATOR) != 0;
    sc->chosen = (b & B_CHOSEN) != 0;
    sc->inner_open = (b & B_INNER_OPEN) != 0;
    sc->mic_reqd = (b & B_MIC_REQD) != 0;
    sc->mic_sent = (b & B_MIC_SENT) != 0;
    sc->mic_rcvd = (b & B_MIC_RCVD) != 0;
    sc->peer_complete = (b & B_PEER_COMPLETE) != 0;
}

/* The state must be one the code above can have produced. */
static bool
consistent(const struct spn_ctx *sc, size_t inner_len)
{
    if (sc->phase > SPN_DONE || sc->mech_list_len == 0)
        return false;
    if (sc->phase != SPN_INIT_START && sc->mech == NULL)
        return false;
    if (sc->inner_open && inner_len == 0)
        return false;
    if (sc->phase == SPN_DONE && (!sc->chosen || !sc->inner_open))
        return false;
    return !sc->chosen || sc->mech != NULL;
}

/* Reads the fixed part; the OID and the two byte strings are views. */
static bool
read_fields(struct bt_reader *r, struct spn_ctx *sc,
            const uint8_t **list, const uint8_t **inner, size_t *inner_len)
{
    gss_OID_desc oid;
    uint8_t bits;

    if (bt_rd_u8(r) != SPN_SER_VERSION)
        bt_rd_fail(r);
    bits = bt_rd_u8(r);
    sc->phase = bt_rd_u8(r);
    sc->flags = bt_rd_u32be(r);
    oid.length = bt_rd_u8(r);
    oid.elements = (void *)bt_rd_bytes(r, oid.length);
    sc->mech_list_len = bt_rd_u32be(r);
    *list = bt_rd_bytes(r, sc->mech_list_len);
    *inner_len = bt_rd_u32be(r);
    *inner = bt_rd_bytes(r, *inner_len);
    if (!bt_rd_done(r))
        return false;
    set_bits(sc, bits);
    if (oid.length > 0) {
        sc->wire_oid = bt_oid_static(&oid);
        sc->mech = bt_mech_find(&oid);
        if (sc->wire_oid == NULL || sc->mech == NULL ||
            sc->mech->negotiated != NULL)
            return false;
    }
    return consistent(sc, *inner_len);
}

OM_uint32
bt_spn_import_sec_context(OM_uint32 *minor, const void *data, size_t len,
                          void **mctx_out)
{
    struct spn_ctx *sc = NULL;
    struct bt_reader r;
    const uint8_t *list = NULL, *inner = NULL;
    size_t inner_len = 0;
    OM_uint32 major;

    major = bt_spn_ctx_new(minor, false, &sc);
    if (major != GSS_S_COMPLETE)
        return major;
    bt_rd_init(&r, data, len);
    if (!read_fields(&r, sc, &list, &inner, &inner_len)) {
        major = bt_fail(minor, GSS_S_DEFECTIVE_TOKEN, BT_E_TRANSFER_MALFORMED);
        goto cleanup;
    }
    sc->mech_list = malloc(sc->mech_list_len);
    if (sc->mech_list == NULL) {
        major = bt_fail(minor, GSS_S_FAILURE, ENOMEM);
        goto cleanup;
    }
    memcpy(sc->mech_list, list, sc->mech_list_len);
    if (inner_len > 0) {
        if (sc->mech->import_sec_context == NULL) {
            major = bt_fail(minor, GSS_S_UNAVAILABLE, BT_E_NOT_IMPLEMENTED);
            goto cleanup;
        }
        major = sc->mech->import_sec_context(minor, inner, inner_len,
                                             &sc->mctx);
        if (major != GSS_S_COMPLETE)
            goto cleanup;
    }
    *mctx_out = sc;
    sc = NULL;
    *minor = 0;
cleanup:
    bt_spn_delete_sec_context(sc);
    return major;
}
