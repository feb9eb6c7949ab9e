/* ofctl_for_version: the conversion module for a wire version.
 *
 * Each version's module (v1_0.c ... v1_5.c) is its own file; a version
 * whose module is not in the tree answers NULL, and ofctl_rest then says
 * 501 for that switch (ofctl_modules.h is written by meson.build). */
#include "ofctl.h"
#include "rest/ofctl/ofctl_modules.h"

const struct ofctl_version *ofctl_for_version(uint8_t version)
{
    switch (version) {
#ifdef KEN_OFCTL_HAVE_V1_0
    case KEN_OFP10: return &ofctl_v1_0;
#endif
#ifdef KEN_OFCTL_HAVE_V1_2
    case KEN_OFP12: return &ofctl_v1_2;
#endif
#ifdef KEN_OFCTL_HAVE_V1_3
    case KEN_OFP13: return &ofctl_v1_3;
#endif
#ifdef KEN_OFCTL_HAVE_V1_4
    case KEN_OFP14: return &ofctl_v1_4;
#endif
#ifdef KEN_OFCTL_HAVE_V1_5
    case KEN_OFP15: return &ofctl_v1_5;
#endif
    default: return NULL;
    }
}
