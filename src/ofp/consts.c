/* Per-version constants: struct ken_ofproto tables and port mapping. */
#include "ken/ofp_consts.h"

#include <stddef.h>

#include "ken/ofp.h"

#define NONE 0xff

static const struct ken_ofproto ofproto10 = {
    .version = 1, .name = "1.0",
    .OFPT_HELLO = 0, .OFPT_ERROR = 1, .OFPT_ECHO_REQUEST = 2, .OFPT_ECHO_REPLY = 3, .OFPT_EXPERIMENTER = 4,
    .OFPT_FEATURES_REQUEST = 5, .OFPT_FEATURES_REPLY = 6, .OFPT_GET_CONFIG_REQUEST = 7, .OFPT_GET_CONFIG_REPLY = 8,
    .OFPT_SET_CONFIG = 9, .OFPT_PACKET_IN = 10, .OFPT_FLOW_REMOVED = 11, .OFPT_PORT_STATUS = 12,
    .OFPT_PACKET_OUT = 13, .OFPT_FLOW_MOD = 14, .OFPT_GROUP_MOD = NONE, .OFPT_PORT_MOD = 15,
    .OFPT_TABLE_MOD = NONE, .OFPT_MULTIPART_REQUEST = 16, .OFPT_MULTIPART_REPLY = 17,
    .OFPT_BARRIER_REQUEST = 18, .OFPT_BARRIER_REPLY = 19, .OFPT_QUEUE_GET_CONFIG_REQUEST = 20,
    .OFPT_QUEUE_GET_CONFIG_REPLY = 21, .OFPT_ROLE_REQUEST = NONE, .OFPT_ROLE_REPLY = NONE,
    .OFPT_GET_ASYNC_REQUEST = NONE, .OFPT_GET_ASYNC_REPLY = NONE, .OFPT_SET_ASYNC = NONE, .OFPT_METER_MOD = NONE,
    .OFPT_ROLE_STATUS = NONE, .OFPT_TABLE_STATUS = NONE, .OFPT_REQUESTFORWARD = NONE,
    .OFPT_BUNDLE_CONTROL = NONE, .OFPT_BUNDLE_ADD_MESSAGE = NONE, .OFPT_CONTROLLER_STATUS = NONE,
    .OFPP_MAX = 0xff00, .OFPP_IN_PORT = 0xfff8, .OFPP_FLOOD = 0xfffb, .OFPP_ALL = 0xfffc,
    .OFPP_CONTROLLER = 0xfffd, .OFPP_LOCAL = 0xfffe, .OFPP_ANY = 0xffff,
    .OFPMP_DESC = 0, .OFPMP_FLOW = 1, .OFPMP_PORT_STATS = 4, .OFPMP_PORT_DESC = 0xffff,
};

/* 1.2 to 1.5 share the type numbers up to 24; later versions add more. */
#define OFPROTO_12_PLUS(v, nm, role_status, table_status, reqfwd, bctl, badd, cstatus, port_desc) \
    { \
        .version = v, .name = nm, .OFPT_HELLO = 0, .OFPT_ERROR = 1, .OFPT_ECHO_REQUEST = 2, \
        .OFPT_ECHO_REPLY = 3, .OFPT_EXPERIMENTER = 4, .OFPT_FEATURES_REQUEST = 5, .OFPT_FEATURES_REPLY = 6, \
        .OFPT_GET_CONFIG_REQUEST = 7, .OFPT_GET_CONFIG_REPLY = 8, .OFPT_SET_CONFIG = 9, .OFPT_PACKET_IN = 10, \
        .OFPT_FLOW_REMOVED = 11, .OFPT_PORT_STATUS = 12, .OFPT_PACKET_OUT = 13, .OFPT_FLOW_MOD = 14, \
        .OFPT_GROUP_MOD = 15, .OFPT_PORT_MOD = 16, .OFPT_TABLE_MOD = 17, .OFPT_MULTIPART_REQUEST = 18, \
        .OFPT_MULTIPART_REPLY = 19, .OFPT_BARRIER_REQUEST = 20, .OFPT_BARRIER_REPLY = 21, \
        .OFPT_QUEUE_GET_CONFIG_REQUEST = (v) <= 4 ? 22 : NONE, .OFPT_QUEUE_GET_CONFIG_REPLY = (v) <= 4 ? 23 : NONE, \
        .OFPT_ROLE_REQUEST = 24, .OFPT_ROLE_REPLY = 25, .OFPT_GET_ASYNC_REQUEST = (v) >= 4 ? 26 : NONE, \
        .OFPT_GET_ASYNC_REPLY = (v) >= 4 ? 27 : NONE, .OFPT_SET_ASYNC = (v) >= 4 ? 28 : NONE, \
        .OFPT_METER_MOD = (v) >= 4 ? 29 : NONE, .OFPT_ROLE_STATUS = role_status, .OFPT_TABLE_STATUS = table_status, \
        .OFPT_REQUESTFORWARD = reqfwd, .OFPT_BUNDLE_CONTROL = bctl, .OFPT_BUNDLE_ADD_MESSAGE = badd, \
        .OFPT_CONTROLLER_STATUS = cstatus, .OFPP_MAX = KEN_OFPP_MAX, .OFPP_IN_PORT = KEN_OFPP_IN_PORT, \
        .OFPP_FLOOD = KEN_OFPP_FLOOD, .OFPP_ALL = KEN_OFPP_ALL, .OFPP_CONTROLLER = KEN_OFPP_CONTROLLER, \
        .OFPP_LOCAL = KEN_OFPP_LOCAL, .OFPP_ANY = KEN_OFPP_ANY, .OFPMP_DESC = 0, .OFPMP_FLOW = 1, \
        .OFPMP_PORT_STATS = 4, .OFPMP_PORT_DESC = port_desc, \
    }

static const struct ken_ofproto ofproto12 = OFPROTO_12_PLUS(3, "1.2", NONE, NONE, NONE, NONE, NONE, NONE, 0xffff);
static const struct ken_ofproto ofproto13 = OFPROTO_12_PLUS(4, "1.3", NONE, NONE, NONE, NONE, NONE, NONE, 13);
static const struct ken_ofproto ofproto14 = OFPROTO_12_PLUS(5, "1.4", 30, 31, 32, 33, 34, NONE, 13);
static const struct ken_ofproto ofproto15 = OFPROTO_12_PLUS(6, "1.5", 30, 31, 32, 33, 34, 35, 13);

const struct ken_ofproto *ken_ofproto_get(uint8_t version)
{
    switch (version) {
    case KEN_OFP10: return &ofproto10;
    case KEN_OFP12: return &ofproto12;
    case KEN_OFP13: return &ofproto13;
    case KEN_OFP14: return &ofproto14;
    case KEN_OFP15: return &ofproto15;
    default: return NULL;
    }
}
