/* ken_ws_body_json: the request body as one JSON value, or a 400 that
 * says what is wrong and where (line, column). */
#include "ken/wsapi.h"

#include <json-c/json.h>
#include <stdio.h>

/* Line and column (from 1) of byte offset in text. */
static void position(const uint8_t *text, size_t offset, unsigned *line, unsigned *col)
{
    *line = *col = 1;
    for (size_t i = 0; i < offset; i++) {
        if (text[i] == '\n') {
            ++*line;
            *col = 1;
        } else {
            ++*col;
        }
    }
}

struct json_object *ken_ws_body_json(const struct ken_ws_request *req, struct ken_ws_response *resp)
{
    size_t len = req->body_len;
    if (!len) {
        ken_ws_reply_error(resp, 400, "the body is empty; a JSON value was expected");
        return NULL;
    }
    if (len > INT32_MAX) {
        ken_ws_reply_error(resp, 400, "the body is too large to parse as JSON");
        return NULL;
    }
    struct json_tokener *tok = json_tokener_new();
    if (!tok) {
        ken_ws_reply_error(resp, 503, "out of memory");
        return NULL;
    }
    struct json_object *obj = json_tokener_parse_ex(tok, (const char *)req->body, (int)len);
    enum json_tokener_error jerr = json_tokener_get_error(tok);
    size_t end = json_tokener_get_parse_end(tok);
    json_tokener_free(tok);
    unsigned line, col;
    if (jerr == json_tokener_continue || (jerr == json_tokener_success && !obj && end >= len)) {
        position(req->body, len, &line, &col);
        ken_ws_reply_error(resp, 400, "malformed JSON body: it ends early (line %u, column %u)", line, col);
        return NULL;
    }
    if (jerr != json_tokener_success) {
        position(req->body, end, &line, &col);
        ken_ws_reply_error(resp, 400, "malformed JSON body: %s at line %u, column %u (byte %zu)",
                           json_tokener_error_desc(jerr), line, col, end);
        return NULL;
    }
    /* One value: only white space may follow it. */
    for (size_t i = end; i < len; i++) {
        uint8_t c = req->body[i];
        if (c != ' ' && c != '\t' && c != '\n' && c != '\r') {
            position(req->body, i, &line, &col);
            json_object_put(obj);
            ken_ws_reply_error(resp, 400, "malformed JSON body: unexpected text after the value at line %u, column %u",
                               line, col);
            return NULL;
        }
    }
    return obj;
}
