/* Shared by the runtime tests: a counter that threads can wait on (no
 * sleeps; the timeout only guards against a hang) and a simple event. */
#ifndef KEN_TESTS_RUNTIME_HELPERS_H
#define KEN_TESTS_RUNTIME_HELPERS_H

#include <errno.h>
#include <pthread.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include "ken/app.h"
#include "ken/event.h"

/* A failure guard, never a pass condition. */
#define GUARD_MS 20000

struct counter {
    pthread_mutex_t lock;
    pthread_cond_t cond;
    long value;
};

#define COUNTER_INIT {PTHREAD_MUTEX_INITIALIZER, PTHREAD_COND_INITIALIZER, 0}

static inline void counter_add(struct counter *c, long n)
{
    pthread_mutex_lock(&c->lock);
    c->value += n;
    pthread_cond_broadcast(&c->cond);
    pthread_mutex_unlock(&c->lock);
}

static inline long counter_get(struct counter *c)
{
    pthread_mutex_lock(&c->lock);
    long v = c->value;
    pthread_mutex_unlock(&c->lock);
    return v;
}

static inline void counter_set(struct counter *c, long v)
{
    pthread_mutex_lock(&c->lock);
    c->value = v;
    pthread_cond_broadcast(&c->cond);
    pthread_mutex_unlock(&c->lock);
}

/* Waits until the value reaches at least target; false after GUARD_MS. */
static inline bool counter_wait(struct counter *c, long target)
{
    struct timespec until;
    clock_gettime(CLOCK_REALTIME, &until);
    until.tv_sec += GUARD_MS / 1000;
    bool ok = true;
    pthread_mutex_lock(&c->lock);
    while (c->value < target && ok)
        ok = pthread_cond_timedwait(&c->cond, &c->lock, &until) == 0 || c->value >= target;
    ok = c->value >= target;
    pthread_mutex_unlock(&c->lock);
    return ok;
}

/* An event carrying two numbers. */
struct test_ev {
    struct ken_event ev;
    long a, b;
};

static inline struct ken_event *test_ev_new(ken_ev_class_t cls, long a, long b)
{
    struct test_ev *e = ken_event_new(cls, sizeof *e, NULL);
    e->a = a;
    e->b = b;
    return &e->ev;
}

static inline const struct test_ev *test_ev_of(const struct ken_event *ev)
{
    return KEN_EVENT_CONTAINER(ev, struct test_ev, ev);
}

/* Every test ends with this: no app, no event, no context left. */
static inline int runtime_teardown(void **state)
{
    (void)state;
    ken_runtime_shutdown();
    return 0;
}

#endif
