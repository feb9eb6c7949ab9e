/* Queues: FIFO order per sender under concurrency (single sends, batches
 * and non-blocking posts into a small queue), the queue's own accounting,
 * and event memory handed between threads. */
#include "helpers.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>

#include "runtime/lock.h"
#include "runtime/queue.h"
#include "runtime/runtime.h"

KEN_EV_CLASS_DEFINE(fifo_class, "EventFifo", ken_ev_base_class);

#define PRODUCERS 4
#define PER_PRODUCER 20000

static struct counter fifo_seen = COUNTER_INIT;
static long fifo_last[PRODUCERS + 1];
static long fifo_disorder;

static void fifo_on_event(struct ken_app *app, const struct ken_event *ev)
{
    (void)app;
    const struct test_ev *e = test_ev_of(ev);
    if (e->a != fifo_last[e->b] + 1)
        fifo_disorder++;
    fifo_last[e->b] = e->a;
    counter_add(&fifo_seen, 1);
}

static const struct ken_app_desc fifo_sink = {
    .name = "fifo_sink",
    .queue_len = 64,
    .handlers = (const struct ken_handler[]){{"EventFifo", 0, fifo_on_event}, {NULL, 0, NULL}},
};
KEN_APP_REGISTER(fifo_sink);

/* Producer p sends its numbers 1..PER_PRODUCER in one of three ways. */
static void *fifo_producer(void *arg)
{
    long p = (long)(intptr_t)arg;
    struct ken_app *sink = ken_app_lookup("fifo_sink");
    long next = 1;
    while (next <= PER_PRODUCER) {
        struct ken_event *batch[37];
        size_t n = 0;
        while (n < 1 + (size_t)(next % 37) && next <= PER_PRODUCER)
            batch[n++] = test_ev_new(fifo_class.id, next++, p);
        if (p == 0) {
            for (size_t i = 0; i < n; i++)
                assert_int_equal(ken_app_send(sink, batch[i], KEN_PHASE_ANY), 0);
        } else if (p == PRODUCERS) {
            ken_post_events_to_observers(batch, n, KEN_PHASE_ANY);  /* never blocks */
        } else {
            ken_send_events_to_observers(batch, n, KEN_PHASE_ANY);
        }
    }
    return NULL;
}

static void test_fifo_under_concurrency(void **state)
{
    (void)state;
    char why[KEN_WHY_LEN];
    assert_int_equal(ken_app_load_one("fifo_sink", why), 0);
    pthread_t t[PRODUCERS + 1];
    for (long p = 0; p <= PRODUCERS; p++)
        assert_int_equal(pthread_create(&t[p], NULL, fifo_producer, (void *)(intptr_t)p), 0);
    for (int p = 0; p <= PRODUCERS; p++)
        pthread_join(t[p], NULL);
    long total = (PRODUCERS + 1) * (long)PER_PRODUCER;
    assert_true(counter_wait(&fifo_seen, total));
    assert_int_equal(fifo_disorder, 0);
    for (int p = 0; p <= PRODUCERS; p++)
        assert_int_equal(fifo_last[p], PER_PRODUCER);

    ken_runtime_stop_all(KEN_STOP_DRAIN);
    struct ken_app_stats st;
    ken_app_get_stats(ken_app_lookup("fifo_sink"), &st);
    assert_int_equal(st.enqueued, total);
    assert_int_equal(st.dispatched, total);
    assert_int_equal(st.discarded, 0);
    assert_int_equal(st.depth, 0);
    assert_true(st.max_depth >= 1);
    assert_int_equal(st.high_watermark, 64);
    assert_int_equal(st.low_watermark, 16);
}

/* The queue alone: order, watermarks, the drain signal, closing. */
static void test_queue_watermarks(void **state)
{
    (void)state;
    struct app_queue q;
    assert_int_equal(queue_init(&q, 8), 0);
    struct qent e[12];
    for (int i = 0; i < 12; i++)
        e[i] = (struct qent){(struct ken_event *)test_ev_new(KEN_EV_BASE, i, 0), 0};

    struct queue_push_result r = queue_push(&q, e, 7, false);
    assert_int_equal(r.accepted, 7);
    assert_false(r.over_high);
    r = queue_push(&q, e + 7, 3, false);   /* past the high watermark without waiting */
    assert_int_equal(r.accepted, 3);
    assert_true(r.over_high);
    assert_true(r.new_episode);
    r = queue_push(&q, e + 10, 1, false);
    assert_true(r.over_high);
    assert_false(r.new_episode);           /* the same episode */

    struct qent *batch;
    bool discard;
    assert_int_equal(queue_take(&q, &batch, &discard), 11);
    assert_false(discard);
    for (int i = 0; i < 11; i++)
        assert_int_equal(test_ev_of(batch[i].ev)->a, i);
    for (int i = 0; i < 11; i++)
        ken_event_unref(batch[i].ev);
    assert_false(queue_done(&q, 9, false));  /* depth 2: not below the low watermark (2) */
    assert_true(queue_done(&q, 1, false));   /* depth 1 < 2: the drain signal, once */
    assert_false(queue_done(&q, 1, false));

    /* Closed: refuses (counted), and the consumer ends once empty. */
    queue_close(&q, false);
    r = queue_push(&q, e + 11, 1, true);
    assert_int_equal(r.accepted, 0);
    ken_event_unref(e[11].ev);
    assert_int_equal(queue_take(&q, &batch, &discard), 0);
    assert_int_equal(q.enqueued, 11);
    assert_int_equal(q.dispatched, 11);
    assert_int_equal(q.discarded, 1);
    assert_int_equal(q.backpressure, 1);
    assert_int_equal(q.max_depth, 11);
    queue_destroy(&q);
}

/* Events made on one thread and freed on another, with a payload fini. */
static struct counter fini_calls = COUNTER_INIT;
static void count_fini(struct ken_event *ev)
{
    (void)ev;
    counter_add(&fini_calls, 1);
}

#define HANDOFF 50000
static struct ken_event *handoff[HANDOFF];

static void *free_all(void *arg)
{
    (void)arg;
    for (int i = 0; i < HANDOFF; i++)
        ken_event_unref(handoff[i]);
    return NULL;
}

static void test_event_memory_across_threads(void **state)
{
    (void)state;
    for (int round = 0; round < 3; round++) {
        for (int i = 0; i < HANDOFF; i++) {
            size_t size = sizeof(struct ken_event) + (size_t)(i % 700);
            handoff[i] = ken_event_new(KEN_EV_BASE, size, count_fini);
            assert_non_null(handoff[i]);
            assert_int_equal(__atomic_load_n(&handoff[i]->refs, __ATOMIC_RELAXED), 1);
            if (size > sizeof(struct ken_event))
                ((unsigned char *)handoff[i])[size - 1] = 0xab;  /* the whole size is ours */
        }
        ken_event_ref(handoff[0]);
        pthread_t t;
        pthread_create(&t, NULL, free_all, NULL);
        pthread_join(t, NULL);
        assert_int_equal(counter_get(&fini_calls), (round + 1) * (long)HANDOFF - 1);
        ken_event_unref(handoff[0]);
    }
    assert_int_equal(counter_get(&fini_calls), 3 * (long)HANDOFF);
}

/* struct ken_lite_mutex (the outbound queues' lock): threads that take it
 * far more often than it is free, so that its futex path runs too, lose
 * no update of what it guards. */
#define LITE_THREADS 4
#define LITE_ROUNDS 50000

static struct ken_lite_mutex lite_lock;
static long lite_value;

static void *lite_worker(void *arg)
{
    (void)arg;
    for (int i = 0; i < LITE_ROUNDS; i++) {
        ken_lite_mutex_lock(&lite_lock);
        long v = lite_value;
        if (i % 1024 == 0)
            sched_yield(); /* held across a yield: the others wait on the futex */
        lite_value = v + 1;
        ken_lite_mutex_unlock(&lite_lock);
    }
    return NULL;
}

static void test_lite_mutex(void **state)
{
    (void)state;
    ken_lite_mutex_init(&lite_lock);
    pthread_t t[LITE_THREADS];
    for (int i = 0; i < LITE_THREADS; i++)
        assert_int_equal(pthread_create(&t[i], NULL, lite_worker, NULL), 0);
    for (int i = 0; i < LITE_THREADS; i++)
        pthread_join(t[i], NULL);
    assert_int_equal(lite_value, (long)LITE_THREADS * LITE_ROUNDS);
    assert_int_equal(atomic_load(&lite_lock.state), 0);
}

/* ken_lite_cond: producers and consumers through a one-slot buffer, so
 * nearly every put and take waits and is woken: one of each (a lost
 * wake-up leaves both asleep: the test hangs and meson's timeout fails
 * it), then three of each (a wrong hand-over breaks the sums). */
enum { COND_MAX = 3, COND_ITEMS = 100000 };
static int cond_producers, cond_consumers;
static struct ken_lite_mutex cond_lock;
static struct ken_lite_cond cond_full, cond_empty;
static bool slot_used;
static long slot, taken_sum, taken_n;
static int consumers_waiting, producers_waiting;

static void *cond_producer(void *arg)
{
    long base = (long)(intptr_t)arg * COND_ITEMS;
    for (long i = 1; i <= COND_ITEMS; i++) {
        ken_lite_mutex_lock(&cond_lock);
        while (slot_used) {
            producers_waiting++;
            ken_lite_cond_wait(&cond_empty, &cond_lock);
            producers_waiting--;
        }
        slot_used = true;
        slot = base + i;
        bool wake = consumers_waiting > 0;
        ken_lite_mutex_unlock(&cond_lock);
        if (wake) /* after the unlock, as the app queue signals */
            ken_lite_cond_signal(&cond_full);
    }
    return NULL;
}

static void *cond_consumer(void *arg)
{
    (void)arg;
    for (;;) {
        ken_lite_mutex_lock(&cond_lock);
        while (!slot_used && taken_n < (long)cond_producers * COND_ITEMS) {
            consumers_waiting++;
            ken_lite_cond_wait(&cond_full, &cond_lock);
            consumers_waiting--;
        }
        if (taken_n == (long)cond_producers * COND_ITEMS) {
            ken_lite_mutex_unlock(&cond_lock);
            ken_lite_cond_broadcast(&cond_full); /* the other consumers see the end */
            return NULL;
        }
        slot_used = false;
        taken_sum += slot;
        taken_n++;
        bool wake = producers_waiting > 0;
        ken_lite_mutex_unlock(&cond_lock);
        if (wake)
            ken_lite_cond_broadcast(&cond_empty);
    }
}

static void lite_cond_run(int producers, int consumers)
{
    cond_producers = producers;
    cond_consumers = consumers;
    slot_used = false;
    taken_sum = taken_n = 0;
    ken_lite_mutex_init(&cond_lock);
    pthread_t p[COND_MAX], c[COND_MAX];
    for (int i = 0; i < consumers; i++)
        assert_int_equal(pthread_create(&c[i], NULL, cond_consumer, NULL), 0);
    for (int i = 0; i < producers; i++)
        assert_int_equal(pthread_create(&p[i], NULL, cond_producer, (void *)(intptr_t)i), 0);
    for (int i = 0; i < producers; i++)
        pthread_join(p[i], NULL);
    for (int i = 0; i < consumers; i++)
        pthread_join(c[i], NULL);
    assert_int_equal(taken_n, (long)producers * COND_ITEMS);
    /* producer k put k*ITEMS+1 .. k*ITEMS+ITEMS */
    long want = 0;
    for (long k = 0; k < producers; k++)
        want += k * COND_ITEMS * COND_ITEMS + (long)COND_ITEMS * (COND_ITEMS + 1) / 2;
    assert_int_equal(taken_sum, want);
    assert_int_equal(atomic_load(&cond_lock.state), 0);
}

static void test_lite_cond(void **state)
{
    (void)state;
    lite_cond_run(1, 1);
    lite_cond_run(COND_MAX, COND_MAX);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_teardown(test_fifo_under_concurrency, runtime_teardown),
        cmocka_unit_test(test_queue_watermarks),
        cmocka_unit_test_teardown(test_event_memory_across_threads, runtime_teardown),
        cmocka_unit_test(test_lite_mutex),
        cmocka_unit_test(test_lite_cond),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
