/* ken_app_flush: a handler that calls it has the work queued for the end
 * of its batch (the controller's writes) done at once, and only once; on
 * a thread that is not an app's, there is nothing to do. */
#include "helpers.h"
#include "runtime/runtime.h"

KEN_EV_CLASS_DEFINE(flush_probe_class, "EventFlushProbe", ken_ev_base_class);

static struct counter hook_runs = COUNTER_INIT;
static struct counter handled = COUNTER_INIT;
static long runs_before_flush = -1, runs_after_flush = -1;

static void count_run(struct ken_batch_hook *hook)
{
    (void)hook;
    counter_add(&hook_runs, 1);
}

static struct ken_batch_hook hook = {NULL, count_run};

static void on_probe(struct ken_app *app, const struct ken_event *ev)
{
    (void)app;
    (void)ev;
    ken_batch_hook_add(&hook);  /* as a datapath send does */
    runs_before_flush = counter_get(&hook_runs);
    ken_app_flush();
    runs_after_flush = counter_get(&hook_runs);
    counter_add(&handled, 1);
}

static const struct ken_app_desc flusher = {
    .name = "flusher",
    .handlers = (const struct ken_handler[]){
        {"EventFlushProbe", 0, on_probe},
        {NULL, 0, NULL},
    },
};
KEN_APP_REGISTER(flusher);

static void test_flush_runs_the_batch_work_now(void **state)
{
    (void)state;
    char why[KEN_WHY_LEN];
    assert_int_equal(ken_app_load_one("flusher", why), 0);
    assert_int_equal(ken_send_event("flusher", ken_event_new(flush_probe_class.id, sizeof(struct ken_event), NULL)), 0);
    assert_true(counter_wait(&handled, 1));
    assert_int_equal(ken_app_unload("flusher", KEN_STOP_DRAIN), 0);
    assert_int_equal(runs_before_flush, 0);  /* queued for the batch's end */
    assert_int_equal(runs_after_flush, 1);   /* run by the flush */
    assert_int_equal(counter_get(&hook_runs), 1); /* and not again at the batch's end */
}

static void test_flush_elsewhere_does_nothing(void **state)
{
    (void)state;
    long before = counter_get(&hook_runs);
    ken_app_flush();
    assert_int_equal(counter_get(&hook_runs), before);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_teardown(test_flush_runs_the_batch_work_now, runtime_teardown),
        cmocka_unit_test_teardown(test_flush_elsewhere_does_nothing, runtime_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
