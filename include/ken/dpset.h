/* dpset: the set of connected switches, as OS-Ken's controller.dpset.
 *
 * An app named "dpset". Another app that needs it lists it among its
 * contexts (OS-Ken's _CONTEXTS = {'dpset': DPSet}): dpset is loaded first
 * and its state is the app's context:
 *
 *     static const char *const needs[] = {"dpset", NULL};
 *     ... .contexts = needs, ...
 *     struct ken_dpset *ds = ken_dpset_of(app);
 *     struct ken_datapath *dp = ken_dpset_get(ds, 1);
 *     if (dp) { ...; ken_datapath_unref(dp); }
 *
 * It sends (to every observer, any phase):
 *   EventDP          a switch entered (MAIN) or left (DEAD), with its ports
 *   EventPortAdd     a port was added       (port-status ADD)
 *   EventPortDelete  a port was removed     (port-status DELETE)
 *   EventPortModify  a port changed         (port-status MODIFY)
 * EventDP and EventPort* are subclasses of EventDPBase (EventPort* through
 * EventPortBase), so one handler can take them all.
 *
 * The query functions are safe from any thread and return copies (or new
 * references), as they may race with a switch leaving. */
#ifndef KEN_DPSET_H
#define KEN_DPSET_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ken/datapath.h"
#include "ken/event.h"

struct ken_app;
struct ken_dpset;

KEN_EV_CLASS_DECLARE(ken_ev_dp_base_class);       /* "EventDPBase" */
KEN_EV_CLASS_DECLARE(ken_ev_dp_class);            /* "EventDP" */
KEN_EV_CLASS_DECLARE(ken_ev_port_base_class);     /* "EventPortBase" */
KEN_EV_CLASS_DECLARE(ken_ev_port_add_class);      /* "EventPortAdd" */
KEN_EV_CLASS_DECLARE(ken_ev_port_delete_class);   /* "EventPortDelete" */
KEN_EV_CLASS_DECLARE(ken_ev_port_modify_class);   /* "EventPortModify" */

/* EventDP. */
struct ken_ev_dp {
    struct ken_event ev;
    struct ken_datapath *dp;   /* the event holds a reference */
    bool enter;                /* true: connected; false: disconnected */
    size_t n_ports;
    const struct ken_port *ports;  /* the ports at enter / at leave */
};

/* EventPortAdd, EventPortDelete, EventPortModify. */
struct ken_ev_port {
    struct ken_event ev;
    struct ken_datapath *dp;
    struct ken_port port;      /* the new port (for delete: as it was) */
};

static inline const struct ken_ev_dp *ken_ev_dp(const struct ken_event *ev) { return (const struct ken_ev_dp *)ev; }
static inline const struct ken_ev_port *ken_ev_port(const struct ken_event *ev)
{
    return (const struct ken_ev_port *)ev;
}

/* The dpset of an app that lists "dpset" in its contexts, or the running
 * dpset app's when app is NULL. NULL when dpset is not running. */
struct ken_dpset *ken_dpset_of(struct ken_app *app);

/* The datapath with this id (a new reference: unref it), or NULL. */
struct ken_datapath *ken_dpset_get(struct ken_dpset *ds, uint64_t dpid);
/* New references to up to max datapaths, in dpid order; returns how many
 * are connected (may exceed max). Unref each one you got. */
size_t ken_dpset_get_all(struct ken_dpset *ds, struct ken_datapath **out, size_t max);
/* Copies up to max ports of a datapath into out, in port order; *n gets
 * how many it has. 0, or ENOENT when no such datapath is connected. */
int ken_dpset_get_ports(struct ken_dpset *ds, uint64_t dpid, struct ken_port *out, size_t max, size_t *n);
/* One port: 0, or ENOENT for an unknown datapath or port. */
int ken_dpset_get_port(struct ken_dpset *ds, uint64_t dpid, uint32_t port_no, struct ken_port *out);

/* Registers the classes above (also done when dpset loads). */
int ken_dpset_register_classes(void);

#endif
