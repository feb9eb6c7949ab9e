#!/usr/bin/env python3
"""The rest and rest_tunnel apps over real HTTP: every route, its success
and error answers, and the events each request raises, in order, as an
observer app (recorder.c, built as netw_recorder.so) writes them to a file.

Then runs the curl examples of docs/rest.md's "network and tunnels"
section: each must answer 200 and print what its comment says.

usage: test_netw_rest.py KEN_MANAGER NETW_RECORDER_SO DOCS_REST_MD
"""
import http.client
import json
import os
import re
import shlex
import subprocess
import sys
import tempfile
import threading
import time

MANAGER, RECORDER, DOCS = sys.argv[1], sys.argv[2], sys.argv[3]
failures = 0
checks = 0


def check(cond, what):
    global failures, checks
    checks += 1
    if not cond:
        failures += 1
        print("FAIL:", what, flush=True)


class Server:
    def __init__(self, apps):
        self.dir = tempfile.mkdtemp(prefix="ken-netw-")
        self.events = os.path.join(self.dir, "events")
        self.log = os.path.join(self.dir, "log")
        env = dict(os.environ, KEN_TEST_EVENT_LOG=self.events)
        self.proc = subprocess.Popen(
            [MANAGER, "--ofp-listen-host", "127.0.0.1", "--ofp-tcp-listen-port", "0",
             "--wsapi-host", "127.0.0.1", "--wsapi-port", "0"] + apps + [RECORDER],
            stdout=subprocess.DEVNULL, stderr=open(self.log, "w"), env=env)
        self.port = None
        deadline = time.time() + 20
        while time.time() < deadline and self.port is None:
            m = re.search(r"wsapi: listening on \S+ port (\d+)", open(self.log).read())
            if m:
                self.port = int(m.group(1))
            elif self.proc.poll() is not None:
                break
            else:
                time.sleep(0.05)
        if self.port is None:
            sys.exit("ken-manager did not start: " + open(self.log).read())
        self.seen = 0

    def req(self, method, path, status, body=None):
        """Sends one request; checks the status; returns the body."""
        c = http.client.HTTPConnection("127.0.0.1", self.port, timeout=10)
        c.request(method, path)
        r = c.getresponse()
        data = r.read()
        c.close()
        check(r.status == status, "%s %s: %d, expected %d (%r)" % (method, path, r.status, status, data))
        if status >= 400 and method != "HEAD":
            # The error answers have a JSON body saying what is wrong.
            try:
                check("error" in json.loads(data), "%s %s: error body %r" % (method, path, data))
            except ValueError:
                check(False, "%s %s: error body %r is not JSON" % (method, path, data))
        elif method in ("POST", "PUT", "DELETE"):
            check(data == b"", "%s %s: a write answers an empty body, got %r" % (method, path, data))
        elif method == "GET":
            check(r.getheader("Content-Type", "").startswith("application/json"),
                  "%s %s: content type %s" % (method, path, r.getheader("Content-Type")))
            body = json.loads(data)
        return body

    def get(self, path, expected):
        got = self.req("GET", path, 200)
        check(got == expected, "GET %s: %r, expected %r" % (path, got, expected))

    def expect_events(self, lines):
        """The next events the observer saw are exactly these (waits for
        them: the observer handles events on its own thread)."""
        deadline = time.time() + 10
        while True:
            got = open(self.events).read().splitlines()[self.seen:]
            if len(got) >= len(lines) or time.time() > deadline:
                break
            time.sleep(0.02)
        got = got[:len(lines)] if len(got) >= len(lines) else got
        check(got == lines, "events:\n  got      %r\n  expected %r" % (got, lines))
        self.seen += len(got)

    def stop(self):
        self.proc.terminate()
        rc = self.proc.wait(timeout=20)
        check(rc == 0, "ken-manager exit status %d" % rc)
        log = open(self.log).read()
        check("ERROR" not in log and "runtime error" not in log and "Sanitizer" not in log,
              "ken-manager log has errors:\n" + log)


D1 = "0000000000000001"
D2 = "0000000000000002"
DMAX = "ffffffffffffffff"
N = "/v1.0/networks"
T = "/v1.0/tunnels"


def test_rest(s):
    # ---- networks ----
    s.get(N, [])
    s.req("HEAD", N, 200)
    s.req("POST", N + "/net1", 200)
    s.req("POST", N + "/net1", 409)                   # NetworkAlreadyExist
    s.req("PUT", N + "/net1", 200)                    # exists: no-op
    s.req("PUT", N + "/net2", 200)                    # creates
    s.req("POST", N + "/__NW_ID_UNKNOWN__", 409)      # reserved
    s.req("PUT", N + "/__NW_ID_UNKNOWN__", 409)       # Ryu: 500
    s.req("POST", N + "/a%0Ab", 400)                  # a control character
    s.req("POST", N + "/bad%FF", 400)                 # not UTF-8 (nor echoed as such)
    s.req("POST", N + "/bad%C3%A9%FF/" + D1 + "_1", 404)
    s.req("PUT", N + "/" + "x" * 256, 400)            # too long
    s.req("DELETE", N + "/nope", 404)
    s.req("PATCH", N + "/net1", 405)
    s.get(N, ["net1", "net2"])
    s.expect_events([])                               # networks alone raise nothing

    # ---- ports ----
    s.get(N + "/net1", [])
    s.req("GET", N + "/nope", 404)
    s.req("POST", N + "/nope/%s_1" % D1, 404)
    s.req("PUT", N + "/nope/%s_1" % D1, 404)
    s.req("POST", N + "/net1/%s_1" % D1, 200)
    s.req("POST", N + "/net1/%s_1" % D1, 409)         # PortAlreadyExist
    s.req("POST", N + "/net2/%s_1" % D1, 409)         # in another network
    s.req("PUT", N + "/net1/%s_1" % D1, 200)          # there already: no-op
    s.req("POST", N + "/net1/%s_4294967295" % D1, 200)
    s.req("POST", N + "/net1/%s_2" % DMAX, 200)
    # Ryu's requirements: 16 lowercase hex digits, a number without a
    # leading zero; anything else is no route.
    s.req("POST", N + "/net1/000000000000001_1", 404)
    s.req("POST", N + "/net1/00000000000000001_1", 404)
    s.req("POST", N + "/net1/000000000000000A_1", 404)
    s.req("POST", N + "/net1/%s_0" % D1, 404)
    s.req("POST", N + "/net1/%s_01" % D1, 404)
    s.req("POST", N + "/net1/%s_x" % D1, 404)
    s.req("POST", N + "/net1/%s_4294967296" % D1, 400)  # past 32 bits
    s.req("POST", N + "/net1/%s_99999999999999999999999" % D1, 400)
    s.req("PATCH", N + "/net1/%s_1" % D1, 405)
    s.get(N + "/net1", [[1, 1], [1, 4294967295], [2**64 - 1, 2]])
    s.expect_events(["NetworkPort net1 %s 1 add" % D1,
                     "NetworkPort net1 %s 4294967295 add" % D1,
                     "NetworkPort net1 %s 2 add" % DMAX])
    # A move to another network.
    s.req("PUT", N + "/net2/%s_1" % D1, 200)
    s.expect_events(["NetworkPort net1 %s 1 del" % D1, "NetworkPort net2 %s 1 add" % D1])
    s.get(N + "/net2", [[1, 1]])
    s.req("DELETE", N + "/net1/%s_1" % D1, 404)       # not in net1 any more
    s.req("DELETE", N + "/nope/%s_1" % D1, 404)

    # ---- MAC addresses ----
    mac_path = N + "/net2/%s_1/macs" % D1
    s.get(mac_path, [])
    s.req("GET", N + "/net1/%s_1/macs" % D1, 404)     # a port of net2
    s.req("GET", N + "/nope/%s_1/macs" % D1, 404)
    s.req("GET", N + "/net2/%s_7/macs" % D1, 404)
    s.req("GET", N + "/net2/%s_4294967296/macs" % D1, 400)
    s.req("POST", mac_path + "/zz:11:22:33:44:55", 400)   # validated first
    s.req("POST", mac_path + "/00:11:22:33:44", 400)
    s.req("PUT", mac_path + "/00-11-22-33-44-55", 400)
    s.get(mac_path, [])                               # nothing recorded
    s.req("POST", N + "/net1/%s_1/macs/00:11:22:33:44:55" % D1, 404)
    s.req("POST", N + "/nope/%s_1/macs/00:11:22:33:44:55" % D1, 404)
    s.req("POST", mac_path + "/00:11:22:33:44:55", 200)
    s.req("POST", mac_path + "/00:11:22:33:44:55", 409)   # MacAddressAlreadyExist
    s.req("PUT", mac_path + "/00:11:22:33:44:55", 200)    # the same: no-op
    s.req("PUT", mac_path + "/00:11:22:33:44:66", 409)    # Ryu: 500
    s.req("DELETE", mac_path + "/00:11:22:33:44:55", 405)  # released with the port only
    s.get(mac_path, ["00:11:22:33:44:55"])
    # The first MAC by PUT, in either case.
    s.req("PUT", N + "/net1/%s_4294967295/macs/AA:BB:CC:DD:EE:FF" % D1, 200)
    s.get(N + "/net1/%s_4294967295/macs" % D1, ["aa:bb:cc:dd:ee:ff"])
    s.expect_events(["MacAddress %s 1 net2 00:11:22:33:44:55 add" % D1,
                     "MacAddress %s 4294967295 net1 aa:bb:cc:dd:ee:ff add" % D1])

    # ---- removals ----
    s.req("DELETE", N + "/net2/%s_1" % D1, 200)
    s.req("DELETE", N + "/net2/%s_1" % D1, 404)
    s.expect_events(["MacAddress %s 1 net2 00:11:22:33:44:55 del" % D1,
                     "NetworkPort net2 %s 1 del" % D1])
    s.req("GET", mac_path, 404)
    # A network goes with its ports and MACs (Ryu left them behind).
    s.req("DELETE", N + "/net1", 200)
    s.expect_events(["MacAddress %s 4294967295 net1 aa:bb:cc:dd:ee:ff del" % D1,
                     "NetworkPort net1 %s 4294967295 del" % D1,
                     "NetworkPort net1 %s 2 del" % DMAX,
                     "NetworkDel net1"])
    s.req("GET", N + "/net1", 404)
    s.req("DELETE", N + "/net1", 404)
    s.get(N, ["net2"])
    # Its ports are free: they can join another network, without a MAC.
    s.req("POST", N + "/net2/%s_4294967295" % D1, 200)
    s.get(N + "/net2/%s_4294967295/macs" % D1, [])
    s.expect_events(["NetworkPort net2 %s 4294967295 add" % D1])


def test_rest_tunnel(s):
    K = T + "/networks"
    # ---- keys ----
    s.req("GET", K + "/net1/key", 404)
    s.req("HEAD", K + "/net1/key", 404)
    s.req("DELETE", K + "/net1/key", 404)
    s.req("POST", K + "/net1/key/10", 200)            # no network needed (ken/tunnels.h)
    s.get(K + "/net1/key", 10)
    s.req("POST", K + "/net1/key/10", 409)            # the network has a key
    s.req("POST", K + "/net1/key/11", 409)
    s.req("POST", K + "/net2/key/10", 409)            # the key is taken
    s.req("PUT", K + "/net1/key/10", 200)             # the same: no-op
    s.req("PUT", K + "/net1/key/11", 409)
    s.req("PUT", K + "/net2/key/10", 409)
    s.req("PUT", K + "/net2/key/4294967295", 200)     # the largest key
    s.req("PUT", K + "/net3/key/4294967296", 400)     # past 32 bits
    s.req("POST", K + "/net3/key/99999999999999999999999", 400)
    s.req("POST", K + "/net3/key/0", 404)             # Ryu's requirement
    s.req("POST", K + "/net3/key/010", 404)
    s.req("POST", K + "/net3/key/abc", 404)
    s.req("POST", K + "/a%01/key/5", 400)             # a malformed network id
    s.req("PATCH", K + "/net1/key", 405)
    s.get(K + "/net2/key", 4294967295)
    s.req("GET", K + "/net3/key", 404)                # nothing half-made
    s.expect_events(["TunnelKeyAdd net1 10", "TunnelKeyAdd net2 4294967295"])
    s.req("DELETE", K + "/net1/key", 200)
    s.req("GET", K + "/net1/key", 404)
    s.req("POST", K + "/net3/key/10", 200)            # free again
    s.expect_events(["TunnelKeyDel net1 10", "TunnelKeyAdd net3 10"])

    # ---- ports (no controller in Ryu: 500) ----
    P = T + "/switches/%s/ports" % D1
    s.get(P, [])
    s.req("HEAD", P, 200)
    s.req("GET", T + "/switches/000000000000001/ports", 404)
    s.req("GET", T + "/switches/000000000000000G/ports", 404)
    s.req("GET", P + "/3", 404)
    s.req("DELETE", P + "/3", 404)
    s.req("POST", P + "/3/" + D2, 200)
    s.req("POST", P + "/3/" + D2, 409)                # PortAlreadyExist
    s.req("POST", P + "/3/" + DMAX, 409)
    s.req("PUT", P + "/3/" + D2, 200)                 # the same: no-op
    s.req("PUT", P + "/3/" + DMAX, 409)               # Ryu: 500
    s.req("PUT", P + "/4294967295/" + DMAX, 200)
    s.req("PUT", P + "/4294967296/" + DMAX, 400)
    s.req("POST", P + "/0/" + D2, 404)
    s.req("POST", P + "/3/000000000000000X", 404)
    s.req("POST", P + "/3/0000000000000002/x", 404)
    s.req("PATCH", P + "/3", 405)
    s.get(P, [3, 4294967295])
    s.get(P + "/3", D2)
    s.get(P + "/4294967295", DMAX)
    s.req("GET", P + "/4294967296", 400)
    s.get(T + "/switches/%s/ports" % D2, [])
    s.expect_events(["TunnelPort %s 3 %s add" % (D1, D2),
                     "TunnelPort %s 4294967295 %s add" % (D1, DMAX)])
    s.req("DELETE", P + "/3", 200)
    s.req("DELETE", P + "/3", 404)
    s.req("GET", P + "/3", 404)
    s.get(P, [4294967295])
    s.expect_events(["TunnelPort %s 3 %s del" % (D1, D2)])


def test_races(s):
    """Clients racing for the same things: exactly one wins each race, the
    others get 409, and exactly the winner's events are raised."""
    s.req("PUT", N + "/r0", 200)
    for i in range(1, 8):
        s.req("PUT", N + "/r%d" % i, 200)
    results = []
    lock = threading.Lock()

    def claim(i):
        races = [("POST", N + "/r%d/%s_9" % (i, D2)),          # one port, 8 networks
                 ("POST", T + "/networks/r%d/key/77" % i),      # one key, 8 networks
                 ("POST", T + "/switches/%s/ports/9/%016x" % (D2, i + 1))]  # one tunnel port
        for race, (method, path) in enumerate(races):
            c = http.client.HTTPConnection("127.0.0.1", s.port, timeout=10)
            c.request(method, path)
            st = c.getresponse().status
            c.close()
            with lock:
                results.append((race, st, i))

    threads = [threading.Thread(target=claim, args=(i,)) for i in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    winners = {}
    for race in range(3):
        statuses = sorted(st for r, st, _ in results if r == race)
        check(statuses == [200] + [409] * 7, "race %d: statuses %r" % (race, statuses))
        winners[race] = ([i for r, st, i in results if r == race and st == 200] + [-1])[0]
    # One event per race; the observer may still be writing them.
    want = sorted(["NetworkPort r%d %s 9 add" % (winners[0], D2),
                   "TunnelKeyAdd r%d 77" % winners[1],
                   "TunnelPort %s 9 %016x add" % (D2, winners[2] + 1)])
    deadline = time.time() + 10
    while len(open(s.events).read().splitlines()) < s.seen + 3 and time.time() < deadline:
        time.sleep(0.02)
    time.sleep(0.2)   # and no more than those
    got = sorted(open(s.events).read().splitlines()[s.seen:])
    check(got == want, "race events %r, expected %r" % (got, want))
    s.seen += len(got)


def test_docs(s):
    text = open(DOCS, encoding="utf-8").read()
    section = text.split("\n## network and tunnels\n", 1)[1].split("\n## ", 1)[0]
    lines = [l for l in section.splitlines() if l.startswith("curl ")]
    check(len(lines) >= 10, "docs/rest.md: %d curl examples" % len(lines))
    for line in lines:
        cmd, _, expected = line.partition("#")
        argv = shlex.split(cmd.replace("127.0.0.1:8080", "127.0.0.1:%d" % s.port))
        out = subprocess.run(argv + ["-s", "-w", " %{http_code}"], capture_output=True, text=True).stdout
        body, _, status = out.rpartition(" ")
        check(status == "200", "docs example %r: status %s" % (line, status))
        check(body.strip() == expected.strip(), "docs example %r printed %r" % (line, body))


def main():
    s = Server(["rest", "os_ken.app.rest_tunnel"])
    try:
        test_rest(s)
        test_rest_tunnel(s)
        s.expect_events([])
        test_races(s)
    finally:
        s.stop()
    s = Server(["rest", "rest_tunnel"])
    try:
        test_docs(s)
    finally:
        s.stop()
    # The Ryu module names start the same apps.
    s = Server(["ryu.app.rest"])
    try:
        s.req("PUT", N + "/x", 200)
        s.get(N, ["x"])
        s.req("GET", T + "/networks/x/key", 404)      # rest_tunnel is not loaded: no route
    finally:
        s.stop()
    print("%d checks, %d failed" % (checks, failures))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
