/* The example of docs/controller.md: a hub. Every packet a switch sends up
 * is flooded back out with a packet-out; on OpenFlow 1.3+ a table-miss
 * flow first sends unmatched packets to the controller.
 *
 *   build/tests/controller/example-hub [PORT]     (default 6653; Ctrl-C stops)
 *   ovs-vsctl set-controller br0 tcp:127.0.0.1:PORT
 */
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "ken/app.h"
#include "ken/controller.h"
#include "ken/ofp_event.h"

static void hub_on_features(struct ken_app *app, const struct ken_event *ev)
{
    (void)app;
    struct ken_datapath *dp = ken_ev_ofp(ev)->msg.datapath;
    if (ken_datapath_ofproto(dp)->version < KEN_OFP13)
        return; /* before 1.3, a table miss goes to the controller anyway */
    struct ken_flow_mod fm;
    ken_flow_mod_init(&fm);
    fm.priority = 0;
    struct ken_action to_ctl = ken_action_output(KEN_OFPP_CONTROLLER, KEN_OFPCML_NO_BUFFER);
    ken_flow_mod_apply_actions(&fm, &to_ctl, 1);
    ken_datapath_send_flow_mod(dp, &fm);
}

static void hub_on_packet_in(struct ken_app *app, const struct ken_event *ev)
{
    (void)app;
    const struct ken_ev_ofp *e = ken_ev_ofp(ev);
    const struct ken_packet_in *pi = e->packet_in; /* decoded by the controller */
    struct ken_packet_out po;
    ken_packet_out_init(&po);
    po.buffer_id = pi->buffer_id;
    po.in_port = pi->in_port;
    struct ken_action flood = ken_action_output(KEN_OFPP_FLOOD, 0);
    po.actions = &flood; /* read by the send below: a stack array will do */
    po.n_actions = 1;
    if (pi->buffer_id == KEN_OFP_NO_BUFFER) {
        po.data = pi->data;
        po.data_len = pi->data_len;
    }
    ken_datapath_send_packet_out(e->msg.datapath, &po);
}

static void hub_on_state(struct ken_app *app, const struct ken_event *ev)
{
    (void)app;
    const struct ken_ev_ofp_state_change *sc = ken_ev_ofp_state_change(ev);
    char id[17];
    ken_dpid_to_str(ken_datapath_id(sc->datapath), id);
    printf("switch %s (%s): %s\n", id, ken_datapath_address(sc->datapath), ken_phase_name(sc->phase));
}

static const struct ken_handler hub_handlers[] = {
    {"EventOFPSwitchFeatures", KEN_PHASE_CONFIG, hub_on_features},
    {"EventOFPPacketIn", KEN_PHASE_MAIN, hub_on_packet_in},
    {"EventOFPStateChange", KEN_PHASE_MAIN | KEN_PHASE_DEAD, hub_on_state},
    {NULL, 0, NULL},
};

static const struct ken_app_desc hub_app = {.name = "hub", .handlers = hub_handlers};
KEN_APP_REGISTER(hub_app)

int main(int argc, char **argv)
{
    /* Signals go to sigwait below, not to the threads started next. */
    sigset_t stop;
    sigemptyset(&stop);
    sigaddset(&stop, SIGINT);
    sigaddset(&stop, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &stop, NULL);

    char why[KEN_WHY_LEN];
    if (ken_app_load_one("hub", why)) {
        fprintf(stderr, "hub: %s\n", why);
        return 1;
    }
    struct ken_controller_options opt;
    ken_controller_options_init(&opt);
    opt.tcp_port = argc > 1 ? atoi(argv[1]) : KEN_OFP_TCP_PORT;
    char cwhy[KEN_CONTROLLER_WHY_LEN];
    struct ken_controller *ctl = ken_controller_start(&opt, cwhy);
    if (!ctl) {
        fprintf(stderr, "controller: %s\n", cwhy);
        ken_runtime_shutdown();
        return 1;
    }
    printf("listening on port %d\n", ken_controller_tcp_port(ctl));
    fflush(stdout);

    int sig;
    sigwait(&stop, &sig);

    ken_controller_stop(ctl);   /* every switch goes DEAD */
    ken_runtime_stop_all(KEN_STOP_DRAIN);
    ken_runtime_shutdown();
    return 0;
}
