/* libFuzzer target: ken-ofp pcap's TCP reassembly and stream splitter
 * (tools/tcp_reasm.c) on arbitrary captured frames, and ken-ofp's text
 * printer (tools/ofp_text.c) on every message they cut.
 *
 * Input: byte 0 picks the link type, then frames, each a 2-byte big-endian
 * length and that many bytes (the last one takes what is left); a length's
 * top bit marks the frame as cut short by the snapshot length. Every
 * message handed out must be whole: at least 8 bytes, exactly its header's
 * length. Notes carry text. Nothing may crash or read out of bounds
 * (ASan), and what is pending is freed. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ken/ofp.h"
#include "../../tools/ofp_text.h"
#include "../../tools/tcp_reasm.h"

static FILE *sink;

static void on_msg(void *arg, const struct reasm_conn *c, int dir, double ts, const uint8_t *msg, size_t len)
{
    (void)arg, (void)ts;
    if (len < 8 || len != ((size_t)msg[2] << 8 | msg[3]) || dir < 0 || dir > 1 || c->id == 0)
        abort();
    char why[KEN_WHY_LEN];
    json_object *obj = NULL;
    int err = ken_ofp_to_json(msg, len, &obj, why);
    char name[64];
    ofp_text_type_name(msg, len, obj, name, sizeof name);
    if (obj) {
        ofp_text_print(sink, msg, len, obj, 2);
        json_object_put(obj);
    } else if (!err)
        abort(); /* no JSON and no error */
    char src[64];
    reasm_end_str(&c->end[dir], src, sizeof src);
}

static void on_note(void *arg, const struct reasm_conn *c, int dir, double ts, bool error, const char *text)
{
    (void)arg, (void)c, (void)dir, (void)ts, (void)error;
    if (!text[0])
        abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const int links[] = {REASM_LINK_ETHERNET, REASM_LINK_LINUX_SLL, REASM_LINK_LINUX_SLL2, REASM_LINK_RAW,
                                REASM_LINK_NULL,     REASM_LINK_LOOP};
    if (!sink)
        sink = fopen("/dev/null", "w");
    if (!size || !sink)
        return 0;
    int link = links[data[0] % (sizeof links / sizeof links[0])];
    static const uint16_t ports[] = {6653, 6633};
    struct reasm_cb cb = {.msg = on_msg, .note = on_note};
    struct reasm *r = reasm_new(ports, 2, &cb);
    if (!r)
        return 0;
    size_t off = 1;
    double ts = 1.0;
    while (off < size) {
        size_t n = size - off, orig;
        bool cut = false;
        if (n >= 2) {
            size_t want = (size_t)(data[off] & 0x7f) << 8 | data[off + 1];
            cut = data[off] & 0x80;
            off += 2;
            n = size - off < want ? size - off : want;
        } else
            off = size, n = 0;
        /* the frame in a buffer of its own size, so ASan sees any overread */
        uint8_t *frame = malloc(n ? n : 1);
        if (!frame)
            break;
        memcpy(frame, data + off, n);
        orig = cut ? n + 100 : n;
        reasm_frame(r, link, ts, frame, n, orig);
        free(frame);
        off += n;
        ts += 0.001;
    }
    reasm_finish(r);
    reasm_free(r);
    return 0;
}
