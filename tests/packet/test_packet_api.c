/* The packet library's C API at its edges: what a parse keeps at its
 * capacity and on a bad layer, the registry's limits, what a build
 * refuses, and the checksums against their specifications' known answers.
 * (Field values are held to OS-Ken by the oracle test, test_oracle.c.) */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "ken/packet.h"

/* n MPLS labels over IPv4 and UDP, built by the library itself. */
static void mpls_stack(struct ken_buf *out, size_t labels)
{
    struct ken_pkt_layer l[KEN_PKT_MAX_LAYERS + 8];
    size_t n = 0;
    ken_pkt_layer_init(&l[n], KEN_PKT_ETHERNET);
    l[n++].u.eth.ethertype = 0x8847;
    for (size_t i = 0; i < labels; i++) {
        ken_pkt_layer_init(&l[n], KEN_PKT_MPLS);
        l[n].u.mpls.label = (uint32_t)i + 16;
        l[n++].u.mpls.bsb = i + 1 == labels;
    }
    ken_pkt_layer_init(&l[n], KEN_PKT_IPV4);
    l[n++].u.ipv4.proto = 17;
    ken_pkt_layer_init(&l[n++], KEN_PKT_UDP);
    assert_int_equal(ken_pkt_build(out, l, n), 0);
}

/* Past KEN_PKT_MAX_LAYERS the parse says ENOSPC and keeps what fits. */
static void test_capacity(void **state)
{
    (void)state;
    struct ken_buf b = KEN_BUF_INIT;
    struct ken_pkt p;
    mpls_stack(&b, KEN_PKT_MAX_LAYERS - 4); /* ethernet, labels, ipv4, udp: 15 layers fit */
    assert_int_equal(ken_pkt_parse(b.data, b.len, &p), 0);
    assert_int_equal(p.n, KEN_PKT_MAX_LAYERS - 1);
    ken_buf_clear(&b);
    mpls_stack(&b, KEN_PKT_MAX_LAYERS);
    assert_int_equal(ken_pkt_parse(b.data, b.len, &p), ENOSPC);
    assert_int_equal(p.n, KEN_PKT_MAX_LAYERS - 1);
    for (size_t i = 1; i < p.n; i++)
        assert_int_equal(p.l[i].proto, KEN_PKT_MPLS);
    ken_buf_free(&b);
}

/* A bad layer: EBADMSG, the layers before it kept, bad_off at its start. */
static void test_bad_layer(void **state)
{
    (void)state;
    struct ken_pkt_layer l[3];
    ken_pkt_layer_init(&l[0], KEN_PKT_ETHERNET);
    ken_pkt_layer_init(&l[1], KEN_PKT_IPV4);
    l[1].u.ipv4.proto = 17;
    ken_pkt_layer_init(&l[2], KEN_PKT_UDP);
    struct ken_buf b = KEN_BUF_INIT;
    assert_int_equal(ken_pkt_build(&b, l, 3), 0);
    struct ken_pkt p;
    assert_int_equal(ken_pkt_parse(b.data, b.len, &p), 0);
    const struct ken_pkt_layer *ip = ken_pkt_find(&p, KEN_PKT_IPV4), *udp = ken_pkt_find(&p, KEN_PKT_UDP);
    assert_non_null(ip);
    assert_non_null(udp);
    assert_null(ken_pkt_find(&p, KEN_PKT_TCP));
    /* the header checksum the build computed sums to zero */
    assert_int_equal(ken_pkt_inet_csum(b.data + ip->off, ip->hdr_len), 0);
    /* a UDP length past the IPv4 payload */
    b.data[udp->off + 5] = 0xff;
    assert_int_equal(ken_pkt_parse(b.data, b.len, &p), EBADMSG);
    assert_int_equal(p.n, 2);
    assert_int_equal(p.bad_off, udp->off);
    ken_buf_free(&b);
}

static int dummy_parse(const uint8_t *p, size_t len, struct ken_pkt_layer *l, enum ken_pkt_key_kind *k, uint32_t *key)
{
    (void)p, (void)len, (void)k, (void)key;
    l->hdr_len = 0;
    return 0;
}

/* The registry takes up to its limit and refuses incomplete entries. */
static void test_registry(void **state)
{
    (void)state;
    struct ken_pkt_proto_ops ops = {"dummy", KEN_PKT_KEY_ETHERTYPE, 0x9999, dummy_parse, NULL, NULL, NULL};
    struct ken_pkt_proto_ops no_parse = ops;
    no_parse.parse = NULL;
    assert_int_equal(ken_pkt_register(&no_parse), -EINVAL);
    int id = 0, last = 0;
    while ((id = ken_pkt_register(&ops)) > 0)
        last = id;
    assert_int_equal(id, -ENOSPC);
    assert_true(last >= 1);
    /* the first one wins for its key: a frame of that ethertype shows it */
    struct ken_pkt_layer e;
    ken_pkt_layer_init(&e, KEN_PKT_ETHERNET);
    e.u.eth.ethertype = 0x9999;
    struct ken_buf b = KEN_BUF_INIT;
    assert_int_equal(ken_pkt_build(&b, &e, 1), 0);
    b.data[20] = 1; /* not all padding */
    struct ken_pkt p;
    assert_int_equal(ken_pkt_parse(b.data, b.len, &p), 0);
    assert_int_equal(p.l[1].proto, KEN_PKT_USER);
    assert_string_equal(ken_pkt_proto_name(&p.l[1]), "dummy");
    /* with no to_json it cannot show, and says why */
    json_object *j = NULL;
    char why[KEN_PKT_WHY_LEN];
    assert_int_equal(ken_pkt_to_json(&p, &j, why), EBADMSG);
    assert_null(j);
    assert_true(why[0]);
    ken_buf_free(&b);
}

/* A transport checksum needs the IP layer before it; IPv4 options must fit. */
static void test_build_refused(void **state)
{
    (void)state;
    struct ken_pkt_layer l[2];
    struct ken_buf b = KEN_BUF_INIT;
    ken_pkt_layer_init(&l[0], KEN_PKT_ETHERNET);
    ken_pkt_layer_init(&l[1], KEN_PKT_UDP);
    assert_int_equal(ken_pkt_build(&b, l, 2), EBADMSG);
    assert_int_equal(b.len, 0);
    l[1].u.udp.csum = 1; /* given: no pseudo-header needed */
    assert_int_equal(ken_pkt_build(&b, l, 2), 0);
    ken_buf_clear(&b);
    static const uint8_t opt[8] = {7, 7};
    ken_pkt_layer_init(&l[1], KEN_PKT_IPV4);
    l[1].var = opt;
    l[1].var_len = sizeof opt; /* header_length 5 has no room */
    assert_int_equal(ken_pkt_build(&b, l, 2), EINVAL);
    ken_buf_free(&b);
}

/* JSON of the wrong shape names its key. */
static void test_json_refused(void **state)
{
    (void)state;
    static const struct {
        const char *json;
        int err;
        const char *why;
    } bad[] = {
        {"{\"Packet\": {\"protocols\": 1}}", EINVAL, "type error: packet: \"protocols\""},
        {"{\"protocols\": [{\"ethernet\": {\"ethertype\": \"x\"}}]}", EINVAL, "type error: packet: \"ethertype\""},
        {"{\"protocols\": [{\"vlan\": {\"vid\": 4096}}]}", ERANGE, "out of range: packet: \"vid\""},
        {"{\"protocols\": [{\"gre\": {}}]}", EPROTONOSUPPORT, "packet: unsupported protocol gre"},
        {"{\"protocols\": [{\"ethernet\": {}}, {\"tcp\": {\"option\": [{\"TCPOptionX\": {}}]}}]}", EPROTONOSUPPORT,
         "packet: unsupported tcp option"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        json_object *j = json_tokener_parse(bad[i].json);
        struct ken_buf b = KEN_BUF_INIT;
        char why[KEN_PKT_WHY_LEN];
        assert_non_null(j);
        assert_int_equal(ken_pkt_from_json(j, &b, why), bad[i].err);
        assert_true(strncmp(why, bad[i].why, strlen(bad[i].why)) == 0);
        json_object_put(j);
        ken_buf_free(&b);
    }
}

/* CRC32c: RFC 3720 B.4's known answers (32 bytes of 0, of 0xff, counting
 * up), as the wire carries them (RFC 3309: least significant byte first). */
static void test_crc32c(void **state)
{
    (void)state;
    uint8_t p[32];
    memset(p, 0, sizeof p);
    assert_int_equal(ken_pkt_crc32c(p, sizeof p), __builtin_bswap32(0x8a9136aau));
    memset(p, 0xff, sizeof p);
    assert_int_equal(ken_pkt_crc32c(p, sizeof p), __builtin_bswap32(0x62a8ab43u));
    for (size_t i = 0; i < sizeof p; i++)
        p[i] = (uint8_t)i;
    assert_int_equal(ken_pkt_crc32c(p, sizeof p), __builtin_bswap32(0x46dd794eu));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_capacity),     cmocka_unit_test(test_bad_layer),    cmocka_unit_test(test_registry),
        cmocka_unit_test(test_build_refused), cmocka_unit_test(test_json_refused), cmocka_unit_test(test_crc32c),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
