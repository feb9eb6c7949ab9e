/* The controller: options, the I/O thread, listeners (TCP and TLS, IPv4 and
 * IPv6), active-mode connections with reconnect, the set of live
 * connections, and backpressure from the app queues. */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <sched.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <unistd.h>

#include "runtime/runtime.h"
#include "runtime/xalloc.h"
#include "controller/ctl.h"
#include "controller/dp.h"
#include "controller/ofp_handler.h"
#include "controller/options.h"
#include "controller/tls.h"
#include "ken/app.h"
#include "ken/log.h"
#include "ken/ofp_event.h"

#define LOG_MOD "controller"

static int fail(char why[KEN_CONTROLLER_WHY_LEN], int err, const char *fmt, const char *arg)
{
    snprintf(why, KEN_CONTROLLER_WHY_LEN, fmt, arg, strerror(err));
    return err;
}

/* ---- the set of live connections ---- */

/* On dp's I/O thread. */
static void ctl_dp_add(struct dp *dp)
{
    struct io_shard *io = dp->io;
    dp->prev = NULL;
    dp->next = io->dps;
    if (io->dps)
        io->dps->prev = dp;
    io->dps = dp;
    atomic_fetch_add(&dp->ctl->n_conns, 1);
}

static void listeners_resume_later(struct ken_controller *c);
static void ctl_unpause(struct dp *dp);
static void ctl_peer_lost(struct peer *p);

static void ctl_ids_remove(struct dp *dp)
{
    struct ken_controller *c = dp->ctl;
    ken_mutex_lock(&c->ids_lock);
    if (dp->in_ids) {
        struct dp **at = &c->ids;
        while (*at != dp)
            at = &(*at)->ids_next;
        *at = dp->ids_next;
        dp->in_ids = false;
    }
    ken_mutex_unlock(&c->ids_lock);
}

/* On dp's I/O thread. */
static void ctl_dp_remove(struct dp *dp)
{
    struct io_shard *io = dp->io;
    if (dp->prev)
        dp->prev->next = dp->next;
    else if (io->dps == dp)
        io->dps = dp->next;
    else
        return; /* not in the list */
    if (dp->next)
        dp->next->prev = dp->prev;
    dp->prev = dp->next = NULL;
    ctl_ids_remove(dp);
    atomic_fetch_sub(&dp->ctl->n_conns, 1);
    atomic_fetch_sub(&io->n_conns, 1);
    ctl_unpause(dp);
    listeners_resume_later(dp->ctl); /* its descriptor is about to be free */
}

#define REPLACED "replaced by a new connection with the same datapath id"

/* A switch's new connection (dp) replaces its old one on another I/O
 * thread: the old one is closed there, its DEAD handed to the apps, and
 * then dp, held meanwhile, goes on on its own thread. */
struct replace_job {
    struct loop_job job;
    struct dp *old, *dp;        /* references */
};

static void replace_resume(struct loop_job *job)
{
    struct replace_job *j = (struct replace_job *)job;
    ofp_resume_held(j->dp);
    ken_datapath_unref(&j->old->pub);
    ken_datapath_unref(&j->dp->pub);
    free(j);
}

static void replace_close_old(struct loop_job *job)
{
    struct replace_job *j = (struct replace_job *)job;
    /* Not on old's thread only when that loop has ended, which closed it. */
    if (loop_on_thread(&j->old->io->loop) && !j->old->conn.closed) {
        conn_close(&j->old->conn, REPLACED);
        ev_flush(j->old->io); /* its DEAD reaches the apps before dp's next events */
    }
    j->job.run = replace_resume;
    loop_post(&j->dp->io->loop, &j->job);
}

/* A features reply gave dp its id: a live connection with the same id is
 * the switch's old one, replaced (apps never see two live datapaths with
 * one id). The registry of identified connections is shared by the I/O
 * threads. False: dp is to wait (held) for the old one's thread. */
static bool ctl_dp_identified(struct dp *dp)
{
    struct ken_controller *c = dp->ctl;
    uint64_t id = ken_datapath_id(&dp->pub);
    char old_address[sizeof dp->pub.address] = "";
    struct replace_job *job = NULL;
    ken_mutex_lock(&c->ids_lock);
    struct dp *old = c->ids;
    while (old && (old == dp || ken_datapath_id(&old->pub) != id))
        old = old->ids_next;
    if (old) {
        memcpy(old_address, old->pub.address, sizeof old_address);
        if (old->io != dp->io) {
            /* In the registry, old is not released yet: the reference is safe. */
            job = ken_xmalloc(sizeof *job);
            *job = (struct replace_job){.job.run = replace_close_old,
                                        .old = dp_of(ken_datapath_ref(&old->pub)),
                                        .dp = dp_of(ken_datapath_ref(&dp->pub))};
        }
    }
    if (!dp->in_ids) {
        dp->ids_next = c->ids;
        c->ids = dp;
        dp->in_ids = true;
    }
    ken_mutex_unlock(&c->ids_lock);
    if (!old)
        return true;
    /* A switch flapping this way: the first logged, then summaries. */
    char key[48], subject[96], detail[160];
    snprintf(key, sizeof key, "replaced %016llx", (unsigned long long)id);
    snprintf(subject, sizeof subject, "datapath %016llx reconnected before its old connection closed",
             (unsigned long long)id);
    snprintf(detail, sizeof detail, " (last from %s, the old one from %s)", dp->pub.address, old_address);
    if (ken_log_repeat_key(key, KEN_LOG_WARNING, LOG_MOD, subject, detail))
        ken_log(KEN_LOG_WARNING, LOG_MOD, "datapath %016llx reconnected from %s: closing the old connection from %s",
                (unsigned long long)id, dp->pub.address, old_address);
    if (job) {
        loop_post(&old->io->loop, &job->job);
        return false;
    }
    /* On this thread old is still live (closing takes it out of the
     * registry), and closing it at once keeps the two connections' events
     * in order. */
    conn_close(&old->conn, REPLACED);
    return true;
}

size_t ken_controller_n_connections(struct ken_controller *c) { return atomic_load(&c->n_conns); }

/* ---- backpressure ---- */

static struct ken_log_repeat pause_repeat;

static void ctl_pause(struct io_shard *io, struct dp *dp)
{
    if (!dp || dp->conn.closed || dp->bp_paused)
        return;
    dp->bp_paused = true;
    conn_pause_reads(&dp->conn, true);
    io->n_paused++;
}

/* The switches that fed a full app lately stop together (one scan per
 * newly full app): letting the others read on would pile their reads up
 * in its queue. Switches feeding other apps only go on. Each I/O thread
 * pauses its own switches, when its own events find the queue full. */
static void ctl_congested(struct io_shard *io, struct dp *src, uint64_t over)
{
    ctl_pause(io, src);
    if (!(over & ~io->paused_for))
        return;
    io->paused_for |= over;
    for (struct dp *dp = io->dps; dp; dp = dp->next)
        if (dp->feeds & over)
            ctl_pause(io, dp);
    if (ken_log_repeat_hit(&pause_repeat, KEN_LOG_INFO, LOG_MOD)) {
        ken_log(KEN_LOG_INFO, LOG_MOD, "an app queue is full: reading paused on the %zu switches that feed it",
                io->n_paused);
        ken_log_repeat_start(&pause_repeat, KEN_LOG_INFO, LOG_MOD, "an app queue was full again: reading paused",
                             "");
    }
}

static void ctl_unpause(struct dp *dp)
{
    if (!dp->bp_paused)
        return;
    dp->bp_paused = false;
    dp->io->n_paused--;
    conn_pause_reads(&dp->conn, dp->held);
}

/* An app drained: every paused switch reads again. One that still feeds
 * a full queue is paused again by its next read (one read's worth of
 * events past the watermark, counted). */
static void ctl_drain_job(struct loop_job *job)
{
    struct io_shard *io = (struct io_shard *)((char *)job - offsetof(struct io_shard, drain_job));
    atomic_store(&io->drain_posted, false);
    io->paused_for = 0;
    if (!io->n_paused)
        return;
    for (struct dp *dp = io->dps, *next; dp; dp = next) {
        next = dp->next; /* a read may close dp */
        if (!dp->bp_paused)
            continue;
        ctl_unpause(dp);
        if (dp->conn.tls && !dp->held)
            conn_read_tls_pending(&dp->conn);
    }
}

/* Runs on the drained app's thread: hand over to every I/O thread. */
static void ctl_on_drain(struct ken_app *app, void *arg)
{
    (void)app;
    struct ken_controller *c = arg;
    for (unsigned i = 0; i < c->n_io; i++)
        if (!atomic_exchange(&c->io[i].drain_posted, true))
            loop_post(&c->io[i].loop, &c->io[i].drain_job);
}

/* ---- idle connections ---- */

/* A connection that neither read nor wrote for a whole sweep interval is
 * idle: it gives its buffers back (they are made again at the next read),
 * so a thousand quiet switches cost little memory. */
#define IDLE_SWEEP_MS 2000

static void ctl_idle_sweep(struct loop_timer *t)
{
    struct io_shard *io = (struct io_shard *)((char *)t - offsetof(struct io_shard, idle_timer));
    for (struct dp *dp = io->dps; dp; dp = dp->next) {
        if (!dp->conn.active && !dp->conn.closed)
            conn_trim_idle(&dp->conn);
        dp->feeds = 0; /* what it feeds is learnt again from its next reads */
        dp->conn.active = false;
    }
    loop_timer_start(&io->loop, t, IDLE_SWEEP_MS);
}

/* ---- a connection's callbacks: the transport reports, the owner acts ---- */

static void dp_conn_up(struct conn *cn) { ofp_conn_up(dp_of_conn(cn)); }

static void dp_conn_message(struct conn *cn, const uint8_t *msg, size_t len)
{
    ofp_recv(dp_of_conn(cn), msg, len);
}

static void dp_conn_read_done(struct conn *cn) { ofp_recv_done(dp_of_conn(cn)); }

/* Process-wide (ken_controller_get_counters): connections come and go
 * rarely, so an atomic add costs nothing here. */
static _Atomic uint64_t n_connections, n_connection_errors;

void ken_controller_get_counters(struct ken_controller_counters *out)
{
    out->connections = atomic_load_explicit(&n_connections, memory_order_relaxed);
    out->connection_errors = atomic_load_explicit(&n_connection_errors, memory_order_relaxed);
}

/* The closes that are no error (ken/controller.h): every other reason is. */
static bool close_is_error(const struct dp *dp, const char *reason)
{
    static const char *const fine[] = {
        "connection closed by the switch",
        "closed by an app",
        "controller stopping",
        REPLACED,
    };
    if (dp->gave_up)
        return true;
    for (size_t i = 0; i < sizeof fine / sizeof fine[0]; i++)
        if (!strcmp(reason, fine[i]))
            return false;
    return true;
}

/* A connection's end, with its reason: the first time for a switch (its
 * datapath id, or its host before it has one) and reason, then summaries
 * while it keeps happening (a switch that keeps reconnecting). */
static void log_closed(const struct dp *dp, const char *reason)
{
    if (!ken_log_enabled(KEN_LOG_INFO, LOG_MOD))
        return;
    const char *address = dp->pub.address, *colon = strrchr(address, ':');
    int host_len = colon ? (int)(colon - address) : (int)strlen(address);
    char who[80], key[200], subject[128], detail[240];
    if (dp->id_known)
        snprintf(who, sizeof who, "datapath %016llx", (unsigned long long)dp->pub.id);
    else
        snprintf(who, sizeof who, "datapath from %.*s", host_len, address);
    snprintf(key, sizeof key, "closed %s: %s", who, reason);
    snprintf(subject, sizeof subject, "%s: connection closed again", who);
    snprintf(detail, sizeof detail, " (last from %s: %s)", address, reason);
    if (ken_log_repeat_key(key, KEN_LOG_INFO, LOG_MOD, subject, detail))
        ken_log(KEN_LOG_INFO, LOG_MOD, "datapath %s (%016llx): connection closed: %s", address,
                (unsigned long long)dp->pub.id, reason);
}

static void dp_conn_closed(struct conn *cn, const char *reason)
{
    struct dp *dp = dp_of_conn(cn);
    if (close_is_error(dp, reason))
        atomic_fetch_add_explicit(&n_connection_errors, 1, memory_order_relaxed);
    log_closed(dp, reason);
    ken_log_rl_report(&dp->log_bad_msg, KEN_LOG_INFO, LOG_MOD);
    ken_log_rl_report(&dp->log_ignored, KEN_LOG_DEBUG, LOG_MOD);
    ken_log_rl_report(&dp->log_switch_error, KEN_LOG_DEBUG, LOG_MOD);
    loop_timer_cancel(&dp->io->loop, &dp->echo_timer);
    ofp_conn_down(dp);
    ctl_dp_remove(dp);
    if (dp->peer)
        ctl_peer_lost(dp->peer);
    dp->peer = NULL;
    dp_release_later(dp);
}

static void dp_conn_hung_up_paused(struct conn *cn)
{
    struct dp *dp = dp_of_conn(cn);
    ctl_unpause(dp);
    conn_pause_reads(&dp->conn, false); /* held too: its end is read (and waits in held_msgs) */
}

static struct out_chunk *dp_conn_take(struct conn *cn) { return dp_outq_take(dp_of_conn(cn)); }

static void dp_conn_written(struct conn *cn, struct out_chunk *done, size_t n)
{
    dp_outq_done(dp_of_conn(cn), done, n);
}

static void dp_conn_drop(struct conn *cn, struct out_chunk *sending) { dp_outq_kill(dp_of_conn(cn), sending); }

static bool dp_conn_flush_posted(struct conn *cn) { return dp_flush_posted(dp_of_conn(cn)); }

static const struct conn_ops dp_conn_ops = {
    .up = dp_conn_up,
    .message = dp_conn_message,
    .read_done = dp_conn_read_done,
    .closed = dp_conn_closed,
    .hung_up_paused = dp_conn_hung_up_paused,
    .take = dp_conn_take,
    .written = dp_conn_written,
    .drop = dp_conn_drop,
    .flush_posted = dp_conn_flush_posted,
};

/* A new connection joins the live ones of its I/O thread and starts its
 * transport, with the handshake's deadline; on that thread. */
static void ctl_dp_start(struct dp *dp, SSL_CTX *tls, bool tls_server)
{
    ctl_dp_add(dp);
    conn_start(&dp->conn, tls, tls_server, ken_seconds_to_ms(dp->ctl->opt.handshake_timeout), "handshake timeout");
}

/* An accepted connection handed to another I/O thread. */
struct start_job {
    struct loop_job job;
    struct dp *dp;
    SSL_CTX *tls;
};

static void ctl_start_job(struct loop_job *job)
{
    struct start_job *j = (struct start_job *)job;
    ctl_dp_start(j->dp, j->tls, true);
    free(j);
}

/* The I/O thread with the fewest connections, from a rotating start so
 * that ties (a burst of switches) spread evenly. */
static struct io_shard *ctl_pick_io(struct ken_controller *c)
{
    struct io_shard *best = NULL;
    size_t best_n = 0;
    for (unsigned k = 0; k < c->n_io; k++) {
        struct io_shard *io = &c->io[(c->next_io + k) % c->n_io];
        size_t n = atomic_load_explicit(&io->n_conns, memory_order_relaxed);
        if (!best || n < best_n) {
            best = io;
            best_n = n;
        }
    }
    c->next_io = (c->next_io + 1) % c->n_io;
    return best;
}

/* On io[0]'s thread: a new connection goes to an I/O thread and starts
 * there. It counts at once, so the next accept sees it. */
static void ctl_dp_place(struct ken_controller *c, struct io_shard *io, int fd, const char *addr, SSL_CTX *tls)
{
    atomic_fetch_add_explicit(&n_connections, 1, memory_order_relaxed);
    atomic_fetch_add_explicit(&io->n_conns, 1, memory_order_relaxed);
    struct dp *dp = dp_new(io, fd, addr);
    if (io == &c->io[0]) {
        ctl_dp_start(dp, tls, true);
        return;
    }
    struct start_job *j = ken_xmalloc(sizeof *j);
    *j = (struct start_job){.job.run = ctl_start_job, .dp = dp, .tls = tls};
    loop_post(&io->loop, &j->job);
}

/* ---- addresses ---- */

static void format_address(const struct sockaddr *sa, char *out, size_t n)
{
    char host[INET6_ADDRSTRLEN] = "?";
    int port = 0;
    if (sa->sa_family == AF_INET) {
        const struct sockaddr_in *a = (const struct sockaddr_in *)sa;
        inet_ntop(AF_INET, &a->sin_addr, host, sizeof host);
        port = ntohs(a->sin_port);
        snprintf(out, n, "%s:%d", host, port);
        return;
    }
    const struct sockaddr_in6 *a = (const struct sockaddr_in6 *)sa;
    port = ntohs(a->sin6_port);
    if (IN6_IS_ADDR_V4MAPPED(&a->sin6_addr)) {
        inet_ntop(AF_INET, &a->sin6_addr.s6_addr[12], host, sizeof host);
        snprintf(out, n, "%s:%d", host, port);
        return;
    }
    inet_ntop(AF_INET6, &a->sin6_addr, host, sizeof host);
    snprintf(out, n, "[%s]:%d", host, port);
}

/* Host (an address or a name) and port into a socket address: the first
 * address getaddrinfo gives, the same for listen hosts and switches. */
static int resolve_host_port(const char *host, int port, bool passive, struct sockaddr_storage *ss, socklen_t *len)
{
    if (port < 0 || port > 65535)
        return EINVAL;
    struct addrinfo hints = {.ai_socktype = SOCK_STREAM, .ai_flags = passive ? AI_PASSIVE : 0}, *ai;
    char ports[8];
    snprintf(ports, sizeof ports, "%d", port);
    if (getaddrinfo(host, ports, &hints, &ai))
        return EINVAL;
    memset(ss, 0, sizeof *ss);
    memcpy(ss, ai->ai_addr, ai->ai_addrlen);
    *len = ai->ai_addrlen;
    freeaddrinfo(ai);
    return 0;
}

/* "tcp:HOST:PORT", "ssl:HOST:PORT", "HOST:PORT" or "[V6]:PORT". */
static int parse_switch_address(const char *s, struct peer *p)
{
    p->tls = false;
    if (!strncmp(s, "tcp:", 4)) {
        s += 4;
    } else if (!strncmp(s, "ssl:", 4)) {
        s += 4;
        p->tls = true;
    }
    const char *colon = strrchr(s, ':');
    if (!colon || colon == s)
        return EINVAL;
    char host[256];
    size_t hlen = (size_t)(colon - s);
    if (hlen >= sizeof host)
        return EINVAL;
    memcpy(host, s, hlen);
    host[hlen] = 0;
    char *h = host;
    if (h[0] == '[' && h[hlen - 1] == ']') {
        h[hlen - 1] = 0;
        h++;
    }
    long long port;
    if (ken_parse_integer(colon + 1, 0, 65535, &port))
        return EINVAL;
    return resolve_host_port(h, (int)port, false, &p->addr, &p->addr_len);
}

/* ---- listeners ---- */

static void listener_resume(struct listener *ln)
{
    if (!ln->accept_paused || atomic_load(&ln->ctl->stopping))
        return;
    ln->accept_paused = false;
    atomic_store_explicit(&ln->accept_paused_seen, false, memory_order_relaxed);
    loop_timer_cancel(&ln->ctl->io[0].loop, &ln->resume_timer);
    loop_pause_reads(&ln->ctl->io[0].loop, &ln->io, false);
}

static void listener_resume_tick(struct loop_timer *t)
{
    listener_resume((struct listener *)((char *)t - offsetof(struct listener, resume_timer)));
}

static void listeners_resume(struct ken_controller *c)
{
    for (size_t i = 0; i < c->n_listeners; i++)
        listener_resume(&c->listeners[i]);
}

static void listeners_resume_job(struct loop_job *job)
{
    struct ken_controller *c = (struct ken_controller *)((char *)job - offsetof(struct ken_controller, resume_job));
    atomic_store(&c->resume_posted, false);
    listeners_resume(c);
}

/* A descriptor is about to be free, on any I/O thread: the listeners
 * (io[0]'s) accept again if they had run out. */
static void listeners_resume_later(struct ken_controller *c)
{
    if (loop_on_thread(&c->io[0].loop)) {
        listeners_resume(c);
        return;
    }
    bool paused = false;
    for (size_t i = 0; i < c->n_listeners; i++)
        paused |= atomic_load_explicit(&c->listeners[i].accept_paused_seen, memory_order_relaxed);
    if (paused && !atomic_exchange(&c->resume_posted, true))
        loop_post(&c->io[0].loop, &c->resume_job);
}

/* Out of descriptors: the pending connection stays queued and the
 * listener readable, so accepting again at once would spin. Stop watching
 * it until a connection closes or a short while passed. */
static void listener_back_off(struct listener *ln, int err)
{
    if (!ln->accept_failing)
        KEN_LOG_WARNING(LOG_MOD, "accept on port %d: %s: accepting paused until a descriptor is freed", ln->port,
                        strerror(err));
    ln->accept_failing = true;
    ln->accept_paused = true;
    atomic_store_explicit(&ln->accept_paused_seen, true, memory_order_relaxed);
    loop_pause_reads(&ln->ctl->io[0].loop, &ln->io, true);
    loop_timer_start(&ln->ctl->io[0].loop, &ln->resume_timer, CTL_ACCEPT_RETRY_MS);
}

/* A new connection: the first one from its host logged, the next ones
 * summarised while they keep coming (a switch that keeps reconnecting;
 * each switch's arrival is logged by ken-manager, per datapath id). */
static void log_connection_from(const char *addr, bool tls)
{
    if (!ken_log_enabled(KEN_LOG_INFO, LOG_MOD))
        return;
    const char *colon = strrchr(addr, ':');
    int host_len = colon ? (int)(colon - addr) : (int)strlen(addr);
    char key[96], subject[96], detail[96];
    snprintf(key, sizeof key, "connection from %.*s", host_len, addr);
    snprintf(subject, sizeof subject, "%.*s: new connections again", host_len, addr);
    snprintf(detail, sizeof detail, " (last from %s%s)", addr, tls ? ", TLS" : "");
    if (ken_log_repeat_key(key, KEN_LOG_INFO, LOG_MOD, subject, detail))
        ken_log(KEN_LOG_INFO, LOG_MOD, "connection from %s%s", addr, tls ? " (TLS)" : "");
}

static void listener_on_accept(struct loop_io *io, uint32_t events)
{
    (void)events;
    struct listener *ln = (struct listener *)io;
    struct ken_controller *c = ln->ctl;
    while (!atomic_load_explicit(&c->stopping, memory_order_relaxed)) {
        struct sockaddr_storage ss;
        socklen_t len = sizeof ss;
        int fd = accept4(io->fd, (struct sockaddr *)&ss, &len, SOCK_NONBLOCK | SOCK_CLOEXEC);
        if (fd < 0) {
            int err = errno;
            if (err == EINTR || err == ECONNABORTED)
                continue;
            if (err == EMFILE || err == ENFILE || err == ENOBUFS || err == ENOMEM)
                listener_back_off(ln, err);
            else if (err != EAGAIN && err != EWOULDBLOCK)
                KEN_LOG_WARNING(LOG_MOD, "accept on port %d: %s", ln->port, strerror(err));
            return;
        }
        if (ln->accept_failing)
            KEN_LOG_INFO(LOG_MOD, "accept on port %d: accepting again", ln->port);
        ln->accept_failing = false;
        char addr[64];
        format_address((struct sockaddr *)&ss, addr, sizeof addr);
        log_connection_from(addr, ln->tls);
        ctl_dp_place(c, ctl_pick_io(c), fd, addr, ln->tls ? c->tls_server : NULL);
    }
}

static int listener_open(struct ken_controller *c, const char *host, int port, bool tls,
                         char why[KEN_CONTROLLER_WHY_LEN])
{
    struct sockaddr_storage ss;
    socklen_t len;
    bool any = !host;
    int fd = -1;
    if (any) {
        /* Dual-stack "::" where the host has IPv6, else 0.0.0.0. */
        resolve_host_port("::", port, true, &ss, &len);
        fd = socket(AF_INET6, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
        if (fd < 0)
            resolve_host_port("0.0.0.0", port, true, &ss, &len);
    } else if (resolve_host_port(host, port, true, &ss, &len)) {
        return fail(why, EINVAL, "bad listen host %s (%s)", host);
    }
    if (fd < 0)
        fd = socket(ss.ss_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (fd < 0)
        return fail(why, errno, "socket for %s: %s", host ? host : "any address");
    int one = 1, zero = 0;
    setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    if (ss.ss_family == AF_INET6 && any)
        setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &zero, sizeof zero);
    char name[80];
    format_address((struct sockaddr *)&ss, name, sizeof name);
    if (bind(fd, (struct sockaddr *)&ss, len) || listen(fd, 128) ||
        getsockname(fd, (struct sockaddr *)&ss, &len)) {
        int err = errno;
        close(fd);
        return fail(why, err, "cannot listen on %s: %s", name);
    }
    struct listener *ln = &c->listeners[c->n_listeners++];
    ln->ctl = c;
    ln->tls = tls;
    ln->port = ss.ss_family == AF_INET ? ntohs(((struct sockaddr_in *)&ss)->sin_port)
                                       : ntohs(((struct sockaddr_in6 *)&ss)->sin6_port);
    ln->io.fd = fd;
    ln->io.cb = listener_on_accept;
    loop_timer_init(&ln->resume_timer, listener_resume_tick);
    KEN_LOG_INFO(LOG_MOD, "listening on %s port %d%s", host ? host : "any address", ln->port, tls ? " (TLS)" : "");
    return loop_watch(&c->io[0].loop, &ln->io, EPOLLIN);
}

static int listeners_open(struct ken_controller *c, char why[KEN_CONTROLLER_WHY_LEN])
{
    const struct ken_controller_options *o = &c->opt;
    if (!o->listen)
        return 0;
    int err = 0;
    if (o->tcp_port == KEN_PORT_UNSET && o->ssl_port == KEN_PORT_UNSET) {
        /* OS-Ken: both the IANA port and the old one, TLS when configured. */
        bool tls = c->tls_server != NULL;
        err = listener_open(c, o->listen_host, KEN_OFP_TCP_PORT, tls, why);
        if (!err)
            err = listener_open(c, o->listen_host, KEN_OFP_TCP_PORT_OLD, tls, why);
        return err;
    }
    if (o->tcp_port != KEN_PORT_UNSET)
        err = listener_open(c, o->listen_host, o->tcp_port, false, why);
    if (!err && o->ssl_port != KEN_PORT_UNSET) {
        if (!c->tls_server) {
            snprintf(why, KEN_CONTROLLER_WHY_LEN, "ssl port %d needs ctl_privkey and ctl_cert", o->ssl_port);
            return EINVAL;
        }
        err = listener_open(c, o->listen_host, o->ssl_port, true, why);
    }
    return err;
}

static int listener_port(const struct ken_controller *c, bool tls)
{
    for (size_t i = 0; i < c->n_listeners; i++)
        if (c->listeners[i].tls == tls)
            return c->listeners[i].port;
    return -1;
}

int ken_controller_tcp_port(const struct ken_controller *c) { return listener_port(c, false); }
int ken_controller_ssl_port(const struct ken_controller *c) { return listener_port(c, true); }

/* ---- active mode ---- */

static void peer_connected(struct peer *p, int fd)
{
    if (atomic_load(&p->ctl->stopping)) {
        close(fd);
        return;
    }
    char addr[64];
    format_address((struct sockaddr *)&p->addr, addr, sizeof addr);
    /* On io[0], as its peer: its close reaches the peer on this thread. */
    atomic_fetch_add_explicit(&n_connections, 1, memory_order_relaxed);
    atomic_fetch_add_explicit(&p->ctl->io[0].n_conns, 1, memory_order_relaxed);
    struct dp *dp = dp_new(&p->ctl->io[0], fd, addr);
    /* Reconnecting (the switch closes, ken retries): summarised. */
    char key[96], subject[112];
    snprintf(key, sizeof key, "connected to %s", p->name);
    snprintf(subject, sizeof subject, "connected to switch %s again", p->name);
    if (ken_log_repeat_key(key, KEN_LOG_INFO, LOG_MOD, subject, ""))
        KEN_LOG_INFO(LOG_MOD, "connected to switch %s", p->name);
    dp->peer = p;
    p->dp = dp;
    ctl_dp_start(dp, p->tls ? p->ctl->tls_client : NULL, false);
}

static void peer_on_connect(struct loop_io *io, uint32_t events)
{
    (void)events;
    struct peer *p = (struct peer *)io;
    int err = 0;
    socklen_t len = sizeof err;
    getsockopt(io->fd, SOL_SOCKET, SO_ERROR, &err, &len);
    loop_unwatch(&p->ctl->io[0].loop, io);
    p->connecting = false;
    int fd = io->fd;
    io->fd = -1;
    if (err) {
        KEN_LOG_DEBUG(LOG_MOD, "connect to switch %s: %s", p->name, strerror(err));
        close(fd);
        ctl_peer_lost(p);
        return;
    }
    peer_connected(p, fd);
}

static void peer_connect(struct loop_timer *t)
{
    struct peer *p = (struct peer *)((char *)t - offsetof(struct peer, retry));
    int fd = socket(p->addr.ss_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (fd < 0) {
        ctl_peer_lost(p);
        return;
    }
    if (!connect(fd, (struct sockaddr *)&p->addr, p->addr_len)) {
        peer_connected(p, fd);
        return;
    }
    if (errno != EINPROGRESS) {
        KEN_LOG_DEBUG(LOG_MOD, "connect to switch %s: %s", p->name, strerror(errno));
        close(fd);
        ctl_peer_lost(p);
        return;
    }
    p->io.fd = fd;
    p->io.cb = peer_on_connect;
    p->connecting = true;
    loop_watch(&p->ctl->io[0].loop, &p->io, EPOLLOUT);
}

static void ctl_peer_lost(struct peer *p)
{
    p->dp = NULL;
    if (atomic_load(&p->ctl->stopping))
        return;
    loop_timer_start(&p->ctl->io[0].loop, &p->retry, ken_seconds_to_ms(p->ctl->opt.connect_interval));
}

static int peers_init(struct ken_controller *c, char why[KEN_CONTROLLER_WHY_LEN])
{
    const struct ken_controller_options *o = &c->opt;
    c->peers = ken_xcalloc(o->n_switch_addresses, sizeof *c->peers);
    for (size_t i = 0; i < o->n_switch_addresses; i++) {
        struct peer *p = &c->peers[i];
        p->ctl = c;
        p->io.fd = -1;
        snprintf(p->name, sizeof p->name, "%s", o->switch_addresses[i]);
        loop_timer_init(&p->retry, peer_connect);
        if (parse_switch_address(o->switch_addresses[i], p))
            return fail(why, EINVAL, "bad switch address %s (%s)", o->switch_addresses[i]);
        if (p->tls && !c->tls_client)
            return fail(why, EINVAL, "switch address %s needs TLS (%s)", o->switch_addresses[i]);
        c->n_peers++;
        loop_timer_start(&c->io[0].loop, &p->retry, 0);
    }
    return 0;
}

/* ---- start and stop ---- */

static const char *keep_string(struct ken_controller *c, const char *s)
{
    if (!s)
        return NULL;
    char *copy = ken_xstrdup(s);
    c->strings = ken_xrealloc(c->strings, (c->n_strings + 1) * sizeof *c->strings);
    c->strings[c->n_strings++] = copy;
    return copy;
}

static void copy_options(struct ken_controller *c, const struct ken_controller_options *o)
{
    c->opt = *o;
    c->opt.listen_host = keep_string(c, o->listen_host);
    c->opt.ctl_privkey = keep_string(c, o->ctl_privkey);
    c->opt.ctl_cert = keep_string(c, o->ctl_cert);
    c->opt.ca_certs = keep_string(c, o->ca_certs);
    c->opt.ciphers = keep_string(c, o->ciphers);
    const char **addrs = ken_xcalloc(o->n_switch_addresses, sizeof *addrs);
    for (size_t i = 0; i < o->n_switch_addresses; i++)
        addrs[i] = keep_string(c, o->switch_addresses[i]);
    c->opt.switch_addresses = addrs;
}

static int tls_init(struct ken_controller *c, char why[KEN_CONTROLLER_WHY_LEN])
{
    const struct ken_controller_options *o = &c->opt;
    bool server = o->ctl_privkey && o->ctl_cert;
    bool client = false;
    for (size_t i = 0; i < o->n_switch_addresses; i++)
        client = client || !strncmp(o->switch_addresses[i], "ssl:", 4);
    char tls_why[TLS_WHY_LEN];
    if (server && !(c->tls_server = tls_ctx_new(true, o->ctl_privkey, o->ctl_cert, o->ca_certs, o->ciphers, tls_why)))
        goto bad;
    if (client &&
        !(c->tls_client = tls_ctx_new(false, o->ctl_privkey, o->ctl_cert, o->ca_certs, o->ciphers, tls_why)))
        goto bad;
    return 0;
bad:
    snprintf(why, KEN_CONTROLLER_WHY_LEN, "%s", tls_why);
    return EINVAL;
}

/* The sockets go at stop (a new controller may bind the same ports); the
 * memory when the last datapath goes. */
static void controller_close_sockets(struct ken_controller *c)
{
    for (size_t i = 0; i < c->n_listeners; i++) {
        if (c->listeners[i].io.fd >= 0)
            close(c->listeners[i].io.fd);
        c->listeners[i].io.fd = -1;
    }
    for (size_t i = 0; i < c->n_peers; i++) {
        if (c->peers[i].io.fd >= 0)
            close(c->peers[i].io.fd);
        c->peers[i].io.fd = -1;
    }
}

static void controller_free(struct ken_controller *c)
{
    controller_close_sockets(c);
    free(c->peers);
    SSL_CTX_free(c->tls_server);
    SSL_CTX_free(c->tls_client);
    for (unsigned i = 0; i < c->n_io; i++) {
        if (c->io[i].loop_ready)
            loop_destroy(&c->io[i].loop);
        free(c->io[i].rbuf);
    }
    free(c->io);
    for (size_t i = 0; i < c->n_strings; i++)
        free(c->strings[i]);
    free(c->strings);
    free((void *)c->opt.switch_addresses);
    ken_mutex_destroy(&c->ids_lock);
    free(c);
    dp_out_pool_trim();
}

static void *controller_thread(void *arg)
{
    struct io_shard *io = arg;
    /* As the app threads: a batch thread, which a woken app thread does not
     * preempt and which does not preempt one (a switch's message arriving
     * mid-batch waits for the batch): on a shared CPU the two hand over
     * when one blocks, with whole batches. */
    struct sched_param sp = {0};
    pthread_setschedparam(pthread_self(), SCHED_BATCH, &sp);
    loop_run(&io->loop);
    return NULL;
}

/* A switch that goes away while OpenSSL writes to it raises SIGPIPE
 * (plain TCP sends with MSG_NOSIGNAL; SSL_write cannot), whose default
 * action ends the process: the controller ignores it unless the program
 * chose a disposition of its own. */
static void ignore_sigpipe(void)
{
    struct sigaction old;
    if (!sigaction(SIGPIPE, NULL, &old) && !(old.sa_flags & SA_SIGINFO) && old.sa_handler == SIG_DFL)
        signal(SIGPIPE, SIG_IGN);
}

/* --io-threads 0: half the CPUs this process may run on (the apps' threads
 * and the kernel's network work need the rest), at least one. */
static unsigned io_threads_auto(void)
{
    cpu_set_t set;
    int cpus = sched_getaffinity(0, sizeof set, &set) ? (int)sysconf(_SC_NPROCESSORS_ONLN) : CPU_COUNT(&set);
    unsigned n = cpus > 1 ? (unsigned)cpus / 2 : 1;
    return n > CTL_IO_THREADS_MAX ? CTL_IO_THREADS_MAX : n;
}

static void ctl_stop_job(struct loop_job *job);

static int io_init(struct ken_controller *c, struct io_shard *io, unsigned index)
{
    io->ctl = c;
    io->index = index;
    io->rbuf = ken_xmalloc(CTL_RBUF_SIZE);
    io->conn_shared = (struct conn_shared){.loop = &io->loop, .ops = &dp_conn_ops, .rbuf = io->rbuf,
                                           .rbuf_size = CTL_RBUF_SIZE,
                                           .socket_timeout_ms = ken_seconds_to_ms(c->opt.socket_timeout)};
    io->drain_job.run = ctl_drain_job;
    io->stop_job.run = ctl_stop_job;
    int err = loop_init(&io->loop);
    if (err)
        return err; /* loop_init cleaned up after itself */
    io->loop_ready = true;
    loop_timer_init(&io->idle_timer, ctl_idle_sweep);
    loop_timer_start(&io->loop, &io->idle_timer, IDLE_SWEEP_MS);
    return 0;
}

unsigned ken_controller_io_threads(const struct ken_controller *c) { return c->n_io; }

struct ken_controller *ken_controller_start(const struct ken_controller_options *o, char why[KEN_CONTROLLER_WHY_LEN])
{
    why[0] = 0;
    int err = ken_ofp_event_register();
    if (err) {
        snprintf(why, KEN_CONTROLLER_WHY_LEN, "cannot register the OpenFlow event classes");
        return NULL;
    }
    if (ken_controller_options_validate(o, why))
        return NULL;
    ken_controller_options_warn(o);
    ignore_sigpipe();
    struct ken_controller *c = ken_xcalloc(1, sizeof *c);
    atomic_init(&c->refs, 1);
    c->up.identified = ctl_dp_identified;
    c->up.congested = ctl_congested;
    c->up.last_unref = controller_free;
    ken_mutex_init(&c->ids_lock);
    c->resume_job.run = listeners_resume_job;
    copy_options(c, o);
    c->n_io = o->io_threads ? o->io_threads : io_threads_auto();
    c->io = ken_xcalloc(c->n_io, sizeof *c->io);
    for (unsigned i = 0; i < c->n_io && !err; i++)
        err = io_init(c, &c->io[i], i);
    if (err) {
        snprintf(why, KEN_CONTROLLER_WHY_LEN, "cannot create the I/O loop: %s", strerror(err));
        controller_free(c);
        return NULL;
    }
    err = tls_init(c, why);
    if (!err)
        err = listeners_open(c, why);
    if (!err)
        err = peers_init(c, why);
    for (unsigned i = 0; i < c->n_io && !err; i++) {
        err = pthread_create(&c->io[i].thread, NULL, controller_thread, &c->io[i]);
        c->io[i].thread_started = !err;
        if (!err) { /* named here, so that it has its name when start returns (top -H, ps -L) */
            char name[24]; /* the kernel keeps 15 characters; i < 64 */
            snprintf(name, sizeof name, "ken-io%u", i);
            pthread_setname_np(c->io[i].thread, name);
        }
    }
    if (err) {
        if (!why[0])
            snprintf(why, KEN_CONTROLLER_WHY_LEN, "cannot start the I/O threads: %s", strerror(err));
        for (unsigned i = 0; i < c->n_io; i++) {
            if (!c->io[i].thread_started)
                continue;
            loop_stop(&c->io[i].loop);
            pthread_join(c->io[i].thread, NULL);
        }
        controller_free(c);
        return NULL;
    }
    KEN_LOG_DEBUG(LOG_MOD, "%u I/O thread%s", c->n_io, c->n_io == 1 ? "" : "s");
    ken_runtime_set_drain_callback(ctl_on_drain, c);
    return c;
}

/* On each I/O thread: its connections go DEAD, then its loop ends. io[0]
 * runs first: it stops accepting and connecting, and only then posts the
 * others' stop (after every connection it handed them), so none starts a
 * connection that no one closes. */
static void ctl_stop_job(struct loop_job *job)
{
    struct io_shard *io = (struct io_shard *)((char *)job - offsetof(struct io_shard, stop_job));
    struct ken_controller *c = io->ctl;
    if (io->index == 0) {
        /* First no new connection: events of this same loop turn still
         * run (an accept, a connect completing) and would make one no one
         * closes. */
        atomic_store(&c->stopping, true);
        for (size_t i = 0; i < c->n_listeners; i++) {
            loop_unwatch(&io->loop, &c->listeners[i].io);
            loop_timer_cancel(&io->loop, &c->listeners[i].resume_timer);
        }
        for (size_t i = 0; i < c->n_peers; i++) {
            loop_timer_cancel(&io->loop, &c->peers[i].retry);
            if (c->peers[i].connecting)
                loop_unwatch(&io->loop, &c->peers[i].io);
        }
        for (unsigned i = 1; i < c->n_io; i++)
            loop_post(&c->io[i].loop, &c->io[i].stop_job);
    }
    while (io->dps)
        conn_close(&io->dps->conn, "controller stopping");
    loop_timer_cancel(&io->loop, &io->idle_timer);
    ev_flush(io);
    loop_stop(&io->loop);
}

void ken_controller_stop(struct ken_controller *c)
{
    if (!c)
        return;
    ken_runtime_set_drain_callback(NULL, NULL);
    loop_post(&c->io[0].loop, &c->io[0].stop_job);
    for (unsigned i = 0; i < c->n_io; i++)
        pthread_join(c->io[i].thread, NULL);
    controller_close_sockets(c);
    ctl_unref(c); /* freed now, or when apps drop their last datapath */
}
