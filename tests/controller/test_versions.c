/* Apps of different OpenFlow versions in one controller: the hello offers
 * the union of their versions, each switch's events go to the apps that
 * speak its version (and to the apps that speak every version), and a
 * switch that speaks none of them is logged once per address, with what
 * each side offered, however often it reconnects. */
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

/* A 1.1-only switch that reconnects five times: one WARNING line saying
 * what each side offered, then DEBUG lines; every attempt is refused with
 * HELLO_FAILED. */
static void test_mismatch_logged_once(void **state)
{
    (void)state;
    char path[] = "/tmp/ken-versions-log-XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    close(fd);
    assert_int_equal(ken_log_open_file(path), 0);
    int level = ken_log_get_level();
    ken_log_set_level(KEN_LOG_DEBUG);
    struct ken_controller *c = start_tcp();
    enum { ATTEMPTS = 5 };
    for (int i = 0; i < ATTEMPTS; i++) {
        struct fsw s;
        assert_int_equal(fsw_connect(&s, "127.0.0.1", ken_controller_tcp_port(c), NULL), 0);
        assert_int_equal(fsw_send_hello(&s, 2, 1u << 2), 0);
        assert_true(fsw_expect(&s, 1, FSW_TIMEOUT_MS) > 0); /* OFPT_ERROR: HELLO_FAILED */
        assert_int_equal(s.msg[8] << 8 | s.msg[9], 0);
        assert_true(fsw_wait_closed(&s, FSW_TIMEOUT_MS));
        fsw_close(&s);
    }
    ken_controller_stop(c);
    ken_log_set_level(level);
    ken_log_use_stderr();
    FILE *f = fopen(path, "r");
    assert_non_null(f);
    static char text[256 * 1024];
    size_t n = fread(text, 1, sizeof text - 1, f);
    text[n] = 0;
    fclose(f);
    unlink(path);
    const char *what = "127.0.0.1: no common OpenFlow version: the switch offers 1.1 (hello version 0x02, "
                       "bitmap 0x00000004), ken speaks 1.0, 1.3 (the versions of the apps ver_app_";
    if (count(text, what) != ATTEMPTS)
        fail_msg("expected %d lines with \"%s\" in:\n%s", ATTEMPTS, what, text);
    assert_int_equal(count(text, "WARNING controller: 127.0.0.1: no common OpenFlow version"), 1);
    assert_int_equal(count(text, "(logged once per address)"), 1);
    /* both apps that name their versions, in start order */
    assert_int_equal(count(text, "(the versions of the apps ver_app_10, ver_app_13)")
                     + count(text, "(the versions of the apps ver_app_13, ver_app_10)"), ATTEMPTS);
    assert_int_equal(count(text, "DEBUG controller: 127.0.0.1: no common OpenFlow version"), ATTEMPTS - 1);
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
    assert_true(fsw_expect(&s, 1, FSW_TIMEOUT_MS) > 0);
    assert_true(fsw_wait_closed(&s, FSW_TIMEOUT_MS));
    fsw_close(&s);
}

/* The remembered hosts are bounded (the last 1024): a host is logged at
 * WARNING again once 1024 other hosts mismatched after it, and a host
 * among those 1024 is not. */
static void test_mismatch_memory_bounded(void **state)
{
    (void)state;
    char path[] = "/tmp/ken-versions-log-XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    close(fd);
    assert_int_equal(ken_log_open_file(path), 0);
    struct ken_controller *c = start_tcp();
    int port = ken_controller_tcp_port(c);
    enum { MEMORY = 1024 };
    mismatch_from(port, 1, 1);
    mismatch_from(port, 1, 1); /* remembered */
    for (int i = 0; i < MEMORY; i++)
        mismatch_from(port, (uint8_t)(2 + i / 256), (uint8_t)(i % 256));
    mismatch_from(port, 1, 1); /* forgotten: 1024 others since */
    mismatch_from(port, 2 + (MEMORY - 1) / 256, (MEMORY - 1) % 256); /* the latest: remembered */
    ken_controller_stop(c);
    ken_log_use_stderr();
    FILE *f = fopen(path, "r");
    assert_non_null(f);
    static char text[1024 * 1024];
    size_t n = fread(text, 1, sizeof text - 1, f);
    text[n] = 0;
    fclose(f);
    unlink(path);
    assert_int_equal(count(text, "WARNING controller: 127.0.1.1: no common OpenFlow version"), 2);
    assert_int_equal(count(text, "no common OpenFlow version"), 2 + MEMORY);
    char last[64];
    snprintf(last, sizeof last, "WARNING controller: 127.0.%d.%d: no common", 2 + (MEMORY - 1) / 256,
             (MEMORY - 1) % 256);
    assert_int_equal(count(text, last), 1);
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
        cmocka_unit_test(test_mismatch_memory_bounded),
    };
    int failed = cmocka_run_group_tests(tests, NULL, NULL);
    ken_runtime_shutdown();
    return failed;
}
