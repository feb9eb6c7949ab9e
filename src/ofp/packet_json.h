/* Packet-out "data": decoding gives base64 text; encoding takes base64 text
 * or OS-Ken's packet library JSON,
 *   {"Packet": {"protocols": [{"ethernet": {...}}, {"ipv4": {...}}, ...]}},
 * and builds the frame the way OS-Ken's Packet.serialize() does (lengths
 * that are 0 are computed; the IPv4 header checksum always is, the other
 * checksums only when 0). Serves 1.0 and 1.2-1.5 packet-outs alike. */
#ifndef KEN_OFP_PACKET_JSON_H
#define KEN_OFP_PACKET_JSON_H

#include "ofp/schema.h"

extern const struct ofp_custom ofp_packet_data;

#endif
