/* Typed messages: every OpenFlow message the description lays out, as a
 * version-neutral C struct (ken/ofp_types.h, generated), decoded and
 * encoded by one codec that walks the description's tables.
 *
 * Reading: an EventOFP<Name> handler gets its message with the class's
 * accessor, decoded once on first use and kept with the event:
 *
 *     const struct ken_ofp_flow_removed *m = ken_ev_ofp_flow_removed(ev);
 *     if (m) printf("%llu packets\n", (unsigned long long)m->packet_count);
 *
 * Building: init fills OS-Ken's constructor defaults for a version (flow
 * stats: all tables, OFPP_ANY, OFPG_ANY, an empty match), then send:
 *
 *     struct ken_ofp_flow_stats_request req;
 *     ken_ofp_flow_stats_request_init(&req, ken_datapath_version(dp));
 *     ken_datapath_send_ofp(dp, KEN_OFP_FLOW_STATS_REQUEST, &req);
 *
 * Members a version lacks are zero when decoded and ignored when encoded
 * (encoding checks that a value fits its field in that version: a 1.0
 * port is 16 bits). Actions and instructions are ken/ofp_msg.h's lists;
 * properties, meter bands and the like are lists of struct ken_ofp_tlv;
 * the few parts the codec does not type (1.5's OXS stats, a nested
 * message) are struct ken_ofp_raw: their wire bytes, which ken_ofp_decode
 * or ken_ofp_to_json reads. */
#ifndef KEN_OFP_TYPED_H
#define KEN_OFP_TYPED_H

#include <stddef.h>
#include <stdint.h>

#include "ken/arena.h"
#include "ken/buf.h"
#include "ken/ofp.h"
#include "ken/ofp_types.h"

/* The typed class of a message (from its version, type and multipart
 * type), KEN_OFP_CLASS_NONE when the description has no layout for it. */
enum ken_ofp_class ken_ofp_class_of(const uint8_t *msg, size_t n);
/* OS-Ken's class name ("OFPFlowRemoved"), or NULL. */
const char *ken_ofp_class_name(enum ken_ofp_class cls);
/* sizeof the class's struct, 0 for none. */
size_t ken_ofp_class_size(enum ken_ofp_class cls);

/* Decodes one whole message (n >= its length) into a struct allocated
 * from a; *out points at it and *cls says which. Lists, matches and
 * actions live in a; data members point into msg. Accepts exactly what
 * ken_ofp_validate accepts. Returns 0, a KEN_OFP* error (with why), ENOMEM,
 * or EPROTONOSUPPORT for a valid message the description does not lay out
 * (ken_ofp_to_json reads it). */
int ken_ofp_decode(const uint8_t *msg, size_t n, struct ken_arena *a, enum ken_ofp_class *cls, void **out,
                   char why[KEN_WHY_LEN]);

/* Zeroes msg and fills OS-Ken's defaults for that version. Returns 0, or
 * EPROTONOSUPPORT when the version has no such message. */
int ken_ofp_init(void *msg, enum ken_ofp_class cls, uint8_t version);

/* Appends the message, as that version lays it out, with this xid.
 * Returns 0, or EINVAL/ERANGE naming the member (why), EPROTONOSUPPORT,
 * or KEN_OFPBRC_BAD_LEN past 64 KiB; b is unchanged on error. */
int ken_ofp_encode(struct ken_buf *b, uint8_t version, uint32_t xid, enum ken_ofp_class cls, const void *msg,
                   char why[KEN_WHY_LEN]);

/* Appends the list members (body, ...) of part, a later part of the same
 * multipart reply, to whole's; the other members stay whole's. */
int ken_ofp_concat(enum ken_ofp_class cls, void *whole, const void *part, struct ken_arena *a);

#endif
