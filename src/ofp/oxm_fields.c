/* The one table of OXM and OXS fields: every field OS-Ken 2.5 knows, with
 * its wire identity, value size and JSON format per OpenFlow version. It
 * drives decoding, encoding, and the name and header lookups. */
#include <string.h>

#include "ofp/oxm.h"

#define V(v) (1u << (v))
#define V12_15 (V(3) | V(4) | V(5) | V(6))
#define V13_15 (V(4) | V(5) | V(6))
#define V14_15 (V(5) | V(6))
#define V12_14 (V(3) | V(4) | V(5))
#define V12_13 (V(3) | V(4))
/* NXM fields exist wherever OS-Ken has NX actions: 1.0 and 1.2-1.5. */
#define VNX (V(1) | V12_15)

#define ROW(n, c, f, sz, fmt, vm, fam, et, x) {n, c, f, sz, fmt, vm, fam, et, x}
#define BASIC(n, f, sz, fmt, vm) ROW(n, OXM_CLASS_BASIC, f, sz, fmt, vm, OXM_FAM_MATCH, 0, 0)
#define XREG(n, f) ROW(n, OXM_CLASS_PACKET_REGS, f, 8, OXF_INT, V13_15, OXM_FAM_MATCH, 0, 0)
#define ONF(n, f, sz, vm) ROW(n, OXM_CLASS_EXPERIMENTER, f, sz, OXF_INT, vm, OXM_FAM_MATCH, 0, OXM_EXP_ONF)
#define NXM0(n, f, sz, fmt) ROW(n, OXM_CLASS_NXM0, f, sz, fmt, VNX, OXM_FAM_MATCH, 0, 0)
#define NXM1(n, f, sz, fmt) ROW(n, OXM_CLASS_NXM1, f, sz, fmt, VNX, OXM_FAM_MATCH, 0, 0)
#define NXEXP(n, x, f, sz) ROW(n, OXM_CLASS_EXPERIMENTER, f, sz, OXF_INT, VNX, OXM_FAM_MATCH, 0, x)
#define OXS(n, f, sz, fmt) ROW(n, OXS_CLASS_BASIC, f, sz, fmt, V(6), OXM_FAM_STAT, 0, 0)

static const struct oxm_def oxm_defs[] = {
    /* OpenFlow basic */
    BASIC("in_port", 0, 4, OXF_INT, V12_15),
    BASIC("in_phy_port", 1, 4, OXF_INT, V12_15),
    BASIC("metadata", 2, 8, OXF_INT, V12_15),
    BASIC("eth_dst", 3, 6, OXF_MAC, V12_15),
    BASIC("eth_src", 4, 6, OXF_MAC, V12_15),
    BASIC("eth_type", 5, 2, OXF_INT, V12_15),
    BASIC("vlan_vid", 6, 2, OXF_INT, V12_15),
    BASIC("vlan_pcp", 7, 1, OXF_INT, V12_15),
    BASIC("ip_dscp", 8, 1, OXF_INT, V12_15),
    BASIC("ip_ecn", 9, 1, OXF_INT, V12_15),
    BASIC("ip_proto", 10, 1, OXF_INT, V12_15),
    BASIC("ipv4_src", 11, 4, OXF_IPV4, V12_15),
    BASIC("ipv4_dst", 12, 4, OXF_IPV4, V12_15),
    BASIC("tcp_src", 13, 2, OXF_INT, V12_15),
    BASIC("tcp_dst", 14, 2, OXF_INT, V12_15),
    BASIC("udp_src", 15, 2, OXF_INT, V12_15),
    BASIC("udp_dst", 16, 2, OXF_INT, V12_15),
    BASIC("sctp_src", 17, 2, OXF_INT, V12_15),
    BASIC("sctp_dst", 18, 2, OXF_INT, V12_15),
    BASIC("icmpv4_type", 19, 1, OXF_INT, V12_15),
    BASIC("icmpv4_code", 20, 1, OXF_INT, V12_15),
    BASIC("arp_op", 21, 2, OXF_INT, V12_15),
    BASIC("arp_spa", 22, 4, OXF_IPV4, V12_15),
    BASIC("arp_tpa", 23, 4, OXF_IPV4, V12_15),
    BASIC("arp_sha", 24, 6, OXF_MAC, V12_15),
    BASIC("arp_tha", 25, 6, OXF_MAC, V12_15),
    BASIC("ipv6_src", 26, 16, OXF_IPV6, V12_15),
    BASIC("ipv6_dst", 27, 16, OXF_IPV6, V12_15),
    BASIC("ipv6_flabel", 28, 4, OXF_INT, V12_15),
    BASIC("icmpv6_type", 29, 1, OXF_INT, V12_15),
    BASIC("icmpv6_code", 30, 1, OXF_INT, V12_15),
    BASIC("ipv6_nd_target", 31, 16, OXF_IPV6, V12_15),
    BASIC("ipv6_nd_sll", 32, 6, OXF_MAC, V12_15),
    BASIC("ipv6_nd_tll", 33, 6, OXF_MAC, V12_15),
    BASIC("mpls_label", 34, 4, OXF_INT, V12_15),
    BASIC("mpls_tc", 35, 1, OXF_INT, V12_15),
    BASIC("mpls_bos", 36, 1, OXF_INT, V13_15),
    BASIC("pbb_isid", 37, 3, OXF_INT, V13_15),
    BASIC("tunnel_id", 38, 8, OXF_INT, V13_15),
    BASIC("ipv6_exthdr", 39, 2, OXF_INT, V13_15),
    BASIC("pbb_uca", 41, 1, OXF_INT, V14_15),
    BASIC("tcp_flags", 42, 2, OXF_INT, V(6)),
    BASIC("actset_output", 43, 4, OXF_INT, V(6)),
    BASIC("packet_type", 44, 4, OXF_INT, V(6)),
    /* ONF extensions before they became basic fields (EXT-256, EXT-109, EXT-233) */
    ROW("pbb_uca", OXM_CLASS_EXPERIMENTER, 0, 1, OXF_INT, V12_13, OXM_FAM_MATCH, OXM_ONF_OLD_EXP_TYPE, OXM_EXP_ONF),
    ONF("tcp_flags", 42, 2, V12_14),
    ONF("actset_output", 43, 4, V12_14),
    /* packet registers */
    XREG("xreg0", 0), XREG("xreg1", 1), XREG("xreg2", 2), XREG("xreg3", 3),
    XREG("xreg4", 4), XREG("xreg5", 5), XREG("xreg6", 6), XREG("xreg7", 7),
    /* Nicira NXM_OF_ */
    NXM0("in_port_nxm", 0, 2, OXF_INT),
    NXM0("eth_dst_nxm", 1, 6, OXF_MAC),
    NXM0("eth_src_nxm", 2, 6, OXF_MAC),
    NXM0("eth_type_nxm", 3, 2, OXF_INT),
    NXM0("vlan_tci", 4, 2, OXF_INT),
    NXM0("nw_tos", 5, 1, OXF_INT),
    NXM0("ip_proto_nxm", 6, 1, OXF_INT),
    NXM0("ipv4_src_nxm", 7, 4, OXF_IPV4),
    NXM0("ipv4_dst_nxm", 8, 4, OXF_IPV4),
    NXM0("tcp_src_nxm", 9, 2, OXF_INT),
    NXM0("tcp_dst_nxm", 10, 2, OXF_INT),
    NXM0("udp_src_nxm", 11, 2, OXF_INT),
    NXM0("udp_dst_nxm", 12, 2, OXF_INT),
    NXM0("icmpv4_type_nxm", 13, 1, OXF_INT),
    NXM0("icmpv4_code_nxm", 14, 1, OXF_INT),
    NXM0("arp_op_nxm", 15, 2, OXF_INT),
    NXM0("arp_spa_nxm", 16, 4, OXF_IPV4),
    NXM0("arp_tpa_nxm", 17, 4, OXF_IPV4),
    /* Nicira NXM_NX_ */
    NXM1("reg0", 0, 4, OXF_INT), NXM1("reg1", 1, 4, OXF_INT), NXM1("reg2", 2, 4, OXF_INT),
    NXM1("reg3", 3, 4, OXF_INT), NXM1("reg4", 4, 4, OXF_INT), NXM1("reg5", 5, 4, OXF_INT),
    NXM1("reg6", 6, 4, OXF_INT), NXM1("reg7", 7, 4, OXF_INT), NXM1("reg8", 8, 4, OXF_INT),
    NXM1("reg9", 9, 4, OXF_INT), NXM1("reg10", 10, 4, OXF_INT), NXM1("reg11", 11, 4, OXF_INT),
    NXM1("reg12", 12, 4, OXF_INT), NXM1("reg13", 13, 4, OXF_INT), NXM1("reg14", 14, 4, OXF_INT),
    NXM1("reg15", 15, 4, OXF_INT),
    NXM1("tunnel_id_nxm", 16, 8, OXF_INT),
    NXM1("arp_sha_nxm", 17, 6, OXF_MAC),
    NXM1("arp_tha_nxm", 18, 6, OXF_MAC),
    NXM1("ipv6_src_nxm", 19, 16, OXF_IPV6),
    NXM1("ipv6_dst_nxm", 20, 16, OXF_IPV6),
    NXM1("icmpv6_type_nxm", 21, 1, OXF_INT),
    NXM1("icmpv6_code_nxm", 22, 1, OXF_INT),
    NXM1("nd_target", 23, 16, OXF_IPV6),
    NXM1("nd_sll", 24, 6, OXF_MAC),
    NXM1("nd_tll", 25, 6, OXF_MAC),
    NXM1("ip_frag", 26, 1, OXF_INT),
    NXM1("ipv6_label", 27, 4, OXF_INT),
    NXM1("ip_ecn_nxm", 28, 1, OXF_INT),
    NXM1("nw_ttl", 29, 1, OXF_INT),
    NXM1("mpls_ttl", 30, 1, OXF_INT),
    NXM1("tun_ipv4_src", 31, 4, OXF_IPV4),
    NXM1("tun_ipv4_dst", 32, 4, OXF_IPV4),
    NXM1("pkt_mark", 33, 4, OXF_INT),
    NXM1("tcp_flags_nxm", 34, 2, OXF_INT),
    NXM1("_recirc_id", 36, 4, OXF_INT),
    NXM1("conj_id", 37, 4, OXF_INT),
    NXM1("tun_gbp_id", 38, 2, OXF_INT),
    NXM1("tun_gbp_flags", 39, 1, OXF_INT),
    NXM1("tun_flags", 104, 2, OXF_INT),
    NXM1("ct_state", 105, 4, OXF_INT),
    NXM1("ct_zone", 106, 2, OXF_INT),
    NXM1("ct_mark", 107, 4, OXF_INT),
    NXM1("ct_label", 108, 16, OXF_INT),
    NXM1("tun_ipv6_src", 109, 16, OXF_IPV6),
    NXM1("tun_ipv6_dst", 110, 16, OXF_IPV6),
    NXM1("xxreg0", 111, 16, OXF_INT),
    NXM1("xxreg1", 112, 16, OXF_INT),
    NXM1("xxreg2", 113, 16, OXF_INT),
    NXM1("xxreg3", 114, 16, OXF_INT),
    /* Nicira experimenter (64-bit headers) */
    NXEXP("_dp_hash", OXM_EXP_NX, 0, 4),
    NXEXP("nsh_flags", OXM_EXP_NX_NSH, 1, 1),
    NXEXP("nsh_mdtype", OXM_EXP_NX_NSH, 2, 1),
    NXEXP("nsh_np", OXM_EXP_NX_NSH, 3, 1),
    NXEXP("nsh_spi", OXM_EXP_NX_NSH, 4, 4),
    NXEXP("nsh_si", OXM_EXP_NX_NSH, 5, 1),
    NXEXP("nsh_c1", OXM_EXP_NX_NSH, 6, 4),
    NXEXP("nsh_c2", OXM_EXP_NX_NSH, 7, 4),
    NXEXP("nsh_c3", OXM_EXP_NX_NSH, 8, 4),
    NXEXP("nsh_c4", OXM_EXP_NX_NSH, 9, 4),
    NXEXP("nsh_ttl", OXM_EXP_NX_NSH, 10, 1),
    /* OXS (1.5 flow statistics) */
    OXS("duration", 0, 8, OXF_PAIR),
    OXS("idle_time", 1, 8, OXF_PAIR),
    OXS("flow_count", 3, 4, OXF_INT),
    OXS("packet_count", 4, 8, OXF_INT),
    OXS("byte_count", 5, 8, OXF_INT),
};

#define N_DEFS (sizeof oxm_defs / sizeof oxm_defs[0])

static bool def_in(const struct oxm_def *def, uint8_t family, uint8_t version)
{
    return def->family == family && version < 8 && (def->vmask & V(version));
}

const struct oxm_def *oxm_def_by_name(uint8_t family, uint8_t version, const char *name)
{
    for (size_t i = 0; i < N_DEFS; i++)
        if (def_in(&oxm_defs[i], family, version) && !strcmp(oxm_defs[i].name, name))
            return &oxm_defs[i];
    return NULL;
}

const struct oxm_def *oxm_def_by_wire(uint8_t family, uint8_t version, uint16_t cls, uint8_t field, uint32_t exp,
                                      uint16_t exp_type)
{
    for (size_t i = 0; i < N_DEFS; i++) {
        const struct oxm_def *def = &oxm_defs[i];
        if (def->cls != cls || def->field != field || !def_in(def, family, version))
            continue;
        if (cls == OXM_CLASS_EXPERIMENTER && (def->exp != exp || def->exp_type != exp_type))
            continue;
        return def;
    }
    return NULL;
}
