/* The switches app's state (src/services/switches_core.h) driven
 * directly, with a clock of the test's own: the LLDP frame and its
 * parser, switches and ports, links found, refreshed, timed out, taken by
 * a port going down or deleted, a switch leaving or a link moving; hosts
 * with their addresses, moving and going; the replies to the requests;
 * and the requests through the running app. Each change is checked with
 * the events it raises, in order. */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <json-c/json.h>

#include "ken/app.h"
#include "ken/topology.h"
#include "services/switches_core.h"

/* ---- what the state reports ---- */

static char events[1 << 20]; /* one line per event ("" clears it) */
static size_t events_len;
static size_t n_sent;      /* LLDP frames sent */
static char sent[4096];    /* "dpid:port " per frame sent */
static unsigned wakes;

static void port_str(const struct ken_topo_port *p, char *out, size_t n)
{
    snprintf(out, n, "%llx:%u", (unsigned long long)p->dpid, p->port_no);
}

static void host_line(const char *what, const struct ken_topo_host *h, char *out, size_t n)
{
    char port[32];
    port_str(&h->port, port, sizeof port);
    snprintf(out, n, "%s %02x@%s v4=%u v6=%u", what, h->mac[5], port, h->n_ipv4, h->n_ipv6);
}

static void t_emit(void *ctx, struct ken_event *ev)
{
    (void)ctx;
    char line[256], a[32], b[32];
    const char *name = ken_ev_class_name(ev->cls);
    if (ken_event_is_a(ev, ken_ev_topo_switch_base_class.id)) {
        const struct ken_topo_switch *s = &ken_ev_topo_switch(ev)->sw;
        snprintf(line, sizeof line, "%s %llx ports=%zu", name, (unsigned long long)s->dpid, s->n_ports);
    } else if (ken_event_is_a(ev, ken_ev_topo_port_base_class.id)) {
        port_str(&ken_ev_topo_port(ev)->port, a, sizeof a);
        snprintf(line, sizeof line, "%s %s%s", name, a, ken_topo_port_is_down(&ken_ev_topo_port(ev)->port) ? " down" : "");
    } else if (ken_event_is_a(ev, ken_ev_topo_link_base_class.id)) {
        port_str(&ken_ev_topo_link(ev)->link.src, a, sizeof a);
        port_str(&ken_ev_topo_link(ev)->link.dst, b, sizeof b);
        snprintf(line, sizeof line, "%s %s>%s", name, a, b);
    } else if (ken_event_is_a(ev, ken_ev_topo_host_base_class.id)) {
        host_line(name, &ken_ev_topo_host(ev)->host, line, sizeof line);
    } else if (ev->cls == ken_ev_topo_host_move_class.id) {
        port_str(&ken_ev_topo_host_move(ev)->src.port, a, sizeof a);
        port_str(&ken_ev_topo_host_move(ev)->dst.port, b, sizeof b);
        snprintf(line, sizeof line, "%s %02x %s>%s", name, ken_ev_topo_host_move(ev)->dst.mac[5], a, b);
    } else {
        snprintf(line, sizeof line, "?%s", name);
    }
    if (!events[0])
        events_len = 0;
    size_t n = strlen(line);
    if (events_len + n + 2 <= sizeof events) { /* past it, lines are dropped */
        memcpy(events + events_len, line, n);
        events[events_len + n] = '\n';
        events_len += n + 1;
        events[events_len] = '\0';
    }
    ken_event_unref(ev);
}

static uint8_t last_frame[KEN_TOPO_LLDP_PACKET_LEN];

static void t_send(void *ctx, struct ken_datapath *dp, uint64_t dpid, uint32_t port_no, const uint8_t *frame,
                   size_t len)
{
    (void)ctx;
    (void)dp;
    assert_int_equal(len, KEN_TOPO_LLDP_PACKET_LEN);
    memcpy(last_frame, frame, len);
    char s[48];
    snprintf(s, sizeof s, "%llx:%u ", (unsigned long long)dpid, port_no);
    strncat(sent, s, sizeof sent - strlen(sent) - 1);
    n_sent++;
}

static void t_wake(void *ctx)
{
    (void)ctx;
    wakes++;
}

static const struct topo_ops ops = {t_emit, t_send, t_wake};

#define EXPECT(expected) \
    do { \
        assert_string_equal(events, expected); \
        events[0] = '\0'; \
    } while (0)

#define SENT(expected) \
    do { \
        assert_string_equal(sent, expected); \
        sent[0] = '\0'; \
    } while (0)

static void reset(void)
{
    events[0] = sent[0] = '\0';
    n_sent = 0;
    wakes = 0;
}

#define S 1000000000ull /* a second in ns */

/* ---- fixtures: switches with ports 1..n (and LOCAL) ---- */

static struct ken_port mkport(uint64_t dpid, uint32_t no, bool down)
{
    struct ken_port p = {.port_no = no, .state = down ? KEN_OFPPS_LINK_DOWN : 0};
    uint8_t mac[6] = {0x02, 0, 0, (uint8_t)dpid, 0, (uint8_t)no};
    memcpy(p.hw_addr, mac, 6);
    snprintf(p.name, sizeof p.name, "s%llu-eth%u", (unsigned long long)dpid, no);
    return p;
}

static void enter(struct topo *t, uint64_t dpid, uint32_t n_ports)
{
    struct ken_port ports[9];
    for (uint32_t i = 0; i < n_ports; i++)
        ports[i] = mkport(dpid, i + 1, false);
    ports[n_ports] = mkport(dpid, KEN_OFPP_LOCAL, false);
    struct ken_datapath *old;
    assert_false(topo_switch_enter(t, NULL, dpid, ports, n_ports + 1, &old));
    assert_null(old);
}

/* The LLDP frame src sends, received on dst. */
static bool lldp(struct topo *t, uint64_t sd, uint32_t sp, uint64_t dd, uint32_t dp, uint64_t now)
{
    struct ken_buf b = KEN_BUF_INIT;
    struct ken_port p = mkport(sd, sp, false);
    ken_topo_lldp_build(&b, sd, sp, p.hw_addr);
    bool r = topo_packet_in(t, dd, dp, b.data, b.len, now);
    ken_buf_free(&b);
    return r;
}

/* An ARP request from host mac ..:0h with address 10.0.0.h on a port. */
static void arp_from(struct topo *t, uint8_t h, uint64_t dpid, uint32_t port, uint64_t now)
{
    uint8_t f[42] = {0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0, 0, 0, 0, 0, h, 0x08, 0x06,
                     0, 1, 0x08, 0, 6, 4, 0, 1, 0, 0, 0, 0, 0, h, 10, 0, 0, h};
    topo_packet_in(t, dpid, port, f, sizeof f, now);
}

/* A Neighbor Solicitation from fe80::h (only the IPv6 header matters). */
static void ns_from(struct topo *t, uint8_t h, uint64_t dpid, uint32_t port)
{
    uint8_t f[14 + 40 + 24] = {0x33, 0x33, 0xff, 0, 0, 1, 0, 0, 0, 0, 0, h, 0x86, 0xdd, 0x60};
    f[14 + 4 + 1] = 24;
    f[14 + 6] = 58;
    f[14 + 7] = 255;
    f[14 + 8] = 0xfe;
    f[14 + 9] = 0x80;
    f[14 + 23] = h;
    topo_packet_in(t, dpid, port, f, sizeof f, 0);
}

/* A line: 1:2 - 2:2, 2:3 - 3:2; links in both directions. */
static struct topo *line3(void)
{
    reset();
    struct topo *t = topo_new(true, &ops, NULL);
    enter(t, 1, 2);
    enter(t, 2, 3);
    enter(t, 3, 2);
    assert_true(lldp(t, 1, 2, 2, 2, 0));
    assert_true(lldp(t, 2, 2, 1, 2, 0));
    assert_true(lldp(t, 2, 3, 3, 2, 0));
    assert_true(lldp(t, 3, 2, 2, 3, 0));
    reset();
    return t;
}

/* ---- the frame ---- */

/* OS-Ken's LLDPPacket.lldp_packet(0x1122334455667788, 0x12345678,
 * '00:11:22:33:44:55', 120), as tests/topology/lldp_oracle.sh also checks
 * against the installed OS-Ken. */
static const char oskenframe[] = "0180c200000e00112233445588cc021607647069643a31313232333334343535363637373838"
                                 "04050212345678060200780000000000000000000000";

static void test_lldp_frame(void **state)
{
    (void)state;
    struct ken_buf b = KEN_BUF_INIT;
    const uint8_t mac[6] = {0x00, 0x11, 0x22, 0x33, 0x44, 0x55};
    ken_topo_lldp_build(&b, 0x1122334455667788ull, 0x12345678, mac);
    assert_int_equal(b.len, KEN_TOPO_LLDP_PACKET_LEN);
    char hex[2 * KEN_TOPO_LLDP_PACKET_LEN + 1];
    for (size_t i = 0; i < b.len; i++)
        snprintf(hex + 2 * i, 3, "%02x", b.data[i]);
    assert_string_equal(hex, oskenframe);
    uint64_t dpid;
    uint32_t port;
    assert_int_equal(ken_topo_lldp_parse(b.data, b.len, &dpid, &port), 0);
    assert_true(dpid == 0x1122334455667788ull);
    assert_int_equal(port, 0x12345678);
    ken_buf_free(&b);
}

/* Every truncation and every single-byte change of a frame: parsed or
 * refused, never read past its end (ASan watches), and what parses names
 * what the bytes say. */
static void test_lldp_malformed(void **state)
{
    (void)state;
    struct ken_buf b = KEN_BUF_INIT;
    const uint8_t mac[6] = {2, 0, 0, 0, 0, 1};
    ken_topo_lldp_build(&b, 1, 2, mac);
    uint64_t dpid;
    uint32_t port;
    /* 51 bytes of TLVs and padding: the frame without padding still parses */
    for (size_t len = 0; len < b.len; len++) {
        uint8_t *copy = malloc(len ? len : 1);
        memcpy(copy, b.data, len);
        int err = ken_topo_lldp_parse(copy, len, &dpid, &port);
        assert_int_equal(err, len < 14 + 24 + 7 + 4 ? EBADMSG : 0);
        free(copy);
    }
    assert_int_equal(ken_topo_lldp_parse(NULL, 0, &dpid, &port), EBADMSG);
    for (size_t i = 0; i < 14 + 24 + 7 + 4; i++) {
        for (unsigned v = 0; v < 256; v += 17) {
            uint8_t copy[KEN_TOPO_LLDP_PACKET_LEN];
            memcpy(copy, b.data, sizeof copy);
            if (copy[i] == v)
                continue;
            copy[i] = (uint8_t)v;
            if (ken_topo_lldp_parse(copy, sizeof copy, &dpid, &port))
                continue;
            /* Only the addresses, the TTL's value, a dpid digit (for
             * another hex digit) or the port number may change and parse. */
            assert_true(i < 12 || (i >= 14 + 8 && i < 14 + 24) || (i >= 14 + 27 && i < 14 + 31) || i >= 14 + 33);
        }
    }
    /* A VLAN-tagged LLDP frame is not ours (Ryu reads the Ethernet type). */
    uint8_t tagged[64];
    memcpy(tagged, b.data, 12);
    tagged[12] = 0x81, tagged[13] = 0, tagged[14] = 0, tagged[15] = 1;
    memcpy(tagged + 16, b.data + 12, 48);
    assert_int_equal(ken_topo_lldp_parse(tagged, sizeof tagged, &dpid, &port), EBADMSG);
    /* Upper-case hex digits are a dpid too (Ryu's int(s, 16)). */
    uint8_t upper[KEN_TOPO_LLDP_PACKET_LEN];
    memcpy(upper, b.data, sizeof upper);
    upper[14 + 3 + 5 + 15] = 'F';
    assert_int_equal(ken_topo_lldp_parse(upper, sizeof upper, &dpid, &port), 0);
    assert_true(dpid == 0xf);
    ken_buf_free(&b);
    /* Random bytes behind an LLDP Ethernet header. */
    srand(7);
    for (int k = 0; k < 20000; k++) {
        uint8_t f[80];
        size_t len = 14 + (size_t)(rand() % 66);
        for (size_t i = 0; i < len; i++)
            f[i] = (uint8_t)rand();
        f[12] = 0x88, f[13] = 0xcc;
        if (k & 1)
            f[14] = 0x02; /* a chassis id TLV type, to go deeper */
        (void)ken_topo_lldp_parse(f, len, &dpid, &port);
    }
}

/* Port names that are not UTF-8 become U+FFFD per bad byte; valid
 * sequences stay. */
static void test_port_name_json(void **state)
{
    (void)state;
    static const struct {
        const char *name, *json;
    } cases[] = {
        {"s1-eth1", "s1-eth1"},
        {"\xc3\xa9t\xc3\xa9", "\xc3\xa9t\xc3\xa9"},                 /* été */
        {"a\xff" "b", "a\xef\xbf\xbd" "b"},                      /* a byte never in UTF-8 */
        {"\xc0\xaf", "\xef\xbf\xbd\xef\xbf\xbd"},                 /* overlong '/' */
        {"\xed\xa0\x80", "\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd"}, /* a surrogate */
        {"x\xe2\x82", "x\xef\xbf\xbd\xef\xbf\xbd"},               /* cut short */
        {"\xf0\x9f\x98\x80", "\xf0\x9f\x98\x80"},                 /* U+1F600 */
        {"\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff\xff", NULL}, /* 16 bad bytes */
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        struct ken_topo_port p = {.dpid = 1, .port_no = 1};
        snprintf(p.name, sizeof p.name, "%s", cases[i].name);
        struct json_object *j = ken_topo_port_to_json(&p), *name;
        assert_true(json_object_object_get_ex(j, "name", &name));
        if (cases[i].json) {
            assert_string_equal(json_object_get_string(name), cases[i].json);
        } else {
            char want[64] = "";
            for (int k = 0; k < 16; k++)
                strcat(want, "\xef\xbf\xbd");
            assert_string_equal(json_object_get_string(name), want);
        }
        json_object_put(j);
    }
}

/* The JSON text writers give what the json-c builders give, names with
 * quotes, backslashes, control bytes, slashes and bad UTF-8 included. */
static void same_json(struct ken_buf *b, struct json_object *want)
{
    ken_buf_put8(b, 0);
    struct json_object *got = json_tokener_parse((const char *)b->data);
    assert_non_null(got);
    assert_string_equal(json_object_to_json_string_ext(got, JSON_C_TO_STRING_PLAIN),
                        json_object_to_json_string_ext(want, JSON_C_TO_STRING_PLAIN));
    json_object_put(got);
    json_object_put(want);
    ken_buf_free(b);
}

static void test_json_writers(void **state)
{
    (void)state;
    static const char *const names[] = {"s1-eth1", "a\"b\\c/d", "\x01\t\n\x1f", "\xff\xc3\xa9", ""};
    struct ken_topo_port ports[5];
    for (size_t i = 0; i < 5; i++) {
        ports[i] = (struct ken_topo_port){.dpid = 0xfedcba9876543210ull + i, .port_no = 0xfffffff0u + (uint32_t)i,
                                          .hw_addr = {1, 2, 3, 4, 5, (uint8_t)i}};
        snprintf(ports[i].name, sizeof ports[i].name, "%s", names[i]);
    }
    struct ken_topo_switch sws[3] = {{.dpid = 1, .n_ports = 5, .ports = ports}, {.dpid = 2}, {.dpid = 3, .n_ports = 1, .ports = ports + 1}};
    struct ken_buf b = KEN_BUF_INIT;
    ken_topo_switches_write_json(&b, sws, 3);
    struct json_object *want = json_object_new_array();
    for (size_t i = 0; i < 3; i++)
        json_object_array_add(want, ken_topo_switch_to_json(&sws[i]));
    same_json(&b, want);
    struct ken_topo_link links[4];
    for (size_t i = 0; i < 4; i++)
        links[i] = (struct ken_topo_link){ports[i], ports[i + 1]};
    ken_topo_links_write_json(&b, links, 4);
    want = json_object_new_array();
    for (size_t i = 0; i < 4; i++)
        json_object_array_add(want, ken_topo_link_to_json(&links[i]));
    same_json(&b, want);
    struct ken_topo_host hosts[3] = {
        {.mac = {0, 0, 0, 0, 0, 1}, .port = ports[0]},
        {.mac = {0xaa, 0xbb, 0xcc, 0xdd, 0xee, 0xff}, .port = ports[2], .n_ipv4 = 2, .ipv4 = {{10, 0, 0, 1}, {1, 2, 3, 4}}},
        {.mac = {2}, .port = ports[3], .n_ipv6 = 2, .ipv6 = {{0xfe, 0x80, [15] = 1}, {[10] = 0xff, [11] = 0xff, [12] = 1, [15] = 4}}},
    };
    ken_topo_hosts_write_json(&b, hosts, 3);
    want = json_object_new_array();
    for (size_t i = 0; i < 3; i++)
        json_object_array_add(want, ken_topo_host_to_json(&hosts[i]));
    same_json(&b, want);
    ken_topo_links_write_json(&b, NULL, 0);
    same_json(&b, json_object_new_array());
}

/* ---- switches, ports, LLDP sending ---- */

static void test_switch_enter_and_lldp(void **state)
{
    (void)state;
    reset();
    struct topo *t = topo_new(true, &ops, NULL);
    enter(t, 1, 2);
    EXPECT("EventSwitchEnter 1 ports=2\n"); /* LOCAL is not listed */
    assert_int_equal(topo_n_lldp_ports(t), 2);
    assert_true(wakes > 0);
    /* A new port goes at once; then every port once a period, a guard
     * interval apart when several are due together. */
    assert_int_equal(topo_lldp_tick(t, 10 * S), 900);
    SENT("1:1 1:2 ");
    assert_int_equal(topo_lldp_tick(t, 10 * S + 500000000ull), 400);
    SENT("");
    assert_int_equal(topo_lldp_tick(t, 10 * S + 900000000ull), KEN_TOPO_LLDP_SEND_GUARD_MS);
    assert_int_equal(n_sent, 3);
    assert_int_equal(topo_lldp_tick(t, 10 * S + 950000000ull), 850);
    assert_int_equal(n_sent, 4);
    SENT("1:1 1:2 ");
    /* The frame names the port. */
    uint64_t dpid;
    uint32_t port;
    assert_int_equal(ken_topo_lldp_parse(last_frame, sizeof last_frame, &dpid, &port), 0);
    assert_true(dpid == 1 && port == 2);
    /* A port down sends nothing, and is not due; back up, it goes at once. */
    struct ken_port p1 = mkport(1, 1, true);
    topo_port_status(t, 1, KEN_OFPPR_MODIFY, &p1);
    EXPECT("topology.EventPortModify 1:1 down\n");
    topo_lldp_tick(t, 20 * S);
    topo_lldp_tick(t, 20 * S + 50000000ull);
    SENT("1:2 ");
    p1 = mkport(1, 1, false);
    topo_port_status(t, 1, KEN_OFPPR_MODIFY, &p1);
    EXPECT("topology.EventPortModify 1:1\n");
    topo_lldp_tick(t, 20 * S + 60000000ull);
    SENT("1:1 ");
    /* Ports added and deleted. */
    struct ken_port p3 = mkport(1, 3, false);
    topo_port_status(t, 1, KEN_OFPPR_ADD, &p3);
    EXPECT("topology.EventPortAdd 1:3\n");
    assert_int_equal(topo_n_lldp_ports(t), 3);
    topo_port_status(t, 1, KEN_OFPPR_DELETE, &p3);
    EXPECT("topology.EventPortDelete 1:3\n");
    assert_int_equal(topo_n_lldp_ports(t), 2);
    /* A port-status of a switch not registered is ignored. */
    topo_port_status(t, 9, KEN_OFPPR_ADD, &p3);
    EXPECT("");
    /* A second connection of the same switch. */
    struct ken_port none[1] = {mkport(1, 1, false)};
    struct ken_datapath *old;
    assert_true(topo_switch_enter(t, NULL, 1, none, 1, &old));
    EXPECT("EventSwitchReconnected 1 ports=2\n");
    topo_switch_leave(t, NULL, 1);
    EXPECT("EventSwitchLeave 1 ports=2\n");
    assert_int_equal(topo_n_lldp_ports(t), 0);
    assert_int_equal(topo_lldp_tick(t, 30 * S), UINT64_MAX);
    topo_free(t);
}

/* The guard paces each switch on its own: two switches with two ports
 * due each send one apiece per tick. */
static void test_lldp_pacing_per_switch(void **state)
{
    (void)state;
    reset();
    struct topo *t = topo_new(true, &ops, NULL);
    enter(t, 1, 2);
    enter(t, 2, 2);
    topo_lldp_tick(t, 0);
    SENT("1:1 1:2 2:1 2:2 ");
    assert_int_equal(topo_lldp_tick(t, S), KEN_TOPO_LLDP_SEND_GUARD_MS);
    SENT("1:1 2:1 ");
    assert_int_equal(topo_lldp_tick(t, S + S / 20), 850);
    SENT("1:2 2:2 ");
    topo_free(t);
}

/* ---- links ---- */

static void test_links_found(void **state)
{
    (void)state;
    reset();
    struct topo *t = topo_new(true, &ops, NULL);
    enter(t, 1, 2);
    enter(t, 2, 2);
    reset();
    topo_lldp_tick(t, 0);
    SENT("1:1 1:2 2:1 2:2 ");
    assert_true(lldp(t, 1, 2, 2, 2, S / 2));
    EXPECT("EventLinkAdd 1:2>2:2\n");
    /* The reverse is not known: the receiving port is probed at once. */
    assert_true(wakes > 0);
    topo_lldp_tick(t, S / 2);
    SENT("2:2 ");
    assert_true(lldp(t, 2, 2, 1, 2, S));
    EXPECT("EventLinkAdd 2:2>1:2\n");
    /* Seen again: nothing new. */
    assert_true(lldp(t, 1, 2, 2, 2, 2 * S));
    EXPECT("");
    assert_int_equal(topo_n_links(t), 2);
    /* Not links: a frame from the switch itself, from an unknown switch
     * or port, to an unknown port, and frames that are not ours. */
    assert_false(lldp(t, 1, 1, 1, 2, S));
    assert_false(lldp(t, 7, 1, 1, 2, S));
    assert_false(lldp(t, 1, 9, 2, 1, S));
    assert_false(lldp(t, 1, 1, 2, 9, S));
    assert_false(lldp(t, 1, KEN_OFPP_LOCAL, 2, 1, S));
    uint8_t junk[60] = {1, 0x80, 0xc2, 0, 0, 0xe, 2, 0, 0, 0, 0, 1, 0x88, 0xcc, 2, 7};
    assert_false(topo_packet_in(t, 2, 1, junk, sizeof junk, S));
    assert_false(topo_packet_in(t, 2, 1, junk, 5, S));
    EXPECT("");
    assert_int_equal(topo_n_links(t), 2);
    /* Replies: all links, or those from one switch. */
    struct ken_event *r = topo_link_reply(t, false, 0);
    const struct ken_ev_topo_link_reply *lr = (const void *)r;
    assert_int_equal(lr->n, 2);
    assert_true(lr->links[0].src.dpid == 1 && lr->links[0].dst.dpid == 2);
    ken_event_unref(r);
    r = topo_link_reply(t, true, 2);
    lr = (const void *)r;
    assert_int_equal(lr->n, 1);
    assert_true(lr->links[0].src.dpid == 2 && lr->links[0].src.port_no == 2);
    struct json_object *j = ken_topo_link_to_json(&lr->links[0]);
    assert_string_equal(json_object_to_json_string_ext(j, JSON_C_TO_STRING_PLAIN),
                        "{\"src\":{\"dpid\":\"0000000000000002\",\"port_no\":\"00000002\",\"hw_addr\":"
                        "\"02:00:00:02:00:02\",\"name\":\"s2-eth2\"},\"dst\":{\"dpid\":\"0000000000000001\","
                        "\"port_no\":\"00000002\",\"hw_addr\":\"02:00:00:01:00:02\",\"name\":\"s1-eth2\"}}");
    json_object_put(j);
    ken_event_unref(r);
    topo_free(t);
}

static void test_link_timeout(void **state)
{
    (void)state;
    struct topo *t = line3();
    /* Refreshed at 8 s in one direction only. */
    assert_true(lldp(t, 1, 2, 2, 2, 8 * S));
    topo_link_check(t, 5 * S);
    topo_link_check(t, 10 * S);
    EXPECT("");
    /* At 10.5 s the links last seen at 0 are gone; the reverse of a link
     * gone that was still alive (2:2>1:2 -> 1:2>2:2) is given up to the
     * next check unless LLDP refreshes it. */
    topo_link_check(t, 10 * S + S / 2);
    EXPECT("EventLinkDelete 2:2>1:2\nEventLinkDelete 2:3>3:2\nEventLinkDelete 3:2>2:3\n");
    assert_int_equal(topo_n_links(t), 1);
    topo_link_check(t, 15 * S + S / 2);
    EXPECT("EventLinkDelete 1:2>2:2\n");
    assert_int_equal(topo_n_links(t), 0);
    topo_free(t);
}

static void test_port_down_and_delete(void **state)
{
    (void)state;
    struct topo *t = line3();
    /* Port 3 of s2 down: both directions of its link go at once. */
    struct ken_port p = mkport(2, 3, false);
    p.config = KEN_OFPPC_PORT_DOWN;
    topo_port_status(t, 2, KEN_OFPPR_MODIFY, &p);
    EXPECT("topology.EventPortModify 2:3 down\nEventLinkDelete 2:3>3:2\nEventLinkDelete 3:2>2:3\n");
    assert_int_equal(topo_n_links(t), 2);
    /* Deleting port 2 of s1 takes the other link. */
    p = mkport(1, 2, false);
    topo_port_status(t, 1, KEN_OFPPR_DELETE, &p);
    EXPECT("topology.EventPortDelete 1:2\nEventLinkDelete 1:2>2:2\nEventLinkDelete 2:2>1:2\n");
    assert_int_equal(topo_n_links(t), 0);
    /* Its LLDP frames are no link any more: the port is gone. */
    assert_false(lldp(t, 1, 2, 2, 2, S));
    struct ken_event *r = topo_switch_reply(t, true, 1);
    const struct ken_ev_topo_switch_reply *sr = (const void *)r;
    assert_int_equal(sr->n, 1);
    assert_int_equal(sr->switches[0].n_ports, 1);
    ken_event_unref(r);
    topo_free(t);
}

static void test_switch_leave(void **state)
{
    (void)state;
    struct topo *t = line3();
    arp_from(t, 3, 3, 1, S);
    EXPECT("EventHostAdd 03@3:1 v4=0 v6=0\n");
    topo_switch_leave(t, NULL, 3);
    EXPECT("EventSwitchLeave 3 ports=2\nEventLinkDelete 2:3>3:2\nEventLinkDelete 3:2>2:3\n"
           "EventHostDelete 03@3:1 v4=1 v6=0\n");
    assert_int_equal(topo_n_links(t), 2);
    assert_int_equal(topo_n_hosts(t), 0);
    struct ken_event *r = topo_switch_reply(t, false, 0);
    const struct ken_ev_topo_switch_reply *sr = (const void *)r;
    assert_int_equal(sr->n, 2);
    assert_true(sr->switches[0].dpid == 1 && sr->switches[1].dpid == 2);
    assert_int_equal(sr->switches[1].n_ports, 3);
    ken_event_unref(r);
    topo_free(t);
}

static void test_link_moves(void **state)
{
    (void)state;
    struct topo *t = line3();
    /* s1 port 2 recabled to s3 port 1: the old link goes at once, the new
     * one comes, and so does the reverse; s3:1 had a host, now gone. */
    arp_from(t, 9, 3, 1, S);
    EXPECT("EventHostAdd 09@3:1 v4=0 v6=0\n");
    assert_true(lldp(t, 1, 2, 3, 1, S));
    EXPECT("EventLinkDelete 1:2>2:2\nEventLinkAdd 1:2>3:1\nEventHostDelete 09@3:1 v4=1 v6=0\n");
    assert_true(lldp(t, 3, 1, 1, 2, S));
    EXPECT("EventLinkDelete 2:2>1:2\nEventLinkAdd 3:1>1:2\n");
    assert_int_equal(topo_n_links(t), 4);
    topo_free(t);
}

/* ---- hosts ---- */

static void test_hosts(void **state)
{
    (void)state;
    struct topo *t = line3();
    arp_from(t, 1, 1, 1, S);
    EXPECT("EventHostAdd 01@1:1 v4=0 v6=0\n");
    ns_from(t, 1, 1, 1);
    arp_from(t, 1, 1, 1, S); /* the same address again: kept once */
    EXPECT("");
    /* Not hosts: frames on a link's end, on an unknown or reserved port,
     * of a switch not registered, from a group address; LLDP frames. */
    arp_from(t, 2, 1, 2, S);
    arp_from(t, 2, 1, 9, S);
    arp_from(t, 2, 1, KEN_OFPP_LOCAL, S);
    arp_from(t, 2, 9, 1, S);
    uint8_t mcast[60] = {0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01, 0, 0x5e, 0, 0, 1, 0x08, 0x06};
    topo_packet_in(t, 2, 1, mcast, sizeof mcast, S);
    topo_packet_in(t, 2, 1, mcast, 13, S);
    EXPECT("");
    struct ken_event *r = topo_host_reply(t, false, 0);
    const struct ken_ev_topo_host_reply *hr = (const void *)r;
    assert_int_equal(hr->n, 1);
    struct json_object *j = ken_topo_host_to_json(&hr->hosts[0]);
    assert_string_equal(json_object_to_json_string_ext(j, JSON_C_TO_STRING_PLAIN),
                        "{\"mac\":\"00:00:00:00:00:01\",\"ipv4\":[\"10.0.0.1\"],\"ipv6\":[\"fe80::1\"],\"port\":"
                        "{\"dpid\":\"0000000000000001\",\"port_no\":\"00000001\",\"hw_addr\":\"02:00:00:01:00:01\","
                        "\"name\":\"s1-eth1\"}}");
    json_object_put(j);
    ken_event_unref(r);
    /* The host moves to s3 port 1: its addresses start again. */
    arp_from(t, 1, 3, 1, S);
    EXPECT("EventHostMove 01 1:1>3:1\n");
    r = topo_host_reply(t, true, 3);
    hr = (const void *)r;
    assert_int_equal(hr->n, 1);
    assert_int_equal(hr->hosts[0].n_ipv4, 1);
    assert_int_equal(hr->hosts[0].n_ipv6, 0);
    ken_event_unref(r);
    r = topo_host_reply(t, true, 1);
    assert_int_equal(((const struct ken_ev_topo_host_reply *)r)->n, 0);
    ken_event_unref(r);
    /* Addresses: at most KEN_TOPO_HOST_MAX_IPS, the oldest forgotten; one
     * seen again moves to the end; the unspecified one is no address. */
    for (uint8_t i = 1; i <= 10; i++) {
        uint8_t f[42] = {0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0, 0, 0, 0, 0, 1, 0x08, 0x06,
                         0, 1, 0x08, 0, 6, 4, 0, 1, 0, 0, 0, 0, 0, 1, 10, 0, 1, i};
        topo_packet_in(t, 3, 1, f, sizeof f, S);
    }
    uint8_t zero[42] = {0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0, 0, 0, 0, 0, 1, 0x08, 0x06, 0, 1, 0x08, 0, 6, 4, 0, 1};
    topo_packet_in(t, 3, 1, zero, sizeof zero, S);
    r = topo_host_reply(t, true, 3);
    hr = (const void *)r;
    assert_int_equal(hr->hosts[0].n_ipv4, KEN_TOPO_HOST_MAX_IPS);
    assert_int_equal(hr->hosts[0].ipv4[0][3], 3);
    assert_int_equal(hr->hosts[0].ipv4[KEN_TOPO_HOST_MAX_IPS - 1][3], 10);
    ken_event_unref(r);
    /* A port going down takes its hosts. */
    struct ken_port p = mkport(3, 1, true);
    topo_port_status(t, 3, KEN_OFPPR_MODIFY, &p);
    EXPECT("topology.EventPortModify 3:1 down\nEventHostDelete 01@3:1 v4=8 v6=0\n");
    topo_free(t);
}

/* An ARP frame from MAC 00:00:xx:xx:xx:xx (i) with address 10.x.x.x. */
static void arp_from_n(struct topo *t, uint32_t i, uint64_t dpid, uint32_t port)
{
    uint8_t f[42] = {0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0, 0, (uint8_t)(i >> 24), (uint8_t)(i >> 16),
                     (uint8_t)(i >> 8), (uint8_t)i, 0x08, 0x06, 0, 1, 0x08, 0, 6, 4, 0, 1};
    f[28] = 10, f[29] = (uint8_t)(i >> 16), f[30] = (uint8_t)(i >> 8), f[31] = (uint8_t)i;
    topo_packet_in(t, dpid, port, f, sizeof f, 0);
}

/* Many hosts: the MAC index finds each one after others were deleted
 * around it, replies keep the order first seen, and the table stops
 * growing at KEN_TOPO_MAX_HOSTS. */
static void test_many_hosts(void **state)
{
    (void)state;
    reset();
    struct topo *t = topo_new(false, &ops, NULL);
    enter(t, 1, 3);
    for (uint32_t i = 1; i <= 3000; i++)
        arp_from_n(t, i, 1, 1 + i % 3);
    assert_int_equal(topo_n_hosts(t), 3000);
    /* Port 2 goes: a third of them, each with its event. */
    events[0] = '\0';
    struct ken_port p = mkport(1, 2, false);
    topo_port_status(t, 1, KEN_OFPPR_DELETE, &p);
    assert_int_equal(topo_n_hosts(t), 2000);
    size_t deletes = 0;
    for (const char *q = events; (q = strstr(q, "EventHostDelete")); q++)
        deletes++;
    assert_int_equal(deletes, 1000);
    /* Every host left is found where it was: no event when seen again. */
    reset();
    for (uint32_t i = 1; i <= 3000; i++)
        if (1 + i % 3 != 2)
            arp_from_n(t, i, 1, 1 + i % 3);
    EXPECT("");
    /* One moves from port 1 to port 3. */
    arp_from_n(t, 3, 1, 3);
    assert_non_null(strstr(events, "EventHostMove"));
    events[0] = '\0';
    struct ken_event *r = topo_host_reply(t, false, 0);
    const struct ken_ev_topo_host_reply *hr = (const void *)r;
    assert_int_equal(hr->n, 2000);
    for (size_t i = 1; i < hr->n; i++) {
        uint32_t a = (uint32_t)hr->hosts[i - 1].mac[4] << 8 | hr->hosts[i - 1].mac[5];
        uint32_t b = (uint32_t)hr->hosts[i].mac[4] << 8 | hr->hosts[i].mac[5];
        assert_true(a < b); /* the order first seen */
    }
    ken_event_unref(r);
    /* The limit. */
    for (uint32_t i = 10000; i < 10000 + KEN_TOPO_MAX_HOSTS; i++)
        arp_from_n(t, i, 1, 1);
    assert_int_equal(topo_n_hosts(t), KEN_TOPO_MAX_HOSTS);
    events[0] = '\0';
    topo_free(t);
}

/* Without link discovery: no LLDP, no links, hosts still. */
static void test_no_discovery(void **state)
{
    (void)state;
    reset();
    struct topo *t = topo_new(false, &ops, NULL);
    enter(t, 1, 2);
    enter(t, 2, 2);
    EXPECT("EventSwitchEnter 1 ports=2\nEventSwitchEnter 2 ports=2\n");
    assert_int_equal(topo_n_lldp_ports(t), 0);
    assert_int_equal(topo_lldp_tick(t, 0), UINT64_MAX);
    assert_false(lldp(t, 1, 2, 2, 2, 0));
    arp_from(t, 5, 2, 2, 0);
    EXPECT("EventHostAdd 05@2:2 v4=0 v6=0\n");
    assert_int_equal(n_sent, 0);
    assert_int_equal(wakes, 0);
    topo_free(t);
}

/* ---- the app: requests through the runtime ---- */

static void test_app_requests(void **state)
{
    (void)state;
    const struct ken_ev_topo_switch_reply *sr;
    assert_int_equal(ken_topology_get_switch(NULL, 1000, &sr), ESRCH);
    struct ken_topology_options o;
    ken_topology_options_init(&o);
    assert_false(o.observe_links);
    assert_true(o.install_lldp_flow && o.explicit_drop);
    o.observe_links = true;
    ken_topology_set_options(&o);
    char why[KEN_WHY_LEN];
    assert_int_equal(ken_app_load_one("rest_topology", why), 0);
    assert_non_null(ken_app_lookup("switches"));
    assert_int_equal(ken_topology_get_switch(NULL, 5000, &sr), 0);
    assert_int_equal(sr->n, 0);
    ken_event_unref(&sr->rep.ev);
    uint64_t dpid = 1;
    const struct ken_ev_topo_link_reply *lr;
    assert_int_equal(ken_topology_get_link(&dpid, 5000, &lr), 0);
    assert_true(lr->has_dpid && lr->dpid == 1 && lr->n == 0);
    ken_event_unref(&lr->rep.ev);
    const struct ken_ev_topo_host_reply *hr;
    assert_int_equal(ken_topology_get_host(NULL, 5000, &hr), 0);
    assert_false(hr->has_dpid);
    ken_event_unref(&hr->rep.ev);
    ken_runtime_shutdown();
    ken_topology_options_init(&o);
    ken_topology_set_options(&o);
}

int main(void)
{
    if (ken_topology_register_classes())
        return 1;
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_lldp_frame),
        cmocka_unit_test(test_lldp_malformed),
        cmocka_unit_test(test_port_name_json),
        cmocka_unit_test(test_json_writers),
        cmocka_unit_test(test_switch_enter_and_lldp),
        cmocka_unit_test(test_lldp_pacing_per_switch),
        cmocka_unit_test(test_links_found),
        cmocka_unit_test(test_link_timeout),
        cmocka_unit_test(test_port_down_and_delete),
        cmocka_unit_test(test_switch_leave),
        cmocka_unit_test(test_link_moves),
        cmocka_unit_test(test_hosts),
        cmocka_unit_test(test_many_hosts),
        cmocka_unit_test(test_no_discovery),
        cmocka_unit_test(test_app_requests),
    };
    return cmocka_run_group_tests_name("topology", tests, NULL, NULL);
}
