/* Packets from OS-Ken's packet library JSON: the layers' fields are read
 * (OS-Ken's constructor defaults for what is left out), their variable
 * parts encoded into one scratch buffer a layer, and the layers built with
 * ken_pkt_build's code. json_out.c goes the other way. */
#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "ken/wire.h"
#include "ofp/schema.h"
#include "packet/packet_int.h"

#define fail pkt_fail

/* ================= from JSON ================= */

struct jctx {
    char *why;
    struct ken_buf *var; /* the layer's variable part */
};

static json_object *jget(json_object *o, const char *k)
{
    json_object *v = NULL;
    if (!json_object_object_get_ex(o, k, &v) || json_object_is_type(v, json_type_null))
        return NULL;
    return v;
}

static int get_uint(struct jctx *c, json_object *o, const char *k, uint64_t max, uint64_t def, uint64_t *out)
{
    json_object *v = jget(o, k);
    *out = def;
    if (!v)
        return 0;
    if (!json_object_is_type(v, json_type_int))
        return fail(c->why, EINVAL, "type error: packet: \"%s\" must be an integer", k);
    int64_t s = json_object_get_int64(v);
    uint64_t u = s < 0 ? json_object_get_uint64(v) : (uint64_t)s;
    if (s < 0 || u > max)
        return fail(c->why, ERANGE, "out of range: packet: \"%s\" is above %llu or below 0", k,
                    (unsigned long long)max);
    *out = u;
    return 0;
}

#define GETU(c, o, k, max, def, dst)                                                                                   \
    do {                                                                                                               \
        uint64_t v_;                                                                                                   \
        int e_ = get_uint(c, o, k, max, def, &v_);                                                                     \
        if (e_)                                                                                                        \
            return e_;                                                                                                 \
        dst = (__typeof__(dst))v_;                                                                                     \
    } while (0)

static int get_addr(struct jctx *c, json_object *o, const char *k, int af, const char *def, uint8_t *out)
{
    json_object *v = jget(o, k);
    const char *s = def;
    if (v) {
        if (!json_object_is_type(v, json_type_string))
            return fail(c->why, EINVAL, "type error: packet: \"%s\" must be a string", k);
        s = json_object_get_string(v);
    }
    int bad = af == AF_PACKET ? ofp_parse_mac(s, out) : inet_pton(af, s, out) != 1;
    return bad ? fail(c->why, EINVAL, "type error: packet: \"%s\" is not an address: %s", k, s) : 0;
}

static int put_b64text(struct jctx *c, json_object *v, const char *k, struct ken_buf *b)
{
    char why[KEN_WHY_LEN];
    why[0] = 0;
    struct ectx e = {.b = b, .version = 0, .why = why};
    if (ofp_json_put_base64(&e, v, k))
        return fail(c->why, EINVAL, "type error: packet: \"%s\" must be base64 text", k);
    return 0;
}

/* Base64 text (or absent/null: nothing) appended to b; *n its length. */
static int get_bytes(struct jctx *c, json_object *o, const char *k, struct ken_buf *b, size_t *n)
{
    json_object *v = jget(o, k);
    size_t at = b->len;
    if (n)
        *n = 0;
    if (!v)
        return 0;
    int err = put_b64text(c, v, k, b);
    if (n)
        *n = b->len - at;
    return err;
}

static json_object *unwrap1(json_object *item, const char **name)
{
    json_object *body = ofp_unwrap(item, name);
    return body && json_object_is_type(body, json_type_object) ? body : NULL;
}

static int get_list(struct jctx *c, json_object *o, const char *k, json_object **list)
{
    *list = jget(o, k);
    if (*list && !json_object_is_type(*list, json_type_array))
        return fail(c->why, EINVAL, "type error: packet: \"%s\" must be a list", k);
    return 0;
}

static int tcp_options_from(struct jctx *c, json_object *opts)
{
    struct ken_buf *b = c->var;
    if (json_object_is_type(opts, json_type_string))
        return put_b64text(c, opts, "option", b); /* raw bytes */
    for (size_t i = 0; i < json_object_array_length(opts); i++) {
        const char *name;
        json_object *o = unwrap1(json_object_array_get_idx(opts, i), &name);
        if (!o)
            return fail(c->why, EINVAL, "type error: packet: tcp option %zu must be {\"name\": {...}}", i);
        static const struct {
            const char *name;
            uint8_t kind, len;
        } kinds[] = {{"TCPOptionEndOfOptionList", 0, 1}, {"TCPOptionNoOperation", 1, 1},
                     {"TCPOptionMaximumSegmentSize", 2, 4}, {"TCPOptionWindowScale", 3, 3},
                     {"TCPOptionSACKPermitted", 4, 2},   {"TCPOptionSACK", 5, 2},
                     {"TCPOptionTimestamps", 8, 10},     {"TCPOptionUserTimeout", 28, 4},
                     {"TCPOptionAuthentication", 29, 4}, {"TCPOptionUnknown", 0, 2}};
        size_t k = 0;
        while (k < sizeof kinds / sizeof kinds[0] && strcmp(kinds[k].name, name))
            k++;
        if (k == sizeof kinds / sizeof kinds[0])
            return fail(c->why, EPROTONOSUPPORT, "packet: unsupported tcp option %s", name);
        uint8_t kind, len;
        GETU(c, o, "kind", 255, kinds[k].kind, kind);
        GETU(c, o, "length", 255, kinds[k].len, len);
        if (kinds[k].len == 1) { /* one byte: the kind */
            ken_buf_put8(b, kind);
            continue;
        }
        size_t at = b->len;
        ken_buf_put8(b, kind);
        ken_buf_put8(b, len);
        uint64_t x, y;
        switch (k) {
        case 2:
            GETU(c, o, "max_seg_size", 0xffff, 0, x);
            ken_buf_put16(b, (uint16_t)x);
            break;
        case 3:
            GETU(c, o, "shift_cnt", 255, 0, x);
            ken_buf_put8(b, (uint8_t)x);
            break;
        case 5: { /* the length follows the blocks */
            json_object *blocks;
            int err = get_list(c, o, "blocks", &blocks);
            if (err)
                return err;
            for (size_t j = 0; blocks && j < json_object_array_length(blocks); j++) {
                json_object *pair = json_object_array_get_idx(blocks, j);
                if (!json_object_is_type(pair, json_type_array) || json_object_array_length(pair) != 2)
                    return fail(c->why, EINVAL, "type error: packet: SACK blocks must be [left, right]");
                ken_buf_put32(b, (uint32_t)json_object_get_int64(json_object_array_get_idx(pair, 0)));
                ken_buf_put32(b, (uint32_t)json_object_get_int64(json_object_array_get_idx(pair, 1)));
            }
            b->data[at + 1] = (uint8_t)(b->len - at);
            break;
        }
        case 6:
            GETU(c, o, "ts_val", UINT32_MAX, 0, x);
            GETU(c, o, "ts_ecr", UINT32_MAX, 0, y);
            ken_buf_put32(b, (uint32_t)x);
            ken_buf_put32(b, (uint32_t)y);
            break;
        case 7:
            GETU(c, o, "granularity", 1, 0, x);
            GETU(c, o, "user_timeout", 0x7fff, 0, y);
            ken_buf_put16(b, (uint16_t)(x << 15 | y));
            break;
        case 8: {
            GETU(c, o, "key_id", 255, 0, x);
            GETU(c, o, "r_next_key_id", 255, 0, y);
            ken_buf_put8(b, (uint8_t)x);
            ken_buf_put8(b, (uint8_t)y);
            int err = get_bytes(c, o, "mac", b, NULL);
            if (err)
                return err;
            break;
        }
        case 9: { /* the length follows the value */
            int err = get_bytes(c, o, "value", b, NULL);
            if (err)
                return err;
            b->data[at + 1] = (uint8_t)(b->len - at);
            break;
        }
        }
    }
    return 0;
}

/* The RPL source route header (RFC 6554) after its next header byte:
 * the addresses with cmpi (cmpe for the last) leading bytes left out,
 * padded to 8; the size given, or computed when 0. */
static int routing3_from(struct jctx *c, json_object *o)
{
    struct ken_buf *b = c->var;
    size_t at = b->len - 1; /* the next header byte is written */
    uint8_t size, type, seg, cmpi, cmpe;
    json_object *adrs;
    int err;
    GETU(c, o, "size", 255, 0, size);
    GETU(c, o, "type", 255, 3, type);
    GETU(c, o, "seg", 255, 0, seg);
    GETU(c, o, "cmpi", 15, 0, cmpi);
    GETU(c, o, "cmpe", 15, 0, cmpe);
    if ((err = get_list(c, o, "adrs", &adrs)))
        return err;
    size_t n = adrs ? json_object_array_length(adrs) : 0;
    size_t body = n ? (n - 1) * (16u - cmpi) + (16u - cmpe) : 0, pad = (8 - body % 8) % 8;
    ken_buf_put8(b, size);
    ken_buf_put8(b, type);
    ken_buf_put8(b, seg);
    ken_buf_put8(b, (uint8_t)(cmpi << 4 | cmpe));
    ken_buf_put8(b, (uint8_t)(n ? pad << 4 : 0));
    ken_buf_put16(b, 0);
    for (size_t i = 0; i < n; i++) {
        json_object *a = json_object_array_get_idx(adrs, i);
        uint8_t bin[16];
        if (!json_object_is_type(a, json_type_string) || inet_pton(AF_INET6, json_object_get_string(a), bin) != 1)
            return fail(c->why, EINVAL, "type error: packet: \"adrs\" must hold IPv6 addresses");
        size_t skip = i + 1 < n ? cmpi : cmpe;
        ken_buf_put(b, bin + skip, 16 - skip);
    }
    if (!size && n) /* in units of 8 bytes after the first 8 */
        size = (uint8_t)((body + pad) / 8);
    b->data[at + 1] = size;
    size_t want = at + (size + 1u) * 8;
    if (b->len < want)
        ken_buf_put_zeros(b, want - b->len);
    else
        b->len = want; /* the size decides, as it does on the wire */
    return 0;
}

static int ipv6_ext_from(struct jctx *c, json_object *ext)
{
    struct ken_buf *b = c->var;
    for (size_t i = 0; i < json_object_array_length(ext); i++) {
        const char *name;
        json_object *o = unwrap1(json_object_array_get_idx(ext, i), &name);
        if (!o)
            return fail(c->why, EINVAL, "type error: packet: ipv6 extension header %zu must be {\"name\": {...}}", i);
        uint8_t nxt, size;
        GETU(c, o, "nxt", 255, IPP_TCP, nxt);
        ken_buf_put8(b, nxt);
        if (!strcmp(name, "hop_opts") || !strcmp(name, "dst_opts")) {
            GETU(c, o, "size", 255, 0, size);
            ken_buf_put8(b, size);
            json_object *opts;
            int err = get_list(c, o, "data", &opts);
            if (err)
                return err;
            if (!opts) { /* OS-Ken's default: one PadN of four bytes */
                static const uint8_t padn[6] = {1, 4, 0, 0, 0, 0};
                ken_buf_put(b, padn, sizeof padn);
            }
            for (size_t j = 0; opts && j < json_object_array_length(opts); j++) {
                const char *on;
                json_object *oo = unwrap1(json_object_array_get_idx(opts, j), &on);
                if (!oo || strcmp(on, "option"))
                    return fail(c->why, EINVAL, "type error: packet: ipv6 options must be {\"option\": {...}}");
                uint8_t type;
                GETU(c, oo, "type", 255, 0, type);
                ken_buf_put8(b, type);
                if (!type)
                    continue; /* Pad1 */
                json_object *lv = jget(oo, "len");
                int64_t len = lv ? json_object_get_int64(lv) : -1;
                if (len < 0 || len > 255)
                    return fail(c->why, ERANGE, "out of range: packet: ipv6 option \"len\"");
                ken_buf_put8(b, (uint8_t)len);
                size_t n;
                if ((err = get_bytes(c, oo, "data", b, &n)))
                    return err;
                if (n < (size_t)len)
                    ken_buf_put_zeros(b, (size_t)len - n);
            }
        } else if (!strcmp(name, "fragment")) {
            uint16_t offset;
            uint8_t more;
            uint32_t id;
            GETU(c, o, "offset", 0x1fff, 0, offset);
            GETU(c, o, "more", 1, 0, more);
            GETU(c, o, "id", UINT32_MAX, 0, id);
            ken_buf_put8(b, 0);
            ken_buf_put16(b, (uint16_t)(offset << 3 | more));
            ken_buf_put32(b, id);
        } else if (!strcmp(name, "auth")) {
            uint32_t spi, seq;
            GETU(c, o, "size", 255, 2, size);
            GETU(c, o, "spi", UINT32_MAX, 0, spi);
            GETU(c, o, "seq", UINT32_MAX, 0, seq);
            ken_buf_put8(b, size);
            ken_buf_put16(b, 0);
            ken_buf_put32(b, spi);
            ken_buf_put32(b, seq);
            size_t want = (size + 2u) * 4 - 12, n, at = b->len;
            int err = get_bytes(c, o, "data", b, &n);
            if (err)
                return err;
            if (n > want)
                b->len = at + want; /* the size decides, as in OS-Ken's pack */
            else
                ken_buf_put_zeros(b, want - n);
        } else if (!strcmp(name, "routing_type3")) {
            int err = routing3_from(c, o);
            if (err)
                return err;
        } else {
            return fail(c->why, EPROTONOSUPPORT, "packet: unsupported ipv6 extension header %s", name);
        }
    }
    return 0;
}

static int nd_option_from(struct jctx *c, json_object *item)
{
    struct ken_buf *b = c->var;
    if (json_object_is_type(item, json_type_string))
        return put_b64text(c, item, "option", b);
    const char *name;
    json_object *o = unwrap1(item, &name);
    if (!o)
        return fail(c->why, EINVAL, "type error: packet: an ND option must be {\"name\": {...}}");
    size_t at = b->len;
    uint8_t len8;
    GETU(c, o, "length", 255, 0, len8);
    if (!strcmp(name, "nd_option_sla") || !strcmp(name, "nd_option_tla")) {
        ken_buf_put8(b, name[10] == 's' ? ND_OPT_SLA : ND_OPT_TLA);
        ken_buf_put8(b, len8);
        int err = get_addr(c, o, "hw_src", AF_PACKET, "00:00:00:00:00:00", ken_buf_put_uninit(b, 6));
        if (!err)
            err = get_bytes(c, o, "data", b, NULL);
        if (err)
            return err;
        ken_buf_align(b, at, 8);
    } else if (!strcmp(name, "nd_option_pi")) {
        uint8_t pl, res1;
        uint32_t val_l, pre_l, res2;
        GETU(c, o, "pl", 255, 0, pl);
        GETU(c, o, "res1", 7, 0, res1);
        GETU(c, o, "val_l", UINT32_MAX, 0, val_l);
        GETU(c, o, "pre_l", UINT32_MAX, 0, pre_l);
        GETU(c, o, "res2", UINT32_MAX, 0, res2);
        ken_buf_put8(b, ND_OPT_PI);
        ken_buf_put8(b, len8);
        ken_buf_put8(b, pl);
        ken_buf_put8(b, (uint8_t)(res1 << 5));
        ken_buf_put32(b, val_l);
        ken_buf_put32(b, pre_l);
        ken_buf_put32(b, res2);
        int err = get_addr(c, o, "prefix", AF_INET6, "::", ken_buf_put_uninit(b, 16));
        if (err)
            return err;
    } else if (!strcmp(name, "nd_option_mtu")) {
        uint32_t mtu;
        GETU(c, o, "mtu", UINT32_MAX, 1500, mtu);
        ken_buf_put8(b, ND_OPT_MTU);
        ken_buf_put8(b, 1); /* OS-Ken writes its fixed length whatever "length" says */
        ken_buf_put16(b, 0);
        ken_buf_put32(b, mtu);
        return 0;
    } else {
        return fail(c->why, EPROTONOSUPPORT, "packet: unsupported ND option %s", name);
    }
    if (!len8) /* in units of 8 bytes */
        b->data[at + 1] = (uint8_t)((b->len - at) / 8);
    return 0;
}

/* IPv6 addresses from a list of text; *n how many. */
static int ip6_addrs_from(struct jctx *c, json_object *o, const char *key, size_t *count)
{
    json_object *list;
    int err = get_list(c, o, key, &list);
    if (err)
        return err;
    size_t n = list ? json_object_array_length(list) : 0;
    *count = n;
    for (size_t i = 0; i < n; i++) {
        json_object *a = json_object_array_get_idx(list, i);
        const char *s = json_object_is_type(a, json_type_string) ? json_object_get_string(a) : "";
        if (inet_pton(AF_INET6, s, ken_buf_put_uninit(c->var, 16)) != 1)
            return fail(c->why, EINVAL, "type error: packet: \"%s\" must hold IPv6 addresses", key);
    }
    return 0;
}

/* A count (u16; the list's length when 0 or absent) then IPv6 addresses. */
static int ip6_list_from(struct jctx *c, json_object *o, const char *key, const char *count_key)
{
    uint16_t count;
    size_t n, at = c->var->len;
    GETU(c, o, count_key, 0xffff, 0, count);
    ken_buf_put16(c->var, 0);
    int err = ip6_addrs_from(c, o, key, &n);
    if (!err)
        wire_put16(c->var->data + at, count ? count : (uint16_t)n);
    return err;
}

static int icmp_data_from(struct jctx *c, json_object *body, bool v6, uint8_t type)
{
    struct ken_buf *b = c->var;
    json_object *data = jget(body, "data");
    bool empty = !data || (json_object_is_type(data, json_type_string) && !json_object_get_string_len(data));
    if (empty) {
        if (!v6)
            ken_buf_put_zeros(b, 4); /* OS-Ken's ICMP sends an empty echo for no data (or "") */
        return 0;
    }
    if (json_object_is_type(data, json_type_string))
        return get_bytes(c, body, "data", b, NULL);
    const char *name;
    json_object *o = unwrap1(data, &name);
    if (!o)
        return fail(c->why, EINVAL, "type error: packet: icmp \"data\" must be base64 or {\"name\": {...}}");
    int err;
    uint64_t x, y, z;
    if (!strcmp(name, "echo")) {
        GETU(c, o, "id", 0xffff, 0, x);
        GETU(c, o, "seq", 0xffff, 0, y);
        ken_buf_put16(b, (uint16_t)x);
        ken_buf_put16(b, (uint16_t)y);
        return get_bytes(c, o, "data", b, NULL);
    }
    if (!v6 && (!strcmp(name, "dest_unreach") || !strcmp(name, "TimeExceeded"))) {
        GETU(c, o, "data_len", 255, 0, x);
        GETU(c, o, "mtu", 0xffff, 0, y);
        ken_buf_put8(b, 0);
        ken_buf_put8(b, (uint8_t)x);
        ken_buf_put16(b, name[0] == 'd' ? (uint16_t)y : 0);
        return get_bytes(c, o, "data", b, NULL);
    }
    if (v6 && !strcmp(name, "nd_neighbor")) {
        GETU(c, o, "res", 7, 0, x);
        ken_buf_put32(b, (uint32_t)x << 29);
        if ((err = get_addr(c, o, "dst", AF_INET6, "::", ken_buf_put_uninit(b, 16))))
            return err;
        json_object *opt = jget(o, "option");
        return opt ? nd_option_from(c, opt) : 0;
    }
    if (v6 && !strcmp(name, "nd_router_solicit")) {
        GETU(c, o, "res", UINT32_MAX, 0, x);
        ken_buf_put32(b, (uint32_t)x);
        json_object *opt = jget(o, "option");
        return opt ? nd_option_from(c, opt) : 0;
    }
    if (v6 && !strcmp(name, "nd_router_advert")) {
        GETU(c, o, "ch_l", 255, 0, x);
        GETU(c, o, "res", 3, 0, y);
        GETU(c, o, "rou_l", 0xffff, 0, z);
        ken_buf_put8(b, (uint8_t)x);
        ken_buf_put8(b, (uint8_t)(y << 6));
        ken_buf_put16(b, (uint16_t)z);
        GETU(c, o, "rea_t", UINT32_MAX, 0, x);
        GETU(c, o, "ret_t", UINT32_MAX, 0, y);
        ken_buf_put32(b, (uint32_t)x);
        ken_buf_put32(b, (uint32_t)y);
        json_object *opts;
        if ((err = get_list(c, o, "options", &opts)))
            return err;
        for (size_t i = 0; opts && i < json_object_array_length(opts); i++)
            if ((err = nd_option_from(c, json_object_array_get_idx(opts, i))))
                return err;
        return 0;
    }
    if (v6 && (!strcmp(name, "mld") || !strcmp(name, "mldv2_query"))) {
        GETU(c, o, "maxresp", 0xffff, 0, x);
        ken_buf_put16(b, (uint16_t)x);
        ken_buf_put16(b, 0);
        if ((err = get_addr(c, o, "address", AF_INET6, "::", ken_buf_put_uninit(b, 16))))
            return err;
        if (name[3] != 'v')
            return 0;
        GETU(c, o, "s_flg", 1, 0, x);
        GETU(c, o, "qrv", 7, 2, y);
        ken_buf_put8(b, (uint8_t)(x << 3 | y));
        GETU(c, o, "qqic", 255, 0, x);
        ken_buf_put8(b, (uint8_t)x);
        return ip6_list_from(c, o, "srcs", "num");
    }
    if (v6 && !strcmp(name, "mldv2_report")) {
        json_object *records;
        if ((err = get_list(c, o, "records", &records)))
            return err;
        size_t n = records ? json_object_array_length(records) : 0;
        GETU(c, o, "record_num", 0xffff, 0, x);
        ken_buf_put16(b, 0);
        ken_buf_put16(b, x ? (uint16_t)x : (uint16_t)n); /* the count of records when 0 */
        for (size_t i = 0; i < n; i++) {
            const char *gn;
            json_object *g = unwrap1(json_object_array_get_idx(records, i), &gn);
            if (!g || strcmp(gn, "mldv2_report_group"))
                return fail(c->why, EINVAL, "type error: packet: MLDv2 records must be {\"mldv2_report_group\": {...}}");
            size_t at = b->len, aux_n, nsrc;
            GETU(c, g, jget(g, "type_") ? "type_" : "type", 255, 0, x);
            GETU(c, g, "aux_len", 255, 0, y);
            GETU(c, g, "num", 0xffff, 0, z);
            ken_buf_put8(b, (uint8_t)x);
            ken_buf_put8(b, (uint8_t)y);
            ken_buf_put16(b, 0);
            if ((err = get_addr(c, g, "address", AF_INET6, "::", ken_buf_put_uninit(b, 16))) ||
                (err = ip6_addrs_from(c, g, "srcs", &nsrc)))
                return err;
            wire_put16(b->data + at + 2, z ? (uint16_t)z : (uint16_t)nsrc); /* the count of sources when 0 */
            size_t aux_at = b->len;
            if ((err = get_bytes(c, g, "aux", b, &aux_n)))
                return err;
            ken_buf_align(b, aux_at, 4);
            if (!y)
                b->data[at + 1] = (uint8_t)((b->len - aux_at) / 4);
        }
        return 0;
    }
    (void)type;
    return fail(c->why, EPROTONOSUPPORT, "packet: unsupported %s data %s", v6 ? "ICMPv6" : "ICMP", name);
}

/* An SCTP parameter, padded to 4 (its length does not count the padding). */
static int sctp_param_from(struct jctx *c, json_object *item)
{
    struct ken_buf *b = c->var;
    const char *name;
    json_object *o = unwrap1(item, &name);
    static const struct {
        uint16_t type;
        const char *name;
    } kinds[] = {{1, "param_heartbeat"},  {5, "param_ipv4"},        {6, "param_ipv6"},
                 {7, "param_state_cookie"}, {8, "param_unrecognized_param"}, {9, "param_cookie_preserve"},
                 {11, "param_host_addr"}, {12, "param_supported_addr"}, {0x8000, "param_ecn"}};
    size_t k = 0;
    while (o && k < sizeof kinds / sizeof kinds[0] && strcmp(kinds[k].name, name))
        k++;
    if (!o || k == sizeof kinds / sizeof kinds[0])
        return fail(c->why, EPROTONOSUPPORT, "packet: unsupported sctp parameter");
    uint16_t len;
    GETU(c, o, "length", 0xffff, 0, len);
    size_t at = b->len;
    ken_buf_put16(b, kinds[k].type);
    ken_buf_put16(b, len);
    int err = 0;
    json_object *v = jget(o, "value");
    if (kinds[k].type == 5 || kinds[k].type == 6) {
        err = get_addr(c, o, "value", kinds[k].type == 5 ? AF_INET : AF_INET6,
                       kinds[k].type == 5 ? "127.0.0.1" : "::1", ken_buf_put_uninit(b, kinds[k].type == 5 ? 4 : 16));
    } else if (kinds[k].type == 9) {
        uint32_t x;
        GETU(c, o, "value", UINT32_MAX, 0, x);
        ken_buf_put32(b, x);
    } else if (kinds[k].type == 12) {
        for (size_t i = 0; v && json_object_is_type(v, json_type_array) && i < json_object_array_length(v); i++)
            ken_buf_put16(b, (uint16_t)json_object_get_int64(json_object_array_get_idx(v, i)));
    } else {
        err = get_bytes(c, o, "value", b, NULL);
    }
    if (err)
        return err;
    if (!len)
        wire_put16(b->data + at + 2, (uint16_t)(b->len - at));
    ken_buf_align(b, at, 4);
    return 0;
}

/* An ABORT or ERROR cause, padded to 4 (its length does not count it). */
static int sctp_cause_from(struct jctx *c, json_object *item)
{
    struct ken_buf *b = c->var;
    const char *name;
    json_object *o = unwrap1(item, &name);
    size_t code = 1;
    while (o && code < N_CAUSES && strcmp(pkt_sctp_causes[code], name))
        code++;
    if (!o || code == N_CAUSES)
        return fail(c->why, EPROTONOSUPPORT, "packet: unsupported sctp cause");
    uint16_t len;
    GETU(c, o, "length", 0xffff, 0, len);
    size_t at = b->len;
    ken_buf_put16(b, (uint16_t)code);
    ken_buf_put16(b, len);
    int err = 0;
    json_object *v = jget(o, "value");
    uint64_t x;
    switch (code) {
    case 1:
        GETU(c, o, "value", 0xffff, 0, x);
        ken_buf_put16(b, (uint16_t)x);
        ken_buf_put16(b, 0);
        break;
    case 2: {
        json_object *types;
        if ((err = get_list(c, o, "types", &types)))
            return err;
        size_t n = types ? json_object_array_length(types) : 0;
        GETU(c, o, "num", UINT32_MAX, 0, x);
        ken_buf_put32(b, x ? (uint32_t)x : (uint32_t)n);
        for (size_t i = 0; i < n; i++)
            ken_buf_put16(b, (uint16_t)json_object_get_int64(json_object_array_get_idx(types, i)));
        break;
    }
    case 4:
    case 7:
    case 10:
        break;
    case 5:
        if (v)
            err = sctp_param_from(c, v);
        break;
    case 11:
        for (size_t i = 0; v && json_object_is_type(v, json_type_array) && i < json_object_array_length(v) && !err;
             i++)
            err = sctp_param_from(c, json_object_array_get_idx(v, i));
        break;
    default:
        err = get_bytes(c, o, "value", b, NULL);
        break;
    }
    if (err)
        return err;
    if (!len)
        wire_put16(b->data + at + 2, (uint16_t)(b->len - at));
    ken_buf_align(b, at, 4);
    return 0;
}

static int sctp_chunk_from(struct jctx *c, json_object *item)
{
    struct ken_buf *b = c->var;
    const char *name;
    json_object *o = unwrap1(item, &name);
    if (!o)
        return fail(c->why, EINVAL, "type error: packet: an sctp chunk must be {\"name\": {...}}");
    static const char *const names[] = {"chunk_data",   "chunk_init",        "chunk_init_ack", "chunk_sack",
                                        "chunk_heartbeat", "chunk_heartbeat_ack", "chunk_abort",  "chunk_shutdown",
                                        "chunk_shutdown_ack", "chunk_error",    "chunk_cookie_echo", "chunk_cookie_ack",
                                        "chunk_ecn_echo", "chunk_cwr",        "chunk_shutdown_complete"};
    uint8_t type = 0;
    while (type < sizeof names / sizeof names[0] && (!names[type] || strcmp(names[type], name)))
        type++;
    if (type == sizeof names / sizeof names[0])
        return fail(c->why, EPROTONOSUPPORT, "packet: unsupported sctp chunk %s", name);
    uint16_t len;
    uint8_t flags = 0;
    uint64_t x, y, z;
    int err = 0;
    GETU(c, o, "length", 0xffff, 0, len);
    if (type == 0) {
        GETU(c, o, "unordered", 1, 0, x);
        GETU(c, o, "begin", 1, 0, y);
        GETU(c, o, "end", 1, 0, z);
        flags = (uint8_t)(x << 2 | y << 1 | z);
    } else if (type == 6 || type == 14) {
        GETU(c, o, "tflag", 1, 0, flags);
    } else {
        GETU(c, o, "flags", 255, 0, flags);
    }
    size_t at = b->len;
    ken_buf_put8(b, type);
    ken_buf_put8(b, flags);
    ken_buf_put16(b, len);
    json_object *list;
    switch (type) {
    case 0:
        GETU(c, o, "tsn", UINT32_MAX, 0, x);
        ken_buf_put32(b, (uint32_t)x);
        GETU(c, o, "sid", 0xffff, 0, x);
        ken_buf_put16(b, (uint16_t)x);
        GETU(c, o, "seq", 0xffff, 0, x);
        ken_buf_put16(b, (uint16_t)x);
        GETU(c, o, "payload_id", UINT32_MAX, 0, x);
        ken_buf_put32(b, (uint32_t)x);
        err = get_bytes(c, o, "payload_data", b, NULL);
        break;
    case 1:
    case 2:
        GETU(c, o, "init_tag", UINT32_MAX, 0, x);
        ken_buf_put32(b, (uint32_t)x);
        GETU(c, o, "a_rwnd", UINT32_MAX, 0, x);
        ken_buf_put32(b, (uint32_t)x);
        GETU(c, o, "os", 0xffff, 0, x);
        ken_buf_put16(b, (uint16_t)x);
        GETU(c, o, "mis", 0xffff, 0, x);
        ken_buf_put16(b, (uint16_t)x);
        GETU(c, o, "i_tsn", UINT32_MAX, 0, x);
        ken_buf_put32(b, (uint32_t)x);
        if ((err = get_list(c, o, "params", &list)))
            return err;
        for (size_t i = 0; list && i < json_object_array_length(list) && !err; i++)
            err = sctp_param_from(c, json_object_array_get_idx(list, i));
        break;
    case 3: {
        GETU(c, o, "tsn_ack", UINT32_MAX, 0, x);
        ken_buf_put32(b, (uint32_t)x);
        GETU(c, o, "a_rwnd", UINT32_MAX, 0, x);
        ken_buf_put32(b, (uint32_t)x);
        GETU(c, o, "gapack_num", 0xffff, 0, x);
        ken_buf_put16(b, (uint16_t)x);
        GETU(c, o, "duptsn_num", 0xffff, 0, x);
        ken_buf_put16(b, (uint16_t)x);
        json_object *d;
        if ((err = get_list(c, o, "gapacks", &list)) || (err = get_list(c, o, "duptsns", &d)))
            return err;
        for (size_t i = 0; list && i < json_object_array_length(list); i++) {
            json_object *pair = json_object_array_get_idx(list, i);
            if (!json_object_is_type(pair, json_type_array) || json_object_array_length(pair) != 2)
                return fail(c->why, EINVAL, "type error: packet: gapacks must be [start, end]");
            ken_buf_put16(b, (uint16_t)json_object_get_int64(json_object_array_get_idx(pair, 0)));
            ken_buf_put16(b, (uint16_t)json_object_get_int64(json_object_array_get_idx(pair, 1)));
        }
        for (size_t i = 0; d && i < json_object_array_length(d); i++)
            ken_buf_put32(b, (uint32_t)json_object_get_int64(json_object_array_get_idx(d, i)));
        break;
    }
    case 4:
    case 5: {
        json_object *info = jget(o, "info");
        if (info)
            err = sctp_param_from(c, info);
        break;
    }
    case 6:
    case 9:
        if ((err = get_list(c, o, "causes", &list)))
            return err;
        for (size_t i = 0; list && i < json_object_array_length(list) && !err; i++)
            err = sctp_cause_from(c, json_object_array_get_idx(list, i));
        break;
    case 7:
        GETU(c, o, "tsn_ack", UINT32_MAX, 0, x);
        ken_buf_put32(b, (uint32_t)x);
        break;
    case 10:
        err = get_bytes(c, o, "cookie", b, NULL);
        break;
    case 12:
    case 13:
        GETU(c, o, "low_tsn", UINT32_MAX, 0, x);
        ken_buf_put32(b, (uint32_t)x);
        break;
    }
    if (!err && !len)
        wire_put16(b->data + at + 2, (uint16_t)(b->len - at));
    return err;
}

/* An LLDP TLV: its typed fields when given, else its tlv_info bytes. */
static int lldp_tlv_from(struct jctx *c, json_object *item)
{
    struct ken_buf *b = c->var;
    const char *name;
    json_object *o = unwrap1(item, &name);
    static const char *const names[] = {"End",           "ChassisID",  "PortID",
                                        "TTL",           "PortDescription", "SystemName",
                                        "SystemDescription", "SystemCapabilities", "ManagementAddress"};
    unsigned type = 0;
    while (o && type < 9 && strcmp(names[type], name))
        type++;
    if (o && type == 9 && !strcmp(name, "OrganizationallySpecific"))
        type = LLDP_TLV_ORG;
    if (!o || type == 9)
        return fail(c->why, EPROTONOSUPPORT, "packet: unsupported LLDP TLV");
    size_t at = b->len;
    ken_buf_put16(b, 0);
    uint64_t x, y;
    int err = 0;
    bool typed = true;
    switch (type) {
    case LLDP_TLV_CHASSIS_ID:
    case LLDP_TLV_PORT_ID: {
        const char *k = type == LLDP_TLV_CHASSIS_ID ? "chassis_id" : "port_id";
        typed = jget(o, k) != NULL;
        if (typed) {
            GETU(c, o, "subtype", 255, 0, x);
            ken_buf_put8(b, (uint8_t)x);
            err = get_bytes(c, o, k, b, NULL);
        }
        break;
    }
    case LLDP_TLV_TTL:
        typed = jget(o, "ttl") != NULL;
        GETU(c, o, "ttl", 0xffff, 0, x);
        if (typed)
            ken_buf_put16(b, (uint16_t)x);
        break;
    case LLDP_TLV_PORT_DESC:
    case LLDP_TLV_SYS_NAME:
    case LLDP_TLV_SYS_DESC: {
        static const char *const k[] = {"port_description", "system_name", "system_description"};
        typed = jget(o, k[type - LLDP_TLV_PORT_DESC]) != NULL;
        if (typed)
            err = get_bytes(c, o, k[type - LLDP_TLV_PORT_DESC], b, NULL);
        break;
    }
    case LLDP_TLV_SYS_CAP:
        typed = jget(o, "system_cap") != NULL;
        GETU(c, o, "system_cap", 0xffff, 0, x);
        GETU(c, o, "enabled_cap", 0xffff, 0, y);
        if (typed) {
            ken_buf_put16(b, (uint16_t)x);
            ken_buf_put16(b, (uint16_t)y);
        }
        break;
    case LLDP_TLV_MGMT_ADDR: {
        typed = jget(o, "addr") != NULL;
        if (!typed)
            break;
        GETU(c, o, "addr_subtype", 255, 0, x);
        size_t len_at = b->len, n;
        ken_buf_put8(b, 0);
        ken_buf_put8(b, (uint8_t)x);
        if ((err = get_bytes(c, o, "addr", b, &n)))
            return err;
        b->data[len_at] = (uint8_t)(n + 1); /* the subtype and the address */
        GETU(c, o, "intf_subtype", 255, 0, x);
        GETU(c, o, "intf_num", UINT32_MAX, 0, y);
        ken_buf_put8(b, (uint8_t)x);
        ken_buf_put32(b, (uint32_t)y);
        len_at = b->len;
        ken_buf_put8(b, 0);
        if ((err = get_bytes(c, o, "oid", b, &n)))
            return err;
        b->data[len_at] = (uint8_t)n;
        break;
    }
    case LLDP_TLV_ORG: {
        typed = jget(o, "oui") != NULL;
        if (!typed)
            break;
        size_t n;
        if ((err = get_bytes(c, o, "oui", b, &n)))
            return err;
        if (n != 3)
            return fail(c->why, EINVAL, "type error: packet: LLDP \"oui\" must be 3 bytes");
        GETU(c, o, "subtype", 255, 0, x);
        ken_buf_put8(b, (uint8_t)x);
        err = get_bytes(c, o, "info", b, NULL);
        break;
    }
    }
    if (!typed && type != LLDP_TLV_END)
        err = get_bytes(c, o, "tlv_info", b, NULL);
    if (err)
        return err;
    size_t len = b->len - at - 2;
    if (len > 0x1ff)
        return fail(c->why, ERANGE, "out of range: packet: LLDP TLV %s is %zu bytes (511 at most)", name, len);
    wire_put16(b->data + at, (uint16_t)(type << 9 | len));
    return 0;
}

/* One layer's fields and variable part from its JSON body. */
static int layer_from(struct jctx *c, const char *name, json_object *o, struct ken_pkt_layer *l)
{
    uint8_t proto = pkt_proto_by_name(name);
    if (proto == KEN_PKT_RAW) {
        uint16_t id;
        if (!pkt_user_by_name(name, &id))
            return fail(c->why, EPROTONOSUPPORT, "packet: unsupported protocol %s", name);
        ken_pkt_layer_init(l, KEN_PKT_USER);
        l->user = id;
        l->u.user.ptr = o;
        return 0;
    }
    ken_pkt_layer_init(l, proto);
    int err = 0;
    json_object *list;
    switch (proto) {
    case KEN_PKT_ETHERNET:
        GETU(c, o, "ethertype", 0xffff, ETH_P_IPV4, l->u.eth.ethertype);
        if ((err = get_addr(c, o, "dst", AF_PACKET, "ff:ff:ff:ff:ff:ff", l->u.eth.dst)))
            return err;
        return get_addr(c, o, "src", AF_PACKET, "00:00:00:00:00:00", l->u.eth.src);
    case KEN_PKT_VLAN:
    case KEN_PKT_SVLAN:
        GETU(c, o, "pcp", 7, 0, l->u.vlan.pcp);
        GETU(c, o, "cfi", 1, 0, l->u.vlan.cfi);
        GETU(c, o, "vid", 0xfff, 0, l->u.vlan.vid);
        GETU(c, o, "ethertype", 0xffff, proto == KEN_PKT_VLAN ? ETH_P_IPV4 : ETH_P_VLAN, l->u.vlan.ethertype);
        return 0;
    case KEN_PKT_MPLS:
        GETU(c, o, "label", 0xfffff, 0, l->u.mpls.label);
        GETU(c, o, "exp", 7, 0, l->u.mpls.exp);
        GETU(c, o, "bsb", 1, 1, l->u.mpls.bsb);
        GETU(c, o, "ttl", 255, 255, l->u.mpls.ttl);
        return 0;
    case KEN_PKT_ARP:
        GETU(c, o, "hwtype", 0xffff, 1, l->u.arp.hwtype);
        GETU(c, o, "proto", 0xffff, ETH_P_IPV4, l->u.arp.proto);
        GETU(c, o, "hlen", 255, 6, l->u.arp.hlen);
        GETU(c, o, "plen", 255, 4, l->u.arp.plen);
        GETU(c, o, "opcode", 0xffff, 1, l->u.arp.opcode);
        if ((err = get_addr(c, o, "src_mac", AF_PACKET, "ff:ff:ff:ff:ff:ff", l->u.arp.src_mac)) ||
            (err = get_addr(c, o, "src_ip", AF_INET, "0.0.0.0", l->u.arp.src_ip)) ||
            (err = get_addr(c, o, "dst_mac", AF_PACKET, "ff:ff:ff:ff:ff:ff", l->u.arp.dst_mac)))
            return err;
        return get_addr(c, o, "dst_ip", AF_INET, "0.0.0.0", l->u.arp.dst_ip);
    case KEN_PKT_IPV4:
        GETU(c, o, "version", 15, 4, l->u.ipv4.version);
        GETU(c, o, "header_length", 15, 5, l->u.ipv4.header_length);
        GETU(c, o, "tos", 255, 0, l->u.ipv4.tos);
        GETU(c, o, "total_length", 0xffff, 0, l->u.ipv4.total_length);
        GETU(c, o, "identification", 0xffff, 0, l->u.ipv4.identification);
        GETU(c, o, "flags", 7, 0, l->u.ipv4.flags);
        GETU(c, o, "offset", 0x1fff, 0, l->u.ipv4.offset);
        GETU(c, o, "ttl", 255, 255, l->u.ipv4.ttl);
        GETU(c, o, "proto", 255, 0, l->u.ipv4.proto);
        GETU(c, o, "csum", 0xffff, 0, l->u.ipv4.csum);
        if ((err = get_addr(c, o, "src", AF_INET, "10.0.0.1", l->u.ipv4.src)) ||
            (err = get_addr(c, o, "dst", AF_INET, "10.0.0.2", l->u.ipv4.dst)))
            return err;
        if ((err = get_bytes(c, o, "option", c->var, NULL)))
            return err;
        if (c->var->len > l->u.ipv4.header_length * 4u - IPV4_LEN || l->u.ipv4.header_length < 5)
            return fail(c->why, EBADMSG, "packet: ipv4 option does not fit header_length %u",
                        l->u.ipv4.header_length);
        return 0;
    case KEN_PKT_IPV6:
        GETU(c, o, "version", 15, 6, l->u.ipv6.version);
        GETU(c, o, "traffic_class", 255, 0, l->u.ipv6.traffic_class);
        GETU(c, o, "flow_label", 0xfffff, 0, l->u.ipv6.flow_label);
        GETU(c, o, "payload_length", 0xffff, 0, l->u.ipv6.payload_length);
        GETU(c, o, "nxt", 255, IPP_TCP, l->u.ipv6.nxt);
        GETU(c, o, "hop_limit", 255, 255, l->u.ipv6.hop_limit);
        if ((err = get_addr(c, o, "src", AF_INET6, "10::10", l->u.ipv6.src)) ||
            (err = get_addr(c, o, "dst", AF_INET6, "20::20", l->u.ipv6.dst)) ||
            (err = get_list(c, o, "ext_hdrs", &list)))
            return err;
        return list ? ipv6_ext_from(c, list) : 0;
    case KEN_PKT_ICMP:
    case KEN_PKT_ICMPV6: {
        bool v6 = proto == KEN_PKT_ICMPV6;
        /* OS-Ken writes "type"; its ICMPv6 constructor calls it "type_" */
        const char *tk = v6 && jget(o, "type_") ? "type_" : "type";
        GETU(c, o, tk, 255, v6 ? 0 : ICMP_ECHO_REQUEST, l->u.icmp.type);
        GETU(c, o, "code", 255, 0, l->u.icmp.code);
        GETU(c, o, "csum", 0xffff, 0, l->u.icmp.csum);
        return icmp_data_from(c, o, v6, l->u.icmp.type);
    }
    case KEN_PKT_TCP: {
        GETU(c, o, "src_port", 0xffff, 1, l->u.tcp.src_port);
        GETU(c, o, "dst_port", 0xffff, 1, l->u.tcp.dst_port);
        GETU(c, o, "seq", UINT32_MAX, 0, l->u.tcp.seq);
        GETU(c, o, "ack", UINT32_MAX, 0, l->u.tcp.ack);
        GETU(c, o, "offset", 15, 0, l->u.tcp.offset);
        GETU(c, o, "bits", 255, 0, l->u.tcp.bits);
        GETU(c, o, "window_size", 0xffff, 0, l->u.tcp.window_size);
        GETU(c, o, "csum", 0xffff, 0, l->u.tcp.csum);
        GETU(c, o, "urgent", 0xffff, 0, l->u.tcp.urgent);
        json_object *opt = jget(o, "option");
        if (opt && !json_object_is_type(opt, json_type_string) && !json_object_is_type(opt, json_type_array))
            return fail(c->why, EINVAL, "type error: packet: tcp \"option\" must be base64 or a list");
        return opt ? tcp_options_from(c, opt) : 0;
    }
    case KEN_PKT_UDP:
        GETU(c, o, "src_port", 0xffff, 1, l->u.udp.src_port);
        GETU(c, o, "dst_port", 0xffff, 1, l->u.udp.dst_port);
        GETU(c, o, "total_length", 0xffff, 0, l->u.udp.total_length);
        GETU(c, o, "csum", 0xffff, 0, l->u.udp.csum);
        return 0;
    case KEN_PKT_SCTP:
        GETU(c, o, "src_port", 0xffff, 1, l->u.sctp.src_port);
        GETU(c, o, "dst_port", 0xffff, 1, l->u.sctp.dst_port);
        GETU(c, o, "vtag", UINT32_MAX, 0, l->u.sctp.vtag);
        GETU(c, o, "csum", UINT32_MAX, 0, l->u.sctp.csum);
        if ((err = get_list(c, o, "chunks", &list)))
            return err;
        for (size_t i = 0; list && i < json_object_array_length(list) && !err; i++)
            err = sctp_chunk_from(c, json_object_array_get_idx(list, i));
        return err;
    case KEN_PKT_LLDP:
        if ((err = get_list(c, o, "tlvs", &list)))
            return err;
        for (size_t i = 0; list && i < json_object_array_length(list) && !err; i++)
            err = lldp_tlv_from(c, json_object_array_get_idx(list, i));
        return err;
    }
    return fail(c->why, EPROTONOSUPPORT, "packet: unsupported protocol %s", name);
}

struct user_ctx {
    struct ken_pkt_layer *layers;
    char *why;
};

static int build_user(void *ctx, size_t i, struct ken_buf *payload, struct ken_buf *hdr)
{
    struct user_ctx *u = ctx;
    const struct ken_pkt_proto_ops *ops = pkt_user_ops(u->layers[i].user);
    if (!ops || !ops->from_json)
        return fail(u->why, EPROTONOSUPPORT, "packet: %s cannot be built", ops ? ops->name : "protocol");
    int err = ops->from_json((json_object *)u->layers[i].u.user.ptr, payload->data, payload->len, hdr);
    return err ? fail(u->why, EBADMSG, "packet: %s: %s", ops->name, strerror(err)) : 0;
}

int ken_pkt_from_json(json_object *packet, struct ken_buf *out, char why[KEN_PKT_WHY_LEN])
{
    json_object *inner = NULL, *protos = NULL;
    why[0] = 0;
    if (json_object_is_type(packet, json_type_object) && json_object_object_get_ex(packet, "Packet", &inner))
        packet = inner;
    if (!json_object_is_type(packet, json_type_object) || !json_object_object_get_ex(packet, "protocols", &protos) ||
        !json_object_is_type(protos, json_type_array))
        return fail(why, EINVAL, "type error: packet: \"protocols\" must be a list");
    size_t n = json_object_array_length(protos);
    if (n > KEN_PKT_MAX_LAYERS)
        return fail(why, EBADMSG, "packet: %zu protocols (%d at most)", n, KEN_PKT_MAX_LAYERS);
    struct ken_pkt_layer layers[KEN_PKT_MAX_LAYERS];
    struct ken_buf vars[KEN_PKT_MAX_LAYERS];
    int err = 0;
    size_t i;
    for (i = 0; i < n && !err; i++) {
        json_object *item = json_object_array_get_idx(protos, i);
        struct jctx c = {why, &vars[i]};
        ken_buf_init(&vars[i]);
        if (json_object_is_type(item, json_type_string)) { /* raw payload bytes */
            ken_pkt_layer_init(&layers[i], KEN_PKT_RAW);
            err = put_b64text(&c, item, "protocols", &vars[i]);
        } else {
            const char *name = NULL;
            json_object *body = unwrap1(item, &name);
            if (!body)
                err = fail(why, EINVAL, "type error: packet: protocol %zu must be {\"name\": {...}}", i);
            else
                err = layer_from(&c, name, body, &layers[i]);
        }
        layers[i].var = vars[i].data;
        layers[i].var_len = vars[i].len;
    }
    if (!err) {
        struct user_ctx u = {layers, why};
        err = pkt_build_layers(out, layers, n, build_user, &u);
        if (err && !why[0])
            err = fail(why, err == EBADMSG ? EBADMSG : err,
                       "packet: cannot build it (a checksum of 0 needs an IP layer before it, or a length is off)");
    }
    for (size_t j = 0; j < i; j++)
        ken_buf_free(&vars[j]);
    return err;
}

