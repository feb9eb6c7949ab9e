/* gui_topology: the topology page (Ryu's ryu.app.gui_topology, live):
 * switches, links and hosts drawn with cytoscape.js and listed in tables,
 * kept up to date over ws_topology's WebSocket; a switch clicked shows
 * its ports with per-second counters and its flows (ofctl_rest).
 *
 *   GET /                      the page
 *   GET /gui/{file}            its script, style and cytoscape.min.js
 *
 * Loading it loads rest_topology, ws_topology, ofctl_rest (and switches).
 * Every file is in the binary (embedded at build time, cytoscape.js
 * fetched from npm then): nothing comes from elsewhere at run time. See
 * docs/gui.md. */
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "ken/app.h"
#include "ken/wsapi.h"

#include "gui_assets.h"

static void serve(const struct gui_asset *a, struct ken_ws_response *resp)
{
    ken_ws_reply(resp, 200, a->content_type, a->data, a->len);
    ken_ws_add_header(resp, "Cache-Control", "no-cache");
    ken_ws_add_header(resp, "X-Content-Type-Options", "nosniff");
}

/* Whether s can be a cookie's value as it is (RFC 6265 cookie-octets). */
static bool cookie_safe(const char *s)
{
    for (; *s; s++) {
        unsigned char c = (unsigned char)*s;
        if (c < 0x21 || c > 0x7e || c == '"' || c == ',' || c == ';' || c == '\\')
            return false;
    }
    return true;
}

static void asset_get(struct ken_app *app, const struct ken_ws_request *req, struct ken_ws_response *resp)
{
    (void)app;
    for (const struct gui_asset *a = gui_assets; a->path; a++) {
        if (!strcmp(a->path, req->path)) {
            serve(a, resp);
            /* Opened as /?token=...: the server took the token (else this
             * would not run), and the page's own files, which the browser
             * fetches without it, need it too: as the cookie ken_token. */
            const char *token = ken_ws_query(req, "token");
            if (token && *token && strlen(token) < 1024 && cookie_safe(token)) {
                char cookie[1100];
                snprintf(cookie, sizeof cookie, "ken_token=%s; Path=/; HttpOnly; SameSite=Strict", token);
                ken_ws_add_header(resp, "Set-Cookie", cookie);
            }
            return;
        }
    }
    ken_ws_reply_error(resp, 404, "no file %s", req->path);
}

static const struct ken_ws_requirement file_req[] = {{"file", "[A-Za-z0-9_.-]+"}, {NULL, NULL}};

static const struct ken_route gui_topology_routes[] = {
    {"gui", "/", "GET", NULL, asset_get},
    {"gui", "/gui/{file}", "GET", file_req, asset_get},
    {NULL, NULL, NULL, NULL, NULL},
};

static const struct ken_app_desc gui_topology_app = {
    .name = "gui_topology",
    .required_apps = (const char *const[]){"rest_topology", "ws_topology", "ofctl_rest", NULL},
    .routes = gui_topology_routes,
};
KEN_APP_REGISTER(gui_topology_app)
