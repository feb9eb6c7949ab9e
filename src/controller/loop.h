/* The controller's I/O loop: epoll for sockets, a min-heap of timers, and a
 * cross-thread wake-up (eventfd) so app threads can hand work to the loop.
 * Watches and timers are embedded in their owners: the loop allocates
 * nothing per socket or per timer (only the heap array grows). Everything
 * except loop_wake() and loop_post() runs on the loop thread. */
#ifndef KEN_CONTROLLER_LOOP_H
#define KEN_CONTROLLER_LOOP_H

#include <pthread.h>

#include "runtime/lock.h"
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct loop;

/* A watched file descriptor. cb gets the epoll event bits. */
struct loop_io {
    int fd;
    uint32_t events;  /* what the owner asks for */
    bool paused;      /* reads paused (backpressure): EPOLLIN not asked */
    bool registered;  /* in the epoll set (not while it asks for nothing) */
    void (*cb)(struct loop_io *io, uint32_t events);
};

/* A one-shot timer; re-arm it from its callback for a periodic one. */
struct loop_timer {
    uint64_t when_ms;
    size_t slot;      /* index in the heap; LOOP_TIMER_IDLE when not armed */
    void (*cb)(struct loop_timer *t);
};
#define LOOP_TIMER_IDLE ((size_t)-1)

/* A job handed to the loop thread from any thread (intrusive list). */
struct loop_job {
    struct loop_job *next;
    void (*run)(struct loop_job *job);
};

struct loop {
    int epfd;
    int wakefd;
    pthread_t thread;
    bool running;
    bool stop;
    struct loop_timer **heap;
    size_t n_timers, cap_timers;
    struct ken_lite_mutex jobs_lock;
    struct loop_job *jobs, **jobs_tail;
    bool ended;       /* under jobs_lock: loop_run returned, jobs run where posted */
    struct loop_io wake_io;
};

int loop_init(struct loop *l);
void loop_destroy(struct loop *l);

/* Runs until loop_stop(); call on the thread that owns the loop. */
void loop_run(struct loop *l);
/* Asks the loop to return; safe from any thread. */
void loop_stop(struct loop *l);
/* True on the loop's own thread (while it runs). */
bool loop_on_thread(const struct loop *l);
/* The loop this thread runs, or NULL on a thread that runs none. */
struct loop *loop_current(void);

int loop_watch(struct loop *l, struct loop_io *io, uint32_t events);
int loop_rewatch(struct loop *l, struct loop_io *io, uint32_t events);
void loop_unwatch(struct loop *l, struct loop_io *io);
/* Pauses or resumes io's reads (backpressure): while paused, EPOLLIN is not
 * asked of epoll, and with nothing else asked the socket leaves the set, so
 * a hang-up is not reported either until the reads resume. */
int loop_pause_reads(struct loop *l, struct loop_io *io, bool pause);

uint64_t loop_now_ms(void);
void loop_timer_init(struct loop_timer *t, void (*cb)(struct loop_timer *t));
/* Arms (or re-arms) t to fire after ms milliseconds. */
void loop_timer_start(struct loop *l, struct loop_timer *t, uint64_t ms);
/* Safe on a timer that is not armed. */
void loop_timer_cancel(struct loop *l, struct loop_timer *t);
static inline bool loop_timer_armed(const struct loop_timer *t) { return t->slot != LOOP_TIMER_IDLE; }

/* Queues job to run on the loop thread, waking the loop only when the queue
 * was empty (many posts, one wake-up). Safe from any thread. Once loop_run
 * has returned, the job runs at once on the caller's thread (the owner has
 * closed everything by then: such jobs only drop references). */
void loop_post(struct loop *l, struct loop_job *job);

#endif
