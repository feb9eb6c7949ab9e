/* Route templates and matching without HTTP (src/rest/route.c). */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "rest/route.h"

static void fn(struct ken_app *app, const struct ken_ws_request *req, struct ken_ws_response *resp)
{
    (void)app;
    (void)req;
    (void)resp;
}

/* A table compiled from routes[], and a match of one request against it. */
struct table {
    struct route_compiled rc[16];
    size_t n;
};

static void table_build(struct table *t, const struct ken_route *routes)
{
    char why[ROUTE_WHY_LEN];
    t->n = 0;
    for (; routes[t->n].path; t->n++) {
        int err = route_compile(&routes[t->n], NULL, &t->rc[t->n], why);
        if (err)
            fail_msg("route %zu: %s", t->n, why);
    }
}

static void table_free(struct table *t)
{
    for (size_t i = 0; i < t->n; i++)
        route_free(&t->rc[i]);
}

struct match {
    enum route_result result;
    size_t index;
    const char *values[64];
    char allow[128];
    struct route_path path;
};

static enum route_result match(struct table *t, const char *raw, const char *method, struct match *m)
{
    char why[ROUTE_WHY_LEN];
    memset(m, 0, sizeof *m);
    assert_int_equal(route_path_parse(raw, strlen(raw), &m->path, why), 0);
    assert_true(m->path.n_segs <= 64);
    m->result = route_match(t->rc, t->n, &m->path, method, &m->index, m->values, m->allow, sizeof m->allow);
    return m->result;
}

static const struct ken_ws_requirement dpid_port[] = {{"dpid", "[0-9]+"}, {"port", "[0-9]{1,5}"}, {NULL, NULL}};

static const struct ken_route api[] = {
    {"switches", "/stats/switches", "GET", NULL, fn},
    {"port", "/stats/port/{dpid}/{port}", "GET", dpid_port, fn},
    {"port_any", "/stats/port/{dpid}/{port}", "POST", NULL, fn},
    {"flow", "/stats/flowentry/{cmd}", "POST, PUT", NULL, fn},
    {"flow_del", "/stats/flowentry/{cmd}", "DELETE", NULL, fn},
    {"any", "/any/{x}", NULL, NULL, fn},
    {"root", "/", "GET", NULL, fn},
    {"slash", "/dir/", "GET", NULL, fn},
    {NULL, NULL, NULL, NULL, NULL},
};

static void several_parts_in_order(void **state)
{
    (void)state;
    struct table t;
    table_build(&t, api);
    struct match m;
    assert_int_equal(match(&t, "/stats/port/1/22", "GET", &m), ROUTE_FOUND);
    assert_int_equal(m.index, 1);
    assert_int_equal(t.rc[1].n_params, 2);
    assert_string_equal(t.rc[1].param_names[0], "dpid");
    assert_string_equal(t.rc[1].param_names[1], "port");
    assert_string_equal(m.values[0], "1");
    assert_string_equal(m.values[1], "22");
    route_path_free(&m.path);
    table_free(&t);
}

/* "[0-9]+" must match the whole part, not a digit inside it. */
static void requirements_are_anchored(void **state)
{
    (void)state;
    struct table t;
    table_build(&t, api);
    struct match m;
    assert_int_equal(match(&t, "/stats/port/a1b/2", "GET", &m), ROUTE_BAD_METHOD); /* only "port_any" (POST) fits */
    assert_string_equal(m.allow, "POST");
    route_path_free(&m.path);
    assert_int_equal(match(&t, "/stats/port/1/123456", "GET", &m), ROUTE_BAD_METHOD); /* {1,5} */
    route_path_free(&m.path);
    assert_int_equal(match(&t, "/stats/port/12/x9", "POST", &m), ROUTE_FOUND);
    assert_int_equal(m.index, 2);
    route_path_free(&m.path);
    table_free(&t);
}

/* The first matching route wins, across a route list; a later route with
 * the same template serves other methods. */
static void first_match_and_methods(void **state)
{
    (void)state;
    struct table t;
    table_build(&t, api);
    struct match m;
    assert_int_equal(match(&t, "/stats/flowentry/add", "PUT", &m), ROUTE_FOUND);
    assert_int_equal(m.index, 3);
    route_path_free(&m.path);
    assert_int_equal(match(&t, "/stats/flowentry/add", "POST", &m), ROUTE_FOUND);
    assert_int_equal(m.index, 3);
    route_path_free(&m.path);
    assert_int_equal(match(&t, "/stats/flowentry/delete", "DELETE", &m), ROUTE_FOUND);
    assert_int_equal(m.index, 4);
    route_path_free(&m.path);
    /* Methods are case-sensitive tokens (RFC 9110). */
    assert_int_equal(match(&t, "/stats/flowentry/add", "post", &m), ROUTE_BAD_METHOD);
    route_path_free(&m.path);
    /* NULL methods: every method. */
    assert_int_equal(match(&t, "/any/thing", "BREW", &m), ROUTE_FOUND);
    assert_int_equal(m.index, 5);
    route_path_free(&m.path);

    static const struct ken_route dup[] = {
        {"first", "/x/{a}", "GET", NULL, fn},
        {"second", "/x/{b}", "GET", NULL, fn},
        {NULL, NULL, NULL, NULL, NULL},
    };
    struct table t2;
    table_build(&t2, dup);
    assert_int_equal(match(&t2, "/x/1", "GET", &m), ROUTE_FOUND);
    assert_int_equal(m.index, 0);
    route_path_free(&m.path);
    table_free(&t2);
    table_free(&t);
}

static void not_found_vs_method_not_allowed(void **state)
{
    (void)state;
    struct table t;
    table_build(&t, api);
    struct match m;
    assert_int_equal(match(&t, "/stats/nothing", "GET", &m), ROUTE_NOT_FOUND);
    route_path_free(&m.path);
    assert_int_equal(match(&t, "/stats/switches", "DELETE", &m), ROUTE_BAD_METHOD);
    assert_string_equal(m.allow, "GET");
    route_path_free(&m.path);
    /* Allow: the methods of every route the path matches, each once. */
    assert_int_equal(match(&t, "/stats/flowentry/x", "GET", &m), ROUTE_BAD_METHOD);
    assert_string_equal(m.allow, "POST, PUT, DELETE");
    route_path_free(&m.path);
    assert_int_equal(match(&t, "/stats/port/1/2", "DELETE", &m), ROUTE_BAD_METHOD);
    assert_string_equal(m.allow, "GET, POST");
    route_path_free(&m.path);
    table_free(&t);
}

static void percent_decoding(void **state)
{
    (void)state;
    struct table t;
    table_build(&t, api);
    struct match m;
    assert_int_equal(match(&t, "/%61ny/a%20b%2Fc", "GET", &m), ROUTE_FOUND);
    assert_int_equal(m.index, 5);
    assert_string_equal(m.values[0], "a b/c"); /* %2F stays inside its part */
    assert_string_equal(m.path.decoded, "/any/a b/c");
    route_path_free(&m.path);
    /* '+' is a plus in a path (a space only in a query). */
    assert_int_equal(match(&t, "/any/a+b", "GET", &m), ROUTE_FOUND);
    assert_string_equal(m.values[0], "a+b");
    route_path_free(&m.path);

    char why[ROUTE_WHY_LEN];
    struct route_path p;
    const char *bad[] = {"/any/%zz", "/any/%4", "/any/%", "/any/a%00b", "any/x", ""};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        assert_int_equal(route_path_parse(bad[i], strlen(bad[i]), &p, why), EINVAL);
        assert_true(strlen(why) > 0);
    }
    const char raw_nul[] = "/any/a\0b";
    assert_int_equal(route_path_parse(raw_nul, sizeof raw_nul - 1, &p, why), EINVAL);

    char out[16];
    assert_int_equal(route_decode("a+b%2b", 6, out, true), 4);
    assert_string_equal(out, "a b+");
    table_free(&t);
}

/* Trailing slashes and empty parts are part of the path: "/dir/" is not
 * "/dir", and {name} needs a non-empty part unless its regex allows "". */
static void trailing_slash_and_empty_parts(void **state)
{
    (void)state;
    struct table t;
    table_build(&t, api);
    struct match m;
    assert_int_equal(match(&t, "/stats/switches/", "GET", &m), ROUTE_NOT_FOUND);
    route_path_free(&m.path);
    assert_int_equal(match(&t, "/dir/", "GET", &m), ROUTE_FOUND);
    assert_int_equal(m.index, 7);
    route_path_free(&m.path);
    assert_int_equal(match(&t, "/dir", "GET", &m), ROUTE_NOT_FOUND);
    route_path_free(&m.path);
    assert_int_equal(match(&t, "/", "GET", &m), ROUTE_FOUND);
    assert_int_equal(m.index, 6);
    route_path_free(&m.path);
    assert_int_equal(match(&t, "/any/", "GET", &m), ROUTE_NOT_FOUND);
    route_path_free(&m.path);
    assert_int_equal(match(&t, "//stats/switches", "GET", &m), ROUTE_NOT_FOUND);
    route_path_free(&m.path);
    assert_int_equal(match(&t, "/stats//switches", "GET", &m), ROUTE_NOT_FOUND);
    route_path_free(&m.path);

    const struct ken_route opt[] = {
        {"maybe", "/m/{v}", "GET", (const struct ken_ws_requirement[]){{"v", "[a-z]*"}, {NULL, NULL}}, fn},
        {NULL, NULL, NULL, NULL, NULL},
    };
    struct table t2;
    table_build(&t2, opt);
    assert_int_equal(match(&t2, "/m/", "GET", &m), ROUTE_FOUND);
    assert_string_equal(m.values[0], "");
    route_path_free(&m.path);
    table_free(&t2);
    table_free(&t);
}

static void very_long_paths(void **state)
{
    (void)state;
    struct table t;
    table_build(&t, api);
    struct match m;
    /* 100,000 bytes: one long part, then 50,000 parts. */
    size_t n = 100000;
    char *raw = malloc(n + 16);
    memcpy(raw, "/any/", 5);
    memset(raw + 5, 'a', n - 5);
    raw[n] = '\0';
    assert_int_equal(match(&t, raw, "GET", &m), ROUTE_FOUND);
    assert_int_equal(strlen(m.values[0]), n - 5);
    route_path_free(&m.path);
    for (size_t i = 0; i < n; i += 2)
        memcpy(raw + i, "/a", 2);
    raw[n] = '\0';
    char why[ROUTE_WHY_LEN];
    struct route_path p;
    assert_int_equal(route_path_parse(raw, n, &p, why), 0);
    assert_int_equal(p.n_segs, n / 2);
    assert_int_equal(route_match(t.rc, t.n, &p, "GET", &m.index, NULL, m.allow, sizeof m.allow), ROUTE_NOT_FOUND);
    route_path_free(&p);
    free(raw);
    table_free(&t);
}

static void bad_templates(void **state)
{
    (void)state;
    static const struct ken_ws_requirement ghost[] = {{"nope", "x"}, {NULL, NULL}};
    static const struct ken_ws_requirement bad_re[] = {{"a", "[a-"}, {NULL, NULL}};
    const struct ken_route bad[] = {
        {"no_slash", "x/y", "GET", NULL, fn},
        {"mixed", "/x/id{a}", "GET", NULL, fn},
        {"suffix", "/x/{a}.json", "GET", NULL, fn},
        {"empty_name", "/x/{}", "GET", NULL, fn},
        {"twice", "/x/{a}/{a}", "GET", NULL, fn},
        {"ghost", "/x/{a}", "GET", ghost, fn},
        {"bad_re", "/x/{a}", "GET", bad_re, fn},
        {"methods", "/x", "GET,,PUT", NULL, fn},
        {"methods2", "/x", "", NULL, fn},
        {"no_fn", "/x", "GET", NULL, NULL},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        struct route_compiled rc;
        char why[ROUTE_WHY_LEN] = "";
        assert_int_equal(route_compile(&bad[i], NULL, &rc, why), EINVAL);
        if (!strstr(why, bad[i].name))
            fail_msg("%s: reason \"%s\" does not name the route", bad[i].name, why);
    }
    const struct ken_route good_list[] = {{"a", "/a", "GET", NULL, fn}, {NULL, NULL, NULL, NULL, NULL}};
    char why[ROUTE_WHY_LEN];
    assert_int_equal(route_check_list(good_list, why), 0);
    assert_int_equal(route_check_list(NULL, why), 0);
    const struct ken_route bad_list[] = {{"a", "/a", "GET", NULL, fn}, bad[6], {NULL, NULL, NULL, NULL, NULL}};
    assert_int_equal(route_check_list(bad_list, why), EINVAL);
    assert_non_null(strstr(why, "bad regex"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(several_parts_in_order),
        cmocka_unit_test(requirements_are_anchored),
        cmocka_unit_test(first_match_and_methods),
        cmocka_unit_test(not_found_vs_method_not_allowed),
        cmocka_unit_test(percent_decoding),
        cmocka_unit_test(trailing_slash_and_empty_parts),
        cmocka_unit_test(very_long_paths),
        cmocka_unit_test(bad_templates),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
