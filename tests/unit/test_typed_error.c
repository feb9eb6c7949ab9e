/* The typed form of OFPT_ERROR in every version: 1.2+ errors are laid out
 * by hand (the experimenter error differs), not in the description, and
 * decoded none until ken_ofp_decode learnt them (an app's EventOFPErrorMsg
 * handler got NULL from ken_ev_ofp_error_msg on a 1.3 switch). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "ken/ofp_typed.h"

static void check(uint8_t version, uint16_t type, uint16_t code, size_t data_len)
{
    /* header, type, code, then data_len bytes: the start of a refused
     * experimenter message (or, for an experimenter error, the id first) */
    uint8_t m[12 + 16] = {version, 1, 0, (uint8_t)(12 + data_len), 0, 0, 0, 7,
                          (uint8_t)(type >> 8), (uint8_t)type, (uint8_t)(code >> 8), (uint8_t)code,
                          0x00, 0xff, 0xff, 0xff, 4, 4, 0, 16, 0, 0, 0, 7};
    assert_int_equal(ken_ofp_class_of(m, 12 + data_len), KEN_OFP_ERROR_MSG);
    struct ken_arena a = KEN_ARENA_INIT;
    enum ken_ofp_class cls;
    void *out;
    char why[KEN_WHY_LEN];
    assert_int_equal(ken_ofp_decode(m, 12 + data_len, &a, &cls, &out, why), 0);
    assert_int_equal(cls, KEN_OFP_ERROR_MSG);
    const struct ken_ofp_error_msg *e = out;
    assert_int_equal(e->type, type);
    assert_int_equal(e->code, code);
    assert_int_equal(e->data_len, data_len);
    assert_ptr_equal(e->data, m + 12);
    ken_arena_free(&a);
}

static void test_error_every_version(void **state)
{
    (void)state;
    for (uint8_t v = KEN_OFP10; v <= KEN_OFP15; v++) {
        if (v == 2)
            continue; /* 1.1: ken does not speak it */
        check(v, 1, 3, 16); /* BAD_REQUEST, BAD_EXPERIMENTER */
        check(v, 1, 3, 0);
    }
}

/* 1.2+: code is exp_type; data starts with the experimenter id. */
static void test_experimenter_error(void **state)
{
    (void)state;
    check(KEN_OFP13, 0xffff, 9, 4);
    /* too short to hold the experimenter id: refused, not misread */
    uint8_t m[14] = {KEN_OFP13, 1, 0, 14, 0, 0, 0, 7, 0xff, 0xff, 0, 9, 0, 1};
    struct ken_arena a = KEN_ARENA_INIT;
    enum ken_ofp_class cls;
    void *out;
    char why[KEN_WHY_LEN];
    assert_int_not_equal(ken_ofp_decode(m, sizeof m, &a, &cls, &out, why), 0);
    assert_null(out);
    ken_arena_free(&a);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_error_every_version),
        cmocka_unit_test(test_experimenter_error),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
