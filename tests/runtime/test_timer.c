/* App timers: callbacks run on the app's own thread, one at a time with its
 * handlers and in its queue order; periodic timers do not pile up; cancel
 * and restart are final on the app's thread; an app's timers die with it;
 * thousands of timers on several apps fire and are freed (LeakSanitizer
 * checks the last part at exit). No assertion depends on timing: waits
 * are on counters, with GUARD_MS as a failure guard only. */
#include "helpers.h"

#include <stdatomic.h>
#include <string.h>

#include "ken/timer.h"

KEN_EV_CLASS_DEFINE(run_class, "EventTimerTestRun", ken_ev_base_class);
KEN_EV_CLASS_DEFINE(gate_class, "EventTimerTestGate", ken_ev_base_class);
KEN_EV_CLASS_DEFINE(bump_class, "EventTimerTestBump", ken_ev_base_class);
KEN_EV_CLASS_DEFINE(ask_class, "EventTimerTestAsk", ken_ev_request_base_class);

/* ---- the apps ---- */

/* Everything below is touched by the apps' threads, and read by the test
 * thread only after a counter (a lock) says the app is done with it. */
static long base_seen;            /* events any EventBase handler saw */
static long shared_plain;         /* bumped by handlers and callbacks alike, no lock */
static char trace[64];
static size_t trace_n;
static struct counter ran = COUNTER_INIT;     /* EventTimerTestRun handled */
static struct counter ticks = COUNTER_INIT;   /* callbacks, where counted */

static void trace_add(char c)
{
    if (trace_n < sizeof trace - 1)
        trace[trace_n++] = c;
}

/* EventTimerTestRun: runs fn(app, arg) on the app's thread. */
struct run_ev {
    struct ken_event ev;
    void (*fn)(struct ken_app *app, void *arg);
    void *arg;
};

static void on_run(struct ken_app *app, const struct ken_event *ev)
{
    const struct run_ev *r = KEN_EVENT_CONTAINER(ev, struct run_ev, ev);
    if (r->fn)
        r->fn(app, r->arg);
    counter_add(&ran, 1);
}

/* EventTimerTestGate: holds the app's thread until the test opens it. */
static struct counter gate_open = COUNTER_INIT;
static struct counter gate_entered = COUNTER_INIT;
static void (*gate_then)(struct ken_app *app, void *arg);

static void on_gate(struct ken_app *app, const struct ken_event *ev)
{
    (void)app;
    (void)ev;
    trace_add('G');
    counter_add(&gate_entered, 1);
    assert_true(counter_wait(&gate_open, 1));
    if (gate_then)
        gate_then(app, NULL);
}

static void on_bump(struct ken_app *app, const struct ken_event *ev)
{
    (void)app;
    (void)ev;
    shared_plain++;
    trace_add('E');
}

static void on_base(struct ken_app *app, const struct ken_event *ev)
{
    (void)app;
    (void)ev;
    base_seen++;
}

static void on_ask(struct ken_app *app, const struct ken_event *ev)
{
    (void)app;
    struct ken_ev_reply *rep = ken_event_new(KEN_EV_REPLY_BASE, sizeof *rep, NULL);
    ken_send_reply(KEN_EVENT_CONTAINER(ev, struct ken_ev_request, ev), &rep->ev);
}

static const struct ken_handler clock_handlers[] = {
    {"EventTimerTestAsk", 0, on_ask},
    {"EventBase", 0, on_base},
    {"EventTimerTestRun", 0, on_run},
    {"EventTimerTestGate", 0, on_gate},
    {"EventTimerTestBump", 0, on_bump},
    {NULL, 0, NULL},
};

static const struct ken_app_desc clock_app = {.name = "clock", .handlers = clock_handlers};
KEN_APP_REGISTER(clock_app);
/* Its handlers may run on the sender's thread: its callbacks still run on
 * its own. */
static const struct ken_app_desc clock_nb_app = {.name = "clock_nb", .handlers = clock_handlers,
                                                 .flags = KEN_APP_NONBLOCKING};
KEN_APP_REGISTER(clock_nb_app);

static struct ken_app *load(const char *name)
{
    char why[KEN_WHY_LEN];
    assert_int_equal(ken_app_load_one(name, why), 0);
    return ken_app_lookup(name);
}

/* Runs fn(app, arg) on app's thread and waits until it ran. */
static void run_on(struct ken_app *app, void (*fn)(struct ken_app *, void *), void *arg)
{
    long target = counter_get(&ran) + 1;
    struct run_ev *r = ken_event_new(run_class.id, sizeof *r, NULL);
    r->fn = fn;
    r->arg = arg;
    assert_int_equal(ken_app_send(app, &r->ev, KEN_PHASE_ANY), 0);
    assert_true(counter_wait(&ran, target));
}

/* Waits until app's queue has taken in n more events than before. */
static void wait_enqueued(struct ken_app *app, uint64_t before, uint64_t n)
{
    struct ken_app_stats st;
    for (int i = 0; i < GUARD_MS; i++) {
        ken_app_get_stats(app, &st);
        if (st.enqueued >= before + n)
            return;
        usleep(1000);
    }
    fail_msg("the app's queue never took %llu more events", (unsigned long long)n);
}

static uint64_t enqueued(struct ken_app *app)
{
    struct ken_app_stats st;
    ken_app_get_stats(app, &st);
    return st.enqueued;
}

static void gate_close(void)
{
    counter_set(&gate_open, 0);
    counter_set(&gate_entered, 0);
}

/* The app's thread sits in on_gate when this returns. */
static void gate_enter(struct ken_app *app)
{
    gate_close();
    assert_int_equal(ken_app_send(app, ken_event_new(gate_class.id, sizeof(struct ken_event), NULL), 0), 0);
    assert_true(counter_wait(&gate_entered, 1));
}

static void reset(void)
{
    base_seen = 0;
    shared_plain = 0;
    trace_n = 0;
    memset(trace, 0, sizeof trace);
    counter_set(&ran, 0);
    counter_set(&ticks, 0);
    gate_close();
}

/* A one-shot timer whose firing marks that every earlier-due timer of the
 * app that was going to fire has run: its callback is queued behind
 * theirs. Used as a fence, never as a clock. */
static struct counter fence_fired = COUNTER_INIT;
static void fence_cb(struct ken_app *app, void *arg)
{
    (void)app;
    (void)arg;
    counter_add(&fence_fired, 1);
}

static void timer_fence(struct ken_app *app, uint64_t after_ms)
{
    long target = counter_get(&fence_fired) + 1;
    assert_int_equal(ken_timer_start(app, after_ms, 0, fence_cb, NULL, NULL), 0);
    assert_true(counter_wait(&fence_fired, target));
}

/* A failed test leaves no app stuck at the gate. */
static int timer_teardown(void **state)
{
    counter_set(&gate_open, 1);
    return runtime_teardown(state);
}

/* ---- one-shot ---- */

struct shot {
    struct ken_app *app;
    struct ken_app *self_seen, *app_arg;
    char thread_name[16];
    long calls;
};

static void shot_cb(struct ken_app *app, void *arg)
{
    struct shot *s = arg;
    s->self_seen = ken_app_self();
    s->app_arg = app;
    pthread_getname_np(pthread_self(), s->thread_name, sizeof s->thread_name);
    s->calls++;
    counter_add(&ticks, 1);
}

static void check_one_shot(const char *name)
{
    reset();
    struct ken_app *app = load(name);
    struct shot s = {.app = app};
    struct ken_timer *t;
    assert_int_equal(ken_timer_start(app, 5, 0, shot_cb, &s, &t), 0);
    assert_non_null(t);
    assert_true(counter_wait(&ticks, 1));
    /* A later timer of the same app has fired: the one-shot did not fire
     * again meanwhile. */
    timer_fence(app, 30);
    assert_int_equal(counter_get(&ticks), 1);
    assert_int_equal(s.calls, 1);
    assert_ptr_equal(s.self_seen, app);
    assert_ptr_equal(s.app_arg, app);
    assert_string_equal(s.thread_name, name);   /* app threads bear their app's name */
    assert_int_equal(base_seen, 0);             /* ticks are no events to handlers */

    /* A fired one-shot stays until cancelled, and can be armed again. */
    assert_int_equal(ken_timer_restart(t, 0, 0), 0);
    assert_true(counter_wait(&ticks, 2));
    ken_timer_cancel(t);
    assert_int_equal(s.calls, 2);
}

static void test_one_shot(void **state)
{
    (void)state;
    check_one_shot("clock");
}

static void test_one_shot_nonblocking_app(void **state)
{
    (void)state;
    check_one_shot("clock_nb");
}

/* ---- periodic, and cancel from another thread ---- */

static void count_cb(struct ken_app *app, void *arg)
{
    (void)app;
    long *n = arg;
    ++*n;
    counter_add(&ticks, 1);
}

static long seen_calls;
static void read_calls(struct ken_app *app, void *arg)
{
    (void)app;
    seen_calls = *(long *)arg;
}

static void test_periodic_cancel_from_other_thread(void **state)
{
    (void)state;
    reset();
    struct ken_app *app = load("clock");
    long calls = 0;
    struct ken_timer *t;
    assert_int_equal(ken_timer_start(app, 1, 1, count_cb, &calls, &t), 0);
    assert_true(counter_wait(&ticks, 20));
    ken_timer_cancel(t);
    /* An event sent after cancel returned is handled after the last call
     * of the callback; none comes later. */
    run_on(app, read_calls, &calls);
    long at_cancel = seen_calls;
    assert_true(at_cancel >= 20);
    timer_fence(app, 20);
    run_on(app, read_calls, &calls);
    assert_int_equal(seen_calls, at_cancel);
}

/* ---- one at a time, in queue order ---- */

static void plain_cb(struct ken_app *app, void *arg)
{
    (void)app;
    (void)arg;
    shared_plain++;   /* a data race, for ThreadSanitizer, if a handler ran meanwhile */
    counter_add(&ticks, 1);
}

static void test_never_concurrent_with_handlers(void **state)
{
    (void)state;
    reset();
    struct ken_app *app = load("clock");
    struct ken_timer *t;
    assert_int_equal(ken_timer_start(app, 0, 1, plain_cb, NULL, &t), 0);
    const long events = 2000;
    for (long i = 0; i < events; i++) {
        assert_int_equal(ken_app_send(app, ken_event_new(bump_class.id, sizeof(struct ken_event), NULL), 0), 0);
        if (i % 100 == 0)
            usleep(200);   /* let ticks fall between the events */
    }
    ken_timer_cancel(t);
    run_on(app, read_calls, &shared_plain);
    assert_int_equal(seen_calls, events + counter_get(&ticks));
}

static void order_cb(struct ken_app *app, void *arg)
{
    (void)app;
    (void)arg;
    trace_add('T');
    counter_add(&ticks, 1);
}

static void test_tick_in_queue_order(void **state)
{
    (void)state;
    reset();
    struct ken_app *app = load("clock");
    gate_enter(app);
    uint64_t before = enqueued(app);
    struct ken_timer *t;
    assert_int_equal(ken_timer_start(app, 0, 0, order_cb, NULL, &t), 0);
    wait_enqueued(app, before, 1);   /* the tick waits behind the gate */
    assert_int_equal(ken_app_send(app, ken_event_new(bump_class.id, sizeof(struct ken_event), NULL), 0), 0);
    counter_set(&gate_open, 1);
    run_on(app, NULL, NULL);
    assert_string_equal(trace, "GTE");
    ken_timer_cancel(t);
}

/* A busy app gets one tick per timer, not one per period missed. */
static struct ken_timer *coalesce_timer;
static void coalesce_cb(struct ken_app *app, void *arg)
{
    (void)app;
    (void)arg;
    counter_add(&ticks, 1);
    ken_timer_cancel(coalesce_timer);   /* cancel from its own callback */
}

static void test_no_pile_up(void **state)
{
    (void)state;
    reset();
    struct ken_app *app = load("clock");
    gate_enter(app);
    uint64_t before = enqueued(app);
    assert_int_equal(ken_timer_start(app, 0, 1, coalesce_cb, NULL, &coalesce_timer), 0);
    wait_enqueued(app, before, 1);
    usleep(30 * 1000);   /* about 30 periods go by while the app is busy */
    struct ken_app_stats st;
    ken_app_get_stats(app, &st);
    counter_set(&gate_open, 1);
    assert_int_equal(st.enqueued, before + 1);   /* still that one tick */
    assert_int_equal(st.depth, 2);               /* the gate and the tick */
    timer_fence(app, 10);
    assert_int_equal(counter_get(&ticks), 1);
}

/* ---- cancel and restart on the app's thread void a queued tick ---- */

static struct ken_timer *queued_timer;
static void cancel_it(struct ken_app *app, void *arg)
{
    (void)app;
    (void)arg;
    ken_timer_cancel(queued_timer);
}

static int restart_err = -1;
static void restart_it(struct ken_app *app, void *arg)
{
    (void)app;
    (void)arg;
    restart_err = ken_timer_restart(queued_timer, 3600 * 1000, 0);
}

/* The gate's handler, once opened, acts on the app's thread while the
 * tick it held back waits in the queue. */
static void check_voided(void (*how)(struct ken_app *, void *))
{
    reset();
    struct ken_app *app = load("clock");
    gate_then = how;
    gate_enter(app);
    uint64_t before = enqueued(app);
    long calls = 0;
    assert_int_equal(ken_timer_start(app, 0, 1000, count_cb, &calls, &queued_timer), 0);
    wait_enqueued(app, before, 1);
    counter_set(&gate_open, 1);
    run_on(app, NULL, NULL);   /* behind the voided tick */
    gate_then = NULL;
    assert_int_equal(calls, 0);
    if (how == restart_it) {
        assert_int_equal(restart_err, 0);
        ken_timer_cancel(queued_timer);   /* cancel_it freed it already */
    }
}

static void test_cancel_on_app_thread(void **state)
{
    (void)state;
    check_voided(cancel_it);
}

static void test_restart_on_app_thread(void **state)
{
    (void)state;
    check_voided(restart_it);
}

/* ---- start on a stopped app; the app's timers die with it ---- */

static void test_start_on_stopped_app(void **state)
{
    (void)state;
    reset();
    struct ken_app *app = load("clock");
    long calls = 0;
    struct ken_timer *t = (struct ken_timer *)&calls;
    assert_int_equal(ken_timer_start(app, 0, 0, NULL, NULL, &t), EINVAL);
    assert_null(t);
    assert_int_equal(ken_timer_start(NULL, 0, 0, count_cb, &calls, NULL), EINVAL);
    assert_int_equal(ken_app_unload("clock", KEN_STOP_DRAIN), 0);
    assert_int_equal(ken_timer_start(app, 0, 0, count_cb, &calls, &t), ESRCH);
    assert_null(t);
    assert_int_equal(calls, 0);
}

static void test_unload_with_active_timers(void **state)
{
    (void)state;
    for (int mode = 0; mode < 2; mode++) {
        reset();
        struct ken_app *app = load("clock");
        static long calls[4];
        memset(calls, 0, sizeof calls);
        struct ken_timer *t;
        assert_int_equal(ken_timer_start(app, 0, 1, count_cb, &calls[0], &t), 0);
        assert_int_equal(ken_timer_start(app, 0, 2, count_cb, &calls[1], NULL), 0);
        assert_int_equal(ken_timer_start(app, 3600 * 1000, 0, count_cb, &calls[2], &t), 0);
        assert_int_equal(ken_timer_start(app, 3600 * 1000, 0, count_cb, &calls[3], NULL), 0);
        assert_true(counter_wait(&ticks, 10));
        assert_int_equal(ken_app_unload("clock", mode ? KEN_STOP_DISCARD : KEN_STOP_DRAIN), 0);
        long after = counter_get(&ticks);
        /* Another app's timer fires later: no callback of the stopped one
         * ran meanwhile (its timers were freed: LeakSanitizer says so). */
        struct ken_app *other = load("clock_nb");
        timer_fence(other, 20);
        assert_int_equal(counter_get(&ticks), after);
        assert_int_equal(calls[2] + calls[3], 0);
        assert_int_equal(ken_app_unload("clock_nb", KEN_STOP_DRAIN), 0);
        ken_runtime_shutdown();
    }
}

/* A stop that drains runs a tick already queued, like any queued event;
 * one that discards drops it. */
struct unload_arg {
    enum ken_stop_mode mode;
    int err;
};

static void *unload_clock(void *arg)
{
    struct unload_arg *u = arg;
    u->err = ken_app_unload("clock", u->mode);
    return NULL;
}

/* A request to clock, left unanswered behind the gate: a discarding stop
 * fails it as soon as the queue is closed. */
static void *ask_clock(void *arg)
{
    struct ken_ev_request *req = ken_event_new(ask_class.id, sizeof *req, NULL);
    req->dst = "clock";
    struct ken_event *reply;
    *(int *)arg = ken_send_request(req, -1, &reply);
    ken_event_unref(reply);
    return NULL;
}

static void test_stop_and_queued_tick(void **state)
{
    (void)state;
    for (int discard = 0; discard < 2; discard++) {
        reset();
        struct ken_app *app = load("clock");
        gate_enter(app);
        uint64_t before = enqueued(app);
        long calls = 0;
        assert_int_equal(ken_timer_start(app, 0, 1, count_cb, &calls, NULL), 0);
        wait_enqueued(app, before, 1);
        pthread_t asker, unloader;
        int ask_err = -1;
        if (discard) {
            assert_int_equal(pthread_create(&asker, NULL, ask_clock, &ask_err), 0);
            wait_enqueued(app, before, 2);
        }
        struct unload_arg u = {discard ? KEN_STOP_DISCARD : KEN_STOP_DRAIN, -1};
        assert_int_equal(pthread_create(&unloader, NULL, unload_clock, &u), 0);
        if (discard) {
            pthread_join(asker, NULL);   /* failed: the queue is closed */
            assert_int_equal(ask_err, ESRCH);
        } else {
            /* Not running: later ticks are refused. */
            for (int ms = 0; ken_app_running(app) && ms < GUARD_MS; ms++)
                usleep(1000);
            assert_false(ken_app_running(app));
        }
        counter_set(&gate_open, 1);
        pthread_join(unloader, NULL);
        assert_int_equal(u.err, 0);
        assert_int_equal(calls, discard ? 0 : 1);
    }
}

/* Timers started by start hooks: freed when the load fails (the app's
 * thread never ran), and still valid in the stop hook. */
static struct ken_timer *hook_timer;
static long hook_calls;
static int hook_cancelled;

static int failing_start(struct ken_app *app)
{
    assert_int_equal(ken_timer_start(app, 0, 1, count_cb, &hook_calls, &hook_timer), 0);
    assert_int_equal(ken_timer_start(app, 0, 0, count_cb, &hook_calls, NULL), 0);
    return EIO;
}

static const struct ken_app_desc failing_app = {.name = "failing", .start = failing_start};
KEN_APP_REGISTER(failing_app);

static int hooked_start(struct ken_app *app)
{
    return ken_timer_start(app, 0, 1, count_cb, &hook_calls, &hook_timer);
}

static void hooked_stop(struct ken_app *app)
{
    (void)app;
    ken_timer_cancel(hook_timer);   /* not freed before the stop hook ran */
    hook_cancelled++;
}

static const struct ken_app_desc hooked_app = {.name = "hooked", .start = hooked_start, .stop = hooked_stop};
KEN_APP_REGISTER(hooked_app);

static void test_timers_of_start_hooks(void **state)
{
    (void)state;
    reset();
    hook_calls = 0;
    hook_cancelled = 0;
    char why[KEN_WHY_LEN];
    assert_int_equal(ken_app_load_one("failing", why), EIO);
    assert_false(ken_app_running(ken_app_lookup("failing")));
    timer_fence(load("clock"), 20);
    assert_int_equal(hook_calls, 0);   /* its thread never ran */

    assert_int_equal(ken_app_load_one("hooked", why), 0);
    assert_true(counter_wait(&ticks, 3));
    assert_int_equal(ken_app_unload("hooked", KEN_STOP_DISCARD), 0);
    assert_int_equal(hook_cancelled, 1);
}

/* ---- many timers on several apps ---- */

#define MANY_APPS 3
#define MANY_ONESHOTS 2000
#define MANY_PERIODIC 200

static _Atomic long many_calls[MANY_APPS][MANY_ONESHOTS + MANY_PERIODIC];
static struct counter oneshots_fired = COUNTER_INIT;
static struct counter periodic_twice = COUNTER_INIT;

static void many_cb(struct ken_app *app, void *arg)
{
    (void)app;
    _Atomic long *n = arg;
    long was = atomic_fetch_add(n, 1);
    size_t i = (size_t)(n - &many_calls[0][0]) % (MANY_ONESHOTS + MANY_PERIODIC);
    if (i < MANY_ONESHOTS)
        counter_add(&oneshots_fired, 1);
    else if (was == 1)
        counter_add(&periodic_twice, 1);
}

static void test_many_timers(void **state)
{
    (void)state;
    reset();
    counter_set(&oneshots_fired, 0);
    counter_set(&periodic_twice, 0);
    memset(many_calls, 0, sizeof many_calls);
    const char *names[MANY_APPS] = {"clock", "clock_nb", "many3"};
    struct ken_app *apps[MANY_APPS];
    for (int a = 0; a < MANY_APPS; a++) {
        apps[a] = load(names[a]);
        for (int i = 0; i < MANY_ONESHOTS; i++)   /* no handle: freed once run */
            assert_int_equal(ken_timer_start(apps[a], (uint64_t)(i % 20), 0, many_cb, &many_calls[a][i], NULL), 0);
        for (int i = 0; i < MANY_PERIODIC; i++) {  /* freed with their app */
            struct ken_timer *t;
            assert_int_equal(ken_timer_start(apps[a], (uint64_t)(i % 7), 3 + (uint64_t)(i % 5), many_cb,
                                             &many_calls[a][MANY_ONESHOTS + i], &t),
                             0);
        }
    }
    assert_true(counter_wait(&oneshots_fired, MANY_APPS * MANY_ONESHOTS));
    assert_true(counter_wait(&periodic_twice, MANY_APPS * MANY_PERIODIC));
    ken_runtime_stop_all(KEN_STOP_DISCARD);
    for (int a = 0; a < MANY_APPS; a++)
        for (int i = 0; i < MANY_ONESHOTS; i++)
            assert_int_equal(atomic_load(&many_calls[a][i]), 1);
}

static const struct ken_app_desc many3_app = {.name = "many3", .handlers = clock_handlers};
KEN_APP_REGISTER(many3_app);

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_teardown(test_one_shot, timer_teardown),
        cmocka_unit_test_teardown(test_one_shot_nonblocking_app, timer_teardown),
        cmocka_unit_test_teardown(test_periodic_cancel_from_other_thread, timer_teardown),
        cmocka_unit_test_teardown(test_never_concurrent_with_handlers, timer_teardown),
        cmocka_unit_test_teardown(test_tick_in_queue_order, timer_teardown),
        cmocka_unit_test_teardown(test_no_pile_up, timer_teardown),
        cmocka_unit_test_teardown(test_cancel_on_app_thread, timer_teardown),
        cmocka_unit_test_teardown(test_restart_on_app_thread, timer_teardown),
        cmocka_unit_test_teardown(test_start_on_stopped_app, timer_teardown),
        cmocka_unit_test_teardown(test_unload_with_active_timers, timer_teardown),
        cmocka_unit_test_teardown(test_stop_and_queued_tick, timer_teardown),
        cmocka_unit_test_teardown(test_timers_of_start_hooks, timer_teardown),
        cmocka_unit_test_teardown(test_many_timers, timer_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
