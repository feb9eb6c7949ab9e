/* ofctl_v1_3: Ryu's ofctl_v1_3 for OpenFlow 1.3 switches (ofctl.h). */
#include <json-c/json.h>
#include <stdio.h>
#include <string.h>

#include "ofctl.h"
#include "util.h"

#define V KEN_OFP13

/* mod_meter_entry: flags by name (unknown ones skipped), bands DROP,
 * DSCP_REMARK and EXPERIMENTER (others skipped). */
static enum ofctl_status meter_mod_inner(struct json_object *body, int command, struct json_object **msg,
                                         char why[KEN_WHY_LEN])
{
    static const char *const flag_names[] = {"KBPS", "PKTPS", "BURST", "STATS"};
    enum ofctl_status st;
    struct json_object *fj, *bl, *bands, *o;
    uint64_t flags = 0, meter_id;
    size_t nb = 0;
    bool found;

    if (body && !json_object_is_type(body, json_type_object)) {
        /* Ryu first asks 'flags' in meter: a TypeError for a number, a
         * substring test for a string; then meter.get: AttributeError */
        snprintf(why, KEN_WHY_LEN, "the body must be an object");
        if (json_object_is_type(body, json_type_array)) return OFCTL_UNSUPPORTED;
        if (json_object_is_type(body, json_type_string) && !strstr(json_object_get_string(body), "flags"))
            return OFCTL_UNSUPPORTED;
        return OFCTL_BAD_REQUEST;
    }
    fj = ofctl_get(body, "flags", &found);
    if (found) {
        bool list = json_object_is_type(fj, json_type_array);
        size_t nf = list ? json_object_array_length(fj) : 1;
        for (size_t i = 0; i < nf; i++) {
            struct json_object *f = list ? json_object_array_get_idx(fj, i) : fj;
            if (json_object_is_type(f, json_type_array) || json_object_is_type(f, json_type_object)) {
                snprintf(why, KEN_WHY_LEN, "a meter flag must be a name (KBPS, PKTPS, BURST, STATS)");
                return OFCTL_BAD_REQUEST;
            }
            if (!json_object_is_type(f, json_type_string)) continue;
            for (int k = 0; k < 4; k++)
                if (strcmp(json_object_get_string(f), flag_names[k]) == 0) flags |= 1u << k;
        }
    }
    if ((st = ofctl_get_from_user(V, OFCTL_NAMES_METER, body, "meter_id", 0, 0xffffffff, &meter_id, why))) return st;
    bl = ofctl_get(body, "bands", &found);
    if (found && (st = ofctl_iter_list(bl, "bands", &nb, why))) return st;
    bands = json_object_new_array();
    for (size_t i = 0; i < nb; i++) {
        struct json_object *b = json_object_array_get_idx(bl, i), *tj, *bo;
        const char *type, *cls = NULL, *extra = NULL;
        uint64_t rate, burst, x = 0, xmax = 0;
        if (!json_object_is_type(b, json_type_object)) {
            json_object_put(bands);
            snprintf(why, KEN_WHY_LEN, "a meter band must be an object");
            return OFCTL_UNSUPPORTED;
        }
        tj = ofctl_get(b, "type", &found);
        type = json_object_is_type(tj, json_type_string) ? json_object_get_string(tj) : "";
        if ((st = ofctl_get_uint(b, "rate", 0, 0xffffffff, &rate, why)) ||
            (st = ofctl_get_uint(b, "burst_size", 0, 0xffffffff, &burst, why))) {
            json_object_put(bands);
            return st;
        }
        if (strcmp(type, "DROP") == 0) cls = "OFPMeterBandDrop";
        else if (strcmp(type, "DSCP_REMARK") == 0) cls = "OFPMeterBandDscpRemark", extra = "prec_level", xmax = 0xff;
        else if (strcmp(type, "EXPERIMENTER") == 0)
            cls = "OFPMeterBandExperimenter", extra = "experimenter", xmax = 0xffffffff;
        if (!cls) continue; /* Ryu logs an unknown band type and goes on */
        if (extra && (st = ofctl_get_uint(b, extra, 0, xmax, &x, why))) {
            json_object_put(bands);
            return st;
        }
        bo = json_object_new_object();
        json_object_object_add(bo, "rate", ofctl_uint_json(rate));
        json_object_object_add(bo, "burst_size", ofctl_uint_json(burst));
        if (extra) json_object_object_add(bo, extra, ofctl_uint_json(x));
        json_object_array_add(bands, ofctl_msg_new(cls, bo));
    }
    o = json_object_new_object();
    json_object_object_add(o, "command", ofctl_uint_json((uint64_t)command));
    json_object_object_add(o, "flags", ofctl_uint_json(flags));
    json_object_object_add(o, "meter_id", ofctl_uint_json(meter_id));
    json_object_object_add(o, "bands", bands);
    *msg = ofctl_msg_new("OFPMeterMod", o);
    return OFCTL_OK;
}

static enum ofctl_status meter_mod(struct json_object *body, int command, struct json_object **msg,
                                   char why[KEN_WHY_LEN])
{
    *msg = NULL;
    ofctl_defer_begin();
    return ofctl_defer_end_msg(meter_mod_inner(body, command, msg, why), msg, why);
}

/* The requests only 1.3 builds its own way (table features, meters, port
 * description), and the refusal of the ones it lacks. */
static enum ofctl_status own_request(const struct ofctl_args *args, struct json_object **msg, char why[KEN_WHY_LEN])
{
    enum ofctl_status st = OFCTL_OK;
    uint64_t a;

    switch (args->kind) {
    case OFCTL_TABLE_FEATURES:
        *msg = ofctl_legacy_stats_request("OFPTableFeaturesStatsRequest", NULL, 0, NULL, 0);
        json_object_object_add(ofctl_msg_body(*msg, NULL), "body", json_object_new_array());
        break;
    case OFCTL_METER_FEATURES:
        *msg = ofctl_legacy_stats_request("OFPMeterFeaturesStatsRequest", NULL, 0, NULL, 0);
        break;
    case OFCTL_METER_CONFIG:
    case OFCTL_METER:
        if (!(st = ofctl_path_int(args->meter_id, 0xffffffff, 0xffffffff, "meter_id", &a, why)))
            *msg = ofctl_legacy_stats_request(args->kind == OFCTL_METER ? "OFPMeterStatsRequest"
                                                                        : "OFPMeterConfigStatsRequest",
                                              "meter_id", a, NULL, 0);
        break;
    case OFCTL_PORT_DESC: *msg = ofctl_legacy_stats_request("OFPPortDescStatsRequest", NULL, 0, NULL, 0); break;
    case OFCTL_METER_MOD: st = meter_mod(args->body, args->command, msg, why); break;
    default:
        snprintf(why, KEN_WHY_LEN, "OpenFlow 1.3 has no such request");
        return OFCTL_UNSUPPORTED;
    }
    return st;
}

static enum ofctl_status build(const struct ofctl_args *args, struct json_object **msgs, size_t max, size_t *n,
                               char why[KEN_WHY_LEN])
{
    return ofctl_legacy_build(V, args, own_request, msgs, max, n, why);
}

/* ---- answers ---------------------------------------------------------- */

static enum ofctl_status table_features_stat(struct json_object *stat, void *arg, char why[KEN_WHY_LEN])
{
    struct ofctl_collect *c = arg;
    struct json_object *props = ofctl_member(stat, "properties"), *pl = json_object_new_array(), *s;
    size_t np = json_object_is_type(props, json_type_array) ? json_object_array_length(props) : 0;
    for (size_t i = 0; i < np; i++) {
        struct json_object *p = ofctl_msg_body(json_object_array_get_idx(props, i), NULL), *po, *ids, *l;
        uint64_t type;
        const char *name, *list_key = NULL, *inner_cls = NULL;
        const char *const *keys = NULL;
        static const char *const len_type[] = {"len", "type", NULL};
        static const char *const oxm_keys[] = {"hasmask", "length", "type", NULL};
        if (!p) {
            json_object_put(pl);
            snprintf(why, KEN_WHY_LEN, "a table feature property is not an object");
            return OFCTL_BAD_REQUEST;
        }
        type = ofctl_member_u(p, "type");
        name = ofctl_name_of(V, OFCTL_NAMES_TABLE_FEATURE_PROP_TYPE, type);
        po = json_object_new_object();
        json_object_object_add(po, "type", json_object_new_string(name ? name : "UNKNOWN"));
        if (type <= 1) list_key = "instruction_ids", keys = len_type;
        else if (type <= 3) list_key = "table_ids";
        else if (type <= 7) list_key = "action_ids", keys = len_type;
        else if (type == 8 || type == 10 || (type >= 12 && type <= 15)) list_key = "oxm_ids", keys = oxm_keys;
        (void)inner_cls;
        if (list_key) {
            size_t ni;
            ids = ofctl_member(p, list_key);
            ni = json_object_is_type(ids, json_type_array) ? json_object_array_length(ids) : 0;
            l = json_object_new_array();
            for (size_t k = 0; k < ni; k++) {
                struct json_object *id = json_object_array_get_idx(ids, k), *e = NULL;
                if (!keys) {
                    json_object_deep_copy(id, &e, NULL);
                } else {
                    struct json_object *ib = ofctl_msg_body(id, NULL);
                    e = json_object_new_object();
                    if (!ib || !ofctl_copy_keys(e, ib, keys)) {
                        json_object_put(e);
                        json_object_put(l);
                        json_object_put(po);
                        json_object_put(pl);
                        snprintf(why, KEN_WHY_LEN, "a table feature id lacks a field");
                        return OFCTL_BAD_REQUEST;
                    }
                }
                json_object_array_add(l, e);
            }
            json_object_object_add(po, list_key, l);
        }
        json_object_array_add(pl, po);
    }
    if (!ofctl_text_valid(ofctl_member(stat, "name"))) {
        json_object_put(pl);
        snprintf(why, KEN_WHY_LEN, "a table's name is not UTF-8");
        return OFCTL_BAD_REQUEST;
    }
    s = json_object_new_object();
    if (!ofctl_copy_keys(s, stat, (const char *const[]){"name", "metadata_match", "metadata_write", "config",
                                                        "max_entries", NULL})) {
        json_object_put(s);
        json_object_put(pl);
        snprintf(why, KEN_WHY_LEN, "a table features entry lacks a field");
        return OFCTL_BAD_REQUEST;
    }
    json_object_object_add(s, "properties", pl);
    json_object_object_add(s, "table_id", ofctl_to_user(V, OFCTL_NAMES_TABLE, ofctl_member(stat, "table_id")));
    json_object_array_add(c->list, s);
    return OFCTL_OK;
}

static enum ofctl_status meter_features_stat(struct json_object *stat, void *arg, char why[KEN_WHY_LEN])
{
    static const char *const caps[] = {"KBPS", "PKTPS", "BURST", "STATS"};
    struct ofctl_collect *c = arg;
    struct json_object *f = json_object_new_object(), *bt = json_object_new_array(), *cp = json_object_new_array();
    uint64_t types = ofctl_member_u(stat, "band_types"), cap = ofctl_member_u(stat, "capabilities");
    if (types & (1u << 1)) json_object_array_add(bt, json_object_new_string("DROP"));
    if (types & (1u << 2)) json_object_array_add(bt, json_object_new_string("DSCP_REMARK"));
    for (int k = 0; k < 4; k++)
        if (cap & (1u << k)) json_object_array_add(cp, json_object_new_string(caps[k]));
    if (!ofctl_copy_keys(f, stat, (const char *const[]){"max_meter", "max_bands", "max_color", NULL})) {
        json_object_put(f);
        json_object_put(bt);
        json_object_put(cp);
        snprintf(why, KEN_WHY_LEN, "a meter features entry lacks a field");
        return OFCTL_BAD_REQUEST;
    }
    json_object_object_add(f, "band_types", bt);
    json_object_object_add(f, "capabilities", cp);
    json_object_array_add(c->list, f);
    return OFCTL_OK;
}

static enum ofctl_status meter_config_stat(struct json_object *stat, void *arg, char why[KEN_WHY_LEN])
{
    static const char *const flags[] = {"KBPS", "PKTPS", "BURST", "STATS"};
    struct ofctl_collect *c = arg;
    struct json_object *bands = ofctl_member(stat, "bands"), *bl = json_object_new_array(), *fl = json_object_new_array();
    struct json_object *o;
    size_t nb = json_object_is_type(bands, json_type_array) ? json_object_array_length(bands) : 0;
    uint64_t f = ofctl_member_u(stat, "flags");
    for (size_t i = 0; i < nb; i++) {
        struct json_object *band = ofctl_msg_body(json_object_array_get_idx(bands, i), NULL), *b;
        uint64_t type;
        if (!band) continue;
        type = ofctl_member_u(band, "type");
        b = json_object_new_object();
        ofctl_copy_keys(b, band, (const char *const[]){"rate", "burst_size", NULL});
        json_object_object_add(b, "type", json_object_new_string(type == 1   ? "DROP"
                                                                 : type == 2 ? "DSCP_REMARK"
                                                                 : type == 0xffff ? "EXPERIMENTER" : ""));
        if (type == 2) ofctl_copy_keys(b, band, (const char *const[]){"prec_level", NULL});
        else if (type == 0xffff) ofctl_copy_keys(b, band, (const char *const[]){"experimenter", NULL});
        json_object_array_add(bl, b);
    }
    for (int k = 0; k < 4; k++)
        if (f & (1u << k)) json_object_array_add(fl, json_object_new_string(flags[k]));
    o = json_object_new_object();
    json_object_object_add(o, "flags", fl);
    json_object_object_add(o, "bands", bl);
    json_object_object_add(o, "meter_id", ofctl_to_user(V, OFCTL_NAMES_METER, ofctl_member(stat, "meter_id")));
    json_object_array_add(c->list, o);
    (void)why;
    return OFCTL_OK;
}

static enum ofctl_status meter_stat(struct json_object *stat, void *arg, char why[KEN_WHY_LEN])
{
    return ofctl_nested_stat(stat, arg, "band_stats", "band_stats",
                             (const char *const[]){"packet_band_count", "byte_band_count", NULL},
                             "a band_stats entry lacks a field", why);
}

static enum ofctl_status group_stat(struct json_object *stat, void *arg, char why[KEN_WHY_LEN])
{
    return ofctl_nested_stat(stat, arg, "bucket_stats", "bucket_stats",
                             (const char *const[]){"packet_count", "byte_count", NULL},
                             "a bucket_stats entry lacks a field", why);
}

static const char *const port_stats_keys[] = {
    "rx_packets", "tx_packets", "rx_bytes", "tx_bytes", "rx_dropped", "tx_dropped", "rx_errors", "tx_errors",
    "rx_frame_err", "rx_over_err", "rx_crc_err", "collisions", "duration_sec", "duration_nsec", NULL};
static const char *const queue_stats_keys[] = {"duration_nsec", "duration_sec", "port_no", "queue_id",
                                               "tx_bytes", "tx_errors", "tx_packets", NULL};
static const char *const table_stats_keys[] = {"active_count", "lookup_count", "matched_count", NULL};
static const char *const port_desc_keys[] = {"hw_addr", "name", "config", "state", "curr", "advertised",
                                             "supported", "peer", "curr_speed", "max_speed", NULL};
static const char *const meter_stats_keys[] = {"len", "flow_count", "packet_in_count", "byte_in_count",
                                               "duration_sec", "duration_nsec", NULL};
static const char *const group_stats_keys[] = {"length", "ref_count", "packet_count", "byte_count",
                                               "duration_sec", "duration_nsec", NULL};

/* Ryu decodes a port's name with errors='replace'. */
static enum ofctl_status port_desc_stat(struct json_object *stat, void *arg, char why[KEN_WHY_LEN])
{
    struct ofctl_collect *c = arg;
    enum ofctl_status st = ofctl_plain_stat(stat, c, why);
    struct json_object *s, *name;
    if (st) return st;
    s = json_object_array_get_idx(c->list, json_object_array_length(c->list) - 1);
    if (!(name = ofctl_text_replace(ofctl_member(stat, "name")))) {
        snprintf(why, KEN_WHY_LEN, "a port of the reply has no name");
        return OFCTL_BAD_REQUEST;
    }
    json_object_object_add(s, "name", name);
    return OFCTL_OK;
}

/* The answers only 1.3 gives its own way, and the refusal of the ones it lacks. */
static enum ofctl_status own_answer(const struct ofctl_args *args, struct json_object *const *replies, size_t n,
                                    struct json_object **out, char why[KEN_WHY_LEN])
{
    switch (args->kind) {
    case OFCTL_TABLE:
        return ofctl_collect(V, replies, n, table_stats_keys, "table_id", OFCTL_NAMES_TABLE, NULL, out, why);
    case OFCTL_TABLE_FEATURES: return ofctl_collect(V, replies, n, NULL, NULL, 0, table_features_stat, out, why);
    case OFCTL_PORT:
        return ofctl_collect(V, replies, n, port_stats_keys, "port_no", OFCTL_NAMES_PORT, NULL, out, why);
    case OFCTL_QUEUE: return ofctl_collect(V, replies, n, queue_stats_keys, NULL, 0, NULL, out, why);
    case OFCTL_METER_FEATURES: return ofctl_collect(V, replies, n, NULL, NULL, 0, meter_features_stat, out, why);
    case OFCTL_METER_CONFIG: return ofctl_collect(V, replies, n, NULL, NULL, 0, meter_config_stat, out, why);
    case OFCTL_METER:
        return ofctl_collect(V, replies, n, meter_stats_keys, "meter_id", OFCTL_NAMES_METER, meter_stat, out, why);
    case OFCTL_GROUP:
        return ofctl_collect(V, replies, n, group_stats_keys, "group_id", OFCTL_NAMES_GROUP, group_stat, out, why);
    case OFCTL_PORT_DESC:
        return ofctl_collect(V, replies, n, port_desc_keys, "port_no", OFCTL_NAMES_PORT, port_desc_stat, out, why);
    default:
        snprintf(why, KEN_WHY_LEN, "no answer for this request on OpenFlow 1.3");
        return OFCTL_UNSUPPORTED;
    }
}

static enum ofctl_status answer(const struct ofctl_args *args, struct json_object *const *replies, size_t n,
                                struct json_object **out, char why[KEN_WHY_LEN])
{
    return ofctl_legacy_answer(V, args, replies, n, own_answer, out, why);
}

const struct ofctl_version ofctl_v1_3 = {KEN_OFP13, build, answer};
