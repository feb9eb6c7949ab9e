/* The packet library's parse and build (include/ken/packet.h). Packets are
 * not OpenFlow messages: their layouts live here, not in the OpenFlow
 * description. Every read is checked against the bytes left; what the
 * protocols allow and how layers follow one another is as in OS-Ken's
 * packet library, so its JSON and ken's agree. */
#include "packet/packet_int.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "ken/wire.h"

int pkt_fail(char *why, int err, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(why, KEN_PKT_WHY_LEN, fmt, ap);
    va_end(ap);
    return err;
}

const char *const pkt_sctp_causes[14] = {
    NULL, "cause_invalid_stream_id", "cause_missing_param", "cause_stale_cookie", "cause_out_of_resource",
    "cause_unresolvable_addr", "cause_unrecognized_chunk", "cause_invalid_param", "cause_unrecognized_param",
    "cause_no_userdata", "cause_cookie_while_shutdown", "cause_restart_with_new_addr", "cause_user_initiated_abort",
    "cause_protocol_violation"};

/* ---- the registry of added protocols ---- */

#define MAX_USER 32
static struct ken_pkt_proto_ops user_ops[MAX_USER + 1]; /* [0] unused: ids start at 1 */
static size_t n_user;

int ken_pkt_register(const struct ken_pkt_proto_ops *ops)
{
    if (!ops || !ops->name || !ops->parse || ops->kind == KEN_PKT_KEY_NONE)
        return -EINVAL;
    if (n_user == MAX_USER)
        return -ENOSPC;
    user_ops[++n_user] = *ops;
    return (int)n_user;
}

const struct ken_pkt_proto_ops *pkt_user_ops(uint16_t id)
{
    return id >= 1 && id <= n_user ? &user_ops[id] : NULL;
}

const struct ken_pkt_proto_ops *pkt_user_by_name(const char *name, uint16_t *id)
{
    for (size_t i = 1; i <= n_user; i++)
        if (!strcmp(user_ops[i].name, name)) {
            *id = (uint16_t)i;
            return &user_ops[i];
        }
    return NULL;
}

static uint16_t user_for(enum ken_pkt_key_kind kind, uint32_t key)
{
    for (size_t i = 1; i <= n_user; i++)
        if (user_ops[i].kind == kind && user_ops[i].key == key)
            return (uint16_t)i;
    return 0;
}

/* ---- what follows what ---- */

/* OS-Ken keeps one table for ethertypes and IP protocol numbers alike, so
 * an IPv4 header may carry ICMPv6 and an IPv6 one ICMP; so does ken. */
static uint8_t builtin_for(uint32_t key)
{
    switch (key) {
    case ETH_P_IPV4: return KEN_PKT_IPV4;
    case ETH_P_IPV6: return KEN_PKT_IPV6;
    case ETH_P_ARP: return KEN_PKT_ARP;
    case ETH_P_VLAN: return KEN_PKT_VLAN;
    case ETH_P_SVLAN: return KEN_PKT_SVLAN;
    case ETH_P_MPLS: return KEN_PKT_MPLS;
    case ETH_P_LLDP: return KEN_PKT_LLDP;
    case IPP_ICMP: return KEN_PKT_ICMP;
    case IPP_ICMPV6: return KEN_PKT_ICMPV6;
    case IPP_TCP: return KEN_PKT_TCP;
    case IPP_UDP: return KEN_PKT_UDP;
    case IPP_SCTP: return KEN_PKT_SCTP;
    default: return KEN_PKT_RAW;
    }
}

struct next {
    uint8_t proto; /* KEN_PKT_RAW: none */
    uint16_t user;
};

static struct next next_for(enum ken_pkt_key_kind kind, uint32_t key)
{
    struct next n = {KEN_PKT_RAW, user_for(kind, key)};
    if (kind == KEN_PKT_KEY_FRAME)
        n = (struct next){KEN_PKT_ETHERNET, 0};
    else if (n.user)
        n.proto = KEN_PKT_USER;
    else if (kind == KEN_PKT_KEY_ETHERTYPE && key <= ETH_P_8023_MAX)
        n.proto = KEN_PKT_RAW; /* a length: 802.3 LLC, which ken does not parse */
    else if (kind == KEN_PKT_KEY_ETHERTYPE || kind == KEN_PKT_KEY_IP_PROTO)
        n.proto = builtin_for(key);
    return n;
}

static struct next next_port(enum ken_pkt_key_kind kind, uint16_t src, uint16_t dst)
{
    struct next n = next_for(kind, dst);
    return n.user ? n : next_for(kind, src);
}

/* ---- parsers: each fills l from p (n bytes from the layer's start) ---- */

static bool all_zero(const uint8_t *p, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (p[i])
            return false;
    return true;
}

/* hdr_len and the payload, which is the rest unless a length says less. */
static void set_hdr(struct ken_pkt_layer *l, size_t hdr, size_t payload)
{
    l->hdr_len = (uint32_t)hdr;
    l->payload_off = l->off + (uint32_t)hdr;
    l->payload_len = (uint32_t)payload;
}

static int parse_eth(const uint8_t *p, size_t n, struct ken_pkt_layer *l, struct next *nx)
{
    if (n < ETH_LEN)
        return EBADMSG;
    memcpy(l->u.eth.dst, p, 6);
    memcpy(l->u.eth.src, p + 6, 6);
    l->u.eth.ethertype = wire_get16(p + 12);
    set_hdr(l, ETH_LEN, n - ETH_LEN);
    *nx = next_for(KEN_PKT_KEY_ETHERTYPE, l->u.eth.ethertype);
    return 0;
}

static int parse_vlan(const uint8_t *p, size_t n, struct ken_pkt_layer *l, struct next *nx)
{
    if (n < VLAN_LEN)
        return EBADMSG;
    uint16_t tci = wire_get16(p);
    l->u.vlan.pcp = (uint8_t)(tci >> 13);
    l->u.vlan.cfi = (uint8_t)(tci >> 12 & 1);
    l->u.vlan.vid = tci & 0xfff;
    l->u.vlan.ethertype = wire_get16(p + 2);
    set_hdr(l, VLAN_LEN, n - VLAN_LEN);
    *nx = next_for(KEN_PKT_KEY_ETHERTYPE, l->u.vlan.ethertype);
    if (l->proto == KEN_PKT_SVLAN && nx->proto == KEN_PKT_RAW && !nx->user && l->u.vlan.ethertype <= ETH_P_8023_MAX)
        *nx = next_for(KEN_PKT_KEY_IP_PROTO, l->u.vlan.ethertype); /* svlan looks small values up as they are */
    return 0;
}

static int parse_mpls(const uint8_t *p, size_t n, struct ken_pkt_layer *l, struct next *nx)
{
    if (n < MPLS_LEN)
        return EBADMSG;
    uint32_t v = wire_get32(p);
    l->u.mpls.label = v >> 12;
    l->u.mpls.exp = (uint8_t)(v >> 9 & 7);
    l->u.mpls.bsb = (uint8_t)(v >> 8 & 1);
    l->u.mpls.ttl = (uint8_t)v;
    set_hdr(l, MPLS_LEN, n - MPLS_LEN);
    /* no type field: the bottom of the stack is taken to be IPv4, as OS-Ken does */
    nx->proto = l->u.mpls.bsb ? KEN_PKT_IPV4 : KEN_PKT_MPLS;
    nx->user = 0;
    return 0;
}

static int parse_arp(const uint8_t *p, size_t n, struct ken_pkt_layer *l, struct next *nx)
{
    if (n < ARP_LEN)
        return EBADMSG;
    l->u.arp.hwtype = wire_get16(p);
    l->u.arp.proto = wire_get16(p + 2);
    l->u.arp.hlen = p[4];
    l->u.arp.plen = p[5];
    l->u.arp.opcode = wire_get16(p + 6);
    memcpy(l->u.arp.src_mac, p + 8, 6);
    memcpy(l->u.arp.src_ip, p + 14, 4);
    memcpy(l->u.arp.dst_mac, p + 18, 6);
    memcpy(l->u.arp.dst_ip, p + 24, 4);
    set_hdr(l, ARP_LEN, n - ARP_LEN);
    nx->proto = KEN_PKT_RAW;
    return 0;
}

static int parse_ipv4(const uint8_t *p, size_t n, struct ken_pkt_layer *l, struct next *nx)
{
    if (n < IPV4_LEN)
        return EBADMSG;
    l->u.ipv4.version = p[0] >> 4;
    l->u.ipv4.header_length = p[0] & 15;
    l->u.ipv4.tos = p[1];
    l->u.ipv4.total_length = wire_get16(p + 2);
    l->u.ipv4.identification = wire_get16(p + 4);
    l->u.ipv4.flags = (uint8_t)(p[6] >> 5);
    l->u.ipv4.offset = wire_get16(p + 6) & 0x1fff;
    l->u.ipv4.ttl = p[8];
    l->u.ipv4.proto = p[9];
    l->u.ipv4.csum = wire_get16(p + 10);
    memcpy(l->u.ipv4.src, p + 12, 4);
    memcpy(l->u.ipv4.dst, p + 16, 4);
    size_t hlen = l->u.ipv4.header_length * 4u, total = l->u.ipv4.total_length;
    /* the header must fit, and the total length must cover it and not run past the frame */
    if (hlen < IPV4_LEN || hlen > n || total < hlen || total > n)
        return EBADMSG;
    if (hlen > IPV4_LEN) {
        l->var = p + IPV4_LEN;
        l->var_len = hlen - IPV4_LEN;
    }
    set_hdr(l, hlen, total - hlen);
    *nx = next_for(KEN_PKT_KEY_IP_PROTO, l->u.ipv4.proto);
    return 0;
}

/* The length of the IPv6 extension header of type t at p (n bytes left),
 * or 0 if t is not one or it does not fit. */
size_t pkt_ipv6_ext_len(uint8_t t, const uint8_t *p, size_t n)
{
    size_t len;
    switch (t) {
    case IPV6_HOP_OPTS:
    case IPV6_DST_OPTS:
    case IPV6_ROUTING:
        len = n >= 2 ? (p[1] + 1u) * 8 : 0;
        break;
    case IPV6_FRAGMENT:
        len = 8;
        break;
    case IPV6_AUTH:
        len = n >= 2 ? (p[1] + 2u) * 4 : 0;
        break;
    default:
        return 0;
    }
    return len <= n ? len : 0;
}

bool pkt_all_zero(const uint8_t *p, size_t n)
{
    return all_zero(p, n);
}

bool pkt_ipv6_is_ext(uint8_t t)
{
    return t == IPV6_HOP_OPTS || t == IPV6_DST_OPTS || t == IPV6_ROUTING || t == IPV6_FRAGMENT || t == IPV6_AUTH;
}

static int parse_ipv6(const uint8_t *p, size_t n, struct ken_pkt_layer *l, struct next *nx)
{
    if (n < IPV6_LEN)
        return EBADMSG;
    uint32_t v = wire_get32(p);
    l->u.ipv6.version = (uint8_t)(v >> 28);
    l->u.ipv6.traffic_class = (uint8_t)(v >> 20);
    l->u.ipv6.flow_label = v & 0xfffff;
    l->u.ipv6.payload_length = wire_get16(p + 4);
    l->u.ipv6.nxt = p[6];
    l->u.ipv6.hop_limit = p[7];
    memcpy(l->u.ipv6.src, p + 8, 16);
    memcpy(l->u.ipv6.dst, p + 24, 16);
    size_t end = IPV6_LEN + (size_t)l->u.ipv6.payload_length;
    if (end > n)
        return EBADMSG; /* the payload length runs past the frame */
    size_t off = IPV6_LEN;
    uint8_t last = l->u.ipv6.nxt;
    while (pkt_ipv6_is_ext(last)) {
        size_t len = pkt_ipv6_ext_len(last, p + off, end - off);
        if (!len)
            return EBADMSG;
        last = p[off];
        off += len;
    }
    if (off > IPV6_LEN) {
        l->var = p + IPV6_LEN;
        l->var_len = off - IPV6_LEN;
    }
    /* OS-Ken hands on payload_length bytes from after the extension
     * headers (the length counts them too): bounded by the frame here */
    size_t pl = l->u.ipv6.payload_length;
    set_hdr(l, off, pl <= n - off ? pl : n - off);
    *nx = next_for(KEN_PKT_KEY_IP_PROTO, last);
    return 0;
}

/* ND options: type, length in units of 8 bytes (never 0), within n. */
int pkt_nd_options_check(const uint8_t *p, size_t n)
{
    for (size_t off = 0; off < n;) {
        if (n - off < 2 || !p[off + 1])
            return EBADMSG;
        off += p[off + 1] * 8u;
        if (off > n)
            return EBADMSG;
    }
    return 0;
}

/* MLD (RFC 2710) and MLDv2 (RFC 3810) bodies: a query longer than
 * MLDv1's is an MLDv2 query, whose sources must all be there; a report
 * holds the group records it counts, each with its sources and aux data. */
int pkt_mld_check(uint8_t type, const uint8_t *p, size_t n)
{
    if (type == MLDV2_REPORT) {
        if (n < 4)
            return EBADMSG;
        size_t off = 4, records = wire_get16(p + 2);
        for (size_t i = 0; i < records; i++) {
            if (n - off < 20)
                return EBADMSG;
            size_t len = 20 + wire_get16(p + off + 2) * 16u + p[off + 1] * 4u;
            if (len > n - off)
                return EBADMSG;
            off += len;
        }
        return 0;
    }
    if (n < 20 || (n > 20 && (n < 24 || 24 + wire_get16(p + 22) * 16u > n)))
        return EBADMSG;
    return 0;
}

/* An ICMP or ICMPv6 body (after type, code and checksum): the fixed part
 * of the types OS-Ken reads must be whole if any body is there (none at
 * all is fine: OS-Ken shows "data": ""), and ND options and MLD records
 * must fit. */
int pkt_icmp_body_check(uint8_t proto, uint8_t type, const uint8_t *p, size_t n)
{
    size_t need = 0;
    if (!n)
        return 0;
    if (proto == KEN_PKT_ICMP) {
        if (type == ICMP_ECHO_REPLY || type == ICMP_ECHO_REQUEST || type == ICMP_DEST_UNREACH ||
            type == ICMP_TIME_EXCEEDED)
            need = 4;
        return n < need ? EBADMSG : 0;
    }
    switch (type) {
    case ICMPV6_ECHO_REQUEST:
    case ICMPV6_ECHO_REPLY:
    case ND_ROUTER_SOLICIT:
        need = 4;
        break;
    case ND_NEIGHBOR_SOLICIT:
    case ND_NEIGHBOR_ADVERT:
        need = 20;
        break;
    case ND_ROUTER_ADVERT:
        need = 12;
        break;
    case MLD_QUERY:
    case MLD_REPORT:
    case MLD_DONE:
    case MLDV2_REPORT:
        return pkt_mld_check(type, p, n);
    }
    if (n < need)
        return EBADMSG;
    bool nd = type >= ND_ROUTER_SOLICIT && type <= ND_NEIGHBOR_ADVERT;
    return nd ? pkt_nd_options_check(p + need, n - need) : 0;
}

static int parse_icmp(const uint8_t *p, size_t n, struct ken_pkt_layer *l, struct next *nx)
{
    if (n < ICMP_LEN)
        return EBADMSG;
    l->u.icmp.type = p[0];
    l->u.icmp.code = p[1];
    l->u.icmp.csum = wire_get16(p + 2);
    l->var = p + ICMP_LEN;
    l->var_len = n - ICMP_LEN;
    if (pkt_icmp_body_check(l->proto, l->u.icmp.type, l->var, l->var_len))
        return EBADMSG;
    set_hdr(l, n, 0);
    nx->proto = KEN_PKT_RAW;
    return 0;
}

static int parse_tcp(const uint8_t *p, size_t n, struct ken_pkt_layer *l, struct next *nx)
{
    if (n < TCP_LEN)
        return EBADMSG;
    l->u.tcp.src_port = wire_get16(p);
    l->u.tcp.dst_port = wire_get16(p + 2);
    l->u.tcp.seq = wire_get32(p + 4);
    l->u.tcp.ack = wire_get32(p + 8);
    l->u.tcp.offset = p[12] >> 4;
    l->u.tcp.bits = p[13] & 0x3f; /* OS-Ken keeps the six classic flags */
    l->u.tcp.window_size = wire_get16(p + 14);
    l->u.tcp.csum = wire_get16(p + 16);
    l->u.tcp.urgent = wire_get16(p + 18);
    size_t hlen = l->u.tcp.offset * 4u;
    if (hlen < TCP_LEN || hlen > n)
        return EBADMSG;
    if (hlen > TCP_LEN) {
        l->var = p + TCP_LEN;
        l->var_len = hlen - TCP_LEN;
    }
    set_hdr(l, hlen, n - hlen);
    *nx = next_port(KEN_PKT_KEY_TCP_PORT, l->u.tcp.src_port, l->u.tcp.dst_port);
    return 0;
}

static int parse_udp(const uint8_t *p, size_t n, struct ken_pkt_layer *l, struct next *nx)
{
    if (n < UDP_LEN)
        return EBADMSG;
    l->u.udp.src_port = wire_get16(p);
    l->u.udp.dst_port = wire_get16(p + 2);
    l->u.udp.total_length = wire_get16(p + 4);
    l->u.udp.csum = wire_get16(p + 6);
    size_t total = l->u.udp.total_length;
    if (total < UDP_LEN || total > n)
        return EBADMSG;
    set_hdr(l, UDP_LEN, total - UDP_LEN);
    *nx = next_port(KEN_PKT_KEY_UDP_PORT, l->u.udp.src_port, l->u.udp.dst_port);
    return 0;
}

/* SCTP chunks: type, flags, length (at least 4). RFC 4960 pads each chunk
 * to 4 bytes; OS-Ken neither writes nor skips that padding, and ken reads
 * chunks as OS-Ken does so that their JSON agrees. */
int pkt_sctp_chunks_check(const uint8_t *p, size_t n)
{
    for (size_t off = 0; off < n;) {
        if (n - off < 4)
            return EBADMSG;
        size_t len = wire_get16(p + off + 2);
        if (len < 4 || len > n - off)
            return EBADMSG;
        off += len;
    }
    return 0;
}

static int parse_sctp(const uint8_t *p, size_t n, struct ken_pkt_layer *l, struct next *nx)
{
    if (n < SCTP_LEN)
        return EBADMSG;
    l->u.sctp.src_port = wire_get16(p);
    l->u.sctp.dst_port = wire_get16(p + 2);
    l->u.sctp.vtag = wire_get32(p + 4);
    l->u.sctp.csum = wire_get32(p + 8);
    l->var = p + SCTP_LEN;
    l->var_len = n - SCTP_LEN;
    if (pkt_sctp_chunks_check(l->var, l->var_len))
        return EBADMSG;
    set_hdr(l, n, 0);
    nx->proto = KEN_PKT_RAW;
    return 0;
}

/* LLDP: TLVs up to and with End; chassis id, port id and TTL first, each a
 * type OS-Ken knows, at least four (802.1AB's mandatory ones). */
int pkt_lldp_tlvs_check(const uint8_t *p, size_t n, size_t *used)
{
    size_t off = 0, count = 0;
    for (;;) {
        if (n - off < 2)
            return EBADMSG;
        uint16_t tl = wire_get16(p + off);
        unsigned type = tl >> 9, len = tl & 0x1ff;
        if (len > n - off - 2)
            return EBADMSG;
        bool known = type <= LLDP_TLV_MGMT_ADDR || type == LLDP_TLV_ORG;
        if (!known || (count < 3 && type != count + 1))
            return EBADMSG;
        /* the fixed parts the typed TLVs read */
        static const uint8_t min_len[] = {0, 1, 1, 2, 0, 0, 0, 4, 9};
        if ((type < sizeof min_len && len < min_len[type]) || (type == LLDP_TLV_ORG && len < 4))
            return EBADMSG;
        if (type == LLDP_TLV_TTL && len != 2)
            return EBADMSG;
        if (type == LLDP_TLV_MGMT_ADDR) {
            const uint8_t *v = p + off + 2;
            size_t alen = v[0]; /* subtype and address */
            if (alen < 1 || 1 + alen + 5 + 1 > len || 1 + alen + 6 + v[1 + alen + 5] > len)
                return EBADMSG;
        }
        off += 2 + len;
        count++;
        if (type == LLDP_TLV_END)
            break;
        if (off == n)
            return EBADMSG; /* no End */
    }
    if (count < 4)
        return EBADMSG;
    *used = off;
    return 0;
}

static int parse_lldp(const uint8_t *p, size_t n, struct ken_pkt_layer *l, struct next *nx)
{
    size_t used;
    if (pkt_lldp_tlvs_check(p, n, &used))
        return EBADMSG;
    l->var = p;
    l->var_len = used;
    set_hdr(l, used, n - used);
    nx->proto = KEN_PKT_RAW;
    return 0;
}

static int parse_user(const uint8_t *p, size_t n, struct ken_pkt_layer *l, struct next *nx)
{
    const struct ken_pkt_proto_ops *ops = pkt_user_ops(l->user);
    enum ken_pkt_key_kind kind = KEN_PKT_KEY_NONE;
    uint32_t key = 0;
    l->hdr_len = 0;
    l->payload_len = UINT32_MAX;
    if (!ops || ops->parse(p, n, l, &kind, &key) || l->hdr_len > n)
        return EBADMSG;
    size_t payload = l->payload_len == UINT32_MAX ? n - l->hdr_len : l->payload_len;
    if (payload > n - l->hdr_len)
        return EBADMSG;
    set_hdr(l, l->hdr_len, payload);
    *nx = kind == KEN_PKT_KEY_NONE ? (struct next){KEN_PKT_RAW, 0} : next_for(kind, key);
    return 0;
}

typedef int (*parse_fn)(const uint8_t *p, size_t n, struct ken_pkt_layer *l, struct next *nx);
static const parse_fn parsers[KEN_PKT_N_PROTOS] = {
    [KEN_PKT_ETHERNET] = parse_eth, [KEN_PKT_VLAN] = parse_vlan,   [KEN_PKT_SVLAN] = parse_vlan,
    [KEN_PKT_MPLS] = parse_mpls,    [KEN_PKT_ARP] = parse_arp,     [KEN_PKT_IPV4] = parse_ipv4,
    [KEN_PKT_IPV6] = parse_ipv6,    [KEN_PKT_ICMP] = parse_icmp,   [KEN_PKT_ICMPV6] = parse_icmp,
    [KEN_PKT_TCP] = parse_tcp,      [KEN_PKT_UDP] = parse_udp,     [KEN_PKT_SCTP] = parse_sctp,
    [KEN_PKT_LLDP] = parse_lldp,    [KEN_PKT_USER] = parse_user,
};

int ken_pkt_parse(const uint8_t *frame, size_t len, struct ken_pkt *p)
{
    if (!frame) /* an empty frame may come as NULL: no arithmetic on it */
        frame = (const uint8_t *)"";
    p->frame = frame;
    p->len = len;
    p->n = 0;
    p->bad_off = 0;
    struct next nx = {KEN_PKT_ETHERNET, 0};
    size_t off = 0, end = len;
    while (nx.proto != KEN_PKT_RAW) {
        /* OS-Ken stops where only zeros are left: padding, not a header */
        if (all_zero(frame + off, end - off))
            break;
        if (p->n == KEN_PKT_MAX_LAYERS - 1) /* room for the raw rest */
            return ENOSPC;
        struct ken_pkt_layer *l = &p->l[p->n];
        /* the common fields only: each parser sets all of its union member
         * (zeroing the whole layer cost more than the parse) */
        l->proto = nx.proto;
        l->user = nx.user;
        l->off = (uint32_t)off;
        l->hdr_len = l->payload_off = l->payload_len = 0;
        l->var = NULL;
        l->var_len = 0;
        if (nx.proto == KEN_PKT_USER)
            memset(&l->u, 0, sizeof l->u);
        if (parsers[nx.proto](frame + off, end - off, l, &nx)) {
            p->bad_off = (uint32_t)off;
            return EBADMSG;
        }
        p->n++;
        off = l->payload_off;
        end = off + l->payload_len;
    }
    if (off < end) { /* the rest as bytes; all zero, it is padding, which OS-Ken's JSON leaves out */
        struct ken_pkt_layer *l = &p->l[p->n++];
        l->proto = KEN_PKT_RAW; /* no fields of its own */
        l->user = 0;
        l->off = (uint32_t)off;
        l->hdr_len = (uint32_t)(end - off);
        l->payload_off = (uint32_t)end;
        l->payload_len = 0;
        l->var = frame + off; /* so that ken_pkt_build copies them back */
        l->var_len = end - off;
    }
    return 0;
}

const struct ken_pkt_layer *ken_pkt_find(const struct ken_pkt *p, enum ken_pkt_proto proto)
{
    for (size_t i = 0; i < p->n; i++)
        if (p->l[i].proto == proto)
            return &p->l[i];
    return NULL;
}

static const char *const names[KEN_PKT_N_PROTOS] = {
    [KEN_PKT_RAW] = "raw",   [KEN_PKT_ETHERNET] = "ethernet", [KEN_PKT_VLAN] = "vlan", [KEN_PKT_SVLAN] = "svlan",
    [KEN_PKT_MPLS] = "mpls", [KEN_PKT_ARP] = "arp",           [KEN_PKT_IPV4] = "ipv4", [KEN_PKT_IPV6] = "ipv6",
    [KEN_PKT_ICMP] = "icmp", [KEN_PKT_ICMPV6] = "icmpv6",     [KEN_PKT_TCP] = "tcp",   [KEN_PKT_UDP] = "udp",
    [KEN_PKT_SCTP] = "sctp", [KEN_PKT_LLDP] = "lldp",         [KEN_PKT_USER] = "user",
};

const char *ken_pkt_proto_name(const struct ken_pkt_layer *l)
{
    if (l->proto == KEN_PKT_USER) {
        const struct ken_pkt_proto_ops *ops = pkt_user_ops(l->user);
        return ops ? ops->name : "user";
    }
    return l->proto < KEN_PKT_N_PROTOS ? names[l->proto] : "?";
}

uint8_t pkt_proto_by_name(const char *name)
{
    for (uint8_t i = KEN_PKT_ETHERNET; i < KEN_PKT_USER; i++)
        if (!strcmp(names[i], name))
            return i;
    return KEN_PKT_RAW;
}

/* ---- checksums ---- */

static uint32_t sum16(uint32_t acc, const uint8_t *p, size_t n)
{
    for (size_t i = 0; i + 1 < n; i += 2)
        acc += wire_get16(p + i);
    if (n % 2)
        acc += (uint32_t)p[n - 1] << 8;
    return acc;
}

static uint16_t sum_fold(uint32_t acc)
{
    while (acc >> 16)
        acc = (acc & 0xffff) + (acc >> 16);
    return (uint16_t)~acc;
}

uint16_t ken_pkt_inet_csum(const uint8_t *p, size_t n)
{
    return sum_fold(sum16(0, p, n));
}

uint32_t ken_pkt_crc32c(const uint8_t *p, size_t n)
{
    uint32_t crc = 0xffffffffu;
    for (size_t i = 0; i < n; i++) {
        crc ^= p[i];
        for (int k = 0; k < 8; k++)
            crc = crc >> 1 ^ (0x82f63b78u & (0u - (crc & 1))); /* the Castagnoli polynomial, reflected */
    }
    crc = ~crc;
    /* the wire carries the CRC's bytes least significant first (RFC 3309) */
    return __builtin_bswap32(crc);
}

/* The transport checksum of hdr then payload over the pseudo-header of
 * the IP layer before it. OS-Ken takes the protocol from IPv4's proto and
 * IPv6's nxt (even when extension headers come between): so does ken. */
static int csum_ip(const struct ken_pkt_layer *prev, size_t length, const uint8_t *hdr, size_t hlen,
                   const uint8_t *payload, size_t plen, uint16_t *out)
{
    uint8_t pseudo[40];
    size_t n;
    if (!prev || (prev->proto != KEN_PKT_IPV4 && prev->proto != KEN_PKT_IPV6))
        return EBADMSG;
    if (prev->proto == KEN_PKT_IPV4) {
        memcpy(pseudo, prev->u.ipv4.src, 4);
        memcpy(pseudo + 4, prev->u.ipv4.dst, 4);
        pseudo[8] = 0;
        pseudo[9] = prev->u.ipv4.proto;
        wire_put16(pseudo + 10, (uint16_t)length);
        n = 12;
    } else {
        memcpy(pseudo, prev->u.ipv6.src, 16);
        memcpy(pseudo + 16, prev->u.ipv6.dst, 16);
        wire_put32(pseudo + 32, (uint32_t)length);
        memset(pseudo + 36, 0, 3);
        pseudo[39] = prev->u.ipv6.nxt;
        n = 40;
    }
    uint32_t acc = sum16(0, pseudo, n);
    if (hlen % 2) { /* sum the two as one run of bytes */
        uint8_t tmp[2] = {hdr[hlen - 1], plen ? payload[0] : 0};
        acc = sum16(sum16(acc, hdr, hlen - 1), tmp, 2);
        if (plen)
            acc = sum16(acc, payload + 1, plen - 1);
    } else {
        acc = sum16(sum16(acc, hdr, hlen), payload, plen);
    }
    *out = sum_fold(acc);
    return 0;
}

/* ---- build ---- */

void ken_pkt_layer_init(struct ken_pkt_layer *l, enum ken_pkt_proto proto)
{
    memset(l, 0, sizeof *l);
    l->proto = (uint8_t)proto;
    switch (proto) {
    case KEN_PKT_ETHERNET:
        memset(l->u.eth.dst, 0xff, 6);
        l->u.eth.ethertype = ETH_P_IPV4;
        break;
    case KEN_PKT_VLAN:
        l->u.vlan.ethertype = ETH_P_IPV4;
        break;
    case KEN_PKT_SVLAN:
        l->u.vlan.ethertype = ETH_P_VLAN;
        break;
    case KEN_PKT_MPLS:
        l->u.mpls.bsb = 1;
        l->u.mpls.ttl = 255;
        break;
    case KEN_PKT_ARP:
        l->u.arp.hwtype = 1;
        l->u.arp.proto = ETH_P_IPV4;
        l->u.arp.hlen = 6;
        l->u.arp.plen = 4;
        l->u.arp.opcode = 1;
        memset(l->u.arp.src_mac, 0xff, 6);
        memset(l->u.arp.dst_mac, 0xff, 6);
        break;
    case KEN_PKT_IPV4: {
        static const uint8_t src[4] = {10, 0, 0, 1}, dst[4] = {10, 0, 0, 2};
        l->u.ipv4.version = 4;
        l->u.ipv4.header_length = 5;
        l->u.ipv4.ttl = 255;
        memcpy(l->u.ipv4.src, src, 4);
        memcpy(l->u.ipv4.dst, dst, 4);
        break;
    }
    case KEN_PKT_IPV6:
        l->u.ipv6.version = 6;
        l->u.ipv6.nxt = IPP_TCP;
        l->u.ipv6.hop_limit = 255;
        l->u.ipv6.src[0] = 0x00, l->u.ipv6.src[1] = 0x10, l->u.ipv6.src[15] = 0x10; /* 10::10 */
        l->u.ipv6.dst[0] = 0x00, l->u.ipv6.dst[1] = 0x20, l->u.ipv6.dst[15] = 0x20; /* 20::20 */
        break;
    case KEN_PKT_ICMP:
        l->u.icmp.type = ICMP_ECHO_REQUEST;
        break;
    case KEN_PKT_TCP:
    case KEN_PKT_UDP:
        l->u.tcp.src_port = 1;
        l->u.tcp.dst_port = 1;
        if (proto == KEN_PKT_UDP) {
            l->u.udp.src_port = 1;
            l->u.udp.dst_port = 1;
        }
        break;
    case KEN_PKT_SCTP:
        l->u.sctp.src_port = 1;
        l->u.sctp.dst_port = 1;
        break;
    default:
        break;
    }
}

/* Appends layer l's header to h, given its payload (what follows, built). */
static int build_layer(struct ken_buf *h, const struct ken_pkt_layer *l, struct ken_buf *payload,
                       const struct ken_pkt_layer *prev)
{
    size_t at = h->len;
    uint8_t *p;
    switch (l->proto) {
    case KEN_PKT_RAW:
        ken_buf_put(h, l->var, l->var_len);
        return 0;
    case KEN_PKT_ETHERNET:
        if (payload->len < ETH_MIN_PAYLOAD) /* Ethernet's minimum frame */
            ken_buf_put_zeros(payload, ETH_MIN_PAYLOAD - payload->len);
        p = ken_buf_put_uninit(h, ETH_LEN);
        memcpy(p, l->u.eth.dst, 6);
        memcpy(p + 6, l->u.eth.src, 6);
        wire_put16(p + 12, l->u.eth.ethertype);
        return 0;
    case KEN_PKT_VLAN:
    case KEN_PKT_SVLAN:
        ken_buf_put16(h, (uint16_t)((l->u.vlan.pcp & 7) << 13 | (l->u.vlan.cfi & 1) << 12 | (l->u.vlan.vid & 0xfff)));
        ken_buf_put16(h, l->u.vlan.ethertype);
        return 0;
    case KEN_PKT_MPLS:
        ken_buf_put32(h, (l->u.mpls.label & 0xfffff) << 12 | (l->u.mpls.exp & 7u) << 9 | (l->u.mpls.bsb & 1u) << 8 |
                             l->u.mpls.ttl);
        return 0;
    case KEN_PKT_ARP:
        p = ken_buf_put_uninit(h, ARP_LEN);
        wire_put16(p, l->u.arp.hwtype);
        wire_put16(p + 2, l->u.arp.proto);
        p[4] = l->u.arp.hlen;
        p[5] = l->u.arp.plen;
        wire_put16(p + 6, l->u.arp.opcode);
        memcpy(p + 8, l->u.arp.src_mac, 6);
        memcpy(p + 14, l->u.arp.src_ip, 4);
        memcpy(p + 18, l->u.arp.dst_mac, 6);
        memcpy(p + 24, l->u.arp.dst_ip, 4);
        return 0;
    case KEN_PKT_IPV4: {
        size_t hlen = (l->u.ipv4.header_length & 15) * 4u;
        if (hlen < IPV4_LEN + l->var_len)
            return EINVAL; /* the options do not fit the header length */
        p = ken_buf_put_zeros(h, hlen);
        p[0] = (uint8_t)(l->u.ipv4.version << 4 | (l->u.ipv4.header_length & 15));
        p[1] = l->u.ipv4.tos;
        wire_put16(p + 2, l->u.ipv4.total_length ? l->u.ipv4.total_length : (uint16_t)(hlen + payload->len));
        wire_put16(p + 4, l->u.ipv4.identification);
        wire_put16(p + 6, (uint16_t)((l->u.ipv4.flags & 7) << 13 | (l->u.ipv4.offset & 0x1fff)));
        p[8] = l->u.ipv4.ttl;
        p[9] = l->u.ipv4.proto;
        memcpy(p + 12, l->u.ipv4.src, 4);
        memcpy(p + 16, l->u.ipv4.dst, 4);
        if (l->var_len)
            memcpy(p + IPV4_LEN, l->var, l->var_len);
        /* OS-Ken computes the header checksum whatever csum says */
        wire_put16(p + 10, ken_pkt_inet_csum(p, hlen));
        return 0;
    }
    case KEN_PKT_IPV6:
        p = ken_buf_put_uninit(h, IPV6_LEN);
        wire_put32(p, (uint32_t)(l->u.ipv6.version & 15) << 28 | (uint32_t)l->u.ipv6.traffic_class << 20 |
                          (l->u.ipv6.flow_label & 0xfffff));
        wire_put16(p + 4, l->u.ipv6.payload_length ? l->u.ipv6.payload_length
                                                   : (uint16_t)(payload->len + l->var_len));
        p[6] = l->u.ipv6.nxt;
        p[7] = l->u.ipv6.hop_limit;
        memcpy(p + 8, l->u.ipv6.src, 16);
        memcpy(p + 24, l->u.ipv6.dst, 16);
        ken_buf_put(h, l->var, l->var_len);
        return 0;
    case KEN_PKT_ICMP:
    case KEN_PKT_ICMPV6: {
        p = ken_buf_put_uninit(h, ICMP_LEN);
        p[0] = l->u.icmp.type;
        p[1] = l->u.icmp.code;
        wire_put16(p + 2, l->u.icmp.csum);
        ken_buf_put(h, l->var, l->var_len);
        if (l->u.icmp.csum)
            return 0;
        uint16_t sum;
        if (l->proto == KEN_PKT_ICMP) /* ICMP sums its own bytes only */
            sum = ken_pkt_inet_csum(h->data + at, h->len - at);
        else if (csum_ip(prev, h->len - at, h->data + at, h->len - at, payload->data, payload->len, &sum))
            return EBADMSG;
        wire_put16(h->data + at + 2, sum);
        return 0;
    }
    case KEN_PKT_TCP: {
        p = ken_buf_put_zeros(h, TCP_LEN);
        wire_put16(p, l->u.tcp.src_port);
        wire_put16(p + 2, l->u.tcp.dst_port);
        wire_put32(p + 4, l->u.tcp.seq);
        wire_put32(p + 8, l->u.tcp.ack);
        p[13] = l->u.tcp.bits;
        wire_put16(p + 14, l->u.tcp.window_size);
        wire_put16(p + 16, l->u.tcp.csum);
        wire_put16(p + 18, l->u.tcp.urgent);
        if (l->var_len) { /* options are padded to 4 bytes, then to the offset given */
            ken_buf_put(h, l->var, l->var_len);
            ken_buf_align(h, at, 4);
            if (l->u.tcp.offset * 4u > h->len - at)
                ken_buf_put_zeros(h, l->u.tcp.offset * 4u - (h->len - at));
        }
        uint8_t offset = l->u.tcp.offset ? l->u.tcp.offset : (uint8_t)((h->len - at) / 4);
        h->data[at + 12] = (uint8_t)(offset << 4);
        uint16_t sum;
        if (!l->u.tcp.csum) {
            size_t hl = h->len - at;
            if (csum_ip(prev, hl + payload->len, h->data + at, hl, payload->data, payload->len, &sum))
                return EBADMSG;
            wire_put16(h->data + at + 16, sum);
        }
        return 0;
    }
    case KEN_PKT_UDP: {
        uint16_t total = l->u.udp.total_length ? l->u.udp.total_length : (uint16_t)(UDP_LEN + payload->len);
        p = ken_buf_put_uninit(h, UDP_LEN);
        wire_put16(p, l->u.udp.src_port);
        wire_put16(p + 2, l->u.udp.dst_port);
        wire_put16(p + 4, total);
        wire_put16(p + 6, l->u.udp.csum);
        uint16_t sum;
        if (!l->u.udp.csum) {
            if (csum_ip(prev, total, h->data + at, UDP_LEN, payload->data, payload->len, &sum))
                return EBADMSG;
            wire_put16(h->data + at + 6, sum);
        }
        return 0;
    }
    case KEN_PKT_SCTP:
        p = ken_buf_put_uninit(h, SCTP_LEN);
        wire_put16(p, l->u.sctp.src_port);
        wire_put16(p + 2, l->u.sctp.dst_port);
        wire_put32(p + 4, l->u.sctp.vtag);
        wire_put32(p + 8, l->u.sctp.csum);
        ken_buf_put(h, l->var, l->var_len);
        if (!l->u.sctp.csum) /* the CRC covers the header and the chunks, not what follows */
            wire_put32(h->data + at + 8, ken_pkt_crc32c(h->data + at, h->len - at));
        return 0;
    case KEN_PKT_LLDP:
        ken_buf_put(h, l->var, l->var_len);
        return 0;
    case KEN_PKT_USER: {
        const struct ken_pkt_proto_ops *ops = pkt_user_ops(l->user);
        return ops && ops->build && !ops->build(l, payload->data, payload->len, h) ? 0 : EINVAL;
    }
    default:
        return EINVAL;
    }
}

int pkt_build_layers(struct ken_buf *out, const struct ken_pkt_layer *layers, size_t n, pkt_user_build_fn user,
                     void *ctx)
{
    struct ken_buf payload = KEN_BUF_INIT, hdr = KEN_BUF_INIT;
    int err = 0;
    for (size_t i = n; i-- > 0 && !err;) {
        const struct ken_pkt_layer *l = &layers[i];
        if (l->proto == KEN_PKT_USER && user)
            err = user(ctx, i, &payload, &hdr);
        else
            err = build_layer(&hdr, l, &payload, i ? &layers[i - 1] : NULL);
        if (!err) { /* the header goes in front of what is built so far */
            ken_buf_put(&hdr, payload.data, payload.len);
            struct ken_buf swap = payload;
            payload = hdr;
            hdr = swap;
            hdr.len = 0;
        }
    }
    if (!err)
        ken_buf_put(out, payload.data, payload.len);
    ken_buf_free(&payload);
    ken_buf_free(&hdr);
    return err;
}

int ken_pkt_build(struct ken_buf *out, const struct ken_pkt_layer *layers, size_t n)
{
    return pkt_build_layers(out, layers, n, NULL, NULL);
}
