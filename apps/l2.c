/* Ethernet header, MAC table and packet-out for the learning switches. */
#include "l2.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ken/app.h"
#include "ken/ofp_consts.h"

bool l2_eth_parse(const uint8_t *frame, size_t len, struct l2_eth *eth)
{
    if (!frame || len < 14)
        return false;
    memcpy(eth->dst, frame, 6);
    memcpy(eth->src, frame + 6, 6);
    eth->ethertype = (uint16_t)(frame[12] << 8 | frame[13]);
    return true;
}

const char *l2_mac_str(const uint8_t mac[6], char buf[18])
{
    snprintf(buf, 18, "%02x:%02x:%02x:%02x:%02x:%02x", mac[0], mac[1], mac[2], mac[3], mac[4], mac[5]);
    return buf;
}

/* ---- the table: open addressing, linear probing, at most half full ---- */

struct l2_entry {
    uint64_t dpid;
    uint8_t mac[6];
    bool used;
    uint32_t port;
};

struct l2_table {
    struct l2_entry *slots;
    size_t cap;  /* a power of two */
    size_t n;
};

#define L2_TABLE_MIN 256

static size_t l2_hash(uint64_t dpid, const uint8_t mac[6])
{
    uint64_t k = dpid * 0x9e3779b97f4a7c15ull;
    for (int i = 0; i < 6; i++)
        k = (k ^ mac[i]) * 0x100000001b3ull;
    return (size_t)(k ^ k >> 29);
}

static struct l2_entry *l2_slot(const struct l2_table *t, uint64_t dpid, const uint8_t mac[6])
{
    size_t mask = t->cap - 1;
    for (size_t i = l2_hash(dpid, mac) & mask;; i = (i + 1) & mask) {
        struct l2_entry *e = &t->slots[i];
        if (!e->used || (e->dpid == dpid && !memcmp(e->mac, mac, 6)))
            return e;
    }
}

struct l2_table *l2_table_new(void)
{
    struct l2_table *t = calloc(1, sizeof *t);
    if (!t)
        return NULL;
    t->cap = L2_TABLE_MIN;
    if (!(t->slots = calloc(t->cap, sizeof *t->slots))) {
        free(t);
        return NULL;
    }
    return t;
}

void l2_table_free(struct l2_table *t)
{
    if (t)
        free(t->slots);
    free(t);
}

static bool l2_table_grow(struct l2_table *t)
{
    struct l2_table bigger = {calloc(t->cap * 2, sizeof *t->slots), t->cap * 2, t->n};
    if (!bigger.slots)
        return false;
    for (size_t i = 0; i < t->cap; i++)
        if (t->slots[i].used)
            *l2_slot(&bigger, t->slots[i].dpid, t->slots[i].mac) = t->slots[i];
    free(t->slots);
    *t = bigger;
    return true;
}

bool l2_table_learn(struct l2_table *t, uint64_t dpid, const uint8_t mac[6], uint32_t port)
{
    struct l2_entry *e = l2_slot(t, dpid, mac);
    if (!e->used) {
        if (t->n >= L2_TABLE_MAX)
            return false;
        if (2 * (t->n + 1) > t->cap) {
            if (!l2_table_grow(t))
                return false;
            e = l2_slot(t, dpid, mac);
        }
        *e = (struct l2_entry){.dpid = dpid, .used = true};
        memcpy(e->mac, mac, 6);
        t->n++;
    }
    e->port = port;
    return true;
}

uint32_t l2_table_port(const struct l2_table *t, uint64_t dpid, const uint8_t mac[6])
{
    const struct l2_entry *e = l2_slot(t, dpid, mac);
    return e->used ? e->port : KEN_OFPP_FLOOD;
}

int l2_packet_out(struct ken_datapath *dp, const struct ken_packet_in *pi, uint32_t out_port)
{
    struct ken_packet_out po;
    ken_packet_out_init(&po);
    po.buffer_id = pi->buffer_id;
    po.in_port = pi->in_port;
    po.actions[po.n_actions++] = ken_action_output(out_port, KEN_OFPCML_MAX);
    if (pi->buffer_id == KEN_OFP_NO_BUFFER) {
        po.data = pi->data;
        po.data_len = pi->data_len;
    }
    return ken_datapath_send_packet_out(dp, &po);
}

int l2_app_start(struct ken_app *app)
{
    struct l2_table *mac_to_port = l2_table_new();
    if (!mac_to_port)
        return ENOMEM;
    ken_app_set_data(app, mac_to_port);
    return 0;
}

void l2_app_stop(struct ken_app *app) { l2_table_free(ken_app_data(app)); }
