/* libFuzzer target: any bytes as an Ethernet frame through the packet
 * library (ken/packet.h). The parse succeeds or says EBADMSG/ENOSPC, never
 * crashes or reads past the frame. A packet that parses and shows as JSON
 * builds from that JSON; building again from the built frame's parse
 * reaches a fixed point after at most one round: that frame's own JSON
 * builds the same bytes again. (One round, because OS-Ken's JSON leaves
 * out what it does not show, such as INIT parameters after one it does
 * not expect or the bytes an SCTP chunk's length counts past its fields,
 * while the lengths still count them: the first frame built may then
 * parse to less than it was built from, and what it parses to is stable.
 * Nor need a built frame parse at all.) */
#include <errno.h>
#include <stdbool.h>
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

static bool same(const struct ken_buf *a, const struct ken_buf *b)
{
    return a->len == b->len && (!a->len || !memcmp(a->data, b->data, a->len));
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    json_object *j[4] = {NULL, NULL, NULL, NULL};
    struct ken_buf b[4] = {KEN_BUF_INIT, KEN_BUF_INIT, KEN_BUF_INIT, KEN_BUF_INIT};
    int err;
    /* b[1] from the input; b[2] from b[1]'s parse; b[2] differing, b[3]
     * from b[2]'s parse must equal b[2]. */
    build_json(data, size, &j[1], &b[1], &err);
    for (int k = 2; !err && k <= 3; k++) {
        build_json(b[k - 1].data, b[k - 1].len, &j[k], &b[k], &err);
        if (err || same(&b[k - 1], &b[k]))
            break;
        if (k == 3) {
            fprintf(stderr, "no fixed point after one round:\n%s\n%s\n%s\n", json_object_to_json_string(j[1]),
                    json_object_to_json_string(j[2]), json_object_to_json_string(j[3]));
            abort();
        }
    }
    for (int k = 1; k <= 3; k++) {
        json_object_put(j[k]);
        ken_buf_free(&b[k]);
    }
    return 0;
}
