/* libFuzzer target: arbitrary text as JSON into the encoder (first byte
 * picks the version). Never a crash or a leak; an encoded message is
 * always framed correctly. */
#include <json-c/json.h>
#include <stdint.h>
#include <stdlib.h>

#include "ken/ofp.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const uint8_t versions[] = {1, 3, 4, 5, 6};
    if (size < 1)
        return 0;
    uint8_t version = versions[data[0] % sizeof versions];
    json_tokener *tok = json_tokener_new();
    json_object *obj = json_tokener_parse_ex(tok, (const char *)data + 1, (int)(size - 1));
    json_tokener_free(tok);
    if (!obj)
        return 0;
    struct ken_buf out = KEN_BUF_INIT;
    char why[KEN_WHY_LEN];
    if (!ken_ofp_from_json(obj, version, &out, why)) {
        struct ken_ofp_header h;
        if (ken_ofp_header_parse(out.data, out.len, &h) || h.length != out.len || h.version != version)
            abort();
    }
    ken_buf_free(&out);
    json_object_put(obj);
    return 0;
}
