/* The handshake as one transition table (phase x message kind -> action,
 * next phase), echo, port tracking, one event per received message, and
 * replies handed to the requests waiting for them. Runs on the I/O thread.
 *
 *   HANDSHAKE --hello, common version--> CONFIG (features request sent)
 *   CONFIG --features reply (1.0-1.2)------------> MAIN (set-config sent)
 *   CONFIG --features reply, port-desc reply (1.3+)--> MAIN
 *   any --close, error, echo or socket timeout--> DEAD
 */
#include <errno.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "runtime/request.h"
#include "runtime/xalloc.h"
#include "controller/ctl.h"
#include "controller/ofp_event.h"
#include "controller/ofp_handler.h"
#include "controller/options.h"
#include "controller/role.h"
#include "ken/app.h"
#include "ken/log.h"
#include "ken/wire.h"

#define LOG_MOD "controller"

/* The versions ken speaks, as hello bitmap bits. */
#define OUR_VERSIONS \
    (1u << KEN_OFP10 | 1u << KEN_OFP12 | 1u << KEN_OFP13 | 1u << KEN_OFP14 | 1u << KEN_OFP15)


static uint64_t mono_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

static int phase_of(const struct dp *dp) { return atomic_load(&dp->pub.phase); }

static void set_phase(struct dp *dp, int phase)
{
    int old = phase_of(dp);
    if (old == phase)
        return;
    atomic_store(&dp->pub.phase, phase);
    /* Handlers of either phase hear it: of the new one as OS-Ken's
     * Datapath.set_state (a MAIN|DEAD handler sees the switch come up), of
     * the old one as the runtime's rule (a MAIN handler sees MAIN -> DEAD). */
    ev_emit(dp, ev_state_change_new(dp, old, phase), (uint32_t)(old | phase));
}

/* ---- sending from the I/O thread ---- */

struct reply {
    uint8_t type;
    int ofperr;
    const uint8_t *data;
    size_t len;
    uint16_t u16[2];
};

static int enc_echo(struct ken_buf *b, uint8_t version, uint32_t xid, const void *arg)
{
    const struct reply *r = arg;
    return ken_echo_encode(b, version, r->type, xid, r->data, r->len);
}

static int enc_error(struct ken_buf *b, uint8_t version, uint32_t xid, const void *arg)
{
    const struct reply *r = arg;
    ken_error_encode(b, version, xid, r->ofperr, r->data, r->len);
    return 0;
}

static int enc_simple(struct ken_buf *b, uint8_t version, uint32_t xid, const void *arg)
{
    ken_simple_encode(b, version, ((const struct reply *)arg)->type, xid);
    return 0;
}

static int enc_hello(struct ken_buf *b, uint8_t version, uint32_t xid, const void *arg)
{
    (void)version;
    uint32_t bitmap = *(const uint32_t *)arg;
    uint8_t highest = (uint8_t)(31 - __builtin_clz(bitmap));
    ken_hello_encode(b, highest, xid, bitmap);
    return 0;
}

static int enc_set_config(struct ken_buf *b, uint8_t version, uint32_t xid, const void *arg)
{
    const struct reply *r = arg;
    ken_set_config_encode(b, version, xid, r->u16[0], r->u16[1]);
    return 0;
}

static int enc_port_desc(struct ken_buf *b, uint8_t version, uint32_t xid, const void *arg)
{
    (void)arg;
    ken_port_desc_request_encode(b, version, xid);
    return 0;
}

/* HELLO_FAILED/INCOMPATIBLE is (0, 0) in every version: encoded once, in
 * the switch's header version (the only one it may understand). */
static int enc_hello_failed(struct ken_buf *b, uint8_t version, uint32_t xid, const void *arg)
{
    (void)version;
    static const char text[] = "no common OpenFlow version";
    size_t at = b->len;
    ken_error_encode(b, KEN_OFP10, xid, KEN_OFPHFC_INCOMPATIBLE, (const uint8_t *)text, sizeof text - 1);
    b->data[at] = *(const uint8_t *)arg;
    return 0;
}

/* A request of the controller's own: a fresh xid. */
static void send_via(struct dp *dp, ken_datapath_encoder enc, const void *arg)
{
    ken_datapath_send_encoded(&dp->pub, enc, arg, NULL);
}

/* Answers a bad message with an OFPT_ERROR carrying its start. */
static void reply_error(struct dp *dp, const uint8_t *msg, size_t len, int err, const char *why)
{
    dp_count(&dp->ctr.bad_msgs, 1);
    ken_log_rl(&dp->log_bad_msg, DP_LOG_INTERVAL_MS, KEN_LOG_INFO, LOG_MOD,
               "datapath %s: bad message (type %u, %zu bytes): %s: %s", dp->pub.address, msg[1], len,
               ken_err_name(err), why && *why ? why : "");
    if (msg[1] == 1)
        return; /* never answer an error with an error: two peers could loop */
    struct reply r = {.ofperr = ken_is_ofperr(err) ? err : KEN_OFPBRC_BAD_LEN, .data = msg, .len = len};
    dp_send_reply(dp, enc_error, &r, wire_get32(msg + 4));
}

/* ---- the phases ---- */

void ofp_conn_up(struct dp *dp)
{
    /* The union of the apps' versions: each switch's events then go to
     * the apps that speak its version (ev_emit). */
    uint32_t bitmap = OUR_VERSIONS & ken_runtime_ofp_versions();
    if (!bitmap)
        bitmap = OUR_VERSIONS; /* the apps speak none of ours: offer ours, fail on use */
    ev_emit(dp, ev_state_change_new(dp, KEN_PHASE_HANDSHAKE, KEN_PHASE_HANDSHAKE), KEN_PHASE_HANDSHAKE);
    ev_flush(dp->io);
    send_via(dp, enc_hello, &bitmap);
}

void ofp_conn_down(struct dp *dp)
{
    if (phase_of(dp) == KEN_PHASE_DEAD)
        return; /* given up on before the transport closed (ofp_give_up) */
    atomic_store(&dp->pub.is_active, false);
    if (phase_of(dp) == KEN_PHASE_MAIN)
        ken_cluster_dp_changed(&dp->pub, false);
    set_phase(dp, KEN_PHASE_DEAD);
    ev_flush(dp->io);
    ken_runtime_datapath_gone(&dp->pub);
    pending_close(&dp->requests, ENOTCONN);
}

void ofp_recv_done(struct dp *dp) { ev_flush(dp->io); }

static void echo_tick(struct loop_timer *t)
{
    struct dp *dp = (struct dp *)((char *)t - offsetof(struct dp, echo_timer));
    const struct ken_controller_options *o = &dp->ctl->opt;
    if (dp->unreplied_echoes > o->maximum_unreplied_echo_requests) {
        conn_close(&dp->conn, "echo timeout: too many unreplied echo requests");
        return;
    }
    struct reply r = {.type = dp->pub.ofproto->OFPT_ECHO_REQUEST};
    uint32_t xid;
    if (!ken_datapath_send_encoded(&dp->pub, enc_echo, &r, &xid)) {
        /* The round trip is timed from here: the I/O thread writes what
         * it queued in this same loop round. */
        dp->echo_waiting = true;
        dp->echo_xid = xid;
        dp->echo_sent_ns = mono_ns();
    }
    dp->unreplied_echoes++;
    loop_timer_start(&dp->io->loop, &dp->echo_timer, ken_seconds_to_ms(o->echo_request_interval));
}

/* Enters the next phase of the handshake, with what that sends. */
static void phase_enter(struct dp *dp, int phase)
{
    if (phase == KEN_PHASE_CONFIG) {
        set_phase(dp, KEN_PHASE_CONFIG);
        struct reply r = {.type = dp->pub.ofproto->OFPT_FEATURES_REQUEST};
        send_via(dp, enc_simple, &r);
        return;
    }
    const struct ken_controller_options *o = &dp->ctl->opt;
    struct reply r = {.u16 = {0, o->miss_send_len}};
    send_via(dp, enc_set_config, &r);
    conn_handshake_done(&dp->conn);
    set_phase(dp, KEN_PHASE_MAIN);
    ken_cluster_dp_changed(&dp->pub, true);
    if (o->maximum_unreplied_echo_requests) {
        dp->echo_timer.cb = echo_tick;
        loop_timer_start(&dp->io->loop, &dp->echo_timer, ken_seconds_to_ms(o->echo_request_interval));
    }
}

/* The message's event, or NULL when the message was bad (answered with
 * an error). */
static struct ken_ev_ofp *build_msg_event(struct dp *dp, const uint8_t *msg, size_t len)
{
    if (msg[1] == dp->pub.ofproto->OFPT_PACKET_IN) {
        /* ofp_recv sends packet-ins to emit_packet_in; one that comes this
         * way still gets the same event, from the same function. */
        int err;
        const char *why;
        struct ken_ev_ofp *e = ev_packet_in_new(dp, msg, len, &err, &why);
        if (!e)
            reply_error(dp, msg, len, err, why);
        return e;
    }
    const char *cls;
    ken_ev_class_t id = ev_ofp_class(dp->io, msg, len, &cls);
    /* Full validation through the codec's tables (no JSON built). */
    char why[KEN_WHY_LEN];
    int err = ken_ofp_validate(msg, len, why);
    if (err || !id) {
        reply_error(dp, msg, len, err ? err : KEN_OFPBRC_BAD_TYPE, why);
        return NULL;
    }
    return ev_ofp_new(dp, id, cls, msg, len, false);
}

/* Hands a message to the request waiting for its xid, if any (e NULL:
 * the message was bad). */
static void match_request(struct dp *dp, const uint8_t *msg, size_t len, struct ken_ev_ofp *e)
{
    const struct ken_ofproto *p = dp->pub.ofproto;
    enum pending_part part = PENDING_LAST;
    if (!e)
        part = PENDING_BAD;
    else if (msg[1] == p->OFPT_ERROR)
        part = PENDING_ERROR;
    else if (msg[1] == p->OFPT_MULTIPART_REPLY && len >= 12 && (wire_get16(msg + 10) & KEN_OFPMPF_REPLY_MORE))
        part = PENDING_MORE;
    pending_deliver(&dp->requests, wire_get32(msg + 4), e ? &e->base.ev : NULL, part);
}

/* Emits the message's event with the current phase, after giving it to a
 * request waiting for it. Returns the event (the caller may not touch it
 * after the batch is flushed), or NULL when the message was bad (answered
 * with an error). */
static struct ken_ev_ofp *emit_msg(struct dp *dp, const uint8_t *msg, size_t len)
{
    struct ken_ev_ofp *e = build_msg_event(dp, msg, len);
    /* The hot path's whole cost when no request is pending: one load. */
    if (pending_any(&dp->requests))
        match_request(dp, msg, len, e);
    if (e)
        ev_emit_msg(dp, e, (uint32_t)phase_of(dp));
    return e;
}

/* emit_msg for a packet-in (the hot path: no validation beyond its
 * decoder's). */
static void emit_packet_in(struct dp *dp, const uint8_t *msg, size_t len)
{
    int err;
    const char *why;
    struct ken_ev_ofp *e = ev_packet_in_new(dp, msg, len, &err, &why);
    if (!e)
        reply_error(dp, msg, len, err, why);
    if (pending_any(&dp->requests))
        match_request(dp, msg, len, e);
    if (e)
        ev_emit_msg(dp, e, (uint32_t)phase_of(dp));
}

/* Refuses a misbehaving switch: what is queued (its error) still goes
 * out while the transport lingers for the switch to close, but for the
 * apps the datapath is DEAD now, so none of them goes on using it. */
static void ofp_give_up(struct dp *dp)
{
    dp->gave_up = true; /* a connection error, whatever closes it later */
    conn_close_after_flush(&dp->conn);
    loop_timer_cancel(&dp->io->loop, &dp->echo_timer);
    ofp_conn_down(dp);
}

/* The actions of the transition table. Each returns true when the
 * message completes its phase (the table then enters the next one). */

/* "1.0, 1.3" for the bitmap bits of versions ken knows, other bits as
 * "0x07"; "none" when empty. */
static const char *versions_str(uint32_t bitmap, char *buf, size_t size)
{
    static const char *const names[] = {NULL, "1.0", "1.1", "1.2", "1.3", "1.4", "1.5"};
    size_t at = 0;
    buf[0] = 0;
    for (unsigned v = 0; v < 32; v++) {
        if (!(bitmap & (1u << v)))
            continue;
        int n = v < 7 && names[v] ? snprintf(buf + at, size - at, "%s%s", at ? ", " : "", names[v])
                                  : snprintf(buf + at, size - at, "%s0x%02x", at ? ", " : "", v);
        if (n < 0 || (size_t)n >= size - at)
            break;
        at += (size_t)n;
    }
    return at ? buf : "none";
}

/* What each side offered: at WARNING the first time for the switch's host
 * (the port changes on every reconnect), then a summary at WARNING once
 * per summary interval while the switch keeps retrying (every few seconds,
 * forever); each later attempt at DEBUG. */
static void log_mismatch(struct dp *dp, const uint8_t *msg, size_t len, uint32_t ours)
{
    uint32_t theirs = ken_hello_versions(msg, len);
    const char *address = dp->pub.address, *colon = strrchr(address, ':');
    int host_len = colon ? (int)(colon - address) : (int)strlen(address);
    char t[96], o[96], key[96], subject[128], detail[240];
    const char *their_str = versions_str(theirs & ~1u, t, sizeof t), *our_str = versions_str(ours, o, sizeof o);
    snprintf(key, sizeof key, "version mismatch %.*s", host_len, address);
    snprintf(subject, sizeof subject, "%.*s: no common OpenFlow version again", host_len, address);
    snprintf(detail, sizeof detail, " (the switch offers %s, ken speaks %s)", their_str, our_str);
    bool first = ken_log_repeat_key(key, KEN_LOG_WARNING, LOG_MOD, subject, detail);
    int level = first ? KEN_LOG_WARNING : KEN_LOG_DEBUG;
    if (!ken_log_enabled(level, LOG_MOD))
        return;
    char apps[160], by[192] = "";
    /* Which apps chose ken's versions: the one to change or add to. */
    if (ken_runtime_ofp_version_apps(apps, sizeof apps))
        snprintf(by, sizeof by, " (the versions of the apps %s)", apps);
    ken_log(level, LOG_MOD,
            "%.*s: no common OpenFlow version: the switch offers %s (hello version 0x%02x, bitmap 0x%08x), "
            "ken speaks %s%s (%s)",
            host_len, address, their_str, msg[0], theirs, our_str, by,
            first ? "logged once per address, then summarised" : "summarised at WARNING");
}

static bool on_hello(struct dp *dp, const uint8_t *msg, size_t len)
{
    uint32_t ours = OUR_VERSIONS & ken_runtime_ofp_versions();
    if (!ours)
        ours = OUR_VERSIONS;
    uint8_t v = ken_hello_negotiate(msg, len, ours);
    if (!v) {
        log_mismatch(dp, msg, len, ours);
        dp_send_reply(dp, enc_hello_failed, &msg[0], wire_get32(msg + 4));
        ofp_give_up(dp);
        return false;
    }
    dp->version = v;
    /* Apps may read them already (they saw HANDSHAKE): publish. */
    atomic_store_explicit(&dp->pub.ofproto, ken_ofproto_get(v), memory_order_release);
    atomic_store_explicit(&dp->pub.ofproto_parser, ken_ofproto_parser_get(v), memory_order_release);
    /* A newer switch's hello carries its own highest version, which the
     * codec may not know (the bitmap still found a common one): such a
     * hello has no event, and it is no error. */
    if (ken_ofp_version_supported(msg[0]))
        emit_msg(dp, msg, len);
    return true;
}

/* Decodes the ports a features reply (1.0-1.2) or port-desc reply holds
 * into the datapath's table: 0, the codec's error, or ENOSPC past
 * KEN_DATAPATH_MAX_PORTS. */
static int take_ports(struct dp *dp, const uint8_t *msg, size_t len)
{
    struct ken_port ports[64];
    size_t n;
    int err = ken_ports_decode(msg, len, ports, 64, &n);
    if (!err && n > 64) {
        struct ken_port *all = ken_xcalloc(n, sizeof *all);
        err = ken_ports_decode(msg, len, all, n, &n);
        if (!err)
            err = dp_ports_set(dp, all, n);
        free(all);
        return err;
    }
    if (!err)
        err = dp_ports_set(dp, ports, n);
    return err;
}

/* A switch reporting more than KEN_DATAPATH_MAX_PORTS ports is
 * misbehaving: one error, then the connection closes (so one log line). */
static void refuse_too_many_ports(struct dp *dp, const uint8_t *msg, size_t len)
{
    KEN_LOG_WARNING(LOG_MOD, "datapath %s: more than %d ports: closing the connection", dp->pub.address,
                    KEN_DATAPATH_MAX_PORTS);
    struct reply r = {.ofperr = KEN_OFPBRC_EPERM, .data = msg, .len = len};
    dp_send_reply(dp, enc_error, &r, wire_get32(msg + 4));
    ofp_give_up(dp);
}

static bool on_features(struct dp *dp, const uint8_t *msg, size_t len)
{
    struct ken_switch_features f;
    int err = ken_switch_features_decode(msg, len, &f);
    if (!err && dp->version <= KEN_OFP12)
        err = take_ports(dp, msg, len);
    if (err == ENOSPC) {
        refuse_too_many_ports(dp, msg, len);
        return false;
    }
    if (err) {
        reply_error(dp, msg, len, err, "features reply does not decode");
        return false;
    }
    dp->pub.id = f.datapath_id;
    dp->id_known = true;
    if (!dp->ctl->up.identified(dp)) { /* an older connection with this id goes */
        /* It goes on another I/O thread: this reply and what follows wait
         * for it (ofp_resume_held reads them again). */
        dp->held = true;
        ken_buf_put(&dp->held_msgs, msg, len);
        conn_pause_reads(&dp->conn, true);
        return false;
    }
    emit_msg(dp, msg, len);
    if (dp->version <= KEN_OFP12)
        return true; /* the ports came with the features */
    dp_ports_clear(dp);
    send_via(dp, enc_port_desc, NULL);
    return false;
}

static bool on_port_desc(struct dp *dp, const uint8_t *msg, size_t len)
{
    int err = take_ports(dp, msg, len);
    if (err == ENOSPC) {
        refuse_too_many_ports(dp, msg, len);
        return false;
    }
    if (err) {
        reply_error(dp, msg, len, err, "port-desc reply does not decode");
        return false;
    }
    emit_msg(dp, msg, len);
    return !(wire_get16(msg + 10) & KEN_OFPMPF_REPLY_MORE);
}

static bool on_port_status(struct dp *dp, const uint8_t *msg, size_t len)
{
    struct ken_port_status ps;
    int err = ken_port_status_decode(msg, len, &ps);
    if (err || ps.reason > KEN_OFPPR_MODIFY) {
        reply_error(dp, msg, len, err ? err : KEN_OFPBRC_BAD_LEN, "port-status does not decode");
        return false;
    }
    if (!emit_msg(dp, msg, len))
        return false;
    if (dp_port_update(dp, ps.reason, &ps.desc) == ENOSPC) {
        refuse_too_many_ports(dp, msg, len);
        return false;
    }
    ev_emit(dp, ev_port_state_change_new(dp, ps.reason, &ps.desc), (uint32_t)phase_of(dp));
    return false;
}

static bool on_echo_request(struct dp *dp, const uint8_t *msg, size_t len)
{
    struct reply r = {.type = dp->pub.ofproto->OFPT_ECHO_REPLY, .data = msg + 8, .len = len - 8};
    dp_send_reply(dp, enc_echo, &r, wire_get32(msg + 4));
    emit_msg(dp, msg, len);
    return false;
}

static bool on_echo_reply(struct dp *dp, const uint8_t *msg, size_t len)
{
    dp->unreplied_echoes = 0;
    /* Only the answer to our latest request: an app's own echo request
     * (another xid) is no measure of ours. */
    if (dp->echo_waiting && wire_get32(msg + 4) == dp->echo_xid) {
        uint64_t rtt = mono_ns() - dp->echo_sent_ns;
        dp->echo_waiting = false;
        __atomic_store_n(&dp->ctr.echo_rtt_last_ns, rtt, __ATOMIC_RELAXED);
        dp_count(&dp->ctr.echo_rtt_sum_ns, rtt);
        dp_count(&dp->ctr.echo_rtt_count, 1);
    }
    emit_msg(dp, msg, len);
    return false;
}

static bool on_error(struct dp *dp, const uint8_t *msg, size_t len)
{
    struct ken_error_msg e;
    if (!ken_error_decode(msg, len, &e))
        ken_log_rl(&dp->log_switch_error, DP_LOG_INTERVAL_MS, KEN_LOG_DEBUG, LOG_MOD,
                   "datapath %s: error from the switch: type %u code %u (xid 0x%x)", dp->pub.address, e.type,
                   e.code, wire_get32(msg + 4));
    dp_role_on_msg(dp, msg, len);
    emit_msg(dp, msg, len);
    return false;
}

/* Any other message: its event, for the apps. */
static bool on_message(struct dp *dp, const uint8_t *msg, size_t len)
{
    dp_role_on_msg(dp, msg, len);
    emit_msg(dp, msg, len);
    return false;
}

/* Before hello, nothing else is understood (no version yet). */
static bool on_before_hello(struct dp *dp, const uint8_t *msg, size_t len)
{
    (void)len;
    ken_log_rl(&dp->log_ignored, DP_LOG_INTERVAL_MS, KEN_LOG_DEBUG, LOG_MOD,
               "datapath %s: message type %u before hello ignored", dp->pub.address, msg[1]);
    return false;
}

/* ---- the transition table ---- */

enum msg_kind {
    MSG_HELLO,
    MSG_ECHO_REQUEST,
    MSG_ECHO_REPLY,
    MSG_FEATURES_REPLY,
    MSG_PORT_DESC_REPLY,
    MSG_PORT_STATUS,
    MSG_ERROR,
    MSG_OTHER,
    MSG_KINDS
};

/* What the handshake needs to tell messages apart (the version is the
 * negotiated one once past HANDSHAKE). */
static enum msg_kind msg_kind_of(const struct dp *dp, const uint8_t *msg, size_t len)
{
    if (msg[1] == 0) /* OFPT_HELLO in every version */
        return MSG_HELLO;
    if (phase_of(dp) == KEN_PHASE_HANDSHAKE)
        return MSG_OTHER; /* no version to read the type in yet */
    const struct ken_ofproto *p = dp->pub.ofproto;
    uint8_t type = msg[1];
    if (type == p->OFPT_ECHO_REQUEST)
        return MSG_ECHO_REQUEST;
    if (type == p->OFPT_ECHO_REPLY)
        return MSG_ECHO_REPLY;
    if (type == p->OFPT_FEATURES_REPLY)
        return MSG_FEATURES_REPLY;
    if (dp->version >= KEN_OFP13 && type == p->OFPT_MULTIPART_REPLY && len >= 16 &&
        wire_get16(msg + 8) == p->OFPMP_PORT_DESC)
        return MSG_PORT_DESC_REPLY;
    if (type == p->OFPT_PORT_STATUS)
        return MSG_PORT_STATUS;
    if (type == p->OFPT_ERROR)
        return MSG_ERROR;
    return MSG_OTHER;
}

struct transition {
    bool (*action)(struct dp *dp, const uint8_t *msg, size_t len);
    int next;  /* entered when the action says its phase is complete */
};

/* Every (phase, message kind) pair, in one place. In MAIN, a features or
 * port-desc reply answers an app's request: it is an event like any
 * other. A second hello is passed on as an event too (OS-Ken does). */
/* Rows are indexed by the phase's value (a bit): the rows between hold
 * nothing, and DEAD reads no message. */
static const struct transition transitions[KEN_PHASE_MAIN + 1][MSG_KINDS] = {
    [KEN_PHASE_HANDSHAKE] = {
        [MSG_HELLO] = {on_hello, KEN_PHASE_CONFIG},
        [MSG_ECHO_REQUEST] = {on_before_hello, 0},
        [MSG_ECHO_REPLY] = {on_before_hello, 0},
        [MSG_FEATURES_REPLY] = {on_before_hello, 0},
        [MSG_PORT_DESC_REPLY] = {on_before_hello, 0},
        [MSG_PORT_STATUS] = {on_before_hello, 0},
        [MSG_ERROR] = {on_before_hello, 0},
        [MSG_OTHER] = {on_before_hello, 0},
    },
    [KEN_PHASE_CONFIG] = {
        [MSG_HELLO] = {on_message, 0},
        [MSG_ECHO_REQUEST] = {on_echo_request, 0},
        [MSG_ECHO_REPLY] = {on_echo_reply, 0},
        [MSG_FEATURES_REPLY] = {on_features, KEN_PHASE_MAIN},
        [MSG_PORT_DESC_REPLY] = {on_port_desc, KEN_PHASE_MAIN},
        [MSG_PORT_STATUS] = {on_port_status, 0},
        [MSG_ERROR] = {on_error, 0},
        [MSG_OTHER] = {on_message, 0},
    },
    [KEN_PHASE_MAIN] = {
        [MSG_HELLO] = {on_message, 0},
        [MSG_ECHO_REQUEST] = {on_echo_request, 0},
        [MSG_ECHO_REPLY] = {on_echo_reply, 0},
        [MSG_FEATURES_REPLY] = {on_message, 0},
        [MSG_PORT_DESC_REPLY] = {on_message, 0},
        [MSG_PORT_STATUS] = {on_port_status, 0},
        [MSG_ERROR] = {on_error, 0},
        [MSG_OTHER] = {on_message, 0},
    },
};

void ofp_recv(struct dp *dp, const uint8_t *msg, size_t len)
{
    if (__builtin_expect(dp->held, 0)) {
        ken_buf_put(&dp->held_msgs, msg, len);
        return;
    }
    dp_count_msg(dp->ctr.rx, msg[1], len);
    if (dp->conn.lingering)
        return; /* closing after an error: the rest is not read */
    int phase = phase_of(dp);
    bool dead = phase < KEN_PHASE_HANDSHAKE || phase > KEN_PHASE_MAIN;
    if (phase != KEN_PHASE_HANDSHAKE) {
        if (msg[0] != dp->version) {
            reply_error(dp, msg, len, KEN_OFPBRC_BAD_VERSION, "not the negotiated version");
            return;
        }
        /* Most of what a switch sends: a packet-in is the switch's own
         * without asking (no direction check), MSG_OTHER in every phase
         * that reads it (on_message) and no role reply (dp_role_on_msg),
         * so it goes straight to its event. */
        if (msg[1] == dp->pub.ofproto->OFPT_PACKET_IN) {
            if (!dead)
                emit_packet_in(dp, msg, len);
            return;
        }
        /* The one place a message's direction is checked (the codec's
         * message table knows who sends each type). */
        int wrong_direction = ken_ofp_check_sender(msg, len, true);
        if (wrong_direction) {
            reply_error(dp, msg, len, wrong_direction, "a controller-to-switch message from the switch");
            return;
        }
    }
    if (dead)
        return; /* DEAD: nothing more is read */
    const struct transition *t = &transitions[phase][msg_kind_of(dp, msg, len)];
    if (t->action(dp, msg, len) && !dp->conn.closed && !dp->conn.lingering)
        phase_enter(dp, t->next);
}

void ofp_resume_held(struct dp *dp)
{
    if (!dp->held)
        return;
    dp->held = false;
    struct ken_buf held = dp->held_msgs; /* a message read again may hold dp anew */
    dp->held_msgs = (struct ken_buf)KEN_BUF_INIT;
    if (!dp->conn.closed) {
        conn_pause_reads(&dp->conn, dp->bp_paused);
        for (size_t at = 0; at + 8 <= held.len && !dp->conn.closed;) {
            size_t n = wire_get16(held.data + at + 2); /* framed by the transport: >= 8, whole */
            ofp_recv(dp, held.data + at, n);
            at += n;
        }
        ofp_recv_done(dp);
        if (dp->conn.tls && !dp->conn.closed && !dp->held)
            conn_read_tls_pending(&dp->conn);
    }
    ken_buf_free(&held);
}
