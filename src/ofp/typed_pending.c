/* Stand-ins until the pointer-based action and instruction lists land
 * (branch i8-limits): weak, so the real ones replace them. A message with
 * actions or instructions has no typed form until then: decoding it says
 * so (EPROTONOSUPPORT) rather than showing an empty list. */
#include <errno.h>

#include "ken/arena.h"
#include "ofp/fast.h"

__attribute__((weak)) int ken_actions_decode(const uint8_t *p, size_t n, uint8_t version, struct ken_arena *a,
                                             const struct ken_action **acts, size_t *n_acts)
{
    (void)p, (void)version, (void)a;
    *acts = NULL;
    *n_acts = 0;
    return n ? EPROTONOSUPPORT : 0;
}
__attribute__((weak)) int ken_instructions_decode(const uint8_t *p, size_t n, uint8_t version, struct ken_arena *a,
                                                  const struct ken_instruction **inst, size_t *n_inst)
{
    (void)p, (void)version, (void)a;
    *inst = NULL;
    *n_inst = 0;
    return n ? EPROTONOSUPPORT : 0;
}
__attribute__((weak)) int ken_actions_encode(struct ken_buf *b, uint8_t version, const struct ken_action *acts, size_t n)
{
    (void)b, (void)version, (void)acts;
    return n ? EPROTONOSUPPORT : 0;
}
__attribute__((weak)) int ken_instructions_encode(struct ken_buf *b, uint8_t version, const struct ken_instruction *inst,
                                                  size_t n)
{
    (void)b, (void)version, (void)inst;
    return n ? EPROTONOSUPPORT : 0;
}
