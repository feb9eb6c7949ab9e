/* What the learning switches share: the Ethernet header of a packet-in,
 * a MAC-to-port table per datapath (OS-Ken's mac_to_port dict of dicts),
 * and sending the packet of a packet-in back out. */
#ifndef KEN_APPS_L2_H
#define KEN_APPS_L2_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ken/datapath.h"
#include "ken/ofp_msg.h"

struct l2_eth {
    uint8_t dst[6];
    uint8_t src[6];
    uint16_t ethertype;  /* the outer one, as OS-Ken's ethernet.ethertype */
};

/* False when the frame is shorter than an Ethernet header. */
bool l2_eth_parse(const uint8_t *frame, size_t len, struct l2_eth *eth);

/* "00:00:00:00:00:01" into buf; returns buf. */
const char *l2_mac_str(const uint8_t mac[6], char buf[18]);

/* MAC -> port, per datapath. Used by one app thread: no locking. */
struct l2_table;

struct l2_table *l2_table_new(void);
void l2_table_free(struct l2_table *t);
/* Remembers that mac was seen on port of datapath dpid. Returns false when
 * the table is full (L2_TABLE_MAX entries) or memory runs out: the address
 * is then not learnt and its packets keep being flooded. */
bool l2_table_learn(struct l2_table *t, uint64_t dpid, const uint8_t mac[6], uint32_t port);
/* The port mac was last seen on, or KEN_OFPP_FLOOD when unknown. */
uint32_t l2_table_port(const struct l2_table *t, uint64_t dpid, const uint8_t mac[6]);

/* start/stop hooks for a learning-switch app whose data is its MAC table
 * (ken_app_data(app) is the struct l2_table). */
struct ken_app;
int l2_app_start(struct ken_app *app);
void l2_app_stop(struct ken_app *app);

/* A bound on memory that a flood of random source addresses can take. */
#define L2_TABLE_MAX (1u << 20)

/* Sends the packet of pi out of out_port: by its buffer id when the switch
 * buffered it, else with the packet's bytes. */
int l2_packet_out(struct ken_datapath *dp, const struct ken_packet_in *pi, uint32_t out_port);

#endif
