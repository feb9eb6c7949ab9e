/* Actions and instructions of OpenFlow 1.2-1.5, and the Nicira (NX)
 * experimenter actions that OS-Ken knows. */
#ifndef KEN_OFP_ACTIONS_H
#define KEN_OFP_ACTIONS_H

#include "ofp/schema.h"

/* Every action of 1.2-1.5 (OFPAction*, NXAction*, OFPActionExperimenterUnknown). */
extern const struct ofp_poly ofp_actions;
/* OFPInstruction* of 1.2-1.5. */
extern const struct ofp_poly ofp_instructions;
/* The NX actions (type 0xffff, experimenter 0x2320), for the 1.0 action family too;
 * the last entries catch unknown subtypes (NXActionUnknown). */
extern const struct ofp_poly_entry ofp_nx_action_entries[];
extern const size_t ofp_n_nx_action_entries;
/* A list of OpenFlow 1.0 actions (of10.c): the 1.0 actions and the NX ones in
 * 1.0's JSON shape (no "type"/"len", "vendor" for "experimenter"). */
extern const struct ofp_custom ofp_of10_actions;
/* Lists of action / instruction ids in table features: OFPActionId, OFPInstructionId. */
extern const struct ofp_poly ofp_action_ids;
extern const struct ofp_poly ofp_instruction_ids;

#endif
