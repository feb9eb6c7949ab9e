/* Running apps: handler tables, observer sets, the app threads and the
 * send paths.
 *
 * Senders never take a global lock: the observers of a class are an
 * immutable set published through an atomic pointer (rebuilt under
 * rt.lock when an app starts or stops, or a class is added), and an app's
 * handlers for a class are an immutable list at app->by_class[id]. App
 * objects live until ken_runtime_shutdown(), so a sender holding a stale
 * set only meets a closed queue (counted as discarded). */
#include "runtime/runtime.h"
#include "runtime/lock.h"
#include "ken/wsapi.h"

#include <errno.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

/* Events handled between two queue_done() calls: often enough for the
 * drain signal and waiting senders, rarely enough to keep the lock cold. */
#define APP_CREDIT_EVERY 256
/* Events a sender delivers per round (one lock per receiving app). */
#define SEND_CHUNK 64

static struct {
    struct ken_mutex lock;
    struct ken_app *all;                       /* every app object, newest first */
    struct ken_app *running[RT_APPS_MAX];      /* published apps, in start order */
    size_t n_running;
    _Atomic(struct obs *) observers[KEN_EV_CLASS_MAX];
    struct obs *retired;
    uint64_t slots_used;                       /* ken_app_slot() bits taken */
    ken_drain_fn drain_fn;
    void *drain_arg;
    _Atomic unsigned congested;
} rt = {.lock = KEN_MUTEX_INITIALIZER};

static _Thread_local struct ken_app *tls_self;
/* Hooks to run at the end of the app thread's batch, newest first. */
static _Thread_local struct ken_batch_hook *tls_hooks;
/* The slots of the apps this thread's pushes reached, and of those left
 * over their high watermark, since the outermost send began: pushes from
 * handlers run inline count for the source that caused them. */
static _Thread_local uint64_t tls_fed, tls_over;
/* Senders may run the handlers of KEN_APP_NONBLOCKING apps themselves. */
static _Atomic bool inline_enabled = true;
/* --trace-events: off, app_push pays one relaxed load and a branch. */
static _Atomic bool trace_events;

/* ---- handler tables and observer sets (rt.lock held) ---- */

static struct hlist *hlist_build(const struct ken_app *app, ken_ev_class_t cls)
{
    ken_ev_class_t chain[KEN_EV_CLASS_MAX];
    size_t n_chain, n = 0;
    evclass_ancestors(cls, chain, &n_chain);
    bool match[app->n_handlers > 0 ? app->n_handlers : 1];
    for (size_t i = 0; i < app->n_handlers; i++) {
        match[i] = false;
        for (size_t k = 0; k < n_chain && !match[i]; k++)
            match[i] = app->handler_cls[i] == chain[k];
        n += match[i];
    }
    if (!n)
        return NULL;
    struct hlist *hl = malloc(sizeof *hl + n * sizeof hl->h[0]);
    if (!hl) {
        ken_log(KEN_LOG_CRITICAL, RT_LOG, "app %s: out of memory for the handlers of %s", app->desc->name,
                ken_ev_class_name(cls));
        return NULL;
    }
    hl->n = 0;
    hl->phases = 0;
    for (size_t i = 0; i < app->n_handlers; i++) {
        if (!match[i])
            continue;
        uint32_t d = app->handlers[i].phases;
        hl->h[hl->n++] = (struct hentry){d, app->handlers[i].fn};
        hl->phases |= d ? d : ~0u;
    }
    return hl;
}

static void hlist_set(struct ken_app *app, ken_ev_class_t cls)
{
    if (!atomic_load_explicit(&app->by_class[cls], memory_order_relaxed))
        atomic_store_explicit(&app->by_class[cls], hlist_build(app, cls), memory_order_release);
}

/* The versions whose switches' events an app receives. */
/* Bits 0-7: the versions the app speaks; bits 8-15: the same when it
 * takes a SLAVE connection's messages too (ofp_event.c shifts a SLAVE
 * connection's version bit there). */
static uint32_t app_versions(const struct ken_app *app)
{
    uint32_t v = app->desc->ofp_versions ? app->desc->ofp_versions & 0xffu : 0xffu;
    if (app->desc->flags & KEN_APP_SLAVE_EVENTS)
        v |= v << 8;
    return v;
}

static void obs_rebuild(ken_ev_class_t cls)
{
    unsigned n = 0;
    for (size_t i = 0; i < rt.n_running; i++)
        n += atomic_load_explicit(&rt.running[i]->by_class[cls], memory_order_relaxed) != NULL;
    struct obs *o = NULL;
    if (n && (o = malloc(sizeof *o + n * sizeof o->e[0]))) {
        o->n = 0;
        o->retired_next = NULL;
        for (size_t i = 0; i < rt.n_running; i++) {
            struct hlist *hl = atomic_load_explicit(&rt.running[i]->by_class[cls], memory_order_relaxed);
            if (hl)
                o->e[o->n++] = (struct obs_entry){rt.running[i], hl->phases, app_versions(rt.running[i])};
        }
    } else if (n) {
        ken_log(KEN_LOG_CRITICAL, RT_LOG, "out of memory for the observers of %s", ken_ev_class_name(cls));
    }
    struct obs *old = atomic_exchange_explicit(&rt.observers[cls], o, memory_order_acq_rel);
    if (old) {
        old->retired_next = rt.retired;
        rt.retired = old;
    }
}

/* Rebuilds the observer sets of every class app handles. */
static void obs_rebuild_for(const struct ken_app *app)
{
    ken_ev_class_t n = evclass_count();
    for (ken_ev_class_t cls = KEN_EV_BASE; cls < n; cls++)
        if (atomic_load_explicit(&app->by_class[cls], memory_order_relaxed))
            obs_rebuild(cls);
}

static void app_class_added(ken_ev_class_t cls)
{
    ken_mutex_lock(&rt.lock);
    bool any = false;
    for (size_t i = 0; i < rt.n_running; i++) {
        hlist_set(rt.running[i], cls);
        any |= atomic_load_explicit(&rt.running[i]->by_class[cls], memory_order_relaxed) != NULL;
    }
    if (any)
        obs_rebuild(cls);
    ken_mutex_unlock(&rt.lock);
}

/* ---- app objects ---- */

static _Atomic(const struct app_route_support *) route_support;

void app_set_route_support(const struct app_route_support *support) { atomic_store(&route_support, support); }

static bool desc_has_routes(const struct ken_app_desc *desc) { return desc->routes && desc->routes[0].path; }

struct ken_app *app_create(const struct ken_app_desc *desc, char *why, size_t why_len)
{
    evclass_on_added(app_class_added); /* classes registered after the apps */
    const struct app_route_support *routes = desc_has_routes(desc) ? atomic_load(&route_support) : NULL;
    if (desc_has_routes(desc) && !routes) {
        snprintf(why, why_len, "app %s has REST routes but this program has no REST server", desc->name);
        return NULL;
    }
    if (routes && routes->check(desc, why, why_len))
        return NULL;
    struct ken_app *app = calloc(1, sizeof *app);
    if (!app) {
        snprintf(why, why_len, "out of memory");
        return NULL;
    }
    app->desc = desc;
    size_t listed = 0;
    while (desc->handlers && desc->handlers[listed].ev_class)
        listed++;
    app->n_handlers = listed + (routes != NULL);
    app->handlers = calloc(app->n_handlers ? app->n_handlers : 1, sizeof *app->handlers);
    app->handler_cls = calloc(app->n_handlers ? app->n_handlers : 1, sizeof *app->handler_cls);
    if (!app->handlers || !app->handler_cls ||
        queue_init(&app->q, desc->queue_len ? desc->queue_len : KEN_QUEUE_DEFAULT)) {
        snprintf(why, why_len, "out of memory");
        free(app->handlers);
        free(app->handler_cls);
        free(app);
        return NULL;
    }
    if (listed)
        memcpy(app->handlers, desc->handlers, listed * sizeof *app->handlers);
    if (routes)
        app->handlers[listed] = (struct ken_handler){routes->cls->name, 0, routes->dispatch};
    for (size_t i = 0; i < app->n_handlers; i++) {
        const struct ken_handler *h = &app->handlers[i];
        app->handler_cls[i] = ken_ev_class_lookup(h->ev_class);
        if (!app->handler_cls[i] || !h->fn) {
            snprintf(why, why_len, "app %s: handler %zu is for %s event class %s", desc->name, i,
                     h->fn ? "unknown" : "(no function)", h->ev_class);
            app_destroy(app);
            return NULL;
        }
    }
    return app;
}

void app_destroy(struct ken_app *app)
{
    ken_log_repeat_forget(&app->log_high);
    ken_log_repeat_forget(&app->log_drain);
    for (size_t cls = 0; cls < KEN_EV_CLASS_MAX; cls++)
        free(atomic_load_explicit(&app->by_class[cls], memory_order_relaxed));
    queue_destroy(&app->q);
    free(app->handlers);
    free(app->handler_cls);
    free(app->contexts);
    free(app);
}

void app_publish(struct ken_app **apps, size_t n)
{
    ken_mutex_lock(&rt.lock);
    ken_ev_class_t n_cls = evclass_count();
    for (size_t i = 0; i < n; i++) {
        struct ken_app *app = apps[i];
        for (ken_ev_class_t cls = KEN_EV_BASE; cls < n_cls; cls++)
            hlist_set(app, cls);
        app->next = rt.all;
        rt.all = app;
        rt.running[rt.n_running++] = app;
        app->slot = (unsigned)__builtin_ctzll(~rt.slots_used); /* at most RT_APPS_MAX run */
        rt.slots_used |= 1ull << app->slot;
        atomic_store(&app->published, true);
    }
    for (size_t i = 0; i < n; i++)
        obs_rebuild_for(apps[i]);
    ken_mutex_unlock(&rt.lock);
}

static void app_unpublish(struct ken_app *app)
{
    ken_mutex_lock(&rt.lock);
    size_t i = 0;
    while (i < rt.n_running && rt.running[i] != app)
        i++;
    if (i < rt.n_running) {
        memmove(&rt.running[i], &rt.running[i + 1], (rt.n_running - i - 1) * sizeof rt.running[0]);
        rt.n_running--;
        rt.slots_used &= ~(1ull << app->slot);
        atomic_store(&app->published, false);
        obs_rebuild_for(app);
    }
    ken_mutex_unlock(&rt.lock);
}

size_t app_running(struct ken_app **out, size_t max)
{
    ken_mutex_lock(&rt.lock);
    size_t n = rt.n_running < max ? rt.n_running : max;
    memcpy(out, rt.running, n * sizeof out[0]);
    ken_mutex_unlock(&rt.lock);
    return n;
}

size_t app_count_running(void)
{
    ken_mutex_lock(&rt.lock);
    size_t n = rt.n_running;
    ken_mutex_unlock(&rt.lock);
    return n;
}

struct ken_app *app_find_running(const char *name)
{
    struct ken_app *found = NULL;
    ken_mutex_lock(&rt.lock);
    for (size_t i = 0; i < rt.n_running && !found; i++)
        if (!strcmp(rt.running[i]->desc->name, name))
            found = rt.running[i];
    ken_mutex_unlock(&rt.lock);
    return found;
}

struct ken_app *ken_app_lookup(const char *name)
{
    struct ken_app *found = app_find_running(name);
    ken_mutex_lock(&rt.lock);
    for (struct ken_app *app = rt.all; app && !found; app = app->next)
        if (!strcmp(app->desc->name, name))
            found = app;
    ken_mutex_unlock(&rt.lock);
    return found;
}

void app_free_all(void)
{
    ken_mutex_lock(&rt.lock);
    while (rt.all) {
        struct ken_app *app = rt.all;
        rt.all = app->next;
        app_destroy(app);
    }
    for (size_t cls = 0; cls < KEN_EV_CLASS_MAX; cls++)
        free(atomic_exchange(&rt.observers[cls], NULL));
    while (rt.retired) {
        struct obs *o = rt.retired;
        rt.retired = o->retired_next;
        free(o);
    }
    atomic_store(&rt.congested, 0);
    ken_mutex_unlock(&rt.lock);
}

bool app_has_handler(const struct ken_app *app, ken_ev_class_t cls)
{
    return cls < KEN_EV_CLASS_MAX && atomic_load_explicit(&app->by_class[cls], memory_order_acquire);
}

uint32_t ken_runtime_ofp_versions(void)
{
    uint32_t versions = 0;
    ken_mutex_lock(&rt.lock);
    for (size_t i = 0; i < rt.n_running; i++)
        versions |= rt.running[i]->desc->ofp_versions;
    ken_mutex_unlock(&rt.lock);
    return versions ? versions : ~0u;
}

size_t ken_runtime_ofp_version_apps(char *buf, size_t len)
{
    size_t n = 0, at = 0;
    if (len)
        buf[0] = '\0';
    ken_mutex_lock(&rt.lock);
    for (size_t i = 0; i < rt.n_running; i++) {
        if (!rt.running[i]->desc->ofp_versions)
            continue;
        int w = len > at ? snprintf(buf + at, len - at, "%s%s", n ? ", " : "", rt.running[i]->desc->name) : 0;
        at += w > 0 ? (size_t)w : 0;
        n++;
    }
    ken_mutex_unlock(&rt.lock);
    return n;
}

/* ---- backpressure ---- */

/* The callback runs under drain_lock, so that once set_drain_callback
 * returns no thread is still inside the old one (its argument may be
 * freed next). */
static struct ken_mutex drain_lock = KEN_MUTEX_INITIALIZER;

void ken_runtime_set_drain_callback(ken_drain_fn fn, void *arg)
{
    ken_mutex_lock(&drain_lock);
    rt.drain_fn = fn;
    rt.drain_arg = arg;
    ken_mutex_unlock(&drain_lock);
}

unsigned ken_runtime_congested(void) { return atomic_load(&rt.congested); }

/* The summary of a queue's repeated backpressure episodes (the first of a
 * series is logged in full): "app slow: queue reached its high watermark
 * again 12 times in the last 60 s (16 events)". */
static void __attribute__((cold)) app_repeat_start(struct ken_app *app, struct ken_log_repeat *r, int level,
                                                   const char *what, size_t events)
{
    char subject[160], detail[48];
    snprintf(subject, sizeof subject, "app %s: queue %s again", app->desc->name, what);
    snprintf(detail, sizeof detail, " (%zu events)", events);
    ken_log_repeat_start(r, level, RT_LOG, subject, detail);
}

static void app_signal_drain(struct ken_app *app)
{
    atomic_fetch_sub(&rt.congested, 1);
    if (ken_log_repeat_hit(&app->log_drain, KEN_LOG_INFO, RT_LOG)) {
        ken_log(KEN_LOG_INFO, RT_LOG, "app %s: queue drained below %zu events", app->desc->name, app->q.low);
        app_repeat_start(app, &app->log_drain, KEN_LOG_INFO, "drained below its low watermark", app->q.low);
    }
    ken_mutex_lock(&drain_lock);
    if (rt.drain_fn)
        rt.drain_fn(app, rt.drain_arg);
    ken_mutex_unlock(&drain_lock);
}

/* ---- batch hooks ---- */

void ken_batch_hook_add(struct ken_batch_hook *hook)
{
    if (!tls_self) {
        hook->run(hook);
        return;
    }
    hook->next = tls_hooks;
    tls_hooks = hook;
}

void ken_batch_hooks_run(void)
{
    while (tls_hooks) {
        struct ken_batch_hook *hook = tls_hooks;
        tls_hooks = hook->next;
        hook->run(hook);
    }
}

void ken_app_flush(void) { ken_batch_hooks_run(); }

bool app_nonblocking(const struct ken_app *app)
{
    return app && (app->desc->flags & KEN_APP_NONBLOCKING);
}

void ken_runtime_set_inline_handlers(bool on) { atomic_store(&inline_enabled, on); }

static void app_dispatch(struct ken_app *app, const struct qent *e);

/* Handler time is taken per batch, not per event: two vDSO clock reads
 * (some 20 ns each) per batch cost nothing measurable where a batch holds
 * many events, and a lone event's hand-off costs far more than they do. */
static uint64_t mono_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

/* Only the thread running the app's handlers writes: no atomic add. */
static void app_add_handler_time(struct ken_app *app, uint64_t since)
{
    uint64_t t = __atomic_load_n(&app->handler_ns, __ATOMIC_RELAXED);
    __atomic_store_n(&app->handler_ns, t + (mono_ns() - since), __ATOMIC_RELAXED);
}

/* Runs app's handlers for e[0..n) on this thread (queue_inline_begin said
 * yes), as the app: sends from them are the app's. Hooks they add run when
 * the outermost inline run ends on a thread that is no app's (the I/O
 * thread writes the switches' queues in its next round), or at the end of
 * the running app's batch. */
static void app_run_inline(struct ken_app *app, const struct qent *e, size_t n)
{
    struct ken_app *outer = tls_self;
    tls_self = app;
    uint64_t t0 = mono_ns();
    /* A run of events of one class with one handler for it (a switch's
     * packet-ins): the handler list looked up once per run, the handler
     * called directly. */
    ken_ev_class_t cls = 0;
    uint32_t phase = 0;
    const struct hlist *hl = NULL;
    ken_handler_fn lone = NULL; /* the one handler to call for this run, if any */
    bool general = true;        /* app_dispatch decides */
    for (size_t i = 0; i < n; i++) {
        struct ken_event *ev = e[i].ev;
        if (!i || ev->cls != cls || e[i].phase != phase) {
            if (!i || ev->cls != cls)
                hl = atomic_load_explicit(&app->by_class[ev->cls], memory_order_acquire);
            cls = ev->cls;
            phase = e[i].phase;
            general = !hl || hl->n != 1;
            uint32_t d = general ? 0 : hl->h[0].phases;
            lone = !general && (!phase || !d || (d & phase)) ? hl->h[0].fn : NULL;
        }
        if (lone)
            lone(app, ev);
        else if (general)
            app_dispatch(app, &e[i]);
        ken_event_unref(ev);
    }
    app_add_handler_time(app, t0); /* before the turn is handed back below */
    tls_self = outer;
    queue_inline_end(&app->q, n);
    if (!outer)
        ken_batch_hooks_run();
}

/* Appends to app's queue for its thread (waiting for room when may_wait)
 * and keeps the backpressure books. */
static int app_enqueue(struct ken_app *app, struct qent *e, size_t n, bool may_wait, bool *throttle)
{
    if (may_wait)
        ken_batch_hooks_run(); /* what we sent goes out before we may block */
    struct queue_push_result r = queue_push(&app->q, e, n, may_wait);
    for (size_t i = r.accepted; i < n; i++)
        ken_event_unref(e[i].ev);
    if (r.new_episode) {
        atomic_fetch_add(&rt.congested, 1);
        if (ken_log_repeat_hit(&app->log_high, KEN_LOG_WARNING, RT_LOG)) {
            ken_log(KEN_LOG_WARNING, RT_LOG, "app %s: queue at its high watermark (%zu events); senders held back",
                    app->desc->name, app->q.high);
            app_repeat_start(app, &app->log_high, KEN_LOG_WARNING, "reached its high watermark", app->q.high);
        }
    }
    if (r.over_high) {
        tls_over |= 1ull << app->slot;
        if (throttle)
            *throttle = true;
    }
    return r.accepted == n ? 0 : ESRCH;
}

void ken_runtime_set_event_trace(bool on) { atomic_store(&trace_events, on); }

/* Ryu's "EVENT src->dst class" line. A thread that is no app's is the
 * controller's (Ryu's ofp_event app) for OpenFlow messages. */
static void __attribute__((noinline, cold)) trace_push(const struct ken_app *app, const struct qent *e, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        const char *src = tls_self ? tls_self->desc->name
                          : ken_event_is_a(e[i].ev, KEN_EV_OFP_MSG_BASE) ? "ofp_event"
                                                                          : "-";
        KEN_LOG_DEBUG("events", "EVENT %s->%s %s", src, app->desc->name, ken_ev_class_name(e[i].ev->cls));
    }
}

int app_push(struct ken_app *app, struct qent *e, size_t n, bool nowait, bool *throttle)
{
    if (__builtin_expect(atomic_load_explicit(&trace_events, memory_order_relaxed), 0))
        trace_push(app, e, n);
    tls_fed |= 1ull << app->slot;
    if (app_nonblocking(app) && app != tls_self && atomic_load_explicit(&inline_enabled, memory_order_relaxed) &&
        queue_inline_begin(&app->q, n)) {
        app_run_inline(app, e, n);
        return 0;
    }
    /* A handler of a non-blocking app never waits for a queue, on
     * whichever thread it runs. */
    bool may_wait = !nowait && app != tls_self && !app_nonblocking(tls_self);
    return app_enqueue(app, e, n, may_wait, throttle);
}

int app_post_call(struct ken_app *app, struct rt_call *call)
{
    if (!atomic_load(&app->published)) {
        ken_event_unref(&call->ev);
        return ESRCH;
    }
    struct qent e = {&call->ev, KEN_PHASE_ANY};
    return app_enqueue(app, &e, 1, false, NULL);
}

/* ---- the app thread ---- */

static void app_dispatch(struct ken_app *app, const struct qent *e)
{
    const struct hlist *hl = atomic_load_explicit(&app->by_class[e->ev->cls], memory_order_acquire);
    if (!hl) {
        /* No handler has class 0: the check costs handled events nothing. */
        if (e->ev->cls == RT_EV_CALL) {
            struct rt_call *call = (struct rt_call *)e->ev;
            call->run(app, call);
        }
        return;
    }
    for (unsigned i = 0; i < hl->n; i++) {
        uint32_t d = hl->h[i].phases;
        if (!e->phase || !d || (d & e->phase))
            hl->h[i].fn(app, e->ev);
    }
}

static void app_done(struct ken_app *app, size_t n, bool discarded)
{
    if (queue_done(&app->q, n, discarded))
        app_signal_drain(app);
}

static void *app_main(void *arg)
{
    struct ken_app *app = arg;
    tls_self = app;
    /* A batch thread does not preempt the thread that woke it: the sender
     * (the I/O thread) finishes its batch first, on a shared CPU too. */
    struct sched_param sp = {0};
    pthread_setschedparam(pthread_self(), SCHED_BATCH, &sp);
    struct qent *batch;
    bool discard;
    size_t n;
    while ((n = queue_take(&app->q, &batch, &discard))) {
        size_t credited = 0;
        uint64_t t0 = mono_ns();
        for (size_t i = 0; i < n; i++) {
            if (!discard)
                app_dispatch(app, &batch[i]);
            ken_event_unref(batch[i].ev);
            if (i + 1 - credited == APP_CREDIT_EVERY) {
                app_done(app, APP_CREDIT_EVERY, discard);
                credited = i + 1;
            }
        }
        app_add_handler_time(app, t0);
        ken_batch_hooks_run();
        if (n > credited)
            app_done(app, n - credited, discard);
    }
    return NULL;
}

int app_start_threads(struct ken_app **apps, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        int err = pthread_create(&apps[i]->thread, NULL, app_main, apps[i]);
        if (err)
            return err;
        apps[i]->thread_running = true;
        queue_allow_inline(&apps[i]->q);
        char name[16];
        snprintf(name, sizeof name, "%s", apps[i]->desc->name);
        pthread_setname_np(apps[i]->thread, name);
    }
    return 0;
}

/* Who hears of a stopped app (request.c), set by it before its first
 * request: a report upward, not a call. */
static _Atomic(app_stopped_fn) app_stopped_hook;
/* Who hears of a completed stop (timer.c), set with its first timer. */
static _Atomic(app_stop_done_fn) app_stop_done_hook;

void app_stop(struct ken_app *app, enum ken_stop_mode mode)
{
    app_unpublish(app);
    if (queue_close(&app->q, mode == KEN_STOP_DISCARD))
        app_signal_drain(app);
    /* Discarding, no request to the app gets an answer: its requesters
     * fail now, not after a handler still running returns (draining, the
     * queued requests are answered first). */
    app_stopped_fn stopped = atomic_load(&app_stopped_hook);
    if (mode == KEN_STOP_DISCARD && stopped)
        stopped(app);
    if (app->thread_running) {
        pthread_join(app->thread, NULL);
        app->thread_running = false;
    }
    if (app->started && app->desc->stop)
        app->desc->stop(app);
    app->started = false;
    if (stopped)
        stopped(app);
    app_stop_done_fn done = atomic_load(&app_stop_done_hook);
    if (done)
        done(app);
}

void app_on_stopped(app_stopped_fn fn) { atomic_store(&app_stopped_hook, fn); }
void app_on_stop_done(app_stop_done_fn fn) { atomic_store(&app_stop_done_hook, fn); }

/* ---- the public face of an app ---- */

struct ken_app *ken_app_self(void) { return tls_self; }
const char *ken_app_name(const struct ken_app *app) { return app->desc->name; }
const struct ken_app_desc *ken_app_desc(const struct ken_app *app) { return app->desc; }
bool ken_app_running(const struct ken_app *app) { return atomic_load(&app->published); }
void ken_app_set_data(struct ken_app *app, void *data) { app->data = data; }
void *ken_app_data(const struct ken_app *app) { return app->data; }

void *ken_app_context(const struct ken_app *app, const char *name)
{
    for (size_t i = 0; i < app->n_contexts; i++)
        if (!strcmp(app->contexts[i].name, name))
            return app->contexts[i].app ? app->contexts[i].app->data : app->contexts[i].obj;
    return NULL;
}

void ken_app_get_stats(const struct ken_app *app, struct ken_app_stats *out)
{
    struct app_queue *q = (struct app_queue *)&app->q;
    ken_lite_mutex_lock(&q->lock);
    *out = (struct ken_app_stats){
        .enqueued = q->enqueued,
        .dispatched = q->dispatched,
        .discarded = q->discarded,
        .backpressure = q->backpressure,
        .blocked_sends = q->blocked_sends,
        .depth = (uint32_t)q->depth,
        .max_depth = (uint32_t)q->max_depth,
        .high_watermark = (uint32_t)q->high,
        .low_watermark = (uint32_t)q->low,
        .handler_ns = __atomic_load_n(&app->handler_ns, __ATOMIC_RELAXED),
    };
    ken_lite_mutex_unlock(&q->lock);
}

size_t ken_app_list(struct ken_app **out, size_t max)
{
    ken_mutex_lock(&rt.lock);
    size_t n = rt.n_running;
    if (out)
        memcpy(out, rt.running, (n < max ? n : max) * sizeof out[0]);
    ken_mutex_unlock(&rt.lock);
    return n;
}

/* ---- sending ---- */

static bool event_class_ok(const struct ken_event *ev)
{
    if (ev->cls >= KEN_EV_BASE && ev->cls < evclass_count())
        return true;
    ken_log(KEN_LOG_ERROR, RT_LOG, "event with unknown class id %u not sent", ev->cls);
    return false;
}

static int app_send_one(struct ken_app *dst, struct ken_event *ev, uint32_t phase, bool nowait, bool *throttle)
{
    if (!dst || !atomic_load(&dst->published) || !event_class_ok(ev)) {
        ken_event_unref(ev);
        return ESRCH;
    }
    struct qent e = {ev, phase};
    return app_push(dst, &e, 1, nowait, throttle);
}

int ken_app_send(struct ken_app *dst, struct ken_event *ev, uint32_t phase)
{
    return app_send_one(dst, ev, phase, false, NULL);
}

int ken_app_post(struct ken_app *dst, struct ken_event *ev, uint32_t phase, bool *throttle)
{
    return app_send_one(dst, ev, phase, true, throttle);
}

int ken_send_event(const char *dst, struct ken_event *ev)
{
    return ken_app_send(app_find_running(dst), ev, KEN_PHASE_ANY);
}

/* versions: the KEN_APP_OFP() bit of the version of the switch the event
 * comes from, ~0u when it comes from none or that is not known yet. Apps
 * speaking every version have ~0u there: for them the test always holds,
 * one AND beside the phase test. */
static bool obs_wants(const struct obs_entry *e, uint32_t phase, uint32_t versions)
{
    return (!phase || (e->phases & phase)) && (e->versions & versions);
}

/* Bits set in x, without the libgcc call __builtin_popcountll becomes
 * where the build targets no POPCNT instruction. */
static unsigned popcount64(uint64_t x)
{
    x = x - ((x >> 1) & 0x5555555555555555ull);
    x = (x & 0x3333333333333333ull) + ((x >> 2) & 0x3333333333333333ull);
    x = (x + (x >> 4)) & 0x0f0f0f0f0f0f0f0full;
    return (unsigned)((x * 0x0101010101010101ull) >> 56);
}

/* Takes the observer set of each event and marks, in want[i] (in want[0]
 * alone when they are all the same), the entries of the set that want it
 * (an observer set has at most RT_APPS_MAX = 64 entries); gives each event one reference per receiver and releases the
 * events nobody wants. A run of events of one class (a switch's
 * packet-ins) shares one look-up: the set as it was at the run's first
 * event, as if the chunk were sent at once. Returns true when every event
 * has the same set and marks (chunk_deliver's one-push-per-app case). */
static bool chunk_prepare(struct ken_event *const *evs, size_t n, uint32_t phase, uint32_t versions,
                          const struct obs **o, uint64_t *want)
{
    ken_ev_class_t n_cls = evclass_count();
    bool have = false, uniform = true;
    ken_ev_class_t cls = 0;
    const struct obs *so = NULL;
    uint64_t sw = 0;
    unsigned refs = 0;
    for (size_t i = 0; i < n; i++) {
        struct ken_event *ev = evs[i];
        if (!have || ev->cls != cls) {
            bool ok = ev->cls >= KEN_EV_BASE && ev->cls < n_cls;
            if (!ok)
                event_class_ok(ev); /* logs it */
            const struct obs *no = ok ? atomic_load_explicit(&rt.observers[ev->cls], memory_order_acquire) : NULL;
            uint64_t nw = 0;
            for (unsigned j = 0; no && j < no->n; j++)
                if (obs_wants(&no->e[j], phase, versions))
                    nw |= 1ull << j;
            if (i && uniform && (no != so || nw != sw)) {
                /* The marks so far were the first event's: chunk_deliver
                 * needs them per event from here on. */
                for (size_t k = 0; k < i; k++) {
                    o[k] = so;
                    want[k] = sw;
                }
                uniform = false;
            }
            so = no;
            sw = nw;
            refs = popcount64(nw);
            cls = ev->cls;
            have = ok; /* a bad class is looked at (and logged) each time */
        }
        if (!uniform) {
            o[i] = so;
            want[i] = sw;
        }
        if (!refs)
            ken_event_unref(ev);
        else if (refs > 1)
            __atomic_fetch_add(&ev->refs, (uint32_t)refs - 1, __ATOMIC_RELAXED);
    }
    if (uniform && n) { /* every event's marks, as chunk_deliver reads them */
        o[0] = so;
        want[0] = sw;
    }
    return uniform;
}

/* Takes app's mark off want[x] if it is there. */
static bool chunk_take(const struct obs *o, uint64_t *want, const struct ken_app *app)
{
    for (unsigned j = 0; *want && j < o->n; j++) {
        if (o->e[j].app == app && (*want & (1ull << j))) {
            *want &= ~(1ull << j);
            return true;
        }
    }
    return false;
}

/* Delivers a chunk: for each receiving app, its events in order, in one
 * push. */
static void chunk_deliver(struct ken_event *const *evs, size_t n, uint32_t phase, const struct obs **o,
                          uint64_t *want, bool uniform, bool nowait)
{
    struct qent ents[SEND_CHUNK];
    if (uniform) {
        /* Every event to the same apps: one array for all of them. */
        uint64_t w = want[0];
        if (!w)
            return;
        for (size_t x = 0; x < n; x++)
            ents[x] = (struct qent){evs[x], phase};
        while (w) {
            unsigned j = (unsigned)__builtin_ctzll(w);
            w &= w - 1;
            app_push(o[0]->e[j].app, ents, n, nowait, NULL);
        }
        return;
    }
    for (size_t i = 0; i < n; i++) {
        while (want[i]) {
            struct ken_app *app = o[i]->e[__builtin_ctzll(want[i])].app;
            size_t k = 0;
            for (size_t x = i; x < n; x++)
                if (chunk_take(o[x], &want[x], app))
                    ents[k++] = (struct qent){evs[x], phase};
            app_push(app, ents, k, nowait, NULL);
        }
    }
}

/* Returns the slots of the apps left over their high watermark; *fed gets
 * those reached. */
static uint64_t observers_send(struct ken_event *const *evs, size_t n, uint32_t phase, uint32_t versions, bool nowait,
                               uint64_t *fed)
{
    uint64_t outer_fed = tls_fed, outer_over = tls_over;
    tls_fed = tls_over = 0;
    for (size_t base = 0; base < n; base += SEND_CHUNK) {
        size_t m = n - base < SEND_CHUNK ? n - base : SEND_CHUNK;
        const struct obs *o[SEND_CHUNK];
        uint64_t want[SEND_CHUNK];
        want[0] = 0; /* m > 0 sets it; the compiler cannot see that */
        bool uniform = chunk_prepare(evs + base, m, phase, versions, o, want);
        chunk_deliver(evs + base, m, phase, o, want, uniform, nowait);
    }
    uint64_t over = tls_over;
    if (fed)
        *fed = tls_fed;
    tls_fed |= outer_fed;
    tls_over |= outer_over;
    return over;
}

void ken_send_event_to_observers(struct ken_event *ev, uint32_t phase)
{
    observers_send(&ev, 1, phase, ~0u, false, NULL);
}

void ken_send_events_to_observers(struct ken_event *const *evs, size_t n, uint32_t phase)
{
    observers_send(evs, n, phase, ~0u, false, NULL);
}

bool ken_post_events_to_observers(struct ken_event *const *evs, size_t n, uint32_t phase)
{
    return observers_send(evs, n, phase, ~0u, true, NULL) != 0;
}

uint64_t ken_post_switch_events(struct ken_event *const *evs, size_t n, uint32_t phase, uint32_t versions,
                                uint64_t *fed)
{
    return observers_send(evs, n, phase, versions, true, fed);
}

unsigned ken_app_slot(const struct ken_app *app) { return app->slot; }
