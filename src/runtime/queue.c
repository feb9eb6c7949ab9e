#include "runtime/queue.h"
#include "runtime/lock.h"
#include "runtime/xalloc.h"

#include <errno.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdlib.h>

/* Pause instructions the consumer spins before sleeping (some microseconds). */
#define QUEUE_SPIN 4000

static inline void cpu_relax(void)
{
#if defined(__x86_64__) || defined(__i386__)
    __builtin_ia32_pause();
#elif defined(__aarch64__)
    __asm__ volatile("yield");
#endif
}

int queue_init(struct app_queue *q, size_t high)
{
    *q = (struct app_queue){0};
    q->high = high ? high : 1;
    q->low = q->high / 4;
    /* Room for the high watermark and a reader's burst past it. */
    q->cap = q->spare_cap = q->high + q->high / 4 + 64;
    q->items = ken_xmalloc(q->cap * sizeof *q->items);
    q->spare = ken_xmalloc(q->spare_cap * sizeof *q->spare);
    ken_lite_mutex_init(&q->lock);
    ken_lite_cond_init(&q->nonempty);
    ken_lite_cond_init(&q->space);
    return 0;
}

void queue_destroy(struct app_queue *q)
{
    for (size_t i = 0; i < q->n; i++)
        ken_event_unref(q->items[i].ev);
    q->discarded += q->n;
    q->n = 0;
    free(q->items);
    free(q->spare);
}

/* Makes room for extra more entries; call with the lock held. */
static void queue_reserve(struct app_queue *q, size_t extra) KEN_REQUIRES(&q->lock)
{
    if (q->n + extra <= q->cap)
        return;
    q->cap = q->cap * 2 > q->n + extra ? q->cap * 2 : q->n + extra;
    q->items = ken_xrealloc(q->items, q->cap * sizeof *q->items);
}

/* Appends n entries without waiting; returns n. */
static size_t queue_append(struct app_queue *q, const struct qent *e, size_t n) KEN_REQUIRES(&q->lock)
{
    queue_reserve(q, n);
    for (size_t i = 0; i < n; i++)
        q->items[q->n++] = e[i];
    q->depth += n;
    q->enqueued += n;
    atomic_store_explicit(&q->n_hint, q->n, memory_order_relaxed);
    return n;
}

/* True when the consumer sleeps and entries wait: the caller signals it
 * (once: the flag is cleared, so later pushes do not signal again). Call
 * with the lock held. */
static bool queue_wake_consumer(struct app_queue *q) KEN_REQUIRES(&q->lock)
{
    if (!(q->n || q->closed) || q->inline_run || !q->consumer_sleeping)
        return false;
    q->consumer_sleeping = false;
    return true;
}

struct queue_push_result queue_push(struct app_queue *q, const struct qent *e, size_t n, bool may_wait)
{
    struct queue_push_result r = {0};
    ken_lite_mutex_lock(&q->lock);
    while (r.accepted < n && !q->closed) {
        if (may_wait && q->depth >= q->high) {
            q->senders_waiting++;
            q->blocked_sends++;
            if (queue_wake_consumer(q))
                ken_lite_cond_signal(&q->nonempty);
            while (q->depth >= q->high && !q->closed)
                ken_lite_cond_wait(&q->space, &q->lock);
            q->senders_waiting--;
            continue;
        }
        size_t chunk = n - r.accepted;
        if (may_wait && chunk > q->high - q->depth)
            chunk = q->high - q->depth;
        r.accepted += queue_append(q, e + r.accepted, chunk);
    }
    /* Closed: the caller releases the rest. */
    q->discarded += n - r.accepted;
    if (q->depth > q->max_depth)
        q->max_depth = q->depth;
    if (q->depth >= q->high && !q->closed) {
        r.over_high = true;
        if (!q->congested) {
            q->congested = true;
            q->backpressure++;
            r.new_episode = true;
        }
    }
    bool wake = queue_wake_consumer(q);
    ken_lite_mutex_unlock(&q->lock);
    /* Signalled without the lock: a consumer woken on this CPU does not
     * then block on the lock we hold. */
    if (wake)
        ken_lite_cond_signal(&q->nonempty);
    return r;
}

/* How long this thread may spin: not at all when it may run on one CPU
 * only (a process pinned with taskset), since the sender then cannot run
 * while we spin. */
static int queue_spin_limit(void)
{
    static _Thread_local int limit = -1;
    if (limit < 0) {
        cpu_set_t cpus;
        bool several = !sched_getaffinity(0, sizeof cpus, &cpus) && CPU_COUNT(&cpus) > 1;
        limit = several ? QUEUE_SPIN : 0;
    }
    return limit;
}

/* Waits a little for a sender without the lock: a wake-up costs two
 * context switches, far more than the events it would bring. */
static void queue_spin(struct app_queue *q)
{
    int limit = queue_spin_limit();
    for (int i = 0; i < limit && !atomic_load_explicit(&q->n_hint, memory_order_relaxed); i++)
        cpu_relax();
}

size_t queue_take(struct app_queue *q, struct qent **batch, bool *discard)
{
    queue_spin(q);
    ken_lite_mutex_lock(&q->lock);
    q->batch_out = false; /* the previous batch is done */
    /* A sender running handlers inline wakes us when it is done. */
    while (q->inline_run || (!q->n && !q->closed)) {
        q->consumer_sleeping = true;
        ken_lite_cond_wait(&q->nonempty, &q->lock);
    }
    q->consumer_sleeping = false;
    size_t n = q->n;
    q->batch_out = n > 0;
    struct qent *items = q->items;
    size_t cap = q->cap;
    q->items = q->spare;
    q->cap = q->spare_cap;
    q->spare = items;
    q->spare_cap = cap;
    q->n = 0;
    atomic_store_explicit(&q->n_hint, 0, memory_order_relaxed);
    *discard = q->discard;
    ken_lite_mutex_unlock(&q->lock);
    *batch = items;
    return n;
}

bool queue_done(struct app_queue *q, size_t n, bool discarded)
{
    bool drained = false;
    ken_lite_mutex_lock(&q->lock);
    q->depth -= n;
    if (discarded)
        q->discarded += n;
    else
        q->dispatched += n;
    if (q->senders_waiting && q->depth < q->high)
        ken_lite_cond_broadcast(&q->space);
    if (q->congested && q->depth < q->low) {
        q->congested = false;
        drained = true;
    }
    ken_lite_mutex_unlock(&q->lock);
    return drained;
}

bool queue_inline_begin(struct app_queue *q, size_t n)
{
    ken_lite_mutex_lock(&q->lock);
    bool ok = q->inline_ready && !q->batch_out && !q->inline_run && !q->n && !q->closed;
    if (ok) {
        q->inline_run = true;
        q->enqueued += n;
    }
    ken_lite_mutex_unlock(&q->lock);
    return ok;
}

void queue_inline_end(struct app_queue *q, size_t n)
{
    ken_lite_mutex_lock(&q->lock);
    q->inline_run = false;
    q->dispatched += n;
    /* Events that came meanwhile (or the close) are the consumer's. */
    bool wake = queue_wake_consumer(q);
    ken_lite_mutex_unlock(&q->lock);
    if (wake)
        ken_lite_cond_signal(&q->nonempty);
}

void queue_allow_inline(struct app_queue *q)
{
    ken_lite_mutex_lock(&q->lock);
    q->inline_ready = true;
    ken_lite_mutex_unlock(&q->lock);
}

bool queue_close(struct app_queue *q, bool discard)
{
    ken_lite_mutex_lock(&q->lock);
    q->closed = true;
    q->discard = discard;
    bool was_congested = q->congested;
    q->congested = false;
    ken_lite_cond_broadcast(&q->nonempty);
    ken_lite_cond_broadcast(&q->space);
    ken_lite_mutex_unlock(&q->lock);
    return was_congested;
}
