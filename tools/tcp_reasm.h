/* TCP stream reassembly for ken-ofp pcap: captured link-layer frames in,
 * whole OpenFlow messages out, per connection and direction, in stream
 * order. No libpcap here (ken-ofp reads the file; the fuzzer feeds frames
 * directly). Every length is checked; nothing is read past caplen. */
#ifndef KEN_TOOLS_TCP_REASM_H
#define KEN_TOOLS_TCP_REASM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Link types (pcap's LINKTYPE_ numbers) the reader understands. */
enum {
    REASM_LINK_NULL = 0,      /* BSD loopback: 4-byte family, host order */
    REASM_LINK_ETHERNET = 1,
    REASM_LINK_RAW = 101,     /* IPv4 or IPv6, no link header */
    REASM_LINK_LOOP = 108,    /* OpenBSD loopback: 4-byte family, network order */
    REASM_LINK_LINUX_SLL = 113,
    REASM_LINK_LINUX_SLL2 = 276,
};

struct reasm_end {
    int family;      /* 4 or 6 */
    uint8_t addr[16];
    uint16_t port;
};

/* A connection: end[0] is the side whose port is not an OpenFlow port
 * (the switch, as it dials the controller), end[1] the OpenFlow port's
 * side. id counts connections from 1 in order of first appearance. */
struct reasm_conn {
    unsigned id;
    struct reasm_end end[2];
};

/* dir 0: end[0] -> end[1] (switch to controller); 1: the other way. */
struct reasm_cb {
    void (*msg)(void *arg, const struct reasm_conn *c, int dir, double ts, const uint8_t *msg, size_t len);
    /* Something the reader could not decode: a gap, an unfinished message,
     * a framing error. error: whether it makes the run fail. */
    void (*note)(void *arg, const struct reasm_conn *c, int dir, double ts, bool error, const char *text);
    void *arg;
};

struct reasm;

/* ports: the TCP ports that carry OpenFlow. */
struct reasm *reasm_new(const uint16_t *ports, size_t n_ports, const struct reasm_cb *cb);
/* One captured frame: caplen bytes captured of origlen on the wire. */
void reasm_frame(struct reasm *r, int linktype, double ts, const uint8_t *frame, size_t caplen, size_t origlen);
/* The end of the capture: reports what is still pending (gaps, unfinished
 * messages). */
void reasm_finish(struct reasm *r);
void reasm_free(struct reasm *r);
/* Whether linktype is one reasm_frame reads. */
bool reasm_linktype_known(int linktype);
/* "10.0.0.1:6653" or "[::1]:6653". */
void reasm_end_str(const struct reasm_end *e, char *out, size_t len);

#endif
