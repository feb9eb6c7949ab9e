/* App timers (ken/timer.h): one thread sleeps on a CLOCK_MONOTONIC
 * condition until the earliest due time in a min-heap, then queues a tick
 * (a runtime-internal event, struct rt_call) to each app whose timer fell
 * due; the app's thread runs the callback when it takes the tick.
 *
 * A timer lives while something refers to it: the app's handle (until
 * cancel or the app's stop), the heap (while armed) and each of its ticks
 * not yet released. t->queued names the one tick whose run will call the
 * callback; cancel and restart void a queued tick by forgetting it, which
 * is what makes them final on the app's own thread. Everything is under
 * timer_lock; callbacks and posts run without it. */
#include "ken/timer.h"
#include "runtime/runtime.h"
#include "runtime/lock.h"
#include "runtime/xalloc.h"

#include <errno.h>
#include <stdlib.h>
#include <time.h>

#define NOT_ARMED SIZE_MAX
#define NS_PER_MS 1000000ull

struct timer_tick;

struct ken_timer {
    struct ken_timer *prev, *next;  /* every timer alive */
    struct ken_app *app;
    ken_timer_fn fn;
    void *arg;
    uint64_t due_ns, period_ns;
    uint64_t seq;                   /* arming order: equal due times fire in it */
    size_t heap_at;                 /* index in heap, or NOT_ARMED */
    unsigned refs;
    bool held;                      /* the app holds the handle */
    struct timer_tick *queued;      /* the live tick in the app's queue */
};

struct timer_tick {
    struct rt_call call;            /* first: the event the app's queue holds */
    struct ken_timer *t;
    struct timer_tick *next_post;   /* the timer thread's batch to post */
};

static struct ken_mutex timer_lock = KEN_MUTEX_INITIALIZER;
static struct ken_cond timer_wake;  /* on CLOCK_MONOTONIC: set up once */
static pthread_once_t timer_once = PTHREAD_ONCE_INIT;
static struct ken_timer **heap KEN_GUARDED_BY(timer_lock);
static size_t heap_n KEN_GUARDED_BY(timer_lock);
static size_t heap_cap KEN_GUARDED_BY(timer_lock);
static struct ken_timer *timers KEN_GUARDED_BY(timer_lock);
static uint64_t arm_seq KEN_GUARDED_BY(timer_lock);
/* The thread runs while thread_gen is the value it started with, so a new
 * thread may start while the previous one is still on its way out. */
static bool thread_on KEN_GUARDED_BY(timer_lock);
static unsigned thread_gen KEN_GUARDED_BY(timer_lock);
static pthread_t thread KEN_GUARDED_BY(timer_lock);

static uint64_t now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

/* a + b, saturating: a timer "never" due stays never due. */
static uint64_t add_sat(uint64_t a, uint64_t b) { return a > UINT64_MAX - b ? UINT64_MAX : a + b; }
static uint64_t ms_to_ns(uint64_t ms) { return ms > UINT64_MAX / NS_PER_MS ? UINT64_MAX : ms * NS_PER_MS; }

/* ---- the heap (timer_lock held) ---- */

static bool heap_before(const struct ken_timer *a, const struct ken_timer *b)
{
    return a->due_ns < b->due_ns || (a->due_ns == b->due_ns && a->seq < b->seq);
}

static void heap_set(size_t i, struct ken_timer *t) KEN_REQUIRES(&timer_lock)
{
    heap[i] = t;
    t->heap_at = i;
}

static void heap_up(size_t i) KEN_REQUIRES(&timer_lock)
{
    struct ken_timer *t = heap[i];
    while (i > 0 && heap_before(t, heap[(i - 1) / 2])) {
        heap_set(i, heap[(i - 1) / 2]);
        i = (i - 1) / 2;
    }
    heap_set(i, t);
}

static void heap_down(size_t i) KEN_REQUIRES(&timer_lock)
{
    struct ken_timer *t = heap[i];
    for (;;) {
        size_t c = 2 * i + 1;
        if (c >= heap_n)
            break;
        if (c + 1 < heap_n && heap_before(heap[c + 1], heap[c]))
            c++;
        if (!heap_before(heap[c], t))
            break;
        heap_set(i, heap[c]);
        i = c;
    }
    heap_set(i, t);
}

static void heap_add(struct ken_timer *t) KEN_REQUIRES(&timer_lock)
{
    if (heap_n == heap_cap) {
        heap_cap = heap_cap ? 2 * heap_cap : 64;
        heap = ken_xrealloc(heap, heap_cap * sizeof heap[0]);
    }
    heap_set(heap_n++, t);
    heap_up(heap_n - 1);
}

static void heap_remove(struct ken_timer *t) KEN_REQUIRES(&timer_lock)
{
    size_t i = t->heap_at;
    struct ken_timer *last = heap[--heap_n];
    t->heap_at = NOT_ARMED;
    if (i < heap_n) {
        heap_set(i, last);
        heap_up(i);
        heap_down(last->heap_at);
    }
}

/* ---- timer lifetime (timer_lock held) ---- */

/* Drops n references to t (the last one frees it). */
static void timer_drop(struct ken_timer *t, unsigned n) KEN_REQUIRES(&timer_lock)
{
    t->refs -= n;
    if (t->refs)
        return;
    if (t->prev)
        t->prev->next = t->next;
    else
        timers = t->next;
    if (t->next)
        t->next->prev = t->prev;
    free(t);
}

static void timer_unref(struct ken_timer *t) KEN_REQUIRES(&timer_lock) { timer_drop(t, 1); }

/* Takes t out of the heap and voids its queued tick: no callback of the
 * current arming runs after this. Returns the references to drop (the
 * heap's, if it held one), for the caller to drop last. */
static unsigned timer_disarm(struct ken_timer *t) KEN_REQUIRES(&timer_lock)
{
    t->queued = NULL;
    if (t->heap_at == NOT_ARMED)
        return 0;
    heap_remove(t);
    return 1;
}

/* Releases the app's handle, if still out: returns the references to drop. */
static unsigned timer_release_handle(struct ken_timer *t) KEN_REQUIRES(&timer_lock)
{
    unsigned held = t->held;
    t->held = false;
    return held;
}

static void timer_arm(struct ken_timer *t, uint64_t first_ms, uint64_t period_ms) KEN_REQUIRES(&timer_lock)
{
    t->due_ns = add_sat(now_ns(), ms_to_ns(first_ms));
    t->period_ns = ms_to_ns(period_ms);
    t->seq = ++arm_seq;
    t->refs++;
    heap_add(t);
    if (t->heap_at == 0)
        ken_cond_signal(&timer_wake);  /* the thread sleeps until a later time */
}

/* ---- ticks ---- */

/* On the app's thread, in the tick's place in the app's queue. */
static void tick_run(struct ken_app *app, struct rt_call *call)
{
    struct timer_tick *tick = (struct timer_tick *)call;
    ken_mutex_lock(&timer_lock);
    struct ken_timer *t = tick->t;
    bool live = t->queued == tick;
    if (live)
        t->queued = NULL;  /* from here a new tick may be queued behind us */
    ken_mutex_unlock(&timer_lock);
    if (live)
        t->fn(app, t->arg);
}

/* The last reference to the tick: run, discarded, or refused. */
static void tick_free(struct ken_event *ev)
{
    struct timer_tick *tick = (struct timer_tick *)ev;
    ken_mutex_lock(&timer_lock);
    if (tick->t->queued == tick)
        tick->t->queued = NULL;
    timer_unref(tick->t);
    ken_mutex_unlock(&timer_lock);
    free(tick);
}

/* Handles the timers due by now: a tick for each that has none queued
 * (else the tick is merged into the queued one), periodic ones moved to
 * their next due time. Returns the ticks to post, in due order. */
static struct timer_tick *collect_due(uint64_t now) KEN_REQUIRES(&timer_lock)
{
    struct timer_tick *first = NULL, **tail = &first;
    while (heap_n && heap[0]->due_ns <= now) {
        struct ken_timer *t = heap[0];
        if (!t->queued) {
            struct timer_tick *tick = ken_xmalloc(sizeof *tick);
            ken_event_init(&tick->call.ev, RT_EV_CALL, tick_free);
            tick->call.run = tick_run;
            tick->t = t;
            tick->next_post = NULL;
            t->refs++;
            t->queued = tick;
            *tail = tick;
            tail = &tick->next_post;
        }
        if (t->period_ns) {
            /* The next due time after now on the timer's own rhythm. */
            uint64_t late = now - t->due_ns;
            t->due_ns = add_sat(t->due_ns, t->period_ns * (late / t->period_ns + 1));
            t->seq = ++arm_seq;
            heap_down(0);
        } else {
            heap_remove(t);
            timer_unref(t);
        }
    }
    return first;
}

static void post_ticks(struct timer_tick *tick)
{
    while (tick) {
        struct timer_tick *next = tick->next_post;
        /* t->app never changes; the tick keeps t alive. A refused tick
         * (the app is stopping) is released here: its timer is disarmed
         * when the stop completes. */
        app_post_call(tick->t->app, &tick->call);
        tick = next;
    }
}

static void *timer_main(void *arg)
{
    unsigned gen = (unsigned)(uintptr_t)arg;
    ken_mutex_lock(&timer_lock);
    while (thread_gen == gen) {
        if (!heap_n) {
            ken_cond_wait(&timer_wake, &timer_lock);
            continue;
        }
        uint64_t now = now_ns();
        if (heap[0]->due_ns > now) {
            uint64_t due = heap[0]->due_ns;
            struct timespec until = {(time_t)(due / 1000000000ull), (long)(due % 1000000000ull)};
            ken_cond_timedwait(&timer_wake, &timer_lock, &until);
            continue;
        }
        struct timer_tick *ticks = collect_due(now);
        ken_mutex_unlock(&timer_lock);
        post_ticks(ticks);
        ken_mutex_lock(&timer_lock);
    }
    ken_mutex_unlock(&timer_lock);
    return NULL;
}

static int thread_ensure(void) KEN_REQUIRES(&timer_lock)
{
    if (thread_on)
        return 0;
    int err = pthread_create(&thread, NULL, timer_main, (void *)(uintptr_t)thread_gen);
    if (err)
        return err;
    pthread_setname_np(thread, "ken-timer");
    thread_on = true;
    return 0;
}

/* The app's stop is complete (its handlers are done, its stop hook
 * returned): its timers go, and with the last armed timer the thread. */
static void timer_app_stopped(struct ken_app *app)
{
    bool join = false;
    pthread_t joined = 0;
    ken_mutex_lock(&timer_lock);
    for (struct ken_timer *t = timers, *next; t; t = next) {
        next = t->next;
        if (t->app != app)
            continue;
        unsigned drop = timer_disarm(t);
        drop += timer_release_handle(t);
        timer_drop(t, drop);
    }
    if (!heap_n && thread_on) {
        thread_gen++;
        thread_on = false;
        joined = thread;
        join = true;
        free(heap);
        heap = NULL;
        heap_cap = 0;
        ken_cond_broadcast(&timer_wake);
    }
    ken_mutex_unlock(&timer_lock);
    if (join)
        pthread_join(joined, NULL);
}

static void timer_setup(void)
{
    pthread_condattr_t attr;
    pthread_condattr_init(&attr);
    pthread_condattr_setclock(&attr, CLOCK_MONOTONIC);
    pthread_cond_init(&timer_wake.c, &attr);
    pthread_condattr_destroy(&attr);
    app_on_stop_done(timer_app_stopped);
}

/* ---- the public face ---- */

int ken_timer_start(struct ken_app *app, uint64_t first_ms, uint64_t period_ms, ken_timer_fn fn, void *arg,
                    struct ken_timer **timer)
{
    if (!app || !fn) {
        if (timer)
            *timer = NULL;
        return EINVAL;
    }
    pthread_once(&timer_once, timer_setup);
    struct ken_timer *t = ken_xcalloc(1, sizeof *t);
    t->app = app;
    t->fn = fn;
    t->arg = arg;
    t->heap_at = NOT_ARMED;
    t->held = timer != NULL;
    t->refs = 1;  /* ours until armed */
    ken_mutex_lock(&timer_lock);
    /* Checked under the lock: a stop completing later finds the timer in
     * the list; one completed earlier has unpublished the app. */
    int err = ken_app_running(app) ? thread_ensure() : ESRCH;
    if (err) {
        ken_mutex_unlock(&timer_lock);
        free(t);
        if (timer)
            *timer = NULL;
        return err;
    }
    t->next = timers;
    if (timers)
        timers->prev = t;
    timers = t;
    timer_arm(t, first_ms, period_ms);
    if (timer)
        *timer = t;  /* under the lock: the callback, which takes it first, sees it */
    else
        timer_unref(t);  /* the heap's reference remains */
    ken_mutex_unlock(&timer_lock);
    return 0;
}

int ken_timer_restart(struct ken_timer *t, uint64_t first_ms, uint64_t period_ms)
{
    ken_mutex_lock(&timer_lock);
    int err = ken_app_running(t->app) ? thread_ensure() : ESRCH;
    if (!err) {
        t->refs -= timer_disarm(t);  /* never the last: the caller holds the handle */
        timer_arm(t, first_ms, period_ms);
    }
    ken_mutex_unlock(&timer_lock);
    return err;
}

void ken_timer_cancel(struct ken_timer *t)
{
    if (!t)
        return;
    ken_mutex_lock(&timer_lock);
    unsigned drop = timer_disarm(t);
    drop += timer_release_handle(t);
    timer_drop(t, drop);
    ken_mutex_unlock(&timer_lock);
}
