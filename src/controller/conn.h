/* A switch connection's transport, on the I/O thread: TLS, reads into a
 * shared buffer, framing, writev of an outbound queue, closing. A leaf: it
 * knows nothing of OpenFlow beyond the header's length, and reports upward
 * through the callbacks of struct conn_ops (as redis ae's file events do);
 * the owner embeds a struct conn and finds itself from it. */
#ifndef KEN_CONTROLLER_CONN_H
#define KEN_CONTROLLER_CONN_H

#include <openssl/ssl.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "controller/loop.h"
#include "ken/buf.h"
#include "runtime/lock.h"

/* A block of outbound bytes (the owner's queue hands them to the
 * connection to write, and takes them back written). */
struct out_chunk {
    struct out_chunk *next;
    size_t off;            /* bytes of buf already written */
    struct ken_buf buf;
};

struct conn;

struct conn_ops {
    /* The transport is ready (after the TLS handshake). */
    void (*up)(struct conn *c);
    /* One whole message; len is its header length (>= 8). */
    void (*message)(struct conn *c, const uint8_t *msg, size_t len);
    /* The end of one read's messages. */
    void (*read_done)(struct conn *c);
    /* Closed (socket gone, outbound queue dropped): nothing more comes. */
    void (*closed)(struct conn *c, const char *reason);
    /* Reads were paused and the peer hung up: the owner resumes reading
     * (conn_pause_reads), so what the peer sent before is not lost. */
    void (*hung_up_paused)(struct conn *c);
    /* The owner's outbound queue, called with write_lock held: take
     * detaches what is pending; written gives back blocks written (and
     * the bytes); drop refuses further sends and frees what is queued,
     * sending included (the connection closes). */
    struct out_chunk *(*take)(struct conn *c);
    void (*written)(struct conn *c, struct out_chunk *done, size_t n);
    void (*drop)(struct conn *c, struct out_chunk *sending);
    /* True when the owner asked for a flush that has not run yet. */
    bool (*flush_posted)(struct conn *c);
};

/* What every connection of one owner shares. */
struct conn_shared {
    struct loop *loop;
    const struct conn_ops *ops;
    uint8_t *rbuf;             /* the one read buffer (rbuf_size bytes) */
    size_t rbuf_size;
    uint64_t socket_timeout_ms;
};

struct conn {
    const struct conn_shared *sh;
    struct loop_io io;
    SSL *ssl;
    bool tls;                   /* set before apps see the owner */
    bool tls_handshaking;
    bool closed;
    bool lingering;             /* error sent, write side shut: wait for EOF */
    bool active;                /* read or written since the last idle sweep */
    bool watch_stalls;          /* the deadline watches writes (after the handshake) */
    bool reading;               /* in conn_on_io's read: what is queued meanwhile is written right after it */
    bool flush_after_read;      /* the owner asked for that write (conn_flush_after_read) */
    uint64_t read_time_ns;      /* wall clock of the current read (event timestamps) */
    uint8_t *rbuf;              /* received bytes not yet framed, from rbuf[0] */
    size_t rlen, rcap;
    struct loop_timer deadline; /* handshake, then write stalls, then lingering */
    const char *deadline_reason;

    /* Writing, under write_lock: the I/O thread, or a sending thread at
     * the end of its batch (plain TCP only), writes the socket. */
    struct ken_lite_mutex write_lock;
    struct out_chunk *sending;  /* detached from the owner's queue, being written */
    bool write_closed;          /* the socket is closed: nothing to write */
};

/* conn.c */
void conn_init(struct conn *c, const struct conn_shared *sh, int fd);
void conn_destroy(struct conn *c);  /* frees what a closed connection keeps */
/* Starts the transport (TLS when tls is not NULL) with a deadline of
 * handshake_ms for the owner's handshake. */
void conn_start(struct conn *c, SSL_CTX *tls, bool tls_server, uint64_t handshake_ms, const char *reason);
/* The owner's handshake is over: the deadline now watches write stalls. */
void conn_handshake_done(struct conn *c);
void conn_flush(struct conn *c) KEN_EXCLUDES(c->write_lock);
/* On the I/O thread: true when c is being read by conn_on_io, which then
 * writes what was queued (no flush job to post); false otherwise. */
bool conn_flush_after_read(struct conn *c);
/* From a sending thread: writes what is queued; false when the I/O thread
 * has to take over (TLS, the socket is full, an error). */
bool conn_write_direct(struct conn *c) KEN_EXCLUDES(c->write_lock);
void conn_close(struct conn *c, const char *reason);
/* Sends what is queued, shuts the write side and waits (socket_timeout at
 * most) for the peer to close: how a fatal error is delivered. */
void conn_close_after_flush(struct conn *c);
/* Pauses or resumes reading (backpressure). */
void conn_pause_reads(struct conn *c, bool pause);
static inline bool conn_reads_paused(const struct conn *c) { return c->io.paused; }
/* An idle connection gives its read buffer back. */
void conn_trim_idle(struct conn *c);
/* Reads what TLS decrypted already (reading resumes after backpressure). */
void conn_read_tls_pending(struct conn *c);

#endif
