/* ofctl for OpenFlow 1.4 and 1.5 (Ryu's ofctl_v1_4 / ofctl_v1_5).
 *
 * Requests: the route's arguments become OS-Ken JSON for ken's codec, with
 * Ryu's defaults and its way of reading values; what Ryu's ofctl_utils.py
 * does (numbers, reserved names, matches, actions, base64, experimenter
 * and role messages) is util.c's. Replies: the codec's OS-Ken JSON is
 * reshaped as Ryu reshapes to_jsondict(): type numbers become names,
 * matches become {field: "value/mask"}, OXS stats a flat object.
 *
 * Statuses follow what Ryu's code raises: a ValueError (bad number or
 * name) is 400; a value Ryu accepts but cannot pack (a struct.error, a
 * 500 in Ryu) is 400 too, found after the whole body is read as Ryu finds
 * it when packing; an AttributeError (a message the version lacks, a body
 * of the wrong JSON type where Ryu calls .get on it) is 501. */
#include "v14_common.h"

#include "ken/buf.h"
#include "util.h"

#include <ctype.h>
#include <inttypes.h>
#include <json-c/json.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef __int128 i128;


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

/* A status from util.c (its why already filled) into the context. */
static bool take(struct ctx *c, enum ofctl_status st, const char *w)
{
    if (st == OFCTL_OK) return true;
    return fail(c, st, "%s", w);
}

/* A short quote of a JSON value for error messages. */
static const char *q(struct json_object *v)
{
    if (!v) return "null";
    const char *s = json_object_to_json_string_ext(v, JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE);
    return s ? s : "?";
}

/* ---------- Python's int(str(x), 0) ---------- */

static bool json_int(struct json_object *v, i128 *out)
{
    if (!json_object_is_type(v, json_type_int)) return false;
    int64_t s = json_object_get_int64(v);
    if (s < 0) *out = s;
    else *out = (i128)json_object_get_uint64(v);
    return true;
}

/* Ryu's str_to_int (util.c): JSON ints and strings Python's int() reads.
 * A number beyond 64 bits Ryu reads but cannot pack: refused here. */
static bool to_int(struct json_object *v, i128 *out)
{
    struct ofctl_int x;
    if (!ofctl_parse_int(v, &x) || x.big) return false;
    *out = x.neg ? -(i128)x.mag : (i128)x.mag;
    return true;
}

static bool str_to_int(struct ctx *c, struct json_object *v, const char *what, i128 *out)
{
    if (to_int(v, out)) return true;
    return fail(c, OFCTL_BAD_REQUEST, "%s: invalid literal for int(): %s", what, q(v));
}

/* ---------- the reserved names (util.c's tables of ofproto_v1_4/1_5) ---------- */

/* A set of names as this file uses it: util.c's set, the prefix Ryu
 * strips, the widest value its field takes, and (for the sets looked up
 * without a failure, below) the values to try. */
struct names {
    enum ofctl_names set;
    const char *prefix;
    uint64_t max;
    const uint32_t *values; /* 0-ended after the first; NULL: not a lookup set */
};

static const uint32_t meter_flag_values[] = {1, 2, 4, 8, 0};
static const uint32_t bucket_prop_values[] = {0, 1, 2, 0xffff, 0};
static const uint32_t port_mod_prop_values[] = {0, 1, 0xffff, 0};

static const struct names N_PORT = {OFCTL_NAMES_PORT, "OFPP_", 0xffffffff, NULL},
                          N_QUEUE = {OFCTL_NAMES_QUEUE, "OFPQ_", 0xffffffff, NULL},
                          N_GROUP = {OFCTL_NAMES_GROUP, "OFPG_", 0xffffffff, NULL},
                          N_METER = {OFCTL_NAMES_METER, "OFPM_", 0xffffffff, NULL},
                          N_TABLE = {OFCTL_NAMES_TABLE, "OFPTT_", 0xff, NULL},
                          N_GROUP_TYPE = {OFCTL_NAMES_GROUP_TYPE, "OFPGT_", 0xff, NULL},
                          N_PORT_FEATURE = {OFCTL_NAMES_PORT_FEATURES, "OFPPF_", 0xffffffff, NULL},
                          N_BUCKET_PROP = {OFCTL_NAMES_BUCKET_PROP_TYPE, "OFPGBPT_", 0xffff, bucket_prop_values},
                          N_METER_FLAG = {OFCTL_NAMES_METER_FLAGS, "OFPMF_", 0xffff, meter_flag_values},
                          N_PORT_MOD_PROP = {OFCTL_NAMES_PORT_MOD_PROP_TYPE, "OFPPMPT_", 0xffff,
                                             port_mod_prop_values},
                          N_ACTION = {OFCTL_NAMES_ACTION_TYPE, "OFPAT_", 0xffff, NULL},
                          N_INSTRUCTION = {OFCTL_NAMES_INSTRUCTION_TYPE, "OFPIT_", 0xffff, NULL},
                          N_BAND = {OFCTL_NAMES_METER_BAND_TYPE, "OFPMBT_", 0xffff, NULL},
                          N_TFPROP = {OFCTL_NAMES_TABLE_FEATURE_PROP_TYPE, "OFPTFPT_", 0xffff, NULL},
                          N_PORT_STATS_PROP = {OFCTL_NAMES_PORT_STATS_PROP_TYPE, "OFPPSPT_", 0xffff, NULL},
                          N_QUEUE_STATS_PROP = {OFCTL_NAMES_QUEUE_STATS_PROP_TYPE, "OFPQSPT_", 0xffff, NULL},
                          N_QUEUE_DESC_PROP = {OFCTL_NAMES_QUEUE_DESC_PROP_TYPE, "OFPQDPT_", 0xffff, NULL},
                          N_PORT_DESC_PROP = {OFCTL_NAMES_PORT_DESC_PROP_TYPE, "OFPPDPT_", 0xffff, NULL};

static uint8_t ver(const struct ctx *c)
{
    return c->v15 ? KEN_OFP15 : KEN_OFP14;
}

/* Ryu's _reserved_num_from_user where it only asks whether the value
 * resolved (meter flags, bucket and port-mod property types): a number,
 * else a name of the set with or without its prefix, in any case. These
 * sets have one name a value, so util.c's value-to-name table serves. */
static bool from_user(const struct ctx *c, const struct names *t, struct json_object *v, i128 *out)
{
    if (to_int(v, out)) return true;
    if (!json_object_is_type(v, json_type_string) || !t->values) return false;
    const char *s = json_object_get_string(v);
    size_t pl = strlen(t->prefix);
    if (strncmp(s, t->prefix, pl) == 0) s += pl;
    for (size_t i = 0; i == 0 || t->values[i]; i++) {
        const char *nm = ofctl_name_of(ver(c), t->set, t->values[i]);
        size_t k = 0;
        if (!nm) continue;
        while (nm[k] && s[k] && toupper((unsigned char)s[k]) == nm[k]) k++;
        if (!nm[k] && !s[k]) {
            *out = t->values[i];
            return true;
        }
    }
    return false;
}

/* Ryu's _reserved_num_from_user where it hands an unresolved value on to
 * be packed (util.c; its failure is deferred to the packing). */
static bool reserved_pack(struct ctx *c, const struct names *t, struct json_object *v, const char *what, i128 *out)
{
    char w[KEN_WHY_LEN];
    uint64_t u = 0;
    *out = 0;
    enum ofctl_status st = ofctl_from_user(ver(c), t->set, v, t->max, what, &u, w);
    if (st != OFCTL_OK) return fail(c, st, "%s", w);
    *out = u;
    return true;
}

/* Ryu's _reserved_num_to_user: the first name of the value, else NULL. */
static const char *name_of(const struct ctx *c, const struct names *t, int64_t v)
{
    return v < 0 ? NULL : ofctl_name_of(ver(c), t->set, (uint64_t)v);
}

static struct json_object *to_user(const struct ctx *c, const struct names *t, struct json_object *v)
{
    return ofctl_to_user(ver(c), t->set, v);
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

/* ---------- MAC addresses ---------- */

static void fmt_mac(const uint8_t m[6], char out[18])
{
    snprintf(out, 18, "%02x:%02x:%02x:%02x:%02x:%02x", m[0], m[1], m[2], m[3], m[4], m[5]);
}

/* ---------- matches and actions (util.c) ---------- */

/* Ryu's to_match for 1.4 and 1.5. Its own steps come first: an ARP
 * match (eth_type the number 2054) takes ipv4_src/ipv4_dst as arp_spa/
 * arp_tpa, then the old names (dl_*, nw_*) become OXM names, the later of
 * two keys for one field winning. util.c then converts the values, sorts
 * and masks (it knows the old names only up to 1.3): the ARP eth_type goes
 * to it as the string "2054", the same number to Ryu, so that it does not
 * rename a second time an ipv4_src that came from nw_src. A key present
 * with JSON null is Ryu's None, whose .get is an AttributeError. */
static struct json_object *to_match(struct ctx *c, struct json_object *attrs)
{
    static const char *const old[][2] = {{"dl_dst", "eth_dst"}, {"dl_src", "eth_src"}, {"dl_type", "eth_type"},
                                         {"dl_vlan", "vlan_vid"}, {"nw_src", "ipv4_src"}, {"nw_dst", "ipv4_dst"},
                                         {"nw_proto", "ip_proto"}};
    char w[KEN_WHY_LEN];
    struct json_object *m = NULL;
    if (!json_object_is_type(attrs, json_type_object)) {
        fail(c, OFCTL_UNSUPPORTED, "match must be a JSON object, not %s", q(attrs));
        return NULL;
    }
    struct json_object *et = get(attrs, "eth_type", NULL);
    bool arp = json_object_is_type(et, json_type_int) && json_object_get_int64(et) == 0x0806;
    bool has_spa = json_object_object_get_ex(attrs, "arp_spa", NULL);
    bool has_tpa = json_object_object_get_ex(attrs, "arp_tpa", NULL);
    struct json_object *keyed = json_object_new_object(), *moved = json_object_new_object();
    json_object_object_foreach(attrs, key, val)
    {
        const char *k = key;
        if (arp && ((!has_spa && strcmp(k, "ipv4_src") == 0) || (!has_tpa && strcmp(k, "ipv4_dst") == 0))) {
            /* Ryu re-adds these at the end of the dict */
            json_object_object_add(moved, k[5] == 's' ? "arp_spa" : "arp_tpa", json_object_get(val));
            continue;
        }
        for (size_t i = 0; i < sizeof old / sizeof old[0]; i++)
            if (strcmp(k, old[i][0]) == 0) k = old[i][1];
        if (arp && strcmp(k, "eth_type") == 0 && json_object_is_type(val, json_type_int) &&
            json_object_get_int64(val) == 0x0806)
            json_object_object_add(keyed, k, json_object_new_string("2054"));
        else
            json_object_object_add(keyed, k, json_object_get(val));
    }
    json_object_object_foreach(moved, mk, mv) json_object_object_add(keyed, mk, json_object_get(mv));
    json_object_put(moved);
    bool ok = take(c, ofctl_to_match(c->v15 ? KEN_OFP15 : KEN_OFP14, keyed, &m, w), w);
    json_object_put(keyed);
    return ok ? m : NULL;
}

/* Python's b64decode of a JSON string (util.c) into a new buffer. */
static bool b64_arg(struct ctx *c, struct json_object *v, const char *what, uint8_t **buf, size_t *n)
{
    *buf = NULL;
    if (!json_object_is_type(v, json_type_string))
        return fail(c, OFCTL_BAD_REQUEST, "%s: base64 data must be a string, not %s", what, q(v));
    if (!ofctl_b64decode(json_object_get_string(v), (size_t)json_object_get_string_len(v), buf, n))
        return fail(c, OFCTL_BAD_REQUEST, "%s: %s is not valid base64", what, q(v));
    return true;
}

/* ---------- actions and instructions (Ryu's to_action, to_instructions) ---------- */

static const char *type_str(struct json_object *t)
{
    return json_object_is_type(t, json_type_string) ? json_object_get_string(t) : NULL;
}

/* One action (Ryu's to_action, util.c), *out NULL when Ryu skips it. */
static bool to_action(struct ctx *c, struct json_object *dic, struct json_object **out)
{
    char w[KEN_WHY_LEN];
    *out = NULL;
    /* Ryu looks the type up in a dict first: a list or object there is
     * unhashable, a TypeError */
    struct json_object *t = get(dic, "type", NULL);
    if (json_object_is_type(t, json_type_array) || json_object_is_type(t, json_type_object))
        return fail(c, OFCTL_BAD_REQUEST, "action type %s is not hashable", q(t));
    return take(c, ofctl_to_action(c->v15 ? KEN_OFP15 : KEN_OFP14, dic, out, w), w);
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
        i128 v = 0, m = 0;
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
            if (!present) {
                /* OS-Ken's 1.4 and 1.5 parser modules lack the UINT64_MAX
                 * Ryu's default reads: an AttributeError */
                fail(c, OFCTL_UNSUPPORTED, "WRITE_METADATA needs a metadata_mask on OpenFlow 1.4 and 1.5");
                goto bad;
            }
            if (!str_to_int(c, mj, "metadata_mask", &m)) goto bad;
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

/* The priority filter of flow stats (ken's, not OpenFlow's): -1 for none.
 * Ryu only compares it, so a number of any size is fine: one beyond 64
 * bits matches no entry (or, negative, every entry). */
static bool priority_arg(struct ctx *c, struct json_object *flow, i128 *prio)
{
    bool present;
    struct json_object *p = get(flow, "priority", &present);
    struct ofctl_int x;
    *prio = -1;
    if (!present) return true;
    if (!ofctl_parse_int(p, &x)) return fail(c, OFCTL_BAD_REQUEST, "priority: invalid literal for int(): %s", q(p));
    if (x.big) *prio = x.neg ? -1 : ((i128)1 << 64);
    else *prio = x.neg ? -(i128)x.mag : (i128)x.mag;
    return true;
}

/* conv of o[key], or of a fresh [] (list) or {} when o has none (Ryu's
 * o.get(key, [])): the one way the body readers take such defaults. */
static struct json_object *conv_or_empty(struct ctx *c, struct json_object *o, const char *key, bool list,
                                         struct json_object *(*conv)(struct ctx *, struct json_object *))
{
    bool present;
    struct json_object *v = get(o, key, &present), *e = NULL, *r;
    if (!present) v = e = list ? json_object_new_array() : json_object_new_object();
    r = conv(c, v);
    json_object_put(e);
    return r;
}

/* The filter of flow and aggregateflow (in Ryu's order). */
static struct json_object *flow_filter(struct ctx *c, const char *cls, struct json_object *body, bool with_priority,
                                       i128 *priority)
{
    struct json_object *empty = json_object_new_object();
    struct json_object *flow = ofctl_py_truthy(body) ? body : empty, *r = NULL, *m = NULL, *o = NULL;
    i128 table_id = 0, flags = 0, out_port = 0, out_group = 0, cookie = 0, cookie_mask = 0;
    if (!need_dict(c, flow, "the flow filter") || !opt_reserved(c, flow, "table_id", &N_TABLE, 0xff, &table_id) ||
        !opt_int(c, flow, "flags", 0, &flags) || !opt_reserved(c, flow, "out_port", &N_PORT, 0xffffffff, &out_port) ||
        !opt_reserved(c, flow, "out_group", &N_GROUP, 0xffffffff, &out_group) ||
        !opt_int(c, flow, "cookie", 0, &cookie) || !opt_int(c, flow, "cookie_mask", 0, &cookie_mask))
        goto out;
    m = conv_or_empty(c, flow, "match", false, to_match);
    if (!m) goto out;
    if (with_priority && !priority_arg(c, flow, priority)) goto out;
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
    i128 cookie = 0, cookie_mask = 0, table_id = 0, idle = 0, hard = 0, priority = 0, buffer_id = 0, out_port = 0;
    i128 out_group = 0, importance = 0, flags = 0;
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
    m = conv_or_empty(c, flow, "match", false, to_match);
    if (!m) return NULL;
    inst = conv_or_empty(c, flow, "instructions", true, to_instructions);
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
    i128 flags = 0, meter_id = 0, v = 0;
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
        i128 rate = 0, burst = 0, x = 0;
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
            i128 v = 0;
            if (!json_int(x, &v) || v < 0 || v > UINT32_MAX) defer(c, "%s: data word %s does not fit 32 bits", what, q(x));
            else json_object_array_add(out, jint(v));
        }
    } else if (!((json_object_is_type(d, json_type_string) || json_object_is_type(d, json_type_object)) &&
                 !ofctl_py_truthy(d))) {
        defer(c, "%s: data %s is not a list of 32-bit numbers", what, q(d));
    }
    return out;
}

/* A raw value Ryu packs as it is: a JSON number, else a pack failure. */
static struct json_object *raw_int(struct ctx *c, struct json_object *v, const char *what)
{
    i128 x = 0;
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
        i128 type = 0, v = 0;
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
    i128 type = 0, group_id = 0, cbid = 0;
    bool present, type_ok;
    if (!need_dict(c, group, "the group entry")) return NULL;
    struct json_object *tj = get(group, "type", &present), *ts;
    /* str(type) through _from_user: an unknown name leaves no type (Ryu
     * then fails to pack None) */
    if (!present) ts = json_object_new_string("ALL");
    else if (json_object_is_type(tj, json_type_string)) ts = json_object_get(tj);
    else if (json_object_is_type(tj, json_type_int)) ts = json_object_new_string(json_object_get_string(tj));
    else ts = NULL;
    if (ts) type_ok = reserved_pack(c, &N_GROUP_TYPE, ts, "group type", &type);
    else type_ok = defer(c, "unknown group type %s", q(tj));
    json_object_put(ts);
    if (!type_ok) return NULL;
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
        i128 w = 0, wp = 0, wg = 0, bid = 0;
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
        struct json_object *acts = conv_or_empty(c, b, "actions", true, to_actions);
        if (!acts) goto bad1;
        json_object_object_add(o, "actions", acts);
        if (c->v15) {
            struct json_object *props = conv_or_empty(c, b, "properties", true, bucket_props);
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
    i128 port_no = 0, config = 0, mask = 0, type = 0, v = 0;
    bool present;
    if (!need_dict(c, pc, "the port config")) return NULL;
    /* ofctl_rest reads port_no as a number first, to find the port */
    struct json_object *pn = get(pc, "port_no", &present);
    if (!present || !to_int(pn, &port_no))
        return fail(c, OFCTL_BAD_REQUEST, "port_no: %s is not a port number", q(pn)), NULL;
    if (!opt_reserved(c, pc, "port_no", &N_PORT, 0, &port_no)) return NULL;
    /* hw_addr: str() of the body's, else the port's own */
    char mac[18] = "";
    struct json_object *hw = get(pc, "hw_addr", &present);
    uint8_t m6[6];
    if (present) {
        if (json_object_is_type(hw, json_type_string) && ofctl_parse_mac(json_object_get_string(hw), (size_t)json_object_get_string_len(hw), m6)) fmt_mac(m6, mac);
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
              ((json_object_is_type(pj, json_type_object) || json_object_is_type(pj, json_type_string)) && !ofctl_py_truthy(pj));
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

static struct json_object *match_to_str(struct ctx *c, struct json_object *mj)
{
    char w[KEN_WHY_LEN];
    struct json_object *m = NULL;
    if (!take(c, ofctl_match_to_str(c->v15 ? KEN_OFP15 : KEN_OFP14, mj, &m, w), w)) return NULL;
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
    return priority_arg(c, ofctl_py_truthy(a->body) ? a->body : NULL, prio);
}

static void set_to_user(struct ctx *c, struct json_object *o, const char *key, const struct names *t)
{
    struct json_object *v = json_object_object_get(o, key);
    if (v) json_object_object_add(o, key, to_user(c, t, v));
}

/* Flow stats, and (desc) 1.5's flow desc: the same entries, whose
 * instructions Ryu shows as strings on 1.4 and in 1.5's flow desc (1.5's
 * flow stats have none). */
static struct json_object *answer_flows(struct ctx *c, const struct ofctl_args *a, struct json_object *const *r,
                                        size_t n, bool desc)
{
    i128 prio = 0;
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

/* s[key] = props_to_user of src[key] (t NULL: names kept), the step most
 * reshapers share; false when it fails. */
static bool props_into(struct ctx *c, struct json_object *src, struct json_object *s, const char *key,
                       const struct names *t)
{
    struct json_object *p = props_to_user(c, json_object_object_get(src, key), t);
    if (!p) return false;
    json_object_object_add(s, key, p);
    return true;
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
    if (!props_into(c, src, s, "properties", &N_PORT_STATS_PROP)) return false;
    set_to_user(c, s, "port_no", &N_PORT);
    return true;
}

static bool re_queue(struct ctx *c, struct json_object *src, struct json_object *s)
{
    return props_into(c, src, s, "properties", &N_QUEUE_STATS_PROP);
}

static bool re_queue_desc(struct ctx *c, struct json_object *src, struct json_object *s)
{
    return props_into(c, src, s, "properties", &N_QUEUE_DESC_PROP);
}

static bool re_meter(struct ctx *c, struct json_object *src, struct json_object *s)
{
    if (!props_into(c, src, s, "band_stats", NULL)) return false;
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
    if (!props_into(c, src, s, "bucket_stats", NULL)) return false;
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
            if (!props_into(c, bs, b, "properties", &N_BUCKET_PROP)) return false;
        }
    }
    set_to_user(c, s, "group_id", &N_GROUP);
    json_object_object_add(s, "type", type_to_user(c, &N_GROUP_TYPE, json_object_object_get(src, "type")));
    return true;
}

static bool re_port_desc(struct ctx *c, struct json_object *src, struct json_object *s)
{
    if (!check_name(c, src)) return false;
    if (!props_into(c, src, s, "properties", &N_PORT_DESC_PROP)) return false;
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

static enum ofctl_status build(uint8_t version, const struct ofctl_args *a, struct json_object **msgs, size_t max,
                               size_t *n, char why[KEN_WHY_LEN])
{
    struct ctx c = {.v15 = version == KEN_OFP15, .st = OFCTL_OK, .why = why};
    struct json_object *m = NULL, *empty = NULL, *b = a->body;
    i128 x = 0, y = 0;
    bool skip = false;
    *n = 0;
    why[0] = 0;
    if (!b) b = empty = json_object_new_object();
    switch (a->kind) {
    case OFCTL_DESC: m = stats_req("OFPDescStatsRequest"); break;
    case OFCTL_FLOW: m = flow_filter(&c, "OFPFlowStatsRequest", a->body, true, &x); break;
    case OFCTL_FLOW_DESC:
        /* 1.5 only. Ryu's route calls a function its 1.5 module names
         * otherwise (get_flow_desc_stats), so Ryu answers 501; ken does
         * what the route was meant to do. */
        if (!c.v15) goto unsupported;
        m = flow_filter(&c, "OFPFlowDescStatsRequest", a->body, true, &x);
        break;
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
    case OFCTL_ROLE: m = ofctl_role_request(); break;
    case OFCTL_FLOW_MOD: m = build_flow_mod(&c, b, a->command); break;
    case OFCTL_METER_MOD: m = build_meter_mod(&c, b, a->command); break;
    case OFCTL_GROUP_MOD: m = build_group_mod(&c, b, a->command); break;
    case OFCTL_PORT_MOD: m = build_port_mod(&c, b, a->port_defaults); break;
    case OFCTL_EXPERIMENTER: {
        char w[KEN_WHY_LEN];
        if (take(&c, ofctl_experimenter(b, &m, w), w) && !m) skip = true; /* an unknown data_type: nothing sent */
        break;
    }
    case OFCTL_SET_ROLE: {
        char w[KEN_WHY_LEN];
        take(&c, ofctl_set_role(version, b, &m, w), w);
        break;
    }
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
        /* What ken's codec refuses (a value too wide for its field) Ryu
         * fails to pack: a 400 here rather than a message that cannot go */
        struct ken_buf buf;
        char ewhy[KEN_WHY_LEN];
        ken_buf_init(&buf);
        int err = ken_ofp_from_json(m, version, &buf, ewhy);
        ken_buf_free(&buf);
        if (err != 0) {
            json_object_put(m);
            snprintf(why, KEN_WHY_LEN, "%s", ewhy);
            return OFCTL_BAD_REQUEST;
        }
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

enum ofctl_status ofctl_v14_build(uint8_t version, const struct ofctl_args *a, struct json_object **msgs, size_t max,
                                  size_t *n, char why[KEN_WHY_LEN])
{
    /* util.c notes the packing failures of what it converts (matches,
     * actions) until the whole body is read, as this file does its own */
    ofctl_defer_begin();
    enum ofctl_status st = build(version, a, msgs, max, n, why);
    enum ofctl_status end = ofctl_defer_end(st, why);
    if (st == OFCTL_OK && end != OFCTL_OK) {
        for (size_t i = 0; i < *n; i++) json_object_put(msgs[i]);
        *n = 0;
    }
    return end;
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
    case OFCTL_FLOW: v = answer_flows(&c, a, r, n, false); break;
    case OFCTL_FLOW_DESC:
        if (!c.v15) goto unsupported;
        v = answer_flows(&c, a, r, n, true);
        break;
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
    case OFCTL_ROLE: take(&c, ofctl_role_answer(version, r, n, &v, why), why); break;
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
