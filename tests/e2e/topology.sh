#!/usr/bin/env bash
# Topology discovery end to end: Open vSwitch (userspace datapath) with 3
# bridges in a line (s1:2 - s2:2, s2:3 - s3:2, a host on port 1 of each),
# ken-manager running the version's learning switch with --observe-links,
# rest_topology and the topo_recorder observer. Checks, through REST and
# the events recorded:
#   - every switch with its ports, every link in both directions;
#   - after pings, every host with its IPv4 address (ARP) and, after an
#     IPv6 ping, its link-local IPv6 address (Neighbor Discovery);
#   - a port set down (ovs-ofctl mod-port) takes its links at once, with
#     topology.EventPortModify and an EventLinkDelete per direction;
#   - the port back up brings the links back;
#   - a port that stays up but stops forwarding (no-forward): its link
#     goes by the timeout, the other direction stays.
#
#   tests/e2e/topology.sh OF OFPORT HTTPPORT build/ken-manager build/tests/topology/topo_recorder.so [build/link_watch.so]
#
# With docs/topology.md's example app (link_watch.so), its log lines are
# checked too.
set -euo pipefail

of=$1 port=$2 http=$3 manager=$4 recorder=$5 watch=${6:-}
case $of in 10) proto=OpenFlow10 app=simple_switch ;; 12) proto=OpenFlow12 app=simple_switch_12 ;;
  13) proto=OpenFlow13 app=simple_switch_13 ;; 14) proto=OpenFlow14 app=simple_switch_14 ;;
  15) proto=OpenFlow15 app=simple_switch_15 ;;
  *) echo "topology.sh: OF is 10, 12, 13, 14 or 15" >&2; exit 2 ;; esac

source "$(dirname "$0")/ovs-env.sh"
command -v curl >/dev/null || { echo "SKIP: curl not installed"; exit 77; }

# A watchdog, before meson's own timeout (which loses the output): after
# 150 s it names the step the test is stuck in and ends the step's
# commands (this script's children, by parent id), so that the test fails
# with its log and cleans up.
step() { echo "$*" >"$dir/step"; }
( sleep "${TOPO_WATCHDOG_S:-150}" >/dev/null 2>&1 &
  echo $! >"$dir/watchdog.sleep"
  wait $!
  echo "FAIL: stuck for ${TOPO_WATCHDOG_S:-150} s at: $(cat "$dir/step" 2>/dev/null)" >&2
  pkill -TERM -P $$ ) &
watchdog=$!
# On the way out the watchdog goes first (the subshell, then its sleep),
# keeping the script's status for ovs_cleanup; no errexit here, or a
# failed kill (a watchdog already gone) would skip the cleanup.
trap 'rc_=$?; set +e; kill $watchdog 2>/dev/null; kill "$(cat "$dir/watchdog.sleep" 2>/dev/null)" 2>/dev/null
      (exit $rc_); ovs_cleanup' EXIT
step "starting Open vSwitch"

ovs_start
step "starting the controller"
export KEN_TEST_EVENT_LOG=$dir/events.log
ctl_start "$port" "$manager" --ofp-tcp-listen-port "$port" --ofp-listen-host 127.0.0.1 \
  --wsapi-host 127.0.0.1 --wsapi-port "$http" --observe-links "$app" rest_topology "$recorder" ${watch:+"$watch"}

# The REST server listens in the switch namespace.
rest() { in_ns curl -sf --max-time 5 "http://127.0.0.1:$http$1"; }

step "building the bridges"
line3_build "$proto"
for s in 1 2 3; do vsctl set-controller "s$s" "tcp:127.0.0.1:$port"; done

# topology_check.py WHAT: reads the REST answer on stdin, exits 0 when it holds.
check() { python3 "$(dirname "$0")/topology_check.py" "$@"; }

# wait_for PATH WHAT SECONDS: until the REST answer passes the check.
wait_for() {
  local path=$1 what=$2 until=$((SECONDS + $3)) body=
  step "waiting for $what (GET $path)"
  while ((SECONDS <= until)); do # a deadline, not a count: a slow answer uses it up too
    body=$(rest "$path" || true)
    [[ -n $body ]] && check "$what" <<<"$body" && { echo "  $what: ok"; return 0; }
    sleep 0.2
  done
  echo "FAIL: $what: GET $path answered: $body"; exit 1
}

echo "OpenFlow $of with $app, --observe-links, rest_topology"
# Generous bounds: discovery needs about a second; sanitizers slow it.
wait_for /v1.0/topology/switches switches 30
wait_for /v1.0/topology/links links 30
wait_for /v1.0/topology/links/0000000000000002 links-of-2 5
# The LLDP flow (--install-lldp-flow, on by default), as Ryu installs it:
# 1.0 asks for the frame's 60 bytes, 1.2+ for the whole (no buffer).
want_max=65535; [[ $of == 10 ]] && want_max=60
flows=$(in_ns ovs-ofctl -O "$proto" --timeout=10 dump-flows s1)
grep -q "priority=65535,dl_dst=01:80:c2:00:00:0e,dl_type=0x88cc actions=CONTROLLER:$want_max" <<<"$flows" ||
  { echo "FAIL: no LLDP flow on s1:"; echo "$flows"; exit 1; }
echo "  LLDP flow: ok"

step "pinging"
for a in 1 2 3; do for b in 1 2 3; do
  [[ $a == "$b" ]] && continue
  in_host "$a" ping -c 1 -W 2 "10.0.0.$b" >/dev/null 2>&1 || in_host "$a" ping -c 2 -W 2 "10.0.0.$b" >/dev/null 2>&1 ||
    { echo "FAIL: h$a cannot ping h$b"; exit 1; }
done; done
wait_for /v1.0/topology/hosts hosts 10
wait_for /v1.0/topology/hosts/0000000000000002 hosts-of-2 5
# IPv6: a link-local ping between h1 and h2 (after duplicate address
# detection, which takes a moment) makes both send Neighbor Discovery.
step "IPv6 ping"
until=$((SECONDS + 20))
while ((SECONDS <= until)); do
  in_host 1 ping -6 -c 1 -W 1 "fe80::200:ff:fe00:2%h1-eth0" >/dev/null 2>&1 && break
  sleep 0.2
done
in_host 2 ping -6 -c 1 -W 1 "fe80::200:ff:fe00:1%h2-eth0" >/dev/null 2>&1 || true
wait_for /v1.0/topology/hosts hosts-v6 10

# Port 3 of s2 down: both directions of its link go at once (the
# port-status, not the 10 s timeout, so a tight bound holds).
: >"$dir/events.before"; cp "$dir/events.log" "$dir/events.before"
step "mod-port s2 3 down"
in_ns ovs-ofctl -O "$proto" --timeout=10 mod-port s2 3 down
wait_for /v1.0/topology/links links-after-down 5
sleep 0.5
new=$(tail -n +"$(($(wc -l <"$dir/events.before") + 1))" "$dir/events.log")
echo "$new" | sed 's/^/  event: /'
grep -q "^PortModify 0000000000000002 3 down$" <<<"$new" || { echo "FAIL: no PortModify event for s2 port 3"; exit 1; }
grep -q "^LinkDelete 0000000000000002 3 0000000000000003 2$" <<<"$new" || { echo "FAIL: no LinkDelete s2:3 -> s3:2"; exit 1; }
grep -q "^LinkDelete 0000000000000003 2 0000000000000002 3$" <<<"$new" || { echo "FAIL: no LinkDelete s3:2 -> s2:3"; exit 1; }

# Back up: the link is found again (LLDP at once on a port coming up).
in_ns ovs-ofctl -O "$proto" --timeout=10 mod-port s2 3 up
wait_for /v1.0/topology/links links 30

# A link that goes quiet while its ports stay up is deleted by the
# timeout, 10 to 15 s later: s2 port 3 set no-forward drops what is sent
# out of it (the LLDP packet-outs too), a port change that is not "down".
# The other direction, still heard, stays. TOPO_TIMEOUT_CHECK=0 skips it.
if [[ ${TOPO_TIMEOUT_CHECK:-1} == 1 ]]; then
  cp "$dir/events.log" "$dir/events.before"
  in_ns ovs-ofctl -O "$proto" --timeout=10 mod-port s2 3 no-forward
  wait_for /v1.0/topology/links links-timeout 30
  new=$(tail -n +"$(($(wc -l <"$dir/events.before") + 1))" "$dir/events.log")
  echo "$new" | sed 's/^/  event: /'
  grep -q "^LinkDelete 0000000000000002 3 0000000000000003 2$" <<<"$new" || { echo "FAIL: no LinkDelete s2:3 -> s3:2"; exit 1; }
  ! grep -q "^LinkDelete 0000000000000003 2 " <<<"$new" || { echo "FAIL: s3:2 -> s2:3 was deleted too"; exit 1; }
  ! grep -q " down$" <<<"$new" || { echo "FAIL: a port went down"; exit 1; }
  in_ns ovs-ofctl -O "$proto" --timeout=10 mod-port s2 3 forward
  wait_for /v1.0/topology/links links 30
fi

# The events of the start: three switches entered, four links added.
for s in 1 2 3; do
  grep -q "^SwitchEnter 000000000000000$s " "$dir/events.log" || { echo "FAIL: no SwitchEnter for s$s"; exit 1; }
done
for l in "1 2 0000000000000002 2" "2 2 0000000000000001 2" "2 3 0000000000000003 2" "3 2 0000000000000002 3"; do
  grep -q "^LinkAdd 000000000000000$l$" "$dir/events.log" || { echo "FAIL: no LinkAdd 000000000000000$l"; exit 1; }
done
grep -q "^HostAdd 00:00:00:00:00:01 0000000000000001 1$" "$dir/events.log" || { echo "FAIL: no HostAdd for h1"; exit 1; }
if [[ -n $watch ]]; then
  for l in "link up 0000000000000001:2 -> 0000000000000002:2" "link down 0000000000000002:3 -> 0000000000000003:2"; do
    grep -q "link_watch: $l$" "$dir/controller.log" || { echo "FAIL: link_watch did not log '$l'"; exit 1; }
  done
  grep -q "link_watch: switch 000000000000000[123] entered; [0-9]* links known" "$dir/controller.log" ||
    { echo "FAIL: link_watch did not log a switch entering"; exit 1; }
  echo "  link_watch (docs/topology.md): ok"
fi
echo PASS
