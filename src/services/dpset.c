/* dpset: the connected switches by datapath id, and the EventDP /
 * EventPort* events (OS-Ken's controller.dpset). Ports come from the
 * datapath's own table, which the controller keeps current. */
#include "ken/dpset.h"

#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "ken/app.h"
#include "ken/log.h"
#include "ken/ofp_event.h"

#define LOG_MOD "dpset"

KEN_EV_CLASS_DEFINE(ken_ev_dp_base_class, "EventDPBase", ken_ev_base_class)
KEN_EV_CLASS_DEFINE(ken_ev_dp_class, "EventDP", ken_ev_dp_base_class)
KEN_EV_CLASS_DEFINE(ken_ev_port_base_class, "EventPortBase", ken_ev_dp_base_class)
KEN_EV_CLASS_DEFINE(ken_ev_port_add_class, "EventPortAdd", ken_ev_port_base_class)
KEN_EV_CLASS_DEFINE(ken_ev_port_delete_class, "EventPortDelete", ken_ev_port_base_class)
KEN_EV_CLASS_DEFINE(ken_ev_port_modify_class, "EventPortModify", ken_ev_port_base_class)

struct dpset_entry {
    uint64_t dpid;
    struct ken_datapath *dp;  /* a reference */
};

struct ken_dpset {
    pthread_mutex_t lock;
    struct dpset_entry *e;    /* sorted by dpid */
    size_t n, cap;
};

int ken_dpset_register_classes(void)
{
    struct ken_ev_class *const all[] = {&ken_ev_dp_class, &ken_ev_port_add_class, &ken_ev_port_delete_class,
                                        &ken_ev_port_modify_class};
    for (size_t i = 0; i < sizeof all / sizeof all[0]; i++)
        if (!ken_ev_class_register_static(all[i]))
            return ENOSPC;
    return 0;
}

/* ---- the table (under lock) ---- */

static size_t dpset_find(const struct ken_dpset *ds, uint64_t dpid, bool *found)
{
    size_t lo = 0, hi = ds->n;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (ds->e[mid].dpid < dpid)
            lo = mid + 1;
        else
            hi = mid;
    }
    *found = lo < ds->n && ds->e[lo].dpid == dpid;
    return lo;
}

/* Adds dp (replacing an older datapath with its id); false when out of
 * memory. */
static bool dpset_put(struct ken_dpset *ds, struct ken_datapath *dp)
{
    bool found;
    pthread_mutex_lock(&ds->lock);
    size_t i = dpset_find(ds, ken_datapath_id(dp), &found);
    if (found) {
        ken_datapath_unref(ds->e[i].dp);
    } else {
        if (ds->n == ds->cap) {
            size_t cap = ds->cap ? 2 * ds->cap : 16;
            struct dpset_entry *e = realloc(ds->e, cap * sizeof *e);
            if (!e) {
                pthread_mutex_unlock(&ds->lock);
                return false;
            }
            ds->e = e;
            ds->cap = cap;
        }
        memmove(&ds->e[i + 1], &ds->e[i], (ds->n - i) * sizeof *ds->e);
        ds->n++;
    }
    ds->e[i] = (struct dpset_entry){ken_datapath_id(dp), ken_datapath_ref(dp)};
    pthread_mutex_unlock(&ds->lock);
    return true;
}

/* Removes dp if it is the one registered under its id (a newer connection
 * with the same id stays). */
static bool dpset_take(struct ken_dpset *ds, struct ken_datapath *dp)
{
    bool found;
    pthread_mutex_lock(&ds->lock);
    size_t i = dpset_find(ds, ken_datapath_id(dp), &found);
    found = found && ds->e[i].dp == dp;
    if (found) {
        memmove(&ds->e[i], &ds->e[i + 1], (ds->n - i - 1) * sizeof *ds->e);
        ds->n--;
    }
    pthread_mutex_unlock(&ds->lock);
    if (found)
        ken_datapath_unref(dp);
    return found;
}

static bool dpset_holds(struct ken_dpset *ds, const struct ken_datapath *dp)
{
    bool found;
    pthread_mutex_lock(&ds->lock);
    size_t i = dpset_find(ds, ken_datapath_id(dp), &found);
    found = found && ds->e[i].dp == dp;
    pthread_mutex_unlock(&ds->lock);
    return found;
}

/* ---- queries ---- */

struct ken_dpset *ken_dpset_of(struct ken_app *app)
{
    if (app)
        return ken_app_context(app, "dpset");
    struct ken_app *ds = ken_app_lookup("dpset");
    return ds && ken_app_running(ds) ? ken_app_data(ds) : NULL;
}

struct ken_datapath *ken_dpset_get(struct ken_dpset *ds, uint64_t dpid)
{
    bool found;
    pthread_mutex_lock(&ds->lock);
    size_t i = dpset_find(ds, dpid, &found);
    struct ken_datapath *dp = found ? ken_datapath_ref(ds->e[i].dp) : NULL;
    pthread_mutex_unlock(&ds->lock);
    return dp;
}

size_t ken_dpset_get_all(struct ken_dpset *ds, struct ken_datapath **out, size_t max)
{
    pthread_mutex_lock(&ds->lock);
    size_t n = ds->n;
    for (size_t i = 0; i < n && i < max; i++)
        out[i] = ken_datapath_ref(ds->e[i].dp);
    pthread_mutex_unlock(&ds->lock);
    return n;
}

int ken_dpset_get_ports(struct ken_dpset *ds, uint64_t dpid, struct ken_port *out, size_t max, size_t *n)
{
    struct ken_datapath *dp = ken_dpset_get(ds, dpid);
    *n = 0;
    if (!dp)
        return ENOENT;
    *n = ken_datapath_ports(dp, out, max);
    ken_datapath_unref(dp);
    return 0;
}

int ken_dpset_get_port(struct ken_dpset *ds, uint64_t dpid, uint32_t port_no, struct ken_port *out)
{
    struct ken_datapath *dp = ken_dpset_get(ds, dpid);
    bool found = dp && ken_datapath_port(dp, port_no, out);
    ken_datapath_unref(dp);
    return found ? 0 : ENOENT;
}

/* ---- events ---- */

static void ev_dp_fini(struct ken_event *ev) { ken_datapath_unref(((struct ken_ev_dp *)ev)->dp); }

static void send_ev_dp(struct ken_datapath *dp, bool enter)
{
    size_t n = ken_datapath_ports(dp, NULL, 0);
    struct ken_ev_dp *e = ken_event_new(ken_ev_dp_class.id, sizeof *e + n * sizeof(struct ken_port), ev_dp_fini);
    if (!e)
        return;
    struct ken_port *ports = (struct ken_port *)(e + 1);
    size_t got = ken_datapath_ports(dp, ports, n);
    e->dp = ken_datapath_ref(dp);
    e->enter = enter;
    e->n_ports = got < n ? got : n;
    e->ports = ports;
    ken_send_event_to_observers(&e->ev, KEN_PHASE_ANY);
}

static void ev_port_fini(struct ken_event *ev) { ken_datapath_unref(((struct ken_ev_port *)ev)->dp); }

static void send_ev_port(struct ken_datapath *dp, ken_ev_class_t cls, const struct ken_port *port)
{
    struct ken_ev_port *e = ken_event_new(cls, sizeof *e, ev_port_fini);
    if (!e)
        return;
    e->dp = ken_datapath_ref(dp);
    e->port = *port;
    ken_send_event_to_observers(&e->ev, KEN_PHASE_ANY);
}

/* ---- handlers ---- */

static void dpset_on_state_change(struct ken_app *app, const struct ken_event *ev)
{
    struct ken_dpset *ds = ken_app_data(app);
    const struct ken_ev_ofp_state_change *sc = ken_ev_ofp_state_change(ev);
    char id[17];
    ken_dpid_to_str(ken_datapath_id(sc->datapath), id);
    if (sc->phase == KEN_PHASE_MAIN) {
        KEN_LOG_DEBUG(LOG_MOD, "register datapath %s (%s)", id, ken_datapath_address(sc->datapath));
        if (dpset_put(ds, sc->datapath))
            send_ev_dp(sc->datapath, true);
    } else if (sc->phase == KEN_PHASE_DEAD && dpset_take(ds, sc->datapath)) {
        KEN_LOG_DEBUG(LOG_MOD, "unregister datapath %s (%s)", id, ken_datapath_address(sc->datapath));
        send_ev_dp(sc->datapath, false);
    }
}

static void dpset_on_port_change(struct ken_app *app, const struct ken_event *ev)
{
    const struct ken_ev_ofp_port_state_change *pc = ken_ev_ofp_port_state_change(ev);
    if (!dpset_holds(ken_app_data(app), pc->datapath))
        return;
    static struct ken_ev_class *const cls[] = {
        [KEN_OFPPR_ADD] = &ken_ev_port_add_class,
        [KEN_OFPPR_DELETE] = &ken_ev_port_delete_class,
        [KEN_OFPPR_MODIFY] = &ken_ev_port_modify_class,
    };
    if (pc->reason <= KEN_OFPPR_MODIFY)
        send_ev_port(pc->datapath, cls[pc->reason]->id, &pc->port);
}

static int dpset_start(struct ken_app *app)
{
    if (ken_dpset_register_classes())
        return ENOSPC;
    struct ken_dpset *ds = calloc(1, sizeof *ds);
    if (!ds)
        return ENOMEM;
    pthread_mutex_init(&ds->lock, NULL);
    ken_app_set_data(app, ds);
    return 0;
}

static void dpset_stop(struct ken_app *app)
{
    struct ken_dpset *ds = ken_app_data(app);
    if (!ds)
        return;
    for (size_t i = 0; i < ds->n; i++)
        ken_datapath_unref(ds->e[i].dp);
    free(ds->e);
    pthread_mutex_destroy(&ds->lock);
    free(ds);
    ken_app_set_data(app, NULL);
}

static const struct ken_handler dpset_handlers[] = {
    {"EventOFPStateChange", KEN_PHASE_MAIN | KEN_PHASE_DEAD, dpset_on_state_change},
    {"EventOFPPortStateChange", KEN_PHASE_MAIN, dpset_on_port_change},
    {NULL, 0, NULL},
};

static const struct ken_app_desc dpset_app = {
    .name = "dpset",
    .start = dpset_start,
    .stop = dpset_stop,
    .handlers = dpset_handlers,
};
KEN_APP_REGISTER(dpset_app)
