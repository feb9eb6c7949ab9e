/* The field-table interpreter: one place that walks a structure's fields
 * for decoding and for encoding, and checks every length it meets. */
#include "ofp/schema.h"

#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <openssl/evp.h>

#include "ofp/wire.h"

#define MAX_FIELDS 32

int ofp_fail(char *why, int err, const char *fmt, ...)
{
    if (why && !why[0]) { /* the innermost failure names the cause */
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(why, KEN_WHY_LEN, fmt, ap);
        va_end(ap);
    }
    return err;
}

json_object *ofp_wrap(const char *cls, json_object *body)
{
    json_object *o = json_object_new_object();
    json_object_object_add(o, cls, body);
    return o;
}

json_object *ofp_unwrap(json_object *obj, const char **cls)
{
    if (!json_object_is_type(obj, json_type_object) || json_object_object_length(obj) != 1)
        return NULL;
    json_object_object_foreach(obj, k, v)
    {
        if (cls)
            *cls = k;
        return v;
    }
    return NULL;
}

/* ---- JSON helpers ---- */

json_object *ofp_json_uint(uint64_t v)
{
    return v > INT64_MAX ? json_object_new_uint64(v) : json_object_new_int64((int64_t)v);
}

int ofp_json_uint_value(struct ectx *e, json_object *v, const char *key, uint64_t max, uint64_t *out)
{
    if (!json_object_is_type(v, json_type_int))
        return EFAIL(e, EINVAL, "type error: \"%s\" must be an integer, not %s", key,
                     json_type_to_name(json_object_get_type(v)));
    uint64_t u;
    if (json_object_get_int64(v) < 0) {
        return EFAIL(e, ERANGE, "out of range: \"%s\" must not be negative", key);
    }
    u = json_object_get_uint64(v);
    if (u > max)
        return EFAIL(e, ERANGE, "out of range: \"%s\" = %llu is over %llu", key, (unsigned long long)u,
                     (unsigned long long)max);
    *out = u;
    return 0;
}

int ofp_json_get_uint(struct ectx *e, json_object *obj, const char *key, uint64_t max, uint64_t *v)
{
    json_object *j;
    if (!json_object_object_get_ex(obj, key, &j) || json_object_is_type(j, json_type_null))
        return 1;
    return -ofp_json_uint_value(e, j, key, max, v);
}

static const char b64chars[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

/* Standard, padded base64, as OS-Ken's JSON has it (OpenSSL's encoder;
 * n is a message's part: under 64 KiB). */
json_object *ofp_json_base64(const uint8_t *p, size_t n)
{
    char *s = malloc((n + 2) / 3 * 4 + 1);
    if (!s)
        abort();
    int o = EVP_EncodeBlock((unsigned char *)s, p, (int)n);
    json_object *j = json_object_new_string_len(s, o);
    free(s);
    return j;
}

static int b64val(int c)
{
    const char *q = c ? strchr(b64chars, c) : NULL;
    return q ? (int)(q - b64chars) : -1;
}

int ofp_json_put_base64(struct ectx *e, json_object *v, const char *key)
{
    if (!json_object_is_type(v, json_type_string))
        return EFAIL(e, EINVAL, "type error: \"%s\" must be a base64 string", key);
    const char *s = json_object_get_string(v);
    size_t n = (size_t)json_object_get_string_len(v);
    uint32_t acc = 0;
    int bits = 0;
    for (size_t i = 0; i < n; i++) {
        if (s[i] == '=')
            break;
        if (s[i] == '\n' || s[i] == '\r')
            continue;
        int x = b64val((unsigned char)s[i]);
        if (x < 0)
            return EFAIL(e, EINVAL, "\"%s\" is not valid base64", key);
        acc = acc << 6 | (uint32_t)x;
        bits += 6;
        if (bits >= 8) {
            bits -= 8;
            ken_buf_put8(e->b, (uint8_t)(acc >> bits));
        }
    }
    return 0;
}

void ofp_fmt_mac(char out[18], const uint8_t *p)
{
    snprintf(out, 18, "%02x:%02x:%02x:%02x:%02x:%02x", p[0], p[1], p[2], p[3], p[4], p[5]);
}

int ofp_parse_mac(const char *s, uint8_t out[6])
{
    unsigned v[6];
    char tail;
    if (sscanf(s, "%2x:%2x:%2x:%2x:%2x:%2x%c", &v[0], &v[1], &v[2], &v[3], &v[4], &v[5], &tail) != 6)
        return -1;
    for (int i = 0; i < 6; i++)
        out[i] = (uint8_t)v[i];
    return 0;
}

/* ---- decoding ---- */

int ofp_lenient_stop(struct dctx *d, size_t end, int err)
{
    if (err && d->lenient) {
        d->pos = end;
        d->why[0] = 0;
        return 0;
    }
    return err;
}

static int dec_scalar(struct dctx *d, size_t end, const struct ofp_field *f, json_object *obj)
{
    const uint8_t *p = d->p + d->pos;
    json_object *v = NULL;
    if (end - d->pos < f->size)
        return DFAIL(d, KEN_OFPBRC_BAD_LEN, "%s: needs %u bytes, %zu left", f->name ? f->name : "pad", f->size,
                     end - d->pos);
    if (d->validate) {
        d->pos += f->size;
        return 0;
    }
    switch (f->kind) {
    case FK_UINT: {
        uint64_t u = wire_getn(p, f->size);
        if (f->flags & FF_SIGNED) {
            int shift = 64 - 8 * f->size;
            v = json_object_new_int64((int64_t)(u << shift) >> shift);
        } else {
            v = ofp_json_uint(u);
        }
        break;
    }
    case FK_MAC: {
        char s[18];
        ofp_fmt_mac(s, p);
        v = json_object_new_string(s);
        break;
    }
    case FK_IPV4:
    case FK_IPV6: {
        char s[INET6_ADDRSTRLEN];
        inet_ntop(f->kind == FK_IPV4 ? AF_INET : AF_INET6, p, s, sizeof s);
        v = json_object_new_string(s);
        break;
    }
    case FK_STR: {
        size_t n = strnlen((const char *)p, f->size);
        v = ofp_json_text(p, n);
        break;
    }
    default:
        break;
    }
    d->pos += f->size;
    if (v) {
        if (f->flags & FF_HIDE)
            json_object_put(v);
        else
            json_object_object_add(obj, f->name, v);
    }
    return 0;
}

static bool desc_has_custom(const struct ofp_desc *desc)
{
    for (const struct ofp_field *f = desc->fields; f->kind != FK_END; f++)
        if (f->kind == FK_CUSTOM && !((const struct ofp_custom *)f->sub)->validates)
            return true;
    return false;
}

static int dec_struct(struct dctx *d, size_t end, const struct ofp_desc *desc, json_object **out);

/* Validating, a structure with a custom codec is decoded in full (into
 * JSON dropped at once): custom codecs read back the fields decoded before
 * them. Every other structure is checked without building anything. */
int ofp_dec_struct(struct dctx *d, size_t end, const struct ofp_desc *desc, json_object **out)
{
    if (!d->validate || !desc_has_custom(desc))
        return dec_struct(d, end, desc, out);
    *out = NULL;
    d->validate = false;
    int err = dec_struct(d, end, desc, out);
    d->validate = true;
    json_object_put(*out);
    *out = NULL;
    return err;
}

static int dec_struct(struct dctx *d, size_t end, const struct ofp_desc *desc, json_object **out)
{
    size_t start = d->pos;
    size_t limit = end;     /* where this structure's fields must stop */
    size_t skip_to = 0;     /* where the structure (with padding) ends, if known */
    const struct ofp_field *fixed_len = NULL; /* DF_FIXED_SIZE: the FK_LEN to show the real size in */
    size_t sublen[MAX_FIELDS];
    bool has_sublen[MAX_FIELDS] = {false};
    json_object *obj = d->validate ? NULL : json_object_new_object();
    int err = 0;

    for (int i = 0; desc->fields[i].kind != FK_END && !err; i++) {
        const struct ofp_field *f = &desc->fields[i];
        size_t region = limit;
        if (i < MAX_FIELDS && has_sublen[i]) {
            if (sublen[i] > limit - d->pos) {
                err = DFAIL(d, KEN_OFPBRC_BAD_LEN, "%s: length %zu overruns its structure", f->name, sublen[i]);
                break;
            }
            region = d->pos + sublen[i];
        }
        switch (f->kind) {
        case FK_UINT: case FK_PAD: case FK_MAC: case FK_IPV4: case FK_IPV6: case FK_STR:
            err = dec_scalar(d, limit, f, obj);
            break;
        case FK_LEN:
        case FK_LENOF: {
            if (limit - d->pos < f->size) {
                err = DFAIL(d, KEN_OFPBRC_BAD_LEN, "%s: truncated length field", desc->cls ? desc->cls : "message");
                break;
            }
            size_t v = (size_t)wire_getn(d->p + d->pos, f->size);
            d->pos += f->size;
            if (f->kind == FK_LEN && (desc->flags & DF_FIXED_SIZE)) {
                fixed_len = f;
                break;
            }
            if (obj && !(f->flags & FF_HIDE))
                json_object_object_add(obj, f->name, ofp_json_uint(v));
            if (f->kind == FK_LENOF) {
                if (f->arg < MAX_FIELDS) {
                    sublen[f->arg] = v;
                    has_sublen[f->arg] = true;
                }
                break;
            }
            size_t padded = v;
            if ((desc->flags & DF_LEN_EXCL_PAD) && desc->align > 1)
                padded = (v + desc->align - 1) / desc->align * desc->align;
            if (d->lenient && v >= d->pos - start && padded > end - start)
                padded = v = end - start; /* a truncated message: keep what is there */
            if (v < d->pos - start || padded > end - start) {
                err = DFAIL(d, KEN_OFPBRC_BAD_LEN, "%s: length %zu is %s", desc->cls ? desc->cls : "structure", v,
                            v < d->pos - start ? "shorter than its header" : "longer than the space left");
                break;
            }
            limit = start + v;
            skip_to = start + padded;
            break;
        }
        case FK_OBJ: {
            json_object *sub = NULL;
            err = ofp_dec_struct(d, region, f->sub, &sub);
            if (!err && obj)
                json_object_object_add(obj, f->name, sub);
            break;
        }
        case FK_LIST: {
            json_object *arr = obj ? json_object_new_array() : NULL;
            if (obj)
                json_object_object_add(obj, f->name, arr);
            while (!err && d->pos < region) {
                json_object *sub = NULL;
                size_t before = d->pos;
                err = ofp_dec_struct(d, region, f->sub, &sub);
                if (err == KEN_OFPBRC_BAD_LEN && (((const struct ofp_desc *)f->sub)->flags & DF_BAD_BUCKET))
                    err = KEN_OFPGMFC_BAD_BUCKET;
                if (!err) {
                    if (arr)
                        json_object_array_add(arr, sub);
                    if (d->pos == before)
                        err = DFAIL(d, KEN_OFPBRC_BAD_LEN, "%s: empty element", f->name);
                }
            }
            err = ofp_lenient_stop(d, region, err);
            break;
        }
        case FK_PLIST: {
            json_object *arr = NULL;
            err = ofp_dec_plist(d, region, f->sub, &arr);
            if (!err && obj)
                json_object_object_add(obj, f->name, arr);
            break;
        }
        case FK_DATA:
            if (region - d->pos < f->size) {
                err = DFAIL(d, KEN_OFPBRC_BAD_LEN, "%s: needs %u bytes, %zu left", f->name, (unsigned)f->size,
                            region - d->pos);
                break;
            }
            if (obj)
                json_object_object_add(obj, f->name, ofp_json_base64(d->p + d->pos, region - d->pos));
            d->pos = region;
            break;
        case FK_CUSTOM: {
            const struct ofp_custom *c = f->sub;
            err = c->dec(d, region, f, obj);
            break;
        }
        default:
            err = DFAIL(d, KEN_OFPBRC_BAD_LEN, "internal: bad field kind");
        }
        if (!err && i < MAX_FIELDS && has_sublen[i] && d->pos != region)
            err = DFAIL(d, KEN_OFPBRC_BAD_LEN, "%s: length does not match its contents", f->name);
    }
    if (err) {
        json_object_put(obj);
        return err;
    }
    if (skip_to)
        d->pos = skip_to;
    else if (desc->align > 1) {
        size_t used = d->pos - start;
        size_t pad = (desc->align - used % desc->align) % desc->align;
        if (pad > end - d->pos) {
            json_object_put(obj);
            return DFAIL(d, KEN_OFPBRC_BAD_LEN, "%s: padding runs past the end", desc->cls ? desc->cls : "structure");
        }
        d->pos += pad;
    }
    if (obj && fixed_len && !(fixed_len->flags & FF_HIDE))
        json_object_object_add(obj, fixed_len->name, ofp_json_uint(d->pos - start));
    *out = obj && desc->cls ? ofp_wrap(desc->cls, obj) : obj;
    return 0;
}

static const struct ofp_desc *pick_in(const struct ofp_poly_entry *entries, size_t n_entries, uint8_t subtype_size,
                                      const uint8_t *p, size_t n, uint32_t type)
{
    for (size_t i = 0; i < n_entries; i++) {
        const struct ofp_poly_entry *pe = &entries[i];
        if (pe->key != type && pe->key != OFP_ANY) /* OFP_ANY: any type (table-feature ids) */
            continue;
        if (pe->exp != OFP_ANY && (n < 8 || wire_get32(p + 4) != pe->exp))
            continue;
        if (pe->subtype != OFP_ANY) {
            size_t need = 8 + subtype_size;
            if (n < need || wire_getn(p + 8, subtype_size) != pe->subtype)
                continue;
        }
        return pe->desc;
    }
    return NULL;
}

static const struct ofp_desc *poly_pick(const struct ofp_poly *poly, const uint8_t *p, size_t n, uint32_t type)
{
    const struct ofp_desc *desc = NULL;
    if (poly->more)
        desc = pick_in(poly->more, *poly->n_more, poly->subtype_size, p, n, type);
    return desc ? desc : pick_in(poly->entries, poly->n_entries, poly->subtype_size, p, n, type);
}

int ofp_dec_poly(struct dctx *d, size_t end, const struct ofp_poly *poly, json_object **out)
{
    const uint8_t *p = d->p + d->pos;
    size_t avail = end - d->pos;
    if (avail < 4)
        return DFAIL(d, poly->err_len, "%s: %zu bytes cannot hold a header", poly->what, avail);
    uint16_t type = wire_get16(p), len = wire_get16(p + 2);
    const struct ofp_desc *desc = poly_pick(poly, p, len < avail ? len : avail, type);
    bool fixed = desc && (desc->flags & DF_FIXED_SIZE); /* its fields, not len, say where it ends */
    if (!fixed && (len < 4 || len > avail))
        return DFAIL(d, poly->err_len, "%s type %u: length %u (%zu bytes left)", poly->what, type, len, avail);
    /* Actions are padded to 8 bytes on the wire (the spec; Open vSwitch
     * refuses others too): an odd length is malformed, not a longer action. */
    if (!fixed && poly->len_multiple && len % poly->len_multiple)
        return DFAIL(d, poly->err_len, "%s type %u: length %u is not a multiple of %u", poly->what, type, len,
                     poly->len_multiple);
    if (!desc)
        return DFAIL(d, poly->err_type, "%s: unknown type %u", poly->what, type);
    size_t span = fixed ? avail : len; /* properties: the length leaves out the padding that follows */
    if (!fixed && (desc->flags & DF_LEN_EXCL_PAD) && desc->align > 1)
        span = (len + desc->align - 1) / desc->align * desc->align;
    if (span > avail)
        return DFAIL(d, poly->err_len, "%s %s: padding runs past the end", poly->what, desc->cls);
    size_t start = d->pos;
    int err = ofp_dec_struct(d, start + span, desc, out);
    if (err == KEN_OFPBRC_BAD_LEN) /* the element is shorter than its fields: the family's length error */
        err = poly->err_len;
    if (!err && !fixed && d->pos != start + span) {
        json_object_put(*out);
        *out = NULL;
        return DFAIL(d, poly->err_len, "%s %s: length %u does not match its contents", poly->what, desc->cls, len);
    }
    return err;
}

int ofp_dec_plist(struct dctx *d, size_t end, const struct ofp_poly *poly, json_object **out)
{
    json_object *arr = d->validate ? NULL : json_object_new_array();
    while (d->pos < end) {
        json_object *el = NULL;
        int err = ofp_dec_poly(d, end, poly, &el);
        if (ofp_lenient_stop(d, end, err) == 0 && err)
            break;
        if (err) {
            json_object_put(arr);
            return err;
        }
        if (arr)
            json_object_array_add(arr, el);
    }
    *out = arr;
    return 0;
}

/* ---- encoding ---- */

static int enc_scalar(struct ectx *e, const struct ofp_field *f, json_object *obj)
{
    json_object *v = NULL;
    if (f->kind == FK_PAD) {
        ken_buf_put_zeros(e->b, f->size);
        return 0;
    }
    if (!(f->flags & FF_HIDE))
        json_object_object_get_ex(obj, f->name, &v);
    if (v && json_object_is_type(v, json_type_null))
        v = NULL;
    uint8_t *p = ken_buf_put_zeros(e->b, f->size);
    switch (f->kind) {
    case FK_UINT: {
        uint64_t u = f->def;
        if (v) {
            if ((f->flags & FF_SIGNED) && json_object_is_type(v, json_type_int)) {
                u = (uint64_t)json_object_get_int64(v);
            } else {
                uint64_t max = f->size == 8 ? UINT64_MAX : (UINT64_C(1) << (8 * f->size)) - 1;
                int err = ofp_json_uint_value(e, v, f->name, max, &u);
                if (err)
                    return err;
            }
        }
        wire_putn(p, u, f->size);
        return 0;
    }
    case FK_MAC:
        if (v && (!json_object_is_type(v, json_type_string) || ofp_parse_mac(json_object_get_string(v), p)))
            return EFAIL(e, EINVAL, "type error: \"%s\" must be a MAC address \"aa:bb:cc:dd:ee:ff\"", f->name);
        return 0;
    case FK_IPV4:
    case FK_IPV6:
        if (v && (!json_object_is_type(v, json_type_string) ||
                  inet_pton(f->kind == FK_IPV4 ? AF_INET : AF_INET6, json_object_get_string(v), p) != 1))
            return EFAIL(e, EINVAL, "type error: \"%s\" must be an IPv%d address", f->name, f->kind == FK_IPV4 ? 4 : 6);
        return 0;
    case FK_STR:
        if (v) {
            if (!json_object_is_type(v, json_type_string))
                return EFAIL(e, EINVAL, "type error: \"%s\" must be a string", f->name);
            size_t n = (size_t)json_object_get_string_len(v);
            memcpy(p, json_object_get_string(v), n < f->size ? n : f->size);
        }
        return 0;
    default:
        return EFAIL(e, KEN_OFPBRC_BAD_LEN, "internal: bad scalar kind");
    }
}

json_object *ofp_json_get_list(struct ectx *e, json_object *obj, const char *key, int err_code, int *err)
{
    json_object *v = NULL;
    *err = 0;
    if (!json_object_object_get_ex(obj, key, &v) || json_object_is_type(v, json_type_null))
        return NULL;
    if (!json_object_is_type(v, json_type_array)) {
        *err = EFAIL(e, err_code, "type error: \"%s\" must be a list", key);
        return NULL;
    }
    return v;
}

/* A key the structure does not have is refused, naming it: a misspelt
 * field would otherwise encode as its default. Not checked (yet): a
 * structure with a custom codec, which reads keys of its own (the match's
 * type and length, an error's exp_type, ...), and one without a class,
 * which custom codecs use for a part of a bigger object. */
/* A key some field of desc reads: its own name, or one its custom codec
 * reads besides. */
static bool key_known(const struct ofp_desc *desc, const char *key)
{
    for (const struct ofp_field *f = desc->fields; f->kind != FK_END; f++) {
        if (f->name && !strcmp(f->name, key))
            return true;
        if (f->kind == FK_CUSTOM && ((const struct ofp_custom *)f->sub)->extra_keys)
            for (const char *const *k = ((const struct ofp_custom *)f->sub)->extra_keys; *k; k++)
                if (!strcmp(*k, key))
                    return true;
    }
    return false;
}

static int check_keys(struct ectx *e, const struct ofp_desc *desc, json_object *body)
{
    if (!desc->cls)
        return 0;
    json_object_object_foreach(body, key, val)
    {
        (void)val;
        if (!key_known(desc, key))
            return EFAIL(e, EINVAL, "unknown key \"%s\" in %s", key, desc->cls);
    }
    return 0;
}

int ofp_enc_struct(struct ectx *e, const struct ofp_desc *desc, json_object *body)
{
    size_t start = e->b->len;
    size_t len_at = 0, len_size = 0;
    bool has_len = false;
    size_t patch_at[MAX_FIELDS], patch_size[MAX_FIELDS];
    bool patch[MAX_FIELDS] = {false};
    int err = 0;

    if (!json_object_is_type(body, json_type_object))
        return EFAIL(e, EINVAL, "type error: %s must be an object", desc->cls ? desc->cls : "structure");
    json_object *inner; /* nested structures come wrapped, {cls: body}, as decoding makes them */
    if (desc->cls && json_object_object_length(body) == 1 && json_object_object_get_ex(body, desc->cls, &inner) &&
        json_object_is_type(inner, json_type_object))
        body = inner;
    for (int i = 0; desc->fields[i].kind != FK_END && !err; i++) {
        const struct ofp_field *f = &desc->fields[i];
        size_t before = e->b->len;
        switch (f->kind) {
        case FK_LEN:
            len_at = e->b->len;
            len_size = f->size;
            has_len = true;
            ken_buf_put_zeros(e->b, f->size);
            break;
        case FK_LENOF:
            if (f->arg < MAX_FIELDS) {
                patch_at[f->arg] = e->b->len;
                patch_size[f->arg] = f->size;
                patch[f->arg] = true;
            }
            ken_buf_put_zeros(e->b, f->size);
            break;
        case FK_OBJ: {
            json_object *v = NULL;
            if (!json_object_object_get_ex(body, f->name, &v) || json_object_is_type(v, json_type_null)) {
                if (!(f->flags & FF_OPTIONAL)) {
                    err = EFAIL(e, EINVAL, "missing field \"%s\"", f->name);
                    break;
                }
                json_object *empty = json_object_new_object(); /* OS-Ken's None: the structure's defaults */
                err = ofp_enc_struct(e, f->sub, empty);
                json_object_put(empty);
            } else {
                err = ofp_enc_struct(e, f->sub, v);
            }
            break;
        }
        case FK_LIST: {
            const struct ofp_desc *sd = f->sub;
            json_object *arr =
                ofp_json_get_list(e, body, f->name, sd->flags & DF_BAD_BUCKET ? KEN_OFPGMFC_BAD_BUCKET : EINVAL, &err);
            for (size_t k = 0; arr && !err && k < json_object_array_length(arr); k++)
                err = ofp_enc_struct(e, sd, json_object_array_get_idx(arr, k));
            break;
        }
        case FK_PLIST: {
            json_object *arr = ofp_json_get_list(e, body, f->name, EINVAL, &err);
            if (arr && !err)
                err = ofp_enc_plist(e, f->sub, arr);
            break;
        }
        case FK_DATA: {
            json_object *v = NULL;
            if (json_object_object_get_ex(body, f->name, &v) && !json_object_is_type(v, json_type_null))
                err = ofp_json_put_base64(e, v, f->name);
            if (!err && e->b->len - before < f->size)
                err = EFAIL(e, KEN_OFPBRC_BAD_LEN, "%s: needs at least %u bytes", f->name, (unsigned)f->size);
            break;
        }
        case FK_CUSTOM: {
            const struct ofp_custom *c = f->sub;
            err = c->enc(e, f, body);
            break;
        }
        default:
            err = enc_scalar(e, f, body);
        }
        if (!err && i < MAX_FIELDS && patch[i]) {
            size_t n = e->b->len - before;
            if (patch_size[i] < 8 && n >> (8 * patch_size[i]))
                err = EFAIL(e, KEN_OFPBRC_BAD_LEN, "%s: too long for its length field", f->name);
            else
                wire_putn(e->b->data + patch_at[i], n, (unsigned)patch_size[i]);
        }
    }
    if (err)
        return err;
    if ((err = check_keys(e, desc, body)))
        return err;
    size_t unpadded = e->b->len - start;
    ken_buf_align(e->b, start, desc->align);
    if (has_len) {
        size_t n = (desc->flags & DF_LEN_EXCL_PAD) ? unpadded : e->b->len - start;
        if (len_size < 8 && n >> (8 * len_size))
            return EFAIL(e, KEN_OFPBRC_BAD_LEN, "%s: too long (%zu bytes)", desc->cls ? desc->cls : "structure", n);
        wire_putn(e->b->data + len_at, n, (unsigned)len_size);
    }
    return 0;
}

int ofp_enc_poly(struct ectx *e, const struct ofp_poly *poly, json_object *wrapped)
{
    const char *cls = NULL;
    json_object *body = ofp_unwrap(wrapped, &cls);
    if (!body)
        return EFAIL(e, poly->err_type, "%s: expected {\"Class\": {...}}", poly->what);
    for (size_t i = 0; poly->more && i < *poly->n_more; i++)
        if (poly->more[i].desc->cls && !strcmp(poly->more[i].desc->cls, cls))
            return ofp_enc_struct(e, poly->more[i].desc, body);
    for (size_t i = 0; i < poly->n_entries; i++)
        if (poly->entries[i].desc->cls && !strcmp(poly->entries[i].desc->cls, cls))
            return ofp_enc_struct(e, poly->entries[i].desc, body);
    return EFAIL(e, poly->err_type, "%s: unknown class %s", poly->what, cls);
}

int ofp_enc_plist(struct ectx *e, const struct ofp_poly *poly, json_object *arr)
{
    for (size_t k = 0; k < json_object_array_length(arr); k++) {
        int err = ofp_enc_poly(e, poly, json_object_array_get_idx(arr, k));
        if (err)
            return err;
    }
    return 0;
}

int ofp_poly_element(const uint8_t *p, size_t n, uint8_t version, const struct ofp_poly *poly,
                     const struct ofp_desc **desc, size_t *span)
{
    char why[KEN_WHY_LEN];
    why[0] = 0;
    struct dctx d = {.p = p, .pos = 0, .version = version, .why = why, .validate = true};
    json_object *out = NULL;
    int err = ofp_dec_poly(&d, n, poly, &out);
    json_object_put(out);
    *span = d.pos;
    *desc = n >= 2 ? poly_pick(poly, p, n, wire_getn(p, 2)) : NULL;
    return err;
}

int ofp_struct_check(const uint8_t *p, size_t n, uint8_t version, const struct ofp_desc *desc, size_t *len)
{
    char why[KEN_WHY_LEN];
    why[0] = 0;
    struct dctx d = {.p = p, .pos = 0, .version = version, .why = why, .validate = true};
    json_object *out = NULL;
    int err = ofp_dec_struct(&d, n, desc, &out);
    json_object_put(out); /* validate mode may still build a custom codec's part */
    *len = d.pos;
    return err;
}
