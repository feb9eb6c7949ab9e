/* The field-table language of ken's codec. A regular OpenFlow structure is
 * described once, as a table of fields; one interpreter (schema.c) decodes
 * it to JSON and encodes it from JSON, checking every length on the way.
 * Irregular parts (OXM, the 1.0 match, hello bitmaps, ...) plug in as
 * FK_CUSTOM codecs. */
#ifndef KEN_OFP_SCHEMA_H
#define KEN_OFP_SCHEMA_H

#include <json-c/json.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ken/buf.h"
#include "ken/ofp.h"

enum ofp_kind {
    FK_END,
    FK_UINT,     /* unsigned integer of size 1, 2, 4 or 8 */
    FK_PAD,      /* size zero bytes; never in JSON */
    FK_MAC,      /* 6 bytes as "aa:bb:cc:dd:ee:ff" */
    FK_IPV4,     /* 4 bytes as dotted quad */
    FK_IPV6,     /* 16 bytes as text */
    FK_STR,      /* size bytes of NUL-padded text (1.0's descriptions take 256) */
    FK_LEN,      /* length of the enclosing structure (size 1, 2 or 4) */
    FK_LENOF,    /* byte length of the field at index arg (size 2 or 4) */
    FK_OBJ,      /* one nested structure: sub is a struct ofp_desc */
    FK_LIST,     /* structures of one kind up to the region end: sub is a desc */
    FK_PLIST,    /* TLVs of several kinds up to the region end: sub is a poly */
    FK_DATA,     /* the rest of the region as base64 */
    FK_CUSTOM,   /* sub is a struct ofp_custom */
};

enum {
    FF_HIDE = 1,     /* not in JSON: encode writes def, decode reads and drops */
    FF_SIGNED = 2,   /* FK_UINT holds a two's complement signed value */
    FF_OPTIONAL = 4, /* FK_OBJ: absent in JSON encodes as {} (OS-Ken's match=None) */
};

struct ofp_field {
    uint8_t kind;
    uint16_t size;
    uint8_t flags;
    uint8_t arg;
    const char *name;
    const void *sub;
    uint64_t def;
};

enum {
    DF_LEN_EXCL_PAD = 1, /* FK_LEN counts the fields but not the alignment padding */
    DF_FIXED_SIZE = 2,   /* the fields fix the size: decoding skips the wire FK_LEN and shows
                          * the real size, as OS-Ken does for its fixed-size instructions */
    DF_BAD_BUCKET = 4,   /* in a list, a bad length of its own is OFPGMFC_BAD_BUCKET (a group's
                          * bucket), not OFPBRC_BAD_LEN */
};

struct ofp_desc {
    const char *cls;            /* class name wrapping the JSON, NULL for none */
    const struct ofp_field *fields;
    uint8_t align;              /* the structure is padded to a multiple of this */
    uint8_t flags;
};

/* One kind of TLV in a family: matches when the type is key (OFP_ANY: any
 * type) and, for
 * experimenter TLVs, the experimenter id (u32 at offset 4) and subtype
 * (u16 at offset 8) match (OFP_ANY matches anything). */
#define OFP_ANY 0xffffffffu
struct ofp_poly_entry {
    uint32_t key;
    uint32_t exp;
    uint32_t subtype;
    const struct ofp_desc *desc;
};

struct ofp_poly {
    const char *what;                    /* "action", for error messages */
    const struct ofp_poly_entry *entries;
    size_t n_entries;
    int err_type;                        /* the error for an unknown type */
    int err_len;                         /* the error for a bad length */
    uint8_t subtype_size;                /* 2 (NX actions) or 4 (properties) */
    /* Entries another file owns, tried before these (the NX actions that the
     * 1.0 and 1.2+ action families share); n_more points at their count. */
    const struct ofp_poly_entry *more;
    const size_t *n_more;
    uint8_t len_multiple;                /* every length is a multiple of this (8: actions); 0: any */
};

struct dctx {
    const uint8_t *p;   /* the message, header included */
    size_t pos;         /* read cursor */
    uint8_t version;
    bool lenient;       /* a truncated message: lists keep what fits and stop */
    char *why;
    size_t avail;       /* bytes readable at p, which may run past the message end
                         * (0: unknown); only multipart.c's 1.5 meter-features
                         * quirk reads past the end, as OS-Ken does */
    bool validate;      /* check only: the interpreter builds no JSON (its *out
                         * results are NULL); a structure with a custom codec
                         * is still decoded in full (see ofp_dec_struct) */
};

struct ectx {
    struct ken_buf *b;
    uint8_t version;
    char *why;
};

/* A custom codec decodes from d->pos up to end into obj[f->name], and
 * encodes obj[f->name], appending to e->b. */
struct ofp_custom {
    int (*dec)(struct dctx *d, size_t end, const struct ofp_field *f, json_object *obj);
    int (*enc)(struct ectx *e, const struct ofp_field *f, json_object *obj);
    /* The JSON keys of the enclosing object it reads besides f->name
     * (NULL-terminated), or NULL: encoding refuses any other unknown key. */
    const char *const *extra_keys;
    /* dec honours d->validate: it then builds no JSON (obj is NULL) and
     * reads back no field decoded before it, so a structure holding it is
     * checked without building anything (ofp_dec_struct). */
    bool validates;
};

/* Field-table shorthands. */
#define F_U8(n) {FK_UINT, 1, 0, 0, n, NULL, 0}
#define F_U16(n) {FK_UINT, 2, 0, 0, n, NULL, 0}
#define F_U32(n) {FK_UINT, 4, 0, 0, n, NULL, 0}
#define F_U64(n) {FK_UINT, 8, 0, 0, n, NULL, 0}
#define F_UINT(sz, n) {FK_UINT, sz, 0, 0, n, NULL, 0}
#define F_CONST(sz, n, v) {FK_UINT, sz, FF_HIDE, 0, n, NULL, v}
#define F_DEF(sz, n, v) {FK_UINT, sz, 0, 0, n, NULL, v}
#define F_PAD(sz) {FK_PAD, sz, 0, 0, NULL, NULL, 0}
#define F_MAC(n) {FK_MAC, 6, 0, 0, n, NULL, 0}
#define F_IPV4(n) {FK_IPV4, 4, 0, 0, n, NULL, 0}
#define F_IPV6(n) {FK_IPV6, 16, 0, 0, n, NULL, 0}
#define F_STR(sz, n) {FK_STR, sz, 0, 0, n, NULL, 0}
#define F_LEN(sz, n) {FK_LEN, sz, 0, 0, n, NULL, 0}
#define F_LEN_HIDDEN(sz) {FK_LEN, sz, FF_HIDE, 0, "len", NULL, 0}
#define F_LENOF(sz, n, idx) {FK_LENOF, sz, 0, idx, n, NULL, 0}
#define F_LENOF_HIDDEN(sz, idx) {FK_LENOF, sz, FF_HIDE, idx, "", NULL, 0}
#define F_OBJ(n, d) {FK_OBJ, 0, 0, 0, n, d, 0}
#define F_OBJ_OPT(n, d) {FK_OBJ, 0, FF_OPTIONAL, 0, n, d, 0}
#define F_LIST(n, d) {FK_LIST, 0, 0, 0, n, d, 0}
#define F_PLIST(n, p) {FK_PLIST, 0, 0, 0, n, p, 0}
#define F_DATA(n) {FK_DATA, 0, 0, 0, n, NULL, 0}
/* Data that must hold at least min bytes (e.g. a vendor id kept inside it). */
#define F_DATA_MIN(n, min) {FK_DATA, min, 0, 0, n, NULL, 0}
#define F_CUSTOM(n, c) {FK_CUSTOM, 0, 0, 0, n, c, 0}
#define F_END {FK_END, 0, 0, 0, NULL, NULL, 0}


#define POLY(name, what_, err_type_, err_len_, entries_) \
    const struct ofp_poly name = {what_, entries_, sizeof(entries_) / sizeof(entries_[0]), err_type_, err_len_, 2, NULL, NULL, 0}

/* Interpreter entry points, for custom codecs and the message table. */
int ofp_dec_struct(struct dctx *d, size_t end, const struct ofp_desc *desc, json_object **out);
int ofp_enc_struct(struct ectx *e, const struct ofp_desc *desc, json_object *body);
/* One element of a TLV family, and a whole run of them up to end. */
int ofp_dec_poly(struct dctx *d, size_t end, const struct ofp_poly *poly, json_object **out);
int ofp_enc_poly(struct ectx *e, const struct ofp_poly *poly, json_object *wrapped);
int ofp_dec_plist(struct dctx *d, size_t end, const struct ofp_poly *poly, json_object **out);
int ofp_enc_plist(struct ectx *e, const struct ofp_poly *poly, json_object *arr);
/* In a truncated message (d->lenient) a list that runs out of bytes keeps
 * what it decoded: this turns err into 0 and moves to end. Lists in custom
 * codecs call it too. */
int ofp_lenient_stop(struct dctx *d, size_t end, int err);
/* A 1.4+ flow monitor reply's update layout for its event, NULL for an
 * event OpenFlow does not define (multipart.c). */
const struct ofp_desc *ofp_flow_update_desc(uint16_t event);
/* Wraps body as {cls: body}; unwraps {cls: body} (NULL if the shape is off). */
json_object *ofp_wrap(const char *cls, json_object *body);
json_object *ofp_unwrap(json_object *obj, const char **cls);

/* Errors carry a one-line reason. The innermost failure names the cause:
 * ofp_fail writes why only while it is still empty. The public entry
 * points (ken_ofp_decode, ken_ofp_to_json, ...) empty the caller's buffer
 * first; a buffer handed straight to the codec's internals starts as ""
 * (why[0] = 0), even one whose text is not read. */
int ofp_fail(char *why, int err, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
#define DFAIL(d, err, ...) ofp_fail((d)->why, err, __VA_ARGS__)
#define EFAIL(e, err, ...) ofp_fail((e)->why, err, __VA_ARGS__)

/* JSON helpers shared by the codecs. */
json_object *ofp_json_uint(uint64_t v);
/* Reads an unsigned integer key: 0, 1 when it is missing or null, or the
 * negated error (EINVAL: not an integer, ERANGE: out of range). */
int ofp_json_get_uint(struct ectx *e, json_object *obj, const char *key, uint64_t max, uint64_t *v);
int ofp_json_uint_value(struct ectx *e, json_object *v, const char *key, uint64_t max, uint64_t *out);
json_object *ofp_json_base64(const uint8_t *p, size_t n);
/* A text field's bytes as a JSON string: bytes that are not UTF-8 are
 * kept, and written out as \udcXX escapes (text.c says why). */
json_object *ofp_json_text(const uint8_t *p, size_t n);
/* The JSON decoder's checks of one structure at p (n bytes left): 0 or
 * its error, and the bytes it spans in *len. For the hot-path codec's rare
 * parts, which must accept exactly what the JSON codec accepts. */
int ofp_struct_check(const uint8_t *p, size_t n, uint8_t version, const struct ofp_desc *desc, size_t *len);
/* The same for one element of a TLV family at p: its desc (NULL when none
 * matches) and span. */
int ofp_poly_element(const uint8_t *p, size_t n, uint8_t version, const struct ofp_poly *poly,
                     const struct ofp_desc **desc, size_t *span);
/* The list at obj[key], NULL when absent or null; anything else that is
 * not a list fails with err_code (in *err, which is 0 otherwise). */
json_object *ofp_json_get_list(struct ectx *e, json_object *obj, const char *key, int err_code, int *err);
/* Decodes base64 text into e->b. */
int ofp_json_put_base64(struct ectx *e, json_object *v, const char *key);
void ofp_fmt_mac(char out[18], const uint8_t *p);
int ofp_parse_mac(const char *s, uint8_t out[6]);

#endif
