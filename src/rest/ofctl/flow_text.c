/* GET /stats/flow straight from the wire into JSON text (flow_text.h):
 * OpenFlow 1.0 (v1_0.c's forms), 1.2 and 1.3 (Ryu's string forms,
 * util.c), 1.4 and 1.5 (the decoded entry with its match, instructions or
 * stats converted, v14_common.c).
 *
 * The general path's steps, and what this file does for each:
 *   - ken_ofp_to_json decodes each reply part: here ken_ofp_validate runs
 *     the same checks (so a reply it refuses goes the general way, and
 *     gets its error there), then the bytes are read in place;
 *   - the module (util.c: ofctl_legacy_flow_answer, flow_stat,
 *     ofctl_match_to_str, ofctl_legacy_instructions_to_str, action_text)
 *     makes Ryu's value: its key order, names and string forms are
 *     written here in the same order;
 *   - json-c prints {"<dpid>": value} plainly: integers in decimal,
 *     strings with json-c's escapes ('/' as "\/").
 * Anything outside the shapes below declines (false), never guesses. */
#include "flow_text.h"

#include <arpa/inet.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include <json-c/json.h>

#include "ken/ofp.h"
#include "ken/wire.h"
#include "ofp/oxm.h"
#include "util.h"

/* ---- JSON text ---------------------------------------------------------- */

static void put_raw(struct ken_buf *b, const char *s, size_t n)
{
    memcpy(ken_buf_put_uninit(b, n), s, n);
}

#define PUT_LIT(b, s) put_raw((b), (s), sizeof(s) - 1)

/* The decimal digits of v into end (backwards); returns where they start. */
static char *u64_digits(uint64_t v, char *end)
{
    do {
        *--end = (char)('0' + v % 10);
        v /= 10;
    } while (v);
    return end;
}

static void put_u64(struct ken_buf *b, uint64_t v)
{
    char tmp[24], *s = u64_digits(v, tmp + sizeof tmp);
    put_raw(b, s, (size_t)(tmp + sizeof tmp - s));
}

/* A JSON string as json-c writes it (json_escape_str without
 * JSON_C_TO_STRING_NOSLASHESCAPE). */
static void put_str(struct ken_buf *b, const char *s, size_t n)
{
    static const char hex[] = "0123456789abcdef";
    uint8_t *o = ken_buf_reserve(b, 6 * n + 2), *start = o;
    *o++ = '"';
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        switch (c) {
        case '\b': *o++ = '\\', *o++ = 'b'; break;
        case '\n': *o++ = '\\', *o++ = 'n'; break;
        case '\r': *o++ = '\\', *o++ = 'r'; break;
        case '\t': *o++ = '\\', *o++ = 't'; break;
        case '\f': *o++ = '\\', *o++ = 'f'; break;
        case '"': *o++ = '\\', *o++ = '"'; break;
        case '\\': *o++ = '\\', *o++ = '\\'; break;
        case '/': *o++ = '\\', *o++ = '/'; break;
        default:
            if (c < ' ') {
                memcpy(o, "\\u00", 4);
                o[4] = (uint8_t)hex[c >> 4];
                o[5] = (uint8_t)hex[c & 15];
                o += 6;
            } else {
                *o++ = c;
            }
        }
    }
    *o++ = '"';
    b->len += (size_t)(o - start);
}

static void put_cstr(struct ken_buf *b, const char *s)
{
    put_str(b, s, strlen(s));
}

/* A small text being built (one action's or one field's string). */
struct text {
    char s[160];
    size_t n;
    bool over;
};

static void t_add(struct text *t, const char *s, size_t n)
{
    if (t->n + n >= sizeof t->s) {
        t->over = true;
        return;
    }
    memcpy(t->s + t->n, s, n);
    t->n += n;
}

static void t_cstr(struct text *t, const char *s)
{
    t_add(t, s, strlen(s));
}

static void t_u64(struct text *t, uint64_t v)
{
    char tmp[24], *s = u64_digits(v, tmp + sizeof tmp);
    t_add(t, s, (size_t)(tmp + sizeof tmp - s));
}

/* ofctl_to_user then Python's str(): the reserved name, else the number. */
static void t_user(struct text *t, uint8_t version, enum ofctl_names set, uint64_t v)
{
    const char *name = ofctl_name_of(version, set, v);
    if (name)
        t_cstr(t, name);
    else
        t_u64(t, v);
}

/* ofctl_to_user as JSON: a name is a string, a number a number. */
static void put_user(struct ken_buf *b, uint8_t version, enum ofctl_names set, uint64_t v)
{
    const char *name = ofctl_name_of(version, set, v);
    if (name)
        put_cstr(b, name);
    else
        put_u64(b, v);
}

/* ---- OXM fields ----------------------------------------------------------- */

/* A field's value as ken_ofp_to_json shows it: an integer (is_int, u), or
 * a string (MAC, IPv4, IPv6 text in s). */
struct oxm_value {
    bool is_int;
    uint64_t u;
    char s[48];
};

/* The value of fmt at p (size bytes); false for a form not handled here
 * (128-bit integers, bytes, pairs). */
static bool oxm_value(uint8_t fmt, const uint8_t *p, size_t size, struct oxm_value *v)
{
    switch (fmt) {
    case OXF_INT:
        if (size > 8)
            return false;
        v->is_int = true;
        v->u = wire_getn(p, (unsigned)size);
        return true;
    case OXF_MAC:
        if (size != 6)
            return false;
        v->is_int = false;
        for (int i = 0; i < 6; i++) { /* ofp_fmt_mac's "%02x:..." */
            static const char hex[] = "0123456789abcdef";
            v->s[3 * i] = hex[p[i] >> 4];
            v->s[3 * i + 1] = hex[p[i] & 15];
            v->s[3 * i + 2] = i < 5 ? ':' : '\0';
        }
        return true;
    case OXF_IPV4:
    case OXF_IPV6:
        if (size != (fmt == OXF_IPV4 ? 4u : 16u))
            return false;
        v->is_int = false;
        return inet_ntop(fmt == OXF_IPV4 ? AF_INET : AF_INET6, p, v->s, sizeof v->s) != NULL;
    default: return false;
    }
}

/* str() of a value. */
static void t_value(struct text *t, const struct oxm_value *v)
{
    if (v->is_int)
        t_u64(t, v->u);
    else
        t_cstr(t, v->s);
}

/* Lookups of the OXM table (a linear scan) cached per answer: the fields
 * of the basic class by field number. */
struct oxm_cache {
    const struct oxm_def *basic[128];
    const char *key[128]; /* its key in a 1.2/1.3 match (old names) */
    bool known[128];
    const struct oxm_def *stat[128]; /* 1.5's OXS fields by field number */
    bool stat_known[128];
};

static const char *legacy_key(const char *name)
{
    static const char *const renames[][2] = {
        {"eth_src", "dl_src"}, {"eth_dst", "dl_dst"}, {"eth_type", "dl_type"}, {"vlan_vid", "dl_vlan"},
        {"ipv4_src", "nw_src"}, {"ipv4_dst", "nw_dst"}, {"ip_proto", "nw_proto"}, {"tcp_src", "tp_src"},
        {"tcp_dst", "tp_dst"}, {"udp_src", "tp_src"}, {"udp_dst", "tp_dst"},
    };
    for (size_t k = 0; k < sizeof renames / sizeof renames[0]; k++)
        if (strcmp(name, renames[k][0]) == 0)
            return renames[k][1];
    return name;
}

/* One TLV at p (avail bytes) of a match or set-field: its definition,
 * value and mask (NULL when unmasked), and its total length. False for
 * anything not handled here (experimenter and NXM classes, unknown
 * fields, lengths that do not fit the field). */
static bool oxm_tlv(uint8_t version, struct oxm_cache *c, const uint8_t *p, size_t avail, const struct oxm_def **def,
                    const char **key, struct oxm_value *value, struct oxm_value *mask, bool *masked, size_t *len)
{
    if (avail < 4)
        return false;
    uint32_t h = wire_get32(p);
    uint16_t cls = (uint16_t)(h >> 16);
    uint8_t field = h >> 9 & 0x7f, length = (uint8_t)h;
    bool hasmask = h >> 8 & 1;
    if (cls != OXM_CLASS_BASIC || 4u + length > avail)
        return false;
    if (!c->known[field]) {
        c->basic[field] = oxm_def_by_wire(OXM_FAM_MATCH, version, cls, field, 0, 0);
        c->key[field] = !c->basic[field] ? NULL
                        : version <= KEN_OFP13 ? legacy_key(c->basic[field]->name) : c->basic[field]->name;
        c->known[field] = true;
    }
    const struct oxm_def *d = c->basic[field];
    if (!d || length != (hasmask ? 2u : 1u) * d->size)
        return false;
    const uint8_t *vp = p + 4;
    if (!oxm_value(d->fmt, vp, d->size, value) || (hasmask && !oxm_value(d->fmt, vp + d->size, d->size, mask)))
        return false;
    *def = d;
    *key = c->key[field];
    *masked = hasmask;
    *len = 4u + length;
    return true;
}

/* ofctl_match_to_str (1.2 to 1.4) of the match at p (n bytes: the match's
 * own length, padding excluded) as a JSON object. */
static bool match_text(uint8_t version, struct oxm_cache *c, const uint8_t *p, size_t n, struct ken_buf *b)
{
    const char *keys[32];
    size_t n_keys = 0;
    ken_buf_put8(b, '{');
    for (size_t pos = 4; pos < n;) {
        const struct oxm_def *d;
        const char *key;
        struct oxm_value v, m;
        bool masked;
        size_t len;
        if (!oxm_tlv(version, c, p + pos, n - pos, &d, &key, &v, &m, &masked, &len))
            return false;
        pos += len;
        bool seen = false;
        for (size_t k = 0; k < n_keys && !seen; k++)
            seen = keys[k] == key || strcmp(keys[k], key) == 0;
        if (seen)
            continue; /* the first one stays */
        if (n_keys == sizeof keys / sizeof keys[0])
            return false;
        if (n_keys)
            ken_buf_put8(b, ',');
        keys[n_keys++] = key;
        put_cstr(b, key);
        ken_buf_put8(b, ':');
        struct text t = {.n = 0};
        char s[64];
        if (strcmp(key, version <= KEN_OFP13 ? "dl_vlan" : "vlan_vid") == 0 && v.is_int) {
            if (masked)
                snprintf(s, sizeof s, "0x%04" PRIx64 "/0x%04" PRIx64, v.u, m.u);
            else if (v.u & 0x1000)
                snprintf(s, sizeof s, "%" PRIu64, v.u & ~(uint64_t)0x1000);
            else
                snprintf(s, sizeof s, "0x%04" PRIx64, v.u);
            put_cstr(b, s);
        } else if (version >= KEN_OFP15 && strcmp(key, "packet_type") == 0) {
            return false; /* shown as [ns, type]: left to the general path */
        } else if (strcmp(key, "in_port") == 0) {
            if (!v.is_int)
                return false;
            put_user(b, version, OFCTL_NAMES_PORT, v.u);
        } else if (masked) {
            t_value(&t, &v);
            t_add(&t, "/", 1);
            t_value(&t, &m);
            if (t.over)
                return false;
            put_str(b, t.s, t.n);
        } else if (v.is_int) {
            put_u64(b, v.u);
        } else {
            put_cstr(b, v.s);
        }
    }
    ken_buf_put8(b, '}');
    return true;
}

/* ---- actions and instructions (1.2, 1.3) ---------------------------------- */

/* action_text of the action at p (its whole len bytes) into t; false for
 * one not handled here. */
static bool action_text(uint8_t version, struct oxm_cache *c, const uint8_t *p, size_t len, struct text *t)
{
    uint16_t type = wire_get16(p);
    switch (type) {
    case 0: /* OUTPUT */
        if (len != 16)
            return false;
        t_cstr(t, "OUTPUT:");
        t_user(t, version, OFCTL_NAMES_PORT, wire_get32(p + 4));
        return true;
    case 11: case 12: case 16: case 18: case 24: case 27: {
        static const char *const words[] = {[11] = "COPY_TTL_OUT", [12] = "COPY_TTL_IN", [16] = "DEC_MPLS_TTL",
                                            [18] = "POP_VLAN", [24] = "DEC_NW_TTL", [27] = "POP_PBB"};
        if (len != 8 || (type == 27 && version < KEN_OFP13))
            return false;
        t_cstr(t, words[type]);
        return true;
    }
    case 15: case 23: /* SET_MPLS_TTL, SET_NW_TTL */
        if (len != 8)
            return false;
        t_cstr(t, type == 15 ? "SET_MPLS_TTL:" : "SET_NW_TTL:");
        t_u64(t, p[4]);
        return true;
    case 17: case 19: case 20: case 26: { /* PUSH_VLAN, PUSH_MPLS, POP_MPLS, PUSH_PBB */
        if (len != 8 || (type == 26 && version < KEN_OFP13))
            return false;
        t_cstr(t, type == 17 ? "PUSH_VLAN:" : type == 19 ? "PUSH_MPLS:" : type == 20 ? "POP_MPLS:" : "PUSH_PBB:");
        t_u64(t, wire_get16(p + 4));
        return true;
    }
    case 21: case 22: /* SET_QUEUE, GROUP */
        if (len != 8)
            return false;
        t_cstr(t, type == 21 ? "SET_QUEUE:" : "GROUP:");
        t_user(t, version, type == 21 ? OFCTL_NAMES_QUEUE : OFCTL_NAMES_GROUP, wire_get32(p + 4));
        return true;
    case 25: { /* SET_FIELD: one unmasked field, padded to 8 */
        const struct oxm_def *d;
        const char *key;
        struct oxm_value v, m;
        bool masked;
        size_t flen;
        if (!oxm_tlv(version, c, p + 4, len - 4, &d, &key, &v, &m, &masked, &flen) || masked ||
            len != (4 + flen + 7) / 8 * 8)
            return false;
        for (size_t i = 4 + flen; i < len; i++)
            if (p[i])
                return false;
        t_cstr(t, "SET_FIELD: {");
        t_cstr(t, d->name);
        t_add(t, ":", 1);
        t_value(t, &v);
        t_add(t, "}", 1);
        return true;
    }
    default: return false;
    }
}

/* The actions of an instruction (p, n bytes) as strings appended to a
 * JSON list being written (*first: nothing written in it yet). */
static bool action_list(uint8_t version, struct oxm_cache *c, const uint8_t *p, size_t n, struct ken_buf *b,
                        bool *first)
{
    for (size_t pos = 0; pos < n;) {
        if (n - pos < 8)
            return false;
        size_t len = wire_get16(p + pos + 2);
        if (len < 8 || len % 8 || len > n - pos)
            return false;
        struct text t = {.n = 0};
        if (!action_text(version, c, p + pos, len, &t) || t.over)
            return false;
        if (!*first)
            ken_buf_put8(b, ',');
        *first = false;
        put_str(b, t.s, t.n);
        pos += len;
    }
    return true;
}

/* ofctl_legacy_instructions_to_str of the instructions at p (n bytes). */
static bool instructions_text(uint8_t version, struct oxm_cache *c, const uint8_t *p, size_t n, struct ken_buf *b)
{
    bool first = true;
    ken_buf_put8(b, '[');
    for (size_t pos = 0; pos < n;) {
        if (n - pos < 8)
            return false;
        uint16_t type = wire_get16(p + pos);
        size_t len = wire_get16(p + pos + 2);
        const uint8_t *q = p + pos;
        if (len < 8 || len % 8 || len > n - pos)
            return false;
        struct text t = {.n = 0};
        switch (type) {
        case 1: /* GOTO_TABLE */
            if (len != 8)
                return false;
            t_cstr(&t, "GOTO_TABLE:");
            t_user(&t, version, OFCTL_NAMES_TABLE, q[4]);
            break;
        case 6: /* METER */
            if (len != 8 || version < KEN_OFP13)
                return false;
            t_cstr(&t, "METER:");
            t_user(&t, version, OFCTL_NAMES_METER, wire_get32(q + 4));
            break;
        case 2: { /* WRITE_METADATA */
            char s[64];
            uint64_t md = wire_get64(q + 8), mask;
            if (len != 24)
                return false;
            mask = wire_get64(q + 16);
            if (mask)
                snprintf(s, sizeof s, "WRITE_METADATA:0x%" PRIx64 "/0x%" PRIx64, md, mask);
            else
                snprintf(s, sizeof s, "WRITE_METADATA:0x%" PRIx64, md);
            t_cstr(&t, s);
            break;
        }
        case 4: /* APPLY_ACTIONS: the strings go into the list itself */
            if (!action_list(version, c, q + 8, len - 8, b, &first))
                return false;
            pos += len;
            continue;
        case 3: { /* WRITE_ACTIONS: {"WRITE_ACTIONS": [...]} unless empty */
            if (len == 8) {
                pos += len;
                continue;
            }
            size_t mark = b->len;
            bool inner_first = true;
            if (!first)
                ken_buf_put8(b, ',');
            PUT_LIT(b, "{\"WRITE_ACTIONS\":[");
            if (!action_list(version, c, q + 8, len - 8, b, &inner_first))
                return false;
            if (inner_first) { /* (cannot happen: len > 8 holds an action) */
                b->len = mark;
            } else {
                PUT_LIT(b, "]}");
                first = false;
            }
            pos += len;
            continue;
        }
        case 5: /* CLEAR_ACTIONS (its actions, if any, are not shown) */
            if (len != 8)
                return false;
            t_cstr(&t, "CLEAR_ACTIONS");
            break;
        default: return false;
        }
        if (t.over)
            return false;
        if (!first)
            ken_buf_put8(b, ',');
        first = false;
        put_str(b, t.s, t.n);
        pos += len;
    }
    ken_buf_put8(b, ']');
    return true;
}

/* ---- actions and instructions (1.4: v14_common.c) ---------------------------- */

/* A value as JSON (a copy of the decoded one). */
static void put_value(struct ken_buf *b, const struct oxm_value *v)
{
    if (v->is_int)
        put_u64(b, v->u);
    else
        put_cstr(b, v->s);
}

/* {"type": name, "len": len, ...}: the decoded action with its type named
 * (action_to_str), its members in the decoder's order. */
static bool action14(uint8_t version, struct oxm_cache *c, const uint8_t *p, size_t len, struct ken_buf *b)
{
    uint16_t type = wire_get16(p);
    const char *name = ofctl_name_of(version, OFCTL_NAMES_ACTION_TYPE, type);
    const char *key = NULL;
    uint64_t v = 0;
    switch (type) {
    case 0: /* OUTPUT */
        if (len != 16)
            return false;
        break;
    case 11: case 12: case 16: case 18: case 24: case 27:
        if (len != 8)
            return false;
        break;
    case 15: case 23:
        if (len != 8)
            return false;
        key = type == 15 ? "mpls_ttl" : "nw_ttl", v = p[4];
        break;
    case 17: case 19: case 20: case 26:
        if (len != 8)
            return false;
        key = "ethertype", v = wire_get16(p + 4);
        break;
    case 21: case 22:
        if (len != 8)
            return false;
        key = type == 21 ? "queue_id" : "group_id", v = wire_get32(p + 4);
        break;
    case 25: break;
    default: return false;
    }
    if (!name)
        return false;
    PUT_LIT(b, "{\"type\":");
    put_cstr(b, name);
    PUT_LIT(b, ",\"len\":");
    put_u64(b, len);
    if (type == 0) {
        PUT_LIT(b, ",\"port\":");
        put_u64(b, wire_get32(p + 4));
        PUT_LIT(b, ",\"max_len\":");
        put_u64(b, wire_get16(p + 8));
    } else if (type == 25) { /* the field's name, mask and value in its place */
        const struct oxm_def *d;
        const char *fkey;
        struct oxm_value fv, fm;
        bool masked;
        size_t flen;
        if (!oxm_tlv(version, c, p + 4, len - 4, &d, &fkey, &fv, &fm, &masked, &flen) ||
            len != (4 + flen + 7) / 8 * 8)
            return false;
        for (size_t i = 4 + flen; i < len; i++)
            if (p[i])
                return false;
        PUT_LIT(b, ",\"field\":");
        put_cstr(b, d->name);
        PUT_LIT(b, ",\"mask\":");
        if (masked)
            put_value(b, &fm);
        else
            PUT_LIT(b, "null");
        PUT_LIT(b, ",\"value\":");
        put_value(b, &fv);
    } else if (key) {
        ken_buf_put8(b, ',');
        put_cstr(b, key);
        ken_buf_put8(b, ':');
        put_u64(b, v);
    }
    ken_buf_put8(b, '}');
    return true;
}

/* instructions_to_str of v14_common.c: each instruction decoded, its type
 * named, its actions through action14. */
static bool instructions14(uint8_t version, struct oxm_cache *c, const uint8_t *p, size_t n, struct ken_buf *b)
{
    ken_buf_put8(b, '[');
    for (size_t pos = 0; pos < n;) {
        if (n - pos < 8)
            return false;
        uint16_t type = wire_get16(p + pos);
        size_t len = wire_get16(p + pos + 2);
        const uint8_t *q = p + pos;
        const char *name = ofctl_name_of(version, OFCTL_NAMES_INSTRUCTION_TYPE, type);
        if (len < 8 || len % 8 || len > n - pos || !name)
            return false;
        if (pos)
            ken_buf_put8(b, ',');
        PUT_LIT(b, "{\"type\":");
        put_cstr(b, name);
        switch (type) {
        case 1: /* GOTO_TABLE: fixed fields, then the length */
            if (len != 8)
                return false;
            PUT_LIT(b, ",\"table_id\":");
            put_u64(b, q[4]);
            break;
        case 2:
            if (len != 24)
                return false;
            PUT_LIT(b, ",\"metadata\":");
            put_u64(b, wire_get64(q + 8));
            PUT_LIT(b, ",\"metadata_mask\":");
            put_u64(b, wire_get64(q + 16));
            break;
        case 6:
            if (len != 8)
                return false;
            PUT_LIT(b, ",\"meter_id\":");
            put_u64(b, wire_get32(q + 4));
            break;
        case 3: case 4: case 5: /* the length, then the actions */
            PUT_LIT(b, ",\"len\":");
            put_u64(b, len);
            PUT_LIT(b, ",\"actions\":[");
            for (size_t ap = 8; ap < len;) {
                if (len - ap < 8)
                    return false;
                size_t alen = wire_get16(q + ap + 2);
                if (alen < 8 || alen % 8 || alen > len - ap)
                    return false;
                if (ap > 8)
                    ken_buf_put8(b, ',');
                if (!action14(version, c, q + ap, alen, b))
                    return false;
                ap += alen;
            }
            PUT_LIT(b, "]}");
            pos += len;
            continue;
        default: return false;
        }
        PUT_LIT(b, ",\"len\":");
        put_u64(b, len);
        ken_buf_put8(b, '}');
        pos += len;
    }
    ken_buf_put8(b, ']');
    return true;
}

/* ---- flow entries ----------------------------------------------------------- */

/* ofctl_v1_0's flow entry (v1_0.c: flow_item, match_to_user,
 * action_string) of one entry at p (len bytes). */
static bool flow_entry10(const uint8_t *p, size_t len, struct ken_buf *b)
{
    enum {
        FW_IN_PORT = 1u << 0, FW_DL_VLAN = 1u << 1, FW_DL_SRC = 1u << 2, FW_DL_DST = 1u << 3,
        FW_DL_TYPE = 1u << 4, FW_NW_PROTO = 1u << 5, FW_TP_SRC = 1u << 6, FW_TP_DST = 1u << 7,
        FW_DL_VLAN_PCP = 1u << 20, FW_NW_TOS = 1u << 21,
    };
    if (len < 88)
        return false;
    const uint8_t *m = p + 4;
    uint32_t wc = wire_get32(m);
    PUT_LIT(b, "{\"priority\":");
    put_u64(b, wire_get16(p + 52));
    PUT_LIT(b, ",\"cookie\":");
    put_u64(b, wire_get64(p + 64));
    PUT_LIT(b, ",\"idle_timeout\":");
    put_u64(b, wire_get16(p + 54));
    PUT_LIT(b, ",\"hard_timeout\":");
    put_u64(b, wire_get16(p + 56));
    PUT_LIT(b, ",\"actions\":[");
    for (size_t pos = 88; pos < len;) {
        if (len - pos < 8)
            return false;
        const uint8_t *a = p + pos;
        uint16_t type = wire_get16(a);
        size_t alen = wire_get16(a + 2);
        if (alen < 8 || alen % 8 || alen > len - pos || alen != (type == 4 || type == 5 || type == 11 ? 16u : 8u))
            return false;
        struct text t = {.n = 0};
        struct oxm_value v;
        const char *name;
        switch (type) {
        case 0: /* OUTPUT */
        case 11: /* ENQUEUE */
            t_cstr(&t, type ? "ENQUEUE:" : "OUTPUT:");
            if ((name = ofctl_v10_name(false, wire_get16(a + 4))))
                t_cstr(&t, name);
            else
                t_u64(&t, wire_get16(a + 4));
            if (type == 11) {
                t_add(&t, ":", 1);
                if ((name = ofctl_v10_name(true, wire_get32(a + 12))))
                    t_cstr(&t, name);
                else
                    t_u64(&t, wire_get32(a + 12));
            }
            break;
        case 1: t_cstr(&t, "SET_VLAN_VID:"), t_u64(&t, wire_get16(a + 4)); break;
        case 2: t_cstr(&t, "SET_VLAN_PCP:"), t_u64(&t, a[4]); break;
        case 3: t_cstr(&t, "STRIP_VLAN"); break;
        case 4: case 5:
            oxm_value(OXF_MAC, a + 4, 6, &v);
            t_cstr(&t, type == 4 ? "SET_DL_SRC:" : "SET_DL_DST:"), t_cstr(&t, v.s);
            break;
        case 6: case 7:
            if (!oxm_value(OXF_IPV4, a + 4, 4, &v))
                return false;
            t_cstr(&t, type == 6 ? "SET_NW_SRC:" : "SET_NW_DST:"), t_cstr(&t, v.s);
            break;
        case 8: t_cstr(&t, "SET_NW_TOS:"), t_u64(&t, a[4]); break;
        case 9: case 10: t_cstr(&t, type == 9 ? "SET_TP_SRC:" : "SET_TP_DST:"), t_u64(&t, wire_get16(a + 4)); break;
        default: return false; /* vendor actions */
        }
        if (t.over)
            return false;
        if (pos > 88)
            ken_buf_put8(b, ',');
        put_str(b, t.s, t.n);
        pos += alen;
    }
    PUT_LIT(b, "],\"match\":{");
    bool first = true;
#define KEY(k) (put_raw(b, first ? "\"" k "\":" : ",\"" k "\":", sizeof(k) + (first ? 2 : 3)), first = false)
    struct oxm_value v;
    if (!(wc & FW_IN_PORT)) {
        const char *name = ofctl_v10_name(false, wire_get16(m + 4));
        KEY("in_port");
        if (name)
            put_cstr(b, name);
        else
            put_u64(b, wire_get16(m + 4));
    }
    if (!(wc & FW_DL_SRC)) {
        oxm_value(OXF_MAC, m + 6, 6, &v);
        KEY("dl_src");
        put_cstr(b, v.s);
    }
    if (!(wc & FW_DL_DST)) {
        oxm_value(OXF_MAC, m + 12, 6, &v);
        KEY("dl_dst");
        put_cstr(b, v.s);
    }
    if (!(wc & FW_DL_VLAN))
        KEY("dl_vlan"), put_u64(b, wire_get16(m + 18));
    if (!(wc & FW_DL_VLAN_PCP))
        KEY("dl_vlan_pcp"), put_u64(b, m[20]);
    if (!(wc & FW_DL_TYPE))
        KEY("dl_type"), put_u64(b, wire_get16(m + 22));
    if (!(wc & FW_NW_TOS))
        KEY("nw_tos"), put_u64(b, m[24]);
    if (!(wc & FW_NW_PROTO))
        KEY("nw_proto"), put_u64(b, m[25]);
    for (int dst = 0; dst < 2; dst++) {
        unsigned shift = dst ? 14 : 8, wbits = (wc >> shift) & 0x3f;
        if (wbits & 32)
            continue;
        struct text t = {.n = 0};
        if (!oxm_value(OXF_IPV4, m + (dst ? 32 : 28), 4, &v))
            return false;
        t_cstr(&t, v.s);
        if (wbits) {
            t_add(&t, "/", 1);
            t_u64(&t, 32 - wbits);
        }
        if (dst)
            KEY("nw_dst");
        else
            KEY("nw_src");
        put_str(b, t.s, t.n);
    }
    if (!(wc & FW_TP_SRC))
        KEY("tp_src"), put_u64(b, wire_get16(m + 36));
    if (!(wc & FW_TP_DST))
        KEY("tp_dst"), put_u64(b, wire_get16(m + 38));
#undef KEY
    PUT_LIT(b, "},\"byte_count\":");
    put_u64(b, wire_get64(p + 80));
    PUT_LIT(b, ",\"duration_sec\":");
    put_u64(b, wire_get32(p + 44));
    PUT_LIT(b, ",\"duration_nsec\":");
    put_u64(b, wire_get32(p + 48));
    PUT_LIT(b, ",\"packet_count\":");
    put_u64(b, wire_get64(p + 72));
    PUT_LIT(b, ",\"table_id\":");
    put_u64(b, p[2]);
    ken_buf_put8(b, '}');
    return true;
}

/* stats_to_str of v14_common.c for 1.5's OFPStats at p (n bytes, its
 * length): each OXS field by name, the first one of a name kept, the
 * duration and idle time as {"<name>_sec", "<name>_nsec"}. */
static bool stats15(uint8_t version, struct oxm_cache *c, const uint8_t *p, size_t n, struct ken_buf *b)
{
    const char *keys[16];
    size_t n_keys = 0;
    ken_buf_put8(b, '{');
    for (size_t pos = 4; pos < n;) {
        if (n - pos < 4)
            return false;
        uint32_t h = wire_get32(p + pos);
        uint8_t field = h >> 9 & 0x7f, length = (uint8_t)h;
        if (h >> 16 != OXM_CLASS_OXS || (h >> 8 & 1) || 4u + length > n - pos)
            return false;
        if (!c->stat_known[field]) {
            c->stat[field] = oxm_def_by_wire(OXM_FAM_STAT, version, OXM_CLASS_OXS, field, 0, 0);
            c->stat_known[field] = true;
        }
        const struct oxm_def *d = c->stat[field];
        const uint8_t *vp = p + pos + 4;
        if (!d || length != d->size || !(d->fmt == OXF_PAIR ? d->size == 8 : d->fmt == OXF_INT && d->size <= 8))
            return false;
        pos += 4u + length;
        bool seen = false;
        for (size_t k = 0; k < n_keys && !seen; k++)
            seen = keys[k] == d->name || strcmp(keys[k], d->name) == 0;
        if (seen)
            continue;
        if (n_keys == sizeof keys / sizeof keys[0])
            return false;
        if (n_keys)
            ken_buf_put8(b, ',');
        keys[n_keys++] = d->name;
        put_cstr(b, d->name);
        ken_buf_put8(b, ':');
        if (d->fmt == OXF_PAIR) {
            bool dur = strcmp(d->name, "duration") == 0, idle = strcmp(d->name, "idle_time") == 0;
            if (!dur && !idle) { /* shown as the list itself */
                ken_buf_put8(b, '[');
                put_u64(b, wire_get32(vp));
                ken_buf_put8(b, ',');
                put_u64(b, wire_get32(vp + 4));
                ken_buf_put8(b, ']');
                continue;
            }
            put_raw(b, dur ? "{\"duration_sec\":" : "{\"idle_time_sec\":", dur ? 16 : 17);
            put_u64(b, wire_get32(vp));
            put_raw(b, dur ? ",\"duration_nsec\":" : ",\"idle_time_nsec\":", dur ? 17 : 18);
            put_u64(b, wire_get32(vp + 4));
            ken_buf_put8(b, '}');
        } else {
            put_u64(b, wire_getn(vp, d->size));
        }
    }
    ken_buf_put8(b, '}');
    return true;
}

/* answer_flows of v14_common.c for one 1.5 entry (no instructions in 1.5's
 * flow stats): the decoded entry's members, match and stats converted. */
static bool flow_entry15(uint8_t version, struct oxm_cache *c, const uint8_t *p, size_t len, struct ken_buf *b)
{
    if (len < 24)
        return false;
    size_t mlen = wire_get16(p + 10), mpad = (mlen + 7) / 8 * 8;
    if (wire_get16(p + 8) != 1 || mlen < 4 || 8 + mpad + 8 > len)
        return false;
    const uint8_t *st = p + 8 + mpad;
    size_t slen = wire_get16(st + 2), spad = (slen + 7) / 8 * 8;
    if (wire_get16(st) != 0 || slen < 4 || 8 + mpad + spad != len)
        return false;
    PUT_LIT(b, "{\"length\":");
    put_u64(b, len);
    PUT_LIT(b, ",\"table_id\":");
    put_u64(b, p[4]);
    PUT_LIT(b, ",\"reason\":");
    put_u64(b, p[5]);
    PUT_LIT(b, ",\"priority\":");
    put_u64(b, wire_get16(p + 6));
    PUT_LIT(b, ",\"match\":");
    if (!match_text(version, c, p + 8, mlen, b))
        return false;
    PUT_LIT(b, ",\"stats\":");
    if (!stats15(version, c, st, slen, b))
        return false;
    ken_buf_put8(b, '}');
    return true;
}

/* answer_flows of v14_common.c for one 1.4 entry: the decoded entry's
 * members in order, match and instructions converted in their places. */
static bool flow_entry14(uint8_t version, struct oxm_cache *c, const uint8_t *p, size_t len, struct ken_buf *b)
{
    if (len < 56)
        return false;
    size_t mlen = wire_get16(p + 50), mpad = (mlen + 7) / 8 * 8;
    if (wire_get16(p + 48) != 1 || mlen < 4 || 48 + mpad > len)
        return false;
    PUT_LIT(b, "{\"length\":");
    put_u64(b, len);
    PUT_LIT(b, ",\"table_id\":");
    put_u64(b, p[2]);
    PUT_LIT(b, ",\"duration_sec\":");
    put_u64(b, wire_get32(p + 4));
    PUT_LIT(b, ",\"duration_nsec\":");
    put_u64(b, wire_get32(p + 8));
    PUT_LIT(b, ",\"priority\":");
    put_u64(b, wire_get16(p + 12));
    PUT_LIT(b, ",\"idle_timeout\":");
    put_u64(b, wire_get16(p + 14));
    PUT_LIT(b, ",\"hard_timeout\":");
    put_u64(b, wire_get16(p + 16));
    PUT_LIT(b, ",\"flags\":");
    put_u64(b, wire_get16(p + 18));
    PUT_LIT(b, ",\"importance\":");
    put_u64(b, wire_get16(p + 20));
    PUT_LIT(b, ",\"cookie\":");
    put_u64(b, wire_get64(p + 24));
    PUT_LIT(b, ",\"packet_count\":");
    put_u64(b, wire_get64(p + 32));
    PUT_LIT(b, ",\"byte_count\":");
    put_u64(b, wire_get64(p + 40));
    PUT_LIT(b, ",\"match\":");
    if (!match_text(version, c, p + 48, mlen, b))
        return false;
    PUT_LIT(b, ",\"instructions\":");
    if (!instructions14(version, c, p + 48 + mpad, len - 48 - mpad, b))
        return false;
    ken_buf_put8(b, '}');
    return true;
}


/* flow_stat of one 1.2/1.3 entry at p (len bytes, its length field). */
static bool flow_entry(uint8_t version, struct oxm_cache *c, const uint8_t *p, size_t len, struct ken_buf *b)
{
    if (len < 56)
        return false;
    size_t mlen = wire_get16(p + 50), mpad = (mlen + 7) / 8 * 8;
    if (wire_get16(p + 48) != 1 || mlen < 4 || 48 + mpad > len)
        return false;
    PUT_LIT(b, "{\"priority\":");
    put_u64(b, wire_get16(p + 12));
    PUT_LIT(b, ",\"cookie\":");
    put_u64(b, wire_get64(p + 24));
    PUT_LIT(b, ",\"idle_timeout\":");
    put_u64(b, wire_get16(p + 14));
    PUT_LIT(b, ",\"hard_timeout\":");
    put_u64(b, wire_get16(p + 16));
    PUT_LIT(b, ",\"byte_count\":");
    put_u64(b, wire_get64(p + 40));
    PUT_LIT(b, ",\"duration_sec\":");
    put_u64(b, wire_get32(p + 4));
    PUT_LIT(b, ",\"duration_nsec\":");
    put_u64(b, wire_get32(p + 8));
    PUT_LIT(b, ",\"packet_count\":");
    put_u64(b, wire_get64(p + 32));
    PUT_LIT(b, ",\"length\":");
    put_u64(b, len);
    if (version >= KEN_OFP13) {
        PUT_LIT(b, ",\"flags\":");
        put_u64(b, wire_get16(p + 18));
    }
    PUT_LIT(b, ",\"actions\":");
    if (!instructions_text(version, c, p + 48 + mpad, len - 48 - mpad, b))
        return false;
    PUT_LIT(b, ",\"match\":");
    if (!match_text(version, c, p + 48, mlen, b))
        return false;
    PUT_LIT(b, ",\"table_id\":");
    put_user(b, version, OFCTL_NAMES_TABLE, p[2]);
    ken_buf_put8(b, '}');
    return true;
}

static bool flow_parts(uint8_t version, const struct ofctl_int *prio, const uint8_t *const *msgs, const size_t *lens,
                       size_t n, struct ken_buf *b)
{
    struct oxm_cache c;
    bool first = true;
    memset(&c, 0, sizeof c);
    for (size_t i = 0; i < n; i++) {
        const uint8_t *m = msgs[i];
        char why[KEN_WHY_LEN];
        bool v10 = version == KEN_OFP10;
        if (lens[i] < 16 || m[0] != version || m[1] != (v10 ? 17 : 19) /* OFPT_(STATS|MULTIPART)_REPLY */ ||
            wire_get16(m + 8) != (version == KEN_OFP15 ? 17 : 1) /* OFPMP_FLOW(_STATS) */ ||
            ken_ofp_validate(m, lens[i], why) != 0)
            return false;
        size_t end = wire_get16(m + 2);
        if (end > lens[i])
            return false;
        size_t min = v10 ? 88 : version == KEN_OFP15 ? 24 : 56;
        size_t prio_at = v10 ? 52 : version == KEN_OFP15 ? 6 : 12;
        for (size_t pos = v10 ? 12 : 16; pos < end;) {
            if (end - pos < min)
                return false;
            size_t len = wire_get16(m + pos);
            if (len < min || len > end - pos)
                return false;
            /* Ryu's own filter: a priority of 0 or more keeps only that priority */
            if (!prio->neg && (prio->big || prio->mag != wire_get16(m + pos + prio_at))) {
                pos += len;
                continue;
            }
            if (!first)
                ken_buf_put8(b, ',');
            first = false;
            if (v10 ? !flow_entry10(m + pos, len, b)
                    : !(version == KEN_OFP15   ? flow_entry15
                        : version == KEN_OFP14 ? flow_entry14
                                               : flow_entry)(version, &c, m + pos, len, b))
                return false;
            pos += len;
        }
    }
    return true;
}

bool ofctl_flow_text(uint8_t version, const struct ofctl_args *args, uint64_t dpid, const uint8_t *const *msgs,
                     const size_t *lens, size_t n, struct ken_buf *out)
{
    if (args->kind != OFCTL_FLOW || !ken_ofp_version_supported(version))
        return false;
    /* The filter as the module reads it: its priority, and any error the
     * general path would give (declined: it gives it). On 1.4, only no
     * filter at all (v14_common.c reads it its own way). */
    struct ofctl_int prio = {1, true, false};
    if (version >= KEN_OFP14 || version == KEN_OFP10) {
        if (ofctl_py_truthy(args->body))
            return false;
    } else {
        struct json_object *req = NULL;
        char why[KEN_WHY_LEN];
        if (ofctl_legacy_flow_request(version, "OFPFlowStatsRequest", args->body, &req, &prio, why) != OFCTL_OK)
            return false;
        json_object_put(req);
    }
    size_t mark = out->len;
    char key[24];
    int kl = snprintf(key, sizeof key, "%" PRIu64, dpid);
    PUT_LIT(out, "{");
    put_str(out, key, (size_t)kl);
    PUT_LIT(out, ":[");
    if (!flow_parts(version, &prio, msgs, lens, n, out)) {
        out->len = mark;
        return false;
    }
    PUT_LIT(out, "]}");
    return true;
}
