/* Packet-out and packet-in "data": decoding gives base64 text; encoding
 * takes base64 text or OS-Ken's packet library JSON,
 *   {"Packet": {"protocols": [{"ethernet": {...}}, {"ipv4": {...}}, ...]}},
 * which the packet library (ken/packet.h) builds as OS-Ken's
 * Packet.serialize() does. */
#include "ofp/packet_json.h"

#include <errno.h>

#include "ken/packet.h"

static int pj_dec(struct dctx *d, size_t end, const struct ofp_field *f, json_object *obj)
{
    json_object_object_add(obj, f->name, ofp_json_base64(d->p + d->pos, end - d->pos));
    d->pos = end;
    return 0;
}

static int pj_enc(struct ectx *e, const struct ofp_field *f, json_object *obj)
{
    json_object *v = NULL;
    if (!json_object_object_get_ex(obj, f->name, &v) || json_object_is_type(v, json_type_null))
        return 0;
    if (json_object_is_type(v, json_type_string))
        return ofp_json_put_base64(e, v, f->name);
    json_object *packet = NULL;
    if (!json_object_is_type(v, json_type_object) || !json_object_object_get_ex(v, "Packet", &packet))
        return EFAIL(e, EINVAL, "type error: \"%s\" must be base64 text or {\"Packet\": {...}}", f->name);
    int err = ken_pkt_from_json(packet, e->b, e->why);
    /* JSON of the wrong shape stays a type error; a packet that cannot be
     * built (unknown protocol, no IP layer for a checksum) is a bad length,
     * as the codec's other unbuildable data */
    return err == EINVAL || err == ERANGE || !err ? err : KEN_OFPBRC_BAD_LEN;
}

const struct ofp_custom ofp_packet_data = {pj_dec, pj_enc, NULL, false};
