/* The cluster's parts that need no etcd: base64, the JSON helpers, the
 * decoding of etcd's answers (samples of etcd 3.4's gateway), the HTTP
 * client against a fake endpoint (errors, endpoint failover), and the
 * mastership plan (fair share, campaigns, the grace, balancing). */
#include <arpa/inet.h>
#include <errno.h>
#include <json-c/json.h>
#include <netinet/in.h>
#include <pthread.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cmocka.h>

#include "cluster/etcd.h"
#include "cluster/plan.h"

/* ---- base64 ---- */

static void test_b64_vectors(void **state)
{
    (void)state;
    /* RFC 4648 section 10 */
    static const char *const plain[] = {"", "f", "fo", "foo", "foob", "fooba", "foobar"};
    static const char *const coded[] = {"", "Zg==", "Zm8=", "Zm9v", "Zm9vYg==", "Zm9vYmE=", "Zm9vYmFy"};
    for (size_t i = 0; i < 7; i++) {
        char *e = etcd_b64_encode(plain[i], strlen(plain[i]));
        assert_string_equal(e, coded[i]);
        size_t n;
        char *d = etcd_b64_decode(e, &n);
        assert_non_null(d);
        assert_int_equal(n, strlen(plain[i]));
        assert_memory_equal(d, plain[i], n);
        assert_int_equal(d[n], '\0');
        free(e);
        free(d);
    }
}

static void test_b64_binary(void **state)
{
    (void)state;
    uint8_t all[256];
    for (int i = 0; i < 256; i++)
        all[i] = (uint8_t)i;
    for (size_t len = 0; len <= 256; len++) {
        char *e = etcd_b64_encode(all, len);
        size_t n;
        char *d = etcd_b64_decode(e, &n);
        assert_non_null(d);
        assert_int_equal(n, len);
        assert_memory_equal(d, all, len);
        free(e);
        free(d);
    }
}

static void test_b64_bad(void **state)
{
    (void)state;
    static const char *const bad[] = {"Zg=", "Z===", "Zm9v!A==", "Zg==Zg==", "=Zg=", "Zm 9"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        assert_null(etcd_b64_decode(bad[i], NULL));
}

/* ---- JSON ---- */

static char *json_b64_text(struct json_object *j)
{
    size_t n;
    char *d = etcd_b64_decode(json_object_get_string(j), &n);
    json_object_put(j);
    return d;
}

static void test_prefix_end(void **state)
{
    (void)state;
    char *e = json_b64_text(etcd_json_prefix_end("/ken/c/"));
    assert_string_equal(e, "/ken/c0"); /* '/' + 1 */
    free(e);
    e = json_b64_text(etcd_json_prefix_end("a\xff\xff"));
    assert_string_equal(e, "b");
    free(e);
}

static void test_i64(void **state)
{
    (void)state;
    struct json_object *j = json_tokener_parse("{\"revision\":\"9223372036854775807\",\"n\":12}");
    assert_true(etcd_json_i64(j, "revision") == INT64_MAX);
    assert_int_equal(etcd_json_i64(j, "n"), 12);
    assert_int_equal(etcd_json_i64(j, "absent"), 0);
    json_object_put(j);
}

/* A range answer as etcd 3.4's gateway sends it (an empty value is left out). */
static void test_kvs_decode(void **state)
{
    (void)state;
    struct json_object *j = json_tokener_parse(
        "{\"header\":{\"revision\":\"2\"},\"kvs\":[{\"key\":\"L2tlbi9h\",\"create_revision\":\"2\","
        "\"mod_revision\":\"3\",\"version\":\"1\",\"value\":\"bjE=\",\"lease\":\"7\"},"
        "{\"key\":\"L2tlbi9i\",\"create_revision\":\"4\",\"mod_revision\":\"4\"}],\"count\":\"2\"}");
    struct etcd_kv *kv;
    long n = etcd_kvs_decode(j, &kv);
    assert_int_equal(n, 2);
    assert_string_equal(kv[0].key, "/ken/a");
    assert_string_equal(kv[0].value, "n1");
    assert_int_equal(kv[0].value_len, 2);
    assert_int_equal(kv[0].create_revision, 2);
    assert_int_equal(kv[0].mod_revision, 3);
    assert_int_equal(kv[0].lease, 7);
    assert_string_equal(kv[1].key, "/ken/b");
    assert_string_equal(kv[1].value, "");
    etcd_kvs_free(kv, n);
    json_object_put(j);
    /* none: no "kvs" at all */
    j = json_tokener_parse("{\"header\":{\"revision\":\"2\"}}");
    assert_int_equal(etcd_kvs_decode(j, &kv), 0);
    json_object_put(j);
    /* a key that is not base64 */
    j = json_tokener_parse("{\"kvs\":[{\"key\":\"not base64!\"}]}");
    assert_int_equal(etcd_kvs_decode(j, &kv), -1);
    json_object_put(j);
}

/* ---- the HTTP client against a fake endpoint ---- */

struct fake {
    int fd;
    uint16_t port;
    const char *answer; /* the HTTP body */
    int status;
    char path[128];
    char body[1024];
    pthread_t thread;
};

static void *fake_run(void *arg)
{
    struct fake *f = arg;
    int c = accept(f->fd, NULL, NULL);
    if (c < 0)
        return NULL;
    char req[4096];
    size_t got = 0;
    for (;;) { /* headers, then Content-Length bytes */
        ssize_t r = read(c, req + got, sizeof req - 1 - got);
        if (r <= 0)
            break;
        got += (size_t)r;
        req[got] = '\0';
        char *end = strstr(req, "\r\n\r\n");
        char *cl = strcasestr(req, "Content-Length:");
        if (end && cl && got - (size_t)(end + 4 - req) >= (size_t)atoi(cl + 15))
            break;
    }
    sscanf(req, "POST %127s", f->path);
    char *end = strstr(req, "\r\n\r\n");
    snprintf(f->body, sizeof f->body, "%s", end ? end + 4 : "");
    char out[2048];
    int n = snprintf(out, sizeof out, "HTTP/1.1 %d X\r\nContent-Type: application/json\r\nContent-Length: %zu\r\n"
                     "Connection: close\r\n\r\n%s", f->status, strlen(f->answer), f->answer);
    if (write(c, out, (size_t)n) < 0)
        perror("write");
    close(c);
    return NULL;
}

static void fake_start(struct fake *f, const char *answer, int status)
{
    f->answer = answer;
    f->status = status;
    f->fd = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    assert_int_equal(bind(f->fd, (struct sockaddr *)&a, sizeof a), 0);
    socklen_t len = sizeof a;
    getsockname(f->fd, (struct sockaddr *)&a, &len);
    f->port = ntohs(a.sin_port);
    assert_int_equal(listen(f->fd, 4), 0);
    pthread_create(&f->thread, NULL, fake_run, f);
}

static void fake_stop(struct fake *f)
{
    pthread_join(f->thread, NULL);
    close(f->fd);
}

/* A port nothing listens on. */
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

static void test_call_failover(void **state)
{
    (void)state;
    struct fake f;
    fake_start(&f, "{\"header\":{\"revision\":\"5\"},\"ID\":\"42\",\"TTL\":\"1\"}", 200);
    char urls[128], why[256];
    snprintf(urls, sizeof urls, "http://127.0.0.1:%u, http://127.0.0.1:%u/", closed_port(), f.port);
    struct etcd e;
    assert_int_equal(etcd_init(&e, urls, 2000, why, sizeof why), 0);
    assert_int_equal(e.n_urls, 2);
    struct json_object *req = json_tokener_parse("{\"TTL\":1}"), *resp = NULL;
    assert_int_equal(etcd_call(&e, "/v3/lease/grant", req, &resp, why, sizeof why), 0);
    fake_stop(&f);
    assert_string_equal(f.path, "/v3/lease/grant");
    assert_string_equal(f.body, "{\"TTL\":1}");
    assert_int_equal(etcd_json_i64(resp, "ID"), 42);
    assert_int_equal(e.cur, 1); /* the one that answered goes first next time */
    json_object_put(resp);
    json_object_put(req);
    etcd_destroy(&e);
}

static void test_call_errors(void **state)
{
    (void)state;
    char urls[128], why[256];
    struct etcd e;
    struct json_object *req = json_object_new_object(), *resp = NULL;
    /* nothing answers */
    snprintf(urls, sizeof urls, "http://127.0.0.1:%u", closed_port());
    assert_int_equal(etcd_init(&e, urls, 1000, why, sizeof why), 0);
    assert_int_equal(etcd_call(&e, "/v3/kv/range", req, &resp, why, sizeof why), ECONNREFUSED);
    assert_null(resp);
    assert_non_null(strstr(why, "/v3/kv/range"));
    etcd_destroy(&e);
    /* etcd's own error */
    struct fake f;
    fake_start(&f, "{\"error\":\"etcdserver: requested lease not found\",\"code\":5}", 404);
    snprintf(urls, sizeof urls, "http://127.0.0.1:%u", f.port);
    assert_int_equal(etcd_init(&e, urls, 2000, why, sizeof why), 0);
    assert_int_equal(etcd_call(&e, "/v3/lease/revoke", req, &resp, why, sizeof why), EIO);
    assert_non_null(strstr(why, "requested lease not found"));
    json_object_put(resp);
    fake_stop(&f);
    etcd_destroy(&e);
    /* not JSON */
    fake_start(&f, "<html>", 200);
    snprintf(urls, sizeof urls, "http://127.0.0.1:%u", f.port);
    assert_int_equal(etcd_init(&e, urls, 2000, why, sizeof why), 0);
    assert_int_equal(etcd_call(&e, "/v3/kv/range", req, &resp, why, sizeof why), EPROTO);
    assert_null(resp);
    fake_stop(&f);
    etcd_destroy(&e);
    json_object_put(req);
    /* bad lists */
    assert_int_equal(etcd_init(&e, "127.0.0.1:2379", 1000, why, sizeof why), EINVAL);
    assert_int_equal(etcd_init(&e, " , ", 1000, why, sizeof why), EINVAL);
}

/* ---- the plan ---- */

static const char *const three[] = {"a", "b", "c"};
static const char *const abc_conn[] = {"a", "b", "c"};

static void dp_init(struct plan_dp *d, uint64_t dpid, const char *master, int64_t gen)
{
    memset(d, 0, sizeof *d);
    d->dpid = dpid;
    d->local = true;
    d->master = master;
    d->gen = gen;
    d->candidates = abc_conn;
    d->n_candidates = 3;
}

static void test_fair_share(void **state)
{
    (void)state;
    assert_int_equal(cluster_fair_share(3, 3), 1);
    assert_int_equal(cluster_fair_share(4, 3), 2);
    assert_int_equal(cluster_fair_share(3, 0), 3);
    assert_int_equal(cluster_fair_share(0, 2), 0);
}

static void test_plan_roles(void **state)
{
    (void)state;
    struct plan_dp d[3];
    dp_init(&d[0], 1, "a", 10);
    dp_init(&d[1], 2, "b", 11);
    dp_init(&d[2], 3, "c", 12);
    cluster_plan("a", three, 3, d, 3, 1000);
    assert_int_equal(d[0].action, PLAN_MASTER);
    assert_int_equal(d[1].action, PLAN_SLAVE);
    assert_int_equal(d[2].action, PLAN_SLAVE);
    /* a switch this instance is not connected to: nothing */
    d[1].local = false;
    cluster_plan("a", three, 3, d, 3, 1000);
    assert_int_equal(d[1].action, PLAN_NONE);
}

static void test_plan_campaign_share(void **state)
{
    (void)state;
    struct plan_dp d[3];
    for (int i = 0; i < 3; i++)
        dp_init(&d[i], (uint64_t)i + 1, NULL, 0);
    /* three vacant switches, three members: one at once, the rest wait */
    cluster_plan("a", three, 3, d, 3, 1000);
    assert_int_equal(d[0].action, PLAN_CAMPAIGN);
    assert_int_equal(d[1].action, PLAN_NONE);
    assert_int_equal(d[2].action, PLAN_NONE);
    /* after the grace, nobody took them: campaign anyway */
    d[1].vacant_since_ms = d[2].vacant_since_ms = 1000;
    cluster_plan("a", three, 3, d, 3, 1000 + PLAN_GRACE_MS);
    assert_int_equal(d[1].action, PLAN_CAMPAIGN);
    assert_int_equal(d[2].action, PLAN_CAMPAIGN);
    /* alone: every switch at once */
    for (int i = 0; i < 3; i++)
        dp_init(&d[i], (uint64_t)i + 1, NULL, 0);
    cluster_plan("a", three, 1, d, 3, 1000);
    for (int i = 0; i < 3; i++)
        assert_int_equal(d[i].action, PLAN_CAMPAIGN);
    /* released lately: not before hold_until */
    dp_init(&d[0], 1, NULL, 0);
    d[0].hold_until_ms = 2000;
    cluster_plan("a", three, 3, d, 1, 1500);
    assert_int_equal(d[0].action, PLAN_NONE);
    cluster_plan("a", three, 3, d, 1, 2000);
    assert_int_equal(d[0].action, PLAN_CAMPAIGN);
}

static void test_plan_balance(void **state)
{
    (void)state;
    struct plan_dp d[3];
    for (int i = 0; i < 3; i++)
        dp_init(&d[i], (uint64_t)i + 1, "a", 10 + i);
    /* a holds all three; b and c are members and connected: one release */
    cluster_plan("a", three, 3, d, 3, 1000);
    int released = 0, master = 0;
    for (int i = 0; i < 3; i++) {
        released += d[i].action == PLAN_RELEASE;
        master += d[i].action == PLAN_MASTER;
    }
    assert_int_equal(released, 1);
    assert_int_equal(master, 2);
    /* the others not connected to those switches: nothing to give */
    static const char *const only_a[] = {"a"};
    for (int i = 0; i < 3; i++) {
        d[i].candidates = only_a;
        d[i].n_candidates = 1;
    }
    cluster_plan("a", three, 3, d, 3, 1000);
    for (int i = 0; i < 3; i++)
        assert_int_equal(d[i].action, PLAN_MASTER);
    /* at the fair share (2 of 4 with 2 members): keep them */
    static const char *const two[] = {"a", "b"};
    struct plan_dp e[4];
    for (int i = 0; i < 4; i++)
        dp_init(&e[i], (uint64_t)i + 1, i < 2 ? "a" : "b", 10 + i);
    cluster_plan("a", two, 2, e, 4, 1000);
    for (int i = 0; i < 4; i++)
        assert_int_equal(e[i].action, i < 2 ? PLAN_MASTER : PLAN_SLAVE);
    /* a candidate that is no member (its lease gone) takes nothing */
    static const char *const stale[] = {"a", "zz"};
    for (int i = 0; i < 3; i++) {
        dp_init(&d[i], (uint64_t)i + 1, "a", 10 + i);
        d[i].candidates = stale;
        d[i].n_candidates = 2;
    }
    cluster_plan("a", two, 2, d, 3, 1000);
    for (int i = 0; i < 3; i++)
        assert_int_equal(d[i].action, PLAN_MASTER);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_b64_vectors),
        cmocka_unit_test(test_b64_binary),
        cmocka_unit_test(test_b64_bad),
        cmocka_unit_test(test_prefix_end),
        cmocka_unit_test(test_i64),
        cmocka_unit_test(test_kvs_decode),
        cmocka_unit_test(test_call_failover),
        cmocka_unit_test(test_call_errors),
        cmocka_unit_test(test_fair_share),
        cmocka_unit_test(test_plan_roles),
        cmocka_unit_test(test_plan_campaign_share),
        cmocka_unit_test(test_plan_balance),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
