/* An external app module holding two apps: the loader picks the first by
 * name (alpha_app), as OS-Ken picks the first class of a module. */
#include "ken/app.h"

static int alpha_start(struct ken_app *app)
{
    static int alpha_state = 42;
    ken_app_set_data(app, &alpha_state);
    return 0;
}

static const struct ken_app_desc zeta_app = {.name = "zeta_app"};
KEN_APP_REGISTER(zeta_app);

static const struct ken_app_desc alpha_app = {.name = "alpha_app", .start = alpha_start};
KEN_APP_REGISTER(alpha_app);
