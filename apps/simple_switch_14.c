/* simple_switch_14: an OpenFlow 1.4 MAC-learning switch, as Ryu's
 * app/simple_switch_14.py.
 *
 * When a switch connects, a table-miss flow sends every unmatched packet to
 * the controller. For each packet-in the switch learns the port its source
 * address came from; a packet to a known address gets a flow (in_port,
 * eth_dst, eth_src, priority 1) and is sent on; one to an unknown address
 * is flooded.
 *
 *     build/ken-manager simple_switch_14
 */
#include "ken/app.h"
#include "ken/ofp_event.h"
#include "l2.h"

#define LOG_MOD "simple_switch_14"

/* The packet-in logic, callable without a connection (tests). */
void simple_switch_14_packet_in(struct l2_table *mac_to_port, const struct l2_out *datapath, uint64_t dpid,
                                const struct ken_packet_in *msg)
{
    struct l2_eth eth;
    uint32_t out_port; /* OFPP_FLOOD when unknown */
    if (!l2_learn(mac_to_port, LOG_MOD, dpid, msg, &eth, &out_port))
        return;
    struct ken_action actions[] = {ken_action_output(out_port, KEN_OFPCML_MAX)};

    /* install a flow to avoid packet_in next time */
    if (out_port != KEN_OFPP_FLOOD) {
        struct ken_match match;
        ken_match_init(&match);
        ken_match_add_u32(&match, KEN_OXM_IN_PORT, msg->in_port);
        ken_match_add_mac(&match, KEN_OXM_ETH_DST, eth.dst, NULL);
        ken_match_add_mac(&match, KEN_OXM_ETH_SRC, eth.src, NULL);
        l2_add_flow(datapath, 1, &match, actions, 1, KEN_OFP_NO_BUFFER);
    }
    l2_packet_out(datapath, msg, out_port); /* the data only when the switch kept none */
}

static void packet_in_handler(struct ken_app *app, const struct ken_event *ev)
{
    const struct ken_ev_ofp *e = ken_ev_ofp(ev);
    struct l2_out datapath = {.dp = e->msg.datapath};
    if (e->packet_in)
        simple_switch_14_packet_in(ken_app_data(app), &datapath, ken_datapath_id(e->msg.datapath), e->packet_in);
}

static const struct ken_app_desc simple_switch_14 = {
    .name = "simple_switch_14",
    .ofp_versions = KEN_APP_OFP(KEN_OFP14),
    .flags = KEN_APP_NONBLOCKING, /* handlers learn, look up and send: never wait */
    .start = l2_app_start, /* mac_to_port */
    .stop = l2_app_stop,
    .handlers = (const struct ken_handler[]){
        {KEN_EV_OFP_SWITCH_FEATURES, KEN_PHASE_CONFIG, l2_table_miss_handler},
        {KEN_EV_OFP_PACKET_IN, KEN_PHASE_MAIN, packet_in_handler},
        /* a switch gone for good takes its addresses along */
        {KEN_EV_OFP_STATE_CHANGE, KEN_PHASE_DEAD, l2_state_change_handler},
        {NULL, 0, NULL},
    },
};
KEN_APP_REGISTER(simple_switch_14);
