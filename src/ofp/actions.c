/* Actions and instructions of OpenFlow 1.2-1.5 as OS-Ken shows them: every
 * action has "type" and "len" in its JSON. The Nicira actions live in nx.c
 * and are tried first; another experimenter's action is kept as data. */
#include "ofp/actions.h"
#include "ofp/msgtable.h"
#include "ofp/nx.h"
#include "ofp/oxm.h"

static int gate_error(const struct ofp_field *f) { return f->arg ? KEN_OFPBIC_UNKNOWN_INST : KEN_OFPBAC_BAD_TYPE; }

static int gate_dec(struct dctx *d, size_t end, const struct ofp_field *f, json_object *obj)
{
    (void)end;
    (void)obj;
    if (f->def & OFPV(d->version))
        return 0;
    return DFAIL(d, gate_error(f), "%s is not in OpenFlow %s", f->name, ken_ofp_version_name(d->version));
}

static int gate_enc(struct ectx *e, const struct ofp_field *f, json_object *obj)
{
    (void)obj;
    if (f->def & OFPV(e->version))
        return 0;
    return EFAIL(e, gate_error(f), "%s is not in OpenFlow %s", f->name, ken_ofp_version_name(e->version));
}

const struct ofp_custom version_gate = {gate_dec, gate_enc, NULL, false};

/* OFPActionCopyField's two OXM ids: the action's padding must not read as
 * a third, so the ids' region ends after two headers. */
static int copy_field_ids_dec(struct dctx *d, size_t end, const struct ofp_field *f, json_object *obj)
{
    size_t stop = d->pos;
    for (int i = 0; i < 2; i++) {
        struct ofp_oxm_info info;
        size_t hdr_len;
        if (ofp_oxm_from_header(d->p + stop, end - stop, d->version, &info, &hdr_len))
            return DFAIL(d, KEN_OFPBAC_BAD_LEN, "OFPActionCopyField: OXM id %d is cut short or unknown", i + 1);
        stop += hdr_len;
    }
    int err = ofp_oxm_ids.dec(d, stop, f, obj);
    if (!err)
        d->pos = stop;
    return err;
}

static int copy_field_ids_enc(struct ectx *e, const struct ofp_field *f, json_object *obj)
{
    return ofp_oxm_ids.enc(e, f, obj);
}

const struct ofp_custom copy_field_ids = {copy_field_ids_dec, copy_field_ids_enc, NULL, false};

/* The actions themselves are laid out in src/ofp/spec/openflow.def (family ofp_actions). */

/* A list of 1.2+ actions in obj[f->name]; absent or null encodes as none. */
static int action_list_dec(struct dctx *d, size_t end, const struct ofp_field *f, json_object *obj)
{
    json_object *arr = NULL;
    int err = ofp_dec_plist(d, end, &ofp_actions, &arr);
    if (!err)
        json_object_object_add(obj, f->name, arr);
    return err;
}

static int action_list_enc(struct ectx *e, const struct ofp_field *f, json_object *obj)
{
    int err;
    json_object *arr = ofp_json_get_list(e, obj, f->name, KEN_OFPBAC_BAD_TYPE, &err);
    return arr ? ofp_enc_plist(e, &ofp_actions, arr) : err;
}

static const struct ofp_custom action_list = {action_list_dec, action_list_enc, NULL, false};

static int tlv_check(const uint8_t *p, size_t n, uint8_t version, const struct ofp_poly *poly, size_t *len)
{
    char why[KEN_WHY_LEN];
    why[0] = 0;
    struct dctx d = {.p = p, .pos = 0, .version = version, .why = why, .validate = true};
    json_object *out = NULL;
    int err = version == KEN_OFP10 && poly == &ofp_actions ? ofp_of10_dec_action(&d, n, &out)
                                                           : ofp_dec_poly(&d, n, poly, &out);
    json_object_put(out); /* validate mode may still build a custom codec's part */
    *len = d.pos;
    return err;
}

int ofp_action_check(const uint8_t *p, size_t n, uint8_t version, size_t *len)
{
    return tlv_check(p, n, version, &ofp_actions, len);
}

int ofp_instruction_check(const uint8_t *p, size_t n, uint8_t version, size_t *len)
{
    return tlv_check(p, n, version, &ofp_instructions, len);
}

const struct ofp_custom *nx_nested_actions(uint8_t version)
{
    return version == KEN_OFP10 ? &ofp_of10_actions : &action_list;
}

/* ---- instructions ---- */

/* Laid out in src/ofp/spec/openflow.def (family ofp_instructions). */

/* ---- ids in table features: any type, shown as type and len ---- */

/* OS-Ken skips whatever follows the 4-byte header (an experimenter's id)
 * and always writes length 4. */
/* (laid out in src/ofp/spec/openflow.def: families ofp_action_ids, ofp_instruction_ids) */
