#!/usr/bin/env python3
"""ws_topology's WebSocket over real TCP, without a browser (Python 3
stdlib): ken-manager runs gui_topology (which loads ws_topology,
rest_topology, ofctl_rest and switches); a fake OpenFlow 1.3 switch
enters, changes a port and leaves, and a WebSocket client checks the
JSON-RPC calls it receives against Ryu's ws_topology (method names,
params shapes, ids) and answers them as Ryu's clients do. Then the
protocol's edges: ping/pong, bad handshakes (400, 426), and hostile
clients (unmasked frames, reserved bits, unknown opcodes, an oversized
frame, a message grown past 64 KiB in fragments, raw garbage, clients
vanishing mid-frame), each closed with the RFC's status while the server
goes on serving. Then the page and its files, the token (header, cookie,
?token=) on the page and the socket, wss:// over HTTPS, and a clean stop
with sockets open.

    test_websocket.py KEN-MANAGER OFP-PORT HTTP-PORT"""
import base64
import hashlib
import http.client
import json
import os
import shutil
import signal
import ssl
import socket
import struct
import subprocess
import sys
import tempfile
import threading
import time

from fake_switch13 import Switch

DEADLINE = 10.0
GUID = b"258EAFA5-E914-47DA-95CA-C5AB0DC85B11"


def check(cond, what):
    if not cond:
        raise AssertionError(what)
    print("ok -", what)


# ---- a fake OpenFlow 1.3 switch: fake_switch13.py ----


# ---- a WebSocket client ----

class WS:
    def __init__(self, port, path="/v1.0/topology/ws", headers=None, expect=101, tls=None):
        self.sock = socket.create_connection(("127.0.0.1", port), timeout=DEADLINE)
        if tls:
            self.sock = tls.wrap_socket(self.sock, server_hostname="127.0.0.1")
        key = base64.b64encode(os.urandom(16)).decode()
        req = ("GET %s HTTP/1.1\r\nHost: 127.0.0.1:%d\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
               "Sec-WebSocket-Key: %s\r\nSec-WebSocket-Version: 13\r\n" % (path, port, key))
        for k, v in (headers or {}).items():
            req += "%s: %s\r\n" % (k, v)
        self.sock.sendall((req + "\r\n").encode())
        self.buf = b""
        self.seen = []
        while b"\r\n\r\n" not in self.buf:
            data = self.sock.recv(4096)
            if not data:
                raise AssertionError("the server closed during the handshake")
            self.buf += data
        head, self.buf = self.buf.split(b"\r\n\r\n", 1)
        lines = head.decode().split("\r\n")
        self.status = int(lines[0].split()[1])
        self.headers = {l.split(":", 1)[0].lower(): l.split(":", 1)[1].strip() for l in lines[1:]}
        if expect is not None and self.status != expect:
            raise AssertionError("handshake answered %d, not %d: %r" % (self.status, expect, head))
        if self.status == 101:
            want = base64.b64encode(hashlib.sha1(key.encode() + GUID).digest()).decode()
            if self.headers.get("sec-websocket-accept") != want:
                raise AssertionError("bad Sec-WebSocket-Accept %r" % self.headers)

    def send_frame(self, opcode, payload=b"", fin=True, mask=True, rsv=0):
        b0 = (0x80 if fin else 0) | rsv | opcode
        n = len(payload)
        m = 0x80 if mask else 0
        if n < 126:
            hdr = struct.pack("!BB", b0, m | n)
        elif n < 65536:
            hdr = struct.pack("!BBH", b0, m | 126, n)
        else:
            hdr = struct.pack("!BBQ", b0, m | 127, n)
        if mask:
            k = os.urandom(4)
            payload = bytes(c ^ k[i % 4] for i, c in enumerate(payload))
            hdr += k
        self.sock.sendall(hdr + payload)

    def _read(self, n):
        while len(self.buf) < n:
            data = self.sock.recv(65536)
            if not data:
                raise EOFError("closed")
            self.buf += data
        out, self.buf = self.buf[:n], self.buf[n:]
        return out

    def recv_frame(self):
        b0, b1 = self._read(2)
        if b1 & 0x80:
            raise AssertionError("the server masked a frame")
        n = b1 & 0x7F
        if n == 126:
            n = struct.unpack("!H", self._read(2))[0]
        elif n == 127:
            n = struct.unpack("!Q", self._read(8))[0]
        return b0 & 0x0F, b0 & 0x80, self._read(n)

    def recv_json(self):
        while True:
            op, fin, data = self.recv_frame()
            if op == 1:
                if not fin:
                    raise AssertionError("fragmented text from the server")
                return json.loads(data.decode("utf-8"))
            if op == 8:
                raise EOFError("close frame %r" % data)

    def expect_close(self, code, what):
        """The server closes with a close frame of this status, then the TCP connection."""
        try:
            while True:
                op, _, data = self.recv_frame()
                if op == 8:
                    got = struct.unpack("!H", data[:2])[0] if len(data) >= 2 else None
                    check(got == code, "%s: closed with %s (want %d)" % (what, got, code))
                    break
        except EOFError:
            raise AssertionError("%s: connection dropped without a close frame" % what)
        try:
            while self.sock.recv(4096):
                pass
        except OSError:
            pass

    def close(self):
        self.sock.close()


def get(port, path, headers=None):
    c = http.client.HTTPConnection("127.0.0.1", port, timeout=DEADLINE)
    try:
        c.request("GET", path, headers=headers or {})
        r = c.getresponse()
        return r.status, r.headers, r.read()
    finally:
        c.close()


def wait_method(ws, method):
    """The next call of this method (answering every call as Ryu's clients do)."""
    until = time.monotonic() + DEADLINE
    while time.monotonic() < until:
        msg = ws.recv_json()
        ws.seen.append(msg.get("method"))
        if msg.get("id") is not None:
            ws.send_frame(1, json.dumps({"id": msg["id"], "jsonrpc": "2.0", "result": ""}).encode())
        if msg.get("method") == method:
            return msg
    raise AssertionError("no %s within %s s" % (method, DEADLINE))


def start(manager, ofp, http_port, extra=()):
    for p in (ofp, http_port):
        with socket.socket() as s:
            if s.connect_ex(("127.0.0.1", p)) == 0:
                raise AssertionError("port %d is in use" % p)
    mgr = subprocess.Popen([manager, "--ofp-listen-host", "127.0.0.1", "--ofp-tcp-listen-port", str(ofp),
                            "--wsapi-host", "127.0.0.1", "--wsapi-port", str(http_port)] + list(extra) +
                           ["gui_topology"])
    until = time.monotonic() + DEADLINE
    while True:
        with socket.socket() as s:
            if s.connect_ex(("127.0.0.1", http_port)) == 0:
                return mgr
        if mgr.poll() is not None or time.monotonic() > until:
            raise AssertionError("ken-manager did not listen on %d" % http_port)
        time.sleep(0.05)


def stop(mgr, what):
    mgr.send_signal(signal.SIGTERM)
    try:
        rc = mgr.wait(timeout=DEADLINE)
    except subprocess.TimeoutExpired:
        mgr.kill()
        raise AssertionError("%s: ken-manager did not stop on SIGTERM" % what)
    check(rc == 0, "%s: ken-manager stopped cleanly (status %d)" % (what, rc))


def main_events(manager, ofp, hp):
    mgr = start(manager, ofp, hp)
    try:
        # Handshakes the server must refuse.
        status, hdrs, _ = get(hp, "/v1.0/topology/ws", {"Upgrade": "websocket", "Connection": "Upgrade",
                                                         "Sec-WebSocket-Version": "8",
                                                         "Sec-WebSocket-Key": "dGhlIHNhbXBsZSBub25jZQ=="})
        check(status == 426 and hdrs.get("Sec-WebSocket-Version") == "13", "version 8: 426 naming version 13")
        status, _, _ = get(hp, "/v1.0/topology/ws", {"Upgrade": "websocket", "Connection": "Upgrade",
                                                      "Sec-WebSocket-Version": "13", "Sec-WebSocket-Key": "short"})
        check(status == 400, "a bad Sec-WebSocket-Key: 400")
        status, _, _ = get(hp, "/v1.0/topology/ws")
        check(status == 400, "a plain GET of the socket: 400")

        status, _, _ = get(hp, "/v1.0/topology/ws?events=some", {
            "Upgrade": "websocket", "Connection": "Upgrade", "Sec-WebSocket-Version": "13",
            "Sec-WebSocket-Key": "dGhlIHNhbXBsZSBub25jZQ=="})
        check(status == 400, "?events= neither all nor ryu: 400")

        ws = WS(hp, path="/v1.0/topology/ws?events=all")  # ken's calls too, as the page asks
        check(ws.status == 101, "handshake: 101 with the right Sec-WebSocket-Accept")
        ws2 = WS(hp)  # a Ryu client: Ryu's calls only
        ws.send_frame(9, b"are you there")
        op, _, data = ws.recv_frame()
        check(op == 10 and data == b"are you there", "ping answered by a pong with its payload")

        sw = Switch(ofp, 1, [(1, "s1-eth1"), (2, "s1-eth2")], timeout=DEADLINE)
        msg = wait_method(ws, "event_switch_enter")
        check(msg["jsonrpc"] == "2.0" and isinstance(msg["id"], int), "event_switch_enter is a JSON-RPC 2.0 call")
        p = msg["params"]
        check(isinstance(p, list) and len(p) == 1 and p[0]["dpid"] == "0000000000000001",
              "its params: [switch] with the 16-digit dpid")
        check([(q["port_no"], q["name"], q["dpid"], q["hw_addr"]) for q in p[0]["ports"]] ==
              [("00000001", "s1-eth1", "0000000000000001", "02:00:00:00:00:01"),
               ("00000002", "s1-eth2", "0000000000000001", "02:00:00:00:00:02")],
              "its ports in Ryu's shape (port_no 8 hex digits, hw_addr, name)")
        msg2 = wait_method(ws2, "event_switch_enter")
        check(msg2["params"] == msg["params"] and msg2["id"] == msg["id"], "the Ryu client got the same call")
        status, _, body = get(hp, "/v1.0/topology/switches")
        check(status == 200 and json.loads(body) == msg["params"], "the same switch as GET /v1.0/topology/switches")

        sw.port_status(2, 2, "s1-eth2", state=1)  # modify: link down
        msg = wait_method(ws, "event_port_modify")
        check(msg["params"][0]["port_no"] == "00000002" and msg["params"][0]["down"] is True,
              "port 2 down: event_port_modify with down true")
        sw.port_status(0, 3, "s1-eth3")  # add
        msg = wait_method(ws, "event_port_add")
        check(msg["params"][0]["port_no"] == "00000003", "port 3 added: event_port_add")

        # Hostile clients, each closed while the others go on.
        bad = WS(hp)
        bad.send_frame(1, b'{"id": 1}', mask=False)
        bad.expect_close(1002, "an unmasked frame")
        bad = WS(hp)
        bad.send_frame(1, b"x", rsv=0x40)
        bad.expect_close(1002, "a reserved bit set")
        bad = WS(hp)
        bad.send_frame(3, b"x")
        bad.expect_close(1002, "an unknown opcode")
        bad = WS(hp)
        bad.send_frame(9, b"p" * 126)
        bad.expect_close(1002, "a ping of 126 bytes")
        bad = WS(hp)
        bad.sock.sendall(struct.pack("!BBQ", 0x81, 0xFF, 1 << 40) + b"mask")
        bad.expect_close(1009, "a frame announcing 1 TiB")
        bad = WS(hp)
        for i in range(70):
            bad.send_frame(1 if i == 0 else 0, b"y" * 1024, fin=False)
        bad.expect_close(1009, "a message grown past 64 KiB in fragments")
        bad = WS(hp)
        bad.send_frame(0, b"z")
        bad.expect_close(1002, "a continuation without a message")
        bad = WS(hp)
        bad.sock.sendall(os.urandom(4096))
        try:
            bad.expect_close(1002, "random bytes")
        except AssertionError:
            pass  # random bytes may also parse as a frame of another fault (1009): closed either way
        for _ in range(20):  # clients vanishing mid-frame, mid-handshake
            s = socket.create_connection(("127.0.0.1", hp))
            s.sendall(b"GET /v1.0/topology/ws HTTP/1.1\r\nUpgrade: websocket\r\n")
            s.close()
            b = WS(hp)
            b.sock.sendall(struct.pack("!BB", 0x81, 0x80 | 100) + b"mask" + b"half")
            b.close()
        b = WS(hp)
        b.send_frame(8, struct.pack("!H", 1000) + b"bye")
        b.expect_close(1000, "a client's close frame")

        # The socket limit: 256 open (ws and ws2 among them); one more is
        # closed at once, the others stay served.
        many = [WS(hp) for _ in range(254)]
        extra = WS(hp)
        extra.sock.settimeout(3)
        try:
            extra.recv_frame()
            raise AssertionError("the 257th WebSocket got a frame")
        except (EOFError, ConnectionResetError):
            pass
        except socket.timeout:
            raise AssertionError("the 257th WebSocket stayed open")
        check(True, "256 WebSockets open: the 257th is closed at once")
        for m in many:
            m.close()
        extra.close()

        sw.port_status(1, 3, "s1-eth3")  # delete
        msg = wait_method(ws, "event_port_delete")
        check(msg["params"][0]["port_no"] == "00000003", "after the hostile clients: event_port_delete still comes")
        sw.close()
        msg = wait_method(ws, "event_switch_leave")
        check(msg["params"][0]["dpid"] == "0000000000000001", "the switch gone: event_switch_leave")
        check("event_port_modify" in ws.seen and "event_port_add" in ws.seen, "?events=all: the port calls came")
        wait_method(ws2, "event_switch_leave")
        ryu = {"event_switch_enter", "event_switch_leave", "event_link_add", "event_link_delete", "event_host_add"}
        check(set(ws2.seen) <= ryu and len(ws2.seen) == 2,
              "the Ryu client got Ryu's calls only: %s" % ", ".join(ws2.seen))
        status, _, body = get(hp, "/v1.0/topology/switches")
        check(status == 200 and json.loads(body) == [], "REST still answers: no switches")

        # The page and its files.
        status, hdrs, body = get(hp, "/")
        check(status == 200 and hdrs.get("Content-Type", "").startswith("text/html") and b"gui/topology.js" in body,
              "GET / is the page")
        for f, kind in (("cytoscape.min.js", "text/javascript"), ("topology.js", "text/javascript"),
                        ("topology.css", "text/css")):
            status, hdrs, body = get(hp, "/gui/" + f)
            check(status == 200 and hdrs.get("Content-Type", "").startswith(kind) and len(body) > 100,
                  "GET /gui/%s (%d bytes)" % (f, len(body)))
        status, _, body = get(hp, "/gui/cytoscape.min.js")
        check(b"cytoscape" in body[:2000].lower(), "cytoscape.min.js is cytoscape.js")
        check(get(hp, "/gui/nothing.js")[0] == 404, "an unknown file: 404")

        # Stopping with sockets open: they get 1001, the manager exits 0.
        stop(mgr, "with 2 WebSockets open")
        ws.expect_close(1001, "the server stopping")
        ws2.close()
    finally:
        if mgr.poll() is None:
            mgr.kill()
            mgr.wait()


def main_token(manager, ofp, hp):
    with tempfile.NamedTemporaryFile("w", suffix=".token", delete=False) as f:
        f.write("s3cret-t0ken\n")
        path = f.name
    mgr = start(manager, ofp, hp, ["--wsapi-auth-token-file", path])
    try:
        check(get(hp, "/")[0] == 401, "token: the page without it: 401")
        check(get(hp, "/?token=wrong")[0] == 401, "token: the page with a wrong one: 401")
        status, hdrs, _ = get(hp, "/?token=s3cret-t0ken")
        cookie = hdrs.get("Set-Cookie", "")
        check(status == 200 and cookie.startswith("ken_token=s3cret-t0ken;") and "HttpOnly" in cookie,
              "token: the page with ?token=: 200, and the token as an HttpOnly cookie for its files")
        check("Set-Cookie" not in get(hp, "/", {"Authorization": "Bearer s3cret-t0ken"})[1],
              "token: no cookie set when the token came as a header")
        check(get(hp, "/gui/topology.js", {"Cookie": "ken_token=s3cret-t0ken"})[0] == 200,
              "token: a file with the cookie ken_token: 200")
        check(get(hp, "/v1.0/topology/switches", {"Authorization": "Bearer s3cret-t0ken"})[0] == 200,
              "token: REST with the bearer header: 200")
        w = WS(hp, expect=None)
        check(w.status == 401, "token: the socket without it: 401")
        w.close()
        w = WS(hp, path="/v1.0/topology/ws?token=nope", expect=None)
        check(w.status == 401, "token: the socket with a wrong one: 401")
        w.close()
        w = WS(hp, path="/v1.0/topology/ws?token=s3cret-t0ken")
        check(w.status == 101, "token: the socket with ?token=: 101")
        w2 = WS(hp, headers={"Cookie": "ken_token=s3cret-t0ken"})
        check(w2.status == 101, "token: the socket with the cookie: 101")
        sw = Switch(ofp, 7, [(1, "s7-eth1")], timeout=DEADLINE)
        msg = wait_method(w, "event_switch_enter")
        check(msg["params"][0]["dpid"] == "0000000000000007", "token: events flow on the authorized socket")
        sw.close()
        stop(mgr, "token")
        w.close()
        w2.close()
    finally:
        os.unlink(path)
        if mgr.poll() is None:
            mgr.kill()
            mgr.wait()


def main_https(manager, ofp, hp):
    """wss://: the socket over the server's TLS (libmicrohttpd's socket pair)."""
    if not shutil.which("openssl"):
        raise AssertionError("openssl (the command) is needed to make a certificate")
    with tempfile.TemporaryDirectory() as d:
        cert, key = os.path.join(d, "cert.pem"), os.path.join(d, "key.pem")
        subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", key, "-out", cert,
                        "-days", "2", "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1"],
                       check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        mgr = start(manager, ofp, hp, ["--wsapi-cert", cert, "--wsapi-key", key])
        try:
            ctx = ssl.create_default_context(cafile=cert)
            c = http.client.HTTPSConnection("127.0.0.1", hp, timeout=DEADLINE, context=ctx)
            c.request("GET", "/")
            r = c.getresponse()
            body = r.read()
            c.close()
            check(r.status == 200 and b"gui/topology.js" in body, "https: the page over TLS")
            w = WS(hp, tls=ctx)
            check(w.status == 101, "https: the socket over TLS (wss://): 101")
            w.send_frame(9, b"tls ping")
            op, _, data = w.recv_frame()
            check(op == 10 and data == b"tls ping", "https: ping answered over TLS")
            sw = Switch(ofp, 9, [(1, "s9-eth1")], timeout=DEADLINE)
            msg = wait_method(w, "event_switch_enter")
            check(msg["params"][0]["dpid"] == "0000000000000009", "https: events flow over TLS")
            bad = WS(hp, tls=ctx)
            bad.send_frame(1, b"x", mask=False)
            bad.expect_close(1002, "https: an unmasked frame")
            sw.close()
            stop(mgr, "https with a WebSocket open")
            w.close()
        finally:
            if mgr.poll() is None:
                mgr.kill()
                mgr.wait()


def main():
    manager, ofp, hp = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
    main_events(manager, ofp, hp)
    main_token(manager, ofp, hp)
    main_https(manager, ofp, hp)
    print("PASS")
    return 0


if __name__ == "__main__":
    sys.exit(main())
