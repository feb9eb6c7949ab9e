/* Apps: OS-Ken's OSKenApp model in C.
 *
 * An app is a static descriptor: a name, the OpenFlow versions it speaks,
 * the contexts and apps it needs, start/stop hooks and its handlers.
 * Apps are singletons. Each running app has one thread and one FIFO receive
 * queue; the thread calls, for each event in order, the app's handlers for
 * the event's class or any ancestor class (in the order they are listed).
 * A handler that blocks stops only its own app.
 *
 *     static void on_packet_in(struct ken_app *app, const struct ken_event *ev) { ... }
 *
 *     static const struct ken_app_desc simple_switch = {
 *         .name = "simple_switch_13",
 *         .ofp_versions = KEN_APP_OFP(KEN_OFP13),
 *         .handlers = (const struct ken_handler[]) {
 *             {"EventOFPPacketIn", KEN_PHASE_MAIN, on_packet_in},
 *             {NULL, 0, NULL},
 *         },
 *     };
 *     KEN_APP_REGISTER(simple_switch);
 *
 * See docs/apps.md for every feature with a runnable example. */
#ifndef KEN_APP_H
#define KEN_APP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ken/datapath.h"
#include "ken/event.h"
#include "ken/ofp.h"

struct ken_app;
struct ken_route;

/* ---- phases ---- */

/* The negotiation phases are the bits of enum ken_phase (ken/datapath.h):
 * KEN_PHASE_HANDSHAKE, _CONFIG, _MAIN, _DEAD (OS-Ken's HANDSHAKE_DISPATCHER,
 * CONFIG_DISPATCHER, MAIN_DISPATCHER, DEAD_DISPATCHER). A handler's phases
 * are an OR of them; 0 means every phase. */
/* The "phase" argument of the send calls: one KEN_PHASE_* bit, or
 * KEN_PHASE_ANY to reach every observer of the class. A handler sees an
 * event when its set holds that phase (or its set is 0).
 *
 * The phase rule (OS-Ken's): an OpenFlow message event carries the phase
 * the datapath was in when the message arrived. So for a message whose
 * handling changes the phase, the phase BEFORE the change decides: the
 * features reply arrives in CONFIG and moves the switch to MAIN, yet it is
 * sent with KEN_PHASE_CONFIG, and a handler registered for MAIN does not
 * see it. EventOFPStateChange, which announces a change, goes to the
 * handlers of the phase entered (as OS-Ken: [MAIN, DEAD] sees a switch
 * come up and go away) and of the phase left (so MAIN also sees MAIN ->
 * DEAD); the event carries both. */
#define KEN_PHASE_ANY 0u

/* ---- descriptors ---- */

typedef void (*ken_handler_fn)(struct ken_app *app, const struct ken_event *ev);

struct ken_handler {
    const char *ev_class;   /* class name, e.g. "EventOFPPacketIn" */
    uint32_t phases;        /* KEN_PHASE_* bits; 0 = every phase */
    ken_handler_fn fn;
};

/* A bit per OpenFlow wire version (KEN_OFP10 = 1 ... KEN_OFP15 = 6). */
#define KEN_APP_OFP(version) (1u << (version))

struct ken_app_desc {
    const char *name;
    /* KEN_APP_OFP() bits of the versions the app speaks; 0 = all. The
     * app hears of a switch (its OpenFlow messages, EventOFPStateChange,
     * EventOFPPortStateChange) only when it speaks the switch's
     * negotiated version: with simple_switch (1.0) and simple_switch_13
     * (1.3) loaded, a 1.0 switch is simple_switch's alone. Before hello
     * negotiation (the HANDSHAKE state change, and the DEAD one of a
     * switch that agreed on no version) every app hears of it. */
    uint32_t ofp_versions;
    /* NULL-terminated lists of names, or NULL. A context is created once
     * and shared by every app that names it (see ken_context_type); a name
     * that is no context type but an app is loaded as a required app, and
     * the context is that app's data (ken_app_data). */
    const char *const *contexts;
    const char *const *required_apps;
    /* Called on the loading thread once every app being loaded is an
     * observer and before any app thread runs (the app's queue already
     * accepts events). Nonzero (an errno) fails the load. May be NULL. */
    int (*start)(struct ken_app *app);
    /* Called after the app's thread is joined (no handler runs any more).
     * May be NULL. */
    void (*stop)(struct ken_app *app);
    /* Terminated by an entry whose ev_class is NULL. */
    const struct ken_handler *handlers;
    /* The queue's high watermark: senders that can wait block at this
     * depth; 0 = KEN_QUEUE_DEFAULT. The low watermark is a quarter of it. */
    uint32_t queue_len;
    /* KEN_APP_* flags, or 0. */
    uint32_t flags;
    /* REST routes (ken/wsapi.h), ended by an entry whose path is NULL; or
     * NULL. Their handlers run on the app's thread like its other handlers. */
    const struct ken_route *routes;
};

/* The app's handlers never block: they do not call ken_send_request (it
 * fails with EDEADLK for them), sleep, or wait for anything slow. The
 * runtime may then run a handler on the thread that sent the event (the
 * controller's I/O thread for OpenFlow messages) when the app is idle and
 * its queue empty, which saves the hand-off to the app's thread: about a
 * third of the cost of a packet-in answered alone. Handlers still run one
 * at a time and in order; events that arrive while one runs are queued for
 * the app's thread as usual. Sends from these handlers never wait for a
 * full queue (they go past the high watermark, counted as backpressure).
 * ken_runtime_set_inline_handlers(false) (ken-manager
 * --no-inline-handlers) keeps every handler on its app's thread. */
#define KEN_APP_NONBLOCKING (1u << 0)

/* The app takes the OpenFlow message events of switches where this
 * instance is SLAVE in a cluster (ken/cluster.h); without it, it hears
 * only of the switches it is master of (or all, without a cluster). */
#define KEN_APP_SLAVE_EVENTS (1u << 1)

#define KEN_QUEUE_DEFAULT 8192

/* Adds a descriptor to the registry of apps that can be loaded by name.
 * Returns 0, or EEXIST when another descriptor has that name. Called by
 * KEN_APP_REGISTER when the program or shared object is loaded. */
int ken_app_register(const struct ken_app_desc *desc);
/* The names of the apps built into the program (not from shared objects),
 * sorted, the first max of them in names; returns how many there are. For
 * telling what there is when a name is unknown. */
size_t ken_app_builtin_names(const char **names, size_t max);

#define KEN_APP_REGISTER(desc) \
    __attribute__((constructor)) static void ken_app_ctor_##desc(void) \
    { \
        ken_app_register(&(desc)); \
    }

/* ---- contexts ---- */

struct ken_context_type {
    const char *name;
    void *(*create)(void);        /* NULL return fails the load */
    void (*destroy)(void *obj);   /* at ken_runtime_shutdown(); may be NULL */
};

int ken_context_register(const struct ken_context_type *type);

#define KEN_CONTEXT_REGISTER(type) \
    __attribute__((constructor)) static void ken_context_ctor_##type(void) \
    { \
        ken_context_register(&(type)); \
    }

/* ---- loading and stopping ---- */

/* Loads and starts apps, with the apps and contexts they need, in
 * dependency order (a required app starts before the app requiring it).
 * A name containing '/' or ending in ".so" is a shared object: it is
 * opened, its KEN_APP_REGISTER descriptors are registered, and the first
 * of them by name is loaded. Apps already running are left alone.
 * Returns 0, or an errno with a one-line reason in why (may be NULL):
 * ENOENT for a missing app or context, ELOOP for a dependency cycle,
 * EINVAL for a handler naming an unknown event class, or the error of a
 * start hook. On failure nothing of this call stays loaded. */
int ken_app_load(const char *const *names, size_t n, char why[KEN_WHY_LEN]);
static inline int ken_app_load_one(const char *name, char why[KEN_WHY_LEN])
{
    return ken_app_load(&name, 1, why);
}

/* How ken_app_unload and ken_runtime_stop_all treat queued events. */
enum ken_stop_mode {
    KEN_STOP_DRAIN,    /* handle every event already queued, then stop */
    KEN_STOP_DISCARD,  /* drop them (counted in ken_app_stats.discarded) */
};

/* Stops one app: no more events are accepted (senders get ESRCH), the
 * thread is joined, the stop hook runs, and pending requests to it fail
 * with ESRCH. Returns 0, ESRCH (not running) or EDEADLK (called from the
 * app's own thread). The app's memory stays valid (its stats remain
 * readable) until ken_runtime_shutdown(). */
int ken_app_unload(const char *name, enum ken_stop_mode mode);
/* Stops every app, dependents before what they depend on. */
void ken_runtime_stop_all(enum ken_stop_mode mode);
/* Stops every app (draining) and frees everything: apps, contexts, shared
 * objects and what they registered, cached event memory. Built-in apps,
 * context types and event classes stay registered (class ids stay valid),
 * so apps can be loaded again. Call when no other thread sends events. */
void ken_runtime_shutdown(void);

/* The OpenFlow versions the controller offers switches, as KEN_APP_OFP()
 * bits: the union of the running apps' ofp_versions (apps with 0 widen
 * nothing); ~0u when none restricts. OS-Ken takes the intersection. */
uint32_t ken_runtime_ofp_versions(void);
/* The names of the running apps that name their versions (the apps that
 * set ken_runtime_ofp_versions), comma-separated in buf (cut to len);
 * returns how many there are. For saying why a switch was refused. */
size_t ken_runtime_ofp_version_apps(char *buf, size_t len);

/* Whether senders may run the handlers of KEN_APP_NONBLOCKING apps
 * themselves (the default). Off, every handler runs on its app's thread. */
void ken_runtime_set_inline_handlers(bool on);

/* Logs each event handed to an app, at debug level under "events", as
 * Ryu does: "EVENT ofp_event->simple_switch_13 EventOFPPacketIn" (sender
 * ofp_event: the controller; "-": another thread that is no app's). Off by
 * default; ken-manager --trace-events (implied by --verbose) turns it on. */
void ken_runtime_set_event_trace(bool on);

/* ---- the app at hand ---- */

/* The running (or stopped) app of that name, NULL when never loaded. */
struct ken_app *ken_app_lookup(const char *name);
/* The app whose thread calls this, NULL on other threads. */
struct ken_app *ken_app_self(void);
const char *ken_app_name(const struct ken_app *app);
const struct ken_app_desc *ken_app_desc(const struct ken_app *app);
bool ken_app_running(const struct ken_app *app);
/* The app's own state: set it in the start hook, read it in handlers. */
void ken_app_set_data(struct ken_app *app, void *data);
void *ken_app_data(const struct ken_app *app);
/* A context the app listed, NULL when it did not. */
void *ken_app_context(const struct ken_app *app, const char *name);

/* ---- sending events ----
 *
 * Every send call takes over the caller's reference to the event: the
 * caller must not touch the event afterwards (take a reference first to
 * keep it). Senders that can wait (app threads, other threads) block while
 * a receiving queue is at its high watermark; an app sending to itself
 * never blocks. (The controller's I/O thread, which must never block,
 * posts through the runtime's internal calls instead.) */

/* To one app (OS-Ken's send_event). 0, or ESRCH when the app is not
 * running (the event is released). */
int ken_send_event(const char *dst, struct ken_event *ev);
int ken_app_send(struct ken_app *dst, struct ken_event *ev, uint32_t phase);

/* To every app with a handler for the event's class (or an ancestor) whose
 * phases hold phase (KEN_PHASE_ANY: all of them). */
void ken_send_event_to_observers(struct ken_event *ev, uint32_t phase);
/* The same for many events, one queue lock per receiving app per batch.
 * Each app receives its events in array order. */
void ken_send_events_to_observers(struct ken_event *const *evs, size_t n, uint32_t phase);

/* ---- work at the end of a batch ----
 *
 * An app thread takes the events waiting in its queue in one go and
 * handles them one after another; what its handlers send to switches goes
 * out once the batch is done (or before the thread blocks in the runtime).
 * A handler about to wait for something on its own (a lock, a sleep, its
 * own condition) that needs what it sent to be on its way calls this
 * first. Anywhere else it does nothing. */
void ken_app_flush(void);

/* ---- requests and replies ---- */

/* Sends req (a struct ken_ev_request with dst set) to the app req->dst and
 * waits for its reply on a queue of this transaction alone. Returns 0 with
 * *reply (one reference, yours) or, with *reply NULL: ETIMEDOUT after
 * timeout_ms (< 0: no timeout); ESRCH at once when the app is not running
 * or stops before answering; ENOTCONN at once when req->dp is reported
 * gone; ENOSYS when the app has no handler for the request's class;
 * EDEADLK when an app requests from itself or a KEN_APP_NONBLOCKING app's
 * handler requests at all. Takes over the reference to req. */
int ken_send_request(struct ken_ev_request *req, int timeout_ms, struct ken_event **reply);
/* Whether the calling thread may block waiting for a reply: false in a
 * KEN_APP_NONBLOCKING app's handler. The rule ken_send_request and
 * ken_datapath_request (ken/datapath.h) refuse with EDEADLK. */
bool ken_runtime_may_wait(void);
/* Answers a request (usually from the handler that received it). Takes
 * over the reference to rep. Returns 0, or ENOENT when the requester no
 * longer waits (timed out, datapath gone): the reply is then released. */
int ken_send_reply(const struct ken_ev_request *req, struct ken_event *rep);

/* ---- counters ---- */

struct ken_app_stats {
    uint64_t enqueued;          /* events accepted into the queue */
    uint64_t dispatched;        /* events taken off the queue and handled */
    uint64_t discarded;         /* refused (app stopped) or dropped at stop */
    uint64_t backpressure;      /* episodes of reaching the high watermark */
    uint64_t blocked_sends;     /* times a sender waited for room */
    uint32_t depth;             /* events queued or being handled now */
    uint32_t max_depth;         /* the highest depth seen */
    uint32_t high_watermark, low_watermark;
    /* Wall time spent in the app's handlers (and timer callbacks), on its
     * thread and inline on senders' threads: measured around each batch
     * of events handled in one go (two clock reads per batch, not per
     * event), so it includes the release of the batch's events. A handler
     * that blocks (a request, a sleep) counts its wait. */
    uint64_t handler_ns;
};

void ken_app_get_stats(const struct ken_app *app, struct ken_app_stats *out);

/* The running apps in start order (required apps before those that need
 * them): up to max of them into out; returns how many run. App objects
 * stay valid until ken_runtime_shutdown(), stopped or not. */
size_t ken_app_list(struct ken_app **out, size_t max);

#endif
