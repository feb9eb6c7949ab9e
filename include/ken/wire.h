/* Byte order lives here and nowhere else: every read or write of a
 * multi-byte wire field goes through these helpers. memcpy plus a byte swap
 * compiles to one load or store and one bswap (or movbe). */
#ifndef KEN_WIRE_H
#define KEN_WIRE_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#if __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
#define KEN_BE16(x) __builtin_bswap16(x)
#define KEN_BE32(x) __builtin_bswap32(x)
#define KEN_BE64(x) __builtin_bswap64(x)
#else
#define KEN_BE16(x) (x)
#define KEN_BE32(x) (x)
#define KEN_BE64(x) (x)
#endif

static inline uint16_t wire_get16(const uint8_t *p)
{
    uint16_t v;
    memcpy(&v, p, 2);
    return KEN_BE16(v);
}
static inline uint32_t wire_get32(const uint8_t *p)
{
    uint32_t v;
    memcpy(&v, p, 4);
    return KEN_BE32(v);
}
static inline uint64_t wire_get64(const uint8_t *p)
{
    uint64_t v;
    memcpy(&v, p, 8);
    return KEN_BE64(v);
}
static inline uint64_t wire_getn(const uint8_t *p, unsigned n)
{
    uint64_t v = 0;
    for (unsigned i = 0; i < n; i++)
        v = v << 8 | p[i];
    return v;
}
static inline void wire_put16(uint8_t *p, uint16_t v)
{
    v = KEN_BE16(v);
    memcpy(p, &v, 2);
}
static inline void wire_put32(uint8_t *p, uint32_t v)
{
    v = KEN_BE32(v);
    memcpy(p, &v, 4);
}
static inline void wire_put64(uint8_t *p, uint64_t v)
{
    v = KEN_BE64(v);
    memcpy(p, &v, 8);
}
static inline void wire_putn(uint8_t *p, uint64_t v, unsigned n)
{
    for (unsigned i = n; i-- > 0; v >>= 8)
        p[i] = (uint8_t)v;
}

#endif
