/* ken_buf: a growable byte buffer that encoders append to. The small
 * appenders are inline: encoders call them once per field. */
#ifndef KEN_BUF_H
#define KEN_BUF_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "ken/wire.h"

struct ken_buf {
    uint8_t *data;
    size_t len;
    size_t cap;
};

#define KEN_BUF_INIT {NULL, 0, 0}

void ken_buf_init(struct ken_buf *b);
void ken_buf_free(struct ken_buf *b);
void ken_buf_clear(struct ken_buf *b);
/* Grows the buffer so that n more bytes fit (the slow path of reserve). */
void ken_buf_grow(struct ken_buf *b, size_t n);
void ken_buf_put(struct ken_buf *b, const void *p, size_t n);
/* Pads with zeros until len - start is a multiple of align. */
void ken_buf_align(struct ken_buf *b, size_t start, size_t align);

/* Makes room for n more bytes; returns a pointer to them (not yet counted). */
static inline uint8_t *ken_buf_reserve(struct ken_buf *b, size_t n)
{
    if (b->cap - b->len < n)
        ken_buf_grow(b, n);
    return b->data + b->len;
}

/* Appends n bytes left for the caller to fill and returns a pointer to them. */
static inline uint8_t *ken_buf_put_uninit(struct ken_buf *b, size_t n)
{
    uint8_t *p = ken_buf_reserve(b, n);
    b->len += n;
    return p;
}

/* Appends n zero bytes and returns a pointer to them. */
static inline uint8_t *ken_buf_put_zeros(struct ken_buf *b, size_t n)
{
    uint8_t *p = ken_buf_put_uninit(b, n);
    memset(p, 0, n);
    return p;
}

static inline void ken_buf_put8(struct ken_buf *b, uint8_t v) { *ken_buf_put_uninit(b, 1) = v; }
static inline void ken_buf_put16(struct ken_buf *b, uint16_t v) { wire_put16(ken_buf_put_uninit(b, 2), v); }
static inline void ken_buf_put32(struct ken_buf *b, uint32_t v) { wire_put32(ken_buf_put_uninit(b, 4), v); }
static inline void ken_buf_put64(struct ken_buf *b, uint64_t v) { wire_put64(ken_buf_put_uninit(b, 8), v); }

#endif
