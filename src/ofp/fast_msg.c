/* Hot-path messages as C structs: the decoders check the type and every
 * length before they read; the encoders build one message per call. */
#include <errno.h>
#include <string.h>

#include "ken/ofp_msg.h"
#include "ofp/actions.h"
#include "ofp/fast.h"
#include "ofp/ofp_spec.h"
#include "ofp/ports.h"
#include "ofp/swap64.h"
#include "ofp/typed.h"
#include "ofp/wire.h"

/* ---- helpers ---- */

/* A message type's number in this version (1.0 numbers some apart). Where
 * the versions agree, the choice folds to one constant. */
#define TYPE_IN(version, name) ((version) == KEN_OFP10 ? OFPT10_##name : OFPT_##name)
/* Likewise a multipart (stats) type's. */
#define MP_TYPE_IN(version, name) ((version) == KEN_OFP10 ? OFPST10_##name : OFPMP_##name)

/* Writes a header's version, type and xid at p (its length: ofp_msg_finish). */
static inline void header_at(uint8_t *p, uint8_t version, uint8_t type, uint32_t xid)
{
    p[OFPO_OFP_HEADER_VERSION] = version;
    p[OFPO_OFP_HEADER_TYPE] = type;
    wire_put32(p + OFPO_OFP_HEADER_XID, xid);
}

static size_t put_header(struct ken_buf *b, uint8_t version, uint8_t type, uint32_t xid)
{
    size_t start = b->len;
    header_at(ken_buf_put_zeros(b, 8), version, type, xid);
    return start;
}


/* Checks version, type and that n covers the header's length; returns the length. */
static int check_msg(const uint8_t *msg, size_t n, uint8_t type, size_t min_len, size_t *len)
{
    if (n < 8)
        return KEN_OFPBRC_BAD_LEN;
    size_t l = wire_get16(msg + OFPO_OFP_HEADER_LENGTH);
    if (l < 8 || l > n)
        return KEN_OFPBRC_BAD_LEN;
    if (!ken_ofp_version_supported(msg[OFPO_OFP_HEADER_VERSION]))
        return KEN_OFPBRC_BAD_VERSION;
    if (msg[OFPO_OFP_HEADER_TYPE] != type)
        return KEN_OFPBRC_BAD_TYPE;
    if (l < min_len)
        return KEN_OFPBRC_BAD_LEN;
    *len = l;
    return 0;
}

/* Where a multipart/stats reply's body starts: after its header. */
static size_t mp_body(uint8_t version) { return version == KEN_OFP10 ? OFPO_REPLY_PORT_STATS_10_BODY : OFPO_REPLY_PORT_STATS_13_BODY; }

/* A whole stats/multipart reply of type mp: framing, version and type
 * checked once, for every reply decoder. */
static int check_mp_reply(const uint8_t *msg, size_t n, uint16_t mp, size_t *len)
{
    if (n < 8)
        return KEN_OFPBRC_BAD_LEN;
    int err = check_msg(msg, n, TYPE_IN(msg[OFPO_OFP_HEADER_VERSION], MULTIPART_REPLY), mp_body(msg[OFPO_OFP_HEADER_VERSION]), len);
    if (!err && wire_get16(msg + OFPO_REPLY_PORT_STATS_13_TYPE) != mp) /* where every reply has its type */
        err = KEN_OFPBRC_BAD_MULTIPART;
    return err;
}

/* ---- packet-in ---- */

/* The 1.0 packet-in's match: just in_port, written in place (hot path). */
static void match_set_in_port(struct ken_match *m, uint32_t port)
{
    m->n = 1;
    m->used = 4;
    m->oxm = NULL; /* oxm_len is read only with oxm */
    m->f[0] = (struct ken_match_field){.id = KEN_OXM_IN_PORT, .exp = 0, .len = 4, .masked = false, .off = 0};
    wire_put32(m->data, port);
}

/* The 1.0 packet-in (cbench's): check_msg's checks, in its order, for a
 * message known to be 1.0; a leaf function, nothing to save. */
__attribute__((noinline)) static int packet_in10_decode(const uint8_t *msg, size_t n, struct ken_packet_in *pi)
{
    size_t len = wire_get16(msg + OFPO_OFP_HEADER_LENGTH);
    if (len < KEN_OFP_HEADER_LEN || len > n)
        return KEN_OFPBRC_BAD_LEN;
    if (msg[OFPO_OFP_HEADER_TYPE] != OFPT10_PACKET_IN)
        return KEN_OFPBRC_BAD_TYPE;
    if (len < OFPS_BODY_PACKET_IN_10)
        return KEN_OFPBRC_BAD_LEN;
    pi->buffer_id = wire_get32(msg + OFPO_BODY_PACKET_IN_10_BUFFER_ID);
    pi->total_len = wire_get16(msg + OFPO_BODY_PACKET_IN_10_TOTAL_LEN);
    pi->in_port = ken_port_from_wire(KEN_OFP10, wire_get16(msg + OFPO_BODY_PACKET_IN_10_IN_PORT));
    pi->reason = msg[OFPO_BODY_PACKET_IN_10_REASON];
    pi->table_id = 0;
    pi->cookie = 0;
    match_set_in_port(&pi->match, pi->in_port);
    pi->data = msg + OFPO_BODY_PACKET_IN_10_DATA;
    pi->data_len = (uint16_t)(len - OFPO_BODY_PACKET_IN_10_DATA);
    return 0;
}

/* 1.2 and later: a match, and in_port in it. */
__attribute__((noinline)) static int packet_in12_decode(const uint8_t *msg, size_t n, struct ken_packet_in *pi)
{
    size_t len;
    int err = check_msg(msg, n, OFPT_PACKET_IN, OFPS_BODY_PACKET_IN_10, &len);
    if (err)
        return err;
    /* buffer_id and total_len sit alike in every version */
    pi->buffer_id = wire_get32(msg + OFPO_BODY_PACKET_IN_13_BUFFER_ID);
    pi->total_len = wire_get16(msg + OFPO_BODY_PACKET_IN_13_TOTAL_LEN);
    pi->reason = msg[OFPO_BODY_PACKET_IN_13_REASON];
    pi->table_id = msg[OFPO_BODY_PACKET_IN_13_TABLE_ID];
    size_t at = OFPO_BODY_PACKET_IN_12_MATCH;
    pi->cookie = 0;
    if (msg[OFPO_OFP_HEADER_VERSION] >= KEN_OFP13) {
        if (len < OFPO_BODY_PACKET_IN_13_MATCH)
            return KEN_OFPBRC_BAD_LEN;
        pi->cookie = wire_get64(msg + OFPO_BODY_PACKET_IN_13_COOKIE);
        at = OFPO_BODY_PACKET_IN_13_MATCH;
    }
    size_t used = fast_match_decode(msg + at, len - at, msg[OFPO_OFP_HEADER_VERSION], &pi->match, &err);
    if (!used)
        return err;
    at += used;
    if (len - at < 2)
        return KEN_OFPBRC_BAD_LEN;
    at += 2;
    pi->data = msg + at;
    pi->data_len = (uint16_t)(len - at);
    /* Switches put in_port first: read it in place, else look it up. */
    const struct ken_match *m = &pi->match;
    uint64_t port = 0;
    if (m->n && m->f[0].id == KEN_OXM_IN_PORT && m->f[0].len == 4)
        pi->in_port = wire_get32((m->oxm ? m->oxm : m->data) + m->f[0].off);
    else
        pi->in_port = ken_match_get_uint(m, KEN_OXM_IN_PORT, &port) ? (uint32_t)port : 0;
    return 0;
}

/* Two functions, each with only its own registers to save: the 1.0 one
 * (cbench's) saves none. */
int ken_packet_in_decode(const uint8_t *msg, size_t n, struct ken_packet_in *pi)
{
    if (n >= KEN_OFP_HEADER_LEN && msg[OFPO_OFP_HEADER_VERSION] == KEN_OFP10)
        return packet_in10_decode(msg, n, pi);
    return packet_in12_decode(msg, n, pi);
}

int ken_packet_in_encode(struct ken_buf *b, uint8_t version, uint32_t xid, const struct ken_packet_in *pi)
{
    size_t start = put_header(b, version, TYPE_IN(version, PACKET_IN), xid);
    ken_buf_put32(b, pi->buffer_id);
    ken_buf_put16(b, pi->total_len);
    if (version == KEN_OFP10) {
        ken_buf_put16(b, (uint16_t)ken_port_to_wire(version, pi->in_port));
        ken_buf_put8(b, pi->reason);
        ken_buf_put8(b, 0);
    } else {
        ken_buf_put8(b, pi->reason);
        ken_buf_put8(b, pi->table_id);
        if (version >= KEN_OFP13)
            ken_buf_put64(b, pi->cookie);
        fast_match_encode(b, &pi->match);
        ken_buf_put_zeros(b, 2);
    }
    ken_buf_put(b, pi->data, pi->data_len);
    return ofp_msg_finish(b, start);
}

/* ---- actions and instructions ---- */

/* Short names for the described action layouts (src/ofp/spec/openflow.def). */
#define ACT(name) OFPK_OFP_ACTIONS_ACTION_##name
#define ACT_SIZE(name) OFPS_OFP_ACTIONS_ACTION_##name
#define ACT_AT(name, field) OFPO_OFP_ACTIONS_ACTION_##name##_##field

/* Appends an action of the given type and length, zeroed but for its
 * header (type and len, alike in every action); returns where it starts. */
static inline uint8_t *action_put(struct ken_buf *b, uint16_t type, uint16_t len)
{
    uint8_t *p = ken_buf_put_zeros(b, len);
    wire_put16(p + ACT_AT(OUTPUT, TYPE), type);
    wire_put16(p + ACT_AT(OUTPUT, LEN), len);
    return p;
}

/* Any action; kept out of line (actions_encode writes the outputs
 * itself): inlined, its frame made every list's call cost more. */
__attribute__((noinline)) static int action_encode(struct ken_buf *b, uint8_t version, const struct ken_action *a)
{
    size_t start = b->len;
    uint8_t *p;
    if (a->type == KEN_ACT_RAW || (a->type == KEN_ACT_TYPED && !a->u.typed.msg)) {
        ken_buf_put(b, a->u.raw.bytes, a->u.raw.len);
        return 0;
    }
    if (a->type == KEN_ACT_TYPED) { /* a Nicira, 1.0 or 1.2+ action, from its class's layout */
        char why[KEN_WHY_LEN];
        why[0] = 0;
        return ofp_typed_action_encode(b, version, a->u.typed.cls, a->u.typed.msg, why);
    }
    if (version == KEN_OFP10) {
        if (a->type != KEN_ACT_OUTPUT)
            return KEN_OFPBAC_BAD_TYPE;
        p = action_put(b, OFPK_OF10_ACTION_POLY_ACTION_OUTPUT, OFPS_OF10_ACTION_POLY_ACTION_OUTPUT);
        wire_put16(p + OFPO_OF10_ACTION_POLY_ACTION_OUTPUT_PORT, (uint16_t)ken_port_to_wire(version, a->u.output.port));
        wire_put16(p + OFPO_OF10_ACTION_POLY_ACTION_OUTPUT_MAX_LEN, a->u.output.max_len);
        return 0;
    }
    switch (a->type) {
    case KEN_ACT_OUTPUT:
        p = action_put(b, ACT(OUTPUT), ACT_SIZE(OUTPUT));
        wire_put32(p + ACT_AT(OUTPUT, PORT), a->u.output.port);
        wire_put16(p + ACT_AT(OUTPUT, MAX_LEN), a->u.output.max_len);
        return 0;
    case KEN_ACT_SET_FIELD: {
        if (a->u.set_field.len == 0 || a->u.set_field.len > sizeof a->u.set_field.value)
            return KEN_OFPBAC_BAD_ARGUMENT;
        ken_buf_put16(b, ACT(SET_FIELD));
        ken_buf_put16(b, 0); /* len, written below */
        ken_buf_put32(b, a->u.set_field.id | a->u.set_field.len);
        ken_buf_put(b, a->u.set_field.value, a->u.set_field.len);
        ken_buf_align(b, start, 8);
        wire_put16(b->data + start + ACT_AT(SET_FIELD, LEN), (uint16_t)(b->len - start));
        return 0;
    }
    case KEN_ACT_PUSH_VLAN:
        wire_put16(action_put(b, ACT(PUSH_VLAN), ACT_SIZE(PUSH_VLAN)) + ACT_AT(PUSH_VLAN, ETHERTYPE), a->u.ethertype);
        return 0;
    case KEN_ACT_POP_VLAN:
        action_put(b, ACT(POP_VLAN), ACT_SIZE(POP_VLAN));
        return 0;
    case KEN_ACT_GROUP:
        wire_put32(action_put(b, ACT(GROUP), ACT_SIZE(GROUP)) + ACT_AT(GROUP, GROUP_ID), a->u.group_id);
        return 0;
    case KEN_ACT_SET_QUEUE:
        wire_put32(action_put(b, ACT(SET_QUEUE), ACT_SIZE(SET_QUEUE)) + ACT_AT(SET_QUEUE, QUEUE_ID), a->u.queue_id);
        return 0;
    case KEN_ACT_DEC_NW_TTL:
        action_put(b, ACT(DEC_NW_TTL), ACT_SIZE(DEC_NW_TTL));
        return 0;
    default:
        return KEN_OFPBAC_BAD_TYPE;
    }
}

/* An output action (the one every flow-mod and packet-out of the
 * learning switches carries): written here, without action_encode's call
 * and dispatch. Every byte is written (1.2+: its padding zeroed). */
static inline void output_put(struct ken_buf *b, uint8_t version, const struct ken_action *a)
{
    if (version == KEN_OFP10) {
        uint8_t *p = ken_buf_put_uninit(b, OFPS_OF10_ACTION_POLY_ACTION_OUTPUT);
        wire_put16(p + OFPO_OF10_ACTION_POLY_ACTION_OUTPUT_TYPE, OFPK_OF10_ACTION_POLY_ACTION_OUTPUT);
        wire_put16(p + OFPO_OF10_ACTION_POLY_ACTION_OUTPUT_LEN, OFPS_OF10_ACTION_POLY_ACTION_OUTPUT);
        wire_put16(p + OFPO_OF10_ACTION_POLY_ACTION_OUTPUT_PORT, (uint16_t)ken_port_to_wire(version, a->u.output.port));
        wire_put16(p + OFPO_OF10_ACTION_POLY_ACTION_OUTPUT_MAX_LEN, a->u.output.max_len);
        return;
    }
    uint8_t *p = action_put(b, ACT(OUTPUT), ACT_SIZE(OUTPUT));
    wire_put32(p + ACT_AT(OUTPUT, PORT), a->u.output.port);
    wire_put16(p + ACT_AT(OUTPUT, MAX_LEN), a->u.output.max_len);
}
_Static_assert(OFPO_OF10_ACTION_POLY_ACTION_OUTPUT_LEN == OFPO_OF10_ACTION_POLY_ACTION_OUTPUT_TYPE + 2 &&
                   OFPO_OF10_ACTION_POLY_ACTION_OUTPUT_PORT == OFPO_OF10_ACTION_POLY_ACTION_OUTPUT_LEN + 2 &&
                   OFPO_OF10_ACTION_POLY_ACTION_OUTPUT_MAX_LEN == OFPO_OF10_ACTION_POLY_ACTION_OUTPUT_PORT + 2 &&
                   OFPS_OF10_ACTION_POLY_ACTION_OUTPUT == OFPO_OF10_ACTION_POLY_ACTION_OUTPUT_MAX_LEN + 2 &&
                   OFPO_OF10_ACTION_POLY_ACTION_OUTPUT_TYPE == 0,
               "the 1.0 output action is its four fields, no padding: output_put writes every byte");

__attribute__((always_inline)) static inline int actions_encode(struct ken_buf *b, uint8_t version,
                                                                const struct ken_action *acts, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        if (acts[i].type == KEN_ACT_OUTPUT) {
            output_put(b, version, &acts[i]);
            continue;
        }
        int err = action_encode(b, version, &acts[i]);
        if (err)
            return err;
    }
    return 0;
}

int ken_actions_encode(struct ken_buf *b, uint8_t version, const struct ken_action *acts, size_t n)
{
    size_t start = b->len;
    int err = actions_encode(b, version, acts, n);
    if (err)
        b->len = start;
    return err;
}

/* Every action starts with type and len (as output's), is at least as long
 * as the shortest one and a multiple of 8 long (the description's). */
#define ACT_MIN ACT_SIZE(POP_VLAN)
#define ACT_ALIGN 8

/* At most this many entries fit in n bytes of a list whose entries are
 * at least min bytes long: the arena gives that much at once, and the
 * decoder fills it in one pass (no counting pass first; the tail unused). */
static inline size_t list_cap(size_t n, size_t min) { return n / min; }

/* n elements from the arena, not zeroed: the decoders below write each
 * element whole (the arena's slow path zeroes, which costs nothing more
 * there). */
static inline void *arena_take(struct ken_arena *a, size_t n, size_t size)
{
    size_t bytes = n * size, want = (bytes + KEN_ARENA_ALIGN - 1) & ~(size_t)(KEN_ARENA_ALIGN - 1);
    if (n && a->cur && (size_t)(a->end - a->cur) >= want) {
        void *p = a->cur;
        a->cur += want;
        a->total += want;
        return p;
    }
    return ken_arena_calloc(a, n, size);
}

/* A checked 1.2+ action (len bytes at q) of a type struct ken_action has
 * room for, into *a: true when it is one, in the form the encoder writes
 * (so that it encodes back to the same action); else the caller keeps its
 * bytes. */
static bool action_typed(const uint8_t *q, uint16_t len, struct ken_action *a)
{
    uint16_t type = wire_get16(q + ACT_AT(OUTPUT, TYPE));
    if (type == ACT(SET_FIELD)) {
        uint32_t hdr = wire_get32(q + ACT_AT(SET_FIELD, FIELD));
        uint8_t vlen = hdr & 0xff;
        /* one value of the basic or a Nicira class, no mask, padded to 8 */
        if ((hdr & 0x100) || hdr >> 16 == 0xffff || vlen == 0 || vlen > sizeof a->u.set_field.value ||
            len != (ACT_AT(SET_FIELD, FIELD) + 4u + vlen + 7) / 8 * 8)
            return false;
        *a = (struct ken_action){.type = KEN_ACT_SET_FIELD};
        a->u.set_field.id = hdr & 0xfffffe00u;
        a->u.set_field.len = vlen;
        memcpy(a->u.set_field.value, q + ACT_AT(SET_FIELD, FIELD) + 4, vlen);
        return true;
    }
    if (type == ACT(PUSH_VLAN) && len == ACT_SIZE(PUSH_VLAN)) {
        *a = (struct ken_action){.type = KEN_ACT_PUSH_VLAN, .u.ethertype = wire_get16(q + ACT_AT(PUSH_VLAN, ETHERTYPE))};
        return true;
    }
    if (type == ACT(POP_VLAN) && len == ACT_SIZE(POP_VLAN)) {
        *a = (struct ken_action){.type = KEN_ACT_POP_VLAN};
        return true;
    }
    if (type == ACT(GROUP) && len == ACT_SIZE(GROUP)) {
        *a = (struct ken_action){.type = KEN_ACT_GROUP, .u.group_id = wire_get32(q + ACT_AT(GROUP, GROUP_ID))};
        return true;
    }
    if (type == ACT(SET_QUEUE) && len == ACT_SIZE(SET_QUEUE)) {
        *a = (struct ken_action){.type = KEN_ACT_SET_QUEUE, .u.queue_id = wire_get32(q + ACT_AT(SET_QUEUE, QUEUE_ID))};
        return true;
    }
    if (type == ACT(DEC_NW_TTL) && len == ACT_SIZE(DEC_NW_TTL)) {
        *a = (struct ken_action){.type = KEN_ACT_DEC_NW_TTL};
        return true;
    }
    return false;
}

/* Any action but an output, once the JSON codec's checks pass (the fast
 * codec accepts exactly what it accepts): its struct ken_action form, a
 * Nicira, 1.0 or 1.2+ action's class struct, else its bytes. Out of line: not
 * on the hot path (flow-mods output, packet-ins carry no actions), and
 * kept out of the list loop it would crowd. */
__attribute__((noinline, cold)) static int action_other(const uint8_t *q, size_t rem, uint16_t len, uint8_t version,
                                                       struct ken_arena *arena, struct ken_action *a)
{
    size_t span;
    int err = ofp_action_check(q, rem, version, &span);
    if (err)
        return err;
    if (span != len)
        return KEN_OFPBAC_BAD_LEN;
    if (version != KEN_OFP10 && action_typed(q, len, a))
        return 0;
    err = ofp_typed_action_decode(q, len, version, arena, a);
    if (err == ENOMEM)
        return ENOMEM;
    if (err) {
        *a = (struct ken_action){.type = KEN_ACT_RAW};
        a->u.raw.bytes = q;
        a->u.raw.len = len;
    }
    return 0;
}

/* A 1.2+ output action's first word: its type, then its length. */
_Static_assert(ACT_AT(OUTPUT, LEN) == ACT_AT(OUTPUT, TYPE) + 2, "an action's length follows its type");
#define OUTPUT_HEAD ((uint32_t)ACT(OUTPUT) << 16 | ACT_SIZE(OUTPUT))

/* Decodes the actions struct ken_action models into out (room for n / 8
 * of them); others become KEN_ACT_RAW views. *k says how many. Inlined
 * into the instruction and flow-mod decoders: the calls showed in the
 * flow-mod decode's time. */
__attribute__((always_inline)) static inline int actions_fill(const uint8_t *p, size_t n, uint8_t version,
                                                              struct ken_arena *arena, struct ken_action *out,
                                                              size_t *count)
{
    size_t pos = 0, k = 0;
    while (pos < n) {
        const uint8_t *q = p + pos;
        /* The common case first: a 1.2+ output, its type and length read
         * as one word. */
        if (version != KEN_OFP10 && n - pos >= ACT_SIZE(OUTPUT) && wire_get32(q + ACT_AT(OUTPUT, TYPE)) == OUTPUT_HEAD) {
            struct ken_action *a = &out[k++];
            *a = (struct ken_action){.type = KEN_ACT_OUTPUT}; /* the union's other bytes zero, never garbage */
            a->u.output.port = wire_get32(q + ACT_AT(OUTPUT, PORT));
            a->u.output.max_len = wire_get16(q + ACT_AT(OUTPUT, MAX_LEN));
            pos += ACT_SIZE(OUTPUT);
            continue;
        }
        if (n - pos < ACT_MIN)
            return KEN_OFPBAC_BAD_LEN;
        uint16_t type = wire_get16(q + ACT_AT(OUTPUT, TYPE)), len = wire_get16(q + ACT_AT(OUTPUT, LEN));
        if (len < ACT_MIN || len % ACT_ALIGN || len > n - pos)
            return KEN_OFPBAC_BAD_LEN;
        struct ken_action *a = &out[k++]; /* k <= n / 8: every action takes ACT_MIN bytes at least */
        if (version == KEN_OFP10 && type == OFPK_OF10_ACTION_POLY_ACTION_OUTPUT &&
                   len == OFPS_OF10_ACTION_POLY_ACTION_OUTPUT) {
            *a = (struct ken_action){.type = KEN_ACT_OUTPUT};
            a->u.output.port = ken_port_from_wire(version, wire_get16(q + OFPO_OF10_ACTION_POLY_ACTION_OUTPUT_PORT));
            a->u.output.max_len = wire_get16(q + OFPO_OF10_ACTION_POLY_ACTION_OUTPUT_MAX_LEN);
        } else {
            int err = action_other(q, n - pos, len, version, arena, a);
            if (err)
                return err;
        }
        pos += len;
    }
    *count = k;
    return 0;
}

/* The same into storage of its own from the arena. */
static int actions_decode(const uint8_t *p, size_t n, uint8_t version, struct ken_arena *arena,
                          const struct ken_action **acts, size_t *n_acts)
{
    *acts = NULL;
    *n_acts = 0;
    size_t cap = list_cap(n, ACT_MIN), k;
    struct ken_action *out = NULL;
    if (cap && !(out = arena_take(arena, cap, sizeof *out)))
        return ENOMEM;
    int err = actions_fill(p, n, version, arena, out, &k);
    if (err)
        return err;
    *acts = k ? out : NULL;
    *n_acts = k;
    return 0;
}

/* The described instructions; ken/ofp_msg.h's KEN_INST_* are their type numbers. */
#define INST(name) OFPK_OFP_INSTRUCTIONS_INSTRUCTION_##name
#define INST_SIZE(name) OFPS_OFP_INSTRUCTIONS_INSTRUCTION_##name
#define INST_AT(name, field) OFPO_OFP_INSTRUCTIONS_INSTRUCTION_##name##_##field
_Static_assert(KEN_INST_GOTO_TABLE == INST(GOTO_TABLE) && KEN_INST_WRITE_METADATA == INST(WRITE_METADATA) &&
                   KEN_INST_METER == INST(METER) && KEN_INST_WRITE_ACTIONS == OFPC_OFPIT_WRITE_ACTIONS &&
                   KEN_INST_APPLY_ACTIONS == OFPC_OFPIT_APPLY_ACTIONS &&
                   KEN_INST_CLEAR_ACTIONS == OFPC_OFPIT_CLEAR_ACTIONS &&
                   KEN_INST_STAT_TRIGGER == INST(STAT_TRIGGER),
               "ken/ofp_msg.h's instruction types are the description's");

/* The meter instruction came with 1.3 and left in 1.5 (a meter action
 * took its place). */
static bool meter_instruction_in(uint8_t version) { return version == KEN_OFP13 || version == KEN_OFP14; }

/* The stat-trigger instruction (1.5): its flags, then its thresholds as
 * 1.5's OXS statistics, written in OS-Ken's order (padded to 8 bytes). Out
 * of line: a rare instruction, kept out of the inlined flow-mod encoder. */
static int stat_trigger_encode(struct ken_buf *b, uint8_t version, const struct ken_instruction *in)
{
    if (version != KEN_OFP15)
        return KEN_OFPBIC_UNKNOWN_INST;
    uint8_t *q = ken_buf_put_zeros(b, INST_AT(STAT_TRIGGER, THRESHOLDS));
    wire_put32(q + INST_AT(STAT_TRIGGER, FLAGS), in->flags);
    static const struct ken_ofp_stats none;
    char why[KEN_WHY_LEN];
    why[0] = 0;
    return ofp_stats_encode(b, in->thresholds ? in->thresholds : &none, "thresholds", why) ? KEN_OFPBIC_BAD_LEN : 0;
}

/* Inlined into the flow-mod encoder: a call per flow-mod showed in its cost. */
__attribute__((always_inline)) static inline int instructions_encode(struct ken_buf *b, uint8_t version,
                                                                     const struct ken_instruction *inst, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        const struct ken_instruction *in = &inst[i];
        size_t start = b->len;
        uint8_t *q;
        switch (in->type) {
        case KEN_INST_GOTO_TABLE:
            q = ken_buf_put_zeros(b, INST_SIZE(GOTO_TABLE));
            q[INST_AT(GOTO_TABLE, TABLE_ID)] = in->table_id;
            break;
        case KEN_INST_WRITE_METADATA:
            q = ken_buf_put_zeros(b, INST_SIZE(WRITE_METADATA));
            wire_put64(q + INST_AT(WRITE_METADATA, METADATA), in->metadata);
            wire_put64(q + INST_AT(WRITE_METADATA, METADATA_MASK), in->metadata_mask);
            break;
        case KEN_INST_WRITE_ACTIONS:
        case KEN_INST_APPLY_ACTIONS:
        case KEN_INST_CLEAR_ACTIONS: {
            ken_buf_put_zeros(b, INST_AT(ACTIONS, ACTIONS));
            int err = actions_encode(b, version, in->actions, in->n_actions);
            if (err)
                return err;
            break;
        }
        case KEN_INST_METER:
            if (!meter_instruction_in(version))
                return KEN_OFPBIC_UNKNOWN_INST;
            q = ken_buf_put_zeros(b, INST_SIZE(METER));
            wire_put32(q + INST_AT(METER, METER_ID), in->meter_id);
            break;
        case KEN_INST_STAT_TRIGGER: {
            int err = stat_trigger_encode(b, version, in);
            if (err)
                return err;
            break;
        }
        case KEN_INST_RAW:
            ken_buf_put(b, in->raw, in->raw_len); /* the bytes carry their own header */
            continue;
        default:
            return KEN_OFPBIC_UNKNOWN_INST;
        }
        /* type and len, alike in every instruction; over 65535 bytes the
         * message is refused as a whole (ofp_msg_finish) */
        wire_put16(b->data + start + INST_AT(ACTIONS, TYPE), in->type);
        wire_put16(b->data + start + INST_AT(ACTIONS, LEN), (uint16_t)(b->len - start));
    }
    return 0;
}

int ken_instructions_encode(struct ken_buf *b, uint8_t version, const struct ken_instruction *inst, size_t n)
{
    size_t start = b->len;
    int err = instructions_encode(b, version, inst, n);
    if (err)
        b->len = start;
    return err;
}

/* As the JSON codec (and OS-Ken) read them: goto-table, write-metadata and
 * meter instructions span their fields whatever their length says (the
 * description's @fixed); the others span their length. Returns it, or 0
 * when it does not fit (or is under the smallest instruction). */
#define INST_MIN INST_SIZE(GOTO_TABLE)
static inline size_t instruction_span(const uint8_t *q, size_t rem)
{
    uint16_t type = wire_get16(q + INST_AT(ACTIONS, TYPE)), len = wire_get16(q + INST_AT(ACTIONS, LEN));
    if (type == KEN_INST_GOTO_TABLE)
        len = INST_SIZE(GOTO_TABLE);
    else if (type == KEN_INST_METER)
        len = INST_SIZE(METER);
    else if (type == KEN_INST_WRITE_METADATA)
        len = INST_SIZE(WRITE_METADATA);
    return len < INST_MIN || len > rem ? 0 : len;
}

int ken_actions_decode(const uint8_t *p, size_t n, uint8_t version, struct ken_arena *arena,
                       const struct ken_action **acts, size_t *n_acts)
{
    return actions_decode(p, n, version, arena, acts, n_acts);
}

/* Instructions and their actions come from one arena block: every
 * instruction and every action takes 8 bytes of the list at least, so
 * n / 8 of each is room enough, and one take serves the whole list (the
 * tail unused, nothing zeroed that is then written). */
#define LIST_ENTRY_MIN 8
_Static_assert(INST_MIN >= LIST_ENTRY_MIN && ACT_MIN >= LIST_ENTRY_MIN, "every entry takes 8 bytes at least");
_Static_assert(sizeof(struct ken_action) % _Alignof(struct ken_instruction) == 0, "instructions after actions stay aligned");

__attribute__((always_inline)) static inline int instructions_decode(const uint8_t *p, size_t n, uint8_t version,
                                                                     struct ken_arena *a,
                                                                     const struct ken_instruction **inst,
                                                                     size_t *n_inst)
{
    size_t cap = list_cap(n, LIST_ENTRY_MIN), pos, len, k = 0;
    struct ken_instruction *out = NULL;
    struct ken_action *acts = NULL;
    if (cap) {
        /* the actions first: their size is a power of two, cheaper to scale */
        if (!(acts = arena_take(a, cap, sizeof *out + sizeof *acts)))
            return ENOMEM;
        out = (struct ken_instruction *)(acts + cap);
    }
    for (pos = 0; pos < n; pos += len) {
        if (n - pos < INST_MIN || !(len = instruction_span(p + pos, n - pos)))
            return KEN_OFPBIC_BAD_LEN;
        struct ken_instruction *in = &out[k++]; /* k <= cap: every instruction takes INST_MIN bytes at least */
        const uint8_t *q = p + pos;
        uint16_t type = wire_get16(q + INST_AT(ACTIONS, TYPE));
        *in = (struct ken_instruction){.type = (uint8_t)type};
        switch (type) {
        case KEN_INST_GOTO_TABLE:
            in->table_id = q[INST_AT(GOTO_TABLE, TABLE_ID)];
            break;
        case KEN_INST_WRITE_METADATA:
            in->metadata = wire_get64(q + INST_AT(WRITE_METADATA, METADATA));
            in->metadata_mask = wire_get64(q + INST_AT(WRITE_METADATA, METADATA_MASK));
            break;
        case KEN_INST_WRITE_ACTIONS:
        case KEN_INST_APPLY_ACTIONS:
        case KEN_INST_CLEAR_ACTIONS: {
            /* the actions follow the ones of the instructions before */
            size_t na;
            int err = actions_fill(q + INST_AT(ACTIONS, ACTIONS), len - INST_AT(ACTIONS, ACTIONS), version, a,
                                   acts, &na);
            if (err)
                return err;
            in->actions = na ? acts : NULL;
            in->n_actions = na;
            acts += na;
            break;
        }
        case KEN_INST_METER:
            if (!meter_instruction_in(version))
                return KEN_OFPBIC_UNKNOWN_INST;
            in->meter_id = wire_get32(q + INST_AT(METER, METER_ID));
            break;
        default: {
            /* The rare ones (stat-trigger), once the JSON codec's checks
             * pass; bytes if the description ever has one ken does not model. */
            size_t span;
            int err = ofp_instruction_check(q, n - pos, version, &span);
            if (err)
                return err;
            if (span != len)
                return KEN_OFPBIC_BAD_LEN;
            if (type == KEN_INST_STAT_TRIGGER) {
                struct ken_ofp_stats *th = ken_arena_alloc(a, sizeof *th);
                if (!th)
                    return ENOMEM;
                in->flags = wire_get32(q + INST_AT(STAT_TRIGGER, FLAGS));
                ofp_stats_decode(q + INST_AT(STAT_TRIGGER, THRESHOLDS), len - INST_AT(STAT_TRIGGER, THRESHOLDS), th);
                in->thresholds = th;
                break;
            }
            in->type = KEN_INST_RAW;
            in->raw = q;
            in->raw_len = (uint16_t)len;
            break;
        }
        }
    }
    *inst = k ? out : NULL;
    *n_inst = k;
    return 0;
}

int ken_instructions_decode(const uint8_t *p, size_t n, uint8_t version, struct ken_arena *a,
                            const struct ken_instruction **inst, size_t *n_inst)
{
    *inst = NULL;
    *n_inst = 0;
    return instructions_decode(p, n, version, a, inst, n_inst);
}

/* ---- flow-mod ---- */

/* The exported builders: the header's inline ones, out of line. */
void (ken_flow_mod_init)(struct ken_flow_mod *fm) { ken_flow_mod_init_inline(fm); }

int (ken_flow_mod_apply_actions)(struct ken_flow_mod *fm, const struct ken_action *acts, size_t n)
{
    /* One instruction in the struct: more would need storage that outlives
     * this call, which only the caller has. */
    return ken_flow_mod_apply_actions_inline(fm, acts, n);
}

struct ken_action (ken_action_output)(uint32_t port, uint16_t max_len) { return ken_action_output_inline(port, max_len); }

struct ken_action ken_action_typed(int cls, const void *msg)
{
    struct ken_action a = {.type = KEN_ACT_TYPED};
    a.u.typed.cls = cls;
    a.u.typed.msg = msg;
    return a;
}

/* The flow-mod's layouts (1.0; 1.2 and 1.3 alike; 1.4-1.5 add importance). */
#define FM10(field) OFPO_BODY_FLOW_MOD_10_##field
#define FM(field) OFPO_BODY_FLOW_MOD_13_##field
_Static_assert(FM(COOKIE) == OFPO_BODY_FLOW_MOD_12_COOKIE && FM(MATCH) == OFPO_BODY_FLOW_MOD_12_MATCH &&
                   FM(FLAGS) == OFPO_BODY_FLOW_MOD_14_FLAGS && FM(MATCH) == OFPO_BODY_FLOW_MOD_14_MATCH,
               "1.2-1.5 flow-mods share their offsets");

/* The 1.0 flow-mod is its header and fields end to end, no padding. */
_Static_assert(OFPO_OFP_HEADER_VERSION == 0 && OFPO_OFP_HEADER_TYPE == 1 && OFPO_OFP_HEADER_LENGTH == 2 &&
                   OFPO_OFP_HEADER_XID == 4 && FM10(MATCH) == KEN_OFP_HEADER_LEN &&
                   FM10(COOKIE) == FM10(MATCH) + OFPS_OFP_MATCH10_DESC && FM10(COMMAND) == FM10(COOKIE) + 8 &&
                   FM10(IDLE_TIMEOUT) == FM10(COMMAND) + 2 && FM10(HARD_TIMEOUT) == FM10(IDLE_TIMEOUT) + 2 &&
                   FM10(PRIORITY) == FM10(HARD_TIMEOUT) + 2 && FM10(BUFFER_ID) == FM10(PRIORITY) + 2 &&
                   FM10(OUT_PORT) == FM10(BUFFER_ID) + 4 && FM10(FLAGS) == FM10(OUT_PORT) + 2 &&
                   OFPS_BODY_FLOW_MOD_10 == FM10(FLAGS) + 2,
               "the 1.0 flow-mod has no padding: its encoder writes every byte without zeroing first");

/* The rest of a 1.0 flow-mod whose fixed part flow_mod10_encode wrote
 * (p: the message): its match, unless empty, and its actions. */
__attribute__((noinline)) static int flow_mod10_rest(struct ken_buf *b, size_t start, const struct ken_flow_mod *fm)
{
    int err;
    uint8_t *p = b->data + start;
    if (fast_match10_empty(&fm->match))
        fast_match10_all_wild(p + FM10(MATCH));
    else if ((err = fast_match10_encode(p + FM10(MATCH), &fm->match)))
        goto fail;
    for (size_t i = 0; i < fm->n_instructions; i++) {
        const struct ken_instruction *in = &fm->inst[i];
        if (in->type != KEN_INST_APPLY_ACTIONS) {
            err = KEN_OFPBIC_UNKNOWN_INST;
            goto fail;
        }
        if ((err = actions_encode(b, KEN_OFP10, in->actions, in->n_actions)))
            goto fail;
    }
    return ofp_msg_finish(b, start);
fail:
    b->len = start;
    return err;
}

/* The 1.0 flow-mod. Every byte of the fixed part is a field (see the
 * assertion above): written once, nothing zeroed first; the length is
 * ofp_msg_finish's. Its own function, and one that calls nothing for a
 * flow-mod that matches everything and has no actions (cbench's): no
 * register is saved and restored for it; any other goes on in
 * flow_mod10_rest. */
static int flow_mod10_grow(struct ken_buf *b, uint32_t xid, const struct ken_flow_mod *fm);

__attribute__((noinline)) static int flow_mod10_encode(struct ken_buf *b, uint32_t xid, const struct ken_flow_mod *fm)
{
    if (__builtin_expect(b->cap - b->len < OFPS_BODY_FLOW_MOD_10, 0))
        return flow_mod10_grow(b, xid, fm); /* a tail call, as the others: nothing to save here */
    size_t start = b->len;
    uint8_t *p = ken_buf_put_uninit(b, OFPS_BODY_FLOW_MOD_10);
    header_at(p, KEN_OFP10, OFPT10_FLOW_MOD, xid);
    wire_put64(p + FM10(COOKIE), fm->cookie);
    wire_put16(p + FM10(COMMAND), fm->command);
    wire_put16(p + FM10(IDLE_TIMEOUT), fm->idle_timeout);
    wire_put16(p + FM10(HARD_TIMEOUT), fm->hard_timeout);
    wire_put16(p + FM10(PRIORITY), fm->priority);
    wire_put32(p + FM10(BUFFER_ID), fm->buffer_id);
    wire_put16(p + FM10(OUT_PORT), (uint16_t)ken_port_to_wire(KEN_OFP10, fm->out_port));
    wire_put16(p + FM10(FLAGS), fm->flags);
    if (fm->n_instructions || !fast_match10_empty(&fm->match))
        return flow_mod10_rest(b, start, fm);
    fast_match10_all_wild(p + FM10(MATCH));
    return ofp_msg_finish(b, start);
}

/* flow_mod10_encode into a buffer without room for the fixed part. */
__attribute__((noinline, cold)) static int flow_mod10_grow(struct ken_buf *b, uint32_t xid,
                                                          const struct ken_flow_mod *fm)
{
    ken_buf_reserve(b, OFPS_BODY_FLOW_MOD_10);
    return flow_mod10_encode(b, xid, fm);
}

/* 1.2 and later: an OXM match and instructions. */
__attribute__((noinline)) static int flow_mod12_encode(struct ken_buf *b, uint8_t version, uint32_t xid,
                                                      const struct ken_flow_mod *fm)
{
    size_t start = b->len;
    int err;
    /* the header and the fixed part zeroed at once, then their fields */
    uint8_t *p = ken_buf_put_zeros(b, FM(MATCH));
    header_at(p, version, OFPT_FLOW_MOD, xid);
    wire_put64(p + FM(COOKIE), fm->cookie);
    wire_put64(p + FM(COOKIE_MASK), fm->cookie_mask);
    p[FM(TABLE_ID)] = fm->table_id;
    if (fm->command > 0xff) { /* an 8-bit field from 1.2 on */
        err = KEN_OFPBRC_BAD_LEN;
        goto fail;
    }
    p[FM(COMMAND)] = (uint8_t)fm->command;
    wire_put16(p + FM(IDLE_TIMEOUT), fm->idle_timeout);
    wire_put16(p + FM(HARD_TIMEOUT), fm->hard_timeout);
    wire_put16(p + FM(PRIORITY), fm->priority);
    wire_put32(p + FM(BUFFER_ID), fm->buffer_id);
    wire_put32(p + FM(OUT_PORT), fm->out_port);
    wire_put32(p + FM(OUT_GROUP), fm->out_group);
    wire_put16(p + FM(FLAGS), fm->flags);
    if (version >= KEN_OFP14) /* padding before */
        wire_put16(p + OFPO_BODY_FLOW_MOD_14_IMPORTANCE, fm->importance);
    fast_match_encode(b, &fm->match);
    if ((err = instructions_encode(b, version, fm->inst, fm->n_instructions)))
        goto fail;
    return ofp_msg_finish(b, start);
fail:
    b->len = start;
    return err;
}

int ken_flow_mod_encode(struct ken_buf *b, uint8_t version, uint32_t xid, const struct ken_flow_mod *fm)
{
    if (version == KEN_OFP10)
        return flow_mod10_encode(b, xid, fm);
    return flow_mod12_encode(b, version, xid, fm);
}

int ken_flow_mod_decode(const uint8_t *msg, size_t n, struct ken_flow_mod *fm, struct ken_arena *a)
{
    size_t len;
    uint8_t v = msg && n ? msg[OFPO_OFP_HEADER_VERSION] : 0;
    /* the fixed part, and (1.2+) the shortest match: its type and length */
    int err = check_msg(msg, n, TYPE_IN(v, FLOW_MOD), v == KEN_OFP10 ? OFPS_BODY_FLOW_MOD_10 : FM(MATCH) + 8, &len);
    if (err)
        return err;
    if (v == KEN_OFP10) {
        ken_flow_mod_init(fm);
        fast_match10_decode(msg + FM10(MATCH), &fm->match);
        fm->cookie = wire_get64(msg + FM10(COOKIE));
        fm->command = wire_get16(msg + FM10(COMMAND));
        fm->idle_timeout = wire_get16(msg + FM10(IDLE_TIMEOUT));
        fm->hard_timeout = wire_get16(msg + FM10(HARD_TIMEOUT));
        fm->priority = wire_get16(msg + FM10(PRIORITY));
        fm->buffer_id = wire_get32(msg + FM10(BUFFER_ID));
        fm->out_port = ken_port_from_wire(v, wire_get16(msg + FM10(OUT_PORT)));
        fm->flags = wire_get16(msg + FM10(FLAGS));
        if (len > FM10(ACTIONS)) {
            /* In the arena, not fm->apply: a decoded flow-mod stays valid
             * when copied by value. */
            struct ken_instruction *in = ken_arena_alloc(a, sizeof *in);
            if (!in)
                return ENOMEM;
            in->type = KEN_INST_APPLY_ACTIONS;
            fm->inst = in;
            fm->n_instructions = 1;
            return actions_decode(msg + FM10(ACTIONS), len - FM10(ACTIONS), v, a, &in->actions, &in->n_actions);
        }
        return 0;
    }
    /* Every member written from the message (no init first: each would be
     * written twice); fm->apply is the builder's and stays as it was. */
    fm->cookie = wire_get64(msg + FM(COOKIE));
    fm->cookie_mask = wire_get64(msg + FM(COOKIE_MASK));
    fm->table_id = msg[FM(TABLE_ID)];
    fm->command = msg[FM(COMMAND)];
    fm->idle_timeout = wire_get16(msg + FM(IDLE_TIMEOUT));
    fm->hard_timeout = wire_get16(msg + FM(HARD_TIMEOUT));
    fm->priority = wire_get16(msg + FM(PRIORITY));
    fm->buffer_id = wire_get32(msg + FM(BUFFER_ID));
    fm->out_port = wire_get32(msg + FM(OUT_PORT));
    fm->out_group = wire_get32(msg + FM(OUT_GROUP));
    fm->flags = wire_get16(msg + FM(FLAGS));
    fm->importance = v >= KEN_OFP14 ? wire_get16(msg + OFPO_BODY_FLOW_MOD_14_IMPORTANCE) : 0;
    fm->inst = NULL;
    fm->n_instructions = 0;
    size_t used = fast_match_decode(msg + FM(MATCH), len - FM(MATCH), v, &fm->match, &err);
    if (!used)
        return err;
    return instructions_decode(msg + FM(MATCH) + used, len - FM(MATCH) - used, v, a, &fm->inst,
                               &fm->n_instructions);
}

/* ---- packet-out ---- */

void (ken_packet_out_init)(struct ken_packet_out *po) { ken_packet_out_init_inline(po); }

_Static_assert(OFPO_BODY_PACKET_OUT_10_BUFFER_ID == KEN_OFP_HEADER_LEN &&
                   OFPO_BODY_PACKET_OUT_10_IN_PORT == OFPO_BODY_PACKET_OUT_10_BUFFER_ID + 4 &&
                   OFPO_BODY_PACKET_OUT_10_ACTIONS_LEN == OFPO_BODY_PACKET_OUT_10_IN_PORT + 2 &&
                   OFPS_BODY_PACKET_OUT_10 == OFPO_BODY_PACKET_OUT_10_ACTIONS_LEN + 2,
               "the 1.0 packet-out has no padding: its encoder writes every byte without zeroing first");

/* Any packet-out, each part appended in turn. */
__attribute__((noinline)) static int packet_out_encode_any(struct ken_buf *b, uint8_t version, uint32_t xid,
                                                          const struct ken_packet_out *po)
{
    size_t start, alen_at;
    if (version == KEN_OFP10) {
        /* header and fields end to end (asserted above): each byte written once */
        start = b->len;
        uint8_t *p = ken_buf_put_uninit(b, OFPS_BODY_PACKET_OUT_10);
        header_at(p, version, OFPT10_PACKET_OUT, xid);
        wire_put32(p + OFPO_BODY_PACKET_OUT_10_BUFFER_ID, po->buffer_id);
        wire_put16(p + OFPO_BODY_PACKET_OUT_10_IN_PORT, (uint16_t)ken_port_to_wire(version, po->in_port));
        alen_at = start + OFPO_BODY_PACKET_OUT_10_ACTIONS_LEN;
    } else if (version <= KEN_OFP14) {
        start = put_header(b, version, TYPE_IN(version, PACKET_OUT), xid);
        uint8_t *p = ken_buf_put_zeros(b, OFPS_BODY_PACKET_OUT_12 - KEN_OFP_HEADER_LEN) - KEN_OFP_HEADER_LEN;
        wire_put32(p + OFPO_BODY_PACKET_OUT_12_BUFFER_ID, po->buffer_id);
        wire_put32(p + OFPO_BODY_PACKET_OUT_12_IN_PORT, po->in_port);
        alen_at = start + OFPO_BODY_PACKET_OUT_12_ACTIONS_LEN;
    } else { /* 1.5: the in_port is a match field */
        start = put_header(b, version, TYPE_IN(version, PACKET_OUT), xid);
        uint8_t *p = ken_buf_put_zeros(b, OFPS_BODY_PACKET_OUT_15 - KEN_OFP_HEADER_LEN) - KEN_OFP_HEADER_LEN;
        wire_put32(p + OFPO_BODY_PACKET_OUT_15_BUFFER_ID, po->buffer_id);
        alen_at = start + OFPO_BODY_PACKET_OUT_15_ACTIONS_LEN;
        struct ken_match m;
        ken_match_init(&m);
        ken_match_add_u32(&m, KEN_OXM_IN_PORT, po->in_port);
        fast_match_encode(b, &m);
    }
    size_t astart = b->len;
    int err = actions_encode(b, version, po->actions, po->n_actions);
    if (err) {
        b->len = start;
        return err;
    }
    wire_put16(b->data + alen_at, (uint16_t)(b->len - astart));
    if (po->buffer_id == KEN_OFP_NO_BUFFER)
        ken_buf_put(b, po->data, po->data_len);
    return ofp_msg_finish(b, start);
}

static int packet_out10_grow(struct ken_buf *b, uint32_t xid, const struct ken_packet_out *po, size_t len);

/* A 1.0 packet-out whose actions are all outputs (the learning switches'
 * are): its length is known before a byte is written, so it is reserved
 * and checked once, and each byte is written once (header and fields end
 * to end, as asserted above; the output action likewise). The packet's
 * bytes are copied last, after which nothing is left to do: the function
 * saves no register. Any other goes to packet_out_encode_any. */
__attribute__((noinline)) static int packet_out10_encode(struct ken_buf *b, uint32_t xid, const struct ken_packet_out *po)
{
    size_t n = po->n_actions;
    const struct ken_action *acts = po->actions;
    for (size_t i = 0; i < n; i++)
        if (acts[i].type != KEN_ACT_OUTPUT)
            return packet_out_encode_any(b, KEN_OFP10, xid, po);
    size_t alen = n * OFPS_OF10_ACTION_POLY_ACTION_OUTPUT;
    size_t dlen = po->buffer_id == KEN_OFP_NO_BUFFER ? po->data_len : 0;
    size_t len = OFPS_BODY_PACKET_OUT_10 + alen + dlen;
    if (__builtin_expect(len > KEN_OFP_MAX_LEN, 0))
        return KEN_OFPBRC_BAD_LEN; /* as ofp_msg_finish: b as it was */
    if (__builtin_expect(b->cap - b->len < len, 0))
        return packet_out10_grow(b, xid, po, len);
    uint8_t *p = b->data + b->len;
    b->len += len;
    p[OFPO_OFP_HEADER_VERSION] = KEN_OFP10;
    p[OFPO_OFP_HEADER_TYPE] = OFPT10_PACKET_OUT;
    wire_put16(p + OFPO_OFP_HEADER_LENGTH, (uint16_t)len);
    wire_put32(p + OFPO_OFP_HEADER_XID, xid);
    wire_put32(p + OFPO_BODY_PACKET_OUT_10_BUFFER_ID, po->buffer_id);
    wire_put16(p + OFPO_BODY_PACKET_OUT_10_IN_PORT, (uint16_t)ken_port_to_wire(KEN_OFP10, po->in_port));
    wire_put16(p + OFPO_BODY_PACKET_OUT_10_ACTIONS_LEN, (uint16_t)alen);
    uint8_t *q = p + OFPO_BODY_PACKET_OUT_10_ACTIONS;
    for (size_t i = 0; i < n; i++, q += OFPS_OF10_ACTION_POLY_ACTION_OUTPUT) {
        wire_put16(q + OFPO_OF10_ACTION_POLY_ACTION_OUTPUT_TYPE, OFPK_OF10_ACTION_POLY_ACTION_OUTPUT);
        wire_put16(q + OFPO_OF10_ACTION_POLY_ACTION_OUTPUT_LEN, OFPS_OF10_ACTION_POLY_ACTION_OUTPUT);
        wire_put16(q + OFPO_OF10_ACTION_POLY_ACTION_OUTPUT_PORT, (uint16_t)ken_port_to_wire(KEN_OFP10, acts[i].u.output.port));
        wire_put16(q + OFPO_OF10_ACTION_POLY_ACTION_OUTPUT_MAX_LEN, acts[i].u.output.max_len);
    }
    if (dlen)
        memcpy(q, po->data, dlen);
    return 0;
}

/* packet_out10_encode into a buffer without room for the message. */
__attribute__((noinline, cold)) static int packet_out10_grow(struct ken_buf *b, uint32_t xid,
                                                            const struct ken_packet_out *po, size_t len)
{
    ken_buf_reserve(b, len);
    return packet_out10_encode(b, xid, po);
}

int ken_packet_out_encode(struct ken_buf *b, uint8_t version, uint32_t xid, const struct ken_packet_out *po)
{
    if (version == KEN_OFP10)
        return packet_out10_encode(b, xid, po);
    return packet_out_encode_any(b, version, xid, po);
}

/* ---- features, ports, port-status ---- */

/* The features reply's layouts: 1.0, 1.2 (ports follow) and 1.3+ (none). */
#define FR(field) OFPO_BODY_FEATURES_REPLY_13_##field
_Static_assert(FR(DATAPATH_ID) == OFPO_BODY_FEATURES_REPLY_10_DATAPATH_ID &&
                   FR(N_TABLES) == OFPO_BODY_FEATURES_REPLY_10_N_TABLES &&
                   FR(CAPABILITIES) == OFPO_BODY_FEATURES_REPLY_10_CAPABILITIES &&
                   OFPS_BODY_FEATURES_REPLY_13 == OFPO_BODY_FEATURES_REPLY_10_PORTS &&
                   OFPS_BODY_FEATURES_REPLY_13 == OFPO_BODY_FEATURES_REPLY_12_PORTS,
               "the features reply's fixed part is alike in every version");

int ken_switch_features_decode(const uint8_t *msg, size_t n, struct ken_switch_features *f)
{
    size_t len;
    int err = check_msg(msg, n, TYPE_IN(msg[OFPO_OFP_HEADER_VERSION], FEATURES_REPLY), OFPS_BODY_FEATURES_REPLY_13, &len);
    if (err)
        return err;
    f->datapath_id = wire_get64(msg + FR(DATAPATH_ID));
    f->n_buffers = wire_get32(msg + FR(N_BUFFERS));
    f->n_tables = msg[FR(N_TABLES)];
    f->auxiliary_id = msg[OFPO_OFP_HEADER_VERSION] >= KEN_OFP13 ? msg[FR(AUXILIARY_ID)] : 0;
    f->capabilities = wire_get32(msg + FR(CAPABILITIES));
    f->actions = msg[OFPO_OFP_HEADER_VERSION] == KEN_OFP10 ? wire_get32(msg + OFPO_BODY_FEATURES_REPLY_10_ACTIONS) : 0;
    size_t port_len = msg[OFPO_OFP_HEADER_VERSION] == KEN_OFP10 ? OFPS_OF10_PHY_PORT : OFPS_OFP_PORT_12;
    if (msg[OFPO_OFP_HEADER_VERSION] >= KEN_OFP13) { /* no ports: exactly the fixed part */
        f->n_ports = 0;
        return len == OFPS_BODY_FEATURES_REPLY_13 ? 0 : KEN_OFPBRC_BAD_LEN;
    }
    if ((len - OFPS_BODY_FEATURES_REPLY_13) % port_len)
        return KEN_OFPBRC_BAD_LEN;
    f->n_ports = (uint16_t)((len - OFPS_BODY_FEATURES_REPLY_13) / port_len);
    return 0;
}

/* curr, advertised, supported and peer, then (1.2+) the two speeds: the
 * same run of words in every version's port and in 1.4+'s ethernet
 * property; at is where curr is, step the 1.0 or 1.2 layout. */
#define P10(field) OFPO_OF10_PHY_PORT_##field
#define P12(field) OFPO_OFP_PORT_12_##field
#define P14(field) OFPO_OFP_PORT_14_##field
#define PETH(field) OFPO_PORT_DESC_PROPS_14_PORT_DESC_PROP_ETHERNET_##field
#define PROP_HEADER (PETH(LENGTH) + 2) /* every property's type and length */
_Static_assert(P12(ADVERTISED) - P12(CURR) == P10(ADVERTISED) - P10(CURR) &&
                   P12(SUPPORTED) - P12(CURR) == P10(SUPPORTED) - P10(CURR) &&
                   P12(PEER) - P12(CURR) == P10(PEER) - P10(CURR) &&
                   PETH(ADVERTISED) - PETH(CURR) == P12(ADVERTISED) - P12(CURR) &&
                   PETH(SUPPORTED) - PETH(CURR) == P12(SUPPORTED) - P12(CURR) &&
                   PETH(PEER) - PETH(CURR) == P12(PEER) - P12(CURR) &&
                   PETH(CURR_SPEED) - PETH(CURR) == P12(CURR_SPEED) - P12(CURR) &&
                   PETH(MAX_SPEED) - PETH(CURR) == P12(MAX_SPEED) - P12(CURR),
               "the port features run alike in every port layout");
_Static_assert(P14(HW_ADDR) == P12(HW_ADDR) && P14(NAME) == P12(NAME) && P14(CONFIG) == P12(CONFIG) &&
                   P14(STATE) == P12(STATE),
               "the 1.4 port starts as the 1.2 port");

static void port_features_decode(const uint8_t *q, bool has_speeds, struct ken_port *pt)
{
    pt->curr = wire_get32(q);
    pt->advertised = wire_get32(q + P12(ADVERTISED) - P12(CURR));
    pt->supported = wire_get32(q + P12(SUPPORTED) - P12(CURR));
    pt->peer = wire_get32(q + P12(PEER) - P12(CURR));
    pt->curr_speed = has_speeds ? wire_get32(q + P12(CURR_SPEED) - P12(CURR)) : 0;
    pt->max_speed = has_speeds ? wire_get32(q + P12(MAX_SPEED) - P12(CURR)) : 0;
}

/* A name of all its bytes has no NUL: the JSON codec shows them all. */
static void port_name_decode(const uint8_t *q, struct ken_port *pt)
{
    memcpy(pt->name, q, sizeof pt->name - 1);
    pt->name[sizeof pt->name - 1] = 0;
}
_Static_assert(sizeof(((struct ken_port *)0)->name) - 1 == P12(CONFIG) - P12(NAME) &&
                   sizeof(((struct ken_port *)0)->name) - 1 == P10(CONFIG) - P10(NAME),
               "struct ken_port's name holds the wire's");

static void port10_decode(const uint8_t *p, struct ken_port *pt)
{
    pt->port_no = ken_port_from_wire(KEN_OFP10, wire_get16(p + P10(PORT_NO)));
    memcpy(pt->hw_addr, p + P10(HW_ADDR), 6);
    port_name_decode(p + P10(NAME), pt);
    pt->config = wire_get32(p + P10(CONFIG));
    pt->state = wire_get32(p + P10(STATE));
    port_features_decode(p + P10(CURR), false, pt);
}

/* The head laid out alike in 1.2-1.3 and 1.4+. */
static void port12_head_decode(const uint8_t *p, struct ken_port *pt)
{
    pt->port_no = wire_get32(p + P12(PORT_NO));
    memcpy(pt->hw_addr, p + P12(HW_ADDR), 6);
    port_name_decode(p + P12(NAME), pt);
    pt->config = wire_get32(p + P12(CONFIG));
    pt->state = wire_get32(p + P12(STATE));
}

static void port12_decode(const uint8_t *p, struct ken_port *pt)
{
    port12_head_decode(p, pt);
    port_features_decode(p + P12(CURR), true, pt);
}

/* 1.4+: the head with a length, then properties padded to 8; the ethernet
 * property carries the speeds. Returns the port's length or 0. */
static size_t port14_decode(const uint8_t *p, size_t n, struct ken_port *pt)
{
    if (n < OFPS_OFP_PORT_14)
        return 0;
    size_t len = wire_get16(p + P14(LENGTH));
    if (len < OFPS_OFP_PORT_14 || len > n)
        return 0;
    memset(pt, 0, sizeof *pt);
    port12_head_decode(p, pt);
    for (size_t at = OFPS_OFP_PORT_14; at < len;) {
        if (len - at < PROP_HEADER)
            return 0;
        uint16_t type = wire_get16(p + at + PETH(TYPE)), plen = wire_get16(p + at + PETH(LENGTH));
        if (plen < PROP_HEADER || plen > len - at)
            return 0;
        if (type == OFPK_PORT_DESC_PROPS_14_PORT_DESC_PROP_ETHERNET &&
            plen >= OFPS_PORT_DESC_PROPS_14_PORT_DESC_PROP_ETHERNET)
            port_features_decode(p + at + PETH(CURR), true, pt);
        at += (plen + 7u) / 8 * 8; /* properties are padded to 8 */
    }
    return len;
}

/* Walks a run of port descriptions of one version. */
static int ports_walk(const uint8_t *p, size_t n, uint8_t version, struct ken_port *ports, size_t max, size_t *count)
{
    size_t k = 0, pos = 0;
    struct ken_port scratch;
    while (pos < n) {
        struct ken_port *pt = k < max ? &ports[k] : &scratch;
        size_t used;
        if (version == KEN_OFP10) {
            if ((used = OFPS_OF10_PHY_PORT) > n - pos)
                return KEN_OFPBRC_BAD_LEN;
            port10_decode(p + pos, pt);
        } else if (version <= KEN_OFP13) {
            if ((used = OFPS_OFP_PORT_12) > n - pos)
                return KEN_OFPBRC_BAD_LEN;
            port12_decode(p + pos, pt);
        } else {
            /* 1.4+ ports carry properties: the JSON codec's checks first
             * (port descriptions are not on the hot path). */
            int err = ofp_struct_check(p + pos, n - pos, version, version == KEN_OFP14 ? &ofp_port_14 : &ofp_port_15,
                                       &used);
            if (err)
                return err;
            if (port14_decode(p + pos, n - pos, pt) != used)
                return KEN_OFPBRC_BAD_LEN;
        }
        pos += used;
        k++;
    }
    *count = k;
    return 0;
}

/* One port of this version at p (n bytes left): 0 and the bytes it spans,
 * or the JSON codec's error. */
int ofp_port_decode(const uint8_t *p, size_t n, uint8_t version, struct ken_port *pt, size_t *used)
{
    size_t span = version == KEN_OFP10   ? OFPS_OF10_PHY_PORT
                  : version <= KEN_OFP13 ? OFPS_OFP_PORT_12
                  : n < P14(LENGTH) + 2  ? n
                                         : wire_get16(p + P14(LENGTH));
    if (span > n || span == 0)
        return KEN_OFPBRC_BAD_LEN;
    size_t k;
    int err = ports_walk(p, span, version, pt, 1, &k);
    if (err)
        return err;
    *used = span;
    return k == 1 ? 0 : KEN_OFPBRC_BAD_LEN;
}

int ken_ports_decode(const uint8_t *msg, size_t n, struct ken_port *ports, size_t max, size_t *n_ports)
{
    size_t len;
    int err;
    *n_ports = 0;
    if (n >= KEN_OFP_HEADER_LEN && msg[OFPO_OFP_HEADER_TYPE] == TYPE_IN(msg[OFPO_OFP_HEADER_VERSION], FEATURES_REPLY)) { /* 1.0-1.2 carry the ports */
        if ((err = check_msg(msg, n, TYPE_IN(msg[OFPO_OFP_HEADER_VERSION], FEATURES_REPLY), OFPS_BODY_FEATURES_REPLY_13, &len)))
            return err;
        if (msg[OFPO_OFP_HEADER_VERSION] >= KEN_OFP13) /* no ports: exactly the fixed part */
            return len == OFPS_BODY_FEATURES_REPLY_13 ? 0 : KEN_OFPBRC_BAD_LEN;
        return ports_walk(msg + OFPO_BODY_FEATURES_REPLY_12_PORTS, len - OFPO_BODY_FEATURES_REPLY_12_PORTS, msg[OFPO_OFP_HEADER_VERSION],
                          ports, max, n_ports);
    }
    if ((err = check_mp_reply(msg, n, OFPMP_PORT_DESC, &len)))
        return err;
    if (msg[OFPO_OFP_HEADER_VERSION] < KEN_OFP13)
        return KEN_OFPBRC_BAD_MULTIPART;
    return ports_walk(msg + OFPS_REPLY_PORT_DESC_13, len - OFPS_REPLY_PORT_DESC_13, msg[OFPO_OFP_HEADER_VERSION], ports, max, n_ports);
}

/* The port-status layouts: the reason and the port are where 1.0's are. */
#define PS(field) OFPO_BODY_PORT_STATUS_10_##field
_Static_assert(PS(REASON) == OFPO_BODY_PORT_STATUS_12_REASON && PS(DESC) == OFPO_BODY_PORT_STATUS_12_DESC &&
                   PS(REASON) == OFPO_BODY_PORT_STATUS_14_REASON && PS(DESC) == OFPO_BODY_PORT_STATUS_14_DESC,
               "port-status is laid out alike in every version");

int ken_port_status_decode(const uint8_t *msg, size_t n, struct ken_port_status *ps)
{
    size_t len, count = 0;
    int err = check_msg(msg, n, TYPE_IN(msg[OFPO_OFP_HEADER_VERSION], PORT_STATUS), PS(DESC), &len);
    if (err)
        return err;
    ps->reason = msg[PS(REASON)];
    err = ports_walk(msg + PS(DESC), len - PS(DESC), msg[OFPO_OFP_HEADER_VERSION], &ps->desc, 1, &count);
    if (!err && count != 1)
        err = KEN_OFPBRC_BAD_LEN;
    return err;
}

/* ---- error, hello, echo, config ---- */

/* Errors: type and code where 1.0 has them, then the data (from 1.2, an
 * experimenter error's exp_type sits in the code and its experimenter id
 * starts the data). */
#define ERR(field) OFPO_BODY_ERROR_10_##field
_Static_assert(ERR(TYPE) == OFPO_BODY_ERROR_12_TYPE && ERR(CODE) == OFPO_BODY_ERROR_12_CODE,
               "the error is laid out alike in every version");
#define EXPERIMENTER_ID_LEN 4

int ken_error_decode(const uint8_t *msg, size_t n, struct ken_error_msg *e)
{
    size_t len;
    int err = check_msg(msg, n, TYPE_IN(msg[OFPO_OFP_HEADER_VERSION], ERROR), ERR(DATA), &len);
    if (err)
        return err;
    e->type = wire_get16(msg + ERR(TYPE));
    if (e->type == 0xffff && msg[OFPO_OFP_HEADER_VERSION] != KEN_OFP10 && len < ERR(DATA) + EXPERIMENTER_ID_LEN)
        return KEN_OFPBRC_BAD_LEN;
    e->code = wire_get16(msg + ERR(CODE));
    e->data = msg + ERR(DATA);
    e->data_len = (uint16_t)(len - ERR(DATA));
    return 0;
}

void ken_error_encode(struct ken_buf *b, uint8_t version, uint32_t xid, int ofperr, const uint8_t *data, size_t len)
{
    uint16_t type, code;
    size_t start = put_header(b, version, TYPE_IN(version, ERROR), xid);
    ken_ofperr_wire(ofperr, version, &type, &code);
    uint8_t *p = ken_buf_put_zeros(b, ERR(DATA) - KEN_OFP_HEADER_LEN) - KEN_OFP_HEADER_LEN;
    wire_put16(p + ERR(TYPE), type);
    wire_put16(p + ERR(CODE), code);
    /* The start of the offending message: the spec asks for at least 64
     * bytes, and 64 always fits, so an error is never refused. */
    ken_buf_put(b, data, len > 64 ? 64 : len);
    ofp_msg_finish(b, start);
}

/* A hello's version-bitmap element (1.3+). */
#define HELLO_ELEM(field) OFPO_HELLO_ELEM_BITMAP_##field

uint32_t ken_hello_versions(const uint8_t *msg, size_t n)
{
    if (n < KEN_OFP_HEADER_LEN)
        return 0;
    size_t len = wire_get16(msg + OFPO_OFP_HEADER_LENGTH);
    if (len < KEN_OFP_HEADER_LEN || len > n)
        return 0;
    uint32_t theirs = 0;
    for (size_t at = KEN_OFP_HEADER_LEN; at + HELLO_ELEM(VERSIONS) <= len;) { /* hello elements (1.3+) */
        uint16_t type = wire_get16(msg + at + HELLO_ELEM(TYPE)), elen = wire_get16(msg + at + HELLO_ELEM(LENGTH));
        if (elen < HELLO_ELEM(VERSIONS) || elen > len - at)
            break;
        if (type == OFPD_HELLO_ELEM_BITMAP_TYPE && elen >= HELLO_ELEM(VERSIONS) + 4)
            theirs |= wire_get32(msg + at + HELLO_ELEM(VERSIONS));
        at += (elen + 7u) / 8 * 8; /* elements are padded to 8 */
    }
    if (!theirs) /* no bitmap: every version up to theirs */
        theirs = msg[OFPO_OFP_HEADER_VERSION] >= 31 ? 0xffffffffu : (2u << msg[OFPO_OFP_HEADER_VERSION]) - 1;
    return theirs;
}

uint8_t ken_hello_negotiate(const uint8_t *msg, size_t n, uint32_t our_bitmap)
{
    uint32_t common = ken_hello_versions(msg, n) & our_bitmap;
    for (int v = 31; v > 0; v--)
        if (common & (1u << v))
            return (uint8_t)v;
    return 0;
}

void ken_hello_encode(struct ken_buf *b, uint8_t version, uint32_t xid, uint32_t bitmap)
{
    size_t start = put_header(b, version, TYPE_IN(version, HELLO), xid);
    if (version >= KEN_OFP13) { /* one element: the version bitmap, one word */
        uint8_t *p = ken_buf_put_zeros(b, HELLO_ELEM(VERSIONS) + 4);
        wire_put16(p + HELLO_ELEM(TYPE), OFPD_HELLO_ELEM_BITMAP_TYPE);
        wire_put16(p + HELLO_ELEM(LENGTH), HELLO_ELEM(VERSIONS) + 4);
        wire_put32(p + HELLO_ELEM(VERSIONS), bitmap);
    }
    ofp_msg_finish(b, start); /* fixed size: always fits */
}

void ken_simple_encode(struct ken_buf *b, uint8_t version, uint8_t type, uint32_t xid)
{
    ofp_msg_finish(b, put_header(b, version, type, xid));
}

int ken_echo_encode(struct ken_buf *b, uint8_t version, uint8_t type, uint32_t xid, const uint8_t *data, size_t len)
{
    size_t start = put_header(b, version, type, xid);
    ken_buf_put(b, data, len);
    return ofp_msg_finish(b, start);
}

void ken_set_config_encode(struct ken_buf *b, uint8_t version, uint32_t xid, uint16_t flags, uint16_t miss_send_len)
{
    size_t start = put_header(b, version, TYPE_IN(version, SET_CONFIG), xid);
    uint8_t *p = ken_buf_put_zeros(b, OFPO_BODY_SET_CONFIG_10_MISS_SEND_LEN + 2 - KEN_OFP_HEADER_LEN) -
                 KEN_OFP_HEADER_LEN;
    wire_put16(p + OFPO_BODY_SET_CONFIG_10_FLAGS, flags);
    wire_put16(p + OFPO_BODY_SET_CONFIG_10_MISS_SEND_LEN, miss_send_len);
    ofp_msg_finish(b, start); /* fixed size: always fits */
}

void ken_port_desc_request_encode(struct ken_buf *b, uint8_t version, uint32_t xid)
{
    size_t start = put_header(b, version, TYPE_IN(version, MULTIPART_REQUEST), xid);
    bool v15 = version >= KEN_OFP15; /* 1.5 asks for one port or all */
    uint8_t *p = ken_buf_put_zeros(b, (v15 ? OFPS_REQUEST_PORT_DESC_15 : OFPS_REQUEST_PORT_DESC_13) -
                                          KEN_OFP_HEADER_LEN) -
                 KEN_OFP_HEADER_LEN;
    wire_put16(p + OFPO_REQUEST_PORT_DESC_13_TYPE, OFPMP_PORT_DESC);
    if (v15)
        wire_put32(p + OFPO_REQUEST_PORT_DESC_15_PORT_NO, KEN_OFPP_ANY);
    ofp_msg_finish(b, start); /* fixed size: always fits */
}

/* ---- port stats ---- */

void ken_port_stats_request_encode(struct ken_buf *b, uint8_t version, uint32_t xid, uint32_t port_no)
{
    size_t start = put_header(b, version, TYPE_IN(version, MULTIPART_REQUEST), xid);
    bool v10 = version == KEN_OFP10;
    uint8_t *p = ken_buf_put_zeros(b, (v10 ? OFPS_REQUEST_PORT_STATS_10 : OFPS_REQUEST_PORT_STATS_12) -
                                          KEN_OFP_HEADER_LEN) -
                 KEN_OFP_HEADER_LEN;
    wire_put16(p + OFPO_REQUEST_PORT_STATS_10_TYPE, MP_TYPE_IN(version, PORT_STATS));
    if (v10)
        wire_put16(p + OFPO_REQUEST_PORT_STATS_10_PORT_NO, (uint16_t)ken_port_to_wire(version, port_no));
    else
        wire_put32(p + OFPO_REQUEST_PORT_STATS_12_PORT_NO, port_no);
    ofp_msg_finish(b, start); /* fixed size: always fits */
}

/* The port stats entries: the port number, then the twelve counters (at
 * the same place in 1.0-1.3), then (1.3) the duration. */
_Static_assert(OFPO_OF10_PORT_STATS_RX_PACKETS == OFPO_PORT_STATS_13_RX_PACKETS &&
                   OFPO_PORT_STATS_12_RX_PACKETS == OFPO_PORT_STATS_13_RX_PACKETS &&
                   OFPO_PORT_STATS_13_COLLISIONS - OFPO_PORT_STATS_13_RX_PACKETS == 8 * (KEN_PORT_STATS_COUNTERS - 1) &&
                   OFPS_OF10_PORT_STATS == OFPS_PORT_STATS_12,
               "the port stats counters run alike in 1.0-1.3");
static size_t port_stats_size(uint8_t version) { return version == KEN_OFP13 ? OFPS_PORT_STATS_13 : OFPS_PORT_STATS_12; }

int ken_port_stats_reply_encode(struct ken_buf *b, uint8_t version, uint32_t xid, const struct ken_port_stats *st,
                                size_t n)
{
    if (version >= KEN_OFP14)
        return KEN_OFPBRC_BAD_VERSION;
    size_t start = put_header(b, version, TYPE_IN(version, MULTIPART_REPLY), xid);
    size_t body = mp_body(version);
    uint8_t *h = ken_buf_put_zeros(b, body - KEN_OFP_HEADER_LEN) - KEN_OFP_HEADER_LEN;
    wire_put16(h + OFPO_REPLY_PORT_STATS_13_TYPE, MP_TYPE_IN(version, PORT_STATS));
    size_t sz = port_stats_size(version);
    if (n > KEN_OFP_MAX_LEN / sz) { /* refused below; this keeps n * sz from overflowing */
        b->len = start;
        return KEN_OFPBRC_BAD_LEN;
    }
    uint8_t *p = ken_buf_put_zeros(b, n * sz);
    for (size_t i = 0; i < n; i++, p += sz) {
        const struct ken_port_stats *s = &st[i];
        if (version == KEN_OFP10)
            wire_put16(p + OFPO_OF10_PORT_STATS_PORT_NO, (uint16_t)ken_port_to_wire(version, s->port_no));
        else
            wire_put32(p + OFPO_PORT_STATS_13_PORT_NO, s->port_no);
        if (version == KEN_OFP13) {
            wire_put32(p + OFPO_PORT_STATS_13_DURATION_SEC, s->duration_sec);
            wire_put32(p + OFPO_PORT_STATS_13_DURATION_NSEC, s->duration_nsec);
        }
    }
    if (n)
        wire_swap64_records(p - n * sz + OFPO_PORT_STATS_13_RX_PACKETS, sz, st[0].counters, sizeof *st, n,
                            KEN_PORT_STATS_COUNTERS);
    return ofp_msg_finish(b, start);
}

int ken_port_stats_decode(const uint8_t *msg, size_t n, struct ken_port_stats *st, size_t max, size_t *n_stats)
{
    size_t len;
    *n_stats = 0;
    int err = check_mp_reply(msg, n, MP_TYPE_IN(msg[OFPO_OFP_HEADER_VERSION], PORT_STATS), &len);
    if (err)
        return err;
    uint8_t v = msg[OFPO_OFP_HEADER_VERSION];
    if (v >= KEN_OFP14) /* 1.4+ port stats carry properties: the JSON codec reads them */
        return KEN_OFPBRC_BAD_VERSION;
    size_t sz = port_stats_size(v), body = mp_body(v);
    if ((len - body) % sz)
        return KEN_OFPBRC_BAD_LEN;
    size_t count = (len - body) / sz;
    size_t fill = count < max ? count : max;
    for (size_t i = 0; i < fill; i++) {
        const uint8_t *p = msg + body + i * sz;
        struct ken_port_stats *s = &st[i];
        s->port_no = v == KEN_OFP10 ? ken_port_from_wire(v, wire_get16(p + OFPO_OF10_PORT_STATS_PORT_NO))
                                    : wire_get32(p + OFPO_PORT_STATS_13_PORT_NO);
        s->duration_sec = v == KEN_OFP13 ? wire_get32(p + OFPO_PORT_STATS_13_DURATION_SEC) : 0;
        s->duration_nsec = v == KEN_OFP13 ? wire_get32(p + OFPO_PORT_STATS_13_DURATION_NSEC) : 0;
    }
    if (fill)
        wire_swap64_records(st[0].counters, sizeof *st, msg + body + OFPO_PORT_STATS_13_RX_PACKETS, sz, fill,
                            KEN_PORT_STATS_COUNTERS);
    *n_stats = count;
    return 0;
}
