/* Parse a frame with ken's packet library and print its layers, then
 * answer it: build the ARP reply and show it as OS-Ken JSON.
 *   build/docs-example-packet */
#include <json-c/json.h>
#include <stdio.h>
#include <string.h>

#include "ken/packet.h"

/* An ARP request as a switch would send it in a packet-in: who has
 * 10.0.0.2? tell 10.0.0.1 (60 bytes, padding included). */
static const uint8_t request[60] = {
    0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x02, 0x00, 0x00, 0x00, 0x00, 0x01, 0x08, 0x06, /* ethernet */
    0x00, 0x01, 0x08, 0x00, 0x06, 0x04, 0x00, 0x01,                                     /* arp, request */
    0x02, 0x00, 0x00, 0x00, 0x00, 0x01, 10, 0, 0, 1,                                    /* sender */
    0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 10, 0, 0, 2,                                    /* target */
};

int main(void)
{
    static const uint8_t my_mac[6] = {0x02, 0x00, 0x00, 0x00, 0x00, 0x02};

    /* Parse: the layers in order, each with its fields. */
    struct ken_pkt pkt;
    if (ken_pkt_parse(request, sizeof request, &pkt))
        return 1;
    for (size_t i = 0; i < pkt.n; i++)
        printf("layer %zu: %s, header at %u, %u bytes\n", i, ken_pkt_proto_name(&pkt.l[i]), pkt.l[i].off,
               pkt.l[i].hdr_len);
    ken_pkt_print(&pkt, stdout, 2); /* the same, with every field */

    const struct ken_pkt_layer *arp = ken_pkt_find(&pkt, KEN_PKT_ARP);
    if (!arp || arp->u.arp.opcode != 1)
        return 1;

    /* Build the reply: Ethernet back to the sender, ARP opcode 2. */
    struct ken_pkt_layer reply[2];
    ken_pkt_layer_init(&reply[0], KEN_PKT_ETHERNET);
    memcpy(reply[0].u.eth.dst, arp->u.arp.src_mac, 6);
    memcpy(reply[0].u.eth.src, my_mac, 6);
    reply[0].u.eth.ethertype = 0x0806;
    ken_pkt_layer_init(&reply[1], KEN_PKT_ARP);
    reply[1].u.arp.opcode = 2;
    memcpy(reply[1].u.arp.src_mac, my_mac, 6);
    memcpy(reply[1].u.arp.src_ip, arp->u.arp.dst_ip, 4);
    memcpy(reply[1].u.arp.dst_mac, arp->u.arp.src_mac, 6);
    memcpy(reply[1].u.arp.dst_ip, arp->u.arp.src_ip, 4);

    struct ken_buf frame = KEN_BUF_INIT;
    if (ken_pkt_build(&frame, reply, 2)) /* padded to 60 bytes, as OS-Ken does */
        return 1;

    /* Show it as OS-Ken's Packet JSON: parse what was built. */
    struct ken_pkt out;
    json_object *json = NULL;
    char why[KEN_PKT_WHY_LEN];
    if (ken_pkt_parse(frame.data, frame.len, &out) || ken_pkt_to_json(&out, &json, why))
        return 1;
    printf("reply, %zu bytes:\n%s\n", frame.len, json_object_to_json_string_ext(json, JSON_C_TO_STRING_PLAIN));
    json_object_put(json);
    ken_buf_free(&frame);
    return 0;
}
