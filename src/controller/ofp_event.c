/* EventOFP<Name> classes and the events the controller sends to apps. */
#include <errno.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "controller/ctl.h"
#include "controller/dp.h"
#include "controller/ofp_event.h"
#include "runtime/runtime.h"
#include "ken/app.h"
#include "ken/cluster.h"
#include "ken/ofp_event.h"
#include "ken/ofp_typed.h"
#include "ken/wire.h"

KEN_EV_CLASS_DEFINE(ken_ev_ofp_state_change_class, "EventOFPStateChange", ken_ev_base_class)
KEN_EV_CLASS_DEFINE(ken_ev_ofp_port_state_change_class, "EventOFPPortStateChange", ken_ev_base_class)

static void register_one(const char *cls, void *arg)
{
    if (!ken_ev_class_register_ofp(cls))
        *(int *)arg = ENOSPC;
}

/* Class names OS-Ken has events for but ken's codec has no message of
 * (base classes, Nicira forms): registered so that apps naming them load;
 * they never fire. */
static const char *const osken_only_names[] = {
    "OFPMultipartRequest", "OFPMultipartReply", "OFPFlowStatsRequestBase", "OFPExperimenterStatsRequestBase",
    "OFPFlowMonitorRequestBase", "NiciraHeader", "NXStatsRequest", "NXStatsReply", "NXFlowStatsRequest",
    "NXFlowStatsReply", "NXAggregateStatsRequest", "NXAggregateStatsReply", "NXTFlowMod", "NXTFlowRemoved",
    "NXTPacketIn", "NXTPacketIn2", "NXTSetPacketInFormatMsg", "ONFBundleAddMsg", "ONFBundleCtrlMsg",
};

int ken_ofp_event_register(void)
{
    int err = 0;
    ken_ofp_foreach_msg_class(register_one, &err);
    for (size_t i = 0; i < sizeof osken_only_names / sizeof osken_only_names[0]; i++)
        register_one(osken_only_names[i], &err);
    if (!ken_ev_class_register_static(&ken_ev_ofp_state_change_class) ||
        !ken_ev_class_register_static(&ken_ev_ofp_port_state_change_class))
        err = ENOSPC;
    return err;
}

/* At program load, so apps naming EventOFP* classes load without a call
 * from main() (the class table is static and lives for the process). */
__attribute__((constructor)) static void ofp_event_register_at_load(void) { ken_ofp_event_register(); }

const char *ken_phase_name(int phase)
{
    switch (phase) {
    case KEN_PHASE_HANDSHAKE: return "handshake";
    case KEN_PHASE_CONFIG: return "config";
    case KEN_PHASE_MAIN: return "main";
    case KEN_PHASE_DEAD: return "dead";
    default: return "?";
    }
}

int ken_ofp_msg_to_json(const struct ken_ofp_msg *msg, struct json_object **out, char why[KEN_WHY_LEN])
{
    return ken_ofp_to_json(msg->data, msg->len, out, why);
}

/* Types whose class depends on more than (version, type): errors (the
 * experimenter form), experimenter messages and multipart. */
static bool type_has_subtypes(uint8_t version, uint8_t type)
{
    const struct ken_ofproto *p = ken_ofproto_get(version);
    return type == p->OFPT_ERROR || type == p->OFPT_EXPERIMENTER || type == p->OFPT_MULTIPART_REQUEST ||
           type == p->OFPT_MULTIPART_REPLY;
}

/* The class of a message the cache knows, 0 otherwise. Only cacheable
 * (version, type) pairs are ever filled in: a hit needs no more checks. */
static inline ken_ev_class_t class_cached(const struct io_shard *c, const uint8_t *msg, const char **cls)
{
    uint8_t version = msg[0], type = msg[1];
    if (version >= CTL_CLASS_CACHE_VERSIONS || type >= CTL_CLASS_CACHE_TYPES || !c->class_cache[version][type].id)
        return 0;
    *cls = c->class_cache[version][type].name;
    return c->class_cache[version][type].id;
}

static __attribute__((noinline)) ken_ev_class_t class_lookup(struct io_shard *c, const uint8_t *msg, size_t len,
                                                             const char **cls)
{
    uint8_t version = msg[0], type = msg[1];
    bool cacheable = version < CTL_CLASS_CACHE_VERSIONS && type < CTL_CLASS_CACHE_TYPES &&
                     ken_ofp_version_supported(version) && !type_has_subtypes(version, type);
    *cls = ken_ofp_msg_class(msg, len);
    ken_ev_class_t id = *cls ? ken_ev_class_lookup_ofp(*cls) : 0;
    if (cacheable && id) {
        c->class_cache[version][type].id = id;
        c->class_cache[version][type].name = *cls;
    }
    return id;
}

ken_ev_class_t ev_ofp_class(struct io_shard *c, const uint8_t *msg, size_t len, const char **cls)
{
    ken_ev_class_t id = class_cached(c, msg, cls);
    return id ? id : class_lookup(c, msg, len, cls);
}

/* The typed message, decoded on first use by any app's thread and kept:
 * the first decoder to finish publishes it, the others drop theirs. It
 * sits right after struct ken_ev_ofp. */
struct ev_ofp_typed {
    _Atomic(struct ev_ofp_decoded *) decoded;
};
struct ev_ofp_decoded {
    struct ken_arena arena;
    enum ken_ofp_class cls;
    void *msg;   /* NULL when the message has no typed layout or does not decode */
};

static struct ev_ofp_typed *ev_typed(const struct ken_ev_ofp *e) { return (struct ev_ofp_typed *)(e + 1); }

/* The datapath references of the message events an app's batch frees:
 * a run of one switch's events gives its references back with one atomic
 * subtraction, when the batch ends (a batch hook: app threads and inline
 * runs both run their hooks then), not one per event. The batch takes
 * them the same way (ev_flush). */
struct dp_release {
    struct ken_batch_hook hook;
    struct dp *dp;
    unsigned n;
    bool hooked;
};
static _Thread_local struct dp_release tls_release;

static void dp_release_flush(struct ken_batch_hook *hook)
{
    struct dp_release *r = (struct dp_release *)hook;
    r->hooked = false;
    if (r->n) {
        struct dp *dp = r->dp;
        unsigned n = r->n;
        r->dp = NULL;
        r->n = 0;
        dp_unref_n(dp, n); /* may free dp: the record is cleared first */
    }
}

static void dp_release_in_batch(struct dp *dp)
{
    struct dp_release *r = &tls_release;
    if (__builtin_expect(r->hooked && r->dp == dp, 1)) { /* the run goes on */
        r->n++;
        return;
    }
    if (!ken_app_self()) { /* no batch to end on this thread */
        dp_unref(dp);
        return;
    }
    if (r->dp != dp) {
        if (r->n)
            dp_unref_n(r->dp, r->n);
        r->dp = dp;
        r->n = 0;
    }
    r->n++;
    if (!r->hooked) {
        r->hooked = true;
        r->hook.run = dp_release_flush;
        ken_batch_hook_add(&r->hook);
    }
}

static void ev_ofp_fini(struct ken_event *ev)
{
    struct ken_ev_ofp *e = (struct ken_ev_ofp *)ev;
    struct ev_ofp_decoded *d = atomic_load_explicit(&ev_typed(e)->decoded, memory_order_acquire);
    if (d) {
        ken_arena_free(&d->arena);
        free(d);
    }
    dp_release_in_batch(dp_of(e->msg.datapath));
}

/* The event's free: its fini, then its block back to this thread's cache
 * (no indirect call for the fini). */
static void ev_ofp_free(struct ken_event *ev)
{
    ev_ofp_fini(ev);
    ev_block_put(ev);
}

const void *ken_ev_ofp_as(const struct ken_event *ev, enum ken_ofp_class cls)
{
    if (!ev || !ken_ev_class_is_a(ev->cls, KEN_EV_OFP_MSG_BASE))
        return NULL;
    const struct ken_ev_ofp *e = ken_ev_ofp(ev);
    /* the class from the header alone: no decoding for another class's event */
    if (ken_ofp_class_of(e->msg.data, e->msg.len) != cls)
        return NULL;
    struct ev_ofp_typed *t = ev_typed(e);
    struct ev_ofp_decoded *d = atomic_load_explicit(&t->decoded, memory_order_acquire);
    if (!d) {
        struct ev_ofp_decoded *mine = calloc(1, sizeof *mine);
        if (!mine)
            return NULL;
        char why[KEN_WHY_LEN];
        if (ken_ofp_decode(e->msg.data, e->msg.len, &mine->arena, &mine->cls, &mine->msg, why)) {
            ken_arena_free(&mine->arena);
            mine->msg = NULL;
        }
        struct ev_ofp_decoded *none = NULL;
        if (atomic_compare_exchange_strong_explicit(&t->decoded, &none, mine, memory_order_acq_rel,
                                                    memory_order_acquire)) {
            d = mine;
        } else {
            ken_arena_free(&mine->arena);
            free(mine);
            d = none;
        }
    }
    return d->msg && d->cls == cls ? d->msg : NULL;
}

static inline struct ken_ev_ofp *ofp_event_new(struct dp *dp, ken_ev_class_t id, const char *cls, const uint8_t *msg,
                                               size_t len, bool with_packet_in)
{
    size_t pi_size = with_packet_in ? sizeof(struct ken_packet_in) : 0;
    size_t head = sizeof(struct ken_ev_ofp) + sizeof(struct ev_ofp_typed);
    /* Nothing zeroed: every field is written below, the decoded packet-in
     * and the bytes in whole by their writers. */
    struct ken_ev_ofp *e = ev_new_inline(id, head + pi_size + len, ev_ofp_free);
    uint8_t *bytes = (uint8_t *)e + head + pi_size;
    memcpy(bytes, msg, len);
    e->packet_in = with_packet_in ? (const struct ken_packet_in *)((uint8_t *)e + head) : NULL;
    atomic_init(&ev_typed(e)->decoded, NULL);
    /* The datapath reference of the event is taken with the batch's
     * (ev_emit, ev_flush): one atomic add per batch, not per event. */
    e->msg = (struct ken_ofp_msg){
        .datapath = &dp->pub,
        .version = msg[0],
        .type = msg[1],
        .len = (uint16_t)len,
        .xid = wire_get32(msg + 4),
        .cls = cls,
        .data = bytes,
    };
    e->base.datapath = e->msg.datapath;
    e->base.timestamp_ns = dp->conn.read_time_ns;
    e->base.msg = &e->msg;
    return e;
}

struct ken_ev_ofp *ev_ofp_new(struct dp *dp, ken_ev_class_t id, const char *cls, const uint8_t *msg, size_t len,
                              bool with_packet_in)
{
    return ofp_event_new(dp, id, cls, msg, len, with_packet_in);
}

struct ken_ev_ofp *ev_packet_in_new(struct dp *dp, const uint8_t *msg, size_t len, int *err, const char **why)
{
    /* The class of a connection's packet-ins never changes (the version is
     * negotiated, the type has no subtypes): kept on the connection. */
    ken_ev_class_t id = dp->pi_cls;
    const char *cls = dp->pi_cls_name;
    if (__builtin_expect(!id, 0)) {
        id = ev_ofp_class(dp->io, msg, len, &cls);
        if (!id) {
            *err = KEN_OFPBRC_BAD_TYPE;
            *why = "no event class for packet-in";
            return NULL;
        }
        dp->pi_cls = id;
        dp->pi_cls_name = cls;
    }
    struct ken_ev_ofp *e = ofp_event_new(dp, id, cls, msg, len, true);
    *err = ken_packet_in_decode(e->msg.data, len, (struct ken_packet_in *)e->packet_in);
    if (*err) {
        ev_ofp_drop(dp, e);
        *why = "packet-in does not decode";
        return NULL;
    }
    return e;
}

void ev_ofp_drop(struct dp *dp, struct ken_ev_ofp *e)
{
    dp_ref(dp, 1); /* the one its release gives back */
    ken_event_unref(&e->base.ev);
}

static void ev_state_change_fini(struct ken_event *ev)
{
    ken_datapath_unref(((struct ken_ev_ofp_state_change *)ev)->datapath);
}

struct ken_event *ev_state_change_new(struct dp *dp, int old_phase, int phase)
{
    struct ken_ev_ofp_state_change *e =
        ken_event_new(ken_ev_ofp_state_change_class.id, sizeof *e, ev_state_change_fini);
    e->datapath = ken_datapath_ref(&dp->pub);
    e->phase = phase;
    e->old_phase = old_phase;
    return &e->ev;
}

static void ev_port_state_change_fini(struct ken_event *ev)
{
    ken_datapath_unref(((struct ken_ev_ofp_port_state_change *)ev)->datapath);
}

struct ken_event *ev_port_state_change_new(struct dp *dp, uint8_t reason, const struct ken_port *port)
{
    struct ken_ev_ofp_port_state_change *e =
        ken_event_new(ken_ev_ofp_port_state_change_class.id, sizeof *e, ev_port_state_change_fini);
    e->datapath = ken_datapath_ref(&dp->pub);
    e->reason = reason;
    e->port_no = port->port_no;
    e->port = *port;
    return &e->ev;
}

void ev_flush(struct io_shard *io)
{
    struct ev_batch *b = &io->batch;
    if (!b->n)
        return;
    uint64_t fed = 0;
    struct dp *src = b->src;
    /* The references the batch's message events hold, before any of them
     * can reach another thread (the I/O thread's own keeps src alive till
     * here). */
    if (b->dp_refs)
        dp_ref(src, b->dp_refs);
    b->dp_refs = 0;
    uint64_t over = ken_post_switch_events(b->evs, b->n, b->phase, b->versions, &fed);
    b->n = 0;
    b->src = NULL;
    if (src)
        src->feeds |= fed;
    if (over)
        io->ctl->up.congested(io, src, over);
}

/* Adds ev to the batch, flushing first what cannot go with it. */
static inline void batch_add(struct dp *dp, struct ken_event *ev, uint32_t phase, uint32_t versions)
{
    struct io_shard *io = dp->io;
    struct ev_batch *b = &io->batch;
    if (b->n && (b->phase != phase || b->src != dp || b->versions != versions || b->n == EV_BATCH_MAX))
        ev_flush(io);
    b->phase = phase;
    b->versions = versions;
    b->src = dp;
    b->evs[b->n++] = ev;
}

/* Apps hear of a switch only when they speak its version (or every one);
 * before hello negotiation every app does. A SLAVE connection's messages
 * go to the apps that ask for them (KEN_APP_SLAVE_EVENTS: their version
 * bits, shifted, see app.c). */
static inline uint32_t versions_of(const struct dp *dp, bool is_msg)
{
    uint32_t versions = dp->version ? KEN_APP_OFP(dp->version) : ~0u;
    if (dp->version && is_msg &&
        atomic_load_explicit(&((struct dp *)dp)->pub.role, memory_order_relaxed) == KEN_ROLE_SLAVE)
        versions <<= 8;
    return versions;
}

static __attribute__((noinline)) void emit_msg_flushing(struct dp *dp, struct ken_ev_ofp *e, uint32_t phase,
                                                       uint32_t versions)
{
    batch_add(dp, &e->base.ev, phase, versions);
    dp->io->batch.dp_refs++;
}

void ev_emit_msg(struct dp *dp, struct ken_ev_ofp *e, uint32_t phase)
{
    struct ev_batch *b = &dp->io->batch;
    uint32_t versions = versions_of(dp, true);
    /* The common case calls nothing: the event joins its connection's
     * batch. */
    if (__builtin_expect(b->n && (b->phase != phase || b->src != dp || b->versions != versions ||
                                  b->n == EV_BATCH_MAX), 0)) {
        emit_msg_flushing(dp, e, phase, versions);
        return;
    }
    b->phase = phase;
    b->versions = versions;
    b->src = dp;
    b->evs[b->n++] = &e->base.ev;
    b->dp_refs++;
}

void ev_emit(struct dp *dp, struct ken_event *ev, uint32_t phase)
{
    uint32_t versions = versions_of(dp, true);
    if (versions != versions_of(dp, false) && !ken_ev_class_is_a(ev->cls, KEN_EV_OFP_MSG_BASE))
        versions = versions_of(dp, false); /* SLAVE, but no message: every app that speaks it */
    batch_add(dp, ev, phase, versions);
}
