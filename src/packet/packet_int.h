/* The packet library's internals: protocol numbers and sizes (from the
 * IEEE and IETF specifications), shared by parse, build, JSON and print. */
#ifndef KEN_PACKET_INT_H
#define KEN_PACKET_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ken/packet.h"

enum {
    ETH_P_8023_MAX = 1500, /* up to here the field is an 802.3 length */
    ETH_P_IPV4 = 0x0800,
    ETH_P_ARP = 0x0806,
    ETH_P_VLAN = 0x8100,
    ETH_P_IPV6 = 0x86dd,
    ETH_P_MPLS = 0x8847,
    ETH_P_SVLAN = 0x88a8,
    ETH_P_LLDP = 0x88cc,
    IPP_ICMP = 1,
    IPP_TCP = 6,
    IPP_UDP = 17,
    IPP_ICMPV6 = 58,
    IPP_SCTP = 132,
    IPV6_HOP_OPTS = 0,
    IPV6_ROUTING = 43,
    IPV6_FRAGMENT = 44,
    IPV6_AUTH = 51,
    IPV6_DST_OPTS = 60,
    ICMP_ECHO_REPLY = 0,
    ICMP_DEST_UNREACH = 3,
    ICMP_ECHO_REQUEST = 8,
    ICMP_TIME_EXCEEDED = 11,
    MLD_QUERY = 130,
    MLD_REPORT = 131,
    MLD_DONE = 132,
    MLDV2_REPORT = 143,
    ICMPV6_ECHO_REQUEST = 128,
    ICMPV6_ECHO_REPLY = 129,
    ND_ROUTER_SOLICIT = 133,
    ND_ROUTER_ADVERT = 134,
    ND_NEIGHBOR_SOLICIT = 135,
    ND_NEIGHBOR_ADVERT = 136,
    ND_OPT_SLA = 1,
    ND_OPT_TLA = 2,
    ND_OPT_PI = 3,
    ND_OPT_MTU = 5,
    LLDP_TLV_END = 0,
    LLDP_TLV_CHASSIS_ID = 1,
    LLDP_TLV_PORT_ID = 2,
    LLDP_TLV_TTL = 3,
    LLDP_TLV_PORT_DESC = 4,
    LLDP_TLV_SYS_NAME = 5,
    LLDP_TLV_SYS_DESC = 6,
    LLDP_TLV_SYS_CAP = 7,
    LLDP_TLV_MGMT_ADDR = 8,
    LLDP_TLV_ORG = 127,
};

enum {
    ETH_LEN = 14,
    ETH_MIN_PAYLOAD = 46,
    VLAN_LEN = 4,
    MPLS_LEN = 4,
    ARP_LEN = 28,
    IPV4_LEN = 20,
    IPV6_LEN = 40,
    ICMP_LEN = 4,
    TCP_LEN = 20,
    UDP_LEN = 8,
    SCTP_LEN = 12,
};

const struct ken_pkt_proto_ops *pkt_user_ops(uint16_t id);
const struct ken_pkt_proto_ops *pkt_user_by_name(const char *name, uint16_t *id);
uint8_t pkt_proto_by_name(const char *name);
size_t pkt_ipv6_ext_len(uint8_t t, const uint8_t *p, size_t n);
bool pkt_ipv6_is_ext(uint8_t t);
bool pkt_all_zero(const uint8_t *p, size_t n);
int pkt_nd_options_check(const uint8_t *p, size_t n);
int pkt_mld_check(uint8_t type, const uint8_t *p, size_t n);
int pkt_icmp_body_check(uint8_t proto, uint8_t type, const uint8_t *p, size_t n);
int pkt_sctp_chunks_check(const uint8_t *p, size_t n);
int pkt_lldp_tlvs_check(const uint8_t *p, size_t n, size_t *used);

/* A one-line reason in why (KEN_PKT_WHY_LEN), returning err. */
int pkt_fail(char *why, int err, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
/* OS-Ken's names of the SCTP error causes, by cause code (1 to 13). */
extern const char *const pkt_sctp_causes[14];
#define N_CAUSES 14u

/* Builds layers into out; a KEN_PKT_USER layer is built by user(ctx, i,
 * payload, hdr) when given. */
typedef int (*pkt_user_build_fn)(void *ctx, size_t i, struct ken_buf *payload, struct ken_buf *hdr);
int pkt_build_layers(struct ken_buf *out, const struct ken_pkt_layer *layers, size_t n, pkt_user_build_fn user,
                     void *ctx);

#endif
