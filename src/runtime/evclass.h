/* Event classes' hierarchy, for the runtime (evclass.c; the public side
 * is ken/event.h). */
#ifndef KEN_RUNTIME_EVCLASS_H
#define KEN_RUNTIME_EVCLASS_H

#include <stddef.h>

#include "ken/event.h"

void evclass_ancestors(ken_ev_class_t cls, ken_ev_class_t *out, size_t *n);
ken_ev_class_t evclass_count(void);
/* fn hears of every class registered from now on. */
typedef void (*evclass_added_fn)(ken_ev_class_t cls);
void evclass_on_added(evclass_added_fn fn);

#endif
