/* ken-bench-codec: ns per message for the hot-path codec on the four
 * messages of BENCHMARKS.md. Prints a table, or with --json one object per
 * row including the message bytes as hex, which bench/osken_codec.py feeds
 * to OS-Ken's parser for the side-by-side ratio. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "ken/ofp_msg.h"

static double now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1e9 + ts.tv_nsec;
}

/* Keeps the optimizer from dropping work whose result is unused. */
static volatile uint64_t sink;

static uint8_t frame128[128];

static void build_packet_in(struct ken_buf *b, uint8_t version)
{
    struct ken_packet_in pi;
    memset(&pi, 0, sizeof pi);
    pi.buffer_id = 256;
    pi.total_len = sizeof frame128;
    pi.in_port = 1;
    ken_match_init(&pi.match);
    if (version != KEN_OFP10) { /* three fields: in_port, eth_dst, eth_src */
        ken_match_add_u32(&pi.match, KEN_OXM_IN_PORT, 1);
        ken_match_add_mac(&pi.match, KEN_OXM_ETH_DST, frame128, NULL);
        ken_match_add_mac(&pi.match, KEN_OXM_ETH_SRC, frame128 + 6, NULL);
    }
    pi.data = frame128;
    pi.data_len = sizeof frame128;
    ken_packet_in_encode(b, version, 1, &pi);
}

static void fill_flow_mod(struct ken_flow_mod *fm)
{
    ken_flow_mod_init(fm);
    fm->priority = 1;
    fm->idle_timeout = 60;
    ken_match_add_u32(&fm->match, KEN_OXM_IN_PORT, 1);
    ken_match_add_mac(&fm->match, KEN_OXM_ETH_DST, frame128, NULL);
    ken_match_add_mac(&fm->match, KEN_OXM_ETH_SRC, frame128 + 6, NULL);
    ken_match_add_u16(&fm->match, KEN_OXM_ETH_TYPE, 0x0800);
    /* Static: the flow-mod points at them until it is encoded. */
    static struct ken_action acts[2];
    static struct ken_instruction inst[2];
    acts[0] = ken_action_output(2, 0);
    acts[1] = ken_action_output(KEN_OFPP_CONTROLLER, 128);
    inst[0] = (struct ken_instruction){.type = KEN_INST_APPLY_ACTIONS, .n_actions = 2, .actions = acts};
    inst[1] = (struct ken_instruction){.type = KEN_INST_GOTO_TABLE, .table_id = 1};
    fm->inst = inst;
    fm->n_instructions = 2;
}

static struct ken_port_stats stats48[48];

static void build_port_stats(struct ken_buf *b)
{
    for (int i = 0; i < 48; i++) {
        stats48[i].port_no = (uint32_t)i + 1;
        stats48[i].rx_packets = 1000u * (unsigned)i;
        stats48[i].tx_bytes = 64000u * (unsigned)i;
    }
    ken_port_stats_reply_encode(b, KEN_OFP13, 1, stats48, 48);
}

struct row {
    const char *name;
    struct ken_buf msg;
    double dec_ns, enc_ns;
};

static long iters = 2000000;

static double time_decode(const struct ken_buf *m)
{
    static struct ken_packet_in pi;
    static struct ken_flow_mod fm;
    static struct ken_port_stats st[48];
    static struct ken_arena arena = KEN_ARENA_INIT;
    size_t n;
    double t0 = now_ns();
    for (long i = 0; i < iters; i++) {
        switch (m->data[1]) {
        case 10: ken_packet_in_decode(m->data, m->len, &pi); sink += pi.data_len; break;
        case 14: { /* one arena reused, as a loop of decodes would (ken_arena_reset) */
            ken_flow_mod_decode(m->data, m->len, &fm, &arena);
            sink += fm.match.n + fm.n_instructions;
            ken_arena_reset(&arena);
            break;
        }
        default: ken_port_stats_decode(m->data, m->len, st, 48, &n); sink += n; break;
        }
    }
    return (now_ns() - t0) / (double)iters;
}

static double time_encode(const struct ken_buf *m)
{
    struct ken_buf out = KEN_BUF_INIT;
    static struct ken_packet_in pi;
    static struct ken_flow_mod fm;
    int type = m->data[1];
    uint8_t v = m->data[0];
    if (type == 10)
        ken_packet_in_decode(m->data, m->len, &pi);
    else if (type == 14)
        fill_flow_mod(&fm);
    ken_buf_reserve(&out, 65536);
    double t0 = now_ns();
    for (long i = 0; i < iters; i++) {
        out.len = 0; /* reuse the buffer, as the controller's send path does */
        switch (type) {
        case 10: ken_packet_in_encode(&out, v, (uint32_t)i, &pi); break;
        case 14: ken_flow_mod_encode(&out, v, (uint32_t)i, &fm); break;
        default: ken_port_stats_reply_encode(&out, v, (uint32_t)i, stats48, 48); break;
        }
        sink += out.len;
    }
    double ns = (now_ns() - t0) / (double)iters;
    ken_buf_free(&out);
    return ns;
}

int main(int argc, char **argv)
{
    int json = 0;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--json"))
            json = 1;
        else if (!strcmp(argv[i], "--iterations") && i + 1 < argc)
            iters = atol(argv[++i]);
        else {
            fprintf(stderr, "Usage: ken-bench-codec [--json] [--iterations N]\n"
                            "Times ken's hot-path decode and encode of: an OF1.3 packet-in (128-byte frame,\n"
                            "3-field match), an OF1.3 flow-mod (4 OXM fields, apply-actions with 2 actions,\n"
                            "goto-table), an OF1.0 packet-in, and an OF1.3 port-stats reply with 48 ports.\n"
                            "bench/codec.sh runs it beside OS-Ken's parser and prints the ratios.\n");
            return strcmp(argv[i], "--help") ? 2 : 0;
        }
    }
    if (iters < 1)
        iters = 1;
    for (size_t i = 0; i < sizeof frame128; i++)
        frame128[i] = (uint8_t)(i * 7 + 1);
    struct row rows[4] = {{"of13-packet-in", KEN_BUF_INIT, 0, 0},
                          {"of13-flow-mod", KEN_BUF_INIT, 0, 0},
                          {"of10-packet-in", KEN_BUF_INIT, 0, 0},
                          {"of13-port-stats-reply-48", KEN_BUF_INIT, 0, 0}};
    build_packet_in(&rows[0].msg, KEN_OFP13);
    struct ken_flow_mod fm;
    fill_flow_mod(&fm);
    ken_flow_mod_encode(&rows[1].msg, KEN_OFP13, 1, &fm);
    build_packet_in(&rows[2].msg, KEN_OFP10);
    build_port_stats(&rows[3].msg);
    if (!json)
        printf("%-26s %6s %12s %12s\n", "message", "bytes", "decode ns", "encode ns");
    for (int r = 0; r < 4; r++) {
        long saved = iters;
        if (rows[r].msg.len > 1000)
            iters = iters / 10 + 1; /* the 48-port reply is 100x the work */
        time_decode(&rows[r].msg); /* warm up */
        rows[r].dec_ns = time_decode(&rows[r].msg);
        rows[r].enc_ns = time_encode(&rows[r].msg);
        iters = saved;
        if (json) {
            printf("{\"name\": \"%s\", \"decode_ns\": %.2f, \"encode_ns\": %.2f, \"hex\": \"", rows[r].name,
                   rows[r].dec_ns, rows[r].enc_ns);
            for (size_t i = 0; i < rows[r].msg.len; i++)
                printf("%02x", rows[r].msg.data[i]);
            printf("\"}\n");
        } else {
            printf("%-26s %6zu %12.1f %12.1f\n", rows[r].name, rows[r].msg.len, rows[r].dec_ns, rows[r].enc_ns);
        }
        ken_buf_free(&rows[r].msg);
    }
    return 0;
}
