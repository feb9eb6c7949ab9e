/* A switch connection's transport, on the I/O thread: TLS handshake, large
 * reads, framing that never trusts the header (length < 8 closes the
 * connection), and batched writes (writev of many queued blocks). */
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <openssl/err.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <unistd.h>

#include "runtime/xalloc.h"
#include "controller/ctl.h"
#include "controller/dp.h"
#include "controller/ofp_handler.h"
#include "controller/tls.h"
#include "ken/log.h"
#include "ken/wire.h"

/* Bytes read from one connection per wake-up, so one busy switch cannot
 * starve the others. */
#define READ_BUDGET (1024 * 1024)
#define WRITE_IOV_MAX 64

static struct dp *dp_of_io(struct loop_io *io) { return (struct dp *)((char *)io - offsetof(struct dp, io)); }

static uint64_t seconds_to_ms(double s) { return s <= 0 ? 0 : (uint64_t)(s * 1000.0 + 0.5); }

/* The events epoll should report: reads unless paused, writes while bytes
 * wait to go out or TLS asks for them. */
static void conn_update_events(struct dp *dp, bool want_write)
{
    uint32_t ev = EPOLLIN | (want_write ? EPOLLOUT : 0);
    loop_rewatch(&dp->ctl->loop, &dp->io, ev);
}

/* ---- closing ---- */

void conn_close(struct dp *dp, const char *reason)
{
    if (dp->closed)
        return;
    dp->closed = true;
    KEN_LOG_INFO("controller", "datapath %s (%016llx): connection closed: %s", dp->pub.address,
                 (unsigned long long)dp->pub.id, reason);
    ken_log_rl_report(&dp->log_bad_msg, KEN_LOG_INFO, "controller");
    ken_log_rl_report(&dp->log_ignored, KEN_LOG_DEBUG, "controller");
    ken_log_rl_report(&dp->log_switch_error, KEN_LOG_DEBUG, "controller");
    ken_mutex_lock(&dp->write_lock);
    dp_outq_kill(dp); /* before apps hear of DEAD: from then on, sends fail */
    dp->write_closed = true;
    ken_mutex_unlock(&dp->write_lock);
    ofp_conn_down(dp);
    struct loop *l = &dp->ctl->loop;
    loop_timer_cancel(l, &dp->echo_timer);
    loop_timer_cancel(l, &dp->deadline_timer);
    loop_unwatch(l, &dp->io);
    if (dp->ssl) {
        SSL_free(dp->ssl);
        dp->ssl = NULL;
    }
    /* Under the lock: no sending thread writes to a closed (or reused)
     * descriptor. */
    ken_mutex_lock(&dp->write_lock);
    close(dp->io.fd);
    dp->io.fd = -1;
    ken_mutex_unlock(&dp->write_lock);
    ctl_dp_remove(dp->ctl, dp);
    if (dp->peer)
        ctl_peer_lost(dp->peer);
    dp->peer = NULL;
    dp_release_later(dp);
}

static void conn_deadline(struct loop_timer *t)
{
    struct dp *dp = (struct dp *)((char *)t - offsetof(struct dp, deadline_timer));
    if (dp->lingering)
        conn_close(dp, "the switch did not close after the error");
    else if (atomic_load(&dp->pub.phase) == KEN_DP_MAIN)
        conn_close(dp, "socket timeout: the switch stopped reading");
    else
        conn_close(dp, "handshake timeout");
}

/* ---- writing ---- */

/* Writes what it can of the detached blocks; returns bytes written or -1
 * with errno (EAGAIN when the socket is full). */
static ssize_t conn_write_some(struct dp *dp) KEN_REQUIRES(dp->write_lock)
{
    if (dp->ssl) {
        struct out_chunk *c = dp->sending;
        ERR_clear_error();
        int r = SSL_write(dp->ssl, c->buf.data + c->off, (int)(c->buf.len - c->off));
        if (r > 0)
            return r;
        int e = SSL_get_error(dp->ssl, r);
        errno = e == SSL_ERROR_WANT_WRITE || e == SSL_ERROR_WANT_READ ? EAGAIN : EPIPE;
        return -1;
    }
    struct iovec iov[WRITE_IOV_MAX];
    int n = 0;
    for (struct out_chunk *c = dp->sending; c && n < WRITE_IOV_MAX; c = c->next)
        if (c->buf.len > c->off)
            iov[n++] = (struct iovec){c->buf.data + c->off, c->buf.len - c->off};
    if (!n)
        return 0;
    struct msghdr mh = {.msg_iov = iov, .msg_iovlen = (size_t)n};
    ssize_t r;
    do
        r = sendmsg(dp->io.fd, &mh, MSG_NOSIGNAL | MSG_DONTWAIT);
    while (r < 0 && errno == EINTR);
    return r;
}

/* Moves written bytes out of the sending list; fully written blocks go
 * back to the queue for reuse. */
static void conn_consume(struct dp *dp, size_t n) KEN_REQUIRES(dp->write_lock)
{
    struct out_chunk *done = NULL, **tail = &done;
    size_t total = n;
    while (dp->sending) {
        struct out_chunk *c = dp->sending;
        size_t left = c->buf.len - c->off;
        if (n < left) {
            c->off += n;
            break;
        }
        n -= left;
        dp->sending = c->next;
        c->next = NULL;
        *tail = c;
        tail = &c->next;
    }
    dp_outq_done(dp, done, total);
}

/* Writes the queued blocks until done or the socket is full; write_lock
 * held. Returns false on a write error. */
static bool conn_write_locked(struct dp *dp, bool *progress) KEN_REQUIRES(dp->write_lock)
{
    struct out_chunk *taken = dp_outq_take(dp);
    struct out_chunk **end = &dp->sending;
    while (*end)
        end = &(*end)->next;
    *end = taken;
    while (dp->sending) {
        ssize_t r = conn_write_some(dp);
        if (r < 0)
            return errno == EAGAIN || errno == EWOULDBLOCK;
        if (r == 0 && dp->sending && dp->sending->buf.len == dp->sending->off) {
            conn_consume(dp, 0); /* empty blocks */
            continue;
        }
        *progress = *progress || r > 0;
        conn_consume(dp, (size_t)r);
    }
    return true;
}

bool conn_write_direct(struct dp *dp)
{
    if (dp->tls)
        return false; /* the TLS session belongs to the I/O thread */
    ken_mutex_lock(&dp->write_lock);
    bool progress = false;
    bool done = dp->write_closed || (conn_write_locked(dp, &progress) && !dp->sending);
    ken_mutex_unlock(&dp->write_lock);
    return done;
}

void conn_flush(struct dp *dp)
{
    bool progress = false;
    dp->active = true;
    ken_mutex_lock(&dp->write_lock);
    bool ok = conn_write_locked(dp, &progress);
    bool blocked = dp->sending != NULL;
    ken_mutex_unlock(&dp->write_lock);
    if (!ok) {
        conn_close(dp, "write error");
        return;
    }
    conn_update_events(dp, blocked);
    if (atomic_load(&dp->pub.phase) != KEN_DP_MAIN || dp->lingering)
        return; /* the handshake (or closing) deadline is running */
    if (!blocked)
        loop_timer_cancel(&dp->ctl->loop, &dp->deadline_timer);
    else if (progress || !loop_timer_armed(&dp->deadline_timer))
        loop_timer_start(&dp->ctl->loop, &dp->deadline_timer, seconds_to_ms(dp->ctl->opt.socket_timeout));
}

void conn_close_after_flush(struct dp *dp)
{
    conn_flush(dp);
    if (dp->closed)
        return;
    ken_mutex_lock(&dp->write_lock);
    dp_outq_kill(dp); /* first: no sending thread writes after the shutdown */
    ken_mutex_unlock(&dp->write_lock);
    if (dp->ssl)
        SSL_shutdown(dp->ssl);
    shutdown(dp->io.fd, SHUT_WR);
    dp->lingering = true;
    loop_timer_start(&dp->ctl->loop, &dp->deadline_timer, seconds_to_ms(dp->ctl->opt.socket_timeout));
}

/* ---- reading ---- */

/* Frames and handles every whole message in buf[0..*len); moves the
 * partial one to the front and leaves its length in *len. Returns false
 * when the connection closed. */
static bool conn_frame(struct dp *dp, uint8_t *buf, size_t *len)
{
    size_t off = 0;
    while (*len - off >= KEN_OFP_HEADER_LEN) {
        size_t n = wire_get16(buf + off + 2);
        if (n < KEN_OFP_HEADER_LEN) {
            conn_close(dp, "framing error: message length below 8");
            return false;
        }
        if (*len - off < n)
            break;
        ofp_recv(dp, buf + off, n);
        if (dp->closed)
            return false;
        off += n;
    }
    *len -= off;
    memmove(buf, buf + off, *len);
    return true;
}

/* One read: bytes, 0 at end of stream, -1 with errno (EAGAIN: no more). */
static ssize_t conn_read_some(struct dp *dp, uint8_t *buf, size_t room)
{
    if (dp->ssl) {
        ERR_clear_error();
        int r = SSL_read(dp->ssl, buf, (int)room);
        if (r > 0)
            return r;
        int e = SSL_get_error(dp->ssl, r);
        /* A switch that closes without close_notify has still closed. */
        if (e == SSL_ERROR_ZERO_RETURN ||
            (e == SSL_ERROR_SSL && ERR_GET_REASON(ERR_peek_error()) == SSL_R_UNEXPECTED_EOF_WHILE_READING))
            return 0;
        errno = e == SSL_ERROR_WANT_READ || e == SSL_ERROR_WANT_WRITE ? EAGAIN : ECONNRESET;
        return -1;
    }
    ssize_t r;
    do
        r = recv(dp->io.fd, buf, room, MSG_DONTWAIT);
    while (r < 0 && errno == EINTR);
    return r;
}

/* Keeps the start of a message cut by the read (at most one message). */
static void conn_keep_partial(struct dp *dp, const uint8_t *buf, size_t len)
{
    if (!len)
        return;
    if (len > dp->rcap) {
        size_t cap = len < 512 ? 512 : len;
        dp->rbuf = ken_xrealloc(dp->rbuf, cap);
        dp->rcap = cap;
    }
    memcpy(dp->rbuf, buf, len);
    dp->rlen = len;
}

void conn_trim_idle(struct dp *dp)
{
    if (dp->rlen)
        return; /* a partial message waits for its end */
    free(dp->rbuf);
    dp->rbuf = NULL;
    dp->rcap = 0;
}

/* Every connection reads into the I/O thread's one buffer (c->rbuf): a
 * thousand busy switches then share one buffer that stays in the cache,
 * where a buffer each would be a thousand cold ones. A connection keeps
 * only the start of a message that a read cut (dp->rbuf). */
static void conn_read(struct dp *dp)
{
    struct ken_controller *c = dp->ctl;
    uint8_t *buf = c->rbuf;
    size_t budget = READ_BUDGET, have = dp->rlen;
    dp->active = true;
    if (have)
        memcpy(buf, dp->rbuf, have);
    dp->rlen = 0;
    while (!dp->closed && !dp->io.paused && budget) {
        size_t room = CTL_RBUF_SIZE - have; /* have < 64 KiB, a message's most */
        ssize_t r = conn_read_some(dp, buf + have, room);
        if (r == 0) {
            conn_close(dp, "connection closed by the switch");
            return;
        }
        if (r < 0) {
            if (errno != EAGAIN && errno != EWOULDBLOCK)
                conn_close(dp, "read error");
            break;
        }
        c->read_time_ns = ev_realtime_ns();
        have += (size_t)r;
        budget -= (size_t)r < budget ? (size_t)r : budget;
        if (!conn_frame(dp, buf, &have))
            return;
        if (!dp->ssl && (size_t)r < room)
            break; /* drained: spare the syscall that would say EAGAIN */
    }
    if (!dp->closed)
        conn_keep_partial(dp, buf, have);
    ofp_recv_done(dp);
}

static bool conn_tls_pending(const struct dp *dp) { return dp->ssl && SSL_pending(dp->ssl) > 0; }

void conn_read_tls_pending(struct dp *dp)
{
    /* TLS may hold decrypted bytes that epoll cannot see. */
    if (!dp->closed && !dp->tls_handshaking && conn_tls_pending(dp))
        conn_read(dp);
}

/* ---- TLS handshake ---- */

static void conn_tls_step(struct dp *dp)
{
    ERR_clear_error();
    int r = SSL_do_handshake(dp->ssl);
    if (r == 1) {
        dp->tls_handshaking = false;
        conn_update_events(dp, false);
        ofp_conn_up(dp);
        return;
    }
    int e = SSL_get_error(dp->ssl, r);
    if (e == SSL_ERROR_WANT_READ || e == SSL_ERROR_WANT_WRITE) {
        conn_update_events(dp, e == SSL_ERROR_WANT_WRITE);
        return;
    }
    char why[160];
    tls_last_error(why, sizeof why);
    KEN_LOG_WARNING("controller", "datapath %s: TLS handshake failed: %s", dp->pub.address, why);
    conn_close(dp, "TLS handshake failed");
}

static void conn_on_io(struct loop_io *io, uint32_t events)
{
    struct dp *dp = dp_of_io(io);
    if (dp->closed)
        return;
    if (dp->tls_handshaking) {
        conn_tls_step(dp);
        return;
    }
    /* A paused switch that hangs up (seen only while a write waits) is
     * read to its end: what it sent before is not lost. */
    if (dp->io.paused && (events & (EPOLLHUP | EPOLLERR)))
        ctl_unpause(dp->ctl, dp);
    if (!dp->io.paused && ((events & (EPOLLIN | EPOLLHUP | EPOLLERR)) || conn_tls_pending(dp)))
        conn_read(dp);
    /* What handlers run here sent to this switch goes out now, not after
     * the whole round: the blocks just written are the next connection's,
     * still in the cache (the posted flush job then finds nothing). */
    if (!dp->closed && ((events & EPOLLOUT) || dp_flush_posted(dp)))
        conn_flush(dp);
}

void conn_start(struct dp *dp, SSL_CTX *tls, bool tls_server)
{
    int one = 1;
    setsockopt(dp->io.fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    dp->io.cb = conn_on_io;
    dp->deadline_timer.cb = conn_deadline;
    ctl_dp_add(dp->ctl, dp);
    loop_timer_start(&dp->ctl->loop, &dp->deadline_timer, seconds_to_ms(dp->ctl->opt.handshake_timeout));
    if (loop_watch(&dp->ctl->loop, &dp->io, EPOLLIN)) {
        conn_close(dp, "cannot watch the socket");
        return;
    }
    if (!tls) {
        ofp_conn_up(dp);
        return;
    }
    dp->tls = true;
    dp->ssl = SSL_new(tls);
    if (!dp->ssl || SSL_set_fd(dp->ssl, dp->io.fd) != 1) {
        conn_close(dp, "cannot start TLS");
        return;
    }
    if (tls_server)
        SSL_set_accept_state(dp->ssl);
    else
        SSL_set_connect_state(dp->ssl);
    dp->tls_handshaking = true;
    conn_tls_step(dp);
}
