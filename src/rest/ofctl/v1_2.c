/* ofctl_v1_2: Ryu's ofctl_v1_2 for OpenFlow 1.2 switches (ofctl.h). */
#include <json-c/json.h>
#include <stdio.h>
#include <string.h>

#include "ofctl.h"
#include "util.h"

#define V KEN_OFP12

static struct json_object *u64(uint64_t v)
{
    return v > INT64_MAX ? json_object_new_uint64(v) : json_object_new_int64((int64_t)v);
}

/* A stats request with flags 0 and the given numeric fields. */
static struct json_object *request(const char *cls, const char *k1, uint64_t v1, const char *k2, uint64_t v2)
{
    struct json_object *o = json_object_new_object();
    json_object_object_add(o, "flags", json_object_new_int64(0));
    if (k1) json_object_object_add(o, k1, u64(v1));
    if (k2) json_object_object_add(o, k2, u64(v2));
    return ofctl_msg_new(cls, o);
}

/* A path part: str_to_int of it, or dflt when the route has none. */
static enum ofctl_status path_int(const char *s, uint64_t dflt, uint64_t max, const char *what, uint64_t *out,
                                  char why[KEN_WHY_LEN])
{
    struct ofctl_int n;
    if (!s) {
        *out = dflt;
        return OFCTL_OK;
    }
    if (!ofctl_parse_int_text(s, strlen(s), &n)) {
        snprintf(why, KEN_WHY_LEN, "%s: invalid literal for int() with base 0: '%.60s'", what, s);
        return OFCTL_BAD_REQUEST;
    }
    if (n.big || (n.neg && n.mag) || n.mag > max) {
        snprintf(why, KEN_WHY_LEN, "%s out of range: must be within 0..%llu", what, (unsigned long long)max);
        return OFCTL_BAD_REQUEST;
    }
    *out = n.mag;
    return OFCTL_OK;
}

static enum ofctl_status build(const struct ofctl_args *args, struct json_object **msgs, size_t max, size_t *n,
                               char why[KEN_WHY_LEN])
{
    enum ofctl_status st = OFCTL_OK;
    struct json_object *m = NULL;
    uint64_t a, b;
    struct ofctl_int prio;

    *n = 0;
    if (max < 1) {
        snprintf(why, KEN_WHY_LEN, "no room for the request");
        return OFCTL_BAD_REQUEST;
    }
    switch (args->kind) {
    case OFCTL_DESC: m = request("OFPDescStatsRequest", NULL, 0, NULL, 0); break;
    case OFCTL_FLOW:
        st = ofctl_legacy_flow_request(V, "OFPFlowStatsRequest", args->body, &m, &prio, why);
        break;
    case OFCTL_AGGREGATE_FLOW:
        st = ofctl_legacy_flow_request(V, "OFPAggregateStatsRequest", args->body, &m, &prio, why);
        break;
    case OFCTL_TABLE: m = request("OFPTableStatsRequest", NULL, 0, NULL, 0); break;
    case OFCTL_PORT:
        if (!(st = path_int(args->port, 0xffffffff, 0xffffffff, "port", &a, why)))
            m = request("OFPPortStatsRequest", "port_no", a, NULL, 0);
        break;
    case OFCTL_QUEUE:
        if (!(st = path_int(args->port, 0xffffffff, 0xffffffff, "port", &a, why)) &&
            !(st = path_int(args->queue, 0xffffffff, 0xffffffff, "queue_id", &b, why)))
            m = request("OFPQueueStatsRequest", "port_no", a, "queue_id", b);
        break;
    case OFCTL_QUEUE_CONFIG:
        if (!(st = path_int(args->port, 0xffffffff, 0xffffffff, "port", &a, why))) {
            struct json_object *o = json_object_new_object();
            json_object_object_add(o, "port", u64(a));
            m = ofctl_msg_new("OFPQueueGetConfigRequest", o);
        }
        break;
    case OFCTL_GROUP_FEATURES: m = request("OFPGroupFeaturesStatsRequest", NULL, 0, NULL, 0); break;
    case OFCTL_GROUP_DESC: m = request("OFPGroupDescStatsRequest", NULL, 0, NULL, 0); break;
    case OFCTL_GROUP:
        if (!(st = path_int(args->group_id, 0xfffffffc, 0xffffffff, "group_id", &a, why)))
            m = request("OFPGroupStatsRequest", "group_id", a, NULL, 0);
        break;
    /* Ryu's 1.2 port description is the ports of a features reply */
    case OFCTL_PORT_DESC: m = ofctl_msg_new("OFPFeaturesRequest", json_object_new_object()); break;
    case OFCTL_ROLE: m = ofctl_role_request(); break;
    case OFCTL_FLOW_MOD: st = ofctl_legacy_flow_mod(V, args->body, args->command, &m, why); break;
    case OFCTL_GROUP_MOD: st = ofctl_legacy_group_mod(V, args->body, args->command, &m, why); break;
    case OFCTL_PORT_MOD: st = ofctl_legacy_port_mod(V, args->body, args->port_defaults, &m, why); break;
    case OFCTL_EXPERIMENTER: st = ofctl_experimenter(args->body, &m, why); break;
    case OFCTL_SET_ROLE: st = ofctl_set_role(V, args->body, &m, why); break;
    default:
        /* meters and table features came with 1.3 */
        snprintf(why, KEN_WHY_LEN, "OpenFlow 1.2 has no such request");
        return OFCTL_UNSUPPORTED;
    }
    if (st) return st;
    if (m) msgs[(*n)++] = m;
    return OFCTL_OK;
}

/* ---- answers ---------------------------------------------------------- */

struct collect {
    struct json_object *list;
    const char *const *keys;       /* copied as they are */
    const char *named_key;         /* given back through a name set */
    enum ofctl_names names;
};

static enum ofctl_status plain_stat(struct json_object *stat, void *arg, char why[KEN_WHY_LEN])
{
    struct collect *c = arg;
    struct json_object *s = json_object_new_object(), *v;
    if (!ofctl_copy_keys(s, stat, c->keys)) {
        json_object_put(s);
        snprintf(why, KEN_WHY_LEN, "a stats entry of the reply lacks a field");
        return OFCTL_BAD_REQUEST;
    }
    if (c->named_key) {
        if (!json_object_object_get_ex(stat, c->named_key, &v)) {
            json_object_put(s);
            snprintf(why, KEN_WHY_LEN, "a stats entry of the reply has no %s", c->named_key);
            return OFCTL_BAD_REQUEST;
        }
        json_object_object_add(s, c->named_key, ofctl_to_user(V, c->names, v));
    }
    json_object_array_add(c->list, s);
    return OFCTL_OK;
}

static enum ofctl_status collect(struct json_object *const *replies, size_t n, const char *const *keys,
                                 const char *named_key, enum ofctl_names names,
                                 enum ofctl_status (*fn)(struct json_object *, void *, char *),
                                 struct json_object **out, char why[KEN_WHY_LEN])
{
    struct collect c = {json_object_new_array(), keys, named_key, names};
    enum ofctl_status st = ofctl_each_stat(replies, n, fn ? fn : plain_stat, &c, why);
    if (st) {
        json_object_put(c.list);
        return st;
    }
    *out = c.list;
    return OFCTL_OK;
}

static struct json_object *member(struct json_object *o, const char *k)
{
    struct json_object *v = NULL;
    return json_object_object_get_ex(o, k, &v) ? v : NULL;
}

static uint64_t member_u(struct json_object *o, const char *k)
{
    struct json_object *v = member(o, k);
    return json_object_is_type(v, json_type_int) && json_object_get_int64(v) >= 0 ? json_object_get_uint64(v) : 0;
}

static enum ofctl_status group_stat(struct json_object *stat, void *arg, char why[KEN_WHY_LEN])
{
    /* 1.2 calls them bucket counters; Ryu's answer says bucket_stats */
    struct collect *c = arg;
    struct json_object *in = member(stat, "bucket_counters"), *l = json_object_new_array(), *s;
    size_t ni = json_object_is_type(in, json_type_array) ? json_object_array_length(in) : 0;
    enum ofctl_status st;
    for (size_t i = 0; i < ni; i++) {
        struct json_object *e = ofctl_msg_body(json_object_array_get_idx(in, i), NULL), *o = json_object_new_object();
        if (!e || !ofctl_copy_keys(o, e, (const char *const[]){"packet_count", "byte_count", NULL})) {
            json_object_put(o);
            json_object_put(l);
            snprintf(why, KEN_WHY_LEN, "a bucket counter lacks a field");
            return OFCTL_BAD_REQUEST;
        }
        json_object_array_add(l, o);
    }
    if ((st = plain_stat(stat, c, why))) {
        json_object_put(l);
        return st;
    }
    s = json_object_array_get_idx(c->list, json_object_array_length(c->list) - 1);
    json_object_object_add(s, "bucket_stats", l);
    return OFCTL_OK;
}

/* Names of the bits set in a bitmap, in the order of the table. */
static struct json_object *bit_names(uint64_t bits, const char *const *names, const unsigned *shifts, size_t n)
{
    struct json_object *l = json_object_new_array();
    for (size_t i = 0; i < n; i++)
        if (shifts[i] < 64 && (bits & ((uint64_t)1 << shifts[i]))) json_object_array_add(l, json_object_new_string(names[i]));
    return l;
}

static enum ofctl_status table_stat(struct json_object *stat, void *arg, char why[KEN_WHY_LEN])
{
    static const char *const oxm[] = {
        "IN_PORT", "IN_PHY_PORT", "METADATA", "ETH_DST", "ETH_SRC", "ETH_TYPE", "VLAN_VID", "VLAN_PCP", "IP_DSCP",
        "IP_ECN", "IP_PROTO", "IPV4_SRC", "IPV4_DST", "TCP_SRC", "TCP_DST", "UDP_SRC", "UDP_DST", "SCTP_SRC",
        "SCTP_DST", "ICMPV4_TYPE", "ICMPV4_CODE", "ARP_OP", "ARP_SPA", "ARP_TPA", "ARP_SHA", "ARP_THA",
        "IPV6_SRC", "IPV6_DST", "IPV6_FLABEL", "ICMPV6_TYPE", "ICMPV6_CODE", "IPV6_ND_TARGET", "IPV6_ND_SLL",
        "IPV6_ND_TLL", "MPLS_LABEL", "MPLS_TC"};
    static const unsigned oxm_bits[] = {0,  1,  2,  3,  4,  5,  6,  7,  8,  9,  10, 11, 12, 13, 14, 15, 16, 17,
                                        18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31, 32, 33, 34, 35};
    static const char *const acts[] = {"OUTPUT", "COPY_TTL_OUT", "COPY_TTL_IN", "SET_MPLS_TTL", "DEC_MPLS_TTL",
                                       "PUSH_VLAN", "POP_VLAN", "PUSH_MPLS", "POP_MPLS", "SET_QUEUE", "GROUP",
                                       "SET_NW_TTL", "DEC_NW_TTL", "SET_FIELD"};
    static const unsigned act_bits[] = {0, 11, 12, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25};
    static const char *const insts[] = {"GOTO_TABLE", "WRITE_METADATA", "WRITE_ACTIONS", "APPLY_ACTIONS",
                                        "CLEAR_ACTIONS"};
    static const unsigned inst_bits[] = {1, 2, 3, 4, 5};
    static const char *const confs[] = {"TABLE_MISS_CONTROLLER", "TABLE_MISS_CONTINUE", "TABLE_MISS_DROP",
                                        "TABLE_MISS_MASK"};
    static const unsigned conf_bits[] = {0, 1, 2, 3};
    struct collect *c = arg;
    struct json_object *s = json_object_new_object();
    if (!ofctl_copy_keys(s, stat, (const char *const[]){"name", "metadata_match", "metadata_write", "max_entries",
                                                        "active_count", "lookup_count", "matched_count", NULL})) {
        json_object_put(s);
        snprintf(why, KEN_WHY_LEN, "a table stats entry lacks a field");
        return OFCTL_BAD_REQUEST;
    }
    json_object_object_add(s, "table_id", ofctl_to_user(V, OFCTL_NAMES_TABLE, member(stat, "table_id")));
    json_object_object_add(s, "match", bit_names(member_u(stat, "match"), oxm, oxm_bits, 36));
    json_object_object_add(s, "wildcards", bit_names(member_u(stat, "wildcards"), oxm, oxm_bits, 36));
    json_object_object_add(s, "write_setfields", bit_names(member_u(stat, "write_setfields"), oxm, oxm_bits, 36));
    json_object_object_add(s, "apply_setfields", bit_names(member_u(stat, "apply_setfields"), oxm, oxm_bits, 36));
    json_object_object_add(s, "write_actions", bit_names(member_u(stat, "write_actions"), acts, act_bits, 14));
    json_object_object_add(s, "apply_actions", bit_names(member_u(stat, "apply_actions"), acts, act_bits, 14));
    json_object_object_add(s, "instructions", bit_names(member_u(stat, "instructions"), insts, inst_bits, 5));
    json_object_object_add(s, "config", bit_names(member_u(stat, "config"), confs, conf_bits, 4));
    json_object_array_add(c->list, s);
    return OFCTL_OK;
}

static const char *const port_stats_keys[] = {"rx_packets", "tx_packets", "rx_bytes", "tx_bytes", "rx_dropped",
                                              "tx_dropped", "rx_errors", "tx_errors", "rx_frame_err",
                                              "rx_over_err", "rx_crc_err", "collisions", NULL};
static const char *const queue_stats_keys[] = {"port_no", "queue_id", "tx_bytes", "tx_errors", "tx_packets", NULL};
static const char *const port_desc_keys[] = {"hw_addr", "name", "config", "state", "curr", "advertised",
                                             "supported", "peer", "curr_speed", "max_speed", NULL};
static const char *const group_stats_keys[] = {"length", "ref_count", "packet_count", "byte_count", NULL};
static const char *const aggregate_keys[] = {"packet_count", "byte_count", "flow_count", NULL};

/* The ports of every features reply, in the order the switch gave them. */
static enum ofctl_status port_desc(struct json_object *const *replies, size_t n, struct json_object **out,
                                   char why[KEN_WHY_LEN])
{
    struct collect c = {json_object_new_array(), port_desc_keys, "port_no", OFCTL_NAMES_PORT};
    for (size_t i = 0; i < n; i++) {
        struct json_object *msg = ofctl_msg_body(replies[i], NULL), *ports = msg ? member(msg, "ports") : NULL;
        if (!json_object_is_type(ports, json_type_object)) {
            json_object_put(c.list);
            snprintf(why, KEN_WHY_LEN, "a features reply has no ports");
            return OFCTL_BAD_REQUEST;
        }
        json_object_object_foreach(ports, k, p)
        {
            struct json_object *port = ofctl_msg_body(p, NULL);
            enum ofctl_status st;
            (void)k;
            if (!port) {
                json_object_put(c.list);
                snprintf(why, KEN_WHY_LEN, "a features reply's port is not an object");
                return OFCTL_BAD_REQUEST;
            }
            if ((st = plain_stat(port, &c, why))) {
                json_object_put(c.list);
                return st;
            }
        }
    }
    *out = c.list;
    return OFCTL_OK;
}

static enum ofctl_status answer(const struct ofctl_args *args, struct json_object *const *replies, size_t n,
                                struct json_object **out, char why[KEN_WHY_LEN])
{
    switch (args->kind) {
    case OFCTL_DESC: {
        struct json_object *s = NULL;
        for (size_t i = 0; i < n; i++) {
            struct json_object *msg = ofctl_msg_body(replies[i], NULL), *d;
            if (!msg || !(d = ofctl_msg_body(member(msg, "body"), NULL))) {
                json_object_put(s);
                snprintf(why, KEN_WHY_LEN, "a desc reply has no description");
                return OFCTL_BAD_REQUEST;
            }
            json_object_put(s);
            s = NULL;
            json_object_deep_copy(d, &s, NULL);
        }
        *out = s ? s : json_object_new_object();
        return OFCTL_OK;
    }
    case OFCTL_FLOW: return ofctl_legacy_flow_answer(V, args->body, replies, n, out, why);
    case OFCTL_AGGREGATE_FLOW: return collect(replies, n, aggregate_keys, NULL, 0, NULL, out, why);
    case OFCTL_TABLE: return collect(replies, n, NULL, NULL, 0, table_stat, out, why);
    case OFCTL_PORT:
        return collect(replies, n, port_stats_keys, "port_no", OFCTL_NAMES_PORT, NULL, out, why);
    case OFCTL_QUEUE: return collect(replies, n, queue_stats_keys, NULL, 0, NULL, out, why);
    case OFCTL_QUEUE_CONFIG: return ofctl_legacy_queue_config_answer(V, replies, n, out, why);
    case OFCTL_GROUP_FEATURES: return ofctl_legacy_group_features_answer(V, replies, n, out, why);
    case OFCTL_GROUP_DESC: return ofctl_legacy_group_desc_answer(V, replies, n, out, why);
    case OFCTL_GROUP:
        return collect(replies, n, group_stats_keys, "group_id", OFCTL_NAMES_GROUP, group_stat, out, why);
    case OFCTL_PORT_DESC: return port_desc(replies, n, out, why);
    case OFCTL_ROLE: return ofctl_role_answer(V, replies, n, out, why);
    default:
        snprintf(why, KEN_WHY_LEN, "no answer for this request on OpenFlow 1.2");
        return OFCTL_UNSUPPORTED;
    }
}

const struct ofctl_version ofctl_v1_2 = {KEN_OFP12, build, answer};
