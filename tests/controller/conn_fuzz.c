/* The connection-level fuzzer: an in-process controller (with the runtime
 * and a recording app) fed by N concurrent TCP connections on 127.0.0.1
 * whose byte streams come from a seeded PRNG: random bytes, valid headers
 * with random bodies, mutated and truncated messages from tests/vectors and
 * the shared conformance corpus, hellos with odd bitmaps, huge lengths,
 * messages split at random points across writes, random closes (FIN and
 * RST), before and after a real handshake.
 *
 * It proves, for the time it runs: no crash (ASan/UBSan abort), no hang
 * (after every scenario the connection is either closed by the controller
 * or answers an echo within a bound; a stream with a framing error is
 * closed), every event the apps get is a well-framed message, no leak (fds
 * and connections back to baseline; LSan at exit), and a well-behaved
 * switch still reaches MAIN at the end.
 *
 *   conn-fuzz [VECTORS_DIR [CONFORMANCE_OFP_DIR]]
 *   KEN_CONN_FUZZ_SECONDS  how long to run (60)
 *   KEN_CONN_FUZZ_SEED     the seed to replay (printed at start); the
 *                          streams replay exactly, their interleaving does not
 *   KEN_CONN_FUZZ_CONNS    concurrent connections (8)
 */
#include <dirent.h>
#include <errno.h>
#include <inttypes.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "fake_switch.h"
#include "hostile.h"
#include "ken/app.h"
#include "ken/controller.h"
#include "ken/datapath.h"
#include "ken/log.h"
#include "ken/ofp_event.h"

/* Undefined behaviour is a finding like a crash: stop at the first report
 * (UBSan only reports and goes on by default). */
const char *__ubsan_default_options(void);
const char *__ubsan_default_options(void) { return "halt_on_error=1:print_stacktrace=1"; }

#define CHECK_MS 4000         /* handshake timeout (2 s) + a margin */
#define HANDSHAKE_TIMEOUT 2.0
#define MAX_WORKERS 32

/* ---- the PRNG (splitmix64: small, and every seed is good) ---- */

struct rng {
    uint64_t s;
};

static uint64_t rnd(struct rng *r)
{
    uint64_t z = (r->s += 0x9e3779b97f4a7c15ull);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return z ^ (z >> 31);
}

static uint32_t below(struct rng *r, uint32_t n) { return n ? (uint32_t)(rnd(r) % n) : 0; }

/* ---- the corpus of valid (and known-bad) messages ---- */

struct sample {
    uint8_t *data;
    size_t len;
};

static struct sample *corpus;
static size_t n_corpus, cap_corpus;

static void corpus_add(const uint8_t *data, size_t len)
{
    if (len < 8 || len > 65535)
        return;
    if (n_corpus == cap_corpus) {
        cap_corpus = cap_corpus ? 2 * cap_corpus : 256;
        corpus = realloc(corpus, cap_corpus * sizeof *corpus);
        if (!corpus)
            abort();
    }
    uint8_t *copy = malloc(len);
    if (!copy)
        abort();
    memcpy(copy, data, len);
    corpus[n_corpus++] = (struct sample){copy, len};
}

static uint8_t *read_whole(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    size_t cap = 4096, n = 0;
    uint8_t *b = malloc(cap);
    size_t r;
    while (b && (r = fread(b + n, 1, cap - n, f)) > 0) {
        n += r;
        if (n == cap) {
            uint8_t *nb = realloc(b, cap *= 2);
            if (!nb) {
                free(b);
                b = NULL;
            }
            b = nb;
        }
    }
    fclose(f);
    *len = n;
    return b;
}

static int hexval(int c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

/* A .hex vector: hex digits, '#' comments to the end of the line. */
static void load_hex(const char *path)
{
    size_t n;
    uint8_t *text = read_whole(path, &n);
    if (!text)
        return;
    uint8_t *out = malloc(n / 2 + 1);
    size_t m = 0;
    int hi = -1;
    bool comment = false;
    for (size_t i = 0; out && i < n; i++) {
        if (text[i] == '\n')
            comment = false;
        else if (text[i] == '#')
            comment = true;
        if (comment)
            continue;
        int v = hexval(text[i]);
        if (v < 0)
            continue;
        if (hi < 0) {
            hi = v;
        } else {
            out[m++] = (uint8_t)(hi << 4 | v);
            hi = -1;
        }
    }
    /* A file may hold several messages back to back: split them. */
    for (size_t at = 0; out && at + 8 <= m;) {
        size_t len = (size_t)out[at + 2] << 8 | out[at + 3];
        if (len < 8 || at + len > m) {
            corpus_add(out + at, m - at); /* keep the rest whole: it is bad on purpose */
            break;
        }
        corpus_add(out + at, len);
        at += len;
    }
    free(out);
    free(text);
}

static void load_packet(const char *path)
{
    size_t n;
    uint8_t *b = read_whole(path, &n);
    if (b)
        corpus_add(b, n);
    free(b);
}

static bool ends_with(const char *s, const char *suffix)
{
    size_t a = strlen(s), b = strlen(suffix);
    return a >= b && !strcmp(s + a - b, suffix);
}

/* Every .hex and .packet file under dir (one level of subdirectories). */
static size_t load_dir(const char *dir, int depth)
{
    DIR *d = opendir(dir);
    if (!d)
        return 0;
    size_t before = n_corpus;
    struct dirent *e;
    while ((e = readdir(d))) {
        if (e->d_name[0] == '.')
            continue;
        char path[1024];
        snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
        struct stat st;
        if (stat(path, &st))
            continue;
        if (S_ISDIR(st.st_mode) && depth > 0)
            load_dir(path, depth - 1);
        else if (ends_with(e->d_name, ".hex"))
            load_hex(path);
        else if (ends_with(e->d_name, ".packet"))
            load_packet(path);
    }
    closedir(d);
    return n_corpus - before;
}

/* ---- the recording app: counts, and checks every message event ---- */

static atomic_size_t n_events, n_bad_events;
static atomic_uint_least64_t want_main_dpid;
static atomic_bool saw_want_main;

static void rec_on_event(struct ken_app *app, const struct ken_event *ev)
{
    (void)app;
    atomic_fetch_add(&n_events, 1);
    if (ken_event_is_a(ev, ken_ev_ofp_msg_base_class.id)) {
        const struct ken_ev_ofp *e = ken_ev_ofp(ev);
        const uint8_t *d = e->msg.data;
        bool ok = e->msg.len >= 8 && d && ((size_t)d[2] << 8 | d[3]) == e->msg.len && d[1] == e->msg.type &&
                  e->msg.datapath;
        if (ok && e->packet_in)
            ok = e->packet_in->data_len <= e->msg.len;
        if (!ok) {
            atomic_fetch_add(&n_bad_events, 1);
            fprintf(stderr, "conn-fuzz: an event with a badly framed message (%s, len %u)\n",
                    e->msg.cls ? e->msg.cls : "?", e->msg.len);
        }
    } else if (ev->cls == ken_ev_ofp_state_change_class.id) {
        const struct ken_ev_ofp_state_change *sc = ken_ev_ofp_state_change(ev);
        uint64_t want = atomic_load(&want_main_dpid);
        if (want && sc->phase == KEN_PHASE_MAIN && ken_datapath_id(sc->datapath) == want)
            atomic_store(&saw_want_main, true);
    }
}

static const struct ken_handler rec_handlers[] = {
    {"EventBase", 0, rec_on_event},
    {NULL, 0, NULL},
};
static const struct ken_app_desc rec_app = {
    .name = "conn_fuzz_rec", .handlers = rec_handlers, .flags = KEN_APP_NONBLOCKING};
KEN_APP_REGISTER(rec_app)

/* ---- the controller's framing, tracked on our side ---- */

/* What the controller has framed of what we sent: a header being filled,
 * or a body's remaining bytes; broken once a header said length < 8 (the
 * controller must then close). */
struct framer {
    uint8_t hdr[8];
    size_t hlen;
    size_t remaining;
    bool broken;
};

static void framer_feed(struct framer *f, const uint8_t *p, size_t n)
{
    for (size_t i = 0; i < n && !f->broken; i++) {
        if (f->remaining) {
            size_t take = n - i < f->remaining ? n - i : f->remaining;
            f->remaining -= take;
            i += take - 1;
            continue;
        }
        f->hdr[f->hlen++] = p[i];
        if (f->hlen == 8) {
            size_t len = (size_t)f->hdr[2] << 8 | f->hdr[3];
            f->hlen = 0;
            if (len < 8)
                f->broken = true;
            else
                f->remaining = len - 8;
        }
    }
}

/* The bytes that end the message in progress harmlessly: zeros for a
 * body; for a header cut short, zeros with a length of 8 where the length
 * is still ours to choose. */
static size_t framer_completion(const struct framer *f, uint8_t *out)
{
    if (!f->hlen) {
        memset(out, 0, f->remaining);
        return f->remaining;
    }
    uint8_t h[8] = {0};
    memcpy(h, f->hdr, f->hlen);
    if (f->hlen <= 2)
        h[3] = 8;
    else if (f->hlen == 3)
        h[3] = h[2] ? 0 : 8;
    size_t len = (size_t)h[2] << 8 | h[3];
    size_t n = 8 - f->hlen;
    memcpy(out, h + f->hlen, n);
    if (len > 8) {
        memset(out + n, 0, len - 8);
        n += len - 8;
    }
    return n;
}

/* ---- generators ---- */

struct stream {
    uint8_t *b;
    size_t n, cap;
};

static uint8_t *stream_room(struct stream *s, size_t n)
{
    if (!s->b || s->n + n > s->cap) { /* never NULL, even for 0 bytes */
        while (!s->cap || s->n + n > s->cap)
            s->cap = s->cap ? 2 * s->cap : 65536;
        s->b = realloc(s->b, s->cap);
        if (!s->b)
            abort();
    }
    uint8_t *p = s->b + s->n;
    s->n += n;
    return p;
}

static void put16(uint8_t *p, uint16_t v) { p[0] = (uint8_t)(v >> 8); p[1] = (uint8_t)v; }
static void put32(uint8_t *p, uint32_t v) { put16(p, (uint16_t)(v >> 16)); put16(p + 2, (uint16_t)v); }

static const uint8_t versions[] = {1, 3, 4, 5, 6};

static uint8_t pick_version(struct rng *r, uint8_t negotiated)
{
    uint32_t k = below(r, 10);
    if (negotiated && k < 7)
        return negotiated;
    if (k < 9)
        return versions[below(r, sizeof versions)];
    return (uint8_t)rnd(r); /* any byte */
}

static void gen_random_bytes(struct rng *r, struct stream *s)
{
    size_t n = 1 + below(r, below(r, 8) ? 64 : 2000);
    uint8_t *p = stream_room(s, n);
    for (size_t i = 0; i < n; i++)
        p[i] = (uint8_t)rnd(r);
}

static void gen_header_random_body(struct rng *r, struct stream *s, uint8_t negotiated)
{
    size_t body = below(r, 4) ? below(r, 64) : below(r, 600);
    uint8_t *p = stream_room(s, 8 + body);
    p[0] = pick_version(r, negotiated);
    p[1] = (uint8_t)(below(r, 8) ? below(r, 36) : rnd(r));
    put16(p + 2, (uint16_t)(8 + body));
    put32(p + 4, (uint32_t)rnd(r));
    for (size_t i = 0; i < body; i++)
        p[8 + i] = below(r, 3) ? 0 : (uint8_t)rnd(r); /* zeros parse further */
}

static const struct sample *pick_sample(struct rng *r, uint8_t negotiated)
{
    if (!n_corpus)
        return NULL;
    /* Prefer the negotiated version: those reach the decoders. */
    for (int tries = 0; negotiated && tries < 16; tries++) {
        const struct sample *x = &corpus[below(r, (uint32_t)n_corpus)];
        if (x->data[0] == negotiated)
            return x;
    }
    return &corpus[below(r, (uint32_t)n_corpus)];
}

static void mutate(struct rng *r, uint8_t *p, size_t n)
{
    static const uint8_t interesting[] = {0, 1, 7, 8, 0x7f, 0x80, 0xfe, 0xff};
    uint32_t k = 1 + below(r, 8);
    for (uint32_t i = 0; i < k; i++) {
        size_t at = below(r, (uint32_t)n);
        switch (below(r, 4)) {
        case 0:
            p[at] ^= (uint8_t)(1u << below(r, 8));
            break;
        case 1:
            p[at] = interesting[below(r, sizeof interesting)];
            break;
        case 2:
            p[at] = (uint8_t)rnd(r);
            break;
        default:
            /* A 16-bit length inside (TLV lengths are 16-bit) set oddly. */
            if (at + 1 < n && at >= 8)
                put16(p + at, (uint16_t)(below(r, 2) ? below(r, 24) : rnd(r)));
            break;
        }
    }
}

static void gen_sample(struct rng *r, struct stream *s, uint8_t negotiated, bool mutated, bool truncated)
{
    const struct sample *x = pick_sample(r, negotiated);
    if (!x) {
        gen_header_random_body(r, s, negotiated);
        return;
    }
    size_t n = x->len;
    if (truncated)
        n = below(r, (uint32_t)n); /* the rest never comes (until the check) */
    uint8_t *p = stream_room(s, n);
    memcpy(p, x->data, n);
    if (mutated && n > 8)
        mutate(r, p + 4, n - 4); /* the first four kept: the framing stays whole */
    else if (mutated && n)
        mutate(r, p, n);
    if (n >= 8 && negotiated && below(r, 2))
        p[0] = negotiated;
}

/* Hellos with odd element lists: several elements, unknown types, odd and
 * zero lengths, empty, huge or foreign bitmaps. */
static void gen_odd_hello(struct rng *r, struct stream *s)
{
    uint8_t buf[256];
    size_t n = 8;
    buf[0] = pick_version(r, 0);
    buf[1] = 0;
    put32(buf + 4, (uint32_t)rnd(r));
    uint32_t elements = below(r, 5);
    for (uint32_t i = 0; i < elements && n + 24 <= sizeof buf; i++) {
        uint16_t type = (uint16_t)(below(r, 3) ? 1 : rnd(r));
        uint16_t words = (uint16_t)below(r, 4);
        uint16_t len = (uint16_t)(4 + 4 * words);
        if (!below(r, 5))
            len = (uint16_t)below(r, 20); /* odd, short or past the end */
        put16(buf + n, type);
        put16(buf + n + 2, len);
        for (uint16_t w = 0; w < words; w++) {
            uint32_t bm = below(r, 2) ? (uint32_t)rnd(r) : (below(r, 2) ? 0 : 1u << below(r, 32));
            put32(buf + n + 4 + 4 * w, bm);
        }
        n += 4 + 4 * words;
    }
    put16(buf + 2, (uint16_t)n);
    memcpy(stream_room(s, n), buf, n);
}

/* A header announcing a huge message, then only part of it. */
static void gen_huge_length(struct rng *r, struct stream *s, uint8_t negotiated)
{
    size_t part = below(r, 3000);
    uint8_t *p = stream_room(s, 8 + part);
    p[0] = pick_version(r, negotiated);
    p[1] = (uint8_t)below(r, 36);
    put16(p + 2, (uint16_t)(0xff00 | below(r, 256)));
    put32(p + 4, (uint32_t)rnd(r));
    for (size_t i = 0; i < part; i++)
        p[8 + i] = (uint8_t)rnd(r);
}

static void gen_echo(struct rng *r, struct stream *s, uint8_t negotiated)
{
    uint8_t *p = stream_room(s, 8);
    hs_echo(p, negotiated ? negotiated : 4, 2, (uint32_t)rnd(r));
}

static void gen_one(struct rng *r, struct stream *s, uint8_t negotiated)
{
    switch (below(r, 10)) {
    case 0:
        gen_random_bytes(r, s);
        break;
    case 1:
    case 2:
        gen_header_random_body(r, s, negotiated);
        break;
    case 3:
    case 4:
    case 5:
        gen_sample(r, s, negotiated, true, false);
        break;
    case 6:
        gen_sample(r, s, negotiated, false, below(r, 2));
        break;
    case 7:
        gen_odd_hello(r, s);
        break;
    case 8:
        gen_huge_length(r, s, negotiated);
        break;
    default:
        gen_echo(r, s, negotiated);
        break;
    }
}

/* ---- workers ---- */

struct stats {
    size_t conns, scenarios, bytes, handshakes, handshake_failures;
    size_t closed_by_controller, alive, random_closes, framing_closed;
    size_t hangs, framing_not_closed;
};

struct worker {
    int id;
    int port;
    uint64_t seed;
    int64_t end_us;
    struct stats st;
    pthread_t thread;
};

static pthread_mutex_t report_lock = PTHREAD_MUTEX_INITIALIZER;

/* Sends the stream in pieces cut at random points, sometimes pausing so
 * that the pieces arrive in separate reads. False when the socket failed. */
static bool send_split(struct rng *r, struct fsw *s, struct framer *f, const uint8_t *p, size_t n)
{
    while (n) {
        size_t piece = below(r, 3) ? n : 1 + below(r, (uint32_t)n);
        if (!hs_send_all(s->fd, p, piece))
            return false;
        framer_feed(f, p, piece);
        p += piece;
        n -= piece;
        if (n && !below(r, 4))
            usleep(below(r, 3000));
    }
    return true;
}

enum check { CHECK_ALIVE, CHECK_CLOSED, CHECK_HANG, CHECK_BAD_FRAME };

/* After a scenario: the connection answers an echo (a reply or an error
 * with its xid) or has been closed, within CHECK_MS. */
static enum check check_conn(struct fsw *s, struct framer *f, uint8_t negotiated, uint32_t xid, uint8_t *fill)
{
    if (!f->broken) {
        uint8_t tail[8 + 16 + 8];
        size_t n = framer_completion(f, fill);
        framer_feed(f, fill, n); /* a header that was already short breaks here */
        if (f->broken)
            return hs_send_all(s->fd, fill, n), fsw_wait_closed(s, CHECK_MS) ? CHECK_CLOSED : CHECK_HANG;
        size_t m = 0;
        /* A hello with every version (for a connection still in HANDSHAKE),
         * then the echo request. */
        const uint8_t hello[16] = {4, 0, 0, 16, 0, 0, 0, 0, 0, 1, 0, 8, 0, 0, 0, 0x7a};
        memcpy(tail, hello, 16);
        m += 16;
        m += hs_echo(tail + m, negotiated ? negotiated : 4, 2, xid);
        if (!hs_send_all(s->fd, fill, n) || !hs_send_all(s->fd, tail, m))
            return fsw_wait_closed(s, CHECK_MS) ? CHECK_CLOSED : CHECK_HANG;
    }
    int64_t deadline = hs_now_us() + CHECK_MS * 1000;
    for (;;) {
        int64_t left = (deadline - hs_now_us()) / 1000;
        if (left <= 0)
            return CHECK_HANG;
        int r = fsw_recv(s, (int)left);
        if (r == 0)
            return CHECK_CLOSED;
        if (r < 0) {
            if (s->rlen >= 8 && ((size_t)s->rbuf[2] << 8 | s->rbuf[3]) < 8)
                return CHECK_BAD_FRAME; /* the controller sent a length < 8 */
            return CHECK_HANG; /* timed out (for a framing error too: it must close) */
        }
        if (!f->broken && fsw_msg_xid(s) == xid)
            return CHECK_ALIVE;
    }
}

static void *worker_main(void *arg)
{
    struct worker *w = arg;
    struct rng r = {w->seed};
    struct fsw *s = calloc(1, sizeof *s);
    struct stream st = {0};
    uint8_t *fill = malloc(65536 + 16);
    if (!s || !fill)
        abort();
    s->fd = -1;
    uint32_t xid = (uint32_t)w->id << 24;
    while (hs_now_us() < w->end_us) {
        if (hs_connect(s, w->port, NULL, 3000)) {
            w->st.hangs++; /* the listener must always accept */
            fprintf(stderr, "conn-fuzz: worker %d cannot connect\n", w->id);
            usleep(100000);
            continue;
        }
        w->st.conns++;
        struct framer f = {0};
        uint8_t negotiated = 0;
        if (below(&r, 3)) {
            /* Up to MAIN first, so that the fuzz reaches the decoders;
             * dpids collide on purpose now and then (replacement). */
            s->version = versions[below(&r, sizeof versions)];
            s->dpid = below(&r, 8) ? ((uint64_t)w->id << 32 | rnd(&r) >> 40) : 1 + below(&r, 4);
            static const struct fsw_port ports[] = {{1, {2, 0, 0, 0, 0, 1}, "p1", 0, 0}};
            if (fsw_handshake(s, ports, 1)) {
                /* Replaced by a colliding dpid, or a real failure. */
                if (!fsw_wait_closed(s, CHECK_MS))
                    w->st.handshake_failures++;
                fsw_close(s);
                continue;
            }
            w->st.handshakes++;
            negotiated = s->version;
        }
        bool open = true;
        while (open && hs_now_us() < w->end_us) {
            w->st.scenarios++;
            st.n = 0;
            uint32_t k = 1 + below(&r, 24);
            for (uint32_t i = 0; i < k; i++)
                gen_one(&r, &st, negotiated);
            w->st.bytes += st.n;
            bool random_close = !below(&r, 10);
            size_t cut = random_close ? below(&r, (uint32_t)st.n + 1) : st.n;
            bool sent = send_split(&r, s, &f, st.b, cut);
            if (random_close) {
                w->st.random_closes++;
                if (below(&r, 2))
                    hs_close_rst(s);
                else
                    fsw_close(s);
                open = false;
                break;
            }
            (void)sent; /* a failed send means closed: the check says */
            enum check c = check_conn(s, &f, negotiated, ++xid, fill);
            if (c == CHECK_ALIVE) {
                w->st.alive++;
                f = (struct framer){0};
                open = below(&r, 2); /* go on with the same connection, or a new one */
            } else if (c == CHECK_CLOSED) {
                w->st.closed_by_controller++;
                w->st.framing_closed += f.broken;
                open = false;
            } else {
                pthread_mutex_lock(&report_lock);
                fprintf(stderr,
                        "conn-fuzz: worker %d, connection %zu, scenario %zu: %s (framing %s, %zu bytes sent)\n",
                        w->id, w->st.conns, w->st.scenarios,
                        c == CHECK_BAD_FRAME ? "the controller sent a bad frame"
                                             : "neither closed nor answering an echo in time",
                        f.broken ? "broken: must close" : "whole", st.n);
                pthread_mutex_unlock(&report_lock);
                if (f.broken)
                    w->st.framing_not_closed++;
                else
                    w->st.hangs++;
                open = false;
            }
        }
        if (s->fd >= 0) {
            if (below(&r, 2))
                hs_close_rst(s);
            else
                fsw_close(s);
        }
    }
    fsw_close(s);
    free(s);
    free(st.b);
    free(fill);
    return NULL;
}

/* ---- main ---- */

static long env_long(const char *name, long dflt)
{
    const char *v = getenv(name);
    return v && *v ? strtol(v, NULL, 0) : dflt;
}

static uint64_t env_seed(void)
{
    const char *v = getenv("KEN_CONN_FUZZ_SEED");
    if (v && *v)
        return strtoull(v, NULL, 0);
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (uint64_t)ts.tv_sec * 1000000007ull ^ (uint64_t)ts.tv_nsec ^ (uint64_t)getpid() << 32;
}

static bool wait_for(struct ken_controller *c, size_t conns, int fds, int timeout_ms)
{
    int64_t deadline = hs_now_us() + (int64_t)timeout_ms * 1000;
    do {
        if (ken_controller_n_connections(c) == conns && hs_fd_count() == fds)
            return true;
        usleep(10000);
    } while (hs_now_us() < deadline);
    return false;
}

int main(int argc, char **argv)
{
    /* Every bad message logs a line: keep the warnings and worse. */
    ken_log_set_level(KEN_LOG_ERROR);
    long seconds = env_long("KEN_CONN_FUZZ_SECONDS", 60);
    long n_workers = env_long("KEN_CONN_FUZZ_CONNS", 8);
    if (n_workers < 1)
        n_workers = 1;
    if (n_workers > MAX_WORKERS)
        n_workers = MAX_WORKERS;
    uint64_t seed = env_seed();
    printf("conn-fuzz: seed 0x%016" PRIx64 " (replay: KEN_CONN_FUZZ_SEED=0x%016" PRIx64 "), %ld s, %ld connections\n",
           seed, seed, seconds, n_workers);

    if (argc > 1)
        printf("conn-fuzz: %zu messages from %s\n", load_dir(argv[1], 1), argv[1]);
    if (argc > 2) {
        struct stat st;
        if (stat(argv[2], &st) == 0 && S_ISDIR(st.st_mode))
            printf("conn-fuzz: %zu messages from %s\n", load_dir(argv[2], 1), argv[2]);
        else
            printf("conn-fuzz: %s is absent: the conformance corpus is skipped as a source\n", argv[2]);
    }
    fflush(stdout);
    /* The whole run is bounded: setup, the fuzz, and the end checks. */
    hs_watchdog_arm((int)seconds + 90, "conn-fuzz");

    char why[KEN_WHY_LEN];
    if (ken_app_load_one("conn_fuzz_rec", why)) {
        fprintf(stderr, "conn-fuzz: cannot load the recorder: %s\n", why);
        return 1;
    }
    int fds_before = hs_fd_count();
    struct ken_controller_options o;
    ken_controller_options_init(&o);
    o.listen_host = "127.0.0.1";
    o.tcp_port = 0;
    o.handshake_timeout = HANDSHAKE_TIMEOUT; /* a stream stuck before MAIN is closed soon */
    char cwhy[KEN_CONTROLLER_WHY_LEN];
    struct ken_controller *c = ken_controller_start(&o, cwhy);
    if (!c) {
        fprintf(stderr, "conn-fuzz: controller: %s\n", cwhy);
        return 1;
    }
    int port = ken_controller_tcp_port(c);
    int fds0 = hs_fd_count();

    struct worker w[MAX_WORKERS];
    int64_t end = hs_now_us() + (int64_t)seconds * 1000000;
    for (long i = 0; i < n_workers; i++) {
        struct rng sr = {seed + (uint64_t)i};
        w[i] = (struct worker){.id = (int)i, .port = port, .seed = rnd(&sr), .end_us = end};
        if (pthread_create(&w[i].thread, NULL, worker_main, &w[i]))
            abort();
    }
    struct stats t = {0};
    for (long i = 0; i < n_workers; i++) {
        pthread_join(w[i].thread, NULL);
        t.conns += w[i].st.conns;
        t.scenarios += w[i].st.scenarios;
        t.bytes += w[i].st.bytes;
        t.handshakes += w[i].st.handshakes;
        t.handshake_failures += w[i].st.handshake_failures;
        t.closed_by_controller += w[i].st.closed_by_controller;
        t.framing_closed += w[i].st.framing_closed;
        t.alive += w[i].st.alive;
        t.random_closes += w[i].st.random_closes;
        t.hangs += w[i].st.hangs;
        t.framing_not_closed += w[i].st.framing_not_closed;
    }
    printf("conn-fuzz: %zu connections (%zu through the handshake first, %zu handshakes failed), %zu scenarios, "
           "%zu KB sent; after a scenario: %zu alive, %zu closed by the controller (%zu for a framing error), "
           "%zu closed by us at random; %zu events\n",
           t.conns, t.handshakes, t.handshake_failures, t.scenarios, t.bytes >> 10, t.alive,
           t.closed_by_controller, t.framing_closed, t.random_closes, atomic_load(&n_events));

    int failures = 0;
    if (t.hangs || t.framing_not_closed || t.handshake_failures) {
        printf("FAIL: %zu connections neither closed nor answering, %zu framing errors not closed, %zu "
               "well-formed handshakes that failed\n",
               t.hangs, t.framing_not_closed, t.handshake_failures);
        failures++;
    }
    if (atomic_load(&n_bad_events)) {
        printf("FAIL: %zu events carried badly framed messages\n", atomic_load(&n_bad_events));
        failures++;
    }
    /* Every connection closed on our side: the controller must let go of
     * all of them (connections and fds). */
    if (!wait_for(c, 0, fds0, 10000)) {
        printf("FAIL: after the fuzz: %zu connections (want 0), %d fds (want %d)\n", ken_controller_n_connections(c),
               hs_fd_count(), fds0);
        failures++;
    }
    /* A well-behaved switch still gets through. */
    struct fsw *s = calloc(1, sizeof *s);
    if (!s)
        abort();
    atomic_store(&want_main_dpid, 0xf00dull);
    s->version = KEN_OFP13;
    s->dpid = 0xf00d;
    static const struct fsw_port ports[] = {{1, {2, 0, 0, 0, 0, 1}, "p1", 0, 0}};
    bool up = hs_connect(s, port, NULL, 3000) == 0 && fsw_handshake(s, ports, 1) == 0;
    for (int i = 0; i < 500 && up && !atomic_load(&saw_want_main); i++)
        usleep(10000);
    if (!up || !atomic_load(&saw_want_main) || hs_echo_rtt_us(s, 0xf00d, 3000) < 0) {
        printf("FAIL: a well-behaved switch did not reach MAIN after the fuzz\n");
        failures++;
    }
    fsw_close(s);
    free(s);
    ken_controller_stop(c);
    ken_runtime_shutdown();
    for (size_t i = 0; i < n_corpus; i++)
        free(corpus[i].data);
    free(corpus);
    if (hs_fd_count() != fds_before) {
        printf("FAIL: %d fds open after the stop, %d before the start\n", hs_fd_count(), fds_before);
        failures++;
    }
    hs_watchdog_disarm();
    printf("conn-fuzz: %s (seed 0x%016" PRIx64 ")\n", failures ? "FAILED" : "passed", seed);
    return failures ? 1 : 0;
}
