/* Logging: a global level with per-module overrides, one write() per
 * record. The module table is small and read under a mutex only when some
 * module has its own level (the common case costs one atomic load). */
#include "ken/log.h"
#include "runtime/lock.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
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

static int log_threshold(const char *module)
{
    int level = atomic_load_explicit(&log_level, memory_order_relaxed);
    if (!atomic_load_explicit(&log_has_modules, memory_order_relaxed) || !module)
        return level;
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
