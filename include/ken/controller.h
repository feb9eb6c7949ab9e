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
     * a certificate that this CA signed), ciphers (OpenSSL list). */
    const char *ctl_privkey;
    const char *ctl_cert;
    const char *ca_certs;
    const char *ciphers;
    /* ofp_switch_address_list: switches to connect to, each "tcp:HOST:PORT",
     * "ssl:HOST:PORT" or OS-Ken's "HOST:PORT" / "[V6]:PORT". */
    const char *const *switch_addresses;
    size_t n_switch_addresses;
    double connect_interval;     /* ofp_switch_connect_interval, seconds (1) */
    double echo_request_interval;        /* seconds (15) */
    unsigned maximum_unreplied_echo_requests; /* 0 disables echo requests (0) */
    double socket_timeout;       /* seconds a write may stall (5.0) */
    double handshake_timeout;    /* seconds from connect to MAIN (30) */
    size_t max_outbound_bytes;   /* per connection; over it, close (16 MiB) */
    uint16_t miss_send_len;      /* sent in SET_CONFIG (128, the spec default) */
};

/* Fills the defaults above. */
void ken_controller_options_init(struct ken_controller_options *o);

struct ken_controller;

/* Starts the I/O thread: listeners bound and active connections started
 * before it returns. Event classes must be registered first (the runtime
 * does it at start-up; see ken_ofp_event_register). Returns NULL with a
 * one-line reason in why. Options are copied. */
struct ken_controller *ken_controller_start(const struct ken_controller_options *o, char why[KEN_CONTROLLER_WHY_LEN]);
/* Closes every connection (each datapath goes DEAD, with its event), stops
 * the I/O thread and frees the controller. */
void ken_controller_stop(struct ken_controller *c);

/* The port a listener is bound to (useful with port 0), or -1. */
int ken_controller_tcp_port(const struct ken_controller *c);
int ken_controller_ssl_port(const struct ken_controller *c);
/* Live connections (any phase). */
size_t ken_controller_n_connections(struct ken_controller *c);

#endif
