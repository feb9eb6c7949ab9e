/* What nx.c and nx_learn.c share: the Nicira actions' field headers and
 * learn specs. Private to the NX action codec. */
#ifndef KEN_OFP_NX_H
#define KEN_OFP_NX_H

#include "ofp/schema.h"

/* An NXM/OXM field header at d->pos (4 or 8 bytes) as its JSON name. */
int nx_header_dec(struct dctx *d, size_t end, json_object **name);
/* The header for a JSON field name, appended to e->b. */
int nx_header_enc(struct ectx *e, json_object *v, const char *key);
/* A field header in an action. f->size is its slot: 0 for just the header
 * (4 or 8 bytes), else a fixed slot the header is zero-padded to. f->def
 * says what an all-zero slot means: a field is required (NXZ_NONE), or it
 * shows as 0 (bundle's dst) or "" (ct's zone_src). */
enum { NXZ_NONE, NXZ_INT, NXZ_EMPTY };
extern const struct ofp_custom nx_field;
#define F_NXM(n, slot, zero) {FK_CUSTOM, slot, 0, 0, n, &nx_field, zero}
/* The irregular parts of the actions, which the description names. */
extern const struct ofp_custom cnt_ids, slaves, note, reg_load2, nat, ct_actions, controller2;
/* NXActionLearn's flow_mod_specs, as [{"NXFlowSpecMatch": {...}}, ...]. */
extern const struct ofp_custom nx_learn_specs;
/* The codec of the action list nested in ct, by wire version: 1.0 actions
 * in a 1.0 message, 1.2+ actions otherwise. */
const struct ofp_custom *nx_nested_actions(uint8_t version);

/* A learn action's specs as struct ken_nx_learn_spec (ken/ofp_types.h),
 * for the typed codec: n bytes the JSON codec's checks passed, decoded into
 * the arena (*out NULL when none; an immediate points into p), or
 * appended to b. They return 0 or an error, why saying what. */
struct ken_nx_learn_spec;
struct ken_arena;
int nx_learn_specs_typed_dec(const uint8_t *p, size_t n, struct ken_arena *a, struct ken_nx_learn_spec **out,
                             size_t *count, char *why);
int nx_learn_specs_typed_enc(struct ken_buf *b, const struct ken_nx_learn_spec *specs, size_t n, const char *name,
                             char *why);

/* The typed form of cnt_ids and slaves (ken/ofp_types.h: const uint16_t *
 * and a count): the ids of custom c at p (avail bytes left; slaves: the
 * bundle action's bytes before p hold their count) into the arena, and
 * the bytes they span, or a KEN_OFPBAC_BAD_LEN / ENOMEM; and the ids
 * appended to b as c writes them (slaves: the list sets n_slaves, as the
 * JSON codec does). */
int nx_u16s_typed_dec(const struct ofp_custom *c, const uint8_t *p, size_t avail, struct ken_arena *a,
                      const uint16_t **ids, size_t *n, size_t *span);
void nx_u16s_typed_enc(const struct ofp_custom *c, struct ken_buf *b, const uint16_t *ids, size_t n);

#endif
