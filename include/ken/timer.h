/* App timers: what OS-Ken apps do with hub.spawn(loop) and hub.sleep(n)
 * (a monitor asking every switch for its statistics every 10 s), without
 * a thread of the app's own.
 *
 *     static void poll(struct ken_app *app, void *arg) { ...send stats requests... }
 *     ...
 *     struct ken_timer *t;
 *     int err = ken_timer_start(app, 10000, 10000, poll, st, &t);   // every 10 s
 *
 * The rules:
 *
 * - The callback runs on the app's own thread, as one of its events: one
 *   at a time with the app's handlers, in the app's FIFO order (a tick is
 *   queued behind the events already there when it falls due). Handlers
 *   and callbacks of one app therefore share state without locks. The
 *   callback follows the app's handler rules (a KEN_APP_NONBLOCKING app's
 *   callback must not block either), but it always runs on the app's
 *   thread, never inline on another one.
 * - Ticks are runtime-internal events: no handler sees them, EventBase
 *   handlers included (as OS-Ken apps never see their hub.sleep). They do
 *   count in the app's ken_app_stats (enqueued, dispatched, depth).
 * - No pile-up: a timer has at most one tick queued. A tick that falls due
 *   while the previous one still waits in the queue is merged into it
 *   (coalesced: the callback runs once for both). A periodic timer keeps
 *   its rhythm (due times first + k * period on CLOCK_MONOTONIC); due
 *   times missed entirely (the machine was suspended) are skipped.
 * - ken_timer_cancel is safe from any thread, from inside the callback and
 *   from the app's stop hook. Called on the app's own thread (a handler,
 *   a callback, this timer's callback), the callback never runs again once
 *   it returns: a tick already queued is voided. From any other thread it
 *   does not wait: one call of the callback that the app's thread had
 *   already begun may still be running, or about to run, when cancel
 *   returns; none begins later. An event sent to the app after cancel
 *   returns is handled after that call ended (FIFO, one at a time).
 * - A handle is valid until ken_timer_cancel (call it once per timer) or
 *   until the app stops: when an app stops (unload, stop_all, shutdown,
 *   a failed load) its timers stop firing at once (KEN_STOP_DRAIN still
 *   runs a tick already queued, like any queued event), and once its stop
 *   hook has returned its remaining timers are freed. A one-shot timer
 *   that fired stays until then (or until cancelled), so that its handle
 *   stays valid; ken_timer_restart arms it again.
 * - Starting a timer for an app that is not running fails with ESRCH.
 *
 * One runtime thread keeps every timer in a min-heap and queues the ticks;
 * it starts with the first timer and ends when an app stops and no timer
 * is armed any more (at the latest in ken_runtime_shutdown); the next
 * timer started or restarted starts it again. See docs/apps.md, "Timers". */
#ifndef KEN_TIMER_H
#define KEN_TIMER_H

#include <stdint.h>

struct ken_app;
struct ken_timer;

/* arg is the one given to ken_timer_start. */
typedef void (*ken_timer_fn)(struct ken_app *app, void *arg);

/* Arms a timer of app: fn runs first_ms milliseconds from now, then every
 * period_ms (0: once). From any thread, the start hook included. Returns
 * 0 with *timer, set before the callback can first run (so the callback
 * may read it from where it was stored), or, with *timer NULL: ESRCH when
 * app is not running, EINVAL for a NULL app or fn, or the error of
 * pthread_create for the timer thread. timer may be NULL: a one-shot
 * timer nobody can cancel is freed once it has run; a periodic one runs
 * until the app stops. */
int ken_timer_start(struct ken_app *app, uint64_t first_ms, uint64_t period_ms, ken_timer_fn fn, void *arg,
                    struct ken_timer **timer);

/* Arms t again, as if just started with these times (a one-shot that
 * fired, or a periodic timer to be moved): a tick of the previous arming
 * still queued is voided (with the guarantees of ken_timer_cancel).
 * Returns 0, or ESRCH when the app no longer runs (t is then left as it
 * was), or the error of pthread_create for the timer thread. */
int ken_timer_restart(struct ken_timer *t, uint64_t first_ms, uint64_t period_ms);

/* Stops t and frees it (see the rules above for what is guaranteed). */
void ken_timer_cancel(struct ken_timer *t);

#endif
