/* A bounded load of busy switches for sigterm_busy.sh: N OpenFlow 1.3
 * switches (the fake switch's handshake) on 127.0.0.1:PORT that then send
 * packet-ins as fast as the sockets take them and read (and drop) what
 * comes back, until the controller has closed every one or SECONDS pass.
 * Every DEAF-th switch (0: none) never reads: the controller's queue to it
 * fills. Prints "ready N" once all are up, "closed N" at the end.
 *
 *   busy-switches PORT N SECONDS [DEAF]
 */
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "fake_switch.h"
#include "hostile.h"

struct conn {
    int fd;
    size_t off; /* how much of the batch the last send left unsent */
};

int main(int argc, char **argv)
{
    if (argc != 4 && argc != 5) {
        fprintf(stderr, "usage: busy-switches PORT N SECONDS [DEAF]\n");
        return 2;
    }
    int port = atoi(argv[1]), n = atoi(argv[2]), seconds = atoi(argv[3]);
    int deaf = argc == 5 ? atoi(argv[4]) : 0;
    if (port <= 0 || n <= 0 || seconds <= 0)
        return 2;
    int64_t end = hs_now_us() + (int64_t)seconds * 1000000;
    struct conn *conns = calloc((size_t)n, sizeof *conns);
    struct pollfd *pfd = calloc((size_t)n, sizeof *pfd);
    struct fsw *s = calloc(1, sizeof *s);
    if (!conns || !pfd || !s)
        return 1;
    static const struct fsw_port ports[] = {{1, {2, 0, 0, 0, 0, 1}, "p1", 0, 0}, {2, {2, 0, 0, 0, 0, 2}, "p2", 0, 0}};
    for (int i = 0; i < n; i++) {
        if (hs_connect(s, port, NULL, 5000)) {
            fprintf(stderr, "busy-switches: switch %d cannot connect\n", i);
            return 1;
        }
        s->version = 4;
        s->dpid = 0x100000 + (uint64_t)i;
        if (fsw_handshake(s, ports, 2)) {
            fprintf(stderr, "busy-switches: switch %d: handshake failed\n", i);
            return 1;
        }
        conns[i].fd = s->fd; /* the socket is ours now; the reader's buffer is dropped */
        s->fd = -1;
    }
    printf("ready %d\n", n);
    fflush(stdout);

    /* 16 packet-ins of 64-byte frames, with distinct source MACs so the
     * learning switch has work to do. */
    uint8_t batch[16 * 106];
    size_t len = 0;
    for (int i = 0; i < 16; i++) {
        size_t m = hs_packet_in13(batch + len, (uint32_t)i + 1, 64);
        batch[len + 42 + 11] = (uint8_t)i; /* the source MAC's last byte */
        len += m;
    }
    static uint8_t sink[65536];
    size_t sent = 0;
    int open = n;
    while (open && hs_now_us() < end) {
        for (int i = 0; i < n; i++)
            pfd[i] = (struct pollfd){.fd = conns[i].fd,
                                     .events = conns[i].fd < 0 ? 0 : (deaf && i % deaf == 0 ? POLLOUT : POLLIN | POLLOUT)};
        if (poll(pfd, (nfds_t)n, 100) <= 0)
            continue;
        for (int i = 0; i < n; i++) {
            struct conn *c = &conns[i];
            if (c->fd < 0)
                continue;
            bool gone = false;
            if (pfd[i].revents & (POLLIN | POLLHUP | POLLERR) && !(deaf && i % deaf == 0 && !(pfd[i].revents & (POLLHUP | POLLERR)))) {
                ssize_t r = recv(c->fd, sink, sizeof sink, MSG_DONTWAIT);
                gone = r == 0 || (r < 0 && errno != EAGAIN && errno != EINTR);
            }
            if (!gone && (pfd[i].revents & POLLOUT)) {
                ssize_t w = send(c->fd, batch + c->off, len - c->off, MSG_DONTWAIT | MSG_NOSIGNAL);
                if (w > 0) {
                    c->off = (c->off + (size_t)w) % len;
                    sent += (size_t)w;
                }
                else if (w < 0 && errno != EAGAIN && errno != EINTR)
                    gone = true;
            }
            if (gone) {
                close(c->fd);
                c->fd = -1;
                open--;
            }
        }
    }
    printf("closed %d (%zu KB of packet-ins sent)\n", n - open, sent >> 10);
    for (int i = 0; i < n; i++)
        if (conns[i].fd >= 0)
            close(conns[i].fd);
    free(conns);
    free(pfd);
    free(s);
    return 0;
}
