/* The metrics app's text: a snapshot of the counters rendered in the
 * Prometheus text exposition format 0.0.4. Kept apart from the app (which
 * takes the snapshot and serves it) so that the rendering is testable
 * without a controller or an HTTP server (tests/rest/test_metrics_text.c). */
#ifndef KEN_APPS_METRICS_H
#define KEN_APPS_METRICS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ken/app.h"
#include "ken/buf.h"
#include "ken/controller.h"
#include "ken/datapath.h"

#define METRICS_CONTENT_TYPE "text/plain; version=0.0.4; charset=utf-8"

/* A switch: its counters, address and whether its version is known. */
struct metrics_dp {
    struct ken_datapath_counters c;
    char address[64];
};

struct metrics_app {
    const char *name;
    struct ken_app_stats st;
};

/* What the Prometheus client libraries report of a process, from /proc. */
struct metrics_process {
    bool ok;                    /* false: /proc/self unreadable, no process_* series */
    uint64_t cpu_ns;            /* user + system */
    uint64_t resident_bytes;
    uint64_t virtual_bytes;
    uint64_t open_fds;
    uint64_t max_fds;           /* the soft RLIMIT_NOFILE */
    bool max_fds_unlimited;
    uint64_t start_time_ns;     /* since the epoch */
};

struct metrics_snapshot {
    struct metrics_process proc;
    struct ken_controller_counters ctl;
    const struct metrics_dp *dps;   /* in dpid order */
    size_t n_dps;
    const struct metrics_app *apps; /* in start order */
    size_t n_apps;
};

/* Appends the whole exposition (HELP and TYPE once per family, every
 * family's samples together, label values escaped). */
void metrics_render(struct ken_buf *out, const struct metrics_snapshot *s);
/* Reads this process's figures; 0 or an errno (p->ok false). */
int metrics_process_read(struct metrics_process *p);
/* A label value escaped for the text format: \ " and newline. */
void metrics_escape_label(struct ken_buf *out, const char *v);
/* ns as decimal seconds, exactly ("1.000000250"). */
void metrics_put_seconds(struct ken_buf *out, uint64_t ns);

#endif
