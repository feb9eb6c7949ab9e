/* The hot-path codec: OpenFlow messages as C structs.
 *
 * Decoders fill caller-owned structs (values are copied into the struct;
 * packet data, and a match too big for the struct, point into the message
 * buffer, so keep the buffer alive while you use it); the parts with no
 * fixed count (a flow-mod's instructions and actions) go into an arena.
 * Encoders append one message to a ken_buf.
 * One set of structs serves every version: ports are 32-bit (1.0 reserved
 * ports are mapped: 0xfff8 <-> 0xfffffff8), and the 1.0 match is shown as
 * OXM fields. For everything else, see the JSON codec in ken/ofp.h. */
#ifndef KEN_OFP_MSG_H
#define KEN_OFP_MSG_H

#include <errno.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "ken/arena.h"
#include "ken/buf.h"
#include "ken/ofp.h"
#include "ken/ofp_consts.h"

/* ---- match ---- */

/* An OXM field id: class << 16 | field << 9 (no hasmask bit, no length).
 * KEN_OXM_ID and the ids of every OXM field (KEN_OXM_IN_PORT,
 * KEN_OXM_ETH_DST, KEN_OXM_REG0, ...) come from the description. */
#include "ken/ofp_oxm_fields.h"

/* A match holds its fields in the struct itself when it is built (and
 * when it is decoded, while they fit): up to KEN_MATCH_INLINE_FIELDS fields
 * with up to KEN_MATCH_INLINE_DATA bytes of values and masks. That is a
 * limit of ken_match_add only (ENOSPC past it): a bigger match is built as
 * wire bytes (ken_oxm_put, ken_match_from_oxm). A decoded match of any
 * size is read (see struct ken_match). */
#define KEN_MATCH_INLINE_FIELDS 32
#define KEN_MATCH_INLINE_DATA 512

struct ken_match_field {
    uint32_t id;     /* KEN_OXM_* (class and field) */
    uint32_t exp;    /* experimenter id for class 0xffff, else 0 */
    uint8_t len;     /* value length in bytes */
    bool masked;
    uint16_t off;    /* value at ken_match_value(), mask (if masked) right after it */
};

/* A built match, or a decoded one that fits the inline storage, keeps its
 * fields in f and data and is copied by value freely. A decoded match
 * bigger than that is a view of the message: oxm points at its OXM fields
 * on the wire (so keep the message alive, as for a packet-in's data), f
 * describes the first KEN_MATCH_INLINE_FIELDS of them, and the rest are
 * read from the wire by ken_match_find, ken_match_get_uint and
 * ken_match_next. Nothing to free either way. */
struct ken_match {
    uint16_t n;         /* fields, all of them (f holds the first KEN_MATCH_INLINE_FIELDS) */
    uint16_t used;      /* bytes of data in use */
    uint16_t oxm_len;   /* a view: bytes at oxm */
    const uint8_t *oxm; /* NULL, or a view: the OXM fields in the message (off counts from here) */
    struct ken_match_field f[KEN_MATCH_INLINE_FIELDS];
    uint8_t data[KEN_MATCH_INLINE_DATA];
};

void ken_match_init(struct ken_match *m);
/* Adds a field; value (and mask, or NULL) are len bytes in network order.
 * Returns 0, or ENOSPC past the inline storage (the building limit above;
 * a decoded view takes no more fields either). */
int ken_match_add(struct ken_match *m, uint32_t id, const void *value, const void *mask, uint8_t len);
int ken_match_add_u8(struct ken_match *m, uint32_t id, uint8_t v);
int ken_match_add_u16(struct ken_match *m, uint32_t id, uint16_t v);
int ken_match_add_u32(struct ken_match *m, uint32_t id, uint32_t v);
int ken_match_add_u64(struct ken_match *m, uint32_t id, uint64_t v);
int ken_match_add_mac(struct ken_match *m, uint32_t id, const uint8_t mac[6], const uint8_t *mask);
/* The first field with this id, or NULL. For a field past the first
 * KEN_MATCH_INLINE_FIELDS of a decoded view, the result is a copy in
 * per-thread storage that later such lookups on the thread reuse (a few
 * are kept): read it before looking up many more. */
const struct ken_match_field *ken_match_find(const struct ken_match *m, uint32_t id);
const uint8_t *ken_match_value(const struct ken_match *m, const struct ken_match_field *f);
/* Reads an integer field (any length up to 8 bytes); returns false if absent. */
bool ken_match_get_uint(const struct ken_match *m, uint32_t id, uint64_t *v);
/* A match beyond the inline storage, built as wire bytes: ken_oxm_put
 * appends one OXM field (value and mask, or NULL, len bytes each, network
 * order) to b; ken_match_from_oxm then makes m a view of those fields for
 * version, checked as a switch's would be (0 or a KEN_OFPBMC_* error). Keep
 * b alive, unchanged, while m is used: m points into it. Whatever fits in
 * a message can be built this way. */
void ken_oxm_put(struct ken_buf *b, uint32_t id, const void *value, const void *mask, uint8_t len);
int ken_match_from_oxm(struct ken_match *m, uint8_t version, const uint8_t *oxm, size_t len);
/* Walks every field of a match, built or decoded: *pos starts at 0; each
 * call fills *f and returns the field's value (as ken_match_value), or
 * NULL after the last field. */
const uint8_t *ken_match_next(const struct ken_match *m, size_t *pos, struct ken_match_field *f);

/* ---- actions and instructions ---- */

enum ken_action_type {
    KEN_ACT_OUTPUT,      /* port, max_len */
    KEN_ACT_SET_FIELD,   /* field: a one-field match (value, no mask) */
    KEN_ACT_PUSH_VLAN,   /* ethertype */
    KEN_ACT_POP_VLAN,
    KEN_ACT_GROUP,       /* group_id */
    KEN_ACT_SET_QUEUE,   /* queue_id */
    KEN_ACT_DEC_NW_TTL,
    KEN_ACT_RAW,         /* pre-encoded wire bytes for this version (raw, raw_len) */
    /* A Nicira action, a 1.0 action other than output, or a 1.2+ action
     * the kinds above do not model (MPLS, TTL, PBB, copy-field, meter, a
     * masked set-field): its class's
     * struct (typed.cls, a KEN_OFP_NX_ACTION_* or KEN_OFP_ACTION_* of
     * ken/ofp_types.h; typed.msg, e.g. a struct ken_ofp_nx_action_reg_load)
     * and, when decoded, its wire bytes (typed.bytes, typed.len, as raw's).
     * Encoding writes msg in its class's layout; with msg NULL, the bytes. */
    KEN_ACT_TYPED,
};

struct ken_action {
    uint8_t type;
    union {
        struct { uint32_t port; uint16_t max_len; } output;
        struct { uint32_t id; uint8_t len; uint8_t value[16]; } set_field;
        uint16_t ethertype;
        uint32_t group_id;
        uint32_t queue_id;
        struct { const uint8_t *bytes; uint16_t len; } raw;
        struct { const uint8_t *bytes; uint16_t len; int cls; const void *msg; } typed; /* bytes and len as raw's */
    } u;
};

enum ken_inst_type {
    KEN_INST_GOTO_TABLE = 1,
    KEN_INST_WRITE_METADATA = 2,
    KEN_INST_WRITE_ACTIONS = 3,
    KEN_INST_APPLY_ACTIONS = 4,
    KEN_INST_CLEAR_ACTIONS = 5,
    KEN_INST_METER = 6,
    KEN_INST_STAT_TRIGGER = 7, /* 1.5 */
    /* Pre-encoded wire bytes (raw, raw_len) of an instruction of this
     * version, which the encoder copies as they are. The decoders never
     * give one: every instruction of 1.0-1.5 has its kind above. */
    KEN_INST_RAW = 0xff,
};

struct ken_ofp_stats; /* 1.5's OXS statistics, ken/ofp_typed.h */

/* Actions are a pointer and a count: the storage is the caller's when
 * building (an array on the stack will do, alive until the encode), the
 * arena's when decoding. */
struct ken_instruction {
    uint8_t type;          /* enum ken_inst_type */
    uint8_t table_id;      /* GOTO_TABLE */
    uint32_t meter_id;     /* METER */
    uint64_t metadata, metadata_mask; /* WRITE_METADATA */
    size_t n_actions;      /* WRITE/APPLY_ACTIONS */
    const struct ken_action *actions;
    const uint8_t *raw;    /* RAW */
    uint16_t raw_len;
    /* STAT_TRIGGER: KEN_OFPSTF_* flags, and the thresholds (their present
     * fields; NULL encodes as none) */
    uint32_t flags;
    const struct ken_ofp_stats *thresholds;
};

/* ---- messages ---- */

/* A decoded packet-in. in_port comes from the 1.0 header or the match. */
struct ken_packet_in {
    uint32_t buffer_id;
    uint16_t total_len;
    uint8_t reason;
    uint8_t table_id;
    uint64_t cookie;
    uint32_t in_port;
    struct ken_match match;
    const uint8_t *data;   /* points into the message */
    uint16_t data_len;
};

struct ken_flow_mod {
    uint64_t cookie, cookie_mask;
    uint8_t table_id;
    uint16_t command;       /* KEN_OFPFC_* (16 bits in 1.0, 8 later) */
    uint16_t idle_timeout, hard_timeout;
    uint16_t priority;
    uint32_t buffer_id;
    uint32_t out_port;
    uint32_t out_group;
    uint16_t flags;
    uint16_t importance;    /* 1.4+ */
    struct ken_match match;
    /* 1.2+: instructions; 1.0 takes the actions of its APPLY_ACTIONS
     * instructions (and no other kind). The array is the caller's when
     * building, the arena's when decoded. */
    size_t n_instructions;
    const struct ken_instruction *inst;
    /* Storage ken_flow_mod_apply_actions points inst at: a flow-mod built
     * that way and copied by value still points at the original's. */
    struct ken_instruction apply;
};

struct ken_packet_out {
    uint32_t buffer_id;
    uint32_t in_port;
    size_t n_actions;
    const struct ken_action *actions; /* the caller's array, alive until the encode */
    const uint8_t *data;
    uint16_t data_len;
};

struct ken_port {
    uint32_t port_no;
    uint8_t hw_addr[6];
    char name[17];          /* the wire's 16 bytes up to the first NUL, NUL-terminated */
    uint32_t config, state;
    uint32_t curr, advertised, supported, peer;
    uint32_t curr_speed, max_speed;
};

struct ken_switch_features {
    uint64_t datapath_id;
    uint32_t n_buffers;
    uint8_t n_tables;
    uint8_t auxiliary_id;
    uint32_t capabilities;
    uint32_t actions;       /* 1.0 only */
    uint16_t n_ports;       /* 1.0 and 1.2 carry ports here */
};

struct ken_port_status {
    uint8_t reason;         /* KEN_OFPPR_ADD, _DELETE, _MODIFY */
    struct ken_port desc;
};

/* For an experimenter error (1.2+, type 0xffff), code is its exp_type and
 * data starts with the 4-byte experimenter id. */
struct ken_error_msg {
    uint16_t type, code;
    const uint8_t *data;
    uint16_t data_len;
};

#define KEN_PORT_STATS_COUNTERS 12
/* The unnamed struct in a union is C11; C++ compilers take it as an
 * extension (__extension__ quiets g++, the pragma clang++). */
#if defined(__cplusplus) && defined(__clang__)
#pragma clang diagnostic push
#pragma clang diagnostic ignored "-Wnested-anon-types"
#endif
struct ken_port_stats {
    uint32_t port_no;
    union { /* the counters, by name or as the wire's run of twelve */
        __extension__ struct {
            uint64_t rx_packets, tx_packets, rx_bytes, tx_bytes, rx_dropped, tx_dropped;
            uint64_t rx_errors, tx_errors, rx_frame_err, rx_over_err, rx_crc_err, collisions;
        };
        uint64_t counters[KEN_PORT_STATS_COUNTERS];
    };
    uint32_t duration_sec, duration_nsec;
};
#if defined(__cplusplus) && defined(__clang__)
#pragma clang diagnostic pop
#endif

/* Decoders: msg points at the header, n is at least the header's length
 * (check with ken_ofp_header_parse first). They accept exactly the messages
 * the JSON codec (ken_ofp_to_json) accepts, and read the same values
 * (tests/fuzz/fuzz_diff.c holds them to it), whatever the number of
 * fields, actions or instructions in it. They return 0 or a KEN_OFP*
 * error. A packet-in never allocates: its match is a view of the message
 * when it does not fit the struct (see struct ken_match). */
int ken_packet_in_decode(const uint8_t *msg, size_t n, struct ken_packet_in *pi);
/* A flow-mod's instructions and actions go into the arena a (free it when
 * done with fm: ken_arena_free); ENOMEM when the arena cannot grow. */
int ken_flow_mod_decode(const uint8_t *msg, size_t n, struct ken_flow_mod *fm, struct ken_arena *a);
int ken_switch_features_decode(const uint8_t *msg, size_t n, struct ken_switch_features *f);
/* Ports: of a 1.0/1.2 features reply, a port-desc multipart reply (1.3+);
 * fills up to max, sets *n_ports to the number present (may exceed max). */
int ken_ports_decode(const uint8_t *msg, size_t n, struct ken_port *ports, size_t max, size_t *n_ports);
int ken_port_status_decode(const uint8_t *msg, size_t n, struct ken_port_status *ps);
int ken_error_decode(const uint8_t *msg, size_t n, struct ken_error_msg *e);
/* The versions a hello offers, as bitmap bits: its version bitmap, or
 * without one every version up to its header's (bit 0 included, as the
 * spec's "up to"); 0 when the hello is shorter than its header says. */
uint32_t ken_hello_versions(const uint8_t *msg, size_t n);
/* The highest version set in both a hello's bitmap (or its header version)
 * and ours; 0 when none. */
uint8_t ken_hello_negotiate(const uint8_t *msg, size_t n, uint32_t our_bitmap);
/* Port stats reply (1.0: stats, 1.3+: multipart): fills up to max. */
int ken_port_stats_decode(const uint8_t *msg, size_t n, struct ken_port_stats *st, size_t max, size_t *n_stats);

/* Encoders: append one message of the given version with the given xid.
 * A message has at most 65535 bytes (its length is 16 bits): the encoders
 * that can reach that (echo, flow-mod, packet-out, packet-in, port stats)
 * then return KEN_OFPBRC_BAD_LEN and leave b as it was (b->len and the
 * bytes before it unchanged); so does any other error. The void ones
 * always fit. ken_error_encode carries the first 64 bytes of data (the
 * spec's minimum of the offending message), so it always fits too. */
void ken_hello_encode(struct ken_buf *b, uint8_t version, uint32_t xid, uint32_t bitmap);
void ken_simple_encode(struct ken_buf *b, uint8_t version, uint8_t type, uint32_t xid); /* header-only messages */
int ken_echo_encode(struct ken_buf *b, uint8_t version, uint8_t type, uint32_t xid, const uint8_t *data, size_t len);
void ken_set_config_encode(struct ken_buf *b, uint8_t version, uint32_t xid, uint16_t flags, uint16_t miss_send_len);
void ken_port_desc_request_encode(struct ken_buf *b, uint8_t version, uint32_t xid);
void ken_port_stats_request_encode(struct ken_buf *b, uint8_t version, uint32_t xid, uint32_t port_no);
void ken_error_encode(struct ken_buf *b, uint8_t version, uint32_t xid, int ofperr, const uint8_t *data, size_t len);
int ken_flow_mod_encode(struct ken_buf *b, uint8_t version, uint32_t xid, const struct ken_flow_mod *fm);
int ken_packet_out_encode(struct ken_buf *b, uint8_t version, uint32_t xid, const struct ken_packet_out *po);
int ken_packet_in_encode(struct ken_buf *b, uint8_t version, uint32_t xid, const struct ken_packet_in *pi);
int ken_port_stats_reply_encode(struct ken_buf *b, uint8_t version, uint32_t xid, const struct ken_port_stats *st,
                                size_t n);

/* Builders that read like OS-Ken's parser calls. */
void ken_flow_mod_init(struct ken_flow_mod *fm);  /* OS-Ken's defaults: ADD, buffer NO_BUFFER, ANY ports/group */
void ken_packet_out_init(struct ken_packet_out *po);
struct ken_action ken_action_output(uint32_t port, uint16_t max_len);
/* A Nicira, 1.0 or 1.2+ action from its class's struct (KEN_ACT_TYPED): cls a
 * KEN_OFP_NX_ACTION_* / KEN_OFP_ACTION_* of ken/ofp_types.h, msg a struct
 * ken_ofp_<class> filled by ken_ofp_init (OS-Ken's constructor defaults)
 * and then by hand; msg must outlive the encode. A field header member
 * (RegLoad's dst, ...) is KEN_OXM_<FIELD> | the value's length in bytes. */
struct ken_action ken_action_typed(int cls, const void *msg);
/* Makes these actions the flow-mod's one instruction, APPLY_ACTIONS (in
 * fm->apply). acts is not copied: it must outlive the encode. For a
 * flow-mod with more instructions, point fm->inst at your own array of
 * struct ken_instruction instead; a second call (or a call once fm->inst
 * is set) returns EBUSY and changes nothing. */
int ken_flow_mod_apply_actions(struct ken_flow_mod *fm, const struct ken_action *acts, size_t n);

/* ---- the small builders, inline ----
 *
 * ken_match_init, ken_match_add and its typed forms, ken_flow_mod_init,
 * ken_flow_mod_apply_actions, ken_packet_out_init and ken_action_output
 * are also defined here as static inline functions (the _inline names),
 * and the builders' names are macros for them: an app's packet-in
 * handler builds its flow-mod without a call per field. They do exactly
 * what the exported functions do (which stay, for bindings, for a pointer
 * to them and for apps built before); define KEN_NO_INLINE_BUILDERS
 * before including this header to call the exported functions instead.
 * A field the inline ken_match_add does not copy itself (a mask, an
 * unusual length, no room left) takes the exported slow path,
 * ken_match_add_slow, which is ken_match_add out of line. */
int ken_match_add_slow(struct ken_match *m, uint32_t id, const void *value, const void *mask, uint8_t len);

static inline void ken_match_init_inline(struct ken_match *m)
{
    m->n = 0;
    m->used = 0;
    m->oxm_len = 0;
    m->oxm = NULL;
}

static inline int ken_match_add_inline(struct ken_match *m, uint32_t id, const void *value, const void *mask,
                                       uint8_t len)
{
    if (mask || m->oxm || m->n >= KEN_MATCH_INLINE_FIELDS || m->used + len > KEN_MATCH_INLINE_DATA)
        return ken_match_add_slow(m, id, value, mask, len);
    uint8_t *d = m->data + m->used;
    /* Constant sizes: with len known, one copy of that size remains. */
    switch (len) {
    case 1: memcpy(d, value, 1); break;
    case 2: memcpy(d, value, 2); break;
    case 4: memcpy(d, value, 4); break;
    case 6: memcpy(d, value, 6); break;
    case 8: memcpy(d, value, 8); break;
    case 16: memcpy(d, value, 16); break;
    default: return ken_match_add_slow(m, id, value, mask, len);
    }
    struct ken_match_field *f = &m->f[m->n++];
    f->id = id;
    f->exp = 0;
    f->len = len;
    f->masked = false;
    f->off = m->used;
    m->used = (uint16_t)(m->used + len);
    return 0;
}

static inline int ken_match_add_u8_inline(struct ken_match *m, uint32_t id, uint8_t v)
{
    return ken_match_add_inline(m, id, &v, NULL, 1);
}

static inline int ken_match_add_u16_inline(struct ken_match *m, uint32_t id, uint16_t v)
{
    uint8_t b[2];
    wire_put16(b, v);
    return ken_match_add_inline(m, id, b, NULL, 2);
}

static inline int ken_match_add_u32_inline(struct ken_match *m, uint32_t id, uint32_t v)
{
    uint8_t b[4];
    wire_put32(b, v);
    return ken_match_add_inline(m, id, b, NULL, 4);
}

static inline int ken_match_add_u64_inline(struct ken_match *m, uint32_t id, uint64_t v)
{
    uint8_t b[8];
    wire_put64(b, v);
    return ken_match_add_inline(m, id, b, NULL, 8);
}

static inline int ken_match_add_mac_inline(struct ken_match *m, uint32_t id, const uint8_t mac[6], const uint8_t *mask)
{
    return ken_match_add_inline(m, id, mac, mask, 6);
}

static inline void ken_flow_mod_init_inline(struct ken_flow_mod *fm)
{
    memset(fm, 0, offsetof(struct ken_flow_mod, match));
    fm->command = KEN_OFPFC_ADD;
    fm->priority = 0x8000; /* OFP_DEFAULT_PRIORITY */
    fm->buffer_id = KEN_OFP_NO_BUFFER;
    fm->out_port = KEN_OFPP_ANY;
    fm->out_group = KEN_OFPG_ANY;
    ken_match_init_inline(&fm->match);
    fm->n_instructions = 0;
    fm->inst = NULL;
}

static inline int ken_flow_mod_apply_actions_inline(struct ken_flow_mod *fm, const struct ken_action *acts, size_t n)
{
    if (fm->n_instructions || fm->inst)
        return EBUSY;
    memset(&fm->apply, 0, sizeof fm->apply);
    fm->apply.type = KEN_INST_APPLY_ACTIONS;
    fm->apply.n_actions = n;
    fm->apply.actions = acts;
    fm->inst = &fm->apply;
    fm->n_instructions = 1;
    return 0;
}

static inline void ken_packet_out_init_inline(struct ken_packet_out *po)
{
    memset(po, 0, sizeof *po);
    po->buffer_id = KEN_OFP_NO_BUFFER;
    po->in_port = KEN_OFPP_CONTROLLER;
}

static inline struct ken_action ken_action_output_inline(uint32_t port, uint16_t max_len)
{
    struct ken_action a;
    memset(&a, 0, sizeof a); /* the union's other bytes zero, as the exported one's */
    a.type = KEN_ACT_OUTPUT;
    a.u.output.port = port;
    a.u.output.max_len = max_len;
    return a;
}

#ifndef KEN_NO_INLINE_BUILDERS
#define ken_match_init(m) ken_match_init_inline(m)
#define ken_match_add(m, id, value, mask, len) ken_match_add_inline(m, id, value, mask, len)
#define ken_match_add_u8(m, id, v) ken_match_add_u8_inline(m, id, v)
#define ken_match_add_u16(m, id, v) ken_match_add_u16_inline(m, id, v)
#define ken_match_add_u32(m, id, v) ken_match_add_u32_inline(m, id, v)
#define ken_match_add_u64(m, id, v) ken_match_add_u64_inline(m, id, v)
#define ken_match_add_mac(m, id, mac, mask) ken_match_add_mac_inline(m, id, mac, mask)
#define ken_flow_mod_init(fm) ken_flow_mod_init_inline(fm)
#define ken_flow_mod_apply_actions(fm, acts, n) ken_flow_mod_apply_actions_inline(fm, acts, n)
#define ken_packet_out_init(po) ken_packet_out_init_inline(po)
#define ken_action_output(port, max_len) ken_action_output_inline(port, max_len)
#endif

#endif
