/* Helpers for hostile switches (see hostile.h). */
#include "hostile.h"

#include <arpa/inet.h>
#include <dirent.h>
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

int64_t hs_now_us(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

long hs_rss_kb(void)
{
    FILE *f = fopen("/proc/self/status", "r");
    if (!f)
        return -1;
    char line[256];
    long kb = -1;
    while (fgets(line, sizeof line, f))
        if (sscanf(line, "VmRSS: %ld kB", &kb) == 1)
            break;
    fclose(f);
    return kb;
}

int hs_fd_count(void)
{
    DIR *d = opendir("/proc/self/fd");
    if (!d)
        return -1;
    int n = 0;
    struct dirent *e;
    while ((e = readdir(d)))
        if (e->d_name[0] != '.')
            n++;
    closedir(d);
    return n - 1; /* the directory's own fd */
}

bool hs_fd_count_settles(int want, int timeout_ms)
{
    int64_t deadline = hs_now_us() + (int64_t)timeout_ms * 1000;
    while (hs_fd_count() != want) {
        if (hs_now_us() >= deadline)
            return false;
        usleep(10000);
    }
    return true;
}

static void put16(uint8_t *p, uint16_t v) { p[0] = (uint8_t)(v >> 8); p[1] = (uint8_t)v; }
static void put32(uint8_t *p, uint32_t v) { put16(p, (uint16_t)(v >> 16)); put16(p + 2, (uint16_t)v); }

int hs_connect(struct fsw *s, int port, SSL_CTX *ctx, int timeout_ms)
{
    s->fd = -1;
    s->ssl = NULL;
    int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0)
        return -1;
    struct timeval tv = {.tv_sec = timeout_ms / 1000, .tv_usec = (timeout_ms % 1000) * 1000};
    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof tv);
    int one = 1;
    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port)};
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (connect(fd, (struct sockaddr *)&a, sizeof a)) {
        close(fd);
        return -1;
    }
    /* The same fields fsw_connect sets (its initialiser is private). */
    s->fd = fd;
    s->rlen = 0;
    s->msg_len = 0;
    s->answer_echo = true;
    s->seen = 0;
    if (ctx) {
        s->ssl = SSL_new(ctx);
        SSL_set_fd(s->ssl, fd);
        if (SSL_connect(s->ssl) != 1) {
            fsw_close(s);
            return -1;
        }
    }
    return 0;
}

void hs_close_rst(struct fsw *s)
{
    if (s->fd >= 0) {
        struct linger l = {.l_onoff = 1, .l_linger = 0};
        setsockopt(s->fd, SOL_SOCKET, SO_LINGER, &l, sizeof l);
    }
    if (s->ssl) {
        SSL_free(s->ssl); /* no close_notify: the reset is the point */
        s->ssl = NULL;
    }
    fsw_close(s);
}

int64_t hs_echo_rtt_us(struct fsw *s, uint32_t xid, int timeout_ms)
{
    int64_t t0 = hs_now_us();
    int64_t deadline = t0 + (int64_t)timeout_ms * 1000;
    if (fsw_send_echo_request(s, xid, "rtt", 3))
        return -1;
    for (;;) {
        int64_t left = (deadline - hs_now_us()) / 1000;
        if (left <= 0 || fsw_expect(s, 3, (int)left) <= 0)
            return -1;
        if (fsw_msg_xid(s) == xid)
            return hs_now_us() - t0;
    }
}

/* ---- the sampler ---- */

static void *sampler_main(void *arg)
{
    struct hs_sampler *m = arg;
    uint32_t xid = 0x5a000000;
    while (!atomic_load(&m->stop)) {
        int64_t rtt = hs_echo_rtt_us(m->s, ++xid, 2000);
        m->n++;
        if (rtt < 0)
            m->n_fail++;
        else if (rtt > m->max_us)
            m->max_us = rtt;
        long rss = hs_rss_kb();
        if (rss > m->max_rss_kb)
            m->max_rss_kb = rss;
        usleep((useconds_t)m->period_ms * 1000);
    }
    return NULL;
}

void hs_sampler_start(struct hs_sampler *m, struct fsw *s, int period_ms)
{
    m->s = s;
    m->period_ms = period_ms;
    atomic_store(&m->stop, false);
    m->n = m->n_fail = 0;
    m->max_us = 0;
    m->max_rss_kb = hs_rss_kb();
    if (pthread_create(&m->thread, NULL, sampler_main, m))
        abort();
}

void hs_sampler_stop(struct hs_sampler *m)
{
    atomic_store(&m->stop, true);
    pthread_join(m->thread, NULL);
}

/* ---- the reader ---- */

static void *reader_main(void *arg)
{
    struct hs_reader *r = arg;
    enum { BUF = 1 << 17 };
    uint8_t *buf = malloc(BUF);
    if (!buf)
        abort();
    size_t have = 0;
    while (!atomic_load(&r->stop)) {
        struct pollfd p = {.fd = r->fd, .events = POLLIN};
        if (poll(&p, 1, 50) != 1)
            continue;
        ssize_t n = recv(r->fd, buf + have, BUF - have, 0);
        if (n == 0 || (n < 0 && errno != EINTR && errno != EAGAIN)) {
            atomic_store(&r->eof, true);
            break;
        }
        if (n < 0)
            continue;
        have += (size_t)n;
        size_t at = 0;
        while (have - at >= 8) {
            size_t len = (size_t)buf[at + 2] << 8 | buf[at + 3];
            if (len < 8)
                len = have - at; /* not OpenFlow: drop it all */
            if (have - at < len)
                break;
            if (buf[at + 1] == 1 && len >= 12) {
                if (atomic_load(&r->n_errors) == 0) {
                    r->first_error_xid = (uint32_t)buf[at + 4] << 24 | (uint32_t)buf[at + 5] << 16 |
                                         (uint32_t)buf[at + 6] << 8 | buf[at + 7];
                    r->first_error_type = (uint16_t)(buf[at + 8] << 8 | buf[at + 9]);
                    r->first_error_code = (uint16_t)(buf[at + 10] << 8 | buf[at + 11]);
                }
                atomic_fetch_add(&r->n_errors, 1);
            }
            atomic_fetch_add(&r->n_msgs, 1);
            at += len;
        }
        memmove(buf, buf + at, have - at);
        have -= at;
    }
    free(buf);
    return NULL;
}

void hs_reader_start(struct hs_reader *r, int fd)
{
    r->fd = fd;
    atomic_store(&r->stop, false);
    atomic_store(&r->eof, false);
    atomic_store(&r->n_msgs, 0);
    atomic_store(&r->n_errors, 0);
    if (pthread_create(&r->thread, NULL, reader_main, r))
        abort();
}

bool hs_reader_wait_eof(struct hs_reader *r, int timeout_ms)
{
    int64_t deadline = hs_now_us() + (int64_t)timeout_ms * 1000;
    while (!atomic_load(&r->eof) && hs_now_us() < deadline)
        usleep(10000);
    return atomic_load(&r->eof);
}

void hs_reader_stop(struct hs_reader *r)
{
    atomic_store(&r->stop, true);
    pthread_join(r->thread, NULL);
}

bool hs_send_all(int fd, const void *buf, size_t n)
{
    const uint8_t *p = buf;
    while (n) {
        ssize_t w = send(fd, p, n, MSG_NOSIGNAL);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0)
            return false;
        p += w;
        n -= (size_t)w;
    }
    return true;
}

/* ---- builders ---- */

static void header(uint8_t *out, uint8_t version, uint8_t type, size_t len, uint32_t xid)
{
    out[0] = version;
    out[1] = type;
    put16(out + 2, (uint16_t)len);
    put32(out + 4, xid);
}

/* An OpenFlow 1.3 ofp_port (64 bytes), named after its number. */
static void port13(uint8_t *p, uint32_t port_no)
{
    memset(p, 0, 64);
    put32(p, port_no);
    p[8] = 2; /* a locally administered MAC derived from the number */
    put32(p + 10, port_no);
    snprintf((char *)p + 16, 16, "p%u", port_no);
}

size_t hs_port_status13(uint8_t *out, uint8_t reason, uint32_t port_no)
{
    memset(out, 0, 16);
    header(out, 4, 12, 80, 0);
    out[8] = reason;
    port13(out + 16, port_no);
    return 80;
}

size_t hs_port_desc13(uint8_t *out, uint32_t xid, uint32_t first, size_t n, bool more)
{
    size_t len = 16 + 64 * n;
    memset(out, 0, 16);
    header(out, 4, 19, len, xid);
    put16(out + 8, 13); /* OFPMP_PORT_DESC */
    put16(out + 10, more ? 1 : 0);
    for (size_t i = 0; i < n; i++)
        port13(out + 16 + 64 * i, first + (uint32_t)i);
    return len;
}

size_t hs_packet_in13(uint8_t *out, uint32_t xid, size_t data_len)
{
    size_t len = 42 + data_len;
    memset(out, 0, len);
    header(out, 4, 10, len, xid);
    put32(out + 8, 0xffffffff); /* no buffer */
    put16(out + 12, (uint16_t)data_len);
    /* reason, table_id, cookie: 0 */
    put16(out + 24, 1);  /* OFPMT_OXM */
    put16(out + 26, 12);
    put32(out + 28, 0x80000004); /* in_port */
    put32(out + 32, 1);
    for (size_t i = 0; i < data_len; i++)
        out[42 + i] = (uint8_t)(i < 6 ? 0xff : i); /* a broadcast frame */
    return len;
}

size_t hs_echo(uint8_t *out, uint8_t version, uint8_t type, uint32_t xid)
{
    header(out, version, type, 8, xid);
    return 8;
}

/* ---- the watchdog ---- */

static pthread_mutex_t wd_lock = PTHREAD_MUTEX_INITIALIZER;
static int64_t wd_deadline;
static char wd_what[128];
static bool wd_started;

static void *watchdog_main(void *arg)
{
    (void)arg;
    for (;;) {
        usleep(100000);
        pthread_mutex_lock(&wd_lock);
        bool fire = wd_deadline && hs_now_us() > wd_deadline;
        pthread_mutex_unlock(&wd_lock);
        if (fire) {
            fprintf(stderr, "watchdog: '%s' did not finish in time: aborting\n", wd_what);
            abort();
        }
    }
    return NULL;
}

void hs_watchdog_arm(int seconds, const char *what)
{
    pthread_mutex_lock(&wd_lock);
    wd_deadline = hs_now_us() + (int64_t)seconds * 1000000;
    snprintf(wd_what, sizeof wd_what, "%s", what);
    if (!wd_started) {
        pthread_t t;
        if (pthread_create(&t, NULL, watchdog_main, NULL))
            abort();
        pthread_detach(t);
        wd_started = true;
    }
    pthread_mutex_unlock(&wd_lock);
}

void hs_watchdog_disarm(void)
{
    pthread_mutex_lock(&wd_lock);
    wd_deadline = 0;
    pthread_mutex_unlock(&wd_lock);
}
