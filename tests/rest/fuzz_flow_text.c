/* libFuzzer: the direct text path of GET /stats/flow
 * (src/rest/ofctl/flow_text.c) against the general one, on random flow
 * stats reply bodies. The input: a first byte choosing the version (1.0,
 * 1.2 to 1.5) and a priority filter, then the body of an OFPFlowStatsReply
 * (its entries), wrapped here in the multipart reply header. Checked:
 *   - ken_ofp_validate and ken_ofp_to_json accept the same messages, with
 *     the same error (validate no longer builds a match's JSON);
 *   - where the text path answers, the general path (ken_ofp_to_json,
 *     the module's answer, json-c's plain text of {"1": answer}) answers
 *     too, with the same bytes; where it declines it leaves nothing. */
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "ken/buf.h"
#include "ken/ofp.h"
#include "rest/ofctl/flow_text.h"
#include "rest/ofctl/ofctl.h"

#define CHECK(c) \
    do { \
        if (!(c)) \
            abort(); \
    } while (0)

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 1 || size > 65000)
        return 0;
    uint8_t version = (data[0] & 32) ? KEN_OFP10 : (data[0] & 16) ? KEN_OFP15 : (data[0] & 8) ? KEN_OFP14
                    : (data[0] & 1) ? KEN_OFP13 : KEN_OFP12;
    bool v10 = version == KEN_OFP10;
    struct ken_buf msg = KEN_BUF_INIT;
    size_t len = (v10 ? 12 : 16) + size - 1;
    ken_buf_put8(&msg, version);
    ken_buf_put8(&msg, v10 ? 17 : 19); /* OFPT_STATS_REPLY (1.0), OFPT_MULTIPART_REPLY */
    ken_buf_put16(&msg, (uint16_t)len);
    ken_buf_put32(&msg, 7);
    ken_buf_put16(&msg, version == KEN_OFP15 ? 17 : 1); /* OFPMP_FLOW, 1.5's OFPMP_FLOW_STATS */
    ken_buf_put16(&msg, (data[0] & 2) ? 1 : 0);
    if (!v10)
        ken_buf_put32(&msg, 0);
    ken_buf_put(&msg, data + 1, size - 1);

    struct ofctl_args args = {.kind = OFCTL_FLOW};
    struct json_object *filter = NULL;
    if (data[0] & 4) { /* Ryu's priority filter, from the first entry's priority bytes when there */
        filter = json_object_new_object();
        json_object_object_add(filter, "priority", json_object_new_int(size > 14 ? data[13] << 8 | data[14] : 1));
        args.body = filter;
    }

    char why[KEN_WHY_LEN], why2[KEN_WHY_LEN];
    struct json_object *decoded = NULL;
    int err = ken_ofp_to_json(msg.data, msg.len, &decoded, why);
    int verr = ken_ofp_validate(msg.data, msg.len, why2);
    CHECK(err == verr);
    if (err == 0)
        CHECK(strcmp(why, why2) == 0);

    char *want = NULL;
    size_t want_len = 0;
    if (err == 0) {
        struct json_object *answer = NULL;
        const struct ofctl_version *mod = ofctl_for_version(version);
        if (mod->answer(&args, &decoded, 1, &answer, why) == OFCTL_OK) {
            struct json_object *o = json_object_new_object();
            json_object_object_add(o, "1", answer);
            const char *t = json_object_to_json_string_length(o, JSON_C_TO_STRING_PLAIN, &want_len);
            want = malloc(want_len + 1);
            CHECK(want);
            memcpy(want, t, want_len + 1);
            json_object_put(o);
        } else {
            json_object_put(answer);
        }
    }
    json_object_put(decoded);

    struct ken_buf text = KEN_BUF_INIT;
    const uint8_t *msgs[1] = {msg.data};
    size_t lens[1] = {msg.len};
    ken_buf_put(&text, "x", 1); /* what was there before stays */
    if (ofctl_flow_text(version, &args, 1, msgs, lens, 1, &text)) {
        CHECK(want != NULL);
        CHECK(text.len - 1 == want_len && memcmp(text.data + 1, want, want_len) == 0);
    } else {
        CHECK(text.len == 1);
    }
    ken_buf_free(&text);
    free(want);
    json_object_put(filter);
    ken_buf_free(&msg);
    return 0;
}
