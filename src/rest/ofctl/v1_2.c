/* ofctl_v1_2: Ryu's ofctl_v1_2 for OpenFlow 1.2 switches (ofctl.h). */
#include <json-c/json.h>
#include <stdio.h>
#include <string.h>

#include "ofctl.h"
#include "util.h"

#define V KEN_OFP12

/* The requests only 1.2 builds its own way, and the refusal of the ones it lacks. */
static enum ofctl_status own_request(const struct ofctl_args *args, struct json_object **msg, char why[KEN_WHY_LEN])
{
    switch (args->kind) {
    /* Ryu's 1.2 port description is the ports of a features reply */
    case OFCTL_PORT_DESC: *msg = ofctl_msg_new("OFPFeaturesRequest", json_object_new_object()); return OFCTL_OK;
    default:
        /* meters and table features came with 1.3 */
        snprintf(why, KEN_WHY_LEN, "OpenFlow 1.2 has no such request");
        return OFCTL_UNSUPPORTED;
    }
}

static enum ofctl_status build(const struct ofctl_args *args, struct json_object **msgs, size_t max, size_t *n,
                               char why[KEN_WHY_LEN])
{
    return ofctl_legacy_build(V, args, own_request, msgs, max, n, why);
}

/* ---- answers ---------------------------------------------------------- */

static enum ofctl_status group_stat(struct json_object *stat, void *arg, char why[KEN_WHY_LEN])
{
    /* 1.2 calls them bucket counters; Ryu's answer says bucket_stats */
    return ofctl_nested_stat(stat, arg, "bucket_counters", "bucket_stats",
                             (const char *const[]){"packet_count", "byte_count", NULL},
                             "a bucket counter lacks a field", why);
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
    struct ofctl_collect *c = arg;
    struct json_object *s;
    if (!ofctl_text_valid(ofctl_member(stat, "name"))) {
        snprintf(why, KEN_WHY_LEN, "a table's name is not UTF-8");
        return OFCTL_BAD_REQUEST;
    }
    s = json_object_new_object();
    if (!ofctl_copy_keys(s, stat, (const char *const[]){"name", "metadata_match", "metadata_write", "max_entries",
                                                        "active_count", "lookup_count", "matched_count", NULL})) {
        json_object_put(s);
        snprintf(why, KEN_WHY_LEN, "a table stats entry lacks a field");
        return OFCTL_BAD_REQUEST;
    }
    json_object_object_add(s, "table_id", ofctl_to_user(V, OFCTL_NAMES_TABLE, ofctl_member(stat, "table_id")));
    json_object_object_add(s, "match", bit_names(ofctl_member_u(stat, "match"), oxm, oxm_bits, 36));
    json_object_object_add(s, "wildcards", bit_names(ofctl_member_u(stat, "wildcards"), oxm, oxm_bits, 36));
    json_object_object_add(s, "write_setfields", bit_names(ofctl_member_u(stat, "write_setfields"), oxm, oxm_bits, 36));
    json_object_object_add(s, "apply_setfields", bit_names(ofctl_member_u(stat, "apply_setfields"), oxm, oxm_bits, 36));
    json_object_object_add(s, "write_actions", bit_names(ofctl_member_u(stat, "write_actions"), acts, act_bits, 14));
    json_object_object_add(s, "apply_actions", bit_names(ofctl_member_u(stat, "apply_actions"), acts, act_bits, 14));
    json_object_object_add(s, "instructions", bit_names(ofctl_member_u(stat, "instructions"), insts, inst_bits, 5));
    json_object_object_add(s, "config", bit_names(ofctl_member_u(stat, "config"), confs, conf_bits, 4));
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

/* The ports of every features reply, in the order the switch gave them. */
static enum ofctl_status port_desc(struct json_object *const *replies, size_t n, struct json_object **out,
                                   char why[KEN_WHY_LEN])
{
    struct ofctl_collect c = {V, json_object_new_array(), port_desc_keys, "port_no", OFCTL_NAMES_PORT};
    for (size_t i = 0; i < n; i++) {
        struct json_object *msg = ofctl_msg_body(replies[i], NULL), *ports = msg ? ofctl_member(msg, "ports") : NULL;
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
            if (!ofctl_text_valid(ofctl_member(port, "name"))) {
                json_object_put(c.list);
                snprintf(why, KEN_WHY_LEN, "a port's name is not UTF-8");
                return OFCTL_BAD_REQUEST;
            }
            if ((st = ofctl_plain_stat(port, &c, why))) {
                json_object_put(c.list);
                return st;
            }
        }
    }
    *out = c.list;
    return OFCTL_OK;
}

/* The answers only 1.2 gives its own way, and the refusal of the ones it lacks. */
static enum ofctl_status own_answer(const struct ofctl_args *args, struct json_object *const *replies, size_t n,
                                    struct json_object **out, char why[KEN_WHY_LEN])
{
    switch (args->kind) {
    case OFCTL_TABLE: return ofctl_collect(V, replies, n, NULL, NULL, 0, table_stat, out, why);
    case OFCTL_PORT:
        return ofctl_collect(V, replies, n, port_stats_keys, "port_no", OFCTL_NAMES_PORT, NULL, out, why);
    case OFCTL_QUEUE: return ofctl_collect(V, replies, n, queue_stats_keys, NULL, 0, NULL, out, why);
    case OFCTL_GROUP:
        return ofctl_collect(V, replies, n, group_stats_keys, "group_id", OFCTL_NAMES_GROUP, group_stat, out, why);
    case OFCTL_PORT_DESC: return port_desc(replies, n, out, why);
    default:
        snprintf(why, KEN_WHY_LEN, "no answer for this request on OpenFlow 1.2");
        return OFCTL_UNSUPPORTED;
    }
}

static enum ofctl_status answer(const struct ofctl_args *args, struct json_object *const *replies, size_t n,
                                struct json_object **out, char why[KEN_WHY_LEN])
{
    return ofctl_legacy_answer(V, args, replies, n, own_answer, out, why);
}

const struct ofctl_version ofctl_v1_2 = {KEN_OFP12, build, answer};
