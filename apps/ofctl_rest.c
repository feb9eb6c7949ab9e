/* ofctl_rest: Ryu's ofctl_rest app (ryu.app.ofctl_rest): switches' stats
 * and flow, group, meter and port changes over REST.
 *
 *     build/ken-manager --wsapi-port 8080 ofctl_rest simple_switch_13
 *     curl -s http://127.0.0.1:8080/stats/switches
 *     curl -s http://127.0.0.1:8080/stats/flow/1
 *
 * Every route of Ryu's app, with its statuses (docs/rest.md lists them).
 * A route finds the datapath (dpset), the conversion module of its version
 * (src/rest/ofctl/), which turns the route's arguments into OS-Ken JSON
 * messages; the app encodes them for the switch's version and:
 *   - for a stats route, hands the request to a small pool of worker
 *     threads and answers later (wsapi's deferred answers): a worker sends
 *     each message, waits for the whole reply (ken_datapath_request), has
 *     the module turn the parts into Ryu's value and answers
 *     {"<dpid>": value}. The app's own thread never waits on a switch, so
 *     other requests, switches and apps go on. The flow stats answer is
 *     written straight from the reply's bytes where it can be
 *     (rest/ofctl/flow_text.h), the same text without the JSON trees;
 *     identical queued requests share one round trip and one body;
 *   - for a write, sends the messages and answers 200 with no body (Ryu
 *     awaits no reply).
 * Where Ryu returned a partial or empty answer, ken says what went wrong:
 * 504 when the switch does not answer in time, 404 when it disconnects,
 * 502 for an OFPT_ERROR (decoded in the body) or a reply that does not
 * decode. Every error has a JSON body {"error": "..."}. */
#include <errno.h>
#include <inttypes.h>
#include <malloc.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <json-c/json.h>

#include "ken/app.h"
#include "ken/datapath.h"
#include "ken/dpset.h"
#include "ken/log.h"
#include "ken/ofp_errors.h"
#include "ken/ofp_event.h"
#include "ken/wsapi.h"
#include "rest/ofctl/flow_text.h"
#include "rest/ofctl/ofctl.h"
#include "rest/ofctl/util.h"
#include "rest/pyliteral.h"

#include "rest_common.h"

#define LOG_MOD "ofctl_rest"

/* Messages one route may build (Ryu's routes send one, a few at most). */
#define OFCTL_MAX_MSGS 64
/* Worker threads, all started with the app (idle ones cost a stack of
 * address space, no work): each waits on one switch at a time, and a
 * switch gets at most OFCTL_PER_SWITCH of them at once, so silent switches
 * cannot take every worker from the others (their further requests wait
 * in the queue). */
#define OFCTL_MAX_WORKERS 16
#define OFCTL_PER_SWITCH 4
/* Requests waiting for a worker; past it, 503 rather than memory without
 * bound. */
#define OFCTL_MAX_QUEUED 1024
/* How long a worker waits for a switch's whole reply (per message sent);
 * below wsapi's default timeout (10 s), so the client gets the 504.
 * KEN_OFCTL_REST_TIMEOUT (seconds, 0.01 to 3600) changes it. */
#define OFCTL_DEFAULT_TIMEOUT_MS 5000
/* Replies from this size on are followed by malloc_trim (see worker). */
#define OFCTL_TRIM_BYTES (64 * 1024)

/* ---- the worker pool ---- */

struct job {
    struct job *next;
    /* Queued requests identical to this one, answered with its result
     * (same_request): they came before its request went out, so its
     * reply is as fresh as one of their own would be. */
    struct job *followers;
    struct ken_ws_deferred *d;
    struct ken_datapath *dp;       /* a reference */
    uint64_t dpid;
    const struct ofctl_version *mod;
    struct ofctl_args args;        /* strings point into the deferred request */
    struct json_object *body;      /* args.body, ours */
    size_t reply_bytes;            /* the switch's answer, all parts */
    size_t n_msgs;
    struct ken_buf wire[];         /* each message encoded */
};

static struct {
    pthread_mutex_t lock;
    pthread_cond_t cond;
    struct job *head, *tail;
    size_t queued;
    bool stopping;
    pthread_t threads[OFCTL_MAX_WORKERS];
    const struct ken_datapath *busy[OFCTL_MAX_WORKERS]; /* the switch each worker waits on */
    const struct job *running[OFCTL_MAX_WORKERS];       /* and the request it runs */
    size_t n_threads;
    int timeout_ms;
} pool = {.lock = PTHREAD_MUTEX_INITIALIZER, .cond = PTHREAD_COND_INITIALIZER};

static void job_free(struct job *j)
{
    for (size_t i = 0; i < j->n_msgs; i++)
        ken_buf_free(&j->wire[i]);
    json_object_put(j->body);
    ken_datapath_unref(j->dp);
    free(j);
}

/* The name of an OpenFlow error from its wire (type, code) in version, or
 * NULL (from the error list every version shares: ken/ofp_errors.h). */
static const char *ofperr_name(uint8_t version, uint16_t type, uint16_t code)
{
    static const struct {
        const char *name;
        int t10, c10, type, code, since;
    } errs[] = {
#define ROW(name, t10, c10, type, code, since, fallback) {#name, t10, c10, type, code, since},
        KEN_OFPERR_LIST(ROW)
#undef ROW
    };
    for (size_t i = 0; i < sizeof errs / sizeof errs[0]; i++) {
        if (version == KEN_OFP10) {
            if (errs[i].t10 == type && errs[i].c10 == code)
                return errs[i].name;
        } else if (version >= errs[i].since && errs[i].type == type && errs[i].code == code) {
            return errs[i].name;
        }
    }
    return NULL;
}

/* The name of an error type (OFPET_*) in version, or NULL: ken's error
 * list holds only the codes ken itself sends, so a code it lacks is
 * named by its type. */
static const char *ofpet_name(uint8_t version, uint16_t type)
{
    static const char *const v10[] = {"OFPET_HELLO_FAILED", "OFPET_BAD_REQUEST", "OFPET_BAD_ACTION",
                                      "OFPET_FLOW_MOD_FAILED", "OFPET_PORT_MOD_FAILED", "OFPET_QUEUE_OP_FAILED"};
    static const char *const v12[] = {
        "OFPET_HELLO_FAILED",      "OFPET_BAD_REQUEST",          "OFPET_BAD_ACTION",        "OFPET_BAD_INSTRUCTION",
        "OFPET_BAD_MATCH",         "OFPET_FLOW_MOD_FAILED",      "OFPET_GROUP_MOD_FAILED",  "OFPET_PORT_MOD_FAILED",
        "OFPET_TABLE_MOD_FAILED",  "OFPET_QUEUE_OP_FAILED",      "OFPET_SWITCH_CONFIG_FAILED",
        "OFPET_ROLE_REQUEST_FAILED", "OFPET_METER_MOD_FAILED",   "OFPET_TABLE_FEATURES_FAILED",
        "OFPET_BAD_PROPERTY",      "OFPET_ASYNC_CONFIG_FAILED",  "OFPET_FLOW_MONITOR_FAILED", "OFPET_BUNDLE_FAILED"};
    if (version == KEN_OFP10)
        return type < 6 ? v10[type] : NULL;
    if (type == 0xffff)
        return "OFPET_EXPERIMENTER";
    size_t n = version == KEN_OFP12 ? 12 : version == KEN_OFP13 ? 14 : 18;
    return type < n ? v12[type] : NULL;
}

/* 502 for the switch's OFPT_ERROR, decoded: {"error": "...", "reply": {"OFPErrorMsg": ...}}. */
static void reply_switch_error(struct ken_ws_response *resp, uint64_t dpid, const struct ken_ofp_msg *m)
{
    uint16_t type = 0, code = 0;
    if (m->len >= 12) {
        type = (uint16_t)(m->data[8] << 8 | m->data[9]);
        code = (uint16_t)(m->data[10] << 8 | m->data[11]);
    }
    const char *name = ofperr_name(m->version, type, code), *tname = ofpet_name(m->version, type);
    char msg[256];
    if (name)
        snprintf(msg, sizeof msg, "switch %" PRIu64 " answered with an OpenFlow error: %s (type %u, code %u)", dpid,
                 name, type, code);
    else
        snprintf(msg, sizeof msg, "switch %" PRIu64 " answered with an OpenFlow error: %s, code %u (type %u)", dpid,
                 tname ? tname : "an unknown type", code, type);
    struct json_object *o = json_object_new_object();
    json_object_object_add(o, "error", json_object_new_string(msg));
    char why[KEN_WHY_LEN];
    struct json_object *decoded = NULL;
    if (ken_ofp_to_json(m->data, m->len, &decoded, why) == 0)
        json_object_object_add(o, "reply", decoded);
    else
        json_object_put(decoded);
    ken_ws_reply_json(resp, 502, o);
}

static int status_of(enum ofctl_status st)
{
    switch (st) {
    case OFCTL_OK: return 200;
    case OFCTL_BAD_REQUEST: return 400;
    case OFCTL_UNSUPPORTED: return 501;
    case OFCTL_NOT_FOUND: return 404;
    }
    return 500;
}

static void job_free_replies(struct ken_ofp_reply **replies, size_t n)
{
    for (size_t i = 0; i < n; i++)
        ken_ofp_reply_free(replies[i]);
}

/* The answer written straight from the reply's bytes where the module has
 * such a path (rest/ofctl/flow_text.h: the flow stats, the biggest
 * answer): the same text as the general path, without its JSON trees.
 * false when it declines (the general path answers). */
static bool try_text(struct job *j, const struct ken_ofp_reply *r, struct ken_ws_response *resp)
{
    if (j->args.kind != OFCTL_FLOW || !r->n)
        return false;
    const uint8_t *stack_msgs[64];
    size_t stack_lens[64];
    const uint8_t **msgs = stack_msgs;
    size_t *lens = stack_lens;
    if (r->n > 64) {
        msgs = malloc(r->n * sizeof *msgs);
        lens = malloc(r->n * sizeof *lens);
        if (!msgs || !lens) {
            free(msgs);
            free(lens);
            return false;
        }
    }
    for (size_t k = 0; k < r->n; k++) {
        msgs[k] = r->msgs[k]->data;
        lens[k] = r->msgs[k]->len;
        j->reply_bytes += r->msgs[k]->len;
    }
    struct ken_buf text = KEN_BUF_INIT;
    bool ok = ofctl_flow_text(j->mod->version, &j->args, j->dpid, msgs, lens, r->n, &text);
    if (ok) {
        ken_ws_reply_owned(resp, 200, "application/json", text.data, text.len);
        text = (struct ken_buf)KEN_BUF_INIT;
    } else {
        j->reply_bytes = 0;
    }
    ken_buf_free(&text);
    if (msgs != stack_msgs) {
        free(msgs);
        free(lens);
    }
    return ok;
}

/* One stats request, on a worker thread: every message sent and its whole
 * reply awaited, then the module's answer. */
static void job_run(struct job *j)
{
    struct ken_ws_response *resp = ken_ws_deferred_response(j->d);
    struct ken_ofp_reply *replies[OFCTL_MAX_MSGS] = {0};
    struct json_object **parts = NULL;
    size_t n_parts = 0, cap = 0;
    char why[KEN_WHY_LEN];
    bool done = false;
    for (size_t i = 0; i < j->n_msgs && !done; i++) {
        int err = ken_datapath_request(j->dp, j->wire[i].data, j->wire[i].len, pool.timeout_ms, &replies[i]);
        switch (err) {
        case 0: break;
        case EREMOTEIO: reply_switch_error(resp, j->dpid, replies[i]->msgs[0]); done = true; break;
        case ETIMEDOUT:
            ken_ws_reply_error(resp, 504, "switch %" PRIu64 " did not answer within %d ms", j->dpid, pool.timeout_ms);
            done = true;
            break;
        case ENOTCONN:
            ken_ws_reply_error(resp, 404, "switch %" PRIu64 " disconnected before it answered", j->dpid);
            done = true;
            break;
        case EBADMSG:
            ken_ws_reply_error(resp, 502, "switch %" PRIu64 " sent a reply that does not decode", j->dpid);
            done = true;
            break;
        case EMSGSIZE:
            ken_ws_reply_error(resp, 502, "switch %" PRIu64 " sent a reply larger than %u bytes", j->dpid,
                               KEN_DATAPATH_MAX_REPLY_BYTES);
            done = true;
            break;
        case ENOBUFS:
            ken_ws_reply_error(resp, 503, "switch %" PRIu64 " is not reading: its connection is being closed",
                               j->dpid);
            done = true;
            break;
        default:
            ken_ws_reply_error(resp, 500, "request to switch %" PRIu64 " failed: %s", j->dpid, ken_err_name(err));
            done = true;
        }
        if (done)
            break;
        if (j->n_msgs == 1 && try_text(j, replies[i], resp)) {
            job_free_replies(replies, j->n_msgs);
            return;
        }
        for (size_t k = 0; k < replies[i]->n; k++) {
            const struct ken_ofp_msg *m = replies[i]->msgs[k];
            j->reply_bytes += m->len;
            struct json_object *o = NULL;
            int rc = ken_ofp_to_json(m->data, m->len, &o, why);
            if (rc) {
                json_object_put(o);
                ken_ws_reply_error(resp, 502, "switch %" PRIu64 " sent a reply that does not decode: %s", j->dpid,
                                   why);
                done = true;
                break;
            }
            if (n_parts == cap) {
                size_t ncap = cap ? cap * 2 : 8;
                struct json_object **np = realloc(parts, ncap * sizeof *np);
                if (!np) {
                    json_object_put(o);
                    ken_ws_reply_error(resp, 500, "out of memory");
                    done = true;
                    break;
                }
                parts = np;
                cap = ncap;
            }
            parts[n_parts++] = o;
        }
    }
    if (!done) {
        struct json_object *value = NULL;
        why[0] = '\0';
        enum ofctl_status st = j->mod->answer(&j->args, parts, n_parts, &value, why);
        if (st == OFCTL_OK) {
            struct json_object *o = json_object_new_object();
            char key[24];
            snprintf(key, sizeof key, "%" PRIu64, j->dpid);
            json_object_object_add(o, key, value);
            ken_ws_reply_json(resp, 200, o);
        } else {
            json_object_put(value);
            /* The request was accepted when built: a module that cannot
             * read the answer means the switch's reply is not what the
             * request calls for. */
            int status = st == OFCTL_BAD_REQUEST ? 502 : status_of(st);
            ken_ws_reply_error(resp, status, "switch %" PRIu64 ": %s", j->dpid,
                               why[0] ? why : "its reply cannot be converted");
        }
    }
    for (size_t i = 0; i < n_parts; i++)
        json_object_put(parts[i]);
    free(parts);
    job_free_replies(replies, j->n_msgs);
}

/* Sends j's answer, and the same to its followers; frees them all. j must
 * no longer be in pool.running: finishing frees the request its
 * arguments point into. */
static void job_finish(struct job *j)
{
    struct ken_ws_response *resp = ken_ws_deferred_response(j->d);
    while (j->followers) {
        struct job *f = j->followers;
        j->followers = f->next;
        ken_ws_reply_same(ken_ws_deferred_response(f->d), resp);
        ken_ws_deferred_finish(f->d);
        job_free(f);
    }
    ken_ws_deferred_finish(j->d);
    job_free(j);
}

static bool same_str(const char *a, const char *b)
{
    return a == b || (a && b && !strcmp(a, b));
}

/* Whether b asks the same switch exactly what a asks: the same messages
 * and the same route arguments (the answer reads them: a priority filter,
 * a port). Stats only: every job is a read. */
static bool same_request(const struct job *a, const struct job *b)
{
    if (a->dp != b->dp || a->args.kind != b->args.kind || a->n_msgs != b->n_msgs ||
        !same_str(a->args.port, b->args.port) || !same_str(a->args.queue, b->args.queue) ||
        !same_str(a->args.meter_id, b->args.meter_id) || !same_str(a->args.group_id, b->args.group_id))
        return false;
    if (!a->body != !b->body || (a->body && !json_object_equal(a->body, b->body)))
        return false;
    for (size_t i = 0; i < a->n_msgs; i++)
        if (a->wire[i].len != b->wire[i].len || memcmp(a->wire[i].data, b->wire[i].data, a->wire[i].len))
            return false;
    return true;
}

/* Moves the queued jobs identical to j onto j's followers (pool.lock
 * held). Under load on one switch (many clients polling the same table),
 * one round trip and one conversion then answer them all. */
static void take_followers(struct job *j)
{
    struct job **pp = &pool.head, *last = NULL;
    while (*pp) {
        struct job *q = *pp;
        if (same_request(j, q)) {
            *pp = q->next;
            q->next = j->followers;
            j->followers = q;
            pool.queued--;
        } else {
            last = q;
            pp = &q->next;
        }
    }
    pool.tail = last;
}

/* Whether a worker runs a request identical to j (pool.lock held): j
 * then waits for the next round, to go with the others like it. */
static bool same_running(const struct job *j)
{
    for (size_t i = 0; i < pool.n_threads; i++)
        if (pool.running[i] && same_request(pool.running[i], j))
            return true;
    return false;
}

/* Whether a second has passed since the last malloc_trim (any worker). */
static bool trim_due(void)
{
    static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
    static struct timespec last;
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    pthread_mutex_lock(&lock);
    bool due = now.tv_sec - last.tv_sec >= 2 || (now.tv_sec - last.tv_sec == 1 && now.tv_nsec >= last.tv_nsec);
    if (due)
        last = now;
    pthread_mutex_unlock(&lock);
    return due;
}

/* Workers busy with dp (pool.lock held). */
static size_t in_flight(const struct ken_datapath *dp)
{
    size_t n = 0;
    for (size_t i = 0; i < pool.n_threads; i++)
        n += pool.busy[i] == dp;
    return n;
}

static void *worker(void *arg)
{
    size_t self = (size_t)(uintptr_t)arg;
    pthread_mutex_lock(&pool.lock);
    for (;;) {
        /* The first job whose switch has a worker to spare; when stopping,
         * any (it is answered 503). */
        struct job *j = pool.head, *prev = NULL;
        while (j && !pool.stopping && (in_flight(j->dp) >= OFCTL_PER_SWITCH || same_running(j))) {
            prev = j;
            j = j->next;
        }
        if (!j) {
            if (pool.stopping)
                break;
            pthread_cond_wait(&pool.cond, &pool.lock);
            continue;
        }
        if (prev)
            prev->next = j->next;
        else
            pool.head = j->next;
        if (pool.tail == j)
            pool.tail = prev;
        pool.queued--;
        bool stopping = pool.stopping;
        j->next = NULL;
        if (!stopping)
            take_followers(j);
        pool.busy[self] = j->dp;
        pool.running[self] = j;
        pthread_mutex_unlock(&pool.lock);
        if (stopping)
            ken_ws_reply_error(ken_ws_deferred_response(j->d), 503, "ofctl_rest is stopping");
        else
            job_run(j);
        pthread_mutex_lock(&pool.lock);
        pool.running[self] = NULL;
        pthread_mutex_unlock(&pool.lock);
        size_t big = j->reply_bytes;
        job_finish(j);
        /* A big answer's JSON trees (json-c: tens of bytes on the wire
         * make hundreds in memory) stay in this thread's malloc arena
         * once freed; with 16 workers, each with its own arena, RSS sat
         * at 16 times the biggest request (220 MB for 1000-flow tables).
         * Giving it back after every such answer cost a quarter more CPU
         * per request, so at most once a second. */
        if (big >= OFCTL_TRIM_BYTES && trim_due())
            malloc_trim(0);
        pthread_mutex_lock(&pool.lock);
        pool.busy[self] = NULL;
        /* A job held back for this switch may go now. */
        pthread_cond_broadcast(&pool.cond);
    }
    pthread_mutex_unlock(&pool.lock);
    return NULL;
}

/* A new worker (pool.lock held): false when none can be started. With
 * fewer than OFCTL_MAX_WORKERS the pool still works, with less room. */
static bool spawn_locked(void)
{
    if (pool.n_threads >= OFCTL_MAX_WORKERS)
        return false;
    size_t i = pool.n_threads;
    pool.busy[i] = NULL;
    int err = pthread_create(&pool.threads[i], NULL, worker, (void *)(uintptr_t)i);
    if (err) {
        KEN_LOG_ERROR(LOG_MOD, "cannot start a worker thread: %s", strerror(err));
        return false;
    }
    pool.n_threads++;
    return true;
}

/* Queues j; false (j untouched) when the queue is full or stopping. */
static bool pool_submit(struct job *j)
{
    pthread_mutex_lock(&pool.lock);
    bool ok = !pool.stopping && pool.queued < OFCTL_MAX_QUEUED && pool.n_threads;
    if (ok) {
        /* A worker is woken only when j can run now. One identical to a
         * request running or queued goes with the next round of those
         * (take_followers), and one for a switch at its limit waits for a
         * worker to finish: the finishing worker wakes the others. Waking
         * one for nothing cost a context switch per request when many
         * clients poll the same table. */
        bool runnable = !same_running(j) && in_flight(j->dp) < OFCTL_PER_SWITCH;
        for (const struct job *q = pool.head; runnable && q; q = q->next)
            runnable = !same_request(q, j);
        j->next = NULL;
        if (pool.tail)
            pool.tail->next = j;
        else
            pool.head = j;
        pool.tail = j;
        pool.queued++;
        if (runnable)
            pthread_cond_signal(&pool.cond);
    }
    pthread_mutex_unlock(&pool.lock);
    return ok;
}

/* ---- requests ---- */

/* Python's int(str(x), 0) on a path part or a body's dpid (util's
 * parser, as the modules read numbers): 0 with *neg and *v; EINVAL for
 * text Python refuses; ERANGE past 64 bits (a valid number, but no dpid or
 * port). */
static int py_int(const char *s, bool *neg, uint64_t *v)
{
    struct ofctl_int x;
    if (!ofctl_parse_int_text(s, strlen(s), &x))
        return EINVAL;
    *neg = x.neg;
    *v = x.mag;
    return x.big ? ERANGE : 0;
}

/* A dpid value of a body or path as Ryu reads it (int(str(dpid), 0)). 0
 * with *dpid; 400 for text Python refuses; 404 for a number no switch has
 * (negative, past 64 bits). */
static int parse_dpid_value(struct json_object *v, const char *text, uint64_t *dpid)
{
    if (v) {
        switch (json_object_get_type(v)) {
        case json_type_int:
            if (json_object_get_int64(v) < 0)
                return 404;
            *dpid = json_object_get_uint64(v);
            return 0;
        case json_type_string:
            text = json_object_get_string(v);
            if (strlen(text) != (size_t)json_object_get_string_len(v))
                return 400; /* a NUL inside: no integer for Python either */
            break;
        default: return 400; /* str() of a float, bool, list or dict is no integer */
        }
    }
    bool neg;
    uint64_t x;
    int err = py_int(text, &neg, &x);
    if (err == EINVAL)
        return 400;
    if (err == ERANGE || (neg && x))
        return 404;
    *dpid = x;
    return 0;
}

/* The switch for the request: the body's "dpid" when it has a true one,
 * else the path's {dpid}. NULL with resp set (400, 404, 501). */
static struct ken_datapath *find_dp(struct ken_app *app, const struct ken_ws_request *req,
                                    struct ken_ws_response *resp, struct json_object *body, uint64_t *dpid,
                                    const struct ofctl_version **mod)
{
    struct json_object *v = NULL;
    const char *text = NULL;
    char safe[64];
    if (body && json_object_object_get_ex(body, "dpid", &v) && ofctl_py_truthy(v)) { /* Ryu: "if not dpid" */
        text = json_object_get_type(v) == json_type_string ? json_object_get_string(v) : json_object_to_json_string(v);
    } else {
        v = NULL;
        text = ken_ws_param(req, "dpid");
        if (!text) {
            ken_ws_reply_error(resp, 400, "no dpid: give one as \"dpid\" in the body");
            return NULL;
        }
    }
    int st = parse_dpid_value(v, text, dpid);
    if (st == 400) {
        ken_ws_reply_error(resp, 400, "bad dpid %s: an integer (decimal, or 0x, 0o, 0b)",
                           rest_echo(text, safe, sizeof safe));
        return NULL;
    }
    struct ken_datapath *dp = st ? NULL : ken_dpset_get(ken_dpset_of(app), *dpid);
    if (dp && !ken_datapath_is_active(dp)) {
        ken_datapath_unref(dp);
        dp = NULL;
    }
    if (!dp) {
        ken_ws_reply_error(resp, 404, "no switch with dpid %s", rest_echo(text, safe, sizeof safe));
        return NULL;
    }
    *mod = ofctl_for_version(ken_datapath_version(dp));
    if (!*mod) {
        ken_ws_reply_error(resp, 501, "switch %" PRIu64 " speaks OpenFlow %s, which ofctl_rest has no module for",
                           *dpid, ken_ofp_version_name(ken_datapath_version(dp)));
        ken_datapath_unref(dp);
        return NULL;
    }
    return dp;
}

/* The module's messages encoded for the switch's version into wire[]
 * (n of them). false with resp set. */
static bool build_msgs(const struct ofctl_version *mod, const struct ofctl_args *args, uint8_t version,
                       struct ken_buf *wire, size_t *n, struct ken_ws_response *resp)
{
    struct json_object *msgs[OFCTL_MAX_MSGS] = {0};
    char why[KEN_WHY_LEN] = "";
    *n = 0;
    size_t nm = 0;
    enum ofctl_status st = mod->build(args, msgs, OFCTL_MAX_MSGS, &nm, why);
    if (nm > OFCTL_MAX_MSGS)
        nm = OFCTL_MAX_MSGS;
    bool ok = st == OFCTL_OK;
    if (!ok) {
        int status = status_of(st);
        if (why[0])
            ken_ws_reply_error(resp, status, "%s", why);
        else if (status == 501)
            ken_ws_reply_error(resp, 501, "OpenFlow %s has no such request", ken_ofp_version_name(version));
        else
            ken_ws_reply_error(resp, status, "bad request");
    }
    for (size_t i = 0; i < nm; i++) {
        if (ok) {
            wire[i] = (struct ken_buf)KEN_BUF_INIT;
            int err = ken_ofp_from_json(msgs[i], version, &wire[i], why);
            *n = i + 1;
            if (err) {
                /* A message the version lacks is Ryu's AttributeError
                 * (501); anything else is a value the client gave that
                 * does not fit (400). */
                int status = err == KEN_OFPBRC_BAD_TYPE ? 501 : 400;
                ken_ws_reply_error(resp, status, "%s", why[0] ? why : ken_err_name(err));
                ok = false;
            }
        }
        json_object_put(msgs[i]);
    }
    if (!ok) {
        for (size_t i = 0; i < *n; i++)
            ken_buf_free(&wire[i]);
        *n = 0;
    }
    return ok;
}

/* The path part name, or NULL for Ryu's "ALL" (and when absent). */
static const char *part(const struct ken_ws_request *req, const char *name)
{
    const char *v = ken_ws_param(req, name);
    return v && strcmp(v, "ALL") ? v : NULL;
}

/* The stats routes: GET (and POST for the flow filters). */
static void stats_route(struct ken_app *app, const struct ken_ws_request *req, struct ken_ws_response *resp)
{
    enum ofctl_kind kind = ofctl_kind_by_name(req->route);
    struct json_object *body = NULL;
    /* Ryu reads a filter body (req.json) only on the flow routes. */
    bool reads_body = kind == OFCTL_FLOW || kind == OFCTL_FLOW_DESC || kind == OFCTL_AGGREGATE_FLOW;
    if (reads_body && req->body_len) {
        body = ken_ws_body_json(req, resp);
        if (!body)
            return;
        if (!json_object_is_type(body, json_type_object)) {
            json_object_put(body);
            ken_ws_reply_error(resp, 400, "the body must be a JSON object (a flow filter)");
            return;
        }
    }
    uint64_t dpid;
    const struct ofctl_version *mod;
    struct ken_datapath *dp = find_dp(app, req, resp, NULL, &dpid, &mod);
    if (!dp) {
        json_object_put(body);
        return;
    }
    uint8_t version = ken_datapath_version(dp);
    kind = ofctl_route_kind(kind, version);
    struct ofctl_args args = {.kind = kind, .body = body};
    switch (kind) {
    case OFCTL_PORT:
    case OFCTL_QUEUE_CONFIG: args.port = part(req, "port"); break;
    case OFCTL_QUEUE:
        args.port = part(req, "port");
        args.queue = part(req, "queue_id");
        break;
    case OFCTL_QUEUE_DESC:
        args.port = part(req, "port");
        args.queue = part(req, "queue");
        break;
    case OFCTL_METER_CONFIG:
    case OFCTL_METER_DESC:
    case OFCTL_METER: args.meter_id = part(req, "meter_id"); break;
    case OFCTL_GROUP: args.group_id = part(req, "group_id"); break;
    /* Before 1.5 Ryu ignores these path parts; on 1.5 it passes them as
     * written ("ALL" is then OFPG_ALL / OFPP_ALL by name). */
    case OFCTL_GROUP_DESC: args.group_id = version >= KEN_OFP15 ? ken_ws_param(req, "group_id") : NULL; break;
    case OFCTL_PORT_DESC: args.port = version >= KEN_OFP15 ? ken_ws_param(req, "port_no") : NULL; break;
    default: break;
    }
    struct job *j = calloc(1, sizeof *j + OFCTL_MAX_MSGS * sizeof(struct ken_buf));
    if (!j) {
        ken_datapath_unref(dp);
        json_object_put(body);
        ken_ws_reply_error(resp, 503, "out of memory");
        return;
    }
    j->dp = dp;
    j->dpid = dpid;
    j->mod = mod;
    j->args = args;
    j->body = body;
    if (!build_msgs(mod, &args, version, j->wire, &j->n_msgs, resp)) {
        job_free(j);
        return;
    }
    if (!j->n_msgs) {
        job_free(j);
        ken_ws_reply_error(resp, 500, "the OpenFlow %s module built no request", ken_ofp_version_name(version));
        return;
    }
    j->d = ken_ws_defer(req, resp);
    if (!pool_submit(j)) {
        ken_ws_reply_error(ken_ws_deferred_response(j->d), 503, "too many requests are waiting for switches");
        ken_ws_deferred_finish(j->d);
        job_free(j);
    }
}

/* The command routes' body, read as Ryu does (ast.literal_eval: JSON or
 * Python literals); an empty body is {}. NULL with resp set. */
static struct json_object *command_body(const struct ken_ws_request *req, struct ken_ws_response *resp)
{
    if (!req->body_len)
        return json_object_new_object();
    struct json_object *body;
    char why[KEN_WHY_LEN];
    if (!pyliteral_parse((const char *)req->body, req->body_len, &body, why)) {
        ken_ws_reply_error(resp, 400, "malformed body: %s", why);
        return NULL;
    }
    if (!json_object_is_type(body, json_type_object)) {
        json_object_put(body);
        ken_ws_reply_error(resp, 400, "the body must be an object (a dict)");
        return NULL;
    }
    return body;
}

/* The port of a port modification: Ryu takes hw_addr and the advertised
 * features (1.4+: the properties) from the port the switch reported. */
static bool port_defaults(struct ken_app *app, uint64_t dpid, uint8_t version, struct json_object *body,
                          struct ken_ofp_port_defaults *out, struct ken_ws_response *resp)
{
    struct json_object *v = NULL;
    json_object_object_get_ex(body, "port_no", &v);
    const char *text;
    switch (json_object_get_type(v)) {
    case json_type_int:
    case json_type_string: text = json_object_get_string(v); break;
    default:
        ken_ws_reply_error(resp, 400, "bad or missing port_no: an integer (decimal, or 0x, 0o, 0b)");
        return false;
    }
    bool neg = false;
    uint64_t port_no = 0;
    int err = 0;
    if (json_object_is_type(v, json_type_int)) {
        neg = json_object_get_int64(v) < 0;
        port_no = neg ? 0 : json_object_get_uint64(v);
    } else {
        err = py_int(text, &neg, &port_no);
    }
    char safe[64];
    if (err == EINVAL) {
        ken_ws_reply_error(resp, 400, "bad port_no %s: an integer (decimal, or 0x, 0o, 0b)",
                           rest_echo(text, safe, sizeof safe));
        return false;
    }
    struct ken_port port;
    bool found = !err && !neg && port_no <= UINT32_MAX &&
                 ken_dpset_get_port(ken_dpset_of(app), dpid, (uint32_t)port_no, &port) == 0;
    /* 1.0's reserved ports (0xff00 up) are kept as their 32-bit numbers. */
    if (!found && version == KEN_OFP10 && !neg && port_no >= 0xff00 && port_no <= 0xffff)
        found = ken_dpset_get_port(ken_dpset_of(app), dpid, ken_port_from_wire(version, (uint32_t)port_no), &port) == 0;
    if (!found) {
        ken_ws_reply_error(resp, 404, "switch %" PRIu64 " has no port %s", dpid, rest_echo(text, safe, sizeof safe));
        return false;
    }
    memcpy(out->hw_addr, port.hw_addr, 6);
    out->advertised = port.advertised;
    out->properties = NULL;
    if (version >= KEN_OFP14) {
        /* The port's Ethernet property, as OS-Ken decodes it. */
        struct json_object *p = json_object_new_object();
        json_object_object_add(p, "type", json_object_new_int(0));
        json_object_object_add(p, "length", json_object_new_int(32));
        json_object_object_add(p, "curr", json_object_new_int64(port.curr));
        json_object_object_add(p, "advertised", json_object_new_int64(port.advertised));
        json_object_object_add(p, "supported", json_object_new_int64(port.supported));
        json_object_object_add(p, "peer", json_object_new_int64(port.peer));
        json_object_object_add(p, "curr_speed", json_object_new_int64(port.curr_speed));
        json_object_object_add(p, "max_speed", json_object_new_int64(port.max_speed));
        struct json_object *wrap = json_object_new_object();
        json_object_object_add(wrap, "OFPPortDescPropEthernet", p);
        out->properties = json_object_new_array();
        json_object_array_add(out->properties, wrap);
    }
    return true;
}

/* The command routes: POST (and DELETE for clear). */
static void command_route(struct ken_app *app, const struct ken_ws_request *req, struct ken_ws_response *resp)
{
    enum ofctl_kind kind = ofctl_kind_by_name(req->route);
    struct json_object *body = command_body(req, resp);
    if (!body)
        return;
    uint64_t dpid;
    const struct ofctl_version *mod;
    struct ken_datapath *dp = find_dp(app, req, resp, body, &dpid, &mod);
    if (!dp) {
        json_object_put(body);
        return;
    }
    uint8_t version = ken_datapath_version(dp);
    struct ofctl_args args = {.kind = kind, .body = body};
    struct ken_ofp_port_defaults defaults;
    memset(&defaults, 0, sizeof defaults);
    const char *cmd = ken_ws_param(req, "cmd");
    char safe[64];
    bool ok = true;
    if (!strcmp(req->route, "clear")) {
        /* Ryu's clear: a delete of every flow (of every table from 1.2 on). */
        json_object_put(body);
        body = args.body = json_object_new_object();
        if (version != KEN_OFP10)
            json_object_object_add(body, "table_id", json_object_new_int(0xff));
        args.command = ofctl_command(OFCTL_FLOW_MOD, "delete");
    } else if (kind == OFCTL_PORT_MOD) {
        /* Ryu looks the port up before the command. */
        ok = port_defaults(app, dpid, version, body, &defaults, resp);
        args.port_defaults = &defaults;
        if (ok && (args.command = ofctl_command(kind, cmd)) < 0) {
            ken_ws_reply_error(resp, 404, "no such command: %s", rest_echo(cmd, safe, sizeof safe));
            ok = false;
        }
    } else if (cmd) {
        if ((args.command = ofctl_command(kind, cmd)) < 0) {
            ken_ws_reply_error(resp, 404, "no such command: %s", rest_echo(cmd, safe, sizeof safe));
            ok = false;
        }
    }
    struct ken_buf wire[OFCTL_MAX_MSGS];
    size_t n = 0;
    if (ok && build_msgs(mod, &args, version, wire, &n, resp)) {
        for (size_t i = 0; i < n; i++) {
            int err = ok ? ken_datapath_send_msg_new_xid(dp, wire[i].data, wire[i].len, NULL) : 0;
            if (err == ENOTCONN) {
                ken_ws_reply_error(resp, 404, "switch %" PRIu64 " disconnected", dpid);
                ok = false;
            } else if (err) {
                ken_ws_reply_error(resp, 503, "cannot send to switch %" PRIu64 ": %s", dpid, ken_err_name(err));
                ok = false;
            }
            ken_buf_free(&wire[i]);
        }
        if (ok)
            ken_ws_reply_json(resp, 200, NULL);
    }
    json_object_put(defaults.properties);
    json_object_put(body);
    ken_datapath_unref(dp);
}

/* GET /stats/switches: the dpids of the connected switches (numbers). */
static void switches_route(struct ken_app *app, const struct ken_ws_request *req, struct ken_ws_response *resp)
{
    (void)req;
    struct ken_dpset *ds = ken_dpset_of(app);
    size_t want = ken_dpset_get_all(ds, NULL, 0);
    struct ken_datapath **dps = calloc(want ? want : 1, sizeof *dps);
    if (!dps) {
        ken_ws_reply_error(resp, 503, "out of memory");
        return;
    }
    size_t got = ken_dpset_get_all(ds, dps, want);
    if (got > want)
        got = want;
    struct json_object *a = json_object_new_array_ext((int)got);
    for (size_t i = 0; i < got; i++) {
        if (ken_datapath_is_active(dps[i]))
            json_object_array_add(a, json_object_new_uint64(ken_datapath_id(dps[i])));
        ken_datapath_unref(dps[i]);
    }
    free(dps);
    ken_ws_reply_json(resp, 200, a);
}

/* ---- routes ---- */

#define GET(name, path) {name, path, "GET", NULL, stats_route}
#define GET_POST(name, path) {name, path, "GET,POST", NULL, stats_route}

static const struct ken_route ofctl_routes[] = {
    {"switches", "/stats/switches", "GET", NULL, switches_route},
    GET("desc", "/stats/desc/{dpid}"),
    GET_POST("flowdesc", "/stats/flowdesc/{dpid}"),
    GET_POST("flow", "/stats/flow/{dpid}"),
    GET_POST("aggregateflow", "/stats/aggregateflow/{dpid}"),
    GET("table", "/stats/table/{dpid}"),
    GET("tablefeatures", "/stats/tablefeatures/{dpid}"),
    GET("port", "/stats/port/{dpid}"),
    GET("port", "/stats/port/{dpid}/{port}"),
    GET("queue", "/stats/queue/{dpid}"),
    GET("queue", "/stats/queue/{dpid}/{port}"),
    GET("queue", "/stats/queue/{dpid}/{port}/{queue_id}"),
    GET("queueconfig", "/stats/queueconfig/{dpid}"),
    GET("queueconfig", "/stats/queueconfig/{dpid}/{port}"),
    GET("queuedesc", "/stats/queuedesc/{dpid}"),
    GET("queuedesc", "/stats/queuedesc/{dpid}/{port}"),
    GET("queuedesc", "/stats/queuedesc/{dpid}/{port}/{queue}"),
    GET("meterfeatures", "/stats/meterfeatures/{dpid}"),
    GET("meterconfig", "/stats/meterconfig/{dpid}"),
    GET("meterconfig", "/stats/meterconfig/{dpid}/{meter_id}"),
    GET("meterdesc", "/stats/meterdesc/{dpid}"),
    GET("meterdesc", "/stats/meterdesc/{dpid}/{meter_id}"),
    GET("meter", "/stats/meter/{dpid}"),
    GET("meter", "/stats/meter/{dpid}/{meter_id}"),
    GET("groupfeatures", "/stats/groupfeatures/{dpid}"),
    GET("groupdesc", "/stats/groupdesc/{dpid}"),
    GET("groupdesc", "/stats/groupdesc/{dpid}/{group_id}"),
    GET("group", "/stats/group/{dpid}"),
    GET("group", "/stats/group/{dpid}/{group_id}"),
    GET("portdesc", "/stats/portdesc/{dpid}"),
    GET("portdesc", "/stats/portdesc/{dpid}/{port_no}"),
    GET("role", "/stats/role/{dpid}"),
    {"flowentry", "/stats/flowentry/{cmd}", "POST", NULL, command_route},
    {"clear", "/stats/flowentry/clear/{dpid}", "DELETE", NULL, command_route},
    {"meterentry", "/stats/meterentry/{cmd}", "POST", NULL, command_route},
    {"groupentry", "/stats/groupentry/{cmd}", "POST", NULL, command_route},
    {"portdesc_modify", "/stats/portdesc/{cmd}", "POST", NULL, command_route},
    {"experimenter", "/stats/experimenter/{dpid}", "POST", NULL, command_route},
    {"set_role", "/stats/role", "POST", NULL, command_route},
    {NULL, NULL, NULL, NULL, NULL},
};

static int ofctl_start(struct ken_app *app)
{
    (void)app;
    pool.timeout_ms = OFCTL_DEFAULT_TIMEOUT_MS;
    const char *env = getenv("KEN_OFCTL_REST_TIMEOUT");
    if (env && *env) {
        char *end;
        double s = strtod(env, &end);
        if (*end || !(s >= 0.01 && s <= 3600)) {
            KEN_LOG_ERROR(LOG_MOD, "KEN_OFCTL_REST_TIMEOUT=%s: seconds from 0.01 to 3600 expected", env);
            return EINVAL;
        }
        pool.timeout_ms = (int)(s * 1000 + 0.5);
    }
    pthread_mutex_lock(&pool.lock);
    pool.stopping = false;
    for (size_t i = 0; i < OFCTL_MAX_WORKERS; i++)
        spawn_locked();
    bool ok = pool.n_threads > 0;
    pthread_mutex_unlock(&pool.lock);
    return ok ? 0 : EAGAIN;
}

/* After the app's thread is joined: no new job comes. Queued ones are
 * answered 503; running ones end within the switch timeout. */
static void ofctl_stop(struct ken_app *app)
{
    (void)app;
    pthread_mutex_lock(&pool.lock);
    pool.stopping = true;
    pthread_cond_broadcast(&pool.cond);
    size_t n = pool.n_threads;
    pthread_mutex_unlock(&pool.lock);
    for (size_t i = 0; i < n; i++)
        pthread_join(pool.threads[i], NULL);
    pthread_mutex_lock(&pool.lock);
    pool.n_threads = 0;
    pthread_mutex_unlock(&pool.lock);
}

static const char *const ofctl_contexts[] = {"dpset", NULL};

static const struct ken_app_desc ofctl_rest_app = {
    .name = "ofctl_rest",
    .contexts = ofctl_contexts,
    .start = ofctl_start,
    .stop = ofctl_stop,
    .routes = ofctl_routes,
};
KEN_APP_REGISTER(ofctl_rest_app)
