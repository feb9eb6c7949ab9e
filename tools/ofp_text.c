/* ken-ofp's readable text: see ofp_text.h. The values come from the JSON
 * codec (ken_ofp_to_json), so every message it decodes prints; what this
 * file adds is names for constants, OVS-style matches and actions, and the
 * packet of packet-in and packet-out data. */
#include "ofp_text.h"

#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "ken/datapath.h"
#include "ken/ofp.h"
#include "ken/ofp_consts.h"
#include "ken/packet.h"

/* What the printer knows about the message it prints. */
struct ctx {
    uint8_t version;
    const char *cls;  /* the top-level class ("OFPPacketIn") */
    json_object *top; /* its body */
    FILE *more;       /* the lines after the summary line */
    int indent;
};

static void print_value(struct ctx *c, FILE *f, const char *owner, const char *key, json_object *v);
static void print_fields(struct ctx *c, FILE *f, const char *owner, json_object *body, const char *sep);

/* ---- names of constants ---- */

struct name {
    uint64_t v;
    const char *name;
};
#define N(a) (sizeof(a) / sizeof((a)[0]))

static const char *lookup(const struct name *t, size_t n, uint64_t v)
{
    for (size_t i = 0; i < n; i++)
        if (t[i].v == v)
            return t[i].name;
    return NULL;
}

/* The bits set in v as NAME|NAME (unknown bits as 0x..), "0" for none. */
static void print_bits(FILE *f, const struct name *t, size_t n, uint64_t v)
{
    if (!v) {
        fputs("0", f);
        return;
    }
    bool first = true;
    for (size_t i = 0; i < n; i++)
        if (t[i].v && (v & t[i].v) == t[i].v) {
            fprintf(f, "%s%s", first ? "" : "|", t[i].name);
            first = false;
            v &= ~t[i].v;
        }
    if (v)
        fprintf(f, "%s0x%" PRIx64, first ? "" : "|", v);
}

static const char *port_name(uint8_t version, uint64_t port)
{
    static const struct name reserved[] = {{KEN_OFPP_IN_PORT, "IN_PORT"}, {KEN_OFPP_TABLE, "TABLE"},
                                           {KEN_OFPP_NORMAL, "NORMAL"},   {KEN_OFPP_FLOOD, "FLOOD"},
                                           {KEN_OFPP_ALL, "ALL"},         {KEN_OFPP_CONTROLLER, "CONTROLLER"},
                                           {KEN_OFPP_LOCAL, "LOCAL"},     {KEN_OFPP_ANY, "ANY"}};
    uint32_t p32 = ken_port_from_wire(version, (uint32_t)port);
    if (port > 0xffffffffu || p32 < KEN_OFPP_IN_PORT)
        return NULL;
    if (version == KEN_OFP10 && p32 == KEN_OFPP_ANY)
        return "NONE";
    return lookup(reserved, N(reserved), p32);
}

/* One set of names for every version, as ovs-ofctl has it (1.4 renamed
 * no_match and action to table_miss and apply_action). */
static const struct name packet_in_reasons[] = {{0, "no_match"},   {1, "action"}, {2, "invalid_ttl"},
                                                {3, "action_set"}, {4, "group"},  {5, "packet_out"}};
static const struct name flow_removed_reasons[] = {{0, "idle"},          {1, "hard"},          {2, "delete"},
                                                   {3, "group_delete"}, {4, "meter_delete"}, {5, "eviction"}};
static const struct name port_reasons[] = {{0, "add"}, {1, "delete"}, {2, "modify"}};
static const struct name role_status_reasons[] = {{0, "master_request"}, {1, "config"}, {2, "experimenter"}};
static const struct name table_status_reasons[] = {{3, "vacancy_down"}, {4, "vacancy_up"}};
static const struct name flow_mod_commands[] = {
    {0, "add"}, {1, "modify"}, {2, "modify_strict"}, {3, "delete"}, {4, "delete_strict"}};
static const struct name group_mod_commands[] = {
    {0, "add"}, {1, "modify"}, {2, "delete"}, {3, "insert_bucket"}, {5, "remove_bucket"}};
static const struct name meter_mod_commands[] = {{0, "add"}, {1, "modify"}, {2, "delete"}};
static const struct name group_types[] = {{0, "all"}, {1, "select"}, {2, "indirect"}, {3, "ff"}};
static const struct name roles[] = {{0, "nochange"}, {1, "equal"}, {2, "master"}, {3, "slave"}};
static const struct name bundle_ctrl_types[] = {
    {0, "open_request"},   {1, "open_reply"},   {2, "close_request"},   {3, "close_reply"},
    {4, "commit_request"}, {5, "commit_reply"}, {6, "discard_request"}, {7, "discard_reply"}};
static const struct name bundle_flags[] = {{1, "atomic"}, {2, "ordered"}, {4, "time"}};
static const struct name flow_mod_flags[] = {{1, "send_flow_rem"}, {2, "check_overlap"}, {4, "reset_counts"},
                                             {8, "no_pkt_counts"}, {16, "no_byt_counts"}};
static const struct name flow_mod_flags_10[] = {{1, "send_flow_rem"}, {2, "check_overlap"}, {4, "emerg"}};
static const struct name meter_flags[] = {{1, "kbps"}, {2, "pktps"}, {4, "burst"}, {8, "stats"}};
static const struct name config_frag[] = {{0, "frag=normal"}, {1, "frag=drop"}, {2, "frag=reasm"}, {3, "frag=mask"}};
static const struct name port_config[] = {{1, "PORT_DOWN"}, {4, "NO_RECV"}, {0x20, "NO_FWD"}, {0x40, "NO_PACKET_IN"}};
static const struct name port_config_10[] = {{1, "PORT_DOWN"}, {2, "NO_STP"},  {4, "NO_RECV"},       {8, "NO_RECV_STP"},
                                             {0x10, "NO_FLOOD"}, {0x20, "NO_FWD"}, {0x40, "NO_PACKET_IN"}};
static const struct name port_state[] = {{1, "LINK_DOWN"}, {2, "BLOCKED"}, {4, "LIVE"}};
static const struct name port_features[] = {
    {1, "10MB_HD"},     {2, "10MB_FD"},      {4, "100MB_HD"},    {8, "100MB_FD"},   {0x10, "1GB_HD"},
    {0x20, "1GB_FD"},   {0x40, "10GB_FD"},   {0x80, "40GB_FD"},  {0x100, "100GB_FD"}, {0x200, "1TB_FD"},
    {0x400, "OTHER"},   {0x800, "COPPER"},   {0x1000, "FIBER"},  {0x2000, "AUTONEG"}, {0x4000, "PAUSE"},
    {0x8000, "PAUSE_ASYM"}};
static const struct name port_features_10[] = {
    {1, "10MB_HD"},   {2, "10MB_FD"},   {4, "100MB_HD"},  {8, "100MB_FD"},  {0x10, "1GB_HD"},      {0x20, "1GB_FD"},
    {0x40, "10GB_FD"}, {0x80, "COPPER"}, {0x100, "FIBER"}, {0x200, "AUTONEG"}, {0x400, "PAUSE"}, {0x800, "PAUSE_ASYM"}};
static const struct name capabilities[] = {{1, "FLOW_STATS"}, {2, "TABLE_STATS"}, {4, "PORT_STATS"},
                                           {8, "GROUP_STATS"}, {0x20, "IP_REASM"},  {0x40, "QUEUE_STATS"},
                                           {0x100, "PORT_BLOCKED"}};
static const struct name capabilities_10[] = {{1, "FLOW_STATS"}, {2, "TABLE_STATS"}, {4, "PORT_STATS"},
                                              {8, "STP"},        {0x20, "IP_REASM"},  {0x40, "QUEUE_STATS"},
                                              {0x80, "ARP_MATCH_IP"}};
static const struct name group_ids[] = {{0xfffffffc, "ALL"}, {0xffffffff, "ANY"}};
static const struct name meter_ids[] = {{0xfffffffd, "CONTROLLER"}, {0xfffffffe, "SLOWPATH"}, {0xffffffff, "ALL"}};

/* Error names by wire type and code (the spec's names; the experimenter
 * type, 0xffff, has none). */
static const char *const err_types[] = {
    "HELLO_FAILED",         "BAD_REQUEST",          "BAD_ACTION",          "BAD_INSTRUCTION",   "BAD_MATCH",
    "FLOW_MOD_FAILED",      "GROUP_MOD_FAILED",     "PORT_MOD_FAILED",     "TABLE_MOD_FAILED",  "QUEUE_OP_FAILED",
    "SWITCH_CONFIG_FAILED", "ROLE_REQUEST_FAILED",  "METER_MOD_FAILED",    "TABLE_FEATURES_FAILED",
    "BAD_PROPERTY",         "ASYNC_CONFIG_FAILED",  "FLOW_MONITOR_FAILED", "BUNDLE_FAILED"};
static const char *const err_codes[][20] = {
    {"OFPHFC_INCOMPATIBLE", "OFPHFC_EPERM"},
    {"OFPBRC_BAD_VERSION", "OFPBRC_BAD_TYPE", "OFPBRC_BAD_MULTIPART", "OFPBRC_BAD_EXPERIMENTER",
     "OFPBRC_BAD_EXP_TYPE", "OFPBRC_EPERM", "OFPBRC_BAD_LEN", "OFPBRC_BUFFER_EMPTY", "OFPBRC_BUFFER_UNKNOWN",
     "OFPBRC_BAD_TABLE_ID", "OFPBRC_IS_SLAVE", "OFPBRC_BAD_PORT", "OFPBRC_BAD_PACKET",
     "OFPBRC_MULTIPART_BUFFER_OVERFLOW", "OFPBRC_MULTIPART_REQUEST_TIMEOUT", "OFPBRC_MULTIPART_REPLY_TIMEOUT",
     "OFPBRC_MULTIPART_BAD_SCHED", "OFPBRC_PIPELINE_FIELDS_ONLY", "OFPBRC_UNKNOWN"},
    {"OFPBAC_BAD_TYPE", "OFPBAC_BAD_LEN", "OFPBAC_BAD_EXPERIMENTER", "OFPBAC_BAD_EXP_TYPE", "OFPBAC_BAD_OUT_PORT",
     "OFPBAC_BAD_ARGUMENT", "OFPBAC_EPERM", "OFPBAC_TOO_MANY", "OFPBAC_BAD_QUEUE", "OFPBAC_BAD_OUT_GROUP",
     "OFPBAC_MATCH_INCONSISTENT", "OFPBAC_UNSUPPORTED_ORDER", "OFPBAC_BAD_TAG", "OFPBAC_BAD_SET_TYPE",
     "OFPBAC_BAD_SET_LEN", "OFPBAC_BAD_SET_ARGUMENT", "OFPBAC_BAD_SET_MASK", "OFPBAC_BAD_METER"},
    {"OFPBIC_UNKNOWN_INST", "OFPBIC_UNSUP_INST", "OFPBIC_BAD_TABLE_ID", "OFPBIC_UNSUP_METADATA",
     "OFPBIC_UNSUP_METADATA_MASK", "OFPBIC_BAD_EXPERIMENTER", "OFPBIC_BAD_EXP_TYPE", "OFPBIC_BAD_LEN",
     "OFPBIC_EPERM", "OFPBIC_DUP_INST"},
    {"OFPBMC_BAD_TYPE", "OFPBMC_BAD_LEN", "OFPBMC_BAD_TAG", "OFPBMC_BAD_DL_ADDR_MASK", "OFPBMC_BAD_NW_ADDR_MASK",
     "OFPBMC_BAD_WILDCARDS", "OFPBMC_BAD_FIELD", "OFPBMC_BAD_VALUE", "OFPBMC_BAD_MASK", "OFPBMC_BAD_PREREQ",
     "OFPBMC_DUP_FIELD", "OFPBMC_EPERM"},
    {"OFPFMFC_UNKNOWN", "OFPFMFC_TABLE_FULL", "OFPFMFC_BAD_TABLE_ID", "OFPFMFC_OVERLAP", "OFPFMFC_EPERM",
     "OFPFMFC_BAD_TIMEOUT", "OFPFMFC_BAD_COMMAND", "OFPFMFC_BAD_FLAGS", "OFPFMFC_CANT_SYNC",
     "OFPFMFC_BAD_PRIORITY", "OFPFMFC_IS_SYNC"},
    {"OFPGMFC_GROUP_EXISTS", "OFPGMFC_INVALID_GROUP", "OFPGMFC_WEIGHT_UNSUPPORTED", "OFPGMFC_OUT_OF_GROUPS",
     "OFPGMFC_OUT_OF_BUCKETS", "OFPGMFC_CHAINING_UNSUPPORTED", "OFPGMFC_WATCH_UNSUPPORTED", "OFPGMFC_LOOP",
     "OFPGMFC_UNKNOWN_GROUP", "OFPGMFC_CHAINED_GROUP", "OFPGMFC_BAD_TYPE", "OFPGMFC_BAD_COMMAND",
     "OFPGMFC_BAD_BUCKET", "OFPGMFC_BAD_WATCH", "OFPGMFC_EPERM", "OFPGMFC_UNKNOWN_BUCKET",
     "OFPGMFC_BUCKET_EXISTS"},
    {"OFPPMFC_BAD_PORT", "OFPPMFC_BAD_HW_ADDR", "OFPPMFC_BAD_CONFIG", "OFPPMFC_BAD_ADVERTISE", "OFPPMFC_EPERM"},
    {"OFPTMFC_BAD_TABLE", "OFPTMFC_BAD_CONFIG", "OFPTMFC_EPERM"},
    {"OFPQOFC_BAD_PORT", "OFPQOFC_BAD_QUEUE", "OFPQOFC_EPERM"},
    {"OFPSCFC_BAD_FLAGS", "OFPSCFC_BAD_LEN", "OFPSCFC_EPERM"},
    {"OFPRRFC_STALE", "OFPRRFC_UNSUP", "OFPRRFC_BAD_ROLE", "OFPRRFC_ID_UNSUP", "OFPRRFC_ID_IN_USE"},
    {"OFPMMFC_UNKNOWN", "OFPMMFC_METER_EXISTS", "OFPMMFC_INVALID_METER", "OFPMMFC_UNKNOWN_METER",
     "OFPMMFC_BAD_COMMAND", "OFPMMFC_BAD_FLAGS", "OFPMMFC_BAD_RATE", "OFPMMFC_BAD_BURST", "OFPMMFC_BAD_BAND",
     "OFPMMFC_BAD_BAND_VALUE", "OFPMMFC_OUT_OF_METERS", "OFPMMFC_OUT_OF_BANDS"},
    {"OFPTFFC_BAD_TABLE", "OFPTFFC_BAD_METADATA", "OFPTFFC_BAD_TYPE", "OFPTFFC_BAD_LEN", "OFPTFFC_BAD_ARGUMENT",
     "OFPTFFC_EPERM"},
    {"OFPBPC_BAD_TYPE", "OFPBPC_BAD_LEN", "OFPBPC_BAD_VALUE", "OFPBPC_TOO_MANY", "OFPBPC_DUP_TYPE",
     "OFPBPC_BAD_EXPERIMENTER", "OFPBPC_BAD_EXP_TYPE", "OFPBPC_BAD_EXP_VALUE", "OFPBPC_EPERM"},
    {"OFPACFC_INVALID", "OFPACFC_UNSUPPORTED", "OFPACFC_EPERM"},
    {"OFPMOFC_UNKNOWN", "OFPMOFC_MONITOR_EXISTS", "OFPMOFC_INVALID_MONITOR", "OFPMOFC_UNKNOWN_MONITOR",
     "OFPMOFC_BAD_COMMAND", "OFPMOFC_BAD_FLAGS", "OFPMOFC_BAD_TABLE_ID", "OFPMOFC_BAD_OUT"},
    {"OFPBFC_UNKNOWN", "OFPBFC_EPERM", "OFPBFC_BAD_ID", "OFPBFC_BUNDLE_EXIST", "OFPBFC_BUNDLE_CLOSED",
     "OFPBFC_OUT_OF_BUNDLES", "OFPBFC_BAD_TYPE", "OFPBFC_BAD_FLAGS", "OFPBFC_MSG_BAD_LEN", "OFPBFC_MSG_BAD_XID",
     "OFPBFC_MSG_UNSUP", "OFPBFC_MSG_CONFLICT", "OFPBFC_MSG_TOO_MANY", "OFPBFC_MSG_FAILED", "OFPBFC_TIMEOUT",
     "OFPBFC_BUNDLE_IN_PROGRESS", "OFPBFC_SCHED_NOT_SUPPORTED", "OFPBFC_SCHED_FUTURE", "OFPBFC_SCHED_PAST"}};
static const char *const err_types_10[] = {"HELLO_FAILED",    "BAD_REQUEST",     "BAD_ACTION",
                                           "FLOW_MOD_FAILED", "PORT_MOD_FAILED", "QUEUE_OP_FAILED"};
static const char *const err_codes_10[][10] = {
    {"OFPHFC_INCOMPATIBLE", "OFPHFC_EPERM"},
    {"OFPBRC_BAD_VERSION", "OFPBRC_BAD_TYPE", "OFPBRC_BAD_STAT", "OFPBRC_BAD_VENDOR", "OFPBRC_BAD_SUBTYPE",
     "OFPBRC_EPERM", "OFPBRC_BAD_LEN", "OFPBRC_BUFFER_EMPTY", "OFPBRC_BUFFER_UNKNOWN"},
    {"OFPBAC_BAD_TYPE", "OFPBAC_BAD_LEN", "OFPBAC_BAD_VENDOR", "OFPBAC_BAD_VENDOR_TYPE", "OFPBAC_BAD_OUT_PORT",
     "OFPBAC_BAD_ARGUMENT", "OFPBAC_EPERM", "OFPBAC_TOO_MANY", "OFPBAC_BAD_QUEUE"},
    {"OFPFMFC_ALL_TABLES_FULL", "OFPFMFC_OVERLAP", "OFPFMFC_EPERM", "OFPFMFC_BAD_EMERG_TIMEOUT",
     "OFPFMFC_BAD_COMMAND", "OFPFMFC_UNSUPPORTED"},
    {"OFPPMFC_BAD_PORT", "OFPPMFC_BAD_HW_ADDR"},
    {"OFPQOFC_BAD_PORT", "OFPQOFC_BAD_QUEUE", "OFPQOFC_EPERM"}};

static void print_error_name(FILE *f, uint8_t version, uint64_t type, uint64_t code)
{
    const char *tn = NULL, *cn = NULL;
    if (version == KEN_OFP10) {
        if (type < N(err_types_10)) {
            tn = err_types_10[type];
            cn = code < N(err_codes_10[0]) ? err_codes_10[type][code] : NULL;
        }
    } else if (type < N(err_types)) {
        tn = err_types[type];
        cn = code < N(err_codes[0]) ? err_codes[type][code] : NULL;
    }
    if (cn)
        fputs(cn, f);
    else if (tn)
        fprintf(f, "OFPET_%s code=%" PRIu64, tn, code);
    else
        fprintf(f, "type=%" PRIu64 " code=%" PRIu64, type, code);
}

/* ---- small helpers ---- */

static bool is(const char *a, const char *b) { return a && b && !strcmp(a, b); }

static json_object *get(json_object *o, const char *k)
{
    json_object *v = NULL;
    return o && json_object_is_type(o, json_type_object) && json_object_object_get_ex(o, k, &v) ? v : NULL;
}

static uint64_t num(json_object *v) { return (uint64_t)json_object_get_uint64(v); }

/* {"Class": {...}}: the class and its body, or false. */
static bool unwrap(json_object *v, const char **cls, json_object **body)
{
    if (!v || !json_object_is_type(v, json_type_object) || json_object_object_length(v) != 1)
        return false;
    json_object_object_foreach(v, k, b)
    {
        if (!json_object_is_type(b, json_type_object) || !isupper((unsigned char)k[0]))
            return false;
        *cls = k;
        *body = b;
    }
    return true;
}

static int b64val(int c)
{
    if (c >= 'A' && c <= 'Z')
        return c - 'A';
    if (c >= 'a' && c <= 'z')
        return c - 'a' + 26;
    if (c >= '0' && c <= '9')
        return c - '0' + 52;
    return c == '+' ? 62 : c == '/' ? 63 : -1;
}

/* OS-Ken's base64 bytes; false if not base64. */
static bool unbase64(const char *s, struct ken_buf *out)
{
    uint32_t acc = 0;
    int bits = 0;
    for (; *s && *s != '='; s++) {
        int x = b64val((unsigned char)*s);
        if (x < 0)
            return false;
        acc = acc << 6 | (uint32_t)x;
        if ((bits += 6) >= 8) {
            bits -= 8;
            ken_buf_put8(out, (uint8_t)(acc >> bits));
        }
    }
    return true;
}

void ofp_text_hexdump(FILE *f, const uint8_t *p, size_t n, int indent)
{
    for (size_t off = 0; off < n; off += 16) {
        fprintf(f, "%*s%08zx ", indent, "", off);
        for (size_t i = 0; i < 16; i++) {
            if (off + i < n)
                fprintf(f, "%s%02x", i == 8 ? "-" : " ", p[off + i]);
            else
                fputs("   ", f);
        }
        fputs(" |", f);
        for (size_t i = 0; i < 16 && off + i < n; i++)
            fputc(isprint(p[off + i]) ? p[off + i] : '.', f);
        fputs("|\n", f);
    }
}

/* A string value, quoted when it would not read as one word. */
static void print_string(FILE *f, const char *s)
{
    bool plain = *s != '\0';
    for (const char *q = s; *q; q++)
        if (isspace((unsigned char)*q) || *q == ',' || *q == '"' || *q == '(' || *q == ')' || *q == '=')
            plain = false;
    if (plain) {
        fputs(s, f);
        return;
    }
    fputc('"', f);
    for (const char *q = s; *q; q++)
        if (*q == '"' || *q == '\\')
            fprintf(f, "\\%c", *q);
        else if ((unsigned char)*q < 0x20)
            fprintf(f, "\\x%02x", (unsigned char)*q);
        else
            fputc(*q, f);
    fputc('"', f);
}

/* "OFPActionSetMplsTtl" -> "set_mpls_ttl" (the prefix named, if present). */
static void print_snake(FILE *f, const char *cls, const char *prefix)
{
    size_t pl = strlen(prefix);
    if (!strncmp(cls, prefix, pl) && cls[pl])
        cls += pl;
    else if (!strncmp(cls, "OFP", 3) && cls[3])
        cls += 3;
    for (const char *q = cls; *q; q++) {
        if (isupper((unsigned char)*q)) {
            if (q != cls && (!isupper((unsigned char)q[-1]) || (q[1] && islower((unsigned char)q[1]))))
                fputc('_', f);
            fputc(tolower((unsigned char)*q), f);
        } else
            fputc(*q, f);
    }
}

/* ---- packets ---- */

static void print_mac(FILE *f, const uint8_t *m)
{
    fprintf(f, "%02x:%02x:%02x:%02x:%02x:%02x", m[0], m[1], m[2], m[3], m[4], m[5]);
}
static void print_ip4(FILE *f, const uint8_t *a) { fprintf(f, "%u.%u.%u.%u", a[0], a[1], a[2], a[3]); }
static void print_ip6(FILE *f, const uint8_t *a)
{
    for (int i = 0; i < 16; i += 2)
        fprintf(f, "%s%x", i ? ":" : "", a[i] << 8 | a[i + 1]);
}

/* The frame as one line of layers: "ethernet(...) ipv4(...) tcp(...)". */
static void print_packet(FILE *f, const uint8_t *frame, size_t len, int indent)
{
    struct ken_pkt pkt;
    int err = ken_pkt_parse(frame, len, &pkt);
    if (err && !pkt.n) {
        fprintf(f, "not an Ethernet frame (%zu bytes)\n", len);
        ofp_text_hexdump(f, frame, len, indent);
        return;
    }
    for (size_t i = 0; i < pkt.n; i++) {
        const struct ken_pkt_layer *l = &pkt.l[i];
        if (i)
            fputc(' ', f);
        fputs(ken_pkt_proto_name(l), f);
        switch (l->proto) {
        case KEN_PKT_ETHERNET:
            fputs("(src=", f), print_mac(f, l->u.eth.src), fputs(",dst=", f), print_mac(f, l->u.eth.dst);
            fprintf(f, ",type=0x%04x)", l->u.eth.ethertype);
            break;
        case KEN_PKT_VLAN:
        case KEN_PKT_SVLAN:
            fprintf(f, "(vid=%u,pcp=%u,type=0x%04x)", l->u.vlan.vid, l->u.vlan.pcp, l->u.vlan.ethertype);
            break;
        case KEN_PKT_MPLS:
            fprintf(f, "(label=%u,tc=%u,bos=%u,ttl=%u)", l->u.mpls.label, l->u.mpls.exp, l->u.mpls.bsb, l->u.mpls.ttl);
            break;
        case KEN_PKT_ARP:
            fprintf(f, "(op=%u,sha=", l->u.arp.opcode), print_mac(f, l->u.arp.src_mac), fputs(",spa=", f);
            print_ip4(f, l->u.arp.src_ip), fputs(",tha=", f), print_mac(f, l->u.arp.dst_mac), fputs(",tpa=", f);
            print_ip4(f, l->u.arp.dst_ip), fputc(')', f);
            break;
        case KEN_PKT_IPV4:
            fputs("(src=", f), print_ip4(f, l->u.ipv4.src), fputs(",dst=", f), print_ip4(f, l->u.ipv4.dst);
            fprintf(f, ",proto=%u,tos=%u,ttl=%u)", l->u.ipv4.proto, l->u.ipv4.tos, l->u.ipv4.ttl);
            break;
        case KEN_PKT_IPV6:
            fputs("(src=", f), print_ip6(f, l->u.ipv6.src), fputs(",dst=", f), print_ip6(f, l->u.ipv6.dst);
            fprintf(f, ",nxt=%u,hlim=%u)", l->u.ipv6.nxt, l->u.ipv6.hop_limit);
            break;
        case KEN_PKT_ICMP:
        case KEN_PKT_ICMPV6:
            fprintf(f, "(type=%u,code=%u)", l->u.icmp.type, l->u.icmp.code);
            break;
        case KEN_PKT_TCP:
            fprintf(f, "(src=%u,dst=%u,flags=0x%02x)", l->u.tcp.src_port, l->u.tcp.dst_port, l->u.tcp.bits);
            break;
        case KEN_PKT_UDP:
            fprintf(f, "(src=%u,dst=%u)", l->u.udp.src_port, l->u.udp.dst_port);
            break;
        case KEN_PKT_SCTP:
            fprintf(f, "(src=%u,dst=%u)", l->u.sctp.src_port, l->u.sctp.dst_port);
            break;
        case KEN_PKT_RAW: {
            bool zero = true;
            for (size_t k = 0; k < l->hdr_len; k++)
                zero = zero && !frame[l->off + k];
            fprintf(f, "(%u bytes%s)", l->hdr_len, zero ? ", zeros" : "");
            break;
        }
        default:
            fprintf(f, "(%u bytes)", l->hdr_len);
            break;
        }
    }
    if (err)
        fprintf(f, " (malformed from byte %u)", (unsigned)pkt.bad_off);
    fputc('\n', f);
}

/* ---- matches, actions, instructions ---- */

static void print_oxm_value(FILE *f, const char *field, json_object *v)
{
    if (json_object_is_type(v, json_type_string))
        print_string(f, json_object_get_string(v));
    else if (json_object_is_type(v, json_type_int)) {
        uint64_t x = num(v);
        if (is(field, "eth_type"))
            fprintf(f, "0x%04" PRIx64, x);
        else if (is(field, "metadata") || is(field, "tunnel_id") || is(field, "pbb_isid"))
            fprintf(f, "0x%" PRIx64, x);
        else
            fprintf(f, "%" PRIu64, x);
    } else
        fputs(json_object_to_json_string_ext(v, JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE), f);
}

/* One OXMTlv as field=value[/mask]. */
static void print_oxm(struct ctx *c, FILE *f, json_object *tlv)
{
    const char *cls;
    json_object *b;
    if (!unwrap(tlv, &cls, &b)) {
        print_value(c, f, NULL, NULL, tlv);
        return;
    }
    json_object *fld = get(b, "field"), *val = get(b, "value"), *mask = get(b, "mask");
    const char *name = fld ? json_object_get_string(fld) : "?";
    fprintf(f, "%s=", name);
    if (is(name, "in_port") && val && json_object_is_type(val, json_type_int) && port_name(c->version, num(val)))
        fputs(port_name(c->version, num(val)), f);
    else if (val)
        print_oxm_value(f, name, val);
    if (mask && !json_object_is_type(mask, json_type_null)) {
        fputc('/', f);
        print_oxm_value(f, name, mask);
    }
}

/* 1.0 wildcard bits (OFPFW_*) and the fields they leave out. */
static void print_match10(struct ctx *c, FILE *f, json_object *b)
{
    static const struct {
        const char *field;
        uint32_t bit;
    } bits[] = {{"in_port", 1},     {"dl_vlan", 2},       {"dl_src", 4},    {"dl_dst", 8},
                {"dl_type", 0x10},  {"nw_proto", 0x20},   {"tp_src", 0x40}, {"tp_dst", 0x80},
                {"nw_src", 0},      {"nw_dst", 0},        {"dl_vlan_pcp", 0x100000}, {"nw_tos", 0x200000}};
    uint32_t w = (uint32_t)num(get(b, "wildcards"));
    bool any = false;
    for (size_t i = 0; i < N(bits); i++) {
        json_object *v = get(b, bits[i].field);
        if (!v)
            continue;
        unsigned prefix = 32;
        if (is(bits[i].field, "nw_src") || is(bits[i].field, "nw_dst")) {
            unsigned wild = (w >> (is(bits[i].field, "nw_src") ? 8 : 14)) & 0x3f;
            if (wild >= 32)
                continue;
            prefix = 32 - wild;
        } else if (w & bits[i].bit)
            continue;
        fprintf(f, "%s%s=", any ? "," : "", bits[i].field);
        any = true;
        if (is(bits[i].field, "in_port") && port_name(c->version, num(v)))
            fputs(port_name(c->version, num(v)), f);
        else if (is(bits[i].field, "dl_type"))
            fprintf(f, "0x%04" PRIx64, num(v));
        else
            print_oxm_value(f, bits[i].field, v);
        if (prefix < 32)
            fprintf(f, "/%u", prefix);
    }
    if (!any)
        fputs("any", f);
}

static void print_match(struct ctx *c, FILE *f, json_object *m)
{
    const char *cls;
    json_object *b;
    if (!unwrap(m, &cls, &b)) {
        print_value(c, f, NULL, NULL, m);
        return;
    }
    json_object *fields = get(b, "oxm_fields");
    if (!fields) {
        if (get(b, "wildcards"))
            print_match10(c, f, b);
        else
            print_fields(c, f, cls, b, ",");
        return;
    }
    size_t n = json_object_array_length(fields);
    if (!n)
        fputs("any", f);
    for (size_t i = 0; i < n; i++) {
        if (i)
            fputc(',', f);
        print_oxm(c, f, json_object_array_get_idx(fields, i));
    }
}

/* An action's framing: its type and length, and a Nicira action's vendor
 * id and subtype (its class names it). */
static bool action_key_skip(const char *cls, const char *k)
{
    if (!strcmp(k, "type") || !strcmp(k, "len"))
        return true;
    return !strncmp(cls, "NXAction", 8) && strcmp(cls, "NXActionUnknown") &&
           (!strcmp(k, "subtype") || !strcmp(k, "vendor") || !strcmp(k, "experimenter"));
}

static void print_action(struct ctx *c, FILE *f, json_object *a)
{
    const char *cls;
    json_object *b;
    if (!unwrap(a, &cls, &b)) {
        print_value(c, f, NULL, NULL, a);
        return;
    }
    if (is(cls, "OFPActionOutput")) {
        uint64_t port = num(get(b, "port"));
        const char *pn = port_name(c->version, port);
        if (pn && !strcmp(pn, "CONTROLLER"))
            fprintf(f, "CONTROLLER:%" PRIu64, num(get(b, "max_len")));
        else if (pn)
            fputs(pn, f);
        else
            fprintf(f, "output:%" PRIu64, port);
        return;
    }
    if (is(cls, "OFPActionSetField")) {
        json_object *fb;
        const char *fc;
        if (unwrap(get(b, "field"), &fc, &fb) && get(fb, "field")) {
            fputs("set_field:", f);
            json_object *val = get(fb, "value"), *mask = get(fb, "mask");
            if (val)
                print_oxm_value(f, json_object_get_string(get(fb, "field")), val);
            if (mask && !json_object_is_type(mask, json_type_null))
                fputc('/', f), print_oxm_value(f, json_object_get_string(get(fb, "field")), mask);
            fprintf(f, "->%s", json_object_get_string(get(fb, "field")));
            return;
        }
    }
    if (!strcmp(cls, "NXActionUnknown"))
        fputs("nx_unknown", f);
    else
        print_snake(f, cls, strncmp(cls, "NX", 2) ? "OFPAction" : "NXAction");
    /* the arguments: one as name:value, more as name(k=v,...) */
    int nargs = 0;
    json_object_object_foreach(b, k, v)
    {
        (void)v;
        nargs += !action_key_skip(cls, k);
    }
    if (!nargs)
        return;
    if (nargs == 1) {
        json_object_object_foreach(b, k1, v1)
        {
            if (!action_key_skip(cls, k1)) {
                fputc(':', f);
                print_value(c, f, cls, k1, v1);
            }
        }
        return;
    }
    fputc('(', f);
    print_fields(c, f, cls, b, ",");
    fputc(')', f);
}

static void print_actions(struct ctx *c, FILE *f, json_object *list)
{
    size_t n = json_object_is_type(list, json_type_array) ? json_object_array_length(list) : 0;
    if (!n)
        fputs("drop", f);
    for (size_t i = 0; i < n; i++) {
        if (i)
            fputc(',', f);
        print_action(c, f, json_object_array_get_idx(list, i));
    }
}

/* Instructions as OVS writes them after actions=: apply-actions' actions
 * as they are, the others by name. */
static void print_instructions(struct ctx *c, FILE *f, json_object *list)
{
    size_t n = json_object_is_type(list, json_type_array) ? json_object_array_length(list) : 0;
    if (!n)
        fputs("drop", f);
    for (size_t i = 0; i < n; i++) {
        const char *cls;
        json_object *b;
        if (i)
            fputc(',', f);
        if (!unwrap(json_object_array_get_idx(list, i), &cls, &b)) {
            print_value(c, f, NULL, NULL, json_object_array_get_idx(list, i));
            continue;
        }
        uint64_t type = num(get(b, "type"));
        if (is(cls, "OFPInstructionActions")) {
            /* OFPIT_WRITE_ACTIONS 3, APPLY_ACTIONS 4, CLEAR_ACTIONS 5 */
            if (type == 4)
                print_actions(c, f, get(b, "actions"));
            else if (type == 5)
                fputs("clear_actions", f);
            else {
                fputs(type == 3 ? "write_actions(" : "actions(", f);
                print_actions(c, f, get(b, "actions"));
                fputc(')', f);
            }
        } else if (is(cls, "OFPInstructionGotoTable")) {
            fprintf(f, "goto_table:%" PRIu64, num(get(b, "table_id")));
        } else if (is(cls, "OFPInstructionWriteMetadata")) {
            fprintf(f, "write_metadata:0x%" PRIx64 "/0x%" PRIx64, num(get(b, "metadata")),
                    num(get(b, "metadata_mask")));
        } else if (is(cls, "OFPInstructionMeter")) {
            fprintf(f, "meter:%" PRIu64, num(get(b, "meter_id")));
        } else {
            print_snake(f, cls, "OFPInstruction");
            fputc('(', f);
            print_fields(c, f, cls, b, ",");
            fputc(')', f);
        }
    }
}

/* ---- generic values ---- */

static const char *int_name(struct ctx *c, const char *owner, const char *key, uint64_t v)
{
#define T(tab) lookup(tab, N(tab), v)
    if (is(key, "port") || is(key, "port_no") || is(key, "in_port") || is(key, "out_port"))
        return port_name(c->version, v);
    if (is(key, "group_id") || is(key, "out_group") || is(key, "watch_group"))
        return T(group_ids);
    if (is(key, "meter_id"))
        return T(meter_ids);
    if (is(key, "table_id") && v == 0xff)
        return "ALL";
    if (is(key, "queue_id") && v == 0xffffffff)
        return "ALL";
    if (is(key, "buffer_id") && v == KEN_OFP_NO_BUFFER)
        return "none";
    if (is(key, "reason")) {
        if (is(owner, "OFPPacketIn"))
            return T(packet_in_reasons);
        if (is(owner, "OFPFlowRemoved"))
            return T(flow_removed_reasons);
        if (is(owner, "OFPPortStatus"))
            return T(port_reasons);
        if (is(owner, "OFPRoleStatus"))
            return T(role_status_reasons);
        if (is(owner, "OFPTableStatus"))
            return T(table_status_reasons);
    }
    if (is(key, "command")) {
        if (is(owner, "OFPFlowMod"))
            return T(flow_mod_commands);
        if (is(owner, "OFPGroupMod"))
            return T(group_mod_commands);
        if (is(owner, "OFPMeterMod"))
            return T(meter_mod_commands);
    }
    if (is(key, "role"))
        return T(roles);
    if (is(key, "type") && (is(owner, "OFPGroupMod") || is(owner, "OFPGroupDescStats") || is(owner, "OFPGroupDesc")))
        return T(group_types);
    if (is(key, "type") && is(owner, "OFPBundleCtrlMsg"))
        return T(bundle_ctrl_types);
#undef T
    return NULL;
}

/* Keys whose value is a set of bits with names. */
static bool print_int_bits(struct ctx *c, FILE *f, const char *owner, const char *key, uint64_t v)
{
    bool v10 = c->version == KEN_OFP10;
    if (is(key, "state") && (is(owner, "OFPPort") || is(owner, "OFPPhyPort"))) {
        if (v10) {
            /* 1.0: LINK_DOWN, and the STP state in bits 8-9 (STP_LISTEN is
             * 0, shown as nothing, as ovs-ofctl does); other bits ignored */
            static const char *const stp[] = {NULL, "STP_LEARN", "STP_FORWARD", "STP_BLOCK"};
            const char *st = stp[(v >> 8) & 3];
            if (!(v & 1) && !st)
                fputs("0", f);
            else
                fprintf(f, "%s%s%s", v & 1 ? "LINK_DOWN" : "", v & 1 && st ? "|" : "", st ? st : "");
        } else
            print_bits(f, port_state, N(port_state), v);
        return true;
    }
    if ((is(key, "config") || is(key, "mask")) && (is(owner, "OFPPort") || is(owner, "OFPPhyPort") || is(owner, "OFPPortMod"))) {
        v10 ? print_bits(f, port_config_10, N(port_config_10), v) : print_bits(f, port_config, N(port_config), v);
        return true;
    }
    bool port_owner = is(owner, "OFPPort") || is(owner, "OFPPhyPort") || is(owner, "OFPPortDescPropEthernet") ||
                      is(owner, "OFPPortMod") || is(owner, "OFPPortModPropEthernet");
    if (port_owner && (is(key, "curr") || is(key, "advertised") || is(key, "supported") || is(key, "peer") ||
                       is(key, "advertise"))) {
        v10 ? print_bits(f, port_features_10, N(port_features_10), v)
            : print_bits(f, port_features, N(port_features), v);
        return true;
    }
    if (is(key, "capabilities") && is(owner, "OFPSwitchFeatures")) {
        v10 ? print_bits(f, capabilities_10, N(capabilities_10), v) : print_bits(f, capabilities, N(capabilities), v);
        return true;
    }
    if (is(key, "flags")) {
        if (is(owner, "OFPFlowMod") || is(owner, "OFPFlowStats") || is(owner, "OFPFlowDesc")) {
            v10 ? print_bits(f, flow_mod_flags_10, N(flow_mod_flags_10), v)
                : print_bits(f, flow_mod_flags, N(flow_mod_flags), v);
            return true;
        }
        if (is(owner, "OFPMeterMod") || is(owner, "OFPMeterConfigStats") || is(owner, "OFPMeterDesc")) {
            print_bits(f, meter_flags, N(meter_flags), v);
            return true;
        }
        if (is(owner, "OFPBundleCtrlMsg") || is(owner, "OFPBundleAddMsg")) {
            print_bits(f, bundle_flags, N(bundle_flags), v);
            return true;
        }
    }
    return false;
}

static void print_data(struct ctx *c, FILE *f, const char *owner, const char *s)
{
    struct ken_buf d = KEN_BUF_INIT;
    if (!unbase64(s, &d)) {
        print_string(f, s);
        ken_buf_free(&d);
        return;
    }
    if (!d.len)
        fputs("\"\"", f);
    else if (d.len <= 16 && owner != c->cls) {
        fputs("0x", f);
        for (size_t i = 0; i < d.len; i++)
            fprintf(f, "%02x", d.data[i]);
    } else {
        fprintf(f, "(%zu bytes)", d.len);
        if (owner == c->cls)
            ofp_text_hexdump(c->more, d.data, d.len, c->indent);
        else {
            fputs("0x", f);
            for (size_t i = 0; i < d.len; i++)
                fprintf(f, "%02x", d.data[i]);
        }
    }
    ken_buf_free(&d);
}

static void print_value(struct ctx *c, FILE *f, const char *owner, const char *key, json_object *v)
{
    if (!v || json_object_is_type(v, json_type_null)) {
        fputs("none", f);
        return;
    }
    if (is(key, "match")) {
        print_match(c, f, v);
        return;
    }
    if (is(key, "actions") && json_object_is_type(v, json_type_array) &&
        (!json_object_array_length(v) || json_object_is_type(json_object_array_get_idx(v, 0), json_type_object))) {
        print_actions(c, f, v);
        return;
    }
    if (is(key, "instructions")) {
        print_instructions(c, f, v);
        return;
    }
    if (json_object_is_type(v, json_type_int)) {
        uint64_t x = num(v);
        const char *name = int_name(c, owner, key, x);
        if (name)
            fputs(name, f);
        else if (print_int_bits(c, f, owner, key, x))
            ;
        else if (key && (strstr(key, "cookie") || is(key, "metadata") || is(key, "metadata_mask") ||
                         is(key, "experimenter") || strstr(key, "mask") || is(key, "generation_id")))
            fprintf(f, "0x%" PRIx64, x);
        else if (is(key, "datapath_id"))
            fprintf(f, "%016" PRIx64, x);
        else if (is(key, "ethertype") || is(key, "dl_type") || is(key, "eth_type"))
            fprintf(f, "0x%04" PRIx64, x);
        else if (json_object_get_int64(v) < 0)
            fprintf(f, "%" PRId64, json_object_get_int64(v));
        else
            fprintf(f, "%" PRIu64, x);
        return;
    }
    if (json_object_is_type(v, json_type_string)) {
        if (is(key, "data") || is(key, "experimenter_data"))
            print_data(c, f, owner, json_object_get_string(v));
        else
            print_string(f, json_object_get_string(v));
        return;
    }
    if (json_object_is_type(v, json_type_array)) {
        fputc('[', f);
        for (size_t i = 0; i < json_object_array_length(v); i++) {
            if (i)
                fputc(',', f);
            print_value(c, f, owner, NULL, json_object_array_get_idx(v, i));
        }
        fputc(']', f);
        return;
    }
    const char *cls;
    json_object *b;
    if (unwrap(v, &cls, &b)) {
        if (is(cls, "OXMTlv")) {
            print_oxm(c, f, v);
            return;
        }
        print_snake(f, cls, "OFP");
        fputc('(', f);
        print_fields(c, f, cls, b, ",");
        fputc(')', f);
        return;
    }
    if (json_object_is_type(v, json_type_object)) {
        fputc('{', f);
        print_fields(c, f, owner, v, ",");
        fputc('}', f);
        return;
    }
    fputs(json_object_to_json_string_ext(v, JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE), f);
}

/* Keys that only restate the wire's framing (the class says the type). */
static bool action_key_skip(const char *cls, const char *k);

static bool skip_key(const char *owner, const char *key, bool top)
{
    if (owner && !strncmp(owner, "NXAction", 8) && action_key_skip(owner, key))
        return true;
    if (owner && !strncmp(owner, "NXT", 3) && (is(key, "vendor") || is(key, "experimenter") || is(key, "subtype")))
        return true;
    if (is(key, "len") || is(key, "length") || is(key, "pad") || is(key, "zero") || is(key, "actions_len"))
        return true;
    if (is(key, "type"))
        return !(is(owner, "OFPGroupMod") || is(owner, "OFPGroupDescStats") || is(owner, "OFPGroupDesc") ||
                 is(owner, "OFPBundleCtrlMsg") || is(owner, "OFPErrorMsg") || (top && !strstr(owner, "Stats")));
    return false;
}

/* A flow's field at its default, which ovs-ofctl leaves out too: no
 * timeouts, flags, importance or cookie mask; a flow-mod's out port and
 * group ANY and no buffer. */
static bool flow_default(struct ctx *c, const char *owner, const char *key, json_object *v)
{
    bool flow = is(owner, "OFPFlowMod") || is(owner, "OFPFlowStats") || is(owner, "OFPFlowRemoved") ||
                is(owner, "OFPFlowDesc");
    if (!flow || !json_object_is_type(v, json_type_int))
        return false;
    uint64_t x = num(v);
    if (is(key, "idle_timeout") || is(key, "hard_timeout") || is(key, "flags") || is(key, "importance") ||
        is(key, "cookie_mask"))
        return x == 0;
    if (is(owner, "OFPFlowMod") && (is(key, "out_port") || is(key, "out_group") || is(key, "buffer_id"))) {
        const char *n = int_name(c, owner, key, x);
        return n && (!strcmp(n, "ANY") || !strcmp(n, "NONE") || !strcmp(n, "none"));
    }
    return false;
}

/* The body's fields as key=value, separated by sep. */
static void print_fields(struct ctx *c, FILE *f, const char *owner, json_object *body, const char *sep)
{
    bool top = body == c->top, first = !top; /* the top level: a space before each field */
    json_object *nsec = get(body, "duration_nsec");
    json_object_object_foreach(body, k, v)
    {
        if (skip_key(owner, k, top) || (is(k, "duration_nsec") && get(body, "duration_sec")) ||
            flow_default(c, owner, k, v))
            continue;
        if (top && is(k, "data") && json_object_is_type(v, json_type_string) && !*json_object_get_string(v))
            continue; /* no data */
        if (top && is(k, "flags") && (strstr(owner, "StatsRe") || strstr(owner, "Multipart"))) {
            if (num(v) & KEN_OFPMPF_REPLY_MORE) {
                fprintf(f, "%sflags=more", first ? "" : sep);
                first = false;
            }
            continue;
        }
        /* the lists of a multipart reply and the ports of a 1.0 features
         * reply: one entry a line */
        if (top && json_object_is_type(v, json_type_array) && json_object_array_length(v) &&
            (is(k, "body") || is(k, "ports") || is(k, "queues") || is(k, "buckets") || is(k, "bands") ||
             is(k, "properties"))) {
            fprintf(f, "%s%s=%zu", first ? "" : sep, k, json_object_array_length(v));
            first = false;
            for (size_t i = 0; i < json_object_array_length(v); i++) {
                json_object *e = json_object_array_get_idx(v, i), *eb;
                const char *ecls;
                fprintf(c->more, "%*s ", c->indent, "");
                if (unwrap(e, &ecls, &eb)) {
                    print_snake(c->more, ecls, "OFP");
                    fputc(' ', c->more);
                    print_fields(c, c->more, ecls, eb, " ");
                } else
                    print_value(c, c->more, owner, k, e);
                fputc('\n', c->more);
            }
            continue;
        }
        if (top && is(k, "ports") && json_object_is_type(v, json_type_object)) {
            /* 1.0's features reply: OS-Ken keys the ports by number */
            fprintf(f, "%sports=%d", first ? "" : sep, json_object_object_length(v));
            first = false;
            json_object_object_foreach(v, pk, pv)
            {
                json_object *eb;
                const char *ecls;
                (void)pk;
                fprintf(c->more, "%*s ", c->indent, "");
                if (unwrap(pv, &ecls, &eb)) {
                    print_snake(c->more, ecls, "OFP");
                    fputc(' ', c->more);
                    print_fields(c, c->more, ecls, eb, " ");
                } else
                    print_value(c, c->more, owner, k, pv);
                fputc('\n', c->more);
            }
            continue;
        }
        fprintf(f, "%s%s=", first ? "" : sep,
                strcmp(k, "instructions") ? (nsec && !strcmp(k, "duration_sec") ? "duration" : k) : "actions");
        first = false;
        if (is(k, "duration_sec") && nsec)
            fprintf(f, "%" PRIu64 ".%06" PRIu64 "s", num(v), num(nsec) / 1000);
        else
            print_value(c, f, owner, k, v);
    }
}

/* ---- messages ---- */

/* A Nicira message inside a vendor/experimenter one: its class and body. */
static bool nx_inner(json_object *json, const char **cls, json_object **body)
{
    const char *outer = NULL;
    json_object *b = NULL;
    return unwrap(json, &outer, &b) && (is(outer, "OFPVendor") || is(outer, "OFPExperimenter")) &&
           unwrap(get(b, "data"), cls, body) && !strncmp(*cls, "NXT", 3) && (*cls)[3];
}

void ofp_text_type_name(const uint8_t *msg, size_t len, json_object *json, char *out, size_t out_len)
{
    const char *nx;
    json_object *nxb;
    if (json && nx_inner(json, &nx, &nxb)) {
        /* NXTRoleRequest -> NXT_ROLE_REQUEST */
        size_t o = 0;
        for (const char *q = nx; *q && o + 3 < out_len; q++) {
            if (q > nx + 2 && isupper((unsigned char)*q))
                out[o++] = '_';
            out[o++] = (char)toupper((unsigned char)*q);
        }
        out[o] = '\0';
        return;
    }
    if (len < KEN_OFP_HEADER_LEN) {
        snprintf(out, out_len, "(%zu bytes)", len);
        return;
    }
    uint8_t version = msg[0], type = msg[1];
    const char *name = ken_ofp_version_supported(version) ? ken_ofp_type_name(version, type) : NULL;
    if (!name) {
        snprintf(out, out_len, "OFPT_UNKNOWN_%u", type);
        return;
    }
    bool req = !strcmp(name, "MULTIPART_REQUEST"), rep = !strcmp(name, "MULTIPART_REPLY");
    if ((req || rep) && len >= KEN_OFP_HEADER_LEN + 2) {
        uint16_t mp = (uint16_t)(msg[8] << 8 | msg[9]);
        const char *mpn = ken_ofp_mp_type_name(version, mp);
        if (mp == 0xffff)
            mpn = "EXPERIMENTER";
        if (is(mpn, "PORT_STATS"))
            mpn = "PORT";
        if (mpn)
            snprintf(out, out_len, "OFPST_%s %s", mpn, req ? "request" : "reply");
        else
            snprintf(out, out_len, "OFPST_UNKNOWN_%u %s", mp, req ? "request" : "reply");
        return;
    }
    if (version == KEN_OFP10 && !strcmp(name, "EXPERIMENTER"))
        name = "VENDOR";
    snprintf(out, out_len, "OFPT_%s", name);
}

static void print_hello(struct ctx *c, FILE *f, json_object *b)
{
    json_object *elems = get(b, "elements");
    size_t n = elems ? json_object_array_length(elems) : 0;
    bool any = false;
    for (size_t i = 0; i < n; i++) {
        const char *cls;
        json_object *eb, *vs;
        if (unwrap(json_object_array_get_idx(elems, i), &cls, &eb) && (vs = get(eb, "versions"))) {
            fputs(any ? "," : " versions=", f);
            for (size_t j = 0; j < json_object_array_length(vs); j++)
            {
                uint64_t ver = num(json_object_array_get_idx(vs, j));
                if (ver >= KEN_OFP10 && ver <= KEN_OFP15)
                    fprintf(f, "%s%s", j ? "," : "", ken_ofp_version_name((uint8_t)ver));
                else
                    fprintf(f, "%s0x%02" PRIx64, j ? "," : "", ver);
            }
            any = true;
        } else if (unwrap(json_object_array_get_idx(elems, i), &cls, &eb)) {
            fputc(' ', f);
            print_value(c, f, NULL, NULL, json_object_array_get_idx(elems, i));
        }
    }
}

static void print_port_status(struct ctx *c, FILE *f, json_object *b)
{
    fputs(" reason=", f);
    print_value(c, f, c->cls, "reason", get(b, "reason"));
    const char *cls;
    json_object *pb;
    if (unwrap(get(b, "desc"), &cls, &pb)) {
        fputc(' ', f);
        print_fields(c, f, cls, pb, " ");
    }
    json_object_object_foreach(b, k, v)
    {
        if (strcmp(k, "reason") && strcmp(k, "desc")) {
            fprintf(f, " %s=", k);
            print_value(c, f, c->cls, k, v);
        }
    }
}

/* The data of an error: the offending message, decoded when it can be. */
static void print_error(struct ctx *c, FILE *f, json_object *b)
{
    uint64_t type = num(get(b, "type")), code = num(get(b, "code"));
    fputc(' ', f);
    if (type == 0xffff)
        fprintf(f, "OFPET_EXPERIMENTER exp_type=%" PRIu64 " experimenter=0x%" PRIx64, num(get(b, "exp_type")),
                num(get(b, "experimenter")));
    else
        print_error_name(f, c->version, type, code);
    json_object *data = get(b, "data");
    struct ken_buf d = KEN_BUF_INIT;
    if (!data || !json_object_is_type(data, json_type_string) || !unbase64(json_object_get_string(data), &d)) {
        ken_buf_free(&d);
        return;
    }
    struct ken_ofp_header h;
    json_object *inner = NULL;
    char why[KEN_WHY_LEN];
    if (type != 0 && type != 0xffff && d.len >= KEN_OFP_HEADER_LEN && !ken_ofp_header_parse(d.data, d.len, &h) &&
        h.version == c->version) {
        int err = ken_ofp_to_json(d.data, d.len, &inner, why);
        fprintf(f, " data_len=%zu", d.len);
        if (inner && (!err || err == KEN_OFPBRC_BAD_LEN)) {
            /* a truncated message prints its header and what it kept */
            fprintf(c->more, "%*s%s", c->indent + 1, "", err ? "(truncated) " : "");
            ofp_text_print(c->more, d.data, d.len < h.length ? d.len : h.length, inner, c->indent + 1);
        } else
            ofp_text_hexdump(c->more, d.data, d.len, c->indent);
        if (inner)
            json_object_put(inner);
    } else if (d.len) {
        bool text = true;
        for (size_t i = 0; i < d.len; i++)
            text = text && (isprint(d.data[i]) || (d.data[i] == 0 && i == d.len - 1));
        if (text && type == 0) {
            fputs(" ", f);
            fwrite(d.data, 1, d.data[d.len - 1] ? d.len : d.len - 1, f);
        } else {
            fprintf(f, " data_len=%zu", d.len);
            ofp_text_hexdump(c->more, d.data, d.len, c->indent);
        }
    }
    ken_buf_free(&d);
}

static void print_packet_data(struct ctx *c, FILE *f, json_object *b)
{
    json_object *data = get(b, "data");
    json_object_object_foreach(b, k, v)
    {
        if (strcmp(k, "data") && !skip_key(c->cls, k, true)) {
            fprintf(f, " %s=", strcmp(k, "instructions") ? k : "actions");
            print_value(c, f, c->cls, k, v);
        }
    }
    struct ken_buf d = KEN_BUF_INIT;
    if (data && json_object_is_type(data, json_type_string) && unbase64(json_object_get_string(data), &d)) {
        fprintf(f, " data_len=%zu", d.len);
        if (d.len) {
            fprintf(c->more, "%*s", c->indent + 1, "");
            print_packet(c->more, d.data, d.len, c->indent + 1);
        }
    }
    ken_buf_free(&d);
}

void ofp_text_print(FILE *out, const uint8_t *msg, size_t len, json_object *json, int indent)
{
    char name[64];
    ofp_text_type_name(msg, len, json, name, sizeof name);
    struct ken_ofp_header h = {0};
    ken_ofp_header_parse(msg, len, &h);
    char *more_text = NULL;
    size_t more_len = 0;
    FILE *more = open_memstream(&more_text, &more_len);
    if (!more) {
        fprintf(out, "%s (out of memory)\n", name);
        return;
    }
    struct ctx c = {.version = h.version, .more = more, .indent = indent};
    FILE *f = out;
    fprintf(f, "%s", name);
    if (h.version != KEN_OFP10)
        fprintf(f, " (OF%s)", ken_ofp_version_name(h.version));
    fprintf(f, " (xid=0x%" PRIx32 "):", h.xid);
    const char *cls;
    json_object *b;
    if (!unwrap(json, &cls, &b)) {
        fputs(" ?\n", f);
        fclose(more);
        free(more_text);
        return;
    }
    c.cls = cls;
    c.top = b;
    const char *nx, *inner;
    json_object *nxb, *ib;
    if (is(cls, "OFPTruncatedMessage") && unwrap(b, &inner, &ib)) {
        /* what the decoder kept of a message cut short */
        c.cls = inner;
        c.top = ib;
        fprintf(f, " (truncated: %zu of %u bytes)", len, h.length);
        print_fields(&c, f, inner, ib, " ");
    } else if (nx_inner(json, &nx, &nxb)) {
        c.cls = nx;
        c.top = nxb;
        print_fields(&c, f, nx, nxb, " ");
    } else if (is(cls, "OFPHello"))
        print_hello(&c, f, b);
    else if (is(cls, "OFPPacketIn") || is(cls, "OFPPacketOut"))
        print_packet_data(&c, f, b);
    else if (is(cls, "OFPPortStatus"))
        print_port_status(&c, f, b);
    else if (is(cls, "OFPErrorMsg"))
        print_error(&c, f, b);
    else if (is(cls, "OFPSetConfig") || is(cls, "OFPGetConfigReply")) {
        uint64_t flags = num(get(b, "flags"));
        const char *fn = lookup(config_frag, N(config_frag), flags & 3);
        fprintf(f, " %s", fn ? fn : "frag=?");
        if ((uint64_t)(flags & ~3ull))
            fprintf(f, "|0x%" PRIx64, (uint64_t)(flags & ~3ull));
        fprintf(f, " miss_send_len=%" PRIu64, num(get(b, "miss_send_len")));
    } else if (json_object_object_length(b)) {
        /* an experimenter message's class says what it is */
        if (strstr(name, "EXPERIMENTER") || strstr(name, "VENDOR"))
            fprintf(f, " %s", cls);
        print_fields(&c, f, cls, b, " ");
    }
    fputc('\n', f);
    fclose(more);
    if (more_len)
        fwrite(more_text, 1, more_len, out);
    free(more_text);
}

/* ---- one field a line (-v) ---- */

static const char *verbose_top;

static void print_verbose(FILE *f, json_object *v, int depth, const char *key)
{
    int ind = depth * 2;
    const char *cls;
    json_object *body;
    if (unwrap(v, &cls, &body)) {
        fprintf(f, "%*s%s%s%s\n", ind, "", key ? key : "", key ? ": " : "", cls);
        json_object_object_foreach(body, k, sub) print_verbose(f, sub, depth + 1, k);
        return;
    }
    if (json_object_is_type(v, json_type_object)) {
        fprintf(f, "%*s%s:\n", ind, "", key ? key : "");
        json_object_object_foreach(v, k, sub) print_verbose(f, sub, depth + 1, k);
    } else if (json_object_is_type(v, json_type_array)) {
        size_t n = json_object_array_length(v);
        if (n == 0) {
            fprintf(f, "%*s%s: []\n", ind, "", key ? key : "");
            return;
        }
        fprintf(f, "%*s%s: (%zu)\n", ind, "", key ? key : "", n);
        for (size_t i = 0; i < n; i++)
            print_verbose(f, json_object_array_get_idx(v, i), depth + 1, NULL);
    } else {
        fprintf(f, "%*s%s%s", ind, "", key ? key : "", key ? "=" : "");
        if (json_object_is_type(v, json_type_string))
            fputs(json_object_get_string(v), f);
        else
            fputs(json_object_to_json_string_ext(v, JSON_C_TO_STRING_PLAIN), f);
        fputc('\n', f);
        struct ken_buf d = KEN_BUF_INIT;
        if (key && !strcmp(key, "data") && json_object_is_type(v, json_type_string) && verbose_top &&
            (!strcmp(verbose_top, "OFPPacketIn") || !strcmp(verbose_top, "OFPPacketOut")) &&
            unbase64(json_object_get_string(v), &d)) {
            struct ken_pkt pkt;
            int err = ken_pkt_parse(d.data ? d.data : (const uint8_t *)"", d.len, &pkt);
            ken_pkt_print(&pkt, f, (depth + 1) * 2);
            if (err && err != ENOSPC && !pkt.n)
                fprintf(f, "%*s(not an Ethernet frame: %zu bytes)\n", (depth + 1) * 2, "", d.len);
            else if (err)
                fprintf(f, "%*s(malformed from byte %u: %s)\n", (depth + 1) * 2, "", (unsigned)pkt.bad_off,
                        err == ENOSPC ? "too many layers" : "a bad or truncated header");
        }
        ken_buf_free(&d);
    }
}

void ofp_text_print_verbose(FILE *f, json_object *json)
{
    const char *cls = NULL;
    json_object *b;
    verbose_top = unwrap(json, &cls, &b) ? cls : NULL;
    print_verbose(f, json, 0, NULL);
}
