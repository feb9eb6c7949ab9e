/* flow_watch_13: flow-removed and error messages, the C port of
 * tests/apps/flow_watch_13.py (a Ryu-style app written for ken: Ryu has
 * no example of these).
 *
 * On every switch it installs a flow for ICMP that the switch forwards
 * itself (NORMAL) and drops after IDLE_TIMEOUT idle seconds, asking to be
 * told (OFPFF_SEND_FLOW_REM); and it sends a message no switch accepts, an
 * experimenter message of an experimenter nobody is. The flow-removed
 * message and the switch's error are logged.
 *
 *     build/ken-manager flow_watch_13
 */
#include <netinet/in.h>
#include <stdio.h>

#include "ken/app.h"
#include "ken/log.h"
#include "ken/ofp_event.h"

#define LOG_MOD "flow_watch_13"
#define COOKIE 0x6b656e
#define PRIORITY 100
#define IDLE_TIMEOUT 5
#define NOBODY 0x00ffffff /* an experimenter id no switch knows */

static void switch_features_handler(struct ken_app *app, const struct ken_event *ev)
{
    (void)app;
    struct ken_datapath *datapath = ken_ev_ofp(ev)->msg.datapath;

    struct ken_flow_mod mod;
    ken_flow_mod_init(&mod);
    ken_match_add_u16(&mod.match, KEN_OXM_ETH_TYPE, KEN_ETH_TYPE_IP);
    ken_match_add_u8(&mod.match, KEN_OXM_IP_PROTO, IPPROTO_ICMP);
    struct ken_action normal = ken_action_output(KEN_OFPP_NORMAL, KEN_OFPCML_MAX);
    ken_flow_mod_apply_actions(&mod, &normal, 1);
    mod.cookie = COOKIE;
    mod.priority = PRIORITY;
    mod.idle_timeout = IDLE_TIMEOUT;
    mod.flags = KEN_OFPFF_SEND_FLOW_REM;
    ken_datapath_send_flow_mod(datapath, &mod);

    struct ken_ofp_experimenter bad;
    ken_ofp_experimenter_init(&bad, ken_datapath_version(datapath));
    bad.experimenter = NOBODY;
    ken_datapath_send_ofp(datapath, KEN_OFP_EXPERIMENTER, &bad);
}

static void flow_removed_handler(struct ken_app *app, const struct ken_event *ev)
{
    (void)app;
    const struct ken_ofp_flow_removed *msg = ken_ev_ofp_flow_removed(ev);
    static const char *const reasons[] = {"IDLE TIMEOUT", "HARD TIMEOUT", "DELETE", "GROUP DELETE"};
    if (!msg)
        return;
    KEN_LOG_INFO(LOG_MOD,
                 "flow removed: dpid=%016llx cookie=%#llx priority=%u reason=%s table_id=%u duration_sec=%u "
                 "idle_timeout=%u hard_timeout=%u packet_count=%llu byte_count=%llu",
                 (unsigned long long)ken_datapath_id(ken_ev_ofp(ev)->msg.datapath),
                 (unsigned long long)msg->cookie, msg->priority, msg->reason < 4 ? reasons[msg->reason] : "unknown",
                 msg->table_id, msg->duration_sec, msg->idle_timeout, msg->hard_timeout,
                 (unsigned long long)msg->packet_count, (unsigned long long)msg->byte_count);
}

static void error_msg_handler(struct ken_app *app, const struct ken_event *ev)
{
    (void)app;
    const struct ken_ofp_error_msg *msg = ken_ev_ofp_error_msg(ev);
    char hex[2 * 64 + 1] = ""; /* the start of the offending message is enough to tell it */
    for (size_t i = 0; msg && i < msg->data_len && i < 64; i++)
        snprintf(hex + 2 * i, 3, "%02x", msg->data[i]);
    if (msg)
        KEN_LOG_INFO(LOG_MOD, "error: dpid=%016llx type=%#x code=%#x xid=%#x data=%s",
                     (unsigned long long)ken_datapath_id(ken_ev_ofp(ev)->msg.datapath), msg->type, msg->code,
                     ken_ev_ofp(ev)->msg.xid, hex);
}

static const struct ken_app_desc flow_watch_13 = {
    .name = "flow_watch_13",
    .ofp_versions = KEN_APP_OFP(KEN_OFP13),
    .handlers = (const struct ken_handler[]){
        {KEN_EV_OFP_SWITCH_FEATURES, KEN_PHASE_CONFIG, switch_features_handler},
        {KEN_EV_OFP_FLOW_REMOVED, KEN_PHASE_MAIN, flow_removed_handler},
        {KEN_EV_OFP_ERROR_MSG, KEN_PHASE_CONFIG | KEN_PHASE_MAIN, error_msg_handler},
        {NULL, 0, NULL},
    },
};
KEN_APP_REGISTER(flow_watch_13);
