/* What the rest and rest_tunnel apps share: Ryu's path requirements, the
 * parsing of what they let through, and errno -> HTTP status. */
#ifndef KEN_APPS_REST_COMMON_H
#define KEN_APPS_REST_COMMON_H

#include <errno.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Ryu's dpid_lib.DPID_PATTERN and wsgi.DIGIT_PATTERN. */
#define REST_DPID_PATTERN "[0-9a-f]{16}"
#define REST_DIGIT_PATTERN "[1-9][0-9]*"

/* len hex digits (the requirement checked them; rechecked here so that
 * a route without the requirement cannot misparse): 0 or EINVAL. */
static inline int rest_parse_dpid(const char *s, size_t len, uint64_t *out)
{
    if (!s || len == 0 || len > 16)
        return EINVAL;
    uint64_t v = 0;
    for (size_t i = 0; i < len; i++) {
        char c = s[i];
        unsigned d = c >= '0' && c <= '9' ? (unsigned)(c - '0') : c >= 'a' && c <= 'f' ? (unsigned)(c - 'a' + 10) : 16;
        if (d > 15)
            return EINVAL;
        v = v << 4 | d;
    }
    *out = v;
    return 0;
}

/* A whole string of decimal digits that fits 32 bits: 0 or EINVAL (empty,
 * not a digit, or past UINT32_MAX). */
static inline int rest_parse_u32(const char *s, uint32_t *out)
{
    if (!s || !*s)
        return EINVAL;
    uint64_t v = 0;
    for (; *s; s++) {
        if (*s < '0' || *s > '9')
            return EINVAL;
        v = v * 10 + (uint64_t)(*s - '0');
        if (v > UINT32_MAX)
            return EINVAL;
    }
    *out = (uint32_t)v;
    return 0;
}

/* Client text echoed in an error message, made safe for the JSON body:
 * printable ASCII kept, anything else '?', cut to fit out. */
static inline const char *rest_echo(const char *s, char *out, size_t len)
{
    size_t i = 0;
    for (; s && s[i] && i + 1 < len; i++)
        out[i] = s[i] >= 0x20 && s[i] < 0x7f ? s[i] : '?';
    out[i] = '\0';
    return out;
}

/* The services' errnos (ken/network.h, ken/tunnels.h) as HTTP statuses:
 * malformed 400, not found 404, conflicts 409 (where Ryu answered 500 for
 * some of them: a different MAC or remote dpid on PUT, the reserved
 * network id on PUT). */
static inline int rest_status(int err)
{
    switch (err) {
    case 0: return 200;
    case EINVAL: return 400;
    case ENOENT:
    case ENXIO: return 404;
    case EEXIST:
    case EADDRINUSE:
    case EBUSY: return 409;
    default: return 500;
    }
}

#endif
