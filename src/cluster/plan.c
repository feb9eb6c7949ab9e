/* The cluster's decisions (plan.h). */
#include <string.h>

#include "cluster/plan.h"

size_t cluster_fair_share(size_t n_switches, size_t n_members)
{
    if (!n_members)
        n_members = 1;
    return (n_switches + n_members - 1) / n_members;
}

static bool is_member(const char *node, const char *const *members, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (!strcmp(members[i], node))
            return true;
    return false;
}

/* Switches mastered by node. */
static size_t load_of(const char *node, const struct plan_dp *dps, size_t n)
{
    size_t k = 0;
    for (size_t i = 0; i < n; i++)
        if (dps[i].master && !strcmp(dps[i].master, node))
            k++;
    return k;
}

void cluster_plan(const char *me, const char *const *members, size_t n_members, struct plan_dp *dps, size_t n,
                  uint64_t now_ms)
{
    size_t fair = cluster_fair_share(n, n_members);
    size_t mine = load_of(me, dps, n);
    for (size_t i = 0; i < n; i++) {
        struct plan_dp *d = &dps[i];
        d->action = PLAN_NONE;
        if (!d->local)
            continue;
        if (d->master) {
            d->action = strcmp(d->master, me) ? PLAN_SLAVE : PLAN_MASTER;
            continue;
        }
        if (now_ms < d->hold_until_ms)
            continue;
        /* Below the fair share: at once. At or above it: after the grace,
         * when no instance below it took the switch. */
        if (mine < fair || (d->vacant_since_ms && now_ms - d->vacant_since_ms >= PLAN_GRACE_MS)) {
            d->action = PLAN_CAMPAIGN;
            mine++;
        }
    }
    if (mine <= fair || n_members < 2)
        return;
    /* One release per round, of a switch that a member below its share is
     * connected to (it takes the switch at once). */
    for (size_t i = 0; i < n; i++) {
        struct plan_dp *d = &dps[i];
        if (d->action != PLAN_MASTER)
            continue;
        for (size_t c = 0; c < d->n_candidates; c++) {
            const char *other = d->candidates[c];
            if (!strcmp(other, me) || !is_member(other, members, n_members))
                continue;
            if (load_of(other, dps, n) < fair) {
                d->action = PLAN_RELEASE;
                return;
            }
        }
    }
}
