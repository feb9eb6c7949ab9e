/* The OpenFlow controller: listens for switches (TCP and TLS), connects out
 * to switches in active mode, runs the handshake, echo and timeouts on its
 * I/O thread, and turns every message received into an EventOFP<Name>
 * event for the apps (see ken/ofp_event.h). ken-manager fills the options
 * from its command line; the names and defaults are OS-Ken's. */
#ifndef KEN_CONTROLLER_H
#define KEN_CONTROLLER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define KEN_OFP_TCP_PORT 6653
#define KEN_OFP_TCP_PORT_OLD 6633
#define KEN_PORT_UNSET (-1)
#define KEN_CONTROLLER_WHY_LEN 256

struct ken_controller_options {
    /* ofp_listen_host: the address to listen on; NULL listens on every
     * address, IPv6 and IPv4 ("::" dual-stack, or 0.0.0.0 without IPv6). */
    const char *listen_host;
    /* ofp_tcp_listen_port / ofp_ssl_listen_port; 0 picks a free port (read
     * it back with ken_controller_tcp_port). When neither is set, ken listens
     * on 6653 and 6633 as OS-Ken: with TLS if ctl_privkey and ctl_cert are
     * given, else plain TCP. */
    int tcp_port;
    int ssl_port;
    bool listen;                 /* false: active mode only (default true) */
    /* TLS: ctl_privkey, ctl_cert, ca_certs (when set, switches must present
     * a certificate that this CA signed), ciphers (OpenSSL list). TLS
     * without ca_certs verifies no switch: ken_controller_start logs a
     * WARNING for the TLS listener and each ssl: switch address then. */
    const char *ctl_privkey;
    const char *ctl_cert;
    const char *ca_certs;
    const char *ciphers;
    /* ofp_switch_address_list: switches to connect to, each "tcp:HOST:PORT",
     * "ssl:HOST:PORT" or OS-Ken's "HOST:PORT" / "[V6]:PORT". HOST is an
     * address or a name, resolved once at start as listen_host is (the
     * first address getaddrinfo gives). */
    const char *const *switch_addresses;
    size_t n_switch_addresses;
    /* Times are in seconds, each from 0.01 to 86400 (one day). */
    double connect_interval;     /* ofp_switch_connect_interval (1) */
    double echo_request_interval;        /* (15) */
    /* Close a switch after this many echo requests go unanswered, 0 to
     * 1000; 0 sends none. The default is 3, not OS-Ken's 0, on purpose: a
     * switch that dies or stalls without closing its connection (mid-
     * message, or trickling bytes) is closed after about a minute instead
     * of being kept forever. */
    unsigned maximum_unreplied_echo_requests;
    double socket_timeout;       /* a write may stall this long (5) */
    double handshake_timeout;    /* from connect to MAIN (30) */
    /* Per connection; over it, close. 64 KiB to 64 GiB (16 MiB). */
    size_t max_outbound_bytes;
    uint16_t miss_send_len;      /* sent in SET_CONFIG (128, the spec default) */
    /* I/O threads, each with its own loop, read buffer and share of the
     * switches (a switch stays on one, so its messages keep their order):
     * 1 to 64, or 0 (the default) for half the CPUs the process may run
     * on, at least one. Active-mode connections all go to the first. */
    unsigned io_threads;
};

/* Fills the defaults above. */
void ken_controller_options_init(struct ken_controller_options *o);
/* Checks every value against its range (the ports: KEN_PORT_UNSET or 0 to
 * 65535). Returns 0, or EINVAL with a one-line reason in why, such as
 * "echo_request_interval: 0 is not a number of seconds from 0.01 to
 * 86400". ken_controller_start calls it and refuses bad options. */
int ken_controller_options_validate(const struct ken_controller_options *o, char why[KEN_CONTROLLER_WHY_LEN]);

struct ken_controller;

/* Starts the I/O thread: listeners bound and active connections started
 * before it returns. SIGPIPE is set to be ignored if the program left it
 * at its default (a TLS write to a switch that went away raises it). Event classes must be registered first (the runtime
 * does it at start-up; see ken_ofp_event_register). Returns NULL with a
 * one-line reason in why (bad options included: see
 * ken_controller_options_validate). Options are copied. */
struct ken_controller *ken_controller_start(const struct ken_controller_options *o, char why[KEN_CONTROLLER_WHY_LEN]);
/* How many I/O threads it runs (io_threads, or the number chosen for 0). */
unsigned ken_controller_io_threads(const struct ken_controller *c);
/* Closes every connection (each datapath goes DEAD, with its event) and
 * the listening sockets, and stops the I/O thread. The rest of the
 * controller is freed when the last datapath reference goes (an app may
 * still hold one in an event it has not handled): sends on such a
 * datapath fail, and nothing touches freed memory. */
void ken_controller_stop(struct ken_controller *c);

/* The port a listener is bound to (useful with port 0), or -1. */
int ken_controller_tcp_port(const struct ken_controller *c);
int ken_controller_ssl_port(const struct ken_controller *c);
/* Live connections (any phase). */
size_t ken_controller_n_connections(struct ken_controller *c);

/* Process-wide counts over every controller started, for monitoring (any
 * thread). A connection error is a connection the controller closed or
 * gave up on because something went wrong (a read or write error, a
 * framing error, an echo, handshake or socket timeout, a full outbound
 * queue, a failed TLS handshake, no common version, too many ports); a
 * switch closing, an app closing, a newer connection with the same
 * datapath id and the controller stopping are no errors. */
struct ken_controller_counters {
    uint64_t connections;        /* connections opened (accepted or connected) */
    uint64_t connection_errors;
};
void ken_controller_get_counters(struct ken_controller_counters *out);

#endif
