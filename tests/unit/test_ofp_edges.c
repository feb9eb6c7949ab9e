/* Codec edges that the vectors cannot show: the wire (type, code) of each
 * error in each version, NX learn immediates wider than 64 bits (json-c,
 * which reads the vectors, caps integers at 2^64-1), and the encoding
 * checks of OFPPropUnknown. */
#include <errno.h>
#include <json-c/json.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "ken/ofp.h"

/* ---- errors on the wire ---- */

static void test_error_wire_pairs(void **state)
{
    (void)state;
    static const struct {
        int err;
        uint8_t version;
        uint16_t type, code;
    } cases[] = {
        {KEN_OFPBRC_BAD_LEN, KEN_OFP10, 1, 6},          {KEN_OFPBRC_BAD_LEN, KEN_OFP15, 1, 6},
        {KEN_OFPBPC_BAD_TYPE, KEN_OFP14, 14, 0},        {KEN_OFPBPC_BAD_TYPE, KEN_OFP15, 14, 0},
        {KEN_OFPBPC_BAD_TYPE, KEN_OFP13, 1, 6},         {KEN_OFPBPC_BAD_TYPE, KEN_OFP10, 1, 6},
        {KEN_OFPBPC_BAD_LEN, KEN_OFP14, 14, 1},         {KEN_OFPBPC_BAD_EXPERIMENTER, KEN_OFP15, 14, 5},
        {KEN_OFPBPC_BAD_EXPERIMENTER, KEN_OFP13, 1, 3}, {KEN_OFPBPC_BAD_EXPERIMENTER, KEN_OFP10, 1, 3},
        {KEN_OFPQOFC_BAD_QUEUE, KEN_OFP10, 5, 1},       {KEN_OFPQOFC_BAD_QUEUE, KEN_OFP13, 9, 1},
        {KEN_OFPMMFC_BAD_BAND, KEN_OFP12, 1, 6},        {KEN_OFPMMFC_BAD_BAND, KEN_OFP13, 12, 8},
        {KEN_OFPGMFC_BAD_BUCKET, KEN_OFP10, 1, 6},      {KEN_OFPGMFC_BAD_BUCKET, KEN_OFP12, 6, 12},
        {KEN_OFPBIC_BAD_LEN, KEN_OFP13, 3, 7},          {KEN_OFPBIC_BAD_LEN, KEN_OFP10, 1, 6},
        {KEN_OFPBIC_UNKNOWN_INST, KEN_OFP10, 2, 0},     {KEN_OFPBMC_BAD_PREREQ, KEN_OFP13, 4, 9},
        {KEN_OFPBMC_BAD_PREREQ, KEN_OFP10, 1, 6},       {ENOMEM, KEN_OFP13, 1, 6},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        uint16_t type = 0xdead, code = 0xdead;
        ken_ofperr_wire(cases[i].err, cases[i].version, &type, &code);
        if (type != cases[i].type || code != cases[i].code)
            fail_msg("%s in version %u: (%u, %u), expected (%u, %u)", ken_err_name(cases[i].err), cases[i].version,
                     type, code, cases[i].type, cases[i].code);
    }
}

/* Every error maps to an error type the version defines (a fallback never
 * names a type that is newer than the version). */
static void test_error_types_exist(void **state)
{
    (void)state;
    static const struct {
        uint8_t version;
        uint16_t last_type;
    } versions[] = {{KEN_OFP10, 5}, {KEN_OFP12, 11}, {KEN_OFP13, 13}, {KEN_OFP14, 17}, {KEN_OFP15, 17}};
    for (int err = KEN_OFPERR_BASE; err < KEN_OFPERR_END; err++)
        for (size_t v = 0; v < sizeof versions / sizeof versions[0]; v++) {
            uint16_t type, code;
            ken_ofperr_wire(err, versions[v].version, &type, &code);
            if (type > versions[v].last_type)
                fail_msg("%s in version %u: type %u", ken_err_name(err), versions[v].version, type);
        }
}

/* ---- NX learn immediates ---- */

/* A 1.3 flow-mod whose NXActionLearn loads src (JSON text) into ipv6_dst. */
static json_object *learn_msg(const char *src)
{
    char text[1024];
    snprintf(text, sizeof text,
             "{\"OFPFlowMod\": {\"match\": {\"OFPMatch\": {\"type\": 1, \"oxm_fields\": []}}, \"instructions\": "
             "[{\"OFPInstructionActions\": {\"type\": 4, \"actions\": [{\"NXActionLearn\": {\"table_id\": 1, "
             "\"specs\": [{\"NXFlowSpecLoad\": {\"src\": %s, \"dst\": [\"ipv6_dst\", 0], \"n_bits\": 128}}]}}]}}]}}",
             src);
    json_object *msg = json_tokener_parse(text);
    assert_non_null(msg);
    return msg;
}

/* The 16 bytes after the load spec's header (immediate, load, 128 bits). */
static const uint8_t *immediate_in(const struct ken_buf *b)
{
    for (size_t i = 0; i + 18 <= b->len; i++)
        if (b->data[i] == 0x28 && b->data[i + 1] == 0x80)
            return b->data + i + 2;
    fail_msg("no learn load spec in the message");
    return NULL;
}

static int encode(json_object *msg, struct ken_buf *out, char *why)
{
    why[0] = 0;
    return ken_ofp_from_json(msg, KEN_OFP13, out, why);
}

/* The "src" of the decoded message's spec, as JSON text. */
static const char *decoded_src(json_object *msg)
{
    json_object *v = msg;
    static const char *const path[] = {"OFPFlowMod", "instructions", "0", "OFPInstructionActions", "actions", "0",
                                       "NXActionLearn", "specs", "0", "NXFlowSpecLoad", "src"};
    for (size_t i = 0; i < sizeof path / sizeof path[0]; i++)
        v = json_object_is_type(v, json_type_array) ? json_object_array_get_idx(v, (size_t)(path[i][0] - '0'))
                                                     : json_object_object_get(v, path[i]);
    assert_non_null(v);
    return json_object_to_json_string(v);
}

/* Encodes src, checks the immediate, decodes it back to want_text and
 * encodes that decoded JSON again to the same bytes. */
static void check_immediate(const char *src, const uint8_t want[16], const char *want_text)
{
    struct ken_buf out = KEN_BUF_INIT, again = KEN_BUF_INIT;
    char why[KEN_WHY_LEN];
    json_object *msg = learn_msg(src), *back = NULL;
    if (encode(msg, &out, why))
        fail_msg("encode %s: %s", src, why);
    assert_memory_equal(immediate_in(&out), want, 16);
    assert_int_equal(ken_ofp_to_json(out.data, out.len, &back, why), 0);
    assert_string_equal(decoded_src(back), want_text);
    assert_int_equal(encode(back, &again, why), 0);
    assert_int_equal(again.len, out.len);
    assert_memory_equal(again.data, out.data, out.len);
    json_object_put(back);
    json_object_put(msg);
    ken_buf_free(&again);
    ken_buf_free(&out);
}

static const uint8_t wide_value[16] = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16};
#define WIDE_VALUE_DECIMAL "1339673755198158349044581307228491536"

static void test_learn_wide_hex_string(void **state)
{
    (void)state;
    check_immediate("\"0x0102030405060708090a0b0c0d0e0f10\"", wide_value, WIDE_VALUE_DECIMAL);
}

static void test_learn_wide_decimal_string(void **state)
{
    (void)state;
    check_immediate("\"" WIDE_VALUE_DECIMAL "\"", wide_value, WIDE_VALUE_DECIMAL);
}

/* 2^64-1 in a 128-bit field: given as a string it encodes, and decodes as
 * exact digits that encode back (in memory they are not a capped integer). */
static void test_learn_wide_2_64_minus_1(void **state)
{
    (void)state;
    static const uint8_t want[16] = {0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff};
    check_immediate("\"0xffffffffffffffff\"", want, "18446744073709551615");
}

static void test_learn_small_integer(void **state)
{
    (void)state;
    static const uint8_t want[16] = {[14] = 0x12, [15] = 0x34};
    check_immediate("4660", want, "4660");
}

static void expect_refused(const char *src, const char *reason_part)
{
    struct ken_buf out = KEN_BUF_INIT;
    char why[KEN_WHY_LEN];
    json_object *msg = learn_msg(src);
    assert_int_equal(encode(msg, &out, why), KEN_OFPBAC_BAD_ARGUMENT);
    if (!strstr(why, reason_part))
        fail_msg("%s: reason \"%s\" lacks \"%s\"", src, why, reason_part);
    json_object_put(msg);
    ken_buf_free(&out);
}

/* json-c reads 2^128-1 as 2^64-1: never written as 2^64-1 in silence. */
static void test_learn_clamped_integer_refused(void **state)
{
    (void)state;
    expect_refused("340282366920938463463374607431768211455", "as a string");
    expect_refused("18446744073709551615", "as a string");
}

static void test_learn_bad_strings_refused(void **state)
{
    (void)state;
    expect_refused("\"0x100000000000000000000000000000000\"", "does not fit 16 bytes");
    expect_refused("\"340282366920938463463374607431768211456\"", "does not fit 16 bytes");
    expect_refused("\"12z\"", "whole number");
    expect_refused("\"0x\"", "whole number");
    expect_refused("1.5", "whole number");
    expect_refused("-1", "negative");
}

/* ---- OFPPropUnknown ---- */

/* A 1.5 role status with one property given as OFPPropUnknown (body). */
static int encode_unknown_prop(const char *body, char *why)
{
    char text[512];
    snprintf(text, sizeof text,
             "{\"OFPRoleStatus\": {\"role\": 2, \"reason\": 1, \"generation_id\": 9, \"properties\": "
             "[{\"OFPPropUnknown\": {%s}}]}}",
             body);
    json_object *msg = json_tokener_parse(text);
    assert_non_null(msg);
    struct ken_buf out = KEN_BUF_INIT;
    why[0] = 0;
    int err = ken_ofp_from_json(msg, KEN_OFP15, &out, why);
    json_object_put(msg);
    ken_buf_free(&out);
    return err;
}

static void test_prop_unknown_checks(void **state)
{
    (void)state;
    char why[KEN_WHY_LEN];
    /* buf: type 5, length 8, then 4 bytes (AAUACAECAwQ=) */
    assert_int_equal(encode_unknown_prop("\"type\": 5, \"length\": 8, \"buf\": \"AAUACAECAwQ=\"", why), 0);
    assert_int_equal(encode_unknown_prop("\"buf\": \"AAUACAECAwQ=\"", why), 0);
    assert_int_equal(encode_unknown_prop("\"type\": 6, \"buf\": \"AAUACAECAwQ=\"", why), KEN_OFPBPC_BAD_TYPE);
    assert_int_equal(encode_unknown_prop("\"length\": 12, \"buf\": \"AAUACAECAwQ=\"", why), KEN_OFPBPC_BAD_LEN);
    /* length 16 in a buf of 8 bytes; a buf of 2 bytes; no buf */
    assert_int_equal(encode_unknown_prop("\"buf\": \"AAUAEAECAwQ=\"", why), KEN_OFPBPC_BAD_LEN);
    assert_int_equal(encode_unknown_prop("\"buf\": \"AAU=\"", why), KEN_OFPBPC_BAD_LEN);
    assert_int_equal(encode_unknown_prop("\"type\": 5", why), KEN_OFPBPC_BAD_LEN);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_error_wire_pairs),
        cmocka_unit_test(test_error_types_exist),
        cmocka_unit_test(test_learn_wide_hex_string),
        cmocka_unit_test(test_learn_wide_decimal_string),
        cmocka_unit_test(test_learn_wide_2_64_minus_1),
        cmocka_unit_test(test_learn_small_integer),
        cmocka_unit_test(test_learn_clamped_integer_refused),
        cmocka_unit_test(test_learn_bad_strings_refused),
        cmocka_unit_test(test_prop_unknown_checks),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
