#include "recorder.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "ken/app.h"
#include "ken/dpset.h"
#include "ken/ofp_event.h"

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t cond = PTHREAD_COND_INITIALIZER;
static struct rec *recs;
static size_t n_recs, cap_recs;

static void rec_fill(struct rec *r, const struct ken_event *ev)
{
    snprintf(r->cls, sizeof r->cls, "%s", ken_ev_class_name(ev->cls));
    if (ken_event_is_a(ev, ken_ev_ofp_msg_base_class.id)) {
        const struct ken_ev_ofp *e = ken_ev_ofp(ev);
        r->dp = e->msg.datapath;
        r->type = e->msg.type;
        r->xid = e->msg.xid;
        if (e->packet_in) {
            r->port_no = e->packet_in->in_port;
            r->data_len = e->packet_in->data_len;
        }
    } else if (ev->cls == ken_ev_ofp_state_change_class.id) {
        const struct ken_ev_ofp_state_change *e = ken_ev_ofp_state_change(ev);
        r->dp = e->datapath;
        r->phase = e->phase;
        r->old_phase = e->old_phase;
    } else if (ev->cls == ken_ev_ofp_port_state_change_class.id) {
        const struct ken_ev_ofp_port_state_change *e = ken_ev_ofp_port_state_change(ev);
        r->dp = e->datapath;
        r->reason = e->reason;
        r->port_no = e->port_no;
        r->port_state = e->port.state;
    } else if (ev->cls == ken_ev_dp_class.id) {
        const struct ken_ev_dp *e = ken_ev_dp(ev);
        r->dp = e->dp;
        r->enter = e->enter;
        r->n_ports = e->n_ports;
    } else if (ken_event_is_a(ev, ken_ev_port_base_class.id)) {
        const struct ken_ev_port *e = ken_ev_port(ev);
        r->dp = e->dp;
        r->port_no = e->port.port_no;
        r->port_state = e->port.state;
    }
    if (r->dp) {
        ken_datapath_ref(r->dp);
        r->dpid = ken_datapath_id(r->dp);
    }
}

static void rec_on_event(struct ken_app *app, const struct ken_event *ev)
{
    (void)app;
    struct rec r = {0};
    rec_fill(&r, ev);
    pthread_mutex_lock(&lock);
    if (n_recs == cap_recs) {
        cap_recs = cap_recs ? 2 * cap_recs : 256;
        recs = realloc(recs, cap_recs * sizeof *recs);
    }
    recs[n_recs++] = r;
    pthread_cond_broadcast(&cond);
    pthread_mutex_unlock(&lock);
}

static const struct ken_handler rec_handlers[] = {
    {"EventBase", 0, rec_on_event},
    {NULL, 0, NULL},
};

static const char *const rec_needs[] = {"dpset", NULL};

static const struct ken_app_desc rec_app = {
    .name = "ctl_recorder",
    .contexts = rec_needs, /* dpset's data as our context, as OS-Ken's _CONTEXTS */
    .handlers = rec_handlers,
};
KEN_APP_REGISTER(rec_app)

void rec_load(void)
{
    char why[KEN_WHY_LEN];
    if (ken_app_load_one("ctl_recorder", why)) {
        fprintf(stderr, "cannot load the recorder: %s\n", why);
        abort();
    }
}

void rec_reset(void)
{
    pthread_mutex_lock(&lock);
    for (size_t i = 0; i < n_recs; i++)
        ken_datapath_unref(recs[i].dp);
    n_recs = 0;
    pthread_mutex_unlock(&lock);
}

static bool rec_matches(const struct rec *r, const char *cls, const struct ken_datapath *dp,
                        bool (*match)(const struct rec *r, const void *arg), const void *arg)
{
    return !strcmp(r->cls, cls) && (!dp || r->dp == dp) && (!match || match(r, arg));
}

bool rec_wait(const char *cls, const struct ken_datapath *dp, bool (*match)(const struct rec *r, const void *arg),
              const void *arg, size_t *from, struct rec *out)
{
    struct timespec deadline;
    clock_gettime(CLOCK_REALTIME, &deadline);
    deadline.tv_sec += REC_WAIT_MS / 1000;
    /* Each wake-up looks only at the records added since the last look:
     * a test that records a few hundred thousand port events (the port
     * cap's) would otherwise rescan them all per event, for minutes under
     * ThreadSanitizer. */
    size_t next = from ? *from : 0;
    bool found = false;
    pthread_mutex_lock(&lock);
    for (;;) {
        for (; next < n_recs && !found; next++) {
            if (rec_matches(&recs[next], cls, dp, match, arg)) {
                found = true;
                if (out)
                    *out = recs[next];
                if (from)
                    *from = next + 1;
            }
        }
        if (found || pthread_cond_timedwait(&cond, &lock, &deadline))
            break;
    }
    pthread_mutex_unlock(&lock);
    if (!found)
        fprintf(stderr, "timed out waiting for %s\n", cls);
    return found;
}

static bool state_is(const struct rec *r, const void *arg) { return r->phase == *(const int *)arg; }

bool rec_wait_state(const struct ken_datapath *dp, int state, size_t *from, struct rec *out)
{
    return rec_wait("EventOFPStateChange", dp, state_is, &state, from, out);
}

size_t rec_count(const char *cls, const struct ken_datapath *dp)
{
    size_t n = 0;
    pthread_mutex_lock(&lock);
    for (size_t i = 0; i < n_recs; i++)
        n += rec_matches(&recs[i], cls, dp, NULL, NULL);
    pthread_mutex_unlock(&lock);
    return n;
}

size_t rec_mark(void)
{
    pthread_mutex_lock(&lock);
    size_t n = n_recs;
    pthread_mutex_unlock(&lock);
    return n;
}
