/* A test observer of the topology events: the app "topo_recorder" writes
 * one line per event, in the order it sees them, to the file the
 * environment names in KEN_TEST_EVENT_LOG (flushed per line). Built as a
 * shared object that ken-manager loads (tests/e2e/topology.sh):
 *
 *   SwitchEnter 0000000000000001 ports=3
 *   PortModify 0000000000000002 3 down
 *   LinkAdd 0000000000000001 2 0000000000000002 2
 *   HostAdd 00:00:00:00:00:01 0000000000000001 1 */
#include <inttypes.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ken/app.h"
#include "ken/topology.h"

#include "../recorder_file.h"

static void rec_line(const char *line)
{
    pthread_mutex_lock(&rec_lock);
    recorder_file_line(rec_file, line);
    pthread_mutex_unlock(&rec_lock);
}

static const char *cls_tail(const struct ken_event *ev)
{
    /* "EventLinkAdd" -> "LinkAdd", "topology.EventPortAdd" -> "PortAdd" */
    const char *name = ken_ev_class_name(ev->cls);
    const char *e = strstr(name, "Event");
    return e ? e + 5 : name;
}

static void on_switch(struct ken_app *app, const struct ken_event *ev)
{
    (void)app;
    const struct ken_topo_switch *s = &ken_ev_topo_switch(ev)->sw;
    char line[128];
    snprintf(line, sizeof line, "%s %016" PRIx64 " ports=%zu", cls_tail(ev), s->dpid, s->n_ports);
    rec_line(line);
}

static void on_port(struct ken_app *app, const struct ken_event *ev)
{
    (void)app;
    const struct ken_topo_port *p = &ken_ev_topo_port(ev)->port;
    char line[128];
    snprintf(line, sizeof line, "%s %016" PRIx64 " %" PRIu32 " %s", cls_tail(ev), p->dpid, p->port_no,
             ken_topo_port_is_down(p) ? "down" : "live");
    rec_line(line);
}

static void on_link(struct ken_app *app, const struct ken_event *ev)
{
    (void)app;
    const struct ken_topo_link *l = &ken_ev_topo_link(ev)->link;
    char line[128];
    snprintf(line, sizeof line, "%s %016" PRIx64 " %" PRIu32 " %016" PRIx64 " %" PRIu32, cls_tail(ev), l->src.dpid,
             l->src.port_no, l->dst.dpid, l->dst.port_no);
    rec_line(line);
}

static void host_str(const struct ken_topo_host *h, char *out, size_t n)
{
    snprintf(out, n, "%02x:%02x:%02x:%02x:%02x:%02x %016" PRIx64 " %" PRIu32, h->mac[0], h->mac[1], h->mac[2],
             h->mac[3], h->mac[4], h->mac[5], h->port.dpid, h->port.port_no);
}

static void on_host(struct ken_app *app, const struct ken_event *ev)
{
    (void)app;
    char h[64], line[128];
    host_str(&ken_ev_topo_host(ev)->host, h, sizeof h);
    snprintf(line, sizeof line, "%s %s", cls_tail(ev), h);
    rec_line(line);
}

static void on_host_move(struct ken_app *app, const struct ken_event *ev)
{
    (void)app;
    char a[64], b[64], line[160];
    host_str(&ken_ev_topo_host_move(ev)->src, a, sizeof a);
    host_str(&ken_ev_topo_host_move(ev)->dst, b, sizeof b);
    snprintf(line, sizeof line, "HostMove %s -> %s", a, b);
    rec_line(line);
}

static void recorder_stop(struct ken_app *app)
{
    (void)app;
    pthread_mutex_lock(&rec_lock);
    recorder_file_close(&rec_file);
    pthread_mutex_unlock(&rec_lock);
}

static const struct ken_app_desc topo_recorder = {
    .name = "topo_recorder",
    .required_apps = (const char *const[]){"switches", NULL},
    .start = recorder_start,
    .stop = recorder_stop,
    .handlers = (const struct ken_handler[]){
        {"EventSwitchBase", 0, on_switch},
        {"topology.EventPortBase", 0, on_port},
        {"EventLinkBase", 0, on_link},
        {"EventHostBase", 0, on_host},
        {KEN_EV_TOPO_HOST_MOVE, 0, on_host_move},
        {NULL, 0, NULL},
    },
};
KEN_APP_REGISTER(topo_recorder)
