/* libFuzzer target: any bytes as an Ethernet frame through the packet
 * library (ken/packet.h). The parse succeeds or says EBADMSG/ENOSPC, never
 * crashes or reads past the frame. A packet that parses and shows as JSON
 * builds from that JSON; the frame built, when it parses, is a fixed
 * point: its own JSON builds the same bytes again. (It need not parse:
 * OS-Ken's JSON leaves out what it does not show, such as INIT parameters
 * after one it does not expect, while the lengths still count them.) */
#include <errno.h>
#include <json-c/json.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ken/packet.h"

/* Whether building the parse cannot work, as it cannot in OS-Ken: a TCP,
 * UDP or ICMPv6 layer whose checksum is 0 (build: compute it) with no IP
 * layer right before it for the pseudo-header (OS-Ken's svlan reads a
 * small type as an IP protocol number, and ken parses as OS-Ken does). */
static int unbuildable(const struct ken_pkt *pkt)
{
    for (size_t i = 0; i < pkt->n; i++) {
        const struct ken_pkt_layer *l = &pkt->l[i];
        int zero = (l->proto == KEN_PKT_TCP && !l->u.tcp.csum) || (l->proto == KEN_PKT_UDP && !l->u.udp.csum) ||
                   (l->proto == KEN_PKT_ICMPV6 && !l->u.icmp.csum);
        if (zero && (i == 0 || (pkt->l[i - 1].proto != KEN_PKT_IPV4 && pkt->l[i - 1].proto != KEN_PKT_IPV6)))
            return 1;
    }
    return 0;
}

static void build_json(const uint8_t *p, size_t n, json_object **json, struct ken_buf *out, int *err)
{
    struct ken_pkt pkt;
    char why[KEN_PKT_WHY_LEN];
    *json = NULL;
    *err = ken_pkt_parse(p, n, &pkt);
    if (*err) {
        if (*err != EBADMSG && *err != ENOSPC)
            abort();
        return;
    }
    if ((*err = ken_pkt_to_json(&pkt, json, why))) {
        if (!why[0])
            abort(); /* every error carries a reason */
        return;
    }
    if (ken_pkt_from_json(*json, out, why)) {
        if (unbuildable(&pkt)) {
            *err = EINVAL;
            return;
        }
        fprintf(stderr, "cannot build what was parsed: %s\n%s\n", why, json_object_to_json_string(*json));
        abort();
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    json_object *j1, *j2;
    struct ken_buf b1 = KEN_BUF_INIT, b2 = KEN_BUF_INIT;
    int err;
    build_json(data, size, &j1, &b1, &err);
    if (!err) {
        build_json(b1.data, b1.len, &j2, &b2, &err);
        if (!err && (b1.len != b2.len || (b1.len && memcmp(b1.data, b2.data, b1.len)))) {
            fprintf(stderr, "not a fixed point (err %d):\n%s\n%s\n", err, json_object_to_json_string(j1),
                    j2 ? json_object_to_json_string(j2) : "-");
            abort();
        }
        json_object_put(j2);
        err = 0;
    }
    json_object_put(j1);
    ken_buf_free(&b1);
    ken_buf_free(&b2);
    return 0;
}
