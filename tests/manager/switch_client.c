/* A fake switch for the ken-manager tests: it connects to a running
 * ken-manager, does the handshake, sends packet-ins and checks what the
 * built-in app answers (match, buffer id, priority, out port, data).
 *
 *   manager-switch-client PORT SCENARIO
 *
 * SCENARIO is simple_switch_13, simple_switch, cbench10, cbench13 (the app
 * ken-manager runs, and the OpenFlow version), or a liveness check after
 * the handshake, each of which holds only when echo_request_interval (and
 * maximum_unreplied_echo_requests) are low enough to act within 3 s:
 *   echo     the switch stops answering echo requests: disconnected
 *   stall    it sends half a message and goes silent: disconnected
 *   trickle  it sends a message one byte every 100 ms: disconnected
 *   alive    it answers echo requests for 2 s: echoed and kept
 * Or, each REPEATS (20) times over new connections:
 *   flap     the handshake (OpenFlow 1.3, datapath 0x42), then closed
 *   mismatch a 1.1-only hello: refused with HELLO_FAILED, closed
 * With SCENARIO listen, PORT is ignored: the switch listens on 127.0.0.1,
 * prints "listening on PORT", waits 10 s for the controller to connect (the
 * active mode) and does the handshake.
 * Exits 0 when every check holds, else prints "FAIL: ..." and exits 1.
 * The connection side comes from tests/controller/fake_switch. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "../controller/fake_switch.h"
#include "ken/ofp_consts.h"
#include "ken/ofp_msg.h"

#define WAIT_MS 3000
#define T_SET_CONFIG 9
#define T_PACKET_OUT 13
#define T_FLOW_MOD 14
#define FRAME_LEN 60

static struct fsw sw;  /* large buffers: not on the stack */
static uint32_t next_xid = 100;

static const uint8_t MAC_A[6] = {0, 0, 0, 0, 0, 0x0a};
static const uint8_t MAC_B[6] = {0, 0, 0, 0, 0, 0x0b};
static const struct fsw_port ports[] = {
    {1, {0, 0, 0, 0, 1, 1}, "eth1", 0, 0},
    {2, {0, 0, 0, 0, 1, 2}, "eth2", 0, 0},
};

static void fail(int line, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fprintf(stderr, "FAIL (switch_client.c:%d): ", line);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    va_end(ap);
    exit(1);
}

#define CHECK(cond, ...) \
    do { \
        if (!(cond)) \
            fail(__LINE__, __VA_ARGS__); \
    } while (0)
#define CHECK_EQ(got, want, what) \
    CHECK((unsigned long long)(got) == (unsigned long long)(want), "%s: got 0x%llx, want 0x%llx", what, \
          (unsigned long long)(got), (unsigned long long)(want))

static uint32_t get16(const uint8_t *p) { return (uint32_t)p[0] << 8 | p[1]; }
static uint32_t get32(const uint8_t *p) { return get16(p) << 16 | get16(p + 2); }

/* ---- sending ---- */

static void frame_make(uint8_t f[FRAME_LEN], const uint8_t dst[6], const uint8_t src[6], uint16_t ethertype)
{
    memset(f, 0x5a, FRAME_LEN);
    memcpy(f, dst, 6);
    memcpy(f + 6, src, 6);
    f[12] = (uint8_t)(ethertype >> 8);
    f[13] = (uint8_t)ethertype;
}

static void send_packet_in(uint32_t buffer_id, uint32_t in_port, const uint8_t *data, size_t len)
{
    struct ken_packet_in pi = {.buffer_id = buffer_id, .total_len = (uint16_t)len, .in_port = in_port};
    ken_match_init(&pi.match);
    if (sw.version != KEN_OFP10)
        ken_match_add_u32(&pi.match, KEN_OXM_IN_PORT, in_port);
    pi.data = data;
    pi.data_len = (uint16_t)len;
    struct ken_buf b = KEN_BUF_INIT;
    CHECK(ken_packet_in_encode(&b, sw.version, next_xid++, &pi) == 0, "packet-in does not encode");
    CHECK(fsw_send(&sw, b.data, b.len) == 0, "cannot send a packet-in");
    ken_buf_free(&b);
}

/* ---- receiving ---- */

static uint8_t recv_type(void)
{
    int n = fsw_recv(&sw, WAIT_MS);
    CHECK(n > 0, n ? "nothing from the controller within %d ms" : "the controller closed the connection (%d)",
          WAIT_MS);
    /* The controller's hello carries the highest version it speaks. */
    if (fsw_msg_type(&sw) != 0)
        CHECK_EQ(sw.msg[0], sw.version, "message version");
    return fsw_msg_type(&sw);
}

/* A decoded flow-mod's instructions and actions: kept until the next
 * decode (a global, so still reachable at exit). */
static struct ken_arena fm_arena = KEN_ARENA_INIT;

static int flow_mod_decode(struct ken_flow_mod *fm)
{
    ken_arena_free(&fm_arena);
    return ken_flow_mod_decode(sw.msg, sw.msg_len, fm, &fm_arena);
}

static void recv_flow_mod(struct ken_flow_mod *fm)
{
    uint8_t type = recv_type();
    CHECK_EQ(type, T_FLOW_MOD, "message type (want a flow-mod)");
    CHECK(flow_mod_decode(fm) == 0, "the flow-mod does not decode");
    CHECK_EQ(fm->command, KEN_OFPFC_ADD, "flow-mod command");
}

/* One output action, as both apps send. */
static void check_output(const struct ken_flow_mod *fm, uint32_t port, uint16_t max_len)
{
    CHECK_EQ(fm->n_instructions, 1, "flow-mod instructions");
    CHECK_EQ(fm->inst[0].type, KEN_INST_APPLY_ACTIONS, "instruction type");
    CHECK_EQ(fm->inst[0].n_actions, 1, "flow-mod actions");
    CHECK_EQ(fm->inst[0].actions[0].type, KEN_ACT_OUTPUT, "action type");
    CHECK_EQ(fm->inst[0].actions[0].u.output.port, port, "flow-mod output port");
    if (sw.version != KEN_OFP10)
        CHECK_EQ(fm->inst[0].actions[0].u.output.max_len, max_len, "flow-mod output max_len");
}

static void check_match_field(const struct ken_match *m, uint32_t id, const void *value, size_t len, const char *what)
{
    const struct ken_match_field *f = ken_match_find(m, id);
    CHECK(f && !f->masked && f->len == len && !memcmp(ken_match_value(m, f), value, len), "match %s missing or wrong",
          what);
}

/* The learning switches' flow: in_port, eth_dst, eth_src. */
static void check_l2_match(const struct ken_match *m, uint32_t in_port, const uint8_t dst[6], const uint8_t src[6])
{
    CHECK_EQ(m->n, 3, "match fields");
    uint64_t port = 0;
    CHECK(ken_match_get_uint(m, KEN_OXM_IN_PORT, &port), "match in_port missing");
    CHECK_EQ(port, in_port, "match in_port");
    check_match_field(m, KEN_OXM_ETH_DST, dst, 6, "eth_dst");
    check_match_field(m, KEN_OXM_ETH_SRC, src, 6, "eth_src");
}

struct packet_out {
    uint32_t buffer_id, in_port, out_port;
    const uint8_t *data;
    size_t data_len;
};

/* A packet-out with one output action (ken has no packet-out decoder:
 * the fields are read here, every read bounds-checked). */
static void recv_packet_out(struct packet_out *po)
{
    uint8_t type = recv_type();
    CHECK_EQ(type, T_PACKET_OUT, "message type (want a packet-out)");
    const uint8_t *m = sw.msg;
    size_t len = sw.msg_len, fixed = sw.version == KEN_OFP10 ? 16 : 24, out_len = sw.version == KEN_OFP10 ? 8 : 16;
    CHECK(len >= fixed, "packet-out too short");
    po->buffer_id = get32(m + 8);
    po->in_port = sw.version == KEN_OFP10 ? ken_port_from_wire(KEN_OFP10, get16(m + 12)) : get32(m + 12);
    size_t actions_len = get16(m + (sw.version == KEN_OFP10 ? 14 : 16));
    CHECK(actions_len == out_len && fixed + actions_len <= len, "packet-out: want one output action");
    const uint8_t *a = m + fixed;
    CHECK_EQ(get16(a), 0, "packet-out action type");
    po->out_port = sw.version == KEN_OFP10 ? ken_port_from_wire(KEN_OFP10, get16(a + 4)) : get32(a + 4);
    po->data = a + actions_len;
    po->data_len = len - fixed - actions_len;
}

static void expect_packet_out(uint32_t buffer_id, uint32_t in_port, uint32_t out_port, const uint8_t *data,
                              size_t data_len)
{
    struct packet_out po;
    recv_packet_out(&po);
    CHECK_EQ(po.buffer_id, buffer_id, "packet-out buffer_id");
    CHECK_EQ(po.in_port, in_port, "packet-out in_port");
    CHECK_EQ(po.out_port, out_port, "packet-out output port");
    CHECK(po.data_len == data_len && (!data_len || !memcmp(po.data, data, data_len)), "packet-out data");
}

/* ---- the handshake ---- */

static void check_table_miss(void)
{
    struct ken_flow_mod fm;
    CHECK(flow_mod_decode(&fm) == 0, "the table-miss flow-mod does not decode");
    CHECK_EQ(fm.priority, 0, "table-miss priority");
    CHECK_EQ(fm.match.n, 0, "table-miss match fields");
    CHECK_EQ(fm.buffer_id, KEN_OFP_NO_BUFFER, "table-miss buffer_id");
    check_output(&fm, KEN_OFPP_CONTROLLER, KEN_OFPCML_NO_BUFFER);
}

/* Answers the controller until it has sent set-config and, when the app
 * installs one, the table-miss flow (the two may come in either order). */
static void handshake(uint8_t version, bool table_miss)
{
    sw.version = version;
    sw.dpid = 0x42;
    CHECK(fsw_send_hello(&sw, version, 1u << version) == 0, "cannot send hello");
    bool configured = false, missed = !table_miss;
    while (!configured || !missed) {
        uint8_t type = recv_type();
        if (type == 5)
            CHECK(fsw_send_features_reply(&sw, fsw_msg_xid(&sw), ports, 2) == 0, "cannot send features");
        else if (type == fsw_type_multipart_request(version) && version >= KEN_OFP13)
            CHECK(fsw_send_port_desc_reply(&sw, fsw_msg_xid(&sw), ports, 2) == 0, "cannot send port-desc");
        else if (type == T_SET_CONFIG)
            configured = true;
        else if (type == T_FLOW_MOD && !missed)
            check_table_miss(), missed = true;
        else
            CHECK(type == 0 || type == 7, "unexpected message type %u during the handshake", type);
    }
}

/* ---- scenarios ---- */

static void learning_switch(uint8_t version)
{
    uint8_t a_to_b[FRAME_LEN], b_to_a[FRAME_LEN], lldp[FRAME_LEN];
    frame_make(a_to_b, MAC_B, MAC_A, KEN_ETH_TYPE_IP);
    frame_make(b_to_a, MAC_A, MAC_B, KEN_ETH_TYPE_IP);
    frame_make(lldp, (const uint8_t[6]){0x01, 0x80, 0xc2, 0, 0, 0x0e}, MAC_B, KEN_ETH_TYPE_LLDP);
    bool of13 = version == KEN_OFP13;
    handshake(version, of13);
    struct ken_flow_mod fm;

    /* A (port 1) to B, unknown: flooded, with the packet's bytes. */
    send_packet_in(KEN_OFP_NO_BUFFER, 1, a_to_b, sizeof a_to_b);
    expect_packet_out(KEN_OFP_NO_BUFFER, 1, KEN_OFPP_FLOOD, a_to_b, sizeof a_to_b);

    /* An LLDP frame and a runt are ignored: the next answer is for the
     * packet after them. */
    send_packet_in(KEN_OFP_NO_BUFFER, 2, lldp, sizeof lldp);
    send_packet_in(KEN_OFP_NO_BUFFER, 2, a_to_b, 10);

    /* B (port 2) to A, known, buffered: a flow to port 1. 1.3 sends the
     * buffer with the flow-mod and no packet-out; 1.0 a packet-out. */
    send_packet_in(0x1234, 2, b_to_a, sizeof b_to_a);
    recv_flow_mod(&fm);
    check_l2_match(&fm.match, 2, MAC_A, MAC_B);
    check_output(&fm, 1, KEN_OFPCML_MAX);
    CHECK_EQ(fm.priority, of13 ? 1 : 0x8000, "flow priority");
    CHECK_EQ(fm.buffer_id, of13 ? 0x1234 : KEN_OFP_NO_BUFFER, "flow-mod buffer_id");
    CHECK_EQ(fm.flags, of13 ? 0 : KEN_OFPFF_SEND_FLOW_REM, "flow-mod flags");
    CHECK_EQ(fm.idle_timeout | fm.hard_timeout, 0, "flow timeouts");
    if (!of13)
        expect_packet_out(0x1234, 2, 1, NULL, 0);

    /* A to B again, unbuffered, now known: a flow to port 2 and a
     * packet-out carrying the bytes. */
    send_packet_in(KEN_OFP_NO_BUFFER, 1, a_to_b, sizeof a_to_b);
    recv_flow_mod(&fm);
    check_l2_match(&fm.match, 1, MAC_B, MAC_A);
    check_output(&fm, 2, KEN_OFPCML_MAX);
    CHECK_EQ(fm.buffer_id, KEN_OFP_NO_BUFFER, "flow-mod buffer_id");
    expect_packet_out(KEN_OFP_NO_BUFFER, 1, 2, a_to_b, sizeof a_to_b);
}

static void cbench(uint8_t version)
{
    uint8_t f[FRAME_LEN];
    frame_make(f, MAC_B, MAC_A, KEN_ETH_TYPE_IP);
    handshake(version, false);
    for (uint32_t buffer_id = 7; buffer_id < 10; buffer_id++) {
        send_packet_in(buffer_id, 1, f, sizeof f);
        struct ken_flow_mod fm;
        recv_flow_mod(&fm);
        CHECK_EQ(fm.buffer_id, buffer_id, "flow-mod buffer_id");
        CHECK_EQ(fm.priority, 0x8000, "flow-mod priority");
        CHECK_EQ(fm.match.n, 0, "match fields");
        CHECK_EQ(fm.n_instructions == 0 || fm.inst[0].n_actions == 0, 1, "no actions");
        if (version == KEN_OFP10)
            CHECK_EQ(get32(sw.msg + 8), 0x3fffff, "1.0 wildcards (OFPFW_ALL)");
    }
}

static void echo_timeout(void)
{
    handshake(KEN_OFP13, false);
    CHECK(fsw_wait_closed(&sw, WAIT_MS), "still connected %d ms after the switch stopped answering echo requests",
          WAIT_MS);
}

/* The first half of an echo request that claims 64 bytes: the controller
 * holds a partial message and hears nothing more. */
static void stall(void)
{
    handshake(KEN_OFP13, false);
    const uint8_t half[] = {KEN_OFP13, 2, 0, 64, 0, 0, 0, 9, 1, 2, 3, 4};
    CHECK(fsw_send(&sw, half, sizeof half) == 0, "cannot send half a message");
    CHECK(fsw_wait_closed(&sw, WAIT_MS), "still connected %d ms after the switch stalled mid-message", WAIT_MS);
}

/* A large echo request sent one byte every 100 ms: never a whole message,
 * never a reply. */
static void trickle(void)
{
    handshake(KEN_OFP13, false);
    const uint8_t header[] = {KEN_OFP13, 2, 0xff, 0xff, 0, 0, 0, 9};
    for (int i = 0; i < WAIT_MS / 100; i++) {
        uint8_t byte = i < (int)sizeof header ? header[i] : 0x5a;
        if (fsw_send(&sw, &byte, 1))
            return; /* closed (reset) by the controller */
        if (fsw_wait_closed(&sw, 100))
            return;
    }
    fail(__LINE__, "still connected %d ms into a trickle of one byte every 100 ms", WAIT_MS);
}

/* Echo requests keep coming and are answered: the connection stays. */
static void alive(void)
{
    handshake(KEN_OFP13, false);
    sw.seen = 0;
    struct timespec start, now;
    clock_gettime(CLOCK_MONOTONIC, &start);
    for (;;) {
        clock_gettime(CLOCK_MONOTONIC, &now);
        long elapsed = (now.tv_sec - start.tv_sec) * 1000 + (now.tv_nsec - start.tv_nsec) / 1000000;
        if (elapsed >= 2000)
            break;
        int n = fsw_recv(&sw, (int)(2000 - elapsed));
        CHECK(n != 0, "the controller closed a switch that answers its echo requests");
    }
    CHECK(sw.seen & (1u << 2), "no echo request in 2 s");
}

#define REPEATS 20

/* A switch that keeps reconnecting: up to MAIN, closed, again. */
static void flap(int port)
{
    for (int i = 0; i < REPEATS; i++) {
        CHECK(fsw_connect(&sw, "127.0.0.1", port, NULL) == 0, "cannot connect to 127.0.0.1 port %d", port);
        handshake(KEN_OFP13, false);
        fsw_close(&sw);
    }
}

/* A switch that speaks none of ken's versions, retrying. */
static void mismatch(int port)
{
    for (int i = 0; i < REPEATS; i++) {
        CHECK(fsw_connect(&sw, "127.0.0.1", port, NULL) == 0, "cannot connect to 127.0.0.1 port %d", port);
        sw.version = 2;
        CHECK(fsw_send_hello(&sw, 2, 1u << 2) == 0, "cannot send hello");
        CHECK(fsw_expect(&sw, 1, WAIT_MS) > 0, "no error for a 1.1-only hello");
        CHECK(fsw_wait_closed(&sw, WAIT_MS), "still connected after HELLO_FAILED");
        fsw_close(&sw);
    }
}

/* The active mode: the controller connects to this switch. */
static void listen_for_controller(void)
{
    int port = 0, lfd = fsw_listen(&port);
    CHECK(lfd >= 0, "cannot listen on 127.0.0.1");
    printf("listening on %d\n", port);
    fflush(stdout);
    CHECK(fsw_accept(&sw, lfd, 10000, NULL) == 0, "no controller connected within 10 s");
    close(lfd);
    handshake(KEN_OFP13, false);
}

int main(int argc, char **argv)
{
    if (argc != 3) {
        fprintf(stderr, "usage: %s PORT simple_switch_13|simple_switch|cbench10|cbench13|echo|stall|trickle|alive|"
                        "flap|mismatch\n"
                        "       %s 0 listen\n",
                argv[0], argv[0]);
        return 2;
    }
    const char *scenario = argv[2];
    if (!strcmp(scenario, "flap") || !strcmp(scenario, "mismatch")) {
        (!strcmp(scenario, "flap") ? flap : mismatch)(atoi(argv[1]));
        printf("ok: %s\n", scenario);
        return 0;
    }
    if (!strcmp(scenario, "listen"))
        listen_for_controller();
    else
        CHECK(fsw_connect(&sw, "127.0.0.1", atoi(argv[1]), NULL) == 0, "cannot connect to 127.0.0.1 port %s",
              argv[1]);
    if (!strcmp(scenario, "listen")) {
        /* the handshake is done */
    } else if (!strcmp(scenario, "simple_switch_13"))
        learning_switch(KEN_OFP13);
    else if (!strcmp(scenario, "simple_switch"))
        learning_switch(KEN_OFP10);
    else if (!strcmp(scenario, "cbench10"))
        cbench(KEN_OFP10);
    else if (!strcmp(scenario, "cbench13"))
        cbench(KEN_OFP13);
    else if (!strcmp(scenario, "echo"))
        echo_timeout();
    else if (!strcmp(scenario, "stall"))
        stall();
    else if (!strcmp(scenario, "trickle"))
        trickle();
    else if (!strcmp(scenario, "alive"))
        alive();
    else
        fail(__LINE__, "unknown scenario %s", scenario);
    fsw_close(&sw);
    printf("ok: %s\n", scenario);
    return 0;
}
