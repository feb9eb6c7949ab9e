/* libFuzzer: arbitrary packet-ins into the switches app's state (a line
 * of three switches, links both ways): LLDP frames of every shape, and
 * host frames of every ethertype and length. Nothing may read out of
 * bounds or crash; the first two bytes pick the switch and the port. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include "ken/topology.h"
#include "services/switches_core.h"

static void f_emit(void *ctx, struct ken_event *ev)
{
    (void)ctx;
    ken_event_unref(ev);
}
static void f_send(void *ctx, struct ken_datapath *dp, uint64_t dpid, uint32_t port_no, const uint8_t *frame,
                   size_t len)
{
    (void)ctx, (void)dp, (void)dpid, (void)port_no, (void)frame, (void)len;
}
static void f_wake(void *ctx) { (void)ctx; }
static const struct topo_ops ops = {f_emit, f_send, f_wake};

static struct topo *topo;
static unsigned runs;

static void build(void)
{
    topo_free(topo);
    topo = topo_new(true, &ops, NULL);
    for (uint64_t d = 1; d <= 3; d++) {
        struct ken_port ports[4] = {{0}};
        for (uint32_t i = 0; i < 4; i++) {
            ports[i].port_no = i < 3 ? i + 1 : 0xfffffffeu;
            ports[i].hw_addr[5] = (uint8_t)(d * 16 + i);
        }
        struct ken_datapath *old;
        topo_switch_enter(topo, NULL, d, ports, 4, &old);
    }
    struct ken_buf b = KEN_BUF_INIT;
    const uint8_t mac[6] = {2, 0, 0, 0, 0, 1};
    const uint64_t ends[4][4] = {{1, 2, 2, 2}, {2, 2, 1, 2}, {2, 3, 3, 2}, {3, 2, 2, 3}};
    for (int i = 0; i < 4; i++) {
        b.len = 0;
        ken_topo_lldp_build(&b, ends[i][0], (uint32_t)ends[i][1], mac);
        topo_packet_in(topo, ends[i][2], (uint32_t)ends[i][3], b.data, b.len, 0);
    }
    ken_buf_free(&b);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (!topo || ++runs % 512 == 0) {
        ken_topology_register_classes();
        build();
    }
    if (size < 2)
        return 0;
    uint64_t dpid = data[0] % 4;
    uint32_t port = data[1] % 5;
    /* An exact-size copy, so that ASan sees any read past the frame. */
    size_t n = size - 2;
    uint8_t *frame = malloc(n ? n : 1);
    for (size_t i = 0; i < n; i++)
        frame[i] = data[2 + i];
    topo_packet_in(topo, dpid, port, frame, n, (uint64_t)runs * 1000000000ull);
    if (runs % 64 == 0)
        topo_link_check(topo, (uint64_t)runs * 1000000000ull);
    free(frame);
    return 0;
}
