/* Building the OpenFlow events of a connection and handing them to the
 * runtime in batches (one queue operation per app per batch), on the I/O
 * thread. Declares ofp_event.c's functions. */
#ifndef KEN_CONTROLLER_OFP_EVENT_H
#define KEN_CONTROLLER_OFP_EVENT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ken/event.h"
#include "ken/ofp_event.h"

struct dp;
struct io_shard;

/* Events handed over at once. Small enough that a batch's events are
 * still in the L1 cache when the handlers read them and when they are
 * freed (a packet-in's event spans 1-2 KiB): 64 took 6-14% less CPU per
 * packet-in than 256 (bench/per_packet_in.sh, cbench and simple_switch),
 * and 16-32 no less than 64. -DEV_BATCH_MAX=n measures another size. */
#ifndef EV_BATCH_MAX
#define EV_BATCH_MAX 64
#endif

struct ev_batch {
    struct ken_event *evs[EV_BATCH_MAX];
    size_t n;
    uint32_t phase;
    uint32_t versions;  /* KEN_APP_OFP() bit of src's version; ~0u before negotiation */
    struct dp *src;     /* the connection the events came from */
    unsigned dp_refs;   /* src references its message events hold, taken at the flush */
};

/* The EventOFP<Name> class of a message (cached per version and type
 * where the type alone decides), 0 when unknown. *cls gets the name. */
ken_ev_class_t ev_ofp_class(struct io_shard *io, const uint8_t *msg, size_t len, const char **cls);
/* A message event holding a copy of the bytes (room for a decoded
 * packet-in when with_packet_in). Never NULL (see runtime/xalloc.h). Its
 * datapath reference is owed: ev_emit_msg has the batch take it, and
 * ev_ofp_drop releases an event that is not emitted. */
struct ken_ev_ofp *ev_ofp_new(struct dp *dp, ken_ev_class_t id, const char *cls, const uint8_t *msg, size_t len,
                              bool with_packet_in);
void ev_ofp_drop(struct dp *dp, struct ken_ev_ofp *e);
/* A packet-in's event, decoded (the hot path's ev_ofp_class, ev_ofp_new
 * and decode in one); NULL with *err and *why when it has no class or does
 * not decode. */
struct ken_ev_ofp *ev_packet_in_new(struct dp *dp, const uint8_t *msg, size_t len, int *err, const char **why);
/* Queues an ev_ofp_new event (see ev_emit). */
void ev_emit_msg(struct dp *dp, struct ken_ev_ofp *e, uint32_t phase);
struct ken_event *ev_state_change_new(struct dp *dp, int old_phase, int phase);
struct ken_event *ev_port_state_change_new(struct dp *dp, uint8_t reason, const struct ken_port *port);
/* Queues ev for the observers of phase (a KEN_PHASE_* bit). */
void ev_emit(struct dp *dp, struct ken_event *ev, uint32_t phase);
/* Hands io's queued events over; on backpressure, pauses reading. */
void ev_flush(struct io_shard *io);

#endif
