/* The multipart reply reassembly API (ken/ofp_multipart.h). */
#include <errno.h>
#include <json-c/json.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "ken/ofp_multipart.h"

enum { MP_DESC = 0, MP_TABLE = 3, MP_PORT = 4, TABLE_STATS_13_SIZE = 24 };

/* A reply of the given version and multipart type whose body is n table
 * stats entries of 1.3 (table_id = first_table + k), or n_bytes of zeros
 * when n is 0. */
static void make_reply(struct ken_buf *b, uint8_t version, uint32_t xid, uint16_t mp_type, uint16_t flags,
                       int n, uint8_t first_table, size_t n_bytes)
{
    size_t hdr = version == KEN_OFP10 ? 12 : 16;
    size_t body = n ? (size_t)n * TABLE_STATS_13_SIZE : n_bytes;
    ken_buf_clear(b);
    ken_buf_put8(b, version);
    ken_buf_put8(b, version == KEN_OFP10 ? 17 : 19);
    ken_buf_put16(b, (uint16_t)(hdr + body));
    ken_buf_put32(b, xid);
    ken_buf_put16(b, mp_type);
    ken_buf_put16(b, flags);
    if (hdr == 16)
        ken_buf_put32(b, 0);
    for (int k = 0; k < n; k++) {
        ken_buf_put8(b, (uint8_t)(first_table + k));
        ken_buf_put_zeros(b, 3);
        ken_buf_put32(b, 100u + (uint32_t)k); /* active_count */
        ken_buf_put64(b, 7);                  /* lookup_count */
        ken_buf_put64(b, 5);                  /* matched_count */
    }
    if (!n)
        ken_buf_put_zeros(b, n_bytes);
}

/* Each test gets a collector, a reply buffer and the last done flag. */
struct mp_test {
    struct ken_mp_collect *c;
    struct ken_buf b;
    bool done;
};

static int mp_test_open(void **state, size_t max_bytes)
{
    struct mp_test *t = calloc(1, sizeof *t);
    if (!t)
        return -1;
    t->c = ken_mp_collect_new(max_bytes);
    if (!t->c) {
        free(t);
        return -1;
    }
    *state = t;
    return 0;
}

static int mp_test_setup(void **state)
{
    return mp_test_open(state, 0);
}

/* room for one part of one entry and its bookkeeping, not one more of two */
static int mp_test_setup_capped(void **state)
{
    return mp_test_open(state, 2 * TABLE_STATS_13_SIZE + 8);
}

static int mp_test_teardown(void **state)
{
    struct mp_test *t = *state;
    ken_buf_free(&t->b);
    ken_mp_collect_free(t->c);
    free(t);
    return 0;
}

static int feed(struct mp_test *t)
{
    char why[KEN_WHY_LEN];
    return ken_mp_collect_feed(t->c, t->b.data, t->b.len, &t->done, why);
}

/* Builds a reply as make_reply() does and feeds it; returns the feed's result. */
static int send_part(struct mp_test *t, uint8_t version, uint32_t xid, uint16_t mp_type, uint16_t flags, int n,
                     uint8_t first_table, size_t n_bytes)
{
    make_reply(&t->b, version, xid, mp_type, flags, n, first_table, n_bytes);
    return feed(t);
}

static json_object *merged_json(struct ken_mp_collect *c, int expect_err)
{
    char why[KEN_WHY_LEN];
    json_object *out = NULL;
    assert_int_equal(ken_mp_collect_json(c, &out, why), expect_err);
    return out;
}

static json_object *reply_field(json_object *msg, const char *cls, const char *key)
{
    json_object *inner = NULL, *v = NULL;
    assert_true(json_object_object_get_ex(msg, cls, &inner));
    assert_true(json_object_object_get_ex(inner, key, &v));
    return v;
}

static void test_three_parts_merge(void **state)
{
    struct mp_test *t = *state;
    t->done = true;
    assert_int_equal(send_part(t, KEN_OFP13, 42, MP_TABLE, KEN_MP_REPLY_MORE, 2, 0, 0), 0);
    assert_false(t->done);
    assert_null(merged_json(t->c, EAGAIN));
    assert_int_equal(send_part(t, KEN_OFP13, 42, MP_TABLE, KEN_MP_REPLY_MORE, 1, 2, 0), 0);
    assert_false(t->done);
    assert_int_equal(send_part(t, KEN_OFP13, 42, MP_TABLE, 0, 3, 3, 0), 0);
    assert_true(t->done);
    assert_true(ken_mp_collect_done(t->c));
    assert_int_equal(ken_mp_collect_parts(t->c), 3);

    size_t len = 0;
    const uint8_t *body = ken_mp_collect_body(t->c, &len);
    assert_int_equal(len, 6 * TABLE_STATS_13_SIZE);
    for (int k = 0; k < 6; k++)
        assert_int_equal(body[k * TABLE_STATS_13_SIZE], k);

    json_object *msg = merged_json(t->c, 0);
    json_object *list = reply_field(msg, "OFPTableStatsReply", "body");
    assert_int_equal(json_object_array_length(list), 6);
    for (int k = 0; k < 6; k++) {
        json_object *entry = json_object_array_get_idx(list, (size_t)k);
        assert_int_equal(json_object_get_int(reply_field(entry, "OFPTableStats", "table_id")), k);
    }
    assert_int_equal(json_object_get_int(reply_field(msg, "OFPTableStatsReply", "flags")), 0);
    json_object_put(msg);
}

static void test_single_part(void **state)
{
    struct mp_test *t = *state;
    assert_int_equal(send_part(t, KEN_OFP13, 1, MP_TABLE, 0, 1, 9, 0), 0);
    assert_true(t->done);

    char why[KEN_WHY_LEN];
    json_object *direct = NULL;
    assert_int_equal(ken_ofp_to_json(t->b.data, t->b.len, &direct, why), 0);
    json_object *msg = merged_json(t->c, 0);
    assert_true(json_object_equal(msg, direct));
    json_object_put(msg);
    json_object_put(direct);
}

/* 1.2 replies are all OFPStatsReply; they merge the same way. */
static void test_of12_stats_reply(void **state)
{
    struct mp_test *t = *state;
    /* 1.2 port stats are 104 bytes each: send 2 + 1 entries of zeros */
    assert_int_equal(send_part(t, KEN_OFP12, 7, MP_PORT, KEN_MP_REPLY_MORE, 0, 0, 2 * 104), 0);
    assert_int_equal(send_part(t, KEN_OFP12, 7, MP_PORT, 0, 0, 0, 104), 0);
    assert_true(t->done);
    json_object *msg = merged_json(t->c, 0);
    assert_int_equal(json_object_array_length(reply_field(msg, "OFPStatsReply", "body")), 3);
    assert_int_equal(json_object_get_int(reply_field(msg, "OFPStatsReply", "type")), MP_PORT);
    json_object_put(msg);
}

/* 1.0 has a 12-byte statistics header; the bytes view covers it. */
static void test_of10_bytes(void **state)
{
    struct mp_test *t = *state;
    assert_int_equal(send_part(t, KEN_OFP10, 3, MP_PORT, KEN_MP_REPLY_MORE, 0, 0, 10), 0);
    assert_int_equal(send_part(t, KEN_OFP10, 3, MP_PORT, 0, 0, 0, 6), 0);
    assert_true(t->done);
    size_t len = 0;
    assert_non_null(ken_mp_collect_body(t->c, &len));
    assert_int_equal(len, 16);
}

static void test_type_change_is_an_error(void **state)
{
    struct mp_test *t = *state;
    assert_int_equal(send_part(t, KEN_OFP13, 5, MP_TABLE, KEN_MP_REPLY_MORE, 1, 0, 0), 0);
    assert_int_equal(send_part(t, KEN_OFP13, 5, MP_PORT, 0, 0, 0, 112), KEN_OFPBRC_BAD_MULTIPART);
    /* the collector was emptied and takes a new reply */
    assert_int_equal(ken_mp_collect_parts(t->c), 0);
    assert_int_equal(send_part(t, KEN_OFP13, 6, MP_PORT, 0, 0, 0, 112), 0);
    assert_true(t->done);
}

static void test_other_xid_or_version_is_an_error(void **state)
{
    struct mp_test *t = *state;
    assert_int_equal(send_part(t, KEN_OFP13, 5, MP_TABLE, KEN_MP_REPLY_MORE, 1, 0, 0), 0);
    assert_int_equal(send_part(t, KEN_OFP13, 8, MP_TABLE, 0, 1, 0, 0), KEN_OFPBRC_BAD_MULTIPART);
    assert_int_equal(send_part(t, KEN_OFP13, 5, MP_TABLE, KEN_MP_REPLY_MORE, 1, 0, 0), 0);
    assert_int_equal(send_part(t, KEN_OFP14, 5, MP_TABLE, 0, 1, 0, 0), KEN_OFPBRC_BAD_MULTIPART);
}

static void test_part_after_last_is_an_error(void **state)
{
    struct mp_test *t = *state;
    assert_int_equal(send_part(t, KEN_OFP13, 5, MP_TABLE, 0, 1, 0, 0), 0);
    assert_int_equal(feed(t), KEN_OFPBRC_BAD_MULTIPART);
    assert_false(ken_mp_collect_done(t->c));
}

/* runs with mp_test_setup_capped */
static void test_cap(void **state)
{
    struct mp_test *t = *state;
    assert_int_equal(send_part(t, KEN_OFP13, 5, MP_TABLE, KEN_MP_REPLY_MORE, 1, 0, 0), 0);
    assert_int_equal(send_part(t, KEN_OFP13, 5, MP_TABLE, KEN_MP_REPLY_MORE, 2, 1, 0), ENOBUFS);
    assert_int_equal(ken_mp_collect_parts(t->c), 0);
    size_t len = 1;
    assert_null(ken_mp_collect_body(t->c, &len));
    assert_int_equal(len, 0);
}

static void test_bad_messages(void **state)
{
    struct mp_test *t = *state;
    struct ken_buf *b = &t->b;
    char why[KEN_WHY_LEN];
    make_reply(b, KEN_OFP13, 5, MP_TABLE, 0, 1, 0, 0);
    b->data[1] = 18; /* a request */
    assert_int_equal(feed(t), KEN_OFPBRC_BAD_TYPE);
    make_reply(b, KEN_OFP13, 5, MP_TABLE, 0, 1, 0, 0);
    assert_int_equal(ken_mp_collect_feed(t->c, b->data, 20, &t->done, why), KEN_OFPBRC_BAD_LEN); /* cut short */
    assert_int_equal(ken_mp_collect_feed(t->c, b->data, 4, &t->done, why), KEN_OFPBRC_BAD_LEN);
    b->data[2] = 0;
    b->data[3] = 12; /* shorter than the multipart header */
    assert_int_equal(feed(t), KEN_OFPBRC_BAD_LEN);
    make_reply(b, KEN_OFP13, 5, MP_TABLE, 0, 1, 0, 0);
    b->data[0] = 9;
    assert_int_equal(feed(t), KEN_OFPBRC_BAD_VERSION);
    /* a part whose body does not decode: bytes are kept, JSON fails */
    assert_int_equal(send_part(t, KEN_OFP13, 5, MP_TABLE, 0, 0, 0, 23), 0);
    assert_null(merged_json(t->c, KEN_OFPBRC_BAD_LEN));
}

/* A desc reply has a single structure as body: several parts cannot merge
 * into JSON, but the bytes can be had. */
static void test_single_structure_body(void **state)
{
    struct mp_test *t = *state;
    assert_int_equal(send_part(t, KEN_OFP13, 5, MP_DESC, KEN_MP_REPLY_MORE, 0, 0, 1056), 0);
    assert_int_equal(send_part(t, KEN_OFP13, 5, MP_DESC, 0, 0, 0, 1056), 0);
    assert_null(merged_json(t->c, KEN_OFPBRC_BAD_MULTIPART));
    size_t len = 0;
    ken_mp_collect_body(t->c, &len);
    assert_int_equal(len, 2 * 1056);
    ken_mp_collect_reset(t->c);
    assert_int_equal(ken_mp_collect_parts(t->c), 0);
}

#define MP_TEST(fn) cmocka_unit_test_setup_teardown(fn, mp_test_setup, mp_test_teardown)

int main(void)
{
    const struct CMUnitTest tests[] = {
        MP_TEST(test_three_parts_merge),
        MP_TEST(test_single_part),
        MP_TEST(test_of12_stats_reply),
        MP_TEST(test_of10_bytes),
        MP_TEST(test_type_change_is_an_error),
        MP_TEST(test_other_xid_or_version_is_an_error),
        MP_TEST(test_part_after_last_is_an_error),
        cmocka_unit_test_setup_teardown(test_cap, mp_test_setup_capped, mp_test_teardown),
        MP_TEST(test_bad_messages),
        MP_TEST(test_single_structure_body),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
