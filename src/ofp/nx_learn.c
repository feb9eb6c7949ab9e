/* NXActionLearn's flow_mod_specs. Each spec starts with a 16-bit header:
 * 2 zero bits, the source type (1 bit: a subfield, or an immediate value),
 * the destination type (2 bits: match, load, output) and n_bits (OS-Ken
 * reads the low 10 bits). A subfield is a field header and a 16-bit bit
 * offset, shown as ["reg0", 0]; an immediate takes n_bits rounded up to
 * 16 bits. An all-zero header is padding. */
#include <errno.h>
#include <string.h>

#include "ofp/nx.h"
#include "ofp/oxm.h"
#include "ken/ofp_types.h"
#include "ofp/wire.h"

#define SPEC_SRC_IMMEDIATE (1u << 13)
#define SPEC_DST_SHIFT 11
#define SPEC_N_BITS 0x3ffu
#define SPEC_MAX_IMMEDIATE ((SPEC_N_BITS + 15) / 16 * 2)

static const char *const spec_classes[] = {"NXFlowSpecMatch", "NXFlowSpecLoad", "NXFlowSpecOutput"};
#define N_SPEC_CLASSES (sizeof spec_classes / sizeof spec_classes[0])

/* ---- immediates: unsigned big-endian integers of up to 128 bytes ---- */

/* json-c holds integers up to 2^64-1 and parses any larger one as 2^64-1.
 * So in an immediate wider than 64 bits, where larger values are real, a
 * plain integer 2^64-1 may be a clamped one: encoding refuses it and takes
 * such values as strings ("0x..." or decimal digits). Decoding shows those
 * values (2^64-1 and up) as numbers kept as their exact digits, the JSON
 * text OS-Ken writes, which encode back as they are. */
static json_object *immediate_json(const uint8_t *p, size_t n)
{
    bool wide = n > 8;
    while (n && !*p)
        p++, n--;
    if (n <= 8 && (!wide || wire_getn(p, (unsigned)n) != UINT64_MAX))
        return ofp_json_uint(wire_getn(p, (unsigned)n));
    uint8_t num[SPEC_MAX_IMMEDIATE];
    char digits[4 * SPEC_MAX_IMMEDIATE];
    size_t nd = 0, lead = 0;
    double approx = 0;
    memcpy(num, p, n);
    for (size_t i = 0; i < n; i++)
        approx = approx * 256 + num[i];
    while (lead < n) { /* long division by 10, a digit at a time */
        unsigned rem = 0;
        for (size_t i = lead; i < n; i++) {
            unsigned cur = rem << 8 | num[i];
            num[i] = (uint8_t)(cur / 10);
            rem = cur % 10;
        }
        digits[nd++] = (char)('0' + rem);
        while (lead < n && !num[lead])
            lead++;
    }
    for (size_t i = 0; i < nd / 2; i++) {
        char c = digits[i];
        digits[i] = digits[nd - 1 - i];
        digits[nd - 1 - i] = c;
    }
    digits[nd] = 0;
    return json_object_new_double_s(approx, digits);
}

static int digit_value(char c, unsigned base)
{
    unsigned v = c >= '0' && c <= '9' ? (unsigned)(c - '0')
                 : c >= 'a' && c <= 'f' ? (unsigned)(c - 'a' + 10)
                 : c >= 'A' && c <= 'F' ? (unsigned)(c - 'A' + 10)
                                        : 99;
    return v < base ? (int)v : -1;
}

/* A whole number written as text, decimal or hex after "0x", as n
 * big-endian bytes at p (zeroed). */
static int immediate_put_text(struct ectx *e, const char *s, uint8_t *p, size_t n)
{
    unsigned base = 10;
    if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X'))
        base = 16, s += 2;
    if (!*s)
        return EFAIL(e, KEN_OFPBAC_BAD_ARGUMENT, "learn spec: \"src\" must be a whole number");
    for (; *s; s++) {
        int digit = digit_value(*s, base);
        if (digit < 0)
            return EFAIL(e, KEN_OFPBAC_BAD_ARGUMENT,
                         "learn spec: \"src\" must be a whole number (decimal, or hex after 0x)");
        unsigned carry = (unsigned)digit;
        for (size_t i = n; i-- > 0;) {
            unsigned cur = p[i] * base + carry;
            p[i] = (uint8_t)cur;
            carry = cur >> 8;
        }
        if (carry)
            return EFAIL(e, KEN_OFPBAC_BAD_ARGUMENT, "learn spec: \"src\" does not fit %zu bytes", n);
    }
    return 0;
}

/* Writes v as n bytes: an integer, a string, or a number kept as its digits. */
static int immediate_put(struct ectx *e, json_object *v, size_t n)
{
    uint8_t *p = ken_buf_put_zeros(e->b, n);
    if (v && json_object_is_type(v, json_type_int)) {
        unsigned w = n < 8 ? (unsigned)n : 8;
        uint64_t u;
        if (ofp_json_uint_value(e, v, "src", w == 8 ? UINT64_MAX : (UINT64_C(1) << 8 * w) - 1, &u))
            return KEN_OFPBAC_BAD_ARGUMENT;
        if (n > 8 && u == UINT64_MAX)
            return EFAIL(e, KEN_OFPBAC_BAD_ARGUMENT,
                         "learn spec: \"src\" 2^64-1 in a %zu-bit value may be a larger integer json-c capped: "
                         "write it as a string (\"0x...\")",
                         8 * n);
        wire_putn(p + n - w, u, w);
        return 0;
    }
    if (!v || !(json_object_is_type(v, json_type_string) || json_object_is_type(v, json_type_double)))
        return EFAIL(e, KEN_OFPBAC_BAD_ARGUMENT, "learn spec: \"src\" must be [field, offset] or a number");
    return immediate_put_text(e, json_object_get_string(v), p, n);
}

/* ---- subfields ---- */

static int subfield_dec(struct dctx *d, size_t end, json_object **out)
{
    json_object *name = NULL;
    int err = nx_header_dec(d, end, &name);
    if (err)
        return err;
    if (end - d->pos < 2) {
        json_object_put(name);
        return DFAIL(d, KEN_OFPBAC_BAD_LEN, "learn spec: subfield offset runs past the end");
    }
    *out = json_object_new_array();
    json_object_array_add(*out, name);
    json_object_array_add(*out, json_object_new_int(wire_get16(d->p + d->pos)));
    d->pos += 2;
    return 0;
}

static int subfield_enc(struct ectx *e, json_object *v, const char *key)
{
    uint64_t ofs;
    if (!json_object_is_type(v, json_type_array) || json_object_array_length(v) != 2)
        return EFAIL(e, KEN_OFPBAC_BAD_ARGUMENT, "learn spec: \"%s\" must be [field, offset]", key);
    int err = nx_header_enc(e, json_object_array_get_idx(v, 0), key);
    if (!err && ofp_json_uint_value(e, json_object_array_get_idx(v, 1), key, UINT16_MAX, &ofs))
        err = KEN_OFPBAC_BAD_ARGUMENT;
    if (!err)
        ken_buf_put16(e->b, (uint16_t)ofs);
    return err;
}

/* A subfield's 4-byte field header and 16-bit offset at *pos, for the
 * typed form (an experimenter's 8-byte header has none): -1 when it does
 * not fit or is an experimenter's. */
static int subfield_typed_dec(const uint8_t *p, size_t n, size_t *pos, uint32_t *field, uint16_t *ofs)
{
    if (n - *pos < 6 || wire_get32(p + *pos) >> 16 == OXM_CLASS_EXPERIMENTER)
        return -1;
    *field = wire_get32(p + *pos);
    *ofs = wire_get16(p + *pos + 4);
    *pos += 6;
    return 0;
}

/* ---- specs ---- */

static int spec_dec(struct dctx *d, size_t end, unsigned hdr, json_object **out)
{
    unsigned dst_type = hdr >> SPEC_DST_SHIFT & 3, n_bits = hdr & SPEC_N_BITS;
    if (dst_type >= N_SPEC_CLASSES)
        return DFAIL(d, KEN_OFPBAC_BAD_ARGUMENT, "learn spec: unknown destination type %u", dst_type);
    json_object *body = json_object_new_object(), *src = NULL, *dst = NULL;
    int err;
    if (hdr & SPEC_SRC_IMMEDIATE) {
        size_t n = (n_bits + 15) / 16 * 2;
        if (n > end - d->pos)
            err = DFAIL(d, KEN_OFPBAC_BAD_LEN, "learn spec: %zu-byte value runs past the end", n);
        else {
            src = immediate_json(d->p + d->pos, n);
            d->pos += n;
            err = 0;
        }
    } else {
        err = subfield_dec(d, end, &src);
    }
    if (!err && dst_type == 2)
        dst = json_object_new_string("");
    else if (!err)
        err = subfield_dec(d, end, &dst);
    json_object_object_add(body, "src", src);
    json_object_object_add(body, "dst", dst);
    json_object_object_add(body, "n_bits", json_object_new_int((int)n_bits));
    if (err) {
        json_object_put(body);
        return err;
    }
    *out = ofp_wrap(spec_classes[dst_type], body);
    return 0;
}

static int specs_dec(struct dctx *d, size_t end, const struct ofp_field *f, json_object *obj)
{
    json_object *arr = json_object_new_array();
    int err = 0;
    while (!err && d->pos < end) {
        if (end - d->pos < 2) {
            err = DFAIL(d, KEN_OFPBAC_BAD_LEN, "learn: a stray byte after the specs");
            break;
        }
        unsigned hdr = wire_get16(d->p + d->pos);
        json_object *spec = NULL;
        d->pos += 2;
        if (hdr && !(err = spec_dec(d, end, hdr, &spec)))
            json_object_array_add(arr, spec);
    }
    if (err) {
        json_object_put(arr);
        return err;
    }
    json_object_object_add(obj, f->name, arr);
    return 0;
}

static int spec_enc(struct ectx *e, json_object *wrapped)
{
    const char *cls = NULL;
    json_object *body = ofp_unwrap(wrapped, &cls), *src = NULL, *dst = NULL;
    unsigned dst_type = 0;
    uint64_t n_bits;
    while (body && dst_type < N_SPEC_CLASSES && strcmp(spec_classes[dst_type], cls))
        dst_type++;
    if (!body || dst_type == N_SPEC_CLASSES)
        return EFAIL(e, KEN_OFPBAC_BAD_ARGUMENT, "learn: a spec must be {\"NXFlowSpecMatch|Load|Output\": {...}}");
    int got = ofp_json_get_uint(e, body, "n_bits", SPEC_N_BITS, &n_bits);
    if (got)
        return got < 0 ? KEN_OFPBAC_BAD_ARGUMENT : EFAIL(e, KEN_OFPBAC_BAD_ARGUMENT, "learn spec: missing \"n_bits\"");
    json_object_object_get_ex(body, "src", &src);
    json_object_object_get_ex(body, "dst", &dst);
    bool immediate = !json_object_is_type(src, json_type_array);
    ken_buf_put16(e->b, (uint16_t)((immediate ? SPEC_SRC_IMMEDIATE : 0) | dst_type << SPEC_DST_SHIFT | n_bits));
    int err = immediate ? immediate_put(e, src, (n_bits + 15) / 16 * 2) : subfield_enc(e, src, "src");
    if (!err && dst_type < 2)
        err = subfield_enc(e, dst, "dst");
    return err;
}

static int specs_enc(struct ectx *e, const struct ofp_field *f, json_object *obj)
{
    json_object *arr = NULL;
    if (!json_object_object_get_ex(obj, f->name, &arr) || !json_object_is_type(arr, json_type_array))
        return EFAIL(e, KEN_OFPBAC_BAD_ARGUMENT, "\"%s\" must be a list", f->name);
    for (size_t i = 0; i < json_object_array_length(arr); i++) {
        int err = spec_enc(e, json_object_array_get_idx(arr, i));
        if (err)
            return err;
    }
    return 0;
}

const struct ofp_custom nx_learn_specs = {specs_dec, specs_enc, NULL, false};

/* ---- the typed form: struct ken_nx_learn_spec ---- */

int nx_learn_specs_typed_dec(const uint8_t *p, size_t n, struct ken_arena *a, struct ken_nx_learn_spec **out,
                             size_t *count, char *why)
{
    size_t k = 0, pos = 0, cap = n / 2; /* each spec takes its 2-byte header at least */
    struct ken_nx_learn_spec *specs = cap ? ken_arena_calloc(a, cap, sizeof *specs) : NULL;
    if (cap && !specs)
        return ENOMEM;
    while (n - pos >= 2) {
        unsigned hdr = wire_get16(p + pos);
        pos += 2;
        if (!hdr) /* padding */
            continue;
        struct ken_nx_learn_spec *sp = &specs[k++];
        sp->dst_type = (uint8_t)(hdr >> SPEC_DST_SHIFT & 3);
        sp->n_bits = (uint16_t)(hdr & SPEC_N_BITS);
        if (hdr & SPEC_SRC_IMMEDIATE) {
            size_t len = ((size_t)sp->n_bits + 15) / 16 * 2;
            if (len > n - pos)
                return ofp_fail(why, KEN_OFPBAC_BAD_LEN, "learn spec: value runs past the end");
            sp->src_value = p + pos;
            pos += len;
        } else if (subfield_typed_dec(p, n, &pos, &sp->src_field, &sp->src_ofs)) {
            return ofp_fail(why, EPROTONOSUPPORT, "learn spec: a source ken does not type");
        }
        if (sp->dst_type != KEN_NX_LEARN_OUTPUT && subfield_typed_dec(p, n, &pos, &sp->dst_field, &sp->dst_ofs))
            return ofp_fail(why, EPROTONOSUPPORT, "learn spec: a destination ken does not type");
    }
    *out = k ? specs : NULL;
    *count = k;
    return 0;
}

int nx_learn_specs_typed_enc(struct ken_buf *b, const struct ken_nx_learn_spec *specs, size_t n, const char *name,
                             char *why)
{
    for (size_t i = 0; i < n; i++) {
        const struct ken_nx_learn_spec *sp = &specs[i];
        if (sp->dst_type > KEN_NX_LEARN_OUTPUT || sp->n_bits > SPEC_N_BITS)
            return ofp_fail(why, ERANGE, "%s[%zu]: dst_type %u, n_bits %u", name, i, sp->dst_type, sp->n_bits);
        ken_buf_put16(b, (uint16_t)((sp->src_value ? SPEC_SRC_IMMEDIATE : 0) | (unsigned)sp->dst_type << SPEC_DST_SHIFT |
                                    sp->n_bits));
        if (sp->src_value) {
            ken_buf_put(b, sp->src_value, ((size_t)sp->n_bits + 15) / 16 * 2);
        } else {
            ken_buf_put32(b, sp->src_field);
            ken_buf_put16(b, sp->src_ofs);
        }
        if (sp->dst_type != KEN_NX_LEARN_OUTPUT) {
            ken_buf_put32(b, sp->dst_field);
            ken_buf_put16(b, sp->dst_ofs);
        }
    }
    return 0;
}
