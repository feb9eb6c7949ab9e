/* The requests waiting for their replies on one datapath, matched by xid
 * (a leaf: it knows events and xids, not connections). Each entry lives
 * on its waiter's stack; the I/O thread hands it the reply's parts.
 * Declares pending.c's functions. */
#ifndef KEN_CONTROLLER_PENDING_H
#define KEN_CONTROLLER_PENDING_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "runtime/lock.h"
#include "ken/datapath.h"
#include "ken/event.h"

struct pending {
    struct pending *next;
    uint32_t xid;
    struct ken_cond cond;
    bool done;
    int err;                    /* 0, EREMOTEIO (an OFPT_ERROR), EBADMSG, EMSGSIZE, ENOTCONN */
    struct ken_event **parts;   /* the reply's messages so far, in order */
    size_t n_parts, cap_parts;
    size_t bytes;               /* their length, bounded by KEN_DATAPATH_MAX_REPLY_BYTES */
};

struct pending_table {
    /* Entries listed. The only thing the I/O thread reads per message
     * while nothing is pending: one relaxed load, no lock. */
    atomic_uint n;
    struct ken_mutex lock;
    struct pending *list;          /* under lock */
    bool closed;                   /* under lock: the datapath went away, no new entry */
};

/* What a received message does to the request with its xid. */
enum pending_part {
    PENDING_MORE,   /* a multipart part with REPLY_MORE: keep collecting */
    PENDING_LAST,   /* the reply, or its last part */
    PENDING_ERROR,  /* an OFPT_ERROR: completes with EREMOTEIO */
    PENDING_BAD,    /* a message that does not decode: completes with EBADMSG */
};

void pending_table_init(struct pending_table *t);
/* Every waiter is gone by then (each holds a datapath reference). */
void pending_table_destroy(struct pending_table *t);

static inline bool pending_any(struct pending_table *t)
{
    return atomic_load_explicit(&t->n, memory_order_relaxed) != 0;
}

/* Lists p for replies with xid: before the request is sent, so no reply
 * can come first. ENOTCONN once the table is closed. */
int pending_add(struct pending_table *t, struct pending *p, uint32_t xid) KEN_EXCLUDES(t->lock);
/* Waits up to timeout_ms (< 0: without limit) for p to complete, then
 * unlists it: a reply after that finds nothing and is only an event.
 * Returns p's error or ETIMEDOUT; with 0 or EREMOTEIO, *reply gets the
 * messages (the caller frees it with ken_ofp_reply_free). */
int pending_wait(struct pending_table *t, struct pending *p, int timeout_ms, struct ken_ofp_reply **reply)
    KEN_EXCLUDES(t->lock);
/* Unlists p without waiting (its request could not be sent). */
void pending_cancel(struct pending_table *t, struct pending *p) KEN_EXCLUDES(t->lock);
/* On the I/O thread: a message with xid arrived; ev is its event (NULL
 * for PENDING_BAD), of which a waiter takes its own reference. */
void pending_deliver(struct pending_table *t, uint32_t xid, struct ken_event *ev, enum pending_part part)
    KEN_EXCLUDES(t->lock);
/* Completes every waiter with err and refuses new ones (the datapath is
 * DEAD). */
void pending_close(struct pending_table *t, int err) KEN_EXCLUDES(t->lock);

#endif
