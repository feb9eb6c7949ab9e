/* The monitoring counters count: a fake switch sends N packet-ins of a
 * known size and ken_datapath_get_counters says N and the bytes exactly
 * (read meanwhile from another thread: under ThreadSanitizer, no race);
 * what the controller sent in the handshake, by type; flow-mods sent from
 * several threads at once, each counted once; echo round trips;
 * OFPT_ERROR messages and refused messages; connections and connection
 * errors (ken_controller_get_counters); type names; and the runtime's
 * handler time (ken_app_stats.handler_ns) on an app's thread and inline.
 * Ports: 127.0.0.1, chosen by the kernel. */
#include <errno.h>
#include <pthread.h>
#include <setjmp.h>
#include <stdatomic.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include "fake_switch.h"
#include "ken/app.h"
#include "ken/controller.h"
#include "ken/datapath.h"
#include "ken/ofp_event.h"
#include "recorder.h"

/* OpenFlow 1.3 type numbers. */
enum {
    T_HELLO = 0,
    T_ERROR = 1,
    T_ECHO_REQUEST = 2,
    T_ECHO_REPLY = 3,
    T_FEATURES_REQUEST = 5,
    T_FEATURES_REPLY = 6,
    T_SET_CONFIG = 9,
    T_PACKET_IN = 10,
    T_FLOW_MOD = 14,
    T_MULTIPART_REQUEST = 18,
    T_MULTIPART_REPLY = 19,
    T_BARRIER_REQUEST = 20,
};

static const struct fsw_port two_ports[] = {
    {1, {0, 0, 0, 0, 0, 1}, "eth1", 0, 0},
    {2, {0, 0, 0, 0, 0, 2}, "eth2", 0, 0},
};

static int64_t now_ms(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (int64_t)t.tv_sec * 1000 + t.tv_nsec / 1000000;
}

static struct ken_controller *start(double echo_interval)
{
    struct ken_controller_options o;
    ken_controller_options_init(&o);
    o.listen_host = "127.0.0.1";
    o.tcp_port = 0;
    o.echo_request_interval = echo_interval;
    char why[KEN_CONTROLLER_WHY_LEN];
    struct ken_controller *c = ken_controller_start(&o, why);
    if (!c)
        fprintf(stderr, "controller: %s\n", why);
    assert_non_null(c);
    return c;
}

static bool main_dpid(const struct rec *r, const void *arg)
{
    return r->phase == KEN_PHASE_MAIN && r->dpid == *(const uint64_t *)arg;
}

/* A 1.3 switch through the handshake; its datapath (a reference). */
static struct ken_datapath *connect_switch(struct ken_controller *c, struct fsw *s, uint64_t dpid)
{
    size_t from = rec_mark();
    assert_int_equal(fsw_connect(s, "127.0.0.1", ken_controller_tcp_port(c), NULL), 0);
    s->version = KEN_OFP13;
    s->dpid = dpid;
    assert_int_equal(fsw_handshake(s, two_ports, 2), 0);
    struct rec r;
    assert_true(rec_wait("EventOFPStateChange", NULL, main_dpid, &dpid, &from, &r));
    return ken_datapath_ref(r.dp);
}

/* Waits (REC_WAIT_MS at most: a guard) until the counters satisfy ok. */
static bool counters_wait(struct ken_datapath *dp, bool (*ok)(const struct ken_datapath_counters *c, uint64_t arg),
                          uint64_t arg, struct ken_datapath_counters *out)
{
    int64_t until = now_ms() + REC_WAIT_MS;
    do {
        ken_datapath_get_counters(dp, out);
        if (ok(out, arg))
            return true;
        usleep(1000);
    } while (now_ms() < until);
    return false;
}

static bool rx_echo_reply(const struct ken_datapath_counters *c, uint64_t n) { return c->rx[T_ECHO_REPLY].msgs >= n; }

static bool rx_packet_ins(const struct ken_datapath_counters *c, uint64_t n) { return c->rx[T_PACKET_IN].msgs >= n; }

/* A reader on another thread while the I/O thread counts: the values only
 * grow (ThreadSanitizer checks there is no race). */
struct reader {
    struct ken_datapath *dp;
    _Atomic bool stop;
    bool monotonic;
    uint64_t reads;
};

static void *reader_main(void *arg)
{
    struct reader *r = arg;
    uint64_t last = 0, last_bytes = 0;
    r->monotonic = true;
    while (!atomic_load(&r->stop)) {
        struct ken_datapath_counters c;
        ken_datapath_get_counters(r->dp, &c);
        if (c.rx[T_PACKET_IN].msgs < last || c.rx[T_PACKET_IN].bytes < last_bytes)
            r->monotonic = false;
        last = c.rx[T_PACKET_IN].msgs;
        last_bytes = c.rx[T_PACKET_IN].bytes;
        r->reads++;
    }
    return NULL;
}

/* ---- tests ---- */

#define N_PACKET_INS 1000
#define FRAME_LEN 60
/* A 1.3 packet-in as fake_switch.c builds it: header 8, buffer id 4,
 * total_len 2, reason 1, table 1, cookie 8, match 16 (one OXM, padded),
 * pad 2, then the frame. */
#define PACKET_IN_LEN (42 + FRAME_LEN)

static void test_packet_ins_counted(void **state)
{
    (void)state;
    struct ken_controller *c = start(15);
    struct fsw s;
    struct ken_datapath *dp = connect_switch(c, &s, 0x901);

    /* The handshake, both ways. */
    struct ken_datapath_counters k;
    ken_datapath_get_counters(dp, &k);
    assert_int_equal(k.dpid, 0x901);
    assert_int_equal(k.version, KEN_OFP13);
    assert_int_equal(k.rx[T_HELLO].msgs, 1);
    assert_int_equal(k.rx[T_HELLO].bytes, 16); /* header and one bitmap element */
    assert_int_equal(k.rx[T_FEATURES_REPLY].msgs, 1);
    assert_int_equal(k.rx[T_FEATURES_REPLY].bytes, 32);
    assert_int_equal(k.rx[T_MULTIPART_REPLY].msgs, 1);
    assert_int_equal(k.rx[T_MULTIPART_REPLY].bytes, 16 + 2 * 64);
    assert_int_equal(k.rx[T_PACKET_IN].msgs, 0);
    assert_int_equal(k.tx[T_HELLO].msgs, 1);
    assert_int_equal(k.tx[T_FEATURES_REQUEST].msgs, 1);
    assert_int_equal(k.tx[T_FEATURES_REQUEST].bytes, 8);
    assert_int_equal(k.tx[T_MULTIPART_REQUEST].msgs, 1);
    assert_int_equal(k.tx[T_MULTIPART_REQUEST].bytes, 16);
    assert_int_equal(k.tx[T_SET_CONFIG].msgs, 1);
    assert_int_equal(k.tx[T_SET_CONFIG].bytes, 12);
    assert_int_equal(k.rx_errors, 0);
    assert_int_equal(k.bad_msgs, 0);
    assert_int_equal(k.echo_rtt_count, 0);

    struct reader r = {.dp = dp};
    pthread_t th;
    assert_int_equal(pthread_create(&th, NULL, reader_main, &r), 0);
    uint8_t frame[FRAME_LEN];
    for (int i = 0; i < FRAME_LEN; i++)
        frame[i] = (uint8_t)i;
    for (int i = 0; i < N_PACKET_INS; i++)
        assert_int_equal(fsw_send_packet_in(&s, (uint32_t)i + 1, 1, frame, sizeof frame), 0);
    assert_true(counters_wait(dp, rx_packet_ins, N_PACKET_INS, &k));
    atomic_store(&r.stop, true);
    pthread_join(th, NULL);
    assert_true(r.monotonic);
    assert_true(r.reads > 0);

    assert_int_equal(k.rx[T_PACKET_IN].msgs, N_PACKET_INS);
    assert_int_equal(k.rx[T_PACKET_IN].bytes, (uint64_t)N_PACKET_INS * PACKET_IN_LEN);
    /* Nothing else moved: no app answers, nothing was refused. */
    assert_int_equal(k.rx[T_HELLO].msgs, 1);
    assert_int_equal(k.tx[T_FLOW_MOD].msgs, 0);
    assert_int_equal(k.bad_msgs, 0);

    /* What an app sends is counted as sent, by type, with its bytes. */
    struct ken_flow_mod fm;
    ken_flow_mod_init(&fm);
    assert_int_equal(ken_datapath_send_flow_mod(dp, &fm), 0);
    assert_true(fsw_expect(&s, T_FLOW_MOD, FSW_TIMEOUT_MS) > 0);
    size_t fm_len = s.msg_len;
    ken_datapath_get_counters(dp, &k);
    assert_int_equal(k.tx[T_FLOW_MOD].msgs, 1);
    assert_int_equal(k.tx[T_FLOW_MOD].bytes, fm_len);

    /* Several messages in one send: each counted by its type. */
    uint8_t two[8 + 12] = {KEN_OFP13, T_BARRIER_REQUEST, 0, 8, 0, 0, 0, 0,
                           KEN_OFP13, T_ECHO_REQUEST, 0, 12, 0, 0, 0, 0, 'a', 'b', 'c', 'd'};
    assert_int_equal(ken_datapath_send_msg_new_xid(dp, two, sizeof two, NULL), 0);
    assert_true(fsw_expect(&s, T_BARRIER_REQUEST, FSW_TIMEOUT_MS) > 0);
    ken_datapath_get_counters(dp, &k);
    assert_int_equal(k.tx[T_BARRIER_REQUEST].msgs, 1);
    assert_int_equal(k.tx[T_BARRIER_REQUEST].bytes, 8);
    assert_int_equal(k.tx[T_ECHO_REQUEST].msgs, 1);
    assert_int_equal(k.tx[T_ECHO_REQUEST].bytes, 12);

    /* An echo reply that answers no echo request of the controller's (none
     * was sent: the interval is 15 s) is received, and no round trip. */
    uint8_t m[8] = {KEN_OFP13, T_ECHO_REPLY, 0, 8, 0x7f, 0, 0, 1};
    assert_int_equal(fsw_send(&s, m, 8), 0);
    assert_true(counters_wait(dp, rx_echo_reply, 1, &k));
    assert_int_equal(k.tx[T_ECHO_REQUEST].msgs, 1); /* ours above, not the controller's */
    assert_int_equal(k.echo_rtt_count, 0);
    assert_int_equal(k.echo_rtt_sum_ns, 0);

    /* A closed datapath keeps its last values. */
    fsw_close(&s);
    size_t from = 0;
    assert_true(rec_wait_state(dp, KEN_PHASE_DEAD, &from, NULL));
    ken_datapath_get_counters(dp, &k);
    assert_int_equal(k.rx[T_PACKET_IN].msgs, N_PACKET_INS);
    ken_datapath_unref(dp);
    ken_controller_stop(c);
}

/* Senders on several threads at once (tx is written by whoever holds the
 * outbound queue's lock): every flow-mod counted, none twice, while
 * another thread reads. */
#define SENDERS 3
#define SENDS_EACH 400

static void *sender_main(void *arg)
{
    struct ken_datapath *dp = arg;
    struct ken_flow_mod fm;
    ken_flow_mod_init(&fm);
    for (int i = 0; i < SENDS_EACH; i++)
        if (ken_datapath_send_flow_mod(dp, &fm))
            return (void *)1;
    return NULL;
}

static void test_concurrent_senders(void **state)
{
    (void)state;
    struct ken_controller *c = start(15);
    struct fsw s;
    struct ken_datapath *dp = connect_switch(c, &s, 0x905);
    struct reader r = {.dp = dp};
    pthread_t rd, th[SENDERS];
    assert_int_equal(pthread_create(&rd, NULL, reader_main, &r), 0);
    for (int i = 0; i < SENDERS; i++)
        assert_int_equal(pthread_create(&th[i], NULL, sender_main, dp), 0);
    for (int i = 0; i < SENDERS; i++) {
        void *rc;
        pthread_join(th[i], &rc);
        assert_null(rc);
    }
    size_t got = 0, len = 0;
    while (got < SENDERS * SENDS_EACH && fsw_expect(&s, T_FLOW_MOD, FSW_TIMEOUT_MS) > 0) {
        len = s.msg_len;
        got++;
    }
    atomic_store(&r.stop, true);
    pthread_join(rd, NULL);
    assert_int_equal(got, SENDERS * SENDS_EACH);
    struct ken_datapath_counters k;
    ken_datapath_get_counters(dp, &k);
    assert_int_equal(k.tx[T_FLOW_MOD].msgs, SENDERS * SENDS_EACH);
    assert_int_equal(k.tx[T_FLOW_MOD].bytes, (uint64_t)SENDERS * SENDS_EACH * len);
    fsw_close(&s);
    ken_datapath_unref(dp);
    ken_controller_stop(c);
}

static bool echo_measured(const struct ken_datapath_counters *c, uint64_t n) { return c->echo_rtt_count >= n; }

/* The controller's echo requests every 20 ms, answered by the switch (as
 * fsw_recv does on the way): round trips measured, the last and the sum. */
static void test_echo_rtt(void **state)
{
    (void)state;
    struct ken_controller *c = start(0.02);
    struct fsw s;
    int64_t t0 = now_ms();
    struct ken_datapath *dp = connect_switch(c, &s, 0x902);
    struct ken_datapath_counters k;
    int64_t until = now_ms() + REC_WAIT_MS;
    do {
        fsw_recv(&s, 20); /* answers the echo requests that come */
        ken_datapath_get_counters(dp, &k);
    } while (!echo_measured(&k, 3) && now_ms() < until);
    int64_t elapsed_ms = now_ms() - t0;
    assert_true(k.echo_rtt_count >= 3);
    assert_true(k.echo_rtt_last_ns > 0);
    assert_true(k.echo_rtt_sum_ns >= k.echo_rtt_last_ns);
    assert_true(k.echo_rtt_sum_ns <= (uint64_t)elapsed_ms * 1000000u);
    assert_true(k.tx[T_ECHO_REQUEST].msgs >= k.echo_rtt_count);
    assert_true(k.rx[T_ECHO_REPLY].msgs >= k.echo_rtt_count);
    assert_int_equal(k.tx[T_ECHO_REQUEST].bytes, 8 * k.tx[T_ECHO_REQUEST].msgs);

    fsw_close(&s);
    ken_datapath_unref(dp);
    ken_controller_stop(c);
}

static bool errors_in(const struct ken_datapath_counters *c, uint64_t n) { return c->rx_errors + c->bad_msgs >= n; }

static bool conn_errors_at_least(uint64_t n)
{
    int64_t until = now_ms() + REC_WAIT_MS;
    struct ken_controller_counters cc;
    do {
        ken_controller_get_counters(&cc);
        if (cc.connection_errors >= n)
            return true;
        usleep(1000);
    } while (now_ms() < until);
    return false;
}

/* An OFPT_ERROR from the switch, and a message the controller refuses (a
 * flow-mod is the controller's to send); then connections: one closed by
 * the switch (no error), one closed for a framing error (an error). */
static void test_errors(void **state)
{
    (void)state;
    struct ken_controller_counters before, after;
    ken_controller_get_counters(&before);
    struct ken_controller *c = start(15);
    struct fsw s;
    struct ken_datapath *dp = connect_switch(c, &s, 0x903);
    uint8_t err[16] = {KEN_OFP13, T_ERROR, 0, 16, 0, 0, 0, 9, 0, 1, 0, 2, 1, 2, 3, 4};
    assert_int_equal(fsw_send(&s, err, sizeof err), 0);
    uint8_t fm[8] = {KEN_OFP13, T_FLOW_MOD, 0, 8, 0, 0, 0, 10};
    assert_int_equal(fsw_send(&s, fm, sizeof fm), 0);
    struct ken_datapath_counters k;
    assert_true(counters_wait(dp, errors_in, 2, &k));
    assert_int_equal(k.rx_errors, 1);
    assert_int_equal(k.rx[T_ERROR].msgs, 1);
    assert_int_equal(k.rx[T_ERROR].bytes, 16);
    assert_int_equal(k.bad_msgs, 1);
    assert_int_equal(k.rx[T_FLOW_MOD].msgs, 1); /* counted as received all the same */
    /* The refusal is an error message sent. */
    assert_true(fsw_expect(&s, T_ERROR, FSW_TIMEOUT_MS) > 0);
    ken_datapath_get_counters(dp, &k);
    assert_int_equal(k.tx[T_ERROR].msgs, 1);

    /* Closed by the switch: no connection error. */
    fsw_close(&s);
    size_t from = 0;
    assert_true(rec_wait_state(dp, KEN_PHASE_DEAD, &from, NULL));
    ken_datapath_unref(dp);
    ken_controller_get_counters(&after);
    assert_int_equal(after.connections, before.connections + 1);
    assert_int_equal(after.connection_errors, before.connection_errors);

    /* A framing error: the controller closes, an error. */
    dp = connect_switch(c, &s, 0x904);
    uint8_t bad[8] = {KEN_OFP13, T_ECHO_REQUEST, 0, 4, 0, 0, 0, 1};
    assert_int_equal(fsw_send(&s, bad, sizeof bad), 0);
    assert_true(fsw_wait_closed(&s, FSW_TIMEOUT_MS));
    assert_true(conn_errors_at_least(before.connection_errors + 1));
    ken_controller_get_counters(&after);
    assert_int_equal(after.connections, before.connections + 2);
    assert_int_equal(after.connection_errors, before.connection_errors + 1);
    fsw_close(&s);
    ken_datapath_unref(dp);
    ken_controller_stop(c);
}

static void test_type_names(void **state)
{
    (void)state;
    assert_string_equal(ken_ofp_type_name(KEN_OFP13, 10), "PACKET_IN");
    assert_string_equal(ken_ofp_type_name(KEN_OFP10, 10), "PACKET_IN");
    assert_string_equal(ken_ofp_type_name(KEN_OFP10, 17), "MULTIPART_REPLY"); /* 1.0's STATS_REPLY */
    assert_string_equal(ken_ofp_type_name(KEN_OFP13, 17), "TABLE_MOD");
    assert_string_equal(ken_ofp_type_name(KEN_OFP13, 0), "HELLO");
    assert_string_equal(ken_ofp_type_name(KEN_OFP15, 35), "CONTROLLER_STATUS");
    assert_null(ken_ofp_type_name(KEN_OFP10, 30));
    assert_null(ken_ofp_type_name(KEN_OFP13, 200));
    assert_null(ken_ofp_type_name(9, 0));
}

/* ---- handler time ---- */

KEN_EV_CLASS_DEFINE(ev_work_class, "EventCountersWork", ken_ev_base_class);

struct ev_work {
    struct ken_event ev;
    unsigned ms;
};

static uint64_t now_ns(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (uint64_t)t.tv_sec * 1000000000u + (uint64_t)t.tv_nsec;
}

/* Busy, not asleep: the time is the handler's either way, and this way
 * the test says so whatever the scheduler does. */
static void busy_ms(unsigned ms)
{
    uint64_t until = now_ns() + ms * 1000000ull;
    while (now_ns() < until)
        ;
}

static void on_work(struct ken_app *app, const struct ken_event *ev)
{
    (void)app;
    busy_ms(((const struct ev_work *)ev)->ms);
}

static const struct ken_handler work_handlers[] = {{"EventCountersWork", 0, on_work}, {NULL, 0, NULL}};
static const struct ken_app_desc worker_threaded = {.name = "ctr_worker", .handlers = work_handlers};
static const struct ken_app_desc worker_inline = {
    .name = "ctr_inline", .handlers = work_handlers, .flags = KEN_APP_NONBLOCKING};
KEN_APP_REGISTER(worker_threaded)
KEN_APP_REGISTER(worker_inline)

static void send_work(const char *app, unsigned ms)
{
    struct ev_work *w = ken_event_new(ev_work_class.id, sizeof *w, NULL);
    w->ms = ms;
    assert_int_equal(ken_send_event(app, &w->ev), 0);
}

static void wait_handled(const char *name, uint64_t n, struct ken_app_stats *st)
{
    int64_t until = now_ms() + REC_WAIT_MS;
    do {
        ken_app_get_stats(ken_app_lookup(name), st);
        if (st->dispatched >= n && st->depth == 0)
            return;
        usleep(1000);
    } while (now_ms() < until);
    fail_msg("%s handled %llu events, not %llu", name, (unsigned long long)st->dispatched, (unsigned long long)n);
}

static void test_handler_time(void **state)
{
    (void)state;
    static const char *const names[] = {"ctr_worker", "ctr_inline"};
    char why[KEN_WHY_LEN];
    assert_int_equal(ken_app_load(names, 2, why), 0);
    struct ken_app *list[64];
    size_t n = ken_app_list(list, 64);
    bool seen[2] = {false, false};
    for (size_t i = 0; i < n && i < 64; i++)
        for (int k = 0; k < 2; k++)
            seen[k] |= !strcmp(ken_app_name(list[i]), names[k]);
    assert_true(seen[0] && seen[1]);
    assert_int_equal(ken_app_list(NULL, 0), n);

    struct ken_app_stats st;
    ken_app_get_stats(ken_app_lookup("ctr_worker"), &st);
    assert_int_equal(st.handler_ns, 0);
    /* On the app's thread: three events of 20 ms. */
    for (int i = 0; i < 3; i++)
        send_work("ctr_worker", 20);
    wait_handled("ctr_worker", 3, &st);
    assert_true(st.handler_ns >= 60000000u);
    assert_true(st.handler_ns < 60000000u + 2000000000u); /* not the idle time around them */

    /* Inline on this thread (the app is idle): 15 ms, counted before the
     * send returns. */
    ken_app_get_stats(ken_app_lookup("ctr_inline"), &st);
    uint64_t before = st.handler_ns;
    send_work("ctr_inline", 15);
    ken_app_get_stats(ken_app_lookup("ctr_inline"), &st);
    assert_true(st.handler_ns - before >= 15000000u);
    assert_int_equal(ken_app_unload("ctr_worker", KEN_STOP_DRAIN), 0);
    assert_int_equal(ken_app_unload("ctr_inline", KEN_STOP_DRAIN), 0);
}

static int setup(void **state)
{
    (void)state;
    rec_reset();
    return 0;
}

int main(void)
{
    rec_load();
    if (getenv("TEST_FILTER"))
        cmocka_set_test_filter(getenv("TEST_FILTER"));
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_packet_ins_counted, setup, setup),
        cmocka_unit_test_setup_teardown(test_concurrent_senders, setup, setup),
        cmocka_unit_test_setup_teardown(test_echo_rtt, setup, setup),
        cmocka_unit_test_setup_teardown(test_errors, setup, setup),
        cmocka_unit_test(test_type_names),
        cmocka_unit_test(test_handler_time),
    };
    int failed = cmocka_run_group_tests(tests, NULL, NULL);
    rec_reset();
    ken_runtime_shutdown();
    return failed;
}
