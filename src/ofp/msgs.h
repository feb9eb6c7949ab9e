/* Pieces of the message codecs that several areas share: msgs.c (1.2-1.5
 * controller/switch messages) defines them for itself, multipart.c and
 * of10.c. */
#ifndef KEN_OFP_MSGS_H
#define KEN_OFP_MSGS_H

#include "ofp/schema.h"

/* The hello element OS-Ken knows (the spec's one): a version bitmap. */
#define OFPHET_VERSIONBITMAP 1
/* Its two layouts (src/ofp/spec/openflow.def): padded when encoded; the
 * last of a hello may come without its padding, so decoding reads it so. */
extern const struct ofp_desc hello_elem_bitmap, hello_elem_bitmap_unpadded;

/* 1.5's meter-features reply body (multipart.c), a list of this structure
 * with a quirk of OS-Ken's: the typed codec reads it as that list. */
extern const struct ofp_custom mp_meter_features_15;
extern const struct ofp_desc meter_features_15;

/* ---- irregular fields ---- */

/* Unsigned integers of f->size bytes as a JSON list: f->arg of them, or as
 * many as fill the region when f->arg is 0. */
extern const struct ofp_custom ofp_uints;
#define F_UINTS(sz, n, count) {FK_CUSTOM, sz, 0, count, n, &ofp_uints, 0}
/* Text that fills the rest of the region, without NUL padding (a URI). */
extern const struct ofp_custom ofp_text_rest;
/* The rest of the region, skipped on decode and never written: elements of
 * a hello that OS-Ken drops. */
extern const struct ofp_custom ofp_ignore_rest;
/* One whole message inside another (request forward, bundle add):
 * padded_at, when not 0, is where the field starts in its message (bundle
 * add gives the inner message that message's xid and pads it to 8 when
 * properties follow). */
extern const struct ofp_custom nested_msg;
#define F_NESTED(n, padded_at) {FK_CUSTOM, 0, 0, 0, n, &nested_msg, padded_at}
/* A number OS-Ken puts in the JSON that is not on the wire (f->def, a
 * structure's fixed size): decoding adds it, encoding writes nothing. */
extern const struct ofp_custom mp_fixed;
#define F_JSON_ONLY(n, v) {FK_CUSTOM, 0, 0, 0, n, &mp_fixed, v}
/* An encoder that writes nothing, for fields that exist only in the JSON. */
int ofp_enc_nothing(struct ectx *e, const struct ofp_field *f, json_object *obj);
/* Ports as an object keyed by their port number, {"1": {"OFPPort": {...}}},
 * as OS-Ken shows them in a 1.0 or 1.2 features reply; port is the layout
 * (its JSON has "port_no"). */
int ofp_dec_port_map(struct dctx *d, size_t end, const struct ofp_field *f, json_object *obj,
                     const struct ofp_desc *port);
int ofp_enc_port_map(struct ectx *e, const struct ofp_field *f, json_object *obj, const struct ofp_desc *port);

/* ---- properties (1.4+) ---- */

/* Properties are laid out in src/ofp/spec/openflow.def (family blocks). */
#define OFP_ENTRY(key, desc) {key, OFP_ANY, OFP_ANY, &desc}
/* The last entry of every property family: a type the family does not know
 * decodes as OFPPropUnknown, as OS-Ken shows it. */
extern const struct ofp_desc ofp_prop_unknown;
#define OFP_PROP_UNKNOWN OFP_ENTRY(OFP_ANY, ofp_prop_unknown)

/* ---- structures ---- */

extern const struct ofp_poly ofp_meter_bands;       /* OFPMeterBand*, 1.3-1.5 */
extern const struct ofp_poly ofp_group_props;       /* OFPGroupProp*, 1.5 */
extern const struct ofp_poly ofp_table_mod_props;   /* OFPTableModProp*, 1.4+ (table-mod, table descriptions) */
extern const struct ofp_desc ofp_table_desc;        /* OFPTableDesc, 1.4+ */
extern const struct ofp_desc ofp_time;              /* OFPTime, 1.5 */
extern const struct ofp_desc ofp_controller_status; /* OFPControllerStatusStats, 1.5 */
/* OFPDescStats, every version (defined in multipart.c). */
extern const struct ofp_desc ofp_desc_stats;
extern const struct ofp_desc ofp_match10_desc;     /* the 1.0 OFPMatch (of10.c) */

#endif
