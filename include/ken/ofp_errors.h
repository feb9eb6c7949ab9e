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
 * Numbers from the OpenFlow specs (OS-Ken's ofproto_v1_X.py agree). */
#define KEN_OFPERR_LIST(X) \
    X(OFPHFC_INCOMPATIBLE, 0, 0, 0, 0, 3, OFPHFC_INCOMPATIBLE) \
    X(OFPBRC_BAD_VERSION, 1, 0, 1, 0, 3, OFPBRC_BAD_VERSION) \
    X(OFPBRC_BAD_TYPE, 1, 1, 1, 1, 3, OFPBRC_BAD_TYPE) \
    X(OFPBRC_BAD_MULTIPART, 1, 2, 1, 2, 3, OFPBRC_BAD_MULTIPART) \
    X(OFPBRC_BAD_EXPERIMENTER, 1, 3, 1, 3, 3, OFPBRC_BAD_EXPERIMENTER) \
    X(OFPBRC_BAD_EXP_TYPE, 1, 4, 1, 4, 3, OFPBRC_BAD_EXP_TYPE) \
    X(OFPBRC_EPERM, 1, 5, 1, 5, 3, OFPBRC_EPERM) \
    X(OFPBRC_BAD_LEN, 1, 6, 1, 6, 3, OFPBRC_BAD_LEN) \
    X(OFPBRC_BUFFER_UNKNOWN, 1, 8, 1, 8, 3, OFPBRC_BUFFER_UNKNOWN) \
    X(OFPBAC_BAD_TYPE, 2, 0, 2, 0, 3, OFPBAC_BAD_TYPE) \
    X(OFPBAC_BAD_LEN, 2, 1, 2, 1, 3, OFPBAC_BAD_LEN) \
    X(OFPBAC_BAD_EXPERIMENTER, 2, 2, 2, 2, 3, OFPBAC_BAD_EXPERIMENTER) \
    X(OFPBAC_BAD_EXP_TYPE, 2, 3, 2, 3, 3, OFPBAC_BAD_EXP_TYPE) \
    X(OFPBAC_BAD_OUT_PORT, 2, 4, 2, 4, 3, OFPBAC_BAD_OUT_PORT) \
    X(OFPBAC_BAD_ARGUMENT, 2, 5, 2, 5, 3, OFPBAC_BAD_ARGUMENT) \
    X(OFPBIC_UNKNOWN_INST, -1, -1, 3, 0, 3, OFPBAC_BAD_TYPE) \
    X(OFPBIC_BAD_EXPERIMENTER, -1, -1, 3, 5, 3, OFPBAC_BAD_EXPERIMENTER) \
    X(OFPBIC_BAD_LEN, -1, -1, 3, 7, 3, OFPBRC_BAD_LEN) \
    X(OFPBMC_BAD_TYPE, -1, -1, 4, 0, 3, OFPBRC_BAD_LEN) \
    X(OFPBMC_BAD_LEN, -1, -1, 4, 1, 3, OFPBRC_BAD_LEN) \
    X(OFPBMC_BAD_FIELD, -1, -1, 4, 6, 3, OFPBRC_BAD_LEN) \
    X(OFPBMC_BAD_VALUE, -1, -1, 4, 7, 3, OFPBRC_BAD_LEN) \
    X(OFPBMC_BAD_MASK, -1, -1, 4, 8, 3, OFPBRC_BAD_LEN) \
    X(OFPBMC_BAD_PREREQ, -1, -1, 4, 9, 3, OFPBRC_BAD_LEN) \
    X(OFPBMC_DUP_FIELD, -1, -1, 4, 10, 3, OFPBRC_BAD_LEN) \
    X(OFPGMFC_BAD_BUCKET, -1, -1, 6, 12, 3, OFPBRC_BAD_LEN) \
    X(OFPQOFC_BAD_QUEUE, 5, 1, 9, 1, 3, OFPQOFC_BAD_QUEUE) \
    X(OFPMMFC_BAD_BAND, -1, -1, 12, 8, 4, OFPBRC_BAD_LEN) \
    X(OFPBPC_BAD_TYPE, -1, -1, 14, 0, 5, OFPBRC_BAD_LEN) \
    X(OFPBPC_BAD_LEN, -1, -1, 14, 1, 5, OFPBRC_BAD_LEN) \
    X(OFPBPC_BAD_EXPERIMENTER, -1, -1, 14, 5, 5, OFPBRC_BAD_EXPERIMENTER)

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
