#!/usr/bin/env python3
"""The REST server over real HTTP: ken-manager runs the test app
(tests/rest/rest_app.c) and this checks every status, auth, HTTPS,
keep-alive, concurrency and the access log.

usage: test_http.py KEN_MANAGER REST_APP_SO"""
import http.client
import json
import os
import re
import shutil
import signal
import socket
import ssl
import subprocess
import sys
import tempfile
import threading
import time

KM, APP = sys.argv[1], sys.argv[2]
TMP = tempfile.mkdtemp(prefix="ken-rest-")
failures = []


def check(cond, what):
    if not cond:
        failures.append(what)
        print("FAIL:", what, flush=True)


class Manager:
    """ken-manager with the test app; its REST port read from its log."""

    def __init__(self, *args, name="km"):
        self.log = os.path.join(TMP, name + ".log")
        self.proc = subprocess.Popen(
            [KM, "--ofp-tcp-listen-port", "0", "--wsapi-host", "127.0.0.1", "--wsapi-port", "0",
             "--log-file", self.log, *args, APP],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        self.port = None
        deadline = time.time() + 20
        while time.time() < deadline and self.proc.poll() is None:
            m = re.search(r"INFO wsapi: listening on 127\.0\.0\.1 port (\d+)", self.text())
            if m:
                self.port = int(m.group(1))
                break
            time.sleep(0.05)
        if self.port is None:
            out, err = self.proc.communicate(timeout=10) if self.proc.poll() is not None else (b"", b"")
            raise SystemExit(f"ken-manager did not start: {err.decode()} {self.text()}")

    def text(self):
        try:
            with open(self.log) as f:
                return f.read()
        except FileNotFoundError:
            return ""

    def stop(self):
        self.proc.send_signal(signal.SIGTERM)
        try:
            _, err = self.proc.communicate(timeout=30)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            _, err = self.proc.communicate()
        check(self.proc.returncode == 0, f"ken-manager exits 0 after SIGTERM (got {self.proc.returncode}): "
              f"{err.decode()[-2000:]}")


def request(port, method, path, body=None, headers=None, conn=None, tls=None):
    own = conn is None
    if own:
        conn = (http.client.HTTPSConnection("127.0.0.1", port, context=tls, timeout=20) if tls
                else http.client.HTTPConnection("127.0.0.1", port, timeout=20))
    conn.request(method, path, body=body, headers=headers or {})
    r = conn.getresponse()
    data = r.read()
    if own:
        conn.close()
    ctype = r.getheader("Content-Type")
    doc = json.loads(data) if ctype == "application/json" and data else None
    return r.status, r, doc, data


def expect_error(port, method, path, status, what, **kw):
    st, r, doc, data = request(port, method, path, **kw)
    check(st == status, f"{what}: status {st}, expected {status} ({data[:200]!r})")
    check(isinstance(doc, dict) and isinstance(doc.get("error"), str) and doc["error"],
          f"{what}: a JSON body {{\"error\": ...}} (got {data[:200]!r})")
    return r, doc


def main_server():
    m = Manager("--wsapi-timeout", "0.5", "--wsapi-max-body", "1000")
    p = m.port

    # Echo: parameters decoded, query, headers, body, the app's own thread.
    st, r, doc, _ = request(p, "POST", "/echo/a%20b%2Fc/42?x=1+2&y=%41", body=b"hello",
                            headers={"X-Test-Header": "hi"})
    check(st == 200, f"echo status {st}")
    check(doc["params"] == {"a": "a b/c", "b": "42"}, f"echo params {doc['params']}")
    check(doc["a"] == "a b/c" and doc["path"] == "/echo/a b/c/42", f"echo path {doc['path']}")
    check(doc["x"] == "1 2" and doc["query"] == "x=1+2&y=%41", f"echo query {doc['query']} x={doc['x']}")
    check(doc["header"] == "hi", "ken_ws_header, case-insensitive")
    check(doc["body"] == "hello" and doc["body_nul"], "the body, NUL-terminated")
    check(doc["on_app_thread"] is True and doc["app"] == "rest_test", "the handler runs on its app's thread")
    check(doc["route"] == "echo" and doc["method"] == "POST", "route name and method")
    check(re.fullmatch(r"127\.0\.0\.1:\d+", doc["remote"]) is not None, f"remote {doc['remote']}")
    check(r.getheader("X-Echo") == "yes", "a header added by the handler")
    st, _, doc, _ = request(p, "BREW", "/any/x")
    check(st == 200 and doc["method"] == "BREW", "a route without methods takes every method")
    st, _, doc, _ = request(p, "GET", "/")
    check(st == 200 and doc["route"] == "root", "the root route")

    # The server's errors, each with a JSON body.
    expect_error(p, "GET", "/nowhere", 404, "unknown route")
    expect_error(p, "GET", "/echo/x/notdigits", 404, "a part failing its requirement (Ryu: 404)")
    expect_error(p, "GET", "/hello/", 404, "a trailing slash is another path")
    # The error quotes the path: a byte that is not UTF-8 must not make the
    # body invalid JSON (json.loads in request() would fail).
    _, doc = expect_error(p, "GET", "/v1.0/x%FF%C3", 404, "a path that is not UTF-8")
    check(doc["error"].endswith("x\ufffd\ufffd"), f"bytes that are not UTF-8 become U+FFFD: {doc['error']!r}")
    r, _ = expect_error(p, "DELETE", "/hello", 405, "method not allowed")
    check(r.getheader("Allow") == "GET", f"Allow: {r.getheader('Allow')}")
    r, _ = expect_error(p, "POST", "/items/abc", 405, "method not allowed over two routes")
    check(r.getheader("Allow") == "GET, PUT, DELETE", f"Allow over two routes: {r.getheader('Allow')}")
    st, _, doc, _ = request(p, "DELETE", "/items/abc")
    check(st == 200 and doc["route"] == "item_put", "the second route of a template serves its methods")
    expect_error(p, "GET", "/echo/%zz/1", 400, "an invalid escape")
    expect_error(p, "GET", "/echo/a%00b/1", 400, "an escaped NUL")
    expect_error(p, "GET", "/echo/a/1?x=%G1", 400, "an invalid escape in the query")
    expect_error(p, "POST", "/json", 413, "a body over --wsapi-max-body", body=b"x" * 1001)
    st, _, _, _ = request(p, "POST", "/json", body=b"[" + b"1," * 498 + b"1]")  # 999 bytes
    check(st == 201, f"a body just under the limit: {st}")

    # A chunked body over the limit: read and dropped, then 413.
    c = http.client.HTTPConnection("127.0.0.1", p, timeout=20)
    c.putrequest("POST", "/json")
    c.putheader("Transfer-Encoding", "chunked")
    c.endheaders()
    for _ in range(3):
        c.send(b"200\r\n" + b"x" * 512 + b"\r\n")
    c.send(b"0\r\n\r\n")
    rr = c.getresponse()
    check(rr.status == 413, f"chunked body over the limit: {rr.status}")
    rr.read()
    c.close()

    # JSON bodies.
    st, _, doc, _ = request(p, "PUT", "/json", body=b'{"a": [1, 2]}')
    check(st == 201 and doc == {"got": {"a": [1, 2]}}, f"a JSON body: {st} {doc}")
    _, doc = expect_error(p, "POST", "/json", 400, "malformed JSON", body=b'{"a":\n  [1, }')
    check("line 2" in doc["error"], f"malformed JSON says where: {doc['error']}")
    _, doc = expect_error(p, "POST", "/json", 400, "JSON with trailing text", body=b'{"a": 1} x')
    check("after the value" in doc["error"], f"trailing text: {doc['error']}")
    expect_error(p, "POST", "/json", 400, "an empty body where JSON is expected", body=b"")
    expect_error(p, "POST", "/json", 400, "a truncated JSON body", body=b'{"a": [1, 2')

    # Statuses from the handler; a header with CR/LF is refused.
    st, r, _, data = request(p, "GET", "/status/299")
    check(st == 299 and data == b"ok\n" and r.getheader("Content-Type") == "text/plain",
          f"the handler's status and content type ({st})")

    _, doc = expect_error(p, "GET", "/status/100", 500, "a handler's status outside 200..599")
    check("status 100" in doc["error"], f"the 500 says why: {doc['error']}")

    # Pipelined requests: answered in order on one connection.
    s = socket.create_connection(("127.0.0.1", p), timeout=10)
    s.sendall(b"GET /echo/p1/1 HTTP/1.1\r\nHost: x\r\n\r\nGET /nowhere HTTP/1.1\r\nHost: x\r\n\r\n"
              b"GET /echo/p3/3 HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
    data = b""
    while True:
        d = s.recv(65536)
        if not d:
            break
        data += d
    s.close()
    statuses = re.findall(rb"HTTP/1\.1 (\d+)", data)
    check(statuses == [b"200", b"404", b"200"] and data.find(b'"a":"p1"') < data.find(b'"a":"p3"'),
          f"pipelined requests answered in order: {statuses}")

    # Keep-alive: one connection, errors included, no reconnection.
    c = http.client.HTTPConnection("127.0.0.1", p, timeout=20)
    request(p, "GET", "/hello", conn=c)
    sock = c.sock
    for path, status in [("/hello", 200), ("/nowhere", 404), ("/echo/x/1", 200), ("/echo/x/y", 404)]:
        st, _, _, _ = request(p, "GET", path, conn=c)
        check(st == status, f"keep-alive {path}: {st}")
    st, _, _, _ = request(p, "POST", "/hello", conn=c, body=b"some body")
    check(st == 405, f"keep-alive 405 with a body: {st}")
    st, _, _, _ = request(p, "GET", "/hello", conn=c)
    check(st == 200 and c.sock is sock, "the same connection served every request")
    c.close()

    # Deferred: answered from another thread.
    st, _, doc, _ = request(p, "GET", "/deferred?ms=50")
    check(st == 202 and doc == {"deferred": 50, "path": "/deferred", "method": "GET", "remote_ok": True, "x": True,
                                "host": True}, f"deferred answer: {st} {doc}")

    # Timeouts: a deferred answer after the timeout (503; the late finish
    # only frees), and a handler that blocks its app.
    t0 = time.time()
    _, doc = expect_error(p, "GET", "/deferred?ms=900", 503, "a deferred answer past the timeout")
    check(0.4 < time.time() - t0 < 0.85, f"503 after about the timeout ({time.time() - t0:.2f} s)")
    t0 = time.time()
    expect_error(p, "GET", "/slow?ms=1200", 503, "a handler past the timeout")
    check(time.time() - t0 < 1.0, "the 503 does not wait for the handler")
    # Queued behind the slow handler: also 503 (the handler never runs).
    expect_error(p, "GET", "/hello", 503, "a request queued behind a blocked app")
    time.sleep(1.0)  # the slow handler and the late finish are done
    st, _, _, _ = request(p, "GET", "/hello")
    check(st == 200, "the app answers again")

    # Concurrent clients on keep-alive connections.
    errors = []

    def client(k):
        try:
            cc = http.client.HTTPConnection("127.0.0.1", p, timeout=30)
            for i in range(40):
                st, _, doc, _ = request(p, "GET", f"/echo/c{k}/{i}", conn=cc)
                if st != 200 or doc["params"] != {"a": f"c{k}", "b": str(i)}:
                    errors.append((k, i, st))
            cc.close()
        except Exception as e:  # noqa: BLE001 - any failure is a test failure
            errors.append((k, repr(e)))

    threads = [threading.Thread(target=client, args=(k,)) for k in range(32)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    check(not errors, f"32 concurrent clients x 40 requests: {errors[:5]}")

    # curl (a tool the docs use): plain GET and the status.
    curl = shutil.which("curl")
    check(curl is not None, "curl is installed (scripts/install-deps.sh)")
    if curl:
        out = subprocess.run([curl, "-s", "-w", " %{http_code}", f"http://127.0.0.1:{p}/hello"],
                             capture_output=True, text=True, timeout=30).stdout
        check(out == '{"hello": "world"} 200', f"curl: {out!r}")

    # Long paths: a 20 KB one is routed (404, JSON); past the 32 KiB of a
    # request's headers libmicrohttpd answers 414 itself.
    expect_error(p, "GET", "/echo/" + "a" * 20000 + "/x", 404, "a 20 KB path")
    st, _, _, _ = request(p, "GET", "/echo/" + "a" * 70000 + "/1")
    check(st == 414, f"a 70 KB path: {st}")

    # A raw request with a NUL in the request line is refused, not a crash.
    s = socket.create_connection(("127.0.0.1", p), timeout=10)
    s.sendall(b"GET /he\x00llo HTTP/1.1\r\nHost: x\r\n\r\n")
    s.recv(4096)
    s.close()
    st, _, _, _ = request(p, "GET", "/hello")
    check(st == 200, "the server lives on after a raw NUL")
    s = socket.create_connection(("127.0.0.1", p), timeout=10)
    s.sendall(b"GET /esc\x1b[31mape HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
    check(re.match(rb"HTTP/1\.1 (404|400)", s.recv(4096)) is not None, "a raw control byte in the path: 404 or 400")
    s.close()

    m.stop()
    log = m.text()
    check(re.search(r"INFO wsapi: 127\.0\.0\.1:\d+ GET /hello 200 \d+us", log) is not None,
          "an access log line per request")
    check(re.search(r"INFO wsapi: 127\.0\.0\.1:\d+ DELETE /hello 405 \d+us", log) is not None,
          "the access log has errors too")
    check("\x1b" not in log, "no control byte reaches the log")
    n = len(re.findall(r"INFO wsapi: 127\.0\.0\.1:\d+ GET /echo/c\d+/\d+ 200 ", log))
    check(n == 32 * 40, f"one access log line per request ({n} of {32 * 40})")


def auth_server():
    token = os.path.join(TMP, "token")
    with open(token, "w") as f:
        f.write("s3cret-token\n")
    m = Manager("--wsapi-auth-token-file", token, name="auth")
    p = m.port
    for headers in [{}, {"Authorization": "Bearer wrong"}, {"Authorization": "Bearer s3cret-toke"},
                    {"Authorization": "Basic czNjcmV0LXRva2Vu"}, {"Authorization": "Bearer s3cret-token2"}]:
        r, _ = expect_error(p, "GET", "/hello", 401, f"auth with {headers}", headers=headers)
        check(r.getheader("WWW-Authenticate") == "Bearer", "401 says WWW-Authenticate: Bearer")
    expect_error(p, "GET", "/nowhere", 401, "auth comes before routing")
    st, _, _, _ = request(p, "GET", "/hello", headers={"Authorization": "Bearer s3cret-token"})
    check(st == 200, f"the right token: {st}")
    m.stop()


def config_file_server():
    """The config file keys are the options' names with underscores."""
    conf = os.path.join(TMP, "ken.conf")
    with open(conf, "w") as f:
        f.write("[DEFAULT]\nwsapi_max_body = 10\nwsapi_timeout = 0.3\n")
    m = Manager("--config-file", conf, name="conf")
    p = m.port
    expect_error(p, "POST", "/json", 413, "wsapi_max_body from a config file", body=b"[1,2,3,4,5]")
    st, _, _, _ = request(p, "POST", "/json", body=b"[1,2,3,4]")
    check(st == 201, f"a body within wsapi_max_body: {st}")
    t0 = time.time()
    expect_error(p, "GET", "/deferred?ms=600", 503, "wsapi_timeout from a config file")
    check(time.time() - t0 < 0.55, f"the config file's timeout ({time.time() - t0:.2f} s)")
    time.sleep(0.4)
    m.stop()


def make_cert(name="server"):
    cert, key = os.path.join(TMP, name + "-cert.pem"), os.path.join(TMP, name + "-key.pem")
    openssl = shutil.which("openssl")
    check(openssl is not None, "openssl is installed")
    subprocess.run([openssl, "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", key, "-out", cert,
                    "-days", "2", "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1"],
                   check=True, capture_output=True, timeout=60)
    return cert, key


def https_server():
    cert, key = make_cert()
    m = Manager("--wsapi-cert", cert, "--wsapi-key", key, name="https")
    p = m.port
    ctx = ssl.create_default_context(cafile=cert)
    st, _, doc, _ = request(p, "GET", "/hello", tls=ctx)
    check(st == 200 and doc == {"hello": "world"}, f"HTTPS: {st}")
    c = http.client.HTTPSConnection("127.0.0.1", p, context=ctx, timeout=20)
    for _ in range(3):
        st, _, _, _ = request(p, "GET", "/echo/a/1", conn=c, tls=ctx)
        check(st == 200, "HTTPS keep-alive")
    c.close()
    # Plain HTTP to the HTTPS port is no answer, not a crash.
    try:
        request(p, "GET", "/hello")
    except Exception:  # noqa: BLE001 - refused, any way
        pass
    st, _, _, _ = request(p, "GET", "/hello", tls=ctx)
    check(st == 200, "HTTPS still serves after a plain-HTTP client")
    m.stop()
    return cert, key


def start_errors(cert, key):
    """Bad configurations: a clear message and a nonzero exit."""
    def fails(args, pattern, what):
        r = subprocess.run([KM, "--ofp-tcp-listen-port", "0", "--wsapi-host", "127.0.0.1", *args, APP],
                           capture_output=True, text=True, timeout=60, stdin=subprocess.DEVNULL)
        check(r.returncode != 0, f"{what}: exits nonzero (got {r.returncode})")
        check(re.search(pattern, r.stderr) is not None, f"{what}: says why ({r.stderr.strip()[-300:]!r})")

    busy = socket.socket()
    busy.bind(("127.0.0.1", 0))
    busy.listen()
    port = busy.getsockname()[1]
    fails(["--wsapi-port", str(port)], r"cannot listen on 127\.0\.0\.1 port \d+: Address already in use",
          "port in use")
    busy.close()
    garbage = os.path.join(TMP, "garbage.pem")
    with open(garbage, "w") as f:
        f.write("not a certificate\n")
    fails(["--wsapi-port", "0", "--wsapi-cert", garbage, "--wsapi-key", key], r"no PEM certificate", "a bad cert")
    fails(["--wsapi-port", "0", "--wsapi-cert", cert, "--wsapi-key", os.path.join(TMP, "missing.pem")],
          r"cannot read the private key .*missing\.pem", "a missing key")
    fails(["--wsapi-port", "0", "--wsapi-cert", cert], r"needs both", "a cert without a key")
    enc = os.path.join(TMP, "enc-key.pem")
    subprocess.run(["openssl", "genpkey", "-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:2048", "-aes256",
                    "-pass", "pass:secret", "-out", enc], check=True, capture_output=True, timeout=60)
    # Refused with a reason; no passphrase is asked for (OpenSSL's default
    # would read one from the terminal: a hang when there is one).
    fails(["--wsapi-port", "0", "--wsapi-cert", cert, "--wsapi-key", enc], r"no PEM private key \(or it is encrypted\)",
          "an encrypted key")
    other_cert, _ = make_cert("other")
    fails(["--wsapi-port", "0", "--wsapi-cert", other_cert, "--wsapi-key", key], r"does not match",
          "a key that is not the certificate's")
    fails(["--wsapi-port", "0", "--wsapi-auth-token-file", os.path.join(TMP, "nofile")],
          r"cannot read the auth token file", "a missing token file")
    fails(["--wsapi-port", "0", "--wsapi-auth-token-file", TMP], r"not a regular file", "a folder as token file")
    empty = os.path.join(TMP, "empty")
    open(empty, "w").close()
    fails(["--wsapi-port", "0", "--wsapi-auth-token-file", empty], r"must hold one token", "an empty token file")
    fails(["--wsapi-port", "65536"], r"wsapi-port", "a port out of range")
    fails(["--wsapi-timeout", "0"], r"wsapi-timeout", "a zero timeout")


main_server()
config_file_server()
auth_server()
cert, key = https_server()
start_errors(cert, key)
shutil.rmtree(TMP, ignore_errors=True)
if failures:
    print(f"{len(failures)} failure(s)")
    sys.exit(1)
print("ok")
