/* Lookups in the one table of OXM and OXS fields (every field OS-Ken 2.5
 * knows, with its wire identity, value size and JSON format per OpenFlow
 * version; described in src/ofp/spec/openflow.def). It drives decoding,
 * encoding, and the name and header lookups. */
#include <string.h>

#include "ofp/oxm.h"

#define V(v) (1u << (v))

/* The table itself is generated from src/ofp/spec/openflow.def (its oxm blocks). */
extern const struct oxm_def oxm_defs[];
extern const size_t oxm_n_defs;
#define N_DEFS oxm_n_defs

static bool def_in(const struct oxm_def *def, uint8_t family, uint8_t version)
{
    return def->family == family && version < 8 && (def->vmask & V(version));
}

const struct oxm_def *oxm_def_by_name(uint8_t family, uint8_t version, const char *name)
{
    for (size_t i = 0; i < N_DEFS; i++)
        if (def_in(&oxm_defs[i], family, version) && !strcmp(oxm_defs[i].name, name))
            return &oxm_defs[i];
    return NULL;
}

const struct oxm_def *oxm_def_by_wire(uint8_t family, uint8_t version, uint16_t cls, uint8_t field, uint32_t exp,
                                      uint16_t exp_type)
{
    for (size_t i = 0; i < N_DEFS; i++) {
        const struct oxm_def *def = &oxm_defs[i];
        if (def->cls != cls || def->field != field || !def_in(def, family, version))
            continue;
        if (cls == OXM_CLASS_EXPERIMENTER && (def->exp != exp || def->exp_type != exp_type))
            continue;
        return def;
    }
    return NULL;
}
