/* Packet-out data in OS-Ken's packet library JSON, encoded to a frame.
 * Layers are built from the last to the first, as OS-Ken does: each layer
 * sees the bytes that follow it (its payload) and the layer before it
 * (an IP header supplies the pseudo-header for TCP, UDP and ICMPv6). */
#include "ofp/packet_json.h"

#include <arpa/inet.h>
#include <errno.h>
#include <string.h>

#include "ofp/wire.h"

#define ETH_MIN_PAYLOAD 46

struct layer {
    const char *name;   /* "ipv4", ...; NULL for raw bytes */
    json_object *body;
};

/* ---- small readers with OS-Ken's defaults ---- */

static int pj_uint(struct ectx *e, json_object *body, const char *key, uint64_t max, uint64_t def, uint64_t *v)
{
    *v = def;
    int r = ofp_json_get_uint(e, body, key, max, v);
    return r < 0 ? -r : 0;
}

static int pj_addr(struct ectx *e, json_object *body, const char *key, int af, const char *def, uint8_t *out)
{
    json_object *v = NULL;
    const char *s = def;
    if (json_object_object_get_ex(body, key, &v) && !json_object_is_type(v, json_type_null)) {
        if (!json_object_is_type(v, json_type_string))
            return EFAIL(e, EINVAL, "type error: packet: \"%s\" must be a string", key);
        s = json_object_get_string(v);
    }
    int bad = af == AF_PACKET ? ofp_parse_mac(s, out) : inet_pton(af, s, out) != 1;
    return bad ? EFAIL(e, EINVAL, "type error: packet: \"%s\" is not an address: %s", key, s) : 0;
}

/* Optional bytes given as base64 ("option", raw "data"); null or absent is none. */
static int pj_bytes(struct ectx *e, json_object *body, const char *key)
{
    json_object *v = NULL;
    if (!json_object_object_get_ex(body, key, &v) || json_object_is_type(v, json_type_null))
        return 0;
    return ofp_json_put_base64(e, v, key);
}

/* ---- checksums ---- */

static uint32_t sum16(uint32_t acc, const uint8_t *p, size_t n)
{
    for (size_t i = 0; i + 1 < n; i += 2)
        acc += wire_get16(p + i);
    if (n % 2)
        acc += (uint32_t)p[n - 1] << 8;
    return acc;
}

static uint16_t sum_fold(uint32_t acc)
{
    while (acc >> 16)
        acc = (acc & 0xffff) + (acc >> 16);
    return (uint16_t)~acc;
}

/* The transport checksum over the IP pseudo-header of prev, then hdr and payload. */
static int pj_checksum_ip(struct ectx *e, const struct layer *prev, size_t length, const struct ken_buf *hdr,
                          const struct ken_buf *payload, uint16_t *out)
{
    uint8_t pseudo[40];
    size_t n;
    uint64_t proto;
    if (!prev || !prev->name || (strcmp(prev->name, "ipv4") && strcmp(prev->name, "ipv6")))
        return EFAIL(e, KEN_OFPBRC_BAD_LEN, "packet: a checksum of 0 needs an IP layer before it");
    bool v4 = !strcmp(prev->name, "ipv4");
    int af = v4 ? AF_INET : AF_INET6;
    size_t alen = v4 ? 4 : 16;
    if (pj_addr(e, prev->body, "src", af, v4 ? "10.0.0.1" : "10::10", pseudo) ||
        pj_addr(e, prev->body, "dst", af, v4 ? "10.0.0.2" : "20::20", pseudo + alen) ||
        pj_uint(e, prev->body, v4 ? "proto" : "nxt", 255, v4 ? 0 : 6, &proto))
        return EINVAL; /* the why names the key and the cause */
    if (v4) {
        pseudo[8] = 0;
        pseudo[9] = (uint8_t)proto;
        wire_put16(pseudo + 10, (uint16_t)length);
        n = 12;
    } else {
        wire_put32(pseudo + 32, (uint32_t)length);
        memset(pseudo + 36, 0, 3);
        pseudo[39] = (uint8_t)proto;
        n = 40;
    }
    /* hdr has an even length wherever this is called, so the halves sum apart */
    uint32_t acc = sum16(sum16(sum16(0, pseudo, n), hdr->data, hdr->len), payload->data, payload->len);
    *out = sum_fold(acc);
    return 0;
}

/* ---- layers: each appends its header to h->b ---- */

typedef int (*layer_fn)(struct ectx *h, json_object *body, struct ken_buf *payload, const struct layer *prev);

static const struct ofp_field ethernet_fields[] = {F_MAC("dst"), F_MAC("src"), F_DEF(2, "ethertype", 0x0800), F_END};
static const struct ofp_desc ethernet_desc = {NULL, ethernet_fields, 0, 0};

/* OS-Ken's MAC defaults are broadcast, where the interpreter's are zero. */
static void pj_default_broadcast(json_object *body, const char *key, uint8_t *mac)
{
    if (!json_object_object_get_ex(body, key, NULL))
        memset(mac, 0xff, 6);
}

static int pj_ethernet(struct ectx *h, json_object *body, struct ken_buf *payload, const struct layer *prev)
{
    (void)prev;
    if (payload->len < ETH_MIN_PAYLOAD)
        ken_buf_put_zeros(payload, ETH_MIN_PAYLOAD - payload->len);
    size_t at = h->b->len;
    int err = ofp_enc_struct(h, &ethernet_desc, body);
    if (!err)
        pj_default_broadcast(body, "dst", h->b->data + at);
    return err;
}

static int pj_vlan_tag(struct ectx *h, json_object *body, uint64_t def_type)
{
    uint64_t pcp, cfi, vid, type;
    if (pj_uint(h, body, "pcp", 7, 0, &pcp) || pj_uint(h, body, "cfi", 1, 0, &cfi) ||
        pj_uint(h, body, "vid", 0xfff, 0, &vid) || pj_uint(h, body, "ethertype", 0xffff, def_type, &type))
        return EINVAL; /* the why names the key and the cause */
    ken_buf_put16(h->b, (uint16_t)(pcp << 13 | cfi << 12 | vid));
    ken_buf_put16(h->b, (uint16_t)type);
    return 0;
}

static int pj_vlan(struct ectx *h, json_object *body, struct ken_buf *payload, const struct layer *prev)
{
    (void)payload, (void)prev;
    return pj_vlan_tag(h, body, 0x0800);
}

static int pj_svlan(struct ectx *h, json_object *body, struct ken_buf *payload, const struct layer *prev)
{
    (void)payload, (void)prev;
    return pj_vlan_tag(h, body, 0x8100);
}

static int pj_ipv4(struct ectx *h, json_object *body, struct ken_buf *payload, const struct layer *prev)
{
    (void)prev;
    uint64_t version, hlen, tos, total, id, flags, offset, ttl, proto;
    if (pj_uint(h, body, "version", 15, 4, &version) || pj_uint(h, body, "header_length", 15, 5, &hlen) ||
        pj_uint(h, body, "tos", 255, 0, &tos) || pj_uint(h, body, "total_length", 0xffff, 0, &total) ||
        pj_uint(h, body, "identification", 0xffff, 0, &id) || pj_uint(h, body, "flags", 7, 0, &flags) ||
        pj_uint(h, body, "offset", 0x1fff, 0, &offset) || pj_uint(h, body, "ttl", 255, 255, &ttl) ||
        pj_uint(h, body, "proto", 255, 0, &proto))
        return EINVAL; /* the why names the key and the cause */
    size_t start = h->b->len, size = hlen * 4;
    if (size < 20)
        return EFAIL(h, KEN_OFPBRC_BAD_LEN, "packet: ipv4 header_length %u is below 5", (unsigned)hlen);
    if (!total)
        total = size + payload->len;
    uint8_t *p = ken_buf_put_zeros(h->b, 20);
    p[0] = (uint8_t)(version << 4 | hlen);
    p[1] = (uint8_t)tos;
    wire_put16(p + 2, (uint16_t)total);
    wire_put16(p + 4, (uint16_t)id);
    wire_put16(p + 6, (uint16_t)(flags << 13 | offset));
    p[8] = (uint8_t)ttl;
    p[9] = (uint8_t)proto;
    if (pj_addr(h, body, "src", AF_INET, "10.0.0.1", h->b->data + start + 12) ||
        pj_addr(h, body, "dst", AF_INET, "10.0.0.2", h->b->data + start + 16) || pj_bytes(h, body, "option"))
        return EINVAL; /* the why names the key and the cause */
    if (h->b->len - start > size)
        return EFAIL(h, KEN_OFPBRC_BAD_LEN, "packet: ipv4 option does not fit header_length %u", (unsigned)hlen);
    ken_buf_put_zeros(h->b, size - (h->b->len - start));
    /* OS-Ken recomputes the header checksum whatever "csum" says */
    wire_put16(h->b->data + start + 10, sum_fold(sum16(0, h->b->data + start, size)));
    return 0;
}

static int pj_ipv6(struct ectx *h, json_object *body, struct ken_buf *payload, const struct layer *prev)
{
    (void)prev;
    uint64_t version, tclass, flow, plen, nxt, hops;
    json_object *ext = NULL;
    if (json_object_object_get_ex(body, "ext_hdrs", &ext) && json_object_is_type(ext, json_type_array) &&
        json_object_array_length(ext) > 0)
        return EFAIL(h, KEN_OFPBRC_BAD_LEN, "packet: ipv6 extension headers are not supported");
    if (pj_uint(h, body, "version", 15, 6, &version) || pj_uint(h, body, "traffic_class", 255, 0, &tclass) ||
        pj_uint(h, body, "flow_label", 0xfffff, 0, &flow) || pj_uint(h, body, "payload_length", 0xffff, 0, &plen) ||
        pj_uint(h, body, "nxt", 255, 6, &nxt) || pj_uint(h, body, "hop_limit", 255, 255, &hops))
        return EINVAL; /* the why names the key and the cause */
    if (!plen)
        plen = payload->len;
    size_t start = h->b->len;
    uint8_t *p = ken_buf_put_zeros(h->b, 40);
    wire_put32(p, (uint32_t)(version << 28 | tclass << 20 | flow));
    wire_put16(p + 4, (uint16_t)plen);
    p[6] = (uint8_t)nxt;
    p[7] = (uint8_t)hops;
    if (pj_addr(h, body, "src", AF_INET6, "10::10", h->b->data + start + 8) ||
        pj_addr(h, body, "dst", AF_INET6, "20::20", h->b->data + start + 24))
        return EINVAL; /* the why names the key and the cause */
    return 0;
}

static const struct ofp_field arp_fields[] = {
    F_DEF(2, "hwtype", 1), F_DEF(2, "proto", 0x0800), F_DEF(1, "hlen", 6), F_DEF(1, "plen", 4), F_DEF(2, "opcode", 1),
    F_MAC("src_mac"), F_IPV4("src_ip"), F_MAC("dst_mac"), F_IPV4("dst_ip"), F_END};
static const struct ofp_desc arp_desc = {NULL, arp_fields, 0, 0};

static int pj_arp(struct ectx *h, json_object *body, struct ken_buf *payload, const struct layer *prev)
{
    (void)payload, (void)prev;
    size_t at = h->b->len;
    int err = ofp_enc_struct(h, &arp_desc, body);
    if (!err) {
        pj_default_broadcast(body, "src_mac", h->b->data + at + 8);
        pj_default_broadcast(body, "dst_mac", h->b->data + at + 18);
    }
    return err;
}

/* ICMP and ICMPv6 bodies: {"echo": {...}}, {"dest_unreach": {...}},
 * {"TimeExceeded": {...}}, or raw base64. */
static const struct ofp_field echo_fields[] = {F_U16("id"), F_U16("seq"), F_DATA("data"), F_END};
static const struct ofp_field unreach_fields[] = {F_PAD(1), F_U8("data_len"), F_U16("mtu"), F_DATA("data"), F_END};
static const struct ofp_field exceeded_fields[] = {F_PAD(1), F_U8("data_len"), F_PAD(2), F_DATA("data"), F_END};
static const struct ofp_desc icmp_bodies[] = {
    {"echo", echo_fields, 0, 0}, {"dest_unreach", unreach_fields, 0, 0}, {"TimeExceeded", exceeded_fields, 0, 0}};

static int pj_icmp_body(struct ectx *h, json_object *body, bool v6)
{
    json_object *data = NULL;
    if (!json_object_object_get_ex(body, "data", &data) || json_object_is_type(data, json_type_null)) {
        if (!v6)
            ken_buf_put_zeros(h->b, 4); /* OS-Ken's ICMP sends an empty echo */
        return 0;
    }
    if (json_object_is_type(data, json_type_string))
        return ofp_json_put_base64(h, data, "data");
    const char *cls = NULL;
    json_object *inner = ofp_unwrap(data, &cls);
    for (size_t i = 0; inner && i < sizeof icmp_bodies / sizeof icmp_bodies[0]; i++)
        if (!strcmp(cls, icmp_bodies[i].cls))
            return ofp_enc_struct(h, &(struct ofp_desc){NULL, icmp_bodies[i].fields, 0, 0}, inner);
    return EFAIL(h, KEN_OFPBRC_BAD_LEN, "packet: unsupported ICMP data %s", cls ? cls : "shape");
}

/* type, code and checksum, then the body; returns where the header starts. */
static int pj_icmp_head(struct ectx *h, json_object *body, bool v6, size_t *start, uint64_t *csum)
{
    uint64_t type, code;
    /* OS-Ken writes "type"; its ICMPv6 constructor calls it "type_" */
    const char *type_key = v6 && json_object_object_get_ex(body, "type_", NULL) ? "type_" : "type";
    *start = h->b->len;
    if (pj_uint(h, body, type_key, 255, v6 ? 0 : 8, &type) || pj_uint(h, body, "code", 255, 0, &code) ||
        pj_uint(h, body, "csum", 0xffff, 0, csum))
        return EINVAL; /* the why names the key and the cause */
    ken_buf_put8(h->b, (uint8_t)type);
    ken_buf_put8(h->b, (uint8_t)code);
    ken_buf_put16(h->b, (uint16_t)*csum);
    return pj_icmp_body(h, body, v6);
}

static int pj_icmp(struct ectx *h, json_object *body, struct ken_buf *payload, const struct layer *prev)
{
    (void)payload, (void)prev;
    size_t start;
    uint64_t csum;
    int err = pj_icmp_head(h, body, false, &start, &csum);
    if (!err && !csum) /* ICMP sums its own bytes only */
        wire_put16(h->b->data + start + 2, sum_fold(sum16(0, h->b->data + start, h->b->len - start)));
    return err;
}

static int pj_icmpv6(struct ectx *h, json_object *body, struct ken_buf *payload, const struct layer *prev)
{
    size_t start;
    uint64_t csum;
    int err = pj_icmp_head(h, body, true, &start, &csum);
    if (err || csum)
        return err;
    /* the checksum covers the header and what follows, so sum a copy of both */
    struct ken_buf all = KEN_BUF_INIT, none = KEN_BUF_INIT;
    ken_buf_put(&all, h->b->data + start, h->b->len - start);
    ken_buf_put(&all, payload->data, payload->len);
    uint16_t sum;
    err = pj_checksum_ip(h, prev, all.len, &all, &none, &sum);
    ken_buf_free(&all);
    if (!err)
        wire_put16(h->b->data + start + 2, sum);
    return err;
}

static int pj_tcp(struct ectx *h, json_object *body, struct ken_buf *payload, const struct layer *prev)
{
    uint64_t sport, dport, seq, ack, offset, bits, window, csum, urgent;
    if (pj_uint(h, body, "src_port", 0xffff, 1, &sport) || pj_uint(h, body, "dst_port", 0xffff, 1, &dport) ||
        pj_uint(h, body, "seq", UINT32_MAX, 0, &seq) || pj_uint(h, body, "ack", UINT32_MAX, 0, &ack) ||
        pj_uint(h, body, "offset", 15, 0, &offset) || pj_uint(h, body, "bits", 255, 0, &bits) ||
        pj_uint(h, body, "window_size", 0xffff, 0, &window) || pj_uint(h, body, "csum", 0xffff, 0, &csum) ||
        pj_uint(h, body, "urgent", 0xffff, 0, &urgent))
        return EINVAL; /* the why names the key and the cause */
    struct ken_buf hdr = KEN_BUF_INIT;
    struct ectx t = {.b = &hdr, .version = h->version, .why = h->why};
    uint8_t *p = ken_buf_put_zeros(t.b, 20);
    wire_put16(p, (uint16_t)sport);
    wire_put16(p + 2, (uint16_t)dport);
    wire_put32(p + 4, (uint32_t)seq);
    wire_put32(p + 8, (uint32_t)ack);
    p[13] = (uint8_t)bits;
    wire_put16(p + 14, (uint16_t)window);
    wire_put16(p + 16, (uint16_t)csum);
    wire_put16(p + 18, (uint16_t)urgent);
    int err = pj_bytes(&t, body, "option");
    if (!err && t.b->len > 20) { /* options are padded to 4 bytes, then to the given offset */
        ken_buf_align(t.b, 0, 4);
        if (offset * 4 > t.b->len)
            ken_buf_put_zeros(t.b, offset * 4 - t.b->len);
    }
    if (!offset)
        offset = t.b->len / 4;
    t.b->data[12] = (uint8_t)(offset << 4);
    uint16_t sum;
    if (!err && !csum && !(err = pj_checksum_ip(h, prev, t.b->len + payload->len, t.b, payload, &sum)))
        wire_put16(t.b->data + 16, sum);
    if (!err)
        ken_buf_put(h->b, t.b->data, t.b->len);
    ken_buf_free(t.b);
    return err;
}

static int pj_udp(struct ectx *h, json_object *body, struct ken_buf *payload, const struct layer *prev)
{
    uint64_t sport, dport, total, csum;
    if (pj_uint(h, body, "src_port", 0xffff, 1, &sport) || pj_uint(h, body, "dst_port", 0xffff, 1, &dport) ||
        pj_uint(h, body, "total_length", 0xffff, 0, &total) || pj_uint(h, body, "csum", 0xffff, 0, &csum))
        return EINVAL; /* the why names the key and the cause */
    if (!total)
        total = 8 + payload->len;
    struct ken_buf hdr = KEN_BUF_INIT;
    ken_buf_put16(&hdr, (uint16_t)sport);
    ken_buf_put16(&hdr, (uint16_t)dport);
    ken_buf_put16(&hdr, (uint16_t)total);
    ken_buf_put16(&hdr, (uint16_t)csum);
    uint16_t sum;
    int err = 0;
    if (!csum && !(err = pj_checksum_ip(h, prev, total, &hdr, payload, &sum)))
        wire_put16(hdr.data + 6, sum);
    if (!err)
        ken_buf_put(h->b, hdr.data, hdr.len);
    ken_buf_free(&hdr);
    return err;
}

static const struct {
    const char *name;
    layer_fn enc;
} layer_kinds[] = {
    {"ethernet", pj_ethernet}, {"vlan", pj_vlan}, {"svlan", pj_svlan}, {"ipv4", pj_ipv4}, {"ipv6", pj_ipv6},
    {"arp", pj_arp}, {"icmp", pj_icmp}, {"icmpv6", pj_icmpv6}, {"tcp", pj_tcp}, {"udp", pj_udp},
};

/* ---- the whole packet ---- */

static int pj_layer_at(struct ectx *e, json_object *protos, size_t i, struct layer *out)
{
    json_object *item = json_object_array_get_idx(protos, i);
    out->name = NULL;
    out->body = item;
    if (json_object_is_type(item, json_type_string))
        return 0; /* raw payload bytes */
    out->body = ofp_unwrap(item, &out->name);
    if (!out->body || !json_object_is_type(out->body, json_type_object))
        return EFAIL(e, EINVAL, "type error: packet: protocol %zu must be {\"name\": {...}}", i);
    return 0;
}

static int pj_encode_layer(struct ectx *h, const struct layer *l, struct ken_buf *payload, const struct layer *prev)
{
    if (!l->name)
        return ofp_json_put_base64(h, l->body, "protocols");
    for (size_t k = 0; k < sizeof layer_kinds / sizeof layer_kinds[0]; k++)
        if (!strcmp(l->name, layer_kinds[k].name))
            return layer_kinds[k].enc(h, l->body, payload, prev);
    return EFAIL(h, KEN_OFPBRC_BAD_LEN, "packet: unsupported protocol %s", l->name);
}

static int pj_encode_packet(struct ectx *e, json_object *packet)
{
    json_object *protos = NULL;
    if (!json_object_object_get_ex(packet, "protocols", &protos) || !json_object_is_type(protos, json_type_array))
        return EFAIL(e, EINVAL, "type error: packet: \"protocols\" must be a list");
    struct ken_buf payload = KEN_BUF_INIT, hdr = KEN_BUF_INIT;
    struct ectx h = {.b = &hdr, .version = e->version, .why = e->why};
    int err = 0;
    for (size_t i = json_object_array_length(protos); i-- > 0 && !err;) {
        struct layer l, prev;
        bool has_prev = i > 0;
        err = pj_layer_at(e, protos, i, &l);
        if (!err && has_prev)
            err = pj_layer_at(e, protos, i - 1, &prev);
        if (!err)
            err = pj_encode_layer(&h, &l, &payload, has_prev ? &prev : NULL);
        if (!err) { /* the header goes in front of what is built so far */
            ken_buf_put(&hdr, payload.data, payload.len);
            struct ken_buf swap = payload;
            payload = hdr;
            hdr = swap;
            hdr.len = 0;
        }
    }
    if (!err)
        ken_buf_put(e->b, payload.data, payload.len);
    ken_buf_free(&payload);
    ken_buf_free(&hdr);
    return err;
}

/* ---- the field codec ---- */

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
    return pj_encode_packet(e, packet);
}

const struct ofp_custom ofp_packet_data = {pj_dec, pj_enc, NULL};
