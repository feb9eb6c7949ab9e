/* ken_ofp_check_sender: who may send which message. The expectation is
 * derived from names, never from a list of type numbers: the message type
 * names OS-Ken defines (OFPT_* of each ofproto_v1_X, read at test time
 * with /usr/bin/python3) and the OS-Ken class of every message in the
 * shared conformance corpus (its .packet.json). A name says its direction:
 * a request, a *_MOD or SET_* goes to the switch; a reply, a status, a
 * packet-in, a flow-removed comes from it; hello, echo, error,
 * experimenter/vendor and bundle control go either way. */
#include <ctype.h>
#include <dirent.h>
#include <json-c/json.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "ken/ofp.h"

enum { FROM_CONTROLLER = 1, FROM_SWITCH = 2, FROM_EITHER = 3, NO_RULE = 0 };

static bool ends_with(const char *s, const char *suffix)
{
    size_t n = strlen(s), m = strlen(suffix);
    return n >= m && !strcmp(s + n - m, suffix);
}

/* Lower case without underscores: "ECHO_REQUEST" and "EchoRequest" alike. */
static void normalize(const char *in, char *out, size_t size)
{
    size_t k = 0;
    for (; *in && k + 1 < size; in++)
        if (*in != '_')
            out[k++] = (char)tolower((unsigned char)*in);
    out[k] = 0;
}

static int senders_of_name(const char *raw)
{
    char n[128];
    normalize(raw, n, sizeof n);
    static const char *const either[] = {"hello", "error", "errormsg", "errorexperimentermsg", "echorequest",
                                         "echoreply", "vendor", "experimenter", "bundlecontrol", "bundlectrlmsg"};
    for (size_t i = 0; i < sizeof either / sizeof *either; i++)
        if (!strcmp(n, either[i]))
            return FROM_EITHER;
    if (ends_with(n, "request") || ends_with(n, "mod") || !strncmp(n, "set", 3) || !strcmp(n, "packetout") ||
        !strncmp(n, "bundleadd", 9))
        return FROM_CONTROLLER;
    if (ends_with(n, "reply") || ends_with(n, "status") || !strcmp(n, "packetin") || !strcmp(n, "flowremoved") ||
        !strcmp(n, "requestforward") || !strcmp(n, "switchfeatures"))
        return FROM_SWITCH;
    return NO_RULE;
}

static void check(const uint8_t *msg, size_t len, int senders, const char *what)
{
    int by_switch = ken_ofp_check_sender(msg, len, true);
    int by_controller = ken_ofp_check_sender(msg, len, false);
    int want_switch = senders & FROM_SWITCH ? 0 : KEN_OFPBRC_BAD_TYPE;
    int want_controller = senders & FROM_CONTROLLER ? 0 : KEN_OFPBRC_BAD_TYPE;
    if (by_switch != want_switch || by_controller != want_controller)
        fail_msg("%s (version %u type %u): from a switch %s (want %s), from a controller %s (want %s)", what, msg[0],
                 msg[1], ken_err_name(by_switch), ken_err_name(want_switch), ken_err_name(by_controller),
                 ken_err_name(want_controller));
}

/* Every type number of every version: OS-Ken's OFPT_ names give the known
 * ones and their direction; any other number is a bad type both ways. */
static void test_every_type(void **state)
{
    (void)state;
    FILE *py = popen("/usr/bin/python3 -c '\n"
                     "import importlib\n"
                     "for w, v in ((1, \"1_0\"), (3, \"1_2\"), (4, \"1_3\"), (5, \"1_4\"), (6, \"1_5\")):\n"
                     "    m = importlib.import_module(\"os_ken.ofproto.ofproto_v\" + v)\n"
                     "    for k in dir(m):\n"
                     "        if k.startswith(\"OFPT_\") and isinstance(getattr(m, k), int):\n"
                     "            print(w, getattr(m, k), k[5:])\n"
                     "'",
                     "r");
    assert_non_null(py);
    char names[7][256][48];
    memset(names, 0, sizeof names);
    unsigned v, t;
    char name[48];
    int known = 0;
    while (fscanf(py, "%u %u %47s", &v, &t, name) == 3) {
        assert_true(v < 7 && t < 256);
        strcpy(names[v][t], name);
        known++;
    }
    assert_int_equal(pclose(py), 0);
    assert_true(known > 100); /* five versions of 20 to 36 types */
    static const uint8_t versions[] = {KEN_OFP10, KEN_OFP12, KEN_OFP13, KEN_OFP14, KEN_OFP15};
    for (size_t i = 0; i < sizeof versions; i++)
        for (unsigned type = 0; type < 256; type++) {
            uint8_t msg[8] = {versions[i], (uint8_t)type, 0, 8, 0, 0, 0, 1};
            const char *n = names[versions[i]][type];
            int senders = n[0] ? senders_of_name(n) : NO_RULE;
            if (n[0] && senders == NO_RULE)
                fail_msg("no rule says who sends OFPT_%s", n);
            check(msg, sizeof msg, senders, n[0] ? n : "an unknown type");
        }
    /* What is not a message of a version ken speaks. */
    uint8_t msg[8] = {KEN_OFP13, 10, 0, 8, 0, 0, 0, 1};
    assert_int_equal(ken_ofp_check_sender(msg, 7, true), KEN_OFPBRC_BAD_LEN);
    msg[0] = 2; /* 1.1 */
    assert_int_equal(ken_ofp_check_sender(msg, 8, true), KEN_OFPBRC_BAD_VERSION);
}

/* Every message of the shared corpus, by the OS-Ken class it decodes to. */
static void test_corpus(void **state)
{
    (void)state;
    const char *root = getenv("KEN_SHARED_OFP");
    if (!root)
        root = "../shared/conformance/ofp";
    static const char *const subs[] = {"of10", "of12", "of13", "of14", "of15"};
    int seen = 0;
    for (size_t s = 0; s < sizeof subs / sizeof *subs; s++) {
        char dir[512];
        snprintf(dir, sizeof dir, "%s/%s", root, subs[s]);
        DIR *d = opendir(dir);
        if (!d)
            continue;
        struct dirent *de;
        while ((de = readdir(d))) {
            if (!ends_with(de->d_name, ".packet"))
                continue;
            char path[1024], jpath[1100];
            snprintf(path, sizeof path, "%s/%s", dir, de->d_name);
            snprintf(jpath, sizeof jpath, "%s.json", path);
            json_object *j = json_object_from_file(jpath);
            if (!j)
                continue;
            const char *cls = NULL;
            json_object_object_foreach(j, k, val)
            {
                (void)val;
                cls = k;
            }
            if (cls && strcmp(cls, "OFPTruncatedMessage")) { /* a cut message has no class to go by */
                FILE *f = fopen(path, "rb");
                assert_non_null(f);
                uint8_t msg[8];
                size_t got = fread(msg, 1, sizeof msg, f);
                fclose(f);
                assert_int_equal(got, sizeof msg);
                int senders = senders_of_name(cls + 3); /* after OFP, ONF, NXT */
                if (senders == NO_RULE)
                    fail_msg("no rule says who sends %s (%s)", cls, path);
                check(msg, sizeof msg, senders, path);
                seen++;
            }
            json_object_put(j);
        }
        closedir(d);
    }
    if (!seen)
        skip(); /* the shared corpus is absent */
    print_message("%d corpus messages checked\n", seen);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_every_type),
        cmocka_unit_test(test_corpus),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
