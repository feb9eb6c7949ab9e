/* Runs the docs example (example-hub) as its own process against the fake
 * switch: table-miss flow on connect, packet-in flooded back as a
 * packet-out, clean exit on SIGTERM. */
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>

#include "fake_switch.h"

static const char *hub_path;
static pid_t hub_pid;

static int stop_hub(void **state)
{
    (void)state;
    if (hub_pid > 0) {
        kill(hub_pid, SIGKILL);
        waitpid(hub_pid, NULL, 0);
    }
    hub_pid = 0;
    return 0;
}

static void test_hub(void **state)
{
    (void)state;
    int out[2];
    assert_int_equal(pipe(out), 0);
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (!pid) {
        dup2(out[1], 1);
        close(out[0]);
        execl(hub_path, hub_path, "0", (char *)NULL);
        _exit(127);
    }
    hub_pid = pid;
    close(out[1]);
    FILE *f = fdopen(out[0], "r");
    int port = 0;
    char line[256];
    while (fgets(line, sizeof line, f) && sscanf(line, "listening on port %d", &port) != 1)
        ;
    assert_true(port > 0);

    struct fsw s;
    assert_int_equal(fsw_connect(&s, "127.0.0.1", port, NULL), 0);
    s.version = 4;
    s.dpid = 1;
    const struct fsw_port ports[] = {{1, {0, 0, 0, 0, 0, 1}, "p1", 0, 0}, {2, {0, 0, 0, 0, 0, 2}, "p2", 0, 0}};
    assert_int_equal(fsw_handshake(&s, ports, 2), 0);
    /* The table-miss flow-mod (it may have come during the handshake). */
    assert_true((s.seen & 1u << 14) || fsw_expect(&s, 14, FSW_TIMEOUT_MS) > 0);
    const uint8_t frame[60] = {0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0, 0, 0, 0, 0, 1, 0x08, 0x06};
    assert_int_equal(fsw_send_packet_in(&s, 5, 1, frame, sizeof frame), 0);
    int n = fsw_expect(&s, 13, FSW_TIMEOUT_MS); /* the packet-out */
    assert_true(n >= (int)sizeof frame);
    assert_memory_equal(s.msg + n - sizeof frame, frame, sizeof frame);
    fsw_close(&s);

    kill(pid, SIGTERM);
    int status;
    assert_int_equal(waitpid(pid, &status, 0), pid);
    assert_true(WIFEXITED(status));
    assert_int_equal(WEXITSTATUS(status), 0);
    hub_pid = 0;
    fclose(f);
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: test-example PATH-TO-example-hub\n");
        return 2;
    }
    hub_path = argv[1];
    const struct CMUnitTest tests[] = {cmocka_unit_test_teardown(test_hub, stop_hub)};
    return cmocka_run_group_tests(tests, NULL, NULL);
}
