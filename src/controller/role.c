/* Controller roles (OFPT_ROLE_REQUEST on 1.2+, NXT_ROLE_REQUEST on 1.0),
 * EventOFPRoleChange, and the send guard of a SLAVE connection. */
#include <errno.h>
#include <inttypes.h>
#include <json-c/json.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#include "controller/ctl.h"
#include "controller/dp.h"
#include "controller/ofp_event.h"
#include "controller/role.h"
#include "ofp/ofp_spec.h"
#include "runtime/xalloc.h"
#include "ken/cluster.h"
#include "ken/log.h"
#include "ken/ofp.h"
#include "ken/ofp_typed.h"
#include "ken/wire.h"

#define LOG_MOD "cluster"

KEN_EV_CLASS_DEFINE(ken_ev_ofp_role_change_class, "EventOFPRoleChange", ken_ev_base_class)

const char *ken_role_name(enum ken_role role)
{
    switch (role) {
    case KEN_ROLE_MASTER: return "master";
    case KEN_ROLE_SLAVE: return "slave";
    default: return "equal";
    }
}

enum ken_role ken_datapath_role(const struct ken_datapath *pub)
{
    return (enum ken_role)atomic_load_explicit(&((struct ken_datapath *)pub)->role, memory_order_acquire);
}

uint64_t ken_datapath_generation_id(const struct ken_datapath *pub)
{
    return atomic_load_explicit(&((struct ken_datapath *)pub)->generation_id, memory_order_acquire);
}

/* The messages a switch refuses from a SLAVE controller (OpenFlow 1.3
 * 6.3.5: they change its state). */
static bool modifies_state(const struct ken_ofproto *p, uint8_t type)
{
    return type == p->OFPT_FLOW_MOD || type == p->OFPT_PACKET_OUT || type == p->OFPT_PORT_MOD ||
           type == p->OFPT_GROUP_MOD || type == p->OFPT_TABLE_MOD || type == p->OFPT_METER_MOD;
}

static atomic_bool send_guard = true;

void ken_cluster_set_send_guard(bool on) { atomic_store(&send_guard, on); }

int dp_role_check_send(struct dp *dp, const uint8_t *p, size_t n)
{
    if (!atomic_load_explicit(&send_guard, memory_order_relaxed))
        return 0;
    const struct ken_ofproto *op = atomic_load_explicit(&dp->pub.ofproto, memory_order_acquire);
    for (size_t at = 0; at + KEN_OFP_HEADER_LEN <= n; at += wire_get16(p + at + 2)) {
        if (!modifies_state(op, p[at + 1]))
            continue;
        if (!atomic_exchange(&dp->warned_not_master, true)) {
            char id[17];
            ken_dpid_to_str(ken_datapath_id(&dp->pub), id);
            ken_log(KEN_LOG_WARNING, LOG_MOD,
                    "datapath %s: this instance is SLAVE: %s refused (EPERM) and every further "
                    "state-changing send until it is master again",
                    id, ken_ofp_type_name(op->version, p[at + 1]));
        }
        return EPERM;
    }
    return 0;
}

/* The event's datapath reference is dropped with it. */
static void role_change_fini(struct ken_event *ev)
{
    ken_datapath_unref(((struct ken_ev_ofp_role_change *)ev)->datapath);
}

/* On the I/O thread: the role changed; tells the apps. */
static void role_set(struct dp *dp, enum ken_role role, uint64_t gen)
{
    enum ken_role old = (enum ken_role)atomic_load(&dp->pub.role);
    atomic_store_explicit(&dp->pub.generation_id, gen, memory_order_release);
    if (old == role)
        return;
    atomic_store_explicit(&dp->pub.role, role, memory_order_release);
    atomic_store(&dp->warned_not_master, false);
    char id[17];
    ken_dpid_to_str(ken_datapath_id(&dp->pub), id);
    ken_log(KEN_LOG_INFO, LOG_MOD, "datapath %s: role %s (generation %" PRIu64 ")", id, ken_role_name(role), gen);
    struct ken_ev_ofp_role_change *e = ken_event_new(ken_ev_ofp_role_change_class.id, sizeof *e, role_change_fini);
    e->datapath = ken_datapath_ref(&dp->pub);
    e->role = role;
    e->old_role = old;
    e->generation_id = gen;
    ev_emit(dp, &e->ev, (uint32_t)atomic_load(&dp->pub.phase));
    ev_flush(dp->io);
}

struct role_job {
    struct loop_job job;
    struct dp *dp;
    enum ken_role role;
    uint64_t gen;
};

static int enc_nx_role(struct ken_buf *b, uint8_t version, uint32_t xid, const void *arg)
{
    /* NX_ROLE_MASTER 1, NX_ROLE_SLAVE 2 (Open vSwitch's nicira-ext.h) */
    struct json_object *msg = json_object_new_object(), *body = json_object_new_object();
    json_object_object_add(body, "role", json_object_new_int(*(const enum ken_role *)arg == KEN_ROLE_MASTER ? 1 : 2));
    json_object_object_add(msg, "NXTRoleRequest", body);
    char why[KEN_WHY_LEN];
    size_t before = b->len;
    int err = ken_ofp_from_json(msg, version, b, why);
    json_object_put(msg);
    if (!err && b->len >= before + 8)
        wire_put32(b->data + before + 4, xid);
    return err;
}

static void role_job_run(struct loop_job *job)
{
    struct role_job *j = (struct role_job *)job;
    struct dp *dp = j->dp;
    if (ken_datapath_is_active(&dp->pub) && ken_datapath_phase(&dp->pub) == KEN_PHASE_MAIN) {
        if (j->role == KEN_ROLE_SLAVE)
            role_set(dp, KEN_ROLE_SLAVE, j->gen); /* at once: no state-changing send from here on */
        dp->role_req = j->role;
        dp->role_req_gen = j->gen;
        int err;
        if (dp->version >= KEN_OFP12) {
            struct ken_ofp_role_request rr;
            ken_ofp_role_request_init(&rr, dp->version);
            rr.role = j->role == KEN_ROLE_MASTER ? KEN_OFPCR_ROLE_MASTER : KEN_OFPCR_ROLE_SLAVE;
            rr.generation_id = j->gen;
            err = ken_datapath_send_ofp(&dp->pub, KEN_OFP_ROLE_REQUEST, &rr);
        } else {
            err = ken_datapath_send_encoded(&dp->pub, enc_nx_role, &j->role, NULL);
        }
        char id[17];
        ken_dpid_to_str(ken_datapath_id(&dp->pub), id);
        if (err)
            ken_log(KEN_LOG_WARNING, LOG_MOD, "datapath %s: role request %s not sent: %s", id,
                    ken_role_name(j->role), strerror(err));
        else
            ken_log(KEN_LOG_DEBUG, LOG_MOD, "datapath %s: role request %s (generation %" PRIu64 ") sent", id,
                    ken_role_name(j->role), j->gen);
    }
    ken_datapath_unref(&dp->pub);
    free(j);
}

void ken_controller_role_request(struct ken_datapath *pub, enum ken_role role, uint64_t gen)
{
    struct role_job *j = ken_xcalloc(1, sizeof *j);
    j->job.run = role_job_run;
    j->dp = dp_of(ken_datapath_ref(pub));
    j->role = role;
    j->gen = gen;
    loop_post(&j->dp->io->loop, &j->job);
}

/* dp_role_on_msg for the types that can be about roles. */
static __attribute__((noinline)) bool role_msg(struct dp *dp, const uint8_t *msg, size_t len)
{
    const struct ken_ofproto *p = dp->pub.ofproto;
    if (dp->version >= KEN_OFP12 && msg[OFPO_OFP_HEADER_TYPE] == p->OFPT_ROLE_REPLY) {
        struct ken_arena a = KEN_ARENA_INIT;
        enum ken_ofp_class cls;
        void *out;
        char why[KEN_WHY_LEN];
        if (!ken_ofp_decode(msg, len, &a, &cls, &out, why) && cls == KEN_OFP_ROLE_REPLY) {
            const struct ken_ofp_role_reply *r = out;
            enum ken_role role = r->role == KEN_OFPCR_ROLE_MASTER ? KEN_ROLE_MASTER
                                 : r->role == KEN_OFPCR_ROLE_SLAVE ? KEN_ROLE_SLAVE
                                                                   : KEN_ROLE_EQUAL;
            /* The reply to an older request (MASTER, then SLAVE at once:
             * the lease lost) is no mastership: only the latest counts. */
            if (role != KEN_ROLE_MASTER || dp->role_req == KEN_ROLE_MASTER)
                role_set(dp, role, r->generation_id);
        }
        ken_arena_free(&a);
        return true;
    }
    /* Nicira's NXT_ROLE_REPLY, laid out in the description (nx_msgs) */
    const uint8_t *nx = msg + OFPS_OFP_HEADER;
    if (dp->version == KEN_OFP10 && msg[OFPO_OFP_HEADER_TYPE] == p->OFPT_EXPERIMENTER &&
        len >= OFPS_OFP_HEADER + OFPO_NX_MSGS_NXTROLE_REPLY_ROLE + 4) {
        if (wire_get32(nx + OFPO_NX_MSGS_NXTROLE_REPLY_VENDOR) == OFPD_NX_MSGS_NXTROLE_REPLY_VENDOR &&
            wire_get32(nx + OFPO_NX_MSGS_NXTROLE_REPLY_SUBTYPE) == OFPD_NX_MSGS_NXTROLE_REPLY_SUBTYPE) {
            uint32_t r = wire_get32(nx + OFPO_NX_MSGS_NXTROLE_REPLY_ROLE);
            enum ken_role role = r == 1 ? KEN_ROLE_MASTER : r == 2 ? KEN_ROLE_SLAVE : KEN_ROLE_EQUAL;
            if (role != KEN_ROLE_MASTER || dp->role_req == KEN_ROLE_MASTER)
                role_set(dp, role, dp->role_req_gen);
            return true;
        }
        return false;
    }
    if (msg[OFPO_OFP_HEADER_TYPE] == p->OFPT_ERROR && dp->role_req != KEN_ROLE_EQUAL &&
        len >= OFPS_OFP_HEADER + 4) {
        struct ken_error_msg e;
        if (!ken_error_decode(msg, len, &e) && dp->version >= KEN_OFP12 && e.type == 11 /* ROLE_REQUEST_FAILED */) {
            char id[17];
            ken_dpid_to_str(ken_datapath_id(&dp->pub), id);
            ken_log(KEN_LOG_WARNING, LOG_MOD,
                    "datapath %s: the switch refused role %s (generation %" PRIu64 "): error code %u%s", id,
                    ken_role_name((enum ken_role)dp->role_req), dp->role_req_gen, e.code,
                    e.code == 0 ? " (stale generation id)" : "");
            return true;
        }
    }
    return false;
}

bool dp_role_on_msg(struct dp *dp, const uint8_t *msg, size_t len)
{
    /* Every message passes here: the three types that can be about roles,
     * tested first, without role_msg's frame. */
    const struct ken_ofproto *p = dp->pub.ofproto;
    uint8_t type = msg[OFPO_OFP_HEADER_TYPE];
    if (type != p->OFPT_ROLE_REPLY && type != p->OFPT_EXPERIMENTER && type != p->OFPT_ERROR)
        return false;
    return role_msg(dp, msg, len);
}
