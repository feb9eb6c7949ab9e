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

/* A record that can repeat (a bad message from a switch): at most one per
 * interval; the next record tells how many were suppressed (so a burst
 * that stops never tells: for a count that must come, see struct
 * ken_log_repeat below). Keep one struct per condition (static or in the
 * object concerned). */
struct ken_log_ratelimit { /* zero-initialized; changed only atomically by ken_log_rl */
    uint64_t next_ns;
    uint32_t suppressed;
};
void ken_log_rl(struct ken_log_ratelimit *rl, uint32_t interval_ms, int level, const char *module,
                const char *fmt, ...) __attribute__((format(printf, 5, 6)));
/* Logs how many records rl suppressed since its last one, if any (when the
 * condition's owner goes away, so the count is not lost). */
void ken_log_rl_report(struct ken_log_ratelimit *rl, int level, const char *module);

/* A condition that recurs (a switch reconnecting, a version mismatch from
 * one address, an app queue filling up again and again) is logged once,
 * then summarised: its first occurrence is logged in full by the caller,
 * the later ones are only counted, and once per summary interval in which
 * it recurred one line tells how often, at the level given to
 * ken_log_repeat_start:
 *
 *     <subject> 12 times in the last 60 s<detail>
 *
 * A log thread (started with the first condition, gone when none is left)
 * writes the summaries when they fall due, whether or not the condition
 * happens again. A condition quiet for a whole interval is forgotten: its
 * next occurrence is logged in full again. For example:
 *
 *     static struct ken_log_repeat full;   // or a field of the object concerned
 *     if (ken_log_repeat_hit(&full, KEN_LOG_WARNING, "mymod")) {
 *         ken_log(KEN_LOG_WARNING, "mymod", "queue %s is full (%zu events)", name, n);
 *         ken_log_repeat_start(&full, KEN_LOG_WARNING, "mymod", "queue full again", "");
 *     }
 *
 * The hot path (the condition already being counted) is an atomic load and
 * a compare-and-swap: no lock, no formatting. */
struct ken_log_repeat { /* zero-initialized; the fields are log.c's */
    uint64_t state;                      /* atomically: bit 63 on, the count below */
    uint64_t since_ns;                   /* the window being counted (log.c's lock) */
    struct ken_log_repeat *next, **pprev; /* the conditions being counted */
    char *subject, *detail;
    const char *module;
    int level;
    bool linked, keyed;
};
/* An occurrence of r's condition. True for the first one (the first since
 * the condition was last quiet for a whole interval): the caller logs it in
 * full and calls ken_log_repeat_start. Otherwise counts it and returns
 * false. Also false, counting nothing, when level is off for module. */
bool ken_log_repeat_hit(struct ken_log_repeat *r, int level, const char *module);
/* After a true ken_log_repeat_hit: the summaries' level, module (a string
 * that outlives r) and words, "<subject> N times in the last S s<detail>"
 * (copied; detail "" or " (...)"). */
void ken_log_repeat_start(struct ken_log_repeat *r, int level, const char *module, const char *subject,
                          const char *detail);
/* Before r's memory goes (its owner does): logs its pending summary, if
 * any, and forgets r. Not needed for a static r. */
void ken_log_repeat_forget(struct ken_log_repeat *r);
/* A condition named by a key (an address, a datapath id and a reason)
 * instead of a struct of its own: the same rules, the struct in a table of
 * the log module, under a lock (for paths that are not hot). subject and
 * detail replace the summary's words at every occurrence (a summary tells
 * of the last one). Returns true when the caller logs this occurrence in
 * full (false, counting nothing, when level is off for module). The table holds KEN_LOG_REPEAT_KEYS_MAX conditions: past that, a
 * new key is logged in full every time (never hidden). */
#define KEN_LOG_REPEAT_KEYS_MAX 4096
bool ken_log_repeat_key(const char *key, int level, const char *module, const char *subject, const char *detail);
/* The summary interval (default 60000 ms; at least 1 ms). */
void ken_log_set_summary_interval(uint32_t ms);
uint32_t ken_log_get_summary_interval(void);
/* Logs every pending summary now and forgets every condition (each one's
 * next occurrence is logged in full): at shutdown (ken_log_close does it)
 * or between tests. */
void ken_log_repeat_flush(void);

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
