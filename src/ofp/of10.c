/* OpenFlow 1.0: every message OS-Ken 2.5 knows, in its JSON shape.
 *
 * 1.0 differs from 1.2+ in ways the shared pieces cannot absorb: its own
 * fixed 40-byte match with wildcard bits, its own action set (16-bit ports,
 * "type"/"len" never in JSON), stats with a 4-byte header, features replies
 * that list their ports as an object keyed by port number, and the Nicira
 * vendor messages OS-Ken decodes inside OFPVendor. */
#include <string.h>

#include "ken/ofp_consts.h"
#include "ofp/actions.h"
#include "ofp/msgs.h"
#include "ofp/msgtable.h"
#include "ofp/ofp_spec.h"
#include "ofp/packet_json.h"
#include "ofp/wire.h"

#define NX_VENDOR_ID 0x2320u

/* ---- small custom codecs ---- */

/* A key that OS-Ken always shows as null (the "data" of NX messages). */
static int of10_dec_null(struct dctx *d, size_t end, const struct ofp_field *f, json_object *obj)
{
    (void)d, (void)end;
    json_object_object_add(obj, f->name, NULL);
    return 0;
}

const struct ofp_custom of10_null = {of10_dec_null, ofp_enc_nothing, NULL, false};

/* ---- the match ---- */

enum {
    OFPFW10_IN_PORT = 1 << 0,
    OFPFW10_DL_VLAN = 1 << 1,
    OFPFW10_DL_SRC = 1 << 2,
    OFPFW10_DL_DST = 1 << 3,
    OFPFW10_DL_TYPE = 1 << 4,
    OFPFW10_NW_PROTO = 1 << 5,
    OFPFW10_TP_SRC = 1 << 6,
    OFPFW10_TP_DST = 1 << 7,
    OFPFW10_NW_SRC_SHIFT = 8,
    OFPFW10_NW_DST_SHIFT = 14,
    OFPFW10_DL_VLAN_PCP = 1 << 20,
    OFPFW10_NW_TOS = 1 << 21,
    OFPFW10_ALL = (1 << 22) - 1,
};

static bool of10_has(json_object *obj, const char *key)
{
    json_object *v;
    return json_object_object_get_ex(obj, key, &v) && !json_object_is_type(v, json_type_null);
}

/* An address field with a prefix length ("nw_src_mask", default 32) leaves
 * 32 - prefix bits wildcarded, as OS-Ken's OFPMatch(nw_src=..., nw_src_mask=...). */
static int of10_wildcard_prefix(struct ectx *e, json_object *obj, const char *key, const char *mask_key,
                                unsigned shift, uint32_t *wc)
{
    if (!of10_has(obj, key))
        return 0;
    uint64_t prefix = 32;
    if (ofp_json_get_uint(e, obj, mask_key, 32, &prefix) < 0)
        return KEN_OFPBMC_BAD_VALUE;
    *wc = (*wc & ~(0x3fu << shift)) | (uint32_t)(32 - prefix) << shift;
    return 0;
}

/* "wildcards" as given; when absent, every field the JSON names is matched
 * and every other field is wildcarded (OS-Ken builds a match that way). */
static int of10_wildcards_from_fields(struct ectx *e, json_object *obj, uint32_t *wc)
{
    static const struct {
        const char *key;
        uint32_t bit;
    } exact[] = {
        {"in_port", OFPFW10_IN_PORT},   {"dl_vlan", OFPFW10_DL_VLAN},         {"dl_src", OFPFW10_DL_SRC},
        {"dl_dst", OFPFW10_DL_DST},     {"dl_type", OFPFW10_DL_TYPE},         {"nw_proto", OFPFW10_NW_PROTO},
        {"tp_src", OFPFW10_TP_SRC},     {"tp_dst", OFPFW10_TP_DST},           {"dl_vlan_pcp", OFPFW10_DL_VLAN_PCP},
        {"nw_tos", OFPFW10_NW_TOS},
    };
    *wc = OFPFW10_ALL;
    for (size_t i = 0; i < sizeof exact / sizeof exact[0]; i++)
        if (of10_has(obj, exact[i].key))
            *wc &= ~exact[i].bit;
    if (of10_wildcard_prefix(e, obj, "nw_src", "nw_src_mask", OFPFW10_NW_SRC_SHIFT, wc) ||
        of10_wildcard_prefix(e, obj, "nw_dst", "nw_dst_mask", OFPFW10_NW_DST_SHIFT, wc))
        return KEN_OFPBMC_BAD_VALUE;
    return 0;
}

static int of10_dec_wildcards(struct dctx *d, size_t end, const struct ofp_field *f, json_object *obj)
{
    if (end - d->pos < 4)
        return DFAIL(d, KEN_OFPBRC_BAD_LEN, "OFPMatch: %zu bytes cannot hold the 40-byte match", end - d->pos);
    if (obj) /* NULL: validating (ofp_custom.validates) */
        json_object_object_add(obj, f->name, ofp_json_uint(wire_get32(d->p + d->pos)));
    d->pos += 4;
    return 0;
}

static int of10_enc_wildcards(struct ectx *e, const struct ofp_field *f, json_object *obj)
{
    uint64_t given;
    uint32_t wc;
    int r = ofp_json_get_uint(e, obj, f->name, UINT32_MAX, &given);
    if (r < 0)
        return -r;
    if (r == 0)
        wc = (uint32_t)given;
    else if (of10_wildcards_from_fields(e, obj, &wc))
        return KEN_OFPBMC_BAD_VALUE;
    ken_buf_put32(e->b, wc);
    return 0;
}

const struct ofp_custom of10_wildcards = {of10_dec_wildcards, of10_enc_wildcards, NULL, true};

/* The 1.0 match's layout is in src/ofp/spec/openflow.def (struct ofp_match10_desc). */

/* ---- actions ---- */

/* The 1.0 actions are laid out in src/ofp/spec/openflow.def (family
 * of10_action_poly, the NX actions tried first), which also gives each
 * standard one's fixed size (1.0 fixes them). */
extern const struct ofp_poly of10_action_poly;
extern const uint8_t of10_action_poly_size[];
extern const size_t of10_action_poly_n_sizes;

static bool of10_is_own_action(const char *cls)
{
    for (size_t i = 0; i < of10_action_poly.n_entries; i++)
        if (!strcmp(of10_action_poly.entries[i].desc->cls, cls))
            return true;
    return false;
}

static void of10_rename_key(json_object *obj, const char *from, const char *to)
{
    json_object *v;
    if (json_object_object_get_ex(obj, from, &v)) {
        json_object_object_add(obj, to, json_object_get(v));
        json_object_object_del(obj, from);
    }
}

/* The NX action codecs write the 1.2+ JSON ("type", "len", "experimenter");
 * OS-Ken's 1.0 shows "vendor" alone. */
static void of10_nx_to_10(json_object *body)
{
    json_object_object_del(body, "type");
    json_object_object_del(body, "len");
    of10_rename_key(body, "experimenter", "vendor");
}

/* A copy of a 1.0 NX action's JSON in the 1.2+ shape the NX codecs read. */
static json_object *of10_nx_from_10(const char *cls, json_object *body)
{
    json_object *copy = json_object_new_object();
    json_object_object_foreach(body, k, v)
        json_object_object_add(copy, strcmp(k, "vendor") ? k : "experimenter", json_object_get(v));
    return ofp_wrap(cls, copy);
}

int ofp_of10_dec_action(struct dctx *d, size_t end, json_object **out)
{
    const uint8_t *p = d->p + d->pos;
    size_t avail = end - d->pos;
    if (avail < 8)
        return DFAIL(d, KEN_OFPBAC_BAD_LEN, "action: %zu bytes cannot hold a header", avail);
    uint16_t type = wire_get16(p), len = wire_get16(p + 2);
    if (len < 8 || len % 8 || len > avail)
        return DFAIL(d, KEN_OFPBAC_BAD_LEN, "action type %u: length %u (%zu bytes left)", type, len, avail);
    if (type < of10_action_poly_n_sizes && len != of10_action_poly_size[type])
        return DFAIL(d, KEN_OFPBAC_BAD_LEN, "action type %u: length %u, must be %u", type, len,
                     of10_action_poly_size[type]);
    int err = ofp_dec_poly(d, d->pos + len, &of10_action_poly, out);
    const char *cls = NULL;
    json_object *body = err ? NULL : ofp_unwrap(*out, &cls);
    if (body && !of10_is_own_action(cls))
        of10_nx_to_10(body);
    return err;
}

static int of10_enc_action(struct ectx *e, json_object *wrapped)
{
    const char *cls = NULL;
    json_object *body = ofp_unwrap(wrapped, &cls);
    if (!body || !json_object_is_type(body, json_type_object))
        return EFAIL(e, KEN_OFPBAC_BAD_TYPE, "action: expected {\"Class\": {...}}");
    if (of10_is_own_action(cls))
        return ofp_enc_poly(e, &of10_action_poly, wrapped);
    json_object *copy = of10_nx_from_10(cls, body);
    int err = ofp_enc_poly(e, &of10_action_poly, copy);
    json_object_put(copy);
    return err;
}

static int of10_dec_actions(struct dctx *d, size_t end, const struct ofp_field *f, json_object *obj)
{
    json_object *arr = json_object_new_array();
    json_object_object_add(obj, f->name, arr);
    while (d->pos < end) {
        json_object *el = NULL;
        int err = ofp_of10_dec_action(d, end, &el);
        if (err)
            return ofp_lenient_stop(d, end, err);
        json_object_array_add(arr, el);
    }
    return 0;
}

static int of10_enc_actions(struct ectx *e, const struct ofp_field *f, json_object *obj)
{
    int err;
    json_object *arr = ofp_json_get_list(e, obj, f->name, KEN_OFPBAC_BAD_TYPE, &err);
    for (size_t i = 0; arr && !err && i < json_object_array_length(arr); i++)
        err = of10_enc_action(e, json_object_array_get_idx(arr, i));
    return err;
}

const struct ofp_custom ofp_of10_actions = {of10_dec_actions, of10_enc_actions, NULL, false};

/* ---- ports ---- */

extern const struct ofp_desc of10_phy_port; /* OFPPhyPort, in the description */

/* The features reply's ports. */
static int of10_dec_ports(struct dctx *d, size_t end, const struct ofp_field *f, json_object *obj)
{
    return ofp_dec_port_map(d, end, f, obj, &of10_phy_port);
}

static int of10_enc_ports(struct ectx *e, const struct ofp_field *f, json_object *obj)
{
    return ofp_enc_port_map(e, f, obj, &of10_phy_port);
}

const struct ofp_custom of10_ports = {of10_dec_ports, of10_enc_ports, NULL, false};

/* ---- packet data ---- */

static void of10_take_base64(struct dctx *d, size_t end, const char *key, json_object *obj)
{
    json_object_object_add(obj, key, ofp_json_base64(d->p + d->pos, end - d->pos));
    d->pos = end;
}

/* Packet-out data, base64 or a packet-library {"Packet": {...}} (the
 * shared codec); no data decodes as null, as OS-Ken shows a buffered
 * packet-out. */
static int of10_dec_packet(struct dctx *d, size_t end, const struct ofp_field *f, json_object *obj)
{
    if (d->pos != end)
        return ofp_packet_data.dec(d, end, f, obj);
    json_object_object_add(obj, f->name, NULL);
    return 0;
}

static int of10_enc_packet(struct ectx *e, const struct ofp_field *f, json_object *obj)
{
    return ofp_packet_data.enc(e, f, obj);
}

const struct ofp_custom of10_packet = {of10_dec_packet, of10_enc_packet, NULL, false};

/* ---- message bodies (the simple ones are laid out in src/ofp/spec/openflow.def) ---- */

#define MSG(var, cls, ...)                                                  \
    static const struct ofp_field var##_fields[] = {__VA_ARGS__, F_END}; \
    static const struct ofp_desc var = {cls, var##_fields, 0, 0}


/* The queue-get-config reply is laid out in src/ofp/spec/openflow.def. */

/* ---- vendor messages ---- */

/* The Nicira messages OS-Ken builds (requests) or decodes (replies, shown
 * inside OFPVendor's "data") are laid out in src/ofp/spec/openflow.def
 * (family nx_msgs, with their encoding rows, ofp_rows_nx_msgs). */
extern const struct ofp_desc *const nx_msgs[];
extern const size_t nx_msgs_n;
#define N_NX_MSGS nx_msgs_n

/* A Nicira message's desc by subtype (the default of its field 1). */
static const struct ofp_desc *of10_nx_msg_by_subtype(uint32_t subtype)
{
    for (size_t i = 0; i < N_NX_MSGS; i++)
        if (nx_msgs[i]->fields[1].def == subtype)
            return nx_msgs[i];
    return NULL;
}

static const struct ofp_desc *of10_nx_msg_by_class(const char *cls)
{
    for (size_t i = 0; i < N_NX_MSGS; i++)
        if (!strcmp(nx_msgs[i]->cls, cls))
            return nx_msgs[i];
    return NULL;
}

/* OFPVendor's vendor and data together: a Nicira message OS-Ken knows
 * becomes {"NXT...": {...}} (re-reading the vendor id it repeats), any
 * other payload is base64. */
static int of10_dec_vendor(struct dctx *d, size_t end, const struct ofp_field *f, json_object *obj)
{
    (void)f;
    if (end - d->pos < 4)
        return DFAIL(d, KEN_OFPBRC_BAD_LEN, "OFPVendor: %zu bytes cannot hold a vendor id", end - d->pos);
    uint32_t vendor = wire_get32(d->p + d->pos);
    json_object_object_add(obj, "vendor", ofp_json_uint(vendor));
    const struct ofp_desc *nx = NULL;
    if (vendor == NX_VENDOR_ID && end - d->pos >= 8)
        nx = of10_nx_msg_by_subtype(wire_get32(d->p + d->pos + 4));
    if (!nx) {
        d->pos += 4;
        of10_take_base64(d, end, "data", obj);
        return 0;
    }
    json_object *data = NULL;
    int err = ofp_dec_struct(d, end, nx, &data);
    if (!err)
        json_object_object_add(obj, "data", data);
    return err;
}

static int of10_enc_vendor(struct ectx *e, const struct ofp_field *f, json_object *obj)
{
    (void)f;
    json_object *data = NULL;
    const char *cls = NULL;
    json_object *body = json_object_object_get_ex(obj, "data", &data) ? ofp_unwrap(data, &cls) : NULL;
    const struct ofp_desc *nx = body ? of10_nx_msg_by_class(cls) : NULL;
    if (nx)
        return ofp_enc_struct(e, nx, body);
    uint64_t vendor = 0;
    int r = ofp_json_get_uint(e, obj, "vendor", UINT32_MAX, &vendor);
    if (r < 0)
        return -r;
    ken_buf_put32(e->b, (uint32_t)vendor);
    if (!data || json_object_is_type(data, json_type_null))
        return 0;
    return ofp_json_put_base64(e, data, "data");
}

static const char *const of10_vendor_keys[] = {"vendor", "data", NULL};
static const struct ofp_custom of10_vendor_body = {of10_dec_vendor, of10_enc_vendor, of10_vendor_keys, false};
MSG(vendor_msg, "OFPVendor", F_CUSTOM("", &of10_vendor_body));

/* ---- stats ---- */

/* The stats requests and replies and their entries are laid out in
 * src/ofp/spec/openflow.def. */



/* ---- the message table ---- */

#define ROW(type, desc) {OFPV(KEN_OFP10), type, OFP_NO_MP, OFP_ANY, &desc}

static const struct ofp_msg_row rows[] = {
    ROW(OFPT10_VENDOR, vendor_msg),
};
OFP_MSG_ROWS(ofp_rows_of10, rows);
