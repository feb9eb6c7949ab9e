/* Logging: level names and numbers, per-module levels, the line format in
 * a file, rate limiting, and repeated conditions logged once then
 * summarised by the log thread. */
#include "helpers.h"

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

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
    static char text[256 * 1024];
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

/* ---- repeated conditions ---- */

static char log_path[] = "/tmp/ken-log-repeat-XXXXXX";

static void log_to_temp(void)
{
    strcpy(log_path, "/tmp/ken-log-repeat-XXXXXX");
    int fd = mkstemp(log_path);
    assert_true(fd >= 0);
    close(fd);
    assert_int_equal(ken_log_open_file(log_path), 0);
}

static size_t count(const char *text, const char *needle)
{
    size_t n = 0;
    for (const char *p = text; (p = strstr(p, needle)); p += strlen(needle))
        n++;
    return n;
}

/* The occurrences counted by the summary lines that start with subject
 * ("<subject> 12 times in the last", "<subject> once in the last"). */
static unsigned long summarised(const char *text, const char *subject, size_t *lines)
{
    unsigned long total = 0;
    *lines = 0;
    for (const char *p = text; (p = strstr(p, subject)); p += strlen(subject)) {
        const char *after = p + strlen(subject);
        unsigned long n = 1;
        if (strncmp(after, " once in the last ", 18))
            assert_int_equal(sscanf(after, " %lu times in the last ", &n), 1);
        total += n;
        ++*lines;
    }
    return total;
}

/* Waits (up to 10 s) until the log holds needle. */
static const char *wait_log(const char *needle)
{
    for (int i = 0; i < 1000; i++) {
        const char *text = read_file(log_path);
        if (strstr(text, needle))
            return text;
        usleep(10000);
    }
    fail_msg("no \"%s\" within 10 s in:\n%s", needle, read_file(log_path));
    return NULL;
}

/* One occurrence of r's condition, logged in full when it is the first. */
static bool occur(struct ken_log_repeat *r, int i)
{
    if (!ken_log_repeat_hit(r, KEN_LOG_WARNING, "rep"))
        return false;
    ken_log(KEN_LOG_WARNING, "rep", "the thing happened (%d)", i);
    ken_log_repeat_start(r, KEN_LOG_WARNING, "rep", "the thing happened again", " (16 events)");
    return true;
}

/* The first occurrence logged, the others counted; the log thread writes
 * the summary when the interval ends though nothing happens after; then
 * nothing while the condition is quiet, and once it was quiet for an
 * interval its next occurrence is logged in full again. */
static void test_repeat_summary(void **state)
{
    (void)state;
    ken_log_repeat_flush();
    log_to_temp();
    ken_log_set_summary_interval(200);
    static struct ken_log_repeat r;
    assert_true(occur(&r, 0));
    for (int i = 1; i < 10; i++)
        assert_false(occur(&r, i));
    const char *text = wait_log("the thing happened again");
    assert_non_null(strstr(text, "WARNING rep: the thing happened (0)\n"));
    assert_non_null(strstr(text, "WARNING rep: the thing happened again 9 times in the last 1 s (16 events)\n"));
    assert_int_equal(count(text, "the thing happened ("), 1);
    usleep(700 * 1000); /* three quiet intervals */
    text = read_file(log_path);
    assert_int_equal(count(text, "the thing happened again"), 1);
    /* Forgotten: in full again. */
    assert_true(occur(&r, 10));
    assert_false(occur(&r, 11));
    assert_false(occur(&r, 12));
    /* Its owner going away: the pending count is told now. */
    ken_log_repeat_forget(&r);
    text = read_file(log_path);
    assert_int_equal(count(text, "the thing happened ("), 2);
    assert_non_null(strstr(text, "the thing happened again 2 times in the last "));
    assert_true(occur(&r, 13)); /* forgotten: a new series */
    ken_log_repeat_forget(&r);
    ken_log_set_summary_interval(60000);
    ken_log_use_stderr();
    unlink(log_path);
}

/* A condition that keeps happening gets one summary per interval, and
 * every occurrence is accounted for: in full or in a summary. */
static void test_repeat_every_interval(void **state)
{
    (void)state;
    ken_log_repeat_flush();
    log_to_temp();
    ken_log_set_summary_interval(100);
    static struct ken_log_repeat r;
    int full = 0, n = 0;
    for (; n < 70; n++) { /* about 0.7 s */
        full += occur(&r, n);
        usleep(10000);
    }
    ken_log_repeat_flush();
    const char *text = read_file(log_path);
    size_t lines;
    unsigned long counted = summarised(text, "the thing happened again", &lines);
    if (full + counted != (unsigned long)n || full != 1 || lines < 2)
        fail_msg("%d in full, %lu summarised in %zu lines:\n%s", full, counted, lines, text);
    ken_log_set_summary_interval(60000);
    ken_log_use_stderr();
    unlink(log_path);
}

/* Off at the condition's level: nothing counted, nothing logged. */
static void test_repeat_level_off(void **state)
{
    (void)state;
    ken_log_repeat_flush();
    log_to_temp();
    static struct ken_log_repeat r;
    assert_false(ken_log_repeat_hit(&r, KEN_LOG_DEBUG, "rep"));
    assert_false(ken_log_repeat_hit(&r, KEN_LOG_DEBUG, "rep"));
    assert_false(ken_log_repeat_key("k", KEN_LOG_DEBUG, "rep", "k again", ""));
    assert_false(ken_log_repeat_key("k", KEN_LOG_DEBUG, "rep", "k again", ""));
    ken_log_repeat_flush();
    assert_string_equal(read_file(log_path), "");
    ken_log_use_stderr();
    unlink(log_path);
}

struct hammer {
    struct ken_log_repeat *r;
    int n, full;
};

static void *hammer_main(void *arg)
{
    struct hammer *h = arg;
    for (int i = 0; i < h->n; i++) {
        h->full += occur(h->r, i);
        if (i % 1000 == 0)
            usleep(1000);
    }
    return NULL;
}

/* Threads hitting one condition while the log thread summarises and
 * forgets it: every occurrence is logged in full or counted once. */
static void test_repeat_threads(void **state)
{
    (void)state;
    ken_log_repeat_flush();
    log_to_temp();
    ken_log_set_summary_interval(5);
    static struct ken_log_repeat r;
    enum { THREADS = 4, EACH = 20000 };
    struct hammer h[THREADS];
    pthread_t t[THREADS];
    for (int i = 0; i < THREADS; i++) {
        h[i] = (struct hammer){&r, EACH, 0};
        assert_int_equal(pthread_create(&t[i], NULL, hammer_main, &h[i]), 0);
    }
    int full = 0;
    for (int i = 0; i < THREADS; i++) {
        pthread_join(t[i], NULL);
        full += h[i].full;
    }
    ken_log_repeat_flush();
    ken_log_use_stderr();
    const char *text = read_file(log_path);
    size_t lines;
    unsigned long counted = summarised(text, "the thing happened again", &lines);
    assert_int_equal((unsigned long)full + counted, THREADS * EACH);
    assert_int_equal(count(text, "the thing happened ("), full);
    unlink(log_path);
    ken_log_set_summary_interval(60000);
}

/* Keyed conditions: each key (per module) its own, the summary telling of
 * the last occurrence; the table is bounded, and past the bound a new key
 * is logged every time, never hidden. */
static void test_repeat_keys(void **state)
{
    (void)state;
    ken_log_repeat_flush();
    log_to_temp();
    assert_true(ken_log_repeat_key("10.0.0.5", KEN_LOG_WARNING, "rep", "10.0.0.5: again", " (1)"));
    assert_false(ken_log_repeat_key("10.0.0.5", KEN_LOG_WARNING, "rep", "10.0.0.5: again", " (2)"));
    assert_false(ken_log_repeat_key("10.0.0.5", KEN_LOG_WARNING, "rep", "10.0.0.5: again", " (3)"));
    assert_true(ken_log_repeat_key("10.0.0.5", KEN_LOG_WARNING, "other", "other: again", ""));
    assert_true(ken_log_repeat_key("10.0.0.6", KEN_LOG_WARNING, "rep", "10.0.0.6: again", ""));
    ken_log_repeat_flush();
    const char *text = read_file(log_path);
    assert_non_null(strstr(text, "WARNING rep: 10.0.0.5: again 2 times in the last 1 s (3)\n"));
    assert_null(strstr(text, "other: again"));   /* once: nothing to summarise */
    assert_null(strstr(text, "10.0.0.6: again"));
    /* Flushed: forgotten. */
    assert_true(ken_log_repeat_key("10.0.0.5", KEN_LOG_WARNING, "rep", "10.0.0.5: again", ""));

    char key[32];
    for (int i = 1; i < KEN_LOG_REPEAT_KEYS_MAX; i++) {
        snprintf(key, sizeof key, "host %d", i);
        assert_true(ken_log_repeat_key(key, KEN_LOG_WARNING, "rep", "many: again", ""));
    }
    assert_true(ken_log_repeat_key("one too many", KEN_LOG_WARNING, "rep", "too many: again", ""));
    assert_true(ken_log_repeat_key("one too many", KEN_LOG_WARNING, "rep", "too many: again", ""));
    assert_false(ken_log_repeat_key("host 7", KEN_LOG_WARNING, "rep", "host 7: again", ""));
    ken_log_repeat_flush();
    text = read_file(log_path);
    assert_int_equal(count(text, "again"), 2);
    assert_non_null(strstr(text, "host 7: again once in the last 1 s\n"));
    assert_true(ken_log_repeat_key("one too many", KEN_LOG_WARNING, "rep", "too many: again", ""));
    assert_false(ken_log_repeat_key("one too many", KEN_LOG_WARNING, "rep", "too many: again", ""));
    ken_log_repeat_flush();
    ken_log_use_stderr();
    unlink(log_path);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_levels),
        cmocka_unit_test(test_file_modules_and_ratelimit),
        cmocka_unit_test(test_repeat_summary),
        cmocka_unit_test(test_repeat_every_interval),
        cmocka_unit_test(test_repeat_level_off),
        cmocka_unit_test(test_repeat_threads),
        cmocka_unit_test(test_repeat_keys),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
