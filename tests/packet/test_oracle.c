/* Holds the packet library to OS-Ken: for each packet gen_packets.py built
 * and serialized with os_ken.lib.packet (a line: name, frame hex, the JSON
 * before serialize, the JSON of OS-Ken's parse),
 *   - ken's parse then JSON equals OS-Ken's to_jsondict() of its parse;
 *   - ken's build from that JSON gives OS-Ken's bytes (where OS-Ken's own
 *     parse serializes back to them), and so does ken_pkt_build() of the
 *     parsed layers themselves (the C API), always;
 *   - ken's build from the JSON before serialize (lengths and checksums 0)
 *     gives OS-Ken's bytes: ken fills them as OS-Ken does (but for the
 *     SCTP CRC32c, where OS-Ken's is not RFC 3309's: gen_packets.py says why);
 *   - the frame cut at every length is an error (EBADMSG), never a crash or
 *     an overread (ASan), or, where the cut took only bytes no length field
 *     covers (padding, raw bytes, all after a header), the first layers of
 *     the whole frame, field for field (OS-Ken too ends a packet where
 *     nothing or only zeros are left); the count of each is printed.
 * VXLAN (RFC 7348) is registered here as a user's protocol would be
 * (ken_pkt_register, UDP port 4789): OS-Ken parses it, so the registry's
 * parse, JSON and build are held to OS-Ken too.
 * Usage: test-packet-oracle CORPUS.tsv */
#include <ctype.h>
#include <stdbool.h>
#include <errno.h>
#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ken/packet.h"
#include "ken/wire.h"

/* VXLAN: flags (the I bit), 24 reserved bits, the VNI, 8 reserved bits. */
static int vxlan_parse(const uint8_t *p, size_t len, struct ken_pkt_layer *l, enum ken_pkt_key_kind *next_kind,
                       uint32_t *next_key)
{
    if (len < 8 || p[0] != 0x08)
        return EBADMSG;
    l->hdr_len = 8;
    l->u.user.word[0] = wire_get32(p + 4) >> 8;
    *next_kind = KEN_PKT_KEY_FRAME;
    *next_key = 0;
    return 0;
}

static json_object *vxlan_to_json(const uint8_t *hdr, const struct ken_pkt_layer *l)
{
    (void)hdr;
    json_object *o = json_object_new_object();
    json_object_object_add(o, "vni", json_object_new_int64((int64_t)l->u.user.word[0]));
    return o;
}

static int vxlan_from_json(json_object *body, const uint8_t *payload, size_t payload_len, struct ken_buf *out)
{
    (void)payload, (void)payload_len;
    json_object *vni = NULL;
    if (!json_object_object_get_ex(body, "vni", &vni) || !json_object_is_type(vni, json_type_int))
        return EINVAL;
    ken_buf_put32(out, 0x08000000u);
    ken_buf_put32(out, (uint32_t)json_object_get_int64(vni) << 8);
    return 0;
}

static int vxlan_build(const struct ken_pkt_layer *l, const uint8_t *payload, size_t payload_len, struct ken_buf *out)
{
    (void)payload, (void)payload_len;
    ken_buf_put32(out, 0x08000000u);
    ken_buf_put32(out, (uint32_t)l->u.user.word[0] << 8);
    return 0;
}

static const struct ken_pkt_proto_ops vxlan_ops = {"vxlan",       KEN_PKT_KEY_UDP_PORT, 4789,       vxlan_parse,
                                                   vxlan_to_json, vxlan_from_json,      vxlan_build};

static int failures, shown;

static void report(const char *name, const char *what, const char *detail)
{
    failures++;
    if (shown++ < 12)
        fprintf(stderr, "FAIL %s: %s%s%s\n", name, what, detail ? ": " : "", detail ? detail : "");
}

static size_t unhex(const char *s, uint8_t *out)
{
    size_t n = 0;
    for (; isxdigit((unsigned char)s[0]) && isxdigit((unsigned char)s[1]); s += 2) {
        char b[3] = {s[0], s[1], 0};
        out[n++] = (uint8_t)strtoul(b, NULL, 16);
    }
    return n;
}

static void check_build(const char *name, const char *what, json_object *json, const uint8_t *want, size_t n)
{
    struct ken_buf out = KEN_BUF_INIT;
    char why[KEN_PKT_WHY_LEN];
    int err = ken_pkt_from_json(json, &out, why);
    if (err)
        report(name, what, why);
    else if (out.len != n || memcmp(out.data, want, n)) {
        char d[128];
        size_t at = 0;
        while (at < n && at < out.len && out.data[at] == want[at])
            at++;
        snprintf(d, sizeof d, "%zu bytes, OS-Ken %zu; first difference at %zu", out.len, n, at);
        report(name, what, d);
    }
    ken_buf_free(&out);
}

/* The protocols of a (a cut frame) are a prefix of b's, field for field,
 * but that a raw (base64) last layer of a may be shorter than b's layer. */
static bool prefix_of(json_object *a, json_object *b)
{
    json_object *pa = json_object_object_get(json_object_object_get(a, "Packet"), "protocols");
    json_object *pb = json_object_object_get(json_object_object_get(b, "Packet"), "protocols");
    size_t na = json_object_array_length(pa), nb = json_object_array_length(pb);
    if (na > nb)
        return false;
    for (size_t i = 0; i < na; i++) {
        json_object *x = json_object_array_get_idx(pa, i), *y = json_object_array_get_idx(pb, i);
        if (i + 1 == na && json_object_is_type(x, json_type_string))
            return true; /* raw bytes, perhaps fewer; or a layer the cut left as raw */
        if (!json_object_equal(x, y))
            return false;
    }
    return true;
}

int main(int argc, char **argv)
{
    if (argc != 2) {
        fprintf(stderr, "usage: test-packet-oracle CORPUS.tsv\n");
        return 2;
    }
    if (ken_pkt_register(&vxlan_ops) <= 0) {
        fprintf(stderr, "cannot register vxlan\n");
        return 1;
    }
    FILE *f = fopen(argv[1], "r");
    if (!f) {
        perror(argv[1]);
        return 2;
    }
    static char line[1 << 20];
    static uint8_t frame[1 << 16];
    size_t packets = 0, cuts = 0, cut_errors = 0;
    while (fgets(line, sizeof line, f)) {
        char *name = strtok(line, "\t"), *hex = strtok(NULL, "\t"), *pre = strtok(NULL, "\t"),
             *parsed = strtok(NULL, "\t"), *built = strtok(NULL, "\t"),
             *lossless = strtok(NULL, "\t\n");
        if (!name || !hex || !pre || !parsed || !built || !lossless)
            continue;
        size_t n = unhex(hex, frame);
        json_object *want = json_tokener_parse(parsed), *pre_json = json_tokener_parse(pre);
        packets++;
        struct ken_pkt p;
        char why[KEN_PKT_WHY_LEN];
        int err = ken_pkt_parse(frame, n, &p);
        json_object *got = NULL;
        if (err)
            report(name, "parse", strerror(err));
        else if (ken_pkt_to_json(&p, &got, why))
            report(name, "to JSON", why);
        else if (!json_object_equal(got, want)) {
            char d[60000];
            snprintf(d, sizeof d, "\n  ken:    %s\n  OS-Ken: %s", json_object_to_json_string(got),
                     json_object_to_json_string(want));
            report(name, "JSON differs", d);
        }
        json_object_put(got);
        if (!err) {
            struct ken_buf out = KEN_BUF_INIT;
            if (ken_pkt_build(&out, p.l, p.n))
                report(name, "ken_pkt_build of the parse", NULL);
            else if (out.len != n || memcmp(out.data, frame, n))
                report(name, "ken_pkt_build of the parse", "other bytes");
            ken_buf_free(&out);
        }
        if (*lossless == '1') /* else OS-Ken's JSON lost bytes (zeros it took for padding) */
            check_build(name, "build from the parsed JSON", want, frame, n);
        static uint8_t frame2[1 << 16];
        size_t n2 = unhex(built, frame2);
        check_build(name, "build from the JSON before serialize", pre_json, frame2, n2);
        json_object_put(want);
        json_object_put(pre_json);
        /* every cut, on a copy of exactly that size so that ASan sees an overread */
        for (size_t cut = 0; cut < n; cut++) {
            uint8_t *c = malloc(cut ? cut : 1);
            memcpy(c, frame, cut);
            struct ken_pkt q;
            int e = ken_pkt_parse(c, cut, &q);
            cuts++;
            if (e)
                cut_errors++;
            if (e && e != EBADMSG && e != ENOSPC)
                report(name, "cut: unexpected error", strerror(e));
            if (!e) {
                json_object *j = NULL, *full = NULL;
                if (ken_pkt_to_json(&q, &j, why) || ken_pkt_to_json(&p, &full, why))
                    report(name, "cut: to JSON", why);
                else if (!prefix_of(j, full)) {
                    char d[96];
                    snprintf(d, sizeof d, "cut at %zu of %zu parses to other layers", cut, n);
                    report(name, d, NULL);
                }
                json_object_put(j);
                json_object_put(full);
            }
            free(c);
        }
    }
    fclose(f);
    printf("%zu packets compared with OS-Ken, %d failures; %zu cuts: %zu errors, %zu the first layers\n", packets,
           failures, cuts, cut_errors, cuts - cut_errors);
    return failures || !packets ? 1 : 0;
}
