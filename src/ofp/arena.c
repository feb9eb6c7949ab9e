/* A chain of chunks, each at least 4 KiB: small decodes take one malloc. */
#include "ken/arena.h"

#include <stdalign.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

struct ken_arena_chunk {
    struct ken_arena_chunk *next;
    size_t size, used;
    alignas(max_align_t) unsigned char mem[];
};

enum { CHUNK_MIN = 4096 - sizeof(struct ken_arena_chunk) };

_Static_assert(KEN_ARENA_ALIGN >= alignof(max_align_t) && KEN_ARENA_ALIGN % alignof(max_align_t) == 0,
               "an arena's allocations are aligned for any type");

static size_t round_up(size_t n) { return (n + KEN_ARENA_ALIGN - 1) & ~(size_t)(KEN_ARENA_ALIGN - 1); }

/* head's free space, for the inline allocator */
static void arena_publish(struct ken_arena *a)
{
    a->cur = a->head ? a->head->mem + a->head->used : NULL;
    a->end = a->head ? a->head->mem + a->head->size : NULL;
    a->begin = a->head ? a->head->mem : NULL;
}

void *ken_arena_alloc_slow(struct ken_arena *a, size_t size)
{
    if (size > SIZE_MAX / 2)
        return NULL;
    size = round_up(size ? size : 1);
    if (a->head) /* what the inline allocator took */
        a->head->used = (size_t)(a->cur - a->head->mem);
    struct ken_arena_chunk *c = a->head;
    if (!c || c->size - c->used < size) {
        size_t cap = size > CHUNK_MIN ? size : CHUNK_MIN;
        c = malloc(sizeof(*c) + cap);
        if (!c)
            return NULL;
        c->size = cap;
        c->used = 0;
        a->chunks++;
        /* A big one-off allocation goes behind the current chunk, so the
         * space left in that chunk still serves the small ones. */
        if (a->head && size > CHUNK_MIN) {
            c->next = a->head->next;
            a->head->next = c;
        } else {
            c->next = a->head;
            a->head = c;
        }
    }
    void *p = c->mem + c->used;
    c->used += size;
    a->total += size;
    memset(p, 0, size);
    arena_publish(a);
    return p;
}

void ken_arena_free(struct ken_arena *a)
{
    struct ken_arena_chunk *c = a->head;
    while (c) {
        struct ken_arena_chunk *next = c->next;
        free(c);
        c = next;
    }
    a->head = NULL;
    a->total = 0;
    a->chunks = 0;
    arena_publish(a);
}

void ken_arena_reset_slow(struct ken_arena *a)
{
    struct ken_arena_chunk *keep = a->head;
    if (!keep)
        return;
    /* the chunk allocations come from stays; big one-offs behind it go */
    struct ken_arena_chunk *c = keep->next;
    while (c) {
        struct ken_arena_chunk *next = c->next;
        free(c);
        c = next;
    }
    keep->next = NULL;
    keep->used = 0;
    a->total = 0;
    a->chunks = 1;
    arena_publish(a);
}
