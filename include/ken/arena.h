/* An arena: memory for decoded messages whose parts have no fixed count
 * (a flow-mod's instructions and actions, a stats reply's entries), freed
 * all at once. Decoders take one, so a message of any size fits without a
 * limit and without a malloc per part.
 *
 *     struct ken_arena a = KEN_ARENA_INIT;
 *     struct ken_flow_mod fm;
 *     if (ken_flow_mod_decode(msg, n, &fm, &a) == 0) ...;
 *     ken_arena_free(&a);     // fm's instructions and actions go with it
 *
 * (or ken_arena_reset(&a) between messages, to reuse its memory) */
#ifndef KEN_ARENA_H
#define KEN_ARENA_H

#include <stddef.h>
#include <string.h>

struct ken_arena_chunk;

struct ken_arena {
    struct ken_arena_chunk *head; /* the chunk allocations come from; NULL when empty */
    size_t total;                 /* bytes handed out, for tests and limits */
    unsigned char *cur, *end;     /* head's free space (an allocation inlined takes it from here) */
    unsigned char *begin;         /* head's first byte (a reset inlined starts over from it) */
    size_t chunks;                /* how many chunks the arena holds */
};

#define KEN_ARENA_INIT {NULL, 0, NULL, NULL, NULL, 0}

/* Allocations are rounded to this, which aligns them for any type. */
#define KEN_ARENA_ALIGN 16

void *ken_arena_alloc_slow(struct ken_arena *a, size_t size);

/* size zeroed bytes aligned for any type, or NULL when out of memory
 * (decoders then return ENOMEM). A size of 0 returns a valid pointer.
 * Inline: a decode takes a few, and most fit the current chunk. */
static inline void *ken_arena_alloc(struct ken_arena *a, size_t size)
{
    size_t want = (size + KEN_ARENA_ALIGN - 1) & ~(size_t)(KEN_ARENA_ALIGN - 1);
    if (size && want >= size && a->cur && (size_t)(a->end - a->cur) >= want) {
        void *p = a->cur;
        a->cur += want;
        a->total += want;
        memset(p, 0, want);
        return p;
    }
    return ken_arena_alloc_slow(a, size);
}
/* n elements of size bytes; NULL on overflow or out of memory. */
static inline void *ken_arena_calloc(struct ken_arena *a, size_t n, size_t size)
{
    if (size && n > (size_t)-1 / 2 / size)
        return NULL;
    return ken_arena_alloc(a, n * size);
}
/* Frees everything allocated from a; a is empty (and reusable) after. */
void ken_arena_free(struct ken_arena *a);
/* Forgets everything allocated from a but keeps its first chunk for the
 * next allocations: a loop that decodes one message after another into
 * one arena mallocs nothing once that chunk is there. Inline when the
 * arena holds that one chunk only. */
void ken_arena_reset_slow(struct ken_arena *a);
static inline void ken_arena_reset(struct ken_arena *a)
{
    if (a->chunks > 1) {
        ken_arena_reset_slow(a);
        return;
    }
    a->cur = a->begin;
    a->total = 0;
}

#endif
