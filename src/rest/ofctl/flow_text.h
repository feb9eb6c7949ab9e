/* The answer of GET/POST /stats/flow written straight from the switch's
 * reply bytes into JSON text, for the biggest answer ofctl_rest gives (a
 * table of thousands of flows), without the two JSON trees of the general
 * path (ken_ofp_to_json, then the module's conversion, then json-c's
 * serialisation).
 *
 * It covers the common shapes only (OpenFlow 1.2 and 1.3, and 1.0, 1.4
 * and 1.5 without a filter body; the standard OXM fields with integer, MAC
 * and IP values; the standard actions and instructions; 1.5's standard
 * OXS stats) and declines everything else (vendor and Nicira actions,
 * experimenter fields, 1.5's packet_type, ...), and every reply that
 * ken_ofp_validate refuses: the caller then takes the general path. Where
 * it answers, the text is byte for byte what the general path gives
 * (json-c's plain serialisation of {"<dpid>": <module answer>}); the test
 * rest-ofctl-flow-text and the fuzz target fuzz-ofctl-flow-text hold the
 * two paths to that. */
#ifndef KEN_REST_OFCTL_FLOW_TEXT_H
#define KEN_REST_OFCTL_FLOW_TEXT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ken/buf.h"
#include "ofctl.h"

/* The whole 200 body for args (kind OFCTL_FLOW) on a switch of wire
 * version version with datapath id dpid, from the n reply parts (msgs[i]
 * of lens[i] bytes, each one whole message), appended to out: true. False
 * when it declines (out is then back at the length it had). */
bool ofctl_flow_text(uint8_t version, const struct ofctl_args *args, uint64_t dpid, const uint8_t *const *msgs,
                     const size_t *lens, size_t n, struct ken_buf *out);

/* ofctl_v1_0's reserved names (v1_0.c): the OFPP_ name of a 1.0 port
 * (queue false) or the OFPQ_ name of a queue id, NULL when none. */
const char *ofctl_v10_name(bool queue, uint64_t v);

#endif
