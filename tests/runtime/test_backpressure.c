/* Backpressure: a handler blocks; the I/O-style sender (never blocking)
 * learns the queue is over its high watermark, a sender that can wait
 * waits, the drain callback fires once the queue falls below its low
 * watermark, and nothing is lost. Stopping with discard counts what it
 * drops. The condition is logged: the first episode in full, the next
 * ones in a periodic summary. */
#include "helpers.h"
#include "runtime/runtime.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ken/log.h"

KEN_EV_CLASS_DEFINE(work_class, "EventWork", ken_ev_base_class);

#define HIGH 16

static struct counter entered = COUNTER_INIT;   /* handler calls begun */
static struct counter gate = COUNTER_INIT;      /* calls allowed to finish */
static struct counter handled = COUNTER_INIT;
static struct counter drains = COUNTER_INIT;
static struct counter freed = COUNTER_INIT;

static void slow_on_work(struct ken_app *app, const struct ken_event *ev)
{
    (void)app;
    (void)ev;
    long n = counter_get(&entered) + 1;
    counter_add(&entered, 1);
    assert_true(counter_wait(&gate, n));
    counter_add(&handled, 1);
}

static const struct ken_app_desc slow = {
    .name = "slow",
    .queue_len = HIGH,
    .handlers = (const struct ken_handler[]){{"EventWork", 0, slow_on_work}, {NULL, 0, NULL}},
};
KEN_APP_REGISTER(slow);

static struct ken_app *drained_app;
static void on_drain(struct ken_app *app, void *arg)
{
    assert_ptr_equal(arg, &drains);
    drained_app = app;
    counter_add(&drains, 1);
}

static void count_free(struct ken_event *ev)
{
    (void)ev;
    counter_add(&freed, 1);
}

static struct ken_event *work(void) { return ken_event_new(work_class.id, sizeof(struct ken_event), count_free); }

static void reset(void)
{
    counter_set(&entered, 0);
    counter_set(&gate, 0);
    counter_set(&handled, 0);
    counter_set(&drains, 0);
    counter_set(&freed, 0);
    ken_runtime_set_drain_callback(on_drain, &drains);
    char why[KEN_WHY_LEN];
    assert_int_equal(ken_app_load_one("slow", why), 0);
}

static void *blocking_sender(void *arg)
{
    for (int i = 0; i < 5; i++)
        assert_int_equal(ken_app_send(arg, work(), KEN_PHASE_ANY), 0);
    return NULL;
}

static void wait_blocked_sends(struct ken_app *app, uint64_t n)
{
    struct ken_app_stats st;
    do {
        sched_yield();
        ken_app_get_stats(app, &st);
    } while (st.blocked_sends < n);
}

static void test_watermarks_and_drain(void **state)
{
    (void)state;
    char log_path[] = "/tmp/ken-runtime-bp-XXXXXX";
    int fd = mkstemp(log_path);
    assert_true(fd >= 0);
    close(fd);
    assert_int_equal(ken_log_open_file(log_path), 0);

    reset();
    struct ken_app *app = ken_app_lookup("slow");
    struct ken_event *ev = work();
    assert_false(ken_post_events_to_observers(&ev, 1, KEN_PHASE_ANY));
    assert_true(counter_wait(&entered, 1));          /* the handler holds event 1 */

    /* Depth counts the held event: the 16th event reaches the mark. */
    int posted = 1;
    bool throttle = false;
    while (!throttle) {
        ev = work();
        throttle = ken_post_events_to_observers(&ev, 1, KEN_PHASE_ANY);
        posted++;
    }
    assert_int_equal(posted, HIGH);
    assert_int_equal(ken_runtime_congested(), 1);
    /* The I/O thread may still have a few decoded events: they are queued. */
    for (int i = 0; i < 10; i++) {
        bool t = false;
        assert_int_equal(ken_app_post(app, work(), KEN_PHASE_ANY, &t), 0);
        assert_true(t);
        posted++;
    }

    /* A sender that can wait waits. */
    pthread_t sender;
    pthread_create(&sender, NULL, blocking_sender, app);
    wait_blocked_sends(app, 1);
    assert_int_equal(counter_get(&drains), 0);

    counter_add(&gate, 1000);                        /* the handler goes on */
    pthread_join(sender, NULL);
    assert_true(counter_wait(&handled, posted + 5));
    assert_true(counter_wait(&drains, 1));
    assert_ptr_equal(drained_app, app);

    ken_runtime_stop_all(KEN_STOP_DRAIN);
    assert_int_equal(ken_runtime_congested(), 0);
    struct ken_app_stats st;
    ken_app_get_stats(app, &st);
    assert_int_equal(st.enqueued, posted + 5);
    assert_int_equal(st.dispatched, posted + 5);
    assert_int_equal(st.discarded, 0);
    assert_int_equal(st.backpressure, counter_get(&drains));
    assert_true(st.blocked_sends >= 1);
    assert_int_equal(st.max_depth, posted);
    assert_int_equal(counter_get(&freed), posted + 5);

    ken_log_use_stderr();
    FILE *f = fopen(log_path, "r");
    char text[4096] = "";
    size_t n = fread(text, 1, sizeof text - 1, f);
    text[n] = '\0';
    fclose(f);
    unlink(log_path);
    assert_non_null(strstr(text, "WARNING runtime: app slow: queue at its high watermark (16 events)"));
    assert_non_null(strstr(text, "app slow: queue drained below 4 events"));
}

static void *unload_discard(void *arg)
{
    (void)arg;
    assert_int_equal(ken_app_unload("slow", KEN_STOP_DISCARD), 0);
    return NULL;
}

/* Stopping with discard: the held event finishes, the queued ones are
 * dropped, counted and freed; later sends are refused and counted. */
static void test_stop_discard_accounting(void **state)
{
    (void)state;
    reset();
    struct ken_app *app = ken_app_lookup("slow");
    assert_int_equal(ken_app_send(app, work(), KEN_PHASE_ANY), 0);
    assert_true(counter_wait(&entered, 1));
    for (int i = 0; i < 10; i++)
        assert_int_equal(ken_app_send(app, work(), KEN_PHASE_ANY), 0);
    pthread_t t;
    pthread_create(&t, NULL, unload_discard, NULL);
    while (ken_app_running(app))
        sched_yield();
    assert_int_equal(ken_app_send(app, work(), KEN_PHASE_ANY), ESRCH);
    counter_add(&gate, 1000);
    pthread_join(t, NULL);

    struct ken_app_stats st;
    ken_app_get_stats(app, &st);
    assert_int_equal(st.enqueued, 11);
    assert_int_equal(st.dispatched, 1);
    assert_int_equal(st.discarded, 10);
    assert_int_equal(st.depth, 0);
    assert_int_equal(counter_get(&handled), 1);
    assert_int_equal(counter_get(&freed), 11 + 1);
}

static const char *read_log(const char *path)
{
    static char text[64 * 1024];
    FILE *f = fopen(path, "r");
    assert_non_null(f);
    size_t n = fread(text, 1, sizeof text - 1, f);
    text[n] = '\0';
    fclose(f);
    return text;
}

/* The episodes the summary lines starting with subject count. */
static long summarised(const char *text, const char *subject, int *lines)
{
    long total = 0;
    *lines = 0;
    for (const char *p = text; (p = strstr(p, subject)); p += strlen(subject)) {
        const char *after = p + strlen(subject);
        long n = 1;
        if (strncmp(after, " once in the last ", 18))
            assert_int_equal(sscanf(after, " %ld times in the last ", &n), 1);
        total += n;
        ++*lines;
    }
    return total;
}

static size_t count(const char *text, const char *needle)
{
    size_t n = 0;
    for (const char *p = text; (p = strstr(p, needle)); p += strlen(needle))
        n++;
    return n;
}

#define HIGH_AGAIN "WARNING runtime: app slow: queue reached its high watermark again"
#define DRAIN_AGAIN "INFO runtime: app slow: queue drained below its low watermark again"

/* A queue that fills up and drains ten times: the first episode is logged
 * in full, the other nine are counted, and the log thread summarises them
 * within a summary interval (1 s here) though no episode follows. */
static void test_repeated_episodes_summarised(void **state)
{
    (void)state;
    ken_log_repeat_flush();
    uint32_t interval = ken_log_get_summary_interval();
    ken_log_set_summary_interval(1000);
    char log_path[] = "/tmp/ken-runtime-bp-XXXXXX";
    int fd = mkstemp(log_path);
    assert_true(fd >= 0);
    close(fd);
    assert_int_equal(ken_log_open_file(log_path), 0);

    reset();
    enum { EPISODES = 10 };
    long posted = 0;
    for (int k = 1; k <= EPISODES; k++) {
        bool throttle = false;
        while (!throttle) {
            struct ken_event *ev = work();
            throttle = ken_post_events_to_observers(&ev, 1, KEN_PHASE_ANY);
            posted++;
        }
        counter_add(&gate, posted - counter_get(&gate)); /* all of them may finish */
        assert_true(counter_wait(&handled, posted));
        assert_true(counter_wait(&drains, k));
    }
    /* No episode after the last: the summaries come all the same. */
    const char *text;
    int high_lines = 0, drain_lines = 0;
    for (int i = 0; i < 1000; i++) {
        text = read_log(log_path);
        if (summarised(text, HIGH_AGAIN, &high_lines) == EPISODES - 1 &&
            summarised(text, DRAIN_AGAIN, &drain_lines) == EPISODES - 1)
            break;
        usleep(10000);
    }
    if (summarised(text, HIGH_AGAIN, &high_lines) != EPISODES - 1 ||
        summarised(text, DRAIN_AGAIN, &drain_lines) != EPISODES - 1)
        fail_msg("want %d episodes summarised within 10 s:\n%s", EPISODES - 1, text);
    assert_true(high_lines >= 1 && high_lines <= 2 && drain_lines >= 1 && drain_lines <= 2);
    assert_int_equal(count(text, "WARNING runtime: app slow: queue at its high watermark (16 events); senders held back"),
                     1);
    assert_int_equal(count(text, "app slow: queue drained below 4 events"), 1);
    assert_non_null(strstr(text, " times in the last 1 s (16 events)\n"));
    assert_null(strstr(text, "suppressed"));
    ken_runtime_stop_all(KEN_STOP_DRAIN);
    ken_log_use_stderr();
    unlink(log_path);
    ken_log_set_summary_interval(interval);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_teardown(test_watermarks_and_drain, runtime_teardown),
        cmocka_unit_test_teardown(test_stop_discard_accounting, runtime_teardown),
        cmocka_unit_test_teardown(test_repeated_episodes_summarised, runtime_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
