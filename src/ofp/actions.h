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
/* One 1.0 action at d->pos (of10.c). */
int ofp_of10_dec_action(struct dctx *d, size_t end, json_object **out);
/* The JSON decoder's checks of the one action (or instruction) at p, with
 * n bytes left in its list: 0 or the error it would give, and the length
 * it spans in *len. For the hot-path codec, which reads only a few kinds
 * itself and must accept exactly what the JSON codec accepts. */
int ofp_action_check(const uint8_t *p, size_t n, uint8_t version, size_t *len);
int ofp_instruction_check(const uint8_t *p, size_t n, uint8_t version, size_t *len);

/* A zero-width field that refuses a TLV in versions that do not define it
 * (OS-Ken cannot parse those either). f->def holds the OFPV() bits of the
 * versions that do; f->arg is 1 for an instruction, 0 for an action. */
extern const struct ofp_custom version_gate;
#define F_ONLY_IN(cls, versions, is_instruction) {FK_CUSTOM, 0, 0, is_instruction, cls, &version_gate, versions}
/* OFPActionCopyField's two OXM ids. */
extern const struct ofp_custom copy_field_ids;

/* Lists of action / instruction ids in table features: OFPActionId, OFPInstructionId. */
extern const struct ofp_poly ofp_action_ids;
extern const struct ofp_poly ofp_instruction_ids;

#endif
