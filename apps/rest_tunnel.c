/* rest_tunnel: Ryu's rest_tunnel app (ryu.app.rest_tunnel), tunnel keys
 * and tunnel ports over REST, on the tunnels service (ken/tunnels.h).
 *
 *   GET    /v1.0/tunnels/networks/{network_id}/key                 42; 404
 *   DELETE /v1.0/tunnels/networks/{network_id}/key                 404
 *   POST   /v1.0/tunnels/networks/{network_id}/key/{key}           409 if the network has a key or the key is taken
 *   PUT    /v1.0/tunnels/networks/{network_id}/key/{key}           no-op if the same; 409
 *   GET    /v1.0/tunnels/switches/{dpid}/ports                     [port_no, ...]
 *   GET    /v1.0/tunnels/switches/{dpid}/ports/{port_no}           "remote dpid"; 404
 *   DELETE /v1.0/tunnels/switches/{dpid}/ports/{port_no}           404
 *   POST   /v1.0/tunnels/switches/{dpid}/ports/{port_no}/{remote}  409 if it is a tunnel port
 *   PUT    /v1.0/tunnels/switches/{dpid}/ports/{port_no}/{remote}  no-op if the same; 409 another
 *
 * Ryu declared the last four without a controller (they answered 500):
 * here they work as its comments describe. Keys and port numbers are
 * decimal without leading zero, dpids 16 lowercase hex digits (Ryu's
 * requirements: other paths match no route, 404); a key or port number
 * past 32 bits, or a malformed network id on a write, is 400. A key does
 * not need the network to exist (see ken/tunnels.h). Writes answer 200
 * with an empty body. */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "ken/app.h"
#include "ken/tunnels.h"
#include "ken/wsapi.h"

#include "rest_common.h"

/* The network id for an error message. */
static const char *nid(const char *id, char safe[300]) { return rest_echo(id, safe, 300); }

static bool dpid_param(const struct ken_ws_request *req, struct ken_ws_response *resp, const char *name,
                       uint64_t *dpid)
{
    const char *s = ken_ws_param(req, name);
    if (!s || strlen(s) != 16 || rest_parse_dpid(s, 16, dpid)) {
        char safe[64];
        ken_ws_reply_error(resp, 400, "bad %s %s: 16 hex digits", name, rest_echo(s, safe, sizeof safe));
        return false;
    }
    return true;
}

static bool u32_param(const struct ken_ws_request *req, struct ken_ws_response *resp, const char *name,
                      uint32_t *v)
{
    const char *s = ken_ws_param(req, name);
    if (rest_parse_u32(s, v)) {
        char safe[64];
        ken_ws_reply_error(resp, 400, "bad %s %s: a 32-bit unsigned number", name, rest_echo(s, safe, sizeof safe));
        return false;
    }
    return true;
}

static void key_get(struct ken_app *app, const struct ken_ws_request *req, struct ken_ws_response *resp)
{
    const char *id = ken_ws_param(req, "network_id");
    uint32_t key;
    int err = ken_tunnels_get_key(ken_tunnels_of(app), id, &key);
    char safe[300];
    if (err)
        ken_ws_reply_error(resp, rest_status(err), "%s: network %s", ken_tunnels_error_name(err, false), nid(id, safe));
    else
        ken_ws_reply_json(resp, 200, json_object_new_uint64(key));
}

static void key_delete(struct ken_app *app, const struct ken_ws_request *req, struct ken_ws_response *resp)
{
    const char *id = ken_ws_param(req, "network_id");
    int err = ken_tunnels_delete_key(ken_tunnels_of(app), id);
    char safe[300];
    if (err)
        ken_ws_reply_error(resp, rest_status(err), "%s: network %s", ken_tunnels_error_name(err, false), nid(id, safe));
}

static void key_write(struct ken_app *app, const struct ken_ws_request *req, struct ken_ws_response *resp)
{
    struct ken_tunnels *t = ken_tunnels_of(app);
    const char *id = ken_ws_param(req, "network_id");
    uint32_t key;
    if (!u32_param(req, resp, "tunnel_key", &key))
        return;
    int err = !strcmp(req->method, "POST") ? ken_tunnels_register_key(t, id, key) : ken_tunnels_update_key(t, id, key);
    char safe[300];
    if (err)
        ken_ws_reply_error(resp, rest_status(err), "%s: network %s, key %" PRIu32, ken_tunnels_error_name(err, false),
                           nid(id, safe), key);
}

static void ports_list(struct ken_app *app, const struct ken_ws_request *req, struct ken_ws_response *resp)
{
    uint64_t dpid;
    if (!dpid_param(req, resp, "dpid", &dpid))
        return;
    uint32_t *ports;
    size_t n;
    if (ken_tunnels_list_ports(ken_tunnels_of(app), dpid, &ports, &n)) {
        ken_ws_reply_error(resp, 500, "out of memory");
        return;
    }
    struct json_object *a = json_object_new_array_ext((int)n);
    for (size_t i = 0; i < n; i++)
        json_object_array_add(a, json_object_new_uint64(ports[i]));
    free(ports);
    ken_ws_reply_json(resp, 200, a);
}

static void port_error(struct ken_ws_response *resp, int err, uint64_t dpid, uint32_t port_no)
{
    ken_ws_reply_error(resp, rest_status(err), "%s: port %016" PRIx64 " %" PRIu32, ken_tunnels_error_name(err, true),
                       dpid, port_no);
}

/* GET and DELETE of one tunnel port. */
static void port_one(struct ken_app *app, const struct ken_ws_request *req, struct ken_ws_response *resp)
{
    struct ken_tunnels *t = ken_tunnels_of(app);
    uint64_t dpid, remote;
    uint32_t port_no;
    if (!dpid_param(req, resp, "dpid", &dpid) || !u32_param(req, resp, "port_id", &port_no))
        return;
    if (!strcmp(req->method, "DELETE")) {
        int err = ken_tunnels_delete_port(t, dpid, port_no);
        if (err)
            port_error(resp, err, dpid, port_no);
        return;
    }
    int err = ken_tunnels_get_remote_dpid(t, dpid, port_no, &remote);
    if (err) {
        port_error(resp, err, dpid, port_no);
        return;
    }
    char s[17];
    snprintf(s, sizeof s, "%016" PRIx64, remote);
    ken_ws_reply_json(resp, 200, json_object_new_string(s));
}

static void port_write(struct ken_app *app, const struct ken_ws_request *req, struct ken_ws_response *resp)
{
    struct ken_tunnels *t = ken_tunnels_of(app);
    uint64_t dpid, remote;
    uint32_t port_no;
    if (!dpid_param(req, resp, "dpid", &dpid) || !u32_param(req, resp, "port_id", &port_no) ||
        !dpid_param(req, resp, "remote_dpid", &remote))
        return;
    int err = !strcmp(req->method, "POST") ? ken_tunnels_register_port(t, dpid, port_no, remote)
                                           : ken_tunnels_update_port(t, dpid, port_no, remote);
    if (err)
        port_error(resp, err, dpid, port_no);
}

static const struct ken_route tunnel_routes[] = {
    {"tunnel_key", "/v1.0/tunnels/networks/{network_id}/key", "GET,HEAD", NULL, key_get},
    {"tunnel_key", "/v1.0/tunnels/networks/{network_id}/key", "DELETE", NULL, key_delete},
    {"tunnel_key", "/v1.0/tunnels/networks/{network_id}/key/{tunnel_key}", "POST,PUT",
     (const struct ken_ws_requirement[]){{"tunnel_key", REST_DIGIT_PATTERN}, {NULL, NULL}}, key_write},
    {"tunnel_port", "/v1.0/tunnels/switches/{dpid}/ports", "GET,HEAD",
     (const struct ken_ws_requirement[]){{"dpid", REST_DPID_PATTERN}, {NULL, NULL}}, ports_list},
    {"tunnel_port", "/v1.0/tunnels/switches/{dpid}/ports/{port_id}", "GET,HEAD,DELETE",
     (const struct ken_ws_requirement[]){{"dpid", REST_DPID_PATTERN}, {"port_id", REST_DIGIT_PATTERN}, {NULL, NULL}},
     port_one},
    {"tunnel_port", "/v1.0/tunnels/switches/{dpid}/ports/{port_id}/{remote_dpid}", "POST,PUT",
     (const struct ken_ws_requirement[]){{"dpid", REST_DPID_PATTERN},
                                         {"port_id", REST_DIGIT_PATTERN},
                                         {"remote_dpid", REST_DPID_PATTERN},
                                         {NULL, NULL}},
     port_write},
    {NULL, NULL, NULL, NULL, NULL},
};

static const struct ken_app_desc rest_tunnel_app = {
    .name = "rest_tunnel",
    .contexts = (const char *const[]){"tunnels", NULL},
    .routes = tunnel_routes,
};
KEN_APP_REGISTER(rest_tunnel_app)
