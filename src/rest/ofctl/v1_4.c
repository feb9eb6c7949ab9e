/* ofctl for OpenFlow 1.4: Ryu's ofctl_v1_4 (the work is in v14_common.c). */
#include "v14_common.h"

static enum ofctl_status build(const struct ofctl_args *args, struct json_object **msgs, size_t max, size_t *n,
                               char why[KEN_WHY_LEN])
{
    return ofctl_v14_build(KEN_OFP14, args, msgs, max, n, why);
}

static enum ofctl_status answer(const struct ofctl_args *args, struct json_object *const *replies, size_t n,
                                struct json_object **out, char why[KEN_WHY_LEN])
{
    return ofctl_v14_answer(KEN_OFP14, args, replies, n, out, why);
}

const struct ofctl_version ofctl_v1_4 = {KEN_OFP14, build, answer};
