/* libFuzzer target: any bytes through every hot-path decoder. */
#include <stdint.h>
#include <stdlib.h>

#include "ken/ofp_msg.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct ken_packet_in pi;
    struct ken_flow_mod fm;
    struct ken_switch_features f;
    struct ken_port ports[8];
    struct ken_port_status ps;
    struct ken_error_msg e;
    struct ken_port_stats st[8];
    size_t n;
    if (!ken_packet_in_decode(data, size, &pi) && pi.data + pi.data_len > data + size)
        abort();
    struct ken_arena a = KEN_ARENA_INIT;
    if (!ken_flow_mod_decode(data, size, &fm, &a)) {
        struct ken_buf b = KEN_BUF_INIT; /* what decodes re-encodes */
        (void)ken_flow_mod_encode(&b, data[0], 0, &fm);
        ken_buf_free(&b);
    }
    ken_arena_free(&a);
    (void)ken_switch_features_decode(data, size, &f);
    (void)ken_ports_decode(data, size, ports, 8, &n);
    (void)ken_port_status_decode(data, size, &ps);
    (void)ken_error_decode(data, size, &e);
    (void)ken_port_stats_decode(data, size, st, 8, &n);
    (void)ken_hello_negotiate(data, size, 0x7a);
    return 0;
}
