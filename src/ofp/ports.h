/* Port descriptions, shared by port-status (msgs.c) and port-desc replies
 * (multipart.c); defined in multipart.c. */
#ifndef KEN_OFP_PORTS_H
#define KEN_OFP_PORTS_H

#include "ofp/schema.h"

extern const struct ofp_desc ofp_port_12;  /* OFPPort, 1.2 and 1.3 (64 bytes) */
extern const struct ofp_desc ofp_port_14;  /* OFPPort, 1.4 (with properties) */
extern const struct ofp_desc ofp_port_15;  /* OFPPort, 1.5 (1.5's properties) */

#endif
