/* ken-ofp's readable forms of an OpenFlow message: one line in the manner
 * of `ovs-ofctl ofp-print` (names for constants, the packet of a packet-in
 * or packet-out decoded), or one field a line (-v). */
#ifndef KEN_TOOLS_OFP_TEXT_H
#define KEN_TOOLS_OFP_TEXT_H

#include <json-c/json.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

/* "OFPT_PACKET_IN", "OFPST_PORT reply", "OFPT_EXPERIMENTER" for a message
 * (at least its 8-byte header; a multipart's type needs 10 bytes) into
 * out; never fails (unknown types are "OFPT_UNKNOWN_<n>"). json, the
 * message's JSON or NULL, names Nicira messages (NXT_ROLE_REQUEST). */
void ofp_text_type_name(const uint8_t *msg, size_t len, json_object *json, char *out, size_t out_len);

/* Prints the message (msg, len: one whole message; json: its
 * ken_ofp_to_json result) as its summary line, then its lists (one
 * entry a line), its packet and its data, each line indented by indent. */
void ofp_text_print(FILE *f, const uint8_t *msg, size_t len, json_object *json, int indent);

/* One field a line, nested structures indented under their class. */
void ofp_text_print_verbose(FILE *f, json_object *json);

/* A hex dump, 16 bytes a line, with offsets and the printable bytes. */
void ofp_text_hexdump(FILE *f, const uint8_t *p, size_t n, int indent);

#endif
