/* OXM and OXS TLVs <-> OS-Ken JSON, driven by the field table in
 * oxm_fields.c. A TLV header is class(16) field(7) hasmask(1) length(8);
 * class 0xffff adds a 4-byte experimenter id inside the length (and the
 * old EXT-256 form of pbb_uca a 2-byte exp_type after it). */
#include "ofp/oxm.h"

#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ofp/wire.h"

#define OXM_MAX_PAYLOAD 255

/* A field as the codec sees it: a table row, or an unknown field that
 * OS-Ken names "field_<class << 7 | field>" and shows as base64. */
struct oxm_ref {
    uint16_t cls;
    uint8_t field;
    uint8_t size;       /* 0 for an unknown field */
    uint8_t fmt;
    uint16_t exp_type;
    uint32_t exp;
    const char *name;   /* NULL for an unknown field */
};

static void ref_from_def(struct oxm_ref *r, const struct oxm_def *def)
{
    *r = (struct oxm_ref){def->cls, def->field, def->size, def->fmt, def->exp_type, def->exp, def->name};
}

static void ref_unknown(struct oxm_ref *r, uint16_t cls, uint8_t field)
{
    *r = (struct oxm_ref){cls, field, 0, OXF_BYTES, 0, 0, NULL};
}

static size_t ref_exp_len(const struct oxm_ref *r)
{
    if (r->cls != OXM_CLASS_EXPERIMENTER)
        return 0;
    return r->exp_type ? 6 : 4;
}

static void ref_name(const struct oxm_ref *r, char out[24])
{
    if (r->name)
        snprintf(out, 24, "%s", r->name);
    else
        snprintf(out, 24, "field_%u", (unsigned)r->cls << 7 | r->field);
}

/* Resolves a JSON field name, including OS-Ken's "field_<n>" for unknown
 * non-experimenter fields. */
static int ref_from_name(struct oxm_ref *r, uint8_t family, uint8_t version, const char *name)
{
    const struct oxm_def *def = oxm_def_by_name(family, version, name);
    if (def) {
        ref_from_def(r, def);
        return 0;
    }
    if (strncmp(name, "field_", 6) || name[6] < '0' || name[6] > '9')
        return -1;
    char *tail;
    errno = 0;
    unsigned long n = strtoul(name + 6, &tail, 10);
    if (errno || *tail || n >> 7 > OXM_CLASS_EXPERIMENTER)
        return -1;
    def = oxm_def_by_wire(family, version, (uint16_t)(n >> 7), n & 0x7f, 0, 0);
    if (def)
        ref_from_def(r, def);
    else
        ref_unknown(r, (uint16_t)(n >> 7), n & 0x7f);
    return 0;
}

/* An unknown experimenter field has no experimenter id to write. */
static bool ref_writable(const struct oxm_ref *r)
{
    return r->name || r->cls != OXM_CLASS_EXPERIMENTER;
}

static uint32_t ref_header(const struct oxm_ref *r, bool hasmask, size_t length)
{
    return (uint32_t)r->cls << 16 | (uint32_t)r->field << 9 | (uint32_t)hasmask << 8 | (uint32_t)length;
}

/* The 4-byte header, then for the experimenter class the experimenter id
 * and (old EXT-256 form only) the exp_type. */
static void put_header(struct ken_buf *b, uint32_t header, uint32_t exp, uint16_t exp_type)
{
    ken_buf_put32(b, header);
    if (header >> 16 == OXM_CLASS_EXPERIMENTER) {
        ken_buf_put32(b, exp);
        if (exp_type)
            ken_buf_put16(b, exp_type);
    }
}

/* ---- wire headers ---- */

struct oxm_hdr {
    uint16_t cls;
    uint8_t field;
    bool hasmask;
    uint8_t length;     /* payload bytes after the 4-byte header */
    uint32_t exp;
    uint16_t exp_type;
    size_t hdr_len;     /* 4, 8 or 10 */
};

/* Reads a header from p (n bytes). The experimenter part is read only when
 * the class says so, and needs its bytes present; OXM ids (with_exp_type
 * false) never carry the old exp_type. */
static int hdr_parse(const uint8_t *p, size_t n, bool with_exp_type, struct oxm_hdr *h, char *why)
{
    if (n < 4)
        return ofp_fail(why, KEN_OFPBMC_BAD_LEN, "OXM: %zu bytes cannot hold a header", n);
    uint32_t w = wire_get32(p);
    *h = (struct oxm_hdr){(uint16_t)(w >> 16), w >> 9 & 0x7f, w >> 8 & 1, (uint8_t)w, 0, 0, 4};
    if (h->cls != OXM_CLASS_EXPERIMENTER)
        return 0;
    if (n < 8)
        return ofp_fail(why, KEN_OFPBMC_BAD_LEN, "OXM: experimenter header truncated");
    h->exp = wire_get32(p + 4);
    h->hdr_len = 8;
    if (with_exp_type && h->exp == OXM_EXP_ONF && h->field == 0) { /* old EXT-256 form */
        if (n < 10)
            return ofp_fail(why, KEN_OFPBMC_BAD_LEN, "OXM: ONF experimenter header truncated");
        h->exp_type = wire_get16(p + 8);
        h->hdr_len = 10;
    }
    return 0;
}

static int hdr_resolve(const struct oxm_hdr *h, uint8_t family, uint8_t version, struct oxm_ref *r, char *why)
{
    const struct oxm_def *def = oxm_def_by_wire(family, version, h->cls, h->field, h->exp, h->exp_type);
    if (def) {
        ref_from_def(r, def);
        return 0;
    }
    if (h->cls == OXM_CLASS_EXPERIMENTER)
        return ofp_fail(why, KEN_OFPBMC_BAD_FIELD, "OXM: unknown experimenter field %u (experimenter 0x%08x)",
                        h->field, h->exp);
    ref_unknown(r, h->cls, h->field);
    return 0;
}

/* ---- values: wire bytes <-> JSON ---- */

/* A 128-bit value (ct_label, xxreg) above 2^64-1 as its exact decimal text:
 * json-c has no such integer, but a double carrying its source text prints it. */
static json_object *json_u128(const uint8_t *p)
{
    uint8_t v[16];
    char digits[48];
    size_t nd = 0;
    bool nonzero = true;
    memcpy(v, p, 16);
    while (nonzero) {
        unsigned rem = 0;
        nonzero = false;
        for (int i = 0; i < 16; i++) {
            unsigned cur = rem << 8 | v[i];
            v[i] = (uint8_t)(cur / 10);
            rem = cur % 10;
            nonzero |= v[i] != 0;
        }
        digits[nd++] = (char)('0' + rem);
    }
    char text[48];
    for (size_t i = 0; i < nd; i++)
        text[i] = digits[nd - 1 - i];
    text[nd] = 0;
    return json_object_new_double_s(strtod(text, NULL), text);
}

static json_object *value_json(uint8_t fmt, const uint8_t *p, size_t n)
{
    char s[INET6_ADDRSTRLEN];
    switch (fmt) {
    case OXF_INT:
        if (n > 8) {
            for (size_t i = 0; i < n - 8; i++)
                if (p[i])
                    return json_u128(p);
            return ofp_json_uint(wire_get64(p + n - 8));
        }
        return ofp_json_uint(wire_getn(p, (unsigned)n));
    case OXF_MAC:
        ofp_fmt_mac(s, p);
        return json_object_new_string(s);
    case OXF_IPV4:
    case OXF_IPV6:
        inet_ntop(fmt == OXF_IPV4 ? AF_INET : AF_INET6, p, s, sizeof s);
        return json_object_new_string(s);
    case OXF_PAIR: {
        json_object *arr = json_object_new_array();
        json_object_array_add(arr, ofp_json_uint(wire_get32(p)));
        json_object_array_add(arr, ofp_json_uint(wire_get32(p + 4)));
        return arr;
    }
    default:
        return ofp_json_base64(p, n);
    }
}

/* Decimal text into a big-endian integer of n bytes; -1 if it does not fit. */
static int parse_decimal(const char *s, uint8_t *out, size_t n)
{
    memset(out, 0, n);
    if (!*s)
        return -1;
    for (; *s; s++) {
        if (*s < '0' || *s > '9')
            return -1;
        unsigned carry = (unsigned)(*s - '0');
        for (size_t i = n; i-- > 0;) {
            unsigned cur = out[i] * 10u + carry;
            out[i] = (uint8_t)cur;
            carry = cur >> 8;
        }
        if (carry)
            return -1;
    }
    return 0;
}

static int put_int(struct ectx *e, json_object *v, const char *what, uint8_t *out, size_t n)
{
    if (n > 8 && (json_object_is_type(v, json_type_string) || json_object_is_type(v, json_type_double))) {
        /* A 128-bit value beyond json-c's integers: decimal text (a string,
         * or a double that kept its source text, as value_json makes). */
        if (parse_decimal(json_object_get_string(v), out, n))
            return EFAIL(e, KEN_OFPBMC_BAD_VALUE, "%s: not a %zu-byte unsigned integer", what, n);
        return 0;
    }
    uint64_t u;
    uint64_t max = n >= 8 ? UINT64_MAX : (UINT64_C(1) << (8 * n)) - 1;
    if (!json_object_is_type(v, json_type_int) || json_object_get_int64(v) < 0 ||
        (u = json_object_get_uint64(v)) > max)
        return EFAIL(e, KEN_OFPBMC_BAD_VALUE, "%s: not a %zu-byte unsigned integer", what, n);
    memset(out, 0, n);
    wire_putn(out + (n > 8 ? n - 8 : 0), u, n > 8 ? 8 : (unsigned)n);
    return 0;
}

static int put_pair(struct ectx *e, json_object *v, const char *what, uint8_t *out)
{
    if (!json_object_is_type(v, json_type_array) || json_object_array_length(v) != 2)
        return EFAIL(e, KEN_OFPBMC_BAD_VALUE, "%s: expected [u32, u32]", what);
    for (size_t i = 0; i < 2; i++)
        if (put_int(e, json_object_array_get_idx(v, i), what, out + 4 * i, 4))
            return KEN_OFPBMC_BAD_VALUE;
    return 0;
}

/* An address, or (IPv4/IPv6 only, when mask is not NULL) "addr/prefix" or
 * "addr/netmask" as OS-Ken takes from netaddr. *has_mask says whether a
 * suffix gave the mask. */
static int put_addr(struct ectx *e, uint8_t fmt, json_object *v, const char *what, uint8_t *out, uint8_t *mask,
                    bool *has_mask)
{
    if (!json_object_is_type(v, json_type_string))
        return EFAIL(e, KEN_OFPBMC_BAD_VALUE, "%s: expected an address string", what);
    const char *s = json_object_get_string(v);
    if (fmt == OXF_MAC)
        return ofp_parse_mac(s, out) ? EFAIL(e, KEN_OFPBMC_BAD_VALUE, "%s: bad MAC address \"%s\"", what, s) : 0;
    int af = fmt == OXF_IPV4 ? AF_INET : AF_INET6;
    size_t n = fmt == OXF_IPV4 ? 4 : 16;
    char addr[INET6_ADDRSTRLEN + 1];
    const char *slash = strchr(s, '/');
    size_t alen = slash ? (size_t)(slash - s) : strlen(s);
    if (alen >= sizeof addr || (slash && !mask))
        return EFAIL(e, KEN_OFPBMC_BAD_VALUE, "%s: bad address \"%s\"", what, s);
    memcpy(addr, s, alen);
    addr[alen] = 0;
    if (inet_pton(af, addr, out) != 1)
        return EFAIL(e, KEN_OFPBMC_BAD_VALUE, "%s: bad address \"%s\"", what, s);
    if (!slash)
        return 0;
    const char *suffix = slash + 1;
    if (strpbrk(suffix, ".:")) {
        if (inet_pton(af, suffix, mask) != 1)
            return EFAIL(e, KEN_OFPBMC_BAD_MASK, "%s: bad netmask \"%s\"", what, s);
    } else {
        char *tail;
        unsigned long bits = strtoul(suffix, &tail, 10);
        if (!*suffix || *tail || bits > 8 * n)
            return EFAIL(e, KEN_OFPBMC_BAD_MASK, "%s: bad prefix length \"%s\"", what, s);
        for (size_t i = 0; i < n; i++, bits = bits > 8 ? bits - 8 : 0)
            mask[i] = bits >= 8 ? 0xff : (uint8_t)(0xff00 >> bits);
    }
    *has_mask = true;
    return 0;
}

/* Base64 of an unknown field's value or mask into out (up to max bytes). */
static int put_bytes(struct ectx *e, json_object *v, const char *what, uint8_t *out, size_t max, size_t *n)
{
    struct ken_buf tmp = KEN_BUF_INIT;
    struct ectx te = {.b = &tmp, .version = e->version, .why = e->why};
    int err = ofp_json_put_base64(&te, v, what);
    if (!err && (tmp.len == 0 || tmp.len > max))
        err = EFAIL(e, KEN_OFPBMC_BAD_LEN, "%s: %zu bytes (expected 1 to %zu)", what, tmp.len, max);
    if (!err) {
        memcpy(out, tmp.data, tmp.len);
        *n = tmp.len;
    }
    ken_buf_free(&tmp);
    return err ? KEN_OFPBMC_BAD_LEN : 0;
}

/* Writes the value (and mask, if the JSON has one or an address suffix
 * gives one) of r; returns the value size in *n. */
static int put_value(struct ectx *e, const struct oxm_ref *r, json_object *v, const char *what, uint8_t *out,
                     uint8_t *mask, bool *has_mask, size_t *n)
{
    *n = r->size;
    if (!v)
        return EFAIL(e, KEN_OFPBMC_BAD_VALUE, "%s: missing value", what);
    switch (r->fmt) {
    case OXF_INT:
        return put_int(e, v, what, out, r->size);
    case OXF_PAIR:
        return put_pair(e, v, what, out);
    case OXF_MAC:
    case OXF_IPV4:
    case OXF_IPV6:
        return put_addr(e, r->fmt, v, what, out, mask, has_mask);
    default:
        return put_bytes(e, v, what, out, OXM_MAX_PAYLOAD, n);
    }
}

/* ---- one TLV ---- */

static json_object *get_key(json_object *obj, const char *key)
{
    json_object *v = NULL;
    if (!json_object_object_get_ex(obj, key, &v) || json_object_is_type(v, json_type_null))
        return NULL;
    return v;
}

/* The checks of one TLV at p (avail bytes) before its value is read:
 * header, lengths, a known field, its size. Fills h, r and *vlen. */
static int tlv_check(const uint8_t *p, size_t avail, uint8_t family, uint8_t version, struct oxm_hdr *hp,
                     struct oxm_ref *rp, size_t *vlenp, char *why)
{
    struct oxm_hdr h = {0};
    struct oxm_ref r = {0};
    int err = hdr_parse(p, avail, true, &h, why);
    if (err)
        return err;
    if (h.hasmask && family == OXM_FAM_STAT)
        return ofp_fail(why, KEN_OFPBMC_BAD_MASK, "OXS class 0x%04x field %u: stat fields have no mask", h.cls,
                        h.field);
    if (4u + h.length > avail)
        return ofp_fail(why, KEN_OFPBMC_BAD_LEN, "OXM class 0x%04x field %u: length %u overruns the %zu bytes left",
                        h.cls, h.field, h.length, avail - 4);
    if (h.length < h.hdr_len - 4)
        return ofp_fail(why, KEN_OFPBMC_BAD_LEN, "OXM experimenter 0x%08x: length %u is shorter than its header",
                        h.exp, h.length);
    size_t payload = h.length - (h.hdr_len - 4);
    if ((h.hasmask && payload % 2) || payload == 0)
        return ofp_fail(why, KEN_OFPBMC_BAD_LEN, "OXM class 0x%04x field %u: bad payload length %zu%s", h.cls,
                        h.field, payload, h.hasmask ? " with a mask" : "");
    size_t vlen = h.hasmask ? payload / 2 : payload;
    if ((err = hdr_resolve(&h, family, version, &r, why)))
        return err;
    if (r.size && vlen != r.size) {
        char name[24];
        ref_name(&r, name);
        return ofp_fail(why, KEN_OFPBMC_BAD_LEN, "%s %s: %zu-byte value, expected %u",
                        family == OXM_FAM_STAT ? "OXS" : "OXM", name, vlen, r.size);
    }
    *hp = h;
    *rp = r;
    *vlenp = vlen;
    return 0;
}

int ofp_oxm_match_check(const uint8_t *p, size_t avail, uint8_t version)
{
    struct oxm_hdr h = {0};
    struct oxm_ref r = {0};
    size_t vlen = 0;
    char why[KEN_WHY_LEN];
    why[0] = 0;
    return tlv_check(p, avail, OXM_FAM_MATCH, version, &h, &r, &vlen, why);
}

/* Decodes the TLV at d->pos into name, value and mask (NULL when unmasked). */
static int tlv_dec(struct dctx *d, size_t end, uint8_t family, char name[24], json_object **value,
                   json_object **mask)
{
    const uint8_t *p = d->p + d->pos;
    struct oxm_hdr h = {0};
    struct oxm_ref r = {0};
    size_t vlen = 0;
    int err = tlv_check(p, end - d->pos, family, d->version, &h, &r, &vlen, d->why);
    if (err)
        return err;
    ref_name(&r, name);
    const uint8_t *vp = p + h.hdr_len;
    *value = value_json(r.fmt, vp, vlen);
    *mask = h.hasmask ? value_json(r.fmt, vp + vlen, vlen) : NULL;
    d->pos += 4u + h.length;
    return 0;
}

static int tlv_enc(struct ectx *e, uint8_t family, json_object *jname, json_object *jvalue, json_object *jmask)
{
    struct oxm_ref r = {0};
    if (!jname || !json_object_is_type(jname, json_type_string))
        return EFAIL(e, KEN_OFPBMC_BAD_FIELD, "%s: field name missing", family == OXM_FAM_STAT ? "OXS" : "OXM");
    const char *name = json_object_get_string(jname);
    if (ref_from_name(&r, family, e->version, name) || !ref_writable(&r))
        return EFAIL(e, KEN_OFPBMC_BAD_FIELD, "unknown %s field \"%s\" in OpenFlow %s",
                     family == OXM_FAM_STAT ? "OXS" : "OXM", name, ken_ofp_version_name(e->version));
    if (jmask && family == OXM_FAM_STAT)
        return EFAIL(e, KEN_OFPBMC_BAD_MASK, "OXS %s: stat fields have no mask", name);
    uint8_t value[OXM_MAX_PAYLOAD], mask[OXM_MAX_PAYLOAD];
    size_t vlen, mlen;
    bool has_mask = false;
    int err = put_value(e, &r, jvalue, name, value, jmask ? NULL : mask, &has_mask, &vlen);
    if (!err && jmask) {
        bool unused;
        has_mask = true;
        err = put_value(e, &r, jmask, name, mask, NULL, &unused, &mlen);
        if (!err && mlen != vlen)
            err = EFAIL(e, KEN_OFPBMC_BAD_MASK, "OXM %s: mask and value differ in length", name);
        if (err == KEN_OFPBMC_BAD_VALUE)
            err = KEN_OFPBMC_BAD_MASK;
    }
    if (err)
        return err;
    size_t length = ref_exp_len(&r) + vlen * (has_mask ? 2 : 1);
    if (length > OXM_MAX_PAYLOAD)
        return EFAIL(e, KEN_OFPBMC_BAD_LEN, "OXM %s: %zu bytes do not fit a TLV", name, length);
    put_header(e->b, ref_header(&r, has_mask, length), r.exp, r.exp_type);
    ken_buf_put(e->b, value, vlen);
    if (has_mask)
        ken_buf_put(e->b, mask, vlen);
    return 0;
}

/* ---- TLV families: OXMTlv (match) and OXSTlv (stats) ---- */

static const char *tlv_class(uint8_t family)
{
    return family == OXM_FAM_STAT ? "OXSTlv" : "OXMTlv";
}

static int tlv_dec_wrapped(struct dctx *d, size_t end, uint8_t family, json_object **out)
{
    if (d->validate) { /* tlv_dec's checks, nothing built */
        struct oxm_hdr h = {0};
        struct oxm_ref r = {0};
        size_t vlen = 0;
        int err = tlv_check(d->p + d->pos, end - d->pos, family, d->version, &h, &r, &vlen, d->why);
        if (err)
            return err;
        d->pos += 4u + h.length;
        *out = NULL;
        return 0;
    }
    char name[24];
    json_object *value = NULL, *mask = NULL;
    int err = tlv_dec(d, end, family, name, &value, &mask);
    if (err)
        return err;
    json_object *body = json_object_new_object();
    json_object_object_add(body, "field", json_object_new_string(name));
    if (family == OXM_FAM_MATCH)
        json_object_object_add(body, "mask", mask);
    json_object_object_add(body, "value", value);
    *out = ofp_wrap(tlv_class(family), body);
    return 0;
}

static int tlv_enc_wrapped(struct ectx *e, uint8_t family, json_object *wrapped)
{
    const char *cls = NULL;
    json_object *body = ofp_unwrap(wrapped, &cls);
    if (!body || strcmp(cls, tlv_class(family)) || !json_object_is_type(body, json_type_object))
        return EFAIL(e, KEN_OFPBMC_BAD_FIELD, "expected {\"%s\": {...}}", tlv_class(family));
    return tlv_enc(e, family, get_key(body, "field"), get_key(body, "value"), get_key(body, "mask"));
}

/* One element of a TLV list: a whole TLV, or (OFPOxmId lists) a header alone. */
typedef int tlv_dec_fn(struct dctx *d, size_t end, uint8_t family, json_object **out);
typedef int tlv_enc_fn(struct ectx *e, uint8_t family, json_object *wrapped);

/* Elements up to end; a truncated message keeps those that fit. */
static int tlvs_dec(struct dctx *d, size_t end, uint8_t family, tlv_dec_fn *dec_one, json_object **out)
{
    json_object *arr = d->validate ? NULL : json_object_new_array();
    while (d->pos < end) {
        json_object *el = NULL;
        int err = dec_one(d, end, family, &el);
        if (err) {
            if (ofp_lenient_stop(d, end, err) == 0)
                break;
            json_object_put(arr);
            return err;
        }
        if (arr)
            json_object_array_add(arr, el);
        else
            json_object_put(el);
    }
    *out = arr;
    return 0;
}

static int tlvs_enc(struct ectx *e, uint8_t family, json_object *arr, const char *key, tlv_enc_fn *enc_one)
{
    if (!arr)
        return 0;
    if (!json_object_is_type(arr, json_type_array))
        return EFAIL(e, KEN_OFPBMC_BAD_FIELD, "\"%s\" must be a list", key);
    for (size_t i = 0; i < json_object_array_length(arr); i++) {
        int err = enc_one(e, family, json_object_array_get_idx(arr, i));
        if (err)
            return err;
    }
    return 0;
}

/* Field f holds match elements read by dec_one: a list of them up to end, or just one. */
static int oxm_field_dec(struct dctx *d, size_t end, const struct ofp_field *f, json_object *obj, tlv_dec_fn *dec_one,
                         bool list)
{
    json_object *v = NULL;
    int err = list ? tlvs_dec(d, end, OXM_FAM_MATCH, dec_one, &v) : dec_one(d, end, OXM_FAM_MATCH, &v);
    if (!err)
        json_object_object_add(obj, f->name, v);
    return err;
}

static int oxm_list_dec(struct dctx *d, size_t end, const struct ofp_field *f, json_object *obj)
{
    return oxm_field_dec(d, end, f, obj, tlv_dec_wrapped, true);
}

static int oxm_list_enc(struct ectx *e, const struct ofp_field *f, json_object *obj)
{
    return tlvs_enc(e, OXM_FAM_MATCH, get_key(obj, f->name), f->name, tlv_enc_wrapped);
}

const struct ofp_custom ofp_oxm_list = {oxm_list_dec, oxm_list_enc, NULL, false};

static int oxm_one_dec(struct dctx *d, size_t end, const struct ofp_field *f, json_object *obj)
{
    return oxm_field_dec(d, end, f, obj, tlv_dec_wrapped, false);
}

static int oxm_one_enc(struct ectx *e, const struct ofp_field *f, json_object *obj)
{
    json_object *v = get_key(obj, f->name);
    if (!v)
        return EFAIL(e, KEN_OFPBMC_BAD_FIELD, "missing \"%s\"", f->name);
    return tlv_enc_wrapped(e, OXM_FAM_MATCH, v);
}

const struct ofp_custom ofp_oxm_one = {oxm_one_dec, oxm_one_enc, NULL, false};

/* ---- OFPMatch and OFPStats: a 4-byte head (type or reserved, length),
 * TLVs, padding to 8; length counts head and TLVs ---- */

struct tlv_block {
    uint8_t family;
    const char *type_key;   /* JSON key of the first u16, NULL when it is reserved (0) */
    uint16_t type_def;
};

static const struct tlv_block match_block = {OXM_FAM_MATCH, "type", 1};
static const struct tlv_block stats_block = {OXM_FAM_STAT, NULL, 0};

static int block_dec(struct dctx *d, size_t end, const struct tlv_block *blk, const char *key, json_object *obj)
{
    size_t start = d->pos;
    const char *what = blk->family == OXM_FAM_STAT ? "OFPStats" : "OFPMatch";
    if (end - start < 4)
        return DFAIL(d, KEN_OFPBMC_BAD_LEN, "%s: %zu bytes cannot hold its header", what, end - start);
    uint16_t length = wire_get16(d->p + start + 2);
    if (blk->type_key && obj)
        json_object_object_add(obj, blk->type_key, ofp_json_uint(wire_get16(d->p + start)));
    if (obj)
        json_object_object_add(obj, "length", ofp_json_uint(length));
    if (length < 4)
        return DFAIL(d, KEN_OFPBMC_BAD_LEN, "%s: length %u is shorter than its header", what, length);
    size_t fields_end = start + length;
    size_t padded = start + (length + 7u) / 8 * 8;
    if (padded > end) {
        if (!d->lenient)
            return DFAIL(d, KEN_OFPBMC_BAD_LEN, "%s: length %u runs past the %zu bytes left", what, length,
                         end - start);
        /* a truncated message: keep the TLVs that fit */
        padded = end;
        if (fields_end > end)
            fields_end = end;
    }
    d->pos = start + 4;
    json_object *arr;
    int err = tlvs_dec(d, fields_end, blk->family, tlv_dec_wrapped, &arr);
    if (err)
        return err;
    if (obj)
        json_object_object_add(obj, key, arr);
    d->pos = padded;
    return 0;
}

static int block_enc(struct ectx *e, const struct tlv_block *blk, const char *key, json_object *obj)
{
    size_t start = e->b->len;
    uint64_t type = blk->type_def;
    if (blk->type_key && ofp_json_get_uint(e, obj, blk->type_key, UINT16_MAX, &type) < 0)
        return KEN_OFPBMC_BAD_VALUE;
    ken_buf_put16(e->b, (uint16_t)type);
    ken_buf_put16(e->b, 0);
    int err = tlvs_enc(e, blk->family, get_key(obj, key), key, tlv_enc_wrapped);
    if (err)
        return err;
    size_t length = e->b->len - start;
    if (length > UINT16_MAX)
        return EFAIL(e, KEN_OFPBMC_BAD_LEN, "%s: %zu bytes is too long", key, length);
    wire_put16(e->b->data + start + 2, (uint16_t)length);
    ken_buf_align(e->b, start, 8);
    return 0;
}

static int match_dec(struct dctx *d, size_t end, const struct ofp_field *f, json_object *obj)
{
    return block_dec(d, end, &match_block, f->name, obj);
}

static int match_enc(struct ectx *e, const struct ofp_field *f, json_object *obj)
{
    return block_enc(e, &match_block, f->name, obj);
}

static int stats_dec(struct dctx *d, size_t end, const struct ofp_field *f, json_object *obj)
{
    return block_dec(d, end, &stats_block, f->name, obj);
}

static int stats_enc(struct ectx *e, const struct ofp_field *f, json_object *obj)
{
    return block_enc(e, &stats_block, f->name, obj);
}

/* OS-Ken shows the structure's type and length beside the fields. */
static const char *const type_length_keys[] = {"type", "length", NULL};
static const struct ofp_custom match_codec = {match_dec, match_enc, type_length_keys, true};
static const struct ofp_custom stats_codec = {stats_dec, stats_enc, type_length_keys, true};
static const struct ofp_field match_fields[] = {F_CUSTOM("oxm_fields", &match_codec), F_END};
static const struct ofp_field stats_fields[] = {F_CUSTOM("oxs_fields", &stats_codec), F_END};
const struct ofp_desc ofp_match_desc = {"OFPMatch", match_fields, 0, 0};
const struct ofp_desc ofp_stats_desc = {"OFPStats", stats_fields, 0, 0};

/* ---- OFPOxmId lists (headers without values) ---- */

static int oxm_id_dec(struct dctx *d, size_t end, uint8_t family, json_object **out)
{
    struct oxm_hdr h = {0};
    struct oxm_ref r = {0};
    char name[24];
    const uint8_t *p = d->p + d->pos;
    size_t avail = end - d->pos;
    if (avail < 4)
        return DFAIL(d, KEN_OFPBMC_BAD_LEN, "OXM id: %zu bytes cannot hold a header", avail);
    int err = hdr_parse(p, avail, false, &h, d->why);
    if (err)
        return err;
    bool exp = h.cls == OXM_CLASS_EXPERIMENTER;
    /* OS-Ken names experimenter ids by number even when it knows the field. */
    if (exp)
        ref_unknown(&r, h.cls, h.field);
    else
        hdr_resolve(&h, family, d->version, &r, d->why);
    ref_name(&r, name);
    json_object *body = json_object_new_object();
    json_object_object_add(body, "type", json_object_new_string(name));
    json_object_object_add(body, "hasmask", json_object_new_int(h.hasmask));
    json_object_object_add(body, "length", ofp_json_uint(h.length));
    if (exp)
        json_object_object_add(body, "exp_id", ofp_json_uint(h.exp));
    *out = ofp_wrap(exp ? "OFPExperimenterOxmId" : "OFPOxmId", body);
    d->pos += exp ? 8 : 4;
    return 0;
}

static int json_flag(struct ectx *e, json_object *obj, const char *key, bool *out)
{
    json_object *v = get_key(obj, key);
    *out = false;
    if (!v)
        return 0;
    if (json_object_is_type(v, json_type_boolean)) {
        *out = json_object_get_boolean(v);
        return 0;
    }
    uint64_t u;
    if (ofp_json_uint_value(e, v, key, 1, &u))
        return KEN_OFPBMC_BAD_VALUE;
    *out = u != 0;
    return 0;
}

static int oxm_id_enc(struct ectx *e, uint8_t family, json_object *wrapped)
{
    const char *cls = NULL;
    json_object *body = ofp_unwrap(wrapped, &cls);
    bool exp_form = cls && !strcmp(cls, "OFPExperimenterOxmId");
    if (!body || !json_object_is_type(body, json_type_object) || (!exp_form && strcmp(cls, "OFPOxmId")))
        return EFAIL(e, KEN_OFPBMC_BAD_FIELD, "expected {\"OFPOxmId\": {...}}");
    json_object *jtype = get_key(body, "type");
    struct oxm_ref r = {0};
    if (!jtype || !json_object_is_type(jtype, json_type_string) ||
        ref_from_name(&r, family, e->version, json_object_get_string(jtype)))
        return EFAIL(e, KEN_OFPBMC_BAD_FIELD, "OXM id: unknown field \"%s\"",
                     jtype ? json_object_get_string(jtype) : "");
    bool hasmask;
    uint64_t length = 0, exp = r.exp;
    if (json_flag(e, body, "hasmask", &hasmask))
        return KEN_OFPBMC_BAD_VALUE;
    if (ofp_json_get_uint(e, body, "length", UINT8_MAX, &length) < 0 || ofp_json_get_uint(e, body, "exp_id", UINT32_MAX, &exp) < 0)
        return KEN_OFPBMC_BAD_VALUE;
    /* OS-Ken writes 0 up to 1.4, and the payload size in 1.5 when none is given. */
    if (e->version >= KEN_OFP15 && !length)
        length = (uint64_t)r.size * (hasmask ? 2 : 1);
    if (exp_form && r.cls != OXM_CLASS_EXPERIMENTER)
        return EFAIL(e, KEN_OFPBMC_BAD_FIELD, "OFPExperimenterOxmId: \"%s\" is not an experimenter field",
                     json_object_get_string(jtype));
    put_header(e->b, ref_header(&r, hasmask, length), (uint32_t)exp, 0); /* ids never use the exp_type form */
    return 0;
}

static int oxm_ids_dec(struct dctx *d, size_t end, const struct ofp_field *f, json_object *obj)
{
    return oxm_field_dec(d, end, f, obj, oxm_id_dec, true);
}

static int oxm_ids_enc(struct ectx *e, const struct ofp_field *f, json_object *obj)
{
    return tlvs_enc(e, OXM_FAM_MATCH, get_key(obj, f->name), f->name, oxm_id_enc);
}

const struct ofp_custom ofp_oxm_ids = {oxm_ids_dec, oxm_ids_enc, NULL, false};

/* ---- header lookups for the NX actions ---- */

static void info_from_ref(struct ofp_oxm_info *info, const struct oxm_ref *r)
{
    ref_name(r, info->name);
    size_t exp_len = ref_exp_len(r);
    info->header = ref_header(r, false, exp_len + r->size);
    info->exp = r->cls == OXM_CLASS_EXPERIMENTER ? r->exp : 0;
    info->exp_type = r->exp_type;
    info->size = r->size;
    info->hdr_len = (uint8_t)(4 + exp_len);
}

int ofp_oxm_from_header(const uint8_t *p, size_t n, uint8_t version, struct ofp_oxm_info *info, size_t *hdr_len)
{
    char why[KEN_WHY_LEN] = "";
    struct oxm_hdr h = {0};
    struct oxm_ref r = {0};
    int err = hdr_parse(p, n, true, &h, why);
    if (!err)
        err = hdr_resolve(&h, OXM_FAM_MATCH, version, &r, why);
    if (err)
        return err;
    info_from_ref(info, &r);
    *hdr_len = h.hdr_len;
    return 0;
}

int ofp_oxm_from_name(const char *name, uint8_t version, struct ofp_oxm_info *info)
{
    struct oxm_ref r = {0};
    if (ref_from_name(&r, OXM_FAM_MATCH, version, name) || !ref_writable(&r))
        return -1;
    info_from_ref(info, &r);
    return 0;
}

void ofp_oxm_put_header(struct ken_buf *b, const struct ofp_oxm_info *info)
{
    put_header(b, info->header, info->exp, info->exp_type);
}
