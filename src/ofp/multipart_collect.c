/* Reassembly of multipart/statistics replies split with REPLY_MORE (see
 * ken/ofp_multipart.h). The bodies are kept back to back in one buffer;
 * each part remembers where its body lies and its flags, so both the byte
 * view and the JSON view (decode each part, join the body lists) come from
 * the same storage. */
#include "ken/ofp_multipart.h"

#include <errno.h>
#include <json-c/json.h>
#include <stdlib.h>
#include <string.h>

#include "ofp/ofp_spec.h"
#include "ofp/schema.h"
#include "ofp/wire.h"

struct mp_part {
    size_t off;     /* of its body in the body buffer */
    uint16_t len;   /* of its body */
    uint16_t flags;
};

struct ken_mp_collect {
    size_t max_bytes;
    struct ken_buf body;
    struct mp_part *parts;
    size_t n_parts, cap_parts;
    bool done;
    /* what every part must share with the first */
    uint8_t version;
    uint32_t xid;
    uint16_t mp_type;
    uint32_t experimenter;
};

struct ken_mp_collect *ken_mp_collect_new(size_t max_bytes)
{
    struct ken_mp_collect *c = calloc(1, sizeof *c);
    if (!c)
        return NULL;
    c->max_bytes = max_bytes ? max_bytes : KEN_MP_DEFAULT_MAX_BYTES;
    ken_buf_init(&c->body);
    return c;
}

void ken_mp_collect_reset(struct ken_mp_collect *c)
{
    ken_buf_clear(&c->body);
    c->n_parts = 0;
    c->done = false;
}

void ken_mp_collect_free(struct ken_mp_collect *c)
{
    if (!c)
        return;
    ken_buf_free(&c->body);
    free(c->parts);
    free(c);
}

bool ken_mp_collect_done(const struct ken_mp_collect *c) { return c->done; }

size_t ken_mp_collect_parts(const struct ken_mp_collect *c) { return c->n_parts; }

const uint8_t *ken_mp_collect_body(const struct ken_mp_collect *c, size_t *len)
{
    *len = c->body.len;
    return c->body.len ? c->body.data : NULL;
}

/* The multipart header: 12 bytes in 1.0 (type, flags), 16 from 1.2 on
 * (type, flags, pad). The reply message type differs too. */
static size_t mp_header_len(uint8_t version) { return version == KEN_OFP10 ? 12 : 16; }
static uint8_t mp_reply_type(uint8_t version)
{
    return version == KEN_OFP10 ? OFPT10_MULTIPART_REPLY : OFPT_MULTIPART_REPLY;
}

/* Checks one part's framing; fills h and the part's multipart type. */
static int mp_check_part(const uint8_t *msg, size_t n, struct ken_ofp_header *h, char *why)
{
    if (ken_ofp_header_parse(msg, n, h))
        return ofp_fail(why, KEN_OFPBRC_BAD_LEN, "not an OpenFlow message (%zu bytes)", n);
    if (!ken_ofp_version_supported(h->version))
        return ofp_fail(why, KEN_OFPBRC_BAD_VERSION, "unsupported OpenFlow version %u", h->version);
    if (h->type != mp_reply_type(h->version))
        return ofp_fail(why, KEN_OFPBRC_BAD_TYPE, "message type %u is not a multipart reply", h->type);
    if (h->length > n || h->length < mp_header_len(h->version))
        return ofp_fail(why, KEN_OFPBRC_BAD_LEN, "multipart reply of %u bytes (%zu present)", h->length, n);
    return 0;
}

static uint32_t mp_experimenter_of(const uint8_t *msg, const struct ken_ofp_header *h)
{
    size_t at = mp_header_len(h->version);
    return h->length >= at + 4 ? wire_get32(msg + at) : 0;
}

/* Is this part a continuation of the first one? */
static int mp_check_same(const struct ken_mp_collect *c, const uint8_t *msg, const struct ken_ofp_header *h,
                         char *why)
{
    uint16_t mp_type = wire_get16(msg + 8);
    if (c->done)
        return ofp_fail(why, KEN_OFPBRC_BAD_MULTIPART, "a part after the last one (xid %u)", h->xid);
    if (h->version != c->version || h->xid != c->xid)
        return ofp_fail(why, KEN_OFPBRC_BAD_MULTIPART, "part of version %u xid %u amid version %u xid %u", h->version,
                        h->xid, c->version, c->xid);
    if (mp_type != c->mp_type)
        return ofp_fail(why, KEN_OFPBRC_BAD_MULTIPART, "multipart type changed from %u to %u", c->mp_type, mp_type);
    uint16_t experimenter_type = h->version == KEN_OFP10 ? OFPST10_EXPERIMENTER : OFPMP_EXPERIMENTER;
    if (mp_type == experimenter_type && mp_experimenter_of(msg, h) != c->experimenter)
        return ofp_fail(why, KEN_OFPBRC_BAD_MULTIPART, "experimenter changed from %#x to %#x", c->experimenter,
                        mp_experimenter_of(msg, h));
    return 0;
}

static int mp_store_part(struct ken_mp_collect *c, const uint8_t *body, uint16_t len, uint16_t flags, char *why)
{
    size_t used = c->body.len + c->n_parts * sizeof(struct mp_part);
    size_t need = (size_t)len + sizeof(struct mp_part);
    if (need > c->max_bytes || used > c->max_bytes - need)
        return ofp_fail(why, ENOBUFS, "multipart reply over the %zu-byte limit after %zu parts", c->max_bytes,
                        c->n_parts);
    if (c->n_parts == c->cap_parts) {
        size_t cap = c->cap_parts ? 2 * c->cap_parts : 8;
        struct mp_part *p = realloc(c->parts, cap * sizeof *p);
        if (!p)
            return ofp_fail(why, ENOMEM, "out of memory");
        c->parts = p;
        c->cap_parts = cap;
    }
    c->parts[c->n_parts++] = (struct mp_part){c->body.len, len, flags};
    ken_buf_put(&c->body, body, len);
    return 0;
}

int ken_mp_collect_feed(struct ken_mp_collect *c, const uint8_t *msg, size_t n, bool *done, char why[KEN_WHY_LEN])
{
    struct ken_ofp_header h;
    why[0] = 0;
    *done = false;
    int err = mp_check_part(msg, n, &h, why);
    if (!err && c->n_parts)
        err = mp_check_same(c, msg, &h, why);
    if (!err && !c->n_parts) {
        c->version = h.version;
        c->xid = h.xid;
        c->mp_type = wire_get16(msg + 8);
        c->experimenter = mp_experimenter_of(msg, &h);
    }
    size_t hdr = mp_header_len(h.version);
    uint16_t flags = err ? 0 : wire_get16(msg + 10);
    if (!err)
        err = mp_store_part(c, msg + hdr, (uint16_t)(h.length - hdr), flags, why);
    if (err) {
        ken_mp_collect_reset(c);
        return err;
    }
    c->done = *done = !(flags & KEN_MP_REPLY_MORE);
    return 0;
}

/* Decodes part i, rebuilt from the first part's header and its own body. */
static int mp_decode_part(const struct ken_mp_collect *c, size_t i, struct ken_buf *scratch, json_object **out,
                          char *why)
{
    const struct mp_part *p = &c->parts[i];
    size_t hdr = mp_header_len(c->version);
    ken_buf_clear(scratch);
    uint8_t *h = ken_buf_put_zeros(scratch, hdr);
    h[0] = c->version;
    h[1] = mp_reply_type(c->version);
    wire_put16(h + 2, (uint16_t)(hdr + p->len));
    wire_put32(h + 4, c->xid);
    wire_put16(h + 8, c->mp_type);
    wire_put16(h + 10, p->flags);
    ken_buf_put(scratch, c->body.data + p->off, p->len);
    return ken_ofp_to_json(scratch->data, scratch->len, out, why);
}

/* The object inside {"Class": {...}} and its "body" list (NULL if the body
 * is a single structure). */
static json_object *mp_body_list(json_object *msg, json_object **inner)
{
    json_object *body = NULL;
    *inner = ofp_unwrap(msg, NULL);
    if (!*inner || !json_object_object_get_ex(*inner, "body", &body) || !json_object_is_type(body, json_type_array))
        return NULL;
    return body;
}

/* Moves the entries of part's body list to the end of list. */
static void mp_append_entries(json_object *list, json_object *part_list)
{
    for (size_t k = 0; k < json_object_array_length(part_list); k++)
        json_object_array_add(list, json_object_get(json_object_array_get_idx(part_list, k)));
}

int ken_mp_collect_json(const struct ken_mp_collect *c, json_object **out, char why[KEN_WHY_LEN])
{
    why[0] = 0;
    *out = NULL;
    if (!c->done)
        return ofp_fail(why, EAGAIN, "the reply is not complete (%zu parts so far)", c->n_parts);
    struct ken_buf scratch = KEN_BUF_INIT;
    json_object *merged = NULL, *inner = NULL, *list = NULL;
    int err = mp_decode_part(c, 0, &scratch, &merged, why);
    if (!err && c->n_parts > 1 && !(list = mp_body_list(merged, &inner)))
        err = ofp_fail(why, KEN_OFPBRC_BAD_MULTIPART, "%s: a single-structure body cannot span %zu parts",
                       ken_ofp_msg_class(scratch.data, scratch.len), c->n_parts);
    for (size_t i = 1; !err && i < c->n_parts; i++) {
        json_object *part = NULL, *part_inner = NULL, *part_list;
        err = mp_decode_part(c, i, &scratch, &part, why);
        if (!err && (part_list = mp_body_list(part, &part_inner)) != NULL) {
            mp_append_entries(list, part_list);
            if (i == c->n_parts - 1) /* the merged reply carries the flags of the last part */
                json_object_object_add(inner, "flags", ofp_json_uint(c->parts[i].flags));
        }
        json_object_put(part);
    }
    ken_buf_free(&scratch);
    if (err) {
        json_object_put(merged);
        return err;
    }
    *out = merged;
    return 0;
}
