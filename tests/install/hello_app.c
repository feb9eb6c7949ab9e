/* An out-of-tree app for tests/install/install.sh: built from the
 * installed headers with `pkg-config --cflags --libs ken` only, loaded
 * into the installed ken-manager. It logs at start and answers
 * GET /install/{name} with {"hello": name, "msg_bytes": N}. */
#include <json-c/json.h>

#include "ken/app.h"
#include "ken/log.h"
#include "ken/ofp_types.h"
#include "ken/wsapi.h"

static void hello(struct ken_app *app, const struct ken_ws_request *req, struct ken_ws_response *resp)
{
    (void)app;
    struct json_object *o = json_object_new_object();
    json_object_object_add(o, "hello", json_object_new_string(ken_ws_param(req, "name")));
    json_object_object_add(o, "msg_bytes", json_object_new_int((int)sizeof(struct ken_ofp_hello)));
    ken_ws_reply_json(resp, 200, o);
}

static int hello_start(struct ken_app *app)
{
    (void)app;
    KEN_LOG_INFO("hello_app", "hello_app started with ken's installed headers");
    return 0;
}

static const struct ken_app_desc hello_app = {
    .name = "hello_app",
    .start = hello_start,
    .routes = (const struct ken_route[]){
        {"hello", "/install/{name}", "GET", NULL, hello},
        {NULL, NULL, NULL, NULL, NULL},
    },
};
KEN_APP_REGISTER(hello_app);
