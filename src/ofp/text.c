/* Text fields (port names, table names, desc strings) between wire bytes
 * and JSON. The wire promises nothing about their encoding; JSON text must
 * be UTF-8. OS-Ken's to_jsondict() raises on a byte that is not UTF-8, so
 * there is no OS-Ken shape to copy: ken shows such a byte the way Python
 * does when it must keep undecodable bytes (the "surrogateescape" error
 * handler of PEP 383), as the lone surrogate U+DC00 + byte, written
 * "\udcff". Python's json.loads() of ken's output then gives a str whose
 * .encode('utf-8', 'surrogateescape') is the wire bytes, and
 * ken_ofp_json_parse() reads the escape back as the byte. In memory the
 * json-c string keeps the wire bytes (so JSON built by the decoder encodes
 * back unchanged); only its serializer writes the escapes. */
#include <json-c/json.h>
#include <json-c/printbuf.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ofp/schema.h"

/* The length of the well-formed UTF-8 sequence at p (RFC 3629: no
 * overlongs, no surrogates, nothing above U+10FFFF), 0 if there is none. */
static size_t utf8_seq_len(const uint8_t *p, size_t n)
{
    uint8_t c = p[0];
    if (c < 0x80)
        return 1;
    size_t len;
    uint8_t lo = 0x80, hi = 0xbf; /* the range of the second byte */
    if (c >= 0xc2 && c <= 0xdf)
        len = 2;
    else if (c >= 0xe0 && c <= 0xef) {
        len = 3;
        if (c == 0xe0)
            lo = 0xa0;
        else if (c == 0xed)
            hi = 0x9f;
    } else if (c >= 0xf0 && c <= 0xf4) {
        len = 4;
        if (c == 0xf0)
            lo = 0x90;
        else if (c == 0xf4)
            hi = 0x8f;
    } else
        return 0;
    if (n < len || p[1] < lo || p[1] > hi)
        return 0;
    for (size_t i = 2; i < len; i++)
        if (p[i] < 0x80 || p[i] > 0xbf)
            return 0;
    return len;
}

static bool utf8_valid(const uint8_t *p, size_t n)
{
    for (size_t i = 0; i < n;) {
        size_t l = utf8_seq_len(p + i, n - i);
        if (!l)
            return false;
        i += l;
    }
    return true;
}

/* json-c's escaping for what is UTF-8, \udcXX for each byte that is not. */
static int text_serialize(json_object *jso, struct printbuf *pb, int level, int flags)
{
    (void)level;
    const uint8_t *p = (const uint8_t *)json_object_get_string(jso);
    size_t n = (size_t)json_object_get_string_len(jso);
    char esc[8];
    printbuf_strappend(pb, "\"");
    for (size_t i = 0; i < n;) {
        size_t l = utf8_seq_len(p + i, n - i);
        if (!l) {
            snprintf(esc, sizeof esc, "\\udc%02x", p[i]);
            printbuf_memappend(pb, esc, 6);
            i++;
            continue;
        }
        uint8_t c = p[i];
        if (c == '"' || c == '\\' || (c == '/' && !(flags & JSON_C_TO_STRING_NOSLASHESCAPE))) {
            esc[0] = '\\';
            esc[1] = (char)c;
            printbuf_memappend(pb, esc, 2);
        } else if (c < 0x20) {
            static const char short_esc[] = "btn\0fr"; /* \b \t \n, \f \r for 8..13 */
            if (c >= 8 && c <= 13 && short_esc[c - 8]) {
                esc[0] = '\\';
                esc[1] = short_esc[c - 8];
                printbuf_memappend(pb, esc, 2);
            } else {
                snprintf(esc, sizeof esc, "\\u%04x", c);
                printbuf_memappend(pb, esc, 6);
            }
        } else {
            printbuf_memappend(pb, (const char *)p + i, (int)l);
        }
        i += l;
    }
    printbuf_strappend(pb, "\"");
    return 0;
}

json_object *ofp_json_text(const uint8_t *p, size_t n)
{
    json_object *j = json_object_new_string_len((const char *)p, (int)n);
    if (j && !utf8_valid(p, n))
        json_object_set_serializer(j, text_serialize, NULL, NULL);
    return j;
}

static int hex4(const char *s, size_t n, unsigned *v)
{
    if (n < 4)
        return -1;
    *v = 0;
    for (int i = 0; i < 4; i++) {
        char c = s[i];
        unsigned d = c >= '0' && c <= '9' ? (unsigned)(c - '0')
                     : c >= 'a' && c <= 'f' ? (unsigned)(c - 'a' + 10)
                     : c >= 'A' && c <= 'F' ? (unsigned)(c - 'A' + 10)
                                            : 16u;
        if (d > 15)
            return -1;
        *v = *v << 4 | d;
    }
    return 0;
}

struct json_object *ken_ofp_json_parse(const char *text, size_t len, char why[KEN_WHY_LEN])
{
    why[0] = 0;
    /* The escapes shrink: the copy is never longer than the text. */
    char *copy = malloc(len + 1);
    if (!copy) {
        snprintf(why, KEN_WHY_LEN, "out of memory");
        return NULL;
    }
    size_t o = 0;
    for (size_t i = 0; i < len;) {
        unsigned u, u2;
        if (text[i] != '\\' || i + 1 >= len) {
            copy[o++] = text[i++];
        } else if (text[i + 1] != 'u' || hex4(text + i + 2, len - i - 2, &u)) {
            copy[o++] = text[i++]; /* another escape: copied whole, so "\\udc80" stays text */
            copy[o++] = text[i++];
        } else if (u >= 0xd800 && u <= 0xdbff && i + 12 <= len && text[i + 6] == '\\' && text[i + 7] == 'u' &&
                   !hex4(text + i + 8, len - i - 8, &u2) && u2 >= 0xdc00 && u2 <= 0xdfff) {
            memcpy(copy + o, text + i, 12); /* a surrogate pair: one character, for json-c */
            o += 12;
            i += 12;
        } else if (u >= 0xdc80 && u <= 0xdcff) {
            copy[o++] = (char)(u & 0xff); /* a byte that was not UTF-8 */
            i += 6;
        } else {
            memcpy(copy + o, text + i, 6);
            o += 6;
            i += 6;
        }
    }
    copy[o] = 0;
    json_tokener *tok = json_tokener_new();
    json_object *obj = tok ? json_tokener_parse_ex(tok, copy, (int)o) : NULL;
    if (tok && !obj) {
        enum json_tokener_error jerr = json_tokener_get_error(tok);
        snprintf(why, KEN_WHY_LEN, "%s", jerr == json_tokener_continue ? "unexpected end of text"
                                                                       : json_tokener_error_desc(jerr));
    }
    else if (tok && json_tokener_get_parse_end(tok) < o) {
        /* Only whitespace may follow the value. */
        for (size_t k = json_tokener_get_parse_end(tok); k < o && obj; k++)
            if (!strchr(" \t\r\n", copy[k])) {
                snprintf(why, KEN_WHY_LEN, "text after the JSON value");
                json_object_put(obj);
                obj = NULL;
            }
    }
    if (!tok)
        snprintf(why, KEN_WHY_LEN, "out of memory");
    json_tokener_free(tok);
    free(copy);
    return obj;
}
