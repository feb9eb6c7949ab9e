/* network: networks, their ports and the ports' MAC addresses, with the
 * EventNetworkPort / EventNetworkDel / EventMacAddress events (Ryu's
 * controller.network). The state is the "network" app's data.
 *
 * Locking: lock guards the tables and the event queue. A change makes
 * room for its events first (so it cannot fail half-way), changes the
 * tables, queues its events, and evorder_finish sends them in the order
 * of the changes (evorder.h). */
#include "ken/network.h"

#include <errno.h>
#include <pthread.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ken/app.h"

#include "evorder.h"

KEN_EV_CLASS_DEFINE(ken_ev_network_port_class, "EventNetworkPort", ken_ev_base_class)
KEN_EV_CLASS_DEFINE(ken_ev_network_del_class, "EventNetworkDel", ken_ev_base_class)
KEN_EV_CLASS_DEFINE(ken_ev_mac_address_class, "EventMacAddress", ken_ev_base_class)

struct nw_port {
    uint64_t dpid;
    uint32_t port_no;
    bool has_mac;
    uint8_t mac[6];
};

struct nw_net {
    char *id;
    struct nw_port *ports;   /* sorted by (dpid, port_no) */
    size_t n, cap;
};

struct ken_network {
    pthread_mutex_t lock;
    struct evorder ord;          /* events to send, under lock */
    struct nw_net *nets;         /* in creation order (Ryu's dict order) */
    size_t n, cap;
};

int ken_network_register_classes(void)
{
    struct ken_ev_class *const all[] = {&ken_ev_network_port_class, &ken_ev_network_del_class,
                                        &ken_ev_mac_address_class};
    for (size_t i = 0; i < sizeof all / sizeof all[0]; i++)
        if (!ken_ev_class_register_static(all[i]))
            return ENOSPC;
    return 0;
}

/* ---- helpers ---- */

static int hexval(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

int ken_mac_parse(const char *s, uint8_t mac[6])
{
    if (!s || strlen(s) != 17)
        return EINVAL;
    uint8_t m[6];
    for (int i = 0; i < 6; i++) {
        int hi = hexval(s[3 * i]), lo = hexval(s[3 * i + 1]);
        if (hi < 0 || lo < 0 || (i < 5 && s[3 * i + 2] != ':'))
            return EINVAL;
        m[i] = (uint8_t)(hi << 4 | lo);
    }
    memcpy(mac, m, 6);
    return 0;
}

void ken_mac_format(const uint8_t mac[6], char out[18])
{
    snprintf(out, 18, "%02x:%02x:%02x:%02x:%02x:%02x", mac[0], mac[1], mac[2], mac[3], mac[4], mac[5]);
}

/* Ids go into JSON and logs: valid UTF-8 without control characters, so
 * that every answer stays valid JSON. */
bool ken_network_id_valid(const char *id)
{
    if (!id)
        return false;
    size_t len = strlen(id);
    if (len == 0 || len > KEN_NW_ID_MAX)
        return false;
    const unsigned char *p = (const unsigned char *)id;
    while (*p) {
        unsigned c = *p;
        if (c < 0x20 || c == 0x7f)
            return false;
        if (c < 0x80) {
            p++;
            continue;
        }
        int more;
        unsigned cp;
        if (c >= 0xc2 && c <= 0xdf) {
            more = 1;
            cp = c & 0x1f;
        } else if (c >= 0xe0 && c <= 0xef) {
            more = 2;
            cp = c & 0x0f;
        } else if (c >= 0xf0 && c <= 0xf4) {
            more = 3;
            cp = c & 0x07;
        } else {
            return false;
        }
        for (int i = 1; i <= more; i++) {
            if ((p[i] & 0xc0) != 0x80)
                return false;
            cp = cp << 6 | (p[i] & 0x3f);
        }
        /* Overlong forms, surrogates and values past U+10FFFF. */
        if ((more == 2 && cp < 0x800) || (more == 3 && (cp < 0x10000 || cp > 0x10ffff)) ||
            (cp >= 0xd800 && cp <= 0xdfff) || (cp >= 0x80 && cp <= 0x9f))
            return false;
        p += more + 1;
    }
    return true;
}

const char *ken_network_error_name(int err)
{
    switch (err) {
    case 0: return "OK";
    case EINVAL: return "InvalidArgument";
    case ENOENT: return "NetworkNotFound";
    case EEXIST: return "NetworkAlreadyExist";
    case ENXIO: return "PortNotFound";
    case EADDRINUSE: return "PortAlreadyExist";
    case EBUSY: return "MacAddressAlreadyExist";
    case ENOMEM: return "OutOfMemory";
    default: return "Error";
    }
}

struct ken_network *ken_network_of(struct ken_app *app)
{
    if (app)
        return ken_app_context(app, "network");
    struct ken_app *a = ken_app_lookup("network");
    return a && ken_app_running(a) ? ken_app_data(a) : NULL;
}

/* ---- events ---- */

/* The id string lives right after the struct, inside the event; field is
 * the offset of the struct's network_id member. */
static void *ev_with_id(ken_ev_class_t cls, size_t size, const char *id, size_t field)
{
    size_t len = strlen(id) + 1;
    char *e = ken_event_new(cls, size + len, NULL);
    memcpy(e + size, id, len);
    const char *copy = e + size;
    memcpy(e + field, &copy, sizeof copy);
    return e;
}

static void q_port(struct evorder *q, const char *id, uint64_t dpid, uint32_t port_no, bool add)
{
    struct ken_ev_network_port *e =
        ev_with_id(ken_ev_network_port_class.id, sizeof *e, id, offsetof(struct ken_ev_network_port, network_id));
    e->dpid = dpid;
    e->port_no = port_no;
    e->add_del = add;
    evorder_push(q, &e->ev);
}

static void q_mac(struct evorder *q, const char *id, uint64_t dpid, uint32_t port_no, const uint8_t mac[6], bool add)
{
    struct ken_ev_mac_address *e =
        ev_with_id(ken_ev_mac_address_class.id, sizeof *e, id, offsetof(struct ken_ev_mac_address, network_id));
    e->dpid = dpid;
    e->port_no = port_no;
    memcpy(e->mac_address, mac, 6);
    e->add_del = add;
    evorder_push(q, &e->ev);
}

static void q_del(struct evorder *q, const char *id)
{
    struct ken_ev_network_del *e =
        ev_with_id(ken_ev_network_del_class.id, sizeof *e, id, offsetof(struct ken_ev_network_del, network_id));
    evorder_push(q, &e->ev);
}

/* Ends a change: called with lock held, returns with it released. */
static void finish(struct ken_network *nw) { evorder_finish(&nw->ord, &nw->lock); }

/* ---- tables (under lock) ---- */

static struct nw_net *net_find(struct ken_network *nw, const char *id)
{
    for (size_t i = 0; i < nw->n; i++)
        if (!strcmp(nw->nets[i].id, id))
            return &nw->nets[i];
    return NULL;
}

static int port_cmp(uint64_t da, uint32_t pa, uint64_t db, uint32_t pb)
{
    if (da != db)
        return da < db ? -1 : 1;
    return pa == pb ? 0 : pa < pb ? -1 : 1;
}

/* The index of the port, or where it would go. */
static size_t port_find(const struct nw_net *net, uint64_t dpid, uint32_t port_no, bool *found)
{
    size_t lo = 0, hi = net->n;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (port_cmp(net->ports[mid].dpid, net->ports[mid].port_no, dpid, port_no) < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    *found = lo < net->n && net->ports[lo].dpid == dpid && net->ports[lo].port_no == port_no;
    return lo;
}

/* The network holding a port (a port is in one network at most). */
static struct nw_net *port_owner(struct ken_network *nw, uint64_t dpid, uint32_t port_no, size_t *idx)
{
    for (size_t i = 0; i < nw->n; i++) {
        bool found;
        size_t j = port_find(&nw->nets[i], dpid, port_no, &found);
        if (found) {
            *idx = j;
            return &nw->nets[i];
        }
    }
    return NULL;
}

static bool net_reserve(struct nw_net *net)
{
    if (net->n < net->cap)
        return true;
    size_t cap = net->cap ? 2 * net->cap : 8;
    struct nw_port *p = realloc(net->ports, cap * sizeof *p);
    if (!p)
        return false;
    net->ports = p;
    net->cap = cap;
    return true;
}

static void net_insert(struct nw_net *net, size_t at, uint64_t dpid, uint32_t port_no)
{
    memmove(&net->ports[at + 1], &net->ports[at], (net->n - at) * sizeof *net->ports);
    net->ports[at] = (struct nw_port){.dpid = dpid, .port_no = port_no};
    net->n++;
}

/* Removes ports[at], queueing [MacAddress(del)] NetworkPort(del). */
static void net_drop(struct nw_net *net, size_t at, struct evorder *q)
{
    struct nw_port p = net->ports[at];
    memmove(&net->ports[at], &net->ports[at + 1], (net->n - at - 1) * sizeof *net->ports);
    net->n--;
    if (p.has_mac)
        q_mac(q, net->id, p.dpid, p.port_no, p.mac, false);
    q_port(q, net->id, p.dpid, p.port_no, false);
}

/* ---- networks ---- */

static int add_network(struct ken_network *nw, const char *id, bool may_exist)
{
    if (!ken_network_id_valid(id))
        return EINVAL;
    if (!strcmp(id, KEN_NW_ID_UNKNOWN))
        return EEXIST;
    char *copy = strdup(id);
    if (!copy)
        return ENOMEM;
    int err = 0;
    pthread_mutex_lock(&nw->lock);
    if (net_find(nw, id)) {
        err = may_exist ? 0 : EEXIST;
    } else if (nw->n == nw->cap) {
        size_t cap = nw->cap ? 2 * nw->cap : 16;
        struct nw_net *n = realloc(nw->nets, cap * sizeof *n);
        if (n) {
            nw->nets = n;
            nw->cap = cap;
        } else {
            err = ENOMEM;
        }
    }
    if (!err && !net_find(nw, id)) {
        nw->nets[nw->n++] = (struct nw_net){.id = copy};
        copy = NULL;
    }
    pthread_mutex_unlock(&nw->lock);
    free(copy);
    return err;
}

int ken_network_create(struct ken_network *nw, const char *id) { return add_network(nw, id, false); }

int ken_network_update(struct ken_network *nw, const char *id) { return add_network(nw, id, true); }

int ken_network_remove(struct ken_network *nw, const char *id)
{
    if (!ken_network_id_valid(id))
        return ENOENT;
    pthread_mutex_lock(&nw->lock);
    struct nw_net *net = net_find(nw, id);
    if (!net) {
        pthread_mutex_unlock(&nw->lock);
        return ENOENT;
    }
    /* At most two events per port and one for the network. */
    if (evorder_reserve(&nw->ord, 2 * net->n + 1)) {
        pthread_mutex_unlock(&nw->lock);
        return ENOMEM;
    }
    struct evorder *q = &nw->ord;
    /* Ports first, in (dpid, port_no) order, each with its MAC before it
     * (as a port's own removal), then the network. */
    for (size_t i = 0; i < net->n; i++) {
        struct nw_port *p = &net->ports[i];
        if (p->has_mac)
            q_mac(q, id, p->dpid, p->port_no, p->mac, false);
        q_port(q, id, p->dpid, p->port_no, false);
    }
    q_del(q, id);
    free(net->ports);
    free(net->id);
    size_t at = (size_t)(net - nw->nets);
    memmove(&nw->nets[at], &nw->nets[at + 1], (nw->n - at - 1) * sizeof *nw->nets);
    nw->n--;
    finish(nw);
    return 0;
}

bool ken_network_exists(struct ken_network *nw, const char *id)
{
    pthread_mutex_lock(&nw->lock);
    bool found = id && net_find(nw, id);
    pthread_mutex_unlock(&nw->lock);
    return found;
}

char **ken_network_list(struct ken_network *nw, size_t *n)
{
    *n = 0;
    pthread_mutex_lock(&nw->lock);
    size_t bytes = nw->n * sizeof(char *);
    for (size_t i = 0; i < nw->n; i++)
        bytes += strlen(nw->nets[i].id) + 1;
    char **out = nw->n ? malloc(bytes) : NULL;
    if (out) {
        char *s = (char *)(out + nw->n);
        for (size_t i = 0; i < nw->n; i++) {
            size_t len = strlen(nw->nets[i].id) + 1;
            memcpy(s, nw->nets[i].id, len);
            out[i] = s;
            s += len;
        }
        *n = nw->n;
    } else if (nw->n) {
        errno = ENOMEM;
    }
    pthread_mutex_unlock(&nw->lock);
    return out;
}

/* ---- ports ---- */

static int set_port(struct ken_network *nw, const char *id, uint64_t dpid, uint32_t port_no, bool may_exist)
{
    if (!ken_network_id_valid(id))
        return ENOENT;
    if (port_no == 0)
        return EINVAL;
    pthread_mutex_lock(&nw->lock);
    struct nw_net *net = net_find(nw, id);
    size_t old_at = 0;
    struct nw_net *old = net ? port_owner(nw, dpid, port_no, &old_at) : NULL;
    int err = !net ? ENOENT : old && !may_exist ? EADDRINUSE : 0;
    if (!err && old != net) {
        if (!net_reserve(net) || evorder_reserve(&nw->ord, 3)) {
            err = ENOMEM;
        } else {
            /* A move: the port leaves its network (releasing its MAC)
             * before it joins this one. */
            if (old)
                net_drop(old, old_at, &nw->ord);
            bool found;
            net_insert(net, port_find(net, dpid, port_no, &found), dpid, port_no);
            q_port(&nw->ord, id, dpid, port_no, true);
        }
    }
    finish(nw);
    return err;
}

int ken_network_create_port(struct ken_network *nw, const char *id, uint64_t dpid, uint32_t port_no)
{
    return set_port(nw, id, dpid, port_no, false);
}

int ken_network_update_port(struct ken_network *nw, const char *id, uint64_t dpid, uint32_t port_no)
{
    return set_port(nw, id, dpid, port_no, true);
}

int ken_network_remove_port(struct ken_network *nw, const char *id, uint64_t dpid, uint32_t port_no)
{
    if (!ken_network_id_valid(id))
        return ENOENT;
    pthread_mutex_lock(&nw->lock);
    struct nw_net *net = net_find(nw, id);
    bool found = false;
    size_t at = net ? port_find(net, dpid, port_no, &found) : 0;
    int err = !net ? ENOENT : !found ? ENXIO : evorder_reserve(&nw->ord, 2);
    if (!err)
        net_drop(net, at, &nw->ord);
    finish(nw);
    return err;
}

int ken_network_list_ports(struct ken_network *nw, const char *id, struct ken_network_port **out, size_t *n)
{
    *out = NULL;
    *n = 0;
    if (!ken_network_id_valid(id))
        return ENOENT;
    int err = 0;
    pthread_mutex_lock(&nw->lock);
    struct nw_net *net = net_find(nw, id);
    if (!net) {
        err = ENOENT;
    } else if (net->n) {
        *out = malloc(net->n * sizeof **out);
        if (!*out) {
            err = ENOMEM;
        } else {
            for (size_t i = 0; i < net->n; i++)
                (*out)[i] = (struct ken_network_port){net->ports[i].dpid, net->ports[i].port_no};
            *n = net->n;
        }
    }
    pthread_mutex_unlock(&nw->lock);
    return err;
}

int ken_network_port_network(struct ken_network *nw, uint64_t dpid, uint32_t port_no, char id[KEN_NW_ID_MAX + 1])
{
    pthread_mutex_lock(&nw->lock);
    size_t at;
    struct nw_net *net = port_owner(nw, dpid, port_no, &at);
    if (net)
        snprintf(id, KEN_NW_ID_MAX + 1, "%s", net->id);
    pthread_mutex_unlock(&nw->lock);
    return net ? 0 : ENXIO;
}

int ken_network_get_dpids(struct ken_network *nw, const char *id, uint64_t **out, size_t *n)
{
    *out = NULL;
    *n = 0;
    if (!ken_network_id_valid(id))
        return ENOENT;
    int err = 0;
    pthread_mutex_lock(&nw->lock);
    struct nw_net *net = net_find(nw, id);
    if (!net) {
        err = ENOENT;
    } else if (net->n && !(*out = malloc(net->n * sizeof **out))) {
        err = ENOMEM;
    } else {
        /* The ports are sorted by dpid first: one pass drops repeats. */
        for (size_t i = 0; i < net->n; i++)
            if (!*n || (*out)[*n - 1] != net->ports[i].dpid)
                (*out)[(*n)++] = net->ports[i].dpid;
    }
    pthread_mutex_unlock(&nw->lock);
    return err;
}

/* ---- MAC addresses ---- */

/* The port of a network, under lock; sets *err when there is none. */
static struct nw_port *net_port(struct ken_network *nw, const char *id, uint64_t dpid, uint32_t port_no, int *err)
{
    struct nw_net *net = net_find(nw, id);
    bool found = false;
    size_t at = net ? port_find(net, dpid, port_no, &found) : 0;
    *err = !net ? ENOENT : !found ? ENXIO : 0;
    return *err ? NULL : &net->ports[at];
}

static int set_mac(struct ken_network *nw, const char *id, uint64_t dpid, uint32_t port_no, const uint8_t mac[6],
                   bool same_ok)
{
    if (!ken_network_id_valid(id))
        return ENOENT;
    if (!mac)
        return EINVAL;
    int err;
    pthread_mutex_lock(&nw->lock);
    struct nw_port *p = net_port(nw, id, dpid, port_no, &err);
    /* Every check passes before anything is recorded. */
    if (p && p->has_mac)
        err = same_ok && !memcmp(p->mac, mac, 6) ? 0 : EBUSY;
    else if (p && !(err = evorder_reserve(&nw->ord, 1))) {
        memcpy(p->mac, mac, 6);
        p->has_mac = true;
        q_mac(&nw->ord, id, dpid, port_no, mac, true);
    }
    finish(nw);
    return err;
}

int ken_network_create_mac(struct ken_network *nw, const char *id, uint64_t dpid, uint32_t port_no,
                           const uint8_t mac[6])
{
    return set_mac(nw, id, dpid, port_no, mac, false);
}

int ken_network_update_mac(struct ken_network *nw, const char *id, uint64_t dpid, uint32_t port_no,
                           const uint8_t mac[6])
{
    return set_mac(nw, id, dpid, port_no, mac, true);
}

int ken_network_get_mac(struct ken_network *nw, const char *id, uint64_t dpid, uint32_t port_no, uint8_t mac[6],
                        bool *has)
{
    *has = false;
    if (!ken_network_id_valid(id))
        return ENOENT;
    int err;
    pthread_mutex_lock(&nw->lock);
    struct nw_port *p = net_port(nw, id, dpid, port_no, &err);
    if (p && p->has_mac) {
        memcpy(mac, p->mac, 6);
        *has = true;
    }
    pthread_mutex_unlock(&nw->lock);
    return err;
}

int ken_network_ports_with_mac(struct ken_network *nw, const char *id, const uint8_t mac[6],
                               struct ken_network_port **out, size_t *n)
{
    *out = NULL;
    *n = 0;
    if (!ken_network_id_valid(id))
        return ENOENT;
    int err = 0;
    pthread_mutex_lock(&nw->lock);
    struct nw_net *net = net_find(nw, id);
    if (!net) {
        err = ENOENT;
    } else {
        for (size_t i = 0; i < net->n && !err; i++) {
            const struct nw_port *p = &net->ports[i];
            if (!p->has_mac || memcmp(p->mac, mac, 6))
                continue;
            struct ken_network_port *grown = realloc(*out, (*n + 1) * sizeof **out);
            if (!grown) {
                free(*out);
                *out = NULL;
                *n = 0;
                err = ENOMEM;
            } else {
                *out = grown;
                (*out)[(*n)++] = (struct ken_network_port){p->dpid, p->port_no};
            }
        }
    }
    pthread_mutex_unlock(&nw->lock);
    return err;
}

/* ---- the app ---- */

static int network_start(struct ken_app *app)
{
    if (ken_network_register_classes())
        return ENOSPC;
    struct ken_network *nw = calloc(1, sizeof *nw);
    if (!nw)
        return ENOMEM;
    pthread_mutex_init(&nw->lock, NULL);
    ken_app_set_data(app, nw);
    return 0;
}

static void network_stop(struct ken_app *app)
{
    struct ken_network *nw = ken_app_data(app);
    if (!nw)
        return;
    for (size_t i = 0; i < nw->n; i++) {
        free(nw->nets[i].ports);
        free(nw->nets[i].id);
    }
    free(nw->nets);
    pthread_mutex_destroy(&nw->lock);
    evorder_free(&nw->ord);
    free(nw);
    ken_app_set_data(app, NULL);
}

static const struct ken_app_desc network_app = {
    .name = "network",
    .start = network_start,
    .stop = network_stop,
};
KEN_APP_REGISTER(network_app)
