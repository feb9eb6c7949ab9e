/* How many events per second go from a sender thread through the runtime
 * to app handlers: batches posted (the I/O thread's path) to one and to
 * two observing apps, and single blocking sends. Not a test: run it from a
 * release build, e.g. build-release/tests/runtime/bench-runtime. */
#include <inttypes.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "ken/app.h"
#include "runtime/runtime.h"

KEN_EV_CLASS_DEFINE(bench_class, "EventBench", ken_ev_base_class);

static _Atomic uint64_t handled;

static void on_bench(struct ken_app *app, const struct ken_event *ev)
{
    (void)app;
    (void)ev;
    atomic_fetch_add_explicit(&handled, 1, memory_order_relaxed);
}

static const struct ken_app_desc bench_a = {
    .name = "bench_a",
    .handlers = (const struct ken_handler[]){{"EventBench", 0, on_bench}, {NULL, 0, NULL}},
};
KEN_APP_REGISTER(bench_a);
static const struct ken_app_desc bench_b = {
    .name = "bench_b",
    .handlers = (const struct ken_handler[]){{"EventBench", 0, on_bench}, {NULL, 0, NULL}},
};
KEN_APP_REGISTER(bench_b);

static pthread_mutex_t drain_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t drain_cond = PTHREAD_COND_INITIALIZER;

static void on_drain(struct ken_app *app, void *arg)
{
    (void)app;
    (void)arg;
    pthread_mutex_lock(&drain_lock);
    pthread_cond_signal(&drain_cond);
    pthread_mutex_unlock(&drain_lock);
}

static double now_s(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void wait_handled(uint64_t n)
{
    while (atomic_load(&handled) < n)
        ;
}

/* Posts n events in batches; waits until every observer handled them. */
static void run(const char *what, size_t n_apps, size_t batch, uint64_t n)
{
    atomic_store(&handled, 0);
    struct ken_event *evs[256];
    double t0 = now_s();
    uint64_t throttled = 0;
    for (uint64_t sent = 0; sent < n; sent += batch) {
        for (size_t i = 0; i < batch; i++)
            evs[i] = ken_event_new(bench_class.id, 64, NULL);
        if (batch == 1)
            ken_send_event_to_observers(evs[0], KEN_PHASE_ANY);
        else if (ken_post_events_to_observers(evs, batch, KEN_PHASE_ANY))
            throttled++;
        /* A real I/O thread stops reading when throttled; here the sender
         * waits for the drain callback. */
        pthread_mutex_lock(&drain_lock);
        while (ken_runtime_congested())
            pthread_cond_wait(&drain_cond, &drain_lock);
        pthread_mutex_unlock(&drain_lock);
    }
    wait_handled(n * n_apps);
    double dt = now_s() - t0;
    printf("%-34s %8.2f M events/s (%.1f M handler calls/s), throttled %" PRIu64 " times\n", what, n / dt / 1e6,
           n * n_apps / dt / 1e6, throttled);
}

int main(void)
{
    const char *one[] = {"bench_a"};
    const char *two[] = {"bench_b"};
    char why[KEN_WHY_LEN];
    ken_runtime_set_drain_callback(on_drain, NULL);
    if (ken_app_load(one, 1, why))
        return 1;
    run("1 app, post batches of 64", 1, 64, 20000000);
    run("1 app, send one at a time", 1, 1, 5000000);
    if (ken_app_load(two, 1, why))
        return 1;
    run("2 apps, post batches of 64", 2, 64, 20000000);
    ken_runtime_shutdown();
    return 0;
}
