#include "ofp/msgtable.h"

#include <string.h>

#include "ofp/ofp_spec.h"
#include "ofp/wire.h"

/* The generated rows come last: the messages read most (packet-in, flow
 * removed, multipart replies) are found without scanning past them. */
static const struct ofp_msg_rows *const all_rows[] = {&ofp_rows_of10, &ofp_rows_nx_msgs, &ofp_rows_msgs,
                                                      &ofp_rows_spec};
#define N_TABLES (sizeof all_rows / sizeof all_rows[0])

const char *ken_ofp_version_name(uint8_t version)
{
    static const char *const names[] = {"?", "1.0", "1.1", "1.2", "1.3", "1.4", "1.5"};
    return version < sizeof names / sizeof names[0] ? names[version] : "?";
}

int ken_ofp_header_parse(const uint8_t *p, size_t n, struct ken_ofp_header *h)
{
    if (n < KEN_OFP_HEADER_LEN)
        return KEN_OFPBRC_BAD_LEN;
    h->version = p[0];
    h->type = p[1];
    h->length = wire_get16(p + 2);
    h->xid = wire_get32(p + 4);
    return h->length < KEN_OFP_HEADER_LEN ? KEN_OFPBRC_BAD_LEN : 0;
}

static int row_matches(const struct ofp_msg_row *r, const uint8_t *p, size_t n, uint8_t version, uint8_t type)
{
    if (!(r->vmask & OFPV(version)) || r->type != type)
        return 0;
    if (r->mp != OFP_NO_MP && (n < 10 || wire_get16(p + 8) != (uint32_t)r->mp))
        return 0;
    if (r->exp != OFP_ANY) {
        size_t at = r->mp != OFP_NO_MP ? (version == KEN_OFP10 ? 12 : 16) : 8;
        if (n < at + 4 || wire_get32(p + at) != r->exp)
            return 0;
    }
    return 1;
}

const struct ofp_msg_row *ofp_msg_find(const uint8_t *p, size_t n, uint8_t version, uint8_t type)
{
    for (size_t t = 0; t < N_TABLES; t++)
        for (size_t i = 0; i < all_rows[t]->n; i++)
            if (row_matches(&all_rows[t]->rows[i], p, n, version, type))
                return &all_rows[t]->rows[i];
    return NULL;
}

/* ---- who may send what (the description's sender=, generated) ---- */

int ken_ofp_check_sender(const uint8_t *msg, size_t len, bool from_switch)
{
    if (len < KEN_OFP_HEADER_LEN)
        return KEN_OFPBRC_BAD_LEN;
    uint8_t version = msg[0], type = msg[1];
    if (!ken_ofp_version_supported(version))
        return KEN_OFPBRC_BAD_VERSION;
    if (version > OFP_SPEC_MAX_WIRE_VERSION || type > OFP_SPEC_MAX_TYPE)
        return KEN_OFPBRC_BAD_TYPE;
    /* 0 for a type the version lacks: no sender may send it */
    uint8_t senders = ofp_type_senders[version][type];
    return senders & (from_switch ? OFP_SENT_BY_SWITCH : OFP_SENT_BY_CONTROLLER) ? 0 : KEN_OFPBRC_BAD_TYPE;
}

const char *ken_ofp_msg_class(const uint8_t *p, size_t n)
{
    struct ken_ofp_header h;
    if (ken_ofp_header_parse(p, n, &h))
        return NULL;
    const struct ofp_msg_row *r = ofp_msg_find(p, n < h.length ? n : h.length, h.version, h.type);
    return r ? r->desc->cls : NULL;
}

const char *ken_ofp_mp_type_name(uint8_t version, uint16_t mp)
{
    return ofp_spec_mp_name(version, mp);
}

void ken_ofp_foreach_msg_class(void (*fn)(const char *cls, void *arg), void *arg)
{
    for (size_t t = 0; t < N_TABLES; t++)
        for (size_t i = 0; i < all_rows[t]->n; i++) {
            const char *cls = all_rows[t]->rows[i].desc->cls;
            bool seen = false; /* a few hundred rows, once at start-up: a scan is fine */
            for (size_t u = 0; u <= t && !seen; u++)
                for (size_t j = 0; j < (u == t ? i : all_rows[u]->n) && !seen; j++)
                    seen = !strcmp(all_rows[u]->rows[j].desc->cls, cls);
            if (!seen)
                fn(cls, arg);
        }
}

/* One walk for both: ken_ofp_to_json, and ken_ofp_validate (validate: the
 * same checks, no JSON built, *out stays NULL). */
static int msg_decode(const uint8_t *p, size_t n, bool validate, json_object **out, char why[KEN_WHY_LEN])
{
    struct ken_ofp_header h;
    why[0] = 0;
    *out = NULL;
    if (ken_ofp_header_parse(p, n, &h))
        return ofp_fail(why, KEN_OFPBRC_BAD_LEN, "%s", n < 8 ? "shorter than the 8-byte header" : "header length below 8");
    if (!ken_ofp_version_supported(h.version))
        return ofp_fail(why, KEN_OFPBRC_BAD_VERSION, "unsupported OpenFlow version %u", h.version);
    bool truncated = n < h.length;
    size_t end = truncated ? n : h.length;
    const struct ofp_msg_row *r = ofp_msg_find(p, end, h.version, h.type);
    if (!r) {
        int err = KEN_OFPBRC_BAD_TYPE;
        bool of10 = h.version == KEN_OFP10;
        if (h.type == (of10 ? OFPT10_MULTIPART_REQUEST : OFPT_MULTIPART_REQUEST) ||
            h.type == (of10 ? OFPT10_MULTIPART_REPLY : OFPT_MULTIPART_REPLY))
            err = KEN_OFPBRC_BAD_MULTIPART;
        return ofp_fail(why, err, "no OpenFlow %s message of type %u%s", ken_ofp_version_name(h.version), h.type,
                        err == KEN_OFPBRC_BAD_MULTIPART ? " with that multipart type" : "");
    }
    struct dctx d = {.p = p, .pos = KEN_OFP_HEADER_LEN, .version = h.version, .why = why, .lenient = truncated,
                     .avail = n, .validate = validate};
    json_object *msg = NULL;
    int err = ofp_dec_struct(&d, end, r->desc, &msg);
    if (err)
        return err;
    if (truncated) {
        *out = msg ? ofp_wrap("OFPTruncatedMessage", msg) : NULL;
        return ofp_fail(why, KEN_OFPBRC_BAD_LEN, "truncated: header says %u bytes, %zu present", h.length, n);
    }
    if (d.pos != end) {
        json_object_put(msg);
        return ofp_fail(why, KEN_OFPBRC_BAD_LEN, "%s: %zu trailing bytes", r->desc->cls, end - d.pos);
    }
    *out = msg;
    return 0;
}

int ken_ofp_to_json(const uint8_t *p, size_t n, json_object **out, char why[KEN_WHY_LEN])
{
    return msg_decode(p, n, false, out, why);
}

int ken_ofp_validate(const uint8_t *p, size_t n, char why[KEN_WHY_LEN])
{
    json_object *none = NULL;
    return msg_decode(p, n, true, &none, why);
}

/* Finds the row for a class name; when several rows share the name (as the
 * 1.2 OFPStatsReply does), the body's "type" picks the multipart type. */
static const struct ofp_msg_row *find_by_class(const char *cls, uint8_t version, json_object *body)
{
    const struct ofp_msg_row *first = NULL;
    for (size_t t = 0; t < N_TABLES; t++)
        for (size_t i = 0; i < all_rows[t]->n; i++) {
            const struct ofp_msg_row *r = &all_rows[t]->rows[i];
            if (!(r->vmask & OFPV(version)) || strcmp(r->desc->cls, cls))
                continue;
            json_object *ty;
            if (r->mp != OFP_NO_MP && json_object_object_get_ex(body, "type", &ty) &&
                json_object_is_type(ty, json_type_int) && json_object_get_int64(ty) != r->mp) {
                if (!first)
                    first = r;
                continue;
            }
            return r;
        }
    return first;
}

int ken_ofp_from_json(json_object *obj, uint8_t version, struct ken_buf *out, char why[KEN_WHY_LEN])
{
    const char *cls = NULL;
    why[0] = 0;
    if (!ken_ofp_version_supported(version))
        return ofp_fail(why, KEN_OFPBRC_BAD_VERSION, "unsupported OpenFlow version %u", version);
    json_object *body = NULL;
    if (json_object_is_type(obj, json_type_object)) {
        json_object_object_foreach(obj, k, v)
        {
            if (strcmp(k, "xid")) { /* a top-level "xid" may stand beside the class */
                if (body)
                    return ofp_fail(why, KEN_OFPBRC_BAD_TYPE, "expected one class key, found %s and %s", cls, k);
                cls = k;
                body = v;
            }
        }
    }
    if (!body || !json_object_is_type(body, json_type_object))
        return ofp_fail(why, KEN_OFPBRC_BAD_TYPE, "expected one object {\"OFPClassName\": {...}}");
    const struct ofp_msg_row *r = find_by_class(cls, version, body);
    if (!r)
        return ofp_fail(why, KEN_OFPBRC_BAD_TYPE, "%s is not an OpenFlow %s message", cls, ken_ofp_version_name(version));
    struct ectx e = {.b = out, .version = version, .why = why};
    size_t start = out->len;
    uint64_t xid = 0;
    if (ofp_json_get_uint(&e, obj, "xid", UINT32_MAX, &xid) < 0)
        return KEN_OFPBRC_BAD_LEN;
    ken_buf_put8(out, version);
    ken_buf_put8(out, r->type);
    ken_buf_put16(out, 0);
    ken_buf_put32(out, (uint32_t)xid);
    int err = ofp_enc_struct(&e, r->desc, body);
    if (err) {
        out->len = start;
        return err;
    }
    size_t len = out->len - start;
    if ((err = ofp_msg_finish(out, start)))
        return ofp_fail(why, err, "%s: %zu bytes is over the 65535-byte limit", cls, len);
    return 0;
}
