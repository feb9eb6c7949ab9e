/* Hot-path match handling: OXM runs (1.2+) and the fixed 1.0 match, both
 * seen through struct ken_match. */
#include <errno.h>
#include <pthread.h>
#include <string.h>

#include "ken/ofp_msg.h"
#include "ofp/fast.h"
#include "ofp/ofp_spec.h"
#include "ofp/oxm.h"
#include "ofp/wire.h"

/* OXM values are 1 to 32 bytes: fixed-size copies the compiler inlines
 * beat a call to memcpy for each field. */
static inline void copy_small(uint8_t *d, const uint8_t *s, size_t n)
{
    switch (n) {
    case 1: d[0] = s[0]; break;
    case 2: memcpy(d, s, 2); break;
    case 4: memcpy(d, s, 4); break;
    case 6: memcpy(d, s, 6); break;
    case 8: memcpy(d, s, 8); break;
    case 12: memcpy(d, s, 12); break;
    case 16: memcpy(d, s, 16); break;
    default: memcpy(d, s, n);
    }
}

void (ken_match_init)(struct ken_match *m) { ken_match_init_inline(m); }

/* The inline builders' slow path (ken/ofp_msg.h): a length they do not
 * copy themselves, or no room left. */
int ken_match_add_slow(struct ken_match *m, uint32_t id, const void *value, const void *mask, uint8_t len)
{
    size_t need = (size_t)len * (mask ? 2 : 1);
    /* The inline storage is all a built match has; a view's fields are the
     * message's. */
    if (m->oxm || m->n >= KEN_MATCH_INLINE_FIELDS || m->used + need > KEN_MATCH_INLINE_DATA || len == 0)
        return ENOSPC;
    struct ken_match_field *f = &m->f[m->n++];
    f->id = id;
    f->exp = 0;
    f->len = len;
    f->masked = mask != NULL;
    f->off = m->used;
    copy_small(m->data + m->used, value, len);
    if (mask)
        copy_small(m->data + m->used + len, mask, len);
    m->used = (uint16_t)(m->used + need);
    return 0;
}

int (ken_match_add)(struct ken_match *m, uint32_t id, const void *value, const void *mask, uint8_t len)
{
    return ken_match_add_inline(m, id, value, mask, len);
}

int (ken_match_add_u8)(struct ken_match *m, uint32_t id, uint8_t v) { return ken_match_add_u8_inline(m, id, v); }
int (ken_match_add_u16)(struct ken_match *m, uint32_t id, uint16_t v) { return ken_match_add_u16_inline(m, id, v); }
int (ken_match_add_u32)(struct ken_match *m, uint32_t id, uint32_t v) { return ken_match_add_u32_inline(m, id, v); }
int (ken_match_add_u64)(struct ken_match *m, uint32_t id, uint64_t v) { return ken_match_add_u64_inline(m, id, v); }

int (ken_match_add_mac)(struct ken_match *m, uint32_t id, const uint8_t mac[6], const uint8_t *mask)
{
    return ken_match_add_mac_inline(m, id, mac, mask);
}

static inline unsigned inline_fields(const struct ken_match *m)
{
    return m->n < KEN_MATCH_INLINE_FIELDS ? m->n : KEN_MATCH_INLINE_FIELDS;
}

/* A view's field whose header starts at oxm[pos] (already checked by the
 * decoder): its descriptor, and the position of the next field. */
static size_t view_field(const struct ken_match *m, size_t pos, struct ken_match_field *f)
{
    uint32_t hdr = wire_get32(m->oxm + pos);
    uint8_t len = hdr & 0xff;
    f->id = hdr & 0xfffffe00u;
    f->masked = hdr & 0x100;
    f->exp = 0;
    size_t at = pos + OXM_HEADER_LEN;
    uint8_t vlen = len;
    if (hdr >> 16 == OXM_CLASS_EXPERIMENTER) {
        f->exp = wire_get32(m->oxm + at);
        at += OFPS_OXM_EXP_HEAD - OXM_HEADER_LEN;
        vlen -= OFPS_OXM_EXP_HEAD - OXM_HEADER_LEN;
    }
    f->len = f->masked ? vlen / 2 : vlen;
    f->off = (uint16_t)at;
    return pos + OXM_HEADER_LEN + len;
}

/* Where a view's fields past the inline descriptors start: right after the
 * last inline one's value (and mask). */
static size_t view_past_inline(const struct ken_match *m)
{
    const struct ken_match_field *last = &m->f[KEN_MATCH_INLINE_FIELDS - 1];
    return (size_t)last->off + (size_t)last->len * (last->masked ? 2 : 1);
}

/* The first field with this id past the inline descriptors of a view. */
static bool view_find(const struct ken_match *m, uint32_t id, struct ken_match_field *out)
{
    for (size_t pos = view_past_inline(m); pos < m->oxm_len;) {
        pos = view_field(m, pos, out);
        if (out->id == id)
            return true;
    }
    return false;
}

const struct ken_match_field *ken_match_find(const struct ken_match *m, uint32_t id)
{
    unsigned k = inline_fields(m);
    for (unsigned i = 0; i < k; i++)
        if (m->f[i].id == id)
            return &m->f[i];
    if (m->n <= KEN_MATCH_INLINE_FIELDS)
        return NULL;
    /* Past the inline descriptors there is no storage in the match (a
     * decoded match allocates nothing): a small per-thread ring holds the
     * copy, so a find followed by a value read stays valid. */
    static _Thread_local struct ken_match_field ring[8];
    static _Thread_local unsigned next;
    struct ken_match_field *slot = &ring[next++ % 8];
    return view_find(m, id, slot) ? slot : NULL;
}

const uint8_t *ken_match_value(const struct ken_match *m, const struct ken_match_field *f)
{
    return (m->oxm ? m->oxm : m->data) + f->off;
}

bool ken_match_get_uint(const struct ken_match *m, uint32_t id, uint64_t *v)
{
    unsigned k = inline_fields(m);
    const struct ken_match_field *f = NULL;
    struct ken_match_field past;
    for (unsigned i = 0; i < k && !f; i++)
        if (m->f[i].id == id)
            f = &m->f[i];
    if (!f && m->n > KEN_MATCH_INLINE_FIELDS && view_find(m, id, &past))
        f = &past;
    if (!f || f->len > 8)
        return false;
    *v = wire_getn(ken_match_value(m, f), f->len);
    return true;
}

const uint8_t *ken_match_next(const struct ken_match *m, size_t *pos, struct ken_match_field *f)
{
    if (!m->oxm) { /* *pos: the field's index */
        if (*pos >= m->n)
            return NULL;
        *f = m->f[(*pos)++];
        return m->data + f->off;
    }
    if (*pos >= m->oxm_len) /* *pos: the field's offset in the wire bytes */
        return NULL;
    *pos = view_field(m, *pos, f);
    return m->oxm + f->off;
}

/* ---- OXM (1.2+) ---- */

/* The value size of each field of the classes a switch sends in
 * packet-ins (OpenFlow basic, NXM0, NXM1, packet registers) by version, 0
 * when the version does not know the field (any size is then accepted, as
 * the JSON codec does), taken once from the JSON codec's field table: the
 * hot path accepts what the JSON codec accepts without scanning that table
 * per field. Experimenter fields take the JSON codec's own check. */
static const uint16_t sized_classes[] = {OXM_CLASS_BASIC, OXM_CLASS_NXM0, OXM_CLASS_NXM1, OXM_CLASS_PACKET_REGS};
#define N_SIZED_CLASSES (sizeof sized_classes / sizeof sized_classes[0])
static uint8_t field_size[N_SIZED_CLASSES][KEN_OFP15 + 1][128];
static pthread_once_t field_size_once = PTHREAD_ONCE_INIT;

/* Set (release) once field_size is filled: a decode tests it with one load
 * and calls pthread_once only before that. */
static bool field_size_ready;

static void field_size_init(void)
{
    for (size_t c = 0; c < N_SIZED_CLASSES; c++)
        for (uint8_t v = KEN_OFP10; v <= KEN_OFP15; v++)
            for (uint8_t f = 0; f < 128; f++) {
                const struct oxm_def *d = oxm_def_by_wire(OXM_FAM_MATCH, v, sized_classes[c], f, 0, 0);
                field_size[c][v][f] = d ? d->size : 0;
            }
    __atomic_store_n(&field_size_ready, true, __ATOMIC_RELEASE);
}

/* The sizes of a class's fields in a version, NULL for the classes
 * without a table. */
static const uint8_t *class_sizes(uint16_t cls, uint8_t version)
{
    for (size_t c = 0; c < N_SIZED_CLASSES; c++)
        if (sized_classes[c] == cls)
            return field_size[c][version];
    return NULL;
}

/* One OXM field at q, rem bytes left, checked as the JSON codec checks
 * it: fills f (off: where its value starts, from q) and *flen (the whole
 * field's size). */
static inline int oxm_field_parse(const uint8_t *q, size_t rem, uint8_t version, const uint8_t *basic_sizes,
                                  struct ken_match_field *f, size_t *flen)
{
    if (rem < 4)
        return KEN_OFPBMC_BAD_LEN;
    uint32_t hdr = wire_get32(q);
    uint8_t len = hdr & 0xff;
    bool masked = hdr & 0x100;
    if (len > rem - 4 || (masked && len % 2))
        return KEN_OFPBMC_BAD_LEN;
    uint16_t cls = (uint16_t)(hdr >> 16);
    const uint8_t *sizes = cls == OXM_CLASS_BASIC ? basic_sizes : class_sizes(cls, version);
    if (!sizes) { /* experimenter and unknown classes: the JSON codec's own checks */
        int err = ofp_oxm_match_check(q, rem, version);
        if (err)
            return err;
    }
    size_t at = OFPO_OXM_EXP_HEAD_EXPERIMENTER; /* after the header */
    uint32_t exp = 0;
    uint8_t vlen = len;
    if (cls == 0xffff) { /* experimenter class: the id comes first */
        if (vlen < 4)
            return KEN_OFPBMC_BAD_LEN;
        exp = wire_get32(q + OFPO_OXM_EXP_HEAD_EXPERIMENTER);
        at = OFPS_OXM_EXP_HEAD;
        vlen -= 4;
    }
    if (masked)
        vlen /= 2;
    uint8_t want = sizes ? sizes[hdr >> 9 & 0x7f] : 0; /* 0: any size but 0 */
    if (vlen == 0 || (want && vlen != want))
        return KEN_OFPBMC_BAD_LEN;
    f->id = hdr & 0xfffffe00u;
    f->exp = exp;
    f->len = vlen;
    f->masked = masked;
    f->off = (uint16_t)at;
    *flen = 4u + len;
    return 0;
}

/* A match bigger than the inline storage: a view of the wire bytes, the
 * first fields described inline (offsets from p), all of them checked.
 * Kept out of line: it is rare, and the hot loop stays small. */
__attribute__((noinline, cold)) static int oxm_view_decode(const uint8_t *p, size_t n, uint8_t version,
                                                          const uint8_t *basic_sizes, struct ken_match *m)
{
    ken_match_init(m);
    m->oxm = p;
    m->oxm_len = (uint16_t)n; /* within a message: under 64 KiB */
    for (size_t pos = 0; pos < n;) {
        struct ken_match_field fd;
        size_t flen;
        int err = oxm_field_parse(p + pos, n - pos, version, basic_sizes, &fd, &flen);
        if (err)
            return err;
        if (m->n < KEN_MATCH_INLINE_FIELDS) {
            fd.off = (uint16_t)(fd.off + pos);
            m->f[m->n] = fd;
        }
        m->n++; /* at least 5 bytes a field: fewer than 13108 */
        pos += flen;
    }
    return 0;
}

int fast_oxm_decode(const uint8_t *p, size_t n, uint8_t version, struct ken_match *m)
{
    if (__builtin_expect(!__atomic_load_n(&field_size_ready, __ATOMIC_ACQUIRE), 0))
        pthread_once(&field_size_once, field_size_init);
    if (version > KEN_OFP15)
        return KEN_OFPBRC_BAD_VERSION;
    /* ken_match_init, without a call (f and data are written as used) */
    m->n = 0;
    m->used = 0;
    m->oxm_len = 0;
    m->oxm = NULL;
    const uint8_t *basic_sizes = field_size[0][version]; /* the common class, looked up once */
    size_t pos = 0;
    while (pos < n) {
        struct ken_match_field fd;
        size_t flen;
        int err = oxm_field_parse(p + pos, n - pos, version, basic_sizes, &fd, &flen);
        if (err)
            return err;
        size_t vbytes = (size_t)fd.len * (fd.masked ? 2 : 1);
        /* Copied while it fits (the usual packet-in: a few fields); a
         * bigger match is read in place instead. */
        if (m->n >= KEN_MATCH_INLINE_FIELDS || m->used + vbytes > KEN_MATCH_INLINE_DATA)
            return oxm_view_decode(p, n, version, basic_sizes, m);
        copy_small(m->data + m->used, p + pos + fd.off, vbytes);
        fd.off = m->used;
        m->f[m->n++] = fd;
        m->used = (uint16_t)(m->used + vbytes);
        pos += flen;
    }
    return 0;
}

void ken_oxm_put(struct ken_buf *b, uint32_t id, const void *value, const void *mask, uint8_t len)
{
    unsigned vlen = (unsigned)len * (mask ? 2 : 1);
    uint8_t *p = ken_buf_put_zeros(b, OFPO_OXM_EXP_HEAD_EXPERIMENTER + vlen);
    wire_put32(p + OFPO_OXM_EXP_HEAD_HEADER, id | (mask ? 0x100u : 0) | vlen);
    memcpy(p + OFPO_OXM_EXP_HEAD_EXPERIMENTER, value, len);
    if (mask)
        memcpy(p + OFPO_OXM_EXP_HEAD_EXPERIMENTER + len, mask, len);
}

int ken_match_from_oxm(struct ken_match *m, uint8_t version, const uint8_t *oxm, size_t len)
{
    if (len > UINT16_MAX)
        return KEN_OFPBMC_BAD_LEN;
    return fast_oxm_decode(oxm, len, version, m);
}

void fast_oxm_encode(struct ken_buf *b, const struct ken_match *m)
{
    if (m->oxm) { /* a view: the fields as they came */
        ken_buf_put(b, m->oxm, m->oxm_len);
        return;
    }
    for (unsigned i = 0; i < m->n; i++) {
        const struct ken_match_field *f = &m->f[i];
        unsigned vlen = (unsigned)f->len * (f->masked ? 2 : 1);
        unsigned len = vlen + (f->exp ? 4 : 0);
        uint8_t *p = ken_buf_put_zeros(b, OFPO_OXM_EXP_HEAD_EXPERIMENTER + len);
        wire_put32(p + OFPO_OXM_EXP_HEAD_HEADER, f->id | (f->masked ? 0x100u : 0) | len);
        if (f->exp) {
            wire_put32(p + OFPO_OXM_EXP_HEAD_EXPERIMENTER, f->exp);
            p += OFPS_OXM_EXP_HEAD - OFPO_OXM_EXP_HEAD_EXPERIMENTER;
        }
        copy_small(p + OFPO_OXM_EXP_HEAD_EXPERIMENTER, m->data + f->off, vlen);
    }
}

void fast_match_encode(struct ken_buf *b, const struct ken_match *m)
{
    size_t start = b->len;
    uint8_t *h = ken_buf_put_zeros(b, OFPS_OFP_MATCH_HEAD);
    wire_put16(h + OFPO_OFP_MATCH_HEAD_TYPE, OFPD_OFP_MATCH_HEAD_TYPE);
    fast_oxm_encode(b, m);
    wire_put16(b->data + start + OFPO_OFP_MATCH_HEAD_LENGTH, (uint16_t)(b->len - start));
    ken_buf_align(b, start, 8);
}

/* ---- the 1.0 match ---- */

enum {
    FW_IN_PORT = 1 << 0, FW_DL_VLAN = 1 << 1, FW_DL_SRC = 1 << 2, FW_DL_DST = 1 << 3, FW_DL_TYPE = 1 << 4,
    FW_NW_PROTO = 1 << 5, FW_TP_SRC = 1 << 6, FW_TP_DST = 1 << 7, FW_NW_SRC_SHIFT = 8, FW_NW_DST_SHIFT = 14,
    FW_DL_VLAN_PCP = 1 << 20, FW_NW_TOS = 1 << 21, FW_ALL = FAST_MATCH10_ALL_WILD,
};

static void add_ip10(struct ken_match *m, uint32_t id, const uint8_t *v, uint32_t wild, int shift)
{
    unsigned bits = (wild >> shift) & 0x3f;
    if (bits >= 32)
        return;
    uint8_t mask[4];
    wire_put32(mask, bits ? ~((1u << bits) - 1) : 0xffffffffu);
    ken_match_add(m, id, v, bits ? mask : NULL, 4);
}

/* The 1.0 match's fields, where the description puts them. */
#define M10(field) OFPO_OFP_MATCH10_DESC_##field

void fast_match10_decode(const uint8_t *p, struct ken_match *m)
{
    uint32_t w = wire_get32(p + M10(WILDCARDS));
    ken_match_init(m);
    if (!(w & FW_IN_PORT))
        ken_match_add_u32(m, KEN_OXM_IN_PORT, ken_port_from_wire(KEN_OFP10, wire_get16(p + M10(IN_PORT))));
    if (!(w & FW_DL_SRC))
        ken_match_add(m, KEN_OXM_ETH_SRC, p + M10(DL_SRC), NULL, 6);
    if (!(w & FW_DL_DST))
        ken_match_add(m, KEN_OXM_ETH_DST, p + M10(DL_DST), NULL, 6);
    if (!(w & FW_DL_VLAN))
        ken_match_add(m, KEN_OXM_VLAN_VID, p + M10(DL_VLAN), NULL, 2);
    if (!(w & FW_DL_VLAN_PCP))
        ken_match_add(m, KEN_OXM_VLAN_PCP, p + M10(DL_VLAN_PCP), NULL, 1);
    if (!(w & FW_DL_TYPE))
        ken_match_add(m, KEN_OXM_ETH_TYPE, p + M10(DL_TYPE), NULL, 2);
    if (!(w & FW_NW_TOS))
        ken_match_add_u8(m, KEN_OXM_IP_DSCP, p[M10(NW_TOS)] >> 2);
    if (!(w & FW_NW_PROTO))
        ken_match_add(m, KEN_OXM_IP_PROTO, p + M10(NW_PROTO), NULL, 1);
    add_ip10(m, KEN_OXM_IPV4_SRC, p + M10(NW_SRC), w, FW_NW_SRC_SHIFT);
    add_ip10(m, KEN_OXM_IPV4_DST, p + M10(NW_DST), w, FW_NW_DST_SHIFT);
    if (!(w & FW_TP_SRC))
        ken_match_add(m, KEN_OXM_TCP_SRC, p + M10(TP_SRC), NULL, 2);
    if (!(w & FW_TP_DST))
        ken_match_add(m, KEN_OXM_TCP_DST, p + M10(TP_DST), NULL, 2);
}

static unsigned mask_wild_bits(const struct ken_match_field *f, const uint8_t *v)
{
    if (!f->masked)
        return 0;
    uint32_t mask = wire_get32(v + 4);
    unsigned zeros = 0;
    while (zeros < 32 && !(mask & (1u << zeros)))
        zeros++;
    return zeros;
}

/* An OpenFlow basic field's number (0..127) in its id, and whether an id
 * is one (the class, no stray bits): the 1.0 encoder switches on the
 * number, which makes one jump instead of a search through the ids. */
#define BASIC_FIELD(id) (((id) >> 9) & 0x7fu)
#define IS_BASIC(id) (((id) & ~(0x7fu << 9)) == KEN_OXM_ID(OXM_CLASS_BASIC, 0))
_Static_assert(IS_BASIC(KEN_OXM_IN_PORT) && IS_BASIC(KEN_OXM_TCP_DST) && IS_BASIC(KEN_OXM_UDP_DST),
               "the fields a 1.0 match holds are of the basic class");

/* One field into the 1.0 match at p, clearing its wildcard bits in *w;
 * KEN_OFPBMC_BAD_FIELD for a field 1.0 cannot express, so a flow never
 * matches more than asked. */
static inline int match10_put(uint8_t *p, uint32_t *w, const struct ken_match_field *f, const uint8_t *v)
{
    uint32_t id = f->id;
    if (!IS_BASIC(id) || (f->masked && id != KEN_OXM_IPV4_SRC && id != KEN_OXM_IPV4_DST))
        return KEN_OFPBMC_BAD_FIELD;
    switch (BASIC_FIELD(id)) {
    case BASIC_FIELD(KEN_OXM_IN_PORT): {
        uint32_t port = f->len == 4 ? wire_get32(v) : (uint32_t)wire_getn(v, f->len);
        *w &= ~(uint32_t)FW_IN_PORT;
        wire_put16(p + M10(IN_PORT), (uint16_t)ken_port_to_wire(KEN_OFP10, port));
        break;
    }
    case BASIC_FIELD(KEN_OXM_ETH_SRC): *w &= ~(uint32_t)FW_DL_SRC; memcpy(p + M10(DL_SRC), v, 6); break;
    case BASIC_FIELD(KEN_OXM_ETH_DST): *w &= ~(uint32_t)FW_DL_DST; memcpy(p + M10(DL_DST), v, 6); break;
    case BASIC_FIELD(KEN_OXM_VLAN_VID):
        *w &= ~(uint32_t)FW_DL_VLAN;
        wire_put16(p + M10(DL_VLAN), (uint16_t)wire_getn(v, f->len));
        break;
    case BASIC_FIELD(KEN_OXM_VLAN_PCP): *w &= ~(uint32_t)FW_DL_VLAN_PCP; p[M10(DL_VLAN_PCP)] = v[0]; break;
    case BASIC_FIELD(KEN_OXM_ETH_TYPE): *w &= ~(uint32_t)FW_DL_TYPE; memcpy(p + M10(DL_TYPE), v, 2); break;
    case BASIC_FIELD(KEN_OXM_IP_DSCP): *w &= ~(uint32_t)FW_NW_TOS; p[M10(NW_TOS)] = (uint8_t)(v[0] << 2); break;
    case BASIC_FIELD(KEN_OXM_IP_PROTO): *w &= ~(uint32_t)FW_NW_PROTO; p[M10(NW_PROTO)] = v[0]; break;
    case BASIC_FIELD(KEN_OXM_IPV4_SRC):
        *w = (*w & ~(0x3fu << FW_NW_SRC_SHIFT)) | mask_wild_bits(f, v) << FW_NW_SRC_SHIFT;
        memcpy(p + M10(NW_SRC), v, 4);
        break;
    case BASIC_FIELD(KEN_OXM_IPV4_DST):
        *w = (*w & ~(0x3fu << FW_NW_DST_SHIFT)) | mask_wild_bits(f, v) << FW_NW_DST_SHIFT;
        memcpy(p + M10(NW_DST), v, 4);
        break;
    case BASIC_FIELD(KEN_OXM_TCP_SRC):
    case BASIC_FIELD(KEN_OXM_UDP_SRC): *w &= ~(uint32_t)FW_TP_SRC; memcpy(p + M10(TP_SRC), v, 2); break;
    case BASIC_FIELD(KEN_OXM_TCP_DST):
    case BASIC_FIELD(KEN_OXM_UDP_DST): *w &= ~(uint32_t)FW_TP_DST; memcpy(p + M10(TP_DST), v, 2); break;
    default:
        return KEN_OFPBMC_BAD_FIELD;
    }
    return 0;
}

/* fast_match10_encode of a view, through ken_match_next: rare, and out of
 * line so that the hot loop's wildcards stay in a register. */
__attribute__((noinline, cold)) static int match10_encode_view(uint8_t *p, const struct ken_match *m)
{
    uint32_t w = FW_ALL;
    size_t pos = 0;
    struct ken_match_field field;
    const uint8_t *v;
    while ((v = ken_match_next(m, &pos, &field))) {
        int err = match10_put(p, &w, &field, v);
        if (err)
            return err;
    }
    wire_put32(p + M10(WILDCARDS), w);
    return 0;
}

/* The 40 bytes of the 1.0 match at p. A built match (and a decoded one
 * that fit the struct) is walked straight over its field array; only a
 * view goes through ken_match_next. An empty match is every wildcard. */
int fast_match10_encode(uint8_t *p, const struct ken_match *m)
{
    memset(p, 0, OFPS_OFP_MATCH10_DESC);
    if (__builtin_expect(m->oxm != NULL, 0))
        return match10_encode_view(p, m);
    uint32_t w = FW_ALL;
    for (unsigned i = 0, n = m->n; i < n; i++) {
        const struct ken_match_field *f = &m->f[i];
        int err = match10_put(p, &w, f, m->data + f->off);
        if (err)
            return err;
    }
    wire_put32(p + M10(WILDCARDS), w);
    return 0;
}
