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
#include "ofp/wire.h"

/* ---- helpers ---- */

/* A message type's number in this version (1.0 numbers some apart). Where
 * the versions agree, the choice folds to one constant. */
#define TYPE_IN(version, name) ((version) == KEN_OFP10 ? OFPT10_##name : OFPT_##name)
/* Likewise a multipart (stats) type's. */
#define MP_TYPE_IN(version, name) ((version) == KEN_OFP10 ? OFPST10_##name : OFPMP_##name)

static size_t put_header(struct ken_buf *b, uint8_t version, uint8_t type, uint32_t xid)
{
    size_t start = b->len;
    uint8_t *p = ken_buf_put_zeros(b, 8);
    p[0] = version;
    p[1] = type;
    wire_put32(p + 4, xid);
    return start;
}


/* Checks version, type and that n covers the header's length; returns the length. */
static int check_msg(const uint8_t *msg, size_t n, uint8_t type, size_t min_len, size_t *len)
{
    if (n < 8)
        return KEN_OFPBRC_BAD_LEN;
    size_t l = wire_get16(msg + 2);
    if (l < 8 || l > n)
        return KEN_OFPBRC_BAD_LEN;
    if (!ken_ofp_version_supported(msg[0]))
        return KEN_OFPBRC_BAD_VERSION;
    if (msg[1] != type)
        return KEN_OFPBRC_BAD_TYPE;
    if (l < min_len)
        return KEN_OFPBRC_BAD_LEN;
    *len = l;
    return 0;
}

/* Multipart/stats body offset: 12 in 1.0, 16 later. */
static size_t mp_body(uint8_t version) { return version == KEN_OFP10 ? 12 : 16; }

/* A whole stats/multipart reply of type mp: framing, version and type
 * checked once, for every reply decoder. */
static int check_mp_reply(const uint8_t *msg, size_t n, uint16_t mp, size_t *len)
{
    if (n < 8)
        return KEN_OFPBRC_BAD_LEN;
    int err = check_msg(msg, n, TYPE_IN(msg[0], MULTIPART_REPLY), mp_body(msg[0]), len);
    if (!err && wire_get16(msg + 8) != mp)
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

int ken_packet_in_decode(const uint8_t *msg, size_t n, struct ken_packet_in *pi)
{
    size_t len;
    int err = check_msg(msg, n, TYPE_IN(msg[0], PACKET_IN), 18, &len);
    if (err)
        return err;
    pi->buffer_id = wire_get32(msg + 8);
    pi->total_len = wire_get16(msg + 12);
    if (msg[0] == KEN_OFP10) {
        pi->in_port = ken_port_from_wire(KEN_OFP10, wire_get16(msg + 14));
        pi->reason = msg[16];
        pi->table_id = 0;
        pi->cookie = 0;
        match_set_in_port(&pi->match, pi->in_port);
        pi->data = msg + 18;
        pi->data_len = (uint16_t)(len - 18);
        return 0;
    }
    pi->reason = msg[14];
    pi->table_id = msg[15];
    size_t at = 16;
    pi->cookie = 0;
    if (msg[0] >= KEN_OFP13) {
        if (len < 24)
            return KEN_OFPBRC_BAD_LEN;
        pi->cookie = wire_get64(msg + 16);
        at = 24;
    }
    size_t used = fast_match_decode(msg + at, len - at, msg[0], &pi->match, &err);
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

/* Appends an action of the given type and length, zeroed but for its
 * header; returns where it starts. */
static inline uint8_t *action_put(struct ken_buf *b, uint16_t type, uint16_t len)
{
    uint8_t *p = ken_buf_put_zeros(b, len);
    wire_put16(p, type);
    wire_put16(p + 2, len);
    return p;
}

static int action_encode(struct ken_buf *b, uint8_t version, const struct ken_action *a)
{
    size_t start = b->len;
    uint8_t *p;
    if (a->type == KEN_ACT_RAW) {
        ken_buf_put(b, a->u.raw.bytes, a->u.raw.len);
        return 0;
    }
    if (version == KEN_OFP10) {
        if (a->type != KEN_ACT_OUTPUT)
            return KEN_OFPBAC_BAD_TYPE;
        p = action_put(b, 0, 8);
        wire_put16(p + 4, (uint16_t)ken_port_to_wire(version, a->u.output.port));
        wire_put16(p + 6, a->u.output.max_len);
        return 0;
    }
    switch (a->type) {
    case KEN_ACT_OUTPUT:
        p = action_put(b, 0, 16);
        wire_put32(p + 4, a->u.output.port);
        wire_put16(p + 8, a->u.output.max_len);
        return 0;
    case KEN_ACT_SET_FIELD: {
        if (a->u.set_field.len == 0 || a->u.set_field.len > sizeof a->u.set_field.value)
            return KEN_OFPBAC_BAD_ARGUMENT;
        ken_buf_put16(b, 25);
        ken_buf_put16(b, 0);
        ken_buf_put32(b, a->u.set_field.id | a->u.set_field.len);
        ken_buf_put(b, a->u.set_field.value, a->u.set_field.len);
        ken_buf_align(b, start, 8);
        wire_put16(b->data + start + 2, (uint16_t)(b->len - start));
        return 0;
    }
    case KEN_ACT_PUSH_VLAN:
        wire_put16(action_put(b, 17, 8) + 4, a->u.ethertype);
        return 0;
    case KEN_ACT_POP_VLAN:
        action_put(b, 18, 8);
        return 0;
    case KEN_ACT_GROUP:
        wire_put32(action_put(b, 22, 8) + 4, a->u.group_id);
        return 0;
    case KEN_ACT_SET_QUEUE:
        wire_put32(action_put(b, 21, 8) + 4, a->u.queue_id);
        return 0;
    case KEN_ACT_DEC_NW_TTL:
        action_put(b, 24, 8);
        return 0;
    default:
        return KEN_OFPBAC_BAD_TYPE;
    }
}

static int actions_encode(struct ken_buf *b, uint8_t version, const struct ken_action *acts, size_t n)
{
    for (size_t i = 0; i < n; i++) {
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

/* The actions whose lengths hold up, counted before decoding them, so the
 * arena gives the array in one piece; the decoder reports the first bad
 * one (after the ones before it, in the JSON codec's order). */
static size_t actions_count(const uint8_t *p, size_t n)
{
    size_t pos = 0, k = 0;
    while (n - pos >= 8) {
        uint16_t len = wire_get16(p + pos + 2);
        if (len < 8 || len % 8 || len > n - pos)
            break;
        k++;
        pos += len;
    }
    return k;
}

/* Decodes the actions the hot path knows; others become KEN_ACT_RAW views. */
int ken_actions_decode(const uint8_t *p, size_t n, uint8_t version, struct ken_arena *arena,
                       const struct ken_action **acts, size_t *n_acts)
{
    *acts = NULL;
    *n_acts = 0;
    size_t cap = actions_count(p, n);
    struct ken_action *out = NULL;
    if (cap && !(out = ken_arena_calloc(arena, cap, sizeof *out)))
        return ENOMEM;
    size_t pos = 0, k = 0;
    while (pos < n) {
        if (n - pos < 8)
            return KEN_OFPBAC_BAD_LEN;
        uint16_t type = wire_get16(p + pos), len = wire_get16(p + pos + 2);
        if (len < 8 || len % 8 || len > n - pos)
            return KEN_OFPBAC_BAD_LEN;
        struct ken_action *a = &out[k++]; /* k <= cap: actions_count took the same steps */
        const uint8_t *q = p + pos;
        if (type == 0 && version == KEN_OFP10 && len == 8) {
            a->type = KEN_ACT_OUTPUT;
            a->u.output.port = ken_port_from_wire(version, wire_get16(q + 4));
            a->u.output.max_len = wire_get16(q + 6);
        } else if (type == 0 && len == 16 && version != KEN_OFP10) {
            a->type = KEN_ACT_OUTPUT;
            a->u.output.port = wire_get32(q + 4);
            a->u.output.max_len = wire_get16(q + 8);
        } else {
            /* Kept as bytes, once the JSON codec's checks pass: the fast
             * codec accepts exactly what it accepts. Not on the hot path
             * (packet-ins carry no actions). */
            size_t span;
            int err = ofp_action_check(q, n - pos, version, &span);
            if (err)
                return err;
            if (span != len)
                return KEN_OFPBAC_BAD_LEN;
            a->type = KEN_ACT_RAW;
            a->u.raw.bytes = q;
            a->u.raw.len = len;
        }
        pos += len;
    }
    *acts = out;
    *n_acts = k;
    return 0;
}

/* The meter instruction came with 1.3 and left in 1.5 (a meter action
 * took its place). */
static bool meter_instruction_in(uint8_t version) { return version == KEN_OFP13 || version == KEN_OFP14; }

/* Inlined into the flow-mod encoder: a call per flow-mod showed in its cost. */
__attribute__((always_inline)) static inline int instructions_encode(struct ken_buf *b, uint8_t version,
                                                                     const struct ken_instruction *inst, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        const struct ken_instruction *in = &inst[i];
        size_t start = b->len;
        ken_buf_put16(b, in->type);
        ken_buf_put16(b, 0);
        switch (in->type) {
        case KEN_INST_GOTO_TABLE:
            ken_buf_put8(b, in->table_id);
            ken_buf_put_zeros(b, 3);
            break;
        case KEN_INST_WRITE_METADATA:
            ken_buf_put_zeros(b, 4);
            ken_buf_put64(b, in->metadata);
            ken_buf_put64(b, in->metadata_mask);
            break;
        case KEN_INST_WRITE_ACTIONS:
        case KEN_INST_APPLY_ACTIONS:
        case KEN_INST_CLEAR_ACTIONS: {
            ken_buf_put_zeros(b, 4);
            int err = actions_encode(b, version, in->actions, in->n_actions);
            if (err)
                return err;
            break;
        }
        case KEN_INST_METER:
            if (!meter_instruction_in(version))
                return KEN_OFPBIC_UNKNOWN_INST;
            ken_buf_put32(b, in->meter_id);
            break;
        case KEN_INST_RAW:
            b->len = start; /* the bytes carry their own header */
            ken_buf_put(b, in->raw, in->raw_len);
            continue;
        default:
            return KEN_OFPBIC_UNKNOWN_INST;
        }
        /* Over 65535 bytes the message is refused as a whole (ofp_msg_finish). */
        wire_put16(b->data + start + 2, (uint16_t)(b->len - start));
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
 * meter instructions span their fields (8, 24, 8 bytes) whatever their
 * length says; the others span their length. Returns it, or 0 when it
 * does not fit (or is under 8). */
static inline size_t instruction_span(const uint8_t *q, size_t rem)
{
    uint16_t type = wire_get16(q), len = wire_get16(q + 2);
    if (type == KEN_INST_GOTO_TABLE || type == KEN_INST_METER)
        len = 8;
    else if (type == KEN_INST_WRITE_METADATA)
        len = 24;
    return len < 8 || len > rem ? 0 : len;
}

int ken_instructions_decode(const uint8_t *p, size_t n, uint8_t version, struct ken_arena *a,
                            const struct ken_instruction **inst, size_t *n_inst)
{
    *inst = NULL;
    *n_inst = 0;
    size_t cap = 0, pos = 0, len;
    while (n - pos >= 8 && (len = instruction_span(p + pos, n - pos))) { /* counted first, as actions */
        cap++;
        pos += len;
    }
    struct ken_instruction *out = NULL;
    if (cap && !(out = ken_arena_calloc(a, cap, sizeof *out)))
        return ENOMEM;
    size_t k = 0;
    for (pos = 0; pos < n; pos += len) {
        if (n - pos < 8 || !(len = instruction_span(p + pos, n - pos)))
            return KEN_OFPBIC_BAD_LEN;
        struct ken_instruction *in = &out[k++];
        const uint8_t *q = p + pos;
        uint16_t type = wire_get16(q);
        in->type = (uint8_t)type;
        switch (type) {
        case KEN_INST_GOTO_TABLE:
            in->table_id = q[4];
            break;
        case KEN_INST_WRITE_METADATA:
            in->metadata = wire_get64(q + 8);
            in->metadata_mask = wire_get64(q + 16);
            break;
        case KEN_INST_WRITE_ACTIONS:
        case KEN_INST_APPLY_ACTIONS:
        case KEN_INST_CLEAR_ACTIONS: {
            int err = ken_actions_decode(q + 8, len - 8u, version, a, &in->actions, &in->n_actions);
            if (err)
                return err;
            break;
        }
        case KEN_INST_METER:
            if (!meter_instruction_in(version))
                return KEN_OFPBIC_UNKNOWN_INST;
            in->meter_id = wire_get32(q + 4);
            break;
        default: {
            /* Kept as bytes once the JSON codec's checks pass (stat-trigger). */
            size_t span;
            int err = ofp_instruction_check(q, n - pos, version, &span);
            if (err)
                return err;
            if (span != len)
                return KEN_OFPBIC_BAD_LEN;
            in->type = KEN_INST_RAW;
            in->raw = q;
            in->raw_len = (uint16_t)len;
            break;
        }
        }
    }
    *inst = out;
    *n_inst = k;
    return 0;
}

/* ---- flow-mod ---- */

void ken_flow_mod_init(struct ken_flow_mod *fm)
{
    memset(fm, 0, offsetof(struct ken_flow_mod, match));
    fm->command = KEN_OFPFC_ADD;
    fm->priority = 0x8000; /* OFP_DEFAULT_PRIORITY */
    fm->buffer_id = KEN_OFP_NO_BUFFER;
    fm->out_port = KEN_OFPP_ANY;
    fm->out_group = KEN_OFPG_ANY;
    ken_match_init(&fm->match);
    fm->n_instructions = 0;
    fm->inst = NULL;
}

int ken_flow_mod_apply_actions(struct ken_flow_mod *fm, const struct ken_action *acts, size_t n)
{
    /* One instruction in the struct: more would need storage that outlives
     * this call, which only the caller has. */
    if (fm->n_instructions || fm->inst)
        return EBUSY;
    fm->apply = (struct ken_instruction){.type = KEN_INST_APPLY_ACTIONS, .n_actions = n, .actions = acts};
    fm->inst = &fm->apply;
    fm->n_instructions = 1;
    return 0;
}

struct ken_action ken_action_output(uint32_t port, uint16_t max_len)
{
    struct ken_action a = {.type = KEN_ACT_OUTPUT};
    a.u.output.port = port;
    a.u.output.max_len = max_len;
    return a;
}

/* idle_timeout, hard_timeout, priority and buffer_id: ten bytes laid out
 * alike in every version, only their offset differs. */
static inline void flow_mod_put_timing(uint8_t *p, const struct ken_flow_mod *fm)
{
    wire_put16(p, fm->idle_timeout);
    wire_put16(p + 2, fm->hard_timeout);
    wire_put16(p + 4, fm->priority);
    wire_put32(p + 6, fm->buffer_id);
}

static inline void flow_mod_get_timing(const uint8_t *p, struct ken_flow_mod *fm)
{
    fm->idle_timeout = wire_get16(p);
    fm->hard_timeout = wire_get16(p + 2);
    fm->priority = wire_get16(p + 4);
    fm->buffer_id = wire_get32(p + 6);
}

int ken_flow_mod_encode(struct ken_buf *b, uint8_t version, uint32_t xid, const struct ken_flow_mod *fm)
{
    size_t start = put_header(b, version, TYPE_IN(version, FLOW_MOD), xid);
    int err = 0;
    if (version == KEN_OFP10) {
        uint8_t *p = ken_buf_put_zeros(b, 64);
        if ((err = fast_match10_encode(p, &fm->match)))
            goto fail;
        wire_put64(p + 40, fm->cookie);
        wire_put16(p + 48, fm->command);
        flow_mod_put_timing(p + 50, fm);
        wire_put16(p + 60, (uint16_t)ken_port_to_wire(version, fm->out_port));
        wire_put16(p + 62, fm->flags);
        for (size_t i = 0; i < fm->n_instructions; i++) {
            const struct ken_instruction *in = &fm->inst[i];
            if (in->type != KEN_INST_APPLY_ACTIONS) {
                err = KEN_OFPBIC_UNKNOWN_INST;
                goto fail;
            }
            if ((err = actions_encode(b, version, in->actions, in->n_actions)))
                goto fail;
        }
    } else {
        uint8_t *p = ken_buf_put_zeros(b, 40);
        wire_put64(p, fm->cookie);
        wire_put64(p + 8, fm->cookie_mask);
        p[16] = fm->table_id;
        if (fm->command > 0xff) { /* an 8-bit field from 1.2 on */
            err = KEN_OFPBRC_BAD_LEN;
            goto fail;
        }
        p[17] = (uint8_t)fm->command;
        flow_mod_put_timing(p + 18, fm);
        wire_put32(p + 28, fm->out_port);
        wire_put32(p + 32, fm->out_group);
        wire_put16(p + 36, fm->flags);
        fast_match_encode(b, &fm->match);
        if ((err = instructions_encode(b, version, fm->inst, fm->n_instructions)))
            goto fail;
    }
    return ofp_msg_finish(b, start);
fail:
    b->len = start;
    return err;
}

int ken_flow_mod_decode(const uint8_t *msg, size_t n, struct ken_flow_mod *fm, struct ken_arena *a)
{
    size_t len;
    uint8_t v = msg && n ? msg[0] : 0;
    int err = check_msg(msg, n, TYPE_IN(v, FLOW_MOD), v == KEN_OFP10 ? 72 : 56, &len);
    if (err)
        return err;
    ken_flow_mod_init(fm);
    if (v == KEN_OFP10) {
        const uint8_t *p = msg + 8;
        fast_match10_decode(p, &fm->match);
        fm->cookie = wire_get64(p + 40);
        fm->command = wire_get16(p + 48);
        flow_mod_get_timing(p + 50, fm);
        fm->out_port = ken_port_from_wire(v, wire_get16(p + 60));
        fm->flags = wire_get16(p + 62);
        if (len > 72) {
            /* In the arena, not fm->apply: a decoded flow-mod stays valid
             * when copied by value. */
            struct ken_instruction *in = ken_arena_alloc(a, sizeof *in);
            if (!in)
                return ENOMEM;
            in->type = KEN_INST_APPLY_ACTIONS;
            fm->inst = in;
            fm->n_instructions = 1;
            return ken_actions_decode(msg + 72, len - 72, v, a, &in->actions, &in->n_actions);
        }
        return 0;
    }
    const uint8_t *p = msg + 8;
    fm->cookie = wire_get64(p);
    fm->cookie_mask = wire_get64(p + 8);
    fm->table_id = p[16];
    fm->command = p[17];
    flow_mod_get_timing(p + 18, fm);
    fm->out_port = wire_get32(p + 28);
    fm->out_group = wire_get32(p + 32);
    fm->flags = wire_get16(p + 36);
    size_t used = fast_match_decode(msg + 48, len - 48, v, &fm->match, &err);
    if (!used)
        return err;
    return ken_instructions_decode(msg + 48 + used, len - 48 - used, v, a, &fm->inst, &fm->n_instructions);
}

/* ---- packet-out ---- */

void ken_packet_out_init(struct ken_packet_out *po)
{
    memset(po, 0, sizeof *po);
    po->buffer_id = KEN_OFP_NO_BUFFER;
    po->in_port = KEN_OFPP_CONTROLLER;
}

int ken_packet_out_encode(struct ken_buf *b, uint8_t version, uint32_t xid, const struct ken_packet_out *po)
{
    size_t start = put_header(b, version, TYPE_IN(version, PACKET_OUT), xid);
    size_t alen_at;
    ken_buf_put32(b, po->buffer_id);
    if (version == KEN_OFP10) {
        ken_buf_put16(b, (uint16_t)ken_port_to_wire(version, po->in_port));
        alen_at = b->len;
        ken_buf_put16(b, 0);
    } else if (version <= KEN_OFP14) {
        ken_buf_put32(b, po->in_port);
        alen_at = b->len;
        ken_buf_put16(b, 0);
        ken_buf_put_zeros(b, 6);
    } else {
        alen_at = b->len;
        ken_buf_put16(b, 0);
        ken_buf_put_zeros(b, 2);
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

/* ---- features, ports, port-status ---- */

int ken_switch_features_decode(const uint8_t *msg, size_t n, struct ken_switch_features *f)
{
    size_t len;
    int err = check_msg(msg, n, TYPE_IN(msg[0], FEATURES_REPLY), 32, &len);
    if (err)
        return err;
    f->datapath_id = wire_get64(msg + 8);
    f->n_buffers = wire_get32(msg + 16);
    f->n_tables = msg[20];
    f->auxiliary_id = msg[0] >= KEN_OFP13 ? msg[21] : 0;
    f->capabilities = wire_get32(msg + 24);
    f->actions = msg[0] == KEN_OFP10 ? wire_get32(msg + 28) : 0;
    size_t port_len = msg[0] == KEN_OFP10 ? 48 : 64;
    if (msg[0] >= KEN_OFP13) { /* no ports: exactly the 32 bytes */
        f->n_ports = 0;
        return len == 32 ? 0 : KEN_OFPBRC_BAD_LEN;
    }
    if ((len - 32) % port_len)
        return KEN_OFPBRC_BAD_LEN;
    f->n_ports = (uint16_t)((len - 32) / port_len);
    return 0;
}

/* curr, advertised, supported and peer, then (1.2+) the two speeds: the
 * same run of words in every version's port or ethernet property. */
static void port_features_decode(const uint8_t *q, bool has_speeds, struct ken_port *pt)
{
    pt->curr = wire_get32(q);
    pt->advertised = wire_get32(q + 4);
    pt->supported = wire_get32(q + 8);
    pt->peer = wire_get32(q + 12);
    pt->curr_speed = has_speeds ? wire_get32(q + 16) : 0;
    pt->max_speed = has_speeds ? wire_get32(q + 20) : 0;
}

/* A name of all 16 bytes has no NUL: the JSON codec shows all 16. */
static void port_name_decode(const uint8_t *q, struct ken_port *pt)
{
    memcpy(pt->name, q, 16);
    pt->name[16] = 0;
}

static void port10_decode(const uint8_t *p, struct ken_port *pt)
{
    pt->port_no = ken_port_from_wire(KEN_OFP10, wire_get16(p));
    memcpy(pt->hw_addr, p + 2, 6);
    port_name_decode(p + 8, pt);
    pt->config = wire_get32(p + 24);
    pt->state = wire_get32(p + 28);
    port_features_decode(p + 32, false, pt);
}

/* The first 40 bytes, laid out alike in 1.2-1.3 and 1.4+. */
static void port12_head_decode(const uint8_t *p, struct ken_port *pt)
{
    pt->port_no = wire_get32(p);
    memcpy(pt->hw_addr, p + 8, 6);
    port_name_decode(p + 16, pt);
    pt->config = wire_get32(p + 32);
    pt->state = wire_get32(p + 36);
}

static void port12_decode(const uint8_t *p, struct ken_port *pt)
{
    port12_head_decode(p, pt);
    port_features_decode(p + 40, true, pt);
}

/* 1.4+: a 40-byte base with a length, then properties; the ethernet
 * property (type 0) carries the speeds. Returns the port's length or 0. */
static size_t port14_decode(const uint8_t *p, size_t n, struct ken_port *pt)
{
    if (n < 40)
        return 0;
    size_t len = wire_get16(p + 4);
    if (len < 40 || len > n)
        return 0;
    memset(pt, 0, sizeof *pt);
    port12_head_decode(p, pt);
    for (size_t at = 40; at < len;) {
        if (len - at < 4)
            return 0;
        uint16_t type = wire_get16(p + at), plen = wire_get16(p + at + 2);
        if (plen < 4 || plen > len - at)
            return 0;
        if (type == 0 && plen >= 32)
            port_features_decode(p + at + 8, true, pt);
        at += (plen + 7u) / 8 * 8;
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
            if ((used = 48) > n - pos)
                return KEN_OFPBRC_BAD_LEN;
            port10_decode(p + pos, pt);
        } else if (version <= KEN_OFP13) {
            if ((used = 64) > n - pos)
                return KEN_OFPBRC_BAD_LEN;
            port12_decode(p + pos, pt);
        } else {
            /* 1.4+ ports carry properties: the JSON codec's checks first
             * (port descriptions are not on the hot path). */
            int err = ofp_struct_check(p + pos, n - pos, version, &ofp_port_14, &used);
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
    size_t span = version == KEN_OFP10 ? 48 : version <= KEN_OFP13 ? 64 : n < 6 ? n : wire_get16(p + 4);
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
    if (n >= 8 && msg[1] == TYPE_IN(msg[0], FEATURES_REPLY)) { /* features reply: 1.0-1.2 carry the ports */
        if ((err = check_msg(msg, n, TYPE_IN(msg[0], FEATURES_REPLY), 32, &len)))
            return err;
        if (msg[0] >= KEN_OFP13) /* no ports: exactly the 32 bytes */
            return len == 32 ? 0 : KEN_OFPBRC_BAD_LEN;
        return ports_walk(msg + 32, len - 32, msg[0], ports, max, n_ports);
    }
    if ((err = check_mp_reply(msg, n, OFPMP_PORT_DESC, &len)))
        return err;
    if (msg[0] < KEN_OFP13)
        return KEN_OFPBRC_BAD_MULTIPART;
    return ports_walk(msg + 16, len - 16, msg[0], ports, max, n_ports);
}

int ken_port_status_decode(const uint8_t *msg, size_t n, struct ken_port_status *ps)
{
    size_t len, count = 0;
    int err = check_msg(msg, n, TYPE_IN(msg[0], PORT_STATUS), 16, &len);
    if (err)
        return err;
    ps->reason = msg[8];
    err = ports_walk(msg + 16, len - 16, msg[0], &ps->desc, 1, &count);
    if (!err && count != 1)
        err = KEN_OFPBRC_BAD_LEN;
    return err;
}

/* ---- error, hello, echo, config ---- */

int ken_error_decode(const uint8_t *msg, size_t n, struct ken_error_msg *e)
{
    size_t len;
    int err = check_msg(msg, n, TYPE_IN(msg[0], ERROR), 12, &len);
    if (err)
        return err;
    e->type = wire_get16(msg + 8);
    /* 1.2+ experimenter error: exp_type, then the experimenter id is part
     * of the message (data holds it and what follows). */
    if (e->type == 0xffff && msg[0] != KEN_OFP10 && len < 16)
        return KEN_OFPBRC_BAD_LEN;
    e->code = wire_get16(msg + 10);
    e->data = msg + 12;
    e->data_len = (uint16_t)(len - 12);
    return 0;
}

void ken_error_encode(struct ken_buf *b, uint8_t version, uint32_t xid, int ofperr, const uint8_t *data, size_t len)
{
    uint16_t type, code;
    size_t start = put_header(b, version, TYPE_IN(version, ERROR), xid);
    ken_ofperr_wire(ofperr, version, &type, &code);
    ken_buf_put16(b, type);
    ken_buf_put16(b, code);
    /* The start of the offending message: the spec asks for at least 64
     * bytes, and 64 always fits, so an error is never refused. */
    ken_buf_put(b, data, len > 64 ? 64 : len);
    ofp_msg_finish(b, start);
}

uint8_t ken_hello_negotiate(const uint8_t *msg, size_t n, uint32_t our_bitmap)
{
    if (n < 8)
        return 0;
    size_t len = wire_get16(msg + 2);
    if (len < 8 || len > n)
        return 0;
    uint32_t theirs = 0;
    for (size_t at = 8; at + 4 <= len;) { /* hello elements (1.3+) */
        uint16_t type = wire_get16(msg + at), elen = wire_get16(msg + at + 2);
        if (elen < 4 || elen > len - at)
            break;
        if (type == 1 && elen >= 8)
            theirs |= wire_get32(msg + at + 4);
        at += (elen + 7u) / 8 * 8;
    }
    if (!theirs) /* no bitmap: every version up to theirs */
        theirs = msg[0] >= 31 ? 0xffffffffu : (2u << msg[0]) - 1;
    uint32_t common = theirs & our_bitmap;
    for (int v = 31; v > 0; v--)
        if (common & (1u << v))
            return (uint8_t)v;
    return 0;
}

void ken_hello_encode(struct ken_buf *b, uint8_t version, uint32_t xid, uint32_t bitmap)
{
    size_t start = put_header(b, version, TYPE_IN(version, HELLO), xid);
    if (version >= KEN_OFP13) {
        ken_buf_put16(b, 1);
        ken_buf_put16(b, 8);
        ken_buf_put32(b, bitmap);
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
    ken_buf_put16(b, flags);
    ken_buf_put16(b, miss_send_len);
    ofp_msg_finish(b, start); /* fixed size: always fits */
}

void ken_port_desc_request_encode(struct ken_buf *b, uint8_t version, uint32_t xid)
{
    size_t start = put_header(b, version, TYPE_IN(version, MULTIPART_REQUEST), xid);
    ken_buf_put16(b, OFPMP_PORT_DESC);
    ken_buf_put_zeros(b, 6);
    if (version >= KEN_OFP15) { /* 1.5 asks for one port or all */
        ken_buf_put32(b, KEN_OFPP_ANY);
        ken_buf_put_zeros(b, 4);
    }
    ofp_msg_finish(b, start); /* fixed size: always fits */
}

/* ---- port stats ---- */

void ken_port_stats_request_encode(struct ken_buf *b, uint8_t version, uint32_t xid, uint32_t port_no)
{
    size_t start = put_header(b, version, TYPE_IN(version, MULTIPART_REQUEST), xid);
    ken_buf_put16(b, MP_TYPE_IN(version, PORT_STATS));
    ken_buf_put16(b, 0);
    if (version == KEN_OFP10) {
        ken_buf_put16(b, (uint16_t)ken_port_to_wire(version, port_no));
        ken_buf_put_zeros(b, 6);
    } else {
        ken_buf_put_zeros(b, 4);
        ken_buf_put32(b, port_no);
        ken_buf_put_zeros(b, 4);
    }
    ofp_msg_finish(b, start); /* fixed size: always fits */
}

static size_t port_stats_size(uint8_t version) { return version == KEN_OFP13 ? 112 : 104; }

int ken_port_stats_reply_encode(struct ken_buf *b, uint8_t version, uint32_t xid, const struct ken_port_stats *st,
                                size_t n)
{
    if (version >= KEN_OFP14)
        return KEN_OFPBRC_BAD_VERSION;
    size_t start = put_header(b, version, TYPE_IN(version, MULTIPART_REPLY), xid);
    ken_buf_put16(b, MP_TYPE_IN(version, PORT_STATS));
    ken_buf_put16(b, 0);
    if (version != KEN_OFP10)
        ken_buf_put_zeros(b, 4);
    size_t sz = port_stats_size(version);
    if (n > KEN_OFP_MAX_LEN / sz) { /* refused below; this keeps n * sz from overflowing */
        b->len = start;
        return KEN_OFPBRC_BAD_LEN;
    }
    uint8_t *p = ken_buf_put_zeros(b, n * sz);
    for (size_t i = 0; i < n; i++, p += sz) {
        const struct ken_port_stats *s = &st[i];
        if (version == KEN_OFP10)
            wire_put16(p, (uint16_t)ken_port_to_wire(version, s->port_no));
        else
            wire_put32(p, s->port_no);
        if (version == KEN_OFP13) {
            wire_put32(p + 104, s->duration_sec);
            wire_put32(p + 108, s->duration_nsec);
        }
    }
    if (n)
        wire_swap64_records(p - n * sz + 8, sz, st[0].counters, sizeof *st, n, KEN_PORT_STATS_COUNTERS);
    return ofp_msg_finish(b, start);
}

int ken_port_stats_decode(const uint8_t *msg, size_t n, struct ken_port_stats *st, size_t max, size_t *n_stats)
{
    size_t len;
    *n_stats = 0;
    int err = check_mp_reply(msg, n, MP_TYPE_IN(msg[0], PORT_STATS), &len);
    if (err)
        return err;
    uint8_t v = msg[0];
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
        s->port_no = v == KEN_OFP10 ? ken_port_from_wire(v, wire_get16(p)) : wire_get32(p);
        s->duration_sec = v == KEN_OFP13 ? wire_get32(p + 104) : 0;
        s->duration_nsec = v == KEN_OFP13 ? wire_get32(p + 108) : 0;
    }
    if (fill)
        wire_swap64_records(st[0].counters, sizeof *st, msg + body + 8, sz, fill, KEN_PORT_STATS_COUNTERS);
    *n_stats = count;
    return 0;
}
