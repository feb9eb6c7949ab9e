#!/usr/bin/env bash
# Every learning switch in one ken-manager, two bridges of different
# OpenFlow versions in a line: s1 speaks only OpenFlow 1.0, s2 only 1.5,
# hosts h1 and h2 on s1, h3 and h4 on s2. The controller offers the union
# of the apps' versions; each switch must be handled by its version's app
# alone (simple_switch for s1, simple_switch_15 for s2), which the flow
# tables and the controller's log (--verbose: each app logs its packet-ins
# under its name) must show, and every host must reach every other.
#
#   tests/e2e/mixed_versions.sh PORT build/ken-manager
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
port=$1 manager=$2
source "$here/ovs-env.sh"

ovs_start
ctl_start "$port" "$manager" --verbose --ofp-listen-host 127.0.0.1 --ofp-tcp-listen-port "$port" \
  simple_switch simple_switch_12 simple_switch_13 simple_switch_14 simple_switch_15

# s1 (OpenFlow 1.0, dpid 1) port 3 <-> s2 (OpenFlow 1.5, dpid 2) port 3.
for s in 1 2; do
  proto=OpenFlow10
  ((s == 2)) && proto=OpenFlow15
  vsctl add-br "s$s" -- set bridge "s$s" datapath_type=netdev fail_mode=secure protocols=$proto \
    other-config:datapath-id=000000000000000$s
  [[ $(vsctl get interface "s$s" ofport) == 65534 ]] || { echo "FAIL: bridge s$s did not come up"; exit 1; }
done
host_on() { # host hN on bridge sB port P
  local h=$1 b=$2 p=$3 hn=${tag}h$1
  ip netns add "$hn"
  hosts+=("$h")
  in_ns ip link add "h$h-eth0" type veth peer name "s$b-eth$p"
  in_ns ethtool -K "s$b-eth$p" tx off >/dev/null 2>&1 || true
  in_ns ip link set "h$h-eth0" netns "$hn"
  in_host "$h" ip link set lo up
  in_host "$h" ip link set "h$h-eth0" address "00:00:00:00:00:0$h"
  in_host "$h" ip addr add "10.0.0.$h/24" dev "h$h-eth0"
  in_host "$h" ethtool -K "h$h-eth0" tx off >/dev/null 2>&1 || true
  in_host "$h" ip link set "h$h-eth0" up
  in_ns ip link set "s$b-eth$p" up
  vsctl add-port "s$b" "s$b-eth$p" -- set interface "s$b-eth$p" ofport_request="$p"
}
host_on 1 1 1
host_on 2 1 2
host_on 3 2 1
host_on 4 2 2
in_ns ip link add s1-eth3 type veth peer name s2-eth3
for i in s1-eth3 s2-eth3; do
  in_ns ethtool -K "$i" tx off >/dev/null 2>&1 || true
  in_ns ip link set "$i" up
done
vsctl add-port s1 s1-eth3 -- set interface s1-eth3 ofport_request=3
vsctl add-port s2 s2-eth3 -- set interface s2-eth3 ofport_request=3
for s in 1 2; do vsctl set-controller "s$s" "tcp:127.0.0.1:$port"; done
for _ in $(seq 100); do
  n=$(grep -c "connected$" "$dir/ovs-vswitchd.log" || true)
  ((n >= 2)) && break
  sleep 0.1
done
((n >= 2)) || { echo "FAIL: only $n of 2 switches connected"; exit 1; }

bad=0
for a in 1 2 3 4; do for b in 1 2 3 4; do
  [[ $a == "$b" ]] && continue
  if in_host "$a" ping -c 1 -W 1 "10.0.0.$b" >/dev/null 2>&1 || in_host "$a" ping -c 2 -W 1 "10.0.0.$b" >/dev/null 2>&1
  then echo "  h$a -> h$b: reply"
  else echo "  h$a -> h$b: no reply"; bad=$((bad + 1))
  fi
done; done
((bad == 0)) || { echo "FAIL: $bad of 12 pings unanswered"; exit 1; }

in_ns ovs-ofctl -O OpenFlow10 --timeout=10 dump-flows s1 >"$dir/s1.flows"
in_ns ovs-ofctl -O OpenFlow15 --timeout=10 dump-flows s2 >"$dir/s2.flows"
echo "--- s1 (OpenFlow 1.0)"; cat "$dir/s1.flows"
echo "--- s2 (OpenFlow 1.5)"; cat "$dir/s2.flows"
fail() { echo "FAIL: $*"; exit 1; }
# simple_switch: flows on in_port, dl_src and dl_dst; no table-miss flow
# (a 1.0 switch sends what it cannot match by itself).
grep -q "in_port=.*dl_src=.*dl_dst=.*actions=output:" "$dir/s1.flows" || fail "s1 has no simple_switch flow"
grep -q "actions=CONTROLLER" "$dir/s1.flows" && fail "s1 has a table-miss flow: a 1.3+ app handled it"
# simple_switch_15: the table-miss flow, and priority-1 flows on in_port
# and dl_dst alone (its match has no eth_src, unlike the 1.2-1.4 apps').
grep -q "priority=0 actions=CONTROLLER:65535" "$dir/s2.flows" || fail "s2 has no table-miss flow"
grep -q "priority=1,in_port=.*dl_dst=.*actions=output:" "$dir/s2.flows" || fail "s2 has no simple_switch_15 flow"
grep -q "dl_src=" "$dir/s2.flows" && fail "s2 has a flow on dl_src: not simple_switch_15's"
# The controller's log: each switch's packet-ins in its app's name alone.
log=$dir/controller.log
grep -q "DEBUG simple_switch: packet in 0000000000000001" "$log" || fail "simple_switch saw no packet-in of s1"
grep -q "DEBUG simple_switch_15: packet in 0000000000000002" "$log" || fail "simple_switch_15 saw no packet-in of s2"
grep -q "DEBUG simple_switch: packet in 0000000000000002" "$log" && fail "simple_switch saw a packet-in of s2"
grep -q "DEBUG simple_switch_15: packet in 0000000000000001" "$log" && fail "simple_switch_15 saw a packet-in of s1"
grep -q "DEBUG simple_switch_1[234]: packet in" "$log" && fail "a 1.2-1.4 app saw a packet-in"
echo "OpenFlow 1.0 and 1.5 switches, five learning switches in one controller: 12 of 12 pings answered"
echo PASS
