/* Events of a service sent in the order of its changes, without making a
 * writer wait for another writer's send.
 *
 * A change queues its events under the service's lock. The first writer
 * to finish while nobody sends becomes the sender: it sends batches, in
 * queue order and without the lock, until the queue is empty. Writers
 * that finish meanwhile leave their events to it and return at once. So
 * observers see the changes in order, readers never wait for a send, and
 * an observer whose handler writes to the service while a send waits for
 * room in that observer's own queue does not deadlock (a plain lock held
 * across the send would). A writer's events are sent when its call
 * returns unless another thread is sending them. */
#ifndef KEN_SERVICES_EVORDER_H
#define KEN_SERVICES_EVORDER_H

#include <errno.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdlib.h>

#include "ken/app.h"
#include "ken/event.h"

struct evorder {
    struct ken_event **q;      /* queued, under the service's lock */
    size_t n, cap;
    struct ken_event **batch;  /* being sent (the sender's) */
    size_t batch_cap;
    bool sending;
};

/* Room for k more events, before a change is made (under the lock): 0 or
 * ENOMEM, so that a change never fails half-way. */
static inline int evorder_reserve(struct evorder *o, size_t k)
{
    if (o->n + k <= o->cap)
        return 0;
    size_t cap = o->cap ? o->cap : 8;
    while (cap < o->n + k)
        cap *= 2;
    struct ken_event **q = realloc(o->q, cap * sizeof *q);
    if (!q)
        return ENOMEM;
    o->q = q;
    o->cap = cap;
    return 0;
}

/* Queues an event reserved for (under the lock). */
static inline void evorder_push(struct evorder *o, struct ken_event *ev) { o->q[o->n++] = ev; }

/* Ends a change: called with lock held, returns with it released. */
static inline void evorder_finish(struct evorder *o, pthread_mutex_t *lock)
{
    if (o->sending || !o->n) {
        pthread_mutex_unlock(lock);
        return;
    }
    o->sending = true;
    while (o->n) {
        /* Swap the queue with the batch buffer: the queue keeps taking
         * events while this batch is sent. */
        struct ken_event **b = o->q;
        size_t n = o->n, cap = o->cap;
        o->q = o->batch;
        o->cap = o->batch_cap;
        o->n = 0;
        o->batch = NULL;
        o->batch_cap = 0;
        pthread_mutex_unlock(lock);
        ken_send_events_to_observers(b, n, KEN_PHASE_ANY);
        pthread_mutex_lock(lock);
        o->batch = b;
        o->batch_cap = cap;
    }
    o->sending = false;
    pthread_mutex_unlock(lock);
}

/* At stop: releases what was never sent (nothing, once writers are done). */
static inline void evorder_free(struct evorder *o)
{
    for (size_t i = 0; i < o->n; i++)
        ken_event_unref(o->q[i]);
    free(o->q);
    free(o->batch);
    *o = (struct evorder){0};
}

#endif
