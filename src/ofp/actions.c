/* Actions and instructions of OpenFlow 1.2-1.5 as OS-Ken shows them: every
 * action has "type" and "len" in its JSON. The Nicira actions live in nx.c
 * and are tried first; another experimenter's action is kept as data. */
#include "ofp/actions.h"
#include "ofp/msgtable.h"
#include "ofp/nx.h"
#include "ofp/oxm.h"

/* A zero-width field that refuses a TLV in versions that do not define it
 * (OS-Ken cannot parse those either). f->def holds the OFPV() bits of the
 * versions that do; f->arg is 1 for an instruction, 0 for an action. */
#define F_ONLY_IN(cls, versions, is_instruction) {FK_CUSTOM, 0, 0, is_instruction, cls, &version_gate, versions}

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

static const struct ofp_custom version_gate = {gate_dec, gate_enc};

#define TLV(var, cls, type, flags, ...) \
    static const struct ofp_field var##_fields[] = {F_DEF(2, "type", type), F_LEN(2, "len"), __VA_ARGS__, F_END}; \
    static const struct ofp_desc var = {cls, var##_fields, 8, flags}
#define ACTION(var, cls, type, ...) TLV(var, cls, type, 0, __VA_ARGS__)
/* OS-Ken sizes goto-table, write-metadata and meter instructions by their
 * fields, whatever their length says (a corpus case relies on it). */
#define FIXED_INSTRUCTION(var, cls, type, ...) TLV(var, cls, type, DF_FIXED_SIZE, __VA_ARGS__)
/* TLVs that only some versions define. */
#define ACTION_IN(versions, var, cls, type, ...) ACTION(var, cls, type, F_ONLY_IN(cls, versions, 0), __VA_ARGS__)
#define INSTRUCTION_IN(versions, flags, var, cls, type, ...) \
    TLV(var, cls, type, flags, F_ONLY_IN(cls, versions, 1), __VA_ARGS__)

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

static const struct ofp_custom copy_field_ids = {copy_field_ids_dec, copy_field_ids_enc};

ACTION(output, "OFPActionOutput", 0, F_U32("port"), F_U16("max_len"), F_PAD(6));
ACTION(copy_ttl_out, "OFPActionCopyTtlOut", 11, F_PAD(4));
ACTION(copy_ttl_in, "OFPActionCopyTtlIn", 12, F_PAD(4));
ACTION(set_mpls_ttl, "OFPActionSetMplsTtl", 15, F_U8("mpls_ttl"), F_PAD(3));
ACTION(dec_mpls_ttl, "OFPActionDecMplsTtl", 16, F_PAD(4));
ACTION(push_vlan, "OFPActionPushVlan", 17, F_U16("ethertype"), F_PAD(2));
ACTION(pop_vlan, "OFPActionPopVlan", 18, F_PAD(4));
ACTION(push_mpls, "OFPActionPushMpls", 19, F_U16("ethertype"), F_PAD(2));
ACTION(pop_mpls, "OFPActionPopMpls", 20, F_U16("ethertype"), F_PAD(2));
ACTION(set_queue, "OFPActionSetQueue", 21, F_U32("queue_id"));
ACTION(group, "OFPActionGroup", 22, F_U32("group_id"));
ACTION(set_nw_ttl, "OFPActionSetNwTtl", 23, F_U8("nw_ttl"), F_PAD(3));
ACTION(dec_nw_ttl, "OFPActionDecNwTtl", 24, F_PAD(4));
ACTION(set_field, "OFPActionSetField", 25, F_CUSTOM("field", &ofp_oxm_one));
ACTION_IN(OFPV_13_15, push_pbb, "OFPActionPushPbb", 26, F_U16("ethertype"), F_PAD(2));
ACTION_IN(OFPV_13_15, pop_pbb, "OFPActionPopPbb", 27, F_PAD(4));
ACTION_IN(OFPV(6), copy_field, "OFPActionCopyField", 28, F_U16("n_bits"), F_U16("src_offset"), F_U16("dst_offset"),
          F_PAD(2), F_CUSTOM("oxm_ids", &copy_field_ids));
ACTION_IN(OFPV(6), meter, "OFPActionMeter", 29, F_U32("meter_id"));
/* Another experimenter's action: its data runs to the action's end. */
ACTION(experimenter_unknown, "OFPActionExperimenterUnknown", 0xffff, F_U32("experimenter"), F_DATA("data"));

static const struct ofp_poly_entry action_entries[] = {
    {0, OFP_ANY, OFP_ANY, &output},         {11, OFP_ANY, OFP_ANY, &copy_ttl_out},
    {12, OFP_ANY, OFP_ANY, &copy_ttl_in},   {15, OFP_ANY, OFP_ANY, &set_mpls_ttl},
    {16, OFP_ANY, OFP_ANY, &dec_mpls_ttl},  {17, OFP_ANY, OFP_ANY, &push_vlan},
    {18, OFP_ANY, OFP_ANY, &pop_vlan},      {19, OFP_ANY, OFP_ANY, &push_mpls},
    {20, OFP_ANY, OFP_ANY, &pop_mpls},      {21, OFP_ANY, OFP_ANY, &set_queue},
    {22, OFP_ANY, OFP_ANY, &group},         {23, OFP_ANY, OFP_ANY, &set_nw_ttl},
    {24, OFP_ANY, OFP_ANY, &dec_nw_ttl},    {25, OFP_ANY, OFP_ANY, &set_field},
    {26, OFP_ANY, OFP_ANY, &push_pbb},      {27, OFP_ANY, OFP_ANY, &pop_pbb},
    {28, OFP_ANY, OFP_ANY, &copy_field},    {29, OFP_ANY, OFP_ANY, &meter},
    {0xffff, OFP_ANY, OFP_ANY, &experimenter_unknown},
};
const struct ofp_poly ofp_actions = {
    "action", action_entries, sizeof action_entries / sizeof action_entries[0], KEN_OFPBAC_BAD_TYPE,
    KEN_OFPBAC_BAD_LEN, 2, ofp_nx_action_entries, &ofp_n_nx_action_entries, 8};

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

static const struct ofp_custom action_list = {action_list_dec, action_list_enc};

static int tlv_check(const uint8_t *p, size_t n, uint8_t version, const struct ofp_poly *poly, size_t *len)
{
    char why[KEN_WHY_LEN];
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

FIXED_INSTRUCTION(goto_table, "OFPInstructionGotoTable", 1, F_U8("table_id"), F_PAD(3));
FIXED_INSTRUCTION(write_metadata, "OFPInstructionWriteMetadata", 2, F_PAD(4), F_U64("metadata"),
                  F_U64("metadata_mask"));
/* Write (3), apply (4) and clear (5) share a class: "type" tells them apart. */
static const struct ofp_field inst_actions_fields[] = {
    F_U16("type"), F_LEN(2, "len"), F_PAD(4), F_PLIST("actions", &ofp_actions), F_END};
static const struct ofp_desc inst_actions = {"OFPInstructionActions", inst_actions_fields, 8, 0};
INSTRUCTION_IN(OFPV(4) | OFPV(5), DF_FIXED_SIZE, inst_meter, "OFPInstructionMeter", 6, F_U32("meter_id"));
INSTRUCTION_IN(OFPV(6), 0, stat_trigger, "OFPInstructionStatTrigger", 7, F_U32("flags"),
               F_OBJ("thresholds", &ofp_stats_desc));

static const struct ofp_poly_entry instruction_entries[] = {
    {1, OFP_ANY, OFP_ANY, &goto_table},   {2, OFP_ANY, OFP_ANY, &write_metadata},
    {3, OFP_ANY, OFP_ANY, &inst_actions}, {4, OFP_ANY, OFP_ANY, &inst_actions},
    {5, OFP_ANY, OFP_ANY, &inst_actions}, {6, OFP_ANY, OFP_ANY, &inst_meter},
    {7, OFP_ANY, OFP_ANY, &stat_trigger},
};
POLY(ofp_instructions, "instruction", KEN_OFPBIC_UNKNOWN_INST, KEN_OFPBIC_BAD_LEN, instruction_entries);

/* ---- ids in table features: any type, shown as type and len ---- */

/* OS-Ken skips whatever follows the 4-byte header (an experimenter's id)
 * and always writes length 4. */
static const struct ofp_field id_fields[] = {F_U16("type"), F_LEN(2, "len"), F_END};
static const struct ofp_desc action_id = {"OFPActionId", id_fields, 0, 0};
static const struct ofp_desc instruction_id = {"OFPInstructionId", id_fields, 0, 0};
static const struct ofp_poly_entry action_id_entries[] = {{OFP_ANY, OFP_ANY, OFP_ANY, &action_id}};
static const struct ofp_poly_entry instruction_id_entries[] = {{OFP_ANY, OFP_ANY, OFP_ANY, &instruction_id}};
POLY(ofp_action_ids, "action id", KEN_OFPBAC_BAD_TYPE, KEN_OFPBAC_BAD_LEN, action_id_entries);
POLY(ofp_instruction_ids, "instruction id", KEN_OFPBIC_UNKNOWN_INST, KEN_OFPBIC_BAD_LEN, instruction_id_entries);
