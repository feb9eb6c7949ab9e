/* What nx.c and nx_learn.c share: the Nicira actions' field headers and
 * learn specs. Private to the NX action codec. */
#ifndef KEN_OFP_NX_H
#define KEN_OFP_NX_H

#include "ofp/schema.h"

/* An NXM/OXM field header at d->pos (4 or 8 bytes) as its JSON name. */
int nx_header_dec(struct dctx *d, size_t end, json_object **name);
/* The header for a JSON field name, appended to e->b. */
int nx_header_enc(struct ectx *e, json_object *v, const char *key);
/* NXActionLearn's flow_mod_specs, as [{"NXFlowSpecMatch": {...}}, ...]. */
extern const struct ofp_custom nx_learn_specs;
/* The codec of the action list nested in ct, by wire version: 1.0 actions
 * in a 1.0 message, 1.2+ actions otherwise. */
const struct ofp_custom *nx_nested_actions(uint8_t version);

#endif
