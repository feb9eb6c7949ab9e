/* Logging: Python logging's levels, per-module names, one line per record
 * with a timestamp, to stderr, a file or syslog. Thread-safe: a record is
 * written with one write() (lines from many threads never interleave).
 *
 *     KEN_LOG_INFO("simple_switch", "packet in %016llx port %u", dpid, port);
 *
 * The macros skip formatting when the level is off. ken-manager maps its
 * options onto the setters: --verbose -> ken_log_set_level(KEN_LOG_DEBUG),
 * --default-log-level N -> ken_log_set_level(N), --log-file F ->
 * ken_log_open_file(F), --use-syslog -> ken_log_use_syslog(). */
#ifndef KEN_LOG_H
#define KEN_LOG_H

#include <stdbool.h>
#include <stdint.h>

enum ken_log_level {
    KEN_LOG_DEBUG = 10,
    KEN_LOG_INFO = 20,
    KEN_LOG_WARNING = 30,
    KEN_LOG_ERROR = 40,
    KEN_LOG_CRITICAL = 50,
};

/* "debug", "INFO", "warn", "warning", "error", "critical", "fatal", or a
 * number (10, 20, ... any 0..50). Returns 0, or EINVAL. */
int ken_log_level_parse(const char *s, int *level);
/* "DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL", or "LEVEL<n>". */
const char *ken_log_level_name(int level);

/* The level for modules without their own (default KEN_LOG_INFO). */
void ken_log_set_level(int level);
int ken_log_get_level(void);
/* A level for one module; returns 0 or ENOMEM. */
int ken_log_set_module_level(const char *module, int level);

/* Outputs. Opening a file (appended to) or syslog replaces the current
 * output; ken_log_use_stderr() goes back to stderr. */
int ken_log_open_file(const char *path);
void ken_log_use_syslog(const char *ident);
void ken_log_use_stderr(void);
/* Closes the file or syslog and frees the per-module levels. */
void ken_log_close(void);

/* True when a record of this level from this module would be written. */
bool ken_log_enabled(int level, const char *module);
void ken_log(int level, const char *module, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

/* A record that can repeat (a queue over its watermark): at most one per
 * interval; the next record tells how many were suppressed. Keep one
 * struct per condition (static or in the object concerned). */
struct ken_log_ratelimit { /* zero-initialized; changed only atomically by ken_log_rl */
    uint64_t next_ns;
    uint32_t suppressed;
};
void ken_log_rl(struct ken_log_ratelimit *rl, uint32_t interval_ms, int level, const char *module,
                const char *fmt, ...) __attribute__((format(printf, 5, 6)));
/* Logs how many records rl suppressed since its last one, if any (when the
 * condition's owner goes away, so the count is not lost). */
void ken_log_rl_report(struct ken_log_ratelimit *rl, int level, const char *module);

#define KEN_LOG_AT(level, module, ...) \
    do { \
        if (ken_log_enabled((level), (module))) \
            ken_log((level), (module), __VA_ARGS__); \
    } while (0)
#define KEN_LOG_DEBUG(module, ...) KEN_LOG_AT(KEN_LOG_DEBUG, module, __VA_ARGS__)
#define KEN_LOG_INFO(module, ...) KEN_LOG_AT(KEN_LOG_INFO, module, __VA_ARGS__)
#define KEN_LOG_WARNING(module, ...) KEN_LOG_AT(KEN_LOG_WARNING, module, __VA_ARGS__)
#define KEN_LOG_ERROR(module, ...) KEN_LOG_AT(KEN_LOG_ERROR, module, __VA_ARGS__)
#define KEN_LOG_CRITICAL(module, ...) KEN_LOG_AT(KEN_LOG_CRITICAL, module, __VA_ARGS__)

#endif
