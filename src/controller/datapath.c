/* struct ken_datapath: references, xids, the outbound queue that any thread
 * appends to, and the port table. */
#include <errno.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <unistd.h>

#include "runtime/xalloc.h"
#include "controller/ctl.h"
#include "controller/dp.h"
#include "ken/cluster.h"
#include "ken/log.h"
#include "ken/wire.h"

/* A block grows past this only for one large message. */
#define OUT_CHUNK_TARGET (64 * 1024)
/* Written blocks go to one pool that every connection takes from, newest
 * first: with a thousand switches the few blocks in use stay in the cache
 * (a pool per connection would cycle through a thousand cold ones). Blocks
 * that grew large for one big message are freed rather than kept. */
#define OUT_POOL_MAX 64
#define OUT_POOL_MAX_CAP (128 * 1024)

static struct ken_lite_mutex out_pool_lock; /* zeroed: unlocked */
static struct out_chunk *out_pool_free KEN_GUARDED_BY(out_pool_lock);
static size_t out_pool_n KEN_GUARDED_BY(out_pool_lock);

static void dp_release_job(struct loop_job *job);
static void dp_flush_job(struct loop_job *job);
static void dp_close_job(struct loop_job *job);
static void dp_flush_hook(struct ken_batch_hook *hook);

struct dp *dp_new(struct io_shard *io, int fd, const char *address)
{
    struct dp *dp = ken_xcalloc(1, sizeof *dp);
    dp->ctl = io->ctl;
    dp->io = io;
    ctl_ref(dp->ctl);
    atomic_init(&dp->refs, 1);
    uint32_t seed = 0;
    if (getrandom(&seed, sizeof seed, GRND_NONBLOCK) != sizeof seed)
        seed = (uint32_t)getpid();
    dp->xid = seed; /* not shared yet */
    snprintf(dp->pub.address, sizeof dp->pub.address, "%s", address);
    atomic_init(&dp->pub.ofproto, ken_ofproto_get(KEN_OFP15));
    atomic_init(&dp->pub.ofproto_parser, ken_ofproto_parser_get(KEN_OFP15));
    atomic_init(&dp->pub.is_active, true);
    atomic_init(&dp->pub.phase, KEN_PHASE_HANDSHAKE);
    atomic_init(&dp->pub.role, KEN_ROLE_EQUAL);
    atomic_init(&dp->pub.generation_id, 0);
    conn_init(&dp->conn, &io->conn_shared, fd);
    loop_timer_init(&dp->echo_timer, NULL);
    dp->flush_job.run = dp_flush_job;
    dp->close_job.run = dp_close_job;
    dp->release_job.run = dp_release_job;
    dp->flush_hook.run = dp_flush_hook;
    ken_lite_mutex_init(&dp->out_lock);
    ken_mutex_init(&dp->ports_lock);
    pending_table_init(&dp->requests);
    return dp;
}

static void chunks_free(struct out_chunk *c)
{
    while (c) {
        struct out_chunk *next = c->next;
        ken_buf_free(&c->buf);
        free(c);
        c = next;
    }
}

/* Gives written blocks to the pool (or frees them when it is full). */
static void out_pool_put(struct out_chunk *c)
{
    while (c) {
        struct out_chunk *next = c->next;
        ken_lite_mutex_lock(&out_pool_lock);
        bool keep = out_pool_n < OUT_POOL_MAX && c->buf.cap <= OUT_POOL_MAX_CAP;
        if (keep) {
            c->next = out_pool_free;
            out_pool_free = c;
            out_pool_n++;
        }
        ken_lite_mutex_unlock(&out_pool_lock);
        if (!keep) {
            ken_buf_free(&c->buf);
            free(c);
        }
        c = next;
    }
}

static struct out_chunk *out_pool_get(void)
{
    ken_lite_mutex_lock(&out_pool_lock);
    struct out_chunk *c = out_pool_free;
    if (c) {
        out_pool_free = c->next;
        out_pool_n--;
    }
    ken_lite_mutex_unlock(&out_pool_lock);
    if (!c)
        c = ken_xcalloc(1, sizeof *c);
    return c;
}

void dp_out_pool_trim(void)
{
    ken_lite_mutex_lock(&out_pool_lock);
    struct out_chunk *c = out_pool_free;
    out_pool_free = NULL;
    out_pool_n = 0;
    ken_lite_mutex_unlock(&out_pool_lock);
    chunks_free(c);
}

/* The last reference is gone: no other thread can hold its locks. */
void dp_destroy(struct dp *dp) KEN_NO_THREAD_SAFETY_ANALYSIS
{
    chunks_free(dp->pending);
    ken_buf_free(&dp->held_msgs);
    conn_destroy(&dp->conn);
    port_table_free(&dp->ports);
    ken_mutex_destroy(&dp->ports_lock);
    pending_table_destroy(&dp->requests);
    struct ken_controller *ctl = dp->ctl;
    free(dp);
    ctl_unref(ctl);
}

struct ken_datapath *ken_datapath_ref(struct ken_datapath *pub)
{
    dp_ref(dp_of(pub), 1);
    return pub;
}

/* The getters load with acquire: the I/O thread publishes with release. */
uint64_t ken_datapath_id(const struct ken_datapath *pub)
{
    return atomic_load_explicit(&((struct ken_datapath *)pub)->id, memory_order_acquire);
}

const struct ken_ofproto *ken_datapath_ofproto(const struct ken_datapath *pub)
{
    return atomic_load_explicit(&((struct ken_datapath *)pub)->ofproto, memory_order_acquire);
}

const struct ken_ofproto_parser *ken_datapath_parser(const struct ken_datapath *pub)
{
    return atomic_load_explicit(&((struct ken_datapath *)pub)->ofproto_parser, memory_order_acquire);
}

const char *ken_datapath_address(const struct ken_datapath *pub)
{
    return pub->address;
}

bool ken_datapath_is_active(const struct ken_datapath *pub)
{
    return atomic_load_explicit(&((struct ken_datapath *)pub)->is_active, memory_order_acquire);
}

enum ken_phase ken_datapath_phase(const struct ken_datapath *pub)
{
    return (enum ken_phase)atomic_load_explicit(&((struct ken_datapath *)pub)->phase, memory_order_acquire);
}

void ken_datapath_unref(struct ken_datapath *pub)
{
    if (pub)
        dp_unref(dp_of(pub));
}

/* The loop's own reference is dropped one loop iteration after the close,
 * so that epoll events already fetched for this connection find it intact. */
static void dp_release_job(struct loop_job *job)
{
    struct dp *dp = (struct dp *)((char *)job - offsetof(struct dp, release_job));
    ken_datapath_unref(&dp->pub);
}

void dp_release_later(struct dp *dp) { loop_post(&dp->io->loop, &dp->release_job); }

uint32_t ken_datapath_set_xid(struct ken_datapath *pub, void *msg)
{
    uint32_t x = dp_next_xid(dp_of(pub));
    wire_put32((uint8_t *)msg + 4, x);
    return x;
}

/* ---- the outbound queue ---- */

static struct out_chunk *outq_new_chunk(void)
{
    struct out_chunk *c = out_pool_get();
    c->next = NULL;
    c->off = 0;
    ken_buf_clear(&c->buf);
    return c;
}

/* True when p holds whole messages only. */
static bool msgs_framed(const uint8_t *p, size_t n)
{
    while (n) {
        if (n < KEN_OFP_HEADER_LEN)
            return false;
        size_t len = wire_get16(p + 2);
        if (len < KEN_OFP_HEADER_LEN || len > n)
            return false;
        p += len;
        n -= len;
    }
    return true;
}

/* A new block at the queue's end (out of line: once per 64 KiB). */
static __attribute__((noinline)) void outq_add_chunk(struct dp *dp) KEN_REQUIRES(dp->out_lock)
{
    struct out_chunk *c = outq_new_chunk();
    if (dp->pending_tail)
        dp->pending_tail->next = c;
    else
        dp->pending = c;
    dp->pending_tail = c;
}

/* Locks the queue and returns the buffer to append to, or NULL (unlocked)
 * with *err set when the connection cannot take more. */
static inline struct ken_buf *outq_begin(struct dp *dp, int *err) KEN_TSA(try_acquire_capability(1, dp->out_lock))
{
    ken_lite_mutex_lock(&dp->out_lock);
    if (__builtin_expect(dp->out_dead, 0)) {
        ken_lite_mutex_unlock(&dp->out_lock);
        *err = ENOTCONN;
        return NULL;
    }
    if (__builtin_expect(!dp->pending_tail || dp->pending_tail->buf.len >= OUT_CHUNK_TARGET, 0))
        outq_add_chunk(dp);
    return &dp->pending_tail->buf;
}

/* Counts the messages of [p, end) as sent (after the first: outq_end). */
static void count_sent_rest(struct dp *dp, const uint8_t *p, const uint8_t *end) KEN_REQUIRES(dp->out_lock)
{
    while (p < end) {
        size_t len = wire_get16(p + 2);
        dp_count_msg(dp->ctr.tx, p[1], len);
        p += len;
    }
}

/* Accounts for what was appended since before, unlocks, and has the queue
 * written once the sending thread's batch is done: an app thread writes
 * what its handlers sent with one writev per switch, without waking the
 * I/O thread. Over the bound, the append is undone and the connection
 * closed. The loop is told after the unlock: a woken I/O thread never
 * meets the lock held. */
static __attribute__((noinline)) int outq_end(struct dp *dp, size_t before, int rc) KEN_RELEASE(dp->out_lock)
{
    struct ken_buf *b = &dp->pending_tail->buf;
    bool post_close = false, post_flush = false;
    const uint8_t *m = b->data + before;
    size_t added = b->len - before;
    /* The first message's length, read once for the framing check and the
     * count: most sends are one message, checked and counted without a
     * loop. */
    size_t first = added >= KEN_OFP_HEADER_LEN ? wire_get16(m + 2) : 0;
    /* Defence in depth: bytes that are not whole messages (an encoder bug,
     * a length past 64 KiB that wrapped) would desynchronise the switch's
     * stream for good; refuse them here, where every send path passes. */
    if (!rc && added &&
        (first < KEN_OFP_HEADER_LEN || first > added || (first < added && !msgs_framed(m + first, added - first)))) {
        rc = EINVAL;
        ken_log_rl(&dp->log_bad_send, DP_LOG_INTERVAL_MS, KEN_LOG_ERROR, "controller",
                   "datapath %s: refused to send %zu bytes that are not whole OpenFlow messages", dp->pub.address,
                   added);
    }
    if (!rc && atomic_load_explicit(&dp->pub.role, memory_order_relaxed) == KEN_ROLE_SLAVE)
        rc = dp_role_check_send(dp, m, added);
    if (!rc && dp->queued + added > dp->ctl->opt.max_outbound_bytes) {
        rc = ENOBUFS;
        dp->out_dead = true;
        if (!dp->close_posted) {
            dp->close_posted = post_close = true;
            dp->close_reason = "outbound queue full: the switch is not reading";
            dp_ref(dp, 1);
        }
    }
    if (rc) {
        b->len = before;
    } else {
        if (added) { /* an encoder may append nothing */
            dp_count_msg(dp->ctr.tx, m[1], first);
            if (first < added)
                count_sent_rest(dp, m + first, m + added);
        }
        dp->queued += added;
        if (!dp->flush_queued) {
            dp->flush_queued = post_flush = true;
            dp_ref(dp, 1);
        }
    }
    ken_lite_mutex_unlock(&dp->out_lock);
    if (post_close)
        loop_post(&dp->io->loop, &dp->close_job);
    if (post_flush)
        ken_batch_hook_add(&dp->flush_hook);
    return rc;
}

/* On the I/O thread (and for TLS) the loop writes, in its next round. */
static void dp_flush_hook(struct ken_batch_hook *hook)
{
    struct dp *dp = (struct dp *)((char *)hook - offsetof(struct dp, flush_hook));
    ken_lite_mutex_lock(&dp->out_lock);
    dp->flush_queued = false; /* what is appended from now on needs a new flush */
    ken_lite_mutex_unlock(&dp->out_lock);
    /* On the I/O thread, while this switch's own read runs, conn_on_io
     * writes right after it: no job to post and run. */
    if (loop_on_thread(&dp->io->loop) ? !conn_flush_after_read(&dp->conn) : !conn_write_direct(&dp->conn))
        dp_post_flush(dp);
    ken_datapath_unref(&dp->pub);
}

void dp_post_flush(struct dp *dp)
{
    ken_lite_mutex_lock(&dp->out_lock);
    bool post = !dp->job_queued;
    if (post) {
        dp->job_queued = true;
        ken_datapath_ref(&dp->pub);
    }
    ken_lite_mutex_unlock(&dp->out_lock);
    if (post)
        loop_post(&dp->io->loop, &dp->flush_job);
}

/* Inlined where the encoder is known (the flow-mod and packet-out sends):
 * the encoder is then called directly. With fresh, the message gets a new
 * xid, picked under the queue's lock (*xid gets it); else it carries *xid. */
static inline __attribute__((always_inline)) int send_encoded(struct dp *dp, ken_datapath_encoder enc, const void *arg,
                                                              bool fresh, uint32_t *xid)
{
    int err;
    struct ken_buf *b = outq_begin(dp, &err);
    if (!b)
        return err;
    if (fresh)
        *xid = dp_next_xid_locked(dp);
    size_t before = b->len;
    err = enc(b, dp->pub.ofproto->version, *xid, arg);
    /* The common case inline: one whole message, no SLAVE role, within the
     * bound (outq_end's checks, in that order, for that case; anything
     * else goes through outq_end). */
    const uint8_t *m = b->data + before;
    size_t added = b->len - before;
    if (__builtin_expect(!err && added >= KEN_OFP_HEADER_LEN && wire_get16(m + 2) == added &&
                             atomic_load_explicit(&dp->pub.role, memory_order_relaxed) != KEN_ROLE_SLAVE &&
                             dp->queued + added <= dp->ctl->opt.max_outbound_bytes,
                         1)) {
        dp_count_msg(dp->ctr.tx, m[1], added);
        dp->queued += added;
        bool post_flush = !dp->flush_queued;
        if (post_flush) {
            dp->flush_queued = true;
            dp_ref(dp, 1);
        }
        ken_lite_mutex_unlock(&dp->out_lock);
        if (post_flush)
            ken_batch_hook_add(&dp->flush_hook);
        return 0;
    }
    return outq_end(dp, before, err);
}

static inline __attribute__((always_inline)) int send_encoded_with_xid(struct dp *dp, ken_datapath_encoder enc,
                                                                       const void *arg, uint32_t xid)
{
    return send_encoded(dp, enc, arg, false, &xid);
}

int ken_datapath_send_encoded(struct ken_datapath *pub, ken_datapath_encoder enc, const void *arg, uint32_t *xid)
{
    uint32_t x;
    int err = send_encoded(dp_of(pub), enc, arg, true, &x);
    if (!err && xid)
        *xid = x;
    return err;
}

int dp_send_reply(struct dp *dp, ken_datapath_encoder enc, const void *arg, uint32_t request_xid)
{
    return send_encoded_with_xid(dp, enc, arg, request_xid);
}

/* Queues whole messages, giving each a fresh xid when new_xid. */
static int send_bytes(struct dp *dp, const void *msg, size_t len, bool new_xid, uint32_t *first_xid)
{
    if (!len || !msgs_framed(msg, len)) {
        ken_log_rl(&dp->log_bad_send, DP_LOG_INTERVAL_MS, KEN_LOG_ERROR, "controller",
                   "datapath %s: refused to send %zu bytes that are not whole OpenFlow messages", dp->pub.address,
                   len);
        return EINVAL;
    }
    int err;
    struct ken_buf *b = outq_begin(dp, &err);
    if (!b)
        return err;
    size_t before = b->len;
    ken_buf_put(b, msg, len);
    uint32_t first = 0;
    if (new_xid)
        for (size_t at = before; at < b->len; at += wire_get16(b->data + at + 2)) {
            uint32_t x = dp_next_xid_locked(dp);
            wire_put32(b->data + at + 4, x);
            if (!first)
                first = x;
        }
    err = outq_end(dp, before, 0);
    if (!err && first_xid)
        *first_xid = first;
    return err;
}

int ken_datapath_send_msg(struct ken_datapath *pub, const void *msg, size_t len)
{
    return send_bytes(dp_of(pub), msg, len, false, NULL);
}

int ken_datapath_send_buf(struct ken_datapath *pub, struct ken_buf *b)
{
    int err = ken_datapath_send_msg(pub, b->data, b->len);
    ken_buf_clear(b);
    return err;
}

int ken_datapath_send_msg_new_xid(struct ken_datapath *pub, const void *msg, size_t len, uint32_t *first_xid)
{
    return send_bytes(dp_of(pub), msg, len, true, first_xid);
}

int ken_datapath_send_buf_new_xid(struct ken_datapath *pub, struct ken_buf *b, uint32_t *first_xid)
{
    int err = ken_datapath_send_msg_new_xid(pub, b->data, b->len, first_xid);
    ken_buf_clear(b);
    return err;
}

static int enc_flow_mod(struct ken_buf *b, uint8_t version, uint32_t xid, const void *arg)
{
    return ken_flow_mod_encode(b, version, xid, arg);
}

static int enc_packet_out(struct ken_buf *b, uint8_t version, uint32_t xid, const void *arg)
{
    return ken_packet_out_encode(b, version, xid, arg);
}

static int enc_barrier(struct ken_buf *b, uint8_t version, uint32_t xid, const void *arg)
{
    (void)arg;
    ken_simple_encode(b, version, ken_ofproto_get(version)->OFPT_BARRIER_REQUEST, xid);
    return 0;
}

int ken_datapath_send_flow_mod(struct ken_datapath *pub, const struct ken_flow_mod *fm)
{
    uint32_t xid;
    return send_encoded(dp_of(pub), enc_flow_mod, fm, true, &xid);
}

int ken_datapath_send_packet_out(struct ken_datapath *pub, const struct ken_packet_out *po)
{
    uint32_t xid;
    return send_encoded(dp_of(pub), enc_packet_out, po, true, &xid);
}

int ken_datapath_send_barrier(struct ken_datapath *dp, uint32_t *xid)
{
    return ken_datapath_send_encoded(dp, enc_barrier, NULL, xid);
}

/* ---- requests and replies ---- */

/* Registers for the reply before sending (a fast switch cannot answer
 * first), writes what this thread queued (its batch hooks: an app thread
 * would otherwise write only after its handler returns), then waits. */
int ken_datapath_request_encoded(struct ken_datapath *pub, ken_datapath_encoder enc, const void *arg, int timeout_ms,
                                 struct ken_ofp_reply **reply)
{
    struct dp *dp = dp_of(pub);
    struct ken_ofp_reply *got = NULL;
    if (reply)
        *reply = NULL;
    /* An I/O thread would wait for a reply that it (or a thread it
     * holds up) has to read. */
    if (loop_current() || !ken_runtime_may_wait())
        return EDEADLK;
    struct pending p;
    uint32_t xid = dp_next_xid(dp);
    int err = pending_add(&dp->requests, &p, xid);
    if (err)
        return err;
    err = send_encoded_with_xid(dp, enc, arg, xid);
    if (err) {
        pending_cancel(&dp->requests, &p); /* never sent: nothing can answer */
        return err;
    }
    ken_batch_hooks_run();
    err = pending_wait(&dp->requests, &p, timeout_ms, &got);
    if (reply)
        *reply = got;
    else
        ken_ofp_reply_free(got);
    return err;
}

struct raw_msg {
    const void *msg;
    size_t len;
};

static int enc_raw(struct ken_buf *b, uint8_t version, uint32_t xid, const void *arg)
{
    (void)version;
    const struct raw_msg *m = arg;
    size_t at = b->len;
    ken_buf_put(b, m->msg, m->len);
    wire_put32(b->data + at + 4, xid);
    return 0;
}

int ken_datapath_request(struct ken_datapath *pub, const void *msg, size_t len, int timeout_ms,
                         struct ken_ofp_reply **reply)
{
    if (reply)
        *reply = NULL;
    /* One message: its xid is the one the reply is matched by. */
    if (len < KEN_OFP_HEADER_LEN || wire_get16((const uint8_t *)msg + 2) != len) {
        struct dp *dp = dp_of(pub);
        ken_log_rl(&dp->log_bad_send, DP_LOG_INTERVAL_MS, KEN_LOG_ERROR, "controller",
                   "datapath %s: a request must be one whole OpenFlow message (%zu bytes given)", pub->address, len);
        return EINVAL;
    }
    struct raw_msg m = {msg, len};
    return ken_datapath_request_encoded(pub, enc_raw, &m, timeout_ms, reply);
}

int ken_datapath_barrier_wait(struct ken_datapath *dp, int timeout_ms)
{
    return ken_datapath_request_encoded(dp, enc_barrier, NULL, timeout_ms, NULL);
}

/* Detaches the pending blocks for the writer. */
struct out_chunk *dp_outq_take(struct dp *dp)
{
    ken_lite_mutex_lock(&dp->out_lock);
    struct out_chunk *c = dp->pending;
    dp->pending = dp->pending_tail = NULL;
    ken_lite_mutex_unlock(&dp->out_lock);
    return c;
}

/* Gives written blocks back to the pool and accounts for the bytes
 * written. */
void dp_outq_done(struct dp *dp, struct out_chunk *done, size_t written)
{
    ken_lite_mutex_lock(&dp->out_lock);
    dp->queued -= written;
    ken_lite_mutex_unlock(&dp->out_lock);
    out_pool_put(done);
}

void dp_outq_kill(struct dp *dp, struct out_chunk *sending)
{
    ken_lite_mutex_lock(&dp->out_lock);
    dp->out_dead = true;
    dp->close_posted = true; /* no close job may outlive the connection */
    struct out_chunk *c = dp->pending;
    dp->pending = dp->pending_tail = NULL;
    dp->queued = 0;
    ken_lite_mutex_unlock(&dp->out_lock);
    chunks_free(c);
    chunks_free(sending);
}

bool dp_flush_posted(struct dp *dp)
{
    ken_lite_mutex_lock(&dp->out_lock);
    bool posted = dp->job_queued;
    ken_lite_mutex_unlock(&dp->out_lock);
    return posted;
}

static void dp_flush_job(struct loop_job *job)
{
    struct dp *dp = (struct dp *)((char *)job - offsetof(struct dp, flush_job));
    ken_lite_mutex_lock(&dp->out_lock);
    dp->job_queued = false;
    ken_lite_mutex_unlock(&dp->out_lock);
    if (!dp->conn.closed)
        conn_flush(&dp->conn);
    ken_datapath_unref(&dp->pub);
}

static void dp_close_job(struct loop_job *job)
{
    struct dp *dp = (struct dp *)((char *)job - offsetof(struct dp, close_job));
    if (!dp->conn.closed)
        conn_close(&dp->conn, dp->close_reason);
    ken_datapath_unref(&dp->pub);
}

void dp_post_close(struct dp *dp, const char *reason)
{
    ken_lite_mutex_lock(&dp->out_lock);
    bool post = !dp->close_posted;
    if (post) {
        dp->close_posted = true;
        dp->close_reason = reason;
        ken_datapath_ref(&dp->pub);
    }
    ken_lite_mutex_unlock(&dp->out_lock);
    if (post)
        loop_post(&dp->io->loop, &dp->close_job);
}

void ken_datapath_close(struct ken_datapath *pub) { dp_post_close(dp_of(pub), "closed by an app"); }

/* ---- ports ---- */

void dp_ports_clear(struct dp *dp)
{
    ken_mutex_lock(&dp->ports_lock);
    port_table_clear(&dp->ports);
    ken_mutex_unlock(&dp->ports_lock);
}

int dp_ports_set(struct dp *dp, const struct ken_port *ports, size_t n)
{
    int err = 0;
    ken_mutex_lock(&dp->ports_lock);
    for (size_t i = 0; i < n && !err; i++)
        err = port_table_put(&dp->ports, &ports[i]);
    ken_mutex_unlock(&dp->ports_lock);
    return err;
}

int dp_port_update(struct dp *dp, uint8_t reason, const struct ken_port *port)
{
    int err = 0;
    ken_mutex_lock(&dp->ports_lock);
    if (reason == KEN_OFPPR_DELETE)
        port_table_remove(&dp->ports, port->port_no);
    else
        err = port_table_put(&dp->ports, port);
    ken_mutex_unlock(&dp->ports_lock);
    return err;
}

bool ken_datapath_port(struct ken_datapath *pub, uint32_t port_no, struct ken_port *out)
{
    struct dp *dp = dp_of(pub);
    ken_mutex_lock(&dp->ports_lock);
    const struct ken_port *p = port_table_find(&dp->ports, port_no);
    if (p && out)
        *out = *p;
    ken_mutex_unlock(&dp->ports_lock);
    return p != NULL;
}

size_t ken_datapath_ports(struct ken_datapath *pub, struct ken_port *out, size_t max)
{
    struct dp *dp = dp_of(pub);
    ken_mutex_lock(&dp->ports_lock);
    size_t n = port_table_list(&dp->ports, out, max);
    ken_mutex_unlock(&dp->ports_lock);
    return n;
}

/* ---- counters ---- */

static void copy_counts(struct ken_datapath_msg_count *out, const struct ken_datapath_msg_count *in)
{
    for (size_t i = 0; i < KEN_DATAPATH_MSG_TYPES; i++) {
        out[i].msgs = __atomic_load_n(&in[i].msgs, __ATOMIC_RELAXED);
        out[i].bytes = __atomic_load_n(&in[i].bytes, __ATOMIC_RELAXED);
    }
}

void ken_datapath_get_counters(const struct ken_datapath *pub, struct ken_datapath_counters *out)
{
    const struct dp *dp = (const struct dp *)pub;
    const struct dp_counters *c = &dp->ctr;
    memset(out, 0, sizeof *out);
    out->dpid = ken_datapath_id(pub);
    /* Before the hello, ofproto is the highest version's: not negotiated. */
    out->version = ken_datapath_phase(pub) == KEN_PHASE_HANDSHAKE ? 0 : ken_datapath_version(pub);
    copy_counts(out->rx, c->rx);
    copy_counts(out->tx, c->tx);
    out->rx_errors = out->rx[1].msgs; /* OFPT_ERROR is 1 in every version */
    out->bad_msgs = __atomic_load_n(&c->bad_msgs, __ATOMIC_RELAXED);
    out->echo_rtt_last_ns = __atomic_load_n(&c->echo_rtt_last_ns, __ATOMIC_RELAXED);
    out->echo_rtt_sum_ns = __atomic_load_n(&c->echo_rtt_sum_ns, __ATOMIC_RELAXED);
    out->echo_rtt_count = __atomic_load_n(&c->echo_rtt_count, __ATOMIC_RELAXED);
}

/* The type members of struct ken_ofproto by name: the one table of type
 * numbers per version stays the generated one. */
static const struct {
    size_t off;
    const char *name;
} type_names[] = {
#define T(m) {offsetof(struct ken_ofproto, OFPT_##m), #m}
    T(HELLO), T(ERROR), T(ECHO_REQUEST), T(ECHO_REPLY), T(EXPERIMENTER), T(FEATURES_REQUEST),
    T(FEATURES_REPLY), T(GET_CONFIG_REQUEST), T(GET_CONFIG_REPLY), T(SET_CONFIG), T(PACKET_IN),
    T(FLOW_REMOVED), T(PORT_STATUS), T(PACKET_OUT), T(FLOW_MOD), T(GROUP_MOD), T(PORT_MOD), T(TABLE_MOD),
    T(MULTIPART_REQUEST), T(MULTIPART_REPLY), T(BARRIER_REQUEST), T(BARRIER_REPLY),
    T(QUEUE_GET_CONFIG_REQUEST), T(QUEUE_GET_CONFIG_REPLY), T(ROLE_REQUEST), T(ROLE_REPLY),
    T(GET_ASYNC_REQUEST), T(GET_ASYNC_REPLY), T(SET_ASYNC), T(METER_MOD), T(ROLE_STATUS), T(TABLE_STATUS),
    T(REQUESTFORWARD), T(BUNDLE_CONTROL), T(BUNDLE_ADD_MESSAGE), T(CONTROLLER_STATUS),
#undef T
};

const char *ken_ofp_type_name(uint8_t version, uint8_t type)
{
    const struct ken_ofproto *p = ken_ofproto_get(version);
    if (!p || type == 0xff)
        return NULL; /* 0xff: the table's "no such message" */
    for (size_t i = 0; i < sizeof type_names / sizeof type_names[0]; i++)
        if (*((const uint8_t *)p + type_names[i].off) == type)
            return type_names[i].name;
    return NULL;
}

void ken_dpid_to_str(uint64_t dpid, char out[17]) { snprintf(out, 17, "%016llx", (unsigned long long)dpid); }

/* ---- typed messages ---- */

uint8_t ken_datapath_version(const struct ken_datapath *pub) { return ken_datapath_ofproto(pub)->version; }

struct typed_arg {
    enum ken_ofp_class cls;
    const void *msg;
};

static int enc_typed(struct ken_buf *b, uint8_t version, uint32_t xid, const void *arg)
{
    const struct typed_arg *t = arg;
    char why[KEN_WHY_LEN];
    int err = ken_ofp_encode(b, version, xid, t->cls, t->msg, why);
    if (err)
        KEN_LOG_WARNING("datapath", "%s not sent: %s", ken_ofp_class_name(t->cls) ? ken_ofp_class_name(t->cls) : "message",
                     why);
    return err;
}

int ken_datapath_send_ofp(struct ken_datapath *dp, enum ken_ofp_class cls, const void *msg)
{
    struct typed_arg t = {cls, msg};
    return ken_datapath_send_encoded(dp, enc_typed, &t, NULL);
}

int ken_datapath_request_ofp(struct ken_datapath *dp, enum ken_ofp_class cls, const void *msg, int timeout_ms,
                             struct ken_ofp_reply **reply)
{
    struct typed_arg t = {cls, msg};
    return ken_datapath_request_encoded(dp, enc_typed, &t, timeout_ms, reply);
}

int ken_ofp_reply_decode(const struct ken_ofp_reply *reply, struct ken_arena *a, enum ken_ofp_class *cls, void **out,
                         char why[KEN_WHY_LEN])
{
    *out = NULL;
    *cls = KEN_OFP_CLASS_NONE;
    why[0] = 0;
    if (!reply || !reply->n)
        return EINVAL;
    for (size_t i = 0; i < reply->n; i++) {
        enum ken_ofp_class c;
        void *part;
        int err = ken_ofp_decode(reply->msgs[i]->data, reply->msgs[i]->len, a, &c, &part, why);
        if (err)
            return err;
        if (i == 0) {
            *out = part;
            *cls = c;
        } else if (c != *cls) {
            snprintf(why, KEN_WHY_LEN, "part %zu is a %s, the first a %s", i, ken_ofp_class_name(c),
                     ken_ofp_class_name(*cls));
            return EBADMSG;
        } else if ((err = ken_ofp_concat(c, *out, part, a))) {
            return err;
        }
    }
    return 0;
}
