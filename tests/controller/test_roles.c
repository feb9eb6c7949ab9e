/* Controller roles (the cluster's side of a connection, ken/cluster.h),
 * against a fake switch: the role request on the wire (OFPT_ROLE_REQUEST
 * on 1.3, NXT_ROLE_REQUEST on 1.0), SLAVE at once and MASTER on the
 * switch's reply, EventOFPRoleChange, the send guard (state-changing sends
 * refused with EPERM as SLAVE, reads let through), and a SLAVE
 * connection's message events only for the apps with
 * KEN_APP_SLAVE_EVENTS. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "controller/role.h"
#include "fake_switch.h"
#include "ken/app.h"
#include "ken/cluster.h"
#include "ken/controller.h"
#include "ken/datapath.h"
#include "ken/ofp_event.h"

enum { PLAIN, SLAVE_TOO, N_APPS };

static atomic_int port_status[N_APPS], port_changes[N_APPS], role_events[N_APPS], last_role[N_APPS];
static _Atomic(struct ken_datapath *) main_dp;

#define RECORDER(idx)                                                                                    \
    static void on_port_status_##idx(struct ken_app *app, const struct ken_event *ev)                   \
    {                                                                                                    \
        (void)app;                                                                                       \
        (void)ev;                                                                                        \
        atomic_fetch_add(&port_status[idx], 1);                                                          \
    }                                                                                                    \
    static void on_port_change_##idx(struct ken_app *app, const struct ken_event *ev)                   \
    {                                                                                                    \
        (void)app;                                                                                       \
        (void)ev;                                                                                        \
        atomic_fetch_add(&port_changes[idx], 1);                                                         \
    }                                                                                                    \
    static void on_role_##idx(struct ken_app *app, const struct ken_event *ev)                          \
    {                                                                                                    \
        (void)app;                                                                                       \
        atomic_store(&last_role[idx], (int)ken_ev_ofp_role_change(ev)->role);                            \
        atomic_fetch_add(&role_events[idx], 1);                                                          \
    }

RECORDER(PLAIN)
RECORDER(SLAVE_TOO)

static void on_state(struct ken_app *app, const struct ken_event *ev)
{
    (void)app;
    const struct ken_ev_ofp_state_change *sc = ken_ev_ofp_state_change(ev);
    if (sc->phase == KEN_PHASE_MAIN) {
        struct ken_datapath *old = atomic_exchange(&main_dp, ken_datapath_ref(sc->datapath));
        ken_datapath_unref(old);
    }
}

static const struct ken_handler plain_handlers[] = {
    {KEN_EV_OFP_PORT_STATUS, 0, on_port_status_PLAIN},
    {KEN_EV_OFP_PORT_STATE_CHANGE, 0, on_port_change_PLAIN},
    {KEN_EV_OFP_ROLE_CHANGE, 0, on_role_PLAIN},
    {KEN_EV_OFP_STATE_CHANGE, 0, on_state},
    {NULL, 0, NULL},
};
static const struct ken_handler slave_handlers[] = {
    {KEN_EV_OFP_PORT_STATUS, 0, on_port_status_SLAVE_TOO},
    {KEN_EV_OFP_PORT_STATE_CHANGE, 0, on_port_change_SLAVE_TOO},
    {KEN_EV_OFP_ROLE_CHANGE, 0, on_role_SLAVE_TOO},
    {NULL, 0, NULL},
};
static const struct ken_app_desc plain_app = {.name = "role_plain", .handlers = plain_handlers};
static const struct ken_app_desc slave_app = {
    .name = "role_slave_too", .handlers = slave_handlers, .flags = KEN_APP_SLAVE_EVENTS};
KEN_APP_REGISTER(plain_app);
KEN_APP_REGISTER(slave_app);

static const struct fsw_port two_ports[] = {
    {1, {0, 0, 0, 0, 0, 1}, "eth1", 0, 0},
    {2, {0, 0, 0, 0, 0, 2}, "eth2", 0, 0},
};

static bool wait_for(atomic_int *v, int want)
{
    for (int i = 0; i < 10000 && atomic_load(v) < want; i++)
        usleep(1000);
    return atomic_load(v) >= want;
}

static bool wait_role(struct ken_datapath *dp, enum ken_role want)
{
    for (int i = 0; i < 10000 && ken_datapath_role(dp) != want; i++)
        usleep(1000);
    return ken_datapath_role(dp) == want;
}

static uint32_t get32(const uint8_t *p) { return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3]; }
static uint64_t get64(const uint8_t *p) { return (uint64_t)get32(p) << 32 | get32(p + 4); }
static void put32(uint8_t *p, uint32_t v)
{
    p[0] = (uint8_t)(v >> 24);
    p[1] = (uint8_t)(v >> 16);
    p[2] = (uint8_t)(v >> 8);
    p[3] = (uint8_t)v;
}

static struct ken_controller *c;
static struct fsw sw;

static struct ken_datapath *connect_switch(uint8_t version, uint64_t dpid)
{
    struct ken_controller_options o;
    ken_controller_options_init(&o);
    o.listen_host = "127.0.0.1";
    o.tcp_port = 0;
    char why[KEN_CONTROLLER_WHY_LEN];
    c = ken_controller_start(&o, why);
    assert_non_null(c);
    struct ken_datapath *old = atomic_exchange(&main_dp, NULL);
    ken_datapath_unref(old);
    assert_int_equal(fsw_connect(&sw, "127.0.0.1", ken_controller_tcp_port(c), NULL), 0);
    sw.version = version;
    sw.dpid = dpid;
    assert_int_equal(fsw_handshake(&sw, two_ports, 2), 0);
    for (int i = 0; i < 10000 && !atomic_load(&main_dp); i++)
        usleep(1000);
    struct ken_datapath *dp = atomic_load(&main_dp);
    assert_non_null(dp);
    return dp;
}

static void disconnect(void)
{
    fsw_close(&sw);
    ken_controller_stop(c);
    struct ken_datapath *dp = atomic_exchange(&main_dp, NULL);
    ken_datapath_unref(dp);
}

static int send_flow_mod(struct ken_datapath *dp)
{
    struct ken_flow_mod fm;
    ken_flow_mod_init(&fm);
    fm.priority = 1;
    return ken_datapath_send_flow_mod(dp, &fm);
}

static void test_roles_13(void **state)
{
    (void)state;
    struct ken_datapath *dp = connect_switch(KEN_OFP13, 0x21);
    int roles0 = atomic_load(&role_events[PLAIN]);
    /* No cluster has spoken: EQUAL, nothing refused. */
    assert_int_equal(ken_datapath_role(dp), KEN_ROLE_EQUAL);
    assert_int_equal(send_flow_mod(dp), 0);
    assert_true(fsw_expect(&sw, 14, FSW_TIMEOUT_MS) > 0);

    /* SLAVE: on the wire with its generation id, and at once here. */
    ken_controller_role_request(dp, KEN_ROLE_SLAVE, 7);
    assert_true(fsw_expect(&sw, 24, FSW_TIMEOUT_MS) > 0);
    assert_int_equal(sw.msg_len, 24);
    assert_int_equal(get32(sw.msg + 8), 3); /* OFPCR_ROLE_SLAVE */
    assert_int_equal(get64(sw.msg + 16), 7);
    assert_true(wait_role(dp, KEN_ROLE_SLAVE));
    assert_int_equal(ken_datapath_generation_id(dp), 7);
    assert_true(wait_for(&role_events[PLAIN], roles0 + 1));
    assert_true(wait_for(&role_events[SLAVE_TOO], roles0 + 1));
    assert_int_equal(atomic_load(&last_role[PLAIN]), KEN_ROLE_SLAVE);

    /* The guard: state-changing sends refused, reads let through. */
    sw.seen = 0;
    assert_int_equal(send_flow_mod(dp), EPERM);
    struct ken_packet_out po = {.buffer_id = 0xffffffff, .in_port = 1};
    assert_int_equal(ken_datapath_send_packet_out(dp, &po), EPERM);
    uint32_t bxid;
    assert_int_equal(ken_datapath_send_barrier(dp, &bxid), 0);
    assert_true(fsw_expect(&sw, 20, FSW_TIMEOUT_MS) > 0);
    assert_false(sw.seen & (1ull << 14 | 1ull << 13)); /* before the barrier: no flow-mod, no packet-out */
    /* the guard off: the switch gets it (and would refuse it) */
    ken_cluster_set_send_guard(false);
    assert_int_equal(send_flow_mod(dp), 0);
    assert_true(fsw_expect(&sw, 14, FSW_TIMEOUT_MS) > 0);
    ken_cluster_set_send_guard(true);
    assert_int_equal(send_flow_mod(dp), EPERM);

    /* A SLAVE connection's message events: only the app that asks. */
    int ps_plain = atomic_load(&port_status[PLAIN]), ch_plain = atomic_load(&port_changes[PLAIN]);
    int ps_slave = atomic_load(&port_status[SLAVE_TOO]);
    assert_int_equal(fsw_send_port_status(&sw, 2 /* MODIFY */, &two_ports[0]), 0);
    assert_true(wait_for(&port_status[SLAVE_TOO], ps_slave + 1));
    assert_true(wait_for(&port_changes[PLAIN], ch_plain + 1)); /* the port table's event: everyone's */
    assert_int_equal(atomic_load(&port_status[PLAIN]), ps_plain);

    /* MASTER: requested, but confirmed by the switch's reply only. */
    ken_controller_role_request(dp, KEN_ROLE_MASTER, 8);
    assert_true(fsw_expect(&sw, 24, FSW_TIMEOUT_MS) > 0);
    assert_int_equal(get32(sw.msg + 8), 2); /* OFPCR_ROLE_MASTER */
    assert_int_equal(get64(sw.msg + 16), 8);
    usleep(50 * 1000);
    assert_int_equal(ken_datapath_role(dp), KEN_ROLE_SLAVE);
    uint8_t reply[24];
    memcpy(reply, sw.msg, sizeof reply);
    reply[1] = 25; /* OFPT_ROLE_REPLY, same body */
    assert_int_equal(fsw_send(&sw, reply, sizeof reply), 0);
    assert_true(wait_role(dp, KEN_ROLE_MASTER));
    assert_int_equal(ken_datapath_generation_id(dp), 8);
    assert_true(wait_for(&role_events[SLAVE_TOO], roles0 + 2));
    assert_int_equal(atomic_load(&last_role[SLAVE_TOO]), KEN_ROLE_MASTER);
    assert_int_equal(send_flow_mod(dp), 0);
    assert_true(fsw_expect(&sw, 14, FSW_TIMEOUT_MS) > 0);
    /* master again: the plain app hears port-status again */
    assert_int_equal(fsw_send_port_status(&sw, 2, &two_ports[1]), 0);
    assert_true(wait_for(&port_status[PLAIN], ps_plain + 1));

    /* MASTER then SLAVE at once (a lease lost meanwhile): the reply to
     * the MASTER request makes no master. */
    ken_controller_role_request(dp, KEN_ROLE_SLAVE, 8);
    assert_true(fsw_expect(&sw, 24, FSW_TIMEOUT_MS) > 0);
    assert_true(wait_role(dp, KEN_ROLE_SLAVE));
    assert_true(wait_for(&role_events[PLAIN], roles0 + 3)); /* SLAVE, MASTER, SLAVE */
    ken_controller_role_request(dp, KEN_ROLE_MASTER, 9);
    ken_controller_role_request(dp, KEN_ROLE_SLAVE, 9);
    assert_true(fsw_expect(&sw, 24, FSW_TIMEOUT_MS) > 0);
    assert_int_equal(get32(sw.msg + 8), 2);
    memcpy(reply, sw.msg, sizeof reply);
    reply[1] = 25;
    assert_true(fsw_expect(&sw, 24, FSW_TIMEOUT_MS) > 0);
    assert_int_equal(get32(sw.msg + 8), 3);
    int before = atomic_load(&role_events[PLAIN]);
    assert_int_equal(fsw_send(&sw, reply, sizeof reply), 0); /* the late MASTER reply */
    /* an echo after it: its reply means the role reply was read */
    assert_int_equal(fsw_send_echo_request(&sw, 0x77, NULL, 0), 0);
    assert_true(fsw_expect(&sw, 3, FSW_TIMEOUT_MS) > 0);
    usleep(50 * 1000); /* and the apps had the time to hear of a change */
    assert_int_equal(ken_datapath_role(dp), KEN_ROLE_SLAVE);
    assert_int_equal(atomic_load(&role_events[PLAIN]), before);
    assert_int_equal(send_flow_mod(dp), EPERM);
    disconnect();
}

static void test_roles_10(void **state)
{
    (void)state;
    struct ken_datapath *dp = connect_switch(KEN_OFP10, 0x22);
    ken_controller_role_request(dp, KEN_ROLE_SLAVE, 3);
    assert_true(fsw_expect(&sw, 4, FSW_TIMEOUT_MS) > 0); /* OFPT_VENDOR */
    assert_int_equal(sw.msg_len, 20);
    assert_int_equal(get32(sw.msg + 8), 0x2320);  /* Nicira */
    assert_int_equal(get32(sw.msg + 12), 10);     /* NXT_ROLE_REQUEST */
    assert_int_equal(get32(sw.msg + 16), 2);      /* NX_ROLE_SLAVE */
    assert_true(wait_role(dp, KEN_ROLE_SLAVE));
    assert_int_equal(send_flow_mod(dp), EPERM);
    ken_controller_role_request(dp, KEN_ROLE_MASTER, 4);
    assert_true(fsw_expect(&sw, 4, FSW_TIMEOUT_MS) > 0);
    assert_int_equal(get32(sw.msg + 16), 1);      /* NX_ROLE_MASTER */
    uint8_t reply[20];
    memcpy(reply, sw.msg, sizeof reply);
    put32(reply + 12, 11);                        /* NXT_ROLE_REPLY */
    assert_int_equal(fsw_send(&sw, reply, sizeof reply), 0);
    assert_true(wait_role(dp, KEN_ROLE_MASTER));
    assert_int_equal(ken_datapath_generation_id(dp), 4);
    assert_int_equal(send_flow_mod(dp), 0);
    disconnect();
}

static int setup(void **state)
{
    (void)state;
    static const char *const names[] = {"role_plain", "role_slave_too"};
    char why[KEN_WHY_LEN];
    if (ken_app_load(names, 2, why)) {
        fprintf(stderr, "load: %s\n", why);
        return -1;
    }
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    ken_runtime_shutdown();
    return 0;
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_roles_13),
        cmocka_unit_test(test_roles_10),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
