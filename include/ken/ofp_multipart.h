/* Reassembly of multipart replies (OpenFlow 1.3-1.5) and statistics replies
 * (1.0, 1.2) that a switch splits into several messages of one xid, all but
 * the last carrying the REPLY_MORE flag.
 *
 * Feed the parts in the order they arrive; ken_mp_collect_feed() says when
 * the last one is in. Then take either the concatenated bodies (the bytes
 * after each part's multipart header) or the JSON of the merged reply: the
 * first part's OS-Ken JSON whose "body" list holds the entries of all parts
 * in order, with the flags of the last part - what an OS-Ken application
 * builds when it collects ev.msg.body over the parts.
 *
 * Memory is bounded: the bodies and the bookkeeping of the parts may not
 * exceed the cap given at creation. Any error (a part that is not a reply,
 * another version, xid, multipart type or experimenter than the first part,
 * a part after the last, the cap) discards what was collected, so the
 * collector is ready for a new reply. */
#ifndef KEN_OFP_MULTIPART_H
#define KEN_OFP_MULTIPART_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ken/ofp.h"

/* OFPMPF_REPLY_MORE (1.3+) and OFPSF_REPLY_MORE (1.0, 1.2). */
#define KEN_MP_REPLY_MORE 0x0001
/* The cap used when ken_mp_collect_new() is given 0. */
#define KEN_MP_DEFAULT_MAX_BYTES (16u << 20)

struct ken_mp_collect;
struct json_object;

/* A new, empty collector holding at most max_bytes (0: the default). */
struct ken_mp_collect *ken_mp_collect_new(size_t max_bytes);
void ken_mp_collect_free(struct ken_mp_collect *c);
/* Discards what was collected; the cap stays. */
void ken_mp_collect_reset(struct ken_mp_collect *c);

/* Adds one reply message (header included, n bytes available). On success
 * *done tells whether it was the last part. Errors:
 *   OFPBRC_BAD_LEN        the message is shorter than its headers
 *   OFPBRC_BAD_TYPE       not a statistics/multipart reply
 *   OFPBRC_BAD_VERSION    a version ken does not speak
 *   OFPBRC_BAD_MULTIPART  another version, xid, multipart type or
 *                         experimenter than the first part, or a part after
 *                         the last
 *   ENOBUFS               the cap would be exceeded
 * and why holds a one-line reason. After an error the collector is empty. */
int ken_mp_collect_feed(struct ken_mp_collect *c, const uint8_t *msg, size_t n, bool *done, char why[KEN_WHY_LEN]);

/* True once the last part has been fed. */
bool ken_mp_collect_done(const struct ken_mp_collect *c);
/* The number of parts fed so far. */
size_t ken_mp_collect_parts(const struct ken_mp_collect *c);

/* The bodies of all parts fed so far, concatenated (NULL when empty). The
 * pointer stays valid until the next feed, reset or free. */
const uint8_t *ken_mp_collect_body(const struct ken_mp_collect *c, size_t *len);

/* The merged reply as a new JSON object (see above). Fails with EAGAIN
 * before the last part, with a decoding error of a part, and with
 * OFPBRC_BAD_MULTIPART when the body of this reply type is a single
 * structure (as for desc or aggregate) and several parts came. */
int ken_mp_collect_json(const struct ken_mp_collect *c, struct json_object **out, char why[KEN_WHY_LEN]);

#endif
