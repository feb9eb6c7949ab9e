/* Helpers for hostile switches in the fault tests and the connection
 * fuzzer: bounded connects (TCP or TLS), RST closes, echo round trips
 * timed, a sampler thread that times echoes on a well-behaved switch while
 * another one misbehaves, a raw reader thread (errors seen, EOF), raw
 * message builders, process measures (RSS, open fds) and a watchdog that
 * aborts a test instead of letting it hang. Built on fake_switch.h. */
#ifndef KEN_TESTS_HOSTILE_H
#define KEN_TESTS_HOSTILE_H

#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "fake_switch.h"

int64_t hs_now_us(void);
/* The process's resident set (VmRSS), KiB. */
long hs_rss_kb(void);
/* Open file descriptors of the process (entries of /proc/self/fd). */
int hs_fd_count(void);
/* Waits (timeout_ms at most) until the process has want descriptors open:
 * a stopped controller closes its own when the last datapath reference
 * goes, which an app may still hold in an event it has not handled yet. */
bool hs_fd_count_settles(int want, int timeout_ms);

/* Connects to 127.0.0.1:port with every socket operation bounded by
 * timeout_ms (SO_RCVTIMEO/SO_SNDTIMEO, so a TLS handshake cannot block for
 * ever); TLS when ctx is set. Fills s as fsw_connect does. 0 or -1 (s
 * closed). */
int hs_connect(struct fsw *s, int port, SSL_CTX *ctx, int timeout_ms);
/* Closes with an RST (SO_LINGER 0) instead of a FIN. */
void hs_close_rst(struct fsw *s);
/* One echo round trip (xid as given): microseconds, or -1 when no reply
 * with that xid came within timeout_ms. */
int64_t hs_echo_rtt_us(struct fsw *s, uint32_t xid, int timeout_ms);

/* Times an echo on s every period_ms from its own thread (s is its own
 * until stopped), and samples RSS at the same rate. */
struct hs_sampler {
    struct fsw *s;
    int period_ms;
    pthread_t thread;
    atomic_bool stop;
    size_t n, n_fail;       /* echoes sent, echoes without a reply in time */
    int64_t max_us;         /* slowest round trip */
    long max_rss_kb;
};
void hs_sampler_start(struct hs_sampler *m, struct fsw *s, int period_ms);
void hs_sampler_stop(struct hs_sampler *m);

/* Reads a raw socket from its own thread and frames what arrives: counts
 * OFPT_ERROR messages (keeps the first's xid, type, code) and notes EOF. */
struct hs_reader {
    int fd;
    pthread_t thread;
    atomic_bool stop;
    atomic_bool eof;        /* the controller closed (EOF or reset) */
    atomic_size_t n_msgs, n_errors;
    uint32_t first_error_xid;
    uint16_t first_error_type, first_error_code;
};
void hs_reader_start(struct hs_reader *r, int fd);
/* Waits for EOF; true if it came within timeout_ms. */
bool hs_reader_wait_eof(struct hs_reader *r, int timeout_ms);
void hs_reader_stop(struct hs_reader *r);

/* Sends all of buf on a blocking fd; false on error or timeout. */
bool hs_send_all(int fd, const void *buf, size_t n);

/* Raw builders (OpenFlow 1.3); each returns the message's length. */
size_t hs_port_status13(uint8_t *out, uint8_t reason, uint32_t port_no);
/* A port-desc reply (multipart) with ports first .. first+n-1; more sets
 * OFPMPF_REPLY_MORE. n <= 1000. */
size_t hs_port_desc13(uint8_t *out, uint32_t xid, uint32_t first, size_t n, bool more);
size_t hs_packet_in13(uint8_t *out, uint32_t xid, size_t data_len);
size_t hs_echo(uint8_t *out, uint8_t version, uint8_t type, uint32_t xid);

/* Aborts the process (with what) if not disarmed within seconds: a test
 * that would hang fails instead. */
void hs_watchdog_arm(int seconds, const char *what);
void hs_watchdog_disarm(void);

#endif
