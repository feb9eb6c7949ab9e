/* ws_topology: topology events pushed over a WebSocket, as Ryu's
 * ryu.app.ws_topology, so that Ryu's clients (and ken's topology page,
 * gui_topology) work unchanged.
 *
 *   GET /v1.0/topology/ws   (WebSocket)
 *
 * Each event is a JSON-RPC 2.0 call from the server:
 *   {"jsonrpc": "2.0", "method": "event_switch_enter", "params": [switch], "id": 1}
 * with Ryu's methods and shapes (the switches app's to_dict, as GET
 * /v1.0/topology/... answers): event_switch_enter, event_switch_leave
 * (a switch), event_link_add, event_link_delete (a link), event_host_add
 * (a host); and ken's additions: event_host_delete (a host),
 * event_host_move ({"src": host, "dst": host}), event_port_add,
 * event_port_delete, event_port_modify (a port, with "state" and "config"
 * added: the 32-bit OpenFlow port state and config, and "down"). ken's
 * additions go only to clients that ask for them with ?events=all (the
 * topology page does): a Ryu client gets exactly Ryu's calls. Clients answer
 * with results ({"id": .., "result": ""}); they are read and dropped, and
 * nothing waits for them. A client just connected gets nothing until
 * something changes: it asks the REST routes (rest_topology) for the
 * whole picture. The ids count up from 1 across all clients. */
#include <inttypes.h>
#include <stdbool.h>
#include <stdatomic.h>
#include <string.h>

#include <json-c/json.h>

#include "ken/app.h"
#include "ken/topology.h"
#include "ken/wsapi.h"

#define WS_ROUTE "topology_ws"
/* The tags of the two kinds of clients: Ryu's calls only, or all. */
static const char TAG_RYU[] = "topology_ws";
static const char TAG_ALL[] = "topology_ws_all";

static atomic_ullong rpc_id;

/* ryu: a call Ryu's ws_topology makes too (sent to every client). */
static void rpc_send_to(bool ryu, const char *method, struct json_object *param)
{
    size_t n = ken_ws_websockets(TAG_ALL) + (ryu ? ken_ws_websockets(TAG_RYU) : 0);
    if (!n) {
        json_object_put(param);
        return;
    }
    struct json_object *o = json_object_new_object(), *params = json_object_new_array();
    json_object_array_add(params, param);
    json_object_object_add(o, "jsonrpc", json_object_new_string("2.0"));
    json_object_object_add(o, "method", json_object_new_string(method));
    json_object_object_add(o, "params", params);
    json_object_object_add(o, "id", json_object_new_int64((int64_t)atomic_fetch_add(&rpc_id, 1) + 1));
    size_t len;
    const char *text = json_object_to_json_string_length(o, JSON_C_TO_STRING_PLAIN, &len);
    ken_ws_broadcast(TAG_ALL, text, len);
    if (ryu)
        ken_ws_broadcast(TAG_RYU, text, len);
    json_object_put(o);
}

#define rpc_send(method, param) rpc_send_to(true, method, param)
#define rpc_send_ken(method, param) rpc_send_to(false, method, param)

static void on_switch_enter(struct ken_app *app, const struct ken_event *ev)
{
    (void)app;
    rpc_send("event_switch_enter", ken_topo_switch_to_json(&ken_ev_topo_switch(ev)->sw));
}

static void on_switch_leave(struct ken_app *app, const struct ken_event *ev)
{
    (void)app;
    rpc_send("event_switch_leave", ken_topo_switch_to_json(&ken_ev_topo_switch(ev)->sw));
}

static void on_link_add(struct ken_app *app, const struct ken_event *ev)
{
    (void)app;
    rpc_send("event_link_add", ken_topo_link_to_json(&ken_ev_topo_link(ev)->link));
}

static void on_link_delete(struct ken_app *app, const struct ken_event *ev)
{
    (void)app;
    rpc_send("event_link_delete", ken_topo_link_to_json(&ken_ev_topo_link(ev)->link));
}

static void on_host_add(struct ken_app *app, const struct ken_event *ev)
{
    (void)app;
    rpc_send("event_host_add", ken_topo_host_to_json(&ken_ev_topo_host(ev)->host));
}

static void on_host_delete(struct ken_app *app, const struct ken_event *ev)
{
    (void)app;
    rpc_send_ken("event_host_delete", ken_topo_host_to_json(&ken_ev_topo_host(ev)->host));
}

static void on_host_move(struct ken_app *app, const struct ken_event *ev)
{
    (void)app;
    const struct ken_ev_topo_host_move *m = ken_ev_topo_host_move(ev);
    struct json_object *o = json_object_new_object();
    json_object_object_add(o, "src", ken_topo_host_to_json(&m->src));
    json_object_object_add(o, "dst", ken_topo_host_to_json(&m->dst));
    rpc_send_ken("event_host_move", o);
}

static struct json_object *port_json(const struct ken_event *ev)
{
    const struct ken_topo_port *p = &ken_ev_topo_port(ev)->port;
    struct json_object *o = ken_topo_port_to_json(p);
    json_object_object_add(o, "state", json_object_new_int64(p->state));
    json_object_object_add(o, "config", json_object_new_int64(p->config));
    json_object_object_add(o, "down", json_object_new_boolean(ken_topo_port_is_down(p)));
    return o;
}

static void on_port_add(struct ken_app *app, const struct ken_event *ev)
{
    (void)app;
    rpc_send_ken("event_port_add", port_json(ev));
}

static void on_port_delete(struct ken_app *app, const struct ken_event *ev)
{
    (void)app;
    rpc_send_ken("event_port_delete", port_json(ev));
}

static void on_port_modify(struct ken_app *app, const struct ken_event *ev)
{
    (void)app;
    rpc_send_ken("event_port_modify", port_json(ev));
}

static void ws_open(struct ken_app *app, const struct ken_ws_request *req, struct ken_ws_response *resp)
{
    (void)app;
    const char *events = ken_ws_query(req, "events");
    if (events && strcmp(events, "all") && strcmp(events, "ryu")) {
        ken_ws_reply_error(resp, 400, "events is all or ryu");
        return;
    }
    ken_ws_accept_websocket_tagged(req, resp, events && !strcmp(events, "all") ? TAG_ALL : TAG_RYU);
}

static const struct ken_route ws_topology_routes[] = {
    {WS_ROUTE, "/v1.0/topology/ws", "GET", NULL, ws_open},
    {NULL, NULL, NULL, NULL, NULL},
};

static const struct ken_app_desc ws_topology_app = {
    .name = "ws_topology",
    .required_apps = (const char *const[]){"switches", NULL},
    .routes = ws_topology_routes,
    .handlers = (const struct ken_handler[]){
        {KEN_EV_TOPO_SWITCH_ENTER, 0, on_switch_enter},
        {KEN_EV_TOPO_SWITCH_LEAVE, 0, on_switch_leave},
        {KEN_EV_TOPO_LINK_ADD, 0, on_link_add},
        {KEN_EV_TOPO_LINK_DELETE, 0, on_link_delete},
        {KEN_EV_TOPO_HOST_ADD, 0, on_host_add},
        {KEN_EV_TOPO_HOST_DELETE, 0, on_host_delete},
        {KEN_EV_TOPO_HOST_MOVE, 0, on_host_move},
        {KEN_EV_TOPO_PORT_ADD, 0, on_port_add},
        {KEN_EV_TOPO_PORT_DELETE, 0, on_port_delete},
        {KEN_EV_TOPO_PORT_MODIFY, 0, on_port_modify},
        {NULL, 0, NULL},
    },
};
KEN_APP_REGISTER(ws_topology_app)
