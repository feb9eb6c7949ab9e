/* Build an OpenFlow 1.3 flow-mod with ken's hot-path codec, then show it
 * as OS-Ken JSON with the JSON codec.
 *   build/docs-example-flow-mod */
#include <json-c/json.h>
#include <stdio.h>

#include "ken/ofp.h"
#include "ken/ofp_msg.h"

int main(void)
{
    static const uint8_t dst[6] = {0, 0, 0, 0, 0, 2};
    struct ken_flow_mod fm;
    ken_flow_mod_init(&fm);                 /* ADD, no buffer, ANY out port/group */
    fm.priority = 1;
    ken_match_add_u32(&fm.match, KEN_OXM_IN_PORT, 1);
    ken_match_add_mac(&fm.match, KEN_OXM_ETH_DST, dst, NULL);
    struct ken_action out = ken_action_output(2, 0);
    ken_flow_mod_apply_actions(&fm, &out, 1);

    struct ken_buf msg = KEN_BUF_INIT;
    if (ken_flow_mod_encode(&msg, KEN_OFP13, 0x10, &fm))
        return 1;

    json_object *json = NULL;
    char why[KEN_WHY_LEN];
    int err = ken_ofp_to_json(msg.data, msg.len, &json, why);
    if (err) {
        fprintf(stderr, "%s: %s\n", ken_err_name(err), why);
        return 1;
    }
    printf("%zu bytes: %s\n", msg.len, json_object_to_json_string_ext(json, JSON_C_TO_STRING_PRETTY));
    json_object_put(json);
    ken_buf_free(&msg);
    return 0;
}
