/* The typed codec's tables, generated into ofp_spec.c (src/ofp/gen/ofptypes.py):
 * for each layout of a class, the struct ofp_desc the JSON codec walks and a
 * parallel array saying where each of its fields lives in the C struct. */
#ifndef KEN_SRC_OFP_TYPED_H
#define KEN_SRC_OFP_TYPED_H

#include <stddef.h>
#include <stdint.h>

#include "ken/ofp_types.h"
#include "ofp/msgtable.h"

enum ofp_tkind {
    TK_END,
    TK_SKIP,          /* on the wire only: padding, a length, the multipart type */
    TK_UINT,          /* csize bytes */
    TK_UINTS,         /* an array of f->arg integers of csize bytes */
    TK_UINTLIST,      /* integers of csize bytes up to the end: pointer, count at n_off */
    TK_MAC,           /* uint8_t[6] */
    TK_STR,           /* char[csize + 1] */
    TK_DATA,          /* const uint8_t * at off, size_t length at n_off */
    TK_MATCH,         /* struct ken_match */
    TK_PORT,          /* struct ken_port */
    TK_PORTS,         /* const struct ken_port *, count at n_off */
    TK_OBJ,           /* a nested struct of class sub */
    TK_LIST,          /* const struct <sub> *, count at n_off */
    TK_INSTRUCTIONS,  /* const struct ken_instruction *, count at n_off */
    TK_ACTIONS,       /* const struct ken_action *, count at n_off */
    TK_RAW,           /* struct ken_ofp_raw */
    TK_TLVS,          /* const struct ken_ofp_tlv *, count at n_off: a described TLV family */
    TK_STATS,         /* struct ken_ofp_stats: 1.5's OXS statistics */
    TK_UPDATES,       /* const struct ken_ofp_tlv *, count at n_off: flow monitor updates */
    TK_OXM_IDS,       /* const struct ken_ofp_oxm_id *, count at n_off */
    TK_VERSIONS,      /* const uint32_t *, count at n_off: a version bitmap's versions */
    TK_HELLO_ELEMS,   /* const struct ken_ofp_tlv *, count at n_off: a hello's elements */
    TK_NESTED,        /* struct ken_ofp_tlv: a message inside this one */
    TK_NXM,           /* uint32_t: an NXM/OXM field header in a Nicira action (0: none) */
    TK_OXM_LIST,      /* struct ken_match: OXM fields with values, no match header */
    TK_CONTROLLER2,   /* struct ken_nx_controller2: a controller2 action's properties (nx.c's form) */
    TK_NAT,           /* uint16_t range_present, and at n_off NAT's ranges (struct ken_ofp_nx_action_nat_ranges) */
    TK_NX_U16S,       /* const uint16_t *, count at n_off: a Nicira action's ids (nx.c's form) */
    TK_LEARN_SPECS,   /* const struct ken_nx_learn_spec *, count at n_off: a learn action's specs */
    TK_GATE,          /* on the wire nothing: the versions an entry of its family is in (F_ONLY_IN) */
};

struct ofp_tclass;

struct ofp_tfield {
    uint8_t kind;
    uint16_t csize;
    uint32_t off, n_off;
    const struct ofp_tclass *sub;
};

struct ofp_tlayout {
    uint8_t version;            /* wire version; 0 for a nested structure's */
    uint8_t type;               /* message type */
    int32_t mp;                 /* multipart type, or OFP_NO_MP */
    const struct ofp_desc *desc;
    const struct ofp_tfield *tf; /* tf[i] is desc->fields[i]'s place */
};

struct ofp_tclass {
    const char *cls;            /* OS-Ken's class name */
    int id;                     /* enum ken_ofp_class */
    size_t size;                /* sizeof the C struct */
    const struct ofp_tlayout *layouts;
    size_t n_layouts;
};

extern const struct ofp_tclass *const ofp_tclasses[KEN_OFP_N_CLASSES];

/* The typed layout of each TLV family entry, by its desc. */
struct ofp_tlv_layout {
    const struct ofp_desc *desc;
    const struct ofp_tclass *tc;
    const struct ofp_tlayout *l;
};
extern const struct ofp_tlv_layout ofp_tlv_layouts[];
extern const size_t ofp_n_tlv_layouts;
/* Where an OXS statistic's value goes in struct ken_ofp_stats: size bytes
 * on the wire, in n_parts equal halves (a duration: seconds, nanoseconds). */
struct ofp_stat_member {
    const char *name; /* OS-Ken's OXSTlv field name */
    uint8_t field, size, n_parts;
    uint32_t off[2];
};
extern const struct ofp_stat_member ofp_stat_members[];
extern const size_t ofp_n_stat_members;
/* The layout (and its class) of a message, NULL when the description has none. */
const struct ofp_tlayout *ofp_tlayout_find(uint8_t version, uint8_t type, int32_t mp, const struct ofp_tclass **tc);

/* A Nicira, 1.0 or 1.2+ action (len bytes at q, which the JSON codec's checks
 * passed) as its class's struct from the arena: 0 and *out a
 * KEN_ACT_TYPED, ENOENT when ken has no struct for it (keep its bytes), or
 * ENOMEM. The struct's parts point into q. */
int ofp_typed_action_decode(const uint8_t *q, size_t len, uint8_t version, struct ken_arena *a, struct ken_action *out);
/* Appends the action of class cls (a KEN_ACT_TYPED's struct) as version lays it out;
 * 0 or an error naming the member (why), b unchanged then. */
int ofp_typed_action_encode(struct ken_buf *b, uint8_t version, int cls, const void *msg, char why[KEN_WHY_LEN]);
/* 1.5's OXS statistics (a stat-trigger instruction's thresholds): n bytes
 * the JSON codec has checked into s, its known fields; and s written back
 * (its raw bytes when set, else its present fields; name for errors). */
void ofp_stats_decode(const uint8_t *p, size_t n, struct ken_ofp_stats *s);
int ofp_stats_encode(struct ken_buf *b, const struct ken_ofp_stats *s, const char *name, char why[KEN_WHY_LEN]);

#endif
