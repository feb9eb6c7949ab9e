#include "controller/loop.h"
#include "runtime/xalloc.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <time.h>
#include <unistd.h>

#define LOOP_MAX_EVENTS 256

uint64_t loop_now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000u + (uint64_t)ts.tv_nsec / 1000000u;
}

/* ---- timer heap (ordered by when_ms; each timer knows its slot) ---- */

static void heap_place(struct loop *l, size_t i, struct loop_timer *t)
{
    l->heap[i] = t;
    t->slot = i;
}

static void heap_up(struct loop *l, size_t i)
{
    struct loop_timer *t = l->heap[i];
    while (i > 0) {
        size_t parent = (i - 1) / 2;
        if (l->heap[parent]->when_ms <= t->when_ms)
            break;
        heap_place(l, i, l->heap[parent]);
        i = parent;
    }
    heap_place(l, i, t);
}

static void heap_down(struct loop *l, size_t i)
{
    struct loop_timer *t = l->heap[i];
    for (;;) {
        size_t child = 2 * i + 1;
        if (child >= l->n_timers)
            break;
        if (child + 1 < l->n_timers && l->heap[child + 1]->when_ms < l->heap[child]->when_ms)
            child++;
        if (t->when_ms <= l->heap[child]->when_ms)
            break;
        heap_place(l, i, l->heap[child]);
        i = child;
    }
    heap_place(l, i, t);
}

void loop_timer_init(struct loop_timer *t, void (*cb)(struct loop_timer *t))
{
    t->when_ms = 0;
    t->slot = LOOP_TIMER_IDLE;
    t->cb = cb;
}

void loop_timer_cancel(struct loop *l, struct loop_timer *t)
{
    if (!loop_timer_armed(t))
        return;
    size_t i = t->slot;
    struct loop_timer *last = l->heap[--l->n_timers];
    t->slot = LOOP_TIMER_IDLE;
    if (last == t)
        return;
    heap_place(l, i, last);
    heap_up(l, i);
    heap_down(l, last->slot);
}

void loop_timer_start(struct loop *l, struct loop_timer *t, uint64_t ms)
{
    loop_timer_cancel(l, t);
    if (l->n_timers == l->cap_timers) {
        size_t cap = l->cap_timers ? 2 * l->cap_timers : 64;
        l->heap = ken_xrealloc(l->heap, cap * sizeof *l->heap);
        l->cap_timers = cap;
    }
    t->when_ms = loop_now_ms() + ms;
    heap_place(l, l->n_timers++, t);
    heap_up(l, t->slot);
}

static void loop_fire_timers(struct loop *l)
{
    uint64_t now = loop_now_ms();
    while (l->n_timers && l->heap[0]->when_ms <= now) {
        struct loop_timer *t = l->heap[0];
        loop_timer_cancel(l, t);
        t->cb(t);
    }
}

static int loop_wait_ms(const struct loop *l)
{
    if (!l->n_timers)
        return -1;
    uint64_t now = loop_now_ms(), when = l->heap[0]->when_ms;
    if (when <= now)
        return 0;
    uint64_t d = when - now;
    return d > 60000 ? 60000 : (int)d;
}

/* ---- jobs from other threads ---- */

void loop_post(struct loop *l, struct loop_job *job) KEN_EXCLUDES(&l->jobs_lock)
{
    job->next = NULL;
    ken_lite_mutex_lock(&l->jobs_lock);
    if (l->ended) {
        /* No loop thread will ever run it: run it here. l may be freed by
         * the job (it can drop the last reference to its owner). */
        ken_lite_mutex_unlock(&l->jobs_lock);
        job->run(job);
        return;
    }
    bool was_empty = l->jobs == NULL;
    *l->jobs_tail = job;
    l->jobs_tail = &job->next;
    ken_lite_mutex_unlock(&l->jobs_lock);
    /* The loop drains jobs before it sleeps, so only a sleeping loop needs
     * the eventfd, and only for the first job of a batch. */
    if (was_empty && !loop_on_thread(l)) {
        uint64_t one = 1;
        ssize_t r = write(l->wakefd, &one, sizeof one);
        (void)r; /* EAGAIN means a wake-up is already pending */
    }
}

/* Runs jobs until none is left: a job may post another (conn_close posts
 * the datapath's release), and a job posted on the loop thread writes no
 * eventfd, so one left queued here would sleep until the next wake-up.
 * With last, the loop ends for good once the queue is empty. */
static void loop_run_jobs(struct loop *l, bool last)
{
    for (;;) {
        ken_lite_mutex_lock(&l->jobs_lock);
        struct loop_job *job = l->jobs;
        l->jobs = NULL;
        l->jobs_tail = &l->jobs;
        if (!job && last)
            l->ended = true;
        ken_lite_mutex_unlock(&l->jobs_lock);
        if (!job)
            return;
        while (job) {
            struct loop_job *next = job->next;
            job->run(job);
            job = next;
        }
    }
}

static void loop_wake_cb(struct loop_io *io, uint32_t events)
{
    (void)events;
    uint64_t n;
    ssize_t r = read(io->fd, &n, sizeof n);
    (void)r;
}

void loop_stop(struct loop *l)
{
    __atomic_store_n(&l->stop, true, __ATOMIC_RELEASE);
    uint64_t one = 1;
    ssize_t r = write(l->wakefd, &one, sizeof one);
    (void)r;
}

static _Thread_local struct loop *this_thread_loop;

struct loop *loop_current(void) { return this_thread_loop; }

bool loop_on_thread(const struct loop *l)
{
    return __atomic_load_n(&l->running, __ATOMIC_ACQUIRE) && pthread_equal(l->thread, pthread_self());
}

/* ---- sockets ---- */

static int loop_ctl(int epfd, int op, struct loop_io *io, uint32_t events)
{
    struct epoll_event ev = {.events = events, .data.ptr = io};
    return epoll_ctl(epfd, op, io->fd, &ev) ? errno : 0;
}

/* Tells epoll what io wants now: its events, without EPOLLIN while paused. */
static int loop_apply(struct loop *l, struct loop_io *io)
{
    uint32_t want = io->paused ? io->events & ~(uint32_t)EPOLLIN : io->events;
    if (!want) {
        if (!io->registered)
            return 0;
        io->registered = false;
        return epoll_ctl(l->epfd, EPOLL_CTL_DEL, io->fd, NULL) ? errno : 0;
    }
    int err = loop_ctl(l->epfd, io->registered ? EPOLL_CTL_MOD : EPOLL_CTL_ADD, io, want);
    if (!err)
        io->registered = true;
    return err;
}

int loop_watch(struct loop *l, struct loop_io *io, uint32_t events)
{
    io->events = events;
    io->paused = false;
    io->registered = false;
    return loop_apply(l, io);
}

int loop_rewatch(struct loop *l, struct loop_io *io, uint32_t events)
{
    if (io->events == events)
        return 0;
    io->events = events;
    return loop_apply(l, io);
}

int loop_pause_reads(struct loop *l, struct loop_io *io, bool pause)
{
    if (io->paused == pause)
        return 0;
    io->paused = pause;
    return loop_apply(l, io);
}

void loop_unwatch(struct loop *l, struct loop_io *io)
{
    if (io->registered)
        epoll_ctl(l->epfd, EPOLL_CTL_DEL, io->fd, NULL);
    io->registered = false;
}

static void loop_dispatch(struct epoll_event *evs, int n)
{
    for (int i = 0; i < n; i++) {
        struct loop_io *io = evs[i].data.ptr;
        io->cb(io, evs[i].events);
    }
}

int loop_init(struct loop *l)
{
    memset(l, 0, sizeof *l);
    l->jobs_tail = &l->jobs;
    ken_lite_mutex_init(&l->jobs_lock);
    l->epfd = epoll_create1(EPOLL_CLOEXEC);
    l->wakefd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
    if (l->epfd < 0 || l->wakefd < 0) {
        int err = errno;
        loop_destroy(l);
        return err;
    }
    l->wake_io.fd = l->wakefd;
    l->wake_io.cb = loop_wake_cb;
    return loop_watch(l, &l->wake_io, EPOLLIN);
}

void loop_destroy(struct loop *l)
{
    if (l->epfd >= 0)
        close(l->epfd);
    if (l->wakefd >= 0)
        close(l->wakefd);
    l->epfd = l->wakefd = -1;
    free(l->heap);
    l->heap = NULL;
}

void loop_run(struct loop *l)
{
    struct epoll_event evs[LOOP_MAX_EVENTS];
    l->thread = pthread_self();
    this_thread_loop = l;
    __atomic_store_n(&l->running, true, __ATOMIC_RELEASE);
    while (!__atomic_load_n(&l->stop, __ATOMIC_ACQUIRE)) {
        /* Jobs that I/O callbacks or timers post on this thread run at the
         * top of the next turn, before the loop can sleep. */
        loop_run_jobs(l, false);
        loop_dispatch(evs, epoll_wait(l->epfd, evs, LOOP_MAX_EVENTS, loop_wait_ms(l)));
        loop_fire_timers(l);
    }
    loop_run_jobs(l, true);
    this_thread_loop = NULL;
    __atomic_store_n(&l->running, false, __ATOMIC_RELEASE);
}
