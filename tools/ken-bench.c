/* ken-bench: a cbench-style load generator for OpenFlow controllers
 * ("cbench": N emulated switches send packet-ins and count the answers), and
 * the trivial responder that measures the generator's own ceiling
 * ("respond"). One thread, one epoll set, non-blocking sockets; messages are
 * framed by their header length only, and packet-ins are stamped from a
 * per-switch template, many per write. */
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <math.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "ken/buf.h"
#include "ken/ofp_consts.h"
#include "ken/wire.h"

static const char usage[] =
    "Usage: ken-bench cbench [OPTIONS]     emulate switches, measure a controller\n"
    "       ken-bench respond [OPTIONS]    trivial controller: the generator's ceiling\n"
    "       ken-bench topology [OPTIONS]   LLDP link discovery: time to find every link\n"
    "       ken-bench --help\n"
    "\n"
    "cbench: open N TCP connections to an OpenFlow controller, each an emulated\n"
    "switch with M hosts (MAC addresses). Each switch answers the handshake like\n"
    "a switch (hello, features-reply with dpid = switch number, get-config,\n"
    "barrier, echo, role, multipart desc and port-desc), then sends packet-ins:\n"
    "a 60-byte Ethernet/IPv4/UDP frame from one of its hosts to the next, with a\n"
    "buffer id. Responses are the controller's flow-mods and packet-outs; a\n"
    "packet-in counts as answered by a packet-out, or by a flow-mod that carries\n"
    "a buffer id (a flow-mod without one only installs a flow).\n"
    "  -c, --controller HOST     controller address (default 127.0.0.1)\n"
    "  -p, --port PORT           controller TCP port (default 6653)\n"
    "  -s, --switches N          emulated switches, 1..65535 (default 16)\n"
    "  -M, --macs M              hosts per switch, 2..16777216 (default 100000)\n"
    "  -P, --ports K             ports per switch; host h sits on port 1 + h % K\n"
    "                            (default 4)\n"
    "  -l, --loops L             measured loops (default 16)\n"
    "  -m, --ms-per-test T       length of one loop in ms (default 1000)\n"
    "  -w, --warmup W            loops run first and left out of the results\n"
    "                            (default 1)\n"
    "  -t, --throughput          keep many packet-ins in flight per switch\n"
    "  -L, --latency             one packet-in in flight per switch: the next is\n"
    "                            sent when the previous one is answered (default)\n"
    "      --window N            packet-ins in flight per switch in throughput\n"
    "                            mode (default: 1048576 / switches, at least\n"
    "                            64, so a slow controller does not pile up\n"
    "                            gigabytes in socket buffers); 0 keeps the\n"
    "                            socket full, as cbench -t does\n"
    "  -V, --ofp-version V       1.0 (default) or 1.3 (also 1, 4, of10, of13)\n"
    "  -C, --cpu K               pin ken-bench to CPU K\n"
    "  -D, --connect-delay MS    pause between opening groups of connections\n"
    "                            (default 0: open all at once)\n"
    "  -I, --connect-group G     connections opened per group (default 1)\n"
    "  -d, --start-delay MS      wait after every switch is ready, before the\n"
    "                            first loop (default 200)\n"
    "  -T, --handshake-timeout S seconds for every switch to finish the handshake\n"
    "                            (default 15); then ken-bench says which step\n"
    "                            is missing and exits 2\n"
    "      --lost-ms MS          with a window (always but with --window 0), when a\n"
    "                            switch gets no answer for MS ms, its packet-ins\n"
    "                            in flight are counted lost and the window\n"
    "                            reopens (default 1000)\n"
    "      --idle S              do not send packet-ins: hold the connected\n"
    "                            switches idle for S seconds, then exit (to\n"
    "                            measure a controller's memory per switch)\n"
    "  -j, --json                human-readable lines go to stderr; stdout gets\n"
    "                            one JSON result line\n"
    "  -v, --verbose             also print answered/s per switch for each loop,\n"
    "                            and the first error message from the controller\n"
    "\n"
    "Output: one line per loop (responses/s and answered/s, all switches), then\n"
    "min/max/avg/stdev (sample) over the measured loops; in latency mode also\n"
    "the round-trip time of a packet-in (avg, min, p50, p99, max, microseconds).\n"
    "Exit status: 0 done; 1 a switch lost its connection or the controller sent\n"
    "no response at all; 2 usage, setup, connection or handshake failure.\n"
    "\n"
    "respond: accept switches on 127.0.0.1:PORT; say hello and ask for features;\n"
    "answer each packet-in with one flow-mod (same buffer id) and each echo\n"
    "request; nothing else. Speaks 1.0 or 1.3, whichever the switch says.\n"
    "  -p, --port PORT           TCP port to listen on (default 6653)\n"
    "  -b, --bind ADDR           address to listen on (default 127.0.0.1)\n"
    "  -C, --cpu K               pin to CPU K\n"
    "      --duration S          exit after S seconds (default 0: on SIGINT or\n"
    "                            SIGTERM)\n"
    "  -v, --verbose             print connections as they come and go\n"
    "\n"
    "topology: N emulated switches (1.0 or 1.3) wired in a ring (port 1 of\n"
    "switch i to port 2 of switch i+1) or a grid (ports 1-4: east, south, west,\n"
    "north). Each LLDP packet-out the controller sends out of a wired port comes\n"
    "back as a packet-in on the neighbour's port. Measures, through the\n"
    "controller's topology REST API (rest_topology), how long after every switch\n"
    "is ready GET /v1.0/topology/links lists every link (both directions), how\n"
    "long that GET takes, and whether every link stays listed for a while.\n"
    "  -c, --controller HOST     controller address (default 127.0.0.1)\n"
    "  -p, --port PORT           controller TCP port (default 6653)\n"
    "      --ring N              N switches in a ring (default 16)\n"
    "      --grid RxC            R x C switches in a grid\n"
    "      --rest HOST:PORT      the REST server (default 127.0.0.1:8080)\n"
    "      --hold S              then watch the links for S seconds (default 15)\n"
    "  -V, --ofp-version V       1.0 (default) or 1.3\n"
    "  -T, --handshake-timeout S as for cbench (default 15)\n"
    "  -j, --json                one JSON result line on stdout\n"
    "Exit status: 0 every link listed and kept; 1 not every link listed within\n"
    "120 s, or one lost during the hold; 2 usage, connection or handshake failure.\n"
    "  ken-manager --observe-links rest_topology &   # then:\n"
    "  ken-bench topology --ring 32 --rest 127.0.0.1:8080\n"
    "\n"
    "Examples:\n"
    "  ken-bench respond --port 6700 --cpu 0 &\n"
    "  ken-bench cbench --port 6700 --cpu 1 -s 8 -t -l 5\n"
    "  ken-bench cbench -p 6653 -s 1000 --idle 10\n";

#define READ_CHUNK (1u << 20)       /* bytes asked of one read() */
#define MAX_MSG 65535u              /* the largest OpenFlow message */
#define OUT_STUCK (64u << 20)       /* a peer that leaves this much unread is stuck */
#define RESPOND_PAUSE (4u << 20)    /* the responder stops reading above this backlog */
#define TICK_NS 100000000ull        /* housekeeping period: 100 ms */
#define READY_GRACE_NS 500000000ull /* 1.3: ready this long after features-reply without a port-desc request */
#define NO_BUFFER 0xffffffffu
#define FRAME_LEN 60
#define PKTIN_MAX 128
#define AUTO_WINDOW UINT32_MAX
#define WINDOW_BUDGET (1u << 20) /* packet-ins in flight over all switches, by default */
#define HIST_BUCKETS (59 * 64) /* RTT histogram: 64 steps per power of two, about 1.6% wide */

/* OpenFlow type numbers shared by 1.0 and 1.3; the others come from
 * ken_ofproto (they differ between versions). */
enum { T_HELLO = 0, T_ERROR = 1, T_ECHO_REQUEST = 2, T_PACKET_IN = 10, T_PACKET_OUT = 13, T_FLOW_MOD = 14 };

static volatile sig_atomic_t stop_requested;

static void on_stop_signal(int sig)
{
    (void)sig;
    stop_requested = 1;
}

static uint64_t now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

static void die(int status, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fputs("ken-bench: ", stderr);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    va_end(ap);
    exit(status);
}

static void usage_error(void)
{
    fputs("Try 'ken-bench --help'.\n", stderr);
    exit(2);
}

/* ---------- process setup shared by both roles ---------- */

static void setup_signals(void)
{
    struct sigaction sa = {.sa_handler = on_stop_signal};
    sigemptyset(&sa.sa_mask);
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
    signal(SIGPIPE, SIG_IGN);
}

static void pin_cpu(int cpu)
{
    if (cpu < 0)
        return;
    cpu_set_t set;
    CPU_ZERO(&set);
    CPU_SET(cpu, &set);
    if (sched_setaffinity(0, sizeof set, &set) < 0)
        die(2, "cannot pin to CPU %d: %s", cpu, strerror(errno));
}

/* One descriptor per connection plus a few: raise the soft limit, and the
 * hard one when we may; short of that, take the hard limit and fail only
 * when the connections need more (required). */
static void raise_nofile(unsigned connections, bool required)
{
    rlim_t need = (rlim_t)connections + 64;
    struct rlimit rl;
    if (getrlimit(RLIMIT_NOFILE, &rl) < 0 || rl.rlim_cur >= need)
        return;
    struct rlimit want = {need, rl.rlim_max > need ? rl.rlim_max : need};
    if (setrlimit(RLIMIT_NOFILE, &want) == 0)
        return;
    rl.rlim_cur = rl.rlim_max;
    setrlimit(RLIMIT_NOFILE, &rl);
    if (required)
        die(2, "need %llu file descriptors, the hard limit is %llu: %s", (unsigned long long)need,
            (unsigned long long)rl.rlim_max, strerror(errno));
}

static unsigned parse_uint(const char *arg, const char *what, unsigned long min, unsigned long max)
{
    char *end;
    errno = 0;
    unsigned long v = strtoul(arg, &end, 10);
    if (errno || end == arg || *end || arg[0] == '-' || v < min || v > max)
        die(2, "%s: '%s' is not a number from %lu to %lu\nTry 'ken-bench --help'.", what, arg, min, max);
    return (unsigned)v;
}

static uint8_t parse_version(const char *arg)
{
    if (!strcmp(arg, "1") || !strcmp(arg, "1.0") || !strcasecmp(arg, "of10"))
        return 1;
    if (!strcmp(arg, "4") || !strcmp(arg, "1.3") || !strcasecmp(arg, "of13"))
        return 4;
    die(2, "--ofp-version: '%s' is not 1.0 or 1.3\nTry 'ken-bench --help'.", arg);
    return 0;
}

/* ---------- connections: framing and buffered writes, both roles ---------- */

struct conn {
    int fd;
    unsigned index;    /* switch number from 0; dpid = index + 1 */
    uint8_t version;   /* the wire version this connection speaks */
    bool watch_in, watch_out;
    struct ken_buf out;   /* bytes to write; those before out_head are written */
    size_t out_head;
    struct ken_buf carry; /* the start of a message whose end has not arrived */

    /* emulated switch */
    enum { SW_CONNECTING, SW_HELLO_SENT, SW_FEATURES_SENT, SW_READY, SW_DEAD } state;
    bool got_hello;
    uint64_t features_ns;        /* when the features-reply went out */
    uint64_t sent_ns;            /* latency mode: when the packet-in in flight went out */
    uint64_t progress_ns;        /* last tick that saw an answer (lost detection) */
    uint64_t answered_at_tick;
    uint32_t in_flight, next_buffer_id, host, port_slot;
    uint64_t sent, answered, flow_mods, packet_outs, errors, lost, others;
    uint64_t mark_answered;      /* answered at the start of this loop */
    uint8_t pktin[PKTIN_MAX];    /* this switch's packet-in, stamped per send */
};

typedef int (*msg_handler)(struct conn *c, const uint8_t *msg, size_t len);

static int epfd = -1;
static uint8_t read_buf[MAX_MSG + READ_CHUNK];

static void conn_watch(struct conn *c, bool in, bool out)
{
    if (c->fd < 0 || (in == c->watch_in && out == c->watch_out))
        return;
    struct epoll_event ev = {.events = (in ? EPOLLIN : 0u) | (out ? EPOLLOUT : 0u), .data.ptr = c};
    epoll_ctl(epfd, EPOLL_CTL_MOD, c->fd, &ev);
    c->watch_in = in;
    c->watch_out = out;
}

static void conn_close(struct conn *c)
{
    if (c->fd >= 0)
        close(c->fd); /* also leaves the epoll set */
    c->fd = -1;
    ken_buf_free(&c->out);
    ken_buf_free(&c->carry);
    c->out_head = 0;
}

static size_t conn_pending(const struct conn *c) { return c->out.len - c->out_head; }

/* Writes what the socket takes. A short write means the socket is full: stop
 * there rather than pay a syscall to hear EAGAIN. What is left moves to the
 * front only once it is the smaller part, so big writes are not copied again.
 * Returns -1 (errno set) when the connection is broken. */
static int conn_flush(struct conn *c)
{
    while (conn_pending(c)) {
        size_t want = conn_pending(c);
        ssize_t n = send(c->fd, c->out.data + c->out_head, want, MSG_NOSIGNAL);
        if (n < 0) {
            if (errno == EINTR)
                continue;
            if (errno == EAGAIN || errno == EWOULDBLOCK)
                break;
            return -1;
        }
        c->out_head += (size_t)n;
        if ((size_t)n < want)
            break;
    }
    size_t left = conn_pending(c);
    if (!left) {
        c->out.len = c->out_head = 0;
    } else if (c->out_head >= left) {
        memmove(c->out.data, c->out.data + c->out_head, left);
        c->out.len = left;
        c->out_head = 0;
    }
    if (left > OUT_STUCK) {
        errno = ENOBUFS;
        return -1;
    }
    return 0;
}

/* Reads what the socket has (up to a few big reads) and hands every whole
 * message to handle(); the start of a partial message waits in carry.
 * Returns 0, or -1 with *why set when the connection is finished. */
static int conn_receive(struct conn *c, msg_handler handle, const char **why)
{
    for (int round = 0; round < 4; round++) {
        size_t have = c->carry.len;
        if (have)
            memcpy(read_buf, c->carry.data, have);
        ssize_t n = read(c->fd, read_buf + have, READ_CHUNK);
        if (n == 0) {
            *why = "the peer closed the connection";
            return -1;
        }
        if (n < 0) {
            if (errno == EINTR)
                continue;
            if (errno == EAGAIN || errno == EWOULDBLOCK)
                return 0;
            *why = strerror(errno);
            return -1;
        }
        c->carry.len = 0;
        const uint8_t *p = read_buf, *end = read_buf + have + (size_t)n;
        while (end - p >= 8) {
            uint16_t len = wire_get16(p + 2);
            if (len < 8) {
                *why = "malformed OpenFlow message (length below 8)";
                return -1;
            }
            if (end - p < len)
                break;
            if (handle(c, p, len) < 0) {
                *why = NULL; /* the handler said why */
                return -1;
            }
            p += len;
        }
        ken_buf_put(&c->carry, p, (size_t)(end - p));
        if ((size_t)n < READ_CHUNK)
            return 0; /* drained */
    }
    return 0;
}

static size_t put_header(struct ken_buf *b, uint8_t version, uint8_t type, uint16_t len, uint32_t xid)
{
    size_t start = b->len;
    uint8_t *h = ken_buf_put_uninit(b, 8);
    h[0] = version;
    h[1] = type;
    wire_put16(h + 2, len);
    wire_put32(h + 4, xid);
    return start;
}

static void set_length(struct ken_buf *b, size_t start)
{
    wire_put16(b->data + start + 2, (uint16_t)(b->len - start));
}

/* Replies that echo the request with another type (echo, role). */
static uint8_t *put_echoed(struct ken_buf *b, const uint8_t *msg, size_t len, uint8_t type)
{
    uint8_t *r = ken_buf_put_uninit(b, len);
    memcpy(r, msg, len);
    r[1] = type;
    return r;
}

/* ---------- cbench: the emulated switches ---------- */

struct bench_opts {
    const char *host, *port;
    unsigned switches, macs, ports, loops, warmup, ms_per_test, window;
    unsigned connect_delay_ms, connect_group, start_delay_ms, handshake_timeout_s, lost_ms, idle_s;
    bool latency, json, verbose;
    uint8_t version;
    int cpu;
};

static struct bench {
    struct bench_opts o;
    const struct ken_ofproto *proto;
    struct addrinfo *addr;
    struct conn *sw;
    FILE *text; /* human-readable lines: stdout, or stderr with --json */
    enum { PH_CONNECT, PH_SETTLE, PH_IDLE, PH_RUN, PH_DONE } phase;
    unsigned opened, ready, dead;
    uint64_t start_ns, next_connect_ns, deadline_ns, loop_start_ns, next_tick_ns;
    unsigned loop;           /* loops finished, warmup included */
    bool generating, measuring;
    size_t pktin_len, data_off, chunk_pkts;
    size_t fm_buffer_off;    /* where a flow-mod carries its buffer id */
    double *loop_responses, *loop_answered;
    uint64_t mark_responses; /* responses at the start of this loop */
    uint64_t rtt_count, rtt_sum_ns, rtt_min_ns, rtt_max_ns;
    uint64_t *rtt_hist;
    bool printed_error;
} B;

static uint64_t switch_responses(const struct conn *c) { return c->flow_mods + c->packet_outs; }

static void bench_report_conn_error(struct conn *c, const char *why)
{
    bool handshake = B.phase == PH_CONNECT || B.phase == PH_SETTLE;
    if (handshake)
        die(2, "switch %u: %s during the handshake with %s:%s", c->index + 1, why, B.o.host, B.o.port);
    fprintf(stderr, "ken-bench: switch %u: %s; it stops here\n", c->index + 1, why);
    if (c->state == SW_READY)
        B.ready--;
    c->state = SW_DEAD;
    B.dead++;
    conn_close(c);
}

/* Builds the switch's packet-in: its own MAC prefix, the frame, in_port. */
static void switch_build_pktin(struct conn *c)
{
    uint8_t *m = c->pktin;
    memset(m, 0, PKTIN_MAX);
    m[0] = B.o.version;
    m[1] = T_PACKET_IN;
    wire_put16(m + 2, (uint16_t)B.pktin_len);
    wire_put16(m + 12, FRAME_LEN); /* total_len */
    if (B.o.version == 1) {
        m[16] = KEN_OFPR_NO_MATCH;
    } else {
        m[14] = KEN_OFPR_NO_MATCH;
        wire_put16(m + 24, 1);           /* match type OXM */
        wire_put16(m + 26, 12);          /* match length: header + in_port */
        wire_put32(m + 28, 0x80000004u); /* OXM in_port, 4 bytes */
    }
    uint8_t *f = m + B.data_off;
    const uint8_t mac[6] = {0x02, (uint8_t)(c->index >> 8), (uint8_t)c->index, 0, 0, 0};
    memcpy(f, mac, 6);
    memcpy(f + 6, mac, 6);
    wire_put16(f + 12, KEN_ETH_TYPE_IP);
    uint8_t *ip = f + 14;
    ip[0] = 0x45;
    wire_put16(ip + 2, FRAME_LEN - 14);
    ip[8] = 64;
    ip[9] = 17; /* UDP */
    wire_put32(ip + 12, 0x0a000001u);
    wire_put32(ip + 16, 0x0a000002u);
    uint32_t sum = 0;
    for (int i = 0; i < 20; i += 2)
        sum += wire_get16(ip + i);
    while (sum >> 16)
        sum = (sum & 0xffff) + (sum >> 16);
    wire_put16(ip + 10, (uint16_t)~sum);
    uint8_t *udp = ip + 20;
    wire_put16(udp, 1234);
    wire_put16(udp + 2, 5678);
    wire_put16(udp + 4, FRAME_LEN - 34);
}

/* Appends count packet-ins from the template; patches only the buffer id,
 * in_port and the two host MACs (24-bit host number after the switch's). */
static void switch_stamp(struct conn *c, size_t count)
{
    size_t len = B.pktin_len;
    uint8_t *d = ken_buf_put_uninit(&c->out, count * len);
    uint8_t *frame = d + B.data_off;
    uint32_t prefix = (c->index & 0xffu) << 24;
    uint32_t host = c->host, slot = c->port_slot, id = c->next_buffer_id;
    for (size_t i = 0; i < count; i++, d += len, frame += len) {
        memcpy(d, c->pktin, len);
        wire_put32(d + 8, id);
        id = id + 1 == NO_BUFFER ? 0 : id + 1;
        uint32_t next = host + 1 == B.o.macs ? 0 : host + 1;
        wire_put32(frame + 2, prefix | next);  /* dst */
        wire_put32(frame + 8, prefix | host);  /* src */
        if (B.o.version == 1)
            wire_put16(d + 14, (uint16_t)(slot + 1));
        else
            wire_put32(d + 32, slot + 1);
        slot = next == 0 ? 0 : (slot + 1 == B.o.ports ? 0 : slot + 1);
        host = next;
    }
    c->host = host;
    c->port_slot = slot;
    c->next_buffer_id = id;
    c->sent += count;
    c->in_flight += (uint32_t)count;
}

/* Writes what waits (control replies, the rest of a chunk); once nothing
 * waits, stamps new packet-ins as the window allows and writes them. Watches
 * for writability only while bytes wait (or, with no window, while sending). */
static void switch_pump(struct conn *c)
{
    if (c->state == SW_DEAD || c->state == SW_CONNECTING)
        return;
    bool sending = B.generating && c->state == SW_READY;
    size_t window = B.o.latency ? 1 : B.o.window;
    if (conn_pending(c) && conn_flush(c) < 0)
        goto broken;
    if (sending && !conn_pending(c)) {
        size_t count = B.chunk_pkts;
        if (window)
            count = c->in_flight >= window ? 0 : window - c->in_flight;
        if (count > B.chunk_pkts)
            count = B.chunk_pkts;
        if (count) {
            if (B.o.latency)
                c->sent_ns = now_ns();
            switch_stamp(c, count);
            if (conn_flush(c) < 0)
                goto broken;
        }
    }
    conn_watch(c, true, conn_pending(c) > 0 || (sending && !window));
    return;
broken:
    bench_report_conn_error(c, errno == ENOBUFS ? "the controller does not read" : strerror(errno));
}

static void switch_set_ready(struct conn *c)
{
    if (c->state != SW_READY) {
        c->state = SW_READY;
        B.ready++;
    }
}

/* Below 64 ns one bucket per ns; above, 64 buckets per power of two. */
static unsigned rtt_bucket(uint64_t ns)
{
    if (ns < 64)
        return (unsigned)ns;
    unsigned e = 63u - (unsigned)__builtin_clzll(ns);
    return (e - 5) * 64 + (unsigned)((ns >> (e - 6)) & 63);
}

static double rtt_bucket_middle_ns(unsigned b)
{
    if (b < 64)
        return b;
    unsigned e = b / 64 + 5;
    double low = (double)((64ull + b % 64) << (e - 6)), width = (double)(1ull << (e - 6));
    return low + width / 2;
}

static void switch_answered(struct conn *c)
{
    c->answered++;
    if (c->in_flight)
        c->in_flight--;
    if (B.o.latency && B.measuring) {
        uint64_t rtt = now_ns() - c->sent_ns;
        B.rtt_count++;
        B.rtt_sum_ns += rtt;
        if (rtt < B.rtt_min_ns)
            B.rtt_min_ns = rtt;
        if (rtt > B.rtt_max_ns)
            B.rtt_max_ns = rtt;
        B.rtt_hist[rtt_bucket(rtt)]++;
    }
}

static void put_port(struct ken_buf *b, const struct conn *c, uint32_t port_no)
{
    const uint8_t hw[6] = {0x06, (uint8_t)(c->index >> 8), (uint8_t)c->index, 0, (uint8_t)(port_no >> 8),
                           (uint8_t)port_no};
    char name[16];
    snprintf(name, sizeof name, "s%u-eth%u", c->index + 1, port_no);
    if (B.o.version == 1) {
        uint8_t *p = ken_buf_put_zeros(b, 48);
        wire_put16(p, (uint16_t)port_no);
        memcpy(p + 2, hw, 6);
        memcpy(p + 8, name, strlen(name));
        wire_put32(p + 32, 1u << 6 | 1u << 7); /* curr: 10GB_FD, COPPER */
    } else {
        uint8_t *p = ken_buf_put_zeros(b, 64);
        wire_put32(p, port_no);
        memcpy(p + 8, hw, 6);
        memcpy(p + 16, name, strlen(name));
        wire_put32(p + 40, 1u << 6 | 1u << 11); /* curr: 10GB_FD, COPPER */
        wire_put32(p + 56, 10000000);           /* curr_speed, kbps */
        wire_put32(p + 60, 10000000);           /* max_speed */
    }
}

static void switch_features_reply(struct conn *c, uint32_t xid)
{
    struct ken_buf *b = &c->out;
    size_t start = put_header(b, B.o.version, B.proto->OFPT_FEATURES_REPLY, 0, xid);
    uint8_t *f = ken_buf_put_zeros(b, 24);
    wire_put64(f, (uint64_t)c->index + 1); /* datapath_id */
    wire_put32(f + 8, 256);                /* n_buffers */
    if (B.o.version == 1) {
        f[12] = 1;                   /* n_tables */
        wire_put32(f + 16, 0xc7);    /* flow, table, port, queue stats; ARP match */
        wire_put32(f + 20, 0xfff);   /* every 1.0 action */
        for (uint32_t p = 1; p <= B.o.ports; p++)
            put_port(b, c, p);
    } else {
        f[12] = 254;
        wire_put32(f + 16, 0x4f);    /* flow, table, port, group, queue stats */
    }
    set_length(b, start);
}

static void put_desc(struct ken_buf *b, const struct conn *c)
{
    uint8_t *d = ken_buf_put_zeros(b, 1056);
    snprintf((char *)d, 256, "ken");
    snprintf((char *)d + 256, 256, "ken-bench emulated switch");
    snprintf((char *)d + 512, 256, "ken-bench");
    snprintf((char *)d + 768, 32, "%u", c->index + 1);
    snprintf((char *)d + 800, 256, "ken-bench switch %u", c->index + 1);
}

/* Multipart (1.0: stats) requests: desc and port-desc get real bodies,
 * every other kind an empty reply, so no controller waits forever. */
static void switch_multipart_reply(struct conn *c, const uint8_t *msg, size_t len)
{
    size_t head = B.o.version == 1 ? 12 : 16;
    if (len < head)
        return;
    uint16_t kind = wire_get16(msg + 8);
    struct ken_buf *b = &c->out;
    size_t start = put_header(b, B.o.version, B.proto->OFPT_MULTIPART_REPLY, 0, wire_get32(msg + 4));
    uint8_t *mp = ken_buf_put_zeros(b, head - 8);
    wire_put16(mp, kind);
    if (kind == B.proto->OFPMP_DESC) {
        put_desc(b, c);
    } else if (kind == B.proto->OFPMP_PORT_DESC) {
        for (uint32_t p = 1; p <= B.o.ports; p++)
            put_port(b, c, p);
        if (c->state == SW_FEATURES_SENT)
            switch_set_ready(c);
    }
    set_length(b, start);
}

static int switch_on_hello(struct conn *c, const uint8_t *msg)
{
    c->got_hello = true;
    if (msg[0] < B.o.version)
        die(2, "switch %u: the controller offers OpenFlow version %u, below the %s asked for; try --ofp-version",
            c->index + 1, msg[0], B.proto->name);
    return 0;
}

static int switch_on_error(struct conn *c, const uint8_t *msg, size_t len)
{
    c->errors++;
    unsigned type = len >= 12 ? wire_get16(msg + 8) : 0, code = len >= 12 ? wire_get16(msg + 10) : 0;
    if (c->state != SW_READY)
        die(2, "switch %u: the controller sent an error (type %u, code %u) during the handshake", c->index + 1,
            type, code);
    if (B.o.verbose && !B.printed_error) {
        B.printed_error = true;
        fprintf(stderr, "ken-bench: switch %u: first error from the controller: type %u, code %u\n", c->index + 1,
                type, code);
    }
    return 0;
}

/* Everything but the responses: the switch side of the handshake and the
 * requests a controller may send at any time. */
static int switch_on_control(struct conn *c, const uint8_t *msg, size_t len)
{
    const struct ken_ofproto *p = B.proto;
    uint8_t type = msg[1];
    uint32_t xid = wire_get32(msg + 4);
    if (type == T_HELLO)
        return switch_on_hello(c, msg);
    if (type == T_ERROR)
        return switch_on_error(c, msg, len);
    if (type == T_ECHO_REQUEST) {
        put_echoed(&c->out, msg, len, p->OFPT_ECHO_REPLY);
    } else if (type == p->OFPT_FEATURES_REQUEST) {
        switch_features_reply(c, xid);
        if (c->state == SW_HELLO_SENT) {
            c->state = SW_FEATURES_SENT;
            c->features_ns = now_ns();
        }
        if (B.o.version == 1)
            switch_set_ready(c); /* 1.0: the ports came with the features */
    } else if (type == p->OFPT_GET_CONFIG_REQUEST) {
        put_header(&c->out, B.o.version, p->OFPT_GET_CONFIG_REPLY, 12, xid);
        ken_buf_put32(&c->out, 128); /* flags 0, miss_send_len 128 */
    } else if (type == p->OFPT_BARRIER_REQUEST) {
        put_header(&c->out, B.o.version, p->OFPT_BARRIER_REPLY, 8, xid);
    } else if (type == p->OFPT_MULTIPART_REQUEST) {
        switch_multipart_reply(c, msg, len);
    } else if (type == p->OFPT_ROLE_REQUEST && len >= 24) {
        uint8_t *r = put_echoed(&c->out, msg, len, p->OFPT_ROLE_REPLY);
        if (wire_get32(r + 8) == KEN_OFPCR_ROLE_NOCHANGE)
            wire_put32(r + 8, KEN_OFPCR_ROLE_EQUAL);
    } else if (type == p->OFPT_GET_ASYNC_REQUEST) {
        put_header(&c->out, B.o.version, p->OFPT_GET_ASYNC_REPLY, 32, xid);
        ken_buf_put_zeros(&c->out, 24);
    } else {
        c->others++; /* set-config, port-mod, ...: nothing to answer */
    }
    return 0;
}

/* The hot path: responses are told apart by type, and a flow-mod answers a
 * packet-in only when it carries a buffer id. */
static void topo_relay(struct conn *c, const uint8_t *msg, size_t len);
static bool topo_on;

static int switch_on_msg(struct conn *c, const uint8_t *msg, size_t len)
{
    uint8_t type = msg[1];
    if (topo_on && type == T_PACKET_OUT) {
        c->packet_outs++;
        topo_relay(c, msg, len);
        return 0;
    }
    if (type == T_FLOW_MOD) {
        c->flow_mods++;
        if (len >= B.fm_buffer_off + 4 && wire_get32(msg + B.fm_buffer_off) != NO_BUFFER)
            switch_answered(c);
        return 0;
    }
    if (type == T_PACKET_OUT) {
        c->packet_outs++;
        switch_answered(c);
        return 0;
    }
    return switch_on_control(c, msg, len);
}

static void switch_open(struct conn *c)
{
    struct addrinfo *ai = B.addr;
    c->fd = socket(ai->ai_family, ai->ai_socktype | SOCK_NONBLOCK | SOCK_CLOEXEC, ai->ai_protocol);
    if (c->fd < 0)
        die(2, "switch %u: socket: %s", c->index + 1, strerror(errno));
    int one = 1;
    setsockopt(c->fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    if (connect(c->fd, ai->ai_addr, ai->ai_addrlen) < 0 && errno != EINPROGRESS)
        die(2, "switch %u: cannot connect to %s:%s: %s", c->index + 1, B.o.host, B.o.port, strerror(errno));
    struct epoll_event ev = {.events = EPOLLOUT, .data.ptr = c};
    if (epoll_ctl(epfd, EPOLL_CTL_ADD, c->fd, &ev) < 0)
        die(2, "epoll_ctl: %s", strerror(errno));
    c->watch_out = true;
    c->state = SW_CONNECTING;
}

/* The TCP connection is up (or failed): say hello. */
static void switch_connected(struct conn *c)
{
    int err = 0;
    socklen_t len = sizeof err;
    getsockopt(c->fd, SOL_SOCKET, SO_ERROR, &err, &len);
    if (err)
        die(2, "switch %u: cannot connect to %s:%s: %s%s", c->index + 1, B.o.host, B.o.port, strerror(err),
            err == ECONNREFUSED ? " (is the controller listening?)" : "");
    c->state = SW_HELLO_SENT;
    put_header(&c->out, B.o.version, T_HELLO, 8, 1);
    switch_pump(c);
}

static void switch_on_event(struct conn *c, uint32_t events)
{
    if (c->state == SW_DEAD)
        return;
    if (c->state == SW_CONNECTING) {
        switch_connected(c);
        return;
    }
    if (events & (EPOLLIN | EPOLLHUP | EPOLLERR)) {
        const char *why;
        if (conn_receive(c, switch_on_msg, &why) < 0) {
            bench_report_conn_error(c, why ? why : "protocol error");
            return;
        }
    }
    switch_pump(c);
}

/* Names the first step a switch is stuck at, for the handshake timeout. */
static const char *switch_missing_step(const struct conn *c)
{
    switch (c->state) {
    case SW_CONNECTING: return "the TCP connection is not established";
    case SW_HELLO_SENT: return c->got_hello ? "hello received, no features-request" : "no hello from the controller";
    case SW_FEATURES_SENT: return "features-reply sent, no port-desc request";
    default: return "ready";
    }
}

static void bench_fail_handshake(void)
{
    unsigned stuck = B.o.switches - B.ready - B.dead;
    for (unsigned i = 0; i < B.o.switches; i++)
        if (B.sw[i].state != SW_READY && B.sw[i].state != SW_DEAD)
            die(2, "%u of %u switches did not finish the handshake with %s:%s within %u s (switch %u: %s)", stuck,
                B.o.switches, B.o.host, B.o.port, B.o.handshake_timeout_s, i + 1, switch_missing_step(&B.sw[i]));
}

/* ---------- cbench: loops and results ---------- */

static void bench_mark_loop_start(uint64_t now)
{
    uint64_t responses = 0;
    for (unsigned i = 0; i < B.o.switches; i++) {
        B.sw[i].mark_answered = B.sw[i].answered;
        responses += switch_responses(&B.sw[i]);
    }
    B.mark_responses = responses;
    B.loop_start_ns = now;
    B.measuring = B.loop >= B.o.warmup;
}

static void bench_print_per_switch(double secs)
{
    fprintf(B.text, "  answered/s per switch:");
    for (unsigned i = 0; i < B.o.switches; i++) {
        const struct conn *c = &B.sw[i];
        fprintf(B.text, "%s %.0f", i % 10 ? "" : "\n   ", (double)(c->answered - c->mark_answered) / secs);
    }
    fputc('\n', B.text);
}

static void bench_finish_loop(uint64_t now)
{
    double secs = (double)(now - B.loop_start_ns) / 1e9;
    uint64_t responses = 0, answered = 0;
    for (unsigned i = 0; i < B.o.switches; i++) {
        responses += switch_responses(&B.sw[i]);
        answered += B.sw[i].answered - B.sw[i].mark_answered;
    }
    double rr = (double)(responses - B.mark_responses) / secs, ar = (double)answered / secs;
    B.loop_responses[B.loop] = rr;
    B.loop_answered[B.loop] = ar;
    fprintf(B.text, "loop %2u%s: %14.2f responses/s %14.2f answered/s  (%u switches)\n", B.loop + 1,
            B.loop < B.o.warmup ? " (warmup)" : "", rr, ar, B.o.switches - B.dead);
    if (B.o.verbose)
        bench_print_per_switch(secs);
    fflush(B.text);
    B.loop++;
    if (B.loop == B.o.warmup + B.o.loops || B.dead == B.o.switches)
        B.phase = PH_DONE;
    else
        bench_mark_loop_start(now);
}

/* Latency mode drops nothing on its own: a packet-in the controller never
 * answers would stall its switch, so after lost_ms it is written off. */
static void bench_check_lost(uint64_t now)
{
    if (!B.o.latency && !B.o.window)
        return;
    for (unsigned i = 0; i < B.o.switches; i++) {
        struct conn *c = &B.sw[i];
        if (c->state != SW_READY)
            continue;
        if (!c->in_flight || c->answered != c->answered_at_tick) {
            c->answered_at_tick = c->answered;
            c->progress_ns = now;
        } else if (now - c->progress_ns >= (uint64_t)B.o.lost_ms * 1000000ull) {
            c->lost += c->in_flight;
            c->in_flight = 0;
            c->progress_ns = now;
            switch_pump(c);
        }
    }
}

static void bench_start_loops(uint64_t now)
{
    B.phase = PH_RUN;
    B.generating = true;
    bench_mark_loop_start(now);
    for (unsigned i = 0; i < B.o.switches; i++) {
        B.sw[i].progress_ns = now;
        switch_pump(&B.sw[i]);
    }
}

static void bench_after_settle(uint64_t now)
{
    if (B.o.idle_s) {
        fprintf(B.text, "ken-bench: holding %u idle switches for %u s\n", B.ready, B.o.idle_s);
        fflush(B.text);
        B.phase = PH_IDLE;
        B.deadline_ns = now + (uint64_t)B.o.idle_s * 1000000000ull;
    } else {
        bench_start_loops(now);
    }
}

static void bench_connect_tick(uint64_t now)
{
    while (B.opened < B.o.switches && now >= B.next_connect_ns) {
        for (unsigned g = 0; g < B.o.connect_group && B.opened < B.o.switches; g++)
            switch_open(&B.sw[B.opened++]);
        B.next_connect_ns = now + (uint64_t)B.o.connect_delay_ms * 1000000ull;
        if (B.opened == B.o.switches)
            B.deadline_ns = now + (uint64_t)B.o.handshake_timeout_s * 1000000000ull;
        if (B.o.connect_delay_ms)
            break;
    }
    for (unsigned i = 0; i < B.opened; i++)
        if (B.sw[i].state == SW_FEATURES_SENT && now - B.sw[i].features_ns >= READY_GRACE_NS)
            switch_set_ready(&B.sw[i]);
    if (B.opened < B.o.switches)
        return;
    if (B.ready == B.o.switches) {
        fprintf(B.text, "ken-bench: %u switches ready in %.3f s\n", B.ready, (double)(now - B.start_ns) / 1e9);
        fflush(B.text);
        B.phase = PH_SETTLE;
        B.deadline_ns = now + (uint64_t)B.o.start_delay_ms * 1000000ull;
    } else if (now >= B.deadline_ns) {
        bench_fail_handshake();
    }
}

static void bench_tick(uint64_t now)
{
    switch (B.phase) {
    case PH_CONNECT: bench_connect_tick(now); break;
    case PH_SETTLE:
        if (now >= B.deadline_ns)
            bench_after_settle(now);
        break;
    case PH_IDLE:
        if (now >= B.deadline_ns)
            B.phase = PH_DONE;
        break;
    case PH_RUN:
        if (now >= B.loop_start_ns + (uint64_t)B.o.ms_per_test * 1000000ull)
            bench_finish_loop(now);
        if (B.phase == PH_RUN && now >= B.next_tick_ns) {
            bench_check_lost(now);
            B.next_tick_ns = now + TICK_NS;
        }
        break;
    case PH_DONE: break;
    }
}

/* Milliseconds until the next thing the clock must trigger (at most a tick). */
static int bench_wait_ms(uint64_t now)
{
    uint64_t next = now + TICK_NS;
    if (B.phase == PH_RUN) {
        uint64_t end = B.loop_start_ns + (uint64_t)B.o.ms_per_test * 1000000ull;
        if (end < next)
            next = end;
    } else if ((B.phase == PH_SETTLE || B.phase == PH_IDLE) && B.deadline_ns < next) {
        next = B.deadline_ns;
    } else if (B.phase == PH_CONNECT && B.opened < B.o.switches && B.next_connect_ns < next) {
        next = B.next_connect_ns;
    }
    return next <= now ? 0 : (int)((next - now + 999999) / 1000000);
}

struct summary {
    double min, max, avg, stdev;
};

static struct summary summarize(const double *v, unsigned n)
{
    struct summary s = {0, 0, 0, 0};
    if (!n)
        return s;
    s.min = s.max = v[0];
    double sum = 0;
    for (unsigned i = 0; i < n; i++) {
        s.min = v[i] < s.min ? v[i] : s.min;
        s.max = v[i] > s.max ? v[i] : s.max;
        sum += v[i];
    }
    s.avg = sum / n;
    double sq = 0;
    for (unsigned i = 0; i < n; i++)
        sq += (v[i] - s.avg) * (v[i] - s.avg);
    s.stdev = n > 1 ? sqrt(sq / (n - 1)) : 0;
    return s;
}

/* Microseconds at quantile q of the RTT histogram (bucket middle). */
static double rtt_quantile_us(double q)
{
    uint64_t want = (uint64_t)ceil(q * (double)B.rtt_count), seen = 0;
    for (unsigned i = 0; i < HIST_BUCKETS; i++) {
        seen += B.rtt_hist[i];
        if (seen >= want && seen)
            return rtt_bucket_middle_ns(i) / 1000;
    }
    return 0;
}

struct totals {
    uint64_t sent, flow_mods, packet_outs, answered, errors, lost, others;
};

static struct totals bench_totals(void)
{
    struct totals t = {0, 0, 0, 0, 0, 0, 0};
    for (unsigned i = 0; i < B.o.switches; i++) {
        const struct conn *c = &B.sw[i];
        t.sent += c->sent;
        t.flow_mods += c->flow_mods;
        t.packet_outs += c->packet_outs;
        t.answered += c->answered;
        t.errors += c->errors;
        t.lost += c->lost;
        t.others += c->others;
    }
    return t;
}

static void print_summary_json(const char *name, struct summary s)
{
    printf("\"%s\":{\"min\":%.2f,\"max\":%.2f,\"avg\":%.2f,\"stdev\":%.2f},", name, s.min, s.max, s.avg, s.stdev);
}

static void bench_print_json(unsigned measured, struct summary rs, struct summary as, struct totals t)
{
    printf("{\"tool\":\"ken-bench\",\"mode\":\"%s\",\"ofp_version\":\"%s\",\"controller\":\"%s:%s\","
           "\"switches\":%u,\"switches_lost\":%u,\"macs\":%u,\"window\":%u,\"loops\":%u,\"warmup\":%u,"
           "\"ms_per_test\":%u,",
           B.o.latency ? "latency" : "throughput", B.proto->name, B.o.host, B.o.port, B.o.switches, B.dead,
           B.o.macs, B.o.latency ? 1 : B.o.window, measured, B.o.warmup, B.o.ms_per_test);
    print_summary_json("responses_per_s", rs);
    print_summary_json("answered_per_s", as);
    printf("\"answered_per_loop\":[");
    for (unsigned i = 0; i < measured; i++)
        printf("%s%.2f", i ? "," : "", B.loop_answered[B.o.warmup + i]);
    printf("],\"sent\":%" PRIu64 ",\"flow_mods\":%" PRIu64 ",\"packet_outs\":%" PRIu64 ",\"answered\":%" PRIu64
           ",\"errors\":%" PRIu64 ",\"lost\":%" PRIu64,
           t.sent, t.flow_mods, t.packet_outs, t.answered, t.errors, t.lost);
    if (B.o.latency && B.rtt_count)
        printf(",\"rtt_us\":{\"avg\":%.2f,\"min\":%.2f,\"p50\":%.2f,\"p99\":%.2f,\"max\":%.2f}",
               (double)B.rtt_sum_ns / (double)B.rtt_count / 1000, (double)B.rtt_min_ns / 1000,
               rtt_quantile_us(0.5), rtt_quantile_us(0.99), (double)B.rtt_max_ns / 1000);
    printf("}\n");
}

static int bench_report(void)
{
    if (B.o.idle_s) {
        if (B.o.json)
            printf("{\"tool\":\"ken-bench\",\"mode\":\"idle\",\"ofp_version\":\"%s\",\"controller\":\"%s:%s\","
                   "\"switches\":%u,\"switches_lost\":%u,\"idle_s\":%u}\n",
                   B.proto->name, B.o.host, B.o.port, B.o.switches, B.dead, B.o.idle_s);
        return B.dead ? 1 : 0;
    }
    unsigned measured = B.loop > B.o.warmup ? B.loop - B.o.warmup : 0;
    struct summary rs = summarize(B.loop_responses + B.o.warmup, measured);
    struct summary as = summarize(B.loop_answered + B.o.warmup, measured);
    struct totals t = bench_totals();
    fprintf(B.text, "RESULT: %u switches %u loops min/max/avg/stdev = %.2f/%.2f/%.2f/%.2f responses/s\n",
            B.o.switches, measured, rs.min, rs.max, rs.avg, rs.stdev);
    fprintf(B.text, "RESULT: %u switches %u loops min/max/avg/stdev = %.2f/%.2f/%.2f/%.2f answered/s\n",
            B.o.switches, measured, as.min, as.max, as.avg, as.stdev);
    if (B.o.latency && B.rtt_count)
        fprintf(B.text, "RTT us: avg %.2f min %.2f p50 %.2f p99 %.2f max %.2f\n",
                (double)B.rtt_sum_ns / (double)B.rtt_count / 1000, (double)B.rtt_min_ns / 1000, rtt_quantile_us(0.5),
                rtt_quantile_us(0.99), (double)B.rtt_max_ns / 1000);
    fprintf(B.text,
            "totals: sent %" PRIu64 ", flow-mods %" PRIu64 ", packet-outs %" PRIu64 ", answered %" PRIu64
            ", errors %" PRIu64 ", lost %" PRIu64 ", other messages %" PRIu64 "\n",
            t.sent, t.flow_mods, t.packet_outs, t.answered, t.errors, t.lost, t.others);
    if (B.o.json)
        bench_print_json(measured, rs, as, t);
    if (t.flow_mods + t.packet_outs == 0) {
        fprintf(stderr, "ken-bench: the controller sent no flow-mod and no packet-out\n");
        return 1;
    }
    if (!t.answered)
        fprintf(stderr, "ken-bench: note: no response carried a buffer id, so no packet-in counts as answered\n");
    return B.dead ? 1 : 0;
}

static void bench_parse(int argc, char **argv, struct bench_opts *o)
{
    enum { OPT_WINDOW = 256, OPT_LOST, OPT_IDLE };
    static const struct option longs[] = {
        {"controller", required_argument, 0, 'c'}, {"port", required_argument, 0, 'p'},
        {"switches", required_argument, 0, 's'}, {"macs", required_argument, 0, 'M'},
        {"ports", required_argument, 0, 'P'}, {"loops", required_argument, 0, 'l'},
        {"ms-per-test", required_argument, 0, 'm'}, {"warmup", required_argument, 0, 'w'},
        {"throughput", no_argument, 0, 't'}, {"latency", no_argument, 0, 'L'},
        {"window", required_argument, 0, OPT_WINDOW}, {"ofp-version", required_argument, 0, 'V'},
        {"cpu", required_argument, 0, 'C'}, {"connect-delay", required_argument, 0, 'D'},
        {"connect-group", required_argument, 0, 'I'}, {"start-delay", required_argument, 0, 'd'},
        {"handshake-timeout", required_argument, 0, 'T'}, {"lost-ms", required_argument, 0, OPT_LOST},
        {"idle", required_argument, 0, OPT_IDLE}, {"json", no_argument, 0, 'j'},
        {"verbose", no_argument, 0, 'v'}, {"help", no_argument, 0, 'h'}, {0, 0, 0, 0},
    };
    *o = (struct bench_opts){.host = "127.0.0.1", .port = "6653", .switches = 16, .macs = 100000, .ports = 4,
                             .loops = 16, .warmup = 1, .ms_per_test = 1000, .connect_group = 1,
                             .start_delay_ms = 200, .handshake_timeout_s = 15, .lost_ms = 1000, .latency = true,
                             .window = AUTO_WINDOW,
                             .version = 1, .cpu = -1};
    int ch;
    while ((ch = getopt_long(argc, argv, "c:p:s:M:P:l:m:w:tLV:C:D:I:d:T:jvh", longs, NULL)) != -1) {
        switch (ch) {
        case 'c': o->host = optarg; break;
        case 'p': parse_uint(optarg, "--port", 1, 65535); o->port = optarg; break;
        case 's': o->switches = parse_uint(optarg, "--switches", 1, 65535); break;
        case 'M': o->macs = parse_uint(optarg, "--macs", 2, 1u << 24); break;
        case 'P': o->ports = parse_uint(optarg, "--ports", 1, 1000); break;
        case 'l': o->loops = parse_uint(optarg, "--loops", 1, 1000000); break;
        case 'm': o->ms_per_test = parse_uint(optarg, "--ms-per-test", 10, 3600000); break;
        case 'w': o->warmup = parse_uint(optarg, "--warmup", 0, 1000000); break;
        case 't': o->latency = false; break;
        case 'L': o->latency = true; break;
        case OPT_WINDOW: o->window = parse_uint(optarg, "--window", 0, 1u << 24); break;
        case 'V': o->version = parse_version(optarg); break;
        case 'C': o->cpu = (int)parse_uint(optarg, "--cpu", 0, CPU_SETSIZE - 1); break;
        case 'D': o->connect_delay_ms = parse_uint(optarg, "--connect-delay", 0, 3600000); break;
        case 'I': o->connect_group = parse_uint(optarg, "--connect-group", 1, 65535); break;
        case 'd': o->start_delay_ms = parse_uint(optarg, "--start-delay", 0, 3600000); break;
        case 'T': o->handshake_timeout_s = parse_uint(optarg, "--handshake-timeout", 1, 3600); break;
        case OPT_LOST: o->lost_ms = parse_uint(optarg, "--lost-ms", 1, 3600000); break;
        case OPT_IDLE: o->idle_s = parse_uint(optarg, "--idle", 1, 86400); break;
        case 'j': o->json = true; break;
        case 'v': o->verbose = true; break;
        case 'h': fputs(usage, stdout); exit(0);
        default: usage_error(); /* getopt said what is wrong */
        }
    }
    if (optind < argc)
        die(2, "unexpected argument '%s'\nTry 'ken-bench --help'.", argv[optind]);
}

static void bench_setup(void)
{
    struct bench_opts *o = &B.o;
    B.proto = ken_ofproto_get(o->version);
    B.text = o->json ? stderr : stdout;
    struct addrinfo hints = {.ai_family = AF_UNSPEC, .ai_socktype = SOCK_STREAM};
    int rc = getaddrinfo(o->host, o->port, &hints, &B.addr);
    if (rc)
        die(2, "controller address %s:%s: %s", o->host, o->port, gai_strerror(rc));
    if (o->window == AUTO_WINDOW)
        o->window = WINDOW_BUDGET / o->switches > 64 ? WINDOW_BUDGET / o->switches : 64;
    B.pktin_len = o->version == 1 ? 18 + FRAME_LEN : 42 + FRAME_LEN;
    B.data_off = B.pktin_len - FRAME_LEN;
    B.fm_buffer_off = o->version == 1 ? 64 : 32;
    /* About 16 MiB of packet-ins per round over all switches, 128 KiB at most
     * per write: big writes, bounded memory at 1000 switches. */
    size_t per_switch = (16u << 20) / o->switches;
    per_switch = per_switch > (128u << 10) ? (128u << 10) : per_switch < 4096 ? 4096 : per_switch;
    B.chunk_pkts = per_switch / B.pktin_len;
    unsigned rounds = o->warmup + o->loops;
    B.loop_responses = calloc(rounds, sizeof(double));
    B.loop_answered = calloc(rounds, sizeof(double));
    B.rtt_hist = calloc(HIST_BUCKETS, sizeof(uint64_t));
    B.sw = calloc(o->switches, sizeof *B.sw);
    if (!B.loop_responses || !B.loop_answered || !B.rtt_hist || !B.sw)
        die(2, "out of memory");
    B.rtt_min_ns = UINT64_MAX;
    for (unsigned i = 0; i < o->switches; i++) {
        struct conn *c = &B.sw[i];
        c->fd = -1;
        c->index = i;
        c->version = o->version;
        switch_build_pktin(c);
    }
    epfd = epoll_create1(EPOLL_CLOEXEC);
    if (epfd < 0)
        die(2, "epoll_create1: %s", strerror(errno));
}

static int cbench_main(int argc, char **argv)
{
    bench_parse(argc, argv, &B.o);
    setup_signals();
    pin_cpu(B.o.cpu);
    raise_nofile(B.o.switches, true);
    bench_setup();
    const struct bench_opts *o = &B.o;
    fprintf(B.text,
            "ken-bench: controller %s:%s, OpenFlow %s, %u switches x %u MACs, %s mode (window %u), %u loops of "
            "%u ms after %u warmup\n",
            o->host, o->port, B.proto->name, o->switches, o->macs, o->latency ? "latency" : "throughput",
            o->latency ? 1 : o->window, o->loops, o->ms_per_test, o->warmup);
    fflush(B.text);
    B.start_ns = B.next_connect_ns = now_ns();
    struct epoll_event events[1024];
    while (B.phase != PH_DONE && !stop_requested) {
        uint64_t now = now_ns();
        bench_tick(now);
        if (B.phase == PH_DONE)
            break;
        int n = epoll_wait(epfd, events, 1024, bench_wait_ms(now));
        if (n < 0 && errno != EINTR)
            die(2, "epoll_wait: %s", strerror(errno));
        for (int i = 0; i < n; i++)
            switch_on_event(events[i].data.ptr, events[i].events);
    }
    if (stop_requested && B.phase != PH_RUN && B.phase != PH_DONE)
        die(2, "interrupted before the first loop");
    int status = bench_report();
    for (unsigned i = 0; i < o->switches; i++)
        conn_close(&B.sw[i]);
    close(epfd);
    freeaddrinfo(B.addr);
    free(B.sw);
    free(B.loop_responses);
    free(B.loop_answered);
    free(B.rtt_hist);
    return status;
}

/* ---------- topology: LLDP relayed between wired switches ---------- */

static struct topo_bench {
    unsigned rows, cols;        /* grid; rows 0: a ring of B.o.switches */
    const char *rest_host, *rest_port;
    unsigned hold_s;
    unsigned expected;          /* directed links */
    uint64_t relayed, dropped;  /* LLDP packet-outs passed on, or out of unwired ports */
    /* The REST watcher's results (written by it, read once it is done). */
    uint64_t ready_ns;
    double found_s;             /* < 0: never */
    double get_ms[20];
    unsigned n_get;
    size_t body_bytes;
    int hold_min, hold_max;
    int holding;                /* the watcher watches the hold (atomic) */
    int done;                   /* the watcher is done (atomic) */
} TB;

/* The port wired to (index, port), false for an unwired one. */
static bool topo_peer(unsigned i, uint32_t port, unsigned *ni, uint32_t *np)
{
    if (!TB.rows) {
        unsigned n = B.o.switches;
        if (port == 1) { *ni = (i + 1) % n; *np = 2; return n > 1; }
        if (port == 2) { *ni = (i + n - 1) % n; *np = 1; return n > 1; }
        return false;
    }
    unsigned r = i / TB.cols, c = i % TB.cols;
    switch (port) {
    case 1: if (c + 1 >= TB.cols) return false; *ni = i + 1; *np = 3; return true;
    case 2: if (r + 1 >= TB.rows) return false; *ni = i + TB.cols; *np = 4; return true;
    case 3: if (c == 0) return false; *ni = i - 1; *np = 1; return true;
    case 4: if (r == 0) return false; *ni = i - TB.cols; *np = 2; return true;
    default: return false;
    }
}

/* A packet-out: its frame goes out of its output port, into the wired
 * neighbour, which sends it to the controller as a packet-in. */
static void topo_relay(struct conn *c, const uint8_t *msg, size_t len)
{
    bool v10 = B.o.version == 1;
    size_t head = v10 ? 16 : 24;
    if (len < head)
        return;
    size_t alen = wire_get16(msg + (v10 ? 14 : 16));
    if (alen > len - head)
        return;
    uint32_t out = 0;
    for (size_t off = head; off + 8 <= head + alen;) {
        size_t l = wire_get16(msg + off + 2);
        if (l < 8 || off + l > head + alen)
            return;
        if (wire_get16(msg + off) == 0) /* OUTPUT */
            out = v10 ? wire_get16(msg + off + 4) : wire_get32(msg + off + 4);
        off += l;
    }
    const uint8_t *data = msg + head + alen;
    size_t dlen = len - head - alen;
    unsigned ni;
    uint32_t np;
    if (!dlen || !topo_peer(c->index, out, &ni, &np) || B.sw[ni].state != SW_READY) {
        TB.dropped++;
        return;
    }
    struct conn *d = &B.sw[ni];
    struct ken_buf *b = &d->out;
    size_t start = put_header(b, B.o.version, T_PACKET_IN, 0, 0);
    if (v10) {
        uint8_t *p = ken_buf_put_zeros(b, 10);
        wire_put32(p, NO_BUFFER);
        wire_put16(p + 4, (uint16_t)dlen);
        wire_put16(p + 6, (uint16_t)np);
        /* reason NO_MATCH, pad */
    } else {
        uint8_t *p = ken_buf_put_zeros(b, 34);
        wire_put32(p, NO_BUFFER);
        wire_put16(p + 4, (uint16_t)dlen);
        p[6] = 1; /* reason ACTION: the LLDP flow */
        wire_put16(p + 16, 1);  /* match: OXM, 12 bytes: in_port */
        wire_put16(p + 18, 12);
        wire_put32(p + 20, 0x80000004u);
        wire_put32(p + 24, np);
        /* 4 bytes of match padding, then 2 of packet-in padding */
    }
    ken_buf_put(b, data, dlen);
    set_length(b, start);
    TB.relayed++;
    switch_pump(d);
}

/* One GET of the REST links: the number of links listed (-1: no answer),
 * *bytes the body's size. Blocking, with a timeout: the watcher's own. */
static int topo_rest_links(size_t *bytes)
{
    struct addrinfo hints = {.ai_family = AF_UNSPEC, .ai_socktype = SOCK_STREAM}, *ai;
    if (getaddrinfo(TB.rest_host, TB.rest_port, &hints, &ai))
        return -1;
    int fd = socket(ai->ai_family, ai->ai_socktype | SOCK_CLOEXEC, ai->ai_protocol);
    struct timeval tv = {5, 0};
    if (fd >= 0) {
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
        setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
    }
    bool ok = fd >= 0 && connect(fd, ai->ai_addr, ai->ai_addrlen) == 0;
    freeaddrinfo(ai);
    static const char req[] = "GET /v1.0/topology/links HTTP/1.1\r\nHost: ken\r\nConnection: close\r\n\r\n";
    ok = ok && send(fd, req, sizeof req - 1, MSG_NOSIGNAL) == (ssize_t)(sizeof req - 1);
    struct ken_buf body = KEN_BUF_INIT;
    while (ok) {
        uint8_t *p = ken_buf_reserve(&body, 65536);
        ssize_t n = recv(fd, p, 65536, 0);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0) {
            ok = n == 0;
            break;
        }
        body.len += (size_t)n;
    }
    if (fd >= 0)
        close(fd);
    int links = -1;
    if (ok && body.len > 12 && !memcmp(body.data + 9, "200", 3)) {
        ken_buf_put8(&body, 0);
        const char *start = strstr((const char *)body.data, "\r\n\r\n");
        links = 0;
        for (const char *q = start; q && (q = strstr(q, "\"src\":")); q += 6)
            links++;
        *bytes = start ? strlen(start + 4) : 0;
    }
    ken_buf_free(&body);
    return links;
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

/* The watcher thread: polls the REST links until all are listed, times
 * GETs, then watches the count for the hold time. */
static void *topo_watch(void *arg)
{
    (void)arg;
    size_t bytes = 0;
    TB.found_s = -1;
    uint64_t give_up = TB.ready_ns + 120ull * 1000000000ull;
    for (;;) {
        int n = topo_rest_links(&bytes);
        uint64_t now = now_ns();
        if (n == (int)TB.expected) {
            TB.found_s = (double)(now - TB.ready_ns) / 1e9;
            break;
        }
        if (now > give_up || stop_requested)
            break;
        struct timespec ts = {0, 10000000}; /* 10 ms */
        nanosleep(&ts, NULL);
    }
    if (TB.found_s >= 0) {
        for (TB.n_get = 0; TB.n_get < 20; TB.n_get++) {
            uint64_t t0 = now_ns();
            topo_rest_links(&TB.body_bytes);
            TB.get_ms[TB.n_get] = (double)(now_ns() - t0) / 1e6;
        }
        qsort(TB.get_ms, TB.n_get, sizeof TB.get_ms[0], cmp_double);
        __atomic_store_n(&TB.holding, 1, __ATOMIC_RELEASE);
        TB.hold_min = INT32_MAX;
        TB.hold_max = -1;
        uint64_t until = now_ns() + (uint64_t)TB.hold_s * 1000000000ull;
        while (now_ns() < until && !stop_requested) {
            int n = topo_rest_links(&bytes);
            if (n < TB.hold_min)
                TB.hold_min = n;
            if (n > TB.hold_max)
                TB.hold_max = n;
            struct timespec ts = {0, 250000000};
            nanosleep(&ts, NULL);
        }
    }
    __atomic_store_n(&TB.done, 1, __ATOMIC_RELEASE);
    return NULL;
}

static void topo_parse(int argc, char **argv)
{
    enum { OPT_RING = 256, OPT_GRID, OPT_REST, OPT_HOLD };
    static const struct option longs[] = {
        {"controller", required_argument, 0, 'c'}, {"port", required_argument, 0, 'p'},
        {"ring", required_argument, 0, OPT_RING}, {"grid", required_argument, 0, OPT_GRID},
        {"rest", required_argument, 0, OPT_REST}, {"hold", required_argument, 0, OPT_HOLD},
        {"ofp-version", required_argument, 0, 'V'}, {"handshake-timeout", required_argument, 0, 'T'},
        {"json", no_argument, 0, 'j'}, {"help", no_argument, 0, 'h'}, {0, 0, 0, 0},
    };
    B.o = (struct bench_opts){.host = "127.0.0.1", .port = "6653", .switches = 16, .macs = 2, .ports = 2,
                              .loops = 1, .ms_per_test = 1000, .connect_group = 1, .handshake_timeout_s = 15,
                              .latency = true, .window = 1, .version = 1, .cpu = -1};
    TB.rest_host = "127.0.0.1";
    TB.rest_port = "8080";
    TB.hold_s = 15;
    static char rest[256];
    int ch;
    while ((ch = getopt_long(argc, argv, "c:p:V:T:jh", longs, NULL)) != -1) {
        switch (ch) {
        case 'c': B.o.host = optarg; break;
        case 'p': parse_uint(optarg, "--port", 1, 65535); B.o.port = optarg; break;
        case OPT_RING:
            B.o.switches = parse_uint(optarg, "--ring", 2, 65535);
            TB.rows = TB.cols = 0;
            B.o.ports = 2;
            break;
        case OPT_GRID: {
            unsigned r, c;
            char x;
            if (sscanf(optarg, "%u%c%u", &r, &x, &c) != 3 || (x != 'x' && x != 'X') || r < 1 || c < 1 ||
                r * c < 2 || r * c > 65535)
                die(2, "--grid: '%s' is not RxC with 2 to 65535 switches", optarg);
            TB.rows = r;
            TB.cols = c;
            B.o.switches = r * c;
            B.o.ports = 4;
            break;
        }
        case OPT_REST: {
            snprintf(rest, sizeof rest, "%s", optarg);
            char *colon = strrchr(rest, ':');
            if (!colon || colon == rest)
                die(2, "--rest: '%s' is not HOST:PORT", optarg);
            *colon = '\0';
            TB.rest_host = rest;
            TB.rest_port = colon + 1;
            parse_uint(TB.rest_port, "--rest port", 1, 65535);
            break;
        }
        case OPT_HOLD: TB.hold_s = parse_uint(optarg, "--hold", 0, 86400); break;
        case 'V': B.o.version = parse_version(optarg); break;
        case 'T': B.o.handshake_timeout_s = parse_uint(optarg, "--handshake-timeout", 1, 3600); break;
        case 'j': B.o.json = true; break;
        case 'h': fputs(usage, stdout); exit(0);
        default: usage_error();
        }
    }
    if (optind < argc)
        die(2, "unexpected argument '%s'\nTry 'ken-bench --help'.", argv[optind]);
    TB.expected = TB.rows ? 2 * (TB.rows * (TB.cols - 1) + (TB.rows - 1) * TB.cols) : 2 * B.o.switches;
}

static int topology_main(int argc, char **argv)
{
    topo_parse(argc, argv);
    setup_signals();
    raise_nofile(B.o.switches, true);
    bench_setup();
    topo_on = true;
    char shape[64];
    if (TB.rows)
        snprintf(shape, sizeof shape, "a %ux%u grid", TB.rows, TB.cols);
    else
        snprintf(shape, sizeof shape, "a ring");
    fprintf(B.text, "ken-bench: controller %s:%s, OpenFlow %s, %u switches in %s (%u links), REST %s:%s\n",
            B.o.host, B.o.port, B.proto->name, B.o.switches, shape, TB.expected, TB.rest_host, TB.rest_port);
    fflush(B.text);
    B.start_ns = B.next_connect_ns = now_ns();
    pthread_t watcher;
    bool watching = false;
    uint64_t hold_relayed = 0, hold_start = 0;
    struct epoll_event events[1024];
    while (!stop_requested && !__atomic_load_n(&TB.done, __ATOMIC_ACQUIRE)) {
        uint64_t now = now_ns();
        if (B.phase == PH_CONNECT)
            bench_connect_tick(now);
        if (B.phase == PH_SETTLE && !watching) {
            TB.ready_ns = now;
            if (pthread_create(&watcher, NULL, topo_watch, NULL))
                die(2, "cannot start the REST watcher");
            watching = true;
        }
        if (watching && !hold_start && __atomic_load_n(&TB.holding, __ATOMIC_ACQUIRE)) {
            hold_start = now;
            hold_relayed = TB.relayed;
        }
        int n = epoll_wait(epfd, events, 1024, 20);
        if (n < 0 && errno != EINTR)
            die(2, "epoll_wait: %s", strerror(errno));
        for (int i = 0; i < n; i++)
            switch_on_event(events[i].data.ptr, events[i].events);
    }
    uint64_t end = now_ns();
    if (watching)
        pthread_join(watcher, NULL);
    if (!watching)
        die(2, "interrupted before every switch was ready");
    double lldp_rate = hold_start && end > hold_start ? (double)(TB.relayed - hold_relayed) / ((double)(end - hold_start) / 1e9) : 0;
    int status = 0;
    if (TB.found_s < 0) {
        fprintf(B.text, "ken-bench: the REST links never listed all %u links (within 120 s)\n", TB.expected);
        status = 1;
    } else {
        fprintf(B.text, "ken-bench: all %u links listed %.3f s after every switch was ready\n", TB.expected,
                TB.found_s);
        fprintf(B.text, "ken-bench: GET /v1.0/topology/links (%zu bytes): min %.2f ms, median %.2f ms, max %.2f ms\n",
                TB.body_bytes, TB.get_ms[0], TB.get_ms[TB.n_get / 2], TB.get_ms[TB.n_get - 1]);
        fprintf(B.text, "ken-bench: over %u s: links listed %d to %d of %u; %.0f LLDP frames relayed per second\n",
                TB.hold_s, TB.hold_min, TB.hold_max, TB.expected, lldp_rate);
        if (TB.hold_s && TB.hold_min != (int)TB.expected)
            status = 1;
    }
    if (B.o.json)
        printf("{\"tool\":\"ken-bench\",\"mode\":\"topology\",\"ofp_version\":\"%s\",\"switches\":%u,\"shape\":\"%s\","
               "\"links\":%u,\"found_s\":%.4f,\"get_links_ms\":{\"min\":%.3f,\"median\":%.3f,\"max\":%.3f},"
               "\"body_bytes\":%zu,\"hold_s\":%u,\"hold_min_links\":%d,\"lldp_per_s\":%.1f}\n",
               B.proto->name, B.o.switches, TB.rows ? "grid" : "ring", TB.expected, TB.found_s,
               TB.n_get ? TB.get_ms[0] : 0, TB.n_get ? TB.get_ms[TB.n_get / 2] : 0,
               TB.n_get ? TB.get_ms[TB.n_get - 1] : 0, TB.body_bytes, TB.hold_s, TB.hold_min, lldp_rate);
    for (unsigned i = 0; i < B.o.switches; i++)
        conn_close(&B.sw[i]);
    close(epfd);
    freeaddrinfo(B.addr);
    free(B.sw);
    free(B.loop_responses);
    free(B.loop_answered);
    free(B.rtt_hist);
    return status;
}

/* ---------- respond: the trivial controller ---------- */

static struct responder {
    const char *bind_addr, *port;
    unsigned duration_s;
    bool verbose;
    int cpu;
    uint8_t flow_mod[2][80]; /* [0]: 1.0, [1]: 1.3; buffer id patched per answer */
} R;

static void responder_build_flow_mods(void)
{
    uint8_t *m = R.flow_mod[0]; /* 1.0: header, match (all wildcards), body, output FLOOD */
    m[0] = 1;
    m[1] = T_FLOW_MOD;
    wire_put16(m + 2, 80);
    wire_put32(m + 8, 0x003fffff); /* OFPFW_ALL */
    wire_put16(m + 62, 0x8000);    /* priority */
    wire_put32(m + 64, NO_BUFFER);
    wire_put16(m + 68, 0xffff);    /* out_port NONE */
    wire_put16(m + 72, 0);         /* action OUTPUT */
    wire_put16(m + 74, 8);
    wire_put16(m + 76, 0xfffb);    /* FLOOD */
    m = R.flow_mod[1]; /* 1.3: header, body, empty match, apply-actions output FLOOD */
    m[0] = 4;
    m[1] = T_FLOW_MOD;
    wire_put16(m + 2, 80);
    wire_put16(m + 30, 0x8000);
    wire_put32(m + 32, NO_BUFFER);
    wire_put32(m + 36, KEN_OFPP_ANY);
    wire_put32(m + 40, KEN_OFPG_ANY);
    wire_put16(m + 48, 1); /* match type OXM */
    wire_put16(m + 50, 4);
    wire_put16(m + 56, 4); /* instruction APPLY_ACTIONS */
    wire_put16(m + 58, 24);
    wire_put16(m + 64, 0); /* action OUTPUT */
    wire_put16(m + 66, 16);
    wire_put32(m + 68, KEN_OFPP_FLOOD);
    wire_put16(m + 72, KEN_OFPCML_NO_BUFFER);
}

static int responder_on_hello(struct conn *c, const uint8_t *msg)
{
    if (msg[0] != 1 && msg[0] < 4) {
        fprintf(stderr, "ken-bench respond: OpenFlow version %u not spoken (1.0 and 1.3 are)\n", msg[0]);
        return -1;
    }
    c->version = msg[0] == 1 ? 1 : 4;
    const struct ken_ofproto *p = ken_ofproto_get(c->version);
    put_header(&c->out, c->version, T_HELLO, 8, 1);
    put_header(&c->out, c->version, p->OFPT_FEATURES_REQUEST, 8, 2);
    if (c->version == 4) {
        put_header(&c->out, 4, p->OFPT_MULTIPART_REQUEST, 16, 3);
        ken_buf_put16(&c->out, p->OFPMP_PORT_DESC);
        ken_buf_put_zeros(&c->out, 6);
    }
    return 0;
}

static int responder_on_msg(struct conn *c, const uint8_t *msg, size_t len)
{
    uint8_t type = msg[1];
    if (type == T_PACKET_IN && len >= 12 && c->version) {
        bool v10 = c->version == 1;
        uint8_t *fm = ken_buf_put_uninit(&c->out, 80);
        memcpy(fm, R.flow_mod[!v10], 80);
        memcpy(fm + (v10 ? 64 : 32), msg + 8, 4); /* the packet-in's buffer id, as is */
        return 0;
    }
    if (type == T_HELLO)
        return responder_on_hello(c, msg);
    if (type == T_ECHO_REQUEST)
        put_echoed(&c->out, msg, len, 3 /* ECHO_REPLY in every version */);
    return 0;
}

static void responder_drop(struct conn *c, const char *why)
{
    if (R.verbose)
        fprintf(stderr, "ken-bench respond: connection %u: %s\n", c->index, why);
    conn_close(c);
    free(c);
}

/* Reads while the backlog to write is small; the switch side always reads,
 * so stopping here is back-pressure, never a deadlock. */
static void responder_on_event(struct conn *c, uint32_t events)
{
    const char *why = NULL;
    if ((events & (EPOLLIN | EPOLLHUP | EPOLLERR)) && conn_pending(c) < RESPOND_PAUSE &&
        conn_receive(c, responder_on_msg, &why) < 0) {
        responder_drop(c, why ? why : "protocol error");
        return;
    }
    if (conn_pending(c) && conn_flush(c) < 0) {
        responder_drop(c, strerror(errno));
        return;
    }
    conn_watch(c, conn_pending(c) < RESPOND_PAUSE, conn_pending(c) > 0);
}

static void responder_accept(int lfd, unsigned *count)
{
    for (;;) {
        int fd = accept4(lfd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
        if (fd < 0) {
            if (errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR && errno != ECONNABORTED)
                fprintf(stderr, "ken-bench respond: accept: %s\n", strerror(errno));
            return;
        }
        struct conn *c = calloc(1, sizeof *c);
        if (!c)
            die(2, "out of memory");
        c->fd = fd;
        c->index = ++*count;
        c->watch_in = true;
        int one = 1;
        setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
        struct epoll_event ev = {.events = EPOLLIN, .data.ptr = c};
        if (epoll_ctl(epfd, EPOLL_CTL_ADD, fd, &ev) < 0)
            die(2, "epoll_ctl: %s", strerror(errno));
        if (R.verbose)
            fprintf(stderr, "ken-bench respond: connection %u\n", c->index);
    }
}

static int responder_listen(void)
{
    struct addrinfo hints = {.ai_family = AF_UNSPEC, .ai_socktype = SOCK_STREAM, .ai_flags = AI_PASSIVE};
    struct addrinfo *ai;
    int rc = getaddrinfo(R.bind_addr, R.port, &hints, &ai);
    if (rc)
        die(2, "respond: address %s:%s: %s", R.bind_addr, R.port, gai_strerror(rc));
    int fd = socket(ai->ai_family, ai->ai_socktype | SOCK_NONBLOCK | SOCK_CLOEXEC, ai->ai_protocol);
    int one = 1;
    if (fd < 0 || setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one) < 0 ||
        bind(fd, ai->ai_addr, ai->ai_addrlen) < 0 || listen(fd, 4096) < 0)
        die(2, "respond: cannot listen on %s:%s: %s", R.bind_addr, R.port, strerror(errno));
    freeaddrinfo(ai);
    return fd;
}

static void responder_parse(int argc, char **argv)
{
    enum { OPT_DURATION = 256 };
    static const struct option longs[] = {
        {"port", required_argument, 0, 'p'}, {"bind", required_argument, 0, 'b'},
        {"cpu", required_argument, 0, 'C'},  {"duration", required_argument, 0, OPT_DURATION},
        {"verbose", no_argument, 0, 'v'},    {"help", no_argument, 0, 'h'}, {0, 0, 0, 0},
    };
    R.bind_addr = "127.0.0.1";
    R.port = "6653";
    R.cpu = -1;
    int ch;
    while ((ch = getopt_long(argc, argv, "p:b:C:vh", longs, NULL)) != -1) {
        switch (ch) {
        case 'p': parse_uint(optarg, "--port", 1, 65535); R.port = optarg; break;
        case 'b': R.bind_addr = optarg; break;
        case 'C': R.cpu = (int)parse_uint(optarg, "--cpu", 0, CPU_SETSIZE - 1); break;
        case OPT_DURATION: R.duration_s = parse_uint(optarg, "--duration", 0, 86400 * 365); break;
        case 'v': R.verbose = true; break;
        case 'h': fputs(usage, stdout); exit(0);
        default: usage_error(); /* getopt said what is wrong */
        }
    }
    if (optind < argc)
        die(2, "unexpected argument '%s'\nTry 'ken-bench --help'.", argv[optind]);
}

static int respond_main(int argc, char **argv)
{
    responder_parse(argc, argv);
    setup_signals();
    pin_cpu(R.cpu);
    raise_nofile(65536, false);
    responder_build_flow_mods();
    epfd = epoll_create1(EPOLL_CLOEXEC);
    int lfd = responder_listen();
    struct epoll_event ev = {.events = EPOLLIN, .data.ptr = NULL};
    if (epfd < 0 || epoll_ctl(epfd, EPOLL_CTL_ADD, lfd, &ev) < 0)
        die(2, "epoll: %s", strerror(errno));
    fprintf(stderr, "ken-bench respond: listening on %s:%s\n", R.bind_addr, R.port);
    uint64_t end = R.duration_s ? now_ns() + (uint64_t)R.duration_s * 1000000000ull : UINT64_MAX;
    unsigned count = 0;
    struct epoll_event events[1024];
    while (!stop_requested && now_ns() < end) {
        int n = epoll_wait(epfd, events, 1024, 100);
        if (n < 0 && errno != EINTR)
            die(2, "epoll_wait: %s", strerror(errno));
        for (int i = 0; i < n; i++) {
            if (events[i].data.ptr)
                responder_on_event(events[i].data.ptr, events[i].events);
            else
                responder_accept(lfd, &count);
        }
    }
    return 0; /* exit closes every socket */
}

int main(int argc, char **argv)
{
    if (argc < 2 || !strcmp(argv[1], "-h") || !strcmp(argv[1], "--help")) {
        fputs(usage, argc < 2 ? stderr : stdout);
        return argc < 2 ? 2 : 0;
    }
    if (!strcmp(argv[1], "topology")) {
        argv[1] = "ken-bench topology";
        return topology_main(argc - 1, argv + 1);
    }
    if (!strcmp(argv[1], "cbench") || !strcmp(argv[1], "respond")) {
        bool cbench = argv[1][0] == 'c';
        argv[1] = cbench ? "ken-bench cbench" : "ken-bench respond"; /* how getopt names us */
        return cbench ? cbench_main(argc - 1, argv + 1) : respond_main(argc - 1, argv + 1);
    }
    if (argv[1][0] == '-')
        return cbench_main(argc, argv); /* options alone: cbench, as cbench takes them */
    die(2, "unknown command '%s'\nTry 'ken-bench --help'.", argv[1]);
    return 2;
}
