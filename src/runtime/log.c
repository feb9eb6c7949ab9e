/* Logging: a global level with per-module overrides, one write() per
 * record. The module table is small and read under a mutex only when some
 * module has its own level (the common case costs one atomic load).
 * Repeated conditions (struct ken_log_repeat) are counted with atomics and
 * summarised by a thread of their own (below). */
#include "ken/log.h"
#include "runtime/lock.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <syslog.h>
#include <time.h>
#include <unistd.h>

#define LOG_LINE_MAX 2048

struct module_level {
    struct module_level *next;
    int level;
    char name[];
};

enum log_output { OUT_STDERR, OUT_FILE, OUT_SYSLOG };

static _Atomic int log_level = KEN_LOG_INFO;
static _Atomic bool log_has_modules;
static struct ken_mutex log_lock = KEN_MUTEX_INITIALIZER;
static struct module_level *log_modules;
static enum log_output log_out = OUT_STDERR;
static int log_fd = -1;
static char *log_ident;

static const struct {
    const char *name;
    int level;
} level_names[] = {
    {"debug", KEN_LOG_DEBUG}, {"info", KEN_LOG_INFO},   {"warning", KEN_LOG_WARNING},
    {"warn", KEN_LOG_WARNING}, {"error", KEN_LOG_ERROR}, {"critical", KEN_LOG_CRITICAL},
    {"fatal", KEN_LOG_CRITICAL},
};

int ken_log_level_parse(const char *s, int *level)
{
    if (!s || !*s)
        return EINVAL;
    if (isdigit((unsigned char)*s)) {
        char *end;
        long v = strtol(s, &end, 10);
        if (*end || v < 0 || v > KEN_LOG_CRITICAL)
            return EINVAL;
        *level = (int)v;
        return 0;
    }
    for (size_t i = 0; i < sizeof level_names / sizeof level_names[0]; i++) {
        if (!strcasecmp(s, level_names[i].name)) {
            *level = level_names[i].level;
            return 0;
        }
    }
    return EINVAL;
}

const char *ken_log_level_name(int level)
{
    static const char *const names[] = {"DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"};
    static _Thread_local char other[16];
    if (level % 10 == 0 && level >= KEN_LOG_DEBUG && level <= KEN_LOG_CRITICAL)
        return names[level / 10 - 1];
    snprintf(other, sizeof other, "LEVEL%d", level);
    return other;
}

void ken_log_set_level(int level) { atomic_store(&log_level, level); }
int ken_log_get_level(void) { return atomic_load(&log_level); }

int ken_log_set_module_level(const char *module, int level)
{
    ken_mutex_lock(&log_lock);
    struct module_level *m;
    for (m = log_modules; m; m = m->next)
        if (!strcmp(m->name, module))
            break;
    if (!m) {
        size_t n = strlen(module) + 1;
        m = malloc(sizeof *m + n);
        if (!m) {
            ken_mutex_unlock(&log_lock);
            return ENOMEM;
        }
        memcpy(m->name, module, n);
        m->next = log_modules;
        log_modules = m;
    }
    m->level = level;
    atomic_store(&log_has_modules, true);
    ken_mutex_unlock(&log_lock);
    return 0;
}

/* A module's own level (--log-level MODULE=LEVEL), or level. Out of line:
 * without per-module levels a log check is two loads and a compare (apps
 * check before every debug line of their packet-in handlers). */
static __attribute__((noinline)) int module_threshold(const char *module, int level)
{
    ken_mutex_lock(&log_lock);
    for (const struct module_level *m = log_modules; m; m = m->next) {
        if (!strcmp(m->name, module)) {
            level = m->level;
            break;
        }
    }
    ken_mutex_unlock(&log_lock);
    return level;
}

static inline int log_threshold(const char *module)
{
    int level = atomic_load_explicit(&log_level, memory_order_relaxed);
    if (!atomic_load_explicit(&log_has_modules, memory_order_relaxed) || !module)
        return level;
    return module_threshold(module, level);
}

bool ken_log_enabled(int level, const char *module) { return level >= log_threshold(module); }

/* Closes the current file or syslog; call with log_lock held. */
static void log_close_output(void) KEN_REQUIRES(&log_lock)
{
    if (log_out == OUT_FILE && log_fd >= 0)
        close(log_fd);
    if (log_out == OUT_SYSLOG)
        closelog();
    log_fd = -1;
    log_out = OUT_STDERR;
    free(log_ident);
    log_ident = NULL;
}

int ken_log_open_file(const char *path)
{
    int fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0644);
    if (fd < 0)
        return errno;
    ken_mutex_lock(&log_lock);
    log_close_output();
    log_fd = fd;
    log_out = OUT_FILE;
    ken_mutex_unlock(&log_lock);
    return 0;
}

void ken_log_use_syslog(const char *ident)
{
    ken_mutex_lock(&log_lock);
    log_close_output();
    /* openlog keeps the pointer, so the ident must outlive it. */
    log_ident = strdup(ident ? ident : "ken");
    openlog(log_ident, LOG_PID, LOG_DAEMON);
    log_out = OUT_SYSLOG;
    ken_mutex_unlock(&log_lock);
}

void ken_log_use_stderr(void)
{
    ken_mutex_lock(&log_lock);
    log_close_output();
    ken_mutex_unlock(&log_lock);
}

void ken_log_close(void)
{
    ken_log_repeat_flush(); /* to the output about to close */
    ken_mutex_lock(&log_lock);
    log_close_output();
    while (log_modules) {
        struct module_level *m = log_modules;
        log_modules = m->next;
        free(m);
    }
    atomic_store(&log_has_modules, false);
    ken_mutex_unlock(&log_lock);
}

static int syslog_priority(int level)
{
    if (level >= KEN_LOG_CRITICAL)
        return LOG_CRIT;
    if (level >= KEN_LOG_ERROR)
        return LOG_ERR;
    if (level >= KEN_LOG_WARNING)
        return LOG_WARNING;
    if (level >= KEN_LOG_INFO)
        return LOG_INFO;
    return LOG_DEBUG;
}

static void log_write(int level, const char *module, const char *fmt, va_list ap)
{
    char line[LOG_LINE_MAX];
    struct timespec ts;
    struct tm tm;
    clock_gettime(CLOCK_REALTIME, &ts);
    localtime_r(&ts.tv_sec, &tm);
    int stamp = (int)strftime(line, sizeof line, "%Y-%m-%d %H:%M:%S", &tm);
    stamp += snprintf(line + stamp, sizeof line - (size_t)stamp, ".%03ld ", ts.tv_nsec / 1000000L);
    int head = stamp + snprintf(line + stamp, sizeof line - (size_t)stamp, "%s %s: ",
                                ken_log_level_name(level), module ? module : "ken");
    int body = vsnprintf(line + head, sizeof line - (size_t)head, fmt, ap);
    size_t len = (size_t)head + (body < 0 ? 0 : (size_t)body);
    if (len > sizeof line - 2)
        len = sizeof line - 2;  /* truncated: still one line */
    line[len++] = '\n';

    ken_mutex_lock(&log_lock);
    if (log_out == OUT_SYSLOG) {
        line[len - 1] = '\0';
        /* syslog stamps its own time; skip ours. */
        syslog(syslog_priority(level), "%s", line + stamp);
    } else {
        int fd = log_out == OUT_FILE ? log_fd : STDERR_FILENO;
        ssize_t w = write(fd, line, len);
        (void)w;  /* nowhere to report a failed log write */
    }
    ken_mutex_unlock(&log_lock);
}

void ken_log(int level, const char *module, const char *fmt, ...)
{
    if (!ken_log_enabled(level, module))
        return;
    va_list ap;
    va_start(ap, fmt);
    log_write(level, module, fmt, ap);
    va_end(ap);
}

static uint64_t log_now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

void ken_log_rl(struct ken_log_ratelimit *rl, uint32_t interval_ms, int level, const char *module,
                const char *fmt, ...)
{
    if (!ken_log_enabled(level, module))
        return;
    uint64_t now = log_now_ns();
    uint64_t next = __atomic_load_n(&rl->next_ns, __ATOMIC_SEQ_CST);
    if (now < next || !__atomic_compare_exchange_n(&rl->next_ns, &next, now + interval_ms * 1000000ull, false, __ATOMIC_SEQ_CST,
                                                    __ATOMIC_SEQ_CST)) {
        __atomic_fetch_add(&rl->suppressed, 1, __ATOMIC_SEQ_CST);
        return;
    }
    uint32_t suppressed = __atomic_exchange_n(&rl->suppressed, 0, __ATOMIC_SEQ_CST);
    va_list ap;
    va_start(ap, fmt);
    log_write(level, module, fmt, ap);
    va_end(ap);
    if (suppressed)
        ken_log(level, module, "(%u similar messages suppressed)", suppressed);
}

void ken_log_rl_report(struct ken_log_ratelimit *rl, int level, const char *module)
{
    uint32_t suppressed = __atomic_exchange_n(&rl->suppressed, 0, __ATOMIC_SEQ_CST);
    if (suppressed)
        ken_log(level, module, "(%u similar messages suppressed)", suppressed);
}

/* ---- repeated conditions ----
 *
 * r->state holds REPEAT_ON while the condition is being counted and the
 * occurrences since its last summary below it; only compare-and-swap
 * changes it, so that an occurrence and the summary thread's "quiet:
 * forget it" (ON with a count of 0 -> 0) never cross. The conditions being
 * counted are on rep_list (linked by ken_log_repeat_start, after the first
 * occurrence turned ON), with their words, under rep_lock; the keyed ones
 * also in rep_keys. rep_lock is taken before log_lock, never after. */

#define REPEAT_ON (1ull << 63)
#define REPEAT_COUNT (REPEAT_ON - 1)
#define REPEAT_BUCKETS 256
#define NS_PER_MS 1000000ull

struct repeat_key {
    struct ken_log_repeat r;
    struct repeat_key *next;    /* in its bucket */
    uint64_t hash;
    char key[];                 /* module, NUL, key */
};

static struct ken_mutex rep_lock = KEN_MUTEX_INITIALIZER;
static struct ken_cond rep_wake;    /* on CLOCK_MONOTONIC: set up once */
static pthread_once_t rep_once = PTHREAD_ONCE_INIT;
static struct ken_log_repeat *rep_list KEN_GUARDED_BY(rep_lock);
static struct repeat_key *rep_keys[REPEAT_BUCKETS] KEN_GUARDED_BY(rep_lock);
static size_t rep_n_keys KEN_GUARDED_BY(rep_lock);
static bool rep_thread_on KEN_GUARDED_BY(rep_lock);
static _Atomic uint64_t rep_interval_ns = 60000 * NS_PER_MS;

static void rep_setup(void)
{
    pthread_condattr_t attr;
    pthread_condattr_init(&attr);
    pthread_condattr_setclock(&attr, CLOCK_MONOTONIC);
    pthread_cond_init(&rep_wake.c, &attr);
    pthread_condattr_destroy(&attr);
}

void ken_log_set_summary_interval(uint32_t ms)
{
    pthread_once(&rep_once, rep_setup);
    atomic_store(&rep_interval_ns, (ms ? ms : 1) * NS_PER_MS);
    ken_mutex_lock(&rep_lock);
    ken_cond_signal(&rep_wake); /* the thread's next due time moved */
    ken_mutex_unlock(&rep_lock);
}

uint32_t ken_log_get_summary_interval(void) { return (uint32_t)(atomic_load(&rep_interval_ns) / NS_PER_MS); }

bool ken_log_repeat_hit(struct ken_log_repeat *r, int level, const char *module)
{
    uint64_t v = __atomic_load_n(&r->state, __ATOMIC_ACQUIRE);
    /* Being counted: it was on when it started (ken_log_enabled may take a
     * lock, with per-module levels: not on this path). */
    if (!(v & REPEAT_ON) && !ken_log_enabled(level, module))
        return false;
    for (;;) {
        uint64_t want = !(v & REPEAT_ON) ? REPEAT_ON : (v & REPEAT_COUNT) == REPEAT_COUNT ? v : v + 1;
        if (__atomic_compare_exchange_n(&r->state, &v, want, true, __ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE))
            return !(v & REPEAT_ON);
    }
}

/* Replaces *slot with a copy of text unless equal (a failed copy: none). */
static void rep_set_text(char **slot, const char *text)
{
    if (*slot && text && !strcmp(*slot, text))
        return;
    free(*slot);
    *slot = text ? strdup(text) : NULL;
}

static void *rep_thread_main(void *arg);

/* The summary thread runs while some condition is linked. */
static void rep_thread_need(void) KEN_REQUIRES(&rep_lock)
{
    if (rep_thread_on)
        return;
    pthread_attr_t attr;
    pthread_attr_init(&attr);
    pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
    /* No signal for it: it only sleeps and writes. */
    sigset_t all, old;
    sigfillset(&all);
    pthread_sigmask(SIG_SETMASK, &all, &old);
    pthread_t t;
    /* Failing (no memory for a thread), the summaries come when the
     * conditions' next occurrence, a flush or a forget does. */
    if (!pthread_create(&t, &attr, rep_thread_main, NULL)) {
        rep_thread_on = true;
        pthread_setname_np(t, "ken-log");
    }
    pthread_sigmask(SIG_SETMASK, &old, NULL);
    pthread_attr_destroy(&attr);
}

static void rep_link(struct ken_log_repeat *r, int level, const char *module, uint64_t now) KEN_REQUIRES(&rep_lock)
{
    r->level = level;
    r->module = module;
    r->since_ns = now;
    r->next = rep_list;
    r->pprev = &rep_list;
    if (rep_list)
        rep_list->pprev = &r->next;
    rep_list = r;
    r->linked = true;
    rep_thread_need();
}

static void rep_report(struct ken_log_repeat *r, uint64_t n, uint64_t now) KEN_REQUIRES(&rep_lock)
{
    if (!n)
        return;
    unsigned long long secs = (now - r->since_ns + 500000000ull) / 1000000000ull;
    char times[32];
    if (n == 1)
        snprintf(times, sizeof times, "once");
    else
        snprintf(times, sizeof times, "%llu times", (unsigned long long)n);
    ken_log(r->level, r->module, "%s %s in the last %llu s%s", r->subject ? r->subject : "a condition recurred",
            times, secs ? secs : 1, r->detail ? r->detail : "");
}

/* Takes r off the list (and a keyed one out of the table, freed). */
static void rep_unlink(struct ken_log_repeat *r) KEN_REQUIRES(&rep_lock)
{
    if (!r->linked)
        return;
    *r->pprev = r->next;
    if (r->next)
        r->next->pprev = r->pprev;
    r->next = NULL;
    r->pprev = NULL;
    r->linked = false;
    free(r->subject);
    free(r->detail);
    r->subject = r->detail = NULL;
    if (r->keyed) {
        struct repeat_key *k = (struct repeat_key *)r;
        struct repeat_key **at = &rep_keys[k->hash % REPEAT_BUCKETS];
        while (*at != k)
            at = &(*at)->next;
        *at = k->next;
        rep_n_keys--;
        free(k);
    }
}

void ken_log_repeat_start(struct ken_log_repeat *r, int level, const char *module, const char *subject,
                          const char *detail)
{
    pthread_once(&rep_once, rep_setup);
    ken_mutex_lock(&rep_lock);
    if (!r->linked && (__atomic_load_n(&r->state, __ATOMIC_ACQUIRE) & REPEAT_ON))
        rep_link(r, level, module, log_now_ns());
    if (r->linked) {
        rep_set_text(&r->subject, subject);
        rep_set_text(&r->detail, detail);
    }
    ken_mutex_unlock(&rep_lock);
}

void ken_log_repeat_forget(struct ken_log_repeat *r)
{
    ken_mutex_lock(&rep_lock);
    uint64_t v = __atomic_exchange_n(&r->state, 0, __ATOMIC_ACQ_REL);
    if (r->linked) {
        rep_report(r, v & REPEAT_COUNT, log_now_ns());
        rep_unlink(r);
    }
    ken_mutex_unlock(&rep_lock);
}

static uint64_t rep_hash(const char *module, const char *key)
{
    uint64_t h = 0xcbf29ce484222325ull; /* FNV-1a */
    for (const char *p = module; *p; p++)
        h = (h ^ (uint8_t)*p) * 0x100000001b3ull;
    h = (h ^ 0xff) * 0x100000001b3ull;
    for (const char *p = key; *p; p++)
        h = (h ^ (uint8_t)*p) * 0x100000001b3ull;
    return h;
}

bool ken_log_repeat_key(const char *key, int level, const char *module, const char *subject, const char *detail)
{
    if (!module)
        module = "ken";
    if (!ken_log_enabled(level, module))
        return false;
    uint64_t h = rep_hash(module, key);
    size_t mlen = strlen(module), klen = strlen(key);
    pthread_once(&rep_once, rep_setup);
    ken_mutex_lock(&rep_lock);
    for (struct repeat_key *k = rep_keys[h % REPEAT_BUCKETS]; k; k = k->next) {
        if (k->hash != h || strcmp(k->key, module) || strcmp(k->key + mlen + 1, key))
            continue;
        /* Counted while in the table (the summary thread takes a quiet
         * one out under this lock). */
        uint64_t v = __atomic_load_n(&k->r.state, __ATOMIC_ACQUIRE);
        if ((v & REPEAT_COUNT) != REPEAT_COUNT)
            __atomic_store_n(&k->r.state, v + 1, __ATOMIC_RELEASE);
        rep_set_text(&k->r.subject, subject);
        rep_set_text(&k->r.detail, detail);
        ken_mutex_unlock(&rep_lock);
        return false;
    }
    struct repeat_key *k = NULL;
    if (rep_n_keys < KEN_LOG_REPEAT_KEYS_MAX)
        k = calloc(1, sizeof *k + mlen + 1 + klen + 1);
    if (k) {
        memcpy(k->key, module, mlen + 1);
        memcpy(k->key + mlen + 1, key, klen + 1);
        k->hash = h;
        k->r.keyed = true;
        k->r.state = REPEAT_ON;
        k->next = rep_keys[h % REPEAT_BUCKETS];
        rep_keys[h % REPEAT_BUCKETS] = k;
        rep_n_keys++;
        rep_link(&k->r, level, k->key, log_now_ns());
        rep_set_text(&k->r.subject, subject);
        rep_set_text(&k->r.detail, detail);
    }
    ken_mutex_unlock(&rep_lock);
    return true;
}

/* Summarises the conditions whose window ended by now (all of them when
 * all): one line for those that recurred, which are counted on in a new
 * window; those that did not are forgotten. Returns the next window's end,
 * or UINT64_MAX when no condition is left. */
static uint64_t rep_flush_locked(uint64_t now, bool all) KEN_REQUIRES(&rep_lock)
{
    uint64_t interval = atomic_load(&rep_interval_ns), next = UINT64_MAX;
    struct ken_log_repeat *r = rep_list;
    while (r) {
        struct ken_log_repeat *after = r->next;
        uint64_t due = r->since_ns + interval;
        if (all) {
            uint64_t v = __atomic_exchange_n(&r->state, 0, __ATOMIC_ACQ_REL);
            rep_report(r, v & REPEAT_COUNT, now);
            rep_unlink(r);
        } else if (now < due) {
            next = due < next ? due : next;
        } else {
            uint64_t v = __atomic_load_n(&r->state, __ATOMIC_ACQUIRE);
            while (!__atomic_compare_exchange_n(&r->state, &v, v & REPEAT_COUNT ? REPEAT_ON : 0, true,
                                                __ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE))
                ;
            if (v & REPEAT_COUNT) {
                rep_report(r, v & REPEAT_COUNT, now);
                r->since_ns = now;
                next = now + interval < next ? now + interval : next;
            } else {
                rep_unlink(r); /* quiet for a whole window */
            }
        }
        r = after;
    }
    return next;
}

static void *rep_thread_main(void *arg)
{
    (void)arg;
    ken_mutex_lock(&rep_lock);
    for (;;) {
        uint64_t next = rep_flush_locked(log_now_ns(), false);
        if (next == UINT64_MAX)
            break;
        struct timespec until = {.tv_sec = (time_t)(next / 1000000000ull), .tv_nsec = (long)(next % 1000000000ull)};
        ken_cond_timedwait(&rep_wake, &rep_lock, &until);
    }
    rep_thread_on = false;
    ken_mutex_unlock(&rep_lock);
    return NULL;
}

void ken_log_repeat_flush(void)
{
    pthread_once(&rep_once, rep_setup);
    ken_mutex_lock(&rep_lock);
    rep_flush_locked(log_now_ns(), true);
    ken_cond_signal(&rep_wake); /* nothing left: the thread ends */
    ken_mutex_unlock(&rep_lock);
}
