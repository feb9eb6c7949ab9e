/* ken-manager: runs apps and the OpenFlow controller, as osken-manager.
 *
 * One table of options drives the command line, the config file and the
 * option list of --help; numbers are checked against the controller's
 * table of ranges (src/controller/options.c), which ken_controller_start
 * applies too. Values come from the defaults (the library's), then each
 * config file in order, then the command line (which wins). */
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <pthread.h>
#include <signal.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "controller/options.h"
#include "ken/app.h"
#include "ken/cluster.h"
#include "ken/controller.h"
#include "ken/log.h"
#include "ken/ofp_event.h"
#include "ken/topology.h"
#include "ken/wsapi.h"

#ifndef KEN_VERSION
#define KEN_VERSION "0.1.0"
#endif

#define PROG "ken-manager"
#define LOG_MOD "manager"

/* Exit codes: 0 clean stop, 1 a failure at run time (the controller does
 * not start: port in use, ...; log or pid file not writable), 2 a usage or
 * configuration error found before anything starts. */
enum { EXIT_RUNTIME = 1, EXIT_USAGE = 2 };

/* ---- settings ---- */

struct strv {
    const char **v;
    size_t n;
};

struct settings {
    /* The controller's options, but for the switch addresses (set from
     * ofp_switch_address_list when the controller starts). */
    struct ken_controller_options ctl;
    struct strv ofp_switch_address_list;
    struct strv app_lists;
    struct strv log_levels;   /* "module=level", checked, in order */
    bool inline_handlers;
    bool verbose;
    bool trace_events;
    int default_log_level;  /* -1: not set */
    const char *log_file;
    bool use_syslog;
    double log_summary_interval;
    const char *pid_file;
    /* The REST server (run when a loaded app has routes). */
    const char *wsapi_host;
    int wsapi_port;
    const char *wsapi_auth_token_file;
    const char *wsapi_cert;
    const char *wsapi_key;
    double wsapi_timeout;
    size_t wsapi_max_body;
    /* Topology discovery (the switches app, ken/topology.h). */
    struct ken_topology_options topo;
    /* The cluster (ken/cluster.h): on when cluster_etcd is set. */
    const char *cluster_etcd;
    const char *cluster_name;
    const char *cluster_node_id;
    unsigned cluster_lease_ttl;
    /* Not options: the APP arguments, the config files, and the strings
     * that values from files (and app names) point into. */
    struct strv apps;
    struct strv config_files;
    struct strv owned;
};

static void settings_init(struct settings *s)
{
    *s = (struct settings){
        .default_log_level = -1,
        .log_summary_interval = 60,
        .inline_handlers = true,
        .wsapi_host = "0.0.0.0",     /* Ryu's defaults */
        .wsapi_port = 8080,
        .wsapi_timeout = 10,
        .wsapi_max_body = 1 << 20,
        .cluster_lease_ttl = 1,
    };
    ken_controller_options_init(&s->ctl); /* the library's defaults are ken-manager's */
    ken_topology_options_init(&s->topo);  /* Ryu's */
}

static void settings_free(struct settings *s)
{
    for (size_t i = 0; i < s->owned.n; i++)
        free((char *)s->owned.v[i]);
    free(s->owned.v);
    free(s->ofp_switch_address_list.v);
    free(s->app_lists.v);
    free(s->log_levels.v);
    free(s->apps.v);
    free(s->config_files.v);
}

static bool strv_push(struct strv *sv, const char *str)
{
    const char **v = realloc(sv->v, (sv->n + 1) * sizeof *v);
    if (!v)
        return false;
    v[sv->n++] = str;
    sv->v = v;
    return true;
}

/* Takes over a malloc'ed string: it lives as long as the settings. */
static char *settings_own(struct settings *s, char *str)
{
    if (str && !strv_push(&s->owned, str)) {
        free(str);
        return NULL;
    }
    return str;
}

/* ---- the options ---- */

enum opt_kind {
    OPT_GROUP,    /* not an option: a heading in --help */
    OPT_STRING,
    OPT_NUMBER,   /* its type and range: ken_option_range_find(name) */
    OPT_BOOL,     /* a flag; --noNAME turns it off, as in oslo.config */
    OPT_LIST,     /* comma-separated; replaces the previous value */
    OPT_LOG_LEVELS, /* MODULE=LEVEL, comma-separated; adds to the previous value */
};

struct opt {
    const char *name;  /* --name on the command line; name_with_underscores in a file */
    enum opt_kind kind;
    size_t off;        /* of the value in struct settings */
    const char *arg;   /* the value's name in --help; NULL for a flag */
    const char *help;  /* may hold '\n' */
};

#define S(field) offsetof(struct settings, field)

static const struct opt opts[] = {
    {NULL, OPT_GROUP, 0, NULL, "OpenFlow listener:"},
    {"ofp-listen-host", OPT_STRING, S(ctl.listen_host), "HOST",
     "address or host name to listen on (default:\nevery IPv6 and IPv4 address)"},
    {"ofp-tcp-listen-port", OPT_NUMBER, S(ctl.tcp_port), "PORT",
     "TCP port for switches, 0 to 65535; 0 picks\n"
     "a free one (default: 6653, and 6633 too,\nwhen neither port option is given)"},
    {"ofp-ssl-listen-port", OPT_NUMBER, S(ctl.ssl_port), "PORT",
     "TLS port for switches, 0 to 65535 (default:\n"
     "6653 and 6633 when --ctl-privkey and\n"
     "--ctl-cert are given and neither port option\nis)"},
    {NULL, OPT_GROUP, 0, NULL, "TLS:"},
    {"ctl-privkey", OPT_STRING, S(ctl.ctl_privkey), "FILE", "the controller's private key (PEM)"},
    {"ctl-cert", OPT_STRING, S(ctl.ctl_cert), "FILE", "the controller's certificate (PEM)"},
    {"ca-certs", OPT_STRING, S(ctl.ca_certs), "FILE",
     "CA certificates (PEM); when given, a switch\nmust present a certificate one of them signed;\n"
     "without it TLS verifies no switch, and a\nWARNING says so at start"},
    {"ciphers", OPT_STRING, S(ctl.ciphers), "LIST", "OpenSSL cipher list (default: OpenSSL's)"},
    {NULL, OPT_GROUP, 0, NULL, "Active mode (the controller connects to the switches):"},
    {"ofp-switch-address-list", OPT_LIST, S(ofp_switch_address_list), "ADDRS",
     "switches to connect to, comma-separated:\n"
     "HOST:PORT, [IPV6]:PORT, tcp:HOST:PORT or\n"
     "ssl:HOST:PORT; HOST is an address or a name\n(default: none)"},
    {"ofp-switch-connect-interval", OPT_NUMBER, S(ctl.connect_interval), "SECONDS",
     "wait between attempts to connect to a\nswitch"},
    {NULL, OPT_GROUP, 0, NULL, "Switch liveness:"},
    {"echo-request-interval", OPT_NUMBER, S(ctl.echo_request_interval), "SECONDS",
     "time between echo requests to a switch"},
    {"maximum-unreplied-echo-requests", OPT_NUMBER, S(ctl.maximum_unreplied_echo_requests), "N",
     "disconnect a switch after N unanswered echo\n"
     "requests; 0 sends none. ken's default, 3,\n"
     "differs from OS-Ken's 0 on purpose: a dead\n"
     "or stalled switch goes after about a minute"},
    {"socket-timeout", OPT_NUMBER, S(ctl.socket_timeout), "SECONDS",
     "disconnect a switch that stops reading for\nthis long"},
    {NULL, OPT_GROUP, 0, NULL, "Performance:"},
    {"io-threads", OPT_NUMBER, S(ctl.io_threads), "N",
     "I/O threads that read and write the switches\n"
     "(1 to 64; 0, the default, takes half the CPUs\n"
     "ken-manager may run on, at least one); each\n"
     "switch stays on one, so its messages keep\n"
     "their order"},
    {NULL, OPT_GROUP, 0, NULL, "Apps:"},
    {"app-lists", OPT_LIST, S(app_lists), "APPS",
     "apps to run, comma-separated (loaded before\nthe APP arguments)"},
    {"inline-handlers", OPT_BOOL, S(inline_handlers), NULL,
     "run the handlers of apps that declare them\n"
     "non-blocking on the thread that receives the\n"
     "event when the app is idle, saving a thread\n"
     "hand-off (default: on; --noinline-handlers\n"
     "keeps every handler on its app's thread)"},
    {NULL, OPT_GROUP, 0, NULL, "Topology discovery (the switches app):"},
    /* Ryu's help texts; --observe-links also loads the switches app. */
    {"observe-links", OPT_BOOL, S(topo.observe_links), NULL, "observe link discovery events."},
    {"install-lldp-flow", OPT_BOOL, S(topo.install_lldp_flow), NULL,
     "link discovery: explicitly install flow entry\nto send lldp packet to controller (default: on)"},
    {"explicit-drop", OPT_BOOL, S(topo.explicit_drop), NULL,
     "link discovery: explicitly drop lldp packet in\n(default: on)"},
    {NULL, OPT_GROUP, 0, NULL, "Logging (to standard error unless told otherwise):"},
    {"verbose", OPT_BOOL, S(verbose), NULL, "log debug messages too (and --trace-events)"},
    {"trace-events", OPT_BOOL, S(trace_events), NULL,
     "log each event handed to an app, as\n"
     "\"EVENT ofp_event->simple_switch_13\n"
     "EventOFPPacketIn\" (module events at debug:\n"
     "the same as --log-level events=debug)"},
    {"default-log-level", OPT_NUMBER, S(default_log_level), "LEVEL",
     "lowest level logged: 10 debug, 20 info,\n"
     "30 warning, 40 error, 50 critical, or the\nname (default: 20, or 10 with --verbose)"},
    {"log-level", OPT_LOG_LEVELS, S(log_levels), "MODULE=LEVEL",
     "the lowest level logged for one module (a\n"
     "LEVEL as above); repeatable, or\n"
     "comma-separated: --log-level runtime=debug"},
    {"log-file", OPT_STRING, S(log_file), "FILE", "append the log to FILE"},
    {"use-syslog", OPT_BOOL, S(use_syslog), NULL, "send the log to syslog (--log-file wins)"},
    {"log-summary-interval", OPT_NUMBER, S(log_summary_interval), "SECONDS",
     "a condition that repeats (a switch that keeps\n"
     "reconnecting, a version mismatch from one\n"
     "address, an app queue filling up) is logged\n"
     "once, then summarised once per this interval\n"
     "while it goes on"},
    {NULL, OPT_GROUP, 0, NULL, "REST server (runs when an app has REST routes):"},
    {"wsapi-host", OPT_STRING, S(wsapi_host), "HOST", "address or host name to listen on\n(default: 0.0.0.0)"},
    {"wsapi-port", OPT_NUMBER, S(wsapi_port), "PORT", "TCP port (default: 8080; 0: a free one)"},
    {"wsapi-auth-token-file", OPT_STRING, S(wsapi_auth_token_file), "FILE",
     "require \"Authorization: Bearer TOKEN\" on\nevery request, TOKEN being the file's one\nline (default: no auth)"},
    {"wsapi-cert", OPT_STRING, S(wsapi_cert), "FILE", "serve HTTPS with this certificate (PEM;\nneeds --wsapi-key)"},
    {"wsapi-key", OPT_STRING, S(wsapi_key), "FILE", "the HTTPS private key (PEM)"},
    {"wsapi-timeout", OPT_NUMBER, S(wsapi_timeout), "SECONDS",
     "answer 503 when a route's handler has not\nanswered within this"},
    {"wsapi-max-body", OPT_NUMBER, S(wsapi_max_body), "BYTES",
     "answer 413 to larger request bodies\n(1 to 1073741824; default: 1048576)"},
    {NULL, OPT_GROUP, 0, NULL, "Cluster (several instances for the same switches, docs/cluster.md):"},
    {"cluster-etcd", OPT_STRING, S(cluster_etcd), "URLS",
     "etcd endpoints, comma-separated\n"
     "(http://HOST:2379,...): join a cluster whose\n"
     "mastership of each switch etcd decides\n"
     "(default: none, this instance runs alone)"},
    {"cluster-name", OPT_STRING, S(cluster_name), "NAME",
     "the cluster's name, its keys under\n/ken/NAME/ (default: ken)"},
    {"cluster-node-id", OPT_STRING, S(cluster_node_id), "ID",
     "this instance's id, unique in the cluster\n(default: the host name and process id)"},
    {"cluster-lease-ttl", OPT_NUMBER, S(cluster_lease_ttl), "SECONDS",
     "the etcd lease's TTL in whole seconds: a\n"
     "dead instance's switches move after it;\n"
     "etcd may round it up (docs/cluster.md)"},
    {NULL, OPT_GROUP, 0, NULL, "Process:"},
    {"pid-file", OPT_STRING, S(pid_file), "FILE", "write the process id to FILE (removed on\nexit)"},
};

#define N_OPTS (sizeof opts / sizeof opts[0])

static const char usage_head[] =
    "Usage: " PROG " [OPTION]... [APP]...\n"
    "\n"
    "Runs OpenFlow apps and the controller they share, as osken-manager.\n"
    "Switches connect to the controller (or it connects to them); every\n"
    "message they send becomes an event for the apps that asked for it.\n"
    "\n"
    "APP is a built-in app (simple_switch, simple_switch_12 ... _15,\n"
    "simple_monitor_13, flow_watch_13, cbench, metrics, rest, rest_tunnel,\n"
    "rest_topology, rest_cluster, switches, ofctl_rest, ws_topology,\n"
    "gui_topology), an OS-Ken module path naming one\n"
    "(os_ken.app.simple_switch_13 and apps/simple_switch_13 both mean\n"
    "simple_switch_13), or a shared object (path/app.so) built against ken:\n"
    "its first app by name is run. Apps\n"
    "that an app requires are loaded first. With no app, the controller runs\n"
    "alone (switches connect and are kept alive). The controller offers the\n"
    "versions any app speaks; a switch's events go to the apps that speak\n"
    "its version (simple_switch and simple_switch_13 together: each switch\n"
    "is handled by its version's learning switch).\n"
    "\n"
    "General:\n"
    "  -h, --help                      show this help and exit\n"
    "      --version                   show the version and exit\n"
    "      --config-file FILE          read options from an INI file with a\n"
    "                                  [DEFAULT] section (oslo.config style:\n"
    "                                  name_with_underscores = value); may be\n"
    "                                  given more than once, later files win;\n"
    "                                  the command line wins over every file;\n"
    "                                  a regular file of at most 1 MiB\n";

static const char usage_tail[] =
    "\n"
    "Every option but --config-file can also be set in a config file.\n"
    "Flags take --noNAME to turn them off (--noverbose).\n"
    "SIGINT or SIGTERM stops the controller and the apps, then exits 0;\n"
    "during start-up (apps starting, the controller binding) it ends the\n"
    "process at once.\n"
    "Times are in seconds (0.01 to 86400); integers are plain decimal\n"
    "(no sign '+', spaces, leading zeros or hex).\n"
    "Exit status: 0 after a clean stop, 1 a run-time failure (port in use,\n"
    "unwritable log or pid file), 2 a bad option, app or config file.\n"
    "\n"
    "Examples:\n"
    "  " PROG " simple_switch_13\n"
    "      an OpenFlow 1.3 learning switch for switches connecting to port\n"
    "      6653 or 6633 of any address of this machine\n"
    "  " PROG " --ofp-listen-host 127.0.0.1 --ofp-tcp-listen-port 6653 \\\n"
    "      simple_switch\n"
    "      an OpenFlow 1.0 learning switch on 127.0.0.1 port 6653 only\n"
    "  " PROG " --verbose --log-file /var/log/ken.log os_ken.app.simple_switch_13\n"
    "  " PROG " --ofp-ssl-listen-port 6653 --ctl-privkey ctl-key.pem \\\n"
    "      --ctl-cert ctl-cert.pem --ca-certs switch-ca.pem simple_switch_13\n"
    "  " PROG " --ofp-switch-address-list 192.0.2.1:6653,[2001:db8::1]:6653 \\\n"
    "      cbench\n"
    "  " PROG " --config-file ken.conf ./build/myapp.so\n"
    "  " PROG " --wsapi-port 8080 --wsapi-auth-token-file token.txt \\\n"
    "      ./build/my_rest_app.so\n"
    "      an app with REST routes, served on port 8080 to clients that send\n"
    "      \"Authorization: Bearer <the token in token.txt>\"\n"
    "\n"
    "A config file:\n"
    "  [DEFAULT]\n"
    "  ofp_listen_host = 127.0.0.1\n"
    "  ofp_tcp_listen_port = 6653\n"
    "  echo_request_interval = 5\n"
    "  maximum_unreplied_echo_requests = 3\n"
    "  app_lists = simple_switch_13\n"
    "\n"
    "See docs/manager.md for more.\n";

/* ---- values ---- */

/* A number option's value, stored with its field's C type. */
static void number_store(void *field, enum ken_option_kind kind, double v)
{
    switch (kind) {
    case KEN_OPTION_SECONDS:
        *(double *)field = v;
        break;
    case KEN_OPTION_PORT:
    case KEN_OPTION_LOG_LEVEL:
        *(int *)field = (int)v;
        break;
    case KEN_OPTION_COUNT:
        *(unsigned *)field = (unsigned)v;
        break;
    case KEN_OPTION_BYTES:
        *(size_t *)field = (size_t)v;
        break;
    }
}

static double number_load(const void *field, enum ken_option_kind kind)
{
    switch (kind) {
    case KEN_OPTION_SECONDS:
        return *(const double *)field;
    case KEN_OPTION_PORT:
    case KEN_OPTION_LOG_LEVEL:
        return *(const int *)field;
    case KEN_OPTION_COUNT:
        return *(const unsigned *)field;
    case KEN_OPTION_BYTES:
        return (double)*(const size_t *)field;
    }
    return 0;
}

/* text with every byte that is not printable ASCII as \xNN (and '\n' as
 * \n), cut to fit out: a config file of binary bytes must not reach the
 * terminal raw. Returns out. */
static const char *printable(const char *text, char *out, size_t n)
{
    size_t used = 0;
    for (const unsigned char *p = (const unsigned char *)text; *p; p++) {
        char piece[8];
        if (*p == '\n')
            snprintf(piece, sizeof piece, "\\n");
        else if (*p < 0x20 || *p >= 0x7f || *p == '\\')
            snprintf(piece, sizeof piece, "\\x%02x", *p);
        else
            snprintf(piece, sizeof piece, "%c", *p);
        size_t len = strlen(piece);
        if (used + len + 4 > n) { /* room for "..." and the NUL */
            memcpy(out + used, "...", 4);
            return out;
        }
        memcpy(out + used, piece, len);
        used += len;
    }
    out[used] = '\0';
    return out;
}

#define PRINTABLE_LEN 128

#define HELP_COL 34

static void print_help(void)
{
    struct settings defaults;
    settings_init(&defaults);
    fputs(usage_head, stdout);
    for (size_t i = 0; i < N_OPTS; i++) {
        const struct opt *o = &opts[i];
        if (o->kind == OPT_GROUP) {
            printf("\n%s\n", o->help);
            continue;
        }
        char left[64];
        snprintf(left, sizeof left, "--%s%s%s", o->name, o->arg ? " " : "", o->arg ? o->arg : "");
        int used = printf("      %s", left);
        if (used < HELP_COL - 1)
            printf("%*s", HELP_COL - used, "");
        else
            printf("\n%*s", HELP_COL, "");
        for (const char *p = o->help; *p; p++) {
            putchar(*p);
            if (*p == '\n')
                printf("%*s", HELP_COL, "");
        }
        /* Ranges and defaults come from the tables the values are checked
         * against, so the help cannot drift from them. */
        const struct ken_option_range *r = o->kind == OPT_NUMBER ? ken_option_range_find(o->name) : NULL;
        if (r && (r->kind == KEN_OPTION_SECONDS || r->kind == KEN_OPTION_COUNT))
            printf("\n%*s(%.15g to %.15g; default: %.15g)", HELP_COL, "", r->min, r->max,
                   number_load((const char *)&defaults + o->off, r->kind));
        putchar('\n');
    }
    fputs(usage_tail, stdout);
}

static char *str_trim(char *s)
{
    while (isspace((unsigned char)*s))
        s++;
    for (char *e = s + strlen(s); e > s && isspace((unsigned char)e[-1]);)
        *--e = '\0';
    return s;
}

/* Parses text as the option's kind into the settings. text must outlive
 * the settings (a list points into it). Returns NULL, or why the value is
 * bad (in why_buf when it is made up). */
static const char *opt_set(struct settings *s, const struct opt *o, char *text, char *why_buf, size_t why_len)
{
    void *field = (char *)s + o->off;
    switch (o->kind) {
    case OPT_STRING:
        *(const char **)field = text;
        return NULL;
    case OPT_NUMBER: {
        const struct ken_option_range *r = ken_option_range_find(o->name);
        if (!r)
            return "an option without a range (a bug in ken-manager)";
        int level;
        if (r->kind == KEN_OPTION_LOG_LEVEL && isalpha((unsigned char)*text) && !ken_log_level_parse(text, &level)) {
            *(int *)field = level;
            return NULL;
        }
        double v;
        if (!ken_option_parse(r, text, &v)) {
            number_store(field, r->kind, v);
            return NULL;
        }
        char what[128];
        ken_option_describe(r, what, sizeof what);
        snprintf(why_buf, why_len, "not %s", what);
        return why_buf;
    }
    case OPT_BOOL: {
        static const char *const yes[] = {"true", "1", "on", "yes"}, *const no[] = {"false", "0", "off", "no"};
        for (size_t i = 0; i < 4; i++) {
            if (!strcasecmp(text, yes[i]) || !strcasecmp(text, no[i])) {
                *(bool *)field = !strcasecmp(text, yes[i]);
                return NULL;
            }
        }
        return "not a boolean (true or false)";
    }
    case OPT_LIST: {
        struct strv *sv = field;
        sv->n = 0;
        char *save;
        for (char *item = strtok_r(text, ",\n", &save); item; item = strtok_r(NULL, ",\n", &save)) {
            item = str_trim(item);
            if (*item && !strv_push(sv, item))
                return "out of memory";
        }
        return NULL;
    }
    case OPT_LOG_LEVELS: {
        /* Added to, not replaced: the config file's and the command line's
         * all apply, the last for a module winning. */
        struct strv *sv = field;
        char *save;
        for (char *item = strtok_r(text, ",\n", &save); item; item = strtok_r(NULL, ",\n", &save)) {
            item = str_trim(item);
            char *eq = strchr(item, '=');
            int level;
            if (!eq || eq == item || ken_log_level_parse(str_trim(eq + 1), &level)) {
                (void)why_buf, (void)why_len;
                return "not MODULE=LEVEL[,...] (LEVEL: 0 to 50, or a name such as debug)";
            }
            if (!strv_push(sv, item))
                return "out of memory";
        }
        return NULL;
    }
    case OPT_GROUP:
        break;
    }
    return "not an option";
}

/* The option called name, whose words are joined by sep ('-' on the
 * command line, '_' in a config file). */
static const struct opt *opt_find(const char *name, char sep)
{
    for (size_t i = 0; i < N_OPTS; i++) {
        const char *a = opts[i].name, *b = name;
        if (!a)
            continue;
        while (*a && (*a == '-' ? *b == sep : *a == *b))
            a++, b++;
        if (!*a && !*b)
            return &opts[i];
    }
    return NULL;
}

/* ---- config files: oslo.config's INI dialect, the [DEFAULT] section ---- */

struct cfg {
    struct settings *s;
    const char *path;
    unsigned line;
    bool in_default;
    /* The assignment being read: applied when the next line is not its
     * continuation. */
    const struct opt *opt;
    char *value;
    unsigned value_line;
};

static int cfg_fail(const struct cfg *c, unsigned line, const char *what, const char *arg)
{
    char path[PRINTABLE_LEN], shown[PRINTABLE_LEN];
    fprintf(stderr, PROG ": %s:%u: %s%s\n", printable(c->path, path, sizeof path), line, what,
            printable(arg, shown, sizeof shown));
    return EXIT_USAGE;
}

static int cfg_flush(struct cfg *c)
{
    if (!c->opt)
        return 0;
    const struct opt *o = c->opt;
    c->opt = NULL;
    char shown[PRINTABLE_LEN], why_buf[160];
    printable(c->value, shown, sizeof shown); /* before opt_set: a list is cut up in place */
    const char *why = opt_set(c->s, o, c->value, why_buf, sizeof why_buf);
    if (!why)
        return 0;
    char path[PRINTABLE_LEN];
    fprintf(stderr, PROG ": %s:%u: %s: '%s' is %s\n", printable(c->path, path, sizeof path), c->value_line, o->name,
            shown, why);
    return EXIT_USAGE;
}

/* Drops one pair of matching quotes around a value. */
static char *str_unquote(char *v)
{
    size_t n = strlen(v);
    if (n >= 2 && (v[0] == '"' || v[0] == '\'') && v[n - 1] == v[0]) {
        v[n - 1] = '\0';
        return v + 1;
    }
    return v;
}

static int cfg_assign(struct cfg *c, char *text)
{
    char *sep = strpbrk(text, "=:");
    if (!sep)
        return cfg_fail(c, c->line, "expected 'name = value': ", text);
    *sep = '\0';
    char *name = str_trim(text);
    const struct opt *o = opt_find(name, '_');
    if (!o && opt_find(name, '-'))
        return cfg_fail(c, c->line, "write the option with underscores: ", name);
    if (!o)
        return cfg_fail(c, c->line, "unknown option ", name);
    if (!(c->value = settings_own(c->s, strdup(str_unquote(str_trim(sep + 1))))))
        return cfg_fail(c, c->line, "out of memory", "");
    c->opt = o;
    c->value_line = c->line;
    return 0;
}

/* A line that starts with white space continues the value above it. */
static int cfg_continue(struct cfg *c, const char *text)
{
    if (!c->opt)
        return cfg_fail(c, c->line, "indented line continues nothing: ", text);
    char *joined;
    if (asprintf(&joined, "%s\n%s", c->value, text) < 0 || !(c->value = settings_own(c->s, joined)))
        return cfg_fail(c, c->line, "out of memory", "");
    return 0;
}

static int cfg_section(struct cfg *c, const char *text)
{
    if (text[strlen(text) - 1] != ']')
        return cfg_fail(c, c->line, "bad section header ", text);
    if (strcmp(text, "[DEFAULT]"))
        return cfg_fail(c, c->line, "unknown section (only [DEFAULT] is read): ", text);
    c->in_default = true;
    return 0;
}

static int cfg_line(struct cfg *c, char *buf)
{
    char *text = str_trim(buf);
    if (!*text || *text == '#' || *text == ';')
        return 0;
    if (isspace((unsigned char)buf[0]))
        return cfg_continue(c, text);
    int rc = cfg_flush(c);
    if (rc)
        return rc;
    if (*text == '[')
        return cfg_section(c, text);
    if (!c->in_default)
        return cfg_fail(c, c->line, "option before the [DEFAULT] header: ", text);
    return cfg_assign(c, text);
}

/* Reads a whole config file into a NUL-terminated buffer. Only a regular
 * file of at most CONFIG_MAX_BYTES: /dev/zero or a FIFO would never end or
 * would block start-up. Returns the buffer and its length, or NULL after
 * printing why. */
#define CONFIG_MAX_BYTES (1u << 20)

static char *cfg_load(const char *path, size_t *len)
{
    char shown[PRINTABLE_LEN];
    printable(path, shown, sizeof shown);
    /* O_NONBLOCK: opening a FIFO with no writer must not wait. */
    int fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
    struct stat st;
    if (fd < 0 || fstat(fd, &st)) {
        fprintf(stderr, PROG ": cannot read config file %s: %s\n", shown, strerror(errno));
        if (fd >= 0)
            close(fd);
        return NULL;
    }
    const char *bad = !S_ISREG(st.st_mode)                  ? "not a regular file"
                      : st.st_size > (off_t)CONFIG_MAX_BYTES ? "larger than 1 MiB"
                                                              : NULL;
    char *buf = bad ? NULL : malloc(CONFIG_MAX_BYTES + 2);
    size_t n = 0;
    /* One byte past the cap: a file that grew while read is refused too. */
    while (buf && n <= CONFIG_MAX_BYTES) {
        ssize_t got = read(fd, buf + n, CONFIG_MAX_BYTES + 1 - n);
        if (got < 0 && errno == EINTR)
            continue;
        if (got < 0) {
            bad = strerror(errno);
            break;
        }
        if (got == 0)
            break;
        n += (size_t)got;
    }
    if (!bad && n > CONFIG_MAX_BYTES)
        bad = "larger than 1 MiB";
    if (!bad && !buf)
        bad = "out of memory";
    close(fd);
    if (bad) {
        fprintf(stderr, PROG ": cannot read config file %s: %s\n", shown, bad);
        free(buf);
        return NULL;
    }
    buf[n] = '\0';
    *len = n;
    return buf;
}

static int cfg_read(struct settings *s, const char *path)
{
    size_t len;
    char *buf = cfg_load(path, &len);
    if (!buf)
        return EXIT_USAGE;
    struct cfg c = {.s = s, .path = path};
    int rc = 0;
    for (char *line = buf, *end = buf + len; !rc && line < end;) {
        char *eol = memchr(line, '\n', (size_t)(end - line));
        if (!eol)
            eol = end;
        *eol = '\0';
        c.line++;
        /* A NUL would cut the line short without a word. */
        if (strlen(line) != (size_t)(eol - line))
            rc = cfg_fail(&c, c.line, "a NUL byte in the line", "");
        else
            rc = cfg_line(&c, line);
        line = eol + 1;
    }
    if (!rc)
        rc = cfg_flush(&c);
    free(buf);
    return rc;
}

/* ---- the command line ---- */

enum { ID_SET = 256, ID_UNSET = 512, ID_CONFIG_FILE = 1000, ID_VERSION };

struct cli_value {
    const struct opt *opt;
    char *text;
};

static int usage_error(const char *what, const char *arg)
{
    char shown[PRINTABLE_LEN];
    fprintf(stderr, PROG ": %s%s (see " PROG " --help)\n", what, printable(arg, shown, sizeof shown));
    return EXIT_USAGE;
}

/* getopt_long's table: every option, and --noNAME for the flags. */
static struct option *cli_table(char (*no_names)[48])
{
    static struct option table[2 * N_OPTS + 4];
    size_t n = 0;
    for (size_t i = 0; i < N_OPTS; i++) {
        const struct opt *o = &opts[i];
        if (o->kind == OPT_GROUP)
            continue;
        table[n++] = (struct option){o->name, o->arg ? required_argument : no_argument, NULL, ID_SET + (int)i};
        if (o->kind == OPT_BOOL) {
            snprintf(no_names[i], sizeof no_names[i], "no%s", o->name);
            table[n++] = (struct option){no_names[i], no_argument, NULL, ID_UNSET + (int)i};
        }
    }
    table[n++] = (struct option){"config-file", required_argument, NULL, ID_CONFIG_FILE};
    table[n++] = (struct option){"version", no_argument, NULL, ID_VERSION};
    table[n++] = (struct option){"help", no_argument, NULL, 'h'};
    table[n] = (struct option){0};
    return table;
}

/* Reads the command line and the config files it names into s. Returns
 * -1 to go on, or the exit code (0 after --help or --version). */
static int settings_parse(struct settings *s, int argc, char **argv)
{
    static char no_names[N_OPTS][48];
    const struct option *table = cli_table(no_names);
    struct cli_value *vals = calloc((size_t)argc, sizeof *vals);
    size_t n_vals = 0;
    int rc = vals ? -1 : EXIT_RUNTIME;
    opterr = 0;
    int id;
    while (rc < 0 && (id = getopt_long(argc, argv, ":h", table, NULL)) != -1) {
        if (id == 'h') {
            print_help();
            rc = 0;
        } else if (id == ID_VERSION) {
            printf(PROG " " KEN_VERSION "\n");
            rc = 0;
        } else if (id == ID_CONFIG_FILE) {
            rc = strv_push(&s->config_files, optarg) ? -1 : EXIT_RUNTIME;
        } else if (id >= ID_UNSET && id < ID_UNSET + (int)N_OPTS) {
            vals[n_vals++] = (struct cli_value){&opts[id - ID_UNSET], "false"};
        } else if (id >= ID_SET && id < ID_SET + (int)N_OPTS) {
            const struct opt *o = &opts[id - ID_SET];
            vals[n_vals++] = (struct cli_value){o, o->arg ? optarg : "true"};
        } else if (id == ':') {
            rc = usage_error("this option needs a value: ", argv[optind - 1]);
        } else {
            rc = usage_error("unknown option ", optopt ? (char[]){'-', (char)optopt, 0} : argv[optind - 1]);
        }
    }
    for (int i = optind; rc < 0 && i < argc; i++)
        if (!strv_push(&s->apps, argv[i]))
            rc = EXIT_RUNTIME;
    for (size_t i = 0; rc < 0 && i < s->config_files.n; i++)
        if (cfg_read(s, s->config_files.v[i]))
            rc = EXIT_USAGE;
    for (size_t i = 0; rc < 0 && i < n_vals; i++) {
        char shown[PRINTABLE_LEN], why_buf[160];
        printable(vals[i].text, shown, sizeof shown); /* before opt_set: a list is cut up in place */
        const char *why = opt_set(s, vals[i].opt, vals[i].text, why_buf, sizeof why_buf);
        if (why) {
            fprintf(stderr, PROG ": --%s: '%s' is %s\n", vals[i].opt->name, shown, why);
            rc = EXIT_USAGE;
        }
    }
    free(vals);
    return rc;
}

/* ---- apps ---- */

static bool has_suffix(const char *s, const char *suffix)
{
    size_t n = strlen(s), m = strlen(suffix);
    return n >= m && !strcmp(s + n - m, suffix);
}

/* The name ken_app_load takes for an APP argument. A shared object (a
 * name ending in .so or holding .so., or an existing file named by a path)
 * keeps its path, with "./" added to a bare file name, which dlopen would
 * otherwise look up in the library path. An OS-Ken module path
 * (os_ken.app.simple_switch_13, apps/simple_switch_13.py) becomes the
 * built-in app of its last component. NULL when memory runs out. */
static const char *app_name(struct settings *s, const char *arg)
{
    struct stat st;
    bool is_path_to_file = strchr(arg, '/') && stat(arg, &st) == 0 && S_ISREG(st.st_mode);
    if (is_path_to_file || has_suffix(arg, ".so") || strstr(arg, ".so.")) {
        char *path;
        if (strchr(arg, '/'))
            return arg;
        return asprintf(&path, "./%s", arg) < 0 ? NULL : settings_own(s, path);
    }
    char *name = settings_own(s, strdup(arg));
    if (!name)
        return NULL;
    if (has_suffix(name, ".py"))
        name[strlen(name) - 3] = '\0';
    char *slash = strrchr(name, '/');
    if (slash)
        name = slash + 1;
    char *dot = strrchr(name, '.');
    return dot ? dot + 1 : name;
}

/* Logs each switch that reaches MAIN, with what a network engineer needs
 * to find it; the controller logs its going away (with the reason). A MAIN
 * handler also sees MAIN -> DEAD: only the arrival is logged here. */
static void switch_up_handler(struct ken_app *app, const struct ken_event *ev)
{
    (void)app;
    const struct ken_ev_ofp_state_change *change = ken_ev_ofp_state_change(ev);
    const struct ken_datapath *dp = change->datapath;
    if (change->phase != KEN_PHASE_MAIN)
        return;
    /* A switch that keeps reconnecting: its first arrival is logged, the
     * next ones are summarised (at WARNING: flapping is a fault). */
    unsigned long long id = (unsigned long long)ken_datapath_id(dp);
    const char *address = ken_datapath_address(dp), *version = ken_datapath_ofproto(dp)->name;
    char key[32], subject[64], detail[128];
    snprintf(key, sizeof key, "connected %016llx", id);
    snprintf(subject, sizeof subject, "switch %016llx reconnected", id);
    snprintf(detail, sizeof detail, " (last from %s, OpenFlow %s)", address, version);
    if (ken_log_repeat_key(key, KEN_LOG_WARNING, LOG_MOD, subject, detail))
        KEN_LOG_INFO(LOG_MOD, "switch %016llx connected from %s, OpenFlow %s", id, address, version);
}

static const struct ken_app_desc switch_log_app = {
    .name = "ken_manager",
    .handlers = (const struct ken_handler[]){
        {"EventOFPStateChange", KEN_PHASE_MAIN, switch_up_handler},
        {NULL, 0, NULL},
    },
};

#define RT_KNOWN_MAX 256

static int apps_load(struct settings *s)
{
    struct strv names = {0};
    int rc = ken_app_register(&switch_log_app) || !strv_push(&names, switch_log_app.name) ? EXIT_RUNTIME : 0;
    for (int pass = 0; pass < 2 && !rc; pass++) {
        const struct strv *args = pass ? &s->apps : &s->app_lists;
        for (size_t i = 0; i < args->n && !rc; i++) {
            const char *name = app_name(s, args->v[i]);
            rc = name && strv_push(&names, name) ? 0 : EXIT_RUNTIME;
        }
    }
    /* As osken-manager with the topology module: link discovery needs
     * the switches app, which apps that use it load anyway. */
    ken_topology_set_options(&s->topo);
    if (!rc && s->topo.observe_links && !strv_push(&names, "switches"))
        rc = EXIT_RUNTIME;
    if (!rc && names.n == 1)
        KEN_LOG_INFO(LOG_MOD, "no app given: the controller runs alone");
    char why[KEN_WHY_LEN];
    ken_runtime_set_inline_handlers(s->inline_handlers);
    int err = rc ? 0 : ken_app_load(names.v, names.n, why);
    if (err) {
        fprintf(stderr, PROG ": cannot load apps: %s", why);
        /* A mistyped name: say what there is (not ken-manager's own app). */
        if (err == ENOENT && !strncmp(why, "no app named ", 13)) {
            const char *known[RT_KNOWN_MAX];
            size_t n = ken_app_builtin_names(known, RT_KNOWN_MAX);
            n = n < RT_KNOWN_MAX ? n : RT_KNOWN_MAX;
            fputs("; built-in apps:", stderr);
            for (size_t i = 0; i < n; i++)
                if (strcmp(known[i], switch_log_app.name))
                    fprintf(stderr, " %s", known[i]);
        }
        fputc('\n', stderr);
        rc = err == ENOENT || err == ELOOP || err == EINVAL ? EXIT_USAGE : EXIT_RUNTIME;
    }
    free(names.v);
    return rc;
}

/* ---- running ---- */

static void controller_options(const struct settings *s, struct ken_controller_options *o)
{
    *o = s->ctl;
    o->switch_addresses = s->ofp_switch_address_list.v;
    o->n_switch_addresses = s->ofp_switch_address_list.n;
}

static int log_setup(const struct settings *s)
{
    int level = s->default_log_level >= 0 ? s->default_log_level : s->verbose ? KEN_LOG_DEBUG : KEN_LOG_INFO;
    ken_log_set_level(level);
    /* --trace-events alone shows the trace, not every debug record. */
    if (s->trace_events && !s->verbose && ken_log_set_module_level("events", KEN_LOG_DEBUG))
        return EXIT_RUNTIME;
    for (size_t i = 0; i < s->log_levels.n; i++) {
        /* Checked when parsed; the name ends at '=' (trimmed). */
        char *item = (char *)s->log_levels.v[i], *eq = strchr(item, '=');
        int level;
        *eq = '\0';
        ken_log_level_parse(str_trim(eq + 1), &level);
        if (ken_log_set_module_level(str_trim(item), level))
            return EXIT_RUNTIME;
    }
    /* The trace is on when its records would be written: --verbose,
     * --trace-events, or debug for module events by other means. */
    ken_runtime_set_event_trace(ken_log_enabled(KEN_LOG_DEBUG, "events"));
    ken_log_set_summary_interval((uint32_t)ken_seconds_to_ms(s->log_summary_interval));
    if (s->use_syslog)
        ken_log_use_syslog(PROG);
    int err = s->log_file ? ken_log_open_file(s->log_file) : 0;
    if (err) {
        fprintf(stderr, PROG ": cannot open log file %s: %s\n", s->log_file, strerror(err));
        return EXIT_RUNTIME;
    }
    return 0;
}

static int pid_file_write(const char *path)
{
    FILE *f = fopen(path, "w");
    if (!f || fprintf(f, "%ld\n", (long)getpid()) < 0 || fclose(f)) {
        fprintf(stderr, PROG ": cannot write pid file %s: %s\n", path, strerror(errno));
        return EXIT_RUNTIME;
    }
    return 0;
}

/* ---- stop signals ----
 *
 * SIGINT and SIGTERM are blocked in every thread and taken by one thread
 * that exists before anything else starts (so every later thread inherits
 * the mask). Before start-up is over (a slow app, a controller binding)
 * there is nothing to stop cleanly: the signal ends the process at once, as
 * its default action would. After it, it asks main for a clean stop. */
static struct {
    pthread_mutex_t lock;
    pthread_cond_t cond;
    sigset_t signals;
    bool serving;          /* start-up is over */
    int received;          /* the stop signal, once serving */
    const char *pid_file;  /* written: removed when a signal ends start-up */
} stopper = {.lock = PTHREAD_MUTEX_INITIALIZER, .cond = PTHREAD_COND_INITIALIZER};

static void *stopper_thread(void *arg)
{
    (void)arg;
    for (;;) {
        int sig;
        if (sigwait(&stopper.signals, &sig))
            continue;
        pthread_mutex_lock(&stopper.lock);
        if (stopper.serving) {
            stopper.received = sig;
            pthread_cond_signal(&stopper.cond);
            pthread_mutex_unlock(&stopper.lock);
            continue;
        }
        KEN_LOG_WARNING(LOG_MOD, "%s during start-up: exiting", sig == SIGINT ? "SIGINT" : "SIGTERM");
        if (stopper.pid_file)
            unlink(stopper.pid_file);
        signal(sig, SIG_DFL);
        pthread_sigmask(SIG_UNBLOCK, &stopper.signals, NULL);
        raise(sig);
        _exit(128 + sig); /* not reached: the default action ends the process */
    }
    return NULL;
}

static int stopper_start(void)
{
    sigemptyset(&stopper.signals);
    sigaddset(&stopper.signals, SIGINT);
    sigaddset(&stopper.signals, SIGTERM);
    pthread_sigmask(SIG_BLOCK, &stopper.signals, NULL);
    pthread_t thread;
    if (pthread_create(&thread, NULL, stopper_thread, NULL)) {
        fprintf(stderr, PROG ": cannot start the signal thread\n");
        return EXIT_RUNTIME;
    }
    pthread_detach(thread);
    return 0;
}

static void stopper_set_pid_file(const char *path)
{
    pthread_mutex_lock(&stopper.lock);
    stopper.pid_file = path;
    pthread_mutex_unlock(&stopper.lock);
}

/* Start-up is over: waits for a stop signal and returns it. */
static int stopper_wait(void)
{
    pthread_mutex_lock(&stopper.lock);
    stopper.serving = true;
    while (!stopper.received)
        pthread_cond_wait(&stopper.cond, &stopper.lock);
    int sig = stopper.received;
    pthread_mutex_unlock(&stopper.lock);
    return sig;
}

/* Loads the apps, starts the controller and waits for a stop signal. */
static int serve(struct settings *s)
{
    if (ken_ofp_event_register()) {
        fprintf(stderr, PROG ": cannot register the OpenFlow event classes\n");
        return EXIT_RUNTIME;
    }
    int rc = apps_load(s);
    struct ken_controller *c = NULL;
    bool cluster = false;
    if (!rc && s->cluster_etcd) {
        char node[160];
        if (!s->cluster_node_id) {
            char host[128] = "ken";
            gethostname(host, sizeof host - 1);
            snprintf(node, sizeof node, "%s-%ld", host, (long)getpid());
        }
        char why[KEN_CLUSTER_WHY_LEN];
        int err = ken_cluster_start(&(struct ken_cluster_options){
                                        .etcd = s->cluster_etcd,
                                        .name = s->cluster_name ? s->cluster_name : "ken",
                                        .node_id = s->cluster_node_id ? s->cluster_node_id : node,
                                        .lease_ttl = s->cluster_lease_ttl,
                                    },
                                    why);
        if (err) {
            fprintf(stderr, PROG ": cluster: %s\n", why);
            rc = EXIT_RUNTIME;
        }
        cluster = !err;
        /* GET /v1.0/cluster wherever the REST server runs. */
        char why2[KEN_WHY_LEN];
        const char *name = "rest_cluster";
        if (cluster && ken_wsapi_wanted() && ken_app_load(&name, 1, why2)) {
            fprintf(stderr, PROG ": cannot load rest_cluster: %s\n", why2);
            rc = EXIT_RUNTIME;
        }
    }
    if (!rc) {
        struct ken_controller_options o;
        controller_options(s, &o);
        char why[KEN_CONTROLLER_WHY_LEN];
        if (!(c = ken_controller_start(&o, why))) {
            fprintf(stderr, PROG ": %s\n", why);
            rc = EXIT_RUNTIME;
        }
    }
    bool rest = false;
    if (c && ken_wsapi_wanted()) { /* as Ryu: only when an app has routes */
        char why[192];
        int err = ken_wsapi_start(&(struct ken_wsapi_options){
                                      .host = s->wsapi_host,
                                      .port = (uint16_t)s->wsapi_port,
                                      .auth_token_file = s->wsapi_auth_token_file,
                                      .cert_file = s->wsapi_cert,
                                      .key_file = s->wsapi_key,
                                      .timeout_ms = (uint32_t)ken_seconds_to_ms(s->wsapi_timeout),
                                      .max_body = s->wsapi_max_body,
                                  },
                                  why);
        if (err) {
            fprintf(stderr, PROG ": REST server: %s\n", why);
            rc = EXIT_RUNTIME;
        }
        rest = !err;
    }
    if (c && !rc) {
        KEN_LOG_INFO(LOG_MOD, PROG " " KEN_VERSION " running (pid %ld)", (long)getpid());
        int sig = stopper_wait();
        KEN_LOG_INFO(LOG_MOD, "%s: stopping", sig == SIGINT ? "SIGINT" : "SIGTERM");
    }
    if (cluster)
        ken_cluster_stop(); /* first: the other members take over at once */
    if (rest)
        ken_wsapi_stop(); /* before the apps that serve it stop */
    if (c)
        ken_controller_stop(c);
    ken_runtime_shutdown();
    if (c)
        KEN_LOG_INFO(LOG_MOD, "stopped");
    return rc;
}

/* Logging, the pid file, then serve(); undoes them on the way out. */
static int run(struct settings *s)
{
    int rc = log_setup(s);
    if (!rc && s->pid_file) {
        rc = pid_file_write(s->pid_file);
        if (!rc)
            stopper_set_pid_file(s->pid_file);
    }
    if (!rc) {
        rc = serve(s);
        if (s->pid_file) {
            stopper_set_pid_file(NULL);
            unlink(s->pid_file);
        }
    }
    ken_log_close();
    return rc;
}

int main(int argc, char **argv)
{
    signal(SIGPIPE, SIG_IGN);
    int rc = stopper_start();
    if (rc)
        return rc;
    struct settings s;
    settings_init(&s);
    rc = settings_parse(&s, argc, argv);
    if (rc < 0)
        rc = run(&s);
    settings_free(&s);
    return rc;
}
