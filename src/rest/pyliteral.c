/* pyliteral: JSON and Python literals as json-c objects (pyliteral.h).
 *
 * A recursive-descent parser over the bytes, with a depth limit; every
 * value it has built is released on the first error. */
#include "rest/pyliteral.h"

#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <json-c/json.h>

struct parser {
    const unsigned char *s;
    size_t len, pos;
    int depth;
    char *why;
    bool failed;
};

/* Line and column (from 1, in bytes) of offset. */
static void position(const struct parser *p, size_t offset, unsigned *line, unsigned *col)
{
    *line = *col = 1;
    for (size_t i = 0; i < offset && i < p->len; i++) {
        if (p->s[i] == '\n') {
            ++*line;
            *col = 1;
        } else {
            ++*col;
        }
    }
}

__attribute__((format(printf, 3, 4))) static bool fail(struct parser *p, size_t at, const char *fmt, ...)
{
    if (p->failed)
        return false;
    p->failed = true;
    char what[140]; /* room for the position after it */
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(what, sizeof what, fmt, ap);
    va_end(ap);
    unsigned line, col;
    position(p, at, &line, &col);
    snprintf(p->why, KEN_WHY_LEN, "%s at line %u, column %u", what, line, col);
    return false;
}

static int peek(const struct parser *p) { return p->pos < p->len ? p->s[p->pos] : -1; }
static int peek_at(const struct parser *p, size_t k) { return p->pos + k < p->len ? p->s[p->pos + k] : -1; }

/* White space, # comments, and a backslash that ends a line. */
static void skip_ws(struct parser *p)
{
    while (p->pos < p->len) {
        unsigned char c = p->s[p->pos];
        if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v') {
            p->pos++;
        } else if (c == '#') {
            while (p->pos < p->len && p->s[p->pos] != '\n')
                p->pos++;
        } else if (c == '\\' && (peek_at(p, 1) == '\n' || (peek_at(p, 1) == '\r' && peek_at(p, 2) == '\n'))) {
            p->pos += peek_at(p, 1) == '\n' ? 2 : 3;
        } else {
            break;
        }
    }
}

static bool is_ident_start(int c) { return c == '_' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
static bool is_ident(int c) { return is_ident_start(c) || (c >= '0' && c <= '9'); }
static bool is_quote(int c) { return c == '\'' || c == '"'; }

static int hexval(int c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

/* The text is UTF-8 without NUL (Ryu decodes the body as UTF-8; Python's
 * parser refuses NUL): 0, or the offset of the first bad byte + 1. */
static size_t utf8_check(const unsigned char *s, size_t n)
{
    size_t i = 0;
    while (i < n) {
        unsigned char c = s[i];
        size_t k;
        uint32_t cp, min;
        if (c == 0)
            return i + 1;
        if (c < 0x80) {
            i++;
            continue;
        }
        if ((c & 0xe0) == 0xc0)
            k = 1, cp = c & 0x1f, min = 0x80;
        else if ((c & 0xf0) == 0xe0)
            k = 2, cp = c & 0x0f, min = 0x800;
        else if ((c & 0xf8) == 0xf0)
            k = 3, cp = c & 0x07, min = 0x10000;
        else
            return i + 1;
        for (size_t j = 1; j <= k; j++) {
            if (i + j >= n || (s[i + j] & 0xc0) != 0x80)
                return i + 1;
            cp = cp << 6 | (s[i + j] & 0x3f);
        }
        if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
            return i + 1;
        i += k + 1;
    }
    return 0;
}

/* ---- strings ---- */

struct sbuf {
    char *d;
    size_t n, cap;
};

static bool sbuf_put(struct sbuf *b, const void *data, size_t n)
{
    if (b->n + n + 1 > b->cap) {
        size_t cap = b->cap ? b->cap : 32;
        while (cap < b->n + n + 1)
            cap *= 2;
        char *d = realloc(b->d, cap);
        if (!d)
            return false;
        b->d = d;
        b->cap = cap;
    }
    memcpy(b->d + b->n, data, n);
    b->n += n;
    b->d[b->n] = '\0';
    return true;
}

static bool sbuf_byte(struct sbuf *b, unsigned char c) { return sbuf_put(b, &c, 1); }

static bool sbuf_utf8(struct sbuf *b, uint32_t cp)
{
    unsigned char u[4];
    size_t n;
    if (cp < 0x80)
        u[0] = (unsigned char)cp, n = 1;
    else if (cp < 0x800)
        u[0] = (unsigned char)(0xc0 | cp >> 6), u[1] = (unsigned char)(0x80 | (cp & 0x3f)), n = 2;
    else if (cp < 0x10000)
        u[0] = (unsigned char)(0xe0 | cp >> 12), u[1] = (unsigned char)(0x80 | ((cp >> 6) & 0x3f)),
        u[2] = (unsigned char)(0x80 | (cp & 0x3f)), n = 3;
    else
        u[0] = (unsigned char)(0xf0 | cp >> 18), u[1] = (unsigned char)(0x80 | ((cp >> 12) & 0x3f)),
        u[2] = (unsigned char)(0x80 | ((cp >> 6) & 0x3f)), u[3] = (unsigned char)(0x80 | (cp & 0x3f)), n = 4;
    return sbuf_put(b, u, n);
}

/* n hex digits at the position: the value, or -1. */
static long hex_digits(struct parser *p, int n)
{
    long v = 0;
    for (int i = 0; i < n; i++) {
        int h = hexval(peek_at(p, (size_t)i));
        if (h < 0)
            return -1;
        v = v * 16 + h;
    }
    p->pos += (size_t)n;
    return v;
}

/* A code point of a \u or \U escape, p->pos past it. A surrogate pair
 * written as two \u escapes is one character (JSON's reading); a lone
 * \udc80..\udcff is the byte 0x80..0xff, as ken_ofp_json_parse reads it
 * (Python's surrogateescape); any other lone surrogate is refused. */
static bool unicode_escape(struct parser *p, struct sbuf *b, size_t at, int ndig)
{
    long cp = hex_digits(p, ndig);
    if (cp < 0)
        return fail(p, at, "truncated \\%c escape", ndig == 4 ? 'u' : 'U');
    if (cp > 0x10ffff)
        return fail(p, at, "\\U escape past U+10FFFF");
    if (cp >= 0xd800 && cp <= 0xdbff && peek(p) == '\\' && peek_at(p, 1) == 'u') {
        size_t save = p->pos;
        p->pos += 2;
        long lo = hex_digits(p, 4);
        if (lo >= 0xdc00 && lo <= 0xdfff)
            return sbuf_utf8(b, (uint32_t)(0x10000 + ((cp - 0xd800) << 10) + (lo - 0xdc00))) ||
                   fail(p, at, "out of memory");
        p->pos = save;
    }
    if (cp >= 0xdc80 && cp <= 0xdcff)
        return sbuf_byte(b, (unsigned char)(cp - 0xdc00)) || fail(p, at, "out of memory");
    if (cp >= 0xd800 && cp <= 0xdfff)
        return fail(p, at, "a lone surrogate escape (U+%04lX)", cp);
    return sbuf_utf8(b, (uint32_t)cp) || fail(p, at, "out of memory");
}

/* One quoted string at p->pos (the prefix already read), appended to b. */
static bool string_body(struct parser *p, struct sbuf *b, bool raw, bool bytes)
{
    size_t start = p->pos;
    int q = peek(p);
    bool triple = peek_at(p, 1) == q && peek_at(p, 2) == q;
    p->pos += triple ? 3 : 1;
    for (;;) {
        int c = peek(p);
        if (c < 0)
            return fail(p, start, "unterminated string");
        if (c == q && (!triple || (peek_at(p, 1) == q && peek_at(p, 2) == q))) {
            p->pos += triple ? 3 : 1;
            return true;
        }
        if (c == '\n' && !triple)
            return fail(p, start, "unterminated string (a newline in a one-line string)");
        if (bytes && c >= 0x80)
            return fail(p, p->pos, "a bytes literal holds only ASCII characters");
        if (c != '\\') {
            if (!sbuf_byte(b, (unsigned char)c))
                return fail(p, p->pos, "out of memory");
            p->pos++;
            continue;
        }
        size_t at = p->pos;
        int e = peek_at(p, 1);
        if (e < 0)
            return fail(p, start, "unterminated string");
        if (raw) {
            /* A raw string keeps the backslash and what follows it (which
             * then never ends the string). */
            size_t n = 2;
            if (e >= 0x80)
                n = 1; /* a multi-byte character is copied byte by byte below */
            if (!sbuf_put(b, p->s + p->pos, n))
                return fail(p, at, "out of memory");
            p->pos += n;
            continue;
        }
        p->pos += 2;
        bool ok = true;
        switch (e) {
        case '\n': break; /* the line goes on */
        case '\r':
            if (peek(p) == '\n')
                p->pos++;
            break;
        case '\\': ok = sbuf_byte(b, '\\'); break;
        case '\'': ok = sbuf_byte(b, '\''); break;
        case '"': ok = sbuf_byte(b, '"'); break;
        case '/': ok = sbuf_byte(b, '/'); break; /* JSON's escape */
        case 'a': ok = sbuf_byte(b, '\a'); break;
        case 'b': ok = sbuf_byte(b, '\b'); break;
        case 'f': ok = sbuf_byte(b, '\f'); break;
        case 'n': ok = sbuf_byte(b, '\n'); break;
        case 'r': ok = sbuf_byte(b, '\r'); break;
        case 't': ok = sbuf_byte(b, '\t'); break;
        case 'v': ok = sbuf_byte(b, '\v'); break;
        case 'x': {
            long v = hex_digits(p, 2);
            if (v < 0)
                return fail(p, at, "truncated \\x escape (two hex digits expected)");
            ok = bytes ? sbuf_byte(b, (unsigned char)v) : sbuf_utf8(b, (uint32_t)v);
            break;
        }
        case 'u':
        case 'U':
            if (bytes) { /* not an escape in bytes: kept as written */
                ok = sbuf_put(b, p->s + at, 2);
                break;
            }
            if (!unicode_escape(p, b, at, e == 'u' ? 4 : 8))
                return false;
            break;
        case 'N':
            if (!bytes)
                return fail(p, at, "\\N{...} escapes are not supported");
            ok = sbuf_put(b, p->s + at, 2);
            break;
        default:
            if (e >= '0' && e <= '7') {
                uint32_t v = (uint32_t)(e - '0');
                for (int i = 0; i < 2 && peek(p) >= '0' && peek(p) <= '7'; i++)
                    v = v * 8 + (uint32_t)(p->s[p->pos++] - '0');
                if (bytes && v > 0xff)
                    return fail(p, at, "octal escape past \\377 in a bytes literal");
                ok = bytes ? sbuf_byte(b, (unsigned char)v) : sbuf_utf8(b, v);
            } else if (e >= 0x80) {
                /* Unknown escape: Python keeps the backslash; the
                 * character's bytes follow as ordinary text. */
                p->pos -= 1;
                ok = sbuf_byte(b, '\\');
            } else {
                ok = sbuf_put(b, p->s + at, 2);
            }
        }
        if (!ok)
            return fail(p, at, "out of memory");
    }
}

/* A string literal with its prefix (prefix_len bytes before the quote),
 * then any adjacent ones (Python joins "a" 'b'). */
static bool string_value(struct parser *p, size_t prefix_len, struct json_object **out)
{
    struct sbuf b = {0};
    size_t start = p->pos;
    int kind = -1; /* 0 str, 1 bytes: one literal cannot mix them */
    for (;;) {
        bool raw = false, bytes = false;
        for (size_t i = 0; i < prefix_len; i++) {
            int c = p->s[p->pos + i] | 0x20;
            raw |= c == 'r';
            bytes |= c == 'b';
        }
        if (kind >= 0 && kind != bytes) {
            free(b.d);
            return fail(p, p->pos, "cannot join bytes and text literals");
        }
        kind = bytes;
        p->pos += prefix_len;
        if (!string_body(p, &b, raw, bytes)) {
            free(b.d);
            return false;
        }
        skip_ws(p);
        /* Another literal right after? */
        size_t k = 0;
        while (k < 2 && is_ident(peek_at(p, k)))
            k++;
        if (!is_quote(peek_at(p, k))) {
            break;
        }
        bool prefix_ok = true;
        for (size_t i = 0; i < k; i++) {
            int c = p->s[p->pos + i] | 0x20;
            prefix_ok &= c == 'r' || c == 'u' || c == 'b';
        }
        if (!prefix_ok || (k == 2 && (p->s[p->pos] | 0x20) == (p->s[p->pos + 1] | 0x20)))
            break; /* not a string prefix: the caller reports what follows */
        if (k == 2 && ((p->s[p->pos] | 0x20) == 'u' || (p->s[p->pos + 1] | 0x20) == 'u'))
            break;
        prefix_len = k;
    }
    *out = json_object_new_string_len(b.d ? b.d : "", (int)b.n);
    free(b.d);
    if (!*out)
        return fail(p, start, "out of memory");
    return true;
}

/* ---- numbers ---- */

/* Digits of base (with single underscores between them, and one after a
 * base prefix) into buf without the underscores; false on a misplaced _ */
static bool digits(struct parser *p, int base, bool after_prefix, struct sbuf *buf, size_t *count)
{
    bool prev_digit = after_prefix; /* "0x_1f" is allowed */
    *count = 0;
    for (;;) {
        int c = peek(p);
        int v = hexval(c);
        if (c == '_') {
            if (!prev_digit || hexval(peek_at(p, 1)) < 0 || hexval(peek_at(p, 1)) >= base)
                return fail(p, p->pos, "misplaced '_' in a number");
            prev_digit = false;
            p->pos++;
            continue;
        }
        if (v < 0 || v >= base)
            return true;
        if (!sbuf_byte(buf, (unsigned char)c))
            return fail(p, p->pos, "out of memory");
        prev_digit = true;
        ++*count;
        p->pos++;
    }
}

static bool number_value(struct parser *p, bool negative, size_t start, struct json_object **out)
{
    struct sbuf b = {0};
    size_t nd;
    int base = 10;
    bool is_float = false;
    int c1 = peek_at(p, 1) | 0x20;
    if (peek(p) == '0' && (c1 == 'x' || c1 == 'o' || c1 == 'b')) {
        base = c1 == 'x' ? 16 : c1 == 'o' ? 8 : 2;
        p->pos += 2;
        if (!digits(p, base, true, &b, &nd))
            goto bad;
        if (!nd) {
            fail(p, start, "a base prefix without digits");
            goto bad;
        }
    } else {
        if (!digits(p, 10, false, &b, &nd))
            goto bad;
        if (peek(p) == '.') {
            is_float = true;
            size_t frac;
            if (!sbuf_byte(&b, '.')) {
                fail(p, start, "out of memory");
                goto bad;
            }
            p->pos++;
            if (peek(p) == '_') {
                fail(p, p->pos, "misplaced '_' in a number");
                goto bad;
            }
            if (!digits(p, 10, false, &b, &frac))
                goto bad;
            nd += frac;
        }
        if (!nd) {
            fail(p, start, "a number without digits");
            goto bad;
        }
        if ((peek(p) | 0x20) == 'e') {
            size_t save = p->pos, ed;
            is_float = true;
            if (!sbuf_byte(&b, 'e')) {
                fail(p, start, "out of memory");
                goto bad;
            }
            p->pos++;
            if (peek(p) == '+' || peek(p) == '-') {
                if (!sbuf_byte(&b, (unsigned char)p->s[p->pos])) {
                    fail(p, start, "out of memory");
                    goto bad;
                }
                p->pos++;
            }
            if (!digits(p, 10, false, &b, &ed))
                goto bad;
            if (!ed) {
                fail(p, save, "an exponent without digits");
                goto bad;
            }
        }
    }
    if ((peek(p) | 0x20) == 'j') {
        fail(p, start, "complex numbers are not supported");
        goto bad;
    }
    if (is_ident(peek(p)) || peek(p) == '.') {
        fail(p, p->pos, "unexpected character '%c' in a number", peek(p));
        goto bad;
    }
    if (is_float) {
        errno = 0;
        double d = strtod(b.d, NULL);
        if (!isfinite(d)) {
            fail(p, start, "a number too large for a double");
            goto bad;
        }
        *out = json_object_new_double(negative ? -d : d);
    } else {
        /* Python refuses 007 (but takes 000). */
        if (base == 10 && b.d[0] == '0' && strspn(b.d, "0") != b.n) {
            fail(p, start, "leading zeros in a decimal integer (use 0o for octal)");
            goto bad;
        }
        uint64_t v = 0;
        for (size_t i = 0; i < b.n; i++) {
            uint64_t d = (uint64_t)hexval(b.d[i]);
            if (v > (UINT64_MAX - d) / (uint64_t)base) {
                fail(p, start, "an integer past 64 bits");
                goto bad;
            }
            v = v * (uint64_t)base + d;
        }
        if (negative) {
            if (v > (uint64_t)INT64_MAX + 1) {
                fail(p, start, "an integer past 64 bits");
                goto bad;
            }
            *out = json_object_new_int64(v == (uint64_t)INT64_MAX + 1 ? INT64_MIN : -(int64_t)v);
        } else {
            *out = v > INT64_MAX ? json_object_new_uint64(v) : json_object_new_int64((int64_t)v);
        }
    }
    free(b.d);
    return *out ? true : fail(p, start, "out of memory");
bad:
    free(b.d);
    return false;
}

/* ---- values ---- */

static bool value(struct parser *p, struct json_object **out);

/* Elements up to the closing bracket into array a (a list, a tuple or a
 * set; a tuple's first element and comma may already be in). */
static bool elements(struct parser *p, struct json_object *a, int close)
{
    for (;;) {
        skip_ws(p);
        if (peek(p) == close) {
            p->pos++;
            return true;
        }
        struct json_object *v;
        if (!value(p, &v))
            return false;
        if (json_object_array_add(a, v)) {
            json_object_put(v);
            return fail(p, p->pos, "out of memory");
        }
        skip_ws(p);
        if (peek(p) == ',') {
            p->pos++;
            continue;
        }
        if (peek(p) == close) {
            p->pos++;
            return true;
        }
        if (peek(p) < 0)
            return fail(p, p->pos, "the text ends inside a list");
        return fail(p, p->pos, "',' or '%c' expected", close);
    }
}

/* A dict whose first key k (a string) is read, the ':' after it next. */
static bool dict_rest(struct parser *p, struct json_object *obj, struct json_object *k, size_t key_at)
{
    for (;;) {
        if (json_object_get_type(k) != json_type_string) {
            json_object_put(k);
            return fail(p, key_at, "a dict key must be a string");
        }
        if (strlen(json_object_get_string(k)) != (size_t)json_object_get_string_len(k)) {
            json_object_put(k);
            return fail(p, key_at, "a dict key holds a NUL character");
        }
        skip_ws(p);
        if (peek(p) != ':') {
            json_object_put(k);
            return fail(p, p->pos, "':' expected after a dict key");
        }
        p->pos++;
        struct json_object *v;
        if (!value(p, &v)) {
            json_object_put(k);
            return false;
        }
        int rc = json_object_object_add(obj, json_object_get_string(k), v);
        json_object_put(k);
        if (rc) {
            json_object_put(v);
            return fail(p, p->pos, "out of memory");
        }
        skip_ws(p);
        if (peek(p) == ',') {
            p->pos++;
            skip_ws(p);
        } else if (peek(p) != '}') {
            if (peek(p) < 0)
                return fail(p, p->pos, "the text ends inside a dict");
            return fail(p, p->pos, "',' or '}' expected");
        }
        if (peek(p) == '}') {
            p->pos++;
            return true;
        }
        key_at = p->pos;
        if (!value(p, &k))
            return false;
    }
}

/* '{': a dict, or a set (an array). */
static bool brace(struct parser *p, struct json_object **out)
{
    p->pos++;
    skip_ws(p);
    if (peek(p) == '}') {
        p->pos++;
        return (*out = json_object_new_object()) ? true : fail(p, p->pos, "out of memory");
    }
    size_t first_at = p->pos;
    struct json_object *first;
    if (!value(p, &first))
        return false;
    skip_ws(p);
    if (peek(p) == ':') {
        struct json_object *obj = json_object_new_object();
        if (!obj) {
            json_object_put(first);
            return fail(p, first_at, "out of memory");
        }
        if (!dict_rest(p, obj, first, first_at)) {
            json_object_put(obj);
            return false;
        }
        *out = obj;
        return true;
    }
    struct json_object *a = json_object_new_array();
    if (!a || json_object_array_add(a, first)) {
        json_object_put(first);
        json_object_put(a);
        return fail(p, first_at, "out of memory");
    }
    if (peek(p) == ',')
        p->pos++;
    else if (peek(p) != '}') {
        json_object_put(a);
        return fail(p, p->pos, "',', ':' or '}' expected");
    }
    if (!elements(p, a, '}')) {
        json_object_put(a);
        return false;
    }
    *out = a;
    return true;
}

/* '(': a tuple (an array), or a value in parentheses. */
static bool paren(struct parser *p, struct json_object **out)
{
    size_t open = p->pos++;
    skip_ws(p);
    if (peek(p) == ')') {
        p->pos++;
        return (*out = json_object_new_array()) ? true : fail(p, open, "out of memory");
    }
    struct json_object *first;
    if (!value(p, &first))
        return false;
    skip_ws(p);
    if (peek(p) == ')') {
        p->pos++;
        *out = first;
        return true;
    }
    if (peek(p) != ',') {
        json_object_put(first);
        return fail(p, p->pos, peek(p) < 0 ? "the text ends inside a tuple" : "',' or ')' expected");
    }
    p->pos++;
    struct json_object *a = json_object_new_array();
    if (!a || json_object_array_add(a, first)) {
        json_object_put(first);
        json_object_put(a);
        return fail(p, open, "out of memory");
    }
    if (!elements(p, a, ')')) {
        json_object_put(a);
        return false;
    }
    *out = a;
    return true;
}

static bool value(struct parser *p, struct json_object **out)
{
    *out = NULL;
    skip_ws(p);
    size_t start = p->pos;
    int c = peek(p);
    if (c < 0)
        return fail(p, start, "a value expected, the text ends");
    if (c == '{' || c == '[' || c == '(') {
        if (p->depth >= PYLITERAL_MAX_DEPTH)
            return fail(p, start, "nested deeper than %d", PYLITERAL_MAX_DEPTH);
        p->depth++;
        bool ok;
        if (c == '{') {
            ok = brace(p, out);
        } else if (c == '(') {
            ok = paren(p, out);
        } else {
            p->pos++;
            struct json_object *a = json_object_new_array();
            ok = a ? elements(p, a, ']') : fail(p, start, "out of memory");
            if (ok)
                *out = a;
            else
                json_object_put(a);
        }
        p->depth--;
        return ok;
    }
    if (is_quote(c))
        return string_value(p, 0, out);
    if (c == '+' || c == '-') {
        p->pos++;
        skip_ws(p);
        int d = peek(p);
        if (!((d >= '0' && d <= '9') || (d == '.' && peek_at(p, 1) >= '0' && peek_at(p, 1) <= '9')))
            return fail(p, start, "a sign is allowed before a number only");
        return number_value(p, c == '-', start, out);
    }
    if ((c >= '0' && c <= '9') || (c == '.' && peek_at(p, 1) >= '0' && peek_at(p, 1) <= '9'))
        return number_value(p, false, start, out);
    if (is_ident_start(c)) {
        size_t n = 0;
        while (is_ident(peek_at(p, n)))
            n++;
        const char *w = (const char *)p->s + p->pos;
        if (n <= 2 && is_quote(peek_at(p, n))) {
            bool ok = true;
            for (size_t i = 0; i < n; i++) {
                int l = w[i] | 0x20;
                ok &= l == 'r' || l == 'u' || l == 'b';
            }
            if (n == 2)
                ok &= (w[0] | 0x20) != (w[1] | 0x20) && (w[0] | 0x20) != 'u' && (w[1] | 0x20) != 'u';
            if (ok)
                return string_value(p, n, out);
            return fail(p, start, "'%.*s' is not a string prefix (f-strings are not literals)", (int)n, w);
        }
#define WORD(s) (n == sizeof(s) - 1 && !memcmp(w, s, n))
        if (WORD("True") || WORD("true")) {
            p->pos += n;
            return (*out = json_object_new_boolean(1)) ? true : fail(p, start, "out of memory");
        }
        if (WORD("False") || WORD("false")) {
            p->pos += n;
            return (*out = json_object_new_boolean(0)) ? true : fail(p, start, "out of memory");
        }
        if (WORD("None") || WORD("null")) {
            p->pos += n;
            return true;
        }
#undef WORD
        return fail(p, start, "unknown name '%.*s' (only True, False, None, true, false, null)", n > 40 ? 40 : (int)n,
                    w);
    }
    if (c >= 0x20 && c < 0x7f)
        return fail(p, start, "unexpected character '%c'", c);
    return fail(p, start, "unexpected byte 0x%02x", (unsigned)c);
}

bool pyliteral_parse(const char *text, size_t len, struct json_object **out, char why[KEN_WHY_LEN])
{
    struct parser p = {.s = (const unsigned char *)text, .len = len, .why = why};
    *out = NULL;
    why[0] = '\0';
    size_t bad = utf8_check(p.s, len);
    if (bad)
        return fail(&p, bad - 1, p.s[bad - 1] ? "the text is not UTF-8" : "a NUL byte in the text");
    struct json_object *v;
    if (!value(&p, &v))
        return false;
    skip_ws(&p);
    if (p.pos < len) {
        json_object_put(v);
        return fail(&p, p.pos, "unexpected text after the value");
    }
    *out = v;
    return true;
}
