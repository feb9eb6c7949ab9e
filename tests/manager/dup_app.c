/* A shared object whose only app has a built-in app's name: loading it
 * must say so, not "defines no new app". */
#include "ken/app.h"

static const struct ken_app_desc dup = {.name = "simple_switch_13"};
KEN_APP_REGISTER(dup);
