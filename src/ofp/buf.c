#include "ken/buf.h"

#include <stdlib.h>
#include <string.h>

void ken_buf_init(struct ken_buf *b) { b->data = NULL; b->len = b->cap = 0; }

void ken_buf_free(struct ken_buf *b)
{
    free(b->data);
    ken_buf_init(b);
}

void ken_buf_clear(struct ken_buf *b) { b->len = 0; }

void ken_buf_grow(struct ken_buf *b, size_t n)
{
    size_t cap = b->cap ? b->cap : 256;
    while (cap - b->len < n)
        cap *= 2;
    uint8_t *d = realloc(b->data, cap);
    if (!d)
        abort(); /* out of memory: nothing sensible is left to do */
    b->data = d;
    b->cap = cap;
}

void ken_buf_put(struct ken_buf *b, const void *p, size_t n)
{
    if (n)
        memcpy(ken_buf_put_uninit(b, n), p, n);
}

void ken_buf_align(struct ken_buf *b, size_t start, size_t align)
{
    if (align > 1) {
        size_t used = b->len - start;
        ken_buf_put_zeros(b, (align - used % align) % align);
    }
}
