/* The project's own OpenFlow test vectors (tests/vectors): every
 * ofNN/NAME.hex decodes to NAME.json, NAME.json encodes back to the same
 * bytes (also with every "len"/"length" removed), and every
 * malformed/NAME.hex fails with the error named in NAME.err. */
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <json-c/json.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "ken/ofp.h"

static const char *vec_dir;

static char *slurp(const char *path, size_t *n)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    fseek(f, 0, SEEK_END);
    long sz = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *s = malloc((size_t)sz + 1);
    size_t got = fread(s, 1, (size_t)sz, f);
    fclose(f);
    s[got] = 0;
    if (n)
        *n = got;
    return s;
}

static int load_hex(const char *path, struct ken_buf *out)
{
    char *s = slurp(path, NULL);
    if (!s)
        return -1;
    int hi = -1;
    for (char *c = s; *c; c++) {
        if (*c == '#') { /* comment to end of line */
            while (*c && *c != '\n')
                c++;
            if (!*c)
                break;
            continue;
        }
        if (!isxdigit((unsigned char)*c))
            continue;
        int v = isdigit((unsigned char)*c) ? *c - '0' : tolower(*c) - 'a' + 10;
        if (hi < 0)
            hi = v;
        else {
            ken_buf_put8(out, (uint8_t)(hi << 4 | v));
            hi = -1;
        }
    }
    free(s);
    return hi < 0 ? 0 : -1;
}

static void strip_lengths(json_object *o)
{
    if (json_object_is_type(o, json_type_object)) {
        json_object_object_del(o, "len");
        json_object_object_del(o, "length");
        json_object_object_foreach(o, k, v)
        {
            (void)k;
            strip_lengths(v);
        }
    } else if (json_object_is_type(o, json_type_array)) {
        for (size_t i = 0; i < json_object_array_length(o); i++)
            strip_lengths(json_object_array_get_idx(o, i));
    }
}

static int check_encode(json_object *expect, uint8_t version, const struct ken_buf *bytes, const char *what,
                        const char *name)
{
    struct ken_buf out = KEN_BUF_INIT;
    char why[KEN_WHY_LEN];
    int err = ken_ofp_from_json(expect, version, &out, why);
    int bad = 0;
    if (err) {
        print_message("FAIL %s [%s]: %s: %s\n", name, what, ken_err_name(err), why);
        bad = 1;
    } else if (out.len != bytes->len || memcmp(out.data, bytes->data, out.len)) {
        print_message("FAIL %s [%s]: %zu bytes, expected %zu\n", name, what, out.len, bytes->len);
        bad = 1;
    }
    ken_buf_free(&out);
    return bad;
}

static int run_case(const char *dir, const char *base, uint8_t version)
{
    char path[2048];
    struct ken_buf bytes = KEN_BUF_INIT;
    int bad = 0;
    snprintf(path, sizeof path, "%s/%s.hex", dir, base);
    if (load_hex(path, &bytes)) {
        print_message("FAIL %s: bad hex\n", path);
        return 1;
    }
    snprintf(path, sizeof path, "%s/%s.json", dir, base);
    json_object *expect = json_object_from_file(path);
    if (!expect) {
        print_message("FAIL %s: missing or bad JSON\n", path);
        ken_buf_free(&bytes);
        return 1;
    }
    json_object *got = NULL;
    char why[KEN_WHY_LEN];
    int err = ken_ofp_to_json(bytes.data, bytes.len, &got, why);
    if (err) {
        print_message("FAIL %s/%s [decode]: %s: %s\n", dir, base, ken_err_name(err), why);
        bad = 1;
    } else if (!json_object_equal(got, expect)) {
        print_message("FAIL %s/%s [decode]:\n  got    %s\n  expect %s\n", dir, base,
                      json_object_to_json_string(got), json_object_to_json_string(expect));
        bad = 1;
    }
    json_object_put(got);
    bad |= check_encode(expect, version, &bytes, "encode", base);
    strip_lengths(expect);
    bad |= check_encode(expect, version, &bytes, "encode-nolen", base);
    json_object_put(expect);
    ken_buf_free(&bytes);
    return bad;
}

static int run_malformed(const char *dir, const char *base)
{
    char path[2048];
    struct ken_buf bytes = KEN_BUF_INIT;
    snprintf(path, sizeof path, "%s/%s.hex", dir, base);
    if (load_hex(path, &bytes)) {
        print_message("FAIL %s: bad hex\n", path);
        return 1;
    }
    snprintf(path, sizeof path, "%s/%s.err", dir, base);
    char *want = slurp(path, NULL);
    if (!want) {
        print_message("FAIL %s: missing\n", path);
        ken_buf_free(&bytes);
        return 1;
    }
    want[strcspn(want, " \r\n")] = 0;
    json_object *got = NULL;
    char why[KEN_WHY_LEN];
    int err = ken_ofp_to_json(bytes.data ? bytes.data : (const uint8_t *)"", bytes.len, &got, why);
    json_object_put(got);
    int bad = 0;
    if (!err || strcmp(ken_err_name(err), want)) {
        print_message("FAIL malformed/%s: got %s (%s), expected %s\n", base, err ? ken_err_name(err) : "success",
                      why, want);
        bad = 1;
    } else if (!why[0]) {
        print_message("FAIL malformed/%s: no reason given\n", base);
        bad = 1;
    }
    free(want);
    ken_buf_free(&bytes);
    return bad;
}

typedef int (*case_fn)(const char *dir, const char *base, uint8_t version);

static void walk(const char *sub, uint8_t version, int malformed, int *n, int *failed)
{
    char dir[1024];
    snprintf(dir, sizeof dir, "%s/%s", vec_dir, sub);
    DIR *d = opendir(dir);
    if (!d) {
        /* A missing directory is a failure, never a smaller run. */
        print_error("vector directory %s: %s\n", dir, strerror(errno));
        (*failed)++;
        return;
    }
    struct dirent *e;
    while ((e = readdir(d))) {
        size_t l = strlen(e->d_name);
        if (l < 5 || strcmp(e->d_name + l - 4, ".hex"))
            continue;
        char base[512];
        snprintf(base, sizeof base, "%.*s", (int)(l - 4), e->d_name);
        (*n)++;
        *failed += malformed ? run_malformed(dir, base) : run_case(dir, base, version);
    }
    closedir(d);
}

static void test_vectors(void **state)
{
    (void)state;
    static const struct {
        const char *dir;
        uint8_t version;
    } dirs[] = {{"of10", 1}, {"of12", 3}, {"of13", 4}, {"of14", 5}, {"of15", 6}};
    int n = 0, failed = 0;
    for (size_t i = 0; i < sizeof dirs / sizeof dirs[0]; i++)
        walk(dirs[i].dir, dirs[i].version, 0, &n, &failed);
    walk("malformed", 0, 1, &n, &failed);
    print_message("%d vectors, %d failed\n", n, failed);
    assert_true(n > 0);
    assert_int_equal(failed, 0);
}

int main(int argc, char **argv)
{
    vec_dir = argc > 1 ? argv[1] : "tests/vectors";
    const struct CMUnitTest tests[] = {cmocka_unit_test(test_vectors)};
    return cmocka_run_group_tests(tests, NULL, NULL);
}
