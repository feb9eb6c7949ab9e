/* tunnels: tunnel keys per network and tunnel ports per switch, with the
 * EventTunnelKeyAdd / EventTunnelKeyDel / EventTunnelPort events (Ryu's
 * controller.tunnels). The state is the "tunnels" app's data. Locking as
 * in network.c: room for the event is made first, then the change and its
 * event under lock; evorder.h sends the events in the order of the changes. */
#include "ken/tunnels.h"

#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "ken/app.h"
#include "ken/network.h"

#include "evorder.h"

KEN_EV_CLASS_DEFINE(ken_ev_tunnel_key_base_class, "EventTunnelKeyBase", ken_ev_base_class)
KEN_EV_CLASS_DEFINE(ken_ev_tunnel_key_add_class, "EventTunnelKeyAdd", ken_ev_tunnel_key_base_class)
KEN_EV_CLASS_DEFINE(ken_ev_tunnel_key_del_class, "EventTunnelKeyDel", ken_ev_tunnel_key_base_class)
KEN_EV_CLASS_DEFINE(ken_ev_tunnel_port_class, "EventTunnelPort", ken_ev_base_class)

struct tn_key {
    char *id;
    uint32_t key;
};

struct tn_port {
    uint64_t dpid;
    uint32_t port_no;
    uint64_t remote;
};

struct ken_tunnels {
    pthread_mutex_t lock;
    struct evorder ord;      /* events to send, under lock */
    struct tn_key *keys;     /* in registration order */
    size_t n_keys, cap_keys;
    struct tn_port *ports;   /* sorted by (dpid, port_no) */
    size_t n_ports, cap_ports;
};

int ken_tunnels_register_classes(void)
{
    struct ken_ev_class *const all[] = {&ken_ev_tunnel_key_add_class, &ken_ev_tunnel_key_del_class,
                                        &ken_ev_tunnel_port_class};
    for (size_t i = 0; i < sizeof all / sizeof all[0]; i++)
        if (!ken_ev_class_register_static(all[i]))
            return ENOSPC;
    return 0;
}

const char *ken_tunnels_error_name(int err, bool about_port)
{
    switch (err) {
    case 0: return "OK";
    case EINVAL: return "InvalidArgument";
    case ENOENT: return "TunnelKeyNotFound";
    case EEXIST: return "NetworkAlreadyExist";
    case EADDRINUSE: return about_port ? "PortAlreadyExist" : "TunnelKeyAlreadyExist";
    case ENXIO: return "PortNotFound";
    case EBUSY: return "RemoteDPIDAlreadyExist";
    case ENOMEM: return "OutOfMemory";
    default: return "Error";
    }
}

struct ken_tunnels *ken_tunnels_of(struct ken_app *app)
{
    if (app)
        return ken_app_context(app, "tunnels");
    struct ken_app *a = ken_app_lookup("tunnels");
    return a && ken_app_running(a) ? ken_app_data(a) : NULL;
}

/* Ends a change: called with lock held (ev may be NULL: nothing changed;
 * else room was reserved for it), returns with it released. */
static void finish(struct ken_tunnels *t, struct ken_event *ev)
{
    if (ev)
        evorder_push(&t->ord, ev);
    evorder_finish(&t->ord, &t->lock);
}

/* ---- keys ---- */

static struct ken_event *key_event(ken_ev_class_t cls, const char *id, uint32_t key)
{
    size_t len = strlen(id) + 1;
    struct ken_ev_tunnel_key *e = ken_event_new(cls, sizeof *e + len, NULL);
    memcpy(e + 1, id, len);
    e->network_id = (const char *)(e + 1);
    e->tunnel_key = key;
    return &e->ev;
}

static struct tn_key *key_of(struct ken_tunnels *t, const char *id)
{
    for (size_t i = 0; i < t->n_keys; i++)
        if (!strcmp(t->keys[i].id, id))
            return &t->keys[i];
    return NULL;
}

static bool key_taken(struct ken_tunnels *t, uint32_t key)
{
    for (size_t i = 0; i < t->n_keys; i++)
        if (t->keys[i].key == key)
            return true;
    return false;
}

int ken_tunnels_get_key(struct ken_tunnels *t, const char *id, uint32_t *key)
{
    if (!ken_network_id_valid(id))
        return ENOENT;
    pthread_mutex_lock(&t->lock);
    struct tn_key *k = key_of(t, id);
    if (k)
        *key = k->key;
    pthread_mutex_unlock(&t->lock);
    return k ? 0 : ENOENT;
}

static int set_key(struct ken_tunnels *t, const char *id, uint32_t key, bool same_ok)
{
    if (!ken_network_id_valid(id))
        return EINVAL;
    char *copy = strdup(id);
    if (!copy)
        return ENOMEM;
    struct ken_event *ev = NULL;
    int err = 0;
    pthread_mutex_lock(&t->lock);
    struct tn_key *k = key_of(t, id);
    if (k)
        err = same_ok && k->key == key ? 0 : EEXIST;
    else if (key_taken(t, key))
        err = EADDRINUSE;
    else if (evorder_reserve(&t->ord, 1))
        err = ENOMEM;
    else if (t->n_keys == t->cap_keys) {
        size_t cap = t->cap_keys ? 2 * t->cap_keys : 16;
        struct tn_key *n = realloc(t->keys, cap * sizeof *n);
        if (n) {
            t->keys = n;
            t->cap_keys = cap;
        } else {
            err = ENOMEM;
        }
    }
    if (!err && !k) {
        t->keys[t->n_keys++] = (struct tn_key){copy, key};
        copy = NULL;
        ev = key_event(ken_ev_tunnel_key_add_class.id, id, key);
    }
    finish(t, ev);
    free(copy);
    return err;
}

int ken_tunnels_register_key(struct ken_tunnels *t, const char *id, uint32_t key) { return set_key(t, id, key, false); }

int ken_tunnels_update_key(struct ken_tunnels *t, const char *id, uint32_t key) { return set_key(t, id, key, true); }

int ken_tunnels_delete_key(struct ken_tunnels *t, const char *id)
{
    if (!ken_network_id_valid(id))
        return ENOENT;
    struct ken_event *ev = NULL;
    pthread_mutex_lock(&t->lock);
    struct tn_key *k = key_of(t, id);
    int err = !k ? ENOENT : evorder_reserve(&t->ord, 1);
    if (!err) {
        ev = key_event(ken_ev_tunnel_key_del_class.id, id, k->key);
        free(k->id);
        size_t at = (size_t)(k - t->keys);
        memmove(&t->keys[at], &t->keys[at + 1], (t->n_keys - at - 1) * sizeof *t->keys);
        t->n_keys--;
    }
    finish(t, ev);
    return err;
}

/* ---- ports ---- */

static size_t port_find(const struct ken_tunnels *t, uint64_t dpid, uint32_t port_no, bool *found)
{
    size_t lo = 0, hi = t->n_ports;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        const struct tn_port *p = &t->ports[mid];
        if (p->dpid < dpid || (p->dpid == dpid && p->port_no < port_no))
            lo = mid + 1;
        else
            hi = mid;
    }
    *found = lo < t->n_ports && t->ports[lo].dpid == dpid && t->ports[lo].port_no == port_no;
    return lo;
}

static struct ken_event *port_event(uint64_t dpid, uint32_t port_no, uint64_t remote, bool add)
{
    struct ken_ev_tunnel_port *e = ken_event_new(ken_ev_tunnel_port_class.id, sizeof *e, NULL);
    e->dpid = dpid;
    e->port_no = port_no;
    e->remote_dpid = remote;
    e->add_del = add;
    return &e->ev;
}

int ken_tunnels_list_ports(struct ken_tunnels *t, uint64_t dpid, uint32_t **ports, size_t *n)
{
    *ports = NULL;
    *n = 0;
    int err = 0;
    pthread_mutex_lock(&t->lock);
    bool found;
    size_t from = port_find(t, dpid, 0, &found), to = from;
    while (to < t->n_ports && t->ports[to].dpid == dpid)
        to++;
    if (to > from) {
        *ports = malloc((to - from) * sizeof **ports);
        if (!*ports)
            err = ENOMEM;
        for (size_t i = from; i < to && *ports; i++)
            (*ports)[i - from] = t->ports[i].port_no;
        *n = *ports ? to - from : 0;
    }
    pthread_mutex_unlock(&t->lock);
    return err;
}

static int set_port(struct ken_tunnels *t, uint64_t dpid, uint32_t port_no, uint64_t remote, bool may_exist)
{
    if (port_no == 0)
        return EINVAL;
    struct ken_event *ev = NULL;
    int err = 0;
    pthread_mutex_lock(&t->lock);
    bool found;
    size_t at = port_find(t, dpid, port_no, &found);
    if (found) {
        err = !may_exist ? EADDRINUSE : t->ports[at].remote != remote ? EBUSY : 0;
    } else if (evorder_reserve(&t->ord, 1)) {
        err = ENOMEM;
    } else if (t->n_ports == t->cap_ports) {
        size_t cap = t->cap_ports ? 2 * t->cap_ports : 16;
        struct tn_port *n = realloc(t->ports, cap * sizeof *n);
        if (n) {
            t->ports = n;
            t->cap_ports = cap;
        } else {
            err = ENOMEM;
        }
    }
    if (!err && !found) {
        memmove(&t->ports[at + 1], &t->ports[at], (t->n_ports - at) * sizeof *t->ports);
        t->ports[at] = (struct tn_port){dpid, port_no, remote};
        t->n_ports++;
        ev = port_event(dpid, port_no, remote, true);
    }
    finish(t, ev);
    return err;
}

int ken_tunnels_register_port(struct ken_tunnels *t, uint64_t dpid, uint32_t port_no, uint64_t remote)
{
    return set_port(t, dpid, port_no, remote, false);
}

int ken_tunnels_update_port(struct ken_tunnels *t, uint64_t dpid, uint32_t port_no, uint64_t remote)
{
    return set_port(t, dpid, port_no, remote, true);
}

int ken_tunnels_get_remote_dpid(struct ken_tunnels *t, uint64_t dpid, uint32_t port_no, uint64_t *remote)
{
    pthread_mutex_lock(&t->lock);
    bool found;
    size_t at = port_find(t, dpid, port_no, &found);
    if (found)
        *remote = t->ports[at].remote;
    pthread_mutex_unlock(&t->lock);
    return found ? 0 : ENXIO;
}

int ken_tunnels_delete_port(struct ken_tunnels *t, uint64_t dpid, uint32_t port_no)
{
    struct ken_event *ev = NULL;
    pthread_mutex_lock(&t->lock);
    bool found;
    size_t at = port_find(t, dpid, port_no, &found);
    int err = !found ? ENXIO : evorder_reserve(&t->ord, 1);
    if (!err) {
        ev = port_event(dpid, port_no, t->ports[at].remote, false);
        memmove(&t->ports[at], &t->ports[at + 1], (t->n_ports - at - 1) * sizeof *t->ports);
        t->n_ports--;
    }
    finish(t, ev);
    return err;
}

int ken_tunnels_get_port(struct ken_tunnels *t, uint64_t dpid, uint64_t remote, uint32_t *port_no)
{
    pthread_mutex_lock(&t->lock);
    bool found;
    size_t i = port_find(t, dpid, 0, &found);
    found = false;
    for (; i < t->n_ports && t->ports[i].dpid == dpid && !found; i++)
        if (t->ports[i].remote == remote) {
            *port_no = t->ports[i].port_no;
            found = true;
        }
    pthread_mutex_unlock(&t->lock);
    return found ? 0 : ENXIO;
}

/* ---- the app ---- */

static int tunnels_start(struct ken_app *app)
{
    if (ken_tunnels_register_classes())
        return ENOSPC;
    struct ken_tunnels *t = calloc(1, sizeof *t);
    if (!t)
        return ENOMEM;
    pthread_mutex_init(&t->lock, NULL);
    ken_app_set_data(app, t);
    return 0;
}

static void tunnels_stop(struct ken_app *app)
{
    struct ken_tunnels *t = ken_app_data(app);
    if (!t)
        return;
    for (size_t i = 0; i < t->n_keys; i++)
        free(t->keys[i].id);
    free(t->keys);
    free(t->ports);
    pthread_mutex_destroy(&t->lock);
    evorder_free(&t->ord);
    free(t);
    ken_app_set_data(app, NULL);
}

static const struct ken_app_desc tunnels_app = {
    .name = "tunnels",
    .start = tunnels_start,
    .stop = tunnels_stop,
};
KEN_APP_REGISTER(tunnels_app)
