/* simple_monitor_13: Ryu's simple_monitor_13 in C. Every switch that
 * reaches MAIN is asked for its flow and port statistics every 10 s, and
 * the replies are logged as two tables.
 *
 * Ryu's SimpleMonitor13 is a subclass of SimpleSwitch13, so it switches
 * too. ken apps do not inherit: the monitor requires simple_switch_13,
 * which the manager then loads beside it (one process, two apps, each on
 * its own thread), so `ken-manager simple_monitor_13` does what
 * `ryu-manager simple_monitor_13.py` does. The switches to poll come from
 * dpset (below).
 *
 *     build/ken-manager simple_monitor_13
 *     KEN_MONITOR_INTERVAL=1 build/ken-manager simple_monitor_13   # poll every second
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ken/app.h"
#include "ken/dpset.h"
#include "ken/log.h"
#include "ken/ofp_event.h"
#include "ken/timer.h"
#include "l2.h"

#define ROW 160 /* a logged row, the widest counters included */

/* Ryu's monitor keeps a dict of the switches in MAIN, filled and emptied
 * by its EventOFPStateChange handler (MAIN/DEAD). dpset, OS-Ken's keeper
 * of that very set, does it here from the same events. A poll asks at
 * most this many switches. */
#define MAX_DATAPATHS 4096

/* The timer's tick: Ryu's loop around hub.sleep. */
static void monitor(struct ken_app *app, void *arg)
{
    struct ken_datapath *datapaths[MAX_DATAPATHS];
    size_t n = ken_dpset_get_all(ken_dpset_of(app), datapaths, MAX_DATAPATHS);
    (void)arg;
    for (size_t i = 0; i < n && i < MAX_DATAPATHS; i++) {
        struct ken_datapath *datapath = datapaths[i];
        struct ken_ofp_flow_stats_request flows;
        struct ken_ofp_port_stats_request ports; /* port_no: OFPP_ANY */
        KEN_LOG_DEBUG(ken_app_name(app), "send stats request: %016" PRIx64, ken_datapath_id(datapath));
        ken_ofp_flow_stats_request_init(&flows, ken_datapath_version(datapath));
        ken_datapath_send_ofp(datapath, KEN_OFP_FLOW_STATS_REQUEST, &flows);
        ken_ofp_port_stats_request_init(&ports, ken_datapath_version(datapath));
        ken_datapath_send_ofp(datapath, KEN_OFP_PORT_STATS_REQUEST, &ports);
        ken_datapath_unref(datapath);
    }
}

static int by_text(const void *a, const void *b) { return strcmp(a, b); }

/* Logs rows under their heading, sorted as text: in columns of fixed-width
 * hex, text order is number order, and Ryu sorts eth_dst as text too.
 * Each part of a multipart reply is an event, and a table, of its own. */
static void log_table(struct ken_app *app, const char *heading, const char *rule, char (*rows)[ROW], size_t n)
{
    if (!rows)
        return;
    qsort(rows, n, ROW, by_text);
    KEN_LOG_INFO(ken_app_name(app), "%s", heading);
    KEN_LOG_INFO(ken_app_name(app), "%s", rule);
    for (size_t i = 0; i < n; i++)
        KEN_LOG_INFO(ken_app_name(app), "%s", rows[i]);
    free(rows);
}

/* Flows of priority 1 (simple_switch_13's); one without in_port or eth_dst,
 * which Ryu's would fail on, is left out. */
static void flow_stats_reply_handler(struct ken_app *app, const struct ken_event *ev)
{
    const struct ken_ofp_flow_stats_reply *msg = ken_ev_ofp_flow_stats_reply(ev);
    char(*rows)[ROW] = msg ? calloc(msg->n_body + 1, ROW) : NULL;
    size_t n = 0;
    for (size_t i = 0; rows && i < msg->n_body; i++) {
        const struct ken_ofp_flow_stats *stat = &msg->body[i];
        const struct ken_match_field *dst = ken_match_find(&stat->match, KEN_OXM_ETH_DST);
        const struct ken_instruction *inst = stat->instructions;
        const struct ken_action *act = stat->n_instructions && inst[0].n_actions ? &inst[0].actions[0] : NULL;
        uint64_t in_port;
        char eth_dst[18];
        if (stat->priority != 1 || !dst || !ken_match_get_uint(&stat->match, KEN_OXM_IN_PORT, &in_port))
            continue;
        snprintf(rows[n++], ROW, "%016" PRIx64 " %8" PRIx64 " %17s %8x %8" PRIu64 " %8" PRIu64,
                 ken_datapath_id(ken_ev_ofp(ev)->msg.datapath), in_port,
                 l2_mac_str(ken_match_value(&stat->match, dst), eth_dst),
                 act && act->type == KEN_ACT_OUTPUT ? act->u.output.port : 0,
                 stat->packet_count, stat->byte_count);
    }
    log_table(app, "datapath         in-port  eth-dst           out-port packets  bytes",
              "---------------- -------- ----------------- -------- -------- --------", rows, n);
}

static void port_stats_reply_handler(struct ken_app *app, const struct ken_event *ev)
{
    const struct ken_ofp_port_stats_reply *msg = ken_ev_ofp_port_stats_reply(ev);
    char(*rows)[ROW] = msg ? calloc(msg->n_body + 1, ROW) : NULL;
    for (size_t i = 0; rows && i < msg->n_body; i++) {
        const struct ken_ofp_port_stats *stat = &msg->body[i];
        snprintf(rows[i], ROW, "%016" PRIx64 " %8x %8" PRIu64 " %8" PRIu64 " %8" PRIu64 " %8" PRIu64 " %8" PRIu64
                 " %8" PRIu64, ken_datapath_id(ken_ev_ofp(ev)->msg.datapath), stat->port_no, stat->rx_packets,
                 stat->rx_bytes, stat->rx_errors, stat->tx_packets, stat->tx_bytes, stat->tx_errors);
    }
    log_table(app, "datapath         port     rx-pkts  rx-bytes rx-error tx-pkts  tx-bytes tx-error",
              "---------------- -------- -------- -------- -------- -------- -------- --------", rows,
              rows ? msg->n_body : 0);
}

/* Ryu polls every 10 s; KEN_MONITOR_INTERVAL (seconds) changes it, as
 * ken-manager has no options for an app. The timer stops with the app. */
static int monitor_start(struct ken_app *app)
{
    const char *env = getenv("KEN_MONITOR_INTERVAL");
    uint64_t ms = env && atof(env) >= 0.001 && atof(env) <= 86400 ? (uint64_t)(atof(env) * 1000) : 10000;
    return ken_timer_start(app, ms, ms, monitor, NULL, NULL);
}

static const struct ken_app_desc simple_monitor_13 = {
    .name = "simple_monitor_13",
    .ofp_versions = KEN_APP_OFP(KEN_OFP13),
    .required_apps = (const char *const[]){"simple_switch_13", NULL},
    .contexts = (const char *const[]){"dpset", NULL},
    .start = monitor_start,
    .handlers = (const struct ken_handler[]){
        {KEN_EV_OFP_FLOW_STATS_REPLY, KEN_PHASE_MAIN, flow_stats_reply_handler},
        {KEN_EV_OFP_PORT_STATS_REPLY, KEN_PHASE_MAIN, port_stats_reply_handler},
        {NULL, 0, NULL},
    },
};
KEN_APP_REGISTER(simple_monitor_13);
