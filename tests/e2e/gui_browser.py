#!/usr/bin/env python3
"""The topology page in a real browser (tests/e2e/gui.sh runs it in the
switch namespace): headless Debian Chromium driven by chromedriver over
the W3C WebDriver protocol, spoken with the Python 3 stdlib (no npm, no
pip at test time).

    gui_browser.py HTTP-PORT DRIVER-PORT TAG DIR SCREENSHOT

TAG names the hosts' namespaces (TAGh1..3), DIR is the test's scratch
folder (the REST token, chromium's profile, the files to ask gui.sh for
a controller restart), SCREENSHOT the PNG kept as the test's artifact (a second one,
after the port went down, beside it)."""
import base64
import json
import os
import subprocess
import sys
import time
import urllib.error
import urllib.request

SWITCHES = {"0000000000000001", "0000000000000002", "0000000000000003"}
LINKS = {"0000000000000001:2-0000000000000002:2", "0000000000000002:2-0000000000000001:2",
         "0000000000000002:3-0000000000000003:2", "0000000000000003:2-0000000000000002:3"}
DOWN_LINKS = {"0000000000000002:3-0000000000000003:2", "0000000000000003:2-0000000000000002:3"}
HOSTS = {"00:00:00:00:00:01", "00:00:00:00:00:02", "00:00:00:00:00:03"}
ELEMENT = "element-6066-11e4-a52e-4f735466cecf"


def step(msg):
    print("  " + msg, flush=True)


class Driver:
    def __init__(self, port, profile):
        self.base = "http://127.0.0.1:%d" % port
        self.proc = subprocess.Popen(["chromedriver", "--port=%d" % port, "--allowed-ips=127.0.0.1"],
                                     stdout=open(os.path.join(os.path.dirname(profile), "chromedriver.log"), "w"),
                                     stderr=subprocess.STDOUT)
        until = time.monotonic() + 20
        while True:
            try:
                if self.call("GET", "/status")["ready"]:
                    break
            except OSError:
                pass
            if self.proc.poll() is not None or time.monotonic() > until:
                raise AssertionError("chromedriver did not start")
            time.sleep(0.1)
        caps = {"capabilities": {"alwaysMatch": {"browserName": "chrome", "acceptInsecureCerts": True,
            "goog:loggingPrefs": {"browser": "ALL"}, "goog:chromeOptions": {
            "binary": "/usr/bin/chromium",
            "args": ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                     "--disable-background-networking", "--disable-component-update", "--disable-sync",
                     "--disable-dev-shm-usage", "--window-size=1400,1000", "--user-data-dir=" + profile]}}}}
        self.session = self.call("POST", "/session", caps)["sessionId"]

    def call(self, method, path, body=None):
        data = json.dumps(body).encode() if body is not None else None
        req = urllib.request.Request(self.base + path, data=data, method=method,
                                     headers={"Content-Type": "application/json"})
        try:
            with urllib.request.urlopen(req, timeout=60) as r:
                return json.loads(r.read())["value"]
        except urllib.error.HTTPError as e:
            raise AssertionError("WebDriver %s %s: %s" % (method, path, e.read()[:500]))

    def s(self, method, path, body=None):
        return self.call(method, "/session/" + self.session + path, body)

    def js(self, script, *args):
        return self.s("POST", "/execute/sync", {"script": script, "args": list(args)})

    def console(self):
        """The browser's console since the last call (chromedriver's log endpoint)."""
        return self.s("POST", "/se/log", {"type": "browser"})

    def screenshot(self, path):
        with open(path, "wb") as f:
            f.write(base64.b64decode(self.s("GET", "/screenshot")))
        print("  screenshot: " + path, flush=True)

    def quit(self):
        try:
            self.s("DELETE", "")
        except Exception:
            pass
        self.proc.terminate()
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()


STATE_JS = """
function rows(sel, attr) { return Array.from(document.querySelectorAll(sel)).map(function (r) { return r.getAttribute(attr); }); }
var t = window.kenTopology;
return {
  status: document.getElementById('status').dataset.state,
  switches: rows('#switches tbody tr[data-dpid]', 'data-dpid'),
  links: rows('#links tbody tr[data-link]', 'data-link'),
  hosts: rows('#hosts tbody tr[data-mac]', 'data-mac'),
  hostAddrs: Array.from(document.querySelectorAll('#hosts tbody tr[data-mac]')).map(function (r) {
    return r.getAttribute('data-mac') + ' ' + r.cells[1].textContent; }),
  drawnSwitches: t ? t.cy.nodes('.switch').length : -1,
  drawnHosts: t ? t.cy.nodes('.host').length : -1,
  drawnLinks: t ? t.cy.edges().not('.hostlink').length : -1,
  marker: window.__kenNoReload === 42,
  connects: t ? t.stats.connects : -1,
  loads: t ? t.stats.loads : -1,
  events: t ? t.stats.events : -1,
};
"""


def wait_state(d, what, pred, seconds):
    until = time.monotonic() + seconds
    st = None
    while time.monotonic() < until:
        st = d.js(STATE_JS)
        if pred(st):
            step("%s: ok" % what)
            return st
        time.sleep(0.05)
    raise AssertionError("%s: not within %s s; the page shows %s" % (what, seconds, json.dumps(st)))


def in_host(tag, h, *cmd):
    return subprocess.run(["ip", "netns", "exec", "%sh%d" % (tag, h)] + list(cmd), stdout=subprocess.DEVNULL,
                          stderr=subprocess.DEVNULL).returncode


def main():
    http, dport, tag, workdir, shot = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3], sys.argv[4], sys.argv[5]
    token = open(os.path.join(workdir, "token")).read().strip()
    page = "http://127.0.0.1:%d/?token=%s" % (http, token)
    for path in ("/", "/v1.0/topology/switches"):  # the token is on: nothing without it
        try:
            urllib.request.urlopen("http://127.0.0.1:%d%s" % (http, path), timeout=10)
            raise AssertionError("GET %s without the token was answered" % path)
        except urllib.error.HTTPError as e:
            if e.code != 401:
                raise AssertionError("GET %s without the token: %d, not 401" % (path, e.code))
    step("the token is on: 401 without it")
    d = Driver(dport, os.path.join(workdir, "chromium-profile"))
    try:
        d.s("POST", "/url", {"url": page})
        d.js("window.__kenNoReload = 42;")
        # The console is read at the end: first prove the channel works.
        d.js("console.error('gui-test: the console is read');")
        first = [e["message"] for e in d.console() if e.get("level") == "SEVERE"]
        if not any("gui-test: the console is read" in m for m in first):
            raise AssertionError("the browser's console cannot be read: %s" % first)
        if len(first) != 1:
            raise AssertionError("errors in the browser's console at load: %s" % first)
        st = wait_state(d, "3 switches, 4 directed links in the tables and the drawing",
                        lambda s: set(s["switches"]) == SWITCHES and len(s["switches"]) == 3 and
                        set(s["links"]) == LINKS and len(s["links"]) == 4 and s["drawnSwitches"] == 3 and
                        s["drawnLinks"] == 4 and s["status"] == "live", 60)

        step("pinging")
        for a in (1, 2, 3):
            for b in (1, 2, 3):
                if a != b and in_host(tag, a, "ping", "-c", "1", "-W", "2", "10.0.0.%d" % b) and \
                        in_host(tag, a, "ping", "-c", "2", "-W", "2", "10.0.0.%d" % b):
                    raise AssertionError("h%d cannot ping h%d" % (a, b))
        wait_state(d, "3 hosts after the pings, without a reload",
                   lambda s: set(s["hosts"]) == HOSTS and len(s["hosts"]) == 3 and s["drawnHosts"] == 3 and
                   s["marker"], 15)
        wait_state(d, "the hosts' IPv4 addresses shown",
                   lambda s: sorted(s["hostAddrs"]) == ["00:00:00:00:00:0%d 10.0.0.%d" % (i, i) for i in (1, 2, 3)],
                   10)

        # A switch clicked: its ports with counters, its flows.
        el = d.s("POST", "/element", {"using": "css selector", "value": 'tr[data-dpid="0000000000000002"]'})
        d.s("POST", "/element/%s/click" % el[ELEMENT], {})
        detail_js = """
          var ports = Array.from(document.querySelectorAll('#ports tbody tr[data-port]')).map(function (r) {
            return Array.from(r.cells).map(function (c) { return c.textContent; }); });
          return {shown: !document.getElementById('detail').hidden,
                  dpid: document.getElementById('detail-dpid').textContent, ports: ports,
                  flows: document.querySelectorAll('#flows tbody tr').length};"""
        until = time.monotonic() + 15
        while True:
            det = d.js(detail_js)
            by = {p[0]: p for p in det["ports"]}
            if det["shown"] and det["dpid"] == "0000000000000002" and all(k in by for k in ("1", "2", "3")) and \
                    all(by[k][2] == "up" and by[k][3] != "" for k in ("1", "2", "3")) and det["flows"] >= 1:
                break
            if time.monotonic() > until:
                raise AssertionError("switch 2's ports and flows not shown: %s" % json.dumps(det))
            time.sleep(0.1)
        step("switch 2 clicked: ports 1-3 up with per-second counters (%s), %d flows" %
             (", ".join("%s rx %s pkt/s" % (k, by[k][3]) for k in ("1", "2", "3")), det["flows"]))
        if by["2"][1] != "s2-eth2":
            raise AssertionError("port 2's name: %r" % by["2"])
        # Traffic from h2 shows in the per-second counters of s2 port 1
        # (quiet otherwise: no IPv6, and LLDP only crosses the links).
        for _ in range(10):
            in_host(tag, 2, "ping", "-c", "3", "-W", "1", "-i", "0.2", "10.0.0.1")
            det = d.js(detail_js)
            by = {p[0]: p for p in det["ports"]}
            if float(by["1"][3].replace(",", "") or 0) > 0:
                break
        else:
            raise AssertionError("no rx packets per second on s2 port 1 while h2 pings: %s" % json.dumps(det))
        step("h2's pings show in s2 port 1's rx pkt/s (%s)" % by["1"][3])
        d.screenshot(shot)

        # Port 3 of s2 down: its two links leave the page within 2 s.
        events0 = d.js(STATE_JS)["events"]
        t0 = time.monotonic()
        subprocess.run(["ovs-ofctl", "-O", "OpenFlow13", "--timeout=10", "mod-port", "s2", "3", "down"], check=True)
        st = wait_state(d, "s2 port 3 down: its links gone from the page",
                        lambda s: set(s["links"]) == LINKS - DOWN_LINKS and len(s["links"]) == 2 and
                        s["drawnLinks"] == 2 and s["marker"], 2.0)
        step("  ... after %.2f s (bound: 2 s), no reload, on %d WebSocket events" %
             (time.monotonic() - t0, st["events"] - events0))
        if st["events"] - events0 < 2:
            raise AssertionError("the links went without their 2 event_link_delete calls")
        until = time.monotonic() + 5
        while True:
            det = d.js(detail_js)
            by = {p[0]: p for p in det["ports"]}
            if "3" in by and by["3"][2] in ("admin down", "link down"):
                break
            if time.monotonic() > until:
                raise AssertionError("port 3 not shown down: %s" % json.dumps(det))
            time.sleep(0.1)
        step("port 3 shown %s in s2's ports" % by["3"][2])
        d.screenshot(shot.replace(".png", "-port-down.png"))

        # ken restarts: the page reconnects by itself and loads it all again.
        before = d.js(STATE_JS)
        step("%d WebSocket events so far, %d connection(s)" % (before["events"], before["connects"]))
        open(os.path.join(workdir, "restart1.request"), "w").close()
        until = time.monotonic() + 60
        saw_down = False
        while not os.path.exists(os.path.join(workdir, "restart1.done")):
            saw_down = saw_down or d.js("return document.getElementById('status').dataset.state;") != "live"
            if time.monotonic() > until:
                raise AssertionError("gui.sh did not restart the controller")
            time.sleep(0.05)
        wait_state(d, "after ken restarted: reconnected, 3 switches and the 2 links up again, no reload",
                   lambda s: s["status"] == "live" and s["connects"] > before["connects"] and
                   s["loads"] > before["loads"] and set(s["switches"]) == SWITCHES and
                   set(s["links"]) == LINKS - DOWN_LINKS and len(s["links"]) == 2 and s["marker"], 60)
        if not saw_down:
            step("(the page was not seen disconnected: the restart was quicker than a poll)")
        url = d.s("GET", "/url")
        if url != page:
            raise AssertionError("the page moved to %s" % url)
        # No script error on the way; failed connections while ken was
        # down are expected (the page retries), anything else is not.
        errors = [e["message"] for e in d.console() if e.get("level") == "SEVERE" and not
                  ("WebSocket connection to" in e["message"] or "ERR_CONNECTION_REFUSED" in e["message"] or
                   "Failed to fetch" in e["message"])]
        if errors:
            raise AssertionError("errors in the browser's console: %s" % errors)
        step("no error in the browser's console")

        # ken again, now with HTTPS: the page over https://, its socket wss://.
        open(os.path.join(workdir, "restart2.request"), "w").close()
        until = time.monotonic() + 60
        while not os.path.exists(os.path.join(workdir, "restart2.done")):
            if time.monotonic() > until:
                raise AssertionError("gui.sh did not restart the controller with HTTPS")
            time.sleep(0.05)
        d.console()  # drained: the http page's refused reconnections
        d.s("POST", "/url", {"url": page.replace("http://", "https://")})
        st = wait_state(d, "over HTTPS (wss://): live, 3 switches and 2 links",
                        lambda s: s["status"] == "live" and s["connects"] >= 1 and
                        set(s["switches"]) == SWITCHES and set(s["links"]) == LINKS - DOWN_LINKS and
                        len(s["links"]) == 2, 60)
        proto = d.js("return location.protocol;")
        if proto != "https:":
            raise AssertionError("the page is on %s" % proto)
        errors = [e["message"] for e in d.console() if e.get("level") == "SEVERE"]
        if errors:
            raise AssertionError("errors in the browser's console over HTTPS: %s" % errors)
        step("over HTTPS: no error in the browser's console")
    finally:
        d.quit()
    print("PASS")
    return 0


if __name__ == "__main__":
    sys.exit(main())
