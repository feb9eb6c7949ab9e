/* ofctl-driver: ken's side of the ofctl oracle test.
 *
 * Reads cases, one JSON object per line (tests/rest/ofctl_cases/README.md
 * gives the format), from the file named on the command line or stdin,
 * and runs each through ken's module for its version exactly as the
 * ofctl_rest app does: build the messages, encode each with
 * ken_ofp_from_json, turn the case's replies into bytes, decode them with
 * ken_ofp_to_json and answer. Writes one JSON line per case:
 *   {"id": ..., "status": "ok" | "400" | "404" | "501",
 *    "why": "...", "requests": ["hex", ...], "replies": ["hex", ...],
 *    "answer": <the value under the dpid key>}
 * ofctl_compare.py hands the same reply bytes to OS-Ken (ofctl_oracle.py)
 * and compares. */
#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ken/buf.h"
#include "ken/ofp.h"
#include "rest/ofctl/flow_text.h"
#include "rest/ofctl/ofctl.h"

#define MAX_MSGS 64

/* --text-check: every flow-stats case also goes through the direct text
 * path (rest/ofctl/flow_text.h), which must give json-c's plain text of
 * {"1": answer} byte for byte wherever it answers, and answer nowhere the
 * general path fails. */
static int text_check;
static unsigned text_handled, text_declined, text_mismatch;

static void check_text(int version, const struct ofctl_args *a, struct ken_buf *raw, size_t n_raw,
                       enum ofctl_status st, struct json_object *answer, const char *id)
{
    const uint8_t *msgs[MAX_MSGS];
    size_t lens[MAX_MSGS];
    for (size_t i = 0; i < n_raw; i++) msgs[i] = raw[i].data, lens[i] = raw[i].len;
    struct ken_buf text = KEN_BUF_INIT;
    bool handled = ofctl_flow_text((uint8_t)version, a, 1, msgs, lens, n_raw, &text);
    if (!handled) {
        text_declined++;
        if (getenv("KEN_TEXT_CHECK_VERBOSE")) fprintf(stderr, "declined %s (%s)\n", id, st == OFCTL_OK ? "ok" : "failed");
        if (text.len) {
            text_mismatch++;
            fprintf(stderr, "TEXT MISMATCH %s: declined but left %zu bytes\n", id, text.len);
        }
        ken_buf_free(&text);
        return;
    }
    text_handled++;
    if (st != OFCTL_OK) {
        text_mismatch++;
        fprintf(stderr, "TEXT MISMATCH %s: the direct path answered where the general one failed\n", id);
    } else {
        struct json_object *o = json_object_new_object();
        json_object_object_add(o, "1", json_object_get(answer));
        size_t n;
        const char *want = json_object_to_json_string_length(o, JSON_C_TO_STRING_PLAIN, &n);
        if (n != text.len || memcmp(want, text.data, n)) {
            text_mismatch++;
            fprintf(stderr, "TEXT MISMATCH %s:\n  json: %s\n  text: %.*s\n", id, want, (int)text.len,
                    (const char *)text.data);
        }
        json_object_put(o);
    }
    ken_buf_free(&text);
}


static const char *get_str(struct json_object *o, const char *key)
{
    struct json_object *v;
    if (!o || !json_object_object_get_ex(o, key, &v) || !json_object_is_type(v, json_type_string)) return NULL;
    return json_object_get_string(v);
}

/* ofctl_rest turns "ALL" into "no value" for these path parts only (Ryu's
 * StatsController): port of port, queue, queueconfig, queuedesc stats; the
 * queue of queue and queuedesc; the meter id of the meter stats; the group
 * id of group stats. Group desc and port desc (1.5) get theirs as is. */
static const char *path_part(struct json_object *args, const char *key, int all_means_none)
{
    const char *s = get_str(args, key);
    if (s && all_means_none && strcmp(s, "ALL") == 0) return NULL;
    return s;
}

static struct json_object *hex_of(const uint8_t *p, size_t n)
{
    char *s = malloc(2 * n + 1);
    if (!s) abort();
    for (size_t i = 0; i < n; i++) snprintf(s + 2 * i, 3, "%02x", p[i]);
    s[2 * n] = 0;
    struct json_object *o = json_object_new_string(s);
    free(s);
    return o;
}

static int unhex(const char *s, struct ken_buf *out)
{
    size_t n = strlen(s);
    if (n % 2) return -1;
    for (size_t i = 0; i < n; i += 2) {
        unsigned v;
        char two[3] = {s[i], s[i + 1], 0};
        char *end;
        v = (unsigned)strtoul(two, &end, 16);
        if (*end) return -1;
        ken_buf_put8(out, (uint8_t)v);
    }
    return 0;
}

static int parse_mac(const char *s, uint8_t mac[6])
{
    unsigned b[6];
    if (!s || sscanf(s, "%2x:%2x:%2x:%2x:%2x:%2x", &b[0], &b[1], &b[2], &b[3], &b[4], &b[5]) != 6) return -1;
    for (int i = 0; i < 6; i++) mac[i] = (uint8_t)b[i];
    return 0;
}

static const char *status_name(enum ofctl_status st)
{
    switch (st) {
    case OFCTL_OK: return "ok";
    case OFCTL_BAD_REQUEST: return "400";
    case OFCTL_NOT_FOUND: return "404";
    case OFCTL_UNSUPPORTED: return "501";
    }
    return "?";
}

/* Runs one case; returns the result line's object. A case that is itself
 * malformed (the harness's fault, not the module's) gives status "case". */
static struct json_object *run_case(struct json_object *c)
{
    struct json_object *res = json_object_new_object();
    struct json_object *requests = json_object_new_array();
    struct json_object *replies_hex = json_object_new_array();
    struct json_object *v, *args = NULL, *body = NULL, *owned_body = NULL;
    struct json_object *msgs[MAX_MSGS] = {0}, *decoded[MAX_MSGS] = {0}, *answer = NULL;
    size_t n_msgs = 0, n_replies = 0, n_raw = 0;
    struct ken_buf raw[MAX_MSGS];
    char why[KEN_WHY_LEN] = "";
    const char *status = "case";
    struct ofctl_args a = {0};
    struct ken_ofp_port_defaults defaults = {0};
    int version = 0;

    if (json_object_object_get_ex(c, "id", &v)) json_object_object_add(res, "id", json_object_get(v));
    if (json_object_object_get_ex(c, "version", &v)) version = json_object_get_int(v);
    json_object_object_get_ex(c, "args", &args);
    if (json_object_object_get_ex(c, "body", &v) && !json_object_is_type(v, json_type_null)) body = v;

    const char *kind = get_str(c, "kind");
    /* "clear" is a flowentry command here, not a kind */
    enum ofctl_kind k = kind && strcmp(kind, "clear") ? ofctl_kind_by_name(kind) : OFCTL_N_KINDS;
    for (size_t i = 0; i < MAX_MSGS; i++) ken_buf_init(&raw[i]);
    if (k == OFCTL_N_KINDS) {
        snprintf(why, sizeof why, "case: unknown kind %s", kind ? kind : "(none)");
        goto out;
    }
    a.kind = ofctl_route_kind(k, (uint8_t)version);
    /* The replies become bytes first, whatever ken's module does with
     * them: the oracle gets these bytes in every case. */
    struct json_object *replies;
    if (json_object_object_get_ex(c, "replies", &replies) && json_object_is_type(replies, json_type_array)) {
        size_t n = json_object_array_length(replies);
        for (size_t i = 0; i < n && n_raw < MAX_MSGS; i++) {
            struct json_object *r = json_object_array_get_idx(replies, i);
            struct ken_buf *b = &raw[n_raw++];
            char ewhy[KEN_WHY_LEN];
            int err = json_object_is_type(r, json_type_string) ? unhex(json_object_get_string(r), b)
                                                                : ken_ofp_from_json(r, (uint8_t)version, b, ewhy);
            if (err != 0) {
                snprintf(why, sizeof why, "case: reply %zu does not encode: %.150s", i,
                         json_object_is_type(r, json_type_string) ? "bad hex" : ewhy);
                goto out;
            }
            json_object_array_add(replies_hex, hex_of(b->data, b->len));
        }
    }
    int stats = a.kind < OFCTL_FLOW_MOD;
    a.port = path_part(args, "port", a.kind != OFCTL_PORT_DESC);
    a.queue = path_part(args, "queue", 1);
    a.meter_id = path_part(args, "meter_id", 1);
    a.group_id = path_part(args, "group_id", a.kind != OFCTL_GROUP_DESC);
    a.body = body;

    const struct ofctl_version *mod = ofctl_for_version((uint8_t)version);
    if (!mod) {
        status = "501";
        snprintf(why, sizeof why, "no ofctl module for wire version %d", version);
        goto out;
    }
    if (a.kind == OFCTL_FLOW_MOD) {
        const char *cmd = get_str(c, "command");
        if (cmd && strcmp(cmd, "clear") == 0) {
            /* Ryu's delete_flow_entry: everything, in every table. */
            owned_body = json_object_new_object();
            if (version != KEN_OFP10) json_object_object_add(owned_body, "table_id", json_object_new_int(0xff));
            a.body = owned_body;
            a.command = 3; /* OFPFC_DELETE */
        } else if ((a.command = ofctl_command(a.kind, cmd)) < 0) {
            status = "404";
            snprintf(why, sizeof why, "no such command: %s", cmd ? cmd : "(none)");
            goto out;
        }
    } else if (a.kind == OFCTL_METER_MOD || a.kind == OFCTL_GROUP_MOD) {
        const char *cmd = get_str(c, "command");
        if ((a.command = ofctl_command(a.kind, cmd)) < 0) {
            status = "404";
            snprintf(why, sizeof why, "no such command: %s", cmd ? cmd : "(none)");
            goto out;
        }
    } else if (a.kind == OFCTL_PORT_MOD) {
        /* Ryu looks the port up first (404), then the command (404). */
        struct json_object *pd;
        if (!json_object_object_get_ex(c, "port_defaults", &pd) || json_object_is_type(pd, json_type_null)) {
            status = "404";
            snprintf(why, sizeof why, "no such port");
            goto out;
        }
        if (parse_mac(get_str(pd, "hw_addr"), defaults.hw_addr) < 0) {
            snprintf(why, sizeof why, "case: port_defaults.hw_addr");
            goto out;
        }
        if (json_object_object_get_ex(pd, "advertised", &v)) defaults.advertised = (uint32_t)json_object_get_int64(v);
        if (json_object_object_get_ex(pd, "properties", &v)) defaults.properties = v;
        a.port_defaults = &defaults;
        const char *cmd = get_str(c, "command");
        if ((a.command = ofctl_command(a.kind, cmd ? cmd : "modify")) < 0) {
            status = "404";
            snprintf(why, sizeof why, "no such command: %s", cmd);
            goto out;
        }
    }

    enum ofctl_status st = mod->build(&a, msgs, MAX_MSGS, &n_msgs, why);
    if (st != OFCTL_OK) {
        status = status_name(st);
        goto out;
    }
    for (size_t i = 0; i < n_msgs; i++) {
        struct ken_buf b;
        ken_buf_init(&b);
        char ewhy[KEN_WHY_LEN];
        if (ken_ofp_from_json(msgs[i], (uint8_t)version, &b, ewhy) != 0) {
            status = "encode";
            snprintf(why, sizeof why, "message %zu does not encode: %.60s: %.60s", i,
                     json_object_to_json_string_ext(msgs[i], JSON_C_TO_STRING_PLAIN), ewhy);
            ken_buf_free(&b);
            goto out;
        }
        json_object_array_add(requests, hex_of(b.data, b.len));
        ken_buf_free(&b);
    }
    if (!stats) {
        status = "ok";
        goto out;
    }

    for (size_t i = 0; i < n_raw; i++) {
        char ewhy[KEN_WHY_LEN];
        if (ken_ofp_to_json(raw[i].data, raw[i].len, &decoded[n_replies], ewhy) != 0 || !decoded[n_replies]) {
            json_object_put(decoded[n_replies]);
            decoded[n_replies] = NULL;
            status = "decode";
            snprintf(why, sizeof why, "reply %zu does not decode: %.150s", i, ewhy);
            if (text_check && a.kind == OFCTL_FLOW)
                check_text(version, &a, raw, n_raw, OFCTL_BAD_REQUEST, NULL, get_str(c, "id") ? get_str(c, "id") : "?");
            goto out;
        }
        n_replies++;
    }
    st = mod->answer(&a, decoded, n_replies, &answer, why);
    if (text_check && a.kind == OFCTL_FLOW)
        check_text(version, &a, raw, n_raw, st, st == OFCTL_OK ? answer : NULL, get_str(c, "id") ? get_str(c, "id") : "?");
    status = status_name(st);
    if (st == OFCTL_OK) json_object_object_add(res, "answer", answer ? answer : json_object_new_null());
    else json_object_put(answer);

out:
    json_object_object_add(res, "status", json_object_new_string(status));
    json_object_object_add(res, "why", json_object_new_string(why));
    json_object_object_add(res, "requests", requests);
    json_object_object_add(res, "replies", replies_hex);
    for (size_t i = 0; i < n_msgs; i++) json_object_put(msgs[i]);
    for (size_t i = 0; i < n_replies; i++) json_object_put(decoded[i]);
    for (size_t i = 0; i < n_raw; i++) ken_buf_free(&raw[i]);
    json_object_put(owned_body);
    return res;
}

int main(int argc, char **argv)
{
    FILE *in = stdin;
    if (argc > 1 && strcmp(argv[1], "--text-check") == 0) {
        text_check = 1;
        argv++, argc--;
    }
    if (argc > 1 && !(in = fopen(argv[1], "r"))) {
        perror(argv[1]);
        return 2;
    }
    char *line = NULL;
    size_t cap = 0;
    ssize_t len;
    unsigned lineno = 0;
    while ((len = getline(&line, &cap, in)) > 0) {
        lineno++;
        while (len > 0 && (line[len - 1] == '\n' || line[len - 1] == '\r')) line[--len] = 0;
        if (len == 0 || line[0] == '#') continue;
        char why[KEN_WHY_LEN];
        struct json_object *c = ken_ofp_json_parse(line, (size_t)len, why);
        if (!c || !json_object_is_type(c, json_type_object)) {
            fprintf(stderr, "ofctl-driver: line %u is not a JSON object: %s\n", lineno, c ? "not an object" : why);
            json_object_put(c);
            free(line);
            return 2;
        }
        struct json_object *res = run_case(c);
        puts(json_object_to_json_string_ext(res, JSON_C_TO_STRING_PLAIN));
        json_object_put(res);
        json_object_put(c);
    }
    free(line);
    if (in != stdin) fclose(in);
    if (text_check) {
        fprintf(stderr, "ofctl-driver --text-check: %u flow answers written directly, %u declined, %u mismatches\n",
                text_handled, text_declined, text_mismatch);
        return text_mismatch ? 1 : 0;
    }
    return 0;
}
