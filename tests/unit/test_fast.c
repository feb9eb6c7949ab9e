/* The hot-path codec (ken/ofp_msg.h): messages built in C survive
 * encode -> decode unchanged, agree with the JSON codec, and bad bytes
 * give an OpenFlow error instead of a crash. */
#include <json-c/json.h>
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "ken/ofp.h"
#include "ken/ofp_msg.h"

static const uint8_t mac1[6] = {0, 0, 0, 0, 0, 1}, mac2[6] = {0, 0, 0, 0, 0, 2};
static const uint8_t frame[] = "\x00\x00\x00\x00\x00\x02\x00\x00\x00\x00\x00\x01\x08\x00payload";

static void build_packet_in(struct ken_packet_in *pi, uint8_t version)
{
    memset(pi, 0, sizeof *pi);
    pi->buffer_id = 0x1234;
    pi->total_len = sizeof frame - 1;
    pi->reason = KEN_OFPR_NO_MATCH;
    pi->table_id = version == KEN_OFP10 ? 0 : 3;
    pi->cookie = version >= KEN_OFP13 ? 0xdeadbeefcafe : 0;
    pi->in_port = 7;
    ken_match_init(&pi->match);
    ken_match_add_u32(&pi->match, KEN_OXM_IN_PORT, 7);
    if (version != KEN_OFP10) {
        ken_match_add_mac(&pi->match, KEN_OXM_ETH_SRC, mac1, NULL);
        ken_match_add_u64(&pi->match, KEN_OXM_TUNNEL_ID, 99);
    }
    pi->data = frame;
    pi->data_len = sizeof frame - 1;
}

static void test_packet_in_round_trip(void **state)
{
    (void)state;
    static const uint8_t versions[] = {KEN_OFP10, KEN_OFP12, KEN_OFP13, KEN_OFP14, KEN_OFP15};
    for (size_t i = 0; i < sizeof versions; i++) {
        struct ken_packet_in in, out;
        struct ken_buf b = KEN_BUF_INIT;
        build_packet_in(&in, versions[i]);
        assert_int_equal(ken_packet_in_encode(&b, versions[i], 42, &in), 0);
        assert_int_equal(ken_packet_in_decode(b.data, b.len, &out), 0);
        assert_int_equal(out.buffer_id, in.buffer_id);
        assert_int_equal(out.total_len, in.total_len);
        assert_int_equal(out.table_id, in.table_id);
        assert_true(out.cookie == in.cookie);
        assert_int_equal(out.in_port, 7);
        assert_int_equal(out.match.n, in.match.n);
        assert_memory_equal(out.match.data, in.match.data, in.match.used);
        assert_int_equal(out.data_len, in.data_len);
        assert_memory_equal(out.data, frame, in.data_len);
        /* The JSON codec reads the same message the same way. */
        json_object *j = NULL;
        char why[KEN_WHY_LEN];
        assert_int_equal(ken_ofp_to_json(b.data, b.len, &j, why), 0);
        json_object *body, *v;
        assert_true(json_object_object_get_ex(j, "OFPPacketIn", &body));
        assert_true(json_object_object_get_ex(body, "buffer_id", &v));
        assert_int_equal(json_object_get_int64(v), 0x1234);
        json_object_put(j);
        ken_buf_free(&b);
    }
}

static void build_flow_mod(struct ken_flow_mod *fm, uint8_t version)
{
    ken_flow_mod_init(fm);
    fm->cookie = 5;
    fm->idle_timeout = 10;
    fm->priority = 1;
    fm->buffer_id = 77;
    ken_match_add_u32(&fm->match, KEN_OXM_IN_PORT, 1);
    ken_match_add_mac(&fm->match, KEN_OXM_ETH_DST, mac2, NULL);
    ken_match_add_mac(&fm->match, KEN_OXM_ETH_SRC, mac1, NULL);
    ken_match_add_u16(&fm->match, KEN_OXM_ETH_TYPE, 0x0800);
    /* Static: the flow-mod points at them until it is encoded. */
    static struct ken_action acts[2];
    static struct ken_instruction inst[2];
    acts[0] = ken_action_output(2, 0);
    acts[1] = ken_action_output(KEN_OFPP_CONTROLLER, 128);
    if (version == KEN_OFP10) {
        assert_int_equal(ken_flow_mod_apply_actions(fm, acts, 2), 0);
        assert_int_equal(ken_flow_mod_apply_actions(fm, acts, 2), EBUSY); /* one instruction only */
        assert_int_equal(fm->n_instructions, 1);
    } else {
        fm->table_id = 0;
        inst[0] = (struct ken_instruction){.type = KEN_INST_APPLY_ACTIONS, .n_actions = 2, .actions = acts};
        inst[1] = (struct ken_instruction){.type = KEN_INST_GOTO_TABLE, .table_id = 1};
        fm->inst = inst;
        fm->n_instructions = 2;
    }
}

static void test_flow_mod_round_trip(void **state)
{
    (void)state;
    static const uint8_t versions[] = {KEN_OFP10, KEN_OFP12, KEN_OFP13, KEN_OFP14, KEN_OFP15};
    for (size_t i = 0; i < sizeof versions; i++) {
        struct ken_flow_mod in, out;
        struct ken_buf b = KEN_BUF_INIT, again = KEN_BUF_INIT;
        struct ken_arena a = KEN_ARENA_INIT;
        build_flow_mod(&in, versions[i]);
        assert_int_equal(ken_flow_mod_encode(&b, versions[i], 9, &in), 0);
        assert_int_equal(ken_flow_mod_decode(b.data, b.len, &out, &a), 0);
        assert_true(out.cookie == 5);
        assert_int_equal(out.priority, 1);
        assert_int_equal(out.buffer_id, 77);
        assert_int_equal(out.out_port, KEN_OFPP_ANY);
        assert_int_equal(out.match.n, 4);
        assert_int_equal(out.n_instructions, in.n_instructions);
        assert_int_equal(out.inst[0].n_actions, 2);
        assert_int_equal(out.inst[0].actions[1].u.output.port, KEN_OFPP_CONTROLLER);
        uint64_t et = 0;
        assert_true(ken_match_get_uint(&out.match, KEN_OXM_ETH_TYPE, &et));
        assert_int_equal(et, 0x0800);
        assert_int_equal(ken_flow_mod_encode(&again, versions[i], 9, &out), 0);
        assert_int_equal(again.len, b.len);
        assert_memory_equal(again.data, b.data, b.len);
        ken_arena_free(&a);
        ken_buf_free(&b);
        ken_buf_free(&again);
    }
}

static void test_flow_mod_10_refuses_unknown_field(void **state)
{
    (void)state;
    struct ken_flow_mod fm;
    struct ken_buf b = KEN_BUF_INIT;
    ken_flow_mod_init(&fm);
    ken_match_add_u64(&fm.match, KEN_OXM_TUNNEL_ID, 1);
    assert_int_equal(ken_flow_mod_encode(&b, KEN_OFP10, 1, &fm), KEN_OFPBMC_BAD_FIELD);
    assert_int_equal(b.len, 0);
    ken_buf_free(&b);
}

static void test_packet_out(void **state)
{
    (void)state;
    struct ken_packet_out po;
    struct ken_buf b = KEN_BUF_INIT;
    ken_packet_out_init(&po);
    po.in_port = 3;
    struct ken_action flood = ken_action_output(KEN_OFPP_FLOOD, 0);
    po.actions = &flood;
    po.n_actions = 1;
    po.data = frame;
    po.data_len = sizeof frame - 1;
    assert_int_equal(ken_packet_out_encode(&b, KEN_OFP10, 1, &po), 0);
    assert_int_equal(b.len, 8 + 8 + 8 + po.data_len);
    assert_int_equal(b.data[20], 0xff); /* OFPP_FLOOD in 1.0 form: the output action port */
    assert_int_equal(b.data[21], 0xfb);
    assert_int_equal(b.data[15], 8);    /* actions_len */
    ken_buf_free(&b);
}

static void test_port_stats_48(void **state)
{
    (void)state;
    struct ken_port_stats in[48], out[48];
    for (int i = 0; i < 48; i++) {
        memset(&in[i], 0, sizeof in[i]);
        in[i].port_no = (uint32_t)i + 1;
        in[i].rx_packets = (uint64_t)i * 1000;
        in[i].collisions = 3;
        in[i].duration_sec = 60;
    }
    static const uint8_t versions[] = {KEN_OFP10, KEN_OFP12, KEN_OFP13};
    for (size_t v = 0; v < sizeof versions; v++) {
        struct ken_buf b = KEN_BUF_INIT;
        size_t n = 0;
        assert_int_equal(ken_port_stats_reply_encode(&b, versions[v], 1, in, 48), 0);
        assert_int_equal(ken_port_stats_decode(b.data, b.len, out, 48, &n), 0);
        assert_int_equal(n, 48);
        assert_int_equal(out[47].port_no, 48);
        assert_true(out[47].rx_packets == 47000);
        assert_true(out[0].collisions == 3);
        ken_buf_free(&b);
    }
}

static void test_hello_negotiation(void **state)
{
    (void)state;
    struct ken_buf b = KEN_BUF_INIT;
    const uint32_t ours = 1u << 1 | 1u << 3 | 1u << 4 | 1u << 5 | 1u << 6;
    ken_hello_encode(&b, KEN_OFP15, 1, 1u << 1 | 1u << 4); /* offers 1.0 and 1.3 */
    assert_int_equal(ken_hello_negotiate(b.data, b.len, ours), KEN_OFP13);
    ken_buf_clear(&b);
    ken_hello_encode(&b, KEN_OFP12, 1, 0); /* no bitmap: up to 1.2 */
    assert_int_equal(ken_hello_negotiate(b.data, b.len, ours), KEN_OFP12);
    ken_buf_clear(&b);
    ken_hello_encode(&b, KEN_OFP13, 1, 1u << 2); /* only 1.1 */
    assert_int_equal(ken_hello_negotiate(b.data, b.len, ours), 0);
    assert_int_equal(ken_hello_versions(b.data, b.len), 1u << 2); /* what the mismatch log shows */
    ken_buf_clear(&b);
    ken_hello_encode(&b, KEN_OFP12, 1, 0);
    assert_int_equal(ken_hello_versions(b.data, b.len), 0xfu); /* no bitmap: every version up to 1.2 */
    assert_int_equal(ken_hello_versions(b.data, 7), 0);       /* shorter than a header */
    ken_buf_free(&b);
}

static void test_ports_features_10(void **state)
{
    (void)state;
    uint8_t msg[32 + 2 * 48] = {1, 6, 0, sizeof msg};
    msg[8 + 7] = 0x2a; /* dpid 42 */
    msg[32 + 1] = 5;   /* port 5 */
    memcpy(msg + 32 + 8, "eth5", 4);
    msg[80] = 0xff;
    msg[81] = 0xfe; /* LOCAL */
    struct ken_switch_features f;
    struct ken_port ports[4];
    size_t n = 0;
    assert_int_equal(ken_switch_features_decode(msg, sizeof msg, &f), 0);
    assert_true(f.datapath_id == 42);
    assert_int_equal(f.n_ports, 2);
    assert_int_equal(ken_ports_decode(msg, sizeof msg, ports, 4, &n), 0);
    assert_int_equal(n, 2);
    assert_int_equal(ports[0].port_no, 5);
    assert_string_equal(ports[0].name, "eth5");
    assert_int_equal(ports[1].port_no, KEN_OFPP_LOCAL);
}

static void test_malformed(void **state)
{
    (void)state;
    struct ken_packet_in pi;
    struct ken_flow_mod fm;
    struct ken_port_status ps;
    /* header claims more than given */
    uint8_t short_pi[18] = {4, 10, 0, 40};
    assert_int_equal(ken_packet_in_decode(short_pi, sizeof short_pi, &pi), KEN_OFPBRC_BAD_LEN);
    /* match length runs past the message */
    uint8_t bad_match[34] = {4, 10, 0, 34};
    bad_match[24] = 0, bad_match[25] = 1, bad_match[26] = 0, bad_match[27] = 200;
    assert_int_equal(ken_packet_in_decode(bad_match, sizeof bad_match, &pi), KEN_OFPBMC_BAD_LEN);
    /* an OXM whose length overruns the match */
    uint8_t bad_oxm[40] = {4, 10, 0, 40};
    bad_oxm[25] = 1, bad_oxm[27] = 12, bad_oxm[28] = 0x80, bad_oxm[31] = 40;
    assert_int_equal(ken_packet_in_decode(bad_oxm, sizeof bad_oxm, &pi), KEN_OFPBMC_BAD_LEN);
    /* a flow-mod action of length 0 */
    struct ken_buf b = KEN_BUF_INIT;
    ken_flow_mod_init(&fm);
    assert_int_equal(ken_flow_mod_encode(&b, KEN_OFP10, 1, &fm), 0);
    uint8_t *p = ken_buf_put_zeros(&b, 8);
    (void)p;
    b.data[3] = (uint8_t)b.len;
    struct ken_arena a = KEN_ARENA_INIT;
    assert_int_equal(ken_flow_mod_decode(b.data, b.len, &fm, &a), KEN_OFPBAC_BAD_LEN);
    ken_arena_free(&a);
    ken_buf_free(&b);
    /* a port-status without its port */
    uint8_t bad_ps[16] = {4, 12, 0, 16};
    assert_int_equal(ken_port_status_decode(bad_ps, sizeof bad_ps, &ps), KEN_OFPBRC_BAD_LEN);
    /* wrong type */
    uint8_t echo[8] = {4, 2, 0, 8};
    assert_int_equal(ken_packet_in_decode(echo, sizeof echo, &pi), KEN_OFPBRC_BAD_TYPE);
}

static void test_port_mapping(void **state)
{
    (void)state;
    assert_int_equal(ken_port_to_wire(KEN_OFP10, KEN_OFPP_CONTROLLER), 0xfffd);
    assert_int_equal(ken_port_from_wire(KEN_OFP10, 0xfffd), KEN_OFPP_CONTROLLER);
    assert_int_equal(ken_port_to_wire(KEN_OFP13, 5), 5);
    assert_int_equal(ken_ofproto_get(KEN_OFP13)->OFPT_BARRIER_REQUEST, 20);
    assert_int_equal(ken_ofproto_get(KEN_OFP10)->OFPT_BARRIER_REQUEST, 18);
    assert_null(ken_ofproto_get(2));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_packet_in_round_trip), cmocka_unit_test(test_flow_mod_round_trip),
        cmocka_unit_test(test_flow_mod_10_refuses_unknown_field), cmocka_unit_test(test_packet_out),
        cmocka_unit_test(test_port_stats_48), cmocka_unit_test(test_hello_negotiation),
        cmocka_unit_test(test_ports_features_10), cmocka_unit_test(test_malformed),
        cmocka_unit_test(test_port_mapping),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
