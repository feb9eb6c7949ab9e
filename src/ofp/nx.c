/* STUB: replaced by the Nicira extension actions. */
#include "ofp/actions.h"
static const struct ofp_field unknown_fields[] = {F_DEF(2, "type", 0xffff), F_LEN(2, "len"), F_DEF(4, "experimenter", 0x2320), F_U16("subtype"), F_DATA("data"), F_END};
static const struct ofp_desc unknown_desc = {"NXActionUnknown", unknown_fields, 0, 0};
const struct ofp_poly_entry ofp_nx_action_entries[] = {{0xffff, 0x2320, OFP_ANY, &unknown_desc}};
const size_t ofp_n_nx_action_entries = 1;
