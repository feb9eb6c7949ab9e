/* Event memory. ken_event_new() serves small events from per-thread
 * magazines of free blocks (one size class per power of two up to 2048
 * bytes: a packet-in event with its decoded form fits): allocating and
 * freeing take no lock; a thread that frees more than it allocates (an app
 * thread) hands full magazines to a depot, where the allocating thread
 * (the I/O thread) picks them up, one lock per 64 events. Under
 * AddressSanitizer the cache is bypassed (event.h). */
#include "runtime/runtime.h"
#include "runtime/lock.h"
#include "runtime/xalloc.h"

#include <stdlib.h>
#include <string.h>

static struct depot {
    struct ken_mutex lock;
    struct ev_magazine *full, *empty;
} depots[EV_CLASSES] = {
    [0 ... EV_CLASSES - 1] = {KEN_MUTEX_INITIALIZER, NULL, NULL},
};

_Thread_local struct ev_magazine *ev_tls_mag[EV_CLASSES];
static _Thread_local bool tls_mag_registered;
static pthread_key_t mag_key;
static pthread_once_t mag_key_once = PTHREAD_ONCE_INIT;

static size_t class_bytes(unsigned cls) { return ev_class_bytes(cls); }

/* Gives the thread's magazines to the depots (a thread ends). */
static void mag_flush(void *unused)
{
    (void)unused;
    for (unsigned cls = 0; cls < EV_CLASSES; cls++) {
        struct ev_magazine *m = ev_tls_mag[cls];
        if (!m)
            continue;
        ev_tls_mag[cls] = NULL;
        struct depot *d = &depots[cls];
        ken_mutex_lock(&d->lock);
        struct ev_magazine **list = m->n ? &d->full : &d->empty;
        m->next = *list;
        *list = m;
        ken_mutex_unlock(&d->lock);
    }
}

static void mag_key_create(void) { pthread_key_create(&mag_key, mag_flush); }

static void mag_register_thread(void)
{
    if (tls_mag_registered)
        return;
    pthread_once(&mag_key_once, mag_key_create);
    /* Any non-NULL value makes the destructor run at thread exit. */
    pthread_setspecific(mag_key, &tls_mag_registered);
    tls_mag_registered = true;
}

/* A new block, on a cache line: an event's header, the runtime's and the
 * first fields of its payload share the first line (malloc would start
 * it 16 bytes in, a line holding less of it). */
static void *block_alloc(unsigned cls)
{
    void *p = aligned_alloc(64, class_bytes(cls));
    if (!p)
        p = ken_xmalloc(class_bytes(cls)); /* aborts: the one rule for out of memory */
    return p;
}

/* The magazine is empty: a full one from the depot, or malloc. Out of
 * line, so that the common case (cache_alloc) needs no stack frame. */
static __attribute__((noinline)) void *cache_alloc_slow(unsigned cls)
{
    struct ev_magazine *m = ev_tls_mag[cls];
    struct depot *d = &depots[cls];
    ken_mutex_lock(&d->lock);
    struct ev_magazine *full = d->full;
    if (full) {
        d->full = full->next;
        if (m) {
            m->next = d->empty;
            d->empty = m;
        }
        ev_tls_mag[cls] = full;
        mag_register_thread();
    }
    ken_mutex_unlock(&d->lock);
    return full ? full->item[--full->n] : block_alloc(cls);
}

static inline void *cache_alloc(unsigned cls)
{
    struct ev_magazine *m = ev_tls_mag[cls];
    if (__builtin_expect(m && m->n, 1))
        return m->item[--m->n];
    return cache_alloc_slow(cls);
}

/* The magazine is full: it goes to the depot for an empty one. */
void ev_cache_free_slow(unsigned cls, void *block)
{
    struct ev_magazine *m = ev_tls_mag[cls];
    struct depot *d = &depots[cls];
    ken_mutex_lock(&d->lock);
    if (m) {
        m->next = d->full;
        d->full = m;
    }
    m = d->empty;
    if (m)
        d->empty = m->next;
    ken_mutex_unlock(&d->lock);
    if (!m)
        m = ken_xmalloc(sizeof *m);
    m->n = 0;
    m->item[m->n++] = block;
    ev_tls_mag[cls] = m;
    mag_register_thread();
}

static inline void cache_free(unsigned cls, void *block)
{
    struct ev_magazine *m = ev_tls_mag[cls];
    if (__builtin_expect(m && m->n < EV_MAG_SIZE, 1)) {
        m->item[m->n++] = block;
        return;
    }
    ev_cache_free_slow(cls, block);
}

static inline void event_init(struct ken_event *ev, ken_ev_class_t cls, void (*free_fn)(struct ken_event *ev))
{
    ev->cls = cls;
    ev->padding = 0;
    ev->refs = 1;
    ev->free = free_fn;
}

void event_block_free(struct ken_event *ev)
{
    struct ev_block *b = (struct ev_block *)ev - 1;
    if (b->fini)
        b->fini(ev);
    if (b->size_class == EV_BIG)
        free(b);
    else
        cache_free(b->size_class, b);
}

void *ken_event_new(ken_ev_class_t cls, size_t size, void (*fini)(struct ken_event *ev))
{
    return ken_event_new_part(cls, size, size, fini);
}

/* ken_event_new_part's general case: a big event, zeroing, or a magazine
 * to refill. */
static __attribute__((noinline)) void *event_new_slow(ken_ev_class_t cls, size_t size, size_t zeroed, unsigned sc,
                                                      void (*fini)(struct ken_event *ev))
{
    size_t total = size + sizeof(struct ev_block);
    struct ev_block *b = sc == EV_BIG ? ken_xmalloc(total) : cache_alloc(sc);
    b->fini = fini;
    b->size_class = sc;
    struct ken_event *ev = (struct ken_event *)(b + 1);
    if (zeroed > sizeof *ev) /* the header is written below */
        memset(ev + 1, 0, (zeroed < size ? zeroed : size) - sizeof *ev);
    event_init(ev, cls, event_block_free);
    return ev;
}

void *ken_event_new_part(ken_ev_class_t cls, size_t size, size_t zeroed, void (*fini)(struct ken_event *ev))
{
    if (size < sizeof(struct ken_event))
        size = sizeof(struct ken_event);
    unsigned sc = ev_size_class(size + sizeof(struct ev_block));
    /* The common case calls nothing (no stack frame): a block from this
     * thread's magazine, nothing to zero past the header. */
    struct ev_magazine *m = sc == EV_BIG ? NULL : ev_tls_mag[sc];
    if (__builtin_expect(!m || !m->n || zeroed > sizeof(struct ken_event), 0))
        return event_new_slow(cls, size, zeroed, sc, fini);
    struct ev_block *b = m->item[--m->n];
    b->fini = fini;
    b->size_class = sc;
    struct ken_event *ev = (struct ken_event *)(b + 1);
    event_init(ev, cls, event_block_free);
    return ev;
}

void ken_event_init(struct ken_event *ev, ken_ev_class_t cls, void (*free_fn)(struct ken_event *ev))
{
    event_init(ev, cls, free_fn);
}

void ken_event_release(struct ken_event *ev)
{
    /* Most events are ken_event_new's: their free called directly. */
    if (ev->free == event_block_free)
        event_block_free(ev);
    else if (ev->free)
        ev->free(ev);
}

/* Frees the depots and the calling thread's magazines (shutdown). */
void event_cache_trim(void)
{
    mag_flush(NULL);
    for (unsigned cls = 0; cls < EV_CLASSES; cls++) {
        struct depot *d = &depots[cls];
        ken_mutex_lock(&d->lock);
        struct ev_magazine *lists[2] = {d->full, d->empty};
        d->full = d->empty = NULL;
        ken_mutex_unlock(&d->lock);
        for (int l = 0; l < 2; l++) {
            while (lists[l]) {
                struct ev_magazine *m = lists[l];
                lists[l] = m->next;
                for (unsigned i = 0; i < m->n; i++)
                    free(m->item[i]);
                free(m);
            }
        }
    }
}
