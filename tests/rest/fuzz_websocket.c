/* libFuzzer: bytes from a WebSocket client into the server's frame parser
 * (src/rest/websocket.c), fed in pieces as reads would give them. Any
 * bytes: no crash, no leak, and its promises hold: the input kept never
 * grows past a frame header, 64 KiB and one read; what it queues for the
 * client is whole frames; a close it sends carries one of the statuses it
 * may use. The first byte chooses the piece size. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "rest/websocket.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (!size)
        return 0;
    size_t chunk = (size_t)data[0] * 7 + 1;
    struct ws_parse_result r = ws_parse_for_test(data + 1, size - 1, chunk);
    if (r.overgrown || r.bad_output) {
        fprintf(stderr, "overgrown %d bad_output %d\n", r.overgrown, r.bad_output);
        abort();
    }
    /* Statuses the server sends: 1002/1009 for faults, or the client's own
     * valid status echoed (1000-1011 but 1004-1006, 3000-4999). */
    unsigned c = r.close_code;
    if (c && !((c >= 1000 && c <= 1011 && c != 1004 && c != 1005 && c != 1006) || (c >= 3000 && c <= 4999))) {
        fprintf(stderr, "close status %u\n", c);
        abort();
    }
    return 0;
}
