/* WebSockets (RFC 6455) for the REST server: the connections a route
 * upgraded (ken_ws_accept_websocket), served by one thread of their own.
 *
 * libmicrohttpd sends the 101 answer and hands over the socket (for HTTPS
 * one end of a socket pair it encrypts for us). From then on this thread
 * polls every such socket and an eventfd: it reads and checks the client's
 * frames (masked, control frames short and whole, a message at most
 * WS_MAX_MESSAGE bytes, no reserved bits or opcodes: anything else closes
 * the connection with the status the RFC names), answers pings and close
 * frames, and writes what ken_ws_broadcast queued. Data messages from
 * clients are read and dropped (Ryu's clients answer each JSON-RPC call
 * with a result nobody waits for). A client that reads too slowly (more
 * than WS_MAX_QUEUED bytes waiting) is closed rather than let grow. */
#include "rest/websocket.h"
#include "runtime/xalloc.h"

#include <errno.h>
#include <fcntl.h>
#include <openssl/evp.h>
#include <poll.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <time.h>
#include <unistd.h>

#include "ken/log.h"

#define LOG_MOD "wsapi"
#define WS_MAX_SOCKETS 256
#define WS_CLOSE_WAIT_S 5

struct ws_conn {
    int fd;
    struct MHD_UpgradeResponseHandle *urh;
    const char *tag;
    uint8_t *in;
    size_t in_len;
    uint8_t *out;
    size_t out_len, out_cap;
    size_t msg_len;        /* the data message being assembled (fragments) */
    bool in_message;
    bool closing;          /* a close frame queued: closed once it is out */
    struct timespec closing_since; /* a client that never takes it: dropped after WS_CLOSE_WAIT_S */
    bool dead;             /* close now */
};

static struct {
    pthread_mutex_t lock;
    pthread_t thread;
    bool running, quit;
    bool closed;           /* the server is stopping: no new sockets */
    int wake;              /* eventfd */
    struct ws_conn *conns[WS_MAX_SOCKETS];
    size_t n;
} ws = {.lock = PTHREAD_MUTEX_INITIALIZER, .wake = -1};

bool ws_accept_key(const char *key, char accept[WS_ACCEPT_LEN])
{
    /* The key is 16 random bytes in base64: 24 characters. */
    unsigned char raw[18];
    if (!key || strlen(key) != 24 || EVP_DecodeBlock(raw, (const unsigned char *)key, 24) != 18 || key[22] != '=' ||
        key[23] != '=')
        return false;
    char buf[24 + 36 + 1];
    snprintf(buf, sizeof buf, "%s258EAFA5-E914-47DA-95CA-C5AB0DC85B11", key);
    unsigned char digest[20];
    unsigned int dlen = 0;
    if (!EVP_Digest(buf, strlen(buf), digest, &dlen, EVP_sha1(), NULL) || dlen != 20)
        return false;
    EVP_EncodeBlock((unsigned char *)accept, digest, 20);
    return true;
}

/* ws.lock held. */
static void queue_frame(struct ws_conn *c, unsigned opcode, const void *data, size_t len)
{
    if (c->dead || c->closing)
        return;
    if (c->out_len + len + 10 > WS_MAX_QUEUED) {
        KEN_LOG_WARNING(LOG_MOD, "websocket: a client reads too slowly (%zu bytes waiting): closed", c->out_len);
        c->dead = true;
        return;
    }
    size_t need = c->out_len + len + 10;
    if (need > c->out_cap) {
        size_t cap = c->out_cap ? c->out_cap : 4096;
        while (cap < need)
            cap *= 2;
        c->out = ken_xrealloc(c->out, cap);
        c->out_cap = cap;
    }
    uint8_t *p = c->out + c->out_len;
    *p++ = (uint8_t)(0x80 | opcode);
    if (len < 126) {
        *p++ = (uint8_t)len;
    } else if (len <= 0xffff) {
        *p++ = 126;
        *p++ = (uint8_t)(len >> 8);
        *p++ = (uint8_t)len;
    } else {
        *p++ = 127;
        for (int i = 7; i >= 0; i--)
            *p++ = (uint8_t)((uint64_t)len >> (8 * i));
    }
    if (len)
        memcpy(p, data, len);
    p += len;
    c->out_len = (size_t)(p - c->out);
    if (opcode == 0x8) {
        c->closing = true;
        clock_gettime(CLOCK_MONOTONIC, &c->closing_since);
    }
}

static void queue_close(struct ws_conn *c, unsigned code, const char *why)
{
    uint8_t body[2 + 64];
    size_t n = strlen(why) < 64 ? strlen(why) : 64;
    body[0] = (uint8_t)(code >> 8);
    body[1] = (uint8_t)code;
    memcpy(body + 2, why, n);
    queue_frame(c, 0x8, body, 2 + n);
    if (code != 1000 && code != 1001)
        KEN_LOG_DEBUG(LOG_MOD, "websocket: closing a client: %u %s", code, why);
}

/* ws.lock held (the eventfd is closed under it when the thread stops). */
static void wake(void)
{
    uint64_t one = 1;
    ssize_t r = write(ws.wake, &one, sizeof one);
    (void)r;
}

/* Parses the frames in c->in; ws.lock held. Leaves an incomplete frame. */
static void parse_frames(struct ws_conn *c)
{
    size_t off = 0;
    while (!c->dead && !c->closing) {
        const uint8_t *p = c->in + off;
        size_t avail = c->in_len - off;
        if (avail < 2)
            break;
        bool fin = p[0] & 0x80;
        unsigned rsv = p[0] & 0x70, opcode = p[0] & 0x0f;
        bool masked = p[1] & 0x80;
        uint64_t len = p[1] & 0x7f;
        size_t hdr = 2;
        if (len == 126) {
            if (avail < 4)
                break;
            len = (uint64_t)p[2] << 8 | p[3];
            hdr = 4;
        } else if (len == 127) {
            if (avail < 10)
                break;
            len = 0;
            for (int i = 0; i < 8; i++)
                len = len << 8 | p[2 + i];
            hdr = 10;
        }
        if (rsv) {
            queue_close(c, 1002, "reserved bits set");
            break;
        }
        if (!masked) {
            queue_close(c, 1002, "client frames must be masked");
            break;
        }
        bool control = opcode & 0x8;
        if ((opcode > 2 && opcode < 8) || opcode > 10) {
            queue_close(c, 1002, "unknown opcode");
            break;
        }
        if (control && (!fin || len > 125)) {
            queue_close(c, 1002, "bad control frame");
            break;
        }
        if (!control) {
            if (opcode == 0 && !c->in_message) {
                queue_close(c, 1002, "continuation without a message");
                break;
            }
            if (opcode != 0 && c->in_message) {
                queue_close(c, 1002, "new message inside a fragmented one");
                break;
            }
            if (len > WS_MAX_MESSAGE || c->msg_len + len > WS_MAX_MESSAGE) {
                queue_close(c, 1009, "message too big");
                break;
            }
        }
        hdr += 4;
        if (avail < hdr || avail - hdr < len)
            break;
        const uint8_t *mask = p + hdr - 4;
        uint8_t *payload = (uint8_t *)p + hdr;
        for (size_t i = 0; i < len; i++)
            payload[i] ^= mask[i & 3];
        off += hdr + (size_t)len;
        switch (opcode) {
        case 0x9: /* ping */
            queue_frame(c, 0xA, payload, (size_t)len);
            break;
        case 0xA: /* pong */
            break;
        case 0x8: { /* close: answered with its status, then closed */
            unsigned code = len >= 2 ? (unsigned)payload[0] << 8 | payload[1] : 1000;
            if (len == 1 || (len >= 2 && (code < 1000 || code == 1004 || code == 1005 || code == 1006 ||
                                          (code > 1011 && code < 3000) || code > 4999)))
                queue_close(c, 1002, "bad close status");
            else
                queue_close(c, len ? code : 1000, "");
            break;
        }
        default: /* data: dropped once whole */
            c->msg_len += (size_t)len;
            c->in_message = !fin;
            if (fin)
                c->msg_len = 0;
            break;
        }
    }
    memmove(c->in, c->in + off, c->in_len - off);
    c->in_len -= off;
}

static void conn_free(struct ws_conn *c)
{
    MHD_upgrade_action(c->urh, MHD_UPGRADE_ACTION_CLOSE);
    free(c->in);
    free(c->out);
    free(c);
}

static void *ws_main(void *arg)
{
    (void)arg;
    struct pollfd pfd[WS_MAX_SOCKETS + 1];
    struct ws_conn *polled[WS_MAX_SOCKETS];
    uint8_t chunk[16384];
    struct ws_conn *gone[WS_MAX_SOCKETS];
    pthread_mutex_lock(&ws.lock);
    while (!ws.quit) {
        /* Drop the dead ones (closed outside the lock: libmicrohttpd's
         * thread may be waiting for it in ws_upgraded), build the poll set. */
        size_t n = 0, n_gone = 0;
        struct timespec now;
        clock_gettime(CLOCK_MONOTONIC, &now);
        bool any_closing = false;
        for (size_t i = 0; i < ws.n;) {
            struct ws_conn *c = ws.conns[i];
            if (c->dead || (c->closing && (!c->out_len || now.tv_sec - c->closing_since.tv_sec > WS_CLOSE_WAIT_S))) {
                ws.conns[i] = ws.conns[--ws.n];
                gone[n_gone++] = c;
                continue;
            }
            any_closing |= c->closing;
            polled[n] = c;
            pfd[n + 1] = (struct pollfd){.fd = c->fd, .events = (short)(POLLIN | (c->out_len ? POLLOUT : 0))};
            n++;
            i++;
        }
        pfd[0] = (struct pollfd){.fd = ws.wake, .events = POLLIN};
        pthread_mutex_unlock(&ws.lock);
        for (size_t i = 0; i < n_gone; i++)
            conn_free(gone[i]);
        int r = poll(pfd, n + 1, any_closing ? 1000 : -1);
        pthread_mutex_lock(&ws.lock);
        if (r < 0)
            continue;
        if (pfd[0].revents & POLLIN) {
            uint64_t v;
            ssize_t g = read(ws.wake, &v, sizeof v);
            (void)g;
        }
        for (size_t i = 0; i < n; i++) {
            struct ws_conn *c = polled[i];
            short ev = pfd[i + 1].revents;
            if (!ev)
                continue;
            if (ev & POLLNVAL) {
                c->dead = true;
                continue;
            }
            if (ev & (POLLIN | POLLHUP | POLLERR)) {
                ssize_t got = read(c->fd, chunk, sizeof chunk);
                if (got == 0 || (got < 0 && errno != EAGAIN && errno != EINTR)) {
                    c->dead = true;
                    continue;
                }
                if (got > 0 && !c->closing) {
                    /* Never more than a frame header, WS_MAX_MESSAGE and a chunk. */
                    c->in = ken_xrealloc(c->in, c->in_len + (size_t)got);
                    memcpy(c->in + c->in_len, chunk, (size_t)got);
                    c->in_len += (size_t)got;
                    parse_frames(c);
                }
            }
            if ((ev & POLLOUT) && c->out_len) {
                ssize_t w = send(c->fd, c->out, c->out_len, MSG_NOSIGNAL);
                if (w < 0 && errno != EAGAIN && errno != EINTR) {
                    c->dead = true;
                    continue;
                }
                if (w > 0) {
                    memmove(c->out, c->out + w, c->out_len - (size_t)w);
                    c->out_len -= (size_t)w;
                }
            }
        }
    }
    /* Stopping: a close frame each (best effort, without waiting). */
    size_t n_gone = ws.n;
    for (size_t i = 0; i < ws.n; i++) {
        struct ws_conn *c = ws.conns[i];
        if (!c->dead && !c->closing) {
            queue_close(c, 1001, "server stopping");
            ssize_t w = send(c->fd, c->out, c->out_len, MSG_NOSIGNAL | MSG_DONTWAIT);
            (void)w;
        }
        gone[i] = c;
    }
    ws.n = 0;
    pthread_mutex_unlock(&ws.lock);
    for (size_t i = 0; i < n_gone; i++)
        conn_free(gone[i]);
    return NULL;
}

void ws_upgraded(const char *tag, int fd, struct MHD_UpgradeResponseHandle *urh, const char *extra, size_t extra_len)
{
    struct ws_conn *c = ken_xcalloc(1, sizeof *c);
    c->fd = fd;
    c->urh = urh;
    c->tag = tag;
    int fl = fcntl(fd, F_GETFL);
    if (fl >= 0)
        fcntl(fd, F_SETFL, fl | O_NONBLOCK);
    pthread_mutex_lock(&ws.lock);
    if (ws.closed) { /* a 101 that went out while the server stops */
        pthread_mutex_unlock(&ws.lock);
        conn_free(c);
        return;
    }
    if (!ws.running) {
        ws.quit = false;
        ws.wake = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
        if (ws.wake >= 0 && pthread_create(&ws.thread, NULL, ws_main, NULL) == 0) {
            pthread_setname_np(ws.thread, "wsapi-websocket");
            ws.running = true;
        } else if (ws.wake >= 0) {
            close(ws.wake);
            ws.wake = -1;
        }
    }
    if (!ws.running || ws.n == WS_MAX_SOCKETS) {
        pthread_mutex_unlock(&ws.lock);
        KEN_LOG_WARNING(LOG_MOD, "websocket refused: %s", ws.running ? "too many open" : "no thread");
        conn_free(c);
        return;
    }
    if (extra_len) {
        c->in = ken_xmalloc(extra_len);
        memcpy(c->in, extra, extra_len);
        c->in_len = extra_len;
        parse_frames(c);
    }
    ws.conns[ws.n++] = c;
    wake();
    pthread_mutex_unlock(&ws.lock);
}

size_t ws_broadcast(const char *tag, const void *text, size_t len)
{
    size_t sent = 0;
    pthread_mutex_lock(&ws.lock);
    for (size_t i = 0; i < ws.n; i++) {
        struct ws_conn *c = ws.conns[i];
        if (!strcmp(c->tag, tag) && !c->dead && !c->closing) {
            queue_frame(c, 0x1, text, len);
            sent++;
        }
    }
    if (ws.running && sent)
        wake();
    pthread_mutex_unlock(&ws.lock);
    return sent;
}

size_t ws_count(const char *tag)
{
    size_t n = 0;
    pthread_mutex_lock(&ws.lock);
    for (size_t i = 0; i < ws.n; i++)
        n += !tag || !strcmp(ws.conns[i]->tag, tag);
    pthread_mutex_unlock(&ws.lock);
    return n;
}

void ws_open_all(void)
{
    pthread_mutex_lock(&ws.lock);
    ws.closed = false;
    pthread_mutex_unlock(&ws.lock);
}

void ws_close_all(void)
{
    pthread_mutex_lock(&ws.lock);
    bool running = ws.running;
    ws.closed = true;
    ws.quit = true;
    if (running)
        wake();
    pthread_mutex_unlock(&ws.lock);
    if (!running)
        return;
    pthread_join(ws.thread, NULL);
    pthread_mutex_lock(&ws.lock);
    close(ws.wake);
    ws.wake = -1;
    ws.running = false;
    pthread_mutex_unlock(&ws.lock);
}

/* The frame parser alone, for the fuzzer (tests/rest/fuzz_websocket.c):
 * data fed in pieces of chunk bytes, as reads would give it. */
struct ws_parse_result ws_parse_for_test(const uint8_t *data, size_t len, size_t chunk)
{
    struct ws_conn c = {.fd = -1, .tag = "test"};
    struct ws_parse_result res = {0};
    if (!chunk)
        chunk = 1;
    pthread_mutex_lock(&ws.lock);
    for (size_t off = 0; off < len && !c.dead && !c.closing; off += chunk) {
        size_t n = len - off < chunk ? len - off : chunk;
        c.in = ken_xrealloc(c.in, c.in_len + n);
        memcpy(c.in + c.in_len, data + off, n);
        c.in_len += n;
        parse_frames(&c);
        if (c.in_len > WS_MAX_MESSAGE + 14 + chunk)
            res.overgrown = true;
    }
    pthread_mutex_unlock(&ws.lock);
    res.closed = c.closing || c.dead;
    res.close_code = c.out_len >= 4 && (c.out[0] & 0x0f) == 0x8 ? (unsigned)c.out[2] << 8 | c.out[3] : 0;
    res.out_len = c.out_len;
    res.pending = c.in_len;
    /* A close frame, if any, is the last one queued: find it by walking. */
    for (size_t o = 0; o + 2 <= c.out_len;) {
        size_t plen = c.out[o + 1] & 0x7f, hdr = 2;
        if (plen == 126) {
            plen = (size_t)c.out[o + 2] << 8 | c.out[o + 3];
            hdr = 4;
        } else if (plen == 127) {
            plen = 0;
            for (int i = 0; i < 8; i++)
                plen = plen << 8 | c.out[o + 2 + i];
            hdr = 10;
        }
        if ((c.out[o] & 0x0f) == 0x8)
            res.close_code = plen >= 2 ? (unsigned)c.out[o + hdr] << 8 | c.out[o + hdr + 1] : 0;
        if (o + hdr + plen > c.out_len)
            res.bad_output = true;
        o += hdr + plen;
    }
    free(c.in);
    free(c.out);
    return res;
}
