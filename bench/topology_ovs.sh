#!/usr/bin/env bash
# Link discovery on real Open vSwitch, ken beside OS-Ken: a line of three
# bridges (s1:2 - s2:2, s2:3 - s3:2, patch ports, OpenFlow 1.3), and the
# time from the third switch entering the topology to the fourth link
# (both directions of both wires) being found, as each controller's own
# log stamps them: ken-manager --observe-links with the link_watch
# example app (docs/examples/link_watch.c), osken-manager --observe-links
# with an app of the same kind written below. ROUNDS (5) alternating
# rounds each.
#
# Usage (root): bench/topology_ovs.sh [build]
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
build=${1:-$here/../build}
ROUNDS=${ROUNDS:-5}
OF_PORT=${OF_PORT:-16798}
command -v osken-manager >/dev/null || { echo "topology_ovs: osken-manager is missing (python3-os-ken)"; exit 1; }
[[ -f $build/link_watch.so ]] || { echo "topology_ovs: $build/link_watch.so is missing (ninja -C $build)"; exit 1; }
source "$here/../tests/e2e/ovs-env.sh"

# OS-Ken's side: logs each switch entering and each link found, with a
# monotonic-enough wall clock to the millisecond.
osken_app=$dir/osken_links.py
cat >"$osken_app" <<'PY'
import time
from os_ken.base import app_manager
from os_ken.controller.handler import set_ev_cls
from os_ken.topology import event

class LinkTimes(app_manager.OSKenApp):
    @set_ev_cls(event.EventSwitchEnter)
    def enter(self, ev):
        print("T %.3f switch entered" % time.time(), flush=True)

    @set_ev_cls(event.EventLinkAdd)
    def link(self, ev):
        print("T %.3f link up" % time.time(), flush=True)
PY

ovs_start
for s in 1 2 3; do
  vsctl add-br "s$s" -- set bridge "s$s" datapath_type=netdev fail_mode=secure protocols=OpenFlow13 \
    other-config:datapath-id=000000000000000$s
done
patch() { vsctl add-port "$1" "$2" -- set interface "$2" type=patch options:peer="$3" ofport_request="$4"; }
patch s1 p12 p21 2; patch s2 p21 p12 2; patch s2 p23 p32 3; patch s3 p32 p23 2

# Seconds from the third "switch ... entered" to the fourth "link up" in
# the controller's log ($1: the stamps' form).
measure() {
  local form=$1
  for s in 1 2 3; do vsctl set-controller "s$s" "tcp:127.0.0.1:$OF_PORT"; done
  local until=$((SECONDS + 20))
  while ((SECONDS < until)) && (($(grep -c "link up" "$dir/controller.log" || true) < 4)); do sleep 0.05; done
  for s in 1 2 3; do vsctl del-controller "s$s"; done
  python3 - "$form" "$dir/controller.log" <<'PY'
import re, sys, datetime
form, path = sys.argv[1], sys.argv[2]
enter, links = [], []
for line in open(path, errors="replace"):
    if form == "ken":
        m = re.match(r"(\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{3}) ", line)
        t = m and datetime.datetime.strptime(m.group(1), "%Y-%m-%d %H:%M:%S.%f").timestamp()
    else:
        m = re.match(r"T (\d+\.\d+) ", line)
        t = m and float(m.group(1))
    if not t:
        continue
    if "entered" in line:
        enter.append(t)
    elif "link up" in line:
        links.append(t)
if len(enter) < 3 or len(links) < 4:
    print("incomplete: %d switches, %d links" % (len(enter), len(links)))
else:
    print("%.0f ms (links at %s ms after the first switch)" % ((links[3] - enter[2]) * 1000, ", ".join("%.0f" % ((t - enter[0]) * 1000) for t in links[:4])))
PY
}

stop_ctl() {
  kill "$ctl_pid" 2>/dev/null || true
  wait "$ctl_pid" 2>/dev/null || true
  ctl_pid=
}

echo "== a line of 3 Open vSwitch bridges: third switch in -> fourth link found"
for r in $(seq "$ROUNDS"); do
  ctl_start "$OF_PORT" "$build/ken-manager" --ofp-listen-host 127.0.0.1 --ofp-tcp-listen-port "$OF_PORT" \
    --observe-links "$build/link_watch.so"
  k=$(measure ken)
  stop_ctl
  ctl_start "$OF_PORT" osken-manager --ofp-listen-host 127.0.0.1 --ofp-tcp-listen-port "$OF_PORT" \
    --observe-links "$osken_app"
  o=$(measure osken)
  stop_ctl
  echo "  round $r: ken $k, OS-Ken $o"
done
