/* Ethernet header, MAC tables and packet-out for the learning switches. */
#include "l2.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ken/app.h"
#include "ken/log.h"
#include "ken/ofp_consts.h"
#include "ken/ofp_event.h"

#define LOG_MOD "l2"

static inline bool eth_parse(const uint8_t *frame, size_t len, struct l2_eth *eth)
{
    if (!frame || len < 14)
        return false;
    memcpy(eth->dst, frame, 6);
    memcpy(eth->src, frame + 6, 6);
    eth->ethertype = (uint16_t)(frame[12] << 8 | frame[13]);
    return true;
}

bool l2_eth_parse(const uint8_t *frame, size_t len, struct l2_eth *eth) { return eth_parse(frame, len, eth); }

const char *l2_mac_str(const uint8_t mac[6], char buf[18])
{
    snprintf(buf, 18, "%02x:%02x:%02x:%02x:%02x:%02x", mac[0], mac[1], mac[2], mac[3], mac[4], mac[5]);
    return buf;
}

/* ---- the tables: open addressing, linear probing, at most half full ----
 *
 * A map from datapath id to that datapath's MAC table. A datapath's table
 * only grows, until the datapath leaves and it is dropped whole; the map
 * deletes by shifting back the entries that follow (no tombstones). */

struct l2_entry {
    uint8_t mac[6];
    bool used;
    uint32_t port;
};

struct l2_dp {
    uint64_t dpid;
    struct l2_entry *slots;  /* NULL: this map slot is empty */
    size_t cap;              /* a power of two */
    size_t n;
};

struct l2_table {
    struct l2_dp *dps;
    size_t cap;  /* a power of two */
    size_t n;
    /* The datapath found last: packet-ins come in runs from one switch
     * (a read's worth), so most look-ups end here without probing. NULL
     * whenever the map moves its entries (growing, forgetting). */
    struct l2_dp *last;
};

#define L2_DP_MIN 16     /* slots of a new datapath's table */
#define L2_MAP_MIN 16    /* slots of the datapath map */

static size_t dpid_hash(uint64_t dpid)
{
    uint64_t k = dpid * 0x9e3779b97f4a7c15ull;
    return (size_t)(k ^ k >> 31);
}

/* A MAC as the 48-bit number its bytes spell (two loads, no loop). */
static inline uint64_t mac_key(const uint8_t mac[6])
{
    uint32_t hi;
    uint16_t lo;
    memcpy(&hi, mac, 4);
    memcpy(&lo, mac + 4, 2);
    return (uint64_t)hi << 16 | lo;
}

/* Every byte reaches the bits the mask keeps: the fold brings the high
 * half down, the multiply spreads it upwards, the shift keeps the top. */
static inline size_t mac_hash(uint64_t key)
{
    key ^= key >> 24;
    return (size_t)((key * 0x9e3779b97f4a7c15ull) >> 32);
}

static inline struct l2_entry *mac_slot_key(const struct l2_dp *d, uint64_t key)
{
    size_t mask = d->cap - 1;
    for (size_t i = mac_hash(key) & mask;; i = (i + 1) & mask) {
        struct l2_entry *e = &d->slots[i];
        if (!e->used || mac_key(e->mac) == key)
            return e;
    }
}

static struct l2_entry *mac_slot(const struct l2_dp *d, const uint8_t mac[6]) { return mac_slot_key(d, mac_key(mac)); }

static struct l2_dp *dp_slot(const struct l2_table *t, uint64_t dpid)
{
    size_t mask = t->cap - 1;
    for (size_t i = dpid_hash(dpid) & mask;; i = (i + 1) & mask) {
        struct l2_dp *d = &t->dps[i];
        if (!d->slots || d->dpid == dpid)
            return d;
    }
}

struct l2_table *l2_table_new(void)
{
    struct l2_table *t = calloc(1, sizeof *t);
    if (!t)
        return NULL;
    t->cap = L2_MAP_MIN;
    if (!(t->dps = calloc(t->cap, sizeof *t->dps))) {
        free(t);
        return NULL;
    }
    return t;
}

void l2_table_free(struct l2_table *t)
{
    if (!t)
        return;
    for (size_t i = 0; i < t->cap; i++)
        free(t->dps[i].slots);
    free(t->dps);
    free(t);
}

static bool map_grow(struct l2_table *t)
{
    struct l2_table bigger = {.dps = calloc(t->cap * 2, sizeof *t->dps), .cap = t->cap * 2, .n = t->n};
    if (!bigger.dps)
        return false;
    for (size_t i = 0; i < t->cap; i++)
        if (t->dps[i].slots)
            *dp_slot(&bigger, t->dps[i].dpid) = t->dps[i];
    free(t->dps);
    *t = bigger; /* last: NULL */
    return true;
}

/* dp_get's slow path: a datapath seen for the first time. */
__attribute__((noinline)) static struct l2_dp *dp_add(struct l2_table *t, struct l2_dp *d, uint64_t dpid)
{
    if (2 * (t->n + 1) > t->cap) {
        if (!map_grow(t))
            return NULL;
        d = dp_slot(t, dpid);
    }
    struct l2_entry *slots = calloc(L2_DP_MIN, sizeof *slots);
    if (!slots)
        return NULL;
    *d = (struct l2_dp){.dpid = dpid, .slots = slots, .cap = L2_DP_MIN, .n = 0};
    t->n++;
    return d;
}

/* The table of dpid, made when missing; NULL when memory runs out. */
static inline struct l2_dp *dp_get(struct l2_table *t, uint64_t dpid)
{
    if (__builtin_expect(t->last && t->last->dpid == dpid, 1))
        return t->last;
    struct l2_dp *d = dp_slot(t, dpid);
    d = d->slots ? d : dp_add(t, d, dpid);
    t->last = d;
    return d;
}

__attribute__((noinline)) static bool dp_grow(struct l2_dp *d)
{
    struct l2_dp bigger = {d->dpid, calloc(d->cap * 2, sizeof *d->slots), d->cap * 2, d->n};
    if (!bigger.slots)
        return false;
    for (size_t i = 0; i < d->cap; i++)
        if (d->slots[i].used)
            *mac_slot(&bigger, d->slots[i].mac) = d->slots[i];
    free(d->slots);
    *d = bigger;
    return true;
}

/* l2_table_learn on a datapath's table already found (d NULL: the
 * datapath could not get one). */
static inline bool dp_learn(struct l2_dp *d, const uint8_t mac[6], uint32_t port)
{
    if (!d)
        return false;
    uint64_t key = mac_key(mac);
    struct l2_entry *e = mac_slot_key(d, key);
    if (!e->used) {
        if (d->n >= L2_DP_MAX)
            return false;
        if (2 * (d->n + 1) > d->cap) {
            if (!dp_grow(d))
                return false;
            e = mac_slot_key(d, key);
        }
        *e = (struct l2_entry){.used = true};
        memcpy(e->mac, mac, 6);
        d->n++;
    }
    e->port = port;
    return true;
}

/* l2_table_port on a datapath's table (NULL: none). */
static inline uint32_t dp_port(const struct l2_dp *d, const uint8_t mac[6])
{
    if (!d || !d->slots)
        return KEN_OFPP_FLOOD;
    const struct l2_entry *e = mac_slot(d, mac);
    return e->used ? e->port : KEN_OFPP_FLOOD;
}

bool l2_table_learn(struct l2_table *t, uint64_t dpid, const uint8_t mac[6], uint32_t port)
{
    return dp_learn(dp_get(t, dpid), mac, port);
}

uint32_t l2_table_port(const struct l2_table *t, uint64_t dpid, const uint8_t mac[6])
{
    return dp_port(dp_slot(t, dpid), mac);
}

void l2_table_forget(struct l2_table *t, uint64_t dpid)
{
    struct l2_dp *d = dp_slot(t, dpid);
    if (!d->slots)
        return;
    free(d->slots);
    t->n--;
    t->last = NULL; /* the entries below may move */
    /* Shift back each following entry that would no longer be found
     * across the hole, until an empty slot ends the run. */
    size_t mask = t->cap - 1, hole = (size_t)(d - t->dps);
    for (size_t j = (hole + 1) & mask; t->dps[j].slots; j = (j + 1) & mask) {
        size_t home = dpid_hash(t->dps[j].dpid) & mask;
        bool stays = hole <= j ? (hole < home && home <= j) : (hole < home || home <= j);
        if (!stays) {
            t->dps[hole] = t->dps[j];
            hole = j;
        }
    }
    t->dps[hole] = (struct l2_dp){0};
}

size_t l2_table_count(const struct l2_table *t, uint64_t dpid)
{
    const struct l2_dp *d = dp_slot(t, dpid);
    return d->slots ? d->n : 0;
}

size_t l2_table_datapaths(const struct l2_table *t) { return t->n; }

/* ---- sending ---- */

int l2_send_flow_mod(const struct l2_out *out, const struct ken_flow_mod *fm)
{
    if (out->buf)
        return ken_flow_mod_encode(out->buf, out->version, 0, fm);
    return ken_datapath_send_flow_mod(out->dp, fm);
}

static struct ken_log_ratelimit too_big_rl;

int l2_packet_out(const struct l2_out *out, const struct ken_packet_in *pi, uint32_t out_port)
{
    struct ken_packet_out po;
    ken_packet_out_init(&po);
    po.buffer_id = pi->buffer_id;
    po.in_port = pi->in_port;
    struct ken_action act = ken_action_output(out_port, KEN_OFPCML_MAX);
    po.actions = &act;
    po.n_actions = 1;
    if (pi->buffer_id == KEN_OFP_NO_BUFFER) {
        po.data = pi->data;
        po.data_len = pi->data_len;
    }
    int err = out->buf ? ken_packet_out_encode(out->buf, out->version, 0, &po)
                       : ken_datapath_send_packet_out(out->dp, &po);
    /* Only an unbuffered packet carries its bytes; near 64 KiB they do not
     * fit in a packet-out beside its header and actions. */
    if (err == KEN_OFPBRC_BAD_LEN)
        ken_log_rl(&too_big_rl, 10000, KEN_LOG_WARNING, LOG_MOD,
                   "dropped a %u-byte packet: the switch did not buffer it and a packet-out cannot carry it",
                   pi->data_len);
    return err;
}

/* ---- what the learning switches share ---- */

/* The per-packet DEBUG line, out of the packet path (its buffers and
 * formatting are paid only when it is written). */
__attribute__((noinline, cold)) static void log_packet(const char *module, uint64_t dpid, const struct l2_eth *eth,
                                                      uint32_t in_port)
{
    char src[18], dst[18];
    ken_log(KEN_LOG_DEBUG, module, "packet in %016llx %s %s %u", (unsigned long long)dpid, l2_mac_str(eth->src, src),
            l2_mac_str(eth->dst, dst), in_port);
}

bool l2_learn(struct l2_table *t, const char *module, uint64_t dpid, const struct ken_packet_in *pi,
              struct l2_eth *eth, uint32_t *out_port)
{
    if (!eth_parse(pi->data, pi->data_len, eth) || eth->ethertype == KEN_ETH_TYPE_LLDP)
        return false; /* too short; or lldp, ignored */
    if (ken_log_enabled(KEN_LOG_DEBUG, module))
        log_packet(module, dpid, eth, pi->in_port);
    /* learn a mac address to avoid FLOOD next time. The datapath's table
     * is found once for both (learning moves no table in the map). */
    struct l2_dp *d = dp_get(t, dpid);
    dp_learn(d, eth->src, pi->in_port);
    *out_port = dp_port(d, eth->dst);
    return true;
}

int l2_add_flow(const struct l2_out *out, uint16_t priority, const struct ken_match *match,
                const struct ken_action *actions, size_t n_actions, uint32_t buffer_id)
{
    struct ken_flow_mod mod;
    ken_flow_mod_init(&mod);
    mod.priority = priority;
    mod.buffer_id = buffer_id;
    mod.match = *match;
    ken_flow_mod_apply_actions(&mod, actions, n_actions);
    return l2_send_flow_mod(out, &mod);
}

void l2_table_miss_handler(struct ken_app *app, const struct ken_event *ev)
{
    (void)app;
    struct l2_out out = {.dp = ken_ev_ofp(ev)->msg.datapath};
    struct ken_match match;
    ken_match_init(&match);
    struct ken_action actions[] = {ken_action_output(KEN_OFPP_CONTROLLER, KEN_OFPCML_NO_BUFFER)};
    l2_add_flow(&out, 0, &match, actions, 1, KEN_OFP_NO_BUFFER);
}

/* ---- app hooks ---- */

int l2_app_start(struct ken_app *app)
{
    struct l2_table *mac_to_port = l2_table_new();
    if (!mac_to_port)
        return ENOMEM;
    ken_app_set_data(app, mac_to_port);
    return 0;
}

void l2_app_stop(struct ken_app *app) { l2_table_free(ken_app_data(app)); }

void l2_state_change_handler(struct ken_app *app, const struct ken_event *ev)
{
    const struct ken_ev_ofp_state_change *sc = ken_ev_ofp_state_change(ev);
    if (sc->phase == KEN_PHASE_DEAD && sc->datapath)
        l2_table_forget(ken_app_data(app), ken_datapath_id(sc->datapath));
}
