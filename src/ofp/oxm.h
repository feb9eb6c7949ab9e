/* OXM (OpenFlow 1.2+ match fields, including the Nicira NXM and ONF
 * experimenter fields OS-Ken knows) and the 1.5 OXS stat fields. */
#ifndef KEN_OFP_OXM_H
#define KEN_OFP_OXM_H

#include "ofp/schema.h"

/* OFPMatch for 1.2-1.5: {"OFPMatch": {"type": 1, "length": N, "oxm_fields": [...]}},
 * length excludes the padding to 8 bytes. */
extern const struct ofp_desc ofp_match_desc;
/* A run of OXM TLVs up to the region end, as [{"OXMTlv": {"field", "mask", "value"}}, ...]. */
extern const struct ofp_custom ofp_oxm_list;
/* Exactly one OXM TLV as {"OXMTlv": {...}} (OFPActionSetField's "field"). */
extern const struct ofp_custom ofp_oxm_one;
/* A run of OXM headers without values, as [{"OFPOxmId": {"type": "eth_dst", "hasmask": false, "length": 6}}]
 * (table features). */
extern const struct ofp_custom ofp_oxm_ids;
/* 1.5 OXS stats: OFPStats {"length", "oxs_fields": [{"OXSTlv": {...}}]} */
extern const struct ofp_desc ofp_stats_desc;

/* What NX actions need (reg_load, reg_move, learn, output_reg, ...): an
 * OXM/NXM header names a field. Headers are 4 bytes, or 8 when the class is
 * experimenter (0xffff: the experimenter id follows). */
struct ofp_oxm_info {
    const char *name;   /* "reg0", "eth_dst", "tun_ipv4_src", ... */
    uint32_t header;    /* class << 16 | field << 9 | hasmask << 8 | length, hasmask 0 */
    uint32_t exp;       /* experimenter id, 0 when not an experimenter field */
    uint8_t size;       /* value bytes */
};
/* Looks a header up (p has n bytes; *hdr_len gets 4 or 8). */
int ofp_oxm_from_header(const uint8_t *p, size_t n, uint8_t version, struct ofp_oxm_info *info, size_t *hdr_len);
/* Looks a field name up. Returns 0 or -1 when unknown. */
int ofp_oxm_from_name(const char *name, uint8_t version, struct ofp_oxm_info *info);

#endif
