/* Packets in OS-Ken's packet library JSON (Packet.to_jsondict()), from a
 * parsed struct ken_pkt: each variable part is walked again here, every
 * length checked (a packet need not come from ken_pkt_parse). Names,
 * shapes and quirks are OS-Ken's; json_in.c goes the other way. */
#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "ken/wire.h"
#include "ofp/schema.h"
#include "packet/packet_int.h"

#define fail pkt_fail

/* ================= to JSON ================= */

static void put_u(json_object *o, const char *k, uint64_t v) { json_object_object_add(o, k, ofp_json_uint(v)); }
static void put_i(json_object *o, const char *k, int64_t v) { json_object_object_add(o, k, json_object_new_int64(v)); }
static void put_b64(json_object *o, const char *k, const uint8_t *p, size_t n)
{
    json_object_object_add(o, k, ofp_json_base64(p, n));
}
/* OS-Ken's None where there are no bytes. */
static void put_b64_or_null(json_object *o, const char *k, const uint8_t *p, size_t n)
{
    json_object_object_add(o, k, n ? ofp_json_base64(p, n) : NULL);
}
static void put_mac(json_object *o, const char *k, const uint8_t *p)
{
    char s[18];
    ofp_fmt_mac(s, p);
    json_object_object_add(o, k, json_object_new_string(s));
}
static void put_ip(json_object *o, const char *k, int af, const uint8_t *p)
{
    char s[INET6_ADDRSTRLEN];
    inet_ntop(af, p, s, sizeof s);
    json_object_object_add(o, k, json_object_new_string(s));
}
static json_object *wrap(const char *cls, json_object *body)
{
    json_object *o = json_object_new_object();
    json_object_object_add(o, cls, body);
    return o;
}

/* TCP options; NULL when they do not parse (OS-Ken then shows the bytes). */
static json_object *tcp_options_json(const uint8_t *p, size_t n)
{
    json_object *list = json_object_new_array();
    for (size_t off = 0; off < n;) {
        uint8_t kind = p[off];
        size_t left = n - off;
        json_object *b = json_object_new_object();
        const char *cls;
        size_t len;
        /* the fixed-size kinds take their size whatever the length byte says, as OS-Ken does */
        static const uint8_t fixed[] = {[0] = 1, [1] = 1, [2] = 4, [3] = 3, [4] = 2, [8] = 10, [28] = 4};
        if (kind < sizeof fixed && fixed[kind]) {
            len = fixed[kind];
            if (left < len)
                goto bad;
            static const char *const names[] = {
                [0] = "TCPOptionEndOfOptionList", [1] = "TCPOptionNoOperation", [2] = "TCPOptionMaximumSegmentSize",
                [3] = "TCPOptionWindowScale",     [4] = "TCPOptionSACKPermitted", [8] = "TCPOptionTimestamps",
                [28] = "TCPOptionUserTimeout"};
            cls = names[kind];
            put_u(b, "kind", kind);
            put_u(b, "length", len);
            if (kind == 2)
                put_u(b, "max_seg_size", wire_get16(p + off + 2));
            else if (kind == 3)
                put_u(b, "shift_cnt", p[off + 2]);
            else if (kind == 8) {
                put_u(b, "ts_ecr", wire_get32(p + off + 6));
                put_u(b, "ts_val", wire_get32(p + off + 2));
            } else if (kind == 28) {
                put_u(b, "granularity", p[off + 2] >> 7);
                put_u(b, "user_timeout", wire_get16(p + off + 2) & 0x7fff);
            }
        } else {
            if (left < 2)
                goto bad;
            len = p[off + 1];
            if (len < 2 || len > left) /* OS-Ken would loop or read short: not a list it can show */
                goto bad;
            put_u(b, "kind", kind);
            put_u(b, "length", len);
            if (kind == 5) {
                if ((len - 2) % 8)
                    goto bad;
                cls = "TCPOptionSACK";
                json_object *blocks = json_object_new_array();
                for (size_t i = 2; i < len; i += 8) {
                    json_object *pair = json_object_new_array();
                    json_object_array_add(pair, ofp_json_uint(wire_get32(p + off + i)));
                    json_object_array_add(pair, ofp_json_uint(wire_get32(p + off + i + 4)));
                    json_object_array_add(blocks, pair);
                }
                json_object_object_add(b, "blocks", blocks);
            } else if (kind == 29) {
                if (len < 4)
                    goto bad;
                cls = "TCPOptionAuthentication";
                put_u(b, "key_id", p[off + 2]);
                put_b64(b, "mac", p + off + 4, len - 4);
                put_u(b, "r_next_key_id", p[off + 3]);
            } else {
                cls = "TCPOptionUnknown";
                put_b64(b, "value", p + off + 2, len - 2);
            }
        }
        json_object_array_add(list, wrap(cls, b));
        off += len;
        continue;
    bad:
        json_object_put(b);
        json_object_put(list);
        return NULL;
    }
    return list;
}

/* One IPv6 extension header at p (checked by the parse). */
static json_object *ipv6_ext_json(uint8_t type, const uint8_t *p, size_t len)
{
    json_object *b = json_object_new_object();
    put_u(b, "nxt", p[0]);
    switch (type) {
    case IPV6_HOP_OPTS:
    case IPV6_DST_OPTS: {
        json_object *opts = json_object_new_array();
        for (size_t off = 2; off < len;) {
            json_object *o = json_object_new_object();
            if (!p[off]) { /* Pad1: one byte */
                json_object_object_add(o, "data", NULL);
                put_i(o, "len", -1);
                put_u(o, "type", 0);
                off++;
            } else {
                size_t olen = off + 1 < len ? p[off + 1] : 0;
                if (off + 2 + olen > len) {
                    json_object_put(o);
                    json_object_put(opts);
                    json_object_put(b);
                    return NULL;
                }
                put_b64_or_null(o, "data", p + off + 2, olen);
                put_u(o, "len", olen);
                put_u(o, "type", p[off]);
                off += 2 + olen;
            }
            json_object_array_add(opts, wrap("option", o));
        }
        json_object_object_add(b, "data", opts);
        put_u(b, "size", p[1]);
        return wrap(type == IPV6_HOP_OPTS ? "hop_opts" : "dst_opts", b);
    }
    case IPV6_FRAGMENT:
        put_u(b, "id", wire_get32(p + 4));
        put_u(b, "more", p[3] & 1);
        put_u(b, "offset", wire_get16(p + 2) >> 3);
        return wrap("fragment", b);
    case IPV6_AUTH:
        if (len < 12) {
            json_object_put(b);
            return NULL;
        }
        put_b64(b, "data", p + 12, len - 12);
        put_u(b, "seq", wire_get32(p + 8));
        put_u(b, "size", p[1]);
        put_u(b, "spi", wire_get32(p + 4));
        return wrap("auth", b);
    default: { /* routing: type 3 (RFC 6554) as OS-Ken has it */
        if (len < 8 || p[2] != 3) {
            json_object_put(b);
            return NULL;
        }
        unsigned cmpi = p[4] >> 4, cmpe = p[4] & 15, pad = p[5] >> 4;
        json_object *adrs = json_object_new_array();
        if (p[1]) {
            size_t li = 16 - cmpi, le = 16 - cmpe, off = 8;
            while (off + le + pad < len && off + li <= len) {
                uint8_t a[16] = {0};
                memcpy(a + cmpi, p + off, li);
                char s[INET6_ADDRSTRLEN];
                inet_ntop(AF_INET6, a, s, sizeof s);
                json_object_array_add(adrs, json_object_new_string(s));
                off += li;
            }
            if (off + le > len) {
                /* The last address would run past the header: OS-Ken reads
                 * it from the bytes after the header, which this header's
                 * JSON cannot show (and built back, its one address would
                 * be taken for the last). */
                json_object_put(adrs);
                json_object_put(b);
                return NULL;
            }
            uint8_t a[16] = {0};
            memcpy(a + cmpe, p + off, le);
            char s[INET6_ADDRSTRLEN];
            inet_ntop(AF_INET6, a, s, sizeof s);
            json_object_array_add(adrs, json_object_new_string(s));
        }
        json_object_object_add(b, "adrs", adrs);
        put_u(b, "cmpe", cmpe);
        put_u(b, "cmpi", cmpi);
        put_u(b, "seg", p[3]);
        put_u(b, "size", p[1]);
        put_u(b, "type", p[2]);
        return wrap("routing_type3", b);
    }
    }
}

/* An ND option at p; n is what is left of the ICMPv6 body (OS-Ken's
 * link-layer address options take all of it as their data). Sets *used. */
static json_object *nd_option_json(const uint8_t *p, size_t n, size_t *used, uint8_t msg)
{
    uint8_t type = p[0], len8 = p[1];
    bool in_list = msg == ND_ROUTER_ADVERT;
    json_object *b = json_object_new_object();
    /* which options OS-Ken knows depends on the message: the target's
     * address only in neighbour messages, prefix and MTU only in adverts */
    bool la = type == ND_OPT_SLA || (type == ND_OPT_TLA && msg == ND_NEIGHBOR_SOLICIT);
    if (la && n >= 8) {
        put_b64_or_null(b, "data", p + 8, n - 8);
        put_mac(b, "hw_src", p + 2);
        put_u(b, "length", len8);
        *used = n;
        return wrap(type == ND_OPT_SLA ? "nd_option_sla" : "nd_option_tla", b);
    }
    if (type == ND_OPT_PI && in_list && n >= 32) {
        put_u(b, "length", len8);
        put_u(b, "pl", p[2]);
        put_u(b, "pre_l", wire_get32(p + 8));
        put_ip(b, "prefix", AF_INET6, p + 16);
        put_u(b, "res1", p[3] >> 5);
        put_u(b, "res2", wire_get32(p + 12));
        put_u(b, "val_l", wire_get32(p + 4));
        *used = 32;
        return wrap("nd_option_pi", b);
    }
    if (type == ND_OPT_MTU && in_list && n >= 8) {
        put_u(b, "length", 0); /* OS-Ken's parse leaves it 0 */
        put_u(b, "mtu", wire_get32(p + 4));
        *used = 8;
        return wrap("nd_option_mtu", b);
    }
    json_object_put(b);
    /* an option OS-Ken does not know: its bytes (to the end outside a list) */
    size_t take = in_list ? len8 * 8u : n;
    if (take > n)
        take = n;
    *used = take;
    return ofp_json_base64(p, take);
}

static json_object *ip6_list(const uint8_t *p, size_t n)
{
    json_object *list = json_object_new_array();
    for (size_t i = 0; i < n; i++) {
        char s[INET6_ADDRSTRLEN];
        inet_ntop(AF_INET6, p + i * 16, s, sizeof s);
        json_object_array_add(list, json_object_new_string(s));
    }
    return list;
}

static json_object *icmp_data_json(const struct ken_pkt_layer *l)
{
    const uint8_t *p = l->var;
    size_t n = l->var_len;
    uint8_t t = l->u.icmp.type;
    if (!n)
        return json_object_new_string(""); /* the constructor's b'' */
    json_object *b = json_object_new_object();
    if (l->proto == KEN_PKT_ICMP) {
        if (t == ICMP_ECHO_REPLY || t == ICMP_ECHO_REQUEST) {
            put_b64_or_null(b, "data", p + 4, n - 4);
            put_u(b, "id", wire_get16(p));
            put_u(b, "seq", wire_get16(p + 2));
            return wrap("echo", b);
        }
        if (t == ICMP_DEST_UNREACH) {
            put_b64_or_null(b, "data", p + 4, n - 4);
            put_u(b, "data_len", p[1]);
            put_u(b, "mtu", wire_get16(p + 2));
            return wrap("dest_unreach", b);
        }
        if (t == ICMP_TIME_EXCEEDED) {
            put_b64_or_null(b, "data", p + 4, n - 4);
            put_u(b, "data_len", p[1]);
            return wrap("TimeExceeded", b);
        }
        json_object_put(b);
        return ofp_json_base64(p, n);
    }
    size_t used;
    switch (t) {
    case ICMPV6_ECHO_REQUEST:
    case ICMPV6_ECHO_REPLY:
        put_b64_or_null(b, "data", p + 4, n - 4);
        put_u(b, "id", wire_get16(p));
        put_u(b, "seq", wire_get16(p + 2));
        return wrap("echo", b);
    case ND_NEIGHBOR_SOLICIT:
    case ND_NEIGHBOR_ADVERT:
        put_ip(b, "dst", AF_INET6, p + 4);
        json_object_object_add(b, "option", n > 20 ? nd_option_json(p + 20, n - 20, &used, ND_NEIGHBOR_SOLICIT) : NULL);
        put_u(b, "res", wire_get32(p) >> 29);
        return wrap("nd_neighbor", b);
    case ND_ROUTER_SOLICIT:
        json_object_object_add(b, "option", n > 4 ? nd_option_json(p + 4, n - 4, &used, ND_ROUTER_SOLICIT) : NULL);
        put_u(b, "res", wire_get32(p));
        return wrap("nd_router_solicit", b);
    case MLD_QUERY:
    case MLD_REPORT:
    case MLD_DONE:
        put_ip(b, "address", AF_INET6, p + 4);
        put_u(b, "maxresp", wire_get16(p));
        if (n <= 20)
            return wrap("mld", b);
        put_u(b, "num", wire_get16(p + 22));
        put_u(b, "qqic", p[21]);
        put_u(b, "qrv", p[20] & 7);
        put_u(b, "s_flg", p[20] >> 3 & 1);
        json_object_object_add(b, "srcs", ip6_list(p + 24, wire_get16(p + 22)));
        return wrap("mldv2_query", b);
    case MLDV2_REPORT: {
        size_t records = wire_get16(p + 2), off = 4;
        json_object *list = json_object_new_array();
        for (size_t i = 0; i < records; i++) { /* checked by the parse */
            const uint8_t *r = p + off;
            size_t nsrc = wire_get16(r + 2), aux = r[1] * 4u;
            json_object *g = json_object_new_object();
            put_ip(g, "address", AF_INET6, r + 4);
            put_b64_or_null(g, "aux", r + 20 + nsrc * 16, aux);
            put_u(g, "aux_len", r[1]);
            put_u(g, "num", nsrc);
            json_object_object_add(g, "srcs", ip6_list(r + 20, nsrc));
            put_u(g, "type", r[0]); /* OS-Ken's JSON drops the constructor's trailing underscore */
            json_object_array_add(list, wrap("mldv2_report_group", g));
            off += 20 + nsrc * 16 + aux;
        }
        put_u(b, "record_num", records);
        json_object_object_add(b, "records", list);
        return wrap("mldv2_report", b);
    }
    case ND_ROUTER_ADVERT: {
        put_u(b, "ch_l", p[0]);
        json_object *opts = json_object_new_array();
        for (size_t off = 12; off < n; off += used) {
            json_object_array_add(opts, nd_option_json(p + off, n - off, &used, ND_ROUTER_ADVERT));
            if (!used)
                break;
        }
        json_object_object_add(b, "options", opts);
        put_u(b, "rea_t", wire_get32(p + 4));
        put_u(b, "res", p[1] >> 6);
        put_u(b, "ret_t", wire_get32(p + 8));
        put_u(b, "rou_l", wire_get16(p + 2));
        return wrap("nd_router_advert", b);
    }
    default:
        json_object_put(b);
        return ofp_json_base64(p, n);
    }
}

/* SCTP parameters within [p, p + n): each padded to 4. */
static json_object *sctp_param_json(const uint8_t *p, size_t n, size_t *used)
{
    if (n < 4)
        return NULL;
    uint16_t type = wire_get16(p), len = wire_get16(p + 2);
    if (len < 4 || len > n)
        return NULL;
    static const struct {
        uint16_t type;
        const char *name;
    } kinds[] = {{1, "param_heartbeat"},  {5, "param_ipv4"},        {6, "param_ipv6"},
                 {7, "param_state_cookie"}, {8, "param_unrecognized_param"}, {9, "param_cookie_preserve"},
                 {11, "param_host_addr"}, {12, "param_supported_addr"}, {0x8000, "param_ecn"}};
    const char *name = NULL;
    for (size_t i = 0; i < sizeof kinds / sizeof kinds[0]; i++)
        if (kinds[i].type == type)
            name = kinds[i].name;
    if (!name)
        return NULL;
    json_object *b = json_object_new_object();
    put_u(b, "length", len);
    if (type == 5 && len == 8)
        put_ip(b, "value", AF_INET, p + 4);
    else if (type == 6 && len == 20)
        put_ip(b, "value", AF_INET6, p + 4);
    else if (type == 9 && len == 8)
        put_u(b, "value", wire_get32(p + 4));
    else if (type == 12) {
        json_object *v = json_object_new_array();
        for (size_t i = 4; i + 2 <= len; i += 2)
            json_object_array_add(v, ofp_json_uint(wire_get16(p + i)));
        json_object_object_add(b, "value", v);
    } else if (type == 5 || type == 6 || type == 9) {
        json_object_put(b);
        return NULL;
    } else
        put_b64_or_null(b, "value", p + 4, len - 4u);
    size_t padded = (len + 3u) & ~3u;
    *used = padded < n ? padded : n;
    return wrap(name, b);
}

/* The parameters of an INIT (ack 0) or INIT ACK (ack 1): OS-Ken stops at
 * the first one it does not expect in that chunk. */
static bool sctp_param_expected(uint16_t type, bool ack)
{
    switch (type) {
    case 5: case 6: case 11: case 0x8000: return true;
    case 9: case 12: return !ack;
    case 7: case 8: return ack;
    default: return false;
    }
}

static json_object *sctp_params_json(const uint8_t *p, size_t n, bool ack)
{
    json_object *list = json_object_new_array();
    for (size_t off = 0, used; off < n; off += used) {
        if (n - off >= 2 && !sctp_param_expected(wire_get16(p + off), ack))
            break;
        json_object *one = sctp_param_json(p + off, n - off, &used);
        if (!one) {
            json_object_put(list);
            return NULL;
        }
        json_object_array_add(list, one);
    }
    return list;
}


/* The address parameters a cause carries (OS-Ken knows these three). */
static bool sctp_addr_param(const uint8_t *p, size_t n)
{
    uint16_t t = n >= 2 ? wire_get16(p) : 0;
    return t == 5 || t == 6 || t == 11;
}

/* One cause of an ABORT or ERROR chunk at p (n bytes left of the chunk):
 * NULL for one OS-Ken stops at (*used 0) or that does not fit. */
static json_object *sctp_cause_json(const uint8_t *p, size_t n, size_t *used, bool *bad)
{
    *used = 0;
    *bad = false;
    uint16_t code = wire_get16(p), len = wire_get16(p + 2);
    if (!code || code >= N_CAUSES)
        return NULL; /* OS-Ken stops at a cause it does not know */
    if (len < 4 || len > n) {
        *bad = true;
        return NULL;
    }
    json_object *b = json_object_new_object(), *v;
    put_u(b, "length", len);
    size_t pu;
    switch (code) {
    case 1:
        if (len < 6)
            goto bad;
        put_u(b, "value", wire_get16(p + 4));
        break;
    case 2: {
        if (len < 8)
            goto bad;
        uint32_t num = wire_get32(p + 4);
        if (num > (len - 8u) / 2)
            goto bad;
        put_u(b, "num", num);
        v = json_object_new_array();
        for (uint32_t i = 0; i < num; i++)
            json_object_array_add(v, ofp_json_uint(wire_get16(p + 8 + 2 * i)));
        json_object_object_add(b, "types", v);
        break;
    }
    case 4:
    case 7:
    case 10:
        break;
    case 5:
        if (!sctp_addr_param(p + 4, len - 4u) || !(v = sctp_param_json(p + 4, len - 4u, &pu)))
            goto bad;
        json_object_object_add(b, "value", v);
        break;
    case 11:
        v = json_object_new_array();
        json_object_object_add(b, "value", v);
        for (size_t off = 4; off < len && sctp_addr_param(p + off, len - off); off += pu) {
            json_object *one = sctp_param_json(p + off, len - off, &pu);
            if (!one)
                goto bad;
            json_object_array_add(v, one);
        }
        break;
    default:
        put_b64_or_null(b, "value", p + 4, len - 4u);
        break;
    }
    size_t padded = (len + 3u) & ~3u;
    *used = padded < n ? padded : n;
    return wrap(pkt_sctp_causes[code], b);
bad:
    json_object_put(b);
    *bad = true;
    return NULL;
}

static json_object *sctp_causes_json(const uint8_t *p, size_t n)
{
    json_object *list = json_object_new_array();
    for (size_t off = 0, used; n - off >= 4; off += used) {
        bool bad;
        json_object *one = sctp_cause_json(p + off, n - off, &used, &bad);
        if (bad) {
            json_object_put(list);
            return NULL;
        }
        if (!one)
            break;
        json_object_array_add(list, one);
    }
    return list;
}

static json_object *sctp_chunk_json(const uint8_t *p, size_t len)
{
    uint8_t type = p[0], flags = p[1];
    json_object *b = json_object_new_object(), *v;
    put_u(b, "length", len);
    switch (type) {
    case 0:
        if (len < 16)
            break;
        put_u(b, "begin", flags >> 1 & 1);
        put_u(b, "end", flags & 1);
        put_b64(b, "payload_data", p + 16, len - 16);
        put_u(b, "payload_id", wire_get32(p + 12));
        put_u(b, "seq", wire_get16(p + 10));
        put_u(b, "sid", wire_get16(p + 8));
        put_u(b, "tsn", wire_get32(p + 4));
        put_u(b, "unordered", flags >> 2 & 1);
        return wrap("chunk_data", b);
    case 1:
    case 2:
        if (len < 20 || !(v = sctp_params_json(p + 20, len - 20, type == 2)))
            break;
        put_u(b, "a_rwnd", wire_get32(p + 8));
        put_u(b, "flags", flags);
        put_u(b, "i_tsn", wire_get32(p + 16));
        put_u(b, "init_tag", wire_get32(p + 4));
        put_u(b, "mis", wire_get16(p + 14));
        put_u(b, "os", wire_get16(p + 12));
        json_object_object_add(b, "params", v);
        return wrap(type == 1 ? "chunk_init" : "chunk_init_ack", b);
    case 3: {
        if (len < 16)
            break;
        size_t ng = wire_get16(p + 12), nd = wire_get16(p + 14);
        if (16 + ng * 4 + nd * 4 > len)
            break;
        put_u(b, "a_rwnd", wire_get32(p + 8));
        json_object *g = json_object_new_array(), *d = json_object_new_array();
        for (size_t i = 0; i < ng; i++) {
            json_object *pair = json_object_new_array();
            json_object_array_add(pair, ofp_json_uint(wire_get16(p + 16 + i * 4)));
            json_object_array_add(pair, ofp_json_uint(wire_get16(p + 18 + i * 4)));
            json_object_array_add(g, pair);
        }
        for (size_t i = 0; i < nd; i++)
            json_object_array_add(d, ofp_json_uint(wire_get32(p + 16 + ng * 4 + i * 4)));
        put_u(b, "duptsn_num", nd);
        json_object_object_add(b, "duptsns", d);
        put_u(b, "flags", flags);
        put_u(b, "gapack_num", ng);
        json_object_object_add(b, "gapacks", g);
        put_u(b, "tsn_ack", wire_get32(p + 4));
        return wrap("chunk_sack", b);
    }
    case 4:
    case 5: {
        size_t used;
        if (len < 8 || !(v = sctp_param_json(p + 4, len - 4, &used)))
            break;
        put_u(b, "flags", flags);
        json_object_object_add(b, "info", v);
        return wrap(type == 4 ? "chunk_heartbeat" : "chunk_heartbeat_ack", b);
    }
    case 6:
    case 9:
        if (!(v = sctp_causes_json(p + 4, len - 4)))
            break;
        json_object_object_add(b, "causes", v);
        if (type == 6)
            put_u(b, "tflag", flags & 1);
        else
            put_u(b, "flags", flags);
        return wrap(type == 6 ? "chunk_abort" : "chunk_error", b);
    case 7:
        if (len < 8)
            break;
        put_u(b, "flags", flags);
        put_u(b, "tsn_ack", wire_get32(p + 4));
        return wrap("chunk_shutdown", b);
    case 8:
    case 11:
        put_u(b, "flags", flags);
        return wrap(type == 8 ? "chunk_shutdown_ack" : "chunk_cookie_ack", b);
    case 10:
        put_b64_or_null(b, "cookie", p + 4, len - 4);
        put_u(b, "flags", flags);
        return wrap("chunk_cookie_echo", b);
    case 12:
    case 13:
        if (len < 8)
            break;
        put_u(b, "flags", flags);
        put_u(b, "low_tsn", wire_get32(p + 4));
        return wrap(type == 12 ? "chunk_ecn_echo" : "chunk_cwr", b);
    case 14:
        put_u(b, "tflag", flags & 1);
        return wrap("chunk_shutdown_complete", b);
    }
    json_object_put(b);
    return NULL; /* a chunk too short for its type, or a type OS-Ken does not know */
}

static json_object *lldp_tlv_json(const uint8_t *p, size_t len)
{
    uint16_t tl = wire_get16(p);
    unsigned type = tl >> 9;
    const uint8_t *v = p + 2;
    json_object *b = json_object_new_object();
    static const char *const names[] = {"End",           "ChassisID",  "PortID",
                                        "TTL",           "PortDescription", "SystemName",
                                        "SystemDescription", "SystemCapabilities", "ManagementAddress"};
    const char *name = type == LLDP_TLV_ORG ? "OrganizationallySpecific" : names[type];
    put_u(b, "len", len);
    put_b64(b, "tlv_info", v, len);
    put_u(b, "typelen", tl);
    switch (type) {
    case LLDP_TLV_CHASSIS_ID:
        put_b64(b, "chassis_id", v + 1, len - 1);
        put_u(b, "subtype", v[0]);
        break;
    case LLDP_TLV_PORT_ID:
        put_b64(b, "port_id", v + 1, len - 1);
        put_u(b, "subtype", v[0]);
        break;
    case LLDP_TLV_TTL:
        put_u(b, "ttl", wire_get16(v));
        break;
    case LLDP_TLV_SYS_CAP:
        put_u(b, "enabled_cap", wire_get16(v + 2));
        put_u(b, "system_cap", wire_get16(v));
        break;
    case LLDP_TLV_MGMT_ADDR: {
        size_t alen = v[0], at = 1 + alen; /* checked by the parse */
        put_b64(b, "addr", v + 2, alen - 1);
        put_u(b, "addr_len", alen);
        put_u(b, "addr_subtype", v[1]);
        put_u(b, "intf_num", wire_get32(v + at + 1));
        put_u(b, "intf_subtype", v[at]);
        put_b64(b, "oid", v + at + 6, v[at + 5]);
        put_u(b, "oid_len", v[at + 5]);
        break;
    }
    case LLDP_TLV_ORG:
        put_b64(b, "info", v + 4, len - 4);
        put_b64(b, "oui", v, 3);
        put_u(b, "subtype", v[3]);
        break;
    }
    return wrap(name, b);
}

static int layer_json(const struct ken_pkt *pk, const struct ken_pkt_layer *l, json_object **out, char *why)
{
    json_object *b = json_object_new_object(), *v;
    const uint8_t *h = pk->frame + l->off;
    switch (l->proto) {
    case KEN_PKT_RAW:
        json_object_put(b);
        *out = ofp_json_base64(h, l->hdr_len);
        return 0;
    case KEN_PKT_ETHERNET:
        put_mac(b, "dst", l->u.eth.dst);
        put_u(b, "ethertype", l->u.eth.ethertype);
        put_mac(b, "src", l->u.eth.src);
        break;
    case KEN_PKT_VLAN:
    case KEN_PKT_SVLAN:
        put_u(b, "cfi", l->u.vlan.cfi);
        put_u(b, "ethertype", l->u.vlan.ethertype);
        put_u(b, "pcp", l->u.vlan.pcp);
        put_u(b, "vid", l->u.vlan.vid);
        break;
    case KEN_PKT_MPLS:
        put_u(b, "bsb", l->u.mpls.bsb);
        put_u(b, "exp", l->u.mpls.exp);
        put_u(b, "label", l->u.mpls.label);
        put_u(b, "ttl", l->u.mpls.ttl);
        break;
    case KEN_PKT_ARP:
        put_ip(b, "dst_ip", AF_INET, l->u.arp.dst_ip);
        put_mac(b, "dst_mac", l->u.arp.dst_mac);
        put_u(b, "hlen", l->u.arp.hlen);
        put_u(b, "hwtype", l->u.arp.hwtype);
        put_u(b, "opcode", l->u.arp.opcode);
        put_u(b, "plen", l->u.arp.plen);
        put_u(b, "proto", l->u.arp.proto);
        put_ip(b, "src_ip", AF_INET, l->u.arp.src_ip);
        put_mac(b, "src_mac", l->u.arp.src_mac);
        break;
    case KEN_PKT_IPV4:
        put_u(b, "csum", l->u.ipv4.csum);
        put_ip(b, "dst", AF_INET, l->u.ipv4.dst);
        put_u(b, "flags", l->u.ipv4.flags);
        put_u(b, "header_length", l->u.ipv4.header_length);
        put_u(b, "identification", l->u.ipv4.identification);
        put_u(b, "offset", l->u.ipv4.offset);
        put_b64_or_null(b, "option", l->var, l->var_len);
        put_u(b, "proto", l->u.ipv4.proto);
        put_ip(b, "src", AF_INET, l->u.ipv4.src);
        put_u(b, "tos", l->u.ipv4.tos);
        put_u(b, "total_length", l->u.ipv4.total_length);
        put_u(b, "ttl", l->u.ipv4.ttl);
        put_u(b, "version", l->u.ipv4.version);
        break;
    case KEN_PKT_IPV6: {
        put_ip(b, "dst", AF_INET6, l->u.ipv6.dst);
        json_object *ext = json_object_new_array();
        json_object_object_add(b, "ext_hdrs", ext);
        uint8_t t = l->u.ipv6.nxt;
        for (size_t off = 0; off < l->var_len;) {
            size_t len = pkt_ipv6_ext_len(t, l->var + off, l->var_len - off);
            json_object *one = len ? ipv6_ext_json(t, l->var + off, len) : NULL;
            if (!one) {
                json_object_put(b);
                return fail(why, EBADMSG, "packet: ipv6 extension header %u at %zu: not one OS-Ken shows", t, off);
            }
            json_object_array_add(ext, one);
            t = l->var[off];
            off += len;
        }
        put_u(b, "flow_label", l->u.ipv6.flow_label);
        put_u(b, "hop_limit", l->u.ipv6.hop_limit);
        put_u(b, "nxt", l->u.ipv6.nxt);
        put_u(b, "payload_length", l->u.ipv6.payload_length);
        put_ip(b, "src", AF_INET6, l->u.ipv6.src);
        put_u(b, "traffic_class", l->u.ipv6.traffic_class);
        put_u(b, "version", l->u.ipv6.version);
        break;
    }
    case KEN_PKT_ICMP:
    case KEN_PKT_ICMPV6:
        /* again here: a packet need not come from ken_pkt_parse */
        if (pkt_icmp_body_check(l->proto, l->u.icmp.type, l->var, l->var_len)) {
            json_object_put(b);
            return fail(why, EBADMSG, "packet: %s body of type %u does not fit", ken_pkt_proto_name(l), l->u.icmp.type);
        }
        put_u(b, "code", l->u.icmp.code);
        put_u(b, "csum", l->u.icmp.csum);
        json_object_object_add(b, "data", icmp_data_json(l));
        put_u(b, "type", l->u.icmp.type);
        break;
    case KEN_PKT_TCP:
        put_u(b, "ack", l->u.tcp.ack);
        put_u(b, "bits", l->u.tcp.bits);
        put_u(b, "csum", l->u.tcp.csum);
        put_u(b, "dst_port", l->u.tcp.dst_port);
        put_u(b, "offset", l->u.tcp.offset);
        v = l->var_len ? tcp_options_json(l->var, l->var_len) : NULL;
        if (!v && l->var_len)
            v = ofp_json_base64(l->var, l->var_len); /* options that do not parse: their bytes */
        json_object_object_add(b, "option", v);
        put_u(b, "seq", l->u.tcp.seq);
        put_u(b, "src_port", l->u.tcp.src_port);
        put_u(b, "urgent", l->u.tcp.urgent);
        put_u(b, "window_size", l->u.tcp.window_size);
        break;
    case KEN_PKT_UDP:
        put_u(b, "csum", l->u.udp.csum);
        put_u(b, "dst_port", l->u.udp.dst_port);
        put_u(b, "src_port", l->u.udp.src_port);
        put_u(b, "total_length", l->u.udp.total_length);
        break;
    case KEN_PKT_SCTP: {
        json_object *chunks = json_object_new_array();
        json_object_object_add(b, "chunks", chunks);
        for (size_t off = 0; off < l->var_len;) {
            size_t len = l->var_len - off >= 4 ? wire_get16(l->var + off + 2) : 0;
            json_object *one = len >= 4 && len <= l->var_len - off ? sctp_chunk_json(l->var + off, len) : NULL;
            if (!one) {
                json_object_put(b);
                return fail(why, EBADMSG, "packet: sctp chunk at %zu: not one ken shows", off);
            }
            json_object_array_add(chunks, one);
            off += len; /* OS-Ken neither writes nor skips chunk padding */
        }
        put_u(b, "csum", l->u.sctp.csum);
        put_u(b, "dst_port", l->u.sctp.dst_port);
        put_u(b, "src_port", l->u.sctp.src_port);
        put_u(b, "vtag", l->u.sctp.vtag);
        break;
    }
    case KEN_PKT_LLDP: {
        size_t used;
        if (pkt_lldp_tlvs_check(l->var, l->var_len, &used)) { /* again: the TLV walk below trusts it */
            json_object_put(b);
            return fail(why, EBADMSG, "packet: lldp TLVs that do not parse");
        }
        json_object *tlvs = json_object_new_array();
        for (size_t off = 0; off + 2 <= l->var_len;) {
            size_t len = wire_get16(l->var + off) & 0x1ff;
            if (off + 2 + len > l->var_len)
                break; /* checked by the parse */
            json_object_array_add(tlvs, lldp_tlv_json(l->var + off, len));
            off += 2 + len;
        }
        json_object_object_add(b, "tlvs", tlvs);
        break;
    }
    case KEN_PKT_USER: {
        const struct ken_pkt_proto_ops *ops = pkt_user_ops(l->user);
        json_object_put(b);
        b = ops && ops->to_json ? ops->to_json(h, l) : NULL;
        if (!b)
            return fail(why, EBADMSG, "packet: %s: no JSON", ops ? ops->name : "user protocol");
        break;
    }
    default:
        json_object_put(b);
        return fail(why, EBADMSG, "packet: layer kind %u", l->proto);
    }
    *out = wrap(ken_pkt_proto_name(l), b);
    return 0;
}

int ken_pkt_to_json(const struct ken_pkt *p, json_object **out, char why[KEN_PKT_WHY_LEN])
{
    json_object *protos = json_object_new_array();
    why[0] = 0;
    for (size_t i = 0; i < p->n; i++) {
        json_object *one = NULL;
        if (p->l[i].proto == KEN_PKT_RAW && pkt_all_zero(p->frame + p->l[i].off, p->l[i].hdr_len))
            continue; /* padding: OS-Ken leaves it out */
        int err = layer_json(p, &p->l[i], &one, why);
        if (err) {
            json_object_put(protos);
            *out = NULL;
            return err;
        }
        json_object_array_add(protos, one);
    }
    json_object *body = json_object_new_object();
    json_object_object_add(body, "protocols", protos);
    *out = wrap("Packet", body);
    return 0;
}

/* ---- text ---- */

int ken_pkt_print(const struct ken_pkt *p, FILE *f, int indent)
{
    char why[KEN_PKT_WHY_LEN];
    for (size_t i = 0; i < p->n; i++) {
        const struct ken_pkt_layer *l = &p->l[i];
        if (l->proto == KEN_PKT_RAW) {
            bool pad = pkt_all_zero(p->frame + l->off, l->hdr_len);
            fprintf(f, "%*s%s %u bytes\n", indent, "", pad ? "padding" : "payload", l->hdr_len);
            continue;
        }
        json_object *item = NULL;
        if (layer_json(p, l, &item, why)) {
            fprintf(f, "%*s%s (not shown: %s)\n", indent, "", ken_pkt_proto_name(l), why);
            return EBADMSG;
        }
        json_object_object_foreach(item, name, body)
        {
            fprintf(f, "%*s%s", indent, "", name);
            json_object_object_foreach(body, k, v)
            {
                const char *s = json_object_is_type(v, json_type_string)
                                    ? json_object_get_string(v)
                                    : json_object_to_json_string_ext(v, JSON_C_TO_STRING_PLAIN |
                                                                            JSON_C_TO_STRING_NOSLASHESCAPE);
                fprintf(f, " %s=%s", k, s ? s : "null");
            }
            fputc('\n', f);
        }
        json_object_put(item);
    }
    return 0;
}
