/* The cluster's decisions, as a pure function of what etcd holds and what
 * this instance is connected to (unit-tested without etcd). */
#ifndef KEN_CLUSTER_PLAN_H
#define KEN_CLUSTER_PLAN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum plan_action {
    PLAN_NONE,      /* nothing to do (vacant, but another instance goes first) */
    PLAN_MASTER,    /* this instance holds the key: be MASTER with gen */
    PLAN_SLAVE,     /* another holds it: be SLAVE with gen */
    PLAN_CAMPAIGN,  /* vacant: try to create the key */
    PLAN_RELEASE,   /* held here, above the fair share: delete the key */
};

struct plan_dp {
    uint64_t dpid;
    bool local;                 /* connected to this instance (MAIN) */
    const char *master;         /* the key's holder, NULL when vacant */
    int64_t gen;                /* the key's create revision */
    const char *const *candidates; /* the members connected to it */
    size_t n_candidates;
    uint64_t hold_until_ms;     /* local: released lately, do not campaign before */
    uint64_t vacant_since_ms;   /* local: when it was first seen vacant (0: not) */
    enum plan_action action;    /* out */
};

/* How long an instance at or above its fair share lets the others take a
 * vacant switch before it campaigns anyway. */
#define PLAN_GRACE_MS 300

/* Each instance masters at most ceil(switches / members) switches: fills
 * in dps[i].action for the local ones (at most one RELEASE per call). */
void cluster_plan(const char *me, const char *const *members, size_t n_members, struct plan_dp *dps, size_t n,
                  uint64_t now_ms);
/* ceil(n_switches / max(n_members, 1)). */
size_t cluster_fair_share(size_t n_switches, size_t n_members);

#endif
