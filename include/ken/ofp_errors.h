/* One error space for ken: 0 is success, a positive value below
 * KEN_OFPERR_BASE is an errno, and a value from KEN_OFPERR_BASE up is an
 * OpenFlow protocol error with a (type, code) for each wire version. */
#ifndef KEN_OFP_ERRORS_H
#define KEN_OFP_ERRORS_H

#include <stdint.h>

#define KEN_OFPERR_BASE 4096

/* X(name, t10, c10, type, code, since, fallback), one row per error:
 *   (type, code)  the error on the wire from version `since` on (1.2 to 1.5
 *                 never renumber an error they share; 1.1, which ken does
 *                 not speak, is treated as 1.2);
 *   (t10, c10)    the error in 1.0, -1 where 1.0 has no such error;
 *   fallback      the nearest error where the version lacks this one (1.0
 *                 when t10 is -1, versions before `since`): an error that
 *                 every version has, mostly a BAD_REQUEST code; a row that
 *                 every version has names itself.
 * The list, KEN_OFPERR_LIST, is generated from the description
 * (src/ofp/spec/openflow.def, its error blocks) into ken/ofp_error_list.h. */
#include "ken/ofp_error_list.h"

enum ken_ofperr {
    KEN_OFPERR_BEFORE_FIRST = KEN_OFPERR_BASE - 1, /* so the first is KEN_OFPERR_BASE */
#define KEN_OFPERR_ENUM(name, t10, c10, type, code, since, fallback) KEN_##name,
    KEN_OFPERR_LIST(KEN_OFPERR_ENUM)
#undef KEN_OFPERR_ENUM
    KEN_OFPERR_END /* one past the last */
};

static inline int ken_is_ofperr(int err) { return err >= KEN_OFPERR_BASE && err < KEN_OFPERR_END; }
/* "OFPBRC_BAD_LEN", or strerror() text for an errno. */
const char *ken_err_name(int err);
/* The wire (type, code) of an OpenFlow error for a wire version (an errno
 * gives OFPBRC_BAD_LEN's). */
void ken_ofperr_wire(int err, uint8_t version, uint16_t *type, uint16_t *code);

#endif
