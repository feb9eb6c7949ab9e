/* WebSocket connections of the REST server (src/rest/websocket.c): what
 * wsapi.c calls once a route upgraded a connection. */
#ifndef KEN_REST_WEBSOCKET_H
#define KEN_REST_WEBSOCKET_H

#include <stdbool.h>
#include <stddef.h>

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

#endif
