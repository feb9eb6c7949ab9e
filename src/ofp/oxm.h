/* OXM (OpenFlow 1.2+ match fields, including the Nicira NXM and ONF
 * experimenter fields OS-Ken knows) and the 1.5 OXS stat fields. */
#ifndef KEN_OFP_OXM_H
#define KEN_OFP_OXM_H

#include "ofp/ofp_spec.h"
#include "ofp/schema.h"

/* An OXM (or OXM-style OXS) field's 32-bit header, the part of the
 * described experimenter head before its experimenter id. */
#define OXM_HEADER_LEN ((size_t)OFPO_OXM_EXP_HEAD_EXPERIMENTER)

/* OFPMatch for 1.2-1.5: {"OFPMatch": {"type": 1, "length": N, "oxm_fields": [...]}},
 * length excludes the padding to 8 bytes. */
extern const struct ofp_desc ofp_match_desc;
/* A run of OXM TLVs up to the region end, as [{"OXMTlv": {"field", "mask", "value"}}, ...]. */
extern const struct ofp_custom ofp_oxm_list;
/* Exactly one OXM TLV as {"OXMTlv": {...}} (OFPActionSetField's "field"). */
extern const struct ofp_custom ofp_oxm_one;
/* A run of OXM headers without values, as [{"OFPOxmId": {"type": "eth_dst", "hasmask": 0, "length": 6}}]
 * (table features, 1.5 copy-field); experimenter-class headers become
 * {"OFPExperimenterOxmId": {..., "exp_id": N}}. */
extern const struct ofp_custom ofp_oxm_ids;
/* 1.5 OXS stats: OFPStats {"length", "oxs_fields": [{"OXSTlv": {"field", "value"}}]} */
extern const struct ofp_desc ofp_stats_desc;

/* What NX actions need (reg_load, reg_move, learn, output_reg, ...): an
 * OXM/NXM header names a field. Headers are 4 bytes, 8 when the class is
 * experimenter (0xffff: the experimenter id follows), and 10 for the old
 * EXT-256 form of pbb_uca in 1.2/1.3 (experimenter id, then exp_type 2560). */
struct ofp_oxm_info {
    char name[24];      /* "reg0", "eth_dst", "tun_ipv4_src", ...; "field_<n>" for an
                         * unknown non-experimenter field, n = class << 7 | field */
    uint32_t header;    /* class << 16 | field << 9 | hasmask << 8 | length; hasmask 0 and
                         * length = experimenter header bytes + size, as OS-Ken writes it */
    uint32_t exp;       /* experimenter id, 0 when not an experimenter field */
    uint16_t exp_type;  /* 2560 for the old EXT-256 form, else 0 */
    uint8_t size;       /* value bytes (0 for an unknown field) */
    uint8_t hdr_len;    /* 4, 8 or 10: bytes ofp_oxm_put_header writes */
};
/* Looks a header up (p has n bytes; *hdr_len gets 4, 8 or 10). Returns 0, or
 * an OpenFlow error: KEN_OFPBMC_BAD_LEN when n is too short,
 * KEN_OFPBMC_BAD_FIELD for an unknown experimenter field. */
int ofp_oxm_from_header(const uint8_t *p, size_t n, uint8_t version, struct ofp_oxm_info *info, size_t *hdr_len);
/* Looks a field name up (also "field_<n>"). Returns 0 or -1 when unknown. */
int ofp_oxm_from_name(const char *name, uint8_t version, struct ofp_oxm_info *info);
/* Appends info's header (info->hdr_len bytes). */
void ofp_oxm_put_header(struct ken_buf *b, const struct ofp_oxm_info *info);

/* ---- the field table (oxm_fields.c): one row per field and wire form ---- */

enum oxm_family { OXM_FAM_MATCH, OXM_FAM_STAT };

enum oxm_fmt {
    OXF_INT,   /* big-endian unsigned integer (1-8 bytes, or 16: ct_label, xxreg) */
    OXF_MAC,   /* "aa:bb:cc:dd:ee:ff" */
    OXF_IPV4,  /* dotted quad */
    OXF_IPV6,  /* RFC 5952 text */
    OXF_PAIR,  /* two u32 as [a, b] (OXS duration, idle_time) */
    OXF_BYTES, /* an unknown field: base64 */
};

/* OXM_CLASS_* and OXM_EXP_* come from the description (ofp/ofp_spec.h). */

struct oxm_def {
    const char *name;
    uint16_t cls;
    uint8_t field;     /* 7 bits; 0 for the old EXT-256 form */
    uint8_t size;      /* value bytes */
    uint8_t fmt;       /* enum oxm_fmt */
    uint8_t vmask;     /* 1 << wire version, for each version that has this row */
    uint8_t family;    /* enum oxm_family */
    uint16_t exp_type; /* 2560 for EXT-256 in its first form, else 0 */
    uint32_t exp;      /* experimenter id when cls is OXM_CLASS_EXPERIMENTER */
};

/* The JSON decoder's checks of one match TLV at p (avail bytes left):
 * 0, or the error it would give. For the hot path's rare classes. */
int ofp_oxm_match_check(const uint8_t *p, size_t avail, uint8_t version);

/* Linear scans over ~150 rows: fine for the JSON path. A hot path wanting
 * faster lookups can index the table by (class, field) once. */
const struct oxm_def *oxm_def_by_name(uint8_t family, uint8_t version, const char *name);
const struct oxm_def *oxm_def_by_wire(uint8_t family, uint8_t version, uint16_t cls, uint8_t field, uint32_t exp,
                                      uint16_t exp_type);

#endif
