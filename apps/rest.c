/* rest: Ryu's rest app (ryu.app.rest), networks, their ports and the
 * ports' MAC addresses over REST, on the network service (ken/network.h).
 *
 *   GET    /v1.0/networks                                   ["net1", ...]
 *   POST   /v1.0/networks/{network_id}                      409 if it exists
 *   PUT    /v1.0/networks/{network_id}                      no-op if it exists
 *   DELETE /v1.0/networks/{network_id}                      with its ports and MACs; 404
 *   GET    /v1.0/networks/{network_id}                      [[dpid, port_no], ...]; 404
 *   POST   /v1.0/networks/{network_id}/{dpid}_{port_no}     404 network, 409 port taken
 *   PUT    /v1.0/networks/{network_id}/{dpid}_{port_no}     moves it from another network
 *   DELETE /v1.0/networks/{network_id}/{dpid}_{port_no}     404
 *   GET    .../{dpid}_{port_no}/macs                        [] or ["aa:bb:cc:dd:ee:ff"]; 404
 *   POST   .../{dpid}_{port_no}/macs/{mac}                  409 if the port has a MAC
 *   PUT    .../{dpid}_{port_no}/macs/{mac}                  no-op if the same; 409 another
 *
 * A dpid is 16 lowercase hex digits and a port number a decimal without
 * leading zero (Ryu's requirements: other paths match no route, 404); a
 * port number past 32 bits, a malformed MAC address or network id is 400.
 * Writes answer 200 with an empty body; errors {"error": "..."}. */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "ken/app.h"
#include "ken/network.h"
#include "ken/wsapi.h"

#include "rest_common.h"

static void reply_err(struct ken_ws_response *resp, int err, const char *what)
{
    char safe[400];
    ken_ws_reply_error(resp, rest_status(err), "%s: %s", ken_network_error_name(err),
                       rest_echo(what, safe, sizeof safe));
}

/* {dpid}_{port_no}: the route's requirement has checked the form. */
static bool port_param(const struct ken_ws_request *req, struct ken_ws_response *resp, uint64_t *dpid,
                       uint32_t *port_no)
{
    const char *s = ken_ws_param(req, "dpid_port");
    if (!s || strlen(s) < 18 || s[16] != '_' || rest_parse_dpid(s, 16, dpid) ||
        rest_parse_u32(s + 17, port_no)) {
        char safe[64];
        ken_ws_reply_error(resp, 400, "bad port %s: {dpid}_{port_no} with a 32-bit port number",
                           rest_echo(s, safe, sizeof safe));
        return false;
    }
    return true;
}

static void networks_list(struct ken_app *app, const struct ken_ws_request *req, struct ken_ws_response *resp)
{
    (void)req;
    size_t n;
    errno = 0;   /* NULL is also the answer for no network */
    char **ids = ken_network_list(ken_network_of(app), &n);
    if (!ids && errno == ENOMEM) {
        ken_ws_reply_error(resp, 500, "out of memory");
        return;
    }
    struct json_object *a = json_object_new_array_ext((int)n);
    for (size_t i = 0; i < n; i++)
        json_object_array_add(a, json_object_new_string(ids[i]));
    free(ids);
    ken_ws_reply_json(resp, 200, a);
}

static void network_write(struct ken_app *app, const struct ken_ws_request *req, struct ken_ws_response *resp)
{
    struct ken_network *nw = ken_network_of(app);
    const char *id = ken_ws_param(req, "network_id");
    int err = !strcmp(req->method, "POST")  ? ken_network_create(nw, id)
              : !strcmp(req->method, "PUT") ? ken_network_update(nw, id)
                                            : ken_network_remove(nw, id);
    if (err)
        reply_err(resp, err, id);
}

static void ports_list(struct ken_app *app, const struct ken_ws_request *req, struct ken_ws_response *resp)
{
    const char *id = ken_ws_param(req, "network_id");
    struct ken_network_port *ports;
    size_t n;
    int err = ken_network_list_ports(ken_network_of(app), id, &ports, &n);
    if (err) {
        reply_err(resp, err, id);
        return;
    }
    /* Ryu's shape: a list of [dpid, port_no] pairs, dpid as a number. */
    struct json_object *a = json_object_new_array_ext((int)n);
    for (size_t i = 0; i < n; i++) {
        struct json_object *pair = json_object_new_array_ext(2);
        json_object_array_add(pair, json_object_new_uint64(ports[i].dpid));
        json_object_array_add(pair, json_object_new_uint64(ports[i].port_no));
        json_object_array_add(a, pair);
    }
    free(ports);
    ken_ws_reply_json(resp, 200, a);
}

static void port_write(struct ken_app *app, const struct ken_ws_request *req, struct ken_ws_response *resp)
{
    struct ken_network *nw = ken_network_of(app);
    const char *id = ken_ws_param(req, "network_id");
    uint64_t dpid;
    uint32_t port_no;
    if (!port_param(req, resp, &dpid, &port_no))
        return;
    int err = !strcmp(req->method, "POST")  ? ken_network_create_port(nw, id, dpid, port_no)
              : !strcmp(req->method, "PUT") ? ken_network_update_port(nw, id, dpid, port_no)
                                            : ken_network_remove_port(nw, id, dpid, port_no);
    if (err) {
        char what[400];
        snprintf(what, sizeof what, "network %s, port %016" PRIx64 "_%" PRIu32, id, dpid, port_no);
        reply_err(resp, err, what);
    }
}

static void macs_list(struct ken_app *app, const struct ken_ws_request *req, struct ken_ws_response *resp)
{
    const char *id = ken_ws_param(req, "network_id");
    uint64_t dpid;
    uint32_t port_no;
    if (!port_param(req, resp, &dpid, &port_no))
        return;
    uint8_t mac[6];
    bool has;
    int err = ken_network_get_mac(ken_network_of(app), id, dpid, port_no, mac, &has);
    if (err) {
        char what[400];
        snprintf(what, sizeof what, "network %s, port %016" PRIx64 "_%" PRIu32, id, dpid, port_no);
        reply_err(resp, err, what);
        return;
    }
    struct json_object *a = json_object_new_array();
    if (has) {
        char s[18];
        ken_mac_format(mac, s);
        json_object_array_add(a, json_object_new_string(s));
    }
    ken_ws_reply_json(resp, 200, a);
}

static void mac_write(struct ken_app *app, const struct ken_ws_request *req, struct ken_ws_response *resp)
{
    struct ken_network *nw = ken_network_of(app);
    const char *id = ken_ws_param(req, "network_id");
    const char *text = ken_ws_param(req, "mac_addr");
    uint64_t dpid;
    uint32_t port_no;
    uint8_t mac[6];
    if (!port_param(req, resp, &dpid, &port_no))
        return;
    /* Validated before anything is looked at or recorded. */
    if (ken_mac_parse(text, mac)) {
        char safe[64];
        ken_ws_reply_error(resp, 400, "bad MAC address %s: aa:bb:cc:dd:ee:ff", rest_echo(text, safe, sizeof safe));
        return;
    }
    int err = !strcmp(req->method, "POST") ? ken_network_create_mac(nw, id, dpid, port_no, mac)
                                           : ken_network_update_mac(nw, id, dpid, port_no, mac);
    if (err) {
        char what[400];
        snprintf(what, sizeof what, "network %s, port %016" PRIx64 "_%" PRIu32 ", MAC %s", id, dpid, port_no, text);
        reply_err(resp, err, what);
    }
}

static const struct ken_ws_requirement port_req[] = {{"dpid_port", REST_DPID_PATTERN "_" REST_DIGIT_PATTERN},
                                                     {NULL, NULL}};

static const struct ken_route rest_routes[] = {
    {"networks", "/v1.0/networks", "GET,HEAD", NULL, networks_list},
    {"networks", "/v1.0/networks/{network_id}", "POST,PUT,DELETE", NULL, network_write},
    {"ports", "/v1.0/networks/{network_id}", "GET", NULL, ports_list},
    {"ports", "/v1.0/networks/{network_id}/{dpid_port}", "POST,PUT,DELETE", port_req, port_write},
    {"macs", "/v1.0/networks/{network_id}/{dpid_port}/macs", "GET", port_req, macs_list},
    {"macs", "/v1.0/networks/{network_id}/{dpid_port}/macs/{mac_addr}", "POST,PUT", port_req, mac_write},
    {NULL, NULL, NULL, NULL, NULL},
};

static const struct ken_app_desc rest_app = {
    .name = "rest",
    .contexts = (const char *const[]){"network", NULL},
    .routes = rest_routes,
};
KEN_APP_REGISTER(rest_app)
