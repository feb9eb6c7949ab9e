/* The controller's options: defaults, ranges, strict number parsing, the
 * seconds-to-milliseconds conversion, and the warnings about TLS set up
 * without certificate checks. */
#include <errno.h>
#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "controller/options.h"
#include "ken/log.h"

#define LOG_MOD "controller"

void ken_controller_options_init(struct ken_controller_options *o)
{
    *o = (struct ken_controller_options){
        .tcp_port = KEN_PORT_UNSET,
        .ssl_port = KEN_PORT_UNSET,
        .listen = true,
        .connect_interval = 1.0,
        .echo_request_interval = 15.0,
        /* Not OS-Ken's 0: a switch that dies or stalls without closing
         * its connection must not hold it forever. */
        .maximum_unreplied_echo_requests = 3,
        .socket_timeout = 5.0,
        .handshake_timeout = 30.0,
        .max_outbound_bytes = 16u << 20,
        .miss_send_len = 128,
    };
}

/* Below 10 ms a timer costs more than it checks (an echo interval of
 * 0.0001 s floods a switch); above a day it is a mistake, not a setting. */
#define SECONDS_MIN 0.01
#define SECONDS_MAX 86400.0

#define F(field) offsetof(struct ken_controller_options, field)

static const struct ken_option_range ranges[] = {
    {"ofp_tcp_listen_port", KEN_OPTION_PORT, 0, 65535, F(tcp_port)},
    {"ofp_ssl_listen_port", KEN_OPTION_PORT, 0, 65535, F(ssl_port)},
    {"ofp_switch_connect_interval", KEN_OPTION_SECONDS, SECONDS_MIN, SECONDS_MAX, F(connect_interval)},
    {"echo_request_interval", KEN_OPTION_SECONDS, SECONDS_MIN, SECONDS_MAX, F(echo_request_interval)},
    {"maximum_unreplied_echo_requests", KEN_OPTION_COUNT, 0, 1000, F(maximum_unreplied_echo_requests)},
    {"io_threads", KEN_OPTION_COUNT, 0, 64, F(io_threads)},
    {"socket_timeout", KEN_OPTION_SECONDS, SECONDS_MIN, SECONDS_MAX, F(socket_timeout)},
    {"handshake_timeout", KEN_OPTION_SECONDS, SECONDS_MIN, SECONDS_MAX, F(handshake_timeout)},
    /* At least one whole OpenFlow message (64 KiB) must fit. */
    {"max_outbound_bytes", KEN_OPTION_BYTES, 65536, (double)(1ull << 36), F(max_outbound_bytes)},
    {"default_log_level", KEN_OPTION_LOG_LEVEL, 10, 50, -1},
    /* ken-manager's summaries of repeated log records (ken/log.h). */
    {"log_summary_interval", KEN_OPTION_SECONDS, SECONDS_MIN, SECONDS_MAX, -1},
    /* ken-manager's REST server (ken/wsapi.h), not the controller's. */
    {"wsapi_port", KEN_OPTION_PORT, 0, 65535, -1},
    {"wsapi_timeout", KEN_OPTION_SECONDS, 0.01, 3600, -1},
    {"wsapi_max_body", KEN_OPTION_BYTES, 1, (double)(1ull << 30), -1},
    /* ken-manager's cluster (ken/cluster.h): etcd leases are whole seconds. */
    {"cluster_lease_ttl", KEN_OPTION_COUNT, 1, 3600, -1},
};

#define N_RANGES (sizeof ranges / sizeof ranges[0])

const struct ken_option_range *ken_option_range_find(const char *name)
{
    for (size_t i = 0; i < N_RANGES; i++) {
        const char *a = ranges[i].name, *b = name;
        while (*a && (*a == *b || (*a == '_' && *b == '-')))
            a++, b++;
        if (!*a && !*b)
            return &ranges[i];
    }
    return NULL;
}

void ken_option_describe(const struct ken_option_range *r, char *out, size_t n)
{
    switch (r->kind) {
    case KEN_OPTION_SECONDS:
        snprintf(out, n, "a number of seconds from %.15g to %.15g", r->min, r->max);
        return;
    case KEN_OPTION_PORT:
        snprintf(out, n, "a port number (%.15g to %.15g)", r->min, r->max);
        return;
    case KEN_OPTION_COUNT:
        snprintf(out, n, "a whole number from %.15g to %.15g", r->min, r->max);
        return;
    case KEN_OPTION_BYTES:
        snprintf(out, n, "a number of bytes from %.15g to %.15g", r->min, r->max);
        return;
    case KEN_OPTION_LOG_LEVEL:
        snprintf(out, n, "a log level (%.15g to %.15g, or debug, info, warning, error, critical)", r->min, r->max);
        return;
    }
    snprintf(out, n, "a number");
}

int ken_parse_integer(const char *text, long long min, long long max, long long *value)
{
    const char *p = text;
    bool negative = *p == '-';
    p += negative;
    if (*p < '0' || *p > '9' || (*p == '0' && (p[1] || negative)))
        return EINVAL; /* empty, a sign alone, "-0", or a leading zero */
    /* Accumulated as a magnitude capped past any range, so no overflow. */
    unsigned long long magnitude = 0;
    const unsigned long long cap = 1ull << 62;
    for (; *p >= '0' && *p <= '9'; p++)
        if (magnitude < cap)
            magnitude = magnitude * 10 + (unsigned long long)(*p - '0');
    if (*p)
        return EINVAL;
    if (magnitude >= cap)
        return ERANGE;
    long long v = negative ? -(long long)magnitude : (long long)magnitude;
    if (v < min || v > max)
        return ERANGE;
    *value = v;
    return 0;
}

/* Plain decimal notation: [-]digits[.digits][e[+-]digits], or .digits;
 * strtod alone would also take white space, hex, "inf" and "nan". */
static bool is_decimal(const char *p)
{
    p += *p == '-';
    size_t whole = strspn(p, "0123456789");
    p += whole;
    size_t fraction = 0;
    if (*p == '.') {
        fraction = strspn(p + 1, "0123456789");
        p += 1 + fraction;
    }
    if (!whole && !fraction)
        return false;
    if (*p == 'e' || *p == 'E') {
        p++;
        p += *p == '+' || *p == '-';
        size_t exponent = strspn(p, "0123456789");
        if (!exponent)
            return false;
        p += exponent;
    }
    return !*p;
}

int ken_option_parse(const struct ken_option_range *r, const char *text, double *value)
{
    if (r->kind != KEN_OPTION_SECONDS) {
        long long v;
        int err = ken_parse_integer(text, (long long)r->min, (long long)r->max, &v);
        if (!err)
            *value = (double)v;
        return err;
    }
    if (!is_decimal(text))
        return EINVAL;
    double v = strtod(text, NULL);
    if (!(v >= r->min && v <= r->max)) /* also false for NaN */
        return ERANGE;
    *value = v;
    return 0;
}

uint64_t ken_seconds_to_ms(double seconds)
{
    if (!(seconds > 0)) /* NaN, zero, negative */
        return 0;
    double ms = seconds * 1000.0 + 0.5;
    /* Compared as doubles: converting a value past the integer's range to
     * it is undefined behaviour. */
    if (ms >= (double)KEN_MS_MAX)
        return KEN_MS_MAX;
    return (uint64_t)ms;
}

/* The value of r's field in o, as a double. */
static double field_value(const struct ken_controller_options *o, const struct ken_option_range *r)
{
    const char *p = (const char *)o + r->field;
    switch (r->kind) {
    case KEN_OPTION_SECONDS:
        return *(const double *)p;
    case KEN_OPTION_PORT:
        return *(const int *)p;
    case KEN_OPTION_COUNT:
        return *(const unsigned *)p;
    case KEN_OPTION_BYTES:
        return (double)*(const size_t *)p;
    case KEN_OPTION_LOG_LEVEL:
        break;
    }
    return NAN;
}

int ken_controller_options_validate(const struct ken_controller_options *o, char why[KEN_CONTROLLER_WHY_LEN])
{
    for (size_t i = 0; i < N_RANGES; i++) {
        const struct ken_option_range *r = &ranges[i];
        if (r->field < 0)
            continue;
        double v = field_value(o, r);
        if (r->kind == KEN_OPTION_PORT && v == KEN_PORT_UNSET)
            continue;
        if (v >= r->min && v <= r->max)
            continue;
        char what[128];
        ken_option_describe(r, what, sizeof what);
        snprintf(why, KEN_CONTROLLER_WHY_LEN, "%s: %.15g is not %s", r->name, v, what);
        return EINVAL;
    }
    if (o->n_switch_addresses && !o->switch_addresses) {
        snprintf(why, KEN_CONTROLLER_WHY_LEN, "switch_addresses: NULL with n_switch_addresses %zu",
                 o->n_switch_addresses);
        return EINVAL;
    }
    for (size_t i = 0; i < o->n_switch_addresses; i++) {
        if (!o->switch_addresses[i]) {
            snprintf(why, KEN_CONTROLLER_WHY_LEN, "switch_addresses[%zu] is NULL", i);
            return EINVAL;
        }
    }
    return 0;
}

void ken_controller_options_warn(const struct ken_controller_options *o)
{
    if (o->ca_certs)
        return;
    bool both_ports_unset = o->tcp_port == KEN_PORT_UNSET && o->ssl_port == KEN_PORT_UNSET;
    bool tls_listener = o->listen && o->ctl_privkey && o->ctl_cert && (o->ssl_port != KEN_PORT_UNSET || both_ports_unset);
    if (tls_listener)
        KEN_LOG_WARNING(LOG_MOD, "TLS listener without ca_certs (--ca-certs): switches are not asked for a "
                                 "certificate, so any host that reaches the port is taken for a switch");
    for (size_t i = 0; i < o->n_switch_addresses; i++)
        if (o->switch_addresses[i] && !strncmp(o->switch_addresses[i], "ssl:", 4))
            KEN_LOG_WARNING(LOG_MOD, "switch %s without ca_certs (--ca-certs): its certificate is not "
                                     "verified, so anyone on the path can pose as the switch",
                            o->switch_addresses[i]);
}
