/* Byte order lives here and nowhere else: every read or write of a
 * multi-byte wire field goes through these helpers. */
#ifndef KEN_OFP_WIRE_H
#define KEN_OFP_WIRE_H

#include <stdint.h>
#include <string.h>

static inline uint16_t wire_get16(const uint8_t *p) { return (uint16_t)(p[0] << 8 | p[1]); }
static inline uint32_t wire_get32(const uint8_t *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}
static inline uint64_t wire_get64(const uint8_t *p) { return (uint64_t)wire_get32(p) << 32 | wire_get32(p + 4); }
static inline uint64_t wire_getn(const uint8_t *p, unsigned n)
{
    uint64_t v = 0;
    for (unsigned i = 0; i < n; i++)
        v = v << 8 | p[i];
    return v;
}
static inline void wire_put16(uint8_t *p, uint16_t v) { p[0] = (uint8_t)(v >> 8); p[1] = (uint8_t)v; }
static inline void wire_put32(uint8_t *p, uint32_t v)
{
    p[0] = (uint8_t)(v >> 24); p[1] = (uint8_t)(v >> 16); p[2] = (uint8_t)(v >> 8); p[3] = (uint8_t)v;
}
static inline void wire_put64(uint8_t *p, uint64_t v) { wire_put32(p, (uint32_t)(v >> 32)); wire_put32(p + 4, (uint32_t)v); }
static inline void wire_putn(uint8_t *p, uint64_t v, unsigned n)
{
    for (unsigned i = n; i-- > 0; v >>= 8)
        p[i] = (uint8_t)v;
}

#endif
