/* Byte swapping of stats records for the codec's fast paths; x86 SIMD
 * stays here, out of the portable public ken/wire.h. */
#ifndef KEN_OFP_SWAP64_H
#define KEN_OFP_SWAP64_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "ken/wire.h"

/* Records of n consecutive 64-bit fields (stats counters): for each of
 * count records, dst[k] = the big-endian u64 at src + 8k, k < n (and the
 * reverse: byte swapping is its own inverse). With SSSE3 (checked at run
 * time) two fields take one byte shuffle. */
static inline void wire_swap64_one(uint8_t *dst, const uint8_t *src)
{
    uint64_t v;
    memcpy(&v, src, 8);
    v = KEN_BE64(v);
    memcpy(dst, &v, 8);
}

static inline void wire_swap64_records_scalar(void *dst, size_t dst_stride, const void *src, size_t src_stride,
                                              size_t count, size_t n)
{
    for (size_t r = 0; r < count; r++)
        for (size_t k = 0; k < n; k++)
            wire_swap64_one((uint8_t *)dst + r * dst_stride + 8 * k, (const uint8_t *)src + r * src_stride + 8 * k);
}

#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__)) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
#define KEN_WIRE_SSSE3 1
#include <immintrin.h>
__attribute__((target("ssse3"))) static inline void wire_swap64_records_ssse3(void *dst, size_t dst_stride,
                                                                              const void *src, size_t src_stride,
                                                                              size_t count, size_t n)
{
    const __m128i rev = _mm_setr_epi8(7, 6, 5, 4, 3, 2, 1, 0, 15, 14, 13, 12, 11, 10, 9, 8);
    for (size_t r = 0; r < count; r++) {
        uint8_t *d = (uint8_t *)dst + r * dst_stride;
        const uint8_t *s = (const uint8_t *)src + r * src_stride;
        size_t k = 0;
        for (; k + 2 <= n; k += 2)
            _mm_storeu_si128((__m128i *)(void *)(d + 8 * k),
                             _mm_shuffle_epi8(_mm_loadu_si128((const __m128i *)(const void *)(s + 8 * k)), rev));
        if (k < n)
            wire_swap64_one(d + 8 * k, s + 8 * k);
    }
}
#endif

static inline void wire_swap64_records(void *dst, size_t dst_stride, const void *src, size_t src_stride,
                                       size_t count, size_t n)
{
#ifdef KEN_WIRE_SSSE3
    if (__builtin_cpu_supports("ssse3")) {
        wire_swap64_records_ssse3(dst, dst_stride, src, src_stride, count, n);
        return;
    }
#endif
    wire_swap64_records_scalar(dst, dst_stride, src, src_stride, count, n);
}

#endif
