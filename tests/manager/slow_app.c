/* An app that takes 30 s to start, for the ken-manager test of a stop
 * signal during start-up: the signal must end the process at once, not
 * wait for the start hook. */
#include <unistd.h>

#include "ken/app.h"
#include "ken/log.h"

static int slow_start(struct ken_app *app)
{
    (void)app;
    KEN_LOG_INFO("slow_app", "slow app starting");
    for (int i = 0; i < 30; i++)
        sleep(1);
    return 0;
}

static const struct ken_app_desc slow_app = {.name = "slow_app", .start = slow_start};
KEN_APP_REGISTER(slow_app);
