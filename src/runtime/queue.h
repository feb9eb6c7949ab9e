/* An app's receive queue: bounded for senders that can wait, never
 * blocking for those that cannot, batched at both ends.
 *
 * Producers append to one array under the lock (many events per lock);
 * the consumer swaps that array with its own empty one (all pending events
 * per lock) and handles them without the lock. depth counts events queued
 * or in the consumer's hands, so a blocked handler holds the depth up and
 * senders feel it. The consumer is woken only when it sleeps (the queue
 * went from empty to non-empty); before sleeping it spins a few
 * microseconds, so a steady sender rarely pays for a wake-up. */
#ifndef KEN_RUNTIME_QUEUE_H
#define KEN_RUNTIME_QUEUE_H

#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ken/event.h"
#include "runtime/lock.h"

struct qent {
    struct ken_event *ev;
    uint32_t phase;
};

struct app_queue {
    /* The one-atomic lock: an inline run takes it twice per event run,
     * where a pthread mutex cost some 110 instructions in all. */
    struct ken_lite_mutex lock;
    struct ken_lite_cond nonempty;  /* the consumer waits here */
    struct ken_lite_cond space;     /* senders that can wait wait here */
    struct qent *items;            /* pending, in order */
    size_t n, cap;
    _Atomic size_t n_hint;         /* n, readable without the lock */
    struct qent *spare;            /* the consumer's batch (swapped with items) */
    size_t spare_cap;
    size_t depth, high, low;
    unsigned senders_waiting;
    bool consumer_sleeping;
    bool batch_out;                /* the consumer handles a batch */
    bool inline_run;               /* a sender runs handlers inline */
    bool inline_ready;             /* senders may run handlers inline */
    bool closed;                   /* refuses events; the consumer finishes */
    bool discard;                  /* ... and drops what is left */
    bool congested;                /* reached high, not yet below low */
    uint64_t enqueued, dispatched, discarded, backpressure, blocked_sends;
    size_t max_depth;
};

int queue_init(struct app_queue *q, size_t high);
/* Releases what is still queued (counted as discarded) and the arrays. */
void queue_destroy(struct app_queue *q);

/* Outcome of a push. */
struct queue_push_result {
    size_t accepted;     /* the first entries taken; fewer than n when the
                            queue closed (or memory ran out) meanwhile */
    bool over_high;      /* depth is at or over the high watermark */
    bool new_episode;    /* this push made the queue congested */
};

/* Appends n entries in order. With may_wait, waits while the depth is at
 * the high watermark; without, appends whatever the depth (the array
 * grows). */
struct queue_push_result queue_push(struct app_queue *q, const struct qent *e, size_t n, bool may_wait);

/* Waits for entries and takes them all; returns how many (0: closed and
 * empty, the consumer should end). *discard tells the consumer to drop
 * them rather than handle them. The batch stays valid until the next
 * queue_take. */
size_t queue_take(struct app_queue *q, struct qent **batch, bool *discard);

/* The consumer is done with n entries (handled, or dropped when
 * discarded). Returns true when this brought a congested queue below the
 * low watermark (the drain signal). */
bool queue_done(struct app_queue *q, size_t n, bool discarded);

/* Inline runs, for apps whose handlers never block: when the queue is
 * empty and no handler runs, a sender may run the handlers for its n
 * events itself, on its own thread, instead of queueing them and waking
 * the consumer. queue_inline_begin returns true when it may (the queue is
 * then busy: the consumer and other senders wait their turn, so order and
 * one-handler-at-a-time hold); the sender calls queue_inline_end after.
 * Refused until queue_allow_inline (the consumer's thread runs). */
bool queue_inline_begin(struct app_queue *q, size_t n);
void queue_inline_end(struct app_queue *q, size_t n);
void queue_allow_inline(struct app_queue *q);

/* Stops accepting events and wakes everyone. Returns true when the queue
 * was congested (its episode ends here: the caller signals the drain). */
bool queue_close(struct app_queue *q, bool discard);

#endif
