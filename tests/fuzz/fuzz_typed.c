/* libFuzzer target: the typed codec (ken/ofp_typed.h) against the table
 * codec (ken_ofp_to_json). For any bytes:
 * - both accept or both reject (a message the description lays out that
 *   ken_ofp_validate accepts must decode to its struct);
 * - the struct encodes again, and the table codec reads the same JSON from
 *   the new bytes as from the input: every field survives the struct.
 * A disagreement aborts with the input and both sides printed. The
 * struct's normal forms are not disagreements: see normalize(). */
#include <errno.h>
#include <json-c/json.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ken/ofp.h"
#include "ken/ofp_typed.h"
#include "ken/wire.h"

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

/* 1.0's match carries values under its wildcards, which mean nothing and
 * which the struct (OXM fields: a wildcarded field is absent) drops; and it
 * says "any address" with any nw_src/nw_dst wildcard count of 32 or more,
 * which the struct writes as 63 (OFPFW_ALL's). Both sides are brought to
 * one form before comparing: wildcarded values zero, masked address bits
 * zero, counts over 32 as 32, no wildcard bits above OFPFW_ALL's, nw_tos
 * without its two ECN bits (1.0 matches the DSCP only). */
static void zero_key(json_object *o, const char *key, bool wild)
{
    json_object *v;
    if (!wild || !json_object_object_get_ex(o, key, &v))
        return;
    if (json_object_is_type(v, json_type_string))
        json_object_object_add(o, key, json_object_new_string(strchr(json_object_get_string(v), '.') ? "0.0.0.0"
                                                                                                    : "00:00:00:00:00:00"));
    else
        json_object_object_add(o, key, json_object_new_int(0));
}

static void mask_address(json_object *o, const char *key, unsigned bits)
{
    json_object *v;
    unsigned a, b, c, d;
    if (!json_object_object_get_ex(o, key, &v) || sscanf(json_object_get_string(v), "%u.%u.%u.%u", &a, &b, &c, &d) != 4)
        return;
    uint32_t addr = a << 24 | b << 16 | c << 8 | d;
    addr = bits >= 32 ? 0 : addr & ~((1u << bits) - 1);
    char text[16];
    snprintf(text, sizeof text, "%u.%u.%u.%u", addr >> 24, addr >> 16 & 255, addr >> 8 & 255, addr & 255);
    json_object_object_add(o, key, json_object_new_string(text));
}
static void normalize(json_object *o)
{
    if (json_object_is_type(o, json_type_array)) {
        for (size_t i = 0; i < json_object_array_length(o); i++)
            normalize(json_object_array_get_idx(o, i));
        return;
    }
    if (!json_object_is_type(o, json_type_object))
        return;
    json_object *w;
    /* OS-Ken shows an unknown property's "buf" as the rest of its list,
     * later properties' padding bytes included, which the struct writes as
     * zeros: only the property's own bytes (its "length") count */
    json_object *buf, *len;
    if (json_object_object_get_ex(o, "buf", &buf) && json_object_object_get_ex(o, "length", &len) &&
        json_object_is_type(buf, json_type_string)) {
        size_t keep = ((size_t)json_object_get_uint64(len) + 2) / 3 * 4; /* base64 chars covering length bytes */
        const char *text = json_object_get_string(buf);
        if (keep < strlen(text)) {
            char cut[1024];
            snprintf(cut, sizeof cut, "%.*s", (int)(keep < sizeof cut - 1 ? keep - 4 : sizeof cut - 5), text);
            json_object_object_add(o, "buf", json_object_new_string(cut));
        }
    }
    /* lengths follow from the content: a structure whose length claims
     * bytes after its fields (which the table codec skips) comes back
     * without them, its length shorter */
    json_object_object_del(o, "length");
    json_object_object_del(o, "len");
    json_object_object_del(o, "actions_len");
    /* a 1.2+ match of another type than OXM (1) reads as OXM fields all the
     * same (OS-Ken does not check it); the struct writes 1 */
    if (json_object_object_get_ex(o, "oxm_fields", NULL) && json_object_object_get_ex(o, "type", &w))
        json_object_object_add(o, "type", json_object_new_int(1));
    if (json_object_object_get_ex(o, "wildcards", &w) && json_object_object_get_ex(o, "nw_src", NULL)) {
        uint64_t v = json_object_get_uint64(w);
        static const char *const by_bit[] = {"in_port", "dl_vlan", "dl_src", "dl_dst", "dl_type", "nw_proto",
                                             "tp_src", "tp_dst"};
        for (int bit = 0; bit < 8; bit++)
            zero_key(o, by_bit[bit], v >> bit & 1);
        v &= 0x3fffff; /* bits above OFPFW_ALL's mean nothing */
        json_object *tos;
        if (json_object_object_get_ex(o, "nw_tos", &tos)) /* the DSCP bits: the low two (ECN) are not matched */
            json_object_object_add(o, "nw_tos", json_object_new_int(json_object_get_int(tos) & 0xfc));
        zero_key(o, "dl_vlan_pcp", v >> 20 & 1);
        zero_key(o, "nw_tos", v >> 21 & 1);
        mask_address(o, "nw_src", v >> 8 & 0x3f);
        mask_address(o, "nw_dst", v >> 14 & 0x3f);
        for (int shift = 8; shift <= 14; shift += 6)
            if ((v >> shift & 0x3f) >= 32)
                v = (v & ~(0x3full << shift)) | 32ull << shift;
        json_object_object_add(o, "wildcards", json_object_new_int64((int64_t)v));
    }
    json_object_object_foreach(o, k, v)
    {
        (void)k;
        normalize(v);
    }
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
        normalize(want);
        normalize(got);
        if (!json_object_equal(want, got))
            disagree("a field changed through the struct", NULL, want, got);
        json_object_put(want);
        json_object_put(got);
    }
    ken_buf_free(&b);
    ken_arena_free(&a);
    return 0;
}
