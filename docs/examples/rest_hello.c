/* rest_hello: a REST app for ken-manager (docs/apps.md, "REST routes").
 *
 *   build/ken-manager --wsapi-port 8080 build/rest_hello.so
 *   curl -s http://127.0.0.1:8080/hello/world
 *   curl -s -X PUT -d '{"greeting": "bonjour"}' http://127.0.0.1:8080/greeting
 *
 * Its state needs no lock: every route's handler runs on the app's own
 * thread, one at a time, like its other handlers. */
#include <errno.h>
#include <json-c/json.h>
#include <stdlib.h>
#include <string.h>

#include "ken/app.h"
#include "ken/wsapi.h"

struct hello_state {
    char greeting[64];
    unsigned long greeted;
};

/* GET /hello/{name}: {"greeting": "hello", "name": "world", "count": 1} */
static void say_hello(struct ken_app *app, const struct ken_ws_request *req, struct ken_ws_response *resp)
{
    struct hello_state *st = ken_app_data(app);
    struct json_object *o = json_object_new_object();
    json_object_object_add(o, "greeting", json_object_new_string(st->greeting));
    json_object_object_add(o, "name", json_object_new_string(ken_ws_param(req, "name")));
    json_object_object_add(o, "count", json_object_new_uint64(++st->greeted));
    ken_ws_reply_json(resp, 200, o);
}

/* PUT /greeting {"greeting": "bonjour"}: 204, or 400 saying what is wrong. */
static void set_greeting(struct ken_app *app, const struct ken_ws_request *req, struct ken_ws_response *resp)
{
    struct hello_state *st = ken_app_data(app);
    struct json_object *body = ken_ws_body_json(req, resp);
    if (!body)
        return; /* a 400 is already set */
    struct json_object *g;
    if (!json_object_object_get_ex(body, "greeting", &g) || !json_object_is_type(g, json_type_string) ||
        json_object_get_string_len(g) >= (int)sizeof st->greeting) {
        ken_ws_reply_error(resp, 400, "expected {\"greeting\": \"a string of at most %zu bytes\"}",
                           sizeof st->greeting - 1);
    } else {
        strcpy(st->greeting, json_object_get_string(g));
        ken_ws_reply(resp, 204, NULL, NULL, 0);
    }
    json_object_put(body);
}

static int hello_start(struct ken_app *app)
{
    struct hello_state *st = calloc(1, sizeof *st);
    if (!st)
        return ENOMEM;
    strcpy(st->greeting, "hello");
    ken_app_set_data(app, st);
    return 0;
}

static void hello_stop(struct ken_app *app) { free(ken_app_data(app)); }

static const struct ken_app_desc rest_hello = {
    .name = "rest_hello",
    .start = hello_start,
    .stop = hello_stop,
    /* No handler to list: the runtime routes requests to these. */
    .routes = (const struct ken_route[]){
        {"hello", "/hello/{name}", "GET",
         (const struct ken_ws_requirement[]){{"name", "[A-Za-z0-9_-]{1,32}"}, {NULL, NULL}}, say_hello},
        {"greeting", "/greeting", "PUT", NULL, set_greeting},
        {NULL, NULL, NULL, NULL, NULL},
    },
};
KEN_APP_REGISTER(rest_hello);
