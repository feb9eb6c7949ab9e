/* Event memory, for the runtime (event.c; the public side is
 * ken/event.h), and its fast paths inlined where events are made and freed
 * by the million (the controller's packet-in events). */
#ifndef KEN_RUNTIME_EVENT_H
#define KEN_RUNTIME_EVENT_H

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include "ken/event.h"

/* Under AddressSanitizer the cache is bypassed so that use-after-free
 * stays detectable. */
#if defined(__SANITIZE_ADDRESS__)
#define EVENT_CACHE 0
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define EVENT_CACHE 0
#endif
#endif
#ifndef EVENT_CACHE
#define EVENT_CACHE 1
#endif

/* Hidden in front of every ken_event_new() event. */
struct ev_block {
    void (*fini)(struct ken_event *ev);
    uint32_t size_class;   /* EV_BIG for malloc'd blocks */
    uint32_t pad_;
};
_Static_assert(sizeof(struct ev_block) == 16, "keeps the event 16-byte aligned");

#define EV_CLASSES 6       /* 64, 128, 256, 512, 1024, 2048 bytes */
#define EV_BIG EV_CLASSES
#define EV_MAG_SIZE 64

/* A thread's stack of free blocks of one class. */
struct ev_magazine {
    struct ev_magazine *next;
    unsigned n;
    void *item[EV_MAG_SIZE];
};
extern _Thread_local struct ev_magazine *ev_tls_mag[EV_CLASSES];

static inline size_t ev_class_bytes(unsigned cls) { return (size_t)64 << cls; }

/* The smallest class holding total bytes, without a loop: 64 << cls >=
 * total, from the highest bit of total - 1. */
static inline unsigned ev_size_class(size_t total)
{
    if (!EVENT_CACHE || total > ev_class_bytes(EV_CLASSES - 1))
        return EV_BIG;
    if (total <= 64)
        return 0;
    return (unsigned)(64 - __builtin_clzll((unsigned long long)total - 1)) - 6;
}

/* The free of every ken_event_new event (it calls the fini, then frees). */
void event_block_free(struct ken_event *ev);
/* The magazine is full (event.c). */
void ev_cache_free_slow(unsigned cls, void *block);

/* ken_event_new_part(cls, size, 0, NULL) with free_fn as the event's free
 * instead of the runtime's, inlined: a block from this thread's magazine,
 * nothing zeroed, the header written. free_fn releases what the payload
 * holds and then calls ev_block_put. Never NULL. */
static inline void *ev_new_inline(ken_ev_class_t cls, size_t size, void (*free_fn)(struct ken_event *ev))
{
    unsigned sc = ev_size_class(size + sizeof(struct ev_block));
    struct ev_magazine *m = sc == EV_BIG ? NULL : ev_tls_mag[sc];
    struct ken_event *ev;
    if (__builtin_expect(m && m->n, 1)) {
        struct ev_block *b = m->item[--m->n];
        b->fini = NULL;
        b->size_class = sc;
        ev = (struct ken_event *)(b + 1);
        ev->cls = cls;
        ev->padding = 0;
        ev->refs = 1;
    } else {
        ev = ken_event_new_part(cls, size, 0, NULL);
    }
    ev->free = free_fn;
    return ev;
}

/* Frees the block of an ev_new_inline event (from its free_fn). */
static inline void ev_block_put(struct ken_event *ev)
{
    struct ev_block *b = (struct ev_block *)ev - 1;
    unsigned sc = b->size_class;
    if (__builtin_expect(sc == EV_BIG, 0)) {
        free(b);
        return;
    }
    struct ev_magazine *m = ev_tls_mag[sc];
    if (__builtin_expect(m && m->n < EV_MAG_SIZE, 1))
        m->item[m->n++] = b;
    else
        ev_cache_free_slow(sc, b);
}

/* Frees the depots and the calling thread's magazines (shutdown). */
void event_cache_trim(void);

#endif
