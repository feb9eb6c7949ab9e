/* A test observer: the app "netw_recorder" writes one line per network or
 * tunnels event it sees, in the order it sees them, to an in-memory log
 * (recorder_take) and, when the environment names one in
 * KEN_TEST_EVENT_LOG, to that file (flushed per line, for the REST tests
 * that run ken-manager). Built into the unit tests and, alone, as a shared
 * object that ken-manager loads. A marker event sent to it after some
 * calls shows when it has seen everything those calls raised (one FIFO
 * queue per app). */
#include <inttypes.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "ken/app.h"
#include "ken/event.h"
#include "ken/network.h"
#include "ken/tunnels.h"

#include "recorder.h"
#include "../recorder_file.h"

KEN_EV_CLASS_DEFINE(recorder_marker_class, "EventTestRecorderMarker", ken_ev_base_class)

static pthread_cond_t rec_cond = PTHREAD_COND_INITIALIZER;
static char *rec_log;
static size_t rec_len;
static unsigned long rec_markers;

static void rec_line(const char *line)
{
    pthread_mutex_lock(&rec_lock);
    size_t n = strlen(line);
    char *p = realloc(rec_log, rec_len + n + 2);
    if (p) {
        rec_log = p;
        memcpy(rec_log + rec_len, line, n);
        rec_len += n;
        rec_log[rec_len++] = '\n';
        rec_log[rec_len] = '\0';
    }
    recorder_file_line(rec_file, line);
    pthread_mutex_unlock(&rec_lock);
}

static void on_network_port(struct ken_app *app, const struct ken_event *ev)
{
    (void)app;
    const struct ken_ev_network_port *e = ken_ev_network_port(ev);
    char line[400];
    snprintf(line, sizeof line, "NetworkPort %s %016" PRIx64 " %" PRIu32 " %s", e->network_id, e->dpid, e->port_no,
             e->add_del ? "add" : "del");
    rec_line(line);
}

static void on_network_del(struct ken_app *app, const struct ken_event *ev)
{
    (void)app;
    char line[400];
    snprintf(line, sizeof line, "NetworkDel %s", ken_ev_network_del(ev)->network_id);
    rec_line(line);
}

static void on_mac(struct ken_app *app, const struct ken_event *ev)
{
    (void)app;
    const struct ken_ev_mac_address *e = ken_ev_mac_address(ev);
    char mac[18], line[400];
    ken_mac_format(e->mac_address, mac);
    snprintf(line, sizeof line, "MacAddress %016" PRIx64 " %" PRIu32 " %s %s %s", e->dpid, e->port_no, e->network_id,
             mac, e->add_del ? "add" : "del");
    rec_line(line);
}

static void on_tunnel_key(struct ken_app *app, const struct ken_event *ev)
{
    (void)app;
    const struct ken_ev_tunnel_key *e = ken_ev_tunnel_key(ev);
    char line[400];
    snprintf(line, sizeof line, "%s %s %" PRIu32, ev->cls == ken_ev_tunnel_key_add_class.id ? "TunnelKeyAdd" : "TunnelKeyDel",
             e->network_id, e->tunnel_key);
    rec_line(line);
}

static void on_tunnel_port(struct ken_app *app, const struct ken_event *ev)
{
    (void)app;
    const struct ken_ev_tunnel_port *e = ken_ev_tunnel_port(ev);
    char line[200];
    snprintf(line, sizeof line, "TunnelPort %016" PRIx64 " %" PRIu32 " %016" PRIx64 " %s", e->dpid, e->port_no,
             e->remote_dpid, e->add_del ? "add" : "del");
    rec_line(line);
}

static void on_marker(struct ken_app *app, const struct ken_event *ev)
{
    (void)app;
    (void)ev;
    pthread_mutex_lock(&rec_lock);
    rec_markers++;
    pthread_cond_broadcast(&rec_cond);
    pthread_mutex_unlock(&rec_lock);
}

static void recorder_stop(struct ken_app *app)
{
    (void)app;
    pthread_mutex_lock(&rec_lock);
    recorder_file_close(&rec_file);
    free(rec_log);
    rec_log = NULL;
    rec_len = 0;
    pthread_mutex_unlock(&rec_lock);
}

/* The services' classes come from the program (ken-manager or the test);
 * handlers name them, so the services register them first. */
static const struct ken_app_desc netw_recorder = {
    .name = "netw_recorder",
    .contexts = (const char *const[]){"network", "tunnels", NULL},
    .start = recorder_start,
    .stop = recorder_stop,
    .handlers = (const struct ken_handler[]){
        {"EventNetworkPort", 0, on_network_port},
        {"EventNetworkDel", 0, on_network_del},
        {"EventMacAddress", 0, on_mac},
        {"EventTunnelKeyBase", 0, on_tunnel_key},
        {"EventTunnelPort", 0, on_tunnel_port},
        {"EventTestRecorderMarker", 0, on_marker},
        {NULL, 0, NULL},
    },
};
KEN_APP_REGISTER(netw_recorder)

char *recorder_take(void)
{
    /* One caller at a time (the test's main thread). */
    pthread_mutex_lock(&rec_lock);
    unsigned long want = rec_markers + 1;
    pthread_mutex_unlock(&rec_lock);
    struct ken_event *m = ken_event_new(recorder_marker_class.id, sizeof *m, NULL);
    if (ken_send_event("netw_recorder", m))
        return NULL;
    struct timespec until;
    clock_gettime(CLOCK_REALTIME, &until);
    until.tv_sec += 20;
    pthread_mutex_lock(&rec_lock);
    while (rec_markers < want)
        if (pthread_cond_timedwait(&rec_cond, &rec_lock, &until))
            break;
    char *out = rec_markers >= want ? strdup(rec_log ? rec_log : "") : NULL;
    if (rec_log)
        rec_log[0] = '\0';
    rec_len = 0;
    pthread_mutex_unlock(&rec_lock);
    return out;
}
