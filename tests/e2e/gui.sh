#!/usr/bin/env bash
# The topology page (gui_topology, docs/gui.md) in a real browser: Open
# vSwitch (userspace datapath) with 3 bridges in a line (s1:2 - s2:2,
# s2:3 - s3:2, a host on port 1 of each), ken-manager with --observe-links
# gui_topology simple_switch_13, and headless Chromium driven through
# chromedriver (tests/e2e/gui_browser.py) in the switch namespace. Checks:
#   - the page lists and draws 3 switches and 4 directed links, then,
#     after pings, 3 hosts, with no reload;
#   - a switch clicked shows its ports (state, per-second counters that
#     move with traffic) and its flows;
#   - s2 port 3 set down: both its links leave the page within 2 s;
#   - ken restarted: the page reconnects by itself and shows it all again;
#   - ken restarted with HTTPS: the page over https:// with its wss://
#     socket shows it all;
#   - screenshots are kept (SCREENSHOT, and -port-down.png beside it);
#   - all of it with the REST token on (the page opened with ?token=).
#
#   tests/e2e/gui.sh OFPORT HTTPPORT DRIVERPORT build/ken-manager SCREENSHOT.png
set -euo pipefail

port=$1 http=$2 dport=$3 manager=$4 shot=$5
source "$(dirname "$0")/ovs-env.sh"
# The browser is this test's point: missing, it fails (scripts/install-deps.sh installs both).
for t in chromium chromedriver openssl; do
  command -v "$t" >/dev/null || { echo "FAIL: $t not installed (Debian packages chromium chromium-driver)"; exit 1; }
done
mkdir -p "$(dirname "$shot")"

driver_pid=
trap 'rc_=$?; set +e; [[ -n $driver_pid ]] && kill "$driver_pid" 2>/dev/null; (exit $rc_); ovs_cleanup' EXIT

ovs_start
# With a token: the page gets it as ?token= and passes it on to its
# requests and its WebSocket.
head -c 18 /dev/urandom | base64 | tr '+/' '-_' >"$dir/token"
ctl=("$manager" --ofp-tcp-listen-port "$port" --ofp-listen-host 127.0.0.1 --wsapi-host 127.0.0.1
  --wsapi-port "$http" --wsapi-auth-token-file "$dir/token" --observe-links gui_topology simple_switch_13)
ctl_start "$port" "${ctl[@]}"

line3_build OpenFlow13 no-ipv6
for s in 1 2 3; do vsctl set-controller "s$s" "tcp:127.0.0.1:$port"; done

echo "the topology page in headless Chromium (OpenFlow 1.3, --observe-links gui_topology simple_switch_13)"
# The driver runs in the switch namespace (the REST server's loopback);
# it asks for the controller's restart through files in $dir.
in_ns python3 "$(dirname "$0")/gui_browser.py" "$http" "$dport" "$tag" "$dir" "$shot" &
driver_pid=$!
until=$((SECONDS + 240))
# restart N: ken-manager stopped (SIGTERM, status 0) and started again;
# the second time with HTTPS (a self-signed certificate for 127.0.0.1).
restart() {
  echo "  restarting ken-manager${2:+ ($2)}"
  kill "$ctl_pid"; wait "$ctl_pid" || { echo "FAIL: the controller exited with status $? on SIGTERM"; exit 1; }
  ctl_pid=
  cat "$dir/controller.log" >>"$dir/controller.before.log"
  ctl_start "$port" "${ctl[@]}"
  touch "$dir/restart$1.done"
}
while kill -0 "$driver_pid" 2>/dev/null; do
  if [[ -f $dir/restart1.request && ! -f $dir/restart1.done ]]; then
    restart 1
  fi
  if [[ -f $dir/restart2.request && ! -f $dir/restart2.done ]]; then
    openssl req -x509 -newkey rsa:2048 -nodes -keyout "$dir/key.pem" -out "$dir/cert.pem" -days 2 \
      -subj /CN=127.0.0.1 -addext subjectAltName=IP:127.0.0.1 >/dev/null 2>&1
    ctl+=(--wsapi-cert "$dir/cert.pem" --wsapi-key "$dir/key.pem")
    restart 2 HTTPS
  fi
  ((SECONDS < until)) || { echo "FAIL: the browser test ran past 240 s"; exit 1; }
  sleep 0.1
done
rc=0; wait "$driver_pid" || rc=$?
driver_pid=
if grep -q "Sanitizer\|runtime error" "$dir/controller.before.log" 2>/dev/null; then
  echo "FAIL: a sanitizer report in an earlier controller's log"; exit 1
fi
((rc == 0)) || { echo "FAIL: the browser checks failed"; sed 's/^/  chromedriver: /' "$dir/chromedriver.log" | tail -5; exit 1; }
[[ -s $shot ]] || { echo "FAIL: no screenshot at $shot"; exit 1; }
echo PASS
