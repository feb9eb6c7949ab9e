/* A fake OpenFlow switch for the controller tests: it speaks the switch side
 * of the channel over TCP or TLS, with messages built by hand (not by ken's
 * codec, so the tests check the codec and the controller together). Every
 * receive has a timeout; nothing here blocks forever. */
#ifndef KEN_TESTS_FAKE_SWITCH_H
#define KEN_TESTS_FAKE_SWITCH_H

#include <openssl/ssl.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define FSW_MAX_MSG 65536
#define FSW_TIMEOUT_MS 5000  /* generous guard; tests never wait for it on success */

struct fsw_port {
    uint32_t port_no;
    uint8_t hw_addr[6];
    const char *name;
    uint32_t config, state;
};

struct fsw {
    int fd;
    SSL *ssl;
    uint8_t version;        /* version used for the messages it builds */
    uint64_t dpid;
    bool answer_echo;       /* reply to echo requests while waiting (default true) */
    uint64_t seen;          /* bit t: a message of type t (< 64) arrived, even if skipped */
    uint8_t rbuf[2 * FSW_MAX_MSG];
    size_t rlen;
    uint8_t msg[FSW_MAX_MSG];   /* the last message fsw_recv returned */
    size_t msg_len;
};

/* Connects to host:port (TLS when ctx is not NULL). Returns 0 or -1. */
int fsw_connect(struct fsw *s, const char *host, int port, SSL_CTX *ctx);
/* Connects fd, an IPv4 stream socket made earlier, to 127.0.0.1:port (for
 * a test that has no descriptor left to make one). Returns 0 or -1. */
int fsw_connect_socket(struct fsw *s, int fd, int port);
/* Listens on 127.0.0.1 (port 0: any); returns the fd and the port. */
int fsw_listen(int *port);
/* Accepts one controller connection on a listening fd (TLS when ctx is
 * not NULL: a server context). */
int fsw_accept(struct fsw *s, int lfd, int timeout_ms, SSL_CTX *ctx);
void fsw_close(struct fsw *s);

int fsw_send(struct fsw *s, const void *msg, size_t n);
/* Receives one whole message into s->msg; returns its length, 0 on EOF,
 * -1 on timeout or error. Answers echo requests on the way if asked. */
int fsw_recv(struct fsw *s, int timeout_ms);
/* Receives until a message of this type arrives (skipping others);
 * returns its length or -1/0 as fsw_recv. */
int fsw_expect(struct fsw *s, uint8_t type, int timeout_ms);
/* Waits for the controller to close the connection; true if it did. */
bool fsw_wait_closed(struct fsw *s, int timeout_ms);

static inline uint8_t fsw_msg_type(const struct fsw *s) { return s->msg[1]; }
static inline uint32_t fsw_msg_xid(const struct fsw *s)
{
    return (uint32_t)s->msg[4] << 24 | (uint32_t)s->msg[5] << 16 | (uint32_t)s->msg[6] << 8 | s->msg[7];
}

/* Message builders (the switch side). */
int fsw_send_hello(struct fsw *s, uint8_t header_version, uint32_t bitmap); /* bitmap 0: no element */
int fsw_send_echo_request(struct fsw *s, uint32_t xid, const void *data, size_t n);
int fsw_send_features_reply(struct fsw *s, uint32_t xid, const struct fsw_port *ports, size_t n);
int fsw_send_port_desc_reply(struct fsw *s, uint32_t xid, const struct fsw_port *ports, size_t n);
int fsw_send_port_status(struct fsw *s, uint8_t reason, const struct fsw_port *port);
int fsw_send_packet_in(struct fsw *s, uint32_t xid, uint32_t in_port, const void *data, size_t n);

/* The whole switch side of the handshake at s->version: hello (with a
 * bitmap of s->version only), answers the features request and (1.3+) the
 * port-desc request, and waits for the controller's set-config. */
int fsw_handshake(struct fsw *s, const struct fsw_port *ports, size_t n);

/* Message type numbers that differ by version. */
uint8_t fsw_type_barrier_request(uint8_t version);
uint8_t fsw_type_multipart_request(uint8_t version);

#endif
