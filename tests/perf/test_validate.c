/* ken_ofp_validate agrees with ken_ofp_to_json: the same error (0 for a
 * good message) and the same reason, for every message of the given
 * directories (NAME.hex: hex text, # comments; NAME.packet: raw bytes;
 * searched recursively), every truncation of it and every single-byte
 * corruption of its first bytes (hostile input, where the two walks must
 * fail alike).
 *
 *     test-validate DIR...        exit 0 when they agree everywhere */
#include <ctype.h>
#include <dirent.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include <json-c/json.h>

#include "ken/buf.h"
#include "ken/ofp.h"

/* Corrupted positions per message: the header and the fixed part that the
 * tables describe. Truncations: every cut within the first TRUNCATE_ALL
 * bytes and the last ones, then every TRUNCATE_STEP-th. */
#define CORRUPT_BYTES 48
#define TRUNCATE_ALL 24
#define TRUNCATE_STEP 7

static unsigned long checked, disagreed;

static bool read_file(const char *path, struct ken_buf *out)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return false;
    uint8_t chunk[4096];
    size_t n;
    while ((n = fread(chunk, 1, sizeof chunk, f)) > 0)
        ken_buf_put(out, chunk, n);
    fclose(f);
    return true;
}

/* Hex text (whitespace and # comments ignored) into bytes. */
static void hex_to_bytes(const struct ken_buf *text, struct ken_buf *out)
{
    int hi = -1;
    for (size_t i = 0; i < text->len; i++) {
        int c = text->data[i];
        if (c == '#') {
            while (i < text->len && text->data[i] != '\n')
                i++;
            continue;
        }
        if (!isxdigit(c))
            continue;
        int v = isdigit(c) ? c - '0' : tolower(c) - 'a' + 10;
        if (hi < 0) {
            hi = v;
        } else {
            ken_buf_put8(out, (uint8_t)(hi << 4 | v));
            hi = -1;
        }
    }
}

static void compare(const char *name, const uint8_t *p, size_t n, const char *what)
{
    char why_json[KEN_WHY_LEN], why_check[KEN_WHY_LEN];
    json_object *json = NULL;
    int err_json = ken_ofp_to_json(p, n, &json, why_json);
    json_object_put(json);
    int err_check = ken_ofp_validate(p, n, why_check);
    checked++;
    if (err_json == err_check && (!err_json || !strcmp(why_json, why_check)))
        return;
    if (disagreed++ < 20)
        fprintf(stderr, "%s (%s, %zu bytes): to_json %s \"%s\", validate %s \"%s\"\n", name, what, n,
                ken_err_name(err_json), why_json, ken_err_name(err_check), why_check);
}

/* Nanoseconds per call of each, over the messages as they are. */
static double ns_json, ns_validate;

static double now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1e9 + ts.tv_nsec;
}

static void time_message(const uint8_t *p, size_t n)
{
    enum { ROUNDS = 5 };
    char why[KEN_WHY_LEN];
    double t0 = now_ns();
    for (int i = 0; i < ROUNDS; i++) {
        json_object *json = NULL;
        ken_ofp_to_json(p, n, &json, why);
        json_object_put(json);
    }
    double t1 = now_ns();
    for (int i = 0; i < ROUNDS; i++)
        ken_ofp_validate(p, n, why);
    ns_json += (t1 - t0) / ROUNDS;
    ns_validate += (now_ns() - t1) / ROUNDS;
}

static void check_message(const char *name, const uint8_t *p, size_t n)
{
    compare(name, p, n, "as is");
    time_message(p, n);
    for (size_t cut = 0; cut < n; cut++)
        if (cut < TRUNCATE_ALL || cut + TRUNCATE_ALL > n || cut % TRUNCATE_STEP == 0)
            compare(name, p, cut, "truncated");
    uint8_t *copy = malloc(n);
    memcpy(copy, p, n);
    for (size_t at = 0; at < n && at < CORRUPT_BYTES; at++) {
        const uint8_t values[] = {0x00, 0xff, p[at] ^ 0x80};
        for (size_t v = 0; v < sizeof values; v++) {
            copy[at] = values[v];
            compare(name, copy, n, "corrupted");
        }
        copy[at] = p[at];
    }
    free(copy);
}

static bool has_suffix(const char *s, const char *suffix)
{
    size_t ls = strlen(s), lx = strlen(suffix);
    return ls >= lx && !strcmp(s + ls - lx, suffix);
}

static void walk(const char *dir)
{
    DIR *d = opendir(dir);
    if (!d)
        return;
    struct dirent *e;
    while ((e = readdir(d))) {
        if (e->d_name[0] == '.')
            continue;
        char path[4096];
        snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
        struct stat st;
        if (stat(path, &st))
            continue;
        if (S_ISDIR(st.st_mode)) {
            walk(path);
            continue;
        }
        bool hex = has_suffix(path, ".hex"), raw = has_suffix(path, ".packet");
        if (!hex && !raw)
            continue;
        struct ken_buf file = KEN_BUF_INIT, bytes = KEN_BUF_INIT;
        if (read_file(path, &file)) {
            if (hex)
                hex_to_bytes(&file, &bytes);
            else
                ken_buf_put(&bytes, file.data, file.len);
            check_message(path, bytes.data, bytes.len);
        }
        ken_buf_free(&file);
        ken_buf_free(&bytes);
    }
    closedir(d);
}

int main(int argc, char **argv)
{
    /* The project's vectors (the first directory) must be there; the
     * shared corpus after it is optional and is said to be absent. */
    for (int i = 1; i < argc; i++) {
        struct stat st;
        if (stat(argv[i], &st) || !S_ISDIR(st.st_mode)) {
            if (i == 1) {
                fprintf(stderr, "vector directory %s not found\n", argv[i]);
                return 1;
            }
            printf("SKIP: %s not found: the shared OpenFlow corpus is absent\n", argv[i]);
            continue;
        }
        walk(argv[i]);
    }
    printf("%lu inputs checked, %lu disagreements; whole messages: to_json %.0f ns, validate %.0f ns in all\n",
           checked, disagreed, ns_json, ns_validate);
    return disagreed || !checked ? 1 : 0;
}
