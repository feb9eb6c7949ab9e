/* The 65535-byte limit of an OpenFlow message (its length field is 16
 * bits): every encoder that can reach it accepts a message of exactly
 * 65535 bytes and refuses one of 65536 with KEN_OFPBRC_BAD_LEN, leaving the
 * buffer as it was (nothing appended, what was there untouched). Sizes are
 * found by encoding the message with an empty payload first, so the tests
 * do not depend on a hand-computed header size. */
#include <json-c/json.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "ken/ofp.h"
#include "ken/ofp_msg.h"

static const uint8_t versions[] = {KEN_OFP10, KEN_OFP12, KEN_OFP13, KEN_OFP14, KEN_OFP15};
#define N_VERSIONS (sizeof versions / sizeof versions[0])

/* A payload of any size up to 64 KiB. */
static uint8_t payload[1u << 17];

/* Encodes with a payload of size n into a buffer that already holds a
 * prefix: each case below fills it in. */
typedef int (*encode_fn)(struct ken_buf *b, uint8_t version, size_t n);

static const char prefix[] = "bytes already queued";

/* Returns the whole message length the encoder makes for payload n, or
 * checks that it refuses and leaves the buffer as it was (returns 0). */
static size_t encode_with_prefix(encode_fn enc, uint8_t version, size_t n, int *err)
{
    struct ken_buf b = KEN_BUF_INIT;
    ken_buf_put(&b, prefix, sizeof prefix);
    *err = enc(&b, version, n);
    size_t len = b.len - sizeof prefix;
    assert_memory_equal(b.data, prefix, sizeof prefix);
    if (*err) {
        assert_int_equal(b.len, sizeof prefix);
        len = 0;
    } else {
        /* Well framed: the header says exactly what was appended. */
        const uint8_t *m = b.data + sizeof prefix;
        assert_int_equal((size_t)(m[2] << 8 | m[3]), len);
        assert_int_equal(m[0], version);
    }
    ken_buf_free(&b);
    return len;
}

/* The payload that makes the message exactly 65535 bytes is accepted; one
 * byte more is refused with BAD_LEN and the buffer is untouched. */
static void check_limit(encode_fn enc, uint8_t version)
{
    int err;
    size_t base = encode_with_prefix(enc, version, 0, &err);
    assert_int_equal(err, 0);
    assert_true(base >= 8 && base < KEN_OFP_MAX_LEN);
    size_t fits = KEN_OFP_MAX_LEN - base;
    assert_int_equal(encode_with_prefix(enc, version, fits, &err), KEN_OFP_MAX_LEN);
    assert_int_equal(err, 0);
    encode_with_prefix(enc, version, fits + 1, &err);
    assert_int_equal(err, KEN_OFPBRC_BAD_LEN);
}

static int enc_echo(struct ken_buf *b, uint8_t version, size_t n)
{
    return ken_echo_encode(b, version, 2, 7, payload, n);
}

static int enc_packet_in(struct ken_buf *b, uint8_t version, size_t n)
{
    struct ken_packet_in pi;
    memset(&pi, 0, sizeof pi);
    pi.buffer_id = KEN_OFP_NO_BUFFER;
    pi.in_port = 1;
    ken_match_init(&pi.match);
    ken_match_add_u32(&pi.match, KEN_OXM_IN_PORT, 1);
    pi.data = payload;
    pi.data_len = (uint16_t)n;
    assert_true(n <= UINT16_MAX);
    return ken_packet_in_encode(b, version, 7, &pi);
}

static int enc_packet_out(struct ken_buf *b, uint8_t version, size_t n)
{
    struct ken_packet_out po;
    ken_packet_out_init(&po);
    struct ken_action flood = ken_action_output(KEN_OFPP_FLOOD, 0);
    po.actions = &flood;
    po.n_actions = 1;
    po.data = payload;
    po.data_len = (uint16_t)n;
    assert_true(n <= UINT16_MAX);
    return ken_packet_out_encode(b, version, 7, &po);
}

/* A flow-mod made big by pre-encoded action bytes (KEN_ACT_RAW). */
static int enc_flow_mod(struct ken_buf *b, uint8_t version, size_t n)
{
    struct ken_flow_mod fm;
    ken_flow_mod_init(&fm);
    ken_match_add_u32(&fm.match, KEN_OXM_IN_PORT, 1);
    struct ken_action raw = {.type = KEN_ACT_RAW};
    raw.u.raw.bytes = payload;
    raw.u.raw.len = (uint16_t)n;
    assert_true(n <= UINT16_MAX);
    ken_flow_mod_apply_actions(&fm, &raw, 1);
    return ken_flow_mod_encode(b, version, 7, &fm);
}

/* The JSON encoder: an echo request whose data is n bytes. */
static int enc_json(struct ken_buf *b, uint8_t version, size_t n)
{
    static const char b64[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    size_t chars = (n + 2) / 3 * 4;
    char *text = malloc(chars + 1);
    assert_non_null(text);
    for (size_t i = 0; i < chars; i++)
        text[i] = b64[i % 64];
    if (n % 3) /* padding: n need not be a multiple of 3 */
        memset(text + chars - (3 - n % 3), '=', 3 - n % 3);
    text[chars] = 0;
    json_object *data = json_object_new_string(text);
    free(text);
    json_object *body = json_object_new_object(), *msg = json_object_new_object();
    json_object_object_add(body, "data", data);
    json_object_object_add(msg, "OFPEchoRequest", body);
    char why[KEN_WHY_LEN];
    int err = ken_ofp_from_json(msg, version, b, why);
    if (err)
        assert_string_not_equal(why, ""); /* the caller is told why */
    json_object_put(msg);
    return err;
}

static void test_echo(void **state)
{
    (void)state;
    for (size_t i = 0; i < N_VERSIONS; i++)
        check_limit(enc_echo, versions[i]);
}

static void test_packet_in(void **state)
{
    (void)state;
    for (size_t i = 0; i < N_VERSIONS; i++)
        check_limit(enc_packet_in, versions[i]);
}

static void test_packet_out(void **state)
{
    (void)state;
    for (size_t i = 0; i < N_VERSIONS; i++)
        check_limit(enc_packet_out, versions[i]);
}

static void test_flow_mod(void **state)
{
    (void)state;
    for (size_t i = 0; i < N_VERSIONS; i++)
        check_limit(enc_flow_mod, versions[i]);
}

static void test_from_json(void **state)
{
    (void)state;
    for (size_t i = 0; i < N_VERSIONS; i++)
        check_limit(enc_json, versions[i]);
}

/* Port stats come in whole records: the most that fit are accepted, one
 * more is refused and the buffer is untouched. */
static void test_port_stats_reply(void **state)
{
    (void)state;
    static const uint8_t ps_versions[] = {KEN_OFP10, KEN_OFP12, KEN_OFP13};
    static struct ken_port_stats st[1024];
    for (size_t v = 0; v < sizeof ps_versions; v++) {
        struct ken_buf b = KEN_BUF_INIT;
        assert_int_equal(ken_port_stats_reply_encode(&b, ps_versions[v], 1, st, 0), 0);
        size_t base = b.len;
        assert_int_equal(ken_port_stats_reply_encode(&b, ps_versions[v], 1, st, 1), 0);
        size_t rec = b.len - 2 * base;
        size_t most = (KEN_OFP_MAX_LEN - base) / rec;
        ken_buf_clear(&b);
        ken_buf_put(&b, prefix, sizeof prefix);
        assert_int_equal(ken_port_stats_reply_encode(&b, ps_versions[v], 1, st, most), 0);
        assert_int_equal(b.data[sizeof prefix + 2] << 8 | b.data[sizeof prefix + 3], base + most * rec);
        b.len = sizeof prefix;
        assert_int_equal(ken_port_stats_reply_encode(&b, ps_versions[v], 1, st, most + 1), KEN_OFPBRC_BAD_LEN);
        assert_int_equal(b.len, sizeof prefix);
        assert_memory_equal(b.data, prefix, sizeof prefix);
        ken_buf_free(&b);
    }
}

/* An error is never refused: it carries the start of the offending
 * message, whatever its size, and stays well framed. */
static void test_error_truncates(void **state)
{
    (void)state;
    for (size_t i = 0; i < N_VERSIONS; i++) {
        struct ken_buf b = KEN_BUF_INIT;
        ken_error_encode(&b, versions[i], 9, KEN_OFPBRC_BAD_LEN, payload, sizeof payload);
        assert_int_equal(b.len, 12 + 64);
        assert_int_equal(b.data[2] << 8 | b.data[3], b.len);
        struct ken_error_msg e;
        assert_int_equal(ken_error_decode(b.data, b.len, &e), 0);
        assert_int_equal(e.data_len, 64);
        assert_memory_equal(e.data, payload, 64);
        ken_buf_free(&b);
    }
}

int main(void)
{
    for (size_t i = 0; i < sizeof payload; i++)
        payload[i] = (uint8_t)(i * 7 + 1);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_echo),
        cmocka_unit_test(test_packet_in),
        cmocka_unit_test(test_packet_out),
        cmocka_unit_test(test_flow_mod),
        cmocka_unit_test(test_from_json),
        cmocka_unit_test(test_port_stats_reply),
        cmocka_unit_test(test_error_truncates),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
