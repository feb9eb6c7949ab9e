/* The packet library: network packets (not OpenFlow messages) parsed,
 * built and shown in OS-Ken's packet library JSON (os_ken.lib.packet).
 *
 * ken_pkt_parse() reads a frame into a struct ken_pkt: the layers in
 * order, each a tagged union of its header fields with where its header
 * and its payload lie in the frame. What no parser takes is a last
 * KEN_PKT_RAW layer; when it is all zeros it is padding, which OS-Ken's
 * JSON leaves out (so does ken_pkt_to_json). It never allocates and checks every
 * length: a malformed or truncated frame gives EBADMSG (the layers parsed
 * before the bad one are kept), more than KEN_PKT_MAX_LAYERS layers ENOSPC.
 * The variable parts (IPv4 and TCP options, IPv6 extension headers, ICMP
 * bodies, SCTP chunks, LLDP TLVs) are views of the frame (var, var_len):
 * keep the frame alive while you use the packet.
 *
 * ken_pkt_build() does what OS-Ken's Packet.serialize() does: the layers
 * are built from the last to the first, a length or checksum that is 0 is
 * computed (the IPv4 header checksum and an SCTP CRC32c of 0 always are),
 * and an Ethernet payload is padded to 46 bytes.
 *
 * ken_pkt_to_json() and ken_pkt_from_json() speak OS-Ken's Packet JSON:
 * {"Packet": {"protocols": [{"ethernet": {...}}, {"ipv4": {...}}, ..., "base64"]}}
 * as Packet.to_jsondict() gives it. */
#ifndef KEN_PACKET_H
#define KEN_PACKET_H

#include <json-c/json.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "ken/buf.h"

#define KEN_PKT_MAX_LAYERS 16

enum ken_pkt_proto {
    KEN_PKT_RAW,      /* bytes no parser knows (OS-Ken shows them as base64) */
    KEN_PKT_ETHERNET,
    KEN_PKT_VLAN,     /* 802.1Q (0x8100) */
    KEN_PKT_SVLAN,    /* 802.1ad (0x88a8) */
    KEN_PKT_MPLS,
    KEN_PKT_ARP,
    KEN_PKT_IPV4,     /* var: options */
    KEN_PKT_IPV6,     /* var: the extension headers */
    KEN_PKT_ICMP,     /* var: the body after type, code and checksum */
    KEN_PKT_ICMPV6,   /* var: the body after type, code and checksum */
    KEN_PKT_TCP,      /* var: options */
    KEN_PKT_UDP,
    KEN_PKT_SCTP,     /* var: the chunks */
    KEN_PKT_LLDP,     /* var: the TLVs */
    KEN_PKT_USER,     /* a registered protocol (ken_pkt_register) */
    KEN_PKT_N_PROTOS
};

struct ken_pkt_layer {
    uint8_t proto;        /* enum ken_pkt_proto */
    uint16_t user;        /* KEN_PKT_USER: the id ken_pkt_register returned */
    uint32_t off;         /* header: frame bytes [off, off + hdr_len) */
    uint32_t hdr_len;
    uint32_t payload_off; /* what the header carries, as the next layer sees it */
    uint32_t payload_len;
    const uint8_t *var;   /* the variable part (see enum ken_pkt_proto); NULL if none */
    size_t var_len;
    union {
        struct { uint8_t dst[6], src[6]; uint16_t ethertype; } eth;
        struct { uint8_t pcp, cfi; uint16_t vid, ethertype; } vlan; /* and svlan */
        struct { uint32_t label; uint8_t exp, bsb, ttl; } mpls;
        struct {
            uint16_t hwtype, proto;
            uint8_t hlen, plen;
            uint16_t opcode;
            uint8_t src_mac[6], src_ip[4], dst_mac[6], dst_ip[4];
        } arp;
        struct {
            uint8_t version, header_length, tos, flags, ttl, proto;
            uint16_t total_length, identification, offset, csum;
            uint8_t src[4], dst[4];
        } ipv4;
        struct {
            uint8_t version, traffic_class, nxt, hop_limit;
            uint32_t flow_label;
            uint16_t payload_length;
            uint8_t src[16], dst[16];
        } ipv6;
        struct { uint8_t type, code; uint16_t csum; } icmp; /* and icmpv6 */
        struct {
            uint16_t src_port, dst_port;
            uint32_t seq, ack;
            uint8_t offset, bits;
            uint16_t window_size, csum, urgent;
        } tcp;
        struct { uint16_t src_port, dst_port, total_length, csum; } udp;
        struct { uint16_t src_port, dst_port; uint32_t vtag, csum; } sctp;
        struct { uint64_t word[4]; const void *ptr; } user; /* the parser's own use */
    } u;
};

struct ken_pkt {
    const uint8_t *frame;
    size_t len;
    size_t n;                 /* layers */
    struct ken_pkt_layer l[KEN_PKT_MAX_LAYERS];
    uint32_t bad_off;         /* after an error: where the bad layer starts */
};

/* 0, EBADMSG (malformed or truncated: p->n layers before it are good,
 * bad_off says where the bad one starts) or ENOSPC (too many layers). */
int ken_pkt_parse(const uint8_t *frame, size_t len, struct ken_pkt *p);
/* The first layer of this protocol, or NULL. */
const struct ken_pkt_layer *ken_pkt_find(const struct ken_pkt *p, enum ken_pkt_proto proto);
/* OS-Ken's protocol name ("ethernet", "ipv4", ...); a registered protocol's name. */
const char *ken_pkt_proto_name(const struct ken_pkt_layer *l);

/* Appends the frame of n layers to out (see the top of this file). Lengths
 * and checksums that are 0 are filled; var bytes are copied as given (a
 * KEN_PKT_RAW layer's bytes are its var). 0; EBADMSG for a checksum of 0
 * with no IP layer before it; EINVAL for IPv4 options longer than the
 * header length leaves room for, or a KEN_PKT_USER layer whose protocol
 * has no build (or whose build fails). out is unchanged on error. */
int ken_pkt_build(struct ken_buf *out, const struct ken_pkt_layer *layers, size_t n);
/* Layer initializers with OS-Ken's constructor defaults. */
void ken_pkt_layer_init(struct ken_pkt_layer *l, enum ken_pkt_proto proto);

/* OS-Ken's Packet JSON of a parsed packet: {"Packet": {"protocols": [...]}}.
 * Bytes after the last layer are shown as base64 unless they are all zero
 * (padding), as OS-Ken does. 0 or EBADMSG (with why). */
#define KEN_PKT_WHY_LEN 192 /* as KEN_WHY_LEN */
int ken_pkt_to_json(const struct ken_pkt *p, json_object **out, char why[KEN_PKT_WHY_LEN]);
/* The frame of OS-Ken's Packet JSON ({"Packet": {...}} or {"protocols": [...]}),
 * appended to out. Fields left out take OS-Ken's constructor defaults.
 * 0; EINVAL or ERANGE for JSON of the wrong shape (why names the key);
 * EPROTONOSUPPORT for a protocol ken does not know; EBADMSG for a packet
 * that cannot be built (a checksum with no IP layer before it, ...). */
int ken_pkt_from_json(json_object *packet, struct ken_buf *out, char why[KEN_PKT_WHY_LEN]);

/* One line a layer of readable text ("ipv4 src=10.0.0.1 dst=10.0.0.2 ..."),
 * indented by indent spaces, for tools. */
int ken_pkt_print(const struct ken_pkt *p, FILE *file, int indent);

/* ---- adding protocols ----
 * A registered protocol is tried where its key appears: an ethertype, an
 * IP protocol number (after IPv4 and IPv6) or a UDP or TCP port (source or
 * destination). Its parse gets the bytes from the layer's start (len of
 * them) and fills l->hdr_len (the header), l->payload_len if less than the
 * rest follows (it is preset to UINT32_MAX: all of it), l->u.user for its
 * own use and, if it has a payload, *next_kind and *next_key to say what
 * follows (KEN_PKT_KEY_NONE: raw bytes; KEN_PKT_KEY_FRAME: Ethernet); it
 * returns 0 or EBADMSG, and must not read past len. to_json gives the layer's body (the library wraps it as
 * {name: body}); from_json appends the header to out given its payload
 * (what follows, already built) and may be NULL (then the protocol cannot
 * be built from JSON). Registered protocols take precedence over the
 * built-in ones for their key. Register before parsing, from one thread:
 * the registry is not locked. Returns the id (> 0) or ENOSPC/EINVAL as a
 * negative value. */
enum ken_pkt_key_kind {
    KEN_PKT_KEY_NONE,
    KEN_PKT_KEY_ETHERTYPE,
    KEN_PKT_KEY_IP_PROTO,
    KEN_PKT_KEY_UDP_PORT,
    KEN_PKT_KEY_TCP_PORT,
    KEN_PKT_KEY_FRAME, /* as a next_kind only: an Ethernet frame follows (a tunnel) */
};
struct ken_pkt_proto_ops {
    const char *name; /* OS-Ken's class name: the JSON key */
    enum ken_pkt_key_kind kind;
    uint32_t key;
    int (*parse)(const uint8_t *p, size_t len, struct ken_pkt_layer *l, enum ken_pkt_key_kind *next_kind,
                 uint32_t *next_key);
    json_object *(*to_json)(const uint8_t *hdr, const struct ken_pkt_layer *l);
    int (*from_json)(json_object *body, const uint8_t *payload, size_t payload_len, struct ken_buf *out);
    /* Appends the header of l (as parse filled it) given its payload, for
     * ken_pkt_build; NULL: ken_pkt_build refuses the layer (EINVAL). */
    int (*build)(const struct ken_pkt_layer *l, const uint8_t *payload, size_t payload_len, struct ken_buf *out);
};
int ken_pkt_register(const struct ken_pkt_proto_ops *ops);

/* Checksums, for users' own protocols: the Internet checksum (RFC 1071) of
 * n bytes and SCTP's CRC32c (RFC 3309, as the wire carries it). */
uint16_t ken_pkt_inet_csum(const uint8_t *p, size_t n);
uint32_t ken_pkt_crc32c(const uint8_t *p, size_t n);

#endif
