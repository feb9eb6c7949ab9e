/* Requests waiting for their replies on one datapath: a short list under
 * a lock that only requests touch. The I/O thread looks at the list only
 * when its counter says something is pending, so a datapath with no
 * request pays one relaxed load per message. */
#include <errno.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <time.h>

#include "runtime/xalloc.h"
#include "controller/pending.h"
#include "ken/ofp_event.h"

void pending_table_init(struct pending_table *t)
{
    atomic_init(&t->n, 0);
    ken_mutex_init(&t->lock);
    t->list = NULL;
    t->closed = false;
}

void pending_table_destroy(struct pending_table *t) { ken_mutex_destroy(&t->lock); }

int pending_add(struct pending_table *t, struct pending *p, uint32_t xid)
{
    *p = (struct pending){.xid = xid};
    pthread_condattr_t attr;
    pthread_condattr_init(&attr);
    pthread_condattr_setclock(&attr, CLOCK_MONOTONIC);
    pthread_cond_init(&p->cond.c, &attr);
    pthread_condattr_destroy(&attr);
    ken_mutex_lock(&t->lock);
    if (t->closed) {
        ken_mutex_unlock(&t->lock);
        ken_cond_destroy(&p->cond);
        return ENOTCONN;
    }
    p->next = t->list;
    t->list = p;
    atomic_fetch_add_explicit(&t->n, 1, memory_order_relaxed);
    ken_mutex_unlock(&t->lock);
    return 0;
}

static void parts_release(struct pending *p)
{
    for (size_t i = 0; i < p->n_parts; i++)
        ken_event_unref(p->parts[i]);
    free(p->parts);
    p->parts = NULL;
    p->n_parts = p->cap_parts = 0;
}

/* One allocation: the struct and its message pointers; each message is
 * the msg of an event the reply holds a reference to. */
static struct ken_ofp_reply *reply_build(struct pending *p)
{
    struct ken_ofp_reply *r = ken_xcalloc(1, sizeof *r + p->n_parts * sizeof r->msgs[0]);
    r->n = p->n_parts;
    r->msgs = (const struct ken_ofp_msg **)(void *)(r + 1); /* the pointers follow the struct */
    for (size_t i = 0; i < p->n_parts; i++)
        r->msgs[i] = &ken_ev_ofp(p->parts[i])->msg;
    free(p->parts); /* the references move into r */
    p->parts = NULL;
    p->n_parts = p->cap_parts = 0;
    return r;
}

void ken_ofp_reply_free(struct ken_ofp_reply *r)
{
    if (!r)
        return;
    for (size_t i = 0; i < r->n; i++)
        ken_event_unref((const struct ken_event *)((const char *)r->msgs[i] - offsetof(struct ken_ev_ofp, msg)));
    free(r);
}

static void deadline_in(struct timespec *until, int timeout_ms)
{
    clock_gettime(CLOCK_MONOTONIC, until);
    until->tv_sec += timeout_ms / 1000;
    until->tv_nsec += (long)(timeout_ms % 1000) * 1000000L;
    if (until->tv_nsec >= 1000000000L) {
        until->tv_sec++;
        until->tv_nsec -= 1000000000L;
    }
}

static void unlist(struct pending_table *t, struct pending *p) KEN_REQUIRES(t->lock)
{
    struct pending **at = &t->list;
    while (*at != p)
        at = &(*at)->next;
    *at = p->next;
    atomic_fetch_sub_explicit(&t->n, 1, memory_order_relaxed);
}

int pending_wait(struct pending_table *t, struct pending *p, int timeout_ms, struct ken_ofp_reply **reply)
{
    *reply = NULL;
    struct timespec until;
    if (timeout_ms >= 0)
        deadline_in(&until, timeout_ms);
    ken_mutex_lock(&t->lock);
    int err = 0;
    while (!p->done && !err) {
        if (timeout_ms < 0)
            ken_cond_wait(&p->cond, &t->lock);
        else if (ken_cond_timedwait(&p->cond, &t->lock, &until) == ETIMEDOUT && !p->done)
            err = ETIMEDOUT;
    }
    unlist(t, p);
    ken_mutex_unlock(&t->lock);
    ken_cond_destroy(&p->cond);
    if (!err)
        err = p->err;
    if ((!err || err == EREMOTEIO) && p->n_parts)
        *reply = reply_build(p);
    else
        parts_release(p); /* an incomplete multipart reply, or none */
    return err;
}

void pending_cancel(struct pending_table *t, struct pending *p)
{
    ken_mutex_lock(&t->lock);
    unlist(t, p);
    ken_mutex_unlock(&t->lock);
    ken_cond_destroy(&p->cond);
    parts_release(p);
}

static struct pending *find(struct pending_table *t, uint32_t xid) KEN_REQUIRES(t->lock)
{
    for (struct pending *p = t->list; p; p = p->next)
        if (p->xid == xid && !p->done)
            return p;
    return NULL;
}

static void complete(struct pending *p, int err)
{
    p->done = true;
    p->err = err;
    ken_cond_signal(&p->cond);
}

void pending_deliver(struct pending_table *t, uint32_t xid, struct ken_event *ev, enum pending_part part)
{
    ken_mutex_lock(&t->lock);
    struct pending *p = find(t, xid);
    if (p && ev && p->bytes + ken_ev_ofp(ev)->msg.len > KEN_DATAPATH_MAX_REPLY_BYTES) {
        /* A switch that never ends its REPLY_MORE chain does not grow
         * the waiter's memory without bound. */
        parts_release(p);
        complete(p, EMSGSIZE);
        p = NULL;
    }
    if (p && ev) {
        p->bytes += ken_ev_ofp(ev)->msg.len;
        if (p->n_parts == p->cap_parts) {
            p->cap_parts = p->cap_parts ? 2 * p->cap_parts : 4;
            p->parts = ken_xrealloc(p->parts, p->cap_parts * sizeof p->parts[0]);
        }
        p->parts[p->n_parts++] = (struct ken_event *)ken_event_ref(ev);
    }
    if (p && part != PENDING_MORE)
        complete(p, part == PENDING_ERROR ? EREMOTEIO : part == PENDING_BAD ? EBADMSG : 0);
    ken_mutex_unlock(&t->lock);
}

void pending_close(struct pending_table *t, int err)
{
    ken_mutex_lock(&t->lock);
    t->closed = true;
    for (struct pending *p = t->list; p; p = p->next)
        if (!p->done)
            complete(p, err);
    ken_mutex_unlock(&t->lock);
}
