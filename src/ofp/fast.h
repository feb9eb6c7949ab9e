/* Internal pieces of the hot-path codec shared by its files. */
#ifndef KEN_OFP_FAST_H
#define KEN_OFP_FAST_H

#include "ken/arena.h"
#include "ken/ofp_msg.h"
#include "ofp/ofp_spec.h"
#include "ofp/wire.h"

int fast_oxm_decode(const uint8_t *p, size_t n, uint8_t version, struct ken_match *m);
void fast_oxm_encode(struct ken_buf *b, const struct ken_match *m);
/* A whole ofp_match of this version at p (1.0: the 40-byte struct; 1.2+:
 * type/length/OXM fields and padding): returns the bytes used, or 0 with
 * *err set. A match bigger than the struct's inline storage is a view of
 * p (see struct ken_match). */
static inline size_t fast_match_decode(const uint8_t *p, size_t n, uint8_t version, struct ken_match *m, int *err);
void fast_match_encode(struct ken_buf *b, const struct ken_match *m);
void fast_match10_decode(const uint8_t *p, struct ken_match *m);
int fast_match10_encode(uint8_t *p, const struct ken_match *m); /* the match's 40 bytes */
/* The 1.0 wildcards of an empty match: every field's bit (and both IP
 * prefixes' six-bit counts at their widest). */
#define FAST_MATCH10_ALL_WILD ((1u << 22) - 1)
/* fast_match10_encode of an empty built match, inline: what a flow-mod
 * matching everything (cbench's) carries. */
static inline bool fast_match10_empty(const struct ken_match *m) { return m->n == 0 && !m->oxm; }
static inline void fast_match10_all_wild(uint8_t *p)
{
    memset(p, 0, OFPS_OFP_MATCH10_DESC);
    wire_put32(p + OFPO_OFP_MATCH10_DESC_WILDCARDS, FAST_MATCH10_ALL_WILD);
}

/* One port of this version at p (n bytes left): 0 and the bytes it spans
 * in *used, or the JSON codec's error. */
int ofp_port_decode(const uint8_t *p, size_t n, uint8_t version, struct ken_port *pt, size_t *used);

/* An action list / instruction list of this version: p and n are its bytes
 * only. Decoding puts the array (and each instruction's actions) in the
 * arena; *acts / *inst is NULL for an empty list. They return 0, the
 * KEN_OFP* error the JSON codec gives for the same bytes, or ENOMEM. The
 * encoders append the list (no header around it) and on error leave b as
 * it was. */
int ken_actions_decode(const uint8_t *p, size_t n, uint8_t version, struct ken_arena *a,
                       const struct ken_action **acts, size_t *n_acts);
int ken_instructions_decode(const uint8_t *p, size_t n, uint8_t version, struct ken_arena *a,
                            const struct ken_instruction **inst, size_t *n_inst);
int ken_actions_encode(struct ken_buf *b, uint8_t version, const struct ken_action *acts, size_t n);
int ken_instructions_encode(struct ken_buf *b, uint8_t version, const struct ken_instruction *inst, size_t n);

/* Inline: the flow-mod and packet-in decoders call it once each, and the
 * call showed in their cost. OFPMatch (type OXM, length without padding,
 * padded to 8). */
static inline size_t fast_match_decode(const uint8_t *p, size_t n, uint8_t version, struct ken_match *m, int *err)
{
    if (n < OFPS_OFP_MATCH_HEAD) {
        *err = KEN_OFPBMC_BAD_LEN;
        return 0;
    }
    /* The match type is not checked: OS-Ken and the JSON codec read any
     * type as OXM fields. */
    uint16_t len = wire_get16(p + OFPO_OFP_MATCH_HEAD_LENGTH);
    size_t padded = ((size_t)len + 7) / 8 * 8;
    if (len < OFPS_OFP_MATCH_HEAD || padded > n) {
        *err = KEN_OFPBMC_BAD_LEN;
        return 0;
    }
    *err = fast_oxm_decode(p + OFPS_OFP_MATCH_HEAD, len - OFPS_OFP_MATCH_HEAD, version, m);
    return *err ? 0 : padded;
}

#endif
