#include "ken/ofp_errors.h"

#include <string.h>

#include "ken/ofp.h"

static const struct {
    const char *name;
    int8_t t0, c0, t1, c1;
} errtab[] = {
#define KEN_OFPERR_ROW(name, t0, c0, t1, c1) {#name, t0, c0, t1, c1},
    KEN_OFPERR_LIST(KEN_OFPERR_ROW)
#undef KEN_OFPERR_ROW
};

const char *ken_err_name(int err)
{
    if (ken_is_ofperr(err))
        return errtab[err - KEN_OFPERR_BASE].name;
    return strerror(err);
}

void ken_ofperr_wire(int err, uint8_t version, uint16_t *type, uint16_t *code)
{
    if (!ken_is_ofperr(err))
        err = KEN_OFPBRC_BAD_LEN;
    int i = err - KEN_OFPERR_BASE;
    if (version == KEN_OFP10) {
        *type = (uint16_t)errtab[i].t0;
        *code = (uint16_t)errtab[i].c0;
    } else {
        *type = (uint16_t)errtab[i].t1;
        *code = (uint16_t)errtab[i].c1;
    }
}
