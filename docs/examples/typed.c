/* Typed messages: build an OpenFlow 1.3 flow-stats request with OS-Ken's
 * defaults, show it as OS-Ken JSON; then decode a port-stats reply into
 * its struct and read the counters by name.
 *   build/docs-example-typed */
#include <json-c/json.h>
#include <stdio.h>

#include "ken/ofp.h"
#include "ken/ofp_typed.h"

int main(void)
{
    char why[KEN_WHY_LEN];
    struct ken_ofp_flow_stats_request req;
    ken_ofp_flow_stats_request_init(&req, KEN_OFP13); /* all tables, OFPP_ANY, OFPG_ANY, any match */
    req.cookie = 0x10;
    req.cookie_mask = 0xff;
    struct ken_buf msg = KEN_BUF_INIT;
    if (ken_ofp_encode(&msg, KEN_OFP13, 1, KEN_OFP_FLOW_STATS_REQUEST, &req, why)) {
        fprintf(stderr, "encode: %s\n", why);
        return 1;
    }
    json_object *json = NULL;
    if (ken_ofp_to_json(msg.data, msg.len, &json, why))
        return 1;
    printf("%s\n", json_object_to_json_string_ext(json, JSON_C_TO_STRING_PRETTY));
    json_object_put(json);

    /* A port-stats reply, as a switch sends it: port 1 with 5 packets in. */
    struct ken_ofp_port_stats_reply reply;
    ken_ofp_port_stats_reply_init(&reply, KEN_OFP13);
    struct ken_ofp_port_stats port = {.port_no = 1, .rx_packets = 5, .rx_bytes = 420};
    reply.body = &port;
    reply.n_body = 1;
    ken_buf_clear(&msg);
    if (ken_ofp_encode(&msg, KEN_OFP13, 2, KEN_OFP_PORT_STATS_REPLY, &reply, why))
        return 1;

    struct ken_arena arena = KEN_ARENA_INIT;
    enum ken_ofp_class cls;
    void *decoded;
    if (ken_ofp_decode(msg.data, msg.len, &arena, &cls, &decoded, why)) {
        fprintf(stderr, "decode: %s\n", why);
        return 1;
    }
    const struct ken_ofp_port_stats_reply *r = decoded;
    for (size_t i = 0; i < r->n_body; i++)
        printf("%s: port %u rx_packets %llu rx_bytes %llu\n", ken_ofp_class_name(cls), r->body[i].port_no,
               (unsigned long long)r->body[i].rx_packets, (unsigned long long)r->body[i].rx_bytes);
    ken_arena_free(&arena);
    ken_buf_free(&msg);
    return 0;
}
