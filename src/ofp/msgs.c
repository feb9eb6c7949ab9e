/* The controller/switch messages of OpenFlow 1.2-1.5 other than
 * multipart: layouts from the specs, JSON names and shapes from OS-Ken
 * 2.5's to_jsondict(). One description serves every version whose layout
 * is the same; the rows at the end say which versions use which. */
#include <errno.h>
#include <string.h>

#include "ken/ofp_consts.h"
#include "ofp/actions.h"
#include "ofp/msgs.h"
#include "ofp/msgtable.h"
#include "ofp/ofp_spec.h"
#include "ofp/oxm.h"
#include "ofp/packet_json.h"
#include "ofp/ports.h"
#include "ofp/wire.h"

/* Shorthands for the tables below. */
#define DESC(var, cls, align, flags, ...)                                   \
    static const struct ofp_field var##_fields[] = {__VA_ARGS__, F_END}; \
    static const struct ofp_desc var = {cls, var##_fields, align, flags}
#define MSG(var, cls, ...) DESC(var, cls, 0, 0, __VA_ARGS__)
#define ROUND8(n) (((size_t)(n) + 7) / 8 * 8)

#define OFPET_EXPERIMENTER 0xffff
#define EXP_TYPE 0xffff
/* How many messages may sit inside one another (bundle add, request
 * forward): one, as OpenFlow allows; the bound also stops hostile input from
 * driving deep recursion. */
#define MAX_NESTING 1

/* ---- irregular fields ---- */

/* Experimenter data words, the 1.3 async masks, table ids, port numbers... */
static int uints_dec(struct dctx *d, size_t end, const struct ofp_field *f, json_object *obj)
{
    size_t avail = end - d->pos;
    size_t n = f->arg ? f->arg : avail / f->size;
    if (n * f->size > avail || (!f->arg && avail % f->size))
        return DFAIL(d, KEN_OFPBRC_BAD_LEN, "%s: %zu bytes are not a list of %u-byte values", f->name, avail, f->size);
    json_object *arr = json_object_new_array();
    for (size_t i = 0; i < n; i++, d->pos += f->size)
        json_object_array_add(arr, ofp_json_uint(wire_getn(d->p + d->pos, f->size)));
    json_object_object_add(obj, f->name, arr);
    return 0;
}

static int uints_enc(struct ectx *e, const struct ofp_field *f, json_object *obj)
{
    int err;
    json_object *arr = ofp_json_get_list(e, obj, f->name, EINVAL, &err);
    if (err)
        return err;
    size_t n = arr ? json_object_array_length(arr) : 0;
    if (f->arg && n != f->arg)
        return EFAIL(e, EINVAL, "type error: \"%s\" must be a list of %u integers", f->name, f->arg);
    uint64_t max = f->size == 8 ? UINT64_MAX : (UINT64_C(1) << (8 * f->size)) - 1;
    for (size_t i = 0; i < n; i++) {
        uint64_t v;
        int err = ofp_json_uint_value(e, json_object_array_get_idx(arr, i), f->name, max, &v);
        if (err)
            return err;
        wire_putn(ken_buf_put_zeros(e->b, f->size), v, f->size);
    }
    return 0;
}

const struct ofp_custom ofp_uints = {uints_dec, uints_enc, NULL, false};

static int text_rest_dec(struct dctx *d, size_t end, const struct ofp_field *f, json_object *obj)
{
    json_object_object_add(obj, f->name, ofp_json_text(d->p + d->pos, end - d->pos));
    d->pos = end;
    return 0;
}

static int text_rest_enc(struct ectx *e, const struct ofp_field *f, json_object *obj)
{
    json_object *v = NULL;
    if (!json_object_object_get_ex(obj, f->name, &v) || !json_object_is_type(v, json_type_string))
        return EFAIL(e, EINVAL, "type error: \"%s\" must be a string", f->name);
    ken_buf_put(e->b, json_object_get_string(v), (size_t)json_object_get_string_len(v));
    return 0;
}

const struct ofp_custom ofp_text_rest = {text_rest_dec, text_rest_enc, NULL, false};

static int ignore_rest_dec(struct dctx *d, size_t end, const struct ofp_field *f, json_object *obj)
{
    (void)f, (void)obj;
    d->pos = end;
    return 0;
}

int ofp_enc_nothing(struct ectx *e, const struct ofp_field *f, json_object *obj)
{
    (void)e, (void)f, (void)obj;
    return 0;
}

const struct ofp_custom ofp_ignore_rest = {ignore_rest_dec, ofp_enc_nothing, NULL, false};

/* A MAC address that encodes from any of OS-Ken's spellings: its 1.2
 * port-mod JSON writes "00-11-00-00-11-11". */
static int msg_dec_mac(struct dctx *d, size_t end, const struct ofp_field *f, json_object *obj)
{
    char s[18];
    if (end - d->pos < 6)
        return DFAIL(d, KEN_OFPBRC_BAD_LEN, "%s: needs 6 bytes", f->name);
    ofp_fmt_mac(s, d->p + d->pos);
    json_object_object_add(obj, f->name, json_object_new_string(s));
    d->pos += 6;
    return 0;
}

static int msg_enc_mac(struct ectx *e, const struct ofp_field *f, json_object *obj)
{
    json_object *v = NULL;
    uint8_t *mac = ken_buf_put_zeros(e->b, 6);
    if (!json_object_object_get_ex(obj, f->name, &v) || json_object_is_type(v, json_type_null))
        return 0;
    char s[18] = "";
    if (json_object_is_type(v, json_type_string) && json_object_get_string_len(v) < (int)sizeof s)
        strcpy(s, json_object_get_string(v));
    for (char *c = s; *c; c++)
        if (*c == '-')
            *c = ':';
    return ofp_parse_mac(s, mac) ? EFAIL(e, EINVAL, "type error: \"%s\" must be a MAC address", f->name) : 0;
}

const struct ofp_custom msg_mac = {msg_dec_mac, msg_enc_mac, NULL, false};

/* ---- hello ---- */

/* Version bitmaps as the list of versions they name. OS-Ken reads bits 0-30
 * of each word only; decoding does the same. */
static int hello_dec_versions(struct dctx *d, size_t end, const struct ofp_field *f, json_object *obj)
{
    if ((end - d->pos) % 4)
        return DFAIL(d, KEN_OFPBRC_BAD_LEN, "hello version bitmap: %zu bytes", end - d->pos);
    json_object *arr = json_object_new_array();
    for (unsigned word = 0; d->pos < end; word++, d->pos += 4) {
        uint32_t bits = wire_get32(d->p + d->pos);
        for (unsigned bit = 0; bit < 31; bit++)
            if (bits & (UINT32_C(1) << bit))
                json_object_array_add(arr, json_object_new_int64(word * 32 + bit));
    }
    json_object_object_add(obj, f->name, arr);
    return 0;
}

static int hello_enc_versions(struct ectx *e, const struct ofp_field *f, json_object *obj)
{
    json_object *arr = NULL;
    if (!json_object_object_get_ex(obj, f->name, &arr) || !json_object_is_type(arr, json_type_array))
        return EFAIL(e, EINVAL, "type error: \"%s\" must be a list of versions", f->name);
    uint64_t top = 0;
    size_t n = json_object_array_length(arr);
    for (size_t i = 0; i < n; i++) {
        uint64_t v;
        int err = ofp_json_uint_value(e, json_object_array_get_idx(arr, i), f->name, 254, &v);
        if (err)
            return err;
        top = v > top ? v : top;
    }
    size_t start = e->b->len;
    ken_buf_put_zeros(e->b, (top / 32 + 1) * 4);
    for (size_t i = 0; i < n; i++) {
        uint64_t v = json_object_get_uint64(json_object_array_get_idx(arr, i));
        uint8_t *word = e->b->data + start + v / 32 * 4;
        wire_put32(word, wire_get32(word) | UINT32_C(1) << (v % 32));
    }
    return 0;
}

const struct ofp_custom hello_versions = {hello_dec_versions, hello_enc_versions, NULL, false};

/* The element's two layouts (padded when encoded; the last one decoded
 * without its padding, as OS-Ken does) are in src/ofp/spec/openflow.def. */
static const struct ofp_poly_entry hello_elem_entries[] = {OFP_ENTRY(OFPHET_VERSIONBITMAP, hello_elem_bitmap)};
static POLY(hello_elems, "hello element", KEN_OFPBRC_BAD_LEN, KEN_OFPBRC_BAD_LEN, hello_elem_entries);

/* Hello elements: the version bitmap is the one kind OS-Ken knows; the
 * spec says to ignore others, so decoding skips them. */
static int hello_dec_elements(struct dctx *d, size_t end, const struct ofp_field *f, json_object *obj)
{
    json_object *arr = json_object_new_array();
    json_object_object_add(obj, f->name, arr);
    while (d->pos < end) {
        if (end - d->pos < 4)
            return DFAIL(d, KEN_OFPBRC_BAD_LEN, "hello element: %zu bytes cannot hold a header", end - d->pos);
        size_t start = d->pos, type = wire_get16(d->p + start), len = wire_get16(d->p + start + 2);
        if (len < 4 || len > end - start)
            return DFAIL(d, KEN_OFPBRC_BAD_LEN, "hello element type %zu: bad length %zu", type, len);
        size_t span = ROUND8(len) <= end - start ? ROUND8(len) : len;
        if (type == OFPHET_VERSIONBITMAP) {
            json_object *el = NULL;
            int err = ofp_dec_struct(d, start + len, &hello_elem_bitmap_unpadded, &el);
            if (err)
                return err;
            json_object_array_add(arr, el);
        }
        d->pos = start + span;
    }
    return 0;
}

static int hello_enc_elements(struct ectx *e, const struct ofp_field *f, json_object *obj)
{
    int err;
    json_object *arr = ofp_json_get_list(e, obj, f->name, EINVAL, &err);
    return arr ? ofp_enc_plist(e, &hello_elems, arr) : err;
}

const struct ofp_custom hello_elements = {hello_dec_elements, hello_enc_elements, NULL, false};



/* ---- error ---- */

/* After the type comes a code, or for OFPET_EXPERIMENTER an exp_type and
 * an experimenter id (and "code" is null). */
static int error_dec_code(struct dctx *d, size_t end, const struct ofp_field *f, json_object *obj)
{
    json_object *type = NULL;
    json_object_object_get_ex(obj, "type", &type);
    bool exp = json_object_get_int64(type) == OFPET_EXPERIMENTER;
    size_t need = exp ? 6 : 2;
    if (end - d->pos < need)
        return DFAIL(d, KEN_OFPBRC_BAD_LEN, "error: %zu bytes cannot hold its code", end - d->pos);
    const uint8_t *p = d->p + d->pos;
    if (exp) {
        json_object_object_add(obj, f->name, NULL);
        json_object_object_add(obj, "exp_type", ofp_json_uint(wire_get16(p)));
        json_object_object_add(obj, "experimenter", ofp_json_uint(wire_get32(p + 2)));
    } else {
        json_object_object_add(obj, f->name, ofp_json_uint(wire_get16(p)));
    }
    d->pos += need;
    return 0;
}

static int error_enc_code(struct ectx *e, const struct ofp_field *f, json_object *obj)
{
    uint64_t type = 0, code = 0, exp_type = 0, experimenter = 0;
    int r = ofp_json_get_uint(e, obj, "type", 0xffff, &type);
    if (r < 0)
        return -r;
    if (type != OFPET_EXPERIMENTER) {
        if ((r = ofp_json_get_uint(e, obj, f->name, 0xffff, &code)) < 0)
            return -r;
        ken_buf_put16(e->b, (uint16_t)code);
        return 0;
    }
    if ((r = ofp_json_get_uint(e, obj, "exp_type", 0xffff, &exp_type)) < 0 ||
        (r = ofp_json_get_uint(e, obj, "experimenter", UINT32_MAX, &experimenter)) < 0)
        return -r;
    ken_buf_put16(e->b, (uint16_t)exp_type);
    ken_buf_put32(e->b, (uint32_t)experimenter);
    return 0;
}

static const char *const error_code_keys[] = {"exp_type", "experimenter", NULL};
const struct ofp_custom error_code = {error_dec_code, error_enc_code, error_code_keys, false};

/* The simple messages (echo, barrier, ...) are laid out in the description,
 * src/ofp/spec/openflow.def. */

/* ---- features reply ---- */

int ofp_dec_port_map(struct dctx *d, size_t end, const struct ofp_field *f, json_object *obj,
                     const struct ofp_desc *port)
{
    json_object *ports = json_object_new_object();
    json_object_object_add(obj, f->name, ports);
    while (d->pos < end) {
        json_object *el = NULL, *no = NULL;
        int err = ofp_dec_struct(d, end, port, &el);
        if (err)
            return ofp_lenient_stop(d, end, err);
        json_object_object_get_ex(ofp_unwrap(el, NULL), "port_no", &no);
        json_object_object_add(ports, json_object_get_string(no), el);
    }
    return 0;
}

int ofp_enc_port_map(struct ectx *e, const struct ofp_field *f, json_object *obj, const struct ofp_desc *port)
{
    json_object *ports = NULL;
    if (!json_object_object_get_ex(obj, f->name, &ports) || json_object_is_type(ports, json_type_null))
        return 0;
    if (!json_object_is_type(ports, json_type_object))
        return EFAIL(e, EINVAL, "type error: \"%s\" must be an object of ports", f->name);
    json_object_object_foreach(ports, key, wrapped)
    {
        const char *cls = NULL;
        json_object *el = ofp_unwrap(wrapped, &cls);
        if (!el || strcmp(cls, port->cls))
            return EFAIL(e, EINVAL, "type error: port %s: expected {\"%s\": {...}}", key, port->cls);
        int err = ofp_enc_struct(e, port, el);
        if (err)
            return err;
    }
    return 0;
}

/* 1.2 lists the ports in its features reply. */
static int features_dec_ports(struct dctx *d, size_t end, const struct ofp_field *f, json_object *obj)
{
    return ofp_dec_port_map(d, end, f, obj, &ofp_port_12);
}

static int features_enc_ports(struct ectx *e, const struct ofp_field *f, json_object *obj)
{
    return ofp_enc_port_map(e, f, obj, &ofp_port_12);
}

const struct ofp_custom features_ports = {features_dec_ports, features_enc_ports, NULL, false};

/* ---- packet-in, flow-removed, port-status ---- */

/* OS-Ken cuts the frame to total_len when more bytes came. */
static int packet_in_dec_data(struct dctx *d, size_t end, const struct ofp_field *f, json_object *obj)
{
    json_object *total = NULL;
    size_t n = end - d->pos;
    if (json_object_object_get_ex(obj, "total_len", &total) && (uint64_t)json_object_get_int64(total) < n)
        n = (size_t)json_object_get_int64(total);
    json_object_object_add(obj, f->name, ofp_json_base64(d->p + d->pos, n));
    d->pos = end;
    return 0;
}

static int packet_in_enc_data(struct ectx *e, const struct ofp_field *f, json_object *obj)
{
    return ofp_packet_data.enc(e, f, obj);
}

/* Not static: the description's packet-in bodies name it. */
const struct ofp_custom packet_in_data = {packet_in_dec_data, packet_in_enc_data, NULL, false};

/* 1.5 flow-removed stats: OS-Ken leaves them null when none follow the match. */
static int flow_removed_dec_stats(struct dctx *d, size_t end, const struct ofp_field *f, json_object *obj)
{
    json_object *stats = NULL;
    int err = d->pos < end ? ofp_dec_struct(d, end, &ofp_stats_desc, &stats) : 0;
    if (!err)
        json_object_object_add(obj, f->name, stats);
    return err;
}

static int flow_removed_enc_stats(struct ectx *e, const struct ofp_field *f, json_object *obj)
{
    json_object *stats = NULL;
    if (!json_object_object_get_ex(obj, f->name, &stats) || json_object_is_type(stats, json_type_null))
        return 0;
    return ofp_enc_struct(e, &ofp_stats_desc, stats);
}

/* Not static: the description's 1.5 flow-removed body names it. */
const struct ofp_custom flow_removed_stats = {flow_removed_dec_stats, flow_removed_enc_stats, NULL, false};

/* ---- packet-out (packet-in, flow-removed, port-status, flow-mod, group-mod
 * but 1.5's and meter-mod are laid out in src/ofp/spec/openflow.def) ---- */




/* OS-Ken shows a property of a type its family does not know as
 * OFPPropUnknown: "type", "length" and "buf", the bytes from the property to
 * the end of its list (its parser hands each property the rest of the
 * list). DF_FIXED_SIZE lets this codec see that rest and bound the property
 * itself. Encoding writes the property that buf starts with, padded to 8. */
static int prop_unknown_dec(struct dctx *d, size_t end, const struct ofp_field *f, json_object *obj)
{
    const uint8_t *p = d->p + d->pos;
    size_t left = end - d->pos, len = left >= 4 ? wire_get16(p + 2) : 0;
    if (len < 4 || len > left)
        return DFAIL(d, KEN_OFPBPC_BAD_LEN, "OFPPropUnknown: length %zu (%zu bytes left)", len, left);
    json_object_object_add(obj, "type", ofp_json_uint(wire_get16(p)));
    json_object_object_add(obj, "length", ofp_json_uint(len));
    json_object_object_add(obj, f->name, ofp_json_base64(p, left));
    d->pos += len;
    return 0;
}

/* "type" and "length", when the JSON has them, must be those of buf's header. */
static int prop_unknown_check(struct ectx *e, json_object *obj, const char *key, uint64_t want, int err)
{
    uint64_t v;
    int got = ofp_json_get_uint(e, obj, key, UINT16_MAX, &v);
    if (got < 0 || (got == 0 && v != want))
        return EFAIL(e, err, "OFPPropUnknown: \"%s\" differs from the header in \"buf\"", key);
    return 0;
}

static int prop_unknown_enc(struct ectx *e, const struct ofp_field *f, json_object *obj)
{
    json_object *v = NULL;
    size_t start = e->b->len;
    if (!json_object_object_get_ex(obj, f->name, &v) || ofp_json_put_base64(e, v, f->name))
        return EFAIL(e, KEN_OFPBPC_BAD_LEN, "OFPPropUnknown: \"%s\" must be base64", f->name);
    const uint8_t *p = e->b->data + start;
    size_t n = e->b->len - start, len = n >= 4 ? wire_get16(p + 2) : 0;
    if (len < 4 || len > n)
        return EFAIL(e, KEN_OFPBPC_BAD_LEN, "OFPPropUnknown: \"%s\" does not start with a whole property", f->name);
    int err = prop_unknown_check(e, obj, "type", wire_get16(p), KEN_OFPBPC_BAD_TYPE);
    if (!err)
        err = prop_unknown_check(e, obj, "length", len, KEN_OFPBPC_BAD_LEN);
    e->b->len = start + len;
    return err;
}

static const char *const prop_unknown_keys[] = {"type", "length", NULL};
static const struct ofp_custom prop_unknown = {prop_unknown_dec, prop_unknown_enc, prop_unknown_keys, false};
static const struct ofp_field prop_unknown_fields[] = {F_CUSTOM("buf", &prop_unknown), F_END};
const struct ofp_desc ofp_prop_unknown = {"OFPPropUnknown", prop_unknown_fields, 8, DF_FIXED_SIZE};

/* ---- group-mod and buckets ---- */

/* Buckets are laid out in src/ofp/spec/openflow.def (bucket_12, bucket_15). */



/* ---- port-mod (its bodies are in src/ofp/spec/openflow.def) ---- */



/* ---- table-mod and table-status ---- */




/* ---- meter-mod ---- */



/* ---- queue get config (1.2, 1.3) ---- */



/* ---- roles ---- */



/* ---- asynchronous message configuration ---- */




/* ---- messages inside messages (request forward, bundle add) ---- */

static _Thread_local unsigned nesting; /* how deep the codec is in nested messages */

/* One whole message of the same version. With f->def set (bundle add) it
 * may be followed by properties, which start 8-aligned. */
static int nested_dec(struct dctx *d, size_t end, const struct ofp_field *f, json_object *obj)
{
    const uint8_t *p = d->p + d->pos;
    size_t avail = end - d->pos;
    if (avail < KEN_OFP_HEADER_LEN)
        return DFAIL(d, KEN_OFPBRC_BAD_LEN, "%s: %zu bytes cannot hold a message", f->name, avail);
    size_t len = wire_get16(p + 2);
    if (len < KEN_OFP_HEADER_LEN || len > avail || (!f->def && len != avail))
        return DFAIL(d, KEN_OFPBRC_BAD_LEN, "%s: message length %zu in %zu bytes", f->name, len, avail);
    if (p[0] != d->version)
        return DFAIL(d, KEN_OFPBRC_BAD_VERSION, "%s: version %u inside version %u", f->name, p[0], d->version);
    if (nesting >= MAX_NESTING)
        return DFAIL(d, KEN_OFPBRC_BAD_TYPE, "%s: messages nested too deep", f->name);
    json_object *msg = NULL;
    nesting++;
    int err = ken_ofp_to_json(p, len, &msg, d->why);
    nesting--;
    if (err) {
        json_object_put(msg);
        return err;
    }
    json_object_object_add(obj, f->name, msg);
    d->pos += len;
    if (f->def && d->pos < end) {
        size_t pad = ROUND8(len) - len;
        if (pad > end - d->pos)
            return DFAIL(d, KEN_OFPBRC_BAD_LEN, "%s: padding runs past the end", f->name);
        d->pos += pad;
    }
    return 0;
}

/* Bundle add (f->def: where the field starts in its message) gives the
 * inner message its own xid, as OS-Ken does, and pads it when properties
 * follow. */
static int nested_enc(struct ectx *e, const struct ofp_field *f, json_object *obj)
{
    json_object *msg = NULL, *props = NULL;
    if (!json_object_object_get_ex(obj, f->name, &msg) || !json_object_is_type(msg, json_type_object))
        return EFAIL(e, EINVAL, "type error: \"%s\" must be a message {\"OFPClassName\": {...}}", f->name);
    if (nesting >= MAX_NESTING)
        return EFAIL(e, KEN_OFPBRC_BAD_TYPE, "%s: messages nested too deep", f->name);
    size_t start = e->b->len;
    nesting++;
    int err = ken_ofp_from_json(msg, e->version, e->b, e->why);
    nesting--;
    if (err || !f->def)
        return err;
    memcpy(e->b->data + start + 4, e->b->data + start - f->def + 4, 4);
    if (json_object_object_get_ex(obj, "properties", &props) && json_object_is_type(props, json_type_array) &&
        json_object_array_length(props) > 0)
        ken_buf_align(e->b, start, 8);
    return 0;
}

const struct ofp_custom nested_msg = {nested_dec, nested_enc, NULL, false};

/* ---- bundles ---- */



/* ---- controller status (1.5) ---- */

/* OFPTime and OFPControllerStatusStats are laid out in src/ofp/spec/openflow.def. */

/* ---- the rows ---- */

#define V12 OFPV(3)
#define V13 OFPV(4)
#define V12_13 (OFPV(3) | OFPV(4))
#define V12_14 (OFPV(3) | OFPV(4) | OFPV(5))
#define V14 OFPV(5)
#define V15 OFPV(6)
#define ROW(vmask, type, desc) {vmask, type, OFP_NO_MP, OFP_ANY, &desc}

static const struct ofp_msg_row rows[] = {
};
OFP_MSG_ROWS(ofp_rows_msgs, rows);
