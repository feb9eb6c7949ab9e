/* rest_topology: Ryu's topology REST API (ryu.app.rest_topology) on the
 * switches app (ken/topology.h), which it loads.
 *
 *   GET /v1.0/topology/switches[/{dpid}]   [{"dpid": .., "ports": [..]}, ..]
 *   GET /v1.0/topology/links[/{dpid}]      [{"src": port, "dst": port}, ..]  (links from dpid)
 *   GET /v1.0/topology/hosts[/{dpid}]      [{"mac": .., "ipv4": [..], "ipv6": [..], "port": port}, ..]
 *
 * A port is {"dpid": "%016x", "port_no": "%08x", "hw_addr": .., "name": ..}.
 * A dpid in the path is 16 lowercase hex digits (other paths: 404). Links
 * need link discovery: ken-manager --observe-links rest_topology. */
#include <errno.h>
#include <string.h>

#include "ken/app.h"
#include "ken/topology.h"
#include "ken/wsapi.h"

#include "rest_common.h"

/* Generous: the switches app answers from memory, unless it is busy. */
#define TOPO_REQUEST_TIMEOUT_MS 5000

/* The optional {dpid}: false after answering 400 (cannot happen through
 * the route's requirement, kept for a route without it). */
static bool topo_dpid(const struct ken_ws_request *req, struct ken_ws_response *resp, uint64_t *dpid, bool *has)
{
    const char *s = ken_ws_param(req, "dpid");
    *has = s != NULL;
    if (s && rest_parse_dpid(s, strlen(s), dpid)) {
        ken_ws_reply_error(resp, 400, "bad dpid");
        return false;
    }
    return true;
}

static void topo_failed(struct ken_ws_response *resp, int err)
{
    ken_ws_reply_error(resp, err == ETIMEDOUT ? 503 : 500, "the switches app did not answer: %s", strerror(err));
}

/* The JSON text written straight from the reply (no json-c objects: a
 * large network's links answer ten times sooner). */
static void topo_reply(struct ken_ws_response *resp, struct ken_buf *b)
{
    ken_ws_reply(resp, 200, "application/json", b->data, b->len);
    ken_buf_free(b);
}

static void switches_get(struct ken_app *app, const struct ken_ws_request *req, struct ken_ws_response *resp)
{
    (void)app;
    uint64_t dpid;
    bool has;
    if (!topo_dpid(req, resp, &dpid, &has))
        return;
    const struct ken_ev_topo_switch_reply *r;
    int err = ken_topology_get_switch(has ? &dpid : NULL, TOPO_REQUEST_TIMEOUT_MS, &r);
    if (err) {
        topo_failed(resp, err);
        return;
    }
    struct ken_buf b = KEN_BUF_INIT;
    ken_topo_switches_write_json(&b, r->switches, r->n);
    ken_event_unref(&r->rep.ev);
    topo_reply(resp, &b);
}

static void links_get(struct ken_app *app, const struct ken_ws_request *req, struct ken_ws_response *resp)
{
    (void)app;
    uint64_t dpid;
    bool has;
    if (!topo_dpid(req, resp, &dpid, &has))
        return;
    const struct ken_ev_topo_link_reply *r;
    int err = ken_topology_get_link(has ? &dpid : NULL, TOPO_REQUEST_TIMEOUT_MS, &r);
    if (err) {
        topo_failed(resp, err);
        return;
    }
    struct ken_buf b = KEN_BUF_INIT;
    ken_topo_links_write_json(&b, r->links, r->n);
    ken_event_unref(&r->rep.ev);
    topo_reply(resp, &b);
}

static void hosts_get(struct ken_app *app, const struct ken_ws_request *req, struct ken_ws_response *resp)
{
    (void)app;
    uint64_t dpid;
    bool has;
    if (!topo_dpid(req, resp, &dpid, &has))
        return;
    const struct ken_ev_topo_host_reply *r;
    int err = ken_topology_get_host(has ? &dpid : NULL, TOPO_REQUEST_TIMEOUT_MS, &r);
    if (err) {
        topo_failed(resp, err);
        return;
    }
    struct ken_buf b = KEN_BUF_INIT;
    ken_topo_hosts_write_json(&b, r->hosts, r->n);
    ken_event_unref(&r->rep.ev);
    topo_reply(resp, &b);
}

static const struct ken_ws_requirement dpid_req[] = {{"dpid", REST_DPID_PATTERN}, {NULL, NULL}};

static const struct ken_route rest_topology_routes[] = {
    {"topology", "/v1.0/topology/switches", "GET", NULL, switches_get},
    {"topology", "/v1.0/topology/switches/{dpid}", "GET", dpid_req, switches_get},
    {"topology", "/v1.0/topology/links", "GET", NULL, links_get},
    {"topology", "/v1.0/topology/links/{dpid}", "GET", dpid_req, links_get},
    {"topology", "/v1.0/topology/hosts", "GET", NULL, hosts_get},
    {"topology", "/v1.0/topology/hosts/{dpid}", "GET", dpid_req, hosts_get},
    {NULL, NULL, NULL, NULL, NULL},
};

static const struct ken_app_desc rest_topology_app = {
    .name = "rest_topology",
    .required_apps = (const char *const[]){"switches", NULL},
    .routes = rest_topology_routes,
};
KEN_APP_REGISTER(rest_topology_app)
