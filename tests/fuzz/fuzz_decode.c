/* libFuzzer target: any bytes through the JSON decoder. Success or an
 * OpenFlow error with a reason; never a crash, an overread or a leak. When
 * decoding succeeds, encoding the result back must succeed too. */
#include <json-c/json.h>
#include <stdint.h>
#include <stdlib.h>

#include "ken/ofp.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    json_object *obj = NULL;
    char why[KEN_WHY_LEN];
    int err = ken_ofp_to_json(data, size, &obj, why);
    if (!err) {
        if (!obj || why[0])
            abort();
        struct ken_buf out = KEN_BUF_INIT;
        char why2[KEN_WHY_LEN];
        if (ken_ofp_from_json(obj, data[0], &out, why2))
            abort(); /* what we decode, we can encode */
        ken_buf_free(&out);
    } else if (!why[0]) {
        abort(); /* every error carries a reason */
    }
    json_object_put(obj);
    return 0;
}
