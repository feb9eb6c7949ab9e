/* simple_monitor_13: Ryu's simple_monitor_13 in C. Every switch that
 * reaches MAIN is asked for its flow and port statistics every 10 s, and
 * the replies are logged as two tables.
 *
 * Ryu's SimpleMonitor13 is a subclass of SimpleSwitch13, so it switches
 * too. ken apps do not inherit: the monitor requires simple_switch_13,
 * which the manager then loads beside it (one process, two apps, each on
 * its own thread), so `ken-manager simple_monitor_13` does what
 * `ryu-manager simple_monitor_13.py` does.
 *
 *     build/ken-manager simple_monitor_13
 *     KEN_MONITOR_INTERVAL=1 build/ken-manager simple_monitor_13   # poll every second
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "ken/app.h"
#include "ken/log.h"
#include "ken/ofp_event.h"
#include "ken/timer.h"
#include "l2.h"

#define LOG_MOD "simple_monitor_13"

struct monitor {
    struct ken_datapath **datapaths; /* each holds a reference */
    size_t n;
    struct ken_timer *timer;
};

static void state_change_handler(struct ken_app *app, const struct ken_event *ev)
{
    struct monitor *m = ken_app_data(app);
    const struct ken_ev_ofp_state_change *sc = ken_ev_ofp_state_change(ev);
    unsigned long long dpid = ken_datapath_id(sc->datapath);
    size_t i = 0;
    while (i < m->n && m->datapaths[i] != sc->datapath)
        i++;
    if (sc->phase == KEN_PHASE_MAIN && i == m->n) {
        struct ken_datapath **more = realloc(m->datapaths, (m->n + 1) * sizeof *more);
        if (!more)
            return;
        KEN_LOG_DEBUG(LOG_MOD, "register datapath: %016llx", dpid);
        m->datapaths = more;
        m->datapaths[m->n++] = ken_datapath_ref(sc->datapath);
    } else if (sc->phase == KEN_PHASE_DEAD && i < m->n) {
        KEN_LOG_DEBUG(LOG_MOD, "unregister datapath: %016llx", dpid);
        ken_datapath_unref(m->datapaths[i]);
        m->datapaths[i] = m->datapaths[--m->n];
    }
}

static void request_stats(struct ken_datapath *dp)
{
    KEN_LOG_DEBUG(LOG_MOD, "send stats request: %016llx", (unsigned long long)ken_datapath_id(dp));
    struct ken_ofp_flow_stats_request flows;
    ken_ofp_flow_stats_request_init(&flows, ken_datapath_version(dp));
    ken_datapath_send_ofp(dp, KEN_OFP_FLOW_STATS_REQUEST, &flows);

    struct ken_ofp_port_stats_request ports;
    ken_ofp_port_stats_request_init(&ports, ken_datapath_version(dp));
    ports.port_no = KEN_OFPP_ANY;
    ken_datapath_send_ofp(dp, KEN_OFP_PORT_STATS_REQUEST, &ports);
}

static void monitor(struct ken_app *app, void *arg)
{
    (void)app;
    struct monitor *m = arg;
    for (size_t i = 0; i < m->n; i++)
        request_stats(m->datapaths[i]);
}

static uint64_t in_port(const struct ken_ofp_flow_stats *stat)
{
    uint64_t port = 0;
    ken_match_get_uint(&stat->match, KEN_OXM_IN_PORT, &port);
    return port;
}

static const uint8_t *eth_dst(const struct ken_ofp_flow_stats *stat)
{
    static const uint8_t none[6];
    const struct ken_match_field *f = ken_match_find(&stat->match, KEN_OXM_ETH_DST);
    return f ? ken_match_value(&stat->match, f) : none;
}

/* The port of the first action of the first instruction, as Ryu prints it
 * (simple_switch_13's flows have exactly one output action). */
static uint32_t out_port(const struct ken_ofp_flow_stats *stat)
{
    if (!stat->n_instructions || !stat->instructions[0].n_actions)
        return 0;
    return stat->instructions[0].actions[0].u.output.port;
}

static int by_in_port_eth_dst(const void *a, const void *b)
{
    const struct ken_ofp_flow_stats *x = *(const struct ken_ofp_flow_stats *const *)a;
    const struct ken_ofp_flow_stats *y = *(const struct ken_ofp_flow_stats *const *)b;
    if (in_port(x) != in_port(y))
        return in_port(x) < in_port(y) ? -1 : 1;
    return memcmp(eth_dst(x), eth_dst(y), 6);
}

/* One part of a multipart reply: Ryu prints each part as a table. */
static void flow_stats_reply_handler(struct ken_app *app, const struct ken_event *ev)
{
    (void)app;
    const struct ken_ofp_flow_stats_reply *msg = ken_ev_ofp_flow_stats_reply(ev);
    const struct ken_ofp_flow_stats **flows = msg ? calloc(msg->n_body + 1, sizeof *flows) : NULL;
    if (!flows)
        return;
    size_t n = 0;
    for (size_t i = 0; i < msg->n_body; i++)
        if (msg->body[i].priority == 1)
            flows[n++] = &msg->body[i];
    qsort(flows, n, sizeof *flows, by_in_port_eth_dst);

    KEN_LOG_INFO(LOG_MOD, "datapath         in-port  eth-dst           out-port packets  bytes");
    KEN_LOG_INFO(LOG_MOD, "---------------- -------- ----------------- -------- -------- --------");
    for (size_t i = 0; i < n; i++) {
        char dst[18];
        KEN_LOG_INFO(LOG_MOD, "%016llx %8llx %17s %8x %8llu %8llu",
                     (unsigned long long)ken_datapath_id(ken_ev_ofp(ev)->msg.datapath),
                     (unsigned long long)in_port(flows[i]), l2_mac_str(eth_dst(flows[i]), dst),
                     out_port(flows[i]), (unsigned long long)flows[i]->packet_count,
                     (unsigned long long)flows[i]->byte_count);
    }
    free(flows);
}

static int by_port_no(const void *a, const void *b)
{
    uint32_t x = (*(const struct ken_ofp_port_stats *const *)a)->port_no;
    uint32_t y = (*(const struct ken_ofp_port_stats *const *)b)->port_no;
    return (x > y) - (x < y);
}

static void port_stats_reply_handler(struct ken_app *app, const struct ken_event *ev)
{
    (void)app;
    const struct ken_ofp_port_stats_reply *msg = ken_ev_ofp_port_stats_reply(ev);
    const struct ken_ofp_port_stats **ports = msg ? calloc(msg->n_body + 1, sizeof *ports) : NULL;
    if (!ports)
        return;
    for (size_t i = 0; i < msg->n_body; i++)
        ports[i] = &msg->body[i];
    qsort(ports, msg->n_body, sizeof *ports, by_port_no);

    KEN_LOG_INFO(LOG_MOD, "datapath         port     rx-pkts  rx-bytes rx-error tx-pkts  tx-bytes tx-error");
    KEN_LOG_INFO(LOG_MOD, "---------------- -------- -------- -------- -------- -------- -------- --------");
    for (size_t i = 0; i < msg->n_body; i++) {
        const struct ken_ofp_port_stats *stat = ports[i];
        KEN_LOG_INFO(LOG_MOD, "%016llx %8x %8llu %8llu %8llu %8llu %8llu %8llu",
                     (unsigned long long)ken_datapath_id(ken_ev_ofp(ev)->msg.datapath), stat->port_no,
                     (unsigned long long)stat->rx_packets, (unsigned long long)stat->rx_bytes,
                     (unsigned long long)stat->rx_errors, (unsigned long long)stat->tx_packets,
                     (unsigned long long)stat->tx_bytes, (unsigned long long)stat->tx_errors);
    }
    free(ports);
}

/* Ryu's 10 s; KEN_MONITOR_INTERVAL (seconds) changes it, as ken-manager
 * has no per-app options. */
static int monitor_start(struct ken_app *app)
{
    struct monitor *m = calloc(1, sizeof *m);
    if (!m)
        return ENOMEM;
    ken_app_set_data(app, m);
    const char *env = getenv("KEN_MONITOR_INTERVAL");
    double seconds = env ? strtod(env, NULL) : 10;
    uint64_t ms = seconds >= 0.001 && seconds <= 86400 ? (uint64_t)(seconds * 1000) : 10000;
    return ken_timer_start(app, ms, ms, monitor, m, &m->timer);
}

static void monitor_stop(struct ken_app *app)
{
    struct monitor *m = ken_app_data(app);
    ken_timer_cancel(m->timer);
    for (size_t i = 0; i < m->n; i++)
        ken_datapath_unref(m->datapaths[i]);
    free(m->datapaths);
    free(m);
}

static const struct ken_app_desc simple_monitor_13 = {
    .name = "simple_monitor_13",
    .ofp_versions = KEN_APP_OFP(KEN_OFP13),
    .required_apps = (const char *const[]){"simple_switch_13", NULL},
    .start = monitor_start,
    .stop = monitor_stop,
    .handlers = (const struct ken_handler[]){
        {"EventOFPStateChange", KEN_PHASE_MAIN | KEN_PHASE_DEAD, state_change_handler},
        {KEN_EV_OFP_FLOW_STATS_REPLY, KEN_PHASE_MAIN, flow_stats_reply_handler},
        {KEN_EV_OFP_PORT_STATS_REPLY, KEN_PHASE_MAIN, port_stats_reply_handler},
        {NULL, 0, NULL},
    },
};
KEN_APP_REGISTER(simple_monitor_13);
