/* switches: topology discovery (Ryu's ryu.topology.switches), see
 * ken/topology.h. The first half is the state (switches_core.h), which
 * knows no controller and no clock; the second half is the app, which
 * feeds it the controller's events and the time and sends what it asks.
 * The JSON of the data is topology_json.c's. */
#include "services/switches_core.h"

#include <errno.h>
#include <inttypes.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "ken/app.h"
#include "ken/datapath.h"
#include "ken/log.h"
#include "ken/ofp_event.h"
#include "ken/timer.h"
#include "ken/wire.h"

#define LOG_MOD "switches"

KEN_EV_CLASS_DEFINE(ken_ev_topo_switch_base_class, "EventSwitchBase", ken_ev_base_class)
KEN_EV_CLASS_DEFINE(ken_ev_topo_switch_enter_class, "EventSwitchEnter", ken_ev_topo_switch_base_class)
KEN_EV_CLASS_DEFINE(ken_ev_topo_switch_leave_class, "EventSwitchLeave", ken_ev_topo_switch_base_class)
KEN_EV_CLASS_DEFINE(ken_ev_topo_switch_reconnected_class, "EventSwitchReconnected", ken_ev_topo_switch_base_class)
KEN_EV_CLASS_DEFINE(ken_ev_topo_port_base_class, "topology.EventPortBase", ken_ev_base_class)
KEN_EV_CLASS_DEFINE(ken_ev_topo_port_add_class, "topology.EventPortAdd", ken_ev_topo_port_base_class)
KEN_EV_CLASS_DEFINE(ken_ev_topo_port_delete_class, "topology.EventPortDelete", ken_ev_topo_port_base_class)
KEN_EV_CLASS_DEFINE(ken_ev_topo_port_modify_class, "topology.EventPortModify", ken_ev_topo_port_base_class)
KEN_EV_CLASS_DEFINE(ken_ev_topo_link_base_class, "EventLinkBase", ken_ev_base_class)
KEN_EV_CLASS_DEFINE(ken_ev_topo_link_add_class, "EventLinkAdd", ken_ev_topo_link_base_class)
KEN_EV_CLASS_DEFINE(ken_ev_topo_link_delete_class, "EventLinkDelete", ken_ev_topo_link_base_class)
KEN_EV_CLASS_DEFINE(ken_ev_topo_host_base_class, "EventHostBase", ken_ev_base_class)
KEN_EV_CLASS_DEFINE(ken_ev_topo_host_add_class, "EventHostAdd", ken_ev_topo_host_base_class)
KEN_EV_CLASS_DEFINE(ken_ev_topo_host_delete_class, "EventHostDelete", ken_ev_topo_host_base_class)
KEN_EV_CLASS_DEFINE(ken_ev_topo_host_move_class, "EventHostMove", ken_ev_base_class)
KEN_EV_CLASS_DEFINE(ken_ev_topo_switch_request_class, "EventSwitchRequest", ken_ev_request_base_class)
KEN_EV_CLASS_DEFINE(ken_ev_topo_switch_reply_class, "EventSwitchReply", ken_ev_reply_base_class)
KEN_EV_CLASS_DEFINE(ken_ev_topo_link_request_class, "EventLinkRequest", ken_ev_request_base_class)
KEN_EV_CLASS_DEFINE(ken_ev_topo_link_reply_class, "EventLinkReply", ken_ev_reply_base_class)
KEN_EV_CLASS_DEFINE(ken_ev_topo_host_request_class, "EventHostRequest", ken_ev_request_base_class)
KEN_EV_CLASS_DEFINE(ken_ev_topo_host_reply_class, "EventHostReply", ken_ev_reply_base_class)

int ken_topology_register_classes(void)
{
    struct ken_ev_class *const all[] = {
        &ken_ev_topo_switch_enter_class, &ken_ev_topo_switch_leave_class, &ken_ev_topo_switch_reconnected_class,
        &ken_ev_topo_port_add_class,     &ken_ev_topo_port_delete_class,  &ken_ev_topo_port_modify_class,
        &ken_ev_topo_link_add_class,     &ken_ev_topo_link_delete_class,  &ken_ev_topo_host_add_class,
        &ken_ev_topo_host_delete_class,  &ken_ev_topo_host_move_class,    &ken_ev_topo_switch_request_class,
        &ken_ev_topo_switch_reply_class, &ken_ev_topo_link_request_class, &ken_ev_topo_link_reply_class,
        &ken_ev_topo_host_request_class, &ken_ev_topo_host_reply_class,
    };
    for (size_t i = 0; i < sizeof all / sizeof all[0]; i++)
        if (!ken_ev_class_register_static(all[i]))
            return ENOSPC;
    return 0;
}

/* ---- options ---- */

static struct ken_topology_options topo_options = {false, true, true};
static pthread_mutex_t topo_options_lock = PTHREAD_MUTEX_INITIALIZER;

void ken_topology_options_init(struct ken_topology_options *o) { *o = (struct ken_topology_options){false, true, true}; }

void ken_topology_set_options(const struct ken_topology_options *o)
{
    pthread_mutex_lock(&topo_options_lock);
    topo_options = *o;
    pthread_mutex_unlock(&topo_options_lock);
}

void ken_topology_get_options(struct ken_topology_options *o)
{
    pthread_mutex_lock(&topo_options_lock);
    *o = topo_options;
    pthread_mutex_unlock(&topo_options_lock);
}

/* ---- LLDP ---- */

#define LLDP_DST "\x01\x80\xc2\x00\x00\x0e" /* nearest bridge */
#define LLDP_CHASSIS_PREFIX "dpid:"
#define LLDP_TLV_END 0
#define LLDP_TLV_CHASSIS_ID 1
#define LLDP_TLV_PORT_ID 2
#define LLDP_TLV_TTL 3
#define LLDP_CHASSIS_LOCALLY_ASSIGNED 7
#define LLDP_PORT_COMPONENT 2
#define ETH_TYPE_CFM 0x8902

static void lldp_tlv_header(struct ken_buf *b, unsigned type, unsigned len)
{
    ken_buf_put16(b, (uint16_t)(type << 9 | len));
}

void ken_topo_lldp_build(struct ken_buf *out, uint64_t dpid, uint32_t port_no, const uint8_t hw_addr[6])
{
    size_t start = out->len;
    ken_buf_put(out, LLDP_DST, 6);
    ken_buf_put(out, hw_addr, 6);
    ken_buf_put16(out, KEN_ETH_TYPE_LLDP);
    char chassis[32];
    int n = snprintf(chassis, sizeof chassis, LLDP_CHASSIS_PREFIX "%016" PRIx64, dpid);
    lldp_tlv_header(out, LLDP_TLV_CHASSIS_ID, 1 + (unsigned)n);
    ken_buf_put8(out, LLDP_CHASSIS_LOCALLY_ASSIGNED);
    ken_buf_put(out, chassis, (size_t)n);
    lldp_tlv_header(out, LLDP_TLV_PORT_ID, 5);
    ken_buf_put8(out, LLDP_PORT_COMPONENT);
    ken_buf_put32(out, port_no);
    lldp_tlv_header(out, LLDP_TLV_TTL, 2);
    ken_buf_put16(out, KEN_TOPO_LLDP_TTL);
    lldp_tlv_header(out, LLDP_TLV_END, 0);
    /* Ethernet's minimum frame (without FCS), as a serialized Packet has. */
    if (out->len - start < KEN_TOPO_LLDP_PACKET_LEN)
        ken_buf_put_zeros(out, KEN_TOPO_LLDP_PACKET_LEN - (out->len - start));
}

/* The next TLV at *off: its type, value and length; false when it does
 * not fit the frame. */
static bool lldp_tlv_next(const uint8_t *f, size_t len, size_t *off, unsigned *type, const uint8_t **val,
                          size_t *vlen)
{
    if (len - *off < 2)
        return false;
    unsigned h = wire_get16(f + *off);
    *type = h >> 9;
    *vlen = h & 0x1ff;
    if (len - *off - 2 < *vlen)
        return false;
    *val = f + *off + 2;
    *off += 2 + *vlen;
    return true;
}

static int hexval(uint8_t c)
{
    return c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
}

int ken_topo_lldp_parse(const uint8_t *f, size_t len, uint64_t *dpid, uint32_t *port_no)
{
    if (!f || len < 14 || wire_get16(f + 12) != KEN_ETH_TYPE_LLDP)
        return EBADMSG;
    size_t off = 14;
    unsigned type;
    const uint8_t *v;
    size_t vlen;
    /* Chassis id, port id and TTL come first, in that order (802.1AB). */
    if (!lldp_tlv_next(f, len, &off, &type, &v, &vlen) || type != LLDP_TLV_CHASSIS_ID)
        return EBADMSG;
    const size_t plen = sizeof LLDP_CHASSIS_PREFIX - 1;
    if (vlen != 1 + plen + 16 || v[0] != LLDP_CHASSIS_LOCALLY_ASSIGNED || memcmp(v + 1, LLDP_CHASSIS_PREFIX, plen))
        return EBADMSG;
    uint64_t id = 0;
    for (size_t i = 0; i < 16; i++) {
        int d = hexval(v[1 + plen + i]);
        if (d < 0)
            return EBADMSG;
        id = id << 4 | (uint64_t)d;
    }
    if (!lldp_tlv_next(f, len, &off, &type, &v, &vlen) || type != LLDP_TLV_PORT_ID || vlen != 5 ||
        v[0] != LLDP_PORT_COMPONENT)
        return EBADMSG;
    uint32_t port = wire_get32(v + 1);
    if (!lldp_tlv_next(f, len, &off, &type, &v, &vlen) || type != LLDP_TLV_TTL || vlen != 2)
        return EBADMSG;
    *dpid = id;
    *port_no = port;
    return 0;
}

/* ---- ports ---- */

bool ken_topo_port_is_down(const struct ken_topo_port *p)
{
    return (p->state & KEN_OFPPS_LINK_DOWN) || (p->config & KEN_OFPPC_PORT_DOWN);
}

/* ---- the state ---- */

struct topo_sw {
    uint64_t dpid;
    struct ken_datapath *dp;     /* a reference, or NULL (tests) */
    size_t n_ports, cap_ports;
    struct ken_topo_port *ports; /* every port, reserved ones too, in the order learnt */
};

/* A port that sends LLDP (Ryu's PortData). */
struct topo_lport {
    uint64_t dpid;
    uint32_t port_no;
    bool is_down;
    bool due_now;                /* send at the next tick (Ryu: timestamp None) */
    uint64_t sent_ns;            /* when last sent, when not due_now */
    uint8_t frame[KEN_TOPO_LLDP_PACKET_LEN];
};

struct topo_link {
    struct ken_topo_link l;
    uint64_t seen_ns;
};

/* A host, with when it was first seen: replies list hosts in that order
 * (Ryu's dict order), while the table is a dense array with a MAC index. */
struct topo_host {
    struct ken_topo_host h;
    uint64_t seq;
};

struct topo {
    bool observe;
    const struct topo_ops *ops;
    void *ctx;
    struct topo_sw *sw;
    size_t n_sw, cap_sw;
    struct topo_lport *lp;
    size_t n_lp, cap_lp;
    struct topo_link *links;
    size_t n_links, cap_links;
    struct topo_host *hosts;
    size_t n_hosts, cap_hosts;
    uint32_t *hidx;              /* MAC -> hosts index + 1 (0: empty); open addressing */
    size_t hidx_cap;             /* a power of two, at least twice n_hosts */
    uint64_t host_seq;
    struct ken_log_ratelimit full_rl;
};

/* Grows an array so that one more element fits; aborts without memory,
 * as ken_event_new does (one rule for running out). */
static void *grow(void *arr, size_t *cap, size_t n, size_t size)
{
    if (n < *cap)
        return arr;
    size_t c = *cap ? 2 * *cap : 8;
    void *p = realloc(arr, c * size);
    if (!p) {
        KEN_LOG_CRITICAL(LOG_MOD, "out of memory");
        abort();
    }
    *cap = c;
    return p;
}

struct topo *topo_new(bool observe_links, const struct topo_ops *ops, void *ctx)
{
    struct topo *t = calloc(1, sizeof *t);
    if (!t)
        return NULL;
    t->observe = observe_links;
    t->ops = ops;
    t->ctx = ctx;
    return t;
}

void topo_free(struct topo *t)
{
    if (!t)
        return;
    for (size_t i = 0; i < t->n_sw; i++) {
        ken_datapath_unref(t->sw[i].dp);
        free(t->sw[i].ports);
    }
    free(t->sw);
    free(t->lp);
    free(t->links);
    free(t->hosts);
    free(t->hidx);
    free(t);
}

size_t topo_n_links(const struct topo *t) { return t->n_links; }
size_t topo_n_hosts(const struct topo *t) { return t->n_hosts; }
size_t topo_n_lldp_ports(const struct topo *t) { return t->n_lp; }

static bool port_is_reserved(uint32_t port_no) { return port_no > KEN_OFPP_MAX; }

static bool same_port(const struct ken_topo_port *a, uint64_t dpid, uint32_t port_no)
{
    return a->dpid == dpid && a->port_no == port_no;
}

static void topo_port_from(struct ken_topo_port *p, uint64_t dpid, const struct ken_port *o)
{
    memset(p, 0, sizeof *p);
    p->dpid = dpid;
    p->port_no = o->port_no;
    memcpy(p->hw_addr, o->hw_addr, 6);
    memcpy(p->name, o->name, sizeof p->name);
    p->name[sizeof p->name - 1] = '\0';
    p->config = o->config;
    p->state = o->state;
}

static struct topo_sw *sw_find(struct topo *t, uint64_t dpid)
{
    for (size_t i = 0; i < t->n_sw; i++)
        if (t->sw[i].dpid == dpid)
            return &t->sw[i];
    return NULL;
}

/* A non-reserved port of a registered switch (Ryu's _get_port). */
static const struct ken_topo_port *port_get(struct topo *t, uint64_t dpid, uint32_t port_no)
{
    struct topo_sw *s = sw_find(t, dpid);
    if (!s || port_is_reserved(port_no))
        return NULL;
    for (size_t i = 0; i < s->n_ports; i++)
        if (s->ports[i].port_no == port_no)
            return &s->ports[i];
    return NULL;
}

static struct topo_lport *lport_find(struct topo *t, uint64_t dpid, uint32_t port_no)
{
    for (size_t i = 0; i < t->n_lp; i++)
        if (t->lp[i].dpid == dpid && t->lp[i].port_no == port_no)
            return &t->lp[i];
    return NULL;
}

/* ---- events ---- */

static void emit(struct topo *t, struct ken_event *ev) { t->ops->emit(t->ctx, ev); }

static void ev_switch_fini(struct ken_event *ev)
{
    ken_datapath_unref(((struct ken_ev_topo_switch *)ev)->sw.dp);
}

/* The switch as Ryu's Switch: its non-reserved ports. */
static size_t sw_public_ports(const struct topo_sw *s, struct ken_topo_port *out)
{
    size_t n = 0;
    for (size_t i = 0; i < s->n_ports; i++)
        if (!port_is_reserved(s->ports[i].port_no)) {
            if (out)
                out[n] = s->ports[i];
            n++;
        }
    return n;
}

static void emit_switch(struct topo *t, const struct topo_sw *s, ken_ev_class_t cls)
{
    size_t n = sw_public_ports(s, NULL);
    struct ken_ev_topo_switch *e = ken_event_new(cls, sizeof *e + n * sizeof(struct ken_topo_port), ev_switch_fini);
    struct ken_topo_port *ports = (struct ken_topo_port *)(e + 1);
    sw_public_ports(s, ports);
    e->sw = (struct ken_topo_switch){s->dpid, s->dp ? ken_datapath_ref(s->dp) : NULL, n, ports};
    emit(t, &e->ev);
}

static void emit_port(struct topo *t, ken_ev_class_t cls, const struct ken_topo_port *p)
{
    struct ken_ev_topo_port *e = ken_event_new(cls, sizeof *e, NULL);
    e->port = *p;
    emit(t, &e->ev);
}

static void emit_link(struct topo *t, ken_ev_class_t cls, const struct ken_topo_link *l)
{
    struct ken_ev_topo_link *e = ken_event_new(cls, sizeof *e, NULL);
    e->link = *l;
    emit(t, &e->ev);
}

static void emit_host(struct topo *t, ken_ev_class_t cls, const struct ken_topo_host *h)
{
    struct ken_ev_topo_host *e = ken_event_new(cls, sizeof *e, NULL);
    e->host = *h;
    emit(t, &e->ev);
}

/* ---- LLDP ports (Ryu's PortDataState) ---- */

static void lport_add(struct topo *t, const struct ken_topo_port *p)
{
    struct topo_lport *lp = lport_find(t, p->dpid, p->port_no);
    if (lp) {
        lp->is_down = ken_topo_port_is_down(p);
        return;
    }
    t->lp = grow(t->lp, &t->cap_lp, t->n_lp, sizeof *t->lp);
    lp = &t->lp[t->n_lp++];
    *lp = (struct topo_lport){.dpid = p->dpid, .port_no = p->port_no, .is_down = ken_topo_port_is_down(p),
                              .due_now = true};
    struct ken_buf b = KEN_BUF_INIT;
    ken_topo_lldp_build(&b, p->dpid, p->port_no, p->hw_addr);
    memcpy(lp->frame, b.data, sizeof lp->frame);
    ken_buf_free(&b);
}

static void lport_del(struct topo *t, uint64_t dpid, uint32_t port_no)
{
    struct topo_lport *lp = lport_find(t, dpid, port_no);
    if (!lp)
        return;
    *lp = t->lp[--t->n_lp]; /* order does not matter: due times decide */
}

/* Send at the next tick (Ryu's move_front). */
static void lport_due_now(struct topo *t, uint64_t dpid, uint32_t port_no)
{
    struct topo_lport *lp = lport_find(t, dpid, port_no);
    if (lp)
        lp->due_now = true;
}

static void lport_send(struct topo *t, struct topo_lport *lp, uint64_t now_ns)
{
    lp->due_now = false;
    lp->sent_ns = now_ns;
    if (lp->is_down)
        return;
    struct topo_sw *s = sw_find(t, lp->dpid);
    if (s && t->ops->send_lldp)
        t->ops->send_lldp(t->ctx, s->dp, lp->dpid, lp->port_no, lp->frame, sizeof lp->frame);
}

#define MS 1000000ull

static int lport_cmp(const void *a, const void *b)
{
    const struct topo_lport *x = *(const struct topo_lport *const *)a, *y = *(const struct topo_lport *const *)b;
    if (x->dpid != y->dpid)
        return x->dpid < y->dpid ? -1 : 1;
    if (x->sent_ns != y->sent_ns)
        return x->sent_ns < y->sent_ns ? -1 : 1;
    return x->port_no < y->port_no ? -1 : x->port_no > y->port_no;
}

uint64_t topo_lldp_tick(struct topo *t, uint64_t now_ns)
{
    const uint64_t period = KEN_TOPO_LLDP_SEND_PERIOD_PER_PORT_MS * MS;
    size_t n_due = 0;
    for (size_t i = 0; i < t->n_lp; i++) {
        if (t->lp[i].due_now)
            lport_send(t, &t->lp[i], now_ns);
        else if (t->lp[i].sent_ns + period <= now_ns)
            n_due++;
    }
    /* Of each switch's ports whose period has passed, the one that waited
     * longest goes now; the others follow a guard interval apart (no
     * burst into one switch). Ryu spaces all switches' frames together,
     * 20 a second in all: past about 200 ports a port's turn comes later
     * than the link timeout and links flap; per switch, they do not. */
    if (n_due) {
        struct topo_lport **due = malloc(n_due * sizeof *due);
        if (!due) {
            KEN_LOG_CRITICAL(LOG_MOD, "out of memory");
            abort();
        }
        size_t k = 0;
        for (size_t i = 0; i < t->n_lp; i++)
            if (t->lp[i].sent_ns + period <= now_ns)
                due[k++] = &t->lp[i];
        qsort(due, k, sizeof *due, lport_cmp);
        for (size_t i = 0; i < k; i++)
            if (i == 0 || due[i]->dpid != due[i - 1]->dpid)
                lport_send(t, due[i], now_ns);
        free(due);
    }
    uint64_t next = UINT64_MAX;
    for (size_t i = 0; i < t->n_lp; i++) {
        uint64_t due = t->lp[i].sent_ns + period;
        if (due <= now_ns)
            return KEN_TOPO_LLDP_SEND_GUARD_MS;
        if ((due - now_ns + MS - 1) / MS < next)
            next = (due - now_ns + MS - 1) / MS;
    }
    return next;
}

/* ---- links (Ryu's LinkState) ---- */

static struct topo_link *link_find(struct topo *t, const struct ken_topo_port *src, const struct ken_topo_port *dst)
{
    for (size_t i = 0; i < t->n_links; i++)
        if (same_port(&t->links[i].l.src, src->dpid, src->port_no) &&
            same_port(&t->links[i].l.dst, dst->dpid, dst->port_no))
            return &t->links[i];
    return NULL;
}

/* Removes links[i], keeping the order (Ryu's dict order), and says so. */
static void link_remove_at(struct topo *t, size_t i)
{
    struct ken_topo_link l = t->links[i].l;
    memmove(&t->links[i], &t->links[i + 1], (t->n_links - i - 1) * sizeof *t->links);
    t->n_links--;
    KEN_LOG_DEBUG(LOG_MOD, "link down %016" PRIx64 ":%" PRIu32 " -> %016" PRIx64 ":%" PRIu32, l.src.dpid,
                  l.src.port_no, l.dst.dpid, l.dst.port_no);
    emit_link(t, ken_ev_topo_link_delete_class.id, &l);
}

static bool port_is_edge(const struct topo *t, uint64_t dpid, uint32_t port_no)
{
    for (size_t i = 0; i < t->n_links; i++)
        if (same_port(&t->links[i].l.src, dpid, port_no) || same_port(&t->links[i].l.dst, dpid, port_no))
            return false;
    return true;
}

/* ---- hosts ---- */

static size_t mac_hash(const uint8_t mac[6])
{
    uint64_t k = 0xcbf29ce484222325ull;
    for (int i = 0; i < 6; i++)
        k = (k ^ mac[i]) * 0x100000001b3ull;
    return (size_t)(k ^ k >> 29);
}

/* The index slot of mac: empty, or holding its host. */
static size_t hidx_slot(const struct topo *t, const uint8_t mac[6])
{
    size_t mask = t->hidx_cap - 1;
    for (size_t i = mac_hash(mac) & mask;; i = (i + 1) & mask)
        if (!t->hidx[i] || !memcmp(t->hosts[t->hidx[i] - 1].h.mac, mac, 6))
            return i;
}

static struct topo_host *host_find(const struct topo *t, const uint8_t mac[6])
{
    if (!t->hidx_cap)
        return NULL;
    uint32_t v = t->hidx[hidx_slot(t, mac)];
    return v ? &t->hosts[v - 1] : NULL;
}

static void hidx_rebuild(struct topo *t, size_t cap)
{
    uint32_t *idx = calloc(cap, sizeof *idx);
    if (!idx) {
        KEN_LOG_CRITICAL(LOG_MOD, "out of memory");
        abort();
    }
    free(t->hidx);
    t->hidx = idx;
    t->hidx_cap = cap;
    for (size_t i = 0; i < t->n_hosts; i++)
        t->hidx[hidx_slot(t, t->hosts[i].h.mac)] = (uint32_t)i + 1;
}

static struct topo_host *host_insert(struct topo *t, const uint8_t mac[6])
{
    if (2 * (t->n_hosts + 1) > t->hidx_cap)
        hidx_rebuild(t, t->hidx_cap ? 2 * t->hidx_cap : 64);
    t->hosts = grow(t->hosts, &t->cap_hosts, t->n_hosts, sizeof *t->hosts);
    struct topo_host *h = &t->hosts[t->n_hosts++];
    memset(h, 0, sizeof *h);
    memcpy(h->h.mac, mac, 6);
    h->seq = t->host_seq++;
    t->hidx[hidx_slot(t, mac)] = (uint32_t)t->n_hosts;
    return h;
}

/* Removes hosts[i] (the last host takes its place) and says so. */
static void host_remove_at(struct topo *t, size_t i)
{
    struct ken_topo_host gone = t->hosts[i].h;
    /* Out of the index, shifting back the entries that follow so that
     * every lookup still finds its key (no tombstones). */
    size_t mask = t->hidx_cap - 1, j = hidx_slot(t, gone.mac);
    t->hidx[j] = 0;
    for (size_t k = (j + 1) & mask; t->hidx[k]; k = (k + 1) & mask) {
        size_t home = mac_hash(t->hosts[t->hidx[k] - 1].h.mac) & mask;
        bool stays = j < k ? home > j && home <= k : home > j || home <= k;
        if (!stays) {
            t->hidx[j] = t->hidx[k];
            t->hidx[k] = 0;
            j = k;
        }
    }
    size_t last = --t->n_hosts;
    if (i != last) {
        t->hosts[i] = t->hosts[last];
        t->hidx[hidx_slot(t, t->hosts[i].h.mac)] = (uint32_t)i + 1;
    }
    emit_host(t, ken_ev_topo_host_delete_class.id, &gone);
}

/* Deletes the hosts on a port (port_no UINT64_MAX: on any port of dpid). */
static void hosts_del_on(struct topo *t, uint64_t dpid, uint64_t port_no)
{
    /* Downward: the host moved into a freed place was already looked at. */
    for (size_t i = t->n_hosts; i-- > 0;)
        if (t->hosts[i].h.port.dpid == dpid && (port_no == UINT64_MAX || t->hosts[i].h.port.port_no == port_no))
            host_remove_at(t, i);
}

/* Every link with an end on this port goes (both directions), at once;
 * the peers are probed again soon, as Ryu does for the reverse link. */
static void link_down(struct topo *t, uint64_t dpid, uint32_t port_no)
{
    for (size_t i = 0; i < t->n_links;) {
        const struct ken_topo_link *l = &t->links[i].l;
        if (same_port(&l->src, dpid, port_no)) {
            lport_due_now(t, l->dst.dpid, l->dst.port_no);
            link_remove_at(t, i);
        } else if (same_port(&l->dst, dpid, port_no)) {
            lport_due_now(t, l->src.dpid, l->src.port_no);
            link_remove_at(t, i);
        } else {
            i++;
        }
    }
}

/* ---- switches and ports ---- */

static void sw_set_port(struct topo_sw *s, const struct ken_topo_port *p)
{
    for (size_t i = 0; i < s->n_ports; i++)
        if (s->ports[i].port_no == p->port_no) {
            s->ports[i] = *p;
            return;
        }
    s->ports = grow(s->ports, &s->cap_ports, s->n_ports, sizeof *s->ports);
    s->ports[s->n_ports++] = *p;
}

static void sw_del_port(struct topo_sw *s, uint32_t port_no)
{
    for (size_t i = 0; i < s->n_ports; i++)
        if (s->ports[i].port_no == port_no) {
            memmove(&s->ports[i], &s->ports[i + 1], (s->n_ports - i - 1) * sizeof *s->ports);
            s->n_ports--;
            return;
        }
}

bool topo_switch_enter(struct topo *t, struct ken_datapath *dp, uint64_t dpid, const struct ken_port *ports,
                       size_t n, struct ken_datapath **old)
{
    *old = NULL;
    struct topo_sw *s = sw_find(t, dpid);
    if (s) {
        /* A second connection of a registered switch: it replaces the
         * first, which the caller closes; the ports stay as they are. */
        KEN_LOG_WARNING(LOG_MOD, "multiple connections from %016" PRIx64, dpid);
        *old = s->dp;
        s->dp = dp ? ken_datapath_ref(dp) : NULL;
        emit_switch(t, s, ken_ev_topo_switch_reconnected_class.id);
        return true;
    }
    t->sw = grow(t->sw, &t->cap_sw, t->n_sw, sizeof *t->sw);
    s = &t->sw[t->n_sw++];
    *s = (struct topo_sw){.dpid = dpid, .dp = dp ? ken_datapath_ref(dp) : NULL};
    for (size_t i = 0; i < n; i++) {
        struct ken_topo_port p;
        topo_port_from(&p, dpid, &ports[i]);
        sw_set_port(s, &p);
    }
    KEN_LOG_DEBUG(LOG_MOD, "register %016" PRIx64 " (%zu ports)", dpid, s->n_ports);
    emit_switch(t, s, ken_ev_topo_switch_enter_class.id);
    if (t->observe) {
        for (size_t i = 0; i < s->n_ports; i++)
            if (!port_is_reserved(s->ports[i].port_no))
                lport_add(t, &s->ports[i]);
        t->ops->wake(t->ctx);
    }
    return false;
}

void topo_switch_leave(struct topo *t, struct ken_datapath *dp, uint64_t dpid)
{
    struct topo_sw *s = sw_find(t, dpid);
    if (!s || s->dp != dp)
        return;
    struct topo_sw gone = *s;
    memmove(s, s + 1, (size_t)(&t->sw[t->n_sw] - (s + 1)) * sizeof *s);
    t->n_sw--;
    KEN_LOG_DEBUG(LOG_MOD, "unregister %016" PRIx64, dpid);
    emit_switch(t, &gone, ken_ev_topo_switch_leave_class.id);
    for (size_t i = 0; i < gone.n_ports; i++) {
        lport_del(t, dpid, gone.ports[i].port_no);
        link_down(t, dpid, gone.ports[i].port_no);
    }
    hosts_del_on(t, dpid, UINT64_MAX);
    ken_datapath_unref(gone.dp);
    free(gone.ports);
    if (t->observe)
        t->ops->wake(t->ctx);
}

void topo_port_status(struct topo *t, uint64_t dpid, uint8_t reason, const struct ken_port *desc)
{
    struct topo_sw *s = sw_find(t, dpid);
    if (!s)
        return;
    struct ken_topo_port p;
    topo_port_from(&p, dpid, desc);
    bool reserved = port_is_reserved(p.port_no);
    switch (reason) {
    case KEN_OFPPR_ADD:
        sw_set_port(s, &p);
        emit_port(t, ken_ev_topo_port_add_class.id, &p);
        if (t->observe && !reserved) {
            lport_add(t, &p);
            t->ops->wake(t->ctx);
        }
        break;
    case KEN_OFPPR_DELETE:
        emit_port(t, ken_ev_topo_port_delete_class.id, &p);
        sw_del_port(s, p.port_no);
        if (!reserved) {
            lport_del(t, dpid, p.port_no);
            link_down(t, dpid, p.port_no);
            hosts_del_on(t, dpid, p.port_no);
            if (t->observe)
                t->ops->wake(t->ctx);
        }
        break;
    case KEN_OFPPR_MODIFY:
        sw_set_port(s, &p);
        emit_port(t, ken_ev_topo_port_modify_class.id, &p);
        if (reserved)
            break;
        if (ken_topo_port_is_down(&p)) {
            link_down(t, dpid, p.port_no);
            hosts_del_on(t, dpid, p.port_no);
        }
        if (t->observe) {
            struct topo_lport *lp = lport_find(t, dpid, p.port_no);
            if (!lp) {
                lport_add(t, &p);
            } else {
                lp->is_down = ken_topo_port_is_down(&p);
                lp->due_now = !lp->is_down; /* a port back up is probed at once */
            }
            t->ops->wake(t->ctx);
        }
        break;
    default:
        KEN_LOG_DEBUG(LOG_MOD, "port-status of %016" PRIx64 " with reason %u ignored", dpid, reason);
        break;
    }
}

/* ---- packet-ins ---- */

static bool lldp_in(struct topo *t, uint64_t dpid, uint32_t in_port, const uint8_t *data, size_t len,
                    uint64_t now_ns)
{
    uint64_t src_dpid;
    uint32_t src_port_no;
    if (ken_topo_lldp_parse(data, len, &src_dpid, &src_port_no))
        return false;
    const struct ken_topo_port *src = port_get(t, src_dpid, src_port_no);
    if (!src || src_dpid == dpid)
        return false;
    const struct ken_topo_port *dst = port_get(t, dpid, in_port);
    if (!dst)
        return false;
    struct ken_topo_link nl = {*src, *dst};
    /* One pass over the links: a port has one peer, so a link from src
     * elsewhere, or into dst from elsewhere, is a link that moved
     * (recabled) and goes now rather than at its timeout; on the way,
     * find this link and its reverse. Removing shifts only what follows,
     * so the index found stays right. */
    size_t found = SIZE_MAX;
    bool reverse = false;
    for (size_t i = 0; i < t->n_links;) {
        const struct ken_topo_link *l = &t->links[i].l;
        bool l_from_src = same_port(&l->src, src->dpid, src->port_no);
        bool l_to_dst = same_port(&l->dst, dst->dpid, dst->port_no);
        if (l_from_src != l_to_dst) {
            link_remove_at(t, i);
            continue;
        }
        if (l_from_src)
            found = i;
        else if (same_port(&l->src, dst->dpid, dst->port_no) && same_port(&l->dst, src->dpid, src->port_no))
            reverse = true;
        i++;
    }
    if (found == SIZE_MAX) {
        t->links = grow(t->links, &t->cap_links, t->n_links, sizeof *t->links);
        found = t->n_links++;
        t->links[found].l = nl;
        KEN_LOG_DEBUG(LOG_MOD, "link up %016" PRIx64 ":%" PRIu32 " -> %016" PRIx64 ":%" PRIu32, nl.src.dpid,
                      nl.src.port_no, nl.dst.dpid, nl.dst.port_no);
        emit_link(t, ken_ev_topo_link_add_class.id, &nl);
        /* Hosts seen on what is now a link's end were other switches
         * (this touches hosts only: found stays right). */
        hosts_del_on(t, nl.src.dpid, nl.src.port_no);
        hosts_del_on(t, nl.dst.dpid, nl.dst.port_no);
    }
    t->links[found].seen_ns = now_ns;
    if (!reverse) {
        /* The reverse direction is very likely up too: probe it now. */
        lport_due_now(t, nl.dst.dpid, nl.dst.port_no);
        t->ops->wake(t->ctx);
    }
    return true;
}

static void host_add_ip(struct ken_topo_host *h, const uint8_t *ip, bool v6)
{
    size_t n = v6 ? h->n_ipv6 : h->n_ipv4, size = v6 ? 16 : 4;
    uint8_t *arr = v6 ? &h->ipv6[0][0] : &h->ipv4[0][0];
    static const uint8_t zero[16];
    if (!memcmp(ip, zero, size))
        return; /* unspecified: a probe (ARP, DAD), not the host's address */
    /* Seen again: it moves to the end of the list (Ryu's order). */
    for (size_t i = 0; i < n; i++)
        if (!memcmp(arr + i * size, ip, size)) {
            memmove(arr + i * size, arr + (i + 1) * size, (n - i - 1) * size);
            n--;
            break;
        }
    if (n == KEN_TOPO_HOST_MAX_IPS) {
        memmove(arr, arr + size, (n - 1) * size);
        n--;
    }
    memcpy(arr + n * size, ip, size);
    n++;
    if (v6)
        h->n_ipv6 = (uint8_t)n;
    else
        h->n_ipv4 = (uint8_t)n;
}

static void host_in(struct topo *t, uint64_t dpid, uint32_t in_port, const uint8_t *data, size_t len)
{
    if (len < 14)
        return;
    uint16_t type = wire_get16(data + 12);
    if (type == KEN_ETH_TYPE_LLDP || type == ETH_TYPE_CFM)
        return;
    const uint8_t *mac = data + 6;
    if (mac[0] & 1)
        return; /* a group address is no host */
    struct topo_host *th = host_find(t, mac);
    /* A host known on this very port is on an edge port: a link on it
     * would have deleted it. Otherwise look the port up in the links. */
    bool here = th && same_port(&th->h.port, dpid, in_port);
    const struct ken_topo_port *port = here ? &th->h.port : port_get(t, dpid, in_port);
    if (!port || (!here && !port_is_edge(t, dpid, in_port)))
        return;
    struct ken_topo_host *h;
    if (!th) {
        if (t->n_hosts >= KEN_TOPO_MAX_HOSTS) {
            ken_log_rl(&t->full_rl, 10000, KEN_LOG_WARNING, LOG_MOD,
                       "%d hosts known: a new one on %016" PRIx64 ":%" PRIu32 " is not learnt", KEN_TOPO_MAX_HOSTS,
                       dpid, in_port);
            return;
        }
        h = &host_insert(t, mac)->h;
        h->port = *port;
        emit_host(t, ken_ev_topo_host_add_class.id, h);
    } else if (!here) {
        h = &th->h;
        struct ken_ev_topo_host_move *e = ken_event_new(ken_ev_topo_host_move_class.id, sizeof *e, NULL);
        e->src = *h;
        memset(h, 0, sizeof *h); /* as Ryu: the moved host starts with no addresses */
        memcpy(h->mac, mac, 6);
        h->port = *port;
        e->dst = *h;
        emit(t, &e->ev);
    } else {
        h = &th->h;
    }
    const uint8_t *l3 = data + 14;
    size_t l3len = len - 14;
    if (type == KEN_ETH_TYPE_ARP && l3len >= 28)
        host_add_ip(h, l3 + 14, false);
    else if (type == KEN_ETH_TYPE_IP && l3len >= 20 && (l3[0] >> 4) == 4)
        host_add_ip(h, l3 + 12, false);
    else if (type == KEN_ETH_TYPE_IPV6 && l3len >= 40 && (l3[0] >> 4) == 6)
        host_add_ip(h, l3 + 8, true);
}

bool topo_packet_in(struct topo *t, uint64_t dpid, uint32_t in_port, const uint8_t *data, size_t len,
                    uint64_t now_ns)
{
    bool lldp = t->observe && lldp_in(t, dpid, in_port, data, len, now_ns);
    if (!lldp && t->observe && len >= 14 && wire_get16(data + 12) == KEN_ETH_TYPE_LLDP)
        KEN_LOG_DEBUG(LOG_MOD, "LLDP frame on %016" PRIx64 ":%" PRIu32 " ignored (not ours, or unknown port)",
                      dpid, in_port);
    host_in(t, dpid, in_port, data, len);
    return lldp;
}

void topo_link_check(struct topo *t, uint64_t now_ns)
{
    const uint64_t timeout = KEN_TOPO_LINK_TIMEOUT_MS * MS;
    /* The links gone, first, so that a reverse link going too is not
     * given the short delay meant for one still alive. */
    size_t n_dead = 0;
    struct ken_topo_link *dead = NULL;
    for (size_t i = 0; i < t->n_links; i++)
        if (t->links[i].seen_ns + timeout < now_ns)
            n_dead++;
    if (!n_dead)
        return;
    dead = malloc(n_dead * sizeof *dead);
    if (!dead) {
        KEN_LOG_CRITICAL(LOG_MOD, "out of memory");
        abort();
    }
    n_dead = 0;
    for (size_t i = 0; i < t->n_links;) {
        if (t->links[i].seen_ns + timeout < now_ns) {
            dead[n_dead++] = t->links[i].l;
            link_remove_at(t, i);
        } else {
            i++;
        }
    }
    for (size_t i = 0; i < n_dead; i++) {
        struct topo_link *rev = link_find(t, &dead[i].dst, &dead[i].src);
        if (rev) {
            /* Very likely down as well: it goes at the next check unless
             * an LLDP frame says otherwise, and is probed now. */
            rev->seen_ns = now_ns >= timeout ? now_ns - timeout : 0;
            lport_due_now(t, dead[i].dst.dpid, dead[i].dst.port_no);
            t->ops->wake(t->ctx);
        }
    }
    free(dead);
}

/* ---- replies ---- */

static void switch_reply_fini(struct ken_event *ev)
{
    struct ken_ev_topo_switch_reply *r = (struct ken_ev_topo_switch_reply *)ev;
    for (size_t i = 0; i < r->n; i++)
        ken_datapath_unref(r->switches[i].dp);
}

struct ken_event *topo_switch_reply(struct topo *t, bool has_dpid, uint64_t dpid)
{
    size_t n = 0, n_ports = 0;
    for (size_t i = 0; i < t->n_sw; i++)
        if (!has_dpid || t->sw[i].dpid == dpid) {
            n++;
            n_ports += sw_public_ports(&t->sw[i], NULL);
        }
    struct ken_ev_topo_switch_reply *r = ken_event_new(
        ken_ev_topo_switch_reply_class.id,
        sizeof *r + n * sizeof(struct ken_topo_switch) + n_ports * sizeof(struct ken_topo_port), switch_reply_fini);
    struct ken_topo_switch *sws = (struct ken_topo_switch *)(r + 1);
    struct ken_topo_port *ports = (struct ken_topo_port *)(sws + n);
    size_t k = 0;
    for (size_t i = 0; i < t->n_sw; i++) {
        const struct topo_sw *s = &t->sw[i];
        if (has_dpid && s->dpid != dpid)
            continue;
        size_t np = sw_public_ports(s, ports);
        sws[k++] = (struct ken_topo_switch){s->dpid, s->dp ? ken_datapath_ref(s->dp) : NULL, np, ports};
        ports += np;
    }
    r->n = k;
    r->switches = sws;
    return &r->rep.ev;
}

struct ken_event *topo_link_reply(struct topo *t, bool has_dpid, uint64_t dpid)
{
    size_t n = 0;
    for (size_t i = 0; i < t->n_links; i++)
        n += !has_dpid || t->links[i].l.src.dpid == dpid;
    struct ken_ev_topo_link_reply *r =
        ken_event_new(ken_ev_topo_link_reply_class.id, sizeof *r + n * sizeof(struct ken_topo_link), NULL);
    struct ken_topo_link *links = (struct ken_topo_link *)(r + 1);
    size_t k = 0;
    for (size_t i = 0; i < t->n_links; i++)
        if (!has_dpid || t->links[i].l.src.dpid == dpid)
            links[k++] = t->links[i].l;
    r->has_dpid = has_dpid;
    r->dpid = dpid;
    r->n = k;
    r->links = links;
    return &r->rep.ev;
}

static int host_seq_cmp(const void *a, const void *b)
{
    const struct topo_host *x = *(const struct topo_host *const *)a, *y = *(const struct topo_host *const *)b;
    return x->seq < y->seq ? -1 : x->seq > y->seq;
}

struct ken_event *topo_host_reply(struct topo *t, bool has_dpid, uint64_t dpid)
{
    size_t n = 0;
    for (size_t i = 0; i < t->n_hosts; i++)
        n += !has_dpid || t->hosts[i].h.port.dpid == dpid;
    struct ken_ev_topo_host_reply *r =
        ken_event_new(ken_ev_topo_host_reply_class.id, sizeof *r + n * sizeof(struct ken_topo_host), NULL);
    struct ken_topo_host *hosts = (struct ken_topo_host *)(r + 1);
    const struct topo_host **order = malloc((n ? n : 1) * sizeof *order);
    if (!order) {
        KEN_LOG_CRITICAL(LOG_MOD, "out of memory");
        abort();
    }
    size_t k = 0;
    for (size_t i = 0; i < t->n_hosts; i++)
        if (!has_dpid || t->hosts[i].h.port.dpid == dpid)
            order[k++] = &t->hosts[i];
    qsort(order, k, sizeof *order, host_seq_cmp); /* in the order first seen */
    for (size_t i = 0; i < k; i++)
        hosts[i] = order[i]->h;
    free(order);
    r->has_dpid = has_dpid;
    r->dpid = dpid;
    r->n = k;
    r->hosts = hosts;
    return &r->rep.ev;
}

/* ---- requests from other apps ---- */

static int topo_request(struct ken_ev_class *cls, const uint64_t *dpid, int timeout_ms, struct ken_event **reply)
{
    if (ken_topology_register_classes())
        return ENOSPC;
    struct ken_ev_topo_request *q = ken_event_new(cls->id, sizeof *q, NULL);
    q->req.dst = "switches";
    q->has_dpid = dpid != NULL;
    q->dpid = dpid ? *dpid : 0;
    return ken_send_request(&q->req, timeout_ms, reply);
}

int ken_topology_get_switch(const uint64_t *dpid, int timeout_ms, const struct ken_ev_topo_switch_reply **reply)
{
    struct ken_event *r;
    int err = topo_request(&ken_ev_topo_switch_request_class, dpid, timeout_ms, &r);
    *reply = err ? NULL : (const struct ken_ev_topo_switch_reply *)r;
    return err;
}

int ken_topology_get_link(const uint64_t *dpid, int timeout_ms, const struct ken_ev_topo_link_reply **reply)
{
    struct ken_event *r;
    int err = topo_request(&ken_ev_topo_link_request_class, dpid, timeout_ms, &r);
    *reply = err ? NULL : (const struct ken_ev_topo_link_reply *)r;
    return err;
}

int ken_topology_get_host(const uint64_t *dpid, int timeout_ms, const struct ken_ev_topo_host_reply **reply)
{
    struct ken_event *r;
    int err = topo_request(&ken_ev_topo_host_request_class, dpid, timeout_ms, &r);
    *reply = err ? NULL : (const struct ken_ev_topo_host_reply *)r;
    return err;
}

/* ---- the app ---- */

struct switches {
    struct ken_app *app;
    struct ken_topology_options opt;
    struct topo *topo;
    struct ken_timer *lldp_timer, *link_timer;
    uint64_t lldp_due_ms;  /* when the LLDP timer is armed for (monotonic ms); UINT64_MAX: not armed */
};

static uint64_t now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

static void sw_emit(void *ctx, struct ken_event *ev)
{
    (void)ctx;
    ken_send_event_to_observers(ev, KEN_PHASE_ANY);
}

static void sw_send_lldp(void *ctx, struct ken_datapath *dp, uint64_t dpid, uint32_t port_no, const uint8_t *frame,
                         size_t len)
{
    (void)ctx;
    if (!dp)
        return;
    uint8_t version = ken_datapath_version(dp);
    struct ken_action out = ken_action_output(port_no, KEN_OFPCML_MAX);
    struct ken_packet_out po;
    ken_packet_out_init(&po);
    /* 1.0's packet-out from no port is OFPP_NONE (ANY); 1.2+ CONTROLLER. */
    po.in_port = version == KEN_OFP10 ? KEN_OFPP_ANY : KEN_OFPP_CONTROLLER;
    po.n_actions = 1;
    po.actions = &out;
    po.data = frame;
    po.data_len = (uint16_t)len;
    int err = ken_datapath_send_packet_out(dp, &po);
    if (err && err != ENOTCONN)
        KEN_LOG_DEBUG(LOG_MOD, "LLDP to %016" PRIx64 ":%" PRIu32 " not sent: error %d", dpid, port_no, err);
}

static void lldp_timer_fn(struct ken_app *app, void *arg);

/* Arms the LLDP timer for in_ms from now unless it is armed sooner. */
static void lldp_arm(struct switches *s, uint64_t in_ms)
{
    if (!s->lldp_timer || in_ms == UINT64_MAX)
        return;
    uint64_t now_ms = now_ns() / MS, due = now_ms + in_ms;
    if (s->lldp_due_ms != UINT64_MAX && s->lldp_due_ms <= due)
        return;
    if (!ken_timer_restart(s->lldp_timer, in_ms, 0))
        s->lldp_due_ms = due;
}

static void sw_wake(void *ctx) { lldp_arm(ctx, 0); }

static const struct topo_ops sw_ops = {sw_emit, sw_send_lldp, sw_wake};

static void lldp_timer_fn(struct ken_app *app, void *arg)
{
    (void)app;
    struct switches *s = arg;
    s->lldp_due_ms = UINT64_MAX;
    lldp_arm(s, topo_lldp_tick(s->topo, now_ns()));
}

static void link_timer_fn(struct ken_app *app, void *arg)
{
    (void)app;
    struct switches *s = arg;
    topo_link_check(s->topo, now_ns());
}

/* Ryu's LLDP flow: every LLDP frame to the nearest-bridge address goes
 * to the controller, whole, at the top priority. */
static void install_lldp_flow(struct ken_datapath *dp)
{
    uint8_t version = ken_datapath_version(dp);
    struct ken_flow_mod fm;
    ken_flow_mod_init(&fm);
    fm.priority = 0xffff;
    ken_match_add_u16(&fm.match, KEN_OXM_ETH_TYPE, KEN_ETH_TYPE_LLDP);
    ken_match_add_mac(&fm.match, KEN_OXM_ETH_DST, (const uint8_t *)LLDP_DST, NULL);
    /* 1.0 has no "no buffer" length: it asks for the frame's length. */
    struct ken_action out = ken_action_output(
        KEN_OFPP_CONTROLLER, version == KEN_OFP10 ? KEN_TOPO_LLDP_PACKET_LEN : KEN_OFPCML_NO_BUFFER);
    ken_flow_mod_apply_actions(&fm, &out, 1);
    int err = ken_datapath_send_flow_mod(dp, &fm);
    if (err && err != ENOTCONN)
        KEN_LOG_ERROR(LOG_MOD, "cannot install the LLDP flow on %016" PRIx64 ": error %d", ken_datapath_id(dp), err);
}

static void on_state_change(struct ken_app *app, const struct ken_event *ev)
{
    struct switches *s = ken_app_data(app);
    const struct ken_ev_ofp_state_change *sc = ken_ev_ofp_state_change(ev);
    struct ken_datapath *dp = sc->datapath;
    uint64_t dpid = ken_datapath_id(dp);
    if (sc->phase == KEN_PHASE_MAIN) {
        size_t n = ken_datapath_ports(dp, NULL, 0);
        struct ken_port *ports = n ? calloc(n, sizeof *ports) : NULL;
        if (n && !ports) {
            KEN_LOG_ERROR(LOG_MOD, "out of memory for the ports of %016" PRIx64, dpid);
            return;
        }
        n = ken_datapath_ports(dp, ports, n);
        struct ken_datapath *old;
        topo_switch_enter(s->topo, dp, dpid, ports, n, &old);
        free(ports);
        if (old) {
            ken_datapath_close(old);
            ken_datapath_unref(old);
        }
        if (s->opt.observe_links && s->opt.install_lldp_flow)
            install_lldp_flow(dp);
    } else if (sc->phase == KEN_PHASE_DEAD && dpid) {
        topo_switch_leave(s->topo, dp, dpid);
    }
}

static void on_port_change(struct ken_app *app, const struct ken_event *ev)
{
    struct switches *s = ken_app_data(app);
    const struct ken_ev_ofp_port_state_change *pc = ken_ev_ofp_port_state_change(ev);
    topo_port_status(s->topo, ken_datapath_id(pc->datapath), pc->reason, &pc->port);
}

static void on_packet_in(struct ken_app *app, const struct ken_event *ev)
{
    struct switches *s = ken_app_data(app);
    const struct ken_ev_ofp *e = ken_ev_ofp(ev);
    const struct ken_packet_in *pi = e->packet_in;
    if (!pi)
        return;
    struct ken_datapath *dp = e->msg.datapath;
    bool lldp = topo_packet_in(s->topo, ken_datapath_id(dp), pi->in_port, pi->data, pi->data_len, now_ns());
    if (lldp && s->opt.explicit_drop && pi->buffer_id != KEN_OFP_NO_BUFFER) {
        /* The switch kept the frame: a packet-out with no action frees it. */
        struct ken_packet_out po;
        ken_packet_out_init(&po);
        po.buffer_id = pi->buffer_id;
        po.in_port = pi->in_port;
        ken_datapath_send_packet_out(dp, &po);
    }
}

static const struct ken_ev_topo_request *topo_req(const struct ken_event *ev)
{
    return (const struct ken_ev_topo_request *)ev;
}

static void on_switch_request(struct ken_app *app, const struct ken_event *ev)
{
    struct switches *s = ken_app_data(app);
    const struct ken_ev_topo_request *q = topo_req(ev);
    ken_send_reply(&q->req, topo_switch_reply(s->topo, q->has_dpid, q->dpid));
}

static void on_link_request(struct ken_app *app, const struct ken_event *ev)
{
    struct switches *s = ken_app_data(app);
    const struct ken_ev_topo_request *q = topo_req(ev);
    ken_send_reply(&q->req, topo_link_reply(s->topo, q->has_dpid, q->dpid));
}

static void on_host_request(struct ken_app *app, const struct ken_event *ev)
{
    struct switches *s = ken_app_data(app);
    const struct ken_ev_topo_request *q = topo_req(ev);
    ken_send_reply(&q->req, topo_host_reply(s->topo, q->has_dpid, q->dpid));
}

static void switches_stop(struct ken_app *app);

static int switches_start(struct ken_app *app)
{
    if (ken_topology_register_classes())
        return ENOSPC;
    struct switches *s = calloc(1, sizeof *s);
    if (!s)
        return ENOMEM;
    s->app = app;
    s->lldp_due_ms = UINT64_MAX;
    ken_topology_get_options(&s->opt);
    if (!(s->topo = topo_new(s->opt.observe_links, &sw_ops, s))) {
        free(s);
        return ENOMEM;
    }
    ken_app_set_data(app, s);
    if (s->opt.observe_links) {
        int err = ken_timer_start(app, KEN_TOPO_LLDP_SEND_PERIOD_PER_PORT_MS, 0, lldp_timer_fn, s, &s->lldp_timer);
        if (!err) {
            s->lldp_due_ms = now_ns() / MS + KEN_TOPO_LLDP_SEND_PERIOD_PER_PORT_MS;
            err = ken_timer_start(app, KEN_TOPO_TIMEOUT_CHECK_PERIOD_MS, KEN_TOPO_TIMEOUT_CHECK_PERIOD_MS,
                                  link_timer_fn, s, &s->link_timer);
        }
        if (err) {
            switches_stop(app);
            return err;
        }
    }
    KEN_LOG_DEBUG(LOG_MOD, "link discovery %s (LLDP flow %s, explicit drop %s)",
                  s->opt.observe_links ? "on" : "off", s->opt.install_lldp_flow ? "on" : "off",
                  s->opt.explicit_drop ? "on" : "off");
    return 0;
}

static void switches_stop(struct ken_app *app)
{
    struct switches *s = ken_app_data(app);
    if (!s)
        return;
    if (s->lldp_timer)
        ken_timer_cancel(s->lldp_timer);
    if (s->link_timer)
        ken_timer_cancel(s->link_timer);
    topo_free(s->topo);
    free(s);
    ken_app_set_data(app, NULL);
}

static const struct ken_app_desc switches_app = {
    .name = "switches",
    /* Its handlers send, reply and arm timers, never wait: every
     * packet-in comes here too (hosts), so the I/O thread may run them. */
    .flags = KEN_APP_NONBLOCKING,
    .start = switches_start,
    .stop = switches_stop,
    .handlers = (const struct ken_handler[]){
        {KEN_EV_OFP_STATE_CHANGE, KEN_PHASE_MAIN | KEN_PHASE_DEAD, on_state_change},
        {KEN_EV_OFP_PORT_STATE_CHANGE, KEN_PHASE_MAIN, on_port_change},
        {"EventOFPPacketIn", KEN_PHASE_MAIN, on_packet_in},
        {"EventSwitchRequest", 0, on_switch_request},
        {"EventLinkRequest", 0, on_link_request},
        {"EventHostRequest", 0, on_host_request},
        {NULL, 0, NULL},
    },
};
KEN_APP_REGISTER(switches_app)
