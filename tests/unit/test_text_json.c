/* Text fields with bytes that are not UTF-8 (a port name 0xff 0xfe "ab",
 * desc strings with cut or overlong sequences). ken's JSON text must be
 * valid UTF-8, must equal OS-Ken's to_jsondict() for the same bytes, and
 * must encode back to the same bytes. OS-Ken's to_jsondict() raises on such
 * a byte (its string types decode strictly), so the expectation is OS-Ken's
 * parse with its string types decoding the way Python keeps undecodable
 * bytes (surrogateescape), computed at test time by /usr/bin/python3. */
#include <json-c/json.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "ken/ofp.h"

struct msg {
    uint8_t b[1200];
    size_t n;
};

static void put_header(struct msg *m, uint8_t version, uint8_t type, size_t len)
{
    memset(m->b, 0, sizeof m->b);
    m->b[0] = version;
    m->b[1] = type;
    m->b[2] = (uint8_t)(len >> 8);
    m->b[3] = (uint8_t)len;
    m->n = len; /* xid 0: the JSON carries none, so encoding gives the same bytes */
}

static const char name_ff_fe[] = "\xff\xfe" "ab";
static const char name_mixed[] = "caf\xc3\xa9\xe2\x82x";

/* OpenFlow 1.3 port-status: reason at 8, the 64-byte port at 16. */
static void port_status_13(struct msg *m, const char *name)
{
    put_header(m, 4, 12, 80);
    m->b[16 + 3] = 1;
    memcpy(m->b + 16 + 8, "\x02\x00\x00\x00\x00\x01", 6);
    memcpy(m->b + 16 + 16, name, strlen(name));
}

/* OpenFlow 1.0 port-status: the 48-byte port at 16, name at 8 in it. */
static void port_status_10(struct msg *m, const char *name)
{
    put_header(m, 1, 12, 64);
    m->b[16 + 1] = 2;
    memcpy(m->b + 16 + 8, name, strlen(name));
}

/* OpenFlow 1.3 desc multipart reply: five strings. */
static void desc_reply_13(struct msg *m)
{
    static const char *const strs[] = {"\xc3\xa9t\xe9", "\xed\xa0\x80 surrogate", "\xf4\x90\x80\x80 too high",
                                       "\xc0\xaf", "\x80\"\\/\n\t\x01 end"};
    static const size_t sizes[] = {256, 256, 256, 32, 256};
    put_header(m, 4, 19, 16 + 1056);
    m->b[8] = 0;
    m->b[9] = 0; /* OFPMP_DESC */
    size_t at = 16;
    for (int i = 0; i < 5; i++) {
        memcpy(m->b + at, strs[i], strlen(strs[i]));
        at += sizes[i];
    }
}

/* OpenFlow 1.0 table stats reply: one 64-byte entry, name at 4. */
static void table_stats_10(struct msg *m)
{
    put_header(m, 1, 17, 12 + 64);
    m->b[8] = 0;
    m->b[9] = 3; /* OFPST_TABLE */
    memcpy(m->b + 12 + 4, "\xfftable\xf0\x9f\x92\xa9", 10);
}

static int utf8_strict(const char *s)
{
    /* a stricter judge than ken's: Python's own UTF-8 decoder */
    FILE *p = popen("/usr/bin/python3 -c 'import sys; sys.stdin.buffer.read().decode()'", "w");
    assert_non_null(p);
    fputs(s, p);
    return pclose(p);
}

static const char oracle[] =
    "import json, sys\n"
    "from os_ken.lib import stringify\n"
    "from os_ken.ofproto import ofproto_parser\n"
    "def keep(v):\n"
    "    return v if isinstance(v, str) else v.decode('utf-8', 'surrogateescape')\n"
    "stringify.AsciiStringType.encode = staticmethod(keep)\n"
    "stringify.Utf8StringType.encode = staticmethod(keep)\n"
    "bad = 0\n"
    "for line in open(sys.argv[1], encoding='utf-8'):\n"
    "    hexmsg, ken = line.rstrip('\\n').split('\\t', 1)\n"
    "    buf = bytes.fromhex(hexmsg)\n"
    "    m = ofproto_parser.msg(None, buf[0], buf[1], len(buf), 0, buf)\n"
    "    want = json.loads(json.dumps(m.to_jsondict()))\n"
    "    if json.loads(ken) != want:\n"
    "        print('ken:   ', ken, '\\nos-ken:', json.dumps(want), file=sys.stderr)\n"
    "        bad += 1\n"
    "sys.exit(1 if bad else 0)\n";

static void test_against_osken(void **state)
{
    (void)state;
    struct msg msgs[5];
    port_status_13(&msgs[0], name_ff_fe);
    port_status_13(&msgs[1], name_mixed);
    port_status_10(&msgs[2], name_mixed);
    desc_reply_13(&msgs[3]);
    table_stats_10(&msgs[4]);
    char path[] = "/tmp/ken-text-json-XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    FILE *f = fdopen(fd, "w");
    assert_non_null(f);
    for (size_t i = 0; i < sizeof msgs / sizeof *msgs; i++) {
        json_object *j = NULL;
        char why[KEN_WHY_LEN];
        assert_int_equal(ken_ofp_to_json(msgs[i].b, msgs[i].n, &j, why), 0);
        const char *text = json_object_to_json_string_ext(j, JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE);
        if (utf8_strict(text))
            fail_msg("message %zu: ken's JSON is not UTF-8: %s", i, text);
        /* The text encodes back to the same bytes. */
        json_object *back = ken_ofp_json_parse(text, strlen(text), why);
        assert_non_null(back);
        struct ken_buf out = KEN_BUF_INIT;
        if (ken_ofp_from_json(back, msgs[i].b[0], &out, why))
            fail_msg("message %zu does not encode back: %s", i, why);
        assert_int_equal(out.len, msgs[i].n);
        assert_memory_equal(out.data, msgs[i].b, msgs[i].n);
        /* And so does the decoder's JSON itself, without the text. */
        ken_buf_clear(&out);
        assert_int_equal(ken_ofp_from_json(j, msgs[i].b[0], &out, why), 0);
        assert_memory_equal(out.data, msgs[i].b, msgs[i].n);
        ken_buf_free(&out);
        json_object_put(back);
        for (size_t k = 0; k < msgs[i].n; k++)
            fprintf(f, "%02x", msgs[i].b[k]);
        fprintf(f, "\t%s\n", text);
        json_object_put(j);
    }
    fclose(f);
    char cmd[256];
    snprintf(cmd, sizeof cmd, "/usr/bin/python3 - %s", path);
    FILE *py = popen(cmd, "w");
    assert_non_null(py);
    fputs(oracle, py);
    int rc = pclose(py);
    unlink(path);
    assert_int_equal(rc, 0);
}

/* The escapes ken_ofp_json_parse reads back, and those it leaves alone. */
static void test_parse_escapes(void **state)
{
    (void)state;
    static const struct {
        const char *json, *want;
        size_t want_len;
    } cases[] = {
        {"\"\\udcff\\udc80a\"", "\xff\x80" "a", 3},
        {"\"\\uDCFE\"", "\xfe", 1},
        {"\"\\\\udcff\"", "\\udcff", 6},        /* an escaped backslash, then text */
        {"\"\\ud83d\\udca9\"", "\xf0\x9f\x92\xa9", 4}, /* a pair: one character */
        {"\"\\udc7f\"", "\xef\xbf\xbd", 3},      /* not a byte above 0x7f: json-c's U+FFFD */
        {"\"\\u00e9\"", "\xc3\xa9", 2},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        char why[KEN_WHY_LEN];
        json_object *j = ken_ofp_json_parse(cases[i].json, strlen(cases[i].json), why);
        assert_non_null(j);
        assert_int_equal(json_object_get_string_len(j), cases[i].want_len);
        assert_memory_equal(json_object_get_string(j), cases[i].want, cases[i].want_len);
        json_object_put(j);
    }
    char why[KEN_WHY_LEN];
    assert_null(ken_ofp_json_parse("{\"a\": ", 6, why));
    assert_string_not_equal(why, "");
    assert_null(ken_ofp_json_parse("{} x", 4, why));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_against_osken),
        cmocka_unit_test(test_parse_escapes),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
