/* What the learning switches share: the Ethernet header of a packet-in,
 * a MAC-to-port table per datapath (OS-Ken's mac_to_port dict of dicts),
 * sending the packet of a packet-in back out, and each switch's packet-in
 * logic, callable without a connection (for tests). */
#ifndef KEN_APPS_L2_H
#define KEN_APPS_L2_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ken/buf.h"
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

/* MAC -> port, one table per datapath. Used by one app thread: no locking. */
struct l2_table;

/* A bound per datapath on the memory a flood of random source addresses
 * can take: one switch at its bound does not stop another from learning. */
#define L2_DP_MAX (1u << 16)

struct l2_table *l2_table_new(void);
void l2_table_free(struct l2_table *t);
/* Remembers that mac was seen on port of datapath dpid. Returns false when
 * that datapath's table is full (L2_DP_MAX addresses) or memory runs out:
 * the address is then not learnt and its packets keep being flooded; the
 * addresses already learnt can still move. */
bool l2_table_learn(struct l2_table *t, uint64_t dpid, const uint8_t mac[6], uint32_t port);
/* The port mac was last seen on, or KEN_OFPP_FLOOD when unknown. */
uint32_t l2_table_port(const struct l2_table *t, uint64_t dpid, const uint8_t mac[6]);
/* Drops every address of a datapath (it went away). */
void l2_table_forget(struct l2_table *t, uint64_t dpid);
/* How many addresses a datapath has, and how many datapaths have any. */
size_t l2_table_count(const struct l2_table *t, uint64_t dpid);
size_t l2_table_datapaths(const struct l2_table *t);

/* start/stop hooks for a learning-switch app whose data is its MAC table
 * (ken_app_data(app) is the struct l2_table), and its EventOFPStateChange
 * handler (register for KEN_PHASE_DEAD): a datapath that goes DEAD has
 * its addresses dropped. */
struct ken_app;
struct ken_event;
int l2_app_start(struct ken_app *app);
void l2_app_stop(struct ken_app *app);
void l2_state_change_handler(struct ken_app *app, const struct ken_event *ev);

/* Where a learning switch's messages go: to the switch (dp), or, when buf
 * is set (tests), appended to buf as messages of version. */
struct l2_out {
    struct ken_datapath *dp;
    struct ken_buf *buf;
    uint8_t version;
};

int l2_send_flow_mod(const struct l2_out *out, const struct ken_flow_mod *fm);
/* Sends the packet of pi out of out_port: by its buffer id when the switch
 * buffered it, else with the packet's bytes. A packet whose packet-out
 * would be over 65535 bytes and that the switch did not buffer cannot be
 * sent: it is dropped with a rate-limited warning (returns
 * KEN_OFPBRC_BAD_LEN). */
int l2_packet_out(const struct l2_out *out, const struct ken_packet_in *pi, uint32_t out_port);

/* What every learning switch does first with a packet-in (OS-Ken's
 * simple_switch*.py alike): parses the frame into *eth, ignores LLDP,
 * logs the packet at DEBUG under module (OS-Ken logs it at INFO; a line
 * per packet costs a write per packet), learns the port of the source and
 * sets *out_port to that of the destination (KEN_OFPP_FLOOD when
 * unknown). False when the packet is to be ignored. */
bool l2_learn(struct l2_table *t, const char *module, uint64_t dpid, const struct ken_packet_in *pi,
              struct l2_eth *eth, uint32_t *out_port);
/* A flow-mod (ADD, table 0) whose one instruction applies these actions
 * (1.2+), or with these actions (1.0). buffer_id: the switch's buffered
 * packet, sent through the new flow (KEN_OFP_NO_BUFFER: none). */
struct ken_match;
struct ken_action;
int l2_add_flow(const struct l2_out *out, uint16_t priority, const struct ken_match *match,
                const struct ken_action *actions, size_t n_actions, uint32_t buffer_id);
/* The EventOFPSwitchFeatures handler (register for KEN_PHASE_CONFIG) of
 * the 1.3+ switches: the table-miss flow, priority 0, that sends every
 * unmatched packet whole to the controller (OFPCML_NO_BUFFER: OVS before
 * 2.1 sent a truncated one with no valid buffer id otherwise). */
void l2_table_miss_handler(struct ken_app *app, const struct ken_event *ev);

/* The packet-in logic of each learning switch (apps/simple_switch.c,
 * apps/simple_switch_12.c ... _15.c) for a packet-in of datapath dpid. */
typedef void l2_packet_in_fn(struct l2_table *t, const struct l2_out *out, uint64_t dpid,
                             const struct ken_packet_in *pi);
l2_packet_in_fn simple_switch_packet_in, simple_switch_12_packet_in, simple_switch_13_packet_in,
    simple_switch_14_packet_in, simple_switch_15_packet_in;

#endif
