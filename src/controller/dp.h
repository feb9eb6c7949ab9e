/* The controller's private view of a datapath: struct ken_datapath (apps
 * see it opaque and read it through getters) plus its connection
 * (transport, outbound queue, timers) and its port table. Declares datapath.c's functions. */
#ifndef KEN_CONTROLLER_DP_H
#define KEN_CONTROLLER_DP_H

#include <openssl/ssl.h>
#include <pthread.h>
#include <stdatomic.h>

#include "controller/conn.h"
#include "controller/loop.h"
#include "controller/pending.h"
#include "controller/ports.h"
#include "runtime/lock.h"
#include "runtime/runtime.h"
#include "ken/app.h"
#include "ken/controller.h"
#include "ken/datapath.h"
#include "ken/log.h"

struct io_shard;
struct ken_controller;
struct peer;

/* What apps read of a datapath (through ken/datapath.h's getters). */
struct ken_datapath {
    /* 64-bit datapath id, from the features reply: valid from the
     * EventOFPSwitchFeatures event on (CONFIG phase), always in MAIN. */
    _Atomic uint64_t id; /* written on the I/O thread, read by apps: atomic */
    /* The switch's address, "127.0.0.1:40000" or "[::1]:40000". */
    char address[64];
    /* Definitions of the negotiated version (message types, port numbers).
     * Before negotiation: the highest version ken speaks, as OS-Ken.
     *
     * The rule for the fields apps read while the I/O thread may write
     * them: they are atomic, written with release and read with (at
     * least) acquire, so an app that sees a new value also sees what the
     * I/O thread wrote before it. ofproto and ofproto_parser change once,
     * at hello negotiation (an app that handles HANDSHAKE may still see
     * the 1.5 ones; from CONFIG on they are the negotiated version's);
     * id is set once, from the features reply; is_active and phase change
     * with the state. Apps read them through the getters of ken/datapath.h
     * (datapath.c). address never changes. */
    const struct ken_ofproto *_Atomic ofproto;
    /* Message builders of the negotiated version. */
    const struct ken_ofproto_parser *_Atomic ofproto_parser;
    /* False once the connection is closed (DEAD). */
    _Atomic bool is_active;
    /* The current phase (enum ken_phase). */
    _Atomic int phase;
    /* The role of this instance for the switch (enum ken_role, ken/cluster.h)
     * and the generation id of its mastership; EQUAL without a cluster.
     * Written on the I/O thread (role.c). */
    _Atomic int role;
    _Atomic uint64_t generation_id;
};

/* Counters (ken_datapath_get_counters). Each is written by one thread at a
 * time with a relaxed load and store (no atomic add, no lock of its own:
 * a couple of plain instructions on the hot path) and read by any thread
 * with relaxed loads. rx and the rest: the I/O thread; tx: whoever holds
 * out_lock. */
struct dp_counters {
    struct ken_datapath_msg_count rx[KEN_DATAPATH_MSG_TYPES];
    uint64_t bad_msgs;
    uint64_t echo_rtt_last_ns, echo_rtt_sum_ns, echo_rtt_count;
    /* Keeps tx off rx's last cache line: app threads write tx while the
     * I/O thread writes rx (padding, not _Alignas: calloc'd memory). */
    char pad[64];
    struct ken_datapath_msg_count tx[KEN_DATAPATH_MSG_TYPES];
};

static inline void dp_count(uint64_t *c, uint64_t v)
{
    __atomic_store_n(c, __atomic_load_n(c, __ATOMIC_RELAXED) + v, __ATOMIC_RELAXED);
}

static inline unsigned dp_count_slot(uint8_t type)
{
    return type < KEN_DATAPATH_MSG_OTHER ? type : KEN_DATAPATH_MSG_OTHER;
}

/* One message of this type and length, in rx or tx. */
static inline void dp_count_msg(struct ken_datapath_msg_count *by_type, uint8_t type, size_t len)
{
    struct ken_datapath_msg_count *c = &by_type[dp_count_slot(type)];
    dp_count(&c->msgs, 1);
    dp_count(&c->bytes, len);
}

struct dp {
    struct ken_datapath pub;
    struct ken_controller *ctl;
    struct io_shard *io;        /* the I/O thread it lives on, accept to close */
    atomic_uint refs;
    uint32_t xid; /* the last xid the controller picked (under out_lock: dp_next_xid) */

    /* The transport (the I/O thread's; its write side under its lock). */
    struct conn conn;

    /* Loop thread only. */
    bool id_known;              /* pub.id came from a features reply */
    bool bp_paused;             /* reads paused for backpressure (counted in io->n_paused) */
    /* Held while the switch's old connection, on another I/O thread, goes
     * DEAD: what arrives meanwhile waits in held_msgs, in order, and is
     * read after (so apps see the old one leave before the new one). */
    bool held;
    struct ken_buf held_msgs;
    uint64_t feeds;             /* slots of the apps its events reached lately */
    struct loop_timer echo_timer;
    unsigned unreplied_echoes;
    bool echo_waiting;          /* echo_xid is out, its reply not yet in */
    uint32_t echo_xid;          /* the controller's last echo request */
    uint64_t echo_sent_ns;      /* CLOCK_MONOTONIC when it was queued */
    bool gave_up;               /* closed for an error (counted once) */
    uint8_t version;            /* negotiated; 0 during HANDSHAKE */
    ken_ev_class_t pi_cls;      /* EventOFPPacketIn's id once a packet-in came (its version's) */
    const char *pi_cls_name;    /* and its OS-Ken class name */
    int role_req;               /* the last role requested (enum ken_role) */
    uint64_t role_req_gen;      /* and its generation id */
    struct dp *prev, *next;     /* its I/O thread's live connections */
    struct dp *ids_next;        /* the controller's identified ones (ids_lock) */
    bool in_ids;                /* in that list (ids_lock) */
    struct peer *peer;          /* active mode: the address we connected to */
    struct loop_job flush_job, close_job, release_job;
    const char *close_reason;   /* set with close_job */

    /* Log rate limits, one per condition (any thread). */
    struct ken_log_ratelimit log_bad_send;   /* a send refused: not whole messages */
    struct ken_log_ratelimit log_bad_msg;    /* a bad message from the switch */
    struct ken_log_ratelimit log_ignored;    /* a message ignored (before hello) */
    struct ken_log_ratelimit log_switch_error; /* an OFPT_ERROR from the switch */
    atomic_bool warned_not_master;             /* a send refused as SLAVE, logged once per role */

    /* The outbound queue, under out_lock. App threads append to the newest
     * block of the pending list; the transport detaches the whole list
     * before writing, so it never reads a block someone may still append
     * to. Lock order: conn.write_lock, then out_lock. */
    struct ken_lite_mutex out_lock;
    struct out_chunk *pending, *pending_tail;
    size_t queued;              /* bytes in pending and being written */
    bool out_dead;              /* refuse sends: closed or overflowing */
    bool close_posted;
    bool flush_queued;          /* flush_hook registered, not yet run */
    bool job_queued;            /* flush_job posted, not yet run */
    struct ken_batch_hook flush_hook;  /* writes at the end of the sender's batch */

    /* Requests waiting for their replies (ken_datapath_request). */
    struct pending_table requests;

    struct dp_counters ctr;

    /* Ports, under ports_lock. */
    struct ken_mutex ports_lock;
    struct port_table ports;
};

static inline struct dp *dp_of(struct ken_datapath *pub) { return (struct dp *)pub; }
static inline struct dp *dp_of_conn(struct conn *c) { return (struct dp *)((char *)c - offsetof(struct dp, conn)); }

/* Per connection and condition, a logged condition repeats at most once
 * per interval: a switch cannot turn its bytes into many more log bytes. */
#define DP_LOG_INTERVAL_MS 1000

/* datapath.c */
/* Queues the reply to a request: it carries request_xid, whatever its
 * value (0 included); replies never get a fresh xid. */
int dp_send_reply(struct dp *dp, ken_datapath_encoder enc, const void *arg, uint32_t request_xid);
/* A connection on io's thread (started there by the caller). */
struct dp *dp_new(struct io_shard *io, int fd, const char *address);
/* A fresh xid, with out_lock held: the senders pick it in the same
 * critical section as they queue, with no atomic of its own. */
static inline uint32_t dp_next_xid_locked(struct dp *dp) KEN_REQUIRES(dp->out_lock)
{
    uint32_t x = dp->xid + 1;
    if (x == 0) /* never picked: 0 is what a switch's own xid-0 requests carry */
        x = 1;
    dp->xid = x;
    return x;
}
static inline uint32_t dp_next_xid(struct dp *dp) KEN_EXCLUDES(dp->out_lock)
{
    ken_lite_mutex_lock(&dp->out_lock);
    uint32_t x = dp_next_xid_locked(dp);
    ken_lite_mutex_unlock(&dp->out_lock);
    return x;
}
/* Frees a datapath whose last reference is gone (dp_unref calls it). */
void dp_destroy(struct dp *dp);
/* The controller's own references, inlined (ken_datapath_ref/unref are
 * the apps'): n at once where one batch of events takes them. */
static inline void dp_ref(struct dp *dp, unsigned n)
{
    atomic_fetch_add_explicit(&dp->refs, n, memory_order_relaxed);
}
static inline void dp_unref_n(struct dp *dp, unsigned n)
{
    if (atomic_fetch_sub_explicit(&dp->refs, n, memory_order_acq_rel) == n)
        dp_destroy(dp);
}
static inline void dp_unref(struct dp *dp) { dp_unref_n(dp, 1); }
/* Drops the loop's reference one iteration later (see datapath.c). */
void dp_release_later(struct dp *dp);
/* The transport's side of the outbound queue (struct conn_ops take,
 * written, drop, flush_posted), called with conn.write_lock held. */
struct out_chunk *dp_outq_take(struct dp *dp) KEN_EXCLUDES(dp->out_lock);
void dp_outq_done(struct dp *dp, struct out_chunk *done, size_t written) KEN_EXCLUDES(dp->out_lock);
/* Marks the queue dead and frees what it held and sending (the
 * connection is closing). */
void dp_outq_kill(struct dp *dp, struct out_chunk *sending) KEN_EXCLUDES(dp->out_lock);
bool dp_flush_posted(struct dp *dp) KEN_EXCLUDES(dp->out_lock);
/* Asks the I/O thread to write the queue (from any thread). */
void dp_post_flush(struct dp *dp) KEN_EXCLUDES(dp->out_lock);
/* Frees the written blocks kept for reuse (the pool every connection
 * shares). */
void dp_out_pool_trim(void);
/* Asks the loop thread to close the connection (from any thread). */
void dp_post_close(struct dp *dp, const char *reason) KEN_EXCLUDES(dp->out_lock);
void dp_ports_clear(struct dp *dp);
/* role.c: the cluster's roles (ken/cluster.h). */
/* Refuses (EPERM, logged once per role) messages in [p, p + n) that would
 * change the switch's state while this instance is its SLAVE. */
int dp_role_check_send(struct dp *dp, const uint8_t *p, size_t n);
/* A role reply (1.2+ OFPT_ROLE_REPLY, 1.0 NXT_ROLE_REPLY) or a role
 * request's error from the switch, on the I/O thread: true when msg was
 * one (its event still goes to the apps). */
bool dp_role_on_msg(struct dp *dp, const uint8_t *msg, size_t len);
/* Adds (or replaces) ports; ENOSPC past KEN_DATAPATH_MAX_PORTS. */
int dp_ports_set(struct dp *dp, const struct ken_port *ports, size_t n);
/* Adds or replaces (ADD/MODIFY) or removes (DELETE) one port; ENOSPC when
 * a new port would pass KEN_DATAPATH_MAX_PORTS. */
int dp_port_update(struct dp *dp, uint8_t reason, const struct ken_port *port);

#endif
