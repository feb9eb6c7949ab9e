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
    /* desc->handlers, and for an app with routes the REST server's
     * dispatcher after them (app_set_route_support). */
    struct ken_handler *handlers;
    ken_ev_class_t *handler_cls;   /* class of handlers[i] */
    size_t n_handlers;
    _Atomic(struct hlist *) by_class[KEN_EV_CLASS_MAX];
    _Atomic bool published;        /* an observer; its queue accepts events */
    unsigned slot;                 /* 0-63 among running apps (backpressure masks) */
    bool started;                  /* start hook returned 0 */
    bool thread_running;
    pthread_t thread;
    struct app_queue q;
    /* Backpressure episodes: the first logged, the next ones summarised. */
    struct ken_log_repeat log_high, log_drain;
    /* Nanoseconds in handlers (ken_app_stats.handler_ns): written by
     * whichever thread runs the app's handlers, one at a time (the queue
     * hands that turn over under its lock), with a relaxed load and store,
     * no atomic add; read with a relaxed load. */
    uint64_t handler_ns;
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
        uint32_t versions;  /* the app's ofp_versions; ~0u for 0 (all) */
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

/* Apps with routes (ken_app_desc.routes) get one handler more, which the
 * app does not list: the REST server's dispatcher for its request class
 * (src/rest/wsapi.c sets it up when the program starts). check validates
 * the routes at load time (a bad template or regex fails the load with
 * EINVAL). Without it, an app with routes does not load. */
struct app_route_support {
    const struct ken_ev_class *cls;   /* EventWSRequest */
    ken_handler_fn dispatch;
    int (*check)(const struct ken_app_desc *desc, char *why, size_t why_len);
};
void app_set_route_support(const struct app_route_support *support);

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

/* ==== the controller's plumbing (not for apps) ==== */

/* Backpressure for threads that must never block (the OpenFlow I/O
 * thread). The post calls always queue the events (nothing is dropped)
 * and return true when a receiving app is at or over its high watermark:
 * the caller should then stop reading the sources that feed it until the
 * drain callback reports the app below its low watermark (and
 * ken_runtime_congested() is 0). */
bool ken_post_events_to_observers(struct ken_event *const *evs, size_t n, uint32_t phase);
/* For the events of one switch: only the apps whose ofp_versions meet
 * versions (the KEN_APP_OFP() bit of the switch's negotiated version, ~0u
 * before negotiation), and apps whose ofp_versions is 0, receive them.
 * Which apps a post reached, as bits of ken_app_slot(): *fed, the apps the
 * events (and whatever handlers run inline sent on) went to; the return,
 * those of them at or over their high watermark. A source whose fed bits
 * meet the congested ones feeds a full queue. */
uint64_t ken_post_switch_events(struct ken_event *const *evs, size_t n, uint32_t phase, uint32_t versions,
                                uint64_t *fed);
/* A running app's slot, 0-63, unique among running apps (freed when it
 * stops). */
unsigned ken_app_slot(const struct ken_app *app);
/* To one app: returns 0 or ESRCH; *throttle (may be NULL) as above. */
int ken_app_post(struct ken_app *dst, struct ken_event *ev, uint32_t phase, bool *throttle);

/* Called, on the drained app's thread (or the thread stopping it), when an
 * app that reached its high watermark drains below its low watermark.
 * Keep it short: post a job to your own loop (e.g. an eventfd write). One
 * callback for the whole runtime; NULL removes it. Once this returns, the
 * previous callback is not running on any thread (it runs under a lock:
 * it must not call this function). */
typedef void (*ken_drain_fn)(struct ken_app *app, void *arg);
void ken_runtime_set_drain_callback(ken_drain_fn fn, void *arg);
/* How many apps are over their high watermark and not yet drained. */
unsigned ken_runtime_congested(void);

/* ---- work at the end of a batch ----
 *
 * An app thread takes the events waiting in its queue in one go and
 * handles them one after another. A hook added on an app thread runs on
 * that thread once the handlers of the current batch are done, or before
 * the thread blocks in the runtime (ken_send_request, a full queue),
 * whichever comes first: this is how the controller writes what handlers
 * send in one go instead of waking its I/O thread per message. On any
 * other thread the hook runs at once. A hook is added again only after it
 * ran. */
struct ken_batch_hook {
    struct ken_batch_hook *next;
    void (*run)(struct ken_batch_hook *hook);
};
void ken_batch_hook_add(struct ken_batch_hook *hook);
/* Runs the calling thread's pending hooks now (ken_app_flush). */
void ken_batch_hooks_run(void);


#endif
