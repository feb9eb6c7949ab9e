/* The event class table: ids are indexes into fixed arrays, so the hot
 * path (a handler table per app indexed by id) never hashes a name. The
 * table lives as long as the process (ids stay valid across
 * ken_runtime_shutdown; names are copied so a shared object that defined
 * a class can be closed). Registration is rare and takes a mutex; reading
 * a class's parent is lock-free (published with release order). */
#include "runtime/runtime.h"
#include "runtime/lock.h"

#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct ken_ev_class ken_ev_base_class = {"EventBase", NULL, KEN_EV_BASE};
struct ken_ev_class ken_ev_request_base_class = {"EventRequestBase", &ken_ev_base_class, KEN_EV_REQUEST_BASE};
struct ken_ev_class ken_ev_reply_base_class = {"EventReplyBase", &ken_ev_base_class, KEN_EV_REPLY_BASE};
struct ken_ev_class ken_ev_ofp_msg_base_class = {"EventOFPMsgBase", &ken_ev_base_class, KEN_EV_OFP_MSG_BASE};

#define EVCLASS_FIRST_FREE 5

static struct ken_mutex evclass_lock = KEN_MUTEX_INITIALIZER;
/* Who hears of a class registered late (app.c: the running apps' handler
 * tables), set before it matters: a report upward, not a call. */
static _Atomic(evclass_added_fn) evclass_added_hook;
static _Atomic ken_ev_class_t evclass_next = EVCLASS_FIRST_FREE;
static ken_ev_class_t evclass_parent[KEN_EV_CLASS_MAX] = {
    [KEN_EV_REQUEST_BASE] = KEN_EV_BASE,
    [KEN_EV_REPLY_BASE] = KEN_EV_BASE,
    [KEN_EV_OFP_MSG_BASE] = KEN_EV_BASE,
};
static const char *evclass_names[KEN_EV_CLASS_MAX] = {
    [KEN_EV_BASE] = "EventBase",
    [KEN_EV_REQUEST_BASE] = "EventRequestBase",
    [KEN_EV_REPLY_BASE] = "EventReplyBase",
    [KEN_EV_OFP_MSG_BASE] = "EventOFPMsgBase",
};

ken_ev_class_t evclass_count(void) { return atomic_load_explicit(&evclass_next, memory_order_acquire); }

void evclass_on_added(evclass_added_fn fn) { atomic_store(&evclass_added_hook, fn); }

static bool evclass_valid(ken_ev_class_t cls) { return cls >= KEN_EV_BASE && cls < evclass_count(); }

/* Call with evclass_lock held. */
static ken_ev_class_t evclass_find_locked(const char *name) KEN_REQUIRES(&evclass_lock)
{
    ken_ev_class_t n = evclass_count();
    for (ken_ev_class_t id = KEN_EV_BASE; id < n; id++)
        if (!strcmp(evclass_names[id], name))
            return id;
    return 0;
}

ken_ev_class_t ken_ev_class_register(const char *name, ken_ev_class_t parent)
{
    if (!name || !*name || !evclass_valid(parent))
        return 0;
    ken_mutex_lock(&evclass_lock);
    ken_ev_class_t id = evclass_find_locked(name);
    if (id) {
        if (evclass_parent[id] != parent) {
            ken_log(KEN_LOG_ERROR, RT_LOG, "event class %s exists under %s, not %s", name,
                    evclass_names[evclass_parent[id]], evclass_names[parent]);
            id = 0;
        }
        ken_mutex_unlock(&evclass_lock);
        return id;
    }
    id = evclass_count();
    char *copy = id < KEN_EV_CLASS_MAX ? strdup(name) : NULL;
    if (!copy) {
        ken_mutex_unlock(&evclass_lock);
        ken_log(KEN_LOG_ERROR, RT_LOG, "cannot register event class %s: table full", name);
        return 0;
    }
    evclass_names[id] = copy;
    evclass_parent[id] = parent;
    atomic_store_explicit(&evclass_next, (ken_ev_class_t)(id + 1), memory_order_release);
    ken_mutex_unlock(&evclass_lock);
    evclass_added_fn hook = atomic_load(&evclass_added_hook);
    if (hook)
        hook(id);
    return id;
}

ken_ev_class_t ken_ev_class_register_static(struct ken_ev_class *cls)
{
    if (!cls->id) {
        ken_ev_class_t parent = cls->parent ? ken_ev_class_register_static((struct ken_ev_class *)cls->parent) : 0;
        cls->id = ken_ev_class_register(cls->name, parent);
    }
    return cls->id;
}

static void evclass_ofp_name(const char *ofp_class_name, char *out, size_t len)
{
    snprintf(out, len, "Event%s", ofp_class_name);
}

ken_ev_class_t ken_ev_class_register_ofp(const char *ofp_class_name)
{
    char name[128];
    evclass_ofp_name(ofp_class_name, name, sizeof name);
    return ken_ev_class_register(name, KEN_EV_OFP_MSG_BASE);
}

ken_ev_class_t ken_ev_class_lookup(const char *name)
{
    if (!name)
        return 0;
    ken_mutex_lock(&evclass_lock);
    ken_ev_class_t id = evclass_find_locked(name);
    ken_mutex_unlock(&evclass_lock);
    return id;
}

ken_ev_class_t ken_ev_class_lookup_ofp(const char *ofp_class_name)
{
    char name[128];
    evclass_ofp_name(ofp_class_name, name, sizeof name);
    return ken_ev_class_lookup(name);
}

const char *ken_ev_class_name(ken_ev_class_t cls) { return evclass_valid(cls) ? evclass_names[cls] : "?"; }

ken_ev_class_t ken_ev_class_parent(ken_ev_class_t cls) { return evclass_valid(cls) ? evclass_parent[cls] : 0; }

bool ken_ev_class_is_a(ken_ev_class_t cls, ken_ev_class_t ancestor)
{
    for (; evclass_valid(cls); cls = evclass_parent[cls])
        if (cls == ancestor)
            return true;
    return false;
}

/* cls and its ancestors, most specific first (a chain is at most
 * KEN_EV_CLASS_MAX long: parents are always registered first). */
void evclass_ancestors(ken_ev_class_t cls, ken_ev_class_t *out, size_t *n)
{
    *n = 0;
    for (; evclass_valid(cls); cls = evclass_parent[cls])
        out[(*n)++] = cls;
}
