/* ken-ofp: decode and encode OpenFlow messages (wire <-> OS-Ken JSON). */
#include <ctype.h>
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ken/ofp.h"
#include "ken/ofp_typed.h"
#include "ken/packet.h"

static const char usage[] =
    "Usage: ken-ofp decode [--json] [--hex] [FILE|HEX|-]\n"
    "       ken-ofp encode --ofp-version N [FILE.json|-]\n"
    "       ken-ofp init --ofp-version N CLASS\n"
    "\n"
    "Decode one OpenFlow message (1.0, 1.2-1.5) or encode one from JSON in\n"
    "OS-Ken's to_jsondict() shape, as used by OS-Ken's tests and REST API.\n"
    "\n"
    "decode   read one binary message (header included) and print it; the\n"
    "         text shows the packet in packet-in and packet-out data, a\n"
    "         layer a line (OS-Ken's packet library names and fields)\n"
    "  --json          print OS-Ken JSON on one line (default: readable text)\n"
    "  --hex           the input is hex text (spaces, colons and 0x allowed):\n"
    "                  given as the argument itself, or read from FILE or stdin\n"
    "encode   read one JSON object {\"OFPClassName\": {...}} and write the binary\n"
    "         message to stdout; lengths missing from the JSON are computed\n"
    "  -V, --ofp-version N   wire version byte: 1 (1.0), 3 (1.2), 4 (1.3),\n"
    "                        5 (1.4), 6 (1.5); also accepts 1.0, 1.3, of13\n"
    "  --hex           write hex text instead of binary\n"
    "init     write the message a C app builds with ken_ofp_<name>_init():\n"
    "         CLASS (OS-Ken's name, OFPFlowStatsRequest) with OS-Ken's\n"
    "         constructor defaults, xid 0; takes -V and --hex as encode does\n"
    "-h, --help       this text\n"
    "\n"
    "FILE '-' or no FILE reads stdin.\n"
    "Exit status: 0 success, 1 the message is malformed (the reason and the\n"
    "OpenFlow error code go to stderr), 2 usage or I/O error.\n"
    "\n"
    "Examples:\n"
    "  ken-ofp decode --hex 0404000800000001\n"
    "  ken-ofp decode --json msg.packet\n"
    "  echo '{\"OFPEchoRequest\": {\"data\": \"aGk=\"}}' | ken-ofp encode -V 4 --hex\n"
    "  ken-ofp init -V 4 --hex OFPFlowStatsRequest | ken-ofp decode --hex -\n";

static int die_usage(const char *msg)
{
    fprintf(stderr, "ken-ofp: %s\nTry 'ken-ofp --help'.\n", msg);
    return 2;
}

static int read_all(const char *path, struct ken_buf *out)
{
    FILE *f = (!path || !strcmp(path, "-")) ? stdin : fopen(path, "rb");
    if (!f) {
        fprintf(stderr, "ken-ofp: %s: %s\n", path, strerror(errno));
        return 2;
    }
    char chunk[65536];
    size_t n;
    while ((n = fread(chunk, 1, sizeof chunk, f)) > 0)
        ken_buf_put(out, chunk, n);
    int bad = ferror(f);
    if (f != stdin)
        fclose(f);
    if (bad) {
        fprintf(stderr, "ken-ofp: %s: read error\n", path ? path : "stdin");
        return 2;
    }
    return 0;
}

/* Hex text to bytes; skips white space, ':' and "0x". */
static int parse_hex(const char *s, size_t n, struct ken_buf *out)
{
    int hi = -1;
    for (size_t i = 0; i < n; i++) {
        char c = s[i];
        if (isspace((unsigned char)c) || c == ':' || c == '-' || c == '.')
            continue;
        if (c == '0' && i + 1 < n && (s[i + 1] == 'x' || s[i + 1] == 'X')) {
            i++;
            continue;
        }
        int v = isdigit((unsigned char)c) ? c - '0' : (isxdigit((unsigned char)c) ? tolower(c) - 'a' + 10 : -1);
        if (v < 0)
            return -1;
        if (hi < 0)
            hi = v;
        else {
            ken_buf_put8(out, (uint8_t)(hi << 4 | v));
            hi = -1;
        }
    }
    return hi < 0 ? 0 : -1;
}

static void print_text(json_object *v, int depth, const char *key);

/* The message's class, for the text of packet-in and packet-out data. */
static const char *top_class;

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

/* The frame in packet-in or packet-out data, one layer a line under it
 * (the JSON output keeps OS-Ken's base64). */
static void print_packet(const char *b64, int depth)
{
    struct ken_buf frame = KEN_BUF_INIT;
    uint32_t acc = 0;
    int bits = 0;
    for (const char *c = b64; *c && *c != '='; c++) {
        int x = b64val((unsigned char)*c);
        if (x < 0)
            goto out;
        acc = acc << 6 | (uint32_t)x;
        if ((bits += 6) >= 8) {
            bits -= 8;
            ken_buf_put8(&frame, (uint8_t)(acc >> bits));
        }
    }
    struct ken_pkt pkt;
    int err = ken_pkt_parse(frame.data ? frame.data : (const uint8_t *)"", frame.len, &pkt);
    ken_pkt_print(&pkt, stdout, depth * 2);
    if (err && err != ENOSPC && !pkt.n)
        printf("%*s(not an Ethernet frame: %zu bytes)\n", depth * 2, "", frame.len);
    else if (err)
        printf("%*s(malformed from byte %u: %s)\n", depth * 2, "", (unsigned)pkt.bad_off,
               err == ENOSPC ? "too many layers" : "a bad or truncated header");
out:
    ken_buf_free(&frame);
}

static void print_scalar(json_object *v)
{
    if (json_object_is_type(v, json_type_string))
        printf("%s", json_object_get_string(v));
    else
        printf("%s", json_object_to_json_string_ext(v, JSON_C_TO_STRING_PLAIN));
}

/* Readable text in the manner of ovs-ofctl ofp-print: one field a line,
 * nested structures indented under their class name. */
static void print_text(json_object *v, int depth, const char *key)
{
    int ind = depth * 2;
    if (json_object_is_type(v, json_type_object) && json_object_object_length(v) == 1) {
        json_object_object_foreach(v, cls, body)
        {
            if (cls[0] >= 'A' && cls[0] <= 'Z' && json_object_is_type(body, json_type_object)) {
                printf("%*s%s%s%s\n", ind, "", key ? key : "", key ? ": " : "", cls);
                json_object_object_foreach(body, k, sub) print_text(sub, depth + 1, k);
                return;
            }
        }
    }
    if (json_object_is_type(v, json_type_object)) {
        printf("%*s%s:\n", ind, "", key ? key : "");
        json_object_object_foreach(v, k, sub) print_text(sub, depth + 1, k);
    } else if (json_object_is_type(v, json_type_array)) {
        size_t n = json_object_array_length(v);
        if (n == 0) {
            printf("%*s%s: []\n", ind, "", key ? key : "");
            return;
        }
        printf("%*s%s: (%zu)\n", ind, "", key ? key : "", n);
        for (size_t i = 0; i < n; i++)
            print_text(json_object_array_get_idx(v, i), depth + 1, NULL);
    } else {
        printf("%*s%s%s", ind, "", key ? key : "", key ? "=" : "");
        print_scalar(v);
        printf("\n");
        if (key && !strcmp(key, "data") && json_object_is_type(v, json_type_string) && top_class &&
            (!strcmp(top_class, "OFPPacketIn") || !strcmp(top_class, "OFPPacketOut")))
            print_packet(json_object_get_string(v), depth + 1);
    }
}

static int cmd_decode(int argc, char **argv)
{
    int as_json = 0, hex = 0;
    static const struct option opts[] = {{"json", no_argument, NULL, 'j'}, {"hex", no_argument, NULL, 'x'},
                                         {"help", no_argument, NULL, 'h'}, {0, 0, 0, 0}};
    int c;
    while ((c = getopt_long(argc, argv, "jxh", opts, NULL)) != -1) {
        if (c == 'j')
            as_json = 1;
        else if (c == 'x')
            hex = 1;
        else if (c == 'h') {
            fputs(usage, stdout);
            return 0;
        } else
            return die_usage("decode: unknown option");
    }
    if (argc - optind > 1)
        return die_usage("decode: give one FILE");
    const char *arg = optind < argc ? argv[optind] : NULL;
    struct ken_buf in = KEN_BUF_INIT, bytes = KEN_BUF_INIT;
    int rc = 0;
    if (hex && arg && strcmp(arg, "-") && access(arg, R_OK) != 0) {
        if (parse_hex(arg, strlen(arg), &bytes)) {
            ken_buf_free(&bytes);
            return die_usage("decode: --hex: not hex text");
        }
    } else {
        if ((rc = read_all(arg, &in)))
            goto out;
        if (hex) {
            if (parse_hex((const char *)in.data, in.len, &bytes)) {
                rc = die_usage("decode: --hex: input is not hex text");
                goto out;
            }
        } else {
            ken_buf_put(&bytes, in.data, in.len);
        }
    }
    char why[KEN_WHY_LEN];
    json_object *obj = NULL;
    int err = ken_ofp_to_json(bytes.data ? bytes.data : (const uint8_t *)"", bytes.len, &obj, why);
    if (obj) {
        if (as_json)
            printf("%s\n", json_object_to_json_string_ext(obj, JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE));
        else {
            struct ken_ofp_header h;
            ken_ofp_header_parse(bytes.data, bytes.len, &h);
            printf("OpenFlow %s, type %u, xid 0x%" PRIx32 ", %u bytes\n", ken_ofp_version_name(h.version), h.type,
                   h.xid, h.length);
            json_object_object_foreach(obj, cls, body)
            {
                (void)body;
                top_class = cls;
            }
            print_text(obj, 0, NULL);
        }
        json_object_put(obj);
    }
    if (err) {
        fprintf(stderr, "ken-ofp: %s: %s: %s\n", arg && !hex ? arg : "input", ken_err_name(err), why);
        rc = 1;
    }
out:
    ken_buf_free(&in);
    ken_buf_free(&bytes);
    return rc;
}

static int parse_version(const char *s)
{
    static const struct {
        const char *name;
        int v;
    } names[] = {{"1", 1}, {"3", 3}, {"4", 4}, {"5", 5}, {"6", 6}, {"1.0", 1}, {"1.2", 3}, {"1.3", 4},
                 {"1.4", 5}, {"1.5", 6}, {"of10", 1}, {"of12", 3}, {"of13", 4}, {"of14", 5}, {"of15", 6}};
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
        if (!strcmp(s, names[i].name))
            return names[i].v;
    return -1;
}

/* The options encode and init share (-V, --hex, --help): -1 to go on,
 * or the exit status. */
static int writer_options(int argc, char **argv, const char *cmd, int *version, int *hex)
{
    static const struct option opts[] = {{"ofp-version", required_argument, NULL, 'V'},
                                         {"hex", no_argument, NULL, 'x'},
                                         {"help", no_argument, NULL, 'h'},
                                         {0, 0, 0, 0}};
    char msg[128];
    int c;
    *version = -1;
    *hex = 0;
    while ((c = getopt_long(argc, argv, "V:xh", opts, NULL)) != -1) {
        if (c == 'V') {
            if ((*version = parse_version(optarg)) < 0) {
                snprintf(msg, sizeof msg, "%s: --ofp-version takes 1, 3, 4, 5 or 6 (or 1.0, 1.2 ... 1.5)", cmd);
                return die_usage(msg);
            }
        } else if (c == 'x') {
            *hex = 1;
        } else if (c == 'h') {
            fputs(usage, stdout);
            return 0;
        } else {
            snprintf(msg, sizeof msg, "%s: unknown option", cmd);
            return die_usage(msg);
        }
    }
    if (*version < 0) {
        snprintf(msg, sizeof msg, "%s: --ofp-version N is required", cmd);
        return die_usage(msg);
    }
    return -1;
}

/* Writes a message as binary or (hex) hex text: 0, or 2 on an I/O error. */
static int write_message(const struct ken_buf *out, int hex)
{
    if (!hex)
        return fwrite(out->data, 1, out->len, stdout) == out->len ? 0 : 2;
    for (size_t i = 0; i < out->len; i++)
        printf("%02x", out->data[i]);
    printf("\n");
    return 0;
}

static int cmd_encode(int argc, char **argv)
{
    int version, hex, rc = writer_options(argc, argv, "encode", &version, &hex);
    if (rc >= 0)
        return rc;
    if (argc - optind > 1)
        return die_usage("encode: give one FILE");
    const char *arg = optind < argc ? argv[optind] : NULL;
    struct ken_buf in = KEN_BUF_INIT, out = KEN_BUF_INIT;
    rc = read_all(arg, &in);
    if (rc)
        goto done;
    char why[KEN_WHY_LEN];
    /* ken's parser: it reads back the \udcXX escapes of bytes that are not UTF-8 */
    json_object *obj = ken_ofp_json_parse((const char *)in.data, in.len, why);
    if (!obj) {
        fprintf(stderr, "ken-ofp: %s: not JSON: %s\n", arg ? arg : "stdin", why);
        rc = 1;
        goto done;
    }
    int err = ken_ofp_from_json(obj, (uint8_t)version, &out, why);
    json_object_put(obj);
    if (err) {
        fprintf(stderr, "ken-ofp: %s: %s: %s\n", arg ? arg : "stdin", ken_err_name(err), why);
        rc = 1;
        goto done;
    }
    rc = write_message(&out, hex);
done:
    ken_buf_free(&in);
    ken_buf_free(&out);
    return rc;
}

static int cmd_init(int argc, char **argv)
{
    int version, hex, rc = writer_options(argc, argv, "init", &version, &hex);
    if (rc >= 0)
        return rc;
    if (argc - optind != 1)
        return die_usage("init: give one CLASS (OFPFlowStatsRequest)");
    enum ken_ofp_class cls = KEN_OFP_CLASS_NONE;
    for (int i = 1; i < KEN_OFP_N_CLASSES; i++)
        if (ken_ofp_class_name((enum ken_ofp_class)i) && !strcmp(ken_ofp_class_name((enum ken_ofp_class)i), argv[optind]))
            cls = (enum ken_ofp_class)i;
    if (cls == KEN_OFP_CLASS_NONE) {
        fprintf(stderr, "ken-ofp: init: no typed class %s\n", argv[optind]);
        return 1;
    }
    void *msg = calloc(1, ken_ofp_class_size(cls));
    struct ken_buf out = KEN_BUF_INIT;
    char why[KEN_WHY_LEN] = "";
    int err = msg ? ken_ofp_init(msg, cls, (uint8_t)version) : ENOMEM;
    if (!err)
        err = ken_ofp_encode(&out, (uint8_t)version, 0, cls, msg, why);
    free(msg);
    rc = 0;
    if (err) {
        fprintf(stderr, "ken-ofp: init: %s: %s: %s\n", argv[optind], ken_err_name(err), why);
        rc = 1;
    } else {
        rc = write_message(&out, hex);
    }
    ken_buf_free(&out);
    return rc;
}

int main(int argc, char **argv)
{
    if (argc < 2)
        return die_usage("missing command (decode or encode)");
    if (!strcmp(argv[1], "-h") || !strcmp(argv[1], "--help")) {
        fputs(usage, stdout);
        return 0;
    }
    if (!strcmp(argv[1], "decode"))
        return cmd_decode(argc - 1, argv + 1);
    if (!strcmp(argv[1], "encode"))
        return cmd_encode(argc - 1, argv + 1);
    if (!strcmp(argv[1], "init"))
        return cmd_init(argc - 1, argv + 1);
    return die_usage("unknown command (decode, encode or init)");
}
