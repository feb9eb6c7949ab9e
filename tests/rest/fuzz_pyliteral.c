/* libFuzzer: request bodies against the Python-literal parser of
 * ofctl_rest (src/rest/pyliteral.c). Any bytes: no crash, no leak, no
 * read past the input (the fuzzer's copy has no NUL after it); a failure
 * always says where; a success serializes to JSON that json-c reads back
 * and that this parser reads back to the same JSON. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

#include "rest/pyliteral.h"

#define CHECK(c) \
    do { \
        if (!(c)) \
            abort(); \
    } while (0)

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct json_object *o;
    char why[KEN_WHY_LEN];
    if (!pyliteral_parse((const char *)data, size, &o, why)) {
        CHECK(o == NULL);
        CHECK(strstr(why, " at line ") != NULL);
        return 0;
    }
    const char *text = o ? json_object_to_json_string_ext(o, JSON_C_TO_STRING_PLAIN) : "null";
    size_t len = strlen(text);
    struct json_object *back = json_tokener_parse(text);
    CHECK(back != NULL || !strcmp(text, "null"));
    json_object_put(back);
    struct json_object *again;
    if (pyliteral_parse(text, len, &again, why)) {
        const char *t2 = again ? json_object_to_json_string_ext(again, JSON_C_TO_STRING_PLAIN) : "null";
        CHECK(!strcmp(text, t2));
        json_object_put(again);
    } else {
        /* Only bytes that are not UTF-8 (from \x in bytes, \udcXX) may
         * stop the text from reading back. */
        int high = 0;
        for (size_t i = 0; i < len; i++)
            high |= (unsigned char)text[i] >= 0x80;
        CHECK(high);
    }
    json_object_put(o);
    return 0;
}
