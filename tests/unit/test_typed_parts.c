/* Parts of messages the typed API reads as numbers and structs rather
 * than bytes, against OS-Ken (Debian python3-os-ken, the oracle; without it
 * the test fails): 1.5's OXS statistics (struct ken_ofp_stats) and 1.5's
 * meter-features entries, a message inside another (bundle-add), Nicira
 * and 1.0 actions and the 1.2-1.5 actions struct ken_action has no kind
 * for (MPLS, TTL, PBB, 1.5's copy-field, meter and masked set-field) built
 * from their structs (against OS-Ken's serialize() bytes, with its
 * constructor defaults), 1.5's table-features OXM values and stat-trigger
 * instruction. A
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
#include "ofp/fast.h"

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

/* ---- Nicira and 1.0 actions built from their structs ---- */

/* OS-Ken's serialize() hex of actions asked for ahead (osken_actions_ahead):
 * one Python for many actions, each Python start costing a third of a
 * second. */
static struct {
    char version;
    char ctor[256];
    char hex[128];
} ahead[64];
static size_t n_ahead;

/* Runs OS-Ken once on the 1.<version> parser for these constructors
 * (p.<ctor> each) and keeps each one's bytes for osken_action. */
static void osken_actions_ahead(const char *version, const char *const *ctors, size_t n)
{
    char expr[1800];
    int k = snprintf(expr, sizeof expr,
                     "\" \".join((lambda a, b: (a.serialize(b, 0), binascii.hexlify(bytes(b)).decode())[1])"
                     "(a, bytearray()) for a in [");
    for (size_t i = 0; i < n; i++)
        k += snprintf(expr + k, sizeof expr - (size_t)k, "%sp.%s", i ? ", " : "", ctors[i]);
    k += snprintf(expr + k, sizeof expr - (size_t)k, "])");
    assert_true((size_t)k < sizeof expr);
    char *hex = osken_v(version, expr), *save = NULL;
    for (size_t i = 0; i < n; i++) {
        char *one = strtok_r(i ? NULL : hex, " ", &save);
        assert_non_null(one);
        assert_true(n_ahead < sizeof ahead / sizeof ahead[0]);
        assert_true(strlen(ctors[i]) < sizeof ahead[0].ctor && strlen(one) < sizeof ahead[0].hex);
        ahead[n_ahead].version = version[0];
        strcpy(ahead[n_ahead].ctor, ctors[i]);
        strcpy(ahead[n_ahead].hex, one);
        n_ahead++;
    }
}

/* OS-Ken's bytes for one action (its serialize()) on the 1.<version> parser. */
static void osken_action(const char *version, const char *ctor, struct ken_buf *out)
{
    char expr[1024];
    const char *hex = NULL;
    for (size_t i = 0; i < n_ahead && !hex; i++)
        if (ahead[i].version == version[0] && !strcmp(ahead[i].ctor, ctor))
            hex = ahead[i].hex;
    if (!hex) {
        snprintf(expr, sizeof expr,
                 "(lambda a, b: (a.serialize(b, 0), binascii.hexlify(bytes(b)).decode())[1])(p.%s, bytearray())", ctor);
        hex = osken_v(version, expr);
    }
    size_t n = strlen(hex);
    assert_true(n % 2 == 0 && n > 0);
    for (size_t i = 0; i < n; i += 2) {
        unsigned byte;
        assert_int_equal(sscanf(hex + i, "%2x", &byte), 1);
        ken_buf_put8(out, (uint8_t)byte);
    }
    /* serialize() of a lone action leaves the padding at its end unwritten
     * (in a message the bytes after it are zero): up to its length field */
    assert_true(out->len >= 4);
    size_t len = wire_get16(out->data + 2);
    assert_true(len >= out->len && len - out->len < 8);
    ken_buf_put_zeros(out, len - out->len);
}

/* The action of class cls built from msg for version v gives OS-Ken's
 * bytes for ctor, and those bytes decode to a struct of that class which
 * encodes to them again; the decoded struct is returned (in a). */
static const void *action_as_osken(uint8_t v, enum ken_ofp_class cls, const void *msg, const char *ctor,
                                   struct ken_arena *a)
{
    struct ken_buf want = KEN_BUF_INIT, got = KEN_BUF_INIT, again = KEN_BUF_INIT;
    char version[2] = {(char)('0' + v - 1), 0};
    osken_action(version, ctor, &want);
    struct ken_action act = ken_action_typed(cls, msg);
    int err = ken_actions_encode(&got, v, &act, 1);
    if (err)
        fail_msg("encode %s: %s", ctor, ken_err_name(err));
    assert_same_bytes(&want, &got);
    const struct ken_action *dec;
    size_t n;
    /* decoded from a copy in the arena: the struct's parts point into it */
    uint8_t *bytes = ken_arena_alloc(a, want.len);
    assert_non_null(bytes);
    memcpy(bytes, want.data, want.len);
    assert_int_equal(ken_actions_decode(bytes, want.len, v, a, &dec, &n), 0);
    assert_int_equal(n, 1);
    assert_int_equal(dec->type, KEN_ACT_TYPED);
    assert_int_equal(dec->u.typed.cls, cls);
    assert_int_equal(dec->u.typed.len, want.len);
    assert_int_equal(ken_actions_encode(&again, v, dec, 1), 0);
    assert_same_bytes(&want, &again);
    ken_buf_free(&want);
    ken_buf_free(&got);
    ken_buf_free(&again);
    return dec->u.typed.msg;
}

#define V13 0x04
#define V10 0x01

static void test_nx_actions(void **state)
{
    (void)state;
    struct ken_arena a = KEN_ARENA_INIT;
    uint8_t versions[] = {V13, V10};
    for (size_t i = 0; i < sizeof versions; i++) {
        uint8_t v = versions[i];
        struct ken_ofp_nx_action_reg_load load;
        assert_int_equal(ken_ofp_nx_action_reg_load_init(&load, v), 0);
        load.ofs_nbits = 4 << 6 | 7;
        load.dst = KEN_OXM_REG0 | 4;
        load.value = 0x1234;
        const struct ken_ofp_nx_action_reg_load *load2 = action_as_osken(
            v, KEN_OFP_NX_ACTION_REG_LOAD, &load, "NXActionRegLoad(ofs_nbits=4 << 6 | 7, dst=\"reg0\", value=0x1234)",
            &a);
        assert_int_equal(load2->ofs_nbits, load.ofs_nbits);
        assert_int_equal(load2->dst, load.dst);
        assert_int_equal(load2->value, 0x1234);

        /* OS-Ken's defaults: in_port OFPP_IN_PORT, table 0xff */
        struct ken_ofp_nx_action_resubmit_table rt;
        assert_int_equal(ken_ofp_nx_action_resubmit_table_init(&rt, v), 0);
        assert_int_equal(rt.in_port, 0xfff8);
        assert_int_equal(rt.table_id, 0xff);
        action_as_osken(v, KEN_OFP_NX_ACTION_RESUBMIT_TABLE, &rt, "NXActionResubmitTable()", &a);
        rt.in_port = 3;
        rt.table_id = 2;
        const struct ken_ofp_nx_action_resubmit_table *rt2 = action_as_osken(
            v, KEN_OFP_NX_ACTION_RESUBMIT_TABLE, &rt, "NXActionResubmitTable(in_port=3, table_id=2)", &a);
        assert_int_equal(rt2->in_port, 3);
        assert_int_equal(rt2->table_id, 2);

        struct ken_ofp_nx_action_resubmit rs;
        assert_int_equal(ken_ofp_nx_action_resubmit_init(&rs, v), 0);
        action_as_osken(v, KEN_OFP_NX_ACTION_RESUBMIT, &rs, "NXActionResubmit()", &a);

        struct ken_ofp_nx_action_reg_move mv;
        assert_int_equal(ken_ofp_nx_action_reg_move_init(&mv, v), 0);
        mv.n_bits = 8;
        mv.src_field = KEN_OXM_REG0 | 4;
        mv.dst_field = KEN_OXM_REG1 | 4;
        const struct ken_ofp_nx_action_reg_move *mv2 = action_as_osken(
            v, KEN_OFP_NX_ACTION_REG_MOVE, &mv, "NXActionRegMove(src_field=\"reg0\", dst_field=\"reg1\", n_bits=8)",
            &a);
        assert_int_equal(mv2->dst_field, KEN_OXM_REG1 | 4);

        struct ken_ofp_nx_action_output_reg outr;
        assert_int_equal(ken_ofp_nx_action_output_reg_init(&outr, v), 0);
        outr.ofs_nbits = 15;
        outr.src = KEN_OXM_REG2 | 4;
        outr.max_len = 128;
        action_as_osken(v, KEN_OFP_NX_ACTION_OUTPUT_REG, &outr,
                        "NXActionOutputReg(ofs_nbits=15, src=\"reg2\", max_len=128)", &a);

        struct ken_ofp_nx_action_conjunction conj;
        assert_int_equal(ken_ofp_nx_action_conjunction_init(&conj, v), 0);
        conj.clause = 1;
        conj.n_clauses = 2;
        conj.id = 7;
        action_as_osken(v, KEN_OFP_NX_ACTION_CONJUNCTION, &conj, "NXActionConjunction(clause=1, n_clauses=2, id_=7)",
                        &a);

        /* learn: OS-Ken's default priority; no specs */
        struct ken_ofp_nx_action_learn learn;
        assert_int_equal(ken_ofp_nx_action_learn_init(&learn, v), 0);
        assert_int_equal(learn.priority, 0x8000);
        learn.table_id = 1;
        learn.idle_timeout = 10;
        learn.cookie = 0x99;
        const struct ken_ofp_nx_action_learn *learn2 = action_as_osken(
            v, KEN_OFP_NX_ACTION_LEARN, &learn, "NXActionLearn(table_id=1, idle_timeout=10, cookie=0x99, specs=[])",
            &a);
        assert_int_equal(learn2->cookie, 0x99);
        assert_int_equal(learn2->priority, 0x8000);

        /* ct: an empty zone source, no nested actions */
        struct ken_ofp_nx_action_ct ct;
        assert_int_equal(ken_ofp_nx_action_ct_init(&ct, v), 0);
        ct.flags = 1;
        ct.recirc_table = 4;
        action_as_osken(v, KEN_OFP_NX_ACTION_CT, &ct,
                        "NXActionCT(flags=1, zone_src=\"\", zone_ofs_nbits=0, recirc_table=4, alg=0, actions=[])",
                        &a);

        /* learn with one spec of each kind: a subfield match, an immediate load, an output */
        static const uint8_t imm[4] = {0x00, 0x00, 0x12, 0x34};
        struct ken_nx_learn_spec specs[] = {
            {.dst_type = KEN_NX_LEARN_MATCH, .n_bits = 16, .src_field = KEN_OXM_REG2 | 4, .src_ofs = 8,
             .dst_field = KEN_OXM_REG2 | 4},
            {.dst_type = KEN_NX_LEARN_LOAD, .n_bits = 32, .src_value = imm, .dst_field = KEN_OXM_REG0 | 4, .dst_ofs = 0},
            {.dst_type = KEN_NX_LEARN_OUTPUT, .n_bits = 32, .src_field = KEN_OXM_REG1 | 4},
        };
        learn.specs = specs;
        learn.n_specs = 3;
        const struct ken_ofp_nx_action_learn *learn3 = action_as_osken(
            v, KEN_OFP_NX_ACTION_LEARN, &learn,
            "NXActionLearn(table_id=1, idle_timeout=10, cookie=0x99, specs=["
            "p.NXFlowSpecMatch(src=(\"reg2\", 8), dst=(\"reg2\", 0), n_bits=16), "
            "p.NXFlowSpecLoad(src=0x1234, dst=(\"reg0\", 0), n_bits=32), "
            "p.NXFlowSpecOutput(src=(\"reg1\", 0), dst=\"\", n_bits=32)])",
            &a);
        assert_int_equal(learn3->n_specs, 3);
        assert_int_equal(learn3->specs[1].dst_type, KEN_NX_LEARN_LOAD);
        assert_memory_equal(learn3->specs[1].src_value, imm, 4);
        assert_int_equal(learn3->specs[2].src_field, KEN_OXM_REG1 | 4);

        /* ct with nested actions: a Nicira one (its struct) and, in 1.3, a set-field */
        struct ken_ofp_nx_action_ct_clear clr;
        assert_int_equal(ken_ofp_nx_action_ct_clear_init(&clr, v), 0);
        struct ken_ofp_nx_action_reg_load inner;
        assert_int_equal(ken_ofp_nx_action_reg_load_init(&inner, v), 0);
        inner.ofs_nbits = 31;
        inner.dst = KEN_OXM_REG3 | 4;
        inner.value = 5;
        struct ken_action nested[] = {ken_action_typed(KEN_OFP_NX_ACTION_REG_LOAD, &inner)};
        ct.actions = nested;
        ct.n_actions = 1;
        const struct ken_ofp_nx_action_ct *ct2 = action_as_osken(
            v, KEN_OFP_NX_ACTION_CT, &ct,
            "NXActionCT(flags=1, zone_src=\"\", zone_ofs_nbits=0, recirc_table=4, alg=0, "
            "actions=[p.NXActionRegLoad(ofs_nbits=31, dst=\"reg3\", value=5)])",
            &a);
        assert_int_equal(ct2->n_actions, 1);
        assert_int_equal(ct2->actions[0].type, KEN_ACT_TYPED);
        assert_int_equal(ct2->actions[0].u.typed.cls, KEN_OFP_NX_ACTION_REG_LOAD);
        assert_int_equal(((const struct ken_ofp_nx_action_reg_load *)ct2->actions[0].u.typed.msg)->value, 5);
        action_as_osken(v, KEN_OFP_NX_ACTION_CT_CLEAR, &clr, "NXActionCTClear()", &a);

        /* reg_load2 (1.3: OS-Ken's 1.0 parser has no OXM fields for it): its
         * field, value and mask as a one-field match */
        if (v == V13) {
            struct ken_ofp_nx_action_reg_load2 rl2;
            assert_int_equal(ken_ofp_nx_action_reg_load2_init(&rl2, v), 0);
            static const uint8_t r0[4] = {0, 0, 0x12, 0x34}, r0_mask[4] = {0, 0, 0xff, 0xff};
            assert_int_equal(ken_match_add(&rl2.value, KEN_OXM_REG0, r0, r0_mask, 4), 0);
            const struct ken_ofp_nx_action_reg_load2 *load2b =
                action_as_osken(v, KEN_OFP_NX_ACTION_REG_LOAD2, &rl2,
                                "NXActionRegLoad2(dst=\"reg0\", value=0x1234, mask=0xffff)", &a);
            uint64_t r0v;
            assert_true(ken_match_get_uint(&load2b->value, KEN_OXM_REG0, &r0v));
            assert_int_equal(r0v, 0x1234);
            struct ken_ofp_nx_action_reg_load2 load3;
            assert_int_equal(ken_ofp_nx_action_reg_load2_init(&load3, v), 0);
            static const uint8_t dst_mac[6] = {0xaa, 0xbb, 0xcc, 0xdd, 0xee, 0xff}, src_mac[6] = {1, 2, 3, 4, 5, 6};
            assert_int_equal(ken_match_add_mac(&load3.value, KEN_OXM_ETH_DST, dst_mac, NULL), 0);
            action_as_osken(v, KEN_OFP_NX_ACTION_REG_LOAD2, &load3,
                            "NXActionRegLoad2(dst=\"eth_dst\", value=\"aa:bb:cc:dd:ee:ff\")", &a);
            /* it loads one field: two are refused */
            assert_int_equal(ken_match_add_mac(&load3.value, KEN_OXM_ETH_SRC, src_mac, NULL), 0);
            struct ken_action two = ken_action_typed(KEN_OFP_NX_ACTION_REG_LOAD2, &load3);
            struct ken_buf refused = KEN_BUF_INIT;
            assert_int_not_equal(ken_actions_encode(&refused, v, &two, 1), 0);
            assert_int_equal(refused.len, 0);
            ken_buf_free(&refused);
        }

        /* NAT: range_present says which ranges are on the wire */
        struct ken_ofp_nx_action_nat nat;
        assert_int_equal(ken_ofp_nx_action_nat_init(&nat, v), 0);
        nat.flags = 1;
        nat.range_present = 1u << 0 | 1u << 1 | 1u << 4 | 1u << 5; /* ipv4 min/max, proto min/max */
        nat.range.range_ipv4_min = 0x0a000001;
        nat.range.range_ipv4_max = 0x0a000009;
        nat.range.range_proto_min = 100;
        nat.range.range_proto_max = 200;
        const struct ken_ofp_nx_action_nat *nat2 =
            action_as_osken(v, KEN_OFP_NX_ACTION_NAT, &nat,
                            "NXActionNAT(flags=1, range_ipv4_min=\"10.0.0.1\", range_ipv4_max=\"10.0.0.9\", "
                            "range_proto_min=100, range_proto_max=200)",
                            &a);
        assert_int_equal(nat2->range.range_ipv4_max, 0x0a000009);
        assert_int_equal(nat2->range.range_proto_max, 200);
        static const uint8_t v6[16] = {0x20, 0x01, 0x0d, 0xb8, [15] = 1};
        struct ken_ofp_nx_action_nat nat6;
        assert_int_equal(ken_ofp_nx_action_nat_init(&nat6, v), 0);
        nat6.flags = 2;
        nat6.range_present = 1u << 2;
        nat6.range.range_ipv6_min = (struct ken_ofp_raw){v6, 16};
        const struct ken_ofp_nx_action_nat *nat6b = action_as_osken(
            v, KEN_OFP_NX_ACTION_NAT, &nat6, "NXActionNAT(flags=2, range_ipv6_min=\"2001:db8::1\")", &a);
        assert_int_equal(nat6b->range.range_ipv6_min.len, 16);
        assert_memory_equal(nat6b->range.range_ipv6_min.data, v6, 16);

        /* controller2: its properties, each written when present */
        static const uint8_t userdata[3] = {1, 2, 3};
        struct ken_ofp_nx_action_controller2 c2;
        assert_int_equal(ken_ofp_nx_action_controller2_init(&c2, v), 0);
        c2.properties.present = 1u << KEN_NX_C2_MAX_LEN | 1u << KEN_NX_C2_CONTROLLER_ID | 1u << KEN_NX_C2_REASON |
                                1u << KEN_NX_C2_USERDATA | 1u << KEN_NX_C2_PAUSE;
        c2.properties.max_len = 128;
        c2.properties.controller_id = 3;
        c2.properties.reason = 1;
        c2.properties.userdata = userdata;
        c2.properties.userdata_len = 3;
        const struct ken_ofp_nx_action_controller2 *c2b = action_as_osken(
            v, KEN_OFP_NX_ACTION_CONTROLLER2, &c2,
            "NXActionController2(max_len=128, controller_id=3, reason=1, userdata=[1, 2, 3], pause=True)", &a);
        assert_int_equal(c2b->properties.present, c2.properties.present);
        assert_int_equal(c2b->properties.max_len, 128);
        assert_memory_equal(c2b->properties.userdata, userdata, 3);

        /* lists of ids and a note's bytes */
        static const uint16_t ids[] = {1, 2};
        struct ken_ofp_nx_action_bundle bundle;
        assert_int_equal(ken_ofp_nx_action_bundle_init(&bundle, v), 0);
        bundle.algorithm = 1;
        bundle.slave_type = 0xffff0000;
        bundle.slaves = ids;
        bundle.n_slaves = 2;
        const struct ken_ofp_nx_action_bundle *bundle2 = action_as_osken(
            v, KEN_OFP_NX_ACTION_BUNDLE, &bundle,
            "NXActionBundle(algorithm=1, fields=0, basis=0, slave_type=0xffff0000, n_slaves=2, ofs_nbits=0, dst=0, "
            "slaves=[1, 2])",
            &a);
        assert_int_equal(bundle2->n_slaves, 2);
        assert_int_equal(bundle2->slaves[1], 2);
        struct ken_ofp_nx_action_dec_ttl_cnt_ids cnt;
        assert_int_equal(ken_ofp_nx_action_dec_ttl_cnt_ids_init(&cnt, v), 0);
        cnt.cnt_ids = ids;
        cnt.n_cnt_ids = 2;
        action_as_osken(v, KEN_OFP_NX_ACTION_DEC_TTL_CNT_IDS, &cnt, "NXActionDecTtlCntIds(cnt_ids=[1, 2])", &a);
        static const uint8_t text[6] = {1, 2, 3, 0, 0, 0}; /* the note's padding is its own */
        struct ken_ofp_nx_action_note note;
        assert_int_equal(ken_ofp_nx_action_note_init(&note, v), 0);
        note.note = text;
        note.note_len = 3;
        const struct ken_ofp_nx_action_note *note2 =
            action_as_osken(v, KEN_OFP_NX_ACTION_NOTE, &note, "NXActionNote(note=[1, 2, 3])", &a);
        assert_int_equal(note2->note_len, 6); /* decoded: to the action's end, as OS-Ken reads it */
        assert_memory_equal(note2->note, text, 6);

        struct ken_ofp_nx_action_dec_ttl dt;
        assert_int_equal(ken_ofp_nx_action_dec_ttl_init(&dt, v), 0);
        action_as_osken(v, KEN_OFP_NX_ACTION_DEC_TTL, &dt, "NXActionDecTtl()", &a);

        struct ken_ofp_nx_action_set_tunnel64 tun;
        assert_int_equal(ken_ofp_nx_action_set_tunnel64_init(&tun, v), 0);
        tun.tun_id = 0x1122334455667788ull;
        action_as_osken(v, KEN_OFP_NX_ACTION_SET_TUNNEL64, &tun, "NXActionSetTunnel64(tun_id=0x1122334455667788)", &a);
    }
    ken_arena_free(&a);
}

static void test_of10_actions(void **state)
{
    (void)state;
    struct ken_arena a = KEN_ARENA_INIT;
    struct ken_ofp_action_vlan_vid vid;
    assert_int_equal(ken_ofp_action_vlan_vid_init(&vid, V10), 0);
    vid.vlan_vid = 5;
    const struct ken_ofp_action_vlan_vid *vid2 =
        action_as_osken(V10, KEN_OFP_ACTION_VLAN_VID, &vid, "OFPActionVlanVid(vlan_vid=5)", &a);
    assert_int_equal(vid2->vlan_vid, 5);

    struct ken_ofp_action_vlan_pcp pcp;
    assert_int_equal(ken_ofp_action_vlan_pcp_init(&pcp, V10), 0);
    pcp.vlan_pcp = 3;
    action_as_osken(V10, KEN_OFP_ACTION_VLAN_PCP, &pcp, "OFPActionVlanPcp(vlan_pcp=3)", &a);

    struct ken_ofp_action_strip_vlan strip;
    assert_int_equal(ken_ofp_action_strip_vlan_init(&strip, V10), 0);
    action_as_osken(V10, KEN_OFP_ACTION_STRIP_VLAN, &strip, "OFPActionStripVlan()", &a);

    static const uint8_t mac[6] = {0x00, 0x11, 0x22, 0x33, 0x44, 0x55};
    struct ken_ofp_action_set_dl_src src;
    assert_int_equal(ken_ofp_action_set_dl_src_init(&src, V10), 0);
    memcpy(src.dl_addr, mac, 6);
    const struct ken_ofp_action_set_dl_src *src2 =
        action_as_osken(V10, KEN_OFP_ACTION_SET_DL_SRC, &src, "OFPActionSetDlSrc(dl_addr=\"00:11:22:33:44:55\")", &a);
    assert_memory_equal(src2->dl_addr, mac, 6);

    struct ken_ofp_action_set_dl_dst dst;
    assert_int_equal(ken_ofp_action_set_dl_dst_init(&dst, V10), 0);
    memcpy(dst.dl_addr, mac, 6);
    action_as_osken(V10, KEN_OFP_ACTION_SET_DL_DST, &dst, "OFPActionSetDlDst(dl_addr=\"00:11:22:33:44:55\")", &a);

    struct ken_ofp_action_set_nw_src nws;
    assert_int_equal(ken_ofp_action_set_nw_src_init(&nws, V10), 0);
    nws.nw_addr = 0x0a000001; /* host order */
    const struct ken_ofp_action_set_nw_src *nws2 =
        action_as_osken(V10, KEN_OFP_ACTION_SET_NW_SRC, &nws, "OFPActionSetNwSrc(nw_addr=\"10.0.0.1\")", &a);
    assert_int_equal(nws2->nw_addr, 0x0a000001);

    struct ken_ofp_action_set_nw_dst nwd;
    assert_int_equal(ken_ofp_action_set_nw_dst_init(&nwd, V10), 0);
    nwd.nw_addr = 0xc0a80102;
    action_as_osken(V10, KEN_OFP_ACTION_SET_NW_DST, &nwd, "OFPActionSetNwDst(nw_addr=\"192.168.1.2\")", &a);

    struct ken_ofp_action_set_nw_tos tos;
    assert_int_equal(ken_ofp_action_set_nw_tos_init(&tos, V10), 0);
    tos.tos = 0x20;
    action_as_osken(V10, KEN_OFP_ACTION_SET_NW_TOS, &tos, "OFPActionSetNwTos(tos=0x20)", &a);

    struct ken_ofp_action_set_tp_src tps;
    assert_int_equal(ken_ofp_action_set_tp_src_init(&tps, V10), 0);
    tps.tp = 80;
    action_as_osken(V10, KEN_OFP_ACTION_SET_TP_SRC, &tps, "OFPActionSetTpSrc(tp=80)", &a);

    struct ken_ofp_action_set_tp_dst tpd;
    assert_int_equal(ken_ofp_action_set_tp_dst_init(&tpd, V10), 0);
    tpd.tp = 443;
    action_as_osken(V10, KEN_OFP_ACTION_SET_TP_DST, &tpd, "OFPActionSetTpDst(tp=443)", &a);

    struct ken_ofp_action_enqueue enq;
    assert_int_equal(ken_ofp_action_enqueue_init(&enq, V10), 0);
    enq.port = 1;
    enq.queue_id = 3;
    const struct ken_ofp_action_enqueue *enq2 =
        action_as_osken(V10, KEN_OFP_ACTION_ENQUEUE, &enq, "OFPActionEnqueue(port=1, queue_id=3)", &a);
    assert_int_equal(enq2->queue_id, 3);
    ken_arena_free(&a);
}

/* ---- 1.2+ actions struct ken_action has no kind of its own for ---- */

#define V12 0x03
#define V14 0x05

/* The kind OS-Ken's bytes for ctor decode to on version v (one action). */
static int decoded_kind(uint8_t v, const char *ctor, struct ken_arena *a)
{
    struct ken_buf want = KEN_BUF_INIT;
    char version[2] = {(char)('0' + v - 1), 0};
    osken_action(version, ctor, &want);
    size_t len = want.len;
    uint8_t *bytes = ken_arena_alloc(a, len);
    assert_non_null(bytes);
    memcpy(bytes, want.data, len);
    ken_buf_free(&want);
    const struct ken_action *dec;
    size_t n;
    assert_int_equal(ken_actions_decode(bytes, len, v, a, &dec, &n), 0);
    assert_int_equal(n, 1);
    return dec->type;
}

/* The MPLS, TTL and PBB actions of 1.2-1.5, each built from its struct
 * (OS-Ken's bytes), decoded back to it (KEN_ACT_TYPED) with its fields. */
static void test_of13_actions(void **state)
{
    (void)state;
    struct ken_arena a = KEN_ARENA_INIT;
    uint8_t versions[] = {V12, V13, V14, V15};
    static const char *const ctors[] = {
        "OFPActionPushMpls(ethertype=0x8847)", "OFPActionPopMpls(ethertype=0x0800)", "OFPActionSetMplsTtl(mpls_ttl=7)",
        "OFPActionDecMplsTtl()", "OFPActionCopyTtlOut()", "OFPActionCopyTtlIn()", "OFPActionSetNwTtl(nw_ttl=9)",
        "OFPActionPushVlan(ethertype=0x8100)", "OFPActionPopVlan()", "OFPActionGroup(group_id=3)",
        "OFPActionSetQueue(queue_id=2)", "OFPActionDecNwTtl()", "OFPActionOutput(port=1)",
        "OFPActionSetField(eth_dst=\"00:11:22:33:44:55\")",
        "OFPActionPushPbb(ethertype=0x88e7)", "OFPActionPopPbb()"}; /* the last two: 1.3 on */
    for (size_t i = 0; i < sizeof versions; i++) {
        uint8_t v = versions[i];
        char version[2] = {(char)('0' + v - 1), 0};
        osken_actions_ahead(version, ctors, sizeof ctors / sizeof ctors[0] - (v == V12 ? 2 : 0));
        struct ken_ofp_action_push_mpls push;
        assert_int_equal(ken_ofp_action_push_mpls_init(&push, v), 0);
        push.ethertype = 0x8847;
        const struct ken_ofp_action_push_mpls *push2 =
            action_as_osken(v, KEN_OFP_ACTION_PUSH_MPLS, &push, "OFPActionPushMpls(ethertype=0x8847)", &a);
        assert_int_equal(push2->ethertype, 0x8847);

        struct ken_ofp_action_pop_mpls pop;
        assert_int_equal(ken_ofp_action_pop_mpls_init(&pop, v), 0);
        pop.ethertype = 0x0800;
        const struct ken_ofp_action_pop_mpls *pop2 =
            action_as_osken(v, KEN_OFP_ACTION_POP_MPLS, &pop, "OFPActionPopMpls(ethertype=0x0800)", &a);
        assert_int_equal(pop2->ethertype, 0x0800);

        struct ken_ofp_action_set_mpls_ttl smt;
        assert_int_equal(ken_ofp_action_set_mpls_ttl_init(&smt, v), 0);
        smt.mpls_ttl = 7;
        const struct ken_ofp_action_set_mpls_ttl *smt2 =
            action_as_osken(v, KEN_OFP_ACTION_SET_MPLS_TTL, &smt, "OFPActionSetMplsTtl(mpls_ttl=7)", &a);
        assert_int_equal(smt2->mpls_ttl, 7);

        struct ken_ofp_action_dec_mpls_ttl dmt;
        assert_int_equal(ken_ofp_action_dec_mpls_ttl_init(&dmt, v), 0);
        action_as_osken(v, KEN_OFP_ACTION_DEC_MPLS_TTL, &dmt, "OFPActionDecMplsTtl()", &a);

        struct ken_ofp_action_copy_ttl_out cto;
        assert_int_equal(ken_ofp_action_copy_ttl_out_init(&cto, v), 0);
        action_as_osken(v, KEN_OFP_ACTION_COPY_TTL_OUT, &cto, "OFPActionCopyTtlOut()", &a);

        struct ken_ofp_action_copy_ttl_in cti;
        assert_int_equal(ken_ofp_action_copy_ttl_in_init(&cti, v), 0);
        action_as_osken(v, KEN_OFP_ACTION_COPY_TTL_IN, &cti, "OFPActionCopyTtlIn()", &a);

        struct ken_ofp_action_set_nw_ttl snt;
        assert_int_equal(ken_ofp_action_set_nw_ttl_init(&snt, v), 0);
        snt.nw_ttl = 9;
        const struct ken_ofp_action_set_nw_ttl *snt2 =
            action_as_osken(v, KEN_OFP_ACTION_SET_NW_TTL, &snt, "OFPActionSetNwTtl(nw_ttl=9)", &a);
        assert_int_equal(snt2->nw_ttl, 9);

        struct ken_ofp_action_push_pbb pbb;
        assert_int_equal(ken_ofp_action_push_pbb_init(&pbb, v), 0);
        pbb.ethertype = 0x88e7;
        struct ken_ofp_action_pop_pbb popp;
        assert_int_equal(ken_ofp_action_pop_pbb_init(&popp, v), 0);
        if (v == V12) { /* PBB came with 1.3: 1.2 refuses both */
            struct ken_buf b = KEN_BUF_INIT;
            struct ken_action acts[] = {ken_action_typed(KEN_OFP_ACTION_PUSH_PBB, &pbb),
                                        ken_action_typed(KEN_OFP_ACTION_POP_PBB, &popp)};
            assert_int_equal(ken_actions_encode(&b, v, &acts[0], 1), KEN_OFPBAC_BAD_TYPE);
            assert_int_equal(ken_actions_encode(&b, v, &acts[1], 1), KEN_OFPBAC_BAD_TYPE);
            assert_int_equal(b.len, 0);
            ken_buf_free(&b);
        } else {
            const struct ken_ofp_action_push_pbb *pbb2 =
                action_as_osken(v, KEN_OFP_ACTION_PUSH_PBB, &pbb, "OFPActionPushPbb(ethertype=0x88e7)", &a);
            assert_int_equal(pbb2->ethertype, 0x88e7);
            action_as_osken(v, KEN_OFP_ACTION_POP_PBB, &popp, "OFPActionPopPbb()", &a);
        }

        /* the actions struct ken_action models keep their own kinds (the hot path) */
        assert_int_equal(decoded_kind(v, "OFPActionPushVlan(ethertype=0x8100)", &a), KEN_ACT_PUSH_VLAN);
        assert_int_equal(decoded_kind(v, "OFPActionPopVlan()", &a), KEN_ACT_POP_VLAN);
        assert_int_equal(decoded_kind(v, "OFPActionGroup(group_id=3)", &a), KEN_ACT_GROUP);
        assert_int_equal(decoded_kind(v, "OFPActionSetQueue(queue_id=2)", &a), KEN_ACT_SET_QUEUE);
        assert_int_equal(decoded_kind(v, "OFPActionDecNwTtl()", &a), KEN_ACT_DEC_NW_TTL);
        assert_int_equal(decoded_kind(v, "OFPActionOutput(port=1)", &a), KEN_ACT_OUTPUT);
        assert_int_equal(decoded_kind(v, "OFPActionSetField(eth_dst=\"00:11:22:33:44:55\")", &a), KEN_ACT_SET_FIELD);
    }
    ken_arena_free(&a);
}

/* 1.5's copy-field and meter actions and its masked set-field; none of
 * them is in 1.3 or 1.4. */
static void test_of15_actions(void **state)
{
    (void)state;
    struct ken_arena a = KEN_ARENA_INIT;
    struct ken_ofp_action_copy_field cf;
    assert_int_equal(ken_ofp_action_copy_field_init(&cf, V15), 0);
    cf.n_bits = 32;
    cf.src_offset = 1;
    cf.dst_offset = 2;
    const struct ken_ofp_oxm_id ids[] = {{KEN_OXM_IPV4_SRC | 4, 0}, {KEN_OXM_IPV4_DST | 4, 0}};
    cf.oxm_ids = ids;
    cf.n_oxm_ids = 2;
    const struct ken_ofp_action_copy_field *cf2 = action_as_osken(
        V15, KEN_OFP_ACTION_COPY_FIELD, &cf,
        "OFPActionCopyField(n_bits=32, src_offset=1, dst_offset=2, oxm_ids=[p.OFPOxmId(type_=\"ipv4_src\"), "
        "p.OFPOxmId(type_=\"ipv4_dst\")])",
        &a);
    assert_int_equal(cf2->n_bits, 32);
    assert_int_equal(cf2->src_offset, 1);
    assert_int_equal(cf2->dst_offset, 2);
    assert_int_equal(cf2->n_oxm_ids, 2);
    assert_int_equal(cf2->oxm_ids[0].header, KEN_OXM_IPV4_SRC | 4);
    assert_int_equal(cf2->oxm_ids[1].header, KEN_OXM_IPV4_DST | 4);

    struct ken_ofp_action_meter meter;
    assert_int_equal(ken_ofp_action_meter_init(&meter, V15), 0);
    meter.meter_id = 5;
    const struct ken_ofp_action_meter *meter2 =
        action_as_osken(V15, KEN_OFP_ACTION_METER, &meter, "OFPActionMeter(meter_id=5)", &a);
    assert_int_equal(meter2->meter_id, 5);

    /* a masked set-field: struct ken_action's set_field has no mask, so
     * it is OFPActionSetField's struct, its field a one-field match */
    struct ken_ofp_action_set_field sf;
    assert_int_equal(ken_ofp_action_set_field_init(&sf, V15), 0);
    static const uint8_t ip[4] = {10, 0, 0, 1}, mask[4] = {255, 255, 0, 0};
    assert_int_equal(ken_match_add(&sf.field, KEN_OXM_IPV4_DST, ip, mask, 4), 0);
    const struct ken_ofp_action_set_field *sf2 = action_as_osken(
        V15, KEN_OFP_ACTION_SET_FIELD, &sf, "OFPActionSetField(ipv4_dst=(\"10.0.0.1\", \"255.255.0.0\"))", &a);
    assert_int_equal(sf2->field.n, 1);
    const struct ken_match_field *fd = ken_match_find(&sf2->field, KEN_OXM_IPV4_DST);
    assert_non_null(fd);
    assert_true(fd->masked);
    assert_memory_equal(ken_match_value(&sf2->field, fd), "\x0a\x00\x00\x01\xff\xff\x00\x00", 8);
    /* a set-field sets one field */
    assert_int_equal(ken_match_add_u16(&sf.field, KEN_OXM_TCP_DST, 80), 0);
    struct ken_buf b = KEN_BUF_INIT;
    struct ken_action two = ken_action_typed(KEN_OFP_ACTION_SET_FIELD, &sf);
    assert_int_not_equal(ken_actions_encode(&b, V15, &two, 1), 0);
    assert_int_equal(b.len, 0);

    /* 1.3 and 1.4 have neither copy-field nor meter */
    uint8_t older[] = {V13, V14};
    for (size_t i = 0; i < sizeof older; i++) {
        struct ken_action acts[] = {ken_action_typed(KEN_OFP_ACTION_COPY_FIELD, &cf),
                                    ken_action_typed(KEN_OFP_ACTION_METER, &meter)};
        assert_int_equal(ken_actions_encode(&b, older[i], &acts[0], 1), KEN_OFPBAC_BAD_TYPE);
        assert_int_equal(ken_actions_encode(&b, older[i], &acts[1], 1), KEN_OFPBAC_BAD_TYPE);
        assert_int_equal(b.len, 0);
    }
    ken_buf_free(&b);
    ken_arena_free(&a);
}

/* 1.5's stat-trigger instruction: its flags and thresholds (struct
 * ken_ofp_stats) in a flow-mod, as OS-Ken serializes
 * OFPInstructionStatTrigger; decoded, the same numbers; no thresholds at
 * all is OS-Ken's empty OFPStats(); 1.3 and 1.4 have no such instruction. */
static void test_stat_trigger(void **state)
{
    (void)state;
    struct ken_arena a = KEN_ARENA_INIT;
    struct ken_ofp_stats th = {.present = 1u << KEN_OXS_PACKET_COUNT | 1u << KEN_OXS_BYTE_COUNT | 1u << KEN_OXS_DURATION,
                               .packet_count = 1000,
                               .byte_count = 64000,
                               .duration_sec = 30,
                               .duration_nsec = 5};
    struct ken_instruction inst[] = {
        {.type = KEN_INST_STAT_TRIGGER, .flags = KEN_OFPSTF_PERIODIC | KEN_OFPSTF_ONLY_FIRST, .thresholds = &th},
        {.type = KEN_INST_STAT_TRIGGER, .flags = KEN_OFPSTF_PERIODIC},
        {.type = KEN_INST_GOTO_TABLE, .table_id = 2},
    };
    struct ken_ofp_flow_mod fm;
    assert_int_equal(ken_ofp_flow_mod_init(&fm, V15), 0);
    fm.table_id = 1;
    fm.priority = 7;
    ken_match_add_u32(&fm.match, KEN_OXM_IN_PORT, 3);
    fm.instructions = inst;
    fm.n_instructions = 3;
    struct ken_buf got = KEN_BUF_INIT;
    const struct ken_ofp_flow_mod *d = encode_as_osken(
        V15, 0, NULL, KEN_OFP_FLOW_MOD, &fm,
        "json.dumps(p.OFPFlowMod(dp, table_id=1, priority=7, match=p.OFPMatch(in_port=3), instructions=["
        "p.OFPInstructionStatTrigger(ofp.OFPSTF_PERIODIC | ofp.OFPSTF_ONLY_FIRST, "
        "p.OFPStats(packet_count=1000, byte_count=64000, duration=(30, 5))), "
        "p.OFPInstructionStatTrigger(ofp.OFPSTF_PERIODIC, p.OFPStats()), "
        "p.OFPInstructionGotoTable(2)]).to_jsondict())",
        &got, &a);
    assert_int_equal(d->n_instructions, 3);
    const struct ken_instruction *in = d->instructions;
    assert_int_equal(in[0].type, KEN_INST_STAT_TRIGGER);
    assert_int_equal(in[0].flags, KEN_OFPSTF_PERIODIC | KEN_OFPSTF_ONLY_FIRST);
    assert_non_null(in[0].thresholds);
    assert_int_equal(in[0].thresholds->present, th.present);
    assert_int_equal(in[0].thresholds->packet_count, 1000);
    assert_int_equal(in[0].thresholds->byte_count, 64000);
    assert_int_equal(in[0].thresholds->duration_sec, 30);
    assert_int_equal(in[0].thresholds->duration_nsec, 5);
    assert_int_equal(in[0].thresholds->flow_count, 0);
    assert_int_equal(in[1].type, KEN_INST_STAT_TRIGGER);
    assert_int_equal(in[1].flags, KEN_OFPSTF_PERIODIC);
    assert_non_null(in[1].thresholds);
    assert_int_equal(in[1].thresholds->present, 0);
    assert_int_equal(in[2].type, KEN_INST_GOTO_TABLE);
    assert_int_equal(in[2].table_id, 2);

    /* the decoded instructions encode to the same bytes (their thresholds'
     * bytes kept), through the hot-path encoder too */
    struct ken_buf again = KEN_BUF_INIT, whole = KEN_BUF_INIT;
    assert_int_equal(ken_instructions_encode(&again, V15, d->instructions, d->n_instructions), 0);
    assert_int_equal(ken_instructions_encode(&whole, V15, inst, 3), 0);
    assert_int_equal(again.len, whole.len);
    assert_memory_equal(again.data, whole.data, whole.len);
    assert_true(got.len > whole.len);
    assert_memory_equal(got.data + got.len - whole.len, whole.data, whole.len);

    /* 1.3 and 1.4: no stat-trigger, nothing written */
    uint8_t older[] = {V13, V14};
    for (size_t i = 0; i < sizeof older; i++) {
        struct ken_buf b = KEN_BUF_INIT;
        assert_int_equal(ken_instructions_encode(&b, older[i], inst, 1), KEN_OFPBIC_UNKNOWN_INST);
        assert_int_equal(b.len, 0);
        ken_buf_free(&b);
    }
    ken_buf_free(&again);
    ken_buf_free(&whole);
    ken_buf_free(&got);
    ken_arena_free(&a);
}

/* 1.5's table-features OXM values (OFPTableFeaturePropOxmValues): a
 * struct ken_match of fields with values, built and read as a match's. */
static void test_table_features_oxm_values(void **state)
{
    (void)state;
    struct ken_ofp_table_feature_prop_oxm_values prop;
    assert_int_equal(ken_ofp_table_feature_prop_oxm_values_init(&prop, V15), 0);
    static const uint8_t mac[6] = {0xaa, 0xbb, 0xcc, 0xdd, 0xee, 0xff};
    static const uint8_t vid[2] = {0x10, 0x05}, vid_mask[2] = {0x1f, 0xff};
    /* in OXM order, as OS-Ken sorts them */
    assert_int_equal(ken_match_add_mac(&prop.oxm_values, KEN_OXM_ETH_SRC, mac, NULL), 0);
    assert_int_equal(ken_match_add(&prop.oxm_values, KEN_OXM_VLAN_VID, vid, vid_mask, 2), 0);
    assert_int_equal(ken_match_add_u32(&prop.oxm_values, KEN_OXM_IPV4_DST, 0x0a000001), 0);
    struct ken_ofp_tlv props[] = {{.cls = KEN_OFP_TABLE_FEATURE_PROP_OXM_VALUES, .msg = &prop}};
    struct ken_ofp_table_features_stats tf;
    assert_int_equal(ken_ofp_table_features_stats_init(&tf, V15), 0);
    tf.table_id = 1;
    strcpy(tf.name, "t1");
    tf.max_entries = 100;
    tf.properties = props;
    tf.n_properties = 1;
    struct ken_ofp_table_features_stats_request req;
    assert_int_equal(ken_ofp_table_features_stats_request_init(&req, V15), 0);
    req.body = &tf;
    req.n_body = 1;
    struct ken_buf got = KEN_BUF_INIT;
    char why[KEN_WHY_LEN];
    if (ken_ofp_encode(&got, V15, 0, KEN_OFP_TABLE_FEATURES_STATS_REQUEST, &req, why))
        fail_msg("encode: %s", why);
    char hex[1024];
    assert_true(got.len < 500);
    hex_of(got.data, got.len, hex);
    assert_string_equal(hex, osken("(lambda m: (m.set_xid(0), m.serialize(), binascii.hexlify(bytes(m.buf)).decode())[2])("
                                   "p.OFPTableFeaturesStatsRequest(dp, 0, [p.OFPTableFeaturesStats(table_id=1, "
                                   "command=0, features=0, name=b\"t1\", metadata_match=0, metadata_write=0, "
                                   "capabilities=0, max_entries=100, properties=[p.OFPTableFeaturePropOxmValues("
                                   "type_=ofp.OFPTFPT_PACKET_TYPES, eth_src=\"aa:bb:cc:dd:ee:ff\", "
                                   "vlan_vid=(0x1005, 0x1fff), ipv4_dst=\"10.0.0.1\")])]))"));
    /* and back: the values as fields */
    struct ken_arena a = KEN_ARENA_INIT;
    enum ken_ofp_class cls;
    void *out;
    if (ken_ofp_decode(got.data, got.len, &a, &cls, &out, why))
        fail_msg("decode: %s", why);
    assert_int_equal(cls, KEN_OFP_TABLE_FEATURES_STATS_REQUEST);
    const struct ken_ofp_table_features_stats_request *back = out;
    assert_int_equal(back->n_body, 1);
    assert_int_equal(back->body[0].n_properties, 1);
    const struct ken_ofp_table_feature_prop_oxm_values *bp =
        ken_ofp_tlv_as(&back->body[0].properties[0], KEN_OFP_TABLE_FEATURE_PROP_OXM_VALUES);
    assert_non_null(bp);
    assert_int_equal(bp->oxm_values.n, 3);
    uint64_t ip;
    assert_true(ken_match_get_uint(&bp->oxm_values, KEN_OXM_IPV4_DST, &ip));
    assert_int_equal(ip, 0x0a000001);
    const struct ken_match_field *fv = ken_match_find(&bp->oxm_values, KEN_OXM_VLAN_VID);
    assert_non_null(fv);
    assert_true(fv->masked);
    assert_memory_equal(ken_match_value(&bp->oxm_values, fv), "\x10\x05\x1f\xff", 4);
    assert_memory_equal(ken_match_value(&bp->oxm_values, ken_match_find(&bp->oxm_values, KEN_OXM_ETH_SRC)), mac, 6);
    ken_arena_free(&a);
    ken_buf_free(&got);
}

/* A typed action encodes only in a version whose family has its class. */
static void test_typed_action_wrong_version(void **state)
{
    (void)state;
    struct ken_ofp_action_vlan_vid vid;
    assert_int_equal(ken_ofp_action_vlan_vid_init(&vid, V10), 0);
    struct ken_action act = ken_action_typed(KEN_OFP_ACTION_VLAN_VID, &vid);
    struct ken_buf b = KEN_BUF_INIT;
    assert_int_equal(ken_actions_encode(&b, V13, &act, 1), KEN_OFPBAC_BAD_TYPE);
    assert_int_equal(b.len, 0);
    ken_buf_free(&b);
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
        cmocka_unit_test(test_nx_actions),
        cmocka_unit_test(test_of10_actions),
        cmocka_unit_test(test_of13_actions),
        cmocka_unit_test(test_of15_actions),
        cmocka_unit_test(test_typed_action_wrong_version),
        cmocka_unit_test(test_table_features_oxm_values),
        cmocka_unit_test(test_stat_trigger),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
