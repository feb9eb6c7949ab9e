/* Topology discovery: the "switches" app, as Ryu's ryu.topology
 * (switches.py, event.py, api.py).
 *
 * The app keeps the connected switches and their ports, the links between
 * them (found by LLDP, when link discovery is on) and the hosts seen in
 * packet-ins on edge ports, and tells observers what changes. It is
 * loaded by ken-manager when --observe-links is given, or when a loaded
 * app lists "switches" among its required apps (rest_topology does):
 *
 *     static const struct ken_app_desc my_app = {
 *         .name = "my_app",
 *         .required_apps = (const char *const[]){"switches", NULL},
 *         .handlers = (const struct ken_handler[]){
 *             {KEN_EV_TOPO_LINK_ADD, 0, on_link_add},
 *             {NULL, 0, NULL},
 *         },
 *     };
 *
 *     static void on_link_add(struct ken_app *app, const struct ken_event *ev)
 *     {
 *         const struct ken_topo_link *l = &ken_ev_topo_link(ev)->link;
 *         ... l->src.dpid, l->src.port_no -> l->dst.dpid, l->dst.port_no ...
 *     }
 *
 * Link discovery (Ryu's --observe-links): every live port of every switch
 * sends an LLDP frame about every 0.9 s (a switch's ports in turn, 50 ms
 * apart when several are due; a new, revived or newly linked port at
 * once). The
 * frame names the sending switch and port (chassis id "dpid:%016x",
 * port id the 32-bit port number, TTL 120). An LLDP frame that comes back
 * as a packet-in on another switch's port is a link, from the sender to
 * the receiver; each direction is a link of its own. A link not seen for
 * 10 s is deleted (checked every 5 s); a port that goes down or is
 * deleted, and a switch that leaves, take their links at once.
 *
 * Hosts: a packet-in whose frame is not LLDP (nor CFM), received on a
 * port that is no end of a link, makes its source MAC a host on that
 * port, with the IPv4 addresses of its ARP and IPv4 packets and the IPv6
 * addresses of its IPv6 packets (Neighbor Discovery included); a host
 * seen on another port has moved. Ryu never deletes a host but silently
 * when its port becomes a link's end; ken deletes one with
 * EventHostDelete then, and when its port goes down or is deleted or its
 * switch leaves.
 *
 * Events (sent to every observer, any phase):
 *   EventSwitchEnter, EventSwitchLeave, EventSwitchReconnected
 *                                     struct ken_ev_topo_switch (EventSwitchBase)
 *   topology.EventPortAdd, topology.EventPortDelete, topology.EventPortModify
 *                                     struct ken_ev_topo_port (topology.EventPortBase)
 *   EventLinkAdd, EventLinkDelete     struct ken_ev_topo_link (EventLinkBase)
 *   EventHostAdd, EventHostDelete     struct ken_ev_topo_host (EventHostBase)
 *   EventHostMove                     struct ken_ev_topo_host_move
 * The port events carry Ryu's names with a "topology." prefix: dpset
 * (ken/dpset.h) has EventPortAdd and friends already, and a class name
 * means one class in ken.
 *
 * Requests (Ryu's get_switch, get_link, get_host): EventSwitchRequest,
 * EventLinkRequest, EventHostRequest to "switches", answered by
 * EventSwitchReply, EventLinkReply, EventHostReply; the wrappers below
 * send them. Like any request they block the caller: not from a
 * KEN_APP_NONBLOCKING app's handler (EDEADLK). See docs/topology.md. */
#ifndef KEN_TOPOLOGY_H
#define KEN_TOPOLOGY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ken/buf.h"
#include "ken/event.h"

struct ken_datapath;

/* ---- options (ken-manager's --observe-links, --install-lldp-flow,
 * --explicit-drop; Ryu's defaults) ---- */

struct ken_topology_options {
    bool observe_links;      /* link discovery (default false) */
    bool install_lldp_flow;  /* a flow sending LLDP to the controller (default true) */
    bool explicit_drop;      /* drop the LLDP packet-in's buffered packet (default true) */
};

/* Ryu's defaults. */
void ken_topology_options_init(struct ken_topology_options *o);
/* The options the switches app starts with (it reads them at start: set
 * them before loading it). */
void ken_topology_set_options(const struct ken_topology_options *o);
void ken_topology_get_options(struct ken_topology_options *o);

/* Ryu's constants, in milliseconds. */
#define KEN_TOPO_LLDP_SEND_GUARD_MS 50
#define KEN_TOPO_LLDP_SEND_PERIOD_PER_PORT_MS 900
#define KEN_TOPO_TIMEOUT_CHECK_PERIOD_MS 5000
#define KEN_TOPO_LINK_TIMEOUT_MS (2 * KEN_TOPO_TIMEOUT_CHECK_PERIOD_MS)
#define KEN_TOPO_LLDP_TTL 120
/* The LLDP frame's length (Ethernet-padded), the max_len of the 1.0 flow. */
#define KEN_TOPO_LLDP_PACKET_LEN 60

/* ---- the data (Ryu's Port, Switch, Link, Host) ---- */

struct ken_topo_port {
    uint64_t dpid;
    uint32_t port_no;      /* 32-bit form (ken/ofp_consts.h) */
    uint8_t hw_addr[6];
    char name[17];
    uint32_t config, state;
};

/* Down: OFPPS_LINK_DOWN in state or OFPPC_PORT_DOWN in config. */
bool ken_topo_port_is_down(const struct ken_topo_port *p);

struct ken_topo_switch {
    uint64_t dpid;
    struct ken_datapath *dp;             /* a reference the event holds; NULL in tests */
    size_t n_ports;
    const struct ken_topo_port *ports;   /* not the reserved ones (LOCAL, ...) */
};

struct ken_topo_link {
    struct ken_topo_port src, dst;
};

#define KEN_TOPO_HOST_MAX_IPS 8 /* per family: the oldest is forgotten past it */
/* Hosts the app keeps: past it, new MACs are not learnt (a warning every
 * 10 s), so a MAC flood cannot grow it without end. Ryu has no limit. */
#define KEN_TOPO_MAX_HOSTS 65536

struct ken_topo_host {
    uint8_t mac[6];
    struct ken_topo_port port;
    uint8_t n_ipv4, n_ipv6;
    uint8_t ipv4[KEN_TOPO_HOST_MAX_IPS][4];    /* oldest first, as Ryu's list */
    uint8_t ipv6[KEN_TOPO_HOST_MAX_IPS][16];
};

/* ---- events ---- */

KEN_EV_CLASS_DECLARE(ken_ev_topo_switch_base_class);    /* "EventSwitchBase" */
KEN_EV_CLASS_DECLARE(ken_ev_topo_switch_enter_class);   /* "EventSwitchEnter" */
KEN_EV_CLASS_DECLARE(ken_ev_topo_switch_leave_class);   /* "EventSwitchLeave" */
KEN_EV_CLASS_DECLARE(ken_ev_topo_switch_reconnected_class); /* "EventSwitchReconnected" */
KEN_EV_CLASS_DECLARE(ken_ev_topo_port_base_class);      /* "topology.EventPortBase" */
KEN_EV_CLASS_DECLARE(ken_ev_topo_port_add_class);       /* "topology.EventPortAdd" */
KEN_EV_CLASS_DECLARE(ken_ev_topo_port_delete_class);    /* "topology.EventPortDelete" */
KEN_EV_CLASS_DECLARE(ken_ev_topo_port_modify_class);    /* "topology.EventPortModify" */
KEN_EV_CLASS_DECLARE(ken_ev_topo_link_base_class);      /* "EventLinkBase" */
KEN_EV_CLASS_DECLARE(ken_ev_topo_link_add_class);       /* "EventLinkAdd" */
KEN_EV_CLASS_DECLARE(ken_ev_topo_link_delete_class);    /* "EventLinkDelete" */
KEN_EV_CLASS_DECLARE(ken_ev_topo_host_base_class);      /* "EventHostBase" */
KEN_EV_CLASS_DECLARE(ken_ev_topo_host_add_class);       /* "EventHostAdd" */
KEN_EV_CLASS_DECLARE(ken_ev_topo_host_delete_class);    /* "EventHostDelete" */
KEN_EV_CLASS_DECLARE(ken_ev_topo_host_move_class);      /* "EventHostMove" */
KEN_EV_CLASS_DECLARE(ken_ev_topo_switch_request_class); /* "EventSwitchRequest" */
KEN_EV_CLASS_DECLARE(ken_ev_topo_switch_reply_class);   /* "EventSwitchReply" */
KEN_EV_CLASS_DECLARE(ken_ev_topo_link_request_class);   /* "EventLinkRequest" */
KEN_EV_CLASS_DECLARE(ken_ev_topo_link_reply_class);     /* "EventLinkReply" */
KEN_EV_CLASS_DECLARE(ken_ev_topo_host_request_class);   /* "EventHostRequest" */
KEN_EV_CLASS_DECLARE(ken_ev_topo_host_reply_class);     /* "EventHostReply" */

/* Names for handler tables. */
#define KEN_EV_TOPO_SWITCH_ENTER "EventSwitchEnter"
#define KEN_EV_TOPO_SWITCH_LEAVE "EventSwitchLeave"
#define KEN_EV_TOPO_SWITCH_RECONNECTED "EventSwitchReconnected"
#define KEN_EV_TOPO_PORT_ADD "topology.EventPortAdd"
#define KEN_EV_TOPO_PORT_DELETE "topology.EventPortDelete"
#define KEN_EV_TOPO_PORT_MODIFY "topology.EventPortModify"
#define KEN_EV_TOPO_LINK_ADD "EventLinkAdd"
#define KEN_EV_TOPO_LINK_DELETE "EventLinkDelete"
#define KEN_EV_TOPO_HOST_ADD "EventHostAdd"
#define KEN_EV_TOPO_HOST_DELETE "EventHostDelete"
#define KEN_EV_TOPO_HOST_MOVE "EventHostMove"

/* EventSwitchEnter/Leave/Reconnected: the switch (ports after it). */
struct ken_ev_topo_switch {
    struct ken_event ev;
    struct ken_topo_switch sw;
};
struct ken_ev_topo_port {
    struct ken_event ev;
    struct ken_topo_port port;
};
struct ken_ev_topo_link {
    struct ken_event ev;
    struct ken_topo_link link;
};
struct ken_ev_topo_host {
    struct ken_event ev;
    struct ken_topo_host host;
};
/* EventHostMove: the host as it was (src) and as it is (dst). */
struct ken_ev_topo_host_move {
    struct ken_event ev;
    struct ken_topo_host src, dst;
};

static inline const struct ken_ev_topo_switch *ken_ev_topo_switch(const struct ken_event *ev)
{
    return (const struct ken_ev_topo_switch *)ev;
}
static inline const struct ken_ev_topo_port *ken_ev_topo_port(const struct ken_event *ev)
{
    return (const struct ken_ev_topo_port *)ev;
}
static inline const struct ken_ev_topo_link *ken_ev_topo_link(const struct ken_event *ev)
{
    return (const struct ken_ev_topo_link *)ev;
}
static inline const struct ken_ev_topo_host *ken_ev_topo_host(const struct ken_event *ev)
{
    return (const struct ken_ev_topo_host *)ev;
}
static inline const struct ken_ev_topo_host_move *ken_ev_topo_host_move(const struct ken_event *ev)
{
    return (const struct ken_ev_topo_host_move *)ev;
}

/* ---- requests ---- */

/* EventSwitchRequest, EventLinkRequest, EventHostRequest: all of them
 * (Ryu's dpid=None) or those of one switch (for links: whose source is
 * on it). */
struct ken_ev_topo_request {
    struct ken_ev_request req;
    bool has_dpid;
    uint64_t dpid;
};

struct ken_ev_topo_switch_reply {
    struct ken_ev_reply rep;
    size_t n;
    const struct ken_topo_switch *switches;
};
struct ken_ev_topo_link_reply {
    struct ken_ev_reply rep;
    bool has_dpid;
    uint64_t dpid;
    size_t n;
    const struct ken_topo_link *links;
};
struct ken_ev_topo_host_reply {
    struct ken_ev_reply rep;
    bool has_dpid;
    uint64_t dpid;
    size_t n;
    const struct ken_topo_host *hosts;
};

/* Ryu's get_switch, get_link, get_host: dpid NULL for all. Return 0 with
 * *reply (unref it) or ken_send_request's error (ESRCH: switches does
 * not run). */
int ken_topology_get_switch(const uint64_t *dpid, int timeout_ms, const struct ken_ev_topo_switch_reply **reply);
int ken_topology_get_link(const uint64_t *dpid, int timeout_ms, const struct ken_ev_topo_link_reply **reply);
int ken_topology_get_host(const uint64_t *dpid, int timeout_ms, const struct ken_ev_topo_host_reply **reply);

/* ---- the LLDP frame ---- */

/* Appends Ryu's link-discovery frame for a port (KEN_TOPO_LLDP_PACKET_LEN
 * bytes): to 01:80:c2:00:00:0e from hw_addr, chassis id "dpid:%016x"
 * (locally assigned), port id the port number in 4 bytes (port
 * component), TTL, End, zero padding. */
void ken_topo_lldp_build(struct ken_buf *out, uint64_t dpid, uint32_t port_no, const uint8_t hw_addr[6]);
/* Reads the sender of such a frame: 0, or EBADMSG for any other frame
 * (not LLDP, another chassis or port id form, truncated). */
int ken_topo_lldp_parse(const uint8_t *frame, size_t len, uint64_t *dpid, uint32_t *port_no);

/* ---- JSON (Ryu's to_dict shapes) ---- */

struct json_object;
/* {"dpid": "0000000000000001", "port_no": "00000001", "hw_addr": "..", "name": ".."} */
struct json_object *ken_topo_port_to_json(const struct ken_topo_port *p);
/* {"dpid": .., "ports": [..]} */
struct json_object *ken_topo_switch_to_json(const struct ken_topo_switch *s);
/* {"src": port, "dst": port} */
struct json_object *ken_topo_link_to_json(const struct ken_topo_link *l);
/* {"mac": .., "ipv4": [..], "ipv6": [..], "port": port} */
struct json_object *ken_topo_host_to_json(const struct ken_topo_host *h);

/* The same as JSON text, lists of n, appended to out (no json-c objects:
 * what the REST answers use, ten times faster for large networks). */
void ken_topo_switches_write_json(struct ken_buf *out, const struct ken_topo_switch *s, size_t n);
void ken_topo_links_write_json(struct ken_buf *out, const struct ken_topo_link *l, size_t n);
void ken_topo_hosts_write_json(struct ken_buf *out, const struct ken_topo_host *h, size_t n);

/* Registers the classes above (also done when switches loads). */
int ken_topology_register_classes(void);

#endif
