/* The statistics (1.2) and multipart (1.3-1.5) requests and replies, the
 * port descriptions they share with port-status, and the properties of
 * their 1.4+ bodies. Layouts follow the OpenFlow specs; JSON names and
 * shapes follow OS-Ken 2.5 (which differs between versions in places:
 * 1.2 replies are all "OFPStatsReply", some bodies are one object rather
 * than a list, some JSON carries a "length" that is not on the wire). */
#include <errno.h>
#include <string.h>

#include "ken/ofp_consts.h"
#include "ofp/actions.h"
#include "ofp/msgs.h"
#include "ofp/msgtable.h"
#include "ofp/ofp_spec.h"
#include "ofp/oxm.h"
#include "ofp/ports.h"
#include "ofp/wire.h"

/* Shorthands for the tables below. */
/* The structures are not static: the replies in src/ofp/spec/openflow.def
 * name them, and the generated tables declare them. */
#define STRUCT(var, cls, align, flags, ...)                   \
    static const struct ofp_field var##_fields[] = {__VA_ARGS__, F_END}; \
    const struct ofp_desc var = {cls, var##_fields, align, flags}
#define MSG(var, cls, ...) STRUCT(var, cls, 0, 0, __VA_ARGS__)

/* ---- irregular fields ---- */

/* A number OS-Ken puts in the JSON that is not on the wire (a structure's
 * fixed size): decoding adds f->def, encoding writes nothing. */
static int mp_dec_fixed(struct dctx *d, size_t end, const struct ofp_field *f, json_object *obj)
{
    (void)d;
    (void)end;
    json_object_object_add(obj, f->name, ofp_json_uint(f->def));
    return 0;
}

const struct ofp_custom mp_fixed = {mp_dec_fixed, ofp_enc_nothing, NULL, false};

/* ---- ports ----
 *
 * Every port layout, with its version's property family, is in
 * src/ofp/spec/openflow.def (of10_phy_port, ofp_port_12, ofp_port_14,
 * ofp_port_15). */

/* ---- reply bodies ---- */

/* The entries of the replies are laid out in src/ofp/spec/openflow.def
 * (its struct blocks), but for these; the 1.5 meter features codec below
 * reads a described one. */
extern const struct ofp_desc meter_features_15;


/* Group and table features are laid out in src/ofp/spec/openflow.def. */

/* ---- flow monitor updates (1.4+) ---- */

/* An update starts with its length and then its event, so the TLV
 * families of the interpreter (type first) do not fit: this list picks
 * the layout by event. */
/* (laid out in src/ofp/spec/openflow.def) */
extern const struct ofp_desc flow_update_full, flow_update_abbrev, flow_update_paused;

static const struct ofp_desc *const flow_update_by_event[] = {
    &flow_update_full, &flow_update_full, &flow_update_full,  &flow_update_full,
    &flow_update_abbrev, &flow_update_paused, &flow_update_paused,
};
#define N_FLOW_UPDATE_EVENTS (sizeof flow_update_by_event / sizeof flow_update_by_event[0])

const struct ofp_desc *ofp_flow_update_desc(uint16_t event)
{
    return event < N_FLOW_UPDATE_EVENTS ? flow_update_by_event[event] : NULL;
}

static int mp_dec_flow_update(struct dctx *d, size_t end, json_object *arr)
{
    const uint8_t *p = d->p + d->pos;
    size_t start = d->pos;
    if (end - start < 4)
        return DFAIL(d, KEN_OFPBRC_BAD_LEN, "flow update: %zu bytes cannot hold a header", end - start);
    uint16_t len = wire_get16(p), event = wire_get16(p + 2);
    if (event >= N_FLOW_UPDATE_EVENTS)
        return DFAIL(d, KEN_OFPBRC_BAD_LEN, "flow update: unknown event %u", event);
    if (len < 4 || len > end - start)
        return DFAIL(d, KEN_OFPBRC_BAD_LEN, "flow update: length %u (%zu bytes left)", len, end - start);
    json_object *el = NULL;
    int err = ofp_dec_struct(d, start + len, flow_update_by_event[event], &el);
    if (err)
        return err;
    json_object_array_add(arr, el);
    if (d->pos != start + len)
        return DFAIL(d, KEN_OFPBRC_BAD_LEN, "flow update: length %u does not match its contents", len);
    return 0;
}

static int mp_dec_flow_updates(struct dctx *d, size_t end, const struct ofp_field *f, json_object *obj)
{
    json_object *arr = json_object_new_array();
    json_object_object_add(obj, f->name, arr);
    int err = 0;
    while (!err && d->pos < end)
        err = mp_dec_flow_update(d, end, arr);
    return ofp_lenient_stop(d, end, err);
}

/* Encodes the elements of list field f, each {cls: {...}} by the first of
 * descs with that class; expect names the classes in the error. */
static int mp_enc_class_list(struct ectx *e, const struct ofp_field *f, json_object *arr,
                             const struct ofp_desc *const *descs, size_t n_descs, const char *expect)
{
    for (size_t i = 0; i < json_object_array_length(arr); i++) {
        const char *cls = NULL;
        json_object *body = ofp_unwrap(json_object_array_get_idx(arr, i), &cls);
        const struct ofp_desc *desc = NULL;
        for (size_t k = 0; body && !desc && k < n_descs; k++)
            if (!strcmp(descs[k]->cls, cls))
                desc = descs[k];
        if (!desc)
            return EFAIL(e, EINVAL, "type error: %s: expected {\"%s\": {...}}", f->name, expect);
        int err = ofp_enc_struct(e, desc, body);
        if (err)
            return err;
    }
    return 0;
}

static int mp_enc_flow_updates(struct ectx *e, const struct ofp_field *f, json_object *obj)
{
    json_object *arr = NULL;
    if (!json_object_object_get_ex(obj, f->name, &arr) || !json_object_is_type(arr, json_type_array))
        return EFAIL(e, EINVAL, "type error: \"%s\" must be a list of flow updates", f->name);
    return mp_enc_class_list(e, f, arr, flow_update_by_event, N_FLOW_UPDATE_EVENTS, "OFPFlowUpdate...");
}

const struct ofp_custom mp_flow_updates = {mp_dec_flow_updates, mp_enc_flow_updates, NULL, false};

/* ---- the 1.3 ONF flow monitor request ---- */

/* Its match is the OXM fields alone (match_len bytes, no OFPMatch header);
 * OS-Ken still shows it as an OFPMatch whose length counts that header. */
static const struct ofp_field onf_oxm_fields = F_CUSTOM("oxm_fields", &ofp_oxm_list);

static int mp_dec_onf_match(struct dctx *d, size_t end, const struct ofp_field *f, json_object *obj)
{
    size_t start = d->pos;
    json_object *m = json_object_new_object();
    int err = ofp_oxm_list.dec(d, end, &onf_oxm_fields, m);
    if (err) {
        json_object_put(m);
        return err;
    }
    json_object_object_add(m, "type", json_object_new_int(1));
    json_object_object_add(m, "length", ofp_json_uint(4 + (end - start)));
    json_object_object_add(obj, f->name, ofp_wrap("OFPMatch", m));
    return 0;
}

static int mp_enc_onf_match(struct ectx *e, const struct ofp_field *f, json_object *obj)
{
    json_object *v = NULL;
    const char *cls = NULL;
    json_object *m = json_object_object_get_ex(obj, f->name, &v) ? ofp_unwrap(v, &cls) : NULL;
    if (!m || strcmp(cls, "OFPMatch"))
        return EFAIL(e, KEN_OFPBMC_BAD_TYPE, "\"%s\" must be {\"OFPMatch\": {...}}", f->name);
    return ofp_oxm_list.enc(e, &onf_oxm_fields, m);
}

const struct ofp_custom mp_onf_match = {mp_dec_onf_match, mp_enc_onf_match, NULL, false};

/* ---- 1.5 bodies OS-Ken shapes its own way ---- */

/* OFPAggregateStats holds an OFPStats and a "length" that is the padded
 * size of that OFPStats (not a wire field). */
static int mp_dec_aggregate_15(struct dctx *d, size_t end, const struct ofp_field *f, json_object *obj)
{
    size_t start = d->pos;
    json_object *stats = NULL;
    int err = ofp_dec_struct(d, end, &ofp_stats_desc, &stats);
    if (err)
        return err;
    json_object *agg = json_object_new_object();
    json_object_object_add(agg, "length", ofp_json_uint(d->pos - start));
    json_object_object_add(agg, "stats", stats);
    json_object_object_add(obj, f->name, ofp_wrap("OFPAggregateStats", agg));
    return 0;
}

static int mp_enc_aggregate_15(struct ectx *e, const struct ofp_field *f, json_object *obj)
{
    json_object *v = NULL, *stats = NULL;
    const char *cls = NULL;
    json_object *agg = json_object_object_get_ex(obj, f->name, &v) ? ofp_unwrap(v, &cls) : NULL;
    if (!agg || strcmp(cls, "OFPAggregateStats") || !json_object_object_get_ex(agg, "stats", &stats))
        return EFAIL(e, EINVAL, "type error: \"%s\" must be {\"OFPAggregateStats\": {\"stats\": ...}}", f->name);
    return ofp_enc_struct(e, &ofp_stats_desc, stats);
}

const struct ofp_custom mp_aggregate_15 = {mp_dec_aggregate_15, mp_enc_aggregate_15, NULL, false};

/* The 1.5 meter-features reply, which grew from 16 to 24 bytes in 1.5.
 * OS-Ken walks the body while the offset is below the header's length but
 * reads each entry from the whole buffer it was handed; so a 1.5 reply whose
 * header counts only the 16 bytes of the older layout, followed by the 8
 * remaining bytes, decodes as one full entry (the corpus has such a reply).
 * ken does the same for this message only, and only when the caller handed
 * over those bytes (d->avail): every other structure, and this one in any
 * other shape, must lie within the header's length. */
#define METER_FEATURES_OLD_SIZE 16
#define METER_FEATURES_15_SIZE 24

static int mp_dec_meter_features_15(struct dctx *d, size_t end, const struct ofp_field *f, json_object *obj)
{
    if (end - d->pos == METER_FEATURES_OLD_SIZE && d->avail >= d->pos + METER_FEATURES_15_SIZE) {
        json_object *el = NULL;
        int err = ofp_dec_struct(d, d->pos + METER_FEATURES_15_SIZE, &meter_features_15, &el);
        if (err)
            return err;
        json_object *arr = json_object_new_array();
        json_object_array_add(arr, el);
        json_object_object_add(obj, f->name, arr);
        d->pos = end;
        return 0;
    }
    json_object *arr = json_object_new_array();
    json_object_object_add(obj, f->name, arr);
    int err = 0;
    while (!err && d->pos < end) {
        json_object *el = NULL;
        if (!(err = ofp_dec_struct(d, end, &meter_features_15, &el)))
            json_object_array_add(arr, el);
    }
    return ofp_lenient_stop(d, end, err);
}

static int mp_enc_meter_features_15(struct ectx *e, const struct ofp_field *f, json_object *obj)
{
    static const struct ofp_desc *const entry[] = {&meter_features_15};
    json_object *arr = NULL;
    if (!json_object_object_get_ex(obj, f->name, &arr) || !json_object_is_type(arr, json_type_array))
        return EFAIL(e, EINVAL, "type error: \"%s\" must be a list", f->name);
    return mp_enc_class_list(e, f, arr, entry, 1, meter_features_15.cls);
}

const struct ofp_custom mp_meter_features_15 = {mp_dec_meter_features_15, mp_enc_meter_features_15, NULL, false};

/* ---- messages ---- */

/* The 1.2-1.5 requests and replies, and their rows, are all in
 * src/ofp/spec/openflow.def. */
