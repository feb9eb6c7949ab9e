/* Loading: built-in apps by name, required apps first, contexts shared
 * (and an app used as a context), the errors (missing app, cycle, failed
 * start, with nothing left loaded), stop order, and a shared object with
 * two apps (the first by name is loaded). */
#include "helpers.h"

#include <string.h>

static const char *so_path;

/* The order hooks ran in, as app initials. */
static char hooks[64];
static size_t n_hooks;
static void hook(const char *what, struct ken_app *app)
{
    if (n_hooks + 2 < sizeof hooks) {
        hooks[n_hooks++] = what[0];
        hooks[n_hooks++] = ken_app_name(app)[0];
    }
}

static int on_start(struct ken_app *app)
{
    hook("+", app);
    static int app_state;
    ken_app_set_data(app, &app_state);
    return 0;
}
static void on_stop(struct ken_app *app) { hook("-", app); }
static int fail_start(struct ken_app *app)
{
    hook("+", app);
    return EIO;
}

/* A context type counting its instances. */
static int ctx_created, ctx_destroyed;
static void *ctx_create(void)
{
    ctx_created++;
    return calloc(1, 16);
}
static void ctx_destroy(void *obj)
{
    ctx_destroyed++;
    free(obj);
}
static const struct ken_context_type shared_table = {"shared_table", ctx_create, ctx_destroy};
KEN_CONTEXT_REGISTER(shared_table);

#define APP(var, nm, req, ctxs, versions, start_fn) \
    static const struct ken_app_desc var = { \
        .name = nm, .ofp_versions = versions, .required_apps = req, .contexts = ctxs, \
        .start = start_fn, .stop = on_stop}; \
    KEN_APP_REGISTER(var)

APP(base_app, "base", NULL, NULL, KEN_APP_OFP(KEN_OFP13) | KEN_APP_OFP(KEN_OFP14), on_start);
APP(mid_app, "mid", ((const char *const[]){"base", NULL}), NULL, KEN_APP_OFP(KEN_OFP13), on_start);
APP(top_app, "top", ((const char *const[]){"mid", NULL}), ((const char *const[]){"shared_table", "base", NULL}), 0,
    on_start);
APP(lone_app, "lone", NULL, ((const char *const[]){"shared_table", NULL}), 0, on_start);
APP(needy_app, "needy", ((const char *const[]){"ghost", NULL}), NULL, 0, on_start);
APP(cyc_x_app, "cyc_x", ((const char *const[]){"cyc_y", NULL}), NULL, 0, on_start);
APP(cyc_y_app, "cyc_y", ((const char *const[]){"cyc_x", NULL}), NULL, 0, on_start);
APP(fragile_app, "fragile", ((const char *const[]){"base", NULL}), NULL, 0, fail_start);
APP(unknown_ctx_app, "unknown_ctx", NULL, ((const char *const[]){"no_such_ctx", NULL}), 0, on_start);

static void hooks_reset(void)
{
    memset(hooks, 0, sizeof hooks);
    n_hooks = 0;
}

static void test_dependencies_and_contexts(void **state)
{
    (void)state;
    hooks_reset();
    ctx_created = ctx_destroyed = 0;
    char why[KEN_WHY_LEN];
    const char *names[] = {"top", "lone"};
    assert_int_equal(ken_app_load(names, 2, why), 0);
    assert_string_equal(hooks, "+b+m+t+l");          /* required apps first */
    struct ken_app *top = ken_app_lookup("top"), *lone = ken_app_lookup("lone");
    assert_true(ken_app_running(ken_app_lookup("base")));
    assert_true(ken_app_running(ken_app_lookup("mid")));
    assert_int_equal(ctx_created, 1);                /* one instance, shared */
    assert_non_null(ken_app_context(top, "shared_table"));
    assert_ptr_equal(ken_app_context(top, "shared_table"), ken_app_context(lone, "shared_table"));
    assert_ptr_equal(ken_app_context(top, "base"), ken_app_data(ken_app_lookup("base")));
    assert_null(ken_app_context(lone, "base"));
    /* The union: base speaks 1.3 and 1.4, mid 1.3. */
    assert_int_equal(ken_runtime_ofp_versions(), KEN_APP_OFP(KEN_OFP13) | KEN_APP_OFP(KEN_OFP14));

    /* Loading again is a no-op. */
    assert_int_equal(ken_app_load_one("mid", why), 0);
    assert_string_equal(hooks, "+b+m+t+l");

    ken_runtime_shutdown();
    assert_string_equal(hooks, "+b+m+t+l" "-l-t-m-b");  /* dependents stop first */
    assert_int_equal(ctx_destroyed, 1);
    assert_null(ken_app_lookup("top"));
}

static void test_errors_leave_nothing(void **state)
{
    (void)state;
    hooks_reset();
    char why[KEN_WHY_LEN];
    assert_int_equal(ken_app_load_one("needy", why), ENOENT);
    assert_string_equal(why, "no app named ghost (required by needy)");
    assert_int_equal(ken_app_load_one("nobody", why), ENOENT);
    assert_string_equal(why, "no app named nobody");
    assert_int_equal(ken_app_load_one("unknown_ctx", why), ENOENT);
    assert_non_null(strstr(why, "no_such_ctx"));

    assert_int_equal(ken_app_load_one("cyc_x", why), ELOOP);
    assert_string_equal(why, "dependency cycle: cyc_x -> cyc_y -> cyc_x");

    assert_int_equal(ken_app_load_one("fragile", why), EIO);
    assert_non_null(strstr(why, "fragile"));
    assert_string_equal(hooks, "+b+f-b");            /* base was started, then stopped again */
    assert_false(ken_app_running(ken_app_lookup("base")));
    assert_false(ken_app_running(ken_app_lookup("fragile")));
    assert_null(ken_app_lookup("needy"));
    assert_int_equal(ken_runtime_ofp_versions(), ~0u);
}

static void test_unload_and_reload(void **state)
{
    (void)state;
    hooks_reset();
    char why[KEN_WHY_LEN];
    assert_int_equal(ken_app_load_one("base", why), 0);
    assert_int_equal(ken_app_unload("base", KEN_STOP_DRAIN), 0);
    assert_int_equal(ken_app_unload("base", KEN_STOP_DRAIN), ESRCH);
    assert_false(ken_app_running(ken_app_lookup("base")));
    assert_int_equal(ken_app_load_one("base", why), 0);
    assert_true(ken_app_running(ken_app_lookup("base")));
    assert_string_equal(hooks, "+b-b+b");
}

static void test_shared_object_first_by_name(void **state)
{
    (void)state;
    char why[KEN_WHY_LEN];
    assert_int_equal(ken_app_load_one(so_path, why), 0);
    struct ken_app *alpha = ken_app_lookup("alpha_app");
    assert_non_null(alpha);
    assert_true(ken_app_running(alpha));
    assert_int_equal(*(int *)ken_app_data(alpha), 42);
    assert_null(ken_app_lookup("zeta_app"));          /* registered, not loaded */
    assert_int_equal(ken_app_load_one(so_path, why), 0);  /* the same module again: no-op */

    assert_int_equal(ken_app_load_one("/nonexistent/app.so", why), ENOENT);
    assert_non_null(strstr(why, "/nonexistent/app.so"));
}

static void test_shared_object_closed_at_shutdown(void **state)
{
    (void)state;
    /* The previous test's shutdown closed the module and forgot its apps. */
    char why[KEN_WHY_LEN];
    assert_int_equal(ken_app_load_one("zeta_app", why), ENOENT);
    assert_int_equal(ken_app_load_one(so_path, why), 0);
    assert_true(ken_app_running(ken_app_lookup("alpha_app")));
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: %s two_apps.so\n", argv[0]);
        return 2;
    }
    so_path = argv[1];
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_teardown(test_dependencies_and_contexts, runtime_teardown),
        cmocka_unit_test_teardown(test_errors_leave_nothing, runtime_teardown),
        cmocka_unit_test_teardown(test_unload_and_reload, runtime_teardown),
        cmocka_unit_test_teardown(test_shared_object_first_by_name, runtime_teardown),
        cmocka_unit_test_teardown(test_shared_object_closed_at_shutdown, runtime_teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
