/* OpenFlow constants. The KEN_OFP* names below hold for every version ken
 * speaks (ports are the 32-bit 1.1+ values; ken maps them for 1.0). What
 * differs between versions (message type numbers above all) lives in
 * struct ken_ofproto: ken_datapath_ofproto(dp), like OS-Ken's datapath.ofproto. */
#ifndef KEN_OFP_CONSTS_H
#define KEN_OFP_CONSTS_H

#include <stdint.h>

/* Reserved ports (32-bit form; 1.0 uses 0xff00 | low byte). Macros, so
 * that apps have them as constants; the build checks each against
 * src/ofp/spec/openflow.def. */
#define KEN_OFPP_MAX 0xffffff00u
#define KEN_OFPP_IN_PORT 0xfffffff8u
#define KEN_OFPP_TABLE 0xfffffff9u
#define KEN_OFPP_NORMAL 0xfffffffau
#define KEN_OFPP_FLOOD 0xfffffffbu
#define KEN_OFPP_ALL 0xfffffffcu
#define KEN_OFPP_CONTROLLER 0xfffffffdu
#define KEN_OFPP_LOCAL 0xfffffffeu
#define KEN_OFPP_ANY 0xffffffffu /* 1.0: OFPP_NONE */

#define KEN_OFPG_ANY 0xffffffffu
#define KEN_OFP_NO_BUFFER 0xffffffffu
#define KEN_OFPCML_NO_BUFFER 0xffff
#define KEN_OFPCML_MAX 0xffe5

/* Flow-mod commands. */
enum { KEN_OFPFC_ADD, KEN_OFPFC_MODIFY, KEN_OFPFC_MODIFY_STRICT, KEN_OFPFC_DELETE, KEN_OFPFC_DELETE_STRICT };
/* Flow-mod flags (1.3 values; 1.0 has SEND_FLOW_REM, CHECK_OVERLAP, EMERG). */
enum { KEN_OFPFF_SEND_FLOW_REM = 1, KEN_OFPFF_CHECK_OVERLAP = 2 };
/* Port-status reasons. */
enum { KEN_OFPPR_ADD, KEN_OFPPR_DELETE, KEN_OFPPR_MODIFY };
/* Packet-in reasons (1.3 names). */
enum { KEN_OFPR_NO_MATCH, KEN_OFPR_ACTION, KEN_OFPR_INVALID_TTL };
/* Port state and config bits used by apps (same value in every version). */
#define KEN_OFPPC_PORT_DOWN 1u
#define KEN_OFPPS_LINK_DOWN 1u
/* Multipart flags. */
#define KEN_OFPMPF_REPLY_MORE 1u
/* A 1.5 stat-trigger instruction's flags. */
enum { KEN_OFPSTF_PERIODIC = 1, KEN_OFPSTF_ONLY_FIRST = 2 };
/* Controller roles. */
enum { KEN_OFPCR_ROLE_NOCHANGE, KEN_OFPCR_ROLE_EQUAL, KEN_OFPCR_ROLE_MASTER, KEN_OFPCR_ROLE_SLAVE };

#define KEN_ETH_TYPE_IP 0x0800
#define KEN_ETH_TYPE_ARP 0x0806
#define KEN_ETH_TYPE_VLAN 0x8100
#define KEN_ETH_TYPE_IPV6 0x86dd
#define KEN_ETH_TYPE_LLDP 0x88cc

/* Message type numbers of one version; 0xff where the version has no such
 * message. Names follow the 1.3 spec (STATS = MULTIPART). The tables are
 * generated from src/ofp/spec/openflow.def, which must give every member
 * here a number (the build fails otherwise); a new member is a name there. */
struct ken_ofproto {
    uint8_t version;
    const char *name;  /* "1.3" */
    uint8_t OFPT_HELLO, OFPT_ERROR, OFPT_ECHO_REQUEST, OFPT_ECHO_REPLY, OFPT_EXPERIMENTER;
    uint8_t OFPT_FEATURES_REQUEST, OFPT_FEATURES_REPLY, OFPT_GET_CONFIG_REQUEST, OFPT_GET_CONFIG_REPLY;
    uint8_t OFPT_SET_CONFIG, OFPT_PACKET_IN, OFPT_FLOW_REMOVED, OFPT_PORT_STATUS, OFPT_PACKET_OUT;
    uint8_t OFPT_FLOW_MOD, OFPT_GROUP_MOD, OFPT_PORT_MOD, OFPT_TABLE_MOD;
    uint8_t OFPT_MULTIPART_REQUEST, OFPT_MULTIPART_REPLY, OFPT_BARRIER_REQUEST, OFPT_BARRIER_REPLY;
    uint8_t OFPT_QUEUE_GET_CONFIG_REQUEST, OFPT_QUEUE_GET_CONFIG_REPLY, OFPT_ROLE_REQUEST, OFPT_ROLE_REPLY;
    uint8_t OFPT_GET_ASYNC_REQUEST, OFPT_GET_ASYNC_REPLY, OFPT_SET_ASYNC, OFPT_METER_MOD;
    uint8_t OFPT_ROLE_STATUS, OFPT_TABLE_STATUS, OFPT_REQUESTFORWARD, OFPT_BUNDLE_CONTROL, OFPT_BUNDLE_ADD_MESSAGE;
    uint8_t OFPT_CONTROLLER_STATUS;
    /* Port numbers in this version's width. */
    uint32_t OFPP_MAX, OFPP_IN_PORT, OFPP_FLOOD, OFPP_ALL, OFPP_CONTROLLER, OFPP_LOCAL, OFPP_ANY;
    uint16_t OFPMP_DESC, OFPMP_FLOW, OFPMP_PORT_STATS, OFPMP_PORT_DESC; /* 0xffff: none */
};

/* NULL for a version ken does not speak. */
const struct ken_ofproto *ken_ofproto_get(uint8_t version);
/* 32-bit port <-> this version's wire port (1.0 ports are 16-bit, its
 * reserved ports 0xff00 and up). */
static inline uint32_t ken_port_to_wire(uint8_t version, uint32_t port)
{
    if (version != 1)
        return port;
    return port >= KEN_OFPP_MAX ? (0xff00u | (port & 0xff)) : (port & 0xffff);
}
static inline uint32_t ken_port_from_wire(uint8_t version, uint32_t port)
{
    if (version != 1)
        return port;
    return port >= 0xff00 ? (0xffffff00u | (port & 0xff)) : port;
}

#endif
