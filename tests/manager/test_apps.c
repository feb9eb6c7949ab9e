/* A shared object holding two apps for the ken-manager tests: given its
 * path, ken-manager runs the first by name (aa_first), as OS-Ken runs the
 * first app class of a module. Each logs when it starts and stops. Its ken
 * symbols come from ken-manager (export_dynamic). */
#include "ken/app.h"
#include "ken/log.h"

static int app_start(struct ken_app *app)
{
    KEN_LOG_INFO("test_apps", "test app %s started", ken_app_name(app));
    return 0;
}

static void app_stop(struct ken_app *app)
{
    KEN_LOG_INFO("test_apps", "test app %s stopped", ken_app_name(app));
}

static const struct ken_app_desc zz_second = {.name = "zz_second", .start = app_start, .stop = app_stop};
KEN_APP_REGISTER(zz_second);

static const struct ken_app_desc aa_first = {.name = "aa_first", .start = app_start, .stop = app_stop};
KEN_APP_REGISTER(aa_first);
