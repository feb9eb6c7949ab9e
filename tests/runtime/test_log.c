/* Logging: level names and numbers, per-module levels, the line format in
 * a file, and rate limiting. */
#include "helpers.h"

#include <stdio.h>
#include <string.h>

#include "ken/log.h"

static void test_levels(void **state)
{
    (void)state;
    int level;
    assert_int_equal(ken_log_level_parse("debug", &level), 0);
    assert_int_equal(level, KEN_LOG_DEBUG);
    assert_int_equal(ken_log_level_parse("WARNING", &level), 0);
    assert_int_equal(level, KEN_LOG_WARNING);
    assert_int_equal(ken_log_level_parse("critical", &level), 0);
    assert_int_equal(level, KEN_LOG_CRITICAL);
    assert_int_equal(ken_log_level_parse("40", &level), 0);
    assert_int_equal(level, KEN_LOG_ERROR);
    assert_int_equal(ken_log_level_parse("15", &level), 0);
    assert_int_equal(level, 15);
    assert_int_equal(ken_log_level_parse("51", &level), EINVAL);
    assert_int_equal(ken_log_level_parse("loud", &level), EINVAL);
    assert_int_equal(ken_log_level_parse("", &level), EINVAL);
    assert_string_equal(ken_log_level_name(KEN_LOG_INFO), "INFO");
    assert_string_equal(ken_log_level_name(15), "LEVEL15");
}

static char *read_file(const char *path)
{
    static char text[8192];
    FILE *f = fopen(path, "r");
    size_t n = fread(text, 1, sizeof text - 1, f);
    text[n] = '\0';
    fclose(f);
    return text;
}

static void test_file_modules_and_ratelimit(void **state)
{
    (void)state;
    char path[] = "/tmp/ken-log-XXXXXX";
    int fd = mkstemp(path);
    close(fd);
    assert_int_equal(ken_log_open_file(path), 0);
    ken_log_set_level(KEN_LOG_WARNING);
    assert_int_equal(ken_log_set_module_level("chatty", KEN_LOG_DEBUG), 0);

    KEN_LOG_INFO("quiet", "not written");
    KEN_LOG_ERROR("quiet", "written %d", 1);
    KEN_LOG_DEBUG("chatty", "written %s", "too");
    assert_false(ken_log_enabled(KEN_LOG_INFO, "quiet"));
    assert_true(ken_log_enabled(KEN_LOG_DEBUG, "chatty"));

    static struct ken_log_ratelimit rl;
    for (int i = 0; i < 5; i++)
        ken_log_rl(&rl, 60000, KEN_LOG_WARNING, "quiet", "repeated %d", i);
    rl.next_ns = 0;              /* as if the interval had passed */
    ken_log_rl(&rl, 60000, KEN_LOG_WARNING, "quiet", "repeated again");

    ken_log_close();
    ken_log_set_level(KEN_LOG_INFO);
    const char *text = read_file(path);
    unlink(path);
    assert_null(strstr(text, "not written"));
    assert_non_null(strstr(text, " ERROR quiet: written 1\n"));
    assert_non_null(strstr(text, " DEBUG chatty: written too\n"));
    assert_non_null(strstr(text, "WARNING quiet: repeated 0\n"));
    assert_null(strstr(text, "repeated 1"));
    assert_non_null(strstr(text, "WARNING quiet: repeated again\n"));
    assert_non_null(strstr(text, "(4 similar messages suppressed)"));
    /* "YYYY-MM-DD HH:MM:SS.mmm LEVEL module: message" */
    assert_int_equal(text[4], '-');
    assert_int_equal(text[10], ' ');
    assert_int_equal(text[19], '.');
    assert_int_equal(text[23], ' ');
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_levels),
        cmocka_unit_test(test_file_modules_and_ratelimit),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
