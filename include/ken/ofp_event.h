/* OpenFlow events, as OS-Ken's controller.ofp_event.
 *
 * Every message a switch sends becomes an event of class "Event" + the
 * message's OS-Ken class name: EventOFPPacketIn, EventOFPSwitchFeatures,
 * EventOFPPortStatus, EventOFPFlowStatsReply, EventOFPPortDescStatsReply,
 * EventOFPErrorMsg, EventOFPEchoRequest, ... one class per name, shared by
 * every OpenFlow version, all subclasses of EventOFPMsgBase. The event is
 * sent with the datapath's phase at the moment the message arrived (for a
 * message that changes the phase, the phase before the change), so a
 * handler for EventOFPSwitchFeatures registers for KEN_PHASE_CONFIG.
 *
 *     static void on_packet_in(struct ken_app *app, const struct ken_event *ev)
 *     {
 *         const struct ken_ev_ofp *e = ken_ev_ofp(ev);
 *         const struct ken_packet_in *pi = e->packet_in;   // decoded already
 *         struct ken_datapath *dp = e->msg.datapath;
 *         ...
 *     }
 *
 * The classes are registered when the program loads (and again, harmlessly,
 * by ken_ofp_event_register()). */
#ifndef KEN_OFP_EVENT_H
#define KEN_OFP_EVENT_H

#include <stdint.h>

#include "ken/datapath.h"
#include "ken/event.h"
#include "ken/ofp_msg.h"

struct json_object;

/* The message of an EventOFP<Name> event (OS-Ken's ev.msg). */
struct ken_ofp_msg {
    struct ken_datapath *datapath;  /* msg.datapath (the event holds a reference) */
    uint8_t version;
    uint8_t type;                   /* OFPT_* of that version (ken_datapath_ofproto(dp)->OFPT_...) */
    uint16_t len;                   /* msg_len: the whole message, header included */
    uint32_t xid;
    const char *cls;                /* OS-Ken class name, "OFPPacketIn" */
    const uint8_t *data;            /* the raw message (len bytes), valid while the event is */
};

/* Every EventOFP<Name> event. base.msg points at msg; base.datapath and
 * base.timestamp_ns (wall clock when the message was framed) are set. */
struct ken_ev_ofp {
    struct ken_ev_ofp_msg base;
    struct ken_ofp_msg msg;
    /* EventOFPPacketIn only (NULL otherwise): the decoded packet-in; its
     * data points into msg.data. */
    const struct ken_packet_in *packet_in;
};

static inline const struct ken_ev_ofp *ken_ev_ofp(const struct ken_event *ev)
{
    return (const struct ken_ev_ofp *)ev;
}

/* The message as OS-Ken JSON ({"OFPPacketIn": {...}}, see ken/ofp.h). */
int ken_ofp_msg_to_json(const struct ken_ofp_msg *msg, struct json_object **out, char why[KEN_WHY_LEN]);

/* EventOFPStateChange: sent on every phase change, after the change, to
 * the handlers of the new phase (as OS-Ken: a handler for
 * KEN_PHASE_MAIN | KEN_PHASE_DEAD sees a switch come up and go away)
 * and to those of the phase it left (the runtime's rule: a handler for
 * KEN_PHASE_MAIN alone also sees MAIN -> DEAD). Check phase. The first
 * one, when a connection opens, has phase == old_phase == HANDSHAKE. */
struct ken_ev_ofp_state_change {
    struct ken_event ev;
    struct ken_datapath *datapath;
    int phase;      /* enum ken_phase: the new phase */
    int old_phase;  /* the phase it left */
};
KEN_EV_CLASS_DECLARE(ken_ev_ofp_state_change_class);    /* "EventOFPStateChange" */

/* EventOFPPortStateChange: sent after dp's port table changed from a
 * port-status message (so ken_datapath_port() already agrees). */
struct ken_ev_ofp_port_state_change {
    struct ken_event ev;
    struct ken_datapath *datapath;
    uint8_t reason;       /* KEN_OFPPR_ADD, _DELETE, _MODIFY */
    uint32_t port_no;
    struct ken_port port; /* the port as the message described it */
};
KEN_EV_CLASS_DECLARE(ken_ev_ofp_port_state_change_class); /* "EventOFPPortStateChange" */

/* Their names, for handler tables, beside the message events'
 * KEN_EV_OFP_* (ken/ofp_types.h): a misspelt constant does not compile,
 * where a misspelt string fails the load. */
#define KEN_EV_OFP_STATE_CHANGE "EventOFPStateChange"
#define KEN_EV_OFP_PORT_STATE_CHANGE "EventOFPPortStateChange"

static inline const struct ken_ev_ofp_state_change *ken_ev_ofp_state_change(const struct ken_event *ev)
{
    return (const struct ken_ev_ofp_state_change *)ev;
}
static inline const struct ken_ev_ofp_port_state_change *ken_ev_ofp_port_state_change(const struct ken_event *ev)
{
    return (const struct ken_ev_ofp_port_state_change *)ev;
}

/* Registers EventOFP<Name> for every message class of the codec, and the
 * classes above. Idempotent; returns 0 or ENOSPC (class table full). */
int ken_ofp_event_register(void);

/* The phase names (OS-Ken's dispatcher names): "handshake", "config", "main", "dead". */
const char *ken_phase_name(int phase);

#endif
