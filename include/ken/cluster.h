/* Several ken-manager instances for the same switches (docs/cluster.md).
 *
 * With a cluster (ken-manager --cluster-etcd URL --cluster-name NAME
 * --cluster-node-id ID), every switch connects to every instance and etcd
 * decides, per switch, which instance is its master: the one holding the
 * key /ken/<cluster>/dp/<dpid>/master, created under the instance's lease.
 * The master sends OFPT_ROLE_REQUEST MASTER (1.2+; NXT_ROLE_REQUEST on
 * 1.0) with the key's creation revision as generation id; the others are
 * SLAVE. Without a cluster every datapath stays EQUAL, as before.
 *
 * Apps see roles through ken_datapath_role() and EventOFPRoleChange. By
 * default a send that would change a switch's state (flow-mod, packet-out,
 * group-mod, port-mod, table-mod, meter-mod) to a switch where this
 * instance is SLAVE fails with EPERM (logged once per datapath and
 * mastership) instead of being refused by the switch; the OpenFlow
 * message events of a SLAVE connection reach only the apps that set
 * KEN_APP_SLAVE_EVENTS (ken/app.h). EventOFPStateChange,
 * EventOFPPortStateChange and EventOFPRoleChange reach every app.
 *
 * Shared state: ken_cluster_kv_* keep an app's values in etcd under
 * /ken/<cluster>/apps/<app>/, seen by every instance. They block for an
 * etcd round trip (milliseconds on a LAN): call them from an app's
 * handlers (not a KEN_APP_NONBLOCKING app's) or its own threads. */
#ifndef KEN_CLUSTER_H
#define KEN_CLUSTER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ken/event.h"

struct ken_datapath;
struct json_object;

/* The role of this instance for a switch (OpenFlow's controller roles). */
enum ken_role {
    KEN_ROLE_EQUAL = 0,  /* no cluster, or not decided yet */
    KEN_ROLE_MASTER = 1,
    KEN_ROLE_SLAVE = 2,
};

/* "equal", "master", "slave". */
const char *ken_role_name(enum ken_role role);

/* The role the switch confirmed (MASTER from its role reply; SLAVE as soon
 * as this instance steps down). Any thread. */
enum ken_role ken_datapath_role(const struct ken_datapath *dp);
/* The generation id of the current mastership (0 without one). */
uint64_t ken_datapath_generation_id(const struct ken_datapath *dp);

/* The send guard (on by default): while this instance is SLAVE of a
 * switch, state-changing sends fail with EPERM. Off, they go to the switch,
 * which refuses them with an OFPT_ERROR (OFPBRC_IS_SLAVE). Any thread. */
void ken_cluster_set_send_guard(bool on);

/* EventOFPRoleChange: this instance's role for dp changed. */
struct ken_ev_ofp_role_change {
    struct ken_event ev;
    struct ken_datapath *datapath;
    enum ken_role role;
    enum ken_role old_role;
    uint64_t generation_id;
};
KEN_EV_CLASS_DECLARE(ken_ev_ofp_role_change_class); /* "EventOFPRoleChange" */
#define KEN_EV_OFP_ROLE_CHANGE "EventOFPRoleChange"
static inline const struct ken_ev_ofp_role_change *ken_ev_ofp_role_change(const struct ken_event *ev)
{
    return (const struct ken_ev_ofp_role_change *)ev;
}

/* ---- the cluster (ken-manager starts it) ---- */

struct ken_cluster_options {
    const char *etcd;       /* "http://10.0.0.1:2379,http://10.0.0.2:2379" */
    const char *name;       /* the cluster: keys under /ken/<name>/ */
    const char *node_id;    /* this instance, unique in the cluster */
    double lease_ttl;       /* seconds (whole; etcd may round it up) */
};

#define KEN_CLUSTER_WHY_LEN 256

/* Checks the options, reaches etcd (an error when no endpoint answers),
 * takes a lease, registers this member and starts the cluster's thread.
 * Before ken_controller_start. Returns 0 or an errno with why. */
int ken_cluster_start(const struct ken_cluster_options *o, char why[KEN_CLUSTER_WHY_LEN]);
/* Steps down everywhere and revokes the lease: the other instances take
 * over at once. Then stops the thread. Idempotent. */
void ken_cluster_stop(void);
/* True between start and stop. */
bool ken_cluster_running(void);
/* This instance's id, NULL without a cluster. */
const char *ken_cluster_node_id(void);
/* {"cluster": NAME, "node_id": ID, "members": [ID...], "switches":
 * [{"dpid": "0000000000000001", "master": ID or null, "generation_id": N,
 * "connected": [ID...], "role": "master"|"slave"|"equal"|null}]} from
 * etcd (one round trip); NULL without a cluster or when etcd does not
 * answer. */
struct json_object *ken_cluster_status_json(void);

/* ---- shared state: /ken/<cluster>/apps/<app>/<key> ----
 *
 * app and key: 1 to 128 bytes, no NUL; key may hold '/'. Values are bytes.
 * Errors: ENOTCONN without a cluster, EINVAL for a bad name, EIO when etcd
 * does not answer or refuses. */

/* *value (malloc'ed, NUL-terminated past len) and *revision (the key's
 * mod revision: the version to compare-and-swap against); ENOENT when
 * absent. value, len, revision may be NULL. */
int ken_cluster_kv_get(const char *app, const char *key, char **value, size_t *len, int64_t *revision);
int ken_cluster_kv_put(const char *app, const char *key, const void *value, size_t len);
/* Writes only when the key's mod revision is still expect (0: only when
 * the key does not exist); ECANCELED when it is not. */
int ken_cluster_kv_cas(const char *app, const char *key, int64_t expect, const void *value, size_t len);
int ken_cluster_kv_delete(const char *app, const char *key);

/* EventClusterKV, sent to every app observing it when a key under the
 * app's prefix changes (in any instance, this one included), after
 * ken_cluster_kv_watch(app). */
struct ken_ev_cluster_kv {
    struct ken_event ev;
    char app[129];
    char key[129];
    bool deleted;
    int64_t revision;   /* the change's mod revision */
    size_t len;
    char *value;        /* NUL-terminated past len; NULL when deleted */
};
KEN_EV_CLASS_DECLARE(ken_ev_cluster_kv_class); /* "EventClusterKV" */
#define KEN_EV_CLUSTER_KV "EventClusterKV"
static inline const struct ken_ev_cluster_kv *ken_ev_cluster_kv(const struct ken_event *ev)
{
    return (const struct ken_ev_cluster_kv *)ev;
}
/* Starts sending EventClusterKV for app's prefix. 0, or ENOTCONN. */
int ken_cluster_kv_watch(const char *app);

#endif
