#include "ken/buf.h"

#include <stdlib.h>
#include <string.h>

#include "ofp/wire.h"

void ken_buf_init(struct ken_buf *b) { b->data = NULL; b->len = b->cap = 0; }

void ken_buf_free(struct ken_buf *b)
{
    free(b->data);
    ken_buf_init(b);
}

void ken_buf_clear(struct ken_buf *b) { b->len = 0; }

uint8_t *ken_buf_reserve(struct ken_buf *b, size_t n)
{
    if (b->cap - b->len < n) {
        size_t cap = b->cap ? b->cap : 256;
        while (cap - b->len < n)
            cap *= 2;
        uint8_t *d = realloc(b->data, cap);
        if (!d)
            abort(); /* out of memory: nothing sensible is left to do */
        b->data = d;
        b->cap = cap;
    }
    return b->data + b->len;
}

uint8_t *ken_buf_put_zeros(struct ken_buf *b, size_t n)
{
    uint8_t *p = ken_buf_reserve(b, n);
    memset(p, 0, n);
    b->len += n;
    return p;
}

void ken_buf_put(struct ken_buf *b, const void *p, size_t n)
{
    if (!n)
        return;
    memcpy(ken_buf_reserve(b, n), p, n);
    b->len += n;
}

void ken_buf_put8(struct ken_buf *b, uint8_t v) { *ken_buf_put_zeros(b, 1) = v; }
void ken_buf_put16(struct ken_buf *b, uint16_t v) { wire_put16(ken_buf_put_zeros(b, 2), v); }
void ken_buf_put32(struct ken_buf *b, uint32_t v) { wire_put32(ken_buf_put_zeros(b, 4), v); }
void ken_buf_put64(struct ken_buf *b, uint64_t v) { wire_put64(ken_buf_put_zeros(b, 8), v); }

void ken_buf_align(struct ken_buf *b, size_t start, size_t align)
{
    if (align > 1) {
        size_t used = b->len - start;
        size_t pad = (align - used % align) % align;
        ken_buf_put_zeros(b, pad);
    }
}
