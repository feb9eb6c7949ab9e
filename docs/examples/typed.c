/* Typed messages: build an OpenFlow 1.3 flow-stats request with OS-Ken's
 * defaults, show it as OS-Ken JSON; decode a port-stats reply into its
 * struct and read the counters by name; then build a 1.5 flow-mod whose
 * stat-trigger instruction asks the switch to report every 1000 packets,
 * and read the instruction back.
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

    /* OpenFlow 1.5: a flow whose statistics the switch reports each time
     * its packet count crosses a multiple of 1000. */
    struct ken_ofp_stats every = {.present = 1u << KEN_OXS_PACKET_COUNT, .packet_count = 1000};
    struct ken_instruction inst[] = {
        {.type = KEN_INST_STAT_TRIGGER, .flags = KEN_OFPSTF_PERIODIC, .thresholds = &every},
        {.type = KEN_INST_GOTO_TABLE, .table_id = 1},
    };
    struct ken_ofp_flow_mod fm;
    ken_ofp_flow_mod_init(&fm, KEN_OFP15);
    fm.priority = 10;
    fm.instructions = inst;
    fm.n_instructions = 2;
    ken_buf_clear(&msg);
    if (ken_ofp_encode(&msg, KEN_OFP15, 3, KEN_OFP_FLOW_MOD, &fm, why)) {
        fprintf(stderr, "encode: %s\n", why);
        return 1;
    }
    if (ken_ofp_decode(msg.data, msg.len, &arena, &cls, &decoded, why))
        return 1;
    const struct ken_ofp_flow_mod *back = decoded;
    const struct ken_instruction *st = &back->instructions[0];
    if (st->type == KEN_INST_STAT_TRIGGER && (st->thresholds->present & 1u << KEN_OXS_PACKET_COUNT))
        printf("%s: stat-trigger flags %u every %llu packets, then goto table %u\n", ken_ofp_class_name(cls),
               st->flags, (unsigned long long)st->thresholds->packet_count, back->instructions[1].table_id);
    ken_arena_free(&arena);
    ken_buf_free(&msg);
    return 0;
}
