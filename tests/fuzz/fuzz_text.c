/* libFuzzer target: ken-ofp's readable text (tools/ofp_text.c) of any
 * message the JSON decoder accepts, in all three forms (the one-line text,
 * one field a line, and the type name alone), and of what it keeps of a
 * truncated one. Nothing may crash or read out of bounds. */
#include <stdint.h>
#include <stdio.h>

#include "ken/ofp.h"
#include "../../tools/ofp_text.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static FILE *sink;
    if (!sink)
        sink = fopen("/dev/null", "w");
    if (!sink)
        return 0;
    char why[KEN_WHY_LEN], name[64];
    json_object *obj = NULL;
    ken_ofp_to_json(data, size, &obj, why);
    ofp_text_type_name(data, size, obj, name, sizeof name);
    if (obj) {
        struct ken_ofp_header h;
        size_t len = size;
        if (!ken_ofp_header_parse(data, size, &h) && h.length < size)
            len = h.length;
        ofp_text_print(sink, data, len, obj, 0);
        ofp_text_print_verbose(sink, obj);
        json_object_put(obj);
    }
    return 0;
}
