/* metrics: GET /metrics in the Prometheus text format (0.0.4).
 *
 *     build/ken-manager --wsapi-port 8080 metrics simple_switch_13
 *     curl -s http://127.0.0.1:8080/metrics
 *
 * Each request takes a snapshot (the switches dpset has in MAIN, the
 * running apps, the controller's and the process's figures) and renders
 * it; nothing is kept between requests, so switches that left are gone
 * from the next answer. The counters are the controller's and the
 * runtime's own (ken_datapath_get_counters, ken_app_get_stats): reading
 * them takes no lock on the hot path. docs/rest.md lists the series. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ken/app.h"
#include "ken/dpset.h"
#include "ken/wsapi.h"
#include "metrics.h"

/* Switches per answer: past this, the rest are left out rather than an
 * answer of unbounded size. */
#define METRICS_MAX_DPS 65536

static int by_dpid(const void *a, const void *b)
{
    uint64_t x = ((const struct metrics_dp *)a)->c.dpid, y = ((const struct metrics_dp *)b)->c.dpid;
    return x < y ? -1 : x > y;
}

static void get_metrics(struct ken_app *app, const struct ken_ws_request *req, struct ken_ws_response *resp)
{
    (void)req;
    struct metrics_snapshot s = {0};
    metrics_process_read(&s.proc); /* s.proc.ok false: the process families are left out */
    ken_controller_get_counters(&s.ctl);

    struct ken_dpset *ds = ken_dpset_of(app);
    size_t want = ken_dpset_get_all(ds, NULL, 0);
    if (want > METRICS_MAX_DPS)
        want = METRICS_MAX_DPS;
    struct ken_datapath **dps = calloc(want ? want : 1, sizeof *dps);
    struct metrics_dp *mdps = calloc(want ? want : 1, sizeof *mdps);
    struct ken_app *apps[64];
    size_t n_apps = ken_app_list(apps, 64);
    if (n_apps > 64)
        n_apps = 64;
    struct metrics_app mapps[64];
    if (!dps || !mdps) {
        free(dps);
        free(mdps);
        ken_ws_reply_error(resp, 500, "out of memory");
        return;
    }
    size_t got = ken_dpset_get_all(ds, dps, want);
    if (got > want)
        got = want;
    size_t n = 0;
    for (size_t i = 0; i < got; i++) {
        /* Gone since dpset last heard: it leaves the answer now. */
        if (ken_datapath_is_active(dps[i])) {
            ken_datapath_get_counters(dps[i], &mdps[n].c);
            snprintf(mdps[n].address, sizeof mdps[n].address, "%s", ken_datapath_address(dps[i]));
            n++;
        }
        ken_datapath_unref(dps[i]);
    }
    free(dps);
    qsort(mdps, n, sizeof *mdps, by_dpid);
    s.dps = mdps;
    s.n_dps = n;
    for (size_t i = 0; i < n_apps; i++) {
        mapps[i].name = ken_app_name(apps[i]);
        ken_app_get_stats(apps[i], &mapps[i].st);
    }
    s.apps = mapps;
    s.n_apps = n_apps;

    struct ken_buf out = KEN_BUF_INIT;
    metrics_render(&out, &s);
    ken_ws_reply(resp, 200, METRICS_CONTENT_TYPE, out.data, out.len);
    ken_buf_free(&out);
    free(mdps);
}

static const struct ken_route metrics_routes[] = {
    {"metrics", "/metrics", "GET", NULL, get_metrics},
    {NULL, NULL, NULL, NULL, NULL},
};

static const char *const metrics_contexts[] = {"dpset", NULL};

static const struct ken_app_desc metrics_app = {
    .name = "metrics",
    .contexts = metrics_contexts,
    .routes = metrics_routes,
};
KEN_APP_REGISTER(metrics_app)
