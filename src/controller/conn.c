/* A switch connection's transport (see conn.h): TLS handshake, large
 * reads, framing that never trusts the header (length < 8 closes the
 * connection), and batched writes (writev of many queued blocks). */
#include "controller/conn.h"

#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <openssl/err.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <time.h>
#include <unistd.h>

#include "controller/tls.h"
#include "ken/log.h"
#include "ken/wire.h"
#include "runtime/xalloc.h"

/* Bytes read from one connection per wake-up, so one busy switch cannot
 * starve the others: one read buffer's worth (a flood of small messages
 * then holds a neighbour's echo for milliseconds, not a second). */
#define READ_BUDGET (256 * 1024)
#define WRITE_IOV_MAX 64
#define HEADER_LEN 8

static struct conn *conn_of_io(struct loop_io *io) { return (struct conn *)((char *)io - offsetof(struct conn, io)); }

void conn_init(struct conn *c, const struct conn_shared *sh, int fd)
{
    *c = (struct conn){.sh = sh};
    c->io.fd = fd;
    loop_timer_init(&c->deadline, NULL);
    ken_lite_mutex_init(&c->write_lock);
}

void conn_destroy(struct conn *c)
{
    free(c->rbuf);
    c->rbuf = NULL;
}

/* The events epoll should report: reads unless paused, writes while bytes
 * wait to go out or TLS asks for them. */
static void conn_update_events(struct conn *c, bool want_write)
{
    loop_rewatch(c->sh->loop, &c->io, EPOLLIN | (want_write ? EPOLLOUT : 0));
}

static void conn_set_deadline(struct conn *c, uint64_t ms, const char *reason)
{
    c->deadline_reason = reason;
    loop_timer_start(c->sh->loop, &c->deadline, ms);
}

/* ---- closing ---- */

void conn_close(struct conn *c, const char *reason)
{
    if (c->closed)
        return;
    c->closed = true;
    ken_lite_mutex_lock(&c->write_lock);
    /* Before the owner hears of it: from then on, its sends fail. */
    c->sh->ops->drop(c, c->sending);
    c->sending = NULL;
    c->write_closed = true;
    ken_lite_mutex_unlock(&c->write_lock);
    struct loop *l = c->sh->loop;
    loop_timer_cancel(l, &c->deadline);
    loop_unwatch(l, &c->io);
    if (c->ssl) {
        SSL_free(c->ssl);
        c->ssl = NULL;
    }
    /* Under the lock: no sending thread writes to a closed (or reused)
     * descriptor. */
    ken_lite_mutex_lock(&c->write_lock);
    close(c->io.fd);
    c->io.fd = -1;
    ken_lite_mutex_unlock(&c->write_lock);
    c->sh->ops->closed(c, reason);
}

static void conn_deadline(struct loop_timer *t)
{
    struct conn *c = (struct conn *)((char *)t - offsetof(struct conn, deadline));
    conn_close(c, c->deadline_reason);
}

/* ---- writing ---- */

/* A connection's reads and writes go straight to the kernel: glibc's recv
 * and sendmsg are thread-cancellation points, and each call enables and
 * disables asynchronous cancellation around the system call (two atomic
 * read-modify-writes, 31 instructions: 62 per packet-in in latency mode,
 * by callgrind). ken never cancels a thread, so it needs none of that.
 * ThreadSanitizer builds keep glibc's calls: TSan learns from them that a
 * send happens before the matching receive (tests drive switches from
 * threads of the same process). */
#if defined(__SANITIZE_THREAD__)
#define CONN_GLIBC_IO 1
#elif defined(__has_feature)
#if __has_feature(thread_sanitizer)
#define CONN_GLIBC_IO 1
#endif
#endif

static inline ssize_t sock_recv(int fd, void *buf, size_t len)
{
#ifdef CONN_GLIBC_IO
    return recv(fd, buf, len, MSG_DONTWAIT);
#else
    return syscall(SYS_recvfrom, fd, buf, len, MSG_DONTWAIT, NULL, NULL);
#endif
}

static inline ssize_t sock_sendmsg(int fd, const struct msghdr *mh)
{
#ifdef CONN_GLIBC_IO
    return sendmsg(fd, mh, MSG_NOSIGNAL | MSG_DONTWAIT);
#else
    return syscall(SYS_sendmsg, fd, mh, MSG_NOSIGNAL | MSG_DONTWAIT);
#endif
}

/* Writes what it can of the detached blocks; returns bytes written or -1
 * with errno (EAGAIN when the socket is full). */
static ssize_t conn_write_some(struct conn *c) KEN_REQUIRES(c->write_lock)
{
    if (c->ssl) {
        struct out_chunk *o = c->sending;
        ERR_clear_error();
        int r = SSL_write(c->ssl, o->buf.data + o->off, (int)(o->buf.len - o->off));
        if (r > 0)
            return r;
        int e = SSL_get_error(c->ssl, r);
        errno = e == SSL_ERROR_WANT_WRITE || e == SSL_ERROR_WANT_READ ? EAGAIN : EPIPE;
        return -1;
    }
    struct iovec iov[WRITE_IOV_MAX];
    int n = 0;
    for (struct out_chunk *o = c->sending; o && n < WRITE_IOV_MAX; o = o->next)
        if (o->buf.len > o->off)
            iov[n++] = (struct iovec){o->buf.data + o->off, o->buf.len - o->off};
    if (!n)
        return 0;
    struct msghdr mh = {.msg_iov = iov, .msg_iovlen = (size_t)n};
    ssize_t r;
    do
        r = sock_sendmsg(c->io.fd, &mh);
    while (r < 0 && errno == EINTR);
    return r;
}

/* Moves written bytes out of the sending list; fully written blocks go
 * back to the owner for reuse. */
static void conn_consume(struct conn *c, size_t n) KEN_REQUIRES(c->write_lock)
{
    struct out_chunk *done = NULL, **tail = &done;
    size_t total = n;
    while (c->sending) {
        struct out_chunk *o = c->sending;
        size_t left = o->buf.len - o->off;
        if (n < left) {
            o->off += n;
            break;
        }
        n -= left;
        c->sending = o->next;
        o->next = NULL;
        *tail = o;
        tail = &o->next;
    }
    c->sh->ops->written(c, done, total);
}

/* Writes the queued blocks until done or the socket is full. Returns
 * false on a write error. */
static bool conn_write_locked(struct conn *c, bool *progress) KEN_REQUIRES(c->write_lock)
{
    struct out_chunk *taken = c->sh->ops->take(c);
    struct out_chunk **end = &c->sending;
    while (*end)
        end = &(*end)->next;
    *end = taken;
    while (c->sending) {
        ssize_t r = conn_write_some(c);
        if (r < 0)
            return errno == EAGAIN || errno == EWOULDBLOCK;
        if (r == 0 && c->sending && c->sending->buf.len == c->sending->off) {
            conn_consume(c, 0); /* empty blocks */
            continue;
        }
        *progress = *progress || r > 0;
        conn_consume(c, (size_t)r);
    }
    return true;
}

bool conn_write_direct(struct conn *c)
{
    if (c->tls)
        return false; /* the TLS session belongs to the I/O thread */
    ken_lite_mutex_lock(&c->write_lock);
    bool progress = false;
    bool done = c->write_closed || (conn_write_locked(c, &progress) && !c->sending);
    ken_lite_mutex_unlock(&c->write_lock);
    return done;
}

void conn_flush(struct conn *c)
{
    bool progress = false;
    c->active = true;
    ken_lite_mutex_lock(&c->write_lock);
    bool ok = conn_write_locked(c, &progress);
    bool blocked = c->sending != NULL;
    ken_lite_mutex_unlock(&c->write_lock);
    if (!ok) {
        conn_close(c, "write error");
        return;
    }
    conn_update_events(c, blocked);
    if (!c->watch_stalls || c->lingering)
        return; /* the handshake (or closing) deadline is running */
    if (!blocked)
        loop_timer_cancel(c->sh->loop, &c->deadline);
    else if (progress || !loop_timer_armed(&c->deadline))
        conn_set_deadline(c, c->sh->socket_timeout_ms, "socket timeout: the switch stopped reading");
}

void conn_close_after_flush(struct conn *c)
{
    conn_flush(c);
    if (c->closed)
        return;
    ken_lite_mutex_lock(&c->write_lock);
    c->sh->ops->drop(c, c->sending); /* first: no sending thread writes after the shutdown */
    c->sending = NULL;
    ken_lite_mutex_unlock(&c->write_lock);
    if (c->ssl)
        SSL_shutdown(c->ssl);
    shutdown(c->io.fd, SHUT_WR);
    c->lingering = true;
    conn_set_deadline(c, c->sh->socket_timeout_ms, "the switch did not close after the error");
}

void conn_handshake_done(struct conn *c)
{
    loop_timer_cancel(c->sh->loop, &c->deadline);
    c->watch_stalls = true;
}

/* ---- reading ---- */

/* Frames and hands over every whole message in buf[0..*len); moves the
 * partial one to the front and leaves its length in *len. Returns false
 * when the connection closed. */
static bool conn_frame(struct conn *c, uint8_t *buf, size_t *len)
{
    size_t off = 0;
    while (*len - off >= HEADER_LEN) {
        size_t n = wire_get16(buf + off + 2);
        if (n < HEADER_LEN) {
            conn_close(c, "framing error: message length below 8");
            return false;
        }
        if (*len - off < n)
            break;
        if (!c->lingering) /* closing after an error: the rest is not read */
            c->sh->ops->message(c, buf + off, n);
        if (c->closed)
            return false;
        off += n;
    }
    *len -= off;
    memmove(buf, buf + off, *len);
    return true;
}

/* One read: bytes, 0 at end of stream, -1 with errno (EAGAIN: no more). */
static ssize_t conn_read_some(struct conn *c, uint8_t *buf, size_t room)
{
    if (c->ssl) {
        ERR_clear_error();
        int r = SSL_read(c->ssl, buf, (int)room);
        if (r > 0)
            return r;
        int e = SSL_get_error(c->ssl, r);
        /* A switch that closes without close_notify has still closed. */
        if (e == SSL_ERROR_ZERO_RETURN ||
            (e == SSL_ERROR_SSL && ERR_GET_REASON(ERR_peek_error()) == SSL_R_UNEXPECTED_EOF_WHILE_READING))
            return 0;
        errno = e == SSL_ERROR_WANT_READ || e == SSL_ERROR_WANT_WRITE ? EAGAIN : ECONNRESET;
        return -1;
    }
    ssize_t r;
    do
        r = sock_recv(c->io.fd, buf, room);
    while (r < 0 && errno == EINTR);
    return r;
}

/* Keeps the start of a message cut by the read (at most one message). */
static void conn_keep_partial(struct conn *c, const uint8_t *buf, size_t len)
{
    if (!len)
        return;
    if (len > c->rcap) {
        size_t cap = len < 512 ? 512 : len;
        c->rbuf = ken_xrealloc(c->rbuf, cap);
        c->rcap = cap;
    }
    memcpy(c->rbuf, buf, len);
    c->rlen = len;
}

void conn_trim_idle(struct conn *c)
{
    if (c->rlen)
        return; /* a partial message waits for its end */
    free(c->rbuf);
    c->rbuf = NULL;
    c->rcap = 0;
}

static uint64_t realtime_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

/* Every connection reads into the owner's one buffer: a thousand busy
 * switches then share one buffer that stays in the cache, where a buffer
 * each would be a thousand cold ones. A connection keeps only the start
 * of a message that a read cut (c->rbuf). */
static void conn_read(struct conn *c)
{
    uint8_t *buf = c->sh->rbuf;
    size_t budget = READ_BUDGET, have = c->rlen;
    c->active = true;
    if (have)
        memcpy(buf, c->rbuf, have);
    c->rlen = 0;
    while (!c->closed && !c->io.paused && budget) {
        size_t room = c->sh->rbuf_size - have; /* have < 64 KiB, a message's most */
        ssize_t r = conn_read_some(c, buf + have, room);
        if (r == 0) {
            conn_close(c, "connection closed by the switch");
            return;
        }
        if (r < 0) {
            if (errno != EAGAIN && errno != EWOULDBLOCK)
                conn_close(c, "read error");
            break;
        }
        c->read_time_ns = realtime_ns();
        have += (size_t)r;
        budget -= (size_t)r < budget ? (size_t)r : budget;
        if (!conn_frame(c, buf, &have))
            return;
        if (!c->ssl && (size_t)r < room)
            break; /* drained: spare the syscall that would say EAGAIN */
    }
    if (!c->closed)
        conn_keep_partial(c, buf, have);
    c->sh->ops->read_done(c);
}

static bool conn_tls_pending(const struct conn *c) { return c->ssl && SSL_pending(c->ssl) > 0; }

void conn_read_tls_pending(struct conn *c)
{
    /* TLS may hold decrypted bytes that epoll cannot see. */
    if (!c->closed && !c->tls_handshaking && conn_tls_pending(c))
        conn_read(c);
}

void conn_pause_reads(struct conn *c, bool pause)
{
    if (c->closed)
        c->io.paused = false; /* out of the epoll set already */
    else
        loop_pause_reads(c->sh->loop, &c->io, pause);
}

/* ---- TLS handshake ---- */

static void conn_tls_step(struct conn *c)
{
    ERR_clear_error();
    int r = SSL_do_handshake(c->ssl);
    if (r == 1) {
        c->tls_handshaking = false;
        conn_update_events(c, false);
        c->sh->ops->up(c);
        return;
    }
    int e = SSL_get_error(c->ssl, r);
    if (e == SSL_ERROR_WANT_READ || e == SSL_ERROR_WANT_WRITE) {
        conn_update_events(c, e == SSL_ERROR_WANT_WRITE);
        return;
    }
    char why[160];
    tls_last_error(why, sizeof why);
    KEN_LOG_WARNING("controller", "TLS handshake failed: %s", why);
    conn_close(c, "TLS handshake failed");
}

static void conn_on_io(struct loop_io *io, uint32_t events)
{
    struct conn *c = conn_of_io(io);
    if (c->closed)
        return;
    if (c->tls_handshaking) {
        conn_tls_step(c);
        return;
    }
    /* A paused switch that hangs up (seen only while a write waits) is
     * read to its end: what it sent before is not lost. */
    if (c->io.paused && (events & (EPOLLHUP | EPOLLERR)))
        c->sh->ops->hung_up_paused(c);
    if (!c->io.paused && ((events & (EPOLLIN | EPOLLHUP | EPOLLERR)) || conn_tls_pending(c))) {
        c->reading = true;
        conn_read(c);
        c->reading = false;
    }
    bool asked = c->flush_after_read;
    c->flush_after_read = false;
    /* What handlers run here sent to this switch goes out now, not after
     * the whole round: the blocks just written are the next connection's,
     * still in the cache (a flush job posted meanwhile then finds nothing). */
    if (!c->closed && (asked || (events & EPOLLOUT) || c->sh->ops->flush_posted(c)))
        conn_flush(c);
}

bool conn_flush_after_read(struct conn *c)
{
    if (!c->reading)
        return false;
    c->flush_after_read = true;
    return true;
}

void conn_start(struct conn *c, SSL_CTX *tls, bool tls_server, uint64_t handshake_ms, const char *reason)
{
    int one = 1;
    setsockopt(c->io.fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    c->io.cb = conn_on_io;
    c->deadline.cb = conn_deadline;
    conn_set_deadline(c, handshake_ms, reason);
    if (loop_watch(c->sh->loop, &c->io, EPOLLIN)) {
        conn_close(c, "cannot watch the socket");
        return;
    }
    if (!tls) {
        c->sh->ops->up(c);
        return;
    }
    c->tls = true;
    c->ssl = SSL_new(tls);
    if (!c->ssl || SSL_set_fd(c->ssl, c->io.fd) != 1) {
        conn_close(c, "cannot start TLS");
        return;
    }
    if (tls_server)
        SSL_set_accept_state(c->ssl);
    else
        SSL_set_connect_state(c->ssl);
    c->tls_handshaking = true;
    conn_tls_step(c);
}
