/* The Nicira (NX) experimenter actions that OS-Ken knows (nx_actions.py):
 * type 0xffff, experimenter 0x2320, a 16-bit subtype, then the body, the
 * whole padded to 8 bytes. Most are plain field tables; the irregular parts
 * (NXM field headers, learn specs, controller2 properties, NAT's optional
 * ranges, ...) are custom codecs below. The same entries serve the 1.0
 * action family and the 1.2+ one, so names go through d->version. */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "ofp/actions.h"
#include "ken/arena.h"
#include "ofp/nx.h"
#include "ofp/oxm.h"
#include "ofp/wire.h"

#define NX_EXPERIMENTER 0x2320

/* ---- NXM/OXM field headers: JSON is the field name ---- */

int nx_header_dec(struct dctx *d, size_t end, json_object **name)
{
    struct ofp_oxm_info info;
    size_t hdr_len;
    int err = ofp_oxm_from_header(d->p + d->pos, end - d->pos, d->version, &info, &hdr_len);
    if (err == KEN_OFPBMC_BAD_LEN)
        return DFAIL(d, KEN_OFPBAC_BAD_LEN, "NX action: field header runs past the end");
    if (err)
        return DFAIL(d, KEN_OFPBAC_BAD_ARGUMENT, "NX action: unknown field header 0x%08x", wire_get32(d->p + d->pos));
    d->pos += hdr_len;
    *name = json_object_new_string(info.name);
    return 0;
}

int nx_header_enc(struct ectx *e, json_object *v, const char *key)
{
    struct ofp_oxm_info info;
    if (!v || !json_object_is_type(v, json_type_string))
        return EFAIL(e, KEN_OFPBAC_BAD_ARGUMENT, "\"%s\" must be a field name", key);
    if (ofp_oxm_from_name(json_object_get_string(v), e->version, &info))
        return EFAIL(e, KEN_OFPBAC_BAD_ARGUMENT, "\"%s\": unknown field %s", key, json_object_get_string(v));
    ofp_oxm_put_header(e->b, &info);
    return 0;
}

/* A header in a structure. f->size is its slot: 0 for just the header
 * (4 or 8 bytes), else a fixed slot the header is zero-padded to. f->def
 * says what an all-zero slot means: a field is required (NXZ_NONE), or it
 * shows as 0 (bundle's dst) or "" (ct's zone_src). An integer in the JSON
 * is a raw 32-bit header, as OS-Ken accepts. */

static int nx_field_dec(struct dctx *d, size_t end, const struct ofp_field *f, json_object *obj)
{
    size_t start = d->pos;
    if (f->size && end - start < f->size)
        return DFAIL(d, KEN_OFPBAC_BAD_LEN, "NX action: \"%s\" needs %u bytes, %zu left", f->name, f->size,
                     end - start);
    size_t stop = f->size ? start + f->size : end;
    json_object *v = NULL;
    if (f->def != NXZ_NONE && stop - start >= 4 && wire_get32(d->p + start) == 0) {
        v = f->def == NXZ_INT ? json_object_new_int(0) : json_object_new_string("");
        d->pos += 4;
    } else {
        int err = nx_header_dec(d, stop, &v);
        if (err)
            return err;
    }
    if (f->size)
        d->pos = stop;
    json_object_object_add(obj, f->name, v);
    return 0;
}

static int nx_field_enc(struct ectx *e, const struct ofp_field *f, json_object *obj)
{
    json_object *v = NULL;
    size_t start = e->b->len;
    json_object_object_get_ex(obj, f->name, &v);
    bool absent = !v || json_object_is_type(v, json_type_null) ||
                  (json_object_is_type(v, json_type_string) && !json_object_get_string_len(v));
    int err = 0;
    if (f->def != NXZ_NONE && absent) {
        ken_buf_put32(e->b, 0);
    } else if (v && json_object_is_type(v, json_type_int)) {
        uint64_t raw;
        err = ofp_json_uint_value(e, v, f->name, UINT32_MAX, &raw);
        if (!err)
            ken_buf_put32(e->b, (uint32_t)raw);
    } else {
        err = nx_header_enc(e, v, f->name);
    }
    if (err)
        return err;
    if (f->size) {
        size_t used = e->b->len - start;
        if (used > f->size)
            return EFAIL(e, KEN_OFPBAC_BAD_ARGUMENT, "\"%s\": a %zu-byte header does not fit %u bytes", f->name, used,
                         f->size);
        ken_buf_put_zeros(e->b, f->size - used);
    }
    return 0;
}

const struct ofp_custom nx_field = {nx_field_dec, nx_field_enc, NULL, false};

/* ---- lists of u16 after a u16 count: dec_ttl_cnt_ids ---- */

static int u16_array_dec(struct dctx *d, size_t end, size_t count, json_object **out)
{
    if (count * 2 > end - d->pos)
        return DFAIL(d, KEN_OFPBAC_BAD_LEN, "NX action: %zu 16-bit ids do not fit %zu bytes", count, end - d->pos);
    json_object *arr = json_object_new_array();
    for (size_t i = 0; i < count; i++, d->pos += 2)
        json_object_array_add(arr, json_object_new_int(wire_get16(d->p + d->pos)));
    *out = arr;
    return 0;
}

static json_object *get_list(struct ectx *e, json_object *obj, const char *key, int *err)
{
    json_object *v = NULL;
    *err = 0;
    if (json_object_object_get_ex(obj, key, &v) && json_object_is_type(v, json_type_array))
        return v;
    *err = EFAIL(e, KEN_OFPBAC_BAD_ARGUMENT, "\"%s\" must be a list", key);
    return NULL;
}

/* Writes a list of integers, each of size bytes. */
static int uint_array_enc(struct ectx *e, json_object *arr, const char *key, unsigned size)
{
    uint64_t max = (UINT64_C(1) << (8 * size)) - 1;
    for (size_t i = 0; i < json_object_array_length(arr); i++) {
        uint64_t v;
        if (ofp_json_uint_value(e, json_object_array_get_idx(arr, i), key, max, &v))
            return KEN_OFPBAC_BAD_ARGUMENT;
        wire_putn(ken_buf_put_uninit(e->b, size), v, size);
    }
    return 0;
}

/* cnt_ids: a u16 count, 4 pad bytes, the ids. */
static int cnt_ids_dec(struct dctx *d, size_t end, const struct ofp_field *f, json_object *obj)
{
    if (end - d->pos < 6)
        return DFAIL(d, KEN_OFPBAC_BAD_LEN, "NXActionDecTtlCntIds: truncated");
    size_t count = wire_get16(d->p + d->pos);
    d->pos += 6;
    json_object *arr = NULL;
    int err = u16_array_dec(d, end, count, &arr);
    if (!err)
        json_object_object_add(obj, f->name, arr);
    return err;
}

static int cnt_ids_enc(struct ectx *e, const struct ofp_field *f, json_object *obj)
{
    int err;
    json_object *arr = get_list(e, obj, f->name, &err);
    if (err)
        return err;
    if (json_object_array_length(arr) > UINT16_MAX)
        return EFAIL(e, KEN_OFPBAC_BAD_ARGUMENT, "\"%s\": too many ids", f->name);
    ken_buf_put16(e->b, (uint16_t)json_object_array_length(arr));
    ken_buf_put_zeros(e->b, 4);
    return uint_array_enc(e, arr, f->name, 2);
}

const struct ofp_custom cnt_ids = {cnt_ids_dec, cnt_ids_enc, NULL, false};

/* Bundle's slaves: their count is the earlier "n_slaves" field. On encode
 * the list decides it, as OS-Ken does: n_slaves sits 12 bytes back (before
 * ofs_nbits and the 8-byte dst slot). */
#define BUNDLE_N_SLAVES_BACK 12

static int slaves_dec(struct dctx *d, size_t end, const struct ofp_field *f, json_object *obj)
{
    json_object *n = NULL, *arr = NULL;
    json_object_object_get_ex(obj, "n_slaves", &n);
    int err = u16_array_dec(d, end, (size_t)json_object_get_int(n), &arr);
    if (!err)
        json_object_object_add(obj, f->name, arr);
    return err;
}

static int slaves_enc(struct ectx *e, const struct ofp_field *f, json_object *obj)
{
    int err;
    json_object *arr = get_list(e, obj, f->name, &err);
    if (err)
        return err;
    if (json_object_array_length(arr) > UINT16_MAX)
        return EFAIL(e, KEN_OFPBAC_BAD_ARGUMENT, "\"%s\": too many slaves", f->name);
    wire_put16(e->b->data + e->b->len - BUNDLE_N_SLAVES_BACK, (uint16_t)json_object_array_length(arr));
    return uint_array_enc(e, arr, f->name, 2);
}

const struct ofp_custom slaves = {slaves_dec, slaves_enc, NULL, false};

/* cnt_ids' ids follow its count and padding; slaves are the ids alone. */
#define CNT_IDS_HEAD 6

int nx_u16s_typed_dec(const struct ofp_custom *c, const uint8_t *p, size_t avail, struct ken_arena *a,
                      const uint16_t **ids, size_t *n, size_t *span)
{
    size_t skip = 0, k;
    if (c == &cnt_ids) {
        if (avail < CNT_IDS_HEAD)
            return KEN_OFPBAC_BAD_LEN;
        k = wire_get16(p);
        skip = CNT_IDS_HEAD;
    } else { /* slaves: n_slaves is in the action before them (the caller has read those bytes) */
        k = wire_get16(p - BUNDLE_N_SLAVES_BACK);
    }
    if (k * 2 > avail - skip)
        return KEN_OFPBAC_BAD_LEN;
    uint16_t *arr = k ? ken_arena_calloc(a, k, sizeof *arr) : NULL;
    if (k && !arr)
        return ENOMEM;
    for (size_t i = 0; i < k; i++)
        arr[i] = wire_get16(p + skip + 2 * i);
    *ids = arr;
    *n = k;
    *span = skip + 2 * k;
    return 0;
}

void nx_u16s_typed_enc(const struct ofp_custom *c, struct ken_buf *b, const uint16_t *ids, size_t n)
{
    if (c == &cnt_ids) {
        ken_buf_put16(b, (uint16_t)n);
        ken_buf_put_zeros(b, CNT_IDS_HEAD - 2);
    } else {
        wire_put16(b->data + b->len - BUNDLE_N_SLAVES_BACK, (uint16_t)n);
    }
    for (size_t i = 0; i < n; i++)
        ken_buf_put16(b, ids[i]);
}

/* ---- note: the rest of the action as a list of byte values ---- */

static int note_dec(struct dctx *d, size_t end, const struct ofp_field *f, json_object *obj)
{
    json_object *arr = json_object_new_array();
    for (; d->pos < end; d->pos++)
        json_object_array_add(arr, json_object_new_int(d->p[d->pos]));
    json_object_object_add(obj, f->name, arr);
    return 0;
}

static int note_enc(struct ectx *e, const struct ofp_field *f, json_object *obj)
{
    int err;
    json_object *arr = get_list(e, obj, f->name, &err);
    return err ? err : uint_array_enc(e, arr, f->name, 1);
}

const struct ofp_custom note = {note_dec, note_enc, NULL, false};

/* ---- reg_load2: one OXM TLV, shown as dst, value and mask ---- */

static const struct ofp_field reg_load2_tlv = F_CUSTOM("field", &ofp_oxm_one);
/* The action's keys and the OXMTlv's, pair by pair. */
static const char *const reg_load2_keys[][2] = {{"dst", "field"}, {"value", "value"}, {"mask", "mask"}};

/* Copies the keys of from (side 0 or 1 of reg_load2_keys) into to (the other side). */
static void reg_load2_copy(json_object *from, int side, json_object *to)
{
    json_object *v;
    for (size_t i = 0; i < sizeof reg_load2_keys / sizeof reg_load2_keys[0]; i++)
        if (json_object_object_get_ex(from, reg_load2_keys[i][side], &v))
            json_object_object_add(to, reg_load2_keys[i][!side], json_object_get(v));
}

static int reg_load2_dec(struct dctx *d, size_t end, const struct ofp_field *f, json_object *obj)
{
    json_object *tmp = json_object_new_object(), *tlv = NULL;
    (void)f;
    int err = ofp_oxm_one.dec(d, end, &reg_load2_tlv, tmp);
    if (!err && json_object_object_get_ex(tmp, reg_load2_tlv.name, &tlv) && (tlv = ofp_unwrap(tlv, NULL)))
        reg_load2_copy(tlv, 1, obj);
    json_object_put(tmp);
    return err;
}

static int reg_load2_enc(struct ectx *e, const struct ofp_field *f, json_object *obj)
{
    json_object *tlv = json_object_new_object(), *tmp = json_object_new_object();
    (void)f;
    reg_load2_copy(obj, 0, tlv);
    json_object_object_add(tmp, reg_load2_tlv.name, ofp_wrap("OXMTlv", tlv));
    int err = ofp_oxm_one.enc(e, &reg_load2_tlv, tmp);
    json_object_put(tmp);
    return err;
}

static const char *const reg_load2_json_keys[] = {"dst", "value", "mask", NULL};
const struct ofp_custom reg_load2 = {reg_load2_dec, reg_load2_enc, reg_load2_json_keys, false};

/* ---- nat: flags, then the ranges that range_present announces ---- */

/* The optional parts, in wire order, are the fields of nx_nat_ranges
 * (src/ofp/spec/openflow.def): bit i of range_present announces field i;
 * an absent one shows as "" (addresses) or null (ports), as OS-Ken prints
 * them. Each is run through the interpreter as a one-field table. */
extern const struct ofp_desc nx_nat_ranges;
#define N_NAT_RANGES 6u

static const struct ofp_field *nat_range(size_t i, struct ofp_field one[2])
{
    one[0] = nx_nat_ranges.fields[i];
    one[1] = (struct ofp_field)F_END;
    return one;
}

static int nat_dec(struct dctx *d, size_t end, const struct ofp_field *f, json_object *obj)
{
    if (end - d->pos < 2)
        return DFAIL(d, KEN_OFPBAC_BAD_LEN, "NXActionNAT: no room for %s", f->name);
    unsigned present = wire_get16(d->p + d->pos);
    d->pos += 2;
    for (size_t i = 0; i < N_NAT_RANGES; i++) {
        struct ofp_field fields[2];
        const struct ofp_field *r = nat_range(i, fields);
        if (!(present & 1u << i)) {
            json_object_object_add(obj, r->name, r->kind == FK_UINT ? NULL : json_object_new_string(""));
            continue;
        }
        const struct ofp_desc one = {NULL, fields, 0, 0};
        json_object *tmp = NULL, *v = NULL;
        int err = ofp_dec_struct(d, end, &one, &tmp);
        if (err)
            return err;
        json_object_object_get_ex(tmp, r->name, &v);
        json_object_object_add(obj, r->name, json_object_get(v));
        json_object_put(tmp);
    }
    return 0;
}

static int nat_enc(struct ectx *e, const struct ofp_field *f, json_object *obj)
{
    size_t at = e->b->len;
    unsigned present = 0;
    (void)f;
    ken_buf_put16(e->b, 0);
    for (size_t i = 0; i < N_NAT_RANGES; i++) {
        json_object *v = NULL;
        struct ofp_field fields[2];
        json_object_object_get_ex(obj, nat_range(i, fields)->name, &v);
        if (!v || json_object_is_type(v, json_type_null) ||
            (json_object_is_type(v, json_type_string) && !json_object_get_string_len(v)))
            continue;
        const struct ofp_desc one = {NULL, fields, 0, 0};
        int err = ofp_enc_struct(e, &one, obj);
        if (err)
            return err;
        present |= 1u << i;
    }
    wire_put16(e->b->data + at, (uint16_t)present);
    return 0;
}

static const char *const nat_keys[] = {"range_ipv4_min", "range_ipv4_max", "range_ipv6_min", "range_ipv6_max",
                                       "range_proto_min", "range_proto_max", NULL}; /* nx_nat_ranges' fields */
const struct ofp_custom nat = {nat_dec, nat_enc, nat_keys, false};

/* ---- ct: a zone, then nested actions of the message's version ---- */

static int ct_actions_dec(struct dctx *d, size_t end, const struct ofp_field *f, json_object *obj)
{
    return nx_nested_actions(d->version)->dec(d, end, f, obj);
}

static int ct_actions_enc(struct ectx *e, const struct ofp_field *f, json_object *obj)
{
    return nx_nested_actions(e->version)->enc(e, f, obj);
}

const struct ofp_custom ct_actions = {ct_actions_dec, ct_actions_enc, NULL, false};

/* ---- controller2: properties, each a JSON key ---- */

enum { C2_MAX_LEN, C2_CONTROLLER_ID, C2_REASON, C2_USERDATA, C2_PAUSE, C2_N };
static const char *const c2_names[C2_N] = {"max_len", "controller_id", "reason", "userdata", "pause"};

/* OS-Ken's layout: every property takes 8 bytes, except userdata, which
 * takes its header and bytes rounded up to 8 (4 bytes when empty); the
 * reason property says length 5, pause length 4. */
static size_t c2_userdata_span(size_t n) { return n ? (4 + n + 7) / 8 * 8 : 4; }

static int c2_dec(struct dctx *d, size_t end, const struct ofp_field *f, json_object *obj)
{
    (void)f;
    while (d->pos < end) {
        const uint8_t *p = d->p + d->pos;
        size_t left = end - d->pos;
        if (left < 4)
            return DFAIL(d, KEN_OFPBAC_BAD_LEN, "NXActionController2: %zu stray bytes", left);
        unsigned type = wire_get16(p), len = wire_get16(p + 2);
        size_t span = 8;
        json_object *v;
        switch (type) {
        case C2_MAX_LEN:
        case C2_CONTROLLER_ID:
        case C2_REASON:
        case C2_PAUSE:
            if (left < span)
                return DFAIL(d, KEN_OFPBAC_BAD_LEN, "NXActionController2: property %s truncated", c2_names[type]);
            v = type == C2_PAUSE    ? json_object_new_boolean(1)
                : type == C2_REASON ? json_object_new_int(p[4])
                                    : json_object_new_int(wire_get16(p + 4));
            break;
        case C2_USERDATA:
            if (len < 4 || (span = c2_userdata_span(len - 4u)) > left)
                return DFAIL(d, KEN_OFPBAC_BAD_LEN, "NXActionController2: userdata length %u", len);
            v = json_object_new_array();
            for (size_t i = 4; i < len; i++)
                json_object_array_add(v, json_object_new_int(p[i]));
            break;
        default:
            return DFAIL(d, KEN_OFPBAC_BAD_ARGUMENT, "NXActionController2: unknown property %u", type);
        }
        json_object_object_add(obj, c2_names[type], v);
        d->pos += span;
    }
    return 0;
}

static int c2_enc(struct ectx *e, const struct ofp_field *f, json_object *obj)
{
    static const uint8_t lens[C2_N] = {8, 8, 5, 0, 4};
    (void)f;
    for (unsigned type = 0; type < C2_N; type++) {
        json_object *v = NULL;
        uint64_t u = 0;
        if (!json_object_object_get_ex(obj, c2_names[type], &v) || json_object_is_type(v, json_type_null))
            continue;
        ken_buf_put16(e->b, (uint16_t)type);
        if (type == C2_USERDATA) {
            int err;
            json_object *arr = get_list(e, obj, c2_names[type], &err);
            size_t n = arr ? json_object_array_length(arr) : 0;
            if (!err && n > UINT16_MAX - 4)
                err = EFAIL(e, KEN_OFPBAC_BAD_ARGUMENT, "userdata: %zu bytes is too long", n);
            if (err)
                return err;
            ken_buf_put16(e->b, (uint16_t)(4 + n));
            if ((err = uint_array_enc(e, arr, c2_names[type], 1)))
                return err;
            ken_buf_put_zeros(e->b, c2_userdata_span(n) - 4 - n);
            continue;
        }
        ken_buf_put16(e->b, lens[type]);
        if (type == C2_REASON) {
            if (ofp_json_uint_value(e, v, c2_names[type], UINT8_MAX, &u))
                return KEN_OFPBAC_BAD_ARGUMENT;
            ken_buf_put8(e->b, (uint8_t)u);
            ken_buf_put_zeros(e->b, 3);
        } else if (type == C2_PAUSE) {
            ken_buf_put_zeros(e->b, 4);
        } else {
            if (ofp_json_uint_value(e, v, c2_names[type], UINT16_MAX, &u))
                return KEN_OFPBAC_BAD_ARGUMENT;
            ken_buf_put16(e->b, (uint16_t)u);
            ken_buf_put_zeros(e->b, 2);
        }
    }
    return 0;
}

/* The properties show as keys of the action itself. */
static const char *const c2_keys[] = {"max_len", "controller_id", "reason", "userdata", "pause", NULL};
const struct ofp_custom controller2 = {c2_dec, c2_enc, c2_keys, false};

/* ---- the actions ---- */

/* The actions themselves (ofp_nx_action_entries) are laid out in
 * src/ofp/spec/openflow.def, family ofp_nx_action_entries. */
