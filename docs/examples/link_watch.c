/* link_watch: an app that hears of links found and lost by the switches
 * app (docs/topology.md), and asks it for the whole picture.
 *
 *   build/ken-manager --observe-links simple_switch_13 build/link_watch.so
 *
 * Listing "switches" among its required apps loads it (with link
 * discovery only when --observe-links is given). */
#include <inttypes.h>

#include "ken/app.h"
#include "ken/log.h"
#include "ken/topology.h"

static void on_link_add(struct ken_app *app, const struct ken_event *ev)
{
    (void)app;
    const struct ken_topo_link *l = &ken_ev_topo_link(ev)->link;
    KEN_LOG_INFO("link_watch", "link up %016" PRIx64 ":%" PRIu32 " -> %016" PRIx64 ":%" PRIu32, l->src.dpid,
                 l->src.port_no, l->dst.dpid, l->dst.port_no);
}

static void on_link_delete(struct ken_app *app, const struct ken_event *ev)
{
    (void)app;
    const struct ken_topo_link *l = &ken_ev_topo_link(ev)->link;
    KEN_LOG_INFO("link_watch", "link down %016" PRIx64 ":%" PRIu32 " -> %016" PRIx64 ":%" PRIu32, l->src.dpid,
                 l->src.port_no, l->dst.dpid, l->dst.port_no);
}

/* A switch entered: how many links does the switches app know now? A
 * request waits for the answer, which this app may do (it is not
 * KEN_APP_NONBLOCKING). */
static void on_switch_enter(struct ken_app *app, const struct ken_event *ev)
{
    (void)app;
    const struct ken_ev_topo_link_reply *r;
    if (ken_topology_get_link(NULL, 1000, &r) == 0) {
        KEN_LOG_INFO("link_watch", "switch %016" PRIx64 " entered; %zu links known", ken_ev_topo_switch(ev)->sw.dpid,
                     r->n);
        ken_event_unref(&r->rep.ev);
    }
}

static const struct ken_app_desc link_watch = {
    .name = "link_watch",
    .required_apps = (const char *const[]){"switches", NULL},
    .handlers = (const struct ken_handler[]){
        {KEN_EV_TOPO_LINK_ADD, 0, on_link_add},
        {KEN_EV_TOPO_LINK_DELETE, 0, on_link_delete},
        {KEN_EV_TOPO_SWITCH_ENTER, 0, on_switch_enter},
        {NULL, 0, NULL},
    },
};
KEN_APP_REGISTER(link_watch)
