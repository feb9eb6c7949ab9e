/* Parts of messages the typed API reads as numbers and structs rather
 * than bytes, against OS-Ken (Debian python3-os-ken, the oracle; without it
 * the test fails): 1.5's OXS statistics (struct ken_ofp_stats) and 1.5's
 * meter-features entries, and a message inside another (bundle-add). A
 * message built from the struct gives the bytes
 * the JSON codec makes of OS-Ken's to_jsondict() for the same message (the
 * statistics are OS-Ken's OFPStats.serialize() bytes), and decoding them
 * gives the values back. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <json-c/json.h>

#include "ken/arena.h"
#include "ken/buf.h"
#include "ken/ofp.h"
#include "ken/ofp_typed.h"
#include "ken/wire.h"

#define V15 0x06

static char *osken_v(const char *version, const char *expr);

/* One line of OS-Ken's output for a Python expression on its 1.5 parser
 * (p) and datapath (dp). */
static char *osken(const char *expr)
{
    return osken_v("5", expr);
}

/* The same on the parser of OpenFlow 1.<version>. */
static char *osken_v(const char *version, const char *expr)
{
    char cmd[2048];
    snprintf(cmd, sizeof cmd,
             "/usr/bin/python3 -c 'import json, binascii\n"
             "from os_ken.ofproto import ofproto_v1_%s as ofp, ofproto_v1_%s_parser as p\n"
             "class DP: ofproto = ofp; ofproto_parser = p\n"
             "dp = DP()\n"
             "print(%s)' 2>&1",
             version, version, expr);
    FILE *f = popen(cmd, "r");
    assert_non_null(f);
    static char line[8192];
    size_t n = fread(line, 1, sizeof line - 1, f);
    line[n] = 0;
    int rc = pclose(f);
    if (rc != 0)
        fail_msg("OS-Ken, the oracle, failed (apt-get install python3-os-ken): %s", line);
    line[strcspn(line, "\n")] = 0;
    return line;
}

/* The JSON codec's bytes for OS-Ken's JSON of a message of wire version v. */
static void from_osken_json_v(uint8_t v, const char *expr, struct ken_buf *out)
{
    char why[KEN_WHY_LEN];
    char version[2] = {(char)('0' + v - 1), 0};
    json_object *j = json_tokener_parse(osken_v(version, expr));
    assert_non_null(j);
    if (ken_ofp_from_json(j, v, out, why))
        fail_msg("the JSON codec refused OS-Ken's JSON: %s", why);
    json_object_put(j);
}


static void hex_of(const uint8_t *p, size_t n, char *out)
{
    for (size_t i = 0; i < n; i++)
        sprintf(out + 2 * i, "%02x", p[i]);
    out[2 * n] = 0;
}

static void assert_same_bytes(const struct ken_buf *want, const struct ken_buf *got)
{
    char a[1024], b[1024];
    assert_true(want->len < 500 && got->len < 500);
    hex_of(want->data, want->len, a);
    hex_of(got->data, got->len, b);
    assert_string_equal(a, b);
}

/* The check every case makes: msg (class cls) encoded for version v with
 * xid gives the bytes the JSON codec makes of OS-Ken's JSON for expr (its
 * xids, which the JSON lacks, patched in at the offsets in xid_at, 0-ended),
 * and decodes again to a struct of its class, returned (in a, with the
 * bytes in got: free both). */
static const void *encode_as_osken(uint8_t v, uint32_t xid, const size_t *xid_at, enum ken_ofp_class cls,
                                   const void *msg, const char *expr, struct ken_buf *got, struct ken_arena *a)
{
    struct ken_buf want = KEN_BUF_INIT;
    char why[KEN_WHY_LEN];
    if (ken_ofp_encode(got, v, xid, cls, msg, why))
        fail_msg("encode: %s", why);
    from_osken_json_v(v, expr, &want);
    for (size_t i = 0; xid_at && xid_at[i]; i++) {
        assert_true(want.len >= xid_at[i] + 4);
        wire_put32(want.data + xid_at[i], xid);
    }
    assert_same_bytes(&want, got);
    ken_buf_free(&want);
    enum ken_ofp_class got_cls;
    void *out;
    if (ken_ofp_decode(got->data, got->len, a, &got_cls, &out, why))
        fail_msg("decode: %s", why);
    assert_int_equal(got_cls, cls);
    return out;
}

static const char FULL_STATS[] = "p.OFPStats(flow_count=7, packet_count=8, byte_count=9, duration=(10, 11), "
                                 "idle_time=(12, 13))";

static void test_flow_removed_stats(void **state)
{
    (void)state;
    struct ken_ofp_flow_removed fr;
    assert_int_equal(ken_ofp_flow_removed_init(&fr, V15), 0);
    fr.cookie = 1;
    fr.priority = 2;
    fr.table_id = 3;
    fr.idle_timeout = 4;
    fr.hard_timeout = 5;
    ken_match_add_u32(&fr.match, KEN_OXM_IN_PORT, 1);
    fr.stats.present = 1u << KEN_OXS_FLOW_COUNT | 1u << KEN_OXS_PACKET_COUNT | 1u << KEN_OXS_BYTE_COUNT |
                       1u << KEN_OXS_DURATION | 1u << KEN_OXS_IDLE_TIME;
    fr.stats.flow_count = 7;
    fr.stats.packet_count = 8;
    fr.stats.byte_count = 9;
    fr.stats.duration_sec = 10;
    fr.stats.duration_nsec = 11;
    fr.stats.idle_time_sec = 12;
    fr.stats.idle_time_nsec = 13;
    char expr[512];
    snprintf(expr, sizeof expr,
             "json.dumps(p.OFPFlowRemoved(dp, cookie=1, priority=2, reason=0, table_id=3, idle_timeout=4, "
             "hard_timeout=5, match=p.OFPMatch(in_port=1), stats=%s).to_jsondict())",
             FULL_STATS);
    struct ken_buf got = KEN_BUF_INIT;
    struct ken_arena a = KEN_ARENA_INIT;
    const struct ken_ofp_flow_removed *d = encode_as_osken(V15, 0, NULL, KEN_OFP_FLOW_REMOVED, &fr, expr, &got, &a);

    /* the statistics are OS-Ken's own serialisation, at the message's end */
    snprintf(expr, sizeof expr, "(lambda b: (%s.serialize(b, 0), binascii.hexlify(b).decode())[1])(bytearray())",
             FULL_STATS);
    char *stats_hex = osken(expr), tail[256];
    size_t n = strlen(stats_hex) / 2;
    assert_true(n > 0 && n <= got.len);
    hex_of(got.data + got.len - n, n, tail);
    assert_string_equal(stats_hex, tail);

    /* decoded: the numbers, the bits, and the bytes */
    assert_int_equal(d->stats.present, fr.stats.present);
    assert_int_equal(d->stats.flow_count, 7);
    assert_int_equal(d->stats.packet_count, 8);
    assert_int_equal(d->stats.byte_count, 9);
    assert_int_equal(d->stats.duration_sec, 10);
    assert_int_equal(d->stats.duration_nsec, 11);
    assert_int_equal(d->stats.idle_time_sec, 12);
    assert_int_equal(d->stats.idle_time_nsec, 13);
    assert_int_equal(d->stats.raw.len, n);
    ken_arena_free(&a);
    ken_buf_free(&got);
}

/* No statistics at all: nothing after the match, as OS-Ken's stats=None. */
static void test_flow_removed_without_stats(void **state)
{
    (void)state;
    struct ken_ofp_flow_removed fr;
    assert_int_equal(ken_ofp_flow_removed_init(&fr, V15), 0);
    fr.cookie = 1;
    fr.priority = 2;
    ken_match_add_u32(&fr.match, KEN_OXM_IN_PORT, 1);
    struct ken_buf got = KEN_BUF_INIT;
    struct ken_arena a = KEN_ARENA_INIT;
    const struct ken_ofp_flow_removed *d = encode_as_osken(
        V15, 0, NULL, KEN_OFP_FLOW_REMOVED, &fr,
        "json.dumps(p.OFPFlowRemoved(dp, cookie=1, priority=2, reason=0, table_id=0, idle_timeout=0, "
        "hard_timeout=0, match=p.OFPMatch(in_port=1), stats=None).to_jsondict())",
        &got, &a);
    assert_int_equal(d->stats.present, 0);
    assert_int_equal(d->stats.raw.len, 0);
    ken_arena_free(&a);
    ken_buf_free(&got);
}

/* Some fields: only those are written, in OS-Ken's order; decoded, the
 * others stay 0 with their bits clear. */
static void test_aggregate_reply_stats(void **state)
{
    (void)state;
    struct ken_ofp_aggregate_stats_reply r;
    assert_int_equal(ken_ofp_aggregate_stats_reply_init(&r, V15), 0);
    r.stats.present = 1u << KEN_OXS_BYTE_COUNT | 1u << KEN_OXS_FLOW_COUNT;
    r.stats.flow_count = 7;
    r.stats.byte_count = 0x1122334455667788ull;
    struct ken_buf got = KEN_BUF_INIT;
    struct ken_arena a = KEN_ARENA_INIT;
    const struct ken_ofp_aggregate_stats_reply *d = encode_as_osken(
        V15, 0, NULL, KEN_OFP_AGGREGATE_STATS_REPLY, &r,
        "json.dumps(dict((k, dict(v, type=ofp.OFPMP_AGGREGATE_STATS)) for k, v in "
        "p.OFPAggregateStatsReply(dp, body=p.OFPAggregateStats(stats=p.OFPStats("
        "flow_count=7, byte_count=0x1122334455667788))).to_jsondict().items()))",
        &got, &a);
    assert_int_equal(d->stats.present, r.stats.present);
    assert_int_equal(d->stats.flow_count, 7);
    assert_true(d->stats.byte_count == 0x1122334455667788ull);
    assert_int_equal(d->stats.packet_count, 0);
    ken_arena_free(&a);
    ken_buf_free(&got);
}

/* 1.5's meter-features reply: a list of entries, as in 1.3. */
static void test_meter_features_15(void **state)
{
    (void)state;
    struct ken_ofp_meter_features_stats entry = {.max_meter = 1, .band_types = 2, .capabilities = 3, .max_bands = 4,
                                                 .max_color = 5, .features = 6};
    struct ken_ofp_meter_features_stats_reply r;
    assert_int_equal(ken_ofp_meter_features_stats_reply_init(&r, V15), 0);
    r.body = &entry;
    r.n_body = 1;
    struct ken_buf got = KEN_BUF_INIT;
    struct ken_arena a = KEN_ARENA_INIT;
    const struct ken_ofp_meter_features_stats_reply *d = encode_as_osken(
        V15, 0, NULL, KEN_OFP_METER_FEATURES_STATS_REPLY, &r,
        "json.dumps(p.OFPMeterFeaturesStatsReply(dp, body=[p.OFPMeterFeaturesStats(max_meter=1, "
        "band_types=2, capabilities=3, max_bands=4, max_color=5, features=6)]).to_jsondict())",
        &got, &a);
    assert_int_equal(d->n_body, 1);
    assert_int_equal(d->body[0].max_meter, 1);
    assert_int_equal(d->body[0].max_color, 5);
    assert_int_equal(d->body[0].features, 6);
    ken_arena_free(&a);
    ken_buf_free(&got);
}

/* A bundle-add built around a typed flow-mod (no bytes given): the inner
 * message is encoded from its struct with the outer message's xid, and
 * padded to 8 because a property follows, as OS-Ken does. */
static void test_bundle_add_nested(void **state)
{
    (void)state;
    enum { V14 = 0x05, XID = 0x42 };
    struct ken_ofp_flow_mod fm;
    assert_int_equal(ken_ofp_flow_mod_init(&fm, V14), 0);
    fm.cookie = 5;
    fm.priority = 9;
    ken_match_add_u32(&fm.match, KEN_OXM_IN_PORT, 1);
    struct ken_ofp_bundle_prop_experimenter prop;
    assert_int_equal(ken_ofp_bundle_prop_experimenter_init(&prop, V14), 0);
    prop.experimenter = 0x1234;
    prop.exp_type = 1;
    struct ken_ofp_tlv props[] = {{.cls = KEN_OFP_BUNDLE_PROP_EXPERIMENTER, .msg = &prop}};
    struct ken_ofp_bundle_add_msg add;
    assert_int_equal(ken_ofp_bundle_add_msg_init(&add, V14), 0);
    add.bundle_id = 7;
    add.flags = 1;
    add.message = (struct ken_ofp_tlv){.cls = KEN_OFP_FLOW_MOD, .msg = &fm};
    add.properties = props;
    add.n_properties = 1;
    /* the JSON carries no xids: the outer one as given, the inner one its copy */
    static const size_t xids[] = {4, 16 + 4, 0};
    struct ken_buf got = KEN_BUF_INIT;
    struct ken_arena a = KEN_ARENA_INIT;
    const struct ken_ofp_bundle_add_msg *d = encode_as_osken(
        V14, XID, xids, KEN_OFP_BUNDLE_ADD_MSG, &add,
        "json.dumps(p.OFPBundleAddMsg(dp, 7, 1, p.OFPFlowMod(dp, cookie=5, priority=9, "
        "match=p.OFPMatch(in_port=1), instructions=[]), [p.OFPBundlePropExperimenter("
        "experimenter=0x1234, exp_type=1, data=[])]).to_jsondict())",
        &got, &a);
    assert_int_equal(d->message.cls, KEN_OFP_FLOW_MOD);
    const struct ken_ofp_flow_mod *inner = ken_ofp_tlv_as(&d->message, KEN_OFP_FLOW_MOD);
    assert_non_null(inner);
    assert_int_equal(inner->cookie, 5);
    assert_int_equal(inner->priority, 9);
    assert_int_equal(inner->match.n, 1);
    assert_int_equal(d->n_properties, 1);
    ken_arena_free(&a);
    ken_buf_free(&got);
}

/* An inner message whose length is not a multiple of 8 (an echo request
 * with 3 bytes of data): padded to 8 when a property follows, not when
 * none does. */
static void test_bundle_add_padding(void **state)
{
    (void)state;
    enum { V14 = 0x05 };
    struct ken_ofp_echo_request echo;
    assert_int_equal(ken_ofp_echo_request_init(&echo, V14), 0);
    echo.data = (const uint8_t *)"abc";
    echo.data_len = 3;
    struct ken_ofp_bundle_prop_experimenter prop;
    assert_int_equal(ken_ofp_bundle_prop_experimenter_init(&prop, V14), 0);
    prop.experimenter = 0x1234;
    struct ken_ofp_tlv props[] = {{.cls = KEN_OFP_BUNDLE_PROP_EXPERIMENTER, .msg = &prop}};
    for (size_t with_prop = 0; with_prop <= 1; with_prop++) {
        struct ken_ofp_bundle_add_msg add;
        assert_int_equal(ken_ofp_bundle_add_msg_init(&add, V14), 0);
        add.bundle_id = 3;
        add.message = (struct ken_ofp_tlv){.cls = KEN_OFP_ECHO_REQUEST, .msg = &echo};
        add.properties = props;
        add.n_properties = with_prop;
        struct ken_buf got = KEN_BUF_INIT;
        struct ken_arena a = KEN_ARENA_INIT;
        encode_as_osken(V14, 0, NULL, KEN_OFP_BUNDLE_ADD_MSG, &add,
                        with_prop ? "json.dumps(p.OFPBundleAddMsg(dp, 3, 0, p.OFPEchoRequest(dp, data=b\"abc\"), "
                                    "[p.OFPBundlePropExperimenter(experimenter=0x1234, exp_type=0, data=[])])"
                                    ".to_jsondict())"
                                  : "json.dumps(p.OFPBundleAddMsg(dp, 3, 0, p.OFPEchoRequest(dp, data=b\"abc\"), "
                                    "[]).to_jsondict())",
                        &got, &a);
        assert_int_equal(got.len, with_prop ? 16 + 16 + 16 : 16 + 11);
        ken_arena_free(&a);
        ken_buf_free(&got);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_flow_removed_stats),
        cmocka_unit_test(test_flow_removed_without_stats),
        cmocka_unit_test(test_aggregate_reply_stats),
        cmocka_unit_test(test_meter_features_15),
        cmocka_unit_test(test_bundle_add_nested),
        cmocka_unit_test(test_bundle_add_padding),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
