/* The hot path's short cuts (issue 14) against the general paths they
 * skip: the inline builders of ken/ofp_msg.h against the exported
 * functions; the 1.0 match written straight from the field array, and the
 * empty match written whole, against fast_match10_encode's walk and the
 * JSON codec; the output actions written without action_encode, and the
 * 1.0 flow-mod, packet-out and packet-in without their generic framing,
 * against the JSON codec's bytes and values and, for 1.0, against the
 * specification's layouts written out here. Any byte that differs fails. */
#include <json-c/json.h>
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "ken/ofp.h"
#include "ken/ofp_msg.h"

/* The general 1.0 match encoder (src/ofp/fast.h): libken's, not public. */
int fast_match10_encode(uint8_t *p, const struct ken_match *m);

static uint32_t rnd_state = 12345;
static uint32_t rnd(void)
{
    rnd_state = rnd_state * 1103515245u + 12345u;
    return rnd_state >> 8;
}

/* The message re-encoded by the JSON codec (decoded to OS-Ken JSON and
 * back): the general path's bytes for the same message. */
static void json_reencode(const struct ken_buf *msg, struct ken_buf *out)
{
    char why[KEN_WHY_LEN];
    struct json_object *j = NULL;
    int err = ken_ofp_to_json(msg->data, msg->len, &j, why);
    if (err)
        fail_msg("ken_ofp_to_json: %d %s", err, why);
    /* the xid travels beside the class, as the JSON codec takes it */
    uint32_t xid = (uint32_t)msg->data[4] << 24 | (uint32_t)msg->data[5] << 16 | (uint32_t)msg->data[6] << 8 | msg->data[7];
    json_object_object_add(j, "xid", json_object_new_int64(xid));
    err = ken_ofp_from_json(j, msg->data[0], out, why);
    if (err)
        fail_msg("ken_ofp_from_json: %d %s", err, why);
    json_object_put(j);
}

static void assert_same_as_json(const struct ken_buf *msg)
{
    struct ken_buf again = KEN_BUF_INIT;
    json_reencode(msg, &again);
    assert_int_equal(again.len, msg->len);
    assert_memory_equal(again.data, msg->data, msg->len);
    ken_buf_free(&again);
}

/* Two matches hold the same fields (the bytes past used are not part of it). */
static void assert_same_match(const struct ken_match *a, const struct ken_match *b)
{
    assert_int_equal(a->n, b->n);
    assert_int_equal(a->used, b->used);
    assert_true(a->oxm == b->oxm);
    for (unsigned i = 0; i < a->n && i < KEN_MATCH_INLINE_FIELDS; i++) {
        assert_int_equal(a->f[i].id, b->f[i].id);
        assert_int_equal(a->f[i].exp, b->f[i].exp);
        assert_int_equal(a->f[i].len, b->f[i].len);
        assert_int_equal(a->f[i].masked, b->f[i].masked);
        assert_int_equal(a->f[i].off, b->f[i].off);
    }
    assert_memory_equal(a->data, b->data, a->used);
}

/* ken_match_add inline (the macro), exported (the name in parentheses) and
 * its out-of-line copy (ken_match_add_slow) give the same match, the
 * values given, and the same result, for every length (the inline
 * one copies 1, 2, 4, 6, 8 and 16 bytes itself), masks, and past the
 * inline storage. */
static void test_match_add_inline(void **state)
{
    (void)state;
    static const uint8_t lens[] = {1, 2, 3, 4, 5, 6, 7, 8, 12, 16, 20, 32, 0};
    uint8_t value[64], mask[64];
    for (size_t i = 0; i < sizeof value; i++)
        value[i] = (uint8_t)(i * 13 + 7), mask[i] = (uint8_t)~i;
    for (int round = 0; round < 200; round++) {
        struct ken_match *a = calloc(1, sizeof *a), *b = calloc(1, sizeof *b);
        ken_match_init(a);
        (ken_match_init)(b);
        for (int k = 0; k < 40; k++) {
            uint8_t len = lens[rnd() % sizeof lens];
            const uint8_t *mk = rnd() % 4 == 0 ? mask : NULL;
            uint32_t id = KEN_OXM_ID(0x8000, rnd() % 40);
            int ra = ken_match_add(a, id, value + k % 8, mk, len);
            int rb = k % 2 ? (ken_match_add)(b, id, value + k % 8, mk, len)
                           : ken_match_add_slow(b, id, value + k % 8, mk, len); /* the out-of-line copy */
            assert_int_equal(ra, rb);
            assert_true(ra == 0 || ra == ENOSPC);
            assert_same_match(a, b);
            if (ra == 0) { /* the value (and mask) as given */
                const struct ken_match_field *f = &a->f[a->n - 1];
                assert_int_equal(f->len, len);
                assert_memory_equal(ken_match_value(a, f), value + k % 8, len);
                if (mk)
                    assert_memory_equal(ken_match_value(a, f) + len, mk, len);
            }
        }
        free(a);
        free(b);
    }
    /* the typed forms */
    struct ken_match a, b;
    ken_match_init(&a);
    (ken_match_init)(&b);
    assert_int_equal(ken_match_add_u8(&a, KEN_OXM_IP_PROTO, 6), (ken_match_add_u8)(&b, KEN_OXM_IP_PROTO, 6));
    assert_int_equal(ken_match_add_u16(&a, KEN_OXM_ETH_TYPE, 0x800), (ken_match_add_u16)(&b, KEN_OXM_ETH_TYPE, 0x800));
    assert_int_equal(ken_match_add_u32(&a, KEN_OXM_IN_PORT, 0x01020304),
                     (ken_match_add_u32)(&b, KEN_OXM_IN_PORT, 0x01020304));
    assert_int_equal(ken_match_add_u64(&a, KEN_OXM_METADATA, 0x0102030405060708ull),
                     (ken_match_add_u64)(&b, KEN_OXM_METADATA, 0x0102030405060708ull));
    assert_int_equal(ken_match_add_mac(&a, KEN_OXM_ETH_DST, value, NULL), (ken_match_add_mac)(&b, KEN_OXM_ETH_DST, value, NULL));
    assert_int_equal(ken_match_add_mac(&a, KEN_OXM_ETH_SRC, value, mask), (ken_match_add_mac)(&b, KEN_OXM_ETH_SRC, value, mask));
    assert_same_match(&a, &b);
    /* a view takes no field either way */
    struct ken_buf oxm = KEN_BUF_INIT;
    for (int i = 0; i < 40; i++)
        ken_oxm_put(&oxm, KEN_OXM_REG0, value, NULL, 4);
    assert_int_equal(ken_match_from_oxm(&a, KEN_OFP13, oxm.data, oxm.len), 0);
    assert_non_null(a.oxm);
    assert_int_equal(ken_match_add_u32(&a, KEN_OXM_IN_PORT, 1), ENOSPC);
    assert_int_equal((ken_match_add_u32)(&a, KEN_OXM_IN_PORT, 1), ENOSPC);
    ken_buf_free(&oxm);
}

/* The other inline builders write what the exported ones write. */
static void test_builders_inline(void **state)
{
    (void)state;
    struct ken_flow_mod *a = malloc(sizeof *a), *b = malloc(sizeof *b);
    memset(a, 0xa5, sizeof *a);
    memset(b, 0xa5, sizeof *b);
    ken_flow_mod_init(a);
    (ken_flow_mod_init)(b);
    assert_memory_equal(a, b, offsetof(struct ken_flow_mod, match));
    assert_same_match(&a->match, &b->match);
    assert_int_equal(a->n_instructions, b->n_instructions);
    assert_true(a->inst == NULL && b->inst == NULL);
    struct ken_action acts[2];
    acts[0] = ken_action_output(3, 0xffe5);
    acts[1] = (ken_action_output)(3, 0xffe5);
    assert_memory_equal(&acts[0], &acts[1], sizeof acts[0]);
    assert_int_equal(ken_flow_mod_apply_actions(a, acts, 2), 0);
    assert_int_equal((ken_flow_mod_apply_actions)(b, acts, 2), 0);
    assert_memory_equal(&a->apply, &b->apply, sizeof a->apply);
    assert_true(a->inst == &a->apply && b->inst == &b->apply);
    assert_int_equal(ken_flow_mod_apply_actions(a, acts, 1), EBUSY);
    assert_int_equal((ken_flow_mod_apply_actions)(b, acts, 1), EBUSY);
    free(a);
    free(b);
    struct ken_packet_out pa, pb;
    memset(&pa, 0x5a, sizeof pa);
    memset(&pb, 0x5a, sizeof pb);
    ken_packet_out_init(&pa);
    (ken_packet_out_init)(&pb);
    assert_memory_equal(&pa, &pb, sizeof pa);
}

/* ---- OpenFlow 1.0 by the book ----
 * The 1.0 match, flow-mod and packet-out written from the specification's
 * layouts (openflow.h of OpenFlow 1.0.0), field by field, through the
 * public match walk: an oracle that shares no code with the encoders. */
static void put16(uint8_t *p, uint32_t v) { p[0] = (uint8_t)(v >> 8), p[1] = (uint8_t)v; }
static void put32(uint8_t *p, uint32_t v) { put16(p, v >> 16), put16(p + 2, v); }

static uint32_t port10(uint32_t port) { return port >= 0xffffff00u ? 0xff00u | (port & 0xff) : port & 0xffff; }

static unsigned prefix_wild(const struct ken_match_field *f, const uint8_t *v)
{
    if (!f->masked)
        return 0;
    uint32_t mask = (uint32_t)v[4] << 24 | (uint32_t)v[5] << 16 | (uint32_t)v[6] << 8 | v[7];
    unsigned n = 0;
    while (n < 32 && !(mask >> n & 1))
        n++;
    return n;
}

static void ref_match10(uint8_t *p, const struct ken_match *m)
{
    uint32_t w = (1u << 22) - 1; /* OFPFW_ALL */
    memset(p, 0, 40);
    size_t pos = 0;
    struct ken_match_field f;
    const uint8_t *v;
    while ((v = ken_match_next(m, &pos, &f))) {
        uint64_t u = 0;
        for (unsigned i = 0; i < f.len && i < 8; i++)
            u = u << 8 | v[i];
        if (f.id == KEN_OXM_IN_PORT) w &= ~1u, put16(p + 4, port10((uint32_t)u));
        else if (f.id == KEN_OXM_VLAN_VID) w &= ~2u, put16(p + 18, (uint32_t)u);
        else if (f.id == KEN_OXM_ETH_SRC) w &= ~4u, memcpy(p + 6, v, 6);
        else if (f.id == KEN_OXM_ETH_DST) w &= ~8u, memcpy(p + 12, v, 6);
        else if (f.id == KEN_OXM_ETH_TYPE) w &= ~16u, memcpy(p + 22, v, 2);
        else if (f.id == KEN_OXM_IP_PROTO) w &= ~32u, p[25] = v[0];
        else if (f.id == KEN_OXM_TCP_SRC) w &= ~64u, memcpy(p + 36, v, 2);
        else if (f.id == KEN_OXM_TCP_DST) w &= ~128u, memcpy(p + 38, v, 2);
        else if (f.id == KEN_OXM_IPV4_SRC) w = (w & ~(0x3fu << 8)) | prefix_wild(&f, v) << 8, memcpy(p + 28, v, 4);
        else if (f.id == KEN_OXM_IPV4_DST) w = (w & ~(0x3fu << 14)) | prefix_wild(&f, v) << 14, memcpy(p + 32, v, 4);
        else if (f.id == KEN_OXM_VLAN_PCP) w &= ~(1u << 20), p[20] = v[0];
        else if (f.id == KEN_OXM_IP_DSCP) w &= ~(1u << 21), p[24] = (uint8_t)(v[0] << 2);
        else
            fail_msg("a field 1.0 cannot hold: %x", (unsigned)f.id);
    }
    put32(p, w);
}

static void ref_output10(struct ken_buf *b, const struct ken_action *a)
{
    uint8_t *q = ken_buf_put_zeros(b, 8);
    put16(q, 0), put16(q + 2, 8), put16(q + 4, port10(a->u.output.port)), put16(q + 6, a->u.output.max_len);
}

static void ref_flow_mod10(struct ken_buf *b, uint32_t xid, const struct ken_flow_mod *fm)
{
    uint8_t *p = ken_buf_put_zeros(b, 72);
    p[0] = 1, p[1] = 14, put32(p + 4, xid);
    ref_match10(p + 8, &fm->match);
    put32(p + 48, (uint32_t)(fm->cookie >> 32)), put32(p + 52, (uint32_t)fm->cookie);
    put16(p + 56, fm->command), put16(p + 58, fm->idle_timeout), put16(p + 60, fm->hard_timeout);
    put16(p + 62, fm->priority), put32(p + 64, fm->buffer_id), put16(p + 68, port10(fm->out_port));
    put16(p + 70, fm->flags);
    for (size_t i = 0; i < fm->n_instructions; i++)
        for (size_t k = 0; k < fm->inst[i].n_actions; k++)
            ref_output10(b, &fm->inst[i].actions[k]);
    put16(b->data + 2, (uint32_t)b->len);
}

static void ref_packet_out10(struct ken_buf *b, uint32_t xid, const struct ken_packet_out *po)
{
    uint8_t *p = ken_buf_put_zeros(b, 16);
    p[0] = 1, p[1] = 13, put32(p + 4, xid);
    put32(p + 8, po->buffer_id), put16(p + 12, port10(po->in_port)), put16(p + 14, (uint32_t)(8 * po->n_actions));
    for (size_t k = 0; k < po->n_actions; k++)
        ref_output10(b, &po->actions[k]);
    if (po->buffer_id == KEN_OFP_NO_BUFFER)
        ken_buf_put(b, po->data, po->data_len);
    put16(b->data + 2, (uint32_t)b->len);
}

static void assert_same_buf(const struct ken_buf *a, const uint8_t *b, size_t n)
{
    assert_int_equal(a->len, n);
    assert_memory_equal(a->data, b, n);
}

/* A random 1.0-expressible match: some of the fields a 1.0 match holds, in
 * a random order, with values of every shape (reserved ports, prefixes). */
static void random_match10(struct ken_match *m)
{
    ken_match_init(m);
    uint8_t mac[6];
    for (int i = 0; i < 6; i++)
        mac[i] = (uint8_t)rnd();
    static const uint32_t ports[] = {1, 7, 0xfffe, KEN_OFPP_CONTROLLER, KEN_OFPP_LOCAL, KEN_OFPP_FLOOD};
    int order[12];
    for (int i = 0; i < 12; i++)
        order[i] = i;
    for (int i = 11; i > 0; i--) {
        int j = (int)(rnd() % (unsigned)(i + 1)), t = order[i];
        order[i] = order[j], order[j] = t;
    }
    for (int k = 0; k < 12; k++) {
        if (rnd() % 2)
            continue;
        uint8_t ip[4] = {10, (uint8_t)rnd(), (uint8_t)rnd(), (uint8_t)rnd()}, ipmask[4] = {0xff, 0xff, 0xff, 0};
        switch (order[k]) {
        case 0: ken_match_add_u32(m, KEN_OXM_IN_PORT, ports[rnd() % 6]); break;
        case 1: ken_match_add_mac(m, KEN_OXM_ETH_SRC, mac, NULL); break;
        case 2: ken_match_add_mac(m, KEN_OXM_ETH_DST, mac, NULL); break;
        case 3: ken_match_add_u16(m, KEN_OXM_VLAN_VID, (uint16_t)(rnd() % 4096)); break;
        case 4: ken_match_add_u8(m, KEN_OXM_VLAN_PCP, (uint8_t)(rnd() % 8)); break;
        case 5: ken_match_add_u16(m, KEN_OXM_ETH_TYPE, 0x0800); break;
        case 6: ken_match_add_u8(m, KEN_OXM_IP_DSCP, (uint8_t)(rnd() % 64)); break;
        case 7: ken_match_add_u8(m, KEN_OXM_IP_PROTO, 6); break;
        case 8: ken_match_add(m, KEN_OXM_IPV4_SRC, ip, rnd() % 2 ? ipmask : NULL, 4); break;
        case 9: ken_match_add(m, KEN_OXM_IPV4_DST, ip, rnd() % 2 ? ipmask : NULL, 4); break;
        case 10: ken_match_add_u16(m, KEN_OXM_TCP_SRC, (uint16_t)rnd()); break;
        default: ken_match_add_u16(m, KEN_OXM_TCP_DST, (uint16_t)rnd()); break;
        }
    }
}

static struct ken_action out_acts[3];

static void random_flow_mod(struct ken_flow_mod *fm, bool empty_match)
{
    ken_flow_mod_init(fm);
    fm->cookie = (uint64_t)rnd() << 32 | rnd();
    fm->command = (uint16_t)(rnd() % 5);
    fm->idle_timeout = (uint16_t)rnd();
    fm->hard_timeout = (uint16_t)rnd();
    fm->priority = (uint16_t)rnd();
    fm->buffer_id = rnd() % 2 ? KEN_OFP_NO_BUFFER : rnd();
    fm->out_port = rnd() % 2 ? KEN_OFPP_ANY : rnd() % 100;
    fm->flags = (uint16_t)(rnd() % 8);
    if (!empty_match)
        random_match10(&fm->match);
    size_t n = rnd() % 4;
    static const uint32_t ports[] = {2, KEN_OFPP_CONTROLLER, KEN_OFPP_FLOOD, KEN_OFPP_IN_PORT, 0xfeff};
    for (size_t i = 0; i < n; i++)
        out_acts[i] = ken_action_output(ports[rnd() % 5], (uint16_t)rnd());
    if (n || rnd() % 2)
        ken_flow_mod_apply_actions(fm, out_acts, n);
}

/* The 1.0 flow-mod's match, written from the field array (or whole, when
 * empty), is fast_match10_encode's walk of the same match; the whole
 * message (fixed part written without zeroing, output actions without
 * action_encode) is what the JSON codec makes of it. */
static void test_flow_mod10(void **state)
{
    (void)state;
    for (int round = 0; round < 3000; round++) {
        struct ken_flow_mod fm;
        random_flow_mod(&fm, round % 3 == 0);
        struct ken_buf b = KEN_BUF_INIT;
        if (round % 2) /* a buffer without room, and one with a message before */
            ken_buf_put_zeros(&b, 3);
        size_t start = b.len;
        assert_int_equal(ken_flow_mod_encode(&b, KEN_OFP10, (uint32_t)round, &fm), 0);
        uint8_t walked[64];
        memset(walked, 0xee, sizeof walked);
        assert_int_equal(fast_match10_encode(walked, &fm.match), 0);
        assert_memory_equal(b.data + start + 8, walked, 40);
        struct ken_buf msg = {b.data + start, b.len - start, b.len - start};
        assert_same_as_json(&msg);
        struct ken_buf ref = KEN_BUF_INIT;
        ref_flow_mod10(&ref, (uint32_t)round, &fm);
        assert_same_buf(&ref, msg.data, msg.len);
        if (round % 3 == 0) { /* matches everything: OFPFW_ALL, the rest zero */
            static const uint8_t all[40] = {0, 0x3f, 0xff, 0xff};
            assert_memory_equal(msg.data + 8, all, 40);
        }
        ken_buf_free(&ref);
        ken_buf_free(&b);
    }
    /* one field 1.0 cannot hold: refused, and the buffer as it was */
    struct ken_flow_mod fm;
    random_flow_mod(&fm, true);
    ken_match_add_u64(&fm.match, KEN_OXM_TUNNEL_ID, 1);
    struct ken_buf b = KEN_BUF_INIT;
    ken_buf_put_zeros(&b, 5);
    assert_int_equal(ken_flow_mod_encode(&b, KEN_OFP10, 1, &fm), KEN_OFPBMC_BAD_FIELD);
    assert_int_equal(b.len, 5);
    /* a masked field other than an IPv4 address: refused too */
    random_flow_mod(&fm, true);
    uint8_t mac[6] = {1, 2, 3, 4, 5, 6};
    ken_match_add_mac(&fm.match, KEN_OXM_ETH_SRC, mac, mac);
    assert_int_equal(ken_flow_mod_encode(&b, KEN_OFP10, 1, &fm), KEN_OFPBMC_BAD_FIELD);
    assert_int_equal(b.len, 5);
    ken_buf_free(&b);
}

/* The 1.2+ flow-mods with output actions (written without action_encode)
 * are the JSON codec's bytes too. */
static void test_flow_mod_outputs(void **state)
{
    (void)state;
    static const uint8_t versions[] = {KEN_OFP12, KEN_OFP13, KEN_OFP14, KEN_OFP15};
    for (int round = 0; round < 400; round++) {
        struct ken_flow_mod fm;
        random_flow_mod(&fm, false);
        fm.command = KEN_OFPFC_ADD;
        struct ken_buf b = KEN_BUF_INIT;
        assert_int_equal(ken_flow_mod_encode(&b, versions[round % 4], (uint32_t)round, &fm), 0);
        assert_same_as_json(&b);
        struct ken_flow_mod out;
        struct ken_arena a = KEN_ARENA_INIT;
        assert_int_equal(ken_flow_mod_decode(b.data, b.len, &out, &a), 0);
        assert_int_equal(out.n_instructions, fm.n_instructions);
        for (size_t i = 0; i < fm.n_instructions; i++) {
            assert_int_equal(out.inst[i].n_actions, fm.inst[i].n_actions);
            for (size_t k = 0; k < fm.inst[i].n_actions; k++) {
                assert_int_equal(out.inst[i].actions[k].type, KEN_ACT_OUTPUT);
                assert_int_equal(out.inst[i].actions[k].u.output.port, fm.inst[i].actions[k].u.output.port);
                assert_int_equal(out.inst[i].actions[k].u.output.max_len, fm.inst[i].actions[k].u.output.max_len);
            }
        }
        ken_arena_free(&a);
        ken_buf_free(&b);
    }
}

/* Packet-outs of every version, buffered or carrying the packet, with
 * output actions. */
static void test_packet_out(void **state)
{
    (void)state;
    static const uint8_t versions[] = {KEN_OFP10, KEN_OFP12, KEN_OFP13, KEN_OFP14, KEN_OFP15};
    uint8_t frame[60];
    for (size_t i = 0; i < sizeof frame; i++)
        frame[i] = (uint8_t)(i * 3);
    for (int round = 0; round < 500; round++) {
        struct ken_packet_out po;
        ken_packet_out_init(&po);
        po.buffer_id = rnd() % 2 ? KEN_OFP_NO_BUFFER : rnd() % 1000;
        po.in_port = rnd() % 2 ? KEN_OFPP_CONTROLLER : rnd() % 50;
        size_t n = rnd() % 4;
        static const uint32_t ports[] = {2, KEN_OFPP_CONTROLLER, KEN_OFPP_FLOOD, KEN_OFPP_ALL, 0xfeff};
        for (size_t i = 0; i < n; i++)
            out_acts[i] = ken_action_output(ports[rnd() % 5], (uint16_t)rnd());
        po.actions = out_acts;
        po.n_actions = n;
        po.data = frame;
        po.data_len = (uint16_t)(rnd() % sizeof frame);
        struct ken_buf b = KEN_BUF_INIT;
        if (round % 7 == 0) /* a buffer with a message before */
            ken_buf_put_zeros(&b, 5);
        size_t start = b.len;
        uint8_t v = versions[round % 5];
        assert_int_equal(ken_packet_out_encode(&b, v, (uint32_t)round, &po), 0);
        struct ken_buf msg = {b.data + start, b.len - start, b.len - start};
        assert_same_as_json(&msg);
        if (v == KEN_OFP10) {
            struct ken_buf ref = KEN_BUF_INIT;
            ref_packet_out10(&ref, (uint32_t)round, &po);
            assert_same_buf(&ref, msg.data, msg.len);
            ken_buf_free(&ref);
        }
        /* the actions as the JSON codec reads them */
        char why[KEN_WHY_LEN];
        struct json_object *j = NULL, *body, *list;
        assert_int_equal(ken_ofp_to_json(msg.data, msg.len, &j, why), 0);
        assert_true(json_object_object_get_ex(j, "OFPPacketOut", &body));
        assert_true(json_object_object_get_ex(body, "actions", &list));
        assert_int_equal(json_object_array_length(list), n);
        for (size_t i = 0; i < n; i++) {
            struct json_object *act, *x;
            assert_true(json_object_object_get_ex(json_object_array_get_idx(list, i), "OFPActionOutput", &act));
            assert_true(json_object_object_get_ex(act, "port", &x));
            uint32_t want = v == KEN_OFP10 ? port10(out_acts[i].u.output.port) : out_acts[i].u.output.port;
            assert_int_equal((uint32_t)json_object_get_int64(x), want);
            assert_true(json_object_object_get_ex(act, "max_len", &x));
            assert_int_equal(json_object_get_int(x), out_acts[i].u.output.max_len);
        }
        json_object_put(j);
        ken_buf_free(&b);
    }
}

/* The 1.0 packet-in decoder (its own checks, in check_msg's order): the
 * JSON codec's values for good messages, and the same refusals. */
static void test_packet_in10(void **state)
{
    (void)state;
    uint8_t frame[80];
    for (size_t i = 0; i < sizeof frame; i++)
        frame[i] = (uint8_t)(i + 1);
    for (int round = 0; round < 300; round++) {
        struct ken_packet_in in;
        memset(&in, 0, sizeof in);
        in.buffer_id = rnd();
        in.total_len = (uint16_t)rnd();
        static const uint32_t ports[] = {1, 0xfeff, KEN_OFPP_LOCAL, KEN_OFPP_CONTROLLER};
        in.in_port = ports[rnd() % 4];
        in.reason = (uint8_t)(rnd() % 3);
        ken_match_init(&in.match);
        in.data = frame;
        in.data_len = (uint16_t)(rnd() % sizeof frame);
        struct ken_buf b = KEN_BUF_INIT;
        assert_int_equal(ken_packet_in_encode(&b, KEN_OFP10, 9, &in), 0);
        struct ken_packet_in out;
        memset(&out, 0xcc, sizeof out);
        assert_int_equal(ken_packet_in_decode(b.data, b.len, &out), 0);
        char why[KEN_WHY_LEN];
        struct json_object *j = NULL, *body;
        assert_int_equal(ken_ofp_to_json(b.data, b.len, &j, why), 0);
        assert_true(json_object_object_get_ex(j, "OFPPacketIn", &body));
        struct json_object *v;
        assert_true(json_object_object_get_ex(body, "buffer_id", &v));
        assert_int_equal(out.buffer_id, (uint32_t)json_object_get_int64(v));
        assert_true(json_object_object_get_ex(body, "total_len", &v));
        assert_int_equal(out.total_len, json_object_get_int(v));
        assert_true(json_object_object_get_ex(body, "reason", &v));
        assert_int_equal(out.reason, json_object_get_int(v));
        assert_true(json_object_object_get_ex(body, "in_port", &v));
        assert_int_equal(ken_port_to_wire(KEN_OFP10, out.in_port), (uint32_t)json_object_get_int(v));
        assert_int_equal(out.in_port, in.in_port);
        json_object_put(j);
        assert_int_equal(out.table_id, 0);
        assert_true(out.cookie == 0);
        assert_int_equal(out.data_len, in.data_len);
        assert_memory_equal(out.data, frame, in.data_len);
        uint64_t port = 0;
        assert_int_equal(out.match.n, 1);
        assert_true(ken_match_get_uint(&out.match, KEN_OXM_IN_PORT, &port));
        assert_int_equal(port, in.in_port);
        /* every shorter cut, and a wrong type: refused as the validator refuses */
        for (size_t cut = 0; cut < b.len; cut += 1 + cut / 4) {
            int err = ken_packet_in_decode(b.data, cut, &out);
            assert_int_equal(err, KEN_OFPBRC_BAD_LEN);
        }
        b.data[1] = 11;
        assert_int_equal(ken_packet_in_decode(b.data, b.len, &out), KEN_OFPBRC_BAD_TYPE);
        b.data[1] = 10;
        b.data[3] = 17; /* under the fixed part */
        b.data[2] = 0;
        assert_int_equal(ken_packet_in_decode(b.data, b.len, &out), KEN_OFPBRC_BAD_LEN);
        assert_int_not_equal(ken_ofp_validate(b.data, 17, why), 0);
        ken_buf_free(&b);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_match_add_inline), cmocka_unit_test(test_builders_inline),
        cmocka_unit_test(test_flow_mod10),       cmocka_unit_test(test_flow_mod_outputs),
        cmocka_unit_test(test_packet_out),       cmocka_unit_test(test_packet_in10),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
