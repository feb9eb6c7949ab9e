/* The cluster against a real etcd (started here on loopback, its data in
 * a temporary directory): etcd unreachable at start is an error, a member
 * registers under its lease and its keys go at once when it stops (the
 * lease is revoked), the shared-state API (get, put, compare-and-swap,
 * delete, the watch's EventClusterKV to an app, across an etcd restart)
 * and the status.
 *
 *   test-cluster-etcd ETCD_CLIENT_PORT   (the peer port is the next one)
 *
 * etcd is required (Debian etcd-server, scripts/install-deps.sh): without
 * it the test fails. */
#include <arpa/inet.h>
#include <errno.h>
#include <json-c/json.h>
#include <netinet/in.h>
#include <pthread.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include "cluster/etcd.h"
#include "ken/app.h"
#include "ken/cluster.h"

static int port;
static pid_t etcd_pid;
static char etcd_dir[64] = "/tmp/ken-etcd-test.XXXXXX";
static char url[64];

/* ---- an app that records EventClusterKV ---- */

static pthread_mutex_t seen_lock = PTHREAD_MUTEX_INITIALIZER;
static char seen[4096];

static void on_kv(struct ken_app *app, const struct ken_event *ev)
{
    (void)app;
    const struct ken_ev_cluster_kv *e = ken_ev_cluster_kv(ev);
    pthread_mutex_lock(&seen_lock);
    size_t n = strlen(seen);
    snprintf(seen + n, sizeof seen - n, "%s %s %s %s;", e->app, e->key, e->deleted ? "deleted" : "set",
             e->value ? e->value : "-");
    pthread_mutex_unlock(&seen_lock);
}

static const struct ken_handler kv_handlers[] = {{KEN_EV_CLUSTER_KV, 0, on_kv}, {NULL, 0, NULL}};
static const struct ken_app_desc kvwatch_app = {.name = "kvwatch", .handlers = kv_handlers};
KEN_APP_REGISTER(kvwatch_app)

static bool seen_has(const char *what, int timeout_ms)
{
    for (int t = 0; t < timeout_ms; t += 10) {
        pthread_mutex_lock(&seen_lock);
        bool has = strstr(seen, what) != NULL;
        pthread_mutex_unlock(&seen_lock);
        if (has)
            return true;
        usleep(10 * 1000);
    }
    return false;
}

static int seen_count(const char *what)
{
    int n = 0;
    pthread_mutex_lock(&seen_lock);
    for (const char *at = seen; (at = strstr(at, what)); at += strlen(what))
        n++;
    pthread_mutex_unlock(&seen_lock);
    return n;
}

/* ---- etcd ---- */

static uint16_t closed_port(void)
{
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    bind(fd, (struct sockaddr *)&a, sizeof a);
    socklen_t len = sizeof a;
    getsockname(fd, (struct sockaddr *)&a, &len);
    close(fd);
    return ntohs(a.sin_port);
}

/* etcd on its data directory (made by etcd_start), until it answers. */
static void etcd_spawn(void)
{
    char client[64], peer[64], data[128], cluster[96];
    snprintf(client, sizeof client, "http://127.0.0.1:%d", port);
    snprintf(peer, sizeof peer, "http://127.0.0.1:%d", port + 1);
    snprintf(data, sizeof data, "%s/data", etcd_dir);
    snprintf(cluster, sizeof cluster, "t=%s", peer);
    snprintf(url, sizeof url, "%s", client);
    etcd_pid = fork();
    if (!etcd_pid) {
        char log[128];
        snprintf(log, sizeof log, "%s/etcd.log", etcd_dir);
        if (!freopen(log, "w", stdout) || !freopen(log, "a", stderr))
            _exit(127);
        execlp("etcd", "etcd", "--name", "t", "--data-dir", data, "--listen-client-urls", client,
               "--advertise-client-urls", client, "--listen-peer-urls", peer, "--initial-advertise-peer-urls", peer,
               "--initial-cluster", cluster, "--heartbeat-interval", "50", "--election-timeout", "250",
               (char *)NULL);
        _exit(127);
    }
    /* Until it answers (or is gone: not installed). */
    struct etcd e;
    char why[256];
    if (etcd_init(&e, url, 500, why, sizeof why))
        abort();
    for (int i = 0; i < 200; i++) {
        struct json_object *req = json_object_new_object(), *resp = NULL;
        int err = etcd_call(&e, "/v3/maintenance/status", req, &resp, why, sizeof why);
        json_object_put(req);
        json_object_put(resp);
        if (!err) {
            etcd_destroy(&e);
            return;
        }
        int st;
        if (waitpid(etcd_pid, &st, WNOHANG) == etcd_pid) {
            fprintf(stderr, "FAIL: etcd exited (%s): is etcd-server installed (scripts/install-deps.sh)?\n",
                    WIFEXITED(st) && WEXITSTATUS(st) == 127 ? "not found" : "an error");
            exit(1);
        }
        usleep(50 * 1000);
    }
    fprintf(stderr, "FAIL: etcd does not answer on %s\n", url);
    kill(etcd_pid, SIGKILL);
    exit(1);
}

static void etcd_start(void)
{
    if (!mkdtemp(etcd_dir))
        abort();
    etcd_spawn();
}

/* Killed and started again on the same data: every connection to it
 * (the cluster's watch among them) breaks. */
static void etcd_restart(void)
{
    kill(etcd_pid, SIGKILL);
    waitpid(etcd_pid, NULL, 0);
    etcd_spawn();
}

static void etcd_stop(void)
{
    kill(etcd_pid, SIGTERM);
    waitpid(etcd_pid, NULL, 0);
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", etcd_dir);
    if (system(cmd))
        fprintf(stderr, "could not remove %s\n", etcd_dir);
}

/* How many keys start with prefix (read straight from etcd). */
static long count_keys(const char *prefix)
{
    struct etcd e;
    char why[256];
    assert_int_equal(etcd_init(&e, url, 2000, why, sizeof why), 0);
    struct json_object *req = json_object_new_object(), *resp = NULL;
    json_object_object_add(req, "key", etcd_json_key(prefix));
    json_object_object_add(req, "range_end", etcd_json_prefix_end(prefix));
    assert_int_equal(etcd_call(&e, "/v3/kv/range", req, &resp, why, sizeof why), 0);
    long n = (long)etcd_json_i64(resp, "count");
    json_object_put(req);
    json_object_put(resp);
    etcd_destroy(&e);
    return n;
}

/* ---- the tests ---- */

static void test_unreachable(void **state)
{
    (void)state;
    char bad[64], why[KEN_CLUSTER_WHY_LEN];
    snprintf(bad, sizeof bad, "http://127.0.0.1:%u", closed_port());
    struct ken_cluster_options o = {.etcd = bad, .name = "t", .node_id = "n1", .lease_ttl = 1};
    assert_int_equal(ken_cluster_start(&o, why), ECONNREFUSED);
    assert_non_null(strstr(why, bad));
    assert_false(ken_cluster_running());
    assert_int_equal(ken_cluster_kv_put("a", "k", "v", 1), ENOTCONN);
    /* bad options */
    o.etcd = url;
    o.node_id = "a/b";
    assert_int_equal(ken_cluster_start(&o, why), EINVAL);
    o.node_id = "n1";
    o.lease_ttl = 1.5;
    assert_int_equal(ken_cluster_start(&o, why), EINVAL);
    o.etcd = "localhost:2379";
    o.lease_ttl = 1;
    assert_int_equal(ken_cluster_start(&o, why), EINVAL);
}

static void test_member_and_kv(void **state)
{
    (void)state;
    char why[KEN_CLUSTER_WHY_LEN];
    struct ken_cluster_options o = {.etcd = url, .name = "t", .node_id = "n1", .lease_ttl = 2};
    char lwhy[KEN_WHY_LEN];
    assert_int_equal(ken_app_load_one("kvwatch", lwhy), 0);
    assert_int_equal(ken_cluster_start(&o, why), 0);
    /* At once, before the watch's HTTP stream is up (it starts from the
     * member key's revision, so this put still comes). */
    assert_int_equal(ken_cluster_kv_watch("kvwatch"), 0);
    assert_int_equal(ken_cluster_kv_put("kvwatch", "first", "0", 1), 0);
    assert_true(ken_cluster_running());
    assert_string_equal(ken_cluster_node_id(), "n1");
    assert_int_equal(count_keys("/ken/t/members/n1"), 1);

    struct json_object *st = ken_cluster_status_json(), *v;
    assert_non_null(st);
    assert_true(json_object_object_get_ex(st, "members", &v));
    assert_int_equal(json_object_array_length(v), 1);
    assert_string_equal(json_object_get_string(json_object_array_get_idx(v, 0)), "n1");
    assert_true(json_object_object_get_ex(st, "switches", &v));
    assert_int_equal(json_object_array_length(v), 0);
    json_object_put(st);

    /* the watch, through an app */
    assert_true(seen_has("kvwatch first set 0;", 5000));

    char *val = NULL;
    size_t len = 0;
    int64_t rev = 0;
    assert_int_equal(ken_cluster_kv_get("kvwatch", "nets/n1", &val, &len, &rev), ENOENT);
    assert_int_equal(ken_cluster_kv_put("kvwatch", "nets/n1", "one", 3), 0);
    assert_int_equal(ken_cluster_kv_get("kvwatch", "nets/n1", &val, &len, &rev), 0);
    assert_int_equal(len, 3);
    assert_string_equal(val, "one");
    assert_true(rev > 0);
    free(val);
    assert_true(seen_has("kvwatch nets/n1 set one;", 5000));

    /* compare-and-swap */
    assert_int_equal(ken_cluster_kv_cas("kvwatch", "nets/n1", rev + 100, "bad", 3), ECANCELED);
    assert_int_equal(ken_cluster_kv_cas("kvwatch", "nets/n1", 0, "bad", 3), ECANCELED); /* exists */
    assert_int_equal(ken_cluster_kv_cas("kvwatch", "nets/n1", rev, "two", 3), 0);
    assert_int_equal(ken_cluster_kv_cas("kvwatch", "nets/n1", rev, "three", 5), ECANCELED); /* rev moved */
    assert_int_equal(ken_cluster_kv_cas("kvwatch", "nets/n2", 0, "new", 3), 0);
    assert_int_equal(ken_cluster_kv_get("kvwatch", "nets/n1", &val, NULL, NULL), 0);
    assert_string_equal(val, "two");
    free(val);
    /* binary values */
    const char bin[] = {'a', 0, 'b', (char)0xff};
    assert_int_equal(ken_cluster_kv_put("kvwatch", "bin", bin, sizeof bin), 0);
    assert_int_equal(ken_cluster_kv_get("kvwatch", "bin", &val, &len, NULL), 0);
    assert_int_equal(len, sizeof bin);
    assert_memory_equal(val, bin, sizeof bin);
    free(val);

    assert_int_equal(ken_cluster_kv_delete("kvwatch", "nets/n1"), 0);
    assert_int_equal(ken_cluster_kv_get("kvwatch", "nets/n1", NULL, NULL, NULL), ENOENT);
    assert_true(seen_has("kvwatch nets/n1 deleted -;", 5000));
    /* another app's keys: not this app's events */
    assert_int_equal(ken_cluster_kv_put("otherapp", "x", "1", 1), 0);
    assert_int_equal(ken_cluster_kv_put("kvwatch", "after", "1", 1), 0);
    assert_true(seen_has("kvwatch after set 1;", 5000));
    assert_false(seen_has("otherapp", 0));

    /* names */
    assert_int_equal(ken_cluster_kv_put("a/b", "k", "v", 1), EINVAL);
    assert_int_equal(ken_cluster_kv_put("a", "", "v", 1), EINVAL);

    /* etcd restarts and the watch breaks: it resumes one past the last
     * change it delivered, so a write made before it is back still comes,
     * and none comes twice. */
    etcd_restart();
    assert_int_equal(ken_cluster_kv_put("kvwatch", "restarted", "2", 1), 0);
    assert_true(seen_has("kvwatch restarted set 2;", 10000));
    assert_int_equal(seen_count("kvwatch after set 1;"), 1);
    assert_int_equal(seen_count("kvwatch first set 0;"), 1);

    /* The lease lives on through keepalives (TTL 2 s: a keepalive every
     * 667 ms, so a busy machine that holds one up for a second does not
     * lose it) past its TTL ... */
    sleep(3);
    assert_int_equal(count_keys("/ken/t/members/n1"), 1);
    /* ... and goes at once on stop: the member key with it, the apps'
     * state stays. */
    ken_cluster_stop();
    assert_false(ken_cluster_running());
    assert_int_equal(count_keys("/ken/t/members/"), 0);
    assert_int_equal(count_keys("/ken/t/apps/kvwatch/"), 5);
    assert_int_equal(ken_cluster_kv_get("kvwatch", "bin", NULL, NULL, NULL), ENOTCONN);
    ken_runtime_shutdown();
}

int main(int argc, char **argv)
{
    if (argc != 2) {
        fprintf(stderr, "usage: test-cluster-etcd PORT\n");
        return 2;
    }
    port = atoi(argv[1]);
    etcd_start();
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_unreachable),
        cmocka_unit_test(test_member_and_kv),
    };
    int rc = cmocka_run_group_tests(tests, NULL, NULL);
    etcd_stop();
    return rc;
}
