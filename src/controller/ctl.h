/* The controller's private state: options, the I/O loop and its thread,
 * listeners, active-mode peers and the live connections. */
#ifndef KEN_CONTROLLER_CTL_H
#define KEN_CONTROLLER_CTL_H

#include <netinet/in.h>
#include <openssl/ssl.h>
#include <pthread.h>
#include <stdatomic.h>
#include <sys/socket.h>

#include "controller/conn.h"
#include "controller/loop.h"
#include "controller/ofp_event.h"
#include "runtime/lock.h"
#include "ken/controller.h"

struct dp;
struct ken_controller;

struct listener {
    struct loop_io io;
    struct ken_controller *ctl;
    bool tls;
    int port;
    /* Out of descriptors (EMFILE, ENFILE): the listener stays readable, so
     * accepting stops until a connection closes or resume_timer fires. */
    bool accept_paused;
    bool accept_failing;        /* logged once per episode */
    atomic_bool accept_paused_seen; /* accept_paused, for the other I/O threads */
    struct loop_timer resume_timer;
};

/* Active mode: a switch address we connect to, and reconnect to after
 * connect_interval whenever the connection fails or closes. */
struct peer {
    struct loop_io io;          /* the socket while connecting */
    struct ken_controller *ctl;
    struct sockaddr_storage addr;
    socklen_t addr_len;
    bool tls;
    bool connecting;
    char name[80];              /* as given, for logs */
    struct loop_timer retry;
    struct dp *dp;              /* the live connection, or NULL */
};

#define CTL_MAX_LISTENERS 4
/* The shared read buffer: a kept partial message (< 64 KiB) and a large
 * read after it. */
#ifndef CTL_RBUF_SIZE /* -DCTL_RBUF_SIZE=n to measure another size */
#define CTL_RBUF_SIZE (256 * 1024)
#endif
#define CTL_CLASS_CACHE_VERSIONS 7
#define CTL_CLASS_CACHE_TYPES 64
/* --io-threads: at most this many I/O threads. */
#define CTL_IO_THREADS_MAX 64

/* One I/O thread and what it owns: its loop, read buffer, event batch
 * and connections. A connection lives on one I/O thread from accept to
 * close, so its messages keep their order and its state needs no lock;
 * the threads share only the controller's options, the datapath id
 * registry and the apps' queues (which take any thread's events). */
struct io_shard {
    struct ken_controller *ctl;
    unsigned index;
    struct loop loop;
    bool loop_ready;            /* loop_init succeeded: loop_destroy at the end */
    pthread_t thread;
    bool thread_started;
    uint8_t *rbuf;              /* CTL_RBUF_SIZE bytes: its connections read here */
    struct conn_shared conn_shared;  /* what its connections use: loop, callbacks, rbuf */
    struct ev_batch batch;      /* events not yet handed to the runtime */
    struct dp *dps;             /* its live connections (its thread only) */
    atomic_size_t n_conns;      /* read by the acceptor to spread connections */
    struct {
        ken_ev_class_t id;
        const char *name;
    } class_cache[CTL_CLASS_CACHE_VERSIONS][CTL_CLASS_CACHE_TYPES];
    size_t n_paused;            /* connections whose reads are paused */
    uint64_t paused_for;        /* slots of the full apps whose feeders are paused */
    struct loop_timer idle_timer;  /* the sweep that trims idle connections */
    atomic_bool drain_posted;
    struct loop_job drain_job;
    struct loop_job stop_job;
};

struct ken_controller {
    /* One reference from ken_controller_start (dropped by stop), one per
     * datapath: its memory (options, loops, TLS contexts) outlives every
     * datapath and so every send an app may still make. */
    atomic_uint refs;
    struct ken_controller_options opt;  /* strings point into strings[] */
    char **strings;
    size_t n_strings;
    /* io[0] also runs the listeners, the active-mode peers (and their
     * connections) and the stop; accepted connections are spread over
     * all of them. */
    struct io_shard *io;
    unsigned n_io;
    unsigned next_io;           /* round-robin start for the next accept (io[0]'s thread) */
    SSL_CTX *tls_server, *tls_client;
    struct listener listeners[CTL_MAX_LISTENERS];
    size_t n_listeners;
    struct peer *peers;
    size_t n_peers;
    atomic_size_t n_conns;
    /* Identified datapaths of every I/O thread, to find a switch's old
     * connection when it reconnects (rare: a lock is cheap here). */
    struct ken_mutex ids_lock;
    struct dp *ids;             /* under ids_lock */
    _Atomic bool stopping;      /* the stop began: no new connection */
    atomic_bool resume_posted;  /* resume_job is queued on io[0] */
    struct loop_job resume_job; /* the listeners accept again (a descriptor was freed) */
    /* What the files below controller.c report upward (its functions,
     * set at start): they call no function of controller.c. */
    struct {
        /* ofp_handler.c: a features reply gave dp its datapath id. False
         * when dp must wait (held) for an old connection to go DEAD on
         * another I/O thread: ofp_resume_held(dp) runs on dp's thread
         * once it has. */
        bool (*identified)(struct dp *dp);
        /* ofp_event.c: src's events took the apps in over (slot bits)
         * past their high watermark. */
        void (*congested)(struct io_shard *io, struct dp *src, uint64_t over);
        /* datapath.c (via ctl_unref): the last reference went. */
        void (*last_unref)(struct ken_controller *c);
    } up;
};

/* References to the controller's memory (any thread): one from start,
 * one per datapath; the last unref frees it. */
static inline void ctl_ref(struct ken_controller *c)
{
    atomic_fetch_add_explicit(&c->refs, 1, memory_order_relaxed);
}

static inline void ctl_unref(struct ken_controller *c)
{
    if (atomic_fetch_sub_explicit(&c->refs, 1, memory_order_acq_rel) == 1)
        c->up.last_unref(c);
}

/* controller.c declares nothing here: the files below report to it
 * through ctl->up, and the public API is ken/controller.h. */

/* Retry after running out of descriptors (EMFILE): how long accepting
 * waits when no connection closes in the meantime. */
#define CTL_ACCEPT_RETRY_MS 250

#endif
