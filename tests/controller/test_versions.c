/* Apps of different OpenFlow versions in one controller: the hello offers
 * the union of their versions, each switch's events go to the apps that
 * speak its version (and to the apps that speak every version), and a
 * switch that speaks none of them is logged once per address, with what
 * each side offered, then summarised while it keeps reconnecting. */
#include <setjmp.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include <cmocka.h>

#include "fake_switch.h"
#include "ken/app.h"
#include "ken/controller.h"
#include "ken/log.h"
#include "ken/ofp_event.h"

/* ---- three apps: 1.0 only, 1.3 only, every version ---- */

enum { APP_10, APP_13, APP_ALL, N_APPS };
enum { DP_10 = 0x10, DP_13 = 0x13 };

/* What each app saw: features replies and DEAD state changes per dpid
 * (DP_10 or DP_13), HANDSHAKE state changes in all. */
static atomic_int features[N_APPS][2], dead[N_APPS][2], handshakes[N_APPS];

static int dp_index(const struct ken_datapath *dp) { return ken_datapath_id(dp) == DP_13; }

#define RECORDER(idx)                                                                              \
    static void on_features_##idx(struct ken_app *app, const struct ken_event *ev)                 \
    {                                                                                              \
        (void)app;                                                                                 \
        atomic_fetch_add(&features[idx][dp_index(ken_ev_ofp(ev)->msg.datapath)], 1);               \
    }                                                                                              \
    static void on_state_##idx(struct ken_app *app, const struct ken_event *ev)                    \
    {                                                                                              \
        (void)app;                                                                                 \
        const struct ken_ev_ofp_state_change *sc = ken_ev_ofp_state_change(ev);                    \
        if (sc->phase == KEN_PHASE_HANDSHAKE)                                                      \
            atomic_fetch_add(&handshakes[idx], 1);                                                 \
        else if (sc->phase == KEN_PHASE_DEAD && ken_datapath_id(sc->datapath))                     \
            atomic_fetch_add(&dead[idx][dp_index(sc->datapath)], 1);                               \
    }                                                                                              \
    static const struct ken_handler handlers_##idx[] = {                                           \
        {KEN_EV_OFP_SWITCH_FEATURES, KEN_PHASE_CONFIG, on_features_##idx},                         \
        {KEN_EV_OFP_STATE_CHANGE, 0, on_state_##idx},                                              \
        {NULL, 0, NULL},                                                                           \
    };

RECORDER(APP_10)
RECORDER(APP_13)
RECORDER(APP_ALL)

static const struct ken_app_desc app_10 = {
    .name = "ver_app_10", .ofp_versions = KEN_APP_OFP(KEN_OFP10), .handlers = handlers_APP_10};
static const struct ken_app_desc app_13 = {
    .name = "ver_app_13", .ofp_versions = KEN_APP_OFP(KEN_OFP13), .handlers = handlers_APP_13};
static const struct ken_app_desc app_all = {.name = "ver_app_all", .handlers = handlers_APP_ALL};
KEN_APP_REGISTER(app_10);
KEN_APP_REGISTER(app_13);
KEN_APP_REGISTER(app_all);

static const struct fsw_port two_ports[] = {
    {1, {0, 0, 0, 0, 0, 1}, "eth1", 0, 0},
    {2, {0, 0, 0, 0, 0, 2}, "eth2", 0, 0},
};

static struct ken_controller *start_tcp(void)
{
    struct ken_controller_options o;
    ken_controller_options_init(&o);
    o.listen_host = "127.0.0.1";
    o.tcp_port = 0;
    char why[KEN_CONTROLLER_WHY_LEN];
    struct ken_controller *c = ken_controller_start(&o, why);
    if (!c)
        fprintf(stderr, "controller: %s\n", why);
    assert_non_null(c);
    return c;
}

/* Waits (up to 10 s) until *v reaches want. */
static bool wait_for(atomic_int *v, int want)
{
    for (int i = 0; i < 10000 && atomic_load(v) < want; i++)
        usleep(1000);
    return atomic_load(v) >= want;
}

static uint32_t get32(const uint8_t *p) { return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3]; }

/* The switch side of a handshake at s->version, checking the bitmap of the
 * controller's hello on the way. */
static void handshake(struct fsw *s, int port, uint8_t version, uint64_t dpid, uint32_t want_bitmap)
{
    assert_int_equal(fsw_connect(s, "127.0.0.1", port, NULL), 0);
    s->version = version;
    s->dpid = dpid;
    assert_int_equal(fsw_send_hello(s, version, 1u << version), 0);
    assert_true(fsw_expect(s, 0, FSW_TIMEOUT_MS) > 0);
    /* The controller's hello: its highest version, one bitmap element. */
    assert_int_equal(s->msg_len, 16);
    assert_int_equal(s->msg[0], 31 - __builtin_clz(want_bitmap));
    assert_int_equal(get32(s->msg + 12), want_bitmap);
    assert_true(fsw_expect(s, 5, FSW_TIMEOUT_MS) > 0);
    assert_int_equal(fsw_send_features_reply(s, fsw_msg_xid(s), two_ports, 2), 0);
    if (version >= KEN_OFP13) {
        assert_true(fsw_expect(s, 18, FSW_TIMEOUT_MS) > 0);
        assert_int_equal(fsw_send_port_desc_reply(s, fsw_msg_xid(s), two_ports, 2), 0);
    }
    assert_true(fsw_expect(s, 9, FSW_TIMEOUT_MS) > 0); /* set-config: MAIN */
}

/* A 1.0 switch is the 1.0 app's, a 1.3 switch the 1.3 app's; the app of
 * every version has both. Before negotiation (HANDSHAKE) every app hears
 * of each switch. */
static void test_routing(void **state)
{
    (void)state;
    assert_int_equal(ken_runtime_ofp_versions(), KEN_APP_OFP(KEN_OFP10) | KEN_APP_OFP(KEN_OFP13));
    struct ken_controller *c = start_tcp();
    int port = ken_controller_tcp_port(c);
    uint32_t bitmap = 1u << KEN_OFP10 | 1u << KEN_OFP13;
    struct fsw s10, s13;
    handshake(&s10, port, KEN_OFP10, DP_10, bitmap);
    handshake(&s13, port, KEN_OFP13, DP_13, bitmap);
    assert_true(wait_for(&features[APP_ALL][0], 1));
    assert_true(wait_for(&features[APP_ALL][1], 1));
    assert_true(wait_for(&features[APP_10][0], 1));
    assert_true(wait_for(&features[APP_13][1], 1));
    fsw_close(&s10);
    fsw_close(&s13);
    assert_true(wait_for(&dead[APP_ALL][0], 1));
    assert_true(wait_for(&dead[APP_ALL][1], 1));
    assert_true(wait_for(&dead[APP_10][0], 1));
    assert_true(wait_for(&dead[APP_13][1], 1));
    ken_controller_stop(c);
    /* Everything is delivered by now: nothing crossed over. */
    assert_int_equal(features[APP_10][1], 0);
    assert_int_equal(features[APP_13][0], 0);
    assert_int_equal(dead[APP_10][1], 0);
    assert_int_equal(dead[APP_13][0], 0);
    for (int a = 0; a < N_APPS; a++)
        assert_int_equal(atomic_load(&handshakes[a]), 2);
}

static size_t count(const char *text, const char *needle)
{
    size_t n = 0;
    for (const char *p = text; (p = strstr(p, needle)); p += strlen(needle))
        n++;
    return n;
}

/* A log file for one test: created empty, opened as the log. */
static void log_to_temp(char *path)
{
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    close(fd);
    assert_int_equal(ken_log_open_file(path), 0);
}

static const char *read_log(const char *path)
{
    static char text[256 * 1024];
    FILE *f = fopen(path, "r");
    assert_non_null(f);
    size_t n = fread(text, 1, sizeof text - 1, f);
    text[n] = 0;
    fclose(f);
    return text;
}

/* A 1.1-only switch from 127.0.A.B: HELLO_FAILED, then closed. */
static void mismatch_from(int port, uint8_t a, uint8_t b)
{
    int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    assert_true(fd >= 0);
    struct sockaddr_in from = {.sin_family = AF_INET};
    from.sin_addr.s_addr = htonl(0x7f000000u | (uint32_t)a << 8 | b);
    assert_int_equal(bind(fd, (struct sockaddr *)&from, sizeof from), 0);
    struct fsw s;
    assert_int_equal(fsw_connect_socket(&s, fd, port), 0);
    assert_int_equal(fsw_send_hello(&s, 2, 1u << 2), 0);
    assert_true(fsw_expect(&s, 1, FSW_TIMEOUT_MS) > 0); /* OFPT_ERROR: HELLO_FAILED */
    assert_int_equal(s.msg[8] << 8 | s.msg[9], 0);
    assert_true(fsw_wait_closed(&s, FSW_TIMEOUT_MS));
    fsw_close(&s);
}

#define SUMMARY "WARNING controller: 127.0.0.1: no common OpenFlow version again "
#define SUMMARY_DETAIL "(the switch offers 1.1, ken speaks 1.0, 1.3)"

/* The occurrences the summary lines of text count ("again 4 times", or
 * "again once"), each line checked for what both sides offered; *lines
 * gets how many lines there were. */
static int summarised(const char *text, int *lines)
{
    int total = 0;
    *lines = 0;
    for (const char *p = text; (p = strstr(p, SUMMARY)); p += strlen(SUMMARY)) {
        const char *after = p + strlen(SUMMARY), *eol = strchr(after, '\n');
        int n = 1;
        if (strncmp(after, "once in the last ", 17))
            assert_int_equal(sscanf(after, "%d times in the last ", &n), 1);
        const char *detail = strstr(after, SUMMARY_DETAIL);
        assert_true(detail && (!eol || detail < eol));
        total += n;
        ++*lines;
    }
    return total;
}

/* A 1.1-only switch that reconnects five times: one WARNING line saying
 * what each side offered, then DEBUG lines (--verbose) and a WARNING
 * summary of the four; every attempt is refused with HELLO_FAILED. */
static void test_mismatch_logged_once(void **state)
{
    (void)state;
    ken_log_repeat_flush(); /* what earlier tests left */
    char path[] = "/tmp/ken-versions-log-XXXXXX";
    log_to_temp(path);
    int level = ken_log_get_level();
    ken_log_set_level(KEN_LOG_DEBUG);
    struct ken_controller *c = start_tcp();
    enum { ATTEMPTS = 5 };
    for (int i = 0; i < ATTEMPTS; i++)
        mismatch_from(ken_controller_tcp_port(c), 0, 1);
    ken_controller_stop(c);
    ken_log_repeat_flush(); /* the summary now, not in 60 s */
    ken_log_set_level(level);
    ken_log_use_stderr();
    const char *text = read_log(path);
    unlink(path);
    const char *what = "127.0.0.1: no common OpenFlow version: the switch offers 1.1 (hello version 0x02, "
                       "bitmap 0x00000004), ken speaks 1.0, 1.3 (the versions of the apps ver_app_";
    if (count(text, what) != ATTEMPTS)
        fail_msg("expected %d lines with \"%s\" in:\n%s", ATTEMPTS, what, text);
    assert_int_equal(count(text, "WARNING controller: 127.0.0.1: no common OpenFlow version: "), 1);
    assert_int_equal(count(text, "(logged once per address, then summarised)"), 1);
    /* both apps that name their versions, in start order */
    assert_int_equal(count(text, "(the versions of the apps ver_app_10, ver_app_13)")
                     + count(text, "(the versions of the apps ver_app_13, ver_app_10)"), ATTEMPTS);
    assert_int_equal(count(text, "DEBUG controller: 127.0.0.1: no common OpenFlow version"), ATTEMPTS - 1);
    assert_int_equal(count(text, "(summarised at WARNING)"), ATTEMPTS - 1);
    int lines;
    assert_int_equal(summarised(text, &lines), ATTEMPTS - 1);
    assert_int_equal(lines, 1);
    assert_non_null(strstr(text, SUMMARY "4 times in the last "));
}

/* Waits (up to 10 s) for a summary line in the log at path. */
static const char *wait_summary(const char *path)
{
    for (int i = 0; i < 1000; i++) {
        const char *text = read_log(path);
        if (strstr(text, SUMMARY))
            return text;
        usleep(10000);
    }
    fail_msg("no summary within 10 s:\n%s", read_log(path));
    return NULL;
}

/* At the default level, a switch that keeps retrying with the wrong
 * version: its first attempt at WARNING in full, then a WARNING summary
 * per summary interval (1 s here) that the log thread writes though no
 * attempt follows, nothing more once it stopped, and in full again when
 * it comes back after a quiet interval. */
static void test_mismatch_summarised(void **state)
{
    (void)state;
    ken_log_repeat_flush();
    uint32_t interval = ken_log_get_summary_interval();
    ken_log_set_summary_interval(1000);
    char path[] = "/tmp/ken-versions-log-XXXXXX";
    log_to_temp(path);
    struct ken_controller *c = start_tcp();
    int port = ken_controller_tcp_port(c);
    enum { ATTEMPTS = 20 };
    for (int i = 0; i < ATTEMPTS; i++)
        mismatch_from(port, 0, 1);
    const char *text = wait_summary(path);
    /* The attempts may straddle a window's end: two summaries, then. */
    usleep(1500 * 1000);
    text = read_log(path);
    int lines;
    int n = summarised(text, &lines);
    if (n != ATTEMPTS - 1 || lines < 1 || lines > 2)
        fail_msg("want %d attempts summarised in 1 or 2 lines:\n%s", ATTEMPTS - 1, text);
    assert_int_equal(count(text, "no common OpenFlow version: the switch offers"), 1);
    assert_int_equal(count(text, "DEBUG"), 0);
    /* Quiet: no more summaries (two more intervals), then forgotten. */
    usleep(2200 * 1000);
    text = read_log(path);
    assert_int_equal(summarised(text, &lines), ATTEMPTS - 1);
    mismatch_from(port, 0, 1);
    ken_controller_stop(c);
    ken_log_repeat_flush();
    text = read_log(path);
    assert_int_equal(count(text, "WARNING controller: 127.0.0.1: no common OpenFlow version: the switch offers"), 2);
    assert_int_equal(summarised(text, &lines), ATTEMPTS - 1);
    ken_log_use_stderr();
    unlink(path);
    ken_log_set_summary_interval(interval);
}

/* Hosts are conditions of their own: each one's first mismatch is logged
 * in full, its second only counted. */
static void test_mismatch_per_host(void **state)
{
    (void)state;
    ken_log_repeat_flush();
    char path[] = "/tmp/ken-versions-log-XXXXXX";
    log_to_temp(path);
    struct ken_controller *c = start_tcp();
    int port = ken_controller_tcp_port(c);
    enum { HOSTS = 50 };
    for (int i = 0; i < HOSTS; i++) {
        mismatch_from(port, 1, (uint8_t)i);
        mismatch_from(port, 1, (uint8_t)i);
    }
    ken_controller_stop(c);
    ken_log_repeat_flush();
    ken_log_use_stderr();
    const char *text = read_log(path);
    unlink(path);
    assert_int_equal(count(text, "no common OpenFlow version: the switch offers"), HOSTS);
    assert_int_equal(count(text, "no common OpenFlow version again once in the last "), HOSTS);
    assert_int_equal(count(text, "WARNING controller: 127.0.1.7: no common OpenFlow version: "), 1);
}

int main(void)
{
    char why[KEN_WHY_LEN];
    const char *names[] = {"ver_app_10", "ver_app_13", "ver_app_all"};
    if (ken_app_load(names, 3, why)) {
        fprintf(stderr, "cannot load the apps: %s\n", why);
        return 1;
    }
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_routing),
        cmocka_unit_test(test_mismatch_logged_once),
        cmocka_unit_test(test_mismatch_summarised),
        cmocka_unit_test(test_mismatch_per_host),
    };
    int failed = cmocka_run_group_tests(tests, NULL, NULL);
    ken_runtime_shutdown();
    return failed;
}
