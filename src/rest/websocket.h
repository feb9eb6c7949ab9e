/* WebSocket connections of the REST server (src/rest/websocket.c): what
 * wsapi.c calls once a route upgraded a connection. */
#ifndef KEN_REST_WEBSOCKET_H
#define KEN_REST_WEBSOCKET_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <microhttpd.h>

/* A client's message (fragments together) past it: closed with 1009. */
#define WS_MAX_MESSAGE ((size_t)64 << 10)
/* Bytes waiting for a client past it: the client is closed. */
#define WS_MAX_QUEUED ((size_t)4 << 20)
#define WS_ACCEPT_LEN 29 /* base64 of a SHA-1 and its NUL */

/* Sec-WebSocket-Accept for a Sec-WebSocket-Key; false for a key that is
 * not 16 bytes in base64. */
bool ws_accept_key(const char *key, char accept[WS_ACCEPT_LEN]);
/* MHD's upgrade handler hands the socket over (tag: the route's name). */
void ws_upgraded(const char *tag, int fd, struct MHD_UpgradeResponseHandle *urh, const char *extra, size_t extra_len);
/* A text message to every open WebSocket of that tag: how many. */
size_t ws_broadcast(const char *tag, const void *text, size_t len);
/* Open WebSockets of that tag (NULL: all). */
size_t ws_count(const char *tag);
/* The server starts: sockets are taken (again). */
void ws_open_all(void);
/* Closes every WebSocket and stops their thread (before MHD stops); a
 * socket upgraded after it is closed at once. */
void ws_close_all(void);

/* The frame parser alone (tests/rest/fuzz_websocket.c). */
struct ws_parse_result {
    bool closed;         /* a close frame queued or the client dropped */
    unsigned close_code; /* the status of the close frame queued (0: none) */
    size_t out_len;      /* bytes queued to the client (pongs, close) */
    size_t pending;      /* bytes kept for an incomplete frame */
    bool overgrown;      /* the input buffer grew past its bound */
    bool bad_output;     /* the queued frames do not add up */
};
struct ws_parse_result ws_parse_for_test(const uint8_t *data, size_t len, size_t chunk);

#endif
