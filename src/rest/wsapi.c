/* The REST server (ken/wsapi.h) on libmicrohttpd.
 *
 * MHD runs its own polling thread (poll(); see ken_wsapi_start for why
 * not epoll). A request is read and routed
 * there; a matched one is an "exchange": its connection is suspended and
 * the exchange, whose first member is an EventWSRequest, is posted to the
 * route's app without waiting. The app's thread runs the dispatcher (the
 * handler the runtime gives apps with routes), which calls the route's
 * function; its answer resumes the connection, and MHD's thread sends it.
 * No thread per request: one MHD thread, the apps' threads, and one
 * watchdog thread that answers 503 for exchanges past the timeout.
 *
 * Each exchange is answered exactly once: by its handler, the watchdog or
 * the server stopping, whichever first moves its state from PENDING to
 * DONE under srv.lock (and resumes the connection under it, so the daemon
 * is never stopped between the two). The exchange is reference-counted:
 * the MHD request, the event and a deferred handle each hold one. */
#include "rest/route.h"
#include "rest/websocket.h"
#include "runtime/runtime.h"
#include "runtime/xalloc.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <microhttpd.h>
#include <netdb.h>
#include <netinet/in.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <json-c/json.h>

#define LOG_MOD "wsapi"
#define DEFAULT_TIMEOUT_MS 10000u
#define DEFAULT_MAX_BODY ((size_t)1 << 20)
/* Key, certificate and token files are small; a larger one is a mistake. */
#define MAX_FILE_BYTES ((size_t)1 << 20)
/* A connection's buffer for the request line and headers (libmicrohttpd
 * clears it for every request, so larger costs time on each). */
#define CONNECTION_MEMORY ((size_t)32 << 10)
/* The path in an access log line is cut there. */
#define ACCESS_LOG_PATH_MAX 512
/* How long stopping waits for answers still being sent. */
#define STOP_DRAIN_MS 2000
#define BODY_FIRST_ALLOC ((size_t)64 << 10)

KEN_EV_CLASS_DEFINE(ken_ev_ws_request_class, "EventWSRequest", ken_ev_request_base_class);

/* ---- responses ---- */

struct ws_header {
    char *name, *value;
};

/* A body several answers send (ken_ws_reply_same): one copy, freed with
 * its last reference (libmicrohttpd's, once queued). */
struct ws_shared {
    atomic_size_t refs;
    char *data;
};

struct ken_ws_response {
    int status;
    char *content_type;
    char *body;
    size_t len;
    struct ws_shared *shared; /* when not NULL, body is shared->data */
    struct ws_header *headers;
    size_t n_headers;
    bool upgrade;          /* 101: the connection becomes a WebSocket */
    const char *upgrade_tag; /* its tag for ken_ws_broadcast (NULL: the route's name) */
};

static void shared_unref(void *arg)
{
    struct ws_shared *s = arg;
    if (atomic_fetch_sub(&s->refs, 1) == 1) {
        free(s->data);
        free(s);
    }
}

static void response_clear_body(struct ken_ws_response *r)
{
    if (r->shared)
        shared_unref(r->shared);
    else
        free(r->body);
    free(r->content_type);
    r->body = r->content_type = NULL;
    r->shared = NULL;
    r->len = 0;
}

static void response_free(struct ken_ws_response *r)
{
    response_clear_body(r);
    for (size_t i = 0; i < r->n_headers; i++) {
        free(r->headers[i].name);
        free(r->headers[i].value);
    }
    free(r->headers);
    r->headers = NULL;
    r->n_headers = 0;
    r->upgrade = false;
    r->upgrade_tag = NULL;
}

#define xstrdup ken_xstrdup

static void *xmalloc(size_t n) { return ken_xmalloc(n ? n : 1); }

void ken_ws_reply(struct ken_ws_response *resp, int status, const char *content_type, const void *body, size_t len)
{
    response_clear_body(resp);
    resp->upgrade = false;
    resp->status = status;
    resp->content_type = content_type ? xstrdup(content_type) : NULL;
    resp->body = xmalloc(len);
    if (len)
        memcpy(resp->body, body, len);
    resp->len = len;
}

void ken_ws_reply_owned(struct ken_ws_response *resp, int status, const char *content_type, void *body, size_t len)
{
    response_clear_body(resp);
    resp->status = status;
    resp->content_type = content_type ? xstrdup(content_type) : NULL;
    resp->body = body ? body : xmalloc(0);
    resp->len = len;
}

void ken_ws_reply_json(struct ken_ws_response *resp, int status, struct json_object *obj)
{
    if (!obj) {
        ken_ws_reply(resp, status, "application/json", NULL, 0);
        return;
    }
    size_t len;
    const char *text = json_object_to_json_string_length(obj, JSON_C_TO_STRING_PLAIN, &len);
    ken_ws_reply(resp, status, "application/json", text, len);
    json_object_put(obj);
}

/* Bodies from this size on are shared rather than copied. */
#define SHARE_BYTES 4096

void ken_ws_reply_same(struct ken_ws_response *resp, const struct ken_ws_response *from)
{
    if (from->len < SHARE_BYTES || resp == from) {
        ken_ws_reply(resp, from->status, from->content_type, from->body, from->len);
    } else {
        /* from's body becomes shared: the same bytes, so from is the same
         * answer (its owner sends or frees it as before). */
        struct ken_ws_response *src = (struct ken_ws_response *)from;
        if (!src->shared) {
            src->shared = ken_xmalloc(sizeof *src->shared);
            atomic_init(&src->shared->refs, 1);
            src->shared->data = src->body;
        }
        atomic_fetch_add(&src->shared->refs, 1);
        response_clear_body(resp);
        resp->status = src->status;
        resp->content_type = src->content_type ? xstrdup(src->content_type) : NULL;
        resp->body = src->body;
        resp->len = src->len;
        resp->shared = src->shared;
    }
    for (size_t i = 0; i < from->n_headers; i++)
        ken_ws_add_header(resp, from->headers[i].name, from->headers[i].value);
}

/* The length of the valid UTF-8 sequence at p (at most n bytes), 0 when
 * the bytes there are not one (RFC 3629: no overlongs, no surrogates). */
static size_t utf8_seq(const unsigned char *p, size_t n)
{
    size_t len = p[0] < 0x80 ? 1 : p[0] >= 0xc2 && p[0] <= 0xdf ? 2 : p[0] >= 0xe0 && p[0] <= 0xef ? 3
                 : p[0] >= 0xf0 && p[0] <= 0xf4 ? 4 : 0;
    if (!len || len > n)
        return 0;
    for (size_t i = 1; i < len; i++)
        if ((p[i] & 0xc0) != 0x80)
            return 0;
    if ((p[0] == 0xe0 && p[1] < 0xa0) || (p[0] == 0xed && p[1] > 0x9f) || (p[0] == 0xf0 && p[1] < 0x90) ||
        (p[0] == 0xf4 && p[1] > 0x8f))
        return 0;
    return len;
}

static void reply_errorv(struct ken_ws_response *resp, int status, const char *fmt, va_list ap)
{
    char raw[512], msg[512 * 3];
    vsnprintf(raw, sizeof raw, fmt, ap);
    /* Messages quote what the client sent (a decoded path): bytes that are
     * not UTF-8 become U+FFFD, so the body is always valid JSON. */
    size_t n = strlen(raw), out = 0;
    for (size_t i = 0; i < n;) {
        size_t len = utf8_seq((const unsigned char *)raw + i, n - i);
        if (len) {
            memcpy(msg + out, raw + i, len);
            out += len;
            i += len;
        } else {
            memcpy(msg + out, "\xef\xbf\xbd", 3);
            out += 3;
            i++;
        }
    }
    msg[out] = 0;
    struct json_object *o = json_object_new_object();
    if (!o)
        ken_oom();
    json_object_object_add(o, "error", json_object_new_string(msg));
    ken_ws_reply_json(resp, status, o);
}

void ken_ws_reply_error(struct ken_ws_response *resp, int status, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    reply_errorv(resp, status, fmt, ap);
    va_end(ap);
}

static bool header_text_ok(const char *s)
{
    return !strpbrk(s, "\r\n");
}

int ken_ws_add_header(struct ken_ws_response *resp, const char *name, const char *value)
{
    if (!name || !value || !*name || !header_text_ok(name) || !header_text_ok(value) || strpbrk(name, ": \t"))
        return EINVAL;
    struct ws_header *h = realloc(resp->headers, (resp->n_headers + 1) * sizeof *h);
    if (!h)
        ken_oom();
    resp->headers = h;
    h[resp->n_headers++] = (struct ws_header){xstrdup(name), xstrdup(value)};
    return 0;
}

/* ---- WebSockets ---- */

/* Whether the comma-separated header value holds token (any case). */
static bool header_has_token(const char *value, const char *token)
{
    size_t tlen = strlen(token);
    for (const char *p = value; p && *p;) {
        p += strspn(p, " \t,");
        size_t n = strcspn(p, ",");
        size_t m = n;
        while (m && (p[m - 1] == ' ' || p[m - 1] == '\t'))
            m--;
        if (m == tlen && !strncasecmp(p, token, tlen))
            return true;
        p += n;
    }
    return false;
}

int ken_ws_accept_websocket(const struct ken_ws_request *req, struct ken_ws_response *resp)
{
    return ken_ws_accept_websocket_tagged(req, resp, NULL);
}

int ken_ws_accept_websocket_tagged(const struct ken_ws_request *req, struct ken_ws_response *resp, const char *tag)
{
    const char *upgrade = ken_ws_header(req, "Upgrade"), *connection = ken_ws_header(req, "Connection");
    const char *version = ken_ws_header(req, "Sec-WebSocket-Version"), *key = ken_ws_header(req, "Sec-WebSocket-Key");
    char accept[WS_ACCEPT_LEN];
    if (strcmp(req->method, "GET") || !upgrade || !header_has_token(upgrade, "websocket") || !connection ||
        !header_has_token(connection, "upgrade")) {
        ken_ws_reply_error(resp, 400, "a WebSocket: GET with Upgrade: websocket and Connection: Upgrade");
        return EINVAL;
    }
    if (!version || strcmp(version, "13")) {
        ken_ws_reply_error(resp, 426, "WebSocket version 13 only");
        ken_ws_add_header(resp, "Sec-WebSocket-Version", "13");
        return EINVAL;
    }
    if (!ws_accept_key(key, accept)) {
        ken_ws_reply_error(resp, 400, "bad Sec-WebSocket-Key");
        return EINVAL;
    }
    ken_ws_reply(resp, 101, NULL, NULL, 0);
    resp->upgrade = true;
    resp->upgrade_tag = tag;
    ken_ws_add_header(resp, "Upgrade", "websocket");
    ken_ws_add_header(resp, "Sec-WebSocket-Accept", accept);
    return 0;
}

size_t ken_ws_broadcast(const char *route_name, const char *text, size_t len)
{
    return ws_broadcast(route_name, text, len);
}

size_t ken_ws_websockets(const char *route_name)
{
    return ws_count(route_name);
}

/* ---- exchanges ---- */

enum x_state {
    X_READING,  /* MHD's thread reads and routes it */
    X_PENDING,  /* posted to its app; on the pending list */
    X_DONE,     /* answered (answer says by whom) */
};

struct exchange {
    struct ken_ev_request ev;   /* EventWSRequest: first */
    atomic_uint refs;
    _Atomic int state;          /* enum x_state; changed under srv.lock once posted */
    struct exchange *prev, *next;
    uint64_t start_ns, deadline_ns;
    struct MHD_Connection *conn;
    bool started, too_large, deferred;
    const struct route_compiled *route;
    struct ken_app *app;
    struct ken_ws_request req;
    struct ken_ws_response resp;        /* the handler's */
    struct ken_ws_response server_resp; /* the server's own: timeout, stop */
    struct ken_ws_response *answer;     /* which of the two goes out */
    char *uri;                  /* as received: path and query */
    char *method;
    size_t raw_path_len;
    struct route_path path;
    const char **values;
    char *query_storage;
    char **query_names, **query_values;
    size_t n_query;
    struct ws_header *in_headers;   /* copies of the request's headers */
    char *in_header_storage;
    size_t n_in_headers;
    uint8_t *body;
    size_t body_len, body_cap;
    char remote[64];
};

static struct {
    pthread_mutex_t lock;
    pthread_cond_t cond;          /* the watchdog's */
    struct exchange *head, *tail; /* pending, oldest first: deadlines in order */
    bool stopping, watchdog_quit;
    uint64_t watchdog_until;      /* when the watchdog wakes; UINT64_MAX: when told */
    pthread_t watchdog;
    bool running;
    atomic_uint active;           /* requests begun and not completed */
    struct MHD_Daemon *daemon;
    uint16_t port;
    uint32_t timeout_ms;
    size_t max_body;
    bool auth;
    unsigned char token_digest[32];
    char *key_pem, *cert_pem;
    /* Kept until the next start (a handler still running at stop reads its
     * parameter names here). */
    struct route_compiled *routes;
    size_t n_routes;
} srv = {.lock = PTHREAD_MUTEX_INITIALIZER};

static uint64_t now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

static void exchange_free(struct exchange *x)
{
    response_free(&x->resp);
    response_free(&x->server_resp);
    free(x->uri);
    free(x->method);
    route_path_free(&x->path);
    free(x->values);
    free(x->query_storage);
    free(x->query_names);
    free(x->query_values);
    free(x->in_headers);
    free(x->in_header_storage);
    free(x->body);
    free(x);
}

static void exchange_unref(struct exchange *x)
{
    if (atomic_fetch_sub_explicit(&x->refs, 1, memory_order_acq_rel) == 1)
        exchange_free(x);
}

static void exchange_event_free(struct ken_event *ev)
{
    exchange_unref((struct exchange *)ev);
}

static struct exchange *exchange_of(const struct ken_ws_request *req)
{
    return (struct exchange *)((char *)req - offsetof(struct exchange, req));
}

/* srv.lock held. Unlinks x, chooses its answer and resumes its
 * connection. */
static void exchange_finish_locked(struct exchange *x, struct ken_ws_response *answer)
{
    atomic_store_explicit(&x->state, X_DONE, memory_order_release);
    x->answer = answer;
    if (x->prev)
        x->prev->next = x->next;
    else
        srv.head = x->next;
    if (x->next)
        x->next->prev = x->prev;
    else
        srv.tail = x->prev;
    x->prev = x->next = NULL;
    MHD_resume_connection(x->conn);
}

/* The handler's answer, if x still waits for one. */
static void exchange_complete(struct exchange *x)
{
    pthread_mutex_lock(&srv.lock);
    if (atomic_load_explicit(&x->state, memory_order_relaxed) == X_PENDING)
        exchange_finish_locked(x, &x->resp);
    pthread_mutex_unlock(&srv.lock);
}

/* A server-made answer (503) if x still waits; srv.lock held. */
static void exchange_fail_locked(struct exchange *x, int status, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static void exchange_fail_locked(struct exchange *x, int status, const char *fmt, ...)
{
    if (atomic_load_explicit(&x->state, memory_order_relaxed) != X_PENDING)
        return;
    va_list ap;
    va_start(ap, fmt);
    reply_errorv(&x->server_resp, status, fmt, ap);
    va_end(ap);
    exchange_finish_locked(x, &x->server_resp);
}

/* ---- the app's side ---- */

/* The handler the runtime gives every app with routes: runs on the app's
 * thread, in order with its other events. */
static void ws_dispatch(struct ken_app *app, const struct ken_event *ev)
{
    struct exchange *x = (struct exchange *)ev;
    /* Answered already (timed out while queued, server stopped): the
     * client has its 503, the handler need not run. */
    if (atomic_load_explicit(&x->state, memory_order_acquire) != X_PENDING)
        return;
    x->route->route->fn(app, &x->req, &x->resp);
    if (!x->deferred)
        exchange_complete(x);
}

static int ws_check_routes(const struct ken_app_desc *desc, char *why, size_t why_len)
{
    char reason[ROUTE_WHY_LEN];
    int err = route_check_list(desc->routes, reason);
    if (err)
        snprintf(why, why_len, "app %s: %s", desc->name, reason);
    return err;
}

static const struct app_route_support ws_support = {&ken_ev_ws_request_class, ws_dispatch, ws_check_routes};

__attribute__((constructor)) static void ws_support_register(void) { app_set_route_support(&ws_support); }

struct ken_ws_deferred *ken_ws_defer(const struct ken_ws_request *req, struct ken_ws_response *resp)
{
    (void)resp;
    struct exchange *x = exchange_of(req);
    if (!x->deferred) {
        x->deferred = true;
        atomic_fetch_add_explicit(&x->refs, 1, memory_order_relaxed);
    }
    return (struct ken_ws_deferred *)x;
}

const struct ken_ws_request *ken_ws_deferred_request(struct ken_ws_deferred *d)
{
    return &((struct exchange *)d)->req;
}

struct ken_ws_response *ken_ws_deferred_response(struct ken_ws_deferred *d)
{
    return &((struct exchange *)d)->resp;
}

void ken_ws_deferred_finish(struct ken_ws_deferred *d)
{
    struct exchange *x = (struct exchange *)d;
    exchange_complete(x);
    exchange_unref(x);
}

/* ---- the request, as the handler sees it ---- */

const char *ken_ws_param(const struct ken_ws_request *req, const char *name)
{
    for (size_t i = 0; i < req->n_params; i++)
        if (!strcmp(req->param_names[i], name))
            return req->param_values[i];
    return NULL;
}

const char *ken_ws_query(const struct ken_ws_request *req, const char *name)
{
    const struct exchange *x = exchange_of(req);
    for (size_t i = 0; i < x->n_query; i++)
        if (!strcmp(x->query_names[i], name))
            return x->query_values[i];
    return NULL;
}

const char *ken_ws_header(const struct ken_ws_request *req, const char *name)
{
    const struct exchange *x = exchange_of(req);
    for (size_t i = 0; i < x->n_in_headers; i++)
        if (!strcasecmp(x->in_headers[i].name, name))
            return x->in_headers[i].value;
    return NULL;
}

/* ---- the watchdog ---- */

static void *watchdog_main(void *arg)
{
    (void)arg;
    pthread_mutex_lock(&srv.lock);
    while (!srv.watchdog_quit) {
        struct exchange *x = srv.head;
        if (!x) {
            srv.watchdog_until = UINT64_MAX;
            pthread_cond_wait(&srv.cond, &srv.lock);
            continue;
        }
        uint64_t now = now_ns();
        if (now >= x->deadline_ns) {
            exchange_fail_locked(x, 503, "app %s did not answer within %u ms", ken_app_name(x->app),
                                 (unsigned)srv.timeout_ms);
            continue;
        }
        /* Until the head's deadline even if it is answered before: every
         * later exchange has a later deadline, so one wake-up per timeout
         * period serves them all. */
        srv.watchdog_until = x->deadline_ns;
        struct timespec until = {(time_t)(x->deadline_ns / 1000000000u), (long)(x->deadline_ns % 1000000000u)};
        pthread_cond_timedwait(&srv.cond, &srv.lock, &until);
    }
    pthread_mutex_unlock(&srv.lock);
    return NULL;
}

/* ---- MHD's side ---- */

/* text (n bytes) for a log line: control bytes become '?', so that a
 * client cannot forge lines or send escape sequences to a terminal. */
static const char *printable(const char *text, size_t n, char *out, size_t out_len)
{
    size_t i = 0;
    for (; i < n && i + 1 < out_len; i++) {
        unsigned char c = (unsigned char)text[i];
        out[i] = c < 0x20 || c == 0x7f ? '?' : (char)c;
    }
    out[i] = '\0';
    return out;
}

static void access_log(const struct exchange *x, const char *method, int status)
{
    if (!ken_log_enabled(KEN_LOG_INFO, LOG_MOD))
        return;
    char path[ACCESS_LOG_PATH_MAX + 1], verb[32];
    printable(method, strlen(method), verb, sizeof verb);
    printable(x->uri, x->raw_path_len, path, sizeof path);
    ken_log(KEN_LOG_INFO, LOG_MOD, "%s %s %s%s %d %lluus", x->remote, verb, path,
            x->raw_path_len > ACCESS_LOG_PATH_MAX ? "..." : "", status,
            (unsigned long long)((now_ns() - x->start_ns) / 1000));
}

/* The 101 is out: the socket is the WebSocket thread's. Its tag (the
 * handler's, else the route's name) lives as long as the app. */
static void on_upgrade(void *cls, struct MHD_Connection *conn, void *con_cls, const char *extra_in,
                       size_t extra_in_size, MHD_socket sock, struct MHD_UpgradeResponseHandle *urh)
{
    (void)conn;
    (void)con_cls;
    struct exchange *x = cls;
    const struct ken_route *r = x->route->route;
    const char *tag = x->resp.upgrade_tag ? x->resp.upgrade_tag : r->name ? r->name : r->path;
    ws_upgraded(tag, sock, urh, extra_in, extra_in_size);
}

static enum MHD_Result send_response(struct exchange *x, const char *method, struct ken_ws_response *r)
{
    x->answer = NULL; /* once */
    int status = r->status;
    /* 1xx are interim answers libmicrohttpd does not send as final ones. */
    if ((status < 200 && !(status == 101 && r->upgrade)) || status > 599) {
        int bad = status;
        ken_ws_reply_error(r, 500, "the handler gave status %d", bad);
        KEN_LOG_ERROR(LOG_MOD, "route %s answered status %d, not an HTTP status", x->route ? x->route->route->name : "?",
                      bad);
        status = 500;
    }
    struct MHD_Response *m;
    if (r->upgrade && status == 101)
        m = MHD_create_response_for_upgrade(on_upgrade, x);
    else if (r->shared)
        m = MHD_create_response_from_buffer_with_free_callback_cls(r->len, r->body, shared_unref, r->shared);
    else
        m = MHD_create_response_from_buffer(r->len, r->body, MHD_RESPMEM_MUST_FREE);
    if (!m)
        return MHD_NO;
    if (r->upgrade && status == 101) { /* the upgrade takes no body */
        if (r->shared)
            shared_unref(r->shared);
        else
            free(r->body);
    }
    r->body = NULL;
    r->shared = NULL;
    r->len = 0;
    if (r->content_type)
        MHD_add_response_header(m, MHD_HTTP_HEADER_CONTENT_TYPE, r->content_type);
    for (size_t i = 0; i < r->n_headers; i++)
        MHD_add_response_header(m, r->headers[i].name, r->headers[i].value);
    enum MHD_Result ret = MHD_queue_response(x->conn, (unsigned)status, m);
    MHD_destroy_response(m);
    access_log(x, method, status);
    return ret;
}

/* An answer of the server's own (not posted to an app): sent at once when
 * now, else once the request's body is in (and dropped), which keeps the
 * connection alive for the next request. */
static enum MHD_Result server_answer(struct exchange *x, const char *method, bool now, int status, const char *header,
                                     const char *header_value, const char *fmt, ...)
    __attribute__((format(printf, 7, 8)));
static enum MHD_Result server_answer(struct exchange *x, const char *method, bool now, int status, const char *header,
                                     const char *header_value, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    reply_errorv(&x->server_resp, status, fmt, ap);
    va_end(ap);
    if (header)
        ken_ws_add_header(&x->server_resp, header, header_value);
    atomic_store(&x->state, X_DONE);
    x->answer = &x->server_resp;
    return now ? send_response(x, method, &x->server_resp) : MHD_YES;
}

#define send_error(x, method, ...) server_answer(x, method, true, __VA_ARGS__)
#define answer_error(x, method, ...) server_answer(x, method, false, __VA_ARGS__)

static void *on_uri(void *cls, const char *uri, struct MHD_Connection *conn)
{
    (void)cls;
    struct exchange *x = calloc(1, sizeof *x);
    if (!x)
        return NULL;
    if (!(x->uri = strdup(uri))) {
        free(x);
        return NULL;
    }
    atomic_init(&x->refs, 1);
    atomic_fetch_add_explicit(&srv.active, 1, memory_order_relaxed);
    x->start_ns = now_ns();
    x->conn = conn;
    x->raw_path_len = strcspn(uri, "?");
    return x;
}

static void on_completed(void *cls, struct MHD_Connection *conn, void **con_cls, enum MHD_RequestTerminationCode why)
{
    (void)cls;
    (void)conn;
    (void)why;
    if (*con_cls) {
        exchange_unref(*con_cls);
        atomic_fetch_sub_explicit(&srv.active, 1, memory_order_release);
    }
    *con_cls = NULL;
}

static void remote_format(struct exchange *x)
{
    const union MHD_ConnectionInfo *ci = MHD_get_connection_info(x->conn, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
    char host[INET6_ADDRSTRLEN] = "?";
    unsigned port = 0;
    if (ci && ci->client_addr && ci->client_addr->sa_family == AF_INET) {
        const struct sockaddr_in *a = (const struct sockaddr_in *)ci->client_addr;
        inet_ntop(AF_INET, &a->sin_addr, host, sizeof host);
        port = ntohs(a->sin_port);
        snprintf(x->remote, sizeof x->remote, "%s:%u", host, port);
    } else if (ci && ci->client_addr && ci->client_addr->sa_family == AF_INET6) {
        const struct sockaddr_in6 *a = (const struct sockaddr_in6 *)ci->client_addr;
        inet_ntop(AF_INET6, &a->sin6_addr, host, sizeof host);
        port = ntohs(a->sin6_port);
        snprintf(x->remote, sizeof x->remote, "[%s]:%u", host, port);
    } else {
        snprintf(x->remote, sizeof x->remote, "?");
    }
}

struct header_copy {
    struct exchange *x;
    size_t n, bytes;
    char *out;
};

static enum MHD_Result header_count(void *cls, enum MHD_ValueKind kind, const char *key, const char *value)
{
    (void)kind;
    struct header_copy *c = cls;
    c->n++;
    c->bytes += strlen(key) + 1 + (value ? strlen(value) : 0) + 1;
    return MHD_YES;
}

static enum MHD_Result header_store(void *cls, enum MHD_ValueKind kind, const char *key, const char *value)
{
    (void)kind;
    struct header_copy *c = cls;
    struct ws_header *h = &c->x->in_headers[c->x->n_in_headers++];
    size_t k = strlen(key) + 1, v = (value ? strlen(value) : 0) + 1;
    h->name = memcpy(c->out, key, k);
    c->out += k;
    h->value = memcpy(c->out, value ? value : "", v);
    c->out += v;
    return MHD_YES;
}

/* The request's headers, copied: the handler runs on another thread. */
static void headers_copy(struct exchange *x)
{
    struct header_copy c = {.x = x};
    MHD_get_connection_values(x->conn, MHD_HEADER_KIND, header_count, &c);
    x->in_headers = xmalloc(c.n * sizeof *x->in_headers);
    x->in_header_storage = c.out = xmalloc(c.bytes);
    MHD_get_connection_values(x->conn, MHD_HEADER_KIND, header_store, &c);
}

/* Splits and decodes the query. false for an invalid escape or a NUL. */
static bool query_parse(struct exchange *x, const char *query)
{
    size_t len = strlen(query), n = 1;
    for (size_t i = 0; i < len; i++)
        n += query[i] == '&';
    x->query_storage = xmalloc(len + n + 1);
    x->query_names = xmalloc(n * sizeof(char *));
    x->query_values = xmalloc(n * sizeof(char *));
    char *out = x->query_storage;
    for (const char *p = query; *p;) {
        size_t m = strcspn(p, "&");
        const char *eq = memchr(p, '=', m);
        size_t k = eq ? (size_t)(eq - p) : m;
        long dk = route_decode(p, k, out, true);
        if (dk < 0)
            return false;
        x->query_names[x->n_query] = out;
        out += dk + 1;
        long dv = eq ? route_decode(eq + 1, m - k - 1, out, true) : (out[0] = '\0', 0);
        if (dv < 0)
            return false;
        x->query_values[x->n_query++] = out;
        out += dv + 1;
        p += m;
        if (*p == '&')
            p++;
    }
    return true;
}

/* Authorization: Bearer <token>, compared through digests so that the
 * time taken says nothing about the token's bytes or length. */
static bool authorized(struct MHD_Connection *conn)
{
    const char *h = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, MHD_HTTP_HEADER_AUTHORIZATION);
    if (h && !strncasecmp(h, "Bearer ", 7)) {
        h += 7;
        while (*h == ' ')
            h++;
    } else if (!h) {
        /* A browser cannot set headers on a page it opens nor on a
         * WebSocket: the token as the cookie ken_token or the query
         * argument token (docs/rest.md). */
        h = MHD_lookup_connection_value(conn, MHD_COOKIE_KIND, "ken_token");
        if (!h)
            h = MHD_lookup_connection_value(conn, MHD_GET_ARGUMENT_KIND, "token");
        if (!h)
            return false;
    } else {
        return false;
    }
    unsigned char digest[32];
    unsigned int dlen = 0;
    if (!EVP_Digest(h, strlen(h), digest, &dlen, EVP_sha256(), NULL) || dlen != sizeof digest)
        return false;
    return CRYPTO_memcmp(digest, srv.token_digest, sizeof digest) == 0;
}

/* The first call for a request: headers are in. Checks, routes, and
 * either answers at once or waits for the body. */
static enum MHD_Result request_begin(struct exchange *x, struct MHD_Connection *conn, const char *method)
{
    remote_format(x);
    if (srv.auth && !authorized(conn))
        return answer_error(x, method, 401, MHD_HTTP_HEADER_WWW_AUTHENTICATE, "Bearer",
                          "missing or wrong bearer token");
    char why[ROUTE_WHY_LEN];
    int err = route_path_parse(x->uri, x->raw_path_len, &x->path, why);
    if (err)
        return answer_error(x, method, err == EINVAL ? 400 : 503, NULL, NULL, "%s", why);
    if (x->uri[x->raw_path_len] == '?' && !query_parse(x, x->uri + x->raw_path_len + 1))
        return answer_error(x, method, 400, NULL, NULL, "invalid percent-escape or NUL in the query");
    x->values = xmalloc(x->path.n_segs * sizeof *x->values);
    char allow[256];
    size_t index;
    switch (route_match(srv.routes, srv.n_routes, &x->path, method, &index, x->values, allow, sizeof allow)) {
    case ROUTE_NOT_FOUND:
        return answer_error(x, method, 404, NULL, NULL, "no route for %s", x->path.decoded);
    case ROUTE_BAD_METHOD:
        return answer_error(x, method, 405, MHD_HTTP_HEADER_ALLOW, allow, "method %s not allowed for %s (allowed: %s)",
                          method, x->path.decoded, allow);
    case ROUTE_FOUND:
        break;
    }
    x->route = &srv.routes[index];
    x->app = x->route->owner;
    const char *clen = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, MHD_HTTP_HEADER_CONTENT_LENGTH);
    if (clen) {
        char *end;
        errno = 0;
        unsigned long long n = strtoull(clen, &end, 10);
        if (errno || *end || end == clen)
            return send_error(x, method, 400, NULL, NULL, "bad Content-Length");
        if (n > srv.max_body)
            return send_error(x, method, 413, NULL, NULL, "the body is larger than %zu bytes", srv.max_body);
        /* Grown as the bytes come: a client announcing a large body and
         * sending nothing holds no more than this. */
        x->body_cap = n < BODY_FIRST_ALLOC ? (size_t)n : BODY_FIRST_ALLOC;
    }
    x->body = xmalloc(x->body_cap + 1);
    return MHD_YES;
}

static void body_append(struct exchange *x, const char *data, size_t n)
{
    if (x->too_large || n > srv.max_body - x->body_len) {
        /* Read on and dropped: the 413 goes out once the body is in. */
        x->too_large = true;
        return;
    }
    if (x->body_len + n > x->body_cap) {
        size_t cap = x->body_cap ? x->body_cap : 1024;
        while (cap < x->body_len + n)
            cap *= 2;
        if (cap > srv.max_body)
            cap = srv.max_body;
        uint8_t *b = realloc(x->body, cap + 1);
        if (!b)
            ken_oom();
        x->body = b;
        x->body_cap = cap;
    }
    memcpy(x->body + x->body_len, data, n);
    x->body_len += n;
}

/* The whole request is in: post it to its app. */
static enum MHD_Result request_post(struct exchange *x, const char *method)
{
    x->body[x->body_len] = '\0';
    headers_copy(x);
    /* A copy: MHD's own is reused once the request is answered, and a
     * handler past its timeout (or a deferred answer) may still read it. */
    x->method = xstrdup(method);
    x->req = (struct ken_ws_request){
        .method = x->method,
        .path = x->path.decoded,
        .route = x->route->route->name ? x->route->route->name : x->route->route->path,
        .query = x->uri[x->raw_path_len] == '?' ? x->uri + x->raw_path_len + 1 : "",
        .body = x->body,
        .body_len = x->body_len,
        .remote = x->remote,
        .n_params = x->route->n_params,
        .param_names = (const char *const *)x->route->param_names,
        .param_values = x->values,
    };
    x->resp.status = 200;
    ken_event_init(&x->ev.ev, ken_ev_ws_request_class.id, exchange_event_free);
    x->ev.dst = ken_app_name(x->app);
    atomic_fetch_add_explicit(&x->refs, 1, memory_order_relaxed); /* the event's */

    pthread_mutex_lock(&srv.lock);
    if (srv.stopping) {
        pthread_mutex_unlock(&srv.lock);
        ken_event_unref(&x->ev.ev);
        return send_error(x, method, 503, NULL, NULL, "the server is stopping");
    }
    MHD_suspend_connection(x->conn);
    atomic_store_explicit(&x->state, X_PENDING, memory_order_relaxed);
    x->deadline_ns = now_ns() + (uint64_t)srv.timeout_ms * 1000000u;
    x->prev = srv.tail;
    if (srv.tail)
        srv.tail->next = x;
    else
        srv.head = x;
    srv.tail = x;
    if (srv.watchdog_until == UINT64_MAX) /* it sleeps without a deadline */
        pthread_cond_signal(&srv.cond);
    pthread_mutex_unlock(&srv.lock);

    /* Never waits: MHD's thread serves every client. */
    if (ken_app_post(x->app, &x->ev.ev, KEN_PHASE_ANY, NULL)) {
        pthread_mutex_lock(&srv.lock);
        exchange_fail_locked(x, 503, "app %s is not running", ken_app_name(x->app));
        pthread_mutex_unlock(&srv.lock);
    }
    return MHD_YES;
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *conn, const char *url, const char *method,
                                  const char *version, const char *upload_data, size_t *upload_size, void **con_cls)
{
    (void)cls;
    (void)url;
    (void)version;
    struct exchange *x = *con_cls;
    if (!x)
        return MHD_NO; /* out of memory in on_uri */
    if (!x->started) {
        x->started = true;
        return request_begin(x, conn, method);
    }
    switch ((enum x_state)atomic_load_explicit(&x->state, memory_order_acquire)) {
    case X_READING:
        if (*upload_size) {
            body_append(x, upload_data, *upload_size);
            *upload_size = 0;
            return MHD_YES;
        }
        if (x->too_large)
            return send_error(x, method, 413, NULL, NULL, "the body is larger than %zu bytes", srv.max_body);
        return request_post(x, method);
    case X_PENDING:
        return MHD_YES; /* not reached: the connection is suspended */
    case X_DONE:
        break;
    }
    if (*upload_size) { /* a body after an answer made at once: dropped */
        *upload_size = 0;
        return MHD_YES;
    }
    return x->answer ? send_response(x, method, x->answer) : MHD_YES;
}

static void mhd_log(void *cls, const char *fmt, va_list ap)
{
    (void)cls;
    if (!ken_log_enabled(KEN_LOG_DEBUG, LOG_MOD))
        return;
    char msg[256];
    vsnprintf(msg, sizeof msg, fmt, ap);
    msg[strcspn(msg, "\n")] = '\0';
    ken_log(KEN_LOG_DEBUG, LOG_MOD, "microhttpd: %s", msg);
}

/* ---- starting and stopping ---- */

bool ken_wsapi_wanted(void)
{
    struct ken_app *apps[RT_APPS_MAX];
    size_t n = app_running(apps, RT_APPS_MAX);
    for (size_t i = 0; i < n; i++) {
        const struct ken_route *r = ken_app_desc(apps[i])->routes;
        if (r && r[0].path)
            return true;
    }
    return false;
}

static void routes_free(void)
{
    for (size_t i = 0; i < srv.n_routes; i++)
        route_free(&srv.routes[i]);
    free(srv.routes);
    srv.routes = NULL;
    srv.n_routes = 0;
}

static int routes_build(char *why)
{
    routes_free();
    struct ken_app *apps[RT_APPS_MAX];
    size_t n = app_running(apps, RT_APPS_MAX), total = 0;
    for (size_t i = 0; i < n; i++)
        for (const struct ken_route *r = ken_app_desc(apps[i])->routes; r && r->path; r++)
            total++;
    srv.routes = calloc(total ? total : 1, sizeof *srv.routes);
    if (!srv.routes) {
        snprintf(why, 192, "out of memory");
        return ENOMEM;
    }
    for (size_t i = 0; i < n; i++) {
        for (const struct ken_route *r = ken_app_desc(apps[i])->routes; r && r->path; r++) {
            /* Checked when the app loaded: only memory can fail here. */
            int err = route_compile(r, apps[i], &srv.routes[srv.n_routes], why);
            if (err)
                return err;
            srv.n_routes++;
        }
    }
    return 0;
}

/* A small file whole, NUL-terminated. */
static int file_read(const char *path, const char *what, char **out, char *why)
{
    *out = NULL;
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    struct stat st;
    if (fd < 0 || fstat(fd, &st)) {
        int err = errno;
        snprintf(why, 192, "cannot read the %s %s: %s", what, path, strerror(err));
        if (fd >= 0)
            close(fd);
        return err;
    }
    if (!S_ISREG(st.st_mode) || (size_t)st.st_size > MAX_FILE_BYTES) {
        snprintf(why, 192, "cannot read the %s %s: not a regular file of at most 1 MiB", what, path);
        close(fd);
        return EINVAL;
    }
    char *buf = malloc((size_t)st.st_size + 1);
    size_t got = 0;
    while (buf && got < (size_t)st.st_size) {
        ssize_t n = read(fd, buf + got, (size_t)st.st_size - got);
        if (n <= 0)
            break;
        got += (size_t)n;
    }
    close(fd);
    if (!buf || got != (size_t)st.st_size) {
        free(buf);
        snprintf(why, 192, "cannot read the %s %s", what, path);
        return EIO;
    }
    buf[got] = '\0';
    *out = buf;
    return 0;
}

static int token_load(const char *path, char *why)
{
    char *text;
    int err = file_read(path, "auth token file", &text, why);
    if (err)
        return err;
    size_t n = strlen(text);
    while (n && (text[n - 1] == '\n' || text[n - 1] == '\r' || text[n - 1] == ' ' || text[n - 1] == '\t'))
        text[--n] = '\0';
    const char *start = text + strspn(text, " \t\r\n");
    n = strlen(start);
    if (!n || strpbrk(start, " \t\r\n")) {
        snprintf(why, 192, "the auth token file %s must hold one token (one line, no spaces)", path);
        OPENSSL_cleanse(text, strlen(text));
        free(text);
        return EINVAL;
    }
    unsigned int dlen = 0;
    bool ok = EVP_Digest(start, n, srv.token_digest, &dlen, EVP_sha256(), NULL) && dlen == 32;
    OPENSSL_cleanse(text, strlen(text));
    free(text);
    if (!ok) {
        snprintf(why, 192, "cannot hash the auth token");
        return EIO;
    }
    srv.auth = true;
    return 0;
}

/* An encrypted key is refused, never asked for at a terminal (OpenSSL's
 * default without a callback). */
static int no_passphrase(char *buf, int size, int rwflag, void *u)
{
    (void)buf;
    (void)size;
    (void)rwflag;
    (void)u;
    return 0;
}

/* Reads and checks the key and certificate, so that a bad one is a clear
 * error here rather than MHD's silent refusal. */
static int tls_load(const char *cert_path, const char *key_path, char *why)
{
    if (MHD_is_feature_supported(MHD_FEATURE_TLS) != MHD_YES) {
        snprintf(why, 192, "this libmicrohttpd has no TLS support (HTTPS impossible)");
        return ENOTSUP;
    }
    int err = file_read(cert_path, "certificate", &srv.cert_pem, why);
    if (!err)
        err = file_read(key_path, "private key", &srv.key_pem, why);
    if (err)
        return err;
    BIO *cb = BIO_new_mem_buf(srv.cert_pem, -1), *kb = BIO_new_mem_buf(srv.key_pem, -1);
    X509 *cert = cb ? PEM_read_bio_X509(cb, NULL, no_passphrase, NULL) : NULL;
    EVP_PKEY *key = kb ? PEM_read_bio_PrivateKey(kb, NULL, no_passphrase, NULL) : NULL;
    if (!cert)
        snprintf(why, 192, "%s holds no PEM certificate", cert_path);
    else if (!key)
        snprintf(why, 192, "%s holds no PEM private key (or it is encrypted)", key_path);
    else if (X509_check_private_key(cert, key) != 1)
        snprintf(why, 192, "the private key %s does not match the certificate %s", key_path, cert_path);
    err = cert && key && X509_check_private_key(cert, key) == 1 ? 0 : EINVAL;
    X509_free(cert);
    EVP_PKEY_free(key);
    BIO_free(cb);
    BIO_free(kb);
    return err;
}

static int listen_socket(const char *host, uint16_t port, int *out, char *why)
{
    struct addrinfo hints = {.ai_family = AF_UNSPEC, .ai_socktype = SOCK_STREAM, .ai_flags = AI_PASSIVE};
    struct addrinfo *res;
    char port_text[8];
    snprintf(port_text, sizeof port_text, "%u", port);
    int gai = getaddrinfo(host, port_text, &hints, &res);
    if (gai) {
        snprintf(why, 192, "cannot resolve wsapi host %s: %s", host, gai_strerror(gai));
        return EINVAL;
    }
    int err = 0;
    for (struct addrinfo *ai = res; ai; ai = ai->ai_next) {
        int fd = socket(ai->ai_family, ai->ai_socktype | SOCK_NONBLOCK | SOCK_CLOEXEC, ai->ai_protocol);
        if (fd < 0) {
            err = errno;
            continue;
        }
        int one = 1;
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
        if (bind(fd, ai->ai_addr, ai->ai_addrlen) == 0 && listen(fd, 1024) == 0) {
            struct sockaddr_storage ss;
            socklen_t len = sizeof ss;
            getsockname(fd, (struct sockaddr *)&ss, &len);
            srv.port = ntohs(ss.ss_family == AF_INET6 ? ((struct sockaddr_in6 *)&ss)->sin6_port
                                                      : ((struct sockaddr_in *)&ss)->sin_port);
            *out = fd;
            freeaddrinfo(res);
            return 0;
        }
        err = errno;
        close(fd);
    }
    freeaddrinfo(res);
    snprintf(why, 192, "cannot listen on %s port %u: %s", host, port, strerror(err));
    return err ? err : EADDRNOTAVAIL;
}

static void start_undo(int fd)
{
    if (fd >= 0)
        close(fd);
    free(srv.cert_pem);
    free(srv.key_pem);
    srv.cert_pem = srv.key_pem = NULL;
    srv.auth = false;
    OPENSSL_cleanse(srv.token_digest, sizeof srv.token_digest);
}

int ken_wsapi_start(const struct ken_wsapi_options *opt, char why[192])
{
    why[0] = '\0';
    if (srv.running) {
        snprintf(why, 192, "the REST server is already running");
        return EALREADY;
    }
    const char *host = opt->host && *opt->host ? opt->host : "0.0.0.0";
    srv.timeout_ms = opt->timeout_ms ? opt->timeout_ms : DEFAULT_TIMEOUT_MS;
    srv.max_body = opt->max_body ? opt->max_body : DEFAULT_MAX_BODY;
    if ((opt->cert_file != NULL) != (opt->key_file != NULL)) {
        snprintf(why, 192, "HTTPS needs both a certificate and a key (--wsapi-cert and --wsapi-key)");
        return EINVAL;
    }
    int fd = -1;
    int err = routes_build(why);
    if (!err && opt->auth_token_file)
        err = token_load(opt->auth_token_file, why);
    if (!err && opt->cert_file)
        err = tls_load(opt->cert_file, opt->key_file, why);
    if (!err)
        err = listen_socket(host, opt->port, &fd, why);
    if (err) {
        start_undo(fd);
        return err;
    }
    pthread_condattr_t attr;
    pthread_condattr_init(&attr);
    pthread_condattr_setclock(&attr, CLOCK_MONOTONIC);
    pthread_cond_init(&srv.cond, &attr);
    pthread_condattr_destroy(&attr);
    srv.stopping = srv.watchdog_quit = false;
    srv.watchdog_until = 0; /* not asleep yet: it looks at the list first */
    srv.head = srv.tail = NULL;
    if ((err = pthread_create(&srv.watchdog, NULL, watchdog_main, NULL))) {
        snprintf(why, 192, "cannot start a thread: %s", strerror(err));
        pthread_cond_destroy(&srv.cond);
        start_undo(fd);
        return err;
    }
    pthread_setname_np(srv.watchdog, "wsapi-watchdog");
    /* Idle keep-alive connections are closed after this; suspended ones
     * (waiting for an app) are not timed by MHD. */
    unsigned idle_s = srv.timeout_ms / 1000 * 2 > 60 ? srv.timeout_ms / 1000 * 2 : 60;
    /* poll(), not epoll: with epoll, libmicrohttpd 0.9.75 loses the read
     * readiness of resumed connections under load (measured: 256 wrk
     * connections each with a request unread while its thread sleeps in
     * epoll_wait). poll() is level-triggered and rebuilt every round. */
    unsigned flags = MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_POLL | MHD_ALLOW_SUSPEND_RESUME | MHD_USE_ERROR_LOG |
                     MHD_ALLOW_UPGRADE;
    if (srv.cert_pem)
        flags |= MHD_USE_TLS;
    struct MHD_OptionItem tls_opts[] = {
        {MHD_OPTION_HTTPS_MEM_KEY, 0, srv.key_pem},
        {MHD_OPTION_HTTPS_MEM_CERT, 0, srv.cert_pem},
        {MHD_OPTION_END, 0, NULL},
    };
    /* A tuning knob (docs/rest.md): libmicrohttpd threads, 1 to 16. */
    const char *threads_env = getenv("KEN_WSAPI_THREADS");
    unsigned pool = 1;
    if (threads_env) {
        char *end;
        unsigned long n = strtoul(threads_env, &end, 10);
        if (*end || n < 1 || n > 16)
            KEN_LOG_WARNING(LOG_MOD, "KEN_WSAPI_THREADS=%.20s is not 1 to 16: one thread", threads_env);
        else
            pool = (unsigned)n;
    }
    ws_open_all();
    srv.daemon = MHD_start_daemon(
        flags, 0, NULL, NULL, on_request, NULL, MHD_OPTION_LISTEN_SOCKET, fd, MHD_OPTION_URI_LOG_CALLBACK, on_uri,
        NULL, MHD_OPTION_NOTIFY_COMPLETED, on_completed, NULL, MHD_OPTION_CONNECTION_TIMEOUT, idle_s,
        MHD_OPTION_CONNECTION_LIMIT, (unsigned)4096, MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)CONNECTION_MEMORY,
        MHD_OPTION_EXTERNAL_LOGGER, mhd_log, NULL, MHD_OPTION_ARRAY, srv.cert_pem ? tls_opts : tls_opts + 2,
        MHD_OPTION_THREAD_POOL_SIZE, pool, MHD_OPTION_END);
    if (!srv.daemon) {
        snprintf(why, 192, "libmicrohttpd refused to start on %s port %u%s", host, srv.port,
                 srv.cert_pem ? " (the certificate or key may be unusable)" : "");
        pthread_mutex_lock(&srv.lock);
        srv.watchdog_quit = true;
        pthread_cond_signal(&srv.cond);
        pthread_mutex_unlock(&srv.lock);
        pthread_join(srv.watchdog, NULL);
        pthread_cond_destroy(&srv.cond);
        /* Not closed: libmicrohttpd may have closed the socket it was
         * given, and closing a number reused since would be worse than
         * keeping one descriptor after a failed start. */
        start_undo(-1);
        return EIO;
    }
    srv.running = true;
    KEN_LOG_INFO(LOG_MOD, "listening on %s port %u%s", host, srv.port, srv.cert_pem ? " (HTTPS)" : "");
    return 0;
}

uint16_t ken_wsapi_port(void) { return srv.running ? srv.port : 0; }

void ken_wsapi_stop(void)
{
    if (!srv.running)
        return;
    /* No new connections; the listening socket comes back to us. */
    MHD_socket listen_fd = MHD_quiesce_daemon(srv.daemon);
    pthread_mutex_lock(&srv.lock);
    srv.stopping = true;
    while (srv.head)
        exchange_fail_locked(srv.head, 503, "the server is stopping");
    srv.watchdog_quit = true;
    pthread_cond_signal(&srv.cond);
    pthread_mutex_unlock(&srv.lock);
    pthread_join(srv.watchdog, NULL);
    pthread_cond_destroy(&srv.cond);
    /* WebSockets first: libmicrohttpd cannot stop with upgraded
     * connections open. */
    ws_close_all();
    /* The answers just made (503) and those on their way go out before
     * the connections close; a client that takes longer is cut off. */
    for (int i = 0; i < STOP_DRAIN_MS / 5 && atomic_load(&srv.active); i++)
        nanosleep(&(struct timespec){0, 5000000}, NULL);
    MHD_stop_daemon(srv.daemon);
    if (listen_fd != MHD_INVALID_SOCKET)
        close(listen_fd);
    srv.daemon = NULL;
    srv.running = false;
    start_undo(-1);
    KEN_LOG_INFO(LOG_MOD, "stopped");
}
