/* ofctl for OpenFlow 1.0: what Ryu's ofctl_v1_0 does, route by route.
 *
 * Requests are built as OS-Ken JSON with every field spelled out (the 1.0
 * match with its "wildcards"), so that ken_ofp_from_json writes exactly
 * the bytes OS-Ken would. Replies arrive as OS-Ken JSON and are reshaped
 * into Ryu's answer ("OUTPUT:1" action strings, "10.0.0.0/24" addresses,
 * reserved port numbers by name).
 *
 * Ryu reads user values with Python's int(str(x), 0) and friends, and its
 * failures come in three flavours that ofctl_rest maps to statuses:
 *   - ValueError while reading (400), raised at once;
 *   - AttributeError (501), e.g. a match that is not an object, an
 *     address that is not a string;
 *   - a value that reads but does not fit its field fails only when the
 *     message is packed (struct.error, a 500 in Ryu, a 400 here), that is
 *     after everything else has been read. So a misfit is remembered
 *     ("deferred") and reported only if reading finishes cleanly: a later
 *     501 still wins over it, as in Ryu. */
#include "flow_text.h"
#include "ofctl.h"
#include "util.h"

#include <arpa/inet.h>
#include <json-c/json.h>
#include <math.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- 1.0 constants (ofproto_v1_0) ---- */

enum {
    P10_MAX = 0xff00,
    P10_ALL = 0xfffc,
    P10_NONE = 0xffff,
    FW_IN_PORT = 1u << 0,
    FW_DL_VLAN = 1u << 1,
    FW_DL_SRC = 1u << 2,
    FW_DL_DST = 1u << 3,
    FW_DL_TYPE = 1u << 4,
    FW_NW_PROTO = 1u << 5,
    FW_TP_SRC = 1u << 6,
    FW_TP_DST = 1u << 7,
    FW_NW_SRC_SHIFT = 8,
    FW_NW_DST_SHIFT = 14,
    FW_NW_SRC_ALL = 32u << FW_NW_SRC_SHIFT,
    FW_NW_DST_ALL = 32u << FW_NW_DST_SHIFT,
    FW_DL_VLAN_PCP = 1u << 20,
    FW_NW_TOS = 1u << 21,
    FW_ALL = (1u << 22) - 1,
    OFP10_DEFAULT_PRIORITY = 0x8000,
};
#define Q10_ALL 0xffffffffu
#define NO_BUFFER 0xffffffffu
#define FW_ADDR_MASK 0x3fu

struct named {
    const char *name;
    uint64_t value;
};

/* The OFPP_* names of ofproto_v1_0, in its order (the first match names
 * a number on the way out). */
static const struct named port_names[] = {
    {"MAX", P10_MAX},           {"IN_PORT", 0xfff8}, {"TABLE", 0xfff9}, {"NORMAL", 0xfffa}, {"FLOOD", 0xfffb},
    {"ALL", P10_ALL},           {"CONTROLLER", 0xfffd}, {"LOCAL", 0xfffe}, {"NONE", P10_NONE},
};
static const struct named queue_names[] = {{"ALL", Q10_ALL}};

struct names {
    const char *prefix;
    const struct named *v;
    size_t n;
};
static const struct names PORTS = {"OFPP_", port_names, sizeof port_names / sizeof port_names[0]};
static const struct names QUEUES = {"OFPQ_", queue_names, 1};
static const struct names TABLES = {"OFPTT_", NULL, 0}; /* 1.0 names no table */

const char *ofctl_v10_name(bool queue, uint64_t v)
{
    const struct names *t = queue ? &QUEUES : &PORTS;
    for (size_t i = 0; i < t->n; i++)
        if (t->v[i].value == v)
            return t->v[i].name;
    return NULL;
}

/* ---- errors ---- */

struct cx {
    enum ofctl_status st; /* the first error raised while reading */
    char *why;
    bool deferred;        /* a value read but not packable */
    char dwhy[KEN_WHY_LEN];
};

static bool fail(struct cx *c, enum ofctl_status st, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(c->why, KEN_WHY_LEN, fmt, ap);
    va_end(ap);
    c->st = st;
    return false;
}

static void defer(struct cx *c, const char *fmt, ...)
{
    if (c->deferred)
        return;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(c->dwhy, sizeof c->dwhy, fmt, ap);
    va_end(ap);
    c->deferred = true;
}

static size_t utf8_seq(const unsigned char *p, size_t n);

/* A short rendering of a client's value for a why: its JSON text, cut
 * to fit, a byte that is not UTF-8 shown as '?' (the why goes into a
 * JSON error body). Used once per message. */
static const char *shown(json_object *v)
{
    static _Thread_local char buf[100];
    const char *s = v ? json_object_to_json_string_ext(v, JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE)
                      : "null";
    size_t n = s ? strlen(s) : 0, o = 0;
    for (size_t i = 0; i < n;) {
        size_t l = utf8_seq((const unsigned char *)s + i, n - i);
        if (o + (l ? l : 1) > sizeof buf - 4) {
            memcpy(buf + o, "...", 3);
            o += 3;
            break;
        }
        if (l)
            memcpy(buf + o, s + i, l);
        else
            buf[o] = '?';
        o += l ? l : 1;
        i += l ? l : 1;
    }
    buf[o] = 0;
    return buf;
}

/* ---- Python's int() ---- */

/* A number as Python holds it: unbounded, so "big" means beyond 64 bits;
 * notint is a value Ryu passes on unconverted (it will not pack). */
struct pyint {
    bool notint;
    bool neg;
    bool big;
    uint64_t mag;
};

/* int(s, 0) (base0) or int(s): util's parser, as the 1.2-1.5 modules read
 * numbers. */
static bool py_parse_int(const char *s, size_t n, bool base0, struct pyint *out)
{
    struct ofctl_int x;
    if (!ofctl_parse_py_int(s, n, base0, &x))
        return false;
    *out = (struct pyint){.neg = x.neg, .big = x.big, .mag = x.mag};
    return true;
}

/* A digit of bases up to 36 (99: none). */
static int digit_value(unsigned char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    c |= 0x20;
    if (c >= 'a' && c <= 'z')
        return c - 'a' + 10;
    return 99;
}

static bool json_to_pyint(json_object *v, struct pyint *out)
{
    if (!json_object_is_type(v, json_type_int))
        return false;
    int64_t s = json_object_get_int64(v);
    if (s < 0)
        *out = (struct pyint){.neg = true, .mag = (uint64_t)0 - (uint64_t)s};
    else
        *out = (struct pyint){.mag = json_object_get_uint64(v)};
    return true;
}

/* str_to_int(v): int(str(v), 0). Only a JSON integer or a string can
 * read; str() of anything else (True, None, 1.5, a list) never does. */
static bool str_to_int(struct cx *c, json_object *v, const char *what, struct pyint *out)
{
    if (json_to_pyint(v, out))
        return true;
    if (json_object_is_type(v, json_type_string) &&
        py_parse_int(json_object_get_string(v), (size_t)json_object_get_string_len(v), true, out))
        return true;
    return fail(c, OFCTL_BAD_REQUEST, "%s: %s is not an integer", what, shown(v));
}

static bool cstr_to_int(struct cx *c, const char *s, const char *what, struct pyint *out)
{
    if (py_parse_int(s, strlen(s), true, out))
        return true;
    json_object *j = json_object_new_string(s);
    fail(c, OFCTL_BAD_REQUEST, "%s: %s is not an integer", what, shown(j));
    json_object_put(j);
    return false;
}

/* Python's str.upper() as far as it can matter here: ASCII, plus every
 * non-ASCII letter whose capitals are ASCII (sharp s, dotless i, long s,
 * the Latin ligatures: all of them in Python 3.11). false if the result
 * does not fit. */
static bool py_upper(const char *s, size_t n, char *out, size_t cap)
{
    static const struct {
        const char *from, *to;
    } special[] = {{"\xc3\x9f", "SS"},      {"\xc4\xb1", "I"},       {"\xc5\xbf", "S"},
                   {"\xef\xac\x80", "FF"},  {"\xef\xac\x81", "FI"},  {"\xef\xac\x82", "FL"},
                   {"\xef\xac\x83", "FFI"}, {"\xef\xac\x84", "FFL"}, {"\xef\xac\x85", "ST"},
                   {"\xef\xac\x86", "ST"}};
    size_t o = 0;
    for (size_t i = 0; i < n;) {
        const char *add = NULL;
        size_t used = 1;
        char one[2] = {0, 0};
        for (size_t k = 0; k < sizeof special / sizeof special[0]; k++) {
            size_t l = strlen(special[k].from);
            if (n - i >= l && !memcmp(s + i, special[k].from, l)) {
                add = special[k].to;
                used = l;
                break;
            }
        }
        if (!add) {
            char ch = s[i];
            one[0] = (ch >= 'a' && ch <= 'z') ? (char)(ch - 32) : ch;
            add = one;
        }
        size_t l = strlen(add);
        if (!l) /* a NUL byte: no name holds one */
            return false;
        if (o + l >= cap)
            return false;
        memcpy(out + o, add, l);
        o += l;
        i += used;
    }
    out[o] = 0;
    return true;
}

/* A name that getattr(ofproto, ...) finds: "OFPP_<NAME>" as given, or
 * "<name>" in any case. */
static bool name_lookup(const struct names *t, const char *s, size_t n, uint64_t *out)
{
    size_t pl = strlen(t->prefix);
    if (n >= pl && !memcmp(s, t->prefix, pl)) {
        s += pl;
        n -= pl;
    }
    char up[64];
    if (!py_upper(s, n, up, sizeof up))
        return false;
    for (size_t i = 0; i < t->n; i++)
        if (!strcmp(up, t->v[i].name)) {
            *out = t->v[i].value;
            return true;
        }
    return false;
}

/* OFCtlUtil._reserved_num_from_user: a number, else a reserved name;
 * anything else goes on as it is, which packs only for a bool. */
static void reserved_from_user(json_object *v, const struct names *t, struct pyint *out)
{
    if (json_to_pyint(v, out))
        return;
    if (json_object_is_type(v, json_type_string)) {
        const char *s = json_object_get_string(v);
        size_t n = (size_t)json_object_get_string_len(v);
        uint64_t named;
        if (py_parse_int(s, n, true, out))
            return;
        if (strlen(s) == n && name_lookup(t, s, n, &named)) {
            *out = (struct pyint){.mag = named};
            return;
        }
    } else if (json_object_is_type(v, json_type_boolean)) {
        *out = (struct pyint){.mag = json_object_get_boolean(v) ? 1 : 0};
        return;
    }
    *out = (struct pyint){.notint = true};
}

/* The packing of a value into an unsigned field of max: a misfit is the
 * deferred 400. */
static uint64_t packed(struct cx *c, const struct pyint *x, uint64_t max, const char *what, json_object *src)
{
    if (x->notint) {
        defer(c, "%s: %s is neither a number nor a name Ryu knows", what, shown(src));
        return 0;
    }
    if (x->big || (x->neg && x->mag) || x->mag > max) {
        if (x->big)
            defer(c, "%s: %s is out of range (0 to %llu)", what, shown(src), (unsigned long long)max);
        else
            defer(c, "%s: %s%llu is out of range (0 to %llu)", what, x->neg ? "-" : "", (unsigned long long)x->mag,
                  (unsigned long long)max);
        return 0;
    }
    return x->mag;
}

/* ---- addresses ---- */

/* netaddr's EUI-48 text forms (what addrconv.mac.text_to_bin takes):
 * 6 words of 1-2 hex digits split by ':' or '-', 3 of 1-4 by ':', '-' or
 * '.', 2 of 5-6 by '-' or ':', or 11-12 bare digits. Its regular
 * expressions end in '$', which also matches before a final newline. */
static bool mac_from_text(const char *s, size_t n, uint64_t *out)
{
    static const struct {
        char sep;
        unsigned words, minw, maxw;
    } forms[] = {{':', 6, 1, 2}, {'-', 6, 1, 2}, {':', 3, 1, 4}, {'-', 3, 1, 4}, {'.', 3, 1, 4},
                 {'-', 2, 5, 6}, {':', 2, 5, 6}, {0, 1, 12, 12},   {0, 1, 11, 11}};
    if (n && s[n - 1] == '\n')
        n--;
    for (size_t f = 0; f < sizeof forms / sizeof forms[0]; f++) {
        uint64_t v = 0;
        unsigned words = 0, len = 0;
        uint64_t word = 0;
        bool ok = true;
        for (size_t i = 0; i <= n && ok; i++) {
            if (i == n || (forms[f].sep && s[i] == forms[f].sep)) {
                if (len < forms[f].minw || len > forms[f].maxw || ++words > forms[f].words)
                    ok = false;
                else
                    v = (v << (48 / forms[f].words)) | word;
                word = 0;
                len = 0;
                continue;
            }
            int d = digit_value((unsigned char)s[i]);
            if (d >= 16)
                ok = false;
            word = (word << 4) | (uint64_t)d;
            len++;
        }
        if (ok && words == forms[f].words) {
            *out = v;
            return true;
        }
    }
    return false;
}

static void mac_text(uint64_t v, char out[18])
{
    snprintf(out, 18, "%02x:%02x:%02x:%02x:%02x:%02x", (unsigned)(v >> 40) & 0xff, (unsigned)(v >> 32) & 0xff,
             (unsigned)(v >> 24) & 0xff, (unsigned)(v >> 16) & 0xff, (unsigned)(v >> 8) & 0xff, (unsigned)v & 0xff);
}

/* mac.haddr_to_bin(v): netaddr.EUI(v, version=48), so a text form or a
 * number (a float truncated, as int() does); any failure is ValueError. */
static bool mac_from_user(struct cx *c, json_object *v, const char *what, char out[18])
{
    uint64_t m = 0;
    bool ok = false;
    struct pyint x;
    if (json_object_is_type(v, json_type_string)) {
        ok = (size_t)json_object_get_string_len(v) == strlen(json_object_get_string(v)) &&
             mac_from_text(json_object_get_string(v), strlen(json_object_get_string(v)), &m);
    } else if (json_to_pyint(v, &x)) {
        ok = !x.neg && x.mag < (1ull << 48);
        m = x.mag;
    } else if (json_object_is_type(v, json_type_boolean)) {
        ok = true;
        m = json_object_get_boolean(v);
    } else if (json_object_is_type(v, json_type_double)) {
        double d = trunc(json_object_get_double(v));
        ok = isfinite(d) && d > -1 && d < 281474976710656.0;
        m = ok ? (uint64_t)(d < 0 ? 0 : d) : 0;
    }
    if (!ok)
        return fail(c, OFCTL_BAD_REQUEST, "%s: %s is not a MAC address", what, shown(v));
    mac_text(m, out);
    return true;
}

static void ipv4_text(uint32_t a, char out[16])
{
    snprintf(out, 16, "%u.%u.%u.%u", a >> 24, (a >> 16) & 0xff, (a >> 8) & 0xff, a & 0xff);
}

/* A match's "nw_src": "a.b.c.d" or "a.b.c.d/len" (socket.inet_aton reads
 * the address, so its short and octal forms too); with more than one
 * '/', Ryu reads the address alone, exact. */
static bool match_addr(struct cx *c, json_object *v, const char *what, uint32_t *addr, unsigned *prefix)
{
    if (!json_object_is_type(v, json_type_string))
        return fail(c, OFCTL_UNSUPPORTED, "%s: %s is not a string", what, shown(v));
    const char *s = json_object_get_string(v);
    size_t n = (size_t)json_object_get_string_len(v);
    const char *slash = memchr(s, '/', n);
    size_t alen = slash ? (size_t)(slash - s) : n;
    char ip[64];
    struct in_addr in;
    if (alen >= sizeof ip || memchr(s, 0, alen))
        return fail(c, OFCTL_BAD_REQUEST, "%s: %s is not an IPv4 address", what, shown(v));
    memcpy(ip, s, alen);
    ip[alen] = 0;
    if (!inet_aton(ip, &in))
        return fail(c, OFCTL_BAD_REQUEST, "%s: %s is not an IPv4 address", what, shown(v));
    *addr = ntohl(in.s_addr);
    *prefix = 32;
    if (slash && !memchr(slash + 1, '/', n - alen - 1)) {
        struct pyint m;
        if (!py_parse_int(slash + 1, n - alen - 1, false, &m))
            return fail(c, OFCTL_BAD_REQUEST, "%s: the prefix length of %s is not a number", what, shown(v));
        if (m.neg || m.big || m.mag == 0 || m.mag > 32)
            return fail(c, OFCTL_BAD_REQUEST, "%s: the prefix length of %s is not 1 to 32", what, shown(v));
        *prefix = (unsigned)m.mag;
    }
    return true;
}

/* ofctl_v1_0.ipv4_to_int: exactly four dot-separated decimals folded
 * with (i << 8) | b, so an oversized part spills into its neighbour and
 * the result must still fit 32 bits (checked when packed). */
static bool action_addr(struct cx *c, json_object *v, const char *what, uint32_t *addr)
{
    if (!json_object_is_type(v, json_type_string))
        return fail(c, OFCTL_UNSUPPORTED, "%s: %s is not a string", what, shown(v));
    const char *s = json_object_get_string(v);
    size_t n = (size_t)json_object_get_string_len(v);
    size_t dots = 0;
    for (size_t i = 0; i < n; i++)
        dots += s[i] == '.';
    if (dots != 3)
        return fail(c, OFCTL_BAD_REQUEST, "%s: %s is not a dotted IPv4 address", what, shown(v));
    uint64_t acc = 0;
    bool fits = true;
    for (size_t i = 0, start = 0; i <= n; i++) {
        if (i < n && s[i] != '.')
            continue;
        struct pyint b;
        if (!py_parse_int(s + start, i - start, false, &b))
            return fail(c, OFCTL_BAD_REQUEST, "%s: %s is not a dotted IPv4 address", what, shown(v));
        if ((b.neg && b.mag) || b.big || b.mag > UINT32_MAX)
            fits = false;
        else if (fits)
            acc = (acc << 8) | b.mag;
        if (acc > UINT32_MAX)
            fits = false;
        start = i + 1;
    }
    if (!fits)
        defer(c, "%s: %s does not fit 32 bits", what, shown(v));
    *addr = fits ? (uint32_t)acc : 0;
    return true;
}

/* ---- JSON helpers ---- */

static json_object *get(json_object *obj, const char *key)
{
    json_object *v = NULL;
    return json_object_object_get_ex(obj, key, &v) ? v : NULL;
}

static bool has(json_object *obj, const char *key)
{
    return json_object_object_get_ex(obj, key, NULL);
}

static json_object *juint(uint64_t v)
{
    return json_object_new_uint64(v);
}

static json_object *wrap(const char *cls, json_object *body)
{
    json_object *o = json_object_new_object();
    json_object_object_add(o, cls, body);
    return o;
}

/* A user value with Ryu's default when the key is absent (a present
 * null is not absent: it is None, which never reads). */
struct dflt {
    json_object *v;
    json_object *own;
};

static json_object *get_or(struct dflt *d, json_object *obj, const char *key, int64_t def)
{
    d->own = NULL;
    if (obj && json_object_object_get_ex(obj, key, &d->v))
        return d->v;
    d->own = d->v = json_object_new_int64(def);
    return d->v;
}

static void dflt_done(struct dflt *d)
{
    json_object_put(d->own);
    d->own = NULL;
}

/* An integer field read by str_to_int with a default, packed into max. */
static bool int_field(struct cx *c, json_object *obj, const char *key, int64_t def, uint64_t max, uint64_t *out)
{
    struct dflt d;
    struct pyint x;
    json_object *v = get_or(&d, obj, key, def);
    bool ok = str_to_int(c, v, key, &x);
    if (ok)
        *out = packed(c, &x, max, key, v);
    dflt_done(&d);
    return ok;
}

/* A port / queue / table field read by reserved_from_user. */
static uint64_t reserved_field(struct cx *c, json_object *obj, const char *key, int64_t def, const struct names *t,
                               uint64_t max)
{
    struct dflt d;
    struct pyint x;
    json_object *v = get_or(&d, obj, key, def);
    reserved_from_user(v, t, &x);
    uint64_t r = packed(c, &x, max, key, v);
    dflt_done(&d);
    return r;
}

/* ---- match ---- */

struct match10 {
    uint32_t wildcards;
    uint64_t in_port, dl_vlan, dl_vlan_pcp, dl_type, nw_tos, nw_proto, tp_src, tp_dst;
    char dl_src[18], dl_dst[18];
    uint32_t nw_src, nw_dst;
};

/* The fields read by str_to_int: name, wildcard bit, size. */
static const struct {
    const char *key;
    uint32_t bit;
    uint64_t max;
    size_t off;
} int_match_fields[] = {
    {"dl_vlan", FW_DL_VLAN, 0xffff, offsetof(struct match10, dl_vlan)},
    {"dl_vlan_pcp", FW_DL_VLAN_PCP, 0xff, offsetof(struct match10, dl_vlan_pcp)},
    {"dl_type", FW_DL_TYPE, 0xffff, offsetof(struct match10, dl_type)},
    {"nw_tos", FW_NW_TOS, 0xff, offsetof(struct match10, nw_tos)},
    {"nw_proto", FW_NW_PROTO, 0xff, offsetof(struct match10, nw_proto)},
    {"tp_src", FW_TP_SRC, 0xffff, offsetof(struct match10, tp_src)},
    {"tp_dst", FW_TP_DST, 0xffff, offsetof(struct match10, tp_dst)},
};

/* ofctl_v1_0.to_match: every named field is matched exactly, nw_src and
 * nw_dst by prefix; names Ryu does not know are ignored. */
static bool to_match(struct cx *c, json_object *attrs, struct match10 *m)
{
    memset(m, 0, sizeof *m);
    m->wildcards = FW_ALL;
    strcpy(m->dl_src, "00:00:00:00:00:00");
    strcpy(m->dl_dst, "00:00:00:00:00:00");
    if (!json_object_is_type(attrs, json_type_object))
        return fail(c, OFCTL_UNSUPPORTED, "match: %s is not an object", shown(attrs));
    json_object_object_foreach(attrs, key, value) {
        if (!strcmp(key, "in_port")) {
            struct pyint x;
            reserved_from_user(value, &PORTS, &x);
            if (!value) /* None: OFPMatch() takes it as port 0 */
                x = (struct pyint){.mag = 0};
            m->in_port = packed(c, &x, 0xffff, "in_port", value);
            m->wildcards &= ~FW_IN_PORT;
        } else if (!strcmp(key, "dl_src") || !strcmp(key, "dl_dst")) {
            bool src = key[3] == 's';
            if (!mac_from_user(c, value, key, src ? m->dl_src : m->dl_dst))
                return false;
            m->wildcards &= ~(src ? FW_DL_SRC : FW_DL_DST);
        } else if (!strcmp(key, "nw_src") || !strcmp(key, "nw_dst")) {
            bool src = key[3] == 's';
            unsigned prefix = 32, shift = src ? FW_NW_SRC_SHIFT : FW_NW_DST_SHIFT;
            if (!match_addr(c, value, key, src ? &m->nw_src : &m->nw_dst, &prefix))
                return false;
            m->wildcards &= ((32u - prefix) << shift) | ~(FW_ADDR_MASK << shift);
        } else {
            for (size_t i = 0; i < sizeof int_match_fields / sizeof int_match_fields[0]; i++) {
                if (strcmp(key, int_match_fields[i].key))
                    continue;
                struct pyint x;
                if (!str_to_int(c, value, key, &x))
                    return false;
                *(uint64_t *)((char *)m + int_match_fields[i].off) = packed(c, &x, int_match_fields[i].max, key, value);
                m->wildcards &= ~int_match_fields[i].bit;
                break;
            }
        }
    }
    return true;
}

static json_object *match_json(const struct match10 *m)
{
    char src[16], dst[16];
    ipv4_text(m->nw_src, src);
    ipv4_text(m->nw_dst, dst);
    json_object *o = json_object_new_object();
    json_object_object_add(o, "wildcards", juint(m->wildcards));
    json_object_object_add(o, "in_port", juint(m->in_port));
    json_object_object_add(o, "dl_src", json_object_new_string(m->dl_src));
    json_object_object_add(o, "dl_dst", json_object_new_string(m->dl_dst));
    json_object_object_add(o, "dl_vlan", juint(m->dl_vlan));
    json_object_object_add(o, "dl_vlan_pcp", juint(m->dl_vlan_pcp));
    json_object_object_add(o, "dl_type", juint(m->dl_type));
    json_object_object_add(o, "nw_tos", juint(m->nw_tos));
    json_object_object_add(o, "nw_proto", juint(m->nw_proto));
    json_object_object_add(o, "nw_src", json_object_new_string(src));
    json_object_object_add(o, "nw_dst", json_object_new_string(dst));
    json_object_object_add(o, "tp_src", juint(m->tp_src));
    json_object_object_add(o, "tp_dst", juint(m->tp_dst));
    return wrap("OFPMatch", o);
}

/* ---- actions, to the switch ---- */

enum act_arg { A_NONE, A_INT, A_MAC, A_IP };

/* ofctl_v1_0.to_actions, one row per action type Ryu reads: its class,
 * the user key, the JSON key of the class, the default and the size. */
static const struct {
    const char *type, *cls;
    enum act_arg arg;
    const char *key, *field;
    int64_t def;
    uint64_t max;
} action_table[] = {
    {"SET_VLAN_VID", "OFPActionVlanVid", A_INT, "vlan_vid", "vlan_vid", 0xffff, 0xffff},
    {"SET_VLAN_PCP", "OFPActionVlanPcp", A_INT, "vlan_pcp", "vlan_pcp", 0, 0xff},
    {"STRIP_VLAN", "OFPActionStripVlan", A_NONE, NULL, NULL, 0, 0},
    {"SET_DL_SRC", "OFPActionSetDlSrc", A_MAC, "dl_src", "dl_addr", 0, 0},
    {"SET_DL_DST", "OFPActionSetDlDst", A_MAC, "dl_dst", "dl_addr", 0, 0},
    {"SET_NW_SRC", "OFPActionSetNwSrc", A_IP, "nw_src", "nw_addr", 0, 0},
    {"SET_NW_DST", "OFPActionSetNwDst", A_IP, "nw_dst", "nw_addr", 0, 0},
    {"SET_NW_TOS", "OFPActionSetNwTos", A_INT, "nw_tos", "tos", 0, 0xff},
    {"SET_TP_SRC", "OFPActionSetTpSrc", A_INT, "tp_src", "tp", 0, 0xffff},
    {"SET_TP_DST", "OFPActionSetTpDst", A_INT, "tp_dst", "tp", 0, 0xffff},
};

/* One action, or *out NULL for a type Ryu skips (it only logs it). */
static bool to_action(struct cx *c, json_object *a, json_object **out)
{
    *out = NULL;
    if (!json_object_is_type(a, json_type_object))
        return fail(c, OFCTL_UNSUPPORTED, "actions: %s is not an object", shown(a));
    json_object *t = get(a, "type");
    if (!json_object_is_type(t, json_type_string))
        return true;
    const char *type = json_object_get_string(t);
    if ((size_t)json_object_get_string_len(t) != strlen(type))
        return true;
    json_object *body = json_object_new_object();
    const char *cls = NULL;
    if (!strcmp(type, "OUTPUT")) {
        cls = "OFPActionOutput";
        uint64_t port = reserved_field(c, a, "port", P10_NONE, &PORTS, 0xffff), max_len;
        if (!int_field(c, a, "max_len", 0xffe5, 0xffff, &max_len))
            goto bad;
        json_object_object_add(body, "port", juint(port));
        json_object_object_add(body, "max_len", juint(max_len));
    } else if (!strcmp(type, "ENQUEUE")) {
        cls = "OFPActionEnqueue";
        uint64_t port = reserved_field(c, a, "port", P10_NONE, &PORTS, 0xffff);
        uint64_t queue = reserved_field(c, a, "queue_id", 0, &QUEUES, UINT32_MAX);
        json_object_object_add(body, "port", juint(port));
        json_object_object_add(body, "queue_id", juint(queue));
    } else {
        size_t i = 0, n = sizeof action_table / sizeof action_table[0];
        while (i < n && strcmp(type, action_table[i].type))
            i++;
        if (i == n) {
            json_object_put(body);
            return true;
        }
        cls = action_table[i].cls;
        const char *key = action_table[i].key;
        json_object *v = key ? get(a, key) : NULL;
        switch (action_table[i].arg) {
        case A_NONE:
            break;
        case A_INT: {
            uint64_t x = 0;
            if (!int_field(c, a, key, action_table[i].def, action_table[i].max, &x))
                goto bad;
            json_object_object_add(body, action_table[i].field, juint(x));
            break;
        }
        case A_MAC: {
            char mac[18];
            if (!mac_from_user(c, v, key, mac))
                goto bad;
            json_object_object_add(body, action_table[i].field, json_object_new_string(mac));
            break;
        }
        case A_IP: {
            uint32_t addr = 0;
            char ip[16];
            if (!action_addr(c, v, key, &addr))
                goto bad;
            ipv4_text(addr, ip);
            json_object_object_add(body, action_table[i].field, json_object_new_string(ip));
            break;
        }
        }
    }
    *out = wrap(cls, body);
    return true;
bad:
    json_object_put(body);
    return false;
}

/* The "actions" of a flow entry: a list of objects (an empty string or
 * object iterates to nothing in Python; another scalar does not iterate). */
static bool to_actions(struct cx *c, json_object *acts, json_object *out)
{
    if (json_object_is_type(acts, json_type_object)) {
        if (json_object_object_length(acts) == 0)
            return true;
        return fail(c, OFCTL_UNSUPPORTED, "actions: %s is not a list of objects", shown(acts));
    }
    if (json_object_is_type(acts, json_type_string)) {
        if (json_object_get_string_len(acts) == 0)
            return true;
        return fail(c, OFCTL_UNSUPPORTED, "actions: %s is not a list of objects", shown(acts));
    }
    if (!json_object_is_type(acts, json_type_array))
        return fail(c, OFCTL_BAD_REQUEST, "actions: %s is not a list", shown(acts));
    for (size_t i = 0; i < json_object_array_length(acts); i++) {
        json_object *a;
        if (!to_action(c, json_object_array_get_idx(acts, i), &a))
            return false;
        if (a)
            json_object_array_add(out, a);
    }
    return true;
}

/* ---- requests ---- */

static enum ofctl_status finish(struct cx *c, bool ok, json_object *msg, json_object **msgs, size_t max, size_t *n)
{
    if (ok && c->deferred) {
        snprintf(c->why, KEN_WHY_LEN, "%s", c->dwhy);
        c->st = OFCTL_BAD_REQUEST;
        ok = false;
    }
    if (ok && *n >= max) {
        snprintf(c->why, KEN_WHY_LEN, "no room for the request");
        c->st = OFCTL_BAD_REQUEST;
        ok = false;
    }
    if (!ok) {
        json_object_put(msg);
        return c->st;
    }
    msgs[(*n)++] = msg;
    return OFCTL_OK;
}

static json_object *stats_request(void)
{
    json_object *o = json_object_new_object();
    json_object_object_add(o, "flags", json_object_new_int(0));
    return o;
}

/* The filter of a flow-stats route: Python's "flow if flow else {}", so
 * any empty value is no filter; another non-object is a 501. */
static bool stats_filter(struct cx *c, json_object *body, json_object **flow)
{
    *flow = NULL;
    if (!body)
        return true;
    switch (json_object_get_type(body)) {
    case json_type_null: return true;
    case json_type_object:
        if (json_object_object_length(body))
            *flow = body;
        return true;
    case json_type_array:
        if (!json_object_array_length(body))
            return true;
        break;
    case json_type_string:
        if (!json_object_get_string_len(body))
            return true;
        break;
    case json_type_boolean:
        if (!json_object_get_boolean(body))
            return true;
        break;
    case json_type_int:
        if (!json_object_get_int64(body) && !json_object_get_uint64(body))
            return true;
        break;
    case json_type_double:
        if (json_object_get_double(body) == 0)
            return true;
        break;
    }
    return fail(c, OFCTL_UNSUPPORTED, "the filter %s is not an object", shown(body));
}

/* The priority filter of flow stats (not sent: Ryu filters the reply);
 * -1, no filter, by default. */
static bool flow_priority(struct cx *c, json_object *flow, struct pyint *prio)
{
    if (!flow || !has(flow, "priority")) {
        *prio = (struct pyint){.neg = true, .mag = 1};
        return true;
    }
    return str_to_int(c, get(flow, "priority"), "priority", prio);
}

static bool build_flow_stats(struct cx *c, const struct ofctl_args *args, bool aggregate, json_object **msg)
{
    json_object *flow;
    if (!stats_filter(c, args->body, &flow))
        return false;
    struct match10 m;
    json_object *mo = flow ? get(flow, "match") : NULL;
    json_object *empty = json_object_new_object();
    bool ok = to_match(c, flow && has(flow, "match") ? mo : empty, &m);
    json_object_put(empty);
    if (!ok)
        return false;
    uint64_t table = reserved_field(c, flow, "table_id", 0xff, &TABLES, 0xff);
    uint64_t out_port = reserved_field(c, flow, "out_port", P10_NONE, &PORTS, 0xffff);
    struct pyint prio;
    if (!aggregate && !flow_priority(c, flow, &prio))
        return false;
    json_object *o = stats_request();
    json_object_object_add(o, "match", match_json(&m));
    json_object_object_add(o, "table_id", juint(table));
    json_object_object_add(o, "out_port", juint(out_port));
    *msg = wrap(aggregate ? "OFPAggregateStatsRequest" : "OFPFlowStatsRequest", o);
    return true;
}

static bool build_flow_mod(struct cx *c, const struct ofctl_args *args, json_object **msg)
{
    /* a body that is not an object has no .get() in Ryu: AttributeError */
    if (args->body && !json_object_is_type(args->body, json_type_object))
        return fail(c, OFCTL_UNSUPPORTED, "the body %s is not an object", shown(args->body));
    json_object *empty = json_object_new_object(), *flow = args->body ? args->body : empty;
    uint64_t cookie = 0, prio = 0, flags = 0, idle = 0, hard = 0;
    bool ok = int_field(c, flow, "cookie", 0, UINT64_MAX, &cookie) &&
              int_field(c, flow, "priority", OFP10_DEFAULT_PRIORITY, 0xffff, &prio);
    uint64_t buffer_id = NO_BUFFER, out_port = 0;
    if (ok) {
        json_object *b = get(flow, "buffer_id");
        struct pyint x = {.mag = NO_BUFFER};
        if (has(flow, "buffer_id")) {
            const char *s = json_object_is_type(b, json_type_string) ? json_object_get_string(b) : NULL;
            if (s && (!strcmp(s, "OFP_NO_BUFFER") || !strcmp(s, "NO_BUFFER")) &&
                strlen(s) == (size_t)json_object_get_string_len(b))
                x.mag = NO_BUFFER;
            else if (json_object_is_type(b, json_type_boolean))
                x.mag = json_object_get_boolean(b);
            else if (!json_to_pyint(b, &x))
                x.notint = true;
        }
        buffer_id = packed(c, &x, UINT32_MAX, "buffer_id", b);
        out_port = reserved_field(c, flow, "out_port", P10_NONE, &PORTS, 0xffff);
        ok = int_field(c, flow, "flags", 0, 0xffff, &flags) && int_field(c, flow, "idle_timeout", 0, 0xffff, &idle) &&
             int_field(c, flow, "hard_timeout", 0, 0xffff, &hard);
    }
    json_object *actions = json_object_new_array();
    struct match10 m;
    if (ok) {
        json_object *acts = get(flow, "actions");
        ok = has(flow, "actions") ? to_actions(c, acts, actions) : true;
    }
    if (ok)
        ok = to_match(c, has(flow, "match") ? get(flow, "match") : empty, &m);
    json_object_put(empty);
    if (!ok) {
        json_object_put(actions);
        return false;
    }
    int cmd = args->command;
    json_object *o = json_object_new_object();
    json_object_object_add(o, "match", match_json(&m));
    json_object_object_add(o, "cookie", juint(cookie));
    json_object_object_add(o, "command", juint((uint64_t)cmd));
    json_object_object_add(o, "idle_timeout", juint(idle));
    json_object_object_add(o, "hard_timeout", juint(hard));
    json_object_object_add(o, "priority", juint(prio));
    json_object_object_add(o, "buffer_id", juint(buffer_id));
    json_object_object_add(o, "out_port", juint(out_port));
    json_object_object_add(o, "flags", juint(flags));
    json_object_object_add(o, "actions", actions);
    *msg = wrap("OFPFlowMod", o);
    return true;
}

/* ofctl_rest.mod_port_behavior then ofctl_v1_0.mod_port_behavior: the
 * port must read as a number (ofctl_rest looks it up), hw_addr and
 * advertise default to the port's own. */
static bool build_port_mod(struct cx *c, const struct ofctl_args *args, json_object **msg)
{
    json_object *pc = args->body;
    if (pc && !json_object_is_type(pc, json_type_object))
        return fail(c, OFCTL_UNSUPPORTED, "the body %s is not an object", shown(pc));
    json_object *pn = get(pc, "port_no");
    struct pyint x;
    if (!str_to_int(c, pn, "port_no", &x))
        return false;
    if (!args->port_defaults)
        return fail(c, OFCTL_NOT_FOUND, "no such port: %s", shown(pn));
    uint64_t port = reserved_field(c, pc, "port_no", 0, &PORTS, 0xffff);
    /* hw_addr: str() of the value, read as a MAC when packed */
    char mac[18];
    uint64_t m = 0;
    if (has(pc, "hw_addr")) {
        json_object *h = get(pc, "hw_addr");
        const char *s = NULL;
        char num[32];
        if (json_object_is_type(h, json_type_string) &&
            (size_t)json_object_get_string_len(h) == strlen(json_object_get_string(h)))
            s = json_object_get_string(h);
        else if (json_to_pyint(h, &x) && !x.big) {
            snprintf(num, sizeof num, "%s%llu", x.neg ? "-" : "", (unsigned long long)x.mag);
            s = num;
        }
        if (!s || !mac_from_text(s, strlen(s), &m))
            defer(c, "hw_addr: %s is not a MAC address", shown(h));
    } else {
        const uint8_t *a = args->port_defaults->hw_addr;
        for (int i = 0; i < 6; i++)
            m = (m << 8) | a[i];
    }
    mac_text(m, mac);
    uint64_t config = 0, mask = 0, adv = 0;
    if (!int_field(c, pc, "config", 0, UINT32_MAX, &config) || !int_field(c, pc, "mask", 0, UINT32_MAX, &mask))
        return false;
    if (!int_field(c, pc, "advertise", args->port_defaults->advertised, UINT32_MAX, &adv))
        return false;
    json_object *o = json_object_new_object();
    json_object_object_add(o, "port_no", juint(port));
    json_object_object_add(o, "hw_addr", json_object_new_string(mac));
    json_object_object_add(o, "config", juint(config));
    json_object_object_add(o, "mask", juint(mask));
    json_object_object_add(o, "advertise", juint(adv));
    *msg = wrap("OFPPortMod", o);
    return true;
}

/* A path part: NULL or "ALL" is Ryu's None. */
static const char *path_arg(const char *s)
{
    return s && strcmp(s, "ALL") ? s : NULL;
}

static bool build_port_or_queue(struct cx *c, const struct ofctl_args *args, json_object **msg)
{
    const char *p = path_arg(args->port);
    struct pyint x = {.mag = args->kind == OFCTL_QUEUE ? P10_ALL : P10_NONE};
    if (p && !cstr_to_int(c, p, "port", &x))
        return false;
    json_object *po = p ? json_object_new_string(p) : NULL;
    uint64_t port = packed(c, &x, 0xffff, "port", po);
    json_object *o = stats_request();
    json_object_object_add(o, "port_no", juint(port));
    if (args->kind == OFCTL_QUEUE) {
        const char *q = path_arg(args->queue);
        struct pyint y = {.mag = Q10_ALL};
        if (q && !cstr_to_int(c, q, "queue_id", &y)) {
            json_object_put(po);
            json_object_put(o);
            return false;
        }
        json_object_object_add(o, "queue_id", juint(packed(c, &y, UINT32_MAX, "queue_id", po)));
    }
    json_object_put(po);
    *msg = wrap(args->kind == OFCTL_QUEUE ? "OFPQueueStatsRequest" : "OFPPortStatsRequest", o);
    return true;
}

static enum ofctl_status v10_build(const struct ofctl_args *args, json_object **msgs, size_t max, size_t *n,
                                   char why[KEN_WHY_LEN])
{
    struct cx c = {.st = OFCTL_OK, .why = why};
    json_object *msg = NULL;
    bool ok;
    why[0] = 0;
    switch (args->kind) {
    case OFCTL_DESC:
        msg = wrap("OFPDescStatsRequest", stats_request());
        ok = true;
        break;
    case OFCTL_TABLE:
        msg = wrap("OFPTableStatsRequest", stats_request());
        ok = true;
        break;
    case OFCTL_PORT_DESC:
        /* 1.0 has no port-desc stats: Ryu reads the features reply */
        msg = wrap("OFPFeaturesRequest", json_object_new_object());
        ok = true;
        break;
    case OFCTL_FLOW:
    case OFCTL_AGGREGATE_FLOW:
        ok = build_flow_stats(&c, args, args->kind == OFCTL_AGGREGATE_FLOW, &msg);
        break;
    case OFCTL_PORT:
    case OFCTL_QUEUE:
        ok = build_port_or_queue(&c, args, &msg);
        break;
    case OFCTL_FLOW_MOD:
        ok = build_flow_mod(&c, args, &msg);
        break;
    case OFCTL_PORT_MOD:
        ok = build_port_mod(&c, args, &msg);
        break;
    default:
        snprintf(why, KEN_WHY_LEN, "OpenFlow 1.0 has no such request");
        return OFCTL_UNSUPPORTED;
    }
    return finish(&c, ok, msg, msgs, max, n);
}

/* ---- replies ---- */

/* The length of the well-formed UTF-8 sequence at p (what Python's
 * strict decoder takes: no overlongs, no surrogates), 0 if none. */
static size_t utf8_seq(const unsigned char *p, size_t n)
{
    unsigned char b = p[0], lo = 0x80, hi = 0xbf;
    size_t len;
    if (b < 0x80)
        return 1;
    if (b >= 0xc2 && b <= 0xdf)
        len = 2;
    else if (b >= 0xe0 && b <= 0xef) {
        len = 3;
        lo = b == 0xe0 ? 0xa0 : 0x80;
        hi = b == 0xed ? 0x9f : 0xbf;
    } else if (b >= 0xf0 && b <= 0xf4) {
        len = 4;
        lo = b == 0xf0 ? 0x90 : 0x80;
        hi = b == 0xf4 ? 0x8f : 0xbf;
    } else
        return 0;
    if (n < len || p[1] < lo || p[1] > hi)
        return 0;
    for (size_t k = 2; k < len; k++)
        if (p[k] < 0x80 || p[k] > 0xbf)
            return 0;
    return len;
}

static bool utf8_ok(const unsigned char *p, size_t n)
{
    for (size_t i = 0, l; i < n; i += l)
        if ((l = utf8_seq(p + i, n - i)) == 0)
            return false;
    return true;
}

/* The body of {"Class": {...}} when the class is cls. */
static json_object *unwrap(json_object *msg, const char *cls)
{
    json_object *b = get(msg, cls);
    return json_object_is_type(b, json_type_object) ? b : NULL;
}

/* A reply's value for key, which must be there. */
static json_object *need(struct cx *c, json_object *obj, const char *key)
{
    json_object *v = get(obj, key);
    if (!v)
        fail(c, OFCTL_BAD_REQUEST, "the reply has no \"%s\"", key);
    return v;
}

static bool need_uint(struct cx *c, json_object *obj, const char *key, uint64_t *out)
{
    json_object *v = need(c, obj, key);
    struct pyint x;
    if (!v)
        return false;
    if (!json_to_pyint(v, &x) || x.neg)
        return fail(c, OFCTL_BAD_REQUEST, "the reply's \"%s\" is not a number", key);
    *out = x.mag;
    return true;
}

/* Copies obj[key] into out under the same key. */
static bool copy_key(struct cx *c, json_object *out, json_object *obj, const char *key)
{
    json_object *v = need(c, obj, key);
    if (!v)
        return false;
    json_object_object_add(out, key, json_object_get(v));
    return true;
}

static bool copy_keys(struct cx *c, json_object *out, json_object *obj, const char *const *keys)
{
    for (; *keys; keys++)
        if (!copy_key(c, out, obj, *keys))
            return false;
    return true;
}

/* bytes.decode('utf-8') of a text field: Ryu fails (400) on bytes that
 * are not UTF-8. */
static bool copy_text(struct cx *c, json_object *out, const char *okey, json_object *obj, const char *key)
{
    json_object *v = need(c, obj, key);
    if (!v)
        return false;
    if (!json_object_is_type(v, json_type_string))
        return fail(c, OFCTL_BAD_REQUEST, "the reply's \"%s\" is not text", key);
    const char *s = json_object_get_string(v);
    int len = json_object_get_string_len(v);
    if (!utf8_ok((const unsigned char *)s, (size_t)len))
        return fail(c, OFCTL_BAD_REQUEST, "the reply's \"%s\" is not UTF-8", key);
    json_object_object_add(out, okey, json_object_new_string_len(s, len));
    return true;
}

/* OFCtlUtil._reserved_num_to_user: a reserved number by its name. */
static json_object *to_user(const struct names *t, uint64_t v)
{
    for (size_t i = 0; i < t->n; i++)
        if (t->v[i].value == v)
            return json_object_new_string(t->v[i].name);
    return juint(v);
}

static bool port_to_user(struct cx *c, json_object *out, const char *okey, json_object *obj, const char *key)
{
    uint64_t v;
    if (!need_uint(c, obj, key, &v))
        return false;
    json_object_object_add(out, okey, to_user(&PORTS, v));
    return true;
}

/* The reply parts of class cls, each part's "body" list items unwrapped
 * (item_cls) handed to fn. */
typedef bool (*item_fn)(struct cx *c, json_object *item, json_object *out, const void *ctx);

static bool each_item(struct cx *c, json_object *const *replies, size_t n, const char *cls, const char *item_cls,
                      item_fn fn, json_object *out, const void *ctx)
{
    for (size_t r = 0; r < n; r++) {
        json_object *m = unwrap(replies[r], cls);
        if (!m)
            continue;
        json_object *body = need(c, m, "body");
        if (!body)
            return false;
        if (!json_object_is_type(body, json_type_array))
            return fail(c, OFCTL_BAD_REQUEST, "the reply's body is not a list");
        for (size_t i = 0; i < json_object_array_length(body); i++) {
            json_object *it = unwrap(json_object_array_get_idx(body, i), item_cls);
            if (!it)
                return fail(c, OFCTL_BAD_REQUEST, "the reply's body holds something other than %s", item_cls);
            if (!fn(c, it, out, ctx))
                return false;
        }
    }
    return true;
}

/* Ryu's action strings, one row per action class it names. */
enum act_show { S_PLAIN, S_FIELD, S_OUTPUT, S_ENQUEUE };
static const struct {
    const char *cls, *prefix;
    enum act_show show;
    const char *field;
} action_strings[] = {
    {"OFPActionOutput", "OUTPUT:", S_OUTPUT, "port"},
    {"OFPActionVlanVid", "SET_VLAN_VID:", S_FIELD, "vlan_vid"},
    {"OFPActionVlanPcp", "SET_VLAN_PCP:", S_FIELD, "vlan_pcp"},
    {"OFPActionStripVlan", "STRIP_VLAN", S_PLAIN, NULL},
    {"OFPActionSetDlSrc", "SET_DL_SRC:", S_FIELD, "dl_addr"},
    {"OFPActionSetDlDst", "SET_DL_DST:", S_FIELD, "dl_addr"},
    {"OFPActionSetNwSrc", "SET_NW_SRC:", S_FIELD, "nw_addr"},
    {"OFPActionSetNwDst", "SET_NW_DST:", S_FIELD, "nw_addr"},
    {"OFPActionSetNwTos", "SET_NW_TOS:", S_FIELD, "tos"},
    {"OFPActionSetTpSrc", "SET_TP_SRC:", S_FIELD, "tp"},
    {"OFPActionSetTpDst", "SET_TP_DST:", S_FIELD, "tp"},
    {"OFPActionEnqueue", "ENQUEUE:", S_ENQUEUE, "port"},
};

/* A number or a string as Python's str() shows it. */
static void append_value(char *buf, size_t cap, json_object *v)
{
    size_t l = strlen(buf);
    if (json_object_is_type(v, json_type_string))
        snprintf(buf + l, cap - l, "%s", json_object_get_string(v));
    else {
        struct pyint x;
        if (json_to_pyint(v, &x))
            snprintf(buf + l, cap - l, "%s%llu", x.neg ? "-" : "", (unsigned long long)x.mag);
    }
}

static bool action_string(struct cx *c, json_object *act, json_object *out)
{
    const char *cls = NULL;
    json_object *body = NULL;
    if (json_object_is_type(act, json_type_object) && json_object_object_length(act) == 1) {
        json_object_object_foreach(act, k, v) {
            cls = k;
            body = v;
        }
    }
    if (!cls || !json_object_is_type(body, json_type_object))
        return fail(c, OFCTL_BAD_REQUEST, "the reply holds an action that is not {\"Class\": {...}}");
    size_t i = 0, n = sizeof action_strings / sizeof action_strings[0];
    while (i < n && strcmp(cls, action_strings[i].cls))
        i++;
    char buf[128] = "";
    if (i == n) {
        /* every other action 1.0 decodes is a vendor (Nicira) one */
        json_object_array_add(out, json_object_new_string("VENDOR"));
        return true;
    }
    snprintf(buf, sizeof buf, "%s", action_strings[i].prefix);
    uint64_t v;
    switch (action_strings[i].show) {
    case S_PLAIN:
        break;
    case S_FIELD: {
        json_object *f = need(c, body, action_strings[i].field);
        if (!f)
            return false;
        append_value(buf, sizeof buf, f);
        break;
    }
    case S_OUTPUT:
    case S_ENQUEUE: {
        if (!need_uint(c, body, "port", &v))
            return false;
        json_object *p = to_user(&PORTS, v);
        append_value(buf, sizeof buf, p);
        json_object_put(p);
        if (action_strings[i].show == S_ENQUEUE) {
            if (!need_uint(c, body, "queue_id", &v))
                return false;
            json_object *q = to_user(&QUEUES, v);
            strncat(buf, ":", sizeof buf - strlen(buf) - 1);
            append_value(buf, sizeof buf, q);
            json_object_put(q);
        }
        break;
    }
    }
    json_object_array_add(out, json_object_new_string(buf));
    return true;
}

/* ofctl_v1_0.match_to_str: the fields the wildcards leave matched. */
static bool match_to_user(struct cx *c, json_object *mw, json_object **out)
{
    json_object *m = unwrap(mw, "OFPMatch");
    uint64_t wc;
    if (!m)
        return fail(c, OFCTL_BAD_REQUEST, "the reply's match is not an OFPMatch");
    if (!need_uint(c, m, "wildcards", &wc))
        return false;
    static const struct {
        const char *key;
        uint32_t bit;
    } plain[] = {{"dl_vlan", FW_DL_VLAN}, {"dl_vlan_pcp", FW_DL_VLAN_PCP}, {"dl_type", FW_DL_TYPE},
                 {"nw_tos", FW_NW_TOS},   {"nw_proto", FW_NW_PROTO}};
    json_object *o = json_object_new_object();
    bool ok = true;
    if (!(wc & FW_IN_PORT))
        ok = port_to_user(c, o, "in_port", m, "in_port");
    if (ok && !(wc & FW_DL_SRC))
        ok = copy_key(c, o, m, "dl_src");
    if (ok && !(wc & FW_DL_DST))
        ok = copy_key(c, o, m, "dl_dst");
    for (size_t i = 0; ok && i < sizeof plain / sizeof plain[0]; i++)
        if (!(wc & plain[i].bit))
            ok = copy_key(c, o, m, plain[i].key);
    for (int dst = 0; ok && dst < 2; dst++) {
        const char *key = dst ? "nw_dst" : "nw_src";
        unsigned shift = dst ? FW_NW_DST_SHIFT : FW_NW_SRC_SHIFT;
        if (wc & (dst ? FW_NW_DST_ALL : FW_NW_SRC_ALL))
            continue;
        json_object *a = need(c, m, key);
        if (!(ok = a && json_object_is_type(a, json_type_string))) {
            if (a)
                fail(c, OFCTL_BAD_REQUEST, "the reply's \"%s\" is not text", key);
            break;
        }
        unsigned bits = 32 - (unsigned)((wc >> shift) & FW_ADDR_MASK);
        char buf[64];
        if (bits == 32)
            snprintf(buf, sizeof buf, "%s", json_object_get_string(a));
        else
            snprintf(buf, sizeof buf, "%s/%u", json_object_get_string(a), bits);
        json_object_object_add(o, key, json_object_new_string(buf));
    }
    if (ok && !(wc & FW_TP_SRC))
        ok = copy_key(c, o, m, "tp_src");
    if (ok && !(wc & FW_TP_DST))
        ok = copy_key(c, o, m, "tp_dst");
    if (!ok) {
        json_object_put(o);
        return false;
    }
    *out = o;
    return true;
}

static bool flow_item(struct cx *c, json_object *st, json_object *out, const void *ctx)
{
    const struct pyint *prio = ctx;
    uint64_t p;
    if (!need_uint(c, st, "priority", &p))
        return false;
    /* Ryu's "0 <= priority != stats.priority": a filter that is not
     * negative keeps only that priority */
    if (!prio->neg && (prio->big || prio->mag != p))
        return true;
    json_object *o = json_object_new_object(), *acts = json_object_new_array(), *match = NULL;
    json_object *a = need(c, st, "actions");
    bool ok = a && json_object_is_type(a, json_type_array);
    if (a && !ok)
        fail(c, OFCTL_BAD_REQUEST, "the reply's actions are not a list");
    for (size_t i = 0; ok && i < json_object_array_length(a); i++)
        ok = action_string(c, json_object_array_get_idx(a, i), acts);
    json_object *mw = ok ? need(c, st, "match") : NULL;
    ok = ok && mw && match_to_user(c, mw, &match);
    static const char *const k1[] = {"priority", "cookie", "idle_timeout", "hard_timeout", NULL};
    static const char *const k2[] = {"byte_count", "duration_sec", "duration_nsec", "packet_count", "table_id", NULL};
    ok = ok && copy_keys(c, o, st, k1);
    if (ok) {
        json_object_object_add(o, "actions", acts);
        json_object_object_add(o, "match", match);
        acts = match = NULL;
        ok = copy_keys(c, o, st, k2);
    }
    json_object_put(acts);
    json_object_put(match);
    if (!ok) {
        json_object_put(o);
        return false;
    }
    json_object_array_add(out, o);
    return true;
}

static bool keys_item(struct cx *c, json_object *st, json_object *out, const void *ctx)
{
    json_object *o = json_object_new_object();
    if (!copy_keys(c, o, st, ctx)) {
        json_object_put(o);
        return false;
    }
    json_object_array_add(out, o);
    return true;
}

/* get_table_stats names wildcard bits through a dict keyed by the
 * OFPFW_* values, tested as bit numbers (1 << k): of its keys only these
 * are below 32, and where two constants share a key the later name won. */
static const struct {
    unsigned bit;
    const char *name;
} table_wildcards[] = {
    {1, "IN_PORT"}, {2, "DL_VLAN"}, {4, "DL_SRC"}, {8, "NW_SRC_SHIFT"}, {16, "DL_TYPE"}, {6, "NW_DST_BITS"},
    {14, "NW_DST_SHIFT"},
};

static bool table_item(struct cx *c, json_object *st, json_object *out, const void *ctx)
{
    (void)ctx;
    uint64_t wc;
    if (!need_uint(c, st, "wildcards", &wc))
        return false;
    json_object *o = json_object_new_object(), *w = json_object_new_array();
    for (size_t i = 0; i < sizeof table_wildcards / sizeof table_wildcards[0]; i++)
        if (wc & (1ull << table_wildcards[i].bit))
            json_object_array_add(w, json_object_new_string(table_wildcards[i].name));
    static const char *const rest[] = {"max_entries", "active_count", "lookup_count", "matched_count", NULL};
    bool ok = copy_key(c, o, st, "table_id") && copy_text(c, o, "name", st, "name");
    if (ok) {
        json_object_object_add(o, "wildcards", w);
        w = NULL;
        ok = copy_keys(c, o, st, rest);
    }
    json_object_put(w);
    if (!ok) {
        json_object_put(o);
        return false;
    }
    json_object_array_add(out, o);
    return true;
}

static bool port_item(struct cx *c, json_object *st, json_object *out, const void *ctx)
{
    (void)ctx;
    static const char *const keys[] = {"rx_packets", "tx_packets",   "rx_bytes",    "tx_bytes",
                                       "rx_dropped", "tx_dropped",   "rx_errors",   "tx_errors",
                                       "rx_frame_err", "rx_over_err", "rx_crc_err", "collisions", NULL};
    json_object *o = json_object_new_object();
    if (!port_to_user(c, o, "port_no", st, "port_no") || !copy_keys(c, o, st, keys)) {
        json_object_put(o);
        return false;
    }
    json_object_array_add(out, o);
    return true;
}

static bool port_desc(struct cx *c, json_object *const *replies, size_t n, json_object *out)
{
    static const char *const keys[] = {"config", "state", "curr", "advertised", "supported", "peer", NULL};
    for (size_t r = 0; r < n; r++) {
        json_object *m = unwrap(replies[r], "OFPSwitchFeatures");
        if (!m)
            continue;
        json_object *ports = need(c, m, "ports");
        if (!ports)
            return false;
        if (!json_object_is_type(ports, json_type_object))
            return fail(c, OFCTL_BAD_REQUEST, "the features reply's ports are not an object");
        json_object_object_foreach(ports, k, pw) {
            (void)k;
            json_object *p = unwrap(pw, "OFPPhyPort");
            json_object *o = json_object_new_object();
            bool ok = p ? true : fail(c, OFCTL_BAD_REQUEST, "the features reply holds a port that is not OFPPhyPort");
            ok = ok && port_to_user(c, o, "port_no", p, "port_no") && copy_key(c, o, p, "hw_addr") &&
                 copy_text(c, o, "name", p, "name") && copy_keys(c, o, p, keys);
            if (!ok) {
                json_object_put(o);
                return false;
            }
            json_object_array_add(out, o);
        }
    }
    return true;
}

static bool ascii_ok(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if ((unsigned char)s[i] >= 0x80)
            return false;
    return true;
}

/* get_desc_stats: the last reply's OFPDescStats as it is (to_jsondict,
 * which reads its text fields as ASCII and fails on any other byte). */
static bool desc(struct cx *c, json_object *const *replies, size_t n, json_object **out)
{
    json_object *last = NULL;
    for (size_t r = 0; r < n; r++) {
        json_object *m = unwrap(replies[r], "OFPDescStatsReply");
        if (!m)
            continue;
        json_object *b = need(c, m, "body");
        json_object *d = b ? unwrap(b, "OFPDescStats") : NULL;
        if (!d)
            return b ? fail(c, OFCTL_BAD_REQUEST, "the desc reply's body is not OFPDescStats") : false;
        json_object_object_foreach(d, k, v) {
            if (json_object_is_type(v, json_type_string) &&
                !ascii_ok(json_object_get_string(v), (size_t)json_object_get_string_len(v)))
                return fail(c, OFCTL_BAD_REQUEST, "the desc reply's \"%s\" is not ASCII", k);
        }
        last = d;
    }
    if (!last) {
        *out = json_object_new_object();
        return true;
    }
    json_object *copy = NULL;
    if (json_object_deep_copy(last, &copy, NULL) != 0)
        return fail(c, OFCTL_BAD_REQUEST, "out of memory");
    *out = copy;
    return true;
}

static enum ofctl_status v10_answer(const struct ofctl_args *args, json_object *const *replies, size_t n,
                                    json_object **out, char why[KEN_WHY_LEN])
{
    struct cx c = {.st = OFCTL_OK, .why = why};
    static const char *const agg_keys[] = {"packet_count", "byte_count", "flow_count", NULL};
    static const char *const queue_keys[] = {"port_no", "queue_id", "tx_bytes", "tx_errors", "tx_packets", NULL};
    json_object *list = NULL;
    bool ok;
    why[0] = 0;
    *out = NULL;
    if (args->kind == OFCTL_DESC) {
        ok = desc(&c, replies, n, out);
        return ok ? OFCTL_OK : c.st;
    }
    list = json_object_new_array();
    switch (args->kind) {
    case OFCTL_FLOW: {
        json_object *flow;
        struct pyint prio;
        ok = stats_filter(&c, args->body, &flow) && flow_priority(&c, flow, &prio) &&
             each_item(&c, replies, n, "OFPFlowStatsReply", "OFPFlowStats", flow_item, list, &prio);
        break;
    }
    case OFCTL_AGGREGATE_FLOW:
        ok = each_item(&c, replies, n, "OFPAggregateStatsReply", "OFPAggregateStats", keys_item, list, agg_keys);
        break;
    case OFCTL_TABLE:
        ok = each_item(&c, replies, n, "OFPTableStatsReply", "OFPTableStats", table_item, list, NULL);
        break;
    case OFCTL_PORT:
        ok = each_item(&c, replies, n, "OFPPortStatsReply", "OFPPortStats", port_item, list, NULL);
        break;
    case OFCTL_QUEUE:
        ok = each_item(&c, replies, n, "OFPQueueStatsReply", "OFPQueueStats", keys_item, list, queue_keys);
        break;
    case OFCTL_PORT_DESC:
        ok = port_desc(&c, replies, n, list);
        break;
    default:
        json_object_put(list);
        snprintf(why, KEN_WHY_LEN, "OpenFlow 1.0 has no such reply");
        return OFCTL_UNSUPPORTED;
    }
    if (!ok) {
        json_object_put(list);
        return c.st;
    }
    *out = list;
    return OFCTL_OK;
}

const struct ofctl_version ofctl_v1_0 = {
    .version = KEN_OFP10,
    .build = v10_build,
    .answer = v10_answer,
};
