#include "fake_switch.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <openssl/err.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

/* ---- a tiny message writer ---- */

struct wr {
    uint8_t b[FSW_MAX_MSG];
    size_t n;
};

static void wr8(struct wr *w, uint8_t v) { w->b[w->n++] = v; }
static void wr16(struct wr *w, uint16_t v) { wr8(w, (uint8_t)(v >> 8)); wr8(w, (uint8_t)v); }
static void wr32(struct wr *w, uint32_t v) { wr16(w, (uint16_t)(v >> 16)); wr16(w, (uint16_t)v); }
static void wr64(struct wr *w, uint64_t v) { wr32(w, (uint32_t)(v >> 32)); wr32(w, (uint32_t)v); }
static void wrbytes(struct wr *w, const void *p, size_t n)
{
    if (n) /* memcpy's source may not be NULL, even for no bytes */
        memcpy(w->b + w->n, p, n);
    w->n += n;
}
static void wrzeros(struct wr *w, size_t n) { memset(w->b + w->n, 0, n); w->n += n; }

static void wr_header(struct wr *w, uint8_t version, uint8_t type, uint32_t xid)
{
    w->n = 0;
    wr8(w, version);
    wr8(w, type);
    wr16(w, 0); /* patched by wr_send */
    wr32(w, xid);
}

static int wr_send(struct fsw *s, struct wr *w)
{
    w->b[2] = (uint8_t)(w->n >> 8);
    w->b[3] = (uint8_t)w->n;
    return fsw_send(s, w->b, w->n);
}

static void wr_name(struct wr *w, const char *name)
{
    char buf[16] = {0};
    snprintf(buf, sizeof buf, "%s", name ? name : "");
    wrbytes(w, buf, 16);
}

/* One port in the layout of the version: 1.0 phy_port (48), 1.2/1.3 port
 * (64), 1.4/1.5 port (40) with an ethernet property (32). */
static void wr_port(struct wr *w, uint8_t version, const struct fsw_port *p)
{
    if (version == 1) {
        wr16(w, (uint16_t)p->port_no);
        wrbytes(w, p->hw_addr, 6);
        wr_name(w, p->name);
        wr32(w, p->config);
        wr32(w, p->state);
        wrzeros(w, 16); /* curr, advertised, supported, peer */
    } else if (version <= 4) {
        wr32(w, p->port_no);
        wrzeros(w, 4);
        wrbytes(w, p->hw_addr, 6);
        wrzeros(w, 2);
        wr_name(w, p->name);
        wr32(w, p->config);
        wr32(w, p->state);
        wrzeros(w, 24); /* curr .. max_speed */
    } else {
        wr32(w, p->port_no);
        wr16(w, 72);
        wrzeros(w, 2);
        wrbytes(w, p->hw_addr, 6);
        wrzeros(w, 2);
        wr_name(w, p->name);
        wr32(w, p->config);
        wr32(w, p->state);
        wr16(w, 0);  /* OFPPDPT_ETHERNET */
        wr16(w, 32);
        wrzeros(w, 28);
    }
}

/* ---- sockets ---- */

static int now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int)(ts.tv_sec * 1000 + ts.tv_nsec / 1000000);
}

static void fsw_init(struct fsw *s, int fd)
{
    s->fd = fd;
    s->ssl = NULL;
    s->rlen = 0;
    s->msg_len = 0;
    s->answer_echo = true;
    s->seen = 0;
    int one = 1;
    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
}

static int fsw_tls(struct fsw *s, SSL_CTX *ctx, bool server);

int fsw_connect(struct fsw *s, const char *host, int port, SSL_CTX *ctx)
{
    struct sockaddr_in6 a6 = {.sin6_family = AF_INET6, .sin6_port = htons((uint16_t)port)};
    struct sockaddr_in a4 = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port)};
    int v6 = inet_pton(AF_INET6, host, &a6.sin6_addr) == 1;
    if (!v6 && inet_pton(AF_INET, host, &a4.sin_addr) != 1)
        return -1;
    int fd = socket(v6 ? AF_INET6 : AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0)
        return -1;
    int r = v6 ? connect(fd, (struct sockaddr *)&a6, sizeof a6) : connect(fd, (struct sockaddr *)&a4, sizeof a4);
    if (r) {
        close(fd);
        return -1;
    }
    fsw_init(s, fd);
    return ctx ? fsw_tls(s, ctx, false) : 0;
}

int fsw_connect_socket(struct fsw *s, int fd, int port)
{
    struct sockaddr_in a4 = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port)};
    a4.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (connect(fd, (struct sockaddr *)&a4, sizeof a4)) {
        close(fd);
        return -1;
    }
    fsw_init(s, fd);
    return 0;
}

int fsw_listen(int *port)
{
    int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons((uint16_t)*port)};
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    int one = 1;
    setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    socklen_t len = sizeof a;
    if (bind(fd, (struct sockaddr *)&a, sizeof a) || listen(fd, 8) || getsockname(fd, (struct sockaddr *)&a, &len)) {
        close(fd);
        return -1;
    }
    *port = ntohs(a.sin_port);
    return fd;
}

/* The TLS side of a connected socket; -1 (socket closed) on failure. */
static int fsw_tls(struct fsw *s, SSL_CTX *ctx, bool server)
{
    s->ssl = SSL_new(ctx);
    SSL_set_fd(s->ssl, s->fd);
    if ((server ? SSL_accept(s->ssl) : SSL_connect(s->ssl)) != 1) {
        ERR_print_errors_fp(stderr);
        fsw_close(s);
        return -1;
    }
    return 0;
}

int fsw_accept(struct fsw *s, int lfd, int timeout_ms, SSL_CTX *ctx)
{
    struct pollfd p = {.fd = lfd, .events = POLLIN};
    if (poll(&p, 1, timeout_ms) != 1)
        return -1;
    int fd = accept4(lfd, NULL, NULL, SOCK_CLOEXEC);
    if (fd < 0)
        return -1;
    fsw_init(s, fd);
    return ctx ? fsw_tls(s, ctx, true) : 0;
}

void fsw_close(struct fsw *s)
{
    if (s->ssl) {
        SSL_free(s->ssl);
        s->ssl = NULL;
    }
    if (s->fd >= 0)
        close(s->fd);
    s->fd = -1;
}

int fsw_send(struct fsw *s, const void *msg, size_t n)
{
    const uint8_t *p = msg;
    while (n) {
        ssize_t r = s->ssl ? SSL_write(s->ssl, p, (int)n) : send(s->fd, p, n, MSG_NOSIGNAL);
        if (r <= 0) {
            if (!s->ssl && r < 0 && errno == EINTR)
                continue;
            return -1;
        }
        p += r;
        n -= (size_t)r;
    }
    return 0;
}

/* Reads more bytes; 1 on data, 0 on EOF, -1 on timeout or error. */
static int fsw_fill(struct fsw *s, int deadline)
{
    if (!(s->ssl && SSL_pending(s->ssl))) {
        int left = deadline - now_ms();
        struct pollfd p = {.fd = s->fd, .events = POLLIN};
        if (left <= 0 || poll(&p, 1, left) != 1)
            return -1;
    }
    size_t room = sizeof s->rbuf - s->rlen;
    ssize_t r = s->ssl ? SSL_read(s->ssl, s->rbuf + s->rlen, (int)room) : recv(s->fd, s->rbuf + s->rlen, room, 0);
    if (r > 0) {
        s->rlen += (size_t)r;
        return 1;
    }
    if (s->ssl && SSL_get_error(s->ssl, (int)r) == SSL_ERROR_WANT_READ)
        return 1;
    return r == 0 || (s->ssl && SSL_get_error(s->ssl, (int)r) == SSL_ERROR_ZERO_RETURN) ? 0 : (errno == ECONNRESET ? 0 : -1);
}

static int fsw_answer_echo(struct fsw *s)
{
    struct wr w;
    wr_header(&w, s->msg[0], 3, fsw_msg_xid(s));
    wrbytes(&w, s->msg + 8, s->msg_len - 8);
    return wr_send(s, &w);
}

int fsw_recv(struct fsw *s, int timeout_ms)
{
    int deadline = now_ms() + timeout_ms;
    for (;;) {
        while (s->rlen >= 8) {
            size_t len = (size_t)s->rbuf[2] << 8 | s->rbuf[3];
            if (len < 8)
                return -1;
            if (s->rlen < len)
                break;
            memcpy(s->msg, s->rbuf, len);
            s->msg_len = len;
            memmove(s->rbuf, s->rbuf + len, s->rlen - len);
            s->rlen -= len;
            if (s->msg[1] < 64)
                s->seen |= 1ull << s->msg[1];
            if (s->answer_echo && s->msg[1] == 2) {
                if (fsw_answer_echo(s))
                    return -1;
                continue;
            }
            return (int)len;
        }
        int r = fsw_fill(s, deadline);
        if (r <= 0)
            return r;
    }
}

int fsw_expect(struct fsw *s, uint8_t type, int timeout_ms)
{
    int deadline = now_ms() + timeout_ms;
    for (;;) {
        int left = deadline - now_ms();
        int r = fsw_recv(s, left > 0 ? left : 0);
        if (r <= 0 || fsw_msg_type(s) == type)
            return r;
    }
}

bool fsw_wait_closed(struct fsw *s, int timeout_ms)
{
    int deadline = now_ms() + timeout_ms;
    bool answer = s->answer_echo;
    s->answer_echo = false;
    int r;
    do {
        int left = deadline - now_ms();
        r = fsw_recv(s, left > 0 ? left : 0);
    } while (r > 0);
    s->answer_echo = answer;
    return r == 0;
}

/* ---- builders ---- */

int fsw_send_hello(struct fsw *s, uint8_t header_version, uint32_t bitmap)
{
    struct wr w;
    wr_header(&w, header_version, 0, 1);
    if (bitmap) {
        wr16(&w, 1); /* OFPHET_VERSIONBITMAP */
        wr16(&w, 8);
        wr32(&w, bitmap);
    }
    return wr_send(s, &w);
}

int fsw_send_echo_request(struct fsw *s, uint32_t xid, const void *data, size_t n)
{
    struct wr w;
    wr_header(&w, s->version, 2, xid);
    wrbytes(&w, data, n);
    return wr_send(s, &w);
}

int fsw_send_features_reply(struct fsw *s, uint32_t xid, const struct fsw_port *ports, size_t n)
{
    struct wr w;
    wr_header(&w, s->version, 6, xid);
    wr64(&w, s->dpid);
    wr32(&w, 256); /* n_buffers */
    wr8(&w, 254);  /* n_tables */
    wrzeros(&w, 3); /* 1.3+: auxiliary_id and pad */
    wr32(&w, 0x47); /* capabilities */
    wr32(&w, s->version == 1 ? 0xfff : 0);
    if (s->version <= 3)
        for (size_t i = 0; i < n; i++)
            wr_port(&w, s->version, &ports[i]);
    return wr_send(s, &w);
}

int fsw_send_port_desc_reply(struct fsw *s, uint32_t xid, const struct fsw_port *ports, size_t n)
{
    struct wr w;
    wr_header(&w, s->version, 19, xid);
    wr16(&w, 13); /* OFPMP_PORT_DESC */
    wr16(&w, 0);
    wrzeros(&w, 4);
    for (size_t i = 0; i < n; i++)
        wr_port(&w, s->version, &ports[i]);
    return wr_send(s, &w);
}

int fsw_send_port_status(struct fsw *s, uint8_t reason, const struct fsw_port *port)
{
    struct wr w;
    wr_header(&w, s->version, 12, 0);
    wr8(&w, reason);
    wrzeros(&w, 7);
    wr_port(&w, s->version, port);
    return wr_send(s, &w);
}

int fsw_send_packet_in(struct fsw *s, uint32_t xid, uint32_t in_port, const void *data, size_t n)
{
    struct wr w;
    wr_header(&w, s->version, 10, xid);
    wr32(&w, 0xffffffff); /* buffer_id: NO_BUFFER */
    wr16(&w, (uint16_t)n);
    if (s->version == 1) {
        wr16(&w, (uint16_t)in_port);
        wr8(&w, 0); /* OFPR_NO_MATCH */
        wr8(&w, 0);
    } else {
        wr8(&w, 0);
        wr8(&w, 0); /* table_id */
        if (s->version >= 4)
            wr64(&w, 0); /* cookie */
        wr16(&w, 1); /* OFPMT_OXM */
        wr16(&w, 12);
        wr32(&w, 0x80000004); /* OXM in_port */
        wr32(&w, in_port);
        wrzeros(&w, 4); /* match padding to 8 */
        wrzeros(&w, 2);
    }
    wrbytes(&w, data, n);
    return wr_send(s, &w);
}

uint8_t fsw_type_barrier_request(uint8_t version) { return version == 1 ? 18 : 20; }
uint8_t fsw_type_multipart_request(uint8_t version) { return version == 1 ? 16 : 18; }

int fsw_handshake(struct fsw *s, const struct fsw_port *ports, size_t n)
{
    if (fsw_send_hello(s, s->version, 1u << s->version) || fsw_expect(s, 0, FSW_TIMEOUT_MS) <= 0)
        return -1;
    if (fsw_expect(s, 5, FSW_TIMEOUT_MS) <= 0 || fsw_send_features_reply(s, fsw_msg_xid(s), ports, n))
        return -1;
    if (s->version >= 4) {
        if (fsw_expect(s, 18, FSW_TIMEOUT_MS) <= 0 || fsw_send_port_desc_reply(s, fsw_msg_xid(s), ports, n))
            return -1;
    }
    return fsw_expect(s, 9, FSW_TIMEOUT_MS) > 0 ? 0 : -1;
}
