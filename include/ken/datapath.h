/* A connected OpenFlow switch, as OS-Ken's controller.Datapath.
 *
 * The controller creates one struct ken_datapath per connection and hands
 * it to apps in every OpenFlow event (ev->msg.datapath). It is reference
 * counted: an event holds a reference while it lives; an app that keeps a
 * datapath beyond the handler takes its own with ken_datapath_ref() and
 * drops it with ken_datapath_unref(). A datapath outlives its connection:
 * once the switch is gone, ken_datapath_is_active() is false and every send fails with
 * ENOTCONN (nothing crashes, nothing blocks).
 *
 * Sending is safe from any thread and never blocks: messages are appended
 * to the connection's outbound queue. From an app's handler they go out at
 * the end of the app's batch of events, one writev per switch from the
 * app's thread (the I/O thread takes over for TLS or a full socket); a
 * handler that is about to wait on something of its own calls
 * ken_app_flush() first (ken/app.h). The queue is bounded
 * (max_outbound_bytes); a switch that stops reading gets its connection
 * closed rather than growing memory without end.
 *
 *     struct ken_flow_mod fm;
 *     ken_flow_mod_init(&fm);
 *     ken_match_add_u32(&fm.match, KEN_OXM_IN_PORT, in_port);
 *     struct ken_action out = ken_action_output(port, 0);
 *     ken_flow_mod_apply_actions(&fm, &out, 1);
 *     ken_datapath_send_flow_mod(dp, &fm);
 *
 * or, building the bytes first (like OS-Ken's parser.OFPFlowMod + send_msg):
 *
 *     struct ken_buf b = KEN_BUF_INIT;
 *     ken_datapath_parser(dp)->flow_mod(&b, &fm);
 *     ken_datapath_send_buf_new_xid(dp, &b, NULL);   // send_buf: xid as built (0)
 *     ken_buf_free(&b);
 *
 * To wait for a reply, see ken_datapath_request below.
 */
#ifndef KEN_DATAPATH_H
#define KEN_DATAPATH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ken/buf.h"
#include "ken/ofp.h"
#include "ken/ofp_consts.h"
#include "ken/ofp_msg.h"
#include "ken/ofp_typed.h"

struct json_object;
struct ken_ofp_msg;

/* Message builders of one OpenFlow version (ken_datapath_parser()), like
 * OS-Ken's ofproto_parser module. Each appends one whole message to out
 * with xid 0: send it with ken_datapath_send_buf_new_xid() (a fresh xid)
 * or ken_datapath_request(), or write the xid you want first (the plain
 * ken_datapath_send_buf() sends 0 as 0). Builders that can fail
 * return 0 or a KEN_OFP* error (e.g. a match field the version lacks).
 * A member is NULL when the version has no such message. */
struct ken_ofproto_parser {
    uint8_t version;
    void (*hello)(struct ken_buf *out);
    void (*echo_request)(struct ken_buf *out, const void *data, size_t len);
    void (*echo_reply)(struct ken_buf *out, const void *data, size_t len);
    void (*features_request)(struct ken_buf *out);
    void (*get_config_request)(struct ken_buf *out);
    void (*set_config)(struct ken_buf *out, uint16_t flags, uint16_t miss_send_len);
    void (*barrier_request)(struct ken_buf *out);
    int (*flow_mod)(struct ken_buf *out, const struct ken_flow_mod *fm);
    int (*packet_out)(struct ken_buf *out, const struct ken_packet_out *po);
    void (*port_desc_request)(struct ken_buf *out);          /* 1.3+ (1.0-1.2: features reply) */
    void (*port_stats_request)(struct ken_buf *out, uint32_t port_no);
    /* An OFPT_ERROR carrying the start of the offending message. */
    void (*error)(struct ken_buf *out, int ofperr, const void *data, size_t len);
    /* Any message from OS-Ken JSON {"OFPClassName": {...}} (see ken/ofp.h). */
    int (*from_json)(struct ken_buf *out, struct json_object *msg, char why[KEN_WHY_LEN]);
};

/* The parser of a version ken speaks, NULL for others. */
const struct ken_ofproto_parser *ken_ofproto_parser_get(uint8_t version);

/* The negotiation phase of a connection (OS-Ken calls them dispatchers:
 * HANDSHAKE_DISPATCHER ... DEAD_DISPATCHER). Each phase is a bit of its
 * own, so a handler's set of phases is their OR (ken/app.h), and the
 * phases are in their order of succession. */
enum ken_phase {
    KEN_PHASE_HANDSHAKE = 1 << 0, /* sending and waiting for hello */
    KEN_PHASE_CONFIG = 1 << 1,    /* version negotiated, features (and port-desc) requested */
    KEN_PHASE_MAIN = 1 << 2,      /* features known, set-config sent: the switch is up */
    KEN_PHASE_DEAD = 1 << 3,      /* disconnected, or disconnecting after an error */
};

struct ken_datapath; /* the controller's; opaque */

/* A datapath is opaque: apps read it through these getters, which are
 * safe from any thread while the I/O thread changes the state (each is one
 * atomic load, acquire: an app that sees a new value also sees what the
 * I/O thread wrote before it).
 *
 * The 64-bit datapath id, from the features reply: valid from the
 * EventOFPSwitchFeatures event on (CONFIG phase), always in MAIN; 0 before. */
uint64_t ken_datapath_id(const struct ken_datapath *dp);
/* Definitions of the negotiated version (message types, port numbers).
 * They change once, at hello negotiation: before it (HANDSHAKE) they are
 * the highest version ken speaks, as OS-Ken; from CONFIG on, the
 * negotiated version's. */
const struct ken_ofproto *ken_datapath_ofproto(const struct ken_datapath *dp);
/* The negotiated version's wire byte (KEN_OFP13, ...): ken_datapath_ofproto(dp)->version. */
uint8_t ken_datapath_version(const struct ken_datapath *dp);
/* Message builders of the negotiated version (OS-Ken's ofproto_parser). */
const struct ken_ofproto_parser *ken_datapath_parser(const struct ken_datapath *dp);
/* The switch's address, "127.0.0.1:40000" or "[::1]:40000"; never changes. */
const char *ken_datapath_address(const struct ken_datapath *dp);
/* False once the connection is closed (DEAD). */
bool ken_datapath_is_active(const struct ken_datapath *dp);
/* The current phase. */
enum ken_phase ken_datapath_phase(const struct ken_datapath *dp);


struct ken_datapath *ken_datapath_ref(struct ken_datapath *dp);
void ken_datapath_unref(struct ken_datapath *dp);

/* ---- xids ----
 *
 * The bytes an app hands over are what goes on the wire: the raw sends
 * (send_msg, send_buf) keep every message's xid as given, 0 included
 * (xid 0 means "this xid": an echo reply to a switch's xid-0 echo request,
 * which Open vSwitch sends, must carry 0). To have ken pick, say so:
 * the _new_xid sends give every message a fresh xid, and the sends that
 * build the message themselves (flow_mod, packet_out, barrier, encoded)
 * always pick one. A picked xid is never 0. (OS-Ken's send_msg picks one
 * when the message's xid is None; ken's bytes have no None.) */

/* Writes a fresh xid into the message header at msg and returns it. */
uint32_t ken_datapath_set_xid(struct ken_datapath *dp, void *msg);

/* Queues one or more whole messages (their bytes are copied), xids as
 * given. Returns 0; ENOTCONN when the connection is gone; EINVAL when the
 * bytes are not whole messages (a header length below 8 or past the end);
 * ENOBUFS when the outbound queue is full (the connection is then being
 * closed: the switch is not reading). Safe from any thread. */
int ken_datapath_send_msg(struct ken_datapath *dp, const void *msg, size_t len);
/* send_msg of a buffer's bytes, then clears the buffer for reuse. */
int ken_datapath_send_buf(struct ken_datapath *dp, struct ken_buf *b);
/* The same, but every message gets a fresh xid in the queued copy
 * (whatever its header said); *first_xid (if not NULL) receives the first
 * message's. */
int ken_datapath_send_msg_new_xid(struct ken_datapath *dp, const void *msg, size_t len, uint32_t *first_xid);
int ken_datapath_send_buf_new_xid(struct ken_datapath *dp, struct ken_buf *b, uint32_t *first_xid);

/* Encode-and-queue in one step, straight into the outbound queue (no
 * intermediate buffer), with a fresh xid; where given, *xid (if not NULL)
 * receives it. Errors as send_msg, or the encoder's KEN_OFP* error (then
 * nothing is queued). */
int ken_datapath_send_flow_mod(struct ken_datapath *dp, const struct ken_flow_mod *fm);
int ken_datapath_send_packet_out(struct ken_datapath *dp, const struct ken_packet_out *po);
int ken_datapath_send_barrier(struct ken_datapath *dp, uint32_t *xid);
/* An encoder that appends one message of version with xid to b; the way
 * to send any message without a separate buffer. */
typedef int (*ken_datapath_encoder)(struct ken_buf *b, uint8_t version, uint32_t xid, const void *arg);
int ken_datapath_send_encoded(struct ken_datapath *dp, ken_datapath_encoder enc, const void *arg, uint32_t *xid);

/* ---- requests and replies ----
 *
 * Send a request and wait for its reply, matched on this datapath by xid
 * (OS-Ken's ofctl send_msg with a reply class). Only the calling thread
 * waits: the I/O thread goes on serving every switch and the other apps go
 * on running, and what the caller's handlers sent before is written first.
 *
 *     struct ken_buf b = KEN_BUF_INIT;
 *     ken_datapath_parser(dp)->port_stats_request(&b, KEN_OFPP_ANY);
 *     struct ken_ofp_reply *r;
 *     int err = ken_datapath_request(dp, b.data, b.len, 1000, &r);
 *     ken_buf_free(&b);
 *     if (!err)
 *         for (size_t i = 0; i < r->n; i++)
 *             ... ken_port_stats_decode(r->msgs[i]->data, r->msgs[i]->len, ...)
 *     ken_ofp_reply_free(r);
 *
 * The reply's messages are still events for the apps (EventOFP<Name>), as
 * in OS-Ken; the waiter gets them as well. */

/* A reply: one message, or every part of a multipart reply in order (the
 * parts with REPLY_MORE and the last one without), or the OFPT_ERROR that
 * answered the request. Each msgs[i] is valid until ken_ofp_reply_free.
 * A reply holds at most KEN_DATAPATH_MAX_REPLY_BYTES (256 MiB): past it,
 * the request fails with EMSGSIZE (a switch that never ends its chain of
 * parts cannot grow a waiter without bound). */
#define KEN_DATAPATH_MAX_REPLY_BYTES (256u << 20)
struct ken_ofp_reply {
    size_t n;
    const struct ken_ofp_msg **msgs; /* n of them */
};
void ken_ofp_reply_free(struct ken_ofp_reply *reply);  /* NULL is fine */

/* Sends msg (one whole message) with a fresh xid (the copy queued gets it)
 * and waits up to timeout_ms (< 0: without limit) for its reply. Returns
 * 0 with *reply; EREMOTEIO with *reply holding the switch's OFPT_ERROR;
 * and with *reply NULL: ETIMEDOUT (the request is forgotten: a late reply
 * is only an event), ENOTCONN at once when the datapath is or goes DEAD,
 * EBADMSG when the reply does not decode, EMSGSIZE when it passes
 * KEN_DATAPATH_MAX_REPLY_BYTES, EDEADLK when called on the
 * controller's I/O thread or in a KEN_APP_NONBLOCKING app's handler
 * (ken_runtime_may_wait), EINVAL when msg is not one whole message, or a
 * send error (ENOBUFS). reply may be NULL when only completion matters
 * (the reply is then freed). Any thread but the I/O thread.
 *
 * An app that waits does not handle its own events meanwhile: its queue
 * may fill, and a switch feeding a full queue is read no further until it
 * drains (backpressure), so keep timeouts finite. */
int ken_datapath_request(struct ken_datapath *dp, const void *msg, size_t len, int timeout_ms,
                         struct ken_ofp_reply **reply);
/* The same for a message an encoder builds (see send_encoded). */
int ken_datapath_request_encoded(struct ken_datapath *dp, ken_datapath_encoder enc, const void *arg, int timeout_ms,
                                 struct ken_ofp_reply **reply);
/* Sends a barrier request and waits for its reply: every message sent to
 * the switch before it has been processed. Returns as request. */
int ken_datapath_barrier_wait(struct ken_datapath *dp, int timeout_ms);

/* ---- typed messages (ken/ofp_typed.h) ----
 *
 * Any message the description lays out, from its struct: build it with
 * ken_ofp_<name>_init(&msg, ken_datapath_version(dp)) (OS-Ken's defaults),
 * set members, send. Errors as send_encoded, or the encoder's (ERANGE: a
 * member does not fit this version's field; EPROTONOSUPPORT: no such
 * message in this version). */
int ken_datapath_send_ofp(struct ken_datapath *dp, enum ken_ofp_class cls, const void *msg);
/* Sends and waits for the reply, as ken_datapath_request. */
int ken_datapath_request_ofp(struct ken_datapath *dp, enum ken_ofp_class cls, const void *msg, int timeout_ms,
                             struct ken_ofp_reply **reply);
/* A whole reply decoded: one message, or every part of a multipart reply
 * joined (their body lists end to end). *out and its parts live in a. */
int ken_ofp_reply_decode(const struct ken_ofp_reply *reply, struct ken_arena *a, enum ken_ofp_class *cls, void **out,
                         char why[KEN_WHY_LEN]);

/* Closes the connection (asynchronously; the datapath goes DEAD). */
void ken_datapath_close(struct ken_datapath *dp);

/* Ports, kept current from the features reply (1.0-1.2), the port-desc
 * reply (1.3+) and port-status messages. Copies, so they stay valid.
 *
 * A switch has at most KEN_DATAPATH_MAX_PORTS ports: the size of OpenFlow
 * 1.0's physical port space (0 to 0xff00). A switch that reports more is
 * misbehaving (or hostile): it gets an OFPT_ERROR (BAD_REQUEST/EPERM) and
 * its connection is closed. */
#define KEN_DATAPATH_MAX_PORTS 65280
/* True when the port exists; copies it into out unless out is NULL. */
bool ken_datapath_port(struct ken_datapath *dp, uint32_t port_no, struct ken_port *out);
/* Copies up to max ports in port-number order; returns how many exist
 * (ken_datapath_ports(dp, NULL, 0) counts them). */
size_t ken_datapath_ports(struct ken_datapath *dp, struct ken_port *out, size_t max);

/* "0000000000000001": OS-Ken's dpid_to_str. */
void ken_dpid_to_str(uint64_t dpid, char out[17]);

/* ---- counters ----
 *
 * What a connection has carried, for monitoring (the metrics app renders
 * them for Prometheus). The controller keeps them per connection as it
 * goes: a received message is counted when the connection frames it (any
 * phase, bad ones too), a sent one when it is accepted into the outbound
 * queue (what a closing connection drops was still counted). Each counter
 * is written by one thread at a time with plain stores and read here with
 * relaxed loads: each value is exact and never goes back, but two values
 * read together may be a message apart.
 *
 * Messages are counted by wire type; the type numbers mean what the
 * negotiated version (version) says: ken_ofp_type_name names them. */
#define KEN_DATAPATH_MSG_TYPES 37     /* slots: wire types 0 to 35, then one for every other */
#define KEN_DATAPATH_MSG_OTHER 36     /* the slot of types past 35 (no version has them) */

struct ken_datapath_msg_count {
    uint64_t msgs;
    uint64_t bytes;                   /* whole messages, headers included */
};

struct ken_datapath_counters {
    uint64_t dpid;
    uint8_t version;                  /* negotiated (0 before the hello) */
    struct ken_datapath_msg_count rx[KEN_DATAPATH_MSG_TYPES];   /* from the switch */
    struct ken_datapath_msg_count tx[KEN_DATAPATH_MSG_TYPES];   /* to the switch */
    uint64_t rx_errors;               /* OFPT_ERROR messages received (rx[1].msgs) */
    /* Messages from the switch the controller refused: they did not
     * decode, had the wrong version, type or direction (each answered
     * with an OFPT_ERROR unless it was one itself, see docs/controller.md
     * "Bad input"). */
    uint64_t bad_msgs;
    /* Echo round trips of the controller's own echo requests (sent every
     * echo_request_interval in MAIN), from the send to the reply's
     * arrival: the last one, and the sum and count of all of them. A
     * request answered after the next one is sent is not counted. */
    uint64_t echo_rtt_last_ns;
    uint64_t echo_rtt_sum_ns;
    uint64_t echo_rtt_count;
};

/* Copies the counters of dp (connected or not: a closed one keeps its
 * last values). Safe from any thread; never blocks. */
void ken_datapath_get_counters(const struct ken_datapath *dp, struct ken_datapath_counters *out);

/* The name of an OpenFlow message type in a version, as the 1.3 spec
 * spells it without "OFPT_" ("PACKET_IN", "MULTIPART_REPLY" also for 1.0's
 * STATS_REPLY); NULL when the version has no such type. */
const char *ken_ofp_type_name(uint8_t version, uint8_t type);

#endif
