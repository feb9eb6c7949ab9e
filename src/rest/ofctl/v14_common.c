/* ofctl for OpenFlow 1.4 and 1.5 (Ryu's ofctl_v1_4 / ofctl_v1_5).
 *
 * Requests: the route's arguments become OS-Ken JSON for ken's codec, with
 * Ryu's defaults and its way of reading values (int(str(x), 0), reserved
 * names such as "ANY" or "OFPP_CONTROLLER", "10.0.0.0/24" masks). Replies:
 * the codec's OS-Ken JSON is reshaped as Ryu reshapes to_jsondict(): type
 * numbers become names, matches become {field: "value/mask"}, OXS stats
 * become a flat object.
 *
 * Statuses follow what Ryu's code raises: a ValueError (bad number or
 * name) is 400; a value Ryu accepts but cannot pack (a struct.error,
 * a 500 in Ryu) is 400 too; AttributeError (a message the version lacks,
 * or a body of the wrong JSON type where Ryu calls .get on it) is 501. */
#include "v14_common.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <inttypes.h>
#include <json-c/json.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef __int128 i128;

#define V4 1u /* in OpenFlow 1.4's ofproto */
#define V5 2u /* in 1.5's */
#define VB (V4 | V5)

/* ---------- errors ---------- */

struct ctx {
    bool v15;
    enum ofctl_status st;
    char *why;
    /* A value Ryu takes but cannot pack fails only when the message is
     * serialized, after everything else is read: so an AttributeError
     * found later still wins (501), else this is a 400. */
    bool packfail;
    char packwhy[KEN_WHY_LEN];
};

static bool fail(struct ctx *c, enum ofctl_status st, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static bool fail(struct ctx *c, enum ofctl_status st, const char *fmt, ...)
{
    if (c->st == OFCTL_OK) { /* the first error is the one Ryu raises */
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(c->why, KEN_WHY_LEN, fmt, ap);
        va_end(ap);
        c->st = st;
    }
    return false;
}

static bool defer(struct ctx *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static bool defer(struct ctx *c, const char *fmt, ...)
{
    if (!c->packfail) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(c->packwhy, sizeof c->packwhy, fmt, ap);
        va_end(ap);
        c->packfail = true;
    }
    return true;
}

/* A short quote of a JSON value for error messages. */
static const char *q(struct json_object *v)
{
    if (!v) return "null";
    const char *s = json_object_to_json_string_ext(v, JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE);
    return s ? s : "?";
}

/* ---------- Python's int(str(x), 0) ---------- */

/* Digits of one base, with Python's single underscores between digits. */
static bool parse_digits(const char *s, size_t n, unsigned base, bool under_first, i128 *out)
{
    i128 v = 0;
    bool prev_digit = under_first, any = false;
    for (size_t i = 0; i < n; i++) {
        char ch = s[i];
        if (ch == '_') {
            if (!prev_digit) return false;
            prev_digit = false;
            continue;
        }
        unsigned d;
        if (ch >= '0' && ch <= '9') d = (unsigned)(ch - '0');
        else if (ch >= 'a' && ch <= 'z') d = (unsigned)(ch - 'a') + 10;
        else if (ch >= 'A' && ch <= 'Z') d = (unsigned)(ch - 'A') + 10;
        else return false;
        if (d >= base) return false;
        if (v > (((i128)1) << 100)) return false; /* far beyond any field: Ryu fails to pack it */
        v = v * base + d;
        prev_digit = true;
        any = true;
    }
    if (!any || !prev_digit) return false;
    *out = v;
    return true;
}

static bool py_space(char ch)
{
    return ch == ' ' || (ch >= '\t' && ch <= '\r') || (ch >= 0x1c && ch <= 0x1f);
}

static bool parse_py_int(const char *s, i128 *out)
{
    size_t n = strlen(s);
    while (n && py_space(s[n - 1])) n--;
    while (n && py_space(*s)) s++, n--;
    bool neg = false;
    if (n && (*s == '+' || *s == '-')) neg = *s == '-', s++, n--;
    i128 v;
    if (n >= 2 && s[0] == '0' && strchr("xXoObB", s[1])) {
        unsigned base = (s[1] == 'x' || s[1] == 'X') ? 16 : (s[1] == 'o' || s[1] == 'O') ? 8 : 2;
        if (!parse_digits(s + 2, n - 2, base, true, &v)) return false;
    } else {
        if (!parse_digits(s, n, 10, false, &v)) return false;
        /* "010" is not an int for base 0; "00" and "0_0" are */
        if (s[0] == '0' && v != 0) return false;
    }
    *out = neg ? -v : v;
    return true;
}

static bool json_int(struct json_object *v, i128 *out)
{
    if (!json_object_is_type(v, json_type_int)) return false;
    int64_t s = json_object_get_int64(v);
    if (s < 0) *out = s;
    else *out = (i128)json_object_get_uint64(v);
    return true;
}

/* Ryu's str_to_int: JSON ints and strings Python's int() reads. */
static bool to_int(struct json_object *v, i128 *out)
{
    if (json_int(v, out)) return true;
    if (json_object_is_type(v, json_type_string)) return parse_py_int(json_object_get_string(v), out);
    return false;
}

static bool str_to_int(struct ctx *c, struct json_object *v, const char *what, i128 *out)
{
    if (to_int(v, out)) return true;
    return fail(c, OFCTL_BAD_REQUEST, "%s: invalid literal for int(): %s", what, q(v));
}

/* ---------- the reserved names (ofproto_v1_4 / ofproto_v1_5) ---------- */

struct name {
    const char *name; /* without the prefix */
    uint32_t value;
    uint8_t vers;
    bool deprecated; /* never given back to users (Ryu's deprecated_value) */
};

struct names {
    const char *prefix;
    const struct name *v;
    size_t n;
};

#define NAMES(var, prefix, ...)                                                                                     \
    static const struct name var##_v[] = {__VA_ARGS__};                                                            \
    static const struct names var = {prefix, var##_v, sizeof var##_v / sizeof var##_v[0]}

NAMES(N_PORT, "OFPP_", {"MAX", 0xffffff00, VB, 0}, {"UNSET", 0xfffffff7, V5, 0}, {"IN_PORT", 0xfffffff8, VB, 0},
      {"TABLE", 0xfffffff9, VB, 0}, {"NORMAL", 0xfffffffa, VB, 0}, {"FLOOD", 0xfffffffb, VB, 0},
      {"ALL", 0xfffffffc, VB, 0}, {"CONTROLLER", 0xfffffffd, VB, 0}, {"LOCAL", 0xfffffffe, VB, 0},
      {"ANY", 0xffffffff, VB, 0});
NAMES(N_QUEUE, "OFPQ_", {"ALL", 0xffffffff, VB, 0}, {"MIN_RATE_UNCFG", 0xffff, VB, 0},
      {"MAX_RATE_UNCFG", 0xffff, VB, 0});
NAMES(N_GROUP, "OFPG_", {"MAX", 0xffffff00, VB, 0}, {"ALL", 0xfffffffc, VB, 0}, {"ANY", 0xffffffff, VB, 0},
      {"BUCKET_MAX", 0xffffff00, V5, 0}, {"BUCKET_FIRST", 0xfffffffd, V5, 0}, {"BUCKET_LAST", 0xfffffffe, V5, 0},
      {"BUCKET_ALL", 0xffffffff, V5, 0});
NAMES(N_METER, "OFPM_", {"MAX", 0xffff0000, VB, 0}, {"SLOWPATH", 0xfffffffd, VB, 0},
      {"CONTROLLER", 0xfffffffe, VB, 0}, {"ALL", 0xffffffff, VB, 0});
NAMES(N_TABLE, "OFPTT_", {"MAX", 0xfe, VB, 0}, {"ALL", 0xff, VB, 0});
NAMES(N_CML, "OFPCML_", {"MAX", 0xffe5, VB, 0}, {"NO_BUFFER", 0xffff, VB, 0});
NAMES(N_GROUP_TYPE, "OFPGT_", {"ALL", 0, VB, 0}, {"SELECT", 1, VB, 0}, {"INDIRECT", 2, VB, 0}, {"FF", 3, VB, 0});
NAMES(N_BUCKET_PROP, "OFPGBPT_", {"WEIGHT", 0, V5, 0}, {"WATCH_PORT", 1, V5, 0}, {"WATCH_GROUP", 2, V5, 0},
      {"EXPERIMENTER", 0xffff, V5, 0});
NAMES(N_METER_FLAG, "OFPMF_", {"KBPS", 1, VB, 0}, {"PKTPS", 2, VB, 0}, {"BURST", 4, VB, 0}, {"STATS", 8, VB, 0});
NAMES(N_ROLE, "OFPCR_ROLE_", {"NOCHANGE", 0, VB, 0}, {"EQUAL", 1, VB, 0}, {"MASTER", 2, VB, 0},
      {"SLAVE", 3, VB, 0});
NAMES(N_PORT_MOD_PROP, "OFPPMPT_", {"ETHERNET", 0, VB, 0}, {"OPTICAL", 1, VB, 0}, {"EXPERIMENTER", 0xffff, VB, 0});
NAMES(N_PORT_FEATURE, "OFPPF_", {"10MB_HD", 1, VB, 0}, {"10MB_FD", 2, VB, 0}, {"100MB_HD", 4, VB, 0},
      {"100MB_FD", 8, VB, 0}, {"1GB_HD", 16, VB, 0}, {"1GB_FD", 32, VB, 0}, {"10GB_FD", 64, VB, 0},
      {"40GB_FD", 128, VB, 0}, {"100GB_FD", 256, VB, 0}, {"1TB_FD", 512, VB, 0}, {"OTHER", 1024, VB, 0},
      {"COPPER", 2048, VB, 0}, {"FIBER", 4096, VB, 0}, {"AUTONEG", 8192, VB, 0}, {"PAUSE", 16384, VB, 0},
      {"PAUSE_ASYM", 32768, VB, 0});
NAMES(N_ACTION, "OFPAT_", {"OUTPUT", 0, VB, 0}, {"COPY_TTL_OUT", 11, VB, 0}, {"COPY_TTL_IN", 12, VB, 0},
      {"SET_MPLS_TTL", 15, VB, 0}, {"DEC_MPLS_TTL", 16, VB, 0}, {"PUSH_VLAN", 17, VB, 0}, {"POP_VLAN", 18, VB, 0},
      {"PUSH_MPLS", 19, VB, 0}, {"POP_MPLS", 20, VB, 0}, {"SET_QUEUE", 21, VB, 0}, {"GROUP", 22, VB, 0},
      {"SET_NW_TTL", 23, VB, 0}, {"DEC_NW_TTL", 24, VB, 0}, {"SET_FIELD", 25, VB, 0}, {"PUSH_PBB", 26, VB, 0},
      {"POP_PBB", 27, VB, 0}, {"COPY_FIELD", 28, V5, 0}, {"METER", 29, V5, 0}, {"EXPERIMENTER", 0xffff, VB, 0});
NAMES(N_INSTRUCTION, "OFPIT_", {"GOTO_TABLE", 1, VB, 0}, {"WRITE_METADATA", 2, VB, 0},
      {"WRITE_ACTIONS", 3, VB, 0}, {"APPLY_ACTIONS", 4, VB, 0}, {"CLEAR_ACTIONS", 5, VB, 0}, {"METER", 6, V4, 0},
      {"DEPRECATED", 6, V5, 0}, {"STAT_TRIGGER", 7, V5, 0}, {"EXPERIMENTER", 0xffff, VB, 0});
NAMES(N_BAND, "OFPMBT_", {"DROP", 1, VB, 0}, {"DSCP_REMARK", 2, VB, 0}, {"EXPERIMENTER", 0xffff, VB, 0});
NAMES(N_TFPROP, "OFPTFPT_", {"INSTRUCTIONS", 0, VB, 0}, {"INSTRUCTIONS_MISS", 1, VB, 0},
      {"NEXT_TABLES", 2, VB, 0}, {"NEXT_TABLES_MISS", 3, VB, 0}, {"WRITE_ACTIONS", 4, VB, 0},
      {"WRITE_ACTIONS_MISS", 5, VB, 0}, {"APPLY_ACTIONS", 6, VB, 0}, {"APPLY_ACTIONS_MISS", 7, VB, 0},
      {"MATCH", 8, VB, 0}, {"WILDCARDS", 10, VB, 0}, {"WRITE_SETFIELD", 12, VB, 0},
      {"WRITE_SETFIELD_MISS", 13, VB, 0}, {"APPLY_SETFIELD", 14, VB, 0}, {"APPLY_SETFIELD_MISS", 15, VB, 0},
      {"TABLE_SYNC_FROM", 16, VB, 0}, {"WRITE_COPYFIELD", 18, V5, 0}, {"WRITE_COPYFIELD_MISS", 19, V5, 0},
      {"APPLY_COPYFIELD", 20, V5, 0}, {"APPLY_COPYFIELD_MISS", 21, V5, 0}, {"PACKET_TYPES", 22, V5, 0},
      {"EXPERIMENTER", 0xfffe, VB, 0}, {"EXPERIMENTER_MISS", 0xffff, VB, 0},
      {"EXPERIMENTER_SLAVE", 0xfffe, V4, 1}, {"EXPERIMENTER_MASTER", 0xffff, V4, 1});
NAMES(N_PORT_STATS_PROP, "OFPPSPT_", {"ETHERNET", 0, VB, 0}, {"OPTICAL", 1, VB, 0},
      {"EXPERIMENTER", 0xffff, VB, 0});
NAMES(N_QUEUE_STATS_PROP, "OFPQSPT_", {"EXPERIMENTER", 0xffff, VB, 0});
NAMES(N_QUEUE_DESC_PROP, "OFPQDPT_", {"MIN_RATE", 1, VB, 0}, {"MAX_RATE", 2, VB, 0},
      {"EXPERIMENTER", 0xffff, VB, 0});
NAMES(N_PORT_DESC_PROP, "OFPPDPT_", {"ETHERNET", 0, VB, 0}, {"OPTICAL", 1, VB, 0}, {"PIPELINE_INPUT", 2, V5, 0},
      {"PIPELINE_OUTPUT", 3, V5, 0}, {"RECIRCULATE", 4, V5, 0}, {"EXPERIMENTER", 0xffff, VB, 0});

static uint8_t vbit(const struct ctx *c)
{
    return c->v15 ? V5 : V4;
}

/* Ryu's _reserved_num_from_user: a number, else the name with or without
 * its prefix (any case). False when neither: Ryu then hands the raw value
 * on, and it fails where it is packed. */
static bool from_user(const struct ctx *c, const struct names *t, struct json_object *v, i128 *out)
{
    if (to_int(v, out)) return true;
    if (!json_object_is_type(v, json_type_string)) return false;
    const char *s = json_object_get_string(v);
    size_t pl = strlen(t->prefix);
    if (strncmp(s, t->prefix, pl) == 0) s += pl;
    for (size_t i = 0; i < t->n; i++) {
        const char *nm = t->v[i].name;
        if (!(t->v[i].vers & vbit(c))) continue;
        size_t k = 0;
        while (nm[k] && s[k] && toupper((unsigned char)s[k]) == nm[k]) k++;
        if (!nm[k] && !s[k]) {
            *out = t->v[i].value;
            return true;
        }
    }
    return false;
}

static bool reserved(struct ctx *c, const struct names *t, struct json_object *v, const char *what, i128 *out)
{
    if (from_user(c, t, v, out)) return true;
    return fail(c, OFCTL_BAD_REQUEST, "%s: %s is neither a number nor a %s name", what, q(v), t->prefix);
}

/* The same where Ryu hands an unresolved value on to be packed. */
static bool reserved_pack(struct ctx *c, const struct names *t, struct json_object *v, const char *what, i128 *out)
{
    if (from_user(c, t, v, out)) return true;
    *out = 0;
    return defer(c, "%s: %s is neither a number nor a %s name", what, q(v), t->prefix);
}

/* Ryu's _reserved_num_to_user: the first name of the value, else the number. */
static const char *name_of(const struct ctx *c, const struct names *t, int64_t v)
{
    for (size_t i = 0; i < t->n; i++)
        if ((t->v[i].vers & vbit(c)) && !t->v[i].deprecated && (int64_t)t->v[i].value == v) return t->v[i].name;
    return NULL;
}

static struct json_object *to_user(const struct ctx *c, const struct names *t, struct json_object *v)
{
    if (json_object_is_type(v, json_type_int)) {
        const char *nm = name_of(c, t, json_object_get_int64(v));
        if (nm) return json_object_new_string(nm);
    }
    return json_object_get(v);
}

/* A type number as Ryu shows it: its name, else "UNKNOWN". */
static struct json_object *type_to_user(const struct ctx *c, const struct names *t, struct json_object *v)
{
    const char *nm = json_object_is_type(v, json_type_int) ? name_of(c, t, json_object_get_int64(v)) : NULL;
    return json_object_new_string(nm ? nm : "UNKNOWN");
}

/* ---------- JSON helpers ---------- */

static struct json_object *jint(i128 v)
{
    if (v >= 0 && v > INT64_MAX) return json_object_new_uint64((uint64_t)v);
    return json_object_new_int64((int64_t)v);
}

/* A value ken's codec can take (it checks the field's width): beyond 64
 * bits Ryu's struct.pack fails, so does this. */
static bool put_int(struct ctx *c, struct json_object *o, const char *key, i128 v)
{
    if (v < INT64_MIN || v > (i128)UINT64_MAX) {
        defer(c, "\"%s\" is out of range (beyond 64 bits)", key);
        v = 0;
    }
    json_object_object_add(o, key, jint(v));
    return true;
}

static struct json_object *wrap(const char *cls, struct json_object *inner)
{
    struct json_object *o = json_object_new_object();
    json_object_object_add(o, cls, inner);
    return o;
}

/* dict.get(key, default): the value, or NULL when absent (a JSON null is
 * a value: Ryu then works on None). */
static struct json_object *get(struct json_object *o, const char *key, bool *present)
{
    struct json_object *v = NULL;
    bool has = json_object_is_type(o, json_type_object) && json_object_object_get_ex(o, key, &v);
    if (present) *present = has;
    return has ? v : NULL;
}

/* A body Ryu calls .get on: anything but an object is an AttributeError. */
static bool need_dict(struct ctx *c, struct json_object *o, const char *what)
{
    if (json_object_is_type(o, json_type_object)) return true;
    return fail(c, OFCTL_UNSUPPORTED, "%s must be a JSON object, not %s", what, q(o));
}

/* "for x in v" where each x must be a dict: a list gives its items; an
 * object or string iterates keys or characters (strings, so Ryu's .get
 * fails: AttributeError, 501) unless empty; other values are not
 * iterable (TypeError: 400). */
static bool dict_items(struct ctx *c, struct json_object *v, const char *what, size_t *n)
{
    *n = 0;
    if (json_object_is_type(v, json_type_array)) {
        *n = json_object_array_length(v);
        for (size_t i = 0; i < *n; i++)
            if (!need_dict(c, json_object_array_get_idx(v, i), what)) return false;
        return true;
    }
    if (json_object_is_type(v, json_type_object)) {
        if (json_object_object_length(v) == 0) return true;
        return fail(c, OFCTL_UNSUPPORTED, "%s must be a list of objects, not %s", what, q(v));
    }
    if (json_object_is_type(v, json_type_string)) {
        if (json_object_get_string_len(v) == 0) return true;
        return fail(c, OFCTL_UNSUPPORTED, "%s must be a list of objects, not %s", what, q(v));
    }
    return fail(c, OFCTL_BAD_REQUEST, "%s must be a list, not %s", what, q(v));
}

/* ---------- addresses (the forms OS-Ken's addrconv reads) ---------- */

static int hexval(char ch)
{
    if (ch >= '0' && ch <= '9') return ch - '0';
    if (ch >= 'a' && ch <= 'f') return ch - 'a' + 10;
    if (ch >= 'A' && ch <= 'F') return ch - 'A' + 10;
    return -1;
}

/* ngroups groups of 1..maxd hex digits separated by sep, into n bytes. */
static bool mac_groups(const char *s, char sep, int ngroups, int maxd, uint8_t out[6])
{
    uint64_t v = 0;
    int bits = 48 / ngroups;
    for (int g = 0; g < ngroups; g++) {
        int d = 0;
        uint64_t w = 0;
        while (hexval(*s) >= 0 && d < maxd) w = w * 16 + (uint64_t)hexval(*s++), d++;
        if (d == 0 || hexval(*s) >= 0) return false;
        if (g < ngroups - 1) {
            if (*s != sep) return false;
            s++;
        }
        v = (v << bits) | w;
    }
    if (*s) return false;
    for (int i = 5; i >= 0; i--) out[i] = (uint8_t)v, v >>= 8;
    return true;
}

static bool parse_mac(const char *s, uint8_t out[6])
{
    return mac_groups(s, ':', 6, 2, out) || mac_groups(s, '-', 6, 2, out) || mac_groups(s, '.', 3, 4, out) ||
           mac_groups(s, ':', 2, 6, out) || mac_groups(s, '-', 2, 6, out) ||
           (strlen(s) == 12 && mac_groups(s, 0, 1, 12, out));
}

static void fmt_mac(const uint8_t m[6], char out[18])
{
    snprintf(out, 18, "%02x:%02x:%02x:%02x:%02x:%02x", m[0], m[1], m[2], m[3], m[4], m[5]);
}

/* IPv4 as netaddr reads it by default (inet_aton: "10.1", octal parts);
 * IPv6 as inet_pton. */
static bool parse_ip(const char *s, bool v6, uint8_t out[16])
{
    if (v6) return inet_pton(AF_INET6, s, out) == 1;
    struct in_addr a;
    if (!*s || py_space(*s) || inet_aton(s, &a) == 0) return false;
    memcpy(out, &a.s_addr, 4);
    return true;
}

static void fmt_ip(const uint8_t *a, bool v6, char out[INET6_ADDRSTRLEN])
{
    inet_ntop(v6 ? AF_INET6 : AF_INET, a, out, INET6_ADDRSTRLEN);
}

/* ---------- match fields (Ryu's to_match / match_to_str) ---------- */

enum fkind { F_INT, F_PORT, F_MASKED, F_ETH, F_IP4, F_IP6, F_VID, F_PTYPE };

struct field {
    const char *name;
    uint8_t num;   /* OXM field number: OS-Ken sorts the match by it */
    uint8_t width; /* bytes of an integer field */
    uint8_t kind;
    uint8_t vers;
};

static const struct field fields[] = {
    {"in_port", 0, 4, F_PORT, VB},        {"in_phy_port", 1, 4, F_INT, VB},   {"metadata", 2, 8, F_MASKED, VB},
    {"eth_dst", 3, 6, F_ETH, VB},         {"eth_src", 4, 6, F_ETH, VB},       {"eth_type", 5, 2, F_INT, VB},
    {"vlan_vid", 6, 2, F_VID, VB},        {"vlan_pcp", 7, 1, F_INT, VB},      {"ip_dscp", 8, 1, F_INT, VB},
    {"ip_ecn", 9, 1, F_INT, VB},          {"ip_proto", 10, 1, F_INT, VB},     {"ipv4_src", 11, 4, F_IP4, VB},
    {"ipv4_dst", 12, 4, F_IP4, VB},       {"tcp_src", 13, 2, F_INT, VB},      {"tcp_dst", 14, 2, F_INT, VB},
    {"udp_src", 15, 2, F_INT, VB},        {"udp_dst", 16, 2, F_INT, VB},      {"sctp_src", 17, 2, F_INT, VB},
    {"sctp_dst", 18, 2, F_INT, VB},       {"icmpv4_type", 19, 1, F_INT, VB},  {"icmpv4_code", 20, 1, F_INT, VB},
    {"arp_op", 21, 2, F_INT, VB},         {"arp_spa", 22, 4, F_IP4, VB},      {"arp_tpa", 23, 4, F_IP4, VB},
    {"arp_sha", 24, 6, F_ETH, VB},        {"arp_tha", 25, 6, F_ETH, VB},      {"ipv6_src", 26, 16, F_IP6, VB},
    {"ipv6_dst", 27, 16, F_IP6, VB},      {"ipv6_flabel", 28, 4, F_INT, VB},  {"icmpv6_type", 29, 1, F_INT, VB},
    {"icmpv6_code", 30, 1, F_INT, VB},    {"ipv6_nd_target", 31, 16, F_IP6, VB},
    {"ipv6_nd_sll", 32, 6, F_ETH, VB},    {"ipv6_nd_tll", 33, 6, F_ETH, VB},  {"mpls_label", 34, 4, F_INT, VB},
    {"mpls_tc", 35, 1, F_INT, VB},        {"mpls_bos", 36, 1, F_INT, VB},     {"pbb_isid", 37, 3, F_MASKED, VB},
    {"tunnel_id", 38, 8, F_MASKED, VB},   {"ipv6_exthdr", 39, 2, F_MASKED, VB}, {"pbb_uca", 41, 1, F_INT, VB},
    {"tcp_flags", 42, 2, F_INT, V5},      {"actset_output", 43, 4, F_INT, V5}, {"packet_type", 44, 4, F_PTYPE, V5},
};
#define N_FIELDS (sizeof fields / sizeof fields[0])

static const struct field *field_named(const struct ctx *c, const char *name)
{
    for (size_t i = 0; i < N_FIELDS; i++)
        if ((fields[i].vers & vbit(c)) && strcmp(fields[i].name, name) == 0) return &fields[i];
    return NULL;
}

/* OS-Ken packs an OXM integer byte by byte from the low end: a value too
 * wide for its field wraps instead of failing. */
static uint64_t wrap_width(i128 v, unsigned width)
{
    unsigned __int128 u = (unsigned __int128)v;
    return width >= 8 ? (uint64_t)u : (uint64_t)(u & ((((unsigned __int128)1) << (8 * width)) - 1));
}

/* One converted match field: value and optional mask, already as the
 * codec's JSON; the mask already applied to the value (OFPMatch does). */
struct mfield {
    const struct field *f;
    struct json_object *value, *mask;
};

static bool split_slash(const char *s, char *a, char *b, size_t cap)
{
    const char *sl = strchr(s, '/');
    if (!sl) return false;
    size_t la = (size_t)(sl - s);
    const char *rest = sl + 1;
    const char *sl2 = strchr(rest, '/'); /* Ryu keeps the first two parts */
    size_t lb = sl2 ? (size_t)(sl2 - rest) : strlen(rest);
    if (la >= cap || lb >= cap) la = lb = 0;
    memcpy(a, s, la), a[la] = 0;
    memcpy(b, rest, lb), b[lb] = 0;
    return true;
}

static bool all_digits(const char *s)
{
    if (!*s) return false;
    for (; *s; s++)
        if (!isdigit((unsigned char)*s)) return false;
    return true;
}

static bool conv_addr(struct ctx *c, const struct field *f, struct json_object *v, struct mfield *out)
{
    if (!json_object_is_type(v, json_type_string))
        return fail(c, OFCTL_BAD_REQUEST, "match field %s: %s is not a string", f->name, q(v));
    const char *s = json_object_get_string(v);
    char a[128], b[128];
    bool masked = split_slash(s, a, b, sizeof a);
    if (!masked) snprintf(a, sizeof a, "%s", s);
    uint8_t val[16], msk[16];
    size_t len = f->kind == F_ETH ? 6 : f->kind == F_IP4 ? 4 : 16;
    bool v6 = f->kind == F_IP6;
    bool ok;
    if (f->kind == F_ETH) {
        ok = parse_mac(a, val) && (!masked || parse_mac(b, msk));
    } else if (masked && all_digits(b)) {
        /* a prefix length: netaddr's IPNetwork gives the address and netmask */
        unsigned long plen = strtoul(b, NULL, 10);
        ok = strlen(b) <= 3 && plen <= len * 8 && parse_ip(a, v6, val);
        if (ok) {
            memset(msk, 0, sizeof msk);
            for (unsigned long i = 0; i < plen; i++) msk[i / 8] |= (uint8_t)(0x80 >> (i % 8));
        }
    } else {
        ok = parse_ip(a, v6, val) && (!masked || parse_ip(b, v6, msk));
    }
    if (!ok) return fail(c, OFCTL_BAD_REQUEST, "match field %s: %s is not a valid address", f->name, q(v));
    char txt[INET6_ADDRSTRLEN > 18 ? INET6_ADDRSTRLEN : 18];
    if (masked)
        for (size_t i = 0; i < len; i++) val[i] &= msk[i];
    if (f->kind == F_ETH) fmt_mac(val, txt);
    else fmt_ip(val, v6, txt);
    out->value = json_object_new_string(txt);
    if (masked) {
        if (f->kind == F_ETH) fmt_mac(msk, txt);
        else fmt_ip(msk, v6, txt);
        out->mask = json_object_new_string(txt);
    }
    return true;
}

static bool conv_field(struct ctx *c, const struct field *f, struct json_object *v, struct mfield *out)
{
    i128 val = 0, msk = 0;
    bool masked = false;
    char what[64];
    snprintf(what, sizeof what, "match field %s", f->name);
    out->f = f;
    out->value = out->mask = NULL;
    switch (f->kind) {
    case F_ETH:
    case F_IP4:
    case F_IP6: return conv_addr(c, f, v, out);
    case F_PORT:
        if (!reserved(c, &N_PORT, v, what, &val)) return false;
        break;
    case F_INT:
        if (!str_to_int(c, v, what, &val)) return false;
        break;
    case F_MASKED:
    case F_VID:
        if (json_object_is_type(v, json_type_string) && strchr(json_object_get_string(v), '/')) {
            char a[128], b[128];
            struct json_object *ja, *jb;
            split_slash(json_object_get_string(v), a, b, sizeof a);
            ja = json_object_new_string(a), jb = json_object_new_string(b);
            bool ok = str_to_int(c, ja, what, &val) && str_to_int(c, jb, what, &msk);
            json_object_put(ja), json_object_put(jb);
            if (!ok) return false;
            masked = true;
        } else if (f->kind == F_VID && json_object_is_type(v, json_type_int)) {
            json_int(v, &val);
            val |= 0x1000; /* a VLAN id given as a number: OFPVID_PRESENT added */
        } else if (f->kind == F_VID && json_object_is_type(v, json_type_string) &&
                   all_digits(json_object_get_string(v))) {
            if (!str_to_int(c, v, what, &val)) return false;
            val |= 0x1000;
        } else if (f->kind == F_VID && !json_object_is_type(v, json_type_string)) {
            return fail(c, OFCTL_BAD_REQUEST, "%s: %s is neither a number nor a string", what, q(v));
        } else if (!str_to_int(c, v, what, &val)) {
            return false;
        }
        break;
    case F_PTYPE:
        if (json_object_is_type(v, json_type_array)) {
            i128 ns, t;
            if (json_object_array_length(v) < 2)
                return fail(c, OFCTL_BAD_REQUEST, "%s: [namespace, type] wanted, not %s", what, q(v));
            if (!str_to_int(c, json_object_array_get_idx(v, 0), what, &ns) ||
                !str_to_int(c, json_object_array_get_idx(v, 1), what, &t))
                return false;
            val = (ns << 16) | t;
        } else if (!str_to_int(c, v, what, &val)) {
            return false;
        }
        break;
    }
    uint64_t w = wrap_width(val, f->width);
    if (masked) {
        uint64_t m = wrap_width(msk, f->width);
        w &= m;
        out->mask = json_object_new_uint64(m);
    }
    out->value = json_object_new_uint64(w);
    return true;
}

static int mfield_cmp(const void *a, const void *b)
{
    const struct mfield *x = a, *y = b;
    return (int)x->f->num - (int)y->f->num;
}

/* Ryu's to_match: old names (dl_*, nw_*) map to OXM names, unknown keys
 * are dropped, an ARP match's ipv4_src/dst become arp_spa/tpa; OFPMatch
 * then sorts the fields by OXM number. */
static struct json_object *to_match(struct ctx *c, struct json_object *attrs)
{
    static const char *const old[][2] = {{"dl_dst", "eth_dst"}, {"dl_src", "eth_src"}, {"dl_type", "eth_type"},
                                         {"dl_vlan", "vlan_vid"}, {"nw_src", "ipv4_src"}, {"nw_dst", "ipv4_dst"},
                                         {"nw_proto", "ip_proto"}};
    if (!need_dict(c, attrs, "match")) return NULL;
    struct mfield mf[N_FIELDS];
    size_t n = 0;
    bool arp = false, has_spa = false, has_tpa = false;
    struct json_object *et = get(attrs, "eth_type", NULL);
    if (et && json_object_is_type(et, json_type_int) && json_object_get_int64(et) == 0x0806) arp = true;
    has_spa = json_object_object_get_ex(attrs, "arp_spa", NULL);
    has_tpa = json_object_object_get_ex(attrs, "arp_tpa", NULL);
    bool ok = true;
    json_object_object_foreach(attrs, key, val)
    {
        const char *k = key;
        if (arp && strcmp(k, "ipv4_src") == 0 && !has_spa) k = "arp_spa";
        else if (arp && strcmp(k, "ipv4_dst") == 0 && !has_tpa) k = "arp_tpa";
        for (size_t i = 0; i < sizeof old / sizeof old[0]; i++)
            if (strcmp(k, old[i][0]) == 0) k = old[i][1];
        const struct field *f = field_named(c, k);
        if (!f) continue; /* Ryu logs and skips an unknown field */
        struct mfield m;
        if (!conv_field(c, f, val, &m)) {
            ok = false;
            break;
        }
        size_t j = 0;
        while (j < n && mf[j].f != f) j++;
        if (j < n) json_object_put(mf[j].value), json_object_put(mf[j].mask); /* the later key wins */
        else n++;
        mf[j] = m;
    }
    /* A renamed ARP key that also appears under the new name: the rename
     * happened first in Ryu (it deletes the old key), so the explicit new
     * key, later in the dict, wins; handled by the loop above. */
    struct json_object *fl = json_object_new_array();
    if (ok) qsort(mf, n, sizeof mf[0], mfield_cmp);
    for (size_t i = 0; i < n; i++) {
        struct json_object *t = json_object_new_object();
        json_object_object_add(t, "field", json_object_new_string(mf[i].f->name));
        json_object_object_add(t, "value", mf[i].value);
        json_object_object_add(t, "mask", mf[i].mask);
        json_object_array_add(fl, wrap("OXMTlv", t));
    }
    if (!ok) {
        json_object_put(fl);
        return NULL;
    }
    struct json_object *m = json_object_new_object();
    json_object_object_add(m, "oxm_fields", fl);
    return wrap("OFPMatch", m);
}

/* ---------- base64 as Python's b64decode reads it (not strict) ---------- */

static int b64val(unsigned char ch)
{
    if (ch >= 'A' && ch <= 'Z') return ch - 'A';
    if (ch >= 'a' && ch <= 'z') return ch - 'a' + 26;
    if (ch >= '0' && ch <= '9') return ch - '0' + 52;
    if (ch == '+') return 62;
    if (ch == '/') return 63;
    return -1;
}

/* Characters outside the alphabet are skipped; enough '=' ends the data;
 * a dangling quantum is an error (binascii.Error, a ValueError). out has
 * room for strlen(s) bytes. */
static bool py_b64decode(const char *s, uint8_t *out, size_t *n)
{
    int quad = 0, pads = 0;
    unsigned left = 0;
    size_t k = 0;
    for (; *s; s++) {
        unsigned char ch = (unsigned char)*s;
        if (ch >= 0x80) return false; /* a str with non-ASCII: ValueError */
        if (ch == '=') {
            if (quad >= 2 && quad + ++pads >= 4) {
                *n = k;
                return true;
            }
            continue;
        }
        int v = b64val(ch);
        if (v < 0) continue;
        pads = 0;
        switch (quad) {
        case 0: left = (unsigned)v, quad = 1; break;
        case 1: out[k++] = (uint8_t)((left << 2) | ((unsigned)v >> 4)), left = (unsigned)v & 0x0f, quad = 2; break;
        case 2: out[k++] = (uint8_t)((left << 4) | ((unsigned)v >> 2)), left = (unsigned)v & 0x03, quad = 3; break;
        default: out[k++] = (uint8_t)((left << 6) | (unsigned)v), left = 0, quad = 0; break;
        }
    }
    *n = k;
    return quad == 0;
}

static struct json_object *b64_json(const uint8_t *p, size_t n)
{
    static const char tab[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    size_t m = (n + 2) / 3 * 4;
    char *t = malloc(m + 1);
    if (!t) return NULL;
    size_t k = 0;
    for (size_t i = 0; i < n; i += 3) {
        unsigned v = (unsigned)p[i] << 16 | (i + 1 < n ? (unsigned)p[i + 1] << 8 : 0) | (i + 2 < n ? p[i + 2] : 0);
        t[k++] = tab[v >> 18 & 63];
        t[k++] = tab[v >> 12 & 63];
        t[k++] = i + 1 < n ? tab[v >> 6 & 63] : '=';
        t[k++] = i + 2 < n ? tab[v & 63] : '=';
    }
    t[k] = 0;
    struct json_object *j = json_object_new_string(t);
    free(t);
    return j;
}

/* Decodes a base64 JSON string into a new buffer (*buf, *n). */
static bool b64_arg(struct ctx *c, struct json_object *v, const char *what, uint8_t **buf, size_t *n)
{
    if (!json_object_is_type(v, json_type_string))
        return fail(c, OFCTL_BAD_REQUEST, "%s: base64 data must be a string, not %s", what, q(v));
    const char *s = json_object_get_string(v);
    *buf = malloc(strlen(s) + 1);
    if (!*buf) return fail(c, OFCTL_BAD_REQUEST, "%s: out of memory", what);
    if (!py_b64decode(s, *buf, n)) {
        free(*buf);
        *buf = NULL;
        return fail(c, OFCTL_BAD_REQUEST, "%s: %s is not valid base64", what, q(v));
    }
    return true;
}

/* ---------- actions and instructions (Ryu's to_action, to_instructions) ---------- */

static const char *const simple_actions[][2] = {
    {"COPY_TTL_OUT", "OFPActionCopyTtlOut"}, {"COPY_TTL_IN", "OFPActionCopyTtlIn"},
    {"DEC_MPLS_TTL", "OFPActionDecMplsTtl"}, {"POP_VLAN", "OFPActionPopVlan"},
    {"DEC_NW_TTL", "OFPActionDecNwTtl"},     {"POP_PBB", "OFPActionPopPbb"},
};
static const char *const ethertype_actions[][2] = {
    {"PUSH_VLAN", "OFPActionPushVlan"},
    {"PUSH_MPLS", "OFPActionPushMpls"},
    {"POP_MPLS", "OFPActionPopMpls"},
    {"PUSH_PBB", "OFPActionPushPbb"},
};
/* Actions of one integer argument read with str_to_int. */
static const char *const int_actions[][3] = {
    {"SET_MPLS_TTL", "OFPActionSetMplsTtl", "mpls_ttl"},
    {"SET_NW_TTL", "OFPActionSetNwTtl", "nw_ttl"},
};

/* A set-field value as OS-Ken's OXM encoder takes it: integers wrap to
 * the field's width; an address field also takes an integer. Fields this
 * table lacks go to the codec as given. */
static struct json_object *set_field_value(struct ctx *c, const char *name, struct json_object *v)
{
    const struct field *f = NULL;
    for (size_t i = 0; i < N_FIELDS; i++)
        if (strcmp(fields[i].name, name) == 0) f = &fields[i];
    if (!f) return json_object_get(v);
    i128 iv;
    bool isint = json_int(v, &iv);
    if (f->kind == F_ETH || f->kind == F_IP4 || f->kind == F_IP6) {
        uint8_t b[16];
        size_t len = f->kind == F_ETH ? 6 : f->kind == F_IP4 ? 4 : 16;
        char txt[INET6_ADDRSTRLEN > 18 ? INET6_ADDRSTRLEN : 18];
        if (isint) {
            if (iv < 0 || (len < 16 && iv >= ((i128)1 << (8 * len)))) {
                defer(c, "set_field %s: %s is out of range", name, q(v));
                return NULL;
            }
            for (size_t i = len; i-- > 0;) b[i] = (uint8_t)iv, iv >>= 8;
        } else if (!json_object_is_type(v, json_type_string) ||
                   !(f->kind == F_ETH ? parse_mac(json_object_get_string(v), b)
                                      : parse_ip(json_object_get_string(v), f->kind == F_IP6, b))) {
            defer(c, "set_field %s: %s is not a valid address", name, q(v));
            return NULL;
        }
        if (f->kind == F_ETH) fmt_mac(b, txt);
        else fmt_ip(b, f->kind == F_IP6, txt);
        return json_object_new_string(txt);
    }
    if (!isint) {
        defer(c, "set_field %s: %s is not an integer", name, q(v));
        return NULL;
    }
    return json_object_new_uint64(wrap_width(iv, f->width));
}

static const char *type_str(struct json_object *t)
{
    return json_object_is_type(t, json_type_string) ? json_object_get_string(t) : NULL;
}

/* One action, *out NULL when Ryu skips it (an unknown type). */
static bool to_action(struct ctx *c, struct json_object *dic, struct json_object **out)
{
    *out = NULL;
    struct json_object *tj = get(dic, "type", NULL);
    if (json_object_is_type(tj, json_type_array) || json_object_is_type(tj, json_type_object))
        return fail(c, OFCTL_BAD_REQUEST, "action type %s is not hashable", q(tj));
    const char *t = type_str(tj);
    if (!t) return true;
    struct json_object *a = json_object_new_object();
    const char *cls = NULL;
    i128 v, v2, v3;
    bool present;
    for (size_t i = 0; i < sizeof simple_actions / sizeof simple_actions[0]; i++)
        if (strcmp(t, simple_actions[i][0]) == 0) cls = simple_actions[i][1];
    for (size_t i = 0; !cls && i < sizeof ethertype_actions / sizeof ethertype_actions[0]; i++)
        if (strcmp(t, ethertype_actions[i][0]) == 0) {
            if (!str_to_int(c, get(dic, "ethertype", NULL), "ethertype", &v) || !put_int(c, a, "ethertype", v))
                goto bad;
            cls = ethertype_actions[i][1];
        }
    for (size_t i = 0; !cls && i < sizeof int_actions / sizeof int_actions[0]; i++)
        if (strcmp(t, int_actions[i][0]) == 0) {
            if (!str_to_int(c, get(dic, int_actions[i][2], NULL), int_actions[i][2], &v) ||
                !put_int(c, a, int_actions[i][2], v))
                goto bad;
            cls = int_actions[i][1];
        }
    if (cls) {
        /* done */
    } else if (strcmp(t, "OUTPUT") == 0) {
        struct json_object *port = get(dic, "port", &present);
        if (present ? !reserved_pack(c, &N_PORT, port, "output port", &v) : ((v = 0xffffffff), false)) goto bad;
        struct json_object *ml = get(dic, "max_len", &present);
        if (present ? !reserved_pack(c, &N_CML, ml, "max_len", &v2) : ((v2 = 0xffe5), false)) goto bad;
        if (!put_int(c, a, "port", v) || !put_int(c, a, "max_len", v2)) goto bad;
        cls = "OFPActionOutput";
    } else if (strcmp(t, "SET_QUEUE") == 0) {
        if (!reserved_pack(c, &N_QUEUE, get(dic, "queue_id", NULL), "queue_id", &v) || !put_int(c, a, "queue_id", v))
            goto bad;
        cls = "OFPActionSetQueue";
    } else if (strcmp(t, "GROUP") == 0) {
        if (!reserved_pack(c, &N_GROUP, get(dic, "group_id", NULL), "group_id", &v) || !put_int(c, a, "group_id", v))
            goto bad;
        cls = "OFPActionGroup";
    } else if (strcmp(t, "SET_FIELD") == 0) {
        struct json_object *f = get(dic, "field", NULL), *val = get(dic, "value", NULL);
        if (!json_object_is_type(f, json_type_string)) {
            /* OFPActionSetField(**{field: value}) with a key not a str */
            fail(c, OFCTL_BAD_REQUEST, "set_field: the field must be a string, not %s", q(f));
            goto bad;
        }
        struct json_object *jv = set_field_value(c, json_object_get_string(f), val);
        struct json_object *tlv = json_object_new_object();
        json_object_object_add(tlv, "field", json_object_get(f));
        json_object_object_add(tlv, "value", jv);
        json_object_object_add(tlv, "mask", NULL);
        json_object_object_add(a, "field", wrap("OXMTlv", tlv));
        cls = "OFPActionSetField";
    } else if (strcmp(t, "COPY_FIELD") == 0) {
        if (!str_to_int(c, get(dic, "n_bits", NULL), "n_bits", &v) ||
            !str_to_int(c, get(dic, "src_offset", NULL), "src_offset", &v2) ||
            !str_to_int(c, get(dic, "dst_offset", NULL), "dst_offset", &v3))
            goto bad;
        if (!c->v15) {
            fail(c, OFCTL_UNSUPPORTED, "COPY_FIELD is an OpenFlow 1.5 action");
            goto bad;
        }
        if (!put_int(c, a, "n_bits", v) || !put_int(c, a, "src_offset", v2) || !put_int(c, a, "dst_offset", v3))
            goto bad;
        struct json_object *ids = json_object_new_array();
        json_object_object_add(a, "oxm_ids", ids);
        static const char *const keys[] = {"src_oxm_id", "dst_oxm_id"};
        for (int i = 0; i < 2; i++) {
            struct json_object *id = get(dic, keys[i], NULL);
            if (!json_object_is_type(id, json_type_string)) {
                defer(c, "%s: %s is not a field name", keys[i], q(id));
                continue;
            }
            struct json_object *o = json_object_new_object();
            json_object_object_add(o, "type", json_object_get(id));
            json_object_object_add(o, "hasmask", json_object_new_boolean(0));
            json_object_array_add(ids, wrap("OFPOxmId", o));
        }
        cls = "OFPActionCopyField";
    } else if (strcmp(t, "METER") == 0) {
        if (!c->v15) goto skip; /* 1.4 has no meter action: Ryu skips it */
        if (!str_to_int(c, get(dic, "meter_id", NULL), "meter_id", &v) || !put_int(c, a, "meter_id", v)) goto bad;
        cls = "OFPActionMeter";
    } else if (strcmp(t, "EXPERIMENTER") == 0) {
        if (!str_to_int(c, get(dic, "experimenter", NULL), "experimenter", &v)) goto bad;
        struct json_object *dt = get(dic, "data_type", &present);
        const char *dts = present ? type_str(dt) : "ascii";
        if (!dts || (strcmp(dts, "ascii") != 0 && strcmp(dts, "base64") != 0)) goto skip;
        if (strcmp(dts, "ascii") == 0) {
            /* Ryu hands the str itself to the action, which cannot pack it */
            defer(c, "EXPERIMENTER action: ascii data cannot be packed, use base64");
            goto skip;
        }
        struct json_object *d = get(dic, "data", &present);
        struct json_object *empty = NULL;
        if (!present) d = empty = json_object_new_string("");
        uint8_t *buf = NULL;
        size_t n = 0;
        bool ok = b64_arg(c, d, "EXPERIMENTER action", &buf, &n);
        json_object_put(empty);
        if (!ok) goto bad;
        json_object_object_add(a, "data", b64_json(buf, n));
        free(buf);
        if (!put_int(c, a, "experimenter", v)) goto bad;
        cls = "OFPActionExperimenterUnknown";
    } else {
        goto skip;
    }
    *out = wrap(cls, a);
    return true;
skip:
    json_object_put(a);
    return true;
bad:
    json_object_put(a);
    return false;
}

/* A list of actions (Ryu's _get_actions, or a bucket's loop): unknown
 * types are dropped. */
static struct json_object *to_actions(struct ctx *c, struct json_object *dics)
{
    size_t n;
    if (!dict_items(c, dics, "actions", &n)) return NULL;
    struct json_object *acts = json_object_new_array();
    for (size_t i = 0; i < n; i++) {
        struct json_object *a;
        if (!to_action(c, json_object_array_get_idx(dics, i), &a)) {
            json_object_put(acts);
            return NULL;
        }
        if (a) json_object_array_add(acts, a);
    }
    return acts;
}

static struct json_object *to_instructions(struct ctx *c, struct json_object *insts)
{
    size_t n;
    if (!dict_items(c, insts, "instructions", &n)) return NULL;
    struct json_object *out = json_object_new_array();
    for (size_t i = 0; i < n; i++) {
        struct json_object *ins = json_object_array_get_idx(insts, i);
        const char *t = type_str(get(ins, "type", NULL));
        struct json_object *o = json_object_new_object(), *w = NULL;
        i128 v, m;
        bool present;
        if (!t) {
            json_object_put(o);
            continue;
        }
        if (strcmp(t, "APPLY_ACTIONS") == 0 || strcmp(t, "WRITE_ACTIONS") == 0) {
            struct json_object *dics = get(ins, "actions", &present), *empty = NULL;
            if (!present) dics = empty = json_object_new_array();
            struct json_object *acts = to_actions(c, dics);
            json_object_put(empty);
            if (!acts) goto bad;
            if (json_object_array_length(acts) == 0) { /* Ryu adds no instruction for no actions */
                json_object_put(acts);
                json_object_put(o);
                continue;
            }
            json_object_object_add(o, "type", json_object_new_int(t[0] == 'A' ? 4 : 3));
            json_object_object_add(o, "actions", acts);
            w = wrap("OFPInstructionActions", o);
        } else if (strcmp(t, "CLEAR_ACTIONS") == 0) {
            json_object_object_add(o, "type", json_object_new_int(5));
            json_object_object_add(o, "actions", json_object_new_array());
            w = wrap("OFPInstructionActions", o);
        } else if (strcmp(t, "GOTO_TABLE") == 0) {
            if (!str_to_int(c, get(ins, "table_id", NULL), "table_id", &v) || !put_int(c, o, "table_id", v))
                goto bad;
            w = wrap("OFPInstructionGotoTable", o);
        } else if (strcmp(t, "WRITE_METADATA") == 0) {
            if (!str_to_int(c, get(ins, "metadata", NULL), "metadata", &v)) goto bad;
            struct json_object *mj = get(ins, "metadata_mask", &present);
            if (present ? !str_to_int(c, mj, "metadata_mask", &m) : ((m = UINT64_MAX), false)) goto bad;
            if (!put_int(c, o, "metadata", v) || !put_int(c, o, "metadata_mask", m)) goto bad;
            w = wrap("OFPInstructionWriteMetadata", o);
        } else if (strcmp(t, "METER") == 0 && !c->v15) {
            if (!str_to_int(c, get(ins, "meter_id", NULL), "meter_id", &v) || !put_int(c, o, "meter_id", v))
                goto bad;
            w = wrap("OFPInstructionMeter", o);
        } else {
            json_object_put(o); /* Ryu logs an unknown instruction and goes on */
            continue;
        }
        json_object_array_add(out, w);
        continue;
    bad:
        json_object_put(o);
        json_object_put(out);
        return NULL;
    }
    return out;
}

/* ---------- requests ---------- */

/* A path part (a string; NULL for none) read with a _from_user. */
static bool path_arg(struct ctx *c, const struct names *t, const char *s, uint32_t dflt, const char *what, i128 *out)
{
    if (!s) {
        *out = dflt;
        return true;
    }
    struct json_object *j = json_object_new_string(s);
    bool ok = reserved_pack(c, t, j, what, out);
    json_object_put(j);
    return ok;
}

/* Python's truth of a JSON value (Ryu's "flow if flow else {}"). */
static bool truthy(struct json_object *v)
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

/* flow.get(key, default) read with str_to_int or a _from_user. */
static bool opt_int(struct ctx *c, struct json_object *o, const char *key, i128 dflt, i128 *out)
{
    bool present;
    struct json_object *v = get(o, key, &present);
    if (!present) {
        *out = dflt;
        return true;
    }
    return str_to_int(c, v, key, out);
}

static bool opt_reserved(struct ctx *c, struct json_object *o, const char *key, const struct names *t, i128 dflt,
                         i128 *out)
{
    bool present;
    struct json_object *v = get(o, key, &present);
    if (!present) {
        *out = dflt;
        return true;
    }
    return reserved_pack(c, t, v, key, out);
}

/* The filter of flow, flowdesc and aggregateflow (in Ryu's order). */
static struct json_object *flow_filter(struct ctx *c, const char *cls, struct json_object *body, bool with_priority,
                                       i128 *priority)
{
    struct json_object *empty = json_object_new_object();
    struct json_object *flow = truthy(body) ? body : empty, *r = NULL, *m = NULL, *o = NULL;
    i128 table_id, flags, out_port, out_group, cookie, cookie_mask;
    bool present;
    if (!need_dict(c, flow, "the flow filter") || !opt_reserved(c, flow, "table_id", &N_TABLE, 0xff, &table_id) ||
        !opt_int(c, flow, "flags", 0, &flags) || !opt_reserved(c, flow, "out_port", &N_PORT, 0xffffffff, &out_port) ||
        !opt_reserved(c, flow, "out_group", &N_GROUP, 0xffffffff, &out_group) ||
        !opt_int(c, flow, "cookie", 0, &cookie) || !opt_int(c, flow, "cookie_mask", 0, &cookie_mask))
        goto out;
    struct json_object *mj = get(flow, "match", &present), *me = NULL;
    if (!present) mj = me = json_object_new_object();
    m = to_match(c, mj);
    json_object_put(me);
    if (!m) goto out;
    if (with_priority && !opt_int(c, flow, "priority", -1, priority)) goto out;
    o = json_object_new_object();
    put_int(c, o, "flags", flags);
    put_int(c, o, "table_id", table_id);
    put_int(c, o, "out_port", out_port);
    put_int(c, o, "out_group", out_group);
    put_int(c, o, "cookie", cookie);
    put_int(c, o, "cookie_mask", cookie_mask);
    json_object_object_add(o, "match", m);
    m = NULL;
    r = wrap(cls, o);
out:
    json_object_put(m);
    json_object_put(empty);
    return r;
}

static struct json_object *stats_req(const char *cls)
{
    struct json_object *o = json_object_new_object();
    json_object_object_add(o, "flags", json_object_new_int(0));
    return wrap(cls, o);
}

static struct json_object *stats_req1(struct ctx *c, const char *cls, const char *key, i128 v)
{
    struct json_object *m = stats_req(cls);
    put_int(c, json_object_object_get(m, cls), key, v);
    return m;
}

static struct json_object *build_flow_mod(struct ctx *c, struct json_object *flow, int command)
{
    i128 cookie, cookie_mask, table_id, idle, hard, priority, buffer_id, out_port, out_group, importance, flags;
    struct json_object *m = NULL, *inst = NULL, *o;
    bool present;
    if (!need_dict(c, flow, "the flow entry") || !opt_int(c, flow, "cookie", 0, &cookie) ||
        !opt_int(c, flow, "cookie_mask", 0, &cookie_mask) ||
        !opt_reserved(c, flow, "table_id", &N_TABLE, 0, &table_id) || !opt_int(c, flow, "idle_timeout", 0, &idle) ||
        !opt_int(c, flow, "hard_timeout", 0, &hard) || !opt_int(c, flow, "priority", 0, &priority))
        return NULL;
    /* buffer_id: Ryu's names for no buffer, else the value as given */
    struct json_object *b = get(flow, "buffer_id", &present);
    const char *bs = type_str(b);
    if (!present || (bs && (strcmp(bs, "OFP_NO_BUFFER") == 0 || strcmp(bs, "NO_BUFFER") == 0))) buffer_id = 0xffffffff;
    else if (!json_int(b, &buffer_id)) defer(c, "buffer_id: %s is not a number", q(b)), buffer_id = 0;
    if (!opt_reserved(c, flow, "out_port", &N_PORT, 0xffffffff, &out_port) ||
        !opt_reserved(c, flow, "out_group", &N_GROUP, 0xffffffff, &out_group) ||
        !opt_int(c, flow, "importance", 0, &importance) || !opt_int(c, flow, "flags", 0, &flags))
        return NULL;
    struct json_object *mj = get(flow, "match", &present), *me = NULL;
    if (!present) mj = me = json_object_new_object();
    m = to_match(c, mj);
    json_object_put(me);
    if (!m) return NULL;
    struct json_object *ij = get(flow, "instructions", &present), *ie = NULL;
    if (!present) ij = ie = json_object_new_array();
    inst = to_instructions(c, ij);
    json_object_put(ie);
    if (!inst) {
        json_object_put(m);
        return NULL;
    }
    o = json_object_new_object();
    put_int(c, o, "cookie", cookie);
    put_int(c, o, "cookie_mask", cookie_mask);
    put_int(c, o, "table_id", table_id);
    json_object_object_add(o, "command", json_object_new_int(command));
    put_int(c, o, "idle_timeout", idle);
    put_int(c, o, "hard_timeout", hard);
    put_int(c, o, "priority", priority);
    put_int(c, o, "buffer_id", buffer_id);
    put_int(c, o, "out_port", out_port);
    put_int(c, o, "out_group", out_group);
    /* OS-Ken's ofctl_v1_5 passes importance and flags positionally in
     * the other order than OFPFlowMod takes them: the oracle sends the
     * body's importance as the flags and its flags as the importance. */
    put_int(c, o, "flags", c->v15 ? importance : flags);
    put_int(c, o, "importance", c->v15 ? flags : importance);
    json_object_object_add(o, "match", m);
    json_object_object_add(o, "instructions", inst);
    return wrap("OFPFlowMod", o);
}

static struct json_object *build_meter_mod(struct ctx *c, struct json_object *meter, int command)
{
    i128 flags = 0, meter_id, v;
    bool present;
    if (!need_dict(c, meter, "the meter entry")) return NULL;
    struct json_object *fl = get(meter, "flags", &present);
    if (present) {
        /* Ryu keeps a flag only when _from_user changed it: names and
         * numeric strings count, a JSON number or an unknown name does not */
        size_t n = json_object_is_type(fl, json_type_array) ? json_object_array_length(fl) : 1;
        for (size_t i = 0; i < n; i++) {
            struct json_object *f = json_object_is_type(fl, json_type_array) ? json_object_array_get_idx(fl, i) : fl;
            if (json_object_is_type(f, json_type_string) && from_user(c, &N_METER_FLAG, f, &v)) flags |= v;
        }
    }
    if (!opt_reserved(c, meter, "meter_id", &N_METER, 0, &meter_id)) return NULL;
    struct json_object *bj = get(meter, "bands", &present), *be = NULL;
    if (!present) bj = be = json_object_new_array();
    size_t n;
    struct json_object *bands = NULL;
    if (!dict_items(c, bj, "bands", &n)) goto out;
    bands = json_object_new_array();
    for (size_t i = 0; i < n; i++) {
        struct json_object *band = json_object_array_get_idx(bj, i);
        const char *t = type_str(get(band, "type", NULL));
        i128 rate, burst, x;
        if (!opt_int(c, band, "rate", 0, &rate) || !opt_int(c, band, "burst_size", 0, &burst)) goto bad;
        const char *cls = NULL, *key = NULL;
        if (t && strcmp(t, "DROP") == 0) cls = "OFPMeterBandDrop";
        else if (t && strcmp(t, "DSCP_REMARK") == 0) cls = "OFPMeterBandDscpRemark", key = "prec_level";
        else if (t && strcmp(t, "EXPERIMENTER") == 0) cls = "OFPMeterBandExperimenter", key = "experimenter";
        else continue; /* Ryu logs an unknown band type */
        if (key && !opt_int(c, band, key, 0, &x)) goto bad;
        struct json_object *o = json_object_new_object();
        put_int(c, o, "rate", rate);
        put_int(c, o, "burst_size", burst);
        if (key) put_int(c, o, key, x);
        json_object_array_add(bands, wrap(cls, o));
    }
    struct json_object *o = json_object_new_object();
    json_object_object_add(o, "command", json_object_new_int(command));
    put_int(c, o, "flags", flags);
    put_int(c, o, "meter_id", meter_id);
    json_object_object_add(o, "bands", bands);
    json_object_put(be);
    return wrap("OFPMeterMod", o);
bad:
    json_object_put(bands);
out:
    json_object_put(be);
    return NULL;
}

/* Experimenter data Ryu hands on unconverted (port-mod and bucket
 * properties): packed as 32-bit words, so it must be a list of numbers
 * (or empty). */
static struct json_object *raw_words(struct ctx *c, struct json_object *d, const char *what)
{
    struct json_object *out = json_object_new_array();
    if (json_object_is_type(d, json_type_array)) {
        for (size_t i = 0; i < json_object_array_length(d); i++) {
            struct json_object *x = json_object_array_get_idx(d, i);
            i128 v;
            if (!json_int(x, &v) || v < 0 || v > UINT32_MAX) defer(c, "%s: data word %s does not fit 32 bits", what, q(x));
            else json_object_array_add(out, jint(v));
        }
    } else if (!((json_object_is_type(d, json_type_string) || json_object_is_type(d, json_type_object)) &&
                 !truthy(d))) {
        defer(c, "%s: data %s is not a list of 32-bit numbers", what, q(d));
    }
    return out;
}

/* A raw value Ryu packs as it is: a JSON number, else a pack failure. */
static struct json_object *raw_int(struct ctx *c, struct json_object *v, const char *what)
{
    i128 x;
    if (json_int(v, &x)) return jint(x);
    defer(c, "%s: %s is not a number", what, q(v));
    return json_object_new_int(0);
}

static struct json_object *bucket_props(struct ctx *c, struct json_object *pj)
{
    size_t n;
    if (!dict_items(c, pj, "bucket properties", &n)) return NULL;
    struct json_object *props = json_object_new_array();
    for (size_t i = 0; i < n; i++) {
        struct json_object *p = json_object_array_get_idx(pj, i), *o = json_object_new_object();
        bool present;
        struct json_object *tj = get(p, "type", &present);
        i128 type = 0, v;
        /* str(type): a name or number; anything else is WEIGHT */
        char buf[64];
        struct json_object *ts = NULL;
        if (!present) type = 0;
        else {
            if (json_object_is_type(tj, json_type_string)) ts = json_object_get(tj);
            else if (json_object_is_type(tj, json_type_int)) {
                snprintf(buf, sizeof buf, "%s", json_object_get_string(tj));
                ts = json_object_new_string(buf);
            }
            if (!ts || !from_user(c, &N_BUCKET_PROP, ts, &type)) type = 0;
            json_object_put(ts);
        }
        const char *cls;
        if (type == 0) {
            if (!opt_int(c, p, "weight", 0, &v)) goto bad;
            put_int(c, o, "weight", v);
            cls = "OFPGroupBucketPropWeight";
        } else if (type == 1 || type == 2) {
            if (!opt_int(c, p, "watch", 0xffffffff, &v)) goto bad;
            put_int(c, o, "watch", v);
            cls = "OFPGroupBucketPropWatch";
        } else if (type == 0xffff) {
            struct json_object *e = get(p, "experimenter", &present);
            json_object_object_add(o, "experimenter", present ? raw_int(c, e, "experimenter") : json_object_new_int(0));
            struct json_object *et = get(p, "exp_type", &present);
            json_object_object_add(o, "exp_type", present ? raw_int(c, et, "exp_type") : json_object_new_int(0));
            struct json_object *dt = get(p, "data_type", &present);
            const char *dts = present ? type_str(dt) : "ascii";
            struct json_object *d = get(p, "data", &present), *de = NULL;
            if (!present) d = de = json_object_new_string("");
            if (dts && strcmp(dts, "base64") == 0) {
                uint8_t *buf8 = NULL;
                size_t len = 0;
                bool ok = b64_arg(c, d, "bucket property", &buf8, &len);
                json_object_put(de);
                if (!ok) goto bad;
                /* each byte of the decoded data becomes one 32-bit word */
                struct json_object *w = json_object_new_array();
                for (size_t k = 0; k < len; k++) json_object_array_add(w, json_object_new_int(buf8[k]));
                free(buf8);
                json_object_object_add(o, "data", w);
            } else {
                json_object_object_add(o, "data", raw_words(c, d, "bucket property"));
                json_object_put(de);
            }
            cls = "OFPGroupBucketPropExperimenter";
        } else {
            json_object_put(o); /* Ryu logs an unknown property type */
            continue;
        }
        json_object_object_add(o, "type", jint(type));
        json_object_array_add(props, wrap(cls, o));
        continue;
    bad:
        json_object_put(o);
        json_object_put(props);
        return NULL;
    }
    return props;
}

static struct json_object *build_group_mod(struct ctx *c, struct json_object *group, int command)
{
    i128 type = 0, group_id, cbid = 0;
    bool present, type_ok;
    if (!need_dict(c, group, "the group entry")) return NULL;
    struct json_object *tj = get(group, "type", &present), *ts;
    /* str(type) through _from_user: an unknown name leaves no type (Ryu
     * then fails to pack None) */
    if (!present) ts = json_object_new_string("ALL");
    else if (json_object_is_type(tj, json_type_string)) ts = json_object_get(tj);
    else if (json_object_is_type(tj, json_type_int)) ts = json_object_new_string(json_object_get_string(tj));
    else ts = NULL;
    type_ok = ts && from_user(c, &N_GROUP_TYPE, ts, &type);
    json_object_put(ts);
    if (!type_ok) defer(c, "unknown group type %s", q(tj));
    if (!opt_reserved(c, group, "group_id", &N_GROUP, 0, &group_id)) return NULL;
    if (c->v15 && !opt_int(c, group, "command_bucket_id", 0, &cbid)) return NULL;
    struct json_object *bj = get(group, "buckets", &present), *be = NULL;
    if (!present) bj = be = json_object_new_array();
    size_t n;
    struct json_object *buckets = NULL;
    if (!dict_items(c, bj, "buckets", &n)) goto out;
    buckets = json_object_new_array();
    for (size_t i = 0; i < n; i++) {
        struct json_object *b = json_object_array_get_idx(bj, i), *o = json_object_new_object();
        i128 w, wp, wg, bid;
        if (c->v15) {
            if (!opt_int(c, b, "bucket_id", 0, &bid)) goto bad1;
            put_int(c, o, "bucket_id", bid);
        } else {
            if (!opt_int(c, b, "weight", 0, &w) || !opt_int(c, b, "watch_port", 0xffffffff, &wp) ||
                !opt_int(c, b, "watch_group", 0xffffffff, &wg))
                goto bad1;
            put_int(c, o, "weight", w);
            put_int(c, o, "watch_port", wp);
            put_int(c, o, "watch_group", wg);
        }
        struct json_object *aj = get(b, "actions", &present), *ae = NULL;
        if (!present) aj = ae = json_object_new_array();
        struct json_object *acts = to_actions(c, aj);
        json_object_put(ae);
        if (!acts) goto bad1;
        json_object_object_add(o, "actions", acts);
        if (c->v15) {
            struct json_object *pj = get(b, "properties", &present), *pe = NULL;
            if (!present) pj = pe = json_object_new_array();
            struct json_object *props = bucket_props(c, pj);
            json_object_put(pe);
            if (!props) goto bad1;
            json_object_object_add(o, "properties", props);
        }
        json_object_array_add(buckets, wrap("OFPBucket", o));
        continue;
    bad1:
        json_object_put(o);
        goto bad;
    }
    struct json_object *o = json_object_new_object();
    json_object_object_add(o, "command", json_object_new_int(command));
    put_int(c, o, "type", type);
    put_int(c, o, "group_id", group_id);
    if (c->v15) {
        put_int(c, o, "command_bucket_id", cbid);
        json_object_object_add(o, "properties", json_object_new_array());
    }
    json_object_object_add(o, "buckets", buckets);
    json_object_put(be);
    return wrap("OFPGroupMod", o);
bad:
    json_object_put(buckets);
out:
    json_object_put(be);
    return NULL;
}

static struct json_object *build_port_mod(struct ctx *c, struct json_object *pc,
                                          const struct ken_ofp_port_defaults *def)
{
    i128 port_no, config, mask, type, v;
    bool present;
    if (!need_dict(c, pc, "the port config") || !opt_reserved(c, pc, "port_no", &N_PORT, 0, &port_no)) return NULL;
    /* hw_addr: str() of the body's, else the port's own */
    char mac[18] = "";
    struct json_object *hw = get(pc, "hw_addr", &present);
    uint8_t m6[6];
    if (present) {
        if (json_object_is_type(hw, json_type_string) && parse_mac(json_object_get_string(hw), m6)) fmt_mac(m6, mac);
        else defer(c, "hw_addr: %s is not a MAC address", q(hw));
    } else if (def) {
        fmt_mac(def->hw_addr, mac);
    } else {
        defer(c, "hw_addr: none given and the port is unknown");
    }
    if (!opt_int(c, pc, "config", 0, &config) || !opt_int(c, pc, "mask", 0, &mask)) return NULL;
    struct json_object *pj = get(pc, "properties", &present);
    struct json_object *props = json_object_new_array();
    if (!present) {
        /* Ryu's default is the port's own property objects, which its
         * loop cannot subscript: only an empty list gets through */
        if (def && def->properties && json_object_array_length(def->properties) > 0) {
            json_object_put(props);
            fail(c, OFCTL_BAD_REQUEST, "properties: none given, and the port's own cannot be reused; give them");
            return NULL;
        }
        goto done;
    }
    /* Ryu subscripts each property (p['type']): anything but a list of
     * objects (or an empty object or string) is a TypeError */
    size_t n = json_object_is_type(pj, json_type_array) ? json_object_array_length(pj) : 0;
    bool ok = json_object_is_type(pj, json_type_array) ||
              ((json_object_is_type(pj, json_type_object) || json_object_is_type(pj, json_type_string)) && !truthy(pj));
    for (size_t i = 0; ok && i < n; i++) ok = json_object_is_type(json_object_array_get_idx(pj, i), json_type_object);
    if (!ok) {
        json_object_put(props);
        fail(c, OFCTL_BAD_REQUEST, "properties must be a list of objects, not %s", q(pj));
        return NULL;
    }
    for (size_t i = 0; i < n; i++) {
        struct json_object *p = json_object_array_get_idx(pj, i), *o = json_object_new_object();
        struct json_object *tj = get(p, "type", &present);
        const char *cls = NULL;
        if (!present) {
            fail(c, OFCTL_BAD_REQUEST, "port property without a \"type\"");
            goto bad;
        }
        if (!from_user(c, &N_PORT_MOD_PROP, tj, &type)) { /* unresolved: logged and skipped by Ryu */
            json_object_put(o);
            continue;
        }
        if (type == 0) {
            struct json_object *adv = get(p, "advertise", &present);
            if (!present) {
                fail(c, OFCTL_BAD_REQUEST, "ethernet port property without \"advertise\"");
                goto bad;
            }
            reserved_pack(c, &N_PORT_FEATURE, adv, "advertise", &v);
            put_int(c, o, "advertise", v);
            cls = "OFPPortModPropEthernet";
        } else if (type == 1) {
            static const char *const keys[] = {"configure", "freq_lmda", "fl_offset", "grid_span", "tx_pwr"};
            for (size_t k = 0; k < 5; k++) {
                struct json_object *x = get(p, keys[k], &present);
                if (!present) {
                    fail(c, OFCTL_BAD_REQUEST, "optical port property without \"%s\"", keys[k]);
                    goto bad;
                }
                json_object_object_add(o, keys[k], raw_int(c, x, keys[k]));
            }
            cls = "OFPPortModPropOptical";
        } else if (type == 0xffff) {
            static const char *const keys[] = {"experimenter", "exp_type", "data"};
            for (size_t k = 0; k < 3; k++) {
                struct json_object *x = get(p, keys[k], &present);
                if (!present) {
                    fail(c, OFCTL_BAD_REQUEST, "experimenter port property without \"%s\"", keys[k]);
                    goto bad;
                }
                json_object_object_add(o, keys[k], k == 2 ? raw_words(c, x, "port property") : raw_int(c, x, keys[k]));
            }
            cls = "OFPPortModPropExperimenter";
        } else {
            json_object_put(o);
            continue;
        }
        json_object_array_add(props, wrap(cls, o));
        continue;
    bad:
        json_object_put(o);
        json_object_put(props);
        return NULL;
    }
done:;
    struct json_object *o = json_object_new_object();
    put_int(c, o, "port_no", port_no);
    json_object_object_add(o, "hw_addr", json_object_new_string(mac[0] ? mac : "00:00:00:00:00:00"));
    put_int(c, o, "config", config);
    put_int(c, o, "mask", mask);
    json_object_object_add(o, "properties", props);
    return wrap("OFPPortMod", o);
}

/* Ryu's send_experimenter; *skip when it sends nothing (an unknown data_type). */
static struct json_object *build_experimenter(struct ctx *c, struct json_object *exp, bool *skip)
{
    bool present;
    *skip = false;
    if (!need_dict(c, exp, "the experimenter message")) return NULL;
    struct json_object *e = get(exp, "experimenter", &present);
    struct json_object *experimenter = present ? raw_int(c, e, "experimenter") : json_object_new_int(0);
    struct json_object *et = get(exp, "exp_type", &present);
    struct json_object *exp_type = present ? raw_int(c, et, "exp_type") : json_object_new_int(0);
    struct json_object *dt = get(exp, "data_type", &present);
    const char *dts = present ? type_str(dt) : "ascii";
    struct json_object *d = get(exp, "data", &present), *de = NULL, *data = NULL;
    if (!present) d = de = json_object_new_string("");
    if (dts && strcmp(dts, "base64") == 0) {
        uint8_t *buf = NULL;
        size_t n = 0;
        if (b64_arg(c, d, "experimenter data", &buf, &n)) data = b64_json(buf, n);
        free(buf);
    } else if (dts && strcmp(dts, "ascii") == 0) {
        if (!json_object_is_type(d, json_type_string)) {
            fail(c, OFCTL_UNSUPPORTED, "experimenter data: %s has no encode() (a string is wanted)", q(d));
        } else {
            const char *s = json_object_get_string(d);
            size_t len = (size_t)json_object_get_string_len(d);
            bool ascii = true;
            for (size_t i = 0; i < len; i++) ascii = ascii && (unsigned char)s[i] < 0x80;
            if (!ascii) fail(c, OFCTL_BAD_REQUEST, "experimenter data: %s is not ASCII", q(d));
            else data = b64_json((const uint8_t *)s, len);
        }
    } else {
        *skip = true; /* Ryu logs the unknown data type and sends nothing */
    }
    json_object_put(de);
    if (!data) {
        json_object_put(experimenter), json_object_put(exp_type);
        return NULL;
    }
    struct json_object *o = json_object_new_object();
    json_object_object_add(o, "experimenter", experimenter);
    json_object_object_add(o, "exp_type", exp_type);
    json_object_object_add(o, "data", data);
    return wrap("OFPExperimenter", o);
}

static struct json_object *role_request(struct ctx *c, i128 role)
{
    struct json_object *o = json_object_new_object();
    put_int(c, o, "role", role);
    if (c->v15) json_object_object_add(o, "short_id", json_object_new_int(0));
    json_object_object_add(o, "generation_id", json_object_new_int(0));
    return wrap("OFPRoleRequest", o);
}

/* ---------- replies ---------- */

/* {"Class": {...}} -> {...}, NULL for anything else. */
static struct json_object *inner(struct json_object *o)
{
    if (!json_object_is_type(o, json_type_object) || json_object_object_length(o) != 1) return NULL;
    json_object_object_foreach(o, k, v)
    {
        (void)k;
        return v;
    }
    return NULL;
}

static const char *class_of(struct json_object *o)
{
    if (!json_object_is_type(o, json_type_object) || json_object_object_length(o) != 1) return "";
    json_object_object_foreach(o, k, v)
    {
        (void)v;
        return k;
    }
    return "";
}

static struct json_object *copy(struct json_object *o)
{
    struct json_object *c = NULL;
    if (json_object_deep_copy(o, &c, NULL) != 0) return NULL;
    return c;
}

/* The inner object of a list item, NULL when the item is not one. */
static struct json_object *item(struct json_object *list, size_t i)
{
    return inner(json_object_array_get_idx(list, i));
}

static size_t len_of(struct json_object *list)
{
    return json_object_is_type(list, json_type_array) ? json_object_array_length(list) : 0;
}

static bool bad_reply(struct ctx *c, const char *what)
{
    return fail(c, OFCTL_BAD_REQUEST, "the switch's reply has no usable %s", what);
}

/* Python's str() of a match value (an int or a string in OS-Ken JSON). */
static void py_str(struct json_object *v, char *out, size_t cap)
{
    if (json_object_is_type(v, json_type_string)) snprintf(out, cap, "%s", json_object_get_string(v));
    else if (json_object_is_type(v, json_type_null)) snprintf(out, cap, "None");
    else snprintf(out, cap, "%s", json_object_to_json_string_ext(v, JSON_C_TO_STRING_PLAIN));
}

static struct json_object *match_to_str(struct ctx *c, struct json_object *mj)
{
    struct json_object *m = json_object_new_object();
    struct json_object *fl = json_object_object_get(inner(mj), "oxm_fields");
    for (size_t i = 0; i < len_of(fl); i++) {
        struct json_object *t = item(fl, i);
        const char *key = json_object_get_string(json_object_object_get(t, "field"));
        struct json_object *val = json_object_object_get(t, "value"), *mask = json_object_object_get(t, "mask");
        if (!key || json_object_object_get_ex(m, key, NULL)) continue; /* setdefault: the first stays */
        struct json_object *out;
        bool has_mask = mask && !json_object_is_type(mask, json_type_null);
        char buf[300], a[140], b[140];
        if (strcmp(key, "vlan_vid") == 0 && json_object_is_type(val, json_type_int)) {
            int64_t v = json_object_get_int64(val);
            if (has_mask) snprintf(buf, sizeof buf, "0x%04" PRIx64 "/0x%04" PRIx64, v, json_object_get_int64(mask));
            else if (v & 0x1000) snprintf(buf, sizeof buf, "%" PRId64, v & ~(int64_t)0x1000);
            else snprintf(buf, sizeof buf, "0x%04" PRIx64, v);
            out = json_object_new_string(buf);
        } else if (strcmp(key, "in_port") == 0) {
            out = to_user(c, &N_PORT, val);
        } else if (c->v15 && strcmp(key, "packet_type") == 0 && json_object_is_type(val, json_type_int)) {
            int64_t v = json_object_get_int64(val);
            out = json_object_new_array();
            json_object_array_add(out, json_object_new_int64(v >> 16));
            json_object_array_add(out, json_object_new_int64(v & 0xffff));
        } else if (has_mask) {
            py_str(val, a, sizeof a), py_str(mask, b, sizeof b);
            snprintf(buf, sizeof buf, "%s/%s", a, b);
            out = json_object_new_string(buf);
        } else {
            out = json_object_get(val);
        }
        json_object_object_add(m, key, out);
    }
    return m;
}

static struct json_object *stats_to_str(struct json_object *sj)
{
    struct json_object *s = json_object_new_object();
    struct json_object *fl = json_object_object_get(inner(sj), "oxs_fields");
    for (size_t i = 0; i < len_of(fl); i++) {
        struct json_object *t = item(fl, i);
        const char *key = json_object_get_string(json_object_object_get(t, "field"));
        struct json_object *val = json_object_object_get(t, "value");
        if (!key || json_object_object_get_ex(s, key, NULL)) continue;
        struct json_object *out;
        bool dur = strcmp(key, "duration") == 0, idle = strcmp(key, "idle_time") == 0;
        if ((dur || idle) && len_of(val) >= 2) {
            out = json_object_new_object();
            json_object_object_add(out, dur ? "duration_sec" : "idle_time_sec",
                                   json_object_get(json_object_array_get_idx(val, 0)));
            json_object_object_add(out, dur ? "duration_nsec" : "idle_time_nsec",
                                   json_object_get(json_object_array_get_idx(val, 1)));
        } else {
            out = json_object_get(val);
        }
        json_object_object_add(s, key, out);
    }
    return s;
}

static struct json_object *action_to_str(struct ctx *c, struct json_object *aj)
{
    struct json_object *s = copy(inner(aj));
    if (!s) return NULL;
    struct json_object *tj = json_object_object_get(s, "type");
    const char *t = json_object_is_type(tj, json_type_int) ? name_of(c, &N_ACTION, json_object_get_int64(tj)) : NULL;
    json_object_object_add(s, "type", json_object_new_string(t ? t : "UNKNOWN"));
    struct json_object *f = NULL;
    bool set_field = c->v15 ? (t && strcmp(t, "SET_FIELD") == 0) : json_object_object_get_ex(s, "field", &f);
    if (set_field) {
        struct json_object *tlv = inner(json_object_object_get(s, "field"));
        struct json_object *fn = json_object_get(json_object_object_get(tlv, "field"));
        struct json_object *mk = json_object_get(json_object_object_get(tlv, "mask"));
        struct json_object *va = json_object_get(json_object_object_get(tlv, "value"));
        json_object_object_del(s, "field");
        json_object_object_add(s, "field", fn);
        json_object_object_add(s, "mask", mk);
        json_object_object_add(s, "value", va);
    } else if (c->v15 && t && strcmp(t, "COPY_FIELD") == 0) {
        struct json_object *ids = json_object_object_get(s, "oxm_ids");
        if (len_of(ids) < 2) {
            json_object_put(s);
            bad_reply(c, "copy-field oxm_ids");
            return NULL;
        }
        struct json_object *src = json_object_get(json_object_object_get(item(ids, 0), "type"));
        struct json_object *dst = json_object_get(json_object_object_get(item(ids, 1), "type"));
        json_object_object_del(s, "oxm_ids");
        json_object_object_add(s, "src_oxm_id", src);
        json_object_object_add(s, "dst_oxm_id", dst);
    }
    return s;
}

static struct json_object *actions_to_str(struct ctx *c, struct json_object *list)
{
    struct json_object *out = json_object_new_array();
    for (size_t i = 0; i < len_of(list); i++) {
        struct json_object *a = action_to_str(c, json_object_array_get_idx(list, i));
        if (!a) {
            json_object_put(out);
            return NULL;
        }
        json_object_array_add(out, a);
    }
    return out;
}

static struct json_object *instructions_to_str(struct ctx *c, struct json_object *list)
{
    struct json_object *out = json_object_new_array();
    for (size_t i = 0; i < len_of(list); i++) {
        struct json_object *ij = json_object_array_get_idx(list, i);
        struct json_object *v = copy(inner(ij));
        if (!v) goto bad;
        json_object_object_add(v, "type", type_to_user(c, &N_INSTRUCTION, json_object_object_get(v, "type")));
        if (strcmp(class_of(ij), "OFPInstructionActions") == 0) {
            struct json_object *acts = actions_to_str(c, json_object_object_get(v, "actions"));
            if (!acts) {
                json_object_put(v);
                goto bad;
            }
            json_object_object_add(v, "actions", acts);
        }
        json_object_array_add(out, v);
    }
    return out;
bad:
    json_object_put(out);
    return NULL;
}

/* Each item's inner object, with "type" named from t (Ryu's property lists). */
static struct json_object *props_to_user(struct ctx *c, struct json_object *list, const struct names *t)
{
    struct json_object *out = json_object_new_array();
    for (size_t i = 0; i < len_of(list); i++) {
        struct json_object *p = copy(item(list, i));
        if (!p) {
            json_object_put(out);
            return NULL;
        }
        if (t) json_object_object_add(p, "type", type_to_user(c, t, json_object_object_get(p, "type")));
        json_object_array_add(out, p);
    }
    return out;
}

/* Ryu decodes port and table names as UTF-8: bytes that are not (ken's
 * JSON carries them as U+DC80..U+DCFF) make a UnicodeDecodeError, a
 * ValueError. */
static bool utf8_ok(const char *s)
{
    const unsigned char *p = (const unsigned char *)s;
    while (*p) {
        if (*p < 0x80) {
            p++;
            continue;
        }
        int n = (*p & 0xe0) == 0xc0 ? 1 : (*p & 0xf0) == 0xe0 ? 2 : (*p & 0xf8) == 0xf0 ? 3 : -1;
        if (n < 0 || (*p == 0xed && (p[1] & 0xe0) == 0xa0)) return false; /* surrogates */
        for (int i = 1; i <= n; i++)
            if ((p[i] & 0xc0) != 0x80) return false;
        p += n + 1;
    }
    return true;
}

static bool check_name(struct ctx *c, struct json_object *o)
{
    const char *nm = json_object_get_string(json_object_object_get(o, "name"));
    if (nm && !utf8_ok(nm)) return fail(c, OFCTL_BAD_REQUEST, "the switch sent a name that is not UTF-8");
    return true;
}

/* The value of each reply's "body", in order. */
static struct json_object *body(struct json_object *reply)
{
    return json_object_object_get(inner(reply), "body");
}

static bool priority_filter(struct ctx *c, const struct ofctl_args *a, i128 *prio)
{
    struct json_object *flow = truthy(a->body) ? a->body : NULL;
    bool present;
    struct json_object *p = get(flow, "priority", &present);
    *prio = -1;
    return !present || str_to_int(c, p, "priority", prio);
}

static void set_to_user(struct ctx *c, struct json_object *o, const char *key, const struct names *t)
{
    struct json_object *v = json_object_object_get(o, key);
    if (v) json_object_object_add(o, key, to_user(c, t, v));
}

static struct json_object *answer_flows(struct ctx *c, const struct ofctl_args *a, struct json_object *const *r,
                                        size_t n, bool desc)
{
    i128 prio;
    if (!priority_filter(c, a, &prio)) return NULL;
    struct json_object *out = json_object_new_array();
    for (size_t k = 0; k < n; k++) {
        struct json_object *b = body(r[k]);
        for (size_t i = 0; i < len_of(b); i++) {
            struct json_object *st = item(b, i);
            if (!st) goto bad;
            i128 sp = json_object_get_int64(json_object_object_get(st, "priority"));
            if (prio >= 0 && prio != sp) continue;
            struct json_object *s = copy(st);
            if (!s) goto bad;
            json_object_array_add(out, s);
            if (!c->v15 || desc) {
                struct json_object *ins = instructions_to_str(c, json_object_object_get(st, "instructions"));
                if (!ins) goto bad;
                json_object_object_add(s, "instructions", ins);
            }
            if (c->v15) json_object_object_add(s, "stats", stats_to_str(json_object_object_get(st, "stats")));
            json_object_object_add(s, "match", match_to_str(c, json_object_object_get(st, "match")));
        }
    }
    return out;
bad:
    json_object_put(out);
    if (c->st == OFCTL_OK) bad_reply(c, "flow entries");
    return NULL;
}

static bool in_set(const int *a, size_t n, int v)
{
    for (size_t i = 0; i < n; i++)
        if (a[i] == v) return true;
    return false;
}

static struct json_object *answer_table_features(struct ctx *c, struct json_object *const *r, size_t n)
{
    static const int insts[] = {0, 1}, nexts[] = {2, 3, 16}, acts[] = {4, 5, 6, 7},
                     oxms[] = {8, 10, 12, 13, 14, 15, 18, 19, 20, 21};
#define IN(arr, v) in_set(arr, sizeof arr / sizeof arr[0], v)
    struct json_object *out = json_object_new_array();
    for (size_t k = 0; k < n; k++) {
        struct json_object *b = body(r[k]);
        for (size_t i = 0; i < len_of(b); i++) {
            struct json_object *st = item(b, i);
            if (!st || !check_name(c, st)) goto bad;
            struct json_object *s = copy(st), *props = json_object_new_array();
            json_object_array_add(out, s);
            json_object_object_add(s, "properties", props);
            struct json_object *pl = json_object_object_get(st, "properties");
            for (size_t j = 0; j < len_of(pl); j++) {
                struct json_object *prop = item(pl, j), *p = json_object_new_object();
                json_object_array_add(props, p);
                struct json_object *tj = json_object_object_get(prop, "type");
                int64_t t = json_object_get_int64(tj);
                json_object_object_add(p, "type", type_to_user(c, &N_TFPROP, tj));
                int ti = t >= 0 && t < 0x10000 ? (int)t : -1;
                if (IN(insts, ti)) {
                    struct json_object *ids = json_object_object_get(prop, "instruction_ids"), *l = json_object_new_array();
                    for (size_t x = 0; x < len_of(ids); x++) {
                        struct json_object *id = item(ids, x), *e = json_object_new_object();
                        json_object_object_add(e, "len", json_object_get(json_object_object_get(id, "len")));
                        json_object_object_add(e, "type", json_object_get(json_object_object_get(id, "type")));
                        json_object_array_add(l, e);
                    }
                    json_object_object_add(p, "instruction_ids", l);
                } else if (IN(nexts, ti)) {
                    json_object_object_add(p, "table_ids", copy(json_object_object_get(prop, "table_ids")));
                } else if (IN(acts, ti)) {
                    json_object_object_add(p, "action_ids", props_to_user(c, json_object_object_get(prop, "action_ids"), NULL));
                } else if (IN(oxms, ti) && (ti < 18 || c->v15)) {
                    json_object_object_add(p, "oxm_ids", props_to_user(c, json_object_object_get(prop, "oxm_ids"), NULL));
                } else if (c->v15 && ti == 22) {
                    struct json_object *vals = json_object_object_get(prop, "oxm_values"), *l = json_object_new_array();
                    for (size_t x = 0; x < len_of(vals); x++) {
                        struct json_object *tlv = item(vals, x), *e = json_object_new_object();
                        const char *f = json_object_get_string(json_object_object_get(tlv, "field"));
                        struct json_object *v = json_object_object_get(tlv, "value"),
                                           *m = json_object_object_get(tlv, "mask");
                        struct json_object *uv;
                        if (m && !json_object_is_type(m, json_type_null)) {
                            uv = json_object_new_array();
                            json_object_array_add(uv, json_object_get(v));
                            json_object_array_add(uv, json_object_get(m));
                        } else {
                            uv = json_object_get(v);
                        }
                        json_object_object_add(e, f ? f : "", uv);
                        json_object_array_add(l, e);
                    }
                    json_object_object_add(p, "oxm_values", l);
                }
            }
            set_to_user(c, s, "table_id", &N_TABLE);
        }
    }
#undef IN
    return out;
bad:
    json_object_put(out);
    if (c->st == OFCTL_OK) bad_reply(c, "table features");
    return NULL;
}

/* Bits of a mask as names, in the order of the table given. */
static struct json_object *bit_names(int64_t mask, const char *const *names, const int *bits, size_t n, bool shift)
{
    struct json_object *l = json_object_new_array();
    for (size_t i = 0; i < n; i++) {
        uint64_t b = shift ? (bits[i] < 64 ? (uint64_t)1 << bits[i] : 0) : (uint64_t)bits[i];
        if ((uint64_t)mask & b) json_object_array_add(l, json_object_new_string(names[i]));
    }
    return l;
}

static const char *const meter_flag_names[] = {"KBPS", "PKTPS", "BURST", "STATS"};
static const int meter_flag_bits[] = {1, 2, 4, 8};

static struct json_object *answer_meter_features(struct json_object *const *r, size_t n)
{
    static const char *const band_names[] = {"DROP", "DSCP_REMARK"};
    static const int band_bits[] = {1, 2};
    struct json_object *out = json_object_new_array();
    for (size_t k = 0; k < n; k++) {
        struct json_object *b = body(r[k]);
        for (size_t i = 0; i < len_of(b); i++) {
            struct json_object *st = item(b, i), *f = json_object_new_object();
            json_object_object_add(f, "max_meter", json_object_get(json_object_object_get(st, "max_meter")));
            json_object_object_add(f, "band_types",
                                   bit_names(json_object_get_int64(json_object_object_get(st, "band_types")),
                                             band_names, band_bits, 2, true));
            json_object_object_add(f, "capabilities",
                                   bit_names(json_object_get_int64(json_object_object_get(st, "capabilities")),
                                             meter_flag_names, meter_flag_bits, 4, false));
            json_object_object_add(f, "max_bands", json_object_get(json_object_object_get(st, "max_bands")));
            json_object_object_add(f, "max_color", json_object_get(json_object_object_get(st, "max_color")));
            json_object_array_add(out, f);
        }
    }
    return out;
}

static struct json_object *answer_group_features(struct ctx *c, struct json_object *const *r, size_t n)
{
    static const char *const types[] = {"ALL", "SELECT", "INDIRECT", "FF"};
    static const int type_bits[] = {0, 1, 2, 3};
    static const char *const caps[] = {"SELECT_WEIGHT", "SELECT_LIVENESS", "CHAINING", "CHAINING_CHECKS"};
    static const int cap_bits[] = {1, 2, 4, 8};
    static const char *const acts[] = {"OUTPUT",     "COPY_TTL_OUT", "COPY_TTL_IN", "SET_MPLS_TTL", "DEC_MPLS_TTL",
                                       "PUSH_VLAN",  "POP_VLAN",     "PUSH_MPLS",   "POP_MPLS",     "SET_QUEUE",
                                       "GROUP",      "SET_NW_TTL",   "DEC_NW_TTL",  "SET_FIELD",    "PUSH_PBB",
                                       "POP_PBB",    "COPY_FIELD",   "METER",       "EXPERIMENTER"};
    static const int act_bits[] = {0, 11, 12, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 0xffff};
    struct json_object *out = json_object_new_array();
    for (size_t k = 0; k < n; k++) {
        struct json_object *st = inner(body(r[k]));
        struct json_object *mg = json_object_object_get(st, "max_groups"), *ac = json_object_object_get(st, "actions");
        if (!st || len_of(mg) < 4 || len_of(ac) < 4) {
            json_object_put(out);
            bad_reply(c, "group features");
            return NULL;
        }
        struct json_object *f = json_object_new_object();
        json_object_object_add(f, "types", bit_names(json_object_get_int64(json_object_object_get(st, "types")), types,
                                                     type_bits, 4, true));
        json_object_object_add(f, "capabilities",
                               bit_names(json_object_get_int64(json_object_object_get(st, "capabilities")), caps,
                                         cap_bits, 4, false));
        struct json_object *l = json_object_new_array(), *al = json_object_new_array();
        for (int t = 0; t < 4; t++) {
            struct json_object *e = json_object_new_object();
            json_object_object_add(e, types[t], json_object_get(json_object_array_get_idx(mg, (size_t)t)));
            json_object_array_add(l, e);
            /* 1.4's table has no COPY_FIELD and METER */
            size_t na = sizeof acts / sizeof acts[0];
            const char *names[sizeof acts / sizeof acts[0]];
            int bits[sizeof acts / sizeof acts[0]];
            size_t m = 0;
            for (size_t x = 0; x < na; x++)
                if (c->v15 || (act_bits[x] != 28 && act_bits[x] != 29)) names[m] = acts[x], bits[m++] = act_bits[x];
            struct json_object *ae = json_object_new_object();
            json_object_object_add(ae, types[t],
                                   bit_names(json_object_get_int64(json_object_array_get_idx(ac, (size_t)t)), names,
                                             bits, m, true));
            json_object_array_add(al, ae);
        }
        json_object_object_add(f, "max_groups", l);
        json_object_object_add(f, "actions", al);
        json_object_array_add(out, f);
    }
    return out;
}

/* Ryu's loops over each reply's body list, one item reshaped by fn. */
typedef bool (*reshape_fn)(struct ctx *c, struct json_object *src, struct json_object *s);

static struct json_object *answer_list(struct ctx *c, struct json_object *const *r, size_t n, reshape_fn fn,
                                       bool body_is_one)
{
    struct json_object *out = json_object_new_array();
    for (size_t k = 0; k < n; k++) {
        struct json_object *b = body(r[k]);
        size_t m = body_is_one ? 1 : len_of(b);
        for (size_t i = 0; i < m; i++) {
            struct json_object *st = body_is_one ? inner(b) : item(b, i);
            struct json_object *s = copy(st);
            if (!st || !s) goto bad;
            json_object_array_add(out, s);
            if (fn && !fn(c, st, s)) goto bad;
        }
    }
    return out;
bad:
    json_object_put(out);
    if (c->st == OFCTL_OK) bad_reply(c, "body");
    return NULL;
}

static bool re_aggregate(struct ctx *c, struct json_object *src, struct json_object *s)
{
    (void)src;
    if (c->v15) json_object_object_add(s, "stats", stats_to_str(json_object_object_get(s, "stats")));
    return true;
}

static bool re_table(struct ctx *c, struct json_object *src, struct json_object *s)
{
    (void)src;
    set_to_user(c, s, "table_id", &N_TABLE);
    return true;
}

static bool re_port(struct ctx *c, struct json_object *src, struct json_object *s)
{
    struct json_object *p = props_to_user(c, json_object_object_get(src, "properties"), &N_PORT_STATS_PROP);
    if (!p) return false;
    json_object_object_add(s, "properties", p);
    set_to_user(c, s, "port_no", &N_PORT);
    return true;
}

static bool re_queue(struct ctx *c, struct json_object *src, struct json_object *s)
{
    struct json_object *p = props_to_user(c, json_object_object_get(src, "properties"), &N_QUEUE_STATS_PROP);
    if (!p) return false;
    json_object_object_add(s, "properties", p);
    return true;
}

static bool re_queue_desc(struct ctx *c, struct json_object *src, struct json_object *s)
{
    struct json_object *p = props_to_user(c, json_object_object_get(src, "properties"), &N_QUEUE_DESC_PROP);
    if (!p) return false;
    json_object_object_add(s, "properties", p);
    return true;
}

static bool re_meter(struct ctx *c, struct json_object *src, struct json_object *s)
{
    struct json_object *p = props_to_user(c, json_object_object_get(src, "band_stats"), NULL);
    if (!p) return false;
    json_object_object_add(s, "band_stats", p);
    set_to_user(c, s, "meter_id", &N_METER);
    return true;
}

static bool re_meter_config(struct ctx *c, struct json_object *src, struct json_object *s)
{
    struct json_object *p = props_to_user(c, json_object_object_get(src, "bands"), &N_BAND);
    if (!p) return false;
    json_object_object_add(s, "flags", bit_names(json_object_get_int64(json_object_object_get(src, "flags")),
                                                 meter_flag_names, meter_flag_bits, 4, false));
    json_object_object_add(s, "bands", p);
    set_to_user(c, s, "meter_id", &N_METER);
    return true;
}

static bool re_group(struct ctx *c, struct json_object *src, struct json_object *s)
{
    struct json_object *p = props_to_user(c, json_object_object_get(src, "bucket_stats"), NULL);
    if (!p) return false;
    json_object_object_add(s, "bucket_stats", p);
    set_to_user(c, s, "group_id", &N_GROUP);
    return true;
}

static bool re_group_desc(struct ctx *c, struct json_object *src, struct json_object *s)
{
    struct json_object *bl = json_object_object_get(src, "buckets"), *buckets = json_object_new_array();
    json_object_object_add(s, "buckets", buckets);
    for (size_t i = 0; i < len_of(bl); i++) {
        struct json_object *bs = item(bl, i), *b = copy(bs);
        if (!bs || !b) return false;
        json_object_array_add(buckets, b);
        struct json_object *acts = actions_to_str(c, json_object_object_get(bs, "actions"));
        if (!acts) return false;
        json_object_object_add(b, "actions", acts);
        if (c->v15) {
            struct json_object *p = props_to_user(c, json_object_object_get(bs, "properties"), &N_BUCKET_PROP);
            if (!p) return false;
            json_object_object_add(b, "properties", p);
        }
    }
    set_to_user(c, s, "group_id", &N_GROUP);
    json_object_object_add(s, "type", type_to_user(c, &N_GROUP_TYPE, json_object_object_get(src, "type")));
    return true;
}

static bool re_port_desc(struct ctx *c, struct json_object *src, struct json_object *s)
{
    if (!check_name(c, src)) return false;
    struct json_object *p = props_to_user(c, json_object_object_get(src, "properties"), &N_PORT_DESC_PROP);
    if (!p) return false;
    json_object_object_add(s, "properties", p);
    set_to_user(c, s, "port_no", &N_PORT);
    return true;
}

/* ---------- the two entry points ---------- */

static enum ofctl_status done(struct ctx *c)
{
    if (c->st == OFCTL_OK && c->packfail) {
        snprintf(c->why, KEN_WHY_LEN, "%s", c->packwhy);
        c->st = OFCTL_BAD_REQUEST;
    }
    return c->st;
}

enum ofctl_status ofctl_v14_build(uint8_t version, const struct ofctl_args *a, struct json_object **msgs, size_t max,
                                  size_t *n, char why[KEN_WHY_LEN])
{
    struct ctx c = {.v15 = version == KEN_OFP15, .st = OFCTL_OK, .why = why};
    struct json_object *m = NULL, *empty = NULL, *b = a->body;
    i128 x, y;
    bool skip = false;
    *n = 0;
    why[0] = 0;
    if (!b) b = empty = json_object_new_object();
    switch (a->kind) {
    case OFCTL_DESC: m = stats_req("OFPDescStatsRequest"); break;
    case OFCTL_FLOW_DESC:
        if (!c.v15) goto unsupported;
        m = flow_filter(&c, "OFPFlowDescStatsRequest", a->body, true, &x);
        break;
    case OFCTL_FLOW: m = flow_filter(&c, "OFPFlowStatsRequest", a->body, true, &x); break;
    case OFCTL_AGGREGATE_FLOW: m = flow_filter(&c, "OFPAggregateStatsRequest", a->body, false, &x); break;
    case OFCTL_TABLE: m = stats_req("OFPTableStatsRequest"); break;
    case OFCTL_TABLE_FEATURES:
        m = stats_req("OFPTableFeaturesStatsRequest");
        json_object_object_add(inner(m), "body", json_object_new_array());
        break;
    case OFCTL_PORT:
        if (path_arg(&c, &N_PORT, a->port, 0xffffffff, "port", &x)) m = stats_req1(&c, "OFPPortStatsRequest", "port_no", x);
        break;
    case OFCTL_QUEUE:
    case OFCTL_QUEUE_DESC: {
        const char *cls = a->kind == OFCTL_QUEUE ? "OFPQueueStatsRequest" : "OFPQueueDescStatsRequest";
        if (path_arg(&c, &N_PORT, a->port, 0xffffffff, "port", &x) &&
            path_arg(&c, &N_QUEUE, a->queue, 0xffffffff, "queue", &y)) {
            m = stats_req1(&c, cls, "port_no", x);
            put_int(&c, inner(m), "queue_id", y);
        }
        break;
    }
    case OFCTL_METER_FEATURES: m = stats_req("OFPMeterFeaturesStatsRequest"); break;
    case OFCTL_METER_CONFIG:
    case OFCTL_METER_DESC:
    case OFCTL_METER: {
        const char *cls = a->kind == OFCTL_METER ? "OFPMeterStatsRequest"
                          : c.v15                ? "OFPMeterDescStatsRequest"
                                                 : "OFPMeterConfigStatsRequest";
        /* 1.4 has meter-config only, 1.5 meter-desc only */
        if ((a->kind == OFCTL_METER_CONFIG && c.v15) || (a->kind == OFCTL_METER_DESC && !c.v15)) goto unsupported;
        if (path_arg(&c, &N_METER, a->meter_id, 0xffffffff, "meter_id", &x))
            m = stats_req1(&c, cls, "meter_id", x);
        break;
    }
    case OFCTL_GROUP_FEATURES: m = stats_req("OFPGroupFeaturesStatsRequest"); break;
    case OFCTL_GROUP_DESC:
        if (!c.v15) m = stats_req("OFPGroupDescStatsRequest"); /* 1.4's takes no group id */
        else if (path_arg(&c, &N_GROUP, a->group_id, 0xfffffffc, "group_id", &x))
            m = stats_req1(&c, "OFPGroupDescStatsRequest", "group_id", x);
        break;
    case OFCTL_GROUP:
        if (path_arg(&c, &N_GROUP, a->group_id, 0xfffffffc, "group_id", &x))
            m = stats_req1(&c, "OFPGroupStatsRequest", "group_id", x);
        break;
    case OFCTL_PORT_DESC:
        if (!c.v15) m = stats_req("OFPPortDescStatsRequest"); /* 1.4's takes no port */
        else if (path_arg(&c, &N_PORT, a->port, 0xffffffff, "port_no", &x))
            m = stats_req1(&c, "OFPPortDescStatsRequest", "port_no", x);
        break;
    case OFCTL_ROLE: m = role_request(&c, 0); break;
    case OFCTL_FLOW_MOD: m = build_flow_mod(&c, b, a->command); break;
    case OFCTL_METER_MOD: m = build_meter_mod(&c, b, a->command); break;
    case OFCTL_GROUP_MOD: m = build_group_mod(&c, b, a->command); break;
    case OFCTL_PORT_MOD: m = build_port_mod(&c, b, a->port_defaults); break;
    case OFCTL_EXPERIMENTER: m = build_experimenter(&c, b, &skip); break;
    case OFCTL_SET_ROLE:
        if (!need_dict(&c, b, "the role")) break;
        {
            bool present;
            struct json_object *r = get(b, "role", &present);
            if (!present) x = 1; /* OFPCR_ROLE_EQUAL */
            else reserved_pack(&c, &N_ROLE, r, "role", &x);
        }
        m = role_request(&c, x);
        break;
    case OFCTL_QUEUE_CONFIG:
    default: goto unsupported;
    }
    json_object_put(empty);
    if (done(&c) != OFCTL_OK || (!m && !skip)) {
        json_object_put(m);
        if (c.st == OFCTL_OK) {
            snprintf(why, KEN_WHY_LEN, "cannot build the request");
            c.st = OFCTL_BAD_REQUEST;
        }
        return c.st;
    }
    if (m) {
        if (max < 1) {
            json_object_put(m);
            snprintf(why, KEN_WHY_LEN, "no room for the message");
            return OFCTL_BAD_REQUEST;
        }
        msgs[(*n)++] = m;
    }
    return OFCTL_OK;
unsupported:
    json_object_put(empty);
    snprintf(why, KEN_WHY_LEN, "OpenFlow %s has no such request in Ryu's ofctl", c.v15 ? "1.5" : "1.4");
    return OFCTL_UNSUPPORTED;
}

enum ofctl_status ofctl_v14_answer(uint8_t version, const struct ofctl_args *a, struct json_object *const *r,
                                   size_t n, struct json_object **out, char why[KEN_WHY_LEN])
{
    struct ctx c = {.v15 = version == KEN_OFP15, .st = OFCTL_OK, .why = why};
    struct json_object *v = NULL;
    why[0] = 0;
    *out = NULL;
    switch (a->kind) {
    case OFCTL_DESC:
        v = json_object_new_object();
        for (size_t k = 0; k < n; k++) { /* the last part's body wins */
            struct json_object *d = copy(inner(body(r[k])));
            if (!d) {
                bad_reply(&c, "description");
                break;
            }
            json_object_put(v);
            v = d;
        }
        break;
    case OFCTL_FLOW_DESC:
        if (!c.v15) goto unsupported;
        v = answer_flows(&c, a, r, n, true);
        break;
    case OFCTL_FLOW: v = answer_flows(&c, a, r, n, false); break;
    case OFCTL_AGGREGATE_FLOW: v = answer_list(&c, r, n, re_aggregate, true); break;
    case OFCTL_TABLE: v = answer_list(&c, r, n, re_table, false); break;
    case OFCTL_TABLE_FEATURES: v = answer_table_features(&c, r, n); break;
    case OFCTL_PORT: v = answer_list(&c, r, n, re_port, false); break;
    case OFCTL_QUEUE: v = answer_list(&c, r, n, re_queue, false); break;
    case OFCTL_QUEUE_DESC: v = answer_list(&c, r, n, re_queue_desc, false); break;
    case OFCTL_METER_FEATURES: v = answer_meter_features(r, n); break;
    case OFCTL_METER_CONFIG:
    case OFCTL_METER_DESC:
        if ((a->kind == OFCTL_METER_CONFIG) == c.v15) goto unsupported;
        v = answer_list(&c, r, n, re_meter_config, false);
        break;
    case OFCTL_METER: v = answer_list(&c, r, n, re_meter, false); break;
    case OFCTL_GROUP_FEATURES: v = answer_group_features(&c, r, n); break;
    case OFCTL_GROUP_DESC: v = answer_list(&c, r, n, re_group_desc, false); break;
    case OFCTL_GROUP: v = answer_list(&c, r, n, re_group, false); break;
    case OFCTL_PORT_DESC: v = answer_list(&c, r, n, re_port_desc, false); break;
    case OFCTL_ROLE:
        v = json_object_new_array();
        for (size_t k = 0; k < n; k++) {
            struct json_object *d = copy(inner(r[k]));
            if (!d) {
                bad_reply(&c, "role");
                break;
            }
            set_to_user(&c, d, "role", &N_ROLE);
            json_object_array_add(v, d);
        }
        break;
    default: goto unsupported;
    }
    if (c.st != OFCTL_OK || !v) {
        json_object_put(v);
        if (c.st == OFCTL_OK) bad_reply(&c, "answer");
        return c.st;
    }
    *out = v;
    return OFCTL_OK;
unsupported:
    snprintf(why, KEN_WHY_LEN, "OpenFlow %s has no such request in Ryu's ofctl", c.v15 ? "1.5" : "1.4");
    return OFCTL_UNSUPPORTED;
}
