/* Requests and replies: success (from a plain thread and from an app),
 * timeout, a late reply, the target app vanishing, the bound datapath
 * vanishing, and the refusals (no handler, self-request, no app). */
#include "helpers.h"
#include "runtime/request.h"

#include <string.h>

KEN_EV_CLASS_DEFINE(ask_class, "EventAsk", ken_ev_request_base_class);
KEN_EV_CLASS_DEFINE(answer_class, "EventAnswer", ken_ev_reply_base_class);
KEN_EV_CLASS_DEFINE(unheard_class, "EventUnheard", ken_ev_request_base_class);
KEN_EV_CLASS_DEFINE(go_class, "EventGo", ken_ev_base_class);

/* ASK_HOLD waits for the test's release, then answers when value >= 0. */
enum ask_kind { ASK_DOUBLE = 1, ASK_IGNORE, ASK_HOLD, ASK_SELF };

struct ask {
    struct ken_ev_request req;
    enum ask_kind kind;
    long value;
};

struct answer {
    struct ken_ev_reply rep;
    long value;
};

static struct counter held = COUNTER_INIT;      /* ASK_HOLD requests being held */
static struct counter release = COUNTER_INIT;   /* how many of them may go on */
static struct counter late_enoent = COUNTER_INIT;
static int self_request_err;
static char seen_src[32];

static void free_plain(struct ken_event *ev) { free(ev); }

static struct ask *ask_new(enum ask_kind kind, long value, const void *dp)
{
    struct ask *a = calloc(1, sizeof *a);
    ken_event_init(&a->req.ev, ask_class.id, free_plain);
    a->req.dst = "oracle";
    a->req.dp = dp;
    a->kind = kind;
    a->value = value;
    return a;
}

static int answer(const struct ken_ev_request *req, long value)
{
    struct answer *r = ken_event_new(answer_class.id, sizeof *r, NULL);
    r->rep.dst = req->src;
    r->value = value;
    return ken_send_reply(req, &r->rep.ev);
}

static void oracle_on_ask(struct ken_app *app, const struct ken_event *ev)
{
    (void)app;
    const struct ask *a = KEN_EVENT_CONTAINER(ev, struct ask, req.ev);
    snprintf(seen_src, sizeof seen_src, "%s", a->req.src ? a->req.src : "(none)");
    switch (a->kind) {
    case ASK_DOUBLE:
        assert_int_equal(answer(&a->req, a->value * 2), 0);
        break;
    case ASK_IGNORE:
        break;
    case ASK_HOLD: {
        long n = counter_get(&held) + 1;
        counter_add(&held, 1);
        assert_true(counter_wait(&release, n));
        if (a->value >= 0 && answer(&a->req, a->value) == ENOENT)
            counter_add(&late_enoent, 1);
        break;
    }
    case ASK_SELF: {
        struct ken_event *rep;
        self_request_err = ken_send_request(&ask_new(ASK_DOUBLE, 1, NULL)->req, 1000, &rep);
        assert_int_equal(answer(&a->req, 0), 0);
        break;
    }
    }
}

static const struct ken_app_desc oracle = {
    .name = "oracle",
    .handlers = (const struct ken_handler[]){{"EventAsk", 0, oracle_on_ask}, {NULL, 0, NULL}},
};
KEN_APP_REGISTER(oracle);

/* An app that asks the oracle from its own thread. */
static struct counter asker_done = COUNTER_INIT;
static long asker_value;

static void asker_on_go(struct ken_app *app, const struct ken_event *ev)
{
    (void)app;
    (void)ev;
    struct ken_event *rep;
    assert_int_equal(ken_send_request(&ask_new(ASK_DOUBLE, 21, NULL)->req, GUARD_MS, &rep), 0);
    asker_value = KEN_EVENT_CONTAINER(rep, struct answer, rep.ev)->value;
    ken_event_unref(rep);
    counter_add(&asker_done, 1);
}

static const struct ken_app_desc asker = {
    .name = "asker",
    .required_apps = (const char *const[]){"oracle", NULL},
    .handlers = (const struct ken_handler[]){{"EventGo", 0, asker_on_go}, {NULL, 0, NULL}},
};
KEN_APP_REGISTER(asker);

static void load(const char *name)
{
    char why[KEN_WHY_LEN];
    assert_int_equal(ken_app_load_one(name, why), 0);
}

static void test_request_reply(void **state)
{
    (void)state;
    load("oracle");
    struct ken_event *rep = NULL;
    assert_int_equal(ken_send_request(&ask_new(ASK_DOUBLE, 5, NULL)->req, GUARD_MS, &rep), 0);
    assert_non_null(rep);
    assert_true(ken_event_is_a(rep, KEN_EV_REPLY_BASE));
    assert_int_equal(KEN_EVENT_CONTAINER(rep, struct answer, rep.ev)->value, 10);
    assert_string_equal(seen_src, "(none)");
    ken_event_unref(rep);

    load("asker");
    ken_send_event("asker", ken_event_new(go_class.id, sizeof(struct ken_event), NULL));
    assert_true(counter_wait(&asker_done, 1));
    assert_int_equal(asker_value, 42);
    assert_string_equal(seen_src, "asker");
}

static void test_timeout_and_late_reply(void **state)
{
    (void)state;
    load("oracle");
    struct ken_event *rep = (struct ken_event *)&rep;
    assert_int_equal(ken_send_request(&ask_new(ASK_IGNORE, 0, NULL)->req, 10, &rep), ETIMEDOUT);
    assert_null(rep);

    /* The oracle holds the request until the requester has given up. */
    counter_set(&held, 0);
    counter_set(&release, 0);
    long before = counter_get(&late_enoent);
    assert_int_equal(ken_send_request(&ask_new(ASK_HOLD, 7, NULL)->req, 10, &rep), ETIMEDOUT);
    counter_add(&release, 1);
    assert_true(counter_wait(&late_enoent, before + 1));   /* the late reply is released */
}

struct pending {
    struct ask *ask;
    int timeout_ms;
    int err;
    struct ken_event *rep;
};

static void *request_thread(void *arg)
{
    struct pending *p = arg;
    p->err = ken_send_request(&p->ask->req, p->timeout_ms, &p->rep);
    return NULL;
}

static void *unload_thread(void *arg)
{
    (void)arg;
    assert_int_equal(ken_app_unload("oracle", KEN_STOP_DISCARD), 0);
    return NULL;
}

/* The oracle stops while a request waits for it and another sits in its
 * queue: both fail with ESRCH (no timeout involved: they wait forever
 * otherwise). */
static void test_target_app_vanishes(void **state)
{
    (void)state;
    load("oracle");
    counter_set(&held, 0);
    counter_set(&release, 0);
    struct pending held_req = {ask_new(ASK_HOLD, -1, NULL), -1, 0, NULL};  /* held, never answered */
    struct pending queued_req = {ask_new(ASK_DOUBLE, 1, NULL), -1, 0, NULL};
    pthread_t t1, t2, u;
    pthread_create(&t1, NULL, request_thread, &held_req);
    assert_true(counter_wait(&held, 1));
    pthread_create(&t2, NULL, request_thread, &queued_req);
    /* queued_req is in the queue once the oracle's depth reaches 2. */
    struct ken_app_stats st;
    do {
        ken_app_get_stats(ken_app_lookup("oracle"), &st);
    } while (st.enqueued < 2);
    pthread_create(&u, NULL, unload_thread, NULL);
    while (ken_app_running(ken_app_lookup("oracle")))
        sched_yield();
    counter_add(&release, 1);   /* the held handler ends; the thread stops */
    pthread_join(u, NULL);
    pthread_join(t1, NULL);
    pthread_join(t2, NULL);
    assert_int_equal(held_req.err, ESRCH);
    assert_int_equal(queued_req.err, ESRCH);
    assert_null(held_req.rep);
    ken_app_get_stats(ken_app_lookup("oracle"), &st);
    assert_int_equal(st.discarded, 1);

    /* A stopped app refuses at once. */
    struct ken_event *rep;
    assert_int_equal(ken_send_request(&ask_new(ASK_DOUBLE, 1, NULL)->req, -1, &rep), ESRCH);
}

/* The switch a request is about disconnects: the requester is freed at
 * once with ENOTCONN; requests about other switches are untouched. */
static void test_datapath_vanishes(void **state)
{
    (void)state;
    static int dp_gone, dp_other;
    load("oracle");
    counter_set(&held, 0);
    counter_set(&release, 0);
    long before = counter_get(&late_enoent);
    struct pending gone = {ask_new(ASK_HOLD, 1, &dp_gone), -1, 0, NULL};
    struct pending other = {ask_new(ASK_DOUBLE, 4, &dp_other), -1, 0, NULL};
    pthread_t t1, t2;
    pthread_create(&t1, NULL, request_thread, &gone);
    assert_true(counter_wait(&held, 1));
    ken_runtime_datapath_gone(&dp_gone);
    pthread_join(t1, NULL);
    assert_int_equal(gone.err, ENOTCONN);

    pthread_create(&t2, NULL, request_thread, &other);
    counter_add(&release, 1);
    assert_true(counter_wait(&late_enoent, before + 1));  /* the answer to the gone one is released */
    pthread_join(t2, NULL);
    assert_int_equal(other.err, 0);
    assert_int_equal(KEN_EVENT_CONTAINER(other.rep, struct answer, rep.ev)->value, 8);
    ken_event_unref(other.rep);
}

static void test_refusals(void **state)
{
    (void)state;
    struct ken_event *rep;
    assert_int_equal(ken_send_request(&ask_new(ASK_DOUBLE, 1, NULL)->req, -1, &rep), ESRCH);  /* not loaded */
    load("oracle");
    struct ask *a = ask_new(ASK_DOUBLE, 1, NULL);
    a->req.ev.cls = unheard_class.id;
    assert_int_equal(ken_send_request(&a->req, -1, &rep), ENOSYS);
    a = ask_new(ASK_DOUBLE, 1, NULL);
    a->req.dst = "nobody";
    assert_int_equal(ken_send_request(&a->req, -1, &rep), ESRCH);

    assert_int_equal(ken_send_request(&ask_new(ASK_SELF, 0, NULL)->req, GUARD_MS, &rep), 0);
    ken_event_unref(rep);
    assert_int_equal(self_request_err, EDEADLK);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_teardown(test_request_reply, runtime_teardown),
        cmocka_unit_test_teardown(test_timeout_and_late_reply, runtime_teardown),
        cmocka_unit_test_teardown(test_target_app_vanishes, runtime_teardown),
        cmocka_unit_test_teardown(test_datapath_vanishes, runtime_teardown),
        cmocka_unit_test_teardown(test_refusals, runtime_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
