/* simple_switch: an OpenFlow 1.0 MAC-learning switch, as OS-Ken's
 * app/simple_switch.py.
 *
 * OpenFlow 1.0 switches send unmatched packets to the controller by
 * themselves. For each packet-in the switch learns the port its source
 * address came from; a packet to a known address gets a flow (in_port,
 * dl_dst, dl_src) and is sent on; one to an unknown address is flooded.
 *
 *     build/ken-manager simple_switch
 */
#include "ken/app.h"
#include "ken/log.h"
#include "ken/ofp_event.h"
#include "l2.h"

#define LOG_MOD "simple_switch"

static void add_flow(const struct l2_out *out, uint32_t in_port, const struct l2_eth *eth, struct ken_action action)
{
    struct ken_flow_mod mod;
    ken_flow_mod_init(&mod);
    ken_match_add_u32(&mod.match, KEN_OXM_IN_PORT, in_port);
    ken_match_add_mac(&mod.match, KEN_OXM_ETH_DST, eth->dst, NULL);
    ken_match_add_mac(&mod.match, KEN_OXM_ETH_SRC, eth->src, NULL);
    mod.flags = KEN_OFPFF_SEND_FLOW_REM;
    ken_flow_mod_apply_actions(&mod, &action, 1);
    l2_send_flow_mod(out, &mod);
}

void simple_switch_packet_in(struct l2_table *mac_to_port, const struct l2_out *out, uint64_t dpid,
                             const struct ken_packet_in *msg)
{
    struct l2_eth eth;
    uint32_t out_port;
    if (!l2_learn(mac_to_port, LOG_MOD, dpid, msg, &eth, &out_port))
        return;

    /* install a flow to avoid packet_in next time */
    if (out_port != KEN_OFPP_FLOOD)
        add_flow(out, msg->in_port, &eth, ken_action_output(out_port, KEN_OFPCML_MAX));
    l2_packet_out(out, msg, out_port);
}

static void packet_in_handler(struct ken_app *app, const struct ken_event *ev)
{
    const struct ken_ev_ofp *e = ken_ev_ofp(ev);
    if (!e->packet_in)
        return;
    struct l2_out out = {.dp = e->msg.datapath};
    simple_switch_packet_in(ken_app_data(app), &out, ken_datapath_id(e->msg.datapath), e->packet_in);
}

static void port_status_handler(struct ken_app *app, const struct ken_event *ev)
{
    (void)app;
    const struct ken_ev_ofp_port_state_change *msg = ken_ev_ofp_port_state_change(ev);
    static const char *const what[] = {"added", "deleted", "modified"};
    if (msg->reason <= KEN_OFPPR_MODIFY)
        KEN_LOG_INFO(LOG_MOD, "port %s %u", what[msg->reason], msg->port_no);
    else
        KEN_LOG_INFO(LOG_MOD, "illegal port state %u %u", msg->port_no, msg->reason);
}

static const struct ken_app_desc simple_switch = {
    .name = "simple_switch",
    .ofp_versions = KEN_APP_OFP(KEN_OFP10),
    .flags = KEN_APP_NONBLOCKING, /* handlers learn, look up and send: never wait */
    .start = l2_app_start,
    .stop = l2_app_stop,
    .handlers = (const struct ken_handler[]){
        {KEN_EV_OFP_PACKET_IN, KEN_PHASE_MAIN, packet_in_handler},
        {KEN_EV_OFP_PORT_STATE_CHANGE, KEN_PHASE_MAIN, port_status_handler},
        {KEN_EV_OFP_STATE_CHANGE, KEN_PHASE_DEAD, l2_state_change_handler},
        {NULL, 0, NULL},
    },
};
KEN_APP_REGISTER(simple_switch);
