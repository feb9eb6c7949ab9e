/* The network and tunnels services through their C API: every operation,
 * its errors (and that a failed call changes nothing and raises nothing),
 * and the events each change raises, in order, as an observer app sees
 * them (recorder.c). */
#include <errno.h>
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>

#include "ken/app.h"
#include "ken/network.h"
#include "ken/tunnels.h"

#include "recorder.h"

static struct ken_network *nw;
static struct ken_tunnels *tn;

static int setup(void **state)
{
    (void)state;
    char why[KEN_WHY_LEN];
    if (ken_app_load_one("netw_recorder", why)) {
        fprintf(stderr, "load: %s\n", why);
        return -1;
    }
    nw = ken_network_of(NULL);
    tn = ken_tunnels_of(NULL);
    /* The recorder got the same objects as its contexts. */
    struct ken_app *rec = ken_app_lookup("netw_recorder");
    return nw && tn && ken_network_of(rec) == nw && ken_tunnels_of(rec) == tn ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    ken_runtime_shutdown();
    return 0;
}

/* The events raised since the last check, one line each. */
#define EXPECT_EVENTS(expected) \
    do { \
        char *got_ = recorder_take(); \
        assert_non_null(got_); \
        assert_string_equal(got_, expected); \
        free(got_); \
    } while (0)

static const uint8_t MAC1[6] = {0x00, 0x11, 0x22, 0x33, 0x44, 0x55};
static const uint8_t MAC2[6] = {0xaa, 0xbb, 0xcc, 0xdd, 0xee, 0xff};

static void expect_networks(const char *const *ids, size_t n_ids)
{
    size_t n;
    char **list = ken_network_list(nw, &n);
    assert_int_equal(n, n_ids);
    for (size_t i = 0; i < n; i++)
        assert_string_equal(list[i], ids[i]);
    free(list);
}

static void test_not_running(void **state)
{
    (void)state;
    ken_runtime_shutdown();
    assert_null(ken_network_of(NULL));
    assert_null(ken_tunnels_of(NULL));
    assert_int_equal(setup(NULL), 0);
}

static void test_networks(void **state)
{
    (void)state;
    size_t n;
    assert_null(ken_network_list(nw, &n));
    assert_int_equal(n, 0);

    assert_int_equal(ken_network_create(nw, "net1"), 0);
    assert_int_equal(ken_network_create(nw, "net1"), EEXIST);
    assert_int_equal(ken_network_update(nw, "net1"), 0);   /* exists: no error */
    assert_int_equal(ken_network_update(nw, "net2"), 0);   /* creates */
    assert_int_equal(ken_network_create(nw, "é-net"), 0);  /* UTF-8 is fine */
    /* The reserved id, and malformed ones. */
    assert_int_equal(ken_network_create(nw, KEN_NW_ID_UNKNOWN), EEXIST);
    assert_int_equal(ken_network_update(nw, KEN_NW_ID_UNKNOWN), EEXIST);
    char longid[KEN_NW_ID_MAX + 2];
    memset(longid, 'a', sizeof longid - 1);
    longid[sizeof longid - 1] = '\0';
    assert_int_equal(ken_network_create(nw, longid), EINVAL);
    longid[KEN_NW_ID_MAX] = '\0';
    assert_int_equal(ken_network_create(nw, longid), 0);   /* the longest */
    assert_int_equal(ken_network_create(nw, ""), EINVAL);
    assert_int_equal(ken_network_create(nw, NULL), EINVAL);
    assert_int_equal(ken_network_create(nw, "a\nb"), EINVAL);
    assert_int_equal(ken_network_create(nw, "bad\xff"), EINVAL);
    assert_int_equal(ken_network_update(nw, "\xc0\xaf"), EINVAL);   /* overlong '/' */
    assert_int_equal(ken_network_update(nw, "\xed\xa0\x80"), EINVAL);  /* a surrogate */

    const char *ids[] = {"net1", "net2", "é-net", longid};
    expect_networks(ids, 4);   /* creation order, nothing else recorded */
    assert_true(ken_network_exists(nw, "net2"));
    assert_false(ken_network_exists(nw, "net3"));

    assert_int_equal(ken_network_remove(nw, "net3"), ENOENT);
    assert_int_equal(ken_network_remove(nw, "a\nb"), ENOENT);
    assert_int_equal(ken_network_remove(nw, "net2"), 0);
    assert_int_equal(ken_network_remove(nw, "net2"), ENOENT);
    const char *left[] = {"net1", "é-net", longid};
    expect_networks(left, 3);
    /* Creating and updating networks raises nothing; removal one event. */
    EXPECT_EVENTS("NetworkDel net2\n");
    assert_string_equal(ken_network_error_name(ENOENT), "NetworkNotFound");
    assert_string_equal(ken_network_error_name(EBUSY), "MacAddressAlreadyExist");
}

static void test_ports(void **state)
{
    (void)state;
    assert_int_equal(ken_network_create(nw, "net1"), 0);
    assert_int_equal(ken_network_create(nw, "net2"), 0);
    assert_int_equal(ken_network_create_port(nw, "nope", 1, 1), ENOENT);
    assert_int_equal(ken_network_update_port(nw, "nope", 1, 1), ENOENT);
    assert_int_equal(ken_network_create_port(nw, "net1", 1, 0), EINVAL);
    assert_int_equal(ken_network_create_port(nw, "net1", 2, 5), 0);
    assert_int_equal(ken_network_create_port(nw, "net1", 1, 7), 0);
    assert_int_equal(ken_network_create_port(nw, "net1", 2, 1), 0);
    assert_int_equal(ken_network_create_port(nw, "net1", UINT64_MAX, UINT32_MAX), 0);
    /* Already in this network, or in another one. */
    assert_int_equal(ken_network_create_port(nw, "net1", 2, 5), EADDRINUSE);
    assert_int_equal(ken_network_create_port(nw, "net2", 2, 5), EADDRINUSE);
    /* update: already here, nothing to do. */
    assert_int_equal(ken_network_update_port(nw, "net1", 2, 5), 0);
    EXPECT_EVENTS("NetworkPort net1 0000000000000002 5 add\n"
                  "NetworkPort net1 0000000000000001 7 add\n"
                  "NetworkPort net1 0000000000000002 1 add\n"
                  "NetworkPort net1 ffffffffffffffff 4294967295 add\n");

    struct ken_network_port *ports;
    size_t n;
    assert_int_equal(ken_network_list_ports(nw, "net1", &ports, &n), 0);
    assert_int_equal(n, 4);   /* (dpid, port_no) order */
    assert_true(ports[0].dpid == 1 && ports[0].port_no == 7);
    assert_true(ports[1].dpid == 2 && ports[1].port_no == 1);
    assert_true(ports[2].dpid == 2 && ports[2].port_no == 5);
    assert_true(ports[3].dpid == UINT64_MAX && ports[3].port_no == UINT32_MAX);
    free(ports);
    assert_int_equal(ken_network_list_ports(nw, "net2", &ports, &n), 0);
    assert_int_equal(n, 0);
    assert_null(ports);
    assert_int_equal(ken_network_list_ports(nw, "nope", &ports, &n), ENOENT);

    uint64_t *dpids;
    assert_int_equal(ken_network_get_dpids(nw, "net1", &dpids, &n), 0);
    assert_int_equal(n, 3);   /* each switch once, in order */
    assert_true(dpids[0] == 1 && dpids[1] == 2 && dpids[2] == UINT64_MAX);
    free(dpids);
    assert_int_equal(ken_network_get_dpids(nw, "net2", &dpids, &n), 0);
    assert_int_equal(n, 0);
    assert_null(dpids);
    assert_int_equal(ken_network_get_dpids(nw, "nope", &dpids, &n), ENOENT);

    char id[KEN_NW_ID_MAX + 1];
    assert_int_equal(ken_network_port_network(nw, 2, 5, id), 0);
    assert_string_equal(id, "net1");
    assert_int_equal(ken_network_port_network(nw, 2, 6, id), ENXIO);

    /* A move: the port leaves net1 (its MAC released) and joins net2. */
    assert_int_equal(ken_network_create_mac(nw, "net1", 2, 5, MAC1), 0);
    assert_int_equal(ken_network_update_port(nw, "net2", 2, 5), 0);
    EXPECT_EVENTS("MacAddress 0000000000000002 5 net1 00:11:22:33:44:55 add\n"
                  "MacAddress 0000000000000002 5 net1 00:11:22:33:44:55 del\n"
                  "NetworkPort net1 0000000000000002 5 del\n"
                  "NetworkPort net2 0000000000000002 5 add\n");
    assert_int_equal(ken_network_port_network(nw, 2, 5, id), 0);
    assert_string_equal(id, "net2");
    bool has = true;
    uint8_t mac[6];
    assert_int_equal(ken_network_get_mac(nw, "net2", 2, 5, mac, &has), 0);
    assert_false(has);   /* the MAC stayed with net1's port */

    /* Removal: not in this network, unknown network, then for real. */
    assert_int_equal(ken_network_remove_port(nw, "net1", 2, 5), ENXIO);
    assert_int_equal(ken_network_remove_port(nw, "nope", 2, 5), ENOENT);
    assert_int_equal(ken_network_create_mac(nw, "net2", 2, 5, MAC2), 0);
    assert_int_equal(ken_network_remove_port(nw, "net2", 2, 5), 0);
    assert_int_equal(ken_network_remove_port(nw, "net2", 2, 5), ENXIO);
    assert_int_equal(ken_network_port_network(nw, 2, 5, id), ENXIO);
    EXPECT_EVENTS("MacAddress 0000000000000002 5 net2 aa:bb:cc:dd:ee:ff add\n"
                  "MacAddress 0000000000000002 5 net2 aa:bb:cc:dd:ee:ff del\n"
                  "NetworkPort net2 0000000000000002 5 del\n");
    /* A removed port can join again, without its old MAC. */
    assert_int_equal(ken_network_create_port(nw, "net2", 2, 5), 0);
    assert_int_equal(ken_network_get_mac(nw, "net2", 2, 5, mac, &has), 0);
    assert_false(has);
    EXPECT_EVENTS("NetworkPort net2 0000000000000002 5 add\n");
}

static void test_macs(void **state)
{
    (void)state;
    assert_int_equal(ken_network_create(nw, "net1"), 0);
    assert_int_equal(ken_network_create(nw, "net2"), 0);
    assert_int_equal(ken_network_create_port(nw, "net1", 1, 1), 0);
    assert_int_equal(ken_network_create_port(nw, "net1", 1, 2), 0);
    assert_int_equal(ken_network_create_port(nw, "net2", 1, 3), 0);
    EXPECT_EVENTS("NetworkPort net1 0000000000000001 1 add\n"
                  "NetworkPort net1 0000000000000001 2 add\n"
                  "NetworkPort net2 0000000000000001 3 add\n");

    uint8_t mac[6];
    bool has;
    assert_int_equal(ken_network_create_mac(nw, "nope", 1, 1, MAC1), ENOENT);
    assert_int_equal(ken_network_create_mac(nw, "net1", 1, 9, MAC1), ENXIO);
    assert_int_equal(ken_network_create_mac(nw, "net1", 1, 3, MAC1), ENXIO);   /* net2's port */
    assert_int_equal(ken_network_update_mac(nw, "net1", 1, 3, MAC1), ENXIO);
    assert_int_equal(ken_network_create_mac(nw, "net1", 1, 1, NULL), EINVAL);
    /* Nothing was recorded by the failures. */
    assert_int_equal(ken_network_get_mac(nw, "net2", 1, 3, mac, &has), 0);
    assert_false(has);

    assert_int_equal(ken_network_create_mac(nw, "net1", 1, 1, MAC1), 0);
    assert_int_equal(ken_network_create_mac(nw, "net1", 1, 1, MAC1), EBUSY);   /* even the same */
    assert_int_equal(ken_network_create_mac(nw, "net1", 1, 1, MAC2), EBUSY);
    assert_int_equal(ken_network_update_mac(nw, "net1", 1, 1, MAC1), 0);       /* the same: no-op */
    assert_int_equal(ken_network_update_mac(nw, "net1", 1, 1, MAC2), EBUSY);   /* cannot change */
    assert_int_equal(ken_network_update_mac(nw, "net1", 1, 2, MAC1), 0);       /* first MAC; shared */
    assert_int_equal(ken_network_get_mac(nw, "net1", 1, 1, mac, &has), 0);
    assert_true(has);
    assert_memory_equal(mac, MAC1, 6);
    assert_int_equal(ken_network_get_mac(nw, "net1", 1, 2, mac, &has), 0);
    assert_true(has);
    assert_memory_equal(mac, MAC1, 6);
    assert_int_equal(ken_network_get_mac(nw, "net1", 1, 3, mac, &has), ENXIO);
    assert_int_equal(ken_network_get_mac(nw, "nope", 1, 1, mac, &has), ENOENT);
    EXPECT_EVENTS("MacAddress 0000000000000001 1 net1 00:11:22:33:44:55 add\n"
                  "MacAddress 0000000000000001 2 net1 00:11:22:33:44:55 add\n");

    /* Both ports with the shared MAC; none with another; net2 has none. */
    struct ken_network_port *ports;
    size_t n;
    assert_int_equal(ken_network_ports_with_mac(nw, "net1", MAC1, &ports, &n), 0);
    assert_int_equal(n, 2);
    assert_true(ports[0].dpid == 1 && ports[0].port_no == 1 && ports[1].dpid == 1 && ports[1].port_no == 2);
    free(ports);
    assert_int_equal(ken_network_ports_with_mac(nw, "net1", MAC2, &ports, &n), 0);
    assert_int_equal(n, 0);
    assert_null(ports);
    assert_int_equal(ken_network_ports_with_mac(nw, "net2", MAC1, &ports, &n), 0);
    assert_int_equal(n, 0);
    assert_int_equal(ken_network_ports_with_mac(nw, "nope", MAC1, &ports, &n), ENOENT);
}

static void test_remove_network_cascade(void **state)
{
    (void)state;
    assert_int_equal(ken_network_create(nw, "net1"), 0);
    assert_int_equal(ken_network_create(nw, "keep"), 0);
    assert_int_equal(ken_network_create_port(nw, "net1", 3, 1), 0);
    assert_int_equal(ken_network_create_port(nw, "net1", 1, 2), 0);
    assert_int_equal(ken_network_create_port(nw, "net1", 1, 1), 0);
    assert_int_equal(ken_network_create_port(nw, "keep", 1, 3), 0);
    assert_int_equal(ken_network_create_mac(nw, "net1", 3, 1, MAC1), 0);
    assert_int_equal(ken_network_create_mac(nw, "net1", 1, 1, MAC2), 0);
    assert_int_equal(ken_network_create_mac(nw, "keep", 1, 3, MAC2), 0);
    free(recorder_take());

    assert_int_equal(ken_network_remove(nw, "net1"), 0);
    /* Each port in (dpid, port_no) order, its MAC before it; then the network. */
    EXPECT_EVENTS("MacAddress 0000000000000001 1 net1 aa:bb:cc:dd:ee:ff del\n"
                  "NetworkPort net1 0000000000000001 1 del\n"
                  "NetworkPort net1 0000000000000001 2 del\n"
                  "MacAddress 0000000000000003 1 net1 00:11:22:33:44:55 del\n"
                  "NetworkPort net1 0000000000000003 1 del\n"
                  "NetworkDel net1\n");
    char id[KEN_NW_ID_MAX + 1];
    assert_int_equal(ken_network_port_network(nw, 3, 1, id), ENXIO);
    assert_int_equal(ken_network_port_network(nw, 1, 3, id), 0);   /* the other network's stays */
    /* Nothing is left behind: the same network again is empty, and its
     * old ports can join another network. */
    assert_int_equal(ken_network_create(nw, "net1"), 0);
    struct ken_network_port *ports;
    size_t n;
    assert_int_equal(ken_network_list_ports(nw, "net1", &ports, &n), 0);
    assert_int_equal(n, 0);
    assert_int_equal(ken_network_create_port(nw, "keep", 3, 1), 0);
    uint8_t mac[6];
    bool has;
    assert_int_equal(ken_network_get_mac(nw, "keep", 3, 1, mac, &has), 0);
    assert_false(has);
    assert_int_equal(ken_network_remove(nw, "net1"), 0);
    EXPECT_EVENTS("NetworkPort keep 0000000000000003 1 add\n"
                  "NetworkDel net1\n");
}

static void test_mac_text(void **state)
{
    (void)state;
    uint8_t mac[6] = {9, 9, 9, 9, 9, 9};
    char s[18];
    assert_int_equal(ken_mac_parse("00:11:22:33:44:55", mac), 0);
    assert_memory_equal(mac, MAC1, 6);
    assert_int_equal(ken_mac_parse("AA:bb:CC:dd:EE:ff", mac), 0);
    assert_memory_equal(mac, MAC2, 6);
    ken_mac_format(mac, s);
    assert_string_equal(s, "aa:bb:cc:dd:ee:ff");
    const char *bad[] = {"", "00:11:22:33:44", "00:11:22:33:44:5", "00:11:22:33:44:555", "00-11-22-33-44-55",
                         "0g:11:22:33:44:55", "00:11:22:33:44:55:", " 0:11:22:33:44:55", NULL};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        assert_int_equal(ken_mac_parse(bad[i], mac), EINVAL);
    assert_memory_equal(mac, MAC2, 6);   /* untouched by the failures */
}

/* Threads adding and removing ports at once: every change is counted by
 * exactly one event, and the events of one port alternate add/del. */
struct churn {
    int base;
    int adds, dels;
};

static void *churn_thread(void *arg)
{
    struct churn *c = arg;
    for (int round = 0; round < 200; round++) {
        for (int p = 1; p <= 5; p++) {
            int err = ken_network_update_port(nw, round % 2 ? "a" : "b", (uint64_t)c->base, (uint32_t)p);
            assert_int_equal(err, 0);
            c->adds++;
            if (round % 3 == 0) {
                assert_int_equal(ken_network_remove_port(nw, round % 2 ? "a" : "b", (uint64_t)c->base, (uint32_t)p), 0);
                c->dels++;
            }
        }
    }
    return NULL;
}

static void test_threads(void **state)
{
    (void)state;
    assert_int_equal(ken_network_create(nw, "a"), 0);
    assert_int_equal(ken_network_create(nw, "b"), 0);
    pthread_t th[4];
    struct churn c[4];
    for (int i = 0; i < 4; i++) {
        c[i] = (struct churn){.base = i + 1};
        pthread_create(&th[i], NULL, churn_thread, &c[i]);
    }
    for (int i = 0; i < 4; i++)
        pthread_join(th[i], NULL);
    char *log = recorder_take();
    assert_non_null(log);
    long adds = 0, dels = 0;
    for (char *l = strtok(log, "\n"); l; l = strtok(NULL, "\n"))
        strstr(l, " add") ? adds++ : dels++;
    free(log);
    long want_adds = 0, want_dels = 0;
    for (int i = 0; i < 4; i++) {
        want_adds += c[i].adds;
        want_dels += c[i].dels;
    }
    /* A move (a -> b) is one add and one del on top of the calls. */
    struct ken_network_port *pa, *pb;
    size_t na, nb;
    assert_int_equal(ken_network_list_ports(nw, "a", &pa, &na), 0);
    assert_int_equal(ken_network_list_ports(nw, "b", &pb, &nb), 0);
    free(pa);
    free(pb);
    assert_int_equal(adds - dels, (long)(na + nb));
    assert_true(adds == want_adds && dels >= want_dels);
}

/* An observer that writes to the service from its handler, with a queue
 * so short that the writer sending to it must wait for room: it sets a
 * MAC on every port added to network "echo". Were a send made under a
 * lock that the observer's write also needs, both would wait forever. */
static void echo_on_port(struct ken_app *app, const struct ken_event *ev)
{
    const struct ken_ev_network_port *e = ken_ev_network_port(ev);
    if (e->add_del && !strcmp(e->network_id, "echo"))
        assert_int_equal(ken_network_create_mac(ken_network_of(app), "echo", e->dpid, e->port_no, MAC1), 0);
}

static const struct ken_app_desc netw_echo = {
    .name = "netw_echo",
    .contexts = (const char *const[]){"network", NULL},
    .queue_len = 4,
    .handlers = (const struct ken_handler[]){{"EventNetworkPort", 0, echo_on_port}, {NULL, 0, NULL}},
};
KEN_APP_REGISTER(netw_echo)

static void *add_echo_ports(void *arg)
{
    (void)arg;
    for (uint32_t p = 1; p <= 300; p++)
        assert_int_equal(ken_network_create_port(nw, "echo", 7, p), 0);
    return NULL;
}

static void test_observer_writes(void **state)
{
    (void)state;
    char why[KEN_WHY_LEN];
    assert_int_equal(ken_app_load_one("netw_echo", why), 0);
    assert_int_equal(ken_network_create(nw, "echo"), 0);
    pthread_t th;
    pthread_create(&th, NULL, add_echo_ports, NULL);
    struct timespec until;
    clock_gettime(CLOCK_REALTIME, &until);
    until.tv_sec += 30;
    assert_int_equal(pthread_timedjoin_np(th, NULL, &until), 0);   /* no deadlock */
    /* Every port got its MAC, once; no MAC event before its port's (the
     * echo app may still be at work: take until all are in). */
    uint8_t mac[6];
    bool has;
    size_t ports = 0, macs = 0;
    for (int tries = 0; tries < 100 && macs < 300; tries++) {
        char *more = recorder_take();
        assert_non_null(more);
        for (char *l = strtok(more, "\n"); l; l = strtok(NULL, "\n")) {
            if (!strncmp(l, "NetworkPort echo 0000000000000007 ", 34))
                ports++;
            else if (!strncmp(l, "MacAddress 0000000000000007 ", 28)) {
                macs++;
                assert_true(macs <= ports);
            } else {
                fail_msg("unexpected event %s", l);
            }
        }
        free(more);
    }
    assert_int_equal(ports, 300);
    assert_int_equal(macs, 300);
    for (uint32_t p = 1; p <= 300; p++) {
        assert_int_equal(ken_network_get_mac(nw, "echo", 7, p, mac, &has), 0);
        assert_true(has);
    }
    struct ken_app_stats st;
    ken_app_get_stats(ken_app_lookup("netw_echo"), &st);
    assert_true(st.backpressure > 0);   /* the writer did meet a full queue */
}

/* ---- tunnels ---- */

static void test_tunnel_keys(void **state)
{
    (void)state;
    uint32_t key = 0;
    assert_int_equal(ken_tunnels_get_key(tn, "net1", &key), ENOENT);
    assert_int_equal(ken_tunnels_register_key(tn, "net1", 10), 0);
    assert_int_equal(ken_tunnels_register_key(tn, "net1", 10), EEXIST);   /* has a key */
    assert_int_equal(ken_tunnels_register_key(tn, "net1", 11), EEXIST);
    assert_int_equal(ken_tunnels_register_key(tn, "net2", 10), EADDRINUSE);   /* key taken */
    assert_int_equal(ken_tunnels_update_key(tn, "net1", 10), 0);              /* the same: no-op */
    assert_int_equal(ken_tunnels_update_key(tn, "net1", 11), EEXIST);
    assert_int_equal(ken_tunnels_update_key(tn, "net2", 10), EADDRINUSE);
    assert_int_equal(ken_tunnels_update_key(tn, "net2", UINT32_MAX), 0);
    assert_int_equal(ken_tunnels_register_key(tn, "", 5), EINVAL);
    assert_int_equal(ken_tunnels_register_key(tn, "x\ty", 5), EINVAL);
    /* No network service check: the network need not exist (tunnels.h). */
    assert_false(ken_network_exists(nw, "net1"));
    assert_int_equal(ken_tunnels_get_key(tn, "net1", &key), 0);
    assert_int_equal(key, 10);
    assert_int_equal(ken_tunnels_get_key(tn, "net2", &key), 0);
    assert_int_equal(key, UINT32_MAX);
    assert_int_equal(ken_tunnels_delete_key(tn, "net3"), ENOENT);
    assert_int_equal(ken_tunnels_delete_key(tn, "net1"), 0);
    assert_int_equal(ken_tunnels_delete_key(tn, "net1"), ENOENT);
    assert_int_equal(ken_tunnels_get_key(tn, "net1", &key), ENOENT);
    /* A freed key can be taken by another network. */
    assert_int_equal(ken_tunnels_register_key(tn, "net3", 10), 0);
    EXPECT_EVENTS("TunnelKeyAdd net1 10\n"
                  "TunnelKeyAdd net2 4294967295\n"
                  "TunnelKeyDel net1 10\n"
                  "TunnelKeyAdd net3 10\n");
    assert_string_equal(ken_tunnels_error_name(EADDRINUSE, false), "TunnelKeyAlreadyExist");
    assert_string_equal(ken_tunnels_error_name(EADDRINUSE, true), "PortAlreadyExist");
}

static void test_tunnel_ports(void **state)
{
    (void)state;
    uint32_t *ports;
    size_t n;
    uint64_t remote;
    uint32_t port_no;
    assert_int_equal(ken_tunnels_list_ports(tn, 1, &ports, &n), 0);
    assert_int_equal(n, 0);
    assert_null(ports);
    assert_int_equal(ken_tunnels_register_port(tn, 1, 0, 2), EINVAL);
    assert_int_equal(ken_tunnels_register_port(tn, 1, 5, 2), 0);
    assert_int_equal(ken_tunnels_register_port(tn, 1, 3, 4), 0);
    assert_int_equal(ken_tunnels_register_port(tn, 2, 1, 1), 0);
    assert_int_equal(ken_tunnels_register_port(tn, 1, 5, 2), EADDRINUSE);
    assert_int_equal(ken_tunnels_register_port(tn, 1, 5, 9), EADDRINUSE);
    assert_int_equal(ken_tunnels_update_port(tn, 1, 5, 2), 0);   /* the same: no-op */
    assert_int_equal(ken_tunnels_update_port(tn, 1, 5, 9), EBUSY);
    assert_int_equal(ken_tunnels_update_port(tn, 1, 7, UINT64_MAX), 0);
    assert_int_equal(ken_tunnels_update_port(tn, 1, 0, 1), EINVAL);
    assert_int_equal(ken_tunnels_get_remote_dpid(tn, 1, 5, &remote), 0);
    assert_true(remote == 2);   /* unchanged by the refused update */
    assert_int_equal(ken_tunnels_get_remote_dpid(tn, 1, 6, &remote), ENXIO);
    assert_int_equal(ken_tunnels_list_ports(tn, 1, &ports, &n), 0);
    assert_int_equal(n, 3);
    assert_true(ports[0] == 3 && ports[1] == 5 && ports[2] == 7);
    free(ports);
    assert_int_equal(ken_tunnels_get_port(tn, 1, 4, &port_no), 0);
    assert_int_equal(port_no, 3);
    assert_int_equal(ken_tunnels_get_port(tn, 1, 1, &port_no), ENXIO);
    assert_int_equal(ken_tunnels_get_port(tn, 3, 1, &port_no), ENXIO);
    assert_int_equal(ken_tunnels_delete_port(tn, 1, 6), ENXIO);
    assert_int_equal(ken_tunnels_delete_port(tn, 1, 5), 0);
    assert_int_equal(ken_tunnels_delete_port(tn, 1, 5), ENXIO);
    assert_int_equal(ken_tunnels_get_remote_dpid(tn, 1, 5, &remote), ENXIO);
    EXPECT_EVENTS("TunnelPort 0000000000000001 5 0000000000000002 add\n"
                  "TunnelPort 0000000000000001 3 0000000000000004 add\n"
                  "TunnelPort 0000000000000002 1 0000000000000001 add\n"
                  "TunnelPort 0000000000000001 7 ffffffffffffffff add\n"
                  "TunnelPort 0000000000000001 5 0000000000000002 del\n");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_not_running, setup, teardown),
        cmocka_unit_test_setup_teardown(test_networks, setup, teardown),
        cmocka_unit_test_setup_teardown(test_ports, setup, teardown),
        cmocka_unit_test_setup_teardown(test_macs, setup, teardown),
        cmocka_unit_test_setup_teardown(test_remove_network_cascade, setup, teardown),
        cmocka_unit_test(test_mac_text),
        cmocka_unit_test_setup_teardown(test_threads, setup, teardown),
        cmocka_unit_test_setup_teardown(test_observer_writes, setup, teardown),
        cmocka_unit_test_setup_teardown(test_tunnel_keys, setup, teardown),
        cmocka_unit_test_setup_teardown(test_tunnel_ports, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
