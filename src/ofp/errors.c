#include "ken/ofp_errors.h"

#include <stdbool.h>
#include <string.h>

#include "ken/ofp.h"

static const struct {
    const char *name;
    int8_t t10, c10;
    uint16_t type, code;
    uint8_t since;
    int fallback;
} errtab[] = {
#define KEN_OFPERR_ROW(name, t10, c10, type, code, since, fallback) \
    {#name, t10, c10, type, code, since, KEN_##fallback},
    KEN_OFPERR_LIST(KEN_OFPERR_ROW)
#undef KEN_OFPERR_ROW
};

const char *ken_err_name(int err)
{
    if (ken_is_ofperr(err))
        return errtab[err - KEN_OFPERR_BASE].name;
    return strerror(err);
}

static bool ofperr_in_version(int i, uint8_t version)
{
    return version == KEN_OFP10 ? errtab[i].t10 >= 0 : version >= errtab[i].since;
}

void ken_ofperr_wire(int err, uint8_t version, uint16_t *type, uint16_t *code)
{
    if (!ken_is_ofperr(err))
        err = KEN_OFPBRC_BAD_LEN;
    int i = err - KEN_OFPERR_BASE;
    if (!ofperr_in_version(i, version))
        i = errtab[i].fallback - KEN_OFPERR_BASE;
    if (version == KEN_OFP10) {
        *type = (uint16_t)errtab[i].t10;
        *code = (uint16_t)errtab[i].c10;
    } else {
        *type = errtab[i].type;
        *code = errtab[i].code;
    }
}
