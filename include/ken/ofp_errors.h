/* One error space for ken: 0 is success, a positive value below
 * KEN_OFPERR_BASE is an errno, and a value from KEN_OFPERR_BASE up is an
 * OpenFlow protocol error with a (type, code) for each wire version. */
#ifndef KEN_OFP_ERRORS_H
#define KEN_OFP_ERRORS_H

#include <stdint.h>

#define KEN_OFPERR_BASE 4096

/* X(name, of10 type, of10 code, of11+ type, of11+ code); -1 = none in 1.0 */
#define KEN_OFPERR_LIST(X) \
    X(OFPHFC_INCOMPATIBLE, 0, 0, 0, 0) \
    X(OFPBRC_BAD_VERSION, 1, 0, 1, 0) \
    X(OFPBRC_BAD_TYPE, 1, 1, 1, 1) \
    X(OFPBRC_BAD_MULTIPART, 1, 2, 1, 2) \
    X(OFPBRC_BAD_EXPERIMENTER, 1, 3, 1, 3) \
    X(OFPBRC_BAD_EXP_TYPE, 1, 4, 1, 4) \
    X(OFPBRC_EPERM, 1, 5, 1, 5) \
    X(OFPBRC_BAD_LEN, 1, 6, 1, 6) \
    X(OFPBRC_BUFFER_UNKNOWN, 1, 8, 1, 8) \
    X(OFPBAC_BAD_TYPE, 2, 0, 2, 0) \
    X(OFPBAC_BAD_LEN, 2, 1, 2, 1) \
    X(OFPBAC_BAD_EXPERIMENTER, 2, 2, 2, 2) \
    X(OFPBAC_BAD_EXP_TYPE, 2, 3, 2, 3) \
    X(OFPBAC_BAD_OUT_PORT, 2, 4, 2, 4) \
    X(OFPBAC_BAD_ARGUMENT, 2, 5, 2, 5) \
    X(OFPBIC_UNKNOWN_INST, 2, 0, 3, 0) \
    X(OFPBIC_BAD_EXPERIMENTER, 2, 2, 3, 5) \
    X(OFPBIC_BAD_LEN, 1, 6, 3, 8) \
    X(OFPBMC_BAD_TYPE, 1, 6, 4, 0) \
    X(OFPBMC_BAD_LEN, 1, 6, 4, 1) \
    X(OFPBMC_BAD_FIELD, 1, 6, 4, 6) \
    X(OFPBMC_BAD_VALUE, 1, 6, 4, 7) \
    X(OFPBMC_BAD_MASK, 1, 6, 4, 8) \
    X(OFPBMC_DUP_FIELD, 1, 6, 4, 10) \
    X(OFPBPC_BAD_TYPE, 1, 6, 1, 14) \
    X(OFPBPC_BAD_LEN, 1, 6, 1, 15)

enum ken_ofperr {
    KEN_OFPERR_NONE_ = KEN_OFPERR_BASE - 1,
#define KEN_OFPERR_ENUM(name, t0, c0, t1, c1) KEN_##name,
    KEN_OFPERR_LIST(KEN_OFPERR_ENUM)
#undef KEN_OFPERR_ENUM
    KEN_OFPERR_END_
};

static inline int ken_is_ofperr(int err) { return err >= KEN_OFPERR_BASE && err < KEN_OFPERR_END_; }
/* "OFPBRC_BAD_LEN", or strerror() text for an errno. */
const char *ken_err_name(int err);
/* The wire (type, code) of an OpenFlow error for a wire version. */
void ken_ofperr_wire(int err, uint8_t version, uint16_t *type, uint16_t *code);

#endif
