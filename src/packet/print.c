/* Packets as readable text, one line a layer, for tools (ken-ofp): each
 * layer's OS-Ken JSON fields as key=value, nested parts as compact JSON. */
#include <stdio.h>
#include <string.h>

#include "ken/packet.h"

int ken_pkt_print(const struct ken_pkt *p, void *file, int indent)
{
    FILE *f = file;
    json_object *json = NULL;
    char why[KEN_PKT_WHY_LEN];
    int err = ken_pkt_to_json(p, &json, why);
    if (err) {
        fprintf(f, "%*s(packet not shown: %s)\n", indent, "", why);
        return err;
    }
    json_object *protos = json_object_object_get(json_object_object_get(json, "Packet"), "protocols");
    for (size_t i = 0; i < json_object_array_length(protos); i++) {
        json_object *item = json_object_array_get_idx(protos, i);
        if (json_object_is_type(item, json_type_string)) {
            fprintf(f, "%*spayload %zu bytes\n", indent, "", (size_t)p->l[i].hdr_len);
            continue;
        }
        json_object_object_foreach(item, name, body)
        {
            fprintf(f, "%*s%s", indent, "", name);
            json_object_object_foreach(body, k, v)
            {
                const char *s = json_object_is_type(v, json_type_string)
                                    ? json_object_get_string(v)
                                    : json_object_to_json_string_ext(v, JSON_C_TO_STRING_PLAIN |
                                                                            JSON_C_TO_STRING_NOSLASHESCAPE);
                fprintf(f, " %s=%s", k, s);
            }
            fputc('\n', f);
        }
    }
    json_object_put(json);
    return 0;
}
