/* dp->ofproto_parser: the hot-path encoders of ken/ofp_msg.h with the
 * version bound, one table per version. */
#include <stddef.h>

#include "ken/datapath.h"

/* The builders of version V (xid 0: the sender picks one, see ken/datapath.h). */
#define PARSER_FUNCTIONS(V) \
    static void hello_##V(struct ken_buf *o) { ken_hello_encode(o, V, 0, 1u << V); } \
    static void echo_request_##V(struct ken_buf *o, const void *d, size_t n) \
    { \
        ken_echo_encode(o, V, ken_ofproto_get(V)->OFPT_ECHO_REQUEST, 0, d, n); \
    } \
    static void echo_reply_##V(struct ken_buf *o, const void *d, size_t n) \
    { \
        ken_echo_encode(o, V, ken_ofproto_get(V)->OFPT_ECHO_REPLY, 0, d, n); \
    } \
    static void features_request_##V(struct ken_buf *o) \
    { \
        ken_simple_encode(o, V, ken_ofproto_get(V)->OFPT_FEATURES_REQUEST, 0); \
    } \
    static void get_config_request_##V(struct ken_buf *o) \
    { \
        ken_simple_encode(o, V, ken_ofproto_get(V)->OFPT_GET_CONFIG_REQUEST, 0); \
    } \
    static void set_config_##V(struct ken_buf *o, uint16_t flags, uint16_t miss) \
    { \
        ken_set_config_encode(o, V, 0, flags, miss); \
    } \
    static void barrier_request_##V(struct ken_buf *o) \
    { \
        ken_simple_encode(o, V, ken_ofproto_get(V)->OFPT_BARRIER_REQUEST, 0); \
    } \
    static int flow_mod_##V(struct ken_buf *o, const struct ken_flow_mod *fm) \
    { \
        return ken_flow_mod_encode(o, V, 0, fm); \
    } \
    static int packet_out_##V(struct ken_buf *o, const struct ken_packet_out *po) \
    { \
        return ken_packet_out_encode(o, V, 0, po); \
    } \
    static void port_stats_request_##V(struct ken_buf *o, uint32_t port_no) \
    { \
        ken_port_stats_request_encode(o, V, 0, port_no); \
    } \
    static void error_##V(struct ken_buf *o, int err, const void *d, size_t n) \
    { \
        ken_error_encode(o, V, 0, err, d, n); \
    } \
    static int from_json_##V(struct ken_buf *o, struct json_object *m, char why[KEN_WHY_LEN]) \
    { \
        return ken_ofp_from_json(m, V, o, why); \
    }

/* 1.3+ only: 1.0 and 1.2 carry ports in the features reply. */
#define PARSER_PORT_DESC(V) \
    static void port_desc_request_##V(struct ken_buf *o) { ken_port_desc_request_encode(o, V, 0); }

#define PARSER_TABLE(V, port_desc) \
    { \
        .version = V, .hello = hello_##V, .echo_request = echo_request_##V, .echo_reply = echo_reply_##V, \
        .features_request = features_request_##V, .get_config_request = get_config_request_##V, \
        .set_config = set_config_##V, .barrier_request = barrier_request_##V, .flow_mod = flow_mod_##V, \
        .packet_out = packet_out_##V, .port_desc_request = port_desc, \
        .port_stats_request = port_stats_request_##V, .error = error_##V, .from_json = from_json_##V, \
    }

PARSER_FUNCTIONS(1)
PARSER_FUNCTIONS(3)
PARSER_FUNCTIONS(4)
PARSER_FUNCTIONS(5)
PARSER_FUNCTIONS(6)
PARSER_PORT_DESC(4)
PARSER_PORT_DESC(5)
PARSER_PORT_DESC(6)

static const struct ken_ofproto_parser parsers[] = {
    PARSER_TABLE(1, NULL),
    PARSER_TABLE(3, NULL),
    PARSER_TABLE(4, port_desc_request_4),
    PARSER_TABLE(5, port_desc_request_5),
    PARSER_TABLE(6, port_desc_request_6),
};

const struct ken_ofproto_parser *ken_ofproto_parser_get(uint8_t version)
{
    for (size_t i = 0; i < sizeof parsers / sizeof parsers[0]; i++)
        if (parsers[i].version == version)
            return &parsers[i];
    return NULL;
}
