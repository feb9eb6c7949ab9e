/* The Prometheus text format (0.0.4) of a metrics snapshot, and the
 * process figures read from /proc/self (see metrics.h). */
#include "metrics.h"

#include <dirent.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

/* ---- writing ---- */

static void bprintf(struct ken_buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void bprintf(struct ken_buf *b, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (n <= 0)
        return;
    uint8_t *p = ken_buf_reserve(b, (size_t)n + 1);
    va_start(ap, fmt);
    vsnprintf((char *)p, (size_t)n + 1, fmt, ap);
    va_end(ap);
    b->len += (size_t)n; /* the NUL stays past len */
}

static void puts_(struct ken_buf *b, const char *s) { ken_buf_put(b, s, strlen(s)); }

void metrics_escape_label(struct ken_buf *out, const char *v)
{
    for (; *v; v++) {
        if (*v == '\\')
            puts_(out, "\\\\");
        else if (*v == '"')
            puts_(out, "\\\"");
        else if (*v == '\n')
            puts_(out, "\\n");
        else
            ken_buf_put8(out, (uint8_t)*v);
    }
}

/* Integers in decimal, never through a double: a counter of bytes past
 * 2^53 stays exact. */
void metrics_put_seconds(struct ken_buf *out, uint64_t ns)
{
    bprintf(out, "%llu.%09llu", (unsigned long long)(ns / 1000000000u), (unsigned long long)(ns % 1000000000u));
}

/* HELP and TYPE lines: written once, before every sample of the family. */
static void family(struct ken_buf *b, const char *name, const char *type, const char *help)
{
    bprintf(b, "# HELP %s %s\n# TYPE %s %s\n", name, help, name, type);
}

static void sample_u64(struct ken_buf *b, const char *name, uint64_t v)
{
    bprintf(b, "%s %llu\n", name, (unsigned long long)v);
}

/* name{dpid="..."[,type="..."]} */
static void dp_labels(struct ken_buf *b, const char *name, const struct metrics_dp *d, const char *type)
{
    char id[17];
    ken_dpid_to_str(d->c.dpid, id);
    bprintf(b, "%s{dpid=\"%s\"", name, id);
    if (type) {
        puts_(b, ",type=\"");
        metrics_escape_label(b, type);
        puts_(b, "\"");
    }
    puts_(b, "} ");
}

static void app_labels(struct ken_buf *b, const char *name, const struct metrics_app *a)
{
    bprintf(b, "%s{app=\"", name);
    metrics_escape_label(b, a->name);
    puts_(b, "\"} ");
}

/* The label of a type slot: its name in the switch's version, or the
 * number when the version has none. */
static const char *type_label(uint8_t version, unsigned slot, char buf[16])
{
    if (slot == KEN_DATAPATH_MSG_OTHER)
        return "OTHER";
    const char *name = slot == 0 ? "HELLO" : ken_ofp_type_name(version, (uint8_t)slot);
    if (name)
        return name;
    snprintf(buf, 16, "%u", slot);
    return buf;
}

/* ---- the families ---- */

static void render_process(struct ken_buf *b, const struct metrics_process *p)
{
    if (!p->ok)
        return;
    family(b, "process_cpu_seconds_total", "counter", "Total user and system CPU time spent in seconds.");
    puts_(b, "process_cpu_seconds_total ");
    metrics_put_seconds(b, p->cpu_ns);
    puts_(b, "\n");
    family(b, "process_resident_memory_bytes", "gauge", "Resident memory size in bytes.");
    sample_u64(b, "process_resident_memory_bytes", p->resident_bytes);
    family(b, "process_virtual_memory_bytes", "gauge", "Virtual memory size in bytes.");
    sample_u64(b, "process_virtual_memory_bytes", p->virtual_bytes);
    family(b, "process_open_fds", "gauge", "Number of open file descriptors.");
    sample_u64(b, "process_open_fds", p->open_fds);
    family(b, "process_max_fds", "gauge", "Maximum number of open file descriptors.");
    if (p->max_fds_unlimited)
        puts_(b, "process_max_fds +Inf\n");
    else
        sample_u64(b, "process_max_fds", p->max_fds);
    family(b, "process_start_time_seconds", "gauge", "Start time of the process since unix epoch in seconds.");
    puts_(b, "process_start_time_seconds ");
    metrics_put_seconds(b, p->start_time_ns);
    puts_(b, "\n");
}

static void render_controller(struct ken_buf *b, const struct ken_controller_counters *c)
{
    family(b, "ken_controller_connections_total", "counter", "Switch connections opened (accepted or connected).");
    sample_u64(b, "ken_controller_connections_total", c->connections);
    family(b, "ken_controller_connection_errors_total", "counter",
           "Switch connections closed or given up on because of an error.");
    sample_u64(b, "ken_controller_connection_errors_total", c->connection_errors);
}

enum dir { RX, TX };

/* One family of per-type figures: a sample for each type seen (a zero
 * would be one line per type the version has, per switch, of no news). */
static void render_by_type(struct ken_buf *b, const struct metrics_snapshot *s, const char *name, const char *help,
                           enum dir dir, bool bytes)
{
    family(b, name, "counter", help);
    for (size_t i = 0; i < s->n_dps; i++) {
        const struct metrics_dp *d = &s->dps[i];
        const struct ken_datapath_msg_count *c = dir == RX ? d->c.rx : d->c.tx;
        for (unsigned t = 0; t < KEN_DATAPATH_MSG_TYPES; t++) {
            if (!c[t].msgs)
                continue;
            char num[16];
            dp_labels(b, name, d, type_label(d->c.version, t, num));
            bprintf(b, "%llu\n", (unsigned long long)(bytes ? c[t].bytes : c[t].msgs));
        }
    }
}

static void render_datapaths(struct ken_buf *b, const struct metrics_snapshot *s)
{
    family(b, "ken_datapath_connected", "gauge", "1 for each switch connected (in MAIN).");
    for (size_t i = 0; i < s->n_dps; i++) {
        dp_labels(b, "ken_datapath_connected", &s->dps[i], NULL);
        puts_(b, "1\n");
    }
    family(b, "ken_datapath_info", "gauge", "A switch's address and negotiated OpenFlow version; always 1.");
    for (size_t i = 0; i < s->n_dps; i++) {
        const struct metrics_dp *d = &s->dps[i];
        char id[17];
        ken_dpid_to_str(d->c.dpid, id);
        const char *v = ken_ofp_version_name(d->c.version);
        bprintf(b, "ken_datapath_info{dpid=\"%s\",address=\"", id);
        metrics_escape_label(b, d->address);
        puts_(b, "\",version=\"");
        metrics_escape_label(b, v ? v : "");
        puts_(b, "\"} 1\n");
    }
    render_by_type(b, s, "ken_datapath_messages_received_total", "OpenFlow messages received from the switch, by type.",
                   RX, false);
    render_by_type(b, s, "ken_datapath_messages_sent_total", "OpenFlow messages sent to the switch, by type.", TX,
                   false);
    render_by_type(b, s, "ken_datapath_received_bytes_total", "Bytes of OpenFlow messages received, by type.", RX,
                   true);
    render_by_type(b, s, "ken_datapath_sent_bytes_total", "Bytes of OpenFlow messages sent, by type.", TX, true);
    family(b, "ken_datapath_error_messages_received_total", "counter", "OFPT_ERROR messages received from the switch.");
    for (size_t i = 0; i < s->n_dps; i++) {
        dp_labels(b, "ken_datapath_error_messages_received_total", &s->dps[i], NULL);
        bprintf(b, "%llu\n", (unsigned long long)s->dps[i].c.rx_errors);
    }
    family(b, "ken_datapath_bad_messages_total", "counter",
           "Messages from the switch the controller refused (answered with an OFPT_ERROR).");
    for (size_t i = 0; i < s->n_dps; i++) {
        dp_labels(b, "ken_datapath_bad_messages_total", &s->dps[i], NULL);
        bprintf(b, "%llu\n", (unsigned long long)s->dps[i].c.bad_msgs);
    }
    family(b, "ken_datapath_echo_rtt_last_seconds", "gauge",
           "Round trip of the controller's last answered echo request.");
    for (size_t i = 0; i < s->n_dps; i++) {
        const struct metrics_dp *d = &s->dps[i];
        if (!d->c.echo_rtt_count)
            continue; /* none measured yet: no value, rather than a false 0 */
        dp_labels(b, "ken_datapath_echo_rtt_last_seconds", d, NULL);
        metrics_put_seconds(b, d->c.echo_rtt_last_ns);
        puts_(b, "\n");
    }
    family(b, "ken_datapath_echo_rtt_seconds", "summary", "Round trips of the controller's echo requests.");
    for (size_t i = 0; i < s->n_dps; i++) {
        const struct metrics_dp *d = &s->dps[i];
        dp_labels(b, "ken_datapath_echo_rtt_seconds_sum", d, NULL);
        metrics_put_seconds(b, d->c.echo_rtt_sum_ns);
        puts_(b, "\n");
        dp_labels(b, "ken_datapath_echo_rtt_seconds_count", d, NULL);
        bprintf(b, "%llu\n", (unsigned long long)d->c.echo_rtt_count);
    }
}

/* One per-app family; v picks the figure. */
static void render_app_family(struct ken_buf *b, const struct metrics_snapshot *s, const char *name,
                              const char *type, const char *help, uint64_t (*v)(const struct ken_app_stats *))
{
    family(b, name, type, help);
    for (size_t i = 0; i < s->n_apps; i++) {
        app_labels(b, name, &s->apps[i]);
        bprintf(b, "%llu\n", (unsigned long long)v(&s->apps[i].st));
    }
}

static uint64_t st_depth(const struct ken_app_stats *st) { return st->depth; }
static uint64_t st_max_depth(const struct ken_app_stats *st) { return st->max_depth; }
static uint64_t st_high(const struct ken_app_stats *st) { return st->high_watermark; }
static uint64_t st_enqueued(const struct ken_app_stats *st) { return st->enqueued; }
static uint64_t st_dispatched(const struct ken_app_stats *st) { return st->dispatched; }
static uint64_t st_discarded(const struct ken_app_stats *st) { return st->discarded; }
static uint64_t st_backpressure(const struct ken_app_stats *st) { return st->backpressure; }
static uint64_t st_blocked(const struct ken_app_stats *st) { return st->blocked_sends; }

static void render_apps(struct ken_buf *b, const struct metrics_snapshot *s)
{
    render_app_family(b, s, "ken_app_queue_depth", "gauge", "Events queued or being handled.", st_depth);
    render_app_family(b, s, "ken_app_queue_max_depth", "gauge", "The highest queue depth seen.", st_max_depth);
    render_app_family(b, s, "ken_app_queue_high_watermark", "gauge",
                      "The queue depth at which senders that can wait are held back.", st_high);
    render_app_family(b, s, "ken_app_events_enqueued_total", "counter", "Events accepted into the app's queue.",
                      st_enqueued);
    render_app_family(b, s, "ken_app_events_handled_total", "counter", "Events taken off the queue and handled.",
                      st_dispatched);
    render_app_family(b, s, "ken_app_events_discarded_total", "counter",
                      "Events refused (app stopped) or dropped at stop.", st_discarded);
    family(b, "ken_app_handler_seconds_total", "counter", "Wall time spent in the app's handlers.");
    for (size_t i = 0; i < s->n_apps; i++) {
        app_labels(b, "ken_app_handler_seconds_total", &s->apps[i]);
        metrics_put_seconds(b, s->apps[i].st.handler_ns);
        puts_(b, "\n");
    }
    render_app_family(b, s, "ken_app_backpressure_total", "counter",
                      "Times the queue reached its high watermark.", st_backpressure);
    render_app_family(b, s, "ken_app_blocked_sends_total", "counter", "Times a sender waited for room in the queue.",
                      st_blocked);
}

void metrics_render(struct ken_buf *out, const struct metrics_snapshot *s)
{
    render_process(out, &s->proc);
    render_controller(out, &s->ctl);
    render_datapaths(out, s);
    render_apps(out, s);
}

/* ---- /proc/self ---- */

static int read_file(const char *path, char *buf, size_t size)
{
    FILE *f = fopen(path, "re");
    if (!f)
        return errno;
    size_t n = fread(buf, 1, size - 1, f);
    buf[n] = 0;
    fclose(f);
    return n ? 0 : EIO;
}

/* The boot time (btime of /proc/stat), in seconds since the epoch. */
static int boot_time(uint64_t *out)
{
    char buf[8192];
    int err = read_file("/proc/stat", buf, sizeof buf);
    if (err)
        return err;
    const char *p = strstr(buf, "\nbtime ");
    if (!p)
        return EIO;
    *out = strtoull(p + 7, NULL, 10);
    return 0;
}

int metrics_process_read(struct metrics_process *p)
{
    *p = (struct metrics_process){0};
    char buf[1024];
    int err = read_file("/proc/self/stat", buf, sizeof buf);
    if (err)
        return err;
    /* The name (field 2) may hold spaces and parentheses: the fields
     * after it start past its last ')'. */
    const char *q = strrchr(buf, ')');
    if (!q)
        return EIO;
    unsigned long long f[64] = {0};
    size_t n = 0;
    /* Field 3 (state) is a letter; from field 4 on, numbers. */
    q += 2;
    if (*q)
        q++;
    while (*q && n < 64) {
        char *end;
        f[n] = strtoull(q, &end, 10);
        if (end == q)
            break;
        n++;
        q = end;
    }
    /* f[0] is field 4 (ppid): utime 14, stime 15, starttime 22, vsize 23,
     * rss 24 (pages). */
    if (n < 21)
        return EIO;
    long tick = sysconf(_SC_CLK_TCK), page = sysconf(_SC_PAGESIZE);
    if (tick <= 0 || page <= 0)
        return EINVAL;
    uint64_t btime;
    if ((err = boot_time(&btime)))
        return err;
    p->cpu_ns = (f[14 - 4] + f[15 - 4]) * (1000000000ull / (uint64_t)tick);
    p->start_time_ns = btime * 1000000000ull + f[22 - 4] * (1000000000ull / (uint64_t)tick);
    p->virtual_bytes = f[23 - 4];
    p->resident_bytes = f[24 - 4] * (uint64_t)page;
    DIR *d = opendir("/proc/self/fd");
    if (!d)
        return errno;
    struct dirent *e;
    while ((e = readdir(d)))
        p->open_fds += e->d_name[0] != '.';
    closedir(d);
    p->open_fds--; /* the directory's own descriptor */
    struct rlimit rl;
    if (getrlimit(RLIMIT_NOFILE, &rl))
        return errno;
    p->max_fds_unlimited = rl.rlim_cur == RLIM_INFINITY;
    p->max_fds = (uint64_t)rl.rlim_cur;
    p->ok = true;
    return 0;
}
