/* Synchronous requests: each transaction lives on its requester's stack
 * and is listed (under txn_lock) while the requester waits, so a reply, a
 * stopping app or a vanished datapath can complete it. A reply that finds
 * no transaction (timed out, failed) is released. */
#include "runtime/runtime.h"
#include "runtime/lock.h"
#include "runtime/request.h"

#include <errno.h>
#include <time.h>

struct txn {
    struct txn *next;
    uint64_t id;
    const struct ken_app *target;
    const void *dp;
    struct ken_cond cond;
    struct ken_event *reply;
    int err;
    bool done;
};

static struct ken_mutex txn_lock = KEN_MUTEX_INITIALIZER;
static struct txn *txns KEN_GUARDED_BY(txn_lock);
static uint64_t txn_last_id KEN_GUARDED_BY(txn_lock);

/* Completes t with err or a reply; txn_lock held. */
static void txn_complete(struct txn *t, int err, struct ken_event *reply) KEN_REQUIRES(&txn_lock)
{
    t->done = true;
    t->err = err;
    t->reply = reply;
    ken_cond_signal(&t->cond);
}

static void txn_unlink(struct txn *t) KEN_REQUIRES(&txn_lock)
{
    struct txn **p = &txns;
    while (*p != t)
        p = &(*p)->next;
    *p = t->next;
}

/* Waits for t to complete; txn_lock held. Returns ETIMEDOUT or 0. */
static int txn_wait(struct txn *t, int timeout_ms) KEN_REQUIRES(&txn_lock)
{
    struct timespec until;
    clock_gettime(CLOCK_MONOTONIC, &until);
    until.tv_sec += timeout_ms / 1000;
    until.tv_nsec += (long)(timeout_ms % 1000) * 1000000L;
    if (until.tv_nsec >= 1000000000L) {
        until.tv_sec++;
        until.tv_nsec -= 1000000000L;
    }
    while (!t->done) {
        if (timeout_ms < 0)
            ken_cond_wait(&t->cond, &txn_lock);
        else if (ken_cond_timedwait(&t->cond, &txn_lock, &until) == ETIMEDOUT && !t->done)
            return ETIMEDOUT;
    }
    return 0;
}

static int request_check(const struct ken_ev_request *req, const struct ken_app *app)
{
    if (!app)
        return ESRCH;
    /* Waiting for a reply would block: the app itself, or a non-blocking
     * app's handler (see ken_runtime_may_wait). */
    if (app == ken_app_self() || !ken_runtime_may_wait())
        return EDEADLK;
    return app_has_handler(app, req->ev.cls) ? 0 : ENOSYS;
}

/* A non-blocking app's handler may be running on the thread that sent
 * its event (the controller's I/O thread): it must never wait. */
bool ken_runtime_may_wait(void) { return !app_nonblocking(ken_app_self()); }

static void request_fail_target(const struct ken_app *app);

int ken_send_request(struct ken_ev_request *req, int timeout_ms, struct ken_event **reply)
{
    app_on_stopped(request_fail_target); /* before any request can wait */
    *reply = NULL;
    struct ken_app *app = req->dst ? app_find_running(req->dst) : NULL;
    int err = request_check(req, app);
    if (err) {
        ken_event_unref(&req->ev);
        return err;
    }
    struct ken_app *self = ken_app_self();
    struct txn t = {.target = app, .dp = req->dp};
    pthread_condattr_t attr;
    pthread_condattr_init(&attr);
    pthread_condattr_setclock(&attr, CLOCK_MONOTONIC);
    pthread_cond_init(&t.cond.c, &attr);
    pthread_condattr_destroy(&attr);

    ken_mutex_lock(&txn_lock);
    t.id = ++txn_last_id;
    t.next = txns;
    txns = &t;
    ken_mutex_unlock(&txn_lock);
    req->txn = t.id;
    req->src = self ? ken_app_name(self) : NULL;

    /* From here on req belongs to the target app. */
    struct qent e = {&req->ev, KEN_PHASE_ANY};
    err = app_push(app, &e, 1, false, NULL);

    ken_mutex_lock(&txn_lock);
    if (!err)
        err = txn_wait(&t, timeout_ms);
    if (!err) {
        err = t.err;
        *reply = t.reply;
    }
    txn_unlink(&t);
    ken_mutex_unlock(&txn_lock);
    ken_cond_destroy(&t.cond);
    return err;
}

int ken_send_reply(const struct ken_ev_request *req, struct ken_event *rep)
{
    ken_mutex_lock(&txn_lock);
    struct txn *t = txns;
    while (t && (t->id != req->txn || t->done))
        t = t->next;
    if (t)
        txn_complete(t, 0, rep);
    ken_mutex_unlock(&txn_lock);
    if (t)
        return 0;
    ken_event_unref(rep);
    return ENOENT;
}

static void request_fail(const struct ken_app *target, const void *dp, int err)
{
    ken_mutex_lock(&txn_lock);
    for (struct txn *t = txns; t; t = t->next)
        if (!t->done && ((target && t->target == target) || (dp && t->dp == dp)))
            txn_complete(t, err, NULL);
    ken_mutex_unlock(&txn_lock);
}

static void request_fail_target(const struct ken_app *app) { request_fail(app, NULL, ESRCH); }

void ken_runtime_datapath_gone(const void *dp)
{
    if (dp)
        request_fail(NULL, dp, ENOTCONN);
}
