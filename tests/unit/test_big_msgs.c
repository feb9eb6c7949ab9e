/* The hot-path codec has no small fixed limits: a flow-mod with hundreds
 * of actions and dozens of instructions, a packet-in whose match has more
 * fields and bytes than struct ken_match holds inline, and messages
 * filled to 64 KiB decode, agree with the JSON codec field by field, and
 * encode again to the same bytes. */
#include <json-c/json.h>
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "ken/arena.h"
#include "ken/ofp.h"
#include "ken/ofp_msg.h"
#include "ken/wire.h"
#include "ofp/fast.h"

/* ---- JSON helpers ---- */

static json_object *get(json_object *o, const char *key)
{
    json_object *v = NULL;
    assert_non_null(o);
    if (!json_object_object_get_ex(o, key, &v)) {
        fprintf(stderr, "no \"%s\" in %s\n", key, json_object_to_json_string(o));
        fail();
    }
    return v;
}

/* {"Cls": {...}}: the class name and the body. */
static json_object *body_of(json_object *o, const char **cls)
{
    json_object_object_foreach(o, k, v)
    {
        if (cls)
            *cls = k;
        return v;
    }
    fail();
    return NULL;
}

static uint64_t get_uint(json_object *o, const char *key) { return (uint64_t)json_object_get_uint64(get(o, key)); }

static json_object *to_json(const struct ken_buf *b)
{
    json_object *j = NULL;
    char why[KEN_WHY_LEN];
    int err = ken_ofp_to_json(b->data, b->len, &j, why);
    if (err)
        fprintf(stderr, "to_json: %s (%s)\n", ken_err_name(err), why);
    assert_int_equal(err, 0);
    return j;
}

/* ---- actions ---- */

/* An action of each kind the struct builds, by index. */
static struct ken_action make_action(size_t i)
{
    struct ken_action a = {.type = KEN_ACT_OUTPUT};
    switch (i % 7) {
    case 0: a = ken_action_output((uint32_t)i + 1, (uint16_t)i); break;
    case 1:
        a.type = KEN_ACT_SET_FIELD;
        a.u.set_field.id = KEN_OXM_IPV4_DST;
        a.u.set_field.len = 4;
        wire_put32(a.u.set_field.value, 0x0a000000u + (uint32_t)i);
        break;
    case 2: a.type = KEN_ACT_PUSH_VLAN; a.u.ethertype = 0x8100; break;
    case 3: a.type = KEN_ACT_POP_VLAN; break;
    case 4: a.type = KEN_ACT_GROUP; a.u.group_id = (uint32_t)i; break;
    case 5: a.type = KEN_ACT_SET_QUEUE; a.u.queue_id = (uint32_t)i * 3; break;
    default: a.type = KEN_ACT_DEC_NW_TTL; break;
    }
    return a;
}

/* A decoded action against the JSON codec's: type and length always, the
 * values of the ones the struct or its raw bytes carry. */
static void same_action(json_object *ja, uint8_t version, const struct ken_action *a)
{
    const char *cls;
    json_object *body = body_of(ja, &cls);
    if (a->type == KEN_ACT_OUTPUT) {
        assert_string_equal(cls, "OFPActionOutput");
        assert_int_equal(get_uint(body, "port"), ken_port_to_wire(version, a->u.output.port));
        assert_int_equal(get_uint(body, "max_len"), a->u.output.max_len);
        if (version != KEN_OFP10) /* the 1.0 JSON has no type or len for it */
            assert_int_equal(get_uint(body, "len"), 16);
        return;
    }
    switch (a->type) { /* the ones struct ken_action models, read into it */
    case KEN_ACT_SET_FIELD: {
        assert_string_equal(cls, "OFPActionSetField");
        assert_int_equal(a->u.set_field.id, KEN_OXM_IPV4_DST);
        json_object *f = body_of(get(body, "field"), NULL);
        assert_string_equal(json_object_get_string(get(f, "field")), "ipv4_dst");
        char ip[16];
        const uint8_t *v = a->u.set_field.value;
        snprintf(ip, sizeof ip, "%u.%u.%u.%u", v[0], v[1], v[2], v[3]);
        assert_string_equal(json_object_get_string(get(f, "value")), ip);
        return;
    }
    case KEN_ACT_PUSH_VLAN:
        assert_string_equal(cls, "OFPActionPushVlan");
        assert_int_equal(get_uint(body, "ethertype"), a->u.ethertype);
        return;
    case KEN_ACT_POP_VLAN:
        assert_string_equal(cls, "OFPActionPopVlan");
        return;
    case KEN_ACT_GROUP:
        assert_string_equal(cls, "OFPActionGroup");
        assert_int_equal(get_uint(body, "group_id"), a->u.group_id);
        return;
    case KEN_ACT_SET_QUEUE:
        assert_string_equal(cls, "OFPActionSetQueue");
        assert_int_equal(get_uint(body, "queue_id"), a->u.queue_id);
        return;
    case KEN_ACT_DEC_NW_TTL:
        assert_string_equal(cls, "OFPActionDecNwTtl");
        return;
    default:
        break;
    }
    /* the others: 1.0's as their class's struct, with their bytes beside it (as raw's) */
    assert_true(a->type == KEN_ACT_RAW || a->type == KEN_ACT_TYPED);
    assert_int_equal(version, KEN_OFP10); /* 1.2+: every action built here is modelled */
    const uint8_t *q = a->u.raw.bytes;
    assert_int_equal(get_uint(body, "type"), wire_get16(q));
    assert_int_equal(get_uint(body, "len"), a->u.raw.len);
    switch (wire_get16(q)) {
    case 17: assert_int_equal(get_uint(body, "ethertype"), wire_get16(q + 4)); break;
    case 21: assert_int_equal(get_uint(body, "queue_id"), wire_get32(q + 4)); break;
    case 22: assert_int_equal(get_uint(body, "group_id"), wire_get32(q + 4)); break;
    case 25: {
        json_object *f = body_of(get(body, "field"), NULL);
        assert_string_equal(json_object_get_string(get(f, "field")), "ipv4_dst");
        char ip[16];
        snprintf(ip, sizeof ip, "%u.%u.%u.%u", q[8], q[9], q[10], q[11]);
        assert_string_equal(json_object_get_string(get(f, "value")), ip);
        break;
    }
    default: break;
    }
}

static void same_actions(json_object *arr, uint8_t version, const struct ken_action *acts, size_t n)
{
    assert_int_equal(json_object_array_length(arr), n);
    for (size_t i = 0; i < n; i++)
        same_action(json_object_array_get_idx(arr, i), version, &acts[i]);
}

/* ---- flow-mods ---- */

#define BIG_ACTIONS 100
#define BIG_INSTRUCTIONS 40

static struct ken_action acts_big[BIG_ACTIONS];
static struct ken_action acts_small[BIG_INSTRUCTIONS][3];
static struct ken_instruction inst_big[BIG_INSTRUCTIONS];

/* 1.3: apply-actions with 100 actions, then 39 more instructions of every
 * kind (actions ones with a few actions each). */
static void build_big_flow_mod(struct ken_flow_mod *fm)
{
    ken_flow_mod_init(fm);
    fm->cookie = 0x1122334455667788u;
    fm->priority = 7;
    ken_match_add_u32(&fm->match, KEN_OXM_IN_PORT, 3);
    for (size_t i = 0; i < BIG_ACTIONS; i++)
        acts_big[i] = make_action(i);
    inst_big[0] =
        (struct ken_instruction){.type = KEN_INST_APPLY_ACTIONS, .n_actions = BIG_ACTIONS, .actions = acts_big};
    for (size_t i = 1; i < BIG_INSTRUCTIONS; i++) {
        struct ken_instruction *in = &inst_big[i];
        *in = (struct ken_instruction){.type = KEN_INST_APPLY_ACTIONS};
        for (size_t k = 0; k < 3; k++)
            acts_small[i][k] = make_action(i + k);
        switch (i % 6) {
        case 0: in->type = KEN_INST_GOTO_TABLE; in->table_id = (uint8_t)i; break;
        case 1: in->type = KEN_INST_WRITE_METADATA; in->metadata = i; in->metadata_mask = 0xff; break;
        case 2: in->type = KEN_INST_WRITE_ACTIONS; in->n_actions = 3; in->actions = acts_small[i]; break;
        case 3: in->type = KEN_INST_CLEAR_ACTIONS; break;
        case 4: in->type = KEN_INST_METER; in->meter_id = (uint32_t)i; break;
        default: in->n_actions = 2; in->actions = acts_small[i]; break;
        }
    }
    fm->inst = inst_big;
    fm->n_instructions = BIG_INSTRUCTIONS;
}

static void same_instructions(json_object *arr, uint8_t version, const struct ken_flow_mod *fm)
{
    assert_int_equal(json_object_array_length(arr), fm->n_instructions);
    for (size_t i = 0; i < fm->n_instructions; i++) {
        const struct ken_instruction *in = &fm->inst[i];
        const char *cls;
        json_object *body = body_of(json_object_array_get_idx(arr, i), &cls);
        assert_int_equal(get_uint(body, "type"), in->type);
        switch (in->type) {
        case KEN_INST_GOTO_TABLE: assert_int_equal(get_uint(body, "table_id"), in->table_id); break;
        case KEN_INST_WRITE_METADATA:
            assert_true(get_uint(body, "metadata") == in->metadata);
            assert_true(get_uint(body, "metadata_mask") == in->metadata_mask);
            break;
        case KEN_INST_METER: assert_int_equal(get_uint(body, "meter_id"), in->meter_id); break;
        default:
            assert_string_equal(cls, "OFPInstructionActions");
            same_actions(get(body, "actions"), version, in->actions, in->n_actions);
            break;
        }
    }
}

/* Decodes b, holds the struct to the JSON codec, encodes it again to the
 * same bytes. */
static void flow_mod_round_trip(const struct ken_buf *b, uint8_t version, size_t n_inst, size_t n_acts0)
{
    struct ken_arena a = KEN_ARENA_INIT;
    struct ken_flow_mod fm;
    assert_int_equal(ken_flow_mod_decode(b->data, b->len, &fm, &a), 0);
    assert_int_equal(fm.n_instructions, n_inst);
    assert_int_equal(fm.inst[0].n_actions, n_acts0);
    json_object *j = to_json(b);
    json_object *body = body_of(j, NULL);
    assert_true(get_uint(body, "cookie") == fm.cookie);
    assert_int_equal(get_uint(body, "priority"), fm.priority);
    if (version == KEN_OFP10)
        same_actions(get(body, "actions"), version, fm.inst[0].actions, fm.inst[0].n_actions);
    else
        same_instructions(get(body, "instructions"), version, &fm);
    struct ken_buf again = KEN_BUF_INIT;
    assert_int_equal(ken_flow_mod_encode(&again, version, wire_get32(b->data + 4), &fm), 0);
    assert_int_equal(again.len, b->len);
    assert_memory_equal(again.data, b->data, b->len);
    /* A decoded flow-mod copied by value still reads the same. */
    struct ken_flow_mod copy = fm;
    ken_buf_clear(&again);
    assert_int_equal(ken_flow_mod_encode(&again, version, wire_get32(b->data + 4), &copy), 0);
    assert_memory_equal(again.data, b->data, b->len);
    ken_buf_free(&again);
    json_object_put(j);
    ken_arena_free(&a);
}

static void test_flow_mod_100_actions_40_instructions(void **state)
{
    (void)state;
    struct ken_flow_mod fm;
    build_big_flow_mod(&fm);
    static const uint8_t versions[] = {KEN_OFP13, KEN_OFP14};
    for (size_t v = 0; v < sizeof versions; v++) {
        struct ken_buf b = KEN_BUF_INIT;
        assert_int_equal(ken_flow_mod_encode(&b, versions[v], 5, &fm), 0);
        flow_mod_round_trip(&b, versions[v], BIG_INSTRUCTIONS, BIG_ACTIONS);
        ken_buf_free(&b);
    }
}

/* 1.0: the actions follow the match directly; output is all the struct
 * builds there. */
static void test_flow_mod_10_300_actions(void **state)
{
    (void)state;
    static struct ken_action outs[300];
    for (size_t i = 0; i < 300; i++)
        outs[i] = ken_action_output((uint32_t)i + 1, (uint16_t)(i * 3));
    struct ken_flow_mod fm;
    ken_flow_mod_init(&fm);
    assert_int_equal(ken_flow_mod_apply_actions(&fm, outs, 300), 0);
    struct ken_buf b = KEN_BUF_INIT;
    assert_int_equal(ken_flow_mod_encode(&b, KEN_OFP10, 5, &fm), 0);
    assert_int_equal(b.len, 72 + 300 * 8);
    flow_mod_round_trip(&b, KEN_OFP10, 1, 300);
    ken_buf_free(&b);
}

/* As many output actions as fit in a 64 KiB message, in each version: the
 * most that fit decode and encode again; one more does not encode. */
static void test_flow_mod_64k_of_actions(void **state)
{
    (void)state;
    static const uint8_t versions[] = {KEN_OFP10, KEN_OFP12, KEN_OFP13, KEN_OFP14, KEN_OFP15};
    static struct ken_action outs[8192];
    for (size_t i = 0; i < 8192; i++)
        outs[i] = ken_action_output((uint32_t)i + 1, 0);
    for (size_t v = 0; v < sizeof versions; v++) {
        struct ken_flow_mod fm;
        ken_flow_mod_init(&fm);
        ken_flow_mod_apply_actions(&fm, outs, 0);
        struct ken_buf b = KEN_BUF_INIT;
        assert_int_equal(ken_flow_mod_encode(&b, versions[v], 5, &fm), 0);
        size_t base = b.len, per = versions[v] == KEN_OFP10 ? 8 : 16;
        size_t most = (KEN_OFP_MAX_LEN - base) / per;
        assert_true(most < 8192);
        fm.apply.n_actions = most;
        ken_buf_clear(&b);
        assert_int_equal(ken_flow_mod_encode(&b, versions[v], 5, &fm), 0);
        assert_true(b.len > KEN_OFP_MAX_LEN - per);
        flow_mod_round_trip(&b, versions[v], 1, most);
        ken_buf_clear(&b);
        fm.apply.n_actions = most + 1;
        assert_int_equal(ken_flow_mod_encode(&b, versions[v], 5, &fm), KEN_OFPBRC_BAD_LEN);
        assert_int_equal(b.len, 0);
        ken_buf_free(&b);
    }
}

/* The exported list codecs on their own: what they decode they encode to
 * the same bytes, and bad bytes give the JSON codec's error. */
static void test_list_codecs(void **state)
{
    (void)state;
    struct ken_flow_mod fm;
    build_big_flow_mod(&fm);
    struct ken_buf b = KEN_BUF_INIT, again = KEN_BUF_INIT;
    assert_int_equal(ken_instructions_encode(&b, KEN_OFP13, fm.inst, fm.n_instructions), 0);
    struct ken_arena a = KEN_ARENA_INIT;
    const struct ken_instruction *inst;
    size_t n_inst;
    assert_int_equal(ken_instructions_decode(b.data, b.len, KEN_OFP13, &a, &inst, &n_inst), 0);
    assert_int_equal(n_inst, BIG_INSTRUCTIONS);
    assert_int_equal(ken_instructions_encode(&again, KEN_OFP13, inst, n_inst), 0);
    assert_int_equal(again.len, b.len);
    assert_memory_equal(again.data, b.data, b.len);

    ken_buf_clear(&b);
    ken_buf_clear(&again);
    assert_int_equal(ken_actions_encode(&b, KEN_OFP13, acts_big, BIG_ACTIONS), 0);
    const struct ken_action *acts;
    size_t n_acts;
    assert_int_equal(ken_actions_decode(b.data, b.len, KEN_OFP13, &a, &acts, &n_acts), 0);
    assert_int_equal(n_acts, BIG_ACTIONS);
    assert_int_equal(ken_actions_encode(&again, KEN_OFP13, acts, n_acts), 0);
    assert_memory_equal(again.data, b.data, b.len);
    /* An empty list: no array. */
    assert_int_equal(ken_actions_decode(b.data, 0, KEN_OFP13, &a, &acts, &n_acts), 0);
    assert_int_equal(n_acts, 0);
    assert_null(acts);
    /* A bad length past good actions: BAD_LEN, as the JSON codec says. */
    b.data[b.len - 16 + 3] = 12;
    assert_int_equal(ken_actions_decode(b.data, b.len, KEN_OFP13, &a, &acts, &n_acts), KEN_OFPBAC_BAD_LEN);
    /* An encode error leaves the buffer as it was. */
    struct ken_action bad = {.type = KEN_ACT_PUSH_VLAN};
    size_t len = again.len;
    assert_int_equal(ken_actions_encode(&again, KEN_OFP10, &bad, 1), KEN_OFPBAC_BAD_TYPE);
    assert_int_equal(again.len, len);
    struct ken_instruction bad_inst = {.type = KEN_INST_METER};
    assert_int_equal(ken_instructions_encode(&again, KEN_OFP15, &bad_inst, 1), KEN_OFPBIC_UNKNOWN_INST);
    assert_int_equal(again.len, len);
    ken_arena_free(&a);
    ken_buf_free(&b);
    ken_buf_free(&again);
}

/* ken_flow_mod_apply_actions is for the one-instruction flow-mod. */
static void test_apply_actions_once(void **state)
{
    (void)state;
    struct ken_flow_mod fm;
    struct ken_action out = ken_action_output(1, 0);
    ken_flow_mod_init(&fm);
    assert_int_equal(ken_flow_mod_apply_actions(&fm, &out, 1), 0);
    assert_ptr_equal(fm.inst, &fm.apply);
    assert_ptr_equal(fm.apply.actions, &out);
    assert_int_equal(ken_flow_mod_apply_actions(&fm, &out, 1), EBUSY);
    assert_int_equal(fm.n_instructions, 1);
}

/* ---- a match bigger than the struct's inline storage ---- */

struct big_field {
    const char *name;
    uint16_t cls;
    uint8_t field, size;
    bool masked;
};

/* 40 integer fields of OpenFlow basic, packet-register and NXM classes,
 * most masked: 520 bytes of values and masks. */
static const struct big_field big_fields[] = {
    {"in_port", 0x8000, 0, 4, false},    {"metadata", 0x8000, 2, 8, true},   {"tunnel_id", 0x8000, 38, 8, true},
    {"ipv6_flabel", 0x8000, 28, 4, true}, {"mpls_label", 0x8000, 34, 4, true}, {"xreg0", 0x8001, 0, 8, true},
    {"xreg1", 0x8001, 1, 8, true},       {"xreg2", 0x8001, 2, 8, true},      {"xreg3", 0x8001, 3, 8, true},
    {"xreg4", 0x8001, 4, 8, true},       {"xreg5", 0x8001, 5, 8, true},      {"xreg6", 0x8001, 6, 8, true},
    {"xreg7", 0x8001, 7, 8, true},       {"reg0", 1, 0, 4, true},            {"reg1", 1, 1, 4, true},
    {"reg2", 1, 2, 4, true},             {"reg3", 1, 3, 4, true},            {"reg4", 1, 4, 4, true},
    {"reg5", 1, 5, 4, true},             {"reg6", 1, 6, 4, true},            {"reg7", 1, 7, 4, true},
    {"reg8", 1, 8, 4, true},             {"reg9", 1, 9, 4, true},            {"reg10", 1, 10, 4, true},
    {"reg11", 1, 11, 4, true},           {"reg12", 1, 12, 4, true},          {"reg13", 1, 13, 4, true},
    {"reg14", 1, 14, 4, true},           {"reg15", 1, 15, 4, true},          {"tunnel_id_nxm", 1, 16, 8, true},
    {"pkt_mark", 1, 33, 4, true},        {"ct_state", 1, 105, 4, true},      {"ct_zone", 1, 106, 2, true},
    {"ct_mark", 1, 107, 4, true},        {"xxreg0", 1, 111, 16, true},       {"xxreg1", 1, 112, 16, true},
    {"xxreg2", 1, 113, 16, true},        {"xxreg3", 1, 114, 16, true},       {"ct_label", 1, 108, 16, true},
    {"tcp_flags_nxm", 1, 34, 2, true},
};
#define N_BIG_FIELDS (sizeof big_fields / sizeof big_fields[0])

/* Field i's value (and mask): small numbers, so the JSON shows them as
 * integers whatever the size (a 16-byte field's top half is zero). */
static void big_value(size_t i, uint8_t *val, uint8_t *mask)
{
    uint8_t size = big_fields[i].size;
    memset(val, 0, size);
    memset(mask, 0, size);
    for (uint8_t k = 0; k < size && k < 8; k++) {
        val[size - 1 - k] = (uint8_t)(k == 0 ? i + 1 : k == 1 ? 0x10 : 0);
        mask[size - 1 - k] = 0xff;
    }
    mask[size - 1] = 0xf0 | (uint8_t)i; /* not all ones: a mask the value is held to */
    val[size - 1] &= mask[size - 1];
}

/* The OXM bytes of the big match; returns their length. */
static size_t big_oxm(uint8_t *p)
{
    size_t at = 0;
    for (size_t i = 0; i < N_BIG_FIELDS; i++) {
        const struct big_field *f = &big_fields[i];
        uint8_t vlen = (uint8_t)(f->size * (f->masked ? 2 : 1));
        wire_put32(p + at, (uint32_t)f->cls << 16 | (uint32_t)f->field << 9 | (f->masked ? 0x100u : 0) | vlen);
        big_value(i, p + at + 4, p + at + 4 + f->size);
        at += 4 + vlen;
    }
    return at;
}

static uint8_t frame[60];

/* A 1.3 packet-in carrying the big match. */
static void build_big_packet_in(struct ken_buf *b)
{
    uint8_t oxm[1024];
    size_t olen = big_oxm(oxm);
    size_t mlen = 4 + olen, padded = (mlen + 7) / 8 * 8;
    uint8_t *p = ken_buf_put_zeros(b, 24);
    p[0] = KEN_OFP13;
    p[1] = 10;
    wire_put32(p + 4, 77);          /* xid */
    wire_put32(p + 8, 0xffffffffu); /* no buffer */
    wire_put16(p + 12, sizeof frame);
    p[14] = 1; /* reason: action */
    p[15] = 2; /* table */
    wire_put64(p + 16, 0xc0ffee);
    uint8_t *m = ken_buf_put_zeros(b, padded);
    wire_put16(m, 1);
    wire_put16(m + 2, (uint16_t)mlen);
    memcpy(m + 4, oxm, olen);
    ken_buf_put_zeros(b, 2);
    ken_buf_put(b, frame, sizeof frame);
    wire_put16(b->data + 2, (uint16_t)b->len);
}

/* Every field of m (in order) against the JSON codec's oxm_fields. */
static void same_match(json_object *jm, const struct ken_match *m)
{
    json_object *arr = get(body_of(jm, NULL), "oxm_fields");
    assert_int_equal(json_object_array_length(arr), m->n);
    size_t pos = 0, i = 0;
    struct ken_match_field f;
    const uint8_t *v;
    while ((v = ken_match_next(m, &pos, &f))) {
        json_object *t = body_of(json_object_array_get_idx(arr, i), NULL);
        assert_true(i < N_BIG_FIELDS);
        assert_string_equal(json_object_get_string(get(t, "field")), big_fields[i].name);
        assert_int_equal(f.len, big_fields[i].size);
        assert_int_equal(f.masked, big_fields[i].masked);
        size_t lo = f.len > 8 ? f.len - 8u : 0; /* the JSON number: the low 8 bytes (the rest are zero) */
        assert_true(get_uint(t, "value") == wire_getn(v + lo, f.len - lo));
        if (f.masked)
            assert_true(get_uint(t, "mask") == wire_getn(v + f.len + lo, f.len - lo));
        else
            assert_true(json_object_is_type(get(t, "mask"), json_type_null));
        i++;
    }
    assert_int_equal(i, m->n);
}

static void test_packet_in_big_match(void **state)
{
    (void)state;
    struct ken_buf b = KEN_BUF_INIT, again = KEN_BUF_INIT;
    build_big_packet_in(&b);
    struct ken_packet_in pi;
    assert_int_equal(ken_packet_in_decode(b.data, b.len, &pi), 0);
    assert_int_equal(pi.match.n, N_BIG_FIELDS);
    assert_true(pi.match.n > KEN_MATCH_INLINE_FIELDS);
    assert_non_null(pi.match.oxm); /* a view of the message */
    assert_true(pi.match.oxm > b.data && pi.match.oxm < b.data + b.len);
    uint8_t in_port[16], unused[16];
    big_value(0, in_port, unused);
    assert_int_equal(pi.in_port, wire_get32(in_port));
    assert_int_equal(pi.data_len, sizeof frame);
    assert_memory_equal(pi.data, frame, sizeof frame);
    /* The data is over the inline size too. */
    size_t bytes = 0;
    for (size_t i = 0; i < N_BIG_FIELDS; i++)
        bytes += big_fields[i].size * (big_fields[i].masked ? 2u : 1u);
    assert_true(bytes > KEN_MATCH_INLINE_DATA);

    json_object *j = to_json(&b);
    json_object *body = body_of(j, NULL);
    assert_int_equal(get_uint(body, "table_id"), pi.table_id);
    assert_true(get_uint(body, "cookie") == pi.cookie);
    assert_int_equal(get_uint(body, "total_len"), pi.total_len);
    same_match(get(body, "match"), &pi.match);

    /* Lookups past the inline descriptors read the wire. */
    for (size_t i = 0; i < N_BIG_FIELDS; i++) {
        uint32_t id = KEN_OXM_ID(big_fields[i].cls, big_fields[i].field);
        const struct ken_match_field *f = ken_match_find(&pi.match, id);
        assert_non_null(f);
        assert_int_equal(f->len, big_fields[i].size);
        uint8_t val[16], mask[16];
        big_value(i, val, mask);
        assert_memory_equal(ken_match_value(&pi.match, f), val, f->len);
        if (f->masked)
            assert_memory_equal(ken_match_value(&pi.match, f) + f->len, mask, f->len);
        uint64_t u = 0;
        if (f->len <= 8) {
            assert_true(ken_match_get_uint(&pi.match, id, &u));
            assert_true(u == wire_getn(val, f->len));
        }
    }
    assert_null(ken_match_find(&pi.match, KEN_OXM_ETH_DST));
    uint64_t u;
    assert_false(ken_match_get_uint(&pi.match, KEN_OXM_ETH_DST, &u));
    /* A view takes no more fields (building is the inline storage's). */
    struct ken_match copy = pi.match;
    assert_int_equal(ken_match_add_u16(&copy, KEN_OXM_ETH_TYPE, 0x800), ENOSPC);

    /* Encoded again: the same bytes. */
    assert_int_equal(ken_packet_in_encode(&again, KEN_OFP13, 77, &pi), 0);
    assert_int_equal(again.len, b.len);
    assert_memory_equal(again.data, b.data, b.len);

    /* The same match in a flow-mod: decoded, encoded again alike; 1.0
     * cannot carry it. */
    struct ken_flow_mod fm;
    ken_flow_mod_init(&fm);
    fm.match = pi.match;
    ken_buf_clear(&again);
    assert_int_equal(ken_flow_mod_encode(&again, KEN_OFP13, 3, &fm), 0);
    struct ken_arena a = KEN_ARENA_INIT;
    struct ken_flow_mod fm2;
    assert_int_equal(ken_flow_mod_decode(again.data, again.len, &fm2, &a), 0);
    assert_int_equal(fm2.match.n, N_BIG_FIELDS);
    json_object *jf = to_json(&again);
    same_match(get(body_of(jf, NULL), "match"), &fm2.match);
    struct ken_buf third = KEN_BUF_INIT;
    assert_int_equal(ken_flow_mod_encode(&third, KEN_OFP13, 3, &fm2), 0);
    assert_int_equal(third.len, again.len);
    assert_memory_equal(third.data, again.data, again.len);
    ken_buf_clear(&third);
    assert_int_equal(ken_flow_mod_encode(&third, KEN_OFP10, 3, &fm2), KEN_OFPBMC_BAD_FIELD);
    ken_buf_free(&third);
    json_object_put(jf);
    ken_arena_free(&a);

    json_object_put(j);
    ken_buf_free(&b);
    ken_buf_free(&again);
}

/* A match of nothing but fields: a 64 KiB packet-in of 1-byte OXM fields
 * (over 13000 of them) decodes without allocating and encodes again. */
static void test_packet_in_most_fields(void **state)
{
    (void)state;
    struct ken_buf b = KEN_BUF_INIT;
    uint8_t *p = ken_buf_put_zeros(&b, 24);
    p[0] = KEN_OFP13;
    p[1] = 10;
    wire_put32(p + 8, 0xffffffffu);
    size_t olen = (KEN_OFP_MAX_LEN - 24 - 4 - 2) / 5 * 5;
    size_t n_fields = olen / 5;
    size_t padded = (4 + olen + 7) / 8 * 8;
    if (24 + padded + 2 > KEN_OFP_MAX_LEN) {
        olen -= 5 * 2;
        n_fields -= 2;
        padded = (4 + olen + 7) / 8 * 8;
    }
    uint8_t *m = ken_buf_put_zeros(&b, padded);
    wire_put16(m, 1);
    wire_put16(m + 2, (uint16_t)(4 + olen));
    for (size_t i = 0; i < n_fields; i++) { /* ip_proto, value i */
        wire_put32(m + 4 + i * 5, 0x80001401u);
        m[4 + i * 5 + 4] = (uint8_t)i;
    }
    ken_buf_put_zeros(&b, 2);
    wire_put16(b.data + 2, (uint16_t)b.len);
    assert_true(b.len <= KEN_OFP_MAX_LEN);

    struct ken_packet_in pi;
    assert_int_equal(ken_packet_in_decode(b.data, b.len, &pi), 0);
    assert_int_equal(pi.match.n, n_fields);
    assert_true(n_fields > 13000);
    json_object *j = to_json(&b);
    json_object *arr = get(body_of(get(body_of(j, NULL), "match"), NULL), "oxm_fields");
    assert_int_equal(json_object_array_length(arr), n_fields);
    json_object_put(j);
    size_t pos = 0, i = 0;
    struct ken_match_field f;
    const uint8_t *v;
    while ((v = ken_match_next(&pi.match, &pos, &f))) {
        assert_int_equal(f.id, KEN_OXM_IP_PROTO);
        assert_int_equal(*v, (uint8_t)i);
        i++;
    }
    assert_int_equal(i, n_fields);
    struct ken_buf again = KEN_BUF_INIT;
    assert_int_equal(ken_packet_in_encode(&again, KEN_OFP13, 0, &pi), 0);
    assert_memory_equal(again.data, b.data, b.len);
    ken_buf_free(&again);
    ken_buf_free(&b);
}

/* Building stays within the inline storage: ENOSPC past it, and nothing
 * added. */
static void test_match_building_limit(void **state)
{
    (void)state;
    struct ken_match m;
    ken_match_init(&m);
    for (unsigned i = 0; i < KEN_MATCH_INLINE_FIELDS; i++)
        assert_int_equal(ken_match_add_u32(&m, KEN_OXM_ID(1, i % 16), i), 0);
    assert_int_equal(ken_match_add_u32(&m, KEN_OXM_IN_PORT, 1), ENOSPC);
    assert_int_equal(m.n, KEN_MATCH_INLINE_FIELDS);
    ken_match_init(&m);
    uint8_t v[16] = {1}, mask[16] = {1};
    for (unsigned i = 0; i < KEN_MATCH_INLINE_DATA / 32; i++)
        assert_int_equal(ken_match_add(&m, KEN_OXM_IPV6_SRC, v, mask, 16), 0);
    assert_int_equal(ken_match_add_u8(&m, KEN_OXM_IP_PROTO, 6), ENOSPC);
    /* A built match is copied by value. */
    struct ken_match copy = m;
    ken_match_init(&m);
    assert_non_null(ken_match_find(&copy, KEN_OXM_IPV6_SRC));
    assert_int_equal(copy.n, KEN_MATCH_INLINE_DATA / 32);
}

/* Past the building limit: the fields as wire bytes, then a view of them;
 * a flow-mod carries all 40, as the JSON codec reads them. */
static void test_match_built_beyond_inline(void **state)
{
    (void)state;
    struct ken_buf oxm = KEN_BUF_INIT, msg = KEN_BUF_INIT;
    for (unsigned i = 0; i < 40; i++) { /* NXM registers 0-15, xregs... as distinct 4-byte fields */
        uint32_t v = i, mask = 0xffff0000u;
        uint8_t vb[4], mb[4];
        for (int k = 0; k < 4; k++) {
            vb[k] = (uint8_t)(v >> (24 - 8 * k));
            mb[k] = (uint8_t)(mask >> (24 - 8 * k));
        }
        ken_oxm_put(&oxm, KEN_OXM_ID(1, i % 16), vb, i < 16 ? NULL : mb, 4);
    }
    struct ken_match m;
    assert_int_equal(ken_match_from_oxm(&m, KEN_OFP13, oxm.data, oxm.len), 0);
    assert_int_equal(m.n, 40);
    struct ken_flow_mod fm;
    ken_flow_mod_init(&fm);
    fm.match = m;
    assert_int_equal(ken_flow_mod_encode(&msg, KEN_OFP13, 1, &fm), 0);
    json_object *j = NULL;
    char why[KEN_WHY_LEN];
    assert_int_equal(ken_ofp_to_json(msg.data, msg.len, &j, why), 0);
    json_object *body = json_object_object_get(j, "OFPFlowMod");
    json_object *match = json_object_object_get(json_object_object_get(body, "match"), "OFPMatch");
    assert_int_equal(json_object_array_length(json_object_object_get(match, "oxm_fields")), 40);
    json_object_put(j);
    /* a bad field is refused as a switch's would be */
    uint8_t bad[] = {0x80, 0x00, 0x00, 0x08, 0, 0, 0, 1}; /* in_port with 8 bytes */
    assert_int_not_equal(ken_match_from_oxm(&m, KEN_OFP13, bad, sizeof bad), 0);
    ken_buf_free(&oxm);
    ken_buf_free(&msg);
}

/* A reset arena hands out its first chunk again and frees the rest. */
static void test_arena_reset(void **state)
{
    (void)state;
    struct ken_arena a = KEN_ARENA_INIT;
    void *first = ken_arena_alloc(&a, 64);
    assert_non_null(ken_arena_alloc(&a, 100000)); /* a big one-off, behind the first chunk */
    assert_true(a.total >= 100064);
    ken_arena_reset(&a);
    assert_int_equal(a.total, 0);
    assert_ptr_equal(ken_arena_alloc(&a, 64), first);
    ken_arena_free(&a);
    ken_arena_reset(&a); /* an empty arena: nothing to do */
    assert_null(a.head);
}

int main(void)
{
    for (size_t i = 0; i < sizeof frame; i++)
        frame[i] = (uint8_t)(i * 5 + 3);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_flow_mod_100_actions_40_instructions),
        cmocka_unit_test(test_flow_mod_10_300_actions),
        cmocka_unit_test(test_flow_mod_64k_of_actions),
        cmocka_unit_test(test_list_codecs),
        cmocka_unit_test(test_apply_actions_once),
        cmocka_unit_test(test_packet_in_big_match),
        cmocka_unit_test(test_packet_in_most_fields),
        cmocka_unit_test(test_match_building_limit),
        cmocka_unit_test(test_match_built_beyond_inline),
        cmocka_unit_test(test_arena_reset),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
