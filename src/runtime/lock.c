/* The contended paths of struct ken_lite_mutex (lock.h). */
#include "runtime/lock.h"

#include <linux/futex.h>
#include <sys/syscall.h>
#include <unistd.h>

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
    while (atomic_exchange_explicit(&m->state, 2, memory_order_acquire) != 0)
        syscall(SYS_futex, &m->state, FUTEX_WAIT_PRIVATE, 2, NULL, NULL, 0);
}

__attribute__((cold)) void ken_lite_mutex_wake(struct ken_lite_mutex *m)
{
    syscall(SYS_futex, &m->state, FUTEX_WAKE_PRIVATE, 1, NULL, NULL, 0);
}
