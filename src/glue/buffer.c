/*
 * buffer.c - gss_release_buffer and buffer sets.
 */
#include "glue/glue.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "util/mem.h"

void
bt_buf_clear(gss_buffer_t buf)
{
    if (buf != GSS_C_NO_BUFFER) {
        buf->length = 0;
        buf->value = NULL;
    }
}

bool
bt_buf_valid(const gss_buffer_desc *buf)
{
    return buf->length == 0 || buf->value != NULL;
}

OM_uint32
bt_buf_set(OM_uint32 *minor, const void *data, size_t len, gss_buffer_t out)
{
    /* One byte more, zeroed, so a text result is also a C string. */
    void *p = malloc(len + 1);

    if (p == NULL || len == SIZE_MAX) {
        free(p);
        return bt_fail(minor, GSS_S_FAILURE, ENOMEM);
    }
    if (len > 0)
        memcpy(p, data, len);
    ((char *)p)[len] = '\0';
    out->length = len;
    out->value = p;
    return GSS_S_COMPLETE;
}

BT_EXPORT OM_uint32
gss_release_buffer(OM_uint32 *minor_status, gss_buffer_t buffer)
{
    if (minor_status != NULL)
        *minor_status = 0;
    if (buffer == GSS_C_NO_BUFFER)
        return GSS_S_COMPLETE;
    /* Tokens can hold key material (exported contexts, PRF output):
     * every buffer is wiped before it goes back to the allocator. */
    bt_free_secret(buffer->value, buffer->length);
    bt_buf_clear(buffer);
    return GSS_S_COMPLETE;
}

BT_EXPORT OM_uint32
gss_create_empty_buffer_set(OM_uint32 *minor_status,
                            gss_buffer_set_t *buffer_set)
{
    gss_buffer_set_t set;

    if (minor_status != NULL)
        *minor_status = 0;
    if (buffer_set == NULL)
        return bt_fail(minor_status, GSS_S_CALL_INACCESSIBLE_WRITE, 0);
    *buffer_set = GSS_C_NO_BUFFER_SET;
    set = calloc(1, sizeof(*set));
    if (set == NULL)
        return bt_fail(minor_status, GSS_S_FAILURE, ENOMEM);
    *buffer_set = set;
    return GSS_S_COMPLETE;
}

BT_EXPORT OM_uint32
gss_add_buffer_set_member(OM_uint32 *minor_status,
                          const gss_buffer_t member_buffer,
                          gss_buffer_set_t *buffer_set)
{
    gss_buffer_desc *elements;
    gss_buffer_set_t set;
    OM_uint32 major;

    if (minor_status != NULL)
        *minor_status = 0;
    if (member_buffer == GSS_C_NO_BUFFER || !bt_buf_valid(member_buffer))
        return bt_fail(minor_status, GSS_S_CALL_INACCESSIBLE_READ, 0);
    if (buffer_set == NULL)
        return bt_fail(minor_status, GSS_S_CALL_INACCESSIBLE_WRITE, 0);
    if (*buffer_set == GSS_C_NO_BUFFER_SET) {
        major = gss_create_empty_buffer_set(minor_status, buffer_set);
        if (major != GSS_S_COMPLETE)
            return major;
    }
    set = *buffer_set;
    if (set->count >= SIZE_MAX / sizeof(*elements) - 1)
        return bt_fail(minor_status, GSS_S_FAILURE, ENOMEM);
    elements = realloc(set->elements, (set->count + 1) * sizeof(*elements));
    if (elements == NULL)
        return bt_fail(minor_status, GSS_S_FAILURE, ENOMEM);
    set->elements = elements;
    major = bt_buf_set(minor_status, member_buffer->value,
                       member_buffer->length, &elements[set->count]);
    if (major != GSS_S_COMPLETE)
        return major;
    set->count++;
    return GSS_S_COMPLETE;
}

BT_EXPORT OM_uint32
gss_release_buffer_set(OM_uint32 *minor_status, gss_buffer_set_t *buffer_set)
{
    OM_uint32 tmp;

    if (minor_status != NULL)
        *minor_status = 0;
    if (buffer_set == NULL || *buffer_set == GSS_C_NO_BUFFER_SET)
        return GSS_S_COMPLETE;
    for (size_t i = 0; i < (*buffer_set)->count; i++)
        (void)gss_release_buffer(&tmp, &(*buffer_set)->elements[i]);
    free((*buffer_set)->elements);
    free(*buffer_set);
    *buffer_set = GSS_C_NO_BUFFER_SET;
    return GSS_S_COMPLETE;
}

void
bt_iov_drop(gss_iov_buffer_desc *b)
{
    if (b == NULL || !(b->type & GSS_IOV_BUFFER_FLAG_ALLOCATED))
        return;
    bt_free_secret(b->buffer.value, b->buffer.length);
    b->buffer.value = NULL;
    b->buffer.length = 0;
    b->type &= ~(OM_uint32)GSS_IOV_BUFFER_FLAG_ALLOCATED;
}
