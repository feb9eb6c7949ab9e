#!/usr/bin/env python3
"""ofctl_rest over real HTTP with switches written here (OpenFlow 1.0,
Python stdlib), each of which misbehaves on demand, so that every way a
stats request can end is seen: a whole reply (also in several multipart
parts), an OFPT_ERROR (502, decoded), a reply that does not decode (502),
silence (504 after the switch timeout), a disconnect mid-request (404 at
once); and that a silent switch delays nothing else: other switches'
requests, /stats/switches and many concurrent clients are answered
meanwhile (the worker pool and wsapi's deferred answers). Then the
request bodies: Python literals, where a parse error is, objects only.
ken-manager must stop cleanly (exit 0) at the end.

Usage: test_ofctl_http.py KEN_MANAGER OFP_PORT WSAPI_PORT
"""
import json
import socket
import struct
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request

KEN_MANAGER, OFP_PORT, WS_PORT = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
BASE = f"http://127.0.0.1:{WS_PORT}"
TIMEOUT = 1.0  # KEN_OFCTL_REST_TIMEOUT for this run
failures = []


def check(cond, msg):
    if not cond:
        failures.append(msg)
        print("FAIL: " + msg, flush=True)
    return cond


def http(method, path, body=None, timeout=30):
    data = None if body is None else (body.encode() if isinstance(body, str) else json.dumps(body).encode())
    req = urllib.request.Request(BASE + path, data=data, method=method)
    t0 = time.monotonic()
    try:
        with urllib.request.urlopen(req, timeout=timeout) as r:
            status, raw = r.status, r.read().decode()
    except urllib.error.HTTPError as e:
        status, raw = e.code, e.read().decode()
    took = time.monotonic() - t0
    parsed = json.loads(raw) if raw else None
    if status >= 400:
        check(isinstance(parsed, dict) and isinstance(parsed.get("error"), str),
              f"{method} {path}: {status} without a JSON error: {raw!r}")
    return status, parsed, raw, took


# ---- a 1.0 switch ----

def hdr(t, length, xid):
    return struct.pack("!BBHI", 1, t, length, xid)


def pad(s, n):
    return s.encode().ljust(n, b"\0")


class Switch(threading.Thread):
    """Connects, does the handshake, answers echo and barrier, and answers
    stats requests as self.mode says:
      answer    desc and flow stats (the flows in self.parts parts)
      silent    nothing
      error     OFPT_ERROR BAD_REQUEST/BAD_STAT
      garbage   a desc reply too short to be one
      close     closes the connection
    """

    def __init__(self, dpid):
        super().__init__(daemon=True)
        self.dpid, self.mode, self.parts, self.n_flows = dpid, "answer", 1, 0
        self.delay = 0.0  # seconds before a stats answer
        self.up = threading.Event()
        self.stats_seen = 0
        self.sock = socket.create_connection(("127.0.0.1", OFP_PORT))
        self.sock.sendall(hdr(0, 8, 1))  # hello

    def recv(self):
        h = b""
        while len(h) < 8:
            c = self.sock.recv(8 - len(h))
            if not c:
                return None
            h += c
        length = struct.unpack("!H", h[2:4])[0]
        body = b""
        while len(body) < length - 8:
            c = self.sock.recv(length - 8 - len(body))
            if not c:
                return None
            body += c
        return h + body

    def features_reply(self, xid):
        ports = b""
        for no, name in ((1, "eth1"), (2, "eth2"), (0xfffe, "br")):
            ports += struct.pack("!H6s16sIIIIII", no, bytes([0, 0, 0, 0, self.dpid, no & 0xff]), pad(name, 16),
                                 0, 0, 0, 0, 0, 0)
        body = struct.pack("!QIB3xII", self.dpid, 256, 1, 0, 0xfff) + ports
        return hdr(6, 8 + len(body), xid) + body

    def stats(self, xid, stype):
        if stype == 0:  # desc
            body = pad("ken tests", 256) + pad("fake", 256) + pad("1.0", 256) + pad("42", 32) + pad("dp%d" % self.dpid, 256)
            return [hdr(17, 12 + len(body), xid) + struct.pack("!HH", 0, 0) + body]
        if stype == 1:  # flow: n_flows flows over self.parts messages
            msgs = []
            per = [self.n_flows // self.parts + (1 if i < self.n_flows % self.parts else 0) for i in range(self.parts)]
            k = 0
            for i, n in enumerate(per):
                body = b""
                for _ in range(n):
                    match = struct.pack("!IH6s6sHBxHBB2xIIHH", 0x3fffff, 0, b"\0" * 6, b"\0" * 6, 0, 0, 0, 0, 0, 0, 0, 0, 0)
                    body += struct.pack("!HBx", 88, 0) + match + struct.pack("!IIHHH6xQQQ", 1, 0, 100 + k, 0, 0, k, 0, 0)
                    k += 1
                more = 1 if i < len(per) - 1 else 0
                msgs.append(hdr(17, 12 + len(body), xid) + struct.pack("!HH", 1, more) + body)
            return msgs
        if stype == 2:  # aggregate
            return [hdr(17, 12 + 24, xid) + struct.pack("!HHQQI4x", 2, 0, 10, 1000, self.n_flows)]
        return [hdr(1, 12, xid) + struct.pack("!HH", 1, 2)]

    def run(self):
        while True:
            m = self.recv()
            if m is None:
                return
            t, xid = m[1], struct.unpack("!I", m[4:8])[0]
            if t == 2:  # echo request
                self.sock.sendall(hdr(3, len(m), xid) + m[8:])
            elif t == 5:  # features request
                self.sock.sendall(self.features_reply(xid))
            elif t == 9:  # set config: the controller is done with the handshake
                self.up.set()
            elif t == 18:  # barrier
                self.sock.sendall(hdr(19, 8, xid))
            elif t == 16:  # stats request
                self.stats_seen += 1
                stype = struct.unpack("!H", m[8:10])[0]
                if self.mode == "answer":
                    time.sleep(self.delay)
                    for r in self.stats(xid, stype):
                        self.sock.sendall(r)
                elif self.mode == "error":
                    self.sock.sendall(hdr(1, 12 + 64, xid) + struct.pack("!HH", 1, 2) + m[:64].ljust(64, b"\0"))
                elif self.mode == "garbage":
                    self.sock.sendall(hdr(17, 20, xid) + struct.pack("!HH", 0, 0) + b"\0" * 8)
                elif self.mode == "close":
                    self.sock.close()
                    return


def main():
    env = dict(__import__("os").environ, KEN_OFCTL_REST_TIMEOUT=str(TIMEOUT))
    proc = subprocess.Popen([KEN_MANAGER, "--ofp-listen-host", "127.0.0.1", "--ofp-tcp-listen-port", str(OFP_PORT),
                             "--wsapi-host", "127.0.0.1", "--wsapi-port", str(WS_PORT), "ryu.app.ofctl_rest"],
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, env=env)
    log = []
    threading.Thread(target=lambda: log.extend(proc.stdout), daemon=True).start()
    try:
        for _ in range(100):
            try:
                socket.create_connection(("127.0.0.1", WS_PORT)).close()
                socket.create_connection(("127.0.0.1", OFP_PORT)).close()
                break
            except OSError:
                time.sleep(0.1)
        run()
    finally:
        proc.terminate()
        try:
            rc = proc.wait(20)
        except subprocess.TimeoutExpired:
            proc.kill()
            rc = proc.wait()
            check(False, "ken-manager ignored SIGTERM")
        time.sleep(0.2)
        text = b"".join(log).decode(errors="replace")
        check(rc == 0, f"ken-manager exited with {rc}")
        check("Sanitizer" not in text and "runtime error" not in text, "a sanitizer report")
        if failures:
            print(text[-4000:])
    if failures:
        print(f"{len(failures)} check(s) failed")
        sys.exit(1)
    print("PASS")


def wait_switches(want):
    for _ in range(100):
        st, body, _, _ = http("GET", "/stats/switches")
        if st == 200 and sorted(body) == want:
            return True
        time.sleep(0.05)
    return check(False, f"switches {want} never all up: {body}")


def run():
    s1, s2 = Switch(1), Switch(2)
    s1.start()
    s2.start()
    s1.up.wait(10)
    s2.up.wait(10)
    wait_switches([1, 2])

    # A whole reply.
    st, body, raw, _ = http("GET", "/stats/desc/1")
    check(st == 200 and body == {"1": {"mfr_desc": "ken tests", "hw_desc": "fake", "sw_desc": "1.0",
                                       "serial_num": "42", "dp_desc": "dp1"}}, f"desc: {st} {raw}")
    # Every part of a multipart reply, joined in order.
    s2.n_flows, s2.parts = 7, 3
    st, body, raw, _ = http("GET", "/stats/flow/2")
    check(st == 200 and [f["priority"] for f in body["2"]] == list(range(100, 107)),
          f"flow stats from 3 parts: {st} {raw[:300]}")
    st, body, raw, _ = http("GET", "/stats/aggregateflow/2")
    check(st == 200 and body["2"][0]["flow_count"] == 7 and body["2"][0]["packet_count"] == 10,
          f"aggregate: {st} {raw[:200]}")

    # An OFPT_ERROR: 502, the error decoded.
    s1.mode = "error"
    st, body, raw, _ = http("GET", "/stats/desc/1")
    check(st == 502 and "OFPBRC_BAD_MULTIPART" in body["error"] and
          body.get("reply", {}).get("OFPErrorMsg", {}).get("code") == 2, f"an error reply: {st} {raw}")
    # A reply that does not decode: 502.
    s1.mode = "garbage"
    st, body, raw, _ = http("GET", "/stats/desc/1")
    check(st == 502 and "does not decode" in body["error"],
          f"a reply that does not decode: {st} {raw}")

    # Silence: 504 after the timeout, and meanwhile everything else goes on.
    s2.mode = "silent"
    results = []
    slow = [threading.Thread(target=lambda: results.append(http("GET", "/stats/desc/2"))) for _ in range(6)]
    for t in slow:
        t.start()
    time.sleep(0.2)
    st, body, raw, took = http("GET", "/stats/switches")
    check(st == 200 and took < 0.5, f"/stats/switches while a switch is silent: {st} in {took:.2f}s")
    if s1.is_alive():
        st, body, raw, took = http("GET", "/stats/desc/1")  # s1 is in garbage mode still, or gone: answered at once
        check(took < 0.5, f"another switch's request while one is silent took {took:.2f}s")
    st, body, raw, took = http("GET", "/stats/desc/zz")
    check(st == 400 and took < 0.5, f"a bad dpid while a switch is silent: {st} in {took:.2f}s")
    for t in slow:
        t.join(30)
    check(len(results) == 6 and all(r[0] == 504 and "did not answer" in r[1]["error"] for r in results),
          f"silent switch: {[(r[0], r[3]) for r in results]}")
    check(all(r[3] < TIMEOUT * 2 + 2 for r in results), f"504s took {[round(r[3], 2) for r in results]}")

    # Many clients at once, all answered.
    s2.mode = "answer"
    many = []
    threads = [threading.Thread(target=lambda: many.append(http("GET", "/stats/flow/2"))) for _ in range(32)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    check(len(many) == 32 and all(r[0] == 200 and len(r[1]["2"]) == 7 for r in many),
          f"32 concurrent requests: {sorted(set(r[0] for r in many))}")

    # Identical requests that queue while one is out are answered by the
    # next round trip together: 12 clients, a slow switch, at most 3 flow
    # stats requests reach it (the first, then the rest, with a margin for
    # a client that lands between); a request that differs (a filter) is
    # not merged with them.
    s2.delay, s2.stats_seen = 0.25, 0
    same, other = [], []
    go = threading.Event()  # every client sends at once, however busy the machine
    def send(out, *req):
        go.wait(10)
        out.append(http(*req))
    threads = [threading.Thread(target=send, args=(same, "GET", "/stats/flow/2")) for _ in range(12)]
    threads.append(threading.Thread(target=send, args=(other, "POST", "/stats/flow/2", {"priority": 103})))
    for t in threads:
        t.start()
    time.sleep(0.1)
    go.set()
    for t in threads:
        t.join(30)
    check(len(same) == 12 and all(r[0] == 200 and [f["priority"] for f in r[1]["2"]] == list(range(100, 107))
                                  for r in same), f"12 identical requests: {[(r[0], r[2][:80]) for r in same]}")
    check(len(other) == 1 and other[0][0] == 200 and [f["priority"] for f in other[0][1]["2"]] == [103],
          f"a filtered request beside them: {other}")
    check(s2.stats_seen <= 4, f"13 requests (12 alike) took {s2.stats_seen} switch round trips")
    s2.delay = 0.0

    # A disconnect mid-request: 404 at once, and the switch is gone.
    s2.mode = "close"
    st, body, raw, took = http("GET", "/stats/desc/2")
    check(st == 404 and "disconnected" in body["error"] and took < TIMEOUT, f"disconnect: {st} in {took:.2f}s: {raw}")
    st, body, raw, _ = http("GET", "/stats/desc/2")
    check(st == 404, f"a switch that left: {st} {raw}")

    # Bodies of the command routes: Python literals and JSON; errors say where.
    s3 = Switch(3)
    s3.start()
    s3.up.wait(10)
    wait_switches([1, 3] if s1.is_alive() else [3])
    for body, code in (("{'dpid': 3, 'match': {'in_port': 1}, 'actions': [{'type': 'OUTPUT', 'port': 2}],}", 200),
                       ('{"dpid": 3, "priority": 0x10, "flags": 0b1, "cookie": 1_000}', 200),
                       ("{'dpid': 3, 'match': {'dl_type': 0x800, 'nw_src': '10.0.0.1'}, # a comment\n}", 200),
                       ("{'dpid': (3,)}", 400),
                       ("{'dpid': True}", 400),
                       ("{'dpid': '3'}", 200),
                       ("{'dpid': 3.0}", 400),
                       ("{'dpid': None}", 400),   # falsy: the path has no dpid
                       ("", 400),
                       ("(1, 2)", 400),
                       ("{'dpid': 3", 400),
                       ("{'dpid': 3} {}", 400)):
        st, resp, raw, _ = http("POST", "/stats/flowentry/add", body)
        check(st == code, f"flowentry/add {body!r}: {st}, expected {code}: {raw}")
    st, resp, raw, _ = http("POST", "/stats/flowentry/add", "{'dpid': 3,\n  'match': {'in_port': 1 2}}")
    check(st == 400 and "line 2, column 26" in resp["error"], f"where a literal fails: {raw}")
    st, resp, raw, _ = http("DELETE", "/stats/flowentry/clear/3", "{'dpid': 99}")
    check(st == 404, f"clear: the body's dpid wins (Ryu): {st} {raw}")
    st, resp, raw, _ = http("DELETE", "/stats/flowentry/clear/3")
    check(st == 200 and raw == "", f"clear: {st} {raw}")
    st, resp, raw, _ = http("POST", "/stats/portdesc/modify", {"dpid": 3, "port_no": 1, "config": 1, "mask": 1})
    check(st == 200, f"port mod with the port's defaults: {st} {raw}")
    st, resp, raw, _ = http("POST", "/stats/portdesc/modify", {"dpid": 3, "port_no": 0xfffe, "config": 1, "mask": 1})
    check(st == 200, f"port mod of 1.0's LOCAL (0xfffe): {st} {raw}")
    st, resp, raw, _ = http("POST", "/stats/portdesc/modify", {"dpid": 3, "port_no": "x"})
    check(st == 400, f"port mod, port_no 'x': {st} {raw}")
    st, resp, raw, _ = http("POST", "/stats/portdesc/modify", {"dpid": 3, "port_no": 9})
    check(st == 404, f"port mod of a port the switch lacks: {st} {raw}")
    st, resp, raw, _ = http("POST", "/stats/role", {"dpid": 3, "role": "MASTER"})
    check(st == 501, f"set role on 1.0: {st} {raw}")


main()
