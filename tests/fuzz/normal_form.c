/* See normal_form.h. */
#include "normal_form.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

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
void ofp_normal_form(json_object *o)
{
    if (json_object_is_type(o, json_type_array)) {
        for (size_t i = 0; i < json_object_array_length(o); i++)
            ofp_normal_form(json_object_array_get_idx(o, i));
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
    json_object_object_del(o, "action_array_len");
    json_object_object_del(o, "bucket_array_len");
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
        ofp_normal_form(v);
    }
}

