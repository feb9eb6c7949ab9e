/* What the ofctl modules of OpenFlow 1.2 to 1.5 share (util.h). */
#include "util.h"

#include <arpa/inet.h>
#include <json-c/json.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <openssl/evp.h>

#define WHY(...) (snprintf(why, KEN_WHY_LEN, __VA_ARGS__), OFCTL_BAD_REQUEST)

/* ---- failures Ryu meets only when packing (util.h) ---------------------- */

static _Thread_local struct {
    int depth;      /* ofctl_defer_begin calls still open */
    bool paused;    /* inside to_match: OS-Ken converts a match at once */
    bool hit;
    char why[KEN_WHY_LEN];
} deferred;

void ofctl_defer_begin(void)
{
    if (deferred.depth++ == 0) deferred.hit = false, deferred.paused = false;
}

enum ofctl_status ofctl_defer_end(enum ofctl_status st, char why[KEN_WHY_LEN])
{
    bool hit = deferred.hit;
    if (deferred.depth > 0 && --deferred.depth > 0) return st;
    deferred.hit = false;
    if (st) return st;
    if (hit) {
        snprintf(why, KEN_WHY_LEN, "%s", deferred.why);
        return OFCTL_BAD_REQUEST;
    }
    return OFCTL_OK;
}

enum ofctl_status ofctl_defer_end_msg(enum ofctl_status st, struct json_object **msg, char why[KEN_WHY_LEN])
{
    st = ofctl_defer_end(st, why);
    if (st && *msg) {
        json_object_put(*msg);
        *msg = NULL;
    }
    return st;
}

/* A failure found only at packing time: noted (true) while deferring. */
static bool defer(const char *why)
{
    if (deferred.depth == 0 || deferred.paused) return false;
    if (!deferred.hit) snprintf(deferred.why, sizeof deferred.why, "%s", why);
    deferred.hit = true;
    return true;
}

/* WHY for a failure Ryu meets when packing: noted and 0 while deferring. */
#define LATE(out, ...) \
    (snprintf(why, KEN_WHY_LEN, __VA_ARGS__), defer(why) ? (*(out) = 0, OFCTL_OK) : OFCTL_BAD_REQUEST)

/* ---- Python's int(str(x), 0) ------------------------------------------ */

/* The ASCII characters int() strips around a number. */
static bool py_space(unsigned char c)
{
    return c == ' ' || (c >= '\t' && c <= '\r');
}

/* Python's int() first turns every non-ASCII white space into ' ' and
 * every non-ASCII decimal digit (Unicode Nd) into its ASCII digit; the
 * first code point of each Nd run of ten (Python 3.11's tables). */
static const uint32_t nd_zeros[] = {
    0x660,   0x6f0,   0x7c0,   0x966,   0x9e6,   0xa66,   0xae6,   0xb66,   0xbe6,   0xc66,   0xce6,
    0xd66,   0xde6,   0xe50,   0xed0,   0xf20,   0x1040,  0x1090,  0x17e0,  0x1810,  0x1946,  0x19d0,
    0x1a80,  0x1a90,  0x1b50,  0x1bb0,  0x1c40,  0x1c50,  0xa620,  0xa8d0,  0xa900,  0xa9d0,  0xa9f0,
    0xaa50,  0xabf0,  0xff10,  0x104a0, 0x10d30, 0x11066, 0x110f0, 0x11136, 0x111d0, 0x112f0, 0x11450,
    0x114d0, 0x11650, 0x116c0, 0x11730, 0x118e0, 0x11950, 0x11c50, 0x11d50, 0x11da0, 0x16a60, 0x16ac0,
    0x16b50, 0x1d7ce, 0x1d7d8, 0x1d7e2, 0x1d7ec, 0x1d7f6, 0x1e140, 0x1e2f0, 0x1e950, 0x1fbf0,
};
static const uint32_t wide_spaces[] = {0x85,   0xa0,   0x1680, 0x2000, 0x2001, 0x2002, 0x2003, 0x2004,
                                       0x2005, 0x2006, 0x2007, 0x2008, 0x2009, 0x200a, 0x2028, 0x2029,
                                       0x202f, 0x205f, 0x3000};

/* The ASCII form of s as int() sees it; false for any other non-ASCII
 * character (or bytes that are not UTF-8). out has room for len + 1. */
static bool py_ascii_digits(const char *s, size_t len, char *out)
{
    size_t o = 0;
    for (size_t i = 0; i < len;) {
        const unsigned char *p = (const unsigned char *)s + i;
        uint32_t cp;
        size_t n;
        char c = 0;
        if (p[0] < 0x80) {
            out[o++] = (char)p[0];
            i++;
            continue;
        }
        if ((p[0] & 0xe0) == 0xc0) n = 2, cp = p[0] & 0x1f;
        else if ((p[0] & 0xf0) == 0xe0) n = 3, cp = p[0] & 0x0f;
        else if ((p[0] & 0xf8) == 0xf0) n = 4, cp = p[0] & 0x07;
        else return false;
        if (len - i < n) return false;
        for (size_t k = 1; k < n; k++) {
            if ((p[k] & 0xc0) != 0x80) return false;
            cp = cp << 6 | (p[k] & 0x3f);
        }
        for (size_t k = 0; k < sizeof wide_spaces / sizeof wide_spaces[0] && !c; k++)
            if (cp == wide_spaces[k]) c = ' ';
        for (size_t k = 0; k < sizeof nd_zeros / sizeof nd_zeros[0] && !c; k++)
            if (cp >= nd_zeros[k] && cp < nd_zeros[k] + 10) c = (char)('0' + (cp - nd_zeros[k]));
        if (!c) return false;
        out[o++] = c;
        i += n;
    }
    out[o] = 0;
    return true;
}

static int digit_value(unsigned char c)
{
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'z') return c - 'a' + 10;
    if (c >= 'A' && c <= 'Z') return c - 'A' + 10;
    return 99;
}

static bool parse_ascii_int(const char *s, size_t len, bool base0, struct ofctl_int *out);

bool ofctl_parse_py_int(const char *s, size_t len, bool base0, struct ofctl_int *out)
{
    for (size_t i = 0; i < len; i++)
        if ((unsigned char)s[i] >= 0x80) {
            char *a = malloc(len + 1);
            bool ok;
            if (!a) return false;
            ok = py_ascii_digits(s, len, a) && parse_ascii_int(a, strlen(a), base0, out);
            free(a);
            return ok;
        }
    return parse_ascii_int(s, len, base0, out);
}

bool ofctl_parse_int_text(const char *s, size_t len, struct ofctl_int *out)
{
    return ofctl_parse_py_int(s, len, true, out);
}

static bool parse_ascii_int(const char *s, size_t len, bool base0, struct ofctl_int *out)
{
    size_t i = 0, end = len;
    struct ofctl_int r = {0, false, false};
    unsigned base = 10;
    bool any = false, prev_us = false, all_zero = true;

    while (i < end && py_space((unsigned char)s[i])) i++;
    while (end > i && py_space((unsigned char)s[end - 1])) end--;
    if (i < end && (s[i] == '+' || s[i] == '-')) r.neg = s[i++] == '-';
    size_t ndigits = 0;
    if (base0 && end - i >= 2 && s[i] == '0') {
        char p = s[i + 1];
        if (p == 'x' || p == 'X') base = 16;
        else if (p == 'o' || p == 'O') base = 8;
        else if (p == 'b' || p == 'B') base = 2;
        if (base != 10) {
            i += 2;
            prev_us = true; /* an underscore may follow the prefix */
            if (i < end && s[i] == '_') i++, prev_us = false;
            else prev_us = false;
        }
    }
    for (; i < end; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c == '_') {
            if (!any || prev_us) return false;
            prev_us = true;
            continue;
        }
        int d = digit_value(c);
        if (d >= (int)base) return false;
        if (d != 0) {
            if (base0 && base == 10 && any && all_zero) return false; /* int("01", 0): a leading zero */
            all_zero = false;
        }
        any = true;
        prev_us = false;
        ndigits++;
        /* mag keeps the low 64 bits (what an OXM field of up to 64 bits packs) */
        if (r.mag > (UINT64_MAX - (uint64_t)d) / base) r.big = true;
        r.mag = r.mag * base + (uint64_t)d;
    }
    if (!any || prev_us) return false;
    if (base == 10 && ndigits > 4300) return false; /* Python's limit on decimal text */
    if (all_zero) r.neg = false;
    *out = r;
    return true;
}

bool ofctl_parse_int(struct json_object *v, struct ofctl_int *out)
{
    if (json_object_is_type(v, json_type_int)) {
        int64_t i = json_object_get_int64(v);
        out->big = false;
        if (i < 0) {
            out->neg = true;
            out->mag = (uint64_t)0 - (uint64_t)i;
        } else {
            out->neg = false;
            out->mag = json_object_get_uint64(v);
        }
        return true;
    }
    if (json_object_is_type(v, json_type_string))
        return ofctl_parse_int_text(json_object_get_string(v), (size_t)json_object_get_string_len(v), out);
    return false;
}

enum ofctl_status ofctl_to_uint(struct json_object *v, uint64_t max, const char *what, uint64_t *out,
                                char why[KEN_WHY_LEN])
{
    struct ofctl_int n;
    if (!ofctl_parse_int(v, &n)) {
        char s[48];
        if (!ofctl_pystr(v, s, sizeof s)) snprintf(s, sizeof s, "(too long)");
        return WHY("invalid literal for int() with base 0: '%s' (%s)", s, what);
    }
    if (n.big || (n.neg && n.mag) || n.mag > max)
        return LATE(out, "%s out of range: must be within 0..%llu", what, (unsigned long long)max);
    *out = n.mag;
    return OFCTL_OK;
}

struct json_object *ofctl_get(struct json_object *obj, const char *key, bool *found)
{
    struct json_object *v = NULL;
    *found = json_object_is_type(obj, json_type_object) && json_object_object_get_ex(obj, key, &v);
    return *found ? v : NULL;
}

enum ofctl_status ofctl_get_uint(struct json_object *obj, const char *key, uint64_t dflt, uint64_t max,
                                 uint64_t *out, char why[KEN_WHY_LEN])
{
    bool found;
    struct json_object *v = ofctl_get(obj, key, &found);
    if (!found) {
        *out = dflt;
        return OFCTL_OK;
    }
    return ofctl_to_uint(v, max, key, out, why);
}

struct json_object *ofctl_int_json(const struct ofctl_int *v)
{
    if (v->big || (v->neg && v->mag > (uint64_t)INT64_MAX + 1)) return NULL;
    if (v->neg) return json_object_new_int64(v->mag == (uint64_t)INT64_MAX + 1 ? INT64_MIN : -(int64_t)v->mag);
    return v->mag > INT64_MAX ? json_object_new_uint64(v->mag) : json_object_new_int64((int64_t)v->mag);
}

/* ---- reserved names ---------------------------------------------------- */

struct named {
    const char *name;
    uint64_t value;
    bool alias_only; /* found by name, never given back (OFCtlUtil's deprecated list) */
};

struct name_set {
    const char *prefix;
    /* one table per version 1.2, 1.3, 1.4, 1.5 (index version - KEN_OFP12) */
    const struct named *v[4];
};

#define END {NULL, 0, false}

static const struct named port_12[] = {
    {"MAX", 0xffffff00, 0}, {"IN_PORT", 0xfffffff8, 0}, {"TABLE", 0xfffffff9, 0}, {"NORMAL", 0xfffffffa, 0},
    {"FLOOD", 0xfffffffb, 0}, {"ALL", 0xfffffffc, 0}, {"CONTROLLER", 0xfffffffd, 0}, {"LOCAL", 0xfffffffe, 0},
    {"ANY", 0xffffffff, 0}, END};
static const struct named port_15[] = {
    {"MAX", 0xffffff00, 0}, {"UNSET", 0xfffffff7, 0}, {"IN_PORT", 0xfffffff8, 0}, {"TABLE", 0xfffffff9, 0},
    {"NORMAL", 0xfffffffa, 0}, {"FLOOD", 0xfffffffb, 0}, {"ALL", 0xfffffffc, 0}, {"CONTROLLER", 0xfffffffd, 0},
    {"LOCAL", 0xfffffffe, 0}, {"ANY", 0xffffffff, 0}, END};
static const struct named table_12[] = {{"MAX", 0xfe, 0}, {"ALL", 0xff, 0}, END};
static const struct named group_12[] = {{"MAX", 0xffffff00, 0}, {"ALL", 0xfffffffc, 0}, {"ANY", 0xffffffff, 0}, END};
static const struct named group_15[] = {
    {"MAX", 0xffffff00, 0}, {"ALL", 0xfffffffc, 0}, {"ANY", 0xffffffff, 0}, {"BUCKET_MAX", 0xffffff00, 0},
    {"BUCKET_FIRST", 0xfffffffd, 0}, {"BUCKET_LAST", 0xfffffffe, 0}, {"BUCKET_ALL", 0xffffffff, 0}, END};
static const struct named none[] = {END};
static const struct named meter_13[] = {
    {"MAX", 0xffff0000, 0}, {"SLOWPATH", 0xfffffffd, 0}, {"CONTROLLER", 0xfffffffe, 0}, {"ALL", 0xffffffff, 0}, END};
static const struct named queue_12[] = {{"ALL", 0xffffffff, 0}, END};
static const struct named queue_14[] = {
    {"ALL", 0xffffffff, 0}, {"MIN_RATE_UNCFG", 0xffff, 0}, {"MAX_RATE_UNCFG", 0xffff, 0}, END};
static const struct named cml_12[] = {{"MAX", 0xffe5, 0}, {"NO_BUFFER", 0xffff, 0}, END};
static const struct named role_12[] = {
    {"NOCHANGE", 0, 0}, {"EQUAL", 1, 0}, {"MASTER", 2, 0}, {"SLAVE", 3, 0}, END};
#define ACTS_12 \
    {"OUTPUT", 0, 0}, {"COPY_TTL_OUT", 11, 0}, {"COPY_TTL_IN", 12, 0}, {"SET_MPLS_TTL", 15, 0}, \
    {"DEC_MPLS_TTL", 16, 0}, {"PUSH_VLAN", 17, 0}, {"POP_VLAN", 18, 0}, {"PUSH_MPLS", 19, 0}, \
    {"POP_MPLS", 20, 0}, {"SET_QUEUE", 21, 0}, {"GROUP", 22, 0}, {"SET_NW_TTL", 23, 0}, \
    {"DEC_NW_TTL", 24, 0}, {"SET_FIELD", 25, 0}
static const struct named act_12[] = {ACTS_12, {"EXPERIMENTER", 0xffff, 0}, END};
static const struct named act_13[] = {ACTS_12, {"PUSH_PBB", 26, 0}, {"POP_PBB", 27, 0}, {"EXPERIMENTER", 0xffff, 0}, END};
static const struct named act_15[] = {ACTS_12, {"PUSH_PBB", 26, 0}, {"POP_PBB", 27, 0}, {"COPY_FIELD", 28, 0},
                                      {"METER", 29, 0}, {"EXPERIMENTER", 0xffff, 0}, END};
#define INSTS_12 \
    {"GOTO_TABLE", 1, 0}, {"WRITE_METADATA", 2, 0}, {"WRITE_ACTIONS", 3, 0}, {"APPLY_ACTIONS", 4, 0}, \
    {"CLEAR_ACTIONS", 5, 0}
static const struct named inst_12[] = {INSTS_12, {"EXPERIMENTER", 0xffff, 0}, END};
static const struct named inst_13[] = {INSTS_12, {"METER", 6, 0}, {"EXPERIMENTER", 0xffff, 0}, END};
static const struct named inst_15[] = {INSTS_12, {"DEPRECATED", 6, 0}, {"STAT_TRIGGER", 7, 0},
                                       {"EXPERIMENTER", 0xffff, 0}, END};
static const struct named gtype_12[] = {{"ALL", 0, 0}, {"SELECT", 1, 0}, {"INDIRECT", 2, 0}, {"FF", 3, 0}, END};
static const struct named band_13[] = {{"DROP", 1, 0}, {"DSCP_REMARK", 2, 0}, {"EXPERIMENTER", 0xffff, 0}, END};
#define TFPT_13 \
    {"INSTRUCTIONS", 0, 0}, {"INSTRUCTIONS_MISS", 1, 0}, {"NEXT_TABLES", 2, 0}, {"NEXT_TABLES_MISS", 3, 0}, \
    {"WRITE_ACTIONS", 4, 0}, {"WRITE_ACTIONS_MISS", 5, 0}, {"APPLY_ACTIONS", 6, 0}, \
    {"APPLY_ACTIONS_MISS", 7, 0}, {"MATCH", 8, 0}, {"WILDCARDS", 10, 0}, {"WRITE_SETFIELD", 12, 0}, \
    {"WRITE_SETFIELD_MISS", 13, 0}, {"APPLY_SETFIELD", 14, 0}, {"APPLY_SETFIELD_MISS", 15, 0}
static const struct named tfpt_13[] = {TFPT_13, {"EXPERIMENTER", 0xfffe, 0}, {"EXPERIMENTER_MISS", 0xffff, 0}, END};
static const struct named tfpt_14[] = {TFPT_13,
                                       {"TABLE_SYNC_FROM", 0x10, 0},
                                       {"EXPERIMENTER", 0xfffe, 0},
                                       {"EXPERIMENTER_MISS", 0xffff, 0},
                                       {"EXPERIMENTER_SLAVE", 0xfffe, 1},
                                       {"EXPERIMENTER_MASTER", 0xffff, 1},
                                       END};
static const struct named tfpt_15[] = {TFPT_13,
                                       {"TABLE_SYNC_FROM", 0x10, 0},
                                       {"WRITE_COPYFIELD", 0x12, 0},
                                       {"WRITE_COPYFIELD_MISS", 0x13, 0},
                                       {"APPLY_COPYFIELD", 0x14, 0},
                                       {"APPLY_COPYFIELD_MISS", 0x15, 0},
                                       {"PACKET_TYPES", 0x16, 0},
                                       {"EXPERIMENTER", 0xfffe, 0},
                                       {"EXPERIMENTER_MISS", 0xffff, 0},
                                       END};
static const struct named mflags_13[] = {{"KBPS", 1, 0}, {"PKTPS", 2, 0}, {"BURST", 4, 0}, {"STATS", 8, 0}, END};
static const struct named pf_12[] = {
    {"10MB_HD", 0x1, 0}, {"10MB_FD", 0x2, 0}, {"100MB_HD", 0x4, 0}, {"100MB_FD", 0x8, 0},
    {"1GB_HD", 0x10, 0}, {"1GB_FD", 0x20, 0}, {"10GB_FD", 0x40, 0}, {"40GB_FD", 0x80, 0},
    {"100GB_FD", 0x100, 0}, {"1TB_FD", 0x200, 0}, {"OTHER", 0x400, 0}, {"COPPER", 0x800, 0},
    {"FIBER", 0x1000, 0}, {"AUTONEG", 0x2000, 0}, {"PAUSE", 0x4000, 0}, {"PAUSE_ASYM", 0x8000, 0}, END};
static const struct named eth_opt_14[] = {{"ETHERNET", 0, 0}, {"OPTICAL", 1, 0}, {"EXPERIMENTER", 0xffff, 0}, END};
static const struct named pdpt_15[] = {{"ETHERNET", 0, 0}, {"OPTICAL", 1, 0}, {"PIPELINE_INPUT", 2, 0},
                                       {"PIPELINE_OUTPUT", 3, 0}, {"RECIRCULATE", 4, 0},
                                       {"EXPERIMENTER", 0xffff, 0}, END};
static const struct named qdpt_14[] = {{"MIN_RATE", 1, 0}, {"MAX_RATE", 2, 0}, {"EXPERIMENTER", 0xffff, 0}, END};
static const struct named qspt_14[] = {{"EXPERIMENTER", 0xffff, 0}, END};
static const struct named gfc_12[] = {
    {"SELECT_WEIGHT", 1, 0}, {"SELECT_LIVENESS", 2, 0}, {"CHAINING", 4, 0}, {"CHAINING_CHECKS", 8, 0}, END};
static const struct named gbpt_15[] = {
    {"WEIGHT", 0, 0}, {"WATCH_PORT", 1, 0}, {"WATCH_GROUP", 2, 0}, {"EXPERIMENTER", 0xffff, 0}, END};

/* Facts from each version's ofproto module, in its definition order (the
 * first name of a value is the one OFCtlUtil gives back). */
static const struct name_set name_sets[OFCTL_NAMES_N] = {
    [OFCTL_NAMES_PORT] = {"OFPP_", {port_12, port_12, port_12, port_15}},
    [OFCTL_NAMES_TABLE] = {"OFPTT_", {table_12, table_12, table_12, table_12}},
    [OFCTL_NAMES_GROUP] = {"OFPG_", {group_12, group_12, group_12, group_15}},
    [OFCTL_NAMES_METER] = {"OFPM_", {none, meter_13, meter_13, meter_13}},
    [OFCTL_NAMES_QUEUE] = {"OFPQ_", {queue_12, queue_12, queue_14, queue_14}},
    [OFCTL_NAMES_CML] = {"OFPCML_", {cml_12, cml_12, cml_12, cml_12}},
    [OFCTL_NAMES_ROLE] = {"OFPCR_ROLE_", {role_12, role_12, role_12, role_12}},
    [OFCTL_NAMES_ACTION_TYPE] = {"OFPAT_", {act_12, act_13, act_13, act_15}},
    [OFCTL_NAMES_INSTRUCTION_TYPE] = {"OFPIT_", {inst_12, inst_13, inst_13, inst_15}},
    [OFCTL_NAMES_GROUP_TYPE] = {"OFPGT_", {gtype_12, gtype_12, gtype_12, gtype_12}},
    [OFCTL_NAMES_METER_BAND_TYPE] = {"OFPMBT_", {none, band_13, band_13, band_13}},
    [OFCTL_NAMES_TABLE_FEATURE_PROP_TYPE] = {"OFPTFPT_", {none, tfpt_13, tfpt_14, tfpt_15}},
    [OFCTL_NAMES_METER_FLAGS] = {"OFPMF_", {none, mflags_13, mflags_13, mflags_13}},
    [OFCTL_NAMES_PORT_FEATURES] = {"OFPPF_", {pf_12, pf_12, pf_12, pf_12}},
    [OFCTL_NAMES_PORT_MOD_PROP_TYPE] = {"OFPPMPT_", {none, none, eth_opt_14, eth_opt_14}},
    [OFCTL_NAMES_PORT_DESC_PROP_TYPE] = {"OFPPDPT_", {none, none, eth_opt_14, pdpt_15}},
    [OFCTL_NAMES_PORT_STATS_PROP_TYPE] = {"OFPPSPT_", {none, none, eth_opt_14, eth_opt_14}},
    [OFCTL_NAMES_QUEUE_DESC_PROP_TYPE] = {"OFPQDPT_", {none, none, qdpt_14, qdpt_14}},
    [OFCTL_NAMES_QUEUE_STATS_PROP_TYPE] = {"OFPQSPT_", {none, none, qspt_14, qspt_14}},
    [OFCTL_NAMES_GROUP_CAPABILITIES] = {"OFPGFC_", {gfc_12, gfc_12, gfc_12, gfc_12}},
    [OFCTL_NAMES_BUCKET_PROP_TYPE] = {"OFPGBPT_", {none, none, none, gbpt_15}},
};

static const struct named *names_for(uint8_t version, enum ofctl_names set)
{
    if ((unsigned)set >= OFCTL_NAMES_N || version < KEN_OFP12 || version > KEN_OFP15) return none;
    return name_sets[set].v[version - KEN_OFP12];
}

const char *ofctl_name_of(uint8_t version, enum ofctl_names set, uint64_t value)
{
    for (const struct named *n = names_for(version, set); n->name; n++)
        if (!n->alias_only && n->value == value) return n->name;
    return NULL;
}

struct json_object *ofctl_to_user_u(uint8_t version, enum ofctl_names set, uint64_t value)
{
    const char *name = ofctl_name_of(version, set, value);
    if (name) return json_object_new_string(name);
    return value > INT64_MAX ? json_object_new_uint64(value) : json_object_new_int64((int64_t)value);
}

struct json_object *ofctl_to_user(uint8_t version, enum ofctl_names set, struct json_object *v)
{
    struct json_object *copy = NULL;
    if (json_object_is_type(v, json_type_int) && json_object_get_int64(v) >= 0)
        return ofctl_to_user_u(version, set, json_object_get_uint64(v));
    if (json_object_deep_copy(v, &copy, NULL) != 0) return NULL;
    return copy;
}

/* Python's str.upper() where it can give a name: ASCII letters, and the
 * non-ASCII letters whose capitals are ASCII (sharp s, dotless i, long s,
 * the Latin ligatures ff ... st). Anything else non-ASCII stays non-ASCII,
 * so no name can match: false. */
static bool py_upper(const char *s, size_t len, char *out, size_t cap)
{
    static const struct { const char *utf8, *caps; } wide[] = {
        {"\xc3\x9f", "SS"},      {"\xc4\xb1", "I"},       {"\xc5\xbf", "S"},
        {"\xef\xac\x80", "FF"},  {"\xef\xac\x81", "FI"},  {"\xef\xac\x82", "FL"},
        {"\xef\xac\x83", "FFI"}, {"\xef\xac\x84", "FFL"}, {"\xef\xac\x85", "ST"},
        {"\xef\xac\x86", "ST"},
    };
    size_t o = 0;
    for (size_t i = 0; i < len;) {
        unsigned char c = (unsigned char)s[i];
        const char *caps = NULL;
        size_t used = 1, n;
        char one[2] = {0, 0};
        if (c == 0) return false;
        if (c < 0x80) {
            one[0] = (char)(c >= 'a' && c <= 'z' ? c - 32 : c);
            caps = one;
        } else {
            for (size_t k = 0; k < sizeof wide / sizeof wide[0] && !caps; k++) {
                size_t l = strlen(wide[k].utf8);
                if (len - i >= l && memcmp(s + i, wide[k].utf8, l) == 0) caps = wide[k].caps, used = l;
            }
            if (!caps) return false;
        }
        n = strlen(caps);
        if (o + n >= cap) return false;
        memcpy(out + o, caps, n);
        o += n;
        i += used;
    }
    out[o] = 0;
    return true;
}

/* The value of a name given by a user, as getattr(ofproto, ...) finds it. */
static bool name_lookup(uint8_t version, enum ofctl_names set, const char *s, size_t len, uint64_t *out)
{
    const char *prefix = name_sets[set].prefix;
    size_t plen = strlen(prefix);
    char up[64];
    /* Python: a string that starts with the prefix is upper-cased whole;
     * any other gets the prefix put in front. */
    if (len >= plen && memcmp(s, prefix, plen) == 0) s += plen, len -= plen;
    if (len == 0 || !py_upper(s, len, up, sizeof up)) return false;
    for (const struct named *n = names_for(version, set); n->name; n++)
        if (strcmp(n->name, up) == 0) {
            *out = n->value;
            return true;
        }
    return false;
}

enum ofctl_status ofctl_from_user(uint8_t version, enum ofctl_names set, struct json_object *v, uint64_t max,
                                  const char *what, uint64_t *out, char why[KEN_WHY_LEN])
{
    struct ofctl_int n;
    uint64_t u;
    if (ofctl_parse_int(v, &n)) {
        if (n.big || (n.neg && n.mag) || n.mag > max)
            return LATE(out, "%s out of range: must be within 0..%llu", what, (unsigned long long)max);
        *out = n.mag;
        return OFCTL_OK;
    }
    /* A boolean is handed on as it is by Ryu, and packs as 0 or 1. */
    if (json_object_is_type(v, json_type_boolean)) {
        *out = json_object_get_boolean(v) ? 1 : 0;
        return OFCTL_OK;
    }
    if (json_object_is_type(v, json_type_string) &&
        name_lookup(version, set, json_object_get_string(v), (size_t)json_object_get_string_len(v), &u)) {
        if (u > max) return LATE(out, "%s out of range: must be within 0..%llu", what, (unsigned long long)max);
        *out = u;
        return OFCTL_OK;
    }
    {
        char s[48];
        if (!ofctl_pystr(v, s, sizeof s)) snprintf(s, sizeof s, "(too long)");
        return LATE(out, "%s: '%s' is neither a number nor a name %s...", what, s, name_sets[set].prefix);
    }
}

enum ofctl_status ofctl_get_from_user(uint8_t version, enum ofctl_names set, struct json_object *obj,
                                      const char *key, uint64_t dflt, uint64_t max, uint64_t *out,
                                      char why[KEN_WHY_LEN])
{
    bool found;
    struct json_object *v = ofctl_get(obj, key, &found);
    if (!found) {
        *out = dflt;
        return OFCTL_OK;
    }
    return ofctl_from_user(version, set, v, max, key, out, why);
}

enum ofctl_status ofctl_buffer_from_user(struct json_object *v, uint64_t *out, char why[KEN_WHY_LEN])
{
    if (json_object_is_type(v, json_type_string)) {
        const char *s = json_object_get_string(v);
        if (strcmp(s, "OFP_NO_BUFFER") == 0 || strcmp(s, "NO_BUFFER") == 0) {
            *out = 0xffffffff;
            return OFCTL_OK;
        }
        return LATE(out, "buffer_id: '%.40s' is neither an integer nor NO_BUFFER", s);
    }
    if (json_object_is_type(v, json_type_boolean)) {
        *out = json_object_get_boolean(v) ? 1 : 0;
        return OFCTL_OK;
    }
    if (json_object_is_type(v, json_type_int)) {
        struct ofctl_int n;
        ofctl_parse_int(v, &n);
        if (n.neg || n.mag > 0xffffffff) return LATE(out, "buffer_id out of range: must be within 0..4294967295");
        *out = n.mag;
        return OFCTL_OK;
    }
    return LATE(out, "buffer_id must be an integer or NO_BUFFER");
}

/* ---- messages ---------------------------------------------------------- */

struct json_object *ofctl_msg_body(struct json_object *msg, const char *cls)
{
    if (!json_object_is_type(msg, json_type_object) || json_object_object_length(msg) != 1) return NULL;
    json_object_object_foreach(msg, k, v)
    {
        if (cls && strcmp(k, cls) != 0) return NULL;
        return json_object_is_type(v, json_type_object) ? v : NULL;
    }
    return NULL;
}

struct json_object *ofctl_msg_new(const char *cls, struct json_object *inner)
{
    struct json_object *o = json_object_new_object();
    json_object_object_add(o, cls, inner);
    return o;
}

/* ---- text -------------------------------------------------------------- */

static const char b64chars[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

size_t ofctl_b64encode(const uint8_t *p, size_t n, char *out)
{
    return (size_t)EVP_EncodeBlock((unsigned char *)out, p, (int)n); /* standard, padded; NUL-terminated */
}

static int b64val(unsigned char c)
{
    const char *p = c ? strchr(b64chars, c) : NULL;
    return p ? (int)(p - b64chars) : -1;
}

bool ofctl_b64decode(const char *s, size_t len, uint8_t **out, size_t *n)
{
    /* binascii.a2b_base64 without strict mode: other characters are
     * skipped; enough '=' after two or three characters of a quad ends the
     * input; a quad left unfinished is an error. */
    uint8_t *buf = malloc(len / 4 * 3 + 3);
    size_t o = 0;
    int quad = 0, pads = 0;
    unsigned left = 0;
    if (!buf) return false;
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c == '=') {
            if (quad >= 2 && quad + ++pads >= 4) goto done;
            continue;
        }
        int d = b64val(c);
        if (d < 0) continue;
        pads = 0;
        switch (quad) {
        case 0: quad = 1, left = (unsigned)d; break;
        case 1: quad = 2, buf[o++] = (uint8_t)((left << 2) | ((unsigned)d >> 4)), left = (unsigned)d & 0x0f; break;
        case 2: quad = 3, buf[o++] = (uint8_t)((left << 4) | ((unsigned)d >> 2)), left = (unsigned)d & 0x03; break;
        default: quad = 0, buf[o++] = (uint8_t)((left << 6) | (unsigned)d), left = 0; break;
        }
    }
    if (quad != 0) {
        free(buf);
        return false;
    }
done:
    *out = buf;
    *n = o;
    return true;
}

/* Python's repr() of a str, as print of a tuple or list shows it. */
static bool py_repr_str(const char *s, char *buf, size_t size)
{
    bool dq = strchr(s, '\'') && !strchr(s, '"');
    char q = dq ? '"' : '\'';
    size_t o = 0;
#define PUT(c) do { if (o + 1 >= size) return false; buf[o++] = (c); } while (0)
    PUT(q);
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        if (*p == '\\' || *p == (unsigned char)q) {
            PUT('\\');
            PUT((char)*p);
        } else if (*p == '\n') {
            PUT('\\');
            PUT('n');
        } else if (*p == '\t') {
            PUT('\\');
            PUT('t');
        } else if (*p == '\r') {
            PUT('\\');
            PUT('r');
        } else if (*p < 0x20 || *p == 0x7f) {
            if (o + 5 >= size) return false;
            o += (size_t)snprintf(buf + o, size - o, "\\x%02x", *p);
        } else PUT((char)*p);
    }
    PUT(q);
#undef PUT
    buf[o] = 0;
    return true;
}

static bool pystr_inner(struct json_object *v, char *buf, size_t size, bool repr)
{
    int r;
    switch (json_object_get_type(v)) {
    case json_type_null: r = snprintf(buf, size, "None"); break;
    case json_type_boolean: r = snprintf(buf, size, "%s", json_object_get_boolean(v) ? "True" : "False"); break;
    case json_type_int:
        if (json_object_get_int64(v) < 0) r = snprintf(buf, size, "%lld", (long long)json_object_get_int64(v));
        else r = snprintf(buf, size, "%llu", (unsigned long long)json_object_get_uint64(v));
        break;
    case json_type_double: r = snprintf(buf, size, "%.17g", json_object_get_double(v)); break;
    case json_type_string:
        if (repr) return py_repr_str(json_object_get_string(v), buf, size);
        r = snprintf(buf, size, "%s", json_object_get_string(v));
        break;
    case json_type_array: {
        size_t o = 0, n = json_object_array_length(v);
        if (size < 2) return false;
        buf[o++] = '[';
        for (size_t i = 0; i < n; i++) {
            if (i) {
                if (o + 2 >= size) return false;
                buf[o++] = ',', buf[o++] = ' ';
            }
            if (!pystr_inner(json_object_array_get_idx(v, i), buf + o, size - o, true)) return false;
            o += strlen(buf + o);
        }
        if (o + 1 >= size) return false;
        buf[o++] = ']', buf[o] = 0;
        return true;
    }
    default: {
        const char *t = json_object_to_json_string_ext(v, JSON_C_TO_STRING_PLAIN);
        r = snprintf(buf, size, "%s", t);
        break;
    }
    }
    return r >= 0 && (size_t)r < size;
}

bool ofctl_pystr(struct json_object *v, char *buf, size_t size)
{
    if (!size) return false;
    return pystr_inner(v, buf, size, false);
}

/* ---- addresses --------------------------------------------------------- */

static bool hexrun(const char *s, size_t len, size_t minw, size_t maxw, uint64_t *v)
{
    if (len < minw || len > maxw) return false;
    *v = 0;
    for (size_t i = 0; i < len; i++) {
        int d = digit_value((unsigned char)s[i]);
        if (d > 15) return false;
        *v = *v << 4 | (uint64_t)d;
    }
    return true;
}

/* The MAC forms netaddr's EUI-48 parser takes: six groups of 1-2 hex
 * digits (':' or '-'), three of 1-4 (':', '-', '.'), two of 5-6 (':',
 * '-'), or 11-12 bare hex digits. */
static bool parse_mac(const char *s, size_t len, uint8_t mac[6])
{
    static const struct { size_t groups, minw, maxw; const char *seps; } forms[] = {
        {6, 1, 2, ":-"}, {3, 1, 4, ":-."}, {2, 5, 6, ":-"}, {1, 11, 12, ""},
    };
    if (memchr(s, 0, len)) return false;
    /* netaddr's patterns end in '$', which also matches before a final newline */
    if (len > 0 && s[len - 1] == '\n') len--;
    for (size_t f = 0; f < sizeof forms / sizeof forms[0]; f++) {
        const char *seps = forms[f].seps;
        for (size_t k = 0; k < (seps[0] ? strlen(seps) : 1); k++) {
            char sep = seps[0] ? seps[k] : 0;
            uint64_t total = 0, g;
            size_t groups = 0, start = 0, bits = 48 / forms[f].groups;
            bool ok = true;
            for (size_t i = 0; i <= len && ok; i++) {
                if (i == len || (sep && s[i] == sep)) {
                    if (groups == forms[f].groups || !hexrun(s + start, i - start, forms[f].minw, forms[f].maxw, &g))
                        ok = false;
                    else total = (total << bits) | g, groups++, start = i + 1;
                }
            }
            if (ok && groups == forms[f].groups) {
                for (int i = 0; i < 6; i++) mac[i] = (uint8_t)(total >> (40 - 8 * i));
                return true;
            }
        }
    }
    return false;
}

static bool parse_ipv4(const char *s, size_t len, uint8_t a[4])
{
    struct in_addr in;
    char tmp[64];
    if (len == 0 || len >= sizeof tmp || memchr(s, 0, len)) return false;
    memcpy(tmp, s, len);
    tmp[len] = 0;
    /* netaddr reads IPv4 text with inet_aton, so "10.1" is 10.0.0.1. */
    if (!inet_aton(tmp, &in)) return false;
    memcpy(a, &in.s_addr, 4);
    return true;
}

static bool parse_ipv6(const char *s, size_t len, uint8_t a[16])
{
    char tmp[96];
    if (len == 0 || len >= sizeof tmp || memchr(s, 0, len)) return false;
    memcpy(tmp, s, len);
    tmp[len] = 0;
    return inet_pton(AF_INET6, tmp, a) == 1;
}

/* ---- match fields ------------------------------------------------------ */

enum conv { C_PORT, C_INT, C_MASKED, C_ETH, C_IP4, C_IP6, C_VID, C_PTYPE };

struct field {
    const char *name;
    uint8_t oxm;       /* OFB field number: OS-Ken sorts the match by it */
    uint8_t bytes;     /* width on the wire */
    uint8_t conv;
    uint8_t since;     /* first version whose to_match knows it */
};

static const struct field fields[] = {
    {"in_port", 0, 4, C_PORT, KEN_OFP12},       {"in_phy_port", 1, 4, C_INT, KEN_OFP12},
    {"metadata", 2, 8, C_MASKED, KEN_OFP12},    {"eth_dst", 3, 6, C_ETH, KEN_OFP12},
    {"eth_src", 4, 6, C_ETH, KEN_OFP12},        {"eth_type", 5, 2, C_INT, KEN_OFP12},
    {"vlan_vid", 6, 2, C_VID, KEN_OFP12},       {"vlan_pcp", 7, 1, C_INT, KEN_OFP12},
    {"ip_dscp", 8, 1, C_INT, KEN_OFP12},        {"ip_ecn", 9, 1, C_INT, KEN_OFP12},
    {"ip_proto", 10, 1, C_INT, KEN_OFP12},      {"ipv4_src", 11, 4, C_IP4, KEN_OFP12},
    {"ipv4_dst", 12, 4, C_IP4, KEN_OFP12},      {"tcp_src", 13, 2, C_INT, KEN_OFP12},
    {"tcp_dst", 14, 2, C_INT, KEN_OFP12},       {"udp_src", 15, 2, C_INT, KEN_OFP12},
    {"udp_dst", 16, 2, C_INT, KEN_OFP12},       {"sctp_src", 17, 2, C_INT, KEN_OFP12},
    {"sctp_dst", 18, 2, C_INT, KEN_OFP12},      {"icmpv4_type", 19, 1, C_INT, KEN_OFP12},
    {"icmpv4_code", 20, 1, C_INT, KEN_OFP12},   {"arp_op", 21, 2, C_INT, KEN_OFP12},
    {"arp_spa", 22, 4, C_IP4, KEN_OFP12},       {"arp_tpa", 23, 4, C_IP4, KEN_OFP12},
    {"arp_sha", 24, 6, C_ETH, KEN_OFP12},       {"arp_tha", 25, 6, C_ETH, KEN_OFP12},
    {"ipv6_src", 26, 16, C_IP6, KEN_OFP12},     {"ipv6_dst", 27, 16, C_IP6, KEN_OFP12},
    {"ipv6_flabel", 28, 4, C_INT, KEN_OFP12},   {"icmpv6_type", 29, 1, C_INT, KEN_OFP12},
    {"icmpv6_code", 30, 1, C_INT, KEN_OFP12},   {"ipv6_nd_target", 31, 16, C_IP6, KEN_OFP12},
    {"ipv6_nd_sll", 32, 6, C_ETH, KEN_OFP12},   {"ipv6_nd_tll", 33, 6, C_ETH, KEN_OFP12},
    {"mpls_label", 34, 4, C_INT, KEN_OFP12},    {"mpls_tc", 35, 1, C_INT, KEN_OFP12},
    {"mpls_bos", 36, 1, C_INT, KEN_OFP13},      {"pbb_isid", 37, 3, C_MASKED, KEN_OFP13},
    {"tunnel_id", 38, 8, C_MASKED, KEN_OFP13},  {"ipv6_exthdr", 39, 2, C_MASKED, KEN_OFP13},
    {"pbb_uca", 41, 1, C_INT, KEN_OFP14},       {"tcp_flags", 42, 2, C_INT, KEN_OFP15},
    {"actset_output", 43, 4, C_INT, KEN_OFP15}, {"packet_type", 44, 4, C_PTYPE, KEN_OFP15},
};
#define N_FIELDS (sizeof fields / sizeof fields[0])

static const struct field *field_named(uint8_t version, const char *name)
{
    for (size_t i = 0; i < N_FIELDS; i++)
        if (strcmp(fields[i].name, name) == 0) return version >= fields[i].since ? &fields[i] : NULL;
    return NULL;
}

/* The old names to_match takes up to 1.3, and what match_to_str gives. */
static const char *const old_names[][2] = {
    {"dl_dst", "eth_dst"}, {"dl_src", "eth_src"}, {"dl_type", "eth_type"}, {"dl_vlan", "vlan_vid"},
    {"nw_src", "ipv4_src"}, {"nw_dst", "ipv4_dst"}, {"nw_proto", "ip_proto"},
};

static uint64_t width_max(unsigned bytes)
{
    return bytes >= 8 ? UINT64_MAX : ((uint64_t)1 << (8 * bytes)) - 1;
}

/* The low 64 bits of a number in two's complement. */
static uint64_t wrap64(const struct ofctl_int *n)
{
    return n->neg ? (uint64_t)0 - n->mag : n->mag;
}

/* OS-Ken packs an OXM integer byte by byte, keeping the value modulo the
 * field's width (-1 is all ones, 70000 in two bytes is 0x1170). */
static enum ofctl_status int_of(struct json_object *v, const struct field *f, const char *key, uint64_t *out,
                                char why[KEN_WHY_LEN])
{
    struct ofctl_int n;
    char s[48];
    if (!ofctl_parse_int(v, &n)) {
        if (!ofctl_pystr(v, s, sizeof s)) snprintf(s, sizeof s, "(too long)");
        return WHY("%s: invalid literal for int() with base 0: '%s'", key, s);
    }
    *out = wrap64(&n) & width_max(f->bytes);
    return OFCTL_OK;
}

static enum ofctl_status int_text(const char *s, size_t len, const struct field *f, const char *key,
                                  uint64_t *out, char why[KEN_WHY_LEN])
{
    struct ofctl_int n;
    if (!ofctl_parse_int_text(s, len, &n))
        return WHY("%s: invalid literal for int() with base 0: '%.*s'", key, (int)(len > 40 ? 40 : len), s);
    *out = wrap64(&n) & width_max(f->bytes);
    return OFCTL_OK;
}

struct json_object *ofctl_uint_json(uint64_t v)
{
    return v > INT64_MAX ? json_object_new_uint64(v) : json_object_new_int64((int64_t)v);
}

static struct json_object *addr_json(const struct field *f, const uint8_t *a)
{
    char s[INET6_ADDRSTRLEN];
    if (f->conv == C_ETH) {
        snprintf(s, sizeof s, "%02x:%02x:%02x:%02x:%02x:%02x", a[0], a[1], a[2], a[3], a[4], a[5]);
    } else if (!inet_ntop(f->conv == C_IP4 ? AF_INET : AF_INET6, a, s, sizeof s)) {
        return NULL;
    }
    return json_object_new_string(s);
}

static bool parse_addr(const struct field *f, const char *s, size_t len, uint8_t *a)
{
    if (f->conv == C_ETH) return parse_mac(s, len, a);
    if (f->conv == C_IP4) return parse_ipv4(s, len, a);
    return parse_ipv6(s, len, a);
}

/* A prefix length after '/' (to_match_ip's isdigit case, netaddr's
 * IPNetwork): the address must be strict text then. */
/* Python's int(s, 10) (after int()'s own white space and digit
 * mapping): the value, false for no integer or one beyond 64 bits. */
static bool py_int10(const char *s, size_t len, int64_t *out)
{
    char *a = malloc(len + 1);
    size_t i = 0, end;
    bool neg = false, any = false, us = false, ok = true;
    uint64_t n = 0;
    if (!a) return false;
    if (!py_ascii_digits(s, len, a)) {
        free(a);
        return false;
    }
    end = strlen(a);
    while (i < end && py_space((unsigned char)a[i])) i++;
    while (end > i && py_space((unsigned char)a[end - 1])) end--;
    if (i < end && (a[i] == '+' || a[i] == '-')) neg = a[i++] == '-';
    for (; i < end && ok; i++) {
        if (a[i] == '_') {
            ok = any && !us;
            us = true;
        } else if (a[i] >= '0' && a[i] <= '9') {
            if (n > (uint64_t)INT64_MAX / 10) ok = false;
            n = n * 10 + (uint64_t)(a[i] - '0');
            any = true, us = false;
        } else {
            ok = false;
        }
    }
    free(a);
    if (!ok || !any || us || n > (uint64_t)INT64_MAX) return false;
    *out = neg ? -(int64_t)n : (int64_t)n;
    return true;
}

/* The address part of an IPNetwork: strict text, else (IPv4) netaddr's
 * expansion of a partial address ("10.1" is 10.1.0.0, "010" is 10). */
static bool network_addr(int af, const char *s, size_t len, uint8_t *a)
{
    char tmp[96], full[64];
    size_t o = 0, tokens = 0;
    if (len >= sizeof tmp || memchr(s, 0, len)) return false;
    memcpy(tmp, s, len);
    tmp[len] = 0;
    if (inet_pton(af, tmp, a) == 1) return true;
    if (af != AF_INET || strchr(tmp, ':')) return false;
    for (char *p = tmp;; tokens++) {
        char *dot = strchr(p, '.');
        int64_t v;
        size_t l = dot ? (size_t)(dot - p) : strlen(p);
        if (tokens >= 4 || !py_int10(p, l, &v)) return false;
        o += (size_t)snprintf(full + o, sizeof full - o, "%s%lld", tokens ? "." : "", (long long)v);
        if (o >= sizeof full) return false;
        if (!dot) break;
        p = dot + 1;
    }
    for (tokens++; tokens < 4; tokens++) o += (size_t)snprintf(full + o, sizeof full - o, ".0");
    return inet_pton(AF_INET, full, a) == 1;
}

/* A prefix length after '/' (to_match_ip's isdigit case), in any
 * script's digits. */
static bool prefix_mask(const char *s, size_t len, unsigned bits, uint8_t *mask)
{
    int64_t n;
    if (!py_int10(s, len, &n) || n < 0 || n > (int64_t)bits) return false;
    memset(mask, 0, bits / 8);
    for (int64_t i = 0; i < n; i++) mask[i / 8] |= (uint8_t)(0x80 >> (i % 8));
    return true;
}

/* str.isdigit() as far as int() can read it: decimal digits of any script. */
static bool py_isdigit(const char *s, size_t len)
{
    char *a;
    bool ok;
    if (!len || !(a = malloc(len + 1))) return false;
    ok = py_ascii_digits(s, len, a);
    for (size_t i = 0; ok && a[i]; i++) ok = a[i] >= '0' && a[i] <= '9';
    free(a);
    return ok;
}

static bool all_digits(const char *s, size_t len)
{
    if (!len) return false;
    for (size_t i = 0; i < len; i++)
        if (s[i] < '0' || s[i] > '9') return false;
    return true;
}

/* str.isdigit() then int(s, 10), for the decimal digits of any script:
 * the value modulo 2^64 (the caller keeps 16 bits). */
static bool vid_digits(const char *s, size_t len, uint64_t *out)
{
    char *a = malloc(len + 1);
    bool ok;
    uint64_t n = 0;
    if (!a) return false;
    ok = len > 0 && py_ascii_digits(s, len, a) && all_digits(a, strlen(a));
    for (size_t i = 0; ok && a[i]; i++) n = n * 10 + (uint64_t)(a[i] - '0');
    free(a);
    if (ok) *out = n;
    return ok;
}

/* One match field's value and mask as OS-Ken would pack them: value and
 * mask new JSON (mask NULL when none), the value already masked. */
static enum ofctl_status field_from_user(uint8_t version, const struct field *f, const char *key,
                                         struct json_object *v, struct json_object **val, struct json_object **msk,
                                         char why[KEN_WHY_LEN])
{
    enum ofctl_status st;
    uint64_t a = 0, m = 0;
    bool masked = false;
    *val = *msk = NULL;
    switch (f->conv) {
    case C_PORT: {
        struct ofctl_int n;
        if (ofctl_parse_int(v, &n)) a = wrap64(&n) & width_max(f->bytes);
        else if ((st = ofctl_from_user(version, OFCTL_NAMES_PORT, v, width_max(f->bytes), key, &a, why))) return st;
        break;
    }
    case C_INT:
        if ((st = int_of(v, f, key, &a, why))) return st;
        break;
    case C_MASKED:
    case C_VID: {
        const char *s = json_object_is_type(v, json_type_string) ? json_object_get_string(v) : NULL;
        size_t len = s ? (size_t)json_object_get_string_len(v) : 0;
        const char *slash = s ? memchr(s, '/', len) : NULL;
        if (f->conv == C_VID && (json_object_is_type(v, json_type_array) || json_object_is_type(v, json_type_object))) {
            /* Ryu: '/' in it works, then value.isdigit() or .split(): AttributeError */
            snprintf(why, KEN_WHY_LEN, "%s must be an integer or a string", key);
            return OFCTL_UNSUPPORTED;
        }
        if (f->conv == C_VID && !s) {
            /* An integer is a VLAN id: OFPVID_PRESENT is added; a boolean
             * is one too, for Python. */
            if (json_object_is_type(v, json_type_boolean)) a = json_object_get_boolean(v) ? 1 : 0;
            else if (!json_object_is_type(v, json_type_int)) return WHY("%s must be an integer or a string", key);
            else if ((st = int_of(v, f, key, &a, why))) return st;
            a = (a | 0x1000) & 0xffff;
            break;
        }
        if (slash) {
            /* "v/m"; anything after a second '/' is ignored, as Ryu does */
            const char *ms = slash + 1;
            const char *end2 = memchr(ms, '/', len - (size_t)(ms - s));
            size_t mlen = end2 ? (size_t)(end2 - ms) : len - (size_t)(ms - s);
            if ((st = int_text(s, (size_t)(slash - s), f, key, &a, why))) return st;
            if ((st = int_text(ms, mlen, f, key, &m, why))) return st;
            masked = true;
        } else if (f->conv == C_VID && vid_digits(s, len, &a)) {
            /* a decimal string (str.isdigit) is a VLAN id too */
            a = (a | 0x1000) & 0xffff;
        } else if ((st = int_of(v, f, key, &a, why))) {
            return st;
        }
        break;
    }
    case C_PTYPE: {
        /* [namespace, type] or one number */
        if (json_object_is_type(v, json_type_array)) {
            uint64_t ns, ty;
            if (json_object_array_length(v) < 2) return WHY("%s: a list needs two items", key);
            if ((st = int_of(json_object_array_get_idx(v, 0), &fields[N_FIELDS - 1], key, &ns, why))) return st;
            if ((st = int_of(json_object_array_get_idx(v, 1), &fields[N_FIELDS - 1], key, &ty, why))) return st;
            a = (ns << 16 | ty) & 0xffffffff;
        } else if ((st = int_of(v, f, key, &a, why))) {
            return st;
        }
        break;
    }
    case C_ETH:
    case C_IP4:
    case C_IP6: {
        uint8_t va[16], ma[16];
        const char *s, *slash;
        size_t len;
        if (!json_object_is_type(v, json_type_string)) {
            /* Ryu: a list holding "/" passes '/' in value, then has no .split */
            if (json_object_is_type(v, json_type_array)) {
                size_t na = json_object_array_length(v);
                for (size_t k = 0; k < na; k++) {
                    struct json_object *e = json_object_array_get_idx(v, k);
                    if (json_object_is_type(e, json_type_string) && strcmp(json_object_get_string(e), "/") == 0) {
                        snprintf(why, KEN_WHY_LEN, "%s must be a string", key);
                        return OFCTL_UNSUPPORTED;
                    }
                }
            }
            return WHY("%s must be a string", key);
        }
        s = json_object_get_string(v);
        len = (size_t)json_object_get_string_len(v);
        slash = memchr(s, '/', len);
        if (!slash) {
            if (!parse_addr(f, s, len, va)) return WHY("%s: '%.60s' is no address", key, s);
        } else {
            const char *ms = slash + 1;
            size_t alen = (size_t)(slash - s), mlen = len - alen - 1;
            if (f->conv == C_ETH) {
                /* to_match_eth: first two parts */
                const char *e2 = memchr(ms, '/', mlen);
                if (e2) mlen = (size_t)(e2 - ms);
                if (!parse_mac(s, alen, va) || !parse_mac(ms, mlen, ma))
                    return WHY("%s: '%.60s' is no address/mask", key, s);
            } else {
                /* to_match_ip: exactly two parts */
                if (memchr(ms, '/', mlen)) return WHY("%s: too many '/' in '%.60s'", key, s);
                if (py_isdigit(ms, mlen)) {
                    if (!network_addr(f->conv == C_IP4 ? AF_INET : AF_INET6, s, alen, va) ||
                        !prefix_mask(ms, mlen, f->bytes * 8u, ma))
                        return WHY("%s: '%.60s' is no network", key, s);
                } else if (!parse_addr(f, s, alen, va) || !parse_addr(f, ms, mlen, ma)) {
                    return WHY("%s: '%.60s' is no address/mask", key, s);
                }
            }
            for (unsigned i = 0; i < f->bytes; i++) va[i] &= ma[i];
            *msk = addr_json(f, ma);
        }
        *val = addr_json(f, va);
        if (!*val || (slash && !*msk)) {
            json_object_put(*val);
            json_object_put(*msk);
            *val = *msk = NULL;
            return WHY("%s: cannot print the address", key);
        }
        return OFCTL_OK;
    }
    }
    if (masked) {
        a &= m;
        *msk = ofctl_uint_json(m);
    }
    *val = ofctl_uint_json(a);
    return OFCTL_OK;
}

static bool is_int_value(struct json_object *v, int64_t want)
{
    if (json_object_is_type(v, json_type_int)) return json_object_get_int64(v) == want;
    if (json_object_is_type(v, json_type_double)) return json_object_get_double(v) == (double)want;
    return false;
}

static enum ofctl_status to_match(uint8_t version, struct json_object *attrs, struct json_object **match,
                                  char why[KEN_WHY_LEN]);

/* Whether a JSON container holds "/" the way Python's '/' in value finds
 * it (an item of a list, a key of a dict). */
static bool holds_slash(struct json_object *v)
{
    if (json_object_is_type(v, json_type_object)) return json_object_object_get_ex(v, "/", NULL);
    if (json_object_is_type(v, json_type_array))
        for (size_t k = 0, n = json_object_array_length(v); k < n; k++) {
            struct json_object *e = json_object_array_get_idx(v, k);
            if (json_object_is_type(e, json_type_string) && strcmp(json_object_get_string(e), "/") == 0) return true;
        }
    return false;
}

/* What to_match_eth / to_match_ip find wrong at once, in the loop over
 * the match: '/' in a value that is no container (TypeError), .split on a
 * container holding "/" (AttributeError), not two parts around '/', and
 * an "addr/len" netaddr's IPNetwork (IPv4 or IPv6) refuses. */
static enum ofctl_status addr_precheck(const struct field *f, const char *key, struct json_object *v,
                                       char why[KEN_WHY_LEN])
{
    const char *s, *slash;
    size_t len;
    if (f->conv == C_PORT) return OFCTL_OK;
    if (json_object_is_type(v, json_type_array) || json_object_is_type(v, json_type_object)) {
        if (!holds_slash(v)) return OFCTL_OK; /* refused when the match is built */
        snprintf(why, KEN_WHY_LEN, "%s must be a string", key);
        return OFCTL_UNSUPPORTED;
    }
    if (!json_object_is_type(v, json_type_string)) return WHY("%s must be a string", key);
    if (f->conv == C_ETH) return OFCTL_OK;
    s = json_object_get_string(v);
    len = (size_t)json_object_get_string_len(v);
    if (!(slash = memchr(s, '/', len))) return OFCTL_OK;
    {
        const char *ms = slash + 1;
        size_t alen = (size_t)(slash - s), mlen = len - alen - 1;
        uint8_t a[16], m[16];
        if (memchr(ms, '/', mlen)) return WHY("%s: too many '/' in '%.60s'", key, s);
        if (py_isdigit(ms, mlen) && !(network_addr(AF_INET, s, alen, a) && prefix_mask(ms, mlen, 32, m)) &&
            !(network_addr(AF_INET6, s, alen, a) && prefix_mask(ms, mlen, 128, m)))
            return WHY("%s: '%.60s' is no network", key, s);
    }
    return OFCTL_OK;
}

enum ofctl_status ofctl_to_match(uint8_t version, struct json_object *attrs, struct json_object **match,
                                 char why[KEN_WHY_LEN])
{
    /* OS-Ken converts a match when it is built: its errors come at once */
    bool paused = deferred.paused;
    enum ofctl_status st;
    deferred.paused = true;
    st = to_match(version, attrs, match, why);
    deferred.paused = paused;
    return st;
}

static enum ofctl_status to_match(uint8_t version, struct json_object *attrs, struct json_object **match,
                                  char why[KEN_WHY_LEN])
{
    struct json_object *val[N_FIELDS] = {0}, *msk[N_FIELDS] = {0}, *post_v[N_FIELDS] = {0};
    const char *post_key[N_FIELDS] = {0};
    bool post[N_FIELDS] = {0};
    enum ofctl_status st = OFCTL_OK;
    bool legacy = version <= KEN_OFP13, arp = false, found;
    const char *src_old = legacy ? "nw_src" : "ipv4_src", *dst_old = legacy ? "nw_dst" : "ipv4_dst";

    if (attrs && !json_object_is_type(attrs, json_type_object)) {
        snprintf(why, KEN_WHY_LEN, "match must be an object");
        return OFCTL_UNSUPPORTED; /* Ryu: attrs.get -> AttributeError */
    }
    if (attrs) {
        struct json_object *t;
        if (legacy && (t = ofctl_get(attrs, "dl_type", &found), found) && is_int_value(t, 0x0806)) arp = true;
        if ((t = ofctl_get(attrs, "eth_type", &found), found) && is_int_value(t, 0x0806)) arp = true;
    }
    if (attrs) {
        bool has_spa, has_tpa;
        ofctl_get(attrs, "arp_spa", &has_spa);
        ofctl_get(attrs, "arp_tpa", &has_tpa);
        json_object_object_foreach(attrs, key0, v)
        {
            const char *key = key0;
            const struct field *f;
            size_t idx;
            /* ARP: the IPv4 names stand for arp_spa/arp_tpa unless those are given */
            if (arp && !has_spa && strcmp(key, src_old) == 0) key = "arp_spa";
            else if (arp && !has_tpa && strcmp(key, dst_old) == 0) key = "arp_tpa";
            if (legacy)
                for (size_t i = 0; i < sizeof old_names / sizeof old_names[0]; i++)
                    if (strcmp(key, old_names[i][0]) == 0) key = old_names[i][1];
            if (legacy && (strcmp(key, "tp_src") == 0 || strcmp(key, "tp_dst") == 0)) {
                /* TCP or UDP after nw_proto (else ip_proto), as given, unconverted */
                struct json_object *p = ofctl_get(attrs, "nw_proto", &found);
                bool src = key[3] == 's';
                if (!found) p = ofctl_get(attrs, "ip_proto", &found);
                if (found && is_int_value(p, 6)) key = src ? "tcp_src" : "tcp_dst";
                else if (found && is_int_value(p, 17)) key = src ? "udp_src" : "udp_dst";
                else {
                    st = WHY("%s needs nw_proto or ip_proto 6 (TCP) or 17 (UDP)", key0);
                    goto fail;
                }
            }
            f = field_named(version, key);
            if (!f) continue; /* Ryu logs an unknown field and goes on */
            idx = (size_t)(f - fields);
            json_object_put(val[idx]);
            json_object_put(msk[idx]);
            val[idx] = msk[idx] = NULL;
            post[idx] = false;
            if (f->conv == C_ETH || f->conv == C_IP4 || f->conv == C_IP6 || f->conv == C_PORT) {
                /* Ryu reads these when OFPMatch is built, after the loop,
                 * and only the last value given for the field */
                if ((st = addr_precheck(f, key0, v, why))) goto fail;
                post[idx] = true;
                post_v[idx] = v;
                post_key[idx] = key0;
                continue;
            }
            if ((st = field_from_user(version, f, key0, v, &val[idx], &msk[idx], why))) goto fail;
        }
    }
    for (size_t i = 0; i < N_FIELDS; i++)
        if (post[i] && (st = field_from_user(version, &fields[i], post_key[i], post_v[i], &val[i], &msk[i], why)))
            goto fail;
    {
        struct json_object *list = json_object_new_array(), *inner = json_object_new_object();
        for (size_t i = 0; i < N_FIELDS; i++) {
            struct json_object *tlv;
            if (!val[i]) continue;
            tlv = json_object_new_object();
            json_object_object_add(tlv, "field", json_object_new_string(fields[i].name));
            json_object_object_add(tlv, "mask", msk[i]);
            json_object_object_add(tlv, "value", val[i]);
            json_object_array_add(list, ofctl_msg_new("OXMTlv", tlv));
        }
        json_object_object_add(inner, "oxm_fields", list);
        *match = ofctl_msg_new("OFPMatch", inner);
        return OFCTL_OK;
    }
fail:
    for (size_t i = 0; i < N_FIELDS; i++) {
        json_object_put(val[i]);
        json_object_put(msk[i]);
    }
    return st;
}

static struct json_object *vid_to_str(struct json_object *value, struct json_object *mask)
{
    char s[64];
    uint64_t v = json_object_get_uint64(value);
    if (mask) snprintf(s, sizeof s, "0x%04llx/0x%04llx", (unsigned long long)v,
                       (unsigned long long)json_object_get_uint64(mask));
    else if (v & 0x1000) snprintf(s, sizeof s, "%llu", (unsigned long long)(v & ~(uint64_t)0x1000));
    else snprintf(s, sizeof s, "0x%04llx", (unsigned long long)v);
    return json_object_new_string(s);
}

enum ofctl_status ofctl_match_to_str(uint8_t version, struct json_object *ofpmatch, struct json_object **out,
                                     char why[KEN_WHY_LEN])
{
    static const char *const renames[][2] = {
        {"eth_src", "dl_src"}, {"eth_dst", "dl_dst"}, {"eth_type", "dl_type"}, {"vlan_vid", "dl_vlan"},
        {"ipv4_src", "nw_src"}, {"ipv4_dst", "nw_dst"}, {"ip_proto", "nw_proto"}, {"tcp_src", "tp_src"},
        {"tcp_dst", "tp_dst"}, {"udp_src", "tp_src"}, {"udp_dst", "tp_dst"},
    };
    struct json_object *body = ofctl_msg_body(ofpmatch, "OFPMatch"), *list, *res;
    bool legacy = version <= KEN_OFP13;
    size_t n;
    if (!body || !json_object_object_get_ex(body, "oxm_fields", &list) || !json_object_is_type(list, json_type_array))
        return WHY("the reply's match is not an OFPMatch with oxm_fields");
    res = json_object_new_object();
    n = json_object_array_length(list);
    for (size_t i = 0; i < n; i++) {
        struct json_object *tlv = ofctl_msg_body(json_object_array_get_idx(list, i), "OXMTlv");
        struct json_object *fj, *value, *mask = NULL, *o;
        const char *key;
        if (!tlv || !json_object_object_get_ex(tlv, "field", &fj) || !json_object_is_type(fj, json_type_string) ||
            !json_object_object_get_ex(tlv, "value", &value)) {
            json_object_put(res);
            return WHY("the reply's match has a field that is not an OXMTlv");
        }
        json_object_object_get_ex(tlv, "mask", &mask);
        key = json_object_get_string(fj);
        if (legacy)
            for (size_t k = 0; k < sizeof renames / sizeof renames[0]; k++)
                if (strcmp(key, renames[k][0]) == 0) key = renames[k][1];
        if (json_object_object_get_ex(res, key, NULL)) continue; /* the first one stays */
        if (strcmp(key, legacy ? "dl_vlan" : "vlan_vid") == 0 && json_object_is_type(value, json_type_int) &&
            (!mask || json_object_is_type(mask, json_type_int))) {
            o = vid_to_str(value, mask);
        } else if (strcmp(key, "in_port") == 0) {
            o = ofctl_to_user(version, OFCTL_NAMES_PORT, value);
        } else if (version >= KEN_OFP15 && strcmp(key, "packet_type") == 0 &&
                   json_object_is_type(value, json_type_int)) {
            uint64_t pt = json_object_get_uint64(value);
            o = json_object_new_array();
            json_object_array_add(o, ofctl_uint_json(pt >> 16));
            json_object_array_add(o, ofctl_uint_json(pt & 0xffff));
        } else if (mask) {
            char a[128], b[128], s[260];
            if (!ofctl_pystr(value, a, sizeof a) || !ofctl_pystr(mask, b, sizeof b)) {
                json_object_put(res);
                return WHY("the reply's match field %s is too long to print", key);
            }
            snprintf(s, sizeof s, "%s/%s", a, b);
            o = json_object_new_string(s);
        } else {
            o = NULL;
            if (json_object_deep_copy(value, &o, NULL) != 0) o = NULL;
        }
        json_object_object_add(res, key, o);
    }
    *out = res;
    return OFCTL_OK;
}

/* ---- actions ----------------------------------------------------------- */

static struct json_object *action_new(const char *cls, struct json_object *inner)
{
    return ofctl_msg_new(cls, inner ? inner : json_object_new_object());
}

static struct json_object *obj1(const char *k, uint64_t v)
{
    struct json_object *o = json_object_new_object();
    json_object_object_add(o, k, ofctl_uint_json(v));
    return o;
}

/* A set-field value as ken's encoder wants it: addresses in their plain
 * text (netaddr's other forms rewritten), the rest as given. */
static enum ofctl_status set_field_value(uint8_t version, const char *field, struct json_object *v,
                                         struct json_object **out, char why[KEN_WHY_LEN])
{
    const struct field *f = field_named(KEN_OFP15, field);
    (void)version;
    *out = NULL;
    if (!v) return WHY("SET_FIELD needs a value");
    if (f && (f->conv == C_ETH || f->conv == C_IP4 || f->conv == C_IP6)) {
        uint8_t a[16] = {0};
        if (json_object_is_type(v, json_type_string)) {
            if (!parse_addr(f, json_object_get_string(v), (size_t)json_object_get_string_len(v), a))
                return WHY("SET_FIELD: '%.60s' is no value for %s", json_object_get_string(v), field);
        } else if (json_object_is_type(v, json_type_int)) {
            /* netaddr takes a number for an address too */
            struct ofctl_int n;
            ofctl_parse_int(v, &n);
            if (n.neg || (f->bytes < 8 && n.mag > width_max(f->bytes)))
                return WHY("SET_FIELD: %s out of range", field);
            for (unsigned i = 0; i < f->bytes && i < 8; i++) a[f->bytes - 1 - i] = (uint8_t)(n.mag >> (8 * i));
        } else {
            return WHY("SET_FIELD: the value of %s must be a string", field);
        }
        *out = addr_json(f, a);
        return *out ? OFCTL_OK : WHY("SET_FIELD: cannot print the address");
    }
    if (f) {
        /* an integer field: OS-Ken packs it modulo its width */
        struct ofctl_int n;
        if (json_object_is_type(v, json_type_boolean)) {
            *out = json_object_new_int64(json_object_get_boolean(v) ? 1 : 0);
            return OFCTL_OK;
        }
        if (!json_object_is_type(v, json_type_int) || !ofctl_parse_int(v, &n))
            return WHY("SET_FIELD: the value of %s must be an integer", field);
        *out = ofctl_uint_json(wrap64(&n) & width_max(f->bytes));
        return OFCTL_OK;
    }
    if (json_object_deep_copy(v, out, NULL) != 0) return WHY("SET_FIELD: cannot copy the value");
    return OFCTL_OK;
}

enum ofctl_status ofctl_to_action(uint8_t version, struct json_object *dic, struct json_object **action,
                                  char why[KEN_WHY_LEN])
{
    static const struct { const char *type, *cls; uint8_t since; } plain[] = {
        {"COPY_TTL_OUT", "OFPActionCopyTtlOut", KEN_OFP12}, {"COPY_TTL_IN", "OFPActionCopyTtlIn", KEN_OFP12},
        {"DEC_MPLS_TTL", "OFPActionDecMplsTtl", KEN_OFP12}, {"POP_VLAN", "OFPActionPopVlan", KEN_OFP12},
        {"DEC_NW_TTL", "OFPActionDecNwTtl", KEN_OFP12},     {"POP_PBB", "OFPActionPopPbb", KEN_OFP13},
    };
    static const struct { const char *type, *cls; uint8_t since; } ethertype[] = {
        {"PUSH_VLAN", "OFPActionPushVlan", KEN_OFP12}, {"PUSH_MPLS", "OFPActionPushMpls", KEN_OFP12},
        {"POP_MPLS", "OFPActionPopMpls", KEN_OFP12},   {"PUSH_PBB", "OFPActionPushPbb", KEN_OFP13},
    };
    enum ofctl_status st;
    struct json_object *tj;
    const char *type;
    bool found;
    uint64_t a, b;

    *action = NULL;
    if (!json_object_is_type(dic, json_type_object)) {
        snprintf(why, KEN_WHY_LEN, "an action must be an object");
        return OFCTL_UNSUPPORTED; /* Ryu: dic.get -> AttributeError */
    }
    tj = ofctl_get(dic, "type", &found);
    if (!json_object_is_type(tj, json_type_string)) return OFCTL_OK; /* no such type: None */
    type = json_object_get_string(tj);

    for (size_t i = 0; i < sizeof plain / sizeof plain[0]; i++)
        if (version >= plain[i].since && strcmp(type, plain[i].type) == 0) {
            *action = action_new(plain[i].cls, NULL);
            return OFCTL_OK;
        }
    for (size_t i = 0; i < sizeof ethertype / sizeof ethertype[0]; i++)
        if (version >= ethertype[i].since && strcmp(type, ethertype[i].type) == 0) {
            struct json_object *e = ofctl_get(dic, "ethertype", &found);
            if ((st = ofctl_to_uint(e, 0xffff, "ethertype", &a, why))) return st;
            *action = action_new(ethertype[i].cls, obj1("ethertype", a));
            return OFCTL_OK;
        }
    if (strcmp(type, "OUTPUT") == 0) {
        struct json_object *o;
        if ((st = ofctl_get_from_user(version, OFCTL_NAMES_PORT, dic, "port", 0xffffffff, 0xffffffff, &a, why)))
            return st;
        if ((st = ofctl_get_from_user(version, OFCTL_NAMES_CML, dic, "max_len", 0xffe5, 0xffff, &b, why)))
            return st;
        o = obj1("port", a);
        json_object_object_add(o, "max_len", ofctl_uint_json(b));
        *action = action_new("OFPActionOutput", o);
        return OFCTL_OK;
    }
    if (strcmp(type, "SET_MPLS_TTL") == 0 || strcmp(type, "SET_NW_TTL") == 0) {
        bool mpls = type[4] == 'M';
        const char *k = mpls ? "mpls_ttl" : "nw_ttl";
        if ((st = ofctl_to_uint(ofctl_get(dic, k, &found), 0xff, k, &a, why))) return st;
        *action = action_new(mpls ? "OFPActionSetMplsTtl" : "OFPActionSetNwTtl", obj1(k, a));
        return OFCTL_OK;
    }
    if (strcmp(type, "SET_QUEUE") == 0) {
        if ((st = ofctl_from_user(version, OFCTL_NAMES_QUEUE, ofctl_get(dic, "queue_id", &found), 0xffffffff,
                                  "queue_id", &a, why)))
            return st;
        *action = action_new("OFPActionSetQueue", obj1("queue_id", a));
        return OFCTL_OK;
    }
    if (strcmp(type, "GROUP") == 0) {
        if ((st = ofctl_from_user(version, OFCTL_NAMES_GROUP, ofctl_get(dic, "group_id", &found), 0xffffffff,
                                  "group_id", &a, why)))
            return st;
        *action = action_new("OFPActionGroup", obj1("group_id", a));
        return OFCTL_OK;
    }
    if (strcmp(type, "SET_FIELD") == 0) {
        struct json_object *field = ofctl_get(dic, "field", &found), *value = ofctl_get(dic, "value", &found);
        struct json_object *tlv, *fv, *inner;
        if (!json_object_is_type(field, json_type_string)) return WHY("SET_FIELD needs a field name");
        if ((st = set_field_value(version, json_object_get_string(field), value, &fv, why))) {
            /* OS-Ken converts a set-field value only when packing it */
            if (!defer(why)) return st;
            fv = NULL;
        }
        tlv = json_object_new_object();
        json_object_object_add(tlv, "field", json_object_new_string(json_object_get_string(field)));
        json_object_object_add(tlv, "mask", NULL);
        json_object_object_add(tlv, "value", fv);
        inner = json_object_new_object();
        json_object_object_add(inner, "field", ofctl_msg_new("OXMTlv", tlv));
        *action = action_new("OFPActionSetField", inner);
        return OFCTL_OK;
    }
    if (strcmp(type, "COPY_FIELD") == 0) {
        uint64_t nb, so, dof;
        struct json_object *o, *ids;
        const char *names[2] = {"src_oxm_id", "dst_oxm_id"};
        if ((st = ofctl_to_uint(ofctl_get(dic, "n_bits", &found), 0xffff, "n_bits", &nb, why))) return st;
        if ((st = ofctl_to_uint(ofctl_get(dic, "src_offset", &found), 0xffff, "src_offset", &so, why))) return st;
        if ((st = ofctl_to_uint(ofctl_get(dic, "dst_offset", &found), 0xffff, "dst_offset", &dof, why))) return st;
        if (version < KEN_OFP15) {
            snprintf(why, KEN_WHY_LEN, "COPY_FIELD is an action of OpenFlow 1.5");
            return OFCTL_UNSUPPORTED; /* Ryu: no OFPActionCopyField -> AttributeError */
        }
        ids = json_object_new_array();
        for (int i = 0; i < 2; i++) {
            struct json_object *id = ofctl_get(dic, names[i], &found), *t = json_object_new_object();
            char s[128];
            /* Ryu takes str() of whatever is given */
            if (!ofctl_pystr(id, s, sizeof s)) {
                json_object_put(t);
                json_object_put(ids);
                return WHY("COPY_FIELD: %s is too long", names[i]);
            }
            json_object_object_add(t, "type", json_object_new_string(s));
            json_object_array_add(ids, ofctl_msg_new("OFPOxmId", t));
        }
        o = obj1("n_bits", nb);
        json_object_object_add(o, "src_offset", ofctl_uint_json(so));
        json_object_object_add(o, "dst_offset", ofctl_uint_json(dof));
        json_object_object_add(o, "oxm_ids", ids);
        *action = action_new("OFPActionCopyField", o);
        return OFCTL_OK;
    }
    if (strcmp(type, "METER") == 0) {
        if (version < KEN_OFP15) return OFCTL_OK; /* None: an instruction then */
        if ((st = ofctl_to_uint(ofctl_get(dic, "meter_id", &found), 0xffffffff, "meter_id", &a, why))) return st;
        *action = action_new("OFPActionMeter", obj1("meter_id", a));
        return OFCTL_OK;
    }
    if (strcmp(type, "EXPERIMENTER") == 0) {
        struct json_object *dt, *data, *o;
        const char *dts = "ascii";
        uint8_t *bytes = NULL;
        size_t nbytes = 0;
        char *b64;
        if ((st = ofctl_to_uint(ofctl_get(dic, "experimenter", &found), 0xffffffff, "experimenter", &a, why)))
            return st;
        dt = ofctl_get(dic, "data_type", &found);
        if (found) {
            if (!json_object_is_type(dt, json_type_string)) return OFCTL_OK; /* unknown: None */
            dts = json_object_get_string(dt);
        }
        if (strcmp(dts, "ascii") != 0 && strcmp(dts, "base64") != 0) return OFCTL_OK;
        data = ofctl_get(dic, "data", &found);
        if (strcmp(dts, "ascii") == 0) {
            if (version < KEN_OFP13) goto no_experimenter_action;
            /* Ryu hands the text itself to the action, which cannot pack it */
            snprintf(why, KEN_WHY_LEN, "EXPERIMENTER: data_type ascii cannot be packed; use base64");
            return defer(why) ? OFCTL_OK : OFCTL_BAD_REQUEST;
        }
        if (!found) {
            bytes = NULL, nbytes = 0;
        } else if (!json_object_is_type(data, json_type_string)) {
            return WHY("EXPERIMENTER: data must be a base64 string");
        } else if (!ofctl_b64decode(json_object_get_string(data), (size_t)json_object_get_string_len(data), &bytes,
                                    &nbytes)) {
            return WHY("EXPERIMENTER: data is not valid base64 (incorrect padding)");
        }
        if (version < KEN_OFP13) {
            free(bytes);
        no_experimenter_action:
            /* OS-Ken's 1.2 parser has no experimenter action: AttributeError */
            snprintf(why, KEN_WHY_LEN, "OpenFlow 1.2 ofctl has no EXPERIMENTER action");
            return OFCTL_UNSUPPORTED;
        }
        b64 = malloc(4 * ((nbytes + 2) / 3) + 1);
        if (!b64) {
            free(bytes);
            return WHY("out of memory");
        }
        ofctl_b64encode(bytes, nbytes, b64);
        free(bytes);
        o = obj1("experimenter", a);
        json_object_object_add(o, "data", json_object_new_string(b64));
        free(b64);
        *action = action_new("OFPActionExperimenterUnknown", o);
        return OFCTL_OK;
    }
    return OFCTL_OK;
}

/* ---- requests shared by every version ---------------------------------- */

static enum ofctl_status raw_uint32(struct json_object *obj, const char *key, uint64_t *out, char why[KEN_WHY_LEN])
{
    bool found;
    struct json_object *v = ofctl_get(obj, key, &found);
    /* Ryu packs these as given: an integer (or a boolean), no string. */
    if (!found) {
        *out = 0;
        return OFCTL_OK;
    }
    if (json_object_is_type(v, json_type_boolean)) {
        *out = json_object_get_boolean(v) ? 1 : 0;
        return OFCTL_OK;
    }
    if (!json_object_is_type(v, json_type_int)) return LATE(out, "%s must be an integer", key);
    return ofctl_to_uint(v, 0xffffffff, key, out, why);
}

static enum ofctl_status ofctl_experimenter_inner(struct json_object *body, struct json_object **msg, char why[KEN_WHY_LEN])
{
    enum ofctl_status st;
    uint64_t exp, exp_type;
    struct json_object *dt, *data, *o;
    const char *dts = "ascii";
    bool found;
    uint8_t *bytes = NULL;
    size_t nbytes = 0;
    char *b64;

    *msg = NULL;
    if (body && !json_object_is_type(body, json_type_object)) {
        snprintf(why, KEN_WHY_LEN, "the body must be an object");
        return OFCTL_UNSUPPORTED;
    }
    /* an unknown data_type: Ryu logs it and sends nothing, whatever else */
    dt = ofctl_get(body, "data_type", &found);
    if (found) {
        if (!json_object_is_type(dt, json_type_string)) return OFCTL_OK;
        dts = json_object_get_string(dt);
    }
    if (strcmp(dts, "ascii") != 0 && strcmp(dts, "base64") != 0) return OFCTL_OK;
    if ((st = raw_uint32(body, "experimenter", &exp, why))) return st;
    if ((st = raw_uint32(body, "exp_type", &exp_type, why))) return st;
    data = ofctl_get(body, "data", &found);
    if (found && !json_object_is_type(data, json_type_string)) {
        snprintf(why, KEN_WHY_LEN, "data must be a string");
        /* Ryu: data.encode on a non-string is an AttributeError (501);
         * b64decode of one a TypeError (500) */
        return strcmp(dts, "ascii") == 0 ? OFCTL_UNSUPPORTED : OFCTL_BAD_REQUEST;
    }
    if (found) {
        const char *s = json_object_get_string(data);
        size_t len = (size_t)json_object_get_string_len(data);
        if (strcmp(dts, "ascii") == 0) {
            for (size_t i = 0; i < len; i++)
                if ((unsigned char)s[i] >= 0x80) return WHY("data is not ASCII");
            bytes = malloc(len + 1);
            if (!bytes) return WHY("out of memory");
            memcpy(bytes, s, len);
            nbytes = len;
        } else if (!ofctl_b64decode(s, len, &bytes, &nbytes)) {
            return WHY("data is not valid base64 (incorrect padding)");
        }
    }
    b64 = malloc(4 * ((nbytes + 2) / 3) + 1);
    if (!b64) {
        free(bytes);
        return WHY("out of memory");
    }
    ofctl_b64encode(bytes, nbytes, b64);
    free(bytes);
    o = json_object_new_object();
    json_object_object_add(o, "experimenter", ofctl_uint_json(exp));
    json_object_object_add(o, "exp_type", ofctl_uint_json(exp_type));
    json_object_object_add(o, "data", json_object_new_string(b64));
    free(b64);
    *msg = ofctl_msg_new("OFPExperimenter", o);
    return OFCTL_OK;
}

enum ofctl_status ofctl_experimenter(struct json_object *body, struct json_object **msg, char why[KEN_WHY_LEN])
{
    *msg = NULL;
    ofctl_defer_begin();
    return ofctl_defer_end_msg(ofctl_experimenter_inner(body, msg, why), msg, why);
}

static enum ofctl_status ofctl_set_role_inner(uint8_t version, struct json_object *body, struct json_object **msg,
                                 char why[KEN_WHY_LEN])
{
    enum ofctl_status st;
    uint64_t role;
    struct json_object *o;
    if (body && !json_object_is_type(body, json_type_object)) {
        snprintf(why, KEN_WHY_LEN, "the body must be an object");
        return OFCTL_UNSUPPORTED;
    }
    if ((st = ofctl_get_from_user(version, OFCTL_NAMES_ROLE, body, "role", 1, 0xffffffff, &role, why))) return st;
    o = json_object_new_object();
    json_object_object_add(o, "role", ofctl_uint_json(role));
    json_object_object_add(o, "generation_id", json_object_new_int64(0));
    *msg = ofctl_msg_new("OFPRoleRequest", o);
    return OFCTL_OK;
}

enum ofctl_status ofctl_set_role(uint8_t version, struct json_object *body, struct json_object **msg,
                                 char why[KEN_WHY_LEN])
{
    *msg = NULL;
    ofctl_defer_begin();
    return ofctl_defer_end_msg(ofctl_set_role_inner(version, body, msg, why), msg, why);
}

struct json_object *ofctl_role_request(void)
{
    struct json_object *o = json_object_new_object();
    json_object_object_add(o, "role", json_object_new_int64(0));
    json_object_object_add(o, "generation_id", json_object_new_int64(0));
    return ofctl_msg_new("OFPRoleRequest", o);
}

enum ofctl_status ofctl_role_answer(uint8_t version, struct json_object *const *replies, size_t n,
                                    struct json_object **out, char why[KEN_WHY_LEN])
{
    struct json_object *list = json_object_new_array();
    for (size_t i = 0; i < n; i++) {
        struct json_object *body = ofctl_msg_body(replies[i], NULL), *d = NULL, *role;
        if (!body || !json_object_object_get_ex(body, "role", &role)) {
            json_object_put(list);
            return WHY("the reply has no role");
        }
        if (json_object_deep_copy(body, &d, NULL) != 0) {
            json_object_put(list);
            return WHY("out of memory");
        }
        json_object_object_add(d, "role", ofctl_to_user(version, OFCTL_NAMES_ROLE, role));
        json_object_array_add(list, d);
    }
    *out = list;
    return OFCTL_OK;
}

/* ---- Ryu's string forms of 1.2 and 1.3 --------------------------------- */

bool ofctl_parse_mac(const char *s, size_t len, uint8_t mac[6])
{
    return parse_mac(s, len, mac);
}

enum ofctl_status ofctl_iter_list(struct json_object *v, const char *what, size_t *n, char why[KEN_WHY_LEN])
{
    *n = 0;
    if (json_object_is_type(v, json_type_array)) {
        *n = json_object_array_length(v);
        return OFCTL_OK;
    }
    if (json_object_is_type(v, json_type_object) || json_object_is_type(v, json_type_string)) {
        bool empty = json_object_is_type(v, json_type_object) ? json_object_object_length(v) == 0
                                                              : json_object_get_string_len(v) == 0;
        if (empty) return OFCTL_OK;
        snprintf(why, KEN_WHY_LEN, "%s must be a list of objects", what);
        return OFCTL_UNSUPPORTED; /* Ryu: str.get -> AttributeError */
    }
    return WHY("%s must be a list", what);
}

/* Appends text to a growing buffer; false when it would not fit. */
struct sbuf {
    char *p;
    size_t n, cap;
};

static bool sb_add(struct sbuf *b, const char *s)
{
    size_t l = strlen(s);
    if (b->n + l + 1 > b->cap) {
        size_t cap = b->cap ? b->cap : 64;
        char *p;
        while (cap < b->n + l + 1) cap *= 2;
        if (cap > (1u << 20) || !(p = realloc(b->p, cap))) return false;
        b->p = p, b->cap = cap;
    }
    memcpy(b->p + b->n, s, l + 1);
    b->n += l;
    return true;
}

static bool sb_json(struct sbuf *b, struct json_object *v, bool repr)
{
    char tmp[512];
    if (json_object_is_type(v, json_type_string)) {
        /* strings (base64 data, nested action texts) may be long */
        size_t len = (size_t)json_object_get_string_len(v), cap = 4 * len + 3;
        char *p;
        bool ok;
        if (!repr) return sb_add(b, json_object_get_string(v));
        if (!(p = malloc(cap))) return false;
        ok = py_repr_str(json_object_get_string(v), p, cap) && sb_add(b, p);
        free(p);
        return ok;
    }
    return pystr_inner(v, tmp, sizeof tmp, repr) && sb_add(b, tmp);
}

static bool sb_fmt(struct sbuf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static bool sb_fmt(struct sbuf *b, const char *fmt, ...)
{
    char tmp[512];
    va_list ap;
    int r;
    va_start(ap, fmt);
    r = vsnprintf(tmp, sizeof tmp, fmt, ap);
    va_end(ap);
    return r >= 0 && (size_t)r < sizeof tmp && sb_add(b, tmp);
}

struct json_object *ofctl_member(struct json_object *o, const char *k)
{
    struct json_object *v = NULL;
    return json_object_object_get_ex(o, k, &v) ? v : NULL;
}

static bool member_u64(struct json_object *o, const char *k, uint64_t *v)
{
    struct json_object *j = ofctl_member(o, k);
    if (!json_object_is_type(j, json_type_int) || json_object_get_int64(j) < 0) return false;
    *v = json_object_get_uint64(j);
    return true;
}

/* The class name and body of a decoded {"Class": {...}}. */
static struct json_object *split_msg(struct json_object *m, const char **cls)
{
    *cls = NULL;
    if (!json_object_is_type(m, json_type_object) || json_object_object_length(m) != 1) return NULL;
    json_object_object_foreach(m, k, v)
    {
        *cls = k;
        return json_object_is_type(v, json_type_object) ? v : NULL;
    }
    return NULL;
}

static enum ofctl_status nx_action_to_str(uint8_t version, const char *cls, struct json_object *a, struct sbuf *b,
                                          char why[KEN_WHY_LEN]);

/* One action's text appended to b. */
static enum ofctl_status action_text(uint8_t version, struct json_object *action, struct sbuf *b,
                                     char why[KEN_WHY_LEN])
{
    const char *cls;
    struct json_object *a = split_msg(action, &cls);
    uint64_t type, v;
    bool ok = true;
    if (!a || !member_u64(a, "type", &type)) return WHY("the reply holds an action without a type");
#define NUM(k) (member_u64(a, k, &v) ? v : 0)
    switch (type) {
    case 0: {
        char s[32];
        struct json_object *p = ofctl_to_user(version, OFCTL_NAMES_PORT, ofctl_member(a, "port"));
        ok = sb_add(b, "OUTPUT:") && pystr_inner(p, s, sizeof s, false) && sb_add(b, s);
        json_object_put(p);
        break;
    }
    case 11: ok = sb_add(b, "COPY_TTL_OUT"); break;
    case 12: ok = sb_add(b, "COPY_TTL_IN"); break;
    case 15: ok = sb_add(b, "SET_MPLS_TTL:") && sb_json(b, ofctl_member(a, "mpls_ttl"), false); break;
    case 16: ok = sb_add(b, "DEC_MPLS_TTL"); break;
    case 17: ok = sb_add(b, "PUSH_VLAN:") && sb_json(b, ofctl_member(a, "ethertype"), false); break;
    case 18: ok = sb_add(b, "POP_VLAN"); break;
    case 19: ok = sb_add(b, "PUSH_MPLS:") && sb_json(b, ofctl_member(a, "ethertype"), false); break;
    case 20: ok = sb_add(b, "POP_MPLS:") && sb_json(b, ofctl_member(a, "ethertype"), false); break;
    case 21:
    case 22: {
        char s[32];
        struct json_object *p = ofctl_to_user(version, type == 21 ? OFCTL_NAMES_QUEUE : OFCTL_NAMES_GROUP,
                                              ofctl_member(a, type == 21 ? "queue_id" : "group_id"));
        ok = sb_add(b, type == 21 ? "SET_QUEUE:" : "GROUP:") && pystr_inner(p, s, sizeof s, false) && sb_add(b, s);
        json_object_put(p);
        break;
    }
    case 23: ok = sb_add(b, "SET_NW_TTL:") && sb_json(b, ofctl_member(a, "nw_ttl"), false); break;
    case 24: ok = sb_add(b, "DEC_NW_TTL"); break;
    case 25: {
        /* act.key and act.value: a masked value prints as a Python tuple */
        struct json_object *tlv = ofctl_msg_body(ofctl_member(a, "field"), "OXMTlv"), *mask;
        if (!tlv) return WHY("the reply holds a set-field action without a field");
        mask = ofctl_member(tlv, "mask");
        ok = sb_add(b, "SET_FIELD: {") && sb_json(b, ofctl_member(tlv, "field"), false) && sb_add(b, ":");
        if (ok && mask)
            ok = sb_add(b, "(") && sb_json(b, ofctl_member(tlv, "value"), true) && sb_add(b, ", ") &&
                 sb_json(b, mask, true) && sb_add(b, ")");
        else if (ok)
            ok = sb_json(b, ofctl_member(tlv, "value"), false);
        ok = ok && sb_add(b, "}");
        break;
    }
    case 26:
        if (version < KEN_OFP13) goto unknown;
        ok = sb_add(b, "PUSH_PBB:") && sb_json(b, ofctl_member(a, "ethertype"), false);
        break;
    case 27:
        if (version < KEN_OFP13) goto unknown;
        ok = sb_add(b, "POP_PBB");
        break;
    case 0xffff:
        if (version < KEN_OFP13) goto unknown;
        if (NUM("experimenter") == 0x2320 && strncmp(cls, "NX", 2) == 0) {
            enum ofctl_status st = nx_action_to_str(version, cls, a, b, why);
            if (st) return st;
            break;
        }
        ok = sb_add(b, "EXPERIMENTER: {experimenter:") && sb_json(b, ofctl_member(a, "experimenter"), false) &&
             sb_add(b, ", data:") && sb_json(b, ofctl_member(a, "data"), false) && sb_add(b, "}");
        break;
    default:
    unknown:
        ok = sb_add(b, "UNKNOWN");
        break;
    }
#undef NUM
    return ok ? OFCTL_OK : WHY("an action of the reply is too long to print");
}

static enum ofctl_status nx_action_to_str(uint8_t version, const char *cls, struct json_object *a, struct sbuf *b,
                                          char why[KEN_WHY_LEN])
{
    uint64_t sub = 0, v1 = 0, v2 = 0, n = 0;
    bool ok;
    member_u64(a, "subtype", &sub);
    if (strcmp(cls, "NXActionUnknown") == 0) {
        ok = sb_fmt(b, "NX_UNKNOWN: {subtype: %llu, data: ", (unsigned long long)sub) &&
             sb_json(b, ofctl_member(a, "data"), false) && sb_add(b, "}");
    } else if (sub == 6) { /* NXAST_REG_MOVE */
        member_u64(a, "src_ofs", &v1);
        member_u64(a, "dst_ofs", &v2);
        member_u64(a, "n_bits", &n);
        ok = sb_add(b, "NX_MOVE: {") && sb_json(b, ofctl_member(a, "dst_field"), false) &&
             sb_fmt(b, "[%llu..%llu]: ", (unsigned long long)v2, (unsigned long long)(v2 + n)) &&
             sb_json(b, ofctl_member(a, "src_field"), false) &&
             sb_fmt(b, "[%llu..%llu]}", (unsigned long long)v1, (unsigned long long)(v1 + n));
    } else if (sub == 7) { /* NXAST_REG_LOAD: ofs_nbits as [start..end], the value in hex */
        uint64_t on = 0, val;
        member_u64(a, "ofs_nbits", &on);
        if (!member_u64(a, "value", &val)) goto no_text;
        ok = sb_add(b, "NX_LOAD: {") && sb_json(b, ofctl_member(a, "dst"), false) &&
             sb_fmt(b, "[%llu..%llu]: %llx}", (unsigned long long)(on >> 6),
                    (unsigned long long)((on & 63) + (on >> 6)), (unsigned long long)val);
    } else if (sub == 34) { /* NXAST_CONJUNCTION */
        ok = sb_add(b, "NX_CONJUNCTION: {clause: ") && sb_json(b, ofctl_member(a, "clause"), false) &&
             sb_add(b, ", number_of_clauses: ") && sb_json(b, ofctl_member(a, "n_clauses"), false) &&
             sb_add(b, ", id: ") && sb_json(b, ofctl_member(a, "id"), false) && sb_add(b, "}");
    } else if (sub == 35) { /* NXAST_CT: the nested actions as a Python list of their texts */
        struct json_object *acts = ofctl_member(a, "actions");
        size_t na = json_object_is_type(acts, json_type_array) ? json_object_array_length(acts) : 0;
        uint64_t zo = 0;
        member_u64(a, "zone_ofs_nbits", &zo);
        ok = sb_add(b, "NX_CT: {flags: ") && sb_json(b, ofctl_member(a, "flags"), false) && sb_add(b, ", zone: ") &&
             sb_json(b, ofctl_member(a, "zone_src"), false);
        if (ok && zo) ok = sb_fmt(b, "[%llu..%llu]", (unsigned long long)zo, (unsigned long long)(zo + 16));
        ok = ok && sb_add(b, ", table: ") && sb_json(b, ofctl_member(a, "recirc_table"), false) && sb_add(b, ", alg: ") &&
             sb_json(b, ofctl_member(a, "alg"), false) && sb_add(b, ", actions: [");
        for (size_t i = 0; ok && i < na; i++) {
            struct sbuf inner = {0};
            enum ofctl_status st = action_text(version, json_object_array_get_idx(acts, i), &inner, why);
            struct json_object *s;
            if (st) {
                free(inner.p);
                return st;
            }
            s = json_object_new_string(inner.p ? inner.p : "");
            free(inner.p);
            ok = (i == 0 || sb_add(b, ", ")) && sb_json(b, s, true);
            json_object_put(s);
        }
        ok = ok && sb_add(b, "]}");
    } else if (sub == 36) { /* NXAST_NAT */
        static const char *const keys[] = {"range_ipv4_min", "range_ipv4_max", "range_ipv6_min",
                                           "range_ipv6_max", "range_proto_min", "range_proto_max"};
        ok = sb_add(b, "NX_NAT: {flags: ") && sb_json(b, ofctl_member(a, "flags"), false);
        for (size_t i = 0; ok && i < 6; i++)
            ok = sb_fmt(b, ", %s: ", keys[i]) && sb_json(b, ofctl_member(a, keys[i]), false);
        ok = ok && sb_add(b, "}");
    } else {
        goto no_text;
    }
    return ok ? OFCTL_OK : WHY("an action of the reply is too long to print");
no_text:
    /* Ryu has no text for it and then reads act.data, which the class lacks */
    snprintf(why, KEN_WHY_LEN, "Ryu's ofctl has no text for the Nicira action %s", cls);
    (void)version;
    return OFCTL_UNSUPPORTED;
}

enum ofctl_status ofctl_legacy_action_to_str(uint8_t version, struct json_object *action, struct json_object **out,
                                             char why[KEN_WHY_LEN])
{
    struct sbuf b = {0};
    enum ofctl_status st = action_text(version, action, &b, why);
    if (st) {
        free(b.p);
        return st;
    }
    *out = json_object_new_string(b.p ? b.p : "");
    free(b.p);
    return OFCTL_OK;
}

static enum ofctl_status action_list_to_str(uint8_t version, struct json_object *acts, struct json_object *into,
                                            char why[KEN_WHY_LEN])
{
    size_t n = json_object_is_type(acts, json_type_array) ? json_object_array_length(acts) : 0;
    for (size_t i = 0; i < n; i++) {
        struct json_object *s;
        enum ofctl_status st = ofctl_legacy_action_to_str(version, json_object_array_get_idx(acts, i), &s, why);
        if (st) return st;
        json_object_array_add(into, s);
    }
    return OFCTL_OK;
}

enum ofctl_status ofctl_legacy_instructions_to_str(uint8_t version, struct json_object *instructions,
                                                   struct json_object **out, char why[KEN_WHY_LEN])
{
    struct json_object *res = json_object_new_array();
    size_t n = json_object_is_type(instructions, json_type_array) ? json_object_array_length(instructions) : 0;
    enum ofctl_status st = OFCTL_OK;
    for (size_t i = 0; i < n && !st; i++) {
        const char *cls;
        struct json_object *in = split_msg(json_object_array_get_idx(instructions, i), &cls);
        uint64_t type = 0, v;
        char s[96];
        if (!in) {
            st = WHY("the reply holds an instruction that is not an object");
            break;
        }
        member_u64(in, "type", &type);
        if (strcmp(cls, "OFPInstructionActions") == 0) {
            if (type == 4) {
                st = action_list_to_str(version, ofctl_member(in, "actions"), res, why);
            } else if (type == 3) {
                struct json_object *w = json_object_new_array();
                st = action_list_to_str(version, ofctl_member(in, "actions"), w, why);
                if (!st && json_object_array_length(w)) {
                    struct json_object *o = json_object_new_object();
                    json_object_object_add(o, "WRITE_ACTIONS", w);
                    json_object_array_add(res, o);
                } else {
                    json_object_put(w);
                }
            } else if (type == 5) {
                json_object_array_add(res, json_object_new_string("CLEAR_ACTIONS"));
            } else {
                json_object_array_add(res, json_object_new_string("UNKNOWN"));
            }
        } else if (strcmp(cls, "OFPInstructionGotoTable") == 0 ||
                   (version >= KEN_OFP13 && strcmp(cls, "OFPInstructionMeter") == 0)) {
            bool gt = cls[14] == 'G';
            struct json_object *u = ofctl_to_user(version, gt ? OFCTL_NAMES_TABLE : OFCTL_NAMES_METER,
                                                  ofctl_member(in, gt ? "table_id" : "meter_id"));
            char t[48];
            if (!pystr_inner(u, t, sizeof t, false)) t[0] = 0;
            json_object_put(u);
            snprintf(s, sizeof s, "%s:%s", gt ? "GOTO_TABLE" : "METER", t);
            json_object_array_add(res, json_object_new_string(s));
        } else if (strcmp(cls, "OFPInstructionWriteMetadata") == 0) {
            uint64_t md = 0, mask = 0;
            member_u64(in, "metadata", &md);
            member_u64(in, "metadata_mask", &mask);
            if (mask) snprintf(s, sizeof s, "WRITE_METADATA:0x%llx/0x%llx", (unsigned long long)md, (unsigned long long)mask);
            else snprintf(s, sizeof s, "WRITE_METADATA:0x%llx", (unsigned long long)md);
            json_object_array_add(res, json_object_new_string(s));
        }
        (void)v;
        /* other instructions: Ryu leaves them out */
    }
    if (st) {
        json_object_put(res);
        return st;
    }
    *out = res;
    return OFCTL_OK;
}

static struct json_object *instruction_actions(uint64_t type, struct json_object *actions)
{
    struct json_object *o = json_object_new_object();
    json_object_object_add(o, "type", ofctl_uint_json(type));
    json_object_object_add(o, "actions", actions);
    return ofctl_msg_new("OFPInstructionActions", o);
}

enum ofctl_status ofctl_legacy_to_instructions(uint8_t version, struct json_object *acts, struct json_object **out,
                                               char why[KEN_WHY_LEN])
{
    struct json_object *inst = json_object_new_array(), *apply = json_object_new_array();
    enum ofctl_status st;
    size_t n = 0;
    bool found;

    if (acts && (st = ofctl_iter_list(acts, "actions", &n, why))) goto fail;
    for (size_t i = 0; i < n; i++) {
        struct json_object *a = json_object_array_get_idx(acts, i), *act, *tj;
        const char *type;
        uint64_t v, m;
        if ((st = ofctl_to_action(version, a, &act, why))) goto fail;
        if (act) {
            json_object_array_add(apply, act);
            continue;
        }
        tj = ofctl_get(a, "type", &found);
        type = json_object_is_type(tj, json_type_string) ? json_object_get_string(tj) : "";
        if (strcmp(type, "WRITE_ACTIONS") == 0) {
            struct json_object *wa = ofctl_get(a, "actions", &found), *w;
            size_t wn;
            if (!wa) {
                st = WHY("WRITE_ACTIONS needs a list of actions");
                goto fail;
            }
            if ((st = ofctl_iter_list(wa, "WRITE_ACTIONS actions", &wn, why))) goto fail;
            w = json_object_new_array();
            for (size_t k = 0; k < wn; k++) {
                if ((st = ofctl_to_action(version, json_object_array_get_idx(wa, k), &act, why))) {
                    json_object_put(w);
                    goto fail;
                }
                if (act) json_object_array_add(w, act);
            }
            if (json_object_array_length(w)) json_object_array_add(inst, instruction_actions(3, w));
            else json_object_put(w);
        } else if (strcmp(type, "CLEAR_ACTIONS") == 0) {
            json_object_array_add(inst, instruction_actions(5, json_object_new_array()));
        } else if (strcmp(type, "GOTO_TABLE") == 0) {
            struct json_object *o;
            if ((st = ofctl_from_user(version, OFCTL_NAMES_TABLE, ofctl_get(a, "table_id", &found), 0xff,
                                      "table_id", &v, why)))
                goto fail;
            o = json_object_new_object();
            json_object_object_add(o, "table_id", ofctl_uint_json(v));
            json_object_array_add(inst, ofctl_msg_new("OFPInstructionGotoTable", o));
        } else if (strcmp(type, "WRITE_METADATA") == 0) {
            struct json_object *o;
            if ((st = ofctl_to_uint(ofctl_get(a, "metadata", &found), UINT64_MAX, "metadata", &v, why))) goto fail;
            if ((st = ofctl_get_uint(a, "metadata_mask", UINT64_MAX, UINT64_MAX, &m, why))) goto fail;
            o = json_object_new_object();
            json_object_object_add(o, "metadata", ofctl_uint_json(v));
            json_object_object_add(o, "metadata_mask", ofctl_uint_json(m));
            json_object_array_add(inst, ofctl_msg_new("OFPInstructionWriteMetadata", o));
        } else if (version >= KEN_OFP13 && strcmp(type, "METER") == 0) {
            struct json_object *o;
            if ((st = ofctl_from_user(version, OFCTL_NAMES_METER, ofctl_get(a, "meter_id", &found), 0xffffffff,
                                      "meter_id", &v, why)))
                goto fail;
            o = json_object_new_object();
            json_object_object_add(o, "meter_id", ofctl_uint_json(v));
            json_object_array_add(inst, ofctl_msg_new("OFPInstructionMeter", o));
        }
        /* anything else: Ryu logs it and goes on */
    }
    if (json_object_array_length(apply)) json_object_array_add(inst, instruction_actions(4, apply));
    else json_object_put(apply);
    *out = inst;
    return OFCTL_OK;
fail:
    json_object_put(inst);
    json_object_put(apply);
    return st;
}

/* ---- requests and answers 1.2 and 1.3 share ---------------------------- */

bool ofctl_copy_keys(struct json_object *dst, struct json_object *src, const char *const *keys)
{
    for (; keys && *keys; keys++) {
        struct json_object *v, *c = NULL;
        if (!json_object_object_get_ex(src, *keys, &v)) return false;
        if (v && json_object_deep_copy(v, &c, NULL) != 0) return false;
        json_object_object_add(dst, *keys, c);
    }
    return true;
}

enum ofctl_status ofctl_each_stat(struct json_object *const *replies, size_t n,
                                  enum ofctl_status (*fn)(struct json_object *stat, void *arg, char why[KEN_WHY_LEN]),
                                  void *arg, char why[KEN_WHY_LEN])
{
    for (size_t i = 0; i < n; i++) {
        struct json_object *msg = ofctl_msg_body(replies[i], NULL), *body;
        const char *cls;
        if (!msg || !json_object_object_get_ex(msg, "body", &body)) return WHY("a reply part has no body");
        if (json_object_is_type(body, json_type_array)) {
            size_t m = json_object_array_length(body);
            for (size_t k = 0; k < m; k++) {
                struct json_object *stat = split_msg(json_object_array_get_idx(body, k), &cls);
                enum ofctl_status st;
                if (!stat) return WHY("a reply part's body holds no stats object");
                if ((st = fn(stat, arg, why))) return st;
            }
        } else {
            struct json_object *stat = split_msg(body, &cls);
            enum ofctl_status st;
            if (!stat) return WHY("a reply part's body holds no stats object");
            if ((st = fn(stat, arg, why))) return st;
        }
    }
    return OFCTL_OK;
}

uint64_t ofctl_member_u(struct json_object *o, const char *k)
{
    uint64_t v = 0;
    member_u64(o, k, &v);
    return v;
}

struct json_object *ofctl_legacy_stats_request(const char *cls, const char *k1, uint64_t v1, const char *k2,
                                               uint64_t v2)
{
    struct json_object *o = json_object_new_object();
    json_object_object_add(o, "flags", json_object_new_int64(0));
    if (k1) json_object_object_add(o, k1, ofctl_uint_json(v1));
    if (k2) json_object_object_add(o, k2, ofctl_uint_json(v2));
    return ofctl_msg_new(cls, o);
}

enum ofctl_status ofctl_path_int(const char *s, uint64_t dflt, uint64_t max, const char *what, uint64_t *out,
                                 char why[KEN_WHY_LEN])
{
    struct ofctl_int n;
    if (!s) {
        *out = dflt;
        return OFCTL_OK;
    }
    if (!ofctl_parse_int_text(s, strlen(s), &n)) {
        snprintf(why, KEN_WHY_LEN, "%s: invalid literal for int() with base 0: '%.60s'", what, s);
        return OFCTL_BAD_REQUEST;
    }
    if (n.big || (n.neg && n.mag) || n.mag > max) {
        snprintf(why, KEN_WHY_LEN, "%s out of range: must be within 0..%llu", what, (unsigned long long)max);
        return OFCTL_BAD_REQUEST;
    }
    *out = n.mag;
    return OFCTL_OK;
}

enum ofctl_status ofctl_legacy_build(uint8_t version, const struct ofctl_args *args,
                                     enum ofctl_status (*own)(const struct ofctl_args *args, struct json_object **msg,
                                                              char why[KEN_WHY_LEN]),
                                     struct json_object **msgs, size_t max, size_t *n, char why[KEN_WHY_LEN])
{
    enum ofctl_status st = OFCTL_OK;
    struct json_object *m = NULL;
    uint64_t a, b;
    struct ofctl_int prio;

    *n = 0;
    if (max < 1) {
        snprintf(why, KEN_WHY_LEN, "no room for the request");
        return OFCTL_BAD_REQUEST;
    }
    switch (args->kind) {
    case OFCTL_DESC: m = ofctl_legacy_stats_request("OFPDescStatsRequest", NULL, 0, NULL, 0); break;
    case OFCTL_FLOW:
        st = ofctl_legacy_flow_request(version, "OFPFlowStatsRequest", args->body, &m, &prio, why);
        break;
    case OFCTL_AGGREGATE_FLOW:
        st = ofctl_legacy_flow_request(version, "OFPAggregateStatsRequest", args->body, &m, &prio, why);
        break;
    case OFCTL_TABLE: m = ofctl_legacy_stats_request("OFPTableStatsRequest", NULL, 0, NULL, 0); break;
    case OFCTL_PORT:
        if (!(st = ofctl_path_int(args->port, 0xffffffff, 0xffffffff, "port", &a, why)))
            m = ofctl_legacy_stats_request("OFPPortStatsRequest", "port_no", a, NULL, 0);
        break;
    case OFCTL_QUEUE:
        if (!(st = ofctl_path_int(args->port, 0xffffffff, 0xffffffff, "port", &a, why)) &&
            !(st = ofctl_path_int(args->queue, 0xffffffff, 0xffffffff, "queue_id", &b, why)))
            m = ofctl_legacy_stats_request("OFPQueueStatsRequest", "port_no", a, "queue_id", b);
        break;
    case OFCTL_QUEUE_CONFIG:
        /* Ryu: ofp_port_from_user(str_to_int(port)): a number only */
        if (!(st = ofctl_path_int(args->port, 0xffffffff, 0xffffffff, "port", &a, why))) {
            struct json_object *o = json_object_new_object();
            json_object_object_add(o, "port", ofctl_uint_json(a));
            m = ofctl_msg_new("OFPQueueGetConfigRequest", o);
        }
        break;
    case OFCTL_GROUP_FEATURES:
        m = ofctl_legacy_stats_request("OFPGroupFeaturesStatsRequest", NULL, 0, NULL, 0);
        break;
    case OFCTL_GROUP_DESC: m = ofctl_legacy_stats_request("OFPGroupDescStatsRequest", NULL, 0, NULL, 0); break;
    case OFCTL_GROUP:
        if (!(st = ofctl_path_int(args->group_id, 0xfffffffc, 0xffffffff, "group_id", &a, why)))
            m = ofctl_legacy_stats_request("OFPGroupStatsRequest", "group_id", a, NULL, 0);
        break;
    case OFCTL_ROLE: m = ofctl_role_request(); break;
    case OFCTL_FLOW_MOD: st = ofctl_legacy_flow_mod(version, args->body, args->command, &m, why); break;
    case OFCTL_GROUP_MOD: st = ofctl_legacy_group_mod(version, args->body, args->command, &m, why); break;
    case OFCTL_PORT_MOD: st = ofctl_legacy_port_mod(version, args->body, args->port_defaults, &m, why); break;
    case OFCTL_EXPERIMENTER: st = ofctl_experimenter(args->body, &m, why); break;
    case OFCTL_SET_ROLE: st = ofctl_set_role(version, args->body, &m, why); break;
    default: st = own(args, &m, why); break;
    }
    if (st) return st;
    if (m) msgs[(*n)++] = m;
    return OFCTL_OK;
}

enum ofctl_status ofctl_plain_stat(struct json_object *stat, void *arg, char why[KEN_WHY_LEN])
{
    struct ofctl_collect *c = arg;
    struct json_object *s = json_object_new_object(), *v;
    if (!ofctl_copy_keys(s, stat, c->keys)) {
        json_object_put(s);
        snprintf(why, KEN_WHY_LEN, "a stats entry of the reply lacks a field");
        return OFCTL_BAD_REQUEST;
    }
    if (c->named_key) {
        if (!json_object_object_get_ex(stat, c->named_key, &v)) {
            json_object_put(s);
            snprintf(why, KEN_WHY_LEN, "a stats entry of the reply has no %s", c->named_key);
            return OFCTL_BAD_REQUEST;
        }
        json_object_object_add(s, c->named_key, ofctl_to_user(c->version, c->names, v));
    }
    json_object_array_add(c->list, s);
    return OFCTL_OK;
}

enum ofctl_status ofctl_collect(uint8_t version, struct json_object *const *replies, size_t n,
                                const char *const *keys, const char *named_key, enum ofctl_names names,
                                enum ofctl_status (*fn)(struct json_object *, void *, char *), struct json_object **out,
                                char why[KEN_WHY_LEN])
{
    struct ofctl_collect c = {version, json_object_new_array(), keys, named_key, names};
    enum ofctl_status st = ofctl_each_stat(replies, n, fn ? fn : ofctl_plain_stat, &c, why);
    if (st) {
        json_object_put(c.list);
        return st;
    }
    *out = c.list;
    return OFCTL_OK;
}

enum ofctl_status ofctl_nested_stat(struct json_object *stat, struct ofctl_collect *c, const char *in_key,
                                    const char *out_key, const char *const *inner_keys, const char *lacks,
                                    char why[KEN_WHY_LEN])
{
    struct json_object *in = ofctl_member(stat, in_key), *l = json_object_new_array(), *s;
    size_t ni = json_object_is_type(in, json_type_array) ? json_object_array_length(in) : 0;
    enum ofctl_status st;
    for (size_t i = 0; i < ni; i++) {
        struct json_object *e = ofctl_msg_body(json_object_array_get_idx(in, i), NULL), *o = json_object_new_object();
        if (!e || !ofctl_copy_keys(o, e, inner_keys)) {
            json_object_put(o);
            json_object_put(l);
            snprintf(why, KEN_WHY_LEN, "%s", lacks);
            return OFCTL_BAD_REQUEST;
        }
        json_object_array_add(l, o);
    }
    if ((st = ofctl_plain_stat(stat, c, why))) {
        json_object_put(l);
        return st;
    }
    s = json_object_array_get_idx(c->list, json_object_array_length(c->list) - 1);
    json_object_object_add(s, out_key, l);
    return OFCTL_OK;
}

/* OS-Ken turns a description's bytes into text as ASCII: any other byte
 * is a UnicodeDecodeError, Ryu's ValueError. */
static bool ascii_text(struct json_object *v)
{
    const unsigned char *p = (const unsigned char *)json_object_get_string(v);
    for (int i = 0, n = json_object_get_string_len(v); i < n; i++)
        if (p[i] >= 0x80) return false;
    return true;
}

enum ofctl_status ofctl_legacy_desc_answer(struct json_object *const *replies, size_t n, struct json_object **out,
                                           char why[KEN_WHY_LEN])
{
    struct json_object *s = NULL;
    for (size_t i = 0; i < n; i++) {
        struct json_object *msg = ofctl_msg_body(replies[i], NULL), *d;
        if (!msg || !(d = ofctl_msg_body(ofctl_member(msg, "body"), NULL))) {
            json_object_put(s);
            snprintf(why, KEN_WHY_LEN, "a desc reply has no description");
            return OFCTL_BAD_REQUEST;
        }
        json_object_put(s);
        s = NULL;
        json_object_object_foreach(d, k, v)
        {
            if (json_object_is_type(v, json_type_string) && !ascii_text(v)) {
                snprintf(why, KEN_WHY_LEN, "the reply's %s is not ASCII", k);
                return OFCTL_BAD_REQUEST;
            }
        }
        json_object_deep_copy(d, &s, NULL);
    }
    *out = s ? s : json_object_new_object();
    return OFCTL_OK;
}

bool ofctl_py_truthy(struct json_object *v)
{
    switch (json_object_get_type(v)) {
    case json_type_null: return false;
    case json_type_boolean: return json_object_get_boolean(v);
    case json_type_int: return json_object_get_int64(v) != 0 || json_object_get_uint64(v) != 0;
    case json_type_double: return json_object_get_double(v) != 0;
    case json_type_string: return json_object_get_string_len(v) != 0;
    case json_type_array: return json_object_array_length(v) != 0;
    case json_type_object: return json_object_object_length(v) != 0;
    }
    return false;
}

/* flow.get('match', {}) handed to to_match: a match that is there but no
 * object is Ryu's AttributeError. */
static enum ofctl_status match_of(uint8_t version, struct json_object *body, struct json_object **match,
                                  char why[KEN_WHY_LEN])
{
    bool found;
    struct json_object *m = ofctl_get(body, "match", &found);
    if (found && !json_object_is_type(m, json_type_object)) {
        snprintf(why, KEN_WHY_LEN, "match must be an object");
        return OFCTL_UNSUPPORTED;
    }
    return ofctl_to_match(version, m, match, why);
}

static enum ofctl_status ofctl_legacy_flow_request_inner(uint8_t version, const char *cls, struct json_object *body,
                                            struct json_object **msg, struct ofctl_int *priority,
                                            char why[KEN_WHY_LEN])
{
    enum ofctl_status st;
    uint64_t table_id, flags = 0, out_port, out_group, cookie, cookie_mask;
    struct json_object *match, *o, *pj;
    bool found;

    if (!ofctl_py_truthy(body)) body = NULL; /* Python's truth of a body: a false one is "no filter" */
    if (body && !json_object_is_type(body, json_type_object)) {
        snprintf(why, KEN_WHY_LEN, "the flow filter must be an object");
        return OFCTL_UNSUPPORTED; /* Ryu: flow.get -> AttributeError */
    }
    if ((st = ofctl_get_from_user(version, OFCTL_NAMES_TABLE, body, "table_id", 0xff, 0xff, &table_id, why)))
        return st;
    if (version >= KEN_OFP13 && (st = ofctl_get_uint(body, "flags", 0, 0xffff, &flags, why))) return st;
    if ((st = ofctl_get_from_user(version, OFCTL_NAMES_PORT, body, "out_port", 0xffffffff, 0xffffffff, &out_port,
                                  why)))
        return st;
    if ((st = ofctl_get_from_user(version, OFCTL_NAMES_GROUP, body, "out_group", 0xffffffff, 0xffffffff,
                                  &out_group, why)))
        return st;
    if ((st = ofctl_get_uint(body, "cookie", 0, UINT64_MAX, &cookie, why))) return st;
    if ((st = ofctl_get_uint(body, "cookie_mask", 0, UINT64_MAX, &cookie_mask, why))) return st;
    if ((st = match_of(version, body, &match, why))) return st;
    priority->neg = true, priority->mag = 1, priority->big = false;
    /* only get_flow_stats reads the priority filter */
    pj = strcmp(cls, "OFPFlowStatsRequest") == 0 ? ofctl_get(body, "priority", &found) : (found = false, NULL);
    if (found && !ofctl_parse_int(pj, priority)) {
        json_object_put(match);
        return WHY("priority: invalid literal for int() with base 0");
    }
    o = json_object_new_object();
    json_object_object_add(o, "flags", ofctl_uint_json(flags));
    json_object_object_add(o, "table_id", ofctl_uint_json(table_id));
    json_object_object_add(o, "out_port", ofctl_uint_json(out_port));
    json_object_object_add(o, "out_group", ofctl_uint_json(out_group));
    json_object_object_add(o, "cookie", ofctl_uint_json(cookie));
    json_object_object_add(o, "cookie_mask", ofctl_uint_json(cookie_mask));
    json_object_object_add(o, "match", match);
    *msg = ofctl_msg_new(cls, o);
    return OFCTL_OK;
}

enum ofctl_status ofctl_legacy_flow_request(uint8_t version, const char *cls, struct json_object *body,
                                            struct json_object **msg, struct ofctl_int *priority,
                                            char why[KEN_WHY_LEN])
{
    *msg = NULL;
    ofctl_defer_begin();
    return ofctl_defer_end_msg(ofctl_legacy_flow_request_inner(version, cls, body, msg, priority, why), msg, why);
}

struct flow_answer {
    uint8_t version;
    struct ofctl_int priority;
    struct json_object *list;
};

static enum ofctl_status flow_stat(struct json_object *stat, void *arg, char why[KEN_WHY_LEN])
{
    static const char *const keys12[] = {"priority", "cookie", "idle_timeout", "hard_timeout", "byte_count",
                                         "duration_sec", "duration_nsec", "packet_count", "length", NULL};
    struct flow_answer *fa = arg;
    struct json_object *s, *acts, *match;
    uint64_t prio;
    enum ofctl_status st;
    if (!member_u64(stat, "priority", &prio)) return WHY("a flow entry of the reply has no priority");
    /* Ryu's own filter: a priority of 0 or more keeps only that priority */
    if (!fa->priority.neg && (fa->priority.big || fa->priority.mag != prio)) return OFCTL_OK;
    s = json_object_new_object();
    if (!ofctl_copy_keys(s, stat, keys12) ||
        (fa->version >= KEN_OFP13 && !ofctl_copy_keys(s, stat, (const char *const[]){"flags", NULL}))) {
        json_object_put(s);
        return WHY("a flow entry of the reply lacks a field");
    }
    if ((st = ofctl_legacy_instructions_to_str(fa->version, ofctl_member(stat, "instructions"), &acts, why))) {
        json_object_put(s);
        return st;
    }
    json_object_object_add(s, "actions", acts);
    if ((st = ofctl_match_to_str(fa->version, ofctl_member(stat, "match"), &match, why))) {
        json_object_put(s);
        return st;
    }
    json_object_object_add(s, "match", match);
    json_object_object_add(s, "table_id", ofctl_to_user(fa->version, OFCTL_NAMES_TABLE, ofctl_member(stat, "table_id")));
    json_object_array_add(fa->list, s);
    return OFCTL_OK;
}

enum ofctl_status ofctl_legacy_flow_answer(uint8_t version, struct json_object *body,
                                           struct json_object *const *replies, size_t n, struct json_object **out,
                                           char why[KEN_WHY_LEN])
{
    struct flow_answer fa = {version, {1, true, false}, NULL};
    struct json_object *req = NULL;
    enum ofctl_status st = ofctl_legacy_flow_request(version, "OFPFlowStatsRequest", body, &req, &fa.priority, why);
    if (st) return st;
    json_object_put(req);
    fa.list = json_object_new_array();
    if ((st = ofctl_each_stat(replies, n, flow_stat, &fa, why))) {
        json_object_put(fa.list);
        return st;
    }
    *out = fa.list;
    return OFCTL_OK;
}

static enum ofctl_status write_body(struct json_object **body, char why[KEN_WHY_LEN])
{
    /* Ryu's module calls body.get: AttributeError (501) on anything else */
    if (*body && !json_object_is_type(*body, json_type_object)) {
        snprintf(why, KEN_WHY_LEN, "the body must be an object");
        return OFCTL_UNSUPPORTED;
    }
    return OFCTL_OK;
}

static enum ofctl_status ofctl_legacy_flow_mod_inner(uint8_t version, struct json_object *body, int command,
                                        struct json_object **msg, char why[KEN_WHY_LEN])
{
    enum ofctl_status st;
    uint64_t cookie, cookie_mask, table_id, idle, hard, prio, buffer_id = 0xffffffff, out_port, out_group, flags;
    struct json_object *match, *inst, *o, *bj;
    bool found;
    if ((st = write_body(&body, why))) return st;
    if ((st = ofctl_get_uint(body, "cookie", 0, UINT64_MAX, &cookie, why))) return st;
    if ((st = ofctl_get_uint(body, "cookie_mask", 0, UINT64_MAX, &cookie_mask, why))) return st;
    if ((st = ofctl_get_from_user(version, OFCTL_NAMES_TABLE, body, "table_id", 0, 0xff, &table_id, why))) return st;
    if ((st = ofctl_get_uint(body, "idle_timeout", 0, 0xffff, &idle, why))) return st;
    if ((st = ofctl_get_uint(body, "hard_timeout", 0, 0xffff, &hard, why))) return st;
    if ((st = ofctl_get_uint(body, "priority", 0, 0xffff, &prio, why))) return st;
    bj = ofctl_get(body, "buffer_id", &found);
    if (found && (st = ofctl_buffer_from_user(bj, &buffer_id, why))) return st;
    if ((st = ofctl_get_from_user(version, OFCTL_NAMES_PORT, body, "out_port", 0xffffffff, 0xffffffff, &out_port,
                                  why)))
        return st;
    if ((st = ofctl_get_from_user(version, OFCTL_NAMES_GROUP, body, "out_group", 0xffffffff, 0xffffffff,
                                  &out_group, why)))
        return st;
    if ((st = ofctl_get_uint(body, "flags", 0, 0xffff, &flags, why))) return st;
    if ((st = match_of(version, body, &match, why))) return st;
    bj = ofctl_get(body, "actions", &found);
    if (found && !bj) {
        json_object_put(match);
        return WHY("actions must be a list, not null");
    }
    if ((st = ofctl_legacy_to_instructions(version, bj, &inst, why))) {
        json_object_put(match);
        return st;
    }
    o = json_object_new_object();
    json_object_object_add(o, "cookie", ofctl_uint_json(cookie));
    json_object_object_add(o, "cookie_mask", ofctl_uint_json(cookie_mask));
    json_object_object_add(o, "table_id", ofctl_uint_json(table_id));
    json_object_object_add(o, "command", ofctl_uint_json((uint64_t)command));
    json_object_object_add(o, "idle_timeout", ofctl_uint_json(idle));
    json_object_object_add(o, "hard_timeout", ofctl_uint_json(hard));
    json_object_object_add(o, "priority", ofctl_uint_json(prio));
    json_object_object_add(o, "buffer_id", ofctl_uint_json(buffer_id));
    json_object_object_add(o, "out_port", ofctl_uint_json(out_port));
    json_object_object_add(o, "out_group", ofctl_uint_json(out_group));
    json_object_object_add(o, "flags", ofctl_uint_json(flags));
    json_object_object_add(o, "match", match);
    json_object_object_add(o, "instructions", inst);
    *msg = ofctl_msg_new("OFPFlowMod", o);
    return OFCTL_OK;
}

enum ofctl_status ofctl_legacy_flow_mod(uint8_t version, struct json_object *body, int command,
                                        struct json_object **msg, char why[KEN_WHY_LEN])
{
    *msg = NULL;
    ofctl_defer_begin();
    return ofctl_defer_end_msg(ofctl_legacy_flow_mod_inner(version, body, command, msg, why), msg, why);
}

static bool hashable(struct json_object *v)
{
    return !json_object_is_type(v, json_type_array) && !json_object_is_type(v, json_type_object);
}

static enum ofctl_status ofctl_legacy_group_mod_inner(uint8_t version, struct json_object *body, int command,
                                         struct json_object **msg, char why[KEN_WHY_LEN])
{
    static const char *const types[] = {"ALL", "SELECT", "INDIRECT", "FF"};
    enum ofctl_status st;
    struct json_object *tj, *bl, *buckets, *o;
    bool found;
    int type = -1;
    uint64_t group_id;
    size_t nb = 0;

    if ((st = write_body(&body, why))) return st;
    tj = ofctl_get(body, "type", &found);
    if (!found) type = 0;
    else if (!hashable(tj)) return WHY("group type must be a name");
    else if (json_object_is_type(tj, json_type_string))
        for (int i = 0; i < 4; i++)
            if (strcmp(json_object_get_string(tj), types[i]) == 0) type = i;
    if ((st = ofctl_get_from_user(version, OFCTL_NAMES_GROUP, body, "group_id", 0, 0xffffffff, &group_id, why)))
        return st;
    bl = ofctl_get(body, "buckets", &found);
    if (found && (st = ofctl_iter_list(bl, "buckets", &nb, why))) return st;
    buckets = json_object_new_array();
    for (size_t i = 0; i < nb; i++) {
        struct json_object *b = json_object_array_get_idx(bl, i), *al, *acts, *bo;
        uint64_t weight, wp, wg;
        size_t na = 0;
        if (!json_object_is_type(b, json_type_object)) {
            json_object_put(buckets);
            snprintf(why, KEN_WHY_LEN, "a bucket must be an object");
            return OFCTL_UNSUPPORTED;
        }
        if ((st = ofctl_get_uint(b, "weight", 0, 0xffff, &weight, why)) ||
            (st = ofctl_get_uint(b, "watch_port", 0xffffffff, 0xffffffff, &wp, why)) ||
            (st = ofctl_get_uint(b, "watch_group", 0xffffffff, 0xffffffff, &wg, why))) {
            json_object_put(buckets);
            return st;
        }
        al = ofctl_get(b, "actions", &found);
        if (found && (st = ofctl_iter_list(al, "bucket actions", &na, why))) {
            json_object_put(buckets);
            return st;
        }
        acts = json_object_new_array();
        for (size_t k = 0; k < na; k++) {
            struct json_object *a;
            if ((st = ofctl_to_action(version, json_object_array_get_idx(al, k), &a, why))) {
                json_object_put(acts);
                json_object_put(buckets);
                return st;
            }
            if (a) json_object_array_add(acts, a);
        }
        bo = json_object_new_object();
        json_object_object_add(bo, "weight", ofctl_uint_json(weight));
        json_object_object_add(bo, "watch_port", ofctl_uint_json(wp));
        json_object_object_add(bo, "watch_group", ofctl_uint_json(wg));
        json_object_object_add(bo, "actions", acts);
        json_object_array_add(buckets, ofctl_msg_new("OFPBucket", bo));
    }
    if (type < 0) {
        /* Ryu logs it and fails when the message is packed */
        snprintf(why, KEN_WHY_LEN, "unknown group type (ALL, SELECT, INDIRECT or FF)");
        if (!defer(why)) {
            json_object_put(buckets);
            return OFCTL_BAD_REQUEST;
        }
        type = 0;
    }
    o = json_object_new_object();
    json_object_object_add(o, "command", ofctl_uint_json((uint64_t)command));
    json_object_object_add(o, "type", ofctl_uint_json((uint64_t)type));
    json_object_object_add(o, "group_id", ofctl_uint_json(group_id));
    json_object_object_add(o, "buckets", buckets);
    *msg = ofctl_msg_new("OFPGroupMod", o);
    return OFCTL_OK;
}

enum ofctl_status ofctl_legacy_group_mod(uint8_t version, struct json_object *body, int command,
                                         struct json_object **msg, char why[KEN_WHY_LEN])
{
    *msg = NULL;
    ofctl_defer_begin();
    return ofctl_defer_end_msg(ofctl_legacy_group_mod_inner(version, body, command, msg, why), msg, why);
}

static enum ofctl_status ofctl_legacy_port_mod_inner(uint8_t version, struct json_object *body,
                                        const struct ken_ofp_port_defaults *defaults, struct json_object **msg,
                                        char why[KEN_WHY_LEN])
{
    enum ofctl_status st;
    uint64_t port_no, config, mask, advertise;
    struct json_object *hw, *adv, *o;
    bool found;
    uint8_t mac[6];
    char text[64];

    if ((st = write_body(&body, why))) return st;
    /* ofctl_rest reads port_no first, as int(str(port_no), 0): no name */
    {
        struct ofctl_int pn;
        struct json_object *pj = ofctl_get(body, "port_no", &found);
        if (!found || !ofctl_parse_int(pj, &pn)) return WHY("port_no must be a number");
    }
    if ((st = ofctl_get_from_user(version, OFCTL_NAMES_PORT, body, "port_no", 0, 0xffffffff, &port_no, why)))
        return st;
    /* hw_addr: str() of what is given, else the port's own address */
    hw = ofctl_get(body, "hw_addr", &found);
    if (found) {
        if (!ofctl_pystr(hw, text, sizeof text) || !parse_mac(text, strlen(text), mac))
            return WHY("hw_addr: '%.40s' is no MAC address", text);
    } else if (defaults) {
        memcpy(mac, defaults->hw_addr, 6);
    } else {
        return WHY("hw_addr: 'None' is no MAC address");
    }
    if ((st = ofctl_get_uint(body, "config", 0, 0xffffffff, &config, why))) return st;
    if ((st = ofctl_get_uint(body, "mask", 0, 0xffffffff, &mask, why))) return st;
    adv = ofctl_get(body, "advertise", &found);
    if (found) {
        if ((st = ofctl_to_uint(adv, 0xffffffff, "advertise", &advertise, why))) return st;
    } else if (defaults) {
        advertise = defaults->advertised;
    } else {
        return WHY("advertise: invalid literal for int() with base 0: 'None'");
    }
    o = json_object_new_object();
    json_object_object_add(o, "port_no", ofctl_uint_json(port_no));
    snprintf(text, sizeof text, "%02x:%02x:%02x:%02x:%02x:%02x", mac[0], mac[1], mac[2], mac[3], mac[4], mac[5]);
    json_object_object_add(o, "hw_addr", json_object_new_string(text));
    json_object_object_add(o, "config", ofctl_uint_json(config));
    json_object_object_add(o, "mask", ofctl_uint_json(mask));
    json_object_object_add(o, "advertise", ofctl_uint_json(advertise));
    *msg = ofctl_msg_new("OFPPortMod", o);
    return OFCTL_OK;
}

enum ofctl_status ofctl_legacy_port_mod(uint8_t version, struct json_object *body,
                                        const struct ken_ofp_port_defaults *defaults, struct json_object **msg,
                                        char why[KEN_WHY_LEN])
{
    *msg = NULL;
    ofctl_defer_begin();
    return ofctl_defer_end_msg(ofctl_legacy_port_mod_inner(version, body, defaults, msg, why), msg, why);
}

enum ofctl_status ofctl_legacy_queue_config_answer(uint8_t version, struct json_object *const *replies, size_t n,
                                                   struct json_object **out, char why[KEN_WHY_LEN])
{
    struct json_object *configs = json_object_new_array();
    for (size_t i = 0; i < n; i++) {
        struct json_object *cfg = ofctl_msg_body(replies[i], NULL), *queues, *ql, *c;
        size_t nq;
        if (!cfg || !json_object_is_type(queues = ofctl_member(cfg, "queues"), json_type_array)) goto bad;
        ql = json_object_new_array();
        nq = json_object_array_length(queues);
        for (size_t k = 0; k < nq; k++) {
            const char *cls;
            struct json_object *q = split_msg(json_object_array_get_idx(queues, k), &cls), *props, *pl, *qo;
            size_t np;
            if (!q || !json_object_is_type(props = ofctl_member(q, "properties"), json_type_array)) {
                json_object_put(ql);
                goto bad;
            }
            pl = json_object_new_array();
            np = json_object_array_length(props);
            for (size_t j = 0; j < np; j++) {
                struct json_object *p = split_msg(json_object_array_get_idx(props, j), &cls), *po;
                uint64_t prop = 0;
                if (!p) {
                    json_object_put(pl);
                    json_object_put(ql);
                    goto bad;
                }
                member_u64(p, "property", &prop);
                po = json_object_new_object();
                if (prop == 1 || prop == 2) {
                    json_object_object_add(po, "property", json_object_new_string(prop == 1 ? "MIN_RATE" : "MAX_RATE"));
                    ofctl_copy_keys(po, p, (const char *const[]){"rate", NULL});
                } else if (prop == 0xffff) {
                    /* OS-Ken holds the data as a list of byte values */
                    json_object_object_add(po, "property", json_object_new_string("EXPERIMENTER"));
                    ofctl_copy_keys(po, p, (const char *const[]){"experimenter", "data", NULL});
                } else {
                    json_object_object_add(po, "property", json_object_new_string("UNKNOWN"));
                }
                json_object_array_add(pl, po);
            }
            qo = json_object_new_object();
            json_object_object_add(qo, "properties", pl);
            json_object_object_add(qo, "port", ofctl_to_user(version, OFCTL_NAMES_PORT, ofctl_member(q, "port")));
            json_object_object_add(qo, "queue_id", ofctl_to_user(version, OFCTL_NAMES_QUEUE, ofctl_member(q, "queue_id")));
            json_object_array_add(ql, qo);
        }
        c = json_object_new_object();
        json_object_object_add(c, "queues", ql);
        json_object_object_add(c, "port", ofctl_to_user(version, OFCTL_NAMES_PORT, ofctl_member(cfg, "port")));
        json_object_array_add(configs, c);
    }
    *out = configs;
    return OFCTL_OK;
bad:
    json_object_put(configs);
    return WHY("a queue-config reply is not as expected");
}

static const char *const group_types[] = {"ALL", "SELECT", "INDIRECT", "FF"};

enum ofctl_status ofctl_legacy_group_features_answer(uint8_t version, struct json_object *const *replies, size_t n,
                                                     struct json_object **out, char why[KEN_WHY_LEN])
{
    static const struct { uint64_t bit; const char *name; } caps[] = {
        {1, "SELECT_WEIGHT"}, {2, "SELECT_LIVENESS"}, {4, "CHAINING"}, {8, "CHAINING_CHECKS"}};
    static const struct { unsigned type; const char *name; } acts[] = {
        {0, "OUTPUT"},     {11, "COPY_TTL_OUT"}, {12, "COPY_TTL_IN"}, {15, "SET_MPLS_TTL"}, {16, "DEC_MPLS_TTL"},
        {17, "PUSH_VLAN"}, {18, "POP_VLAN"},     {19, "PUSH_MPLS"},   {20, "POP_MPLS"},     {21, "SET_QUEUE"},
        {22, "GROUP"},     {23, "SET_NW_TTL"},   {24, "DEC_NW_TTL"},  {25, "SET_FIELD"},    {26, "PUSH_PBB"},
        {27, "POP_PBB"}};
    size_t nacts = version >= KEN_OFP13 ? 16 : 14;
    struct json_object *features = json_object_new_array();
    for (size_t i = 0; i < n; i++) {
        struct json_object *msg = ofctl_msg_body(replies[i], NULL), *f, *mg, *ac, *o, *l;
        const char *cls;
        uint64_t types = 0, cap = 0;
        if (!msg || !(f = split_msg(ofctl_member(msg, "body"), &cls)) || !member_u64(f, "types", &types) ||
            !member_u64(f, "capabilities", &cap) || !json_object_is_type(mg = ofctl_member(f, "max_groups"), json_type_array) ||
            !json_object_is_type(ac = ofctl_member(f, "actions"), json_type_array) || json_object_array_length(mg) < 4 ||
            json_object_array_length(ac) < 4) {
            json_object_put(features);
            return WHY("a group-features reply is not as expected");
        }
        o = json_object_new_object();
        l = json_object_new_array();
        for (int k = 0; k < 4; k++)
            if (types & (1u << k)) json_object_array_add(l, json_object_new_string(group_types[k]));
        json_object_object_add(o, "types", l);
        l = json_object_new_array();
        for (int k = 0; k < 4; k++)
            if (cap & caps[k].bit) json_object_array_add(l, json_object_new_string(caps[k].name));
        json_object_object_add(o, "capabilities", l);
        l = json_object_new_array();
        for (int k = 0; k < 4; k++) {
            struct json_object *e = json_object_new_object(), *c = NULL;
            json_object_deep_copy(json_object_array_get_idx(mg, (size_t)k), &c, NULL);
            json_object_object_add(e, group_types[k], c);
            json_object_array_add(l, e);
        }
        json_object_object_add(o, "max_groups", l);
        l = json_object_new_array();
        for (int k = 0; k < 4; k++) {
            struct json_object *e = json_object_new_object(), *names = json_object_new_array();
            struct json_object *bj = json_object_array_get_idx(ac, (size_t)k);
            uint64_t bits = json_object_is_type(bj, json_type_int) ? json_object_get_uint64(bj) : 0;
            for (size_t a = 0; a < nacts; a++)
                if (bits & ((uint64_t)1 << acts[a].type)) json_object_array_add(names, json_object_new_string(acts[a].name));
            json_object_object_add(e, group_types[k], names);
            json_object_array_add(l, e);
        }
        json_object_object_add(o, "actions", l);
        json_object_array_add(features, o);
    }
    *out = features;
    return OFCTL_OK;
}

struct desc_answer {
    uint8_t version;
    struct json_object *list;
};

static enum ofctl_status group_desc_stat(struct json_object *stat, void *arg, char why[KEN_WHY_LEN])
{
    struct desc_answer *da = arg;
    struct json_object *bl = ofctl_member(stat, "buckets"), *buckets, *d;
    size_t nb = json_object_is_type(bl, json_type_array) ? json_object_array_length(bl) : 0;
    uint64_t type;
    buckets = json_object_new_array();
    for (size_t i = 0; i < nb; i++) {
        const char *cls;
        struct json_object *b = split_msg(json_object_array_get_idx(bl, i), &cls), *bo, *acts;
        enum ofctl_status st;
        if (!b) {
            json_object_put(buckets);
            return WHY("a group's bucket is not an object");
        }
        acts = json_object_new_array();
        if ((st = action_list_to_str(da->version, ofctl_member(b, "actions"), acts, why))) {
            json_object_put(acts);
            json_object_put(buckets);
            return st;
        }
        bo = json_object_new_object();
        if (!ofctl_copy_keys(bo, b, (const char *const[]){"weight", "watch_port", "watch_group", NULL})) {
            json_object_put(bo);
            json_object_put(acts);
            json_object_put(buckets);
            return WHY("a group's bucket lacks a field");
        }
        json_object_object_add(bo, "actions", acts);
        json_object_array_add(buckets, bo);
    }
    d = json_object_new_object();
    json_object_object_add(d, "buckets", buckets);
    json_object_object_add(d, "group_id", ofctl_to_user(da->version, OFCTL_NAMES_GROUP, ofctl_member(stat, "group_id")));
    json_object_object_add(d, "type", member_u64(stat, "type", &type) && type < 4
                                          ? json_object_new_string(group_types[type]) : NULL);
    json_object_array_add(da->list, d);
    return OFCTL_OK;
}

enum ofctl_status ofctl_legacy_group_desc_answer(uint8_t version, struct json_object *const *replies, size_t n,
                                                 struct json_object **out, char why[KEN_WHY_LEN])
{
    struct desc_answer da = {version, json_object_new_array()};
    enum ofctl_status st = ofctl_each_stat(replies, n, group_desc_stat, &da, why);
    if (st) {
        json_object_put(da.list);
        return st;
    }
    *out = da.list;
    return OFCTL_OK;
}

/* ---- text fields of replies -------------------------------------------- */

/* How many bytes at p, from 1 up, continue a well-formed UTF-8 sequence
 * (RFC 3629 ranges); *full is the sequence's length, 0 for a byte that
 * starts none. */
static size_t utf8_prefix(const unsigned char *p, size_t n, size_t *full)
{
    unsigned char b = p[0], lo = 0x80, hi = 0xbf;
    size_t k;
    if (b < 0x80) return *full = 1;
    if (b >= 0xc2 && b <= 0xdf) *full = 2;
    else if (b >= 0xe0 && b <= 0xef) {
        *full = 3;
        if (b == 0xe0) lo = 0xa0;
        if (b == 0xed) hi = 0x9f;
    } else if (b >= 0xf0 && b <= 0xf4) {
        *full = 4;
        if (b == 0xf0) lo = 0x90;
        if (b == 0xf4) hi = 0x8f;
    } else {
        *full = 0;
        return 1;
    }
    for (k = 1; k < *full && k < n; k++) {
        unsigned char lo_k = k == 1 ? lo : 0x80, hi_k = k == 1 ? hi : 0xbf;
        if (p[k] < lo_k || p[k] > hi_k) break;
    }
    return k;
}

bool ofctl_text_valid(struct json_object *s)
{
    const unsigned char *p = (const unsigned char *)json_object_get_string(s);
    size_t n = (size_t)json_object_get_string_len(s), full;
    if (!json_object_is_type(s, json_type_string)) return false;
    for (size_t i = 0; i < n;) {
        size_t k = utf8_prefix(p + i, n - i, &full);
        if (!full || k != full) return false;
        i += k;
    }
    return true;
}

struct json_object *ofctl_text_replace(struct json_object *s)
{
    const unsigned char *p = (const unsigned char *)json_object_get_string(s);
    size_t n = (size_t)json_object_get_string_len(s), o = 0, full;
    char *out;
    struct json_object *r;
    if (!json_object_is_type(s, json_type_string)) return NULL;
    if (!(out = malloc(3 * n + 1))) return NULL;
    for (size_t i = 0; i < n;) {
        size_t k = utf8_prefix(p + i, n - i, &full);
        if (full && k == full) {
            memcpy(out + o, p + i, k);
            o += k;
        } else {
            /* one U+FFFD for the maximal part that could have begun a character */
            memcpy(out + o, "\xef\xbf\xbd", 3);
            o += 3;
        }
        i += k;
    }
    r = json_object_new_string_len(out, (int)o);
    free(out);
    return r;
}

enum ofctl_status ofctl_legacy_answer(uint8_t version, const struct ofctl_args *args,
                                      struct json_object *const *replies, size_t n,
                                      enum ofctl_status (*own)(const struct ofctl_args *args,
                                                               struct json_object *const *replies, size_t n,
                                                               struct json_object **out, char why[KEN_WHY_LEN]),
                                      struct json_object **out, char why[KEN_WHY_LEN])
{
    static const char *const aggregate_keys[] = {"packet_count", "byte_count", "flow_count", NULL};
    switch (args->kind) {
    case OFCTL_DESC: return ofctl_legacy_desc_answer(replies, n, out, why);
    case OFCTL_FLOW: return ofctl_legacy_flow_answer(version, args->body, replies, n, out, why);
    case OFCTL_AGGREGATE_FLOW: return ofctl_collect(version, replies, n, aggregate_keys, NULL, 0, NULL, out, why);
    case OFCTL_QUEUE_CONFIG: return ofctl_legacy_queue_config_answer(version, replies, n, out, why);
    case OFCTL_GROUP_FEATURES: return ofctl_legacy_group_features_answer(version, replies, n, out, why);
    case OFCTL_GROUP_DESC: return ofctl_legacy_group_desc_answer(version, replies, n, out, why);
    case OFCTL_ROLE: return ofctl_role_answer(version, replies, n, out, why);
    default: return own(args, replies, n, out, why);
    }
}
