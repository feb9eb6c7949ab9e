/* The message tables against the description (src/ofp/spec/openflow.def):
 * every row's type and multipart type is one the description gives its
 * versions, with the OS-Ken class the description names; the generated
 * ken_ofproto tables and sender table say the same as the enums. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "ken/ofp.h"
#include "ken/ofp_consts.h"
#include "ofp/msgtable.h"
#include "ofp/ofp_spec.h"

static const struct ofp_msg_rows *const tables[] = {&ofp_rows_of10, &ofp_rows_nx_msgs, &ofp_rows_msgs,
                                                    &ofp_rows_spec};
static const uint8_t versions[] = {KEN_OFP10, KEN_OFP12, KEN_OFP13, KEN_OFP14, KEN_OFP15};

static uint8_t multipart_type(uint8_t version, bool reply)
{
    if (version == KEN_OFP10)
        return reply ? OFPT10_MULTIPART_REPLY : OFPT10_MULTIPART_REQUEST;
    return reply ? OFPT_MULTIPART_REPLY : OFPT_MULTIPART_REQUEST;
}

/* A row for an experimenter's message carries that experimenter's class
 * (NXTRoleRequest inside OFPVendor), which the description does not list. */
static void test_rows_have_described_classes(void **state)
{
    (void)state;
    size_t checked = 0;
    for (size_t t = 0; t < sizeof tables / sizeof *tables; t++)
        for (size_t i = 0; i < tables[t]->n; i++) {
            const struct ofp_msg_row *r = &tables[t]->rows[i];
            for (size_t k = 0; k < sizeof versions; k++) {
                uint8_t v = versions[k];
                if (!(r->vmask & OFPV(v)))
                    continue;
                assert_true(ofp_type_senders[v][r->type] != 0);
                if (r->exp != OFP_ANY)
                    continue;
                const char *want;
                if (r->mp == OFP_NO_MP) {
                    want = ofp_spec_msg_class(v, r->type);
                } else {
                    bool reply = r->type == multipart_type(v, true);
                    assert_true(reply || r->type == multipart_type(v, false));
                    want = ofp_spec_mp_class(v, (uint16_t)r->mp, reply);
                }
                if (!want || strcmp(want, r->desc->cls))
                    fail_msg("version %u type %u mp %d: the table says %s, the description %s", v, r->type,
                             (int)r->mp, r->desc->cls, want ? want : "nothing");
                checked++;
            }
        }
    assert_true(checked > 200);
}

static void test_ofproto_tables(void **state)
{
    (void)state;
    assert_null(ken_ofproto_get(2)); /* 1.1: not spoken */
    assert_null(ken_ofproto_get(7));
    for (size_t k = 0; k < sizeof versions; k++) {
        uint8_t v = versions[k];
        const struct ken_ofproto *op = ken_ofproto_get(v);
        assert_non_null(op);
        assert_int_equal(op->version, v);
        assert_int_equal(op->OFPT_MULTIPART_REQUEST, multipart_type(v, false));
        assert_int_equal(op->OFPT_MULTIPART_REPLY, multipart_type(v, true));
        assert_int_equal(op->OFPT_PACKET_IN, v == KEN_OFP10 ? OFPT10_PACKET_IN : OFPT_PACKET_IN);
        assert_int_equal(op->OFPT_BARRIER_REQUEST, v == KEN_OFP10 ? OFPT10_BARRIER_REQUEST : OFPT_BARRIER_REQUEST);
        assert_int_equal(op->OFPMP_PORT_STATS, v == KEN_OFP10 ? OFPST10_PORT_STATS : OFPMP_PORT_STATS);
        /* a type the version lacks is 0xff there and has no sender */
        if (v < KEN_OFP14) {
            assert_int_equal(op->OFPT_ROLE_STATUS, 0xff);
            assert_int_equal(ofp_type_senders[v][OFPT_ROLE_STATUS], 0);
        }
        /* the ports are this version's width */
        assert_int_equal(op->OFPP_CONTROLLER, ken_port_to_wire(v, KEN_OFPP_CONTROLLER));
        assert_int_equal(op->OFPP_ANY, ken_port_to_wire(v, KEN_OFPP_ANY));
    }
    assert_int_equal(ken_ofproto_get(KEN_OFP13)->OFPMP_PORT_DESC, OFPMP_PORT_DESC);
    assert_int_equal(ken_ofproto_get(KEN_OFP10)->OFPMP_PORT_DESC, 0xffff);
}

static void test_senders(void **state)
{
    (void)state;
    assert_int_equal(ofp_type_senders[KEN_OFP13][OFPT_PACKET_IN], OFP_SENT_BY_SWITCH);
    assert_int_equal(ofp_type_senders[KEN_OFP10][OFPT10_FLOW_MOD], OFP_SENT_BY_CONTROLLER);
    assert_int_equal(ofp_type_senders[KEN_OFP14][OFPT_BUNDLE_CONTROL], OFP_SENT_BY_CONTROLLER | OFP_SENT_BY_SWITCH);
    assert_int_equal(ofp_type_senders[KEN_OFP14][OFPT_QUEUE_GET_CONFIG_REQUEST], 0); /* a multipart from 1.4 on */
    assert_int_equal(ofp_type_senders[KEN_OFP13][OFPT_CONTROLLER_STATUS], 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_rows_have_described_classes),
        cmocka_unit_test(test_ofproto_tables),
        cmocka_unit_test(test_senders),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
