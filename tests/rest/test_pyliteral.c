/* The Python-literal body parser of ofctl_rest (src/rest/pyliteral.c):
 * what it reads (JSON and what ast.literal_eval reads, as json-c
 * objects) and what it refuses, with where. The expected values are
 * Python's own (python3 -c 'import ast, json; print(json.dumps(ast.literal_eval(...)))')
 * with tuples and sets as lists. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <json-c/json.h>

#include "rest/pyliteral.h"

/* text parses, and its JSON (json-c, plain, sorted as written) is want. */
static void ok(const char *text, size_t len, const char *want)
{
    struct json_object *o = (struct json_object *)0x1;
    char why[KEN_WHY_LEN];
    bool r = pyliteral_parse(text, len, &o, why);
    if (!r)
        fail_msg("%s: refused: %s", text, why);
    const char *got = o ? json_object_to_json_string_ext(o, JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE)
                        : "null";
    if (strcmp(got, want))
        fail_msg("%s: got %s, want %s", text, got, want);
    json_object_put(o);
}
#define OK(text, want) ok(text, strlen(text), want)

/* text is refused, and the reason holds each of the want strings. */
static void bad(const char *text, size_t len, const char *want, const char *where)
{
    struct json_object *o = (struct json_object *)0x1;
    char why[KEN_WHY_LEN];
    if (pyliteral_parse(text, len, &o, why)) {
        fail_msg("%.*s: accepted as %s", (int)len, text, json_object_to_json_string(o));
    }
    assert_null(o);
    if (!strstr(why, want))
        fail_msg("%.*s: reason \"%s\" lacks \"%s\"", (int)len, text, why, want);
    if (where && !strstr(why, where))
        fail_msg("%.*s: reason \"%s\" lacks \"%s\"", (int)len, text, why, where);
}
#define BAD(text, want, where) bad(text, strlen(text), want, where)

static void test_json(void **state)
{
    (void)state;
    OK("{}", "{}");
    OK("{\"dpid\": 1, \"match\": {\"in_port\": 1}, \"actions\": [{\"type\": \"OUTPUT\", \"port\": 2}]}",
       "{\"dpid\":1,\"match\":{\"in_port\":1},\"actions\":[{\"type\":\"OUTPUT\",\"port\":2}]}");
    OK("[1, -2, 3.5, true, false, null, \"x\"]", "[1,-2,3.5,true,false,null,\"x\"]");
    OK("  \n\t{\"a\" : [ ] }\n\n", "{\"a\":[]}");
    OK("\"\\u00e9\\n\\t\\\"\\\\\\/\"", "\"é\\n\\t\\\"\\\\/\"");
    OK("\"\\ud83d\\ude00\"", "\"\xf0\x9f\x98\x80\""); /* a pair is one character (JSON) */
    OK("-0", "0");
    OK("1e3", "1000.0");
    OK("18446744073709551615", "18446744073709551615");
    OK("-9223372036854775808", "-9223372036854775808");
    OK("null", "null");
    OK("{\"a\": 1, \"a\": 2}", "{\"a\":2}"); /* the last one wins, as in both */
}

static void test_python(void **state)
{
    (void)state;
    OK("{'dpid': 1, 'priority': 10}", "{\"dpid\":1,\"priority\":10}");
    OK("{'a': True, 'b': False, 'c': None}", "{\"a\":true,\"b\":false,\"c\":null}");
    OK("(1, 2)", "[1,2]");
    OK("(1,)", "[1]");
    OK("()", "[]");
    OK("(1)", "1");
    OK("((('x')))", "\"x\"");
    OK("{1, 2}", "[1,2]");
    OK("[1, 2,]", "[1,2]");
    OK("{'a': 1,}", "{\"a\":1}");
    OK("0x1F", "31");
    OK("0o17", "15");
    OK("0b101", "5");
    OK("1_000", "1000");
    OK("0x_ff", "255");
    OK("000", "0");
    OK("+5", "5");
    OK("- 5", "-5");
    OK("-0x10", "-16");
    OK(".5", "0.5");
    OK("1.", "1.0");
    OK("1_0.5e1", "105.0");
    OK("'it''s'", "\"its\"");
    OK("'a' \"b\" '''c'''", "\"abc\"");
    OK("'''x\ny'''", "\"x\\ny\"");
    OK("\"\"\"q\"q\"\"\"", "\"q\\\"q\"");
    OK("'\\x41\\101\\u0042\\U00000043'", "\"AABC\"");
    OK("'\\q'", "\"\\\\q\""); /* an unknown escape keeps its backslash */
    OK("r'\\n\\''", "\"\\\\n\\\\'\"");
    OK("b'\\x00A'", "\"\\u0000A\"");
    OK("B'\\u'", "\"\\\\u\"");
    OK("u'x'", "\"x\"");
    OK("Rb'\\d'", "\"\\\\d\"");
    OK("'line \\\ncontinued'", "\"line continued\"");
    OK("{'a': 1, # a comment\n 'b': 2}", "{\"a\":1,\"b\":2}");
    OK("'é'", "\"é\"");
    OK("'\\udcff'", "\"\xff\""); /* ken's surrogateescape reading */
    OK("{'data': b'\\x01\\x02', 'data_type': 'ascii'}", "{\"data\":\"\\u0001\\u0002\",\"data_type\":\"ascii\"}");
}

static void test_refused(void **state)
{
    (void)state;
    BAD("", "the text ends", "line 1, column 1");
    BAD("   ", "the text ends", NULL);
    BAD("{", "the text ends", NULL);
    BAD("{'a' 1}", "',', ':' or '}' expected", "line 1, column 6");
    BAD("{'a': 1, 'b' 2}", "':' expected after a dict key", "column 14");
    BAD("{'a': 1\n 'b': 2}", "',' or '}' expected", "line 2, column 2");
    BAD("[1 2]", "',' or ']' expected", "column 4");
    BAD("{1: 2}", "a dict key must be a string", "column 2");
    BAD("{'a': 1, 2: 3}", "a dict key must be a string", "column 10");
    BAD("{'a\\x00b': 1}", "NUL", NULL);
    BAD("{'a': 1} x", "unexpected text after the value", "column 10");
    BAD("nan", "unknown name 'nan'", NULL);
    BAD("Infinity", "unknown name", NULL);
    BAD("os.system('x')", "unknown name 'os'", NULL);
    BAD("__import__('os')", "unknown name", NULL);
    BAD("1 + 2", "unexpected text", NULL);
    BAD("1j", "complex", NULL);
    BAD("1+2j", "unexpected text", NULL);
    BAD("01", "leading zeros", NULL);
    BAD("1__0", "misplaced '_'", NULL);
    BAD("1_", "misplaced '_'", NULL);
    BAD("0x", "without digits", NULL);
    BAD("0b102", "unexpected character", NULL);
    BAD("1e", "exponent without digits", NULL);
    BAD("1e999", "too large", NULL);
    BAD("18446744073709551616", "past 64 bits", NULL);
    BAD("-9223372036854775809", "past 64 bits", NULL);
    BAD("--1", "a sign is allowed before a number only", NULL);
    BAD("-'x'", "a sign", NULL);
    BAD("'abc", "unterminated string", "column 1");
    BAD("'a\nb'", "unterminated string", NULL);
    BAD("'''abc''", "unterminated string", NULL);
    BAD("'\\x4'", "truncated \\x escape", NULL);
    BAD("'\\u12'", "truncated \\u escape", NULL);
    BAD("'\\U00110000'", "past U+10FFFF", NULL);
    BAD("'\\ud800'", "lone surrogate", NULL);
    BAD("'\\N{DASH}'", "\\N{...}", NULL);
    BAD("f'x'", "not a string prefix", NULL);
    BAD("ur'x'", "not a string prefix", NULL);
    BAD("b'\xc3\xa9'", "ASCII", NULL);
    BAD("b'\\777'", "past \\377", NULL);
    BAD("'a' b'b'", "cannot join bytes and text", NULL);
    BAD("\"\xff\"", "not UTF-8", "column 2");
    BAD("\"\xc0\x80\"", "not UTF-8", NULL); /* overlong */
    BAD("\"\xed\xa0\x80\"", "not UTF-8", NULL); /* a surrogate */
    bad("{\"a\0\": 1}", 9, "NUL byte", "column 4");
    BAD("@", "unexpected character '@'", NULL);
    BAD("\x01", "unexpected byte 0x01", NULL);
    BAD("(1 2)", "',' or ')' expected", NULL);
    BAD("{1 2}", "',', ':' or '}' expected", NULL);
}

/* Nesting up to the limit parses; one more is refused (no deep
 * recursion), whatever the brackets. */
static void test_depth(void **state)
{
    (void)state;
    const char open[] = "[({", close[] = "])}";
    for (int k = 0; k < 3; k++) {
        for (int extra = 0; extra <= 1; extra++) {
            int n = PYLITERAL_MAX_DEPTH + extra;
            char *s = malloc((size_t)n * 2 + 8);
            size_t len = 0;
            for (int i = 0; i < n; i++)
                s[len++] = open[k];
            s[len++] = '1';
            if (k == 1)
                s[len++] = ','; /* a tuple, not parentheses */
            for (int i = 0; i < n; i++)
                s[len++] = close[k];
            struct json_object *o;
            char why[KEN_WHY_LEN];
            bool r = pyliteral_parse(s, len, &o, why);
            if (extra) {
                assert_false(r);
                assert_non_null(strstr(why, "nested deeper than"));
            } else {
                assert_true(r);
                json_object_put(o);
            }
            free(s);
        }
    }
    /* Far deeper input fails fast too (and does not overflow the stack). */
    size_t n = 1000000;
    char *s = malloc(n);
    memset(s, '[', n);
    struct json_object *o;
    char why[KEN_WHY_LEN];
    assert_false(pyliteral_parse(s, n, &o, why));
    free(s);
}

/* Every prefix of valid texts is refused or parsed, never more than the
 * text (the sanitizers watch the reads). */
static void test_prefixes(void **state)
{
    (void)state;
    static const char *const texts[] = {
        "{'a': [1, 2.5e-3, (3,), {4}], \"b\": r'\\x', 'c': b'\\x00', 'd': 0x_1f, 'e': None}",
        "'''a\\\nb''' 'c' # end",
        "\"\\ud83d\\ude00\\udc80\\u00e9\"",
    };
    for (size_t t = 0; t < sizeof texts / sizeof texts[0]; t++) {
        size_t len = strlen(texts[t]);
        for (size_t i = 0; i <= len; i++) {
            char *copy = malloc(i ? i : 1); /* exact size: no NUL after it */
            memcpy(copy, texts[t], i);
            struct json_object *o;
            char why[KEN_WHY_LEN];
            if (pyliteral_parse(copy, i, &o, why))
                json_object_put(o);
            else
                assert_non_null(strstr(why, "at line"));
            free(copy);
        }
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_json),
        cmocka_unit_test(test_python),
        cmocka_unit_test(test_refused),
        cmocka_unit_test(test_depth),
        cmocka_unit_test(test_prefixes),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
