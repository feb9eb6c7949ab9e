/* The runtime's insides, shared by its files (not a public header): the
 * app object and its tables, and the functions of app.c. evclass.h and
 * event.h declare those of evclass.c and event.c. */
#ifndef KEN_RUNTIME_RUNTIME_H
#define KEN_RUNTIME_RUNTIME_H

#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ken/app.h"
#include "ken/event.h"
#include "ken/log.h"
#include "runtime/evclass.h"
#include "runtime/event.h"
#include "runtime/queue.h"

#define RT_LOG "runtime"
/* More apps than this cannot run at once (an observer set fits a 64-bit
 * mask). */
#define RT_APPS_MAX 64

/* The handlers of one app for one class (its own and its ancestors'), in
 * the order the app lists them. Immutable once published. */
struct hlist {
    uint32_t phases;  /* union of the handlers' phases; ~0u when any is "all" */
    unsigned n;
    struct hentry {
        uint32_t phases;
        ken_handler_fn fn;
    } h[];
};

/* One context slot of an app: a shared object, or an app whose data is
 * the context. */
struct app_context {
    const char *name;
    void *obj;
    struct ken_app *app;
};

struct ken_app {
    const struct ken_app_desc *desc;
    struct ken_app *next;          /* every app object ever made (rt.all) */
    void *data;
    struct app_context *contexts;
    size_t n_contexts;
    ken_ev_class_t *handler_cls;   /* class of desc->handlers[i] */
    size_t n_handlers;
    _Atomic(struct hlist *) by_class[KEN_EV_CLASS_MAX];
    _Atomic bool published;        /* an observer; its queue accepts events */
    unsigned slot;                 /* 0-63 among running apps (backpressure masks) */
    bool started;                  /* start hook returned 0 */
    bool thread_running;
    pthread_t thread;
    struct app_queue q;
    struct ken_log_ratelimit rl_high, rl_drain;  /* backpressure records */
};

/* The set of apps observing one class, in start order. Immutable once
 * published; replaced copies are kept until shutdown (senders may still
 * read them) on a retired list. */
struct obs {
    struct obs *retired_next;
    unsigned n;
    struct obs_entry {
        struct ken_app *app;
        uint32_t phases;
    } e[];
};

/* Apps (app.c). */
struct ken_app *app_create(const struct ken_app_desc *desc, char *why, size_t why_len);
void app_destroy(struct ken_app *app);
size_t app_count_running(void);
void app_publish(struct ken_app **apps, size_t n);
int app_start_threads(struct ken_app **apps, size_t n);
void app_stop(struct ken_app *app, enum ken_stop_mode mode);
void app_free_all(void);
struct ken_app *app_find_running(const char *name);
/* Running apps in start order; returns how many (at most max). */
size_t app_running(struct ken_app **out, size_t max);
bool app_has_handler(const struct ken_app *app, ken_ev_class_t cls);
/* app (may be NULL) declared KEN_APP_NONBLOCKING. */
bool app_nonblocking(const struct ken_app *app);
int app_push(struct ken_app *app, struct qent *e, size_t n, bool nowait, bool *throttle);
/* fn hears of every app that stops (request.c: its requesters fail), from
 * now on; called when the app's queue closes (discarding) and again once
 * its thread is joined. */
typedef void (*app_stopped_fn)(const struct ken_app *app);
void app_on_stopped(app_stopped_fn fn);
/* fn hears of every app whose stop is complete (no handler runs any more
 * and its stop hook returned), once per stop, from now on (timer.c: it
 * frees the app's timers). */
typedef void (*app_stop_done_fn)(struct ken_app *app);
void app_on_stop_done(app_stop_done_fn fn);

/* A runtime-internal event: it has class RT_EV_CALL (0, "no class", which
 * no app can handle or send), and the app's thread calls run in the
 * event's place in the queue instead of any handler (timer.c's ticks). */
#define RT_EV_CALL 0
struct rt_call {
    struct ken_event ev;
    void (*run)(struct ken_app *app, struct rt_call *call);
};
/* Queues call for app's own thread: never run inline on the caller's
 * thread, never waits. Takes over the reference. 0, or ESRCH when the app
 * does not accept events (the call is released without running). */
int app_post_call(struct ken_app *app, struct rt_call *call);


#endif
