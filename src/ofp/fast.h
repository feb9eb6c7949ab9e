/* Internal pieces of the hot-path codec shared by its files. */
#ifndef KEN_OFP_FAST_H
#define KEN_OFP_FAST_H

#include "ken/ofp_msg.h"

int fast_oxm_decode(const uint8_t *p, size_t n, uint8_t version, struct ken_match *m);
void fast_oxm_encode(struct ken_buf *b, const struct ken_match *m);
size_t fast_match_decode(const uint8_t *p, size_t n, uint8_t version, struct ken_match *m, int *err);
void fast_match_encode(struct ken_buf *b, const struct ken_match *m);
void fast_match10_decode(const uint8_t *p, struct ken_match *m);
int fast_match10_encode(uint8_t p[40], const struct ken_match *m);

#endif
