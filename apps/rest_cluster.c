/* rest_cluster: GET /v1.0/cluster, the cluster's members and the master of
 * each switch (ken/cluster.h, docs/cluster.md). ken-manager loads it by
 * itself when it runs in a cluster and the REST server runs. */
#include <json-c/json.h>

#include "ken/app.h"
#include "ken/cluster.h"
#include "ken/wsapi.h"

static void cluster_get(struct ken_app *app, const struct ken_ws_request *req, struct ken_ws_response *resp)
{
    (void)app;
    (void)req;
    if (!ken_cluster_running()) {
        ken_ws_reply_error(resp, 404, "this instance is in no cluster");
        return;
    }
    struct json_object *j = ken_cluster_status_json();
    if (!j) {
        ken_ws_reply_error(resp, 503, "etcd does not answer");
        return;
    }
    ken_ws_reply_json(resp, 200, j);
}

static const struct ken_route cluster_routes[] = {
    {"cluster", "/v1.0/cluster", "GET,HEAD", NULL, cluster_get},
    {NULL, NULL, NULL, NULL, NULL},
};

static const struct ken_app_desc rest_cluster_app = {
    .name = "rest_cluster",
    .routes = cluster_routes,
};
KEN_APP_REGISTER(rest_cluster_app)
