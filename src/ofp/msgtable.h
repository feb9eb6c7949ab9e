/* The message table: one row per wire variant of a message. Each codec area
 * (of10.c, msgs.c, multipart.c, the generated ofp_spec.c) exports its rows;
 * msgtable.c finds the row for bytes (version, type, multipart type, experimenter) or for a JSON
 * class name, checks the framing, and runs the interpreter. */
#ifndef KEN_OFP_MSGTABLE_H
#define KEN_OFP_MSGTABLE_H

#include "ofp/schema.h"

/* A version's bit in a row's vmask; a version byte from the wire beyond
 * the mask's 8 bits matches no row (and shifts nothing undefined). */
#define OFPV(v) ((unsigned)(v) < 8 ? 1u << (v) : 0u)
#define OFPV_12_15 (OFPV(3) | OFPV(4) | OFPV(5) | OFPV(6))
#define OFPV_13_15 (OFPV(4) | OFPV(5) | OFPV(6))
#define OFPV_14_15 (OFPV(5) | OFPV(6))
#define OFP_NO_MP (-1)

struct ofp_msg_row {
    uint8_t vmask;                /* OFPV(version) bits this row serves */
    uint8_t type;                 /* OFPT_* */
    int32_t mp;                   /* multipart/stats type (u16 at offset 8), or OFP_NO_MP */
    uint32_t exp;                 /* experimenter id (u32 at offset 8, or 16 for multipart), or OFP_ANY */
    const struct ofp_desc *desc;  /* the body after the 8-byte header; desc->cls names the message */
};

struct ofp_msg_rows {
    const struct ofp_msg_row *rows;
    size_t n;
};

#define OFP_MSG_ROWS(name, arr) const struct ofp_msg_rows name = {arr, sizeof(arr) / sizeof(arr[0])}

extern const struct ofp_msg_rows ofp_rows_of10;      /* of10.c: OpenFlow 1.0 */
extern const struct ofp_msg_rows ofp_rows_msgs;      /* msgs.c: 1.2-1.5 non-multipart messages */
extern const struct ofp_msg_rows ofp_rows_spec;      /* generated: the messages whose body the description lays out */
extern const struct ofp_msg_rows ofp_rows_nx_msgs;   /* generated: 1.0's Nicira messages by class, for encoding
                                                      * (decoding reaches them through OFPVendor's row) */

const struct ofp_msg_row *ofp_msg_find(const uint8_t *p, size_t n, uint8_t version, uint8_t type);

#endif
