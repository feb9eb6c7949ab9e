/* The registries of apps and context types, and loading: shared objects,
 * dependency order, contexts, start hooks, stopping and shutdown.
 * Loading, unloading and shutdown are serialized by load_lock (they are
 * rare); the registries have their own lock because KEN_APP_REGISTER runs
 * in constructors, possibly inside a dlopen() made under load_lock. */
#include "runtime/runtime.h"
#include "runtime/lock.h"

#include <dlfcn.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A shared object opened by ken_app_load. */
struct module {
    struct module *next;
    char *path;
    void *handle;
    const char *picked;   /* the first of its apps by name */
    const char *dup;      /* the first of its apps whose name was taken */
};

struct reg_app {
    struct reg_app *next;
    const struct ken_app_desc *desc;
    struct module *module;   /* NULL: built into the program */
};

struct reg_ctx {
    struct reg_ctx *next;
    const struct ken_context_type *type;
    struct module *module;
    void *obj;                     /* once created */
    struct reg_ctx *next_created;  /* newest first, for destruction */
};

static struct ken_mutex reg_lock = KEN_MUTEX_INITIALIZER;
static struct ken_mutex load_lock = KEN_MUTEX_INITIALIZER;
static struct reg_app *reg_apps;
static struct reg_ctx *reg_ctxs;
static struct reg_ctx *created_ctxs;
static struct module *modules;
/* The shared object being opened by this thread: its constructors'
 * registrations belong to it. */
static _Thread_local struct module *tls_loading;

/* ---- registries ---- */

/* The registered app of that name, NULL if none; *builtin says whether
 * it came with ken rather than from a module. */
static const struct ken_app_desc *reg_lookup_app(const char *name, bool *builtin)
{
    ken_mutex_lock(&reg_lock);
    struct reg_app *r = reg_apps;
    while (r && strcmp(r->desc->name, name))
        r = r->next;
    if (builtin)
        *builtin = r && !r->module;
    ken_mutex_unlock(&reg_lock);
    return r ? r->desc : NULL;
}

static const struct ken_app_desc *reg_find_app(const char *name) { return reg_lookup_app(name, NULL); }

static bool reg_is_builtin(const char *name)
{
    bool builtin;
    reg_lookup_app(name, &builtin);
    return builtin;
}

static int name_cmp(const void *a, const void *b) { return strcmp(*(const char *const *)a, *(const char *const *)b); }

size_t ken_app_builtin_names(const char **names, size_t max)
{
    size_t n = 0;
    ken_mutex_lock(&reg_lock);
    for (struct reg_app *r = reg_apps; r; r = r->next)
        if (!r->module && n++ < max)
            names[n - 1] = r->desc->name;
    ken_mutex_unlock(&reg_lock);
    qsort(names, n < max ? n : max, sizeof names[0], name_cmp);
    return n;
}

static struct reg_ctx *reg_find_ctx(const char *name)
{
    ken_mutex_lock(&reg_lock);
    struct reg_ctx *r = reg_ctxs;
    while (r && strcmp(r->type->name, name))
        r = r->next;
    ken_mutex_unlock(&reg_lock);
    return r;
}

int ken_app_register(const struct ken_app_desc *desc)
{
    if (!desc || !desc->name || !*desc->name)
        return EINVAL;
    if (reg_find_app(desc->name)) {
        if (tls_loading && reg_is_builtin(desc->name))
            ken_log(KEN_LOG_ERROR, RT_LOG, "app %s in %s has the name of a built-in app; it is ignored (rename it)",
                    desc->name, tls_loading->path);
        else
            ken_log(KEN_LOG_ERROR, RT_LOG, "app %s registered twice; the second is ignored", desc->name);
        if (tls_loading && !tls_loading->dup)
            tls_loading->dup = desc->name;
        return EEXIST;
    }
    struct reg_app *r = malloc(sizeof *r);
    if (!r)
        return ENOMEM;
    *r = (struct reg_app){.desc = desc, .module = tls_loading};
    ken_mutex_lock(&reg_lock);
    r->next = reg_apps;
    reg_apps = r;
    ken_mutex_unlock(&reg_lock);
    return 0;
}

int ken_context_register(const struct ken_context_type *type)
{
    if (!type || !type->name || !type->create)
        return EINVAL;
    if (reg_find_ctx(type->name)) {
        ken_log(KEN_LOG_ERROR, RT_LOG, "context %s registered twice; the second is ignored", type->name);
        return EEXIST;
    }
    struct reg_ctx *r = malloc(sizeof *r);
    if (!r)
        return ENOMEM;
    *r = (struct reg_ctx){.type = type, .module = tls_loading};
    ken_mutex_lock(&reg_lock);
    r->next = reg_ctxs;
    reg_ctxs = r;
    ken_mutex_unlock(&reg_lock);
    return 0;
}

/* The shared instance of a context type, created on first use. */
static void *ctx_get(struct reg_ctx *r)
{
    if (!r->obj && (r->obj = r->type->create())) {
        r->next_created = created_ctxs;
        created_ctxs = r;
    }
    return r->obj;
}

/* ---- shared objects ---- */

static bool is_module_path(const char *name)
{
    size_t n = strlen(name);
    return strchr(name, '/') || (n > 3 && !strcmp(name + n - 3, ".so"));
}

/* The first app (by name) that the module registered. */
static const char *module_first_app(const struct module *m)
{
    const char *first = NULL;
    ken_mutex_lock(&reg_lock);
    for (struct reg_app *r = reg_apps; r; r = r->next)
        if (r->module == m && (!first || strcmp(r->desc->name, first) < 0))
            first = r->desc->name;
    ken_mutex_unlock(&reg_lock);
    return first;
}

static int module_open(const char *path, const char **picked, char *why)
{
    for (struct module *m = modules; m; m = m->next) {
        if (!strcmp(m->path, path)) {
            *picked = m->picked;
            return 0;
        }
    }
    struct module *m = calloc(1, sizeof *m);
    if (!m || !(m->path = strdup(path))) {
        free(m);
        snprintf(why, KEN_WHY_LEN, "out of memory");
        return ENOMEM;
    }
    tls_loading = m;
    m->handle = dlopen(path, RTLD_NOW | RTLD_LOCAL);
    tls_loading = NULL;
    if (!m->handle) {
        snprintf(why, KEN_WHY_LEN, "cannot open %s: %s", path, dlerror());
        free(m->path);
        free(m);
        return ENOENT;
    }
    m->next = modules;
    modules = m;
    m->picked = module_first_app(m);
    if (!m->picked) {
        if (m->dup)
            snprintf(why, KEN_WHY_LEN, "%s: its app %s has the name of %s; rename it", path, m->dup,
                     reg_is_builtin(m->dup) ? "a built-in app" : "an app already registered");
        else
            snprintf(why, KEN_WHY_LEN, "%s defines no new app", path);
        return ENOENT;
    }
    *picked = m->picked;
    return 0;
}

/* Forgets what shared objects registered, then closes them. */
static void modules_close(void)
{
    ken_mutex_lock(&reg_lock);
    for (struct reg_app **p = &reg_apps; *p;) {
        struct reg_app *r = *p;
        if (r->module) {
            *p = r->next;
            free(r);
        } else {
            p = &r->next;
        }
    }
    for (struct reg_ctx **p = &reg_ctxs; *p;) {
        struct reg_ctx *r = *p;
        if (r->module) {
            *p = r->next;
            free(r);
        } else {
            p = &r->next;
        }
    }
    ken_mutex_unlock(&reg_lock);
    while (modules) {
        struct module *m = modules;
        modules = m->next;
        dlclose(m->handle);
        free(m->path);
        free(m);
    }
}

/* ---- the load plan: apps in dependency order ---- */

struct plan {
    const struct ken_app_desc *desc[RT_APPS_MAX];
    size_t n;
    const char *path[RT_APPS_MAX];   /* the dependency chain being visited */
    size_t depth;
};

static bool plan_has(const struct plan *p, const char *name)
{
    for (size_t i = 0; i < p->n; i++)
        if (!strcmp(p->desc[i]->name, name))
            return true;
    return false;
}

static int plan_cycle(const struct plan *p, size_t from, const char *name, char *why)
{
    int len = snprintf(why, KEN_WHY_LEN, "dependency cycle:");
    for (size_t i = from; i < p->depth && len < KEN_WHY_LEN; i++)
        len += snprintf(why + len, KEN_WHY_LEN - (size_t)len, " %s ->", p->path[i]);
    if (len < KEN_WHY_LEN)
        snprintf(why + len, KEN_WHY_LEN - (size_t)len, " %s", name);
    return ELOOP;
}

static int plan_visit(struct plan *p, const char *name, const char *by, char *why);

/* A context that is no context type but an app is a dependency. */
static int plan_visit_deps(struct plan *p, const struct ken_app_desc *desc, char *why)
{
    for (size_t i = 0; desc->required_apps && desc->required_apps[i]; i++) {
        int err = plan_visit(p, desc->required_apps[i], desc->name, why);
        if (err)
            return err;
    }
    for (size_t i = 0; desc->contexts && desc->contexts[i]; i++) {
        const char *ctx = desc->contexts[i];
        if (reg_find_ctx(ctx))
            continue;
        if (!reg_find_app(ctx)) {
            snprintf(why, KEN_WHY_LEN, "no context or app named %s (a context of %s)", ctx, desc->name);
            return ENOENT;
        }
        int err = plan_visit(p, ctx, desc->name, why);
        if (err)
            return err;
    }
    return 0;
}

static int plan_visit(struct plan *p, const char *name, const char *by, char *why)
{
    if (plan_has(p, name) || app_find_running(name))
        return 0;
    for (size_t i = 0; i < p->depth; i++)
        if (!strcmp(p->path[i], name))
            return plan_cycle(p, i, name, why);
    const struct ken_app_desc *desc = reg_find_app(name);
    if (!desc) {
        if (by)
            snprintf(why, KEN_WHY_LEN, "no app named %s (required by %s)", name, by);
        else
            snprintf(why, KEN_WHY_LEN, "no app named %s", name);
        return ENOENT;
    }
    if (p->depth == RT_APPS_MAX || p->n == RT_APPS_MAX) {
        snprintf(why, KEN_WHY_LEN, "more than %d apps", RT_APPS_MAX);
        return ENOSPC;
    }
    p->path[p->depth++] = name;
    int err = plan_visit_deps(p, desc, why);
    p->depth--;
    if (!err)
        p->desc[p->n++] = desc;
    return err;
}

/* ---- running the plan ---- */

static struct ken_app *plan_app(struct ken_app **apps, size_t n, const char *name)
{
    for (size_t i = 0; i < n; i++)
        if (!strcmp(apps[i]->desc->name, name))
            return apps[i];
    return app_find_running(name);
}

static int app_bind_contexts(struct ken_app *app, struct ken_app **apps, size_t n, char *why)
{
    const char *const *names = app->desc->contexts;
    size_t count = 0;
    while (names && names[count])
        count++;
    if (!count)
        return 0;
    app->contexts = calloc(count, sizeof *app->contexts);
    if (!app->contexts)
        return ENOMEM;
    for (size_t i = 0; i < count; i++) {
        struct app_context *c = &app->contexts[app->n_contexts++];
        c->name = names[i];
        struct reg_ctx *r = reg_find_ctx(names[i]);
        if (r && !(c->obj = ctx_get(r))) {
            snprintf(why, KEN_WHY_LEN, "context %s (of %s) could not be created", names[i], app->desc->name);
            return ENOMEM;
        }
        if (!r)
            c->app = plan_app(apps, n, names[i]);
    }
    return 0;
}

static void plan_abandon(struct ken_app **apps, size_t n, bool published)
{
    for (size_t i = n; i-- > 0;) {
        if (published)
            app_stop(apps[i], KEN_STOP_DISCARD);  /* stays a stopped app until shutdown */
        else
            app_destroy(apps[i]);
    }
}

static int plan_run(struct plan *p, char *why)
{
    struct ken_app *apps[RT_APPS_MAX];
    size_t n = 0;
    int err = 0;
    if (app_count_running() + p->n > RT_APPS_MAX) {
        snprintf(why, KEN_WHY_LEN, "more than %d apps", RT_APPS_MAX);
        return ENOSPC;
    }
    for (; n < p->n; n++) {
        if (!(apps[n] = app_create(p->desc[n], why, KEN_WHY_LEN))) {
            plan_abandon(apps, n, false);
            return EINVAL;
        }
    }
    for (size_t i = 0; i < n && !err; i++)
        err = app_bind_contexts(apps[i], apps, n, why);
    if (err) {
        plan_abandon(apps, n, false);
        return err;
    }
    app_publish(apps, n);
    for (size_t i = 0; i < n && !err; i++) {
        const struct ken_app_desc *d = apps[i]->desc;
        if (d->start && (err = d->start(apps[i])))
            snprintf(why, KEN_WHY_LEN, "app %s failed to start: %s", d->name, strerror(err));
        apps[i]->started = !err;
    }
    if (!err && (err = app_start_threads(apps, n)))
        snprintf(why, KEN_WHY_LEN, "cannot start a thread: %s", strerror(err));
    if (err) {
        plan_abandon(apps, n, true);
        return err;
    }
    for (size_t i = 0; i < n; i++)
        ken_log(KEN_LOG_INFO, RT_LOG, "app %s started", apps[i]->desc->name);
    return 0;
}

int ken_app_load(const char *const *names, size_t n, char why[KEN_WHY_LEN])
{
    char ignored[KEN_WHY_LEN];
    if (!why)
        why = ignored;
    why[0] = '\0';
    struct plan *p = calloc(1, sizeof *p);
    if (!p) {
        snprintf(why, KEN_WHY_LEN, "out of memory");
        return ENOMEM;
    }
    int err = 0;
    ken_mutex_lock(&load_lock);
    for (size_t i = 0; i < n && !err; i++) {
        const char *name = names[i];
        if (is_module_path(name))
            err = module_open(name, &name, why);
        if (!err)
            err = plan_visit(p, name, NULL, why);
    }
    if (!err)
        err = plan_run(p, why);
    ken_mutex_unlock(&load_lock);
    free(p);
    if (err)
        ken_log(KEN_LOG_ERROR, RT_LOG, "loading apps failed: %s", why);
    return err;
}

/* ---- stopping ---- */

int ken_app_unload(const char *name, enum ken_stop_mode mode)
{
    struct ken_app *app = app_find_running(name);
    if (!app)
        return ESRCH;
    if (app == ken_app_self())
        return EDEADLK;
    ken_mutex_lock(&load_lock);
    if (ken_app_running(app))
        app_stop(app, mode);
    ken_mutex_unlock(&load_lock);
    ken_log(KEN_LOG_INFO, RT_LOG, "app %s stopped", name);
    return 0;
}

static void stop_all_locked(enum ken_stop_mode mode)
{
    struct ken_app *apps[RT_APPS_MAX];
    size_t n = app_running(apps, RT_APPS_MAX);
    while (n-- > 0)
        app_stop(apps[n], mode);
}

void ken_runtime_stop_all(enum ken_stop_mode mode)
{
    ken_mutex_lock(&load_lock);
    stop_all_locked(mode);
    ken_mutex_unlock(&load_lock);
}

void ken_runtime_shutdown(void)
{
    ken_mutex_lock(&load_lock);
    stop_all_locked(KEN_STOP_DRAIN);
    app_free_all();
    while (created_ctxs) {
        struct reg_ctx *r = created_ctxs;
        created_ctxs = r->next_created;
        if (r->type->destroy)
            r->type->destroy(r->obj);
        r->obj = NULL;
    }
    modules_close();
    event_cache_trim();
    ken_mutex_unlock(&load_lock);
}
