/* The codec's byte-order helpers are public: see ken/wire.h. This header
 * adds the one place that ends an encoded message. */
#ifndef KEN_OFP_WIRE_H
#define KEN_OFP_WIRE_H

#include "ken/buf.h"
#include "ken/ofp.h"
#include "ken/wire.h"

/* Ends the message that the encoder started at b->data + start: writes its
 * 16-bit length, or, when it is over 65535 bytes (the length would wrap
 * and corrupt the stream), takes it back out of b (b->len = start) and
 * returns KEN_OFPBRC_BAD_LEN. Every encoder ends through here. */
static inline int ofp_msg_finish(struct ken_buf *b, size_t start)
{
    size_t len = b->len - start;
    if (__builtin_expect(len > KEN_OFP_MAX_LEN, 0)) {
        b->len = start;
        return KEN_OFPBRC_BAD_LEN;
    }
    wire_put16(b->data + start + 2, (uint16_t)len);
    return 0;
}

#endif
