/* The metrics app's Prometheus text (apps/metrics_text.c), from snapshots
 * with known numbers: exact sample lines, label escaping, HELP and TYPE
 * once per family with every sample of the family right after them, the
 * numbers (exact integers past 2^53, seconds from nanoseconds), what is
 * left out (unseen types, an unmeasured echo), and the process figures
 * read from /proc/self. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "metrics.h"

/* The rendered text as a C string (the caller frees). */
static char *render(const struct metrics_snapshot *s)
{
    struct ken_buf b = KEN_BUF_INIT;
    metrics_render(&b, s);
    char *t = malloc(b.len + 1);
    memcpy(t, b.data, b.len);
    t[b.len] = 0;
    ken_buf_free(&b);
    return t;
}

/* The line, whole, is in the text. */
static bool has_line(const char *text, const char *line)
{
    size_t n = strlen(line);
    for (const char *p = text; (p = strstr(p, line)); p++)
        if ((p == text || p[-1] == '\n') && p[n] == '\n')
            return true;
    return false;
}

static void assert_line(const char *text, const char *line)
{
    if (!has_line(text, line)) {
        fprintf(stderr, "missing line: %s\n--- text ---\n%s", line, text);
        fail();
    }
}

static size_t count(const char *text, const char *needle)
{
    size_t n = 0;
    for (const char *p = text; (p = strstr(p, needle)); p += strlen(needle))
        n++;
    return n;
}

/* The format's structure, strictly: every line is a comment (# HELP name
 * text, # TYPE name type) or a sample "name{labels} value" whose family
 * (name, or name less _sum/_count for a summary) was declared just before
 * (every sample of a family together, right after its TYPE), each family
 * declared once with HELP then TYPE. Returns the number of samples. */
static size_t check_structure(const char *text)
{
    char families[128][96];
    char types[128][16];
    size_t n_fam = 0, samples = 0;
    assert_true(strlen(text) > 0 && text[strlen(text) - 1] == '\n');
    char *copy = strdup(text), *save = NULL;
    const char *current = NULL, *current_type = NULL;
    char pending_help[96] = "";
    for (char *line = strtok_r(copy, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
        char name[96], rest[16];
        if (!strncmp(line, "# HELP ", 7)) {
            assert_int_equal(sscanf(line + 7, "%95s", name), 1);
            for (size_t i = 0; i < n_fam; i++)
                assert_string_not_equal(families[i], name); /* declared once */
            snprintf(pending_help, sizeof pending_help, "%s", name);
            continue;
        }
        if (!strncmp(line, "# TYPE ", 7)) {
            assert_int_equal(sscanf(line + 7, "%95s %15s", name, rest), 2);
            assert_string_equal(name, pending_help); /* HELP first, same name */
            assert_true(!strcmp(rest, "counter") || !strcmp(rest, "gauge") || !strcmp(rest, "summary"));
            assert_true(n_fam < 128);
            snprintf(families[n_fam], sizeof families[n_fam], "%s", name);
            snprintf(types[n_fam], sizeof types[n_fam], "%s", rest);
            current = families[n_fam];
            current_type = types[n_fam];
            n_fam++;
            pending_help[0] = 0;
            continue;
        }
        assert_true(line[0] != '#');
        /* name: [a-zA-Z_:][a-zA-Z0-9_:]* */
        size_t k = strspn(line, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ_:0123456789");
        assert_true(k > 0 && k < sizeof name);
        memcpy(name, line, k);
        name[k] = 0;
        assert_non_null(current);
        bool ok = !strcmp(name, current);
        if (!ok && !strcmp(current_type, "summary")) {
            size_t c = strlen(current);
            ok = !strncmp(name, current, c) && (!strcmp(name + c, "_sum") || !strcmp(name + c, "_count"));
        }
        if (!ok)
            fprintf(stderr, "sample %s outside its family (current %s)\n", name, current);
        assert_true(ok);
        if (!strcmp(current_type, "counter"))
            assert_true(strlen(name) > 6 && !strcmp(name + strlen(name) - 6, "_total"));
        const char *p = line + k;
        if (*p == '{') {
            /* label="value"(,label="value")* with \\ \" \n escapes only */
            p++;
            while (*p != '}') {
                size_t l = strspn(p, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ_0123456789");
                assert_true(l > 0);
                p += l;
                assert_int_equal(*p++, '=');
                assert_int_equal(*p++, '"');
                while (*p != '"') {
                    assert_true(*p && *p != '\n');
                    if (*p == '\\') {
                        p++;
                        assert_true(*p == '\\' || *p == '"' || *p == 'n');
                    }
                    p++;
                }
                p++;
                if (*p == ',')
                    p++;
                else
                    assert_int_equal(*p, '}');
            }
            p++;
        }
        assert_int_equal(*p++, ' ');
        char *end;
        if (strcmp(p, "+Inf")) {
            strtod(p, &end);
            assert_true(end != p && *end == 0);
        }
        samples++;
    }
    free(copy);
    return samples;
}

static const char *const weird_app = "a\"b\\c\nd";

static void fill(struct metrics_snapshot *s, struct metrics_dp *dps, struct metrics_app *apps)
{
    memset(s, 0, sizeof *s);
    memset(dps, 0, 2 * sizeof *dps);
    memset(apps, 0, 2 * sizeof *apps);
    s->proc = (struct metrics_process){
        .ok = true,
        .cpu_ns = 1250000000,
        .resident_bytes = 4096000,
        .virtual_bytes = 123456789,
        .open_fds = 12,
        .max_fds = 1024,
        .start_time_ns = 1765000000500000000ull,
    };
    s->ctl = (struct ken_controller_counters){.connections = 3, .connection_errors = 1};

    struct ken_datapath_counters *a = &dps[0].c;
    a->dpid = 1;
    a->version = KEN_OFP13;
    a->rx[0] = (struct ken_datapath_msg_count){1, 16};           /* HELLO */
    a->rx[10] = (struct ken_datapath_msg_count){5, 500};         /* PACKET_IN */
    a->rx[1] = (struct ken_datapath_msg_count){2, 24};           /* ERROR */
    a->rx_errors = 2;
    a->rx[KEN_DATAPATH_MSG_OTHER] = (struct ken_datapath_msg_count){3, 24};
    a->tx[14] = (struct ken_datapath_msg_count){5, (1ull << 53) + 1}; /* FLOW_MOD: exact past 2^53 */
    a->bad_msgs = 4;
    a->echo_rtt_last_ns = 1000000250;
    a->echo_rtt_sum_ns = 1000300250;
    a->echo_rtt_count = 2;
    snprintf(dps[0].address, sizeof dps[0].address, "127.0.0.1:40000");

    struct ken_datapath_counters *b = &dps[1].c;
    b->dpid = 0xfedcba9876543210ull;
    b->version = KEN_OFP10;
    b->rx[30] = (struct ken_datapath_msg_count){1, 8};  /* no type 30 in 1.0 */
    b->rx[17] = (struct ken_datapath_msg_count){1, 12}; /* 1.0's STATS_REPLY */
    snprintf(dps[1].address, sizeof dps[1].address, "[::1]:\"x\\");
    s->dps = dps;
    s->n_dps = 2;

    apps[0].name = "dpset";
    apps[0].st = (struct ken_app_stats){.enqueued = 7, .dispatched = 6, .depth = 1, .max_depth = 3,
                                        .high_watermark = 8192, .backpressure = 2, .handler_ns = 1500,
                                        .blocked_sends = 9, .discarded = 5};
    apps[1].name = weird_app;
    s->apps = apps;
    s->n_apps = 2;
}

static void test_samples(void **state)
{
    (void)state;
    struct metrics_snapshot s;
    struct metrics_dp dps[2];
    struct metrics_app apps[2];
    fill(&s, dps, apps);
    char *t = render(&s);

    assert_line(t, "process_cpu_seconds_total 1.250000000");
    assert_line(t, "process_resident_memory_bytes 4096000");
    assert_line(t, "process_virtual_memory_bytes 123456789");
    assert_line(t, "process_open_fds 12");
    assert_line(t, "process_max_fds 1024");
    assert_line(t, "process_start_time_seconds 1765000000.500000000");
    assert_line(t, "ken_controller_connections_total 3");
    assert_line(t, "ken_controller_connection_errors_total 1");

    assert_line(t, "ken_datapath_connected{dpid=\"0000000000000001\"} 1");
    assert_line(t, "ken_datapath_connected{dpid=\"fedcba9876543210\"} 1");
    assert_line(t, "ken_datapath_info{dpid=\"0000000000000001\",address=\"127.0.0.1:40000\",version=\"1.3\"} 1");
    assert_line(t, "ken_datapath_info{dpid=\"fedcba9876543210\",address=\"[::1]:\\\"x\\\\\",version=\"1.0\"} 1");
    assert_line(t, "ken_datapath_messages_received_total{dpid=\"0000000000000001\",type=\"HELLO\"} 1");
    assert_line(t, "ken_datapath_messages_received_total{dpid=\"0000000000000001\",type=\"PACKET_IN\"} 5");
    assert_line(t, "ken_datapath_received_bytes_total{dpid=\"0000000000000001\",type=\"PACKET_IN\"} 500");
    assert_line(t, "ken_datapath_messages_received_total{dpid=\"0000000000000001\",type=\"ERROR\"} 2");
    assert_line(t, "ken_datapath_messages_received_total{dpid=\"0000000000000001\",type=\"OTHER\"} 3");
    assert_line(t, "ken_datapath_messages_sent_total{dpid=\"0000000000000001\",type=\"FLOW_MOD\"} 5");
    assert_line(t, "ken_datapath_sent_bytes_total{dpid=\"0000000000000001\",type=\"FLOW_MOD\"} 9007199254740993");
    /* 1.0 numbers are 1.0's: 17 is its STATS_REPLY (named as in 1.3) */
    assert_line(t, "ken_datapath_messages_received_total{dpid=\"fedcba9876543210\",type=\"MULTIPART_REPLY\"} 1");
    assert_line(t, "ken_datapath_messages_received_total{dpid=\"fedcba9876543210\",type=\"30\"} 1");
    assert_line(t, "ken_datapath_error_messages_received_total{dpid=\"0000000000000001\"} 2");
    assert_line(t, "ken_datapath_error_messages_received_total{dpid=\"fedcba9876543210\"} 0");
    assert_line(t, "ken_datapath_bad_messages_total{dpid=\"0000000000000001\"} 4");
    assert_line(t, "ken_datapath_echo_rtt_last_seconds{dpid=\"0000000000000001\"} 1.000000250");
    assert_line(t, "ken_datapath_echo_rtt_seconds_sum{dpid=\"0000000000000001\"} 1.000300250");
    assert_line(t, "ken_datapath_echo_rtt_seconds_count{dpid=\"0000000000000001\"} 2");
    assert_line(t, "ken_datapath_echo_rtt_seconds_count{dpid=\"fedcba9876543210\"} 0");

    assert_line(t, "ken_app_queue_depth{app=\"dpset\"} 1");
    assert_line(t, "ken_app_queue_max_depth{app=\"dpset\"} 3");
    assert_line(t, "ken_app_queue_high_watermark{app=\"dpset\"} 8192");
    assert_line(t, "ken_app_events_enqueued_total{app=\"dpset\"} 7");
    assert_line(t, "ken_app_events_handled_total{app=\"dpset\"} 6");
    assert_line(t, "ken_app_events_discarded_total{app=\"dpset\"} 5");
    assert_line(t, "ken_app_handler_seconds_total{app=\"dpset\"} 0.000001500");
    assert_line(t, "ken_app_backpressure_total{app=\"dpset\"} 2");
    assert_line(t, "ken_app_blocked_sends_total{app=\"dpset\"} 9");
    assert_line(t, "ken_app_queue_depth{app=\"a\\\"b\\\\c\\nd\"} 0");

    /* Left out: types never seen, and the last RTT of a switch with none
     * measured (a false 0 otherwise). */
    assert_int_equal(count(t, "type=\"FLOW_MOD\""), 2);
    assert_int_equal(count(t, "ken_datapath_echo_rtt_last_seconds{dpid=\"fedcba9876543210\"}"), 0);
    assert_int_equal(count(t, "\"FEATURES_REPLY\""), 0);
    free(t);
}

static void test_structure(void **state)
{
    (void)state;
    struct metrics_snapshot s;
    struct metrics_dp dps[2];
    struct metrics_app apps[2];
    fill(&s, dps, apps);
    char *t = render(&s);
    size_t n = check_structure(t);
    /* process 6, controller 2, per switch connected+info+errors+bad+echo
     * sum+count = 6 x 2, last RTT 1, by type: rx 4+2 and tx 1, each twice
     * (messages, bytes), per app 9 x 2 */
    assert_int_equal(n, 6 + 2 + 12 + 1 + 2 * (6 + 1) + 18);
    /* one HELP and one TYPE per family */
    assert_int_equal(count(t, "# HELP ken_datapath_messages_received_total "), 1);
    assert_int_equal(count(t, "# TYPE ken_datapath_messages_received_total counter\n"), 1);
    assert_int_equal(count(t, "# TYPE ken_datapath_echo_rtt_seconds summary\n"), 1);
    assert_int_equal(count(t, "# TYPE process_resident_memory_bytes gauge\n"), 1);
    free(t);
}

/* No switch, no app, no /proc: every family is still declared once (the
 * controller's samples stay), nothing else. */
static void test_empty(void **state)
{
    (void)state;
    struct metrics_snapshot s = {0};
    char *t = render(&s);
    assert_int_equal(check_structure(t), 2);
    assert_int_equal(count(t, "process_"), 0);
    assert_int_equal(count(t, "# TYPE ken_datapath_connected gauge\n"), 1);
    assert_int_equal(count(t, "{"), 0);
    free(t);
}

static void test_escape(void **state)
{
    (void)state;
    struct ken_buf b = KEN_BUF_INIT;
    metrics_escape_label(&b, "plain \\ \" \n end é");
    const char want[] = "plain \\\\ \\\" \\n end é";
    assert_int_equal(b.len, sizeof want - 1);
    assert_memory_equal(b.data, want, b.len);
    ken_buf_clear(&b);
    metrics_put_seconds(&b, 0);
    metrics_put_seconds(&b, 18446744073709551615ull);
    const char secs[] = "0.00000000018446744073.709551615";
    assert_int_equal(b.len, sizeof secs - 1);
    assert_memory_equal(b.data, secs, b.len);
    ken_buf_free(&b);
}

/* The process figures are this process's: its descriptors, its limit, a
 * start in the past and after boot, some memory and CPU. */
static void test_process(void **state)
{
    (void)state;
    struct metrics_process p;
    assert_int_equal(metrics_process_read(&p), 0);
    assert_true(p.ok);
    assert_true(p.open_fds >= 3);
    assert_true(p.resident_bytes > 0 && p.virtual_bytes >= p.resident_bytes);
    assert_true(p.max_fds_unlimited || p.max_fds >= p.open_fds);
    assert_true(p.start_time_ns > 1600000000ull * 1000000000ull);
    /* A new descriptor shows. */
    struct metrics_process q;
    FILE *f = fopen("/proc/self/stat", "r");
    assert_non_null(f);
    assert_int_equal(metrics_process_read(&q), 0);
    fclose(f);
    assert_int_equal(q.open_fds, p.open_fds + 1);
    assert_true(q.start_time_ns == p.start_time_ns);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_samples), cmocka_unit_test(test_structure), cmocka_unit_test(test_empty),
        cmocka_unit_test(test_escape),  cmocka_unit_test(test_process),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
