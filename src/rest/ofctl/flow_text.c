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

/* Every offset and type number below is the description's
 * (src/ofp/spec/openflow.def, through ofp/ofp_spec.h): none by hand. */
#define ACT(name) OFPK_OFP_ACTIONS_ACTION_##name
#define ACT_AT(name, field) OFPO_OFP_ACTIONS_ACTION_##name##_##field
#define ACT_SIZE(name) OFPS_OFP_ACTIONS_ACTION_##name
#define ACT_SHORT ACT_SIZE(POP_VLAN) /* the actions with at most 4 bytes of arguments */
#define INST(name) OFPK_OFP_INSTRUCTIONS_INSTRUCTION_##name
#define INST_AT(name, field) OFPO_OFP_INSTRUCTIONS_INSTRUCTION_##name##_##field
#define INST_SIZE(name) OFPS_OFP_INSTRUCTIONS_INSTRUCTION_##name
#define A10(name) OFPK_OF10_ACTION_POLY_ACTION_##name
#define A10_AT(name, field) OFPO_OF10_ACTION_POLY_ACTION_##name##_##field
#define M10(field) OFPO_OFP_MATCH10_DESC_##field
#define FS10(field) OFPO_OF10_FLOW_STATS_##field
#define FS(field) OFPO_FLOW_STATS_14_##field /* 1.2 to 1.4 share these offsets */
#define FS15(field) OFPO_FLOW_STATS_15_##field
#define MATCH_AT(field) OFPO_OFP_MATCH_HEAD_##field
_Static_assert(FS(PRIORITY) == OFPO_FLOW_STATS_12_PRIORITY && FS(MATCH) == OFPO_FLOW_STATS_12_MATCH &&
                   FS(COOKIE) == OFPO_FLOW_STATS_12_COOKIE && FS(FLAGS) == OFPO_FLOW_STATS_13_FLAGS &&
                   FS(BYTE_COUNT) == OFPO_FLOW_STATS_13_BYTE_COUNT,
               "1.2 to 1.4 flow stats share their offsets");
_Static_assert(ACT_AT(SET_MPLS_TTL, MPLS_TTL) == ACT_AT(SET_NW_TTL, NW_TTL) &&
                   ACT_AT(PUSH_VLAN, ETHERTYPE) == ACT_AT(PUSH_MPLS, ETHERTYPE) &&
                   ACT_AT(PUSH_VLAN, ETHERTYPE) == ACT_AT(POP_MPLS, ETHERTYPE) &&
                   ACT_AT(PUSH_VLAN, ETHERTYPE) == ACT_AT(PUSH_PBB, ETHERTYPE) &&
                   ACT_AT(SET_QUEUE, QUEUE_ID) == ACT_AT(GROUP, GROUP_ID) &&
                   A10_AT(OUTPUT, PORT) == A10_AT(ENQUEUE, PORT) &&
                   A10_AT(SET_DL_SRC, DL_ADDR) == A10_AT(SET_DL_DST, DL_ADDR) &&
                   A10_AT(SET_NW_SRC, NW_ADDR) == A10_AT(SET_NW_DST, NW_ADDR) &&
                   A10_AT(SET_TP_SRC, TP) == A10_AT(SET_TP_DST, TP) &&
                   OFPO_REPLY_FLOW_10_TYPE == OFPO_REPLY_FLOW_13_TYPE && OFPO_OF10_FLOW_STATS_LENGTH == FS(LENGTH) &&
                   FS15(LENGTH) == FS(LENGTH) && OFPO_REPLY_FLOW_15_BODY == OFPO_REPLY_FLOW_13_BODY,
               "actions that share a form share its offsets");

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
    const uint8_t *vp = p + OFPO_OXM_EXP_HEAD_EXPERIMENTER; /* the value, after the header */
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
    uint16_t type = wire_get16(p + ACT_AT(OUTPUT, TYPE));
    switch (type) {
    case ACT(OUTPUT):
        if (len != ACT_SIZE(OUTPUT))
            return false;
        t_cstr(t, "OUTPUT:");
        t_user(t, version, OFCTL_NAMES_PORT, wire_get32(p + ACT_AT(OUTPUT, PORT)));
        return true;
    case ACT(COPY_TTL_OUT): case ACT(COPY_TTL_IN): case ACT(DEC_MPLS_TTL): case ACT(POP_VLAN):
    case ACT(DEC_NW_TTL): case ACT(POP_PBB): {
        static const char *const words[] = {[ACT(COPY_TTL_OUT)] = "COPY_TTL_OUT", [ACT(COPY_TTL_IN)] = "COPY_TTL_IN",
                                            [ACT(DEC_MPLS_TTL)] = "DEC_MPLS_TTL", [ACT(POP_VLAN)] = "POP_VLAN",
                                            [ACT(DEC_NW_TTL)] = "DEC_NW_TTL", [ACT(POP_PBB)] = "POP_PBB"};
        if (len != ACT_SHORT || (type == ACT(POP_PBB) && version < KEN_OFP13))
            return false;
        t_cstr(t, words[type]);
        return true;
    }
    case ACT(SET_MPLS_TTL): case ACT(SET_NW_TTL):
        if (len != ACT_SHORT)
            return false;
        t_cstr(t, type == ACT(SET_MPLS_TTL) ? "SET_MPLS_TTL:" : "SET_NW_TTL:");
        t_u64(t, p[ACT_AT(SET_MPLS_TTL, MPLS_TTL)]);
        return true;
    case ACT(PUSH_VLAN): case ACT(PUSH_MPLS): case ACT(POP_MPLS): case ACT(PUSH_PBB): {
        if (len != ACT_SHORT || (type == ACT(PUSH_PBB) && version < KEN_OFP13))
            return false;
        t_cstr(t, type == ACT(PUSH_VLAN)   ? "PUSH_VLAN:"
                  : type == ACT(PUSH_MPLS) ? "PUSH_MPLS:"
                  : type == ACT(POP_MPLS)  ? "POP_MPLS:"
                                           : "PUSH_PBB:");
        t_u64(t, wire_get16(p + ACT_AT(PUSH_VLAN, ETHERTYPE)));
        return true;
    }
    case ACT(SET_QUEUE): case ACT(GROUP):
        if (len != ACT_SHORT)
            return false;
        t_cstr(t, type == ACT(SET_QUEUE) ? "SET_QUEUE:" : "GROUP:");
        t_user(t, version, type == ACT(SET_QUEUE) ? OFCTL_NAMES_QUEUE : OFCTL_NAMES_GROUP,
               wire_get32(p + ACT_AT(SET_QUEUE, QUEUE_ID)));
        return true;
    case ACT(SET_FIELD): { /* one unmasked field, padded to 8 */
        const struct oxm_def *d;
        const char *key;
        struct oxm_value v, m;
        bool masked;
        size_t flen;
        if (!oxm_tlv(version, c, p + ACT_AT(SET_FIELD, FIELD), len - ACT_AT(SET_FIELD, FIELD), &d, &key, &v, &m,
                     &masked, &flen) ||
            masked || len != (ACT_AT(SET_FIELD, FIELD) + flen + 7) / 8 * 8)
            return false;
        for (size_t i = ACT_AT(SET_FIELD, FIELD) + flen; i < len; i++)
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
        if (n - pos < ACT_SHORT)
            return false;
        size_t len = wire_get16(p + pos + ACT_AT(OUTPUT, LEN));
        if (len < ACT_SHORT || len % ACT_SHORT || len > n - pos)
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
        if (n - pos < INST_SIZE(ACTIONS))
            return false;
        uint16_t type = wire_get16(p + pos + INST_AT(ACTIONS, TYPE));
        size_t len = wire_get16(p + pos + INST_AT(ACTIONS, LEN));
        const uint8_t *q = p + pos;
        if (len < INST_SIZE(ACTIONS) || len % INST_SIZE(ACTIONS) || len > n - pos)
            return false;
        struct text t = {.n = 0};
        switch (type) {
        case INST(GOTO_TABLE):
            if (len != INST_SIZE(GOTO_TABLE))
                return false;
            t_cstr(&t, "GOTO_TABLE:");
            t_user(&t, version, OFCTL_NAMES_TABLE, q[INST_AT(GOTO_TABLE, TABLE_ID)]);
            break;
        case INST(METER):
            if (len != INST_SIZE(METER) || version < KEN_OFP13)
                return false;
            t_cstr(&t, "METER:");
            t_user(&t, version, OFCTL_NAMES_METER, wire_get32(q + INST_AT(METER, METER_ID)));
            break;
        case INST(WRITE_METADATA): {
            char s[64];
            uint64_t md = wire_get64(q + INST_AT(WRITE_METADATA, METADATA)), mask;
            if (len != INST_SIZE(WRITE_METADATA))
                return false;
            mask = wire_get64(q + INST_AT(WRITE_METADATA, METADATA_MASK));
            if (mask)
                snprintf(s, sizeof s, "WRITE_METADATA:0x%" PRIx64 "/0x%" PRIx64, md, mask);
            else
                snprintf(s, sizeof s, "WRITE_METADATA:0x%" PRIx64, md);
            t_cstr(&t, s);
            break;
        }
        case OFPC_OFPIT_APPLY_ACTIONS: /* the strings go into the list itself */
            if (!action_list(version, c, q + INST_AT(ACTIONS, ACTIONS), len - INST_AT(ACTIONS, ACTIONS), b, &first))
                return false;
            pos += len;
            continue;
        case OFPC_OFPIT_WRITE_ACTIONS: { /* {"WRITE_ACTIONS": [...]} unless empty */
            if (len == INST_SIZE(ACTIONS)) {
                pos += len;
                continue;
            }
            size_t mark = b->len;
            bool inner_first = true;
            if (!first)
                ken_buf_put8(b, ',');
            PUT_LIT(b, "{\"WRITE_ACTIONS\":[");
            if (!action_list(version, c, q + INST_AT(ACTIONS, ACTIONS), len - INST_AT(ACTIONS, ACTIONS), b,
                             &inner_first))
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
        case OFPC_OFPIT_CLEAR_ACTIONS: /* its actions, if any, are not shown */
            if (len != INST_SIZE(ACTIONS))
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
    uint16_t type = wire_get16(p + ACT_AT(OUTPUT, TYPE));
    const char *name = ofctl_name_of(version, OFCTL_NAMES_ACTION_TYPE, type);
    const char *key = NULL;
    uint64_t v = 0;
    switch (type) {
    case ACT(OUTPUT):
        if (len != ACT_SIZE(OUTPUT))
            return false;
        break;
    case ACT(COPY_TTL_OUT): case ACT(COPY_TTL_IN): case ACT(DEC_MPLS_TTL): case ACT(POP_VLAN):
    case ACT(DEC_NW_TTL): case ACT(POP_PBB):
        if (len != ACT_SHORT)
            return false;
        break;
    case ACT(SET_MPLS_TTL): case ACT(SET_NW_TTL):
        if (len != ACT_SHORT)
            return false;
        key = type == ACT(SET_MPLS_TTL) ? "mpls_ttl" : "nw_ttl", v = p[ACT_AT(SET_MPLS_TTL, MPLS_TTL)];
        break;
    case ACT(PUSH_VLAN): case ACT(PUSH_MPLS): case ACT(POP_MPLS): case ACT(PUSH_PBB):
        if (len != ACT_SHORT)
            return false;
        key = "ethertype", v = wire_get16(p + ACT_AT(PUSH_VLAN, ETHERTYPE));
        break;
    case ACT(SET_QUEUE): case ACT(GROUP):
        if (len != ACT_SHORT)
            return false;
        key = type == ACT(SET_QUEUE) ? "queue_id" : "group_id", v = wire_get32(p + ACT_AT(SET_QUEUE, QUEUE_ID));
        break;
    case ACT(SET_FIELD): break;
    default: return false;
    }
    if (!name)
        return false;
    PUT_LIT(b, "{\"type\":");
    put_cstr(b, name);
    PUT_LIT(b, ",\"len\":");
    put_u64(b, len);
    if (type == ACT(OUTPUT)) {
        PUT_LIT(b, ",\"port\":");
        put_u64(b, wire_get32(p + ACT_AT(OUTPUT, PORT)));
        PUT_LIT(b, ",\"max_len\":");
        put_u64(b, wire_get16(p + ACT_AT(OUTPUT, MAX_LEN)));
    } else if (type == ACT(SET_FIELD)) { /* the field's name, mask and value in its place */
        const struct oxm_def *d;
        const char *fkey;
        struct oxm_value fv, fm;
        bool masked;
        size_t flen;
        if (!oxm_tlv(version, c, p + ACT_AT(SET_FIELD, FIELD), len - ACT_AT(SET_FIELD, FIELD), &d, &fkey, &fv, &fm,
                     &masked, &flen) ||
            len != (ACT_AT(SET_FIELD, FIELD) + flen + 7) / 8 * 8)
            return false;
        for (size_t i = ACT_AT(SET_FIELD, FIELD) + flen; i < len; i++)
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
        if (n - pos < INST_SIZE(ACTIONS))
            return false;
        uint16_t type = wire_get16(p + pos + INST_AT(ACTIONS, TYPE));
        size_t len = wire_get16(p + pos + INST_AT(ACTIONS, LEN));
        const uint8_t *q = p + pos;
        const char *name = ofctl_name_of(version, OFCTL_NAMES_INSTRUCTION_TYPE, type);
        if (len < INST_SIZE(ACTIONS) || len % INST_SIZE(ACTIONS) || len > n - pos || !name)
            return false;
        if (pos)
            ken_buf_put8(b, ',');
        PUT_LIT(b, "{\"type\":");
        put_cstr(b, name);
        switch (type) {
        case INST(GOTO_TABLE): /* fixed fields, then the length */
            if (len != INST_SIZE(GOTO_TABLE))
                return false;
            PUT_LIT(b, ",\"table_id\":");
            put_u64(b, q[INST_AT(GOTO_TABLE, TABLE_ID)]);
            break;
        case INST(WRITE_METADATA):
            if (len != INST_SIZE(WRITE_METADATA))
                return false;
            PUT_LIT(b, ",\"metadata\":");
            put_u64(b, wire_get64(q + INST_AT(WRITE_METADATA, METADATA)));
            PUT_LIT(b, ",\"metadata_mask\":");
            put_u64(b, wire_get64(q + INST_AT(WRITE_METADATA, METADATA_MASK)));
            break;
        case INST(METER):
            if (len != INST_SIZE(METER))
                return false;
            PUT_LIT(b, ",\"meter_id\":");
            put_u64(b, wire_get32(q + INST_AT(METER, METER_ID)));
            break;
        case OFPC_OFPIT_WRITE_ACTIONS: case OFPC_OFPIT_APPLY_ACTIONS: case OFPC_OFPIT_CLEAR_ACTIONS:
            /* the length, then the actions */
            PUT_LIT(b, ",\"len\":");
            put_u64(b, len);
            PUT_LIT(b, ",\"actions\":[");
            for (size_t ap = INST_AT(ACTIONS, ACTIONS); ap < len;) {
                if (len - ap < ACT_SHORT)
                    return false;
                size_t alen = wire_get16(q + ap + ACT_AT(OUTPUT, LEN));
                if (alen < ACT_SHORT || alen % ACT_SHORT || alen > len - ap)
                    return false;
                if (ap > INST_AT(ACTIONS, ACTIONS))
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
    if (len < OFPS_OF10_FLOW_STATS)
        return false;
    const uint8_t *m = p + FS10(MATCH);
    uint32_t wc = wire_get32(m + M10(WILDCARDS));
    PUT_LIT(b, "{\"priority\":");
    put_u64(b, wire_get16(p + FS10(PRIORITY)));
    PUT_LIT(b, ",\"cookie\":");
    put_u64(b, wire_get64(p + FS10(COOKIE)));
    PUT_LIT(b, ",\"idle_timeout\":");
    put_u64(b, wire_get16(p + FS10(IDLE_TIMEOUT)));
    PUT_LIT(b, ",\"hard_timeout\":");
    put_u64(b, wire_get16(p + FS10(HARD_TIMEOUT)));
    PUT_LIT(b, ",\"actions\":[");
    for (size_t pos = FS10(ACTIONS); pos < len;) {
        if (len - pos < OFPS_OF10_ACTION_POLY_ACTION_STRIP_VLAN)
            return false;
        const uint8_t *a = p + pos;
        uint16_t type = wire_get16(a + A10_AT(OUTPUT, TYPE));
        size_t alen = wire_get16(a + A10_AT(OUTPUT, LEN));
        size_t want = type == A10(SET_DL_SRC)   ? OFPS_OF10_ACTION_POLY_ACTION_SET_DL_SRC
                      : type == A10(SET_DL_DST) ? OFPS_OF10_ACTION_POLY_ACTION_SET_DL_DST
                      : type == A10(ENQUEUE)    ? OFPS_OF10_ACTION_POLY_ACTION_ENQUEUE
                                                : OFPS_OF10_ACTION_POLY_ACTION_STRIP_VLAN;
        if (alen % OFPS_OF10_ACTION_POLY_ACTION_STRIP_VLAN || alen > len - pos || alen != want)
            return false;
        struct text t = {.n = 0};
        struct oxm_value v;
        const char *name;
        switch (type) {
        case A10(OUTPUT):
        case A10(ENQUEUE):
            t_cstr(&t, type == A10(ENQUEUE) ? "ENQUEUE:" : "OUTPUT:");
            if ((name = ofctl_v10_name(false, wire_get16(a + A10_AT(OUTPUT, PORT)))))
                t_cstr(&t, name);
            else
                t_u64(&t, wire_get16(a + A10_AT(OUTPUT, PORT)));
            if (type == A10(ENQUEUE)) {
                t_add(&t, ":", 1);
                if ((name = ofctl_v10_name(true, wire_get32(a + A10_AT(ENQUEUE, QUEUE_ID)))))
                    t_cstr(&t, name);
                else
                    t_u64(&t, wire_get32(a + A10_AT(ENQUEUE, QUEUE_ID)));
            }
            break;
        case A10(VLAN_VID): t_cstr(&t, "SET_VLAN_VID:"), t_u64(&t, wire_get16(a + A10_AT(VLAN_VID, VLAN_VID))); break;
        case A10(VLAN_PCP): t_cstr(&t, "SET_VLAN_PCP:"), t_u64(&t, a[A10_AT(VLAN_PCP, VLAN_PCP)]); break;
        case A10(STRIP_VLAN): t_cstr(&t, "STRIP_VLAN"); break;
        case A10(SET_DL_SRC): case A10(SET_DL_DST):
            oxm_value(OXF_MAC, a + A10_AT(SET_DL_SRC, DL_ADDR), 6, &v);
            t_cstr(&t, type == A10(SET_DL_SRC) ? "SET_DL_SRC:" : "SET_DL_DST:"), t_cstr(&t, v.s);
            break;
        case A10(SET_NW_SRC): case A10(SET_NW_DST):
            if (!oxm_value(OXF_IPV4, a + A10_AT(SET_NW_SRC, NW_ADDR), 4, &v))
                return false;
            t_cstr(&t, type == A10(SET_NW_SRC) ? "SET_NW_SRC:" : "SET_NW_DST:"), t_cstr(&t, v.s);
            break;
        case A10(SET_NW_TOS): t_cstr(&t, "SET_NW_TOS:"), t_u64(&t, a[A10_AT(SET_NW_TOS, TOS)]); break;
        case A10(SET_TP_SRC): case A10(SET_TP_DST):
            t_cstr(&t, type == A10(SET_TP_SRC) ? "SET_TP_SRC:" : "SET_TP_DST:");
            t_u64(&t, wire_get16(a + A10_AT(SET_TP_SRC, TP)));
            break;
        default: return false; /* vendor actions */
        }
        if (t.over)
            return false;
        if (pos > FS10(ACTIONS))
            ken_buf_put8(b, ',');
        put_str(b, t.s, t.n);
        pos += alen;
    }
    PUT_LIT(b, "],\"match\":{");
    bool first = true;
#define KEY(k) (put_raw(b, first ? "\"" k "\":" : ",\"" k "\":", sizeof(k) + (first ? 2 : 3)), first = false)
    struct oxm_value v;
    if (!(wc & FW_IN_PORT)) {
        const char *name = ofctl_v10_name(false, wire_get16(m + M10(IN_PORT)));
        KEY("in_port");
        if (name)
            put_cstr(b, name);
        else
            put_u64(b, wire_get16(m + M10(IN_PORT)));
    }
    if (!(wc & FW_DL_SRC)) {
        oxm_value(OXF_MAC, m + M10(DL_SRC), 6, &v);
        KEY("dl_src");
        put_cstr(b, v.s);
    }
    if (!(wc & FW_DL_DST)) {
        oxm_value(OXF_MAC, m + M10(DL_DST), 6, &v);
        KEY("dl_dst");
        put_cstr(b, v.s);
    }
    if (!(wc & FW_DL_VLAN))
        KEY("dl_vlan"), put_u64(b, wire_get16(m + M10(DL_VLAN)));
    if (!(wc & FW_DL_VLAN_PCP))
        KEY("dl_vlan_pcp"), put_u64(b, m[M10(DL_VLAN_PCP)]);
    if (!(wc & FW_DL_TYPE))
        KEY("dl_type"), put_u64(b, wire_get16(m + M10(DL_TYPE)));
    if (!(wc & FW_NW_TOS))
        KEY("nw_tos"), put_u64(b, m[M10(NW_TOS)]);
    if (!(wc & FW_NW_PROTO))
        KEY("nw_proto"), put_u64(b, m[M10(NW_PROTO)]);
    for (int dst = 0; dst < 2; dst++) {
        unsigned shift = dst ? 14 : 8, wbits = (wc >> shift) & 0x3f;
        if (wbits & 32)
            continue;
        struct text t = {.n = 0};
        if (!oxm_value(OXF_IPV4, m + (dst ? M10(NW_DST) : M10(NW_SRC)), 4, &v))
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
        KEY("tp_src"), put_u64(b, wire_get16(m + M10(TP_SRC)));
    if (!(wc & FW_TP_DST))
        KEY("tp_dst"), put_u64(b, wire_get16(m + M10(TP_DST)));
#undef KEY
    PUT_LIT(b, "},\"byte_count\":");
    put_u64(b, wire_get64(p + FS10(BYTE_COUNT)));
    PUT_LIT(b, ",\"duration_sec\":");
    put_u64(b, wire_get32(p + FS10(DURATION_SEC)));
    PUT_LIT(b, ",\"duration_nsec\":");
    put_u64(b, wire_get32(p + FS10(DURATION_NSEC)));
    PUT_LIT(b, ",\"packet_count\":");
    put_u64(b, wire_get64(p + FS10(PACKET_COUNT)));
    PUT_LIT(b, ",\"table_id\":");
    put_u64(b, p[FS10(TABLE_ID)]);
    ken_buf_put8(b, '}');
    return true;
}

/* The OXM match at p + at of an entry (its len bytes): an OXM match of at
 * least its head, padded within the entry; *mlen its length, *mpad padded. */
static bool match_head(const uint8_t *p, size_t at, size_t len, size_t *mlen, size_t *mpad)
{
    *mlen = wire_get16(p + at + MATCH_AT(LENGTH));
    *mpad = (*mlen + 7) / 8 * 8;
    return wire_get16(p + at + MATCH_AT(TYPE)) == OFPD_OFP_MATCH_HEAD_TYPE && *mlen >= OFPS_OFP_MATCH_HEAD &&
           at + *mpad <= len;
}

/* stats_to_str of v14_common.c for 1.5's OFPStats at p (n bytes, its
 * length): each OXS field by name, the first one of a name kept, the
 * duration and idle time as {"<name>_sec", "<name>_nsec"}. */
static bool stats15(uint8_t version, struct oxm_cache *c, const uint8_t *p, size_t n, struct ken_buf *b)
{
    const char *keys[16];
    size_t n_keys = 0;
    ken_buf_put8(b, '{');
    for (size_t pos = OFPS_OFP_MATCH_HEAD; pos < n;) { /* the same type-length head as a match */
        if (n - pos < OXM_HEADER_LEN)
            return false;
        uint32_t h = wire_get32(p + pos);
        uint8_t field = h >> 9 & 0x7f, length = (uint8_t)h;
        if (h >> 16 != OXM_CLASS_OXS || (h >> 8 & 1) || OXM_HEADER_LEN + length > n - pos)
            return false;
        if (!c->stat_known[field]) {
            c->stat[field] = oxm_def_by_wire(OXM_FAM_STAT, version, OXM_CLASS_OXS, field, 0, 0);
            c->stat_known[field] = true;
        }
        const struct oxm_def *d = c->stat[field];
        const uint8_t *vp = p + pos + OXM_HEADER_LEN;
        if (!d || length != d->size || !(d->fmt == OXF_PAIR ? d->size == 8 : d->fmt == OXF_INT && d->size <= 8))
            return false;
        pos += OXM_HEADER_LEN + length;
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
    size_t mlen, mpad; /* the match, then at least the stats' 8 bytes */
    if (len < FS15(MATCH) + 2 * OFPS_OFP_MATCH_HEAD + 8 || !match_head(p, FS15(MATCH), len - 8, &mlen, &mpad))
        return false;
    const uint8_t *st = p + FS15(MATCH) + mpad;
    size_t slen = wire_get16(st + 2), spad = (slen + 7) / 8 * 8;
    if (wire_get16(st) != 0 || slen < 4 || 8 + mpad + spad != len)
        return false;
    PUT_LIT(b, "{\"length\":");
    put_u64(b, len);
    PUT_LIT(b, ",\"table_id\":");
    put_u64(b, p[FS15(TABLE_ID)]);
    PUT_LIT(b, ",\"reason\":");
    put_u64(b, p[FS15(REASON)]);
    PUT_LIT(b, ",\"priority\":");
    put_u64(b, wire_get16(p + FS15(PRIORITY)));
    PUT_LIT(b, ",\"match\":");
    if (!match_text(version, c, p + FS15(MATCH), mlen, b))
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
    size_t mlen, mpad;
    if (len < FS(MATCH) + OFPS_OFP_MATCH_HEAD + 4 || !match_head(p, FS(MATCH), len, &mlen, &mpad))
        return false;
    PUT_LIT(b, "{\"length\":");
    put_u64(b, len);
    PUT_LIT(b, ",\"table_id\":");
    put_u64(b, p[FS(TABLE_ID)]);
    PUT_LIT(b, ",\"duration_sec\":");
    put_u64(b, wire_get32(p + FS(DURATION_SEC)));
    PUT_LIT(b, ",\"duration_nsec\":");
    put_u64(b, wire_get32(p + FS(DURATION_NSEC)));
    PUT_LIT(b, ",\"priority\":");
    put_u64(b, wire_get16(p + FS(PRIORITY)));
    PUT_LIT(b, ",\"idle_timeout\":");
    put_u64(b, wire_get16(p + FS(IDLE_TIMEOUT)));
    PUT_LIT(b, ",\"hard_timeout\":");
    put_u64(b, wire_get16(p + FS(HARD_TIMEOUT)));
    PUT_LIT(b, ",\"flags\":");
    put_u64(b, wire_get16(p + FS(FLAGS)));
    PUT_LIT(b, ",\"importance\":");
    put_u64(b, wire_get16(p + FS(IMPORTANCE)));
    PUT_LIT(b, ",\"cookie\":");
    put_u64(b, wire_get64(p + FS(COOKIE)));
    PUT_LIT(b, ",\"packet_count\":");
    put_u64(b, wire_get64(p + FS(PACKET_COUNT)));
    PUT_LIT(b, ",\"byte_count\":");
    put_u64(b, wire_get64(p + FS(BYTE_COUNT)));
    PUT_LIT(b, ",\"match\":");
    if (!match_text(version, c, p + FS(MATCH), mlen, b))
        return false;
    PUT_LIT(b, ",\"instructions\":");
    if (!instructions14(version, c, p + FS(MATCH) + mpad, len - FS(MATCH) - mpad, b))
        return false;
    ken_buf_put8(b, '}');
    return true;
}


/* flow_stat of one 1.2/1.3 entry at p (len bytes, its length field). */
static bool flow_entry(uint8_t version, struct oxm_cache *c, const uint8_t *p, size_t len, struct ken_buf *b)
{
    size_t mlen, mpad;
    if (len < FS(MATCH) + OFPS_OFP_MATCH_HEAD + 4 || !match_head(p, FS(MATCH), len, &mlen, &mpad))
        return false;
    PUT_LIT(b, "{\"priority\":");
    put_u64(b, wire_get16(p + FS(PRIORITY)));
    PUT_LIT(b, ",\"cookie\":");
    put_u64(b, wire_get64(p + FS(COOKIE)));
    PUT_LIT(b, ",\"idle_timeout\":");
    put_u64(b, wire_get16(p + FS(IDLE_TIMEOUT)));
    PUT_LIT(b, ",\"hard_timeout\":");
    put_u64(b, wire_get16(p + FS(HARD_TIMEOUT)));
    PUT_LIT(b, ",\"byte_count\":");
    put_u64(b, wire_get64(p + FS(BYTE_COUNT)));
    PUT_LIT(b, ",\"duration_sec\":");
    put_u64(b, wire_get32(p + FS(DURATION_SEC)));
    PUT_LIT(b, ",\"duration_nsec\":");
    put_u64(b, wire_get32(p + FS(DURATION_NSEC)));
    PUT_LIT(b, ",\"packet_count\":");
    put_u64(b, wire_get64(p + FS(PACKET_COUNT)));
    PUT_LIT(b, ",\"length\":");
    put_u64(b, len);
    if (version >= KEN_OFP13) {
        PUT_LIT(b, ",\"flags\":");
        put_u64(b, wire_get16(p + FS(FLAGS)));
    }
    PUT_LIT(b, ",\"actions\":");
    if (!instructions_text(version, c, p + FS(MATCH) + mpad, len - FS(MATCH) - mpad, b))
        return false;
    PUT_LIT(b, ",\"match\":");
    if (!match_text(version, c, p + FS(MATCH), mlen, b))
        return false;
    PUT_LIT(b, ",\"table_id\":");
    put_user(b, version, OFCTL_NAMES_TABLE, p[FS(TABLE_ID)]);
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
        if (lens[i] < OFPS_REPLY_FLOW_13 || m[OFPO_OFP_HEADER_VERSION] != version ||
            m[OFPO_OFP_HEADER_TYPE] != (v10 ? OFPT10_STATS_REPLY : OFPT_MULTIPART_REPLY) ||
            wire_get16(m + OFPO_REPLY_FLOW_13_TYPE) != (v10                      ? OFPST10_FLOW
                                                        : version == KEN_OFP15 ? OFPMP_FLOW_STATS
                                                                               : OFPMP_FLOW) ||
            ken_ofp_validate(m, lens[i], why) != 0)
            return false;
        size_t end = wire_get16(m + OFPO_OFP_HEADER_LENGTH);
        if (end > lens[i])
            return false;
        size_t min = v10                    ? OFPS_OF10_FLOW_STATS
                     : version == KEN_OFP15 ? FS15(MATCH) + 2 * OFPS_OFP_MATCH_HEAD + 8
                                            : FS(MATCH) + OFPS_OFP_MATCH_HEAD + 4;
        size_t prio_at = v10 ? FS10(PRIORITY) : version == KEN_OFP15 ? FS15(PRIORITY) : FS(PRIORITY);
        for (size_t pos = v10 ? OFPO_REPLY_FLOW_10_BODY : OFPO_REPLY_FLOW_13_BODY; pos < end;) {
            if (end - pos < min)
                return false;
            size_t len = wire_get16(m + pos + FS(LENGTH));
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
