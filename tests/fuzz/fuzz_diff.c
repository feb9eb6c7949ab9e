/* libFuzzer target: the hot-path struct codec (ken/ofp_msg.h) against the
 * table codec (ken_ofp_to_json). For any bytes that a fast decoder reads
 * (by its message type and version), both must accept or both reject, and
 * every field the fast struct carries must equal the table codec's:
 * - packet-in, flow-mod, port stats: the struct is encoded again by the
 *   fast encoder, and the table codec must read the same JSON from both
 *   messages (fields the struct does not carry are copied across first);
 * - features, ports, port-status, error: field by field against the JSON.
 * A disagreement aborts with both sides printed. */
#include <json-c/json.h>
#include <inttypes.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ken/ofp.h"
#include "ken/ofp_consts.h"
#include "ken/ofp_msg.h"
#include "ken/wire.h"

static const uint8_t *in_data;
static size_t in_size;

__attribute__((noreturn)) static void disagree(const char *what, json_object *j)
{
    fprintf(stderr, "fuzz-diff: %s\ninput:", what);
    for (size_t i = 0; i < in_size; i++)
        fprintf(stderr, "%02x", in_data[i]);
    fprintf(stderr, "\njson: %s\n", j ? json_object_to_json_string(j) : "(none)");
    abort();
}

static json_object *get(json_object *o, const char *key)
{
    json_object *v = NULL;
    if (!o || !json_object_object_get_ex(o, key, &v))
        return NULL;
    return v;
}

/* The body of {"Cls": {...}}. */
static json_object *body_of(json_object *o)
{
    json_object_object_foreach(o, k, v)
    {
        (void)k;
        return v;
    }
    return NULL;
}

static void same_uint(json_object *top, json_object *o, const char *key, uint64_t fast)
{
    json_object *v = get(o, key);
    if (!v || (uint64_t)json_object_get_uint64(v) != fast) {
        char msg[160];
        snprintf(msg, sizeof msg, "field %s: fast %" PRIu64 ", table %s", key, fast,
                 v ? json_object_to_json_string(v) : "absent");
        disagree(msg, top);
    }
}

static void same_mac(json_object *top, json_object *o, const char *key, const uint8_t mac[6])
{
    char s[18];
    snprintf(s, sizeof s, "%02x:%02x:%02x:%02x:%02x:%02x", mac[0], mac[1], mac[2], mac[3], mac[4], mac[5]);
    json_object *v = get(o, key);
    if (!v || strcmp(json_object_get_string(v), s))
        disagree("field hw_addr", top);
}

static void same_bytes(json_object *top, json_object *o, const char *key, const void *p, size_t n)
{
    json_object *v = get(o, key);
    if (!v || (size_t)json_object_get_string_len(v) != n || memcmp(json_object_get_string(v), p, n)) {
        char msg[96];
        snprintf(msg, sizeof msg, "field %s (%zu bytes fast)", key, n);
        disagree(msg, top);
    }
}

static void same_base64(json_object *top, json_object *o, const char *key, const uint8_t *p, size_t n)
{
    static const char b64[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    char *s = malloc((n + 2) / 3 * 4 + 1);
    size_t k = 0;
    for (size_t i = 0; i < n; i += 3) {
        uint32_t w = (uint32_t)p[i] << 16 | (i + 1 < n ? (uint32_t)p[i + 1] << 8 : 0) | (i + 2 < n ? p[i + 2] : 0);
        s[k++] = b64[w >> 18 & 63];
        s[k++] = b64[w >> 12 & 63];
        s[k++] = i + 1 < n ? b64[w >> 6 & 63] : '=';
        s[k++] = i + 2 < n ? b64[w & 63] : '=';
    }
    s[k] = 0;
    same_bytes(top, o, key, s, k);
    free(s);
}

/* A port: "OFPPort" or "OFPPhyPort" body; 1.4+ speeds and features in the
 * ethernet property. */
static void same_port(json_object *top, json_object *jp, uint8_t version, const struct ken_port *p)
{
    same_uint(top, jp, "port_no", ken_port_to_wire(version, p->port_no));
    same_mac(top, jp, "hw_addr", p->hw_addr);
    same_bytes(top, jp, "name", p->name, strlen(p->name));
    same_uint(top, jp, "config", p->config);
    same_uint(top, jp, "state", p->state);
    json_object *feat = jp;
    if (version >= KEN_OFP14) {
        feat = NULL;
        json_object *props = get(jp, "properties");
        for (size_t i = 0; props && i < json_object_array_length(props); i++) {
            json_object *eth = get(json_object_array_get_idx(props, i), "OFPPortDescPropEthernet");
            if (eth)
                feat = eth; /* the fast decoder reads the last one */
        }
        if (!feat) {
            if (p->curr || p->advertised || p->supported || p->peer || p->curr_speed || p->max_speed)
                disagree("port features without an ethernet property", top);
            return;
        }
    }
    same_uint(top, feat, "curr", p->curr);
    same_uint(top, feat, "advertised", p->advertised);
    same_uint(top, feat, "supported", p->supported);
    same_uint(top, feat, "peer", p->peer);
    if (version != KEN_OFP10) {
        same_uint(top, feat, "curr_speed", p->curr_speed);
        same_uint(top, feat, "max_speed", p->max_speed);
    }
}

/* The table codec reads the same message from the re-encoded bytes. */
static void same_after_reencode(json_object *j, const struct ken_buf *b, const char *what)
{
    json_object *j2 = NULL;
    char why[KEN_WHY_LEN];
    if (ken_ofp_to_json(b->data, b->len, &j2, why)) {
        char msg[KEN_WHY_LEN + 64];
        snprintf(msg, sizeof msg, "%s: the fast struct re-encodes to bytes the table codec rejects: %s", what, why);
        disagree(msg, j);
    }
    if (!json_object_equal(j, j2)) {
        fprintf(stderr, "re-encoded: %s\n", json_object_to_json_string(j2));
        char msg[96];
        snprintf(msg, sizeof msg, "%s: a field differs between the fast struct and the table codec", what);
        disagree(msg, j);
    }
    json_object_put(j2);
}

/* The 1.0 match as the fast struct sees it (OXM fields): a wildcarded
 * field's value is no field at all (zero), nw_src/nw_dst wildcards of 32
 * and more are all wildcarded (63), the undefined wildcard bits 22-31 are
 * not kept, and nw_tos is ip_dscp (the two low bits are ECN). */
static void match10_canonical(uint8_t *m)
{
    static const struct { uint32_t bit; uint8_t at, len; } fields[] = {
        {1u << 0, 4, 2},  {1u << 2, 6, 6},  {1u << 3, 12, 6}, {1u << 1, 18, 2}, {1u << 20, 20, 1},
        {1u << 4, 22, 2}, {1u << 21, 24, 1}, {1u << 5, 25, 1}, {1u << 6, 36, 2}, {1u << 7, 38, 2},
    };
    uint32_t w = wire_get32(m) & ((1u << 22) - 1);
    for (size_t i = 0; i < sizeof fields / sizeof *fields; i++)
        if (w & fields[i].bit)
            memset(m + fields[i].at, 0, fields[i].len);
    m[24] &= 0xfc;
    m[21] = m[26] = m[27] = 0;
    for (int shift = 8; shift <= 14; shift += 6) {
        uint32_t bits = w >> shift & 0x3f;
        if (bits >= 32) {
            w |= 0x3fu << shift;
            memset(m + (shift == 8 ? 28 : 32), 0, 4);
        }
    }
    wire_put32(m, w);
}

static void accept_agrees(int fast_err, int table_err, json_object *j, const char *what)
{
    if ((fast_err == 0) != (table_err == 0)) {
        char msg[160];
        snprintf(msg, sizeof msg, "%s: fast %s, table %s", what, fast_err ? ken_err_name(fast_err) : "accepts",
                 table_err ? ken_err_name(table_err) : "accepts");
        disagree(msg, j);
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    in_data = data;
    in_size = size;
    if (size < 8 || !ken_ofp_version_supported(data[0]))
        return 0; /* framing and version: both check them the same way, and nothing else applies */
    uint8_t v = data[0], type = data[1];
    size_t len = wire_get16(data + 2);
    if (len < 8 || len > size)
        return 0; /* a truncated message: the JSON codec shows what it can, the fast one refuses */
    json_object *j = NULL;
    char why[KEN_WHY_LEN];
    int terr = ken_ofp_to_json(data, size, &j, why);
    json_object *body = j ? body_of(j) : NULL;
    uint8_t mp_reply = v == KEN_OFP10 ? 17 : 19;
    uint16_t mp = len >= 10 ? wire_get16(data + 8) : 0xfffe;
    struct ken_buf b = KEN_BUF_INIT;

    if (type == 10) {
        struct ken_packet_in pi;
        int ferr = ken_packet_in_decode(data, size, &pi);
        accept_agrees(ferr, terr, j, "packet-in");
        if (!ferr) {
            if (ken_packet_in_encode(&b, v, wire_get32(data + 4), &pi))
                disagree("packet-in: the fast struct does not encode again", j);
            if (v != KEN_OFP10) /* the match type: not in the struct */
                memcpy(b.data + (v == KEN_OFP12 ? 16 : 24), data + (v == KEN_OFP12 ? 16 : 24), 2);
            same_after_reencode(j, &b, "packet-in");
        }
    } else if (type == 14) {
        struct ken_flow_mod fm;
        struct ken_arena a = KEN_ARENA_INIT;
        int ferr = ken_flow_mod_decode(data, size, &fm, &a);
        accept_agrees(ferr, terr, j, "flow-mod");
        if (!ferr) {
            if (ken_flow_mod_encode(&b, v, wire_get32(data + 4), &fm))
                disagree("flow-mod: the fast struct does not encode again", j);
            if (v != KEN_OFP10) /* the match type: not in the struct */
                memcpy(b.data + 48, data + 48, 2);
            if (v == KEN_OFP10) {
                uint8_t *canon = malloc(len);
                memcpy(canon, data, len);
                match10_canonical(canon + 8);
                json_object *jc = NULL;
                if (ken_ofp_to_json(canon, len, &jc, why))
                    disagree("flow-mod: the canonical 1.0 match does not decode", j);
                same_after_reencode(jc, &b, "flow-mod");
                json_object_put(jc);
                free(canon);
            } else {
                same_after_reencode(j, &b, "flow-mod");
            }
        }
        ken_arena_free(&a);
    } else if (type == 6) {
        struct ken_switch_features f;
        int ferr = ken_switch_features_decode(data, size, &f);
        accept_agrees(ferr, terr, j, "features reply");
        if (!ferr) {
            same_uint(j, body, "datapath_id", f.datapath_id);
            same_uint(j, body, "n_buffers", f.n_buffers);
            same_uint(j, body, "n_tables", f.n_tables);
            if (v >= KEN_OFP13)
                same_uint(j, body, "auxiliary_id", f.auxiliary_id);
            same_uint(j, body, "capabilities", f.capabilities);
            if (v == KEN_OFP10)
                same_uint(j, body, "actions", f.actions);
        }
        static struct ken_port ports[1400];
        size_t n = 0;
        ferr = ken_ports_decode(data, size, ports, 1400, &n);
        accept_agrees(ferr, terr, j, "features reply ports");
        json_object *jports = get(body, "ports");
        for (size_t i = 0; !ferr && v < KEN_OFP13 && i < n; i++) {
            bool last = true; /* the JSON is keyed by port number: the last one of a number wins */
            for (size_t k = i + 1; k < n; k++)
                last &= ports[k].port_no != ports[i].port_no;
            char key[16];
            snprintf(key, sizeof key, "%" PRIu32, ken_port_to_wire(v, ports[i].port_no));
            json_object *jp = get(jports, key);
            if (!jp)
                disagree("features reply: a port the table codec lacks", j);
            if (last)
                same_port(j, body_of(jp), v, &ports[i]);
        }
    } else if (type == 12) {
        struct ken_port_status ps;
        int ferr = ken_port_status_decode(data, size, &ps);
        accept_agrees(ferr, terr, j, "port-status");
        if (!ferr) {
            same_uint(j, body, "reason", ps.reason);
            same_port(j, body_of(get(body, "desc")), v, &ps.desc);
        }
    } else if (type == 1) {
        struct ken_error_msg e;
        int ferr = ken_error_decode(data, size, &e);
        accept_agrees(ferr, terr, j, "error");
        if (!ferr) {
            same_uint(j, body, "type", e.type);
            if (e.type == 0xffff && v != KEN_OFP10) { /* experimenter error: exp_type, experimenter, data */
                same_uint(j, body, "exp_type", e.code);
                if (e.data_len < 4)
                    disagree("experimenter error: no experimenter id, yet accepted", j);
                same_uint(j, body, "experimenter", wire_get32(e.data));
                same_base64(j, body, "data", e.data + 4, e.data_len - 4u);
            } else {
                same_uint(j, body, "code", e.code);
                same_base64(j, body, "data", e.data, e.data_len);
            }
        }
    } else if (type == mp_reply && mp == 4 && v <= KEN_OFP13) {
        static struct ken_port_stats st[700];
        size_t n = 0;
        int ferr = ken_port_stats_decode(data, size, st, 700, &n);
        accept_agrees(ferr, terr, j, "port stats reply");
        if (!ferr && n <= 700) {
            if (ken_port_stats_reply_encode(&b, v, wire_get32(data + 4), st, n))
                disagree("port stats: the fast struct does not encode again", j);
            memcpy(b.data + 10, data + 10, 2); /* flags: not in the struct */
            same_after_reencode(j, &b, "port stats reply");
        }
    } else if (type == mp_reply && mp == 13 && v >= KEN_OFP13) {
        static struct ken_port ports[1400];
        size_t n = 0;
        int ferr = ken_ports_decode(data, size, ports, 1400, &n);
        accept_agrees(ferr, terr, j, "port-desc reply");
        json_object *arr = get(body, "body");
        if (!ferr && (!arr || json_object_array_length(arr) != n))
            disagree("port-desc reply: port counts differ", j);
        for (size_t i = 0; !ferr && i < n && i < 1400; i++)
            same_port(j, body_of(json_object_array_get_idx(arr, i)), v, &ports[i]);
    }
    ken_buf_free(&b);
    json_object_put(j);
    return 0;
}
