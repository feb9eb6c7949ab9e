/* The REST test app (a shared object ken-manager loads): one route per
 * behaviour the HTTP tests check (tests/rest/test_http.py). */
#include <json-c/json.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "ken/app.h"
#include "ken/log.h"
#include "ken/wsapi.h"

static struct json_object *str_or_null(const char *s) { return s ? json_object_new_string(s) : NULL; }

/* Everything the handler sees, and whether it runs on its app's thread. */
static void echo(struct ken_app *app, const struct ken_ws_request *req, struct ken_ws_response *resp)
{
    struct json_object *o = json_object_new_object();
    json_object_object_add(o, "route", json_object_new_string(req->route));
    json_object_object_add(o, "method", json_object_new_string(req->method));
    json_object_object_add(o, "path", json_object_new_string(req->path));
    json_object_object_add(o, "query", json_object_new_string(req->query));
    json_object_object_add(o, "remote", json_object_new_string(req->remote));
    struct json_object *params = json_object_new_object();
    for (size_t i = 0; i < req->n_params; i++)
        json_object_object_add(params, req->param_names[i], json_object_new_string(req->param_values[i]));
    json_object_object_add(o, "params", params);
    json_object_object_add(o, "a", str_or_null(ken_ws_param(req, "a")));
    json_object_object_add(o, "x", str_or_null(ken_ws_query(req, "x")));
    json_object_object_add(o, "header", str_or_null(ken_ws_header(req, "x-test-header")));
    json_object_object_add(o, "body", json_object_new_string_len((const char *)req->body, (int)req->body_len));
    json_object_object_add(o, "body_nul", json_object_new_boolean(req->body[req->body_len] == '\0'));
    json_object_object_add(o, "on_app_thread", json_object_new_boolean(ken_app_self() == app));
    json_object_object_add(o, "app", json_object_new_string(ken_app_name(app)));
    ken_ws_add_header(resp, "X-Echo", "yes");
    ken_ws_reply_json(resp, 200, o);
}

static void hello(struct ken_app *app, const struct ken_ws_request *req, struct ken_ws_response *resp)
{
    (void)app;
    (void)req;
    static const char body[] = "{\"hello\": \"world\"}";
    ken_ws_reply(resp, 200, "application/json", body, sizeof body - 1);
}

static void json_in(struct ken_app *app, const struct ken_ws_request *req, struct ken_ws_response *resp)
{
    (void)app;
    struct json_object *in = ken_ws_body_json(req, resp);
    if (!in)
        return; /* 400 already set */
    struct json_object *o = json_object_new_object();
    json_object_object_add(o, "got", in);
    ken_ws_reply_json(resp, 201, o);
}

static unsigned ms_arg(const struct ken_ws_request *req, unsigned dflt)
{
    const char *ms = ken_ws_query(req, "ms");
    return ms ? (unsigned)strtoul(ms, NULL, 10) : dflt;
}

static void sleep_ms(unsigned ms)
{
    struct timespec ts = {ms / 1000, (long)(ms % 1000) * 1000000L};
    nanosleep(&ts, NULL);
}

/* Blocks its app: the client gets 503 once the timeout passes. */
static void slow(struct ken_app *app, const struct ken_ws_request *req, struct ken_ws_response *resp)
{
    (void)app;
    sleep_ms(ms_arg(req, 2000));
    ken_ws_reply_error(resp, 200, "too late to be seen");
}

struct later {
    struct ken_ws_deferred *d;
    unsigned ms;
};

static void *finish_later(void *arg)
{
    struct later *l = arg;
    sleep_ms(l->ms);
    struct json_object *o = json_object_new_object();
    json_object_object_add(o, "deferred", json_object_new_int((int)l->ms));
    json_object_object_add(o, "path", json_object_new_string(ken_ws_deferred_request(l->d)->path));
    ken_ws_reply_json(ken_ws_deferred_response(l->d), 202, o);
    ken_ws_deferred_finish(l->d);
    free(l);
    return NULL;
}

/* Answers from another thread after ?ms= milliseconds; the app runs on. */
static void deferred(struct ken_app *app, const struct ken_ws_request *req, struct ken_ws_response *resp)
{
    (void)app;
    struct later *l = malloc(sizeof *l);
    l->d = ken_ws_defer(req, resp);
    l->ms = ms_arg(req, 100);
    pthread_t t;
    if (pthread_create(&t, NULL, finish_later, l)) {
        ken_ws_reply_error(resp, 500, "no thread");
        ken_ws_deferred_finish(l->d);
        free(l);
        return;
    }
    pthread_detach(t);
}

static void status(struct ken_app *app, const struct ken_ws_request *req, struct ken_ws_response *resp)
{
    (void)app;
    int code = atoi(ken_ws_param(req, "code"));
    if (ken_ws_add_header(resp, "X-Bad", "a\r\nb") == 0)
        code = 599; /* the header check failed */
    ken_ws_reply(resp, code, "text/plain", "ok\n", 3);
}

static const struct ken_route routes[] = {
    {"hello", "/hello", "GET", NULL, hello},
    {"echo", "/echo/{a}/{b}", "GET,POST",
     (const struct ken_ws_requirement[]){{"b", "[0-9]+"}, {NULL, NULL}}, echo},
    {"echo_any", "/any/{a}", NULL, NULL, echo},
    {"json", "/json", "POST,PUT", NULL, json_in},
    {"slow", "/slow", "GET", NULL, slow},
    {"deferred", "/deferred", "GET", NULL, deferred},
    {"status", "/status/{code}", "GET", (const struct ken_ws_requirement[]){{"code", "[1-9][0-9][0-9]"}, {NULL, NULL}},
     status},
    {"item_get", "/items/{id}", "GET", (const struct ken_ws_requirement[]){{"id", "[a-z]+"}, {NULL, NULL}}, echo},
    {"item_put", "/items/{id}", "PUT,DELETE", (const struct ken_ws_requirement[]){{"id", "[a-z]+"}, {NULL, NULL}},
     echo},
    {"root", "/", "GET", NULL, echo},
    {NULL, NULL, NULL, NULL, NULL},
};

static const struct ken_app_desc rest_test_app = {
    .name = "rest_test",
    .routes = routes,
};
KEN_APP_REGISTER(rest_test_app);
