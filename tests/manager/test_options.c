/* The controller's options (src/controller/options.c): the conversion of
 * seconds to milliseconds at its edges, strict number parsing, the range
 * check ken_controller_start applies, and switch addresses by host name. */
#include <errno.h>
#include <math.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "controller/options.h"
#include "ken/controller.h"

static void test_seconds_to_ms(void **state)
{
    (void)state;
    assert_int_equal(ken_seconds_to_ms(0), 0);
    assert_int_equal(ken_seconds_to_ms(0.0004), 0);
    assert_int_equal(ken_seconds_to_ms(0.0005), 1);
    assert_int_equal(ken_seconds_to_ms(0.01), 10);
    assert_int_equal(ken_seconds_to_ms(15), 15000);
    assert_int_equal(ken_seconds_to_ms(86400), 86400000);
    assert_int_equal(ken_seconds_to_ms(-1), 0);
    assert_int_equal(ken_seconds_to_ms(-INFINITY), 0);
    assert_int_equal(ken_seconds_to_ms(NAN), 0);
    assert_int_equal(ken_seconds_to_ms(-NAN), 0);
    /* Saturated, not undefined (1e300 * 1000 does not fit a uint64_t). */
    assert_int_equal(ken_seconds_to_ms(1e300), KEN_MS_MAX);
    assert_int_equal(ken_seconds_to_ms(INFINITY), KEN_MS_MAX);
    assert_int_equal(ken_seconds_to_ms(1e16), KEN_MS_MAX);
    assert_int_equal(ken_seconds_to_ms(1e12), 1000000000000000ull);
}

static void test_parse_integer(void **state)
{
    (void)state;
    long long v = 7;
    assert_int_equal(ken_parse_integer("0", 0, 65535, &v), 0);
    assert_int_equal(v, 0);
    assert_int_equal(ken_parse_integer("31104", 0, 65535, &v), 0);
    assert_int_equal(v, 31104);
    assert_int_equal(ken_parse_integer("-5", -10, 10, &v), 0);
    assert_int_equal(v, -5);
    static const char *const not_canonical[] = {
        "", " 31104", "31104 ", "+31104", "031104", "0x10", "-0", "-", "1e3", "1.0", "12a", "\t1", "0 ",
    };
    for (size_t i = 0; i < sizeof not_canonical / sizeof not_canonical[0]; i++) {
        v = 7;
        assert_int_equal(ken_parse_integer(not_canonical[i], -100000, 100000, &v), EINVAL);
        assert_int_equal(v, 7); /* untouched */
    }
    assert_int_equal(ken_parse_integer("65536", 0, 65535, &v), ERANGE);
    assert_int_equal(ken_parse_integer("-1", 0, 65535, &v), ERANGE);
    assert_int_equal(ken_parse_integer("99999999999999999999999999", 0, 65535, &v), ERANGE);
    assert_int_equal(ken_parse_integer("-99999999999999999999999999", -5, 5, &v), ERANGE);
}

static void test_option_parse(void **state)
{
    (void)state;
    const struct ken_option_range *echo = ken_option_range_find("echo_request_interval");
    assert_non_null(echo);
    assert_ptr_equal(ken_option_range_find("echo-request-interval"), echo);
    assert_null(ken_option_range_find("echo_request"));
    assert_null(ken_option_range_find("ofp_listen_host"));
    double v;
    assert_int_equal(ken_option_parse(echo, "0.2", &v), 0);
    assert_true(v == 0.2);
    assert_int_equal(ken_option_parse(echo, ".5", &v), 0);
    assert_int_equal(ken_option_parse(echo, "1e2", &v), 0);
    assert_true(v == 100);
    static const char *const not_decimal[] = {"", " 1", "1 ", "+1", "0x10", "inf", "nan", "1e", ".", "-", "1..2"};
    for (size_t i = 0; i < sizeof not_decimal / sizeof not_decimal[0]; i++)
        assert_int_equal(ken_option_parse(echo, not_decimal[i], &v), EINVAL);
    static const char *const out_of_range[] = {"0", "0.0001", "-1", "1e300", "86401", "1e999"};
    for (size_t i = 0; i < sizeof out_of_range / sizeof out_of_range[0]; i++)
        assert_int_equal(ken_option_parse(echo, out_of_range[i], &v), ERANGE);

    const struct ken_option_range *level = ken_option_range_find("default_log_level");
    assert_non_null(level);
    assert_int_equal(ken_option_parse(level, "10", &v), 0);
    assert_int_equal(ken_option_parse(level, "5", &v), ERANGE);
    assert_int_equal(ken_option_parse(level, "51", &v), ERANGE);
    const struct ken_option_range *port = ken_option_range_find("ofp_tcp_listen_port");
    assert_int_equal(ken_option_parse(port, " 31104", &v), EINVAL);
    assert_int_equal(ken_option_parse(port, "65535", &v), 0);

    char what[128];
    ken_option_describe(echo, what, sizeof what);
    assert_string_equal(what, "a number of seconds from 0.01 to 86400");
}

/* Each bad value is refused with the option's name in why, and the
 * defaults pass. */
static void test_validate(void **state)
{
    (void)state;
    struct ken_controller_options o;
    char why[KEN_CONTROLLER_WHY_LEN];
    ken_controller_options_init(&o);
    assert_int_equal(ken_controller_options_validate(&o, why), 0);
    /* The safe default, not OS-Ken's 0. */
    assert_int_equal(o.maximum_unreplied_echo_requests, 3);
    assert_true(o.echo_request_interval == 15);

    static const struct {
        const char *name;
        double value;
    } bad[] = {
        {"echo_request_interval", 0},       {"echo_request_interval", 1e300}, {"echo_request_interval", NAN},
        {"echo_request_interval", 0.0001},  {"echo_request_interval", -1},    {"echo_request_interval", INFINITY},
        {"ofp_switch_connect_interval", 0}, {"socket_timeout", 1e6},          {"handshake_timeout", 0},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        ken_controller_options_init(&o);
        double *field = !strcmp(bad[i].name, "echo_request_interval")         ? &o.echo_request_interval
                        : !strcmp(bad[i].name, "ofp_switch_connect_interval") ? &o.connect_interval
                        : !strcmp(bad[i].name, "socket_timeout")              ? &o.socket_timeout
                                                                              : &o.handshake_timeout;
        *field = bad[i].value;
        why[0] = 0;
        assert_int_equal(ken_controller_options_validate(&o, why), EINVAL);
        assert_non_null(strstr(why, bad[i].name));
        assert_null(strchr(why, '\n'));
    }
    ken_controller_options_init(&o);
    o.maximum_unreplied_echo_requests = 1001;
    assert_int_equal(ken_controller_options_validate(&o, why), EINVAL);
    ken_controller_options_init(&o);
    o.tcp_port = 65536;
    assert_int_equal(ken_controller_options_validate(&o, why), EINVAL);
    assert_non_null(strstr(why, "ofp_tcp_listen_port"));
    o.tcp_port = -2;
    assert_int_equal(ken_controller_options_validate(&o, why), EINVAL);
    o.tcp_port = 0;
    o.ssl_port = 70000;
    assert_int_equal(ken_controller_options_validate(&o, why), EINVAL);
    ken_controller_options_init(&o);
    o.max_outbound_bytes = 100;
    assert_int_equal(ken_controller_options_validate(&o, why), EINVAL);
    ken_controller_options_init(&o);
    o.n_switch_addresses = 2;
    assert_int_equal(ken_controller_options_validate(&o, why), EINVAL);
}

/* ken_controller_start refuses what validate refuses, with the reason. */
static void test_start_refuses(void **state)
{
    (void)state;
    struct ken_controller_options o;
    char why[KEN_CONTROLLER_WHY_LEN];
    ken_controller_options_init(&o);
    o.listen = false;
    o.echo_request_interval = 0;
    assert_null(ken_controller_start(&o, why));
    assert_non_null(strstr(why, "echo_request_interval"));
    ken_controller_options_init(&o);
    o.listen = false;
    o.connect_interval = 0;
    assert_null(ken_controller_start(&o, why));
    assert_non_null(strstr(why, "ofp_switch_connect_interval"));
}

/* A switch address takes a host name as the listen host does; its port
 * is a plain decimal number. */
static void test_switch_address_names(void **state)
{
    (void)state;
    static const char *const good[] = {"localhost:6653", "tcp:localhost:6653", "127.0.0.1:6653", "[::1]:6653"};
    for (size_t i = 0; i < sizeof good / sizeof good[0]; i++) {
        struct ken_controller_options o;
        char why[KEN_CONTROLLER_WHY_LEN] = "";
        ken_controller_options_init(&o);
        o.listen = false;
        o.connect_interval = 60; /* one attempt during the test */
        o.switch_addresses = &good[i];
        o.n_switch_addresses = 1;
        struct ken_controller *c = ken_controller_start(&o, why);
        if (!c)
            fail_msg("%s refused: %s", good[i], why);
        ken_controller_stop(c);
    }
    static const char *const bad[] = {"localhost: 6653", "localhost:+6653", "localhost:0x19d5", "localhost:06653",
                                      "localhost:", ":6653", "localhost:65536"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        struct ken_controller_options o;
        char why[KEN_CONTROLLER_WHY_LEN] = "";
        ken_controller_options_init(&o);
        o.listen = false;
        o.switch_addresses = &bad[i];
        o.n_switch_addresses = 1;
        struct ken_controller *c = ken_controller_start(&o, why);
        if (c) {
            ken_controller_stop(c);
            fail_msg("%s accepted", bad[i]);
        }
        assert_non_null(strstr(why, "bad switch address"));
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_seconds_to_ms),      cmocka_unit_test(test_parse_integer),
        cmocka_unit_test(test_option_parse),       cmocka_unit_test(test_validate),
        cmocka_unit_test(test_start_refuses),      cmocka_unit_test(test_switch_address_names),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
