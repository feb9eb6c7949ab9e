/* tunnels: a tunnel key per network and the tunnel ports of each switch
 * with the switch at their other end, as Ryu's controller.tunnels (used by
 * the rest_tunnel app and OpenStack's Ryu plug-in).
 *
 * An app named "tunnels"; list it among an app's contexts and get the
 * state with ken_tunnels_of(app):
 *
 *     struct ken_tunnels *t = ken_tunnels_of(app);
 *     int err = ken_tunnels_register_key(t, "net1", 42);
 *
 * Every call is safe from any thread; a call that fails changes nothing
 * and raises no event.
 *
 * Tunnel keys do not require the network to exist in the network service
 * (as in Ryu, where tunnels never consults network): the key's owner (the
 * plug-in) creates and deletes it with the network, and deleting a network
 * leaves its key until DELETE .../key. The tunnels service runs without
 * the network service.
 *
 * Errors (Ryu's exceptions):
 *   EINVAL      a malformed network id to register (elsewhere ENOENT),
 *               port 0
 *   ENOENT      TunnelKeyNotFound (the network has no key)
 *   EEXIST      NetworkAlreadyExist (the network has a key, another one
 *               for update)
 *   EADDRINUSE  TunnelKeyAlreadyExist (another network has this key);
 *               PortAlreadyExist for ports
 *   ENXIO       PortNotFound
 *   EBUSY       RemoteDPIDAlreadyExist (the port leads to another switch)
 *   ENOMEM
 *
 * Events, to every observer (any phase), in the order of the changes (as
 * for network, ken/network.h: observers may call the service back):
 *   EventTunnelKeyAdd  register_key, update_key (new key)
 *   EventTunnelKeyDel  delete_key
 *   EventTunnelPort    register_port, update_port (new port): add_del true;
 *                      delete_port: add_del false
 * EventTunnelKeyAdd and EventTunnelKeyDel are EventTunnelKeyBase's. */
#ifndef KEN_TUNNELS_H
#define KEN_TUNNELS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ken/event.h"

struct ken_app;
struct ken_tunnels;

KEN_EV_CLASS_DECLARE(ken_ev_tunnel_key_base_class);  /* "EventTunnelKeyBase" */
KEN_EV_CLASS_DECLARE(ken_ev_tunnel_key_add_class);   /* "EventTunnelKeyAdd" */
KEN_EV_CLASS_DECLARE(ken_ev_tunnel_key_del_class);   /* "EventTunnelKeyDel" */
KEN_EV_CLASS_DECLARE(ken_ev_tunnel_port_class);      /* "EventTunnelPort" */

/* EventTunnelKeyAdd, EventTunnelKeyDel. */
struct ken_ev_tunnel_key {
    struct ken_event ev;
    const char *network_id;   /* held by the event */
    uint32_t tunnel_key;
};

/* EventTunnelPort. */
struct ken_ev_tunnel_port {
    struct ken_event ev;
    uint64_t dpid;
    uint32_t port_no;
    uint64_t remote_dpid;
    bool add_del;             /* true: added; false: removed */
};

static inline const struct ken_ev_tunnel_key *ken_ev_tunnel_key(const struct ken_event *ev)
{
    return (const struct ken_ev_tunnel_key *)ev;
}
static inline const struct ken_ev_tunnel_port *ken_ev_tunnel_port(const struct ken_event *ev)
{
    return (const struct ken_ev_tunnel_port *)ev;
}

/* The tunnels service of an app listing "tunnels" in its contexts, or the
 * running tunnels app's when app is NULL. NULL when it is not running. */
struct ken_tunnels *ken_tunnels_of(struct ken_app *app);

/* ---- tunnel keys (32 bits) ---- */

/* 0, ENOENT. */
int ken_tunnels_get_key(struct ken_tunnels *t, const char *network_id, uint32_t *key);
/* A key for a network without one: 0, EINVAL, EEXIST, EADDRINUSE. */
int ken_tunnels_register_key(struct ken_tunnels *t, const char *network_id, uint32_t key);
/* The same, but the network's own key again is no error: 0, EINVAL,
 * EEXIST (it has another key), EADDRINUSE. */
int ken_tunnels_update_key(struct ken_tunnels *t, const char *network_id, uint32_t key);
/* 0, ENOENT. */
int ken_tunnels_delete_key(struct ken_tunnels *t, const char *network_id);

/* ---- tunnel ports ---- */

/* The tunnel ports of a switch in port order, malloc'd (free() it; NULL
 * when none, which is no error: a switch without tunnels). 0, ENOMEM. */
int ken_tunnels_list_ports(struct ken_tunnels *t, uint64_t dpid, uint32_t **ports, size_t *n);
/* 0, EINVAL, EADDRINUSE (the port is a tunnel port already). */
int ken_tunnels_register_port(struct ken_tunnels *t, uint64_t dpid, uint32_t port_no, uint64_t remote_dpid);
/* 0 (also when it leads to remote_dpid already), EINVAL, EBUSY. */
int ken_tunnels_update_port(struct ken_tunnels *t, uint64_t dpid, uint32_t port_no, uint64_t remote_dpid);
/* 0, ENXIO. */
int ken_tunnels_get_remote_dpid(struct ken_tunnels *t, uint64_t dpid, uint32_t port_no, uint64_t *remote_dpid);
/* 0, ENXIO. */
int ken_tunnels_delete_port(struct ken_tunnels *t, uint64_t dpid, uint32_t port_no);
/* The port of dpid that leads to remote_dpid (the lowest if several): 0,
 * ENXIO. */
int ken_tunnels_get_port(struct ken_tunnels *t, uint64_t dpid, uint64_t remote_dpid, uint32_t *port_no);

/* Ryu's exception name for an errno of this API. */
const char *ken_tunnels_error_name(int err, bool about_port);

/* Registers the classes above (also done when tunnels loads). */
int ken_tunnels_register_classes(void);

#endif
