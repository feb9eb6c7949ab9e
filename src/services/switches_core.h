/* The topology state of the switches app (switches.c) apart from the app:
 * tables of switches, ports, links and hosts, driven by calls that carry
 * the time, and reporting through callbacks. The app wires it to the
 * controller's events and to timers; the unit tests drive it directly
 * with a clock of their own (tests/topology/). Not thread-safe: one
 * thread at a time (the app's). */
#ifndef KEN_SERVICES_SWITCHES_CORE_H
#define KEN_SERVICES_SWITCHES_CORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ken/ofp_msg.h"
#include "ken/topology.h"

struct ken_datapath;

struct topo_ops {
    /* An event for the observers (takes over the reference). */
    void (*emit)(void *ctx, struct ken_event *ev);
    /* An LLDP frame to send out of a port of dp (NULL in tests). */
    void (*send_lldp)(void *ctx, struct ken_datapath *dp, uint64_t dpid, uint32_t port_no, const uint8_t *frame,
                      size_t len);
    /* Some port is due for LLDP now: run topo_lldp_tick soon. */
    void (*wake)(void *ctx);
};

struct topo;

/* observe_links: link discovery on (LLDP); hosts are learnt either way. */
struct topo *topo_new(bool observe_links, const struct topo_ops *ops, void *ctx);
void topo_free(struct topo *t);

/* A switch reached MAIN with these ports. dp may be NULL (tests); the
 * table keeps a reference. Returns true for a reconnection (a switch
 * of this dpid was registered on another connection: *old gets that
 * datapath, a reference, for the caller to close; the ports are kept). */
bool topo_switch_enter(struct topo *t, struct ken_datapath *dp, uint64_t dpid, const struct ken_port *ports,
                       size_t n, struct ken_datapath **old);
/* The connection dp of dpid is gone (ignored unless it is the registered one). */
void topo_switch_leave(struct topo *t, struct ken_datapath *dp, uint64_t dpid);
/* A port-status message (KEN_OFPPR_*) of a registered switch. */
void topo_port_status(struct topo *t, uint64_t dpid, uint8_t reason, const struct ken_port *port);
/* A packet-in: hosts, and links when the frame is one of our LLDP frames.
 * Returns true when it was an LLDP frame that made or refreshed a link
 * (the packet-in to drop, with --explicit-drop). */
bool topo_packet_in(struct topo *t, uint64_t dpid, uint32_t in_port, const uint8_t *data, size_t len,
                    uint64_t now_ns);
/* Sends the LLDP frames due; returns the milliseconds until the next is
 * due (UINT64_MAX: no port to send from). */
uint64_t topo_lldp_tick(struct topo *t, uint64_t now_ns);
/* Deletes links not seen for KEN_TOPO_LINK_TIMEOUT_MS. */
void topo_link_check(struct topo *t, uint64_t now_ns);

/* Replies (one reference each) to the requests. */
struct ken_event *topo_switch_reply(struct topo *t, bool has_dpid, uint64_t dpid);
struct ken_event *topo_link_reply(struct topo *t, bool has_dpid, uint64_t dpid);
struct ken_event *topo_host_reply(struct topo *t, bool has_dpid, uint64_t dpid);

/* Counts, for tests and logs. */
size_t topo_n_links(const struct topo *t);
size_t topo_n_hosts(const struct topo *t);
size_t topo_n_lldp_ports(const struct topo *t);

#endif
