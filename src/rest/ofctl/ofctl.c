/* ofctl_for_version: the conversion module for a wire version.
 *
 * Each version's module (v1_0.c ... v1_5.c) is its own file; a version
 * whose module is not in the tree answers NULL, and ofctl_rest then says
 * 501 for that switch (ofctl_modules.h is written by meson.build). */
#include "ofctl.h"
#include "rest/ofctl/ofctl_modules.h"

#include <string.h>

enum ofctl_kind ofctl_kind_by_name(const char *name)
{
    static const char *const names[OFCTL_N_KINDS] = {
        [OFCTL_DESC] = "desc",
        [OFCTL_FLOW_DESC] = "flowdesc",
        [OFCTL_FLOW] = "flow",
        [OFCTL_AGGREGATE_FLOW] = "aggregateflow",
        [OFCTL_TABLE] = "table",
        [OFCTL_TABLE_FEATURES] = "tablefeatures",
        [OFCTL_PORT] = "port",
        [OFCTL_QUEUE] = "queue",
        [OFCTL_QUEUE_CONFIG] = "queueconfig",
        [OFCTL_QUEUE_DESC] = "queuedesc",
        [OFCTL_METER_FEATURES] = "meterfeatures",
        [OFCTL_METER_CONFIG] = "meterconfig",
        [OFCTL_METER_DESC] = "meterdesc",
        [OFCTL_METER] = "meter",
        [OFCTL_GROUP_FEATURES] = "groupfeatures",
        [OFCTL_GROUP_DESC] = "groupdesc",
        [OFCTL_GROUP] = "group",
        [OFCTL_PORT_DESC] = "portdesc",
        [OFCTL_ROLE] = "role",
        [OFCTL_FLOW_MOD] = "flowentry",
        [OFCTL_METER_MOD] = "meterentry",
        [OFCTL_GROUP_MOD] = "groupentry",
        [OFCTL_PORT_MOD] = "portdesc_modify",
        [OFCTL_EXPERIMENTER] = "experimenter",
        [OFCTL_SET_ROLE] = "set_role",
    };
    if (!name) return OFCTL_N_KINDS;
    if (strcmp(name, "clear") == 0) return OFCTL_FLOW_MOD;
    for (int k = 0; k < OFCTL_N_KINDS; k++)
        if (names[k] && strcmp(names[k], name) == 0) return (enum ofctl_kind)k;
    return OFCTL_N_KINDS;
}

int ofctl_command(enum ofctl_kind kind, const char *cmd)
{
    /* OFPFC_*, OFPMC_* and OFPGC_* keep their numbers from 1.0 to 1.5. */
    static const char *const flow[] = {"add", "modify", "modify_strict", "delete", "delete_strict"};
    static const char *const meter_group[] = {"add", "modify", "delete"};
    const char *const *names;
    int n;
    if (!cmd) return -1;
    switch (kind) {
    case OFCTL_FLOW_MOD: names = flow, n = 5; break;
    case OFCTL_METER_MOD:
    case OFCTL_GROUP_MOD: names = meter_group, n = 3; break;
    case OFCTL_PORT_MOD: return strcmp(cmd, "modify") == 0 ? 0 : -1;
    default: return -1;
    }
    for (int i = 0; i < n; i++)
        if (strcmp(cmd, names[i]) == 0) return i;
    return -1;
}

enum ofctl_kind ofctl_route_kind(enum ofctl_kind kind, uint8_t version)
{
    return kind == OFCTL_FLOW_DESC && version < KEN_OFP15 ? OFCTL_FLOW : kind;
}

const struct ofctl_version *ofctl_for_version(uint8_t version)
{
    switch (version) {
#ifdef KEN_OFCTL_HAVE_V1_0
    case KEN_OFP10: return &ofctl_v1_0;
#endif
#ifdef KEN_OFCTL_HAVE_V1_2
    case KEN_OFP12: return &ofctl_v1_2;
#endif
#ifdef KEN_OFCTL_HAVE_V1_3
    case KEN_OFP13: return &ofctl_v1_3;
#endif
#ifdef KEN_OFCTL_HAVE_V1_4
    case KEN_OFP14: return &ofctl_v1_4;
#endif
#ifdef KEN_OFCTL_HAVE_V1_5
    case KEN_OFP15: return &ofctl_v1_5;
#endif
    default: return NULL;
    }
}
