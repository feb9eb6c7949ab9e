/* Structures that msgs.c (1.2-1.5 controller/switch messages) shares with
 * multipart.c. */
#ifndef KEN_OFP_MSGS_H
#define KEN_OFP_MSGS_H

#include "ofp/schema.h"

extern const struct ofp_desc ofp_bucket_12;   /* OFPBucket, 1.2-1.4 */
extern const struct ofp_desc ofp_bucket_15;   /* OFPBucket, 1.5 (with properties) */
extern const struct ofp_poly ofp_meter_bands; /* OFPMeterBand*, 1.3-1.5 */

#endif
