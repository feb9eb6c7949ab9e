/* What the OpenFlow 1.4 and 1.5 modules of ofctl share (Ryu's
 * ofctl_v1_4.py and ofctl_v1_5.py are near copies of each other): one
 * implementation, told the wire version, with the differences (1.5's
 * flow-desc, OXS stats, copy-field and meter actions, group bucket
 * properties, meter-desc for meter-config, ids on group-desc and
 * port-desc) switched on it. */
#ifndef KEN_REST_OFCTL_V14_COMMON_H
#define KEN_REST_OFCTL_V14_COMMON_H

#include "ofctl.h"

enum ofctl_status ofctl_v14_build(uint8_t version, const struct ofctl_args *args, struct json_object **msgs,
                                  size_t max, size_t *n, char why[KEN_WHY_LEN]);
enum ofctl_status ofctl_v14_answer(uint8_t version, const struct ofctl_args *args,
                                   struct json_object *const *replies, size_t n, struct json_object **out,
                                   char why[KEN_WHY_LEN]);

#endif
