/* The cluster (ken/cluster.h): a thread of its own keeps this instance's
 * etcd lease alive (keepalive every TTL/3), watches /ken/<cluster>/, and
 * after every change (and every TTL/3) reads the members, the masters and
 * who is connected to what in one transaction, then campaigns, steps down
 * or releases as cluster_plan() says. Role requests go to the controller's
 * I/O thread (controller/role.c); no etcd call ever runs there or on an
 * app's thread (but the shared-state calls an app makes itself).
 *
 * Keys, all under this instance's lease but the apps' ones:
 *   /ken/<c>/members/<node>          = node
 *   /ken/<c>/dp/<dpid>/master        = node   (created only when absent)
 *   /ken/<c>/conn/<dpid>/<node>      = node   (connected to the switch)
 *   /ken/<c>/apps/<app>/<key>        = the app's value */
#include <curl/curl.h>
#include <errno.h>
#include <inttypes.h>
#include <json-c/json.h>
#include <math.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "cluster/etcd.h"
#include "cluster/plan.h"
#include "controller/role.h"
#include "runtime/runtime.h"
#include "runtime/xalloc.h"
#include "ken/cluster.h"
#include "ken/datapath.h"
#include "ken/log.h"

#define LOG_MOD "cluster"
#define NAME_MAX_LEN 128

KEN_EV_CLASS_DEFINE(ken_ev_cluster_kv_class, "EventClusterKV", ken_ev_base_class)

static uint64_t now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000u + (uint64_t)ts.tv_nsec / 1000000u;
}

/* A switch this instance is connected to. */
struct cdp {
    struct ken_datapath *dp;
    uint64_t dpid;
    bool gone;              /* disconnected: keys to drop, then forgotten */
    bool conn_key;          /* /conn/<dpid>/<node> written */
    enum ken_role want;     /* the last role requested */
    uint64_t want_gen;
    uint64_t requested_ms;
    uint64_t hold_until_ms, vacant_since_ms;
};

static struct {
    pthread_mutex_t lock;   /* cdps, n_cdps, dirty, watched apps */
    atomic_bool running;
    atomic_bool stop;
    pthread_t thread;
    char *name, *node, *prefix, *urls;
    int64_t lease;
    int64_t old_lease;      /* lost (expired while etcd was away): revoked before joining again */
    long ttl_ms;            /* granted */
    struct etcd etcd;       /* the thread's */
    CURLM *multi;
    CURL *watch;
    char *watch_buf;
    size_t watch_len;
    bool watch_fired;
    uint64_t watch_retry_ms;
    /* The revision the next watch starts from: one past the last event it
     * delivered, or past the member key's own write on the first join. A
     * watch that ends or is started again resumes there, so an app's
     * EventClusterKV is never lost to when the HTTP stream happens to be
     * set up. 0: from now (after a compaction). */
    int64_t watch_from;
    struct cdp *cdps;
    size_t n_cdps;
    bool dirty;
    char **watched;         /* apps with ken_cluster_kv_watch */
    size_t n_watched;
    /* the thread's */
    bool lease_ok;          /* the lease is ours and alive, as far as we know */
    uint64_t last_ka_ok_ms; /* when the last keepalive that succeeded was sent */
} cl = {.lock = PTHREAD_MUTEX_INITIALIZER};

bool ken_cluster_running(void) { return atomic_load(&cl.running); }
const char *ken_cluster_node_id(void) { return ken_cluster_running() ? cl.node : NULL; }

static bool name_ok(const char *s)
{
    size_t n = s ? strlen(s) : 0;
    return n && n <= NAME_MAX_LEN && !strchr(s, '/');
}

static char *key_of(const char *fmt, const char *a, const char *b)
{
    char *k = NULL;
    if (asprintf(&k, fmt, cl.prefix, a, b ? b : "") < 0)
        abort();
    return k;
}

/* ---- small etcd requests ---- */

static struct json_object *req_range_prefix(const char *prefix)
{
    struct json_object *r = json_object_new_object();
    json_object_object_add(r, "key", etcd_json_key(prefix));
    json_object_object_add(r, "range_end", etcd_json_prefix_end(prefix));
    return r;
}

static struct json_object *req_put(const char *key, const void *value, size_t len, int64_t lease)
{
    struct json_object *r = json_object_new_object();
    json_object_object_add(r, "key", etcd_json_key(key));
    json_object_object_add(r, "value", etcd_json_b64(value, len));
    if (lease) {
        char id[32];
        snprintf(id, sizeof id, "%" PRId64, lease);
        json_object_object_add(r, "lease", json_object_new_string(id));
    }
    return r;
}

static struct json_object *op(const char *kind, struct json_object *req)
{
    struct json_object *o = json_object_new_object();
    json_object_object_add(o, kind, req);
    return o;
}

/* {"key": k, "target": target, "result": "EQUAL", member: value} */
static struct json_object *compare(const char *key, const char *target, const char *member, struct json_object *value)
{
    struct json_object *c = json_object_new_object();
    json_object_object_add(c, "key", etcd_json_key(key));
    json_object_object_add(c, "target", json_object_new_string(target));
    json_object_object_add(c, "result", json_object_new_string("EQUAL"));
    json_object_object_add(c, member, value);
    return c;
}

static struct json_object *txn(struct json_object *cmp, struct json_object *success, struct json_object *failure)
{
    struct json_object *t = json_object_new_object();
    if (cmp) {
        struct json_object *a = json_object_new_array();
        json_object_array_add(a, cmp);
        json_object_object_add(t, "compare", a);
    }
    if (success)
        json_object_object_add(t, "success", success);
    if (failure)
        json_object_object_add(t, "failure", failure);
    return t;
}

static struct json_object *ops(struct json_object *a, struct json_object *b, struct json_object *c)
{
    struct json_object *arr = json_object_new_array();
    json_object_array_add(arr, a);
    if (b)
        json_object_array_add(arr, b);
    if (c)
        json_object_array_add(arr, c);
    return arr;
}

static bool txn_succeeded(struct json_object *resp)
{
    struct json_object *s;
    return json_object_object_get_ex(resp, "succeeded", &s) && json_object_get_boolean(s);
}

/* The i-th response of a txn, of kind ("response_range"). */
static struct json_object *txn_response(struct json_object *resp, size_t i, const char *kind)
{
    struct json_object *rs, *r;
    if (!json_object_object_get_ex(resp, "responses", &rs) || !json_object_is_type(rs, json_type_array) ||
        i >= json_object_array_length(rs))
        return NULL;
    if (!json_object_object_get_ex(json_object_array_get_idx(rs, i), kind, &r))
        return NULL;
    return r;
}

static int64_t header_revision(struct json_object *resp)
{
    struct json_object *h;
    return json_object_object_get_ex(resp, "header", &h) ? etcd_json_i64(h, "revision") : 0;
}

/* A call with the thread's client, logged at debug when it fails. */
/* The time a call may take: never past the step-down deadline (the last
 * keepalive that succeeded, plus TTL, minus the margin), so that the loop
 * reaches its check in time however etcd hangs; at most TTL/2. 0: no time
 * left. */
static long call_budget(void)
{
    long ttl = cl.ttl_ms, margin = ttl / 4 > 100 ? ttl / 4 : 100, cap = ttl / 2;
    if (!cl.lease_ok || atomic_load(&cl.stop))
        return cap;
    int64_t left = (int64_t)cl.last_ka_ok_ms + ttl - margin - (int64_t)now_ms();
    return left < 10 ? 0 : left < cap ? (long)left : cap;
}

static int call(const char *path, struct json_object *req, struct json_object **resp)
{
    char why[256];
    *resp = NULL;
    long budget = call_budget();
    if (!budget) {
        json_object_put(req);
        return ETIMEDOUT;
    }
    if (!atomic_load(&cl.stop))
        cl.etcd.timeout_ms = budget;
    int err = etcd_call(&cl.etcd, path, req, resp, why, sizeof why);
    json_object_put(req);
    if (err)
        ken_log(KEN_LOG_DEBUG, LOG_MOD, "etcd %s: %s", path, why);
    return err;
}

static void revoke_id(int64_t id)
{
    struct json_object *rv = json_object_new_object(), *r2 = NULL;
    char text[32];
    snprintf(text, sizeof text, "%" PRId64, id);
    json_object_object_add(rv, "ID", json_object_new_string(text));
    etcd_call(&cl.etcd, "/v3/lease/revoke", rv, &r2, NULL, 0);
    json_object_put(rv);
    json_object_put(r2);
}

static int grant_and_register(char *why, size_t why_len)
{
    /* The keys of a lease lost while etcd was away go first (etcd may not
     * have revoked it yet): the member key is free again at once. */
    if (cl.old_lease) {
        revoke_id(cl.old_lease);
        cl.old_lease = 0;
    }
    struct json_object *req = json_object_new_object(), *resp = NULL;
    long ttl_s = cl.ttl_ms / 1000;
    json_object_object_add(req, "TTL", json_object_new_int64(ttl_s));
    int err = etcd_call(&cl.etcd, "/v3/lease/grant", req, &resp, why, why_len);
    json_object_put(req);
    if (err) {
        json_object_put(resp);
        return err;
    }
    cl.lease = etcd_json_i64(resp, "ID");
    long granted = (long)etcd_json_i64(resp, "TTL");
    json_object_put(resp);
    if (!cl.lease || granted <= 0) {
        snprintf(why, why_len, "etcd granted no lease");
        return EPROTO;
    }
    if (granted * 1000 != cl.ttl_ms)
        ken_log(KEN_LOG_INFO, LOG_MOD, "lease TTL %ld s (asked %ld s)", granted, ttl_s);
    cl.ttl_ms = granted * 1000;
    /* The member key, only when no live instance has this id. */
    char *mkey = key_of("%smembers/%s%s", cl.node, NULL);
    struct json_object *t =
        txn(compare(mkey, "CREATE", "create_revision", json_object_new_string("0")),
            ops(op("request_put", req_put(mkey, cl.node, strlen(cl.node), cl.lease)), NULL, NULL), NULL);
    err = etcd_call(&cl.etcd, "/v3/kv/txn", t, &resp, why, why_len);
    json_object_put(t);
    free(mkey);
    if (!err && !txn_succeeded(resp)) {
        snprintf(why, why_len, "node id '%s' is in use by a live member of cluster '%s'", cl.node, cl.name);
        err = EEXIST;
    }
    if (!err && !cl.watch_from)
        cl.watch_from = header_revision(resp) + 1;
    json_object_put(resp);
    if (err) {
        revoke_id(cl.lease);
        cl.lease = 0;
        return err;
    }
    cl.lease_ok = true;
    cl.last_ka_ok_ms = now_ms();
    return 0;
}

/* 1: alive; 0: expired or unknown (the lease is gone); -1: no answer. */
static int keepalive(void)
{
    struct json_object *req = json_object_new_object(), *resp = NULL, *res;
    char id[32];
    snprintf(id, sizeof id, "%" PRId64, cl.lease);
    json_object_object_add(req, "ID", json_object_new_string(id));
    int err = call("/v3/lease/keepalive", req, &resp);
    int rc = -1;
    if (!err && json_object_object_get_ex(resp, "result", &res))
        rc = etcd_json_i64(res, "TTL") > 0;
    else if (err == EIO)
        rc = 0;
    json_object_put(resp);
    return rc;
}

/* ---- roles ---- */

static void request_role(struct cdp *c, enum ken_role role, uint64_t gen, uint64_t now)
{
    bool confirmed = ken_datapath_role(c->dp) == role && ken_datapath_generation_id(c->dp) == gen;
    if (c->want == role && c->want_gen == gen && (confirmed || now - c->requested_ms < 1000))
        return;
    c->want = role;
    c->want_gen = gen;
    c->requested_ms = now;
    ken_controller_role_request(c->dp, role, gen);
}

/* Not master anywhere from now on (the lease may be gone). */
static void step_down_all(int level, const char *why)
{
    pthread_mutex_lock(&cl.lock);
    size_t n = 0;
    for (size_t i = 0; i < cl.n_cdps; i++) {
        struct cdp *c = &cl.cdps[i];
        if (!c->gone && c->want == KEN_ROLE_MASTER) {
            c->want = KEN_ROLE_SLAVE;
            c->requested_ms = now_ms();
            ken_controller_role_request(c->dp, KEN_ROLE_SLAVE, c->want_gen);
            n++;
        }
    }
    pthread_mutex_unlock(&cl.lock);
    if (n)
        ken_log(level, LOG_MOD, "stepping down to SLAVE on %zu switch(es): %s", n, why);
}

/* ---- the snapshot ---- */

struct snapshot {
    struct etcd_kv *members, *masters, *conns;
    long n_members, n_masters, n_conns;
};

static void snapshot_free(struct snapshot *s)
{
    etcd_kvs_free(s->members, s->n_members);
    etcd_kvs_free(s->masters, s->n_masters);
    etcd_kvs_free(s->conns, s->n_conns);
    memset(s, 0, sizeof *s);
}

static int snapshot_read(struct etcd *e, struct snapshot *s)
{
    memset(s, 0, sizeof *s);
    char *pm = key_of("%smembers/%s%s", "", NULL), *pd = key_of("%sdp/%s%s", "", NULL),
         *pc = key_of("%sconn/%s%s", "", NULL);
    struct json_object *t = txn(NULL,
                                ops(op("request_range", req_range_prefix(pm)), op("request_range", req_range_prefix(pd)),
                                    op("request_range", req_range_prefix(pc))),
                                NULL),
                       *resp = NULL;
    free(pm);
    free(pd);
    free(pc);
    int err = etcd_call(e, "/v3/kv/txn", t, &resp, NULL, 0);
    json_object_put(t);
    if (!err) {
        s->n_members = etcd_kvs_decode(txn_response(resp, 0, "response_range"), &s->members);
        s->n_masters = etcd_kvs_decode(txn_response(resp, 1, "response_range"), &s->masters);
        s->n_conns = etcd_kvs_decode(txn_response(resp, 2, "response_range"), &s->conns);
        if (s->n_members < 0 || s->n_masters < 0 || s->n_conns < 0) {
            s->n_members = s->n_members < 0 ? 0 : s->n_members;
            s->n_masters = s->n_masters < 0 ? 0 : s->n_masters;
            s->n_conns = s->n_conns < 0 ? 0 : s->n_conns;
            snapshot_free(s);
            err = EPROTO;
        }
    }
    json_object_put(resp);
    return err;
}

/* The dpid in ".../dp/<16 hex>/master" or ".../conn/<16 hex>/<node>", and
 * in the latter the node (after the dpid's slash). */
static bool key_dpid(const char *key, const char *kind, uint64_t *dpid, const char **rest)
{
    size_t pl = strlen(cl.prefix), kl = strlen(kind);
    if (strncmp(key, cl.prefix, pl) || strncmp(key + pl, kind, kl))
        return false;
    const char *p = key + pl + kl;
    char *end;
    unsigned long long v = strtoull(p, &end, 16);
    if (end != p + 16 || *end != '/')
        return false;
    *dpid = v;
    if (rest)
        *rest = end + 1;
    return true;
}

static const char *member_id(const struct etcd_kv *kv) { return kv->value; }

/* ---- reconcile ---- */

static int campaign(uint64_t dpid, int64_t *gen, char **holder)
{
    char hex[17];
    ken_dpid_to_str(dpid, hex);
    char *key = key_of("%sdp/%s/master%s", hex, NULL);
    struct json_object *get = json_object_new_object();
    json_object_object_add(get, "key", etcd_json_key(key));
    struct json_object *t = txn(compare(key, "CREATE", "create_revision", json_object_new_string("0")),
                                ops(op("request_put", req_put(key, cl.node, strlen(cl.node), cl.lease)), NULL, NULL),
                                ops(op("request_range", get), NULL, NULL)),
                       *resp = NULL;
    free(key);
    int err = call("/v3/kv/txn", t, &resp);
    *holder = NULL;
    if (!err) {
        if (txn_succeeded(resp)) {
            *gen = header_revision(resp);
            *holder = ken_xstrdup(cl.node);
        } else {
            struct etcd_kv *kv;
            long n = etcd_kvs_decode(txn_response(resp, 0, "response_range"), &kv);
            if (n > 0) {
                *gen = kv[0].create_revision;
                *holder = ken_xstrdup(kv[0].value);
            }
            if (n >= 0)
                etcd_kvs_free(kv, n);
        }
    }
    json_object_put(resp);
    return err;
}

static void release(uint64_t dpid)
{
    char hex[17];
    ken_dpid_to_str(dpid, hex);
    char *key = key_of("%sdp/%s/master%s", hex, NULL);
    struct json_object *del = json_object_new_object(), *resp = NULL;
    json_object_object_add(del, "key", etcd_json_key(key));
    struct json_object *t =
        txn(compare(key, "VALUE", "value", etcd_json_b64(cl.node, strlen(cl.node))), ops(op("request_delete_range", del), NULL, NULL), NULL);
    free(key);
    call("/v3/kv/txn", t, &resp);
    json_object_put(resp);
}

static void conn_key(uint64_t dpid, bool put)
{
    char hex[17];
    ken_dpid_to_str(dpid, hex);
    char *key = key_of("%sconn/%s/%s", hex, cl.node);
    struct json_object *resp = NULL, *req;
    if (put) {
        req = req_put(key, cl.node, strlen(cl.node), cl.lease);
        call("/v3/kv/put", req, &resp);
    } else {
        req = json_object_new_object();
        json_object_object_add(req, "key", etcd_json_key(key));
        call("/v3/kv/deleterange", req, &resp);
    }
    json_object_put(resp);
    free(key);
}

/* Switches gone: their keys go (a switch this instance mastered is
 * released at once), then the table forgets them. */
static void drop_gone(void)
{
    for (;;) {
        pthread_mutex_lock(&cl.lock);
        struct cdp c = {0};
        bool found = false;
        for (size_t i = 0; i < cl.n_cdps; i++) {
            if (cl.cdps[i].gone) {
                c = cl.cdps[i];
                cl.cdps[i] = cl.cdps[--cl.n_cdps];
                found = true;
                break;
            }
        }
        /* another connection of the same switch still here? */
        bool other = false;
        for (size_t i = 0; found && i < cl.n_cdps; i++)
            other |= cl.cdps[i].dpid == c.dpid && !cl.cdps[i].gone;
        pthread_mutex_unlock(&cl.lock);
        if (!found)
            return;
        if (!other && cl.lease_ok) {
            conn_key(c.dpid, false);
            if (c.want == KEN_ROLE_MASTER)
                release(c.dpid);
        }
        ken_datapath_unref(c.dp);
    }
}

static struct plan_dp *find_or_add(struct plan_dp *dps, size_t *n, uint64_t id)
{
    size_t at = 0;
    while (at < *n && dps[at].dpid != id)
        at++;
    if (at == *n)
        dps[(*n)++].dpid = id;
    return &dps[at];
}

static void reconcile(void)
{
    uint64_t now = now_ms();
    drop_gone();
    /* conn keys for the switches new here */
    for (;;) {
        uint64_t dpid = 0;
        bool todo = false;
        pthread_mutex_lock(&cl.lock);
        cl.dirty = false;
        for (size_t i = 0; i < cl.n_cdps; i++) {
            if (!cl.cdps[i].gone && !cl.cdps[i].conn_key) {
                cl.cdps[i].conn_key = todo = true;
                dpid = cl.cdps[i].dpid;
                break;
            }
        }
        pthread_mutex_unlock(&cl.lock);
        if (!todo)
            break;
        conn_key(dpid, true);
    }
    struct snapshot s;
    long budget = call_budget();
    if (!budget)
        return;
    cl.etcd.timeout_ms = budget;
    if (snapshot_read(&cl.etcd, &s))
        return;
    /* Every switch known: masters, connections, ours. */
    pthread_mutex_lock(&cl.lock);
    size_t cap = (size_t)s.n_masters + (size_t)s.n_conns + cl.n_cdps + 1, n = 0;
    struct plan_dp *dps = ken_xcalloc(cap, sizeof *dps);
    const char **cands = ken_xcalloc((size_t)s.n_conns + 1, sizeof *cands);
    const char **members = ken_xcalloc((size_t)s.n_members + 1, sizeof *members);
    for (long i = 0; i < s.n_members; i++)
        members[i] = member_id(&s.members[i]);
    for (long i = 0; i < s.n_masters; i++) {
        uint64_t id;
        if (!key_dpid(s.masters[i].key, "dp/", &id, NULL))
            continue;
        struct plan_dp *d = find_or_add(dps, &n, id);
        d->master = s.masters[i].value;
        d->gen = s.masters[i].create_revision;
    }
    for (size_t i = 0; i < cl.n_cdps; i++) {
        if (cl.cdps[i].gone)
            continue;
        struct plan_dp *d = find_or_add(dps, &n, cl.cdps[i].dpid);
        d->local = true;
        d->hold_until_ms = cl.cdps[i].hold_until_ms;
        if (!d->master && !cl.cdps[i].vacant_since_ms)
            cl.cdps[i].vacant_since_ms = now;
        if (d->master)
            cl.cdps[i].vacant_since_ms = 0;
        d->vacant_since_ms = cl.cdps[i].vacant_since_ms;
    }
    /* candidates: conns sorted by dpid are contiguous (etcd returns keys in order) */
    size_t nc = 0;
    for (long i = 0; i < s.n_conns; i++) {
        uint64_t id;
        const char *node;
        if (!key_dpid(s.conns[i].key, "conn/", &id, &node))
            continue;
        struct plan_dp *d = find_or_add(dps, &n, id);
        if (!d->candidates)
            d->candidates = &cands[nc];
        cands[nc++] = node;
        d->n_candidates++;
    }
    pthread_mutex_unlock(&cl.lock);
    cluster_plan(cl.node, members, (size_t)s.n_members, dps, n, now);
    for (size_t i = 0; i < n; i++) {
        struct plan_dp *d = &dps[i];
        if (!d->local) {
            /* Keys of a switch this instance is no longer connected to (their
             * delete failed while etcd was away): the others would wait on
             * them for as long as this instance lives. */
            bool conn_here = false;
            for (size_t c = 0; c < d->n_candidates; c++)
                conn_here |= !strcmp(d->candidates[c], cl.node);
            if (d->master && !strcmp(d->master, cl.node))
                release(d->dpid);
            if (conn_here)
                conn_key(d->dpid, false);
            continue;
        }
        if (d->action == PLAN_NONE)
            continue;
        enum ken_role role = KEN_ROLE_EQUAL;
        int64_t gen = d->gen;
        if (d->action == PLAN_CAMPAIGN) {
            char *holder = NULL;
            if (campaign(d->dpid, &gen, &holder) || !holder) {
                free(holder);
                continue;
            }
            role = strcmp(holder, cl.node) ? KEN_ROLE_SLAVE : KEN_ROLE_MASTER;
            if (role == KEN_ROLE_MASTER) {
                char hex[17];
                ken_dpid_to_str(d->dpid, hex);
                ken_log(KEN_LOG_INFO, LOG_MOD, "won mastership of %s (generation %" PRId64 ")", hex, gen);
            }
            free(holder);
        } else if (d->action == PLAN_RELEASE) {
            char hex[17];
            ken_dpid_to_str(d->dpid, hex);
            ken_log(KEN_LOG_INFO, LOG_MOD, "releasing %s to balance the cluster", hex);
            release(d->dpid);
            role = KEN_ROLE_SLAVE;
        } else {
            role = d->action == PLAN_MASTER ? KEN_ROLE_MASTER : KEN_ROLE_SLAVE;
        }
        pthread_mutex_lock(&cl.lock);
        for (size_t k = 0; k < cl.n_cdps; k++) {
            struct cdp *c = &cl.cdps[k];
            if (c->gone || c->dpid != d->dpid)
                continue;
            if (d->action == PLAN_RELEASE)
                c->hold_until_ms = now + 2 * (uint64_t)cl.ttl_ms;
            request_role(c, role, (uint64_t)gen, now);
        }
        pthread_mutex_unlock(&cl.lock);
    }
    free(dps);
    free(cands);
    free(members);
    snapshot_free(&s);
}

/* ---- the watch ---- */

static void kv_event_fini(struct ken_event *ev) { free(((struct ken_ev_cluster_kv *)ev)->value); }

/* An app's key changed: EventClusterKV when the app watches it. */
static void app_event(const char *key, struct json_object *kvj, bool deleted)
{
    size_t pl = strlen(cl.prefix);
    if (strncmp(key, cl.prefix, pl) || strncmp(key + pl, "apps/", 5))
        return;
    const char *app = key + pl + 5, *slash = strchr(app, '/');
    if (!slash || slash - app > NAME_MAX_LEN || strlen(slash + 1) > NAME_MAX_LEN)
        return;
    bool watched = false;
    pthread_mutex_lock(&cl.lock);
    for (size_t i = 0; i < cl.n_watched; i++)
        watched |= strlen(cl.watched[i]) == (size_t)(slash - app) && !strncmp(cl.watched[i], app, (size_t)(slash - app));
    pthread_mutex_unlock(&cl.lock);
    if (!watched)
        return;
    struct ken_ev_cluster_kv *e = ken_event_new(ken_ev_cluster_kv_class.id, sizeof *e, kv_event_fini);
    memcpy(e->app, app, (size_t)(slash - app));
    snprintf(e->key, sizeof e->key, "%s", slash + 1);
    e->deleted = deleted;
    e->revision = etcd_json_i64(kvj, "mod_revision");
    struct json_object *v;
    if (!deleted) {
        if (json_object_object_get_ex(kvj, "value", &v))
            e->value = etcd_b64_decode(json_object_get_string(v), &e->len);
        if (!e->value)
            e->value = ken_xstrdup("");
    }
    struct ken_event *one = &e->ev;
    ken_post_events_to_observers(&one, 1, KEN_PHASE_ANY);
}

static void watch_line(const char *line)
{
    struct json_object *j = json_tokener_parse(line), *res = NULL, *evs;
    if (!j)
        return;
    int64_t compacted = 0;
    if (json_object_object_get_ex(j, "result", &res))
        compacted = etcd_json_i64(res, "compact_revision");
    if (compacted > 0) {
        /* The revision to resume from is gone: from now on, and the
         * cluster's own state is read again whole. */
        ken_log(KEN_LOG_WARNING, LOG_MOD,
                "etcd compacted past revision %" PRId64 ": apps' key events before %" PRId64 " are not delivered",
                cl.watch_from, compacted);
        cl.watch_from = 0;
        cl.watch_fired = true;
    } else if (res && json_object_object_get_ex(res, "events", &evs) && json_object_is_type(evs, json_type_array)) {
        for (size_t i = 0; i < json_object_array_length(evs); i++) {
            struct json_object *ev = json_object_array_get_idx(evs, i), *kvj, *k, *type;
            if (!json_object_object_get_ex(ev, "kv", &kvj) || !json_object_object_get_ex(kvj, "key", &k))
                continue;
            /* Not the header's revision: a watch catching up sends the
             * store's current one with older events. */
            int64_t rev = etcd_json_i64(kvj, "mod_revision");
            if (rev >= cl.watch_from)
                cl.watch_from = rev + 1;
            char *key = etcd_b64_decode(json_object_get_string(k), NULL);
            if (!key)
                continue;
            bool deleted = json_object_object_get_ex(ev, "type", &type) && !strcmp(json_object_get_string(type), "DELETE");
            size_t pl = strlen(cl.prefix);
            if (!strncmp(key + pl, "apps/", 5))
                app_event(key, kvj, deleted);
            else
                cl.watch_fired = true;
            free(key);
        }
    }
    json_object_put(j);
}

static size_t watch_write(char *p, size_t size, size_t n, void *arg)
{
    (void)arg;
    size_t add = size * n;
    cl.watch_buf = ken_xrealloc(cl.watch_buf, cl.watch_len + add + 1);
    memcpy(cl.watch_buf + cl.watch_len, p, add);
    cl.watch_len += add;
    cl.watch_buf[cl.watch_len] = '\0';
    char *nl;
    while ((nl = memchr(cl.watch_buf, '\n', cl.watch_len))) {
        *nl = '\0';
        watch_line(cl.watch_buf);
        size_t used = (size_t)(nl + 1 - cl.watch_buf);
        memmove(cl.watch_buf, nl + 1, cl.watch_len - used + 1);
        cl.watch_len -= used;
    }
    return add;
}

static char *watch_body;
static struct curl_slist *watch_hdr;

static void watch_stop(void)
{
    if (!cl.watch)
        return;
    curl_multi_remove_handle(cl.multi, cl.watch);
    curl_easy_cleanup(cl.watch);
    cl.watch = NULL;
    free(watch_body);
    watch_body = NULL;
    curl_slist_free_all(watch_hdr);
    watch_hdr = NULL;
    cl.watch_len = 0;
}

static void watch_start(void)
{
    watch_stop();
    struct json_object *cr = req_range_prefix(cl.prefix), *req = json_object_new_object();
    if (cl.watch_from > 0)
        json_object_object_add(cr, "start_revision", json_object_new_int64(cl.watch_from));
    json_object_object_add(req, "create_request", cr);
    watch_body = ken_xstrdup(json_object_to_json_string_ext(req, JSON_C_TO_STRING_PLAIN));
    json_object_put(req);
    char url[512];
    snprintf(url, sizeof url, "%s/v3/watch", cl.etcd.urls[cl.etcd.cur]);
    cl.watch = curl_easy_init();
    watch_hdr = curl_slist_append(NULL, "Content-Type: application/json");
    curl_easy_setopt(cl.watch, CURLOPT_URL, url);
    curl_easy_setopt(cl.watch, CURLOPT_HTTPHEADER, watch_hdr);
    curl_easy_setopt(cl.watch, CURLOPT_POSTFIELDS, watch_body);
    curl_easy_setopt(cl.watch, CURLOPT_WRITEFUNCTION, watch_write);
    curl_easy_setopt(cl.watch, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(cl.watch, CURLOPT_CONNECTTIMEOUT_MS, 1000L);
    curl_easy_setopt(cl.watch, CURLOPT_TCP_NODELAY, 1L);
    curl_multi_add_handle(cl.multi, cl.watch);
    cl.watch_fired = true; /* what changed before it started: read it all once */
}

/* ---- the thread ---- */

static void lease_revoke(void)
{
    if (!cl.lease)
        return;
    struct json_object *req = json_object_new_object(), *resp = NULL;
    char id[32];
    snprintf(id, sizeof id, "%" PRId64, cl.lease);
    json_object_object_add(req, "ID", json_object_new_string(id));
    cl.etcd.timeout_ms = 1000;
    if (!call("/v3/lease/revoke", req, &resp))
        ken_log(KEN_LOG_INFO, LOG_MOD, "lease revoked: the other members take over");
    json_object_put(resp);
    cl.lease = 0;
}

static void *cluster_thread(void *arg)
{
    (void)arg;
    uint64_t next_ka = 0, next_reconcile = 0, next_grant = 0;
    const uint64_t ttl = (uint64_t)cl.ttl_ms;
    const uint64_t margin = ttl / 4 > 100 ? ttl / 4 : 100;
    while (!atomic_load(&cl.stop)) {
        uint64_t now = now_ms();
        if (!cl.lease && now >= next_grant) {
            cl.etcd.timeout_ms = (long)ttl / 2;
            char why[256];
            if (grant_and_register(why, sizeof why)) {
                ken_log(KEN_LOG_DEBUG, LOG_MOD, "re-joining: %s", why);
                next_grant = now + 200;
            } else {
                ken_log(KEN_LOG_INFO, LOG_MOD, "joined cluster '%s' again as '%s'", cl.name, cl.node);
                pthread_mutex_lock(&cl.lock);
                for (size_t i = 0; i < cl.n_cdps; i++)
                    cl.cdps[i].conn_key = false;
                pthread_mutex_unlock(&cl.lock);
                next_ka = now + ttl / 3;
                watch_start();
                cl.dirty = true;
            }
        }
        if (cl.lease && now >= next_ka) {
            int rc = keepalive();
            if (rc > 0) {
                if (!cl.lease_ok) {
                    ken_log(KEN_LOG_INFO, LOG_MOD, "etcd answers again; the lease is still ours");
                    cl.dirty = true;
                }
                cl.lease_ok = true;
                cl.last_ka_ok_ms = now;
                next_ka = now + ttl / 3;
            } else if (rc == 0) {
                step_down_all(KEN_LOG_WARNING, "the lease expired");
                ken_log(KEN_LOG_WARNING, LOG_MOD, "the lease expired: joining again");
                cl.lease_ok = false;
                cl.old_lease = cl.lease;
                cl.lease = 0;
                watch_stop();
            } else {
                next_ka = now + 100;
            }
        }
        now = now_ms();
        if (cl.lease_ok && now >= cl.last_ka_ok_ms + ttl - margin) {
            char why[128];
            snprintf(why, sizeof why, "etcd does not answer: the lease may expire (last keepalive sent %" PRIu64
                     " ms ago, TTL %" PRIu64 " ms)", now - cl.last_ka_ok_ms, ttl);
            step_down_all(KEN_LOG_WARNING, why);
            cl.lease_ok = false;
        }
        if (cl.lease && !cl.watch && now >= cl.watch_retry_ms)
            watch_start();
        bool dirty;
        pthread_mutex_lock(&cl.lock);
        dirty = cl.dirty;
        pthread_mutex_unlock(&cl.lock);
        if (cl.lease_ok && (dirty || cl.watch_fired || now >= next_reconcile)) {
            cl.watch_fired = false;
            reconcile();
            next_reconcile = now_ms() + (ttl / 3 < PLAN_GRACE_MS ? ttl / 3 : PLAN_GRACE_MS);
        }
        /* Wait for the watch, a wake-up, or the next timer. */
        now = now_ms();
        uint64_t next = next_reconcile;
        if (cl.lease && next_ka < next)
            next = next_ka;
        if (cl.lease_ok && cl.last_ka_ok_ms + ttl - margin < next)
            next = cl.last_ka_ok_ms + ttl - margin;
        if (!cl.lease && next_grant < next)
            next = next_grant;
        int wait = next > now ? (int)(next - now) : 0;
        int running = 0;
        curl_multi_poll(cl.multi, NULL, 0, wait, NULL);
        curl_multi_perform(cl.multi, &running);
        CURLMsg *m;
        int left;
        while ((m = curl_multi_info_read(cl.multi, &left))) {
            if (m->msg == CURLMSG_DONE && m->easy_handle == cl.watch) {
                ken_log(KEN_LOG_DEBUG, LOG_MOD, "the watch ended: %s", curl_easy_strerror(m->data.result));
                watch_stop();
                cl.watch_retry_ms = now_ms() + 100;
            }
        }
    }
    /* Stop: no mastership from here on, then the lease goes (and every key
     * with it: the others take over at once). */
    step_down_all(KEN_LOG_INFO, "stopping");
    watch_stop();
    lease_revoke();
    return NULL;
}

/* ---- the controller's side ---- */

void ken_cluster_dp_changed(struct ken_datapath *dp, bool up)
{
    if (!ken_cluster_running())
        return;
    pthread_mutex_lock(&cl.lock);
    if (!ken_cluster_running()) { /* stopped meanwhile */
        pthread_mutex_unlock(&cl.lock);
        return;
    }
    if (up) {
        cl.cdps = ken_xrealloc(cl.cdps, (cl.n_cdps + 1) * sizeof *cl.cdps);
        cl.cdps[cl.n_cdps++] = (struct cdp){.dp = ken_datapath_ref(dp), .dpid = ken_datapath_id(dp)};
    } else {
        for (size_t i = 0; i < cl.n_cdps; i++)
            if (cl.cdps[i].dp == dp)
                cl.cdps[i].gone = true;
    }
    cl.dirty = true;
    curl_multi_wakeup(cl.multi);
    pthread_mutex_unlock(&cl.lock);
}

/* ---- start and stop ---- */

int ken_cluster_start(const struct ken_cluster_options *o, char why[KEN_CLUSTER_WHY_LEN])
{
    if (ken_cluster_running()) {
        snprintf(why, KEN_CLUSTER_WHY_LEN, "the cluster is already running");
        return EALREADY;
    }
    if (!name_ok(o->name) || !name_ok(o->node_id)) {
        snprintf(why, KEN_CLUSTER_WHY_LEN, "the cluster name and node id must be 1 to %d bytes without '/'",
                 NAME_MAX_LEN);
        return EINVAL;
    }
    double ttl = o->lease_ttl > 0 ? o->lease_ttl : 1;
    if (ttl != floor(ttl) || ttl > 3600) {
        snprintf(why, KEN_CLUSTER_WHY_LEN, "the lease TTL is whole seconds, 1 to 3600 (etcd's leases)");
        return EINVAL;
    }
    int err = etcd_init(&cl.etcd, o->etcd, 2000, why, KEN_CLUSTER_WHY_LEN);
    if (err)
        return err;
    free(cl.name);
    free(cl.node);
    free(cl.urls);
    free(cl.prefix);
    cl.name = ken_xstrdup(o->name);
    cl.node = ken_xstrdup(o->node_id);
    cl.urls = ken_xstrdup(o->etcd);
    if (asprintf(&cl.prefix, "/ken/%s/", o->name) < 0)
        abort();
    cl.ttl_ms = (long)ttl * 1000;
    /* A restarted instance may find its old member key still alive for
     * up to a TTL: it waits that long before giving up. */
    uint64_t until = now_ms() + (uint64_t)cl.ttl_ms + 2000;
    cl.watch_from = 0; /* set by the member key's write */
    char buf[KEN_CLUSTER_WHY_LEN - 16];
    while ((err = grant_and_register(buf, sizeof buf)) == EEXIST && now_ms() < until)
        usleep(100 * 1000);
    if (err) {
        snprintf(why, KEN_CLUSTER_WHY_LEN, "etcd: %s", buf);
        etcd_destroy(&cl.etcd);
        return err;
    }
    cl.multi = curl_multi_init();
    atomic_store(&cl.stop, false);
    atomic_store(&cl.running, true);
    watch_start();
    if (pthread_create(&cl.thread, NULL, cluster_thread, NULL)) {
        atomic_store(&cl.running, false);
        snprintf(why, KEN_CLUSTER_WHY_LEN, "cannot start the cluster's thread");
        return EAGAIN;
    }
    ken_log(KEN_LOG_INFO, LOG_MOD, "member '%s' of cluster '%s' (etcd %s, lease TTL %ld s)", cl.node, cl.name,
            o->etcd, cl.ttl_ms / 1000);
    return 0;
}

void ken_cluster_stop(void)
{
    if (!ken_cluster_running())
        return;
    atomic_store(&cl.stop, true);
    curl_multi_wakeup(cl.multi);
    pthread_join(cl.thread, NULL);
    pthread_mutex_lock(&cl.lock);
    atomic_store(&cl.running, false);
    for (size_t i = 0; i < cl.n_cdps; i++)
        ken_datapath_unref(cl.cdps[i].dp);
    free(cl.cdps);
    cl.cdps = NULL;
    cl.n_cdps = 0;
    for (size_t i = 0; i < cl.n_watched; i++)
        free(cl.watched[i]);
    free(cl.watched);
    cl.watched = NULL;
    cl.n_watched = 0;
    pthread_mutex_unlock(&cl.lock);
    curl_multi_cleanup(cl.multi);
    cl.multi = NULL;
    free(cl.watch_buf);
    cl.watch_buf = NULL;
    etcd_destroy(&cl.etcd);
    /* name, node, urls and prefix stay until the next start: a REST
     * handler or an app's call that saw the cluster running may still
     * read them. */
}

/* ---- status ---- */

struct json_object *ken_cluster_status_json(void)
{
    if (!ken_cluster_running())
        return NULL;
    struct etcd e;
    char why[256];
    if (etcd_init(&e, cl.urls, 2000, why, sizeof why))
        return NULL;
    struct snapshot s;
    int err = snapshot_read(&e, &s);
    etcd_destroy(&e);
    if (err)
        return NULL;
    struct json_object *j = json_object_new_object(), *members = json_object_new_array(),
                       *sws = json_object_new_array();
    json_object_object_add(j, "cluster", json_object_new_string(cl.name));
    json_object_object_add(j, "node_id", json_object_new_string(cl.node));
    for (long i = 0; i < s.n_members; i++)
        json_object_array_add(members, json_object_new_string(member_id(&s.members[i])));
    json_object_object_add(j, "members", members);
    /* every switch with a master or a connection, by dpid */
    uint64_t *ids = ken_xcalloc((size_t)(s.n_masters + s.n_conns) + 1, sizeof *ids);
    size_t n = 0;
    for (long i = 0; i < s.n_masters + s.n_conns; i++) {
        struct etcd_kv *kv = i < s.n_masters ? &s.masters[i] : &s.conns[i - s.n_masters];
        uint64_t id;
        if (!key_dpid(kv->key, i < s.n_masters ? "dp/" : "conn/", &id, NULL))
            continue;
        size_t at = 0;
        while (at < n && ids[at] < id)
            at++;
        if (at < n && ids[at] == id)
            continue;
        memmove(&ids[at + 1], &ids[at], (n - at) * sizeof *ids);
        ids[at] = id;
        n++;
    }
    for (size_t k = 0; k < n; k++) {
        struct json_object *sw = json_object_new_object(), *conn = json_object_new_array();
        char hex[17];
        ken_dpid_to_str(ids[k], hex);
        json_object_object_add(sw, "dpid", json_object_new_string(hex));
        struct json_object *master = NULL;
        int64_t gen = 0;
        for (long i = 0; i < s.n_masters; i++) {
            uint64_t id;
            if (key_dpid(s.masters[i].key, "dp/", &id, NULL) && id == ids[k]) {
                master = json_object_new_string(s.masters[i].value);
                gen = s.masters[i].create_revision;
            }
        }
        json_object_object_add(sw, "master", master);
        json_object_object_add(sw, "generation_id", json_object_new_int64(gen));
        for (long i = 0; i < s.n_conns; i++) {
            uint64_t id;
            const char *node;
            if (key_dpid(s.conns[i].key, "conn/", &id, &node) && id == ids[k])
                json_object_array_add(conn, json_object_new_string(node));
        }
        json_object_object_add(sw, "connected", conn);
        struct json_object *role = NULL;
        pthread_mutex_lock(&cl.lock);
        for (size_t i = 0; i < cl.n_cdps; i++)
            if (!cl.cdps[i].gone && cl.cdps[i].dpid == ids[k])
                role = json_object_new_string(ken_role_name(ken_datapath_role(cl.cdps[i].dp)));
        pthread_mutex_unlock(&cl.lock);
        json_object_object_add(sw, "role", role);
        json_object_array_add(sws, sw);
    }
    free(ids);
    json_object_object_add(j, "switches", sws);
    snapshot_free(&s);
    return j;
}

/* ---- shared state ---- */

static int kv_begin(const char *app, const char *key, struct etcd *e, char **full)
{
    if (!ken_cluster_running())
        return ENOTCONN;
    if (!name_ok(app) || !key || !*key || strlen(key) > NAME_MAX_LEN)
        return EINVAL;
    char why[256];
    if (etcd_init(e, cl.urls, 2000, why, sizeof why))
        return ENOTCONN;
    if (asprintf(full, "%sapps/%s/%s", cl.prefix, app, key) < 0)
        abort();
    return 0;
}

static int kv_end(struct etcd *e, char *full, int err)
{
    etcd_destroy(e);
    free(full);
    return err ? (err == ENOENT || err == ECANCELED ? err : EIO) : 0;
}

int ken_cluster_kv_get(const char *app, const char *key, char **value, size_t *len, int64_t *revision)
{
    struct etcd e;
    char *full;
    int err = kv_begin(app, key, &e, &full);
    if (err)
        return err;
    struct json_object *req = json_object_new_object(), *resp = NULL;
    json_object_object_add(req, "key", etcd_json_key(full));
    err = etcd_call(&e, "/v3/kv/range", req, &resp, NULL, 0);
    json_object_put(req);
    if (!err) {
        struct etcd_kv *kv;
        long n = etcd_kvs_decode(resp, &kv);
        if (n <= 0) {
            err = n < 0 ? EPROTO : ENOENT;
        } else {
            if (revision)
                *revision = kv[0].mod_revision;
            if (len)
                *len = kv[0].value_len;
            if (value) {
                *value = kv[0].value;
                kv[0].value = NULL;
            }
        }
        if (n >= 0)
            etcd_kvs_free(kv, n);
    }
    json_object_put(resp);
    return kv_end(&e, full, err);
}

int ken_cluster_kv_put(const char *app, const char *key, const void *value, size_t len)
{
    struct etcd e;
    char *full;
    int err = kv_begin(app, key, &e, &full);
    if (err)
        return err;
    struct json_object *req = req_put(full, value, len, 0), *resp = NULL;
    err = etcd_call(&e, "/v3/kv/put", req, &resp, NULL, 0);
    json_object_put(req);
    json_object_put(resp);
    return kv_end(&e, full, err);
}

int ken_cluster_kv_cas(const char *app, const char *key, int64_t expect, const void *value, size_t len)
{
    struct etcd e;
    char *full;
    int err = kv_begin(app, key, &e, &full);
    if (err)
        return err;
    char rev[32];
    snprintf(rev, sizeof rev, "%" PRId64, expect);
    struct json_object *t = expect ? compare(full, "MOD", "mod_revision", json_object_new_string(rev))
                                   : compare(full, "CREATE", "create_revision", json_object_new_string("0")),
                       *resp = NULL;
    t = txn(t, ops(op("request_put", req_put(full, value, len, 0)), NULL, NULL), NULL);
    err = etcd_call(&e, "/v3/kv/txn", t, &resp, NULL, 0);
    json_object_put(t);
    if (!err && !txn_succeeded(resp))
        err = ECANCELED;
    json_object_put(resp);
    return kv_end(&e, full, err);
}

int ken_cluster_kv_delete(const char *app, const char *key)
{
    struct etcd e;
    char *full;
    int err = kv_begin(app, key, &e, &full);
    if (err)
        return err;
    struct json_object *req = json_object_new_object(), *resp = NULL;
    json_object_object_add(req, "key", etcd_json_key(full));
    err = etcd_call(&e, "/v3/kv/deleterange", req, &resp, NULL, 0);
    json_object_put(req);
    json_object_put(resp);
    return kv_end(&e, full, err);
}

int ken_cluster_kv_watch(const char *app)
{
    if (!ken_cluster_running())
        return ENOTCONN;
    if (!name_ok(app))
        return EINVAL;
    pthread_mutex_lock(&cl.lock);
    bool have = false;
    for (size_t i = 0; i < cl.n_watched; i++)
        have |= !strcmp(cl.watched[i], app);
    if (!have) {
        cl.watched = ken_xrealloc(cl.watched, (cl.n_watched + 1) * sizeof *cl.watched);
        cl.watched[cl.n_watched++] = ken_xstrdup(app);
    }
    pthread_mutex_unlock(&cl.lock);
    return 0;
}
