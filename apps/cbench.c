/* cbench: the responder the cbench benchmark measures, as OS-Ken's
 * app/cbench.py. Every packet-in is answered with one flow-mod that matches
 * everything, has no actions and carries the packet-in's buffer id.
 * OpenFlow 1.0 (what cbench speaks) and 1.3. The path allocates nothing:
 * the flow-mod is built on the stack and encoded straight into the
 * switch's outbound queue.
 *
 *     build/ken-manager cbench
 */
#include "ken/app.h"
#include "ken/ofp_event.h"

static void packet_in_handler(struct ken_app *app, const struct ken_event *ev)
{
    (void)app;
    const struct ken_ev_ofp *e = ken_ev_ofp(ev);
    if (!e->packet_in)
        return;
    struct ken_flow_mod mod;
    ken_flow_mod_init(&mod);  /* ADD, priority 0x8000, every field wildcarded */
    mod.buffer_id = e->packet_in->buffer_id;
    ken_datapath_send_flow_mod(e->msg.datapath, &mod);
}

static const struct ken_app_desc cbench = {
    .name = "cbench",
    .ofp_versions = KEN_APP_OFP(KEN_OFP10) | KEN_APP_OFP(KEN_OFP13),
    .flags = KEN_APP_NONBLOCKING, /* the handler only encodes and queues */
    .handlers = (const struct ken_handler[]){
        {KEN_EV_OFP_PACKET_IN, KEN_PHASE_MAIN, packet_in_handler},
        {NULL, 0, NULL},
    },
};
KEN_APP_REGISTER(cbench);
