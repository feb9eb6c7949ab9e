/* Inline runs (KEN_APP_NONBLOCKING): a sender runs the handler itself when
 * the app is idle; events that come while a handler runs wait in the queue
 * for the app's thread, in order; one handler at a time; the switch that
 * turns it off; stopping waits for an inline handler; a non-blocking app
 * cannot make a request and never waits for a full queue. */
#include "helpers.h"

#include <stdatomic.h>
#include <string.h>

KEN_EV_CLASS_DEFINE(tick_class, "EventTick", ken_ev_base_class);
KEN_EV_CLASS_DEFINE(hold_class, "EventHold", ken_ev_base_class);
KEN_EV_CLASS_DEFINE(probe_class, "EventProbe", ken_ev_base_class);
KEN_EV_CLASS_DEFINE(flood_class, "EventFlood", ken_ev_base_class);
KEN_EV_CLASS_DEFINE(query_class, "EventQuery", ken_ev_request_base_class);

#define PRODUCERS 2
#define TICKS 20000

static struct counter ticks = COUNTER_INIT;
static struct counter holding = COUNTER_INIT;  /* a hold handler runs */
static atomic_bool release_hold;
static atomic_int in_handler;                  /* handlers running now */
static atomic_int overlaps;                    /* a handler began while another ran */
static atomic_int out_of_order;
static long last_seq[PRODUCERS];
static pthread_t tick_thread[8];               /* the thread of the first ticks */
static pthread_t quick_thread;                 /* quick's own thread */
static atomic_int order_clock;
static atomic_int hold_ended_at, stopped_at;
static int probe_err = -1;
static int flood_errs;

static void enter(void)
{
    if (atomic_fetch_add(&in_handler, 1))
        atomic_fetch_add(&overlaps, 1);
}

static void leave(void) { atomic_fetch_sub(&in_handler, 1); }

static void quick_on_tick(struct ken_app *app, const struct ken_event *ev)
{
    (void)app;
    enter();
    const struct test_ev *t = test_ev_of(ev);
    if (t->a >= 0 && t->a < PRODUCERS) {
        if (t->b != last_seq[t->a] + 1)
            atomic_fetch_add(&out_of_order, 1);
        last_seq[t->a] = t->b;
    }
    long n = counter_get(&ticks);
    if (n < 8)
        tick_thread[n] = pthread_self();
    leave();
    counter_add(&ticks, 1);
}

/* Spins (it may not block) until the test releases it. */
static void quick_on_hold(struct ken_app *app, const struct ken_event *ev)
{
    (void)app;
    (void)ev;
    enter();
    counter_add(&holding, 1);
    while (!atomic_load(&release_hold))
        sched_yield();
    atomic_store(&hold_ended_at, atomic_fetch_add(&order_clock, 1) + 1);
    leave();
}

static void free_plain(struct ken_event *ev) { free(ev); }

static void quick_on_probe(struct ken_app *app, const struct ken_event *ev)
{
    (void)app;
    (void)ev;
    struct ken_ev_request *req = calloc(1, sizeof *req);
    ken_event_init(&req->ev, query_class.id, free_plain);
    req->dst = "plain";
    struct ken_event *rep = NULL;
    probe_err = ken_send_request(req, GUARD_MS, &rep);
    ken_event_unref(rep);
    counter_add(&ticks, 1);
}

/* Sends 20 events to plain, whose queue holds 4. */
static void quick_on_flood(struct ken_app *app, const struct ken_event *ev)
{
    (void)app;
    (void)ev;
    for (int i = 0; i < 20; i++)
        flood_errs += ken_send_event("plain", test_ev_new(tick_class.id, -1, i)) != 0;
    counter_add(&ticks, 1);
}

static int quick_start(struct ken_app *app)
{
    (void)app;
    return 0;
}

static void quick_stop(struct ken_app *app)
{
    (void)app;
    atomic_store(&stopped_at, atomic_fetch_add(&order_clock, 1) + 1);
}

static void quick_who(struct ken_app *app, const struct ken_event *ev);

static const struct ken_app_desc quick = {
    .name = "quick",
    .flags = KEN_APP_NONBLOCKING,
    .start = quick_start,
    .stop = quick_stop,
    .handlers = (const struct ken_handler[]){
        {"EventTick", 0, quick_on_tick},
        {"EventHold", 0, quick_on_hold},
        {"EventProbe", 0, quick_on_probe},
        {"EventFlood", 0, quick_on_flood},
        {"EventFence", 0, quick_who},
        {NULL, 0, NULL},
    },
};
KEN_APP_REGISTER(quick);

KEN_EV_CLASS_DEFINE(fence_class, "EventFence", ken_ev_base_class);
static struct counter fenced = COUNTER_INIT;

/* Records the app's own thread: a fence sent with inline runs off. */
static void quick_who(struct ken_app *app, const struct ken_event *ev)
{
    (void)app;
    (void)ev;
    quick_thread = pthread_self();
    counter_add(&fenced, 1);
}

/* A plain app: answers queries; its tick handler waits for the test. */
static struct counter plain_ticks = COUNTER_INIT;
static struct counter plain_go = COUNTER_INIT;

static void plain_on_query(struct ken_app *app, const struct ken_event *ev)
{
    (void)app;
    const struct ken_ev_request *req = KEN_EVENT_CONTAINER(ev, struct ken_ev_request, ev);
    struct ken_ev_reply *rep = ken_event_new(ken_ev_reply_base_class.id, sizeof *rep, NULL);
    ken_send_reply(req, &rep->ev);
}

static void plain_on_tick(struct ken_app *app, const struct ken_event *ev)
{
    (void)app;
    (void)ev;
    assert_true(counter_wait(&plain_go, 1));
    counter_add(&plain_ticks, 1);
}

static const struct ken_app_desc plain = {
    .name = "plain",
    .queue_len = 4,
    .handlers = (const struct ken_handler[]){
        {"EventQuery", 0, plain_on_query},
        {"EventTick", 0, plain_on_tick},
        {NULL, 0, NULL},
    },
};
KEN_APP_REGISTER(plain);

static void load(const char *name)
{
    char why[KEN_WHY_LEN];
    assert_int_equal(ken_app_load_one(name, why), 0);
}

/* Sends quick an event of class cls with nothing in it. */
static void poke(ken_ev_class_t cls)
{
    ken_send_event("quick", ken_event_new(cls, sizeof(struct ken_event), NULL));
}

static void reset(void)
{
    counter_set(&ticks, 0);
    counter_set(&holding, 0);
    counter_set(&fenced, 0);
    counter_set(&plain_ticks, 0);
    counter_set(&plain_go, 0);
    atomic_store(&release_hold, false);
    atomic_store(&overlaps, 0);
    atomic_store(&out_of_order, 0);
    atomic_store(&order_clock, 0);
    atomic_store(&hold_ended_at, 0);
    atomic_store(&stopped_at, 0);
    memset(last_seq, 0, sizeof last_seq);
    probe_err = -1;
    flood_errs = 0;
    ken_runtime_set_inline_handlers(true);
}

static int teardown(void **state)
{
    atomic_store(&release_hold, true);
    counter_set(&plain_go, 1);
    ken_runtime_set_inline_handlers(true);
    return runtime_teardown(state);
}

/* The app's own thread, learnt with inline runs off. */
static pthread_t own_thread(void)
{
    ken_runtime_set_inline_handlers(false);
    long n = counter_get(&fenced);
    poke(fence_class.id);
    assert_true(counter_wait(&fenced, n + 1));
    ken_runtime_set_inline_handlers(true);
    return quick_thread;
}

static void test_runs_on_sender_when_idle(void **state)
{
    (void)state;
    reset();
    load("quick");
    /* Idle and empty: the handler has run when the send returns. */
    assert_int_equal(ken_send_event("quick", test_ev_new(tick_class.id, -1, 0)), 0);
    assert_int_equal(counter_get(&ticks), 1);
    assert_true(pthread_equal(tick_thread[0], pthread_self()));
    struct ken_app_stats st;
    ken_app_get_stats(ken_app_lookup("quick"), &st);
    assert_int_equal(st.enqueued, 1);
    assert_int_equal(st.dispatched, 1);
    assert_int_equal(st.depth, 0);

    /* Turned off: the app's thread runs it. */
    pthread_t own = own_thread();
    assert_false(pthread_equal(own, pthread_self()));
    ken_runtime_set_inline_handlers(false);
    assert_int_equal(ken_send_event("quick", test_ev_new(tick_class.id, -1, 1)), 0);
    assert_true(counter_wait(&ticks, 2));
    assert_true(pthread_equal(tick_thread[1], own));
    ken_runtime_set_inline_handlers(true);
}

static void *send_hold(void *arg)
{
    (void)arg;
    poke(hold_class.id);
    return NULL;
}

static void test_queued_while_busy(void **state)
{
    (void)state;
    reset();
    load("quick");
    pthread_t own = own_thread();
    pthread_t holder;
    assert_int_equal(pthread_create(&holder, NULL, send_hold, NULL), 0);
    assert_true(counter_wait(&holding, 1));
    /* A handler runs (inline on the holder thread, or on the app's thread
     * if that was still finishing the fence): these wait in the queue. */
    for (long i = 1; i <= 5; i++)
        assert_int_equal(ken_send_event("quick", test_ev_new(tick_class.id, 0, i)), 0);
    assert_int_equal(counter_get(&ticks), 0);
    struct ken_app_stats st;
    ken_app_get_stats(ken_app_lookup("quick"), &st);
    assert_true(st.depth >= 5);

    atomic_store(&release_hold, true);
    pthread_join(holder, NULL);
    assert_true(counter_wait(&ticks, 5));
    for (int i = 0; i < 5; i++)
        assert_true(pthread_equal(tick_thread[i], own));
    assert_int_equal(last_seq[0], 5);
    assert_int_equal(atomic_load(&out_of_order), 0);
    assert_int_equal(atomic_load(&overlaps), 0);
}

static void *produce(void *arg)
{
    long id = (long)(intptr_t)arg;
    for (long i = 1; i <= TICKS; i++)
        ken_send_event("quick", test_ev_new(tick_class.id, id, i));
    return NULL;
}

static void test_order_and_one_at_a_time(void **state)
{
    (void)state;
    reset();
    load("quick");
    pthread_t t[PRODUCERS];
    for (long i = 0; i < PRODUCERS; i++)
        assert_int_equal(pthread_create(&t[i], NULL, produce, (void *)(intptr_t)i), 0);
    for (int i = 0; i < PRODUCERS; i++)
        pthread_join(t[i], NULL);
    assert_true(counter_wait(&ticks, PRODUCERS * TICKS));
    /* Each producer's events in its order, never two handlers at once. */
    assert_int_equal(atomic_load(&out_of_order), 0);
    assert_int_equal(atomic_load(&overlaps), 0);
    for (int i = 0; i < PRODUCERS; i++)
        assert_int_equal(last_seq[i], TICKS);
    /* The app's thread credits its batch after the handlers ran. */
    struct ken_app_stats st;
    for (int i = 0; i < GUARD_MS; i++) {
        ken_app_get_stats(ken_app_lookup("quick"), &st);
        if (st.dispatched >= PRODUCERS * TICKS)
            break;
        usleep(1000);
    }
    assert_int_equal(st.dispatched, PRODUCERS * TICKS);
    assert_int_equal(st.enqueued, PRODUCERS * TICKS);
}

static void *unload_quick(void *arg)
{
    (void)arg;
    ken_app_unload("quick", KEN_STOP_DRAIN);
    return NULL;
}

static void test_stop_waits_for_inline_handler(void **state)
{
    (void)state;
    reset();
    load("quick");
    pthread_t holder, stopper;
    assert_int_equal(pthread_create(&holder, NULL, send_hold, NULL), 0);
    assert_true(counter_wait(&holding, 1));
    assert_int_equal(pthread_create(&stopper, NULL, unload_quick, NULL), 0);
    /* The stop hook may not run while the handler does. */
    usleep(100 * 1000);
    assert_int_equal(atomic_load(&stopped_at), 0);
    atomic_store(&release_hold, true);
    pthread_join(holder, NULL);
    pthread_join(stopper, NULL);
    assert_true(atomic_load(&hold_ended_at) > 0);
    assert_true(atomic_load(&stopped_at) > atomic_load(&hold_ended_at));
}

static void test_no_requests(void **state)
{
    (void)state;
    reset();
    load("plain");
    load("quick");
    /* Inline on this thread, then on the app's thread: refused alike. */
    poke(probe_class.id);
    assert_true(counter_wait(&ticks, 1));
    assert_int_equal(probe_err, EDEADLK);
    probe_err = -1;
    ken_runtime_set_inline_handlers(false);
    poke(probe_class.id);
    assert_true(counter_wait(&ticks, 2));
    assert_int_equal(probe_err, EDEADLK);
    ken_runtime_set_inline_handlers(true);
}

static void test_sends_never_wait(void **state)
{
    (void)state;
    reset();
    load("plain");
    load("quick");
    /* plain's first tick waits for plain_go: its queue (4) fills up, and
     * quick's handler still sends all 20 without waiting. */
    poke(flood_class.id);
    assert_true(counter_wait(&ticks, 1));
    assert_int_equal(flood_errs, 0);
    struct ken_app_stats st;
    ken_app_get_stats(ken_app_lookup("plain"), &st);
    assert_true(st.depth > st.high_watermark);
    assert_true(st.backpressure >= 1);
    counter_set(&plain_go, 1);
    assert_true(counter_wait(&plain_ticks, 20));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_teardown(test_runs_on_sender_when_idle, teardown),
        cmocka_unit_test_teardown(test_queued_while_busy, teardown),
        cmocka_unit_test_teardown(test_order_and_one_at_a_time, teardown),
        cmocka_unit_test_teardown(test_stop_waits_for_inline_handler, teardown),
        cmocka_unit_test_teardown(test_no_requests, teardown),
        cmocka_unit_test_teardown(test_sends_never_wait, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
