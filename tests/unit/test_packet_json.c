/* The packet library encoder of packet-out "data": {"Packet": {"protocols":
 * [...]}} builds the frame OS-Ken's Packet.serialize() builds. Each case's
 * JSON is what OS-Ken's Packet.to_jsondict() gives for the packet before
 * serializing (checksums and lengths 0, so the encoder computes them), and
 * its bytes are what serialize() then produced (python3-os-ken 2.5, computed
 * once for this test). */
#include <ctype.h>
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

#include "ken/ofp.h"

struct packet_case {
    const char *name;
    const char *packet; /* JSON with ' for " */
    const char *frame;  /* hex */
};

static const struct packet_case cases[] = {
    {"ethernet, vlan, ipv4, tcp with an option, payload",
     "{'Packet': {'protocols': ["
     "{'ethernet': {'dst': '00:11:22:33:44:55', 'ethertype': 33024, 'src': '66:77:88:99:aa:bb'}},"
     "{'vlan': {'cfi': 0, 'ethertype': 2048, 'pcp': 3, 'vid': 100}},"
     "{'ipv4': {'csum': 0, 'dst': '192.168.1.20', 'flags': 2, 'header_length': 5, 'identification': 4660,"
     " 'offset': 0, 'option': null, 'proto': 6, 'src': '192.168.1.10', 'tos': 16, 'total_length': 0,"
     " 'ttl': 64, 'version': 4}},"
     "{'tcp': {'ack': 0, 'bits': 2, 'csum': 0, 'dst_port': 80, 'offset': 0, 'option': 'AgQFtA==',"
     " 'seq': 16909060, 'src_port': 40000, 'urgent': 0, 'window_size': 65535}},"
     "'aGVsbG8sIGtlbg==']}}",
     "00112233445566778899aabb 8100 6064 0800"
     "45100036123440004006a50fc0a8010ac0a80114"
     "9c40005001020304000000006002ffffaa3f0000020405b4"
     "68656c6c6f2c206b656e"},
    {"ethernet, ipv6, icmpv6 echo request",
     "{'Packet': {'protocols': ["
     "{'ethernet': {'dst': '33:33:00:00:00:01', 'ethertype': 34525, 'src': '66:77:88:99:aa:bb'}},"
     "{'ipv6': {'dst': 'ff02::1', 'ext_hdrs': [], 'flow_label': 74565, 'hop_limit': 64, 'nxt': 58,"
     " 'payload_length': 0, 'src': 'fe80::1', 'traffic_class': 0, 'version': 6}},"
     "{'icmpv6': {'code': 0, 'csum': 0, 'data': {'echo': {'data': 'cGluZw==', 'id': 16962, 'seq': 7}},"
     " 'type': 128}}]}}",
     "33330000000166778899aabb86dd"
     "60012345000c3a40fe800000000000000000000000000001ff020000000000000000000000000001"
     "800061194242000770696e67"},
    {"ethernet, arp request (padded to 60 bytes)",
     "{'Packet': {'protocols': ["
     "{'ethernet': {'dst': 'ff:ff:ff:ff:ff:ff', 'ethertype': 2054, 'src': '66:77:88:99:aa:bb'}},"
     "{'arp': {'dst_ip': '10.0.0.2', 'dst_mac': '00:00:00:00:00:00', 'hlen': 6, 'hwtype': 1, 'opcode': 1,"
     " 'plen': 4, 'proto': 2048, 'src_ip': '10.0.0.1', 'src_mac': '66:77:88:99:aa:bb'}}]}}",
     "ffffffffffff66778899aabb0806"
     "000108000604000166778899aabb0a0000010000000000000a000002"
     "000000000000000000000000000000000000"},
    {"ethernet, ipv4, udp, payload",
     "{'Packet': {'protocols': ["
     "{'ethernet': {'dst': '00:11:22:33:44:55', 'ethertype': 2048, 'src': '66:77:88:99:aa:bb'}},"
     "{'ipv4': {'csum': 0, 'dst': '10.4.5.6', 'flags': 0, 'header_length': 5, 'identification': 0,"
     " 'offset': 0, 'option': null, 'proto': 17, 'src': '10.1.2.3', 'tos': 0, 'total_length': 0, 'ttl': 32,"
     " 'version': 4}},"
     "{'udp': {'csum': 0, 'dst_port': 53, 'src_port': 5353, 'total_length': 0}},"
     "'EjQBAAABAAAAAAAA']}}",
     "00112233445566778899aabb0800"
     "450000280000000020117fb80a0102030a040506"
     "14e900350014bc65"
     "123401000001000000000000000000000000"},
    {"OS-Ken's defaults: ethernet(), ipv4(proto=17), udp()",
     "{'Packet': {'protocols': [{'ethernet': {}}, {'ipv4': {'proto': 17}}, {'udp': {}}]}}",
     "ffffffffffff0000000000000800"
     "4500001c00000000ff11a7ce0a0000010a000002"
     "000100010008ebd9"
     "000000000000000000000000000000000000"},
};

static json_object *json_quoted(const char *text)
{
    char *s = strdup(text);
    for (char *c = s; *c; c++)
        if (*c == '\'')
            *c = '"';
    json_object *o = json_tokener_parse(s);
    free(s);
    assert_non_null(o);
    return o;
}

static void hex_bytes(const char *hex, struct ken_buf *out)
{
    int hi = -1;
    for (const char *c = hex; *c; c++) {
        if (!isxdigit((unsigned char)*c))
            continue;
        int v = isdigit((unsigned char)*c) ? *c - '0' : tolower((unsigned char)*c) - 'a' + 10;
        if (hi < 0) {
            hi = v;
        } else {
            ken_buf_put8(out, (uint8_t)(hi << 4 | v));
            hi = -1;
        }
    }
    assert_int_equal(hi, -1);
}

/* A packet-out of the version with no actions and data, and where in it the data starts. */
static json_object *packet_out(uint8_t version, const char *packet, size_t *data_at)
{
    char text[128];
    snprintf(text, sizeof text, "{'OFPPacketOut': {'buffer_id': 4294967295, 'in_port': %s, 'actions': []}}",
             version == KEN_OFP10 ? "65533" : "4294967293");
    json_object *msg = json_quoted(text);
    json_object_object_add(json_object_object_get(msg, "OFPPacketOut"), "data", json_quoted(packet));
    *data_at = version == KEN_OFP10 ? 16 : 24;
    return msg;
}

static void check_version(uint8_t version)
{
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        struct ken_buf out = KEN_BUF_INIT, want = KEN_BUF_INIT;
        char why[KEN_WHY_LEN] = "";
        size_t at;
        json_object *msg = packet_out(version, cases[i].packet, &at);
        int err = ken_ofp_from_json(msg, version, &out, why);
        if (err)
            fail_msg("%s: %s: %s", cases[i].name, ken_err_name(err), why);
        hex_bytes(cases[i].frame, &want);
        if (out.len != at + want.len || memcmp(out.data + at, want.data, want.len))
            fail_msg("%s: the frame differs from OS-Ken's (%zu bytes, expected %zu)", cases[i].name, out.len - at,
                     want.len);
        json_object_put(msg);
        ken_buf_free(&out);
        ken_buf_free(&want);
    }
}

static void test_packet_out_13(void **state)
{
    (void)state;
    check_version(KEN_OFP13);
}

/* 1.0's packet-out takes the same packet JSON. */
static void test_packet_out_10(void **state)
{
    (void)state;
    check_version(KEN_OFP10);
}

/* A checksum needs the IP layer before it and an unknown protocol is
 * refused (BAD_LEN: what the packet would be cannot be built); JSON of the
 * wrong shape is a type error (EINVAL) that names the key. */
static void test_packet_refused(void **state)
{
    (void)state;
    static const struct {
        const char *json;
        int err;
        const char *why;
    } bad[] = {
        {"{'Packet': {'protocols': [{'ethernet': {}}, {'udp': {}}]}}", KEN_OFPBRC_BAD_LEN, "packet"},
        {"{'Packet': {'protocols': [{'ethernet': {}}, {'igmp': {}}]}}", KEN_OFPBRC_BAD_LEN, "packet"},
        {"{'Packet': {'protocols': {}}}", EINVAL, "type error: packet: \"protocols\""},
        {"{'Packet': {'protocols': [{'ethernet': {}}, {'ipv4': {'src': 'ten'}}]}}", EINVAL, "type error: packet: \"src\""},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        struct ken_buf out = KEN_BUF_INIT;
        char why[KEN_WHY_LEN] = "";
        size_t at;
        json_object *msg = packet_out(KEN_OFP13, bad[i].json, &at);
        assert_int_equal(ken_ofp_from_json(msg, KEN_OFP13, &out, why), bad[i].err);
        assert_true(strncmp(why, bad[i].why, strlen(bad[i].why)) == 0);
        json_object_put(msg);
        ken_buf_free(&out);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_packet_out_13),
        cmocka_unit_test(test_packet_out_10),
        cmocka_unit_test(test_packet_refused),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
