/* ofctl: the conversions behind ofctl_rest, one table per OpenFlow version
 * (what Ryu's ofctl_v1_<n>.py modules do).
 *
 * Both directions are JSON to JSON, around ken's own codec:
 *   - a request: the route's arguments (path parts, body) become the
 *     message(s) to send, as OS-Ken JSON ({"OFPFlowStatsRequest": {...}}),
 *     which ken_ofp_from_json encodes for the datapath's version;
 *   - a reply: every part of the switch's answer, each decoded by
 *     ken_ofp_to_json (OS-Ken JSON), becomes the value Ryu puts under the
 *     dpid key of its answer ({"1": <value>}).
 * So the wire is handled once, by the codec the conformance corpus holds to
 * OS-Ken, and these modules carry only Ryu's naming and string forms.
 * One exception, for speed: the flow stats answer, the biggest, is also
 * written straight from the reply bytes (flow_text.h), byte for byte the
 * text of this path, which answers whatever that one declines.
 *
 * The oracle for each module is Debian's os_ken/lib/ofctl_v1_<n>.py fed
 * the same reply bytes and request bodies (tests/rest/ofctl_oracle.py). */
#ifndef KEN_REST_OFCTL_H
#define KEN_REST_OFCTL_H

#include <stddef.h>
#include <stdint.h>

#include "ken/ofp.h"

struct json_object;

/* Every route of ofctl_rest that talks to a switch. */
enum ofctl_kind {
    /* stats: a request, then the whole reply */
    OFCTL_DESC,            /* GET  /stats/desc/{dpid} */
    OFCTL_FLOW_DESC,       /* GET/POST /stats/flowdesc/{dpid} (1.5) */
    OFCTL_FLOW,            /* GET/POST /stats/flow/{dpid} (body: filter) */
    OFCTL_AGGREGATE_FLOW,  /* GET/POST /stats/aggregateflow/{dpid} */
    OFCTL_TABLE,           /* GET  /stats/table/{dpid} */
    OFCTL_TABLE_FEATURES,  /* GET  /stats/tablefeatures/{dpid} */
    OFCTL_PORT,            /* GET  /stats/port/{dpid}[/{port}] */
    OFCTL_QUEUE,           /* GET  /stats/queue/{dpid}[/{port}[/{queue_id}]] */
    OFCTL_QUEUE_CONFIG,    /* GET  /stats/queueconfig/{dpid}[/{port}] */
    OFCTL_QUEUE_DESC,      /* GET  /stats/queuedesc/{dpid}[/{port}[/{queue}]] */
    OFCTL_METER_FEATURES,  /* GET  /stats/meterfeatures/{dpid} */
    OFCTL_METER_CONFIG,    /* GET  /stats/meterconfig/{dpid}[/{meter_id}] */
    OFCTL_METER_DESC,      /* GET  /stats/meterdesc/{dpid}[/{meter_id}] */
    OFCTL_METER,           /* GET  /stats/meter/{dpid}[/{meter_id}] */
    OFCTL_GROUP_FEATURES,  /* GET  /stats/groupfeatures/{dpid} */
    OFCTL_GROUP_DESC,      /* GET  /stats/groupdesc/{dpid}[/{group_id}] */
    OFCTL_GROUP,           /* GET  /stats/group/{dpid}[/{group_id}] */
    OFCTL_PORT_DESC,       /* GET  /stats/portdesc/{dpid}[/{port_no}] */
    OFCTL_ROLE,            /* GET  /stats/role/{dpid} */
    /* writes: messages sent, no reply awaited (Ryu's), 200 and no body */
    OFCTL_FLOW_MOD,        /* POST /stats/flowentry/{cmd}; clear is a delete */
    OFCTL_METER_MOD,       /* POST /stats/meterentry/{cmd} */
    OFCTL_GROUP_MOD,       /* POST /stats/groupentry/{cmd} */
    OFCTL_PORT_MOD,        /* POST /stats/portdesc/{cmd} */
    OFCTL_EXPERIMENTER,    /* POST /stats/experimenter/{dpid} */
    OFCTL_SET_ROLE,        /* POST /stats/role */
    OFCTL_N_KINDS
};

/* What a route hands to a version's module. The ofctl_rest app has
 * already turned Ryu's "ALL" into NULL and found the datapath. */
struct ofctl_args {
    enum ofctl_kind kind;
    /* Path parts as the client wrote them (NULL when the route has none):
     * the module parses them as its Ryu module does (int(str(x), 0), port
     * names where Ryu takes them). */
    const char *port;       /* OFCTL_PORT, QUEUE, QUEUE_CONFIG, QUEUE_DESC; port_no of PORT_DESC */
    const char *queue;      /* OFCTL_QUEUE (queue_id), OFCTL_QUEUE_DESC */
    const char *meter_id;   /* METER_CONFIG, METER_DESC, METER */
    const char *group_id;   /* GROUP_DESC (1.5), GROUP */
    /* The body (already parsed; the flow filter of a stats route, the
     * entry of a write), or NULL. Not taken over. */
    struct json_object *body;
    /* Writes: the wire command (OFPFC_*, OFPMC_*, OFPGC_*), already mapped
     * from "add", "modify", ... by the app for this version. */
    int command;
    /* Port modification: the port as the datapath knows it (for Ryu's
     * defaults of hw_addr and advertise/properties); NULL otherwise. */
    const struct ken_ofp_port_defaults {
        uint8_t hw_addr[6];
        uint32_t advertised;                  /* 1.0-1.3 */
        struct json_object *properties;       /* 1.4+: OS-Ken JSON list */
    } *port_defaults;
};

/* The outcome of a module call, mapped by the app to Ryu's status. */
enum ofctl_status {
    OFCTL_OK = 0,
    OFCTL_BAD_REQUEST,     /* 400: Ryu's ValueError (bad syntax, bad value) */
    OFCTL_UNSUPPORTED,     /* 501: Ryu's AttributeError (no such message in this version) */
    OFCTL_NOT_FOUND,       /* 404: Ryu's CommandNotFoundError / PortNotFoundError */
};

struct ofctl_version {
    uint8_t version;       /* KEN_OFP10 ... KEN_OFP15 */
    /* The messages to send for args, as OS-Ken JSON objects appended to
     * *msgs (an array of n; usually one; Ryu's flow-stats on 1.0 and the
     * mods send one each). On error, why says what is wrong (for the
     * client's JSON error body). */
    enum ofctl_status (*build)(const struct ofctl_args *args, struct json_object **msgs, size_t max, size_t *n,
                               char why[KEN_WHY_LEN]);
    /* Stats kinds only: the reply parts (OS-Ken JSON of each message, in
     * order: every part of a multipart reply) become Ryu's value for the
     * dpid key. *out is a new object. */
    enum ofctl_status (*answer)(const struct ofctl_args *args, struct json_object *const *replies, size_t n,
                                struct json_object **out, char why[KEN_WHY_LEN]);
};

extern const struct ofctl_version ofctl_v1_0, ofctl_v1_2, ofctl_v1_3, ofctl_v1_4, ofctl_v1_5;

/* The kind a route name stands for: the words of Ryu's paths ("desc",
 * "flowdesc", ..., "flowentry", "meterentry", "groupentry",
 * "portdesc_modify", "experimenter", "set_role"; "clear" is a flowentry
 * delete). OFCTL_N_KINDS for none. */
enum ofctl_kind ofctl_kind_by_name(const char *name);

/* The wire command for a write route's {cmd} ("add", "modify",
 * "modify_strict", "delete", "delete_strict" for flowentry; "add",
 * "modify", "delete" for meterentry and groupentry; "modify" for
 * portdesc), the same number on every version; -1 when the route has no
 * such command (Ryu's 404). */
int ofctl_command(enum ofctl_kind kind, const char *cmd);

/* What a route asks a version's module for. /stats/flowdesc is the flow
 * desc where the version has it (1.5); elsewhere it is the flow stats, as
 * Ryu's route table wires it (the get_flow_desc its controller names
 * exists in no ofctl module). Every other kind is itself. */
enum ofctl_kind ofctl_route_kind(enum ofctl_kind kind, uint8_t version);

/* The module for a wire version, NULL when none. */
const struct ofctl_version *ofctl_for_version(uint8_t version);

#endif
