/* The contended paths of struct ken_lite_mutex, and ken_lite_cond (lock.h). */
#include "runtime/lock.h"

#include <limits.h>
#include <linux/futex.h>
#include <sys/syscall.h>
#include <unistd.h>

/* Takes the mutex marking it contended (state 2), sleeping while another
 * holds it: the unlock that sees 2 wakes one sleeper. */
static void lock_contended(struct ken_lite_mutex *m)
{
    while (atomic_exchange_explicit(&m->state, 2, memory_order_acquire) != 0)
        syscall(SYS_futex, &m->state, FUTEX_WAIT_PRIVATE, 2, NULL, NULL, 0);
}

__attribute__((cold)) void ken_lite_mutex_lock_slow(struct ken_lite_mutex *m)
{
    /* A few tries first: the holder is usually out within a few hundred
     * instructions (one message encoded). */
    for (int i = 0; i < 64; i++) {
        uint32_t free_ = 0;
        if (atomic_load_explicit(&m->state, memory_order_relaxed) == 0 &&
            atomic_compare_exchange_weak_explicit(&m->state, &free_, 1, memory_order_acquire, memory_order_relaxed))
            return;
#if defined(__x86_64__) || defined(__i386__)
        __builtin_ia32_pause();
#endif
    }
    lock_contended(m);
}

__attribute__((cold)) void ken_lite_mutex_wake(struct ken_lite_mutex *m)
{
    syscall(SYS_futex, &m->state, FUTEX_WAKE_PRIVATE, 1, NULL, NULL, 0);
}

void ken_lite_cond_wait(struct ken_lite_cond *c, struct ken_lite_mutex *m) KEN_NO_THREAD_SAFETY_ANALYSIS
{
    uint32_t seq = atomic_load_explicit(&c->seq, memory_order_relaxed);
    ken_lite_mutex_unlock(m);
    syscall(SYS_futex, &c->seq, FUTEX_WAIT_PRIVATE, seq, NULL, NULL, 0);
    /* Back with the mutex marked contended: a thread woken with this one
     * may be asleep on it, and only state 2 makes the unlock wake it
     * (Drepper, "Futexes are tricky"). */
    lock_contended(m);
}

void ken_lite_cond_signal(struct ken_lite_cond *c)
{
    atomic_fetch_add_explicit(&c->seq, 1, memory_order_release);
    syscall(SYS_futex, &c->seq, FUTEX_WAKE_PRIVATE, 1, NULL, NULL, 0);
}

void ken_lite_cond_broadcast(struct ken_lite_cond *c)
{
    atomic_fetch_add_explicit(&c->seq, 1, memory_order_release);
    syscall(SYS_futex, &c->seq, FUTEX_WAKE_PRIVATE, INT_MAX, NULL, NULL, 0);
}
