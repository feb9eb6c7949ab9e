/* libFuzzer target: the typed codec (ken/ofp_typed.h) against the table
 * codec (ken_ofp_to_json). For any bytes:
 * - both accept or both reject (a message the description lays out that
 *   ken_ofp_validate accepts must decode to its struct);
 * - the struct encodes again, and the table codec reads the same JSON from
 *   the new bytes as from the input: every field survives the struct.
 * A disagreement aborts with the input and both sides printed. The
 * struct's normal forms are not disagreements: see normal_form.h. */
#include <errno.h>
#include <json-c/json.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ken/ofp.h"
#include "ken/ofp_typed.h"
#include "ken/wire.h"
#include "normal_form.h"

static const uint8_t *in_data;
static size_t in_size;

__attribute__((noreturn)) static void disagree(const char *what, const char *why, json_object *a, json_object *b)
{
    fprintf(stderr, "fuzz-typed: %s%s%s\ninput:", what, why && why[0] ? ": " : "", why ? why : "");
    for (size_t i = 0; i < in_size; i++)
        fprintf(stderr, "%02x", in_data[i]);
    fprintf(stderr, "\ntable: %s\n", a ? json_object_to_json_string(a) : "(none)");
    fprintf(stderr, "typed: %s\n", b ? json_object_to_json_string(b) : "(none)");
    abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    in_data = data;
    in_size = size;
    if (size < 8 || wire_get16(data + 2) > size || wire_get16(data + 2) < 8)
        return 0; /* truncated: the table codec shows what it can, the typed one wants the whole message */
    size = wire_get16(data + 2);
    char why[KEN_WHY_LEN];
    int verr = ken_ofp_validate(data, size, why);
    struct ken_arena a = KEN_ARENA_INIT;
    enum ken_ofp_class cls;
    void *msg;
    int terr = ken_ofp_decode(data, size, &a, &cls, &msg, why);
    if (terr == EPROTONOSUPPORT || terr == ENOMEM) {
        ken_arena_free(&a);
        return 0; /* no typed layout (the table codec reads it alone) */
    }
    if ((verr == 0) != (terr == 0))
        disagree(verr ? "the typed codec accepts what the table codec rejects"
                      : "the typed codec rejects what the table codec accepts",
                 why, NULL, NULL);
    if (terr) {
        ken_arena_free(&a);
        return 0;
    }
    struct ken_buf b = KEN_BUF_INIT;
    int eerr = ken_ofp_encode(&b, data[0], wire_get32(data + 4), cls, msg, why);
    if (eerr && !(eerr == EPROTONOSUPPORT && strstr(why, "ports")))
        disagree("a decoded struct does not encode again", why, NULL, NULL);
    if (!eerr) {
        json_object *want = NULL, *got = NULL;
        char why2[KEN_WHY_LEN];
        if (ken_ofp_to_json(data, size, &want, why) || ken_ofp_to_json(b.data, b.len, &got, why2))
            disagree("the table codec does not read the typed codec's bytes", why2, want, got);
        ofp_normal_form(want);
        ofp_normal_form(got);
        if (!json_object_equal(want, got))
            disagree("a field changed through the struct", NULL, want, got);
        json_object_put(want);
        json_object_put(got);
    }
    ken_buf_free(&b);
    ken_arena_free(&a);
    return 0;
}
