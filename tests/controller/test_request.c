/* Request and reply against the fake switch: ken_datapath_request from app
 * threads, matched by xid (echo, a multipart reply in parts, an error, two
 * requests answered in reverse order, a reply that does not decode),
 * timeouts, a switch leaving during the wait, an awaitable barrier, the
 * EDEADLK rule, and the xid rule of the raw sends (0 is sent as 0); the
 * typed forms: a request built with OS-Ken's defaults, its multipart reply
 * joined and decoded, and an event's message read through its accessor by
 * two apps at once (decoded once).
 * Ports: 127.0.0.1, chosen by the kernel. */
#include <errno.h>
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>

#include "fake_switch.h"
#include "ken/app.h"
#include "ken/controller.h"
#include "ken/ofp_event.h"
#include "recorder.h"

/* OpenFlow 1.3 message types the tests build by hand. */
enum {
    T_ERROR = 1,
    T_ECHO_REQUEST = 2,
    T_ECHO_REPLY = 3,
    T_MULTIPART_REQUEST = 18,
    T_MULTIPART_REPLY = 19,
    T_BARRIER_REQUEST = 20,
    T_BARRIER_REPLY = 21,
};
#define MP_PORT_DESC 13

static const struct fsw_port two_ports[] = {
    {1, {0, 0, 0, 0, 0, 1}, "eth1", 0, 0},
    {2, {0, 0, 0, 0, 0, 2}, "eth2", 0, 0},
};

static void put16(uint8_t *p, uint16_t v)
{
    p[0] = (uint8_t)(v >> 8);
    p[1] = (uint8_t)v;
}

static void put32(uint8_t *p, uint32_t v)
{
    put16(p, (uint16_t)(v >> 16));
    put16(p + 2, (uint16_t)v);
}

static uint32_t get32(const uint8_t *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

/* A header of version 1.3; returns the length. */
static size_t header(uint8_t *m, uint8_t type, size_t len, uint32_t xid)
{
    m[0] = KEN_OFP13;
    m[1] = type;
    put16(m + 2, (uint16_t)len);
    put32(m + 4, xid);
    return len;
}

static size_t echo(uint8_t *m, uint8_t type, uint32_t xid, const char *data)
{
    size_t n = strlen(data);
    memcpy(m + 8, data, n);
    return header(m, type, 8 + n, xid);
}

/* ---- the controller and a switch ---- */

static struct ken_controller *start(void)
{
    struct ken_controller_options o;
    ken_controller_options_init(&o);
    o.listen_host = "127.0.0.1";
    o.tcp_port = 0;
    char why[KEN_CONTROLLER_WHY_LEN];
    struct ken_controller *c = ken_controller_start(&o, why);
    if (!c)
        fprintf(stderr, "controller: %s\n", why);
    assert_non_null(c);
    return c;
}

static bool state_main_dpid(const struct rec *r, const void *arg)
{
    return r->phase == KEN_PHASE_MAIN && r->dpid == *(const uint64_t *)arg;
}

/* A 1.3 switch through the handshake; its datapath (a reference). The
 * switch answers nothing on its own: each test answers. */
static struct ken_datapath *connect_switch(struct ken_controller *c, struct fsw *s, uint64_t dpid)
{
    size_t from = rec_mark();
    assert_int_equal(fsw_connect(s, "127.0.0.1", ken_controller_tcp_port(c), NULL), 0);
    s->version = KEN_OFP13;
    s->dpid = dpid;
    assert_int_equal(fsw_handshake(s, two_ports, 2), 0);
    s->answer_echo = false;
    struct rec r;
    assert_true(rec_wait("EventOFPStateChange", NULL, state_main_dpid, &dpid, &from, &r));
    return ken_datapath_ref(r.dp);
}

static void end_test(struct ken_controller *c, struct fsw *s, struct ken_datapath *dp)
{
    fsw_close(s);
    ken_datapath_unref(dp);
    ken_controller_stop(c);
}

/* ---- jobs: requests made by app threads ---- */

enum job_kind { JOB_REQUEST, JOB_BARRIER, JOB_TYPED_PORT_DESC };

struct job {
    struct ken_datapath *dp;
    enum job_kind kind;
    uint8_t msg[64];
    size_t len;
    int timeout_ms;
    /* results, under job_lock */
    bool done;
    int err;
    struct ken_ofp_reply *reply;
};

static pthread_mutex_t job_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t job_cond = PTHREAD_COND_INITIALIZER;

KEN_EV_CLASS_DEFINE(ev_job_class, "EventRequestTestJob", ken_ev_base_class);

struct ev_job {
    struct ken_event ev;
    struct job *job;
};

static void on_job(struct ken_app *app, const struct ken_event *ev)
{
    (void)app;
    struct job *j = ((const struct ev_job *)ev)->job;
    struct ken_ofp_reply *reply = NULL;
    int err;
    if (j->kind == JOB_BARRIER) {
        err = ken_datapath_barrier_wait(j->dp, j->timeout_ms);
    } else if (j->kind == JOB_TYPED_PORT_DESC) {
        /* built as an app does: the negotiated version's defaults */
        struct ken_ofp_port_desc_stats_request req;
        ken_ofp_port_desc_stats_request_init(&req, ken_datapath_version(j->dp));
        err = ken_datapath_request_ofp(j->dp, KEN_OFP_PORT_DESC_STATS_REQUEST, &req, j->timeout_ms, &reply);
    } else {
        err = ken_datapath_request(j->dp, j->msg, j->len, j->timeout_ms, &reply);
    }
    pthread_mutex_lock(&job_lock);
    j->err = err;
    j->reply = reply;
    j->done = true;
    pthread_cond_broadcast(&job_cond);
    pthread_mutex_unlock(&job_lock);
}

static const struct ken_handler job_handlers[] = {
    {"EventRequestTestJob", 0, on_job},
    {NULL, 0, NULL},
};

/* Two ordinary apps (each its own thread) and a non-blocking one. */
static const struct ken_app_desc req_app_a = {.name = "req_app_a", .handlers = job_handlers};
static const struct ken_app_desc req_app_b = {.name = "req_app_b", .handlers = job_handlers};
static const struct ken_app_desc req_inline = {
    .name = "req_inline", .handlers = job_handlers, .flags = KEN_APP_NONBLOCKING};
KEN_APP_REGISTER(req_app_a)
KEN_APP_REGISTER(req_app_b)
KEN_APP_REGISTER(req_inline)

/* Hands j to the app; it runs j on its thread. */
static void job_start(const char *app, struct job *j)
{
    j->done = false;
    struct ev_job *e = ken_event_new(ev_job_class.id, sizeof *e, NULL);
    e->job = j;
    assert_int_equal(ken_send_event(app, &e->ev), 0);
}

static void deadline_after(struct timespec *t, int ms)
{
    clock_gettime(CLOCK_REALTIME, t);
    t->tv_sec += ms / 1000;
    t->tv_nsec += (long)(ms % 1000) * 1000000L;
    if (t->tv_nsec >= 1000000000L) {
        t->tv_sec++;
        t->tv_nsec -= 1000000000L;
    }
}

/* Waits for j (REC_WAIT_MS is only a guard); false when it never ended. */
static bool job_wait(struct job *j)
{
    struct timespec until;
    deadline_after(&until, REC_WAIT_MS);
    pthread_mutex_lock(&job_lock);
    int rc = 0;
    while (!j->done && rc != ETIMEDOUT)
        rc = pthread_cond_timedwait(&job_cond, &job_lock, &until);
    bool done = j->done;
    pthread_mutex_unlock(&job_lock);
    return done;
}

static bool job_done(struct job *j)
{
    pthread_mutex_lock(&job_lock);
    bool done = j->done;
    pthread_mutex_unlock(&job_lock);
    return done;
}

static void job_request(struct job *j, struct ken_datapath *dp, const uint8_t *msg, size_t len, int timeout_ms)
{
    memset(j, 0, sizeof *j);
    j->dp = dp;
    j->kind = JOB_REQUEST;
    memcpy(j->msg, msg, len);
    j->len = len;
    j->timeout_ms = timeout_ms;
}

static int64_t now_ms(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (int64_t)t.tv_sec * 1000 + t.tv_nsec / 1000000;
}

static bool xid_is(const struct rec *r, const void *arg) { return r->xid == *(const uint32_t *)arg; }

/* ---- tests ---- */

static void test_echo_round_trip(void **state)
{
    (void)state;
    struct ken_controller *c = start();
    struct fsw s;
    struct ken_datapath *dp = connect_switch(c, &s, 0x801);
    uint8_t m[64];
    struct job j;
    /* The request's own xid is replaced by a fresh one. */
    job_request(&j, dp, m, echo(m, T_ECHO_REQUEST, 0, "ping"), 5000);
    size_t from = rec_mark();
    job_start("req_app_a", &j);

    assert_true(fsw_expect(&s, T_ECHO_REQUEST, FSW_TIMEOUT_MS) > 0);
    uint32_t xid = fsw_msg_xid(&s);
    assert_int_not_equal(xid, 0);
    assert_memory_equal(s.msg + 8, "ping", 4);
    assert_false(job_done(&j)); /* only the reply completes it */
    assert_int_equal(fsw_send(&s, m, echo(m, T_ECHO_REPLY, xid, "pong")), 0);

    assert_true(job_wait(&j));
    assert_int_equal(j.err, 0);
    assert_non_null(j.reply);
    assert_int_equal(j.reply->n, 1);
    const struct ken_ofp_msg *r = j.reply->msgs[0];
    assert_int_equal(r->type, T_ECHO_REPLY);
    assert_int_equal(r->xid, xid);
    assert_int_equal(r->len, 12);
    assert_memory_equal(r->data + 8, "pong", 4);
    assert_ptr_equal(r->datapath, dp);
    ken_ofp_reply_free(j.reply);
    /* The reply was an event for the apps as well. */
    struct rec ev;
    assert_true(rec_wait("EventOFPEchoReply", dp, xid_is, &xid, &from, &ev));
    end_test(c, &s, dp);
}

/* A port-desc reply part holding one port, port_no. */
static size_t port_desc_part(uint8_t *m, uint32_t xid, bool more, uint32_t port_no)
{
    memset(m, 0, 80);
    put16(m + 8, MP_PORT_DESC);
    put16(m + 10, more ? 1 : 0);
    uint8_t *p = m + 16;
    put32(p, port_no);
    p[8 + 5] = (uint8_t)port_no; /* hw_addr */
    snprintf((char *)p + 16, 16, "p%u", port_no);
    return header(m, T_MULTIPART_REPLY, 16 + 64, xid);
}

/* An app thread asks for the port descriptions (a multipart request) and
 * waits; returns the xid the switch saw on the request. */
static uint32_t port_desc_request_started(struct job *j, struct ken_datapath *dp, uint8_t m[80], struct fsw *s)
{
    memset(m, 0, 80);
    put16(m + 8, MP_PORT_DESC);
    job_request(j, dp, m, header(m, T_MULTIPART_REQUEST, 16, 0), 5000);
    job_start("req_app_a", j);
    assert_true(fsw_expect(s, T_MULTIPART_REQUEST, FSW_TIMEOUT_MS) > 0);
    return fsw_msg_xid(s);
}

static void test_multipart_in_parts(void **state)
{
    (void)state;
    struct ken_controller *c = start();
    struct fsw s;
    struct ken_datapath *dp = connect_switch(c, &s, 0x802);
    uint8_t m[80];
    struct job j;
    uint32_t xid = port_desc_request_started(&j, dp, m, &s);
    assert_int_not_equal(xid, 0);
    assert_int_equal(fsw_send(&s, m, port_desc_part(m, xid, true, 11)), 0);
    assert_int_equal(fsw_send(&s, m, port_desc_part(m, xid, true, 12)), 0);
    /* Between the parts, a message of another xid changes nothing. */
    assert_int_equal(fsw_send(&s, m, echo(m, T_ECHO_REPLY, xid + 1, "x")), 0);
    size_t from = rec_mark();
    assert_int_equal(fsw_send(&s, m, port_desc_part(m, xid, false, 13)), 0);
    assert_true(job_wait(&j));
    assert_int_equal(j.err, 0);
    assert_non_null(j.reply);
    assert_int_equal(j.reply->n, 3);
    for (uint32_t i = 0; i < 3; i++) {
        const struct ken_ofp_msg *r = j.reply->msgs[i];
        assert_int_equal(r->type, T_MULTIPART_REPLY);
        assert_int_equal(r->xid, xid);
        assert_int_equal(get32(r->data + 16), 11 + i);
    }
    ken_ofp_reply_free(j.reply);
    struct rec ev;
    assert_true(rec_wait("EventOFPPortDescStatsReply", dp, xid_is, &xid, &from, &ev));
    end_test(c, &s, dp);
}

/* The typed request: its bytes are OS-Ken's port-desc request, and the
 * reply's three parts decode as one struct with the three ports. */
static void test_typed_request_whole_reply(void **state)
{
    (void)state;
    struct ken_controller *c = start();
    struct fsw s;
    struct ken_datapath *dp = connect_switch(c, &s, 0x80a);
    uint8_t m[80];
    struct job j;
    memset(&j, 0, sizeof j);
    j.dp = dp;
    j.kind = JOB_TYPED_PORT_DESC;
    j.timeout_ms = 5000;
    job_start("req_app_a", &j);
    assert_true(fsw_expect(&s, T_MULTIPART_REQUEST, FSW_TIMEOUT_MS) > 0);
    uint32_t xid = fsw_msg_xid(&s);
    assert_int_equal(s.msg_len, 16); /* header, type 13, flags 0, pad */
    assert_int_equal(s.msg[8] << 8 | s.msg[9], MP_PORT_DESC);
    for (uint32_t i = 0; i < 3; i++)
        assert_int_equal(fsw_send(&s, m, port_desc_part(m, xid, i < 2, 21 + i)), 0);
    assert_true(job_wait(&j));
    assert_int_equal(j.err, 0);
    assert_int_equal(j.reply->n, 3);

    struct ken_arena a = KEN_ARENA_INIT;
    enum ken_ofp_class cls;
    void *out;
    char why[KEN_WHY_LEN];
    assert_int_equal(ken_ofp_reply_decode(j.reply, &a, &cls, &out, why), 0);
    assert_int_equal(cls, KEN_OFP_PORT_DESC_STATS_REPLY);
    const struct ken_ofp_port_desc_stats_reply *r = out;
    assert_int_equal(r->n_body, 3);
    for (uint32_t i = 0; i < 3; i++) {
        char name[8];
        snprintf(name, sizeof name, "p%u", 21 + i);
        assert_int_equal(r->body[i].port_no, 21 + i);
        assert_string_equal(r->body[i].name, name);
        assert_int_equal(r->body[i].hw_addr[5], 21 + i);
    }
    ken_arena_free(&a);
    ken_ofp_reply_free(j.reply);
    end_test(c, &s, dp);
}

/* ---- an event's typed message, read by two apps at once ---- */

struct seen_flow_removed {
    const struct ken_ofp_flow_removed *msg; /* what the accessor gave */
    uint64_t cookie, packet_count;
    uint16_t priority;
    bool other_class_null; /* another class's accessor gave NULL */
    bool done;
};
static struct seen_flow_removed seen_a, seen_b;

static void on_flow_removed(struct seen_flow_removed *seen, const struct ken_event *ev)
{
    const struct ken_ofp_flow_removed *m = ken_ev_ofp_flow_removed(ev);
    bool other_null = ken_ev_ofp_port_status(ev) == NULL && ken_ev_ofp_flow_stats_reply(ev) == NULL;
    pthread_mutex_lock(&job_lock);
    seen->msg = m;
    if (m) {
        seen->cookie = m->cookie;
        seen->packet_count = m->packet_count;
        seen->priority = m->priority;
    }
    seen->other_class_null = other_null;
    seen->done = true;
    pthread_cond_broadcast(&job_cond);
    pthread_mutex_unlock(&job_lock);
}

static void on_flow_removed_a(struct ken_app *app, const struct ken_event *ev)
{
    (void)app;
    on_flow_removed(&seen_a, ev);
}

static void on_flow_removed_b(struct ken_app *app, const struct ken_event *ev)
{
    (void)app;
    on_flow_removed(&seen_b, ev);
}

static const struct ken_app_desc typed_app_a = {
    .name = "typed_app_a",
    .handlers = (const struct ken_handler[]){{KEN_EV_OFP_FLOW_REMOVED, KEN_PHASE_MAIN, on_flow_removed_a},
                                             {NULL, 0, NULL}}};
static const struct ken_app_desc typed_app_b = {
    .name = "typed_app_b",
    .handlers = (const struct ken_handler[]){{KEN_EV_OFP_FLOW_REMOVED, KEN_PHASE_MAIN, on_flow_removed_b},
                                             {NULL, 0, NULL}}};
KEN_APP_REGISTER(typed_app_a)
KEN_APP_REGISTER(typed_app_b)

static bool both_seen(void)
{
    struct timespec until;
    deadline_after(&until, REC_WAIT_MS);
    pthread_mutex_lock(&job_lock);
    int rc = 0;
    while (!(seen_a.done && seen_b.done) && rc != ETIMEDOUT)
        rc = pthread_cond_timedwait(&job_cond, &job_lock, &until);
    bool done = seen_a.done && seen_b.done;
    pthread_mutex_unlock(&job_lock);
    return done;
}

static void test_typed_event_accessor(void **state)
{
    (void)state;
    struct ken_controller *c = start();
    struct fsw s;
    struct ken_datapath *dp = connect_switch(c, &s, 0x80b);
    /* A 1.3 flow-removed, encoded by the typed codec as a switch would send it. */
    struct ken_ofp_flow_removed fr;
    assert_int_equal(ken_ofp_flow_removed_init(&fr, KEN_OFP13), 0);
    fr.cookie = 0x1234;
    fr.priority = 7;
    fr.reason = 1;
    fr.packet_count = 42;
    assert_int_equal(ken_match_add_u32(&fr.match, KEN_OXM_IN_PORT, 3), 0);
    struct ken_buf b = KEN_BUF_INIT;
    char why[KEN_WHY_LEN];
    assert_int_equal(ken_ofp_encode(&b, KEN_OFP13, 0, KEN_OFP_FLOW_REMOVED, &fr, why), 0);
    assert_int_equal(fsw_send(&s, b.data, b.len), 0);
    ken_buf_free(&b);
    assert_true(both_seen());
    pthread_mutex_lock(&job_lock);
    assert_non_null(seen_a.msg);
    assert_ptr_equal(seen_a.msg, seen_b.msg); /* decoded once, shared */
    assert_int_equal(seen_a.cookie, 0x1234);
    assert_int_equal(seen_a.priority, 7);
    assert_int_equal(seen_a.packet_count, 42);
    assert_true(seen_a.other_class_null && seen_b.other_class_null);
    pthread_mutex_unlock(&job_lock);
    end_test(c, &s, dp);
}

static void test_error_reply(void **state)
{
    (void)state;
    struct ken_controller *c = start();
    struct fsw s;
    struct ken_datapath *dp = connect_switch(c, &s, 0x803);
    uint8_t m[64];
    struct job j;
    job_request(&j, dp, m, echo(m, T_ECHO_REQUEST, 0, "ping"), 5000);
    job_start("req_app_a", &j);

    assert_true(fsw_expect(&s, T_ECHO_REQUEST, FSW_TIMEOUT_MS) > 0);
    uint32_t xid = fsw_msg_xid(&s);
    /* BAD_REQUEST/BAD_TYPE with the request's start. */
    put16(m + 8, 1);
    put16(m + 10, 1);
    memcpy(m + 12, s.msg, 12);
    assert_int_equal(fsw_send(&s, m, header(m, T_ERROR, 24, xid)), 0);
    assert_true(job_wait(&j));
    assert_int_equal(j.err, EREMOTEIO);
    assert_non_null(j.reply);
    assert_int_equal(j.reply->n, 1);
    assert_int_equal(j.reply->msgs[0]->type, T_ERROR);
    assert_int_equal(j.reply->msgs[0]->xid, xid);
    assert_string_equal(j.reply->msgs[0]->cls, "OFPErrorMsg");
    ken_ofp_reply_free(j.reply);
    end_test(c, &s, dp);
}

static void test_bad_reply(void **state)
{
    (void)state;
    struct ken_controller *c = start();
    struct fsw s;
    struct ken_datapath *dp = connect_switch(c, &s, 0x80a);
    uint8_t m[80];
    struct job j;
    uint32_t xid = port_desc_request_started(&j, dp, m, &s);
    /* A good first part, then one whose body is not whole ports. */
    assert_int_equal(fsw_send(&s, m, port_desc_part(m, xid, true, 11)), 0);
    port_desc_part(m, xid, false, 12);
    assert_int_equal(fsw_send(&s, m, header(m, T_MULTIPART_REPLY, 16 + 10, xid)), 0);
    assert_true(job_wait(&j));
    assert_int_equal(j.err, EBADMSG);
    assert_null(j.reply);
    /* The switch got its error reply, and the connection lives. */
    assert_true(fsw_expect(&s, T_ERROR, FSW_TIMEOUT_MS) > 0);
    assert_int_equal(fsw_msg_xid(&s), xid);
    assert_true(ken_datapath_is_active(dp));
    end_test(c, &s, dp);
}

/* A switch that never ends its chain of parts: the waiter's memory is
 * bounded, the request fails with EMSGSIZE. */
static void test_endless_multipart(void **state)
{
    (void)state;
    struct ken_controller *c = start();
    struct fsw s;
    struct ken_datapath *dp = connect_switch(c, &s, 0x80b);
    static uint8_t m[65000];
    put16(m + 8, 0xffff); /* OFPMP_EXPERIMENTER: a body the codec need not parse */
    struct job j;
    job_request(&j, dp, m, header(m, T_MULTIPART_REQUEST, 24, 0), 60000);
    job_start("req_app_a", &j);
    assert_true(fsw_expect(&s, T_MULTIPART_REQUEST, FSW_TIMEOUT_MS) > 0);
    uint32_t xid = fsw_msg_xid(&s);
    memset(m, 0, sizeof m);
    put16(m + 8, 0xffff);
    put16(m + 10, 1); /* REPLY_MORE, always */
    header(m, T_MULTIPART_REPLY, sizeof m, xid);
    size_t sent = 0;
    while (!job_done(&j) && sent < 2 * (size_t)KEN_DATAPATH_MAX_REPLY_BYTES) {
        assert_int_equal(fsw_send(&s, m, sizeof m), 0);
        sent += sizeof m;
    }
    assert_true(job_wait(&j));
    assert_int_equal(j.err, EMSGSIZE);
    assert_null(j.reply);
    assert_true(sent >= KEN_DATAPATH_MAX_REPLY_BYTES);
    end_test(c, &s, dp);
}

static void test_timeout_then_late_reply(void **state)
{
    (void)state;
    struct ken_controller *c = start();
    struct fsw s;
    struct ken_datapath *dp = connect_switch(c, &s, 0x804);
    uint8_t m[64];
    struct job j;
    job_request(&j, dp, m, echo(m, T_ECHO_REQUEST, 0, "slow"), 200);
    job_start("req_app_a", &j);
    assert_true(fsw_expect(&s, T_ECHO_REQUEST, FSW_TIMEOUT_MS) > 0);
    uint32_t xid = fsw_msg_xid(&s);
    /* The switch never answers in time. */
    assert_true(job_wait(&j));
    assert_int_equal(j.err, ETIMEDOUT);
    assert_null(j.reply);

    /* The late reply is only an event now. */
    size_t from = rec_mark();
    assert_int_equal(fsw_send(&s, m, echo(m, T_ECHO_REPLY, xid, "late")), 0);
    struct rec ev;
    assert_true(rec_wait("EventOFPEchoReply", dp, xid_is, &xid, &from, &ev));

    /* And the datapath serves the next request. */
    job_request(&j, dp, m, echo(m, T_ECHO_REQUEST, 0, "next"), 5000);
    job_start("req_app_a", &j);
    assert_true(fsw_expect(&s, T_ECHO_REQUEST, FSW_TIMEOUT_MS) > 0);
    uint32_t xid2 = fsw_msg_xid(&s);
    assert_int_not_equal(xid2, xid);
    assert_int_equal(fsw_send(&s, m, echo(m, T_ECHO_REPLY, xid2, "next")), 0);
    assert_true(job_wait(&j));
    assert_int_equal(j.err, 0);
    assert_int_equal(j.reply->msgs[0]->xid, xid2);
    ken_ofp_reply_free(j.reply);
    end_test(c, &s, dp);
}

static void test_disconnect_during_wait(void **state)
{
    (void)state;
    struct ken_controller *c = start();
    struct fsw s;
    struct ken_datapath *dp = connect_switch(c, &s, 0x805);
    uint8_t m[64];
    struct job j;
    /* A long timeout: the answer must come from the disconnect. */
    job_request(&j, dp, m, echo(m, T_ECHO_REQUEST, 0, "ping"), 60000);
    job_start("req_app_a", &j);
    assert_true(fsw_expect(&s, T_ECHO_REQUEST, FSW_TIMEOUT_MS) > 0);
    int64_t t0 = now_ms();
    fsw_close(&s);
    assert_true(job_wait(&j));
    assert_int_equal(j.err, ENOTCONN);
    assert_null(j.reply);
    assert_true(now_ms() - t0 < 30000); /* a guard: well before the timeout */

    /* A request on the dead datapath fails at once. */
    struct rec r;
    assert_true(rec_wait_state(dp, KEN_PHASE_DEAD, NULL, &r));
    job_request(&j, dp, m, echo(m, T_ECHO_REQUEST, 0, "ping"), 60000);
    job_start("req_app_a", &j);
    assert_true(job_wait(&j));
    assert_int_equal(j.err, ENOTCONN);
    assert_int_equal(ken_datapath_barrier_wait(dp, 60000), ENOTCONN);
    ken_datapath_unref(dp);
    ken_controller_stop(c);
}

static void test_two_requests_reverse_order(void **state)
{
    (void)state;
    struct ken_controller *c = start();
    struct fsw s;
    struct ken_datapath *dp = connect_switch(c, &s, 0x806);
    uint8_t m[64];
    struct job a, b;
    job_request(&a, dp, m, echo(m, T_ECHO_REQUEST, 0, "from A"), 5000);
    job_request(&b, dp, m, echo(m, T_ECHO_REQUEST, 0, "from B"), 5000);
    job_start("req_app_a", &a);
    job_start("req_app_b", &b);

    /* The switch takes both requests (in whichever order they came),
     * then answers the second first; each reply echoes its request. */
    uint8_t req[2][64];
    size_t len[2];
    for (int i = 0; i < 2; i++) {
        int n = fsw_expect(&s, T_ECHO_REQUEST, FSW_TIMEOUT_MS);
        assert_true(n > 0);
        memcpy(req[i], s.msg, (size_t)n);
        len[i] = (size_t)n;
    }
    assert_int_not_equal(get32(req[0] + 4), get32(req[1] + 4));
    for (int i = 1; i >= 0; i--) {
        req[i][1] = T_ECHO_REPLY;
        assert_int_equal(fsw_send(&s, req[i], len[i]), 0);
    }
    assert_true(job_wait(&a));
    assert_true(job_wait(&b));
    assert_int_equal(a.err, 0);
    assert_int_equal(b.err, 0);
    assert_int_equal(a.reply->msgs[0]->len, 14);
    assert_memory_equal(a.reply->msgs[0]->data + 8, "from A", 6);
    assert_int_equal(b.reply->msgs[0]->len, 14);
    assert_memory_equal(b.reply->msgs[0]->data + 8, "from B", 6);
    assert_int_not_equal(a.reply->msgs[0]->xid, b.reply->msgs[0]->xid);
    ken_ofp_reply_free(a.reply);
    ken_ofp_reply_free(b.reply);
    end_test(c, &s, dp);
}

static void test_barrier_wait(void **state)
{
    (void)state;
    struct ken_controller *c = start();
    struct fsw s;
    struct ken_datapath *dp = connect_switch(c, &s, 0x807);
    struct job j = {.dp = dp, .kind = JOB_BARRIER, .timeout_ms = 5000};
    job_start("req_app_a", &j);
    assert_true(fsw_expect(&s, T_BARRIER_REQUEST, FSW_TIMEOUT_MS) > 0);
    uint32_t xid = fsw_msg_xid(&s);
    assert_int_not_equal(xid, 0);
    assert_false(job_done(&j)); /* only the barrier reply completes it */
    uint8_t m[8];
    assert_int_equal(fsw_send(&s, m, header(m, T_BARRIER_REPLY, 8, xid)), 0);
    assert_true(job_wait(&j));
    assert_int_equal(j.err, 0);
    end_test(c, &s, dp);
}

static void test_nonblocking_refused(void **state)
{
    (void)state;
    struct ken_controller *c = start();
    struct fsw s;
    struct ken_datapath *dp = connect_switch(c, &s, 0x808);
    uint8_t m[64];
    struct job j;
    job_request(&j, dp, m, echo(m, T_ECHO_REQUEST, 0, "ping"), 5000);
    job_start("req_inline", &j);
    assert_true(job_wait(&j));
    assert_int_equal(j.err, EDEADLK);
    assert_null(j.reply);
    j = (struct job){.dp = dp, .kind = JOB_BARRIER, .timeout_ms = 5000};
    job_start("req_inline", &j);
    assert_true(job_wait(&j));
    assert_int_equal(j.err, EDEADLK);
    /* Nothing was sent: the next message the switch gets is this barrier. */
    uint32_t xid;
    assert_int_equal(ken_datapath_send_barrier(dp, &xid), 0);
    assert_true(fsw_recv(&s, FSW_TIMEOUT_MS) > 0);
    assert_int_equal(fsw_msg_type(&s), T_BARRIER_REQUEST);
    assert_int_equal(fsw_msg_xid(&s), xid);
    end_test(c, &s, dp);
}

static void test_xid_rule(void **state)
{
    (void)state;
    struct ken_controller *c = start();
    struct fsw s;
    struct ken_datapath *dp = connect_switch(c, &s, 0x809);
    uint8_t m[64];
    /* The raw send: xid 0 goes out as 0, any other as given. */
    assert_int_equal(ken_datapath_send_msg(dp, m, echo(m, T_ECHO_REPLY, 0, "zero")), 0);
    assert_true(fsw_expect(&s, T_ECHO_REPLY, FSW_TIMEOUT_MS) > 0);
    assert_int_equal(fsw_msg_xid(&s), 0);
    assert_int_equal(ken_datapath_send_msg(dp, m, echo(m, T_ECHO_REPLY, 0x1234, "mine")), 0);
    assert_true(fsw_expect(&s, T_ECHO_REPLY, FSW_TIMEOUT_MS) > 0);
    assert_int_equal(fsw_msg_xid(&s), 0x1234);
    struct ken_buf b = KEN_BUF_INIT;
    ken_datapath_parser(dp)->echo_reply(&b, "buf", 3);
    assert_int_equal(ken_datapath_send_buf(dp, &b), 0);
    assert_int_equal(b.len, 0);
    assert_true(fsw_expect(&s, T_ECHO_REPLY, FSW_TIMEOUT_MS) > 0);
    assert_int_equal(fsw_msg_xid(&s), 0);

    /* The new-xid sends pick a fresh one for each message. */
    uint32_t first = 0;
    assert_int_equal(ken_datapath_send_msg_new_xid(dp, m, echo(m, T_ECHO_REPLY, 0, "new"), &first), 0);
    assert_int_not_equal(first, 0);
    assert_true(fsw_expect(&s, T_ECHO_REPLY, FSW_TIMEOUT_MS) > 0);
    assert_int_equal(fsw_msg_xid(&s), first);
    ken_datapath_parser(dp)->echo_reply(&b, "one", 3);
    ken_datapath_parser(dp)->echo_reply(&b, "two", 3);
    assert_int_equal(ken_datapath_send_buf_new_xid(dp, &b, &first), 0);
    assert_int_equal(b.len, 0);
    assert_true(fsw_expect(&s, T_ECHO_REPLY, FSW_TIMEOUT_MS) > 0);
    uint32_t x1 = fsw_msg_xid(&s);
    assert_true(fsw_expect(&s, T_ECHO_REPLY, FSW_TIMEOUT_MS) > 0);
    uint32_t x2 = fsw_msg_xid(&s);
    assert_int_equal(x1, first);
    assert_int_not_equal(x1, 0);
    assert_int_not_equal(x2, 0);
    assert_int_not_equal(x1, x2);
    ken_buf_free(&b);

    /* A request is one whole message. */
    uint8_t two[16];
    header(two, T_ECHO_REQUEST, 8, 0);
    header(two + 8, T_ECHO_REQUEST, 8, 0);
    assert_int_equal(ken_datapath_request(dp, two, sizeof two, 1000, NULL), EINVAL);
    assert_int_equal(ken_datapath_request(dp, two, 6, 1000, NULL), EINVAL);
    end_test(c, &s, dp);
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
    static const char *const apps[] = {"req_app_a", "req_app_b", "req_inline", "typed_app_a", "typed_app_b"};
    char why[KEN_WHY_LEN];
    if (ken_app_load(apps, 5, why)) {
        fprintf(stderr, "load: %s\n", why);
        return 1;
    }
    if (getenv("TEST_FILTER"))
        cmocka_set_test_filter(getenv("TEST_FILTER"));
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_echo_round_trip, setup, setup),
        cmocka_unit_test_setup_teardown(test_multipart_in_parts, setup, setup),
        cmocka_unit_test_setup_teardown(test_typed_request_whole_reply, setup, setup),
        cmocka_unit_test_setup_teardown(test_typed_event_accessor, setup, setup),
        cmocka_unit_test_setup_teardown(test_error_reply, setup, setup),
        cmocka_unit_test_setup_teardown(test_bad_reply, setup, setup),
        cmocka_unit_test_setup_teardown(test_endless_multipart, setup, setup),
        cmocka_unit_test_setup_teardown(test_timeout_then_late_reply, setup, setup),
        cmocka_unit_test_setup_teardown(test_disconnect_during_wait, setup, setup),
        cmocka_unit_test_setup_teardown(test_two_requests_reverse_order, setup, setup),
        cmocka_unit_test_setup_teardown(test_barrier_wait, setup, setup),
        cmocka_unit_test_setup_teardown(test_nonblocking_refused, setup, setup),
        cmocka_unit_test_setup_teardown(test_xid_rule, setup, setup),
    };
    int failed = cmocka_run_group_tests(tests, NULL, NULL);
    rec_reset();
    ken_runtime_shutdown();
    return failed;
}
