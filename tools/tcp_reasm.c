/* TCP reassembly of OpenFlow connections: see tcp_reasm.h.
 *
 * Each direction keeps the next sequence number it expects. A segment at
 * that number is appended to the direction's byte stream; one past it
 * waits in a list ordered by sequence number until the bytes before it
 * arrive; one before it (a retransmission) gives only its bytes past that
 * number, if any. Whole messages are cut from the stream by their header's
 * length. A direction stops being decoded at a framing error (a length
 * below 8) or when more than MAX_PENDING bytes wait behind a hole (the
 * capture lost a segment): what comes after cannot be framed for sure. */
#include "tcp_reasm.h"

#include <arpa/inet.h>
#include <stdint.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ken/datapath.h" /* ken_ofp_type_name */
#include "ken/ofp.h"

#define MAX_PENDING (8u << 20) /* bytes waiting behind a hole, per direction */
#define OFP_HEADER 8

struct seg {
    struct seg *next;
    uint32_t seq;
    size_t len;
    uint8_t data[];
};

struct half {
    bool init, dead, fin, midstream;
    uint32_t next;           /* the next sequence number the stream expects */
    struct seg *pending;     /* segments after a hole, by sequence number */
    size_t pending_bytes;
    uint8_t *buf;            /* stream bytes not yet cut into messages */
    size_t len, cap;
    uint64_t offset;         /* stream offset of buf[0] */
};

struct conn {
    struct reasm_conn pub;
    struct half h[2];
    bool closed;             /* both sides sent FIN, or one RST */
};

struct reasm {
    uint16_t *ports;
    size_t n_ports;
    struct reasm_cb cb;
    struct conn **conns;
    size_t n_conns, cap_conns;
    size_t *slots;    /* a hash of the address pairs: 1 + the index of the
                       * pair's latest connection in conns, 0 for none */
    size_t n_slots, n_used;
    unsigned next_id;
};

bool reasm_linktype_known(int t)
{
    return t == REASM_LINK_NULL || t == REASM_LINK_ETHERNET || t == REASM_LINK_RAW || t == REASM_LINK_LOOP ||
           t == REASM_LINK_LINUX_SLL || t == REASM_LINK_LINUX_SLL2 || t == 12 || t == 14;
}

void reasm_end_str(const struct reasm_end *e, char *out, size_t len)
{
    char a[INET6_ADDRSTRLEN] = "?";
    inet_ntop(e->family == 6 ? AF_INET6 : AF_INET, e->addr, a, sizeof a);
    snprintf(out, len, e->family == 6 ? "[%s]:%u" : "%s:%u", a, e->port);
}

struct reasm *reasm_new(const uint16_t *ports, size_t n_ports, const struct reasm_cb *cb)
{
    struct reasm *r = calloc(1, sizeof *r);
    if (!r)
        return NULL;
    r->ports = malloc((n_ports ? n_ports : 1) * sizeof *ports);
    if (!r->ports) {
        free(r);
        return NULL;
    }
    memcpy(r->ports, ports, n_ports * sizeof *ports);
    r->n_ports = n_ports;
    r->cb = *cb;
    r->next_id = 1;
    return r;
}

static void note(struct reasm *r, struct conn *c, int dir, double ts, bool error, const char *fmt, ...)
    __attribute__((format(printf, 6, 7)));
static void note(struct reasm *r, struct conn *c, int dir, double ts, bool error, const char *fmt, ...)
{
    char text[256];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(text, sizeof text, fmt, ap);
    va_end(ap);
    if (r->cb.note)
        r->cb.note(r->cb.arg, &c->pub, dir, ts, error, text);
}

static void half_free(struct half *h)
{
    while (h->pending) {
        struct seg *s = h->pending;
        h->pending = s->next;
        free(s);
    }
    h->pending_bytes = 0;
    free(h->buf);
    h->buf = NULL;
    h->len = h->cap = 0;
}

/* Cuts the whole messages at the front of the stream. */
/* Whether an OpenFlow header could start at p: a version ken speaks, a
 * type that version has, a length of at least 8. */
static bool header_plausible(const uint8_t *p)
{
    return ken_ofp_version_supported(p[0]) && ken_ofp_type_name(p[0], p[1]) && ((size_t)p[2] << 8 | p[3]) >= OFP_HEADER;
}

/* A stream whose start the capture missed: the first offset from which
 * plausible headers follow one another (as far as the bytes go), or
 * SIZE_MAX if none yet. */
static size_t half_resync(const struct half *h)
{
    for (size_t o = 0; o + OFP_HEADER <= h->len; o++) {
        size_t q = o;
        int chained = 0;
        while (q + OFP_HEADER <= h->len && header_plausible(h->buf + q) && chained < 4) {
            q += (size_t)h->buf[q + 2] << 8 | h->buf[q + 3];
            chained++;
        }
        /* every header checked is plausible, up to the end of the bytes */
        if (chained && (q + OFP_HEADER > h->len || chained == 4))
            return o;
    }
    return SIZE_MAX;
}

static void half_cut(struct reasm *r, struct conn *c, int dir, double ts)
{
    struct half *h = &c->h[dir];
    size_t off = 0;
    if (h->midstream && h->len >= OFP_HEADER) {
        size_t o = half_resync(h);
        if (o == SIZE_MAX)
            o = h->len - (OFP_HEADER - 1); /* keep what may start a header */
        else {
            h->midstream = false;
            if (o)
                note(r, c, dir, ts, false, "%zu bytes before the first whole message skipped", o);
        }
        off = o;
    }
    while (!h->dead && !h->midstream && h->len - off >= OFP_HEADER) {
        const uint8_t *p = h->buf + off;
        size_t mlen = (size_t)p[2] << 8 | p[3];
        if (mlen < OFP_HEADER) {
            note(r, c, dir, ts, true,
                 "framing error at stream byte %llu: a message header gives length %zu (below 8); "
                 "the rest of this direction is not decoded",
                 (unsigned long long)(h->offset + off), mlen);
            h->dead = true;
            break;
        }
        if (h->len - off < mlen)
            break;
        if (r->cb.msg)
            r->cb.msg(r->cb.arg, &c->pub, dir, ts, p, mlen);
        off += mlen;
    }
    if (h->dead) {
        h->offset += h->len;
        h->len = 0;
        return;
    }
    memmove(h->buf, h->buf + off, h->len - off);
    h->len -= off;
    h->offset += off;
}

/* Appends in-order bytes to the stream. */
static void half_append(struct reasm *r, struct conn *c, int dir, double ts, const uint8_t *p, size_t n)
{
    struct half *h = &c->h[dir];
    h->next += (uint32_t)n;
    if (h->dead || !n)
        return;
    if (h->len + n > h->cap) {
        size_t cap = h->cap ? h->cap : 4096;
        while (cap < h->len + n)
            cap *= 2;
        uint8_t *nb = realloc(h->buf, cap);
        if (!nb) {
            note(r, c, dir, ts, true, "out of memory: the rest of this direction is not decoded");
            h->dead = true;
            return;
        }
        h->buf = nb;
        h->cap = cap;
    }
    memcpy(h->buf + h->len, p, n);
    h->len += n;
    half_cut(r, c, dir, ts);
}

/* The bytes of [seq, seq + n) from h->next on, appended. */
static void half_take(struct reasm *r, struct conn *c, int dir, double ts, uint32_t seq, const uint8_t *p, size_t n)
{
    struct half *h = &c->h[dir];
    int32_t d = (int32_t)(seq - h->next);
    if (d < 0) {
        size_t old = (size_t)-(int64_t)d;
        if (old >= n)
            return; /* a retransmission of bytes the stream has */
        p += old;
        n -= old;
    }
    half_append(r, c, dir, ts, p, n);
}

/* Delivers the waiting segments that the stream has reached. */
static void half_drain(struct reasm *r, struct conn *c, int dir, double ts)
{
    struct half *h = &c->h[dir];
    while (h->pending && (int32_t)(h->pending->seq - h->next) <= 0) {
        struct seg *s = h->pending;
        h->pending = s->next;
        h->pending_bytes -= s->len;
        half_take(r, c, dir, ts, s->seq, s->data, s->len);
        free(s);
    }
}

/* Skips the hole before the first waiting segment (the capture lost it). */
static void half_skip_hole(struct reasm *r, struct conn *c, int dir, double ts, const char *why)
{
    struct half *h = &c->h[dir];
    if (!h->pending)
        return;
    uint32_t missing = h->pending->seq - h->next;
    note(r, c, dir, ts, true,
         "%u bytes missing from the capture at stream byte %llu (%s); the rest of this direction is not decoded",
         missing, (unsigned long long)(h->offset + h->len), why);
    h->dead = true;
    h->next = h->pending->seq;
    half_drain(r, c, dir, ts);
}

static void half_segment(struct reasm *r, struct conn *c, int dir, double ts, uint32_t seq, uint8_t flags,
                         const uint8_t *p, size_t n)
{
    struct half *h = &c->h[dir];
    enum { FIN = 1, SYN = 2, RST = 4 };
    if (flags & SYN) {
        /* the first SYN sets the stream's start; one sent again (its
         * answer was lost) changes nothing: a new connection on the same
         * addresses is a new struct conn (conn_get) */
        if (!h->init) {
            h->init = true;
            h->next = seq + 1;
        }
        seq++; /* data after a SYN starts one past it */
    } else if (!h->init) {
        h->init = true;
        h->midstream = true;
        h->next = seq;
        if (n)
            note(r, c, dir, ts, false, "the capture starts in the middle of this direction's stream");
    }
    if (n) {
        int32_t d = (int32_t)(seq - h->next);
        if (d <= 0) {
            half_take(r, c, dir, ts, seq, p, n);
            half_drain(r, c, dir, ts);
        } else {
            /* after a hole: wait, in sequence order */
            struct seg **at = &h->pending;
            while (*at && (int32_t)((*at)->seq - seq) < 0)
                at = &(*at)->next;
            if (*at && (*at)->seq == seq && (*at)->len >= n)
                return; /* the same segment again */
            struct seg *s = malloc(sizeof *s + n);
            if (!s) {
                half_skip_hole(r, c, dir, ts, "out of memory");
                return;
            }
            s->seq = seq;
            s->len = n;
            memcpy(s->data, p, n);
            s->next = *at;
            *at = s;
            h->pending_bytes += n;
            if (h->pending_bytes > MAX_PENDING)
                half_skip_hole(r, c, dir, ts, "too much data waits behind it");
        }
    }
    if (flags & (FIN | RST))
        h->fin = true;
}

static bool is_of_port(const struct reasm *r, uint16_t port)
{
    for (size_t i = 0; i < r->n_ports; i++)
        if (r->ports[i] == port)
            return true;
    return false;
}

static bool end_eq(const struct reasm_end *a, const struct reasm_end *b)
{
    return a->family == b->family && a->port == b->port && !memcmp(a->addr, b->addr, 16);
}

static void conn_finish(struct reasm *r, struct conn *c, double ts)
{
    for (int dir = 0; dir < 2; dir++) {
        struct half *h = &c->h[dir];
        if (h->pending)
            half_skip_hole(r, c, dir, ts, "never captured");
        if (!h->dead && h->len && h->midstream)
            note(r, c, dir, ts, false, "no whole message in the %zu bytes captured", h->len);
        else if (!h->dead && h->len)
            note(r, c, dir, ts, true, "%zu bytes of an unfinished message at the end (stream byte %llu)", h->len,
                 (unsigned long long)h->offset);
        half_free(h);
    }
}

static uint64_t end_hash(const struct reasm_end *e)
{
    uint64_t h = 1469598103934665603ull ^ (uint64_t)e->family << 16 ^ e->port;
    for (int i = 0; i < 16; i++)
        h = (h ^ e->addr[i]) * 1099511628211ull;
    return h;
}

/* The slot of the pair (a, b), either way round: its own, or the empty
 * one where it goes. */
static size_t slot_find(const struct reasm *r, const struct reasm_end *a, const struct reasm_end *b)
{
    size_t mask = r->n_slots - 1, i = (size_t)((end_hash(a) ^ end_hash(b)) & mask);
    while (r->slots[i]) {
        const struct conn *c = r->conns[r->slots[i] - 1];
        if ((end_eq(&c->pub.end[0], a) && end_eq(&c->pub.end[1], b)) ||
            (end_eq(&c->pub.end[1], a) && end_eq(&c->pub.end[0], b)))
            return i;
        i = (i + 1) & mask;
    }
    return i;
}

/* Room for one more pair: false when out of memory. */
static bool slots_grow(struct reasm *r)
{
    if ((r->n_used + 1) * 2 <= r->n_slots)
        return true;
    size_t n = r->n_slots ? r->n_slots * 2 : 64;
    size_t *old = r->slots;
    r->slots = calloc(n, sizeof *r->slots);
    if (!r->slots) {
        r->slots = old;
        return false;
    }
    r->n_slots = n;
    r->n_used = 0;
    /* in order, so that a reused pair ends on its latest connection */
    for (size_t k = 0; k < r->n_conns; k++) {
        size_t i = slot_find(r, &r->conns[k]->pub.end[0], &r->conns[k]->pub.end[1]);
        r->n_used += !r->slots[i];
        r->slots[i] = k + 1;
    }
    free(old);
    return true;
}

/* The connection of a segment and its direction, made if new. */
static struct conn *conn_get(struct reasm *r, const struct reasm_end *src, const struct reasm_end *dst, bool syn_only,
                             double ts, int *dir)
{
    if (!slots_grow(r))
        return NULL;
    size_t at = slot_find(r, src, dst);
    if (r->slots[at]) {
        struct conn *c = r->conns[r->slots[at] - 1];
        int d = end_eq(&c->pub.end[0], src) ? 0 : 1;
        /* a new SYN on a finished connection (the port pair reused) */
        if (!(syn_only && (c->h[0].fin || c->h[1].fin))) {
            *dir = d;
            return c;
        }
        conn_finish(r, c, ts);
    }
    if (r->n_conns == r->cap_conns) {
        size_t cap = r->cap_conns ? r->cap_conns * 2 : 16;
        struct conn **nc = realloc(r->conns, cap * sizeof *nc);
        if (!nc)
            return NULL;
        r->conns = nc;
        r->cap_conns = cap;
    }
    struct conn *c = calloc(1, sizeof *c);
    if (!c)
        return NULL;
    /* end[1] is the OpenFlow port's side */
    bool src_is_server = is_of_port(r, src->port) && !is_of_port(r, dst->port);
    c->pub.end[0] = src_is_server ? *dst : *src;
    c->pub.end[1] = src_is_server ? *src : *dst;
    c->pub.id = r->next_id++;
    r->conns[r->n_conns++] = c;
    r->n_used += !r->slots[at];
    r->slots[at] = r->n_conns;
    *dir = src_is_server ? 1 : 0;
    return c;
}

static void tcp_segment(struct reasm *r, double ts, struct reasm_end *src, struct reasm_end *dst, const uint8_t *p,
                        size_t n, bool truncated)
{
    if (n < 20)
        return;
    src->port = (uint16_t)(p[0] << 8 | p[1]);
    dst->port = (uint16_t)(p[2] << 8 | p[3]);
    if (!is_of_port(r, src->port) && !is_of_port(r, dst->port))
        return;
    uint32_t seq = (uint32_t)p[4] << 24 | (uint32_t)p[5] << 16 | (uint32_t)p[6] << 8 | p[7];
    size_t hlen = (size_t)(p[12] >> 4) * 4;
    uint8_t flags = p[13];
    if (hlen < 20 || hlen > n)
        return;
    int dir;
    struct conn *c = conn_get(r, src, dst, (flags & 0x12) == 0x02, ts, &dir);
    if (!c)
        return;
    if (truncated && !c->h[dir].dead) {
        /* the capture kept only the start of this segment (snaplen) */
        note(r, c, dir, ts, true, "a segment was captured cut short (snaplen); the rest of this direction is "
                                  "not decoded");
        c->h[dir].dead = true;
    }
    half_segment(r, c, dir, ts, seq, flags & 0x07, p + hlen, n - hlen);
}

static void ip_packet(struct reasm *r, double ts, const uint8_t *p, size_t n, bool truncated)
{
    struct reasm_end src = {0}, dst = {0};
    if (n < 1)
        return;
    if (p[0] >> 4 == 4) {
        if (n < 20)
            return;
        size_t ihl = (size_t)(p[0] & 0x0f) * 4, total = (size_t)p[2] << 8 | p[3];
        if (ihl < 20 || total < ihl)
            return;
        if (total > n) {
            if (!truncated)
                return; /* a bad length */
            total = n;
        } else
            truncated = false; /* what was cut was link padding only */
        if (ihl > total)
            return; /* the options run past what was captured */
        if (p[9] != 6 || ((p[6] & 0x3f) | p[7]))
            return; /* not TCP, or a fragment */
        src.family = dst.family = 4;
        memcpy(src.addr, p + 12, 4);
        memcpy(dst.addr, p + 16, 4);
        tcp_segment(r, ts, &src, &dst, p + ihl, total - ihl, truncated);
    } else if (p[0] >> 4 == 6) {
        if (n < 40)
            return;
        size_t total = 40 + ((size_t)p[4] << 8 | p[5]);
        if (total > n) {
            if (!truncated)
                return;
            total = n;
        } else
            truncated = false;
        uint8_t nxt = p[6];
        size_t off = 40;
        /* hop-by-hop, routing and destination options may come first */
        while ((nxt == 0 || nxt == 43 || nxt == 60) && off + 8 <= total) {
            nxt = p[off];
            off += 8 + (size_t)p[off + 1] * 8;
        }
        if (nxt != 6 || off > total)
            return;
        src.family = dst.family = 6;
        memcpy(src.addr, p + 8, 16);
        memcpy(dst.addr, p + 24, 16);
        tcp_segment(r, ts, &src, &dst, p + off, total - off, truncated);
    }
}

void reasm_frame(struct reasm *r, int linktype, double ts, const uint8_t *f, size_t caplen, size_t origlen)
{
    bool truncated = origlen > caplen;
    size_t off = 0;
    unsigned proto = 0; /* an ethertype, or 0: look at the IP version */
    switch (linktype) {
    case REASM_LINK_ETHERNET:
        if (caplen < 14)
            return;
        proto = (unsigned)f[12] << 8 | f[13];
        off = 14;
        while ((proto == 0x8100 || proto == 0x88a8) && caplen >= off + 4) {
            proto = (unsigned)f[off + 2] << 8 | f[off + 3];
            off += 4;
        }
        break;
    case REASM_LINK_LINUX_SLL:
        if (caplen < 16)
            return;
        proto = (unsigned)f[14] << 8 | f[15];
        off = 16;
        break;
    case REASM_LINK_LINUX_SLL2:
        if (caplen < 20)
            return;
        proto = (unsigned)f[0] << 8 | f[1];
        off = 20;
        break;
    case REASM_LINK_NULL:
    case REASM_LINK_LOOP:
        if (caplen < 4)
            return;
        off = 4; /* the family: the IP version byte says as much */
        break;
    case REASM_LINK_RAW:
    case 12:
    case 14:
        break;
    default:
        return;
    }
    if (proto && proto != 0x0800 && proto != 0x86dd)
        return;
    if (off > caplen)
        return;
    ip_packet(r, ts, f + off, caplen - off, truncated);
}

void reasm_finish(struct reasm *r)
{
    for (size_t i = 0; i < r->n_conns; i++)
        conn_finish(r, r->conns[i], 0);
}

void reasm_free(struct reasm *r)
{
    if (!r)
        return;
    for (size_t i = 0; i < r->n_conns; i++) {
        half_free(&r->conns[i]->h[0]);
        half_free(&r->conns[i]->h[1]);
        free(r->conns[i]);
    }
    free(r->conns);
    free(r->slots);
    free(r->ports);
    free(r);
}
