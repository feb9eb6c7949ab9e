/* The REST server in-process: what ken-manager cannot show from outside.
 * An app that stops while the server runs (503), stopping the server with
 * a deferred answer pending (503, and the late finish only frees), the
 * server's start-up errors, ken_wsapi_wanted, and routes from a shared
 * object (argv[1], tests/rest/rest_app.so). */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cmocka.h>

#include "ken/app.h"
#include "ken/wsapi.h"

static const char *module_path;

/* ---- a tiny HTTP client: one request per connection ---- */

static int http_send(uint16_t port, const char *method, const char *path)
{
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    assert_true(fd >= 0);
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons(port)};
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    assert_int_equal(connect(fd, (struct sockaddr *)&a, sizeof a), 0);
    struct timeval tv = {10, 0};
    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    char req[512];
    int n = snprintf(req, sizeof req, "%s %s HTTP/1.1\r\nHost: t\r\nConnection: close\r\n\r\n", method, path);
    assert_int_equal(send(fd, req, (size_t)n, 0), n);
    return fd;
}

/* Reads the answer to its end; returns the status, body in body. */
static int http_read(int fd, char *body, size_t body_len)
{
    static char buf[65536];
    size_t got = 0;
    ssize_t n;
    while (got < sizeof buf - 1 && (n = recv(fd, buf + got, sizeof buf - 1 - got, 0)) > 0)
        got += (size_t)n;
    buf[got] = '\0';
    close(fd);
    int status = 0;
    if (sscanf(buf, "HTTP/1.1 %d", &status) != 1)
        return -1;
    const char *b = strstr(buf, "\r\n\r\n");
    snprintf(body, body_len, "%s", b ? b + 4 : "");
    return status;
}

static int http(uint16_t port, const char *method, const char *path, char *body, size_t body_len)
{
    return http_read(http_send(port, method, path), body, body_len);
}

/* ---- the app ---- */

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t cond = PTHREAD_COND_INITIALIZER;
static struct ken_ws_deferred *parked;
static struct ken_app *served_by;

static void ping(struct ken_app *app, const struct ken_ws_request *req, struct ken_ws_response *resp)
{
    (void)req;
    served_by = ken_app_self() == app ? app : NULL;
    ken_ws_reply(resp, 200, "text/plain", "pong", 4);
}

/* Parks the request: the test finishes it later. */
static void park(struct ken_app *app, const struct ken_ws_request *req, struct ken_ws_response *resp)
{
    (void)app;
    pthread_mutex_lock(&lock);
    parked = ken_ws_defer(req, resp);
    pthread_cond_signal(&cond);
    pthread_mutex_unlock(&lock);
}

static const struct ken_app_desc served = {
    .name = "served",
    .routes = (const struct ken_route[]){
        {"ping", "/ping", "GET", NULL, ping},
        {"park", "/park", "GET", NULL, park},
        {NULL, NULL, NULL, NULL, NULL},
    },
};
KEN_APP_REGISTER(served);

static const struct ken_app_desc bad_routes = {
    .name = "bad_routes",
    .routes = (const struct ken_route[]){
        {"bad", "/x/{id}", "GET", (const struct ken_ws_requirement[]){{"id", "(["}, {NULL, NULL}}, ping},
        {NULL, NULL, NULL, NULL, NULL},
    },
};
KEN_APP_REGISTER(bad_routes);

/* A non-blocking app: its handler may run on the server's own thread when
 * the app is idle (KEN_APP_NONBLOCKING), still as the app. */
static void nb_ping(struct ken_app *app, const struct ken_ws_request *req, struct ken_ws_response *resp)
{
    (void)req;
    ken_ws_reply(resp, ken_app_self() == app ? 200 : 500, "text/plain", "nb", 2);
}

static const struct ken_app_desc nonblocking = {
    .name = "nonblocking",
    .flags = KEN_APP_NONBLOCKING,
    .routes = (const struct ken_route[]){{"nb", "/nb", "GET", NULL, nb_ping}, {NULL, NULL, NULL, NULL, NULL}},
};
KEN_APP_REGISTER(nonblocking);

static const struct ken_app_desc plain = {.name = "plain"};
KEN_APP_REGISTER(plain);

static uint16_t start(void)
{
    char why[192];
    struct ken_wsapi_options o = {.host = "127.0.0.1", .port = 0, .timeout_ms = 5000};
    int err = ken_wsapi_start(&o, why);
    if (err)
        fail_msg("ken_wsapi_start: %s", why);
    assert_int_not_equal(ken_wsapi_port(), 0);
    return ken_wsapi_port();
}

static void wanted_and_load_errors(void **state)
{
    (void)state;
    char why[KEN_WHY_LEN];
    assert_int_equal(ken_app_load_one("plain", why), 0);
    assert_false(ken_wsapi_wanted());
    /* A bad route fails the load, naming the app and the route. */
    assert_int_equal(ken_app_load_one("bad_routes", why), EINVAL);
    assert_non_null(strstr(why, "bad_routes"));
    assert_non_null(strstr(why, "bad regex"));
    assert_int_equal(ken_app_load_one("served", why), 0);
    assert_true(ken_wsapi_wanted());

    char wwhy[192];
    struct ken_wsapi_options o = {.host = "no-such-host.invalid", .port = 0};
    assert_int_not_equal(ken_wsapi_start(&o, wwhy), 0);
    assert_non_null(strstr(wwhy, "no-such-host.invalid"));
    o = (struct ken_wsapi_options){.host = "127.0.0.1", .auth_token_file = "/nonexistent/token"};
    assert_int_equal(ken_wsapi_start(&o, wwhy), ENOENT);
    assert_non_null(strstr(wwhy, "/nonexistent/token"));
    assert_int_equal(ken_wsapi_port(), 0); /* not running */
    ken_runtime_shutdown();
}

static void app_stopped_gives_503(void **state)
{
    (void)state;
    char why[KEN_WHY_LEN], body[512];
    assert_int_equal(ken_app_load_one("served", why), 0);
    uint16_t port = start();
    char again[192];
    struct ken_wsapi_options o = {.host = "127.0.0.1"};
    assert_int_equal(ken_wsapi_start(&o, again), EALREADY);

    served_by = NULL;
    assert_int_equal(http(port, "GET", "/ping", body, sizeof body), 200);
    assert_string_equal(body, "pong");
    assert_ptr_equal(served_by, ken_app_lookup("served"));

    assert_int_equal(ken_app_unload("served", KEN_STOP_DRAIN), 0);
    assert_int_equal(http(port, "GET", "/ping", body, sizeof body), 503);
    assert_non_null(strstr(body, "\"error\""));
    assert_non_null(strstr(body, "not running"));
    ken_wsapi_stop();
    ken_runtime_shutdown();
}

static void stop_with_a_deferred_answer(void **state)
{
    (void)state;
    char why[KEN_WHY_LEN], body[512];
    assert_int_equal(ken_app_load_one("served", why), 0);
    uint16_t port = start();
    int fd = http_send(port, "GET", "/park");
    pthread_mutex_lock(&lock);
    while (!parked)
        pthread_cond_wait(&cond, &lock);
    struct ken_ws_deferred *d = parked;
    parked = NULL;
    pthread_mutex_unlock(&lock);

    ken_wsapi_stop();
    assert_int_equal(http_read(fd, body, sizeof body), 503);
    assert_non_null(strstr(body, "stopping"));
    /* After the 503 the finish only frees (ASan: no leak, no use after free). */
    ken_ws_reply(ken_ws_deferred_response(d), 200, "text/plain", "late", 4);
    assert_string_equal(ken_ws_deferred_request(d)->path, "/park");
    ken_ws_deferred_finish(d);

    /* And the server starts again. */
    port = start();
    assert_int_equal(http(port, "GET", "/ping", body, sizeof body), 200);
    ken_wsapi_stop();
    ken_runtime_shutdown();
}

static void nonblocking_app(void **state)
{
    (void)state;
    char why[KEN_WHY_LEN], body[512];
    assert_int_equal(ken_app_load_one("nonblocking", why), 0);
    uint16_t port = start();
    for (int i = 0; i < 50; i++) {
        assert_int_equal(http(port, "GET", "/nb", body, sizeof body), 200);
        assert_string_equal(body, "nb");
    }
    ken_wsapi_stop();
    ken_runtime_shutdown();
}

/* Routes of an app in a shared object, loaded like any other. */
static void routes_from_a_shared_object(void **state)
{
    (void)state;
    char why[KEN_WHY_LEN], body[4096];
    if (ken_app_load_one(module_path, why))
        fail_msg("%s", why);
    uint16_t port = start();
    assert_int_equal(http(port, "GET", "/echo/so/7", body, sizeof body), 200);
    assert_non_null(strstr(body, "\"on_app_thread\":true"));
    assert_non_null(strstr(body, "\"b\":\"7\""));
    ken_wsapi_stop();
    ken_runtime_shutdown();
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: %s rest_app.so\n", argv[0]);
        return 2;
    }
    module_path = argv[1];
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(wanted_and_load_errors),
        cmocka_unit_test(app_stopped_gives_503),
        cmocka_unit_test(stop_with_a_deferred_answer),
        cmocka_unit_test(nonblocking_app),
        cmocka_unit_test(routes_from_a_shared_object),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
