/* ken-ofp: decode and encode OpenFlow messages (wire <-> OS-Ken JSON). */
#include <ctype.h>
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <json-c/json.h>
#include <pcap/pcap.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ken/ofp.h"
#include "ken/ofp_typed.h"
#include "ken/packet.h"
#include "ofp_text.h"
#include "tcp_reasm.h"

enum form { FORM_TEXT, FORM_VERBOSE, FORM_JSON };

static const char usage[] =
    "Usage: ken-ofp decode [--json [--all] | -v] [--first] [--hex] [FILE|HEX...|-]\n"
    "       ken-ofp pcap [--json] [--port N]... FILE\n"
    "       ken-ofp encode --ofp-version N [--hex] [FILE.json|-]\n"
    "       ken-ofp init --ofp-version N [--hex] CLASS\n"
    "\n"
    "Decode OpenFlow messages (1.0, 1.2-1.5), from bytes or from a packet\n"
    "capture, or encode one from JSON in OS-Ken's to_jsondict() shape, as\n"
    "OS-Ken's tests and REST API use it.\n"
    "\n"
    "decode   read a stream of binary messages (headers included) and print\n"
    "         every one: by default one line a message in the manner of\n"
    "         ovs-ofctl ofp-print (OFPT_PACKET_IN (OF1.3) (xid=0x1): ...), with\n"
    "         names for constants (reason=no_match, port FLOOD, state=LIVE,\n"
    "         command=add, OFPBAC_BAD_OUT_PORT); a multipart reply's entries\n"
    "         follow one a line, a packet-in's or packet-out's packet on the\n"
    "         next line (Ethernet to TCP/UDP), other data as a hex dump\n"
    "  --json          OS-Ken JSON of the first message instead, as OS-Ken's\n"
    "                  parser reads a message (bytes after it are ignored): one\n"
    "                  object, exit status 0 (the shared corpus's ken-ofp contract)\n"
    "  --all           with --json: every message, one object a line\n"
    "  -v, --verbose   one field a line instead (the JSON's names and values)\n"
    "  --first         the first message only: bytes after it are ignored, as\n"
    "                  OS-Ken's parser ignores them (the conformance corpus has\n"
    "                  files with such bytes)\n"
    "  --hex           the input is hex text (spaces, colons, 0x and # comments\n"
    "                  allowed):\n"
    "                  given as the arguments themselves (joined), or read from\n"
    "                  FILE or stdin\n"
    "         Bytes after the last whole message, a message cut short and a\n"
    "         header with a length below 8 are reported on stderr, with what\n"
    "         was decoded before them printed; a malformed message is reported\n"
    "         (its reason and OpenFlow error) and the next one decoded.\n"
    "pcap     read a capture file (pcap or pcapng, as tcpdump or tshark write\n"
    "         it), put the TCP streams to or from the OpenFlow ports back in\n"
    "         order (out-of-order and retransmitted segments too) and print\n"
    "         every message: time, connection, direction and the message's\n"
    "         line as decode prints it\n"
    "  --port N        a TCP port that carries OpenFlow (repeatable;\n"
    "                  default 6653 and 6633)\n"
    "  --json          one JSON object a line instead: {\"time\": ..., \"conn\": N,\n"
    "                  \"src\": \"ip:port\", \"dst\": \"ip:port\", \"msg\": {OS-Ken JSON}}\n"
    "         Gaps (bytes the capture missed), a connection's unfinished last\n"
    "         message and undecodable messages are reported on stderr.\n"
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
    "FILE '-' or no FILE reads stdin (decode, encode); pcap's FILE '-' reads\n"
    "a capture from stdin as it comes (tcpdump -U -w - port 6653 | ken-ofp pcap -).\n"
    "Exit status: 0 success; 1 a message is malformed or cut short, bytes are\n"
    "left over, or a capture has gaps (the reason and the OpenFlow error go\n"
    "to stderr); 2 usage or I/O error.\n"
    "\n"
    "Examples:\n"
    "  ken-ofp decode --hex 040200080000002a\n"
    "  ken-ofp decode --json msg.packet\n"
    "  ken-ofp decode -v --hex 0100000800000001\n"
    "  ken-ofp pcap --port 6653 capture.pcap\n"
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

/* Hex text to bytes; skips white space, ':', '-', '.', "0x" and '#'
 * comments to the end of the line (as tests/vectors/ write them). */
static int parse_hex(const char *s, size_t n, struct ken_buf *out)
{
    int hi = -1;
    for (size_t i = 0; i < n; i++) {
        char c = s[i];
        if (c == '#') { /* a comment, to the end of the line */
            while (i + 1 < n && s[i + 1] != '\n')
                i++;
            continue;
        }
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

/* Decodes every message of bytes, printing each in the chosen form; what
 * cannot be decoded is reported on stderr with the message's number and
 * offset. 0 when every byte was a valid message, 1 otherwise. */
static int decode_stream(const uint8_t *p, size_t n, const char *name, enum form form, bool first_only)
{
    size_t off = 0, count = 0;
    int rc = 0;
    char why[KEN_WHY_LEN];
    while (off < n && !(first_only && count == 1)) {
        struct ken_ofp_header h;
        size_t left = n - off;
        count++;
        fflush(stdout);
        if (left < KEN_OFP_HEADER_LEN) {
            fprintf(stderr, "ken-ofp: %s: %zu trailing byte%s at offset %zu after %zu message%s: not a whole "
                    "OpenFlow header (8 bytes)\n", name, left, left == 1 ? "" : "s", off, count - 1,
                    count == 2 ? "" : "s");
            return 1;
        }
        if (ken_ofp_header_parse(p + off, left, &h)) {
            fprintf(stderr, "ken-ofp: %s: message %zu at offset %zu: OFPBRC_BAD_LEN: header length %u below 8; "
                    "the stream cannot be split after it (%zu bytes left)\n", name, count, off, h.length, left);
            return 1;
        }
        json_object *obj = NULL;
        int err = ken_ofp_to_json(p + off, left, &obj, why);
        size_t len = h.length <= left ? h.length : left;
        if (obj) {
            if (form == FORM_JSON)
                printf("%s\n", json_object_to_json_string_ext(obj, JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE));
            else if (form == FORM_VERBOSE) {
                printf("OpenFlow %s, type %u, xid 0x%" PRIx32 ", %u bytes\n", ken_ofp_version_name(h.version), h.type,
                       h.xid, h.length);
                ofp_text_print_verbose(stdout, obj);
            } else
                ofp_text_print(stdout, p + off, len, obj, 0);
            json_object_put(obj);
        }
        fflush(stdout);
        if (h.length > left) {
            fprintf(stderr, "ken-ofp: %s: message %zu at offset %zu is truncated: its header says %u bytes, %zu "
                    "are there (%zu whole message%s before it)\n", name, count, off, h.length, left, count - 1,
                    count == 2 ? "" : "s");
            return 1;
        }
        if (err) {
            fprintf(stderr, "ken-ofp: %s: message %zu at offset %zu: %s: %s\n", name, count, off, ken_err_name(err),
                    why);
            if (!obj)
                ofp_text_hexdump(stderr, p + off, len, 2);
            rc = 1;
        }
        off += h.length;
    }
    if (count == 0) {
        fprintf(stderr, "ken-ofp: %s: no input\n", name);
        return 1;
    }
    return rc;
}

static int cmd_decode(int argc, char **argv)
{
    enum form form = FORM_TEXT;
    int hex = 0;
    bool first_only = false;
    bool all = false;
    static const struct option opts[] = {{"json", no_argument, NULL, 'j'},    {"hex", no_argument, NULL, 'x'},
                                         {"verbose", no_argument, NULL, 'v'}, {"first", no_argument, NULL, '1'},
                                         {"all", no_argument, NULL, 'a'},     {"help", no_argument, NULL, 'h'},
                                         {0, 0, 0, 0}};
    int c;
    while ((c = getopt_long(argc, argv, "jxvh", opts, NULL)) != -1) {
        if (c == '1')
            first_only = true;
        else if (c == 'a')
            all = true;
        else if (c == 'j')
            form = FORM_JSON;
        else if (c == 'v')
            form = FORM_VERBOSE;
        else if (c == 'x')
            hex = 1;
        else if (c == 'h') {
            fputs(usage, stdout);
            return 0;
        } else
            return die_usage("decode: unknown option");
    }
    if (argc - optind > 1 && !hex)
        return die_usage("decode: give one FILE");
    if (all && form != FORM_JSON)
        return die_usage("decode: --all goes with --json");
    if (form == FORM_JSON && !all)
        first_only = true;
    const char *arg = optind < argc ? argv[optind] : NULL;
    struct ken_buf in = KEN_BUF_INIT, bytes = KEN_BUF_INIT;
    int rc = 0;
    if (hex && arg && strcmp(arg, "-") && (argc - optind > 1 || access(arg, R_OK) != 0)) {
        /* hex text as arguments, one or more */
        for (int i = optind; i < argc; i++)
            if (parse_hex(argv[i], strlen(argv[i]), &bytes)) {
                ken_buf_free(&bytes);
                return die_usage("decode: --hex: not hex text (nor a file)");
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
    rc = decode_stream(bytes.data ? bytes.data : (const uint8_t *)"", bytes.len,
                       arg && strcmp(arg, "-") && !(hex && access(arg, R_OK) != 0) ? arg : "input", form,
                       first_only);
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

/* ---- pcap ---- */

struct pcap_run {
    enum form form;
    int rc;
    unsigned long messages;
};

static void pcap_msg(void *arg, const struct reasm_conn *c, int dir, double ts, const uint8_t *msg, size_t len)
{
    struct pcap_run *run = arg;
    char src[64], dst[64], why[KEN_WHY_LEN];
    reasm_end_str(&c->end[dir], src, sizeof src);
    reasm_end_str(&c->end[!dir], dst, sizeof dst);
    json_object *obj = NULL;
    int err = ken_ofp_to_json(msg, len, &obj, why);
    run->messages++;
    if (run->form == FORM_JSON) {
        json_object *line = json_object_new_object();
        char tstr[32];
        snprintf(tstr, sizeof tstr, "%.6f", ts);
        json_object_object_add(line, "time", json_object_new_double_s(ts, tstr));
        json_object_object_add(line, "conn", json_object_new_int((int)c->id));
        json_object_object_add(line, "from", json_object_new_string(dir ? "controller" : "switch"));
        json_object_object_add(line, "src", json_object_new_string(src));
        json_object_object_add(line, "dst", json_object_new_string(dst));
        char name[64];
        ofp_text_type_name(msg, len, obj, name, sizeof name);
        json_object_object_add(line, "type", json_object_new_string(name));
        json_object_object_add(line, "xid", json_object_new_int64((int64_t)((uint32_t)msg[4] << 24 | (uint32_t)msg[5] << 16 | (uint32_t)msg[6] << 8 | msg[7])));
        if (obj)
            json_object_object_add(line, "msg", obj);
        if (err) {
            json_object_object_add(line, "error", json_object_new_string(ken_err_name(err)));
            json_object_object_add(line, "why", json_object_new_string(why));
        }
        printf("%s\n", json_object_to_json_string_ext(line, JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE));
        json_object_put(line);
    } else {
        printf("%.6f #%u %s > %s: ", ts, c->id, src, dst);
        if (obj) {
            ofp_text_print(stdout, msg, len, obj, 2);
            json_object_put(obj);
        } else {
            char name[64];
            ofp_text_type_name(msg, len, obj, name, sizeof name);
            printf("%s (%zu bytes): %s: %s\n", name, len, ken_err_name(err), why);
            ofp_text_hexdump(stdout, msg, len, 2);
        }
    }
    if (err) {
        fflush(stdout);
        fprintf(stderr, "ken-ofp: #%u %s > %s at %.6f: %s: %s\n", c->id, src, dst, ts, ken_err_name(err), why);
        run->rc = 1;
    }
}

static void pcap_note(void *arg, const struct reasm_conn *c, int dir, double ts, bool error, const char *text)
{
    struct pcap_run *run = arg;
    char src[64], dst[64];
    reasm_end_str(&c->end[dir], src, sizeof src);
    reasm_end_str(&c->end[!dir], dst, sizeof dst);
    fflush(stdout); /* the note follows the messages before it */
    if (ts > 0)
        fprintf(stderr, "ken-ofp: #%u %s > %s at %.6f: %s\n", c->id, src, dst, ts, text);
    else
        fprintf(stderr, "ken-ofp: #%u %s > %s: %s\n", c->id, src, dst, text);
    if (error)
        run->rc = 1;
}

static int cmd_pcap(int argc, char **argv)
{
    struct pcap_run run = {.form = FORM_TEXT};
    uint16_t ports[32];
    size_t n_ports = 0;
    static const struct option opts[] = {{"json", no_argument, NULL, 'j'}, {"port", required_argument, NULL, 'p'},
                                         {"help", no_argument, NULL, 'h'}, {0, 0, 0, 0}};
    int c;
    while ((c = getopt_long(argc, argv, "jp:h", opts, NULL)) != -1) {
        if (c == 'j')
            run.form = FORM_JSON;
        else if (c == 'p') {
            char *end;
            errno = 0;
            unsigned long v = strtoul(optarg, &end, 10);
            if (errno || *end || !*optarg || v == 0 || v > 65535)
                return die_usage("pcap: --port takes a TCP port, 1 to 65535");
            if (n_ports == sizeof ports / sizeof ports[0])
                return die_usage("pcap: at most 32 --port options");
            ports[n_ports++] = (uint16_t)v;
        } else if (c == 'h') {
            fputs(usage, stdout);
            return 0;
        } else
            return die_usage("pcap: unknown option");
    }
    if (argc - optind != 1)
        return die_usage("pcap: give one capture FILE");
    if (!n_ports) {
        ports[n_ports++] = 6653;
        ports[n_ports++] = 6633;
    }
    const char *path = argv[optind];
    char errbuf[PCAP_ERRBUF_SIZE] = "";
    pcap_t *pc = pcap_open_offline(path, errbuf);
    if (!pc) {
        fprintf(stderr, "ken-ofp: %s: %s\n", path, errbuf);
        return 2;
    }
    int link = pcap_datalink(pc);
    if (!reasm_linktype_known(link)) {
        fprintf(stderr, "ken-ofp: %s: link type %d (%s) is not one ken-ofp reads (Ethernet, Linux cooked, raw IP, "
                "loopback)\n", path, link, pcap_datalink_val_to_name(link) ? pcap_datalink_val_to_name(link) : "?");
        pcap_close(pc);
        return 2;
    }
    struct reasm_cb cb = {.msg = pcap_msg, .note = pcap_note, .arg = &run};
    struct reasm *r = reasm_new(ports, n_ports, &cb);
    if (!r) {
        pcap_close(pc);
        return 2;
    }
    struct pcap_pkthdr *hdr;
    const u_char *data;
    int st;
    while ((st = pcap_next_ex(pc, &hdr, &data)) == 1)
        reasm_frame(r, link, (double)hdr->ts.tv_sec + hdr->ts.tv_usec / 1e6, data, hdr->caplen, hdr->len);
    if (st == PCAP_ERROR) {
        fprintf(stderr, "ken-ofp: %s: %s (the capture is cut short; what came before it is shown)\n", path,
                pcap_geterr(pc));
        run.rc = 1;
    }
    reasm_finish(r);
    reasm_free(r);
    pcap_close(pc);
    fflush(stdout);
    return run.rc;
}

int main(int argc, char **argv)
{
    if (argc < 2)
        return die_usage("missing command (decode, pcap, encode or init)");
    if (!strcmp(argv[1], "-h") || !strcmp(argv[1], "--help")) {
        fputs(usage, stdout);
        return 0;
    }
    if (!strcmp(argv[1], "decode"))
        return cmd_decode(argc - 1, argv + 1);
    if (!strcmp(argv[1], "pcap"))
        return cmd_pcap(argc - 1, argv + 1);
    if (!strcmp(argv[1], "encode"))
        return cmd_encode(argc - 1, argv + 1);
    if (!strcmp(argv[1], "init"))
        return cmd_init(argc - 1, argv + 1);
    return die_usage("unknown command (decode, pcap, encode or init)");
}
