/* ken's OpenFlow wire codec: framing, and conversion between wire bytes and
 * OS-Ken's to_jsondict() JSON shape for every message of OpenFlow 1.0 and
 * 1.2 to 1.5. The fast C-struct codec for hot-path messages is in
 * ken/ofp_msg.h. */
#ifndef KEN_OFP_H
#define KEN_OFP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ken/buf.h"
#include "ken/ofp_errors.h"

enum ken_ofp_version {
    KEN_OFP10 = 1,
    KEN_OFP11 = 2,
    KEN_OFP12 = 3,
    KEN_OFP13 = 4,
    KEN_OFP14 = 5,
    KEN_OFP15 = 6,
};

#define KEN_OFP_HEADER_LEN 8
#define KEN_OFP_MAX_LEN 65535
/* Room for a one-line reason that a decoder or encoder gives with an error. */
#define KEN_WHY_LEN 192

struct ken_ofp_header {
    uint8_t version;
    uint8_t type;
    uint16_t length;
    uint32_t xid;
};

struct json_object;

/* "1.3" for KEN_OFP13; "?" for an unknown version. */
const char *ken_ofp_version_name(uint8_t version);
/* True for the versions ken speaks: 1.0, 1.2, 1.3, 1.4, 1.5. */
static inline int ken_ofp_version_supported(uint8_t version)
{
    return version == KEN_OFP10 || (version >= KEN_OFP12 && version <= KEN_OFP15);
}

/* Reads the 8-byte header. Fails with OFPBRC_BAD_LEN when fewer than 8 bytes
 * are given or the length field is below 8 (a framing error). */
int ken_ofp_header_parse(const uint8_t *p, size_t n, struct ken_ofp_header *h);

/* Decodes one message (header included) into OS-Ken JSON: a new object
 * {"OFPClassName": {...}}. n may exceed the header's length (the rest is
 * ignored); when n is shorter the message is truncated, and the result is
 * {"OFPTruncatedMessage": {...partial...}} with KEN_OFPBRC_BAD_LEN returned.
 * On any other error *out is NULL and why holds a one-line reason. */
int ken_ofp_to_json(const uint8_t *p, size_t n, struct json_object **out, char why[KEN_WHY_LEN]);

/* The checks of ken_ofp_to_json without building JSON: 0 when the n bytes
 * start with one whole valid message, else the same error and reason
 * (a truncated message is KEN_OFPBRC_BAD_LEN). */
int ken_ofp_validate(const uint8_t *p, size_t n, char why[KEN_WHY_LEN]);

/* Encodes OS-Ken JSON {"OFPClassName": {...}} as one message of the given
 * wire version, appended to out. Lengths missing from the JSON are
 * computed; the xid is the top-level "xid" key if present, else 0. A field
 * left out takes OS-Ken's constructor default (a flow-stats request asks
 * for all tables, OFPP_ANY, OFPG_ANY). A key the structure does not have,
 * a value of the wrong JSON type or out of range is refused: EINVAL or
 * ERANGE, with the key and the cause in why (the bytes never reached a
 * wire, so no OpenFlow error); an OFPERR code when the message itself is
 * malformed. */
int ken_ofp_from_json(struct json_object *obj, uint8_t version, struct ken_buf *out, char why[KEN_WHY_LEN]);

/* Whether the message's sender may send it: a switch (from_switch) never
 * sends a controller-to-switch message (flow-mod, packet-out, set-config,
 * any request, a multipart request included), a controller never a
 * switch-to-controller one (packet-in, port-status, any reply, a
 * multipart reply included); hello, echo, error, experimenter/vendor and
 * (1.4+) bundle-control go either way. Reads the 8-byte header only.
 * Returns 0; KEN_OFPBRC_BAD_TYPE for the wrong sender or a type the
 * version does not have; KEN_OFPBRC_BAD_VERSION for a version ken does not
 * speak; KEN_OFPBRC_BAD_LEN below 8 bytes. A controller answers a switch's
 * BAD_TYPE with an OFPT_ERROR (OFPBRC_BAD_TYPE), as for an unknown type. */
int ken_ofp_check_sender(const uint8_t *msg, size_t len, bool from_switch);

/* Parses JSON text for ken_ofp_from_json: json-c's parser, except that a
 * lone surrogate escape \udc80 to \udcff (how ken_ofp_to_json writes a
 * byte of a text field that is not UTF-8, as Python's surrogateescape
 * does) gives back that byte, so decode -> JSON text -> encode returns the
 * wire bytes. (json-c alone turns such an escape into U+FFFD.) NULL when
 * the text is not one JSON value; why says why. */
struct json_object *ken_ofp_json_parse(const char *text, size_t len, char why[KEN_WHY_LEN]);

/* The OS-Ken class name of a message ("OFPPacketIn"), NULL if unknown. */
const char *ken_ofp_msg_class(const uint8_t *p, size_t n);

/* The description's name of a multipart type ("FLOW", "PORT_STATS"),
 * spelled as in 1.3 for every version; NULL where the version has no
 * such type (ken_ofp_type_name, ken/datapath.h, names message types). */
const char *ken_ofp_mp_type_name(uint8_t version, uint16_t mp);

/* Calls fn once for every message class name the codec knows (each name
 * once, whatever the versions), e.g. to register EventOFP<Name> classes. */
void ken_ofp_foreach_msg_class(void (*fn)(const char *cls, void *arg), void *arg);

#endif
