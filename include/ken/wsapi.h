/* wsapi: REST routes for apps, Ryu's wsgi @route in C.
 *
 * An app lists its routes in its descriptor (ken_app_desc.routes). When a
 * loaded app has routes, ken-manager runs the HTTP server (--wsapi-host,
 * --wsapi-port, as osken-manager). A request that matches a route becomes
 * an event for that app (class "EventWSRequest", a request in the sense of
 * ken_send_request), so the route's handler runs on the app's own thread,
 * in order with its other handlers: it needs no lock for the app's state.
 *
 *     static void list_networks(struct ken_app *app, const struct ken_ws_request *req,
 *                               struct ken_ws_response *resp)
 *     {
 *         ken_ws_reply_json(resp, 200, json_object_new_array());
 *     }
 *
 *     static const struct ken_route routes[] = {
 *         {"networks", "/v1.0/networks", "GET", NULL, list_networks},
 *         {"network", "/v1.0/networks/{network_id}", "POST,PUT,DELETE",
 *          (const struct ken_ws_requirement[]) {{"network_id", "[a-z0-9_-]+"}, {NULL, NULL}}, one_network},
 *         {NULL, NULL, NULL, NULL, NULL},
 *     };
 *     static const struct ken_app_desc my_app = {.name = "my_rest", .routes = routes, ...};
 *
 * Matching (Ryu's): the routes of every app in load order, each app's in
 * the order listed; the first whose template and requirements match the
 * path and whose methods hold the request's method wins. A path that some
 * route matches but none with this method: 405 with an Allow header. No
 * route: 404. A {name} part matches one path segment (no '/') and must
 * match its requirement's regular expression (POSIX extended, anchored at
 * both ends) when one is given. Bodies past the limit: 413. A handler that
 * does not answer within the timeout (ken-manager --wsapi-timeout): 503.
 * Every answer the server makes itself has a JSON body {"error": "..."}.
 *
 * See docs/rest.md. */
#ifndef KEN_WSAPI_H
#define KEN_WSAPI_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct ken_app;
struct json_object;

struct ken_ws_requirement {
    const char *param;   /* a {name} of the path template */
    const char *regex;   /* POSIX extended, matched against the whole part */
};

struct ken_ws_request;
struct ken_ws_response;

typedef void (*ken_ws_handler_fn)(struct ken_app *app, const struct ken_ws_request *req,
                                  struct ken_ws_response *resp);

struct ken_route {
    const char *name;    /* for logs ("networks") */
    const char *path;    /* template: "/v1.0/networks/{network_id}/{port_no}" */
    const char *methods; /* "GET", "PUT,POST", ...; NULL: every method */
    /* Terminated by {NULL, NULL}; NULL: no requirement. */
    const struct ken_ws_requirement *requirements;
    ken_ws_handler_fn fn;
};
/* A descriptor's route list ends with an entry whose path is NULL. */

/* ---- the request, as the handler sees it ----
 * Valid until the handler returns (or, for a deferred answer, until
 * ken_ws_deferred_finish). */
struct ken_ws_request {
    const char *method;        /* "GET" */
    const char *path;          /* percent-decoded, without the query */
    const char *route;         /* the matched route's name */
    const char *query;         /* the raw query string ("" when none) */
    const uint8_t *body;       /* body_len bytes, NUL-terminated past them */
    size_t body_len;
    const char *remote;        /* "127.0.0.1:51234" */
    /* The {name} parts of the template, in template order, decoded. */
    size_t n_params;
    const char *const *param_names;
    const char *const *param_values;
};

/* A path parameter by name; NULL when the template has none such. */
const char *ken_ws_param(const struct ken_ws_request *req, const char *name);
/* A query argument by name (decoded, first occurrence); NULL when absent. */
const char *ken_ws_query(const struct ken_ws_request *req, const char *name);
/* A request header by name (case-insensitive); NULL when absent. */
const char *ken_ws_header(const struct ken_ws_request *req, const char *name);

/* The body as JSON. NULL when it is not one JSON value: the response is
 * then already set to 400 with a JSON body saying what is wrong (where in
 * the text), and the handler just returns. An empty body is an error too.
 * The object is the caller's (json_object_put). */
struct json_object *ken_ws_body_json(const struct ken_ws_request *req, struct ken_ws_response *resp);

/* ---- the answer ----
 * A response starts as 200 with an empty body. The last call wins. A
 * status outside 200..599 is a handler's bug: the client gets 500 (and
 * the log says which route). */
/* body is copied; content_type NULL: no Content-Type header. */
void ken_ws_reply(struct ken_ws_response *resp, int status, const char *content_type, const void *body, size_t len);
/* The same, taking over body (malloc'd; NULL: an empty body) instead of
 * copying it. */
void ken_ws_reply_owned(struct ken_ws_response *resp, int status, const char *content_type, void *body, size_t len);
/* Takes over obj (NULL: an empty body); application/json. */
void ken_ws_reply_json(struct ken_ws_response *resp, int status, struct json_object *obj);
/* status with {"error": "<formatted message>"}. */
void ken_ws_reply_error(struct ken_ws_response *resp, int status, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* The same answer as from (status, body, headers): one result for
 * several requests that asked the same thing. A big body is shared, not
 * copied (from and resp may then be sent from different threads). */
void ken_ws_reply_same(struct ken_ws_response *resp, const struct ken_ws_response *from);
/* Adds a header to the answer (copied). 0, or EINVAL for a name or value
 * with a CR or LF. */
int ken_ws_add_header(struct ken_ws_response *resp, const char *name, const char *value);

/* ---- answering later ----
 * A handler that must wait for something (a switch's reply) without
 * stopping its app defers: the answer is sent when ken_ws_deferred_finish
 * is called, from any thread, with the response filled by the ken_ws_reply
 * calls on ken_ws_deferred_response(d). The request (and its body) stays
 * valid until then. If the timeout passes first, the client gets 503 and
 * finish only frees. Every deferred request must be finished exactly once. */
struct ken_ws_deferred;
/* Call it in the route's handler, with its req and resp. Calling it again
 * for the same request returns the same handle (still one finish). */
struct ken_ws_deferred *ken_ws_defer(const struct ken_ws_request *req, struct ken_ws_response *resp);
const struct ken_ws_request *ken_ws_deferred_request(struct ken_ws_deferred *d);
struct ken_ws_response *ken_ws_deferred_response(struct ken_ws_deferred *d);
void ken_ws_deferred_finish(struct ken_ws_deferred *d);

/* ---- WebSockets (RFC 6455) ----
 * A route's handler turns its connection into a WebSocket by answering
 * with ken_ws_accept_websocket: it checks the handshake (GET, Upgrade:
 * websocket, Connection: Upgrade, Sec-WebSocket-Version: 13, a valid
 * Sec-WebSocket-Key) and answers 101, or 400 (426 for another version)
 * and returns EINVAL. The socket then belongs to the server's WebSocket
 * thread: it answers pings and close frames, reads and drops the client's
 * data messages, closes a client that breaks the protocol (unmasked
 * frames, reserved bits, a message over 64 KiB) or reads too slowly.
 * An app sends with ken_ws_broadcast to every WebSocket opened through
 * routes of that name, from any thread. The token (--wsapi-auth-token-file)
 * is checked before the handler runs, as for any route; a browser gives
 * it as the cookie ken_token or the query argument ?token= (docs/rest.md). */
int ken_ws_accept_websocket(const struct ken_ws_request *req, struct ken_ws_response *resp);
/* The same with a tag of the app's choice in place of the route's name
 * (a string that lives as long as the app, such as a literal): one route
 * can so feed sockets that asked for different things. */
int ken_ws_accept_websocket_tagged(const struct ken_ws_request *req, struct ken_ws_response *resp, const char *tag);
/* A text message (UTF-8, len bytes) to every open WebSocket of the route
 * name (or tag); returns to how many. Never waits for a client. */
size_t ken_ws_broadcast(const char *route_name, const char *text, size_t len);
/* The open WebSockets of the route name or tag (NULL: all). */
size_t ken_ws_websockets(const char *route_name);

/* ---- the server (ken-manager drives it) ---- */

struct ken_wsapi_options {
    const char *host;            /* "0.0.0.0" (Ryu's default) */
    uint16_t port;               /* 8080 (Ryu's default); 0: any free port */
    const char *auth_token_file; /* NULL: no auth; else every request needs
                                    "Authorization: Bearer <the file's token>"
                                    (or the cookie ken_token, or ?token=) */
    const char *cert_file;       /* both set: HTTPS */
    const char *key_file;
    uint32_t timeout_ms;         /* a handler's answer; 0: 10000 */
    size_t max_body;             /* 0: 1 MiB */
};

/* Whether any running app has routes (the server runs only then). */
bool ken_wsapi_wanted(void);
/* Starts the server on the routes of the running apps (apps loaded later
 * are not served until it is restarted). One server per process:
 * EALREADY when it runs. 0, or an errno
 * with a one-line reason in why (address in use, unreadable token file,
 * bad certificate). */
int ken_wsapi_start(const struct ken_wsapi_options *opt, char why[192]);
/* The port it listens on (after start; useful with port 0). */
uint16_t ken_wsapi_port(void);
/* Stops it: connections are closed, deferred answers become 503. */
void ken_wsapi_stop(void);

#endif
