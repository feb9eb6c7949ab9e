/* The typed codec: one walk over a layout's field table (the desc the JSON
 * codec walks) and its parallel ofp_tfield table, between wire bytes and a
 * generated C struct. Decoding runs the JSON codec's checks first
 * (ken_ofp_validate), so both codecs accept exactly the same messages; the
 * walk still checks every bound it relies on. */
#include "ken/ofp_typed.h"

#include <errno.h>
#include <json-c/json.h>
#include <stdlib.h>
#include <string.h>

#include "ofp/fast.h"
#include "ofp/msgs.h"
#include "ofp/msgtable.h"
#include "ofp/actions.h"
#include "ofp/nx.h"
#include "ofp/oxm.h"
#include "ofp/ofp_spec.h"
#include "ofp/typed.h"
#include "ofp/wire.h"

struct tdec {
    const uint8_t *msg;   /* the message, header included: positions are offsets into it */
    uint8_t version;
    struct ken_arena *a;
    char *why;
};

static void *member(void *s, uint32_t off) { return (uint8_t *)s + off; }

/* Fields per layout that a lenof can name (the JSON codec's limit too). */
#define MAX_LENOF 32
/* The (16-bit, 16-bit) head that matches, OXS lists, properties, hello
 * elements and flow updates all start with, as the description lays out
 * a match's. */
#define TLV_HEAD_LEN OFPS_OFP_MATCH_HEAD
_Static_assert(OFPO_FLOW_UPDATE_ABBREV_EVENT == OFPO_FLOW_UPDATE_FULL_EVENT &&
                   OFPO_FLOW_UPDATE_PAUSED_EVENT == OFPO_FLOW_UPDATE_FULL_EVENT,
               "every flow update's event sits where the full one's does");

static void put_uint(void *p, uint16_t csize, uint64_t v)
{
    switch (csize) {
    case 1: *(uint8_t *)p = (uint8_t)v; break;
    case 2: *(uint16_t *)p = (uint16_t)v; break;
    case 4: *(uint32_t *)p = (uint32_t)v; break;
    default: *(uint64_t *)p = v; break;
    }
}

static uint64_t get_uint(const void *p, uint16_t csize)
{
    switch (csize) {
    case 1: return *(const uint8_t *)p;
    case 2: return *(const uint16_t *)p;
    case 4: return *(const uint32_t *)p;
    default: return *(const uint64_t *)p;
    }
}

static uint64_t wire_uint(const uint8_t *p, uint16_t size)
{
    switch (size) {
    case 1: return *p;
    case 2: return wire_get16(p);
    case 4: return wire_get32(p);
    default: return wire_get64(p);
    }
}

/* The layout of a nested class whose wire form is desc. */
static const struct ofp_tlayout *nested_layout(const struct ofp_tclass *tc, const void *desc)
{
    for (size_t i = 0; i < tc->n_layouts; i++)
        if (tc->layouts[i].desc == desc)
            return &tc->layouts[i];
    return NULL;
}

static int dec_struct(struct tdec *t, size_t start, size_t end, const struct ofp_tlayout *l, void *out,
                      size_t *used);

/* A family entry only some versions have (F_ONLY_IN: the versions in
 * f->def, f->arg set for an instruction): 0 in those, else the error the
 * JSON codec gives for its type. */
static int gate_check(char *why, const struct ofp_field *f, uint8_t version)
{
    if (f->def & OFPV(version))
        return 0;
    return ofp_fail(why, f->arg ? KEN_OFPBIC_UNKNOWN_INST : KEN_OFPBAC_BAD_TYPE, "%s is not in OpenFlow %s", f->name,
                    ken_ofp_version_name(version));
}

/* The layout of a list field's entries: its nested structure's, or for a
 * custom codec that reads a list of one structure, that structure's. */
static const struct ofp_tlayout *list_layout(const struct ofp_field *f, const struct ofp_tfield *tf)
{
    if (f->kind == FK_CUSTOM)
        return f->sub == &mp_meter_features_15 ? nested_layout(tf->sub, &meter_features_15) : NULL;
    return nested_layout(tf->sub, f->sub);
}

/* The bytes a part the typed codec keeps raw spans: what the JSON codec's
 * decoder for it reads. */
static int raw_span(struct tdec *t, size_t pos, size_t end, const struct ofp_field *f, size_t *span)
{
    if (f->kind == FK_LIST || f->kind == FK_PLIST || f->kind == FK_DATA) {
        *span = end - pos;
        return 0;
    }
    if (f->kind == FK_OBJ)
        return ofp_struct_check(t->msg + pos, end - pos, t->version, f->sub, span);
    /* a custom codec: run its decoder, keep how far it read */
    struct dctx d = {.p = t->msg, .pos = pos, .version = t->version, .why = t->why, .avail = end};
    json_object *scratch = json_object_new_object();
    if (!scratch)
        return ENOMEM;
    int err = ((const struct ofp_custom *)f->sub)->dec(&d, end, f, scratch);
    json_object_put(scratch);
    *span = d.pos - pos;
    return err;
}

/* 1.5's OXS statistics, n bytes the JSON codec has checked (none: a
 * flow-removed without them): each known field into its members. */
void ofp_stats_decode(const uint8_t *p, size_t n, struct ken_ofp_stats *s)
{
    *s = (struct ken_ofp_stats){.raw = {n ? p : NULL, n}};
    if (n < OFPS_OFP_MATCH_HEAD)
        return;
    size_t end = wire_get16(p + OFPO_OFP_MATCH_HEAD_LENGTH); /* the same type-length head as a match */
    end = end < n ? end : n;
    for (size_t pos = OFPS_OFP_MATCH_HEAD; pos + OXM_HEADER_LEN <= end;) {
        uint32_t hdr = wire_get32(p + pos);
        size_t len = hdr & 0xff;
        if (len > end - pos - OXM_HEADER_LEN)
            break;
        for (size_t i = 0; (hdr >> 16) == OXM_CLASS_OXS && !(hdr & 0x100) && i < ofp_n_stat_members; i++) {
            const struct ofp_stat_member *sm = &ofp_stat_members[i];
            if (sm->field != (hdr >> 9 & 0x7f) || sm->size != len)
                continue;
            size_t part = len / sm->n_parts;
            for (size_t k = 0; k < sm->n_parts; k++)
                put_uint(member(s, sm->off[k]), part, wire_uint(p + pos + OXM_HEADER_LEN + k * part, part));
            s->present |= 1u << sm->field;
            break;
        }
        pos += OXM_HEADER_LEN + len;
    }
}

extern const struct ofp_custom flow_removed_stats; /* msgs.c: 1.5 flow-removed's optional stats */

/* The statistics again: their bytes as they came, else the present fields
 * (a flow-removed with none writes nothing, as OS-Ken's stats=None). */
static int enc_stats(struct ken_buf *b, const struct ofp_field *f, const struct ken_ofp_stats *s, char *why)
{
    if (!s->raw.len && !s->present && f->kind == FK_CUSTOM && f->sub == &flow_removed_stats)
        return 0;
    return ofp_stats_encode(b, s, f->name, why);
}

int ofp_stats_encode(struct ken_buf *b, const struct ken_ofp_stats *s, const char *name, char why[KEN_WHY_LEN])
{
    if (s->raw.len) {
        if (!s->raw.data)
            return ofp_fail(why, EINVAL, "%s: %zu bytes but no pointer", name, s->raw.len);
        ken_buf_put(b, s->raw.data, s->raw.len);
        return 0;
    }
    size_t start = b->len;
    ken_buf_put_zeros(b, OFPS_OFP_MATCH_HEAD);
    for (size_t i = 0; i < ofp_n_stat_members; i++) {
        const struct ofp_stat_member *sm = &ofp_stat_members[i];
        if (!(s->present & 1u << sm->field))
            continue;
        uint8_t *q = ken_buf_put_zeros(b, 4u + sm->size);
        wire_put32(q, (uint32_t)OXM_CLASS_OXS << 16 | (uint32_t)sm->field << 9 | sm->size);
        size_t part = sm->size / sm->n_parts;
        for (size_t k = 0; k < sm->n_parts; k++) {
            uint64_t v = get_uint((const uint8_t *)s + sm->off[k], part);
            for (size_t j = part; j-- > 0; v >>= 8)
                q[4 + k * part + j] = (uint8_t)v;
        }
    }
    wire_put16(b->data + start + OFPO_OFP_MATCH_HEAD_LENGTH, (uint16_t)(b->len - start));
    ken_buf_align(b, start, 8);
    return 0;
}

/* A list of nested structures up to end, into an array from the arena. */
static int dec_list(struct tdec *t, size_t pos, size_t end, const struct ofp_field *f, const struct ofp_tfield *tf,
                    void *out)
{
    const struct ofp_tclass *sub = tf->sub;
    const struct ofp_tlayout *l = list_layout(f, tf);
    if (!l)
        return ofp_fail(t->why, EPROTONOSUPPORT, "no typed layout for a %s", sub->cls);
    if (f->kind == FK_CUSTOM) { /* the custom codec's checks first, and its extent */
        size_t span;
        int err = raw_span(t, pos, end, f, &span);
        if (err)
            return err;
        end = pos + span;
    }
    size_t cap = 0, n = 0;
    uint8_t *items = NULL;
    while (pos < end) {
        if (n == cap) {
            cap = cap ? cap * 2 : 8;
            uint8_t *grown = realloc(items, cap * sub->size);
            if (!grown) {
                free(items);
                return ENOMEM;
            }
            items = grown;
        }
        memset(items + n * sub->size, 0, sub->size);
        size_t used;
        int err = dec_struct(t, pos, end, l, items + n * sub->size, &used);
        if (err || !used) {
            free(items);
            return err ? err : ofp_fail(t->why, KEN_OFPBRC_BAD_LEN, "an empty %s", sub->cls);
        }
        pos += used;
        n++;
    }
    void *arr = ken_arena_calloc(t->a, n, sub->size);
    if (!arr) {
        free(items);
        return ENOMEM;
    }
    if (n)
        memcpy(arr, items, n * sub->size);
    free(items);
    *(const void **)member(out, tf->off) = arr;
    *(size_t *)member(out, tf->n_off) = n;
    return 0;
}

static const struct ofp_tlv_layout *tlv_layout_of(const struct ofp_desc *desc)
{
    for (size_t i = 0; i < ofp_n_tlv_layouts; i++)
        if (ofp_tlv_layouts[i].desc == desc)
            return &ofp_tlv_layouts[i];
    return NULL;
}

/* A described TLV family up to end: each entry its class's struct (or
 * only its bytes, for an entry ken has no struct for). */
static int dec_tlvs(struct tdec *t, size_t pos, size_t end, const struct ofp_field *f, const struct ofp_tfield *tf,
                    void *out)
{
    size_t n = 0, cap = 0;
    struct ken_ofp_tlv *items = NULL;
    while (pos < end) {
        const struct ofp_desc *desc;
        size_t span;
        int err = ofp_poly_element(t->msg + pos, end - pos, t->version, f->sub, &desc, &span);
        if (!err && (span == 0 || span > end - pos))
            err = ofp_fail(t->why, KEN_OFPBRC_BAD_LEN, "%s: an entry of %zu bytes", f->name, span);
        struct ken_ofp_tlv item = {.cls = KEN_OFP_CLASS_NONE, .raw = {t->msg + pos, span}};
        const struct ofp_tlv_layout *tl = err ? NULL : tlv_layout_of(desc);
        if (tl) {
            void *s = ken_arena_alloc(t->a, tl->tc->size);
            size_t used;
            if (!s)
                err = ENOMEM;
            else if (!(err = dec_struct(t, pos, pos + span, tl->l, s, &used))) {
                item.cls = tl->tc->id;
                item.msg = s;
            }
        }
        if (!err && n == cap) {
            cap = cap ? cap * 2 : 8;
            struct ken_ofp_tlv *grown = ken_arena_calloc(t->a, cap, sizeof *grown);
            if (!grown)
                err = ENOMEM;
            else if (n)
                memcpy(grown, items, n * sizeof *items);
            items = grown;
        }
        if (err)
            return err;
        items[n++] = item;
        pos += span;
    }
    *(const struct ken_ofp_tlv **)member(out, tf->off) = items;
    *(size_t *)member(out, tf->n_off) = n;
    return 0;
}

/* NAT's ranges: range_present, then each member of nx_nat_ranges (the
 * description's) whose bit is set, in its order, into the ranges struct
 * at tf->n_off. */
extern const struct ofp_desc nx_nat_ranges;
static const struct ofp_tlayout *struct_layout_of(const struct ofp_desc *desc, const struct ofp_tclass **tc);
static const struct ofp_tlayout *nat_layout(void)
{
    const struct ofp_tclass *tc;
    return struct_layout_of(&nx_nat_ranges, &tc);
}

static int dec_nat(struct tdec *t, size_t pos, size_t end, const struct ofp_tfield *tf, void *out)
{
    const struct ofp_tlayout *l = nat_layout();
    if (!l || end - pos < sizeof(uint16_t))
        return ofp_fail(t->why, EPROTONOSUPPORT, "NAT: no typed ranges");
    unsigned present = wire_get16(t->msg + pos);
    *(uint16_t *)member(out, tf->off) = (uint16_t)present;
    void *ranges = member(out, tf->n_off);
    pos += sizeof(uint16_t); /* range_present, a 16-bit field: the ranges follow it */
    for (size_t i = 0; l->desc->fields[i].kind != FK_END; i++) {
        const struct ofp_field *f = &l->desc->fields[i];
        const struct ofp_tfield *rf = &l->tf[i];
        if (!(present & 1u << i))
            continue;
        if (f->size > end - pos)
            return ofp_fail(t->why, KEN_OFPBAC_BAD_LEN, "NAT: %s runs past its end", f->name);
        if (rf->kind == TK_UINT)
            put_uint(member(ranges, rf->off), rf->csize, wire_uint(t->msg + pos, f->size));
        else /* TK_RAW: an IPv6 address, in the message */
            *(struct ken_ofp_raw *)member(ranges, rf->off) = (struct ken_ofp_raw){t->msg + pos, f->size};
        pos += f->size;
    }
    return 0;
}

/* A learn action's specs, n bytes the JSON codec has read: decoded by
 * nx_learn.c, which knows their form. */
static int dec_learn_specs(struct tdec *t, size_t pos, size_t end, const struct ofp_tfield *tf, void *out)
{
    struct ken_nx_learn_spec *specs;
    size_t n;
    int err = nx_learn_specs_typed_dec(t->msg + pos, end - pos, t->a, &specs, &n, t->why);
    if (err)
        return err;
    *(const struct ken_nx_learn_spec **)member(out, tf->off) = specs;
    *(size_t *)member(out, tf->n_off) = n;
    return 0;
}

/* The typed class and layout of a nested structure described by desc
 * (found once per call: flow updates are rare). */
static const struct ofp_tlayout *struct_layout_of(const struct ofp_desc *desc, const struct ofp_tclass **tc)
{
    for (size_t c = 0; c < KEN_OFP_N_CLASSES; c++)
        for (size_t i = 0; ofp_tclasses[c] && i < ofp_tclasses[c]->n_layouts; i++)
            if (ofp_tclasses[c]->layouts[i].desc == desc) {
                *tc = ofp_tclasses[c];
                return &ofp_tclasses[c]->layouts[i];
            }
    return NULL;
}

/* A flow monitor reply's updates (checked whole by the JSON codec first):
 * each its struct, by the update's event. */
static int dec_updates(struct tdec *t, size_t pos, size_t end, const struct ofp_field *f, const struct ofp_tfield *tf,
                       void *out)
{
    size_t span;
    int err = raw_span(t, pos, end, f, &span);
    if (err)
        return err;
    end = pos + span;
    size_t n = 0, cap = (end - pos) / TLV_HEAD_LEN; /* an update takes its head at least */
    struct ken_ofp_tlv *items = cap ? ken_arena_calloc(t->a, cap, sizeof *items) : NULL;
    if (cap && !items)
        return ENOMEM;
    while (pos + TLV_HEAD_LEN <= end) {
        size_t len = wire_get16(t->msg + pos);
        const struct ofp_tclass *tc;
        const struct ofp_tlayout *l = struct_layout_of(ofp_flow_update_desc(wire_get16(t->msg + pos + OFPO_FLOW_UPDATE_FULL_EVENT)), &tc);
        if (len < TLV_HEAD_LEN || len > end - pos || !l)
            return ofp_fail(t->why, KEN_OFPBRC_BAD_LEN, "%s: a flow update the JSON codec did not read", f->name);
        void *s = ken_arena_alloc(t->a, tc->size);
        size_t used;
        if (!s)
            return ENOMEM;
        memset(s, 0, tc->size);
        if ((err = dec_struct(t, pos, pos + len, l, s, &used)))
            return err;
        items[n++] = (struct ken_ofp_tlv){.cls = tc->id, .msg = s, .raw = {t->msg + pos, len}};
        pos += len;
    }
    *(const struct ken_ofp_tlv **)member(out, tf->off) = items;
    *(size_t *)member(out, tf->n_off) = n;
    return 0;
}

/* OXM ids (checked whole by the JSON codec first): a header each, and an
 * experimenter id after one of the experimenter class. */
static int dec_oxm_ids(struct tdec *t, size_t pos, size_t end, const struct ofp_field *f, const struct ofp_tfield *tf,
                       void *out, size_t *span)
{
    int err = raw_span(t, pos, end, f, span);
    if (err)
        return err;
    end = pos + *span;
    size_t n = 0, cap = (end - pos) / OXM_HEADER_LEN;
    struct ken_ofp_oxm_id *ids = cap ? ken_arena_calloc(t->a, cap, sizeof *ids) : NULL;
    if (cap && !ids)
        return ENOMEM;
    while (pos + OXM_HEADER_LEN <= end) {
        struct ken_ofp_oxm_id *id = &ids[n++];
        id->header = wire_get32(t->msg + pos);
        pos += OXM_HEADER_LEN;
        if (id->header >> 16 == OXM_CLASS_EXPERIMENTER) {
            if (end - pos < OFPS_OXM_EXP_HEAD - OXM_HEADER_LEN)
                return ofp_fail(t->why, KEN_OFPBMC_BAD_LEN, "%s: an experimenter id cut short", f->name);
            id->experimenter = wire_get32(t->msg + pos);
            pos += OFPS_OXM_EXP_HEAD - OXM_HEADER_LEN;
        }
    }
    *(const struct ken_ofp_oxm_id **)member(out, tf->off) = ids;
    *(size_t *)member(out, tf->n_off) = n;
    return 0;
}

/* A version bitmap (checked by the JSON codec first) as the versions it
 * names, bits 0-30 of each word as OS-Ken reads them. */
static int dec_versions(struct tdec *t, size_t pos, size_t end, const struct ofp_field *f, const struct ofp_tfield *tf,
                        void *out, size_t *span)
{
    int err = raw_span(t, pos, end, f, span);
    if (err)
        return err;
    size_t n = 0, words = *span / sizeof(uint32_t);
    uint32_t *vs = words ? ken_arena_calloc(t->a, words * 31, sizeof *vs) : NULL;
    if (words && !vs)
        return ENOMEM;
    for (size_t w = 0; w < words; w++) {
        uint32_t bits = wire_get32(t->msg + pos + sizeof(uint32_t) * w);
        for (unsigned bit = 0; bit < 31; bit++)
            if (bits & UINT32_C(1) << bit)
                vs[n++] = (uint32_t)(w * 32 + bit);
    }
    *(const uint32_t **)member(out, tf->off) = vs;
    *(size_t *)member(out, tf->n_off) = n;
    return 0;
}


/* A hello's elements (checked whole by the JSON codec first): the version
 * bitmaps, each read without the padding the last may lack; elements of
 * other types are skipped, as OS-Ken does. */
static int dec_hello_elems(struct tdec *t, size_t pos, size_t end, const struct ofp_field *f,
                           const struct ofp_tfield *tf, void *out)
{
    size_t span;
    int err = raw_span(t, pos, end, f, &span);
    if (err)
        return err;
    end = pos + span;
    const struct ofp_tclass *tc;
    const struct ofp_tlayout *l = struct_layout_of(&hello_elem_bitmap_unpadded, &tc);
    size_t n = 0, cap = (end - pos) / TLV_HEAD_LEN;
    struct ken_ofp_tlv *items = cap ? ken_arena_calloc(t->a, cap, sizeof *items) : NULL;
    if (!l || (cap && !items))
        return l ? ENOMEM : ofp_fail(t->why, EPROTONOSUPPORT, "no typed layout for a hello element");
    while (pos + TLV_HEAD_LEN <= end) {
        size_t type = wire_get16(t->msg + pos), len = wire_get16(t->msg + pos + OFPO_OFP_MATCH_HEAD_LENGTH);
        if (len < TLV_HEAD_LEN || len > end - pos)
            return ofp_fail(t->why, KEN_OFPBRC_BAD_LEN, "%s: an element the JSON codec did not read", f->name);
        size_t padded = (len + 7) / 8 * 8, step = padded <= end - pos ? padded : len;
        if (type == OFPHET_VERSIONBITMAP) {
            void *s = ken_arena_calloc(t->a, 1, tc->size);
            size_t used;
            if (!s)
                return ENOMEM;
            if ((err = dec_struct(t, pos, pos + len, l, s, &used)))
                return err;
            items[n++] = (struct ken_ofp_tlv){.cls = tc->id, .msg = s, .raw = {t->msg + pos, len}};
        }
        pos += step;
    }
    *(const struct ken_ofp_tlv **)member(out, tf->off) = items;
    *(size_t *)member(out, tf->n_off) = n;
    return 0;
}

static const struct ofp_tlayout *layout_of(const uint8_t *msg, size_t n, const struct ofp_tclass **tc);

/* A message inside this one (checked by the JSON codec first, which bounds
 * the nesting): its class and struct, decoded as a message of its own
 * (positions from its header), and its bytes. A message without a typed
 * layout keeps only its bytes. */
static int dec_nested(struct tdec *t, size_t pos, struct ken_ofp_tlv *item)
{
    const uint8_t *inner = t->msg + pos;
    size_t len = wire_get16(inner + OFPO_OFP_HEADER_LENGTH);
    *item = (struct ken_ofp_tlv){.cls = KEN_OFP_CLASS_NONE, .raw = {inner, len}};
    const struct ofp_tclass *tc;
    const struct ofp_tlayout *l = layout_of(inner, len, &tc);
    if (!l)
        return 0;
    void *s = ken_arena_calloc(t->a, 1, tc->size);
    if (!s)
        return ENOMEM;
    struct tdec it = {.msg = inner, .version = t->version, .a = t->a, .why = t->why};
    size_t used;
    int err = dec_struct(&it, KEN_OFP_HEADER_LEN, len, l, s, &used);
    if (err)
        return err;
    item->cls = tc->id;
    item->msg = s;
    return 0;
}

static int dec_ports(struct tdec *t, size_t pos, size_t end, const struct ofp_tfield *tf, void *out)
{
    /* At most as many ports as the smallest port layout fits: one pass
     * into an array that large (the tail unused), not a counting pass. */
    enum { PORT_MIN = OFPS_OFP_PORT_14 < OFPS_OF10_PHY_PORT ? OFPS_OFP_PORT_14 : OFPS_OF10_PHY_PORT };
    _Static_assert(PORT_MIN <= OFPS_OFP_PORT_12, "the smallest port layout bounds the count");
    size_t cap = (end - pos) / PORT_MIN, n = 0;
    struct ken_port *ports = cap ? ken_arena_calloc(t->a, cap, sizeof *ports) : NULL;
    if (cap && !ports)
        return ENOMEM;
    while (pos < end) {
        size_t used;
        if (n == cap) /* a port shorter than any layout: the decoder refuses it */
            return ofp_fail(t->why, KEN_OFPBRC_BAD_LEN, "a port of fewer than %d bytes", PORT_MIN);
        int err = ofp_port_decode(t->msg + pos, end - pos, t->version, &ports[n], &used);
        if (err)
            return err;
        pos += used;
        n++;
    }
    *(const struct ken_port **)member(out, tf->off) = ports;
    *(size_t *)member(out, tf->n_off) = n;
    return 0;
}

static int dec_struct(struct tdec *t, size_t start, size_t end, const struct ofp_tlayout *l, void *out, size_t *used)
{
    const struct ofp_field *fields = l->desc->fields;
    size_t pos = start, struct_end = end;
    bool has_len = false;
    size_t sublen[MAX_LENOF];
    bool has_sublen[MAX_LENOF] = {false};
    for (size_t i = 0; fields[i].kind != FK_END; i++) {
        const struct ofp_field *f = &fields[i];
        const struct ofp_tfield *tf = &l->tf[i];
        void *m = member(out, tf->off);
        /* a field whose length an earlier one gave ends there */
        size_t field_end = struct_end;
        if (i < MAX_LENOF && has_sublen[i]) {
            if (sublen[i] > struct_end - pos)
                return ofp_fail(t->why, KEN_OFPBRC_BAD_LEN, "%s: length %zu overruns its structure", f->name,
                                sublen[i]);
            field_end = pos + sublen[i];
        }
        switch (f->kind) {
        case FK_PAD:
        case FK_UINT:
        case FK_LEN:
        case FK_LENOF:
        case FK_MAC:
        case FK_STR:
        case FK_IPV4:
        case FK_IPV6:
            if (f->size > struct_end - pos)
                return ofp_fail(t->why, KEN_OFPBRC_BAD_LEN, "%s: %s runs past its end", l->desc->cls,
                                f->name ? f->name : "padding");
            if (f->kind == FK_LENOF) {
                if (f->arg < MAX_LENOF) {
                    sublen[f->arg] = (size_t)wire_uint(t->msg + pos, f->size);
                    has_sublen[f->arg] = true;
                }
            } else if (f->kind == FK_LEN) {
                size_t len = (size_t)wire_uint(t->msg + pos, f->size);
                if (len < pos + f->size - start || len > end - start)
                    return ofp_fail(t->why, KEN_OFPBRC_BAD_LEN, "%s: length %zu out of bounds", l->desc->cls, len);
                struct_end = start + len;
                has_len = true;
            } else if (tf->kind == TK_UINT) {
                put_uint(m, tf->csize, wire_uint(t->msg + pos, f->size));
            } else if (tf->kind == TK_MAC) {
                memcpy(m, t->msg + pos, 6);
            } else if (tf->kind == TK_STR) {
                const uint8_t *s = t->msg + pos;
                size_t k = 0;
                while (k < f->size && s[k])
                    k++;
                memcpy(m, s, k);
                ((char *)m)[k] = 0;
            }
            pos += f->size;
            break;
        case FK_DATA:
            *(const uint8_t **)m = t->msg + pos;
            *(size_t *)member(out, tf->n_off) = struct_end - pos;
            pos = struct_end;
            break;
        case FK_OBJ:
        case FK_LIST:
        case FK_PLIST:
        case FK_CUSTOM: {
            size_t span = 0;
            int err = 0;
            switch (tf->kind) {
            case TK_MATCH:
                if (t->version == KEN_OFP10) {
                    if (field_end - pos < OFPS_OFP_MATCH10_DESC)
                        return ofp_fail(t->why, KEN_OFPBMC_BAD_LEN, "the 1.0 match runs past its end");
                    fast_match10_decode(t->msg + pos, m);
                    span = OFPS_OFP_MATCH10_DESC;
                } else if (!(span = fast_match_decode(t->msg + pos, field_end - pos, t->version, m, &err))) {
                    return ofp_fail(t->why, err, "bad match");
                }
                break;
            case TK_PORT:
                err = ofp_port_decode(t->msg + pos, field_end - pos, t->version, m, &span);
                break;
            case TK_PORTS:
                err = dec_ports(t, pos, field_end, tf, out);
                span = field_end - pos;
                break;
            case TK_OBJ: {
                const struct ofp_tlayout *sl = nested_layout(tf->sub, f->sub);
                if (!sl)
                    return ofp_fail(t->why, EPROTONOSUPPORT, "no typed layout for %s", f->name);
                /* A list the struct holds as one structure (1.0's aggregate
                 * stats, one entry where 1.3 has a structure): exactly one
                 * entry has a typed form, any other count none. */
                if (f->kind == FK_LIST && pos == field_end)
                    return ofp_fail(t->why, EPROTONOSUPPORT, "%s: no entry where the typed struct holds one", f->name);
                err = dec_struct(t, pos, field_end, sl, m, &span);
                if (!err && f->kind == FK_LIST && span != field_end - pos)
                    return ofp_fail(t->why, EPROTONOSUPPORT, "%s: more entries than the typed struct holds (one)",
                                    f->name);
                break;
            }
            case TK_LIST:
                err = dec_list(t, pos, field_end, f, tf, out);
                span = field_end - pos;
                break;
            case TK_INSTRUCTIONS:
                err = ken_instructions_decode(t->msg + pos, field_end - pos, t->version, t->a,
                                              (const struct ken_instruction **)m, member(out, tf->n_off));
                span = field_end - pos;
                break;
            case TK_ACTIONS:
                err = ken_actions_decode(t->msg + pos, field_end - pos, t->version, t->a,
                                         (const struct ken_action **)m, member(out, tf->n_off));
                span = field_end - pos;
                break;
            case TK_DATA:
                *(const uint8_t **)m = t->msg + pos;
                *(size_t *)member(out, tf->n_off) = field_end - pos;
                span = field_end - pos;
                break;
            case TK_UINTLIST: {
                size_t k = (field_end - pos) / tf->csize;
                void *arr = ken_arena_calloc(t->a, k, tf->csize);
                if (!arr)
                    return ENOMEM;
                for (size_t i = 0; i < k; i++)
                    put_uint((uint8_t *)arr + i * tf->csize, tf->csize, wire_uint(t->msg + pos + i * tf->csize, tf->csize));
                *(const void **)m = arr;
                *(size_t *)member(out, tf->n_off) = k;
                span = k * tf->csize;
                break;
            }
            case TK_TLVS:
                err = dec_tlvs(t, pos, field_end, f, tf, out);
                span = field_end - pos;
                break;
            case TK_SKIP: /* bytes that mean nothing (a 1.0 hello's tail) */
                span = field_end - pos;
                break;
            case TK_GATE: /* no bytes: the versions the entry is in */
                err = gate_check(t->why, f, t->version);
                break;
            case TK_UINTS:
                if ((size_t)f->arg * tf->csize > field_end - pos)
                    return ofp_fail(t->why, KEN_OFPBRC_BAD_LEN, "%s runs past its end", f->name);
                for (size_t k = 0; k < f->arg; k++)
                    put_uint((uint8_t *)m + k * tf->csize, tf->csize, wire_uint(t->msg + pos + k * tf->csize, tf->csize));
                span = (size_t)f->arg * tf->csize;
                break;
            case TK_UINT: /* a custom part the struct holds as a number (an error's code) */
                if (field_end - pos < tf->csize)
                    return ofp_fail(t->why, KEN_OFPBRC_BAD_LEN, "%s runs past its end", f->name);
                put_uint(m, tf->csize, wire_uint(t->msg + pos, tf->csize));
                span = tf->csize;
                break;
            case TK_MAC:
                if (field_end - pos < 6)
                    return ofp_fail(t->why, KEN_OFPBRC_BAD_LEN, "%s runs past its end", f->name);
                memcpy(m, t->msg + pos, 6);
                span = 6;
                break;
            case TK_OXM_IDS:
                err = dec_oxm_ids(t, pos, field_end, f, tf, out, &span);
                break;
            case TK_OXM_LIST:
                err = raw_span(t, pos, field_end, f, &span); /* the JSON codec's checks first */
                if (!err && (err = fast_oxm_decode(t->msg + pos, span, t->version, m)))
                    err = ofp_fail(t->why, err, "%s: a field the match decoder refuses", f->name);
                break;
            case TK_CONTROLLER2:
                err = raw_span(t, pos, field_end, f, &span); /* the JSON codec's checks first */
                if (!err)
                    nx_controller2_typed_dec(t->msg + pos, span, m);
                break;
            case TK_NAT:
                err = raw_span(t, pos, field_end, f, &span); /* the JSON codec's checks first */
                if (!err)
                    err = dec_nat(t, pos, pos + span, tf, out);
                break;
            case TK_NX_U16S: /* slaves' count is an earlier field of the action: nx.c reads it */
                err = nx_u16s_typed_dec(f->sub, t->msg + pos, field_end - pos, t->a, (const uint16_t **)m,
                                        member(out, tf->n_off), &span);
                if (err && err != ENOMEM)
                    err = ofp_fail(t->why, err, "%s: its ids run past its end", f->name);
                break;
            case TK_LEARN_SPECS:
                err = raw_span(t, pos, field_end, f, &span); /* the JSON codec's checks first */
                if (!err)
                    err = dec_learn_specs(t, pos, pos + span, tf, out);
                break;
            case TK_NESTED:
                err = raw_span(t, pos, field_end, f, &span);
                if (!err)
                    err = dec_nested(t, pos, m);
                break;
            case TK_VERSIONS:
                err = dec_versions(t, pos, field_end, f, tf, out, &span);
                break;
            case TK_HELLO_ELEMS:
                err = dec_hello_elems(t, pos, field_end, f, tf, out);
                span = field_end - pos;
                break;
            case TK_UPDATES:
                err = dec_updates(t, pos, field_end, f, tf, out);
                span = field_end - pos;
                break;
            case TK_STATS:
                err = raw_span(t, pos, field_end, f, &span);
                if (!err)
                    ofp_stats_decode(t->msg + pos, span, m);
                break;
            case TK_NXM: /* the header alone: an experimenter field's id would not fit the member */
                err = raw_span(t, pos, field_end, f, &span);
                if (!err && span >= OXM_HEADER_LEN && wire_get32(t->msg + pos) >> 16 == OXM_CLASS_EXPERIMENTER)
                    err = ofp_fail(t->why, EPROTONOSUPPORT, "%s: an experimenter field", f->name);
                if (!err)
                    *(uint32_t *)m = span >= OXM_HEADER_LEN ? wire_get32(t->msg + pos) : 0;
                break;
            default: /* TK_RAW */
                err = raw_span(t, pos, field_end, f, &span);
                if (!err) {
                    ((struct ken_ofp_raw *)m)->data = t->msg + pos;
                    ((struct ken_ofp_raw *)m)->len = span;
                }
                break;
            }
            if (err)
                return err;
            if (span > field_end - pos)
                return ofp_fail(t->why, KEN_OFPBRC_BAD_LEN, "%s runs past its end", f->name);
            pos += span;
            break;
        }
        default:
            return ofp_fail(t->why, EPROTONOSUPPORT, "field kind %u", f->kind);
        }
    }
    *used = (has_len ? struct_end : pos) - start;
    return 0;
}

static const struct ofp_tlayout *layout_of(const uint8_t *msg, size_t n, const struct ofp_tclass **tc)
{
    if (n < KEN_OFP_HEADER_LEN)
        return NULL;
    const struct ken_ofproto *p = ken_ofproto_get(msg[OFPO_OFP_HEADER_VERSION]);
    if (!p)
        return NULL;
    int32_t mp = OFP_NO_MP;
    if (msg[OFPO_OFP_HEADER_TYPE] == p->OFPT_MULTIPART_REQUEST || msg[OFPO_OFP_HEADER_TYPE] == p->OFPT_MULTIPART_REPLY) {
        if (n < 10)
            return NULL;
        mp = wire_get16(msg + OFPO_REPLY_PORT_STATS_13_TYPE); /* where every multipart message has its type */
    }
    return ofp_tlayout_find(msg[OFPO_OFP_HEADER_VERSION], msg[OFPO_OFP_HEADER_TYPE], mp, tc);
}

enum ken_ofp_class ken_ofp_class_of(const uint8_t *msg, size_t n)
{
    const struct ofp_tclass *tc;
    return layout_of(msg, n, &tc) ? (enum ken_ofp_class)tc->id : KEN_OFP_CLASS_NONE;
}

const char *ken_ofp_class_name(enum ken_ofp_class cls)
{
    return cls > KEN_OFP_CLASS_NONE && cls < KEN_OFP_N_CLASSES && ofp_tclasses[cls] ? ofp_tclasses[cls]->cls : NULL;
}

size_t ken_ofp_class_size(enum ken_ofp_class cls)
{
    return ken_ofp_class_name(cls) ? ofp_tclasses[cls]->size : 0;
}

int ken_ofp_decode(const uint8_t *msg, size_t n, struct ken_arena *a, enum ken_ofp_class *cls, void **out,
                   char why[KEN_WHY_LEN])
{
    why[0] = 0;
    *out = NULL;
    *cls = KEN_OFP_CLASS_NONE;
    int err = ken_ofp_validate(msg, n, why);
    if (err)
        return err;
    size_t len = wire_get16(msg + OFPO_OFP_HEADER_LENGTH);
    if (n < len)
        return ofp_fail(why, KEN_OFPBRC_BAD_LEN, "truncated: %zu of %zu bytes", n, len);
    const struct ofp_tclass *tc;
    const struct ofp_tlayout *l = layout_of(msg, len, &tc);
    if (!l)
        return ofp_fail(why, EPROTONOSUPPORT, "%s has no typed layout yet", ken_ofp_msg_class(msg, len));
    void *s = ken_arena_alloc(a, tc->size);
    if (!s)
        return ENOMEM;
    struct tdec t = {.msg = msg, .version = msg[OFPO_OFP_HEADER_VERSION], .a = a, .why = why};
    size_t used;
    err = dec_struct(&t, KEN_OFP_HEADER_LEN, len, l, s, &used);
    if (err)
        return err;
    *out = s;
    *cls = (enum ken_ofp_class)tc->id;
    return 0;
}

/* ---- encoding ---- */

struct tenc {
    struct ken_buf *b;
    uint8_t version;
    char *why;
};

static int enc_struct(struct tenc *e, const struct ofp_tlayout *l, const void *in);
static const struct ofp_tlayout *class_layout(enum ken_ofp_class cls, uint8_t version, const struct ofp_tclass **tc);

/* A whole message of class cls: header, then its layout's fields. */
static int enc_message(struct tenc *e, uint32_t xid, enum ken_ofp_class cls, const void *msg)
{
    const struct ofp_tclass *tc;
    const struct ofp_tlayout *l = class_layout(cls, e->version, &tc);
    if (!l)
        return ofp_fail(e->why, EPROTONOSUPPORT, "OpenFlow %s has no %s", ken_ofp_version_name(e->version),
                        ken_ofp_class_name(cls) ? ken_ofp_class_name(cls) : "such class");
    size_t start = e->b->len;
    uint8_t *h = ken_buf_put_zeros(e->b, KEN_OFP_HEADER_LEN);
    h[OFPO_OFP_HEADER_VERSION] = e->version;
    h[OFPO_OFP_HEADER_TYPE] = l->type;
    wire_put32(h + OFPO_OFP_HEADER_XID, xid);
    int err = enc_struct(e, l, msg);
    return err ? err : ofp_msg_finish(e->b, start);
}

/* The message inside this one: its bytes when set, else its struct. In a
 * bundle-add (f->def: where the field starts in its message) the inner
 * message takes the outer one's xid, as OS-Ken's does, and is padded to 8
 * when properties (the next field) follow. */
static int enc_nested(struct tenc *e, const struct ofp_field *f, const struct ofp_tfield *tf, const void *in)
{
    const struct ken_ofp_tlv *item = (const void *)((const uint8_t *)in + tf->off);
    size_t start = e->b->len;
    if (item->raw.len) {
        if (!item->raw.data)
            return ofp_fail(e->why, EINVAL, "%s: %zu bytes but no pointer", f->name, item->raw.len);
        ken_buf_put(e->b, item->raw.data, item->raw.len);
    } else if (item->msg) {
        uint32_t xid = f->def ? wire_get32(e->b->data + start - f->def + OFPO_OFP_HEADER_XID) : 0;
        int err = enc_message(e, xid, (enum ken_ofp_class)item->cls, item->msg);
        if (err)
            return err;
    } else {
        return ofp_fail(e->why, EINVAL, "%s: no message (set cls and msg, or raw)", f->name);
    }
    if (f->def && f[1].kind != FK_END && tf[1].n_off && *(const size_t *)((const uint8_t *)in + tf[1].n_off))
        ken_buf_align(e->b, start, 8);
    return 0;
}

/* The layout an entry of class cls takes in list field f (kind: TLVs of a
 * described family, flow updates, hello elements), NULL when the list has
 * no such kind. */
static const struct ofp_tlayout *entry_layout(const struct ofp_field *f, uint8_t kind, int cls)
{
    const struct ofp_tclass *tc;
    const struct ofp_tlayout *l;
    switch (kind) {
    case TK_TLVS: {
        const struct ofp_poly *poly = f->sub;
        for (size_t i = 0; i < poly->n_entries; i++) {
            const struct ofp_tlv_layout *tl = tlv_layout_of(poly->entries[i].desc);
            if (tl && tl->tc->id == cls)
                return tl->l;
        }
        return NULL;
    }
    case TK_UPDATES:
        for (uint16_t event = 0; ofp_flow_update_desc(event); event++)
            if ((l = struct_layout_of(ofp_flow_update_desc(event), &tc)) && tc->id == cls)
                return l;
        return NULL;
    default: /* TK_HELLO_ELEMS: version bitmaps, padded as OS-Ken writes them */
        l = struct_layout_of(&hello_elem_bitmap, &tc);
        return l && tc->id == cls ? l : NULL;
    }
}

/* One entry of a list of several classes: its struct in its class's
 * layout, or (no struct) its bytes as they are. */
static int enc_entry(struct tenc *e, const struct ofp_field *f, uint8_t kind, const struct ken_ofp_tlv *item)
{
    if (!item->msg) {
        if (item->raw.len && !item->raw.data)
            return ofp_fail(e->why, EINVAL, "%s: an entry with neither a struct nor bytes", f->name);
        if (item->raw.len)
            ken_buf_put(e->b, item->raw.data, item->raw.len);
        return 0;
    }
    const struct ofp_tlayout *l = entry_layout(f, kind, item->cls);
    if (!l)
        return ofp_fail(e->why, EINVAL, "%s: a %s is not one of its kinds", f->name,
                        ken_ofp_class_name((enum ken_ofp_class)item->cls)
                            ? ken_ofp_class_name((enum ken_ofp_class)item->cls)
                            : "class-less entry");
    return enc_struct(e, l, item->msg);
}

/* NAT's range_present, then the ranges its bits announce, in the description's order. */
static int enc_nat(struct tenc *e, const struct ofp_tfield *tf, const void *in)
{
    const struct ofp_tlayout *l = nat_layout();
    if (!l)
        return ofp_fail(e->why, EPROTONOSUPPORT, "NAT: no typed ranges");
    unsigned present = *(const uint16_t *)((const uint8_t *)in + tf->off);
    const uint8_t *ranges = (const uint8_t *)in + tf->n_off;
    ken_buf_put16(e->b, (uint16_t)present);
    size_t i;
    for (i = 0; l->desc->fields[i].kind != FK_END; i++) {
        const struct ofp_field *f = &l->desc->fields[i];
        const struct ofp_tfield *rf = &l->tf[i];
        if (!(present & 1u << i))
            continue;
        if (rf->kind == TK_UINT) {
            uint64_t v = get_uint(ranges + rf->off, rf->csize);
            uint8_t *p = ken_buf_put_zeros(e->b, f->size);
            for (size_t k = f->size; k-- > 0; v >>= 8)
                p[k] = (uint8_t)v;
        } else {
            const struct ken_ofp_raw *r = (const void *)(ranges + rf->off);
            if (r->len != f->size || !r->data)
                return ofp_fail(e->why, EINVAL, "range.%s: %zu bytes, not %u", f->name, r->len, f->size);
            ken_buf_put(e->b, r->data, r->len);
        }
    }
    if (present >> i)
        return ofp_fail(e->why, ERANGE, "range_present 0x%x: bits past the %zu ranges", present, i);
    return 0;
}

static int enc_field(struct tenc *e, const struct ofp_field *f, const struct ofp_tfield *tf, const void *in)
{
    const void *m = (const uint8_t *)in + tf->off;
    /* a count at n_off (NAT's n_off is where its ranges are) */
    size_t n = tf->n_off && tf->kind != TK_NAT ? *(const size_t *)((const uint8_t *)in + tf->n_off) : 0;
    switch (tf->kind) { /* a list (or bytes): a count needs its array */
    case TK_LIST: case TK_UINTLIST: case TK_TLVS: case TK_UPDATES: case TK_HELLO_ELEMS: case TK_OXM_IDS:
    case TK_VERSIONS: case TK_DATA: case TK_LEARN_SPECS: case TK_NX_U16S:
        if (n && !*(const void *const *)m)
            return ofp_fail(e->why, EINVAL, "%s: %zu entries but no array", f->name, n);
        break;
    default:
        break;
    }
    switch (tf->kind) {
    case TK_OXM_LIST:
        /* reg_load2 loads one field, a set-field action sets one */
        if ((f->sub == &reg_load2 || f->sub == &ofp_oxm_one) && ((const struct ken_match *)m)->n != 1)
            return ofp_fail(e->why, EINVAL, "%s: %u fields, not one", f->name, ((const struct ken_match *)m)->n);
        fast_oxm_encode(e->b, m);
        return 0;
    case TK_MATCH:
        if (e->version == KEN_OFP10) {
            uint8_t *p = ken_buf_put_zeros(e->b, OFPS_OFP_MATCH10_DESC);
            int err = fast_match10_encode(p, m);
            return err ? ofp_fail(e->why, err, "the match has a field 1.0 cannot carry") : 0;
        }
        fast_match_encode(e->b, m);
        return 0;
    case TK_OBJ: {
        const struct ofp_tlayout *sl = nested_layout(tf->sub, f->sub);
        if (!sl)
            return ofp_fail(e->why, EPROTONOSUPPORT, "no typed layout for %s", f->name);
        return enc_struct(e, sl, m);
    }
    case TK_LIST: {
        const struct ofp_tlayout *sl = list_layout(f, tf);
        if (!sl)
            return ofp_fail(e->why, EPROTONOSUPPORT, "no typed layout for %s", f->name);
        const uint8_t *items = *(const void *const *)m;
        for (size_t i = 0; i < n; i++) {
            int err = enc_struct(e, sl, items + i * tf->sub->size);
            if (err)
                return err;
        }
        return 0;
    }
    case TK_NXM: { /* the header in its slot (0: the header's 4 bytes); a zero one as it came (the JSON codec reads it) */
        uint32_t h = *(const uint32_t *)m;
        if (h >> 16 == OXM_CLASS_EXPERIMENTER)
            return ofp_fail(e->why, EINVAL, "%s: an experimenter field has no typed form", f->name);
        ken_buf_put32(e->b, h);
        if (f->size > OXM_HEADER_LEN)
            ken_buf_put_zeros(e->b, f->size - OXM_HEADER_LEN);
        return 0;
    }
    case TK_INSTRUCTIONS:
        return ken_instructions_encode(e->b, e->version, *(const struct ken_instruction *const *)m, n);
    case TK_ACTIONS:
        return ken_actions_encode(e->b, e->version, *(const struct ken_action *const *)m, n);
    case TK_DATA: {
        const uint8_t *p = *(const uint8_t *const *)m;
        if (n)
            ken_buf_put(e->b, p, n);
        return 0;
    }
    case TK_MAC:
        ken_buf_put(e->b, m, 6);
        return 0;
    case TK_UINT:
    case TK_UINTS:
        for (size_t i = 0; i < (tf->kind == TK_UINTS ? f->arg : 1u); i++) {
            uint64_t v = get_uint((const uint8_t *)m + i * tf->csize, tf->csize);
            uint8_t *p = ken_buf_put_zeros(e->b, tf->csize);
            for (size_t k = tf->csize; k-- > 0; v >>= 8)
                p[k] = (uint8_t)v;
        }
        return 0;
    case TK_SKIP:
        return 0;
    case TK_GATE:
        return gate_check(e->why, f, e->version);
    case TK_UINTLIST: {
        const uint8_t *arr = *(const void *const *)m;
        for (size_t i = 0; i < n; i++) {
            uint64_t v = get_uint(arr + i * tf->csize, tf->csize);
            uint8_t *p = ken_buf_put_zeros(e->b, tf->csize);
            for (size_t k = tf->csize; k-- > 0; v >>= 8)
                p[k] = (uint8_t)v;
        }
        return 0;
    }
    case TK_TLVS:
    case TK_UPDATES:
    case TK_HELLO_ELEMS: {
        const struct ken_ofp_tlv *items = *(const struct ken_ofp_tlv *const *)m;
        for (size_t i = 0; i < n; i++) {
            int err = enc_entry(e, f, tf->kind, &items[i]);
            if (err)
                return err;
        }
        return 0;
    }
    case TK_STATS:
        return enc_stats(e->b, f, m, e->why);
    case TK_NESTED:
        return enc_nested(e, f, tf, in);
    case TK_VERSIONS: { /* the bitmap words that hold the highest version */
        const uint32_t *vs = *(const uint32_t *const *)m;
        uint32_t top = 0;
        for (size_t i = 0; i < n; i++) {
            if (vs[i] % 32 == 31 || vs[i] >= 0xffff * 8)
                return ofp_fail(e->why, ERANGE, "out of range: %s holds version %u", f->name, vs[i]);
            top = vs[i] > top ? vs[i] : top;
        }
        size_t start = e->b->len;
        ken_buf_put_zeros(e->b, (top / 32 + 1) * 4);
        for (size_t i = 0; i < n; i++) {
            uint8_t *word = e->b->data + start + vs[i] / 32 * 4;
            wire_put32(word, wire_get32(word) | UINT32_C(1) << (vs[i] % 32));
        }
        return 0;
    }
    case TK_NAT:
        return enc_nat(e, tf, in);
    case TK_CONTROLLER2:
        return nx_controller2_typed_enc(e->b, m, e->why);
    case TK_NX_U16S:
        if (n > UINT16_MAX)
            return ofp_fail(e->why, ERANGE, "%s: %zu ids do not fit a 16-bit count", f->name, n);
        nx_u16s_typed_enc(f->sub, e->b, *(const uint16_t *const *)m, n);
        return 0;
    case TK_LEARN_SPECS:
        return nx_learn_specs_typed_enc(e->b, *(const struct ken_nx_learn_spec *const *)m, n, f->name, e->why);
    case TK_OXM_IDS: {
        const struct ken_ofp_oxm_id *ids = *(const struct ken_ofp_oxm_id *const *)m;
        for (size_t i = 0; i < n; i++) {
            ken_buf_put32(e->b, ids[i].header);
            if (ids[i].header >> 16 == OXM_CLASS_EXPERIMENTER)
                ken_buf_put32(e->b, ids[i].experimenter);
        }
        return 0;
    }
    case TK_RAW: {
        const struct ken_ofp_raw *r = m;
        if (r->len && !r->data)
            return ofp_fail(e->why, EINVAL, "%s: %zu bytes but no pointer", f->name, r->len);
        if (r->len)
            ken_buf_put(e->b, r->data, r->len);
        return 0;
    }
    default: /* ports: the controller never sends them */
        return ofp_fail(e->why, EPROTONOSUPPORT, "%s: ken does not encode ports yet", f->name);
    }
}

static int enc_struct(struct tenc *e, const struct ofp_tlayout *l, const void *in)
{
    const struct ofp_field *fields = l->desc->fields;
    size_t start = e->b->len, len_at = SIZE_MAX;
    uint16_t len_size = 0;
    size_t patch_at[MAX_LENOF];
    bool patch[MAX_LENOF] = {false};
    for (size_t i = 0; fields[i].kind != FK_END; i++) {
        const struct ofp_field *f = &fields[i];
        const struct ofp_tfield *tf = &l->tf[i];
        const void *m = (const uint8_t *)in + tf->off;
        size_t field_start = e->b->len;
        switch (f->kind) {
        case FK_PAD:
            ken_buf_put_zeros(e->b, f->size);
            break;
        case FK_LEN:
            len_at = e->b->len;
            len_size = f->size;
            ken_buf_put_zeros(e->b, f->size);
            break;
        case FK_LENOF: /* written once the field it measures is */
            if (f->arg < MAX_LENOF && f->size == 2) {
                patch_at[f->arg] = e->b->len;
                patch[f->arg] = true;
            }
            ken_buf_put_zeros(e->b, f->size);
            break;
        case FK_UINT:
        case FK_IPV4: {
            uint64_t v = tf->kind == TK_UINT ? get_uint(m, tf->csize) : f->def; /* hidden: the multipart type */
            if (f->size < 8 && v >> (8 * f->size))
                return ofp_fail(e->why, ERANGE, "out of range: %s = %llu does not fit %u bytes in OpenFlow %s",
                                f->name, (unsigned long long)v, f->size, ken_ofp_version_name(e->version));
            uint8_t *p = ken_buf_put_zeros(e->b, f->size);
            switch (f->size) {
            case 1: *p = (uint8_t)v; break;
            case 2: wire_put16(p, (uint16_t)v); break;
            case 4: wire_put32(p, (uint32_t)v); break;
            default: wire_put64(p, v); break;
            }
            break;
        }
        case FK_MAC:
            ken_buf_put(e->b, m, 6);
            break;
        case FK_STR: {
            size_t k = strnlen(m, (size_t)f->size + 1);
            if (k > f->size)
                return ofp_fail(e->why, ERANGE, "out of range: %s is longer than %u bytes", f->name, f->size);
            uint8_t *p = ken_buf_put_zeros(e->b, f->size);
            memset(p, 0, f->size);
            memcpy(p, m, k);
            break;
        }
        case FK_DATA:
        case FK_OBJ:
        case FK_LIST:
        case FK_PLIST:
        case FK_CUSTOM: {
            int err = enc_field(e, f, tf, in);
            if (err)
                return err;
            break;
        }
        default:
            return ofp_fail(e->why, EPROTONOSUPPORT, "field kind %u", f->kind);
        }
        if (i < MAX_LENOF && patch[i]) {
            size_t n = e->b->len - field_start;
            if (n > 0xffff)
                return ofp_fail(e->why, KEN_OFPBRC_BAD_LEN, "%s: %zu bytes do not fit its length field", f->name, n);
            wire_put16(e->b->data + patch_at[i], (uint16_t)n);
        }
    }
    /* a structure padded to its desc's alignment: the length counts the
     * padding unless the desc says otherwise (properties) */
    bool excl_pad = l->desc->flags & DF_LEN_EXCL_PAD;
    if (l->desc->align > 1 && !excl_pad)
        ken_buf_align(e->b, start, l->desc->align);
    if (len_at != SIZE_MAX) {
        size_t len = e->b->len - start;
        if (len_size < 8 && len >> (8 * len_size))
            return ofp_fail(e->why, KEN_OFPBRC_BAD_LEN, "%s is too long for its length field", l->desc->cls);
        if (len_size == 2)
            wire_put16(e->b->data + len_at, (uint16_t)len);
        else if (len_size == 4)
            wire_put32(e->b->data + len_at, (uint32_t)len);
        else
            e->b->data[len_at] = (uint8_t)len;
    }
    if (l->desc->align > 1 && excl_pad)
        ken_buf_align(e->b, start, l->desc->align);
    return 0;
}

static const struct ofp_tlayout *class_layout(enum ken_ofp_class cls, uint8_t version, const struct ofp_tclass **tc)
{
    if (!ken_ofp_class_name(cls))
        return NULL;
    *tc = ofp_tclasses[cls];
    for (size_t i = 0; i < (*tc)->n_layouts; i++)
        if ((*tc)->layouts[i].version == version)
            return &(*tc)->layouts[i];
    return NULL;
}

int ken_ofp_encode(struct ken_buf *b, uint8_t version, uint32_t xid, enum ken_ofp_class cls, const void *msg,
                   char why[KEN_WHY_LEN])
{
    why[0] = 0;
    const struct ofp_tclass *tc;
    const struct ofp_tlayout *l = class_layout(cls, version, &tc);
    if (!l)
        return ofp_fail(why, EPROTONOSUPPORT, "OpenFlow %s has no %s", ken_ofp_version_name(version),
                        ken_ofp_class_name(cls) ? ken_ofp_class_name(cls) : "such class");
    size_t start = b->len;
    struct tenc e = {.b = b, .version = version, .why = why};
    int err = enc_message(&e, xid, cls, msg);
    /* What goes out is what the JSON codec accepts (and so OS-Ken reads):
     * a value the struct can hold but the wire cannot is caught here. */
    if (!err)
        err = ken_ofp_validate(b->data + start, b->len - start, why);
    if (err)
        b->len = start;
    return err;
}

int ken_ofp_init(void *msg, enum ken_ofp_class cls, uint8_t version)
{
    const struct ofp_tclass *tc;
    const struct ofp_tlayout *l = class_layout(cls, version, &tc);
    /* a structure inside messages (a bucket, a property) has one layout per
     * form, not per version: its first one gives the defaults */
    if (!l && ken_ofp_class_name(cls) && ofp_tclasses[cls]->layouts[0].version == 0) {
        tc = ofp_tclasses[cls];
        l = &tc->layouts[0];
    }
    if (!l)
        return EPROTONOSUPPORT;
    memset(msg, 0, tc->size);
    for (size_t i = 0; l->desc->fields[i].kind != FK_END; i++) {
        const struct ofp_field *f = &l->desc->fields[i];
        const struct ofp_tfield *tf = &l->tf[i];
        if (tf->kind == TK_UINT && f->def)
            put_uint(member(msg, tf->off), tf->csize, f->def);
        else if (tf->kind == TK_MATCH || tf->kind == TK_OXM_LIST)
            ken_match_init(member(msg, tf->off));
    }
    return 0;
}

int ken_ofp_concat(enum ken_ofp_class cls, void *whole, const void *part, struct ken_arena *a)
{
    if (!ken_ofp_class_name(cls))
        return EINVAL;
    const struct ofp_tclass *tc = ofp_tclasses[cls];
    /* the list members, each once (several layouts share a member) */
    size_t n_done = 0;
    uint32_t offs[64];
    for (size_t li = 0; li < tc->n_layouts; li++) {
        const struct ofp_tlayout *l = &tc->layouts[li];
        for (size_t i = 0; l->desc->fields[i].kind != FK_END; i++) {
            const struct ofp_tfield *tf = &l->tf[i];
            size_t elem;
            switch (tf->kind) {
            case TK_LIST: elem = tf->sub->size; break;
            case TK_PORTS: elem = sizeof(struct ken_port); break;
            case TK_INSTRUCTIONS: elem = sizeof(struct ken_instruction); break;
            case TK_ACTIONS: elem = sizeof(struct ken_action); break;
            case TK_TLVS:
            case TK_UPDATES: elem = sizeof(struct ken_ofp_tlv); break;
            case TK_OXM_IDS: elem = sizeof(struct ken_ofp_oxm_id); break;
            case TK_LEARN_SPECS: elem = sizeof(struct ken_nx_learn_spec); break;
            case TK_NX_U16S: elem = sizeof(uint16_t); break;
            case TK_HELLO_ELEMS: elem = sizeof(struct ken_ofp_tlv); break;
            case TK_VERSIONS: elem = sizeof(uint32_t); break;
            default: continue;
            }
            bool seen = false;
            for (size_t k = 0; k < n_done; k++)
                seen |= offs[k] == tf->off;
            if (seen || n_done == 64)
                continue;
            offs[n_done++] = tf->off;
            const void **wp = member(whole, tf->off);
            size_t *wn = member(whole, tf->n_off);
            const void *pp = *(const void *const *)((const uint8_t *)part + tf->off);
            size_t pn = *(const size_t *)((const uint8_t *)part + tf->n_off);
            if (!pn)
                continue;
            uint8_t *joined = ken_arena_calloc(a, *wn + pn, elem);
            if (!joined)
                return ENOMEM;
            if (*wn)
                memcpy(joined, *wp, *wn * elem);
            memcpy(joined + *wn * elem, pp, pn * elem);
            *wp = joined;
            *wn += pn;
        }
    }
    return 0;
}

/* ---- Nicira, 1.0 and 1.2+ actions: struct ken_action's KEN_ACT_TYPED ---- */

extern const struct ofp_poly of10_action_poly;

static const struct ofp_poly *action_poly(uint8_t version)
{
    return version == KEN_OFP10 ? &of10_action_poly : &ofp_actions;
}

int ofp_typed_action_decode(const uint8_t *q, size_t len, uint8_t version, struct ken_arena *a, struct ken_action *out)
{
    const struct ofp_desc *desc = NULL;
    size_t span, used;
    if (ofp_poly_element(q, len, version, action_poly(version), &desc, &span) || !desc || span != len)
        return ENOENT;
    const struct ofp_tlv_layout *tl = tlv_layout_of(desc);
    if (!tl)
        return ENOENT;
    void *s = ken_arena_alloc(a, tl->tc->size);
    if (!s)
        return ENOMEM;
    char why[KEN_WHY_LEN];
    why[0] = 0;
    struct tdec t = {.msg = q, .version = version, .a = a, .why = why};
    int err = dec_struct(&t, 0, len, tl->l, s, &used);
    if (err)
        return err == ENOMEM ? ENOMEM : ENOENT; /* its bytes, then: the JSON codec's checks passed */
    /* Typed only when the struct gives these bytes back: bytes past its
     * fields (which OS-Ken skips) or other padding stay the action's bytes. */
    struct ken_buf back = KEN_BUF_INIT;
    struct tenc e = {.b = &back, .version = version, .why = why};
    err = enc_struct(&e, tl->l, s);
    bool same = !err && back.len == len && !memcmp(back.data, q, len);
    ken_buf_free(&back);
    if (!same)
        return err == ENOMEM ? ENOMEM : ENOENT;
    *out = (struct ken_action){.type = KEN_ACT_TYPED};
    out->u.typed.bytes = q;
    out->u.typed.len = (uint16_t)len;
    out->u.typed.cls = tl->tc->id;
    out->u.typed.msg = s;
    return 0;
}

/* The layout of class cls among a family's entries (n of them), or NULL. */
static const struct ofp_tlayout *action_layout_in(const struct ofp_poly_entry *entries, size_t n, int cls)
{
    for (size_t i = 0; i < n; i++) {
        const struct ofp_tlv_layout *tl = tlv_layout_of(entries[i].desc);
        if (tl && tl->tc->id == cls)
            return tl->l;
    }
    return NULL;
}

int ofp_typed_action_encode(struct ken_buf *b, uint8_t version, int cls, const void *msg, char why[KEN_WHY_LEN])
{
    const struct ofp_poly *poly = action_poly(version);
    const struct ofp_tlayout *l = action_layout_in(ofp_nx_action_entries, ofp_n_nx_action_entries, cls);
    if (!l)
        l = action_layout_in(poly->entries, poly->n_entries, cls);
    if (!l)
        return ofp_fail(why, KEN_OFPBAC_BAD_TYPE, "%s is not an action of OpenFlow %s",
                        ken_ofp_class_name((enum ken_ofp_class)cls) ? ken_ofp_class_name((enum ken_ofp_class)cls)
                                                                    : "a class-less struct",
                        ken_ofp_version_name(version));
    struct tenc e = {.b = b, .version = version, .why = why};
    size_t start = b->len;
    int err = enc_struct(&e, l, msg);
    if (err)
        b->len = start;
    return err;
}
