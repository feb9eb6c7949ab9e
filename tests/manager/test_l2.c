/* The learning switches' shared pieces (apps/l2.h): the Ethernet header
 * parser and the MAC table, through its growth and its bound. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "../../apps/l2.h"
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

/* At L2_TABLE_MAX entries new addresses are not learnt (flooded), while
 * known ones can still move. */
static void test_table_bound(void **state)
{
    (void)state;
    struct l2_table *t = l2_table_new();
    assert_non_null(t);
    uint8_t mac[6];
    for (uint32_t i = 0; i < L2_TABLE_MAX; i++) {
        mac_of(i, mac);
        assert_true(l2_table_learn(t, 1, mac, 1));
    }
    mac_of(L2_TABLE_MAX, mac);
    assert_false(l2_table_learn(t, 1, mac, 1));
    assert_int_equal(l2_table_port(t, 1, mac), KEN_OFPP_FLOOD);
    mac_of(0, mac);
    assert_true(l2_table_learn(t, 1, mac, 2));
    assert_int_equal(l2_table_port(t, 1, mac), 2);
    l2_table_free(t);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_eth_parse),
        cmocka_unit_test(test_table),
        cmocka_unit_test(test_table_bound),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
