/* The learning switches' shared pieces (apps/l2.h): the Ethernet header
 * parser, the per-datapath MAC tables (growth, bound, dropping a datapath)
 * and the switches' answers to a packet-in too big to send back. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "../../apps/l2.h"
#include "ken/arena.h"
#include "ken/ofp.h"
#include "ken/ofp_consts.h"

static void mac_of(uint32_t i, uint8_t mac[6])
{
    const uint8_t m[6] = {0x02, 0, (uint8_t)(i >> 24), (uint8_t)(i >> 16), (uint8_t)(i >> 8), (uint8_t)i};
    memcpy(mac, m, 6);
}

static void test_eth_parse(void **state)
{
    (void)state;
    uint8_t frame[14] = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 0x88, 0xcc};
    struct l2_eth eth;
    assert_true(l2_eth_parse(frame, sizeof frame, &eth));
    assert_memory_equal(eth.dst, frame, 6);
    assert_memory_equal(eth.src, frame + 6, 6);
    assert_int_equal(eth.ethertype, KEN_ETH_TYPE_LLDP);
    assert_false(l2_eth_parse(frame, 13, &eth));
    assert_false(l2_eth_parse(NULL, 0, &eth));
    char buf[18];
    assert_string_equal(l2_mac_str(frame, buf), "01:02:03:04:05:06");
}

/* Many addresses on several datapaths: every one is found after the
 * table grew many times; the same address on two datapaths is two
 * entries; relearning moves an address. */
static void test_table(void **state)
{
    (void)state;
    struct l2_table *t = l2_table_new();
    assert_non_null(t);
    uint8_t mac[6];
    for (uint32_t i = 0; i < 20000; i++) {
        mac_of(i, mac);
        for (uint64_t dpid = 1; dpid <= 3; dpid++)
            assert_true(l2_table_learn(t, dpid, mac, i % 7 + (uint32_t)dpid));
    }
    for (uint32_t i = 0; i < 20000; i++) {
        mac_of(i, mac);
        for (uint64_t dpid = 1; dpid <= 3; dpid++)
            assert_int_equal(l2_table_port(t, dpid, mac), i % 7 + dpid);
    }
    mac_of(5, mac);
    assert_true(l2_table_learn(t, 2, mac, 99));
    assert_int_equal(l2_table_port(t, 2, mac), 99);
    assert_int_equal(l2_table_port(t, 1, mac), 5 % 7 + 1);
    assert_int_equal(l2_table_port(t, 4, mac), KEN_OFPP_FLOOD);
    mac_of(20000, mac);
    assert_int_equal(l2_table_port(t, 1, mac), KEN_OFPP_FLOOD);
    l2_table_free(t);
}

/* l2_learn (one table lookup for learning the source and finding the
 * destination) against a plain list of (datapath, address, port): random
 * addresses that differ anywhere (the hash must spread every byte), some
 * repeated, the source sometimes the destination, several datapaths. */
static void test_learn_model(void **state)
{
    (void)state;
    enum { KEYS = 600, STEPS = 20000 };
    static struct { uint64_t dpid; uint8_t mac[6]; uint32_t port; } model[4 * KEYS];
    size_t n_model = 0;
    uint8_t macs[KEYS][6];
    uint32_t r = 7;
    for (int i = 0; i < KEYS; i++)
        for (int k = 0; k < 6; k++) {
            r = r * 1103515245u + 12345u;
            /* half of them differ only in their first or last bytes */
            macs[i][k] = i % 2 && k > 0 && k < 5 ? 0x42 : (uint8_t)(r >> 16);
        }
    struct l2_table *t = l2_table_new();
    assert_non_null(t);
    for (int step = 0; step < STEPS; step++) {
        r = r * 1103515245u + 12345u;
        /* dpid 0 too (a slot the map empties holds dpid 0), and now and
         * then a datapath leaves: the look-up that remembers the last
         * datapath must not find one that moved or went. */
        uint64_t dpid = (r >> 8) % 4;
        if (step % 97 == 0) {
            uint64_t gone = (r >> 24) % 4;
            l2_table_forget(t, gone);
            size_t kept = 0;
            for (size_t i = 0; i < n_model; i++)
                if (model[i].dpid != gone)
                    model[kept++] = model[i];
            n_model = kept;
        }
        int src = (int)((r >> 12) % KEYS), dst = step % 5 == 0 ? src : (int)((r >> 20) % KEYS);
        uint32_t in_port = 1 + (r >> 4) % 9;
        uint8_t frame[64] = {0};
        memcpy(frame, macs[dst], 6);
        memcpy(frame + 6, macs[src], 6);
        frame[12] = 0x08;
        struct ken_packet_in pi;
        memset(&pi, 0, sizeof pi);
        pi.in_port = in_port;
        pi.data = frame;
        pi.data_len = sizeof frame;
        struct l2_eth eth;
        uint32_t out_port = 0;
        assert_true(l2_learn(t, "test", dpid, &pi, &eth, &out_port));
        size_t i;
        for (i = 0; i < n_model; i++)
            if (model[i].dpid == dpid && !memcmp(model[i].mac, macs[src], 6))
                break;
        if (i == n_model) {
            model[n_model].dpid = dpid;
            memcpy(model[n_model].mac, macs[src], 6);
            n_model++;
        }
        model[i].port = in_port;
        uint32_t want = KEN_OFPP_FLOOD;
        for (i = 0; i < n_model; i++)
            if (model[i].dpid == dpid && !memcmp(model[i].mac, macs[dst], 6))
                want = model[i].port;
        assert_int_equal(out_port, want);
    }
    for (uint64_t dpid = 0; dpid < 4; dpid++) {
        size_t count = 0;
        for (size_t i = 0; i < n_model; i++)
            if (model[i].dpid == dpid) {
                count++;
                assert_int_equal(l2_table_port(t, dpid, model[i].mac), model[i].port);
            }
        assert_int_equal(l2_table_count(t, dpid), count);
    }
    l2_table_free(t);
}

/* One datapath at its bound (L2_DP_MAX addresses) stops learning new
 * addresses (they are flooded) while known ones can still move, and
 * another datapath still learns: the bound is per datapath. */
static void test_bound_per_datapath(void **state)
{
    (void)state;
    struct l2_table *t = l2_table_new();
    assert_non_null(t);
    uint8_t mac[6];
    for (uint32_t i = 0; i < L2_DP_MAX; i++) {
        mac_of(i, mac);
        assert_true(l2_table_learn(t, 1, mac, 1));
    }
    assert_int_equal(l2_table_count(t, 1), L2_DP_MAX);
    for (uint32_t i = L2_DP_MAX; i < L2_DP_MAX + 1000; i++) { /* past the bound */
        mac_of(i, mac);
        assert_false(l2_table_learn(t, 1, mac, 1));
        assert_int_equal(l2_table_port(t, 1, mac), KEN_OFPP_FLOOD);
    }
    assert_int_equal(l2_table_count(t, 1), L2_DP_MAX);
    mac_of(0, mac);
    assert_true(l2_table_learn(t, 1, mac, 2));
    assert_int_equal(l2_table_port(t, 1, mac), 2);
    /* Switch B learns, the same addresses and new ones. */
    for (uint32_t i = 0; i < 1000; i++) {
        mac_of(L2_DP_MAX + i, mac);
        assert_true(l2_table_learn(t, 2, mac, 7));
        assert_int_equal(l2_table_port(t, 2, mac), 7);
    }
    assert_int_equal(l2_table_count(t, 2), 1000);
    l2_table_free(t);
}

/* A datapath that goes DEAD has its addresses dropped, through the apps'
 * EventOFPStateChange path; the others keep theirs. Many datapaths come
 * and go (5,000 connections) and nothing is left behind. */
static void test_forget(void **state)
{
    (void)state;
    struct l2_table *t = l2_table_new();
    assert_non_null(t);
    uint8_t mac[6];
    const uint64_t n_dp = 5000;
    for (uint64_t dpid = 1; dpid <= n_dp; dpid++)
        for (uint32_t i = 0; i < 3; i++) {
            mac_of(i + (uint32_t)dpid, mac);
            assert_true(l2_table_learn(t, dpid * 0x10001, mac, i));
        }
    assert_int_equal(l2_table_datapaths(t), n_dp);
    /* Every other one leaves (in an order unlike insertion): the rest are
     * all still found (the map's deletion keeps its probe chains whole). */
    for (uint64_t k = 0; k < n_dp; k++) {
        uint64_t dpid = (k * 7919) % n_dp + 1;
        if (dpid % 2)
            l2_table_forget(t, dpid * 0x10001);
    }
    assert_int_equal(l2_table_datapaths(t), n_dp / 2);
    for (uint64_t dpid = 1; dpid <= n_dp; dpid++) {
        mac_of(1 + (uint32_t)dpid, mac);
        assert_int_equal(l2_table_count(t, dpid * 0x10001), dpid % 2 ? 0 : 3);
        assert_int_equal(l2_table_port(t, dpid * 0x10001, mac), dpid % 2 ? KEN_OFPP_FLOOD : 1);
    }
    for (uint64_t dpid = 2; dpid <= n_dp; dpid += 2)
        l2_table_forget(t, dpid * 0x10001);
    l2_table_forget(t, 12345); /* unknown: nothing happens */
    assert_int_equal(l2_table_datapaths(t), 0);
    /* A datapath that comes back starts empty and learns again. */
    mac_of(1, mac);
    assert_int_equal(l2_table_port(t, 2 * 0x10001, mac), KEN_OFPP_FLOOD);
    assert_true(l2_table_learn(t, 2 * 0x10001, mac, 9));
    assert_int_equal(l2_table_port(t, 2 * 0x10001, mac), 9);
    l2_table_free(t);
}

/* Each message in b is well framed: a header length of at least 8 that
 * ends inside b, the messages end exactly at b's end, and the JSON codec
 * accepts each. Returns how many there are. */
static size_t check_framed(const struct ken_buf *b)
{
    size_t n = 0;
    for (size_t at = 0; at < b->len; n++) {
        assert_true(b->len - at >= 8);
        size_t len = (size_t)(b->data[at + 2] << 8 | b->data[at + 3]);
        assert_true(len >= 8 && len <= b->len - at);
        char why[KEN_WHY_LEN];
        if (ken_ofp_validate(b->data + at, len, why))
            fail_msg("message %zu: %s", n, why);
        at += len;
    }
    return n;
}

typedef l2_packet_in_fn *packet_in_fn;

/* A packet-in of a frame of len bytes from src to dst on port 1. */
static void big_packet_in(struct ken_packet_in *pi, uint8_t *frame, size_t len, uint32_t dst, uint32_t src,
                          uint32_t buffer_id)
{
    memset(frame, 0xab, len);
    mac_of(dst, frame);
    mac_of(src, frame + 6);
    frame[12] = 0x08;
    frame[13] = 0x00;
    memset(pi, 0, sizeof *pi);
    pi->buffer_id = buffer_id;
    pi->total_len = (uint16_t)len;
    pi->in_port = 1;
    ken_match_init(&pi->match);
    ken_match_add_u32(&pi->match, KEN_OXM_IN_PORT, 1);
    pi->data = frame;
    pi->data_len = (uint16_t)len;
}

/* A packet-in of a frame too big for a packet-out (as a switch sends with
 * OFPCML_NO_BUFFER): every message the learning switch answers with is
 * well framed. Unbuffered, the packet cannot go back in a packet-out and
 * is dropped; buffered, it goes out by its buffer id. */
static void check_big_packet(packet_in_fn fn, uint8_t version, size_t size)
{
    static uint8_t frame[65535];
    assert_true(size <= sizeof frame);
    struct l2_table *t = l2_table_new();
    assert_non_null(t);
    struct ken_buf b = KEN_BUF_INIT;
    struct l2_out out = {.buf = &b, .version = version};
    struct ken_packet_in pi;

    /* Unknown destination, unbuffered: the flood is dropped. */
    big_packet_in(&pi, frame, size, 2, 1, KEN_OFP_NO_BUFFER);
    fn(t, &out, 1, &pi);
    assert_int_equal(check_framed(&b), 0);
    /* Unknown destination, buffered: a packet-out by buffer id. */
    big_packet_in(&pi, frame, size, 3, 1, 77);
    fn(t, &out, 1, &pi);
    assert_int_equal(check_framed(&b), 1);
    assert_int_equal(b.data[1], 13); /* OFPT_PACKET_OUT, in 1.0 and 1.3 */
    assert_int_equal(b.data[8] << 24 | b.data[9] << 16 | b.data[10] << 8 | b.data[11], 77); /* its buffer_id */
    assert_true(b.len < 64);
    ken_buf_clear(&b);
    /* Known destination (1, learnt above), unbuffered: the flow-mod goes,
     * the packet-out cannot; a smaller packet still goes out whole. */
    big_packet_in(&pi, frame, size, 1, 2, KEN_OFP_NO_BUFFER);
    fn(t, &out, 1, &pi);
    assert_int_equal(check_framed(&b), 1);
    assert_int_equal(b.data[1], 14); /* OFPT_FLOW_MOD */
    ken_buf_clear(&b);
    big_packet_in(&pi, frame, 1500, 1, 2, KEN_OFP_NO_BUFFER);
    fn(t, &out, 1, &pi);
    assert_int_equal(check_framed(&b), 2);
    ken_buf_free(&b);
    l2_table_free(t);
}

static void test_big_packet_13(void **state)
{
    (void)state;
    check_big_packet(simple_switch_13_packet_in, KEN_OFP13, 65500);
}

static void test_big_packet_10(void **state)
{
    (void)state;
    /* 1.0's packet-out is smaller: 65,515 bytes, which a 1.0 packet-in
     * can carry (18 + 65,515 bytes), does not fit in one (24 + 65,515). */
    check_big_packet(simple_switch_packet_in, KEN_OFP10, 65515);
}

/* A small packet-in: from address src to address dst on in_port. */
static void small_packet_in(struct ken_packet_in *pi, uint8_t frame[64], uint32_t dst, uint32_t src, uint32_t in_port,
                            uint32_t buffer_id)
{
    big_packet_in(pi, frame, 64, dst, src, buffer_id);
    pi->in_port = in_port;
    ken_match_init(&pi->match);
    ken_match_add_u32(&pi->match, KEN_OXM_IN_PORT, in_port);
}

/* The n-th message of b (framed), its type and where it starts. */
static const uint8_t *nth_msg(const struct ken_buf *b, size_t n, size_t *len)
{
    size_t at = 0;
    for (;; n--) {
        *len = (size_t)(b->data[at + 2] << 8 | b->data[at + 3]);
        if (!n)
            return b->data + at;
        at += *len;
    }
}

/* What each OpenFlow 1.2+ learning switch sends, as Ryu's and OS-Ken's
 * simple_switch_1x.py: a flood for an unknown address; for a known one a
 * flow (priority; in_port, eth_dst and, with_src, eth_src) and the packet
 * out, or (buffer_in_flow, OS-Ken's simple_switch_13) a flow-mod that takes
 * the switch's buffered packet along and no packet-out. */
static void check_learning(packet_in_fn fn, uint8_t version, uint16_t priority, bool with_src, bool buffer_in_flow)
{
    struct l2_table *t = l2_table_new();
    assert_non_null(t);
    struct ken_buf b = KEN_BUF_INIT;
    struct l2_out out = {.buf = &b, .version = version};
    struct ken_packet_in pi;
    uint8_t frame[64];
    size_t len;

    small_packet_in(&pi, frame, 2, 1, 1, KEN_OFP_NO_BUFFER); /* 1 -> 2, unknown: flooded */
    fn(t, &out, 7, &pi);
    assert_int_equal(check_framed(&b), 1);
    assert_int_equal(b.data[0], version);
    assert_int_equal(b.data[1], 13); /* OFPT_PACKET_OUT */
    ken_buf_clear(&b);

    for (int buffered = 0; buffered < 2; buffered++) {
        uint32_t buffer_id = buffered ? 77 : KEN_OFP_NO_BUFFER;
        small_packet_in(&pi, frame, 1, 2, 2, buffer_id); /* 2 -> 1, known on port 1 */
        fn(t, &out, 7, &pi);
        bool packet_out = !(buffered && buffer_in_flow);
        assert_int_equal(check_framed(&b), packet_out ? 2 : 1);
        const uint8_t *m = nth_msg(&b, 0, &len);
        assert_int_equal(m[1], 14); /* OFPT_FLOW_MOD */
        struct ken_flow_mod fm;
        struct ken_arena a = KEN_ARENA_INIT;
        assert_int_equal(ken_flow_mod_decode(m, len, &fm, &a), 0);
        assert_int_equal(fm.priority, priority);
        assert_int_equal(fm.buffer_id, buffer_in_flow ? buffer_id : KEN_OFP_NO_BUFFER);
        assert_int_equal(fm.match.n, with_src ? 3 : 2);
        uint64_t v;
        assert_true(ken_match_get_uint(&fm.match, KEN_OXM_IN_PORT, &v));
        assert_int_equal(v, 2);
        uint8_t mac[6];
        mac_of(1, mac);
        const struct ken_match_field *f = ken_match_find(&fm.match, KEN_OXM_ETH_DST);
        assert_non_null(f);
        assert_memory_equal(ken_match_value(&fm.match, f), mac, 6);
        f = ken_match_find(&fm.match, KEN_OXM_ETH_SRC);
        if (with_src) {
            assert_non_null(f);
            mac_of(2, mac);
            assert_memory_equal(ken_match_value(&fm.match, f), mac, 6);
        } else {
            assert_null(f);
        }
        assert_int_equal(fm.n_instructions, 1);
        assert_int_equal(fm.inst[0].n_actions, 1);
        assert_int_equal(fm.inst[0].actions[0].u.output.port, 1);
        ken_arena_free(&a);
        if (packet_out) {
            m = nth_msg(&b, 1, &len);
            assert_int_equal(m[1], 13);
            /* the packet goes back whole only when the switch kept none */
            assert_true(buffered ? len < 64 + 8 : len >= 64 + 16);
        }
        ken_buf_clear(&b);
    }
    ken_buf_free(&b);
    l2_table_free(t);
}

static void test_learning_12(void **state)
{
    (void)state;
    check_learning(simple_switch_12_packet_in, KEN_OFP12, 0, true, false);
}

static void test_learning_13(void **state)
{
    (void)state;
    check_learning(simple_switch_13_packet_in, KEN_OFP13, 1, true, true);
}

static void test_learning_14(void **state)
{
    (void)state;
    check_learning(simple_switch_14_packet_in, KEN_OFP14, 1, true, false);
}

static void test_learning_15(void **state)
{
    (void)state;
    check_learning(simple_switch_15_packet_in, KEN_OFP15, 1, false, false);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_eth_parse),
        cmocka_unit_test(test_table),
        cmocka_unit_test(test_learn_model),
        cmocka_unit_test(test_bound_per_datapath),
        cmocka_unit_test(test_forget),
        cmocka_unit_test(test_big_packet_13),
        cmocka_unit_test(test_big_packet_10),
        cmocka_unit_test(test_learning_12),
        cmocka_unit_test(test_learning_13),
        cmocka_unit_test(test_learning_14),
        cmocka_unit_test(test_learning_15),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
