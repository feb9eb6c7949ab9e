/* A mutex and a condition variable with clang's thread-safety annotations:
 * in the clang build (-Wthread-safety, on in meson.build for clang), a
 * function that needs a lock held (KEN_REQUIRES), takes one (KEN_ACQUIRE)
 * or must be called without one (KEN_EXCLUDES) is checked at every call,
 * and a lock left held or released twice is a compile error. Other
 * compilers see plain pthread calls. Header only: the wrappers inline to
 * the pthread calls, so the hot path pays nothing.
 *
 * Clang (14) checks KEN_GUARDED_BY only on global variables in C, not on
 * struct fields: there, the functions that touch a lock's fields carry
 * KEN_REQUIRES instead. */
#ifndef KEN_RUNTIME_LOCK_H
#define KEN_RUNTIME_LOCK_H

#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>

#if defined(__clang__)
#define KEN_TSA(x) __attribute__((x))
#else
#define KEN_TSA(x)
#endif

#define KEN_CAPABILITY(name) KEN_TSA(capability(name))
#define KEN_GUARDED_BY(lock) KEN_TSA(guarded_by(lock))
#define KEN_REQUIRES(...) KEN_TSA(requires_capability(__VA_ARGS__))
#define KEN_ACQUIRE(...) KEN_TSA(acquire_capability(__VA_ARGS__))
#define KEN_RELEASE(...) KEN_TSA(release_capability(__VA_ARGS__))
#define KEN_EXCLUDES(...) KEN_TSA(locks_excluded(__VA_ARGS__))
/* For the few functions the analysis cannot follow (a lock chosen at run
 * time, an object's sole owner freeing it); say why where used. */
#define KEN_NO_THREAD_SAFETY_ANALYSIS KEN_TSA(no_thread_safety_analysis)

struct KEN_CAPABILITY("mutex") ken_mutex {
    pthread_mutex_t m;
};
#define KEN_MUTEX_INITIALIZER {PTHREAD_MUTEX_INITIALIZER}

struct ken_cond {
    pthread_cond_t c;
};
#define KEN_COND_INITIALIZER {PTHREAD_COND_INITIALIZER}

static inline void ken_mutex_init(struct ken_mutex *m) { pthread_mutex_init(&m->m, NULL); }
static inline void ken_mutex_destroy(struct ken_mutex *m) { pthread_mutex_destroy(&m->m); }

static inline void ken_mutex_lock(struct ken_mutex *m) KEN_ACQUIRE(m) KEN_NO_THREAD_SAFETY_ANALYSIS
{
    pthread_mutex_lock(&m->m);
}

static inline void ken_mutex_unlock(struct ken_mutex *m) KEN_RELEASE(m) KEN_NO_THREAD_SAFETY_ANALYSIS
{
    pthread_mutex_unlock(&m->m);
}

static inline void ken_cond_init(struct ken_cond *c) { pthread_cond_init(&c->c, NULL); }
static inline void ken_cond_destroy(struct ken_cond *c) { pthread_cond_destroy(&c->c); }
static inline void ken_cond_signal(struct ken_cond *c) { pthread_cond_signal(&c->c); }
static inline void ken_cond_broadcast(struct ken_cond *c) { pthread_cond_broadcast(&c->c); }

static inline void ken_cond_wait(struct ken_cond *c, struct ken_mutex *m) KEN_REQUIRES(m)
{
    pthread_cond_wait(&c->c, &m->m);
}

static inline int ken_cond_timedwait(struct ken_cond *c, struct ken_mutex *m, const struct timespec *until)
    KEN_REQUIRES(m)
{
    return pthread_cond_timedwait(&c->c, &m->m, until);
}

/* A lock for short critical sections on hot paths (a switch's outbound
 * queue): uncontended, taking and releasing it is one atomic instruction
 * each, inlined, where pthread_mutex_lock/unlock cost some 60 instructions
 * of calls and type checks. Contended, waiters sleep on a futex (Drepper,
 * "Futexes are tricky", mutex 3: 0 free, 1 held, 2 held with waiters).
 * Zeroed memory is an unlocked lock. Waits pair it with ken_lite_cond. The
 * atomics are what ThreadSanitizer models: it sees the ordering. */
struct KEN_CAPABILITY("mutex") ken_lite_mutex {
    _Atomic uint32_t state;
};

static inline void ken_lite_mutex_init(struct ken_lite_mutex *m) { atomic_init(&m->state, 0); }

/* The contended paths (lock.c). */
void ken_lite_mutex_lock_slow(struct ken_lite_mutex *m);
void ken_lite_mutex_wake(struct ken_lite_mutex *m);

static inline void ken_lite_mutex_lock(struct ken_lite_mutex *m) KEN_ACQUIRE(m) KEN_NO_THREAD_SAFETY_ANALYSIS
{
    uint32_t free_ = 0;
    if (!atomic_compare_exchange_strong_explicit(&m->state, &free_, 1, memory_order_acquire, memory_order_relaxed))
        ken_lite_mutex_lock_slow(m);
}

static inline void ken_lite_mutex_unlock(struct ken_lite_mutex *m) KEN_RELEASE(m) KEN_NO_THREAD_SAFETY_ANALYSIS
{
    if (atomic_exchange_explicit(&m->state, 0, memory_order_release) == 2)
        ken_lite_mutex_wake(m);
}

/* A condition variable for the lite mutex: a sequence number the waiter
 * reads under the mutex and sleeps on (futex), so a signal that comes
 * after the unlock, even before the sleep, is not lost. No timed wait.
 * Each signal makes a system call: signal only when someone waits (the
 * app queue knows: it keeps a flag). Wake-ups may be spurious: wait in a
 * loop on the condition. */
struct ken_lite_cond {
    _Atomic uint32_t seq;
};

static inline void ken_lite_cond_init(struct ken_lite_cond *c) { atomic_init(&c->seq, 0); }
void ken_lite_cond_wait(struct ken_lite_cond *c, struct ken_lite_mutex *m) KEN_REQUIRES(m);
void ken_lite_cond_signal(struct ken_lite_cond *c);
void ken_lite_cond_broadcast(struct ken_lite_cond *c);

#endif
