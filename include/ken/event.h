/* Events and event classes: OS-Ken's EventBase hierarchy in C.
 *
 * An event is a struct whose first member is struct ken_event:
 *
 *     struct ev_host_seen {
 *         struct ken_event ev;      // first: the runtime sees only this
 *         uint8_t mac[6];
 *     };
 *
 * Every event has a class (a small integer id) and a reference count.
 * Once sent, an event is read-only: one object goes to every observer
 * without copies, and the last unref frees it (ev->free). Handlers get a
 * const pointer; a handler that keeps an event beyond its return takes a
 * reference (ken_event_ref) and drops it later (ken_event_unref).
 *
 * Classes form a tree rooted at EventBase. A handler for a class also
 * receives events of every subclass (set_ev_cls on a base class). The
 * runtime defines EventBase, EventRequestBase, EventReplyBase and
 * EventOFPMsgBase; the controller registers one EventOFP<Name> class per
 * OpenFlow message class at start-up (ken_ev_class_register_ofp); apps
 * define their own with KEN_EV_CLASS_DEFINE. */
#ifndef KEN_EVENT_H
#define KEN_EVENT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* ---- classes ---- */

/* A class id: 1..KEN_EV_CLASS_MAX-1; 0 means "no class". */
typedef uint16_t ken_ev_class_t;
#define KEN_EV_CLASS_MAX 1024

/* The runtime's classes have fixed ids. */
enum {
    KEN_EV_BASE = 1,          /* "EventBase": the root */
    KEN_EV_REQUEST_BASE = 2,  /* "EventRequestBase": struct ken_ev_request */
    KEN_EV_REPLY_BASE = 3,    /* "EventReplyBase": struct ken_ev_reply */
    KEN_EV_OFP_MSG_BASE = 4,  /* "EventOFPMsgBase": struct ken_ev_ofp_msg */
};

/* Registers a class by name under parent (any registered class). The name
 * is copied. Registering an existing name with the same parent returns the
 * existing id (so it is idempotent); with another parent it fails. Returns
 * the id, or 0 when the parent is unknown, the name is taken by a class of
 * another parent, or the table (KEN_EV_CLASS_MAX) is full. Safe from any
 * thread; apps already running start receiving the new class at once if
 * they handle one of its ancestors. */
ken_ev_class_t ken_ev_class_register(const char *name, ken_ev_class_t parent);
/* "OFPPacketIn" -> registers "EventOFPPacketIn" under EventOFPMsgBase. */
ken_ev_class_t ken_ev_class_register_ofp(const char *ofp_class_name);
/* The id of a class name ("EventOFPPacketIn"), 0 when unknown. */
ken_ev_class_t ken_ev_class_lookup(const char *name);
/* The id of "Event" + ofp_class_name, 0 when unknown. */
ken_ev_class_t ken_ev_class_lookup_ofp(const char *ofp_class_name);
/* The name of a class, "?" for an unknown id. */
const char *ken_ev_class_name(ken_ev_class_t cls);
/* The parent of a class; 0 for EventBase and unknown ids. */
ken_ev_class_t ken_ev_class_parent(ken_ev_class_t cls);
/* True when cls is ancestor or one of its subclasses. */
bool ken_ev_class_is_a(ken_ev_class_t cls, ken_ev_class_t ancestor);

/* A class defined in C (an app's own events). KEN_EV_CLASS_DEFINE creates
 * it and registers it when the program (or the shared object holding it)
 * is loaded; parents are registered first, whatever the order of the
 * constructors. Use var.id once main() runs (or in any app hook):
 *
 *     KEN_EV_CLASS_DEFINE(ev_host_seen_class, "EventHostSeen", ken_ev_base_class);
 *     ...
 *     ken_event_init(&e->ev, ev_host_seen_class.id, free_host_seen);
 */
struct ken_ev_class {
    const char *name;
    const struct ken_ev_class *parent;  /* NULL only for EventBase */
    ken_ev_class_t id;                  /* set by registration */
};
/* The runtime's classes, as parents for KEN_EV_CLASS_DEFINE. */
extern struct ken_ev_class ken_ev_base_class;
extern struct ken_ev_class ken_ev_request_base_class;
extern struct ken_ev_class ken_ev_reply_base_class;
extern struct ken_ev_class ken_ev_ofp_msg_base_class;

/* Registers a statically defined class (and its parents); returns its id
 * or 0 (see ken_ev_class_register). KEN_EV_CLASS_DEFINE calls it. */
ken_ev_class_t ken_ev_class_register_static(struct ken_ev_class *cls);

#define KEN_EV_CLASS_DECLARE(var) extern struct ken_ev_class var
#define KEN_EV_CLASS_DEFINE(var, name_str, parent_var) \
    struct ken_ev_class var = {name_str, &(parent_var), 0}; \
    __attribute__((constructor)) static void ken_ev_class_ctor_##var(void) \
    { \
        ken_ev_class_register_static(&var); \
    }

/* ---- events ---- */

struct ken_event {
    ken_ev_class_t cls;
    uint16_t padding;   /* zero */
    /* Changed only atomically (the __atomic builtins, which C and C++
     * share): ken_event_ref and ken_event_unref. */
    uint32_t refs;
    /* Called by the last unref: frees the object holding this header (and
     * its payload). NULL for an event that is not freed (static). */
    void (*free)(struct ken_event *ev);
};

/* Prepares an embedded header: one reference, owned by the caller. */
void ken_event_init(struct ken_event *ev, ken_ev_class_t cls, void (*free_fn)(struct ken_event *ev));

/* Allocates a zeroed event of size bytes (size >= sizeof(struct ken_event);
 * the header comes first) with one reference. fini (may be NULL) is called
 * before the memory is released, to free what the payload points to.
 * Small events come from per-thread caches (no malloc in the steady
 * state). Never NULL: running out of memory aborts (one rule for it). */
void *ken_event_new(ken_ev_class_t cls, size_t size, void (*fini)(struct ken_event *ev));
/* The same, zeroing only the first zeroed bytes: for events whose payload
 * the caller fills in whole anyway (a packet-in's decoded form and bytes),
 * where zeroing a kilobyte per event would cost more than the rest. */
void *ken_event_new_part(ken_ev_class_t cls, size_t size, size_t zeroed, void (*fini)(struct ken_event *ev));

static inline const struct ken_event *ken_event_ref(const struct ken_event *ev)
{
    __atomic_fetch_add(&((struct ken_event *)ev)->refs, 1, __ATOMIC_RELAXED);
    return ev;
}

/* Frees an event whose last reference is gone (ken_event_unref calls it). */
void ken_event_release(struct ken_event *ev);

static inline void ken_event_unref(const struct ken_event *ev)
{
    struct ken_event *e = (struct ken_event *)ev;
    if (!e)
        return;
    /* The last reference: the event's free, called here (what
     * ken_event_release does, without the call to it). A holder of the
     * only reference has nobody to race with: it frees without the atomic
     * subtraction (the acquire load still sees what earlier holders wrote
     * before they let go). */
    if ((__atomic_load_n(&e->refs, __ATOMIC_ACQUIRE) == 1 || __atomic_fetch_sub(&e->refs, 1, __ATOMIC_ACQ_REL) == 1) &&
        e->free)
        e->free(e);
}

static inline bool ken_event_is_a(const struct ken_event *ev, ken_ev_class_t ancestor)
{
    return ev->cls == ancestor || ken_ev_class_is_a(ev->cls, ancestor);
}

/* From a pointer to the header to the struct holding it. */
#define KEN_EVENT_CONTAINER(ev, type, member) \
    ((const type *)((const char *)(ev) - offsetof(type, member)))

/* ---- the runtime's event structs ---- */

/* EventRequestBase: embed it first in a request for ken_send_request(). */
struct ken_ev_request {
    struct ken_event ev;
    const char *dst;    /* the app that answers (set by the sender) */
    const void *dp;     /* the datapath the request is about, or NULL: the
                           request fails with ENOTCONN when the controller
                           reports it gone (ken_runtime_datapath_gone) */
    const char *src;    /* set by ken_send_request: the requesting app */
    uint64_t txn;       /* set by ken_send_request */
};

/* EventReplyBase: embed it first in a reply for ken_send_reply(). */
struct ken_ev_reply {
    struct ken_event ev;
    const char *dst;    /* the requesting app (informational) */
};

/* EventOFPMsgBase: the controller's EventOFP<Name> events start with this
 * (the controller's ken/ofp_event.h may extend it). */
struct ken_datapath;
struct ken_ev_ofp_msg {
    struct ken_event ev;
    struct ken_datapath *datapath;  /* the switch it came from (msg.datapath) */
    uint64_t timestamp_ns;          /* CLOCK_REALTIME when the event was made */
    const void *msg;                /* the message; its type is the controller's */
};

#endif
