/* network: networks, their ports and each port's MAC address, as Ryu's
 * controller.network (used by the rest app and OpenStack's Ryu plug-in).
 *
 * An app named "network". An app that needs it lists it among its
 * contexts; network is loaded first and its state is the context:
 *
 *     ... .contexts = (const char *const[]){"network", NULL}, ...
 *     struct ken_network *nw = ken_network_of(app);
 *     int err = ken_network_create(nw, "net1");
 *     if (!err)
 *         err = ken_network_create_port(nw, "net1", 1, 3);
 *
 * Every call is safe from any thread. Queries return copies. A call that
 * fails changes nothing and raises no event.
 *
 * Errors (Ryu's exceptions):
 *   EINVAL      a malformed argument: a network id to create (elsewhere a
 *               malformed id is ENOENT: no such network), port 0, no MAC
 *   ENOENT      NetworkNotFound
 *   EEXIST      NetworkAlreadyExist
 *   ENXIO       PortNotFound (no such port in that network)
 *   EADDRINUSE  PortAlreadyExist (in this network or another)
 *   EBUSY       MacAddressAlreadyExist (the port has a MAC address already)
 *   ENOMEM
 * ken_network_error_name() gives the exception's name for an errno.
 *
 * Events, to every observer (any phase), in the order of the changes that
 * raised them (a change's events are all sent before the next change's).
 * A call returns once its events are sent, or handed to the thread that
 * is sending earlier ones: so an observer may itself call the service
 * from its handler, even while a writer waits for room in its queue.
 *   EventNetworkPort  a port joined (add_del true) or left (false) a network
 *   EventNetworkDel   a network was removed
 *   EventMacAddress   a port's MAC address was set (add_del true) or
 *                     released with its port (false)
 * Which change raises what, in order:
 *   create_port, update_port (new port)    NetworkPort(add)
 *   update_port moving a port from A to B  [MacAddress(A, del)] NetworkPort(A, del) NetworkPort(B, add)
 *   remove_port                             [MacAddress(del)] NetworkPort(del)
 *   remove                                  for each port in (dpid, port_no) order:
 *                                           [MacAddress(del)] NetworkPort(del); then NetworkDel
 *   create_mac, update_mac (first MAC)     MacAddress(add)
 * (create, update and a repeated update_* raise nothing.) A port leaving its
 * network releases its MAC address: Ryu's "released when port is deleted". */
#ifndef KEN_NETWORK_H
#define KEN_NETWORK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ken/event.h"

struct ken_app;
struct ken_network;

/* Ryu's NW_ID_UNKNOWN: reserved, never a network (create/update: EEXIST). */
#define KEN_NW_ID_UNKNOWN "__NW_ID_UNKNOWN__"
/* A network id: 1..KEN_NW_ID_MAX bytes of UTF-8, no control characters. */
#define KEN_NW_ID_MAX 255

KEN_EV_CLASS_DECLARE(ken_ev_network_port_class);   /* "EventNetworkPort" */
KEN_EV_CLASS_DECLARE(ken_ev_network_del_class);    /* "EventNetworkDel" */
KEN_EV_CLASS_DECLARE(ken_ev_mac_address_class);    /* "EventMacAddress" */

/* EventNetworkPort. */
struct ken_ev_network_port {
    struct ken_event ev;
    const char *network_id;    /* held by the event */
    uint64_t dpid;
    uint32_t port_no;
    bool add_del;              /* true: added; false: removed */
};

/* EventNetworkDel. */
struct ken_ev_network_del {
    struct ken_event ev;
    const char *network_id;
};

/* EventMacAddress. */
struct ken_ev_mac_address {
    struct ken_event ev;
    uint64_t dpid;
    uint32_t port_no;
    const char *network_id;
    uint8_t mac_address[6];    /* the new address (add), or the old one (del) */
    bool add_del;              /* true: set; false: released with its port */
};

static inline const struct ken_ev_network_port *ken_ev_network_port(const struct ken_event *ev)
{
    return (const struct ken_ev_network_port *)ev;
}
static inline const struct ken_ev_network_del *ken_ev_network_del(const struct ken_event *ev)
{
    return (const struct ken_ev_network_del *)ev;
}
static inline const struct ken_ev_mac_address *ken_ev_mac_address(const struct ken_event *ev)
{
    return (const struct ken_ev_mac_address *)ev;
}

/* A port of a network. */
struct ken_network_port {
    uint64_t dpid;
    uint32_t port_no;
};

/* The network service of an app that lists "network" in its contexts, or
 * the running network app's when app is NULL. NULL when it is not running. */
struct ken_network *ken_network_of(struct ken_app *app);

/* ---- networks ---- */

/* A new network: 0, EEXIST, EINVAL. */
int ken_network_create(struct ken_network *nw, const char *network_id);
/* The network, created if absent (no error when it exists): 0, EINVAL,
 * EEXIST for KEN_NW_ID_UNKNOWN. */
int ken_network_update(struct ken_network *nw, const char *network_id);
/* Removes a network with its ports and their MAC addresses: 0, ENOENT. */
int ken_network_remove(struct ken_network *nw, const char *network_id);
bool ken_network_exists(struct ken_network *nw, const char *network_id);
/* The network ids, in creation order: one malloc'd block (free() it) of
 * *n pointers followed by the strings; NULL with *n 0 when there are none
 * (or memory runs out: then errno is ENOMEM). */
char **ken_network_list(struct ken_network *nw, size_t *n);

/* ---- ports ---- */

/* A new port in a network: 0, ENOENT, EINVAL (port_no 0), EADDRINUSE when
 * the port is in this network or another one already. */
int ken_network_create_port(struct ken_network *nw, const char *network_id, uint64_t dpid, uint32_t port_no);
/* The port in this network: nothing to do if it is there already; moved
 * here when it is in another network. 0, ENOENT, EINVAL. */
int ken_network_update_port(struct ken_network *nw, const char *network_id, uint64_t dpid, uint32_t port_no);
/* Removes a port from its network (and releases its MAC): 0, ENOENT, ENXIO
 * (not a port of this network). */
int ken_network_remove_port(struct ken_network *nw, const char *network_id, uint64_t dpid, uint32_t port_no);
/* The ports of a network in (dpid, port_no) order, malloc'd (free() it;
 * NULL when none): 0, ENOENT, ENOMEM. */
int ken_network_list_ports(struct ken_network *nw, const char *network_id, struct ken_network_port **out, size_t *n);
/* The network a port belongs to, copied into id (KEN_NW_ID_MAX + 1 bytes):
 * 0, ENXIO when it is in none. */
int ken_network_port_network(struct ken_network *nw, uint64_t dpid, uint32_t port_no, char id[KEN_NW_ID_MAX + 1]);

/* The switches with a port in the network, in dpid order, malloc'd
 * (free() it; NULL when none): 0, ENOENT, ENOMEM. (Ryu's get_dpids, for
 * tunnel apps.) */
int ken_network_get_dpids(struct ken_network *nw, const char *network_id, uint64_t **out, size_t *n);

/* ---- MAC addresses ---- */

/* Sets the MAC address of a port of the network: 0, ENOENT, ENXIO, EBUSY
 * when the port has one already (even the same). Two ports may share an
 * address (a host migrating, as Ryu allows). */
int ken_network_create_mac(struct ken_network *nw, const char *network_id, uint64_t dpid, uint32_t port_no,
                           const uint8_t mac[6]);
/* The same, but the same address again is no error: 0, ENOENT, ENXIO, EBUSY
 * when the port has another address (it cannot change). */
int ken_network_update_mac(struct ken_network *nw, const char *network_id, uint64_t dpid, uint32_t port_no,
                           const uint8_t mac[6]);
/* A port's MAC address: 0 with *has (false: none yet), ENOENT, ENXIO. */
int ken_network_get_mac(struct ken_network *nw, const char *network_id, uint64_t dpid, uint32_t port_no,
                        uint8_t mac[6], bool *has);

/* The ports of the network with this MAC address (several while a host
 * migrates), in (dpid, port_no) order, malloc'd (free() it; NULL when
 * none): 0, ENOENT, ENOMEM. (Ryu's get_ports_with_mac.) */
int ken_network_ports_with_mac(struct ken_network *nw, const char *network_id, const uint8_t mac[6],
                               struct ken_network_port **out, size_t *n);

/* ---- helpers ---- */

/* "aa:bb:cc:dd:ee:ff" (either case) -> 6 bytes: 0 or EINVAL. */
int ken_mac_parse(const char *s, uint8_t mac[6]);
/* 6 bytes -> "aa:bb:cc:dd:ee:ff". */
void ken_mac_format(const uint8_t mac[6], char out[18]);
/* Whether a string is a valid network id (see KEN_NW_ID_MAX). */
bool ken_network_id_valid(const char *network_id);
/* Ryu's exception name for an errno of this API ("NetworkNotFound"). */
const char *ken_network_error_name(int err);

/* Registers the classes above (also done when network loads). */
int ken_network_register_classes(void);

#endif
