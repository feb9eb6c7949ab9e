/* ken_buf: a growable byte buffer that encoders append to. */
#ifndef KEN_BUF_H
#define KEN_BUF_H

#include <stddef.h>
#include <stdint.h>

struct ken_buf {
    uint8_t *data;
    size_t len;
    size_t cap;
};

#define KEN_BUF_INIT {NULL, 0, 0}

void ken_buf_init(struct ken_buf *b);
void ken_buf_free(struct ken_buf *b);
void ken_buf_clear(struct ken_buf *b);
/* Makes room for n more bytes; returns a pointer to them (not yet counted). */
uint8_t *ken_buf_reserve(struct ken_buf *b, size_t n);
/* Appends n bytes (zeroed) and returns a pointer to them. */
uint8_t *ken_buf_put_zeros(struct ken_buf *b, size_t n);
void ken_buf_put(struct ken_buf *b, const void *p, size_t n);
void ken_buf_put8(struct ken_buf *b, uint8_t v);
void ken_buf_put16(struct ken_buf *b, uint16_t v);
void ken_buf_put32(struct ken_buf *b, uint32_t v);
void ken_buf_put64(struct ken_buf *b, uint64_t v);
/* Pads with zeros until len is a multiple of align (counting from start). */
void ken_buf_align(struct ken_buf *b, size_t start, size_t align);

#endif
