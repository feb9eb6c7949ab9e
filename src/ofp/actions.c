/* STUB: replaced by the actions/instructions implementation. */
#include "ofp/actions.h"
static const struct ofp_field output_fields[] = {F_DEF(2, "type", 0), F_LEN(2, "len"), F_U32("port"), F_U16("max_len"), F_PAD(6), F_END};
static const struct ofp_desc output_desc = {"OFPActionOutput", output_fields, 0, 0};
static const struct ofp_poly_entry action_entries[] = {{0, OFP_ANY, OFP_ANY, &output_desc}};
POLY(ofp_actions, "action", KEN_OFPBAC_BAD_TYPE, KEN_OFPBAC_BAD_LEN, action_entries);
static const struct ofp_field inst_actions_fields[] = {F_U16("type"), F_LEN(2, "len"), F_PAD(4), F_PLIST("actions", &ofp_actions), F_END};
static const struct ofp_desc inst_actions_desc = {"OFPInstructionActions", inst_actions_fields, 0, 0};
static const struct ofp_poly_entry inst_entries[] = {{3, OFP_ANY, OFP_ANY, &inst_actions_desc}, {4, OFP_ANY, OFP_ANY, &inst_actions_desc}};
POLY(ofp_instructions, "instruction", KEN_OFPBIC_UNKNOWN_INST, KEN_OFPBIC_BAD_LEN, inst_entries);
POLY(ofp_action_ids, "action id", KEN_OFPBAC_BAD_TYPE, KEN_OFPBAC_BAD_LEN, action_entries);
POLY(ofp_instruction_ids, "instruction id", KEN_OFPBIC_UNKNOWN_INST, KEN_OFPBIC_BAD_LEN, inst_entries);
